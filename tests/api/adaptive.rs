//! Adaptive sections as candidates take them (issue 14, item 3): one item at a time over the
//! demo's calibrated pool, each selection stored with its answer, resumed at exactly the same
//! item after a node restart, scored as θ with its SE and converted through a θ-scale norm table;
//! and the battery refusing an adaptive section its pool cannot serve.
use std::time::Duration;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{json, Value};

use crate::helpers::*;

/// The adaptive section of the demo's NUM-ADAPTIF, with these settings.
fn adaptive_section(settings: Value) -> Value {
    json!({"instrument": "NUM-ADAPTIF", "version": 1, "title": {"id": "Numerik adaptif"},
           "time_limit_seconds": 900, "item_order": "fixed", "shuffle_options": true,
           "navigation": "forward_only", "adaptive": settings})
}

/// Signed in (consent given) to a campaign of one adaptive section, started:
/// (setup, token, section view, the instrument's document with its keys).
async fn adaptive_start(app: &TestApp, settings: Value) -> (Setup, String, Value, Value) {
    let s = setup_sections(app, vec![adaptive_section(settings)], true).await;
    let token = candidate(app, &s.code).await;
    let section = start(app, &token, 0).await;
    let doc = document(app, &s.hr, "NUM-ADAPTIF").await;
    (s, token, section, doc)
}

/// The current item of an adaptive section view.
fn current(section: &Value) -> &Value {
    let id = &section["adaptive"]["current_item"];
    section["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == *id)
        .unwrap_or_else(|| panic!("the current item is among the items: {section}"))
}

/// The opaque id of the right (or a wrong) option of a view item.
fn choice(view: &Value, doc: &Value, right: bool) -> String {
    let item = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["stem"]["id"] == view["stem"]["id"] && i["practice"] != true)
        .unwrap();
    let key = item["key"].as_str().unwrap();
    let original = if right {
        key.to_owned()
    } else {
        item["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap())
            .find(|id| *id != key)
            .unwrap()
            .to_owned()
    };
    option_like(view, item, &original)
}

async fn section(app: &TestApp, token: &str) -> Value {
    let res = app.get("/api/v1/candidate/sections/0", token).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Answers the current item (right or wrong) with `seq`; the reply.
async fn answer_current(
    app: &TestApp,
    token: &str,
    view: &Value,
    doc: &Value,
    right: bool,
    seq: i64,
) -> Value {
    let item = current(view);
    let body = json!({"section": 0, "item": item["id"],
                      "response": {"choice": choice(item, doc, right)}, "seq": seq});
    json_with(answer(app, token, body).await, 200).await
}

/// The stored responses of the only attempt, in step order: (item, selection).
async fn selections(app: &TestApp) -> Vec<(String, Value)> {
    let mut rows: Vec<(String, Value)> = meritest::store::entities::response::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| {
            (
                r.item_code,
                r.selection.expect("every answer has its selection"),
            )
        })
        .collect();
    rows.sort_by_key(|(_, s)| s["step"].as_u64());
    rows
}

#[tokio::test]
async fn a_candidate_meets_one_item_at_a_time_until_the_rule_stops_and_gets_theta_normed() {
    let app = TestApp::spawn_demo().await;
    let settings = json!({"min_items": 6, "max_items": 12, "se_target": 0.45,
                          "exposure": {"kind": "randomesque", "k": 2}});
    let (s, token, mut view, doc) = adaptive_start(&app, settings).await;
    assert_eq!(view["navigation"], "forward_only");
    assert_eq!(
        view["items"].as_array().unwrap().len(),
        1,
        "one item at first"
    );
    assert_eq!(view["adaptive"]["answered"], 0);
    assert_eq!(view["adaptive"]["max_items"], 12);
    // Nothing of the estimate reaches the candidate, nor any parameter.
    let text = view.to_string();
    for secret in ["theta", "\"se\"", "\"key\"", "\"b\""] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    let attempt: Value = json_with(app.get("/api/v1/candidate/attempt", &token).await, 200).await;
    assert_eq!(attempt["sections"][0]["adaptive"], true);
    assert_eq!(attempt["sections"][0]["item_count"], 12);

    // Right, right, wrong, … : each acknowledged answer names the next item, which the section
    // then shows last; the candidate cannot submit the section while it still gives items.
    let mut seq = 0;
    let mut given = Vec::new();
    let reply = loop {
        seq += 1;
        let item = current(&view).clone();
        let reply = answer_current(&app, &token, &view, &doc, seq % 3 != 0, seq).await;
        assert_eq!(reply["saved"], true);
        assert_eq!(reply["adaptive"]["answered"], seq);
        given.push(item["id"].clone());
        if reply["adaptive"]["done"] == true {
            break reply;
        }
        if seq == 2 {
            assert_error(
                app.post("/api/v1/candidate/sections/0/submit", &token)
                    .await,
                409,
                "adaptive_section_running",
            )
            .await;
        }
        view = section(&app, &token).await;
        assert_eq!(
            view["adaptive"]["current_item"],
            reply["adaptive"]["next_item"]
        );
        let shown: Vec<Value> = view["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].clone())
            .collect();
        assert_eq!(
            shown[..given.len()],
            given[..],
            "the answered items, in order, then the current one"
        );
        assert_eq!(shown.len(), given.len() + 1);
    };
    let n = seq as usize;
    assert!(
        (6..=12).contains(&n),
        "between the minimum and the maximum: {n}"
    );
    assert_eq!(reply["adaptive"]["next_item"], Value::Null);

    // The section closed as completed, and with it the attempt (its only section), scored.
    let attempt: Value = json_with(app.get("/api/v1/candidate/attempt", &token).await, 200).await;
    assert_eq!(attempt["status"], "finished");
    assert_eq!(attempt["sections"][0]["closed_reason"], "completed");
    let stored = selections(&app).await;
    assert_eq!(stored.len(), n);
    for (k, (_, sel)) in stored.iter().enumerate() {
        assert_eq!(sel["step"], k + 1);
        assert_eq!(sel["rule"], "meritest.cat.v1");
        assert_eq!(sel["correct"], (k + 1) % 3 != 0);
        match stored.get(k + 1) {
            Some((next, _)) => assert_eq!(sel["next"], next.as_str()),
            None => assert!(
                sel["stop"] == "se_reached" || sel["stop"] == "max_items",
                "{sel}"
            ),
        }
    }
    let score = meritest::store::entities::score::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let last = &stored[n - 1].1;
    assert_eq!(score.scale_code, "NUMA");
    assert_eq!((score.answered, score.administered), (n as i32, n as i32));
    let d = &score.detail;
    assert_eq!(d["metric"], "theta");
    assert_eq!(d["rule_version"], "meritest.cat.v1");
    assert_eq!(d["parameters_version"], 1);
    assert_eq!(d["stop_reason"], last["stop"]);
    // (PostgreSQL keeps JSON numbers as decimals: the last bit may differ from the float column.)
    assert!((score.raw.unwrap() - d["theta"].as_f64().unwrap()).abs() < 1e-12);
    assert!((d["theta"].as_f64().unwrap() - last["theta"].as_f64().unwrap()).abs() < 1e-9);
    assert!((d["se"].as_f64().unwrap() - last["se"].as_f64().unwrap()).abs() < 1e-9);
    let items: Vec<&str> = stored.iter().map(|(i, _)| i.as_str()).collect();
    assert_eq!(d["items"], json!(items));
    // Converted through the illustrative θ table (the standard normal): T = 50 + 10·θ within
    // the table's 0.25 steps.
    let theta = d["theta"].as_f64().unwrap();
    let t = d["normed"]["t"].as_f64().unwrap();
    assert_eq!(d["normed"]["norm_group"], "umum");
    assert!(
        t <= 50.0 + 10.0 * theta + 1e-6 && t > 50.0 + 10.0 * (theta - 0.25) - 1e-6,
        "{d}"
    );
    assert!(score.norm_table_id.is_some());
    // HR's results say the score is θ, with its standard error.
    let results = json_with(
        app.get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
            .await,
        200,
    )
    .await;
    let shown_to_hr = &results["participants"][0]["scores"][0];
    assert_eq!(shown_to_hr["metric"], "theta");
    assert!((shown_to_hr["se"].as_f64().unwrap() - d["se"].as_f64().unwrap()).abs() < 1e-12);
    let shown: Value = json_with(app.get("/api/v1/candidate/attempt", &token).await, 200).await;
    assert_eq!(shown["scores"][0]["scale"], "NUMA");
    assert!((shown["scores"][0]["t"].as_f64().unwrap() - t).abs() < 1e-9);
}

#[tokio::test]
async fn a_resent_answer_is_acknowledged_again_and_a_changed_one_is_superseded_by_what_is_stored() {
    let app = TestApp::spawn_demo().await;
    let (_, token, view, doc) = adaptive_start(&app, json!({})).await;
    let item = current(&view).clone();
    let first = json!({"section": 0, "item": item["id"],
                       "response": {"choice": choice(&item, &doc, true)}, "seq": 1});
    let reply = json_with(answer(&app, &token, first.clone()).await, 200).await;
    let next = reply["adaptive"]["next_item"].clone();
    // The same answer again (a retry after a lost reply): the same acknowledgement and next item.
    let again = json_with(answer(&app, &token, first).await, 200).await;
    assert_eq!(
        (again["saved"].clone(), again["outcome"].clone()),
        (json!(true), json!("saved"))
    );
    assert_eq!(again["adaptive"]["next_item"], next);
    // Another answer to the item already answered, even with a higher sequence: what is stored
    // stays, and the page is told it.
    let changed = json!({"section": 0, "item": item["id"],
                         "response": {"choice": choice(&item, &doc, false)}, "seq": 5});
    let reply = json_with(answer(&app, &token, changed).await, 200).await;
    assert_eq!(reply["outcome"], "superseded");
    assert_eq!(reply["stored"]["seq"], 1);
    assert_eq!(
        reply["stored"]["response"]["choice"],
        choice(&item, &doc, true)
    );
    assert_eq!(reply["adaptive"]["next_item"], next);
    let stored = selections(&app).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].1["correct"], true);
    // The practice item's id is not an item of the pool to answer now.
    let view = section(&app, &token).await;
    let practice = &view["practice"][0];
    assert_error(
        answer(
            &app,
            &token,
            json!({"section": 0, "item": practice["id"],
            "response": {"choice": practice["options"][0]["id"]}, "seq": 6}),
        )
        .await,
        422,
        "invalid_response",
    )
    .await;
    assert_eq!(selections(&app).await.len(), 1, "nothing more stored");
}

#[tokio::test]
async fn an_adaptive_attempt_interrupted_by_a_node_restart_resumes_at_exactly_the_same_item() {
    let app = TestApp::spawn_demo().await;
    let settings = json!({"min_items": 10, "max_items": 10, "se_target": null,
                          "exposure": {"kind": "randomesque", "k": 5}});
    let (_, token, mut view, doc) = adaptive_start(&app, settings).await;
    for seq in 1..=4 {
        answer_current(&app, &token, &view, &doc, seq % 2 == 1, seq).await;
        view = section(&app, &token).await;
    }
    let before = view.clone();
    // The node dies and another starts on the same database, with an empty live store.
    let app = app.restart_with_empty_live_store().await;
    let after = section(&app, &token).await;
    assert_eq!(after["adaptive"], before["adaptive"]);
    assert_eq!(after["items"], before["items"]);
    assert_eq!(after["adaptive"]["answered"], 4);
    // And the test goes on from there to its fixed length.
    let mut view = after;
    for seq in 5..=10 {
        let reply = answer_current(&app, &token, &view, &doc, seq % 2 == 1, seq).await;
        assert_eq!(reply["adaptive"]["done"], seq == 10);
        if seq < 10 {
            view = section(&app, &token).await;
        }
    }
    let stored = selections(&app).await;
    assert_eq!(stored.len(), 10);
    assert_eq!(stored[9].1["stop"], "max_items");
    let mut items: Vec<&str> = stored.iter().map(|(i, _)| i.as_str()).collect();
    items.sort_unstable();
    items.dedup();
    assert_eq!(items.len(), 10, "no item given twice");
}

#[tokio::test]
async fn an_answer_in_an_adaptive_section_reaches_the_proctors_feed_as_the_whole_row_with_its_standard_error(
) {
    let app = TestApp::spawn_demo().await;
    let (s, token, view, doc) = adaptive_start(&app, json!({"max_items": 15})).await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let path = format!("/api/v1/proctoring/sessions/{}/live", s.session);
    let mut feed = crate::proctoring::Feed::open(&app, &path, &proctor).await;
    assert_eq!(feed.next(Duration::from_secs(5)).await.0, "snapshot");
    answer_current(&app, &token, &view, &doc, true, 1).await;
    // Not a `progress` count alone: the standard error moved with it.
    let rows = feed
        .until(Duration::from_secs(2), |e, d| {
            e == "rows" && d["rows"][0]["answered"] == 1
        })
        .await;
    let last = &selections(&app).await[0].1;
    assert!((rows["rows"][0]["se"].as_f64().unwrap() - last["se"].as_f64().unwrap()).abs() < 1e-12);
}

#[tokio::test]
async fn the_proctor_sees_items_answered_and_the_current_standard_error() {
    let app = TestApp::spawn_demo().await;
    let (s, token, view, doc) = adaptive_start(&app, json!({"max_items": 15})).await;
    answer_current(&app, &token, &view, &doc, true, 1).await;
    let view = section(&app, &token).await;
    answer_current(&app, &token, &view, &doc, false, 2).await;
    meritest::services::monitor::flush(&app.ctx).await.unwrap();
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let room: Value = json_with(
        app.get(
            &format!("/api/v1/proctoring/sessions/{}/room", s.session),
            &proctor,
        )
        .await,
        200,
    )
    .await;
    let row = &room["rows"][0];
    assert_eq!(row["adaptive"], true);
    assert_eq!(row["answered"], 2);
    assert_eq!(row["total"], 15);
    let last = &selections(&app).await[1].1;
    assert!((row["se"].as_f64().unwrap() - last["se"].as_f64().unwrap()).abs() < 1e-12);
    assert!(row["se"].as_f64().unwrap() < 1.0);
}

#[tokio::test]
async fn a_battery_refuses_an_adaptive_section_its_pool_cannot_serve_and_creates_nothing() {
    let app = TestApp::spawn_demo().await;
    let (hr, _) = demo_hr(&app).await;
    let battery =
        |section: Value| json!({"code": "ADA-X", "name": {"id": "X"}, "sections": [section]});
    let cases = [
        // More items than the pool holds.
        (
            adaptive_section(json!({"max_items": 200})),
            "sections[0].adaptive",
        ),
        // A content tag no item has.
        (
            adaptive_section(json!({"content": [{"tag": "verbal", "proportion": 1.0}]})),
            "sections[0].adaptive",
        ),
        // A parameter version that does not exist.
        (
            {
                let mut s = adaptive_section(json!({}));
                s["parameters_version"] = json!(9);
                s
            },
            "sections[0].parameters_version",
        ),
        // An instrument without item parameters.
        (
            json!({"instrument": "NUM-SERIES", "version": 1, "title": {"id": "N"},
                   "time_limit_seconds": 600, "item_order": "fixed", "shuffle_options": true,
                   "navigation": "forward_only", "adaptive": {}}),
            "sections[0].parameters_version",
        ),
        // Free navigation.
        (
            {
                let mut s = adaptive_section(json!({}));
                s["navigation"] = json!("free");
                s
            },
            "sections[0].navigation",
        ),
    ];
    for (section, field) in cases {
        let body = assert_error(
            app.post_json("/api/v1/batteries", &hr, &battery(section))
                .await,
            422,
            "invalid_battery",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    let count = meritest::store::entities::battery::Entity::find()
        .filter(meritest::store::entities::battery::Column::Code.eq("ADA-X"))
        .all(&app.ctx.db)
        .await
        .unwrap()
        .len();
    assert_eq!(count, 0);
    // The demo's own adaptive battery names the version it runs on.
    let list: Value = json_with(app.get("/api/v1/batteries", &hr).await, 200).await;
    let demo = list["batteries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["code"] == "ASN-DEMO-ADAPTIF")
        .unwrap();
    assert_eq!(demo["sections"][0]["adaptive"]["parameters_version"], 1);
    assert_eq!(demo["sections"][0]["adaptive"]["config"]["max_items"], 20);
}

#[tokio::test]
async fn a_section_whose_time_runs_out_is_scored_on_the_items_answered_with_the_time_limit_as_reason(
) {
    let app = TestApp::spawn_demo().await;
    let (_, token, view, doc) = adaptive_start(&app, json!({"min_items": 10})).await;
    answer_current(&app, &token, &view, &doc, true, 1).await;
    let view = section(&app, &token).await;
    answer_current(&app, &token, &view, &doc, true, 2).await;
    app.advance(std::time::Duration::from_secs(900 + 120));
    let attempt: Value = json_with(app.get("/api/v1/candidate/attempt", &token).await, 200).await;
    assert_eq!(attempt["sections"][0]["status"], "closed");
    assert_eq!(attempt["sections"][0]["closed_reason"], "timeout");
    let score = meritest::store::entities::score::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .expect("the attempt was scored when its last section closed");
    assert_eq!(score.answered, 2);
    assert_eq!(score.detail["stop_reason"], "time_limit");
    assert_eq!(score.detail["items"].as_array().unwrap().len(), 2);
    assert!(
        score.detail["theta"].as_f64().unwrap() > 0.0,
        "two right answers"
    );
}

#[tokio::test]
async fn a_local_norm_on_the_theta_scale_is_built_from_adaptive_scores_only() {
    let app = TestApp::spawn_demo().await;
    let settings = json!({"min_items": 5, "max_items": 5, "se_target": null});
    let s = setup_sections(&app, vec![adaptive_section(settings)], false).await;
    let doc = document(&app, &s.hr, "NUM-ADAPTIF").await;
    let mut people = vec![(s.code.clone(), NIP.to_owned())];
    for e in enrolled(&app, &s.hr, &s.campaign, "Sesi 1", 2).await {
        people.push((e.code, e.nip));
    }
    // Three candidates, each right on a different number of the five items.
    for (k, (code, nip)) in people.iter().enumerate() {
        let token = candidate_with(&app, code, nip).await;
        let mut view = start(&app, &token, 0).await;
        for seq in 1..=5 {
            let reply =
                answer_current(&app, &token, &view, &doc, seq <= 1 + 2 * k as i64, seq).await;
            if reply["adaptive"]["done"] == false {
                view = section(&app, &token).await;
            }
        }
    }
    let thetas: Vec<f64> = meritest::store::entities::score::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .iter()
        .map(|s| s.raw.unwrap())
        .collect();
    assert_eq!(thetas.len(), 3);
    let psy = app
        .token("psychologist@demo.meritest.id", DEMO_PASSWORD)
        .await;
    let inst = instrument_id(&app, &s.hr, "NUM-ADAPTIF").await;
    let request = json!({"scale": "NUMA", "group": "umum", "metric": "theta",
        "name": {"id": "Umum (θ lokal)"}, "campaigns": [s.campaign],
        "settings": {"min_n": 2, "points": {"kind": "range", "min": -3, "max": 3, "step": 0.5}}});
    let preview = json_with(
        app.post_json(
            &format!("/api/v1/instruments/{inst}/norms/preview"),
            &psy,
            &request,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(preview["table"]["n"], 3);
    assert_eq!(preview["table"]["metric"], "theta");
    let mean = thetas.iter().sum::<f64>() / 3.0;
    assert!((preview["table"]["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
    assert_eq!(preview["table"]["table"].as_array().unwrap().len(), 13);
    // Compared with the illustrative θ table in use, not with a raw-score one.
    assert_eq!(preview["current"]["table"]["metric"], "theta");
    let published = json_with(
        app.post_json(&format!("/api/v1/instruments/{inst}/norms"), &psy, &request)
            .await,
        201,
    )
    .await;
    assert_eq!(published["published"]["version"], 2);
    assert_eq!(published["superseded"], 1);
    // Classical item analysis leaves adaptive sittings out (each candidate met other items):
    // there is nothing to analyse, while calibration can use them.
    assert_error(
        app.get(
            &format!("/api/v1/instruments/{inst}/item-analysis?min_respondents=2"),
            &psy,
        )
        .await,
        422,
        "too_few_respondents",
    )
    .await;
    // The scores are θ: a raw-score norm of the same scale finds none to build from.
    let mut raw = request.clone();
    raw["metric"] = json!("raw");
    assert_error(
        app.post_json(
            &format!("/api/v1/instruments/{inst}/norms/preview"),
            &psy,
            &raw,
        )
        .await,
        422,
        "too_few_respondents",
    )
    .await;
}

#[tokio::test]
async fn sympson_hetter_parameters_from_a_simulation_become_a_draft_that_a_battery_can_run_on() {
    let app = TestApp::spawn_demo().await;
    let (hr, _) = demo_hr(&app).await;
    let psy = app
        .token("psychologist@demo.meritest.id", DEMO_PASSWORD)
        .await;
    let inst = instrument_id(&app, &hr, "NUM-ADAPTIF").await;
    let path = format!("/api/v1/instruments/{inst}/item-parameters/exposure");
    let request = json!({"adaptive": {"max_items": 20, "se_target": null}, "rate": 0.2,
                         "simulees": 300, "rounds": 4, "seed": 7});
    let out = json_with(app.post_json(&path, &psy, &request).await, 201).await;
    assert_eq!(out["from_version"], 1);
    assert_eq!(out["draft"]["version"], 2);
    assert_eq!(out["draft"]["status"], "draft");
    assert_eq!(out["max_exposure_by_round"].as_array().unwrap().len(), 4);
    let limited: Vec<f64> = out["draft"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["exposure_k"].as_f64())
        .collect();
    assert_eq!(limited.len() as u64, out["items_limited"].as_u64().unwrap());
    assert!(!limited.is_empty() && limited.iter().all(|k| (0.0..1.0).contains(k)));
    let report = &out["draft"]["calibration"]["sympson_hetter"];
    assert_eq!(
        (report["rate"].clone(), report["seed"].clone()),
        (json!(0.2), json!(7))
    );
    // The same request gives the same parameters (a seeded simulation), as the next draft.
    let again = json_with(app.post_json(&path, &psy, &request).await, 201).await;
    assert_eq!(again["draft"]["version"], 3);
    assert_eq!(again["draft"]["items"], out["draft"]["items"]);
    let drafts = app
        .audit_of("demo")
        .await
        .into_iter()
        .filter(|e| e.action == "item_parameters.draft")
        .count();
    assert_eq!(drafts, 2, "each draft is audited");

    // Refused, storing nothing: a test longer than the pool, out-of-range sizes, a proctor.
    let too_long = json!({"adaptive": {"max_items": 200}, "simulees": 100, "rounds": 1});
    assert_error(
        app.post_json(&path, &psy, &too_long).await,
        422,
        "pool_too_small",
    )
    .await;
    let tiny = json!({"simulees": 5});
    assert_error(
        app.post_json(&path, &psy, &tiny).await,
        422,
        "invalid_input",
    )
    .await;
    let draft = json!({"version": 2, "simulees": 100, "rounds": 1});
    assert_error(
        app.post_json(&path, &psy, &draft).await,
        422,
        "invalid_input",
    )
    .await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(
        app.post_json(&path, &proctor, &request).await,
        403,
        "forbidden",
    )
    .await;
    let list = json_with(
        app.get(&format!("/api/v1/instruments/{inst}/item-parameters"), &psy)
            .await,
        200,
    )
    .await;
    assert_eq!(list["versions"].as_array().unwrap().len(), 3);

    // Published, the version runs an adaptive section with Sympson–Hetter.
    json_with(
        app.post(
            &format!("/api/v1/instruments/{inst}/item-parameters/2/publish"),
            &psy,
        )
        .await,
        200,
    )
    .await;
    let mut section = adaptive_section(json!({"max_items": 6, "min_items": 6, "se_target": null,
                                              "exposure": {"kind": "sympson_hetter"}}));
    section["parameters_version"] = json!(2);
    let s = setup_sections(&app, vec![section], false).await;
    let token = candidate(&app, &s.code).await;
    let view = start(&app, &token, 0).await;
    let doc = document(&app, &s.hr, "NUM-ADAPTIF").await;
    let reply = answer_current(&app, &token, &view, &doc, true, 1).await;
    assert_eq!(reply["adaptive"]["answered"], 1);
}

#[tokio::test]
async fn a_section_the_rule_stopped_but_a_crash_left_open_is_closed_when_next_read() {
    use sea_orm::{ActiveModelTrait, Set};
    let app = TestApp::spawn_demo().await;
    let fixed = json!({"min_items": 5, "max_items": 5, "se_target": null});
    let sections = vec![
        adaptive_section(fixed),
        json!({"instrument": "NUM-SERIES", "version": 1, "title": {"id": "Deret"},
               "time_limit_seconds": 600, "item_order": "fixed", "shuffle_options": true,
               "navigation": "free"}),
    ];
    let s = setup_sections(&app, sections, false).await;
    let token = candidate(&app, &s.code).await;
    let mut view = start(&app, &token, 0).await;
    let doc = document(&app, &s.hr, "NUM-ADAPTIF").await;
    for seq in 1..=5 {
        let reply = answer_current(&app, &token, &view, &doc, true, seq).await;
        if seq < 5 {
            view = section(&app, &token).await;
        } else {
            assert_eq!(reply["adaptive"]["done"], true);
        }
    }
    // The crash: the last answer and its stop are stored, the close is not.
    let row = meritest::store::entities::attempt_section::Entity::find()
        .filter(meritest::store::entities::attempt_section::Column::Position.eq(0))
        .one(&app.ctx.db)
        .await
        .unwrap()
        .unwrap();
    let mut open: meritest::store::entities::attempt_section::ActiveModel = row.into();
    open.status = Set(meritest::domain::attempt::SectionStatus::Open);
    open.closed_at = Set(None);
    open.closed_reason = Set(None);
    open.update(&app.ctx.db).await.unwrap();
    let view = section(&app, &token).await;
    assert_eq!(view["status"], "closed");
    assert_eq!(view["adaptive"]["current_item"], Value::Null);
    let attempt: Value = json_with(app.get("/api/v1/candidate/attempt", &token).await, 200).await;
    assert_eq!(attempt["sections"][0]["closed_reason"], "completed");
    assert_eq!(attempt["current_section"], 1);
}
