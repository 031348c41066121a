//! The node's last computed competency results of a few campaigns. A campaign of ten thousand
//! takes seconds to read and compute, and the results page asks for a summary, pages, sorts and
//! profiles of the same campaign one after another; so each computation is kept with the
//! fingerprint of its inputs (the rule and framework versions, the campaign's closing time, and
//! `store::fingerprints::competency_inputs`) and given again while that fingerprint is the same.
//! Any change to an input changes the fingerprint, on whichever node it was made, so a kept result
//! is never one its inputs no longer give. Capacity is counted in campaigns; the oldest used goes
//! first.
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use super::Computed;
use crate::domain::ids::{CampaignId, OrganisationId};

/// Campaigns kept per node unless configured otherwise: each of ten thousand participants holds
/// about 180 MiB.
pub const DEFAULT_CAPACITY: usize = 2;

/// Kept computations, the most recently used last.
pub struct ComputedCache {
    capacity: usize,
    entries: Mutex<VecDeque<Entry>>,
}

struct Entry {
    organisation: OrganisationId,
    campaign: CampaignId,
    fingerprint: String,
    computed: Arc<Computed>,
}

impl Default for ComputedCache {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl ComputedCache {
    /// A cache of at most `capacity` campaigns (0 keeps nothing).
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity,
            entries: Mutex::new(VecDeque::new()),
        }
    }

    /// The kept computation of a campaign, if its fingerprint is `fingerprint`.
    pub fn get(
        &self,
        organisation: OrganisationId,
        campaign: CampaignId,
        fingerprint: &str,
    ) -> Option<Arc<Computed>> {
        let mut entries = self.entries.lock().ok()?;
        let i = entries.iter().position(|e| {
            e.organisation == organisation && e.campaign == campaign && e.fingerprint == fingerprint
        })?;
        let entry = entries.remove(i)?;
        let computed = entry.computed.clone();
        entries.push_back(entry);
        Some(computed)
    }

    /// Keeps a computation, replacing the campaign's older one and the least recently used
    /// campaign beyond capacity.
    pub fn put(
        &self,
        organisation: OrganisationId,
        campaign: CampaignId,
        fingerprint: String,
        computed: Arc<Computed>,
    ) {
        if self.capacity == 0 {
            return;
        }
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        entries.retain(|e| !(e.organisation == organisation && e.campaign == campaign));
        while entries.len() >= self.capacity {
            entries.pop_front();
        }
        entries.push_back(Entry {
            organisation,
            campaign,
            fingerprint,
            computed,
        });
    }
}
