//! Integrity signals from the candidate's page and the timeline of an attempt.
use serde_json::{json, Value};

use crate::helpers::{assert_error, candidate, setup, TestApp, DEMO_PASSWORD};

#[tokio::test]
async fn the_timeline_shows_sign_in_sections_answers_and_signals_in_order() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let pid = s.participant.clone();
    let path = format!(
        "/api/v1/campaigns/{}/participants/{pid}/timeline",
        s.campaign
    );

    let before: Value = app.get(&path, &s.hr).await.json().await.unwrap();
    assert_eq!(
        before,
        json!({"attempt": null, "status": "not_started", "events": [], "answers": [], "integrity_signals": 0})
    );

    let token = candidate(&app, &s.code).await;
    let section: Value = app
        .post("/api/v1/candidate/sections/0/start", &token)
        .await
        .json()
        .await
        .unwrap();
    for (n, view) in section["items"]
        .as_array()
        .unwrap()
        .iter()
        .take(3)
        .enumerate()
    {
        let res = app
            .put_json(
                "/api/v1/candidate/answers",
                &token,
                &json!({"section": 0, "item": view["id"], "response": {"choice": view["options"][0]["id"]}, "seq": n + 1}),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    let res = app
        .post_json(
            "/api/v1/candidate/events",
            &token,
            &json!({"signal": "page_hidden", "detail": "hidden 12 s"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    app.post("/api/v1/candidate/sections/0/submit", &token)
        .await;

    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let t: Value = app.get(&path, &proctor).await.json().await.unwrap();
    let kinds: Vec<&str> = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "sign_in",
            "consent",
            "section_start",
            "integrity.page_hidden",
            "section_end",
            "finished"
        ]
    );
    // Its only section submitted, the attempt is finished (and scored) at once.
    assert_eq!(t["status"], "finished");
    assert_eq!(t["integrity_signals"], 1);
    assert_eq!(t["events"][3]["detail"]["detail"], "hidden 12 s");
    assert_eq!(t["events"][3]["detail"]["current_device"], true);
    assert_eq!(
        t["events"][4]["detail"],
        json!({"section": 0, "reason": "submitted"})
    );
    assert_eq!(t["answers"][0]["section"], 0);
    assert_eq!(t["answers"][0]["answers"], 3);
}

#[tokio::test]
async fn a_staff_unlock_appears_on_the_timeline_with_who_did_it() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let pid = s.participant.clone();
    candidate(&app, &s.code).await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let res = app
        .post_json(
            &format!("/api/v1/campaigns/{}/participants/{pid}/unlock", s.campaign),
            &proctor,
            &json!({}),
        )
        .await;
    let body = assert_error(res, 422, "invalid_input").await;
    assert_eq!(body["errors"][0]["field"], "reason");
    let res = app
        .post_json(
            &format!("/api/v1/campaigns/{}/participants/{pid}/unlock", s.campaign),
            &proctor,
            &json!({"reason": "tablet swapped"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let me: Value = app
        .get("/api/v1/auth/me", &proctor)
        .await
        .json()
        .await
        .unwrap();
    let t: Value = app
        .get(
            &format!(
                "/api/v1/campaigns/{}/participants/{pid}/timeline",
                s.campaign
            ),
            &s.hr,
        )
        .await
        .json()
        .await
        .unwrap();
    let unlock = t["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "unlock")
        .expect("the unlock is on the timeline");
    assert_eq!(unlock["actor"], me["id"]);
}

#[tokio::test]
async fn signals_are_checked_rate_limited_and_refused_once_finished() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    for bad in [
        json!({"signal": "screenshot"}),
        json!({"signal": "copy", "extra": 1}),
        json!({"signal": "copy", "detail": "x".repeat(201)}),
    ] {
        assert_error(
            app.post_json("/api/v1/candidate/events", &token, &bad)
                .await,
            422,
            "invalid_input",
        )
        .await;
    }
    for _ in 0..30 {
        let res = app
            .post_json(
                "/api/v1/candidate/events",
                &token,
                &json!({"signal": "window_blur"}),
            )
            .await;
        assert_eq!(res.status(), 204);
    }
    assert_error(
        app.post_json(
            "/api/v1/candidate/events",
            &token,
            &json!({"signal": "window_blur"}),
        )
        .await,
        429,
        "too_many_requests",
    )
    .await;

    let other = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let done = candidate(&app, &other.code).await;
    app.post("/api/v1/candidate/finish", &done).await;
    assert_error(
        app.post_json(
            "/api/v1/candidate/events",
            &done,
            &json!({"signal": "paste"}),
        )
        .await,
        409,
        "attempt_finished",
    )
    .await;
}

#[tokio::test]
async fn another_organisation_cannot_read_a_timeline_and_a_candidate_token_is_not_staff() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let pid = s.participant.clone();
    let path = format!(
        "/api/v1/campaigns/{}/participants/{pid}/timeline",
        s.campaign
    );
    let other = app.second_organisation().await;
    assert_error(app.get(&path, &other).await, 404, "not_found").await;
    let token = candidate(&app, &s.code).await;
    assert_error(app.get(&path, &token).await, 401, "invalid_token").await;
    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(app.get(&path, &assessor).await, 403, "forbidden").await;
}

#[tokio::test]
async fn an_extension_moves_the_server_deadline_for_the_candidate_and_is_audited() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let pid = s.participant.clone();
    let path = format!("/api/v1/campaigns/{}/participants/{pid}/extend", s.campaign);
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;

    // Nothing runs yet: nothing to extend.
    assert_error(
        app.post_json(&path, &proctor, &json!({"seconds": 300, "reason": "early"}))
            .await,
        409,
        "invalid_state_transition",
    )
    .await;
    let token = candidate(&app, &s.code).await;
    let section: Value = app
        .post("/api/v1/candidate/sections/0/start", &token)
        .await
        .json()
        .await
        .unwrap();
    for bad in [
        json!({"seconds": 0}),
        json!({"seconds": 7201}),
        json!({"minutes": 5}),
    ] {
        assert_error(
            app.post_json(&path, &proctor, &bad).await,
            422,
            "invalid_input",
        )
        .await;
    }

    let res = app
        .post_json(
            &path,
            &proctor,
            &json!({"seconds": 300, "reason": "power cut in lab B"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let ext: Value = res.json().await.unwrap();
    let before =
        chrono::DateTime::parse_from_rfc3339(section["deadline"].as_str().unwrap()).unwrap();
    let after = chrono::DateTime::parse_from_rfc3339(ext["deadline"].as_str().unwrap()).unwrap();
    assert_eq!((after - before).num_seconds(), 300);

    // The candidate's next reply counts down from the new deadline.
    let item = &section["items"][0];
    let ack: Value = app
        .put_json(
            "/api/v1/candidate/answers",
            &token,
            &json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": 1}),
        )
        .await
        .json()
        .await
        .unwrap();
    let remaining = ack["remaining_ms"].as_i64().unwrap();
    assert!((880_000..=900_000).contains(&remaining), "{remaining}");
    let resumed: Value = app
        .get("/api/v1/candidate/sections/0", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resumed["deadline"], ext["deadline"]);

    let audit = app.audit_of("demo").await;
    let entry = audit
        .iter()
        .find(|e| e.action == "attempt.extend")
        .expect("the extension is audited");
    assert_eq!(entry.reason.as_deref(), Some("power cut in lab B"));
    let t: Value = app
        .get(
            &format!(
                "/api/v1/campaigns/{}/participants/{pid}/timeline",
                s.campaign
            ),
            &s.hr,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(t["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "extend" && e["detail"]["seconds"] == 300));
    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(
        app.post_json(&path, &assessor, &json!({"seconds": 60}))
            .await,
        403,
        "forbidden",
    )
    .await;
}
