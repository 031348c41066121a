//! Persistence: sea-orm entities and repositories for the system of record (SQLite or PostgreSQL),
//! and the live store. Queries live here and nowhere else.
pub mod accounts;
pub mod attempt_events;
pub mod attempts;
pub mod audit;
pub mod batteries;
pub mod campaigns;
pub mod entities;
pub mod instruments;
pub mod live;
pub mod organisations;
mod query;
pub mod responses;

use std::time::Duration;

use meritest_migrations::MigratorTrait;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, SqlErr, TransactionTrait,
};

/// Opens the database at `url` with a pool of `max_connections`.
pub async fn connect(
    url: &str,
    max_connections: u32,
    acquire_timeout: Duration,
) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(file).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", dir.display())))?;
            }
        }
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(acquire_timeout)
        .sqlx_logging(false);
    let db = Database::connect(opts).await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        // WAL lets readers proceed while one writer commits; it is a property of the file and
        // persists, so setting it on one connection is enough.
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
        db.execute_unprepared("PRAGMA synchronous=NORMAL").await?;
    }
    Ok(db)
}

/// Key of the PostgreSQL advisory lock that serialises migrations between nodes ("meritest" in
/// ASCII, read as a number).
const MIGRATION_LOCK: i64 = 0x6d65_7269_7465_7374;

/// Applies every pending migration. On PostgreSQL several nodes may start at once against one
/// database: the migrations run inside one transaction holding an advisory lock, so the second
/// node waits, then finds nothing pending. A SQLite file belongs to one node.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return meritest_migrations::Migrator::up(db, None).await;
    }
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        .await?;
    meritest_migrations::Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// Whether the database answers a trivial query.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.ping().await
}

/// A value as a JSON column.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, DbErr> {
    serde_json::to_value(v).map_err(|e| DbErr::Custom(format!("cannot serialise: {e}")))
}

/// Whether an error is a unique-constraint violation (a concurrent or repeated insert).
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Connection-pool figures for `/metrics`: (open connections, idle connections).
pub fn pool_stats(db: &DatabaseConnection) -> (u32, u32) {
    match db {
        DatabaseConnection::SqlxPostgresPoolConnection(_) => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
        DatabaseConnection::SqlxSqlitePoolConnection(_) => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle() as u32)
        }
        _ => (0, 0),
    }
}
