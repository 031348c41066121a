//! Measures the results workbook (`?format=xlsx`) for a large campaign: builds the results of N
//! finished participants with S scales each (synthetic numbers, the shape `results::of_campaign`
//! returns), writes the workbook the way the route does, and prints the time taken, the file size
//! and the process's peak memory before and after writing.
//!
//!   cargo run --release --example results_workbook -- 10000 25
use std::time::Instant;

use meritest::domain::campaign::NormRule;
use meritest::domain::time_zone::IndonesianTimeZone;
use meritest::services::campaigns::CampaignView;
use meritest::services::enrolment::ParticipantView;
use meritest::services::results::{
    workbook, CampaignResults, ParticipantResult, Progress, ScaleResult,
};

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
                nip: format!("19{:02}0101201001{}{:03}", 70 + i % 25, 1 + i % 2, i % 1000),
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
                    instrument: format!("INSTR-{}", k / 5),
                    instrument_version: 1,
                    scale: format!("S{k}"),
                    raw: Some(((i * 7 + k * 3) % 40) as f64),
                    answered: 20,
                    administered: 20,
                    pr: Some(((i * 13 + k) % 100) as f64 + 0.5),
                    z: Some(0.25),
                    t: Some(52.5),
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
    let began = Instant::now();
    let file = workbook::write(&campaign, &results, now).expect("the workbook is written");
    let took = began.elapsed();
    let size = std::fs::metadata(file.path()).map(|m| m.len()).unwrap_or(0);
    println!(
        "{n} participants x {scales} scales: workbook written in {:.2} s, {:.1} MiB; peak memory {:.0} MiB at start, {:.0} MiB with the results built, {:.0} MiB after writing",
        took.as_secs_f64(),
        size as f64 / (1024.0 * 1024.0),
        start_mib,
        with_results,
        peak_mib()
    );
}
