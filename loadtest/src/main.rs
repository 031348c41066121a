//! meritest load generator. For now one smoke scenario: staff sign in, then an open-loop stream of
//! item-bank reads at a fixed rate. Latency is measured from each request's *scheduled* start, so a
//! slow server cannot hide its queueing (no coordinated omission), into an HDR histogram at
//! microsecond resolution. Traffic goes only to loopback addresses, is bounded in count and time,
//! and stops by itself.
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use hdrhistogram::Histogram;
use tokio::sync::Mutex;

#[derive(Debug, Parser)]
#[command(
    name = "meritest-loadtest",
    about = "Open-loop load generator for meritest (loopback only)"
)]
struct Args {
    /// Base URL of a meritest node on this machine.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base_url: String,
    /// Staff e-mail to sign in with.
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
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let url = reqwest::Url::parse(&args.base_url).context("invalid --base-url")?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    if !loopback {
        bail!("refusing to send load to {url}: only loopback addresses are allowed");
    }
    if args.seconds == 0 || args.seconds > 600 || args.rate == 0 || args.rate > 100_000 {
        bail!("--seconds must be 1..=600 and --rate 1..=100000");
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.max_in_flight)
        .build()?;
    let login: serde_json::Value = client
        .post(format!("{}/api/v1/auth/login", args.base_url))
        .json(&serde_json::json!({"email": args.email, "password": args.password}))
        .send()
        .await?
        .error_for_status()
        .context("sign-in failed")?
        .json()
        .await?;
    let token = login["token"]
        .as_str()
        .context("no token in the sign-in reply")?
        .to_owned();

    let hist = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(
        1, 60_000_000, 3,
    )?));
    let errors = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let limiter = Arc::new(tokio::sync::Semaphore::new(args.max_in_flight));
    let total = u64::from(args.rate) * args.seconds;
    let interval = Duration::from_secs_f64(1.0 / f64::from(args.rate));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let scheduled = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        let permit = limiter.clone().acquire_owned().await?;
        let (client, token, hist, errors) =
            (client.clone(), token.clone(), hist.clone(), errors.clone());
        let target = format!("{}/api/v1/instruments", args.base_url);
        tasks.push(tokio::spawn(async move {
            let ok = match client.get(&target).bearer_auth(&token).send().await {
                Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                Err(_) => false,
            };
            if !ok {
                errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            let micros = scheduled.elapsed().as_micros().min(60_000_000) as u64;
            hist.lock().await.saturating_record(micros.max(1));
            drop(permit);
        }));
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let h = hist.lock().await;
    println!(
        "requests {total} in {elapsed:.1}s ({:.0}/s), errors {}",
        total as f64 / elapsed,
        errors.load(std::sync::atomic::Ordering::Relaxed)
    );
    for q in [0.5, 0.9, 0.99, 0.999] {
        println!(
            "p{:<5} {:>8.2} ms",
            q * 100.0,
            h.value_at_quantile(q) as f64 / 1000.0
        );
    }
    println!("max    {:>8.2} ms", h.max() as f64 / 1000.0);
    Ok(())
}
