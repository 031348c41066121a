//! An attempt whose every section is closed is finished and scored, whatever the candidate does
//! next (issue 11): submitting the last section finishes it, and the expiry sweep repairs one
//! left running with every section closed.
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::{answer, assert_error, candidate, setup, start, the_attempt, Setup, TestApp};
use meritest::domain::attempt::ClosedReason;
use meritest::domain::ids::AttemptId;
use meritest::store::entities::score;

/// The stored score rows of an attempt: (section, scale, raw).
async fn score_rows(app: &TestApp, attempt: uuid::Uuid) -> Vec<(i32, String, Option<f64>)> {
    let mut rows: Vec<_> = score::Entity::find()
        .filter(score::Column::AttemptId.eq(attempt))
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.section_position, s.scale_code, s.raw))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    rows
}

/// The kinds of the events on the participant's timeline, oldest first.
async fn timeline_kinds(app: &TestApp, s: &Setup) -> Vec<String> {
    let path = format!(
        "/api/v1/campaigns/{}/participants/{}/timeline",
        s.campaign, s.participant
    );
    let t: Value = app.get(&path, &s.hr).await.json().await.unwrap();
    t["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

/// Answers the first item of a started single-choice section with its first option shown.
async fn answer_first(app: &TestApp, token: &str, section: &Value, seq: i64) {
    let item = &section["items"][0];
    let res = answer(
        app,
        token,
        json!({"section": section["position"], "item": item["id"],
               "response": {"choice": item["options"][0]["id"]}, "seq": seq}),
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn submitting_the_last_section_finishes_and_scores_the_attempt() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600), ("NUM-SERIES", 600)], true).await;
    let token = candidate(&app, &s.code).await;
    let first = start(&app, &token, 0).await;
    answer_first(&app, &token, &first, 1).await;

    // A section that is not the last leaves the attempt running.
    let res = app
        .post("/api/v1/candidate/sections/0/submit", &token)
        .await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["status"], "in_progress");
    assert_eq!(view["current_section"], 1);
    assert_eq!(view["scores"], Value::Null);
    assert!(score_rows(&app, the_attempt(&app).await.id)
        .await
        .is_empty());

    let second = start(&app, &token, 1).await;
    answer_first(&app, &token, &second, 2).await;
    let res = app
        .post("/api/v1/candidate/sections/1/submit", &token)
        .await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["status"], "finished");
    assert_eq!(view["current_section"], Value::Null);
    assert_eq!(view["remaining_ms"], Value::Null);
    assert_eq!(
        view["sections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (
                s["status"].as_str().unwrap(),
                s["closed_reason"].as_str().unwrap()
            ))
            .collect::<Vec<_>>(),
        [("closed", "submitted"), ("closed", "submitted")]
    );
    // The campaign shows scores: one NUM score per section.
    let shown = view["scores"].as_array().expect("scores are shown");
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().all(|sc| sc["scale"] == "NUM"));

    let a = the_attempt(&app).await;
    assert_eq!(a.status.as_str(), "finished");
    assert!(a.finished_at.is_some());
    let rows = score_rows(&app, a.id).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        rows.iter()
            .map(|(p, scale, _)| (*p, scale.as_str()))
            .collect::<Vec<_>>(),
        [(0, "NUM"), (1, "NUM")]
    );
    assert_eq!(
        timeline_kinds(&app, &s).await,
        [
            "sign_in",
            "consent",
            "section_start",
            "section_end",
            "section_start",
            "section_end",
            "finished"
        ]
    );
}

#[tokio::test]
async fn after_the_last_section_a_second_submit_or_a_finish_answers_the_finished_attempt_unchanged()
{
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    answer_first(&app, &token, &section, 1).await;
    let res = app
        .post("/api/v1/candidate/sections/0/submit", &token)
        .await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["status"], "finished");
    assert_eq!(view["scores"], Value::Null, "this campaign hides scores");
    let finished = the_attempt(&app).await;
    let scored = score_rows(&app, finished.id).await;
    assert_eq!(scored.len(), 1);

    // Both converge, as a finish sent twice always has: the finished attempt, changed in nothing.
    for path in [
        "/api/v1/candidate/sections/0/submit",
        "/api/v1/candidate/finish",
    ] {
        let res = app.post(path, &token).await;
        assert_eq!(res.status(), 200, "{path}");
        let again: Value = res.json().await.unwrap();
        assert_eq!(again["status"], "finished", "{path}");
    }
    let a = the_attempt(&app).await;
    assert_eq!(a.status.as_str(), "finished");
    assert_eq!(a.finished_at, finished.finished_at, "finished once");
    assert_eq!(score_rows(&app, a.id).await, scored, "scored once");
    let kinds = timeline_kinds(&app, &s).await;
    assert_eq!(kinds.iter().filter(|k| *k == "finished").count(), 1);
    assert_eq!(kinds.iter().filter(|k| *k == "section_end").count(), 1);
    // Nothing more is taken.
    assert_error(
        answer(
            &app,
            &token,
            json!({"section": 0, "item": section["items"][1]["id"],
                   "response": {"choice": section["items"][1]["options"][0]["id"]}, "seq": 2}),
        )
        .await,
        409,
        "attempt_finished",
    )
    .await;
    assert_error(
        app.post("/api/v1/candidate/sections/0/start", &token).await,
        409,
        "attempt_finished",
    )
    .await;
}

#[tokio::test]
async fn the_sweep_finishes_an_attempt_left_in_progress_with_every_section_closed() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    answer_first(&app, &token, &section, 1).await;
    // A crash between the close and the finish (or a submit from before this rule): the
    // section is closed in the store, the attempt still in progress and unscored.
    let id = the_attempt(&app).await.id;
    let now = app.ctx.clock.now();
    assert!(meritest::store::attempts::close_section(
        &app.ctx.db,
        AttemptId::from(id),
        0,
        ClosedReason::Submitted,
        now,
    )
    .await
    .unwrap());
    assert_eq!(the_attempt(&app).await.status.as_str(), "in_progress");
    assert!(score_rows(&app, id).await.is_empty());

    meritest::services::attempt::expiry::sweep(&app.ctx)
        .await
        .unwrap();
    let a = the_attempt(&app).await;
    assert_eq!(a.status.as_str(), "finished");
    assert!(a.finished_at.is_some());
    let rows = score_rows(&app, id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].0, rows[0].1.as_str()), (0, "NUM"));
    assert_eq!(timeline_kinds(&app, &s).await.last().unwrap(), "finished");

    // Another sweep, as another node runs it, changes nothing; the candidate is told it is over.
    meritest::services::attempt::expiry::sweep(&app.ctx)
        .await
        .unwrap();
    assert_eq!(score_rows(&app, id).await, rows);
    let kinds = timeline_kinds(&app, &s).await;
    assert_eq!(kinds.iter().filter(|k| *k == "finished").count(), 1);
    let view: Value = app
        .get("/api/v1/candidate/attempt", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "finished");
}

#[tokio::test]
async fn the_sweep_leaves_an_attempt_with_a_section_still_to_take_running() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600), ("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    start(&app, &token, 0).await;
    let res = app
        .post("/api/v1/candidate/sections/0/submit", &token)
        .await;
    assert_eq!(res.status(), 200);
    meritest::services::attempt::expiry::sweep(&app.ctx)
        .await
        .unwrap();
    let a = the_attempt(&app).await;
    assert_eq!(a.status.as_str(), "in_progress");
    assert!(score_rows(&app, a.id).await.is_empty());
}

#[tokio::test]
async fn the_repair_looks_at_the_running_attempts_a_window_at_a_time_and_comes_round_again() {
    use meritest::store::attempts::running_with_every_section_closed as repairable;
    let app = TestApp::spawn_demo().await;
    // Three running attempts: two left with every section closed, one still in its section.
    let mut closed = Vec::new();
    for i in 0..3 {
        let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
        let token = candidate(&app, &s.code).await;
        start(&app, &token, 0).await;
        let id = meritest::store::entities::attempt::Entity::find()
            .filter(
                meritest::store::entities::attempt::Column::ParticipantId
                    .eq(uuid::Uuid::parse_str(&s.participant).unwrap()),
            )
            .one(&app.ctx.db)
            .await
            .unwrap()
            .unwrap()
            .id;
        if i < 2 {
            let now = app.ctx.clock.now();
            let db = &app.ctx.db;
            let reason = ClosedReason::Submitted;
            let attempt = AttemptId::from(id);
            assert!(
                meritest::store::attempts::close_section(db, attempt, 0, reason, now)
                    .await
                    .unwrap()
            );
            closed.push(id);
        }
    }
    closed.sort();
    let db = &app.ctx.db;
    // All at once: both, and the walk is over.
    let (mut all, next) = repairable(db, None, 10).await.unwrap();
    all.sort();
    assert_eq!((all, next), (closed.clone(), None));
    // One attempt a window: each window says where the next starts; the last one says none.
    let mut after = None;
    let mut found = Vec::new();
    let mut windows = 0;
    loop {
        let (over, next) = repairable(db, after, 1).await.unwrap();
        found.extend(over);
        windows += 1;
        match next {
            Some(n) => after = Some(n),
            None => break,
        }
        assert!(windows <= 4, "the walk ends");
    }
    // Three running attempts in windows of one, then an empty window that ends the walk.
    assert_eq!(windows, 4);
    found.sort();
    assert_eq!(found, closed);
}
