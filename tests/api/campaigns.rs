//! Campaigns: created by HR from a battery, with sessions and a norm rule.
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, campaign_doc, create_campaign, demo_hr, TestApp, DEMO_PASSWORD,
};

#[tokio::test]
async fn hr_creates_a_campaign_from_a_battery_with_sessions_and_a_norm_rule() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let res = app
        .post_json("/api/v1/campaigns", &hr, &campaign_doc(&battery))
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["name"], "Pemetaan Kompetensi Pengawas 2026");
    assert_eq!(created["battery"], battery.as_str());
    assert_eq!(created["show_score_to_candidate"], true);
    assert_eq!(created["resume_requires_unlock"], false);
    assert_eq!(created["norm_rule"]["rules"][0]["group"], "s1");
    assert_eq!(created["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(created["sessions"][0]["room"], "Lab Komputer A");
    assert_eq!(created["sessions"][1]["room"], Value::Null);
    assert_eq!(created["participant_count"], 0);

    let id = created["id"].as_str().unwrap();
    let list: Value = app
        .get("/api/v1/campaigns", &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["campaigns"].as_array().unwrap().len(), 1);
    assert_eq!(list["campaigns"][0]["id"], id);
    let one = app.get(&format!("/api/v1/campaigns/{id}"), &hr).await;
    assert_eq!(one.status(), 200);

    let audit = app.audit_of("demo").await;
    assert!(audit
        .iter()
        .any(|e| e.action == "campaign.create" && e.target_id == id));
}

#[tokio::test]
async fn a_campaign_with_errors_is_refused_naming_every_field_and_nothing_is_created() {
    let app = TestApp::spawn_demo().await;
    let (hr, _) = demo_hr(&app).await;
    let mut doc = campaign_doc(&uuid::Uuid::new_v4().to_string());
    doc["closes_at"] = json!("2026-11-30T00:00:00Z");
    doc["sessions"][1]["name"] = json!("sesi 1");
    doc["sessions"][1]["capacity"] = json!(0);
    let res = app.post_json("/api/v1/campaigns", &hr, &doc).await;
    let body = assert_error(res, 422, "invalid_campaign").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "closes_at",
            "sessions[0].starts_at",
            "sessions[1].name",
            "sessions[1].capacity",
            "sessions[1].starts_at",
            "battery"
        ]
    );
    let list: Value = app
        .get("/api/v1/campaigns", &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["campaigns"], json!([]));
}

#[tokio::test]
async fn a_session_proctor_must_be_a_proctor_of_the_organisation() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let me: Value = app.get("/api/v1/auth/me", &hr).await.json().await.unwrap();
    let mut doc = campaign_doc(&battery);
    doc["sessions"][0]["proctor"] = me["id"].clone();
    let res = app.post_json("/api/v1/campaigns", &hr, &doc).await;
    let body = assert_error(res, 422, "invalid_campaign").await;
    assert_eq!(body["errors"][0]["field"], "sessions[0].proctor");

    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let p: Value = app
        .get("/api/v1/auth/me", &proctor)
        .await
        .json()
        .await
        .unwrap();
    doc["sessions"][0]["proctor"] = p["id"].clone();
    let res = app.post_json("/api/v1/campaigns", &hr, &doc).await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["sessions"][0]["proctor"], p["id"]);
}

#[tokio::test]
async fn a_campaign_with_an_unknown_field_or_a_bad_date_is_invalid_input() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let mut doc = campaign_doc(&battery);
    doc["show_scores"] = json!(true);
    assert_error(
        app.post_json("/api/v1/campaigns", &hr, &doc).await,
        422,
        "invalid_input",
    )
    .await;
    let mut doc = campaign_doc(&battery);
    doc["opens_at"] = json!("1 Desember 2026");
    assert_error(
        app.post_json("/api/v1/campaigns", &hr, &doc).await,
        422,
        "invalid_input",
    )
    .await;
}

#[tokio::test]
async fn only_admin_and_hr_manage_campaigns_and_another_organisation_sees_none() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let id = &create_campaign(&app, &hr, &campaign_doc(&battery)).await;

    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(
        app.get("/api/v1/campaigns", &proctor).await,
        403,
        "forbidden",
    )
    .await;

    let other = app.second_organisation().await;
    assert_error(
        app.get(&format!("/api/v1/campaigns/{id}"), &other).await,
        404,
        "not_found",
    )
    .await;
    let list: Value = app
        .get("/api/v1/campaigns", &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["campaigns"], json!([]));
    // Nor can it build a campaign on the first organisation's battery.
    let res = app
        .post_json("/api/v1/campaigns", &other, &campaign_doc(&battery))
        .await;
    let body = assert_error(res, 422, "invalid_campaign").await;
    assert_eq!(body["errors"][0]["field"], "battery");
}
