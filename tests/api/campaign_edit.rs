//! Editing a campaign after creation (`PATCH /api/v1/campaigns/{id}`): window, sessions,
//! proctors and settings that leave answers as they are, while what candidates were already given
//! stays.
use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};

use crate::helpers::{
    answer, assert_error, campaign_doc, candidate, create_campaign, demo_hr, demo_proctor_id,
    login, setup, start, TestApp, DEMO_PASSWORD, NIP,
};
use crate::proctoring::Feed;

async fn campaign(app: &TestApp, token: &str, id: &str) -> Value {
    let res = app.get(&format!("/api/v1/campaigns/{id}"), token).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn patch(app: &TestApp, token: &str, id: &str, body: Value) -> reqwest::Response {
    app.patch_json(&format!("/api/v1/campaigns/{id}"), token, &body)
        .await
}

/// The `field` of each problem an error body names.
fn fields(body: &Value) -> Vec<&str> {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}

/// The audit entries of one campaign: (action, before, after, reason).
async fn audit_of(
    app: &TestApp,
    id: &str,
) -> Vec<(String, Option<Value>, Option<Value>, Option<String>)> {
    let org = meritest::store::organisations::find_by_code(&app.ctx.db, "demo")
        .await
        .unwrap()
        .unwrap();
    meritest::store::audit::list(&app.ctx.db, org.id.into(), Some(("campaign", id)))
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.before, e.after, e.reason))
        .collect()
}

#[tokio::test]
async fn hr_changes_the_window_settings_and_sessions_and_the_audit_keeps_before_and_after() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let id = create_campaign(&app, &hr, &campaign_doc(&battery)).await;
    let created = campaign(&app, &hr, &id).await;
    let first = created["sessions"][0]["id"].as_str().unwrap().to_owned();
    let second = created["sessions"][1]["id"].as_str().unwrap().to_owned();
    let proctor = demo_proctor_id(&app).await;

    let res = patch(&app, &hr, &id, json!({
        "name": "Pemetaan Kompetensi Pengawas 2026 (diperpanjang)",
        "closes_at": "2026-12-04T00:00:00Z",
        "show_score_to_candidate": false,
        "resume_requires_unlock": true,
        "auto_pause_after": 3,
        "reason": "jadwal diperpanjang satu hari",
        "sessions": [
            {"name": "Sesi 3", "room": "Aula", "starts_at": "2026-12-03T01:00:00Z", "capacity": 25},
            {"id": first, "name": "Sesi Pagi", "room": "Lab Komputer B",
             "starts_at": "2026-12-01T02:00:00Z", "capacity": 30, "proctor": proctor}
        ]
    }))
    .await;
    assert_eq!(res.status(), 200);
    let changed: Value = res.json().await.unwrap();
    assert_eq!(
        changed,
        campaign(&app, &hr, &id).await,
        "the reply is what is stored"
    );
    assert_eq!(
        changed["name"],
        "Pemetaan Kompetensi Pengawas 2026 (diperpanjang)"
    );
    assert_eq!(
        changed["opens_at"], created["opens_at"],
        "left out: unchanged"
    );
    assert_eq!(changed["closes_at"], "2026-12-04T00:00:00Z");
    assert_eq!(changed["battery"], battery.as_str());
    assert_eq!(changed["show_score_to_candidate"], false);
    assert_eq!(changed["resume_requires_unlock"], true);
    assert_eq!(changed["auto_pause_after"], 3);
    assert_eq!(changed["norm_rule"], created["norm_rule"]);
    let sessions = changed["sessions"].as_array().unwrap();
    let names: Vec<&str> = sessions
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Sesi 3", "Sesi Pagi"]);
    assert_eq!(sessions[0]["room"], "Aula");
    assert_eq!(sessions[0]["proctor"], Value::Null);
    assert_eq!(
        sessions[1]["id"],
        first.as_str(),
        "the same session, renamed"
    );
    assert_eq!(sessions[1]["room"], "Lab Komputer B");
    assert_eq!(sessions[1]["starts_at"], "2026-12-01T02:00:00Z");
    assert_eq!(sessions[1]["capacity"], 30);
    assert_eq!(sessions[1]["proctor"], proctor.as_str());
    assert!(
        sessions.iter().all(|s| s["id"] != second.as_str()),
        "removed"
    );

    // `null` clears the automatic pause; what is left out stays.
    let res = patch(&app, &hr, &id, json!({"auto_pause_after": null})).await;
    assert_eq!(res.status(), 200);
    let cleared: Value = res.json().await.unwrap();
    assert_eq!(cleared["auto_pause_after"], Value::Null);
    assert_eq!(cleared["sessions"], changed["sessions"]);

    let audit = audit_of(&app, &id).await;
    let actions: Vec<&str> = audit.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(
        actions,
        ["campaign.create", "campaign.update", "campaign.update"]
    );
    let (_, before, after, reason) = &audit[1];
    let (before, after) = (before.as_ref().unwrap(), after.as_ref().unwrap());
    assert_eq!(before["name"], "Pemetaan Kompetensi Pengawas 2026");
    assert_eq!(
        after["name"],
        "Pemetaan Kompetensi Pengawas 2026 (diperpanjang)"
    );
    assert_eq!(before["closes_at"], "2026-12-03T00:00:00Z");
    assert_eq!(after["closes_at"], "2026-12-04T00:00:00Z");
    let ids = |v: &Value| -> Vec<Value> {
        v["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].clone())
            .collect()
    };
    assert_eq!(ids(before), [json!(first), json!(second)]);
    assert_eq!(ids(after), [Value::Null, json!(first)]);
    assert_eq!(reason.as_deref(), Some("jadwal diperpanjang satu hari"));
    assert_eq!(audit[2].1.as_ref().unwrap()["auto_pause_after"], 3);
    assert_eq!(audit[2].2.as_ref().unwrap().get("auto_pause_after"), None);
}

#[tokio::test]
async fn an_edit_with_errors_names_every_field_and_changes_nothing() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let id = create_campaign(&app, &hr, &campaign_doc(&battery)).await;
    let before = campaign(&app, &hr, &id).await;
    let first = before["sessions"][0]["id"].clone();
    let me: Value = app.get("/api/v1/auth/me", &hr).await.json().await.unwrap();
    let res = patch(&app, &hr, &id, json!({
        "name": " ",
        "closes_at": "2026-11-30T00:00:00Z",
        "sessions": [
            {"id": first, "name": "Sesi 1", "starts_at": "2026-12-01T01:00:00Z", "capacity": 0},
            {"id": uuid::Uuid::new_v4(), "name": "Sesi X", "starts_at": "2026-11-29T01:00:00Z", "capacity": 5},
        ]
    }))
    .await;
    let body = assert_error(res, 422, "invalid_campaign").await;
    assert_eq!(
        fields(&body),
        [
            "name",
            "closes_at",
            "sessions[0].capacity",
            "sessions[0].starts_at",
            "sessions[1].starts_at",
            "sessions[1].id"
        ]
    );
    // A proctor that is not an enabled proctor account of the organisation (here: HR itself).
    let mut sessions = before["sessions"].clone();
    sessions[0]["proctor"] = me["id"].clone();
    for s in sessions.as_array_mut().unwrap() {
        let o = s.as_object_mut().unwrap();
        o.remove("started_at");
        if o["room"].is_null() {
            o.remove("room");
        }
        if o["proctor"].is_null() {
            o.remove("proctor");
        }
    }
    let body = assert_error(
        patch(&app, &hr, &id, json!({"sessions": sessions})).await,
        422,
        "invalid_campaign",
    )
    .await;
    assert_eq!(fields(&body), ["sessions[0].proctor"]);
    assert_eq!(campaign(&app, &hr, &id).await, before, "nothing changed");
    let actions: Vec<String> = audit_of(&app, &id).await.into_iter().map(|a| a.0).collect();
    assert_eq!(actions, ["campaign.create"]);
}

#[tokio::test]
async fn what_candidates_were_given_cannot_change_and_nothing_else_changes_with_it() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    start(&app, &token, 0).await;
    let (_, other_battery) = demo_hr(&app).await;
    let locked = |body: Value| {
        let app = &app;
        let s = &s;
        async move {
            let res = patch(app, &s.hr, &s.campaign, body).await;
            let body = assert_error(res, 409, "campaign_locked").await;
            fields(&body)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        locked(json!({"battery": other_battery, "name": "Nama baru"})).await,
        ["battery"]
    );
    assert_eq!(
        locked(json!({"norm_rule": {"default_group": "s1", "rules": []}})).await,
        ["norm_rule"]
    );
    assert_eq!(locked(json!({"lobby": true})).await, ["lobby"]);
    assert_eq!(locked(json!({"sessions": []})).await, ["sessions"]);
    assert_eq!(
        locked(json!({"opens_at": (Utc::now() + chrono::Duration::minutes(5)).to_rfc3339(),
            "sessions": [{"id": s.session, "name": "Sesi 1",
                "starts_at": (Utc::now() + chrono::Duration::minutes(10)).to_rfc3339(), "capacity": 100}]}))
        .await,
        ["opens_at"]
    );
    // With a second participant enrolled in the session, its capacity cannot drop below two.
    let csv = "nip,name,birth_date,education,job_level,session\n199001012015032002,Siti Aminah,1990-01-01,S1,Pelaksana,Sesi 1\n";
    let res = app
        .client
        .post(app.url(&format!(
            "/api/v1/campaigns/{}/participants/import",
            s.campaign
        )))
        .bearer_auth(&s.hr)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let before = campaign(&app, &s.hr, &s.campaign).await;
    let res = patch(
        &app,
        &s.hr,
        &s.campaign,
        json!({"sessions": [{"id": s.session, "name": "Sesi 1",
        "starts_at": before["sessions"][0]["starts_at"], "capacity": 1}]}),
    )
    .await;
    let body = assert_error(res, 422, "invalid_campaign").await;
    assert_eq!(fields(&body), ["sessions[0].capacity"]);
    assert_eq!(
        body["errors"][0]["message"],
        "2 participants are enrolled in this session: the capacity must be at least 2"
    );
    assert_eq!(
        campaign(&app, &s.hr, &s.campaign).await,
        before,
        "nothing changed"
    );

    // The same values sent back are no change, so they pass; and the candidate answers on.
    let res = patch(
        &app,
        &s.hr,
        &s.campaign,
        json!({"battery": before["battery"],
        "norm_rule": before["norm_rule"], "lobby": false}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let updates = audit_of(&app, &s.campaign)
        .await
        .into_iter()
        .filter(|a| a.0 == "campaign.update")
        .count();
    assert_eq!(updates, 0, "no change, no audit entry");
    let section: Value = app
        .get("/api/v1/candidate/sections/0", &token)
        .await
        .json()
        .await
        .unwrap();
    let item = &section["items"][0];
    let res = answer(
        &app,
        &token,
        json!({"section": 0, "item": item["id"],
        "response": {"choice": item["options"][0]["id"]}, "seq": 1}),
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn closing_the_window_on_unfinished_candidates_must_be_said_then_they_expire_scored_and_their_pages_are_told(
) {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    let item = &section["items"][0];
    let res = answer(
        &app,
        &token,
        json!({"section": 0, "item": item["id"],
        "response": {"choice": item["options"][0]["id"]}, "seq": 1}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let mut page = Feed::open(&app, "/api/v1/candidate/stream", &token).await;
    assert_eq!(page.next(Duration::from_secs(5)).await.0, "state");
    let now = app.ctx.clock.now() - chrono::Duration::seconds(1);
    let body = assert_error(
        patch(
            &app,
            &s.hr,
            &s.campaign,
            json!({"closes_at": now.to_rfc3339()}),
        )
        .await,
        409,
        "campaign_locked",
    )
    .await;
    assert_eq!(fields(&body), ["closes_at"]);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("1 candidate(s) have not finished"),
        "{body}"
    );

    let res = patch(
        &app,
        &s.hr,
        &s.campaign,
        json!({"closes_at": now.to_rfc3339(),
        "expire_unfinished": true, "reason": "ruang ujian ditutup"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    // The sweep (every node runs it) ends the attempt as the close of a window does.
    meritest::services::attempt::expiry::sweep(&app.ctx)
        .await
        .unwrap();
    // The candidate's page, open on an item, is told at once that the test has ended.
    page.until(Duration::from_secs(5), |e, d| {
        e == "state" && d["status"] == "expired"
    })
    .await;
    let results: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    let p = &results["participants"][0];
    assert_eq!(p["status"], "expired");
    assert_eq!(p["scores"][0]["answered"], 1, "scored on what was answered");
    assert_error(
        answer(
            &app,
            &token,
            json!({"section": 0, "item": item["id"],
            "response": {"choice": item["options"][0]["id"]}, "seq": 2}),
        )
        .await,
        409,
        "attempt_finished",
    )
    .await;
    let audit = audit_of(&app, &s.campaign).await;
    assert_eq!(
        audit.last().unwrap().3.as_deref(),
        Some("ruang ujian ditutup")
    );

    // Once everyone is over, the window moves again freely (here: it opens again).
    let later = app.ctx.clock.now() + chrono::Duration::days(1);
    let res = patch(
        &app,
        &s.hr,
        &s.campaign,
        json!({"closes_at": later.to_rfc3339()}),
    )
    .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn an_edit_on_one_node_holds_at_once_on_another() {
    let app = TestApp::spawn_demo().await;
    let other = app.second_node().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let first = candidate(&app, &s.code).await;
    start(&app, &first, 0).await;
    // Without an unlock rule a second device takes over; HR switches the rule on the other node.
    let res = patch(
        &other,
        &s.hr,
        &s.campaign,
        json!({"resume_requires_unlock": true}),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_error(
        login(&app, json!({"code": s.code, "nip": NIP})).await,
        409,
        "resume_locked",
    )
    .await;
    // And a window closed on one node (nobody unfinished but the candidate, who is told so).
    let res = patch(
        &app,
        &s.hr,
        &s.campaign,
        json!({
        "closes_at": (app.ctx.clock.now() - chrono::Duration::seconds(1)).to_rfc3339(),
        "expire_unfinished": true}),
    )
    .await;
    assert_eq!(res.status(), 200);
    meritest::services::attempt::expiry::sweep(&other.ctx)
        .await
        .unwrap();
    let view: Value = other
        .get("/api/v1/candidate/attempt", &first)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "expired");
    other.handle.stop(true).await;
}

#[tokio::test]
async fn a_proctor_taken_off_a_session_no_longer_sees_it_and_their_live_room_ends() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let live = format!("/api/v1/proctoring/sessions/{}/live", s.session);
    let mut feed = Feed::open(&app, &live, &proctor).await;
    let (event, _) = feed.next(Duration::from_secs(5)).await;
    assert_eq!(event, "snapshot");
    let mut hr_feed = Feed::open(&app, &live, &s.hr).await;
    hr_feed.next(Duration::from_secs(5)).await;

    let view = campaign(&app, &s.hr, &s.campaign).await;
    let res = patch(
        &app,
        &s.hr,
        &s.campaign,
        json!({"sessions": [{"id": s.session,
        "name": "Sesi 1 (Lab B)", "room": "Lab B", "starts_at": view["sessions"][0]["starts_at"],
        "capacity": 100}]}),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert!(
        feed.ends_within(Duration::from_secs(5)).await,
        "the proctor's room closes"
    );
    assert_error(
        app.get(
            &format!("/api/v1/proctoring/sessions/{}/room", s.session),
            &proctor,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let sessions: Value = app
        .get("/api/v1/proctoring/sessions", &proctor)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sessions["sessions"], json!([]));
    // HR, still allowed, is sent the room again with the session's new name and room.
    let room = hr_feed
        .until(Duration::from_secs(5), |e, _| e == "snapshot")
        .await;
    assert_eq!(room["session"]["name"], "Sesi 1 (Lab B)");
    assert_eq!(room["session"]["room"], "Lab B");
    assert_eq!(room["session"]["proctor"], Value::Null);
}

#[tokio::test]
async fn the_lobby_can_be_switched_until_a_candidate_begins_and_holds_at_once() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let res = patch(&app, &s.hr, &s.campaign, json!({"lobby": true})).await;
    assert_eq!(res.status(), 200);
    assert_error(
        app.post("/api/v1/candidate/sections/0/start", &token).await,
        409,
        "not_admitted",
    )
    .await;
    let res = patch(&app, &s.hr, &s.campaign, json!({"lobby": false})).await;
    assert_eq!(res.status(), 200);
    start(&app, &token, 0).await;
    assert_error(
        patch(&app, &s.hr, &s.campaign, json!({"lobby": true})).await,
        409,
        "campaign_locked",
    )
    .await;
}

#[tokio::test]
async fn only_admin_and_hr_edit_a_campaign_of_their_own_organisation_with_known_fields() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let id = create_campaign(&app, &hr, &campaign_doc(&battery)).await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(
        patch(&app, &proctor, &id, json!({"name": "x"})).await,
        403,
        "forbidden",
    )
    .await;
    let other = app.second_organisation().await;
    assert_error(
        patch(&app, &other, &id, json!({"name": "x"})).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        patch(&app, &hr, &uuid::Uuid::new_v4().to_string(), json!({})).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        patch(&app, &hr, &id, json!({"show_scores": true})).await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        patch(&app, &hr, &id, json!({"closes_at": "besok"})).await,
        422,
        "invalid_input",
    )
    .await;
    let res = app
        .client
        .patch(app.url(&format!("/api/v1/campaigns/{id}")))
        .bearer_auth(&hr)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_error(res, 400, "invalid_json").await;
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let res = patch(&app, &admin, &id, json!({"name": "Diubah admin"})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(campaign(&app, &hr, &id).await["name"], "Diubah admin");
}
