//! The reports as a reader gets them: the text poppler's `pdftotext` extracts, the pages
//! `pdftoppm` draws, and the bytes. Tests that need poppler-utils fail, saying so, when it is
//! missing.
use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

fn released() -> Signature {
    Signature {
        name: "Dra. Sri Wahyuni, M.Psi., Psikolog".to_string(),
        licence: "0217-19-2-1".to_string(),
        released_at: "12 Maret 2025".to_string(),
        version: 2,
    }
}

fn competency(i: usize, level: u8, required: u8) -> CompetencyLine {
    const NAMES: [&str; 9] = [
        "Integritas",
        "Kerja Sama",
        "Komunikasi",
        "Orientasi pada Hasil",
        "Pelayanan Publik",
        "Pengembangan Diri dan Orang Lain",
        "Mengelola Perubahan",
        "Pengambilan Keputusan",
        "Perekat Bangsa",
    ];
    let gap = level as i8 - required as i8;
    CompetencyLine {
        code: format!("M{}", i + 1),
        name: NAMES[i % NAMES.len()].to_string(),
        level: Some(level),
        required: Some(required),
        gap: Some(gap),
        test_level: Some(level),
        assessor_level: Some(level.saturating_sub(1).max(1)),
        suggestion: (gap < 0).then(|| {
            "Ikuti pelatihan kepemimpinan tingkat pengawas dan minta umpan balik rutin dari \
             atasan langsung tentang cara menyampaikan keputusan kepada tim."
                .to_string()
        }),
    }
}

fn scale(i: usize) -> ScaleLine {
    ScaleLine {
        instrument: "Inventori Kepribadian IPIP-50 v2".to_string(),
        scale: [
            "Keterbukaan",
            "Kehati-hatian",
            "Ekstraversi",
            "Keramahan",
            "Stabilitas Emosi",
        ][i % 5]
            .to_string(),
        raw: Some(30.0 + i as f64),
        percentile: Some(45.5 + i as f64 / 10.0),
        t: Some(48.0 + i as f64 / 10.0),
        norm_group: Some("S1, Pengawas".to_string()),
        norm_table: Some("NT-2024-07 v3".to_string()),
    }
}

/// A report with every part filled.
fn filled(lang: Lang) -> IndividualReport {
    let levels = [
        (4, 3),
        (3, 3),
        (2, 3),
        (4, 3),
        (3, 3),
        (2, 3),
        (3, 3),
        (5, 3),
        (3, 3),
    ];
    IndividualReport {
        lang,
        organisation: "Badan Kepegawaian dan Pengembangan SDM Kabupaten Sleman".to_string(),
        campaign: "Pemetaan Kompetensi Pengawas 2025".to_string(),
        report_ref: "RPT-0195b3c2-7f41".to_string(),
        nip: "198503122010011004".to_string(),
        name: "Budi Santoso, S.Kom.".to_string(),
        position: Some("Kepala Subbagian Perencanaan".to_string()),
        unit: Some("Sekretariat Daerah".to_string()),
        job_level: Some("Pengawas".to_string()),
        assessment_date: "4 Maret 2025".to_string(),
        methods: vec![
            "Tes psikologi".to_string(),
            "Wawancara berbasis kompetensi".to_string(),
            "Diskusi kelompok".to_string(),
        ],
        competencies: levels
            .iter()
            .enumerate()
            .map(|(i, (l, r))| competency(i, *l, *r))
            .collect(),
        jpm: Some(29.0 / 27.0 * 100.0),
        category: Some("Optimal".to_string()),
        standard: Some("Standar Kompetensi Pengawas v4".to_string()),
        scales: (0..5).map(scale).collect(),
        nine_box: Some(NineBoxPlace {
            number: 8,
            label: "Potensial, kinerja di atas ekspektasi".to_string(),
            talent_pool: true,
        }),
        assessor_evidence: vec![
            EvidenceLine {
                competency: "Komunikasi".to_string(),
                level: Some(2),
                summary: "Dalam diskusi kelompok peserta menyampaikan gagasan dengan runtut, \
                          tetapi jarang memeriksa pemahaman anggota lain."
                    .to_string(),
            },
            EvidenceLine {
                competency: "Pengambilan Keputusan".to_string(),
                level: Some(5),
                summary: "Menimbang risiko dan data sebelum memutuskan; menjelaskan alasannya."
                    .to_string(),
            },
        ],
        data_versions: vec![
            ("framework".to_string(), "v3".to_string()),
            ("norma".to_string(), "NT-2024-07 v3".to_string()),
            ("skoring".to_string(), "2.1".to_string()),
        ],
        signature: Some(released()),
    }
}

fn summary(lang: Lang, talents: usize) -> CampaignSummary {
    CampaignSummary {
        lang,
        organisation: "Badan Kepegawaian dan Pengembangan SDM Kabupaten Sleman".to_string(),
        campaign: "Pemetaan Kompetensi Pengawas 2025".to_string(),
        report_ref: "SUM-0195b3c2 v1".to_string(),
        period: "3–7 Maret 2025".to_string(),
        participants: 215,
        scored: 209,
        jpm_histogram: vec![
            ("< 68".to_string(), 12),
            ("68–78".to_string(), 41),
            ("78–90".to_string(), 97),
            ("≥ 90".to_string(), 59),
        ],
        categories: vec![
            ("Optimal".to_string(), 59),
            ("Cukup Optimal".to_string(), 97),
            ("Kurang Optimal".to_string(), 53),
        ],
        boxes: [10, 25, 18, 14, 60, 20, 9, 33, 20],
        profile: (0..9)
            .map(|i| ProfileLine {
                code: format!("M{}", i + 1),
                name: competency(i, 3, 3).name,
                mean_level: Some(2.4 + i as f64 / 10.0),
                mean_required: Some(3.0),
            })
            .collect(),
        talent_pool: (0..talents)
            .map(|i| TalentLine {
                rank: i as u32 + 1,
                nip: format!("1985031220100110{:02}", i % 100),
                name: format!("Peserta Nomor {}", i + 1),
                position: Some("Kepala Seksi Pelayanan".to_string()),
                unit: Some("Dinas Kependudukan dan Pencatatan Sipil".to_string()),
                jpm: Some(99.0 - i as f64 / 10.0),
                box_number: [9, 8, 7][i % 3],
            })
            .collect(),
        signature: Some(released()),
    }
}

/// A poppler tool, or a clear failure when poppler-utils is not installed.
fn poppler(tool: &str) -> Command {
    match Command::new(tool).arg("-v").output() {
        Ok(_) => Command::new(tool),
        Err(e) => panic!(
            "{tool} is needed by this test and could not be run ({e}): install poppler-utils \
             (apt-get install -y poppler-utils)"
        ),
    }
}

fn write_temp(pdf: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("report.pdf"), pdf).unwrap();
    dir
}

fn run(mut command: Command) -> Vec<u8> {
    let out = command.output().unwrap();
    assert!(
        out.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The text of every page, as `pdftotext` extracts it (reading order, not layout).
fn pages_of(pdf: &[u8]) -> Vec<String> {
    let dir = write_temp(pdf);
    let mut command = poppler("pdftotext");
    command.arg(dir.path().join("report.pdf")).arg("-");
    let text = String::from_utf8(run(command)).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The lines `pdftotext -layout` extracts (which keeps a table's row on one line), each with
/// its runs of spaces collapsed.
fn layout_text_of(pdf: &[u8]) -> Vec<String> {
    let dir = write_temp(pdf);
    let mut command = poppler("pdftotext");
    command
        .arg("-layout")
        .arg(dir.path().join("report.pdf"))
        .arg("-");
    let text = String::from_utf8(run(command)).unwrap();
    text.lines().map(flat).collect()
}

fn text_of(pdf: &[u8]) -> String {
    pages_of(pdf).join("\n")
}

/// Collapses runs of whitespace, since extraction may break a phrase over lines.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_released_report_shows_the_participant_every_level_and_the_psychologists_licence() {
    let report = filled(Lang::Id);
    let text = flat(&text_of(&render_individual(&report).unwrap()));
    for expected in [
        "Laporan Hasil Asesmen Kompetensi",
        "Budi Santoso, S.Kom.",
        "198503122010011004",
        "Kepala Subbagian Perencanaan",
        "Profil Kompetensi",
        "Kesenjangan",
        "Saran Pengembangan",
        "Skor Skala",
        "Kelompok Norma",
        "NT-2024-07 v3",
        "Posisi 9-Box",
        "Kotak 8: Potensial, kinerja di atas ekspektasi",
        "Bukti Asesor",
        "jarang memeriksa pemahaman anggota lain.",
        "Psikolog",
        "Dra. Sri Wahyuni, M.Psi., Psikolog",
        "No. SIPP 0217-19-2-1",
        "Dirilis 12 Maret 2025",
        "Versi 2",
        "framework v3",
        "107,4 %",
        "Optimal",
        "Pengembangan Diri dan Orang Lain",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    assert!(!text.contains("DRAF"), "a released report is not a draft");
    // Each competency's row of the table: code, name, level, required, gap, tests, assessors.
    let rows = layout_text_of(&render_individual(&report).unwrap());
    for c in &report.competencies {
        let row = format!(
            "{} {} {} {} {} {} {}",
            c.code,
            c.name,
            c.level.unwrap(),
            c.required.unwrap(),
            labels::gap(c.gap),
            c.test_level.unwrap(),
            c.assessor_level.unwrap()
        );
        assert!(
            rows.iter().any(|r| r == &row),
            "no row {row:?} in:\n{rows:#?}"
        );
    }
}

#[test]
fn a_draft_says_so_on_every_page_and_carries_no_licence() {
    let mut report = filled(Lang::Id);
    report.signature = None;
    report.competencies = (0..30).map(|i| competency(i, 3, 4)).collect();
    let pages = pages_of(&render_individual(&report).unwrap());
    assert!(pages.len() > 1);
    for (i, page) in pages.iter().enumerate() {
        assert!(
            flat(page).contains("DRAF — belum dirilis"),
            "page {} has no draft mark",
            i + 1
        );
    }
    let text = pages.join("\n");
    assert!(!text.contains("SIPP 0217"), "a draft names no licence");
    assert!(!text.contains("Sri Wahyuni"));
    assert!(flat(&text).contains("tidak berlaku sebagai laporan psikologis"));
}

#[test]
fn an_english_report_has_english_labels_and_decimal_points() {
    let mut report = filled(Lang::En);
    report.signature = None;
    let text = flat(&text_of(&render_individual(&report).unwrap()));
    for expected in [
        "Competency Assessment Report",
        "Competency Profile",
        "Gaps and Development Suggestions",
        "Scale Scores",
        "Norm group",
        "9-Box Position",
        "Assessor Evidence",
        "DRAFT — not released",
        "Page 1 of",
        "107.4 %",
        "Talent pool: yes",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    for indonesian in ["Profil Kompetensi", "Halaman", "Kesenjangan", "Skor Skala"] {
        assert!(
            !text.contains(indonesian),
            "{indonesian} in an English report"
        );
    }
}

#[test]
fn a_long_report_runs_over_pages_with_numbers_and_repeated_table_headers() {
    let mut report = filled(Lang::Id);
    report.competencies = (0..40)
        .map(|i| competency(i, (i % 5 + 1) as u8, 3))
        .collect();
    report.scales = (0..60).map(scale).collect();
    let pages = pages_of(&render_individual(&report).unwrap());
    let n = pages.len();
    assert!(n >= 4, "only {n} pages");
    for (i, page) in pages.iter().enumerate() {
        let number = format!("Halaman {} dari {n}", i + 1);
        assert!(
            flat(page).contains(&number),
            "page {} lacks {number:?}",
            i + 1
        );
        assert!(
            page.contains("RPT-0195b3c2-7f41"),
            "page {} lacks the reference",
            i + 1
        );
    }
    // The scales table spans pages and its header is drawn again on each.
    let with_header = pages.iter().filter(|p| p.contains("Tabel Norma")).count();
    assert!(
        with_header >= 2,
        "the scales' header is on {with_header} page(s)"
    );
    let text = pages.join("\n");
    assert_eq!(
        text.matches("NT-2024-07 v3").count(),
        60 + 1,
        "every scale row, and the data versions"
    );
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let report = filled(Lang::Id);
    let a = render_individual(&report).unwrap();
    let b = render_individual(&report.clone()).unwrap();
    assert!(a.starts_with(b"%PDF-1.7"));
    assert_eq!(a, b);
    let s = summary(Lang::En, 30);
    assert_eq!(
        render_campaign_summary(&s).unwrap(),
        render_campaign_summary(&s.clone()).unwrap()
    );
    // And a different input gives a different file.
    let mut other = report.clone();
    other.signature.as_mut().unwrap().version = 3;
    assert_ne!(render_individual(&other).unwrap(), a);
}

#[test]
fn the_first_page_renders_to_an_image() {
    let dir = write_temp(&render_individual(&filled(Lang::Id)).unwrap());
    let mut command = poppler("pdftoppm");
    command
        .args(["-png", "-r", "50", "-f", "1", "-l", "1"])
        .arg(dir.path().join("report.pdf"))
        .arg(dir.path().join("page"));
    run(command);
    let png = png_in(dir.path());
    let size = std::fs::metadata(&png).unwrap().len();
    assert!(size > 5_000, "{} is only {size} bytes", png.display());
}

fn png_in(dir: &Path) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .expect("pdftoppm wrote no PNG")
}

#[test]
fn accents_and_symbols_render_and_what_the_font_lacks_is_replaced_visibly() {
    let mut report = filled(Lang::Id);
    report.name = "José Núñez Çağlar — skor ≥ 90 ✓ 王".to_string();
    report.assessor_evidence[0].summary = "Tab\there, café, naïve, Ångström, “kutip”.".to_string();
    let text = flat(&text_of(&render_individual(&report).unwrap()));
    assert!(text.contains("José Núñez Çağlar — skor ≥ 90 ✓"), "{text}");
    assert!(
        text.contains("\u{FFFD}"),
        "a glyph the font lacks shows as U+FFFD"
    );
    assert!(!text.contains('王'));
    assert!(text.contains("Tab here, café, naïve, Ångström, “kutip”."));
}

#[test]
fn no_word_runs_past_the_right_margin() {
    let mut report = filled(Lang::Id);
    report.competencies[0].name =
        "Kemampuan Mengelola Perubahan Organisasi dan Mengintegrasikan Teknologi Informasi"
            .to_string();
    report.position = Some("Kepala Subbagian Perencanaan, Evaluasi, dan Pelaporan ".repeat(3));
    report.scales[0].norm_table =
        Some("Tabel-norma-yang-sangat-panjang-tanpa-spasi-sama-sekali-v12".to_string());
    let dir = write_temp(&render_individual(&report).unwrap());
    let mut command = poppler("pdftotext");
    command
        .arg("-bbox")
        .arg(dir.path().join("report.pdf"))
        .arg("-");
    let html = String::from_utf8(run(command)).unwrap();
    let right_margin = document::PAGE_WIDTH - document::LEFT + 1.0;
    let mut words = 0;
    for word in html.split("<word ").skip(1) {
        let x_max: f32 = word
            .split("xMax=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap();
        assert!(x_max <= right_margin, "a word ends at {x_max}: {word}");
        words += 1;
    }
    assert!(words > 100);
}

#[test]
fn the_campaign_summary_shows_its_counts_and_runs_the_talent_pool_over_pages() {
    let s = summary(Lang::Id, 90);
    let pages = pages_of(&render_campaign_summary(&s).unwrap());
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let text = flat(&pages.join("\n"));
    for expected in [
        "Ringkasan Hasil Kampanye Asesmen",
        "215",
        "209",
        "Sebaran JPM",
        "78–90",
        "Cukup Optimal",
        "Peserta per Kotak 9-Box",
        "Talent pool: 62",
        "Profil Rata-rata terhadap Standar",
        "2,4 / 3",
        "Peserta Nomor 10",
        "Peserta Nomor 90",
        "No. SIPP 0217-19-2-1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let with_header = pages.iter().filter(|p| p.contains("Peringkat")).count();
    assert!(
        with_header >= 2,
        "the talent table's header is on {with_header} page(s)"
    );

    let mut english = summary(Lang::En, 0);
    english.signature = None;
    let text = flat(&text_of(&render_campaign_summary(&english).unwrap()));
    for expected in [
        "Assessment Campaign Summary",
        "No participant is in the talent pool yet.",
        "DRAFT — not released",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn empty_reports_still_render() {
    let report = IndividualReport {
        lang: Lang::En,
        organisation: String::new(),
        campaign: String::new(),
        report_ref: String::new(),
        nip: String::new(),
        name: String::new(),
        position: None,
        unit: None,
        job_level: None,
        assessment_date: String::new(),
        methods: vec![],
        competencies: vec![],
        jpm: None,
        category: None,
        standard: None,
        scales: vec![],
        nine_box: None,
        assessor_evidence: vec![],
        data_versions: vec![],
        signature: None,
    };
    let pdf = render_individual(&report).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let mut s = summary(Lang::Id, 0);
    s.jpm_histogram.clear();
    s.categories.clear();
    s.profile.clear();
    s.boxes = [0; 9];
    assert!(render_campaign_summary(&s).unwrap().starts_with(b"%PDF"));
}

/// Writes sample reports (PDF and page PNGs) for a person to look at:
/// `cargo test --lib services::reports -- --ignored samples`; the folder is
/// `$MERITEST_REPORT_SAMPLES`, by default `meritest-report-samples` in the temporary folder.
#[test]
#[ignore = "writes files for a person to look at"]
fn samples_for_a_person_to_look_at() {
    let dir = std::env::var_os("MERITEST_REPORT_SAMPLES")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("meritest-report-samples"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut long = filled(Lang::Id);
    long.competencies = (0..40)
        .map(|i| competency(i, (i % 5 + 1) as u8, 3))
        .collect();
    long.scales = (0..60).map(scale).collect();
    let mut draft = filled(Lang::En);
    draft.signature = None;
    let files = [
        ("individual", render_individual(&filled(Lang::Id)).unwrap()),
        ("individual-draft-en", render_individual(&draft).unwrap()),
        ("individual-long", render_individual(&long).unwrap()),
        (
            "summary",
            render_campaign_summary(&summary(Lang::Id, 90)).unwrap(),
        ),
    ];
    for (name, pdf) in files {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, &pdf).unwrap();
        let mut command = poppler("pdftoppm");
        command
            .args(["-png", "-r", "70"])
            .arg(&path)
            .arg(dir.join(name));
        run(command);
        println!("{} ({} bytes)", path.display(), pdf.len());
    }
}

/// How long a render takes: `cargo test --release --lib services::reports -- --ignored timing
/// --nocapture`. Prints, asserts nothing about time.
#[test]
#[ignore = "a timing loop, run in release mode by hand"]
fn timing_of_a_thousand_renders() {
    let report = filled(Lang::Id);
    let s = summary(Lang::Id, 90);
    for (name, render) in [
        (
            "individual",
            Box::new(|| render_individual(&report).unwrap()) as Box<dyn Fn() -> Vec<u8>>,
        ),
        (
            "campaign summary",
            Box::new(|| render_campaign_summary(&s).unwrap()),
        ),
    ] {
        let size = render().len();
        let start = std::time::Instant::now();
        for _ in 0..1000 {
            std::hint::black_box(render());
        }
        let each = start.elapsed() / 1000;
        println!("{name}: {size} bytes, {each:?} per render (mean of 1,000)");
    }
}
