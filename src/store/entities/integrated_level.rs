//! The `integrated_levels` table: the final level of a participant's competency that the assessor
//! panel recorded from the submitted ratings.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "integrated_levels")]
pub struct Model {
    /// The participant.
    #[sea_orm(primary_key, auto_increment = false)]
    pub participant_id: Uuid,
    /// The competency code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub competency: String,
    /// The organisation.
    pub organisation_id: Uuid,
    /// The campaign.
    pub campaign_id: Uuid,
    /// The final level (1–5).
    pub level: i32,
    /// The mean of the submitted ratings it was recorded against.
    pub ratings_mean: f64,
    /// How many ratings that mean was of.
    pub ratings: i32,
    /// The panel's reason (required when the level departs from the mean).
    pub reason: Option<String>,
    /// Who recorded it.
    pub recorded_by: Uuid,
    /// When.
    pub recorded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
