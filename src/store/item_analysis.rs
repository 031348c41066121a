//! What an item analysis reads: every finished or expired attempt of an organisation that took an
//! instrument (in some campaigns, or in all), who took it, and their responses to it.
use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entities::{attempt, attempt_section, participant, response};
use crate::domain::attempt::AttemptStatus;
use crate::domain::ids::{InstrumentId, OrganisationId};

/// Ids per `IN (…)` list.
const CHUNK: usize = 500;

/// One attempt's sitting of the instrument.
#[derive(Debug, Clone)]
pub struct Sitting {
    /// The attempt.
    pub attempt: Uuid,
    /// Its campaign.
    pub campaign: Uuid,
    /// The section that delivered the instrument.
    pub position: i32,
    /// The participant's NIP.
    pub nip: String,
    /// Their education level as enrolled.
    pub education: String,
    /// Their responses to the section: (item code, stored value).
    pub responses: Vec<(String, serde_json::Value)>,
    /// The section was adaptive: the items without a response were not given, not omitted.
    pub adaptive: bool,
}

/// Every finished or expired attempt of `org` that delivered `instrument`, in `campaigns` (all
/// campaigns when empty), with its participant and responses; ordered by attempt.
pub async fn sittings(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    instrument: InstrumentId,
    campaigns: &[Uuid],
) -> Result<Vec<Sitting>, DbErr> {
    let sections = attempt_section::Entity::find()
        .filter(attempt_section::Column::InstrumentId.eq(instrument.as_uuid()))
        .order_by_asc(attempt_section::Column::AttemptId)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for chunk in sections.chunks(CHUNK) {
        let ids: Vec<Uuid> = chunk.iter().map(|s| s.attempt_id).collect();
        let mut q = attempt::Entity::find()
            .filter(attempt::Column::Id.is_in(ids.iter().copied()))
            .filter(attempt::Column::OrganisationId.eq(org.as_uuid()))
            .filter(
                attempt::Column::Status.is_in([AttemptStatus::Finished, AttemptStatus::Expired]),
            );
        if !campaigns.is_empty() {
            q = q.filter(attempt::Column::CampaignId.is_in(campaigns.iter().copied()));
        }
        let attempts = q.all(db).await?;
        if attempts.is_empty() {
            continue;
        }
        let people = participant::Entity::find()
            .filter(participant::Column::Id.is_in(attempts.iter().map(|a| a.participant_id)))
            .all(db)
            .await?;
        // Only the sections that delivered the instrument (a battery gives it one position, so
        // this reads a seventh of a seven-section attempt's answers).
        let mut positions: Vec<i32> = chunk.iter().map(|s| s.position).collect();
        positions.sort_unstable();
        positions.dedup();
        let answers = response::Entity::find()
            .filter(response::Column::AttemptId.is_in(attempts.iter().map(|a| a.id)))
            .filter(response::Column::SectionPosition.is_in(positions))
            .all(db)
            .await?;
        let people: HashMap<Uuid, &participant::Model> = people.iter().map(|p| (p.id, p)).collect();
        let mut by_section: HashMap<(Uuid, i32), Vec<(String, serde_json::Value)>> = HashMap::new();
        for r in answers {
            by_section
                .entry((r.attempt_id, r.section_position))
                .or_default()
                .push((r.item_code, r.value));
        }
        for a in &attempts {
            let Some(p) = people.get(&a.participant_id) else {
                continue;
            };
            for s in chunk.iter().filter(|s| s.attempt_id == a.id) {
                out.push(Sitting {
                    attempt: a.id,
                    campaign: a.campaign_id,
                    position: s.position,
                    nip: p.nip.clone(),
                    education: p.education.clone(),
                    responses: by_section.remove(&(a.id, s.position)).unwrap_or_default(),
                    adaptive: s.adaptive.is_some(),
                });
            }
        }
    }
    out.sort_by_key(|s| (s.attempt, s.position));
    Ok(out)
}
