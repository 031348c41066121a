//! The competency framework of each organisation, one row per version: a whole framework
//! document (competencies, their kinds, names, definitions and levels 1–5 with indicators) is
//! never changed in place, so a result that names the version it was judged by can always read it.
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
                    .table(CompetencyFrameworks::Table)
                    .if_not_exists()
                    .col(uuid(CompetencyFrameworks::Id).primary_key())
                    .col(uuid(CompetencyFrameworks::OrganisationId))
                    .col(integer(CompetencyFrameworks::Version))
                    .col(json_binary(CompetencyFrameworks::Document))
                    .col(timestamp_with_time_zone(CompetencyFrameworks::CreatedAt))
                    .col(uuid_null(CompetencyFrameworks::CreatedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_competency_frameworks_organisation")
                            .from(
                                CompetencyFrameworks::Table,
                                CompetencyFrameworks::OrganisationId,
                            )
                            .to(Organisations::Table, Organisations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Two writers of the same next version: one of them fails here rather than both
        // becoming "version n".
        manager
            .create_index(
                Index::create()
                    .name("uq_competency_frameworks_org_version")
                    .table(CompetencyFrameworks::Table)
                    .col(CompetencyFrameworks::OrganisationId)
                    .col(CompetencyFrameworks::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CompetencyFrameworks::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CompetencyFrameworks {
    Table,
    Id,
    OrganisationId,
    Version,
    Document,
    CreatedAt,
    CreatedBy,
}
