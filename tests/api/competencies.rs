//! The competency framework: seeded for every organisation, read by the roles that judge
//! competencies, replaced whole by HR (a new version, audited, earlier versions readable), and a
//! bad document refused whole with every problem named.
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::helpers::{assert_error, TestApp};

const NINE: [&str; 9] = ["INT", "KS", "KOM", "OPH", "PP", "PDOL", "MP", "PK", "PB"];

async fn json_of(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status, "{}", res.url());
    res.json().await.unwrap()
}

fn codes(framework: &Value) -> Vec<&str> {
    framework["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect()
}

/// The framework as a document to send back: its competencies only.
fn document(framework: &Value) -> Value {
    json!({"competencies": framework["competencies"]})
}

/// A technical competency of the organisation's own, with five levels.
fn technical(code: &str) -> Value {
    let levels: Vec<Value> = (1..=5)
        .map(|n| {
            json!({"level": n, "description": {"id": format!("Level {n} pemetaan"), "en": format!("Mapping level {n}")},
                   "indicators": [{"id": "Membuat peta tematik", "en": "Makes thematic maps"}]})
        })
        .collect();
    json!({"code": code, "kind": "technical", "name": {"id": "Sistem Informasi Geografis", "en": "Geographic Information Systems"},
           "definition": {"id": "Mengolah data spasial untuk perencanaan.", "en": "Working with spatial data for planning."},
           "levels": levels})
}

/// (field, item) of every problem of a refused document.
fn problems(body: &Value) -> Vec<(String, Option<String>)> {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["item"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

async fn framework_updates(app: &TestApp) -> Vec<meritest::store::entities::audit_entry::Model> {
    app.audit_of("test-org")
        .await
        .into_iter()
        .filter(|e| e.action == "competency_framework.update")
        .collect()
}

#[tokio::test]
async fn the_seeded_framework_is_read_by_hr_assessors_and_psychologists_and_a_proctor_is_forbidden()
{
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let hr = app.account_with_role(&admin, "hr").await;
    let fw = json_of(app.get("/api/v1/competencies", &hr).await, 200).await;
    assert_eq!(fw["version"], 1);
    assert_eq!(fw["created_by"], Value::Null, "seeded, by nobody");
    assert_eq!(codes(&fw), NINE);
    let kinds: Vec<&str> = fw["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds[..8], ["managerial"; 8]);
    assert_eq!(kinds[8], "socio_cultural");
    let int = &fw["competencies"][0];
    assert_eq!(int["name"], json!({"id": "Integritas", "en": "Integrity"}));
    for c in fw["competencies"].as_array().unwrap() {
        let levels: Vec<i64> = c["levels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["level"].as_i64().unwrap())
            .collect();
        assert_eq!(levels, [1, 2, 3, 4, 5], "{}", c["code"]);
    }

    for role in ["assessor", "psychologist"] {
        let token = app.account_with_role(&admin, role).await;
        let theirs = json_of(app.get("/api/v1/competencies", &token).await, 200).await;
        assert_eq!(theirs, fw, "{role} reads the same framework");
        json_of(
            app.get("/api/v1/competencies/versions/1", &token).await,
            200,
        )
        .await;
        json_of(app.get("/api/v1/job-standards", &token).await, 200).await;
        assert_error(
            app.put_json("/api/v1/competencies", &token, &document(&fw))
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    let proctor = app.account_with_role(&admin, "proctor").await;
    for path in [
        "/api/v1/competencies",
        "/api/v1/competencies/versions",
        "/api/v1/competencies/versions/1",
        "/api/v1/job-standards",
    ] {
        assert_error(app.get(path, &proctor).await, 403, "forbidden").await;
    }
}

#[tokio::test]
async fn a_new_document_becomes_the_next_version_audited_and_the_earlier_one_stays_readable() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let hr = app.account_with_role(&admin, "hr").await;
    let me = json_of(app.get("/api/v1/auth/me", &hr).await, 200).await;
    let v1 = json_of(app.get("/api/v1/competencies", &hr).await, 200).await;

    let mut doc = document(&v1);
    doc["competencies"][0]["name"] =
        json!({"id": "Integritas dan Etika", "en": "Integrity and Ethics"});
    doc["competencies"]
        .as_array_mut()
        .unwrap()
        .push(technical("TK-GIS"));
    let v2 = json_of(app.put_json("/api/v1/competencies", &hr, &doc).await, 200).await;
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["created_by"], me["id"]);
    assert_eq!(codes(&v2)[9], "TK-GIS");
    assert_eq!(v2["competencies"][0]["name"]["id"], "Integritas dan Etika");
    assert_eq!(
        json_of(app.get("/api/v1/competencies", &hr).await, 200).await,
        v2
    );
    assert_eq!(
        json_of(app.get("/api/v1/competencies/versions/1", &hr).await, 200).await,
        v1,
        "the earlier version is kept as it was"
    );
    let history = json_of(app.get("/api/v1/competencies/versions", &hr).await, 200).await;
    let numbers: Vec<i64> = history["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["version"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2]);
    assert_eq!(history["versions"][1]["created_by"], me["id"]);
    assert_error(
        app.get("/api/v1/competencies/versions/3", &hr).await,
        404,
        "not_found",
    )
    .await;

    let audit = framework_updates(&app).await;
    assert_eq!(audit.len(), 1);
    assert_eq!(
        audit[0].actor_account_id.map(|a| a.to_string()),
        me["id"].as_str().map(str::to_owned)
    );
    assert_eq!(audit[0].before.as_ref().unwrap()["version"], 1);
    assert_eq!(audit[0].after.as_ref().unwrap()["version"], 2);
    assert_eq!(audit[0].after.as_ref().unwrap()["codes"][9], "TK-GIS");

    // The same document again makes no version and no audit entry.
    let again = json_of(app.put_json("/api/v1/competencies", &hr, &doc).await, 200).await;
    assert_eq!(again["version"], 2);
    assert_eq!(framework_updates(&app).await.len(), 1);
}

#[tokio::test]
async fn a_bad_document_is_refused_whole_naming_every_problem_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let hr = app.account_with_role(&admin, "hr").await;
    let v1 = json_of(app.get("/api/v1/competencies", &hr).await, 200).await;

    let mut doc = document(&v1);
    let list = doc["competencies"].as_array_mut().unwrap();
    // KS skips level 3; KOM gets an empty name; OPH an unknown kind; PP's first level an empty
    // indicator; PK's code is PP's; INT is removed; a technical competency is added (valid).
    list[1]["levels"].as_array_mut().unwrap().remove(2);
    list[2]["name"] = json!({"id": "  "});
    list[3]["kind"] = json!("teknis");
    list[4]["levels"][0]["indicators"][1] = json!({"id": ""});
    list[7]["code"] = json!("PP");
    list.push(technical("TK-GIS"));
    list.remove(0);
    let body = assert_error(
        app.put_json("/api/v1/competencies", &hr, &doc).await,
        422,
        "invalid_competency_framework",
    )
    .await;
    assert_eq!(
        problems(&body),
        [
            ("competencies[0].levels".to_owned(), Some("KS".to_owned())),
            ("competencies[1].name".to_owned(), Some("KOM".to_owned())),
            ("competencies[2].kind".to_owned(), Some("OPH".to_owned())),
            (
                "competencies[3].levels[0].indicators[1]".to_owned(),
                Some("PP".to_owned())
            ),
            ("competencies[6].code".to_owned(), Some("PP".to_owned())),
            ("competencies".to_owned(), Some("INT".to_owned())),
            ("competencies".to_owned(), Some("PK".to_owned())),
        ],
        "{body}"
    );
    assert_eq!(
        body["errors"][0]["message"],
        "the levels must be exactly 1, 2, 3, 4, 5 in order; found [1, 2, 4, 5]: skips level 3"
    );
    assert_eq!(
        body["errors"][5]["message"],
        "the seeded managerial competency INT cannot be removed; it can be reworded"
    );

    // Nothing was stored: still version 1, one version, no audit entry.
    let now = json_of(app.get("/api/v1/competencies", &hr).await, 200).await;
    assert_eq!(now, v1);
    let history = json_of(app.get("/api/v1/competencies/versions", &hr).await, 200).await;
    assert_eq!(history["versions"].as_array().unwrap().len(), 1);
    assert!(framework_updates(&app).await.is_empty());

    // A document of the wrong shape is not a framework at all.
    assert_error(
        app.put_json(
            "/api/v1/competencies",
            &hr,
            &json!({"competencies": [{"code": "X"}]}),
        )
        .await,
        422,
        "invalid_input",
    )
    .await;
}

#[tokio::test]
async fn a_competency_that_a_job_standard_requires_cannot_be_removed() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let v1 = json_of(app.get("/api/v1/competencies", &admin).await, 200).await;
    let mut doc = document(&v1);
    doc["competencies"]
        .as_array_mut()
        .unwrap()
        .push(technical("TK-GIS"));
    json_of(
        app.put_json("/api/v1/competencies", &admin, &doc).await,
        200,
    )
    .await;
    json_of(
        app.post_json(
            "/api/v1/job-standards",
            &admin,
            &json!({"job_level": "Ahli Muda", "position": "Penata Ruang Ahli Muda", "levels": {"TK-GIS": 3, "INT": 2}}),
        )
        .await,
        201,
    )
    .await;

    let body = assert_error(
        app.put_json("/api/v1/competencies", &admin, &document(&v1))
            .await,
        422,
        "invalid_competency_framework",
    )
    .await;
    assert_eq!(
        problems(&body),
        [("competencies".to_owned(), Some("TK-GIS".to_owned()))]
    );
    assert_eq!(
        body["errors"][0]["message"],
        "TK-GIS is required by 1 job standard(s): take it out of them before removing it"
    );
    let now = json_of(app.get("/api/v1/competencies", &admin).await, 200).await;
    assert_eq!(now["version"], 2);
}

#[tokio::test]
async fn an_organisation_created_later_gets_its_own_seeded_framework_and_standards() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let v1 = json_of(app.get("/api/v1/competencies", &admin).await, 200).await;
    let mut doc = document(&v1);
    doc["competencies"]
        .as_array_mut()
        .unwrap()
        .push(technical("TK-GIS"));
    json_of(
        app.put_json("/api/v1/competencies", &admin, &doc).await,
        200,
    )
    .await;

    let other = app.second_organisation().await;
    let theirs = json_of(app.get("/api/v1/competencies", &other).await, 200).await;
    assert_eq!(
        theirs["version"], 1,
        "the first organisation's version 2 is not theirs"
    );
    assert_eq!(codes(&theirs), NINE);
    assert_error(
        app.get("/api/v1/competencies/versions/2", &other).await,
        404,
        "not_found",
    )
    .await;
    let standards = json_of(app.get("/api/v1/job-standards", &other).await, 200).await;
    assert_eq!(standards["standards"].as_array().unwrap().len(), 14);
}

#[tokio::test]
async fn an_organisation_made_before_frameworks_existed_is_seeded_at_the_next_start() {
    let app = TestApp::spawn().await;
    // As the database of an earlier release: the organisation without framework or standards.
    for table in [
        "job_standard_versions",
        "job_standards",
        "competency_frameworks",
    ] {
        app.ctx
            .db
            .execute_unprepared(&format!("DELETE FROM {table}"))
            .await
            .unwrap();
    }
    let admin = app.admin_token().await;
    assert_error(
        app.get("/api/v1/competencies", &admin).await,
        404,
        "not_found",
    )
    .await;

    let app = app.restart_with_empty_live_store().await;
    let admin = app.admin_token().await;
    let fw = json_of(app.get("/api/v1/competencies", &admin).await, 200).await;
    assert_eq!(fw["version"], 1);
    assert_eq!(codes(&fw), NINE);
    let standards = json_of(app.get("/api/v1/job-standards", &admin).await, 200).await;
    assert_eq!(standards["standards"].as_array().unwrap().len(), 14);
}
