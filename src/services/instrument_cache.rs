//! Instrument documents kept in memory by id. An imported instrument version never changes (a
//! new version is a new instrument), so a cached document can never be stale; retiring changes
//! only whether new batteries may use it.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::{instruments, AppContext};
use crate::domain::ids::{BatteryId, CampaignId, InstrumentId, OrganisationId};
use crate::domain::instrument::InstrumentDoc;
use crate::error::ApiError;
use crate::store::entities::battery_section;
use crate::store::{batteries, campaigns};

/// Documents by instrument id.
#[derive(Default)]
pub struct InstrumentCache {
    docs: RwLock<HashMap<InstrumentId, (OrganisationId, Arc<InstrumentDoc>)>>,
}

impl InstrumentCache {
    /// The document of an instrument of `org`, from memory or else the database.
    pub async fn get(
        &self,
        ctx: &AppContext,
        org: OrganisationId,
        id: InstrumentId,
    ) -> Result<Arc<InstrumentDoc>, ApiError> {
        let cached = self.docs.read().ok().and_then(|m| m.get(&id).cloned());
        if let Some((owner, doc)) = cached {
            // Tenancy holds here too: another organisation's instrument is not found.
            return if owner == org {
                Ok(doc)
            } else {
                Err(ApiError::not_found("instrument"))
            };
        }
        let doc = Arc::new(instruments::document_without_assets(ctx, org, id).await?);
        if let Ok(mut m) = self.docs.write() {
            m.insert(id, (org, doc.clone()));
        }
        Ok(doc)
    }
}

/// The sections of each campaign's battery, kept in memory by campaign: a campaign's battery is
/// fixed when the campaign is created and a battery never changes, so an entry cannot go stale.
/// Saves the candidate's section and asset requests three reads each (a session's synchronised
/// start sends every candidate's page for its section at once).
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
