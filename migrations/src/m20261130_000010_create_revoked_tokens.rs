//! Revoked staff tokens, kept durable: the live store holds them for the per-request check, but
//! it may restart or lose its data, and a signed-out token must not work again when it does.
//! A row lives until the token would have expired anyway, then is pruned.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RevokedTokens::Table)
                    .if_not_exists()
                    .col(string_len(RevokedTokens::Jti, 64).primary_key())
                    .col(uuid(RevokedTokens::AccountId))
                    .col(timestamp_with_time_zone(RevokedTokens::RevokedAt))
                    .col(timestamp_with_time_zone(RevokedTokens::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_revoked_tokens_expires_at")
                    .table(RevokedTokens::Table)
                    .col(RevokedTokens::ExpiresAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RevokedTokens::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RevokedTokens {
    Table,
    Jti,
    AccountId,
    RevokedAt,
    ExpiresAt,
}
