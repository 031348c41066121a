//! The `battery_sections` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "battery_sections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub battery_id: Uuid,
    pub position: i32,
    pub instrument_id: Uuid,
    pub title: Json,
    pub instructions: Option<Json>,
    pub time_limit_seconds: i32,
    pub item_order: String,
    pub shuffle_options: bool,
    pub navigation: String,
    pub draw_count: Option<i32>,
    pub adaptive: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
