//! Degrade, don't stop (issue 15, item 5): while the live store is down (every call unanswered,
//! as a Redis whose process died), candidates go on answering, reading their section and
//! signalling, and staff go on working, answered from the database after one short wait; every
//! acknowledged answer is stored; `/metrics` says the node is degraded; once the store is back the
//! next calls use it again.
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{answer, candidate, setup, start, the_attempt, TestApp, DEMO_PASSWORD};

fn choose(section: &Value, i: usize, seq: i64) -> Value {
    let item = &section["items"][i];
    json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": seq})
}

async fn metric(app: &TestApp, name: &str) -> f64 {
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("meritest_{name} ")))
        .unwrap_or_else(|| panic!("no {name} in {text}"))
        .parse()
        .unwrap()
}

#[tokio::test]
async fn candidates_keep_answering_while_the_live_store_is_down_and_its_fast_path_returns_after() {
    let (app, faults) = TestApp::spawn_with_faults_and(|s| {
        s.live.call_timeout_ms = 200;
        s.live.retry_after_ms = 400;
    })
    .await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let section = start(&app, &token, 0).await;
    assert_eq!(
        answer(&app, &token, choose(&section, 0, 1)).await.status(),
        200
    );
    assert_eq!(metric(&app, "live_store_degraded").await, 0.0);

    faults.take_down();
    for i in 1..6 {
        let res = answer(&app, &token, choose(&section, i, i as i64 + 1)).await;
        assert_eq!(res.status(), 200, "answer {i} while the live store is down");
    }
    let view: Value = app
        .get("/api/v1/candidate/sections/0", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["responses"].as_object().unwrap().len(), 6);
    let signal = app
        .post_json(
            "/api/v1/candidate/events",
            &token,
            &json!({"signal": "paste"}),
        )
        .await;
    assert_eq!(signal.status(), 204);
    // Staff too: the token's revocation is checked in the database.
    let room = app
        .get(
            &format!("/api/v1/proctoring/sessions/{}/room", s.session),
            &proctor,
        )
        .await;
    assert_eq!(room.status(), 200);
    assert_eq!(metric(&app, "live_store_degraded").await, 1.0);
    // Still ready (a load balancer keeps the node), and says how.
    let ready = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(
        (ready["ready"].clone(), ready["degraded"].clone()),
        (json!(true), json!(true))
    );
    assert!(
        ready["live_store"]
            .as_str()
            .unwrap()
            .starts_with("degraded: "),
        "{ready}"
    );
    assert!(metric(&app, "live_store_errors_total").await >= 1.0);
    assert!(metric(&app, "live_store_short_circuited_total").await >= 1.0);
    use sea_orm::EntityTrait;
    let stored = meritest::store::entities::response::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 6, "every acknowledged answer is stored");

    // The store is back: after the breaker's period the next answer uses it again, and the
    // attempt's live state is written there once more.
    faults.heal();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let errors = metric(&app, "live_store_errors_total").await;
    assert_eq!(
        answer(&app, &token, choose(&section, 6, 7)).await.status(),
        200
    );
    assert_eq!(
        metric(&app, "live_store_errors_total").await,
        errors,
        "no new failure"
    );
    let id = the_attempt(&app).await.id.to_string();
    assert!(app.ctx.live.get_attempt(&id).await.unwrap().is_some());
    assert_eq!(metric(&app, "live_store_degraded").await, 0.0);
}
