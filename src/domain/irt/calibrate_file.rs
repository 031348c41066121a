//! What `meritest irt calibrate` and `meritest irt simulate-responses` print, from the files'
//! text: pure, so the command line only reads and writes files.
//!
//! `calibrate` prints `{"model", "D", "items": [{"code", "a", "b", "c"} or {"code", "a",
//! "thresholds"}, each with "se" of the same shape (null for a parameter held fixed) and "fit":
//! {"statistic", "df", "p", "groups"}], "convergence": {"iterations", "converged",
//! "max_change", "minus_two_log_likelihood", "tolerance"}, "respondents"}`, and with a truth file
//! (as `simulate-responses --truth` writes it) also `"recovery": {"rmse": {…}, "bias": {…}}`.
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::calibrate::{calibrate, CalibrationError, CalibrationModel, Parameters, Settings};
use super::response_csv::{read_responses, write_responses};
use super::simulate_responses::{recovery, simulate, TruthItem};

/// The truth file `simulate-responses --truth` writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// The generating model's name.
    pub model: String,
    /// The scaling constant.
    #[serde(rename = "D")]
    pub d: f64,
    /// The seed of the generator.
    pub seed: u64,
    /// Number of people simulated.
    pub persons: usize,
    /// The items.
    pub items: Vec<TruthItem>,
}

/// Calibrates `model` on the CSV `text` (`categories`: m for the GRM when given), comparing with
/// `truth` (the text of a truth file) when given.
pub fn calibrate_csv(
    text: &str,
    model: CalibrationModel,
    categories: Option<u8>,
    settings: &Settings,
    truth: Option<&str>,
) -> Result<Value, CalibrationError> {
    let truth: Option<Truth> = match truth {
        Some(t) => Some(serde_json::from_str(t).map_err(|e| {
            CalibrationError::InvalidInput(format!("the truth file cannot be read: {e}"))
        })?),
        None => None,
    };
    let data = read_responses(text, model, categories)?;
    if let Some(truth) = &truth {
        if truth.items.iter().map(|i| &i.code).ne(data.codes().iter()) {
            return Err(CalibrationError::InvalidInput(
                "the truth file names other items than the response file".into(),
            ));
        }
    }
    let result = calibrate(model, &data, settings)?;
    let mut out = serde_json::to_value(&result).map_err(|e| {
        CalibrationError::SingularCalibration(format!("the result is not representable: {e}"))
    })?;
    if let Some(truth) = truth {
        let t: Vec<Parameters> = truth.items.into_iter().map(|i| i.params).collect();
        let e: Vec<Parameters> = result.items.into_iter().map(|i| i.estimate).collect();
        let r = recovery(&t, &e).ok_or_else(|| {
            CalibrationError::InvalidInput(
                "the truth file's items are of another model than the calibration's".into(),
            )
        })?;
        out["recovery"] = json!(r);
    }
    Ok(out)
}

/// Simulates `persons` people answering `items` items of `model` (`categories` for the GRM)
/// from `seed`: the CSV text and the truth.
pub fn simulate_csv(
    model: CalibrationModel,
    persons: usize,
    items: usize,
    categories: u8,
    d: f64,
    seed: u64,
) -> Result<(String, Truth), CalibrationError> {
    let m = if model.is_dichotomous() {
        2
    } else {
        categories
    };
    let sim = simulate(
        model,
        persons,
        items,
        m,
        d,
        &mut ChaCha8Rng::seed_from_u64(seed),
    )?;
    let codes: Vec<String> = sim.items.iter().map(|i| i.code.clone()).collect();
    let csv = write_responses(&codes, &sim.rows, model);
    Ok((
        csv,
        Truth {
            model: model.name().to_owned(),
            d,
            seed,
            persons,
            items: sim.items,
        },
    ))
}

/// The error object printed for a refused calibration.
pub fn error_json(e: &CalibrationError) -> Value {
    json!({"error": {"code": e.code(), "message": e.message()}})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simulated_file_calibrates_to_the_documented_shape_with_its_recovery() {
        let (csv, truth) = simulate_csv(CalibrationModel::TwoPl, 300, 4, 5, 1.702, 42).unwrap();
        let truth = serde_json::to_string(&truth).unwrap();
        let out = calibrate_csv(
            &csv,
            CalibrationModel::TwoPl,
            None,
            &Settings::default(),
            Some(&truth),
        )
        .unwrap();
        assert_eq!(out["model"], "2PL");
        assert_eq!(out["D"], 1.702);
        assert_eq!(out["respondents"], 300);
        let item = &out["items"][0];
        assert_eq!(item["code"], "I1");
        for key in ["a", "b", "c"] {
            assert!(item[key].is_number(), "{item}");
        }
        assert!(
            item["se"]["a"].is_number() && item["se"]["c"].is_null(),
            "{item}"
        );
        assert_eq!(item["fit"]["df"], 8);
        assert_eq!(out["convergence"]["converged"], true);
        assert!(out["recovery"]["rmse"]["b"].is_number(), "{out}");
    }

    #[test]
    fn a_graded_file_reports_thresholds_and_a_mismatched_truth_is_refused() {
        let (csv, truth) = simulate_csv(CalibrationModel::Graded, 300, 3, 4, 1.702, 1).unwrap();
        assert!(csv
            .lines()
            .skip(1)
            .all(|l| l.split(',').all(|v| ["1", "2", "3", "4"].contains(&v))));
        let out = calibrate_csv(
            &csv,
            CalibrationModel::Graded,
            Some(4),
            &Settings::default(),
            None,
        )
        .unwrap();
        assert_eq!(out["items"][2]["thresholds"].as_array().unwrap().len(), 3);
        assert_eq!(
            out["items"][2]["se"]["thresholds"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
        let (other, _) = simulate_csv(CalibrationModel::Graded, 300, 2, 4, 1.702, 1).unwrap();
        let truth = serde_json::to_string(&truth).unwrap();
        let e = calibrate_csv(
            &other,
            CalibrationModel::Graded,
            Some(4),
            &Settings::default(),
            Some(&truth),
        )
        .unwrap_err();
        assert_eq!(e.code(), "invalid_input");
        assert_eq!(error_json(&e)["error"]["code"], "invalid_input");
    }
}
