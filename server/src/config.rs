//! Settings: the options of every command and those of `serve`, declared once.
//!
//! The same structs are the command line (clap derive, each field with its `OTKLIK_*`
//! variable) and the settings built in code by tests and benchmarks ([`Settings::new`]), with
//! one set of defaults (the `DEFAULT_*` constants), so the CLI and the tests cannot drift apart.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;

use crate::proxy::Cidr;

/// Database of a command that names none.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://otklik.db";
/// Where `serve` listens by default.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
/// Anonymous responses per client address, point and minute.
pub const DEFAULT_ANON_RATE_LIMIT: u32 = 30;
/// Below this many answers a figure is flagged `low_n`.
pub const DEFAULT_MIN_N: u64 = 30;
/// Lifetime of a login token: one working day.
pub const DEFAULT_TOKEN_TTL_MINUTES: i64 = 480;
/// Seconds a new connection has to send its first request's head (README «Connection limits»).
pub const DEFAULT_REQUEST_HEAD_TIMEOUT: u64 = 5;
/// Seconds an idle keep-alive connection stays open.
pub const DEFAULT_KEEP_ALIVE: u64 = 5;
/// Seconds a connection being closed has to take the last bytes.
pub const DEFAULT_DISCONNECT_TIMEOUT: u64 = 1;

/// Options every command takes (global flags of `otklik`).
#[derive(Clone, Args)]
pub struct Common {
    /// Database: `sqlite://path` (created if missing) or `postgres://user@host/db`.
    #[arg(
        long,
        env = "OTKLIK_DATABASE_URL",
        default_value = DEFAULT_DATABASE_URL,
        global = true,
        hide_env_values = true
    )]
    pub database_url: String,
    /// Base URL that QR codes and printed links encode (default `http://<bind>`).
    #[arg(long, env = "OTKLIK_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
}

/// Options of `otklik serve`.
#[derive(Clone, Debug, Args)]
pub struct ServeOptions {
    /// Address to listen on; port 0 picks a free port (tests).
    #[arg(long, env = "OTKLIK_BIND", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,
    /// Load the demo data set if the database is empty.
    #[arg(long)]
    pub demo: bool,
    /// Anonymous (qr, link) responses accepted per client address and point per minute; 0 disables.
    #[arg(long, env = "OTKLIK_ANON_RATE_LIMIT", default_value_t = DEFAULT_ANON_RATE_LIMIT)]
    pub anon_rate_limit: u32,
    /// Minimum n below which figures are flagged `low_n` («мало ответов»).
    #[arg(long, env = "OTKLIK_MIN_N", default_value_t = DEFAULT_MIN_N)]
    pub min_n: u64,
    /// Secret for signing login tokens; by default one is generated and kept in the database.
    #[arg(long, env = "OTKLIK_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Lifetime of a login token, in minutes.
    #[arg(long, env = "OTKLIK_TOKEN_TTL_MINUTES", default_value_t = DEFAULT_TOKEN_TTL_MINUTES)]
    pub token_ttl_minutes: i64,
    /// Serve the PWA from this directory instead of the embedded copy (development).
    #[arg(long, env = "OTKLIK_PWA_DIR")]
    pub pwa_dir: Option<PathBuf>,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` name the client (address blocks,
    /// e.g. `10.0.0.0/8 ::1`; the variable takes them comma-separated). None by default: the
    /// peer is the client.
    #[arg(
        long = "trusted-proxy",
        env = "OTKLIK_TRUSTED_PROXIES",
        value_name = "CIDR",
        num_args = 1..,
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<Cidr>,
    /// Seconds a new connection has to send its first request's line and headers; a slower
    /// client (slowloris) gets 408 and is closed, so it cannot hold a connection for free.
    #[arg(
        long,
        env = "OTKLIK_REQUEST_HEAD_TIMEOUT",
        value_name = "SECONDS",
        default_value_t = DEFAULT_REQUEST_HEAD_TIMEOUT,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub request_head_timeout: u64,
    /// Seconds an idle keep-alive connection is kept open before the server closes it; 0 closes
    /// every connection after its response. Behind a proxy that reuses connections, set the
    /// proxy's idle timeout below this one.
    #[arg(long, env = "OTKLIK_KEEP_ALIVE", value_name = "SECONDS", default_value_t = DEFAULT_KEEP_ALIVE)]
    pub keep_alive: u64,
    /// Seconds a connection the server closes has to take its last bytes before it is dropped.
    #[arg(
        long,
        env = "OTKLIK_DISCONNECT_TIMEOUT",
        value_name = "SECONDS",
        default_value_t = DEFAULT_DISCONNECT_TIMEOUT,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub disconnect_timeout: u64,
    /// Serve Prometheus metrics at `/metrics` on this second address (e.g. `127.0.0.1:9464`);
    /// off by default. A separate listener, never the public port: the figures are operational
    /// data, and a firewall or a loopback bind keeps them in, with no token to rotate.
    #[arg(long, env = "OTKLIK_METRICS_BIND", value_name = "ADDR")]
    pub metrics_bind: Option<SocketAddr>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            demo: false,
            anon_rate_limit: DEFAULT_ANON_RATE_LIMIT,
            min_n: DEFAULT_MIN_N,
            jwt_secret: None,
            token_ttl_minutes: DEFAULT_TOKEN_TTL_MINUTES,
            pwa_dir: None,
            trusted_proxies: Vec::new(),
            request_head_timeout: DEFAULT_REQUEST_HEAD_TIMEOUT,
            keep_alive: DEFAULT_KEEP_ALIVE,
            disconnect_timeout: DEFAULT_DISCONNECT_TIMEOUT,
            metrics_bind: None,
        }
    }
}

/// Everything `serve` needs to know.
#[derive(Clone)]
pub struct Settings {
    /// Database and public URL.
    pub common: Common,
    /// Listening, limits, tokens, the PWA.
    pub serve: ServeOptions,
}

impl Settings {
    /// The command line's defaults around a database (tests and benchmarks adjust fields).
    pub fn new(database_url: impl Into<String>) -> Self {
        Self {
            common: Common {
                database_url: database_url.into(),
                public_url: None,
            },
            serve: ServeOptions::default(),
        }
    }

    /// The base URL of links and QR codes, without a trailing slash: `--public-url`, else
    /// `http://<bind>`.
    pub fn public_url(&self) -> String {
        self.common.public_url_or(&self.serve.bind)
    }
}

impl Common {
    /// `--public-url` without its trailing slash, else `http://<bind>`.
    pub fn public_url_or(&self, bind: &SocketAddr) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_owned()
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

impl std::fmt::Debug for Common {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Common")
            .field("database_url", &redact_url(&self.database_url))
            .field("public_url", &self.public_url)
            .finish()
    }
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let serve = ServeOptions {
            jwt_secret: self.serve.jwt_secret.as_ref().map(|_| "***".to_owned()),
            ..self.serve.clone()
        };
        f.debug_struct("Settings")
            .field("common", &self.common)
            .field("serve", &serve)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn passwords_in_database_urls_are_redacted() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://otklik.db"), "sqlite://otklik.db");
    }

    #[derive(Parser)]
    struct Probe {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        serve: ServeOptions,
    }

    #[test]
    fn the_command_lines_defaults_are_the_settings_defaults() {
        // Only a clean environment shows clap's defaults.
        if std::env::vars().any(|(k, _)| k.starts_with("OTKLIK_")) {
            return;
        }
        let parsed = Probe::parse_from(["otklik"]);
        let built = Settings::new(DEFAULT_DATABASE_URL);
        assert_eq!(parsed.common.database_url, built.common.database_url);
        assert_eq!(parsed.common.public_url, built.common.public_url);
        assert_eq!(format!("{:?}", parsed.serve), format!("{:?}", built.serve));
    }

    #[test]
    fn trusted_proxies_are_blocks_from_repeated_flags_or_a_comma_list() {
        let parsed = Probe::parse_from([
            "otklik",
            "--trusted-proxy",
            "10.0.0.0/8,::1",
            "--trusted-proxy",
            "192.168.0.1",
        ]);
        let shown: Vec<String> = parsed
            .serve
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["10.0.0.0/8", "::1/128", "192.168.0.1/32"]);
        assert!(Probe::try_parse_from(["otklik", "--trusted-proxy", "10.0.0.0/99"]).is_err());
    }

    #[test]
    fn the_public_url_loses_its_trailing_slash_and_defaults_to_the_bind_address() {
        let mut s = Settings::new("sqlite://x.db");
        assert_eq!(s.public_url(), "http://127.0.0.1:8080");
        s.common.public_url = Some("https://otklik.example.ru/".into());
        assert_eq!(s.public_url(), "https://otklik.example.ru");
    }
}
