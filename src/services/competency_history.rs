//! The organisation's view across campaigns and years (issue 12, item 8): each person's
//! competency results by NIP with the date each stops being valid (DOMAIN.md: the mapping is
//! renewed every three years; the years are the development rule's `validity_years`), and JPM and
//! IP ASN by unit and year with units as a hierarchy ("Dinas X / Bidang Y" lies under "Dinas X").
//!
//! Both are computed from each campaign's competency results as `competency_results` computes
//! them now, with the rule versions each entry names.
use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::auth::Staff;
use super::competency_results::{self, box_of, RulesUsed};
use super::{campaigns, yearly_records, AppContext};
use crate::domain::ids::CampaignId;
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};
use crate::store::campaigns as campaign_store;

/// One campaign's result of a person.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    /// The campaign.
    pub campaign: uuid::Uuid,
    /// Its name.
    pub campaign_name: String,
    /// The day they were assessed (their session's, in the campaign's time zone).
    pub assessed_on: NaiveDate,
    /// The last day the result is valid.
    pub valid_until: NaiveDate,
    /// Whether that day has passed.
    pub expired: bool,
    /// The attempt's status.
    pub status: String,
    /// Job level, position and unit as enrolled then.
    pub job_level: String,
    /// Position.
    pub position: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Complete JPM %.
    pub jpm: Option<f64>,
    /// Why there is no JPM.
    pub no_jpm: Option<String>,
    /// Category per scheme code.
    pub categories: BTreeMap<String, String>,
    /// 9-box number when placed.
    pub nine_box: Option<u8>,
    /// IP ASN total.
    pub ip_asn: Option<f64>,
    /// Level that counts per competency code.
    pub levels: BTreeMap<String, Option<u8>>,
    /// Required level per competency code.
    pub required: BTreeMap<String, u8>,
    /// The rule versions used.
    pub rules: RulesUsed,
}

/// A person's results across the organisation's campaigns, newest first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonHistory {
    /// NIP.
    pub nip: String,
    /// Years a result stays valid.
    pub validity_years: u8,
    /// One entry per campaign they were enrolled in with scores, newest assessment first.
    pub entries: Vec<HistoryEntry>,
}

/// `date` plus `years` (29 February to 28 February), minus a day: the last valid day.
fn valid_until(date: NaiveDate, years: u8) -> NaiveDate {
    let year = date.year() + i32::from(years);
    let day = NaiveDate::from_ymd_opt(year, date.month(), date.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, date.month(), 28))
        .unwrap_or(date);
    day.pred_opt().unwrap_or(day)
}

/// The validity years of the organisation's current development rule.
async fn validity_years(ctx: &AppContext, staff: &Staff) -> Result<u8, ApiError> {
    let doc = super::competency_rules::current(
        ctx,
        staff,
        crate::domain::competency::rule_set::RuleKind::Development,
    )
    .await?;
    let rule: crate::domain::competency::development::DevelopmentRule =
        serde_json::from_value(doc.document).map_err(ApiError::internal)?;
    Ok(rule.validity_years)
}

/// The competency history of the person `nip` names in the caller's organisation.
pub async fn of_person(
    ctx: &AppContext,
    staff: &Staff,
    nip: Option<&str>,
) -> Result<PersonHistory, ApiError> {
    let today = ctx.clock.today();
    let nip = yearly_records::person(nip, today)?;
    let years = validity_years(ctx, staff).await?;
    let mut entries = Vec::new();
    for id in campaign_store::campaigns_of_nip(&ctx.db, staff.organisation, nip.as_str()).await? {
        let id = CampaignId::from(id);
        let campaign = campaigns::get(ctx, staff, id).await?;
        let computed = competency_results::compute_campaign(ctx, staff, id).await?;
        let Some(i) = computed
            .all
            .participants
            .iter()
            .position(|p| p.nip == nip.as_str())
        else {
            continue;
        };
        let p = &computed.all.participants[i];
        if p.levels.is_empty() {
            continue;
        }
        let session = computed.results.participants[i].participant.session;
        let assessed_on = campaign.assessment_date(session);
        let until = valid_until(assessed_on, years);
        entries.push(HistoryEntry {
            campaign: campaign.id,
            campaign_name: campaign.name.clone(),
            assessed_on,
            valid_until: until,
            expired: today > until,
            status: p.status.clone(),
            job_level: p.job_level.clone(),
            position: p.position.clone(),
            unit: p.unit.clone(),
            jpm: p.jpm_percent(),
            no_jpm: p.no_jpm.clone(),
            categories: p.category_by_scheme(),
            nine_box: box_of(p),
            ip_asn: p.ip_asn.as_ref().and_then(|x| x.total),
            levels: p.effective_levels(),
            required: p.required(),
            rules: computed.all.rules.clone(),
        });
    }
    entries.sort_by(|a, b| {
        b.assessed_on
            .cmp(&a.assessed_on)
            .then(a.campaign.cmp(&b.campaign))
    });
    Ok(PersonHistory {
        nip: nip.as_str().to_owned(),
        validity_years: years,
        entries,
    })
}

/// The years an overview covers, inclusive; either end open.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct YearRange {
    /// First year (a campaign's year is the year it closes).
    pub from_year: Option<i32>,
    /// Last year.
    pub to_year: Option<i32>,
}

/// Counts and means of one unit (or the organisation) in one year.
#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct YearFigures {
    /// The year.
    pub year: i32,
    /// Participants assessed (with scores), counting a person once per campaign.
    pub assessed: usize,
    /// With a complete JPM.
    pub with_jpm: usize,
    /// Mean JPM %, 2 decimals.
    pub jpm_mean: Option<f64>,
    /// With an IP ASN.
    pub with_ip_asn: usize,
    /// Mean IP ASN, 2 decimals.
    pub ip_asn_mean: Option<f64>,
}

/// One unit of the hierarchy with its figures by year.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitNode {
    /// The full unit path, e.g. "Dinas Kesehatan / Bidang Pelayanan".
    pub unit: String,
    /// Its own name, the last part of the path.
    pub name: String,
    /// 0 for a top unit, 1 under it, and so on.
    pub depth: usize,
    /// The unit it lies under.
    pub parent: Option<String>,
    /// Figures by year, oldest first; a unit's figures include every unit under it.
    pub years: Vec<YearFigures>,
}

/// One campaign an overview read.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CampaignYear {
    /// The campaign.
    pub campaign: uuid::Uuid,
    /// Its name.
    pub name: String,
    /// The year it counts in.
    pub year: i32,
    /// Participants assessed.
    pub assessed: usize,
}

/// JPM and IP ASN across the organisation's campaigns, by unit and year.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrganisationOverview {
    /// The years with a campaign, oldest first.
    pub years: Vec<i32>,
    /// The whole organisation by year (participants without a unit too).
    pub total: Vec<YearFigures>,
    /// Units in hierarchy order (each unit followed by the units under it).
    pub units: Vec<UnitNode>,
    /// The campaigns read.
    pub campaigns: Vec<CampaignYear>,
}

/// Sums towards one figure.
#[derive(Default)]
struct Sums {
    assessed: usize,
    jpm: Vec<f64>,
    ip_asn: Vec<f64>,
}

impl Sums {
    fn figures(&self, year: i32) -> YearFigures {
        let mean = |v: &[f64]| {
            (!v.is_empty())
                .then(|| (v.iter().sum::<f64>() / v.len() as f64 * 100.0).round() / 100.0)
        };
        YearFigures {
            year,
            assessed: self.assessed,
            with_jpm: self.jpm.len(),
            jpm_mean: mean(&self.jpm),
            with_ip_asn: self.ip_asn.len(),
            ip_asn_mean: mean(&self.ip_asn),
        }
    }
}

/// The unit path `unit` and every unit above it, top first, each as its full path.
fn ancestry(unit: &str) -> Vec<String> {
    let parts: Vec<&str> = unit
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (1..=parts.len()).map(|n| parts[..n].join(" / ")).collect()
}

/// JPM and IP ASN by unit and year across the caller's organisation's campaigns.
pub async fn overview(
    ctx: &AppContext,
    staff: &Staff,
    range: &YearRange,
) -> Result<OrganisationOverview, ApiError> {
    if let (Some(a), Some(b)) = (range.from_year, range.to_year) {
        if a > b {
            return Err(ApiError::with_errors(
                ErrorCode::InvalidQuery,
                "the year range is not valid",
                vec![FieldError::top("to_year", "must not be before from_year")],
            ));
        }
    }
    let mut total: BTreeMap<i32, Sums> = BTreeMap::new();
    let mut units: BTreeMap<String, BTreeMap<i32, Sums>> = BTreeMap::new();
    let mut read = Vec::new();
    for c in campaigns::list(ctx, staff).await? {
        let year = c.closes_at.year();
        if range.from_year.is_some_and(|y| year < y) || range.to_year.is_some_and(|y| year > y) {
            continue;
        }
        // The kept computation, read in place: a campaign's participants are not copied.
        let computed =
            competency_results::compute_campaign(ctx, staff, CampaignId::from(c.id)).await?;
        let mut assessed = 0;
        for p in computed
            .all
            .participants
            .iter()
            .filter(|p| !p.levels.is_empty())
        {
            assessed += 1;
            let jpm = p.jpm_percent();
            let ip = p.ip_asn.as_ref().and_then(|x| x.total);
            let add = |s: &mut Sums| {
                s.assessed += 1;
                s.jpm.extend(jpm);
                s.ip_asn.extend(ip);
            };
            add(total.entry(year).or_default());
            for unit in p.unit.as_deref().map(ancestry).unwrap_or_default() {
                add(units.entry(unit).or_default().entry(year).or_default());
            }
        }
        read.push(CampaignYear {
            campaign: c.id,
            name: c.name,
            year,
            assessed,
        });
    }
    read.sort_by(|a, b| a.year.cmp(&b.year).then(a.name.cmp(&b.name)));
    // Ordered part by part, "A", "A / B", "A / C", "AB": each unit followed by those under it.
    let mut order: Vec<&String> = units.keys().collect();
    order.sort_by_key(|u| ancestry(u));
    let nodes = order
        .into_iter()
        .map(|unit| {
            let path = ancestry(unit);
            UnitNode {
                unit: unit.clone(),
                name: unit.rsplit('/').next().unwrap_or(unit).trim().to_owned(),
                depth: path.len() - 1,
                parent: (path.len() > 1).then(|| path[path.len() - 2].clone()),
                years: units[unit].iter().map(|(y, s)| s.figures(*y)).collect(),
            }
        })
        .collect();
    Ok(OrganisationOverview {
        years: total.keys().copied().collect(),
        total: total.iter().map(|(y, s)| s.figures(*y)).collect(),
        units: nodes,
        campaigns: read,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_is_valid_until_the_day_before_its_anniversary() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(valid_until(d(2026, 11, 30), 3), d(2029, 11, 29));
        assert_eq!(valid_until(d(2024, 2, 29), 3), d(2027, 2, 27));
        assert_eq!(valid_until(d(2026, 1, 1), 1), d(2026, 12, 31));
    }

    #[test]
    fn a_unit_path_lists_itself_and_every_unit_above_it() {
        assert_eq!(
            ancestry("Dinas Kesehatan / Bidang P2P /  Seksi Imunisasi"),
            [
                "Dinas Kesehatan",
                "Dinas Kesehatan / Bidang P2P",
                "Dinas Kesehatan / Bidang P2P / Seksi Imunisasi"
            ]
        );
        assert_eq!(ancestry("Sekretariat"), ["Sekretariat"]);
        assert_eq!(ancestry(" / "), Vec::<String>::new());
    }
}
