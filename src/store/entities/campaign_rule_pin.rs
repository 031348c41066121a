//! The `campaign_rule_pins` table: the version of a rule kind a campaign is computed with.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "campaign_rule_pins")]
pub struct Model {
    /// The campaign.
    #[sea_orm(primary_key, auto_increment = false)]
    pub campaign_id: Uuid,
    /// The rule kind (`jpm`, `nine_box`, …).
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// The organisation.
    pub organisation_id: Uuid,
    /// The version pinned.
    pub version: i32,
    /// Who pinned it.
    pub pinned_by: Uuid,
    /// When.
    pub pinned_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
