//! Fingerprints: a few aggregate numbers that change whenever any row a computation reads
//! changes, so that a node may keep the computation's result while its fingerprint stays the
//! same and recompute it when it does not. Each part is a count with the newest timestamp of its
//! rows: an insert raises the count, a delete lowers it, and every update the platform makes to
//! these rows writes a new timestamp (a rescore a new `scored_at`, a re-import a new
//! `imported_at`, an override a new row).
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};

use super::entities::{
    assessor_assignment, attempt, competency_override, discipline_record, integrated_level,
    job_standard_version, participant, performance_rating, score,
};
use crate::domain::ids::{CampaignId, OrganisationId};

/// Count and newest timestamp (as text) of a query's rows.
type Part = (i64, Option<String>);

fn newest(column: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::cust(format!("CAST(MAX({column}) AS TEXT)"))
}

async fn part<E: EntityTrait>(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<E>,
    count: E::Column,
    time: &str,
) -> Result<Part, DbErr> {
    let row: Option<Part> = select
        .select_only()
        .column_as(count.count(), "n")
        .column_as(newest(time), "t")
        .into_tuple()
        .one(db)
        .await?;
    Ok(row.unwrap_or((0, None)))
}

/// The fingerprint of everything a campaign's competency results read from the database besides
/// the rule documents and the framework (whose versions the caller has): its participants,
/// attempts and their statuses, scores and overrides, submitted assessor ratings and integrated
/// levels, and the organisation's job standards, SKP ratings and discipline records.
pub async fn competency_inputs(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<String, DbErr> {
    let (org, campaign) = (org.as_uuid(), campaign.as_uuid());
    let attempts_of_campaign = Query::select()
        .column(attempt::Column::Id)
        .from(attempt::Entity)
        .and_where(attempt::Column::CampaignId.eq(campaign))
        .to_owned();
    let parts = [
        part(
            db,
            participant::Entity::find().filter(participant::Column::CampaignId.eq(campaign)),
            participant::Column::Id,
            "created_at",
        )
        .await?,
        part(
            db,
            score::Entity::find()
                .filter(score::Column::AttemptId.in_subquery(attempts_of_campaign)),
            score::Column::AttemptId,
            "scored_at",
        )
        .await?,
        part(
            db,
            competency_override::Entity::find()
                .filter(competency_override::Column::CampaignId.eq(campaign)),
            competency_override::Column::Id,
            "created_at",
        )
        .await?,
        part(
            db,
            job_standard_version::Entity::find()
                .filter(job_standard_version::Column::OrganisationId.eq(org)),
            job_standard_version::Column::Id,
            "created_at",
        )
        .await?,
        part(
            db,
            performance_rating::Entity::find()
                .filter(performance_rating::Column::OrganisationId.eq(org)),
            performance_rating::Column::Id,
            "imported_at",
        )
        .await?,
        part(
            db,
            discipline_record::Entity::find()
                .filter(discipline_record::Column::OrganisationId.eq(org)),
            discipline_record::Column::Id,
            "imported_at",
        )
        .await?,
        // Submitted rating sheets: a submit raises the count and the newest time, an unlock
        // lowers the count.
        part(
            db,
            assessor_assignment::Entity::find()
                .filter(assessor_assignment::Column::CampaignId.eq(campaign))
                .filter(assessor_assignment::Column::Status.eq("submitted")),
            assessor_assignment::Column::Id,
            "submitted_at",
        )
        .await?,
        // Integrated levels are replaced, never updated in place: a new `recorded_at`.
        part(
            db,
            integrated_level::Entity::find()
                .filter(integrated_level::Column::CampaignId.eq(campaign)),
            integrated_level::Column::ParticipantId,
            "recorded_at",
        )
        .await?,
    ];
    // Attempts: how many in each status, and the newest start and finish.
    let statuses: Vec<(String, i64, Option<String>, Option<String>)> = attempt::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(status AS TEXT)"), "s")
        .column_as(attempt::Column::Id.count(), "n")
        .column_as(newest("started_at"), "a")
        .column_as(newest("finished_at"), "b")
        .filter(attempt::Column::CampaignId.eq(campaign))
        .group_by(attempt::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut statuses: Vec<String> = statuses
        .into_iter()
        .map(|(s, n, a, b)| {
            format!(
                "{s}={n}@{}/{}",
                a.unwrap_or_default(),
                b.unwrap_or_default()
            )
        })
        .collect();
    statuses.sort();
    let mut out: Vec<String> = parts
        .iter()
        .map(|(n, t)| format!("{n}@{}", t.as_deref().unwrap_or("")))
        .collect();
    out.push(statuses.join(","));
    Ok(out.join("|"))
}
