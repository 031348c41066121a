//! The `participants` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub campaign_id: Uuid,
    pub session_id: Option<Uuid>,
    pub nip: String,
    pub name: String,
    pub email: Option<String>,
    pub birth_date: Date,
    pub education: String,
    pub job_level: String,
    pub position: Option<String>,
    pub unit: Option<String>,
    pub group_code: Option<String>,
    pub access_code_hash: Option<String>,
    pub code_issued_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
