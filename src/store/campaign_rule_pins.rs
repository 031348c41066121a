//! The rule versions campaigns pin.
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use super::entities::campaign_rule_pin::{self, Column, Entity};
use crate::domain::ids::{AccountId, CampaignId, OrganisationId};

/// A pin: the kind, its version, and when it was pinned.
pub type Pin = (String, i32, DateTime<Utc>);

/// The pins of a campaign.
pub async fn of_campaign(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<Vec<Pin>, DbErr> {
    Ok(Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::CampaignId.eq(campaign.as_uuid()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.kind, m.version, m.pinned_at))
        .collect())
}

/// Replaces the pins of a campaign with `pins`.
pub async fn replace(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
    pins: &[Pin],
    by: AccountId,
) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::CampaignId.eq(campaign.as_uuid()))
        .exec(db)
        .await?;
    if pins.is_empty() {
        return Ok(());
    }
    Entity::insert_many(
        pins.iter()
            .map(|(kind, version, at)| campaign_rule_pin::ActiveModel {
                campaign_id: Set(campaign.as_uuid()),
                kind: Set(kind.clone()),
                organisation_id: Set(org.as_uuid()),
                version: Set(*version),
                pinned_by: Set(by.as_uuid()),
                pinned_at: Set(*at),
            }),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
