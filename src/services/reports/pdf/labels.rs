//! Every word a report prints that does not come from its data, in both languages, and the
//! language's number formatting.
use super::model::Lang;

/// The fixed texts of a report in one language.
pub(super) struct Labels {
    pub individual_title: &'static str,
    pub campaign_title: &'static str,
    pub draft_mark: &'static str,
    pub draft_watermark: &'static str,
    pub page_of: (&'static str, &'static str),
    pub name: &'static str,
    pub nip: &'static str,
    pub position: &'static str,
    pub unit: &'static str,
    pub job_level: &'static str,
    pub assessment_date: &'static str,
    pub methods: &'static str,
    pub profile: &'static str,
    pub chart_legend_level: &'static str,
    pub chart_legend_required: &'static str,
    pub code: &'static str,
    pub competency: &'static str,
    pub level: &'static str,
    pub required: &'static str,
    pub gap: &'static str,
    pub test_level: &'static str,
    pub assessor_level: &'static str,
    pub jpm_section: &'static str,
    pub jpm: &'static str,
    pub category: &'static str,
    pub standard: &'static str,
    pub gaps_section: &'static str,
    pub no_gaps: &'static str,
    pub suggestion: &'static str,
    pub no_suggestion: &'static str,
    pub scales: &'static str,
    pub instrument: &'static str,
    pub scale: &'static str,
    pub raw: &'static str,
    pub percentile: &'static str,
    pub t_score: &'static str,
    pub norm_group: &'static str,
    pub norm_table: &'static str,
    pub no_scales: &'static str,
    pub nine_box: &'static str,
    pub potential: &'static str,
    pub performance: &'static str,
    pub potential_rows: [&'static str; 3],
    pub performance_columns: [&'static str; 3],
    pub box_word: &'static str,
    pub talent_pool: &'static str,
    pub talent_pool_boxes: &'static str,
    pub yes: &'static str,
    pub no: &'static str,
    pub not_placed: &'static str,
    pub evidence: &'static str,
    pub no_evidence: &'static str,
    pub data_versions: &'static str,
    pub signature: &'static str,
    pub psychologist: &'static str,
    pub licence: &'static str,
    pub released_at: &'static str,
    pub version: &'static str,
    pub draft_signature: &'static str,
    pub period: &'static str,
    pub participants: &'static str,
    pub scored: &'static str,
    pub jpm_distribution: &'static str,
    pub categories: &'static str,
    pub box_counts: &'static str,
    pub average_profile: &'static str,
    pub mean_level: &'static str,
    pub mean_required: &'static str,
    pub rank: &'static str,
    pub talent_table: &'static str,
    pub empty_talent_pool: &'static str,
    pub nothing: &'static str,
}

const ID: Labels = Labels {
    individual_title: "Laporan Hasil Asesmen Kompetensi",
    campaign_title: "Ringkasan Hasil Kampanye Asesmen",
    draft_mark: "DRAF — belum dirilis",
    draft_watermark: "DRAF",
    page_of: ("Halaman", "dari"),
    name: "Nama",
    nip: "NIP",
    position: "Jabatan",
    unit: "Unit Kerja",
    job_level: "Jenjang Jabatan",
    assessment_date: "Tanggal Asesmen",
    methods: "Metode Asesmen",
    profile: "Profil Kompetensi",
    chart_legend_level: "Level tercapai",
    chart_legend_required: "Level standar",
    code: "Kode",
    competency: "Kompetensi",
    level: "Level",
    required: "Standar",
    gap: "Kesenjangan",
    test_level: "Tes",
    assessor_level: "Asesor",
    jpm_section: "Job Person Match (JPM)",
    jpm: "JPM",
    category: "Kategori",
    standard: "Standar Kompetensi Jabatan",
    gaps_section: "Kesenjangan dan Saran Pengembangan",
    no_gaps: "Tidak ada kompetensi di bawah standar.",
    suggestion: "Saran Pengembangan",
    no_suggestion: "Belum ada saran.",
    scales: "Skor Skala",
    instrument: "Instrumen",
    scale: "Skala",
    raw: "Mentah",
    percentile: "Persentil",
    t_score: "T",
    norm_group: "Kelompok Norma",
    norm_table: "Tabel Norma",
    no_scales: "Tidak ada skor skala.",
    nine_box: "Posisi 9-Box",
    potential: "Potensi",
    performance: "Kinerja",
    potential_rows: ["Tinggi", "Menengah", "Rendah"],
    performance_columns: ["Di bawah", "Sesuai", "Di atas"],
    box_word: "Kotak",
    talent_pool: "Talent pool",
    talent_pool_boxes: "Kotak hijau (7, 8, 9): talent pool.",
    yes: "ya",
    no: "tidak",
    not_placed: "Belum ditempatkan pada 9-box.",
    evidence: "Bukti Asesor",
    no_evidence: "Tidak ada bukti asesor.",
    data_versions: "Versi data",
    signature: "Pengesahan",
    psychologist: "Psikolog",
    licence: "No. SIPP",
    released_at: "Dirilis",
    version: "Versi",
    draft_signature:
        "Laporan ini belum dirilis oleh psikolog dan tidak berlaku sebagai laporan psikologis.",
    period: "Periode",
    participants: "Peserta",
    scored: "Sudah dinilai",
    jpm_distribution: "Sebaran JPM",
    categories: "Kategori",
    box_counts: "Peserta per Kotak 9-Box",
    average_profile: "Profil Rata-rata terhadap Standar",
    mean_level: "Rata-rata level",
    mean_required: "Rata-rata standar",
    rank: "Peringkat",
    talent_table: "Talent Pool (Kotak 7–9)",
    empty_talent_pool: "Belum ada peserta dalam talent pool.",
    nothing: "Tidak ada data.",
};

const EN: Labels = Labels {
    individual_title: "Competency Assessment Report",
    campaign_title: "Assessment Campaign Summary",
    draft_mark: "DRAFT — not released",
    draft_watermark: "DRAFT",
    page_of: ("Page", "of"),
    name: "Name",
    nip: "NIP",
    position: "Position",
    unit: "Unit",
    job_level: "Job level",
    assessment_date: "Assessment date",
    methods: "Methods",
    profile: "Competency Profile",
    chart_legend_level: "Level achieved",
    chart_legend_required: "Required level",
    code: "Code",
    competency: "Competency",
    level: "Level",
    required: "Required",
    gap: "Gap",
    test_level: "Tests",
    assessor_level: "Assessors",
    jpm_section: "Job Person Match (JPM)",
    jpm: "JPM",
    category: "Category",
    standard: "Job competency standard",
    gaps_section: "Gaps and Development Suggestions",
    no_gaps: "No competency is below the standard.",
    suggestion: "Development suggestion",
    no_suggestion: "No suggestion yet.",
    scales: "Scale Scores",
    instrument: "Instrument",
    scale: "Scale",
    raw: "Raw",
    percentile: "Percentile",
    t_score: "T",
    norm_group: "Norm group",
    norm_table: "Norm table",
    no_scales: "No scale scores.",
    nine_box: "9-Box Position",
    potential: "Potential",
    performance: "Performance",
    potential_rows: ["High", "Medium", "Low"],
    performance_columns: ["Below", "Meets", "Above"],
    box_word: "Box",
    talent_pool: "Talent pool",
    talent_pool_boxes: "Green boxes (7, 8, 9): the talent pool.",
    yes: "yes",
    no: "no",
    not_placed: "Not placed on the 9-box.",
    evidence: "Assessor Evidence",
    no_evidence: "No assessor evidence.",
    data_versions: "Data versions",
    signature: "Release",
    psychologist: "Psychologist",
    licence: "No. SIPP",
    released_at: "Released",
    version: "Version",
    draft_signature: "This report has not been released by a psychologist and is not valid as a psychological report.",
    period: "Period",
    participants: "Participants",
    scored: "Scored",
    jpm_distribution: "JPM Distribution",
    categories: "Categories",
    box_counts: "Participants per 9-Box",
    average_profile: "Average Profile against the Standard",
    mean_level: "Mean level",
    mean_required: "Mean required",
    rank: "Rank",
    talent_table: "Talent Pool (Boxes 7–9)",
    empty_talent_pool: "No participant is in the talent pool yet.",
    nothing: "No data.",
};

impl Lang {
    /// The labels of this language.
    pub(super) fn labels(self) -> &'static Labels {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }

    /// A number with at most `decimals` decimals (trailing zeros dropped), with the language's
    /// decimal separator.
    pub(super) fn number(self, x: f64, decimals: usize) -> String {
        if !x.is_finite() {
            return DASH.to_string();
        }
        let mut s = format!("{x:.decimals$}");
        if s.contains('.') {
            let trimmed = s.trim_end_matches('0').trim_end_matches('.').len();
            s.truncate(trimmed);
        }
        if s == "-0" {
            s = "0".to_string();
        }
        match self {
            Lang::Id => s.replace('.', ","),
            Lang::En => s,
        }
    }

    /// A percentage with one decimal.
    pub(super) fn percent(self, x: f64) -> String {
        format!("{} %", self.number(x, 1))
    }
}

/// What a missing value prints as.
pub(super) const DASH: &str = "–";

/// A level or a missing one.
pub(super) fn level(x: Option<u8>) -> String {
    x.map_or_else(|| DASH.to_string(), |l| l.to_string())
}

/// A gap with its sign, or a missing one.
pub(super) fn gap(x: Option<i8>) -> String {
    match x {
        Some(g) if g > 0 => format!("+{g}"),
        Some(g) => g.to_string(),
        None => DASH.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_use_the_languages_decimal_separator_and_drop_trailing_zeros() {
        assert_eq!(Lang::Id.number(87.5, 1), "87,5");
        assert_eq!(Lang::En.number(87.5, 1), "87.5");
        assert_eq!(Lang::En.number(90.0, 1), "90");
        assert_eq!(Lang::Id.number(12.346, 2), "12,35");
        assert_eq!(Lang::En.number(-0.01, 1), "0");
        assert_eq!(Lang::En.number(f64::NAN, 1), DASH);
    }

    #[test]
    fn gaps_carry_their_sign() {
        assert_eq!(gap(Some(1)), "+1");
        assert_eq!(gap(Some(-2)), "-2");
        assert_eq!(gap(Some(0)), "0");
        assert_eq!(gap(None), DASH);
    }
}
