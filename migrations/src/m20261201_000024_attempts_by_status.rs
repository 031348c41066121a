//! Attempts found by their status: the expiry sweep looks, every few seconds on every node, for
//! running attempts (to repair those whose sections all closed, and to end those of closed
//! campaigns) and walks them in id order a window at a time. Without this index each sweep read
//! the whole table, finished attempts of past campaigns included.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_attempts_status_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Alias::new("attempts"))
                    .col(Alias::new("status"))
                    .col(Alias::new("id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(Alias::new("attempts"))
                    .to_owned(),
            )
            .await
    }
}
