//! The `scores` table: one row per (attempt, section, scale), naming its norm table and version.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "scores")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attempt_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub section_position: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub scale_code: String,
    pub instrument_id: Uuid,
    pub raw: Option<f64>,
    pub answered: i32,
    pub administered: i32,
    pub detail: Json,
    pub norm_table_id: Option<Uuid>,
    pub scoring_version: String,
    pub scored_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
