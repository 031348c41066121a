//! Norm tables built from an organisation's own cohorts: a scale and group's table gains versions
//! (a new one supersedes the one in use, which stays for the scores it produced), what it was
//! built from (campaigns, the norm-group filter, the settings) and who built it. Re-scoring keeps
//! the scores it replaces in `score_history`.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        for column in [
            ColumnDef::new(NormTables::Version)
                .integer()
                .not_null()
                .default(1)
                .to_owned(),
            ColumnDef::new(NormTables::SupersededAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new(NormTables::BuiltFrom)
                .json_binary()
                .null()
                .to_owned(),
            ColumnDef::new(NormTables::CreatedBy)
                .uuid()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(NormTables::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ScoreHistory::Table)
                    .if_not_exists()
                    .col(uuid(ScoreHistory::Id).primary_key())
                    .col(uuid(ScoreHistory::AttemptId))
                    .col(integer(ScoreHistory::SectionPosition))
                    .col(string_len(ScoreHistory::ScaleCode, 40))
                    .col(uuid(ScoreHistory::InstrumentId))
                    .col(double_null(ScoreHistory::Raw))
                    .col(integer(ScoreHistory::Answered))
                    .col(integer(ScoreHistory::Administered))
                    .col(json_binary(ScoreHistory::Detail))
                    .col(uuid_null(ScoreHistory::NormTableId))
                    .col(string_len(ScoreHistory::ScoringVersion, 40))
                    .col(timestamp_with_time_zone(ScoreHistory::ScoredAt))
                    .col(timestamp_with_time_zone(ScoreHistory::ReplacedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_score_history_attempt")
                    .table(ScoreHistory::Table)
                    .col(ScoreHistory::AttemptId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ScoreHistory::Table).to_owned())
            .await?;
        for column in [
            NormTables::CreatedBy,
            NormTables::BuiltFrom,
            NormTables::SupersededAt,
            NormTables::Version,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(NormTables::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum NormTables {
    Table,
    Version,
    SupersededAt,
    BuiltFrom,
    CreatedBy,
}

#[derive(DeriveIden)]
enum ScoreHistory {
    Table,
    Id,
    AttemptId,
    SectionPosition,
    ScaleCode,
    InstrumentId,
    Raw,
    Answered,
    Administered,
    Detail,
    NormTableId,
    ScoringVersion,
    ScoredAt,
    ReplacedAt,
}
