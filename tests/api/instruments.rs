use serde_json::{json, Value};

use crate::helpers::{assert_error, import, sample_instrument, TestApp};

async fn instrument_count(app: &TestApp, token: &str) -> usize {
    let list: Value = app
        .get("/api/v1/instruments?status=all", token)
        .await
        .json()
        .await
        .unwrap();
    list["instruments"].as_array().unwrap().len()
}

#[tokio::test]
async fn an_imported_instrument_is_listed_with_its_counts_and_shown_with_its_items() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;

    let list: Value = app
        .get("/api/v1/instruments", &admin)
        .await
        .json()
        .await
        .unwrap();
    let row = &list["instruments"][0];
    assert_eq!(row["id"], id.as_str());
    assert_eq!(row["code"], "NUM-TEST");
    assert_eq!(row["status"], "active");
    assert_eq!(row["item_count"], 4);
    assert_eq!(row["scored_item_count"], 3);
    assert_eq!(row["scale_count"], 2);

    let detail: Value = app
        .get(&format!("/api/v1/instruments/{id}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = detail["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["P-1", "NS-1", "AR-1", "LK-1"]);
    assert_eq!(detail["items"][1]["key"], "a");
    assert_eq!(detail["items"][3]["reverse"], true);
    assert_eq!(
        detail["assets"][0]["url"],
        format!("/api/v1/instruments/{id}/assets/fig-1.svg")
    );
    assert_eq!(detail["norms"][0]["illustrative"], true);
    assert_eq!(detail["norms"][0]["scale"], "NUM");
}

#[tokio::test]
async fn an_exported_instrument_is_the_document_that_was_imported() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let doc = sample_instrument("NUM-TEST", 1);
    let id = import(&app, &admin, &doc).await;
    let res = app
        .get(&format!("/api/v1/instruments/{id}/export"), &admin)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"NUM-TEST-v1.json\""
    );
    let exported: Value = res.json().await.unwrap();
    // Same content in canonical form (defaults spelled out, numbers as the parser reads them).
    let canonical = |v: &Value| {
        serde_json::from_value::<meritest::domain::instrument::InstrumentDoc>(v.clone()).unwrap()
    };
    assert_eq!(canonical(&exported), canonical(&doc));
    assert_eq!(exported["scales"][1]["aggregate"], "sum");
    // And it imports again as a new version.
    let mut next = exported.clone();
    next["version"] = json!(2);
    import(&app, &admin, &next).await;
    assert_eq!(instrument_count(&app, &admin).await, 2);
}

#[tokio::test]
async fn a_dry_run_checks_the_document_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let res = app
        .post_json(
            "/api/v1/instruments/import?dry_run=true",
            &admin,
            &sample_instrument("NUM-TEST", 1),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["valid"], true);
    assert_eq!(body["dry_run"], true);
    assert_eq!(body["item_count"], 4);
    assert!(body.get("id").is_none());
    assert_eq!(instrument_count(&app, &admin).await, 0);
    assert_eq!(
        app.audit_actions().await.len(),
        1,
        "only the bootstrap account was audited"
    );
}

#[tokio::test]
async fn the_same_code_and_version_cannot_be_imported_twice() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;
    let res = app
        .post_json(
            "/api/v1/instruments/import",
            &admin,
            &sample_instrument("NUM-TEST", 1),
        )
        .await;
    assert_error(res, 409, "instrument_version_exists").await;
    let res = app
        .post_json(
            "/api/v1/instruments/import?dry_run=true",
            &admin,
            &sample_instrument("NUM-TEST", 1),
        )
        .await;
    assert_error(res, 409, "instrument_version_exists").await;
    assert_eq!(instrument_count(&app, &admin).await, 1);
}

#[tokio::test]
async fn an_invalid_document_is_refused_whole_with_every_error_by_item_and_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mut doc = sample_instrument("NUM-TEST", 1);
    doc["items"][1]["key"] = json!("z");
    doc["items"][2]["tolerance"] = json!(-1);
    doc["items"][3]["scale"] = json!("NOPE");
    let err = assert_error(
        app.post_json("/api/v1/instruments/import", &admin, &doc)
            .await,
        422,
        "invalid_instrument",
    )
    .await;
    let errors: Vec<(Value, Value)> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["item"].clone(), e["field"].clone()))
        .collect();
    assert_eq!(
        errors,
        [
            (json!("NS-1"), json!("items[1].key")),
            (json!("AR-1"), json!("items[2].tolerance")),
            (json!("LK-1"), json!("items[3].scale")),
            (Value::Null, json!("scales[1]")),
        ]
    );
    assert_eq!(
        err["message"],
        "the instrument file has 4 errors; nothing was imported"
    );
    assert_eq!(instrument_count(&app, &admin).await, 0);
}

#[tokio::test]
async fn a_misspelt_field_is_refused_naming_the_item() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let mut doc = sample_instrument("NUM-TEST", 1);
    doc["items"][3]["reverse_keyed"] = json!(true);
    let err = assert_error(
        app.post_json("/api/v1/instruments/import", &admin, &doc)
            .await,
        422,
        "invalid_instrument",
    )
    .await;
    assert_eq!(err["errors"][0]["item"], "LK-1");
    assert_eq!(err["errors"][0]["field"], "items[3].reverse_keyed");
}

#[tokio::test]
async fn a_file_that_is_not_json_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let res = app
        .client
        .post(app.url("/api/v1/instruments/import"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body("{\"format\": ")
        .send()
        .await
        .unwrap();
    assert_error(res, 400, "invalid_json").await;
}

#[tokio::test]
async fn an_oversized_file_is_refused() {
    let app = TestApp::spawn_with(|s| s.server.json_limit_bytes = 4096).await;
    let admin = app.admin_token().await;
    let mut doc = sample_instrument("NUM-TEST", 1);
    doc["description"] = json!({"id": "x".repeat(10_000)});
    let res = app
        .post_json("/api/v1/instruments/import", &admin, &doc)
        .await;
    assert_error(res, 413, "payload_too_large").await;
    assert_eq!(instrument_count(&app, &admin).await, 0);
}

#[tokio::test]
async fn an_svg_with_anything_active_is_refused_naming_what() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for (svg, named) in [
        ("<svg><script>alert(1)</script></svg>", "<script>"),
        ("<svg/onload=alert(1)>", "<svg/onload=alert(1)>"),
        (
            "<svg><use href=\"&#106;avascript:alert(1)\"/></svg>",
            "'href' of <use>",
        ),
        (
            "<svg><use href = \"https://tracker.example/p.svg#a\"/></svg>",
            "'href' of <use>",
        ),
        ("<svg><foreignObject/></svg>", "<foreignObject>"),
        ("<svg><rect onclick=\"x()\"/></svg>", "'onclick' of <rect>"),
        (
            "<svg><rect style=\"fill: url(https://x.example/a)\"/></svg>",
            "'style' of <rect>",
        ),
        (
            "<!DOCTYPE svg [<!ENTITY e \"x\">]><svg><text>&e;</text></svg>",
            "DOCTYPE",
        ),
    ] {
        let mut doc = sample_instrument("NUM-TEST", 1);
        doc["assets"][0]["svg"] = json!(svg);
        let err = assert_error(
            app.post_json("/api/v1/instruments/import", &admin, &doc)
                .await,
            422,
            "invalid_instrument",
        )
        .await;
        assert_eq!(err["errors"][0]["field"], "assets[0].svg", "{svg}");
        let message = err["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(named), "{svg}: {message}");
    }
    assert_eq!(instrument_count(&app, &admin).await, 0);
}

#[tokio::test]
async fn an_asset_is_served_with_its_media_type_and_a_locked_down_policy() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;
    let res = app
        .get(
            &format!("/api/v1/instruments/{id}/assets/fig-1.svg"),
            &admin,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    assert!(res.text().await.unwrap().starts_with("<svg"));
    assert_error(
        app.get(&format!("/api/v1/instruments/{id}/assets/none.svg"), &admin)
            .await,
        404,
        "not_found",
    )
    .await;
    let res = app
        .client
        .get(app.url(&format!("/api/v1/instruments/{id}/assets/fig-1.svg")))
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "unauthenticated").await;
}

#[tokio::test]
async fn retiring_hides_an_instrument_from_the_active_list_and_cannot_be_repeated() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;
    let res = app
        .post(&format!("/api/v1/instruments/{id}/retire"), &admin)
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "retired");
    let active: Value = app
        .get("/api/v1/instruments", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(active["instruments"].as_array().unwrap().len(), 0);
    let retired: Value = app
        .get("/api/v1/instruments?status=retired", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(retired["instruments"][0]["id"], id.as_str());
    assert_error(
        app.post(&format!("/api/v1/instruments/{id}/retire"), &admin)
            .await,
        409,
        "invalid_state_transition",
    )
    .await;
    let actions: Vec<String> = app
        .audit_actions()
        .await
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(
        actions,
        ["account.create", "instrument.import", "instrument.retire"]
    );
}

#[tokio::test]
async fn hr_manages_the_item_bank_but_other_roles_may_not() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let hr = app.account_with_role(&admin, "hr").await;
    import(&app, &hr, &sample_instrument("NUM-TEST", 1)).await;
    for role in ["proctor", "assessor", "psychologist"] {
        let token = app.account_with_role(&admin, role).await;
        assert_error(
            app.get("/api/v1/instruments", &token).await,
            403,
            "forbidden",
        )
        .await;
        let res = app
            .post_json(
                "/api/v1/instruments/import",
                &token,
                &sample_instrument("NUM-TEST", 2),
            )
            .await;
        assert_error(res, 403, "forbidden").await;
    }
    assert_eq!(instrument_count(&app, &admin).await, 1);
}

#[tokio::test]
async fn a_bad_status_filter_is_an_invalid_query() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    assert_error(
        app.get("/api/v1/instruments?status=deleted", &admin).await,
        400,
        "invalid_query",
    )
    .await;
}
