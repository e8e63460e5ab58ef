//! The comments page's strings: the masked feed, its filters, «Показать ещё» and the review of
//! a comment (status, stage, loss, the public answer).

/// The comments page's strings in one language; `{name}` placeholders are filled by
/// [`fill`](crate::i18n::fill).
#[derive(Debug)]
pub struct CommentsStrings {
    /// What the feed is, under the org's name.
    pub subtitle: &'static str,
    /// The point filter.
    pub point: &'static str,
    /// Its «any» option.
    pub any_point: &'static str,
    /// The question filter.
    pub question: &'static str,
    /// Its «any» option.
    pub any_question: &'static str,
    /// The negative-only filter.
    pub negative: &'static str,
    /// The feed's label.
    pub feed: &'static str,
    /// How many are listed.
    pub shown: &'static str,
    /// The next page.
    pub more: &'static str,
    /// No comment matches.
    pub none: &'static str,
    /// After the last page.
    pub all_shown: &'static str,
    /// A comment's point.
    pub at_point: &'static str,
    /// A comment on an answer: the answer as the respondent chose it.
    pub answered: &'static str,
    /// A free-text answer.
    pub free_text: &'static str,
    /// The 4-point and yes/no answers' names, for `yes`, `rather_yes`, `rather_no`, `no`.
    pub answers: [&'static str; 4],
    /// The status filter.
    pub status: &'static str,
    /// Its «any» option.
    pub any_status: &'static str,
    /// The statuses' names, in the order of `ReviewStatus::ALL`.
    pub statuses: [&'static str; 3],
    /// A comment's status as listed.
    pub status_line: &'static str,
    /// A comment's stage as listed.
    pub stage_line: &'static str,
    /// A comment's loss as listed.
    pub loss_line: &'static str,
    /// The public answer as listed.
    pub answer_line: &'static str,
    /// Opens the review form of a comment.
    pub review: &'static str,
    /// The form's status radio group.
    pub progress: &'static str,
    /// The stage combobox.
    pub stage: &'static str,
    /// Its «none» option.
    pub no_stage: &'static str,
    /// The loss combobox.
    pub loss: &'static str,
    /// Its «none» option.
    pub no_loss: &'static str,
    /// The public answer textbox.
    pub public_answer: &'static str,
    /// What happens to the public answer.
    pub public_hint: &'static str,
    /// Saves the review.
    pub save: &'static str,
    /// Closes the form without saving.
    pub cancel: &'static str,
    /// Announced once saved.
    pub saved: &'static str,
    /// «Сделано» without an answer.
    pub answer_required: &'static str,
    /// An answer over the limit.
    pub answer_too_long: &'static str,
}

/// Russian.
pub static RU: CommentsStrings = CommentsStrings {
    subtitle: "Комментарии граждан",
    point: "Точка",
    any_point: "Все точки",
    question: "Вопрос",
    any_question: "Все вопросы",
    negative: "только негативные",
    feed: "Комментарии, сначала новые",
    shown: "Показано комментариев: {n}",
    more: "Показать ещё",
    none: "Комментариев нет.",
    all_shown: "Показаны все комментарии.",
    at_point: "Точка {point}",
    answered: "Ответ: {answer}",
    free_text: "Свободный ответ",
    answers: ["Да", "Скорее да", "Скорее нет", "Нет"],
    status: "Статус",
    any_status: "Все статусы",
    statuses: ["Новый", "Принято в работу", "Сделано"],
    status_line: "Статус: {status}",
    stage_line: "Этап: {stage}",
    loss_line: "Потери: {loss}",
    answer_line: "Ответ гражданам: {answer}",
    review: "Разобрать",
    progress: "Ход работы",
    stage: "Этап",
    no_stage: "— не указан —",
    loss: "Потери",
    no_loss: "— не указаны —",
    public_answer: "Ответ для граждан",
    public_hint: "Когда статус «Сделано», ответ публикуется на странице учреждения «Вы сказали — мы сделали» (без текста комментария).",
    save: "Сохранить",
    cancel: "Отмена",
    saved: "Разбор сохранён.",
    answer_required: "Для статуса «Сделано» напишите ответ для граждан.",
    answer_too_long: "Ответ для граждан — не длиннее {max} знаков.",
};

/// English.
pub static EN: CommentsStrings = CommentsStrings {
    subtitle: "Citizens' comments",
    point: "Point",
    any_point: "All points",
    question: "Question",
    any_question: "All questions",
    negative: "negative only",
    feed: "Comments, newest first",
    shown: "Comments shown: {n}",
    more: "Show more",
    none: "No comments.",
    all_shown: "All comments are shown.",
    at_point: "Point {point}",
    answered: "Answer: {answer}",
    free_text: "Free-text answer",
    answers: ["Yes", "Rather yes", "Rather no", "No"],
    status: "Status",
    any_status: "All statuses",
    statuses: ["New", "In progress", "Done"],
    status_line: "Status: {status}",
    stage_line: "Stage: {stage}",
    loss_line: "Loss: {loss}",
    answer_line: "Answer to citizens: {answer}",
    review: "Review",
    progress: "Progress",
    stage: "Stage",
    no_stage: "— none —",
    loss: "Loss",
    no_loss: "— none —",
    public_answer: "Answer to citizens",
    public_hint: "Once the status is «Done», the answer is published on the institution's «You said — we did» page (without the comment's text).",
    save: "Save",
    cancel: "Cancel",
    saved: "Review saved.",
    answer_required: "For «Done», write an answer to citizens.",
    answer_too_long: "The answer to citizens is at most {max} characters.",
};
