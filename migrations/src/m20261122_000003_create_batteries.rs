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
                    .table(Batteries::Table)
                    .if_not_exists()
                    .col(uuid(Batteries::Id).primary_key())
                    .col(uuid(Batteries::OrganisationId))
                    .col(string_len(Batteries::Code, 40))
                    .col(json_binary(Batteries::Name))
                    .col(json_binary_null(Batteries::Description))
                    .col(timestamp_with_time_zone(Batteries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_batteries_organisation")
                            .from(Batteries::Table, Batteries::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_batteries_org_code")
                    .table(Batteries::Table)
                    .col(Batteries::OrganisationId)
                    .col(Batteries::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BatterySections::Table)
                    .if_not_exists()
                    .col(uuid(BatterySections::Id).primary_key())
                    .col(uuid(BatterySections::BatteryId))
                    .col(integer(BatterySections::Position))
                    .col(uuid(BatterySections::InstrumentId))
                    .col(json_binary(BatterySections::Title))
                    .col(json_binary_null(BatterySections::Instructions))
                    .col(integer(BatterySections::TimeLimitSeconds))
                    .col(string_len(BatterySections::ItemOrder, 16))
                    .col(boolean(BatterySections::ShuffleOptions))
                    .col(string_len(BatterySections::Navigation, 16))
                    .col(integer_null(BatterySections::DrawCount))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_battery_sections_battery")
                            .from(BatterySections::Table, BatterySections::BatteryId)
                            .to(Batteries::Table, Batteries::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_battery_sections_instrument")
                            .from(BatterySections::Table, BatterySections::InstrumentId)
                            .to(Instruments::Table, Instruments::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_battery_sections_position")
                    .table(BatterySections::Table)
                    .col(BatterySections::BatteryId)
                    .col(BatterySections::Position)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BatterySections::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Batteries::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Batteries {
    Table,
    Id,
    OrganisationId,
    Code,
    Name,
    Description,
    CreatedAt,
}

#[derive(DeriveIden)]
enum BatterySections {
    Table,
    Id,
    BatteryId,
    Position,
    InstrumentId,
    Title,
    Instructions,
    TimeLimitSeconds,
    ItemOrder,
    ShuffleOptions,
    Navigation,
    DrawCount,
}
