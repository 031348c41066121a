//! Text that goes into files people open in a spreadsheet (the results and access-code CSVs).
/// A text cell as a spreadsheet must show it: one that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be read by Excel or LibreOffice as a formula (CSV injection, OWASP), so
/// it is prefixed with an apostrophe, which spreadsheets take as "this is text". Numbers written
/// as numbers (a negative z) are not text cells and do not pass through here.
pub fn text_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text() {
        assert_eq!(
            text_cell("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(text_cell("+62 812"), "'+62 812");
        assert_eq!(text_cell("-2+3"), "'-2+3");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("\t=1"), "'\t=1");
        assert_eq!(text_cell("Budi Santoso"), "Budi Santoso");
        assert_eq!(text_cell("Siti = Aminah"), "Siti = Aminah");
        assert_eq!(text_cell(""), "");
    }
}
