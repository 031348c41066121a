//! Item analysis of an instrument (admin, HR and psychologists): JSON, or an Excel workbook.
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::download::{attachment, temp_file_stream, XLSX};
use super::extract::{Authorized, Psychometrics};
use super::Routes;
use crate::domain::ids::InstrumentId;
use crate::domain::item_analysis::AnalysisSettings;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::services::exports::item_analysis as workbook;
use crate::services::item_analysis::{self, AnalysisRequest, DifBy, ItemAnalysisReport};
use crate::services::AppContext;

/// The item-analysis endpoint.
pub fn configure(routes: &mut Routes) {
    routes.resource("/instruments/{id}/item-analysis", |r| r.get(analyse));
}

/// JSON or an Excel workbook.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnalysisFormat {
    /// The report as JSON.
    #[default]
    Json,
    /// An Excel workbook: summary, items, options, DIF.
    Xlsx,
}

/// What to analyse.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AnalysisQuery {
    /// Campaign ids, comma-separated (default: every campaign of the organisation).
    pub campaigns: Option<String>,
    /// DIF between two groups: `sex` (from the NIP) or `education`.
    #[param(value_type = Option<String>)]
    pub dif: Option<DifBy>,
    /// The reference group (`sex`: default `male`; `education`: e.g. `S1`).
    pub reference: Option<String>,
    /// The focal group (`sex`: default `female`; `education`: e.g. `SMA`).
    pub focal: Option<String>,
    /// Fewest respondents analysed (default 20, at least 2).
    pub min_respondents: Option<usize>,
    /// Fewest respondents per DIF group (default 100).
    pub min_group_size: Option<usize>,
    /// `json` (default) or `xlsx`.
    #[serde(default)]
    #[param(value_type = Option<String>)]
    pub format: AnalysisFormat,
}

fn campaigns_of(text: Option<&str>) -> Result<Vec<uuid::Uuid>, ApiError> {
    let mut out = Vec::new();
    for part in text
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let id = uuid::Uuid::parse_str(part).map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidQuery,
                format!("'{part}' is not a campaign id"),
            )
        })?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// Classical item analysis of an instrument from the finished attempts that took it (in the
/// campaigns given, or in all): per scale, every item's difficulty or mean, point-biserial and
/// corrected item–total r, α if deleted, upper–lower index, options' choice rates and
/// point-biserials, flags; KR-20 or Cronbach's α and SEM; and Mantel–Haenszel DIF with ETS
/// classes when `dif` is given. `format=xlsx` gives the same as a workbook.
#[utoipa::path(get, path = "/api/v1/instruments/{id}/item-analysis", tag = "psychometrics", security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "instrument id"), AnalysisQuery),
    responses((status = 200, description = "the analysis: JSON, or an Excel workbook (as `format` asks)", content(
            (ItemAnalysisReport = "application/json"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 404, body = ErrorBody),
        (status = 422, description = "too_few_respondents: no scale has enough finished attempts; invalid_input: DIF groups missing or equal", body = ErrorBody)))]
pub async fn analyse(
    ctx: web::Data<AppContext>,
    who: Authorized<Psychometrics>,
    id: web::Path<InstrumentId>,
    q: web::Query<AnalysisQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let mut settings = AnalysisSettings::default();
    if let Some(n) = q.min_respondents {
        settings.min_respondents = n.max(2);
    }
    if let Some(n) = q.min_group_size {
        settings.dif.min_group_size = n.max(1);
    }
    let request = AnalysisRequest {
        campaigns: campaigns_of(q.campaigns.as_deref())?,
        dif: q.dif,
        reference: q.reference,
        focal: q.focal,
        settings,
    };
    let report =
        item_analysis::analyse_instrument(&ctx, &who.staff, id.into_inner(), request).await?;
    match q.format {
        AnalysisFormat::Json => Ok(HttpResponse::Ok().json(report)),
        AnalysisFormat::Xlsx => {
            let name = format!("item-analysis-{}-v{}.xlsx", report.code, report.version);
            let file = tokio::task::spawn_blocking(move || workbook::write(&report))
                .await
                .map_err(ApiError::internal)??;
            let stream = temp_file_stream(file).map_err(ApiError::internal)?;
            Ok(attachment(name).content_type(XLSX).streaming(stream))
        }
    }
}
