//! Bulk enrolment from CSV and access codes.
use serde_json::{json, Value};

use crate::helpers::{assert_error, campaign_doc, create_campaign, demo_hr, TestApp};

/// A demo server with one campaign of two sessions; returns (hr token, campaign id).
async fn campaign(app: &TestApp) -> (String, String) {
    let (hr, battery) = demo_hr(app).await;
    let id = create_campaign(app, &hr, &campaign_doc(&battery)).await;
    (hr, id)
}

async fn upload(
    app: &TestApp,
    token: &str,
    campaign: &str,
    query: &str,
    csv: &str,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!(
            "/api/v1/campaigns/{campaign}/participants/import{query}"
        )))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap()
}

async fn participants(app: &TestApp, token: &str, campaign: &str) -> Vec<Value> {
    let body: Value = app
        .get(&format!("/api/v1/campaigns/{campaign}/participants"), token)
        .await
        .json()
        .await
        .unwrap();
    body["participants"].as_array().unwrap().clone()
}

const GOOD: &str = "nip;name;email;birth_date;education;job_level;position;unit;group;session\r\n\
198503152010121001;Budi Santoso;budi@contoh.go.id;15/03/1985;S1;Pengawas;Kepala Seksi Pelayanan;Dinas Kependudukan;A;Sesi 1\r\n\
199001012015032002;Siti Rahmawati;;1990-01-01;d3;Pelaksana;Pengadministrasi Umum;Kecamatan Utara;;sesi 2\r\n";

#[tokio::test]
async fn hr_enrols_participants_from_a_csv_after_a_dry_run() {
    let app = TestApp::spawn_demo().await;
    let (hr, id) = campaign(&app).await;

    let res = upload(&app, &hr, &id, "?dry_run=true", GOOD).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({"dry_run": true, "enrolled": 2, "participant_count": 2})
    );
    assert_eq!(
        participants(&app, &hr, &id).await.len(),
        0,
        "a dry run stores nothing"
    );

    let res = upload(&app, &hr, &id, "", GOOD).await;
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body,
        json!({"dry_run": false, "enrolled": 2, "participant_count": 2})
    );

    let list = participants(&app, &hr, &id).await;
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["name"], "Budi Santoso");
    assert_eq!(list[0]["nip"], "198503152010121001");
    assert_eq!(list[0]["birth_date"], "1985-03-15");
    assert_eq!(list[0]["education"], "S1");
    assert_eq!(list[0]["group"], "A");
    assert_eq!(list[1]["education"], "D3");
    assert_eq!(list[1]["email"], Value::Null);
    assert_eq!(list[0]["has_access_code"], false);
    let detail: Value = app
        .get(&format!("/api/v1/campaigns/{id}"), &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["participant_count"], 2);
    assert_eq!(list[0]["session"], detail["sessions"][0]["id"]);
    assert_eq!(list[1]["session"], detail["sessions"][1]["id"]);
}

#[tokio::test]
async fn a_file_with_any_invalid_row_enrols_nobody_and_names_every_row() {
    let app = TestApp::spawn_demo().await;
    let (hr, id) = campaign(&app).await;
    let csv = "nip,name,birth_date,education,job_level,session\n\
198503152010121001,Budi Santoso,1985-03-15,S1,Pengawas,Sesi 1\n\
198503152010121,Ani,1985-03-15,S1,Pengawas,Sesi 1\n\
199001012015032002,Siti,1991-01-01,S1,Pelaksana,\n\
199001012015032003,Dewi,1990-01-01,S1,Pelaksana,Sesi 9\n";
    let body = assert_error(
        upload(&app, &hr, &id, "", csv).await,
        422,
        "invalid_enrolment",
    )
    .await;
    let rows: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(rows, [(3, "nip"), (4, "birth_date")], "{body}");
    assert_eq!(participants(&app, &hr, &id).await.len(), 0);

    // With the file itself valid, an unknown session is named by its row, and nobody is enrolled.
    let csv = "nip,name,birth_date,education,job_level,session\n\
198503152010121001,Budi Santoso,1985-03-15,S1,Pengawas,Sesi 1\n\
199001012015032003,Dewi,1990-01-01,S1,Pelaksana,Sesi 9\n";
    let body = assert_error(
        upload(&app, &hr, &id, "", csv).await,
        422,
        "invalid_enrolment",
    )
    .await;
    assert_eq!(body["errors"][0]["row"], 3);
    assert_eq!(body["errors"][0]["field"], "session");
    assert_eq!(body["errors"].as_array().unwrap().len(), 1);
    assert_eq!(participants(&app, &hr, &id).await.len(), 0);
}

#[tokio::test]
async fn a_nip_enrolled_already_and_a_full_session_are_refused() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let mut doc = campaign_doc(&battery);
    doc["sessions"][0]["capacity"] = json!(2);
    let id = &create_campaign(&app, &hr, &doc).await;
    assert_eq!(upload(&app, &hr, id, "", GOOD).await.status(), 201);

    let again = "nip,name,birth_date,education,job_level,session\n\
198503152010121001,Budi Santoso,1985-03-15,S1,Pengawas,Sesi 1\n\
199203042016011003,Rudi,1992-03-04,S1,Pelaksana,Sesi 1\n\
199203042016011004,Rina,1992-03-04,S2,Pelaksana,Sesi 1\n";
    let body = assert_error(
        upload(&app, &hr, id, "", again).await,
        422,
        "invalid_enrolment",
    )
    .await;
    let rows: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    // Sesi 1 holds 2 and has Budi: Budi again is a duplicate (his seat is his already), Rudi
    // fills the session, Rina is one over.
    assert_eq!(rows, [(2, "nip"), (4, "session")], "{body}");
    assert_eq!(participants(&app, &hr, id).await.len(), 2);
}

#[tokio::test]
async fn access_codes_are_shown_once_stored_as_hashes_and_can_be_reissued() {
    let app = TestApp::spawn_demo().await;
    let (hr, id) = campaign(&app).await;
    assert_eq!(upload(&app, &hr, &id, "", GOOD).await.status(), 201);

    let res = app
        .post(&format!("/api/v1/campaigns/{id}/access-codes"), &hr)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let issued: Value = res.json().await.unwrap();
    let codes = issued["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 2);
    let first = codes[0]["code"].as_str().unwrap().to_owned();
    assert_eq!(first.len(), 11);
    assert_eq!(&first[5..6], "-");
    assert!(first
        .chars()
        .filter(|c| *c != '-')
        .all(|c| "23456789ACDEFGHJKMNPQRTUVWXY".contains(c)));
    assert_ne!(codes[0]["code"], codes[1]["code"]);

    // Issuing again gives codes only to those without one: nobody now.
    let again: Value = app
        .post(&format!("/api/v1/campaigns/{id}/access-codes"), &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["codes"], json!([]));

    // The list says who has a code but never shows it; the database holds only a hash.
    let list = participants(&app, &hr, &id).await;
    assert!(list.iter().all(|p| p["has_access_code"] == true));
    let text = serde_json::to_string(&list).unwrap();
    assert!(!text.contains(&first) && !text.contains(&first.replace('-', "")));
    let pid = codes[0]["participant"].as_str().unwrap();
    let stored = meritest::store::campaigns::find_by_access_code(
        &app.ctx.db,
        &meritest::domain::access_code::AccessCode::parse(&first)
            .unwrap()
            .digest(&app.ctx.code_key),
    )
    .await
    .unwrap()
    .expect("the code's hash finds its participant");
    assert_eq!(stored.id.to_string(), pid);
    assert_ne!(stored.access_code_hash.as_deref(), Some(first.as_str()));

    // Reissue: a new code, and the old one no longer finds anyone.
    let res = app
        .post(
            &format!("/api/v1/campaigns/{id}/participants/{pid}/access-code"),
            &hr,
        )
        .await;
    assert_eq!(res.status(), 200);
    let new: Value = res.json().await.unwrap();
    assert_ne!(new["code"].as_str().unwrap(), first);
    let old = meritest::store::campaigns::find_by_access_code(
        &app.ctx.db,
        &meritest::domain::access_code::AccessCode::parse(&first)
            .unwrap()
            .digest(&app.ctx.code_key),
    )
    .await
    .unwrap();
    assert!(old.is_none(), "the old code died");
}

#[tokio::test]
async fn codes_download_as_a_semicolon_csv() {
    let app = TestApp::spawn_demo().await;
    let (hr, id) = campaign(&app).await;
    assert_eq!(upload(&app, &hr, &id, "", GOOD).await.status(), 201);
    let res = app
        .post(
            &format!("/api/v1/campaigns/{id}/access-codes?format=csv"),
            &hr,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    let text = res.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], "nip;name;session;code");
    assert!(lines[1].starts_with("198503152010121001;Budi Santoso;Sesi 1;"));
    assert_error(
        app.post(
            &format!("/api/v1/campaigns/{id}/access-codes?format=pdf"),
            &hr,
        )
        .await,
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn another_organisation_can_neither_enrol_into_nor_see_a_campaign() {
    let app = TestApp::spawn_demo().await;
    let (hr, id) = campaign(&app).await;
    assert_eq!(upload(&app, &hr, &id, "", GOOD).await.status(), 201);
    let other = app.second_organisation().await;
    assert_error(upload(&app, &other, &id, "", GOOD).await, 404, "not_found").await;
    assert_error(
        app.get(&format!("/api/v1/campaigns/{id}/participants"), &other)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.post(&format!("/api/v1/campaigns/{id}/access-codes"), &other)
            .await,
        404,
        "not_found",
    )
    .await;
    let pid = participants(&app, &hr, &id).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_error(
        app.post(
            &format!("/api/v1/campaigns/{id}/participants/{pid}/access-code"),
            &other,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn ten_thousand_participants_are_enrolled_in_one_upload() {
    let app = TestApp::spawn_demo().await;
    let (hr, battery) = demo_hr(&app).await;
    let mut doc = campaign_doc(&battery);
    doc["sessions"][0]["capacity"] = json!(20000);
    let id = &create_campaign(&app, &hr, &doc).await;
    let mut csv = String::from("nip;name;birth_date;education;job_level;session\n");
    for day in 1..=11u32 {
        for seq in 1..=999u32 {
            if (day - 1) * 999 + seq > 10_000 {
                break;
            }
            csv.push_str(&format!(
                "198001{day:02}2005011{seq:03};Peserta {day}-{seq};1980-01-{day:02};S1;Pelaksana;Sesi 1\n"
            ));
        }
    }
    let started = std::time::Instant::now();
    let res = upload(&app, &hr, id, "", &csv).await;
    let elapsed = started.elapsed();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["enrolled"], 10_000);
    eprintln!("enrolled 10,000 participants in {elapsed:?}");
    assert_eq!(participants(&app, &hr, id).await.len(), 10_000);
}
