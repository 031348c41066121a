//! Live proctoring: who may watch which room, the live feeds of the proctor and of the candidate's
//! page (across nodes), and every action: pause and resume, extra time, terminate, message,
//! irregularity, unlock, the lobby with its synchronised start, the automatic pause.
use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};

use crate::helpers::{
    answer, assert_error, backends, candidate, candidate_with, create_campaign, demo_hr,
    demo_proctor_id, enrolled, login, setup, start, started, TestApp, DEMO_PASSWORD, NIP,
};

/// A reader of a `text/event-stream` response.
pub struct Feed {
    res: reqwest::Response,
    buf: String,
}

impl Feed {
    pub async fn open(app: &TestApp, path: &str, token: &str) -> Feed {
        let res = app
            .client
            .get(app.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "the feed opens");
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "text/event-stream"
        );
        Feed {
            res,
            buf: String::new(),
        }
    }

    /// The next event (keep-alive comments skipped): (name, data).
    pub async fn next(&mut self, within: Duration) -> (String, Value) {
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let raw: String = self.buf.drain(..end + 2).collect();
                let mut event = None;
                let mut data = None;
                for line in raw.lines() {
                    if let Some(e) = line.strip_prefix("event: ") {
                        event = Some(e.to_owned());
                    } else if let Some(d) = line.strip_prefix("data: ") {
                        data = Some(serde_json::from_str(d).unwrap());
                    }
                }
                if let (Some(e), Some(d)) = (event, data) {
                    return (e, d);
                }
                continue;
            }
            let chunk = tokio::time::timeout(within, self.res.chunk())
                .await
                .expect("no event arrived in time")
                .unwrap()
                .expect("the stream ended");
            self.buf.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    /// Reads until the server ends the stream; false if it is still open after `within`.
    pub async fn ends_within(&mut self, within: Duration) -> bool {
        tokio::time::timeout(within, async {
            while let Ok(Some(_)) = self.res.chunk().await {}
        })
        .await
        .is_ok()
    }

    /// Waits (up to `within` in all) for an event that `wanted` accepts, and returns its data.
    pub async fn until(
        &mut self,
        within: Duration,
        wanted: impl Fn(&str, &Value) -> bool,
    ) -> Value {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let (e, d) = self.next(left).await;
            if wanted(&e, &d) {
                return d;
            }
        }
    }
}

async fn proctor(app: &TestApp) -> String {
    app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await
}

async fn timeline_of(app: &TestApp, token: &str, campaign: &str, pid: &str) -> Value {
    let res = app
        .get(
            &format!("/api/v1/campaigns/{campaign}/participants/{pid}/timeline"),
            token,
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn act(app: &TestApp, token: &str, session: &str, body: Value) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/proctoring/sessions/{session}/actions"),
        token,
        &body,
    )
    .await
}

async fn act_ok(app: &TestApp, token: &str, session: &str, body: Value) -> Value {
    let res = act(app, token, session, body).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn attempt_view(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/candidate/attempt", token)
        .await
        .json()
        .await
        .unwrap()
}

async fn room(app: &TestApp, token: &str, session: &str) -> Value {
    let res = app
        .get(
            &format!("/api/v1/proctoring/sessions/{session}/room"),
            token,
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// The room's live feed on `node`, opened by the proctor `token`, and the snapshot it begins with.
async fn room_feed(node: &TestApp, token: &str, session: &str) -> (Feed, Value) {
    let path = format!("/api/v1/proctoring/sessions/{session}/live");
    let mut feed = Feed::open(node, &path, token).await;
    let (event, snapshot) = feed.next(Duration::from_secs(5)).await;
    assert_eq!(event, "snapshot");
    (feed, snapshot)
}

/// A feed event that shows the (only) candidate with `n` answers: a count alone (`progress`)
/// or the whole row, when something else of it changed within the same flush.
fn shows_answered(event: &str, data: &Value, n: i64) -> bool {
    match event {
        "progress" => data["progress"][0]["answered"] == n,
        "rows" => data["rows"][0]["answered"] == n,
        _ => false,
    }
}

fn one_answer(section: &Value, i: usize, seq: i64) -> Value {
    let item = &section["items"][i];
    json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": seq})
}

async fn stored_answers(app: &TestApp) -> usize {
    use sea_orm::{EntityTrait, PaginatorTrait};
    meritest::store::entities::response::Entity::find()
        .count(&app.ctx.db)
        .await
        .unwrap() as usize
}

/// The only attempt's section 0 deadline, as stored.
async fn stored_deadline(app: &TestApp) -> chrono::DateTime<Utc> {
    use sea_orm::EntityTrait;
    meritest::store::entities::attempt_section::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.position == 0)
        .unwrap()
        .deadline_at
        .unwrap()
}

#[tokio::test]
async fn a_proctor_sees_and_steers_only_the_sessions_assigned_to_them_in_their_organisation() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let mine = proctor(&app).await;
    // A campaign whose only session another proctor watches.
    let other_proctor = app.account_with_role(&admin, "proctor").await;
    let other_id: Value = app
        .get("/api/v1/auth/me", &other_proctor)
        .await
        .json()
        .await
        .unwrap();
    let (hr, battery) = demo_hr(&app).await;
    let theirs = create_campaign(
        &app,
        &hr,
        &json!({"name": "Sesi lain", "battery": battery,
            "opens_at": (Utc::now() - chrono::Duration::hours(1)).to_rfc3339(),
            "closes_at": (Utc::now() + chrono::Duration::days(1)).to_rfc3339(),
            "sessions": [{"name": "Siang", "starts_at": Utc::now().to_rfc3339(), "capacity": 10,
                "proctor": other_id["id"]}]}),
    )
    .await;
    let theirs: Value = app
        .get(&format!("/api/v1/campaigns/{theirs}"), &hr)
        .await
        .json()
        .await
        .unwrap();
    let their_session = theirs["sessions"][0]["id"].as_str().unwrap();

    let listed: Value = app
        .get("/api/v1/proctoring/sessions", &mine)
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = listed["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&s.session.as_str()));
    assert!(!ids.contains(&their_session));
    let me = demo_proctor_id(&app).await;
    assert!(listed["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["proctor"] == me.as_str()));
    let hr_list: Value = app
        .get("/api/v1/proctoring/sessions", &hr)
        .await
        .json()
        .await
        .unwrap();
    assert!(hr_list["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == their_session));

    let their_room = format!("/api/v1/proctoring/sessions/{their_session}/room");
    assert_error(app.get(&their_room, &mine).await, 404, "not_found").await;
    assert_error(
        app.get(
            &format!("/api/v1/proctoring/sessions/{their_session}/live"),
            &mine,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        act(
            &app,
            &mine,
            their_session,
            json!({"action": "pause", "reason": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.get(&their_room, &hr).await.status(), 200);
    assert_eq!(app.get(&their_room, &other_proctor).await.status(), 200);
    // Another organisation sees nothing; an assessor may not watch rooms; candidates neither.
    let stranger = app.second_organisation().await;
    let my_room = format!("/api/v1/proctoring/sessions/{}/room", s.session);
    assert_error(app.get(&my_room, &stranger).await, 404, "not_found").await;
    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(app.get(&my_room, &assessor).await, 403, "forbidden").await;
    let token = candidate(&app, &s.code).await;
    assert_error(app.get(&my_room, &token).await, 401, "invalid_token").await;
    // The per-participant endpoints follow the same rule.
    let pid = s.participant.clone();
    let timeline = format!(
        "/api/v1/campaigns/{}/participants/{pid}/timeline",
        s.campaign
    );
    assert_eq!(app.get(&timeline, &mine).await.status(), 200);
    assert_error(app.get(&timeline, &other_proctor).await, 404, "not_found").await;
}

#[tokio::test]
async fn the_room_has_a_row_per_participant_with_state_progress_time_and_signals() {
    let app = TestApp::spawn_demo().await;
    let (s, token, section) = started(&app, &[("NUM-SERIES", 600), ("IPIP-BFM-50", 600)]).await;
    let p = proctor(&app).await;
    for i in 0..3 {
        assert_eq!(
            answer(&app, &token, one_answer(&section, i, i as i64 + 1))
                .await
                .status(),
            200
        );
    }
    let res = app
        .post_json(
            "/api/v1/candidate/events",
            &token,
            &json!({"signal": "paste"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    meritest::services::monitor::flush(&app.ctx).await.unwrap();
    let r = room(&app, &p, &s.session).await;
    assert_eq!(r["session"]["id"], s.session.as_str());
    assert_eq!(r["disconnect_after_ms"], 30_000);
    let rows = r["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row["name"], "Budi Santoso");
    assert_eq!(row["state"], "in_section");
    assert_eq!(row["section"], 0);
    assert_eq!(row["section_count"], 2);
    assert_eq!(row["answered"], 3);
    let planned = section["items"].as_array().unwrap().len();
    assert_eq!(row["total"], planned, "the open section's items");
    assert_eq!(row["integrity"], 1);
    assert_eq!(row["integrity_by_kind"], json!({"integrity.paste": 1}));
    assert_eq!(row["irregular"], false);
    assert_eq!(row["last_event"]["kind"], "integrity.paste");
    let remaining = row["remaining_ms"].as_i64().unwrap();
    assert!(remaining > 590_000 && remaining <= 600_000, "{remaining}");
    let seen = row["last_seen_ms"].as_i64().unwrap();
    assert!((Utc::now().timestamp_millis() - seen) < 10_000);
}

#[tokio::test]
async fn a_pause_stops_the_clock_refuses_answers_and_a_resume_restarts_it_exactly() {
    let app = TestApp::spawn_demo().await;
    let (s, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    let pid = s.participant.clone();
    let before = stored_deadline(&app).await;

    // No reason: refused, nothing changes.
    let err = assert_error(
        act(
            &app,
            &p,
            &s.session,
            json!({"action": "pause", "participants": [pid]}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "reason");
    assert_eq!(attempt_view(&app, &token).await["paused"], false);

    let done = act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "pause", "participants": [pid], "reason": "candidate unwell"}),
    )
    .await;
    assert_eq!(done, json!({"done": 1, "skipped": []}));
    let paused = attempt_view(&app, &token).await;
    assert_eq!(paused["paused"], true);
    let frozen = paused["remaining_ms"].as_i64().unwrap();
    app.advance(Duration::from_millis(1200));
    assert_eq!(
        attempt_view(&app, &token).await["remaining_ms"]
            .as_i64()
            .unwrap(),
        frozen,
        "the clock stands still while paused"
    );
    assert_error(
        answer(&app, &token, one_answer(&section, 0, 1)).await,
        409,
        "attempt_paused",
    )
    .await;
    assert_eq!(stored_answers(&app).await, 0);
    assert_error(
        app.post("/api/v1/candidate/finish", &token).await,
        409,
        "attempt_paused",
    )
    .await;
    // A second pause converges: the attempt is paused, nothing more is recorded.
    let again = act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "pause", "reason": "whole room"}),
    )
    .await;
    assert_eq!(again, json!({"done": 1, "skipped": []}));

    act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "resume", "participants": [pid], "reason": "feels better"}),
    )
    .await;
    let after = stored_deadline(&app).await;
    let audit = app.audit_of("demo").await;
    let pause = audit.iter().find(|e| e.action == "attempt.pause").unwrap();
    let resume = audit.iter().find(|e| e.action == "attempt.resume").unwrap();
    assert_eq!(pause.reason.as_deref(), Some("candidate unwell"));
    assert_eq!(resume.reason.as_deref(), Some("feels better"));
    let paused_ms = resume.after.as_ref().unwrap()["paused_ms"]
        .as_i64()
        .unwrap();
    assert!(paused_ms >= 1200, "{paused_ms}");
    assert_eq!(
        (after - before).num_milliseconds(),
        paused_ms,
        "the deadline moves by exactly the time the clock stood still"
    );
    let resumed = attempt_view(&app, &token).await;
    assert_eq!(resumed["paused"], false);
    let left = resumed["remaining_ms"].as_i64().unwrap();
    assert!(left <= frozen && left > frozen - 2000, "{left} vs {frozen}");
    assert_eq!(
        answer(&app, &token, one_answer(&section, 0, 1))
            .await
            .status(),
        200
    );
    let timeline = timeline_of(&app, &p, &s.campaign, &pid).await;
    let kinds: Vec<&str> = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.ends_with(&["pause", "resume"]), "{kinds:?}");
}

#[tokio::test]
async fn a_paused_section_is_not_closed_when_its_deadline_passes() {
    let app = TestApp::spawn_demo().await;
    let (s, token, _) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "pause", "reason": "fire drill"}),
    )
    .await;
    // The section's ten minutes pass, and more, while paused.
    app.advance(Duration::from_secs(700));
    meritest::services::attempt::expiry::sweep(&app.ctx)
        .await
        .unwrap();
    let view = attempt_view(&app, &token).await;
    assert_eq!(
        view["sections"][0]["status"], "open",
        "neither the sweep nor a read closed it"
    );
    assert_eq!(view["status"], "in_progress");
    // Once resumed, the clock runs again from where it stopped: the section closes when the rest
    // of its time has run out, not before.
    act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "resume", "reason": "drill over"}),
    )
    .await;
    let view = attempt_view(&app, &token).await;
    assert_eq!(view["sections"][0]["status"], "open");
    let left = view["remaining_ms"].as_i64().unwrap();
    assert!(left > 590_000 && left <= 600_000, "{left}");
    app.advance(Duration::from_millis(left as u64 + 6_000));
    let view = attempt_view(&app, &token).await;
    assert_eq!(view["sections"][0]["status"], "closed");
}

#[tokio::test]
async fn an_extension_shows_in_the_candidates_remaining_time_even_while_paused() {
    let app = TestApp::spawn_demo().await;
    let (s, token, _) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "pause", "reason": "noise"}),
    )
    .await;
    let frozen = attempt_view(&app, &token).await["remaining_ms"]
        .as_i64()
        .unwrap();
    for bad in [
        json!({"action": "extend", "reason": "x"}),
        json!({"action": "extend", "reason": "x", "seconds": 0}),
    ] {
        let err = assert_error(act(&app, &p, &s.session, bad).await, 422, "invalid_input").await;
        assert_eq!(err["errors"][0]["field"], "seconds");
    }
    act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "extend", "seconds": 300, "reason": "lost time to the noise"}),
    )
    .await;
    assert_eq!(
        attempt_view(&app, &token).await["remaining_ms"]
            .as_i64()
            .unwrap(),
        frozen + 300_000
    );
}

#[tokio::test]
async fn a_terminated_attempt_refuses_answers_and_is_scored_on_what_was_given() {
    let app = TestApp::spawn_demo().await;
    let (s, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    assert_eq!(
        answer(&app, &token, one_answer(&section, 0, 1))
            .await
            .status(),
        200
    );
    act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "terminate", "reason": "notes found on the desk"}),
    )
    .await;
    assert_error(
        answer(&app, &token, one_answer(&section, 1, 2)).await,
        409,
        "attempt_terminated",
    )
    .await;
    assert_eq!(stored_answers(&app).await, 1);
    let view = attempt_view(&app, &token).await;
    assert_eq!(view["status"], "terminated");
    assert_eq!(view["sections"][0]["closed_reason"], "terminated");
    let audit = app.audit_of("demo").await;
    let t = audit
        .iter()
        .find(|e| e.action == "attempt.terminate")
        .unwrap();
    assert_eq!(t.reason.as_deref(), Some("notes found on the desk"));
    let results: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    let scored = results.to_string();
    assert!(scored.contains("terminated"), "{scored}");
    let again = act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "terminate", "reason": "twice"}),
    )
    .await;
    assert_eq!(
        again,
        json!({"done": 1, "skipped": []}),
        "a second termination converges"
    );
}

#[tokio::test]
async fn a_message_stays_on_the_candidates_screen_until_dismissed() {
    let app = TestApp::spawn_demo().await;
    let (s, token, _) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    let audit_before = app.audit_of("demo").await.len();
    let err = assert_error(
        act(
            &app,
            &p,
            &s.session,
            json!({"action": "message", "reason": "info"}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "text");
    assert_eq!(
        app.audit_of("demo").await.len(),
        audit_before,
        "nothing changed"
    );
    act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "message", "text": "Sepuluh menit lagi.", "reason": "time call"}),
    )
    .await;
    let view = attempt_view(&app, &token).await;
    assert_eq!(view["messages"].as_array().unwrap().len(), 1);
    assert_eq!(view["messages"][0]["text"], "Sepuluh menit lagi.");
    let id = view["messages"][0]["id"].as_str().unwrap().to_owned();
    assert_error(
        app.post(
            &format!(
                "/api/v1/candidate/messages/{}/dismiss",
                uuid::Uuid::new_v4()
            ),
            &token,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let res = app
        .post(&format!("/api/v1/candidate/messages/{id}/dismiss"), &token)
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(attempt_view(&app, &token).await["messages"], json!([]));
}

#[tokio::test]
async fn an_irregularity_is_marked_on_the_row_and_in_the_audit_log() {
    let app = TestApp::spawn_demo().await;
    let (s, _, _) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    let pid = s.participant.clone();
    act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "irregularity", "participants": [pid], "reason": "talking to a neighbour"}),
    )
    .await;
    let r = room(&app, &p, &s.session).await;
    assert_eq!(r["rows"][0]["irregular"], true);
    assert_eq!(r["rows"][0]["last_event"]["kind"], "irregularity");
    let audit = app.audit_of("demo").await;
    let e = audit
        .iter()
        .find(|e| e.action == "attempt.irregularity")
        .unwrap();
    assert_eq!(e.reason.as_deref(), Some("talking to a neighbour"));
    // Someone outside the session cannot be named.
    let err = assert_error(
        act(
            &app,
            &p,
            &s.session,
            json!({"action": "irregularity", "participants": [uuid::Uuid::new_v4()], "reason": "x"}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "participants");
}

#[tokio::test]
async fn an_automatic_pause_follows_the_campaigns_integrity_limit() {
    let app = TestApp::spawn_demo().await;
    let (hr, campaign, _) = demo_campaign(&app, json!({"auto_pause_after": 2})).await;
    let (token, _) = enrol_one(&app, &hr, &campaign, "Pagi").await;
    start(&app, &token, 0).await;
    let copy = json!({"signal": "copy"});
    let hidden = json!({"signal": "page_hidden"});
    let res = app
        .post_json("/api/v1/candidate/events", &token, &copy)
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(attempt_view(&app, &token).await["paused"], false);
    let res = app
        .post_json("/api/v1/candidate/events", &token, &hidden)
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(attempt_view(&app, &token).await["paused"], true);
    let audit = app.audit_of("demo").await;
    let e = audit.iter().find(|e| e.action == "attempt.pause").unwrap();
    assert_eq!(e.actor_account_id, None, "the system paused it");
    assert!(e
        .reason
        .as_deref()
        .unwrap()
        .starts_with("automatic: 2 integrity events"));
}

/// Enrols one participant in `session` of a campaign, issues the code, signs in and consents:
/// (candidate token, participant id).
async fn enrol_one(app: &TestApp, hr: &str, campaign: &str, session: &str) -> (String, String) {
    enrol(app, hr, campaign, session, 1).await.remove(0)
}

/// Enrols `n` participants in `session`, signs each in and consents.
async fn enrol(
    app: &TestApp,
    hr: &str,
    campaign: &str,
    session: &str,
    n: usize,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in enrolled(app, hr, campaign, session, n).await {
        out.push((candidate_with(app, &e.code, &e.nip).await, e.pid));
    }
    out
}

/// A campaign of the demo battery, open now, with one session "Pagi" watched by the demo
/// proctor; `settings` adds campaign fields (lobby, auto_pause_after, …): (hr, campaign, session).
async fn demo_campaign(app: &TestApp, settings: Value) -> (String, String, String) {
    let (hr, battery) = demo_hr(app).await;
    let mut doc = json!({"name": "Sesi diawasi", "battery": battery,
        "opens_at": (Utc::now() - chrono::Duration::hours(1)).to_rfc3339(),
        "closes_at": (Utc::now() + chrono::Duration::days(1)).to_rfc3339(),
        "sessions": [{"name": "Pagi", "starts_at": Utc::now().to_rfc3339(), "capacity": 100,
            "proctor": demo_proctor_id(app).await}]});
    for (k, v) in settings.as_object().unwrap() {
        doc[k] = v.clone();
    }
    let campaign = create_campaign(app, &hr, &doc).await;
    let view: Value = app
        .get(&format!("/api/v1/campaigns/{campaign}"), &hr)
        .await
        .json()
        .await
        .unwrap();
    let session = view["sessions"][0]["id"].as_str().unwrap().to_owned();
    (hr, campaign, session)
}

/// A lobby campaign of two short sections with one session watched by the demo proctor:
/// (hr, campaign, session).
async fn lobby_campaign(app: &TestApp) -> (String, String, String) {
    let (hr, _) = demo_hr(app).await;
    let battery = json!({
        "code": format!("L-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]).to_uppercase(),
        "name": {"id": "Lobi"},
        "sections": [
            {"instrument": "NUM-SERIES", "version": 1, "title": {"id": "Deret"}, "time_limit_seconds": 900,
             "item_order": "fixed", "shuffle_options": false, "navigation": "free"},
            {"instrument": "IPIP-BFM-50", "version": 1, "title": {"id": "Kepribadian"}, "time_limit_seconds": 900,
             "item_order": "fixed", "shuffle_options": false, "navigation": "free"}]
    });
    let res = app.post_json("/api/v1/batteries", &hr, &battery).await;
    assert_eq!(res.status(), 201);
    let battery_id = res.json::<Value>().await.unwrap()["id"].clone();
    let campaign = create_campaign(
        app,
        &hr,
        &json!({"name": "Sesi berlobi", "battery": battery_id, "lobby": true,
            "opens_at": (Utc::now() - chrono::Duration::hours(1)).to_rfc3339(),
            "closes_at": (Utc::now() + chrono::Duration::days(1)).to_rfc3339(),
            "sessions": [{"name": "Pagi", "starts_at": Utc::now().to_rfc3339(), "capacity": 3000,
                "proctor": demo_proctor_id(app).await}]}),
    )
    .await;
    let view: Value = app
        .get(&format!("/api/v1/campaigns/{campaign}"), &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["lobby"], true);
    let session = view["sessions"][0]["id"].as_str().unwrap().to_owned();
    (hr, campaign, session)
}

#[tokio::test]
async fn the_lobby_holds_candidates_until_admitted_and_the_start_gives_everyone_one_deadline() {
    let app = TestApp::spawn_demo().await;
    let (hr, campaign, session) = lobby_campaign(&app).await;
    let p = proctor(&app).await;
    let people = enrol(&app, &hr, &campaign, "Pagi", 3).await;
    let (a, b, late) = (&people[0], &people[1], &people[2]);

    let view = attempt_view(&app, &a.0).await;
    assert_eq!(
        view["lobby"],
        json!({"admitted": false, "session_started": false})
    );
    assert_error(
        app.post("/api/v1/candidate/sections/0/start", &a.0).await,
        409,
        "not_admitted",
    )
    .await;
    let r = room(&app, &p, &session).await;
    assert!(r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .all(|row| row["state"] == "lobby" && row["admitted"] == false));

    let admitted = act_ok(
        &app,
        &p,
        &session,
        json!({"action": "admit", "participants": [a.1, b.1], "reason": "identity cards checked"}),
    )
    .await;
    assert_eq!(admitted["done"], 2);
    assert_error(
        app.post("/api/v1/candidate/sections/0/start", &a.0).await,
        409,
        "session_not_started",
    )
    .await;
    let mut feed = Feed::open(&app, "/api/v1/candidate/stream", &b.0).await;
    let (event, first) = feed.next(Duration::from_secs(5)).await;
    assert_eq!(event, "state");
    assert_eq!(
        first["lobby"],
        json!({"admitted": true, "session_started": false})
    );

    let err = assert_error(
        app.post_json(
            &format!("/api/v1/proctoring/sessions/{session}/start"),
            &p,
            &json!({}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "reason");
    let res = app
        .post_json(
            &format!("/api/v1/proctoring/sessions/{session}/start"),
            &p,
            &json!({"reason": "everyone seated"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let started: Value = res.json().await.unwrap();
    assert_eq!(started["started"], 2);
    // The candidate's page hears of it at once.
    let pushed = feed
        .until(Duration::from_secs(2), |e, d| {
            e == "state" && d["section"] == 0
        })
        .await;
    assert_eq!(pushed["lobby"]["session_started"], true);
    let deadline = |v: &Value| v["deadline"].as_str().unwrap().to_owned();
    let sa: Value = app
        .get("/api/v1/candidate/sections/0", &a.0)
        .await
        .json()
        .await
        .unwrap();
    let sb: Value = app
        .get("/api/v1/candidate/sections/0", &b.0)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(sa["status"], "open");
    assert_eq!(deadline(&sa), deadline(&sb), "one deadline for everyone");
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(&deadline(&sa)).unwrap(),
        chrono::DateTime::parse_from_rfc3339(started["deadline"].as_str().unwrap()).unwrap()
    );
    // The late one was not admitted: still waiting; once admitted they start on their own.
    assert_eq!(
        attempt_view(&app, &late.0).await["sections"][0]["status"],
        "pending"
    );
    act_ok(
        &app,
        &p,
        &session,
        json!({"action": "admit", "participants": [late.1], "reason": "arrived late, ID checked"}),
    )
    .await;
    assert_eq!(
        app.post("/api/v1/candidate/sections/0/start", &late.0)
            .await
            .status(),
        200
    );
    assert_error(
        app.post_json(
            &format!("/api/v1/proctoring/sessions/{session}/start"),
            &p,
            &json!({"reason": "again"}),
        )
        .await,
        409,
        "invalid_state_transition",
    )
    .await;
}

#[tokio::test]
async fn a_session_without_a_lobby_cannot_be_started_by_a_proctor() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let p = proctor(&app).await;
    assert_error(
        app.post_json(
            &format!("/api/v1/proctoring/sessions/{}/start", s.session),
            &p,
            &json!({"reason": "go"}),
        )
        .await,
        409,
        "invalid_state_transition",
    )
    .await;
}

#[tokio::test]
async fn the_proctors_feed_starts_with_a_snapshot_and_then_sends_changed_rows() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let p = proctor(&app).await;
    let path = format!("/api/v1/proctoring/sessions/{}/live", s.session);
    let mut feed = Feed::open(&app, &path, &p).await;
    let (event, snapshot) = feed.next(Duration::from_secs(5)).await;
    assert_eq!(event, "snapshot");
    assert_eq!(snapshot["rows"][0]["state"], "not_arrived");

    let token = candidate(&app, &s.code).await;
    let row = feed
        .until(Duration::from_secs(2), |e, d| {
            e == "rows" && d["rows"][0]["state"] == "lobby"
        })
        .await;
    assert_eq!(
        row["rows"].as_array().unwrap().len(),
        1,
        "only the changed row"
    );
    let section = start(&app, &token, 0).await;
    feed.until(Duration::from_secs(2), |e, d| {
        e == "rows" && d["rows"][0]["state"] == "in_section"
    })
    .await;
    assert_eq!(
        answer(&app, &token, one_answer(&section, 0, 1))
            .await
            .status(),
        200
    );
    // An answer moves only its section's count: that comes alone, not the whole row.
    let progress = feed
        .until(Duration::from_secs(2), |e, _| e == "progress")
        .await;
    let counts = progress["progress"].as_array().unwrap();
    assert_eq!(counts.len(), 1, "{progress}");
    assert_eq!(counts[0]["participant"], snapshot["rows"][0]["participant"]);
    assert_eq!(counts[0]["section"], 0);
    assert_eq!(counts[0]["answered"], 1);
    assert!(counts[0]["last_seen_ms"].as_i64().unwrap() > 0);
    // The same item answered again: still one answer in the section. PostgreSQL says the row
    // was replaced, so only presence moves and the count is not read again; SQLite cannot
    // tell, and the count comes again, unchanged.
    assert_eq!(
        answer(&app, &token, one_answer(&section, 0, 2))
            .await
            .status(),
        200
    );
    let again = feed
        .until(Duration::from_secs(2), |e, _| {
            e == "progress" || e == "seen"
        })
        .await;
    match sea_orm::ConnectionTrait::get_database_backend(&app.ctx.db) {
        sea_orm::DatabaseBackend::Sqlite => assert_eq!(again["progress"][0]["answered"], 1),
        _ => {
            assert!(again.get("progress").is_none(), "{again}");
            assert_eq!(again["seen"][0][0], snapshot["rows"][0]["participant"]);
            assert!(
                again["seen"][0][1].as_i64().unwrap()
                    >= counts[0]["last_seen_ms"].as_i64().unwrap()
            );
        }
    }
    // A reconnect catches up from a snapshot.
    drop(feed);
    let mut again = Feed::open(&app, &path, &p).await;
    let (event, snapshot) = again.next(Duration::from_secs(5)).await;
    assert_eq!(event, "snapshot");
    assert_eq!(snapshot["rows"][0]["answered"], 1);
    assert_eq!(snapshot["rows"][0]["state"], "in_section");
}

#[tokio::test]
async fn an_event_on_one_node_reaches_a_proctor_and_a_candidate_page_on_another() {
    if backends().1.is_none() {
        // Two nodes share events only through Redis; the in-process store serves one node.
        assert!(std::env::var("MERITEST_TEST_REQUIRE_REAL").is_err());
        return;
    }
    let app = TestApp::spawn_demo().await;
    let other = app.second_node().await;
    let (s, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    // The proctor watches on the second node; the candidate's page listens there too.
    let (mut feed, _) = room_feed(&other, &p, &s.session).await;
    let mut page = Feed::open(&other, "/api/v1/candidate/stream", &token).await;
    assert_eq!(page.next(Duration::from_secs(5)).await.0, "state");

    // The candidate answers on the first node: the row changes on the second within 2 s.
    assert_eq!(
        answer(&app, &token, one_answer(&section, 0, 1))
            .await
            .status(),
        200
    );
    feed.until(Duration::from_secs(2), |e, d| shows_answered(e, d, 1))
        .await;
    // A pause made on the first node reaches the page on the second within 2 s.
    act_ok(
        &app,
        &p,
        &s.session,
        json!({"action": "pause", "reason": "check"}),
    )
    .await;
    let state = page
        .until(Duration::from_secs(2), |e, d| {
            e == "state" && d["paused"] == true
        })
        .await;
    assert!(state["remaining_ms"].as_i64().unwrap() > 0);
    feed.until(Duration::from_secs(2), |e, d| {
        e == "rows" && d["rows"][0]["state"] == "paused"
    })
    .await;
    other.handle.stop(true).await;
}

#[tokio::test]
async fn a_page_that_opens_its_stream_on_another_node_brings_the_proctor_the_count_a_dead_node_had_not_sent(
) {
    if backends().1.is_none() {
        // Two nodes share the feed only through Redis; the in-process store serves one node.
        assert!(std::env::var("MERITEST_TEST_REQUIRE_REAL").is_err());
        return;
    }
    use meritest::services::monitor;
    // No flush but the ones this test makes: the first node's answer is never sent by it, as
    // when a node is killed between an answer and its next flush.
    let app = TestApp::spawn_demo_with(|s| s.proctoring.flush_interval_ms = 3_600_000).await;
    let other = app.second_node().await;
    let (s, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    monitor::flush(&app.ctx).await.unwrap();
    let p = proctor(&app).await;
    let (mut feed, snapshot) = room_feed(&other, &p, &s.session).await;
    assert_eq!(snapshot["rows"][0]["answered"], 0);
    assert_eq!(
        answer(&app, &token, one_answer(&section, 0, 1))
            .await
            .status(),
        200
    );
    // The page's stream opens on the second node, which flushes.
    let mut page = Feed::open(&other, "/api/v1/candidate/stream", &token).await;
    assert_eq!(page.next(Duration::from_secs(5)).await.0, "state");
    assert_eq!(monitor::flush(&other.ctx).await.map_err(|e| e.code), Ok(1));
    let progress = feed
        .until(Duration::from_secs(2), |e, _| e == "progress")
        .await;
    assert_eq!(
        progress["progress"][0]["participant"],
        snapshot["rows"][0]["participant"]
    );
    assert_eq!(progress["progress"][0]["section"], 0);
    assert_eq!(progress["progress"][0]["answered"], 1);
    other.handle.stop(true).await;
}

#[tokio::test]
async fn the_proctors_feed_is_flushed_while_every_pooled_connection_is_held_by_requests() {
    // After a node dies, thousands of pages reopen their streams on the survivor and their reads
    // fill its pool; a flush that queued behind them left every watched room seconds behind.
    use meritest::services::monitor;
    let app = TestApp::spawn_demo_with(|s| {
        s.proctoring.flush_interval_ms = 3_600_000;
        s.database.acquire_timeout_seconds = 1;
    })
    .await;
    let (_, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    monitor::flush(&app.ctx).await.unwrap();
    assert_eq!(
        answer(&app, &token, one_answer(&section, 0, 1))
            .await
            .status(),
        200
    );
    let held = app.hold_every_pooled_connection().await;
    let flushed = monitor::flush(&app.ctx).await;
    drop(held);
    assert_eq!(flushed.map_err(|e| e.code), Ok(1));
}

#[tokio::test]
async fn a_candidate_page_stream_is_refused_to_a_replaced_device() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let first = candidate(&app, &s.code).await;
    let _second = candidate(&app, &s.code).await;
    assert_error(
        app.get("/api/v1/candidate/stream", &first).await,
        409,
        "device_replaced",
    )
    .await;
    let pid = s.participant.clone();
    let timeline = timeline_of(&app, &s.hr, &s.campaign, &pid).await;
    assert!(timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "integrity.device_takeover"));
}

#[tokio::test]
async fn a_page_back_after_a_long_silence_is_recorded_as_a_disconnection() {
    let app = TestApp::spawn_demo().await;
    let (s, token, _) = started(&app, &[("NUM-SERIES", 600)]).await;
    let pid = s.participant.clone();
    let attempt = attempt_view(&app, &token).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Last seen two minutes ago (beyond the 30 s threshold).
    let long_ago = Utc::now().timestamp_millis() - 120_000;
    app.ctx
        .live
        .put_presence(&[(attempt, long_ago)], Duration::from_secs(60))
        .await
        .unwrap();
    let mut page = Feed::open(&app, "/api/v1/candidate/stream", &token).await;
    assert_eq!(page.next(Duration::from_secs(5)).await.0, "state");
    let timeline = timeline_of(&app, &s.hr, &s.campaign, &pid).await;
    let gone = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "integrity.disconnected")
        .expect("the disconnection is on the timeline");
    let seconds = gone["detail"]["seconds"].as_i64().unwrap();
    assert!((120..130).contains(&seconds), "{seconds}");
    // A page that reconnects at once is not a disconnection.
    drop(page);
    let _again = Feed::open(&app, "/api/v1/candidate/stream", &token).await;
    let timeline = timeline_of(&app, &s.hr, &s.campaign, &pid).await;
    let n = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "integrity.disconnected")
        .count();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn an_unknown_action_is_refused_and_changes_nothing() {
    let app = TestApp::spawn_demo().await;
    let (s, token, _) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    let before = app.audit_of("demo").await.len();
    for bad in [
        json!({"action": "explode", "reason": "x"}),
        json!({"action": "pause", "reason": "x", "participants": "everyone"}),
        json!({"action": "pause", "reason": "x", "colour": "red"}),
    ] {
        let res = act(&app, &p, &s.session, bad).await;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["code"], "invalid_input");
    }
    let err = assert_error(
        act(
            &app,
            &p,
            &s.session,
            json!({"action": "pause", "reason": "x", "participants": []}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "participants");
    let long = "x".repeat(501);
    let err = assert_error(
        act(
            &app,
            &p,
            &s.session,
            json!({"action": "pause", "reason": long}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "reason");
    assert_eq!(app.audit_of("demo").await.len(), before);
    assert_eq!(attempt_view(&app, &token).await["paused"], false);
}

#[tokio::test]
async fn a_stopping_node_ends_its_event_streams_so_clients_reconnect_elsewhere() {
    let app = TestApp::spawn_demo().await;
    let (s, token, _) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    let (mut feed, _) = room_feed(&app, &p, &s.session).await;
    let mut page = Feed::open(&app, "/api/v1/candidate/stream", &token).await;
    assert_eq!(page.next(Duration::from_secs(5)).await.0, "state");
    assert!(
        !feed.ends_within(Duration::from_millis(300)).await,
        "an idle stream stays open"
    );
    app.ctx.shutdown.end_streams(Duration::ZERO);
    assert!(feed.ends_within(Duration::from_secs(5)).await);
    assert!(page.ends_within(Duration::from_secs(5)).await);
}

#[tokio::test]
async fn a_stopping_node_leaves_the_balancer_first_serves_through_its_drain_then_ends_its_streams()
{
    let a = TestApp::spawn_demo().await;
    let (_, token, section) = started(&a, &[("NUM-SERIES", 600)]).await;
    let mut page = Feed::open(&a, "/api/v1/candidate/stream", &token).await;
    assert_eq!(page.next(Duration::from_secs(5)).await.0, "state");
    let ready = a.client.get(a.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);

    let (ctx, handle) = (a.ctx.clone(), a.handle.clone());
    let stopping = tokio::spawn(async move {
        meritest::startup::stop_node(
            &ctx,
            &handle,
            Duration::from_millis(1500),
            std::future::pending(),
        )
        .await
    });
    // At once the node tells the balancer it is stopping...
    let ready = a.client.get(a.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 503);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["ready"], false);
    assert_eq!(body["stopping"], true);
    assert_eq!(body["database"], "ok");
    // ...and still serves what reaches it: an answer is acknowledged, the page stays open.
    assert_eq!(
        answer(&a, &token, one_answer(&section, 0, 1))
            .await
            .status(),
        200
    );
    assert!(
        !page.ends_within(Duration::from_millis(300)).await,
        "the page's stream stays open through the drain"
    );
    // After the drain the streams end and the node stops once its requests are done.
    assert!(page.ends_within(Duration::from_secs(5)).await);
    tokio::time::timeout(Duration::from_secs(10), stopping)
        .await
        .expect("the node stops once its requests are done")
        .unwrap();
    // A fresh client (no connection kept from before): the node no longer answers.
    let fresh = reqwest::Client::new();
    let mut refused = false;
    for _ in 0..50 {
        if fresh.get(a.url("/health")).send().await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(refused, "a stopped node takes no connection");
    assert_eq!(stored_answers(&a).await, 1);
}

#[tokio::test]
async fn a_stopping_node_sends_its_last_proctor_feed_to_a_proctor_watching_on_another_node() {
    // Only a shared live store (Redis) carries one node's feed to another.
    if backends().1.is_none() {
        return;
    }
    // The stopping node only sends its feed when told (a minute apart), so the proctor sees the
    // last answer only if the stop sends it.
    let a = TestApp::spawn_demo_with(|s| s.proctoring.flush_interval_ms = 60_000).await;
    let (s, token, section) = started(&a, &[("NUM-SERIES", 600)]).await;
    let b = a.second_node().await;
    let p = proctor(&a).await;
    let path = format!("/api/v1/proctoring/sessions/{}/live", s.session);
    let mut room = Feed::open(&b, &path, &p).await;
    assert_eq!(room.next(Duration::from_secs(5)).await.0, "snapshot");
    // Answers on node a (its requests run on its own workers, whose connections go at the stop).
    for i in 0..3 {
        let res = answer(&a, &token, one_answer(&section, i, 1)).await;
        assert_eq!(res.status(), 200);
    }
    meritest::startup::stop_node(
        &a.ctx,
        &a.handle,
        Duration::from_millis(200),
        std::future::pending(),
    )
    .await;
    room.until(Duration::from_secs(3), |e, d| shows_answered(e, d, 3))
        .await;
    b.ctx.shutdown.end_streams(Duration::ZERO);
    b.handle.stop(true).await;
}

#[tokio::test]
async fn every_integrity_signal_is_counted_by_kind_on_the_proctors_row() {
    let app = TestApp::spawn_demo().await;
    let (s, token, _) = started(&app, &[("NUM-SERIES", 600)]).await;
    let p = proctor(&app).await;
    let signals = [
        "page_hidden",
        "window_blur",
        "fullscreen_exit",
        "copy",
        "paste",
        "context_menu",
    ];
    for signal in signals {
        let res = app
            .post_json(
                "/api/v1/candidate/events",
                &token,
                &json!({"signal": signal}),
            )
            .await;
        assert_eq!(res.status(), 204, "{signal}");
    }
    // Another device (or tab) takes the attempt over.
    let res = login(&app, json!({"code": s.code, "nip": NIP})).await;
    assert_eq!(res.status(), 200);
    meritest::services::monitor::flush(&app.ctx).await.unwrap();
    let row = room(&app, &p, &s.session).await["rows"][0].clone();
    assert_eq!(row["integrity"], 7);
    assert_eq!(
        row["integrity_by_kind"],
        json!({
            "integrity.page_hidden": 1,
            "integrity.window_blur": 1,
            "integrity.fullscreen_exit": 1,
            "integrity.copy": 1,
            "integrity.paste": 1,
            "integrity.context_menu": 1,
            "integrity.device_takeover": 1,
        })
    );
    assert_eq!(row["last_event"]["kind"], "integrity.device_takeover");
    let pid = s.participant.clone();
    assert_eq!(
        timeline_of(&app, &p, &s.campaign, &pid).await["integrity_signals"],
        7
    );
}

#[tokio::test]
async fn a_room_unlock_lets_a_locked_candidate_continue_on_another_device_and_is_audited() {
    let app = TestApp::spawn_demo().await;
    let (hr, campaign, session) =
        demo_campaign(&app, json!({"resume_requires_unlock": true})).await;
    let e = enrolled(&app, &hr, &campaign, "Pagi", 1).await.remove(0);
    let first = candidate_with(&app, &e.code, &e.nip).await;
    let section = start(&app, &first, 0).await;
    let again = json!({"code": e.code, "nip": e.nip});
    assert_error(login(&app, again.clone()).await, 409, "resume_locked").await;

    let p = proctor(&app).await;
    let err = assert_error(
        act(
            &app,
            &p,
            &session,
            json!({"action": "unlock", "participants": [e.pid]}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "reason");
    assert_error(login(&app, again.clone()).await, 409, "resume_locked").await;

    let done = act_ok(
        &app,
        &p,
        &session,
        json!({"action": "unlock", "participants": [e.pid], "reason": "laptop battery died"}),
    )
    .await;
    assert_eq!(done, json!({"done": 1, "skipped": []}));
    let res = login(&app, again).await;
    assert_eq!(
        res.status(),
        200,
        "the other device signs in after the unlock"
    );
    let second = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_error(
        answer(&app, &first, one_answer(&section, 0, 1)).await,
        409,
        "device_replaced",
    )
    .await;
    assert_eq!(
        answer(&app, &second, one_answer(&section, 0, 1))
            .await
            .status(),
        200,
        "the same section goes on on the new device"
    );

    let audit = app.audit_of("demo").await;
    let unlock = audit.iter().find(|a| a.action == "attempt.unlock").unwrap();
    assert_eq!(unlock.reason.as_deref(), Some("laptop battery died"));
    assert_eq!(unlock.before, Some(json!({"device_held": true})));
    assert_eq!(unlock.after, Some(json!({"device_held": false})));
    let me: Value = app.get("/api/v1/auth/me", &p).await.json().await.unwrap();
    let timeline = timeline_of(&app, &hr, &campaign, &e.pid).await;
    let event = timeline["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "unlock")
        .expect("the unlock is on the timeline");
    assert_eq!(event["actor"], me["id"]);
}

#[tokio::test]
async fn the_whole_room_is_paused_and_resumed_at_once_and_absent_candidates_are_skipped() {
    let app = TestApp::spawn_demo().await;
    let (hr, campaign, session) = demo_campaign(&app, json!({})).await;
    let people = enrolled(&app, &hr, &campaign, "Pagi", 3).await;
    let mut present = Vec::new();
    for e in &people[..2] {
        let token = candidate_with(&app, &e.code, &e.nip).await;
        let section = start(&app, &token, 0).await;
        present.push((token, section));
    }
    let absent = people[2].pid.as_str();
    let p = proctor(&app).await;

    let paused = act_ok(
        &app,
        &p,
        &session,
        json!({"action": "pause", "reason": "power cut in the lab"}),
    )
    .await;
    assert_eq!(paused["done"], 2);
    assert_eq!(paused["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(paused["skipped"][0]["participant"], absent);
    assert_eq!(paused["skipped"][0]["code"], "invalid_state_transition");
    let mut frozen = Vec::new();
    for (token, section) in &present {
        let view = attempt_view(&app, token).await;
        assert_eq!(view["paused"], true);
        frozen.push(view["remaining_ms"].as_i64().unwrap());
        assert_error(
            answer(&app, token, one_answer(section, 0, 1)).await,
            409,
            "attempt_paused",
        )
        .await;
    }
    app.advance(Duration::from_millis(800));

    let resumed = act_ok(
        &app,
        &p,
        &session,
        json!({"action": "resume", "reason": "power is back"}),
    )
    .await;
    assert_eq!(resumed["done"], 2);
    assert_eq!(resumed["skipped"][0]["participant"], absent);
    for ((token, section), was) in present.iter().zip(frozen) {
        let view = attempt_view(&app, token).await;
        assert_eq!(view["paused"], false);
        let left = view["remaining_ms"].as_i64().unwrap();
        assert!(left <= was && left > was - 2000, "{left} vs {was}");
        assert_eq!(
            answer(&app, token, one_answer(section, 0, 1))
                .await
                .status(),
            200
        );
    }
    let audit = app.audit_of("demo").await;
    let reasons = |action: &str| -> Vec<Option<String>> {
        audit
            .iter()
            .filter(|a| a.action == action)
            .map(|a| a.reason.clone())
            .collect()
    };
    assert_eq!(
        reasons("attempt.pause"),
        vec![Some("power cut in the lab".to_owned()); 2]
    );
    assert_eq!(
        reasons("attempt.resume"),
        vec![Some("power is back".to_owned()); 2]
    );
}
