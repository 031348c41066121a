//! The organisation's rule documents for competency results (`/api/v1/competency-rules`): seeded
//! defaults as version 1, new versions numbered by the server and audited, every version kept,
//! bad documents refused whole, roles and tenancy.
use serde_json::{json, Value};

use crate::helpers::{assert_error, TestApp, DEMO_PASSWORD};

const KINDS: [&str; 6] = [
    "evidence_mapping",
    "jpm",
    "category_schemes",
    "nine_box",
    "ip_asn",
    "development",
];

async fn stored_versions(app: &TestApp) -> usize {
    use sea_orm::{EntityTrait, PaginatorTrait};
    meritest::store::entities::competency_rule::Entity::find()
        .count(&app.ctx.db)
        .await
        .unwrap() as usize
}

async fn hr(app: &TestApp) -> String {
    app.token("hr@demo.meritest.id", DEMO_PASSWORD).await
}

#[tokio::test]
async fn every_rule_kind_starts_as_its_seeded_default_stored_as_version_one() {
    let app = TestApp::spawn_demo().await;
    let hr = hr(&app).await;
    let list: Value = app
        .get("/api/v1/competency-rules", &hr)
        .await
        .json()
        .await
        .unwrap();
    let rules = list["rules"].as_array().unwrap();
    let kinds: Vec<&str> = rules.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, KINDS);
    for r in rules {
        assert_eq!(r["version"], 1, "{}", r["kind"]);
        assert_eq!(r["document"]["version"], 1, "{}", r["kind"]);
        assert_eq!(r["created_by"], Value::Null);
    }
    let jpm = &rules[1]["document"];
    assert_eq!(
        (
            jpm["cap_each_at_required"].clone(),
            jpm["cap_total_at_100"].clone()
        ),
        (json!(false), json!(false))
    );
    let schemes = &rules[2]["document"]["schemes"];
    assert_eq!(schemes[0]["code"], "mapping");
    assert_eq!(schemes[1]["code"], "eligibility");
    assert_eq!(
        stored_versions(&app).await,
        6,
        "each default is stored once"
    );
    // Reading again stores nothing more.
    app.get("/api/v1/competency-rules", &hr).await;
    assert_eq!(stored_versions(&app).await, 6);
}

#[tokio::test]
async fn a_new_version_is_numbered_by_the_server_audited_and_the_old_one_stays_readable() {
    let app = TestApp::spawn_demo().await;
    let hr = hr(&app).await;
    let mut doc: Value = app
        .get("/api/v1/competency-rules/jpm", &hr)
        .await
        .json::<Value>()
        .await
        .unwrap()["document"]
        .clone();
    doc["cap_total_at_100"] = json!(true);
    doc["version"] = json!(99);
    let res = app
        .put_json("/api/v1/competency-rules/jpm", &hr, &doc)
        .await;
    assert_eq!(res.status(), 200);
    let stored: Value = res.json().await.unwrap();
    assert_eq!(stored["version"], 2);
    assert_eq!(
        stored["document"]["version"], 2,
        "the server numbers the version"
    );
    assert_eq!(stored["document"]["cap_total_at_100"], true);
    assert!(stored["created_by"].is_string());

    let current: Value = app
        .get("/api/v1/competency-rules/jpm", &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["version"], 2);
    let first: Value = app
        .get("/api/v1/competency-rules/jpm/versions/1", &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["document"]["cap_total_at_100"], false);
    assert_error(
        app.get("/api/v1/competency-rules/jpm/versions/3", &hr)
            .await,
        404,
        "not_found",
    )
    .await;
    let audit = app.audit_of("demo").await;
    let entry = audit
        .iter()
        .find(|e| e.action == "competency_rule.replace")
        .expect("the change is audited");
    assert_eq!(entry.target_id, "jpm");
    assert_eq!(entry.after, Some(json!({"version": 2})));
    assert_eq!(entry.before.as_ref().unwrap()["version"], 1);
}

#[tokio::test]
async fn a_bad_document_is_refused_whole_naming_each_problem_and_stores_nothing() {
    let app = TestApp::spawn_demo().await;
    let hr = hr(&app).await;
    let mut schemes: Value = app
        .get("/api/v1/competency-rules/category_schemes", &hr)
        .await
        .json::<Value>()
        .await
        .unwrap()["document"]
        .clone();
    // The JPM rule's default is stored the first time it is read, as version 1.
    app.get("/api/v1/competency-rules/jpm", &hr).await;
    let before = stored_versions(&app).await;
    schemes["schemes"][1]["code"] = json!("mapping");
    schemes["schemes"][0]["bands"][1]["from"] = json!(80);
    let body = assert_error(
        app.put_json("/api/v1/competency-rules/category_schemes", &hr, &schemes)
            .await,
        422,
        "invalid_rule",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"schemes[1].code"), "{fields:?}");
    assert!(
        fields.iter().any(|f| f.starts_with("schemes[0].bands")),
        "{fields:?}"
    );
    // An unknown field is a problem of the document; a list is not a document at all.
    let surprise = json!({"version": 1, "surprise": true});
    assert_error(
        app.put_json("/api/v1/competency-rules/jpm", &hr, &surprise)
            .await,
        422,
        "invalid_rule",
    )
    .await;
    assert_error(
        app.put_json("/api/v1/competency-rules/jpm", &hr, &json!([1, 2]))
            .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(stored_versions(&app).await, before, "nothing was stored");
    let current: Value = app
        .get("/api/v1/competency-rules/category_schemes", &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(current["version"], 1);
    assert_error(
        app.get("/api/v1/competency-rules/talent", &hr).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn assessors_read_the_rules_proctors_do_not_and_only_hr_and_admin_change_them() {
    let app = TestApp::spawn_demo().await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(
        app.get("/api/v1/competency-rules", &proctor).await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .get("/api/v1/competency-rules/nine_box", &assessor)
        .await;
    assert_eq!(res.status(), 200);
    let doc = res.json::<Value>().await.unwrap()["document"].clone();
    assert_error(
        app.put_json("/api/v1/competency-rules/nine_box", &assessor, &doc)
            .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn each_organisation_keeps_its_own_versions() {
    let app = TestApp::spawn_demo().await;
    let hr = hr(&app).await;
    let mut doc: Value = app
        .get("/api/v1/competency-rules/ip_asn", &hr)
        .await
        .json::<Value>()
        .await
        .unwrap()["document"]
        .clone();
    doc["decimals"] = json!(1);
    assert_eq!(
        app.put_json("/api/v1/competency-rules/ip_asn", &hr, &doc)
            .await
            .status(),
        200
    );
    let other = app.second_organisation().await;
    let theirs: Value = app
        .get("/api/v1/competency-rules/ip_asn", &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["version"], 1);
    assert_eq!(theirs["document"]["decimals"], 2);
    assert_error(
        app.get("/api/v1/competency-rules/ip_asn/versions/2", &other)
            .await,
        404,
        "not_found",
    )
    .await;
}
