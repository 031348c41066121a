//! What a campaign tells its candidates besides its tests (issue 11): the time zone in which
//! their page shows its times, and for the consent screen whom to ask about their personal data
//! and how long it is kept (UU 27/2022).
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, campaign_doc, candidate, create_campaign, demo_hr, enrolled, login, setup,
    setup_settings, TestApp,
};

async fn hr_view(app: &TestApp, hr: &str, campaign: &str) -> Value {
    let res = app.get(&format!("/api/v1/campaigns/{campaign}"), hr).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn candidate_campaign(app: &TestApp, token: &str) -> Value {
    let res = app.get("/api/v1/candidate/attempt", token).await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.unwrap();
    view["campaign"].clone()
}

/// The three settings of an HR view: (time_zone, data_contact, retention_months).
fn settings(v: &Value) -> (Value, Value, Value) {
    (
        v["time_zone"].clone(),
        v["data_contact"].clone(),
        v["retention_months"].clone(),
    )
}

async fn campaign_count(app: &TestApp, hr: &str) -> usize {
    let list: Value = app.get("/api/v1/campaigns", hr).await.json().await.unwrap();
    list["campaigns"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_campaign_keeps_its_time_zone_data_contact_and_retention_and_its_candidates_see_them() {
    let app = TestApp::spawn_demo().await;
    let s = setup_settings(
        &app,
        &[("NUM-SERIES", 600)],
        &json!({"time_zone": "WITA", "data_contact": "  privasi@bkpsdm.example.go.id ",
                "retention_months": 24}),
    )
    .await;
    let view = hr_view(&app, &s.hr, &s.campaign).await;
    assert_eq!(
        settings(&view),
        (
            json!("WITA"),
            json!("privasi@bkpsdm.example.go.id"),
            json!(24)
        )
    );

    let token = candidate(&app, &s.code).await;
    let c = candidate_campaign(&app, &token).await;
    let mut keys: Vec<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "closes_at",
            "data_contact",
            "name",
            "opens_at",
            "retention_months",
            "show_score_to_candidate",
            "time_zone",
            "time_zone_iana"
        ]
    );
    assert_eq!(c["time_zone"], "WITA");
    assert_eq!(c["time_zone_iana"], "Asia/Makassar");
    assert_eq!(c["data_contact"], "privasi@bkpsdm.example.go.id");
    assert_eq!(c["retention_months"], 24);
    assert_eq!(c["opens_at"], view["opens_at"]);
    assert_eq!(c["closes_at"], view["closes_at"]);
}

#[tokio::test]
async fn left_out_the_settings_show_times_in_wib_and_state_no_contact_or_retention() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    assert_eq!(
        settings(&hr_view(&app, &s.hr, &s.campaign).await),
        (json!("WIB"), Value::Null, Value::Null)
    );
    let token = candidate(&app, &s.code).await;
    let c = candidate_campaign(&app, &token).await;
    assert_eq!(
        (
            &c["time_zone"],
            &c["time_zone_iana"],
            &c["data_contact"],
            &c["retention_months"]
        ),
        (
            &json!("WIB"),
            &json!("Asia/Jakarta"),
            &Value::Null,
            &Value::Null
        )
    );
}

#[tokio::test]
async fn each_bad_candidate_setting_is_refused_by_name_and_nothing_is_stored() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let named = [
        ("data_contact", json!("   ")),
        ("data_contact", json!("a".repeat(201))),
        ("retention_months", json!(0)),
        ("retention_months", json!(121)),
        ("retention_months", json!(-3)),
    ];
    for (field, value) in named {
        let mut doc = campaign_doc(&battery);
        doc[field] = value.clone();
        let body = assert_error(
            app.post_json("/api/v1/campaigns", &hr, &doc).await,
            422,
            "invalid_campaign",
        )
        .await;
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, [field], "{value}");
    }
    // Values of the wrong kind do not read as a campaign; the message names the field.
    let unreadable = [
        ("time_zone", json!("UTC")),
        ("time_zone", json!("wita")),
        ("time_zone", json!(null)),
        ("retention_months", json!("24")),
        ("retention_months", json!(2.5)),
        ("data_contact", json!(7)),
    ];
    for (field, value) in unreadable {
        let mut doc = campaign_doc(&battery);
        doc[field] = value.clone();
        let body = assert_error(
            app.post_json("/api/v1/campaigns", &hr, &doc).await,
            422,
            "invalid_input",
        )
        .await;
        let message = body["message"].as_str().unwrap();
        if field == "time_zone" {
            assert!(message.starts_with("time_zone must be WIB"), "{message}");
        }
    }
    assert_eq!(campaign_count(&app, &hr).await, 0, "nothing was created");
}

#[tokio::test]
async fn a_patch_changes_the_candidate_settings_and_null_clears_the_contact_and_retention() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    // A window that opens tomorrow at 00:00 UTC, whatever day the suite runs.
    let opens = (app.ctx.clock.now() + chrono::Duration::days(1))
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc();
    let mut doc = campaign_doc(&battery);
    doc["opens_at"] = json!(opens);
    doc["closes_at"] = json!(opens + chrono::Duration::days(2));
    for (i, s) in doc["sessions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        s["starts_at"] = json!(opens + chrono::Duration::hours(1 + 4 * i as i64));
    }
    let id = create_campaign(&app, &hr, &doc).await;
    let path = format!("/api/v1/campaigns/{id}");

    let res = app
        .patch_json(
            &path,
            &hr,
            &json!({"time_zone": "WIT", "data_contact": " Kantor BKPSDM, Jl. Contoh 1 ",
                    "retention_months": 36}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let changed: Value = res.json().await.unwrap();
    let expected = (
        json!("WIT"),
        json!("Kantor BKPSDM, Jl. Contoh 1"),
        json!(36),
    );
    assert_eq!(settings(&changed), expected);
    assert_eq!(settings(&hr_view(&app, &hr, &id).await), expected);

    // Bad values change nothing.
    for (patch, code) in [
        (json!({"time_zone": null}), "invalid_input"),
        (
            json!({"time_zone": "WITA", "retention_months": 0}),
            "invalid_campaign",
        ),
        (json!({"data_contact": ""}), "invalid_campaign"),
    ] {
        assert_error(app.patch_json(&path, &hr, &patch).await, 422, code).await;
    }
    assert_eq!(settings(&hr_view(&app, &hr, &id).await), expected);

    let res = app
        .patch_json(
            &path,
            &hr,
            &json!({"data_contact": null, "retention_months": null}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        settings(&res.json().await.unwrap()),
        (json!("WIT"), Value::Null, Value::Null)
    );

    // A candidate who comes too early is told the opening time in the campaign's zone:
    // 00:00 UTC is 09:00 WIT.
    let people = enrolled(&app, &hr, &id, "Sesi 1", 1).await;
    let body = assert_error(
        login(&app, json!({"code": people[0].code, "nip": people[0].nip})).await,
        403,
        "campaign_not_open",
    )
    .await;
    assert_eq!(
        body["message"],
        format!(
            "this assessment opens at {} 09:00 WIT",
            opens.format("%Y-%m-%d")
        )
    );
    // …and the facts, for the candidate's page to put in the candidate's language.
    assert_eq!(
        body["details"],
        json!({"opens_at": opens, "closes_at": opens + chrono::Duration::days(2),
               "time_zone": "WIT", "time_zone_iana": "Asia/Jayapura"})
    );
}
