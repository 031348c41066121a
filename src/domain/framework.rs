//! The competency framework of an organisation (PermenPANRB 38/2017): managerial,
//! socio-cultural and technical competencies, each with proficiency levels 1–5 that carry a
//! description and behavioural indicators.
//!
//! A framework is edited as a whole document ([`FrameworkDoc`]) and checked whole by
//! [`parse_framework`], which names every problem with its field path at once. What the
//! organisation must keep (the seeded managerial and socio-cultural competencies, and the
//! competencies its job standards require) is data the caller passes in [`FrameworkRules`].
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::text::Text;
use super::FieldError;

/// The lowest proficiency level.
pub const LOWEST_LEVEL: u8 = 1;
/// The highest proficiency level.
pub const HIGHEST_LEVEL: u8 = 5;
/// Most competencies one framework may hold.
pub const MAX_COMPETENCIES: usize = 60;
/// Most behavioural indicators one level may list.
pub const MAX_INDICATORS: usize = 8;
/// Longest competency name, in characters.
pub const MAX_NAME_CHARS: usize = 120;
/// Longest definition, level description or indicator, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;

/// A proficiency level, 1 (individual work) to 5 (organisation and national scope).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct ProficiencyLevel(u8);

impl ProficiencyLevel {
    /// Parses a level: a whole number from 1 to 5.
    pub fn parse(n: i64) -> Result<Self, String> {
        if (i64::from(LOWEST_LEVEL)..=i64::from(HIGHEST_LEVEL)).contains(&n) {
            Ok(Self(n as u8))
        } else {
            Err(format!(
                "{n} is not a proficiency level: levels run from {LOWEST_LEVEL} to {HIGHEST_LEVEL}"
            ))
        }
    }

    /// The level as a number.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for ProficiencyLevel {
    type Error = String;
    fn try_from(n: i64) -> Result<Self, String> {
        Self::parse(n)
    }
}

impl From<ProficiencyLevel> for u8 {
    fn from(l: ProficiencyLevel) -> u8 {
        l.0
    }
}

/// The three kinds of competency of the regulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompetencyKind {
    /// Manajerial: leading and managing work and people.
    Managerial,
    /// Sosial kultural: working with a diverse society.
    SocioCultural,
    /// Teknis: the knowledge and skills of one field of work, defined by the organisation.
    Technical,
}

impl CompetencyKind {
    /// Every kind.
    pub const ALL: [CompetencyKind; 3] = [
        CompetencyKind::Managerial,
        CompetencyKind::SocioCultural,
        CompetencyKind::Technical,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CompetencyKind::Managerial => "managerial",
            CompetencyKind::SocioCultural => "socio_cultural",
            CompetencyKind::Technical => "technical",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!("unknown kind '{s}': expected managerial, socio_cultural or technical")
            })
    }
}

/// One proficiency level of a competency, as written in a framework document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelDoc {
    /// The level, 1 to 5; a competency lists each once, in order.
    #[schema(minimum = 1, maximum = 5)]
    pub level: i64,
    /// What a person at this level does, in a sentence or two.
    pub description: Text,
    /// Observable behaviours that show the level (at least one).
    pub indicators: Vec<Text>,
}

/// One competency of a framework document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetencyDoc {
    /// Stable code, `A–Z 0–9 -`, starting with a letter (e.g. `INT`); job standards and results
    /// name the competency by it.
    pub code: String,
    /// `managerial`, `socio_cultural` or `technical`.
    #[schema(value_type = CompetencyKind)]
    pub kind: String,
    /// Name.
    pub name: Text,
    /// What the competency is about.
    pub definition: Text,
    /// Levels 1 to 5, in order.
    pub levels: Vec<LevelDoc>,
}

/// A whole framework as sent, stored and read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkDoc {
    /// The competencies, in the order pages show them.
    pub competencies: Vec<CompetencyDoc>,
}

/// What a new framework version must keep.
#[derive(Debug, Clone, Default)]
pub struct FrameworkRules {
    /// Codes that may be reworded but not removed, with the kind they must keep (the seeded
    /// managerial and socio-cultural competencies).
    pub protected: BTreeMap<String, CompetencyKind>,
    /// Codes that job standards require, with how many standards require each.
    pub in_use: BTreeMap<String, usize>,
}

/// A framework whose document passed [`parse_framework`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Framework {
    doc: FrameworkDoc,
}

impl Framework {
    /// A framework read back from the store, where only checked documents are written.
    pub fn from_stored(doc: FrameworkDoc) -> Self {
        Self { doc }
    }

    /// The document.
    pub fn doc(&self) -> &FrameworkDoc {
        &self.doc
    }

    /// The codes, in the framework's order.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.doc.competencies.iter().map(|c| c.code.as_str())
    }

    /// The competency with this code, compared without regard to case.
    pub fn find(&self, code: &str) -> Option<&CompetencyDoc> {
        self.doc
            .competencies
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code.trim()))
    }

    /// The codes of the competencies of `kind`.
    pub fn codes_of(&self, kind: CompetencyKind) -> Vec<&str> {
        self.doc
            .competencies
            .iter()
            .filter(|c| c.kind == kind.as_str())
            .map(|c| c.code.as_str())
            .collect()
    }

    /// The codes in a few words, for messages: `INT, KS, KOM, …`.
    pub fn code_list(&self) -> String {
        self.codes().collect::<Vec<_>>().join(", ")
    }
}

/// Whether `s` is a competency code: 1–16 of `A–Z 0–9 -`, starting with a letter.
pub fn is_competency_code(s: &str) -> bool {
    super::is_code(s, 16, |b| {
        b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'
    }) && s.as_bytes()[0].is_ascii_uppercase()
}

/// Checks a whole framework document against itself and `rules`. Texts and codes are trimmed.
/// Returns the framework, or every problem, each named by its field path (and the competency's
/// code, when it has one): levels that are not exactly 1–5 in order, duplicate or malformed
/// codes, unknown kinds, empty or overlong texts, a protected competency removed or given another
/// kind, a competency a job standard requires removed.
pub fn parse_framework(
    mut doc: FrameworkDoc,
    rules: &FrameworkRules,
) -> Result<Framework, Vec<FieldError>> {
    trim(&mut doc);
    let mut errors = Vec::new();
    if doc.competencies.is_empty() {
        errors.push(FieldError::top(
            "competencies",
            "the framework has no competencies",
        ));
    }
    if doc.competencies.len() > MAX_COMPETENCIES {
        errors.push(FieldError::top(
            "competencies",
            format!(
                "the framework has {} competencies; at most {MAX_COMPETENCIES} are allowed",
                doc.competencies.len()
            ),
        ));
    }
    let mut first_at: HashMap<&str, usize> = HashMap::new();
    for (i, c) in doc.competencies.iter().enumerate() {
        let at = format!("competencies[{i}]");
        let mut fail = |field: String, message: String| {
            errors.push(if c.code.is_empty() {
                FieldError::top(field, message)
            } else {
                FieldError::item(&c.code, field, message)
            })
        };
        if !is_competency_code(&c.code) {
            fail(
                format!("{at}.code"),
                format!(
                    "'{}' is not a valid competency code (1–16 of A–Z 0–9 -, starting with a letter)",
                    c.code
                ),
            );
        } else if let Some(first) = first_at.get(c.code.as_str()) {
            fail(
                format!("{at}.code"),
                format!(
                    "duplicate code '{}': competencies[{first}] has it too",
                    c.code
                ),
            );
        } else {
            first_at.insert(&c.code, i);
        }
        match CompetencyKind::parse(&c.kind) {
            Err(m) => fail(format!("{at}.kind"), m),
            Ok(kind) => {
                if let Some(&kept) = rules.protected.get(&c.code) {
                    if kept != kind {
                        fail(
                            format!("{at}.kind"),
                            format!(
                                "{} is a seeded {} competency: its kind cannot change",
                                c.code,
                                kept.as_str()
                            ),
                        );
                    }
                }
            }
        }
        for m in text_problems(&c.name, MAX_NAME_CHARS) {
            fail(format!("{at}.name"), m);
        }
        for m in text_problems(&c.definition, MAX_TEXT_CHARS) {
            fail(format!("{at}.definition"), m);
        }
        if let Some(m) = level_sequence_problem(&c.levels) {
            fail(format!("{at}.levels"), m);
        }
        for (j, l) in c.levels.iter().enumerate() {
            let at = format!("{at}.levels[{j}]");
            for m in text_problems(&l.description, MAX_TEXT_CHARS) {
                fail(format!("{at}.description"), m);
            }
            if l.indicators.is_empty() {
                fail(
                    format!("{at}.indicators"),
                    "each level needs at least one behavioural indicator".into(),
                );
            }
            if l.indicators.len() > MAX_INDICATORS {
                fail(
                    format!("{at}.indicators"),
                    format!(
                        "{} indicators; at most {MAX_INDICATORS} are allowed",
                        l.indicators.len()
                    ),
                );
            }
            for (k, ind) in l.indicators.iter().enumerate() {
                for m in text_problems(ind, MAX_TEXT_CHARS) {
                    fail(format!("{at}.indicators[{k}]"), m);
                }
            }
        }
    }
    for (code, kind) in &rules.protected {
        if !first_at.contains_key(code.as_str()) {
            errors.push(FieldError::item(
                code,
                "competencies",
                format!(
                    "the seeded {} competency {code} cannot be removed; it can be reworded",
                    kind.as_str()
                ),
            ));
        }
    }
    for (code, &standards) in &rules.in_use {
        // A protected competency's removal is already named above, once.
        let named = rules.protected.contains_key(code);
        if standards > 0 && !named && !first_at.contains_key(code.as_str()) {
            errors.push(FieldError::item(
                code,
                "competencies",
                format!(
                    "{code} is required by {standards} job standard(s): \
                     take it out of them before removing it"
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Framework { doc })
    } else {
        Err(errors)
    }
}

fn trim(doc: &mut FrameworkDoc) {
    fn text(t: &mut Text) {
        t.id = t.id.trim().to_owned();
        if let Some(en) = &mut t.en {
            *en = en.trim().to_owned();
        }
    }
    for c in &mut doc.competencies {
        c.code = c.code.trim().to_owned();
        c.kind = c.kind.trim().to_owned();
        text(&mut c.name);
        text(&mut c.definition);
        for l in &mut c.levels {
            text(&mut l.description);
            l.indicators.iter_mut().for_each(text);
        }
    }
}

/// Problems of a shown text: empty, too long, or with control characters.
fn text_problems(t: &Text, max: usize) -> Vec<String> {
    let mut out: Vec<String> = t.problems().into_iter().map(str::to_owned).collect();
    for (lang, s) in [("id", Some(&t.id)), ("en", t.en.as_ref())] {
        let Some(s) = s else { continue };
        if s.chars().count() > max {
            out.push(format!("the text ({lang}) is longer than {max} characters"));
        }
        if s.chars().any(char::is_control) {
            out.push(format!(
                "the text ({lang}) must not contain control characters (line breaks, tabs)"
            ));
        }
    }
    out
}

/// What is wrong with a competency's list of levels, unless it is exactly 1, 2, 3, 4, 5.
fn level_sequence_problem(levels: &[LevelDoc]) -> Option<String> {
    let found: Vec<i64> = levels.iter().map(|l| l.level).collect();
    let wanted: Vec<i64> = (i64::from(LOWEST_LEVEL)..=i64::from(HIGHEST_LEVEL)).collect();
    if found == wanted {
        return None;
    }
    let list = |v: &[i64]| v.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let mut why = Vec::new();
    let missing: Vec<i64> = wanted
        .iter()
        .copied()
        .filter(|w| !found.contains(w))
        .collect();
    if !missing.is_empty() {
        why.push(format!("skips level {}", list(&missing)));
    }
    let outside: Vec<i64> = found
        .iter()
        .copied()
        .filter(|f| !wanted.contains(f))
        .collect();
    if !outside.is_empty() {
        why.push(format!(
            "level {} is outside {LOWEST_LEVEL}–{HIGHEST_LEVEL}",
            list(&outside)
        ));
    }
    let mut repeated: Vec<i64> = wanted
        .iter()
        .copied()
        .filter(|w| found.iter().filter(|f| *f == w).count() > 1)
        .collect();
    repeated.dedup();
    if !repeated.is_empty() {
        why.push(format!("level {} appears more than once", list(&repeated)));
    }
    if why.is_empty() {
        why.push("they are not in order".into());
    }
    Some(format!(
        "the levels must be exactly {} in order; found [{}]: {}",
        list(&wanted),
        list(&found),
        why.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text::new(s, s)
    }

    fn competency(code: &str, kind: &str) -> CompetencyDoc {
        CompetencyDoc {
            code: code.into(),
            kind: kind.into(),
            name: text(&format!("Name of {code}")),
            definition: text("What it is about"),
            levels: (1..=5)
                .map(|n| LevelDoc {
                    level: n,
                    description: text(&format!("Level {n}")),
                    indicators: vec![text("One behaviour"), text("Another behaviour")],
                })
                .collect(),
        }
    }

    fn doc(codes: &[(&str, &str)]) -> FrameworkDoc {
        FrameworkDoc {
            competencies: codes.iter().map(|(c, k)| competency(c, k)).collect(),
        }
    }

    fn protected() -> FrameworkRules {
        FrameworkRules {
            protected: [
                ("INT".to_owned(), CompetencyKind::Managerial),
                ("PB".to_owned(), CompetencyKind::SocioCultural),
            ]
            .into(),
            in_use: BTreeMap::new(),
        }
    }

    /// (field, message) of every problem, in order.
    fn problems(doc: FrameworkDoc, rules: &FrameworkRules) -> Vec<(String, String)> {
        parse_framework(doc, rules)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect()
    }

    #[test]
    fn a_framework_with_five_levels_each_and_its_protected_codes_parses() {
        let fw = parse_framework(
            doc(&[
                ("INT", "managerial"),
                ("PB", "socio_cultural"),
                ("TK-GIS", "technical"),
            ]),
            &protected(),
        )
        .unwrap();
        assert_eq!(fw.codes().collect::<Vec<_>>(), ["INT", "PB", "TK-GIS"]);
        assert_eq!(fw.find("tk-gis").unwrap().code, "TK-GIS");
        assert_eq!(fw.codes_of(CompetencyKind::Technical), ["TK-GIS"]);
    }

    #[test]
    fn codes_and_texts_are_trimmed() {
        let mut d = doc(&[("INT", "managerial"), ("PB", "socio_cultural")]);
        d.competencies[0].code = " INT ".into();
        d.competencies[0].name = Text::new(" Integritas ", " Integrity ");
        let fw = parse_framework(d, &protected()).unwrap();
        assert_eq!(fw.doc().competencies[0].code, "INT");
        assert_eq!(
            fw.doc().competencies[0].name,
            Text::new("Integritas", "Integrity")
        );
    }

    #[test]
    fn a_competency_that_skips_a_level_is_named_with_the_level_it_skips() {
        let mut d = doc(&[("INT", "managerial"), ("PB", "socio_cultural")]);
        d.competencies[1].levels.remove(2);
        assert_eq!(
            problems(d, &protected()),
            [(
                "competencies[1].levels".to_owned(),
                "the levels must be exactly 1, 2, 3, 4, 5 in order; found [1, 2, 4, 5]: skips level 3"
                    .to_owned()
            )]
        );
    }

    #[test]
    fn levels_out_of_order_repeated_or_out_of_range_are_each_explained() {
        let mut d = doc(&[("INT", "managerial"), ("PB", "socio_cultural")]);
        d.competencies[0].levels.swap(0, 1);
        d.competencies[1].levels[4].level = 6;
        let repeated = LevelDoc {
            level: 2,
            ..d.competencies[1].levels[1].clone()
        };
        d.competencies[1].levels.push(repeated);
        let found = problems(d, &protected());
        assert_eq!(
            found,
            [
                (
                    "competencies[0].levels".to_owned(),
                    "the levels must be exactly 1, 2, 3, 4, 5 in order; found [2, 1, 3, 4, 5]: \
                     they are not in order"
                        .to_owned()
                ),
                (
                    "competencies[1].levels".to_owned(),
                    "the levels must be exactly 1, 2, 3, 4, 5 in order; found [1, 2, 3, 4, 6, 2]: \
                     skips level 5; level 6 is outside 1–5; level 2 appears more than once"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn duplicate_and_malformed_codes_and_unknown_kinds_are_refused() {
        let d = doc(&[
            ("INT", "managerial"),
            ("PB", "socio_cultural"),
            ("INT", "managerial"),
            ("tk gis", "technical"),
            ("TK1", "teknis"),
        ]);
        let found = problems(d, &protected());
        assert_eq!(
            found,
            [
                (
                    "competencies[2].code".to_owned(),
                    "duplicate code 'INT': competencies[0] has it too".to_owned()
                ),
                (
                    "competencies[3].code".to_owned(),
                    "'tk gis' is not a valid competency code (1–16 of A–Z 0–9 -, starting with a letter)"
                        .to_owned()
                ),
                (
                    "competencies[4].kind".to_owned(),
                    "unknown kind 'teknis': expected managerial, socio_cultural or technical"
                        .to_owned()
                ),
            ]
        );
        let errors = parse_framework(
            doc(&[
                ("INT", "managerial"),
                ("PB", "socio_cultural"),
                ("INT", "x"),
            ]),
            &protected(),
        )
        .unwrap_err();
        assert_eq!(errors[0].item.as_deref(), Some("INT"), "named by its code");
    }

    #[test]
    fn empty_names_descriptions_and_indicators_are_named_by_path() {
        let mut d = doc(&[("INT", "managerial"), ("PB", "socio_cultural")]);
        d.competencies[0].name = Text {
            id: " ".into(),
            en: None,
        };
        d.competencies[1].levels[3].description = Text {
            id: "Ada".into(),
            en: Some(String::new()),
        };
        d.competencies[1].levels[0].indicators.clear();
        d.competencies[1].levels[1].indicators[1].id = String::new();
        d.competencies[1].definition.id = "x".repeat(MAX_TEXT_CHARS + 1);
        let fields: Vec<String> = problems(d, &protected())
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            [
                "competencies[0].name",
                "competencies[1].definition",
                "competencies[1].levels[0].indicators",
                "competencies[1].levels[1].indicators[1]",
                "competencies[1].levels[3].description",
            ]
        );
    }

    #[test]
    fn a_seeded_competency_can_be_reworded_but_not_removed_or_given_another_kind() {
        let mut d = doc(&[("INT", "managerial"), ("PB", "socio_cultural")]);
        d.competencies[0].name = Text::new("Integritas dan Etika", "Integrity and Ethics");
        assert!(parse_framework(d, &protected()).is_ok());

        let d = doc(&[("INT", "technical"), ("TK", "technical")]);
        assert_eq!(
            problems(d, &protected()),
            [
                (
                    "competencies[0].kind".to_owned(),
                    "INT is a seeded managerial competency: its kind cannot change".to_owned()
                ),
                (
                    "competencies".to_owned(),
                    "the seeded socio_cultural competency PB cannot be removed; it can be reworded"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn a_competency_a_job_standard_requires_cannot_be_removed() {
        let mut rules = protected();
        rules.in_use.insert("TK-GIS".into(), 2);
        rules.in_use.insert("INT".into(), 14);
        rules.in_use.insert("PB".into(), 14);
        // PB's removal is named once, as a protected competency's.
        let d = doc(&[("INT", "managerial")]);
        assert_eq!(
            problems(d, &rules),
            [
                (
                    "competencies".to_owned(),
                    "the seeded socio_cultural competency PB cannot be removed; it can be reworded"
                        .to_owned()
                ),
                (
                    "competencies".to_owned(),
                    "TK-GIS is required by 2 job standard(s): take it out of them before removing it"
                        .to_owned()
                )
            ]
        );
    }

    #[test]
    fn an_empty_framework_is_refused_and_so_is_every_protected_code_it_lacks() {
        let errors = parse_framework(FrameworkDoc::default_empty(), &protected()).unwrap_err();
        let items: Vec<Option<&str>> = errors.iter().map(|e| e.item.as_deref()).collect();
        assert_eq!(items, [None, Some("INT"), Some("PB")]);
    }

    #[test]
    fn proficiency_levels_run_from_one_to_five() {
        assert_eq!(ProficiencyLevel::parse(1).unwrap().get(), 1);
        assert_eq!(ProficiencyLevel::parse(5).unwrap().get(), 5);
        assert_eq!(
            ProficiencyLevel::parse(0).unwrap_err(),
            "0 is not a proficiency level: levels run from 1 to 5"
        );
        assert!(ProficiencyLevel::parse(6).is_err());
        let l: ProficiencyLevel = serde_json::from_str("4").unwrap();
        assert_eq!(serde_json::to_string(&l).unwrap(), "4");
        assert!(serde_json::from_str::<ProficiencyLevel>("9").is_err());
    }

    #[test]
    fn unknown_fields_of_a_document_are_refused() {
        let r: Result<FrameworkDoc, _> =
            serde_json::from_str(r#"{"competencies": [], "version": 3}"#);
        assert!(r.is_err());
    }

    impl FrameworkDoc {
        fn default_empty() -> Self {
            Self {
                competencies: Vec::new(),
            }
        }
    }
}
