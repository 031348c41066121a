//! The open-loop runner: requests are scheduled at a fixed rate whatever the server does, and
//! each latency is measured from its scheduled start (no coordinated omission), into an HDR
//! histogram at microsecond resolution.
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::sync::Mutex;

/// What a run measured.
pub struct Report {
    /// Requests scheduled and completed.
    pub total: u64,
    /// Requests that failed (transport error or a status other than success).
    pub errors: u64,
    /// Wall-clock seconds from the first scheduled request to the last reply.
    pub seconds: f64,
    /// Latencies in microseconds from each request's scheduled start.
    pub latency: Histogram<u64>,
}

impl Report {
    /// Prints the report as the README quotes it.
    pub fn print(&self, what: &str) {
        println!(
            "{what} {} in {:.1}s ({:.0}/s), errors {}",
            self.total,
            self.seconds,
            self.total as f64 / self.seconds,
            self.errors
        );
        for q in [0.5, 0.9, 0.99, 0.999] {
            println!(
                "p{:<5} {:>8.2} ms",
                q * 100.0,
                self.latency.value_at_quantile(q) as f64 / 1000.0
            );
        }
        println!("max    {:>8.2} ms", self.latency.max() as f64 / 1000.0);
    }
}

/// Runs `request(i)` for i in 0..rate·seconds at `rate` per second, at most `max_in_flight` at
/// once. `request` returns whether the request succeeded.
pub async fn run<F, Fut>(
    rate: u32,
    seconds: u64,
    max_in_flight: usize,
    request: F,
) -> anyhow::Result<Report>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = bool> + Send + 'static,
{
    let hist = Arc::new(Mutex::new(Histogram::<u64>::new_with_bounds(
        1, 60_000_000, 3,
    )?));
    let errors = Arc::new(AtomicU64::new(0));
    let limiter = Arc::new(tokio::sync::Semaphore::new(max_in_flight));
    let total = u64::from(rate) * seconds;
    let interval = Duration::from_secs_f64(1.0 / f64::from(rate));
    let start = Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        let scheduled = start + interval.mul_f64(i as f64);
        tokio::time::sleep_until(scheduled.into()).await;
        let permit = limiter.clone().acquire_owned().await?;
        let (hist, errors) = (hist.clone(), errors.clone());
        let fut = request(i);
        tasks.push(tokio::spawn(async move {
            if !fut.await {
                errors.fetch_add(1, Ordering::Relaxed);
            }
            let micros = scheduled.elapsed().as_micros().min(60_000_000) as u64;
            hist.lock().await.saturating_record(micros.max(1));
            drop(permit);
        }));
    }
    for t in tasks {
        t.await?;
    }
    let seconds = start.elapsed().as_secs_f64();
    let latency = hist.lock().await.clone();
    Ok(Report {
        total,
        errors: errors.load(Ordering::Relaxed),
        seconds,
        latency,
    })
}
