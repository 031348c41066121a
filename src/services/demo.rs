//! The demo: one organisation, one account per role, the ASN-DEMO battery with an instrument in
//! every item format, and illustrative norm tables. The content lives in `src/seed/demo/` in the
//! exchange format and is imported through the same path as any uploaded instrument.
use super::{accounts, batteries, instruments, organisations, passwords, AppContext};
use crate::domain::account::{Email, NewPassword, PersonName, Role};
use crate::domain::battery::BatteryDoc;
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
        include_str!("../seed/demo/num-series.json"),
    ),
    ("verbal.json", include_str!("../seed/demo/verbal.json")),
    ("figural.json", include_str!("../seed/demo/figural.json")),
    (
        "ipip-big5.json",
        include_str!("../seed/demo/ipip-big5.json"),
    ),
    ("sjt-asn.json", include_str!("../seed/demo/sjt-asn.json")),
    (
        "work-preference.json",
        include_str!("../seed/demo/work-preference.json"),
    ),
    (
        "work-style.json",
        include_str!("../seed/demo/work-style.json"),
    ),
];

/// The demo battery.
pub const BATTERY: &str = include_str!("../seed/demo/battery.json");

/// Creates the demo organisation, its accounts and content. With no `password`, each account gets
/// a generated one.
pub async fn seed(
    ctx: &AppContext,
    password: Option<&str>,
) -> Result<organisations::Credentials, ApiError> {
    // Parse all the content before writing anything, so a broken file cannot leave a half-seeded
    // organisation behind (a later start would not seed again).
    let mut content = Vec::with_capacity(INSTRUMENTS.len());
    for (file, json) in INSTRUMENTS {
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
    let people = [
        (Role::Hr, "hr", "Sari Wulandari (HR)"),
        (Role::Proctor, "proctor", "Agus Pratama (Pengawas)"),
        (Role::Assessor, "assessor", "Dewi Lestari (Asesor)"),
        (
            Role::Psychologist,
            "psychologist",
            "Rina Kusuma, M.Psi., Psikolog",
        ),
    ];
    let invalid = |m: String| ApiError::new(ErrorCode::Internal, m);
    for (role, local, name) in people {
        let email = Email::parse(&format!("{local}@{EMAIL_DOMAIN}")).map_err(invalid)?;
        let text = password
            .map(str::to_owned)
            .unwrap_or_else(|| passwords::generate(16));
        let pw =
            NewPassword::parse(&text).map_err(|m| ApiError::new(ErrorCode::InvalidInput, m))?;
        accounts::create_in(
            ctx,
            org,
            None,
            &email,
            &PersonName::parse(name).map_err(invalid)?,
            role,
            &pw,
        )
        .await?;
        creds.accounts.push((role, email.as_str().to_owned(), text));
    }
    for inst in &content {
        instruments::import_valid(ctx, org, None, inst, false).await?;
    }
    batteries::create_in(ctx, org, None, battery).await?;
    Ok(creds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::item::ItemFormat;

    #[test]
    fn every_demo_instrument_is_valid_and_every_format_appears() {
        let mut formats = std::collections::HashSet::new();
        for (file, json) in INSTRUMENTS {
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
