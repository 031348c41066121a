//! Item response theory parameters in the item bank (issue 14, item 1): imported with an
//! instrument, versioned apart from it, reviewed and published by psychometric staff only, and
//! never part of what a candidate receives.
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, candidate, demo_hr, import, json_with, sample_instrument, setup, start, TestApp,
};

/// The sample instrument with 3PL, 2PL and GRM parameters (its Likert items have 3 points).
fn with_parameters(code: &str) -> Value {
    let mut doc = sample_instrument(code, 1);
    doc["item_parameters"] = json!({
        "method": "illustrative, for tests", "simulated": true,
        "items": [
            {"item": "NS-1", "model": "3PL", "a": 1.2, "b": -0.3, "c": 0.2},
            {"item": "AR-1", "model": "2PL", "a": 0.9, "b": 0.4},
            {"item": "LK-1", "model": "GRM", "a": 1.5, "thresholds": [-0.8, 0.9]}
        ]
    });
    doc
}

#[tokio::test]
async fn an_instrument_imported_with_item_parameters_holds_them_as_published_version_one_and_exports_them(
) {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let doc = with_parameters("IRT-TEST");
    let outcome = json_with(
        app.post_json("/api/v1/instruments/import", &admin, &doc)
            .await,
        201,
    )
    .await;
    assert_eq!(outcome["item_parameter_count"], 3);
    let id = outcome["id"].as_str().unwrap();

    let list = json_with(
        app.get(&format!("/api/v1/instruments/{id}/item-parameters"), &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(list["current"], 1);
    assert_eq!(list["versions"].as_array().unwrap().len(), 1);
    assert_eq!(list["versions"][0]["status"], "published");
    assert_eq!(list["versions"][0]["D"], 1.702);
    assert_eq!(list["versions"][0]["simulated"], true);
    assert_eq!(list["versions"][0]["item_count"], 3);

    let v1 = json_with(
        app.get(
            &format!("/api/v1/instruments/{id}/item-parameters/1"),
            &admin,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(
        v1["items"][0],
        json!({"item": "NS-1", "model": "3PL", "a": 1.2, "b": -0.3, "c": 0.2})
    );
    assert_eq!(v1["items"][2]["thresholds"], json!([-0.8, 0.9]));

    let exported = json_with(
        app.get(&format!("/api/v1/instruments/{id}/export"), &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(exported["item_parameters"]["D"], 1.702);
    assert_eq!(exported["item_parameters"]["items"], v1["items"]);
    assert_eq!(
        exported["item_parameters"]["method"],
        "illustrative, for tests"
    );
}

#[tokio::test]
async fn a_draft_is_compared_with_the_version_in_use_and_published_as_the_next_version_with_audit()
{
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &with_parameters("IRT-TEST")).await;
    let base = format!("/api/v1/instruments/{id}/item-parameters");
    let draft = json!({"method": "MML-EM 2PL, 400 respondents", "items": [
        {"item": "NS-1", "model": "2PL", "a": 1.0, "b": -0.1},
        {"item": "AR-1", "model": "2PL", "a": 1.1, "b": 0.9}
    ]});
    let made = json_with(app.post_json(&base, &admin, &draft).await, 201).await;
    assert_eq!(made["version"], 2);
    assert_eq!(made["status"], "draft");
    assert_eq!(made["simulated"], false);
    let list = json_with(app.get(&base, &admin).await, 200).await;
    assert_eq!(list["current"], 1, "a draft is not in use");

    let cmp = json_with(app.get(&format!("{base}/2/compare"), &admin).await, 200).await;
    assert_eq!(cmp["against"], 1);
    let items: Vec<&str> = cmp["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["item"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["NS-1", "AR-1", "LK-1"]);
    // NS-1: b −0.3 → −0.1; AR-1: b 0.4 → 0.9, a 0.9 → 1.1.
    assert!((cmp["items"][0]["delta_b"].as_f64().unwrap() - 0.2).abs() < 1e-12);
    assert!((cmp["items"][1]["delta_b"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    assert!((cmp["items"][1]["delta_a"].as_f64().unwrap() - 0.2).abs() < 1e-12);
    assert_eq!(cmp["items"][2]["after"], Value::Null);
    assert!((cmp["max_abs_delta_b"].as_f64().unwrap() - 0.5).abs() < 1e-12);

    let published = json_with(app.post(&format!("{base}/2/publish"), &admin).await, 200).await;
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].is_string());
    assert_eq!(
        json_with(app.get(&base, &admin).await, 200).await["current"],
        2
    );
    let exported = json_with(
        app.get(&format!("/api/v1/instruments/{id}/export"), &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(
        exported["item_parameters"]["method"],
        "MML-EM 2PL, 400 respondents"
    );
    assert_eq!(
        exported["item_parameters"]["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Version 1 stays as it was, for the results it scored.
    let v1 = json_with(app.get(&format!("{base}/1"), &admin).await, 200).await;
    assert_eq!(v1["items"].as_array().unwrap().len(), 3);

    assert_error(
        app.post(&format!("{base}/2/publish"), &admin).await,
        409,
        "invalid_state_transition",
    )
    .await;
    let actions: Vec<String> = app
        .audit_actions()
        .await
        .into_iter()
        .filter(|(_, target)| target == "instrument")
        .map(|(action, _)| action)
        .collect();
    assert!(
        actions.contains(&"item_parameters.draft".to_string()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&"item_parameters.publish".to_string()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_parameter_set_with_a_negative_discrimination_is_refused_whole_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &with_parameters("IRT-TEST")).await;
    let base = format!("/api/v1/instruments/{id}/item-parameters");
    let bad = json!({"method": "hand-made", "items": [
        {"item": "NS-1", "model": "2PL", "a": -0.5, "b": 0.0},
        {"item": "AR-1", "model": "3PL", "a": 1.0, "b": 0.0, "c": 1.2},
        {"item": "LK-1", "model": "GRM", "a": 1.0, "thresholds": [0.5, -0.5]},
        {"item": "NOPE", "model": "2PL", "a": 1.0, "b": 0.0}
    ]});
    let body = assert_error(
        app.post_json(&base, &admin, &bad).await,
        422,
        "invalid_item_parameters",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "items[0].a",
            "items[1].c",
            "items[2].thresholds",
            "items[3].item"
        ]
    );
    let list = json_with(app.get(&base, &admin).await, 200).await;
    assert_eq!(list["versions"].as_array().unwrap().len(), 1);

    // In an instrument file the same problem refuses the whole file.
    let mut doc = with_parameters("IRT-BAD");
    doc["item_parameters"]["items"][0]["a"] = json!(-1.0);
    let body = assert_error(
        app.post_json("/api/v1/instruments/import", &admin, &doc)
            .await,
        422,
        "invalid_instrument",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "item_parameters.items[0].a");
    assert_eq!(body["errors"][0]["item"], "NS-1");
    let all = json_with(app.get("/api/v1/instruments?status=all", &admin).await, 200).await;
    assert!(all["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["code"] != "IRT-BAD"));
}

#[tokio::test]
async fn a_draft_can_be_discarded_but_a_published_version_cannot() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &with_parameters("IRT-TEST")).await;
    let base = format!("/api/v1/instruments/{id}/item-parameters");
    let draft = json!({"method": "m", "items": [{"item": "AR-1", "model": "1PL", "b": 0.2}]});
    json_with(app.post_json(&base, &admin, &draft).await, 201).await;
    let res = app
        .client
        .delete(app.url(&format!("{base}/2")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_error(
        app.get(&format!("{base}/2"), &admin).await,
        404,
        "not_found",
    )
    .await;
    let res = app
        .client
        .delete(app.url(&format!("{base}/1")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_error(res, 409, "invalid_state_transition").await;
    assert_eq!(
        json_with(app.get(&base, &admin).await, 200).await["current"],
        1
    );
    let actions: Vec<String> = app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert!(
        actions.contains(&"item_parameters.discard".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn only_administrators_hr_and_psychologists_see_item_parameters_and_only_of_their_organisation(
) {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &with_parameters("IRT-TEST")).await;
    let path = format!("/api/v1/instruments/{id}/item-parameters");
    for role in ["hr", "psychologist"] {
        let token = app.account_with_role(&admin, role).await;
        assert_eq!(app.get(&path, &token).await.status(), 200, "{role}");
    }
    for role in ["proctor", "assessor"] {
        let token = app.account_with_role(&admin, role).await;
        assert_error(app.get(&path, &token).await, 403, "forbidden").await;
        assert_error(
            app.get(&format!("{path}/1"), &token).await,
            403,
            "forbidden",
        )
        .await;
    }
    let other = app.second_organisation().await;
    assert_error(app.get(&path, &other).await, 404, "not_found").await;
    assert_error(
        app.get(&format!("{path}/1"), &other).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_candidate_taking_an_instrument_with_item_parameters_never_receives_them() {
    let app = TestApp::spawn_demo().await;
    let (hr, _) = demo_hr(&app).await;
    import(&app, &hr, &with_parameters("IRT-TEST")).await;
    let s = setup(&app, &[("IRT-TEST", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    let text = section.to_string();
    assert!(
        section["items"].as_array().is_some_and(|i| i.len() == 3),
        "{text}"
    );
    for leak in [
        "item_parameters",
        "thresholds",
        "\"a\":",
        "\"b\":",
        "\"c\":",
        "3PL",
        "GRM",
    ] {
        assert!(
            !text.contains(leak),
            "the candidate's section shows {leak}: {text}"
        );
    }
}

#[tokio::test]
async fn the_overview_lists_every_instrument_with_its_parameter_version_in_use_and_waiting_drafts()
{
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let with = import(&app, &admin, &with_parameters("IRT-A")).await;
    let without = import(&app, &admin, &sample_instrument("PLAIN-B", 1)).await;
    let draft =
        json!({"method": "m", "items": [{"item": "AR-1", "model": "2PL", "a": 1.0, "b": 0.2}]});
    for _ in 0..2 {
        json_with(
            app.post_json(
                &format!("/api/v1/instruments/{with}/item-parameters"),
                &admin,
                &draft,
            )
            .await,
            201,
        )
        .await;
    }
    let psychologist = app.account_with_role(&admin, "psychologist").await;
    let overview = json_with(app.get("/api/v1/item-parameters", &psychologist).await, 200).await;
    let rows = overview["instruments"].as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(row(&with)["current"], 1);
    assert_eq!(row(&with)["drafts"], 2);
    assert_eq!(row(&with)["code"], "IRT-A");
    assert_eq!(row(&without)["current"], Value::Null);
    assert_eq!(row(&without)["drafts"], 0);
    let proctor = app.account_with_role(&admin, "proctor").await;
    assert_error(
        app.get("/api/v1/item-parameters", &proctor).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn the_curves_of_a_version_give_each_items_probability_and_information_and_the_tests_se() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &with_parameters("IRT-TEST")).await;
    let path = format!("/api/v1/instruments/{id}/item-parameters/1/curves");
    let c = json_with(
        app.get(&format!("{path}?from=-1&to=1&points=5"), &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(c["theta"], json!([-1.0, -0.5, 0.0, 0.5, 1.0]));
    let items: Vec<&str> = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["item"].as_str().unwrap())
        .collect();
    assert_eq!(items, ["NS-1", "AR-1", "LK-1"]);
    // NS-1 (3PL a 1.2, b −0.3, c 0.2) at θ = 0.5: P = 0.869365, I = 0.438819 (worked in
    // domain::irt's tests).
    let ns = &c["items"][0];
    assert!((ns["characteristic"][3].as_f64().unwrap() - 0.869365).abs() < 1e-6);
    assert!((ns["information"][3].as_f64().unwrap() - 0.438819).abs() < 1e-6);
    let total: f64 = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["information"][2].as_f64().unwrap())
        .sum();
    assert!((c["test_information"][2].as_f64().unwrap() - total).abs() < 1e-12);
    assert!((c["standard_error"][2].as_f64().unwrap() - 1.0 / total.sqrt()).abs() < 1e-12);
    assert_error(
        app.get(&format!("{path}?from=2&to=1"), &admin).await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        app.get(&format!("{path}?points=5000"), &admin).await,
        422,
        "invalid_input",
    )
    .await;
}
