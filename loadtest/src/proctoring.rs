//! Live proctoring under load: the room feed while candidates answer (`room`), and a lobby
//! session's synchronised start (`start`).
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use hdrhistogram::Histogram;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::sync::Mutex;

use super::processes::cpu_seconds;
use super::{likert_answer, open_loop, Api, Args, Room};

/// Called with a page's index and each `state` event it hears.
type OnState = Arc<dyn Fn(usize, &Value) + Send + Sync>;

/// Per participant, the (answered count, acknowledged at) of answers not yet shown.
type Pending = Arc<Mutex<HashMap<String, Vec<(u64, Instant)>>>>;

/// A reader of a `text/event-stream` response.
pub struct Sse {
    res: reqwest::Response,
    buf: Vec<u8>,
}

impl Sse {
    pub async fn open(api: &Api, path: &str, token: &str) -> anyhow::Result<Sse> {
        let res = api
            .client
            .get(format!("{}{path}", api.base))
            .bearer_auth(token)
            .send()
            .await?;
        if !res.status().is_success() {
            bail!("{path} answered {}", res.status());
        }
        Ok(Sse {
            res,
            buf: Vec::new(),
        })
    }

    /// The next event: (name, data, bytes of the frame); `None` when the stream ends.
    pub async fn next(&mut self) -> anyhow::Result<Option<(String, String, usize)>> {
        loop {
            if let Some(end) = self.buf.windows(2).position(|w| w == b"\n\n") {
                let raw: Vec<u8> = self.buf.drain(..end + 2).collect();
                let text = String::from_utf8_lossy(&raw);
                let mut event = None;
                let mut data = None;
                for line in text.lines() {
                    if let Some(e) = line.strip_prefix("event: ") {
                        event = Some(e.to_owned());
                    } else if let Some(d) = line.strip_prefix("data: ") {
                        data = Some(d.to_owned());
                    }
                }
                if let (Some(e), Some(d)) = (event, data) {
                    return Ok(Some((e, d, raw.len())));
                }
                continue;
            }
            match self.res.chunk().await? {
                Some(c) => self.buf.extend_from_slice(&c),
                None => return Ok(None),
            }
        }
    }
}

pub fn histogram() -> anyhow::Result<Histogram<u64>> {
    Ok(Histogram::<u64>::new_with_bounds(1, 600_000_000, 3)?)
}

pub fn print_hist(what: &str, h: &Histogram<u64>) {
    if h.is_empty() {
        println!("{what}: none");
        return;
    }
    println!(
        "{what}: n {}  p50 {:.1} ms  p90 {:.1} ms  p99 {:.1} ms  max {:.1} ms",
        h.len(),
        h.value_at_quantile(0.5) as f64 / 1000.0,
        h.value_at_quantile(0.9) as f64 / 1000.0,
        h.value_at_quantile(0.99) as f64 / 1000.0,
        h.max() as f64 / 1000.0
    );
}

/// Opens every candidate's page stream; each task counts the `state` events it hears and
/// calls `on_state` with each one's data.
async fn open_pages(
    api: &Arc<Api>,
    room: &Room,
    on_state: OnState,
) -> anyhow::Result<Arc<AtomicU64>> {
    let opened = Arc::new(AtomicU64::new(0));
    for chunk in room.people.chunks(64).enumerate() {
        let mut joins = Vec::new();
        for (k, c) in chunk.1.iter().enumerate() {
            let index = chunk.0 * 64 + k;
            let (api, token, opened, on_state) = (
                api.clone(),
                c.token.clone(),
                opened.clone(),
                on_state.clone(),
            );
            joins.push(tokio::spawn(async move {
                let mut sse = Sse::open(&api, "/api/v1/candidate/stream", &token).await?;
                opened.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(async move {
                    while let Ok(Some((event, data, _))) = sse.next().await {
                        if event == "state" {
                            if let Ok(v) = serde_json::from_str::<Value>(&data) {
                                on_state(index, &v);
                            }
                        }
                    }
                });
                anyhow::Ok(())
            }));
        }
        for j in joins {
            j.await??;
        }
    }
    Ok(opened)
}

/// A proctor watching one session's live feed: for every acknowledged answer it is told about,
/// the delay until a row of the feed shows the candidate's answered count at or past it. The
/// feed is opened again when it ends (a node stopped), and the snapshot that then comes first
/// counts as rows. A `progress` event's counts count as rows.
pub struct FeedWatch {
    pending: Pending,
    delays: Arc<Mutex<Histogram<u64>>>,
    received: Arc<AtomicU64>,
    bytes: Arc<AtomicU64>,
    reopened: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl FeedWatch {
    /// Opens the feed of `session` on `watch` as the staff member `hr`; prints the first
    /// snapshot's size and time.
    pub async fn open(watch: Api, session: &str, hr: &str) -> anyhow::Result<FeedWatch> {
        let path = format!("/api/v1/proctoring/sessions/{session}/live");
        let opened = Instant::now();
        let mut feed = Sse::open(&watch, &path, hr).await?;
        let (event, snapshot, bytes) = feed.next().await?.context("the feed ended")?;
        if event != "snapshot" {
            bail!("the feed began with {event}");
        }
        let rows = serde_json::from_str::<Value>(&snapshot)?["rows"]
            .as_array()
            .map_or(0, Vec::len);
        println!(
            "proctor's snapshot: {rows} rows, {bytes} bytes, {:.0} ms",
            opened.elapsed().as_secs_f64() * 1000.0
        );
        let pending: Pending = Arc::default();
        let delays = Arc::new(Mutex::new(histogram()?));
        let received = Arc::new(AtomicU64::new(0));
        let feed_bytes = Arc::new(AtomicU64::new(0));
        let reopened = Arc::new(AtomicU64::new(0));
        let task = {
            let (pending, delays, received, feed_bytes, reopened) = (
                pending.clone(),
                delays.clone(),
                received.clone(),
                feed_bytes.clone(),
                reopened.clone(),
            );
            let hr = hr.to_owned();
            tokio::spawn(async move {
                loop {
                    while let Ok(Some((event, data, bytes))) = feed.next().await {
                        feed_bytes.fetch_add(bytes as u64, Ordering::Relaxed);
                        // Whole rows (`rows`, `snapshot`) and answer counts alone (`progress`).
                        let list = match event.as_str() {
                            "rows" | "snapshot" => "rows",
                            "progress" => "progress",
                            _ => continue,
                        };
                        let Ok(v) = serde_json::from_str::<Value>(&data) else {
                            continue;
                        };
                        let now = Instant::now();
                        let mut pending = pending.lock().await;
                        let mut delays = delays.lock().await;
                        for row in v[list].as_array().into_iter().flatten() {
                            received.fetch_add(1, Ordering::Relaxed);
                            let (Some(p), Some(k)) =
                                (row["participant"].as_str(), row["answered"].as_u64())
                            else {
                                continue;
                            };
                            if let Some(acks) = pending.get_mut(p) {
                                acks.retain(|(count, at)| {
                                    let shown = *count <= k;
                                    if shown {
                                        delays.saturating_record(
                                            (now - *at).as_micros().max(1) as u64
                                        );
                                    }
                                    !shown
                                });
                            }
                        }
                    }
                    // The feed ended: open it again, as the proctor's page does.
                    loop {
                        tokio::time::sleep(Duration::from_millis(500)).await;
                        if let Ok(f) = Sse::open(&watch, &path, &hr).await {
                            feed = f;
                            reopened.fetch_add(1, Ordering::Relaxed);
                            break;
                        }
                    }
                }
            })
        };
        Ok(FeedWatch {
            pending,
            delays,
            received,
            bytes: feed_bytes,
            reopened,
            task,
        })
    }

    /// The candidate `participant` has `count` answers acknowledged, as of now.
    pub async fn acknowledged(&self, participant: &str, count: u64) {
        self.pending
            .lock()
            .await
            .entry(participant.to_owned())
            .or_default()
            .push((count, Instant::now()));
    }

    /// Waits for the last flush, stops watching and prints what it saw.
    pub async fn finish(self) {
        tokio::time::sleep(Duration::from_secs(3)).await;
        self.task.abort();
        print_hist(
            "answer acknowledged → row on the proctor's feed",
            &*self.delays.lock().await,
        );
        let unseen: usize = self.pending.lock().await.values().map(Vec::len).sum();
        println!(
            "rows received {}, feed bytes {}, feed opened again {} times, acknowledged answers never shown {unseen}",
            self.received.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
            self.reopened.load(Ordering::Relaxed),
        );
    }
}

/// Answers at the scheduled rate while a proctor watches the room's feed and every page
/// stream is open; reports the delay from each acknowledged answer to the row that shows it.
pub async fn room(api: &Api, hr: &str, room: Room, args: &Args) -> anyhow::Result<()> {
    let api = Arc::new(api.clone());
    let pages = open_pages(&api, &room, Arc::new(|_, _| {})).await?;
    println!(
        "{} candidate page streams open",
        pages.load(Ordering::Relaxed)
    );
    let feed = Arc::new(FeedWatch::open(api.watching(args), &room.session, hr).await?);

    let cpu_before = args.server_pid.and_then(cpu_seconds);
    let wall = Instant::now();
    let people = Arc::new(room.people);
    let n = people.len() as u64;
    let target = format!("{}/api/v1/candidate/answers", api.base);
    let report = open_loop::run(args.rate, args.seconds, args.max_in_flight, |i| {
        let (client, target, people, feed) = (
            api.client.clone(),
            target.clone(),
            people.clone(),
            feed.clone(),
        );
        async move {
            let c = &people[(i % n) as usize];
            let nth = i / n;
            let item = &c.items[(nth as usize) % c.items.len()];
            let body = likert_answer(item, i + 1, 1 + i % 5);
            let ok = match client
                .put(&target)
                .bearer_auth(&c.token)
                .json(&body)
                .send()
                .await
            {
                Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                Err(_) => false,
            };
            if ok && (nth as usize) < c.items.len() {
                feed.acknowledged(&c.participant, nth + 1).await;
            }
            ok
        }
    })
    .await?;
    let seconds = wall.elapsed().as_secs_f64();
    let cpu_after = args.server_pid.and_then(cpu_seconds);
    report.print("answers");
    match Arc::try_unwrap(feed) {
        Ok(feed) => feed.finish().await,
        Err(_) => bail!("the feed is still shared"),
    }
    if let (Some(a), Some(b)) = (cpu_before, cpu_after) {
        println!(
            "server CPU {:.1} s over {seconds:.1} s: {:.0}% of one core",
            b - a,
            (b - a) / seconds * 100.0
        );
    }
    Ok(())
}

/// A lobby session: every candidate's page stream open, all admitted in bursts, the session
/// started, every page told, then every candidate loading the section at once.
pub async fn start(api: &Api, hr: &str, room: Room, args: &Args) -> anyhow::Result<()> {
    let api = Arc::new(api.clone());
    let n = room.people.len();
    let started_at: Arc<Mutex<Option<Instant>>> = Arc::default();
    let heard = Arc::new(Mutex::new(histogram()?));
    let heard_by: Arc<Mutex<Vec<bool>>> = Arc::new(Mutex::new(vec![false; n]));
    let on_state: OnState = {
        let (started_at, heard, heard_by) = (started_at.clone(), heard.clone(), heard_by.clone());
        Arc::new(move |index, v: &Value| {
            if v["section"] != 0 {
                return;
            }
            let (started_at, heard, heard_by) =
                (started_at.clone(), heard.clone(), heard_by.clone());
            tokio::spawn(async move {
                let Some(t0) = *started_at.lock().await else {
                    return;
                };
                let mut by = heard_by.lock().await;
                if !by[index] {
                    by[index] = true;
                    heard
                        .lock()
                        .await
                        .saturating_record(t0.elapsed().as_micros().max(1) as u64);
                }
            });
        })
    };
    let pages = open_pages(&api, &room, on_state).await?;
    println!(
        "{} candidate page streams open",
        pages.load(Ordering::Relaxed)
    );

    let admit = Instant::now();
    let mut admitted = 0;
    for (r, session) in room.sessions.iter().enumerate() {
        let ids: Vec<String> = room
            .people
            .iter()
            .filter(|c| c.room == r)
            .map(|c| c.participant.clone())
            .collect();
        for burst in ids.chunks(250) {
            let out = api
                .call(
                    Method::POST,
                    &format!("/api/v1/proctoring/sessions/{session}/actions"),
                    Some(hr),
                    Some(json!({"action": "admit", "participants": burst, "reason": "load test: identity checked"})),
                )
                .await?;
            admitted += out["done"].as_u64().unwrap_or(0);
        }
    }
    println!(
        "admitted {admitted} in {} session(s), bursts of 250: {:.2} s",
        room.sessions.len(),
        admit.elapsed().as_secs_f64()
    );

    // Every session's proctor presses start at the same moment.
    let t0 = Instant::now();
    *started_at.lock().await = Some(t0);
    let mut starts = Vec::new();
    for session in &room.sessions {
        let (api, hr, session) = (api.clone(), hr.to_owned(), session.clone());
        starts.push(tokio::spawn(async move {
            let out = api
                .call(
                    Method::POST,
                    &format!("/api/v1/proctoring/sessions/{session}/start"),
                    Some(&hr),
                    Some(json!({"reason": "load test"})),
                )
                .await?;
            anyhow::Ok((out["started"].as_u64().unwrap_or(0), t0.elapsed()))
        }));
    }
    let mut opened = 0;
    let mut slowest = Duration::ZERO;
    for s in starts {
        let (n, took) = s.await??;
        opened += n;
        slowest = slowest.max(took);
    }
    println!(
        "start: {opened} first sections opened in {} session(s), last reply after {:.2} s",
        room.sessions.len(),
        slowest.as_secs_f64()
    );
    let wait_until = Instant::now() + Duration::from_secs(30);
    while heard_by.lock().await.iter().any(|h| !h) && Instant::now() < wait_until {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    print_hist("start → page told", &*heard.lock().await);
    let missed = heard_by.lock().await.iter().filter(|h| !**h).count();
    println!("pages not told within 30 s: {missed}");

    // Every candidate loads the opened section at once.
    let herd = Arc::new(Mutex::new(histogram()?));
    let errors = Arc::new(AtomicU64::new(0));
    let limiter = Arc::new(tokio::sync::Semaphore::new(args.max_in_flight));
    let t1 = Instant::now();
    let mut joins = Vec::with_capacity(n);
    for c in &room.people {
        let (api, token, herd, errors, limiter) = (
            api.clone(),
            c.token.clone(),
            herd.clone(),
            errors.clone(),
            limiter.clone(),
        );
        joins.push(tokio::spawn(async move {
            let _permit = limiter.acquire_owned().await;
            let ok = match api
                .call(
                    Method::GET,
                    "/api/v1/candidate/sections/0",
                    Some(&token),
                    None,
                )
                .await
            {
                Ok(v) => v["status"] == "open",
                Err(_) => false,
            };
            if !ok {
                errors.fetch_add(1, Ordering::Relaxed);
            }
            herd.lock()
                .await
                .saturating_record(t1.elapsed().as_micros().max(1) as u64);
        }));
    }
    for j in joins {
        j.await?;
    }
    print_hist(
        "every candidate loads the section at once",
        &*herd.lock().await,
    );
    println!(
        "section loads failed: {}; all loaded in {:.2} s",
        errors.load(Ordering::Relaxed),
        t1.elapsed().as_secs_f64()
    );
    Ok(())
}
