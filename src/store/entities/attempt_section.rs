//! The `attempt_sections` table: one row per section of an attempt, with its plan and clock.
use sea_orm::entity::prelude::*;

use crate::domain::attempt::{ClosedReason, SectionStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attempt_sections")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attempt_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    pub instrument_id: Uuid,
    pub plan: Json,
    pub forward_only: bool,
    pub status: SectionStatus,
    pub started_at: Option<DateTimeUtc>,
    pub deadline_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub closed_reason: Option<ClosedReason>,
    pub adaptive: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
