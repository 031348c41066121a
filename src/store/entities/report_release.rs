//! The `report_releases` table: one released version of a participant's report or a campaign's
//! summary, with its PDF. Rows are only ever inserted.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "report_releases")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The report (its versions share it): the participant's id, or the campaign's for a summary.
    pub report_id: Uuid,
    /// From 1.
    pub version: i32,
    /// The organisation.
    pub organisation_id: Uuid,
    /// The campaign.
    pub campaign_id: Uuid,
    /// The participant, for an individual report.
    pub participant_id: Option<Uuid>,
    /// `individual` or `campaign_summary`.
    pub kind: String,
    /// `id` or `en`.
    pub language: String,
    /// SHA-256 (hex) of the PDF.
    pub content_hash: String,
    /// SHA-256 (hex) of the data the report shows.
    pub data_digest: String,
    /// The versions of the data, as JSON pairs.
    pub data_versions: String,
    /// Size of the PDF.
    pub size_bytes: i64,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The releasing psychologist's account.
    pub released_by: Uuid,
    /// Their name as printed.
    pub psychologist_name: String,
    /// Their licence number as printed.
    pub licence_number: String,
    /// When.
    pub released_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
