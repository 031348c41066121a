//! The rule documents of each organisation (evidence mapping, JPM rule, category schemes, 9-box,
//! IP ASN, development routes), every version kept: a result names the version it used, so it can
//! be recomputed exactly as it was.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CompetencyRules::Table)
                    .if_not_exists()
                    .col(uuid(CompetencyRules::Id).primary_key())
                    .col(uuid(CompetencyRules::OrganisationId))
                    .col(string_len(CompetencyRules::Kind, 40))
                    .col(integer(CompetencyRules::Version))
                    .col(json(CompetencyRules::Document))
                    .col(timestamp_with_time_zone(CompetencyRules::CreatedAt))
                    .col(uuid_null(CompetencyRules::CreatedBy))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_competency_rules_version")
                    .table(CompetencyRules::Table)
                    .col(CompetencyRules::OrganisationId)
                    .col(CompetencyRules::Kind)
                    .col(CompetencyRules::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CompetencyRules::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CompetencyRules {
    Table,
    Id,
    OrganisationId,
    Kind,
    Version,
    Document,
    CreatedAt,
    CreatedBy,
}
