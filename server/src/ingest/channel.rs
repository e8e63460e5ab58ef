//! Who may send what on which channel: anonymous channels carry no device; staff channels need
//! a staff token allowed to key in that channel at the point (a walk-through is
//! `RecordObservations`, paper and phone `UploadStaffChannels`); kiosk items need their device's own
//! token, or a staff token covering the device's org.

use std::collections::HashMap;

use otklik_shared::access::{action_to_key, Action, Denied};
use otklik_shared::answer::{Channel, NewResponse};

use super::{Reject, Sender};
use crate::db::devices::DeviceRow;
use crate::db::points::PointRow;
use crate::service_error::ServiceError;

/// Channel rules: anonymous channels carry no device; staff channels need a staff token in the
/// point's scope; kiosk items need their device's own token, or a staff token covering the
/// device's org (a tablet's exported queue uploaded from elsewhere), and a point in the device's org.
pub(super) fn check(
    item: &NewResponse,
    point: &PointRow,
    sender: &Sender<'_>,
    devices: &HashMap<String, DeviceRow>,
) -> Result<(), Reject> {
    let has_device = item.device.is_some() || item.seq.is_some();
    match item.channel {
        Channel::Kiosk => {
            let (Some(device), Some(1..)) = (&item.device, item.seq) else {
                return Err(Reject::new(
                    "missing_device",
                    "kiosk responses carry device and seq (from 1)",
                ));
            };
            let row = match sender.device {
                Some(own) if &own.id == device => own,
                _ => {
                    let row = devices.get(device).ok_or_else(|| {
                        Reject::new(
                            "unauthorized",
                            "kiosk responses need the enrolled device's token",
                        )
                    })?;
                    if row.revoked_at.is_some() {
                        return Err(Reject::new("device_revoked", "this device was revoked"));
                    }
                    match sender.caller {
                        Some(c) if c.require(Action::UploadStaffChannels, row).is_ok() => row,
                        _ => {
                            return Err(Reject::new(
                                "unauthorized",
                                "kiosk responses need the enrolled device's token",
                            ))
                        }
                    }
                }
            };
            if !row.org_path.covers(&point.org_path) {
                return Err(Reject::new(
                    "out_of_scope",
                    format!("point {} is not in the device's org", point.code),
                ));
            }
            Ok(())
        }
        _ if has_device => Err(Reject::new(
            "unexpected_device",
            "device and seq belong to kiosk responses only",
        )),
        c if c.needs_staff() => match sender.caller {
            None => Err(Reject::new(
                "unauthorized",
                format!("{} responses need a staff token", c.as_str()),
            )),
            Some(caller) => caller.require(action_to_key(c), point).map_err(|e| {
                let code = match &e {
                    ServiceError::Denied {
                        denied: Denied::Role(_),
                        ..
                    } => "forbidden",
                    _ => "out_of_scope",
                };
                Reject::new(code, e.to_string())
            }),
        },
        _ => Ok(()),
    }
}
