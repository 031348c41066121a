//! Releasing psychological reports (UU 23/2022: released only under a registered psychologist's
//! name and licence number). A report is a draft until a psychologist of the organisation releases
//! it; a release stores the PDF as it was signed, immutably, with the SHA-256 of the file, the
//! digest of the data it shows, the data versions and the psychologist's name and licence as
//! printed. Releasing again after the data changed makes the next version and keeps the old ones;
//! releasing unchanged data makes none. Every release is audited. HR downloads a version or the
//! whole campaign as a ZIP; a participant, where the campaign allows it, their own latest.
use std::collections::BTreeMap;
use std::io::Write;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::content::{self, lang_code, ReportContent};
use super::pdf::{self, Lang, Signature};
use crate::domain::account::Role;
use crate::domain::ids::{CampaignId, ParticipantId};
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::services::auth::Staff;
use crate::services::tokens::CandidateClaims;
use crate::services::{audited, campaigns, AppContext};
use crate::store::audit::{self, AuditRecord};
use crate::store::entities::report_release;
use crate::store::report_releases::{self as repo, ReleaseMeta};

/// The kind of an individual report.
pub const INDIVIDUAL: &str = "individual";
/// The kind of a campaign summary.
pub const CAMPAIGN_SUMMARY: &str = "campaign_summary";

/// A released version as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReleaseView {
    /// The version, from 1.
    pub version: i32,
    /// `id` or `en`.
    pub language: String,
    /// SHA-256 (hex) of the PDF: a downloaded file whose hash differs is not this release.
    pub content_hash: String,
    /// SHA-256 (hex) of the data shown.
    pub data_digest: String,
    /// The versions of the data it was built from.
    pub data_versions: Vec<(String, String)>,
    /// Size of the PDF in bytes.
    pub size_bytes: i64,
    /// The psychologist, as printed.
    pub psychologist: String,
    /// Their licence number (SIPP), as printed.
    pub licence_number: String,
    /// The releasing account.
    pub released_by: uuid::Uuid,
    /// When.
    pub released_at: chrono::DateTime<chrono::Utc>,
}

impl From<&ReleaseMeta> for ReleaseView {
    fn from(m: &ReleaseMeta) -> Self {
        Self {
            version: m.version,
            language: m.language.clone(),
            content_hash: m.content_hash.clone(),
            data_digest: m.data_digest.clone(),
            data_versions: serde_json::from_str(&m.data_versions).unwrap_or_default(),
            size_bytes: m.size_bytes,
            psychologist: m.psychologist_name.clone(),
            licence_number: m.licence_number.clone(),
            released_by: m.released_by,
            released_at: m.released_at,
        }
    }
}

/// A participant's report as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportRow {
    /// The participant (and the report's id).
    pub participant: uuid::Uuid,
    /// NIP.
    pub nip: String,
    /// Name.
    pub name: String,
    /// Whether there are competency results to report.
    pub ready: bool,
    /// The latest release; none while a draft.
    pub latest: Option<ReleaseView>,
    /// How many versions were released.
    pub versions: usize,
}

/// A campaign's reports.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportList {
    /// Whether participants may download their own released report at /take.
    pub participants_may_download: bool,
    /// One row per participant, by name.
    pub reports: Vec<ReportRow>,
    /// The campaign summary's releases, oldest first.
    pub summary: Vec<ReleaseView>,
}

/// The reports of a campaign of the caller's organisation.
pub async fn list(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
) -> Result<ReportList, ApiError> {
    let rec = crate::store::campaigns::find(&ctx.db, staff.organisation, campaign)
        .await?
        .ok_or_else(|| ApiError::not_found("campaign"))?;
    let computed =
        crate::services::competency_results::compute_campaign(ctx, staff, campaign).await?;
    let ready: BTreeMap<uuid::Uuid, bool> = computed
        .all
        .participants
        .iter()
        .map(|p| (p.participant, !p.levels.is_empty()))
        .collect();
    let releases = repo::of_campaign(&ctx.db, staff.organisation, campaign).await?;
    let mut by_report: BTreeMap<uuid::Uuid, Vec<&ReleaseMeta>> = BTreeMap::new();
    let mut summary = Vec::new();
    for r in &releases {
        if r.kind == CAMPAIGN_SUMMARY {
            summary.push(ReleaseView::from(r));
        } else {
            by_report.entry(r.report_id).or_default().push(r);
        }
    }
    let reports = crate::store::campaigns::participants(&ctx.db, staff.organisation, campaign)
        .await?
        .into_iter()
        .map(|p| {
            let versions = by_report.get(&p.id).map(Vec::as_slice).unwrap_or_default();
            ReportRow {
                participant: p.id,
                nip: p.nip,
                name: p.name,
                ready: ready.get(&p.id).copied().unwrap_or(false),
                latest: versions.last().map(|m| ReleaseView::from(*m)),
                versions: versions.len(),
            }
        })
        .collect();
    Ok(ReportList {
        participants_may_download: rec.campaign.reports_to_participants,
        reports,
        summary,
    })
}

/// The released versions of one participant's report, oldest first.
pub async fn versions(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    report: uuid::Uuid,
) -> Result<Vec<ReleaseView>, ApiError> {
    campaigns::get(ctx, staff, campaign).await?;
    if report != campaign.as_uuid() {
        participant_in(ctx, staff, campaign, report.into()).await?;
    }
    Ok(
        repo::of_report(&ctx.db, staff.organisation, campaign, report)
            .await?
            .iter()
            .map(ReleaseView::from)
            .collect(),
    )
}

async fn participant_in(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
) -> Result<crate::store::entities::participant::Model, ApiError> {
    crate::store::campaigns::find_participant(&ctx.db, staff.organisation, campaign, participant)
        .await?
        .ok_or_else(|| ApiError::not_found("participant"))
}

/// Renders off the async threads.
async fn render_individual(report: pdf::IndividualReport) -> Result<Vec<u8>, ApiError> {
    tokio::task::spawn_blocking(move || pdf::render_individual(&report))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

async fn render_summary(summary: pdf::CampaignSummary) -> Result<Vec<u8>, ApiError> {
    tokio::task::spawn_blocking(move || pdf::render_campaign_summary(&summary))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}

fn not_ready(names: &[String]) -> ApiError {
    ApiError::new(
        ErrorCode::ReportNotReady,
        format!(
            "no competency results yet for {}: there is nothing to report",
            names.join(", ")
        ),
    )
}

async fn ready_content(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
    lang: Lang,
) -> Result<ReportContent, ApiError> {
    let c = content::individual(ctx, staff, campaign, participant, lang).await?;
    if c.report.competencies.iter().all(|l| l.level.is_none()) {
        return Err(not_ready(std::slice::from_ref(&c.report.name)));
    }
    Ok(c)
}

/// A participant's report as it would be released now, marked as a draft on every page.
pub async fn draft(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    participant: ParticipantId,
    lang: Lang,
) -> Result<Vec<u8>, ApiError> {
    participant_in(ctx, staff, campaign, participant).await?;
    let c = ready_content(ctx, staff, campaign, participant, lang).await?;
    render_individual(c.report).await
}

/// The campaign's summary for leadership as it would be released now (a draft).
pub async fn summary_draft(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    lang: Lang,
) -> Result<Vec<u8>, ApiError> {
    let (summary, _) = content::campaign_summary(ctx, staff, campaign, lang).await?;
    render_summary(summary).await
}

/// Which reports to release.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRequest {
    /// The participants whose reports to release (1–10,000); left out, every participant with
    /// competency results.
    #[serde(default)]
    pub participants: Option<Vec<uuid::Uuid>>,
    /// `id` (the default) or `en`.
    #[serde(default)]
    pub language: Option<String>,
    /// Release the campaign's summary for leadership too.
    #[serde(default)]
    pub summary: bool,
}

/// One report's release.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Released {
    /// The participant, or the campaign for its summary.
    pub report: uuid::Uuid,
    /// `individual` or `campaign_summary`.
    pub kind: String,
    /// The version now current.
    pub version: i32,
    /// SHA-256 of its PDF.
    pub content_hash: String,
    /// Whether it was released now (false: the data had not changed since the current version,
    /// which stays).
    pub new_version: bool,
}

/// What a release did.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReleaseOutcome {
    /// Each report asked for.
    pub released: Vec<Released>,
    /// Participants left out because they have no results yet (a release of "everyone").
    pub not_ready: Vec<uuid::Uuid>,
}

/// The name and licence a release is signed with: the caller must be a psychologist whose
/// account has both.
async fn signer(ctx: &AppContext, staff: &Staff) -> Result<(String, String), ApiError> {
    let account = crate::store::accounts::find(&ctx.db, staff.organisation, staff.account)
        .await?
        .ok_or_else(|| ApiError::not_found("account"))?;
    let licence = account
        .licence_number
        .filter(|l| !l.trim().is_empty() && staff.role == Role::Psychologist);
    match licence {
        Some(l) if !account.name.trim().is_empty() => Ok((account.name, l)),
        _ => Err(ApiError::new(
            ErrorCode::LicenceRequired,
            "a report is released under a psychologist's name and licence number (SIPP): this \
             account has no licence number; an administrator records it",
        )),
    }
}

/// A report prepared for release.
struct Prepared {
    report: uuid::Uuid,
    participant: Option<uuid::Uuid>,
    kind: &'static str,
    digest: String,
    data_versions: Vec<(String, String)>,
    /// The current version, if any.
    latest: Option<ReleaseMeta>,
    /// Renders the signed PDF for a version.
    body: Body,
}

enum Body {
    Individual(Box<pdf::IndividualReport>),
    Summary(Box<pdf::CampaignSummary>),
}

/// Releases reports of a campaign (a psychologist with a licence number; each release audited).
/// All or nothing: a listed participant without results refuses the whole request.
pub async fn release(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    request: ReleaseRequest,
) -> Result<ReleaseOutcome, ApiError> {
    let (name, licence) = signer(ctx, staff).await?;
    let lang = content::lang_of(request.language.as_deref()).map_err(|_| {
        ApiError::with_errors(
            ErrorCode::InvalidInput,
            "the release request is not valid; nothing was released",
            vec![FieldError::top("language", "must be id or en")],
        )
    })?;
    let view = campaigns::get(ctx, staff, campaign).await?;
    let computed =
        crate::services::competency_results::compute_campaign(ctx, staff, campaign).await?;
    let people: BTreeMap<uuid::Uuid, (&str, bool)> = computed
        .all
        .participants
        .iter()
        .map(|p| (p.participant, (p.name.as_str(), !p.levels.is_empty())))
        .collect();
    let mut not_ready_ids = Vec::new();
    let wanted: Vec<uuid::Uuid> = match &request.participants {
        Some(list) => {
            if list.is_empty() || list.len() > 10_000 {
                return Err(ApiError::with_errors(
                    ErrorCode::InvalidInput,
                    "the release request is not valid; nothing was released",
                    vec![FieldError::top(
                        "participants",
                        "needs 1 to 10,000 participants",
                    )],
                ));
            }
            let mut errs = Vec::new();
            let mut missing = Vec::new();
            for (i, id) in list.iter().enumerate() {
                match people.get(id) {
                    None => errs.push(FieldError::top(
                        format!("participants[{i}]"),
                        "not a participant of this campaign",
                    )),
                    Some((n, false)) => missing.push((*n).to_owned()),
                    Some(_) => {}
                }
            }
            if !errs.is_empty() {
                return Err(ApiError::with_errors(
                    ErrorCode::InvalidInput,
                    "the release request is not valid; nothing was released",
                    errs,
                ));
            }
            if !missing.is_empty() {
                return Err(not_ready(&missing));
            }
            let mut unique = list.clone();
            unique.sort();
            unique.dedup();
            unique
        }
        None => people
            .iter()
            .filter_map(|(id, (_, ready))| {
                if *ready {
                    Some(*id)
                } else {
                    not_ready_ids.push(*id);
                    None
                }
            })
            .collect(),
    };
    let existing = repo::of_campaign(&ctx.db, staff.organisation, campaign).await?;
    let latest_of = |report: uuid::Uuid| -> Option<ReleaseMeta> {
        existing
            .iter()
            .filter(|m| m.report_id == report)
            .max_by_key(|m| m.version)
            .cloned()
    };
    let mut prepared = Vec::with_capacity(wanted.len() + 1);
    for id in &wanted {
        let c = content::individual(ctx, staff, campaign, (*id).into(), lang).await?;
        prepared.push(Prepared {
            report: *id,
            participant: Some(*id),
            kind: INDIVIDUAL,
            digest: c.digest,
            data_versions: c.data_versions,
            latest: latest_of(*id),
            body: Body::Individual(Box::new(c.report)),
        });
    }
    if request.summary {
        let (summary, digest) = content::campaign_summary(ctx, staff, campaign, lang).await?;
        prepared.push(Prepared {
            report: campaign.as_uuid(),
            participant: None,
            kind: CAMPAIGN_SUMMARY,
            digest,
            data_versions: Vec::new(),
            latest: latest_of(campaign.as_uuid()),
            body: Body::Summary(Box::new(summary)),
        });
    }
    let now = ctx.clock.now();
    let zone = view.time_zone;
    let released_at = format!(
        "{} {}",
        now.with_timezone(&zone.utc_offset())
            .format("%Y-%m-%d %H:%M"),
        zone.code()
    );
    let mut rows = Vec::new();
    let mut outcome = Vec::new();
    for p in prepared {
        let code = lang_code(lang);
        if let Some(l) = p
            .latest
            .as_ref()
            .filter(|l| l.data_digest == p.digest && l.language == code)
        {
            outcome.push(Released {
                report: p.report,
                kind: p.kind.to_owned(),
                version: l.version,
                content_hash: l.content_hash.clone(),
                new_version: false,
            });
            continue;
        }
        let version = p.latest.as_ref().map_or(1, |l| l.version + 1);
        let signature = Some(Signature {
            name: name.clone(),
            licence: licence.clone(),
            released_at: released_at.clone(),
            version: version as u32,
        });
        let bytes = match p.body {
            Body::Individual(mut r) => {
                r.signature = signature;
                render_individual(*r).await?
            }
            Body::Summary(mut s) => {
                s.signature = signature;
                s.report_ref = format!("{} v{version}", campaign);
                render_summary(*s).await?
            }
        };
        let hash = hex::encode(Sha256::digest(&bytes));
        outcome.push(Released {
            report: p.report,
            kind: p.kind.to_owned(),
            version,
            content_hash: hash.clone(),
            new_version: true,
        });
        rows.push(report_release::Model {
            id: uuid::Uuid::now_v7(),
            report_id: p.report,
            version,
            organisation_id: staff.organisation.as_uuid(),
            campaign_id: campaign.as_uuid(),
            participant_id: p.participant,
            kind: p.kind.to_owned(),
            language: code.to_owned(),
            content_hash: hash,
            data_digest: p.digest,
            data_versions: serde_json::to_string(&p.data_versions).map_err(ApiError::internal)?,
            size_bytes: bytes.len() as i64,
            pdf: bytes,
            released_by: staff.account.as_uuid(),
            psychologist_name: name.clone(),
            licence_number: licence.clone(),
            released_at: now,
        });
    }
    if !rows.is_empty() {
        let txn = crate::store::begin_write(&ctx.db).await?;
        for r in &rows {
            audit::record(
                &txn,
                AuditRecord {
                    organisation: staff.organisation,
                    actor: Some(staff.account),
                    action: "report.release",
                    target_type: if r.kind == INDIVIDUAL {
                        "participant"
                    } else {
                        "campaign"
                    },
                    target_id: r.report_id.to_string(),
                    before: None,
                    after: Some(serde_json::json!({"version": r.version, "kind": r.kind,
                        "language": r.language, "content_hash": r.content_hash,
                        "data_digest": r.data_digest, "licence_number": r.licence_number})),
                    reason: None,
                    at: now,
                },
            )
            .await?;
        }
        audited::unless_taken(repo::insert_all(&txn, rows).await, || {
            ApiError::new(
                ErrorCode::InvalidStateTransition,
                "another release of the same report happened at the same moment; nothing was \
                 released by this request: try again",
            )
        })?;
        txn.commit().await?;
    }
    Ok(ReleaseOutcome {
        released: outcome,
        not_ready: not_ready_ids,
    })
}

/// A released PDF with the name to save it under.
pub struct ReleasedFile {
    /// File name.
    pub filename: String,
    /// The PDF as released.
    pub bytes: Vec<u8>,
    /// Its SHA-256.
    pub content_hash: String,
}

fn file_name(nip: &str, version: i32) -> String {
    format!("laporan-{nip}-v{version}.pdf")
}

/// One released version of a participant's report (or, with the campaign's id, of its summary).
pub async fn download(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    report: uuid::Uuid,
    version: i32,
) -> Result<ReleasedFile, ApiError> {
    let row = repo::find(&ctx.db, staff.organisation, campaign, report, version)
        .await?
        .ok_or_else(|| ApiError::not_found("report version"))?;
    let nip = match row.participant_id {
        Some(p) => participant_in(ctx, staff, campaign, p.into()).await?.nip,
        None => "ringkasan".into(),
    };
    Ok(ReleasedFile {
        filename: file_name(&nip, row.version),
        content_hash: row.content_hash,
        bytes: row.pdf,
    })
}

/// Rows read per query while writing the ZIP (each holds a PDF).
const ZIP_PAGE: usize = 50;

/// The latest released version of every participant's report of a campaign, as a ZIP written to
/// a temporary file (stored entries: PDFs are compressed already), with a manifest of NIP, name,
/// version, SHA-256, release time and psychologist. PDFs are read a page at a time, so memory
/// stays flat whatever the campaign's size.
pub async fn zip(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
) -> Result<tempfile::NamedTempFile, ApiError> {
    campaigns::get(ctx, staff, campaign).await?;
    let people: BTreeMap<uuid::Uuid, (String, String)> =
        crate::store::campaigns::participants(&ctx.db, staff.organisation, campaign)
            .await?
            .into_iter()
            .map(|p| (p.id, (p.nip, p.name)))
            .collect();
    let mut latest: BTreeMap<uuid::Uuid, ReleaseMeta> = BTreeMap::new();
    for m in repo::of_campaign(&ctx.db, staff.organisation, campaign).await? {
        if m.kind == INDIVIDUAL {
            latest.insert(m.report_id, m);
        }
    }
    let chosen: Vec<ReleaseMeta> = latest.into_values().collect();
    let file = tempfile::NamedTempFile::new().map_err(ApiError::internal)?;
    let mut writer = zip::ZipWriter::new(file.reopen().map_err(ApiError::internal)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut manifest = String::from("nip,nama,versi,sha256,dirilis,psikolog,no_sipp,berkas\n");
    for page in chosen.chunks(ZIP_PAGE) {
        let ids: Vec<uuid::Uuid> = page.iter().map(|m| m.id).collect();
        let mut rows = repo::with_pdfs(&ctx.db, &ids).await?;
        rows.sort_by_key(|r| ids.iter().position(|i| *i == r.id));
        for r in rows {
            let (nip, name) = r
                .participant_id
                .and_then(|p| people.get(&p).cloned())
                .unwrap_or_default();
            let entry = file_name(&nip, r.version);
            writer
                .start_file(entry.as_str(), options)
                .map_err(ApiError::internal)?;
            writer.write_all(&r.pdf).map_err(ApiError::internal)?;
            let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            manifest.push_str(&format!(
                "{},{},{},{},{},{},{},{}\n",
                nip,
                field(&name),
                r.version,
                r.content_hash,
                r.released_at.to_rfc3339(),
                field(&r.psychologist_name),
                field(&r.licence_number),
                entry
            ));
        }
    }
    writer
        .start_file("manifest.csv", options)
        .map_err(ApiError::internal)?;
    writer
        .write_all(manifest.as_bytes())
        .map_err(ApiError::internal)?;
    writer.finish().map_err(ApiError::internal)?;
    Ok(file)
}

/// Who may download their own report.
#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportSettings {
    /// Whether participants may download their own released report at /take (UU 27/2022: a
    /// person sees their data).
    pub participants_may_download: bool,
}

/// Sets whether a campaign's participants may download their own released report (admin, hr;
/// audited).
pub async fn set_settings(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    settings: ReportSettings,
) -> Result<ReportSettings, ApiError> {
    let txn = crate::store::begin_write(&ctx.db).await?;
    let before = crate::store::campaigns::find(&txn, staff.organisation, campaign)
        .await?
        .ok_or_else(|| ApiError::not_found("campaign"))?
        .campaign
        .reports_to_participants;
    crate::store::campaigns::set_participant_download(
        &txn,
        staff.organisation,
        campaign,
        settings.participants_may_download,
    )
    .await?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "campaign.report_settings",
            target_type: "campaign",
            target_id: campaign.to_string(),
            before: Some(serde_json::json!({"participants_may_download": before})),
            after: Some(serde_json::json!({"participants_may_download": settings.participants_may_download})),
            reason: None,
            at: ctx.clock.now(),
        },
    )
    .await?;
    Ok(settings)
}

/// The signed-in candidate's own latest released report, where their campaign allows it; a
/// campaign that does not, or a report not released yet, is not found.
pub async fn own(ctx: &AppContext, who: &CandidateClaims) -> Result<ReleasedFile, ApiError> {
    let none = || {
        ApiError::new(
            ErrorCode::NotFound,
            "no report of yours has been released for download",
        )
    };
    let attempt = crate::store::attempts::find(&ctx.db, who.sub.into())
        .await?
        .filter(|a| a.organisation_id == who.org)
        .ok_or_else(none)?;
    let org = crate::domain::ids::OrganisationId::from(attempt.organisation_id);
    let campaign = CampaignId::from(attempt.campaign_id);
    let participant = attempt.participant_id;
    let rec = crate::store::campaigns::find(&ctx.db, org, campaign)
        .await?
        .ok_or_else(none)?;
    if !rec.campaign.reports_to_participants {
        return Err(none());
    }
    let latest = repo::of_report(&ctx.db, org, campaign, participant)
        .await?
        .into_iter()
        .filter(|m| m.kind == INDIVIDUAL)
        .max_by_key(|m| m.version)
        .ok_or_else(none)?;
    let row = repo::find(&ctx.db, org, campaign, participant, latest.version)
        .await?
        .ok_or_else(none)?;
    let nip = crate::store::campaigns::participants_by_id(&ctx.db, &[participant])
        .await?
        .pop()
        .map(|p| p.nip)
        .unwrap_or_default();
    Ok(ReleasedFile {
        filename: file_name(&nip, row.version),
        content_hash: row.content_hash,
        bytes: row.pdf,
    })
}
