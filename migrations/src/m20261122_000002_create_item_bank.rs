use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_organisations_and_accounts::Organisations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Instruments::Table)
                    .if_not_exists()
                    .col(uuid(Instruments::Id).primary_key())
                    .col(uuid(Instruments::OrganisationId))
                    .col(string_len(Instruments::Code, 40))
                    .col(integer(Instruments::Version))
                    .col(string_len(Instruments::Kind, 32))
                    .col(json_binary(Instruments::Name))
                    .col(json_binary_null(Instruments::Description))
                    .col(json_binary_null(Instruments::Instructions))
                    .col(text(Instruments::Source))
                    .col(json_binary_null(Instruments::LikertAnchors))
                    .col(string_len(Instruments::Status, 16))
                    .col(timestamp_with_time_zone(Instruments::CreatedAt))
                    .col(timestamp_with_time_zone_null(Instruments::RetiredAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_instruments_organisation")
                            .from(Instruments::Table, Instruments::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_instruments_org_code_version")
                    .table(Instruments::Table)
                    .col(Instruments::OrganisationId)
                    .col(Instruments::Code)
                    .col(Instruments::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Scales::Table)
                    .if_not_exists()
                    .col(uuid(Scales::Id).primary_key())
                    .col(uuid(Scales::InstrumentId))
                    .col(integer(Scales::Position))
                    .col(string_len(Scales::Code, 40))
                    .col(json_binary(Scales::Name))
                    .col(json_binary_null(Scales::Description))
                    .col(string_len(Scales::Aggregate, 16))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_scales_instrument")
                            .from(Scales::Table, Scales::InstrumentId)
                            .to(Instruments::Table, Instruments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_scales_instrument_code")
                    .table(Scales::Table)
                    .col(Scales::InstrumentId)
                    .col(Scales::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Items::Table)
                    .if_not_exists()
                    .col(uuid(Items::Id).primary_key())
                    .col(uuid(Items::InstrumentId))
                    .col(integer(Items::Position))
                    .col(string_len(Items::Code, 40))
                    .col(string_len(Items::Format, 32))
                    .col(boolean(Items::Practice))
                    .col(json_binary(Items::Body))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_items_instrument")
                            .from(Items::Table, Items::InstrumentId)
                            .to(Instruments::Table, Instruments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_items_instrument_code")
                    .table(Items::Table)
                    .col(Items::InstrumentId)
                    .col(Items::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ItemAssets::Table)
                    .if_not_exists()
                    .col(uuid(ItemAssets::Id).primary_key())
                    .col(uuid(ItemAssets::InstrumentId))
                    .col(string_len(ItemAssets::Name, 120))
                    .col(string_len(ItemAssets::MediaType, 64))
                    .col(blob(ItemAssets::Data))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_item_assets_instrument")
                            .from(ItemAssets::Table, ItemAssets::InstrumentId)
                            .to(Instruments::Table, Instruments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_item_assets_instrument_name")
                    .table(ItemAssets::Table)
                    .col(ItemAssets::InstrumentId)
                    .col(ItemAssets::Name)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ItemAssets::Table.into_iden(),
            Items::Table.into_iden(),
            Scales::Table.into_iden(),
            Instruments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum Instruments {
    Table,
    Id,
    OrganisationId,
    Code,
    Version,
    Kind,
    Name,
    Description,
    Instructions,
    Source,
    LikertAnchors,
    Status,
    CreatedAt,
    RetiredAt,
}

#[derive(DeriveIden)]
enum Scales {
    Table,
    Id,
    InstrumentId,
    Position,
    Code,
    Name,
    Description,
    Aggregate,
}

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
    InstrumentId,
    Position,
    Code,
    Format,
    Practice,
    Body,
}

#[derive(DeriveIden)]
enum ItemAssets {
    Table,
    Id,
    InstrumentId,
    Name,
    MediaType,
    Data,
}
