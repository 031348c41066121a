//! The candidate's sections: starting one (the server sets its deadline), reading one (for
//! resume), submitting one, finishing the attempt, and the images of a section.
use chrono::{DateTime, Utc};

use super::answers;
use super::views::{
    asset_handle, battery_section_at, current_position, load, load_and_publish, load_attempt,
    load_current, section_at, section_view, view, AttemptView, Loaded, SectionView,
};
use crate::domain::attempt::{AttemptStatus, ClosedReason, EventKind, SectionStatus};
use crate::domain::delivery::AttemptSeed;
use crate::domain::ids::{AttemptId, CampaignId, InstrumentId, OrganisationId};
use crate::error::{ApiError, ErrorCode};
use crate::services::adaptive;
use crate::services::attempt::{ending, events, live, rules};
use crate::services::instruments::AssetBytes;
use crate::services::tokens::CandidateClaims;
use crate::services::AppContext;
use crate::store::attempts as repo;
use crate::store::entities::{attempt, attempt_section};
use crate::store::{campaigns, responses};

/// Starts a section (sets its server deadline), or returns it unchanged when already open.
pub async fn start_section(
    ctx: &AppContext,
    who: &CandidateClaims,
    position: i32,
) -> Result<SectionView, ApiError> {
    let (id, now, l) = on_this_device(ctx, who).await?;
    rules::check_steering(&l.attempt)?;
    if l.attempt.consent_at.is_none() {
        return Err(ApiError::new(
            ErrorCode::ConsentRequired,
            "accept the consent statement first",
        ));
    }
    let s = section_at(&l.sections, position)?;
    match s.status {
        SectionStatus::Open => return section(ctx, who, position).await,
        SectionStatus::Closed => return Err(rules::section_closed()),
        SectionStatus::Pending => {}
    }
    if current_position(&l.sections) != Some(position) {
        return Err(ApiError::new(
            ErrorCode::SectionNotCurrent,
            "sections are taken in order; finish the current one first",
        ));
    }
    if position == 0 && l.campaign.lobby {
        check_lobby(ctx, &l).await?;
    }
    let limit = battery_section_at(&l.battery, position)?.time_limit_seconds;
    let deadline = now + chrono::Duration::seconds(i64::from(limit));
    if repo::open_section(&ctx.db, id, position, now, deadline).await? {
        events::note(
            ctx,
            id,
            EventKind::SectionStart,
            serde_json::json!({"section": position, "deadline": deadline}),
            None,
        )
        .await;
    }
    repo::transition(
        &ctx.db,
        id,
        &[AttemptStatus::NotStarted],
        AttemptStatus::InProgress,
        now,
    )
    .await?;
    let l = load_and_publish(ctx, id).await?;
    section_view(ctx, &l.attempt, &l.sections, &l.battery, position).await
}

/// A section's content and saved answers (for resume).
pub async fn section(
    ctx: &AppContext,
    who: &CandidateClaims,
    position: i32,
) -> Result<SectionView, ApiError> {
    live::of_device(ctx, who).await?;
    let id = who.attempt();
    ending::close_if_due(ctx, id).await?;
    let (attempt, sections) = load_attempt(ctx, id).await?;
    let s = section_at(&sections, position)?;
    if s.status == SectionStatus::Pending {
        // The next section may be previewed before its clock starts: title, time limit,
        // instructions and practice items, but none of its items.
        if current_position(&sections) != Some(position) || attempt.consent_at.is_none() {
            return Err(not_started());
        }
    }
    let battery = ctx
        .battery_cache
        .of_campaign(
            ctx,
            OrganisationId::from(attempt.organisation_id),
            CampaignId::from(attempt.campaign_id),
        )
        .await?;
    let view = section_view(ctx, &attempt, &sections, &battery, position).await?;
    // An open adaptive section with nothing left to answer: its rule stopped it but it was not
    // closed (a crash between the answer and the close). Closed now, and shown closed. The view
    // has already worked out where the candidate stands, so nothing is read twice otherwise.
    let stopped = view.status == SectionStatus::Open.as_str()
        && view
            .adaptive
            .as_ref()
            .is_some_and(|p| p.current_item.is_none());
    if !stopped {
        return Ok(view);
    }
    answers::complete(ctx, id, position, ctx.clock.now()).await?;
    let (attempt, sections) = load_attempt(ctx, id).await?;
    section_view(ctx, &attempt, &sections, &battery, position).await
}

/// The state of an adaptive section of the attempt, or `None` for a section that is not adaptive.
async fn adaptive_state(
    ctx: &AppContext,
    attempt: &attempt::Model,
    s: &attempt_section::Model,
) -> Result<Option<adaptive::SectionState>, ApiError> {
    if s.adaptive.is_none() {
        return Ok(None);
    }
    let rows = responses::of_section(&ctx.db, AttemptId::from(attempt.id), s.position).await?;
    adaptive::section_state(ctx, attempt, s, &rows).await
}

/// In a campaign with a lobby, the first section opens only for an admitted candidate of a
/// started session (the start opens it for everyone admitted before it).
async fn check_lobby(ctx: &AppContext, l: &Loaded) -> Result<(), ApiError> {
    let Some(session) = l.attempt.session_id else {
        return Ok(());
    };
    if l.attempt.admitted_at.is_none() {
        return Err(ApiError::new(
            ErrorCode::NotAdmitted,
            "please wait: the proctor admits each candidate from the lobby",
        ));
    }
    let started = campaigns::find_session(&ctx.db, l.attempt.organisation_id.into(), session)
        .await?
        .is_some_and(|(s, _)| s.started_at.is_some());
    if !started {
        return Err(ApiError::new(
            ErrorCode::SessionNotStarted,
            "you are admitted; the section starts when the proctor starts the session",
        ));
    }
    Ok(())
}

/// The candidate's attempt, once this device is known to hold it and a section whose time ran
/// out is closed; with its id and the time now.
async fn on_this_device(
    ctx: &AppContext,
    who: &CandidateClaims,
) -> Result<(AttemptId, DateTime<Utc>, Loaded), ApiError> {
    live::of_device(ctx, who).await?;
    let id = who.attempt();
    let now = ctx.clock.now();
    Ok((id, now, load_current(ctx, id, now).await?))
}

fn not_started() -> ApiError {
    ApiError::new(
        ErrorCode::SectionNotCurrent,
        "this section has not been started",
    )
}

/// Closes a section at the candidate's request; closing the last one finishes and scores the
/// attempt, and the view answered is then the finished attempt's (with its scores when the
/// campaign shows them).
pub async fn submit_section(
    ctx: &AppContext,
    who: &CandidateClaims,
    position: i32,
) -> Result<AttemptView, ApiError> {
    let (id, now, l) = on_this_device(ctx, who).await?;
    let s = section_at(&l.sections, position)?;
    if l.attempt.paused_at.is_some() || l.attempt.status == AttemptStatus::Terminated {
        rules::check_steering(&l.attempt)?;
    }
    if s.status == SectionStatus::Pending {
        return Err(rules::section_not_started());
    }
    let reason =
        match adaptive_state(ctx, &l.attempt, s).await? {
            // An adaptive section ends by its rule or its clock, not at the candidate's word: the
            // measurement would otherwise stop wherever the candidate chose.
            Some(state) if state.progress.current.is_some() => return Err(ApiError::new(
                ErrorCode::AdaptiveSectionRunning,
                "an adaptive section ends by itself when it has measured enough or its time is up",
            )),
            Some(_) => ClosedReason::Completed,
            None => ClosedReason::Submitted,
        };
    ending::close_section(ctx, id, position, reason, now).await?;
    // The last section closed ends the attempt: it is finished and scored now, not when (or if)
    // the candidate also presses "finish". Checked even when this call closed nothing, so a
    // submit sent again repairs an attempt left running by a crash between the two.
    let l = if ending::finish_if_all_closed(ctx, id).await? {
        load(ctx, id).await?
    } else {
        load_and_publish(ctx, id).await?
    };
    view(ctx, &l).await
}

/// Finishes the attempt: closes an open section, scores every section.
pub async fn finish(ctx: &AppContext, who: &CandidateClaims) -> Result<AttemptView, ApiError> {
    let state = live::of_device(ctx, who).await?;
    if state.terminated {
        return Err(rules::terminated());
    }
    if state.paused {
        return Err(rules::paused());
    }
    let id = who.attempt();
    let now = ctx.clock.now();
    ending::close_if_overdue(ctx, id, now).await?;
    ending::finish_and_score(ctx, id, AttemptStatus::Finished, now).await?;
    let l = load(ctx, id).await?;
    view(ctx, &l).await
}

/// The bytes of an image shown in a section of this attempt.
pub async fn asset(
    ctx: &AppContext,
    who: &CandidateClaims,
    position: i32,
    handle: &str,
) -> Result<AssetBytes, ApiError> {
    live::of_device(ctx, who).await?;
    let id = who.attempt();
    let (attempt, sections) = load_attempt(ctx, id).await?;
    let s = section_at(&sections, position)?;
    // Before the section starts only its practice items' images may be seen.
    let pending = s.status == SectionStatus::Pending;
    let org = OrganisationId::from(attempt.organisation_id);
    let instrument = InstrumentId::from(s.instrument_id);
    let doc = ctx.instrument_cache.get(ctx, org, instrument).await?;
    let seed = AttemptSeed::from_i64(attempt.seed);
    let name = doc
        .items
        .iter()
        .filter(|i| !pending || i.practice)
        .flat_map(|i| i.asset_names())
        .find(|n| asset_handle(seed, n) == handle)
        .map(str::to_owned)
        .ok_or_else(|| ApiError::not_found("asset"))?;
    let a = crate::store::instruments::asset(&ctx.db, instrument, &name)
        .await?
        .ok_or_else(|| ApiError::not_found("asset"))?;
    Ok(AssetBytes {
        media_type: a.media_type,
        data: a.data,
    })
}
