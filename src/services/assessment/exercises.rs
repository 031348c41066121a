//! A campaign's exercises: HR lists them with the competencies each evidences; assessors and
//! psychologists read them.
use serde::{Deserialize, Serialize};

use super::{campaign_in_org, exercises_of};
use crate::domain::assessment::exercise::{Exercise, ExerciseList};
use crate::domain::ids::CampaignId;
use crate::error::{ApiError, ErrorCode};
use crate::services::auth::Staff;
use crate::services::{audited, competencies, AppContext};
use crate::store::audit::AuditRecord;
use crate::store::entities::campaign_exercise;

/// A campaign's exercises.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExercisesDoc {
    /// In the order assessors and reports show them.
    pub exercises: Vec<Exercise>,
}

/// The exercises of a campaign of the caller's organisation.
pub async fn list(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
) -> Result<ExercisesDoc, ApiError> {
    campaign_in_org(&ctx.db, staff.organisation, campaign).await?;
    Ok(ExercisesDoc {
        exercises: exercises_of(&ctx.db, staff.organisation, campaign).await?,
    })
}

/// Replaces a campaign's exercises (audited). Refused whole, naming each problem, when the list
/// is not valid; an exercise that has assignments cannot be removed (`exercise_in_use`) but may
/// be renamed or given other competencies.
pub async fn replace(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    doc: ExercisesDoc,
) -> Result<ExercisesDoc, ApiError> {
    campaign_in_org(&ctx.db, staff.organisation, campaign).await?;
    let framework = competencies::current_of(&ctx.db, staff.organisation).await?;
    let known: Vec<String> = framework.framework.codes().map(str::to_owned).collect();
    let list = ExerciseList::parse(doc.exercises, &known).map_err(|errs| {
        ApiError::with_errors(
            ErrorCode::InvalidExercises,
            "the exercise list is not valid; nothing was changed",
            errs,
        )
    })?;
    let txn = crate::store::begin_write(&ctx.db).await?;
    let before = exercises_of(&txn, staff.organisation, campaign).await?;
    let in_use = crate::store::assessor_assignments::exercises_in_use(&txn, campaign).await?;
    if let Some((code, n)) = in_use
        .iter()
        .find(|(code, _)| !list.items().iter().any(|e| &e.code == code))
    {
        return Err(ApiError::new(
            ErrorCode::ExerciseInUse,
            format!(
                "exercise '{code}' has {n} assessor assignment(s): remove them before removing \
                 the exercise; nothing was changed"
            ),
        ));
    }
    let rows = list
        .items()
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Ok(campaign_exercise::Model {
                campaign_id: campaign.as_uuid(),
                code: e.code.clone(),
                organisation_id: staff.organisation.as_uuid(),
                name: e.name.clone(),
                competencies: serde_json::to_string(&e.competencies).map_err(ApiError::internal)?,
                position: i as i32,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    crate::store::exercises::replace(&txn, campaign, rows).await?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "campaign.exercises",
            target_type: "campaign",
            target_id: campaign.to_string(),
            before: Some(serde_json::json!(before)),
            after: Some(serde_json::json!(list.items())),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(ExercisesDoc {
        exercises: list.into_items(),
    })
}
