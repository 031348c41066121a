//! Integration: the panel (HR, a psychologist, or the participant's lead assessor) records the
//! final level of each competency from the submitted ratings, with a reason where it departs
//! from their mean (`domain::assessment::integration`). The level then reaches the competency
//! results through the evidence mapping's `assessor_panel` source.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{campaign_in_org, exercises_of, sheet_of, status_of, AssessorRef, RatedParticipant};
use crate::domain::account::Role;
use crate::domain::assessment::integration::{ratings_mean, IntegratedLevel};
use crate::domain::assessment::rating::SheetStatus;
use crate::domain::competency::Level;
use crate::domain::ids::{CampaignId, ParticipantId};
use crate::domain::text::Text;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::services::auth::Staff;
use crate::services::{audited, competencies, AppContext};
use crate::store::audit::AuditRecord;
use crate::store::entities::{assessor_assignment, integrated_level, participant};
use crate::store::{accounts, assessor_assignments, integrated_levels};

/// One submitted rating as the panel reads it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PanelRating {
    /// The exercise.
    pub exercise: String,
    /// The assessor.
    pub assessor: AssessorRef,
    /// The level, 1–5.
    pub level: u8,
    /// The behaviour observed.
    pub evidence: String,
}

/// A recorded final level.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecordedLevel {
    /// The final level.
    pub level: u8,
    /// The mean of the ratings when it was recorded.
    pub ratings_mean: f64,
    /// How many ratings that mean was of.
    pub ratings: i32,
    /// The panel's reason.
    pub reason: Option<String>,
    /// Who recorded it.
    pub recorded_by: AssessorRef,
    /// When.
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

/// One competency at the integration meeting.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PanelCompetency {
    /// Code.
    pub code: String,
    /// Name.
    pub name: Option<Text>,
    /// Every submitted rating of it, by exercise then assessor.
    pub ratings: Vec<PanelRating>,
    /// Their mean.
    pub mean: Option<f64>,
    /// The mean rounded half up: the level that needs no reason.
    pub suggested: Option<u8>,
    /// The level recorded, if any.
    pub integrated: Option<RecordedLevel>,
}

/// A sheet not yet submitted.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PendingSheet {
    /// The assignment.
    pub assignment: uuid::Uuid,
    /// The exercise.
    pub exercise: String,
    /// The assessor.
    pub assessor: AssessorRef,
}

/// A participant's integration.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Integration {
    /// Who.
    pub participant: RatedParticipant,
    /// Sheets still drafts: the panel integrates once they are submitted.
    pub pending: Vec<PendingSheet>,
    /// The competencies the campaign's exercises evidence, in the framework's order.
    pub competencies: Vec<PanelCompetency>,
}

/// The final levels to record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordLevels {
    /// By competency code; a competency left out keeps what it has.
    pub levels: BTreeMap<String, LevelChoice>,
}

/// One final level.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelChoice {
    /// The level, 1–5.
    #[schema(minimum = 1, maximum = 5)]
    pub level: u8,
    /// Why, required when the level departs from the mean of the ratings by more than half a
    /// level.
    #[serde(default)]
    pub reason: Option<String>,
}

/// What the panel reads, after the caller's right to it is checked.
struct Panel {
    participant: participant::Model,
    rows: Vec<assessor_assignment::Model>,
    codes: Vec<String>,
}

async fn panel(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    id: ParticipantId,
) -> Result<Panel, ApiError> {
    campaign_in_org(&ctx.db, staff.organisation, campaign).await?;
    let participant =
        crate::store::campaigns::find_participant(&ctx.db, staff.organisation, campaign, id)
            .await?
            .ok_or_else(|| ApiError::not_found("participant"))?;
    let rows = assessor_assignments::of_participant(&ctx.db, staff.organisation, id).await?;
    if staff.role == Role::Assessor {
        // A lead assessor of this participant, once their own sheets are in; other assessors
        // see nothing of the panel (404: it is not theirs).
        let mine: Vec<&assessor_assignment::Model> = rows
            .iter()
            .filter(|r| r.assessor_id == staff.account.as_uuid())
            .collect();
        if !mine.iter().any(|r| r.lead) {
            return Err(ApiError::not_found("participant"));
        }
        if mine
            .iter()
            .any(|r| r.status != SheetStatus::Submitted.as_str())
        {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "submit your own ratings of this participant before reading the panel's",
            ));
        }
    }
    let mut codes: Vec<String> = Vec::new();
    for e in exercises_of(&ctx.db, staff.organisation, campaign).await? {
        for c in e.competencies {
            if !codes.contains(&c) {
                codes.push(c);
            }
        }
    }
    Ok(Panel {
        participant,
        rows,
        codes,
    })
}

/// The participant's submitted ratings and recorded levels per competency.
pub async fn read(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    id: ParticipantId,
) -> Result<Integration, ApiError> {
    let p = panel(ctx, staff, campaign, id).await?;
    let names: BTreeMap<uuid::Uuid, String> = accounts::list(&ctx.db, staff.organisation)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let who = |id: uuid::Uuid| AssessorRef {
        id,
        name: names.get(&id).cloned().unwrap_or_default(),
    };
    let framework = competencies::current_of(&ctx.db, staff.organisation).await?;
    let order: Vec<&str> = framework.framework.codes().collect();
    let mut codes = p.codes.clone();
    codes.sort_by_key(|c| order.iter().position(|o| o == c).unwrap_or(usize::MAX));
    let recorded: BTreeMap<String, integrated_level::Model> =
        integrated_levels::of_participant(&ctx.db, id)
            .await?
            .into_iter()
            .map(|r| (r.competency.clone(), r))
            .collect();
    let mut pending = Vec::new();
    let mut by_code: BTreeMap<String, Vec<PanelRating>> = BTreeMap::new();
    for row in &p.rows {
        if status_of(row)? != SheetStatus::Submitted {
            pending.push(PendingSheet {
                assignment: row.id,
                exercise: row.exercise.clone(),
                assessor: who(row.assessor_id),
            });
            continue;
        }
        for (code, r) in sheet_of(row)? {
            if let Some(level) = r.level {
                by_code.entry(code).or_default().push(PanelRating {
                    exercise: row.exercise.clone(),
                    assessor: who(row.assessor_id),
                    level,
                    evidence: r.evidence,
                });
            }
        }
    }
    let competencies = codes
        .into_iter()
        .map(|code| {
            let ratings = by_code.remove(&code).unwrap_or_default();
            let levels: Vec<u8> = ratings.iter().map(|r| r.level).collect();
            let mean = ratings_mean(&levels);
            PanelCompetency {
                name: framework
                    .framework
                    .doc()
                    .competencies
                    .iter()
                    .find(|c| c.code == code)
                    .map(|c| c.name.clone()),
                suggested: mean.map(|m| Level::nearest(m).get()),
                integrated: recorded.get(&code).map(|r| RecordedLevel {
                    level: r.level.clamp(1, 5) as u8,
                    ratings_mean: r.ratings_mean,
                    ratings: r.ratings,
                    reason: r.reason.clone(),
                    recorded_by: who(r.recorded_by),
                    recorded_at: r.recorded_at,
                }),
                code,
                ratings,
                mean,
            }
        })
        .collect();
    Ok(Integration {
        participant: (&p.participant).into(),
        pending,
        competencies,
    })
}

/// Records final levels (audited with the levels before and after). Refused whole, naming each
/// problem, when a sheet of the participant is still a draft, a competency is not evidenced by
/// the campaign's exercises or has no submitted rating, a level is outside 1–5, or a level
/// departs from the mean without a reason.
pub async fn record(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    id: ParticipantId,
    request: RecordLevels,
) -> Result<Integration, ApiError> {
    let p = panel(ctx, staff, campaign, id).await?;
    let mut errs = Vec::new();
    let drafts = p
        .rows
        .iter()
        .filter(|r| r.status != SheetStatus::Submitted.as_str())
        .count();
    if drafts > 0 {
        errs.push(FieldError::top(
            "levels",
            format!(
                "{drafts} rating sheet(s) of this participant are not submitted yet: the panel \
                 integrates once every assessor has submitted"
            ),
        ));
    }
    if request.levels.is_empty() {
        errs.push(FieldError::top("levels", "name at least one competency"));
    }
    let mut ratings: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for row in p
        .rows
        .iter()
        .filter(|r| r.status == SheetStatus::Submitted.as_str())
    {
        for (code, r) in sheet_of(row)? {
            if let Some(level) = r.level {
                ratings.entry(code).or_default().push(level);
            }
        }
    }
    let now = ctx.clock.now();
    let mut rows = Vec::new();
    for (code, choice) in &request.levels {
        let at = format!("levels.{code}");
        if !p.codes.contains(code) {
            errs.push(FieldError::top(
                at,
                "no exercise of this campaign evidences this competency",
            ));
            continue;
        }
        let level = match Level::new(choice.level) {
            Ok(l) => l,
            Err(m) => {
                errs.push(FieldError::top(format!("{at}.level"), m));
                continue;
            }
        };
        let given = ratings.get(code).map(Vec::as_slice).unwrap_or_default();
        match IntegratedLevel::new(level, given, choice.reason.as_deref()) {
            Ok(l) => rows.push(integrated_level::Model {
                participant_id: id.as_uuid(),
                competency: code.clone(),
                organisation_id: staff.organisation.as_uuid(),
                campaign_id: campaign.as_uuid(),
                level: i32::from(l.level().get()),
                ratings_mean: l.mean(),
                ratings: l.ratings() as i32,
                reason: l.reason().map(str::to_owned),
                recorded_by: staff.account.as_uuid(),
                recorded_at: now,
            }),
            Err(m) => {
                let field = if given.is_empty() {
                    at
                } else {
                    format!("{at}.reason")
                };
                errs.push(FieldError::top(field, m));
            }
        }
    }
    if !errs.is_empty() {
        return Err(ApiError::with_errors(
            ErrorCode::InvalidIntegration,
            "the integrated levels are not valid; nothing was changed",
            errs,
        ));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let before: Vec<serde_json::Value> = integrated_levels::of_participant(&txn, id)
        .await?
        .into_iter()
        .filter(|r| request.levels.contains_key(&r.competency))
        .map(|r| serde_json::json!({"competency": r.competency, "level": r.level, "reason": r.reason}))
        .collect();
    let after: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({"competency": r.competency, "level": r.level,
                "ratings_mean": r.ratings_mean, "reason": r.reason})
        })
        .collect();
    integrated_levels::replace(&txn, id, rows).await?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "competency_level.integrate",
            target_type: "participant",
            target_id: id.to_string(),
            before: Some(serde_json::json!(before)),
            after: Some(serde_json::json!(after)),
            reason: None,
            at: now,
        },
    )
    .await?;
    read(ctx, staff, campaign, id).await
}
