//! The `revoked_tokens` table.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "revoked_tokens")]
pub struct Model {
    /// The token's identifier (`jti`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub jti: String,
    /// The account the token was issued to.
    pub account_id: Uuid,
    /// When it was signed out.
    pub revoked_at: DateTimeUtc,
    /// Until when the revocation must hold: the token's expiry and the verifier's leeway.
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
