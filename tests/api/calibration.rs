//! Calibration from a campaign's responses (issue 14, item 5): the demo's synthetic campaign
//! calibrates the number-series items by 2PL MML-EM into a draft parameter version with its
//! report, which is then published; refusals name their code and store nothing.
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, instrument_id, json_with, synthetic_campaign_id, TestApp, DEMO_PASSWORD,
};

const PEOPLE: u32 = 150;

#[tokio::test]
async fn a_campaigns_responses_calibrate_a_scale_into_a_draft_version_with_its_report_which_is_then_published(
) {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = PEOPLE).await;
    let psy = app
        .token("psychologist@demo.meritest.id", DEMO_PASSWORD)
        .await;
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let inst = instrument_id(&app, &hr, "NUM-SERIES").await;
    let campaign = synthetic_campaign_id(&app, &hr, PEOPLE).await;
    let base = format!("/api/v1/instruments/{inst}/item-parameters");
    let outcome = json_with(
        app.post_json(
            &format!("{base}/calibrate"),
            &psy,
            &json!({"model": "2PL", "campaigns": [campaign]}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(outcome["scale"], "NUM");
    assert_eq!(outcome["attempts"], PEOPLE);
    let draft = &outcome["draft"];
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["calibrated"], true);
    let report = &draft["calibration"]["result"];
    assert_eq!(report["model"], "2PL");
    assert_eq!(report["respondents"], PEOPLE);
    assert!(report["convergence"]["iterations"].as_u64().unwrap() >= 1);
    let doc = json_with(
        app.get(&format!("/api/v1/instruments/{inst}/export"), &hr)
            .await,
        200,
    )
    .await;
    let scored: Vec<&str> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["practice"] != true)
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    let items = draft["items"].as_array().unwrap();
    assert_eq!(
        items
            .iter()
            .map(|i| i["item"].as_str().unwrap())
            .collect::<Vec<_>>(),
        scored
    );
    for (p, r) in items.iter().zip(report["items"].as_array().unwrap()) {
        assert_eq!(p["model"], "2PL");
        assert_eq!(p["a"], r["a"]);
        assert_eq!(p["b"], r["b"]);
        assert!(p["a"].as_f64().unwrap() > 0.0);
        assert!(r["se"]["b"].as_f64().unwrap() > 0.0, "{r}");
        assert!(r["fit"]["df"].as_u64().is_some(), "{r}");
    }
    assert!(draft["method"]
        .as_str()
        .unwrap()
        .starts_with("MML-EM 2PL, scale NUM, 150 respondents"));

    // Nothing is in use until it is published.
    let list = json_with(app.get(&base, &psy).await, 200).await;
    assert_eq!(list["current"], Value::Null);
    json_with(app.post(&format!("{base}/1/publish"), &psy).await, 200).await;
    let list = json_with(app.get(&base, &psy).await, 200).await;
    assert_eq!(list["current"], 1);
    let actions: Vec<String> = app
        .audit_of("demo")
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"item_parameters.draft".to_owned()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"item_parameters.publish".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_calibration_that_cannot_be_done_is_refused_with_its_code_and_stores_nothing() {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = 30).await;
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let inst = instrument_id(&app, &hr, "NUM-SERIES").await;
    let path = format!("/api/v1/instruments/{inst}/item-parameters/calibrate");
    let body = assert_error(
        app.post_json(&path, &hr, &json!({"model": "2PL"})).await,
        422,
        "too_few_respondents",
    )
    .await;
    assert!(body["message"].as_str().unwrap().contains("100"), "{body}");
    assert_error(
        app.post_json(&path, &hr, &json!({"model": "4PL"})).await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        app.post_json(&path, &hr, &json!({"model": "GRM"})).await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        app.post_json(&path, &hr, &json!({"model": "2PL", "scale": "NOPE"}))
            .await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        app.post_json(
            &path,
            &hr,
            &json!({"model": "2PL", "max_iterations": 0, "min_respondents": 2}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let proctor = app.account_with_role(&admin, "proctor").await;
    assert_error(
        app.post_json(&path, &proctor, &json!({"model": "2PL"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let other = app.second_organisation().await;
    assert_error(
        app.post_json(&path, &other, &json!({"model": "2PL"})).await,
        404,
        "not_found",
    )
    .await;
    let versions = json_with(
        app.get(&format!("/api/v1/instruments/{inst}/item-parameters"), &hr)
            .await,
        200,
    )
    .await;
    assert_eq!(versions["versions"], json!([]));
}
