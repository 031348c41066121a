//! What the competency results read of the assessment centre: per participant, the mean of the
//! submitted ratings per exercise and competency, and the panel's integrated levels.
use std::collections::HashMap;

use super::sheet_of;
use crate::domain::assessment::integration::ratings_mean;
use crate::domain::assessment::rating::SheetStatus;
use crate::domain::competency::scores::AssessorEvidence;
use crate::domain::ids::{CampaignId, OrganisationId};
use crate::error::ApiError;
use crate::store::{assessor_assignments, integrated_levels};

/// The assessor evidence of every participant of a campaign who has any, by participant id.
pub async fn of_campaign(
    db: &impl sea_orm::ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<HashMap<uuid::Uuid, AssessorEvidence>, ApiError> {
    let mut ratings: HashMap<uuid::Uuid, HashMap<(String, String), Vec<u8>>> = HashMap::new();
    for row in assessor_assignments::of_campaign(db, org, campaign).await? {
        if row.status != SheetStatus::Submitted.as_str() {
            continue;
        }
        for (code, r) in sheet_of(&row)? {
            if let Some(level) = r.level {
                ratings
                    .entry(row.participant_id)
                    .or_default()
                    .entry((row.exercise.clone(), code))
                    .or_default()
                    .push(level);
            }
        }
    }
    let mut out: HashMap<uuid::Uuid, AssessorEvidence> = HashMap::new();
    for (participant, by_key) in ratings {
        let evidence = out.entry(participant).or_default();
        for ((exercise, code), levels) in by_key {
            if let Some(mean) = ratings_mean(&levels) {
                evidence
                    .exercises
                    .entry(exercise)
                    .or_default()
                    .insert(code, mean);
            }
        }
    }
    for row in integrated_levels::of_campaign(db, org, campaign).await? {
        out.entry(row.participant_id)
            .or_default()
            .panel
            .insert(row.competency, row.level.clamp(1, 5) as u8);
    }
    Ok(out)
}
