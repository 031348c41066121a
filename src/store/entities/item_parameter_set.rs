//! The `item_parameter_sets` table: one version of the item response theory parameters of an
//! instrument's items. A draft may be discarded; a published version is never changed.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "item_parameter_sets")]
pub struct Model {
    /// Row id.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organisation.
    pub organisation_id: Uuid,
    /// The instrument version the parameters belong to.
    pub instrument_id: Uuid,
    /// From 1 per instrument.
    pub version: i32,
    /// `draft` or `published`.
    pub status: String,
    /// The scaling constant D.
    pub scaling_d: f64,
    /// How the parameters were obtained.
    pub method: String,
    /// Simulated rather than estimated from responses.
    pub simulated: bool,
    /// The per-item parameters (`ItemParameterDoc` array).
    pub items: Json,
    /// The calibration's report (standard errors, fit, convergence), when it came from one.
    pub calibration: Option<Json>,
    /// Who made the version (none for the demo and the command line).
    pub created_by: Option<Uuid>,
    /// When.
    pub created_at: DateTimeUtc,
    /// Who published it.
    pub published_by: Option<Uuid>,
    /// When it was published.
    pub published_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
