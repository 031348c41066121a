//! Query steps that several repositories take the same way.
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PrimaryKeyTrait, QueryFilter, Select, UpdateMany,
};
use uuid::Uuid;

use crate::domain::ids::OrganisationId;

/// Rows per multi-row insert: well under SQLite's and PostgreSQL's limits on bound parameters,
/// whatever the number of rows.
const INSERT_CHUNK: usize = 500;

/// Runs a conditional update (`… WHERE status = x`) of one row; whether this call made the
/// change. When several nodes race to change the same row, exactly one of them gets `true`.
pub(super) async fn changed_one<E: EntityTrait>(
    db: &impl ConnectionTrait,
    update: UpdateMany<E>,
) -> Result<bool, DbErr> {
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// A query for the row with this id, only if its `org_column` names `org`: another
/// organisation's row is not found (invariant 6).
pub(super) fn in_org<E>(org_column: E::Column, org: OrganisationId, id: Uuid) -> Select<E>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    E::find_by_id(id).filter(org_column.eq(org.as_uuid()))
}

/// Inserts rows in multi-row statements of at most `INSERT_CHUNK` rows; none for no rows.
pub(super) async fn insert_chunked<A>(
    db: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = A>,
) -> Result<(), DbErr>
where
    A: ActiveModelTrait,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(INSERT_CHUNK).collect();
        A::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Each parent with its children (those `belongs` pairs with it), in the children's order.
pub(super) fn attach<P, C: Clone, R>(
    parents: Vec<P>,
    children: &[C],
    belongs: impl Fn(&P, &C) -> bool,
    record: impl Fn(P, Vec<C>) -> R,
) -> Vec<R> {
    parents
        .into_iter()
        .map(|p| {
            let mine = children
                .iter()
                .filter(|c| belongs(&p, c))
                .cloned()
                .collect();
            record(p, mine)
        })
        .collect()
}
