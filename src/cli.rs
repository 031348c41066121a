//! The command line: `meritest [serve]`, `migrate`, `seed-demo`, `create-organisation`,
//! `import-instrument`, and the server-less `irt score|calibrate|simulate-responses` and `cat`
//! tools.
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
    /// Computerised adaptive testing tools that need no server: synthetic pools and simulation.
    Cat {
        /// What to do.
        #[command(subcommand)]
        command: CatCommand,
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
    /// Calibrates item parameters by marginal maximum likelihood (Bock–Aitkin EM) from a CSV of
    /// responses (header: item codes; cells 0/1, or Likert values 1..m for the GRM; empty:
    /// not answered), printing one JSON object (see `domain::irt::calibrate_file`).
    Calibrate {
        /// 1PL (one common a), 2PL, 3PL (Beta(5,17) prior on c) or GRM.
        #[arg(long, value_name = "1PL|2PL|3PL|GRM")]
        model: String,
        /// The number of Likert points m of the GRM (default: the largest value in the file).
        #[arg(long)]
        categories: Option<u8>,
        /// Fewest people with at least one answer.
        #[arg(long, default_value_t = 100)]
        min_respondents: usize,
        /// Most EM cycles.
        #[arg(long, default_value_t = 500)]
        max_iterations: u32,
        /// Stop when no parameter moves more than this in a cycle.
        #[arg(long, default_value_t = 1e-4)]
        tolerance: f64,
        /// A truth file of `simulate-responses`: adds the recovery RMSE and bias.
        #[arg(long, value_name = "FILE")]
        truth: Option<PathBuf>,
        /// The CSV file.
        file: PathBuf,
    },
    /// Writes to standard output a CSV of responses simulated (seeded) from drawn item
    /// parameters, for `calibrate` to recover them.
    SimulateResponses {
        /// 1PL, 2PL, 3PL or GRM.
        #[arg(long, value_name = "1PL|2PL|3PL|GRM")]
        model: String,
        /// Number of people.
        #[arg(long)]
        persons: usize,
        /// Number of items.
        #[arg(long)]
        items: usize,
        /// Likert points of the GRM's items.
        #[arg(long, default_value_t = 5)]
        categories: u8,
        /// The generator's seed.
        #[arg(long)]
        seed: u64,
        /// Where to write the true parameters (JSON).
        #[arg(long, value_name = "FILE")]
        truth: Option<PathBuf>,
    },
}

/// Prints a calibration error object and exits with status 2.
fn refuse(e: &crate::domain::irt::calibrate::CalibrationError) -> ! {
    println!("{}", crate::domain::irt::calibrate_file::error_json(e));
    std::process::exit(2);
}

/// The `cat` sub-commands.
#[derive(Debug, Subcommand)]
pub enum CatCommand {
    /// Writes a synthetic item pool (simulated parameters: b ~ N(0, 1), a = exp(N(0, 0.25²)),
    /// c ~ U(0.05, 0.25) for the 3PL) as a pool file (see `domain::irt::cat::pool`).
    Pool {
        /// Number of items.
        #[arg(long, default_value_t = 300)]
        items: usize,
        /// Seed of the generator.
        #[arg(long)]
        seed: u64,
        /// 1PL, 2PL or 3PL.
        #[arg(long, default_value = "2PL")]
        model: String,
        /// Scaling constant D.
        #[arg(long, default_value_t = crate::domain::irt::DEFAULT_D)]
        d: f64,
        /// Content tags given to the items in turn: TAG,TAG,…
        #[arg(long, value_delimiter = ',')]
        tags: Vec<String>,
        /// Write to this file (default: standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Simulates an adaptive test over a pool and prints its figures as one JSON object (RMSE,
    /// bias, lengths, RMSE by θ band, exposure, overlap, items never used).
    Simulate {
        /// The pool file.
        #[arg(long, value_name = "FILE")]
        pool: PathBuf,
        /// Number of simulees (θ ~ N(0, 1)).
        #[arg(long)]
        simulees: usize,
        /// Seed of the generators.
        #[arg(long)]
        seed: u64,
        /// Base CAT configuration as JSON (default: the documented defaults).
        #[arg(long, value_name = "FILE")]
        cat_config: Option<PathBuf>,
        /// Minimum test length.
        #[arg(long)]
        min_items: Option<usize>,
        /// Maximum test length.
        #[arg(long)]
        max_items: Option<usize>,
        /// SE target, or `none`.
        #[arg(long)]
        se: Option<String>,
        /// Start θ.
        #[arg(long, allow_hyphen_values = true)]
        start_theta: Option<f64>,
        /// Exposure control: none, randomesque:K or sh (Sympson–Hetter).
        #[arg(long)]
        exposure: Option<String>,
        /// Content balancing: TAG=P,TAG=P,… (proportions summing to 1).
        #[arg(long)]
        content: Option<String>,
        /// Sympson–Hetter target exposure rate r.
        #[arg(long, default_value_t = 0.25)]
        sh_rate: f64,
        /// Sympson–Hetter derivation rounds (default 10; given with a pool that has sh_k, the
        /// parameters are derived again).
        #[arg(long)]
        sh_rounds: Option<usize>,
        /// Write the pool with its Sympson–Hetter parameters to this file.
        #[arg(long, value_name = "FILE")]
        write_sh: Option<PathBuf>,
    },
}

/// Prints `{"error": {"code", "message"}}` and exits with status 2.
fn fail(code: &str, message: impl std::fmt::Display) -> ! {
    println!(
        "{}",
        serde_json::json!({"error": {"code": code, "message": message.to_string()}})
    );
    std::process::exit(2);
}

/// [`fail`] with a CAT error's code and message.
fn fail_cat(e: crate::domain::irt::cat::CatError) -> ! {
    fail(e.code(), e.message())
}

/// Runs `meritest cat …`: pure computation around file reads and writes, no settings; every
/// error is one JSON object on standard output and status 2.
fn run_cat(command: CatCommand) -> anyhow::Result<()> {
    use crate::domain::irt::cat::{command as cat, CatConfig, Pool};
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path)
            .unwrap_or_else(|e| fail("unreadable_file", format!("{}: {e}", path.display())))
    };
    let write = |path: &PathBuf, pool: &Pool| {
        let text = serde_json::to_string_pretty(&pool.to_file()).unwrap_or_default();
        if let Err(e) = std::fs::write(path, text + "\n") {
            fail("unwritable_file", format!("{}: {e}", path.display()));
        }
    };
    match command {
        CatCommand::Pool {
            items,
            seed,
            model,
            d,
            tags,
            out,
        } => {
            let model = cat::parse_model(&model).unwrap_or_else(|e| fail_cat(e));
            let pool = cat::run_pool(items, model, d, tags, seed).unwrap_or_else(|e| fail_cat(e));
            match out {
                Some(path) => write(&path, &pool),
                None => println!(
                    "{}",
                    serde_json::to_string_pretty(&pool.to_file()).unwrap_or_default()
                ),
            }
        }
        CatCommand::Simulate {
            pool,
            simulees,
            seed,
            cat_config,
            min_items,
            max_items,
            se,
            start_theta,
            exposure,
            content,
            sh_rate,
            sh_rounds,
            write_sh,
        } => {
            let pool = Pool::from_json(&read(&pool)).unwrap_or_else(|e| fail_cat(e));
            let base = cat_config.map(|path| {
                serde_json::from_str::<CatConfig>(&read(&path))
                    .unwrap_or_else(|e| fail("invalid_cat_config", e))
            });
            let opts = cat::SimulateOptions {
                simulees,
                seed,
                base,
                min_items,
                max_items,
                se,
                start_theta,
                exposure,
                content,
                sh_rate,
                sh_rounds,
            };
            if write_sh.is_some()
                && cat::config_of(&opts).map(|c| c.exposure)
                    != Ok(crate::domain::irt::cat::Exposure::SympsonHetter)
            {
                fail(
                    "invalid_cat_config",
                    "--write-sh needs --exposure sh (Sympson–Hetter)",
                );
            }
            let started = std::time::Instant::now();
            let out = cat::run_simulate(&pool, &opts).unwrap_or_else(|e| fail_cat(e));
            let mut report = out.report;
            report["elapsed_seconds"] =
                serde_json::json!((started.elapsed().as_secs_f64() * 1000.0).round() / 1000.0);
            if let Some(path) = write_sh {
                if let Some(p) = &out.pool_with_sh {
                    write(&path, p);
                }
            }
            println!("{report}");
        }
    }
    Ok(())
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
        IrtCommand::Calibrate {
            model,
            categories,
            min_respondents,
            max_iterations,
            tolerance,
            truth,
            file,
        } => {
            use crate::domain::irt::calibrate::{CalibrationModel, Settings};
            let model = CalibrationModel::parse(&model).unwrap_or_else(|e| refuse(&e));
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let truth = match &truth {
                Some(path) => Some(
                    std::fs::read_to_string(path)
                        .with_context(|| format!("cannot read {}", path.display()))?,
                ),
                None => None,
            };
            let settings = Settings {
                min_respondents,
                max_iterations,
                tolerance,
                ..Settings::default()
            };
            match crate::domain::irt::calibrate_file::calibrate_csv(
                &text,
                model,
                categories,
                &settings,
                truth.as_deref(),
            ) {
                Ok(out) => {
                    println!("{out}");
                    Ok(())
                }
                Err(e) => refuse(&e),
            }
        }
        IrtCommand::SimulateResponses {
            model,
            persons,
            items,
            categories,
            seed,
            truth,
        } => {
            use crate::domain::irt::calibrate::CalibrationModel;
            let model = CalibrationModel::parse(&model).unwrap_or_else(|e| refuse(&e));
            let (csv, t) = crate::domain::irt::calibrate_file::simulate_csv(
                model,
                persons,
                items,
                categories,
                crate::domain::irt::DEFAULT_D,
                seed,
            )
            .unwrap_or_else(|e| refuse(&e));
            if let Some(path) = &truth {
                std::fs::write(path, serde_json::to_string_pretty(&t)? + "\n")
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            print!("{csv}");
            Ok(())
        }
    }
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let command = match cli.command {
        Some(Command::Irt { command }) => return run_irt(command),
        Some(Command::Cat { command }) => return run_cat(command),
        other => other.unwrap_or(Command::Serve),
    };
    let settings = Settings::load(cli.config.as_deref()).context("invalid configuration")?;
    telemetry::init(&settings.log);
    match command {
        Command::Irt { .. } | Command::Cat { .. } => {}
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
