//! The demo's campaign of synthetic results: a campaign that closed a week before the first
//! start, with `n` generated participants who each took the whole battery within its window, so
//! that results, competency levels, JPM, categories and the 9-box have something to show at once.
//!
//! Everything goes through the paths real data takes, as HR and candidates would make it: the
//! campaign is created, the participants enrolled and the SKP ratings and discipline records
//! imported by the services HR uses; each attempt is planned as a sign-in plans it, its answers
//! are written by the answer path's guarded upsert while its sections are open, its sections are
//! submitted, and it is finished and scored by `attempt::ending`, so its scores name the norm
//! tables and scoring version a real candidate's do. Only the answers themselves, their times
//! and the people are generated (`people`, `answers`, `records`), from the demo's fixed seed.
//!
//! Like the rest of the demo it is made once, on the first start of an empty database, and every
//! generated file is checked before anything is written. A crash part-way leaves the organisation
//! in place, so a later start starts as usual and never seeds again (it cannot stop at a half
//! campaign); an attempt whose answers were written but that was not finished yet is finished and
//! scored by the expiry sweep, as any attempt with every section closed is.
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc};
use sea_orm::ConnectionTrait;

use super::answers::{AnswerModel, Respondent};
use super::draw::{Draw, DEMO_SEED};
use super::people::{self, Participant};
use super::{records, EMAIL_DOMAIN};
use crate::domain::attempt::{AttemptStatus, ClosedReason, EventKind};
use crate::domain::campaign::CampaignDoc;
use crate::domain::delivery::AttemptSeed;
use crate::domain::ids::{AttemptId, BatteryId, CampaignId, InstrumentId};
use crate::domain::instrument::{InstrumentDoc, InstrumentKind};
use crate::domain::scoring::{likert_points, parse_response};
use crate::error::ApiError;
use crate::services::attempt::{creation, ending, rules};
use crate::services::auth::Staff;
use crate::services::organisations::DemoResults;
use crate::services::{campaigns, discipline, enrolment, performance, AppContext};
use crate::store::attempt_events::{self, PastEvent};
use crate::store::attempts as repo;
use crate::store::batteries;
use crate::store::entities::{battery_section, campaign, participant};
use crate::store::responses::{self, OpenGuard, ResponseRow};

/// The device the synthetic attempts were taken on, as their timeline shows it.
const DEVICE: &str = "demo-synthetic";

/// Name of the demo's campaign of synthetic results with `n` participants.
pub fn campaign_name(n: u32) -> String {
    format!("Demo · hasil sintetis ({n} peserta)")
}

/// The campaign's window: it opened 18 days and closed 7 days before `now` (07:00 and 16:00
/// WIB), so its closing year is the year of `now` a week ago.
fn window(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let last_day = (now - Duration::days(7)).date_naive();
    let midnight = |d: chrono::NaiveDate| d.and_time(NaiveTime::MIN).and_utc();
    (
        midnight(last_day - Duration::days(11)),
        midnight(last_day) + Duration::hours(9),
    )
}

/// Creates the campaign with `n` synthetic participants, their records and their scored
/// attempts, as `staff` (the demo's HR account), for `battery`.
pub async fn seed(
    ctx: &AppContext,
    staff: &Staff,
    battery: uuid::Uuid,
    n: u32,
) -> Result<DemoResults, ApiError> {
    let (opens, closes) = window(ctx.clock.now());
    let year = closes.year();
    let people = people::roster(DEMO_SEED, n);
    let files = (
        people::enrolment_csv(&people),
        records::skp_csv(DEMO_SEED, &people, year),
        records::discipline_csv(DEMO_SEED, &people, year),
    );
    // Every generated file is checked before anything is written, as the demo's content is.
    crate::domain::enrolment::parse_participants(files.0.as_bytes(), ctx.clock.today())
        .map_err(|e| generated("participants file", &format!("{:?}", e.errors.first())))?;
    performance::import(ctx, staff, files.1.as_bytes(), true).await?;
    discipline::import(ctx, staff, files.2.as_bytes(), true).await?;

    let name = campaign_name(n);
    let doc: CampaignDoc = serde_json::from_value(serde_json::json!({
        "name": name,
        "battery": battery,
        "opens_at": opens,
        "closes_at": closes,
        "show_score_to_candidate": false,
        "time_zone": "WIB",
        "data_contact": format!("privasi@{EMAIL_DOMAIN}"),
        "retention_months": 24,
        "sessions": [],
    }))
    .map_err(|e| generated("campaign", &e.to_string()))?;
    let id = CampaignId::from(campaigns::create(ctx, staff, doc).await?.id);
    enrolment::import(ctx, staff, id, files.0.as_bytes(), false).await?;
    performance::import(ctx, staff, files.1.as_bytes(), false).await?;
    discipline::import(ctx, staff, files.2.as_bytes(), false).await?;

    let org = staff.organisation;
    let campaign = crate::store::campaigns::find(&ctx.db, org, id)
        .await?
        .ok_or_else(|| ApiError::not_found("campaign"))?
        .campaign;
    let sections = batteries::find(&ctx.db, org, BatteryId::from(battery))
        .await?
        .ok_or_else(|| ApiError::not_found("battery"))?
        .sections;
    let mut docs: HashMap<uuid::Uuid, Arc<InstrumentDoc>> = HashMap::new();
    for s in &sections {
        let doc = ctx
            .instrument_cache
            .get(ctx, org, InstrumentId::from(s.instrument_id))
            .await?;
        docs.insert(s.instrument_id, doc);
    }
    let models: HashMap<uuid::Uuid, AnswerModel<'_>> = docs
        .iter()
        .map(|(id, doc)| (*id, AnswerModel::new(doc)))
        .collect();
    let enrolled: HashMap<String, participant::Model> =
        crate::store::campaigns::participants(&ctx.db, org, id)
            .await?
            .into_iter()
            .map(|p| (p.nip.clone(), p))
            .collect();
    let sitting = Sitting {
        campaign: &campaign,
        sections: &sections,
        docs: &docs,
        models: &models,
        opens,
    };
    for chunk in people.chunks(SITTINGS_PER_COMMIT) {
        let txn = crate::store::begin_write(&ctx.db).await?;
        let mut taken = Vec::with_capacity(chunk.len());
        for person in chunk {
            let p = enrolled.get(&person.id.nip).ok_or_else(|| {
                generated("enrolment", "a synthetic participant was not enrolled")
            })?;
            taken.push(sitting.write(ctx, &txn, p, person).await?);
        }
        txn.commit().await?;
        // Submitting the last section finishes and scores the attempt, a moment later.
        for (attempt, submitted) in taken {
            ending::finish_and_score(ctx, attempt, AttemptStatus::Finished, submitted).await?;
        }
    }
    Ok(DemoResults {
        name,
        id: id.as_uuid(),
        participants: people.len(),
    })
}

fn generated(what: &str, detail: &str) -> ApiError {
    ApiError::internal(anyhow::anyhow!(
        "the demo's synthetic {what} is invalid: {detail}"
    ))
}

/// Sittings written per transaction: few enough that a crash loses little (the expiry sweep
/// finishes any attempt whose sections were all written), enough to spare most commits.
const SITTINGS_PER_COMMIT: usize = 20;

/// What every synthetic attempt of the campaign is taken with.
struct Sitting<'a> {
    campaign: &'a campaign::Model,
    sections: &'a [battery_section::Model],
    docs: &'a HashMap<uuid::Uuid, Arc<InstrumentDoc>>,
    models: &'a HashMap<uuid::Uuid, AnswerModel<'a>>,
    opens: DateTime<Utc>,
}

impl Sitting<'_> {
    /// Writes `person`'s (enrolled as `p`) sitting of the battery through `txn`: they sign in on
    /// their day, consent, take each section in turn and submit it, every answer stored by the
    /// answer path's guarded upsert while its section is open. Returns the attempt and when its
    /// last section was submitted.
    async fn write(
        &self,
        ctx: &AppContext,
        txn: &impl ConnectionTrait,
        p: &participant::Model,
        person: &Participant,
    ) -> Result<(AttemptId, DateTime<Utc>), ApiError> {
        let number = person.number;
        let mut d = Draw::new(DEMO_SEED, &format!("sitting:{number}"));
        // Ten days of sittings, a morning (08:00 WIB) and an afternoon (12:30 WIB) group each.
        let day = i64::from((number - 1) % 10);
        let group = i64::from((number - 1) / 10 % 2);
        let signed_in = self.opens
            + Duration::days(day)
            + Duration::minutes(60 + 270 * group + d.below(15) as i64);
        let consent = signed_in + Duration::seconds(60 + d.below(120) as i64);
        let seed = AttemptSeed::new(d.word());
        let (mut model, planned) =
            creation::new_attempt(ctx, self.campaign, p, seed, signed_in).await?;
        let id = AttemptId::from(model.id);
        let who = Respondent {
            seed: DEMO_SEED,
            number,
            latent: person.latent,
        };
        let mut at = consent + Duration::seconds(60 + d.below(180) as i64);
        model.status = AttemptStatus::InProgress;
        model.device_id = Some(DEVICE.to_owned());
        model.consent_at = Some(consent);
        model.started_at = Some(at);
        let plans: Vec<Vec<String>> = planned.iter().map(|s| s.plan.clone()).collect();
        repo::insert(txn, model, planned).await?;

        let event = |kind, detail, at| PastEvent {
            attempt: id,
            kind,
            detail,
            at,
        };
        let mut events = vec![
            event(
                EventKind::SignIn,
                serde_json::json!({"device": DEVICE, "took_over": false}),
                signed_in,
            ),
            event(EventKind::Consent, serde_json::json!({}), consent),
        ];
        let mut rows = Vec::new();
        let mut closes = Vec::with_capacity(self.sections.len());
        for (position, (section, plan)) in self.sections.iter().zip(&plans).enumerate() {
            let position = position as i32;
            let doc = &self.docs[&section.instrument_id];
            let limit = i64::from(section.time_limit_seconds);
            let deadline = at + Duration::seconds(limit);
            // Reasoning tests take most of their time; inventories much less.
            let share = match doc.kind {
                InstrumentKind::Cognitive => 0.55 + 0.43 * d.unit(),
                _ => 0.3 + 0.45 * d.unit(),
            };
            let took = Duration::seconds((limit as f64 * share) as i64);
            repo::open_section(txn, id, position, at, deadline).await?;
            events.push(event(
                EventKind::SectionStart,
                serde_json::json!({"section": position, "deadline": deadline}),
                at,
            ));
            let given = self.models[&section.instrument_id].answers(&who, plan);
            let k = likert_points(doc);
            let slots = given.len().max(1) as f64;
            for (i, (code, value)) in given.into_iter().enumerate() {
                let item = doc
                    .items
                    .iter()
                    .find(|it| it.code == code)
                    .ok_or_else(|| generated("answers", &format!("no item {code}")))?;
                let parsed =
                    parse_response(item, k, &value).map_err(|m| generated("answers", &m))?;
                let slot = (i as f64 + 0.3 + 0.4 * d.unit()) / slots;
                let received_at =
                    at + Duration::milliseconds((took.num_milliseconds() as f64 * slot) as i64);
                rows.push((
                    ResponseRow {
                        attempt: id,
                        section: position,
                        item: code,
                        value: serde_json::to_value(&parsed).map_err(ApiError::internal)?,
                        seq: rows.len() as i64 + 1,
                        flagged: false,
                        received_at,
                        selection: None,
                    },
                    OpenGuard {
                        device: DEVICE.to_owned(),
                        deadline_not_before: rules::overdue_before(ctx, received_at),
                    },
                ));
            }
            closes.push((position, at + took));
            events.push(event(
                EventKind::SectionEnd,
                serde_json::json!({"section": position, "reason": ClosedReason::Submitted}),
                at + took,
            ));
            at += took + Duration::seconds(30 + d.below(120) as i64);
        }
        // One statement stores the attempt's answers, each into its section, open until its
        // submission below (the transaction makes them all one moment to everyone else).
        let written = responses::upsert_if_open(txn, &rows).await?;
        if written.len() != rows.len() {
            return Err(generated("answers", "the answer path refused some"));
        }
        for (position, closed) in &closes {
            repo::close_section(txn, id, *position, ClosedReason::Submitted, *closed).await?;
        }
        attempt_events::record_all(txn, events).await?;
        let submitted = closes.last().map_or(at, |(_, c)| *c);
        Ok((id, submitted + Duration::seconds(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_closed_a_week_ago_after_eleven_and_a_half_days() {
        let now = DateTime::parse_from_rfc3339("2027-01-05T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (opens, closes) = window(now);
        assert_eq!(closes.to_rfc3339(), "2026-12-29T09:00:00+00:00");
        assert_eq!(opens.to_rfc3339(), "2026-12-18T00:00:00+00:00");
        assert_eq!(
            closes.year(),
            2026,
            "the closing year, whose SKP the 9-box reads"
        );
    }

    #[test]
    fn the_campaign_name_says_the_results_are_synthetic_and_how_many() {
        assert_eq!(campaign_name(200), "Demo · hasil sintetis (200 peserta)");
    }
}
