//! Calibrating an instrument's items from the responses its finished attempts stored: the items
//! of one scale (those a model fits: right/wrong items for the 1PL, 2PL and 3PL, Likert items for
//! the graded response model) are estimated by marginal maximum likelihood
//! (`domain::irt::calibrate`), and the estimates, merged into the parameters in use, become a
//! draft version with the calibration's report (standard errors, item fit, convergence) for a
//! psychometrician to compare with the version in use and publish.
use serde::{Deserialize, Serialize};

use super::auth::Staff;
use super::item_analysis::response_of;
use super::item_parameters::{self, ParameterSet};
use super::AppContext;
use crate::domain::ids::InstrumentId;
use crate::domain::irt::bank::{BankModel, ItemParameterDoc, ItemParametersDoc};
use crate::domain::irt::calibrate::{
    calibrate, CalibrationError, CalibrationModel, Parameters, ResponseMatrix, Settings,
};
use crate::domain::item::ItemFormat;
use crate::domain::scoring::likert_points;
use crate::error::{ApiError, ErrorCode};
use crate::store::item_analysis::sittings;

/// What to calibrate.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalibrationRequest {
    /// `1PL`, `2PL`, `3PL` (right/wrong items) or `GRM` (Likert items).
    pub model: String,
    /// The scale whose items are calibrated; needed when more than one scale has such items.
    #[serde(default)]
    pub scale: Option<String>,
    /// Campaigns whose finished attempts count (none: every campaign of the organisation).
    #[serde(default)]
    pub campaigns: Vec<uuid::Uuid>,
    /// Fewest respondents (default 100, at least 2).
    #[serde(default)]
    pub min_respondents: Option<usize>,
    /// Most EM cycles (default 500, 1–5,000).
    #[serde(default)]
    pub max_iterations: Option<u32>,
}

/// The draft made, with what it was made from.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CalibrationOutcome {
    /// The draft version, with the calibration report in `calibration`.
    pub draft: ParameterSet,
    /// The scale calibrated.
    pub scale: String,
    /// Finished attempts read.
    pub attempts: usize,
}

fn refusal(e: CalibrationError) -> ApiError {
    let code = match e.code() {
        "too_few_respondents" => ErrorCode::TooFewRespondents,
        "no_variance" => ErrorCode::NoVariance,
        "empty_category" => ErrorCode::EmptyCategory,
        "singular_calibration" => ErrorCode::SingularCalibration,
        _ => ErrorCode::InvalidInput,
    };
    ApiError::new(code, e.message().to_owned())
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidInput, message)
}

/// Calibrates the items of one scale of an instrument of the caller's organisation and stores
/// the result as a draft parameter version (audited); nothing is stored when it is refused.
pub async fn calibrate_instrument(
    ctx: &AppContext,
    staff: &Staff,
    instrument: InstrumentId,
    req: CalibrationRequest,
) -> Result<CalibrationOutcome, ApiError> {
    let model = CalibrationModel::parse(&req.model).map_err(refusal)?;
    let doc =
        super::instruments::document_without_assets(ctx, staff.organisation, instrument).await?;
    let fits = |f: ItemFormat| match model {
        CalibrationModel::Graded => f == ItemFormat::Likert,
        _ => matches!(f, ItemFormat::SingleChoice | ItemFormat::NumericEntry),
    };
    let eligible: Vec<_> = doc
        .items
        .iter()
        .filter(|i| !i.practice && fits(i.format) && i.scale.is_some())
        .collect();
    let mut scales: Vec<&str> = Vec::new();
    for i in &eligible {
        let s = i.scale.as_deref().unwrap_or_default();
        if !scales.contains(&s) {
            scales.push(s);
        }
    }
    let scale = match (&req.scale, scales.as_slice()) {
        (Some(s), _) if scales.contains(&s.as_str()) => s.clone(),
        (Some(s), _) => {
            return Err(invalid(format!(
                "scale '{s}' has no items the {} fits",
                model.name()
            )))
        }
        (None, [only]) => (*only).to_owned(),
        (None, []) => {
            return Err(invalid(format!(
                "{} has no items the {} fits",
                doc.code,
                model.name()
            )))
        }
        (None, _) => {
            return Err(invalid(format!(
                "say which scale to calibrate: {}",
                scales.join(", ")
            )))
        }
    };
    for c in &req.campaigns {
        super::campaigns::find(ctx, staff, crate::domain::ids::CampaignId::from(*c)).await?;
    }
    let items: Vec<_> = eligible
        .into_iter()
        .filter(|i| i.scale.as_deref() == Some(scale.as_str()))
        .collect();
    let taken = sittings(&ctx.db, staff.organisation, instrument, &req.campaigns).await?;
    let categories = match model {
        CalibrationModel::Graded => likert_points(&doc).unwrap_or(2),
        _ => 2,
    };
    let rows: Vec<Vec<Option<u8>>> = taken
        .iter()
        .map(|s| {
            items
                .iter()
                .map(|item| {
                    let score = response_of(&doc, item, s).score?;
                    let category = match model {
                        // Likert scores run 1…k after reverse keying: categories 0…k−1.
                        CalibrationModel::Graded => score - 1.0,
                        _ => score,
                    };
                    (category >= 0.0 && category < f64::from(categories))
                        .then_some(category.round() as u8)
                })
                .collect()
        })
        .filter(|row: &Vec<Option<u8>>| row.iter().any(Option::is_some))
        .collect();
    let codes: Vec<String> = items.iter().map(|i| i.code.clone()).collect();
    let matrix = ResponseMatrix::new(codes, rows, categories).map_err(refusal)?;
    let mut settings = Settings::default();
    if let Some(n) = req.min_respondents {
        settings.min_respondents = n.max(2);
    }
    if let Some(n) = req.max_iterations {
        if !(1..=5000).contains(&n) {
            return Err(invalid("max_iterations must be from 1 to 5000"));
        }
        settings.max_iterations = n;
    }
    let result = calibrate(model, &matrix, &settings).map_err(refusal)?;
    let bank_model = match model {
        CalibrationModel::OnePl => BankModel::OnePl,
        CalibrationModel::TwoPl => BankModel::TwoPl,
        CalibrationModel::ThreePl => BankModel::ThreePl,
        CalibrationModel::Graded => BankModel::Graded,
    };
    let estimated: Vec<ItemParameterDoc> = result
        .items
        .iter()
        .map(|it| match &it.estimate {
            Parameters::Dichotomous { a, b, c } => ItemParameterDoc {
                item: it.code.clone(),
                model: bank_model,
                a: *a,
                b: Some(*b),
                c: (bank_model == BankModel::ThreePl).then_some(*c),
                thresholds: None,
                content: None,
                exposure_k: None,
            },
            Parameters::Graded { a, thresholds } => ItemParameterDoc {
                item: it.code.clone(),
                model: bank_model,
                a: *a,
                b: None,
                c: None,
                thresholds: Some(thresholds.clone()),
                content: None,
                exposure_k: None,
            },
        })
        .collect();
    // The draft is the version in use with this scale's items replaced (keeping their content
    // tags; exposure parameters belong to the old values and are dropped).
    let current = crate::store::item_parameters::current(&ctx.db, instrument).await?;
    let mut merged: Vec<ItemParameterDoc> = match &current {
        Some(m) => crate::store::item_parameters::items_of(m)?,
        None => Vec::new(),
    };
    for mut e in estimated {
        match merged.iter_mut().find(|p| p.item == e.item) {
            Some(old) => {
                e.content = old.content.clone();
                *old = e;
            }
            None => merged.push(e),
        }
    }
    let order = |code: &str| doc.items.iter().position(|i| i.code == code);
    merged.sort_by_key(|p| order(&p.item));
    let draft_doc = ItemParametersDoc {
        d: result.d,
        method: format!(
            "MML-EM {}, scale {scale}, {} respondents, {} cycles{}",
            model.name(),
            result.respondents,
            result.convergence.iterations,
            if result.convergence.converged {
                ""
            } else {
                " (not converged)"
            }
        ),
        simulated: false,
        items: merged,
    };
    let report = serde_json::json!({
        "scale": scale,
        "campaigns": req.campaigns,
        "attempts": taken.len(),
        "result": result,
    });
    let draft =
        item_parameters::create_draft(ctx, staff, instrument, &draft_doc, Some(report)).await?;
    Ok(CalibrationOutcome {
        draft,
        scale,
        attempts: taken.len(),
    })
}
