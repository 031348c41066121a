//! Job competency standards: the required level per competency for a job level, optionally for
//! one position. `job_standards` holds what identifies a standard (at most one per job level and
//! position, the position compared by `position_key`: lower case without spaces, '' for "any
//! position") and which version is current; `job_standard_versions` holds each version's levels,
//! never changed once written, so a result can name the version it used.
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
                    .table(JobStandards::Table)
                    .if_not_exists()
                    .col(uuid(JobStandards::Id).primary_key())
                    .col(uuid(JobStandards::OrganisationId))
                    .col(string_len(JobStandards::JobLevel, 40))
                    .col(string_len_null(JobStandards::Position, 200))
                    .col(string_len(JobStandards::PositionKey, 200))
                    .col(integer(JobStandards::CurrentVersion))
                    .col(timestamp_with_time_zone(JobStandards::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_job_standards_organisation")
                            .from(JobStandards::Table, JobStandards::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_job_standards_org_job_position")
                    .table(JobStandards::Table)
                    .col(JobStandards::OrganisationId)
                    .col(JobStandards::JobLevel)
                    .col(JobStandards::PositionKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobStandardVersions::Table)
                    .if_not_exists()
                    .col(uuid(JobStandardVersions::Id).primary_key())
                    .col(uuid(JobStandardVersions::JobStandardId))
                    .col(uuid(JobStandardVersions::OrganisationId))
                    .col(integer(JobStandardVersions::Version))
                    .col(json_binary(JobStandardVersions::Levels))
                    .col(integer(JobStandardVersions::FrameworkVersion))
                    .col(timestamp_with_time_zone(JobStandardVersions::CreatedAt))
                    .col(uuid_null(JobStandardVersions::CreatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_job_standard_versions_standard")
                            .from(
                                JobStandardVersions::Table,
                                JobStandardVersions::JobStandardId,
                            )
                            .to(JobStandards::Table, JobStandards::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_job_standard_versions_standard_version")
                    .table(JobStandardVersions::Table)
                    .col(JobStandardVersions::JobStandardId)
                    .col(JobStandardVersions::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_job_standard_versions_organisation")
                    .table(JobStandardVersions::Table)
                    .col(JobStandardVersions::OrganisationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobStandardVersions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(JobStandards::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum JobStandards {
    Table,
    Id,
    OrganisationId,
    JobLevel,
    Position,
    PositionKey,
    CurrentVersion,
    CreatedAt,
}

#[derive(DeriveIden)]
enum JobStandardVersions {
    Table,
    Id,
    JobStandardId,
    OrganisationId,
    Version,
    Levels,
    FrameworkVersion,
    CreatedAt,
    CreatedBy,
}
