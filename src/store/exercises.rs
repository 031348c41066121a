//! A campaign's exercises.
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use super::entities::campaign_exercise;
use super::query::insert_chunked;
use crate::domain::ids::{CampaignId, OrganisationId};

/// The exercises of a campaign, in their order.
pub async fn of_campaign(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<Vec<campaign_exercise::Model>, DbErr> {
    campaign_exercise::Entity::find()
        .filter(campaign_exercise::Column::OrganisationId.eq(org.as_uuid()))
        .filter(campaign_exercise::Column::CampaignId.eq(campaign.as_uuid()))
        .order_by_asc(campaign_exercise::Column::Position)
        .all(db)
        .await
}

/// Replaces the exercises of a campaign with `rows`.
pub async fn replace(
    db: &impl ConnectionTrait,
    campaign: CampaignId,
    rows: Vec<campaign_exercise::Model>,
) -> Result<(), DbErr> {
    campaign_exercise::Entity::delete_many()
        .filter(campaign_exercise::Column::CampaignId.eq(campaign.as_uuid()))
        .exec(db)
        .await?;
    insert_chunked(
        db,
        rows.into_iter()
            .map(sea_orm::IntoActiveModel::into_active_model),
    )
    .await
}
