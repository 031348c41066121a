use serde_json::{json, Value};

use crate::helpers::{assert_error, TestApp, ADMIN_EMAIL, ADMIN_PASSWORD};

#[tokio::test]
async fn signing_in_returns_a_token_that_identifies_the_account() {
    let app = TestApp::spawn().await;
    let res = app.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["account"]["email"], ADMIN_EMAIL);
    assert_eq!(body["account"]["role"], "admin");
    assert_eq!(body["account"]["organisation"]["name"], "Test Organisation");
    let token = body["token"].as_str().unwrap();
    let claims = app.ctx.tokens.verify(token).unwrap();
    assert_eq!(claims.iss, "meritest");
    assert_eq!(claims.aud, "meritest-staff");
    assert_eq!(claims.exp - claims.iat, 8 * 60 * 60);

    let me: Value = app
        .get("/api/v1/auth/me", token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], ADMIN_EMAIL);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let wrong = assert_error(
        app.login(ADMIN_EMAIL, "not-the-password").await,
        401,
        "invalid_credentials",
    )
    .await;
    let unknown = assert_error(
        app.login("nobody@test.meritest.id", "whatever-123").await,
        401,
        "invalid_credentials",
    )
    .await;
    let malformed = assert_error(
        app.login("not an address", "whatever-123").await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_eq!(wrong["message"], unknown["message"]);
    assert_eq!(wrong["message"], malformed["message"]);
}

#[tokio::test]
async fn a_request_without_a_token_is_unauthenticated() {
    let app = TestApp::spawn().await;
    let res = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "unauthenticated").await;
    let res = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .header("Authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_error(res, 401, "invalid_token").await;
}

#[tokio::test]
async fn a_tampered_token_is_refused() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    // Flip a character of the signature.
    let sig = parts[2].clone();
    let flipped = if sig.ends_with('A') { "B" } else { "A" };
    parts[2] = format!("{}{}", &sig[..sig.len() - 1], flipped);
    assert_error(
        app.get("/api/v1/auth/me", &parts.join(".")).await,
        401,
        "invalid_token",
    )
    .await;
}

#[tokio::test]
async fn signing_out_revokes_the_token() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let other_session = app.admin_token().await;
    let res = app.post("/api/v1/auth/logout", &token).await;
    assert_eq!(res.status(), 204);
    assert_error(
        app.get("/api/v1/auth/me", &token).await,
        401,
        "invalid_token",
    )
    .await;
    // Only that token: another session of the same account goes on.
    assert_eq!(
        app.get("/api/v1/auth/me", &other_session).await.status(),
        200
    );
}

#[tokio::test]
async fn tokens_survive_a_restart_because_the_generated_secret_is_kept() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let secret_file = app.data_dir.path().join("secret.key");
    assert!(secret_file.exists());
    app.handle.stop(true).await;
    let settings = crate::helpers::test_settings(app.data_dir.path(), &app.database_url);
    let restarted = TestApp::start(settings, app.data_dir, app.database_url).await;
    assert_eq!(restarted.get("/api/v1/auth/me", &token).await.status(), 200);
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_cannot_choose_the_address_it_is_counted_under() {
    let app = TestApp::spawn_with(|s| {
        s.server.trusted_proxies = 1;
        s.auth.login_attempts_per_address = 3;
    })
    .await;
    // Each attempt claims another address on the left; our proxy appended the one it saw.
    let attempt = |i: u32| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", format!("198.51.100.{i}, 203.0.113.7"))
            .json(&serde_json::json!({"email": format!("nobody{i}@test.meritest.id"), "password": "x"}))
            .send()
    };
    for i in 0..3 {
        assert_error(attempt(i).await.unwrap(), 401, "invalid_credentials").await;
    }
    assert_error(attempt(3).await.unwrap(), 429, "too_many_requests").await;
    // Another client behind the same proxy is counted on its own.
    let other = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", "203.0.113.8")
        .json(&serde_json::json!({"email": "nobody@test.meritest.id", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_error(other, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_its_tokens_stop_working() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let res = app
        .post_json(
            "/api/v1/accounts",
            &admin,
            &json!({"email": "hr@test.meritest.id", "name": "HR", "role": "hr", "password": "hr-password-1"}),
        )
        .await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let hr = app.token("hr@test.meritest.id", "hr-password-1").await;
    assert_eq!(
        app.post(&format!("/api/v1/accounts/{id}/disable"), &admin)
            .await
            .status(),
        200
    );
    assert_error(app.get("/api/v1/auth/me", &hr).await, 401, "invalid_token").await;
    assert_error(
        app.login("hr@test.meritest.id", "hr-password-1").await,
        403,
        "account_disabled",
    )
    .await;
    assert_eq!(
        app.post(&format!("/api/v1/accounts/{id}/enable"), &admin)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.login("hr@test.meritest.id", "hr-password-1")
            .await
            .status(),
        200
    );
}
