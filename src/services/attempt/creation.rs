//! What a participant's attempt is made of when it is created: one section per section of the
//! campaign's battery, each with the items this attempt delivers (drawn and ordered from the
//! attempt's seed), and the norm group the campaign's rule gives the participant. Delivery
//! creates it on the first sign-in; the demo's synthetic results create theirs the same way.
use chrono::{DateTime, Utc};

use crate::domain::attempt::AttemptStatus;
use crate::domain::battery::ItemOrder;
use crate::domain::campaign::{NormRule, NormSubject};
use crate::domain::delivery::{plan_section, AttemptSeed};
use crate::domain::ids::{AttemptId, BatteryId, InstrumentId, OrganisationId};
use crate::error::ApiError;
use crate::services::{adaptive, AppContext};
use crate::store::attempts::NewSection;
use crate::store::batteries;
use crate::store::entities::{attempt, campaign, participant};

/// The rows of a new, not started attempt of participant `p` in campaign `c`, planned from
/// `seed` and created at `now`; the caller inserts them (`store::attempts::insert`).
pub async fn new_attempt(
    ctx: &AppContext,
    c: &campaign::Model,
    p: &participant::Model,
    seed: AttemptSeed,
    now: DateTime<Utc>,
) -> Result<(attempt::Model, Vec<NewSection>), ApiError> {
    let org = OrganisationId::from(c.organisation_id);
    let battery = batteries::find(&ctx.db, org, BatteryId::from(c.battery_id))
        .await?
        .ok_or_else(|| ApiError::not_found("battery"))?;
    let mut sections = Vec::with_capacity(battery.sections.len());
    for (i, s) in battery.sections.iter().enumerate() {
        let doc = ctx
            .instrument_cache
            .get(ctx, org, InstrumentId::from(s.instrument_id))
            .await?;
        let scored: Vec<String> = doc
            .items
            .iter()
            .filter(|it| !it.practice)
            .map(|it| it.code.clone())
            .collect();
        let order = if s.item_order == "random" {
            ItemOrder::Random
        } else {
            ItemOrder::Fixed
        };
        let draw = s.draw_count.and_then(|d| u32::try_from(d).ok());
        // An adaptive section's plan is its whole pool: the items it may give, one at a time.
        let plan = match adaptive::spec_of(s.adaptive.as_ref())? {
            Some(spec) => ctx
                .instrument_cache
                .pool(
                    ctx,
                    org,
                    InstrumentId::from(s.instrument_id),
                    spec.parameters_version,
                )
                .await?
                .items()
                .iter()
                .map(|i| i.id.clone())
                .collect(),
            None => plan_section(&scored, order, draw, seed, i),
        };
        sections.push(NewSection {
            instrument: InstrumentId::from(s.instrument_id),
            plan,
            forward_only: s.navigation == "forward_only" || s.adaptive.is_some(),
            adaptive: s.adaptive.clone(),
        });
    }
    let rule: NormRule = serde_json::from_value(c.norm_rule.clone()).unwrap_or_default();
    let group = rule
        .group_for(NormSubject {
            education: &p.education,
            job_level: &p.job_level,
            group: p.group_code.as_deref(),
        })
        .to_owned();
    let model = attempt::Model {
        id: AttemptId::new().as_uuid(),
        organisation_id: c.organisation_id,
        campaign_id: c.id,
        participant_id: p.id,
        seed: seed.to_i64(),
        status: AttemptStatus::NotStarted,
        norm_group: group,
        device_id: None,
        consent_at: None,
        started_at: None,
        finished_at: None,
        created_at: now,
        session_id: p.session_id,
        admitted_at: None,
        paused_at: None,
    };
    Ok((model, sections))
}
