//! The item bank: instruments, their scales, items, assets and norm tables.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::to_json as json;

use super::entities::{instrument, item, item_asset, norm_table, scale};
use super::query::{changed_one, in_org, insert_chunked};
use crate::domain::ids::{InstrumentId, ItemId, OrganisationId};
use crate::domain::instrument::ValidInstrument;

/// Status of an instrument that can be used in new batteries.
pub const ACTIVE: &str = "active";
/// Status of an instrument kept for history but not offered for new batteries.
pub const RETIRED: &str = "retired";

/// Everything stored of one instrument.
pub struct InstrumentRecord {
    /// The instrument row.
    pub instrument: instrument::Model,
    /// Its scales in document order.
    pub scales: Vec<scale::Model>,
    /// Its items in document order.
    pub items: Vec<item::Model>,
    /// Its assets' names and media types (the bytes are fetched one by one).
    pub assets: Vec<(String, String)>,
    /// Its norm tables.
    pub norms: Vec<norm_table::Model>,
}

/// Stores a validated instrument with everything it contains. Call inside a transaction; a second
/// import of the same code and version fails with a unique violation.
#[tracing::instrument(skip_all, fields(code = %inst.doc().code, version = inst.doc().version))]
pub async fn insert(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    inst: &ValidInstrument,
    now: DateTime<Utc>,
) -> Result<instrument::Model, DbErr> {
    let doc = inst.doc();
    let id = InstrumentId::new().as_uuid();
    let model = instrument::ActiveModel {
        id: Set(id),
        organisation_id: Set(org.as_uuid()),
        code: Set(doc.code.clone()),
        version: Set(
            i32::try_from(doc.version).map_err(|_| DbErr::Custom("version out of range".into()))?
        ),
        kind: Set(doc.kind.as_str().to_owned()),
        name: Set(json(&doc.name)?),
        description: Set(doc.description.as_ref().map(json).transpose()?),
        instructions: Set(doc.instructions.as_ref().map(json).transpose()?),
        source: Set(doc.source.clone()),
        likert_anchors: Set(doc.likert_anchors.as_ref().map(json).transpose()?),
        status: Set(ACTIVE.to_owned()),
        created_at: Set(now),
        retired_at: Set(None),
    }
    .insert(db)
    .await?;

    let scales = doc.scales.iter().enumerate().map(|(i, s)| {
        Ok(scale::ActiveModel {
            id: Set(Uuid::now_v7()),
            instrument_id: Set(id),
            position: Set(i as i32),
            code: Set(s.code.clone()),
            name: Set(json(&s.name)?),
            description: Set(s.description.as_ref().map(json).transpose()?),
            aggregate: Set(s.aggregate.as_str().to_owned()),
        })
    });
    scale::Entity::insert_many(scales.collect::<Result<Vec<_>, DbErr>>()?)
        .exec(db)
        .await?;

    // Items are inserted in chunks, however large the instrument.
    let items = doc
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            Ok(item::ActiveModel {
                id: Set(ItemId::new().as_uuid()),
                instrument_id: Set(id),
                position: Set(i as i32),
                code: Set(it.code.clone()),
                format: Set(it.format.as_str().to_owned()),
                practice: Set(it.practice),
                body: Set(json(it)?),
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    insert_chunked(db, items).await?;

    for a in inst.assets() {
        item_asset::ActiveModel {
            id: Set(Uuid::now_v7()),
            instrument_id: Set(id),
            name: Set(a.name.clone()),
            media_type: Set(a.media_type.clone()),
            data: Set(a.bytes.clone()),
        }
        .insert(db)
        .await?;
    }

    for n in &doc.norms {
        super::norm_tables::new_row(org, InstrumentId::from(id), n, 1, None, None, now)?
            .insert(db)
            .await?;
    }
    Ok(model)
}

/// One instrument row of an organisation.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: InstrumentId,
) -> Result<Option<instrument::Model>, DbErr> {
    in_org::<instrument::Entity>(instrument::Column::OrganisationId, org, id.as_uuid())
        .one(db)
        .await
}

/// The instrument of an organisation with this code and version.
pub async fn find_by_code(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    code: &str,
    version: i32,
) -> Result<Option<instrument::Model>, DbErr> {
    instrument::Entity::find()
        .filter(instrument::Column::OrganisationId.eq(org.as_uuid()))
        .filter(instrument::Column::Code.eq(code))
        .filter(instrument::Column::Version.eq(version))
        .one(db)
        .await
}

/// Instruments of an organisation, optionally of one status, by code then version.
pub async fn list(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    status: Option<&str>,
) -> Result<Vec<instrument::Model>, DbErr> {
    let mut q =
        instrument::Entity::find().filter(instrument::Column::OrganisationId.eq(org.as_uuid()));
    if let Some(s) = status {
        q = q.filter(instrument::Column::Status.eq(s));
    }
    q.order_by_asc(instrument::Column::Code)
        .order_by_asc(instrument::Column::Version)
        .all(db)
        .await
}

/// Per instrument of `ids`, in their order: (id, items, scored items (not practice), scales),
/// counted by the database (a list of instruments no longer reads every item row).
pub async fn counts(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<(Uuid, u64, u64, u64)>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<(Uuid, i64, i64)> = item::Entity::find()
        .select_only()
        .column(item::Column::InstrumentId)
        .column_as(item::Column::Id.count(), "n")
        .column_as(
            Expr::cust("CAST(SUM(CASE WHEN practice THEN 0 ELSE 1 END) AS BIGINT)"),
            "scored",
        )
        .filter(item::Column::InstrumentId.is_in(ids.to_vec()))
        .group_by(item::Column::InstrumentId)
        .into_tuple()
        .all(db)
        .await?;
    let scales: Vec<(Uuid, i64)> = scale::Entity::find()
        .select_only()
        .column(scale::Column::InstrumentId)
        .column_as(scale::Column::Id.count(), "n")
        .filter(scale::Column::InstrumentId.is_in(ids.to_vec()))
        .group_by(scale::Column::InstrumentId)
        .into_tuple()
        .all(db)
        .await?;
    let items: HashMap<Uuid, (i64, i64)> = items.into_iter().map(|(i, n, s)| (i, (n, s))).collect();
    let scales: HashMap<Uuid, i64> = scales.into_iter().collect();
    Ok(ids
        .iter()
        .map(|id| {
            let (all, scored) = items.get(id).copied().unwrap_or((0, 0));
            let sc = scales.get(id).copied().unwrap_or(0);
            (
                *id,
                all.max(0) as u64,
                scored.max(0) as u64,
                sc.max(0) as u64,
            )
        })
        .collect())
}

/// Everything stored of one instrument row.
pub async fn load(
    db: &impl ConnectionTrait,
    instrument: instrument::Model,
) -> Result<InstrumentRecord, DbErr> {
    let id = instrument.id;
    let scales = scale::Entity::find()
        .filter(scale::Column::InstrumentId.eq(id))
        .order_by_asc(scale::Column::Position)
        .all(db)
        .await?;
    let items = item::Entity::find()
        .filter(item::Column::InstrumentId.eq(id))
        .order_by_asc(item::Column::Position)
        .all(db)
        .await?;
    let assets: Vec<(String, String)> = item_asset::Entity::find()
        .select_only()
        .column(item_asset::Column::Name)
        .column(item_asset::Column::MediaType)
        .filter(item_asset::Column::InstrumentId.eq(id))
        .order_by_asc(item_asset::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let norms = norm_table::Entity::find()
        .filter(norm_table::Column::InstrumentId.eq(id))
        .filter(norm_table::Column::SupersededAt.is_null())
        .order_by_asc(norm_table::Column::Id)
        .all(db)
        .await?;
    Ok(InstrumentRecord {
        instrument,
        scales,
        items,
        assets,
        norms,
    })
}

/// Every asset of an instrument with its bytes, in import order (for export).
pub async fn assets_with_data(
    db: &impl ConnectionTrait,
    id: InstrumentId,
) -> Result<Vec<item_asset::Model>, DbErr> {
    item_asset::Entity::find()
        .filter(item_asset::Column::InstrumentId.eq(id.as_uuid()))
        .order_by_asc(item_asset::Column::Id)
        .all(db)
        .await
}

/// One asset of an instrument.
pub async fn asset(
    db: &impl ConnectionTrait,
    id: InstrumentId,
    name: &str,
) -> Result<Option<item_asset::Model>, DbErr> {
    item_asset::Entity::find()
        .filter(item_asset::Column::InstrumentId.eq(id.as_uuid()))
        .filter(item_asset::Column::Name.eq(name))
        .one(db)
        .await
}

/// Retires an active instrument; whether this call retired it (of several racing, one does).
pub async fn retire(
    db: &impl ConnectionTrait,
    id: InstrumentId,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let q = instrument::Entity::update_many()
        .col_expr(instrument::Column::Status, Expr::value(RETIRED))
        .col_expr(instrument::Column::RetiredAt, Expr::value(now))
        .filter(instrument::Column::Id.eq(id.as_uuid()))
        .filter(instrument::Column::Status.eq(ACTIVE));
    changed_one(db, q).await
}
