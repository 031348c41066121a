//! Item response theory parameters of an instrument's items, versioned apart from the
//! instrument's content: an imported instrument's parameters are version 1; a calibration or an
//! upload makes a draft, which a psychometrician publishes as the next version. The instrument's
//! current parameters are its highest published version; earlier versions stay for the results
//! they scored.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ItemParameterSets::Table)
                    .if_not_exists()
                    .col(uuid(ItemParameterSets::Id).primary_key())
                    .col(uuid(ItemParameterSets::OrganisationId))
                    .col(uuid(ItemParameterSets::InstrumentId))
                    .col(integer(ItemParameterSets::Version))
                    .col(string_len(ItemParameterSets::Status, 16))
                    .col(double(ItemParameterSets::ScalingD))
                    .col(text(ItemParameterSets::Method))
                    .col(boolean(ItemParameterSets::Simulated))
                    .col(json_binary(ItemParameterSets::Items))
                    .col(json_binary_null(ItemParameterSets::Calibration))
                    .col(uuid_null(ItemParameterSets::CreatedBy))
                    .col(timestamp_with_time_zone(ItemParameterSets::CreatedAt))
                    .col(uuid_null(ItemParameterSets::PublishedBy))
                    .col(timestamp_with_time_zone_null(
                        ItemParameterSets::PublishedAt,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_item_parameter_sets_version")
                    .table(ItemParameterSets::Table)
                    .col(ItemParameterSets::InstrumentId)
                    .col(ItemParameterSets::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ItemParameterSets::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ItemParameterSets {
    Table,
    Id,
    OrganisationId,
    InstrumentId,
    Version,
    Status,
    ScalingD,
    Method,
    Simulated,
    Items,
    Calibration,
    CreatedBy,
    CreatedAt,
    PublishedBy,
    PublishedAt,
}
