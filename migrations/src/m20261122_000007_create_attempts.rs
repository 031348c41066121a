use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_organisations_and_accounts::Organisations;
use crate::m20261122_000002_create_item_bank::Instruments;
use crate::m20261122_000006_create_campaigns::{Campaigns, Participants};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attempts::Table)
                    .if_not_exists()
                    .col(uuid(Attempts::Id).primary_key())
                    .col(uuid(Attempts::OrganisationId))
                    .col(uuid(Attempts::CampaignId))
                    .col(uuid(Attempts::ParticipantId))
                    .col(big_integer(Attempts::Seed))
                    .col(string_len(Attempts::Status, 16))
                    .col(string_len(Attempts::NormGroup, 40))
                    .col(string_len_null(Attempts::DeviceId, 40))
                    .col(timestamp_with_time_zone_null(Attempts::ConsentAt))
                    .col(timestamp_with_time_zone_null(Attempts::StartedAt))
                    .col(timestamp_with_time_zone_null(Attempts::FinishedAt))
                    .col(timestamp_with_time_zone(Attempts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempts_organisation")
                            .from(Attempts::Table, Attempts::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempts_campaign")
                            .from(Attempts::Table, Attempts::CampaignId)
                            .to(Campaigns::Table, Campaigns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempts_participant")
                            .from(Attempts::Table, Attempts::ParticipantId)
                            .to(Participants::Table, Participants::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_attempts_participant")
                    .table(Attempts::Table)
                    .col(Attempts::ParticipantId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_attempts_campaign")
                    .table(Attempts::Table)
                    .col(Attempts::CampaignId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttemptSections::Table)
                    .if_not_exists()
                    .col(uuid(AttemptSections::AttemptId))
                    .col(integer(AttemptSections::Position))
                    .col(uuid(AttemptSections::InstrumentId))
                    .col(json_binary(AttemptSections::Plan))
                    .col(boolean(AttemptSections::ForwardOnly))
                    .col(string_len(AttemptSections::Status, 16))
                    .col(timestamp_with_time_zone_null(AttemptSections::StartedAt))
                    .col(timestamp_with_time_zone_null(AttemptSections::DeadlineAt))
                    .col(timestamp_with_time_zone_null(AttemptSections::ClosedAt))
                    .col(string_len_null(AttemptSections::ClosedReason, 16))
                    .primary_key(
                        Index::create()
                            .col(AttemptSections::AttemptId)
                            .col(AttemptSections::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempt_sections_attempt")
                            .from(AttemptSections::Table, AttemptSections::AttemptId)
                            .to(Attempts::Table, Attempts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempt_sections_instrument")
                            .from(AttemptSections::Table, AttemptSections::InstrumentId)
                            .to(Instruments::Table, Instruments::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // The expiry sweep looks for open sections whose deadline has passed.
        manager
            .create_index(
                Index::create()
                    .name("ix_attempt_sections_open_deadline")
                    .table(AttemptSections::Table)
                    .col(AttemptSections::Status)
                    .col(AttemptSections::DeadlineAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Responses::Table)
                    .if_not_exists()
                    .col(uuid(Responses::AttemptId))
                    .col(integer(Responses::SectionPosition))
                    .col(string_len(Responses::ItemCode, 40))
                    .col(json_binary(Responses::Value))
                    .col(big_integer(Responses::ClientSeq))
                    .col(boolean(Responses::Flagged))
                    .col(timestamp_with_time_zone(Responses::ReceivedAt))
                    .primary_key(
                        Index::create()
                            .col(Responses::AttemptId)
                            .col(Responses::SectionPosition)
                            .col(Responses::ItemCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_responses_attempt")
                            .from(Responses::Table, Responses::AttemptId)
                            .to(Attempts::Table, Attempts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Scores::Table)
                    .if_not_exists()
                    .col(uuid(Scores::AttemptId))
                    .col(integer(Scores::SectionPosition))
                    .col(string_len(Scores::ScaleCode, 40))
                    .col(uuid(Scores::InstrumentId))
                    .col(double_null(Scores::Raw))
                    .col(integer(Scores::Answered))
                    .col(integer(Scores::Administered))
                    .col(json_binary(Scores::Detail))
                    .col(uuid_null(Scores::NormTableId))
                    .col(string_len(Scores::ScoringVersion, 40))
                    .col(timestamp_with_time_zone(Scores::ScoredAt))
                    .primary_key(
                        Index::create()
                            .col(Scores::AttemptId)
                            .col(Scores::SectionPosition)
                            .col(Scores::ScaleCode),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_scores_attempt")
                            .from(Scores::Table, Scores::AttemptId)
                            .to(Attempts::Table, Attempts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Scores::Table.into_iden(),
            Responses::Table.into_iden(),
            AttemptSections::Table.into_iden(),
            Attempts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum Attempts {
    Table,
    Id,
    OrganisationId,
    CampaignId,
    ParticipantId,
    Seed,
    Status,
    NormGroup,
    DeviceId,
    ConsentAt,
    StartedAt,
    FinishedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum AttemptSections {
    Table,
    AttemptId,
    Position,
    InstrumentId,
    Plan,
    ForwardOnly,
    Status,
    StartedAt,
    DeadlineAt,
    ClosedAt,
    ClosedReason,
}

#[derive(DeriveIden)]
pub enum Responses {
    Table,
    AttemptId,
    SectionPosition,
    ItemCode,
    Value,
    ClientSeq,
    Flagged,
    ReceivedAt,
}

#[derive(DeriveIden)]
pub enum Scores {
    Table,
    AttemptId,
    SectionPosition,
    ScaleCode,
    InstrumentId,
    Raw,
    Answered,
    Administered,
    Detail,
    NormTableId,
    ScoringVersion,
    ScoredAt,
}
