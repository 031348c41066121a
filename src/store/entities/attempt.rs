//! The `attempts` table.
use sea_orm::entity::prelude::*;

use crate::domain::attempt::AttemptStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub campaign_id: Uuid,
    pub participant_id: Uuid,
    pub seed: i64,
    pub status: AttemptStatus,
    pub norm_group: String,
    pub device_id: Option<String>,
    pub consent_at: Option<DateTimeUtc>,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub session_id: Option<Uuid>,
    pub admitted_at: Option<DateTimeUtc>,
    pub paused_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
