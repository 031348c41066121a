//! The results page's reads of a campaign's competency results: the paged, sorted and filtered
//! participant listing with ranks, the summary with its charts and units, one participant's
//! profile, and the professionalism index (IP ASN) from imported records; every answer checked
//! against the full results or against worked numbers.
use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::helpers::{
    assert_error, candidate, candidate_with, json_with, require_level, setup, take_sjt, upload_csv,
    Setup, TestApp, DEMO_PASSWORD, NIP,
};

/// Three more participants of the same job level as the setup's Budi (Pengawas), in two units
/// of one agency and a third, with two positions.
pub(crate) const PEOPLE: [(&str, &str, &str, &str, &str); 3] = [
    (
        "199001012015031009",
        "Dedi Kurniawan",
        "1990-01-01",
        "Dinas Kesehatan / Bidang Pelayanan",
        "Analis Kebijakan",
    ),
    (
        "199202022016032010",
        "Euis Rahayu",
        "1992-02-02",
        "Dinas Kesehatan / Bidang Sumber Daya",
        "Analis Kebijakan",
    ),
    (
        "198807072012071003",
        "Fajar Nugraha",
        "1988-07-07",
        "Dinas Pendidikan",
        "Pengelola Data",
    ),
];

/// A campaign of four Pengawas who took the SJT; Budi's Integritas is overridden to 1 (below
/// the standard's 2) and Dedi's to 5, so a shortfall filter has a known answer.
pub(crate) async fn four_finished(app: &TestApp) -> Setup {
    let s = setup(app, &[("SJT-ASN", 1800)], false).await;
    let mut csv = String::from("nip,name,birth_date,education,job_level,unit,position,session\n");
    for (nip, name, birth, unit, position) in PEOPLE {
        csv.push_str(&format!(
            "{nip},{name},{birth},S2,Pengawas,{unit},{position},Sesi 1\n"
        ));
    }
    let path = format!("/api/v1/campaigns/{}/participants/import", s.campaign);
    json_with(upload_csv(app, &s.hr, &path, &csv).await, 201).await;
    let codes = json_with(
        app.post(
            &format!("/api/v1/campaigns/{}/access-codes", s.campaign),
            &s.hr,
        )
        .await,
        200,
    )
    .await;
    take_sjt(app, &candidate(app, &s.code).await, 0).await;
    for (i, (nip, ..)) in PEOPLE.iter().enumerate() {
        let code = codes["codes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["nip"] == *nip)
            .unwrap()["code"]
            .as_str()
            .unwrap()
            .to_owned();
        take_sjt(app, &candidate_with(app, &code, nip).await, i + 1).await;
    }
    for (nip, level) in [(NIP, 1), (PEOPLE[0].0, 5)] {
        let id = participant_id(app, &s, nip).await;
        let res = app
            .put_json(
                &format!(
                    "/api/v1/campaigns/{}/participants/{id}/competencies/INT/override",
                    s.campaign
                ),
                &s.hr,
                &json!({"level": level, "reason": "hasil wawancara"}),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    s
}

async fn participant_id(app: &TestApp, s: &Setup, nip: &str) -> String {
    let list = json_with(
        app.get(
            &format!("/api/v1/campaigns/{}/participants", s.campaign),
            &s.hr,
        )
        .await,
        200,
    )
    .await;
    list["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["nip"] == nip)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn full(app: &TestApp, s: &Setup) -> Value {
    json_with(
        app.get(
            &format!("/api/v1/campaigns/{}/competencies", s.campaign),
            &s.hr,
        )
        .await,
        200,
    )
    .await
}

async fn listing(app: &TestApp, s: &Setup, query: &str) -> Value {
    json_with(
        app.get(
            &format!(
                "/api/v1/campaigns/{}/competencies/participants?{query}",
                s.campaign
            ),
            &s.hr,
        )
        .await,
        200,
    )
    .await
}

fn nips(page: &Value) -> Vec<String> {
    page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["nip"].as_str().unwrap().to_owned())
        .collect()
}

/// The ranking keys of a participant of the full results: (JPM %, Σ achieved managerial and
/// socio-cultural levels); no cognitive score in this battery.
fn keys(p: &Value) -> Option<(f64, u64)> {
    let jpm = p["jpm"]["jpm"]["percent"].as_f64()?;
    let sum = p["jpm"]["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["group"] == "managerial_socio_cultural")
        .filter_map(|c| c["achieved"].as_u64())
        .sum();
    Some((jpm, sum))
}

#[tokio::test]
async fn the_listing_ranks_by_jpm_with_shared_ranks_and_pages_filters_and_sorts_on_the_server() {
    let app = TestApp::spawn_demo().await;
    let s = four_finished(&app).await;
    let all = full(&app, &s).await;
    let people = all["participants"].as_array().unwrap();
    assert_eq!(people.len(), 4);

    // Competition ranks: one more than the number of participants strictly better on (JPM, Σ).
    let expected: BTreeMap<String, u64> = people
        .iter()
        .map(|p| {
            let mine = keys(p).unwrap();
            let better = people
                .iter()
                .filter(|o| {
                    let k = keys(o).unwrap();
                    k.0 > mine.0 || (k.0 == mine.0 && k.1 > mine.1)
                })
                .count();
            (p["nip"].as_str().unwrap().to_owned(), better as u64 + 1)
        })
        .collect();
    for p in people {
        assert_eq!(
            p["ranks"]["campaign"].as_u64(),
            Some(expected[p["nip"].as_str().unwrap()])
        );
    }

    let page = listing(&app, &s, "").await;
    assert_eq!(page["total"], 4);
    assert_eq!(
        (
            page["page"].clone(),
            page["per_page"].clone(),
            page["sort"].clone(),
            page["order"].clone()
        ),
        (json!(1), json!(50), json!("rank"), json!("asc"))
    );
    let rows = page["rows"].as_array().unwrap();
    let ranks: Vec<u64> = rows.iter().map(|r| r["rank"].as_u64().unwrap()).collect();
    let mut sorted = ranks.clone();
    sorted.sort();
    assert_eq!(ranks, sorted, "rows come in rank order");
    for r in rows {
        assert_eq!(
            r["rank"].as_u64(),
            Some(expected[r["nip"].as_str().unwrap()])
        );
        let p = people.iter().find(|p| p["nip"] == r["nip"]).unwrap();
        assert_eq!(r["jpm"], p["jpm"]["jpm"]["percent"]);
        assert_eq!(r["required"]["INT"], 2);
    }

    // Page 2 of 2 rows is the second half of the whole list.
    let second = listing(&app, &s, "per_page=2&page=2").await;
    assert_eq!(second["total"], 4);
    assert_eq!(nips(&second), nips(&page)[2..].to_vec());
    assert_eq!(
        nips(&listing(&app, &s, "per_page=2&page=3").await),
        Vec::<String>::new()
    );

    // Below standard on Integritas: Budi (overridden to 1 against a required 2) and whoever the
    // full results put below, never Dedi (overridden to 5); the row says the level counted,
    // that it was overridden, and the gap.
    let int_gap = |p: &Value| {
        p["jpm"]["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["competency"] == "INT")
            .unwrap()["gap"]
            .as_i64()
            .unwrap()
    };
    let mut want: Vec<String> = people
        .iter()
        .filter(|p| int_gap(p) < 0)
        .map(|p| p["nip"].as_str().unwrap().to_owned())
        .collect();
    want.sort();
    assert!(want.contains(&NIP.to_owned()) && !want.contains(&PEOPLE[0].0.to_owned()));
    let below = listing(&app, &s, "below=INT&sort=nip").await;
    assert_eq!(nips(&below), want);
    let budi = &below["rows"][0];
    assert_eq!(budi["levels"]["INT"], 1);
    assert_eq!(budi["overridden"], json!(["INT"]));
    assert_eq!(budi["gaps"]["INT"], -1);
    let mut far: Vec<String> = people
        .iter()
        .filter(|p| int_gap(p) <= -2)
        .map(|p| p["nip"].as_str().unwrap().to_owned())
        .collect();
    far.sort();
    assert!(!far.contains(&NIP.to_owned()));
    assert_eq!(
        nips(&listing(&app, &s, "below=INT&by_at_least=2&sort=nip").await),
        far
    );

    // A unit takes the units under it; a position is exact; a name matches in any case.
    let mut health = nips(&listing(&app, &s, "unit=Dinas%20Kesehatan&sort=nip").await);
    health.sort();
    assert_eq!(health, [PEOPLE[0].0, PEOPLE[1].0]);
    assert_eq!(
        nips(&listing(&app, &s, "position=Pengelola%20Data").await),
        [PEOPLE[2].0]
    );
    assert_eq!(nips(&listing(&app, &s, "q=euis").await), [PEOPLE[1].0]);
    assert_eq!(
        nips(&listing(&app, &s, "q=1988070720").await),
        [PEOPLE[2].0]
    );

    // Ranks within a unit: alone in a unit is first; without a unit there is none.
    let by_unit = listing(&app, &s, "rank_within=unit&sort=nip").await;
    for r in by_unit["rows"].as_array().unwrap() {
        let want = if r["nip"] == NIP {
            Value::Null
        } else if r["unit"] == "Dinas Pendidikan"
            || r["unit"] == PEOPLE[0].3
            || r["unit"] == PEOPLE[1].3
        {
            json!(1)
        } else {
            unreachable!()
        };
        assert_eq!(r["rank"], want, "{r}");
    }
    // Within the position "Analis Kebijakan", Dedi and Euis are ranked 1 and 2 (or both 1).
    let analysts = listing(&app, &s, "position=Analis%20Kebijakan&rank_within=position").await;
    let dedi = people.iter().find(|p| p["nip"] == PEOPLE[0].0).unwrap();
    let euis = people.iter().find(|p| p["nip"] == PEOPLE[1].0).unwrap();
    let (kd, ke) = (keys(dedi).unwrap(), keys(euis).unwrap());
    let dedi_rank = if ke.0 > kd.0 || (ke.0 == kd.0 && ke.1 > kd.1) {
        2
    } else {
        1
    };
    let row = analysts["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["nip"] == PEOPLE[0].0)
        .unwrap();
    assert_eq!(row["rank"], dedi_rank);

    // Sorting by name, both ways; by JPM descending by default.
    assert_eq!(
        nips(&listing(&app, &s, "sort=name").await),
        [NIP, PEOPLE[0].0, PEOPLE[1].0, PEOPLE[2].0]
    );
    assert_eq!(
        nips(&listing(&app, &s, "sort=name&order=desc").await),
        [PEOPLE[2].0, PEOPLE[1].0, PEOPLE[0].0, NIP]
    );
    let by_jpm = listing(&app, &s, "sort=jpm").await;
    assert_eq!(by_jpm["order"], "desc");
    let jpms: Vec<f64> = by_jpm["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["jpm"].as_f64().unwrap())
        .collect();
    assert!(jpms.windows(2).all(|w| w[0] >= w[1]), "{jpms:?}");

    // A category filter keeps exactly the participants of that category under the scheme.
    let category = people[0]["categories"][0]["category"]
        .as_str()
        .unwrap()
        .to_owned();
    let scheme = people[0]["categories"][0]["scheme"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut want: Vec<String> = people
        .iter()
        .filter(|p| {
            p["categories"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["scheme"] == scheme.as_str() && c["category"] == category.as_str())
        })
        .map(|p| p["nip"].as_str().unwrap().to_owned())
        .collect();
    want.sort();
    let got = nips(
        &listing(
            &app,
            &s,
            &format!(
                "scheme={scheme}&category={}&sort=nip",
                category.replace(' ', "%20")
            ),
        )
        .await,
    );
    assert_eq!(got, want);
}

#[tokio::test]
async fn a_listing_query_that_is_not_valid_is_refused_with_every_problem_named() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    let path = |q: &str| {
        format!(
            "/api/v1/campaigns/{}/competencies/participants?{q}",
            s.campaign
        )
    };
    let body = assert_error(
        app.get(&path("page=0&per_page=501&box=10&below=NOPE"), &s.hr)
            .await,
        400,
        "invalid_query",
    )
    .await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["page", "per_page", "box", "below"]);
    let body = assert_error(
        app.get(&path("by_at_least=2"), &s.hr).await,
        400,
        "invalid_query",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "by_at_least");
    for q in [
        "sort=height",
        "order=up",
        "colour=red",
        "box=x",
        "rank_within=room",
    ] {
        assert_error(app.get(&path(q), &s.hr).await, 400, "invalid_query").await;
    }
}

#[tokio::test]
async fn the_summary_counts_units_and_draws_the_distributions_the_page_shows() {
    let app = TestApp::spawn_demo().await;
    let s = four_finished(&app).await;
    let all = full(&app, &s).await;
    let people = all["participants"].as_array().unwrap();
    let body = json_with(
        app.get(
            &format!("/api/v1/campaigns/{}/competencies/summary", s.campaign),
            &s.hr,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(body["rules"], all["rules"]);
    let summary = &body["summary"];
    assert_eq!(summary["participants"], 4);
    assert_eq!(summary["with_jpm"], 4);
    let mean = people
        .iter()
        .map(|p| p["jpm"]["jpm"]["percent"].as_f64().unwrap())
        .sum::<f64>()
        / 4.0;
    assert_eq!(
        summary["jpm_mean"].as_f64(),
        Some((mean * 100.0).round() / 100.0)
    );
    // Units: three, in order; Budi has none.
    let units: Vec<(&str, u64)> = summary["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().unwrap(),
                u["participants"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [(PEOPLE[0].3, 1), (PEOPLE[1].3, 1), (PEOPLE[2].3, 1)]
    );
    // The campaign's development needs count Budi below standard on Integritas.
    let int = summary["development"]["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["competency"] == "INT")
        .unwrap();
    assert_eq!(int["assessed"], 4);
    assert!(int["below"].as_u64().unwrap() >= 1);
    // Fast track: 10 % of four Pengawas rounds up to one place.
    let level = &summary["fast_track"]["levels"][0];
    assert_eq!(level["job_level"], "Pengawas");
    assert_eq!(level["eligible"], 4);
    assert_eq!(level["quota"], 1);
    let flagged: Vec<&str> = people
        .iter()
        .filter(|p| p["fast_track"] == true)
        .map(|p| p["nip"].as_str().unwrap())
        .collect();
    assert_eq!(level["flagged"].as_array().unwrap().len(), flagged.len());
    assert!(flagged
        .iter()
        .all(|n| people.iter().find(|p| p["nip"] == *n).unwrap()["ranks"]["campaign"] == 1));
    // The framework's names come along for the page.
    assert_eq!(summary["competencies"].as_array().unwrap().len(), 9);
    assert_eq!(summary["competencies"][0]["code"], "INT");

    // JPM distribution: ten bars holding every complete JPM in its bar.
    let bars = body["charts"]["jpm_distribution"].as_array().unwrap();
    assert_eq!(bars.len(), 10);
    assert_eq!(
        bars.iter()
            .map(|b| b["count"].as_u64().unwrap())
            .sum::<u64>(),
        4
    );
    for p in people {
        let jpm = p["jpm"]["jpm"]["percent"].as_f64().unwrap();
        let i = ((jpm / 10.0).floor() as usize).min(9);
        assert!(bars[i]["count"].as_u64().unwrap() >= 1, "{jpm} in bar {i}");
    }
    // The profile: per competency the mean achieved and required level over the four.
    let profile = body["charts"]["profile"].as_array().unwrap();
    assert_eq!(profile.len(), 9);
    let int = profile.iter().find(|p| p["competency"] == "INT").unwrap();
    let achieved: f64 = people
        .iter()
        .map(|p| {
            p["jpm"]["competencies"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["competency"] == "INT")
                .unwrap()["achieved"]
                .as_f64()
                .unwrap()
        })
        .sum();
    assert_eq!(int["assessed"], 4);
    assert_eq!(int["mean_required"].as_f64(), Some(2.0));
    assert_eq!(
        int["mean_achieved"].as_f64(),
        Some((achieved / 4.0 * 100.0).round() / 100.0)
    );
    // Every SJT scale has a histogram of four T scores.
    let scales = body["charts"]["scales"].as_array().unwrap();
    let integrity = scales
        .iter()
        .find(|h| h["instrument"] == "SJT-ASN" && h["scale"] == "INTEGRITAS")
        .unwrap();
    assert_eq!(integrity["score"], "t");
    assert_eq!(integrity["n"], 4);
    assert_eq!(
        integrity["bins"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["count"].as_u64().unwrap())
            .sum::<u64>(),
        4
    );
}

#[tokio::test]
async fn a_profile_shows_the_evidence_and_scores_to_readers_and_nothing_to_others() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(&app, &candidate(&app, &s.code).await, 0).await;
    let path = format!(
        "/api/v1/campaigns/{}/competencies/participants/{}",
        s.campaign, s.participant
    );
    let body = json_with(app.get(&path, &s.hr).await, 200).await;
    assert_eq!(body["nip"], NIP);
    assert_eq!(body["education"], "S1");
    assert_eq!(body["levels"].as_array().unwrap().len(), 9);
    assert_eq!(body["scores"].as_array().unwrap().len(), 9);
    assert!(body["scores"][0]["norm_table"].is_string());
    assert!(body["rules"]["evidence_mapping"].is_number());
    // Without SKP and discipline records there is no IP ASN, and the missing inputs are named.
    assert_eq!(body["ip_asn"], Value::Null);
    assert_eq!(body["no_ip_asn"], json!(["performance", "discipline"]));

    let assessor = app.token("assessor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_eq!(app.get(&path, &assessor).await.status(), 200);
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(app.get(&path, &proctor).await, 403, "forbidden").await;
    let other = app.second_organisation().await;
    assert_error(app.get(&path, &other).await, 404, "not_found").await;
    let missing = format!(
        "/api/v1/campaigns/{}/competencies/participants/{}",
        s.campaign,
        uuid::Uuid::now_v7()
    );
    assert_error(app.get(&missing, &s.hr).await, 404, "not_found").await;
}

#[tokio::test]
async fn the_professionalism_index_adds_its_four_dimensions_once_all_inputs_are_imported() {
    let app = TestApp::spawn_demo().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(&app, &candidate(&app, &s.code).await, 0).await;
    let view = json_with(
        app.get(&format!("/api/v1/campaigns/{}", s.campaign), &s.hr)
            .await,
        200,
    )
    .await;
    let year: i64 = view["closes_at"].as_str().unwrap()[..4].parse().unwrap();
    let csv = format!("nip,year,rating\n{NIP},{year},Sangat Baik\n");
    json_with(
        upload_csv(&app, &s.hr, "/api/v1/performance-ratings/import", &csv).await,
        201,
    )
    .await;
    let before = full(&app, &s).await;
    assert_eq!(before["participants"][0]["ip_asn"], Value::Null);
    assert_eq!(
        before["participants"][0]["no_ip_asn"],
        json!(["discipline"])
    );

    // A light penalty two years back, and none in the year before the campaign's.
    let csv = format!(
        "nip,year,level\n{NIP},{},light\n{NIP},{},none\n",
        year - 2,
        year - 1
    );
    json_with(
        upload_csv(&app, &s.hr, "/api/v1/discipline-records/import", &csv).await,
        201,
    )
    .await;
    let body = full(&app, &s).await;
    let budi = &body["participants"][0];
    let jpm = budi["jpm"]["jpm"]["percent"].as_f64().unwrap();
    let ip = &budi["ip_asn"];
    // Seeded rule: S1 → 15 of 25; competency 40 × JPM ÷ 100; Sangat Baik → 30 of 30; the latest
    // record (none) → 5 of 5.
    let competency = (40.0 * jpm.min(100.0) / 100.0 * 100.0).round() / 100.0;
    assert_eq!(ip["qualification"].as_f64(), Some(15.0));
    assert_eq!(ip["competency"].as_f64(), Some(competency));
    assert_eq!(ip["performance"].as_f64(), Some(30.0));
    assert_eq!(ip["discipline"].as_f64(), Some(5.0));
    let total = ((15.0 + competency + 30.0 + 5.0) * 100.0_f64).round() / 100.0;
    assert_eq!(ip["total"].as_f64(), Some(total));
    let category = match total {
        t if t < 60.5 => "Sangat Rendah",
        t if t < 70.5 => "Rendah",
        t if t < 80.5 => "Sedang",
        t if t < 90.5 => "Tinggi",
        _ => "Sangat Tinggi",
    };
    assert_eq!(ip["category"], category);
    assert_eq!(budi["no_ip_asn"], json!([]));
    assert_eq!(body["summary"]["with_ip_asn"], 1);
    assert_eq!(body["summary"]["ip_asn_mean"].as_f64(), Some(total));
    assert_eq!(body["rules"]["ip_asn"], 1);
}

/// Budi's row of the campaign's listing, as `token` reads it on `node`.
async fn budi_row(node: &TestApp, s: &Setup, token: &str) -> Value {
    let page = json_with(
        node.get(
            &format!(
                "/api/v1/campaigns/{}/competencies/participants?q={NIP}",
                s.campaign
            ),
            token,
        )
        .await,
        200,
    )
    .await;
    page["rows"][0].clone()
}

#[tokio::test]
async fn results_a_node_keeps_follow_every_change_of_their_inputs_made_on_any_node() {
    let app = TestApp::spawn_demo().await;
    let other = app.second_node().await;
    let s = setup(&app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(&app, &candidate(&app, &s.code).await, 0).await;
    let first = budi_row(&app, &s, &s.hr).await;
    assert_eq!(
        budi_row(&app, &s, &s.hr).await.to_string(),
        first.to_string()
    );
    let year = json_with(
        app.get(&format!("/api/v1/campaigns/{}", s.campaign), &s.hr)
            .await,
        200,
    )
    .await["closes_at"]
        .as_str()
        .unwrap()[..4]
        .parse::<i64>()
        .unwrap();

    // An override made on the other node.
    let path = format!(
        "/api/v1/campaigns/{}/participants/{}/competencies/KS/override",
        s.campaign, s.participant
    );
    let res = other
        .put_json(
            &path,
            &s.hr,
            &json!({"level": 5, "reason": "asesmen ulang"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let row = budi_row(&app, &s, &s.hr).await;
    assert_eq!(row["levels"]["KS"], 5);
    assert_eq!(row["overridden"], json!(["KS"]));

    // SKP ratings of both years, then a discipline record: the box's reasons and the IP ASN.
    assert!(row["not_placed"]
        .as_array()
        .unwrap()
        .contains(&json!("no_performance_rating")));
    let csv = format!(
        "nip,year,rating\n{NIP},{},Baik\n{NIP},{year},Baik\n",
        year - 1
    );
    json_with(
        upload_csv(&other, &s.hr, "/api/v1/performance-ratings/import", &csv).await,
        201,
    )
    .await;
    let row = budi_row(&app, &s, &s.hr).await;
    assert!(!row["not_placed"]
        .as_array()
        .unwrap()
        .contains(&json!("no_performance_rating")));
    assert_eq!(row["ip_asn"], Value::Null);
    let csv = format!("nip,year,level\n{NIP},{year},none\n");
    json_with(
        upload_csv(&other, &s.hr, "/api/v1/discipline-records/import", &csv).await,
        201,
    )
    .await;
    let row = budi_row(&app, &s, &s.hr).await;
    assert!(row["ip_asn"].is_number(), "{row}");

    // A new version of the Pengawas standard: Integritas now required at 4.
    require_level(&other, &s.hr, "Pengawas", "INT", 4).await;
    let row = budi_row(&app, &s, &s.hr).await;
    assert_eq!(row["required"]["INT"], 4);

    // A new JPM rule version that caps the total at 100.
    let mut rule = json_with(other.get("/api/v1/competency-rules/jpm", &s.hr).await, 200).await
        ["document"]
        .clone();
    rule["cap_total_at_100"] = json!(true);
    assert_eq!(
        other
            .put_json("/api/v1/competency-rules/jpm", &s.hr, &rule)
            .await
            .status(),
        200
    );
    let summary = json_with(
        app.get(
            &format!("/api/v1/campaigns/{}/competencies/summary", s.campaign),
            &s.hr,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(summary["rules"]["jpm"], 2);
    assert!(budi_row(&app, &s, &s.hr).await["jpm"].as_f64().unwrap() <= 100.0);
}
