//! Server-Sent Events: a first event, then whatever is published on a topic, with comment lines
//! to keep proxies from closing an idle stream. A listener that may have missed events (the bus
//! reconnected, or it fell behind) is sent a fresh first event instead.
use std::sync::Arc;
use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::HttpResponse;
use futures_util::future::BoxFuture;
use tokio::sync::broadcast::{self, error::RecvError};

use crate::error::ApiError;
use crate::services::monitor::RESYNC;

/// Builds the full event that brings a listener up to date.
pub type Resync = Arc<dyn Fn() -> BoxFuture<'static, Result<String, ApiError>> + Send + Sync>;

/// Runs at every keep-alive (a heartbeat).
pub type Tick = Arc<dyn Fn() + Send + Sync>;

/// `name\njson` → an SSE frame.
fn frame(payload: &str) -> Bytes {
    let (event, data) = payload.split_once('\n').unwrap_or(("message", payload));
    Bytes::from(format!("event: {event}\ndata: {data}\n\n"))
}

struct State {
    first: Option<String>,
    stop: tokio::sync::watch::Receiver<bool>,
    rx: broadcast::Receiver<Arc<str>>,
    every: tokio::time::Interval,
    resync: Resync,
    tick: Option<Tick>,
}

/// A `text/event-stream` response: `first`, then the topic's events, until the client leaves
/// or `stop` turns true (the node is stopping).
pub fn stream(
    first: String,
    stop: tokio::sync::watch::Receiver<bool>,
    rx: broadcast::Receiver<Arc<str>>,
    resync: Resync,
    keepalive: Duration,
    tick: Option<Tick>,
) -> HttpResponse {
    let start = tokio::time::Instant::now() + keepalive;
    let state = State {
        first: Some(first),
        stop,
        rx,
        every: tokio::time::interval_at(start, keepalive),
        resync,
        tick,
    };
    let body = futures_util::stream::unfold(state, |mut s| async move {
        if let Some(first) = s.first.take() {
            return Some((Ok::<_, actix_web::Error>(frame(&first)), s));
        }
        if *s.stop.borrow() {
            return None;
        }
        let out = tokio::select! {
            _ = s.stop.changed() => return None,
            msg = s.rx.recv() => match msg {
                Ok(p) if &*p != RESYNC => frame(&p),
                Ok(_) | Err(RecvError::Lagged(_)) => match (s.resync)().await {
                    Ok(f) => frame(&f),
                    Err(_) => return None,
                },
                Err(RecvError::Closed) => return None,
            },
            _ = s.every.tick() => {
                if let Some(t) = &s.tick {
                    t();
                }
                Bytes::from_static(b": keepalive\n\n")
            }
        };
        Some((Ok(out), s))
    });
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("cache-control", "no-cache, no-store"))
        .insert_header(("x-accel-buffering", "no"))
        .streaming(body)
}
