//! Item parameter sets: versions of the item response theory parameters of an instrument. A
//! version is inserted as a draft or as published; a draft is published or discarded; a
//! published version is never changed.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::entities::item_parameter_set::{self, Column, Entity};
use super::query::changed_one;
use super::to_json;
use crate::domain::ids::{AccountId, InstrumentId, OrganisationId};
use crate::domain::irt::bank::{ItemParameterDoc, ItemParametersDoc};

/// Status of a version under review.
pub const DRAFT: &str = "draft";
/// Status of a version in use (the highest published version is the current one).
pub const PUBLISHED: &str = "published";

/// A new version to insert.
pub struct NewSet<'a> {
    /// The organisation.
    pub organisation: OrganisationId,
    /// The instrument.
    pub instrument: InstrumentId,
    /// The parameters.
    pub doc: &'a ItemParametersDoc,
    /// The calibration report, when a calibration made it.
    pub calibration: Option<serde_json::Value>,
    /// Publish at once (an import) rather than as a draft.
    pub published: bool,
    /// Who.
    pub actor: Option<AccountId>,
    /// When.
    pub now: DateTime<Utc>,
}

/// Inserts the next version of an instrument's parameters. Two concurrent inserts of the same
/// version fail with a unique violation on one of them.
pub async fn insert(
    db: &impl ConnectionTrait,
    s: NewSet<'_>,
) -> Result<item_parameter_set::Model, DbErr> {
    let version = next_version(db, s.instrument).await?;
    let actor = s.actor.map(|a| a.as_uuid());
    item_parameter_set::ActiveModel {
        id: Set(Uuid::now_v7()),
        organisation_id: Set(s.organisation.as_uuid()),
        instrument_id: Set(s.instrument.as_uuid()),
        version: Set(version),
        status: Set(if s.published { PUBLISHED } else { DRAFT }.to_owned()),
        scaling_d: Set(s.doc.d),
        method: Set(s.doc.method.clone()),
        simulated: Set(s.doc.simulated),
        items: Set(to_json(&s.doc.items)?),
        calibration: Set(s.calibration),
        created_by: Set(actor),
        created_at: Set(s.now),
        published_by: Set(if s.published { actor } else { None }),
        published_at: Set(s.published.then_some(s.now)),
    }
    .insert(db)
    .await
}

async fn next_version(db: &impl ConnectionTrait, instrument: InstrumentId) -> Result<i32, DbErr> {
    let last: Option<Option<i32>> = Entity::find()
        .select_only()
        .column_as(Column::Version.max(), "v")
        .filter(Column::InstrumentId.eq(instrument.as_uuid()))
        .into_tuple()
        .one(db)
        .await?;
    Ok(last.flatten().unwrap_or(0) + 1)
}

/// Every version of an instrument's parameters of `org`, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    instrument: InstrumentId,
) -> Result<Vec<item_parameter_set::Model>, DbErr> {
    Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::InstrumentId.eq(instrument.as_uuid()))
        .order_by_desc(Column::Version)
        .all(db)
        .await
}

/// (instrument, version, status) of every version of the organisation's parameters.
pub async fn versions_of_organisation(
    db: &impl ConnectionTrait,
    org: OrganisationId,
) -> Result<Vec<(Uuid, i32, String)>, DbErr> {
    Entity::find()
        .select_only()
        .columns([Column::InstrumentId, Column::Version, Column::Status])
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .into_tuple()
        .all(db)
        .await
}

/// One version.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    instrument: InstrumentId,
    version: i32,
) -> Result<Option<item_parameter_set::Model>, DbErr> {
    Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::InstrumentId.eq(instrument.as_uuid()))
        .filter(Column::Version.eq(version))
        .one(db)
        .await
}

/// The current parameters: the highest published version.
pub async fn current(
    db: &impl ConnectionTrait,
    instrument: InstrumentId,
) -> Result<Option<item_parameter_set::Model>, DbErr> {
    Entity::find()
        .filter(Column::InstrumentId.eq(instrument.as_uuid()))
        .filter(Column::Status.eq(PUBLISHED))
        .order_by_desc(Column::Version)
        .one(db)
        .await
}

/// Publishes a draft; false when it is no longer a draft (published or discarded meanwhile).
pub async fn publish(
    db: &impl ConnectionTrait,
    id: Uuid,
    actor: AccountId,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    changed_one(
        db,
        Entity::update_many()
            .col_expr(Column::Status, Expr::value(PUBLISHED))
            .col_expr(Column::PublishedBy, Expr::value(actor.as_uuid()))
            .col_expr(Column::PublishedAt, Expr::value(now))
            .filter(Column::Id.eq(id))
            .filter(Column::Status.eq(DRAFT)),
    )
    .await
}

/// Discards a draft; false when it is not a draft.
pub async fn discard(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    Ok(Entity::delete_many()
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(DRAFT))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// The per-item parameters of a stored version.
pub fn items_of(m: &item_parameter_set::Model) -> Result<Vec<ItemParameterDoc>, DbErr> {
    serde_json::from_value(m.items.clone())
        .map_err(|e| DbErr::Custom(format!("stored item parameters do not parse: {e}")))
}

/// A stored version as exchanged (the `item_parameters` block of an instrument document).
pub fn as_doc(m: &item_parameter_set::Model) -> Result<ItemParametersDoc, DbErr> {
    Ok(ItemParametersDoc {
        d: m.scaling_d,
        method: m.method.clone(),
        simulated: m.simulated,
        items: items_of(m)?,
    })
}
