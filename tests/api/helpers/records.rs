//! Yearly records by NIP (performance ratings, discipline records) as the tests upload and read
//! them.
use meritest::domain::ids::OrganisationId;

use super::TestApp;

/// The id of the organisation with this code.
pub async fn organisation_id(app: &TestApp, code: &str) -> OrganisationId {
    let org = meritest::store::organisations::find_by_code(&app.ctx.db, code)
        .await
        .unwrap()
        .unwrap();
    org.id.into()
}
