//! The assessor assignments file HR uploads (CSV, as a spreadsheet exports it; the reading every
//! tabular import shares is `domain::csv_upload`):
//!
//! | column | | value |
//! |---|---|---|
//! | `nip` | required | the participant's 18-digit NIP (spaces allowed) |
//! | `exercise` | required | the exercise's code in the campaign |
//! | `assessor` | required | the assessor's sign-in e-mail address |
//! | `lead` | optional | `ya`/`yes`/`1` when the assessor leads the participant's panel |
use crate::domain::account::Email;
use crate::domain::csv_upload::{read_rows, Column, FileKind, RowError};

/// One row of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRow {
    /// Line in the file.
    pub line: usize,
    /// The participant's NIP, digits only.
    pub nip: String,
    /// The exercise code.
    pub exercise: String,
    /// The assessor's address.
    pub assessor: Email,
    /// Whether they lead the panel.
    pub lead: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Nip,
    Exercise,
    Assessor,
    Lead,
}

impl Column for Col {
    const ALL: &'static [Self] = &[Col::Nip, Col::Exercise, Col::Assessor, Col::Lead];

    fn name(self) -> &'static str {
        match self {
            Col::Nip => "nip",
            Col::Exercise => "exercise",
            Col::Assessor => "assessor",
            Col::Lead => "lead",
        }
    }

    fn required(self) -> bool {
        self != Col::Lead
    }
}

/// Most rows one file may hold.
pub const MAX_ROWS: usize = 10_000;

fn yes_no(v: &str) -> Result<bool, String> {
    match v.trim().to_lowercase().as_str() {
        "ya" | "yes" | "y" | "1" | "true" => Ok(true),
        "tidak" | "no" | "n" | "0" | "false" => Ok(false),
        other => Err(format!("'{other}' is not ya/tidak")),
    }
}

/// Reads the file whole: its rows, or every problem by line and column.
pub fn parse_assignments(bytes: &[u8]) -> Result<Vec<AssignmentRow>, Vec<RowError>> {
    read_rows::<Col, _>(
        bytes,
        FileKind {
            row_noun: "assignment",
            max_rows: MAX_ROWS,
        },
        |row| {
            let line = row.line();
            let nip = row.required(Col::Nip, |v| {
                let digits: String = v.chars().filter(|c| !c.is_whitespace()).collect();
                if digits.len() == 18 && digits.bytes().all(|b| b.is_ascii_digit()) {
                    Ok(digits)
                } else {
                    Err(format!("'{v}' is not an 18-digit NIP"))
                }
            });
            let exercise = row.required(Col::Exercise, |v| {
                if super::exercise::is_exercise_code(v) {
                    Ok(v.to_owned())
                } else {
                    Err(format!(
                        "'{v}' is not an exercise code (1–40 of a–z 0–9 _ -)"
                    ))
                }
            });
            let assessor = row.required(Col::Assessor, Email::parse);
            let lead = row.optional(Col::Lead, yes_no)?;
            Some(AssignmentRow {
                line,
                nip: nip?,
                exercise: exercise?,
                assessor: assessor?,
                lead: lead.unwrap_or(false),
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_assignments_reads_in_any_column_order_with_semicolons() {
        let rows = parse_assignments(
            "Assessor;NIP;exercise;lead\nasesor@bkpsdm.go.id;198503152010121001;wawancara;ya\n\
             ASESOR2@bkpsdm.go.id;1985 0315 2010 1210 01;lgd;\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].nip, "198503152010121001");
        assert!(rows[0].lead);
        assert_eq!(rows[1].assessor.as_str(), "asesor2@bkpsdm.go.id");
        assert!(!rows[1].lead);
        assert_eq!(rows[1].line, 3);
    }

    #[test]
    fn every_problem_of_the_file_is_named_by_line_and_column() {
        let errs = parse_assignments(
            "nip,exercise,assessor,lead\n123,Wawancara,not-an-address,mungkin\n".as_bytes(),
        )
        .unwrap_err();
        let got: Vec<(usize, Option<String>)> =
            errs.into_iter().map(|e| (e.row, e.column)).collect();
        assert_eq!(
            got,
            vec![
                (2, Some("nip".into())),
                (2, Some("exercise".into())),
                (2, Some("assessor".into())),
                (2, Some("lead".into())),
            ]
        );
    }
}
