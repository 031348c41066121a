//! Candidate test delivery: sign-in, consent, timed sections, answers that are never lost,
//! expiry, resume, scoring and results. Each architecture invariant of delivery has a test here.
use std::time::Duration as StdDuration;

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{
    answer, assert_error, candidate, demo_hr, document, import, login, option_like,
    sample_instrument, setup, setup_window, setup_with, start, started, the_attempt, TestApp,
    BIRTH, DEMO_PASSWORD, NIP,
};

/// The stored responses of the campaign's only attempt: (item code, value, seq).
async fn stored(app: &TestApp) -> Vec<(String, Value, i64)> {
    use sea_orm::EntityTrait;
    let mut rows: Vec<(String, Value, i64)> = meritest::store::entities::response::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.item_code, r.value, r.client_seq))
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

#[tokio::test]
async fn a_candidate_signs_in_with_the_code_and_nip_or_birth_date_and_a_wrong_factor_is_not_named()
{
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;

    let res = login(
        &app,
        json!({"code": s.code.to_lowercase(), "birth_date": BIRTH}),
    )
    .await;
    assert_eq!(res.status(), 200, "the code is read in any case");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["attempt"]["status"], "not_started");
    assert_eq!(body["attempt"]["consent_required"], true);
    assert_eq!(body["attempt"]["participant"]["name"], "Budi Santoso");
    assert_eq!(body["attempt"]["sections"][0]["item_count"], 20);
    assert_eq!(body["attempt"]["current_section"], 0);

    let wrong_nip = login(&app, json!({"code": s.code, "nip": "198503152010121002"})).await;
    let a = assert_error(wrong_nip, 401, "invalid_credentials").await;
    let wrong_code = login(&app, json!({"code": "2345-6789AC", "nip": NIP})).await;
    let b = assert_error(wrong_code, 401, "invalid_credentials").await;
    assert_eq!(
        a["message"], b["message"],
        "the answer does not say which factor failed"
    );
    assert_error(
        login(&app, json!({"code": s.code})).await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        login(&app, json!({"code": s.code, "nip": NIP, "extra": 1})).await,
        422,
        "invalid_input",
    )
    .await;
}

#[tokio::test]
async fn a_section_cannot_start_before_consent_nor_out_of_order() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600), ("VERBAL-ID", 600)], false).await;
    let res = login(&app, json!({"code": s.code, "nip": NIP})).await;
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_error(
        app.post("/api/v1/candidate/sections/0/start", &token).await,
        409,
        "consent_required",
    )
    .await;
    assert_error(
        app.post_json(
            "/api/v1/candidate/consent",
            &token,
            &json!({"accept": false}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    app.post_json(
        "/api/v1/candidate/consent",
        &token,
        &json!({"accept": true}),
    )
    .await;
    assert_error(
        app.post("/api/v1/candidate/sections/1/start", &token).await,
        409,
        "section_not_current",
    )
    .await;
    // Before its clock starts the current section can be read: instructions and practice, no items.
    let preview: Value = app
        .get("/api/v1/candidate/sections/0", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preview["status"], "pending");
    assert_eq!(preview["deadline"], Value::Null);
    assert_eq!(preview["items"], json!([]));
    assert_eq!(preview["practice"].as_array().unwrap().len(), 1);
    assert!(preview["instructions"]["id"].is_string());
    assert_error(
        app.get("/api/v1/candidate/sections/1", &token).await,
        409,
        "section_not_current",
    )
    .await;
    let first = start(&app, &token, 0).await;
    let again = start(&app, &token, 0).await;
    assert_eq!(
        first["deadline"], again["deadline"],
        "starting twice keeps the deadline"
    );
    let remaining = first["remaining_ms"].as_i64().unwrap();
    assert!((590_000..=600_000).contains(&remaining), "{remaining}");
    let attempt: Value = app
        .get("/api/v1/candidate/attempt", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(attempt["status"], "in_progress");
    assert_eq!(attempt["sections"][0]["status"], "open");
}

#[tokio::test]
async fn each_node_reads_an_organisations_name_once_for_all_its_candidates_reads_of_their_attempt()
{
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    async fn read(app: &TestApp, token: &str) -> String {
        let res = app.get("/api/v1/candidate/attempt", token).await;
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        body["organisation"]["name"].as_str().unwrap().to_owned()
    }
    let name = read(&app, &token).await;
    assert!(!name.is_empty() && name != "Renamed Underneath", "{name}");
    // Nothing in the product renames an organisation; a name changed under the node is not read
    // again by it, and is by a node that has not read it yet.
    app.ctx
        .db
        .execute_unprepared("UPDATE organisations SET name = 'Renamed Underneath'")
        .await
        .unwrap();
    assert_eq!(read(&app, &token).await, name);
    let other = app.second_node().await;
    assert_eq!(read(&other, &token).await, "Renamed Underneath");
}

/// Every key of a JSON document, recursively.
fn keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                keys(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn no_candidate_facing_response_carries_a_key_weight_scale_or_parameter() {
    let app = TestApp::spawn_demo().await;
    let all = [
        ("NUM-SERIES", 600),
        ("VERBAL-ID", 600),
        ("FIGURAL", 600),
        ("IPIP-BFM-50", 600),
        ("SJT-ASN", 600),
        ("WORK-PREF", 600),
        ("WORK-STYLE", 600),
    ];
    let s = setup(&app, &all, false).await;
    let token = candidate(&app, &s.code).await;
    let forbidden = [
        "key",
        "weight",
        "weights",
        "scale",
        "scales",
        "reverse",
        "answer",
        "tolerance",
        "a",
        "b",
        "c",
        "norms",
        "seed",
    ];
    for position in 0..all.len() as i32 {
        let section = start(&app, &token, position).await;
        let mut found = Vec::new();
        keys(&section, &mut found);
        for k in forbidden {
            assert!(
                !found.iter().any(|f| f == k),
                "section {position} has a '{k}' field"
            );
        }
        let text = section.to_string();
        for item in section["items"].as_array().unwrap() {
            for o in item["options"].as_array().unwrap() {
                let id = o["id"].as_str().unwrap();
                assert_eq!(id.len(), 10, "option ids are opaque: {id}");
            }
            if let Some(image) = item["image"].as_str() {
                assert!(
                    !image.contains(".svg"),
                    "asset names are not shown: {image}"
                );
                let res = app.get(image, &token).await;
                assert_eq!(res.status(), 200);
                assert_eq!(res.headers()["content-type"], "image/svg+xml");
            }
        }
        assert!(!text.contains("\"FIG-"), "item codes are not shown");
        app.post(
            &format!("/api/v1/candidate/sections/{position}/submit"),
            &token,
        )
        .await;
    }
}

#[tokio::test]
async fn an_answer_is_acknowledged_while_every_pooled_connection_is_held_by_other_requests() {
    // The writer commits through connections of its own: when thousands of pages reopen their
    // streams on a node at once (its neighbour died) their reads fill the pool, and answers
    // queued behind them waited seconds for a connection.
    let app = TestApp::spawn_demo_with(|s| s.database.acquire_timeout_seconds = 1).await;
    let (_, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let item = &section["items"][0];
    let held = app.hold_every_pooled_connection().await;
    let body = json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": 1});
    let res = answer(&app, &token, body).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["saved"], true);
    drop(held);
    let rows = stored(&app).await;
    assert_eq!(rows.len(), 1, "the acknowledged answer is in the database");
    assert_eq!(rows[0].2, 1);
}

#[tokio::test]
async fn an_answer_is_acknowledged_only_once_stored_and_an_older_or_replayed_copy_changes_nothing()
{
    let app = TestApp::spawn_demo().await;
    let (_, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let item = &section["items"][0];
    let (x, y) = (
        item["options"][0]["id"].as_str().unwrap(),
        item["options"][1]["id"].as_str().unwrap(),
    );
    let send = |choice: &str, seq: i64| json!({"section": 0, "item": item["id"], "response": {"choice": choice}, "seq": seq});

    let res = answer(&app, &token, send(x, 2)).await;
    assert_eq!(res.status(), 200);
    let ack: Value = res.json().await.unwrap();
    assert_eq!(ack["saved"], true);
    assert_eq!(ack["seq"], 2);
    assert!(ack["remaining_ms"].as_i64().unwrap() > 590_000);
    let rows = stored(&app).await;
    assert_eq!(rows.len(), 1, "the acknowledged answer is in the database");
    let first_value = rows[0].1.clone();
    assert_eq!(rows[0].2, 2);

    // An older copy arriving late, and a replay of the same one, change nothing.
    assert_eq!(answer(&app, &token, send(y, 1)).await.status(), 200);
    assert_eq!(answer(&app, &token, send(x, 2)).await.status(), 200);
    let rows = stored(&app).await;
    assert_eq!((rows[0].1.clone(), rows[0].2), (first_value.clone(), 2));

    // A newer one replaces it.
    assert_eq!(answer(&app, &token, send(y, 3)).await.status(), 200);
    let rows = stored(&app).await;
    assert_eq!(rows[0].2, 3);
    assert_ne!(rows[0].1, first_value);

    // Resume: the section comes back with the saved answer in the attempt's own ids.
    let again: Value = app
        .get("/api/v1/candidate/sections/0", &token)
        .await
        .json()
        .await
        .unwrap();
    let saved = &again["responses"][item["id"].as_str().unwrap()];
    assert_eq!(saved["response"], json!({"choice": y}));
    assert_eq!(saved["seq"], 3);
}

#[tokio::test]
async fn answers_that_do_not_fit_the_item_are_refused_and_change_nothing() {
    let app = TestApp::spawn_demo().await;
    let (_, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let item = &section["items"][0];
    for bad in [
        json!({"section": 0, "item": item["id"], "response": {"choice": "a"}, "seq": 1}),
        json!({"section": 0, "item": "0000000000", "response": {"choice": "a"}, "seq": 1}),
        json!({"section": 0, "item": item["id"], "response": {"point": 3}, "seq": 1}),
    ] {
        assert_error(answer(&app, &token, bad).await, 422, "invalid_response").await;
    }
    assert_error(
        answer(
            &app,
            &token,
            json!({"section": 0, "item": item["id"], "seq": 1}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        answer(
            &app,
            &token,
            json!({"section": 1, "item": item["id"], "response": {"choice": "x"}, "seq": 1}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(stored(&app).await.len(), 0);
    // Numeric entry takes a decimal comma.
    let numeric = section["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["numeric"] == true)
        .unwrap();
    let res = answer(
        &app,
        &token,
        json!({"section": 0, "item": numeric["id"], "response": {"value": "26,0"}, "seq": 5}),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(stored(&app).await[0].1, json!({"value": 26.0}));
}

#[tokio::test]
async fn an_answer_after_the_deadline_and_grace_is_refused_but_one_within_grace_is_kept() {
    let app = TestApp::spawn_demo().await;
    let (_, token, section) = started(&app, &[("NUM-SERIES", 600), ("VERBAL-ID", 600)]).await;
    let item = &section["items"][0];
    let opt = item["options"][0]["id"].clone();

    // Two seconds past the deadline: within the five seconds of grace.
    app.advance(StdDuration::from_secs(600 + 2));
    let res = answer(
        &app,
        &token,
        json!({"section": 0, "item": item["id"], "response": {"choice": opt}, "seq": 1}),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["remaining_ms"], 0);

    app.advance(StdDuration::from_secs(28));
    let res = answer(
        &app,
        &token,
        json!({"section": 0, "item": item["id"], "response": {"choice": opt}, "seq": 2}),
    )
    .await;
    assert_error(res, 409, "section_closed").await;
    assert_eq!(
        stored(&app).await[0].2,
        1,
        "the late answer changed nothing"
    );
    let attempt: Value = app
        .get("/api/v1/candidate/attempt", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(attempt["sections"][0]["status"], "closed");
    assert_eq!(attempt["sections"][0]["closed_reason"], "timeout");
    assert_eq!(attempt["current_section"], 1);
}

#[tokio::test]
async fn reading_a_section_past_its_deadline_and_grace_closes_it_without_waiting_for_the_sweep() {
    let app = TestApp::spawn_demo().await;
    let (_, token, _) = started(&app, &[("NUM-SERIES", 600), ("VERBAL-ID", 600)]).await;

    // Within the five seconds of grace the section is still open.
    app.advance(StdDuration::from_secs(600 + 2));
    let open: Value = app
        .get("/api/v1/candidate/sections/0", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(open["status"], "open");
    assert_eq!(open["remaining_ms"], 0);

    app.advance(StdDuration::from_secs(28));
    let closed: Value = app
        .get("/api/v1/candidate/sections/0", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["status"], "closed");
    let attempt: Value = app
        .get("/api/v1/candidate/attempt", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(attempt["sections"][0]["closed_reason"], "timeout");
    assert_eq!(attempt["current_section"], 1);
}

#[tokio::test]
async fn reading_the_attempt_past_its_last_sections_deadline_and_grace_shows_it_closed_and_the_attempt_finished(
) {
    let app = TestApp::spawn_demo().await;
    let (_, token, _) = started(&app, &[("NUM-SERIES", 600)]).await;

    app.advance(StdDuration::from_secs(600 + 30));
    let res = app.get("/api/v1/candidate/attempt", &token).await;
    assert_eq!(res.status(), 200);
    let attempt: Value = res.json().await.unwrap();
    // The read closed the section, which ended the attempt, and answers what it left behind.
    assert_eq!(attempt["status"], "finished");
    assert_eq!(attempt["sections"][0]["status"], "closed");
    assert_eq!(attempt["sections"][0]["closed_reason"], "timeout");
    assert_eq!(attempt["current_section"], Value::Null);
    assert_eq!(attempt["remaining_ms"], Value::Null);
    assert_eq!(the_attempt(&app).await.status.as_str(), "finished");
}

#[tokio::test]
async fn a_section_whose_time_ran_out_is_closed_and_scored_when_the_candidate_never_returns() {
    let app = TestApp::spawn_demo().await;
    let (s, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let item = &section["items"][0];
    answer(&app, &token, json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": 1})).await;
    app.advance(StdDuration::from_secs(600 + 60));

    let swept = meritest::services::attempt::expiry::sweep(&app.ctx)
        .await
        .unwrap();
    assert_eq!(swept, 1);
    // A second sweep, as another node would run it, finds nothing left to do.
    assert_eq!(
        meritest::services::attempt::expiry::sweep(&app.ctx)
            .await
            .unwrap(),
        0
    );

    let results: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    let p = &results["participants"][0];
    assert_eq!(p["status"], "finished");
    assert_eq!(p["responses"], 1);
    let scores = p["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 1, "one scale, scored once");
    assert_eq!(scores[0]["scale"], "NUM");
    assert_eq!(scores[0]["administered"], 20);
    assert_eq!(scores[0]["answered"], 1);
    assert_eq!(scores[0]["scoring_version"], "meritest-scoring/1");
    assert!(scores[0]["norm_table"].is_string());
    assert_eq!(results["progress"]["finished"], 1);
}

#[tokio::test]
async fn a_second_device_takes_over_and_the_first_is_told() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let first = candidate(&app, &s.code).await;
    let section = start(&app, &first, 0).await;
    let item = &section["items"][0];
    let opt = item["options"][0]["id"].clone();
    assert_eq!(
        answer(
            &app,
            &first,
            json!({"section": 0, "item": item["id"], "response": {"choice": opt}, "seq": 1})
        )
        .await
        .status(),
        200
    );

    let res = login(&app, json!({"code": s.code, "birth_date": BIRTH})).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["attempt"]["status"], "in_progress");
    assert_eq!(body["attempt"]["current_section"], 0);
    let second = body["token"].as_str().unwrap().to_owned();

    assert_error(
        answer(
            &app,
            &first,
            json!({"section": 0, "item": item["id"], "response": {"choice": opt}, "seq": 2}),
        )
        .await,
        409,
        "device_replaced",
    )
    .await;
    let resumed: Value = app
        .get("/api/v1/candidate/sections/0", &second)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        resumed["deadline"], section["deadline"],
        "the clock kept running"
    );
    assert_eq!(resumed["responses"][item["id"].as_str().unwrap()]["seq"], 1);
    assert_eq!(
        answer(
            &app,
            &second,
            json!({"section": 0, "item": item["id"], "response": {"choice": opt}, "seq": 2})
        )
        .await
        .status(),
        200
    );
}

#[tokio::test]
async fn a_candidate_switching_node_mid_section_and_a_lost_live_store_lose_nothing() {
    let app = TestApp::spawn_demo().await;
    let (_, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let items = section["items"].as_array().unwrap();
    let send = |i: usize, seq: i64| json!({"section": 0, "item": items[i]["id"], "response": {"choice": items[i]["options"][0]["id"]}, "seq": seq});
    assert_eq!(answer(&app, &token, send(0, 1)).await.status(), 200);

    let other = app.second_node().await;
    assert_eq!(answer(&other, &token, send(1, 2)).await.status(), 200);
    // The live store is emptied (a Redis restart or flush): the state is rebuilt from the database.
    use sea_orm::EntityTrait;
    for a in meritest::store::entities::attempt::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
    {
        app.ctx
            .live
            .forget_attempt(&a.id.to_string())
            .await
            .unwrap();
        other
            .ctx
            .live
            .forget_attempt(&a.id.to_string())
            .await
            .unwrap();
    }
    assert_eq!(answer(&app, &token, send(2, 3)).await.status(), 200);
    assert_eq!(answer(&other, &token, send(3, 4)).await.status(), 200);
    let rows = stored(&app).await;
    assert_eq!(rows.len(), 4, "every acknowledged answer is stored");
    let resumed: Value = other
        .get("/api/v1/candidate/sections/0", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(resumed["responses"].as_object().unwrap().len(), 4);
    assert_eq!(resumed["deadline"], section["deadline"]);
    other.handle.stop(true).await;
}

#[tokio::test]
async fn finishing_scores_every_scale_against_its_norm_table_and_shows_the_score_when_allowed() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600), ("IPIP-BFM-50", 600)], true).await;
    let token = candidate(&app, &s.code).await;
    let doc = document(&app, &s.hr, "NUM-SERIES").await;
    let section = start(&app, &token, 0).await;
    // Ten right answers among the single-choice items, nothing else.
    let mut seq = 0;
    let mut right = 0;
    for view in section["items"].as_array().unwrap() {
        if view["numeric"] == true || right == 10 {
            continue;
        }
        let text = view["stem"]["id"].as_str().unwrap();
        let item = doc["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["stem"]["id"] == text && i["practice"] != true)
            .unwrap();
        let choice = option_like(view, item, item["key"].as_str().unwrap());
        seq += 1;
        let res = answer(
            &app,
            &token,
            json!({"section": 0, "item": view["id"], "response": {"choice": choice}, "seq": seq}),
        )
        .await;
        assert_eq!(res.status(), 200);
        right += 1;
    }
    app.post("/api/v1/candidate/sections/0/submit", &token)
        .await;
    // IPIP: every statement answered 4 on the 1–5 scale: 4 for a plus-keyed item, 2 reversed.
    let ipip = start(&app, &token, 1).await;
    for view in ipip["items"].as_array().unwrap() {
        seq += 1;
        let res = answer(
            &app,
            &token,
            json!({"section": 1, "item": view["id"], "response": {"point": 4}, "seq": seq}),
        )
        .await;
        assert_eq!(res.status(), 200);
    }
    let res = app.post("/api/v1/candidate/finish", &token).await;
    assert_eq!(res.status(), 200);
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["status"], "finished");
    let scores = done["scores"].as_array().unwrap();
    let num = scores.iter().find(|s| s["scale"] == "NUM").unwrap();
    assert_eq!(num["raw"], 10.0);
    // The demo's illustrative table (normal, mean 11.8, sd 3.9) puts raw 10 at
    // PR = 100·(Φ((9.5 − 11.8)/3.9) + Φ((10.5 − 11.8)/3.9))/2 = 100·(0.2777 + 0.3694)/2 = 32.4.
    let table = doc["norms"][0]["table"].as_array().unwrap();
    let row = table
        .iter()
        .find(|r| r["raw"].as_f64() == Some(10.0))
        .unwrap();
    assert_eq!(row["pr"].as_f64(), Some(32.4));
    assert_eq!(num["pr"].as_f64(), Some(32.4));
    assert_eq!(num["norm_group"], "umum");
    assert_eq!(num["illustrative"], true);
    // Extraversion: 5 plus-keyed (4 each) and 5 reverse-keyed (2 each) = 30.
    let e = scores.iter().find(|s| s["scale"] == "E").unwrap();
    assert_eq!(e["raw"], 30.0);
    assert!(e["pr"].is_number());
    // Emotional stability: 2 plus-keyed and 8 reverse-keyed = 8 + 16 = 24.
    let n = scores.iter().find(|s| s["scale"] == "N").unwrap();
    assert_eq!(n["raw"], 24.0);

    // Answers after finishing are refused; HR sees the same scores, also as CSV.
    let any = &ipip["items"][0];
    assert_error(
        answer(
            &app,
            &token,
            json!({"section": 1, "item": any["id"], "response": {"point": 1}, "seq": 999}),
        )
        .await,
        409,
        "attempt_finished",
    )
    .await;
    let res = app
        .get(
            &format!("/api/v1/campaigns/{}/results?format=csv", s.campaign),
            &s.hr,
        )
        .await;
    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(text.starts_with("nip;name;status;instrument;instrument_version;scale;raw"));
    assert!(text.contains(&format!(
        "{NIP};Budi Santoso;finished;NUM-SERIES;1;NUM;10;10;20;"
    )));
}

#[tokio::test]
async fn each_score_names_its_instrument_version_and_norm_table_in_the_results_and_the_csv() {
    let app = TestApp::spawn_demo().await;
    let (hr, _) = demo_hr(&app).await;
    // Two versions of one instrument, each with its own norm table; the battery delivers v1. A
    // table name that a spreadsheet would run as a formula stays text in the CSV.
    let mut v1 = sample_instrument("NORM-NAMES", 1);
    v1["norms"][0]["name"] = json!({"id": "=Umum (ilustratif)", "en": "@General (illustrative)"});
    import(&app, &hr, &v1).await;
    let mut v2 = sample_instrument("NORM-NAMES", 2);
    v2["norms"][0]["name"] = json!({"id": "Umum versi 2"});
    import(&app, &hr, &v2).await;
    let s = setup(&app, &[("NORM-NAMES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    let item = section["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["stem"]["id"] == "2, 4, 8, …")
        .unwrap();
    let res = answer(
        &app,
        &token,
        json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": 1}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let res = app.post("/api/v1/candidate/finish", &token).await;
    assert_eq!(res.status(), 200);

    let results: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    let scores = results["participants"][0]["scores"].as_array().unwrap();
    let num = scores.iter().find(|x| x["scale"] == "NUM").unwrap();
    assert_eq!(num["instrument"], "NORM-NAMES");
    assert_eq!(num["instrument_version"], 1);
    assert_eq!(num["norm_group"], "umum");
    assert_eq!(num["illustrative"], true);
    assert_eq!(
        num["norm_table_name"],
        json!({"id": "=Umum (ilustratif)", "en": "@General (illustrative)"})
    );
    let table = num["norm_table"].as_str().unwrap();
    // The Likert scale has no norm table: nothing is named.
    let prf = scores.iter().find(|x| x["scale"] == "PRF").unwrap();
    assert_eq!(prf["instrument_version"], 1);
    assert_eq!(
        (prf["norm_table"].clone(), prf["norm_table_name"].clone()),
        (Value::Null, Value::Null)
    );

    let csv = app
        .get(
            &format!("/api/v1/campaigns/{}/results?format=csv", s.campaign),
            &s.hr,
        )
        .await
        .text()
        .await
        .unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    assert_eq!(
        header,
        [
            "nip",
            "name",
            "status",
            "instrument",
            "instrument_version",
            "scale",
            "raw",
            "answered",
            "administered",
            "pr",
            "z",
            "t",
            "stanine",
            "sten",
            "norm_group",
            "norm_table",
            "norm_table_name",
            "norm_table_name_en",
            "illustrative",
            "scoring_version",
            "most",
            "least"
        ]
    );
    let rows: Vec<std::collections::HashMap<&str, &str>> = lines
        .map(|l| header.iter().copied().zip(l.split(';')).collect())
        .collect();
    let num = rows.iter().find(|r| r["scale"] == "NUM").unwrap();
    assert_eq!(num["instrument"], "NORM-NAMES");
    assert_eq!(num["instrument_version"], "1");
    assert_eq!(num["norm_table"], table);
    assert_eq!(num["norm_table_name"], "'=Umum (ilustratif)");
    assert_eq!(num["norm_table_name_en"], "'@General (illustrative)");
    assert_eq!(num["illustrative"], "true");
    let prf = rows.iter().find(|r| r["scale"] == "PRF").unwrap();
    assert_eq!(
        (
            prf["instrument_version"],
            prf["norm_table"],
            prf["norm_table_name"]
        ),
        ("1", "", "")
    );
}

#[tokio::test]
async fn another_organisation_cannot_see_results_and_a_staff_token_is_not_a_candidate_token() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let other = app.second_organisation().await;
    assert_error(
        app.get(&format!("/api/v1/campaigns/{}/results", s.campaign), &other)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/v1/candidate/attempt", &s.hr).await,
        401,
        "invalid_token",
    )
    .await;
    let token = candidate(&app, &s.code).await;
    assert_error(
        app.get("/api/v1/campaigns", &token).await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn a_campaign_is_rescored_on_request_and_the_rescoring_is_audited() {
    let app = TestApp::spawn_demo().await;
    let (s, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let item = &section["items"][0];
    answer(&app, &token, json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": 1})).await;
    app.post("/api/v1/candidate/finish", &token).await;
    let before: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();

    let res = app
        .post_json(
            &format!("/api/v1/campaigns/{}/rescore", s.campaign),
            &s.hr,
            &json!({"reason": "check after norm review"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let outcome: Value = res.json().await.unwrap();
    assert_eq!(outcome, json!({"attempts": 1, "scores": 1, "changed": 0}));
    let after: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        before["participants"][0]["scores"], after["participants"][0]["scores"],
        "scoring is a pure function of the stored responses"
    );
    let audit = app.audit_of("demo").await;
    let entry = audit
        .iter()
        .find(|e| e.action == "campaign.rescore")
        .expect("the rescoring is audited");
    assert_eq!(entry.target_id, s.campaign);
    assert_eq!(entry.reason.as_deref(), Some("check after norm review"));
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(
        app.post_json(
            &format!("/api/v1/campaigns/{}/rescore", s.campaign),
            &proctor,
            &json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn where_resume_needs_an_unlock_a_second_device_waits_for_the_proctor() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    // HR switches the campaign to require an unlock.
    let res = app
        .patch_json(
            &format!("/api/v1/campaigns/{}", s.campaign),
            &s.hr,
            &json!({"resume_requires_unlock": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let first = candidate(&app, &s.code).await;
    start(&app, &first, 0).await;
    assert_error(
        login(&app, json!({"code": s.code, "nip": NIP})).await,
        409,
        "resume_locked",
    )
    .await;

    let pid = &s.participant;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let res = app
        .post_json(
            &format!("/api/v1/campaigns/{}/participants/{pid}/unlock", s.campaign),
            &proctor,
            &json!({"reason": "laptop battery died"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let res = login(&app, json!({"code": s.code, "nip": NIP})).await;
    assert_eq!(
        res.status(),
        200,
        "after the unlock the second device signs in"
    );
    let second = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let section: Value = app
        .get("/api/v1/candidate/sections/0", &second)
        .await
        .json()
        .await
        .unwrap();
    let item = &section["items"][0];
    assert_error(
        answer(&app, &first, json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": 1})).await,
        409,
        "device_replaced",
    )
    .await;
    assert_error(
        app.get("/api/v1/candidate/sections/0", &first).await,
        409,
        "device_replaced",
    )
    .await;
}

#[tokio::test]
async fn in_a_forward_only_section_an_item_once_left_cannot_be_answered_again() {
    let app = TestApp::spawn_demo().await;
    let s = setup_with(&app, &[("NUM-SERIES", 600)], false, "forward_only").await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    assert_eq!(section["navigation"], "forward_only");
    let items = section["items"].as_array().unwrap();
    let send = |i: usize, option: usize, seq: i64| {
        json!({"section": 0, "item": items[i]["id"],
               "response": {"choice": items[i]["options"][option]["id"]}, "seq": seq})
    };
    assert_eq!(answer(&app, &token, send(0, 0, 1)).await.status(), 200);
    assert_eq!(
        answer(&app, &token, send(0, 1, 2)).await.status(),
        200,
        "the current item may change"
    );
    assert_eq!(
        answer(&app, &token, send(2, 0, 3)).await.status(),
        200,
        "skipping ahead is allowed"
    );
    assert_error(
        answer(&app, &token, send(1, 0, 4)).await,
        409,
        "item_locked",
    )
    .await;
    assert_error(
        answer(&app, &token, send(0, 0, 5)).await,
        409,
        "item_locked",
    )
    .await;
    // A node that never saw this attempt (or a live store that lost the marker) knows it from
    // the stored answers.
    let other = app.second_node().await;
    assert_error(
        answer(&other, &token, send(1, 0, 6)).await,
        409,
        "item_locked",
    )
    .await;
    assert_eq!(answer(&other, &token, send(3, 0, 7)).await.status(), 200);
    let rows = stored(&app).await;
    assert_eq!(rows.len(), 3, "the refused answers stored nothing");
    other.handle.stop(true).await;
}

#[tokio::test]
async fn when_the_campaign_closes_an_unfinished_attempt_is_expired_and_scored_once() {
    let app = TestApp::spawn_demo().await;
    // The campaign closes in an hour, while the first section (two hours) still runs.
    let sections = [("NUM-SERIES", 7200), ("VERBAL-ID", 600)];
    let s = setup_window(&app, &sections, false, "free", Duration::hours(1)).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    let item = &section["items"][0];
    answer(&app, &token, json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": 1})).await;
    app.advance(StdDuration::from_secs(3600 + 60));
    let other = app.second_node().await;
    let (a, b) = tokio::join!(
        meritest::services::attempt::expiry::sweep(&app.ctx),
        meritest::services::attempt::expiry::sweep(&other.ctx)
    );
    // Usually both nodes see it and race; under load one may finish before the other looks.
    // Either way it is expired and scored exactly once (below).
    let seen = a.unwrap() + b.unwrap();
    assert!((1..=2).contains(&seen), "{seen}");
    let results: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    let p = &results["participants"][0];
    assert_eq!(p["status"], "expired");
    // The verbal section was never started: its scale has no answers and so no norm score.
    let verbal = &p["scores"][1];
    assert_eq!(
        (verbal["answered"].clone(), verbal["raw"].clone()),
        (json!(0), json!(0.0))
    );
    assert_eq!(verbal["pr"], Value::Null);
    assert_eq!(p["scores"][0]["answered"], 1);
    assert!(p["scores"][0]["pr"].is_number());
    let scales: Vec<&str> = p["scores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["scale"].as_str().unwrap())
        .collect();
    assert_eq!(
        scales,
        ["NUM", "VERBAL"],
        "each section scored exactly once"
    );
    assert_eq!(results["progress"]["expired"], 1);
    assert_error(
        answer(&app, &token, json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": 2})).await,
        409,
        "attempt_finished",
    )
    .await;
    other.handle.stop(true).await;
}

#[tokio::test]
async fn most_least_results_carry_their_three_profiles() {
    let app = TestApp::spawn_demo().await;
    let (s, token, section) = started(&app, &[("WORK-STYLE", 600)]).await;
    // Every block: the first statement shown is "most", the second "least".
    for (n, view) in section["items"].as_array().unwrap().iter().enumerate() {
        let st = view["statements"].as_array().unwrap();
        let res = answer(
            &app,
            &token,
            json!({"section": 0, "item": view["id"],
            "response": {"most": st[0]["id"], "least": st[1]["id"]}, "seq": n + 1}),
        )
        .await;
        assert_eq!(res.status(), 200);
    }
    app.post("/api/v1/candidate/finish", &token).await;
    let results: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    let scores = results["participants"][0]["scores"].as_array().unwrap();
    assert_eq!(scores.len(), 4);
    let (mut most, mut least) = (0, 0);
    for sc in scores {
        let m = &sc["most_least"];
        let (mo, le, diff) = (
            m["most"].as_i64().unwrap(),
            m["least"].as_i64().unwrap(),
            m["difference"].as_i64().unwrap(),
        );
        assert_eq!(diff, mo - le);
        assert_eq!(
            sc["raw"].as_f64().unwrap(),
            diff as f64,
            "the raw score is the difference"
        );
        most += mo;
        least += le;
    }
    assert_eq!(
        (most, least),
        (24, 24),
        "one most and one least per block, 24 blocks"
    );
    let csv = app
        .get(
            &format!("/api/v1/campaigns/{}/results?format=csv", s.campaign),
            &s.hr,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .ends_with(";scoring_version;most;least"));
}
