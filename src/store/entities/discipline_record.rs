//! The `discipline_records` table: one discipline record per organisation, NIP and year.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "discipline_records")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    /// The 18 digits of the NIP.
    pub nip: String,
    pub year: i32,
    /// The level's code (`none`, `light`, `moderate`, `heavy`).
    pub level: String,
    pub note: Option<String>,
    /// When this record was last imported (created or replaced).
    pub imported_at: DateTimeUtc,
    /// Who imported it.
    pub imported_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
