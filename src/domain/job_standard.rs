//! Job competency standards: the level (1–5) a job requires in each competency of the
//! framework. A standard is for a job level (JPT Utama … Pemula) and, optionally, one position
//! within it; a position's own standard overrides the job level's.
//!
//! Standards arrive as JSON ([`StandardDoc`], [`LevelsDoc`]) or as a CSV file HR keeps in a
//! spreadsheet ([`parse_standards_csv`], columns `job_level`, `position` and one per competency
//! code), and leave as the same file ([`standards_csv`]), so a file exported and imported again
//! changes nothing. Which standard applies to a person is [`choose`]: it never falls back to a
//! default, it says "none".
use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use super::csv_upload::LineCounter;
use super::framework::{Framework, ProficiencyLevel};
use super::spreadsheet::text_cell;
use super::FieldError;

/// Longest position name, in characters.
pub const MAX_POSITION_CHARS: usize = 200;
/// Most standards one file may hold.
pub const MAX_ROWS: usize = 2_000;

/// Job levels of the civil service: structural posts (JPT, administrator, supervisor,
/// implementer) and the grades of functional posts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum JobLevel {
    /// Jabatan Pimpinan Tinggi Utama.
    JptUtama,
    /// Jabatan Pimpinan Tinggi Madya.
    JptMadya,
    /// Jabatan Pimpinan Tinggi Pratama.
    JptPratama,
    /// Jabatan Administrator.
    Administrator,
    /// Jabatan Pengawas.
    Pengawas,
    /// Jabatan Pelaksana.
    Pelaksana,
    /// Functional, expert track: Ahli Utama.
    AhliUtama,
    /// Functional, expert track: Ahli Madya.
    AhliMadya,
    /// Functional, expert track: Ahli Muda.
    AhliMuda,
    /// Functional, expert track: Ahli Pertama.
    AhliPertama,
    /// Functional, skilled track: Penyelia.
    Penyelia,
    /// Functional, skilled track: Mahir.
    Mahir,
    /// Functional, skilled track: Terampil.
    Terampil,
    /// Functional, skilled track: Pemula.
    Pemula,
}

/// Whether a job level is a structural post or a functional grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobFamily {
    /// JPT, administrator, supervisor, implementer.
    Structural,
    /// The grades of functional posts.
    Functional,
}

impl JobLevel {
    /// Every job level, highest structural first, then the functional grades from the top.
    pub const ALL: [JobLevel; 14] = [
        JobLevel::JptUtama,
        JobLevel::JptMadya,
        JobLevel::JptPratama,
        JobLevel::Administrator,
        JobLevel::Pengawas,
        JobLevel::Pelaksana,
        JobLevel::AhliUtama,
        JobLevel::AhliMadya,
        JobLevel::AhliMuda,
        JobLevel::AhliPertama,
        JobLevel::Penyelia,
        JobLevel::Mahir,
        JobLevel::Terampil,
        JobLevel::Pemula,
    ];

    /// The name as HR writes it, stored and shown.
    pub fn name(self) -> &'static str {
        match self {
            JobLevel::JptUtama => "JPT Utama",
            JobLevel::JptMadya => "JPT Madya",
            JobLevel::JptPratama => "JPT Pratama",
            JobLevel::Administrator => "Administrator",
            JobLevel::Pengawas => "Pengawas",
            JobLevel::Pelaksana => "Pelaksana",
            JobLevel::AhliUtama => "Ahli Utama",
            JobLevel::AhliMadya => "Ahli Madya",
            JobLevel::AhliMuda => "Ahli Muda",
            JobLevel::AhliPertama => "Ahli Pertama",
            JobLevel::Penyelia => "Penyelia",
            JobLevel::Mahir => "Mahir",
            JobLevel::Terampil => "Terampil",
            JobLevel::Pemula => "Pemula",
        }
    }

    /// Structural or functional.
    pub fn family(self) -> JobFamily {
        if self >= JobLevel::AhliUtama {
            JobFamily::Functional
        } else {
            JobFamily::Structural
        }
    }

    /// Parses a job level however it is capitalised or spaced (`ahli  madya`, `AHLIMADYA`).
    pub fn parse(s: &str) -> Result<Self, String> {
        let key = match_key(s);
        Self::ALL
            .into_iter()
            .find(|l| match_key(l.name()) == key)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|l| l.name()).collect();
                format!(
                    "unknown job level '{}': expected one of {}",
                    s.trim(),
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for JobLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The form names are compared in: lower case, without any whitespace, so `Kepala Sub Bagian`
/// and `kepala subbagian` are one position.
pub fn match_key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A position (jabatan) within a job level: trimmed, runs of whitespace made one space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position(String);

impl Position {
    /// Parses a position name: 1–200 characters without control characters.
    pub fn parse(s: &str) -> Result<Self, String> {
        if s.chars().any(char::is_control) {
            return Err("must not contain control characters (line breaks, tabs)".into());
        }
        let text = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err("must not be empty; leave the position out for the whole job level".into());
        }
        if text.chars().count() > MAX_POSITION_CHARS {
            return Err(format!("must be at most {MAX_POSITION_CHARS} characters"));
        }
        Ok(Self(text))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name in the form positions are compared in ([`match_key`]).
    pub fn key(&self) -> String {
        match_key(&self.0)
    }
}

/// The stored key of an optional position: its [`match_key`], empty for "the whole job level".
pub fn position_key(position: Option<&Position>) -> String {
    position.map(Position::key).unwrap_or_default()
}

/// Required level per competency code; at least one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RequiredLevels(BTreeMap<String, ProficiencyLevel>);

impl RequiredLevels {
    /// Levels read back from the store, where only checked levels are written.
    pub fn from_stored(levels: BTreeMap<String, ProficiencyLevel>) -> Self {
        Self(levels)
    }

    /// The level required in `code`, when the standard requires it.
    pub fn get(&self, code: &str) -> Option<ProficiencyLevel> {
        self.0.get(code).copied()
    }

    /// (code, level) pairs by code.
    pub fn iter(&self) -> impl Iterator<Item = (&str, ProficiencyLevel)> {
        self.0.iter().map(|(c, l)| (c.as_str(), *l))
    }

    /// The codes required.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Code → level as numbers.
    pub fn to_numbers(&self) -> BTreeMap<String, u8> {
        self.0.iter().map(|(c, l)| (c.clone(), l.get())).collect()
    }
}

/// A checked standard: job level, optional position, required levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStandard {
    job_level: JobLevel,
    position: Option<Position>,
    levels: RequiredLevels,
}

impl JobStandard {
    /// A standard from checked parts.
    pub fn new(job_level: JobLevel, position: Option<Position>, levels: RequiredLevels) -> Self {
        Self {
            job_level,
            position,
            levels,
        }
    }

    /// The job level.
    pub fn job_level(&self) -> JobLevel {
        self.job_level
    }

    /// The position, for a position's own standard.
    pub fn position(&self) -> Option<&Position> {
        self.position.as_ref()
    }

    /// The required levels.
    pub fn levels(&self) -> &RequiredLevels {
        &self.levels
    }

    /// Which standard this is, as stored: (job level, position key).
    pub fn key(&self) -> (JobLevel, String) {
        (self.job_level, position_key(self.position.as_ref()))
    }
}

/// A standard as sent to create one.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardDoc {
    /// Job level: JPT Utama, JPT Madya, JPT Pratama, Administrator, Pengawas, Pelaksana, Ahli
    /// Utama, Ahli Madya, Ahli Muda, Ahli Pertama, Penyelia, Mahir, Terampil or Pemula (case and
    /// spaces do not matter).
    pub job_level: String,
    /// A position within the job level whose own standard this is; none (or empty) for the
    /// whole job level.
    #[serde(default)]
    pub position: Option<String>,
    /// Required level (1–5) per competency code of the framework; at least one.
    pub levels: BTreeMap<String, i64>,
}

/// New required levels for an existing standard: its next version.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelsDoc {
    /// Required level (1–5) per competency code of the framework; at least one. Codes left out
    /// are no longer required.
    pub levels: BTreeMap<String, i64>,
}

/// Checks a standard against the framework; every problem named by field (`job_level`,
/// `position`, `levels`, `levels.<code>`).
pub fn parse_standard(
    doc: &StandardDoc,
    framework: &Framework,
) -> Result<JobStandard, Vec<FieldError>> {
    let mut errors = Vec::new();
    let job_level = JobLevel::parse(&doc.job_level)
        .map_err(|m| errors.push(FieldError::top("job_level", m)))
        .ok();
    let position = match doc.position.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(p) => Position::parse(p)
            .map(Some)
            .map_err(|m| errors.push(FieldError::top("position", m)))
            .ok(),
    };
    let levels = parse_levels(&doc.levels, framework)
        .map_err(|e| errors.extend(e))
        .ok();
    match (job_level, position, levels) {
        (Some(j), Some(p), Some(l)) if errors.is_empty() => Ok(JobStandard::new(j, p, l)),
        _ => Err(errors),
    }
}

/// Checks required levels against the framework: every code known (compared without regard to
/// case, stored as the framework spells it), once, with a level from 1 to 5.
pub fn parse_levels(
    levels: &BTreeMap<String, i64>,
    framework: &Framework,
) -> Result<RequiredLevels, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = BTreeMap::new();
    if levels.is_empty() {
        errors.push(FieldError::top(
            "levels",
            "a standard requires at least one competency: give a level (1–5) for it",
        ));
    }
    for (code, &n) in levels {
        let field = format!("levels.{code}");
        let Some(c) = framework.find(code) else {
            errors.push(FieldError::top(field, unknown_competency(code, framework)));
            continue;
        };
        match ProficiencyLevel::parse(n) {
            Err(m) => errors.push(FieldError::item(&c.code, field, m)),
            Ok(l) => {
                if out.insert(c.code.clone(), l).is_some() {
                    errors.push(FieldError::item(
                        &c.code,
                        field,
                        format!("{} is given twice", c.code),
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(RequiredLevels(out))
    } else {
        Err(errors)
    }
}

fn unknown_competency(code: &str, framework: &Framework) -> String {
    format!(
        "unknown competency '{}': the framework's codes are {}",
        code.trim(),
        framework.code_list()
    )
}

/// Which of `candidates` applies to someone holding `position`: the one for that position (by
/// [`match_key`]), else the one for the whole job level (position key `""`), else none. The
/// candidates are the standards of the person's job level, each with its stored position key.
pub fn choose<T>(
    position: Option<&str>,
    candidates: impl IntoIterator<Item = (String, T)>,
) -> Option<T> {
    let wanted = position.map(match_key).unwrap_or_default();
    let mut whole_level = None;
    for (key, standard) in candidates {
        if key.is_empty() {
            whole_level = Some(standard);
        } else if !wanted.is_empty() && key == wanted {
            return Some(standard);
        }
    }
    whole_level
}

/// One standard of a file, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardRow {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    /// The standard, with the levels of the file's competency columns.
    pub standard: JobStandard,
}

/// A parsed standards file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardsFile {
    /// The competency codes the file has columns for, in the framework's spelling: a stored
    /// standard keeps its levels in the others ([`merge_levels`]).
    pub columns: Vec<String>,
    /// The standards, in file order.
    pub rows: Vec<StandardRow>,
}

/// A stored standard's levels after a file's row: the file's competency columns say what is
/// required now (an empty cell: not required), the competencies it has no column for keep their
/// stored level. So a file holding only some competencies changes only those.
pub fn merge_levels(
    stored: &RequiredLevels,
    columns: &[String],
    row: &RequiredLevels,
) -> RequiredLevels {
    let mut out: BTreeMap<String, ProficiencyLevel> = stored
        .0
        .iter()
        .filter(|(code, _)| !columns.contains(code))
        .map(|(c, l)| (c.clone(), *l))
        .collect();
    out.extend(row.0.iter().map(|(c, l)| (c.clone(), *l)));
    RequiredLevels(out)
}

/// A column of the standards file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    JobLevel,
    Position,
    /// A competency, by the framework's spelling of its code.
    Competency(String),
}

impl Column {
    fn name(&self) -> &str {
        match self {
            Column::JobLevel => "job_level",
            Column::Position => "position",
            Column::Competency(code) => code,
        }
    }
}

/// Parses a standards file: a header naming `job_level`, optionally `position`, and competency
/// codes of `framework` (any case, any order), then one standard per row; an empty competency
/// cell means the job does not require it, a competency without a column is not the file's
/// business ([`merge_levels`]). Comma or semicolon separated (read from the header
/// line), UTF-8 with or without a byte-order mark; blank lines are skipped. Accepts the whole
/// file or refuses it whole with every problem by row and column: an unknown job level or
/// competency, a level outside 1–5, a job level and position given twice, a row requiring
/// nothing.
pub fn parse_standards_csv(
    bytes: &[u8],
    framework: &Framework,
) -> Result<StandardsFile, Vec<FieldError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first_line = bytes
        .split(|&b| b == b'\n')
        .find(|l| !l.trim_ascii().is_empty())
        .unwrap_or_default();
    let count = |d: u8| first_line.iter().filter(|&&b| b == d).count();
    let delimiter = if count(b';') > count(b',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut lines = LineCounter::new(bytes);
    match reader.read_byte_record(&mut record) {
        Ok(true) => {}
        Ok(false) => {
            return Err(vec![FieldError::row(
                1,
                "row",
                format!(
                    "the file is empty: its first line must name the columns \
                     (job_level, position, then competency codes: {})",
                    framework.code_list()
                ),
            )])
        }
        Err(e) => return Err(vec![FieldError::row(1, "row", csv_problem(&e))]),
    }
    let header_line = lines.line_of(record.position());
    let columns = read_header(&record, header_line, framework)?;

    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut first_seen: HashMap<(JobLevel, String), usize> = HashMap::new();
    let mut data_rows = 0usize;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = lines.line_of(e.position());
                errors.push(FieldError::row(line, "row", csv_problem(&e)));
                break;
            }
        }
        if record.iter().all(|f| f.trim_ascii().is_empty()) {
            continue;
        }
        let line = lines.line_of(record.position());
        data_rows += 1;
        if data_rows > MAX_ROWS {
            errors.push(FieldError::row(
                line,
                "row",
                format!("the file has more than {MAX_ROWS} standards: split it"),
            ));
            break;
        }
        if let Some(standard) = read_row(&record, &columns, line, &mut errors) {
            match first_seen.get(&standard.key()) {
                Some(&earlier) => errors.push(FieldError::row(
                    line,
                    if standard.position().is_some() {
                        "position"
                    } else {
                        "job_level"
                    },
                    format!(
                        "{} is on row {earlier} too: each job level and position appears once",
                        describe(&standard)
                    ),
                )),
                None => {
                    first_seen.insert(standard.key(), line);
                    rows.push(StandardRow { line, standard });
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if rows.is_empty() {
        return Err(vec![FieldError::row(
            header_line,
            "row",
            "the file has a header but no standards",
        )]);
    }
    let columns = columns
        .into_iter()
        .filter_map(|c| match c {
            Some(Column::Competency(code)) => Some(code),
            _ => None,
        })
        .collect();
    Ok(StandardsFile { columns, rows })
}

/// A standard's job level and position in words, for messages.
fn describe(s: &JobStandard) -> String {
    match s.position() {
        None => format!("{} (whole job level)", s.job_level()),
        Some(p) => format!("{} / {}", s.job_level(), p.as_str()),
    }
}

fn read_header(
    record: &csv::ByteRecord,
    line: usize,
    framework: &Framework,
) -> Result<Vec<Option<Column>>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut at: Vec<Option<Column>> = Vec::with_capacity(record.len());
    if record.len() == 1 && record.get(0).is_some_and(|h| h.contains(&b'\t')) {
        return Err(vec![FieldError::row(
            line,
            "row",
            "the columns are separated by tabs: save the file as CSV, \
             with commas or semicolons between values",
        )]);
    }
    for (i, raw) in record.iter().enumerate() {
        let Ok(h) = std::str::from_utf8(raw) else {
            errors.push(FieldError::row(line, "row", NOT_UTF8));
            at.push(None);
            continue;
        };
        let h = h.trim();
        if h.is_empty() {
            at.push(None);
            continue;
        }
        let norm: String = h
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        let column = match norm.as_str() {
            "job_level" => Column::JobLevel,
            "position" => Column::Position,
            _ => match framework.find(h) {
                Some(c) => Column::Competency(c.code.clone()),
                None => {
                    errors.push(FieldError::row(
                        line,
                        h,
                        format!(
                            "unknown column '{h}': the columns are job_level, position and the \
                             competency codes of the framework ({})",
                            framework.code_list()
                        ),
                    ));
                    at.push(None);
                    continue;
                }
            },
        };
        if let Some(first) = at.iter().position(|c| c.as_ref() == Some(&column)) {
            errors.push(FieldError::row(
                line,
                column.name(),
                format!(
                    "column '{}' appears twice (columns {} and {})",
                    column.name(),
                    first + 1,
                    i + 1
                ),
            ));
        }
        at.push(Some(column));
    }
    if !at.contains(&Some(Column::JobLevel)) {
        errors.push(FieldError::row(
            line,
            "job_level",
            "the required column 'job_level' is missing",
        ));
    }
    if !at.iter().any(|c| matches!(c, Some(Column::Competency(_)))) {
        errors.push(FieldError::row(
            line,
            "row",
            format!(
                "the file names no competency: add a column per competency code ({})",
                framework.code_list()
            ),
        ));
    }
    if errors.is_empty() {
        Ok(at)
    } else {
        Err(errors)
    }
}

/// One row's standard; its problems go to `errors`.
fn read_row(
    record: &csv::ByteRecord,
    columns: &[Option<Column>],
    line: usize,
    errors: &mut Vec<FieldError>,
) -> Option<JobStandard> {
    let before = errors.len();
    if record.len() < columns.len() {
        errors.push(FieldError::row(
            line,
            "row",
            format!(
                "this row has {} values but the header has {} columns",
                record.len(),
                columns.len()
            ),
        ));
        return None;
    }
    let mut job_level = None;
    let mut position = None;
    let mut levels = BTreeMap::new();
    for (i, raw) in record.iter().enumerate() {
        let column = columns.get(i).cloned().flatten();
        let Ok(v) = std::str::from_utf8(raw) else {
            let field = column.as_ref().map_or("row", Column::name).to_owned();
            errors.push(FieldError::row(line, field, NOT_UTF8));
            continue;
        };
        let v = v.trim();
        let Some(column) = column else {
            if !v.is_empty() {
                errors.push(FieldError::row(
                    line,
                    "row",
                    format!(
                        "value '{v}' is in column {}, which has no name in the header \
                         (a delimiter inside a value must be quoted)",
                        i + 1
                    ),
                ));
            }
            continue;
        };
        let mut fail = |m: String| errors.push(FieldError::row(line, column.name(), m));
        match &column {
            Column::JobLevel if v.is_empty() => fail("required".into()),
            Column::JobLevel => job_level = JobLevel::parse(v).map_err(&mut fail).ok(),
            Column::Position if v.is_empty() => {}
            Column::Position => {
                position = Position::parse(from_text_cell(v)).map_err(&mut fail).ok();
            }
            Column::Competency(_) if v.is_empty() => {}
            Column::Competency(code) => {
                let level = v
                    .parse::<i64>()
                    .map_err(|_| {
                        format!("'{v}' is not a level: write a whole number from 1 to 5, or leave it empty")
                    })
                    .and_then(ProficiencyLevel::parse);
                match level {
                    Ok(l) => {
                        levels.insert(code.clone(), l);
                    }
                    Err(m) => fail(m),
                }
            }
        }
    }
    if errors.len() > before {
        return None;
    }
    if levels.is_empty() {
        errors.push(FieldError::row(
            line,
            "row",
            "this row requires no competency: give a level (1–5) for at least one",
        ));
        return None;
    }
    Some(JobStandard::new(
        job_level?,
        position,
        RequiredLevels(levels),
    ))
}

/// A value as written by [`text_cell`]: the apostrophe that keeps a spreadsheet from reading a
/// text as a formula is not part of the text.
fn from_text_cell(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if matches!(rest.chars().next(), Some('=' | '+' | '-' | '@')) => rest,
        _ => v,
    }
}

/// The standards as a file [`parse_standards_csv`] reads back the same: semicolons (what Excel
/// with Indonesian regional settings reads), the header `job_level;position;` and the framework's
/// codes in its order, one row per standard, an empty cell where a competency is not required.
pub fn standards_csv<'a>(
    framework: &Framework,
    standards: impl IntoIterator<Item = &'a JobStandard>,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let codes: Vec<&str> = framework.codes().collect();
    let mut header = vec!["job_level", "position"];
    header.extend(&codes);
    w.write_record(&header)?;
    for s in standards {
        let mut row = vec![
            s.job_level().name().to_owned(),
            text_cell(s.position().map_or("", Position::as_str)),
        ];
        row.extend(codes.iter().map(|c| {
            s.levels()
                .get(c)
                .map_or_else(String::new, |l| l.get().to_string())
        }));
        w.write_record(&row)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

const NOT_UTF8: &str =
    "the text is not UTF-8: save the file as \"CSV UTF-8\" (Excel) or choose UTF-8 when exporting";

fn csv_problem(e: &csv::Error) -> String {
    format!("the file cannot be read as CSV: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::framework::{CompetencyDoc, FrameworkDoc, LevelDoc};
    use crate::domain::text::Text;

    fn framework(codes: &[&str]) -> Framework {
        let t = |s: &str| Text::new(s, s);
        Framework::from_stored(FrameworkDoc {
            competencies: codes
                .iter()
                .map(|c| CompetencyDoc {
                    code: (*c).into(),
                    kind: "managerial".into(),
                    name: t(c),
                    definition: t(c),
                    levels: (1..=5)
                        .map(|n| LevelDoc {
                            level: n,
                            description: t("d"),
                            indicators: vec![t("i")],
                        })
                        .collect(),
                })
                .collect(),
        })
    }

    fn fw() -> Framework {
        framework(&["INT", "KS", "TK-GIS"])
    }

    fn levels(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
        pairs.iter().map(|(c, l)| ((*c).to_owned(), *l)).collect()
    }

    /// (row, field, message) of every problem of a file.
    fn file_problems(csv: &str) -> Vec<(usize, String, String)> {
        parse_standards_csv(csv.as_bytes(), &fw())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.row.unwrap(), e.field, e.message))
            .collect()
    }

    #[test]
    fn job_levels_match_whatever_their_case_and_spacing() {
        assert_eq!(JobLevel::parse("JPT Pratama"), Ok(JobLevel::JptPratama));
        assert_eq!(
            JobLevel::parse("  jpt   pratama "),
            Ok(JobLevel::JptPratama)
        );
        assert_eq!(JobLevel::parse("AHLIMADYA"), Ok(JobLevel::AhliMadya));
        assert_eq!(JobLevel::parse("pelaksana"), Ok(JobLevel::Pelaksana));
        let err = JobLevel::parse("Eselon II").unwrap_err();
        assert!(
            err.starts_with("unknown job level 'Eselon II': expected one of JPT Utama, JPT Madya")
        );
        assert_eq!(JobLevel::AhliPertama.family(), JobFamily::Functional);
        assert_eq!(JobLevel::Pelaksana.family(), JobFamily::Structural);
        for l in JobLevel::ALL {
            assert_eq!(JobLevel::parse(l.name()), Ok(l));
        }
    }

    #[test]
    fn positions_are_tidied_and_compared_without_case_or_spaces() {
        let p = Position::parse("  Kepala   Sub Bagian Umum ").unwrap();
        assert_eq!(p.as_str(), "Kepala Sub Bagian Umum");
        assert_eq!(
            p.key(),
            Position::parse("kepala subbagian umum").unwrap().key()
        );
        assert!(Position::parse("   ").is_err());
        assert!(Position::parse("a\tb").is_err());
        assert!(Position::parse(&"x".repeat(201)).is_err());
    }

    #[test]
    fn a_standard_is_checked_against_the_framework_naming_every_problem() {
        let doc = StandardDoc {
            job_level: "administrator".into(),
            position: Some(" Kepala Bagian Umum ".into()),
            levels: levels(&[("int", 3), ("KS", 4)]),
        };
        let s = parse_standard(&doc, &fw()).unwrap();
        assert_eq!(s.job_level(), JobLevel::Administrator);
        assert_eq!(s.position().unwrap().as_str(), "Kepala Bagian Umum");
        assert_eq!(
            s.levels().to_numbers(),
            [("INT".to_owned(), 3), ("KS".to_owned(), 4)].into()
        );

        let doc = StandardDoc {
            job_level: "Eselon III".into(),
            position: Some("".into()),
            levels: levels(&[("INT", 0), ("XYZ", 3), ("KS", 6)]),
        };
        let fields: Vec<(String, String)> = parse_standard(&doc, &fw())
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect();
        assert_eq!(fields.len(), 4);
        assert_eq!(fields[0].0, "job_level");
        assert_eq!(
            fields[1],
            (
                "levels.INT".into(),
                "0 is not a proficiency level: levels run from 1 to 5".into()
            )
        );
        assert_eq!(fields[2].0, "levels.KS");
        assert_eq!(
            fields[3],
            (
                "levels.XYZ".into(),
                "unknown competency 'XYZ': the framework's codes are INT, KS, TK-GIS".into()
            )
        );
    }

    #[test]
    fn a_standard_requiring_nothing_or_a_code_twice_is_refused() {
        let e = parse_levels(&BTreeMap::new(), &fw()).unwrap_err();
        assert_eq!(e[0].field, "levels");
        let e = parse_levels(&levels(&[("INT", 2), ("int", 3)]), &fw()).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].message, "INT is given twice");
    }

    #[test]
    fn a_position_standard_overrides_the_job_levels_and_nothing_matching_is_none() {
        let candidates = || {
            vec![
                (String::new(), "administrator"),
                (match_key("Kepala Bagian Umum"), "kabag umum"),
                (match_key("Kepala Bagian Keuangan"), "kabag keuangan"),
            ]
        };
        assert_eq!(
            choose(Some("kepala  bagian UMUM"), candidates()),
            Some("kabag umum")
        );
        assert_eq!(
            choose(Some("Kepala Bagian Hukum"), candidates()),
            Some("administrator"),
            "another position falls back to the job level's standard"
        );
        assert_eq!(choose(None, candidates()), Some("administrator"));
        assert_eq!(choose(Some("  "), candidates()), Some("administrator"));
        let only_positions = vec![(match_key("Kepala Bagian Umum"), "kabag umum")];
        assert_eq!(
            choose(Some("Kepala Bagian Hukum"), only_positions.clone()),
            None
        );
        assert_eq!(choose(None, only_positions), None);
        assert_eq!(choose::<&str>(Some("x"), Vec::new()), None);
    }

    #[test]
    fn a_file_parses_into_standards_with_their_lines() {
        let csv = "\u{feff}Job Level;Position;int;KS;TK-GIS\r\n\
                   JPT Pratama;;4;4;\r\n\
                   \r\n\
                   administrator;Kepala Bagian Umum;3;3;2\r\n";
        let file = parse_standards_csv(csv.as_bytes(), &fw()).unwrap();
        assert_eq!(file.columns, ["INT", "KS", "TK-GIS"]);
        let rows = file.rows;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].standard.job_level(), JobLevel::JptPratama);
        assert_eq!(rows[0].standard.position(), None);
        assert_eq!(
            rows[0].standard.levels().to_numbers(),
            [("INT".to_owned(), 4), ("KS".to_owned(), 4)].into()
        );
        assert_eq!(rows[1].line, 4);
        assert_eq!(
            rows[1].standard.position().unwrap().as_str(),
            "Kepala Bagian Umum"
        );
        assert_eq!(rows[1].standard.levels().get("TK-GIS").unwrap().get(), 2);
    }

    #[test]
    fn every_bad_row_of_a_file_is_named_by_row_and_column() {
        let csv = "job_level,position,INT,KS\n\
                   Administrator,,3,3\n\
                   Eselon II,,3,3\n\
                   Pengawas,,6,x\n\
                   administrator,,2,2\n\
                   Pelaksana,,,\n\
                   Pengawas,Kepala Seksi,2,2\n\
                   PENGAWAS,kepala  seksi,2,2\n";
        let found = file_problems(csv);
        let at: Vec<(usize, &str)> = found.iter().map(|(r, f, _)| (*r, f.as_str())).collect();
        assert_eq!(
            at,
            [
                (3, "job_level"),
                (4, "INT"),
                (4, "KS"),
                (5, "job_level"),
                (6, "row"),
                (8, "position"),
            ]
        );
        assert_eq!(
            found[1].2,
            "6 is not a proficiency level: levels run from 1 to 5"
        );
        assert_eq!(
            found[2].2,
            "'x' is not a level: write a whole number from 1 to 5, or leave it empty"
        );
        assert_eq!(
            found[3].2,
            "Administrator (whole job level) is on row 2 too: each job level and position appears once"
        );
        assert_eq!(
            found[5].2,
            "Pengawas / kepala seksi is on row 7 too: each job level and position appears once"
        );
    }

    #[test]
    fn a_file_changes_only_the_competencies_it_has_columns_for() {
        let fw = fw();
        let stored = parse_levels(&levels(&[("INT", 3), ("KS", 3), ("TK-GIS", 2)]), &fw).unwrap();
        let file = parse_standards_csv(b"job_level;INT;TK-GIS\nPengawas;4;\n", &fw).unwrap();
        assert_eq!(file.columns, ["INT", "TK-GIS"]);
        let merged = merge_levels(&stored, &file.columns, file.rows[0].standard.levels());
        assert_eq!(
            merged.to_numbers(),
            [("INT".to_owned(), 4), ("KS".to_owned(), 3)].into(),
            "INT changed, KS kept (no column), TK-GIS no longer required (empty cell)"
        );
    }

    #[test]
    fn header_problems_are_listed_together() {
        let found = file_problems("position;INT;XYZ;int\nPengawas;2;2;2\n");
        let at: Vec<(usize, &str)> = found.iter().map(|(r, f, _)| (*r, f.as_str())).collect();
        assert_eq!(at, [(1, "XYZ"), (1, "INT"), (1, "job_level")]);
        assert!(found[0].2.starts_with("unknown column 'XYZ'"));
        assert_eq!(found[1].2, "column 'INT' appears twice (columns 2 and 4)");
        let found = file_problems("job_level;position\nPengawas;\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].2.starts_with("the file names no competency"));
    }

    #[test]
    fn empty_files_and_files_without_rows_are_explained() {
        assert!(file_problems("")[0].2.starts_with("the file is empty"));
        assert_eq!(
            file_problems("job_level;INT\n\n")[0].2,
            "the file has a header but no standards"
        );
        assert!(file_problems("job_level\tINT\nPengawas\t2\n")[0]
            .2
            .contains("separated by tabs"));
    }

    #[test]
    fn a_file_written_by_the_export_reads_back_as_the_same_standards() {
        let fw = fw();
        let standards = vec![
            JobStandard::new(
                JobLevel::JptUtama,
                None,
                parse_levels(&levels(&[("INT", 5), ("KS", 5)]), &fw).unwrap(),
            ),
            JobStandard::new(
                JobLevel::Administrator,
                Some(Position::parse("=Kepala; \"Bagian\"").unwrap()),
                parse_levels(&levels(&[("TK-GIS", 3)]), &fw).unwrap(),
            ),
        ];
        let bytes = standards_csv(&fw, &standards).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(
            text,
            "job_level;position;INT;KS;TK-GIS\n\
             JPT Utama;;5;5;\n\
             Administrator;\"'=Kepala; \"\"Bagian\"\"\";;;3\n"
        );
        let back: Vec<JobStandard> = parse_standards_csv(&bytes, &fw)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.standard)
            .collect();
        assert_eq!(back, standards);
    }
}
