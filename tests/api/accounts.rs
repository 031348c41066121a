use serde_json::{json, Value};

use crate::helpers::{assert_error, demo_hr, demo_proctor_id, TestApp, ADMIN_EMAIL, DEMO_PASSWORD};

#[tokio::test]
async fn an_admin_creates_an_account_that_can_sign_in_with_its_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let res = app
        .post_json(
            "/api/v1/accounts",
            &admin,
            &json!({"email": " Pengawas@Test.Meritest.ID ", "name": "Agus", "role": "proctor", "password": "pengawas-123"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["email"], "pengawas@test.meritest.id");
    assert_eq!(created["role"], "proctor");
    assert_eq!(created["disabled"], false);
    assert!(created.get("password_hash").is_none());

    let list: Value = app
        .get("/api/v1/accounts", &admin)
        .await
        .json()
        .await
        .unwrap();
    let emails: Vec<&str> = list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, [ADMIN_EMAIL, "pengawas@test.meritest.id"]);

    let body: Value = app
        .login("pengawas@test.meritest.id", "pengawas-123")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["account"]["role"], "proctor");
    assert_eq!(
        app.audit_actions().await,
        vec![("account.create".to_owned(), "account".to_owned()); 2]
    );
}

#[tokio::test]
async fn an_address_in_use_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let body =
        json!({"email": ADMIN_EMAIL, "name": "Again", "role": "hr", "password": "long-enough-1"});
    assert_error(
        app.post_json("/api/v1/accounts", &admin, &body).await,
        409,
        "email_taken",
    )
    .await;
}

/// How many accounts the admin's organisation has.
async fn account_count(app: &TestApp, admin: &str) -> usize {
    let list: Value = app
        .get("/api/v1/accounts", admin)
        .await
        .json()
        .await
        .unwrap();
    list["accounts"].as_array().unwrap().len()
}

#[tokio::test]
async fn every_invalid_field_of_a_new_account_is_named() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let body = json!({"email": "nope", "name": " ", "role": "root", "password": "short"});
    let err = assert_error(
        app.post_json("/api/v1/accounts", &admin, &body).await,
        422,
        "invalid_input",
    )
    .await;
    let fields: Vec<&str> = err["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "name", "role", "password"]);
    assert_eq!(account_count(&app, &admin).await, 1, "nothing was created");
}

#[tokio::test]
async fn a_name_that_reorders_itself_or_shows_nothing_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for name in ["Budi \u{202E}otnaS", "\u{200B}\u{FEFF}"] {
        let body = json!({"email": "budi@test.meritest.id", "name": name, "role": "hr",
            "password": "a-long-enough-password"});
        let err = assert_error(
            app.post_json("/api/v1/accounts", &admin, &body).await,
            422,
            "invalid_input",
        )
        .await;
        assert_eq!(err["errors"][0]["field"], "name", "{name:?}");
    }
    assert_eq!(account_count(&app, &admin).await, 1, "nothing was created");
}

#[tokio::test]
async fn only_admins_manage_accounts() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    for role in ["hr", "proctor", "assessor", "psychologist"] {
        let token = app.account_with_role(&admin, role).await;
        assert_error(app.get("/api/v1/accounts", &token).await, 403, "forbidden").await;
        let body = json!({"email": "x@test.meritest.id", "name": "X", "role": "admin", "password": "long-enough-1"});
        assert_error(
            app.post_json("/api/v1/accounts", &token, &body).await,
            403,
            "forbidden",
        )
        .await;
    }
}

#[tokio::test]
async fn an_admin_cannot_disable_their_own_account() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let me: Value = app
        .get("/api/v1/auth/me", &admin)
        .await
        .json()
        .await
        .unwrap();
    let id = me["id"].as_str().unwrap();
    assert_error(
        app.post(&format!("/api/v1/accounts/{id}/disable"), &admin)
            .await,
        409,
        "cannot_disable_self",
    )
    .await;
    assert_eq!(app.get("/api/v1/auth/me", &admin).await.status(), 200);
}

#[tokio::test]
async fn disabling_and_enabling_are_audited_with_before_and_after() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let res = app
        .post_json(
            "/api/v1/accounts",
            &admin,
            &json!({"email": "a@test.meritest.id", "name": "A", "role": "hr", "password": "long-enough-1"}),
        )
        .await;
    let id = res.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(&format!("/api/v1/accounts/{id}/disable"), &admin)
        .await;
    app.post(&format!("/api/v1/accounts/{id}/enable"), &admin)
        .await;
    let org = meritest::store::organisations::find_by_code(&app.ctx.db, "test-org")
        .await
        .unwrap()
        .unwrap();
    let entries = meritest::store::audit::list(&app.ctx.db, org.id.into(), Some(("account", &id)))
        .await
        .unwrap();
    let summary: Vec<(String, Option<Value>, Option<Value>)> = entries
        .into_iter()
        .map(|e| (e.action, e.before, e.after))
        .collect();
    let me: Value = app
        .get("/api/v1/auth/me", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(summary.len(), 3);
    assert_eq!(
        summary[1],
        (
            "account.disable".into(),
            Some(json!({"disabled": false})),
            Some(json!({"disabled": true}))
        )
    );
    assert_eq!(
        summary[2],
        (
            "account.enable".into(),
            Some(json!({"disabled": true})),
            Some(json!({"disabled": false}))
        )
    );
    let actor = meritest::store::audit::list(&app.ctx.db, org.id.into(), Some(("account", &id)))
        .await
        .unwrap()[1]
        .actor_account_id;
    assert_eq!(
        actor.map(|a| a.to_string()),
        me["id"].as_str().map(str::to_owned)
    );
}

#[tokio::test]
async fn an_unknown_account_id_is_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = uuid::Uuid::new_v4();
    assert_error(
        app.post(&format!("/api/v1/accounts/{id}/disable"), &admin)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_error(
        app.post("/api/v1/accounts/not-a-uuid/disable", &admin)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn hr_lists_the_enabled_proctors_of_its_own_organisation_by_name() {
    let app = TestApp::spawn_demo().await;
    let (hr, _) = demo_hr(&app).await;
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let mut ids = Vec::new();
    for (email, name) in [
        ("bayu@demo.meritest.id", "Bayu Pengawas"),
        ("zaki@demo.meritest.id", "Zaki Pengawas"),
    ] {
        let res = app
            .post_json(
                "/api/v1/accounts",
                &admin,
                &json!({"email": email, "name": name,
                "role": "proctor", "password": "a-long-password"}),
            )
            .await;
        assert_eq!(res.status(), 201);
        ids.push(
            res.json::<Value>().await.unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let res = app
        .post(&format!("/api/v1/accounts/{}/disable", ids[1]), &admin)
        .await;
    assert_eq!(res.status(), 200);
    let other = app.second_organisation().await;
    app.account_with_role(&other, "proctor").await;

    let res = app.get("/api/v1/proctors", &hr).await;
    assert_eq!(res.status(), 200);
    let list: Value = res.json().await.unwrap();
    let demo = demo_proctor_id(&app).await;
    let demo_proctor = list["proctors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == demo.as_str())
        .unwrap()
        .clone();
    assert_eq!(demo_proctor["email"], "proctor@demo.meritest.id");
    let names: Vec<&str> = list["proctors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [demo_proctor["name"].as_str().unwrap(), "Bayu Pengawas"]
    );
    assert_eq!(demo_proctor["name"], "Agus Pratama (Pengawas)");
    assert_eq!(
        list["proctors"][1],
        json!({"id": ids[0], "name": "Bayu Pengawas", "email": "bayu@demo.meritest.id"}),
        "who, not how the account is managed"
    );
    // Account management stays with administrators; proctors do not list each other.
    assert_error(app.get("/api/v1/accounts", &hr).await, 403, "forbidden").await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(
        app.get("/api/v1/proctors", &proctor).await,
        403,
        "forbidden",
    )
    .await;
    let theirs: Value = app
        .get("/api/v1/proctors", &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["proctors"].as_array().unwrap().len(), 1);
    assert_ne!(theirs["proctors"][0]["id"], demo.as_str());
}

/// Creates an account through the API, returning the response.
async fn create_account(
    app: &TestApp,
    admin: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    app.post_json(
        "/api/v1/accounts",
        admin,
        &json!({"email": email, "name": "Sri Wahyuni", "role": "hr", "password": password}),
    )
    .await
}

/// Signs in naming an organisation by its code.
async fn login_in(app: &TestApp, email: &str, password: &str, org: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": email, "password": password, "organisation": org}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_address_used_in_another_organisation_is_as_free_as_an_unused_one_and_both_owners_sign_in(
) {
    let app = TestApp::spawn().await;
    let ours = app.admin_token().await;
    let theirs = app.second_organisation().await;
    let shared = "sri@instansi.go.id";
    assert_eq!(
        create_account(&app, &theirs, shared, "their-password-1")
            .await
            .status(),
        201
    );
    // Our administrator cannot tell the address is used elsewhere: the same answer as for an
    // address nobody uses.
    let used = create_account(&app, &ours, shared, "our-password-12").await;
    let unused = create_account(&app, &ours, "nobody-yet@instansi.go.id", "our-password-12").await;
    assert_eq!(
        (used.status().as_u16(), unused.status().as_u16()),
        (201, 201)
    );
    let (used, unused): (Value, Value) = (used.json().await.unwrap(), unused.json().await.unwrap());
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&used), keys(&unused));
    assert_eq!(account_count(&app, &ours).await, 3);
    // Within one organisation the address is still taken.
    assert_error(
        create_account(&app, &ours, shared, "our-password-12").await,
        409,
        "email_taken",
    )
    .await;

    // Each owner signs in to their own organisation with their own password.
    let body: Value = app
        .login(shared, "our-password-12")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["account"]["organisation"]["name"], "Test Organisation");
    let body: Value = app
        .login(shared, "their-password-1")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        body["account"]["organisation"]["name"],
        "Other Organisation"
    );
    assert_error(
        app.login(shared, "neither-password").await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn one_password_opening_accounts_in_two_organisations_is_asked_which() {
    let app = TestApp::spawn().await;
    let ours = app.admin_token().await;
    let theirs = app.second_organisation().await;
    let shared = "sri@instansi.go.id";
    for admin in [&ours, &theirs] {
        let res = create_account(&app, admin, shared, "same-password-1").await;
        assert_eq!(res.status(), 201);
    }
    let body = assert_error(
        app.login(shared, "same-password-1").await,
        409,
        "organisation_required",
    )
    .await;
    let mut choices: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert_eq!(e["field"], "organisation");
            (
                e["item"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    choices.sort();
    assert_eq!(
        choices,
        [
            ("other-org".to_owned(), "Other Organisation".to_owned()),
            ("test-org".to_owned(), "Test Organisation".to_owned())
        ]
    );
    let res = login_in(&app, shared, "same-password-1", "other-org").await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        body["account"]["organisation"]["name"],
        "Other Organisation"
    );
    // An organisation the address has no account in opens nothing.
    assert_error(
        login_in(&app, shared, "same-password-1", "no-such-org").await,
        401,
        "invalid_credentials",
    )
    .await;
}
