//! The competency results in the exports: the workbook's competency columns and rules, and the
//! SIASN-keyed CSV; each cell checked against the API's competency results.
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::Value;

use crate::helpers::{
    assert_error, candidate, cell, column, json_with, setup, take_sjt, upload_csv, Setup, TestApp,
    DEMO_PASSWORD, NIP,
};

/// A campaign whose one participant (Budi, S1, Pengawas) took the SJT, with two SKP years and a
/// discipline record imported, so every column has a value.
async fn assessed(app: &TestApp) -> (Setup, Value) {
    let s = setup(app, &[("SJT-ASN", 1800)], false).await;
    take_sjt(app, &candidate(app, &s.code).await, 1).await;
    let view = json_with(
        app.get(&format!("/api/v1/campaigns/{}", s.campaign), &s.hr)
            .await,
        200,
    )
    .await;
    let year: i64 = view["closes_at"].as_str().unwrap()[..4].parse().unwrap();
    let csv = format!(
        "nip,year,rating\n{NIP},{},Baik\n{NIP},{year},Baik\n",
        year - 1
    );
    json_with(
        upload_csv(app, &s.hr, "/api/v1/performance-ratings/import", &csv).await,
        201,
    )
    .await;
    let csv = format!("nip,year,level\n{NIP},{year},none\n");
    json_with(
        upload_csv(app, &s.hr, "/api/v1/discipline-records/import", &csv).await,
        201,
    )
    .await;
    let results = json_with(
        app.get(
            &format!("/api/v1/campaigns/{}/competencies", s.campaign),
            &s.hr,
        )
        .await,
        200,
    )
    .await;
    (s, results)
}

fn number(v: &Value) -> Data {
    match v.as_f64() {
        Some(n) => Data::Float(n),
        None => Data::Empty,
    }
}

#[tokio::test]
async fn the_workbook_gives_each_participant_levels_standard_gaps_jpm_category_box_and_ip_asn() {
    let app = TestApp::spawn_demo().await;
    let (s, results) = assessed(&app).await;
    let budi = &results["participants"][0];
    assert!(budi["ip_asn"]["total"].is_number(), "{budi}");
    let res = app
        .get(
            &format!("/api/v1/campaigns/{}/results?format=xlsx", s.campaign),
            &s.hr,
        )
        .await;
    assert_eq!(res.status(), 200);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(res.bytes().await.unwrap().to_vec())).unwrap();
    let people = book.worksheet_range("Peserta").unwrap();
    let at = |head: &str| cell(&people, 1, column(&people, head));
    assert_eq!(at("NIP"), Data::String(NIP.into()));
    assert_eq!(at("Peringkat"), Data::Float(1.0));
    assert_eq!(at("JPM %"), number(&budi["jpm"]["jpm"]["percent"]));
    assert_eq!(at("Standar"), Data::String("Pengawas".into()));
    assert_eq!(at("Versi standar"), number(&budi["standard"]["version"]));
    for c in budi["categories"].as_array().unwrap() {
        assert_eq!(
            at(&format!("Kategori {}", c["scheme"].as_str().unwrap())),
            Data::String(c["category"].as_str().unwrap().into())
        );
    }
    let outcome = &budi["nine_box"]["outcome"];
    if outcome["status"] == "placed" {
        assert_eq!(at("Kotak 9-box"), number(&outcome["box_number"]));
        assert_eq!(
            at("Talent pool"),
            Data::Bool(outcome["talent_pool"].as_bool().unwrap())
        );
    } else {
        assert_eq!(at("Kotak 9-box"), Data::Empty);
    }
    assert_eq!(
        at("Skor potensi"),
        number(&budi["nine_box"]["potential"]["score"])
    );
    assert_eq!(at("IP ASN"), number(&budi["ip_asn"]["total"]));
    assert_eq!(
        at("Kategori IP ASN"),
        Data::String(budi["ip_asn"]["category"].as_str().unwrap().into())
    );
    assert_eq!(at("Fast track"), Data::Bool(true), "alone in the job level");
    for c in budi["jpm"]["competencies"].as_array().unwrap() {
        let code = c["competency"].as_str().unwrap();
        assert_eq!(at(&format!("{code} level")), number(&c["achieved"]));
        assert_eq!(at(&format!("{code} standar")), number(&c["required"]));
        assert_eq!(at(&format!("{code} gap")), number(&c["gap"]));
    }
    // The scales still follow, with their T scores.
    assert!(matches!(at("SJT-ASN.INTEGRITAS T"), Data::Float(_)));

    let summary = book.worksheet_range("Ringkasan").unwrap();
    let count = |label: &str| {
        (0..summary.height() as u32)
            .find(|&r| cell(&summary, r, 0) == Data::String(label.to_owned()))
            .map(|r| cell(&summary, r, 1))
    };
    assert_eq!(count("Dengan JPM / With a JPM"), Some(Data::Float(1.0)));
    assert_eq!(
        count("Rata-rata JPM % / Mean JPM %"),
        Some(number(&budi["jpm"]["jpm"]["percent"]))
    );

    // The rules sheet names every competency rule's version and document, and the standard used.
    let rules = book.worksheet_range("Aturan dan versi").unwrap();
    let row_of = |text: &str, col: u32| {
        (0..rules.height() as u32).find(|&r| cell(&rules, r, col) == Data::String(text.into()))
    };
    for kind in [
        "evidence_mapping",
        "jpm",
        "category_schemes",
        "nine_box",
        "ip_asn",
        "development",
    ] {
        let r = row_of(kind, 0).unwrap_or_else(|| panic!("no row for {kind}"));
        assert_eq!(cell(&rules, r, 1), number(&results["rules"][kind]));
        let Data::String(doc) = cell(&rules, r, 2) else {
            panic!("no document for {kind}")
        };
        let doc: Value = serde_json::from_str(&doc).unwrap();
        assert_eq!(doc["version"], results["rules"][kind]);
    }
    let r = row_of("Tahun SKP / SKP year", 0).unwrap();
    assert_eq!(
        cell(&rules, r, 1),
        number(&results["rules"]["performance_year"])
    );
    let r = (0..rules.height() as u32)
        .find(|&r| {
            cell(&rules, r, 3) == Data::String(budi["standard"]["id"].as_str().unwrap().into())
        })
        .expect("a row for the standard used");
    assert_eq!(cell(&rules, r, 0), Data::String("Pengawas".into()));
    assert_eq!(cell(&rules, r, 5), Data::Float(1.0));
}

#[tokio::test]
async fn the_siasn_export_keys_each_assessed_participant_by_nip_with_levels_standard_jpm_and_potential(
) {
    let app = TestApp::spawn_demo().await;
    let (s, results) = assessed(&app).await;
    let budi = &results["participants"][0];
    let path = format!(
        "/api/v1/campaigns/{}/competencies/siasn?method=Asesmen%20daring&provider=%3DBKD",
        s.campaign
    );
    let res = app.get(&path, &s.hr).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        res.headers()["content-disposition"],
        format!("attachment; filename=\"siasn-{}.csv\"", s.campaign).as_str()
    );
    let text = res.text().await.unwrap();
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split(';').collect()).collect();
    assert_eq!(lines.len(), 2, "a header and Budi: {text}");
    let head = &lines[0];
    let field = |name: &str| {
        let i = head
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name} in {head:?}"));
        lines[1][i]
    };
    assert_eq!(field("nip"), NIP);
    assert_eq!(field("nama"), "Budi Santoso");
    assert_eq!(field("metode"), "Asesmen daring");
    assert_eq!(
        field("penyelenggara"),
        "'=BKD",
        "a formula-like label stays text"
    );
    assert_eq!(field("jenjang_jabatan"), "Pengawas");
    // The session's day in the campaign's zone (WIB by default).
    let view = json_with(
        app.get(&format!("/api/v1/campaigns/{}", s.campaign), &s.hr)
            .await,
        200,
    )
    .await;
    let starts: chrono::DateTime<chrono::Utc> = view["sessions"][0]["starts_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let offset = chrono::FixedOffset::east_opt(7 * 3600).unwrap();
    assert_eq!(
        field("tanggal_asesmen"),
        starts.with_timezone(&offset).format("%Y-%m-%d").to_string()
    );
    for c in budi["jpm"]["competencies"].as_array().unwrap() {
        let code = c["competency"].as_str().unwrap();
        assert_eq!(field(&format!("{code}_level")), c["achieved"].to_string());
        assert_eq!(field(&format!("{code}_standar")), c["required"].to_string());
    }
    assert_eq!(
        field("jpm").parse::<f64>().unwrap(),
        budi["jpm"]["jpm"]["percent"].as_f64().unwrap()
    );
    assert_eq!(field("kategori_mapping"), budi["categories"][0]["category"]);
    match budi["nine_box"]["potential"]["score"].as_f64() {
        Some(p) => assert_eq!(field("skor_potensi").parse::<f64>().unwrap(), p),
        None => assert_eq!(field("skor_potensi"), ""),
    }

    // Defaults: the battery's name and the organisation's.
    let text = app
        .get(
            &format!("/api/v1/campaigns/{}/competencies/siasn", s.campaign),
            &s.hr,
        )
        .await
        .text()
        .await
        .unwrap();
    let line: Vec<&str> = text.lines().nth(1).unwrap().split(';').collect();
    assert!(line[3].starts_with("Tes psikometri daring: "), "{line:?}");
    assert!(!line[4].is_empty());

    // Bad labels are refused by name; a proctor reads nothing; another organisation finds nothing.
    let body = assert_error(
        app.get(
            &format!(
                "/api/v1/campaigns/{}/competencies/siasn?method=%20&provider=a%07b",
                s.campaign
            ),
            &s.hr,
        )
        .await,
        400,
        "invalid_query",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "method");
    assert_eq!(body["errors"][1]["field"], "provider");
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_error(app.get(&path, &proctor).await, 403, "forbidden").await;
    let other = app.second_organisation().await;
    assert_error(app.get(&path, &other).await, 404, "not_found").await;
}
