//! Live proctoring: a campaign may hold candidates in a lobby until a proctor admits them and
//! starts their session, and may pause an attempt after too many integrity events; an attempt
//! knows its session (the proctor's room), when it was admitted and when it was paused.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        let columns: Vec<(DynIden, ColumnDef)> = vec![
            (
                Campaigns::Table.into_iden(),
                boolean(Campaigns::Lobby).default(false).to_owned(),
            ),
            (
                Campaigns::Table.into_iden(),
                integer_null(Campaigns::AutoPauseAfter),
            ),
            (
                CampaignSessions::Table.into_iden(),
                timestamp_with_time_zone_null(CampaignSessions::StartedAt),
            ),
            (Attempts::Table.into_iden(), uuid_null(Attempts::SessionId)),
            (
                Attempts::Table.into_iden(),
                timestamp_with_time_zone_null(Attempts::AdmittedAt),
            ),
            (
                Attempts::Table.into_iden(),
                timestamp_with_time_zone_null(Attempts::PausedAt),
            ),
        ];
        for (table, mut column) in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Attempts made before this migration take their participant's session.
        let backfill = Query::update()
            .table(Attempts::Table)
            .value(
                Attempts::SessionId,
                SimpleExpr::SubQuery(
                    None,
                    Box::new(
                        Query::select()
                            .column((Participants::Table, Participants::SessionId))
                            .from(Participants::Table)
                            .and_where(
                                Expr::col((Participants::Table, Participants::Id))
                                    .equals((Attempts::Table, Attempts::ParticipantId)),
                            )
                            .to_owned()
                            .into_sub_query_statement(),
                    ),
                ),
            )
            .to_owned();
        manager.exec_stmt(backfill).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attempts_session")
                    .table(Attempts::Table)
                    .col(Attempts::SessionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_attempts_session")
                    .table(Attempts::Table)
                    .to_owned(),
            )
            .await?;
        let columns: Vec<(DynIden, DynIden)> = vec![
            (Attempts::Table.into_iden(), Attempts::PausedAt.into_iden()),
            (
                Attempts::Table.into_iden(),
                Attempts::AdmittedAt.into_iden(),
            ),
            (Attempts::Table.into_iden(), Attempts::SessionId.into_iden()),
            (
                CampaignSessions::Table.into_iden(),
                CampaignSessions::StartedAt.into_iden(),
            ),
            (
                Campaigns::Table.into_iden(),
                Campaigns::AutoPauseAfter.into_iden(),
            ),
            (Campaigns::Table.into_iden(), Campaigns::Lobby.into_iden()),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    Lobby,
    AutoPauseAfter,
}

#[derive(DeriveIden)]
enum CampaignSessions {
    Table,
    StartedAt,
}

#[derive(DeriveIden)]
enum Participants {
    Table,
    Id,
    SessionId,
}

#[derive(DeriveIden)]
pub enum Attempts {
    Table,
    ParticipantId,
    SessionId,
    AdmittedAt,
    PausedAt,
}
