//! What a campaign tells its candidates besides its tests: the time zone in which their page
//! shows its times (WIB, WITA or WIT; campaigns made before it show WIB), and for the consent
//! screen whom to ask about their personal data and how long it is kept (UU 27/2022), both
//! optional.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        let columns: Vec<ColumnDef> = vec![
            string(Campaigns::TimeZone).default("WIB").to_owned(),
            text_null(Campaigns::DataContact),
            integer_null(Campaigns::RetentionMonths),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Campaigns::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Campaigns::RetentionMonths,
            Campaigns::DataContact,
            Campaigns::TimeZone,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Campaigns::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Campaigns {
    Table,
    TimeZone,
    DataContact,
    RetentionMonths,
}
