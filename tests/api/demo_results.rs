//! The demo's closed campaign of synthetic results: generated people and answers, scored by the
//! real scoring, with SKP ratings and discipline records imported, so competency results and the
//! 9-box show something on the first start.
use chrono::{DateTime, Datelike, Utc};
use meritest::services::demo::results::campaign_name;
use serde_json::{json, Value};

use crate::helpers::{TestApp, DEMO_PASSWORD};

/// Scales of the ASN-DEMO battery: NUM, VERBAL, FIGURAL, five Big Five, nine SJT, five work
/// preferences, four work styles.
const SCALES: usize = 26;

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

async fn synthetic_campaign(app: &TestApp, hr: &str, n: u32) -> Value {
    let list: Value = app.get("/api/v1/campaigns", hr).await.json().await.unwrap();
    let found: Vec<&Value> = list["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["name"] == campaign_name(n))
        .collect();
    assert_eq!(found.len(), 1, "{list}");
    found[0].clone()
}

#[tokio::test]
async fn the_demo_has_a_closed_campaign_of_synthetic_participants_scored_by_the_real_scoring() {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = 20).await;
    let printed = app.credentials.clone().unwrap();
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let campaign = synthetic_campaign(&app, &hr, 20).await;
    let id = campaign["id"].as_str().unwrap();
    assert!(
        printed.contains(&format!(
            "Synthetic results (generated people and answers): campaign \"Demo · hasil sintetis (20 peserta)\" ({id}), closed, 20 participants scored"
        )),
        "{printed}"
    );
    let (opens, closes) = (time(&campaign["opens_at"]), time(&campaign["closes_at"]));
    let now = app.ctx.clock.now();
    assert!(
        opens < closes && closes < now,
        "{opens} – {closes}, now {now}"
    );
    assert_eq!(campaign["participant_count"], 20);

    // Every participant finished, every scale scored against its norm table, by the real scoring.
    let results: Value = app
        .get(&format!("/api/v1/campaigns/{id}/results"), &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        results["progress"],
        json!({"not_started": 0, "in_progress": 0, "finished": 20, "expired": 0, "terminated": 0})
    );
    let people = results["participants"].as_array().unwrap();
    assert_eq!(people.len(), 20);
    for p in people {
        let name = p["participant"]["name"].as_str().unwrap();
        assert!(name.starts_with("Peserta Sintetis 0"), "{name}");
        let unit = p["participant"]["unit"].as_str().unwrap();
        let opd = unit.split(" / ").next().unwrap();
        assert!(
            ["Dinas ", "Badan ", "Sekretariat Daerah"]
                .iter()
                .any(|prefix| opd.starts_with(prefix)),
            "{unit}"
        );
        assert_eq!(p["status"], "finished", "{name}");
        let scores = p["scores"].as_array().unwrap();
        assert_eq!(scores.len(), SCALES, "{name}");
        for s in scores {
            assert!(s["norm_table"].is_string(), "{name}: {s}");
            assert_eq!(s["norm_group"], "umum", "{name}: {s}");
            assert_eq!(s["illustrative"], true, "{name}: {s}");
            assert_eq!(s["scoring_version"], "meritest-scoring/1", "{name}: {s}");
            assert!(s["t"].is_number() && s["pr"].is_number(), "{name}: {s}");
        }
    }
    // Scoring the stored answers again changes nothing: what is stored is what scoring gives.
    let res = app
        .post_json(
            &format!("/api/v1/campaigns/{id}/rescore"),
            &hr,
            &json!({"reason": "the synthetic scores are the scoring's"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let rescored: Value = res.json().await.unwrap();
    assert_eq!(
        rescored,
        json!({"attempts": 20, "scores": 20 * SCALES, "changed": 0})
    );

    // Each attempt was taken within the campaign's window, section after section.
    let pid = people[0]["participant"]["id"].as_str().unwrap();
    let timeline: Value = app
        .get(
            &format!("/api/v1/campaigns/{id}/participants/{pid}/timeline"),
            &hr,
        )
        .await
        .json()
        .await
        .unwrap();
    let events = timeline["events"].as_array().unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds[..2], ["sign_in", "consent"]);
    assert_eq!(kinds.iter().filter(|k| **k == "section_start").count(), 7);
    assert_eq!(kinds.iter().filter(|k| **k == "section_end").count(), 7);
    assert_eq!(kinds.last(), Some(&"finished"));
    let times: Vec<DateTime<Utc>> = events.iter().map(|e| time(&e["at"])).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    assert!(
        opens < times[0] && *times.last().unwrap() < closes,
        "{times:?}"
    );
    assert_eq!(timeline["answers"].as_array().unwrap().len(), 7);

    // Competency levels on all nine competencies, a JPM and its categories, and the 9-box.
    let body: Value = app
        .get(&format!("/api/v1/campaigns/{id}/competencies"), &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["rules"]["performance_year"], closes.year());
    let participants = body["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 20);
    let mut levels_seen = std::collections::BTreeSet::new();
    for p in participants {
        let levels = p["levels"].as_array().unwrap();
        let codes: Vec<&str> = levels
            .iter()
            .map(|l| l["computed"]["competency"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["INT", "KS", "KOM", "OPH", "PP", "PDOL", "MP", "PK", "PB"]
        );
        for l in levels {
            let level = l["computed"]["outcome"]["level"].as_u64().unwrap();
            assert!((1..=5).contains(&level), "{l}");
            levels_seen.insert(level);
        }
    }
    assert!(levels_seen.len() >= 4, "levels vary: {levels_seen:?}");
    let with_jpm = participants
        .iter()
        .filter(|p| {
            p["jpm"]["jpm"]["percent"].is_number() && p["categories"].as_array().unwrap().len() == 2
        })
        .count();
    // Every job level of the roster has a seeded standard.
    assert_eq!(with_jpm, 20, "with a JPM and both categories");
    assert_eq!(body["summary"]["with_jpm"], with_jpm);
    let outcomes: Vec<&Value> = participants
        .iter()
        .map(|p| &p["nine_box"]["outcome"])
        .collect();
    assert!(
        outcomes.iter().any(|o| o["status"] == "placed"),
        "{outcomes:?}"
    );
    let unplaced: Vec<&&Value> = outcomes
        .iter()
        .filter(|o| o["status"] == "not_placed")
        .collect();
    assert!(!unplaced.is_empty(), "{outcomes:?}");
    for o in unplaced {
        assert_eq!(o["reasons"], json!([{"reason": "no_performance_rating"}]));
    }

    // The SKP ratings of the closing year and the year before, and a discipline record, were
    // imported by NIP.
    let nip = participants
        .iter()
        .find(|p| {
            p["nine_box"]["performance"]["ratings"]
                .as_array()
                .map(Vec::len)
                == Some(2)
        })
        .expect("someone has two years of ratings")["nip"]
        .as_str()
        .unwrap();
    let skp: Value = app
        .get(&format!("/api/v1/performance-ratings?nip={nip}"), &hr)
        .await
        .json()
        .await
        .unwrap();
    let years: Vec<i64> = skp["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["year"].as_i64().unwrap())
        .collect();
    let year = i64::from(closes.year());
    assert_eq!(years, [year, year - 1]);
    let mut recorded = 0;
    for p in participants {
        let nip = p["nip"].as_str().unwrap();
        let d: Value = app
            .get(&format!("/api/v1/discipline-records?nip={nip}"), &hr)
            .await
            .json()
            .await
            .unwrap();
        if let Some(r) = d["records"].as_array().unwrap().first() {
            assert_eq!(r["year"], year);
            recorded += 1;
        }
    }
    assert_eq!(recorded, 18, "nine in ten have a discipline record");
}

#[tokio::test]
async fn a_second_start_on_the_same_database_does_not_seed_the_synthetic_results_again() {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = 3).await;
    app.handle.stop(true).await;
    let mut settings = crate::helpers::test_settings(app.data_dir.path(), &app.database_url);
    settings.bootstrap.demo = Some(true);
    settings.bootstrap.demo_results = 3;
    let again = TestApp::start(
        settings,
        tempfile::tempdir().unwrap(),
        app.database_url.clone(),
    )
    .await;
    assert!(again.credentials.is_none());
    let hr = again.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let campaign = synthetic_campaign(&again, &hr, 3).await;
    assert_eq!(campaign["participant_count"], 3);
    let id = campaign["id"].as_str().unwrap();
    let results: Value = again
        .get(&format!("/api/v1/campaigns/{id}/results"), &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(results["progress"]["finished"], 3);
}

#[tokio::test]
async fn two_first_starts_generate_the_same_people_answers_and_scores() {
    let mut seen = Vec::new();
    for _ in 0..2 {
        let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = 3).await;
        let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
        let id = synthetic_campaign(&app, &hr, 3).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let results: Value = app
            .get(&format!("/api/v1/campaigns/{id}/results"), &hr)
            .await
            .json()
            .await
            .unwrap();
        let people: Vec<(Value, Vec<(Value, Value)>)> = results["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let scores = p["scores"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| (s["scale"].clone(), s["raw"].clone()))
                    .collect();
                (p["participant"]["nip"].clone(), scores)
            })
            .collect();
        seen.push(people);
    }
    assert_eq!(seen[0].len(), 3);
    assert_eq!(seen[0], seen[1]);
}

/// (name, status, scales scored) of each participant of a campaign.
async fn progress(app: &TestApp, hr: &str, campaign: &str) -> Vec<(String, String, usize)> {
    let path = format!("/api/v1/campaigns/{campaign}/results");
    let body: Value = app.get(&path, hr).await.json().await.unwrap();
    body["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["participant"]["name"].as_str().unwrap().to_owned(),
                p["status"].as_str().unwrap().to_owned(),
                p["scores"].as_array().unwrap().len(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_synthetic_attempt_left_unfinished_by_a_crash_is_finished_and_scored_by_the_sweep() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn_demo_with(|s| {
        s.bootstrap.demo_results = 3;
        // The sweep runs when the test says (its first round, at start, finds nothing to do).
        s.delivery.sweep_interval_seconds = 3600;
    })
    .await;
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let id = synthetic_campaign(&app, &hr, 3).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // A crash after a sitting's answers and submissions were committed, before its finish.
    let db = &app.ctx.db;
    db.execute_unprepared(
        "UPDATE attempts SET status = 'in_progress', finished_at = NULL WHERE participant_id = \
         (SELECT id FROM participants WHERE name = 'Peserta Sintetis 002')",
    )
    .await
    .unwrap();
    db.execute_unprepared(
        "DELETE FROM scores WHERE attempt_id IN (SELECT id FROM attempts WHERE status = 'in_progress')",
    )
    .await
    .unwrap();
    assert_eq!(
        progress(&app, &hr, &id).await[1],
        (
            "Peserta Sintetis 002".to_owned(),
            "in_progress".to_owned(),
            0
        )
    );

    assert_eq!(
        meritest::services::attempt::expiry::sweep(&app.ctx)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        progress(&app, &hr, &id).await,
        (1..=3)
            .map(|n| (
                format!("Peserta Sintetis {n:03}"),
                "finished".to_owned(),
                SCALES
            ))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn the_demo_campaign_has_two_assessors_per_rated_participant_integrated_levels_and_released_reports(
) {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = 40).await;
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let campaign = synthetic_campaign(&app, &hr, 40).await;
    let id = campaign["id"].as_str().unwrap();
    let exercises: Value = app
        .get(&format!("/api/v1/campaigns/{id}/exercises"), &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(exercises["exercises"].as_array().unwrap().len(), 2);
    let list: Value = app
        .get(&format!("/api/v1/campaigns/{id}/assessor-assignments"), &hr)
        .await
        .json()
        .await
        .unwrap();
    let rows = list["assignments"].as_array().unwrap();
    // 36 participants × 2 exercises × 2 assessors, every sheet submitted.
    assert_eq!(rows.len(), 144);
    assert_eq!(list["submitted"], 144);
    // Nobody rates a participant of their own unit.
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let accounts: Value = app
        .get("/api/v1/accounts", &admin)
        .await
        .json()
        .await
        .unwrap();
    let unit_of = |id: &Value| {
        accounts
            .as_array()
            .or_else(|| accounts["accounts"].as_array())
            .unwrap()
            .iter()
            .find(|a| a["id"] == *id)
            .unwrap()["unit"]
            .as_str()
            .map(str::to_lowercase)
    };
    for row in rows {
        let assessor = unit_of(&row["assessor"]["id"]);
        assert!(assessor.is_some(), "the demo's assessors have units");
        assert_ne!(
            row["participant"]["unit"].as_str().map(str::to_lowercase),
            assessor
        );
    }
    let agreement: Value = app
        .get(&format!("/api/v1/campaigns/{id}/agreement"), &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(agreement["submitted_sheets"], 144);
    let alpha = agreement["overall"]["alpha"].as_f64().unwrap();
    assert!(
        alpha > 0.0 && alpha < 1.0,
        "realistic disagreement: α = {alpha}"
    );
    assert!(!agreement["discrepancies"].as_array().unwrap().is_empty());
    let reports: Value = app
        .get(&format!("/api/v1/campaigns/{id}/reports"), &hr)
        .await
        .json()
        .await
        .unwrap();
    let released = reports["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["latest"].is_null())
        .count();
    assert_eq!(released, 5);
    assert_eq!(reports["summary"].as_array().unwrap().len(), 1);
    assert_eq!(reports["summary"][0]["licence_number"], "0123-20-2-1-DEMO");
    // The panel's levels count: some participant's KOM level combines tests and assessors.
    let all: Value = app
        .get(&format!("/api/v1/campaigns/{id}/competencies"), &hr)
        .await
        .json()
        .await
        .unwrap();
    let combined = all["participants"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["levels"].as_array().unwrap().iter())
        .filter(|l| l["computed"]["outcome"]["status"] == "combined")
        .count();
    assert!(combined >= 24, "{combined} combined levels");
}
