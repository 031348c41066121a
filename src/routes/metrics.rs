//! Prometheus metrics: requests by route, method and status; latency histograms; pool use.
use std::time::Instant;

use actix_web::http::Method;
use actix_web::{web, HttpResponse};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use super::Routes;
use crate::services::ops;
use crate::services::AppContext;

/// `/metrics`.
pub fn configure(routes: &mut Routes) {
    routes.route("/metrics", Method::GET, metrics);
}

/// The registry and the collectors the middleware feeds.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_open: IntGauge,
    pool_idle: IntGauge,
    live_errors: IntCounter,
    live_short_circuited: IntCounter,
    live_degraded: IntGauge,
    answer_queue: IntGauge,
    open_streams: IntGauge,
}

impl Metrics {
    /// A fresh registry (one per server, so tests do not share counts), with this node's
    /// group-commit batch sizes.
    pub fn new(ctx: &AppContext) -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("meritest".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests by route, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "HTTP request latency by route and method",
            )
            .buckets(vec![
                0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                10.0,
            ]),
            &["route", "method"],
        )?;
        let pool_open = IntGauge::new("db_pool_connections", "open database connections")?;
        let pool_idle = IntGauge::new("db_pool_idle_connections", "idle database connections")?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        let live_errors = IntCounter::new(
            "live_store_errors_total",
            "live-store calls that failed or did not answer in time",
        )?;
        let live_short_circuited = IntCounter::new(
            "live_store_short_circuited_total",
            "live-store calls refused at once after a recent failure (answered from the database)",
        )?;
        let live_degraded = IntGauge::new(
            "live_store_degraded",
            "1 while the live store is failing and this node answers from the database alone",
        )?;
        registry.register(Box::new(pool_open.clone()))?;
        registry.register(Box::new(pool_idle.clone()))?;
        registry.register(Box::new(live_errors.clone()))?;
        registry.register(Box::new(live_short_circuited.clone()))?;
        registry.register(Box::new(live_degraded.clone()))?;
        let answer_queue = IntGauge::new(
            "answer_queue_depth",
            "answers waiting for this node's group-commit writer",
        )?;
        let open_streams = IntGauge::new(
            "open_streams",
            "event streams open on this node (proctors' rooms, candidates' pages)",
        )?;
        registry.register(Box::new(answer_queue.clone()))?;
        registry.register(Box::new(open_streams.clone()))?;
        registry.register(Box::new(ctx.answers.batch_sizes()))?;
        registry.register(Box::new(ctx.changes.flush_durations()))?;
        Ok(Self {
            registry,
            requests,
            latency,
            pool_open,
            pool_idle,
            live_errors,
            live_short_circuited,
            live_degraded,
            answer_queue,
            open_streams,
        })
    }

    /// Records one finished request. `route` is the matched pattern (or `unmatched`) and `method`
    /// one of the standard methods (or `other`), so neither ids nor made-up methods sent by anyone
    /// can grow the label set.
    pub fn observe(&self, route: &str, method: &str, status: u16, started: Instant) {
        let method = method_label(method);
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.latency
            .with_label_values(&[route, method])
            .observe(started.elapsed().as_secs_f64());
    }
}

/// A request method as a label: the standard ones as they are, anything else `other`.
fn method_label(method: &str) -> &'static str {
    const KNOWN: [&str; 9] = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE",
    ];
    KNOWN.into_iter().find(|m| *m == method).unwrap_or("other")
}

/// The Prometheus text exposition.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub async fn metrics(ctx: web::Data<AppContext>, m: web::Data<Metrics>) -> HttpResponse {
    let (open, idle) = ops::pool_stats(&ctx);
    m.pool_open.set(i64::from(open));
    m.pool_idle.set(i64::from(idle));
    // The breaker's counts only grow: the counters catch up with them.
    let live = ctx.live.health();
    m.live_errors
        .inc_by(live.errors.saturating_sub(m.live_errors.get()));
    m.live_short_circuited.inc_by(
        live.short_circuited
            .saturating_sub(m.live_short_circuited.get()),
    );
    m.live_degraded.set(i64::from(live.degraded));
    m.answer_queue.set(ctx.answers.queue_depth() as i64);
    m.open_streams.set(ctx.shutdown.open_streams() as i64);
    let mut buf = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&m.registry.gather(), &mut buf) {
        tracing::error!(error = %e, "metrics encoding failed");
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(buf)
}
