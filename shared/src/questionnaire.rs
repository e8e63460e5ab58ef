//! Questionnaires: versioned, immutable once published, made of questions of six kinds.
//!
//! The same structure is the data file format (`shared/data/questionnaires/*.json`), the database
//! column and the wire format of `GET /api/v1/questionnaires/{id}/{version}`, so a questionnaire
//! is never translated between representations and cannot drift.

use serde::{Deserialize, Serialize};

use crate::nsi::TimeUnit;

/// The kind of a question; decides which answer values are valid and how it is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// The НСИ 4-point satisfaction scale: «Да», «Скорее да», «Скорее нет», «Нет».
    Likert4,
    /// Readiness to recommend, 0–10.
    Nps,
    /// «Да» / «Нет» (НОК items and filters).
    YesNo,
    /// One option out of a list.
    Choice,
    /// A number in a range (e.g. age).
    Number,
    /// Free text, up to [`MAX_TEXT_LEN`] characters.
    Text,
}

impl QuestionKind {
    /// The wire name of the kind (`likert4`, `nps`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Likert4 => "likert4",
            Self::Nps => "nps",
            Self::YesNo => "yes_no",
            Self::Choice => "choice",
            Self::Number => "number",
            Self::Text => "text",
        }
    }
}

/// Longest free-text answer or comment, in characters (not bytes: Cyrillic is two bytes each).
pub const MAX_TEXT_LEN: usize = 2000;

/// One option of a `choice` question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// Stable wire id of the option (`male`, `female`).
    pub id: String,
    /// Text shown to the respondent.
    pub text: String,
}

/// A skip rule: when the question is answered with `when`, the listed questions are skipped and
/// must be absent from the response («Пользовались ли Вы…? Нет → перейти к…»).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkipRule {
    /// The answer value (in wire form) that triggers the skip, e.g. `false`.
    pub when: serde_json::Value,
    /// Ids of the questions skipped.
    pub questions: Vec<String>,
}

/// An invitation to comment, shown when the answer is one of `on` (not forced).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommentRule {
    /// Wire values that open the comment box (`rather_no`, `no`).
    pub on: Vec<String>,
    /// The label of the comment box («Расскажите, что было не так?»).
    pub prompt: String,
}

/// Labels of the two ends of a scale (NPS: «точно не порекомендую» … «обязательно порекомендую»).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleLabels {
    /// Label of the lowest value.
    pub min: String,
    /// Label of the highest value.
    pub max: String,
}

/// One question. Kind-specific fields are optional so that the wire stays flat and readable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable id, part of the contract (`process`, `nps`, `info_stand`…); stable across versions.
    pub id: String,
    /// What kind of answer it takes.
    pub kind: QuestionKind,
    /// The question text, verbatim from the source documents.
    pub text: String,
    /// A short subtitle (NPS: «готовность рекомендовать»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Whether a respondent who reaches the question must answer it.
    pub required: bool,
    /// Options of a `choice` question.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// Lowest allowed value of a `number` question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Highest allowed value of a `number` question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Whether a `number` question takes whole numbers only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub integer: bool,
    /// End labels of an NPS scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<ScaleLabels>,
    /// Skip rule triggered by this question's answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<SkipRule>,
    /// Comment invitation on some answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<CommentRule>,
    /// НОК indicator fed by this question (`"1.3"`, `"5.1"`…), or `"filter"` for skip filters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<String>,
    /// Set on a «вспомогательный» (auxiliary) question: one appended for a quarter after the
    /// core ones, with who approved it and when. Absent on core questions, whose wording is
    /// frozen once a baseline has been measured with them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auxiliary: Option<Approval>,
    /// Set on a `number` question that asks how long the life situation took, in this unit:
    /// the respondent's own report of «время протекания процесса с точки зрения человека»
    /// (`domain.md` §4, one of the time KPI's sources). The НСИ report gives its answers as a
    /// separate, labelled figure beside the process measurements, never mixed into them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_unit: Option<TimeUnit>,
}

/// Who approved an auxiliary question, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    /// The person or body that approved it (the regional НСИ headquarters…).
    pub approved_by: String,
    /// When: `YYYY-MM-DD`.
    pub approved_at: String,
}

/// A published questionnaire version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Questionnaire {
    /// Slug id (`nsi-satisfaction`, `express`, `nok-social`…).
    pub id: String,
    /// Version number, from 1; a published version never changes.
    pub version: u32,
    /// Title shown above the questions.
    pub title: String,
    /// A note on where the wording comes from and what still needs checking («форма требует сверки»).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether this is a НОК questionnaire (its stats carry НОК indicators).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nok: bool,
    /// Questions in the order they are asked.
    pub questions: Vec<Question>,
}

impl Questionnaire {
    /// The question with this id, if any.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Checks that the definition is coherent: unique ids, kind-specific fields present, skip
    /// rules pointing at later questions. Run on every built-in and every custom questionnaire
    /// before it is published.
    ///
    /// # Errors
    /// [`Incoherent`], describing the first problem found.
    pub fn check(&self) -> Result<(), Incoherent> {
        if self.id.is_empty() || self.version == 0 || self.questions.is_empty() {
            return Err(Incoherent(format!(
                "{}: id, version ≥ 1 and questions are required",
                self.id
            )));
        }
        for (i, q) in self.questions.iter().enumerate() {
            if q.auxiliary.is_none() && self.questions[..i].iter().any(|p| p.auxiliary.is_some()) {
                return Err(Incoherent(format!(
                    "{}: core question {} comes after an auxiliary one: auxiliary questions \
                     are a block appended after the core questions",
                    self.id, q.id
                )));
            }
            if let Some(approval) = &q.auxiliary {
                let date = chrono::NaiveDate::parse_from_str(&approval.approved_at, "%Y-%m-%d");
                if approval.approved_by.trim().is_empty() || date.is_err() {
                    return Err(Incoherent(format!(
                        "{}: auxiliary question {} needs approved_by and approved_at \
                         (YYYY-MM-DD)",
                        self.id, q.id
                    )));
                }
            }
            if self.questions[..i].iter().any(|p| p.id == q.id) {
                return Err(Incoherent(format!(
                    "{}: question id {} is repeated",
                    self.id, q.id
                )));
            }
            match q.kind {
                QuestionKind::Choice if q.options.is_empty() => {
                    return Err(Incoherent(format!(
                        "{}: choice {} has no options",
                        self.id, q.id
                    )))
                }
                QuestionKind::Number if q.min.is_none() || q.max.is_none() => {
                    return Err(Incoherent(format!(
                        "{}: number {} needs min and max",
                        self.id, q.id
                    )))
                }
                _ => {}
            }
            if let Some(unit) = q.time_unit {
                let sane = q.kind == QuestionKind::Number
                    && q.min.is_some_and(|m| m >= 0.0)
                    && q.max.is_some_and(|m| m <= unit.max());
                if !sane {
                    return Err(Incoherent(format!(
                        "{}: {} reports a time in {}: it must be a number question from 0 to at \
                         most {} {}",
                        self.id,
                        q.id,
                        unit.as_str(),
                        unit.max(),
                        unit.as_str()
                    )));
                }
            }
            if let Some(skip) = &q.skip {
                for target in &skip.questions {
                    let later = self.questions[i + 1..].iter().any(|p| &p.id == target);
                    if !later {
                        return Err(Incoherent(format!(
                            "{}: {} skips {target}, which is not a later question",
                            self.id, q.id
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

impl Questionnaire {
    /// Checks that `self`, a new version, counts its answers as `earlier` did: statistics pool
    /// every version under stable question ids ([`crate::rollup`]), so a question id that
    /// both versions ask keeps its kind and, for a reported time, its unit — otherwise counts
    /// of different things (or of days and hours) would be summed as one.
    ///
    /// # Errors
    /// [`Incoherent`], naming the first question whose kind or unit changed.
    pub fn check_pooled(&self, earlier: &Questionnaire) -> Result<(), Incoherent> {
        for q in &self.questions {
            let Some(old) = earlier.question(&q.id) else {
                continue;
            };
            if old.kind != q.kind || old.time_unit != q.time_unit {
                return Err(Incoherent(format!(
                    "{}: question {} was {}{} in version {}; a question id keeps its kind and \
                     time unit across versions (give a changed question a new id)",
                    self.id,
                    q.id,
                    old.kind.as_str(),
                    old.time_unit
                        .map(|u| format!(" in {}", u.as_str()))
                        .unwrap_or_default(),
                    earlier.version
                )));
            }
        }
        Ok(())
    }

    /// The core questions, in order: every question but the auxiliary block.
    pub fn core(&self) -> impl Iterator<Item = &Question> {
        self.questions.iter().filter(|q| q.auxiliary.is_none())
    }

    /// Checks that `next` may follow this version when this version is frozen (a baseline was
    /// measured with it): the same id, a higher version, the same core questions in the same
    /// order and word for word (kind, options, skips, comment rule and all), and nothing new
    /// but auxiliary questions. The auxiliary block itself may change from quarter to quarter.
    ///
    /// # Errors
    /// [`Incoherent`], naming the first core question that changed, went or was added.
    pub fn check_successor(&self, next: &Questionnaire) -> Result<(), Incoherent> {
        let frozen = format!(
            "{} v{} is frozen: a baseline was measured with it",
            self.id, self.version
        );
        if next.id != self.id || next.version <= self.version {
            return Err(Incoherent(format!(
                "{frozen}; a successor must be {} with a version above {}",
                self.id, self.version
            )));
        }
        let mut theirs = next.core();
        for mine in self.core() {
            match theirs.next() {
                Some(q) if q == mine => {}
                Some(q) if q.id == mine.id => {
                    return Err(Incoherent(format!(
                        "{frozen}; its core question {} cannot change (append an auxiliary \
                         question instead)",
                        mine.id
                    )))
                }
                _ => {
                    return Err(Incoherent(format!(
                        "{frozen}; its core question {} must stay, in its place",
                        mine.id
                    )))
                }
            }
        }
        if let Some(extra) = theirs.next() {
            return Err(Incoherent(format!(
                "{frozen}; the new question {} must be auxiliary (with approved_by and \
                 approved_at), never a core question",
                extra.id
            )));
        }
        Ok(())
    }
}

/// A built-in or custom definition (questionnaire, methodology table) that contradicts itself;
/// the text names the definition and the first problem, for the person correcting the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Incoherent(pub String);

#[cfg(test)]
mod tests;
