//! Released psychological reports: every release of a participant's report (or a campaign's
//! summary) is a new, immutable row with its PDF, the SHA-256 of the PDF, the digest of the data
//! it was built from, and the releasing psychologist's name and licence number as printed. A
//! correction is released as the next version; earlier versions stay. Campaigns gain whether
//! their participants may download their own released report.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportReleases::Table)
                    .if_not_exists()
                    .col(uuid(ReportReleases::Id).primary_key())
                    .col(uuid(ReportReleases::ReportId))
                    .col(integer(ReportReleases::Version))
                    .col(uuid(ReportReleases::OrganisationId))
                    .col(uuid(ReportReleases::CampaignId))
                    .col(uuid_null(ReportReleases::ParticipantId))
                    .col(string_len(ReportReleases::Kind, 20))
                    .col(string_len(ReportReleases::Language, 5))
                    .col(string_len(ReportReleases::ContentHash, 64))
                    .col(string_len(ReportReleases::DataDigest, 64))
                    .col(text(ReportReleases::DataVersions))
                    .col(big_integer(ReportReleases::SizeBytes))
                    .col(binary(ReportReleases::Pdf))
                    .col(uuid(ReportReleases::ReleasedBy))
                    .col(string_len(ReportReleases::PsychologistName, 200))
                    .col(string_len(ReportReleases::LicenceNumber, 60))
                    .col(timestamp_with_time_zone(ReportReleases::ReleasedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_report_releases_version")
                    .table(ReportReleases::Table)
                    .col(ReportReleases::ReportId)
                    .col(ReportReleases::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_report_releases_campaign")
                    .table(ReportReleases::Table)
                    .col(ReportReleases::CampaignId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Campaigns::Table)
                    .add_column(boolean(Campaigns::ReportsToParticipants).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Campaigns::Table)
                    .drop_column(Campaigns::ReportsToParticipants)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ReportReleases::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum ReportReleases {
    Table,
    Id,
    ReportId,
    Version,
    OrganisationId,
    CampaignId,
    ParticipantId,
    Kind,
    Language,
    ContentHash,
    DataDigest,
    DataVersions,
    SizeBytes,
    Pdf,
    ReleasedBy,
    PsychologistName,
    LicenceNumber,
    ReleasedAt,
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    ReportsToParticipants,
}
