//! The anonymous rate limit: responses per client address and point per minute.
//!
//! A fixed one-minute window is enough here: the limit exists to blunt ballot-stuffing from one
//! phone, not to shape traffic, and a window is simple to explain to an operator ("30 a minute").
//! It lives in memory per instance; behind a load balancer each instance counts its own share.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// Counts anonymous responses per (client, point) in the current minute.
pub struct RateLimiter {
    per_minute: u32,
    windows: Mutex<HashMap<(IpAddr, String), (i64, u32)>>,
}

/// Beyond this many tracked keys, stale windows are swept on the next hit.
const SWEEP_ABOVE: usize = 50_000;

impl RateLimiter {
    /// A limiter allowing `per_minute` items per client and point; 0 disables it.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one item; `Some(seconds to wait)` when it is over the limit.
    pub fn hit(&self, ip: IpAddr, point: &str, now: DateTime<Utc>) -> Option<u64> {
        if self.per_minute == 0 {
            return None;
        }
        let minute = now.timestamp().div_euclid(60);
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > SWEEP_ABOVE {
            windows.retain(|_, (m, _)| *m == minute);
        }
        let entry = windows.entry((ip, point.to_owned())).or_insert((minute, 0));
        if entry.0 != minute {
            *entry = (minute, 0);
        }
        entry.1 += 1;
        (entry.1 > self.per_minute).then(|| (60 - now.timestamp().rem_euclid(60)).max(1) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0) // 1_800_000_000 is a whole minute
            .unwrap()
    }

    #[test]
    fn the_limit_applies_per_client_and_point_and_resets_each_minute() {
        let rl = RateLimiter::new(2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(rl.hit(a, "p", at(0)), None);
        assert_eq!(rl.hit(a, "p", at(1)), None);
        assert_eq!(rl.hit(a, "p", at(15)), Some(45));
        assert_eq!(
            rl.hit(a, "q", at(15)),
            None,
            "another point has its own budget"
        );
        assert_eq!(
            rl.hit(b, "p", at(15)),
            None,
            "another client has its own budget"
        );
        assert_eq!(rl.hit(a, "p", at(60)), None, "a new minute starts afresh");
    }

    #[test]
    fn zero_disables_the_limit() {
        let rl = RateLimiter::new(0);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        assert!((0..1000).all(|_| rl.hit(a, "p", at(0)).is_none()));
    }
}
