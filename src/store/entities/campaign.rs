//! The `campaigns` table.
use sea_orm::entity::prelude::*;

use crate::domain::time_zone::IndonesianTimeZone;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "campaigns")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub battery_id: Uuid,
    pub name: String,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    pub show_score_to_candidate: bool,
    pub resume_requires_unlock: bool,
    pub norm_rule: Json,
    pub created_at: DateTimeUtc,
    pub lobby: bool,
    pub auto_pause_after: Option<i32>,
    pub time_zone: IndonesianTimeZone,
    pub data_contact: Option<String>,
    pub retention_months: Option<i32>,
    /// Whether participants may download their own released report.
    pub reports_to_participants: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
