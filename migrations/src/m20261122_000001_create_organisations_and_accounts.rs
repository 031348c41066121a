use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisations::Table)
                    .if_not_exists()
                    .col(uuid(Organisations::Id).primary_key())
                    .col(string_len_uniq(Organisations::Code, 64))
                    .col(string_len(Organisations::Name, 200))
                    .col(timestamp_with_time_zone(Organisations::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .if_not_exists()
                    .col(uuid(Accounts::Id).primary_key())
                    .col(uuid(Accounts::OrganisationId))
                    .col(string_len_uniq(Accounts::Email, 254))
                    .col(string_len(Accounts::Name, 200))
                    .col(string_len(Accounts::Role, 32))
                    .col(string_len(Accounts::PasswordHash, 200))
                    .col(boolean(Accounts::Disabled).default(false))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone(Accounts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_organisation")
                            .from(Accounts::Table, Accounts::OrganisationId)
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_accounts_organisation")
                    .table(Accounts::Table)
                    .col(Accounts::OrganisationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Accounts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Organisations::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
pub enum Organisations {
    Table,
    Id,
    Code,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
pub enum Accounts {
    Table,
    Id,
    OrganisationId,
    Email,
    Name,
    Role,
    PasswordHash,
    Disabled,
    CreatedAt,
    UpdatedAt,
}
