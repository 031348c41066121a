//! Overrides: a level a person sets for one participant's competency instead of the computed
//! one, with a reason; audited, and the computed level stays visible beside it.
use super::{of_campaign, rule, ParticipantCompetencies};
use crate::domain::competency::evidence::{EvidenceMapping, LevelOverride};
use crate::domain::competency::rule_set::RuleKind;
use crate::domain::competency::Level;
use crate::domain::ids::{CampaignId, ParticipantId};
use crate::error::{ApiError, ErrorCode};
use crate::services::auth::Staff;
use crate::services::{audited, campaign_rules, AppContext};
use crate::store::audit::AuditRecord;
use crate::store::competency_overrides as overrides;
use crate::store::entities::competency_override;

/// A level a person sets for one participant's competency, or clears (`level: None`).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideRequest {
    /// The level that counts instead of the computed one (1–5); `null` removes the override.
    pub level: Option<u8>,
    /// Why (1–1000 characters); kept with the override and in the audit log.
    pub reason: String,
}

/// Sets (or, with no level, removes) the override of one participant's competency in a campaign
/// of the caller's organisation. The computed level is never changed; the audit log keeps the
/// override before and after.
pub async fn set_override(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
    competency: &str,
    request: OverrideRequest,
) -> Result<ParticipantCompetencies, ApiError> {
    let found = crate::store::campaigns::find_participant(
        &ctx.db,
        staff.organisation,
        campaign,
        participant,
    )
    .await?;
    if found.is_none() {
        return Err(ApiError::not_found("participant"));
    }
    // The mapping the campaign is computed with (pinned, or the current one).
    let mapping = campaign_rules::in_force(ctx, staff, campaign)
        .await?
        .documents
        .into_iter()
        .find(|(kind, _)| *kind == RuleKind::EvidenceMapping)
        .map(|(_, doc)| doc)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no evidence mapping in force")))?;
    let mapping: EvidenceMapping = rule(mapping.document)?;
    let invalid = |field: &str, message: String| {
        ApiError::with_errors(
            ErrorCode::InvalidOverride,
            "the override is not valid; nothing was changed",
            vec![crate::domain::FieldError::top(field, message)],
        )
    };
    if !mapping.competencies.iter().any(|c| c.code == competency) {
        return Err(ApiError::not_found("competency"));
    }
    let now = ctx.clock.now();
    let value = match request.level {
        None => None,
        Some(n) => {
            let level = Level::new(n).map_err(|m| invalid("level", m))?;
            Some(
                LevelOverride::new(level, &request.reason, staff.account, now)
                    .map_err(|m| invalid("reason", m))?,
            )
        }
    };
    if value.is_none() && request.reason.trim().is_empty() {
        return Err(invalid(
            "reason",
            "removing an override needs a reason too".into(),
        ));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let before = overrides::find(&txn, participant, competency).await?;
    overrides::delete(&txn, participant, competency).await?;
    if let Some(v) = &value {
        overrides::insert(
            &txn,
            competency_override::Model {
                id: uuid::Uuid::now_v7(),
                organisation_id: staff.organisation.as_uuid(),
                campaign_id: campaign.as_uuid(),
                participant_id: participant.as_uuid(),
                competency: competency.to_owned(),
                level: i32::from(v.level().get()),
                reason: v.reason().to_owned(),
                created_by: staff.account.as_uuid(),
                created_at: now,
            },
        )
        .await?;
    }
    let shown = |o: Option<(i32, String)>| {
        o.map(|(level, reason)| serde_json::json!({"level": level, "reason": reason}))
    };
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "competency_level.override",
            target_type: "participant",
            target_id: format!("{participant}/{competency}"),
            before: shown(before.map(|b| (b.level, b.reason))),
            after: shown(
                value
                    .as_ref()
                    .map(|v| (i32::from(v.level().get()), v.reason().to_owned())),
            ),
            reason: Some(request.reason.trim().to_owned()),
            at: now,
        },
    )
    .await?;
    of_campaign(ctx, staff, campaign)
        .await?
        .participants
        .into_iter()
        .find(|p| p.participant == participant.as_uuid())
        .ok_or_else(|| ApiError::not_found("participant"))
}
