//! The `score_history` table: scores a re-scoring replaced, kept as they were.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "score_history")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The attempt.
    pub attempt_id: Uuid,
    /// The section.
    pub section_position: i32,
    /// The scale.
    pub scale_code: String,
    /// The instrument.
    pub instrument_id: Uuid,
    /// Raw score as it was.
    pub raw: Option<f64>,
    /// Items answered.
    pub answered: i32,
    /// Items given.
    pub administered: i32,
    /// The score's details as they were.
    pub detail: Json,
    /// The norm table it named.
    pub norm_table_id: Option<Uuid>,
    /// The scoring version that produced it.
    pub scoring_version: String,
    /// When it was scored.
    pub scored_at: DateTimeUtc,
    /// When a re-scoring replaced it.
    pub replaced_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
