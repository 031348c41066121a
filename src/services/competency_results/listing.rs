//! One page of a campaign's participants for the results page: filtered (category, box, a
//! shortfall on a competency, position, unit, job level, talent pool, fast track, a name or NIP),
//! sorted (rank, JPM, IP ASN, name, …) and paged on the server, so ten thousand participants
//! never travel to a browser at once.
use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{box_of, in_talent_pool, CampaignCompetencies, ParticipantCompetencies, Ranks};
use crate::domain::FieldError;
use crate::error::{ApiError, ErrorCode};

/// Rows per page unless asked otherwise.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// The most rows a page holds.
pub const MAX_PER_PAGE: u32 = 500;

/// Which rank a listing shows and sorts by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RankScope {
    /// Ranked over the whole campaign.
    #[default]
    Campaign,
    /// Ranked among the participants of the same position.
    Position,
    /// Ranked among the participants of the same unit.
    Unit,
}

/// What a listing is sorted by. Participants without the value come last in either order; ties
/// keep NIP order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// The rank of `rank_within` (the default).
    #[default]
    Rank,
    /// JPM %.
    Jpm,
    /// IP ASN total.
    IpAsn,
    /// 9-box number.
    Box,
    /// Name.
    Name,
    /// NIP.
    Nip,
    /// Job level.
    JobLevel,
    /// Position.
    Position,
    /// Unit.
    Unit,
    /// Status.
    Status,
}

/// Sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Order {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// Filters, sorting and the page of a participant listing. Every filter given must hold.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Page number, from 1 (default 1).
    pub page: Option<u32>,
    /// Rows per page, 1–500 (default 50).
    pub per_page: Option<u32>,
    /// Sort key (default `rank`).
    #[param(inline)]
    pub sort: Option<SortKey>,
    /// `asc` or `desc`; default ascending for ranks and words, descending for JPM, IP ASN and box.
    #[param(inline)]
    pub order: Option<Order>,
    /// Which rank rows show and `sort=rank` uses (default `campaign`).
    #[param(inline)]
    pub rank_within: Option<RankScope>,
    /// Part of a name or NIP, any case.
    pub q: Option<String>,
    /// JPM category name, e.g. `Optimal` (with `scheme`, under that scheme only).
    pub category: Option<String>,
    /// Category scheme code, e.g. `mapping`.
    pub scheme: Option<String>,
    /// 9-box number, 1–9.
    #[serde(rename = "box")]
    #[param(rename = "box")]
    pub nine_box: Option<u8>,
    /// Competency code: only participants below standard on it.
    pub below: Option<String>,
    /// With `below`: at least this many levels below (1–4, default 1).
    pub by_at_least: Option<u8>,
    /// Exact position.
    pub position: Option<String>,
    /// A unit and the units under it ("Dinas X" also matches "Dinas X / Bidang Y").
    pub unit: Option<String>,
    /// Exact job level (any case).
    pub job_level: Option<String>,
    /// Only the talent pool (`true`) or only those outside it (`false`).
    pub talent_pool: Option<bool>,
    /// Only those flagged for the fast track (`true`) or only the others (`false`).
    pub fast_track: Option<bool>,
}

/// One participant's row in a listing.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParticipantRow {
    /// Participant id.
    pub participant: uuid::Uuid,
    /// NIP.
    pub nip: String,
    /// Name.
    pub name: String,
    /// Job level.
    pub job_level: String,
    /// Position.
    pub position: Option<String>,
    /// Unit.
    pub unit: Option<String>,
    /// Status of the attempt.
    pub status: String,
    /// The rank of the listing's `rank_within`.
    pub rank: Option<u32>,
    /// Every rank.
    pub ranks: Ranks,
    /// Complete JPM %.
    pub jpm: Option<f64>,
    /// Why there is no JPM: `no_scores`, `no_standard`, `empty_standard` or `incomplete`.
    pub no_jpm: Option<String>,
    /// Category per scheme code.
    pub categories: BTreeMap<String, String>,
    /// 9-box number when placed.
    pub nine_box: Option<u8>,
    /// Why not placed (reason codes), when scored but not placed.
    pub not_placed: Vec<String>,
    /// In the talent pool.
    pub talent_pool: bool,
    /// IP ASN total.
    pub ip_asn: Option<f64>,
    /// IP ASN category.
    pub ip_asn_category: Option<String>,
    /// The level that counts per competency code (none: no evidence).
    pub levels: BTreeMap<String, Option<u8>>,
    /// Codes whose level a person overrode.
    pub overridden: Vec<String>,
    /// Required level per competency code of the standard.
    pub required: BTreeMap<String, u8>,
    /// Achieved − required per competency of the standard that has a level.
    pub gaps: BTreeMap<String, i8>,
    /// Flagged for the fast track.
    pub fast_track: bool,
}

/// A page of participants.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantPage {
    /// Participants matching the filters, on every page.
    pub total: usize,
    /// This page's number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
    /// The sort used.
    pub sort: SortKey,
    /// The order used.
    pub order: Order,
    /// The rank rows show.
    pub rank_within: RankScope,
    /// The rows.
    pub rows: Vec<ParticipantRow>,
}

/// The checked form of a query.
struct Checked {
    page: u32,
    per_page: u32,
    sort: SortKey,
    order: Order,
    rank_within: RankScope,
}

fn check(q: &ListQuery, all: &CampaignCompetencies) -> Result<Checked, ApiError> {
    let mut errs = Vec::new();
    let page = q.page.unwrap_or(1);
    if page == 0 {
        errs.push(FieldError::top("page", "pages are numbered from 1"));
    }
    let per_page = q.per_page.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        errs.push(FieldError::top(
            "per_page",
            format!("must be 1 to {MAX_PER_PAGE}"),
        ));
    }
    if let Some(b) = q.nine_box {
        if !(1..=9).contains(&b) {
            errs.push(FieldError::top("box", "boxes are numbered 1 to 9"));
        }
    }
    if let Some(n) = q.by_at_least {
        if !(1..=4).contains(&n) {
            errs.push(FieldError::top(
                "by_at_least",
                "a shortfall is 1 to 4 levels",
            ));
        }
        if q.below.is_none() {
            errs.push(FieldError::top(
                "by_at_least",
                "only with `below`, the competency it is a shortfall on",
            ));
        }
    }
    if let Some(code) = &q.below {
        let known = all.summary.competencies.iter().any(|c| &c.code == code);
        if !known {
            errs.push(FieldError::top(
                "below",
                format!("'{code}' is not a competency of the organisation's framework"),
            ));
        }
    }
    if let Some(scheme) = &q.scheme {
        if q.category.is_none() {
            errs.push(FieldError::top(
                "scheme",
                "only with `category`, the category it names",
            ));
        }
        let used = all
            .participants
            .iter()
            .flat_map(|p| &p.categories)
            .any(|c| &c.scheme == scheme);
        if !used && !all.summary.all.categories.contains_key(scheme) && all.summary.all.with_jpm > 0
        {
            errs.push(FieldError::top(
                "scheme",
                format!("'{scheme}' is not a category scheme of these results"),
            ));
        }
    }
    if !errs.is_empty() {
        return Err(ApiError::with_errors(
            ErrorCode::InvalidQuery,
            "the listing's query is not valid",
            errs,
        ));
    }
    let sort = q.sort.unwrap_or_default();
    let order = q.order.unwrap_or(match sort {
        SortKey::Jpm | SortKey::IpAsn | SortKey::Box => Order::Desc,
        _ => Order::Asc,
    });
    Ok(Checked {
        page,
        per_page,
        sort,
        order,
        rank_within: q.rank_within.unwrap_or_default(),
    })
}

fn rank_in(p: &ParticipantCompetencies, scope: RankScope) -> Option<u32> {
    match scope {
        RankScope::Campaign => p.ranks.campaign,
        RankScope::Position => p.ranks.position,
        RankScope::Unit => p.ranks.unit,
    }
}

fn in_unit(unit: Option<&str>, wanted: &str) -> bool {
    let wanted = wanted.trim();
    unit.is_some_and(|u| {
        u == wanted
            || u.strip_prefix(wanted)
                .is_some_and(|rest| rest.trim_start().starts_with('/'))
    })
}

fn matches(q: &ListQuery, p: &ParticipantCompetencies) -> bool {
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let text = text.to_lowercase();
        if !p.name.to_lowercase().contains(&text) && !p.nip.contains(&text) {
            return false;
        }
    }
    if let Some(category) = &q.category {
        let hit = p
            .categories
            .iter()
            .any(|c| &c.category == category && q.scheme.as_ref().is_none_or(|s| &c.scheme == s));
        if !hit {
            return false;
        }
    }
    if q.nine_box.is_some() && box_of(p) != q.nine_box {
        return false;
    }
    if let Some(code) = &q.below {
        let by = i16::from(q.by_at_least.unwrap_or(1));
        if p.gap(code).is_none_or(|g| i16::from(g) > -by) {
            return false;
        }
    }
    if let Some(pos) = &q.position {
        if p.position.as_deref() != Some(pos.trim()) {
            return false;
        }
    }
    if let Some(unit) = &q.unit {
        if !in_unit(p.unit.as_deref(), unit) {
            return false;
        }
    }
    if let Some(level) = &q.job_level {
        if !p.job_level.trim().eq_ignore_ascii_case(level.trim()) {
            return false;
        }
    }
    if q.talent_pool.is_some_and(|want| in_talent_pool(p) != want) {
        return false;
    }
    if q.fast_track.is_some_and(|want| p.fast_track != want) {
        return false;
    }
    true
}

/// Compares two optional values: present ones in `order`, absent ones last.
fn by_present<T: PartialOrd>(a: Option<T>, b: Option<T>, order: Order) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
            if order == Order::Desc {
                o.reverse()
            } else {
                o
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn compare(a: &ParticipantCompetencies, b: &ParticipantCompetencies, c: &Checked) -> Ordering {
    let text = |f: fn(&ParticipantCompetencies) -> Option<String>| {
        by_present(
            f(a).map(|s| s.to_lowercase()),
            f(b).map(|s| s.to_lowercase()),
            c.order,
        )
    };
    let o = match c.sort {
        SortKey::Rank => by_present(
            rank_in(a, c.rank_within),
            rank_in(b, c.rank_within),
            c.order,
        ),
        SortKey::Jpm => by_present(a.jpm_percent(), b.jpm_percent(), c.order),
        SortKey::IpAsn => by_present(
            a.ip_asn.as_ref().and_then(|i| i.total),
            b.ip_asn.as_ref().and_then(|i| i.total),
            c.order,
        ),
        SortKey::Box => by_present(box_of(a), box_of(b), c.order),
        SortKey::Name => text(|p| Some(p.name.clone())),
        SortKey::Nip => by_present(Some(&a.nip), Some(&b.nip), c.order),
        SortKey::JobLevel => text(|p| Some(p.job_level.clone())),
        SortKey::Position => text(|p| p.position.clone()),
        SortKey::Unit => text(|p| p.unit.clone()),
        SortKey::Status => text(|p| Some(p.status.clone())),
    };
    o.then_with(|| a.nip.cmp(&b.nip))
}

fn row(p: &ParticipantCompetencies, scope: RankScope) -> ParticipantRow {
    let jpm = p.jpm_percent();
    let no_jpm = p
        .no_jpm
        .clone()
        .or_else(|| (p.jpm.is_some() && jpm.is_none()).then(|| "incomplete".to_owned()));
    let not_placed = match p.nine_box.as_ref().map(|b| &b.outcome) {
        Some(crate::domain::competency::nine_box::NineBoxOutcome::NotPlaced { reasons }) => reasons
            .iter()
            .filter_map(|r| {
                serde_json::to_value(r)
                    .ok()?
                    .get("reason")?
                    .as_str()
                    .map(str::to_owned)
            })
            .collect(),
        _ => Vec::new(),
    };
    ParticipantRow {
        participant: p.participant,
        nip: p.nip.clone(),
        name: p.name.clone(),
        job_level: p.job_level.clone(),
        position: p.position.clone(),
        unit: p.unit.clone(),
        status: p.status.clone(),
        rank: rank_in(p, scope),
        ranks: p.ranks,
        jpm,
        no_jpm,
        categories: p.category_by_scheme(),
        nine_box: box_of(p),
        not_placed,
        talent_pool: in_talent_pool(p),
        ip_asn: p.ip_asn.as_ref().and_then(|i| i.total),
        ip_asn_category: p.ip_asn.as_ref().and_then(|i| i.category.clone()),
        levels: p.effective_levels(),
        overridden: p
            .levels
            .iter()
            .filter(|l| l.overridden.is_some())
            .map(|l| l.computed.competency.clone())
            .collect(),
        required: p.required(),
        gaps: p
            .jpm
            .as_ref()
            .map(|j| {
                j.competencies
                    .iter()
                    .filter_map(|c| c.gap.map(|g| (c.competency.clone(), g)))
                    .collect()
            })
            .unwrap_or_default(),
        fast_track: p.fast_track,
    }
}

/// The page `q` asks for of a campaign's results.
pub(crate) fn page(all: &CampaignCompetencies, q: &ListQuery) -> Result<ParticipantPage, ApiError> {
    let c = check(q, all)?;
    let mut hits: Vec<&ParticipantCompetencies> =
        all.participants.iter().filter(|p| matches(q, p)).collect();
    hits.sort_by(|a, b| compare(a, b, &c));
    let total = hits.len();
    let start = (c.page as usize - 1).saturating_mul(c.per_page as usize);
    let rows = hits
        .into_iter()
        .skip(start)
        .take(c.per_page as usize)
        .map(|p| row(p, c.rank_within))
        .collect();
    Ok(ParticipantPage {
        total,
        page: c.page,
        per_page: c.per_page,
        sort: c.sort,
        order: c.order,
        rank_within: c.rank_within,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_filter_takes_the_unit_and_the_units_under_it_but_not_a_longer_name() {
        assert!(in_unit(Some("Dinas Kesehatan"), "Dinas Kesehatan"));
        assert!(in_unit(
            Some("Dinas Kesehatan / Bidang P2P"),
            "Dinas Kesehatan"
        ));
        assert!(in_unit(
            Some("Dinas Kesehatan/Bidang P2P"),
            " Dinas Kesehatan "
        ));
        assert!(!in_unit(Some("Dinas Kesehatan Hewan"), "Dinas Kesehatan"));
        assert!(!in_unit(None, "Dinas Kesehatan"));
    }

    #[test]
    fn absent_values_sort_last_in_either_order() {
        assert_eq!(by_present(Some(1), None, Order::Asc), Ordering::Less);
        assert_eq!(by_present(Some(1), None, Order::Desc), Ordering::Less);
        assert_eq!(by_present(Some(1), Some(2), Order::Desc), Ordering::Greater);
        assert_eq!(by_present::<u8>(None, None, Order::Asc), Ordering::Equal);
    }
}
