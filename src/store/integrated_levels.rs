//! The levels an assessor panel integrated.
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::entities::integrated_level::{self, Column, Entity};
use super::query::insert_chunked;
use crate::domain::ids::{CampaignId, OrganisationId, ParticipantId};

/// Every integrated level of a campaign.
pub async fn of_campaign(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<Vec<integrated_level::Model>, DbErr> {
    Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::CampaignId.eq(campaign.as_uuid()))
        .order_by_asc(Column::ParticipantId)
        .order_by_asc(Column::Competency)
        .all(db)
        .await
}

/// The integrated levels of one participant, by competency code.
pub async fn of_participant(
    db: &impl ConnectionTrait,
    participant: ParticipantId,
) -> Result<Vec<integrated_level::Model>, DbErr> {
    Entity::find()
        .filter(Column::ParticipantId.eq(participant.as_uuid()))
        .order_by_asc(Column::Competency)
        .all(db)
        .await
}

/// Replaces the integrated levels of one participant's competencies in `rows` (others stay).
pub async fn replace(
    db: &impl ConnectionTrait,
    participant: ParticipantId,
    rows: Vec<integrated_level::Model>,
) -> Result<(), DbErr> {
    let codes: Vec<String> = rows.iter().map(|r| r.competency.clone()).collect();
    Entity::delete_many()
        .filter(Column::ParticipantId.eq(participant.as_uuid()))
        .filter(Column::Competency.is_in(codes))
        .exec(db)
        .await?;
    insert_chunked(
        db,
        rows.into_iter()
            .map(sea_orm::IntoActiveModel::into_active_model),
    )
    .await
}
