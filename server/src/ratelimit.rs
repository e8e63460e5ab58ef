//! Limits kept in memory: the anonymous response limit ([`RateLimiter`]: responses per client
//! address and point per minute) and the login throttle ([`LoginThrottle`]: failed logins per
//! login and client, and per client, per quarter of an hour), both counting in `Windows`.
//!
//! A fixed window is enough here: the limits exist to blunt ballot-stuffing from one phone and
//! password guessing, not to shape traffic, and a window is simple to explain to an operator
//! ("30 a minute", "5 wrong passwords a quarter of an hour"). A key's window opens at its first
//! event, so a burst is never split by a clock boundary into two budgets' worth.
//!
//! Both live in memory per instance: behind a load balancer each instance counts its own share
//! (N instances allow N budgets), and a restart forgets the counts. Keeping them out of the
//! database keeps a refused request from costing a write, and an attacker from filling a table.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// Closed windows are swept once the table holds more than this many keys, and after a sweep
/// not again until it has doubled. Sweeping at a fixed size rescanned the whole table on every
/// hit once more than 50,000 windows were open at once (many clients behind a trusted proxy,
/// as in scripts/bench-load.sh): a full scan under the lock per response, which held 200
/// clients' single responses to ~3,600/s instead of ~10,300/s (docs/benchmarks.md). Now each
/// sweep's cost is paid for by the inserts since the last, and memory stays within twice the
/// open windows.
const SWEEP_ABOVE: usize = 50_000;

/// One key's window: when it opened (seconds since the epoch, as `u32`: until 2106) and the
/// events counted in it. Eight bytes: the anonymous limiter holds one for every client and
/// point seen in the last minute or two.
#[derive(Clone, Copy)]
struct Window {
    opened: u32,
    count: u32,
}

const _: () = assert!(std::mem::size_of::<(u64, Window)>() == 16);

/// Seconds since the epoch as a [`Window`] holds them (saturating: before 1970 is 0).
fn epoch_seconds(at: DateTime<Utc>) -> u32 {
    u32::try_from(at.timestamp().max(0)).unwrap_or(u32::MAX)
}

/// Counts events per key in fixed windows of `seconds`, each opened by the key's first event.
struct Windows<K> {
    seconds: u32,
    open: Mutex<Table<K>>,
}

/// The windows and the size at which the next sweep is due.
struct Table<K> {
    windows: HashMap<K, Window>,
    sweep_above: usize,
}

impl<K: Eq + Hash + Clone> Windows<K> {
    /// Windows of `seconds` each.
    fn new(seconds: u32) -> Self {
        Self {
            seconds: seconds.max(1),
            open: Mutex::new(Table {
                windows: HashMap::new(),
                sweep_above: SWEEP_ABOVE,
            }),
        }
    }

    /// Counts one event against every key, each with its own limit, when none of them is full;
    /// otherwise counts nothing and returns the seconds until the last full window closes.
    ///
    /// All or nothing, under one lock: an event refused by one key does not use up another's
    /// budget, and concurrent events cannot all slip under a limit before any is counted.
    fn hit(&self, keys: &[(K, u32)], now: DateTime<Utc>) -> Option<u64> {
        let now = epoch_seconds(now);
        let mut table = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if table.windows.len() > table.sweep_above {
            table
                .windows
                .retain(|_, w| now < w.opened.saturating_add(self.seconds));
            table.sweep_above = SWEEP_ABOVE.max(2 * table.windows.len());
        }
        let open = &mut table.windows;
        let wait = keys
            .iter()
            .filter_map(|(key, limit)| {
                let w = open.get(key)?;
                let closes = w.opened.saturating_add(self.seconds);
                (now < closes && w.count >= *limit).then(|| u64::from((closes - now).max(1)))
            })
            .max();
        if wait.is_none() {
            for (key, _) in keys {
                let w = open.entry(key.clone()).or_insert(Window {
                    opened: now,
                    count: 0,
                });
                if now >= w.opened.saturating_add(self.seconds) {
                    *w = Window {
                        opened: now,
                        count: 0,
                    };
                }
                w.count += 1;
            }
        }
        wait
    }

    /// Takes back one counted event from each key: an event that turned out not to count.
    fn refund(&self, keys: &[K]) {
        let mut table = self.open.lock().unwrap_or_else(|e| e.into_inner());
        for key in keys {
            if let Some(w) = table.windows.get_mut(key) {
                w.count = w.count.saturating_sub(1);
            }
        }
    }
}

/// Counts anonymous responses per (client, point) in the current minute.
pub struct RateLimiter {
    per_minute: u32,
    /// Keyed by a 64-bit keyed hash of (client address, point code): 16 bytes a window with its
    /// key and no allocation. The table holds a window for every client seen in the last minute
    /// or two, 131,072 of them in the load benchmark, where the address, the code's hash and
    /// the window took 40 bytes (and before that, with a copy of the code, 64 and an allocation;
    /// docs/benchmarks.md). Two pairs share a window only if their hashes collide: one chance
    /// in 2⁶⁴ a pair.
    windows: Windows<u64>,
    /// Keys the hash of (client, point): random per process, so no one can pick a pair that
    /// shares another's window.
    keys: RandomState,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` items per client and point; 0 disables it.
    pub fn new(per_minute: u32) -> Self {
        Self {
            per_minute,
            windows: Windows::new(60),
            keys: RandomState::new(),
        }
    }

    /// Counts one item; `Some(seconds to wait)` when it is over the limit.
    pub fn hit(&self, ip: IpAddr, point: &str, now: DateTime<Utc>) -> Option<u64> {
        if self.per_minute == 0 {
            return None;
        }
        let client = match ip {
            IpAddr::V4(v4) => v4.to_ipv6_mapped(),
            IpAddr::V6(v6) => v6,
        };
        self.windows.hit(
            &[(
                self.keys.hash_one((client.octets(), point)),
                self.per_minute,
            )],
            now,
        )
    }
}

/// Failed logins allowed for one login from one client in a [`LOGIN_WINDOW_SECONDS`] window.
pub const FAILURES_PER_LOGIN: u32 = 5;
/// Failed logins allowed from one client, whatever the logins, in a [`LOGIN_WINDOW_SECONDS`]
/// window: it stops one address from trying one password on every login.
pub const FAILURES_PER_CLIENT: u32 = 20;
/// The login throttle's window: a quarter of an hour.
pub const LOGIN_WINDOW_SECONDS: u32 = 15 * 60;
/// No login is longer (`users::add_user` allows 2–64 bytes): longer names share one key.
const LONGEST_LOGIN: usize = 64;

/// What the login throttle counts against.
#[derive(Clone, PartialEq, Eq, Hash)]
enum LoginKey {
    /// One login tried from one client network.
    Login(String, IpAddr),
    /// Every login tried from one client network.
    Client(IpAddr),
}

/// Login throttling per login and per client, without a lockout a stranger can cause.
///
/// Every budget is keyed by the client: a login's own budget is counted per (login, client),
/// never for the login alone. A login-wide counter would be exactly the lockout this avoids —
/// anyone could spend it and keep the owner out from their own desk. So a stranger hammering a
/// login from one address is refused after [`FAILURES_PER_LOGIN`] tries, and the owner logging
/// in from another address is not affected at all. A guesser with many addresses gets
/// [`FAILURES_PER_LOGIN`] per address and window, each try costing an argon2 verification.
///
/// Attempts are counted on arrival (so parallel requests cannot all pass before any fails) and
/// given back unless the credentials were wrong, so colleagues behind one office NAT who log in
/// correctly use up nothing. An IPv6 client is its /64, the block one subscriber holds.
pub struct LoginThrottle {
    windows: Windows<LoginKey>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self {
            windows: Windows::new(LOGIN_WINDOW_SECONDS),
        }
    }
}

impl LoginThrottle {
    /// The keys an attempt of `login` from `client` counts against.
    fn keys(login: &str, client: IpAddr) -> [LoginKey; 2] {
        let mut end = login.len().min(LONGEST_LOGIN + 1);
        while !login.is_char_boundary(end) {
            end -= 1;
        }
        let network = subscriber(client);
        [
            LoginKey::Login(login[..end].to_owned(), network),
            LoginKey::Client(network),
        ]
    }

    /// Counts an attempt to log in as `login` from `client`; `Some(seconds to wait)` when one of
    /// its budgets is spent (the attempt is then not counted and must not be tried).
    pub fn attempt(&self, login: &str, client: IpAddr, now: DateTime<Utc>) -> Option<u64> {
        let [own, all] = Self::keys(login, client);
        self.windows.hit(
            &[(own, FAILURES_PER_LOGIN), (all, FAILURES_PER_CLIENT)],
            now,
        )
    }

    /// Gives back an attempt whose credentials were right (or that failed on our side).
    pub fn not_a_failure(&self, login: &str, client: IpAddr) {
        self.windows.refund(&Self::keys(login, client));
    }
}

/// The block one subscriber holds: an IPv4 address itself (an IPv4-mapped IPv6 address counts
/// as its IPv4 one), an IPv6 address's /64.
fn subscriber(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        },
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

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
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
    fn a_window_opens_at_the_first_event_not_at_a_clock_boundary() {
        let rl = RateLimiter::new(2);
        let a = ip("10.0.0.1");
        assert_eq!(rl.hit(a, "p", at(50)), None);
        assert_eq!(rl.hit(a, "p", at(59)), None);
        assert_eq!(
            rl.hit(a, "p", at(61)),
            Some(49),
            "the window opened at :50 lasts until :50 of the next minute"
        );
        assert_eq!(rl.hit(a, "p", at(110)), None, "then a new one opens");
    }

    #[test]
    fn open_windows_are_not_rescanned_on_every_hit_and_closed_ones_are_swept() {
        let windows = Windows::new(60);
        let tracked = |w: &Windows<u32>| {
            let table = w.open.lock().unwrap();
            (table.windows.len(), table.sweep_above)
        };
        for key in 0..=SWEEP_ABOVE as u32 {
            assert_eq!(windows.hit(&[(key, 1)], at(0)), None);
        }
        // Over the mark with every window open: the sweep keeps them all and moves the mark.
        assert_eq!(windows.hit(&[(u32::MAX, 1)], at(1)), None);
        assert_eq!(tracked(&windows), (SWEEP_ABOVE + 2, 2 * (SWEEP_ABOVE + 1)));
        // The next hits find the table under the new mark: no sweep, nothing dropped.
        assert_eq!(windows.hit(&[(u32::MAX - 1, 1)], at(2)), None);
        assert_eq!(tracked(&windows).0, SWEEP_ABOVE + 3);
        // Grown past the mark after the windows closed: they are swept, the mark falls back.
        let base = 2 * SWEEP_ABOVE as u32;
        for key in base..base + SWEEP_ABOVE as u32 {
            assert_eq!(windows.hit(&[(key, 1)], at(61)), None);
        }
        assert_eq!(windows.hit(&[(u32::MAX - 2, 1)], at(62)), None);
        let (left, mark) = tracked(&windows);
        assert!(left <= SWEEP_ABOVE + 1, "closed windows swept: {left} left");
        assert_eq!(mark, SWEEP_ABOVE.max(2 * (left - 1)));
        // A key whose window was swept starts afresh.
        assert_eq!(windows.hit(&[(0, 1)], at(63)), None);
    }

    #[test]
    fn an_ipv4_client_and_its_mapped_ipv6_form_share_one_budget() {
        let rl = RateLimiter::new(2);
        assert_eq!(rl.hit(ip("192.0.2.7"), "p", at(0)), None);
        assert_eq!(rl.hit(ip("::ffff:192.0.2.7"), "p", at(1)), None);
        assert_eq!(rl.hit(ip("192.0.2.7"), "p", at(2)), Some(58));
    }

    #[test]
    fn zero_disables_the_limit() {
        let rl = RateLimiter::new(0);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        assert!((0..1000).all(|_| rl.hit(a, "p", at(0)).is_none()));
    }

    #[test]
    fn an_event_refused_by_one_key_uses_up_no_other_keys_budget() {
        let w = Windows::new(60);
        assert_eq!(w.hit(&[("a", 1), ("b", 5)], at(0)), None);
        assert_eq!(w.hit(&[("a", 1), ("b", 5)], at(1)), Some(59));
        for s in 2..6 {
            assert_eq!(w.hit(&[("b", 5)], at(s)), None, "b still has 4 left");
        }
        assert_eq!(w.hit(&[("b", 5)], at(6)), Some(54));
    }

    #[test]
    fn a_login_is_throttled_per_client_and_its_owner_elsewhere_is_not() {
        let t = LoginThrottle::default();
        let (stranger, owner) = (ip("203.0.113.66"), ip("198.51.100.20"));
        for s in 0..5 {
            assert_eq!(t.attempt("ivanova", stranger, at(s)), None);
        }
        assert_eq!(
            t.attempt("ivanova", stranger, at(60)),
            Some(840),
            "the sixth try within the quarter hour waits for the window opened at 0"
        );
        assert_eq!(
            t.attempt("ivanova", owner, at(60)),
            None,
            "the owner elsewhere"
        );
        assert_eq!(
            t.attempt("ivanova", stranger, at(900)),
            None,
            "a new window"
        );
    }

    #[test]
    fn a_client_is_throttled_across_logins_and_right_passwords_use_up_nothing() {
        let t = LoginThrottle::default();
        let office = ip("192.0.2.1");
        for i in 0..100 {
            let login = format!("colleague-{i}");
            assert_eq!(t.attempt(&login, office, at(0)), None, "{login}");
            t.not_a_failure(&login, office);
        }
        for i in 0..20 {
            assert_eq!(t.attempt(&format!("guess-{i}"), office, at(1)), None);
        }
        assert_eq!(t.attempt("guess-20", office, at(2)), Some(898));
        assert_eq!(
            t.attempt("x", ip("192.0.2.2"), at(2)),
            None,
            "another client"
        );
    }

    #[test]
    fn an_ipv6_client_is_its_64_block_and_a_mapped_ipv4_its_address() {
        let t = LoginThrottle::default();
        for i in 0..5 {
            let addr = ip(&format!("2001:db8:1:2::{i:x}"));
            assert_eq!(t.attempt("ivanova", addr, at(0)), None);
        }
        assert!(t
            .attempt("ivanova", ip("2001:db8:1:2:ffff::1"), at(0))
            .is_some());
        assert_eq!(t.attempt("ivanova", ip("2001:db8:1:3::1"), at(0)), None);
        assert_eq!(subscriber(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
    }

    #[test]
    fn overlong_logins_share_one_key() {
        let t = LoginThrottle::default();
        let client = ip("192.0.2.9");
        let long = "я".repeat(40);
        for i in 0..5 {
            assert_eq!(t.attempt(&format!("{long}{i}"), client, at(0)), None);
        }
        assert!(t.attempt(&format!("{long}z"), client, at(0)).is_some());
    }
}
