//! Access codes are stored as HMACs under a key of their own: the key, not the token signing
//! secret, decides whether a code is accepted, and codes stored before keys keep working.
use meritest::domain::access_code::{AccessCode, CodeKey};
use meritest::store::campaigns::{find_by_access_code, set_access_code};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::{assert_error, login, setup, TestApp, NIP};

const SECRET_A: &str = "a3f1c9e27b4d8e05f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b";
const SECRET_B: &str = "5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271605";
const CODE_KEY: &str = "c0de4b1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f";
const OTHER_KEY: &str = "f7e6d5c4b3a2918070f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2918";

/// Stops `app` and starts it again on the same data and database with changed settings.
async fn restart(app: TestApp, adjust: impl FnOnce(&mut meritest::config::Settings)) -> TestApp {
    app.handle.stop(true).await;
    let mut settings = (*app.ctx.settings).clone();
    adjust(&mut settings);
    let mut again = TestApp::start(settings, app.data_dir, app.database_url).await;
    again.database = app.database;
    again
}

async fn sign_in(app: &TestApp, code: &str) -> reqwest::Response {
    login(app, json!({"code": code, "nip": NIP})).await
}

#[tokio::test]
async fn the_code_key_and_not_the_token_secret_decides_whether_a_code_is_accepted() {
    let app = TestApp::spawn_demo_with(|s| {
        s.auth.secret = Some(SECRET_A.to_owned().into());
        s.auth.access_code_key = Some(CODE_KEY.to_owned().into());
    })
    .await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let code = AccessCode::parse(&s.code).unwrap();
    let key = CodeKey::new(CODE_KEY.as_bytes());
    let stored = find_by_access_code(&app.ctx.db, &code.digest(&key))
        .await
        .unwrap()
        .expect("the code is stored as its HMAC under the configured key");
    let stored = stored.access_code_hash.unwrap();
    let plain = hex::encode(Sha256::digest(s.code.replace('-', "").as_bytes()));
    assert_ne!(stored, plain, "not the plain SHA-256 of the code");
    assert_ne!(stored, code.legacy_hash(), "not the unkeyed hash of before");

    // The token secret is rotated: the code still signs in (its tokens are of the new secret).
    let app = restart(app, |s| s.auth.secret = Some(SECRET_B.to_owned().into())).await;
    assert_eq!(sign_in(&app, &s.code).await.status(), 200);

    // Another code key: the same code is a wrong code.
    let app = restart(app, |s| {
        s.auth.access_code_key = Some(OTHER_KEY.to_owned().into())
    })
    .await;
    assert_error(sign_in(&app, &s.code).await, 401, "invalid_credentials").await;
}

#[tokio::test]
async fn a_generated_code_key_is_kept_beside_the_signing_secret_and_reused_after_a_restart() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let file = app.data_dir.path().join("access-code.key");
    let key = std::fs::read_to_string(&file).expect("the key file was generated");
    assert_ne!(
        key.trim(),
        std::fs::read_to_string(app.data_dir.path().join("secret.key"))
            .unwrap()
            .trim()
    );
    let app = restart(app, |_| {}).await;
    assert_eq!(sign_in(&app, &s.code).await.status(), 200);
}

#[tokio::test]
async fn a_code_stored_before_codes_were_keyed_still_signs_in_and_is_re_keyed() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let code = AccessCode::parse(&s.code).unwrap();
    let digest = code.digest(&app.ctx.code_key);
    let p = find_by_access_code(&app.ctx.db, &digest)
        .await
        .unwrap()
        .unwrap();
    // As an older release stored it.
    set_access_code(
        &app.ctx.db,
        p.id.into(),
        &code.legacy_hash(),
        p.code_issued_at.unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(sign_in(&app, &s.code).await.status(), 200);
    let rekeyed = find_by_access_code(&app.ctx.db, &digest)
        .await
        .unwrap()
        .expect("the row now holds the keyed digest");
    assert_eq!(rekeyed.id, p.id);
    assert!(find_by_access_code(&app.ctx.db, &code.legacy_hash())
        .await
        .unwrap()
        .is_none());
    assert_eq!(sign_in(&app, &s.code).await.status(), 200);
}
