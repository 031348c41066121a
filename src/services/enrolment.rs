//! Bulk enrolment of participants from a CSV file, and their access codes.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::auth::Staff;
use super::campaigns;
use super::{audited, monitor, AppContext};
use crate::domain::access_code::AccessCode;
use crate::domain::attempt::EventKind;
use crate::domain::enrolment::parse_participants;
use crate::domain::ids::{AttemptId, CampaignId, ParticipantId, SessionId};
use crate::domain::spreadsheet::text_cell;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::campaigns::{self as repo, NewParticipant};
use crate::store::entities::participant;
use crate::store::{attempt_events, attempts};

/// What an enrolment did, or would do in a dry run.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EnrolmentOutcome {
    /// Whether this was only a check.
    pub dry_run: bool,
    /// Participants enrolled (or that would be).
    pub enrolled: usize,
    /// Participants of the campaign afterwards (or that there would be).
    pub participant_count: u64,
}

/// A participant as shown to staff. The access code itself is never shown again after issue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantView {
    /// Participant id.
    pub id: uuid::Uuid,
    /// NIP.
    pub nip: String,
    /// Full name.
    pub name: String,
    /// E-mail.
    pub email: Option<String>,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Education.
    pub education: String,
    /// Job level.
    pub job_level: String,
    /// Position.
    pub position: Option<String>,
    /// Work unit.
    pub unit: Option<String>,
    /// Group.
    pub group: Option<String>,
    /// Session id.
    pub session: Option<uuid::Uuid>,
    /// Whether an access code has been issued.
    pub has_access_code: bool,
    /// When the current code was issued.
    pub code_issued_at: Option<DateTime<Utc>>,
}

impl From<participant::Model> for ParticipantView {
    fn from(p: participant::Model) -> Self {
        Self {
            id: p.id,
            nip: p.nip,
            name: p.name,
            email: p.email,
            birth_date: p.birth_date,
            education: p.education,
            job_level: p.job_level,
            position: p.position,
            unit: p.unit,
            group: p.group_code,
            session: p.session_id,
            has_access_code: p.access_code_hash.is_some(),
            code_issued_at: p.code_issued_at,
        }
    }
}

/// A freshly issued access code: shown this once, stored only as a hash.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedCode {
    /// Participant id.
    pub participant: uuid::Uuid,
    /// NIP.
    pub nip: String,
    /// Full name.
    pub name: String,
    /// Session name, when assigned.
    pub session: Option<String>,
    /// The code, grouped for reading (`7KQ4M-XR9TD`).
    pub code: String,
}

fn refused(errors: Vec<FieldError>) -> ApiError {
    ApiError::with_errors(
        ErrorCode::InvalidEnrolment,
        format!(
            "the participants file has {} problem(s); nobody was enrolled",
            errors.len()
        ),
        errors,
    )
}

/// Enrols the participants of a CSV file into a campaign, all or none: any invalid row, a NIP
/// enrolled already, an unknown session or a session over capacity refuses the whole file with
/// every problem by row and column. With `dry_run` nothing is stored.
pub async fn import(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    file: &[u8],
    dry_run: bool,
) -> Result<EnrolmentOutcome, ApiError> {
    let rec = campaigns::find(ctx, staff, campaign).await?;
    let rows = parse_participants(file, ctx.clock.today()).map_err(|e| {
        refused(
            e.errors
                .into_iter()
                .map(|e| {
                    FieldError::row(e.row, e.column.unwrap_or_else(|| "row".into()), e.message)
                })
                .collect(),
        )
    })?;
    let sessions: HashMap<String, (SessionId, i64)> = rec
        .sessions
        .iter()
        .map(|s| {
            (
                s.name.to_lowercase(),
                (SessionId::from(s.id), i64::from(s.capacity)),
            )
        })
        .collect();
    let enrolled: HashSet<String> = repo::enrolled_nips(&ctx.db, campaign)
        .await?
        .into_iter()
        .collect();
    let mut seats: HashMap<SessionId, i64> = repo::session_counts(&ctx.db, campaign)
        .await?
        .into_iter()
        .map(|(s, n)| (SessionId::from(s), n))
        .collect();
    let mut errors = Vec::new();
    let mut new = Vec::with_capacity(rows.len());
    for row in rows {
        let duplicate = enrolled.contains(row.nip.as_str());
        if duplicate {
            errors.push(FieldError::row(
                row.line,
                "nip",
                format!(
                    "NIP {} is already enrolled in this campaign",
                    row.nip.as_str()
                ),
            ));
        }
        let session = match row.session.as_deref() {
            None => None,
            Some(name) => match sessions.get(&name.to_lowercase()) {
                None => {
                    errors.push(FieldError::row(
                        row.line,
                        "session",
                        format!("the campaign has no session named '{name}'"),
                    ));
                    None
                }
                Some(&(id, capacity)) => {
                    let taken = seats.entry(id).or_insert(0);
                    // A duplicate already holds its seat.
                    if !duplicate {
                        *taken += 1;
                    }
                    if !duplicate && *taken == capacity + 1 {
                        errors.push(FieldError::row(
                            row.line,
                            "session",
                            format!("session '{name}' is full: it holds {capacity} participants"),
                        ));
                    }
                    Some(id)
                }
            },
        };
        new.push(NewParticipant {
            nip: row.nip.as_str().to_owned(),
            name: row.name,
            email: row.email,
            birth_date: row.birth_date,
            education: row.education.as_str().to_owned(),
            job_level: row.job_level,
            position: row.position,
            unit: row.unit,
            group: row.group,
            session,
        });
    }
    if !errors.is_empty() {
        return Err(refused(errors));
    }
    let count = new.len();
    let after = enrolled.len() as u64 + count as u64;
    if dry_run {
        return Ok(EnrolmentOutcome {
            dry_run,
            enrolled: count,
            participant_count: after,
        });
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    audited::unless_taken(
        repo::insert_participants(&txn, staff.organisation, campaign, new, ctx.clock.now()).await,
        || {
            ApiError::new(
                ErrorCode::InvalidStateTransition,
                "some of these participants were enrolled meanwhile; check the list and try again",
            )
        },
    )?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "campaign.enrol",
            target_type: "campaign",
            target_id: campaign.to_string(),
            before: Some(serde_json::json!({"participants": enrolled.len()})),
            after: Some(serde_json::json!({"participants": after, "enrolled": count})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(EnrolmentOutcome {
        dry_run,
        enrolled: count,
        participant_count: after,
    })
}

/// Participants of a campaign.
pub async fn list(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
) -> Result<Vec<ParticipantView>, ApiError> {
    campaigns::find(ctx, staff, campaign).await?;
    Ok(repo::participants(&ctx.db, staff.organisation, campaign)
        .await?
        .into_iter()
        .map(ParticipantView::from)
        .collect())
}

/// Issues a code to every participant of the campaign who has none, and returns the codes: this
/// is the only time they are shown.
pub async fn issue_codes(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
) -> Result<Vec<IssuedCode>, ApiError> {
    let rec = campaigns::find(ctx, staff, campaign).await?;
    let session_names: HashMap<uuid::Uuid, String> = rec
        .sessions
        .iter()
        .map(|s| (s.id, s.name.clone()))
        .collect();
    let pending: Vec<participant::Model> =
        repo::participants(&ctx.db, staff.organisation, campaign)
            .await?
            .into_iter()
            .filter(|p| p.access_code_hash.is_none())
            .collect();
    let now = ctx.clock.now();
    let txn = crate::store::begin_write(&ctx.db).await?;
    let mut issued = Vec::with_capacity(pending.len());
    for p in pending {
        let code = AccessCode::generate();
        repo::set_access_code(&txn, p.id.into(), &code.digest(&ctx.code_key), now).await?;
        issued.push(IssuedCode {
            participant: p.id,
            nip: p.nip,
            name: p.name,
            session: p.session_id.and_then(|s| session_names.get(&s).cloned()),
            code: code.to_string(),
        });
    }
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "campaign.issue_codes",
            target_type: "campaign",
            target_id: campaign.to_string(),
            before: None,
            after: Some(serde_json::json!({"codes_issued": issued.len()})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(issued)
}

/// Issues a new code to one participant; the old one stops working at once, and so do the
/// sessions opened with it.
pub async fn reissue_code(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
) -> Result<IssuedCode, ApiError> {
    let rec = campaigns::find(ctx, staff, campaign).await?;
    let p = repo::find_participant(&ctx.db, staff.organisation, campaign, participant)
        .await?
        .ok_or_else(|| ApiError::not_found("participant"))?;
    let code = AccessCode::generate();
    let txn = crate::store::begin_write(&ctx.db).await?;
    repo::set_access_code(
        &txn,
        participant,
        &code.digest(&ctx.code_key),
        ctx.clock.now(),
    )
    .await?;
    // Sessions opened with the old code end with it: the device holding the attempt is released,
    // so its token is refused everywhere (as a replaced device's is) until the new code is used.
    let attempt = attempts::of_participant(&txn, participant).await?;
    if let Some(a) = &attempt {
        let id = AttemptId::from(a.id);
        attempts::clear_device(&txn, id).await?;
        attempt_events::record(
            &txn,
            id,
            EventKind::Unlock,
            serde_json::json!({"reason": "access code reissued"}),
            Some(staff.account),
            ctx.clock.now(),
        )
        .await?;
    }
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "participant.reissue_code",
            target_type: "participant",
            target_id: participant.to_string(),
            before: Some(serde_json::json!({"had_code": p.access_code_hash.is_some()})),
            after: Some(serde_json::json!({"had_code": true})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    if let Some(a) = attempt {
        // The live state is rebuilt from the database on its next read. Should the live store
        // keep the stale one, the old device's answers are still refused when committed.
        if let Err(e) = ctx.live.forget_attempt(&a.id.to_string()).await {
            tracing::warn!(error = %e, "the old code's live state was not dropped at once");
        }
        monitor::tell_candidates(ctx, &[a.id]).await;
    }
    Ok(IssuedCode {
        participant: p.id,
        nip: p.nip,
        name: p.name,
        session: p.session_id.and_then(|s| {
            rec.sessions
                .iter()
                .find(|x| x.id == s)
                .map(|x| x.name.clone())
        }),
        code: code.to_string(),
    })
}

/// Issued codes as a CSV file (`nip;name;session;code`, semicolons for Indonesian spreadsheets).
pub fn codes_csv(codes: &[IssuedCode]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(["nip", "name", "session", "code"])
        .map_err(ApiError::internal)?;
    for c in codes {
        w.write_record([
            text_cell(&c.nip),
            text_cell(&c.name),
            text_cell(c.session.as_deref().unwrap_or("")),
            text_cell(&c.code),
        ])
        .map_err(ApiError::internal)?;
    }
    w.into_inner().map_err(ApiError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codes_file_keeps_formula_like_names_and_sessions_as_text() {
        let codes = [IssuedCode {
            participant: uuid::Uuid::nil(),
            nip: "198503152010121001".into(),
            name: "=HYPERLINK(\"http://x\")".into(),
            session: Some("@Sesi".into()),
            code: "7KQ4M-XR9TD".into(),
        }];
        let text = String::from_utf8(codes_csv(&codes).unwrap()).unwrap();
        assert_eq!(
            text,
            "nip;name;session;code\n198503152010121001;\"'=HYPERLINK(\"\"http://x\"\")\";'@Sesi;7KQ4M-XR9TD\n"
        );
    }
}
