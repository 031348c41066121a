//! What a report shows: plain data that the service layer fills from the results, so the
//! renderer needs no database, clock or settings. Texts are printed as given (dates and versions
//! are formatted by the caller); numbers are formatted for the report's language.

/// The language of a report's labels and number formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Bahasa Indonesia: Indonesian labels, decimal comma.
    Id,
    /// English: English labels, decimal point.
    En,
}

/// The psychologist who releases a report (UU 23/2022: a psychological report is released only
/// under a registered psychologist's name and licence number).
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// The psychologist's name with titles, as it is to be printed.
    pub name: String,
    /// The licence number (SIPP, Surat Izin Praktik Psikologi).
    pub licence: String,
    /// When the report was released, formatted by the caller.
    pub released_at: String,
    /// The release's version: a corrected report is released again with the next version.
    pub version: u32,
}

/// One competency of a participant's profile.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetencyLine {
    /// The competency's code in the framework.
    pub code: String,
    /// The competency's name.
    pub name: String,
    /// The achieved level (1–5), if the competency is scored.
    pub level: Option<u8>,
    /// The level the job standard requires (1–5), if the job has a standard for it.
    pub required: Option<u8>,
    /// Achieved minus required level.
    pub gap: Option<i8>,
    /// The level from the tests, when the level combines tests and assessors.
    pub test_level: Option<u8>,
    /// The level from the assessors' ratings.
    pub assessor_level: Option<u8>,
    /// What the participant could do to develop it.
    pub suggestion: Option<String>,
}

/// One scale score of a participant.
#[derive(Debug, Clone, PartialEq)]
pub struct ScaleLine {
    /// The instrument's name (with its version, if the caller wants it printed).
    pub instrument: String,
    /// The scale's name.
    pub scale: String,
    /// The raw score.
    pub raw: Option<f64>,
    /// The percentile rank in the norm group.
    pub percentile: Option<f64>,
    /// The T score (50 + 10z).
    pub t: Option<f64>,
    /// The norm group the score is compared with.
    pub norm_group: Option<String>,
    /// The norm table (name and version) that produced the percentile and T.
    pub norm_table: Option<String>,
}

/// Where a participant stands on the 9-box talent map.
#[derive(Debug, Clone, PartialEq)]
pub struct NineBoxPlace {
    /// The box, 1–9 (rows by potential high→low: 4 7 9 / 2 5 8 / 1 3 6).
    pub number: u8,
    /// The box's name.
    pub label: String,
    /// Whether the box is in the talent pool.
    pub talent_pool: bool,
}

/// What an assessor saw for one competency.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceLine {
    /// The competency's name.
    pub competency: String,
    /// The level the assessors gave.
    pub level: Option<u8>,
    /// The evidence in the assessors' words.
    pub summary: String,
}

/// A participant's psychological report.
#[derive(Debug, Clone, PartialEq)]
pub struct IndividualReport {
    /// The language of the labels.
    pub lang: Lang,
    /// The organisation that ran the assessment (printed in the header).
    pub organisation: String,
    /// The campaign's name (printed in the header).
    pub campaign: String,
    /// The report's reference, e.g. its id (printed in the footer of every page).
    pub report_ref: String,
    /// The participant's NIP.
    pub nip: String,
    /// The participant's name.
    pub name: String,
    /// The participant's position (jabatan).
    pub position: Option<String>,
    /// The participant's unit (unit kerja).
    pub unit: Option<String>,
    /// The participant's job level (jenjang jabatan).
    pub job_level: Option<String>,
    /// When the participant was assessed, formatted by the caller.
    pub assessment_date: String,
    /// The methods of assessment (tests, interview, group discussion…).
    pub methods: Vec<String>,
    /// The competency profile, in the order to print.
    pub competencies: Vec<CompetencyLine>,
    /// The Job Person Match in percent.
    pub jpm: Option<f64>,
    /// The JPM's category (e.g. "Optimal").
    pub category: Option<String>,
    /// The job competency standard (name and version) the profile is compared with.
    pub standard: Option<String>,
    /// The scale scores, in the order to print.
    pub scales: Vec<ScaleLine>,
    /// The place on the 9-box, if the participant is placed.
    pub nine_box: Option<NineBoxPlace>,
    /// The assessors' evidence.
    pub assessor_evidence: Vec<EvidenceLine>,
    /// The versions of the data that produced the numbers, e.g. `("framework", "v3")`, printed
    /// small at the end.
    pub data_versions: Vec<(String, String)>,
    /// The releasing psychologist; `None` is a draft, marked as such on every page.
    pub signature: Option<Signature>,
}

/// One competency of a campaign's average profile.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileLine {
    /// The competency's code.
    pub code: String,
    /// The competency's name.
    pub name: String,
    /// The mean achieved level of the participants scored.
    pub mean_level: Option<f64>,
    /// The mean required level of their standards.
    pub mean_required: Option<f64>,
}

/// One member of a campaign's talent pool.
#[derive(Debug, Clone, PartialEq)]
pub struct TalentLine {
    /// The rank, 1 first.
    pub rank: u32,
    /// The NIP.
    pub nip: String,
    /// The name.
    pub name: String,
    /// The position (jabatan).
    pub position: Option<String>,
    /// The unit (unit kerja).
    pub unit: Option<String>,
    /// The Job Person Match in percent.
    pub jpm: Option<f64>,
    /// The 9-box box, 1–9.
    pub box_number: u8,
}

/// A campaign's results in summary.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignSummary {
    /// The language of the labels.
    pub lang: Lang,
    /// The organisation (printed in the header).
    pub organisation: String,
    /// The campaign's name (printed in the header).
    pub campaign: String,
    /// The summary's reference, e.g. the campaign's id and a version (printed in the footer).
    pub report_ref: String,
    /// The campaign's period, formatted by the caller.
    pub period: String,
    /// How many participants are enrolled.
    pub participants: u32,
    /// How many of them have a competency score.
    pub scored: u32,
    /// The JPM histogram: (bin label, count) in the order to draw.
    pub jpm_histogram: Vec<(String, u32)>,
    /// The participants per category: (category, count).
    pub categories: Vec<(String, u32)>,
    /// The participants per 9-box box; `boxes[0]` is box 1.
    pub boxes: [u32; 9],
    /// The average competency profile against the standards.
    pub profile: Vec<ProfileLine>,
    /// The talent pool, in rank order.
    pub talent_pool: Vec<TalentLine>,
    /// The releasing psychologist; `None` is a draft.
    pub signature: Option<Signature>,
}
