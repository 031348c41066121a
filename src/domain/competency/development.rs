//! Development needs (issue 12, item 8, the computing part; DOMAIN.md "What HR plans with": gap
//! analysis → development, and the fast track to senior leadership).
//!
//! The rules, in words:
//! - A **need** is a competency of the standard whose achieved level is below the required one;
//!   its shortfall is required − achieved (1 to 4). A route is chosen for it by the first route
//!   rule that applies to the competency (by code, or by its group) and whose shortfall range
//!   holds the shortfall. Seeded (*unverified*; DOMAIN.md names the three routes but not who takes
//!   which): a technical shortfall → `technical_training`; a managerial or socio-cultural
//!   shortfall of 1 → `mentoring`, of 2 or more → `leadership_coaching`. Validation makes sure
//!   every shortfall of either group has a route.
//! - **Aggregation** over a set of participants (e.g. a unit, OPD), per competency: *assessed* =
//!   participants whose standard has the competency and who have a level in it; *below* = those
//!   under the required level; *share* = 100 × below ÷ assessed; *mean gap* = the mean of
//!   (achieved − required) over those below (negative). A participant with an incomplete JPM still
//!   counts on the competencies they have a level in.
//! - **Fast track**: per job level, of the n participants with a complete JPM, the top
//!   k = ⌈n × p ÷ 100⌉ by JPM (p = `fast_track_percent`, 10 by default; integer arithmetic, so
//!   n = 25 gives k = 3), and everyone tied with the k-th at the boundary: the flag goes to every
//!   participant whose JPM is at least the k-th highest JPM.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::jpm::JpmResult;
use super::{
    decimals_problem, is_competency_code, round_to, version_problem, CompetencyGroup, Level,
    RuleDocument, COMPETENCY_CODE_FORM,
};
use crate::domain::{FieldError, UniqueIds};

/// A development route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Route {
    /// Diklat teknis.
    TechnicalTraining,
    /// Leadership coaching.
    LeadershipCoaching,
    /// Mentoring.
    Mentoring,
}

/// Which competencies a route rule applies to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum AppliesTo {
    /// Every competency of a group.
    Group(CompetencyGroup),
    /// The competencies listed by code.
    Competencies(Vec<String>),
}

/// Shortfall of a competency → route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteRule {
    /// The competencies it applies to.
    pub applies_to: AppliesTo,
    /// Smallest shortfall (required − achieved), 1–4.
    pub min_shortfall: u8,
    /// Largest shortfall, `min_shortfall`–4.
    pub max_shortfall: u8,
    /// The route.
    pub route: Route,
}

impl RouteRule {
    fn applies(&self, code: &str, group: CompetencyGroup, shortfall: u8) -> bool {
        let who = match &self.applies_to {
            AppliesTo::Group(g) => *g == group,
            AppliesTo::Competencies(codes) => codes.iter().any(|c| c == code),
        };
        who && (self.min_shortfall..=self.max_shortfall).contains(&shortfall)
    }
}

/// The development rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DevelopmentRule {
    /// Version of this document, from 1.
    pub version: u32,
    /// Route rules; the first that applies wins.
    pub routes: Vec<RouteRule>,
    /// Share of each job level flagged for the fast track, in whole percent (1–100).
    pub fast_track_percent: u8,
    /// Decimals of the shares and mean gaps of an aggregation.
    pub decimals: u8,
    /// Years a competency result stays valid from its assessment date (DOMAIN.md: the mapping is
    /// renewed every three years), 1–10; a document without it means 3.
    #[serde(default = "three_years")]
    pub validity_years: u8,
    /// What a participant could do to develop a competency from the level they reached: the
    /// suggestion table reports print beside each gap. A document without it has none.
    #[serde(default)]
    pub suggestions: Vec<Suggestion>,
}

fn three_years() -> u8 {
    3
}

/// A development suggestion for a competency at some achieved levels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    /// The competency code.
    pub competency: String,
    /// The achieved levels it is for (1–5, each once).
    pub levels: Vec<u8>,
    /// The suggestion, in Indonesian and English.
    pub text: crate::domain::text::Text,
}

impl DevelopmentRule {
    /// The suggestion for `competency` at achieved level `level`: the first that lists both.
    pub fn suggestion_for(&self, competency: &str, level: Level) -> Option<&Suggestion> {
        self.suggestions
            .iter()
            .find(|s| s.competency == competency && s.levels.contains(&level.get()))
    }
}

/// The seeded suggestions (original text, *unverified* as to any agency's practice): for each of
/// the nine managerial and socio-cultural competencies, one for levels 1–2 (building the basics)
/// and one for levels 3–4 (taking it further).
fn default_suggestions() -> Vec<Suggestion> {
    const TABLE: [(&str, [(&str, &str); 2]); 9] = [
        ("INT", [
            ("Pelajari kode etik dan aturan gratifikasi unit Anda bersama atasan, lalu catat satu keputusan kerja setiap minggu yang menguji kejujuran dan bagaimana Anda menanganinya.",
             "Study your unit's code of ethics and gratuity rules with your supervisor, then log one work decision each week that tested your honesty and how you handled it."),
            ("Jadilah teladan integritas: pimpin diskusi kasus etika di tim dan bantu merancang pengendalian yang menutup celah penyimpangan.",
             "Model integrity: lead ethics case discussions in your team and help design controls that close gaps for misconduct."),
        ]),
        ("KS", [
            ("Ikuti satu proyek lintas unit dengan peran yang jelas, bagikan informasi kemajuan secara rutin, dan minta umpan balik rekan setiap bulan.",
             "Join one cross-unit project with a clear role, share progress regularly, and ask colleagues for feedback every month."),
            ("Fasilitasi kerja sama antarunit: bangun jejaring, selesaikan hambatan koordinasi, dan akui kontribusi anggota tim secara terbuka.",
             "Facilitate collaboration between units: build networks, resolve coordination blockers, and credit team members openly."),
        ]),
        ("KOM", [
            ("Latih penyampaian pesan singkat dan jelas: siapkan ringkasan satu halaman untuk setiap rapat dan minta rekan menilai kejelasannya.",
             "Practise short, clear messages: prepare a one-page summary for each meeting and ask a colleague to rate its clarity."),
            ("Kembangkan komunikasi persuasif: presentasikan usulan kepada pimpinan dan pemangku kepentingan, sesuaikan pesan dengan audiens.",
             "Develop persuasive communication: present proposals to leaders and stakeholders, adapting the message to the audience."),
        ]),
        ("OPH", [
            ("Tetapkan target kerja mingguan yang terukur bersama atasan dan tinjau capaiannya setiap akhir minggu.",
             "Set measurable weekly work targets with your supervisor and review what was achieved at the end of each week."),
            ("Pimpin perbaikan proses yang meningkatkan mutu hasil unit, ukur dampaknya, dan tetapkan standar kinerja yang lebih tinggi.",
             "Lead a process improvement that raises your unit's output quality, measure its effect, and set higher performance standards."),
        ]),
        ("PP", [
            ("Dampingi petugas layanan yang berpengalaman selama beberapa hari dan pelajari standar pelayanan serta cara menangani keluhan.",
             "Shadow an experienced service officer for a few days and learn the service standards and how complaints are handled."),
            ("Rancang perbaikan layanan dari data keluhan dan survei kepuasan, lalu pantau hasilnya bersama tim.",
             "Design service improvements from complaint data and satisfaction surveys, then monitor the results with your team."),
        ]),
        ("PDOL", [
            ("Susun rencana belajar pribadi untuk enam bulan (kursus, bacaan, penugasan) dan diskusikan kemajuannya dengan atasan.",
             "Draw up a six-month personal learning plan (courses, reading, assignments) and discuss progress with your supervisor."),
            ("Menjadi mentor bagi rekan yang lebih junior dan bangun budaya belajar di tim melalui berbagi pengetahuan secara rutin.",
             "Mentor a more junior colleague and build a learning culture in the team through regular knowledge sharing."),
        ]),
        ("MP", [
            ("Ikuti sosialisasi perubahan kebijakan atau sistem kerja, catat dampaknya pada tugas Anda, dan sesuaikan cara kerja lebih awal.",
             "Take part in briefings on policy or work-system changes, note their effect on your tasks, and adapt your way of working early."),
            ("Pimpin satu inisiatif perubahan: jelaskan alasannya kepada tim, kelola keberatan, dan pastikan perubahan bertahan.",
             "Lead one change initiative: explain the reasons to the team, manage objections, and make sure the change lasts."),
        ]),
        ("PK", [
            ("Gunakan langkah keputusan yang sederhana (masalah, pilihan, risiko, keputusan) untuk tugas rutin dan diskusikan dengan atasan.",
             "Use a simple decision routine (problem, options, risks, decision) for routine tasks and discuss it with your supervisor."),
            ("Ambil keputusan pada masalah yang kompleks dengan data dan analisis risiko, dan tinjau kembali hasilnya setelah dijalankan.",
             "Make decisions on complex problems with data and risk analysis, and review the outcome after implementation."),
        ]),
        ("PB", [
            ("Ikuti kegiatan yang mempertemukan rekan dari latar belakang berbeda dan pelajari cara menghargai perbedaan dalam pelayanan.",
             "Join activities that bring together colleagues of different backgrounds and learn to respect differences in public service."),
            ("Prakarsai kegiatan yang memperkuat persatuan di lingkungan kerja dan bantu menyelesaikan konflik karena perbedaan.",
             "Start activities that strengthen unity at work and help resolve conflicts arising from differences."),
        ]),
    ];
    TABLE
        .iter()
        .flat_map(|(code, bands)| {
            [(vec![1, 2], bands[0]), (vec![3, 4], bands[1])]
                .into_iter()
                .map(|(levels, (id, en))| Suggestion {
                    competency: (*code).to_owned(),
                    levels,
                    text: crate::domain::text::Text::new(id, en),
                })
        })
        .collect()
}

/// One competency a participant is below standard on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentNeed {
    /// Competency code.
    pub competency: String,
    /// Its group.
    pub group: CompetencyGroup,
    /// Required level.
    pub required: Level,
    /// Achieved level.
    pub achieved: Level,
    /// Required − achieved.
    pub shortfall: u8,
    /// The route; `None` only under an unvalidated rule.
    pub route: Option<Route>,
}

/// A participant's development needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonDevelopment {
    /// The version of the development rule used.
    pub rule_version: u32,
    /// The needs, in code order.
    pub needs: Vec<DevelopmentNeed>,
}

/// The needs of a set of participants on one competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitNeed {
    /// Competency code.
    pub competency: String,
    /// Participants whose standard has it and who have a level in it.
    pub assessed: u32,
    /// Of those, how many are below the required level.
    pub below: u32,
    /// 100 × below ÷ assessed, rounded.
    pub share_percent: f64,
    /// Mean (achieved − required) over those below, rounded; `None` when nobody is below.
    pub mean_gap_below: Option<f64>,
}

/// The needs of a set of participants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct UnitDevelopment {
    /// The version of the development rule used.
    pub rule_version: u32,
    /// One entry per competency, in code order.
    pub competencies: Vec<UnitNeed>,
}

/// What the fast track reads of one participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FastTrackCandidate {
    /// NIP or another stable number.
    pub participant: String,
    /// Job level, compared exactly (the caller normalises its spelling).
    pub job_level: String,
    /// The complete JPM %, rounded; `None` when incomplete (not eligible).
    pub jpm: Option<f64>,
}

/// The fast track of one job level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FastTrackLevel {
    /// The job level.
    pub job_level: String,
    /// n: participants of the level with a complete JPM.
    pub eligible: u32,
    /// k = ⌈n × p ÷ 100⌉.
    pub quota: u32,
    /// The k-th highest JPM; everyone at or above it is flagged.
    pub threshold: Option<f64>,
    /// Flagged participants, by JPM descending, then participant ascending.
    pub flagged: Vec<String>,
}

/// The fast track of every job level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FastTrack {
    /// The version of the development rule used.
    pub rule_version: u32,
    /// One entry per job level, in job-level order.
    pub levels: Vec<FastTrackLevel>,
}

impl DevelopmentRule {
    /// The seeded rule, as in the module documentation: fast track 10 %, two decimals.
    pub fn defaults() -> Self {
        let rule = |applies_to, min_shortfall, max_shortfall, route| RouteRule {
            applies_to,
            min_shortfall,
            max_shortfall,
            route,
        };
        Self {
            version: 1,
            routes: vec![
                rule(
                    AppliesTo::Group(CompetencyGroup::Technical),
                    1,
                    4,
                    Route::TechnicalTraining,
                ),
                rule(
                    AppliesTo::Group(CompetencyGroup::ManagerialSocioCultural),
                    1,
                    1,
                    Route::Mentoring,
                ),
                rule(
                    AppliesTo::Group(CompetencyGroup::ManagerialSocioCultural),
                    2,
                    4,
                    Route::LeadershipCoaching,
                ),
            ],
            fast_track_percent: 10,
            decimals: 2,
            validity_years: 3,
            suggestions: default_suggestions(),
        }
    }

    /// The route of a shortfall on competency `code` of `group`.
    pub fn route_for(&self, code: &str, group: CompetencyGroup, shortfall: u8) -> Option<Route> {
        self.routes
            .iter()
            .find(|r| r.applies(code, group, shortfall))
            .map(|r| r.route)
    }

    /// One participant's needs from their JPM result.
    pub fn needs(&self, jpm: &JpmResult) -> PersonDevelopment {
        let needs = jpm
            .competencies
            .iter()
            .filter_map(|c| {
                let achieved = c.achieved?;
                let shortfall = c.required.get().checked_sub(achieved.get())?;
                (shortfall > 0).then(|| DevelopmentNeed {
                    competency: c.competency.clone(),
                    group: c.group,
                    required: c.required,
                    achieved,
                    shortfall,
                    route: self.route_for(&c.competency, c.group, shortfall),
                })
            })
            .collect();
        PersonDevelopment {
            rule_version: self.version,
            needs,
        }
    }

    /// The needs of a set of participants, per competency.
    pub fn unit_needs(&self, results: &[&JpmResult]) -> UnitDevelopment {
        #[derive(Default)]
        struct Tally {
            assessed: u32,
            below: u32,
            gap_sum: i64,
        }
        let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
        for r in results {
            for c in &r.competencies {
                let t = tallies.entry(c.competency.as_str()).or_default();
                if let Some(gap) = c.gap {
                    t.assessed += 1;
                    if gap < 0 {
                        t.below += 1;
                        t.gap_sum += i64::from(gap);
                    }
                }
            }
        }
        let d = self.decimals;
        UnitDevelopment {
            rule_version: self.version,
            competencies: tallies
                .into_iter()
                .map(|(code, t)| UnitNeed {
                    competency: code.to_owned(),
                    assessed: t.assessed,
                    below: t.below,
                    share_percent: if t.assessed == 0 {
                        0.0
                    } else {
                        round_to(100.0 * f64::from(t.below) / f64::from(t.assessed), d)
                    },
                    mean_gap_below: (t.below > 0)
                        .then(|| round_to(t.gap_sum as f64 / f64::from(t.below), d)),
                })
                .collect(),
        }
    }

    /// The fast-track flags of every job level.
    pub fn fast_track(&self, candidates: &[FastTrackCandidate]) -> FastTrack {
        let mut by_level: BTreeMap<&str, Vec<(&str, f64)>> = BTreeMap::new();
        for c in candidates {
            let entry = by_level.entry(c.job_level.as_str()).or_default();
            if let Some(jpm) = c.jpm {
                entry.push((c.participant.as_str(), jpm));
            }
        }
        let p = u32::from(self.fast_track_percent);
        let levels = by_level
            .into_iter()
            .map(|(level, mut people)| {
                people.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                let n = people.len() as u32;
                let quota = (n * p).div_ceil(100);
                let threshold = quota
                    .checked_sub(1)
                    .and_then(|i| people.get(i as usize))
                    .map(|x| x.1);
                let flagged = match threshold {
                    Some(t) => people
                        .iter()
                        .take_while(|x| x.1 >= t)
                        .map(|x| x.0.to_owned())
                        .collect(),
                    None => Vec::new(),
                };
                FastTrackLevel {
                    job_level: level.to_owned(),
                    eligible: n,
                    quota,
                    threshold,
                    flagged,
                }
            })
            .collect();
        FastTrack {
            rule_version: self.version,
            levels,
        }
    }
}

impl RuleDocument for DevelopmentRule {
    fn version(&self) -> u32 {
        self.version
    }

    fn validate(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        version_problem(self.version, &mut errs);
        decimals_problem("decimals", self.decimals, &mut errs);
        if !(1..=10).contains(&self.validity_years) {
            errs.push(FieldError::top(
                "validity_years",
                "must be a whole number of years from 1 to 10",
            ));
        }
        if !(1..=100).contains(&self.fast_track_percent) {
            errs.push(FieldError::top(
                "fast_track_percent",
                "must be a whole percentage from 1 to 100",
            ));
        }
        for (i, r) in self.routes.iter().enumerate() {
            let at = format!("routes[{i}]");
            if let AppliesTo::Competencies(codes) = &r.applies_to {
                if codes.is_empty() {
                    errs.push(FieldError::top(
                        format!("{at}.applies_to.competencies"),
                        "needs at least one competency code",
                    ));
                }
                let mut ids =
                    UniqueIds::new("competency code", COMPETENCY_CODE_FORM, is_competency_code);
                for (j, code) in codes.iter().enumerate() {
                    if let Some(problem) = ids.check(code) {
                        errs.push(FieldError::top(
                            format!("{at}.applies_to.competencies[{j}]"),
                            problem,
                        ));
                    }
                }
            }
            if !(1..=4).contains(&r.min_shortfall) {
                errs.push(FieldError::top(
                    format!("{at}.min_shortfall"),
                    "must be from 1 to 4 levels",
                ));
            }
            if !(r.min_shortfall..=4).contains(&r.max_shortfall) {
                errs.push(FieldError::top(
                    format!("{at}.max_shortfall"),
                    "must be from min_shortfall to 4 levels",
                ));
            }
        }
        for (i, sug) in self.suggestions.iter().enumerate() {
            let at = format!("suggestions[{i}]");
            if !is_competency_code(&sug.competency) {
                errs.push(FieldError::top(
                    format!("{at}.competency"),
                    format!(
                        "'{}' is not a competency code ({COMPETENCY_CODE_FORM})",
                        sug.competency
                    ),
                ));
            }
            if sug.levels.is_empty()
                || sug.levels.iter().any(|l| Level::new(*l).is_err())
                || sug
                    .levels
                    .iter()
                    .enumerate()
                    .any(|(j, l)| sug.levels[..j].contains(l))
            {
                errs.push(FieldError::top(
                    format!("{at}.levels"),
                    "needs levels from 1 to 5, each once",
                ));
            }
            for problem in sug.text.problems() {
                errs.push(FieldError::top(format!("{at}.text"), problem));
            }
        }
        for group in [
            CompetencyGroup::Technical,
            CompetencyGroup::ManagerialSocioCultural,
        ] {
            for shortfall in 1..=4u8 {
                let covered = self.routes.iter().any(|r| {
                    matches!(r.applies_to, AppliesTo::Group(g) if g == group)
                        && (r.min_shortfall..=r.max_shortfall).contains(&shortfall)
                });
                if !covered {
                    let name = match group {
                        CompetencyGroup::Technical => "technical",
                        CompetencyGroup::ManagerialSocioCultural => "managerial_socio_cultural",
                    };
                    errs.push(FieldError::top(
                        "routes",
                        format!(
                            "no group rule gives a route to a {name} competency {shortfall} \
                             level(s) below standard"
                        ),
                    ));
                }
            }
        }
        errs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::competency::jpm::{Achieved, JpmRule, Standard};
    use crate::domain::competency::test_support::assert_seed_is;

    fn lv(n: u8) -> Level {
        Level::new(n).unwrap()
    }

    fn jpm(standard: &[(&str, u8)], achieved: &[(&str, u8)]) -> JpmResult {
        let s: Standard = standard
            .iter()
            .map(|(c, n)| ((*c).into(), lv(*n)))
            .collect();
        let a: Achieved = achieved
            .iter()
            .map(|(c, n)| ((*c).into(), lv(*n)))
            .collect();
        JpmRule::defaults()
            .job_person_match(&s, &a, "Administrator")
            .unwrap()
    }

    #[test]
    fn the_seeded_suggestions_cover_every_level_below_five_of_the_nine_competencies() {
        let rule = DevelopmentRule::defaults();
        for code in crate::domain::competency::MANAGERIAL_SOCIO_CULTURAL {
            for n in 1..=4 {
                let s = rule.suggestion_for(code, Level::new(n).unwrap());
                assert!(s.is_some_and(|s| s.text.en.is_some()), "{code} at {n}");
            }
            assert!(rule.suggestion_for(code, Level::new(5).unwrap()).is_none());
        }
        let mut bad = rule.clone();
        bad.suggestions[0].levels = vec![2, 2];
        bad.suggestions[1].text.id = " ".into();
        let fields: Vec<String> = bad.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["suggestions[0].levels", "suggestions[1].text"]);
    }

    #[test]
    fn the_seeded_rule_is_valid_and_is_the_seed_file() {
        assert_eq!(DevelopmentRule::defaults().validate(), vec![]);
        assert_seed_is(
            include_str!("../../seed/competency/development.json"),
            &DevelopmentRule::defaults(),
        );
    }

    #[test]
    fn each_shortfall_gets_its_route_and_a_competency_rule_listed_first_wins() {
        let r = jpm(
            &[("INT", 3), ("KOM", 3), ("PB", 3), ("PP", 3), ("TEK-1", 4)],
            &[("INT", 3), ("KOM", 2), ("PB", 1), ("PP", 4), ("TEK-1", 1)],
        );
        let mut rule = DevelopmentRule::defaults();
        let needs: Vec<(String, u8, Option<Route>)> = rule
            .needs(&r)
            .needs
            .into_iter()
            .map(|n| (n.competency, n.shortfall, n.route))
            .collect();
        assert_eq!(
            needs,
            [
                ("KOM".to_owned(), 1, Some(Route::Mentoring)),
                ("PB".to_owned(), 2, Some(Route::LeadershipCoaching)),
                ("TEK-1".to_owned(), 3, Some(Route::TechnicalTraining)),
            ]
        );
        rule.routes.insert(
            0,
            RouteRule {
                applies_to: AppliesTo::Competencies(vec!["PB".into()]),
                min_shortfall: 1,
                max_shortfall: 4,
                route: Route::Mentoring,
            },
        );
        assert_eq!(rule.validate(), vec![]);
        assert_eq!(rule.needs(&r).needs[1].route, Some(Route::Mentoring));
        assert_eq!(rule.needs(&r).rule_version, 1);
    }

    #[test]
    fn a_unit_counts_who_is_below_standard_and_by_how_much_on_average() {
        let standard = [("INT", 3), ("KOM", 3)];
        let p1 = jpm(&standard, &[("INT", 3), ("KOM", 2)]);
        let p2 = jpm(&standard, &[("INT", 2), ("KOM", 1)]);
        let p3 = jpm(&standard, &[("INT", 3), ("KOM", 3)]);
        let p4 = jpm(&standard, &[("INT", 4)]); // incomplete JPM, still counts on INT
        let unit = DevelopmentRule::defaults().unit_needs(&[&p1, &p2, &p3, &p4]);
        assert_eq!(
            unit.competencies,
            [
                // INT: 4 assessed, 1 below (gap −1): 25 %, mean gap −1.
                UnitNeed {
                    competency: "INT".into(),
                    assessed: 4,
                    below: 1,
                    share_percent: 25.0,
                    mean_gap_below: Some(-1.0),
                },
                // KOM: 3 assessed, 2 below (−1, −2): 66.666… → 66.67 %, mean (−1 − 2) ÷ 2 = −1.5.
                UnitNeed {
                    competency: "KOM".into(),
                    assessed: 3,
                    below: 2,
                    share_percent: 66.67,
                    mean_gap_below: Some(-1.5),
                },
            ]
        );
    }

    fn people(level: &str, jpms: &[f64]) -> Vec<FastTrackCandidate> {
        jpms.iter()
            .enumerate()
            .map(|(i, &j)| FastTrackCandidate {
                participant: format!("{level}-{i:02}"),
                job_level: level.into(),
                jpm: Some(j),
            })
            .collect()
    }

    #[test]
    fn the_fast_track_takes_the_ceiling_of_ten_percent_per_job_level_with_boundary_ties() {
        // Administrator: 25 people, JPM 100, 99, …, 76 → k = ⌈25 × 10 ÷ 100⌉ = ⌈2.5⌉ = 3.
        let admin: Vec<f64> = (0..25).map(|i| 100.0 - f64::from(i)).collect();
        let mut all = people("Administrator", &admin);
        // Pengawas: 11 people → k = ⌈1.1⌉ = 2; the 2nd and 3rd tie at 95 → 3 flagged.
        all.extend(people(
            "Pengawas",
            &[
                97.0, 95.0, 95.0, 90.0, 88.0, 80.0, 80.0, 79.0, 75.0, 70.0, 60.0,
            ],
        ));
        // Pelaksana: one person with a JPM (k = ⌈0.1⌉ = 1) and one incomplete (not counted).
        all.extend(people("Pelaksana", &[70.0]));
        all.push(FastTrackCandidate {
            participant: "Pelaksana-99".into(),
            job_level: "Pelaksana".into(),
            jpm: None,
        });
        let ft = DevelopmentRule::defaults().fast_track(&all);
        let summary: Vec<(&str, u32, u32, Option<f64>, usize)> = ft
            .levels
            .iter()
            .map(|l| {
                (
                    l.job_level.as_str(),
                    l.eligible,
                    l.quota,
                    l.threshold,
                    l.flagged.len(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("Administrator", 25, 3, Some(98.0), 3),
                ("Pelaksana", 1, 1, Some(70.0), 1),
                ("Pengawas", 11, 2, Some(95.0), 3),
            ]
        );
        assert_eq!(
            ft.levels[2].flagged,
            ["Pengawas-00", "Pengawas-01", "Pengawas-02"]
        );
    }

    #[test]
    fn a_document_without_validity_years_keeps_results_valid_for_three_years() {
        let mut doc = serde_json::to_value(DevelopmentRule::defaults()).unwrap();
        doc.as_object_mut().unwrap().remove("validity_years");
        let rule: DevelopmentRule = serde_json::from_value(doc).unwrap();
        assert_eq!(rule.validity_years, 3);
        assert!(rule.validate().is_empty());
    }

    #[test]
    fn validation_names_bad_shortfall_ranges_an_empty_code_list_and_an_uncovered_shortfall() {
        let mut rule = DevelopmentRule::defaults();
        rule.routes[2].min_shortfall = 3; // leaves a managerial shortfall of 2 without a route
        rule.routes.push(RouteRule {
            applies_to: AppliesTo::Competencies(vec![]),
            min_shortfall: 0,
            max_shortfall: 5,
            route: Route::Mentoring,
        });
        rule.fast_track_percent = 0;
        rule.validity_years = 0;
        let fields: Vec<String> = rule.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "validity_years",
                "fast_track_percent",
                "routes[3].applies_to.competencies",
                "routes[3].min_shortfall",
                "routes[3].max_shortfall",
                "routes",
            ]
        );
    }
}
