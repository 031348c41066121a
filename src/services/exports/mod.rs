//! Exports of a campaign's results for use outside meritest: the Excel workbook (`workbook`) and
//! the SIASN-keyed CSV (`siasn`). Both are written to a temporary file off the async threads and
//! streamed out by the route, so the file is never held whole in memory.
use super::auth::Staff;
use super::{batteries, campaigns, competency_results, organisations, AppContext};
use crate::domain::ids::{BatteryId, CampaignId};
use crate::error::ApiError;

pub mod item_analysis;
pub mod siasn;
pub mod workbook;

/// The results of a campaign of the caller's organisation as an Excel workbook in a temporary
/// file ([`workbook`]), written off the async threads.
pub async fn workbook_file(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
) -> Result<tempfile::NamedTempFile, ApiError> {
    let campaign = campaigns::get(ctx, staff, id).await?;
    // The workbook shows each participant's count of stored answers, which the kept results
    // may not have caught up with.
    let computed = competency_results::compute_fresh(ctx, staff, id).await?;
    let generated_at = ctx.clock.now();
    tokio::task::spawn_blocking(move || {
        workbook::write(&workbook::WorkbookData {
            campaign: &campaign,
            results: &computed.results,
            competencies: &computed.all,
            documents: &computed.documents,
            generated_at,
        })
    })
    .await
    .map_err(ApiError::internal)?
}

/// The SIASN-keyed CSV of a campaign of the caller's organisation in a temporary file
/// ([`siasn`]). `method` and `provider` name how and by whom the assessment was made; by default
/// the battery's name and the organisation's.
pub async fn siasn_file(
    ctx: &AppContext,
    staff: &Staff,
    id: CampaignId,
    labels: siasn::Labels,
) -> Result<tempfile::NamedTempFile, ApiError> {
    let labels = labels.checked()?;
    let campaign = campaigns::get(ctx, staff, id).await?;
    let computed = competency_results::compute_campaign(ctx, staff, id).await?;
    let provider = match labels.provider {
        Some(p) => p,
        None => organisations::name_of(ctx, staff.organisation).await?,
    };
    let method = match labels.method {
        Some(m) => m,
        None => {
            let battery = batteries::get(ctx, staff, BatteryId::from(campaign.battery)).await?;
            let name = battery.name.get("id").and_then(|n| n.as_str());
            siasn::default_method(name.unwrap_or(&battery.code))
        }
    };
    tokio::task::spawn_blocking(move || {
        siasn::write(&siasn::SiasnData {
            campaign: &campaign,
            results: &computed.results,
            competencies: &computed.all,
            method: &method,
            provider: &provider,
        })
    })
    .await
    .map_err(ApiError::internal)?
}
