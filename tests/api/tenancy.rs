use serde_json::{json, Value};

use crate::helpers::{assert_error, import, sample_instrument, TestApp};

#[tokio::test]
async fn another_organisation_sees_none_of_the_first_ones_item_bank() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;
    let other = app.second_organisation().await;

    let list: Value = app
        .get("/api/v1/instruments?status=all", &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["instruments"], json!([]));
    for path in [
        format!("/api/v1/instruments/{id}"),
        format!("/api/v1/instruments/{id}/export"),
        format!("/api/v1/instruments/{id}/assets/fig-1.svg"),
    ] {
        assert_error(app.get(&path, &other).await, 404, "not_found").await;
    }
    assert_error(
        app.post(&format!("/api/v1/instruments/{id}/retire"), &other)
            .await,
        404,
        "not_found",
    )
    .await;
    // The same code and version may exist in both organisations.
    import(&app, &other, &sample_instrument("NUM-TEST", 1)).await;
    let detail: Value = app
        .get(&format!("/api/v1/instruments/{id}"), &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["status"], "active");
}

#[tokio::test]
async fn another_organisation_sees_none_of_the_first_ones_accounts_or_batteries() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    import(&app, &admin, &sample_instrument("NUM-TEST", 1)).await;
    let battery = json!({"code": "BAT-1", "name": {"id": "B"}, "sections": [{"instrument": "NUM-TEST", "version": 1,
        "title": {"id": "N"}, "time_limit_seconds": 60, "item_order": "fixed", "shuffle_options": false, "navigation": "free"}]});
    let b: Value = app
        .post_json("/api/v1/batteries", &admin, &battery)
        .await
        .json()
        .await
        .unwrap();
    let me: Value = app
        .get("/api/v1/auth/me", &admin)
        .await
        .json()
        .await
        .unwrap();
    let other = app.second_organisation().await;

    let accounts: Value = app
        .get("/api/v1/accounts", &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        accounts["accounts"].as_array().unwrap().len(),
        1,
        "only its own administrator"
    );
    let admin_id = me["id"].as_str().unwrap();
    assert_error(
        app.post(&format!("/api/v1/accounts/{admin_id}/disable"), &other)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(
        app.get("/api/v1/auth/me", &admin).await.status(),
        200,
        "the first admin is untouched"
    );

    let id = b["id"].as_str().unwrap();
    assert_error(
        app.get(&format!("/api/v1/batteries/{id}"), &other).await,
        404,
        "not_found",
    )
    .await;
    let list: Value = app
        .get("/api/v1/batteries", &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["batteries"], json!([]));
    // A battery cannot reach into another organisation's instruments either.
    let err = assert_error(
        app.post_json("/api/v1/batteries", &other, &battery).await,
        422,
        "invalid_battery",
    )
    .await;
    assert_eq!(err["errors"][0]["field"], "sections[0].instrument");
}

#[tokio::test]
async fn a_candidates_read_never_joins_a_campaign_or_participant_of_another_organisation() {
    use meritest::domain::ids::AttemptId;
    use meritest::store::entities::{attempt, organisation};
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let app = TestApp::spawn_demo().await;
    let (_, token, _) = crate::helpers::started(&app, &[("NUM-SERIES", 600)]).await;
    let id = crate::helpers::the_attempt(&app).await.id;
    let found = meritest::store::attempts::find_with_campaign(&app.ctx.db, AttemptId::from(id))
        .await
        .unwrap()
        .expect("the attempt");
    assert!(found.campaign.is_some() && found.participant.is_some());

    // The attempt's row claims another organisation: its campaign and participant are not
    // that organisation's, so neither is joined, and the candidate's read finds no campaign.
    app.second_organisation().await;
    let other = organisation::Entity::find()
        .filter(organisation::Column::Code.eq("other-org"))
        .one(&app.ctx.db)
        .await
        .unwrap()
        .expect("the second organisation")
        .id;
    attempt::Entity::update_many()
        .col_expr(attempt::Column::OrganisationId, Expr::value(other))
        .filter(attempt::Column::Id.eq(id))
        .exec(&app.ctx.db)
        .await
        .unwrap();
    let found = meritest::store::attempts::find_with_campaign(&app.ctx.db, AttemptId::from(id))
        .await
        .unwrap()
        .expect("the attempt");
    assert_eq!(found.attempt.organisation_id, other);
    assert!(found.campaign.is_none());
    assert!(found.participant.is_none());
    assert_error(
        app.get("/api/v1/candidate/attempt", &token).await,
        404,
        "not_found",
    )
    .await;
}
