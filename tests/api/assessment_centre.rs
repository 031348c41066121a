//! The assessment centre (issue 13): a campaign's exercises, assessors assigned per participant
//! and exercise (a list or a rule), the assessor's own sheets (drafts, submission, independence,
//! unlock), the panel's integration and the level it gives the competency result; roles and
//! tenancy; bad input changes nothing.
use serde_json::{json, Value};

use crate::helpers::{assert_error, setup, TestApp, BIRTH, DEMO_PASSWORD};

/// A campaign with four participants in two units, two exercises, and three assessors (one in
/// the first participants' unit).
struct Centre {
    hr: String,
    admin: String,
    campaign: String,
    /// (id, unit) of each participant, by name.
    participants: Vec<(String, &'static str)>,
    /// (token, id) of each assessor.
    assessors: Vec<(String, String)>,
}

const UNITS: [&str; 4] = ["Dinas Kesehatan", "Dinas Kesehatan", "BKPSDM", "BKPSDM"];

async fn me(app: &TestApp, token: &str) -> Value {
    app.get("/api/v1/auth/me", token)
        .await
        .json()
        .await
        .unwrap()
}

async fn assessor(app: &TestApp, admin: &str, name: &str, unit: Option<&str>) -> (String, String) {
    let email = format!("{}@asesor.test.id", uuid::Uuid::new_v4().simple());
    let res = app
        .post_json(
            "/api/v1/accounts",
            admin,
            &json!({"email": email, "name": name, "role": "assessor",
                    "password": "a-long-password", "unit": unit}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let token = app.token(&email, "a-long-password").await;
    let id = me(app, &token).await["id"].as_str().unwrap().to_owned();
    (token, id)
}

async fn centre(app: &TestApp) -> Centre {
    let s = setup(app, &[("SJT-ASN", 1800)], false).await;
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let mut csv = String::from("nip,name,birth_date,education,job_level,unit,session\n");
    for (i, unit) in UNITS.iter().enumerate() {
        csv.push_str(&format!(
            "19850315201012{:04},Peserta {i},{BIRTH},S1,Pengawas,{unit},Sesi 1\n",
            2101 + i
        ));
    }
    let res = app
        .client
        .post(app.url(&format!(
            "/api/v1/campaigns/{}/participants/import",
            s.campaign
        )))
        .bearer_auth(&s.hr)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let list: Value = app
        .get(
            &format!("/api/v1/campaigns/{}/participants", s.campaign),
            &s.hr,
        )
        .await
        .json()
        .await
        .unwrap();
    let participants = (0..4)
        .map(|i| {
            let p = list["participants"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == format!("Peserta {i}"))
                .unwrap();
            (p["id"].as_str().unwrap().to_owned(), UNITS[i])
        })
        .collect();
    let res = app
        .put_json(
            &format!("/api/v1/campaigns/{}/exercises", s.campaign),
            &s.hr,
            &json!({"exercises": [
                {"code": "interview", "name": "Wawancara berbasis kompetensi", "competencies": ["INT", "KOM"]},
                {"code": "lgd", "name": "Diskusi kelompok tanpa pemimpin", "competencies": ["KS", "KOM"]}
            ]}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let assessors = vec![
        assessor(app, &admin, "Asesor Satu", Some("dinas kesehatan")).await,
        assessor(app, &admin, "Asesor Dua", None).await,
        assessor(app, &admin, "Asesor Tiga", Some("Inspektorat")).await,
    ];
    Centre {
        hr: s.hr,
        admin,
        campaign: s.campaign,
        participants,
        assessors,
    }
}

impl Centre {
    fn path(&self, rest: &str) -> String {
        format!("/api/v1/campaigns/{}{rest}", self.campaign)
    }

    /// Assigns `assessor` (index) to participant `p` (index) in `exercise`; returns the id.
    async fn assign(
        &self,
        app: &TestApp,
        p: usize,
        exercise: &str,
        assessor: usize,
        lead: bool,
    ) -> String {
        let res = app
            .post_json(
                &self.path("/assessor-assignments"),
                &self.hr,
                &json!({"assignments": [{"participant": self.participants[p].0,
                    "exercise": exercise, "assessor": self.assessors[assessor].1, "lead": lead}],
                    "allow_same_unit": true}),
            )
            .await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        let list: Value = app
            .get(&self.path("/assessor-assignments"), &self.hr)
            .await
            .json()
            .await
            .unwrap();
        list["assignments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| {
                a["participant"]["id"] == self.participants[p].0.as_str()
                    && a["exercise"] == exercise
                    && a["assessor"]["id"] == self.assessors[assessor].1.as_str()
            })
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    async fn assignments(&self, app: &TestApp) -> Vec<Value> {
        let list: Value = app
            .get(&self.path("/assessor-assignments"), &self.hr)
            .await
            .json()
            .await
            .unwrap();
        list["assignments"].as_array().unwrap().clone()
    }
}

/// Saves and submits `ratings` ((code, level)) on an interview sheet of `token`.
async fn rate(app: &TestApp, token: &str, assignment: &str, ratings: &[(&str, u8)]) -> Value {
    let sheet: serde_json::Map<String, Value> = ratings
        .iter()
        .map(|(c, l)| {
            (
                (*c).to_owned(),
                json!({"level": l, "evidence": format!("Perilaku teramati untuk {c}")}),
            )
        })
        .collect();
    let res = app
        .put_json(
            &format!("/api/v1/assessor/assignments/{assignment}/ratings"),
            token,
            &json!({ "ratings": sheet }),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = app
        .post_json(
            &format!("/api/v1/assessor/assignments/{assignment}/submit"),
            token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_campaign_lists_its_exercises_and_a_bad_list_is_refused_whole_naming_each_problem() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let doc: Value = app
        .get(&c.path("/exercises"), &c.assessors[0].0)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(doc["exercises"][0]["code"], "interview");
    assert_eq!(doc["exercises"][1]["competencies"], json!(["KS", "KOM"]));
    let body = assert_error(
        app.put_json(
            &c.path("/exercises"),
            &c.hr,
            &json!({"exercises": [
                {"code": "Interview!", "name": "", "competencies": ["INT", "NOPE"]},
                {"code": "lgd", "name": "LGD", "competencies": []}
            ]}),
        )
        .await,
        422,
        "invalid_exercises",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec![
            "exercises[0].code",
            "exercises[0].name",
            "exercises[0].competencies[1]",
            "exercises[1].competencies"
        ]
    );
    let after: Value = app
        .get(&c.path("/exercises"), &c.hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after, doc, "nothing changed");
    // An exercise with assignments cannot be dropped.
    c.assign(&app, 0, "lgd", 1, false).await;
    assert_error(
        app.put_json(
            &c.path("/exercises"),
            &c.hr,
            &json!({"exercises": [doc["exercises"][0].clone()]}),
        )
        .await,
        409,
        "exercise_in_use",
    )
    .await;
    assert_error(
        app.put_json(&c.path("/exercises"), &c.assessors[0].0, &doc)
            .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn assigning_by_rule_gives_everyone_two_assessors_balanced_and_none_from_their_own_unit() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let rule = json!({"per_participant": 2, "exercises": ["interview"],
        "assessors": [c.assessors[0].1, c.assessors[1].1, c.assessors[2].1]});
    let mut dry = rule.clone();
    dry["dry_run"] = json!(true);
    let res = app
        .post_json(&c.path("/assessor-assignments/by-rule"), &c.hr, &dry)
        .await;
    assert_eq!(res.status(), 200);
    let counted: Value = res.json().await.unwrap();
    // Five participants (the setup's own and four in two units), two assessors each.
    assert_eq!(counted["created"], 10);
    assert_eq!(counted["dry_run"], true);
    assert!(
        c.assignments(&app).await.is_empty(),
        "a dry run stores nothing"
    );

    let res = app
        .post_json(&c.path("/assessor-assignments/by-rule"), &c.hr, &rule)
        .await;
    assert_eq!(res.status(), 200);
    let done: Value = res.json().await.unwrap();
    assert_eq!(done["created"], 10);
    let rows = c.assignments(&app).await;
    assert_eq!(rows.len(), 10);
    for (pid, unit) in &c.participants {
        let mine: Vec<&Value> = rows
            .iter()
            .filter(|a| a["participant"]["id"] == pid.as_str())
            .collect();
        assert_eq!(mine.len(), 2, "two assessors for {pid}");
        if *unit == "Dinas Kesehatan" {
            assert!(
                mine.iter()
                    .all(|a| a["assessor"]["id"] != c.assessors[0].1.as_str()),
                "the assessor of Dinas Kesehatan rates nobody of it"
            );
        }
    }
    let mut loads: Vec<u64> = done["load"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| {
            c.assessors
                .iter()
                .any(|a| l["assessor"]["id"] == a.1.as_str())
        })
        .map(|l| l["assignments"].as_u64().unwrap())
        .collect();
    loads.sort();
    assert_eq!(
        loads,
        vec![3, 3, 4],
        "10 assignments over 3 assessors, balanced"
    );
    // Asking again adds nothing: existing assignments count.
    let again: Value = app
        .post_json(&c.path("/assessor-assignments/by-rule"), &c.hr, &rule)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["created"], 0);
    // Four per participant cannot be met by three assessors: named, nothing stored.
    let mut four = rule.clone();
    four["per_participant"] = json!(4);
    let body = assert_error(
        app.post_json(&c.path("/assessor-assignments/by-rule"), &c.hr, &four)
            .await,
        422,
        "invalid_assignment",
    )
    .await;
    assert_eq!(
        body["errors"].as_array().unwrap().len(),
        5,
        "each participant named"
    );
    assert_eq!(c.assignments(&app).await.len(), 10);
}

#[tokio::test]
async fn a_bad_assignment_list_names_each_problem_and_changes_nothing() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let other_org = app.second_organisation().await;
    let stranger = me(&app, &other_org).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = assert_error(
        app.post_json(
            &c.path("/assessor-assignments"),
            &c.hr,
            &json!({"assignments": [
                {"participant": c.participants[0].0, "exercise": "interview", "assessor": c.assessors[1].1},
                {"participant": uuid::Uuid::new_v4(), "exercise": "roleplay", "assessor": stranger},
                {"participant": c.participants[0].0, "exercise": "interview", "assessor": c.assessors[0].1},
                {"participant": c.participants[0].0, "exercise": "interview", "assessor": c.assessors[1].1}
            ]}),
        )
        .await,
        422,
        "invalid_assignment",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec![
            "assignments[1].participant",
            "assignments[1].exercise",
            "assignments[1].assessor",
            "assignments[2].assessor",
            "assignments[3]"
        ]
    );
    assert!(c.assignments(&app).await.is_empty());
}

#[tokio::test]
async fn an_assessor_sees_only_their_own_assignments_and_another_assessors_answer_404() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let a = c.assign(&app, 0, "interview", 1, false).await;
    let b = c.assign(&app, 1, "interview", 2, false).await;
    let mine: Value = app
        .get("/api/v1/assessor/assignments", &c.assessors[1].0)
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = mine["assignments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![a.as_str()]);
    assert_eq!(
        mine["assignments"][0]["exercise_name"],
        "Wawancara berbasis kompetensi"
    );
    let ws: Value = app
        .get(
            &format!("/api/v1/assessor/assignments/{a}"),
            &c.assessors[1].0,
        )
        .await
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = ws["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["INT", "KOM"]);
    assert_eq!(ws["competencies"][0]["levels"].as_array().unwrap().len(), 5);
    assert!(!ws["competencies"][0]["levels"][2]["indicators"]
        .as_array()
        .unwrap()
        .is_empty());
    for path in [
        format!("/api/v1/assessor/assignments/{b}"),
        format!("/api/v1/assessor/assignments/{}", uuid::Uuid::new_v4()),
    ] {
        assert_error(app.get(&path, &c.assessors[1].0).await, 404, "not_found").await;
    }
    assert_error(
        app.put_json(
            &format!("/api/v1/assessor/assignments/{b}/ratings"),
            &c.assessors[1].0,
            &json!({"ratings": {"INT": {"level": 3, "evidence": "x"}}}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    // HR and proctors have no workspace.
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    for token in [&c.hr, &proctor] {
        assert_error(
            app.get("/api/v1/assessor/assignments", token).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_error(
        app.get(&c.path("/exercises"), &proctor).await,
        403,
        "forbidden",
    )
    .await;
    assert_error(
        app.get(&c.path("/assessor-assignments"), &proctor).await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn a_draft_saves_half_filled_and_a_level_outside_one_to_five_changes_nothing() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let a = c.assign(&app, 0, "interview", 1, false).await;
    let token = &c.assessors[1].0;
    let url = format!("/api/v1/assessor/assignments/{a}/ratings");
    let res = app
        .put_json(&url, token, &json!({"ratings": {"INT": {"level": 4}}}))
        .await;
    assert_eq!(res.status(), 200);
    let saved: Value = res.json().await.unwrap();
    assert_eq!(saved["assignment"]["status"], "draft");
    assert_eq!(saved["assignment"]["revision"], 1);
    assert_eq!(
        saved["assignment"]["ratings"]["INT"],
        json!({"level": 4, "evidence": ""})
    );
    for (bad, field) in [
        (
            json!({"INT": {"level": 6, "evidence": "x"}}),
            "ratings.INT.level",
        ),
        (
            json!({"INT": {"level": 0, "evidence": "x"}}),
            "ratings.INT.level",
        ),
        (json!({"KS": {"level": 3, "evidence": "x"}}), "ratings.KS"),
    ] {
        let body = assert_error(
            app.put_json(&url, token, &json!({ "ratings": bad })).await,
            422,
            "invalid_rating",
        )
        .await;
        assert_eq!(body["errors"][0]["field"], field);
    }
    assert_error(
        app.put_json(&url, token, &json!({"ratings": {"INT": {"level": "tiga"}}}))
            .await,
        422,
        "invalid_input",
    )
    .await;
    // A save based on an old revision is refused.
    assert_error(
        app.put_json(&url, token, &json!({"ratings": {}, "revision": 0}))
            .await,
        409,
        "stale_revision",
    )
    .await;
    let ws: Value = app
        .get(&format!("/api/v1/assessor/assignments/{a}"), token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ws["assignment"]["revision"], 1, "nothing changed");
    assert_eq!(ws["assignment"]["ratings"]["INT"]["level"], 4);
}

#[tokio::test]
async fn submitting_needs_evidence_for_every_competency_and_then_locks_the_sheet() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let a = c.assign(&app, 0, "interview", 1, false).await;
    let token = &c.assessors[1].0;
    let res = app
        .put_json(
            &format!("/api/v1/assessor/assignments/{a}/ratings"),
            token,
            &json!({"ratings": {"INT": {"level": 4, "evidence": "Menolak hadiah dari vendor"},
                                "KOM": {"level": 3}}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let submit = format!("/api/v1/assessor/assignments/{a}/submit");
    let body = assert_error(
        app.post_json(&submit, token, &json!({})).await,
        422,
        "invalid_rating",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "ratings.KOM.evidence");
    assert_eq!(c.assignments(&app).await[0]["status"], "draft");
    let done = rate(&app, token, &a, &[("INT", 4), ("KOM", 3)]).await;
    assert_eq!(done["assignment"]["status"], "submitted");
    assert_error(
        app.put_json(
            &format!("/api/v1/assessor/assignments/{a}/ratings"),
            token,
            &json!({"ratings": {"INT": {"level": 1, "evidence": "x"}}}),
        )
        .await,
        409,
        "rating_locked",
    )
    .await;
    assert_error(
        app.post_json(&submit, token, &json!({})).await,
        409,
        "rating_locked",
    )
    .await;
    let listed = c.assignments(&app).await;
    assert_eq!(
        listed[0]["ratings"]["INT"]["level"], 4,
        "HR reads a submitted sheet"
    );
    let audit = app.audit_of("demo").await;
    assert!(audit.iter().any(|e| e.action == "assessor_rating.submit"
        && e.target_id == a
        && e.actor_account_id == Some(uuid::Uuid::parse_str(&c.assessors[1].1).unwrap())));
}

#[tokio::test]
async fn ratings_stay_independent_until_both_assessors_have_submitted() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let a = c.assign(&app, 0, "interview", 1, false).await;
    let b = c.assign(&app, 0, "interview", 2, false).await;
    rate(&app, &c.assessors[1].0, &a, &[("INT", 4), ("KOM", 3)]).await;
    // The second assessor, still drafting, sees that another sheet exists but not its ratings.
    let ws: Value = app
        .get(
            &format!("/api/v1/assessor/assignments/{b}"),
            &c.assessors[2].0,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ws["others"].as_array().unwrap().len(), 1);
    assert_eq!(ws["others"][0]["status"], "submitted");
    assert_eq!(ws["others"][0]["ratings"], Value::Null);
    // Nor does the first, whose sheet is in while the other is a draft.
    let res = app
        .put_json(
            &format!("/api/v1/assessor/assignments/{b}/ratings"),
            &c.assessors[2].0,
            &json!({"ratings": {"INT": {"level": 2, "evidence": "Ragu"}}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let first: Value = app
        .get(
            &format!("/api/v1/assessor/assignments/{a}"),
            &c.assessors[1].0,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["others"][0]["status"], "draft");
    assert_eq!(first["others"][0]["ratings"], Value::Null);
    assert!(
        !first.to_string().contains("Ragu"),
        "a draft is seen by its assessor only"
    );
    // Once both are in, each sees the other's.
    rate(&app, &c.assessors[2].0, &b, &[("INT", 2), ("KOM", 3)]).await;
    let first: Value = app
        .get(
            &format!("/api/v1/assessor/assignments/{a}"),
            &c.assessors[1].0,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["others"][0]["ratings"]["INT"]["level"], 2);
}

#[tokio::test]
async fn hr_unlocks_a_submitted_sheet_only_with_a_reason_and_the_unlock_is_audited() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let a = c.assign(&app, 0, "interview", 1, false).await;
    let unlock = c.path(&format!("/assessor-assignments/{a}/unlock"));
    assert_error(
        app.post_json(&unlock, &c.hr, &json!({"reason": "salah ketik"}))
            .await,
        409,
        "invalid_state_transition",
    )
    .await;
    rate(&app, &c.assessors[1].0, &a, &[("INT", 4), ("KOM", 3)]).await;
    assert_error(
        app.post_json(&unlock, &c.hr, &json!({"reason": "  "}))
            .await,
        422,
        "invalid_input",
    )
    .await;
    assert_error(
        app.post_json(&unlock, &c.assessors[1].0, &json!({"reason": "saya"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(c.assignments(&app).await[0]["status"], "submitted");
    let res = app
        .post_json(
            &unlock,
            &c.hr,
            &json!({"reason": "Asesor salah memilih level KOM"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["status"], "draft");
    let entry = app
        .audit_of("demo")
        .await
        .into_iter()
        .find(|e| e.action == "assessor_rating.unlock")
        .unwrap();
    assert_eq!(
        entry.reason.as_deref(),
        Some("Asesor salah memilih level KOM")
    );
    assert!(entry.before.unwrap().to_string().contains("\"level\":3"));
    // The assessor corrects and submits again.
    rate(&app, &c.assessors[1].0, &a, &[("INT", 4), ("KOM", 4)]).await;
    // A submitted assignment cannot be removed; a draft one can.
    assert_error(
        app.client
            .delete(app.url(&c.path(&format!("/assessor-assignments/{a}"))))
            .bearer_auth(&c.hr)
            .send()
            .await
            .unwrap(),
        409,
        "assignment_rated",
    )
    .await;
    let d = c.assign(&app, 1, "lgd", 2, false).await;
    let res = app
        .client
        .delete(app.url(&c.path(&format!("/assessor-assignments/{d}"))))
        .bearer_auth(&c.hr)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(c.assignments(&app).await.len(), 1);
}

#[tokio::test]
async fn a_staff_account_carries_a_unit_and_a_licence_number_set_by_an_administrator() {
    let app = TestApp::spawn_demo().await;
    let admin = app.token("admin@demo.meritest.id", DEMO_PASSWORD).await;
    let psy = app
        .token("psychologist@demo.meritest.id", DEMO_PASSWORD)
        .await;
    let id = me(&app, &psy).await["id"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/accounts/{id}/profile");
    let body = assert_error(
        app.put_json(&url, &admin, &json!({"licence_number": "SIPP", "unit": ""}))
            .await,
        422,
        "invalid_input",
    )
    .await;
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    assert_error(
        app.put_json(&url, &psy, &json!({"licence_number": "0123-20-2-1"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let res = app
        .put_json(
            &url,
            &admin,
            &json!({"licence_number": " 0123-20-2-1 ", "unit": "Biro Psikologi"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let shown = me(&app, &psy).await;
    assert_eq!(shown["licence_number"], "0123-20-2-1");
    assert_eq!(shown["unit"], "Biro Psikologi");
    let entry = app
        .audit_of("demo")
        .await
        .into_iter()
        .find(|e| e.action == "account.profile")
        .unwrap();
    // The demo's psychologist had the demo's licence number; the audit keeps it.
    assert_eq!(entry.before.unwrap()["licence_number"], "0123-20-2-1-DEMO");
    // Another organisation's administrator does not find the account.
    let other = app.second_organisation().await;
    assert_error(
        app.put_json(&url, &other, &json!({"licence_number": "9999-1"}))
            .await,
        404,
        "not_found",
    )
    .await;
}

/// The seeded evidence mapping with the panel's level beside the SJT for `code` (weight 1 each).
async fn with_panel_evidence(app: &TestApp, hr: &str, code: &str) {
    let current: Value = app
        .get("/api/v1/competency-rules/evidence_mapping", hr)
        .await
        .json()
        .await
        .unwrap();
    let mut doc = current["document"].clone();
    for c in doc["competencies"].as_array_mut().unwrap() {
        if c["code"] == code {
            c["sources"]
                .as_array_mut()
                .unwrap()
                .push(json!({"kind": "assessor_panel", "weight": 1.0}));
            c["require"] = json!({"rule": "at_least", "min": 1});
        }
    }
    let res = app
        .put_json("/api/v1/competency-rules/evidence_mapping", hr, &doc)
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn the_panel_integrates_with_a_reason_to_depart_from_the_mean_and_the_level_reaches_the_results(
) {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let p = c.participants[2].0.clone();
    let a = c.assign(&app, 2, "interview", 0, true).await;
    let b = c.assign(&app, 2, "interview", 1, false).await;
    let integration = c.path(&format!("/participants/{p}/integration"));
    rate(&app, &c.assessors[0].0, &a, &[("INT", 4), ("KOM", 2)]).await;
    // One sheet pending: the panel waits.
    let body = assert_error(
        app.put_json(
            &integration,
            &c.hr,
            &json!({"levels": {"INT": {"level": 4}}}),
        )
        .await,
        422,
        "invalid_integration",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "levels");
    rate(&app, &c.assessors[1].0, &b, &[("INT", 3), ("KOM", 2)]).await;
    let read: Value = app.get(&integration, &c.hr).await.json().await.unwrap();
    let int = read["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "INT")
        .unwrap()
        .clone();
    assert_eq!(int["mean"], 3.5);
    assert_eq!(int["suggested"], 4);
    assert_eq!(int["ratings"].as_array().unwrap().len(), 2);
    // 5 departs from 3.5 by more than half a level: a reason is needed; KS is not evidenced by
    // any rating of this participant; nothing is stored.
    let body = assert_error(
        app.put_json(
            &integration,
            &c.hr,
            &json!({"levels": {"INT": {"level": 5}, "KS": {"level": 3}, "KOM": {"level": 7}}}),
        )
        .await,
        422,
        "invalid_integration",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["levels.INT.reason", "levels.KOM.level", "levels.KS"]
    );
    let read: Value = app.get(&integration, &c.hr).await.json().await.unwrap();
    assert!(read["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["integrated"].is_null()));
    // The lead assessor records: INT 3 needs no reason (|3 − 3.5| = ½); KOM 4 departs from 2.
    let res = app
        .put_json(
            &integration,
            &c.assessors[0].0,
            &json!({"levels": {"INT": {"level": 3},
                               "KOM": {"level": 4, "reason": "Presentasi sangat meyakinkan"}}}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let read: Value = res.json().await.unwrap();
    let kom = read["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "KOM")
        .unwrap()
        .clone();
    assert_eq!(kom["integrated"]["level"], 4);
    assert_eq!(kom["integrated"]["ratings_mean"], 2.0);
    assert_eq!(kom["integrated"]["reason"], "Presentasi sangat meyakinkan");
    // A non-lead assessor sees nothing of the panel.
    assert_error(
        app.get(&integration, &c.assessors[1].0).await,
        404,
        "not_found",
    )
    .await;
    let entry = app
        .audit_of("demo")
        .await
        .into_iter()
        .find(|e| e.action == "competency_level.integrate")
        .unwrap();
    assert_eq!(entry.target_id, p);

    // With the panel as evidence for INT (beside the SJT, which this participant never took),
    // the participant's INT level is the panel's 3.
    with_panel_evidence(&app, &c.hr, "INT").await;
    let profile: Value = app
        .get(&c.path(&format!("/competencies/participants/{p}")), &c.hr)
        .await
        .json()
        .await
        .unwrap();
    let int = profile["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["computed"]["competency"] == "INT")
        .unwrap()
        .clone();
    assert_eq!(int["computed"]["outcome"]["status"], "combined");
    assert_eq!(int["computed"]["outcome"]["level"], 3);
    assert_eq!(int["computed"]["outcome"]["assessor"], 3.0);
    assert_eq!(int["computed"]["sources"][1]["score"], 3.0);
}

#[tokio::test]
async fn another_organisation_finds_none_of_a_campaigns_assessment_centre() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let a = c.assign(&app, 0, "interview", 1, false).await;
    let other = app.second_organisation().await;
    let p = &c.participants[0].0;
    for path in [
        c.path("/exercises"),
        c.path("/assessor-assignments"),
        c.path(&format!("/participants/{p}/integration")),
    ] {
        assert_error(app.get(&path, &other).await, 404, "not_found").await;
    }
    assert_error(
        app.post_json(
            &c.path(&format!("/assessor-assignments/{a}/unlock")),
            &other,
            &json!({"reason": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let _ = &c.admin;
}

#[tokio::test]
async fn agreement_is_computed_from_submitted_sheets_with_worked_numbers_and_discrepancies_listed()
{
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    // Interview, two assessors, three participants (INT, KOM):
    //   P0: 4/3 and 4/2   P1: 3/3 and 1/3   P2: 5/4 and 4/4
    let sheets = [
        (0, [("INT", 4), ("KOM", 3)], [("INT", 4), ("KOM", 2)]),
        (1, [("INT", 3), ("KOM", 3)], [("INT", 1), ("KOM", 3)]),
        (2, [("INT", 5), ("KOM", 4)], [("INT", 4), ("KOM", 4)]),
    ];
    for (p, first, second) in sheets {
        let a = c.assign(&app, p, "interview", 1, false).await;
        let b = c.assign(&app, p, "interview", 2, false).await;
        rate(&app, &c.assessors[1].0, &a, &first).await;
        rate(&app, &c.assessors[2].0, &b, &second).await;
    }
    // A draft does not count.
    let pending = c.assign(&app, 3, "interview", 1, false).await;
    let res = app
        .put_json(
            &format!("/api/v1/assessor/assignments/{pending}/ratings"),
            &c.assessors[1].0,
            &json!({"ratings": {"INT": {"level": 1, "evidence": "draf"}}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = app.get(&c.path("/agreement"), &c.hr).await;
    assert_eq!(res.status(), 200);
    let got: Value = res.json().await.unwrap();
    assert_eq!(got["submitted_sheets"], 6);
    assert_eq!(got["pending_sheets"], 1);
    let interview = &got["exercises"][0];
    assert_eq!(interview["exercise"], "interview");
    let int = &interview["competencies"][0];
    assert_eq!(int["competency"], "INT");
    // INT pairs (4,4) (3,1) (5,4): one exact, two within a level.
    assert_eq!(int["pairs"], 3);
    assert_eq!(int["exact_pct"], 33.3);
    assert_eq!(int["adjacent_pct"], 66.7);
    // Shrout & Fleiss ICC(2,1) = 9/14, ICC(2,2) = 18/23 on the 3 × 2 matrix; Krippendorff's
    // ordinal α = 0.7312 (both cross-checked with pingouin and krippendorff).
    assert_eq!(int["icc_single"], 0.643);
    assert_eq!(int["icc_average"], 0.783);
    assert_eq!(
        (int["icc_n"].clone(), int["icc_k"].clone()),
        (json!(3), json!(2))
    );
    assert_eq!(int["alpha"], 0.731);
    assert_eq!(int["alpha_n"], 6);
    let kom = &interview["competencies"][1];
    assert_eq!(
        (kom["exact_pct"].clone(), kom["adjacent_pct"].clone()),
        (json!(66.7), json!(100.0))
    );
    assert_eq!(kom["icc_single"], 0.75);
    assert_eq!(kom["alpha"], 0.778);
    let overall = &got["overall"];
    assert_eq!(overall["pairs"], 6);
    assert_eq!(overall["exact_pct"], 50.0);
    assert_eq!(overall["adjacent_pct"], 83.3);
    assert_eq!(overall["icc_single"], 0.615);
    assert_eq!(overall["icc_average"], 0.762);
    assert_eq!(overall["alpha"], 0.803);
    // The only ratings more than a level apart: P1's INT, 3 against 1.
    let d = got["discrepancies"].as_array().unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["participant"]["id"], c.participants[1].0.as_str());
    assert_eq!(
        (d[0]["competency"].clone(), d[0]["spread"].clone()),
        (json!("INT"), json!(2))
    );
    // Assessor 1 rates 22/6 on average where the other gives 18/6.
    let drift = got["drift"].as_array().unwrap();
    let one = drift
        .iter()
        .find(|x| x["assessor"]["id"] == c.assessors[1].1.as_str())
        .unwrap();
    assert_eq!(one["n"], 6);
    assert_eq!(one["own_mean"], 3.667);
    assert_eq!(one["panel_mean"], 3.0);
    assert_eq!(one["difference"], 0.667);
    // Assessors keep to their own sheets; proctors see none of it.
    assert_error(
        app.get(&c.path("/agreement"), &c.assessors[1].0).await,
        403,
        "forbidden",
    )
    .await;
    let psy = app
        .token("psychologist@demo.meritest.id", DEMO_PASSWORD)
        .await;
    assert_eq!(app.get(&c.path("/agreement"), &psy).await.status(), 200);
}

#[tokio::test]
async fn hr_assigns_from_a_csv_file_all_or_none_with_problems_named_by_line() {
    let app = TestApp::spawn_demo().await;
    let c = centre(&app).await;
    let one = me(&app, &c.assessors[1].0).await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let two = me(&app, &c.assessors[2].0).await["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let nip = |i: usize| format!("19850315201012{:04}", 2101 + i);
    let upload = |csv: String| {
        app.client
            .post(app.url(&c.path("/assessor-assignments/import")))
            .bearer_auth(&c.hr)
            .header("content-type", "text/csv")
            .body(csv)
            .send()
    };
    // An unknown assessor on line 3 and a second row repeating line 2's pair (line 4): refused
    // whole, each named by its line.
    let bad = format!(
        "nip;exercise;assessor;lead\n{};wawancara-x;{one};ya\n{};interview;nobody@asesor.test.id;\n{};interview;{one};\n{};interview;{one};\n",
        nip(0),
        nip(1),
        nip(2),
        nip(2)
    );
    let body = assert_error(upload(bad).await.unwrap(), 422, "invalid_assignment").await;
    let got: Vec<(u64, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(got, vec![(3, "assessor".to_owned())]);
    let bad = format!(
        "nip,exercise,assessor\n{},roleplay,{one}\n{},interview,{one}\n{},interview,{one}\n",
        nip(0),
        nip(2),
        nip(2)
    );
    let body = assert_error(upload(bad).await.unwrap(), 422, "invalid_assignment").await;
    let got: Vec<(u64, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(got, vec![(2, "exercise".to_owned()), (4, "row".to_owned())]);
    assert!(c.assignments(&app).await.is_empty(), "nothing stored");
    let good = format!(
        "nip,exercise,assessor,lead\n{},interview,{one},ya\n{},interview,{two},\n",
        nip(2),
        nip(2)
    );
    let res = upload(good).await.unwrap();
    assert_eq!(res.status(), 201);
    let rows = c.assignments(&app).await;
    assert_eq!(rows.len(), 2);
    assert!(rows
        .iter()
        .any(|r| r["lead"] == true && r["assessor"]["id"] == c.assessors[1].1.as_str()));
}

/// The outcome of a participant's competency as `node` computes (and keeps) it.
async fn outcome_on(node: &TestApp, c: &Centre, p: &str, code: &str) -> Value {
    let profile: Value = node
        .get(&c.path(&format!("/competencies/participants/{p}")), &c.hr)
        .await
        .json()
        .await
        .unwrap();
    profile["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["computed"]["competency"] == code)
        .unwrap()["computed"]["outcome"]
        .clone()
}

#[tokio::test]
async fn a_node_that_keeps_a_campaigns_results_follows_ratings_and_integrations_changed_on_another_node(
) {
    let app = TestApp::spawn_demo().await;
    let other = app.second_node().await;
    let c = centre(&app).await;
    with_panel_evidence(&app, &c.hr, "INT").await;
    // KOM from the interview's mean rating beside the SJT.
    let current: Value = app
        .get("/api/v1/competency-rules/evidence_mapping", &c.hr)
        .await
        .json()
        .await
        .unwrap();
    let mut doc = current["document"].clone();
    for comp in doc["competencies"].as_array_mut().unwrap() {
        if comp["code"] == "KOM" {
            comp["sources"]
                .as_array_mut()
                .unwrap()
                .push(json!({"kind": "assessor_rating", "exercise": "interview", "weight": 1.0}));
            comp["require"] = json!({"rule": "at_least", "min": 1});
        }
    }
    assert_eq!(
        app.put_json("/api/v1/competency-rules/evidence_mapping", &c.hr, &doc)
            .await
            .status(),
        200
    );
    let p = c.participants[2].0.clone();
    let a = c.assign(&app, 2, "interview", 0, true).await;
    let b = c.assign(&app, 2, "interview", 1, false).await;
    rate(&app, &c.assessors[0].0, &a, &[("INT", 4), ("KOM", 3)]).await;
    rate(&app, &c.assessors[1].0, &b, &[("INT", 4), ("KOM", 4)]).await;
    // Read (and kept) on the first node before the panel has met: KOM from the mean 3.5.
    assert_eq!(
        outcome_on(&app, &c, &p, "INT").await["status"],
        "missing_evidence"
    );
    assert_eq!(outcome_on(&app, &c, &p, "KOM").await["level"], 4);
    let res = other
        .put_json(
            &c.path(&format!("/participants/{p}/integration")),
            &c.hr,
            &json!({"levels": {"INT": {"level": 4}}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let int = outcome_on(&app, &c, &p, "INT").await;
    assert_eq!(
        (int["status"].clone(), int["level"].clone()),
        (json!("combined"), json!(4))
    );
    // An unlock on the other node takes the second sheet out of the mean: KOM is 3 now.
    let unlock = other
        .post_json(
            &c.path(&format!("/assessor-assignments/{b}/unlock")),
            &c.hr,
            &json!({"reason": "koreksi"}),
        )
        .await;
    assert_eq!(unlock.status(), 200);
    let kom = outcome_on(&app, &c, &p, "KOM").await;
    assert_eq!(
        (kom["assessor"].clone(), kom["level"].clone()),
        (json!(3.0), json!(3))
    );
}
