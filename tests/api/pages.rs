use crate::helpers::TestApp;

#[tokio::test]
async fn the_landing_page_is_served_as_html_with_a_strict_policy() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("script-src 'self'"));
    let html = res.text().await.unwrap();
    assert!(
        html.contains("/login"),
        "the landing page links to staff sign-in"
    );
}

#[tokio::test]
async fn pages_are_reached_without_their_extension_and_modules_as_javascript() {
    let app = TestApp::spawn().await;
    for page in [
        "/login",
        "/bank",
        "/docs",
        "/accounts",
        "/home",
        "/results",
        "/assessor",
        "/assessment",
        "/reports",
    ] {
        let res = app.client.get(app.url(page)).send().await.unwrap();
        assert_eq!(res.status(), 200, "{page}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html"),
            "{page}"
        );
    }
    let res = app.client.get(app.url("/js/api.js")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let res = app
        .client
        .get(app.url("/docs/instrument-format.md"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("meritest.instrument/1"));
}

#[tokio::test]
async fn paths_that_climb_out_of_the_frontend_folder_are_not_found() {
    let app = TestApp::spawn().await;
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/js/../../Cargo.toml",
    ] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn a_module_is_revalidated_and_answers_not_modified_when_unchanged() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/js/api.js")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(app.url("/js/api.js"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
    let other = app
        .client
        .get(app.url("/js/api.js"))
        .header("if-none-match", "\"0000000000000000\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200);
}
