//! Requests that overlap (issue 10, item 2): transactions that read then write must not fail
//! when another request commits meanwhile. Whatever contention remains answers a retryable 503
//! with `Retry-After` and the code `database_busy`, never a 500, and what is stored stays
//! consistent.
use std::collections::BTreeMap;

use futures_util::future::join_all;
use reqwest::Response;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{
    answer, candidate_with, enrolled, import, sample_instrument, setup, start, TestApp, ADMIN_EMAIL,
};

/// The status of a reply to a contended request, after checking it is one a client can act on:
/// a success, a refusal of the table below 500, or a 503 `database_busy` saying when to retry.
async fn outcome(res: Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(
        status < 500 || status == 503,
        "a contended request answered {status}: {body}"
    );
    if status == 503 {
        assert_eq!(body["code"], "database_busy", "{body}");
        assert!(
            retry_after.is_some_and(|s| s >= 1),
            "503 without Retry-After"
        );
    }
    (status, body)
}

/// How many replies had each status.
fn tally(statuses: impl IntoIterator<Item = u16>) -> BTreeMap<u16, usize> {
    let mut t = BTreeMap::new();
    for s in statuses {
        *t.entry(s).or_default() += 1;
    }
    t
}

#[tokio::test]
async fn eight_clients_toggling_one_account_get_no_server_error_and_its_audit_trail_adds_up() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let res = app
        .post_json(
            "/api/v1/accounts",
            &admin,
            &json!({"email": "toggled@test.meritest.id", "name": "Toggled", "role": "hr", "password": "a-long-password"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // 8 clients, 25 requests each, every client alternating disable and enable.
    let client = |c: usize| {
        let (app, admin, id) = (&app, &admin, &id);
        async move {
            let mut replies = Vec::new();
            for i in 0..25 {
                let disable = (c + i) % 2 == 0;
                let action = if disable { "disable" } else { "enable" };
                let (status, body) = outcome(
                    app.post(&format!("/api/v1/accounts/{id}/{action}"), admin)
                        .await,
                )
                .await;
                if status == 200 {
                    assert_eq!(body["disabled"], disable, "{body}");
                }
                replies.push(status);
            }
            replies
        }
    };
    let statuses: Vec<u16> = join_all((0..8).map(client)).await.concat();
    let t = tally(statuses);
    assert_eq!(t.values().sum::<usize>(), 200);
    assert!(
        t.keys().all(|s| *s == 200 || *s == 503),
        "only successes and retryable refusals: {t:?}"
    );
    let succeeded = t.get(&200).copied().unwrap_or(0);
    assert!(succeeded >= 150, "most requests succeed: {t:?}");

    // Each success left exactly one audit entry, and each entry saw the state the previous one
    // left: counting the entries that changed something gives the stored state.
    let entries: Vec<_> = app
        .audit_of("test-org")
        .await
        .into_iter()
        .filter(|e| {
            e.target_id == id && e.action.starts_with("account.") && e.action != "account.create"
        })
        .collect();
    assert_eq!(entries.len(), succeeded, "one audit entry per success");
    let flips = entries
        .iter()
        .filter(|e| e.before.as_ref().unwrap()["disabled"] != e.after.as_ref().unwrap()["disabled"])
        .count();
    let stored = meritest::store::entities::account::Entity::find()
        .filter(meritest::store::entities::account::Column::Email.eq("toggled@test.meritest.id"))
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.disabled,
        flips % 2 == 1,
        "the stored state is the one the audit trail ends in ({flips} changes)"
    );
    // The administrator was never locked out by the load.
    assert_eq!(
        app.login(ADMIN_EMAIL, crate::helpers::ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn eight_simultaneous_retirements_retire_an_instrument_exactly_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &sample_instrument("RACE", 1)).await;
    let replies = join_all((0..8).map(|_| async {
        outcome(
            app.post(&format!("/api/v1/instruments/{id}/retire"), &admin)
                .await,
        )
        .await
    }))
    .await;
    let won = replies.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(won, 1, "exactly one retirement wins: {replies:?}");
    for (status, body) in &replies {
        assert!(
            *status == 200
                || (*status == 409 && body["code"] == "invalid_state_transition")
                || *status == 503,
            "{status}: {body}"
        );
    }
    let detail: Value = app
        .get(&format!("/api/v1/instruments/{id}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["status"], "retired");
    let retirements = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|(action, _)| action == "instrument.retire")
        .count();
    assert_eq!(retirements, 1, "one retirement, one audit entry");
}

/// Candidates answering while HR re-scores: enough to keep the writer busy on two cores.
const ANSWERING: usize = 30;
/// Candidates who finished before the re-scoring starts, so it has attempts to score.
const FINISHED_BEFORE: usize = 10;

/// The multiple-choice items of a started section.
fn choices(section: &Value) -> Vec<&Value> {
    section["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["options"].as_array().is_some_and(|o| !o.is_empty()))
        .collect()
}

/// Answers every multiple-choice item of a started section once, then finishes; the statuses of
/// the replies and how many answers were acknowledged.
async fn sit(app: &TestApp, token: &str, section: &Value) -> (Vec<u16>, usize) {
    let mut statuses = Vec::new();
    let mut saved = 0;
    for (i, item) in choices(section).into_iter().enumerate() {
        let body = json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": i + 1});
        let (status, _) = outcome(answer(app, token, body).await).await;
        saved += usize::from(status == 200);
        statuses.push(status);
    }
    // A finish refused as busy is tried again, as the candidate page does.
    loop {
        let (status, _) = outcome(app.post("/api/v1/candidate/finish", token).await).await;
        statuses.push(status);
        if status != 503 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    (statuses, saved)
}

#[tokio::test]
async fn rescoring_a_campaign_while_candidates_answer_holds_nobody_up_and_scores_every_finished_attempt(
) {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 3600)], false).await;
    let mut sittings = Vec::new();
    for e in enrolled(
        &app,
        &s.hr,
        &s.campaign,
        "Sesi 1",
        FINISHED_BEFORE + ANSWERING,
    )
    .await
    {
        let token = candidate_with(&app, &e.code, &e.nip).await;
        let section = start(&app, &token, 0).await;
        sittings.push((token, section));
    }
    let (early, late) = sittings.split_at(FINISHED_BEFORE);
    let mut acknowledged = 0;
    for (token, section) in early {
        let (statuses, saved) = sit(&app, token, section).await;
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
        acknowledged += saved;
    }

    let answering = join_all(late.iter().map(|(t, sec)| sit(&app, t, sec)));
    let rescoring = async {
        let mut statuses = Vec::new();
        for _ in 0..6 {
            let (status, body) = outcome(
                app.post_json(
                    &format!("/api/v1/campaigns/{}/rescore", s.campaign),
                    &s.hr,
                    &json!({"reason": "while candidates answer"}),
                )
                .await,
            )
            .await;
            if status == 200 {
                assert!(body["attempts"].as_u64().unwrap() >= FINISHED_BEFORE as u64);
            }
            statuses.push(status);
        }
        statuses
    };
    let (sat, rescores) = tokio::join!(answering, rescoring);
    let replies = tally(sat.iter().flat_map(|(s, _)| s.iter().copied()));
    assert!(
        replies.keys().all(|s| *s == 200 || *s == 503),
        "answers and finishes succeed or are refused as busy: {replies:?}"
    );
    let late_saved: usize = sat.iter().map(|(_, n)| n).sum();
    let items = choices(&late[0].1).len();
    assert!(
        late_saved * 10 >= ANSWERING * items * 9,
        "nearly every answer is taken while the re-scoring runs: {replies:?}"
    );
    acknowledged += late_saved;
    let rescored = tally(rescores);
    assert!(
        rescored.keys().all(|s| *s == 200 || *s == 503) && rescored.contains_key(&200),
        "{rescored:?}"
    );

    // Every attempt finished, each with its scores; every acknowledged answer is stored.
    use meritest::store::entities::{attempt, response, score};
    let campaign = uuid::Uuid::parse_str(&s.campaign).unwrap();
    let attempts: Vec<uuid::Uuid> = attempt::Entity::find()
        .filter(attempt::Column::CampaignId.eq(campaign))
        .filter(attempt::Column::FinishedAt.is_not_null())
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(attempts.len(), FINISHED_BEFORE + ANSWERING);
    let scored: std::collections::BTreeSet<uuid::Uuid> = score::Entity::find()
        .filter(score::Column::AttemptId.is_in(attempts.clone()))
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.attempt_id)
        .collect();
    assert_eq!(
        scored.len(),
        attempts.len(),
        "every finished attempt has scores"
    );
    let stored = response::Entity::find()
        .filter(response::Column::AttemptId.is_in(attempts))
        .all(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(
        stored.len(),
        acknowledged,
        "every acknowledged answer is stored"
    );
}

#[tokio::test]
async fn a_request_that_waits_out_the_busy_timeout_is_refused_as_busy_changes_nothing_and_may_be_retried(
) {
    use meritest::store::entities::account;
    use sea_orm::sea_query::Expr;
    let app = TestApp::spawn_with(|s| s.database.busy_timeout_ms = 300).await;
    let admin = app.admin_token().await;
    let res = app
        .post_json(
            "/api/v1/accounts",
            &admin,
            &json!({"email": "held@test.meritest.id", "name": "Held", "role": "hr", "password": "a-long-password"}),
        )
        .await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let uuid = uuid::Uuid::parse_str(&id).unwrap();

    // Another writer holds the account's row (and, on SQLite, the database's write lock) for
    // longer than requests wait.
    let held = meritest::store::begin_write(&app.ctx.db).await.unwrap();
    account::Entity::update_many()
        .col_expr(
            account::Column::Name,
            Expr::col(account::Column::Name).into(),
        )
        .filter(account::Column::Id.eq(uuid))
        .exec(&held)
        .await
        .unwrap();
    let res = app
        .post(&format!("/api/v1/accounts/{id}/disable"), &admin)
        .await;
    assert_eq!(res.status(), 503);
    assert_eq!(
        res.headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("1")
    );
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "database_busy", "{body}");
    held.rollback().await.unwrap();

    let stored = account::Entity::find_by_id(uuid)
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.disabled, "the refused request changed nothing");
    assert!(!app
        .audit_actions()
        .await
        .iter()
        .any(|(action, _)| action == "account.disable"));
    // Sent again once the other writer is done, it goes through.
    let res = app
        .post(&format!("/api/v1/accounts/{id}/disable"), &admin)
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn on_sqlite_a_write_transaction_holds_the_write_lock_from_before_its_first_read() {
    use sea_orm::{ConnectionTrait, TransactionTrait};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("lock.db").display());
    let db = meritest::store::connect(
        &url,
        3,
        std::time::Duration::from_secs(5),
        std::time::Duration::from_millis(200),
    )
    .await
    .unwrap();
    meritest::store::migrate(&db).await.unwrap();

    // A plain transaction that has only read holds no lock: another write goes through.
    let reading = db.begin().await.unwrap();
    reading
        .execute_unprepared("SELECT 1 FROM seaql_migrations")
        .await
        .unwrap();
    db.execute_unprepared("UPDATE seaql_migrations SET version = version")
        .await
        .unwrap();
    drop(reading);

    // A write transaction excludes other writers before it reads anything; they wait out the
    // busy timeout and fail as contention.
    let writing = meritest::store::begin_write(&db).await.unwrap();
    let started = std::time::Instant::now();
    let err = db
        .execute_unprepared("UPDATE seaql_migrations SET version = version")
        .await
        .unwrap_err();
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(150),
        "it waited first"
    );
    assert!(meritest::store::is_contention(&err), "{err:?}");
    // Its own reads and writes are unaffected, and it commits.
    writing
        .execute_unprepared("SELECT 1 FROM seaql_migrations")
        .await
        .unwrap();
    writing.commit().await.unwrap();
    db.execute_unprepared("UPDATE seaql_migrations SET version = version")
        .await
        .unwrap();
}
