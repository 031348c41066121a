//! Item analysis of an instrument from the attempts that took it, in some campaigns or in all of
//! the organisation's: per scale, the classical statistics of every item (difficulty,
//! point-biserial and corrected item–total r, α if deleted, the upper–lower index, distractors),
//! the scale's reliability and SEM, flags, and Mantel–Haenszel DIF between two groups (sex from
//! the NIP, or education). The arithmetic is `domain::item_analysis`; this gathers its inputs.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::auth::Staff;
use super::AppContext;
use crate::domain::ids::InstrumentId;
use crate::domain::instrument::InstrumentDoc;
use crate::domain::item::{ItemDoc, ItemFormat};
use crate::domain::item_analysis::dif::{mantel_haenszel_dif, DifReport, DifSpec};
use crate::domain::item_analysis::{
    analyse, AnalysisError, AnalysisSettings, ItemAnalysis, ItemKind, ItemResponse, ItemSpec,
    Person,
};
use crate::domain::nip::{Nip, Sex};
use crate::domain::scoring::{likert_points, parse_response, score_item};
use crate::error::{ApiError, ErrorCode};
use crate::store::item_analysis::{self as repo, Sitting};

/// Which groups DIF compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DifBy {
    /// Sex from the NIP: reference `male`, focal `female` unless given.
    Sex,
    /// Education level as enrolled (`SMA`, `D3`, `S1`, `S2`…): reference and focal required.
    Education,
}

impl DifBy {
    fn attribute(self) -> &'static str {
        match self {
            DifBy::Sex => "sex",
            DifBy::Education => "education",
        }
    }
}

/// What to analyse.
#[derive(Debug, Clone, Default)]
pub struct AnalysisRequest {
    /// Campaigns whose attempts count (none: every campaign of the organisation).
    pub campaigns: Vec<uuid::Uuid>,
    /// DIF between two groups, if wanted.
    pub dif: Option<DifBy>,
    /// The reference group's value.
    pub reference: Option<String>,
    /// The focal group's value.
    pub focal: Option<String>,
    /// Thresholds and minimums (defaults when absent).
    pub settings: AnalysisSettings,
}

/// A problem that kept one scale from being analysed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Stable code (`too_few_respondents`, `dif_group_too_small`…).
    pub code: String,
    /// What is wrong.
    pub message: String,
}

impl From<AnalysisError> for Problem {
    fn from(e: AnalysisError) -> Self {
        Self {
            code: e.code().to_owned(),
            message: e.message(),
        }
    }
}

/// The analysis of one scale's items.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScaleAnalysis {
    /// The scale's code.
    pub scale: String,
    /// Its items analysed, in instrument order.
    pub items: Vec<String>,
    /// The statistics, unless a problem kept them from being computed.
    #[schema(value_type = Option<Object>)]
    pub analysis: Option<ItemAnalysis>,
    /// Mantel–Haenszel DIF of the 0/1 items, when asked for and possible.
    #[schema(value_type = Option<Object>)]
    pub dif: Option<DifReport>,
    /// Why the statistics are missing.
    pub problem: Option<Problem>,
    /// Why the DIF is missing.
    pub dif_problem: Option<Problem>,
}

/// An instrument's item analysis.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ItemAnalysisReport {
    /// The instrument.
    pub instrument: uuid::Uuid,
    /// Its code.
    pub code: String,
    /// Its version.
    pub version: u32,
    /// The campaigns asked for (empty: all).
    pub campaigns: Vec<uuid::Uuid>,
    /// Finished or expired attempts that took the instrument.
    pub attempts: usize,
    /// One entry per scale with items that classical analysis applies to.
    pub scales: Vec<ScaleAnalysis>,
    /// Items left out: ipsative formats (forced choice, most/least), weighted options, practice.
    pub not_analysed: Vec<String>,
    /// The thresholds and minimums used.
    #[schema(value_type = Object)]
    pub settings: AnalysisSettings,
}

/// The analysis spec of an item, or `None` for formats classical analysis does not apply to.
fn spec_of(item: &ItemDoc, points: Option<u8>) -> Option<ItemSpec> {
    if item.practice {
        return None;
    }
    let kind = match item.format {
        ItemFormat::SingleChoice => ItemKind::Dichotomous {
            key: item.key.clone(),
            options: item
                .options
                .iter()
                .flatten()
                .map(|o| o.id.clone())
                .collect(),
        },
        ItemFormat::NumericEntry => ItemKind::Dichotomous {
            key: None,
            options: Vec::new(),
        },
        ItemFormat::Likert => ItemKind::Likert { points: points? },
        _ => return None,
    };
    Some(ItemSpec {
        code: item.code.clone(),
        kind,
    })
}

/// One sitting's response to one item: its score on the item's scale and the option chosen.
pub(crate) fn response_of(doc: &InstrumentDoc, item: &ItemDoc, sitting: &Sitting) -> ItemResponse {
    let Some((_, value)) = sitting.responses.iter().find(|(c, _)| *c == item.code) else {
        return ItemResponse::omitted();
    };
    let k = likert_points(doc);
    let Ok(parsed) = parse_response(item, k, value) else {
        return ItemResponse::omitted();
    };
    let score = item
        .scale
        .as_deref()
        .and_then(|s| score_item(item, k, &parsed).points(s));
    ItemResponse {
        score,
        choice: value
            .get("choice")
            .and_then(|c| c.as_str())
            .map(str::to_owned),
    }
}

fn groups_of(sitting: &Sitting, today: chrono::NaiveDate) -> BTreeMap<String, String> {
    let mut g = BTreeMap::new();
    if let Ok(nip) = Nip::parse_as_of(&sitting.nip, today) {
        let sex = match nip.sex() {
            Sex::Male => "male",
            Sex::Female => "female",
        };
        g.insert("sex".to_owned(), sex.to_owned());
    }
    g.insert("education".to_owned(), sitting.education.clone());
    g
}

/// The item analysis of an instrument of the caller's organisation.
pub async fn analyse_instrument(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    req: AnalysisRequest,
) -> Result<ItemAnalysisReport, ApiError> {
    let doc =
        super::instruments::document_without_assets(ctx, staff.organisation, instrument).await?;
    let dif_spec = match req.dif {
        None => None,
        Some(by) => {
            let (reference, focal) = match (by, req.reference.clone(), req.focal.clone()) {
                (_, Some(r), Some(f)) => (r, f),
                (DifBy::Sex, None, None) => ("male".to_owned(), "female".to_owned()),
                _ => {
                    return Err(ApiError::new(
                        ErrorCode::InvalidInput,
                        "give both the reference and the focal group (for education, e.g. reference=S1&focal=SMA)",
                    ))
                }
            };
            if reference == focal {
                return Err(ApiError::new(
                    ErrorCode::InvalidInput,
                    "the reference and focal groups must differ",
                ));
            }
            Some(DifSpec {
                attribute: by.attribute().to_owned(),
                reference,
                focal,
            })
        }
    };
    for c in &req.campaigns {
        super::campaigns::find(ctx, staff, crate::domain::ids::CampaignId::from(*c)).await?;
    }
    // Classical statistics need every item put to every respondent: an adaptive section's
    // candidates met only the items their answers led to (and a narrow band of them), so its
    // sittings are left out here. Calibration, which treats items not given as missing, uses them.
    let sittings: Vec<_> = repo::sittings(&ctx.db, staff.organisation, instrument, &req.campaigns)
        .await?
        .into_iter()
        .filter(|s| !s.adaptive)
        .collect();
    let today = ctx.clock.now().date_naive();
    let points = likert_points(&doc);
    let mut not_analysed = Vec::new();
    let mut by_scale: Vec<(String, Vec<(&ItemDoc, ItemSpec)>)> = Vec::new();
    for item in &doc.items {
        match (spec_of(item, points), item.scale.as_ref()) {
            (Some(spec), Some(scale)) => match by_scale.iter_mut().find(|(s, _)| s == scale) {
                Some((_, list)) => list.push((item, spec)),
                None => by_scale.push((scale.clone(), vec![(item, spec)])),
            },
            _ => not_analysed.push(item.code.clone()),
        }
    }
    let mut scales = Vec::new();
    for (scale, items) in by_scale {
        let specs: Vec<ItemSpec> = items.iter().map(|(_, s)| s.clone()).collect();
        let persons: Vec<Person> = sittings
            .iter()
            .map(|s| Person {
                responses: items
                    .iter()
                    .map(|(item, _)| response_of(&doc, item, s))
                    .collect(),
                groups: groups_of(s, today),
            })
            .collect();
        let (analysis, problem) = match analyse(&specs, &persons, &req.settings) {
            Ok(a) => (Some(a), None),
            Err(e) => (None, Some(Problem::from(e))),
        };
        let (dif, dif_problem) = match &dif_spec {
            Some(spec)
                if specs
                    .iter()
                    .any(|s| matches!(s.kind, ItemKind::Dichotomous { .. })) =>
            {
                match mantel_haenszel_dif(&specs, &persons, spec, &req.settings) {
                    Ok(d) => (Some(d), None),
                    Err(e) => (None, Some(Problem::from(e))),
                }
            }
            _ => (None, None),
        };
        scales.push(ScaleAnalysis {
            scale,
            items: specs.iter().map(|s| s.code.clone()).collect(),
            analysis,
            dif,
            problem,
            dif_problem,
        });
    }
    if !scales.is_empty() && scales.iter().all(|s| s.analysis.is_none()) {
        // Nothing could be analysed: say why, as the error of the request.
        let p = scales[0].problem.clone().unwrap_or(Problem {
            code: "too_few_respondents".into(),
            message: "too few respondents".into(),
        });
        let code = match p.code.as_str() {
            "too_few_respondents" => ErrorCode::TooFewRespondents,
            _ => ErrorCode::InvalidInput,
        };
        return Err(ApiError::new(
            code,
            format!(
                "{} ({} finished attempts took {} version {})",
                p.message,
                sittings.len(),
                doc.code,
                doc.version
            ),
        ));
    }
    Ok(ItemAnalysisReport {
        instrument: instrument.as_uuid(),
        code: doc.code.clone(),
        version: doc.version,
        campaigns: req.campaigns,
        attempts: sittings.len(),
        scales,
        not_analysed,
        settings: req.settings,
    })
}
