//! The comment loop's vocabulary (`domain.md` §4 «Negative answers», issue 16 item 5): where an
//! official has got with a citizen's comment, and which lean loss the comment names.
//!
//! A comment moves new → «принято в работу» → «сделано»; «сделано» carries a short public
//! answer, which the public page of the institution (`/r/<org>`) shows instead of the citizen's
//! own text. The names arrive as text and are parsed here (not by serde), so a wrong one is a
//! 422 that names its field rather than a malformed body.

use serde::{Deserialize, Serialize};

/// The longest public answer, in characters: a short reply, not a letter.
pub const MAX_PUBLIC_ANSWER: usize = 500;

/// The longest title of an improvement measure, in characters.
pub const MAX_MEASURE_TITLE: usize = 300;

/// Where an official has got with a comment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Nobody has taken it up yet: every comment starts here, reviewed or not.
    #[default]
    New,
    /// «Принято в работу»: read, tagged, being dealt with.
    InProgress,
    /// «Сделано»: dealt with, with a public answer.
    Done,
}

impl ReviewStatus {
    /// Every status, in the order a comment moves through them.
    pub const ALL: [ReviewStatus; 3] = [
        ReviewStatus::New,
        ReviewStatus::InProgress,
        ReviewStatus::Done,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::New => "new",
            ReviewStatus::InProgress => "in_progress",
            ReviewStatus::Done => "done",
        }
    }

    /// The status of this wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A lean loss («потеря») a comment names: the kinds the НСИ guidelines map pains to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Loss {
    /// Ожидание: queues, waiting for a decision or a call back.
    Waiting,
    /// Дублирование действий: the same document or data asked for twice.
    DuplicateActions,
    /// Переделка: coming back to redo something (a wrong certificate, a lost application).
    Rework,
    /// Лишние усилия: effort the person should not have had to make.
    ExcessEffort,
    /// Лишние этапы: steps that add nothing for the person.
    RedundantSteps,
}

impl Loss {
    /// Every kind, in the guidelines' order.
    pub const ALL: [Loss; 5] = [
        Loss::Waiting,
        Loss::DuplicateActions,
        Loss::Rework,
        Loss::ExcessEffort,
        Loss::RedundantSteps,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Loss::Waiting => "waiting",
            Loss::DuplicateActions => "duplicate_actions",
            Loss::Rework => "rework",
            Loss::ExcessEffort => "excess_effort",
            Loss::RedundantSteps => "redundant_steps",
        }
    }

    /// The loss of this wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_read_back_and_match_serde() {
        for s in ReviewStatus::ALL {
            assert_eq!(ReviewStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for l in Loss::ALL {
            assert_eq!(Loss::parse(l.as_str()), Some(l));
            assert_eq!(serde_json::to_value(l).unwrap(), l.as_str());
        }
        assert_eq!(ReviewStatus::parse("accepted"), None);
        assert_eq!(Loss::parse("Waiting"), None);
    }

    #[test]
    fn a_comment_nobody_reviewed_is_new() {
        assert_eq!(ReviewStatus::default(), ReviewStatus::New);
    }
}
