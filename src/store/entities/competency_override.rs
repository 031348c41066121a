//! The `competency_overrides` table: a level a person set for a participant's competency.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_overrides")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organisation.
    pub organisation_id: Uuid,
    /// The campaign.
    pub campaign_id: Uuid,
    /// The participant.
    pub participant_id: Uuid,
    /// The competency code.
    pub competency: String,
    /// The level set (1–5).
    pub level: i32,
    /// Why.
    pub reason: String,
    /// Who set it.
    pub created_by: Uuid,
    /// When.
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
