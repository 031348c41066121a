//! What happens on the first start of an empty database: the demo, or the configured first
//! organisation and its administrator.
use secrecy::ExposeSecret;

use super::organisations::{create_organisation, Credentials};
use super::{competencies, demo, AppContext};
use crate::error::{ApiError, ErrorCode};
use crate::store::organisations;

/// On an empty database: the demo (embedded default) or the configured bootstrap administrator.
/// Returns the credentials to print, or `None` when the database already had an organisation.
pub async fn first_start(ctx: &AppContext) -> Result<Option<Credentials>, ApiError> {
    if organisations::count(&ctx.db).await? > 0 {
        // Organisations created before competency frameworks existed get the seeded one now.
        competencies::seed_missing(ctx).await?;
        return Ok(None);
    }
    let b = &ctx.settings.bootstrap;
    let result = if ctx.settings.seeds_demo() {
        demo::seed(ctx, b.demo_password.as_ref().map(|p| p.expose_secret())).await
    } else {
        create_organisation(
            ctx,
            &b.organisation_code,
            &b.organisation_name,
            &b.admin_email,
            b.admin_password.as_ref().map(|p| p.expose_secret()),
        )
        .await
        .map(|(_, c)| c)
    };
    match result {
        Ok(c) => Ok(Some(c)),
        // Another node bootstrapped the same empty database at the same moment: nothing to do.
        Err(e)
            if e.code == ErrorCode::InvalidStateTransition
                && organisations::count(&ctx.db).await? > 0 =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}
