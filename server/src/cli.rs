//! The `otklik` command line (`contract.md` §1). Every command connects to the database named
//! by `--database-url` / `OTKLIK_DATABASE_URL` and runs the migrations first.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};

use crate::config::Settings;
use crate::error::ApiError;
use crate::orgs::{add_orgs, parse_csv, NewOrg};
use crate::points::{add_point, add_user, NewPoint};
use crate::startup::{AppState, Application};
use crate::{audit, backup, demo};

/// Otklik: citizens' feedback in public institutions, НОК and НСИ figures, in one binary.
#[derive(Debug, Parser)]
#[command(name = "otklik", version)]
pub struct Cli {
    /// Database: `sqlite://path` (created if missing) or `postgres://user@host/db`.
    #[arg(
        long,
        env = "OTKLIK_DATABASE_URL",
        default_value = "sqlite://otklik.db",
        global = true,
        hide_env_values = true
    )]
    pub database_url: String,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the PWA.
    Serve(ServeArgs),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the org tree.
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage survey points.
    #[command(subcommand)]
    Point(PointCommand),
    /// Write a consistent copy of the database while `serve` keeps running.
    Backup {
        /// Target file (must not exist).
        #[arg(long)]
        to: PathBuf,
    },
    /// Check the response log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Kiosk devices.
    #[command(subcommand)]
    Device(DeviceCommand),
}

/// `device` subcommands.
#[derive(Debug, Subcommand)]
pub enum DeviceCommand {
    /// Mint a one-time enrolment code; prints the PIN (if generated) and the code as the last word.
    Code {
        /// Org (institution or department) the tablet will belong to.
        #[arg(long)]
        org: String,
        /// Point the kiosk will run (else the operator picks one on the tablet).
        #[arg(long)]
        point: Option<String>,
        /// Operator PIN, 4–8 digits (random when absent).
        #[arg(long)]
        pin: Option<String>,
        /// Minutes the code stays valid.
        #[arg(long, default_value_t = 60)]
        ttl_minutes: i64,
    },
}

/// Options of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "OTKLIK_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Base URL encoded in QR codes and links (default `http://<bind>`).
    #[arg(long, env = "OTKLIK_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Load the demo data set if the database is empty.
    #[arg(long)]
    pub demo: bool,
    /// Anonymous (qr, link) responses accepted per client address and point per minute; 0 disables.
    #[arg(long, env = "OTKLIK_ANON_RATE_LIMIT", default_value_t = 30)]
    pub anon_rate_limit: u32,
    /// Minimum n below which figures are flagged `low_n` («мало ответов»).
    #[arg(long, env = "OTKLIK_MIN_N", default_value_t = 30)]
    pub min_n: u64,
    /// Secret for signing login tokens; by default one is generated and kept in the database.
    #[arg(long, env = "OTKLIK_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Lifetime of a login token, in minutes.
    #[arg(long, env = "OTKLIK_TOKEN_TTL_MINUTES", default_value_t = 480)]
    pub token_ttl_minutes: i64,
    /// Serve the PWA from this directory instead of the embedded copy (development).
    #[arg(long, env = "OTKLIK_PWA_DIR")]
    pub pwa_dir: Option<PathBuf>,
}

/// `user` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; the password is read from the first line of standard input.
    Add {
        /// Login name.
        #[arg(long)]
        login: String,
        /// Role: admin, official, observer or operator.
        #[arg(long)]
        role: String,
        /// Org code the user is limited to (every role but admin).
        #[arg(long)]
        scope: Option<String>,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

/// `org` subcommands.
#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create one org unit.
    Add(OrgArgs),
    /// Import orgs from CSV, all or nothing (header `code,name,kind,parent,sector,tz[,settlement,bus_gov_id]`).
    Import {
        /// The CSV file (UTF-8).
        file: PathBuf,
    },
}

/// Options of `org add`.
#[derive(Debug, Args)]
pub struct OrgArgs {
    /// Code.
    #[arg(long)]
    pub code: String,
    /// Name.
    #[arg(long)]
    pub name: String,
    /// region, municipality, authority, institution or department.
    #[arg(long)]
    pub kind: String,
    /// Parent org code.
    #[arg(long)]
    pub parent: Option<String>,
    /// social, health, education, culture, employment, sport or other.
    #[arg(long)]
    pub sector: Option<String>,
    /// IANA time zone (default: the parent's, else Europe/Moscow).
    #[arg(long)]
    pub tz: Option<String>,
    /// urban or rural.
    #[arg(long)]
    pub settlement: Option<String>,
    /// bus.gov.ru id.
    #[arg(long)]
    pub bus_gov_id: Option<String>,
}

impl From<OrgArgs> for NewOrg {
    fn from(a: OrgArgs) -> Self {
        NewOrg {
            code: a.code,
            name: a.name,
            kind: a.kind,
            parent: a.parent,
            sector: a.sector,
            tz: a.tz,
            settlement: a.settlement,
            bus_gov_id: a.bus_gov_id,
        }
    }
}

/// `point` subcommands.
#[derive(Debug, Subcommand)]
pub enum PointCommand {
    /// Create a survey point (a QR target).
    Add {
        /// Code.
        #[arg(long)]
        code: String,
        /// Org code (institution or department).
        #[arg(long)]
        org: String,
        /// Questionnaire id.
        #[arg(long)]
        questionnaire: String,
        /// Life situation code.
        #[arg(long)]
        life_situation: Option<String>,
        /// Stage code of the life situation.
        #[arg(long)]
        stage: Option<String>,
    },
}

/// `audit` subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify the hash chain of the response log; exit 0 when intact.
    Verify,
}

/// A one-line error for people: the API error's message, without envelope.
fn human(e: ApiError) -> anyhow::Error {
    match e {
        ApiError::Internal(e) => e,
        other => anyhow::anyhow!("{other}"),
    }
}

impl Cli {
    /// Runs the command.
    ///
    /// # Errors
    /// Whatever went wrong, as one human line.
    pub async fn run(self) -> anyhow::Result<()> {
        if let Command::Serve(args) = self.command {
            return serve(self.database_url, args).await;
        }
        let state = AppState::open(Settings::new(self.database_url.clone())).await?;
        let result = run_admin(&state, &self.database_url, self.command).await;
        state.db.close().await;
        result
    }
}

async fn run_admin(state: &AppState, database_url: &str, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(_) => unreachable!("handled by Cli::run"),
        Command::User(UserCommand::Add {
            login,
            role,
            scope,
            password_stdin: _,
        }) => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("Failed to read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            add_user(state, &login, password, &role, scope.as_deref())
                .await
                .map_err(human)?;
            println!("user {login} created");
        }
        Command::Org(OrgCommand::Add(args)) => {
            let org = NewOrg::from(args);
            let added = add_orgs(&state.db, &[org], |_| "org".to_owned())
                .await
                .map_err(human)?;
            println!("org {} created", added[0].code);
        }
        Command::Org(OrgCommand::Import { file }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("Failed to read {}", file.display()))?;
            let rows = parse_csv(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let (lines, orgs): (Vec<usize>, Vec<NewOrg>) = rows.into_iter().unzip();
            let added = add_orgs(&state.db, &orgs, |i| {
                format!("{} line {}", file.display(), lines[i])
            })
            .await
            .map_err(human)?;
            println!("{} orgs imported", added.len());
        }
        Command::Point(PointCommand::Add {
            code,
            org,
            questionnaire,
            life_situation,
            stage,
        }) => {
            let point = add_point(
                state,
                &NewPoint {
                    code,
                    org,
                    questionnaire,
                    life_situation,
                    stage,
                },
            )
            .await
            .map_err(human)?;
            println!(
                "point {} created: {}/q/{}",
                point.code, state.public_url, point.code
            );
        }
        Command::Backup { to } => {
            backup::backup(&state.db, database_url, &to).await?;
            println!("backup written to {}", to.display());
        }
        Command::Device(DeviceCommand::Code {
            org,
            point,
            pin,
            ttl_minutes,
        }) => {
            let generated = pin.is_none();
            let req = crate::devices::NewCode {
                org,
                point,
                pin,
                ttl_minutes: Some(ttl_minutes),
            };
            let minted = crate::devices::mint_code(state, None, &req)
                .await
                .map_err(human)?;
            if generated {
                println!("operator PIN: {}", minted.pin);
            }
            println!(
                "enrolment code (valid until {}): {}",
                minted.expires_at.format("%Y-%m-%d %H:%M UTC"),
                minted.code
            );
        }
        Command::Audit(AuditCommand::Verify) => match audit::verify(state).await? {
            Ok(v) => println!(
                "response log intact: {} records, {} responses",
                v.records, v.responses
            ),
            Err(bad) => bail!("response log broken: {bad}"),
        },
    }
    Ok(())
}

async fn serve(database_url: String, args: ServeArgs) -> anyhow::Result<()> {
    let settings = Settings {
        database_url,
        bind: args.bind,
        public_url: args.public_url,
        demo: args.demo,
        anon_rate_limit: args.anon_rate_limit,
        min_n: args.min_n,
        jwt_secret: args.jwt_secret,
        token_ttl_minutes: args.token_ttl_minutes,
        pwa_dir: args.pwa_dir,
    };
    let demo_on = settings.demo;
    let app = Application::build(settings).await?;
    println!("Otklik is serving on {}", app.public_url());
    if demo_on {
        println!("Demo survey: {}/q/mfc-center-1", app.public_url());
        for (login, password, role, _) in demo::USERS {
            println!("Demo login ({role}): {login} / {password}");
        }
    }
    app.run_until_stopped().await
}
