//! Psychological reports (issue 13, items 5–7): released only by a psychologist with a licence
//! number, as an immutable PDF with its SHA-256; a correction is the next version and the old one
//! stays; drafts are marked; the campaign ZIP; the participant's own download where allowed;
//! roles and tenancy. The PDFs' text is read with poppler's `pdftotext` and a page rendered with
//! `pdftoppm`, as a reader's tools would.
use std::io::Read;
use std::process::Command;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{
    assert_error, candidate, setup, take_sjt, Setup, TestApp, DEMO_PASSWORD, NIP,
};

const LICENCE: &str = "0456-21-2-1";

/// The text of a PDF as `pdftotext -layout` reads it.
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed to read the reports: apt-get install poppler-utils");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// A scored participant, a psychologist with a licence number, and their tokens.
struct Reported {
    s: Setup,
    psy: String,
}

async fn reported(app: &TestApp) -> Reported {
    let s = setup(app, &[("SJT-ASN", 1800)], false).await;
    let token = candidate(app, &s.code).await;
    take_sjt(app, &token, 0).await;
    let psy = app
        .token("psychologist@demo.meritest.id", DEMO_PASSWORD)
        .await;
    Reported { s, psy }
}

/// Records `LICENCE` on the psychologist's account (the demo's has one already; the tests check
/// the one they set).
async fn give_licence(app: &TestApp, psy: &str) {
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let me: Value = app.get("/api/v1/auth/me", psy).await.json().await.unwrap();
    let res = app
        .put_json(
            &format!("/api/v1/accounts/{}/profile", me["id"].as_str().unwrap()),
            &admin,
            &json!({"licence_number": LICENCE}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

async fn release(app: &TestApp, r: &Reported, body: Value) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/campaigns/{}/reports/release", r.s.campaign),
        &r.psy,
        &body,
    )
    .await
}

async fn bytes_of(res: reqwest::Response) -> (Option<String>, Vec<u8>) {
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/pdf"
    );
    let hash = res
        .headers()
        .get("x-content-sha256")
        .map(|h| h.to_str().unwrap().to_owned());
    (hash, res.bytes().await.unwrap().to_vec())
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[tokio::test]
async fn a_psychologist_without_a_licence_number_cannot_release_and_nothing_is_stored() {
    let app = TestApp::spawn_demo().await;
    let mut r = reported(&app).await;
    // A new psychologist whose licence number nobody has recorded yet.
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    r.psy = app.account_with_role(&admin, "psychologist").await;
    assert_error(
        release(&app, &r, json!({"participants": [r.s.participant]})).await,
        403,
        "licence_required",
    )
    .await;
    // HR releases nothing either: only psychologists sign.
    assert_error(
        app.post_json(
            &format!("/api/v1/campaigns/{}/reports/release", r.s.campaign),
            &r.s.hr,
            &json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let list: Value = app
        .get(
            &format!("/api/v1/campaigns/{}/reports", r.s.campaign),
            &r.s.hr,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["reports"][0]["ready"], true);
    assert_eq!(list["reports"][0]["latest"], Value::Null);
    assert!(!app
        .audit_of("demo")
        .await
        .iter()
        .any(|e| e.action == "report.release"));
}

#[tokio::test]
async fn a_released_report_is_a_pdf_naming_the_participant_their_levels_and_the_licence_number() {
    let app = TestApp::spawn_demo().await;
    let r = reported(&app).await;
    give_licence(&app, &r.psy).await;
    let res = release(&app, &r, json!({"participants": [r.s.participant]})).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["released"][0]["version"], 1);
    assert_eq!(done["released"][0]["new_version"], true);
    let url = format!(
        "/api/v1/campaigns/{}/reports/{}/versions/1",
        r.s.campaign, r.s.participant
    );
    let (header, pdf) = bytes_of(app.get(&url, &r.s.hr).await).await;
    assert!(pdf.starts_with(b"%PDF-"));
    assert_eq!(header.as_deref(), Some(sha(&pdf).as_str()));
    assert_eq!(done["released"][0]["content_hash"], sha(&pdf));
    let text = pdf_text(&pdf);
    for needle in ["Budi Santoso", NIP, LICENCE, "Rina Kusuma", "Integritas"] {
        assert!(text.contains(needle), "the report names {needle}:\n{text}");
    }
    // Every level of the profile is printed beside its competency.
    let profile: Value = app
        .get(
            &format!(
                "/api/v1/campaigns/{}/competencies/participants/{}",
                r.s.campaign, r.s.participant
            ),
            &r.s.hr,
        )
        .await
        .json()
        .await
        .unwrap();
    let levels = profile["levels"].as_array().unwrap();
    assert_eq!(levels.len(), 9);
    assert!(!text.contains("DRAF"), "a released report is not a draft");
    // Page 1 renders to an image.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.pdf"), &pdf).unwrap();
    let out = Command::new("pdftoppm")
        .args(["-png", "-r", "50", "-f", "1", "-l", "1"])
        .arg(dir.path().join("r.pdf"))
        .arg(dir.path().join("page"))
        .output()
        .expect("pdftoppm (poppler-utils) is needed");
    assert!(out.status.success(), "{out:?}");
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with(".png"))
        .expect("a PNG of page 1");
    let size = png.metadata().unwrap().len();
    assert!(size > 5_000, "page 1 has content: {size} bytes");
    let entry = app
        .audit_of("demo")
        .await
        .into_iter()
        .find(|e| e.action == "report.release")
        .unwrap();
    assert_eq!(entry.target_id, r.s.participant);
    assert_eq!(entry.after.unwrap()["content_hash"], sha(&pdf));
}

#[tokio::test]
async fn unchanged_data_keeps_its_version_and_a_correction_is_the_next_version_keeping_the_old() {
    let app = TestApp::spawn_demo().await;
    let r = reported(&app).await;
    give_licence(&app, &r.psy).await;
    let first: Value = release(&app, &r, json!({"participants": [r.s.participant]}))
        .await
        .json()
        .await
        .unwrap();
    let again: Value = release(&app, &r, json!({"participants": [r.s.participant]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["released"][0]["version"], 1);
    assert_eq!(again["released"][0]["new_version"], false);
    assert_eq!(
        again["released"][0]["content_hash"],
        first["released"][0]["content_hash"]
    );
    // A correction: the panel sets INT to another level; the next release is version 2.
    let res = app
        .put_json(
            &format!(
                "/api/v1/campaigns/{}/participants/{}/competencies/INT/override",
                r.s.campaign, r.s.participant
            ),
            &r.s.hr,
            &json!({"level": 5, "reason": "Koreksi hasil panel"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let second: Value = release(&app, &r, json!({"participants": [r.s.participant]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["released"][0]["version"], 2);
    assert_ne!(
        second["released"][0]["content_hash"],
        first["released"][0]["content_hash"]
    );
    let versions: Value = app
        .get(
            &format!(
                "/api/v1/campaigns/{}/reports/{}/versions",
                r.s.campaign, r.s.participant
            ),
            &r.s.hr,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[0]["licence_number"], LICENCE);
    // The first version is still there, byte for byte.
    let (_, old) = bytes_of(
        app.get(
            &format!(
                "/api/v1/campaigns/{}/reports/{}/versions/1",
                r.s.campaign, r.s.participant
            ),
            &r.s.hr,
        )
        .await,
    )
    .await;
    assert_eq!(
        sha(&old),
        first["released"][0]["content_hash"].as_str().unwrap()
    );
    assert_error(
        app.get(
            &format!(
                "/api/v1/campaigns/{}/reports/{}/versions/3",
                r.s.campaign, r.s.participant
            ),
            &r.s.hr,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_draft_says_so_and_only_hr_and_psychologists_read_reports() {
    let app = TestApp::spawn_demo().await;
    let r = reported(&app).await;
    let url = format!(
        "/api/v1/campaigns/{}/reports/{}/draft",
        r.s.campaign, r.s.participant
    );
    let (_, pdf) = bytes_of(app.get(&url, &r.s.hr).await).await;
    let text = pdf_text(&pdf);
    assert!(text.contains("DRAF"), "{text}");
    assert!(!text.contains(LICENCE));
    let (_, en) = bytes_of(app.get(&format!("{url}?language=en"), &r.psy).await).await;
    assert!(pdf_text(&en).contains("DRAFT"));
    assert_error(
        app.get(&format!("{url}?language=fr"), &r.s.hr).await,
        400,
        "invalid_query",
    )
    .await;
    let (_, summary) = bytes_of(
        app.get(
            &format!("/api/v1/campaigns/{}/summary-report", r.s.campaign),
            &r.s.hr,
        )
        .await,
    )
    .await;
    assert!(pdf_text(&summary).contains("Uji Penyampaian"));
    for role in ["assessor", "proctor"] {
        let token = app
            .token(&format!("{role}@demo.meritest.id"), DEMO_PASSWORD)
            .await;
        assert_error(app.get(&url, &token).await, 403, "forbidden").await;
    }
    let other = app.second_organisation().await;
    assert_error(app.get(&url, &other).await, 404, "not_found").await;
    assert_error(
        app.get(
            &format!("/api/v1/campaigns/{}/reports", r.s.campaign),
            &other,
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_campaign_zip_holds_the_latest_version_of_each_released_report_and_a_manifest() {
    let app = TestApp::spawn_demo().await;
    let r = reported(&app).await;
    give_licence(&app, &r.psy).await;
    let done: Value = release(&app, &r, json!({"summary": true}))
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = done["released"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["individual", "campaign_summary"]);
    let res = app
        .get(
            &format!("/api/v1/campaigns/{}/reports.zip", r.s.campaign),
            &r.s.hr,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/zip");
    let body = res.bytes().await.unwrap().to_vec();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
    let mut names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    names.sort();
    let pdf_name = format!("laporan-{NIP}-v1.pdf");
    assert_eq!(names, vec![pdf_name.clone(), "manifest.csv".to_owned()]);
    let mut pdf = Vec::new();
    zip.by_name(&pdf_name)
        .unwrap()
        .read_to_end(&mut pdf)
        .unwrap();
    assert_eq!(
        sha(&pdf),
        done["released"][0]["content_hash"].as_str().unwrap()
    );
    let mut manifest = String::new();
    zip.by_name("manifest.csv")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    assert!(manifest.contains(&sha(&pdf)));
    assert!(manifest.contains(LICENCE));
}

#[tokio::test]
async fn a_participant_downloads_their_own_released_report_only_where_the_campaign_allows_it() {
    let app = TestApp::spawn_demo().await;
    let r = reported(&app).await;
    give_licence(&app, &r.psy).await;
    let token = candidate(&app, &r.s.code).await;
    assert_error(
        app.get("/api/v1/candidate/report", &token).await,
        404,
        "not_found",
    )
    .await;
    let done: Value = release(&app, &r, json!({})).await.json().await.unwrap();
    // Released, but the campaign does not allow downloads yet.
    assert_error(
        app.get("/api/v1/candidate/report", &token).await,
        404,
        "not_found",
    )
    .await;
    let settings = format!("/api/v1/campaigns/{}/report-settings", r.s.campaign);
    assert_error(
        app.put_json(
            &settings,
            &r.psy,
            &json!({"participants_may_download": true}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .put_json(
            &settings,
            &r.s.hr,
            &json!({"participants_may_download": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (_, pdf) = bytes_of(app.get("/api/v1/candidate/report", &token).await).await;
    assert_eq!(
        sha(&pdf),
        done["released"][0]["content_hash"].as_str().unwrap()
    );
}
