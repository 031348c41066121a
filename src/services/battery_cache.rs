//! Each campaign's battery sections kept in memory by campaign. A campaign's battery is fixed
//! when the campaign is created and a battery never changes once created, so an entry cannot go
//! stale.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::AppContext;
use crate::domain::ids::{BatteryId, CampaignId, OrganisationId};
use crate::error::ApiError;
use crate::store::entities::battery_section;
use crate::store::{batteries, campaigns};

/// Battery sections by campaign. Saves every section request of a candidate the campaign and
/// battery reads (a session's synchronised start sends every candidate's page for its section
/// at once).
#[derive(Default)]
pub struct BatteryCache {
    by_campaign: RwLock<HashMap<CampaignId, (OrganisationId, BatterySections)>>,
}

/// A battery's sections in order.
pub type BatterySections = Arc<Vec<battery_section::Model>>;

impl BatteryCache {
    /// The battery sections of a campaign of `org`, from memory or else the database.
    pub async fn of_campaign(
        &self,
        ctx: &AppContext,
        org: OrganisationId,
        campaign: CampaignId,
    ) -> Result<BatterySections, ApiError> {
        let cached = self
            .by_campaign
            .read()
            .ok()
            .and_then(|m| m.get(&campaign).cloned());
        if let Some((owner, sections)) = cached {
            return if owner == org {
                Ok(sections)
            } else {
                Err(ApiError::not_found("campaign"))
            };
        }
        let c = campaigns::find(&ctx.db, org, campaign)
            .await?
            .ok_or_else(|| ApiError::not_found("campaign"))?;
        let sections = Arc::new(
            batteries::find(&ctx.db, org, BatteryId::from(c.campaign.battery_id))
                .await?
                .ok_or_else(|| ApiError::not_found("battery"))?
                .sections,
        );
        if let Ok(mut m) = self.by_campaign.write() {
            m.insert(campaign, (org, sections.clone()));
        }
        Ok(sections)
    }
}
