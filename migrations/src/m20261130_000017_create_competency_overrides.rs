//! Levels set by a person instead of the computed one (e.g. after an assessor panel), one per
//! participant and competency, with who, when and why; the computed level stays beside it.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CompetencyOverrides::Table)
                    .if_not_exists()
                    .col(uuid(CompetencyOverrides::Id).primary_key())
                    .col(uuid(CompetencyOverrides::OrganisationId))
                    .col(uuid(CompetencyOverrides::CampaignId))
                    .col(uuid(CompetencyOverrides::ParticipantId))
                    .col(string_len(CompetencyOverrides::Competency, 20))
                    .col(integer(CompetencyOverrides::Level))
                    .col(text(CompetencyOverrides::Reason))
                    .col(uuid(CompetencyOverrides::CreatedBy))
                    .col(timestamp_with_time_zone(CompetencyOverrides::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_competency_overrides_participant")
                    .table(CompetencyOverrides::Table)
                    .col(CompetencyOverrides::ParticipantId)
                    .col(CompetencyOverrides::Competency)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_competency_overrides_campaign")
                    .table(CompetencyOverrides::Table)
                    .col(CompetencyOverrides::CampaignId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CompetencyOverrides::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CompetencyOverrides {
    Table,
    Id,
    OrganisationId,
    CampaignId,
    ParticipantId,
    Competency,
    Level,
    Reason,
    CreatedBy,
    CreatedAt,
}
