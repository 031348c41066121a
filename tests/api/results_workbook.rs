//! The results as an Excel workbook (`GET /api/v1/campaigns/{id}/results?format=xlsx`): opened
//! with a spreadsheet reader, its cells are the results' numbers, typed, with the norm tables and
//! versions that produced them.
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::helpers::{
    answer, assert_error, candidate, cell, column, demo_hr, import, sample_instrument, setup,
    start, TestApp, DEMO_PASSWORD, NIP,
};

#[tokio::test]
async fn the_results_workbook_has_a_summary_a_row_per_participant_and_the_rules_used() {
    let app = TestApp::spawn_demo().await;
    let (hr, _) = demo_hr(&app).await;
    // A norm table whose name a spreadsheet would run as a formula: in the workbook it is text.
    let mut doc = sample_instrument("BOOK", 1);
    doc["norms"][0]["name"] = json!({"id": "=Umum (ilustratif)"});
    import(&app, &hr, &doc).await;
    let s = setup(&app, &[("BOOK", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    let item = &section["items"][0];
    let res = answer(
        &app,
        &token,
        json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": 1}),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.post("/api/v1/candidate/finish", &token).await.status(),
        200
    );
    let results: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    let scores = results["participants"][0]["scores"].as_array().unwrap();
    let num = scores.iter().find(|x| x["scale"] == "NUM").unwrap();

    let res = app
        .get(
            &format!("/api/v1/campaigns/{}/results?format=xlsx", s.campaign),
            &s.hr,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        res.headers()["content-disposition"],
        format!("attachment; filename=\"results-{}.xlsx\"", s.campaign).as_str()
    );
    assert_eq!(res.headers()["cache-control"], "no-store");
    let bytes = res.bytes().await.unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["Ringkasan", "Peserta", "Aturan dan versi"]
    );

    let summary = book.worksheet_range("Ringkasan").unwrap();
    let count = |label: &str| {
        (0..summary.height() as u32)
            .find(|&r| cell(&summary, r, 0) == Data::String(label.to_owned()))
            .map(|r| cell(&summary, r, 1))
    };
    assert_eq!(count("Peserta / Participants"), Some(Data::Float(1.0)));
    assert_eq!(count("Selesai / Finished"), Some(Data::Float(1.0)));
    assert_eq!(count("Belum mulai / Not started"), Some(Data::Float(0.0)));

    let people = book.worksheet_range("Peserta").unwrap();
    assert_eq!(people.height(), 2, "a header and one participant");
    assert_eq!(cell(&people, 0, 0), Data::String("NIP".into()));
    assert_eq!(
        cell(&people, 1, 0),
        Data::String(NIP.into()),
        "the NIP is text, not a number"
    );
    assert_eq!(
        cell(&people, 1, column(&people, "Status")),
        Data::String("finished".into())
    );
    let raw = column(&people, "BOOK.NUM mentah");
    assert_eq!(
        cell(&people, 1, raw),
        Data::Float(num["raw"].as_f64().unwrap())
    );
    assert_eq!(
        cell(&people, 1, column(&people, "BOOK.NUM persentil")),
        Data::Float(num["pr"].as_f64().unwrap())
    );
    assert_eq!(
        cell(&people, 1, column(&people, "BOOK.NUM T")),
        Data::Float(num["t"].as_f64().unwrap())
    );
    assert_eq!(
        cell(&people, 1, column(&people, "BOOK.NUM tabel norma")),
        Data::String(num["norm_table"].as_str().unwrap().to_owned())
    );

    let rules = book.worksheet_range("Aturan dan versi").unwrap();
    let row = (1..rules.height() as u32)
        .find(|&r| cell(&rules, r, 2) == Data::String("NUM".into()))
        .expect("a row for the NUM scale");
    assert_eq!(cell(&rules, row, 0), Data::String("BOOK".into()));
    assert_eq!(cell(&rules, row, 1), Data::Float(1.0));
    assert_eq!(cell(&rules, row, 3), Data::String("umum".into()));
    assert_eq!(
        cell(&rules, row, 4),
        Data::String(num["norm_table"].as_str().unwrap().to_owned())
    );
    assert_eq!(
        cell(&rules, row, 5),
        Data::String("=Umum (ilustratif)".into()),
        "a formula-like name stays text"
    );
    assert_eq!(
        cell(&rules, row, 7),
        Data::String(num["scoring_version"].as_str().unwrap().to_owned())
    );
    assert_eq!(cell(&rules, row, 8), Data::Float(1.0), "one participant");
}

#[tokio::test]
async fn the_workbook_is_for_hr_of_the_campaigns_organisation_only() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let path = format!("/api/v1/campaigns/{}/results?format=xlsx", s.campaign);
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(app.get(&path, &proctor).await, 403, "forbidden").await;
    let unknown = format!(
        "/api/v1/campaigns/{}/results?format=xlsx",
        uuid::Uuid::new_v4()
    );
    assert_error(app.get(&unknown, &s.hr).await, 404, "not_found").await;
    let pdf = format!("/api/v1/campaigns/{}/results?format=pdf", s.campaign);
    assert_error(app.get(&pdf, &s.hr).await, 400, "invalid_query").await;
}
