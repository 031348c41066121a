//! The `norm_tables` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "norm_tables")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub instrument_id: Uuid,
    pub scale_code: String,
    pub group_code: String,
    pub name: Json,
    pub illustrative: bool,
    #[sea_orm(column_type = "Text")]
    pub method: String,
    pub n: i32,
    #[sea_orm(column_type = "Double")]
    pub mean: f64,
    #[sea_orm(column_type = "Double")]
    pub sd: f64,
    pub collected: Option<String>,
    pub rows: Json,
    pub created_at: DateTimeUtc,
    /// From 1 per (instrument, scale, group).
    pub version: i32,
    /// When a newer version replaced it (none: in use).
    pub superseded_at: Option<DateTimeUtc>,
    /// What a built table was built from (campaigns, filter, settings, warnings).
    pub built_from: Option<Json>,
    /// Who built it (none: imported with the instrument).
    pub created_by: Option<Uuid>,
    pub metric: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
