//! SKP performance ratings by NIP: the CSV import (dry run, all or nothing, replace), reading a
//! person's ratings, roles, tenancy, and the last-two-years lookup the 9-box will use.
use meritest::domain::performance::{Expectation, Predicate, Rating, YearRating};
use meritest::domain::yearly_record::Year;
use meritest::services::performance::last_two_years;
use meritest::store::entities::performance_rating::{Column, Entity};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{
    assert_error, json_with, nip, organisation_id, problems, this_year, upload_csv, TestApp,
};

const IMPORT: &str = "/api/v1/performance-ratings/import";
const DRY_RUN: &str = "/api/v1/performance-ratings/import?dry_run=true";
const BUDI: &str = "198503152010121001";
const SITI: &str = "199001012015032045";
const RUDI: &str = "199203042016011003";

/// A server with its administrator, and an HR account: (admin token, hr token).
async fn staff(app: &TestApp) -> (String, String) {
    let admin = app.admin_token().await;
    let hr = app.account_with_role(&admin, "hr").await;
    (admin, hr)
}

async fn account_id(app: &TestApp, token: &str) -> String {
    let me: Value = app
        .get("/api/v1/auth/me", token)
        .await
        .json()
        .await
        .unwrap();
    me["id"].as_str().unwrap().to_owned()
}

/// Every stored rating of every organisation: (nip, year, predicate, work results, work
/// behaviour), by NIP and year.
async fn stored(app: &TestApp) -> Vec<(String, i32, String, Option<String>, Option<String>)> {
    Entity::find()
        .order_by_asc(Column::Nip)
        .order_by_asc(Column::Year)
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.nip, r.year, r.predicate, r.work_results, r.work_behaviour))
        .collect()
}

/// A person's ratings as (year, predicate, work results, work behaviour), newest first, after
/// checking each carries its import time.
async fn ratings_of(app: &TestApp, token: &str, nip: &str) -> Vec<(i64, Value, Value, Value)> {
    let body = json_with(
        app.get(&format!("/api/v1/performance-ratings?nip={nip}"), token)
            .await,
        200,
    )
    .await;
    assert_eq!(body["nip"], nip.replace("%20", ""));
    body["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert!(r["imported_at"].is_string(), "{r}");
            (
                r["year"].as_i64().unwrap(),
                r["predicate"].clone(),
                r["work_results"].clone(),
                r["work_behaviour"].clone(),
            )
        })
        .collect()
}

fn sha256(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[tokio::test]
async fn hr_imports_ratings_of_people_nobody_enrolled_after_a_dry_run_that_stores_nothing() {
    let app = TestApp::spawn().await;
    let (_, hr) = staff(&app).await;
    let y = this_year(&app);
    // Nobody is enrolled anywhere: ratings may come before a campaign enrols the person.
    let csv = format!(
        "nip;year;rating;work_results;work_behaviour\r\n\
         {BUDI};{};Sangat Baik;di atas ekspektasi;Di Atas\r\n\
         {BUDI};{};baik;;\r\n\
         19900101 201503 2 045;{};Needs improvement;di bawah;sesuai\r\n",
        y - 2,
        y - 1,
        y - 1
    );

    let dry = json_with(upload_csv(&app, &hr, DRY_RUN, &csv).await, 200).await;
    assert_eq!(
        dry,
        json!({"dry_run": true, "rows": 3, "created": 3, "replaced": 0, "unchanged": 0,
               "file_sha256": sha256(&csv)})
    );
    assert_eq!(stored(&app).await, [], "a dry run stores nothing");
    assert_eq!(ratings_of(&app, &hr, BUDI).await, []);
    assert!(!app
        .audit_actions()
        .await
        .iter()
        .any(|(a, _)| a == "performance_ratings.import"));

    let done = json_with(upload_csv(&app, &hr, IMPORT, &csv).await, 201).await;
    assert_eq!(
        done,
        json!({"dry_run": false, "rows": 3, "created": 3, "replaced": 0, "unchanged": 0,
               "file_sha256": sha256(&csv)})
    );
    let s = |v: &str| Some(v.to_owned());
    assert_eq!(
        stored(&app).await,
        [
            (
                BUDI.to_owned(),
                y - 2,
                "sangat_baik".to_owned(),
                s("above"),
                s("above")
            ),
            (BUDI.to_owned(), y - 1, "baik".to_owned(), None, None),
            (
                SITI.to_owned(),
                y - 1,
                "butuh_perbaikan".to_owned(),
                s("below"),
                s("meets")
            ),
        ]
    );
    assert_eq!(
        ratings_of(&app, &hr, BUDI).await,
        [
            (i64::from(y - 1), json!("baik"), Value::Null, Value::Null),
            (
                i64::from(y - 2),
                json!("sangat_baik"),
                json!("above"),
                json!("above")
            ),
        ]
    );
    // The lookup takes a NIP as people type it.
    assert_eq!(
        ratings_of(&app, &hr, "19900101%20201503%202%20045")
            .await
            .len(),
        1
    );

    // Audited: who, when, the counts and the file.
    let entry = app
        .audit_of("test-org")
        .await
        .into_iter()
        .find(|e| e.action == "performance_ratings.import")
        .expect("the import is audited");
    assert_eq!(entry.target_type, "performance_ratings");
    assert_eq!(
        entry.actor_account_id.map(|a| a.to_string()),
        Some(account_id(&app, &hr).await)
    );
    assert_eq!(
        entry.after,
        Some(
            json!({"rows": 3, "created": 3, "replaced": 0, "unchanged": 0,
                    "file_sha256": sha256(&csv)})
        )
    );
    assert_eq!(entry.before, Some(json!({"replaced": []})));
}

#[tokio::test]
async fn re_importing_a_year_replaces_its_rating_and_the_reply_counts_created_replaced_and_unchanged(
) {
    let app = TestApp::spawn().await;
    let (_, hr) = staff(&app).await;
    let y = this_year(&app);
    let first = format!(
        "nip,year,rating\n{BUDI},{},Baik\n{BUDI},{y},Baik\n{SITI},{y},Kurang\n",
        y - 1
    );
    json_with(upload_csv(&app, &hr, IMPORT, &first).await, 201).await;

    // Budi's last year again as it is, his rating of this year changed, Rudi new.
    let second = format!(
        "nip,year,rating,work_results\n{BUDI},{},Baik,\n{BUDI},{y},Sangat Baik,di atas\n\
         {RUDI},{y},Good,\n",
        y - 1
    );
    let counts = json!({"rows": 3, "created": 1, "replaced": 1, "unchanged": 1,
                        "file_sha256": sha256(&second)});
    let mut dry = counts.clone();
    dry["dry_run"] = json!(true);
    assert_eq!(
        json_with(upload_csv(&app, &hr, DRY_RUN, &second).await, 200).await,
        dry
    );
    assert_eq!(
        ratings_of(&app, &hr, BUDI).await[0],
        (i64::from(y), json!("baik"), Value::Null, Value::Null),
        "a dry run replaces nothing"
    );
    let mut done = counts.clone();
    done["dry_run"] = json!(false);
    assert_eq!(
        json_with(upload_csv(&app, &hr, IMPORT, &second).await, 201).await,
        done
    );
    assert_eq!(
        ratings_of(&app, &hr, BUDI).await,
        [
            (
                i64::from(y),
                json!("sangat_baik"),
                json!("above"),
                Value::Null
            ),
            (i64::from(y - 1), json!("baik"), Value::Null, Value::Null),
        ]
    );
    assert_eq!(
        ratings_of(&app, &hr, SITI).await,
        [(i64::from(y), json!("kurang"), Value::Null, Value::Null)],
        "a NIP the file leaves out keeps its rating"
    );
    assert_eq!(stored(&app).await.len(), 4);

    // The audit keeps what was replaced.
    let last = app
        .audit_of("test-org")
        .await
        .into_iter()
        .rfind(|e| e.action == "performance_ratings.import")
        .unwrap();
    assert_eq!(
        last.before,
        Some(json!({"replaced": [{"nip": BUDI, "year": y,
            "rating": {"predicate": "baik", "work_results": null, "work_behaviour": null}}]}))
    );
    assert_eq!(last.after.unwrap()["replaced"], 1);
}

#[tokio::test]
async fn a_file_with_any_bad_row_imports_nothing_and_names_every_row_and_column() {
    let app = TestApp::spawn().await;
    let (_, hr) = staff(&app).await;
    let y = this_year(&app);
    let before = format!("nip,year,rating\n{BUDI},{y},Baik\n");
    json_with(upload_csv(&app, &hr, IMPORT, &before).await, 201).await;

    let csv = format!(
        "nip,year,rating\n\
         {BUDI},{y},Sangat Baik\n\
         19850315201012100,{y},Baik\n\
         {SITI},1999,Baik\n\
         {SITI},{},Baik\n\
         {RUDI},{y},Cukup\n\
         {BUDI},{y},Kurang\n\
         198503152010121002,{y},Baik,Jakarta\n\
         198503152010121003,,Baik\n",
        y + 1
    );
    for path in [DRY_RUN, IMPORT] {
        let body = assert_error(
            upload_csv(&app, &hr, path, &csv).await,
            422,
            "invalid_performance_ratings",
        )
        .await;
        assert_eq!(
            problems(&body),
            [
                (3, "nip".to_owned()),
                (4, "year".to_owned()),
                (5, "year".to_owned()),
                (6, "rating".to_owned()),
                (7, "year".to_owned()),
                (8, "row".to_owned()),
                (9, "year".to_owned()),
            ]
        );
        assert_eq!(
            body["message"],
            "the performance ratings file has 7 problem(s); nothing was imported"
        );
        let messages: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["message"].as_str().unwrap())
            .collect();
        assert_eq!(messages[0], "the NIP must have 18 digits, found 17");
        assert_eq!(
            messages[1],
            format!("the year must be from 2000 to {y}, found 1999")
        );
        assert_eq!(
            messages[2],
            format!("the year must be from 2000 to {y}, found {}", y + 1)
        );
        assert!(messages[3].starts_with("'Cukup' is a predicate of the SKP before 2022"));
        assert_eq!(
            messages[4],
            format!(
                "NIP {BUDI} has a rating for {y} on row 2 too: each person has one rating per \
                 year"
            )
        );
        assert_eq!(messages[6], "required");
    }
    // Nothing of the file is stored, not even its valid first row.
    assert_eq!(
        stored(&app).await,
        [(BUDI.to_owned(), y, "baik".to_owned(), None, None)]
    );

    let body = assert_error(
        upload_csv(&app, &hr, IMPORT, "nip,year,predikat\n").await,
        422,
        "invalid_performance_ratings",
    )
    .await;
    assert_eq!(
        problems(&body),
        [(1, "row".to_owned()), (1, "rating".to_owned())]
    );
}

#[tokio::test]
async fn the_current_year_by_the_server_clock_is_the_last_a_rating_may_be_for() {
    let app = TestApp::spawn().await;
    let (_, hr) = staff(&app).await;
    let y = this_year(&app);
    let next = format!("nip,year,rating\n{BUDI},{},Baik\n", y + 1);
    let body = assert_error(
        upload_csv(&app, &hr, IMPORT, &next).await,
        422,
        "invalid_performance_ratings",
    )
    .await;
    assert_eq!(problems(&body), [(2, "year".to_owned())]);

    app.advance(std::time::Duration::from_secs(366 * 24 * 3600));
    // The tokens of a year ago have expired: sign in again.
    let admin = app.admin_token().await;
    json_with(upload_csv(&app, &admin, IMPORT, &next).await, 201).await;
    assert_eq!(stored(&app).await[0].1, y + 1);
}

#[tokio::test]
async fn hr_and_admin_import_assessors_and_psychologists_read_and_proctors_do_neither() {
    let app = TestApp::spawn().await;
    let (admin, hr) = staff(&app).await;
    let y = this_year(&app);
    let csv = format!("nip,year,rating\n{BUDI},{y},Baik\n");
    json_with(upload_csv(&app, &admin, IMPORT, &csv).await, 201).await;
    json_with(upload_csv(&app, &hr, IMPORT, &csv).await, 201).await;
    for role in ["assessor", "psychologist"] {
        let token = app.account_with_role(&admin, role).await;
        assert_eq!(
            ratings_of(&app, &token, BUDI).await,
            [(i64::from(y), json!("baik"), Value::Null, Value::Null)],
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
        app.get(&format!("/api/v1/performance-ratings?nip={BUDI}"), &proctor)
            .await,
        403,
        "forbidden",
    )
    .await;
    // Refused before the query is looked at.
    assert_error(
        app.get("/api/v1/performance-ratings", &proctor).await,
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
    assert_error(
        app.client
            .get(app.url(&format!("/api/v1/performance-ratings?nip={BUDI}")))
            .send()
            .await
            .unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    assert_eq!(stored(&app).await.len(), 1);
}

#[tokio::test]
async fn another_organisation_neither_sees_nor_replaces_the_ratings_of_the_first() {
    let app = TestApp::spawn().await;
    let (_, hr) = staff(&app).await;
    let y = this_year(&app);
    json_with(
        upload_csv(
            &app,
            &hr,
            IMPORT,
            &format!("nip,year,rating\n{BUDI},{y},Baik\n"),
        )
        .await,
        201,
    )
    .await;
    let other = app.second_organisation().await;
    assert_eq!(ratings_of(&app, &other, BUDI).await, []);

    // The same person and year in the other organisation is a record of its own.
    let theirs = format!("nip,year,rating\n{BUDI},{y},Kurang\n");
    let out = json_with(upload_csv(&app, &other, IMPORT, &theirs).await, 201).await;
    assert_eq!(
        (out["created"].as_u64(), out["replaced"].as_u64()),
        (Some(1), Some(0))
    );
    assert_eq!(
        ratings_of(&app, &hr, BUDI).await,
        [(i64::from(y), json!("baik"), Value::Null, Value::Null)]
    );
    assert_eq!(
        ratings_of(&app, &other, BUDI).await,
        [(i64::from(y), json!("kurang"), Value::Null, Value::Null)]
    );
    assert_eq!(stored(&app).await.len(), 2);
    let first_org = app.audit_of("test-org").await;
    assert_eq!(
        first_org
            .iter()
            .filter(|e| e.action == "performance_ratings.import")
            .count(),
        1,
        "each organisation's audit has its own imports"
    );
}

#[tokio::test]
async fn a_lookup_without_a_valid_nip_is_an_invalid_query() {
    let app = TestApp::spawn().await;
    let (_, hr) = staff(&app).await;
    assert_error(
        app.get("/api/v1/performance-ratings", &hr).await,
        400,
        "invalid_query",
    )
    .await;
    let body = assert_error(
        app.get("/api/v1/performance-ratings?nip=123", &hr).await,
        400,
        "invalid_query",
    )
    .await;
    assert_eq!(body["message"], "nip: the NIP must have 18 digits, found 3");
    assert_error(
        app.get(
            &format!("/api/v1/performance-ratings?nip={BUDI}&year=2024"),
            &hr,
        )
        .await,
        400,
        "invalid_query",
    )
    .await;
}

#[tokio::test]
async fn a_file_over_the_body_limit_is_refused_and_stores_nothing() {
    let app = TestApp::spawn_with(|s| s.server.json_limit_bytes = 1024).await;
    let (_, hr) = staff(&app).await;
    let y = this_year(&app);
    let mut csv = String::from("nip,year,rating\n");
    for seq in 1..=60 {
        csv.push_str(&format!("198503152010121{seq:03},{y},Baik\n"));
    }
    assert!(csv.len() > 1024);
    assert_error(
        upload_csv(&app, &hr, IMPORT, &csv).await,
        413,
        "payload_too_large",
    )
    .await;
    assert_eq!(stored(&app).await, []);
}

#[tokio::test]
async fn the_last_two_years_give_two_ratings_one_or_none() {
    let app = TestApp::spawn().await;
    let (_, hr) = staff(&app).await;
    let y = this_year(&app);
    let csv = format!(
        "nip,year,rating,work_results,work_behaviour\n\
         {BUDI},{},Baik,,\n\
         {BUDI},{},Sangat Baik,di atas,di atas\n\
         {BUDI},{y},Butuh Perbaikan,di bawah,sesuai\n\
         {SITI},{},Kurang,,\n",
        y - 3,
        y - 1,
        y - 2
    );
    json_with(upload_csv(&app, &hr, IMPORT, &csv).await, 201).await;
    let org = organisation_id(&app, "test-org").await;
    let rating = |year: i32, predicate, results, behaviour| YearRating {
        year: Year::stored(year),
        rating: Rating {
            predicate,
            work_results: results,
            work_behaviour: behaviour,
        },
    };
    let budi = nip(&app, BUDI);
    assert_eq!(
        last_two_years(&app.ctx, org, &budi, y).await.unwrap(),
        [
            rating(
                y,
                Predicate::ButuhPerbaikan,
                Some(Expectation::Below),
                Some(Expectation::Meets)
            ),
            rating(
                y - 1,
                Predicate::SangatBaik,
                Some(Expectation::Above),
                Some(Expectation::Above)
            ),
        ]
    );
    // Up to last year: last year's rating only, since the year before has none; the rating of
    // three years ago is too old to stand in for it.
    assert_eq!(
        last_two_years(&app.ctx, org, &budi, y - 1).await.unwrap(),
        [rating(
            y - 1,
            Predicate::SangatBaik,
            Some(Expectation::Above),
            Some(Expectation::Above)
        )]
    );
    let siti = nip(&app, SITI);
    assert_eq!(
        last_two_years(&app.ctx, org, &siti, y - 1).await.unwrap(),
        [rating(y - 2, Predicate::Kurang, None, None)]
    );
    assert_eq!(last_two_years(&app.ctx, org, &siti, y).await.unwrap(), []);
    assert_eq!(
        last_two_years(&app.ctx, org, &nip(&app, RUDI), y)
            .await
            .unwrap(),
        []
    );
    // Another organisation has none of them.
    app.second_organisation().await;
    let other = organisation_id(&app, "other-org").await;
    assert_eq!(last_two_years(&app.ctx, other, &budi, y).await.unwrap(), []);
}

#[tokio::test]
async fn ten_thousand_ratings_are_imported_in_one_upload_and_again_unchanged() {
    let app = TestApp::spawn().await;
    let (_, hr) = staff(&app).await;
    let y = this_year(&app);
    let mut csv = String::from("nip;year;rating\n");
    for day in 1..=11u32 {
        for seq in 1..=999u32 {
            if (day - 1) * 999 + seq > 10_000 {
                break;
            }
            csv.push_str(&format!("198001{day:02}2005011{seq:03};{y};Baik\n"));
        }
    }
    let started = std::time::Instant::now();
    let out = json_with(upload_csv(&app, &hr, IMPORT, &csv).await, 201).await;
    eprintln!("imported 10,000 ratings in {:?}", started.elapsed());
    assert_eq!(
        (out["rows"].as_u64(), out["created"].as_u64()),
        (Some(10_000), Some(10_000))
    );
    let again = json_with(upload_csv(&app, &hr, IMPORT, &csv).await, 201).await;
    assert_eq!(again["unchanged"], 10_000);
    assert_eq!(stored(&app).await.len(), 10_000);
}
