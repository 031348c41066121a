use std::time::Duration;

use serde_json::Value;

use crate::helpers::{backends, TestApp};

#[tokio::test]
async fn health_answers_alive() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "alive");
}

#[tokio::test]
async fn ready_reports_both_stores_and_the_live_backend_in_use() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["live_store"], "ok");
    let expected = if backends().1.is_some() {
        "redis"
    } else {
        "memory"
    };
    assert_eq!(body["live_backend"], expected);
}

#[tokio::test]
async fn ready_answers_503_with_the_reason_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.ctx.db.clone().close().await.unwrap();
    let res = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ready"], false);
    assert!(
        body["database"]
            .as_str()
            .unwrap()
            .starts_with("unreachable"),
        "{body}"
    );
    assert_eq!(body["live_store"], "ok");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_report_the_pool() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = uuid::Uuid::new_v4();
    app.get(&format!("/api/v1/instruments/{id}"), &admin).await;
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        text.contains(r#"meritest_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"meritest_http_requests_total{method="GET",route="/api/v1/instruments/{id}",status="404"} 1"#),
        "{text}"
    );
    assert!(text.contains("meritest_http_request_duration_seconds_bucket"));
    assert!(text.contains("meritest_db_pool_connections"));
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let a = app.client.get(app.url("/health")).send().await.unwrap();
    let b = app
        .client
        .get(app.url("/api/v1/nope"))
        .send()
        .await
        .unwrap();
    let id_a = a.headers()["x-request-id"].to_str().unwrap().to_owned();
    let id_b = b.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id_a.len(), 36);
    assert_ne!(id_a, id_b);
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/health", "get"),
        ("/ready", "get"),
        ("/metrics", "get"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/me", "get"),
        ("/api/v1/accounts", "get"),
        ("/api/v1/accounts", "post"),
        ("/api/v1/accounts/{id}/disable", "post"),
        ("/api/v1/accounts/{id}/enable", "post"),
        ("/api/v1/instruments", "get"),
        ("/api/v1/instruments/import", "post"),
        ("/api/v1/instruments/{id}", "get"),
        ("/api/v1/instruments/{id}/export", "get"),
        ("/api/v1/instruments/{id}/assets/{name}", "get"),
        ("/api/v1/instruments/{id}/retire", "post"),
        ("/api/v1/batteries", "get"),
        ("/api/v1/batteries", "post"),
        ("/api/v1/batteries/{id}", "get"),
        ("/api/v1/campaigns", "get"),
        ("/api/v1/campaigns", "post"),
        ("/api/v1/campaigns/{id}", "get"),
        ("/api/v1/campaigns/{id}/participants", "get"),
        ("/api/v1/campaigns/{id}/participants/import", "post"),
        (
            "/api/v1/campaigns/{id}/participants/{participant}/access-code",
            "post",
        ),
        ("/api/v1/campaigns/{id}/access-codes", "post"),
        ("/api/v1/campaigns/{id}/results", "get"),
        ("/api/v1/campaigns/{id}/rescore", "post"),
        (
            "/api/v1/campaigns/{id}/participants/{participant}/timeline",
            "get",
        ),
        ("/api/v1/candidate/events", "post"),
        (
            "/api/v1/campaigns/{id}/participants/{participant}/extend",
            "post",
        ),
        (
            "/api/v1/campaigns/{id}/participants/{participant}/unlock",
            "post",
        ),
        ("/api/v1/candidate/login", "post"),
        ("/api/v1/candidate/attempt", "get"),
        ("/api/v1/candidate/consent", "post"),
        ("/api/v1/candidate/sections/{position}", "get"),
        ("/api/v1/candidate/sections/{position}/start", "post"),
        ("/api/v1/candidate/sections/{position}/submit", "post"),
        (
            "/api/v1/candidate/sections/{position}/assets/{handle}",
            "get",
        ),
        ("/api/v1/candidate/answers", "put"),
        ("/api/v1/candidate/finish", "post"),
        ("/api/v1/candidate/stream", "get"),
        ("/api/v1/candidate/messages/{id}/dismiss", "post"),
        ("/api/v1/proctoring/sessions", "get"),
        ("/api/v1/proctoring/sessions/{id}/room", "get"),
        ("/api/v1/proctoring/sessions/{id}/live", "get"),
        ("/api/v1/proctoring/sessions/{id}/actions", "post"),
        ("/api/v1/proctoring/sessions/{id}/start", "post"),
    ];
    for (path, method) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is missing"
        );
    }
    let count: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        count,
        expected.len(),
        "an endpoint is documented that this test does not know"
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn a_graceful_stop_lets_an_in_flight_request_finish() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    // A request whose body arrives slowly is in flight when the stop begins.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
    let request = app
        .client
        .post(app.url("/api/v1/instruments/import?dry_run=true"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send();
    let in_flight = tokio::spawn(request);
    let doc = serde_json::to_vec(&crate::helpers::sample_instrument("NUM-TEST", 1)).unwrap();
    let (first, rest) = doc.split_at(20);
    tx.send(Ok(first.to_vec())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = tokio::spawn(app.handle.stop(true));
    tokio::time::sleep(Duration::from_millis(200)).await;
    tx.send(Ok(rest.to_vec())).await.unwrap();
    drop(tx);
    let res = in_flight.await.unwrap().unwrap();
    assert_eq!(res.status(), 200);
    stopping.await.unwrap();
    // New connections are refused once stopped.
    assert!(app.client.get(app.url("/health")).send().await.is_err());
}
