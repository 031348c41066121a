//! Instrument documents kept in memory by id. An imported instrument version never changes (a
//! new version is a new instrument), so a cached document can never be stale; retiring changes
//! only whether new batteries may use it. The same holds for the pools of adaptive sections: a
//! published version of an instrument's item parameters never changes either.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::{instruments, AppContext};
use crate::domain::adaptive;
use crate::domain::ids::{InstrumentId, OrganisationId};
use crate::domain::instrument::InstrumentDoc;
use crate::domain::irt::cat::Pool;
use crate::error::ApiError;
use crate::store::item_parameters;

/// Documents by instrument id, and adaptive pools by instrument and parameter version.
#[derive(Default)]
pub struct InstrumentCache {
    docs: RwLock<HashMap<InstrumentId, (OrganisationId, Arc<InstrumentDoc>)>>,
    pools: RwLock<HashMap<(InstrumentId, u32), Arc<Pool>>>,
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

    /// The pool of an adaptive section: the instrument's calibrated right/wrong items under the
    /// published parameter `version` (see [`adaptive::pool_of`]).
    pub async fn pool(
        &self,
        ctx: &AppContext,
        org: OrganisationId,
        id: InstrumentId,
        version: u32,
    ) -> Result<Arc<Pool>, ApiError> {
        // The document first: it checks the instrument belongs to `org`.
        let doc = self.get(ctx, org, id).await?;
        let cached = self
            .pools
            .read()
            .ok()
            .and_then(|m| m.get(&(id, version)).cloned());
        if let Some(pool) = cached {
            return Ok(pool);
        }
        let set = item_parameters::find(&ctx.db, org, id, version as i32)
            .await?
            .filter(|m| m.status == item_parameters::PUBLISHED)
            .ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!(
                    "published item parameters version {version} of instrument {id} not found"
                ))
            })?;
        let params = item_parameters::as_doc(&set)?;
        let pool = Arc::new(
            adaptive::pool_of(&doc, &params)
                .map_err(|e| ApiError::internal(anyhow::anyhow!("{}", e.message())))?,
        );
        if let Ok(mut m) = self.pools.write() {
            m.insert((id, version), pool.clone());
        }
        Ok(pool)
    }
}
