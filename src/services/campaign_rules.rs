//! The rule versions a campaign is computed with. By default a campaign follows the
//! organisation's current version of every rule kind, so a new JPM rule changes every campaign's
//! results; a campaign whose results must stay as they were decided (a closed selection, a
//! published mapping) **pins** the versions it is to be computed with, and a past result is then
//! recomputed exactly as it was, whatever later versions say. It may also hold the job standards
//! as they stood when it pinned them (each standard at its newest version of that moment). Pins
//! are set and cleared by admin and hr, audited with before and after.
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use serde::{Deserialize, Serialize};

use super::auth::Staff;
use super::{audited, campaigns, competency_rules, AppContext};
use crate::domain::competency::rule_set::RuleKind;
use crate::domain::ids::CampaignId;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::audit::AuditRecord;
use crate::store::campaign_rule_pins as repo;

/// A campaign's pins and the versions in force.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignRules {
    /// The version each pinned kind is held at.
    pub pinned: BTreeMap<String, i32>,
    /// The version of every kind the campaign's results are computed with now: the pinned one,
    /// or the organisation's current one.
    pub in_force: BTreeMap<String, i32>,
    /// When the job standards were pinned: the campaign reads each standard as it stood then.
    /// None: the current standards.
    pub standards_as_of: Option<DateTime<Utc>>,
}

/// The kind under which the standards' pin is stored.
const STANDARDS: &str = "job_standards";

/// New pins: a version per kind to hold (a kind left out, or `null`, follows the current
/// version). The whole set replaces the campaign's pins.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinRequest {
    /// Version per kind: `evidence_mapping`, `jpm`, `category_schemes`, `nine_box`, `ip_asn`,
    /// `development`.
    #[schema(value_type = Object)]
    pub pins: BTreeMap<String, Option<i32>>,
    /// Hold the job standards as they are now (`true`; a standing pin keeps its moment) or follow
    /// the current standards (`false`, the default).
    #[serde(default)]
    pub standards: bool,
    /// Why (1–1000 characters), for the audit log.
    pub reason: String,
}

/// What a campaign is computed with: the rule documents in force, one per kind in
/// [`RuleKind::ALL`] order (pinned, else the organisation's current version), and the moment its
/// job standards are read as of (none: the current standards).
pub struct InForce {
    /// The rule documents.
    pub documents: Vec<(RuleKind, competency_rules::RuleVersion)>,
    /// When the campaign pinned its job standards.
    pub standards_as_of: Option<DateTime<Utc>>,
    /// The rule versions it pins, by kind.
    pinned: BTreeMap<String, i32>,
}

/// What a campaign of the caller's organisation is computed with, from one read of its pins.
pub async fn in_force(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
) -> Result<InForce, ApiError> {
    let mut pinned = BTreeMap::new();
    let mut standards_as_of = None;
    for (kind, version, at) in repo::of_campaign(&ctx.db, staff.organisation, campaign).await? {
        if kind == STANDARDS {
            standards_as_of = Some(at);
        } else {
            pinned.insert(kind, version);
        }
    }
    let mut documents = Vec::with_capacity(RuleKind::ALL.len());
    for kind in RuleKind::ALL {
        let doc = match pinned.get(kind.as_str()) {
            Some(&v) => competency_rules::at_version(ctx, staff, kind, v).await?,
            None => competency_rules::current(ctx, staff, kind).await?,
        };
        documents.push((kind, doc));
    }
    Ok(InForce {
        documents,
        standards_as_of,
        pinned,
    })
}

/// The pins of a campaign of the caller's organisation and the versions in force.
pub async fn of_campaign(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
) -> Result<CampaignRules, ApiError> {
    campaigns::get(ctx, staff, campaign).await?;
    let InForce {
        documents,
        standards_as_of,
        pinned,
    } = in_force(ctx, staff, campaign).await?;
    Ok(CampaignRules {
        pinned,
        in_force: documents
            .into_iter()
            .map(|(kind, doc)| (kind.as_str().to_owned(), doc.version))
            .collect(),
        standards_as_of,
    })
}

/// Replaces the pins of a campaign of the caller's organisation: every kind named must exist and
/// every version must be one the organisation has stored (version 1 always is); otherwise
/// nothing changes and every problem is named. Audited.
pub async fn set(
    ctx: &AppContext,
    staff: &Staff,
    campaign: CampaignId,
    request: PinRequest,
) -> Result<CampaignRules, ApiError> {
    let before = of_campaign(ctx, staff, campaign).await?;
    let mut errs = Vec::new();
    let reason = request.reason.trim();
    if reason.is_empty() || reason.chars().count() > 1000 {
        errs.push(FieldError::top("reason", "must be 1 to 1000 characters"));
    }
    let now = ctx.clock.now();
    let mut pins = Vec::new();
    for (name, version) in &request.pins {
        let field = format!("pins.{name}");
        let Some(kind) = RuleKind::parse(name).filter(|_| name != STANDARDS) else {
            errs.push(FieldError::top(
                field,
                "not a rule kind: evidence_mapping, jpm, category_schemes, nine_box, ip_asn or development",
            ));
            continue;
        };
        let Some(version) = *version else { continue };
        let exists = version >= 1
            && competency_rules::at_version(ctx, staff, kind, version)
                .await
                .is_ok();
        if exists {
            pins.push((kind.as_str().to_owned(), version, now));
        } else {
            errs.push(FieldError::top(
                field,
                format!("the organisation has no version {version} of this rule"),
            ));
        }
    }
    ApiError::unless_no_errors(
        ErrorCode::InvalidRulePin,
        "the campaign's rule pins are not valid; nothing was changed",
        errs,
    )?;
    if request.standards {
        // A standing pin keeps its moment: pinning again does not move the standards read.
        pins.push((
            STANDARDS.to_owned(),
            0,
            before.standards_as_of.unwrap_or(now),
        ));
    }
    let txn = crate::store::begin_write(&ctx.db).await?;
    repo::replace(&txn, staff.organisation, campaign, &pins, staff.account).await?;
    audited::commit(
        txn,
        AuditRecord {
            organisation: staff.organisation,
            actor: Some(staff.account),
            action: "campaign.rule_pins",
            target_type: "campaign",
            target_id: campaign.to_string(),
            before: Some(serde_json::json!({
                "pinned": before.pinned,
                "standards_as_of": before.standards_as_of,
            })),
            after: Some(serde_json::json!(pins
                .iter()
                .map(|(kind, version, at)| (
                    kind.clone(),
                    serde_json::json!({"version": version, "at": at})
                ))
                .collect::<BTreeMap<_, _>>())),
            reason: Some(reason.to_owned()),
            at: now,
        },
    )
    .await?;
    of_campaign(ctx, staff, campaign).await
}
