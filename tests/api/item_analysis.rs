//! Item analysis of an instrument from the attempts that took it (issue 14, item 7), read from the
//! demo's synthetic campaign: the statistics come from the stored answers, DIF compares sexes from
//! the NIP, the workbook holds the same, and bad requests are refused with their codes.
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use meritest::store::entities::{attempt, response};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

use crate::helpers::{
    assert_error, import, instrument_id, json_with, sample_instrument, synthetic_campaign_id,
    TestApp, DEMO_PASSWORD,
};

const PEOPLE: u32 = 60;

#[tokio::test]
async fn the_item_analysis_of_a_campaign_counts_every_finished_attempt_and_its_difficulties_are_the_shares_of_right_answers(
) {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = PEOPLE).await;
    let psy = app
        .token("psychologist@demo.meritest.id", DEMO_PASSWORD)
        .await;
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let inst = instrument_id(&app, &hr, "NUM-SERIES").await;
    let campaign = synthetic_campaign_id(&app, &hr, PEOPLE).await;
    let report = json_with(
        app.get(
            &format!("/api/v1/instruments/{inst}/item-analysis?campaigns={campaign}&dif=sex&min_group_size=10"),
            &psy,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(report["code"], "NUM-SERIES");
    assert_eq!(report["attempts"], PEOPLE);
    let scales = report["scales"].as_array().unwrap();
    assert_eq!(scales.len(), 1);
    let num = &scales[0];
    assert_eq!(num["scale"], "NUM");
    let test = &num["analysis"]["test"];
    assert_eq!(test["n"], PEOPLE);
    assert_eq!(test["coefficient"], "kr20");
    let kr20 = test["reliability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&kr20), "{kr20}");
    let sem = test["sem"].as_f64().unwrap();
    let sd = test["sd"].as_f64().unwrap();
    assert!((sem - sd * (1.0 - kr20).sqrt()).abs() < 1e-9);

    // Each item's p is the share of the campaign's stored answers that are right, counted here
    // straight from the responses table (an unanswered item counts as wrong).
    let doc = json_with(
        app.get(&format!("/api/v1/instruments/{inst}/export"), &hr)
            .await,
        200,
    )
    .await;
    let attempts: Vec<uuid::Uuid> = attempt::Entity::find()
        .filter(attempt::Column::CampaignId.eq(uuid::Uuid::parse_str(&campaign).unwrap()))
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    let items = num["analysis"]["items"].as_array().unwrap();
    let scored: Vec<&Value> = doc["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["practice"] != true)
        .collect();
    assert_eq!(items.len(), scored.len());
    for (stats, item) in items.iter().zip(&scored) {
        let code = item["code"].as_str().unwrap();
        assert_eq!(stats["code"], code);
        let answers = response::Entity::find()
            .filter(response::Column::ItemCode.eq(code))
            .filter(response::Column::AttemptId.is_in(attempts.clone()))
            .all(&app.ctx.db)
            .await
            .unwrap();
        let right = answers
            .iter()
            .filter(|r| match item["format"].as_str().unwrap() {
                "single_choice" => r.value["choice"] == item["key"],
                _ => {
                    let v = r.value["value"].as_f64().unwrap_or(f64::NAN);
                    (v - item["answer"].as_f64().unwrap()).abs()
                        <= item["tolerance"].as_f64().unwrap_or(0.0)
                }
            })
            .count();
        let p = stats["difficulty"].as_f64().unwrap();
        assert!(
            (p - right as f64 / f64::from(PEOPLE)).abs() < 1e-12,
            "{code}: p {p}, {right} right of {PEOPLE}"
        );
        let omitted = stats["omission_rate"].as_f64().unwrap();
        assert!(
            (omitted - (f64::from(PEOPLE) - answers.len() as f64) / f64::from(PEOPLE)).abs()
                < 1e-12
        );
    }

    // DIF between the sexes, from the NIPs: every keyed item gets a class or says why not.
    let dif = &num["dif"];
    assert_eq!(dif["spec"]["attribute"], "sex");
    assert_eq!(
        dif["reference_n"].as_u64().unwrap()
            + dif["focal_n"].as_u64().unwrap()
            + dif["in_neither"].as_u64().unwrap(),
        u64::from(PEOPLE)
    );
    for d in dif["items"].as_array().unwrap() {
        assert!(
            ["A", "B", "C"].contains(&d["class"].as_str().unwrap_or(""))
                || d["problem"].is_string(),
            "{d}"
        );
    }

    // The workbook holds the same numbers.
    let res = app
        .get(
            &format!("/api/v1/instruments/{inst}/item-analysis?campaigns={campaign}&dif=sex&min_group_size=10&format=xlsx"),
            &hr,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"item-analysis-NUM-SERIES-v1.xlsx\""
    );
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(res.bytes().await.unwrap().to_vec())).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["Ringkasan", "Butir", "Opsi", "DIF"]
    );
    let rows = book.worksheet_range("Butir").unwrap();
    assert_eq!(rows.height(), 1 + items.len());
    assert_eq!(
        rows.get((1, 1)),
        Some(&Data::String(items[0]["code"].as_str().unwrap().to_owned()))
    );
    assert_eq!(
        rows.get((1, 2)),
        Some(&Data::Float(items[0]["difficulty"].as_f64().unwrap()))
    );
    let summary = book.worksheet_range("Ringkasan").unwrap();
    assert_eq!(summary.get((5, 7)), Some(&Data::Float(kr20)));
}

#[tokio::test]
async fn an_analysis_without_enough_attempts_or_with_unclear_groups_is_refused_with_its_code() {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_results = 3).await;
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let list = json_with(app.get("/api/v1/instruments", &hr).await, 200).await;
    let inst = list["instruments"][0]["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/instruments/{inst}/item-analysis");
    let body = assert_error(app.get(&path, &hr).await, 422, "too_few_respondents").await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("3 finished attempts"),
        "{body}"
    );
    assert_error(
        app.get(&format!("{path}?dif=education"), &hr).await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        app.get(&format!("{path}?dif=sex&reference=male&focal=male"), &hr)
            .await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        app.get(&format!("{path}?campaigns=not-an-id"), &hr).await,
        400,
        "invalid_query",
    )
    .await;
    assert_error(
        app.get(&format!("{path}?campaigns={}", uuid::Uuid::new_v4()), &hr)
            .await,
        404,
        "not_found",
    )
    .await;
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let proctor = app.account_with_role(&admin, "proctor").await;
    assert_error(app.get(&path, &proctor).await, 403, "forbidden").await;
    let other = app.second_organisation().await;
    assert_error(app.get(&path, &other).await, 404, "not_found").await;
    // An instrument nobody took: nothing to analyse.
    let fresh = import(&app, &hr, &sample_instrument("FRESH-1", 1)).await;
    let body = assert_error(
        app.get(&format!("/api/v1/instruments/{fresh}/item-analysis"), &hr)
            .await,
        422,
        "too_few_respondents",
    )
    .await;
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("0 finished attempts"),
        "{body}"
    );
}
