//! Building the application: stores, context, HTTP server. Tests build it on port 0 and talk to a
//! real server.
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::dev::{Server, ServerHandle, Service};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::ErrorHandlers;
use actix_web::{web, App, HttpMessage, HttpServer};
use anyhow::Context;
use secrecy::ExposeSecret;
use tracing_actix_web::{RequestId, TracingLogger};
use utoipa::OpenApi;

use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::access_code::CodeKey;
use crate::routes::{self, errors, metrics::Metrics, openapi::ApiDoc, pages};
use crate::services::answer_writer::{commits_at_once, AnswerWriter};
use crate::services::bootstrap;
use crate::services::instrument_cache::InstrumentCache;
use crate::services::keys::{self, ACCESS_CODE_KEY, SIGNING_SECRET};
use crate::services::organisations::Credentials;
use crate::services::tokens::TokenKeys;
use crate::services::AppContext;
use crate::store::{self, live};

/// Connects the stores, applies migrations and prepares token keys, on the system clock.
pub async fn build_context(settings: Settings) -> anyhow::Result<AppContext> {
    build_context_on(settings, Clock::system()).await
}

/// Wraps the live store a context is built on (fault-injection drills put a layer between the
/// platform and its store).
pub type LiveLayer = Box<dyn FnOnce(Arc<dyn live::LiveStore>) -> Arc<dyn live::LiveStore> + Send>;

/// [`build_context`] on a given clock (tests hand every node one settable clock).
pub async fn build_context_on(settings: Settings, clock: Clock) -> anyhow::Result<AppContext> {
    build_context_with(settings, clock, None).await
}

/// [`build_context_on`], with the live store wrapped by `layer`.
pub async fn build_context_with(
    settings: Settings,
    clock: Clock,
    layer: Option<LiveLayer>,
) -> anyhow::Result<AppContext> {
    let db = open_pool(&settings, settings.database.max_connections).await?;
    store::migrate(&db)
        .await
        .context("cannot apply database migrations")?;
    let probe = open_pool(&settings, 1).await?;
    let feed_db = open_pool(&settings, 1).await?;
    let live: Arc<dyn live::LiveStore> = match &settings.live.redis_url {
        Some(url) => Arc::new(
            live::RedisLiveStore::connect(url.expose_secret(), settings.live.key_prefix.clone())
                .await
                .context("cannot connect to Redis")?,
        ),
        None => Arc::new(live::MemoryLiveStore::new(settings.live.key_prefix.clone())),
    };
    let live = match layer {
        Some(wrap) => wrap(live),
        None => live,
    };
    // Behind a breaker: a live store that fails or stops answering costs one short wait, then
    // requests are answered from the database until it is back.
    let live: Arc<dyn live::LiveStore> = Arc::new(live::Guarded::new(
        live,
        Duration::from_millis(settings.live.call_timeout_ms.max(1)),
        Duration::from_millis(settings.live.retry_after_ms),
    ));
    let key = |kind: keys::KeyKind, configured| {
        keys::load_or_create(kind, configured, &settings.data_dir).with_context(|| {
            format!(
                "cannot read or create the {} in {}",
                kind.what,
                settings.data_dir.display()
            )
        })
    };
    let secret = key(SIGNING_SECRET, settings.auth.secret.as_ref())?;
    let code_key = key(ACCESS_CODE_KEY, settings.auth.access_code_key.as_ref())?;
    if code_key.expose_secret() == secret.expose_secret() {
        anyhow::bail!(
            "the access-code key is the signing secret: give each its own, so that rotating \
             one does not kill the other"
        );
    }
    if settings.auth.access_code_key.is_none() && !settings.is_embedded_database() {
        tracing::warn!(
            file = %settings.data_dir.join(ACCESS_CODE_KEY.file).display(),
            "the access-code key is kept in the data folder: every node needs the same one, and \
             losing it kills every issued code; set MERITEST__AUTH__ACCESS_CODE_KEY"
        );
    }
    // An acknowledgement means the answer is on disk only if the database makes commits durable.
    warn_all(store::durability_warnings(&db).await, "durability");
    warn_all(store::maintenance_warnings(&db).await, "maintenance");
    let tokens = Arc::new(TokenKeys::new(&secret, &settings.auth, clock.clone()));
    let code_key = Arc::new(CodeKey::new(code_key.expose_secret().as_bytes()));
    // The writer commits through connections of its own: an answer is acknowledged after its
    // commit, and it must not queue for a connection behind the reads of thousands of pages
    // reopening their streams at once (as when a node dies and its pages move to this one).
    let in_flight = commits_at_once(
        sea_orm::ConnectionTrait::get_database_backend(&db),
        settings.delivery.commit_in_flight,
    );
    let writer_db = open_pool(&settings, u32::try_from(in_flight).unwrap_or(u32::MAX)).await?;
    let answers = AnswerWriter::spawn(
        writer_db,
        Duration::from_millis(settings.delivery.commit_window_ms),
        settings.delivery.commit_batch_max,
        in_flight,
    );
    Ok(AppContext {
        db,
        probe,
        feed_db,
        live,
        changes: Arc::new(crate::services::monitor::Changes::new(clock.clone())),
        clock,
        tokens,
        code_key,
        settings: Arc::new(settings),
        answers,
        instrument_cache: Arc::new(InstrumentCache::default()),
        competency_cache: Arc::new(
            crate::services::competency_results::cache::ComputedCache::default(),
        ),
        battery_cache: Arc::default(),
        organisation_names: Arc::default(),
        repair: Arc::default(),
        shutdown: crate::services::Shutdown::default(),
    })
}

/// A built, bound, not yet awaited server.
pub struct Application {
    port: u16,
    server: Server,
    context: AppContext,
    credentials: Option<Credentials>,
}

impl Application {
    /// Builds everything and binds the listener (port 0 picks a free port).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_on(settings, Clock::system()).await
    }

    /// [`Application::build`] on a given clock.
    pub async fn build_on(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        Self::build_with(settings, clock, None).await
    }

    /// [`Application::build_on`], with the live store wrapped by `layer`.
    pub async fn build_with(
        settings: Settings,
        clock: Clock,
        layer: Option<LiveLayer>,
    ) -> anyhow::Result<Self> {
        let context = build_context_with(settings, clock, layer).await?;
        let credentials = bootstrap::first_start(&context)
            .await
            .map_err(|e| anyhow::anyhow!("first-start bootstrap failed: {}", e.message))?;
        let s = &context.settings.server;
        let listener = TcpListener::bind((s.host.as_str(), s.port))
            .with_context(|| format!("cannot listen on {}:{}", s.host, s.port))?;
        let port = listener.local_addr()?.port();
        let server = run(listener, context.clone())?;
        crate::services::attempt::expiry::spawn(context.clone());
        crate::services::monitor::spawn(context.clone());
        crate::services::revocations::spawn(context.clone());
        Ok(Self {
            port,
            server,
            context,
            credentials,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The context the server runs with (tests reach the database through it).
    pub fn context(&self) -> &AppContext {
        &self.context
    }

    /// Accounts created on this first start, to show once.
    pub fn credentials(&self) -> Option<&Credentials> {
        self.credentials.as_ref()
    }

    /// A handle that stops the server (see [`stop_node`] for the order a node stops in).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped. SIGTERM stops the node as [`stop_node`] describes, after the
    /// configured drain; Ctrl-C (or a second signal during the drain) does it without waiting.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (ctx, handle) = (self.context.clone(), self.server.handle());
        let signalled = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let by_signal = signalled.clone();
        let stopper = tokio::spawn(async move {
            let signal = next_signal().await;
            by_signal.store(true, std::sync::atomic::Ordering::Release);
            let drain = match signal {
                Signal::Terminate => Duration::from_secs(ctx.settings.server.drain_seconds),
                Signal::Interrupt => Duration::ZERO,
            };
            stop_node(&ctx, &handle, drain, next_signal()).await;
        });
        self.server.await?;
        if signalled.load(std::sync::atomic::Ordering::Acquire) {
            // Stopped by a signal: the stop ends with the last flush of the proctors' feed.
            let _ = stopper.await;
        } else {
            // Stopped through its handle: whoever stopped it (`stop_node`) sends the last feed.
            stopper.abort();
        }
        Ok(())
    }
}

/// Stops a node without a candidate noticing more than a reconnect:
/// 1. `/ready` answers 503 (`stopping`) while the node serves on for `drain` (or until `cut_short`
///    resolves), so a balancer's health check takes it out of rotation first;
/// 2. its event streams end, spread over a time that lets the nodes their pages reconnect to
///    rebuild them at [`crate::store::live::REBUILDS_PER_SECOND`] (5,000 pages: 10 s; at most
///    `server.shutdown_timeout_seconds`);
/// 3. the requests it began finish (up to `server.shutdown_timeout_seconds`), then it closes its
///    connections, the balancer's idle HTTP/2 ones among them, without waiting for them to idle out;
/// 4. what it gathered for the proctors' feed since its last flush is sent, so no answer it
///    acknowledged is missing from a proctor's row.
pub async fn stop_node(
    ctx: &AppContext,
    server: &ServerHandle,
    drain: Duration,
    cut_short: impl std::future::Future<Output = Signal>,
) {
    ctx.shutdown.drain();
    tracing::info!(
        drain_seconds = drain.as_secs_f64(),
        "stopping: /ready answers 503; serving on while the balancer notices"
    );
    tokio::pin!(cut_short);
    let mut hurry = false;
    tokio::select! {
        _ = tokio::time::sleep(drain) => {}
        _ = &mut cut_short => hurry = true,
    }
    let timeout = Duration::from_secs(ctx.settings.server.shutdown_timeout_seconds);
    let spread = match hurry {
        true => Duration::ZERO,
        false => ctx.shutdown.stream_end_spread().min(timeout),
    };
    tracing::info!(
        streams = ctx.shutdown.open_streams(),
        spread_seconds = spread.as_secs_f64(),
        "stopping: the event streams end"
    );
    ctx.shutdown.end_streams(spread);
    let limit = Instant::now() + spread + Duration::from_secs(1);
    while ctx.shutdown.open_streams() > 0 && Instant::now() < limit && !hurry {
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(50)) => {}
            _ = &mut cut_short => hurry = true,
        }
    }
    let limit = Instant::now() + timeout;
    while ctx.shutdown.in_flight() > 0 && Instant::now() < limit {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let unfinished = ctx.shutdown.in_flight();
    if unfinished > 0 {
        tracing::warn!(
            unfinished,
            "stopping with requests unfinished after the shutdown timeout"
        );
    }
    // A handler that returned has its answer written within moments; then the connections close.
    tokio::time::sleep(Duration::from_millis(100)).await;
    server.stop(false).await;
    flush_feed(ctx).await;
    tracing::info!("stopped");
}

/// [`open_database`], its failure said in words for the operator starting the node.
async fn open_pool(
    settings: &Settings,
    max_connections: u32,
) -> anyhow::Result<sea_orm::DatabaseConnection> {
    open_database(settings, max_connections)
        .await
        .with_context(|| format!("cannot open the {} database", settings.database_kind()))
}

/// Opens the configured database with a pool of `max_connections`.
async fn open_database(
    settings: &Settings,
    max_connections: u32,
) -> Result<sea_orm::DatabaseConnection, sea_orm::DbErr> {
    store::connect(
        settings.database_url().expose_secret(),
        max_connections,
        Duration::from_secs(settings.database.acquire_timeout_seconds),
        Duration::from_millis(settings.database.busy_timeout_ms),
    )
    .await
}

/// Logs each of the database's warnings about its `what` settings (or that they were unreadable).
fn warn_all(warnings: Result<Vec<String>, sea_orm::DbErr>, what: &str) {
    match warnings {
        Ok(warnings) => warnings.iter().for_each(|w| tracing::warn!("{w}")),
        Err(e) => tracing::warn!(error = %e, "could not read the database's {what} settings"),
    }
}

/// The last flush of the proctors' feed, once the server has stopped. It reads through the
/// feed's own connection (`AppContext::feed_db`), which only the flush task started beside the
/// server uses: the request pool's connections opened inside the server's workers went with the
/// workers' runtimes (a query on one fails at once: "a Tokio context … being shut down").
async fn flush_feed(ctx: &AppContext) {
    if let Err(e) = crate::services::monitor::flush(ctx).await {
        tracing::warn!(error = %e.message, "the last changes of the proctors' feed were not sent");
    }
}

/// The signals that stop a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// SIGTERM: an orchestrator or an operator's `kill`; the node drains first.
    Terminate,
    /// Ctrl-C: someone at a terminal; no drain.
    Interrupt,
}

/// Waits for SIGTERM or Ctrl-C. If SIGTERM cannot be watched, only Ctrl-C stops the node.
pub async fn next_signal() -> Signal {
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => Signal::Interrupt,
                _ = term.recv() => Signal::Terminate,
            },
            Err(e) => {
                tracing::warn!(error = %e, "cannot watch SIGTERM; only Ctrl-C stops the node");
                let _ = tokio::signal::ctrl_c().await;
                Signal::Interrupt
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        Signal::Interrupt
    }
}

fn run(listener: TcpListener, ctx: AppContext) -> anyhow::Result<Server> {
    let metrics = web::Data::new(Metrics::new(&ctx).context("cannot register metrics")?);
    let openapi = web::Data::new(ApiDoc::openapi());
    let settings = ctx.settings.clone();
    let ctx = web::Data::new(ctx);
    let limit = settings.server.json_limit_bytes;
    let shutdown = ctx.shutdown.clone();
    let mut server = HttpServer::new(move || {
        let m = metrics.clone();
        let shutdown = shutdown.clone();
        App::new()
            .app_data(ctx.clone())
            .app_data(metrics.clone())
            .app_data(openapi.clone())
            .app_data(errors::json_config(limit))
            .app_data(errors::query_config())
            .app_data(errors::path_config())
            .app_data(errors::payload_config(limit))
            .wrap(ErrorHandlers::new().default_handler(errors::normalise))
            .wrap_fn(move |req, srv| {
                let started = Instant::now();
                let method = req.method().to_string();
                let request_id = req.extensions().get::<RequestId>().map(|r| r.to_string());
                let m = m.clone();
                let in_flight = shutdown.request_began();
                let fut = srv.call(req);
                async move {
                    // Counted until the handler has answered (a stream: its first frame).
                    let _in_flight = in_flight;
                    let mut res = fut.await?;
                    let route = res
                        .request()
                        .match_pattern()
                        .unwrap_or_else(|| "unmatched".into());
                    m.observe(&route, &method, res.status().as_u16(), started);
                    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
                        res.headers_mut()
                            .insert(HeaderName::from_static("x-request-id"), id);
                    }
                    private_by_default(&mut res);
                    Ok(res)
                }
            })
            .wrap(TracingLogger::default())
            .configure(routes::configure)
            .default_service(web::to(pages::serve))
    })
    // The node stops in its own order (`stop_node`), not at actix's first signal.
    .disable_signals()
    // Each write goes out at once. With Nagle's algorithm (the OS default) a response written in
    // two parts (HTTP/2's headers and data frames, an event stream's frames) held its second
    // part until the first was acknowledged, and a balancer delays its acknowledgements: 40 ms,
    // up to 200 ms, on every such response.
    .tcp_nodelay(true)
    .shutdown_timeout(settings.server.shutdown_timeout_seconds);
    if let Some(w) = settings.server.workers {
        server = server.workers(w.max(1));
    }
    // HTTP/1.1, and HTTP/2 without TLS for a client that starts with its preface: a balancer
    // in front (`loadtest/haproxy/haproxy.cfg`) then carries thousands of candidates' page
    // streams over a few connections to each node instead of one socket per stream.
    Ok(server.listen_auto_h2c(listener)?.run())
}

/// Headers every response carries unless its handler chose otherwise: no page or API answer
/// leaks its address to another site (`Referrer-Policy`), and API answers — a person's results,
/// codes and exports among them — are never kept by a browser or a proxy cache (`no-store`).
/// Images that never change (item assets) set their own caching.
fn private_by_default<B>(res: &mut actix_web::dev::ServiceResponse<B>) {
    let api = res.request().path().starts_with("/api/");
    let headers = res.headers_mut();
    headers.insert(
        actix_web::http::header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if api && !headers.contains_key(actix_web::http::header::CACHE_CONTROL) {
        headers.insert(
            actix_web::http::header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        );
    }
}
