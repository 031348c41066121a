//! Sign-in limits drawn around the guesser: a test centre behind one address signs in whole;
//! guessing is limited per access code and per campaign; a staff guesser waits ever longer while
//! the owner signs in from elsewhere at once.
use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, create_campaign, demo_hr, enrolled, login, Enrolled, TestApp, ADMIN_EMAIL,
    ADMIN_PASSWORD,
};

/// A campaign of the demo battery, open now, with `n` participants in one session of a
/// test centre, their codes issued: the participants.
async fn test_centre(app: &TestApp, n: usize) -> Vec<Enrolled> {
    let (hr, battery) = demo_hr(app).await;
    let campaign = create_campaign(
        app,
        &hr,
        &json!({"name": "Ujian di pusat asesmen", "battery": battery,
            "opens_at": (Utc::now() - chrono::Duration::hours(1)).to_rfc3339(),
            "closes_at": (Utc::now() + chrono::Duration::days(1)).to_rfc3339(),
            "sessions": [{"name": "Lab", "starts_at": Utc::now().to_rfc3339(), "capacity": 1000}]}),
    )
    .await;
    enrolled(app, &hr, &campaign, "Lab", n).await
}

/// A NIP of the right shape that belongs to no participant.
const WRONG_NIP: &str = "199001012015031002";

async fn sign_in(app: &TestApp, who: &Enrolled) -> reqwest::Response {
    login(app, json!({"code": who.code, "nip": who.nip})).await
}

async fn wrong_nip(app: &TestApp, who: &Enrolled) -> reqwest::Response {
    login(app, json!({"code": who.code, "nip": WRONG_NIP})).await
}

#[tokio::test]
async fn a_hundred_candidates_behind_one_address_all_sign_in() {
    let app = TestApp::spawn_demo().await;
    let people = test_centre(&app, 100).await;
    // Every request of this test comes from 127.0.0.1, as a lab behind one NAT address does.
    for (i, who) in people.iter().enumerate() {
        assert_eq!(sign_in(&app, who).await.status(), 200, "candidate {i}");
    }
}

#[tokio::test]
async fn the_sixth_wrong_nip_for_one_code_is_refused_while_other_candidates_sign_in() {
    let app = TestApp::spawn_demo().await;
    let people = test_centre(&app, 2).await;
    let (guessed, other) = (&people[0], &people[1]);
    for _ in 0..5 {
        assert_error(wrong_nip(&app, guessed).await, 401, "invalid_credentials").await;
    }
    // Now even the right NIP is refused with that code: a guesser learns nothing more.
    assert_error(sign_in(&app, guessed).await, 429, "too_many_requests").await;
    let birth = login(
        &app,
        json!({"code": guessed.code, "birth_date": "1985-03-15"}),
    )
    .await;
    assert_error(birth, 429, "too_many_requests").await;
    // Another candidate of the campaign, from the same address, signs in at once.
    assert_eq!(sign_in(&app, other).await.status(), 200);
}

#[tokio::test]
async fn past_the_campaigns_ceiling_a_code_that_failed_waits_but_one_that_did_not_signs_in() {
    let app = TestApp::spawn_demo_with(|s| s.auth.candidate_failures_per_campaign = 3).await;
    let p = test_centre(&app, 5).await;
    // Under the ceiling a typo costs nothing: the right NIP then signs in, and clears the count.
    assert_error(wrong_nip(&app, &p[0]).await, 401, "invalid_credentials").await;
    assert_eq!(sign_in(&app, &p[0]).await.status(), 200);
    assert_error(wrong_nip(&app, &p[1]).await, 401, "invalid_credentials").await;
    assert_error(wrong_nip(&app, &p[2]).await, 401, "invalid_credentials").await;
    // Three wrong NIPs in the campaign: a code that has had its try waits…
    assert_error(sign_in(&app, &p[1]).await, 429, "too_many_requests").await;
    // …while a code that has not failed signs in, and so does one whose count was cleared.
    assert_eq!(sign_in(&app, &p[3]).await.status(), 200);
    assert_eq!(sign_in(&app, &p[0]).await.status(), 200);
    // A fresh code gets one try: a wrong NIP is answered as such, and then it waits too.
    assert_error(wrong_nip(&app, &p[4]).await, 401, "invalid_credentials").await;
    assert_error(sign_in(&app, &p[4]).await, 429, "too_many_requests").await;
}

#[tokio::test]
async fn the_candidate_limits_are_settings() {
    let app = TestApp::spawn_demo_with(|s| {
        s.auth.candidate_failures_per_code = 2;
        s.auth.candidate_attempts_per_address = 6;
    })
    .await;
    let p = test_centre(&app, 3).await;
    // A code that does not exist is counted as that code: its third try is refused.
    let unknown = json!({"code": "22222-22222", "nip": WRONG_NIP});
    assert_error(
        login(&app, unknown.clone()).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_error(
        login(&app, unknown.clone()).await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_error(login(&app, unknown).await, 429, "too_many_requests").await;
    assert_error(wrong_nip(&app, &p[0]).await, 401, "invalid_credentials").await;
    assert_error(wrong_nip(&app, &p[0]).await, 401, "invalid_credentials").await;
    assert_error(sign_in(&app, &p[0]).await, 429, "too_many_requests").await;
    // Six attempts from this address so far: the seventh is refused, whoever makes it.
    assert_error(sign_in(&app, &p[1]).await, 429, "too_many_requests").await;
}

/// Posts a staff sign-in as a client at `address` (behind one trusted proxy).
async fn staff_login(
    app: &TestApp,
    address: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

const GUESSER: &str = "198.51.100.7";
const OWNER: &str = "203.0.113.20";

async fn behind_a_proxy(adjust: impl FnOnce(&mut meritest::config::Settings)) -> TestApp {
    TestApp::spawn_with(|s| {
        s.server.trusted_proxies = 1;
        adjust(s);
    })
    .await
}

async fn wait_of(res: reqwest::Response) -> String {
    let body: Value = assert_error(res, 429, "too_many_requests").await;
    body["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_guesser_is_locked_out_while_the_owner_signs_in_from_elsewhere_at_once() {
    let app = behind_a_proxy(|_| {}).await;
    for _ in 0..5 {
        let res = staff_login(&app, GUESSER, ADMIN_EMAIL, "not-the-password").await;
        assert_error(res, 401, "invalid_credentials").await;
    }
    // The guesser must wait, even with the right password…
    let res = staff_login(&app, GUESSER, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_error(res, 429, "too_many_requests").await;
    // …while the owner, elsewhere, signs in at once, and a typo of theirs is just a typo.
    let res = staff_login(&app, OWNER, ADMIN_EMAIL, "a-typo-of-mine").await;
    assert_error(res, 401, "invalid_credentials").await;
    assert_eq!(
        staff_login(&app, OWNER, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
}

/// The seconds a refusal asks to wait ("… wait 4 seconds …").
async fn wait_seconds(res: reqwest::Response) -> u64 {
    let message = wait_of(res).await;
    let rest = message.split("wait ").nth(1).expect("a wait is named");
    rest.split(' ').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn the_guessers_wait_doubles_with_each_further_failure() {
    let app = behind_a_proxy(|s| s.auth.login_backoff_after = 3).await;
    let guess = || staff_login(&app, GUESSER, ADMIN_EMAIL, "not-the-password");
    for _ in 0..3 {
        assert_error(guess().await, 401, "invalid_credentials").await;
    }
    assert_eq!(wait_seconds(guess().await).await, 1);
    app.advance(Duration::from_secs(1));
    assert_error(guess().await, 401, "invalid_credentials").await;
    assert_eq!(wait_seconds(guess().await).await, 2);
    // Trying early is refused again, and does not lengthen the wait.
    app.advance(Duration::from_secs(1));
    assert_eq!(wait_seconds(guess().await).await, 1);
    app.advance(Duration::from_secs(1));
    assert_error(guess().await, 401, "invalid_credentials").await;
    assert_eq!(wait_seconds(guess().await).await, 4);
    app.advance(Duration::from_secs(4));
    assert_error(guess().await, 401, "invalid_credentials").await;
    assert_eq!(wait_seconds(guess().await).await, 8);
}

#[tokio::test]
async fn a_successful_sign_in_clears_the_count_of_its_address_for_the_account() {
    let app = behind_a_proxy(|s| s.auth.login_backoff_after = 3).await;
    for _ in 0..2 {
        let res = staff_login(&app, OWNER, ADMIN_EMAIL, "a-typo-of-mine").await;
        assert_error(res, 401, "invalid_credentials").await;
    }
    assert_eq!(
        staff_login(&app, OWNER, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    // Three more typos are free again; only then does a wait begin.
    for _ in 0..3 {
        let res = staff_login(&app, OWNER, ADMIN_EMAIL, "a-typo-of-mine").await;
        assert_error(res, 401, "invalid_credentials").await;
    }
    let res = staff_login(&app, OWNER, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    assert_error(res, 429, "too_many_requests").await;
}

#[tokio::test]
async fn an_account_guessed_at_from_many_addresses_stays_open_where_its_owner_signs_in() {
    let app = behind_a_proxy(|s| s.auth.login_failures_per_account = 5).await;
    assert_eq!(
        staff_login(&app, OWNER, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    for i in 0..5 {
        let res = staff_login(&app, &format!("192.0.2.{i}"), ADMIN_EMAIL, "guess").await;
        assert_error(res, 401, "invalid_credentials").await;
    }
    // A sixth address is refused, even with the right password…
    let res = staff_login(&app, "192.0.2.99", ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let message = wait_of(res).await;
    assert!(
        message.contains("sign in from where you usually do"),
        "{message}"
    );
    // …but the owner, where they signed in before, is let in, and other accounts are untouched.
    assert_eq!(
        staff_login(&app, OWNER, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    let res = staff_login(&app, "192.0.2.99", "someone@test.meritest.id", "guess").await;
    assert_error(res, 401, "invalid_credentials").await;
}
