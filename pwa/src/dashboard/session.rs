//! Who is signed in: the token `POST /api/v1/auth/login` gave, kept for the tab's life.
//!
//! The token lives in `sessionStorage`, on purpose:
//! - a reload or a bookmark opened in the same tab keeps the official signed in, so the view
//!   in the address survives (a token only in memory would sign out on every reload);
//! - it dies with the tab and is not shared with other tabs or written to disk for later
//!   visits, which matters on a shared office PC: closing the window ends the session, where
//!   `localStorage` would leave a token that reads a whole region's results for whoever sits
//!   down next; and other tabs of the same origin (a citizen survey, a kiosk) never see it;
//! - it is readable by the page's scripts like any web storage, so what protects it from
//!   injected script is the CSP (`script-src 'self'`, no inline scripts) and short token
//!   lifetimes, not the storage.
//!
//! A token can end three ways: «Выйти» ([`SessionContext::sign_out`]), its expiry time, and
//! the server refusing it (401: expired, revoked, the user disabled). The last two are
//! [`SessionContext::expire`]: the sign-in screen returns with a note, the address is left as
//! it was, and signing in again reopens the same view.

use leptos::prelude::*;
use otklik_shared::api::LoginReply;
use otklik_shared::org::Role;
use serde::{Deserialize, Serialize};

use crate::browser;

/// The `sessionStorage` key of the signed-in session.
const KEY: &str = "otklik.dashboard.session";

/// A signed-in staff member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// The bearer token.
    pub token: String,
    /// The login typed at sign-in (shown in the top bar).
    pub login: String,
    /// The role, which decides the sections offered.
    pub role: Role,
    /// The scope's org code; `None` for an admin.
    pub scope: Option<String>,
    /// When the token stops working (RFC 3339), as the server said.
    pub expires_at: String,
}

impl Session {
    /// The session a login reply starts; `None` for a role this client does not know (a newer
    /// server), which the sign-in screen reports rather than guessing what it may show.
    pub fn from_reply(login: &str, reply: LoginReply) -> Option<Self> {
        Some(Self {
            role: Role::parse(&reply.role)?,
            token: reply.token,
            login: login.to_owned(),
            scope: reply.scope,
            expires_at: reply.expires_at,
        })
    }

    /// Whether the token's expiry time has passed at `now_ms` (ms since the epoch). An
    /// unreadable time counts as not expired: the server's 401 still ends the session.
    pub fn expired_at(&self, now_ms: f64) -> bool {
        chrono::DateTime::parse_from_rfc3339(&self.expires_at)
            .is_ok_and(|t| (t.timestamp_millis() as f64) <= now_ms)
    }
}

/// How the last session ended, for the sign-in screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The person pressed «Выйти».
    SignedOut,
    /// The token expired or the server refused it.
    Expired,
}

/// The signed-in session, shared by the dashboard's components.
#[derive(Debug, Clone, Copy)]
pub struct SessionContext {
    current: RwSignal<Option<Session>>,
    ended: RwSignal<Option<Ending>>,
    /// Set by a sign-in, taken by the first screen that opens after it (to move the focus).
    arrived: StoredValue<bool>,
}

impl SessionContext {
    /// The current session (reactive).
    pub fn get(self) -> Option<Session> {
        self.current.get()
    }

    /// How the previous session ended, if one did in this tab (reactive).
    pub fn ended(self) -> Option<Ending> {
        self.ended.get()
    }

    /// Starts `session` and keeps it for reloads.
    pub fn start(self, session: Session) {
        if let Ok(json) = serde_json::to_string(&session) {
            browser::session_set(KEY, &json);
        }
        self.ended.set(None);
        self.arrived.set_value(true);
        self.current.set(Some(session));
    }

    /// Whether a sign-in just happened; true once per sign-in.
    pub fn take_arrival(self) -> bool {
        let arrived = self.arrived.get_value();
        self.arrived.set_value(false);
        arrived
    }

    /// «Выйти»: forgets the token.
    pub fn sign_out(self) {
        self.end(Ending::SignedOut);
    }

    /// The token no longer works: back to the sign-in, with the view left in the address.
    pub fn expire(self) {
        self.end(Ending::Expired);
    }

    fn end(self, how: Ending) {
        browser::session_remove(KEY);
        self.ended.set(Some(how));
        self.current.set(None);
    }
}

/// Provides the [`SessionContext`], resuming the tab's session unless its time is up.
pub fn provide_session_context() -> SessionContext {
    let stored =
        browser::session_get(KEY).and_then(|json| serde_json::from_str::<Session>(&json).ok());
    let (current, ended) = match stored {
        Some(s) if s.expired_at(browser::now_ms()) => {
            browser::session_remove(KEY);
            (None, Some(Ending::Expired))
        }
        other => (other, None),
    };
    let context = SessionContext {
        current: RwSignal::new(current),
        ended: RwSignal::new(ended),
        arrived: StoredValue::new(false),
    };
    provide_context(context);
    context
}

/// The [`SessionContext`] provided by [`provide_session_context`].
pub fn use_session() -> SessionContext {
    expect_context::<SessionContext>()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(role: &str) -> LoginReply {
        LoginReply {
            token: "t".into(),
            expires_at: "2026-12-04T10:00:00Z".into(),
            role: role.into(),
            scope: Some("demo".into()),
        }
    }

    #[test]
    fn a_reply_with_a_known_role_starts_a_session() {
        let s = Session::from_reply("official", reply("official")).unwrap();
        assert_eq!(s.role, Role::Official);
        assert_eq!(s.scope.as_deref(), Some("demo"));
        assert_eq!(s.login, "official");
        assert_eq!(Session::from_reply("x", reply("superuser")), None);
    }

    #[test]
    fn expiry_is_read_from_the_servers_time() {
        let s = Session::from_reply("o", reply("observer")).unwrap();
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00Z")
            .unwrap()
            .timestamp_millis() as f64;
        assert!(!s.expired_at(at - 1.0));
        assert!(s.expired_at(at));
        let unreadable = Session {
            expires_at: "soon".into(),
            ..s
        };
        assert!(!unreadable.expired_at(f64::MAX));
    }
}
