//! Yearly records by NIP (performance ratings, discipline records) as the tests upload and read
//! them.
use meritest::domain::ids::OrganisationId;
use meritest::domain::nip::Nip;
use reqwest::Response;
use serde_json::Value;

use super::TestApp;

/// Uploads `csv` as `text/csv` to `path` (with its query) as `token`.
pub async fn upload_csv(app: &TestApp, token: &str, path: &str, csv: &str) -> Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap()
}

/// The body of a successful reply, after checking its status.
pub async fn json_with(res: Response, status: u16) -> Value {
    assert_eq!(
        res.status().as_u16(),
        status,
        "unexpected status for {}",
        res.url()
    );
    res.json().await.unwrap()
}

/// (row, field) of each problem of a refused file, in order.
pub fn problems(body: &Value) -> Vec<(u64, String)> {
    body["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("no errors in {body}"))
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The id of the organisation with this code.
pub async fn organisation_id(app: &TestApp, code: &str) -> OrganisationId {
    let org = meritest::store::organisations::find_by_code(&app.ctx.db, code)
        .await
        .unwrap()
        .unwrap();
    org.id.into()
}

/// A NIP the test knows to be valid, parsed as of the server's today.
pub fn nip(app: &TestApp, digits: &str) -> Nip {
    Nip::parse_as_of(digits, app.ctx.clock.today()).unwrap()
}

/// The current year by the server's clock.
pub fn this_year(app: &TestApp) -> i32 {
    use chrono::Datelike;
    app.ctx.clock.today().year()
}

/// A cell of a workbook's sheet, empty where nothing was written.
pub fn cell(sheet: &calamine::Range<calamine::Data>, row: u32, col: u32) -> calamine::Data {
    sheet
        .get_value((row, col))
        .cloned()
        .unwrap_or(calamine::Data::Empty)
}

/// The column whose header (row 0) is `head`.
pub fn column(sheet: &calamine::Range<calamine::Data>, head: &str) -> u32 {
    (0..sheet.width() as u32)
        .find(|&c| cell(sheet, 0, c) == calamine::Data::String(head.to_owned()))
        .unwrap_or_else(|| panic!("no column {head}"))
}
