//! Batteries and their sections.
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

use super::to_json as json;

use super::entities::{battery, battery_section};
use super::query::{attach, in_org};
use crate::domain::adaptive::AdaptiveSpec;
use crate::domain::battery::{BatteryDoc, ItemOrder, Navigation};
use crate::domain::ids::{BatteryId, InstrumentId, OrganisationId};

/// A battery with its sections in order.
pub struct BatteryRecord {
    /// The battery row.
    pub battery: battery::Model,
    /// Its sections by position.
    pub sections: Vec<battery_section::Model>,
}

/// Stores a battery whose sections' instruments and adaptive settings (with their parameter
/// version) have been resolved (same order as the sections). Call inside a transaction; a taken
/// code fails with a unique violation.
pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    doc: &BatteryDoc,
    resolved: &[(InstrumentId, Option<AdaptiveSpec>)],
    now: DateTime<Utc>,
) -> Result<battery::Model, DbErr> {
    let id = BatteryId::new().as_uuid();
    let model = battery::ActiveModel {
        id: Set(id),
        organisation_id: Set(org.as_uuid()),
        code: Set(doc.code.clone()),
        name: Set(json(&doc.name)?),
        description: Set(doc.description.as_ref().map(json).transpose()?),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    for (i, (s, (inst, adaptive))) in doc.sections.iter().zip(resolved).enumerate() {
        battery_section::ActiveModel {
            id: Set(Uuid::now_v7()),
            battery_id: Set(id),
            position: Set(i as i32),
            instrument_id: Set(inst.as_uuid()),
            title: Set(json(&s.title)?),
            instructions: Set(s.instructions.as_ref().map(json).transpose()?),
            time_limit_seconds: Set(s.time_limit_seconds as i32),
            item_order: Set(match s.item_order {
                ItemOrder::Fixed => "fixed",
                ItemOrder::Random => "random",
            }
            .to_owned()),
            shuffle_options: Set(s.shuffle_options),
            navigation: Set(match s.navigation {
                Navigation::Free => "free",
                Navigation::ForwardOnly => "forward_only",
            }
            .to_owned()),
            draw_count: Set(s.draw.map(|d| d as i32)),
            adaptive: Set(adaptive.as_ref().map(json).transpose()?),
        }
        .insert(db)
        .await?;
    }
    Ok(model)
}

/// The batteries, each with its sections in order.
async fn with_sections(
    db: &impl ConnectionTrait,
    batteries: Vec<battery::Model>,
) -> Result<Vec<BatteryRecord>, DbErr> {
    if batteries.is_empty() {
        return Ok(Vec::new());
    }
    let sections = battery_section::Entity::find()
        .filter(battery_section::Column::BatteryId.is_in(batteries.iter().map(|b| b.id)))
        .order_by_asc(battery_section::Column::Position)
        .all(db)
        .await?;
    Ok(attach(
        batteries,
        &sections,
        |b, s| s.battery_id == b.id,
        |battery, sections| BatteryRecord { battery, sections },
    ))
}

/// Batteries of an organisation with their sections, by code.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganisationId,
) -> Result<Vec<BatteryRecord>, DbErr> {
    let batteries = battery::Entity::find()
        .filter(battery::Column::OrganisationId.eq(org.as_uuid()))
        .order_by_asc(battery::Column::Code)
        .all(db)
        .await?;
    with_sections(db, batteries).await
}

/// One battery of an organisation with its sections.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: BatteryId,
) -> Result<Option<BatteryRecord>, DbErr> {
    let found = in_org::<battery::Entity>(battery::Column::OrganisationId, org, id.as_uuid())
        .one(db)
        .await?;
    Ok(with_sections(db, found.into_iter().collect()).await?.pop())
}
