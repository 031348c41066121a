//! Local norms (issue 14, item 6): a norm table built from the demo's synthetic campaign for the
//! number-series scale, previewed beside the illustrative table in use, published as version 2,
//! and a re-scoring that moves the campaign's scores to it while keeping the old ones.
use meritest::store::entities::score_history;
use sea_orm::EntityTrait;
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, instrument_id, json_with, synthetic_campaign_id, TestApp, DEMO_PASSWORD,
};

const PEOPLE: u32 = 40;

/// The NUM raw scores of the campaign's participants, with their NIPs.
async fn num_scores(app: &TestApp, hr: &str, campaign: &str) -> Vec<(String, f64, Value)> {
    let results = json_with(
        app.get(&format!("/api/v1/campaigns/{campaign}/results"), hr)
            .await,
        200,
    )
    .await;
    results["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| {
            let s = p["scores"]
                .as_array()?
                .iter()
                .find(|s| s["instrument"] == "NUM-SERIES" && s["scale"] == "NUM")?;
            Some((
                p["participant"]["nip"].as_str()?.to_owned(),
                s["raw"].as_f64()?,
                s.clone(),
            ))
        })
        .collect()
}

#[tokio::test]
async fn a_local_norm_is_built_by_the_midpoint_rule_published_as_the_next_version_and_used_by_a_rescoring(
) {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = PEOPLE).await;
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let psy = app
        .token("psychologist@demo.meritest.id", DEMO_PASSWORD)
        .await;
    let inst = instrument_id(&app, &hr, "NUM-SERIES").await;
    let campaign = synthetic_campaign_id(&app, &hr, PEOPLE).await;
    let before = num_scores(&app, &hr, &campaign).await;
    assert_eq!(before.len(), PEOPLE as usize);

    let versions = json_with(
        app.get(&format!("/api/v1/instruments/{inst}/norms"), &psy)
            .await,
        200,
    )
    .await;
    let umum: Vec<&Value> = versions
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["scale"] == "NUM" && v["group"] == "umum")
        .collect();
    assert_eq!(umum.len(), 1);
    assert_eq!(umum[0]["version"], 1);
    assert_eq!(umum[0]["in_use"], true);
    let old_id = umum[0]["id"].as_str().unwrap().to_owned();
    let old_name = umum[0]["table"]["name"].clone();

    let request = json!({"scale": "NUM", "group": "umum", "name": {"id": "Umum (norma lokal)", "en": "General (local norm)"},
        "campaigns": [campaign]});
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
    assert_eq!(preview["scored"], PEOPLE);
    assert_eq!(preview["matched"], PEOPLE);
    assert_eq!(preview["table"]["n"], PEOPLE);
    assert_eq!(preview["table"]["illustrative"], false);
    assert_eq!(preview["warnings"][0]["code"], "small_sample");
    assert_eq!(preview["current"]["version"], 1);
    assert!(preview["comparison"]["rows"].as_array().unwrap().len() > 1);
    // Every observed raw score's rank is 100·(below + ½·equal)/N, worked here from the scores.
    let raws: Vec<f64> = before.iter().map(|(_, r, _)| *r).collect();
    let rows = preview["table"]["table"].as_array().unwrap();
    for row in rows {
        let x = row["raw"].as_f64().unwrap();
        let below = raws.iter().filter(|r| **r < x).count() as f64;
        let equal = raws.iter().filter(|r| **r == x).count() as f64;
        let pr = 100.0 * (below + 0.5 * equal) / f64::from(PEOPLE);
        assert!((row["pr"].as_f64().unwrap() - pr).abs() < 1e-9, "raw {x}");
    }
    let mean = raws.iter().sum::<f64>() / f64::from(PEOPLE);
    assert!((preview["table"]["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
    // The preview stored nothing.
    let again = json_with(
        app.get(&format!("/api/v1/instruments/{inst}/norms"), &psy)
            .await,
        200,
    )
    .await;
    assert_eq!(again, versions);

    // A filter narrows the sample: women only, by the NIP's 15th digit.
    let mut women = request.clone();
    women["filter"] = json!({"sex": "female"});
    let w = json_with(
        app.post_json(
            &format!("/api/v1/instruments/{inst}/norms/preview"),
            &psy,
            &women,
        )
        .await,
        200,
    )
    .await;
    let female = before
        .iter()
        .filter(|(nip, _, _)| &nip[14..15] == "2")
        .count();
    assert_eq!(w["matched"], female);

    let published = json_with(
        app.post_json(&format!("/api/v1/instruments/{inst}/norms"), &psy, &request)
            .await,
        201,
    )
    .await;
    assert_eq!(published["published"]["version"], 2);
    assert_eq!(published["superseded"], 1);
    let new_id = published["published"]["id"].as_str().unwrap().to_owned();
    let versions = json_with(
        app.get(&format!("/api/v1/instruments/{inst}/norms"), &psy)
            .await,
        200,
    )
    .await;
    let umum: Vec<(i64, bool)> = versions
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["scale"] == "NUM" && v["group"] == "umum")
        .map(|v| {
            (
                v["version"].as_i64().unwrap(),
                v["in_use"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(umum, [(2, true), (1, false)]);
    // Scores already made still name the table they used, by its id and its own name.
    assert!(num_scores(&app, &hr, &campaign)
        .await
        .iter()
        .all(|(_, _, s)| s["norm_table"] == old_id.as_str() && s["norm_table_name"] == old_name));

    // Re-scoring moves them to the new table and keeps the replaced scores.
    let kept_before = score_history::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .len();
    assert_eq!(kept_before, 0);
    json_with(
        app.post_json(
            &format!("/api/v1/campaigns/{campaign}/rescore"),
            &hr,
            &json!({"reason": "local norm"}),
        )
        .await,
        200,
    )
    .await;
    let after = num_scores(&app, &hr, &campaign).await;
    let table = &published["published"]["table"]["table"];
    for (_, raw, s) in &after {
        assert_eq!(s["norm_table"], new_id.as_str());
        assert_eq!(
            s["norm_table_name"],
            json!({"id": "Umum (norma lokal)", "en": "General (local norm)"})
        );
        let expected = table
            .as_array()
            .unwrap()
            .iter()
            .rev()
            .find(|r| r["raw"].as_f64().unwrap() <= *raw)
            .unwrap()["pr"]
            .as_f64()
            .unwrap();
        assert!((s["pr"].as_f64().unwrap() - expected).abs() < 1e-9);
    }
    let kept = score_history::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap();
    assert!(kept.len() >= PEOPLE as usize, "{}", kept.len());
    assert!(kept
        .iter()
        .filter(|k| k.scale_code == "NUM")
        .all(|k| k.norm_table_id.map(|u| u.to_string()) == Some(old_id.clone())));
    let actions: Vec<String> = app
        .audit_of("demo")
        .await
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(
        actions.contains(&"norm_table.publish".to_owned()),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_norm_build_that_cannot_be_done_is_refused_with_its_code_and_stores_nothing() {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = 5).await;
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let inst = instrument_id(&app, &hr, "NUM-SERIES").await;
    let campaign = synthetic_campaign_id(&app, &hr, 5).await;
    let path = format!("/api/v1/instruments/{inst}/norms");
    let versions = json_with(app.get(&path, &hr).await, 200).await;
    let body = assert_error(
        app.post_json(
            &path,
            &hr,
            &json!({"scale": "NOPE", "group": "umum", "name": {"id": "x"}, "campaigns": []}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["scale", "campaigns"]);
    // Nobody in the sample: a 20-to-21-year-old band.
    assert_error(
        app.post_json(
            &path,
            &hr,
            &json!({"scale": "NUM", "group": "muda", "name": {"id": "Muda"}, "campaigns": [campaign],
                "filter": {"age": {"min": 20, "max": 21}}}),
        )
        .await,
        422,
        "too_few_respondents",
    )
    .await;
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let proctor = app.account_with_role(&admin, "proctor").await;
    assert_error(app.get(&path, &proctor).await, 403, "forbidden").await;
    // Another organisation's administrator finds neither the instrument nor the campaign.
    let other = app.second_organisation().await;
    assert_error(app.get(&path, &other).await, 404, "not_found").await;
    let request =
        json!({"scale": "NUM", "group": "umum", "name": {"id": "Umum"}, "campaigns": [campaign]});
    assert_error(
        app.post_json(&path, &other, &request).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(json_with(app.get(&path, &hr).await, 200).await, versions);
}
