//! Signed-out tokens stay refused (issue 10, item 7): the revocation is durable in the database,
//! and a live store that restarted or lost its data is loaded again from there.
use std::time::Duration;

use meritest::store::entities::revoked_token;
use sea_orm::EntityTrait;

use crate::helpers::{assert_error, TestApp};

/// The identifier (`jti`) of a staff token.
fn jti(app: &TestApp, token: &str) -> String {
    app.ctx.tokens.verify(token).unwrap().jti
}

/// Signs the token out; it must succeed.
async fn sign_out(app: &TestApp, token: &str) {
    assert_eq!(app.post("/api/v1/auth/logout", token).await.status(), 204);
}

#[tokio::test]
async fn signing_out_writes_the_durable_revocation_before_the_reply() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let claims = app.ctx.tokens.verify(&token).unwrap();
    let before = app.ctx.clock.now();
    sign_out(&app, &token).await;
    let after = app.ctx.clock.now();
    let row = revoked_token::Entity::find_by_id(claims.jti.clone())
        .one(&app.ctx.db)
        .await
        .unwrap()
        .expect("the revocation is in the database when the reply comes");
    assert_eq!(row.account_id, claims.sub);
    assert_eq!(
        row.expires_at,
        claims.expires_at() + chrono::Duration::seconds(60),
        "kept a minute past the token's expiry, beyond the verifier's leeway"
    );
    // PostgreSQL keeps microseconds.
    let revoked = row.revoked_at + chrono::Duration::microseconds(1);
    assert!(
        before <= revoked && row.revoked_at <= after,
        "{before} {row:?} {after}"
    );
}

#[tokio::test]
async fn a_signed_out_token_stays_refused_after_a_restart_with_an_empty_live_store() {
    let app = TestApp::spawn().await;
    let signed_out = app.admin_token().await;
    let kept = app.admin_token().await;
    sign_out(&app, &signed_out).await;
    let id = jti(&app, &signed_out);

    let app = app.restart_with_empty_live_store().await;
    assert_eq!(app.ctx.live.is_token_revoked(&id).await.unwrap(), None);
    assert_error(
        app.get("/api/v1/auth/me", &signed_out).await,
        401,
        "invalid_token",
    )
    .await;
    // The other session goes on, and the live store knows again: no more database reads.
    assert_eq!(app.get("/api/v1/auth/me", &kept).await.status(), 200);
    assert_eq!(
        app.ctx.live.is_token_revoked(&id).await.unwrap(),
        Some(true)
    );
}

#[tokio::test]
async fn a_signed_out_token_stays_refused_when_redis_loses_its_data_under_running_nodes() {
    let app = TestApp::spawn().await;
    let other = app.second_node().await;
    let signed_out = app.admin_token().await;
    let kept = app.admin_token().await;
    sign_out(&app, &signed_out).await;
    assert_error(
        other.get("/api/v1/auth/me", &signed_out).await,
        401,
        "invalid_token",
    )
    .await;
    if !app.wipe_redis().await {
        eprintln!("skipped: MERITEST_TEST_REDIS_URL is not set (the restart test covers the in-process store)");
        return;
    }
    assert_eq!(
        app.ctx
            .live
            .is_token_revoked(&jti(&app, &signed_out))
            .await
            .unwrap(),
        None,
        "the live store lost everything"
    );
    for node in [&other, &app] {
        assert_error(
            node.get("/api/v1/auth/me", &signed_out).await,
            401,
            "invalid_token",
        )
        .await;
        assert_eq!(node.get("/api/v1/auth/me", &kept).await.status(), 200);
    }
    other.handle.stop(true).await;
}

#[tokio::test]
async fn revocations_of_expired_tokens_are_pruned_and_those_in_force_kept() {
    let app = TestApp::spawn().await;
    let old = app.admin_token().await;
    sign_out(&app, &old).await;
    // Past the staff token lifetime (8 hours) and the minute the revocation outlives it.
    app.advance(Duration::from_secs(8 * 3600 + 120));
    let recent = app.admin_token().await;
    sign_out(&app, &recent).await;

    let pruned = meritest::services::revocations::prune(&app.ctx)
        .await
        .unwrap();
    assert_eq!(pruned, 1);
    let left: Vec<String> = revoked_token::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.jti)
        .collect();
    assert_eq!(left, vec![jti(&app, &recent)]);
    // The pruned token is refused all the same: it has expired.
    assert_error(app.get("/api/v1/auth/me", &old).await, 401, "invalid_token").await;
    assert_error(
        app.get("/api/v1/auth/me", &recent).await,
        401,
        "invalid_token",
    )
    .await;
}
