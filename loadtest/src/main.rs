//! meritest load generator, open-loop (see `open_loop`). Scenarios:
//! - `bank`: staff item-bank reads (an authenticated `GET /api/v1/instruments`);
//! - `answers`: the candidate answer path. It sets up a battery, a campaign and N enrolled
//!   candidates through the HR API, signs every candidate in, starts their section, then sends
//!   answers (`PUT /api/v1/candidate/answers`) at a fixed rate spread over the candidates.
//! - `room`: the answers scenario with a proctor watching the room's live feed and every
//!   candidate's page stream open; measures the delay from an answer's acknowledgement to the
//!   changed row reaching the proctor.
//! - `start`: a lobby session of N candidates, all signed in with their page streams open;
//!   admits them in bursts, starts the session, measures until every page has heard, then has
//!   every candidate load the section at once.
//! - `adaptive`: N candidates in the demo's adaptive section; each step answers the current item
//!   and reads the section for the next one the server chose.
//! - `crowd`: N candidates (10,000 in the figures) answering at a candidate's pace with their
//!   page streams open, a proctor watching one room, faults run on a schedule; every
//!   acknowledgement is checked against what the server stored.
//! - `saturation`: rising answer rates against the nodes and against `meritest-baseline` (the
//!   storage work of an answer alone) in the same run; the highest each holds, and the ratio.
//!
//! Traffic goes only to loopback addresses, is bounded in count and time, and stops by itself.
mod adaptive;
mod crowd;
mod open_loop;
mod processes;
mod proctoring;
mod saturation;

use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Parser, ValueEnum};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Scenario {
    /// Staff item-bank reads.
    Bank,
    /// Candidates' answers.
    Answers,
    /// Answers with a proctor's live room feed and every page stream open.
    Room,
    /// A lobby session's synchronised start.
    Start,
    /// Steps of the demo's adaptive section (an answer, then the next item).
    Adaptive,
    /// Thousands of candidates at a candidate's pace, page streams open, a proctor watching one
    /// room, faults injected on a schedule, every acknowledgement checked at the end.
    Crowd,
    /// Rising answer rates against the nodes and, in the same run, against `meritest-baseline`
    /// (`--baseline-url`): the highest each holds with p99 ≤ 50 ms, and their ratio.
    Saturation,
}

#[derive(Debug, Parser)]
#[command(
    name = "meritest-loadtest",
    about = "Open-loop load generator for meritest (loopback only)"
)]
struct Args {
    /// What to load.
    #[arg(long, value_enum, default_value = "bank")]
    scenario: Scenario,
    /// Base URL of a meritest node on this machine.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    /// Staff e-mail to sign in with (HR: the answers scenario creates a campaign).
    #[arg(long, default_value = "hr@demo.meritest.id")]
    email: String,
    /// Its password.
    #[arg(long, env = "MERITEST_LOADTEST_PASSWORD")]
    password: String,
    /// Requests per second to schedule.
    #[arg(long, default_value_t = 200)]
    rate: u32,
    /// Seconds to run (at most 600).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent requests allowed in flight at most.
    #[arg(long, default_value_t = 512)]
    max_in_flight: usize,
    /// Candidates of the answers, room and start scenarios.
    #[arg(long, default_value_t = 200)]
    candidates: u32,
    /// The server's process id, to report the CPU it used during the run (room scenario).
    #[arg(long)]
    server_pid: Option<u32>,
    /// Another node of the same deployment for the proctor's feed (room scenario): the
    /// candidates answer on `--base-url`, the proctor watches here.
    #[arg(long)]
    watch_url: Option<String>,
    /// Candidates per session (room); a campaign of more has several sessions.
    #[arg(long, default_value_t = 2000)]
    room_size: u32,
    /// Crowd: the shortest time a candidate takes over an item, in seconds.
    #[arg(long, default_value_t = 5.0)]
    pace_min_seconds: f64,
    /// Crowd: the longest.
    #[arg(long, default_value_t = 20.0)]
    pace_max_seconds: f64,
    /// Crowd and saturation: a process to watch, as NAME=PID (repeatable). Crowd reports its CPU
    /// and resident memory before the page streams open, once they are open, and over the run;
    /// saturation reports each rate's CPU of every watched process, PostgreSQL and the generator.
    #[arg(long = "process", value_name = "NAME=PID")]
    processes: Vec<String>,
    /// Crowd: a fault to inject, as SECONDS:COMMAND (repeatable): the shell command runs that
    /// many seconds into the answering (`loadtest/two-nodes.sh` has the usual ones).
    #[arg(long = "fault", value_name = "SECONDS:COMMAND")]
    faults: Vec<String>,
    /// Crowd: every candidate submits the section at the end and the campaign's results are
    /// checked: every stored answer counted in a score.
    #[arg(long)]
    finish: bool,
    /// Crowd: PostgreSQL URL to count the rows written per second (`psql` must be on the PATH).
    #[arg(long)]
    pg_url: Option<String>,
    /// Saturation: the baseline server (`meritest-baseline`) on the same stores.
    #[arg(long)]
    baseline_url: Option<String>,
    /// Saturation: the rate added at each step.
    #[arg(long, default_value_t = 500)]
    rate_step: u32,
    /// Saturation: the highest rate tried.
    #[arg(long, default_value_t = 20_000)]
    rate_max: u32,
}

fn is_loopback(url: &str) -> anyhow::Result<bool> {
    let url = reqwest::Url::parse(url).context("invalid URL")?;
    Ok(match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    for url in std::iter::once(&args.base_url)
        .chain(args.watch_url.as_ref())
        .chain(args.baseline_url.as_ref())
    {
        if !is_loopback(url)? {
            bail!("refusing to send load to {url}: only loopback addresses are allowed");
        }
    }
    if args.seconds == 0 || args.seconds > 600 || args.rate == 0 || args.rate > 100_000 {
        bail!("--seconds must be 1..=600 and --rate 1..=100000");
    }
    if args.candidates == 0 || args.candidates > 20_000 {
        bail!("--candidates must be 1..=20000");
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.max_in_flight)
        .build()?;
    let api = Api {
        client: client.clone(),
        base: args.base_url.trim_end_matches('/').to_owned(),
    };
    let login = api
        .call(
            reqwest::Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": args.email, "password": args.password})),
        )
        .await
        .context("staff sign-in failed")?;
    let token = login["token"]
        .as_str()
        .context("no token in the sign-in reply")?
        .to_owned();
    match args.scenario {
        Scenario::Bank => {
            let target = format!("{}/api/v1/instruments", api.base);
            let report = open_loop::run(args.rate, args.seconds, args.max_in_flight, |_| {
                let (client, token, target) = (client.clone(), token.clone(), target.clone());
                async move {
                    match client.get(&target).bearer_auth(&token).send().await {
                        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                        Err(_) => false,
                    }
                }
            })
            .await?;
            report.print("requests");
        }
        Scenario::Room => {
            let room =
                setup_candidates(&api, &token, &args, likert_section(), Seating::Started).await?;
            proctoring::room(&api, &token, room, &args).await?;
        }
        Scenario::Start => {
            let room =
                setup_candidates(&api, &token, &args, likert_section(), Seating::Lobby).await?;
            proctoring::start(&api, &token, room, &args).await?;
        }
        Scenario::Answers => {
            let people = setup_candidates(&api, &token, &args, likert_section(), Seating::Started)
                .await?
                .people;
            let people = Arc::new(people);
            let target = format!("{}/api/v1/candidate/answers", api.base);
            let n = people.len() as u64;
            let report = open_loop::run(args.rate, args.seconds, args.max_in_flight, |i| {
                let (client, target, people) = (client.clone(), target.clone(), people.clone());
                async move {
                    let c = &people[(i % n) as usize];
                    let item = &c.items[((i / n) as usize) % c.items.len()];
                    let body = likert_answer(item, i + 1, 1 + i % 5);
                    match client
                        .put(&target)
                        .bearer_auth(&c.token)
                        .json(&body)
                        .send()
                        .await
                    {
                        Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                        Err(_) => false,
                    }
                }
            })
            .await?;
            report.print("answers");
        }
        Scenario::Adaptive => {
            let room = setup_candidates(&api, &token, &args, adaptive::section(), Seating::Started)
                .await?;
            adaptive::run(&api, room, &args).await?;
        }
        Scenario::Crowd => {
            let room =
                setup_candidates(&api, &token, &args, likert_section(), Seating::Started).await?;
            crowd::run(&api, &token, room, &args).await?;
        }
        Scenario::Saturation => {
            let baseline = args
                .baseline_url
                .clone()
                .context("--scenario saturation needs --baseline-url (meritest-baseline)")?;
            let room =
                setup_candidates(&api, &token, &args, likert_section(), Seating::Started).await?;
            saturation::run(&api, room, &args, &baseline).await?;
        }
    }
    Ok(())
}

/// An answer to a Likert item of section 0, as the candidate's page sends it.
fn likert_answer(item: &str, seq: u64, point: u64) -> Value {
    json!({"section": 0, "item": item, "seq": seq, "response": {"point": point}})
}

/// One long Likert section: the demo's IPIP markers, four hours, free navigation.
fn likert_section() -> Value {
    json!({"instrument": "IPIP-BFM-50", "version": 1, "title": {"id": "Kepribadian"},
           "time_limit_seconds": 4 * 3600, "item_order": "random",
           "shuffle_options": false, "navigation": "free"})
}

#[derive(Clone)]
struct Api {
    client: reqwest::Client,
    base: String,
}

impl Api {
    /// Where the proctor watches: `--watch-url` (another node) when given, else this base.
    fn watching(&self, args: &Args) -> Api {
        Api {
            client: self.client.clone(),
            base: args
                .watch_url
                .as_deref()
                .unwrap_or(&self.base)
                .trim_end_matches('/')
                .to_owned(),
        }
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await?;
        let status = res.status();
        let text = res.text().await?;
        if !status.is_success() {
            bail!("{path} answered {status}: {text}");
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// A signed-in candidate (with a started section, unless in a lobby).
struct Candidate {
    token: String,
    items: Vec<String>,
    participant: String,
    /// The section as started (null in a lobby).
    section: Value,
    /// Which of the campaign's sessions (rooms) the candidate sits in.
    room: usize,
}

/// The candidates of one campaign, in one session or several.
struct Room {
    campaign: String,
    /// The first session's id.
    session: String,
    /// Every session's id, in order ("Ruang 1", "Ruang 2", …).
    sessions: Vec<String>,
    people: Vec<Candidate>,
}

/// Where the set-up leaves the signed-in candidates.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seating {
    /// In the section, started.
    Started,
    /// Waiting in a lobby campaign's session for the proctor to admit them and start it.
    Lobby,
}

/// A battery of one section (`section`, a battery section document), a campaign open now (with
/// a lobby for `Seating::Lobby`) whose sessions of at most `--room-size` hold `--candidates`
/// enrolled participants with codes, each signed in with consent given and, when `Started`, the
/// section started.
async fn setup_candidates(
    api: &Api,
    hr: &str,
    args: &Args,
    section: Value,
    seating: Seating,
) -> anyhow::Result<Room> {
    let (n, room_size) = (args.candidates, args.room_size);
    let (lobby, start) = (seating == Seating::Lobby, seating == Seating::Started);
    use reqwest::Method;
    let tag = format!("{:08X}", rand_tag());
    let battery = api
        .call(
            Method::POST,
            "/api/v1/batteries",
            Some(hr),
            Some(
                json!({"code": format!("LOAD-{tag}"), "name": {"id": "Uji beban"},
                "sections": [section]}),
            ),
        )
        .await
        .context("creating the battery (needs the demo's instruments)")?;
    let now = chrono::Utc::now();
    let iso = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339();
    let room_size = room_size.clamp(1, 20_000);
    let rooms = n.div_ceil(room_size);
    let sessions: Vec<Value> = (1..=rooms)
        .map(
            |r| json!({"name": format!("Ruang {r}"), "starts_at": iso(now), "capacity": room_size}),
        )
        .collect();
    let campaign = api
        .call(
            Method::POST,
            "/api/v1/campaigns",
            Some(hr),
            Some(
                json!({"name": format!("Uji beban {tag}"), "battery": battery["id"],
                "opens_at": iso(now - chrono::Duration::hours(1)),
                "closes_at": iso(now + chrono::Duration::days(1)), "lobby": lobby,
                "sessions": sessions}),
            ),
        )
        .await?;
    let id = campaign["id"]
        .as_str()
        .context("no campaign id")?
        .to_owned();
    let sessions: Vec<String> = campaign["sessions"]
        .as_array()
        .context("no sessions")?
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_owned))
        .collect();
    let session = sessions.first().context("no session id")?.clone();
    let mut csv = String::from("nip,name,birth_date,education,job_level,session\n");
    let mut room_of = std::collections::HashMap::new();
    for k in 0..n {
        let day = 1 + k / 999;
        let month = 1 + (day - 1) / 28;
        let day = 1 + (day - 1) % 28;
        let nip = format!("1980{month:02}{day:02}2005011{:03}", 1 + k % 999);
        room_of.insert(nip.clone(), (k / room_size) as usize);
        csv.push_str(&format!(
            "{nip},Peserta {k},1980-{month:02}-{day:02},S1,Pelaksana,Ruang {}\n",
            1 + k / room_size
        ));
    }
    let res = api
        .client
        .post(format!(
            "{}/api/v1/campaigns/{id}/participants/import",
            api.base
        ))
        .bearer_auth(hr)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await?;
    if !res.status().is_success() {
        bail!("enrolment failed: {}", res.text().await?);
    }
    let codes = api
        .call(
            Method::POST,
            &format!("/api/v1/campaigns/{id}/access-codes"),
            Some(hr),
            None,
        )
        .await?;
    let listed = api
        .call(
            Method::GET,
            &format!("/api/v1/campaigns/{id}/participants"),
            Some(hr),
            None,
        )
        .await?;
    let ids: std::collections::HashMap<String, String> = listed["participants"]
        .as_array()
        .context("no participants")?
        .iter()
        .filter_map(|p| Some((p["nip"].as_str()?.to_owned(), p["id"].as_str()?.to_owned())))
        .collect();
    let codes: Vec<(String, String, String)> = codes["codes"]
        .as_array()
        .context("no codes")?
        .iter()
        .filter_map(|c| {
            let nip = c["nip"].as_str()?.to_owned();
            Some((c["code"].as_str()?.to_owned(), ids.get(&nip)?.clone(), nip))
        })
        .collect();
    let api = Arc::new(api.clone());
    let mut out = Vec::with_capacity(codes.len());
    for chunk in codes.chunks(32) {
        let mut joins = Vec::new();
        for (code, participant, nip) in chunk {
            let room = room_of.get(nip.as_str()).copied().unwrap_or(0);
            let (api, code, nip, participant) =
                (api.clone(), code.clone(), nip.clone(), participant.clone());
            joins.push(tokio::spawn(async move {
                let s = api
                    .call(Method::POST, "/api/v1/candidate/login", None,
                          Some(json!({"code": code, "nip": nip})))
                    .await
                    .context("candidate sign-in failed (past 3,000 candidates, raise MERITEST__AUTH__CANDIDATE_ATTEMPTS_PER_ADDRESS on the server)")?;
                let token = s["token"].as_str().context("no token")?.to_owned();
                api.call(Method::POST, "/api/v1/candidate/consent", Some(&token),
                         Some(json!({"accept": true}))).await?;
                if !start {
                    return anyhow::Ok(Candidate { token, items: Vec::new(), participant, section: Value::Null, room });
                }
                let section = api
                    .call(Method::POST, "/api/v1/candidate/sections/0/start", Some(&token), None)
                    .await?;
                let items = section["items"]
                    .as_array()
                    .context("no items")?
                    .iter()
                    .filter_map(|i| i["id"].as_str().map(str::to_owned))
                    .collect();
                anyhow::Ok(Candidate { token, items, participant, section, room })
            }));
        }
        for j in joins {
            out.push(j.await??);
        }
    }
    println!(
        "{} candidates signed in{}",
        out.len(),
        if start {
            ", section started"
        } else {
            ", waiting in the lobby"
        }
    );
    Ok(Room {
        campaign: id,
        session,
        sessions,
        people: out,
    })
}

fn rand_tag() -> u32 {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32))
        .unwrap_or(0);
    t ^ std::process::id().rotate_left(16)
}
