//! The schema: the same on SQLite and PostgreSQL, and safe to apply from several nodes at once.
use std::collections::BTreeSet;
use std::time::Duration;

use meritest_migrations::MigratorTrait;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::helpers::{backends, fresh_database, DatabaseGuard};

async fn connect(url: &str) -> DatabaseConnection {
    meritest::store::connect(url, 4, Duration::from_secs(10), Duration::from_secs(5))
        .await
        .expect("the test database opens")
}

/// (table, column) pairs of the application's tables, the migrator's own table left out.
async fn columns(db: &DatabaseConnection) -> BTreeSet<(String, String)> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "SELECT table_name AS t, column_name AS c FROM information_schema.columns \
             WHERE table_schema = 'public'"
        }
        _ => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
        }
    };
    db.query_all(Statement::from_string(backend, sql))
        .await
        .unwrap()
        .into_iter()
        .map(|row| {
            (
                row.try_get::<String>("", "t").unwrap(),
                row.try_get::<String>("", "c").unwrap(),
            )
        })
        .filter(|(t, _)| t != "seaql_migrations")
        .collect()
}

fn postgres_base() -> Option<String> {
    let pg = backends().0;
    if pg.is_none() {
        assert!(
            std::env::var("MERITEST_TEST_REQUIRE_REAL").is_err(),
            "MERITEST_TEST_REQUIRE_REAL is set but MERITEST_TEST_POSTGRES_URL is not"
        );
        eprintln!("skipped: MERITEST_TEST_POSTGRES_URL is not set (tests/run-all.sh sets it)");
    }
    pg
}

#[tokio::test]
async fn migrations_create_the_same_tables_and_columns_on_sqlite_and_postgresql() {
    if postgres_base().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite = connect(&format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("schema.db").display()
    ))
    .await;
    meritest::store::migrate(&sqlite).await.unwrap();
    let url = fresh_database(dir.path()).await;
    let _dropped_at_end = DatabaseGuard::of(&url);
    let postgres = connect(&url).await;
    meritest::store::migrate(&postgres).await.unwrap();

    let on_sqlite = columns(&sqlite).await;
    let on_postgres = columns(&postgres).await;
    assert!(
        on_sqlite.iter().any(|(t, _)| t == "accounts"),
        "the schema has the accounts table: {on_sqlite:?}"
    );
    assert_eq!(
        on_sqlite.difference(&on_postgres).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "columns only on SQLite"
    );
    assert_eq!(
        on_postgres.difference(&on_sqlite).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "columns only on PostgreSQL"
    );
}

#[tokio::test]
async fn several_nodes_migrating_one_empty_postgresql_database_at_once_all_succeed() {
    if postgres_base().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let _dropped_at_end = DatabaseGuard::of(&url);
    let mut nodes = Vec::new();
    for _ in 0..4 {
        let url = url.clone();
        nodes.push(tokio::spawn(async move {
            let db = connect(&url).await;
            meritest::store::migrate(&db).await
        }));
    }
    for node in nodes {
        node.await
            .unwrap()
            .expect("every node's migration succeeds");
    }
    let db = connect(&url).await;
    let applied = db
        .query_one(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap();
    assert_eq!(
        applied,
        meritest_migrations::Migrator::migrations().len() as i64
    );
}

#[tokio::test]
async fn applying_the_migrations_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(dir.path()).await;
    let _dropped_at_end = DatabaseGuard::of(&url);
    let db = connect(&url).await;
    meritest::store::migrate(&db).await.unwrap();
    let before = columns(&db).await;
    meritest::store::migrate(&db).await.unwrap();
    assert_eq!(columns(&db).await, before);
}
