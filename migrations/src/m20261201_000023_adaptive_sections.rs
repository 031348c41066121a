//! Adaptive sections: a battery section may choose its items one at a time over a calibrated
//! pool. The battery keeps its settings and the parameter version it is pinned to; each attempt's
//! section keeps its own copy (so a later battery or parameter change cannot alter a running
//! test); each stored answer keeps the selection made after it (the next item or the stop, with
//! θ̂ and SE), written in the same row by the same group commit. Norm tables gain the metric they
//! convert: raw scores or θ.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one change at a time.
        let changes = [
            (
                Alias::new("battery_sections"),
                ColumnDef::new(Alias::new("adaptive"))
                    .json_binary()
                    .null()
                    .to_owned(),
            ),
            (
                Alias::new("attempt_sections"),
                ColumnDef::new(Alias::new("adaptive"))
                    .json_binary()
                    .null()
                    .to_owned(),
            ),
            (
                Alias::new("responses"),
                ColumnDef::new(Alias::new("selection"))
                    .json_binary()
                    .null()
                    .to_owned(),
            ),
            (
                Alias::new("norm_tables"),
                ColumnDef::new(Alias::new("metric"))
                    .string_len(10)
                    .not_null()
                    .default("raw")
                    .to_owned(),
            ),
        ];
        for (table, column) in changes {
            manager
                .alter_table(Table::alter().table(table).add_column(column).to_owned())
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, column) in [
            ("norm_tables", "metric"),
            ("responses", "selection"),
            ("attempt_sections", "adaptive"),
            ("battery_sections", "adaptive"),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
