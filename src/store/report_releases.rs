//! Released reports. Rows are inserted and read, never updated or deleted: a correction is the
//! next version.
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};

use super::entities::report_release::{self, Column, Entity};
use super::query::insert_chunked;
use crate::domain::ids::{CampaignId, OrganisationId};

/// A release without its PDF.
#[derive(Debug, Clone, FromQueryResult)]
pub struct ReleaseMeta {
    /// Row id.
    pub id: uuid::Uuid,
    /// The report.
    pub report_id: uuid::Uuid,
    /// Its version.
    pub version: i32,
    /// The participant, for an individual report.
    pub participant_id: Option<uuid::Uuid>,
    /// `individual` or `campaign_summary`.
    pub kind: String,
    /// `id` or `en`.
    pub language: String,
    /// SHA-256 of the PDF.
    pub content_hash: String,
    /// SHA-256 of the data shown.
    pub data_digest: String,
    /// The data versions, JSON.
    pub data_versions: String,
    /// PDF size.
    pub size_bytes: i64,
    /// Who released it.
    pub released_by: uuid::Uuid,
    /// Their printed name.
    pub psychologist_name: String,
    /// Their printed licence number.
    pub licence_number: String,
    /// When.
    pub released_at: chrono::DateTime<chrono::Utc>,
}

fn meta() -> sea_orm::Select<Entity> {
    Entity::find().select_only().columns([
        Column::Id,
        Column::ReportId,
        Column::Version,
        Column::ParticipantId,
        Column::Kind,
        Column::Language,
        Column::ContentHash,
        Column::DataDigest,
        Column::DataVersions,
        Column::SizeBytes,
        Column::ReleasedBy,
        Column::PsychologistName,
        Column::LicenceNumber,
        Column::ReleasedAt,
    ])
}

/// Every release of a campaign (without PDFs), by report then version.
pub async fn of_campaign(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
) -> Result<Vec<ReleaseMeta>, DbErr> {
    meta()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::CampaignId.eq(campaign.as_uuid()))
        .order_by_asc(Column::ReportId)
        .order_by_asc(Column::Version)
        .into_model::<ReleaseMeta>()
        .all(db)
        .await
}

/// The releases of one report (without PDFs), oldest first.
pub async fn of_report(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
    report: uuid::Uuid,
) -> Result<Vec<ReleaseMeta>, DbErr> {
    meta()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::CampaignId.eq(campaign.as_uuid()))
        .filter(Column::ReportId.eq(report))
        .order_by_asc(Column::Version)
        .into_model::<ReleaseMeta>()
        .all(db)
        .await
}

/// One release with its PDF.
pub async fn find(
    db: &impl ConnectionTrait,
    org: OrganisationId,
    campaign: CampaignId,
    report: uuid::Uuid,
    version: i32,
) -> Result<Option<report_release::Model>, DbErr> {
    Entity::find()
        .filter(Column::OrganisationId.eq(org.as_uuid()))
        .filter(Column::CampaignId.eq(campaign.as_uuid()))
        .filter(Column::ReportId.eq(report))
        .filter(Column::Version.eq(version))
        .one(db)
        .await
}

/// Some releases with their PDFs, by row id.
pub async fn with_pdfs(
    db: &impl ConnectionTrait,
    ids: &[uuid::Uuid],
) -> Result<Vec<report_release::Model>, DbErr> {
    Entity::find()
        .filter(Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// Stores new releases.
pub async fn insert_all(
    db: &impl ConnectionTrait,
    rows: Vec<report_release::Model>,
) -> Result<(), DbErr> {
    // A few rows per statement: each carries a PDF.
    for chunk in rows.chunks(20) {
        insert_chunked(
            db,
            chunk
                .iter()
                .cloned()
                .map(sea_orm::IntoActiveModel::into_active_model),
        )
        .await?;
    }
    Ok(())
}
