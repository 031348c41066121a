//! The baseline the load test measures meritest's answer path against (issue 15): a bare
//! actix-web handler that does only the storage work of an answer, with meritest's own store
//! code on the same PostgreSQL and Redis as the nodes: one live-store read of the attempt, then
//! one group-committed upsert guarded as an answer is (the device still holds the attempt, the
//! section is open). Everything else an answer costs (authentication, validation, the item and
//! choice lookup, JSON, middleware, metrics) is left out, so the ratio of the two says how much of
//! the answer path is overhead.
//!
//!   meritest-baseline --port 8090 --database-url postgres://… --redis-url redis://… --key-prefix P
//!
//! `PUT /answer` with `{"attempt": uuid, "device": "…", "section": 0, "item": "…", "seq": 1,
//! "point": 3}` answers 200 `{"stored": true|false}`, or 503 when the store fails.
//! It listens on loopback only.
use std::sync::Arc;
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use anyhow::Context;
use clap::Parser;
use meritest::domain::ids::AttemptId;
use meritest::services::answer_writer::{AnswerWriter, Written};
use meritest::store::live::{LiveStore, RedisLiveStore};
use meritest::store::responses::{OpenGuard, ResponseRow};
use serde::Deserialize;

// The allocator a node runs on (src/main.rs), so the two are compared like for like.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "meritest-baseline",
    about = "The storage work of an answer, alone"
)]
struct Args {
    #[arg(long, default_value_t = 8090)]
    port: u16,
    #[arg(long)]
    database_url: String,
    #[arg(long)]
    redis_url: String,
    /// The nodes' live-store key prefix, so the attempt read finds their keys.
    #[arg(long, default_value = "meritest:")]
    key_prefix: String,
    /// The group commit's window, batch and batches in flight, as the nodes' defaults.
    #[arg(long, default_value_t = 2)]
    commit_window_ms: u64,
    #[arg(long, default_value_t = 256)]
    commit_batch_max: usize,
    #[arg(long, default_value_t = 2)]
    commit_in_flight: usize,
}

#[derive(Deserialize)]
struct Answer {
    attempt: uuid::Uuid,
    device: String,
    section: i32,
    item: String,
    seq: i64,
    point: u8,
}

struct Stores {
    live: Arc<dyn LiveStore>,
    writer: AnswerWriter,
}

async fn answer(stores: web::Data<Stores>, body: web::Json<Answer>) -> HttpResponse {
    let a = body.into_inner();
    if stores
        .live
        .get_attempt(&a.attempt.to_string())
        .await
        .is_err()
    {
        return HttpResponse::ServiceUnavailable().finish();
    }
    let now = chrono::Utc::now();
    let row = ResponseRow {
        attempt: AttemptId::from(a.attempt),
        section: a.section,
        item: a.item,
        value: serde_json::json!({"point": a.point}),
        seq: a.seq,
        flagged: false,
        received_at: now,
        selection: None,
    };
    let guard = OpenGuard {
        device: a.device,
        deadline_not_before: now,
    };
    match stores.writer.write(row, guard).await {
        Ok(w) => HttpResponse::Ok().json(serde_json::json!({"stored": w != Written::NotStored})),
        Err(_) => HttpResponse::ServiceUnavailable().finish(),
    }
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let db = meritest::store::connect(
        &args.database_url,
        16,
        Duration::from_secs(10),
        Duration::from_secs(5),
    )
    .await
    .context("cannot open the database")?;
    let live: Arc<dyn LiveStore> = Arc::new(
        RedisLiveStore::connect(&args.redis_url, args.key_prefix.clone())
            .await
            .context("cannot connect to Redis")?,
    );
    let stores = web::Data::new(Stores {
        live,
        writer: AnswerWriter::spawn(
            db,
            Duration::from_millis(args.commit_window_ms),
            args.commit_batch_max,
            args.commit_in_flight,
        ),
    });
    println!("baseline on http://127.0.0.1:{}", args.port);
    HttpServer::new(move || {
        App::new()
            .app_data(stores.clone())
            .route("/answer", web::put().to(answer))
    })
    .tcp_nodelay(true) // as a meritest node
    // HTTP/1.1 or HTTP/2 without TLS on one port, as a node: the balancer speaks HTTP/2 to both.
    .listen_auto_h2c(std::net::TcpListener::bind(("127.0.0.1", args.port))?)?
    .run()
    .await?;
    Ok(())
}
