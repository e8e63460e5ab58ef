//! The comments page's strings: the masked feed, its filters and «Показать ещё».

/// The comments page's strings in one language; `{name}` placeholders are filled by
/// [`fill`](crate::i18n::fill).
#[derive(Debug)]
pub struct CommentsStrings {
    /// What the feed is, under the org's name.
    pub subtitle: &'static str,
    /// The period filter's «all time» option.
    pub all_time: &'static str,
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
}

/// Russian.
pub static RU: CommentsStrings = CommentsStrings {
    subtitle: "Комментарии граждан",
    all_time: "За всё время",
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
};

/// English.
pub static EN: CommentsStrings = CommentsStrings {
    subtitle: "Citizens' comments",
    all_time: "All time",
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
};
