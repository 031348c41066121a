use serde_json::Value;

use crate::helpers::{json_with, login, TestApp, DEMO_PASSWORD};
use serde_json::json;

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
            "NUM-ADAPTIF",
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

#[tokio::test]
async fn the_demo_opens_a_campaign_now_whose_candidates_codes_are_printed_once_and_sign_in() {
    let app = TestApp::spawn_demo_with(|s| s.bootstrap.demo_candidates = 3).await;
    let printed = app
        .credentials
        .clone()
        .expect("the first start printed its accounts");
    assert!(printed.contains(&format!(
        "Demo candidates of the campaign \"{}\", open now",
        meritest::services::demo::OPEN_CAMPAIGN_NAME
    )));
    // The adaptive test's codes follow, under a header of their own.
    let (printed, adaptive) = printed
        .split_once("Demo candidates of the adaptive test")
        .expect("the adaptive campaign's codes are printed too");
    assert!(adaptive.contains(meritest::services::demo::ADAPTIVE_CAMPAIGN_NAME));
    // "    7KQ4M-XR9TD   NIP 198…   Name (contoh)"
    let codes_of = |text: &str| -> Vec<(String, String)> {
        text.lines()
            .filter_map(|l| {
                let (code, rest) = l.trim().split_once("   NIP ")?;
                let (nip, name) = rest.split_once("   ")?;
                assert!(name.ends_with(" (contoh)"), "{name}");
                Some((code.to_owned(), nip.to_owned()))
            })
            .collect()
    };
    let adaptive_people = codes_of(adaptive);
    assert_eq!(adaptive_people.len(), 3, "{adaptive}");
    for (code, nip) in &adaptive_people {
        let body = json_with(login(&app, json!({"code": code, "nip": nip})).await, 200).await;
        let sections = body["attempt"]["sections"].as_array().unwrap();
        assert_eq!(sections.len(), 1);
        assert_eq!(sections[0]["adaptive"], true);
        assert_eq!(sections[0]["item_count"], 20);
    }
    let people = codes_of(printed);
    assert_eq!(people.len(), 3, "{printed}");

    // Each code signs its candidate in: the test is open now and not started.
    for (code, nip) in &people {
        let body = json_with(login(&app, json!({"code": code, "nip": nip})).await, 200).await;
        assert_eq!(body["attempt"]["status"], "not_started");
        assert_eq!(body["attempt"]["consent_required"], true);
        assert_eq!(body["attempt"]["sections"].as_array().unwrap().len(), 7);
    }

    // HR finds the campaign with its three participants, each with a code issued.
    let hr = app.token("hr@demo.meritest.id", DEMO_PASSWORD).await;
    let list: Value = app
        .get("/api/v1/campaigns", &hr)
        .await
        .json()
        .await
        .unwrap();
    let campaigns = list["campaigns"].as_array().unwrap();
    assert_eq!(campaigns.len(), 2);
    let open = campaigns
        .iter()
        .find(|c| c["name"] == meritest::services::demo::OPEN_CAMPAIGN_NAME)
        .unwrap();
    let id = open["id"].as_str().unwrap();
    let participants: Value = app
        .get(&format!("/api/v1/campaigns/{id}/participants"), &hr)
        .await
        .json()
        .await
        .unwrap();
    let rows = participants["participants"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter().all(|p| p["has_access_code"] == true),
        "{rows:?}"
    );
}
