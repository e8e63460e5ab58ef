//! Which credential uploads which response. Pure, so it is unit-tested on the host.
//!
//! Both bundles need it, the citizen one included: a browser has one outbox per origin, so a
//! kiosk tablet that opens `/q/<point>` runs the citizen bundle's uploader over the kiosk's
//! queued answers, which must go with the device token or wait — never anonymously. The same
//! holds for questionnaires an operator keyed in on the dashboard (paper, phone, interview):
//! they wait for a staff token, since an anonymous upload would get them `rejected` for good.

use otklik_shared::answer::Channel;

use crate::storage::outbox::StoredResponse;

/// The tokens this browser holds for uploads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credentials {
    /// The enrolled device's id and token.
    pub device: Option<(String, String)>,
    /// An operator's or official's token: the dashboard session's (held in memory by the sync
    /// engine while someone who may key in is signed in), else the one entered in a kiosk's
    /// operator panel to upload another device's imported queue.
    pub staff: Option<String>,
}

/// How one response may be uploaded now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sender<'a> {
    /// With this bearer token.
    Bearer(&'a str),
    /// Without a token (`qr`, `link`).
    Anonymous,
    /// Not now: a kiosk or staff-channel response with no token that may send it. Sending it
    /// anyway would get it `rejected` for good, so it waits in the outbox for an operator to
    /// sign in.
    Hold,
}

impl Credentials {
    /// The sender for `response`: the device token for this device's answers, the staff token
    /// for another device's (an imported queue) and for keyed-in channels, nothing for citizen
    /// channels. A record whose channel this version cannot read is held: left in place for a
    /// later version, as an unreadable record always was.
    pub fn sender(&self, response: &StoredResponse) -> Sender<'_> {
        let Some(channel) = response.channel() else {
            return Sender::Hold;
        };
        if channel.needs_staff() {
            return self.staff.as_deref().map_or(Sender::Hold, Sender::Bearer);
        }
        if channel != Channel::Kiosk {
            return Sender::Anonymous;
        }
        match (&self.device, &self.staff) {
            (Some((id, token)), _) if response.device() == Some(id.as_str()) => {
                Sender::Bearer(token)
            }
            (_, Some(staff)) => Sender::Bearer(staff),
            _ => Sender::Hold,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use otklik_shared::answer::NewResponse;
    use serde_json::json;

    /// A kiosk response from `device` (also used by the kiosk's tests).
    pub(crate) fn kiosk_response(device: &str) -> NewResponse {
        serde_json::from_value(json!({
            "id": "0190f3c2-6a1b-7c3d-8e4f-123456789abc", "point": "p",
            "questionnaire": "q", "version": 1, "channel": "kiosk",
            "device": device, "seq": 1,
            "submitted_at": "2026-11-22T10:15:00+03:00", "answers": []
        }))
        .unwrap()
    }

    /// `response` as the outbox stores it.
    fn stored(response: &NewResponse) -> StoredResponse {
        StoredResponse::from(response)
    }

    #[test]
    fn own_answers_go_with_the_device_token_and_imported_ones_need_staff() {
        let mut creds = Credentials {
            device: Some(("dev-1".into(), "t-dev".into())),
            staff: None,
        };
        assert_eq!(
            creds.sender(&stored(&kiosk_response("dev-1"))),
            Sender::Bearer("t-dev")
        );
        assert_eq!(
            creds.sender(&stored(&kiosk_response("dev-2"))),
            Sender::Hold
        );
        creds.staff = Some("t-staff".into());
        assert_eq!(
            creds.sender(&stored(&kiosk_response("dev-2"))),
            Sender::Bearer("t-staff")
        );
        let mut citizen = kiosk_response("dev-1");
        citizen.channel = Channel::Qr;
        assert_eq!(creds.sender(&stored(&citizen)), Sender::Anonymous);
        assert_eq!(
            Credentials::default().sender(&stored(&kiosk_response("dev-1"))),
            Sender::Hold
        );
    }

    #[test]
    fn keyed_in_answers_wait_for_a_staff_token_and_never_go_anonymously() {
        let mut paper = kiosk_response("dev-1");
        paper.device = None;
        paper.seq = None;
        for channel in [
            Channel::Paper,
            Channel::Phone,
            Channel::Interview,
            Channel::Observation,
        ] {
            paper.channel = channel;
            let device_only = Credentials {
                device: Some(("dev-1".into(), "t-dev".into())),
                staff: None,
            };
            assert_eq!(
                device_only.sender(&stored(&paper)),
                Sender::Hold,
                "{channel:?}"
            );
            let staff = Credentials {
                staff: Some("t-staff".into()),
                ..device_only
            };
            assert_eq!(
                staff.sender(&stored(&paper)),
                Sender::Bearer("t-staff"),
                "{channel:?}"
            );
        }
    }

    #[test]
    fn a_record_whose_channel_cannot_be_read_waits_in_place() {
        let unreadable = StoredResponse::from(&kiosk_response("dev-1"));
        let mut value = serde_json::to_value(&unreadable).unwrap();
        value["channel"] = json!("carrier-pigeon");
        let unreadable: StoredResponse = serde_json::from_value(value).unwrap();
        assert_eq!(unreadable.channel(), None);
        assert_eq!(Credentials::default().sender(&unreadable), Sender::Hold);
        let staff = Credentials {
            device: None,
            staff: Some("t-staff".into()),
        };
        assert_eq!(staff.sender(&unreadable), Sender::Hold);
    }
}
