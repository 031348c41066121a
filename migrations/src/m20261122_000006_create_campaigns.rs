use sea_orm_migration::{prelude::*, schema::*};

use crate::m20261122_000001_create_organisations_and_accounts::{Accounts, Organisations};
use crate::m20261122_000003_create_batteries::Batteries;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Campaigns::Table)
                    .if_not_exists()
                    .col(uuid(Campaigns::Id).primary_key())
                    .col(uuid(Campaigns::OrganisationId))
                    .col(uuid(Campaigns::BatteryId))
                    .col(string_len(Campaigns::Name, 200))
                    .col(timestamp_with_time_zone(Campaigns::OpensAt))
                    .col(timestamp_with_time_zone(Campaigns::ClosesAt))
                    .col(boolean(Campaigns::ShowScoreToCandidate))
                    .col(boolean(Campaigns::ResumeRequiresUnlock))
                    .col(json_binary(Campaigns::NormRule))
                    .col(timestamp_with_time_zone(Campaigns::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaigns_organisation")
                            .from(Campaigns::Table, Campaigns::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaigns_battery")
                            .from(Campaigns::Table, Campaigns::BatteryId)
                            .to(Batteries::Table, Batteries::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_campaigns_org")
                    .table(Campaigns::Table)
                    .col(Campaigns::OrganisationId)
                    .col(Campaigns::OpensAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CampaignSessions::Table)
                    .if_not_exists()
                    .col(uuid(CampaignSessions::Id).primary_key())
                    .col(uuid(CampaignSessions::CampaignId))
                    .col(integer(CampaignSessions::Position))
                    .col(string_len(CampaignSessions::Name, 80))
                    .col(string_len_null(CampaignSessions::Room, 120))
                    .col(timestamp_with_time_zone(CampaignSessions::StartsAt))
                    .col(integer(CampaignSessions::Capacity))
                    .col(uuid_null(CampaignSessions::ProctorAccountId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaign_sessions_campaign")
                            .from(CampaignSessions::Table, CampaignSessions::CampaignId)
                            .to(Campaigns::Table, Campaigns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_campaign_sessions_proctor")
                            .from(CampaignSessions::Table, CampaignSessions::ProctorAccountId)
                            .to(Accounts::Table, Accounts::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_campaign_sessions_position")
                    .table(CampaignSessions::Table)
                    .col(CampaignSessions::CampaignId)
                    .col(CampaignSessions::Position)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Participants::Table)
                    .if_not_exists()
                    .col(uuid(Participants::Id).primary_key())
                    .col(uuid(Participants::OrganisationId))
                    .col(uuid(Participants::CampaignId))
                    .col(uuid_null(Participants::SessionId))
                    .col(string_len(Participants::Nip, 18))
                    .col(string_len(Participants::Name, 200))
                    .col(string_len_null(Participants::Email, 254))
                    .col(date(Participants::BirthDate))
                    .col(string_len(Participants::Education, 8))
                    .col(string_len(Participants::JobLevel, 80))
                    .col(string_len_null(Participants::Position, 200))
                    .col(string_len_null(Participants::Unit, 200))
                    .col(string_len_null(Participants::GroupCode, 80))
                    .col(string_len_null(Participants::AccessCodeHash, 64))
                    .col(timestamp_with_time_zone_null(Participants::CodeIssuedAt))
                    .col(timestamp_with_time_zone(Participants::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_participants_campaign")
                            .from(Participants::Table, Participants::CampaignId)
                            .to(Campaigns::Table, Campaigns::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_participants_session")
                            .from(Participants::Table, Participants::SessionId)
                            .to(CampaignSessions::Table, CampaignSessions::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_participants_campaign_nip")
                    .table(Participants::Table)
                    .col(Participants::CampaignId)
                    .col(Participants::Nip)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A candidate signs in with the code alone (plus a second factor checked afterwards), so
        // the hash is looked up across all organisations and must be unique.
        manager
            .create_index(
                Index::create()
                    .name("uq_participants_access_code")
                    .table(Participants::Table)
                    .col(Participants::AccessCodeHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Participants::Table.into_iden(),
            CampaignSessions::Table.into_iden(),
            Campaigns::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
pub enum Campaigns {
    Table,
    Id,
    OrganisationId,
    BatteryId,
    Name,
    OpensAt,
    ClosesAt,
    ShowScoreToCandidate,
    ResumeRequiresUnlock,
    NormRule,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum CampaignSessions {
    Table,
    Id,
    CampaignId,
    Position,
    Name,
    Room,
    StartsAt,
    Capacity,
    ProctorAccountId,
}

#[derive(DeriveIden)]
pub enum Participants {
    Table,
    Id,
    OrganisationId,
    CampaignId,
    SessionId,
    Nip,
    Name,
    Email,
    BirthDate,
    Education,
    JobLevel,
    Position,
    Unit,
    GroupCode,
    AccessCodeHash,
    CodeIssuedAt,
    CreatedAt,
}
