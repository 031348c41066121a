//! The `assessor_assignments` table: an assessor assigned to rate one participant in one exercise,
//! with the ratings sheet (a draft until submitted).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "assessor_assignments")]
pub struct Model {
    /// Assignment id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organisation.
    pub organisation_id: Uuid,
    /// The campaign.
    pub campaign_id: Uuid,
    /// The participant rated.
    pub participant_id: Uuid,
    /// The exercise code.
    pub exercise: String,
    /// The assessor's account.
    pub assessor_id: Uuid,
    /// Whether this assessor leads the participant's panel (may record integrated levels).
    pub lead: bool,
    /// The sheet: competency code → {level, evidence}, as JSON.
    pub ratings: String,
    /// `draft` or `submitted`.
    pub status: String,
    /// Raised by every save, so a stale autosave can be told apart.
    pub revision: i32,
    /// Who assigned.
    pub created_by: Uuid,
    /// When.
    pub created_at: DateTimeUtc,
    /// Last draft save.
    pub saved_at: Option<DateTimeUtc>,
    /// When submitted (cleared by an unlock).
    pub submitted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
