//! A staff e-mail address is unique within its organisation instead of across meritest: one
//! person may hold accounts in two organisations, and an administrator creating an account can no
//! longer learn that an address is used in another organisation.
//!
//! PostgreSQL drops the column's unique constraint. SQLite cannot drop a column constraint, so the
//! table is rebuilt (copied, dropped, created without it, filled again) in one transaction whose
//! foreign keys are checked at commit: the sessions that name a proctor find their account again,
//! and if one did not, the commit would fail and nothing would change.
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DbBackend::Sqlite => rebuild_on_sqlite(manager, false).await?,
            _ => {
                manager
                    .get_connection()
                    .execute_unprepared(
                        "ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_email_key",
                    )
                    .await?;
            }
        }
        manager
            .create_index(
                Index::create()
                    .name("uq_accounts_organisation_email")
                    .table(Accounts::Table)
                    .col(Accounts::OrganisationId)
                    .col(Accounts::Email)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Sign-in looks an address up in every organisation.
        manager
            .create_index(
                Index::create()
                    .name("idx_accounts_email")
                    .table(Accounts::Table)
                    .col(Accounts::Email)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_accounts_email", "uq_accounts_organisation_email"] {
            manager
                .drop_index(Index::drop().name(name).table(Accounts::Table).to_owned())
                .await?;
        }
        // Fails, changing nothing, while two organisations share an address.
        match manager.get_database_backend() {
            DbBackend::Sqlite => rebuild_on_sqlite(manager, true).await,
            _ => manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email)",
                )
                .await
                .map(|_| ()),
        }
    }
}

/// The accounts table as created in the first migration, its e-mail address unique across
/// meritest or not.
fn accounts_table(unique_email: bool) -> TableCreateStatement {
    let email = if unique_email {
        string_len_uniq(Accounts::Email, 254)
    } else {
        string_len(Accounts::Email, 254)
    };
    Table::create()
        .table(Accounts::Table)
        .col(uuid(Accounts::Id).primary_key())
        .col(uuid(Accounts::OrganisationId))
        .col(email)
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
        .to_owned()
}

/// Rebuilds the SQLite accounts table with or without its column-level unique e-mail address.
async fn rebuild_on_sqlite(manager: &SchemaManager<'_>, unique_email: bool) -> Result<(), DbErr> {
    const COLUMNS: &str =
        "id, organisation_id, email, name, role, password_hash, disabled, created_at, updated_at";
    let txn = manager.get_connection().begin().await?;
    let backend = txn.get_database_backend();
    // Dropping the table orphans the sessions naming a proctor until the rows are back: their
    // foreign keys are checked at commit instead of at once.
    txn.execute_unprepared("PRAGMA defer_foreign_keys = ON")
        .await?;
    txn.execute_unprepared(&format!(
        "CREATE TABLE accounts_rebuilt AS SELECT {COLUMNS} FROM accounts"
    ))
    .await?;
    txn.execute_unprepared("DROP TABLE accounts").await?;
    txn.execute(backend.build(&accounts_table(unique_email)))
        .await?;
    txn.execute_unprepared(&format!(
        "INSERT INTO accounts ({COLUMNS}) SELECT {COLUMNS} FROM accounts_rebuilt"
    ))
    .await?;
    txn.execute_unprepared("DROP TABLE accounts_rebuilt")
        .await?;
    txn.execute(
        backend.build(
            &Index::create()
                .name("idx_accounts_organisation")
                .table(Accounts::Table)
                .col(Accounts::OrganisationId)
                .to_owned(),
        ),
    )
    .await?;
    txn.commit().await
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
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
