//! Where the respondent is in a questionnaire, and what follows from it for the status line
//! and the update flow. Pure, so the update moment is unit-tested on the host.

use uuid::Uuid;

use crate::i18n::Strings;
use crate::update::Moment;

/// Where the respondent is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Phase {
    Answering,
    /// Writing the response to the outbox; the buttons wait.
    Saving,
    /// The response is safe (queued, or receipted when storage was unavailable).
    Thanks(Uuid),
}

/// What the status region says about the response.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Delivery {
    Sending,
    Sent,
    Queued,
    Refused,
}

impl Delivery {
    /// The status line.
    pub fn text(self, t: &Strings) -> &'static str {
        match self {
            Self::Sending => t.status_sending,
            Self::Sent => t.status_sent,
            Self::Queued => t.status_queued,
            Self::Refused => t.status_refused,
        }
    }
}

/// A message about the last action, shown as an alert.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Notice {
    /// The final check found a problem with the question now shown.
    CheckAnswer,
    /// The response could be neither queued nor sent.
    SaveFailed,
}

/// Where the respondent is, for the update flow: a new version of the app may take over
/// before the first answer or once thanked, never in between (`update`). «Thanked» includes
/// the delivery attempt having settled (see [`Moment::Done`]).
pub fn moment(phase: Phase, nothing_entered: bool, delivery: Option<Delivery>) -> Moment {
    match phase {
        Phase::Thanks(_) if delivery == Some(Delivery::Sending) => Moment::Busy,
        Phase::Thanks(_) => Moment::Done,
        Phase::Answering | Phase::Saving if nothing_entered => Moment::Idle,
        Phase::Answering | Phase::Saving => Moment::Busy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn switches_versions_only_before_the_first_answer_or_once_delivery_settled() {
        let thanks = Phase::Thanks(Uuid::nil());
        assert_eq!(moment(Phase::Answering, true, None), Moment::Idle);
        assert_eq!(moment(Phase::Answering, false, None), Moment::Busy);
        assert_eq!(moment(Phase::Saving, false, None), Moment::Busy);
        assert_eq!(moment(thanks, false, Some(Delivery::Sending)), Moment::Busy);
        for settled in [Delivery::Sent, Delivery::Queued, Delivery::Refused] {
            assert_eq!(moment(thanks, false, Some(settled)), Moment::Done);
        }
    }
}
