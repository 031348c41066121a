//! Instrument documents kept in memory by id. An imported instrument version never changes (a
//! new version is a new instrument), so a cached document can never be stale; retiring changes
//! only whether new batteries may use it.
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::{instruments, AppContext};
use crate::domain::ids::{InstrumentId, OrganisationId};
use crate::domain::instrument::InstrumentDoc;
use crate::error::ApiError;

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
