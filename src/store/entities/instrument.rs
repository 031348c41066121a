//! The `instruments` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "instruments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub code: String,
    pub version: i32,
    pub kind: String,
    pub name: Json,
    pub description: Option<Json>,
    pub instructions: Option<Json>,
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub likert_anchors: Option<Json>,
    pub status: String,
    pub created_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
