//! The `otklik` command line (`contract.md` §1): the CLI edge. Every command connects to the
//! database named by `--database-url` / `OTKLIK_DATABASE_URL` and runs the migrations first;
//! `serve` builds the whole application, the admin commands open only the database (and the
//! catalog where they need questionnaires) and call the same services as the API.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand};

use crate::catalog::Catalog;
use crate::config::{Common, ServeOptions, Settings, DEFAULT_BIND};
use crate::db::Database;
use crate::nsi::import::ImportKind;
use crate::orgs::csv::decode;
use crate::orgs::{add_orgs, parse_csv, NewOrg};
use crate::points::manage::point_url;
use crate::points::{add_point, NewPoint};
use crate::service_error::ServiceError;
use crate::startup::Application;
use crate::users::add_user;
use crate::{audit, backup, checklists, demo, devices, nsi};

/// Otklik: citizens' feedback in public institutions, НОК and НСИ figures, in one binary.
#[derive(Debug, Parser)]
#[command(name = "otklik", version)]
pub struct Cli {
    /// Database and public URL, for every command.
    #[command(flatten)]
    pub common: Common,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the PWA.
    Serve(ServeOptions),
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
    /// НОК data.
    #[command(subcommand)]
    Nok(NokCommand),
    /// НСИ data: bulk entry from CSV, all or nothing, errors naming the line.
    #[command(subcommand)]
    Nsi(NsiCommand),
}

/// `nsi` subcommands: each reads a CSV file (UTF-8 with or without BOM, or Windows-1251; `;`
/// or `,`) whose header the README's «НСИ» section lists.
#[derive(Debug, Subcommand)]
pub enum NsiCommand {
    /// Approved targets (each row appends a new version of its key).
    Targets {
        /// The CSV file.
        file: PathBuf,
    },
    /// Baselines (each row appends a new version of its key).
    Baselines {
        /// The CSV file.
        file: PathBuf,
    },
    /// Process-time measurements.
    TimeMeasurements {
        /// The CSV file.
        file: PathBuf,
    },
}

/// `nok` subcommands.
#[derive(Debug, Subcommand)]
pub enum NokCommand {
    /// Enter (or replace) an institution's expert checklist for a year from a JSON file in the
    /// body format of `PUT /api/v1/nok/checklists/{org}/{year}`.
    Checklist {
        /// Institution code.
        #[arg(long)]
        org: String,
        /// Assessment year.
        #[arg(long)]
        year: String,
        /// The checklist (JSON).
        file: PathBuf,
    },
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
        /// The CSV file: UTF-8 (with or without BOM) or Windows-1251, `,` or `;` separated.
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
    Verify {
        /// Also recount the rollups (what /stats reads) from the raw responses and check
        /// that every stored rollup row equals its recount.
        #[arg(long)]
        rollups: bool,
    },
    /// Rebuild every rollup from the raw responses in one transaction (after checking the
    /// log: rollups are rebuilt only from responses it vouches for).
    RepairRollups,
}

/// A one-line error for people: the service's message, naming the flag a rule is about.
fn human(e: ServiceError) -> anyhow::Error {
    match e {
        ServiceError::Internal(e) => e,
        ServiceError::Invalid {
            field: Some(field),
            message,
            ..
        } => anyhow::anyhow!("{message} ({})", flag_of(field)),
        other => anyhow::anyhow!("{other}"),
    }
}

/// The command-line flag that carries an input field.
fn flag_of(field: &str) -> String {
    match field {
        "password" => "--password-stdin".to_owned(),
        other => format!("--{}", other.replace('_', "-")),
    }
}

impl Cli {
    /// Runs the command.
    ///
    /// # Errors
    /// Whatever went wrong, as one human line.
    pub async fn run(self) -> anyhow::Result<()> {
        let command = match self.command {
            Command::Serve(serve) => {
                return run_serve(Settings {
                    common: self.common,
                    serve,
                })
                .await
            }
            other => other,
        };
        let db = Database::connect(&self.common.database_url).await?;
        let result = run_admin(&db, &self.common, command).await;
        db.close().await;
        result
    }
}

async fn run_admin(db: &Database, common: &Common, command: Command) -> anyhow::Result<()> {
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
            add_user(db, &login, password, &role, scope.as_deref())
                .await
                .map_err(human)?;
            println!("user {login} created");
        }
        Command::Org(OrgCommand::Add(args)) => {
            let org = NewOrg::from(args);
            let added = add_orgs(db, &[org], |_| "org".to_owned())
                .await
                .map_err(human)?;
            println!("org {} created", added[0].code);
        }
        Command::Org(OrgCommand::Import { file }) => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("Failed to read {}", file.display()))?;
            let rows = parse_csv(&decode(&bytes))
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let (lines, orgs): (Vec<usize>, Vec<NewOrg>) = rows.into_iter().unzip();
            let added = add_orgs(db, &orgs, |i| {
                format!("{} line {}", file.display(), lines[i])
            })
            .await
            // The message names the file and line; a flag would mean nothing here.
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{} orgs imported", added.len());
        }
        Command::Point(PointCommand::Add {
            code,
            org,
            questionnaire,
            life_situation,
            stage,
        }) => {
            let catalog = Catalog::open(db).await?;
            let point = add_point(
                db,
                &catalog,
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
            let bind = DEFAULT_BIND.parse().context("The default bind address")?;
            println!(
                "point {} created: {}",
                point.code,
                point_url(&common.public_url_or(&bind), &point.code)
            );
        }
        Command::Backup { to } => {
            backup::backup(db, &common.database_url, &to).await?;
            println!("backup written to {}", to.display());
        }
        Command::Device(DeviceCommand::Code {
            org,
            point,
            pin,
            ttl_minutes,
        }) => {
            let generated = pin.is_none();
            let req = devices::NewCode {
                org,
                point,
                pin,
                ttl_minutes: Some(ttl_minutes),
            };
            let minted = devices::mint_code(db, None, &req).await.map_err(human)?;
            if generated {
                println!("operator PIN: {}", minted.pin);
            }
            println!(
                "enrolment code (valid until {}): {}",
                minted.expires_at.format("%Y-%m-%d %H:%M UTC"),
                minted.code
            );
        }
        Command::Nok(NokCommand::Checklist { org, year, file }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("Failed to read {}", file.display()))?;
            let checklist = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("{}: not a checklist: {e}", file.display()))?;
            let methodology = otklik_shared::catalog::nok_methodology()
                .context("The НОК methodology does not load")?;
            let stored = checklists::put(db, &methodology, None, &org, &year, checklist)
                .await
                .map_err(human)?;
            let indicators: Vec<String> = stored
                .indicators
                .iter()
                .map(|(code, v)| format!("{code} = {v:.2}"))
                .collect();
            println!(
                "checklist of {} for {} stored: {}",
                stored.org,
                stored.year,
                indicators.join(", ")
            );
        }
        Command::Nsi(cmd) => {
            let (kind, file, what) = match cmd {
                NsiCommand::Targets { file } => (ImportKind::Targets, file, "targets"),
                NsiCommand::Baselines { file } => (ImportKind::Baselines, file, "baselines"),
                NsiCommand::TimeMeasurements { file } => {
                    (ImportKind::Measurements, file, "time measurements")
                }
            };
            let bytes = std::fs::read(&file)
                .with_context(|| format!("Failed to read {}", file.display()))?;
            let n = nsi::import::import(db, kind, &bytes)
                .await
                // The message names the lines; a flag would mean nothing here.
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            println!("{n} {what} imported");
        }
        Command::Audit(AuditCommand::Verify { rollups }) => {
            let catalog = Catalog::open(db).await?;
            match audit::verify(db, &catalog).await? {
                Ok(v) => println!(
                    "response log intact: {} records, {} responses",
                    v.records, v.responses
                ),
                Err(bad) => bail!("response log broken: {bad}"),
            }
            if rollups {
                match audit::verify_rollups(db, &catalog).await? {
                    Ok(c) => println!(
                        "rollups equal the recount of {} responses: {} rows",
                        c.responses, c.rows
                    ),
                    Err(bad) => bail!("rollups broken: {bad}"),
                }
            }
        }
        Command::Audit(AuditCommand::RepairRollups) => {
            let catalog = Catalog::open(db).await?;
            match audit::repair_rollups(db, &catalog).await? {
                Ok(n) => println!("rollups rebuilt from {n} responses"),
                Err(bad) => bail!("response log broken, rollups left as they are: {bad}"),
            }
        }
    }
    Ok(())
}

async fn run_serve(settings: Settings) -> anyhow::Result<()> {
    let demo_on = settings.serve.demo;
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
