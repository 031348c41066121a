use serde_json::{json, Value};

use crate::helpers::{assert_error, import, sample_instrument, TestApp};

fn battery(code: &str) -> Value {
    json!({
        "code": code, "name": {"id": "Baterai Uji", "en": "Test Battery"},
        "sections": [
            {"instrument": "NUM-TEST", "version": 1, "title": {"id": "Numerik"}, "time_limit_seconds": 600,
             "item_order": "random", "shuffle_options": true, "navigation": "forward_only", "draw": 2},
            {"instrument": "NUM-TEST", "version": 2, "title": {"id": "Numerik 2"}, "time_limit_seconds": 300,
             "item_order": "fixed", "shuffle_options": false, "navigation": "free"}
        ]
    })
}

#[tokio::test]
async fn a_battery_is_built_from_active_instruments_with_section_rules() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;
    import(&app, &admin, &sample_instrument("NUM-TEST", 2)).await;
    let res = app
        .post_json("/api/v1/batteries", &admin, &battery("BAT-1"))
        .await;
    assert_eq!(res.status(), 201);
    let b: Value = res.json().await.unwrap();
    assert_eq!(b["code"], "BAT-1");
    assert_eq!(b["total_time_seconds"], 900);
    assert_eq!(b["sections"][0]["item_order"], "random");
    assert_eq!(b["sections"][0]["navigation"], "forward_only");
    assert_eq!(b["sections"][0]["draw"], 2);
    assert_eq!(b["sections"][1]["instrument_version"], 2);
    assert_eq!(b["sections"][1]["draw"], Value::Null);

    let id = b["id"].as_str().unwrap();
    let got: Value = app
        .get(&format!("/api/v1/batteries/{id}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got, b);
    let list: Value = app
        .get("/api/v1/batteries", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["batteries"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_battery_naming_a_missing_instrument_or_drawing_too_many_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;
    let mut doc = battery("BAT-1");
    doc["sections"][0]["draw"] = json!(9);
    let err = assert_error(
        app.post_json("/api/v1/batteries", &admin, &doc).await,
        422,
        "invalid_battery",
    )
    .await;
    let fields: Vec<&str> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["sections[0].draw", "sections[1].instrument"]);
    let list: Value = app
        .get("/api/v1/batteries", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["batteries"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_retired_instrument_cannot_be_put_in_a_new_battery() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;
    import(&app, &admin, &sample_instrument("NUM-TEST", 2)).await;
    app.post(&format!("/api/v1/instruments/{id}/retire"), &admin)
        .await;
    let err = assert_error(
        app.post_json("/api/v1/batteries", &admin, &battery("BAT-1"))
            .await,
        422,
        "invalid_battery",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "sections[0].instrument");
}

#[tokio::test]
async fn a_battery_code_is_unique_in_an_organisation() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;
    import(&app, &admin, &sample_instrument("NUM-TEST", 2)).await;
    assert_eq!(
        app.post_json("/api/v1/batteries", &admin, &battery("BAT-1"))
            .await
            .status(),
        201
    );
    assert_error(
        app.post_json("/api/v1/batteries", &admin, &battery("BAT-1"))
            .await,
        409,
        "battery_code_exists",
    )
    .await;
}

#[tokio::test]
async fn a_battery_with_an_unknown_field_is_invalid_input() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mut doc = battery("BAT-1");
    doc["sections"][0]["timelimit"] = json!(5);
    assert_error(
        app.post_json("/api/v1/batteries", &admin, &doc).await,
        422,
        "invalid_input",
    )
    .await;
}
