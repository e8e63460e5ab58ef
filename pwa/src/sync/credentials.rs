//! Which credential uploads which response. Pure, so it is unit-tested on the host.
//!
//! Both bundles need it, the citizen one included: a browser has one outbox per origin, so a
//! kiosk tablet that opens `/q/<point>` runs the citizen bundle's uploader over the kiosk's
//! queued answers, which must go with the device token or wait — never anonymously.

use otklik_shared::answer::{Channel, NewResponse};

/// The tokens this browser holds for uploads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Credentials {
    /// The enrolled device's id and token.
    pub device: Option<(String, String)>,
    /// An operator's or official's token, entered in the operator panel to upload another
    /// device's imported queue.
    pub staff: Option<String>,
}

/// How one response may be uploaded now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Sender<'a> {
    /// With this bearer token.
    Bearer(&'a str),
    /// Without a token (`qr`, `link`).
    Anonymous,
    /// Not now: a kiosk response with no token that may send it. Sending it anyway would get it
    /// `rejected` for good, so it waits in the outbox for an operator to sign in.
    Hold,
}

impl Credentials {
    /// The sender for `response`: the device token for this device's answers, the staff token
    /// for another device's (an imported queue), nothing for citizen channels.
    pub fn sender(&self, response: &NewResponse) -> Sender<'_> {
        if response.channel != Channel::Kiosk {
            return Sender::Anonymous;
        }
        match (&self.device, &self.staff) {
            (Some((id, token)), _) if response.device.as_ref() == Some(id) => Sender::Bearer(token),
            (_, Some(staff)) => Sender::Bearer(staff),
            _ => Sender::Hold,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
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

    #[test]
    fn own_answers_go_with_the_device_token_and_imported_ones_need_staff() {
        let mut creds = Credentials {
            device: Some(("dev-1".into(), "t-dev".into())),
            staff: None,
        };
        assert_eq!(
            creds.sender(&kiosk_response("dev-1")),
            Sender::Bearer("t-dev")
        );
        assert_eq!(creds.sender(&kiosk_response("dev-2")), Sender::Hold);
        creds.staff = Some("t-staff".into());
        assert_eq!(
            creds.sender(&kiosk_response("dev-2")),
            Sender::Bearer("t-staff")
        );
        let mut citizen = kiosk_response("dev-1");
        citizen.channel = Channel::Qr;
        assert_eq!(creds.sender(&citizen), Sender::Anonymous);
        assert_eq!(
            Credentials::default().sender(&kiosk_response("dev-1")),
            Sender::Hold
        );
    }
}
