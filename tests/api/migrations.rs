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

#[tokio::test]
async fn yearly_records_are_one_per_organisation_nip_and_year_and_their_tables_can_be_undone() {
    use meritest::store::entities::{discipline_record, performance_rating};
    use sea_orm::{ActiveModelTrait, Set};

    let app = crate::helpers::TestApp::spawn().await;
    let db = &app.ctx.db;
    let org = crate::helpers::organisation_id(&app, "test-org").await;
    let at = app.ctx.clock.now();
    let rating = || performance_rating::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        organisation_id: Set(org.as_uuid()),
        nip: Set("198503152010121001".into()),
        year: Set(2025),
        predicate: Set("baik".into()),
        work_results: Set(None),
        work_behaviour: Set(None),
        imported_at: Set(at),
        imported_by: Set(None),
    };
    rating().insert(db).await.unwrap();
    let twice = rating().insert(db).await.unwrap_err();
    assert!(meritest::store::is_unique_violation(&twice), "{twice}");
    let record = || discipline_record::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        organisation_id: Set(org.as_uuid()),
        nip: Set("198503152010121001".into()),
        year: Set(2025),
        level: Set("none".into()),
        note: Set(None),
        imported_at: Set(at),
        imported_by: Set(None),
    };
    record().insert(db).await.unwrap();
    let twice = record().insert(db).await.unwrap_err();
    assert!(meritest::store::is_unique_violation(&twice), "{twice}");

    let all = columns(db).await;
    let (with, without) = undo_alone(db, "m20261130_000015_create_performance_records").await;
    let gone: BTreeSet<&str> = with.difference(&without).map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        gone,
        BTreeSet::from(["discipline_records", "performance_ratings"])
    );
    assert!(without.is_subset(&with));
    meritest_migrations::Migrator::up(db, None).await.unwrap();
    assert_eq!(columns(db).await, all);
}

/// Undoes the migrations after the one named, then the one named: the columns just before and
/// just after its own undoing, whatever migrations came after it.
async fn undo_alone(
    db: &DatabaseConnection,
    name: &str,
) -> (BTreeSet<(String, String)>, BTreeSet<(String, String)>) {
    let later = steps_back_to(name) - 1;
    if later > 0 {
        meritest_migrations::Migrator::down(db, Some(later))
            .await
            .unwrap();
    }
    let with = columns(db).await;
    meritest_migrations::Migrator::down(db, Some(1))
        .await
        .unwrap();
    (with, columns(db).await)
}

/// How many migrations `down` undoes to undo the one named and every one after it.
fn steps_back_to(name: &str) -> u32 {
    let all = meritest_migrations::Migrator::migrations();
    let from_end = all
        .iter()
        .rev()
        .position(|m| m.name() == name)
        .expect("the migration exists");
    from_end as u32 + 1
}

async fn campaign_settings(db: &DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    db.query_all(Statement::from_string(
        backend,
        "SELECT time_zone FROM campaigns",
    ))
    .await
    .unwrap()
    .into_iter()
    .map(|r| r.try_get::<String>("", "time_zone").unwrap())
    .collect()
}

#[tokio::test]
async fn campaigns_made_before_the_candidate_settings_show_their_times_in_wib_and_the_change_can_be_undone(
) {
    let app = crate::helpers::TestApp::spawn_demo().await;
    let s = crate::helpers::setup(&app, &[("NUM-SERIES", 600)], false).await;
    let db = &app.ctx.db;
    let name = "m20261130_000012_campaign_candidate_settings";
    let all = columns(db).await;
    let (with, without) = undo_alone(db, name).await;
    assert_eq!(
        with.difference(&without)
            .filter(|(table, _)| table == "campaigns")
            .cloned()
            .collect::<Vec<_>>(),
        [
            ("campaigns".to_owned(), "data_contact".to_owned()),
            ("campaigns".to_owned(), "retention_months".to_owned()),
            ("campaigns".to_owned(), "time_zone".to_owned()),
        ]
    );
    meritest_migrations::Migrator::up(db, None).await.unwrap();
    assert_eq!(columns(db).await, all);
    assert_eq!(campaign_settings(db).await, ["WIB"]);
    let view: serde_json::Value = app
        .get(&format!("/api/v1/campaigns/{}", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["time_zone"], "WIB");
    assert_eq!(view["data_contact"], serde_json::Value::Null);
    assert_eq!(view["retention_months"], serde_json::Value::Null);
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one(Statement::from_string(db.get_database_backend(), sql))
        .await
        .unwrap()
        .unwrap()
        .try_get::<i64>("", "n")
        .unwrap()
}

#[tokio::test]
async fn making_addresses_unique_per_organisation_keeps_every_account_and_can_be_undone() {
    let app = crate::helpers::TestApp::spawn_demo().await;
    // A session proctored by a demo account: a row that depends on the accounts table.
    crate::helpers::setup(&app, &[("NUM-SERIES", 600)], false).await;
    let db = &app.ctx.db;
    let backend = db.get_database_backend();
    let accounts = "SELECT COUNT(*) AS n FROM accounts";
    let proctored = "SELECT COUNT(*) AS n FROM campaign_sessions s JOIN accounts a \
                     ON a.id = s.proctor_account_id";
    // Two accounts of one organisation with one address.
    let duplicate = "UPDATE accounts SET email = 'hr@demo.meritest.id' \
                     WHERE email = 'psychologist@demo.meritest.id'";
    let (before, sessions) = (count(db, accounts).await, count(db, proctored).await);
    assert!(
        before >= 5 && sessions == 1,
        "{before} accounts, {sessions} sessions"
    );

    // Undone (with the migrations after it): every account is still there, and the address
    // still unique.
    meritest_migrations::Migrator::down(
        db,
        Some(steps_back_to(
            "m20261130_000011_email_unique_per_organisation",
        )),
    )
    .await
    .unwrap();
    assert_eq!(count(db, accounts).await, before);
    assert_eq!(count(db, proctored).await, sessions);
    assert!(db
        .execute(Statement::from_string(backend, duplicate))
        .await
        .is_err());

    // Done again: the same accounts, the proctor's session still bound to its account, and the
    // address unique within the organisation.
    meritest_migrations::Migrator::up(db, None).await.unwrap();
    assert_eq!(count(db, accounts).await, before);
    assert_eq!(count(db, proctored).await, sessions);
    assert!(
        db.execute(Statement::from_string(backend, duplicate))
            .await
            .is_err(),
        "not twice in one organisation"
    );
    let proctor_gone = "DELETE FROM accounts WHERE email = 'proctor@demo.meritest.id'";
    assert!(
        db.execute(Statement::from_string(backend, proctor_gone))
            .await
            .is_err(),
        "the session's foreign key still holds"
    );
    // The demo's accounts still sign in.
    assert_eq!(
        app.login("hr@demo.meritest.id", crate::helpers::DEMO_PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn the_competency_framework_and_job_standard_tables_can_be_undone_and_made_again() {
    let app = crate::helpers::TestApp::spawn().await;
    let db = &app.ctx.db;
    let with = columns(db).await;
    let ours = [
        "competency_frameworks",
        "job_standards",
        "job_standard_versions",
    ];
    for table in ours {
        assert!(with.iter().any(|(t, _)| t == table), "{table} exists");
    }
    meritest_migrations::Migrator::down(
        db,
        Some(steps_back_to(
            "m20261130_000013_create_competency_frameworks",
        )),
    )
    .await
    .unwrap();
    let without = columns(db).await;
    assert!(
        without.iter().all(|(t, _)| !ours.contains(&t.as_str())),
        "{without:?}"
    );
    meritest_migrations::Migrator::up(db, None).await.unwrap();
    assert_eq!(columns(db).await, with);
}
