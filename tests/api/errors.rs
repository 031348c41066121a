use serde_json::json;

use crate::helpers::{assert_error, TestApp};

#[tokio::test]
async fn malformed_json_is_invalid_json() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .unwrap();
    assert_error(res, 400, "invalid_json").await;
}

#[tokio::test]
async fn wrong_types_missing_and_unknown_fields_are_invalid_input() {
    let app = TestApp::spawn().await;
    for body in [
        json!({"email": 5, "password": "x"}),
        json!({"email": "a@b.id"}),
        json!({"email": "a@b.id", "password": "x", "remember": true}),
        json!([1, 2]),
    ] {
        let res = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_error(res, 422, "invalid_input").await;
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_an_unsupported_media_type() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("content-type", "text/plain")
        .body("email=a")
        .send()
        .await
        .unwrap();
    assert_error(res, 415, "unsupported_media_type").await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_payload_too_large() {
    let app = TestApp::spawn_with(|s| s.server.json_limit_bytes = 1024).await;
    let body = json!({"email": "a@b.id", "password": "x".repeat(5000)});
    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_error(res, 413, "payload_too_large").await;
}

#[tokio::test]
async fn unknown_endpoints_and_ids_are_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    assert_error(
        app.get("/api/v1/no-such-thing", &admin).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/v2/instruments", &admin).await,
        404,
        "not_found",
    )
    .await;
    let id = uuid::Uuid::new_v4();
    assert_error(
        app.get(&format!("/api/v1/instruments/{id}"), &admin).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/api/v1/instruments/123", &admin).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get(&format!("/api/v1/batteries/{id}"), &admin).await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.get("/no-such-page.html", &admin).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_known_path_with_the_wrong_method_is_method_not_allowed() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/api/v1/auth/login"))
        .send()
        .await
        .unwrap();
    assert_error(res, 405, "method_not_allowed").await;
    let res = app
        .client
        .delete(app.url("/api/v1/instruments"))
        .send()
        .await
        .unwrap();
    assert_error(res, 405, "method_not_allowed").await;
}
