//! Campaigns as the tests set them up through the API.
use serde_json::{json, Value};

use super::{TestApp, DEMO_PASSWORD};

/// The demo's HR token and the id of its ASN-DEMO battery.
pub async fn demo_hr(app: &TestApp) -> (String, String) {
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let list: Value = app
        .get("/api/v1/batteries", &hr)
        .await
        .json()
        .await
        .unwrap();
    let battery = list["batteries"][0]["id"].as_str().unwrap().to_owned();
    (hr, battery)
}

/// Creates a campaign that must be valid and returns its id.
pub async fn create_campaign(app: &TestApp, token: &str, doc: &Value) -> String {
    let res = app.post_json("/api/v1/campaigns", token, doc).await;
    assert_eq!(res.status(), 201, "the campaign is created");
    let created: Value = res.json().await.unwrap();
    created["id"].as_str().unwrap().to_owned()
}

/// A valid campaign of `battery` in December 2026, with two sessions and an education rule.
pub fn campaign_doc(battery: &str) -> Value {
    json!({
        "name": "Pemetaan Kompetensi Pengawas 2026",
        "battery": battery,
        "opens_at": "2026-12-01T00:00:00Z",
        "closes_at": "2026-12-03T00:00:00Z",
        "show_score_to_candidate": true,
        "norm_rule": {"default_group": "umum",
                      "rules": [{"attribute": "education", "values": ["S1", "D4"], "group": "s1"}]},
        "sessions": [
            {"name": "Sesi 1", "room": "Lab Komputer A", "starts_at": "2026-12-01T01:00:00Z", "capacity": 40},
            {"name": "Sesi 2", "starts_at": "2026-12-01T05:00:00Z", "capacity": 40}
        ]
    })
}

/// Gives the job level's own standard (not a position's) a new version in which `competency`
/// requires `level`, as `token` on `app`.
pub async fn require_level(
    app: &TestApp,
    token: &str,
    job_level: &str,
    competency: &str,
    level: u8,
) {
    let standards: Value = app
        .get("/api/v1/job-standards", token)
        .await
        .json()
        .await
        .unwrap();
    let standard = standards["standards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["job_level"] == job_level && x["position"].is_null())
        .unwrap_or_else(|| panic!("no standard for {job_level}"))
        .clone();
    let mut levels = standard["levels"].clone();
    levels[competency] = serde_json::json!(level);
    let res = app
        .put_json(
            &format!("/api/v1/job-standards/{}", standard["id"].as_str().unwrap()),
            token,
            &serde_json::json!({ "levels": levels }),
        )
        .await;
    assert_eq!(res.status(), 200);
}
