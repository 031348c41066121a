//! A campaign with one participant, signed in as a candidate: what delivery, proctoring and
//! timeline tests start from.
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use super::{create_campaign, demo_hr, TestApp, DEMO_PASSWORD};

/// The NIP of the participant every delivery test enrols.
pub const NIP: &str = "198503152010121001";
/// That participant's birth date.
pub const BIRTH: &str = "1985-03-15";

/// What a delivery test needs: an HR token, the campaign, and a participant's access code
/// (the participant sits in session "Sesi 1", proctored by the demo proctor).
pub struct Setup {
    pub hr: String,
    pub campaign: String,
    pub code: String,
    pub session: String,
    /// That participant's id.
    pub participant: String,
}

/// The id of the demo proctor account.
pub async fn demo_proctor_id(app: &TestApp) -> String {
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let me: Value = app
        .get("/api/v1/auth/me", &proctor)
        .await
        .json()
        .await
        .unwrap();
    me["id"].as_str().unwrap().to_owned()
}

/// A battery of the given demo instruments (code, seconds), a campaign open now with one
/// participant, and that participant's access code.
pub async fn setup(app: &TestApp, sections: &[(&str, u32)], show_score: bool) -> Setup {
    setup_with(app, sections, show_score, "free").await
}

/// As [`setup`], with every section's navigation rule.
pub async fn setup_with(
    app: &TestApp,
    sections: &[(&str, u32)],
    show_score: bool,
    navigation: &str,
) -> Setup {
    setup_window(app, sections, show_score, navigation, Duration::days(1)).await
}

/// As [`setup_with`], with a campaign that closes `closes_in` from now.
pub async fn setup_window(
    app: &TestApp,
    sections: &[(&str, u32)],
    show_score: bool,
    navigation: &str,
    closes_in: Duration,
) -> Setup {
    let sections = section_docs(sections, navigation);
    setup_campaign(app, sections, show_score, closes_in, &json!({})).await
}

/// A battery of these section documents (e.g. an adaptive section), a campaign open now with
/// one participant, and that participant's access code.
pub async fn setup_sections(app: &TestApp, sections: Vec<Value>, show_score: bool) -> Setup {
    setup_campaign(app, sections, show_score, Duration::days(1), &json!({})).await
}

/// The section documents of demo instruments (code, seconds) with one navigation rule.
fn section_docs(sections: &[(&str, u32)], navigation: &str) -> Vec<Value> {
    sections
        .iter()
        .map(|(inst, secs)| {
            json!({
            "instrument": inst, "version": 1, "title": {"id": format!("Bagian {inst}")},
            "time_limit_seconds": secs, "item_order": "fixed", "shuffle_options": true,
            "navigation": navigation})
        })
        .collect()
}

/// As [`setup`], with more campaign fields (`settings`, e.g. the time zone) in its document.
pub async fn setup_settings(app: &TestApp, sections: &[(&str, u32)], settings: &Value) -> Setup {
    let sections = section_docs(sections, "free");
    setup_campaign(app, sections, false, Duration::days(1), settings).await
}

async fn setup_campaign(
    app: &TestApp,
    sections: Vec<Value>,
    show_score: bool,
    closes_in: Duration,
    settings: &Value,
) -> Setup {
    let (hr, _) = demo_hr(app).await;
    let code = format!("T-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]).to_uppercase();
    let battery = json!({"code": code, "name": {"id": "Uji"}, "sections": sections});
    let res = app.post_json("/api/v1/batteries", &hr, &battery).await;
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    let battery_id = body["id"].clone();
    let mut doc = json!({
            "name": "Uji Penyampaian", "battery": battery_id,
            "opens_at": (Utc::now() - Duration::hours(1)).to_rfc3339(),
            "closes_at": (Utc::now() + closes_in).to_rfc3339(),
            "show_score_to_candidate": show_score,
            "norm_rule": {"default_group": "umum", "rules": []},
            "sessions": [{"name": "Sesi 1", "room": "Lab A",
                "starts_at": (Utc::now() - Duration::minutes(30)).to_rfc3339(),
                "capacity": 100, "proctor": demo_proctor_id(app).await}]
    });
    for (k, v) in settings.as_object().into_iter().flatten() {
        doc[k] = v.clone();
    }
    let campaign = create_campaign(app, &hr, &doc).await;
    let csv = format!(
        "nip,name,birth_date,education,job_level,session\n{NIP},Budi Santoso,{BIRTH},S1,Pengawas,Sesi 1\n"
    );
    let res = app
        .client
        .post(app.url(&format!("/api/v1/campaigns/{campaign}/participants/import")))
        .bearer_auth(&hr)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let codes: Value = app
        .post(&format!("/api/v1/campaigns/{campaign}/access-codes"), &hr)
        .await
        .json()
        .await
        .unwrap();
    let view: Value = app
        .get(&format!("/api/v1/campaigns/{campaign}"), &hr)
        .await
        .json()
        .await
        .unwrap();
    let list: Value = app
        .get(&format!("/api/v1/campaigns/{campaign}/participants"), &hr)
        .await
        .json()
        .await
        .unwrap();
    Setup {
        code: codes["codes"][0]["code"].as_str().unwrap().to_owned(),
        session: view["sessions"][0]["id"].as_str().unwrap().to_owned(),
        participant: list["participants"][0]["id"].as_str().unwrap().to_owned(),
        hr,
        campaign,
    }
}

/// Posts a candidate sign-in.
pub async fn login(app: &TestApp, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/candidate/login"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Signs in, accepts consent and returns the candidate token.
pub async fn candidate(app: &TestApp, code: &str) -> String {
    candidate_with(app, code, NIP).await
}

/// As [`candidate`], for the participant with this NIP.
pub async fn candidate_with(app: &TestApp, code: &str, nip: &str) -> String {
    let res = login(app, json!({"code": code, "nip": nip})).await;
    assert_eq!(res.status(), 200);
    let token = res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = app
        .post_json(
            "/api/v1/candidate/consent",
            &token,
            &json!({"accept": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    token
}

/// Starts a section; it must start.
pub async fn start(app: &TestApp, token: &str, position: i32) -> Value {
    let res = app
        .post(
            &format!("/api/v1/candidate/sections/{position}/start"),
            token,
        )
        .await;
    assert_eq!(res.status(), 200, "section {position} starts");
    res.json().await.unwrap()
}

/// A campaign of these sections with its candidate signed in (consent given) and section 0
/// started: (setup, candidate token, section).
pub async fn started(app: &TestApp, sections: &[(&str, u32)]) -> (Setup, String, Value) {
    let s = setup(app, sections, false).await;
    let token = candidate(app, &s.code).await;
    let section = start(app, &token, 0).await;
    (s, token, section)
}

/// Sends an answer.
pub async fn answer(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.put_json("/api/v1/candidate/answers", token, &body)
        .await
}

/// A participant enrolled with an access code, not yet signed in.
pub struct Enrolled {
    pub code: String,
    pub nip: String,
    pub pid: String,
}

/// Enrols `n` participants in `session` and issues their access codes. Their NIPs are numbered
/// after that of the participant [`setup`] enrols, so both fit in one campaign.
pub async fn enrolled(
    app: &TestApp,
    hr: &str,
    campaign: &str,
    session: &str,
    n: usize,
) -> Vec<Enrolled> {
    let mut csv = String::from("nip,name,birth_date,education,job_level,session\n");
    for i in 0..n {
        csv.push_str(&format!(
            "19850315201012{:04},Peserta {i},{BIRTH},S1,Pengawas,{session}\n",
            2001 + i
        ));
    }
    let res = app
        .client
        .post(app.url(&format!("/api/v1/campaigns/{campaign}/participants/import")))
        .bearer_auth(hr)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let codes: Value = app
        .post(&format!("/api/v1/campaigns/{campaign}/access-codes"), hr)
        .await
        .json()
        .await
        .unwrap();
    let participants: Value = app
        .get(&format!("/api/v1/campaigns/{campaign}/participants"), hr)
        .await
        .json()
        .await
        .unwrap();
    codes["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let nip = c["nip"].as_str().unwrap();
            let pid = participants["participants"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["nip"] == nip)
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
            Enrolled {
                code: c["code"].as_str().unwrap().to_owned(),
                nip: nip.to_owned(),
                pid,
            }
        })
        .collect()
}

/// The only attempt of the test's database, as stored.
pub async fn the_attempt(app: &TestApp) -> meritest::store::entities::attempt::Model {
    use sea_orm::EntityTrait;
    meritest::store::entities::attempt::Entity::find()
        .one(&app.ctx.db)
        .await
        .unwrap()
        .expect("an attempt")
}

/// Takes the first section (the SJT in the competency tests) as `token`, choosing the option at
/// position `pick` of every item as shown (options are shuffled per attempt), and finishes.
pub async fn take_sjt(app: &TestApp, token: &str, pick: usize) {
    let section = start(app, token, 0).await;
    for (i, item) in section["items"].as_array().unwrap().iter().enumerate() {
        let res = answer(
            app,
            token,
            serde_json::json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][pick]["id"]}, "seq": i + 1}),
        )
        .await;
        assert_eq!(res.status(), 200);
    }
    assert_eq!(
        app.post("/api/v1/candidate/finish", token).await.status(),
        200
    );
}

/// The positions of a section's items answered by choosing an option (not typed numbers).
pub fn choice_items(section: &Value) -> Vec<usize> {
    section["items"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, it)| it["options"].as_array().is_some_and(|o| !o.is_empty()))
        .map(|(i, _)| i)
        .collect()
}
