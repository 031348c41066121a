//! A campaign's competency results (`GET /api/v1/campaigns/{id}/competencies`): levels from the
//! evidence mapping, the job standard, the JPM with gaps, the categories, each computed again here
//! from the stored scores and the seeded rules; a new rule version changes them and is named;
//! "no standard" is said, never defaulted; roles.
use serde_json::{json, Value};

use crate::helpers::{
    assert_error, candidate, candidate_with, require_level, setup, take_sjt, TestApp,
    DEMO_PASSWORD, NIP,
};

/// The nine competencies and the SJT-ASN scale the seeded mapping reads for each.
const MAPPED: [(&str, &str); 9] = [
    ("INT", "INTEGRITAS"),
    ("KS", "KERJASAMA"),
    ("KOM", "KOMUNIKASI"),
    ("OPH", "ORIENTASI_HASIL"),
    ("PP", "PELAYANAN_PUBLIK"),
    ("PDOL", "PENGEMBANGAN_DIRI"),
    ("MP", "MENGELOLA_PERUBAHAN"),
    ("PK", "PENGAMBILAN_KEPUTUSAN"),
    ("PB", "PEREKAT_BANGSA"),
];

/// The seeded cut table on T: below 35 → 1, [35, 45) → 2, [45, 55) → 3, [55, 65) → 4, 65 and
/// above → 5, on T rounded to two decimals.
fn seeded_level(t: f64) -> u8 {
    let t = (t * 100.0).round() / 100.0;
    match t {
        t if t < 35.0 => 1,
        t if t < 45.0 => 2,
        t if t < 55.0 => 3,
        t if t < 65.0 => 4,
        _ => 5,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The year the campaign closes in: its SKP window ends there.
async fn closing_year(app: &TestApp, s: &crate::helpers::Setup) -> i64 {
    let view: Value = app
        .get(&format!("/api/v1/campaigns/{}", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    view["closes_at"].as_str().unwrap()[..4].parse().unwrap()
}

async fn competencies(app: &TestApp, campaign: &str, token: &str) -> Value {
    let res = app
        .get(&format!("/api/v1/campaigns/{campaign}/competencies"), token)
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn levels_jpm_gaps_and_categories_follow_the_seeded_mapping_standard_and_schemes() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    let token = candidate(&app, &s.code).await;
    take_sjt(&app, &token, 0).await;

    let results: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    let scores = results["participants"][0]["scores"].as_array().unwrap();
    let t_of = |scale: &str| {
        scores.iter().find(|x| x["scale"] == scale).unwrap()["t"]
            .as_f64()
            .unwrap()
    };

    let body = competencies(&app, &s.campaign, &s.hr).await;
    let year = closing_year(&app, &s).await;
    assert_eq!(
        body["rules"],
        json!({"evidence_mapping": 1, "jpm": 1, "category_schemes": 1, "nine_box": 1, "ip_asn": 1, "development": 1,
               "performance_year": year})
    );
    let budi = &body["participants"][0];
    assert_eq!(budi["nip"], NIP);
    assert_eq!(budi["status"], "finished");
    // Each level, and the score it came from, as the seeded mapping says.
    let mut sum = 0u32;
    for (code, scale) in MAPPED {
        let level = &budi["levels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["computed"]["competency"] == code)
            .unwrap_or_else(|| panic!("a level for {code}"))["computed"];
        let t = t_of(scale);
        assert_eq!(level["mapping_version"], 1);
        assert_eq!(level["sources"][0]["score"].as_f64(), Some(t), "{code}");
        assert_eq!(level["outcome"]["status"], "assigned", "{code}");
        assert_eq!(
            level["outcome"]["combined"].as_f64(),
            Some(round2(t)),
            "{code}"
        );
        let expected = seeded_level(t);
        assert_eq!(level["outcome"]["level"], expected, "{code}: T {t}");
        sum += u32::from(expected);
    }
    // The seeded standard of a Pengawas: level 2 in all nine.
    let standard = &budi["standard"];
    assert_eq!(standard["job_level"], "Pengawas");
    assert_eq!(standard["position"], Value::Null);
    for (code, _) in MAPPED {
        assert_eq!(standard["required"][code], 2, "{code}");
    }
    assert_eq!(budi["no_jpm"], Value::Null);
    // JPM = 100 × Σ achieved ÷ Σ required, two decimals; the gap per competency.
    let jpm = &budi["jpm"];
    assert_eq!(jpm["rule_version"], 1);
    assert_eq!(jpm["jpm"]["status"], "complete");
    let percent = round2(100.0 * f64::from(sum) / 18.0);
    assert_eq!(jpm["jpm"]["percent"].as_f64(), Some(percent));
    assert_eq!(jpm["jpm"]["sum_counted"], sum);
    assert_eq!(jpm["jpm"]["sum_required"], 18);
    for gap in jpm["competencies"].as_array().unwrap() {
        let achieved = gap["achieved"].as_i64().unwrap();
        assert_eq!(
            gap["gap"].as_i64(),
            Some(achieved - 2),
            "{}",
            gap["competency"]
        );
    }
    // The categories of the two seeded schemes.
    let mapping = if percent >= 90.0 {
        "Optimal"
    } else if percent >= 78.0 {
        "Cukup Optimal"
    } else {
        "Kurang Optimal"
    };
    let eligibility = if percent >= 80.0 {
        "Memenuhi Syarat"
    } else if percent >= 68.0 {
        "Masih Memenuhi Syarat"
    } else {
        "Kurang Memenuhi Syarat"
    };
    assert_eq!(
        budi["categories"],
        json!([
            {"scheme": "mapping", "scheme_version": 1, "category": mapping},
            {"scheme": "eligibility", "scheme_version": 1, "category": eligibility}
        ])
    );
    let summary = &body["summary"];
    let counts: serde_json::Map<String, Value> = [
        "participants",
        "scored",
        "without_standard",
        "with_jpm",
        "categories",
        "nine_box",
        "talent_pool",
        "with_ip_asn",
        "ip_asn_mean",
        "jpm_mean",
        "units",
    ]
    .into_iter()
    .map(|k| (k.to_owned(), summary[k].clone()))
    .collect();
    assert_eq!(
        Value::Object(counts),
        json!({"participants": 1, "scored": 1, "without_standard": 0, "with_jpm": 1,
               "categories": {"mapping": {mapping: 1}, "eligibility": {eligibility: 1}},
               "nine_box": {}, "talent_pool": 0, "with_ip_asn": 0, "ip_asn_mean": null,
               "jpm_mean": jpm["jpm"]["percent"], "units": []})
    );
}

#[tokio::test]
async fn a_new_mapping_version_changes_the_levels_and_the_results_name_it() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    let token = candidate(&app, &s.code).await;
    take_sjt(&app, &token, 1).await;
    // Everyone at level 5 in every competency: one band without bounds.
    let mut mapping: Value = app
        .get("/api/v1/competency-rules/evidence_mapping", &s.hr)
        .await
        .json::<Value>()
        .await
        .unwrap()["document"]
        .clone();
    for c in mapping["competencies"].as_array_mut().unwrap() {
        c["cuts"] = json!([{"level": 5}]);
    }
    let res = app
        .put_json("/api/v1/competency-rules/evidence_mapping", &s.hr, &mapping)
        .await;
    assert_eq!(res.status(), 200);

    let body = competencies(&app, &s.campaign, &s.hr).await;
    assert_eq!(body["rules"]["evidence_mapping"], 2);
    let budi = &body["participants"][0];
    for level in budi["levels"].as_array().unwrap() {
        let computed = &level["computed"];
        assert_eq!(computed["mapping_version"], 2);
        assert_eq!(
            computed["outcome"]["level"], 5,
            "{}",
            computed["competency"]
        );
    }
    // 9 × 5 = 45 against 9 × 2 = 18: 250 %, not capped by the seeded rule.
    assert_eq!(budi["jpm"]["jpm"]["percent"].as_f64(), Some(250.0));
    assert_eq!(budi["categories"][0]["category"], "Optimal");
}

#[tokio::test]
async fn without_a_standard_for_the_job_or_without_scores_no_jpm_is_made_and_the_reason_is_said() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    // A second participant whose job level has no standard, and a third who never starts.
    let other = "199001012015031009";
    let absent = "199202022016032010";
    let csv = format!(
        "nip,name,birth_date,education,job_level,session\n\
         {other},Dedi Kurniawan,1990-01-01,S1,Kepala Seksi,Sesi 1\n\
         {absent},Euis Rahayu,1992-02-02,S1,Pelaksana,Sesi 1\n"
    );
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
    let codes: Value = app
        .post(
            &format!("/api/v1/campaigns/{}/access-codes", s.campaign),
            &s.hr,
        )
        .await
        .json()
        .await
        .unwrap();
    let code = codes["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["nip"] == other)
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = candidate_with(&app, &code, other).await;
    take_sjt(&app, &token, 0).await;

    let body = competencies(&app, &s.campaign, &s.hr).await;
    let by_nip = |nip: &str| {
        body["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["nip"] == nip)
            .unwrap()
            .clone()
    };
    let dedi = by_nip(other);
    assert_eq!(
        dedi["levels"].as_array().unwrap().len(),
        9,
        "levels are still computed"
    );
    assert_eq!(dedi["standard"], Value::Null);
    assert_eq!(dedi["no_jpm"], "no_standard");
    assert_eq!(dedi["jpm"], Value::Null);
    assert_eq!(dedi["categories"], json!([]));
    let euis = by_nip(absent);
    assert_eq!(euis["status"], "not_started");
    assert_eq!(euis["levels"], json!([]));
    assert_eq!(euis["no_jpm"], "no_scores");
    assert_eq!(euis["standard"]["job_level"], "Pelaksana");
    assert_eq!(body["summary"]["participants"], 3);
    assert_eq!(body["summary"]["scored"], 1);
    assert_eq!(body["summary"]["without_standard"], 1);
    assert_eq!(body["summary"]["with_jpm"], 0);
}

#[tokio::test]
async fn assessors_read_the_competency_results_and_proctors_do_not() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    let path = format!("/api/v1/campaigns/{}/competencies", s.campaign);
    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_eq!(app.get(&path, &assessor).await.status(), 200);
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(app.get(&path, &proctor).await, 403, "forbidden").await;
    let other = app.second_organisation().await;
    assert_error(app.get(&path, &other).await, 404, "not_found").await;
}

#[tokio::test]
async fn an_override_counts_instead_of_the_computed_level_which_stays_visible_and_is_audited() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    let token = candidate(&app, &s.code).await;
    take_sjt(&app, &token, 0).await;
    let before = competencies(&app, &s.campaign, &s.hr).await;
    let budi = &before["participants"][0];
    let level_of = |p: &Value, code: &str| {
        p["levels"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["computed"]["competency"] == code)
            .unwrap()
            .clone()
    };
    let computed = level_of(budi, "INT")["computed"]["outcome"]["level"]
        .as_u64()
        .unwrap();
    let sum = budi["jpm"]["jpm"]["sum_counted"].as_u64().unwrap();
    let set = if computed == 5 { 1 } else { 5 };
    let path = format!(
        "/api/v1/campaigns/{}/participants/{}/competencies/INT/override",
        s.campaign, s.participant
    );
    let res = app
        .put_json(
            &path,
            &s.hr,
            &json!({"level": set, "reason": "Keputusan panel asesor"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let after: Value = res.json().await.unwrap();
    let int = level_of(&after, "INT");
    assert_eq!(
        int["computed"]["outcome"]["level"], computed,
        "the computed level stays"
    );
    assert_eq!(int["override"]["level"], set);
    assert_eq!(int["override"]["reason"], "Keputusan panel asesor");
    let gap = after["jpm"]["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["competency"] == "INT")
        .unwrap()
        .clone();
    assert_eq!(gap["achieved"], set, "the JPM counts the override");
    assert_eq!(
        after["jpm"]["jpm"]["sum_counted"].as_u64().unwrap(),
        sum - computed + set
    );
    let audit = app.audit_of("demo").await;
    let entry = audit
        .iter()
        .find(|e| e.action == "competency_level.override")
        .expect("audited");
    assert_eq!(entry.before, None);
    assert_eq!(
        entry.after,
        Some(json!({"level": set, "reason": "Keputusan panel asesor"}))
    );

    // Bad input changes nothing; removing the override needs a reason and restores the level.
    for (bad, code) in [
        (json!({"level": 6, "reason": "x"}), 422),
        (json!({"level": 3, "reason": "  "}), 422),
    ] {
        assert_error(
            app.put_json(&path, &s.hr, &bad).await,
            code,
            "invalid_override",
        )
        .await;
    }
    let unknown = path.replace("/INT/", "/NOPE/");
    assert_error(
        app.put_json(&unknown, &s.hr, &json!({"level": 3, "reason": "x"}))
            .await,
        404,
        "not_found",
    )
    .await;
    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(
        app.put_json(&path, &assessor, &json!({"level": 3, "reason": "x"}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let still = competencies(&app, &s.campaign, &s.hr).await;
    assert_eq!(
        level_of(&still["participants"][0], "INT")["override"]["level"],
        set
    );
    let res = app
        .put_json(
            &path,
            &s.hr,
            &json!({"level": null, "reason": "Dikembalikan"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let cleared: Value = res.json().await.unwrap();
    assert_eq!(level_of(&cleared, "INT")["override"], Value::Null);
    assert_eq!(cleared["jpm"]["jpm"]["sum_counted"].as_u64().unwrap(), sum);
}

#[tokio::test]
async fn the_nine_box_places_a_participant_from_two_skp_years_the_jpm_and_a_cognitive_score() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    let token = candidate(&app, &s.code).await;
    take_sjt(&app, &token, 0).await;
    let year = closing_year(&app, &s).await;

    // Without SKP ratings (and without the demo's ability tests) nobody is placed; every reason is said.
    let before = competencies(&app, &s.campaign, &s.hr).await;
    let outcome = &before["participants"][0]["nine_box"]["outcome"];
    assert_eq!(outcome["status"], "not_placed");
    let reasons = outcome["reasons"].as_array().unwrap();
    assert!(
        reasons.contains(&json!({"reason": "no_performance_rating"})),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(
            &json!({"reason": "no_cognitive_score", "instrument": "NUM-SERIES", "scale": "NUM"})
        ),
        "{reasons:?}"
    );

    // HR imports two years of SKP and lets the integrity scale stand for the cognitive score.
    let csv = format!(
        "nip,year,rating\n{NIP},{},Baik\n{NIP},{year},Sangat Baik\n",
        year - 1
    );
    let res = app
        .client
        .post(app.url("/api/v1/performance-ratings/import"))
        .bearer_auth(&s.hr)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let mut rule: Value = app
        .get("/api/v1/competency-rules/nine_box", &s.hr)
        .await
        .json::<Value>()
        .await
        .unwrap()["document"]
        .clone();
    rule["potential"]["cognitive"] =
        json!([{"instrument": "SJT-ASN", "scale": "INTEGRITAS", "score": "percentile"}]);
    let res = app
        .put_json("/api/v1/competency-rules/nine_box", &s.hr, &rule)
        .await;
    assert_eq!(res.status(), 200);

    let results: Value = app
        .get(&format!("/api/v1/campaigns/{}/results", s.campaign), &s.hr)
        .await
        .json()
        .await
        .unwrap();
    let pr = results["participants"][0]["scores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["scale"] == "INTEGRITAS")
        .unwrap()["pr"]
        .as_f64()
        .unwrap();
    let body = competencies(&app, &s.campaign, &s.hr).await;
    assert_eq!(body["rules"]["nine_box"], 2);
    let budi = &body["participants"][0];
    let jpm = budi["jpm"]["jpm"]["percent"].as_f64().unwrap();
    // Performance: the lower of Baik (meets) and Sangat Baik (above) is "meets".
    let placement = &budi["nine_box"];
    assert_eq!(placement["performance"]["level"], "meets");
    // Potential: P = (50 × min(JPM, 100) + 50 × percentile) ÷ 100, cut at 60 and 80.
    let p = round2((50.0 * jpm.min(100.0) + 50.0 * pr) / 100.0);
    assert_eq!(placement["potential"]["score"].as_f64(), Some(p));
    let (row, expected_box) = if p >= 80.0 {
        ("high", 7)
    } else if p >= 60.0 {
        ("medium", 5)
    } else {
        ("low", 3)
    };
    let outcome = &placement["outcome"];
    assert_eq!(outcome["status"], "placed");
    assert_eq!(outcome["potential"], row);
    assert_eq!(outcome["performance"], "meets");
    assert_eq!(outcome["box_number"], expected_box);
    assert_eq!(outcome["talent_pool"], expected_box == 7);
    assert_eq!(
        body["summary"]["nine_box"],
        json!({expected_box.to_string(): 1})
    );
    assert_eq!(body["summary"]["talent_pool"], i64::from(expected_box == 7));
}

#[tokio::test]
async fn a_campaign_that_pins_a_rule_version_keeps_its_results_whatever_later_versions_say() {
    let app = TestApp::spawn_demo().await;
    let pinned = setup(&app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(&app, &candidate(&app, &pinned.code).await, 0).await;
    let follows = setup(&app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(&app, &candidate(&app, &follows.code).await, 0).await;
    let rules_path =
        |s: &crate::helpers::Setup| format!("/api/v1/campaigns/{}/competency-rules", s.campaign);
    let body: Value = app
        .get(&rules_path(&pinned), &pinned.hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["pinned"], json!({}));
    assert_eq!(body["in_force"]["jpm"], 1);
    let before = competencies(&app, &pinned.campaign, &pinned.hr).await;
    let jpm_before = before["participants"][0]["jpm"].clone();

    let res = app
        .put_json(
            &rules_path(&pinned),
            &pinned.hr,
            &json!({"pins": {"jpm": 1, "nine_box": null}, "reason": "hasil seleksi 2026 sudah diumumkan"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["pinned"], json!({"jpm": 1}));

    // A new JPM rule that rounds to whole percents and weights the groups differently.
    let mut rule: Value = app
        .get("/api/v1/competency-rules/jpm", &pinned.hr)
        .await
        .json::<Value>()
        .await
        .unwrap()["document"]
        .clone();
    rule["decimals"] = json!(0);
    assert_eq!(
        app.put_json("/api/v1/competency-rules/jpm", &pinned.hr, &rule)
            .await
            .status(),
        200
    );
    let kept = competencies(&app, &pinned.campaign, &pinned.hr).await;
    assert_eq!(kept["rules"]["jpm"], 1);
    assert_eq!(kept["participants"][0]["jpm"], jpm_before);
    let moved = competencies(&app, &follows.campaign, &follows.hr).await;
    assert_eq!(moved["rules"]["jpm"], 2);
    let percent = moved["participants"][0]["jpm"]["jpm"]["percent"]
        .as_f64()
        .unwrap();
    assert_eq!(
        percent,
        percent.round(),
        "the new rule rounds to whole percents"
    );

    // A bad set names every problem and changes nothing.
    let body = assert_error(
        app.put_json(
            &rules_path(&pinned),
            &pinned.hr,
            &json!({"pins": {"jpm": 7, "colour": 1}, "reason": " "}),
        )
        .await,
        422,
        "invalid_rule_pin",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["reason", "pins.colour", "pins.jpm"]);
    let body: Value = app
        .get(&rules_path(&pinned), &pinned.hr)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["pinned"], json!({"jpm": 1}));
    assert_eq!(body["in_force"]["jpm"], 1);

    // Unpinned, the campaign follows the current version again; every change was audited.
    let res = app
        .put_json(
            &rules_path(&pinned),
            &pinned.hr,
            &json!({"pins": {}, "reason": "dihitung ulang dengan aturan baru"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        competencies(&app, &pinned.campaign, &pinned.hr).await["rules"]["jpm"],
        2
    );
    let audit = app.audit_of("demo").await;
    let pins: Vec<_> = audit
        .iter()
        .filter(|e| e.action == "campaign.rule_pins")
        .collect();
    assert_eq!(pins.len(), 2);

    // Readers read the pins; a proctor does not; another organisation finds no campaign.
    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_eq!(app.get(&rules_path(&pinned), &assessor).await.status(), 200);
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(
        app.get(&rules_path(&pinned), &proctor).await,
        403,
        "forbidden",
    )
    .await;
    let other = app.second_organisation().await;
    assert_error(
        app.put_json(
            &rules_path(&pinned),
            &other,
            &json!({"pins": {}, "reason": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn a_campaign_that_pins_the_job_standards_reads_them_as_they_stood_then() {
    let app = TestApp::spawn_demo().await;
    let pinned = setup(&app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(&app, &candidate(&app, &pinned.code).await, 0).await;
    let follows = setup(&app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(&app, &candidate(&app, &follows.code).await, 0).await;
    let path = format!("/api/v1/campaigns/{}/competency-rules", pinned.campaign);
    let res = app
        .put_json(
            &path,
            &pinned.hr,
            &json!({"pins": {}, "standards": true, "reason": "standar saat seleksi"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    let as_of = body["standards_as_of"].as_str().unwrap().to_owned();

    // The Pengawas standard is raised to 4 on Integritas after the pin.
    app.advance(std::time::Duration::from_secs(60));
    require_level(&app, &pinned.hr, "Pengawas", "INT", 4).await;

    let kept = competencies(&app, &pinned.campaign, &pinned.hr).await;
    assert_eq!(kept["participants"][0]["standard"]["version"], 1);
    assert_eq!(kept["participants"][0]["standard"]["required"]["INT"], 2);
    let moved = competencies(&app, &follows.campaign, &follows.hr).await;
    assert_eq!(moved["participants"][0]["standard"]["version"], 2);
    assert_eq!(moved["participants"][0]["standard"]["required"]["INT"], 4);

    // Pinning again keeps the moment; unpinning reads the current standards.
    let body: Value = app
        .put_json(
            &path,
            &pinned.hr,
            &json!({"pins": {"jpm": 1}, "standards": true, "reason": "JPM juga"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["standards_as_of"], as_of.as_str());
    assert_eq!(body["pinned"], json!({"jpm": 1}));
    let body: Value = app
        .put_json(
            &path,
            &pinned.hr,
            &json!({"pins": {}, "reason": "ikut standar baru"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(body["standards_as_of"], Value::Null);
    let now = competencies(&app, &pinned.campaign, &pinned.hr).await;
    assert_eq!(now["participants"][0]["standard"]["required"]["INT"], 4);
}
