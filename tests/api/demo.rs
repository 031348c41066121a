use serde_json::Value;

use crate::helpers::{TestApp, DEMO_PASSWORD};

#[tokio::test]
async fn the_demo_has_an_account_per_role_and_the_full_battery() {
    let app = TestApp::spawn_demo().await;
    for role in ["admin", "hr", "proctor", "assessor", "psychologist"] {
        let res = app
            .login(&format!("{role}@demo.meritest.id"), DEMO_PASSWORD)
            .await;
        assert_eq!(res.status(), 200, "{role}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["account"]["role"], role);
    }
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let list: Value = app
        .get("/api/v1/instruments", &hr)
        .await
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = list["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "FIGURAL",
            "IPIP-BFM-50",
            "NUM-SERIES",
            "SJT-ASN",
            "VERBAL-ID",
            "WORK-PREF",
            "WORK-STYLE"
        ]
    );
    let batteries: Value = app
        .get("/api/v1/batteries", &hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(batteries["batteries"][0]["code"], "ASN-DEMO");
    assert_eq!(
        batteries["batteries"][0]["sections"]
            .as_array()
            .unwrap()
            .len(),
        7
    );
    for inst in list["instruments"].as_array().unwrap() {
        let detail: Value = app
            .get(
                &format!("/api/v1/instruments/{}", inst["id"].as_str().unwrap()),
                &hr,
            )
            .await
            .json()
            .await
            .unwrap();
        for scale in detail["scales"].as_array().unwrap() {
            let normed = detail["norms"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["scale"] == scale["code"] && n["illustrative"] == true);
            assert!(
                normed,
                "{} scale {} has an illustrative norm table",
                inst["code"], scale["code"]
            );
        }
    }
}

#[tokio::test]
async fn the_demo_figures_are_served_as_svg() {
    let app = TestApp::spawn_demo().await;
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let list: Value = app
        .get("/api/v1/instruments", &hr)
        .await
        .json()
        .await
        .unwrap();
    let fig = list["instruments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "FIGURAL")
        .unwrap();
    let detail: Value = app
        .get(
            &format!("/api/v1/instruments/{}", fig["id"].as_str().unwrap()),
            &hr,
        )
        .await
        .json()
        .await
        .unwrap();
    let assets = detail["assets"].as_array().unwrap();
    assert!(assets.len() >= 13 * 5, "a stem and four options per item");
    let res = app.get(assets[0]["url"].as_str().unwrap(), &hr).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
}

#[tokio::test]
async fn a_second_start_on_the_same_database_does_not_seed_again() {
    let app = TestApp::spawn_demo().await;
    app.handle.stop(true).await;
    let mut settings = crate::helpers::test_settings(app.data_dir.path(), &app.database_url);
    settings.bootstrap.demo = Some(true);
    let again = meritest::startup::Application::build(settings)
        .await
        .unwrap();
    assert!(again.credentials().is_none());
    assert_eq!(
        meritest::store::organisations::count(&again.context().db)
            .await
            .unwrap(),
        1
    );
}
