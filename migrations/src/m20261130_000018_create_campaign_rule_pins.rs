//! The rule versions a campaign is computed with: a campaign whose competency results must stay as
//! they were pins a version of a rule kind; a kind it does not pin follows the organisation's
//! current version.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CampaignRulePins::Table)
                    .if_not_exists()
                    .col(uuid(CampaignRulePins::CampaignId))
                    .col(string_len(CampaignRulePins::Kind, 40))
                    .col(uuid(CampaignRulePins::OrganisationId))
                    .col(integer(CampaignRulePins::Version))
                    .col(uuid(CampaignRulePins::PinnedBy))
                    .col(timestamp_with_time_zone(CampaignRulePins::PinnedAt))
                    .primary_key(
                        Index::create()
                            .col(CampaignRulePins::CampaignId)
                            .col(CampaignRulePins::Kind),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CampaignRulePins::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CampaignRulePins {
    Table,
    CampaignId,
    Kind,
    OrganisationId,
    Version,
    PinnedBy,
    PinnedAt,
}
