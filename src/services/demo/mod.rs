//! The demo: one organisation, one account per role, the ASN-DEMO battery with an instrument in
//! every item format, illustrative norm tables, a campaign open from the first start with a few
//! synthetic candidates whose access codes are printed, so a newcomer can take a test at `/take`
//! at once, and a closed campaign of synthetic results (`results`), so HR's results, competency
//! levels and 9-box show something at once. The content lives in `src/seed/demo/` in the exchange
//! format and is imported through the same path as any uploaded instrument; the campaigns are
//! made through the same services HR uses.
mod answers;
mod assessment;
mod draw;
mod people;
mod records;
pub mod results;

use super::auth::Staff;
use super::AppContext;
use super::{accounts, batteries, campaigns, enrolment, instruments, organisations, passwords};
use crate::domain::account::{Email, NewPassword, PersonName, Role};
use crate::domain::battery::BatteryDoc;
use crate::domain::campaign::CampaignDoc;
use crate::domain::ids::{AccountId, CampaignId, OrganisationId};
use crate::domain::instrument::{parse_instrument, InstrumentError};
use crate::error::{ApiError, ErrorCode};

/// Code of the demo organisation.
pub const ORGANISATION_CODE: &str = "demo";
/// Domain of the demo accounts' e-mail addresses.
pub const EMAIL_DOMAIN: &str = "demo.meritest.id";

/// The demo instruments, in battery order.
pub const INSTRUMENTS: [(&str, &str); 7] = [
    (
        "num-series.json",
        include_str!("../../seed/demo/num-series.json"),
    ),
    ("verbal.json", include_str!("../../seed/demo/verbal.json")),
    ("figural.json", include_str!("../../seed/demo/figural.json")),
    (
        "ipip-big5.json",
        include_str!("../../seed/demo/ipip-big5.json"),
    ),
    ("sjt-asn.json", include_str!("../../seed/demo/sjt-asn.json")),
    (
        "work-preference.json",
        include_str!("../../seed/demo/work-preference.json"),
    ),
    (
        "work-style.json",
        include_str!("../../seed/demo/work-style.json"),
    ),
];

/// The demo battery.
pub const BATTERY: &str = include_str!("../../seed/demo/battery.json");

/// The demo's instrument for an adaptive section: 80 original numerical items with simulated
/// (clearly labelled) 2PL parameters, and an illustrative norm table on the θ scale.
pub const ADAPTIVE_INSTRUMENT: (&str, &str) = (
    "num-adaptive.json",
    include_str!("../../seed/demo/num-adaptive.json"),
);

/// The demo's battery of one adaptive section over that instrument.
pub const ADAPTIVE_BATTERY: &str = include_str!("../../seed/demo/battery-adaptive.json");

/// Creates the demo organisation, its accounts and content. With no `password`, each account gets
/// a generated one.
pub async fn seed(
    ctx: &AppContext,
    password: Option<&str>,
) -> Result<organisations::Credentials, ApiError> {
    // Parse all the content before writing anything, so a broken file cannot leave a half-seeded
    // organisation behind (a later start would not seed again).
    let mut content = Vec::with_capacity(INSTRUMENTS.len() + 1);
    for (file, json) in INSTRUMENTS.into_iter().chain([ADAPTIVE_INSTRUMENT]) {
        content.push(parse_instrument(json.as_bytes()).map_err(|e| {
            let detail = match e {
                InstrumentError::Syntax(m) => m,
                InstrumentError::Invalid(errs) => format!("{errs:?}"),
            };
            ApiError::internal(anyhow::anyhow!(
                "demo instrument {file} is invalid: {detail}"
            ))
        })?);
    }
    let battery: BatteryDoc = serde_json::from_str(BATTERY)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("demo battery: {e}")))?;
    let adaptive_battery: BatteryDoc = serde_json::from_str(ADAPTIVE_BATTERY)
        .map_err(|e| ApiError::internal(anyhow::anyhow!("demo adaptive battery: {e}")))?;
    let (org, mut creds) = organisations::create_organisation(
        ctx,
        ORGANISATION_CODE,
        "BKPSDM Kabupaten Contoh (demo)",
        &format!("admin@{EMAIL_DOMAIN}"),
        Some(
            &password
                .map(str::to_owned)
                .unwrap_or_else(|| passwords::generate(16)),
        ),
    )
    .await?;
    creds.generated = password.is_none();
    // (role, e-mail local part, name, unit, licence number): the assessors work in different
    // units (nobody rates someone of their own), and the psychologist's licence number is
    // printed on the reports she releases.
    let people = [
        (Role::Hr, "hr", "Sari Wulandari (HR)", None, None),
        (
            Role::Proctor,
            "proctor",
            "Agus Pratama (Pengawas)",
            None,
            None,
        ),
        (
            Role::Assessor,
            "assessor",
            "Dewi Lestari (Asesor)",
            Some("Badan Kepegawaian dan Pengembangan SDM"),
            None,
        ),
        (
            Role::Assessor,
            "assessor2",
            "Bambang Hartono (Asesor)",
            Some("Inspektorat Daerah"),
            None,
        ),
        (
            Role::Assessor,
            "assessor3",
            "Yuliana Sitompul (Asesor)",
            Some("Sekretariat Daerah"),
            None,
        ),
        (
            Role::Psychologist,
            "psychologist",
            "Rina Kusuma, M.Psi., Psikolog",
            None,
            Some("0123-20-2-1-DEMO"),
        ),
    ];
    let invalid = |m: String| ApiError::new(ErrorCode::Internal, m);
    let mut hr = None;
    let mut staff_of = Vec::new();
    for (role, local, name, unit, licence) in people {
        let email = Email::parse(&format!("{local}@{EMAIL_DOMAIN}")).map_err(invalid)?;
        let text = password
            .map(str::to_owned)
            .unwrap_or_else(|| passwords::generate(16));
        let pw =
            NewPassword::parse(&text).map_err(|m| ApiError::new(ErrorCode::InvalidInput, m))?;
        let profile = accounts::Profile::parse(&accounts::ProfileRequest {
            unit: unit.map(str::to_owned),
            licence_number: licence.map(str::to_owned),
        })
        .map_err(|e| invalid(format!("{e:?}")))?;
        let account = accounts::create_with_profile(
            ctx,
            org,
            None,
            accounts::NewStaff {
                email: &email,
                name: &PersonName::parse(name).map_err(invalid)?,
                role,
                password: &pw,
                profile,
            },
        )
        .await?;
        if role == Role::Hr {
            hr = Some(AccountId::from(account.id));
        }
        staff_of.push((role, AccountId::from(account.id)));
        creds.accounts.push((role, email.as_str().to_owned(), text));
    }
    for inst in &content {
        instruments::import_valid(ctx, org, None, inst, false).await?;
    }
    let battery = batteries::create_in(ctx, org, None, battery).await?;
    let adaptive_battery = batteries::create_in(ctx, org, None, adaptive_battery).await?;
    let Some(hr) = hr else {
        return Ok(creds);
    };
    let hr = hr_staff(org, hr, ctx.clock.now());
    let candidates = ctx
        .settings
        .bootstrap
        .demo_candidates
        .min(MAX_DEMO_CANDIDATES);
    if candidates > 0 {
        creds.demo_campaign =
            Some(open_campaign(ctx, &hr, OPEN_CAMPAIGN_NAME, battery.id, candidates).await?);
        creds.demo_adaptive_campaign = Some(
            open_campaign(
                ctx,
                &hr,
                ADAPTIVE_CAMPAIGN_NAME,
                adaptive_battery.id,
                candidates.min(MAX_ADAPTIVE_CANDIDATES),
            )
            .await?,
        );
    }
    let participants = ctx.settings.bootstrap.demo_results.min(MAX_DEMO_RESULTS);
    if participants > 0 {
        let seeded = results::seed(ctx, &hr, battery.id, participants).await?;
        let staff = |role| {
            staff_of
                .iter()
                .filter(|(r, _)| *r == role)
                .map(|(_, id)| Staff {
                    role,
                    account: *id,
                    ..hr.clone()
                })
                .collect::<Vec<_>>()
        };
        assessment::seed(
            ctx,
            &hr,
            &staff(Role::Assessor),
            staff(Role::Psychologist).first(),
            CampaignId::from(seeded.id),
        )
        .await?;
        creds.demo_results = Some(seeded);
    }
    Ok(creds)
}

/// The demo's HR account acting, as the campaigns are made the way HR makes them.
fn hr_staff(org: OrganisationId, hr: AccountId, now: chrono::DateTime<chrono::Utc>) -> Staff {
    Staff {
        account: hr,
        organisation: org,
        role: Role::Hr,
        token_id: "demo-seed".into(),
        token_expires_at: now,
    }
}

/// Most candidates the demo's open campaign enrols.
pub const MAX_DEMO_CANDIDATES: u32 = 500;

/// Most participants the demo's campaign of synthetic results has.
pub const MAX_DEMO_RESULTS: u32 = 1000;

/// Name of the demo's campaign that is open from the first start.
pub const OPEN_CAMPAIGN_NAME: &str = "Demo: tes terbuka untuk dicoba (peserta contoh)";

/// Name of the demo's campaign of the adaptive test, also open from the first start.
pub const ADAPTIVE_CAMPAIGN_NAME: &str = "Demo: tes adaptif untuk dicoba (peserta contoh)";

/// Most candidates the demo's adaptive campaign enrols (the first of the open campaign's).
pub const MAX_ADAPTIVE_CANDIDATES: u32 = 10;

/// A demo campaign called `name`, open now (for 30 days), with `n` synthetic candidates who have
/// not started, made as HR makes one: create, enrol from a file, issue the codes.
async fn open_campaign(
    ctx: &AppContext,
    staff: &Staff,
    name: &str,
    battery: uuid::Uuid,
    n: u32,
) -> Result<organisations::DemoCampaign, ApiError> {
    let now = ctx.clock.now();
    let doc: CampaignDoc = serde_json::from_value(serde_json::json!({
        "name": name,
        "battery": battery,
        "opens_at": now - chrono::Duration::hours(1),
        "closes_at": now + chrono::Duration::days(30),
        "show_score_to_candidate": true,
        "time_zone": "WIB",
        "data_contact": format!("privasi@{EMAIL_DOMAIN}"),
        "retention_months": 24,
        "sessions": [],
    }))
    .map_err(|e| ApiError::internal(anyhow::anyhow!("demo campaign: {e}")))?;
    let campaign = CampaignId::from(campaigns::create(ctx, staff, doc).await?.id);
    let file = demo_candidates_csv(n);
    enrolment::import(ctx, staff, campaign, file.as_bytes(), false).await?;
    let codes = enrolment::issue_codes(ctx, staff, campaign).await?;
    Ok(organisations::DemoCampaign {
        name: name.to_owned(),
        candidates: codes.into_iter().map(|c| (c.name, c.nip, c.code)).collect(),
    })
}

/// An enrolment file of `n` synthetic candidates, each with a well-formed NIP (birth date,
/// appointment month, sex, sequence; see `people::synthetic_id`) and "(contoh)" in the name, so
/// nobody takes them for people.
pub fn demo_candidates_csv(n: u32) -> String {
    const NAMES: [&str; 10] = [
        "Andi Pratama",
        "Rina Marlina",
        "Yusuf Hidayat",
        "Maya Sari",
        "Bayu Nugroho",
        "Lestari Putri",
        "Hendra Wijaya",
        "Fitri Handayani",
        "Rizky Ramadhan",
        "Wulan Anggraini",
    ];
    const LEVELS: [(&str, &str); 3] = [
        ("S1", "Pengawas"),
        ("D3", "Pelaksana"),
        ("S2", "Administrator"),
    ];
    let mut csv = String::from("nip,name,birth_date,education,job_level\n");
    for i in 0..n {
        let id = people::synthetic_id(i);
        let name = NAMES[(i % 10) as usize];
        let name = if i < 10 {
            format!("{name} (contoh)")
        } else {
            format!("{name} {} (contoh)", i / 10 + 1)
        };
        let (education, level) = LEVELS[(i % 3) as usize];
        csv.push_str(&format!(
            "{},{name},{},{education},{level}\n",
            id.nip, id.birth_date
        ));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::item::ItemFormat;

    #[test]
    fn the_demo_candidates_file_enrols_five_hundred_distinct_well_formed_people() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let file = demo_candidates_csv(MAX_DEMO_CANDIDATES);
        let rows = crate::domain::enrolment::parse_participants(file.as_bytes(), today)
            .unwrap_or_else(|e| panic!("{:?}", e.errors.first()));
        assert_eq!(rows.len(), MAX_DEMO_CANDIDATES as usize);
        let nips: std::collections::HashSet<String> =
            rows.iter().map(|r| r.nip.as_str().to_owned()).collect();
        assert_eq!(nips.len(), rows.len(), "every NIP is different");
        assert!(rows.iter().all(|r| r.name.ends_with(" (contoh)")));
        assert_eq!(rows[0].name, "Andi Pratama (contoh)");
        assert_eq!(rows[10].name, "Andi Pratama 2 (contoh)");
    }

    #[test]
    fn every_demo_instrument_is_valid_and_every_format_appears() {
        let mut formats = std::collections::HashSet::new();
        for (file, json) in INSTRUMENTS.into_iter().chain([ADAPTIVE_INSTRUMENT]) {
            let inst =
                parse_instrument(json.as_bytes()).unwrap_or_else(|e| panic!("{file}: {e:?}"));
            for item in &inst.doc().items {
                formats.insert(item.format);
            }
            for scale in &inst.doc().scales {
                assert!(
                    inst.doc()
                        .norms
                        .iter()
                        .any(|n| n.scale == scale.code && n.illustrative),
                    "{file}: scale {} has no illustrative norm table",
                    scale.code
                );
            }
        }
        for f in [
            ItemFormat::SingleChoice,
            ItemFormat::WeightedOptions,
            ItemFormat::Likert,
            ItemFormat::ForcedChoice,
            ItemFormat::MostLeast,
            ItemFormat::NumericEntry,
        ] {
            assert!(formats.contains(&f), "no demo item of format {f:?}");
        }
    }

    #[test]
    fn the_demo_adaptive_pool_is_labelled_simulated_and_serves_its_section() {
        let inst = parse_instrument(ADAPTIVE_INSTRUMENT.1.as_bytes()).unwrap();
        let params = inst.doc().item_parameters.clone().unwrap();
        assert!(
            params.simulated,
            "the demo's parameters say they are simulated"
        );
        let pool = crate::domain::adaptive::pool_of(inst.doc(), &params).unwrap();
        assert_eq!(pool.len(), 80);
        let battery: BatteryDoc = serde_json::from_str(ADAPTIVE_BATTERY).unwrap();
        let config = battery.sections[0].adaptive.clone().unwrap();
        assert_eq!(config.validate(&pool), Ok(()));
        assert_eq!(battery.validate(|_, _| Some(80)), vec![]);
        let theta_tables = inst
            .doc()
            .norms
            .iter()
            .filter(|n| n.metric == crate::domain::norms::NormMetric::Theta && n.illustrative)
            .count();
        assert_eq!(theta_tables, 1);
    }

    #[test]
    fn the_ipip_markers_have_fifty_items_ten_per_factor() {
        let inst = parse_instrument(INSTRUMENTS[3].1.as_bytes()).unwrap();
        assert_eq!(inst.doc().items.len(), 50);
        for scale in ["E", "A", "C", "N", "O"] {
            let n = inst
                .doc()
                .items
                .iter()
                .filter(|i| i.scale.as_deref() == Some(scale))
                .count();
            assert_eq!(n, 10, "scale {scale}");
        }
    }

    #[test]
    fn the_demo_battery_parses() {
        let b: BatteryDoc = serde_json::from_str(BATTERY).unwrap();
        assert_eq!(b.sections.len(), INSTRUMENTS.len());
    }
}
