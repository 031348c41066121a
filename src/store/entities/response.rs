//! The `responses` table: one row per (attempt, section, item), the newest client sequence wins.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "responses")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attempt_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub section_position: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub item_code: String,
    pub value: Json,
    pub client_seq: i64,
    pub flagged: bool,
    pub received_at: DateTimeUtc,
    pub selection: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
