//! The `performance_ratings` table: one SKP rating per organisation, NIP and year.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "performance_ratings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    /// The 18 digits of the NIP.
    pub nip: String,
    pub year: i32,
    /// The predicate's code (`sangat_baik` … `sangat_kurang`).
    pub predicate: String,
    /// `above`, `meets` or `below`, when imported.
    pub work_results: Option<String>,
    /// `above`, `meets` or `below`, when imported.
    pub work_behaviour: Option<String>,
    /// When this record was last imported (created or replaced).
    pub imported_at: DateTimeUtc,
    /// Who imported it.
    pub imported_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
