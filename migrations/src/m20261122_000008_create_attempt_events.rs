use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000007_create_attempts::Attempts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AttemptEvents::Table)
                    .if_not_exists()
                    .col(uuid(AttemptEvents::Id).primary_key())
                    .col(uuid(AttemptEvents::AttemptId))
                    .col(timestamp_with_time_zone(AttemptEvents::At))
                    .col(string_len(AttemptEvents::Kind, 40))
                    .col(json_binary(AttemptEvents::Detail))
                    .col(uuid_null(AttemptEvents::ActorAccountId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempt_events_attempt")
                            .from(AttemptEvents::Table, AttemptEvents::AttemptId)
                            .to(Attempts::Table, Attempts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attempt_events_attempt_at")
                    .table(AttemptEvents::Table)
                    .col(AttemptEvents::AttemptId)
                    .col(AttemptEvents::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AttemptEvents::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum AttemptEvents {
    Table,
    Id,
    AttemptId,
    At,
    Kind,
    Detail,
    ActorAccountId,
}
