//! The `competency_rules` table: every version of each rule document of an organisation.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_rules")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organisation.
    pub organisation_id: Uuid,
    /// The kind (`evidence_mapping`, `jpm`, …).
    pub kind: String,
    /// The version, from 1, per organisation and kind.
    pub version: i32,
    /// The document as stored (its own `version` equals the column).
    pub document: Json,
    /// When it was stored.
    pub created_at: DateTimeUtc,
    /// Who stored it; none for a seeded default.
    pub created_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
