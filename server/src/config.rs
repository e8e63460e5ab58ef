//! Settings of `otklik serve`, constructible in code so tests need no environment juggling.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything `serve` needs to know.
#[derive(Clone)]
pub struct Settings {
    /// Database URL (`sqlite://…` or `postgres://…`).
    pub database_url: String,
    /// Address to listen on; port 0 picks a free port (tests).
    pub bind: SocketAddr,
    /// Base URL that QR codes and links encode; `http://<bind>` when not set.
    pub public_url: Option<String>,
    /// Load the demo data set if the database is empty.
    pub demo: bool,
    /// Anonymous responses accepted per client address and point per minute; 0 disables.
    pub anon_rate_limit: u32,
    /// Below this many answers a figure is flagged `low_n` («мало ответов»).
    pub min_n: u64,
    /// JWT signing secret; generated and stored in the database when not set.
    pub jwt_secret: Option<String>,
    /// How long a login token lives, in minutes.
    pub token_ttl_minutes: i64,
    /// Serve the PWA from this directory instead of the copy embedded in the binary (development).
    pub pwa_dir: Option<PathBuf>,
}

impl Settings {
    /// Defaults around a database: what CLI commands other than `serve` and the tests use —
    /// a free port on loopback, no rate limit, minimum n 30.
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_url: None,
            demo: false,
            anon_rate_limit: 0,
            min_n: 30,
            jwt_secret: None,
            token_ttl_minutes: 60,
            pwa_dir: None,
        }
    }
}

/// The database URL with any password replaced, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("bind", &self.bind)
            .field("public_url", &self.public_url)
            .field("demo", &self.demo)
            .field("anon_rate_limit", &self.anon_rate_limit)
            .field("min_n", &self.min_n)
            .field("jwt_secret", &self.jwt_secret.as_ref().map(|_| "***"))
            .field("token_ttl_minutes", &self.token_ttl_minutes)
            .field("pwa_dir", &self.pwa_dir)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://otklik.db"), "sqlite://otklik.db");
    }
}
