//! The command line: `meritest [serve]`, `migrate`, `seed-demo`, `create-organisation`,
//! `import-instrument`.
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::domain::instrument::{parse_instrument, InstrumentError};
use crate::services::{demo, instruments};
use crate::startup::{build_context, Application};
use crate::store::organisations;
use crate::telemetry;

/// meritest: online psychometric test delivery for mass civil-servant competency assessment.
#[derive(Debug, Parser)]
#[command(name = "meritest", version, about)]
pub struct Cli {
    /// Configuration file (default: ./meritest.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do (default: serve).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Sub-commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (applies migrations; on an empty embedded database loads the demo).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo organisation, accounts and content into the database.
    SeedDemo {
        /// Password of every demo account (default: generated and printed).
        #[arg(long, env = "MERITEST_DEMO_PASSWORD")]
        password: Option<String>,
    },
    /// Create an organisation with its first administrator.
    CreateOrganisation {
        /// Short code, a–z 0–9 -.
        #[arg(long)]
        code: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// E-mail of its administrator.
        #[arg(long)]
        admin_email: String,
        /// Password of the administrator (default: generated and printed).
        #[arg(long, env = "MERITEST_ADMIN_PASSWORD")]
        admin_password: Option<String>,
    },
    /// Item response theory tools that need no server.
    Irt {
        /// What to do.
        #[command(subcommand)]
        command: IrtCommand,
    },
    /// Import an instrument file (meritest.instrument/1) into an organisation.
    ImportInstrument {
        /// Organisation code.
        #[arg(long)]
        organisation: String,
        /// Only check the file.
        #[arg(long)]
        dry_run: bool,
        /// The JSON file.
        file: PathBuf,
    },
}

/// The `irt` sub-commands.
#[derive(Debug, Subcommand)]
pub enum IrtCommand {
    /// Estimates θ and its standard error for each case of a JSON document (one case or an array;
    /// see `domain::irt::cases`), printing one JSON object per case on its own line.
    Score {
        /// The JSON file (default: standard input).
        file: Option<PathBuf>,
    },
}

/// Runs `meritest irt …`: pure computation, no settings, no logging on standard output.
fn run_irt(command: IrtCommand) -> anyhow::Result<()> {
    match command {
        IrtCommand::Score { file } => {
            let text = match &file {
                Some(path) => std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
                None => std::io::read_to_string(std::io::stdin()).context("cannot read stdin")?,
            };
            let answers = match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(doc) => crate::domain::irt::cases::score_all(doc),
                Err(e) => {
                    println!(
                        "{}",
                        serde_json::json!({"error": {"code": "invalid_json", "message": e.to_string()}})
                    );
                    std::process::exit(2);
                }
            };
            for a in answers {
                println!("{a}");
            }
            Ok(())
        }
    }
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = match cli.command {
        Some(Command::Irt { command }) => return run_irt(command),
        other => other.unwrap_or(Command::Serve),
    };
    let settings = Settings::load(cli.config.as_deref()).context("invalid configuration")?;
    telemetry::init(&settings.log);
    match command {
        Command::Irt { .. } => {}
        Command::Serve => {
            tracing::info!(
                database = settings.database_kind(),
                live = if settings.live.redis_url.is_some() {
                    "redis"
                } else {
                    "memory"
                },
                "starting"
            );
            let app = Application::build(settings).await?;
            if let Some(c) = app.credentials() {
                println!("{}", c.render());
            }
            let host = app.context().settings.server.host.clone();
            println!("meritest listening on http://{host}:{}", app.port());
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            build_context(settings).await?;
            println!("migrations applied");
        }
        Command::SeedDemo { password } => {
            let ctx = build_context(settings).await?;
            if organisations::find_by_code(&ctx.db, demo::ORGANISATION_CODE)
                .await?
                .is_some()
            {
                anyhow::bail!("the demo organisation already exists in this database");
            }
            let creds = demo::seed(&ctx, password.as_deref())
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            println!("{}", creds.render());
        }
        Command::CreateOrganisation {
            code,
            name,
            admin_email,
            admin_password,
        } => {
            let ctx = build_context(settings).await?;
            let (_, creds) = crate::services::organisations::create_organisation(
                &ctx,
                &code,
                &name,
                &admin_email,
                admin_password.as_deref(),
            )
            .await
            .map_err(|e| anyhow::anyhow!(e.message))?;
            println!("{}", creds.render());
        }
        Command::ImportInstrument {
            organisation,
            dry_run,
            file,
        } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let inst = match parse_instrument(&bytes) {
                Ok(i) => i,
                Err(InstrumentError::Syntax(m)) => {
                    anyhow::bail!("{} is not valid JSON: {m}", file.display())
                }
                Err(InstrumentError::Invalid(errs)) => {
                    for e in &errs {
                        eprintln!(
                            "  {} {}: {}",
                            e.item.as_deref().unwrap_or("-"),
                            e.field,
                            e.message
                        );
                    }
                    anyhow::bail!(
                        "{} has {} error(s); nothing was imported",
                        file.display(),
                        errs.len()
                    );
                }
            };
            let ctx = build_context(settings).await?;
            let org = organisations::find_by_code(&ctx.db, &organisation)
                .await?
                .with_context(|| format!("no organisation with the code {organisation}"))?;
            let out = instruments::import_valid(&ctx, org.id.into(), None, &inst, dry_run)
                .await
                .map_err(|e| anyhow::anyhow!(e.message))?;
            println!(
                "{} version {}: {} items{}",
                out.code,
                out.version,
                out.item_count,
                if dry_run {
                    " (valid; dry run)"
                } else {
                    " imported"
                }
            );
        }
    }
    Ok(())
}
