//! Assessors' assignments and their rating sheets.
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::entities::assessor_assignment::{self, Column, Entity};
use super::query::{changed_one, in_org, insert_chunked};
use crate::domain::ids::{AccountId, AssignmentId, CampaignId, OrganisationId, ParticipantId};

/// Every assignment of a campaign, oldest first.
pub async fn of_campaign(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<Vec<assessor_assignment::Model>, DbErr> {
    Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::CampaignId.eq(campaign.as_uuid()))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// The assignments of one participant.
pub async fn of_participant(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    participant: ParticipantId,
) -> Result<Vec<assessor_assignment::Model>, DbErr> {
    Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::ParticipantId.eq(participant.as_uuid()))
        .order_by_asc(Column::Exercise)
        .order_by_asc(Column::CreatedAt)
        .all(db)
        .await
}

/// The assignments of one assessor, optionally in one campaign, oldest first.
pub async fn of_assessor(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    assessor: AccountId,
    campaign: Option<CampaignId>,
) -> Result<Vec<assessor_assignment::Model>, DbErr> {
    let mut q = Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::AssessorId.eq(assessor.as_uuid()));
    if let Some(c) = campaign {
        q = q.filter(Column::CampaignId.eq(c.as_uuid()));
    }
    q.order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await
}

/// One assignment of the organisation.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    id: AssignmentId,
) -> Result<Option<assessor_assignment::Model>, DbErr> {
    in_org::<Entity>(Column::OrganisationId, org, id.as_uuid())
        .one(db)
        .await
}

/// Stores new assignments.
pub async fn insert_all(
    db: &impl ConnectionTrait,
    rows: Vec<assessor_assignment::Model>,
) -> Result<(), DbErr> {
    insert_chunked(
        db,
        rows.into_iter()
            .map(sea_orm::IntoActiveModel::into_active_model),
    )
    .await
}

/// Saves a draft sheet if the assignment is still a draft at revision `base`; whether it did.
pub async fn save_draft(
    db: &impl ConnectionTrait,
    id: AssignmentId,
    base: i32,
    ratings: String,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    changed_one(
        db,
        Entity::update_many()
            .col_expr(Column::Ratings, Expr::value(ratings))
            .col_expr(Column::Revision, Expr::value(base + 1))
            .col_expr(Column::SavedAt, Expr::value(now))
            .filter(Column::Id.eq(id.as_uuid()))
            .filter(Column::Status.eq("draft"))
            .filter(Column::Revision.eq(base)),
    )
    .await
}

/// Submits a draft at revision `base` (locking it); whether it did.
pub async fn submit(
    db: &impl ConnectionTrait,
    id: AssignmentId,
    base: i32,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    changed_one(
        db,
        Entity::update_many()
            .col_expr(Column::Status, Expr::value("submitted"))
            .col_expr(Column::Revision, Expr::value(base + 1))
            .col_expr(Column::SubmittedAt, Expr::value(now))
            .filter(Column::Id.eq(id.as_uuid()))
            .filter(Column::Status.eq("draft"))
            .filter(Column::Revision.eq(base)),
    )
    .await
}

/// Unlocks a submitted sheet back to a draft; whether it did.
pub async fn unlock(
    db: &impl ConnectionTrait,
    id: AssignmentId,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    changed_one(
        db,
        Entity::update_many()
            .col_expr(Column::Status, Expr::value("draft"))
            .col_expr(Column::Revision, Expr::col(Column::Revision).add(1))
            .col_expr(Column::SavedAt, Expr::value(now))
            .col_expr(
                Column::SubmittedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(Column::Id.eq(id.as_uuid()))
            .filter(Column::Status.eq("submitted")),
    )
    .await
}

/// Removes an assignment that is still a draft; whether it did.
pub async fn delete_draft(db: &impl ConnectionTrait, id: AssignmentId) -> Result<bool, DbErr> {
    let res = Entity::delete_many()
        .filter(Column::Id.eq(id.as_uuid()))
        .filter(Column::Status.eq("draft"))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// How many assignments of a campaign name each exercise code.
pub async fn exercises_in_use(
    db: &impl ConnectionTrait,
    campaign: CampaignId,
) -> Result<Vec<(String, i64)>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Exercise)
        .column_as(Column::Id.count(), "n")
        .filter(Column::CampaignId.eq(campaign.as_uuid()))
        .group_by(Column::Exercise)
        .into_tuple()
        .all(db)
        .await
}
