//! Measures the exports of a large campaign: builds the results of N finished participants with S
//! scales each (synthetic numbers, the shape `results::of_campaign` returns; the first nine are
//! the SJT scales the seeded evidence mapping reads and the next three the ability tests the
//! 9-box reads), computes their competency results with the seeded rules (the pure
//! `competency_results::compute_all` the server runs), writes the workbook and the SIASN CSV the
//! way the routes do, and prints the time each step took, the file sizes and the process's peak
//! memory after each step.
//!
//!   cargo run --release --example results_workbook -- 10000 25
use std::time::Instant;

use meritest::domain::campaign::NormRule;
use meritest::domain::time_zone::IndonesianTimeZone;
use meritest::services::campaigns::CampaignView;
use meritest::services::enrolment::ParticipantView;
use std::collections::HashMap;

use meritest::domain::competency::development::DevelopmentRule;
use meritest::domain::competency::evidence::EvidenceMapping;
use meritest::domain::competency::ip_asn::IpAsnRule;
use meritest::domain::competency::jpm::JpmRule;
use meritest::domain::competency::nine_box::NineBoxRule;
use meritest::domain::competency::rule_set::{CategorySchemes, RuleKind};
use meritest::domain::competency::MANAGERIAL_SOCIO_CULTURAL;
use meritest::domain::discipline::{Discipline, DisciplineLevel, YearDiscipline};
use meritest::domain::performance::{Predicate, Rating, YearRating};
use meritest::domain::yearly_record::Year;
use meritest::services::competency_results::{
    compute_all, CompetencyName, Inputs, RuleDocumentUsed, RulesUsed, StandardUsed,
};
use meritest::services::exports::{siasn, workbook};
use meritest::services::results::{CampaignResults, ParticipantResult, Progress, ScaleResult};

/// The scales the seeded rules read: the SJT's nine, then the three ability tests.
const READ: [(&str, &str); 12] = [
    ("SJT-ASN", "INTEGRITAS"),
    ("SJT-ASN", "KERJASAMA"),
    ("SJT-ASN", "KOMUNIKASI"),
    ("SJT-ASN", "ORIENTASI_HASIL"),
    ("SJT-ASN", "PELAYANAN_PUBLIK"),
    ("SJT-ASN", "PENGEMBANGAN_DIRI"),
    ("SJT-ASN", "MENGELOLA_PERUBAHAN"),
    ("SJT-ASN", "PENGAMBILAN_KEPUTUSAN"),
    ("SJT-ASN", "PEREKAT_BANGSA"),
    ("NUM-SERIES", "NUM"),
    ("VERBAL-ID", "VERBAL"),
    ("FIGURAL", "FIGURAL"),
];

fn seeded<T: serde::de::DeserializeOwned>(kind: RuleKind) -> T {
    serde_json::from_value(kind.defaults()).expect("the seeded rule reads")
}

/// The process's peak resident memory so far, in MiB (Linux `VmHWM`).
fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let scales: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(25);
    let start_mib = peak_mib();
    let now = chrono::Utc::now();
    let table = uuid::Uuid::new_v4();
    let participants = (0..n)
        .map(|i| ParticipantResult {
            participant: ParticipantView {
                id: uuid::Uuid::new_v4(),
                // Unique for up to 30,000: the birth year counts thousands.
                nip: format!("{}0101201001{}{:03}", 1970 + i / 1000, 1 + i % 2, i % 1000),
                name: format!("Peserta Contoh {i}"),
                email: None,
                birth_date: chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
                education: "S1".into(),
                job_level: "Pengawas".into(),
                position: Some("Analis Kebijakan".into()),
                unit: Some(format!("Dinas {}", i % 40)),
                group: None,
                session: None,
                has_access_code: true,
                code_issued_at: Some(now),
            },
            status: "finished".into(),
            responses: 194,
            norm_group: Some("umum".into()),
            scores: (0..scales)
                .map(|k| ScaleResult {
                    section: (k / 5) as i32,
                    instrument: READ
                        .get(k)
                        .map_or_else(|| format!("INSTR-{}", k / 5), |r| r.0.to_owned()),
                    instrument_version: 1,
                    scale: READ
                        .get(k)
                        .map_or_else(|| format!("S{k}"), |r| r.1.to_owned()),
                    raw: Some(((i * 7 + k * 3) % 40) as f64),
                    metric: "raw".to_owned(),
                    se: None,
                    answered: 20,
                    administered: 20,
                    pr: Some(((i * 13 + k) % 100) as f64 + 0.5),
                    z: Some(0.25),
                    t: Some(30.0 + ((i * 11 + k * 5) % 45) as f64),
                    stanine: Some(5),
                    sten: Some(6),
                    norm_group: Some("umum".into()),
                    illustrative: Some(true),
                    norm_table: Some(table),
                    norm_table_name: None,
                    scoring_version: "1".into(),
                    most_least: None,
                })
                .collect(),
        })
        .collect();
    let results = CampaignResults {
        progress: Progress {
            finished: n,
            ..Progress::default()
        },
        participants,
    };
    let campaign = CampaignView {
        id: uuid::Uuid::new_v4(),
        name: "Ukuran besar".into(),
        battery: uuid::Uuid::new_v4(),
        opens_at: now,
        closes_at: now,
        show_score_to_candidate: false,
        resume_requires_unlock: false,
        norm_rule: NormRule::default(),
        lobby: false,
        auto_pause_after: None,
        time_zone: IndonesianTimeZone::Wib,
        data_contact: None,
        retention_months: None,
        sessions: vec![],
        participant_count: n as u64,
        created_at: now,
    };
    let with_results = peak_mib();

    // Competency results with the seeded rules: one standard, two SKP years and a discipline
    // record for everyone.
    let year = 2026;
    let standard = StandardUsed {
        id: uuid::Uuid::new_v4(),
        version: 1,
        job_level: "Pengawas".into(),
        position: Some("Analis Kebijakan".into()),
        required: MANAGERIAL_SOCIO_CULTURAL
            .iter()
            .map(|c| (c.to_string(), 2))
            .collect(),
    };
    let predicates = [
        Predicate::SangatBaik,
        Predicate::Baik,
        Predicate::ButuhPerbaikan,
    ];
    let mut skp = HashMap::new();
    let mut discipline = HashMap::new();
    for (i, p) in results.participants.iter().enumerate() {
        let rating = |k: usize| YearRating {
            year: Year::stored(year - k as i32),
            rating: Rating {
                predicate: predicates[(i + k) % 3],
                work_results: None,
                work_behaviour: None,
            },
        };
        skp.insert(p.participant.nip.clone(), vec![rating(0), rating(1)]);
        discipline.insert(
            p.participant.nip.clone(),
            YearDiscipline {
                year: Year::stored(year),
                record: Discipline {
                    level: DisciplineLevel::None,
                    note: None,
                },
            },
        );
    }
    let documents: Vec<RuleDocumentUsed> = RuleKind::ALL
        .into_iter()
        .map(|kind| RuleDocumentUsed {
            kind,
            version: 1,
            document: kind.defaults(),
        })
        .collect();
    let inputs = Inputs {
        rules: RulesUsed {
            evidence_mapping: 1,
            jpm: 1,
            category_schemes: 1,
            nine_box: 1,
            ip_asn: 1,
            development: 1,
            performance_year: year,
        },
        mapping: seeded::<EvidenceMapping>(RuleKind::EvidenceMapping),
        jpm: seeded::<JpmRule>(RuleKind::Jpm),
        schemes: seeded::<CategorySchemes>(RuleKind::CategorySchemes),
        nine_box: seeded::<NineBoxRule>(RuleKind::NineBox),
        ip_asn: seeded::<IpAsnRule>(RuleKind::IpAsn),
        development: seeded::<DevelopmentRule>(RuleKind::Development),
        standards: HashMap::from([(
            ("pengawas".to_owned(), Some("Analis Kebijakan".to_owned())),
            standard,
        )]),
        skp,
        discipline,
        overrides: HashMap::new(),
        assessor: HashMap::new(),
        competencies: MANAGERIAL_SOCIO_CULTURAL
            .iter()
            .map(|c| CompetencyName {
                code: c.to_string(),
                kind: "managerial".into(),
                name: meritest::domain::text::Text {
                    id: c.to_string(),
                    en: None,
                },
            })
            .collect(),
    };
    let began = Instant::now();
    let competencies = compute_all(&results, inputs).expect("the results compute");
    let computed_in = began.elapsed();
    let placed = competencies
        .participants
        .iter()
        .filter(|p| meritest::services::competency_results::box_of(p).is_some())
        .count();
    let with_competencies = peak_mib();

    let began = Instant::now();
    let file = workbook::write(&workbook::WorkbookData {
        campaign: &campaign,
        results: &results,
        competencies: &competencies,
        documents: &documents,
        generated_at: now,
    })
    .expect("the workbook is written");
    let took = began.elapsed();
    let size = std::fs::metadata(file.path()).map(|m| m.len()).unwrap_or(0);
    let after_workbook = peak_mib();
    let began = Instant::now();
    let csv = siasn::write(&siasn::SiasnData {
        campaign: &campaign,
        results: &results,
        competencies: &competencies,
        method: "Tes psikometri daring",
        provider: "Contoh",
    })
    .expect("the SIASN file is written");
    let siasn_took = began.elapsed();
    let siasn_size = std::fs::metadata(csv.path()).map(|m| m.len()).unwrap_or(0);
    println!(
        "{n} participants x {scales} scales ({} with a JPM, {placed} on the 9-box)\n\
         competency results computed in {:.2} s\n\
         workbook written in {:.2} s, {:.1} MiB\n\
         SIASN CSV written in {:.2} s, {:.1} MiB\n\
         peak memory: {:.0} MiB at start, {:.0} MiB with the results built, {:.0} MiB with the \
         competency results, {:.0} MiB after the workbook, {:.0} MiB after the CSV",
        competencies.summary.all.with_jpm,
        computed_in.as_secs_f64(),
        took.as_secs_f64(),
        size as f64 / (1024.0 * 1024.0),
        siasn_took.as_secs_f64(),
        siasn_size as f64 / (1024.0 * 1024.0),
        start_mib,
        with_results,
        with_competencies,
        after_workbook,
        peak_mib()
    );
}
