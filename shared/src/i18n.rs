//! Every interface string of the citizen's screens, in one place, per language.
//!
//! Shared because two sides show them: the PWA, and the server, which renders the first
//! question of `/q/<point>` into the page so a respondent on slow mobile data can answer before
//! the app has downloaded (`otklik-server`'s `survey_page`). Questionnaire wording is data (it
//! comes with the questionnaire); only the interface around it lives here. The Russian table is
//! the contract: browser tests and the acceptance checks find controls by these names
//! (`contract.md` §7), so change a Russian string only together with the contract. Adding a
//! language means adding one table and one [`Lang`] variant (and the PWA's kiosk table); the
//! compiler then points at every place that must learn about it.

use serde_json::Value;

use crate::answer::Likert4;
use crate::questionnaire::{Question, QuestionKind};

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Russian: the default and the language of the contract.
    Ru,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag written to `<html lang>` so screen readers pick the right voice.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    /// Parses a stored tag; anything unknown falls back to `None` (the caller picks Russian).
    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The language the switch offers from this one.
    pub fn other(self) -> Self {
        match self {
            Self::Ru => Self::En,
            Self::En => Self::Ru,
        }
    }

    /// This language's strings.
    pub fn strings(self) -> &'static Strings {
        match self {
            Self::Ru => &RU,
            Self::En => &EN,
        }
    }
}

/// One language's interface strings. Templates use `{name}` placeholders, filled by [`fill`].
#[derive(Debug)]
pub struct Strings {
    /// The product name in the header.
    pub app_name: &'static str,
    /// Name of this language in itself, shown on the switch that leads to it.
    pub own_name: &'static str,
    /// Accessible description of the language switch.
    pub switch_hint: &'static str,
    /// While the questionnaire is loading.
    pub loading: &'static str,
    /// No network and no cached copy of the point.
    pub load_offline: &'static str,
    /// The server does not know the point.
    pub point_not_found: &'static str,
    /// The server answered with something unexpected.
    pub load_failed: &'static str,
    /// Button that retries loading.
    pub retry: &'static str,
    /// Progress, `{n}` of `{total}` questions currently reachable.
    pub progress: &'static str,
    /// The back button (contract name).
    pub back: &'static str,
    /// The next button (contract name).
    pub next: &'static str,
    /// The submit button on the last screen (contract name).
    pub submit: &'static str,
    /// The 4-point scale, in scale order (contract names).
    pub likert: [&'static str; 4],
    /// «Да» of a yes/no question (contract name).
    pub yes: &'static str,
    /// «Нет» of a yes/no question (contract name).
    pub no: &'static str,
    /// NPS end labels when the questionnaire carries none.
    pub nps_min: &'static str,
    /// See [`Strings::nps_min`].
    pub nps_max: &'static str,
    /// A required question still has no answer.
    pub required_hint: &'static str,
    /// An optional question may be left empty.
    pub optional_hint: &'static str,
    /// Range hint of a number question, `{min}`–`{max}`.
    pub number_range: &'static str,
    /// The typed number is not a number in range.
    pub number_invalid: &'static str,
    /// Comment box label when the questionnaire gives no prompt.
    pub comment_prompt: &'static str,
    /// The final check failed on this question.
    pub check_answer: &'static str,
    /// While the response is written to the device.
    pub saving: &'static str,
    /// The response could not be kept anywhere.
    pub save_failed: &'static str,
    /// Heading once the response is safe (contract: starts with «Спасибо»).
    pub thanks: &'static str,
    /// Text under the thanks heading.
    pub thanks_text: &'static str,
    /// The thanks screen's link to the institution's public page `/r/<org>` (and that page's
    /// heading).
    pub public_answers: &'static str,
    /// Status while the first upload attempt runs.
    pub status_sending: &'static str,
    /// Status when the server gave a receipt (contract text).
    pub status_sent: &'static str,
    /// Status when the response waits in the outbox (contract text).
    pub status_queued: &'static str,
    /// Status when the server refused the response; it stays on the device.
    pub status_refused: &'static str,
    /// Unknown address heading.
    pub not_found_title: &'static str,
    /// Unknown address text.
    pub not_found_text: &'static str,
}

/// Russian, the contract's wording.
pub static RU: Strings = Strings {
    app_name: "Отклик",
    own_name: "Русский",
    switch_hint: "Сменить язык интерфейса",
    loading: "Загружаем анкету…",
    load_offline: "Нет связи, а эта анкета ещё не сохранена на устройстве. Проверьте интернет и попробуйте снова.",
    point_not_found: "Опрос не найден. Проверьте адрес или отсканируйте QR-код ещё раз.",
    load_failed: "Не удалось загрузить анкету. Попробуйте ещё раз чуть позже.",
    retry: "Повторить",
    progress: "Вопрос {n} из {total}",
    back: "Назад",
    next: "Далее",
    submit: "Отправить",
    likert: ["Да", "Скорее да", "Скорее нет", "Нет"],
    yes: "Да",
    no: "Нет",
    nps_min: "точно не порекомендую",
    nps_max: "обязательно порекомендую",
    required_hint: "Выберите ответ, чтобы продолжить.",
    optional_hint: "Необязательный вопрос: можно пропустить.",
    number_range: "Число от {min} до {max}.",
    number_invalid: "Введите число от {min} до {max}.",
    comment_prompt: "Расскажите, что было не так?",
    check_answer: "Проверьте ответ на этот вопрос.",
    saving: "Сохраняем ответ…",
    save_failed: "Не удалось сохранить ответ на устройстве и отправить его. Попробуйте ещё раз.",
    thanks: "Спасибо за ответ!",
    thanks_text: "Ваше мнение поможет сделать работу учреждения лучше.",
    public_answers: "Вы сказали — мы сделали",
    status_sending: "Отправляем ответ…",
    status_sent: "Ответ отправлен",
    status_queued: "Ответ сохранён и будет отправлен",
    status_refused: "Ответ сохранён на устройстве, но сервер его не принял",
    not_found_title: "Страница не найдена",
    not_found_text: "Чтобы оценить работу учреждения, отсканируйте QR-код на плакате в учреждении.",
};

/// English.
pub static EN: Strings = Strings {
    app_name: "Otklik",
    own_name: "English",
    switch_hint: "Change the interface language",
    loading: "Loading the questionnaire…",
    load_offline: "No connection, and this questionnaire is not saved on the device yet. Check the internet and try again.",
    point_not_found: "Survey not found. Check the address or scan the QR code again.",
    load_failed: "Could not load the questionnaire. Please try again a little later.",
    retry: "Try again",
    progress: "Question {n} of {total}",
    back: "Back",
    next: "Next",
    submit: "Send",
    likert: ["Yes", "Rather yes", "Rather no", "No"],
    yes: "Yes",
    no: "No",
    nps_min: "would definitely not recommend",
    nps_max: "would definitely recommend",
    required_hint: "Choose an answer to continue.",
    optional_hint: "Optional question: you may skip it.",
    number_range: "A number from {min} to {max}.",
    number_invalid: "Enter a number from {min} to {max}.",
    comment_prompt: "Tell us what went wrong?",
    check_answer: "Please check your answer to this question.",
    saving: "Saving your answer…",
    save_failed: "Could not save your answer on the device or send it. Please try again.",
    thanks: "Thank you for your answer!",
    thanks_text: "Your opinion helps the institution improve.",
    public_answers: "You said — we did",
    status_sending: "Sending your answer…",
    status_sent: "Answer sent",
    status_queued: "Answer saved and will be sent",
    status_refused: "Answer kept on the device, but the server did not accept it",
    not_found_title: "Page not found",
    not_found_text: "To rate an institution, scan the QR code on the poster there.",
};

/// Fills `{name}` placeholders of a template.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_owned(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The options of a radio question in display order: each value in wire form and its visible
/// (accessible) name, with the interface's names for the fixed scales. Empty for number and
/// text questions.
pub fn options(question: &Question, t: &Strings) -> Vec<(Value, String)> {
    match question.kind {
        QuestionKind::Likert4 => Likert4::ALL
            .iter()
            .zip(t.likert)
            .map(|(v, label)| (Value::from(v.as_str()), label.to_owned()))
            .collect(),
        QuestionKind::Nps => (0..=10u8)
            .map(|n| (Value::from(n), n.to_string()))
            .collect(),
        QuestionKind::YesNo => vec![
            (Value::Bool(true), t.yes.to_owned()),
            (Value::Bool(false), t.no.to_owned()),
        ],
        QuestionKind::Choice => question
            .options
            .iter()
            .map(|o| (Value::from(o.id.as_str()), o.text.clone()))
            .collect(),
        QuestionKind::Number | QuestionKind::Text => Vec::new(),
    }
}

/// The NPS end labels shown under the scale: the questionnaire's, or the interface's default
/// wording.
pub fn scale_ends(question: &Question, t: &Strings) -> (String, String) {
    let (min, max) = question
        .labels
        .as_ref()
        .map_or((t.nps_min, t.nps_max), |l| (l.min.as_str(), l.max.as_str()));
    (format!("0 — {min}"), format!("10 — {max}"))
}

/// The comment box's label for `question`: its own prompt, or the interface's default.
pub fn comment_prompt(question: &Question, t: &Strings) -> String {
    question
        .comment
        .as_ref()
        .map(|rule| rule.prompt.clone())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| t.comment_prompt.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_every_placeholder() {
        let text = fill(RU.progress, &[("n", "2"), ("total", "7")]);
        assert_eq!(text, "Вопрос 2 из 7");
    }

    #[test]
    fn contract_names_are_kept() {
        assert_eq!(RU.likert, ["Да", "Скорее да", "Скорее нет", "Нет"]);
        assert_eq!(
            (RU.next, RU.back, RU.submit),
            ("Далее", "Назад", "Отправить")
        );
        assert!(RU.thanks.starts_with("Спасибо"));
        assert_eq!(RU.status_sent, "Ответ отправлен");
        assert_eq!(RU.status_queued, "Ответ сохранён и будет отправлен");
        assert_eq!(RU.comment_prompt, "Расскажите, что было не так?");
    }

    #[test]
    fn scales_have_their_contract_names() {
        let q = |kind| Question {
            kind,
            ..serde_json::from_value(
                serde_json::json!({"id": "q", "kind": "text", "text": "?", "required": true}),
            )
            .expect("a minimal question")
        };
        let names =
            |kind| -> Vec<String> { options(&q(kind), &RU).into_iter().map(|(_, n)| n).collect() };
        assert_eq!(names(QuestionKind::Likert4), RU.likert);
        assert_eq!(names(QuestionKind::YesNo), ["Да", "Нет"]);
        assert_eq!(names(QuestionKind::Nps).len(), 11);
        assert!(names(QuestionKind::Text).is_empty());
        let wire: Vec<Value> = options(&q(QuestionKind::Likert4), &RU)
            .into_iter()
            .map(|(v, _)| v)
            .collect();
        assert_eq!(wire, ["yes", "rather_yes", "rather_no", "no"]);
        assert_eq!(
            comment_prompt(&q(QuestionKind::Likert4), &RU),
            RU.comment_prompt
        );
        assert_eq!(
            scale_ends(&q(QuestionKind::Nps), &RU).0,
            "0 — точно не порекомендую"
        );
    }

    #[test]
    fn tags_round_trip() {
        for lang in [Lang::Ru, Lang::En] {
            assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
            assert_eq!(lang.other().other(), lang);
        }
    }
}
