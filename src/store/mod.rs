//! Persistence: sea-orm entities and repositories for the system of record (SQLite or PostgreSQL),
//! and the live store. Queries live here and nowhere else.
pub mod accounts;
pub mod assessor_assignments;
pub mod attempt_events;
pub mod attempts;
pub mod audit;
pub mod batteries;
pub mod campaign_rule_pins;
pub mod campaigns;
pub mod competencies;
pub mod competency_overrides;
pub mod competency_rules;
pub mod discipline;
pub mod entities;
pub mod exercises;
pub mod fingerprints;
pub mod instruments;
pub mod integrated_levels;
pub mod item_analysis;
pub mod item_parameters;
pub mod job_standards;
pub mod live;
pub mod norm_tables;
pub mod organisations;
pub mod performance;
mod query;
pub mod report_releases;
pub mod responses;
pub mod revocations;

use std::time::Duration;

use meritest_migrations::MigratorTrait;
use sea_orm::sqlx::{self, error::DatabaseError};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    RuntimeErr, SqlErr, TransactionTrait,
};

/// A SQLite URL that creates its file when it is missing (`mode=rwc`), as a new deployment expects,
/// unless the URL says otherwise or names an in-memory database; other URLs as they are.
fn creating_sqlite_file(url: &str) -> String {
    if !url.starts_with("sqlite:") || url.contains("mode=") || url.contains(":memory:") {
        return url.to_owned();
    }
    let join = if url.contains('?') { '&' } else { '?' };
    format!("{url}{join}mode=rwc")
}

/// Opens the database at `url` with a pool of `max_connections`. A statement that needs a lock
/// another transaction holds waits up to `busy_timeout` for it (SQLite's busy timeout,
/// PostgreSQL's `lock_timeout`), then fails as contention ([`is_contention`]), which the client
/// sees as a retryable `database_busy`.
pub async fn connect(
    url: &str,
    max_connections: u32,
    acquire_timeout: Duration,
    busy_timeout: Duration,
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
    let mut opts = ConnectOptions::new(creating_sqlite_file(url));
    opts.max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(acquire_timeout)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| o.busy_timeout(busy_timeout))
        .map_sqlx_postgres_opts(move |o| {
            o.options([(
                "lock_timeout",
                format!("{}ms", busy_timeout.as_millis().max(1)),
            )])
        });
    let db = Database::connect(opts).await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        // WAL lets readers proceed while one writer commits; it is a property of the file and
        // persists, so setting it on one connection is enough.
        db.execute_unprepared("PRAGMA journal_mode=WAL").await?;
        db.execute_unprepared("PRAGMA synchronous=NORMAL").await?;
    }
    Ok(db)
}

/// Begins a transaction that will write, holding the database's write lock from its first
/// statement, so that what it reads stays true until it commits.
///
/// SQLite lets one connection write at a time. A transaction begun the usual way (a deferred
/// `BEGIN`) reads from a snapshot and asks for the write lock only at its first write; if another
/// connection committed meanwhile, the snapshot is stale and SQLite refuses at once
/// (`SQLITE_BUSY_SNAPSHOT`, "database is locked") without waiting out the busy timeout, which
/// is how overlapping requests failed. Here the first statement is a write that changes nothing:
/// it waits its turn for the lock (up to the busy timeout) with a fresh snapshot, like
/// `BEGIN IMMEDIATE`, which sea-orm cannot issue. Readers are not held up (WAL).
///
/// On PostgreSQL writers do not exclude each other: a transaction that reads a row to decide
/// what to write locks it (`SELECT … FOR UPDATE`) or writes conditionally (`… WHERE status = x`).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let txn = db.begin().await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Sqlite {
        // The migrator's table exists in every migrated database and only migrations write it.
        txn.execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 0")
            .await?;
    }
    Ok(txn)
}

/// Whether an error is contention that a retry may get past: SQLite busy or locked (after the
/// busy timeout, or a stale snapshot), or PostgreSQL's serialization failure (40001), deadlock
/// (40P01) or lock timeout (55P03). Read from the drivers' error codes, not their messages.
pub fn is_contention(err: &DbErr) -> bool {
    let Some(sqlx::Error::Database(db_err)) = sqlx_error_of(err) else {
        return false;
    };
    if let Some(e) = db_err.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
        // Extended result codes: the primary code is the low byte.
        return e
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| matches!(c & 0xff, SQLITE_BUSY | SQLITE_LOCKED));
    }
    if let Some(e) = db_err.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
        return matches!(e.code(), "40001" | "40P01" | "55P03");
    }
    false
}

/// Whether the database could not be reached or dropped the connection mid-request: a restart,
/// a crash and its recovery, a network cut. The request did not complete (a commit whose reply
/// was lost may have: an answer sent again is idempotent), and the same request may succeed once
/// the database is back, so it is answered as unavailable, never as an internal error.
pub fn is_unreachable(err: &DbErr) -> bool {
    if matches!(err, DbErr::ConnectionAcquire(_)) {
        return true;
    }
    let Some(e) = sqlx_error_of(err) else {
        // sea-orm's own text errors carry no kind; a connection error is already `Conn`.
        return matches!(err, DbErr::Conn(_));
    };
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db_err) => db_err
            .try_downcast_ref::<sqlx::postgres::PgDatabaseError>()
            // Class 08: connection exception; class 57: operator intervention (57P01 the
            // server is shutting down, 57P02 crash shutdown, 57P03 it cannot accept
            // connections yet, during recovery).
            .is_some_and(|e| e.code().starts_with("08") || e.code().starts_with("57P")),
        _ => false,
    }
}

/// The driver's error under a connection, statement or query error, if the driver raised it.
fn sqlx_error_of(err: &DbErr) -> Option<&sqlx::Error> {
    match err {
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => Some(e),
        _ => None,
    }
}

/// SQLite's primary result codes for "another connection holds the lock".
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;

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
    // Another node's migrations may take longer than the lock timeout of requests: wait them out.
    txn.execute_unprepared("SET LOCAL lock_timeout = 0").await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        .await?;
    meritest_migrations::Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// What the database says against the durability an acknowledged answer relies on: every
/// acknowledgement is sent after the answer's commit, which means something only if the commit
/// reached disk (`fsync` on, `synchronous_commit` on or stronger, `full_page_writes` on). Each
/// setting that says otherwise is one warning. A SQLite file here commits in WAL mode with
/// `synchronous = NORMAL`, which keeps committed data through a crash of the process (not always
/// through a power cut of the machine): one warning says so when its setting is lower.
pub async fn durability_warnings(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    let mut out = Vec::new();
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            for (setting, good) in [
                ("fsync", &["on"][..]),
                (
                    "synchronous_commit",
                    &["on", "remote_write", "remote_apply"][..],
                ),
                ("full_page_writes", &["on"][..]),
            ] {
                let Some(value) = pg_setting(db, setting).await? else {
                    continue;
                };
                if !good.contains(&value.as_str()) {
                    out.push(format!(
                        "PostgreSQL {setting} is {value}: an answer acknowledged to a candidate \
                         may be lost in a crash (set it to {})",
                        good[0]
                    ));
                }
            }
        }
        sea_orm::DatabaseBackend::Sqlite => {
            let row = db
                .query_one(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Sqlite,
                    "PRAGMA synchronous".to_owned(),
                ))
                .await?;
            // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
            let level: i64 = match row {
                Some(r) => r.try_get_by_index(0)?,
                None => 1,
            };
            if level < 1 {
                out.push(format!(
                    "SQLite synchronous is {level} (OFF): an acknowledged answer may be lost in a crash"
                ));
            }
        }
        _ => {}
    }
    Ok(out)
}

/// What the database says against keeping its plans sound under a campaign's load: PostgreSQL
/// with `autovacuum` off never refreshes its tables' statistics (nor clears the dead rows every
/// re-sent answer leaves), so the planner keeps guessing from an empty table.
pub async fn maintenance_warnings(db: &DatabaseConnection) -> Result<Vec<String>, DbErr> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Ok(Vec::new());
    }
    let Some(value) = pg_setting(db, "autovacuum").await? else {
        return Ok(Vec::new());
    };
    Ok(match value.as_str() {
        "on" => Vec::new(),
        _ => vec![format!(
            "PostgreSQL autovacuum is {value}: table statistics and dead rows are never \
             maintained and queries slow down as a campaign grows (turn it on, or ANALYZE and \
             VACUUM on a schedule)"
        )],
    })
}

/// A PostgreSQL server setting as the server reports it (`setting` is one of ours, not input).
async fn pg_setting(db: &DatabaseConnection, setting: &str) -> Result<Option<String>, DbErr> {
    let row = db
        .query_one(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            format!("SELECT current_setting('{setting}') AS v"),
        ))
        .await?;
    row.map(|r| r.try_get("", "v")).transpose()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_or_refused_database_connection_is_unreachable_and_a_bad_statement_is_not() {
        let io = |kind| {
            DbErr::Exec(RuntimeErr::SqlxError(sqlx::Error::Io(
                std::io::Error::from(kind),
            )))
        };
        assert!(is_unreachable(&io(std::io::ErrorKind::ConnectionReset)));
        assert!(is_unreachable(&io(std::io::ErrorKind::UnexpectedEof)));
        assert!(is_unreachable(&DbErr::Query(RuntimeErr::SqlxError(
            sqlx::Error::PoolTimedOut
        ))));
        assert!(is_unreachable(&DbErr::ConnectionAcquire(
            sea_orm::ConnAcquireErr::Timeout
        )));
        assert!(!is_unreachable(&DbErr::Query(RuntimeErr::SqlxError(
            sqlx::Error::RowNotFound
        ))));
        assert!(!is_unreachable(&DbErr::RecordNotFound("x".into())));
        assert!(!is_unreachable(&DbErr::Custom("a constraint".into())));
    }

    #[test]
    fn an_explicit_sqlite_url_creates_its_file_unless_it_says_otherwise() {
        assert_eq!(
            creating_sqlite_file("sqlite:///srv/meritest/new.db"),
            "sqlite:///srv/meritest/new.db?mode=rwc"
        );
        assert_eq!(
            creating_sqlite_file("sqlite://data/m.db?cache=shared"),
            "sqlite://data/m.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            creating_sqlite_file("sqlite://data/m.db?mode=ro"),
            "sqlite://data/m.db?mode=ro"
        );
        assert_eq!(creating_sqlite_file("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(
            creating_sqlite_file("postgres://u@h/db"),
            "postgres://u@h/db"
        );
    }
}
