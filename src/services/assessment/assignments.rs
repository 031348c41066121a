//! HR assigns assessors to participants per exercise: a list of pairs, or by rule (so many
//! assessors per participant, balanced load, nobody from the participant's own unit). Every
//! request is checked whole and stores all of its assignments or none.
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{campaign_in_org, exercises_of, sheet_of, status_of, AssessorRef, RatedParticipant};
use crate::domain::account::Role;
use crate::domain::assessment::assignment_file::parse_assignments;
use crate::domain::assessment::assignment_plan::{self, same_unit, Member};
use crate::domain::assessment::rating::{DraftRating, SheetStatus};
use crate::domain::ids::{AssignmentId, CampaignId};
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::services::auth::Staff;
use crate::services::{audited, AppContext};
use crate::store::audit::AuditRecord;
use crate::store::entities::{account, assessor_assignment, participant};
use crate::store::{accounts, assessor_assignments as repo};

/// An assignment as HR sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AssignmentView {
    /// Assignment id.
    pub id: uuid::Uuid,
    /// The campaign.
    pub campaign: uuid::Uuid,
    /// Who is rated.
    pub participant: RatedParticipant,
    /// The exercise code.
    pub exercise: String,
    /// The assessor.
    pub assessor: AssessorRef,
    /// Whether the assessor leads this participant's panel (may record integrated levels).
    pub lead: bool,
    /// `draft` or `submitted`.
    pub status: SheetStatus,
    /// Raised by every save.
    pub revision: i32,
    /// When last saved as a draft.
    pub saved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When submitted.
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The submitted ratings (empty while a draft: HR sees a sheet once it is submitted).
    #[schema(value_type = BTreeMap<String, DraftRating>)]
    pub ratings: BTreeMap<String, DraftRating>,
}

pub(super) fn view(
    row: &assessor_assignment::Model,
    participant: &participant::Model,
    assessor: &account::Model,
    show_drafts: bool,
) -> Result<AssignmentView, ApiError> {
    let status = status_of(row)?;
    Ok(AssignmentView {
        id: row.id,
        campaign: row.campaign_id,
        participant: participant.into(),
        exercise: row.exercise.clone(),
        assessor: AssessorRef {
            id: assessor.id,
            name: assessor.name.clone(),
        },
        lead: row.lead,
        status,
        revision: row.revision,
        saved_at: row.saved_at,
        submitted_at: row.submitted_at,
        ratings: if status == SheetStatus::Submitted || show_drafts {
            sheet_of(row)?
        } else {
            BTreeMap::new()
        },
    })
}

/// Every assignment of a campaign, with its participant and assessor.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssignmentList {
    /// Oldest first.
    pub assignments: Vec<AssignmentView>,
    /// How many are submitted.
    pub submitted: usize,
}

/// Looks up participants and accounts for rows and builds their views.
pub(super) async fn views_of(
    ctx: &AppContext,
    staff: &Staff,
    rows: &[assessor_assignment::Model],
    show_drafts: bool,
) -> Result<Vec<AssignmentView>, ApiError> {
    let ids: Vec<uuid::Uuid> = rows
        .iter()
        .map(|r| r.participant_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let people: HashMap<uuid::Uuid, participant::Model> =
        crate::store::campaigns::participants_by_id(&ctx.db, &ids)
            .await?
            .into_iter()
            .filter(|p| p.organisation_id == staff.organisation.as_uuid())
            .map(|p| (p.id, p))
            .collect();
    let staff_accounts: HashMap<uuid::Uuid, account::Model> =
        accounts::list(&ctx.db, staff.organisation)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
    rows.iter()
        .filter_map(|r| {
            let p = people.get(&r.participant_id)?;
            let a = staff_accounts.get(&r.assessor_id)?;
            Some(view(r, p, a, show_drafts))
        })
        .collect()
}

/// The assignments of a campaign of the caller's organisation.
pub async fn list(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
) -> Result<AssignmentList, ApiError> {
    campaign_in_org(&ctx.db, staff.organisation, campaign).await?;
    let rows = repo::of_campaign(&ctx.db, staff.organisation, campaign).await?;
    let assignments = views_of(ctx, staff, &rows, false).await?;
    Ok(AssignmentList {
        submitted: assignments
            .iter()
            .filter(|a| a.status == SheetStatus::Submitted)
            .count(),
        assignments,
    })
}

/// One assignment to make.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    /// The participant (of this campaign).
    pub participant: uuid::Uuid,
    /// The exercise code (of this campaign).
    pub exercise: String,
    /// The assessor's account (an enabled assessor of the organisation).
    pub assessor: uuid::Uuid,
    /// Whether this assessor leads the participant's panel.
    #[serde(default)]
    pub lead: bool,
}

/// Assignments to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddAssignments {
    /// The pairs (at most 10,000).
    pub assignments: Vec<NewAssignment>,
    /// Allow an assessor to rate a participant of their own unit (off by default).
    #[serde(default)]
    pub allow_same_unit: bool,
}

/// Assignment by rule, for some or all exercises.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignByRule {
    /// Exercise codes; all of the campaign's when left out.
    #[serde(default)]
    pub exercises: Option<Vec<String>>,
    /// Assessors per participant and exercise (1–10); existing assignments count.
    pub per_participant: u32,
    /// The assessors to draw from; every enabled assessor of the organisation when left out.
    #[serde(default)]
    pub assessors: Option<Vec<uuid::Uuid>>,
    /// Never assign an assessor to a participant of their own unit (on by default).
    #[serde(default = "yes")]
    pub exclude_same_unit: bool,
    /// Only say what would be assigned; store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

fn yes() -> bool {
    true
}

/// What an add or a rule did (or, in a dry run, would do).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssignResult {
    /// How many assignments were made (or would be).
    pub created: usize,
    /// Whether nothing was stored.
    pub dry_run: bool,
    /// Each assessor's number of assignments in the campaign afterwards.
    pub load: Vec<AssessorLoad>,
}

/// One assessor's load.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AssessorLoad {
    /// The assessor.
    pub assessor: AssessorRef,
    /// Assignments in the campaign.
    pub assignments: u32,
}

/// Most assignments one request may add.
const MAX_PER_REQUEST: usize = 10_000;

fn invalid(errs: Vec<FieldError>) -> ApiError {
    ApiError::with_errors(
        ErrorCode::InvalidAssignment,
        "the assignments are not valid; nothing was changed",
        errs,
    )
}

/// What a campaign's assignment checks read.
struct Context {
    participants: HashMap<uuid::Uuid, participant::Model>,
    assessors: Vec<account::Model>,
    exercises: Vec<String>,
    existing: Vec<assessor_assignment::Model>,
}

async fn context(
    staff: &Staff,
    campaign: CampaignId,
    db: &impl sea_orm::ConnectionTrait,
) -> Result<Context, ApiError> {
    campaign_in_org(db, staff.organisation, campaign).await?;
    Ok(Context {
        participants: crate::store::campaigns::participants(db, staff.organisation, campaign)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect(),
        assessors: accounts::enabled_with_role(db, staff.organisation, Role::Assessor).await?,
        exercises: exercises_of(db, staff.organisation, campaign)
            .await?
            .into_iter()
            .map(|e| e.code)
            .collect(),
        existing: repo::of_campaign(db, staff.organisation, campaign).await?,
    })
}

fn load_of(c: &Context, added: &[assessor_assignment::Model]) -> Vec<AssessorLoad> {
    let mut n: BTreeMap<uuid::Uuid, u32> = BTreeMap::new();
    for r in c.existing.iter().chain(added) {
        *n.entry(r.assessor_id).or_default() += 1;
    }
    c.assessors
        .iter()
        .map(|a| AssessorLoad {
            assessor: AssessorRef {
                id: a.id,
                name: a.name.clone(),
            },
            assignments: n.get(&a.id).copied().unwrap_or(0),
        })
        .collect()
}

fn new_row(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: uuid::Uuid,
    exercise: &str,
    assessor: uuid::Uuid,
    lead: bool,
) -> assessor_assignment::Model {
    assessor_assignment::Model {
        id: AssignmentId::new().as_uuid(),
        organisation_id: staff.organisation.as_uuid(),
        campaign_id: campaign.as_uuid(),
        participant_id: participant,
        exercise: exercise.to_owned(),
        assessor_id: assessor,
        lead,
        ratings: "{}".into(),
        status: SheetStatus::Draft.as_str().into(),
        revision: 0,
        created_by: staff.account.as_uuid(),
        created_at: ctx.clock.now(),
        saved_at: None,
        submitted_at: None,
    }
}

async fn store_and_audit(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    txn: sea_orm::DatabaseTransaction,
    rows: Vec<assessor_assignment::Model>,
    how: &str,
) -> Result<(), ApiError> {
    let summary: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({"id": r.id, "participant": r.participant_id,
                "exercise": r.exercise, "assessor": r.assessor_id, "lead": r.lead})
        })
        .collect();
    repo::insert_all(&txn, rows).await?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "assessor_assignment.create",
            target_type: "campaign",
            target_id: campaign.to_string(),
            before: None,
            after: Some(serde_json::json!({"how": how, "assignments": summary})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await
}

/// Adds the listed assignments, all or none: each pair must name a participant of the campaign,
/// one of its exercises and an enabled assessor of the organisation, appear once, not be held
/// already, and (unless allowed) not pair an assessor with a participant of their own unit.
pub async fn add(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    request: AddAssignments,
) -> Result<AssignResult, ApiError> {
    if request.assignments.is_empty() || request.assignments.len() > MAX_PER_REQUEST {
        return Err(invalid(vec![FieldError::top(
            "assignments",
            format!("needs 1 to {MAX_PER_REQUEST} assignments"),
        )]));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let c = context(staff, campaign, &txn).await?;
    let mut errs = Vec::new();
    let mut seen: HashSet<(uuid::Uuid, &str, uuid::Uuid)> = c
        .existing
        .iter()
        .map(|r| (r.participant_id, r.exercise.as_str(), r.assessor_id))
        .collect();
    let mut rows = Vec::new();
    for (i, a) in request.assignments.iter().enumerate() {
        let at = |f: &str| format!("assignments[{i}].{f}");
        let p = c.participants.get(&a.participant);
        if p.is_none() {
            errs.push(FieldError::top(
                at("participant"),
                "not a participant of this campaign",
            ));
        }
        if !c.exercises.contains(&a.exercise) {
            errs.push(FieldError::top(
                at("exercise"),
                format!("'{}' is not an exercise of this campaign", a.exercise),
            ));
        }
        let assessor = c.assessors.iter().find(|x| x.id == a.assessor);
        if assessor.is_none() {
            errs.push(FieldError::top(
                at("assessor"),
                "not an enabled assessor account of the organisation",
            ));
        }
        if let (Some(p), Some(x)) = (p, assessor) {
            if !request.allow_same_unit && same_unit(&p.unit, &x.unit) {
                errs.push(FieldError::top(
                    at("assessor"),
                    format!(
                        "{} works in the participant's unit ({}); set allow_same_unit to allow it",
                        x.name,
                        p.unit.as_deref().unwrap_or_default()
                    ),
                ));
            }
        }
        if !seen.insert((a.participant, a.exercise.as_str(), a.assessor)) {
            errs.push(FieldError::top(
                format!("assignments[{i}]"),
                "this assessor is already assigned to this participant in this exercise",
            ));
        }
        rows.push(new_row(
            ctx,
            staff,
            campaign,
            a.participant,
            &a.exercise,
            a.assessor,
            a.lead,
        ));
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    let load = load_of(&c, &rows);
    let created = rows.len();
    store_and_audit(ctx, staff, campaign, txn, rows, "list").await?;
    Ok(AssignResult {
        created,
        dry_run: false,
        load,
    })
}

/// Assigns by rule ([`assignment_plan::plan`]), exercise by exercise in the campaign's order,
/// the load carried from one exercise to the next. All or none: a participant who cannot get
/// enough eligible assessors is named and nothing is stored.
pub async fn by_rule(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    rule: AssignByRule,
) -> Result<AssignResult, ApiError> {
    let mut errs = Vec::new();
    if !(1..=10).contains(&rule.per_participant) {
        errs.push(FieldError::top("per_participant", "must be from 1 to 10"));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let c = context(staff, campaign, &txn).await?;
    let exercises: Vec<String> = match &rule.exercises {
        None => c.exercises.clone(),
        Some(list) => {
            for (i, e) in list.iter().enumerate() {
                if !c.exercises.contains(e) {
                    errs.push(FieldError::top(
                        format!("exercises[{i}]"),
                        format!("'{e}' is not an exercise of this campaign"),
                    ));
                }
            }
            list.clone()
        }
    };
    if exercises.is_empty() {
        errs.push(FieldError::top(
            "exercises",
            "the campaign has no exercises: list them first",
        ));
    }
    let pool: Vec<&account::Model> = match &rule.assessors {
        None => c.assessors.iter().collect(),
        Some(ids) => {
            let mut pool = Vec::new();
            for (i, id) in ids.iter().enumerate() {
                match c.assessors.iter().find(|a| a.id == *id) {
                    Some(a) if !pool.iter().any(|p: &&account::Model| p.id == a.id) => pool.push(a),
                    Some(_) => {
                        errs.push(FieldError::top(format!("assessors[{i}]"), "listed twice"))
                    }
                    None => errs.push(FieldError::top(
                        format!("assessors[{i}]"),
                        "not an enabled assessor account of the organisation",
                    )),
                }
            }
            pool
        }
    };
    if pool.is_empty() && errs.is_empty() {
        errs.push(FieldError::top(
            "assessors",
            "the organisation has no enabled assessor accounts",
        ));
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    let mut people: Vec<&participant::Model> = c.participants.values().collect();
    people.sort_by(|a, b| (&a.name, &a.nip, a.id).cmp(&(&b.name, &b.nip, b.id)));
    let participants: Vec<Member<uuid::Uuid>> = people
        .iter()
        .map(|p| Member {
            key: p.id,
            unit: p.unit.clone(),
        })
        .collect();
    let assessors: Vec<Member<uuid::Uuid>> = pool
        .iter()
        .map(|a| Member {
            key: a.id,
            unit: a.unit.clone(),
        })
        .collect();
    let mut load: BTreeMap<uuid::Uuid, u32> = BTreeMap::new();
    for r in &c.existing {
        *load.entry(r.assessor_id).or_default() += 1;
    }
    let mut rows = Vec::new();
    for exercise in &exercises {
        let existing: Vec<(uuid::Uuid, uuid::Uuid)> = c
            .existing
            .iter()
            .filter(|r| &r.exercise == exercise)
            .map(|r| (r.participant_id, r.assessor_id))
            .collect();
        match assignment_plan::plan(
            &participants,
            &assessors,
            &existing,
            &load,
            rule.per_participant,
            rule.exclude_same_unit,
        ) {
            Ok(pairs) => {
                for (p, a) in pairs {
                    *load.entry(a).or_default() += 1;
                    rows.push(new_row(ctx, staff, campaign, p, exercise, a, false));
                }
            }
            Err(short) => {
                for s in short {
                    let p = &c.participants[&s.participant];
                    errs.push(FieldError::top(
                        format!("exercises.{exercise}"),
                        format!(
                            "{} ({}) needs {} more eligible assessor(s)",
                            p.name, p.nip, s.missing
                        ),
                    ));
                }
            }
        }
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    let result = AssignResult {
        created: rows.len(),
        dry_run: rule.dry_run,
        load: load_of(&c, &rows),
    };
    if !rule.dry_run && !rows.is_empty() {
        store_and_audit(ctx, staff, campaign, txn, rows, "rule").await?;
    }
    Ok(result)
}

/// Removes an assignment that has no submitted ratings (audited).
pub async fn remove(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    id: AssignmentId,
) -> Result<(), ApiError> {
    let txn = crate::store::begin_write(&ctx.db).await?;
    let row = repo::find(&txn, staff.organisation, id)
        .await?
        .filter(|r| r.campaign_id == campaign.as_uuid())
        .ok_or_else(|| ApiError::not_found("assignment"))?;
    if !repo::delete_draft(&txn, id).await? {
        return Err(ApiError::new(
            ErrorCode::AssignmentRated,
            "this assignment's ratings were submitted: unlock them first if it must go",
        ));
    }
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "assessor_assignment.delete",
            target_type: "assessor_assignment",
            target_id: id.to_string(),
            before: Some(serde_json::json!({"participant": row.participant_id,
                "exercise": row.exercise, "assessor": row.assessor_id, "ratings": row.ratings})),
            after: None,
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await
}

/// Why a submitted sheet is unlocked.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnlockRequest {
    /// The reason (1–1000 characters), kept in the audit log.
    pub reason: String,
}

/// Unlocks a submitted sheet back to a draft so its assessor can correct it (HR, with a reason;
/// audited with the ratings as they were).
pub async fn unlock(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    id: AssignmentId,
    request: UnlockRequest,
) -> Result<AssignmentView, ApiError> {
    let reason = request.reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        return Err(ApiError::with_errors(
            ErrorCode::InvalidInput,
            "an unlock needs a reason; nothing was changed",
            vec![FieldError::top("reason", "needs 1 to 1000 characters")],
        ));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    let row = repo::find(&txn, staff.organisation, id)
        .await?
        .filter(|r| r.campaign_id == campaign.as_uuid())
        .ok_or_else(|| ApiError::not_found("assignment"))?;
    let now = ctx.clock.now();
    if !repo::unlock(&txn, id, now).await? {
        return Err(ApiError::new(
            ErrorCode::InvalidStateTransition,
            "this sheet is not submitted: there is nothing to unlock",
        ));
    }
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "assessor_rating.unlock",
            target_type: "assessor_assignment",
            target_id: id.to_string(),
            before: Some(serde_json::json!({"status": "submitted",
                "submitted_at": row.submitted_at, "ratings": sheet_of(&row)?})),
            after: Some(serde_json::json!({"status": "draft"})),
            reason: Some(reason.to_owned()),
            at: now,
        },
    )
    .await?;
    let row = repo::find(&ctx.db, staff.organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found("assignment"))?;
    views_of(ctx, staff, &[row], false)
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("assignment"))
}

/// Assigns from an uploaded CSV file (`nip`, `exercise`, `assessor` e-mail, optional `lead`), all
/// or none: a problem of the file, an unknown NIP or assessor address, or any problem the list
/// itself has, is named by its line.
pub async fn import(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    file: &[u8],
) -> Result<AssignResult, ApiError> {
    let rows = parse_assignments(file)
        .map_err(|errors| invalid(errors.into_iter().map(|e| e.into_field_error()).collect()))?;
    campaign_in_org(&ctx.db, staff.organisation, campaign).await?;
    let people: HashMap<String, uuid::Uuid> =
        crate::store::campaigns::participants(&ctx.db, staff.organisation, campaign)
            .await?
            .into_iter()
            .map(|p| (p.nip, p.id))
            .collect();
    let staff_accounts: HashMap<String, uuid::Uuid> =
        accounts::enabled_with_role(&ctx.db, staff.organisation, Role::Assessor)
            .await?
            .into_iter()
            .map(|a| (a.email, a.id))
            .collect();
    let mut errs = Vec::new();
    let mut list = Vec::with_capacity(rows.len());
    for r in &rows {
        let at = |column: &str, message: String| FieldError {
            item: None,
            field: column.to_owned(),
            message,
            row: Some(r.line),
        };
        let p = people.get(&r.nip);
        if p.is_none() {
            errs.push(at(
                "nip",
                format!("{} is not a participant of this campaign", r.nip),
            ));
        }
        let a = staff_accounts.get(r.assessor.as_str());
        if a.is_none() {
            errs.push(at(
                "assessor",
                format!("{} is not an enabled assessor account", r.assessor.as_str()),
            ));
        }
        if let (Some(p), Some(a)) = (p, a) {
            list.push(NewAssignment {
                participant: *p,
                exercise: r.exercise.clone(),
                assessor: *a,
                lead: r.lead,
            });
        }
    }
    if !errs.is_empty() {
        return Err(invalid(errs));
    }
    add(
        ctx,
        staff,
        campaign,
        AddAssignments {
            assignments: list,
            allow_same_unit: false,
        },
    )
    .await
    .map_err(|mut e| {
        // The list's problems are named `assignments[i]…`: say which line of the file that is.
        if let Some(errors) = e.errors.as_mut() {
            for f in errors.iter_mut() {
                let index = f
                    .field
                    .strip_prefix("assignments[")
                    .and_then(|rest| rest.split(']').next())
                    .and_then(|n| n.parse::<usize>().ok());
                if let Some(line) = index.and_then(|i| rows.get(i)).map(|r| r.line) {
                    f.row = Some(line);
                    f.field = f
                        .field
                        .split_once("].")
                        .map(|(_, rest)| rest.to_owned())
                        .unwrap_or_else(|| "row".to_owned());
                }
            }
        }
        e
    })
}
