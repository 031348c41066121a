//! The `campaign_exercises` table: an exercise of a campaign and the competencies it evidences.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_exercises")]
pub struct Model {
    /// The campaign.
    #[sea_orm(primary_key, auto_increment = false)]
    pub campaign_id: Uuid,
    /// Exercise code, unique in the campaign.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// The organisation.
    pub organisation_id: Uuid,
    /// Name.
    pub name: String,
    /// The competency codes it evidences, as a JSON array.
    pub competencies: String,
    /// Its place in the campaign's list.
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
