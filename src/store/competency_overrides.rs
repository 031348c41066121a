//! Levels set by a person for a participant's competency.
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::competency_override;
use crate::domain::ids::{CampaignId, OrganisationId, ParticipantId};

/// Every override of a campaign.
pub async fn of_campaign(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<Vec<competency_override::Model>, DbErr> {
    competency_override::Entity::find()
        .filter(competency_override::Column::OrganisationId.eq(org.as_uuid()))
        .filter(competency_override::Column::CampaignId.eq(campaign.as_uuid()))
        .all(db)
        .await
}

/// The override of one participant's competency, if any.
pub async fn find(
    db: &impl ConnectionTrait,
    participant: ParticipantId,
    competency: &str,
) -> Result<Option<competency_override::Model>, DbErr> {
    competency_override::Entity::find()
        .filter(competency_override::Column::ParticipantId.eq(participant.as_uuid()))
        .filter(competency_override::Column::Competency.eq(competency))
        .one(db)
        .await
}

/// Removes the override of one participant's competency; whether there was one.
pub async fn delete(
    db: &impl ConnectionTrait,
    participant: ParticipantId,
    competency: &str,
) -> Result<bool, DbErr> {
    let res = competency_override::Entity::delete_many()
        .filter(competency_override::Column::ParticipantId.eq(participant.as_uuid()))
        .filter(competency_override::Column::Competency.eq(competency))
        .exec(db)
        .await?;
    Ok(res.rows_affected > 0)
}

/// Stores an override (the caller removed any earlier one of the same competency first).
pub async fn insert(
    db: &impl ConnectionTrait,
    row: competency_override::Model,
) -> Result<(), DbErr> {
    competency_override::Entity::insert(competency_override::ActiveModel {
        id: Set(row.id),
        organisation_id: Set(row.organisation_id),
        campaign_id: Set(row.campaign_id),
        participant_id: Set(row.participant_id),
        competency: Set(row.competency),
        level: Set(row.level),
        reason: Set(row.reason),
        created_by: Set(row.created_by),
        created_at: Set(row.created_at),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
