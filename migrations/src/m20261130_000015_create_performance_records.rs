//! The yearly records HR imports per civil servant (by NIP, within an organisation): SKP
//! performance ratings and discipline records. Both feed the 9-box and the professionalism
//! index. A NIP need not belong to a participant: ratings may come before a campaign enrols the
//! person, so there is no key to `participants`.
//!
//! One record per (organisation, NIP, year): the unique index enforces it, and its leading
//! columns are also the organisation + NIP index that a person's lookup uses.
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
                    .table(PerformanceRatings::Table)
                    .if_not_exists()
                    .col(uuid(PerformanceRatings::Id).primary_key())
                    .col(uuid(PerformanceRatings::OrganisationId))
                    .col(string_len(PerformanceRatings::Nip, 18))
                    .col(integer(PerformanceRatings::Year))
                    .col(string_len(PerformanceRatings::Predicate, 20))
                    .col(string_len_null(PerformanceRatings::WorkResults, 10))
                    .col(string_len_null(PerformanceRatings::WorkBehaviour, 10))
                    .col(timestamp_with_time_zone(PerformanceRatings::ImportedAt))
                    .col(uuid_null(PerformanceRatings::ImportedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_performance_ratings_organisation")
                            .from(
                                PerformanceRatings::Table,
                                PerformanceRatings::OrganisationId,
                            )
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_performance_ratings_org_nip_year")
                    .table(PerformanceRatings::Table)
                    .col(PerformanceRatings::OrganisationId)
                    .col(PerformanceRatings::Nip)
                    .col(PerformanceRatings::Year)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DisciplineRecords::Table)
                    .if_not_exists()
                    .col(uuid(DisciplineRecords::Id).primary_key())
                    .col(uuid(DisciplineRecords::OrganisationId))
                    .col(string_len(DisciplineRecords::Nip, 18))
                    .col(integer(DisciplineRecords::Year))
                    .col(string_len(DisciplineRecords::Level, 10))
                    .col(text_null(DisciplineRecords::Note))
                    .col(timestamp_with_time_zone(DisciplineRecords::ImportedAt))
                    .col(uuid_null(DisciplineRecords::ImportedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_discipline_records_organisation")
                            .from(DisciplineRecords::Table, DisciplineRecords::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_discipline_records_org_nip_year")
                    .table(DisciplineRecords::Table)
                    .col(DisciplineRecords::OrganisationId)
                    .col(DisciplineRecords::Nip)
                    .col(DisciplineRecords::Year)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(DisciplineRecords::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(PerformanceRatings::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum PerformanceRatings {
    Table,
    Id,
    OrganisationId,
    Nip,
    Year,
    Predicate,
    WorkResults,
    WorkBehaviour,
    ImportedAt,
    ImportedBy,
}

#[derive(DeriveIden)]
enum DisciplineRecords {
    Table,
    Id,
    OrganisationId,
    Nip,
    Year,
    Level,
    Note,
    ImportedAt,
    ImportedBy,
}
