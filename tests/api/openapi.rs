//! The OpenAPI document against the server: every error a guard or extractor answers (no token, a
//! bad token, a role outside the policy, an id that does not parse, a bad query, a body that is
//! not JSON or not of the right shape) is answered as the document says, on every operation; and
//! responses are documented with the schema of what is really sent. `tests/fuzz/openapi.sh`
//! (schemathesis) goes further with generated requests.
use std::collections::BTreeSet;

use meritest::error::ErrorCode;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{started, TestApp, DEMO_PASSWORD};

async fn document(app: &TestApp) -> Value {
    app.client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Every operation of the document: (method, path template, operation).
fn operations(doc: &Value) -> Vec<(Method, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            out.push((method, path.clone(), op.clone()));
        }
    }
    out
}

/// The schema `$ref` points at, or the schema itself.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.trim_start_matches("#/components/schemas/");
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

fn parameters<'a>(op: &'a Value, place: &str) -> Vec<&'a Value> {
    op["parameters"]
        .as_array()
        .map(|ps| ps.iter().filter(|p| p["in"] == place).collect())
        .unwrap_or_default()
}

/// `template` with each path parameter replaced: by a value of its type that names nothing, or
/// by `bad` for every one when given.
fn fill(template: &str, op: &Value, bad: Option<&str>) -> String {
    let mut path = template.to_owned();
    for p in parameters(op, "path") {
        let name = p["name"].as_str().unwrap();
        let value = match (
            bad,
            p["schema"]["type"].as_str(),
            p["schema"]["format"].as_str(),
        ) {
            (Some(bad), _, _) => bad.to_owned(),
            // A documented choice: its first value.
            _ if p["schema"]["enum"].is_array() => {
                p["schema"]["enum"][0].as_str().unwrap().to_owned()
            }
            (None, _, Some("uuid")) => uuid::Uuid::new_v4().to_string(),
            (None, Some("integer"), _) => "0".to_owned(),
            _ => "x".to_owned(),
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    path
}

/// Sends a request and checks the answer is an error the operation documents, in the error
/// shape, with a code whose status is the one sent; returns (status, code).
async fn refused(
    app: &TestApp,
    (method, template, op): (&Method, &str, &Value),
    path: &str,
    token: Option<&str>,
    body: Option<(&str, &str)>,
) -> (u16, String) {
    let mut req = app.client.request(method.clone(), app.url(path));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    if let Some((content_type, bytes)) = body {
        req = req
            .header("content-type", content_type)
            .body(bytes.to_owned());
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let documented = op["responses"].get(status.to_string());
    assert!(
        documented.is_some(),
        "{method} {template}: {status} is not documented (sent {path})"
    );
    assert_eq!(
        documented.unwrap()["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorBody",
        "{method} {template}: {status} is not documented with the error body"
    );
    let body: Value = res.json().await.unwrap();
    let code = body["code"].as_str().unwrap_or_default().to_owned();
    let known = ErrorCode::ALL
        .iter()
        .find(|c| c.as_str() == code)
        .unwrap_or_else(|| panic!("{method} {template}: unknown code in {body}"));
    assert_eq!(known.status().as_u16(), status, "{method} {template}");
    assert!(body["message"].is_string(), "{method} {template}: {body}");
    let description = documented.unwrap()["description"].as_str().unwrap();
    assert!(
        description.contains(&code),
        "{method} {template}: {status} does not name {code}: {description:?}"
    );
    (status, code)
}

#[tokio::test]
async fn every_operation_answers_the_errors_of_its_guards_and_extractors_as_documented() {
    let app = TestApp::spawn_demo().await;
    let (_, candidate, _) = started(&app, &[("NUM-SERIES", 600)]).await;
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    // A role no policy but "any staff member" lets in; for the operations whose security names
    // the roles they admit, assessors among them, a proctor (so a policy and its documented roles
    // cannot drift apart: an undocumented reader lets the assessor in and fails here).
    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let psychologist = app
        .token("psychologist@demo.meritest.id", DEMO_PASSWORD)
        .await;
    let doc = document(&app).await;
    let mut checked = 0;
    for (method, template, op) in operations(&doc) {
        let at = (&method, template.as_str(), &op);
        let secured = op["security"].is_array();
        let is_candidate = template.starts_with("/api/v1/candidate/");
        // A role the operation admits: the administrator, or the one role of an operation only
        // that role has (the assessor's own workspace, a psychologist's release).
        let only = |role: &str| op["security"][0]["bearer"] == json!([role]);
        let token = match (secured, is_candidate) {
            (false, _) => None,
            (true, true) => Some(candidate.as_str()),
            (true, false) if only("assessor") => Some(assessor.as_str()),
            (true, false) if only("psychologist") => Some(psychologist.as_str()),
            (true, false) => Some(admin.as_str()),
        };
        let valid = fill(&template, &op, None);
        if secured {
            let (status, code) = refused(&app, at, &valid, None, None).await;
            assert_eq!((status, code.as_str()), (401, "unauthenticated"));
            let (status, code) = refused(&app, at, &valid, Some("not-a-token"), None).await;
            assert_eq!((status, code.as_str()), (401, "invalid_token"));
            checked += 2;
        }
        // A role outside the policy. (With a body the extractors race: actix polls them all at
        // once, so a body error may come first while the token is still being checked.)
        let for_every_role = template.starts_with("/api/v1/auth/");
        if secured && !is_candidate && !for_every_role && op["requestBody"].is_null() {
            let admitted = &op["security"][0]["bearer"];
            let names_assessors = admitted
                .as_array()
                .is_some_and(|roles| roles.contains(&json!("assessor")));
            if let Some(roles) = admitted.as_array() {
                assert!(
                    !roles.contains(&json!("proctor")) || !names_assessors,
                    "{template}: {roles:?}"
                );
            }
            let outsider = if names_assessors { &proctor } else { &assessor };
            let (status, code) = refused(&app, at, &valid, Some(outsider), None).await;
            assert_eq!((status, code.as_str()), (403, "forbidden"), "{template}");
            checked += 1;
        }
        if !parameters(&op, "path").is_empty() {
            let unparsable = fill(&template, &op, Some("not-an-id"));
            let (status, code) = refused(&app, at, &unparsable, token, None).await;
            assert_eq!((status, code.as_str()), (404, "not_found"), "{template}");
            checked += 1;
        }
        if !parameters(&op, "query").is_empty() {
            let unknown = format!("{valid}?no_such_option=1");
            let (status, code) = refused(&app, at, &unknown, token, None).await;
            assert_eq!(
                (status, code.as_str()),
                (400, "invalid_query"),
                "{template}"
            );
            checked += 1;
        }
        let json_body = op["requestBody"]["content"]["application/json"].is_object();
        if json_body {
            let broken = Some(("application/json", "{not json"));
            let (status, _) = refused(&app, at, &valid, token, broken).await;
            assert_eq!(status, 400, "{template}");
            checked += 1;
        }
        // The operations whose body the JSON extractor reads: the media type and shape count.
        if json_body && !template.ends_with("/import") {
            let text = Some(("text/plain", "{}"));
            let (status, code) = refused(&app, at, &valid, token, text).await;
            assert_eq!(
                (status, code.as_str()),
                (415, "unsupported_media_type"),
                "{template}"
            );
            let wrong_shape = Some(("application/json", "\"not an object\""));
            let (status, code) = refused(&app, at, &valid, token, wrong_shape).await;
            assert_eq!(
                (status, code.as_str()),
                (422, "invalid_input"),
                "{template}"
            );
            checked += 2;
        }
    }
    // Forty-odd operations, most with a token, a path id or a body.
    assert!(checked >= 150, "only {checked} refusals checked");
}

/// The keys an object of `schema` may have, and those it must have.
fn keys(doc: &Value, schema: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    let schema = resolve(doc, schema);
    let properties = schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no properties in {schema}"))
        .keys()
        .cloned()
        .collect();
    let required = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    (properties, required)
}

fn assert_fits(doc: &Value, schema: &Value, actual: &Value, what: &str) {
    let (properties, required) = keys(doc, schema);
    let sent: BTreeSet<String> = actual.as_object().unwrap().keys().cloned().collect();
    let undocumented: Vec<_> = sent.difference(&properties).collect();
    assert!(
        undocumented.is_empty(),
        "{what}: sent, not documented: {undocumented:?}"
    );
    let missing: Vec<_> = required.difference(&sent).collect();
    assert!(
        missing.is_empty(),
        "{what}: required, not sent: {missing:?}"
    );
}

#[tokio::test]
async fn a_battery_section_and_a_candidate_section_are_each_documented_with_their_own_schema() {
    let app = TestApp::spawn_demo().await;
    let (setup, _, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    let doc = document(&app).await;
    let batteries: Value = app
        .get("/api/v1/batteries", &setup.hr)
        .await
        .json()
        .await
        .unwrap();
    let staff_section = &batteries["batteries"][0]["sections"][0];
    let battery_view = resolve(
        &doc,
        &doc["components"]["schemas"]["BatteryList"]["properties"]["batteries"]["items"],
    );
    let documented = &battery_view["properties"]["sections"]["items"];
    assert_fits(&doc, documented, staff_section, "a battery's section");

    let start = &doc["paths"]["/api/v1/candidate/sections/{position}/start"]["post"];
    let documented = &start["responses"]["200"]["content"]["application/json"]["schema"];
    assert_fits(&doc, documented, &section, "a candidate's section");
    assert_ne!(
        documented["$ref"],
        battery_view["properties"]["sections"]["items"]["$ref"]
    );
}

#[tokio::test]
async fn an_answer_is_documented_with_one_shape_per_item_format() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let response = &doc["components"]["schemas"]["AnswerBody"]["properties"]["response"];
    let shapes: Vec<Value> = response["oneOf"]
        .as_array()
        .unwrap_or_else(|| panic!("not one of several shapes: {response}"))
        .iter()
        .map(|s| s["required"].clone())
        .collect();
    assert_eq!(
        shapes,
        [
            json!(["choice"]),
            json!(["point"]),
            json!(["most", "least"]),
            json!(["value"])
        ]
    );
}
