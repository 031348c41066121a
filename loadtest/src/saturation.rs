//! `saturation`: the highest answer rate the deployment holds with a p99 within 50 ms, and in the
//! same run the same for the bare storage work of an answer (`meritest-baseline`, on the same
//! stores): the ratio says how much of an answer's cost is meritest's own.
//!
//! Rates rise from `--rate` by `--rate-step` to `--rate-max`; each rate runs `--seconds` against
//! the nodes, then against the baseline, with the same candidates (the baseline is given each
//! candidate's attempt and device, read from the token's claims). A target stops rising once its
//! p99 passes 50 ms or it falls behind the schedule. Under each rate's row, the CPU each watched
//! process (`--process`), PostgreSQL, the generator and the whole machine used during it.
//!
//! Like for like: with `--base-url` on the balancer in front of two nodes, give `--baseline-url`
//! the balancer in front of two baselines (`loadtest/two-nodes.sh baseline`, HAProxy on :8010).
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use anyhow::Context;
use base64::Engine;
use serde_json::{json, Value};

use super::processes::{parse_processes, CpuReading, Watched};
use super::{likert_answer, open_loop, Api, Args, Room};

/// Unmeasured answering before the first rate, for each target.
const WARM_UP_SECONDS: u64 = 5;

/// The p99 a rate must keep to count as held.
const P99_LIMIT_MS: f64 = 50.0;

/// What the baseline needs of a candidate.
struct Seat {
    token: String,
    attempt: String,
    device: String,
    items: Vec<String>,
}

fn seat_of(token: &str, items: &[String]) -> anyhow::Result<Seat> {
    let payload = token.split('.').nth(1).context("not a JWT")?;
    let claims: Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload)?)?;
    Ok(Seat {
        token: token.to_owned(),
        attempt: claims["sub"].as_str().context("no sub")?.to_owned(),
        device: claims["dev"].as_str().context("no dev")?.to_owned(),
        items: items.to_vec(),
    })
}

/// One rate's outcome.
struct Step {
    achieved: f64,
    p50: f64,
    p99: f64,
    max: f64,
    errors: u64,
    /// The CPU each process used during the rate.
    cpu: String,
}

impl Step {
    fn held(&self, rate: u32) -> bool {
        self.errors == 0 && self.p99 <= P99_LIMIT_MS && self.achieved >= 0.97 * f64::from(rate)
    }
}

pub async fn run(api: &Api, room: Room, args: &Args, baseline: &str) -> anyhow::Result<()> {
    let seats: Vec<Seat> = room
        .people
        .iter()
        .map(|c| seat_of(&c.token, &c.items))
        .collect::<anyhow::Result<_>>()?;
    let seats = Arc::new(seats);
    let watched = parse_processes(&args.processes)?;
    // Every request's sequence number is higher than any before it, across rates and targets.
    let seq = Arc::new(AtomicU64::new(0));
    let mut best = [None::<u32>, None::<u32>];
    let mut running = [true, true];
    let mut missed = [0u32; 2];
    let mut rate = args.rate;
    // Both targets first answer for a few seconds unmeasured: a fresh node opens its pool's
    // connections and fills its caches on its first requests, which is not its rate.
    for target in ["nodes", "baseline"] {
        measure(
            api,
            baseline,
            target,
            &seats,
            &seq,
            (args.rate, WARM_UP_SECONDS),
            (args, &watched),
        )
        .await?;
    }
    println!("| answers/s | target | achieved | p50 | p99 | max | errors |");
    println!("|---|---|---|---|---|---|---|");
    while rate <= args.rate_max && running.iter().any(|r| *r) {
        for (t, target) in ["nodes", "baseline"].into_iter().enumerate() {
            if !running[t] {
                continue;
            }
            let step = measure(
                api,
                baseline,
                target,
                &seats,
                &seq,
                (rate, args.seconds),
                (args, &watched),
            )
            .await?;
            println!(
                "| {rate} | {target} | {:.0} | {:.2} ms | {:.2} ms | {:.1} ms | {} |",
                step.achieved, step.p50, step.p99, step.max, step.errors
            );
            println!("|  | CPU of one core: {} |  |  |  |  |  |", step.cpu);
            // One missed step may be a stall of the machine (a checkpoint's fsync): a target is
            // past saturation after two missed in a row, and holds the highest rate it held.
            if step.held(rate) {
                best[t] = Some(rate);
                missed[t] = 0;
            } else {
                missed[t] += 1;
                running[t] = missed[t] < 2;
            }
        }
        rate += args.rate_step;
    }
    match best {
        [Some(n), Some(b)] => println!(
            "held with p99 ≤ {P99_LIMIT_MS} ms: nodes {n}/s, baseline {b}/s{}; ratio {:.2}",
            if running[1] { " (or more)" } else { "" },
            f64::from(n) / f64::from(b)
        ),
        _ => println!(
            "a target held no rate: nodes {:?}, baseline {:?}",
            best[0], best[1]
        ),
    }
    Ok(())
}

/// Answers at `rate` a second for `seconds` against one target.
async fn measure(
    api: &Api,
    baseline: &str,
    target: &str,
    seats: &Arc<Vec<Seat>>,
    seq: &Arc<AtomicU64>,
    (rate, seconds): (u32, u64),
    (args, watched): (&Args, &[Watched]),
) -> anyhow::Result<Step> {
    let n = seats.len() as u64;
    let nodes = target == "nodes";
    let url = if nodes {
        format!("{}/api/v1/candidate/answers", api.base)
    } else {
        format!("{}/answer", baseline.trim_end_matches('/'))
    };
    let before = CpuReading::take(watched);
    let report = open_loop::run(rate, seconds, args.max_in_flight, |i| {
        let (client, url, seats, seq) =
            (api.client.clone(), url.clone(), seats.clone(), seq.clone());
        async move {
            let s = &seats[(i % n) as usize];
            let item = &s.items[((i / n) as usize) % s.items.len()];
            let k = seq.fetch_add(1, Ordering::Relaxed) + 1;
            let point = 1 + k % 5;
            let req = if nodes {
                client
                    .put(&url)
                    .bearer_auth(&s.token)
                    .json(&likert_answer(item, k, point))
            } else {
                client
                    .put(&url)
                    .json(&json!({"attempt": s.attempt, "device": s.device,
                    "section": 0, "item": format!("baseline-{item}"), "seq": k, "point": point}))
            };
            match req.send().await {
                Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                Err(_) => false,
            }
        }
    })
    .await?;
    let cpu = before.describe(&CpuReading::take(watched), watched, report.seconds);
    let ms = |q: f64| report.latency.value_at_quantile(q) as f64 / 1000.0;
    Ok(Step {
        achieved: report.total as f64 / report.seconds,
        p50: ms(0.5),
        p99: ms(0.99),
        max: report.latency.max() as f64 / 1000.0,
        errors: report.errors,
        cpu,
    })
}
