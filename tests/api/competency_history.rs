//! The organisation's view across campaigns: a person's history by NIP with the day each result
//! stops being valid, and JPM and IP ASN by unit (as a hierarchy) and year.
use serde_json::{json, Value};

use crate::competency_listing::{four_finished, PEOPLE};
use crate::helpers::{
    assert_error, candidate, json_with, setup, take_sjt, TestApp, DEMO_PASSWORD, NIP,
};

fn jpm_of(results: &Value, nip: &str) -> f64 {
    results["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["nip"] == nip)
        .unwrap()["jpm"]["jpm"]["percent"]
        .as_f64()
        .unwrap()
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[tokio::test]
async fn a_persons_history_lists_each_campaign_newest_first_and_says_when_a_result_expires() {
    let app = TestApp::spawn_demo().await;
    let first = four_finished(&app).await;
    let second = setup(&app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(&app, &candidate(&app, &second.code).await, 2).await;
    let path = format!("/api/v1/competency-history?nip={NIP}");
    let body = json_with(app.get(&path, &first.hr).await, 200).await;
    assert_eq!(body["nip"], NIP);
    assert_eq!(body["validity_years"], 3);
    let entries = body["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    let mut campaigns: Vec<&str> = entries
        .iter()
        .map(|e| e["campaign"].as_str().unwrap())
        .collect();
    campaigns.sort();
    let mut want = vec![first.campaign.as_str(), second.campaign.as_str()];
    want.sort();
    assert_eq!(campaigns, want);
    for e in entries {
        let campaign = e["campaign"].as_str().unwrap();
        let results = json_with(
            app.get(
                &format!("/api/v1/campaigns/{campaign}/competencies"),
                &first.hr,
            )
            .await,
            200,
        )
        .await;
        assert_eq!(e["jpm"].as_f64(), Some(jpm_of(&results, NIP)));
        assert_eq!(e["rules"], results["rules"]);
        let view = json_with(
            app.get(&format!("/api/v1/campaigns/{campaign}"), &first.hr)
                .await,
            200,
        )
        .await;
        let starts: chrono::DateTime<chrono::Utc> = view["sessions"][0]["starts_at"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let day = starts
            .with_timezone(&chrono::FixedOffset::east_opt(7 * 3600).unwrap())
            .date_naive();
        assert_eq!(e["assessed_on"], day.to_string());
        let until = chrono::NaiveDate::from_ymd_opt(
            chrono::Datelike::year(&day) + 3,
            chrono::Datelike::month(&day),
            chrono::Datelike::day(&day),
        )
        .unwrap_or_else(|| {
            chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&day) + 3, 2, 28).unwrap()
        })
        .pred_opt()
        .unwrap();
        assert_eq!(e["valid_until"], until.to_string());
        assert_eq!(e["expired"], false);
    }

    // Three years and two days later both results have expired.
    app.advance(std::time::Duration::from_secs((3 * 366 + 2) * 86_400));
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let later = json_with(app.get(&path, &hr).await, 200).await;
    assert!(later["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["expired"] == true));
}

#[tokio::test]
async fn a_history_needs_a_well_formed_nip_and_is_the_organisations_own() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(&app, &candidate(&app, &s.code).await, 2).await;
    for q in ["", "?nip=123", "?nip=198503152010121001&x=1"] {
        assert_error(
            app.get(&format!("/api/v1/competency-history{q}"), &s.hr)
                .await,
            400,
            "invalid_query",
        )
        .await;
    }
    let path = format!("/api/v1/competency-history?nip={NIP}");
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(app.get(&path, &proctor).await, 403, "forbidden").await;
    let other = app.second_organisation().await;
    let body = json_with(app.get(&path, &other).await, 200).await;
    assert_eq!(body["entries"], json!([]));
    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    let body = json_with(app.get(&path, &assessor).await, 200).await;
    assert_eq!(body["entries"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_overview_gives_jpm_by_unit_and_year_with_units_as_a_hierarchy() {
    let app = TestApp::spawn_demo().await;
    let s = four_finished(&app).await;
    let results = json_with(
        app.get(
            &format!("/api/v1/campaigns/{}/competencies", s.campaign),
            &s.hr,
        )
        .await,
        200,
    )
    .await;
    let view = json_with(
        app.get(&format!("/api/v1/campaigns/{}", s.campaign), &s.hr)
            .await,
        200,
    )
    .await;
    let year: i64 = view["closes_at"].as_str().unwrap()[..4].parse().unwrap();
    let body = json_with(app.get("/api/v1/competency-overview", &s.hr).await, 200).await;
    assert_eq!(body["years"], json!([year]));
    let all: f64 = [NIP, PEOPLE[0].0, PEOPLE[1].0, PEOPLE[2].0]
        .iter()
        .map(|n| jpm_of(&results, n))
        .sum();
    assert_eq!(body["total"][0]["assessed"], 4);
    assert_eq!(body["total"][0]["with_jpm"], 4);
    assert_eq!(
        body["total"][0]["jpm_mean"].as_f64(),
        Some(round2(all / 4.0))
    );
    let units: Vec<(String, u64, Value)> = body["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().unwrap().to_owned(),
                u["depth"].as_u64().unwrap(),
                u["parent"].clone(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("Dinas Kesehatan".to_owned(), 0, Value::Null),
            (PEOPLE[0].3.to_owned(), 1, json!("Dinas Kesehatan")),
            (PEOPLE[1].3.to_owned(), 1, json!("Dinas Kesehatan")),
            ("Dinas Pendidikan".to_owned(), 0, Value::Null),
        ]
    );
    let health = &body["units"][0]["years"][0];
    assert_eq!(health["year"], year);
    assert_eq!(health["assessed"], 2);
    assert_eq!(
        health["jpm_mean"].as_f64(),
        Some(round2(
            (jpm_of(&results, PEOPLE[0].0) + jpm_of(&results, PEOPLE[1].0)) / 2.0
        ))
    );
    assert_eq!(body["units"][1]["name"], "Bidang Pelayanan");
    assert_eq!(body["campaigns"][0]["assessed"], 4);

    // A range without the campaign's year is empty; a backwards range is refused.
    let none = json_with(
        app.get(
            &format!("/api/v1/competency-overview?from_year={}", year + 1),
            &s.hr,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(none["units"], json!([]));
    assert_eq!(none["years"], json!([]));
    let body = assert_error(
        app.get(
            "/api/v1/competency-overview?from_year=2030&to_year=2020",
            &s.hr,
        )
        .await,
        400,
        "invalid_query",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "to_year");
}
