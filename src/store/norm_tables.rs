//! Norm tables over time: the tables in use for an instrument (one per scale and group), every
//! version of them, and a new version that supersedes the one in use (which stays, with the
//! scores it produced). Scores a re-scoring replaces are kept in `score_history`.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::entities::{norm_table, score, score_history};
use super::query::insert_chunked;
use super::to_json;
use crate::domain::ids::{AccountId, InstrumentId, NormTableId, OrganisationId};
use crate::domain::norms::{NormMetric, NormTableDoc};

/// The tables in use for some instruments (an attempt's sections), by id.
pub async fn active_of_many(
    db: &impl ConnectionTrait,
    instruments: &[InstrumentId],
) -> Result<Vec<norm_table::Model>, DbErr> {
    norm_table::Entity::find()
        .filter(norm_table::Column::InstrumentId.is_in(instruments.iter().map(|i| i.as_uuid())))
        .filter(norm_table::Column::SupersededAt.is_null())
        .order_by_asc(norm_table::Column::Id)
        .all(db)
        .await
}

/// The tables in use for an instrument: the newest version of each scale and group.
pub async fn active_of(
    db: &impl ConnectionTrait,
    instrument: InstrumentId,
) -> Result<Vec<norm_table::Model>, DbErr> {
    norm_table::Entity::find()
        .filter(norm_table::Column::InstrumentId.eq(instrument.as_uuid()))
        .filter(norm_table::Column::SupersededAt.is_null())
        .order_by_asc(norm_table::Column::Id)
        .all(db)
        .await
}

/// Every version of every table of an instrument of `org`, by scale, group, then newest first.
pub async fn all_of(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    instrument: InstrumentId,
) -> Result<Vec<norm_table::Model>, DbErr> {
    norm_table::Entity::find()
        .filter(norm_table::Column::OrganisationId.eq(org.as_uuid()))
        .filter(norm_table::Column::InstrumentId.eq(instrument.as_uuid()))
        .order_by_asc(norm_table::Column::ScaleCode)
        .order_by_asc(norm_table::Column::GroupCode)
        .order_by_desc(norm_table::Column::Version)
        .all(db)
        .await
}

/// A table row as the scoring reads it.
pub fn as_doc(m: &norm_table::Model) -> Result<NormTableDoc, DbErr> {
    let parse = |e: serde_json::Error| DbErr::Custom(format!("stored norm table: {e}"));
    Ok(NormTableDoc {
        scale: m.scale_code.clone(),
        group: m.group_code.clone(),
        name: serde_json::from_value(m.name.clone()).map_err(parse)?,
        illustrative: m.illustrative,
        method: m.method.clone(),
        n: u32::try_from(m.n).unwrap_or(0),
        mean: m.mean,
        sd: m.sd,
        collected: m.collected.clone(),
        table: serde_json::from_value(m.rows.clone()).map_err(parse)?,
        metric: NormMetric::parse(&m.metric),
    })
}

/// The row of a table to insert: version 1 of an imported table (no builder, nothing it was built
/// from), or the next version of a built one.
pub(super) fn new_row(
    organisation: OrganisationId,
    instrument: InstrumentId,
    n: &NormTableDoc,
    version: i32,
    built_from: Option<serde_json::Value>,
    actor: Option<AccountId>,
    now: DateTime<Utc>,
) -> Result<norm_table::ActiveModel, DbErr> {
    Ok(norm_table::ActiveModel {
        id: Set(NormTableId::new().as_uuid()),
        organisation_id: Set(organisation.as_uuid()),
        instrument_id: Set(instrument.as_uuid()),
        scale_code: Set(n.scale.clone()),
        group_code: Set(n.group.clone()),
        name: Set(to_json(&n.name)?),
        illustrative: Set(n.illustrative),
        method: Set(n.method.clone()),
        n: Set(i32::try_from(n.n).unwrap_or(i32::MAX)),
        mean: Set(n.mean),
        sd: Set(n.sd),
        collected: Set(n.collected.clone()),
        rows: Set(to_json(&n.table)?),
        created_at: Set(now),
        version: Set(version),
        superseded_at: Set(None),
        built_from: Set(built_from),
        created_by: Set(actor.map(|a| a.as_uuid())),
        metric: Set(n.metric.as_str().to_owned()),
    })
}

/// A new version of a scale and group's table, superseding the one in use. Call inside a
/// transaction.
pub struct NewVersion<'a> {
    /// The organisation.
    pub organisation: OrganisationId,
    /// The instrument.
    pub instrument: InstrumentId,
    /// The table.
    pub doc: &'a NormTableDoc,
    /// What it was built from.
    pub built_from: serde_json::Value,
    /// Who built it.
    pub actor: AccountId,
    /// When.
    pub now: DateTime<Utc>,
}

/// Stores `v` as the next version of its scale and group and supersedes the one in use;
/// returns the new row and the one it superseded.
pub async fn publish(
    db: &impl ConnectionTrait,
    v: NewVersion<'_>,
) -> Result<(norm_table::Model, Option<norm_table::Model>), DbErr> {
    let same = || {
        norm_table::Entity::find()
            .filter(norm_table::Column::InstrumentId.eq(v.instrument.as_uuid()))
            .filter(norm_table::Column::ScaleCode.eq(v.doc.scale.as_str()))
            .filter(norm_table::Column::GroupCode.eq(v.doc.group.as_str()))
            .filter(norm_table::Column::Metric.eq(v.doc.metric.as_str()))
    };
    let last: Option<Option<i32>> = same()
        .select_only()
        .column_as(norm_table::Column::Version.max(), "v")
        .into_tuple()
        .one(db)
        .await?;
    let previous = same()
        .filter(norm_table::Column::SupersededAt.is_null())
        .one(db)
        .await?;
    if let Some(p) = &previous {
        norm_table::Entity::update_many()
            .col_expr(norm_table::Column::SupersededAt, Expr::value(v.now))
            .filter(norm_table::Column::Id.eq(p.id))
            .exec(db)
            .await?;
    }
    let row = new_row(
        v.organisation,
        v.instrument,
        v.doc,
        last.flatten().unwrap_or(0) + 1,
        Some(v.built_from),
        Some(v.actor),
        v.now,
    )?
    .insert(db)
    .await?;
    Ok((row, previous))
}

/// Keeps the current scores of `attempts` in `score_history` before a re-scoring replaces them.
pub async fn keep_scores(
    db: &impl ConnectionTrait,
    attempts: &[Uuid],
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    let mut kept = 0;
    for chunk in attempts.chunks(500) {
        let rows = score::Entity::find()
            .filter(score::Column::AttemptId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        kept += rows.len();
        insert_chunked(
            db,
            rows.into_iter().map(|s| score_history::ActiveModel {
                id: Set(Uuid::now_v7()),
                attempt_id: Set(s.attempt_id),
                section_position: Set(s.section_position),
                scale_code: Set(s.scale_code),
                instrument_id: Set(s.instrument_id),
                raw: Set(s.raw),
                answered: Set(s.answered),
                administered: Set(s.administered),
                detail: Set(s.detail),
                norm_table_id: Set(s.norm_table_id),
                scoring_version: Set(s.scoring_version),
                scored_at: Set(s.scored_at),
                replaced_at: Set(now),
            }),
        )
        .await?;
    }
    Ok(kept)
}
