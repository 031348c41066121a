//! Job competency standards: seeded defaults per job level, created and edited (each edit a
//! new version, audited), exported and imported as CSV (all or none, every bad row named), kept
//! apart between organisations, and looked up for a person with a position's standard first and
//! "no standard" when nothing matches.
use meritest::domain::ids::OrganisationId;
use meritest::services::job_standards::standard_for;
use serde_json::{json, Value};

use crate::helpers::{assert_error, TestApp};

async fn json_of(res: reqwest::Response, status: u16) -> Value {
    assert_eq!(res.status().as_u16(), status, "{}", res.url());
    res.json().await.unwrap()
}

async fn standards(app: &TestApp, token: &str) -> Vec<Value> {
    json_of(app.get("/api/v1/job-standards", token).await, 200).await["standards"]
        .as_array()
        .unwrap()
        .clone()
}

/// The standard of a job level (and position) in a list.
fn find<'a>(list: &'a [Value], job_level: &str, position: Option<&str>) -> &'a Value {
    list.iter()
        .find(|s| s["job_level"] == job_level && s["position"].as_str() == position)
        .unwrap_or_else(|| panic!("no standard for {job_level} / {position:?}"))
}

async fn import(app: &TestApp, token: &str, query: &str, csv: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/job-standards/import{query}")))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap()
}

async fn export(app: &TestApp, token: &str) -> String {
    let res = app.get("/api/v1/job-standards?format=csv", token).await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("job-standards.csv"));
    res.text().await.unwrap()
}

async fn audit_actions(
    app: &TestApp,
    prefix: &str,
) -> Vec<meritest::store::entities::audit_entry::Model> {
    app.audit_of("test-org")
        .await
        .into_iter()
        .filter(|e| e.action.starts_with(prefix))
        .collect()
}

async fn test_org(app: &TestApp) -> OrganisationId {
    meritest::store::organisations::find_by_code(&app.ctx.db, "test-org")
        .await
        .unwrap()
        .unwrap()
        .id
        .into()
}

const NINE: [&str; 9] = ["INT", "KS", "KOM", "OPH", "PP", "PDOL", "MP", "PK", "PB"];

fn all_nine(level: u8) -> Value {
    NINE.iter()
        .map(|c| ((*c).to_owned(), json!(level)))
        .collect()
}

#[tokio::test]
async fn every_job_level_has_a_seeded_standard_on_the_nine_competencies() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let list = json_of(app.get("/api/v1/job-standards", &admin).await, 200).await;
    assert_eq!(list["framework_version"], 1);
    let columns: Vec<&str> = list["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(columns, NINE);
    let seeded: Vec<(&str, &str, u64)> = list["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["levels"].as_object().unwrap().len(), 9, "{s}");
            assert_eq!(s["position"], Value::Null);
            assert_eq!(s["version"], 1);
            assert_eq!(s["framework_version"], 1);
            (
                s["job_level"].as_str().unwrap(),
                s["job_family"].as_str().unwrap(),
                s["levels"]["INT"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seeded,
        [
            ("JPT Utama", "structural", 5),
            ("JPT Madya", "structural", 5),
            ("JPT Pratama", "structural", 4),
            ("Administrator", "structural", 3),
            ("Pengawas", "structural", 2),
            ("Pelaksana", "structural", 1),
            ("Ahli Utama", "functional", 4),
            ("Ahli Madya", "functional", 3),
            ("Ahli Muda", "functional", 2),
            ("Ahli Pertama", "functional", 2),
            ("Penyelia", "functional", 2),
            ("Mahir", "functional", 1),
            ("Terampil", "functional", 1),
            ("Pemula", "functional", 1),
        ]
    );
    assert_eq!(
        list["standards"][3]["levels"],
        all_nine(3),
        "Administrator requires level 3 on all nine"
    );
}

#[tokio::test]
async fn hr_creates_a_position_standard_and_each_edit_is_a_new_audited_version() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let hr = app.account_with_role(&admin, "hr").await;
    let body = json!({"job_level": " administrator ", "position": "Kepala Bagian  Umum", "levels": {"int": 4, "KS": 3}});
    let created = json_of(
        app.post_json("/api/v1/job-standards", &hr, &body).await,
        201,
    )
    .await;
    assert_eq!(created["job_level"], "Administrator");
    assert_eq!(created["position"], "Kepala Bagian Umum");
    assert_eq!(created["levels"], json!({"INT": 4, "KS": 3}));
    assert_eq!(created["version"], 1);
    let id = created["id"].as_str().unwrap().to_owned();
    assert_eq!(standards(&app, &hr).await.len(), 15);

    // The same job level and position, however written, is the same standard.
    let again = json!({"job_level": "ADMINISTRATOR", "position": "kepala bagian umum", "levels": {"INT": 2}});
    assert_error(
        app.post_json("/api/v1/job-standards", &hr, &again).await,
        409,
        "job_standard_exists",
    )
    .await;

    let edited = json_of(
        app.put_json(
            &format!("/api/v1/job-standards/{id}"),
            &hr,
            &json!({"levels": {"INT": 5, "PK": 4}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["current_version"], 2);
    assert_eq!(edited["levels"], json!({"INT": 5, "PK": 4}));
    let read = json_of(
        app.get(&format!("/api/v1/job-standards/{id}"), &hr).await,
        200,
    )
    .await;
    assert_eq!(read, edited);
    let first = json_of(
        app.get(&format!("/api/v1/job-standards/{id}/versions/1"), &hr)
            .await,
        200,
    )
    .await;
    assert_eq!(first["levels"], json!({"INT": 4, "KS": 3}));
    assert_eq!(first["version"], 1);
    assert_eq!(first["current_version"], 2);
    assert_error(
        app.get(&format!("/api/v1/job-standards/{id}/versions/3"), &hr)
            .await,
        404,
        "not_found",
    )
    .await;

    // The same levels again make no version.
    let same = json_of(
        app.put_json(
            &format!("/api/v1/job-standards/{id}"),
            &hr,
            &json!({"levels": {"PK": 4, "INT": 5}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(same["version"], 2);

    let audit = audit_actions(&app, "job_standard.").await;
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["job_standard.create", "job_standard.update"]);
    assert!(audit.iter().all(|e| e.target_id == id));
    assert_eq!(audit[1].before.as_ref().unwrap()["version"], 1);
    assert_eq!(
        audit[1].before.as_ref().unwrap()["levels"],
        json!({"INT": 4, "KS": 3})
    );
    assert_eq!(audit[1].after.as_ref().unwrap()["version"], 2);
    assert_eq!(
        audit[1].after.as_ref().unwrap()["levels"],
        json!({"INT": 5, "PK": 4})
    );
}

#[tokio::test]
async fn a_bad_standard_is_refused_naming_every_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let body = json!({"job_level": "Eselon III", "levels": {"INT": 3, "KS": 6, "XYZ": 2}});
    let refused = assert_error(
        app.post_json("/api/v1/job-standards", &admin, &body).await,
        422,
        "invalid_job_standard",
    )
    .await;
    let fields: Vec<&str> = refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["job_level", "levels.KS", "levels.XYZ"],
        "{refused}"
    );
    assert_eq!(
        refused["errors"][1]["message"],
        "6 is not a proficiency level: levels run from 1 to 5"
    );
    assert_eq!(standards(&app, &admin).await.len(), 14);

    let pengawas = find(&standards(&app, &admin).await, "Pengawas", None).clone();
    let id = pengawas["id"].as_str().unwrap();
    let refused = assert_error(
        app.put_json(
            &format!("/api/v1/job-standards/{id}"),
            &admin,
            &json!({"levels": {}}),
        )
        .await,
        422,
        "invalid_job_standard",
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "levels");
    let now = json_of(
        app.get(&format!("/api/v1/job-standards/{id}"), &admin)
            .await,
        200,
    )
    .await;
    assert_eq!(now, pengawas);
    assert!(audit_actions(&app, "job_standard").await.is_empty());
}

#[tokio::test]
async fn the_exported_file_imported_again_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    json_of(
        app.post_json(
            "/api/v1/job-standards",
            &admin,
            &json!({"job_level": "Pengawas", "position": "=Kepala Seksi; \"Umum\"", "levels": {"KOM": 3}}),
        )
        .await,
        201,
    )
    .await;
    let before = standards(&app, &admin).await;
    let csv = export(&app, &admin).await;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("job_level;position;INT;KS;KOM;OPH;PP;PDOL;MP;PK;PB")
    );
    assert_eq!(lines.next(), Some("JPT Utama;;5;5;5;5;5;5;5;5;5"));
    assert!(
        csv.contains("Pengawas;\"'=Kepala Seksi; \"\"Umum\"\"\";;;3;;;;;;\n"),
        "{csv}"
    );

    for query in ["?dry_run=true", ""] {
        let outcome = json_of(import(&app, &admin, query, &csv).await, 200).await;
        assert_eq!(
            outcome,
            json!({"dry_run": query == "?dry_run=true", "created": 0, "updated": 0, "unchanged": 15, "standards": 15})
        );
    }
    assert_eq!(standards(&app, &admin).await, before, "no new versions");
    assert!(audit_actions(&app, "job_standards.import").await.is_empty());
}

#[tokio::test]
async fn an_import_creates_and_updates_standards_after_a_dry_run_that_stores_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let hr = app.account_with_role(&admin, "hr").await;
    // Only two competencies have columns: the others keep their stored levels.
    let csv = "job_level,position,INT,KS\r\n\
               pengawas,,3,\r\n\
               Administrator,Kepala Bagian Umum,4,4\r\n\
               Pelaksana,,1,1\r\n";
    let dry = json_of(import(&app, &hr, "?dry_run=true", csv).await, 200).await;
    assert_eq!(
        dry,
        json!({"dry_run": true, "created": 1, "updated": 1, "unchanged": 1, "standards": 15})
    );
    assert_eq!(
        standards(&app, &hr).await.len(),
        14,
        "a dry run stores nothing"
    );
    assert!(audit_actions(&app, "job_standards.import").await.is_empty());

    let done = json_of(import(&app, &hr, "", csv).await, 200).await;
    assert_eq!(
        done,
        json!({"dry_run": false, "created": 1, "updated": 1, "unchanged": 1, "standards": 15})
    );
    let list = standards(&app, &hr).await;
    let pengawas = find(&list, "Pengawas", None);
    assert_eq!(pengawas["version"], 2);
    let mut expected = all_nine(2);
    expected["INT"] = json!(3);
    expected.as_object_mut().unwrap().remove("KS");
    assert_eq!(
        pengawas["levels"], expected,
        "INT raised, KS no longer required, the rest kept"
    );
    let kabag = find(&list, "Administrator", Some("Kepala Bagian Umum"));
    assert_eq!(kabag["version"], 1);
    assert_eq!(kabag["levels"], json!({"INT": 4, "KS": 4}));
    assert_eq!(find(&list, "Pelaksana", None)["version"], 1);

    let audit = audit_actions(&app, "job_standards.import").await;
    assert_eq!(audit.len(), 1);
    let after = audit[0].after.as_ref().unwrap();
    assert_eq!(after["created"][0]["position"], "Kepala Bagian Umum");
    assert_eq!(after["updated"][0]["job_level"], "Pengawas");
    assert_eq!(after["updated"][0]["version"], 2);
    assert_eq!(
        audit[0].before.as_ref().unwrap()["updated"][0]["levels"]["KS"],
        2
    );
    assert_eq!(after["unchanged"], 1);
}

#[tokio::test]
async fn every_bad_row_of_an_import_is_named_by_row_and_column_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let before = standards(&app, &admin).await;
    let csv = "job_level;position;INT;KS\n\
               Pengawas;;3;3\n\
               Eselon IV;;3;3\n\
               \n\
               Administrator;;7;x\n\
               pengawas;;2;2\n\
               Pelaksana;;;\n";
    let body = assert_error(
        import(&app, &admin, "", csv).await,
        422,
        "invalid_job_standard",
    )
    .await;
    let at: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        at,
        [
            (3, "job_level"),
            (5, "INT"),
            (5, "KS"),
            (6, "job_level"),
            (7, "row")
        ],
        "{body}"
    );
    assert_eq!(
        body["errors"][3]["message"],
        "Pengawas (whole job level) is on row 2 too: each job level and position appears once"
    );

    let body = assert_error(
        import(
            &app,
            &admin,
            "?dry_run=true",
            "job_level;INT;TK-X\nPengawas;2;2\n",
        )
        .await,
        422,
        "invalid_job_standard",
    )
    .await;
    assert_eq!(body["errors"][0]["row"], 1);
    assert_eq!(body["errors"][0]["field"], "TK-X");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("unknown column 'TK-X'"));
    assert_eq!(standards(&app, &admin).await, before);
    assert!(audit_actions(&app, "job_standards").await.is_empty());
}

#[tokio::test]
async fn readers_may_read_standards_but_only_hr_and_admin_change_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = find(&standards(&app, &admin).await, "Pengawas", None)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for role in ["assessor", "psychologist"] {
        let token = app.account_with_role(&admin, role).await;
        json_of(
            app.get(&format!("/api/v1/job-standards/{id}"), &token)
                .await,
            200,
        )
        .await;
        json_of(
            app.get(&format!("/api/v1/job-standards/{id}/versions/1"), &token)
                .await,
            200,
        )
        .await;
        assert_eq!(export(&app, &token).await.lines().count(), 15);
        assert_error(
            app.put_json(
                &format!("/api/v1/job-standards/{id}"),
                &token,
                &json!({"levels": {"INT": 3}}),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
        assert_error(
            app.post_json(
                "/api/v1/job-standards",
                &token,
                &json!({"job_level": "Pengawas", "position": "X", "levels": {"INT": 3}}),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
        assert_error(
            import(&app, &token, "?dry_run=true", "job_level;INT\nPengawas;2\n").await,
            403,
            "forbidden",
        )
        .await;
    }
    let proctor = app.account_with_role(&admin, "proctor").await;
    for path in [
        format!("/api/v1/job-standards/{id}"),
        format!("/api/v1/job-standards/{id}/versions/1"),
        "/api/v1/job-standards?format=csv".to_owned(),
    ] {
        assert_error(app.get(&path, &proctor).await, 403, "forbidden").await;
    }
}

#[tokio::test]
async fn another_organisations_standards_answer_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = find(&standards(&app, &admin).await, "Pengawas", None)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = app.second_organisation().await;
    for path in [
        format!("/api/v1/job-standards/{id}"),
        format!("/api/v1/job-standards/{id}/versions/1"),
    ] {
        assert_error(app.get(&path, &other).await, 404, "not_found").await;
    }
    assert_error(
        app.put_json(
            &format!("/api/v1/job-standards/{id}"),
            &other,
            &json!({"levels": {"INT": 5}}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let theirs = standards(&app, &other).await;
    assert_eq!(theirs.len(), 14);
    assert!(theirs.iter().all(|s| s["id"] != id.as_str()));
    // Their import touches only their own standards.
    json_of(
        import(&app, &other, "", "job_level;INT\nPengawas;5\n").await,
        200,
    )
    .await;
    let ours = find(&standards(&app, &admin).await, "Pengawas", None).clone();
    assert_eq!(ours["version"], 1);
    assert_eq!(ours["levels"]["INT"], 2);
}

#[tokio::test]
async fn the_standard_for_a_person_is_their_positions_else_their_job_levels_else_none() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let org = test_org(&app).await;
    let kabag = json_of(
        app.post_json(
            "/api/v1/job-standards",
            &admin,
            &json!({"job_level": "Administrator", "position": "Kepala Bagian Umum", "levels": {"INT": 4}}),
        )
        .await,
        201,
    )
    .await;
    json_of(
        app.put_json(
            &format!("/api/v1/job-standards/{}", kabag["id"].as_str().unwrap()),
            &admin,
            &json!({"levels": {"INT": 4, "KS": 4}}),
        )
        .await,
        200,
    )
    .await;
    let administrator = find(&standards(&app, &admin).await, "Administrator", None).clone();

    let (standard, version) = standard_for(
        &app.ctx,
        org,
        "  ADMINISTRATOR ",
        Some("kepala bagian   umum"),
    )
    .await
    .unwrap()
    .expect("the position's own standard");
    assert_eq!(standard.position().unwrap().as_str(), "Kepala Bagian Umum");
    assert_eq!(version.standard.to_string(), kabag["id"].as_str().unwrap());
    assert_eq!(version.version, 2, "the current version");
    assert_eq!(standard.levels().get("KS").unwrap().get(), 4);

    let (standard, version) =
        standard_for(&app.ctx, org, "administrator", Some("Kepala Bagian Hukum"))
            .await
            .unwrap()
            .expect("the job level's standard");
    assert_eq!(standard.position(), None);
    assert_eq!(
        version.standard.to_string(),
        administrator["id"].as_str().unwrap()
    );
    assert_eq!(version.version, 1);
    assert_eq!(standard.levels().get("INT").unwrap().get(), 3);

    let (_, version) = standard_for(&app.ctx, org, "Administrator", None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        version.standard.to_string(),
        administrator["id"].as_str().unwrap()
    );

    assert!(
        standard_for(&app.ctx, org, "Eselon II", Some("Kepala Bagian Umum"))
            .await
            .unwrap()
            .is_none(),
        "an unknown job level has no standard"
    );
    assert!(
        standard_for(&app.ctx, OrganisationId::new(), "Administrator", None)
            .await
            .unwrap()
            .is_none(),
        "an organisation without standards has none"
    );
}
