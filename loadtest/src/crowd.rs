//! `crowd`: thousands of candidates as their pages behave, over the run's whole length.
//!
//! Every candidate's page stream is open (and opened again when it ends, as the page does); each
//! candidate answers the next item after a pause drawn between `--pace-min-seconds` and
//! `--pace-max-seconds`, sends an answer again (same sequence number) until it is acknowledged,
//! and reads its attempt every 45 s as the page's clock does. A proctor watches the first room.
//! Faults (`--fault SECONDS:COMMAND`) run on schedule. At the end every candidate reads its
//! section back and each acknowledged answer must be there; with `--finish` every candidate
//! submits and each stored answer must be counted in a score.
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use hdrhistogram::Histogram;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::sync::Mutex;

use super::processes::{cpu_seconds, parse_processes, rss_kib, Watched};
use super::proctoring::{histogram, print_hist, FeedWatch, Sse};
use super::{likert_answer, Api, Args, Room};

/// The page reads its attempt this often to keep its clock right (`take-clock.js`).
const CLOCK_SYNC: Duration = Duration::from_secs(45);
/// An answer not acknowledged after this long means the candidate could not continue.
const GIVE_UP: Duration = Duration::from_secs(120);

/// A small deterministic generator (xorshift64*), one per candidate.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn between(&mut self, lo: f64, hi: f64) -> Duration {
        Duration::from_secs_f64(lo + (hi - lo).max(0.0) * self.unit())
    }
}

fn print_memory(stage: &str, watched: &[Watched]) -> Vec<Option<u64>> {
    let readings: Vec<Option<u64>> = watched.iter().map(|w| rss_kib(w.pid)).collect();
    let text: Vec<String> = watched
        .iter()
        .zip(&readings)
        .map(|(w, r)| match r {
            Some(k) => format!("{} {:.1} MiB", w.name, *k as f64 / 1024.0),
            None => format!("{} gone", w.name),
        })
        .collect();
    if !text.is_empty() {
        println!("resident memory {stage}: {}", text.join(", "));
    }
    readings
}

/// Rows written to `responses` so far (inserts + updates), by `psql`.
fn responses_written(pg_url: &str) -> Option<u64> {
    let out = std::process::Command::new("psql")
        .args([
            pg_url,
            "-tAc",
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd), 0) FROM pg_stat_user_tables WHERE relname = 'responses'",
        ])
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// What the candidates saw, shared by their tasks.
#[derive(Default)]
struct Seen {
    /// Requests that failed, by what came back ("503", "transport", …).
    errors: std::sync::Mutex<HashMap<String, u64>>,
    /// Answers acknowledged.
    acknowledged: AtomicU64,
    /// Answers sent more than once before their acknowledgement.
    resent: AtomicU64,
    /// Answers given up on after `GIVE_UP`.
    given_up: AtomicU64,
    /// Attempt reads (the page's clock) that failed after their retries.
    clock_failures: AtomicU64,
    /// Page streams open now, and their reopenings.
    streams_open: AtomicI64,
    streams_reopened: AtomicU64,
    /// The fewest streams open at once after they were all opened.
    streams_low: AtomicI64,
}

impl Seen {
    fn error(&self, what: String) {
        *self
            .errors
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(what)
            .or_default() += 1;
    }
}

/// One candidate's acknowledged answers: item → (sequence, point).
type Acks = HashMap<String, (u64, u64)>;

/// Runs the crowd over the candidates of `room` (every session of the campaign).
pub async fn run(api: &Api, hr: &str, room: Room, args: &Args) -> anyhow::Result<()> {
    if !(args.pace_min_seconds > 0.0 && args.pace_min_seconds <= args.pace_max_seconds) {
        anyhow::bail!("--pace-min-seconds must be above 0 and at most --pace-max-seconds");
    }
    let watched = parse_processes(&args.processes)?;
    let faults: Vec<(f64, String)> = args
        .faults
        .iter()
        .map(|f| {
            let (at, cmd) = f.split_once(':').context("--fault wants SECONDS:COMMAND")?;
            Ok((
                at.parse().context("--fault wants SECONDS:COMMAND")?,
                cmd.to_owned(),
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let api = Arc::new(api.clone());
    let pages = page_clients(&api)?;
    let n = room.people.len();
    let seen = Arc::new(Seen::default());
    let stop = Arc::new(AtomicBool::new(false));

    // Memory before and after every page stream opens: the difference is what a connected,
    // idle candidate costs each process.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = print_memory("before the page streams open", &watched);
    let opening = Instant::now();
    let mut streams = Vec::with_capacity(n);
    for (k, chunk) in room.people.chunks(100).enumerate() {
        let mut joins = Vec::new();
        for (j, c) in chunk.iter().enumerate() {
            let i = k * 100 + j;
            let (api, token, seen, stop) = (
                pages[i % pages.len()].clone(),
                c.token.clone(),
                seen.clone(),
                stop.clone(),
            );
            let rng = Rng::new(i as u64 + 0x5EED);
            joins.push(tokio::spawn(async move {
                let first = Sse::open(&api, "/api/v1/candidate/stream", &token).await?;
                seen.streams_open.fetch_add(1, Ordering::Relaxed);
                anyhow::Ok(tokio::spawn(keep_stream(
                    api, token, first, seen, stop, rng,
                )))
            }));
        }
        for j in joins {
            streams.push(j.await??);
        }
    }
    println!(
        "{n} page streams open in {:.1} s",
        opening.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(5)).await;
    let after = print_memory("with every page stream open", &watched);
    for ((w, b), a) in watched.iter().zip(&before).zip(&after) {
        if let (Some(b), Some(a)) = (b, a) {
            let per = (*a as f64 - *b as f64) * 1024.0 / n as f64;
            println!(
                "{}: {:.1} KiB per connected idle candidate",
                w.name,
                per / 1024.0
            );
        }
    }
    seen.streams_low.store(n as i64, Ordering::Relaxed);

    // A proctor watches the first room.
    let feed = Arc::new(FeedWatch::open(api.watching(args), &room.session, hr).await?);
    let in_first_room = room.people.iter().filter(|c| c.room == 0).count();
    println!("the proctor watches room 1 ({in_first_room} candidates)");

    // The run.
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    let latency = Arc::new(Mutex::new(histogram()?));
    let rows_before = args.pg_url.as_deref().and_then(responses_written);
    let cpu_before: Vec<Option<f64>> = watched.iter().map(|w| cpu_seconds(w.pid)).collect();
    let mut fault_tasks = Vec::new();
    let fault_list = faults.clone();
    for (at, cmd) in faults {
        fault_tasks.push(tokio::spawn(async move {
            tokio::time::sleep_until((started + Duration::from_secs_f64(at)).into()).await;
            let t = Instant::now();
            let status = tokio::process::Command::new("bash")
                .args(["-c", &cmd])
                .status()
                .await;
            println!(
                "fault at {at:.0} s: `{cmd}` → {} ({:.1} s)",
                match status {
                    Ok(s) => s.to_string(),
                    Err(e) => format!("did not run: {e}"),
                },
                t.elapsed().as_secs_f64()
            );
        }));
    }
    let sampler = {
        let (seen, stop) = (seen.clone(), stop.clone());
        let pids: Vec<u32> = watched.iter().map(|w| w.pid).collect();
        tokio::spawn(async move {
            let mut peak = vec![0u64; pids.len()];
            while !stop.load(Ordering::Relaxed) {
                let open = seen.streams_open.load(Ordering::Relaxed);
                seen.streams_low.fetch_min(open, Ordering::Relaxed);
                for (p, pid) in peak.iter_mut().zip(&pids) {
                    *p = (*p).max(rss_kib(*pid).unwrap_or(0));
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            peak
        })
    };
    let mut candidates = Vec::with_capacity(n);
    for (k, c) in room.people.iter().enumerate() {
        let ctx = Pace {
            api: pages[k % pages.len()].clone(),
            token: c.token.clone(),
            participant: c.participant.clone(),
            items: c.items.clone(),
            watched_room: c.room == 0,
            feed: feed.clone(),
            seen: seen.clone(),
            latency: latency.clone(),
            deadline,
            pace: (args.pace_min_seconds, args.pace_max_seconds),
        };
        candidates.push(tokio::spawn(ctx.run(k as u64)));
    }
    let mut acks: Vec<Acks> = Vec::with_capacity(n);
    for c in candidates {
        acks.push(c.await?);
    }
    let seconds = started.elapsed().as_secs_f64();
    let cpu_after: Vec<Option<f64>> = watched.iter().map(|w| cpu_seconds(w.pid)).collect();
    // PostgreSQL publishes its table counters about once a second.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let rows_after = args.pg_url.as_deref().and_then(responses_written);
    for (f, (at, cmd)) in fault_tasks.into_iter().zip(&fault_list) {
        if !f.is_finished() {
            println!(
                "fault at {at:.0} s: `{cmd}` still running when the run ended ({:.0} s after it began): lengthen --seconds to see it through",
                seconds - at
            );
        }
        f.abort();
    }
    stop.store(true, Ordering::Relaxed);
    let peak = sampler.await?;

    // What the run measured.
    let acknowledged = seen.acknowledged.load(Ordering::Relaxed);
    println!(
        "answers acknowledged {acknowledged} in {seconds:.1} s ({:.0}/s); sent again before their acknowledgement {}; given up after {} s {}",
        acknowledged as f64 / seconds,
        seen.resent.load(Ordering::Relaxed),
        GIVE_UP.as_secs(),
        seen.given_up.load(Ordering::Relaxed)
    );
    print_latency(&*latency.lock().await);
    let errors = seen
        .errors
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let failed: u64 = errors.values().sum();
    println!("failed requests the pages saw: {failed} {errors:?}");
    println!(
        "attempt reads (the page's clock) that failed: {}",
        seen.clock_failures.load(Ordering::Relaxed)
    );
    println!(
        "page streams: opened again {} times, fewest open at once {} of {n}",
        seen.streams_reopened.load(Ordering::Relaxed),
        seen.streams_low.load(Ordering::Relaxed)
    );
    for (((w, a), b), p) in watched.iter().zip(&cpu_before).zip(&cpu_after).zip(&peak) {
        if let (Some(a), Some(b)) = (a, b) {
            println!(
                "{}: CPU {:.1} s over {seconds:.1} s ({:.0}% of one core), peak resident {:.1} MiB",
                w.name,
                b - a,
                (b - a) / seconds * 100.0,
                *p as f64 / 1024.0
            );
        } else {
            println!("{}: stopped during the run", w.name);
        }
    }
    if let (Some(a), Some(b)) = (rows_before, rows_after) {
        println!(
            "PostgreSQL: {} rows of responses written, {:.0}/s",
            b - a,
            (b - a) as f64 / seconds
        );
    }
    match Arc::try_unwrap(feed) {
        Ok(feed) => feed.finish().await,
        Err(_) => anyhow::bail!("the proctor's feed is still shared"),
    }
    for s in streams {
        s.abort();
    }

    // Every acknowledgement against what the server stored.
    let lost = check_stored(&api, &room, &acks, args.max_in_flight).await?;
    println!("acknowledged answers missing from the stored section: {lost} of {acknowledged}");
    if args.finish {
        finish(&api, hr, &room, args.max_in_flight).await?;
    }
    Ok(())
}

fn print_latency(h: &Histogram<u64>) {
    print_hist("answer sent (first time) → acknowledged", h);
    if !h.is_empty() {
        println!("p99.9 {:.1} ms", h.value_at_quantile(0.999) as f64 / 1000.0);
    }
}

/// Loopback source addresses the pages connect from when the nodes are on a 127.x address.
const PAGE_SOURCES: u8 = 32;

/// The clients the pages use. Each keeps every connection it opened alive, as a browser keeps
/// its own (the shared client keeps only `--max-in-flight` idle, so a burst of slow answers
/// would close and open connections by the thousand). When the nodes are on a 127.x address the
/// pages connect from 127.0.0.2 to 127.0.0.33: from one address the kernel looks for a free
/// port among the 10,000 streams' for every new connection (`__inet_check_established` took a
/// fifth of the machine while 5,000 streams reconnected), where real candidates come from
/// thousands of addresses.
fn page_clients(api: &Arc<Api>) -> anyhow::Result<Vec<Arc<Api>>> {
    let url = reqwest::Url::parse(&api.base).context("invalid --base-url")?;
    let ipv4_loopback = matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback());
    let sources: Vec<Option<std::net::IpAddr>> = if ipv4_loopback {
        (0..PAGE_SOURCES)
            .map(|i| Some(std::net::Ipv4Addr::new(127, 0, 0, 2 + i).into()))
            .collect()
    } else {
        vec![None]
    };
    if ipv4_loopback {
        println!(
            "the pages connect from 127.0.0.2 to 127.0.0.{}",
            1 + PAGE_SOURCES
        );
    }
    sources
        .into_iter()
        .map(|source| {
            let client = reqwest::Client::builder()
                .local_address(source)
                .pool_max_idle_per_host(usize::MAX)
                .build()?;
            Ok(Arc::new(Api {
                client,
                base: api.base.clone(),
            }))
        })
        .collect()
}

/// Keeps one page stream open: reads it to the end, then opens it again as the page does
/// ([`reconnect_wait`]) until the run stops.
async fn keep_stream(
    api: Arc<Api>,
    token: String,
    mut sse: Sse,
    seen: Arc<Seen>,
    stop: Arc<AtomicBool>,
    mut rng: Rng,
) {
    loop {
        while let Ok(Some(_)) = sse.next().await {}
        seen.streams_open.fetch_sub(1, Ordering::Relaxed);
        let mut failures = 0;
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            tokio::time::sleep(reconnect_wait(failures, &mut rng)).await;
            match Sse::open(&api, "/api/v1/candidate/stream", &token).await {
                Ok(s) => {
                    sse = s;
                    seen.streams_open.fetch_add(1, Ordering::Relaxed);
                    seen.streams_reopened.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Err(e) => seen.error(format!("stream: {}", short(&e))),
            }
            failures += 1;
        }
    }
}

/// The page's wait before reopening its stream after `failures` failed tries
/// (`reconnectWait` of `frontend/js/proctor-feed.js`): the doubled first second to three times
/// it, at most 10 s, each page drawing its own.
fn reconnect_wait(failures: u32, rng: &mut Rng) -> Duration {
    let base = 2f64.powi(failures.min(8) as i32);
    rng.between(base, 3.0 * base).min(Duration::from_secs(10))
}

/// The page's wait before sending an answer again after `failures` failed tries (`BACKOFF` of
/// `frontend/js/take-queue.js`): 1, 2, 4, 8, 15 then 30 s, each ±20 %.
fn resend_wait(failures: u32, rng: &mut Rng) -> Duration {
    const BACKOFF: [f64; 6] = [1.0, 2.0, 4.0, 8.0, 15.0, 30.0];
    let base = BACKOFF[(failures as usize).min(BACKOFF.len() - 1)];
    rng.between(0.8 * base, 1.2 * base)
}

/// A short name for what went wrong.
fn short(e: &anyhow::Error) -> String {
    let text = e.to_string();
    match text.split_once(" answered ") {
        Some((_, status)) => status.split_whitespace().next().unwrap_or("?").to_owned(),
        None => "transport".to_owned(),
    }
}

/// One candidate's page.
struct Pace {
    api: Arc<Api>,
    token: String,
    participant: String,
    items: Vec<String>,
    watched_room: bool,
    feed: Arc<FeedWatch>,
    seen: Arc<Seen>,
    latency: Arc<Mutex<Histogram<u64>>>,
    deadline: Instant,
    pace: (f64, f64),
}

impl Pace {
    async fn run(self, k: u64) -> Acks {
        let mut rng = Rng::new(k + 1);
        let mut acks = Acks::new();
        // Candidates are spread over the first pause so they do not all answer at once.
        let mut next = Instant::now() + rng.between(0.0, self.pace.1);
        let mut clock = Instant::now() + rng.between(0.0, CLOCK_SYNC.as_secs_f64());
        let mut seq = 0u64;
        let mut answered = 0u64;
        loop {
            let due = next.min(clock);
            if due >= self.deadline {
                return acks;
            }
            tokio::time::sleep_until(due.into()).await;
            if due == clock {
                self.read_clock().await;
                clock += CLOCK_SYNC;
                continue;
            }
            seq += 1;
            let item = &self.items[(seq as usize - 1) % self.items.len()];
            let point = 1 + seq % 5;
            if self.answer(item, seq, point, next, &mut rng).await {
                if !acks.contains_key(item) {
                    answered += 1;
                    if self.watched_room {
                        self.feed.acknowledged(&self.participant, answered).await;
                    }
                }
                acks.insert(item.clone(), (seq, point));
            }
            next += rng.between(self.pace.0, self.pace.1);
        }
    }

    /// Sends one answer until it is acknowledged, as the page's queue does ([`resend_wait`]);
    /// records the time from when it was due. Returns whether it was acknowledged.
    async fn answer(&self, item: &str, seq: u64, point: u64, due: Instant, rng: &mut Rng) -> bool {
        let url = format!("{}/api/v1/candidate/answers", self.api.base);
        let body = likert_answer(item, seq, point);
        let mut sent = 0;
        loop {
            sent += 1;
            let outcome = self
                .api
                .client
                .put(&url)
                .bearer_auth(&self.token)
                .timeout(Duration::from_secs(30))
                .json(&body)
                .send()
                .await;
            let failure = match outcome {
                Ok(r) if r.status().is_success() => match r.bytes().await {
                    Ok(_) => None,
                    Err(_) => Some("transport".to_owned()),
                },
                Ok(r) => Some(r.status().as_u16().to_string()),
                Err(e) if e.is_timeout() => Some("timeout".to_owned()),
                Err(_) => Some("transport".to_owned()),
            };
            match failure {
                None => {
                    self.seen.acknowledged.fetch_add(1, Ordering::Relaxed);
                    if sent > 1 {
                        self.seen.resent.fetch_add(1, Ordering::Relaxed);
                    }
                    let took = due.elapsed().as_micros().max(1) as u64;
                    self.latency.lock().await.saturating_record(took);
                    return true;
                }
                Some(what) => self.seen.error(format!("answer: {what}")),
            }
            if due.elapsed() >= GIVE_UP {
                self.seen.given_up.fetch_add(1, Ordering::Relaxed);
                return false;
            }
            tokio::time::sleep(resend_wait(sent - 1, rng)).await;
        }
    }

    /// The page's clock: a read of the attempt, tried three times.
    async fn read_clock(&self) {
        for _ in 0..3 {
            match self
                .api
                .call(
                    Method::GET,
                    "/api/v1/candidate/attempt",
                    Some(&self.token),
                    None,
                )
                .await
            {
                Ok(_) => return,
                Err(e) => self.seen.error(format!("attempt read: {}", short(&e))),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        self.seen.clock_failures.fetch_add(1, Ordering::Relaxed);
    }
}

/// Each candidate reads the section back; counts acknowledged answers not stored as
/// acknowledged (missing, or an older sequence number than the acknowledged one).
async fn check_stored(
    api: &Arc<Api>,
    room: &Room,
    acks: &[Acks],
    in_flight: usize,
) -> anyhow::Result<u64> {
    let limiter = Arc::new(tokio::sync::Semaphore::new(in_flight.max(1)));
    let mut joins = Vec::with_capacity(room.people.len());
    for (c, acks) in room.people.iter().zip(acks) {
        let (api, token, acks, limiter) =
            (api.clone(), c.token.clone(), acks.clone(), limiter.clone());
        joins.push(tokio::spawn(async move {
            let _permit = limiter.acquire_owned().await?;
            let mut section = Value::Null;
            for _ in 0..5 {
                match api
                    .call(
                        Method::GET,
                        "/api/v1/candidate/sections/0",
                        Some(&token),
                        None,
                    )
                    .await
                {
                    Ok(v) => {
                        section = v;
                        break;
                    }
                    Err(_) => tokio::time::sleep(Duration::from_secs(1)).await,
                }
            }
            if section.is_null() {
                anyhow::bail!("a candidate could not read the section back");
            }
            let lost = acks
                .iter()
                .filter(|(item, (seq, point))| {
                    let stored = &section["responses"][item.as_str()];
                    let stored_seq = stored["seq"].as_u64().unwrap_or(0);
                    stored_seq < *seq
                        || (stored_seq == *seq && stored["response"]["point"] != json!(point))
                })
                .count() as u64;
            anyhow::Ok(lost)
        }));
    }
    let mut lost = 0;
    for j in joins {
        lost += j.await??;
    }
    Ok(lost)
}

/// Every candidate submits the section; then the campaign's results must count every stored
/// answer in a score.
async fn finish(api: &Arc<Api>, hr: &str, room: &Room, in_flight: usize) -> anyhow::Result<()> {
    let limiter = Arc::new(tokio::sync::Semaphore::new(in_flight.max(1)));
    let failed = Arc::new(AtomicU64::new(0));
    let mut joins = Vec::new();
    for c in &room.people {
        let (api, token, limiter, failed) = (
            api.clone(),
            c.token.clone(),
            limiter.clone(),
            failed.clone(),
        );
        joins.push(tokio::spawn(async move {
            let _permit = limiter.acquire_owned().await;
            let path = "/api/v1/candidate/sections/0/submit";
            if api
                .call(Method::POST, path, Some(&token), None)
                .await
                .is_err()
            {
                failed.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for j in joins {
        j.await?;
    }
    let results = api
        .call(
            Method::GET,
            &format!("/api/v1/campaigns/{}/results", room.campaign),
            Some(hr),
            None,
        )
        .await?;
    let mut finished = 0;
    let mut uncounted = 0i64;
    for p in results["participants"].as_array().into_iter().flatten() {
        if p["status"] == "finished" {
            finished += 1;
        }
        let stored = p["responses"].as_i64().unwrap_or(0);
        let counted: i64 = p["scores"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| s["answered"].as_i64().unwrap_or(0))
            .sum();
        uncounted += (stored - counted).max(0);
    }
    println!(
        "submitted: {} of {} ({} submissions failed); finished attempts {finished}; stored answers not counted in a score {uncounted}",
        room.people.len() as u64 - failed.load(Ordering::Relaxed),
        room.people.len(),
        failed.load(Ordering::Relaxed)
    );
    Ok(())
}
