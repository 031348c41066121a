use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_organisations_and_accounts::Organisations;
use crate::m20261122_000002_create_item_bank::Instruments;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(NormTables::Table)
                    .if_not_exists()
                    .col(uuid(NormTables::Id).primary_key())
                    .col(uuid(NormTables::OrganisationId))
                    .col(uuid(NormTables::InstrumentId))
                    .col(string_len(NormTables::ScaleCode, 40))
                    .col(string_len(NormTables::GroupCode, 64))
                    .col(json_binary(NormTables::Name))
                    .col(boolean(NormTables::Illustrative))
                    .col(text(NormTables::Method))
                    .col(integer(NormTables::N))
                    .col(double(NormTables::Mean))
                    .col(double(NormTables::Sd))
                    .col(string_len_null(NormTables::Collected, 100))
                    .col(json_binary(NormTables::Rows))
                    .col(timestamp_with_time_zone(NormTables::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_norm_tables_organisation")
                            .from(NormTables::Table, NormTables::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_norm_tables_instrument")
                            .from(NormTables::Table, NormTables::InstrumentId)
                            .to(Instruments::Table, Instruments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_norm_tables_instrument_scale")
                    .table(NormTables::Table)
                    .col(NormTables::InstrumentId)
                    .col(NormTables::ScaleCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(NormTables::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum NormTables {
    Table,
    Id,
    OrganisationId,
    InstrumentId,
    ScaleCode,
    GroupCode,
    Name,
    Illustrative,
    Method,
    N,
    Mean,
    Sd,
    Collected,
    Rows,
    CreatedAt,
}
