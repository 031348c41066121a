//! The assessment centre: a campaign's exercises (interview, group discussion … and the
//! competencies each evidences), assessors assigned to participants per exercise with their
//! ratings (a draft until submitted, then locked), and the level per competency the panel
//! integrates from them. Staff accounts gain the unit they work in (nobody rates someone from
//! their own unit) and a psychologist's licence number (SIPP), printed on released reports.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        let columns: Vec<ColumnDef> = vec![
            string_len_null(Accounts::Unit, 200),
            string_len_null(Accounts::LicenceNumber, 60),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CampaignExercises::Table)
                    .if_not_exists()
                    .col(uuid(CampaignExercises::CampaignId))
                    .col(string_len(CampaignExercises::Code, 40))
                    .col(uuid(CampaignExercises::OrganisationId))
                    .col(string_len(CampaignExercises::Name, 200))
                    .col(text(CampaignExercises::Competencies))
                    .col(integer(CampaignExercises::Position))
                    .primary_key(
                        Index::create()
                            .col(CampaignExercises::CampaignId)
                            .col(CampaignExercises::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AssessorAssignments::Table)
                    .if_not_exists()
                    .col(uuid(AssessorAssignments::Id).primary_key())
                    .col(uuid(AssessorAssignments::OrganisationId))
                    .col(uuid(AssessorAssignments::CampaignId))
                    .col(uuid(AssessorAssignments::ParticipantId))
                    .col(string_len(AssessorAssignments::Exercise, 40))
                    .col(uuid(AssessorAssignments::AssessorId))
                    .col(boolean(AssessorAssignments::Lead).default(false))
                    .col(text(AssessorAssignments::Ratings))
                    .col(string_len(AssessorAssignments::Status, 20))
                    .col(integer(AssessorAssignments::Revision).default(0))
                    .col(uuid(AssessorAssignments::CreatedBy))
                    .col(timestamp_with_time_zone(AssessorAssignments::CreatedAt))
                    .col(timestamp_with_time_zone_null(AssessorAssignments::SavedAt))
                    .col(timestamp_with_time_zone_null(
                        AssessorAssignments::SubmittedAt,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "ux_assessor_assignments_rater",
                vec![
                    AssessorAssignments::ParticipantId,
                    AssessorAssignments::Exercise,
                    AssessorAssignments::AssessorId,
                ],
                true,
            ),
            (
                "ix_assessor_assignments_campaign",
                vec![AssessorAssignments::CampaignId],
                false,
            ),
            (
                "ix_assessor_assignments_assessor",
                vec![AssessorAssignments::AssessorId],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(AssessorAssignments::Table);
            for c in cols {
                index.col(c);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(IntegratedLevels::Table)
                    .if_not_exists()
                    .col(uuid(IntegratedLevels::ParticipantId))
                    .col(string_len(IntegratedLevels::Competency, 20))
                    .col(uuid(IntegratedLevels::OrganisationId))
                    .col(uuid(IntegratedLevels::CampaignId))
                    .col(integer(IntegratedLevels::Level))
                    .col(double(IntegratedLevels::RatingsMean))
                    .col(integer(IntegratedLevels::Ratings))
                    .col(text_null(IntegratedLevels::Reason))
                    .col(uuid(IntegratedLevels::RecordedBy))
                    .col(timestamp_with_time_zone(IntegratedLevels::RecordedAt))
                    .primary_key(
                        Index::create()
                            .col(IntegratedLevels::ParticipantId)
                            .col(IntegratedLevels::Competency),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_integrated_levels_campaign")
                    .table(IntegratedLevels::Table)
                    .col(IntegratedLevels::CampaignId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IntegratedLevels::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AssessorAssignments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(CampaignExercises::Table).to_owned())
            .await?;
        for column in [Accounts::LicenceNumber, Accounts::Unit] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Accounts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Unit,
    LicenceNumber,
}

#[derive(DeriveIden)]
enum CampaignExercises {
    Table,
    CampaignId,
    Code,
    OrganisationId,
    Name,
    Competencies,
    Position,
}

#[derive(DeriveIden)]
enum AssessorAssignments {
    Table,
    Id,
    OrganisationId,
    CampaignId,
    ParticipantId,
    Exercise,
    AssessorId,
    Lead,
    Ratings,
    Status,
    Revision,
    CreatedBy,
    CreatedAt,
    SavedAt,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum IntegratedLevels {
    Table,
    ParticipantId,
    Competency,
    OrganisationId,
    CampaignId,
    Level,
    RatingsMean,
    Ratings,
    Reason,
    RecordedBy,
    RecordedAt,
}
