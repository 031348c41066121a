//! What the candidate's page is shown: the attempt with its sections, and a section's content
//! without keys, weights, scales or answers (invariant 4), in the attempt's opaque ids.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::attempt::{time_left_ms, AttemptStatus, SectionStatus};
use crate::domain::delivery::{candidate_view, choice_id, item_handle, AttemptSeed, CandidateItem};
use crate::domain::ids::{AttemptId, CampaignId, InstrumentId, OrganisationId};
use crate::domain::instrument::InstrumentDoc;
use crate::domain::item::ItemDoc;
use crate::domain::text::Text;
use crate::error::{ApiError, ErrorCode};
use crate::services::adaptive;
use crate::services::attempt::{ending, live};
use crate::services::battery_cache::BatterySections;
use crate::services::monitor::{self, LobbyState, Message};
use crate::services::organisations;
use crate::services::results::{scoring, CandidateScore};
use crate::services::AppContext;
use crate::store::attempts as repo;
use crate::store::entities::{attempt, attempt_section, battery_section, campaign, participant};
use crate::store::responses;

/// A section as listed to the candidate.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SectionSummary {
    /// Position in the battery.
    pub position: i32,
    /// Title.
    #[schema(value_type = Object)]
    pub title: Text,
    /// Time limit.
    pub time_limit_seconds: i32,
    /// Scored items this attempt gets; in an adaptive section, the most it may give.
    pub item_count: usize,
    /// Items come one at a time, chosen by the answers so far; their number varies.
    pub adaptive: bool,
    /// pending, open or closed.
    pub status: String,
    /// submitted or timeout, once closed.
    pub closed_reason: Option<String>,
}

/// The campaign as the candidate sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignSummary {
    /// Name.
    pub name: String,
    /// Whether the end screen shows scores.
    pub show_score_to_candidate: bool,
    /// When the window opens.
    pub opens_at: DateTime<Utc>,
    /// When the window closes.
    pub closes_at: DateTime<Utc>,
    /// The zone in which the page shows the campaign's times: WIB (UTC+7), WITA (UTC+8) or WIT
    /// (UTC+9).
    #[schema(example = "WIB")]
    pub time_zone: String,
    /// That zone's IANA name, for `Intl.DateTimeFormat`: Asia/Jakarta, Asia/Makassar or
    /// Asia/Jayapura.
    #[schema(example = "Asia/Jakarta")]
    pub time_zone_iana: String,
    /// Where the participant asks about, or for, their personal data (consent screen).
    pub data_contact: Option<String>,
    /// How many months their answers and results are kept (consent screen).
    pub retention_months: Option<i32>,
}

/// Who is signed in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantSummary {
    /// Full name.
    pub name: String,
    /// NIP.
    pub nip: String,
}

/// An organisation's name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationSummary {
    /// Name.
    pub name: String,
}

/// The candidate's attempt.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttemptView {
    /// Attempt id.
    pub id: uuid::Uuid,
    /// not_started, in_progress, finished, expired or terminated.
    pub status: String,
    /// A proctor paused the attempt: the clock is stopped (`remaining_ms` frozen).
    pub paused: bool,
    /// The lobby, when the candidate's session has one.
    pub lobby: Option<LobbyState>,
    /// The proctor's messages not yet dismissed.
    pub messages: Vec<Message>,
    /// The campaign.
    pub campaign: CampaignSummary,
    /// The organisation running it.
    pub organisation: OrganisationSummary,
    /// Who is signed in.
    pub participant: ParticipantSummary,
    /// Whether consent must be given before the first section.
    pub consent_required: bool,
    /// The sections in order.
    pub sections: Vec<SectionSummary>,
    /// The open section, or the next to start.
    pub current_section: Option<i32>,
    /// Milliseconds left in the open section.
    pub remaining_ms: Option<i64>,
    /// Scores, when finished and the campaign shows them.
    pub scores: Option<Vec<CandidateScore>>,
}

/// A saved response as the candidate's page restores it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SavedResponse {
    /// The response, with the attempt's opaque ids.
    #[schema(value_type = Object)]
    pub response: serde_json::Value,
    /// Its sequence number.
    pub seq: i64,
    /// Marked for review.
    pub flagged: bool,
}

/// A section's content for the candidate: no keys, weights, scales or answers.
// `CandidateSection` in the API document, apart from the battery's `SectionView`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[schema(as = CandidateSection)]
pub struct SectionView {
    /// Position in the battery.
    pub position: i32,
    /// Title.
    #[schema(value_type = Object)]
    pub title: Text,
    /// Instructions.
    #[schema(value_type = Option<Object>)]
    pub instructions: Option<Text>,
    /// free or forward_only.
    pub navigation: String,
    /// Time limit.
    pub time_limit_seconds: i32,
    /// Server deadline.
    pub deadline: Option<DateTime<Utc>>,
    /// Milliseconds left.
    pub remaining_ms: i64,
    /// open or closed.
    pub status: String,
    /// Practice items, answered on the page only.
    #[schema(value_type = Vec<Object>)]
    pub practice: Vec<CandidateItem>,
    /// The items of this attempt, in order.
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<CandidateItem>,
    /// Saved responses by item id.
    pub responses: HashMap<String, SavedResponse>,
    /// In an adaptive section: how far the candidate is. `items` then holds the items answered,
    /// in order, and the current one last.
    pub adaptive: Option<AdaptiveProgress>,
}

/// How far a candidate is in an adaptive section (never θ or the SE: those are results).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AdaptiveProgress {
    /// Items answered.
    pub answered: usize,
    /// The section gives at least this many items (unless its time runs out).
    pub min_items: usize,
    /// And at most this many.
    pub max_items: usize,
    /// The item to answer now (opaque id); none once the test is over.
    pub current_item: Option<String>,
}

/// Everything about an attempt that its views need.
pub struct Loaded {
    /// The attempt.
    pub attempt: attempt::Model,
    /// Its sections, in order.
    pub sections: Vec<attempt_section::Model>,
    /// Its campaign.
    pub campaign: campaign::Model,
    /// The campaign's battery sections.
    pub battery: BatterySections,
    /// Who takes it.
    pub participant: participant::Model,
}

/// Reads everything the views of an attempt need.
pub async fn load(ctx: &AppContext, id: AttemptId) -> Result<Loaded, ApiError> {
    let found = repo::find_with_campaign(&ctx.db, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    let attempt = found.attempt;
    let campaign = found
        .campaign
        .ok_or_else(|| ApiError::not_found("campaign"))?;
    let participant = found
        .participant
        .ok_or_else(|| ApiError::not_found("participant"))?;
    let battery = ctx
        .battery_cache
        .of_campaign(
            ctx,
            OrganisationId::from(attempt.organisation_id),
            CampaignId::from(campaign.id),
        )
        .await?;
    let sections = repo::sections(&ctx.db, id).await?;
    Ok(Loaded {
        attempt,
        sections,
        campaign,
        battery,
        participant,
    })
}

/// Reads everything the views of an attempt need, after closing a section whose time ran out
/// (then reading it again): what a candidate's reads see.
pub async fn load_current(
    ctx: &AppContext,
    id: AttemptId,
    now: DateTime<Utc>,
) -> Result<Loaded, ApiError> {
    let l = load(ctx, id).await?;
    if ending::close_overdue(ctx, &l.attempt, &l.sections, now).await? {
        return load(ctx, id).await;
    }
    Ok(l)
}

/// Reads an attempt again after a change and rewrites its live state from what is committed
/// ([`live::follow_loaded`]: the change stands even when the live store cannot take it).
pub async fn load_and_publish(ctx: &AppContext, id: AttemptId) -> Result<Loaded, ApiError> {
    let l = load(ctx, id).await?;
    live::follow_loaded(ctx, &l.attempt, &l.sections).await;
    Ok(l)
}

/// The position of the section the candidate is on: the first one not closed.
pub fn current_position(sections: &[attempt_section::Model]) -> Option<i32> {
    sections
        .iter()
        .find(|s| s.status != SectionStatus::Closed)
        .map(|s| s.position)
}

/// The attempt as the candidate's page shows it.
pub async fn view(ctx: &AppContext, l: &Loaded) -> Result<AttemptView, ApiError> {
    let now = ctx.clock.now();
    let organisation =
        organisations::name_of(ctx, OrganisationId::from(l.attempt.organisation_id)).await?;
    let open = l.sections.iter().find(|s| s.status == SectionStatus::Open);
    let next = current_position(&l.sections);
    let finished = l.attempt.status.is_over();
    let state =
        monitor::candidates::candidate_state(ctx, &l.attempt, &l.sections, &l.campaign).await?;
    let scores = if finished
        && l.attempt.status != AttemptStatus::Terminated
        && l.campaign.show_score_to_candidate
    {
        Some(scoring::candidate_scores(ctx, &l.attempt).await?)
    } else {
        None
    };
    Ok(AttemptView {
        id: l.attempt.id,
        status: l.attempt.status.as_str().to_owned(),
        paused: l.attempt.paused_at.is_some(),
        lobby: state.lobby,
        messages: state.messages,
        campaign: CampaignSummary {
            name: l.campaign.name.clone(),
            show_score_to_candidate: l.campaign.show_score_to_candidate,
            opens_at: l.campaign.opens_at,
            closes_at: l.campaign.closes_at,
            time_zone: l.campaign.time_zone.code().to_owned(),
            time_zone_iana: l.campaign.time_zone.iana().to_owned(),
            data_contact: l.campaign.data_contact.clone(),
            retention_months: l.campaign.retention_months,
        },
        organisation: OrganisationSummary { name: organisation },
        participant: ParticipantSummary {
            name: l.participant.name.clone(),
            nip: l.participant.nip.clone(),
        },
        consent_required: l.attempt.consent_at.is_none(),
        sections: l
            .sections
            .iter()
            .map(|s| {
                let b = l.battery.iter().find(|b| b.position == s.position);
                SectionSummary {
                    position: s.position,
                    title: b
                        .and_then(|b| serde_json::from_value(b.title.clone()).ok())
                        .unwrap_or_else(|| Text {
                            id: format!("Bagian {}", s.position + 1),
                            en: Some(format!("Section {}", s.position + 1)),
                        }),
                    time_limit_seconds: b.map(|b| b.time_limit_seconds).unwrap_or(0),
                    item_count: match adaptive::spec_of(s.adaptive.as_ref()).ok().flatten() {
                        Some(spec) => spec.config.max_items,
                        None => serde_json::from_value::<Vec<String>>(s.plan.clone())
                            .map(|p| p.len())
                            .unwrap_or(0),
                    },
                    adaptive: s.adaptive.is_some(),
                    status: s.status.as_str().to_owned(),
                    closed_reason: s.closed_reason.map(|r| r.as_str().to_owned()),
                }
            })
            .collect(),
        current_section: if finished { None } else { next },
        remaining_ms: open.map(|s| {
            s.deadline_at
                .map_or(0, |d| time_left_ms(d, l.attempt.paused_at, now))
        }),
        scores,
    })
}

/// An attempt and its sections: what a section's content and images need.
pub async fn load_attempt(
    ctx: &AppContext,
    id: AttemptId,
) -> Result<(attempt::Model, Vec<attempt_section::Model>), ApiError> {
    let attempt = repo::find(&ctx.db, id)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::InvalidToken, "this attempt no longer exists"))?;
    let sections = repo::sections(&ctx.db, id).await?;
    Ok((attempt, sections))
}

/// The section of an attempt at `position`, or `not_found`.
pub fn section_at(
    sections: &[attempt_section::Model],
    position: i32,
) -> Result<&attempt_section::Model, ApiError> {
    sections
        .iter()
        .find(|s| s.position == position)
        .ok_or_else(|| ApiError::not_found("section"))
}

/// The battery's section at `position`, or `not_found`.
pub fn battery_section_at(
    battery: &[battery_section::Model],
    position: i32,
) -> Result<&battery_section::Model, ApiError> {
    battery
        .iter()
        .find(|b| b.position == position)
        .ok_or_else(|| ApiError::not_found("section"))
}

/// The opaque name under which an asset of a section is served to this attempt.
pub fn asset_handle(seed: AttemptSeed, name: &str) -> String {
    choice_id(seed, "~asset", name)
}

fn asset_url(position: i32, seed: AttemptSeed, name: &str) -> String {
    format!(
        "/api/v1/candidate/sections/{position}/assets/{}",
        asset_handle(seed, name)
    )
}

/// An item as the candidate sees it: no key, shuffled opaque option ids, images by handle.
fn candidate_item(
    item: &ItemDoc,
    seed: AttemptSeed,
    shuffle: bool,
    doc: &InstrumentDoc,
    position: i32,
) -> CandidateItem {
    let mut v = candidate_view(item, seed, shuffle, doc.likert_anchors.as_deref());
    if let Some(name) = v.image.take() {
        v.image = Some(asset_url(position, seed, &name));
    }
    for o in &mut v.options {
        if let Some(name) = o.image.take() {
            o.image = Some(asset_url(position, seed, &name));
        }
    }
    v
}

/// A section's content and saved answers for the candidate; items only once it has started.
pub async fn section_view(
    ctx: &AppContext,
    attempt: &attempt::Model,
    sections: &[attempt_section::Model],
    battery: &[battery_section::Model],
    position: i32,
) -> Result<SectionView, ApiError> {
    let s = section_at(sections, position)?;
    let b = battery_section_at(battery, position)?;
    let org = OrganisationId::from(attempt.organisation_id);
    let doc = ctx
        .instrument_cache
        .get(ctx, org, InstrumentId::from(s.instrument_id))
        .await?;
    let seed = AttemptSeed::from_i64(attempt.seed);
    let plan: Vec<String> = serde_json::from_value(s.plan.clone()).map_err(ApiError::internal)?;
    let by_code: HashMap<&str, &ItemDoc> = doc.items.iter().map(|i| (i.code.as_str(), i)).collect();
    let pending = s.status == SectionStatus::Pending;
    let stored = responses::of_section(&ctx.db, AttemptId::from(attempt.id), position).await?;
    let state = match pending {
        true => None,
        false => adaptive::section_state(ctx, attempt, s, &stored).await?,
    };
    let (shown, progress) = match state {
        Some(state) => {
            let config = &state.spec.config;
            let p = state.progress;
            let mut shown: Vec<String> = p.given.iter().map(|(code, _)| code.clone()).collect();
            // The current item only while the section is open.
            let current = p.current.filter(|_| s.status == SectionStatus::Open);
            shown.extend(current.clone());
            let progress = AdaptiveProgress {
                answered: p.given.len(),
                min_items: config.min_items,
                max_items: config.max_items,
                current_item: current.map(|c| item_handle(seed, &c)),
            };
            (shown, Some(progress))
        }
        // Before the start no item is shown, adaptive or not.
        None if pending => (Vec::new(), None),
        None => (plan, None),
    };
    let items = shown
        .iter()
        .filter_map(|c| by_code.get(c.as_str()))
        .map(|i| candidate_item(i, seed, b.shuffle_options, &doc, position))
        .collect();
    let practice = doc
        .items
        .iter()
        .filter(|i| i.practice)
        .map(|i| candidate_item(i, seed, b.shuffle_options, &doc, position))
        .collect();
    let mut saved = HashMap::new();
    for r in stored {
        if let Some(item) = by_code.get(r.item_code.as_str()) {
            saved.insert(
                item_handle(seed, &r.item_code),
                SavedResponse {
                    response: to_candidate_ids(item, seed, r.value),
                    seq: r.client_seq,
                    flagged: r.flagged,
                },
            );
        }
    }
    let title: Text = serde_json::from_value(b.title.clone()).map_err(ApiError::internal)?;
    let instructions: Option<Text> = match &b.instructions {
        Some(v) => Some(serde_json::from_value(v.clone()).map_err(ApiError::internal)?),
        None => doc.instructions.clone(),
    };
    Ok(SectionView {
        position,
        title,
        instructions,
        navigation: match b.navigation.as_str() {
            "forward_only" => "forward_only",
            _ => "free",
        }
        .to_owned(),
        time_limit_seconds: b.time_limit_seconds,
        deadline: s.deadline_at,
        remaining_ms: if s.status == SectionStatus::Open {
            let now = ctx.clock.now();
            s.deadline_at
                .map_or(0, |d| time_left_ms(d, attempt.paused_at, now))
        } else {
            0
        },
        status: s.status.as_str().to_owned(),
        practice,
        items,
        responses: saved,
        adaptive: progress,
    })
}

/// A stored response (document ids) in the attempt's opaque ids, for the page to restore.
pub(super) fn to_candidate_ids(
    item: &ItemDoc,
    seed: AttemptSeed,
    mut value: serde_json::Value,
) -> serde_json::Value {
    for key in ["choice", "most", "least"] {
        if let Some(id) = value.get(key).and_then(|v| v.as_str()).map(str::to_owned) {
            value[key] = serde_json::Value::String(choice_id(seed, &item.code, &id));
        }
    }
    value
}
