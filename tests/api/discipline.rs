//! Discipline records by NIP: the CSV import (dry run, all or nothing, replace), reading a
//! person's records, roles, tenancy, and the latest-record lookup the professionalism index will
//! use.
use meritest::domain::discipline::{Discipline, DisciplineLevel, YearDiscipline};
use meritest::domain::yearly_record::Year;
use meritest::services::discipline::latest_discipline;
use meritest::store::entities::discipline_record::{Column, Entity};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{
    assert_error, json_with, nip, organisation_id, problems, this_year, upload_csv, TestApp,
};

const IMPORT: &str = "/api/v1/discipline-records/import";
const DRY_RUN: &str = "/api/v1/discipline-records/import?dry_run=true";
const BUDI: &str = "198503152010121001";
const SITI: &str = "199001012015032045";
const RUDI: &str = "199203042016011003";

async fn hr(app: &TestApp) -> String {
    let admin = app.admin_token().await;
    app.account_with_role(&admin, "hr").await
}

/// Every stored record of every organisation: (nip, year, level, note), by NIP and year.
async fn stored(app: &TestApp) -> Vec<(String, i32, String, Option<String>)> {
    Entity::find()
        .order_by_asc(Column::Nip)
        .order_by_asc(Column::Year)
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.nip, r.year, r.level, r.note))
        .collect()
}

/// A person's records as (year, level, note), newest first, after checking each carries its
/// import time.
async fn records_of(app: &TestApp, token: &str, nip: &str) -> Vec<(i64, Value, Value)> {
    let body = json_with(
        app.get(&format!("/api/v1/discipline-records?nip={nip}"), token)
            .await,
        200,
    )
    .await;
    assert_eq!(body["nip"], nip);
    body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert!(r["imported_at"].is_string(), "{r}");
            (
                r["year"].as_i64().unwrap(),
                r["level"].clone(),
                r["note"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn hr_imports_discipline_records_after_a_dry_run_that_stores_nothing() {
    let app = TestApp::spawn().await;
    let hr = hr(&app).await;
    let y = this_year(&app);
    let csv = format!(
        "NIP;Year;Level;Note\r\n\
         {BUDI};{};Tidak Ada;\r\n\
         {BUDI};{y};ringan;SK 800/12/{y}\r\n\
         {SITI};{y};heavy;\r\n",
        y - 1
    );
    let sha = hex::encode(Sha256::digest(csv.as_bytes()));
    assert_eq!(
        json_with(upload_csv(&app, &hr, DRY_RUN, &csv).await, 200).await,
        json!({"dry_run": true, "rows": 3, "created": 3, "replaced": 0, "unchanged": 0,
               "file_sha256": sha})
    );
    assert_eq!(stored(&app).await, [], "a dry run stores nothing");

    assert_eq!(
        json_with(upload_csv(&app, &hr, IMPORT, &csv).await, 201).await,
        json!({"dry_run": false, "rows": 3, "created": 3, "replaced": 0, "unchanged": 0,
               "file_sha256": sha})
    );
    assert_eq!(
        stored(&app).await,
        [
            (BUDI.to_owned(), y - 1, "none".to_owned(), None),
            (
                BUDI.to_owned(),
                y,
                "light".to_owned(),
                Some(format!("SK 800/12/{y}"))
            ),
            (SITI.to_owned(), y, "heavy".to_owned(), None),
        ]
    );
    assert_eq!(
        records_of(&app, &hr, BUDI).await,
        [
            (
                i64::from(y),
                json!("light"),
                json!(format!("SK 800/12/{y}"))
            ),
            (i64::from(y - 1), json!("none"), Value::Null),
        ]
    );
    let entry = app
        .audit_of("test-org")
        .await
        .into_iter()
        .find(|e| e.action == "discipline_records.import")
        .expect("the import is audited");
    assert_eq!(entry.target_type, "discipline_records");
    assert!(entry.actor_account_id.is_some());
    assert_eq!(
        entry.after,
        Some(json!({"rows": 3, "created": 3, "replaced": 0, "unchanged": 0, "file_sha256": sha}))
    );
}

#[tokio::test]
async fn re_importing_a_year_replaces_its_record_and_the_reply_counts_each_change() {
    let app = TestApp::spawn().await;
    let hr = hr(&app).await;
    let y = this_year(&app);
    let first = format!("nip,year,level\n{BUDI},{},none\n{BUDI},{y},light\n", y - 1);
    json_with(upload_csv(&app, &hr, IMPORT, &first).await, 201).await;
    let second = format!(
        "nip,year,level,note\n{BUDI},{},none,\n{BUDI},{y},moderate,banding ditolak\n\
         {RUDI},{y},berat,\n",
        y - 1
    );
    let out = json_with(upload_csv(&app, &hr, IMPORT, &second).await, 201).await;
    assert_eq!(
        (&out["created"], &out["replaced"], &out["unchanged"]),
        (&json!(1), &json!(1), &json!(1))
    );
    assert_eq!(
        records_of(&app, &hr, BUDI).await[0],
        (i64::from(y), json!("moderate"), json!("banding ditolak"))
    );
    let last = app
        .audit_of("test-org")
        .await
        .into_iter()
        .rfind(|e| e.action == "discipline_records.import")
        .unwrap();
    assert_eq!(
        last.before,
        Some(json!({"replaced": [{"nip": BUDI, "year": y,
            "record": {"level": "light", "note": null}}]}))
    );
    // A note alone changing is a replacement too.
    let third = format!("nip,year,level,note\n{BUDI},{y},moderate,\n");
    let out = json_with(upload_csv(&app, &hr, IMPORT, &third).await, 201).await;
    assert_eq!(out["replaced"], 1);
    assert_eq!(stored(&app).await.len(), 3);
}

#[tokio::test]
async fn a_file_with_any_bad_row_imports_nothing_and_names_every_row_and_column() {
    let app = TestApp::spawn().await;
    let hr = hr(&app).await;
    let y = this_year(&app);
    let csv = format!(
        "nip,year,level\n\
         {BUDI},{y},none\n\
         198503152010123001,{y},none\n\
         {SITI},99,none\n\
         {RUDI},{y},pemecatan\n\
         19850315 201012 1 001,{y},light\n",
    );
    let body = assert_error(
        upload_csv(&app, &hr, IMPORT, &csv).await,
        422,
        "invalid_discipline_records",
    )
    .await;
    assert_eq!(
        problems(&body),
        [
            (3, "nip".to_owned()),
            (4, "year".to_owned()),
            (5, "level".to_owned()),
            (6, "year".to_owned()),
        ]
    );
    assert_eq!(
        body["message"],
        "the discipline records file has 4 problem(s); nothing was imported"
    );
    assert_eq!(
        body["errors"][1]["message"],
        format!("'99' is not a year: write the year with four digits, e.g. {y}")
    );
    assert_eq!(stored(&app).await, []);
}

#[tokio::test]
async fn roles_and_organisations_are_kept_apart() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let hr = app.account_with_role(&admin, "hr").await;
    let y = this_year(&app);
    let csv = format!("nip,year,level\n{BUDI},{y},light\n");
    json_with(upload_csv(&app, &hr, IMPORT, &csv).await, 201).await;
    for role in ["assessor", "psychologist"] {
        let token = app.account_with_role(&admin, role).await;
        assert_eq!(
            records_of(&app, &token, BUDI).await,
            [(i64::from(y), json!("light"), Value::Null)],
            "{role} reads"
        );
        assert_error(
            upload_csv(&app, &token, IMPORT, &csv).await,
            403,
            "forbidden",
        )
        .await;
    }
    let proctor = app.account_with_role(&admin, "proctor").await;
    assert_error(
        app.get(&format!("/api/v1/discipline-records?nip={BUDI}"), &proctor)
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        upload_csv(&app, &proctor, IMPORT, &csv).await,
        403,
        "forbidden",
    )
    .await;

    let other = app.second_organisation().await;
    assert_eq!(records_of(&app, &other, BUDI).await, []);
    let out = json_with(
        upload_csv(
            &app,
            &other,
            IMPORT,
            &format!("nip,year,level\n{BUDI},{y},none\n"),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(out["created"], 1);
    assert_eq!(
        records_of(&app, &hr, BUDI).await,
        [(i64::from(y), json!("light"), Value::Null)]
    );
    assert_error(
        app.get("/api/v1/discipline-records?nip=", &hr).await,
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn the_latest_record_up_to_a_year_is_found_or_there_is_none() {
    let app = TestApp::spawn().await;
    let hr = hr(&app).await;
    let y = this_year(&app);
    let csv = format!(
        "nip,year,level,note\n{BUDI},{},light,teguran\n{BUDI},{},none,\n",
        y - 3,
        y - 1
    );
    json_with(upload_csv(&app, &hr, IMPORT, &csv).await, 201).await;
    let org = organisation_id(&app, "test-org").await;
    let budi = nip(&app, BUDI);
    let record = |year: i32, level, note: Option<&str>| {
        Some(YearDiscipline {
            year: Year::stored(year),
            record: Discipline {
                level,
                note: note.map(str::to_owned),
            },
        })
    };
    assert_eq!(
        latest_discipline(&app.ctx, org, &budi, y).await.unwrap(),
        record(y - 1, DisciplineLevel::None, None)
    );
    assert_eq!(
        latest_discipline(&app.ctx, org, &budi, y - 2)
            .await
            .unwrap(),
        record(y - 3, DisciplineLevel::Light, Some("teguran"))
    );
    assert_eq!(
        latest_discipline(&app.ctx, org, &budi, y - 4)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        latest_discipline(&app.ctx, org, &nip(&app, SITI), y)
            .await
            .unwrap(),
        None
    );
}
