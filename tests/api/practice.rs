//! Practice feedback (issue 11): a candidate learns whether a practice answer was right, told in
//! the attempt's ids and only for practice items; payloads still carry no key, scored items are
//! never judged, and nothing is recorded.
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, candidate, demo_hr, document, import, login, option_like, sample_instrument,
    setup, start, the_attempt, TestApp,
};
use meritest::domain::delivery::{item_handle, AttemptSeed};
use meritest::store::entities::{attempt_event, response};

async fn practise(app: &TestApp, token: &str, position: i32, body: Value) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/candidate/sections/{position}/practice"),
        token,
        &body,
    )
    .await
}

async fn judged(app: &TestApp, token: &str, position: i32, body: Value) -> Value {
    let res = practise(app, token, position, body).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn preview(app: &TestApp, token: &str, position: i32) -> Value {
    let res = app
        .get(&format!("/api/v1/candidate/sections/{position}"), token)
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Rows stored for the test's attempt: (responses, timeline events).
async fn recorded(app: &TestApp) -> (u64, u64) {
    (
        response::Entity::find().count(&app.ctx.db).await.unwrap(),
        attempt_event::Entity::find()
            .count(&app.ctx.db)
            .await
            .unwrap(),
    )
}

/// Every field name of a JSON value, nested ones included.
fn field_names(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, inner) in m {
                out.push(k.clone());
                field_names(inner, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| field_names(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn a_practice_answer_is_judged_and_the_right_option_told_in_the_attempts_ids() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let doc = document(&app, &s.hr, "NUM-SERIES").await;
    let keyed = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["practice"] == true)
        .unwrap()
        .clone();
    // Before the section starts its practice item is shown, and no key with it.
    let section = preview(&app, &token, 0).await;
    let shown = section["practice"][0].clone();
    let mut names = Vec::new();
    field_names(&section, &mut names);
    for secret in ["key", "answer", "tolerance", "weight", "scale", "correct"] {
        assert!(!names.iter().any(|n| n == secret), "a '{secret}' field");
    }
    let right = option_like(&shown, &keyed, keyed["key"].as_str().unwrap());
    let wrong = shown["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .find(|id| *id != right)
        .unwrap();
    let before = recorded(&app).await;

    assert_eq!(
        judged(
            &app,
            &token,
            0,
            json!({"item": shown["id"], "response": {"choice": wrong}})
        )
        .await,
        json!({"correct": false, "answer": {"choice": right}})
    );
    assert_eq!(
        judged(
            &app,
            &token,
            0,
            json!({"item": shown["id"], "response": {"choice": right}})
        )
        .await,
        json!({"correct": true, "answer": {"choice": right}})
    );
    // Once the section is open, the same.
    let open = start(&app, &token, 0).await;
    assert_eq!(open["practice"][0]["id"], shown["id"]);
    let started = recorded(&app).await;
    assert_eq!(
        judged(
            &app,
            &token,
            0,
            json!({"item": shown["id"], "response": {"choice": wrong}})
        )
        .await,
        json!({"correct": false, "answer": {"choice": right}})
    );
    // Nothing is recorded: no response, no timeline event (the start made one).
    assert_eq!(before.0, 0);
    assert_eq!(started, (0, before.1 + 1));
    assert_eq!(recorded(&app).await, started);
    assert_eq!(the_attempt(&app).await.status.as_str(), "in_progress");
}

#[tokio::test]
async fn a_numeric_practice_answer_counts_within_its_tolerance_and_a_likert_one_tells_nothing() {
    let app = TestApp::spawn_demo().await;
    let (hr, _) = demo_hr(&app).await;
    let mut inst = sample_instrument("PRAKTIK", 1);
    let items = inst["items"].as_array_mut().unwrap();
    items.push(
        json!({"code": "P-2", "format": "numeric_entry", "scale": "NUM", "practice": true,
        "stem": {"id": "15% dari 240?"}, "answer": 36, "tolerance": 0.5}),
    );
    items.push(
        json!({"code": "P-3", "format": "likert", "scale": "PRF", "practice": true,
        "stem": {"id": "Saya suka berhitung."}}),
    );
    import(&app, &hr, &inst).await;
    let s = setup(&app, &[("PRAKTIK", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = preview(&app, &token, 0).await;
    let of = |format: &str| {
        section["practice"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["format"] == format)
            .unwrap()["id"]
            .clone()
    };
    let (numeric, likert) = (of("numeric_entry"), of("likert"));
    for (value, correct) in [
        (json!(36), true),
        (json!("36,4"), true),
        (json!(35.5), true),
        (json!(36.6), false),
        (json!("12"), false),
    ] {
        assert_eq!(
            judged(
                &app,
                &token,
                0,
                json!({"item": numeric, "response": {"value": value}})
            )
            .await,
            json!({"correct": correct, "answer": {"value": 36.0}}),
            "{value}"
        );
    }
    assert_eq!(
        judged(
            &app,
            &token,
            0,
            json!({"item": likert, "response": {"point": 2}})
        )
        .await,
        json!({"correct": null, "answer": null})
    );
    for (item, response) in [
        (&likert, json!({"point": 9})),
        (&numeric, json!({"value": "1.500"})),
        (&numeric, json!({"choice": "x"})),
        (&numeric, json!("36")),
    ] {
        assert_error(
            practise(&app, &token, 0, json!({"item": item, "response": response})).await,
            422,
            "invalid_response",
        )
        .await;
    }
}

#[tokio::test]
async fn the_work_style_practice_block_checks_most_and_least_and_tells_nothing() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("WORK-STYLE", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = preview(&app, &token, 0).await;
    let practice = section["practice"].as_array().unwrap();
    assert_eq!(practice.len(), 1, "the demo's one practice block");
    assert_eq!(practice[0]["format"], "most_least");
    let ids: Vec<&Value> = practice[0]["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|st| &st["id"])
        .collect();
    assert_eq!(ids.len(), 4);
    let item = &practice[0]["id"];
    assert_eq!(
        judged(
            &app,
            &token,
            0,
            json!({"item": item, "response": {"most": ids[0], "least": ids[3]}})
        )
        .await,
        json!({"correct": null, "answer": null})
    );
    assert_error(
        practise(
            &app,
            &token,
            0,
            json!({"item": item, "response": {"most": ids[1], "least": ids[1]}}),
        )
        .await,
        422,
        "invalid_response",
    )
    .await;
    // The scored blocks are still the instrument's 24.
    let open = start(&app, &token, 0).await;
    assert_eq!(open["items"].as_array().unwrap().len(), 24);
}

#[tokio::test]
async fn a_scored_item_or_an_unknown_id_is_not_found_and_the_section_shows_no_key() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600), ("VERBAL-ID", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    let mut names = Vec::new();
    field_names(&section, &mut names);
    assert!(!names.iter().any(|n| n == "key" || n == "answer"));
    let scored = &section["items"][0];
    let res = practise(
        &app,
        &token,
        0,
        json!({"item": scored["id"], "response": {"choice": scored["options"][0]["id"]}}),
    )
    .await;
    let body = assert_error(res, 404, "not_found").await;
    assert_eq!(body["message"], "practice item not found");
    let unknown = json!({"item": "0123456789", "response": {"choice": "x"}});
    assert_error(
        practise(&app, &token, 0, unknown.clone()).await,
        404,
        "not_found",
    )
    .await;
    // Another section's practice item (VERBAL-ID's, by the handle this attempt gives it) is not
    // this section's.
    let seed = AttemptSeed::from_i64(the_attempt(&app).await.seed);
    let answer = json!({"item": item_handle(seed, "V-P1"), "response": {"choice": "x"}});
    assert_error(
        practise(&app, &token, 0, answer.clone()).await,
        404,
        "not_found",
    )
    .await;
    assert_error(practise(&app, &token, 7, answer).await, 404, "not_found").await;
    assert_eq!(recorded(&app).await.0, 0);
}

#[tokio::test]
async fn practice_is_refused_where_the_section_cannot_be_read() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600), ("VERBAL-ID", 600)], false).await;
    // Signed in, no consent yet: the first section cannot be previewed.
    let res = login(&app, json!({"code": s.code, "nip": crate::helpers::NIP})).await;
    let early: Value = res.json().await.unwrap();
    let early = early["token"].as_str().unwrap().to_owned();
    let anything = json!({"item": "0123456789", "response": {"choice": "x"}});
    assert_error(
        practise(&app, &early, 0, anything.clone()).await,
        409,
        "section_not_current",
    )
    .await;

    let token = candidate(&app, &s.code).await;
    // The old page's token: another device holds the attempt now.
    assert_error(
        practise(&app, &early, 0, anything.clone()).await,
        409,
        "device_replaced",
    )
    .await;
    // Not the next section yet: refused before any item is looked at.
    assert_error(
        practise(&app, &token, 1, anything.clone()).await,
        409,
        "section_not_current",
    )
    .await;
    start(&app, &token, 0).await;
    let first = preview(&app, &token, 0).await;
    let own = &first["practice"][0];
    let own = json!({"item": own["id"], "response": {"choice": own["options"][0]["id"]}});
    assert_eq!(
        app.post("/api/v1/candidate/sections/0/submit", &token)
            .await
            .status(),
        200
    );
    assert_error(practise(&app, &token, 0, own).await, 409, "section_closed").await;
    // Now the next one: its practice opens before it starts.
    let second = preview(&app, &token, 1).await;
    assert_eq!(second["status"], "pending");
    let practice = &second["practice"][0];
    let body =
        json!({"item": practice["id"], "response": {"choice": practice["options"][0]["id"]}});
    assert_eq!(practise(&app, &token, 1, body.clone()).await.status(), 200);
    assert_eq!(
        app.post("/api/v1/candidate/finish", &token).await.status(),
        200
    );
    assert_error(
        practise(&app, &token, 1, body).await,
        409,
        "attempt_finished",
    )
    .await;
    // A body that is not a practice answer.
    assert_error(
        practise(&app, &token, 1, json!({"item": "x"})).await,
        422,
        "invalid_input",
    )
    .await;
}
