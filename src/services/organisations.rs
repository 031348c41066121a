//! Organisations: how a platform operator creates one with its first administrator (and its
//! seeded competency framework and job standards), and the sign-in details that creation shows
//! once.
use std::collections::HashMap;
use std::sync::RwLock;

use super::{accounts, audited, competencies, passwords, AppContext};
use crate::domain::account::{Email, NewPassword, PersonName, Role};
use crate::domain::ids::OrganisationId;
use crate::error::{ApiError, ErrorCode};
use crate::store::organisations;

/// Sign-in details created at bootstrap, to be shown once to whoever started the server.
#[derive(Debug)]
pub struct Credentials {
    /// Organisation name.
    pub organisation: String,
    /// (role, e-mail, password) of each account created.
    pub accounts: Vec<(Role, String, String)>,
    /// Whether the passwords were generated (and so are shown only now).
    pub generated: bool,
    /// The demo's campaign open now and the candidates enrolled in it, when the demo made one.
    pub demo_campaign: Option<DemoCampaign>,
    /// The demo's campaign of the adaptive test, open now, when the demo made one.
    pub demo_adaptive_campaign: Option<DemoCampaign>,
    /// The demo's closed campaign of synthetic results, when the demo made one.
    pub demo_results: Option<DemoResults>,
}

/// The demo's campaign that is open from the first start, with its candidates' access codes.
#[derive(Debug)]
pub struct DemoCampaign {
    /// Campaign name.
    pub name: String,
    /// (name, NIP, access code) of each candidate, as the codes were issued.
    pub candidates: Vec<(String, String, String)>,
}

/// The demo's closed campaign whose participants, answers and records were generated.
#[derive(Debug)]
pub struct DemoResults {
    /// Campaign name.
    pub name: String,
    /// Campaign id.
    pub id: uuid::Uuid,
    /// Participants, every one finished and scored.
    pub participants: usize,
}

impl Credentials {
    /// A block of text for the console.
    pub fn render(&self) -> String {
        let mut out = format!(
            "\n  meritest: organisation \"{}\" created with these accounts\n",
            self.organisation
        );
        for (role, email, password) in &self.accounts {
            // A password someone chose and typed is theirs already: it is not echoed to a
            // terminal or a log. Only a generated one must be shown, this once.
            let shown = if self.generated {
                password.as_str()
            } else {
                "(the one given)"
            };
            out.push_str(&format!(
                "    {:<13} {:<34} password: {}\n",
                role.as_str(),
                email,
                shown
            ));
        }
        if self.generated {
            out.push_str("  The passwords were generated and are shown only this once.\n");
        }
        if let Some(c) = &self.demo_campaign {
            out.push_str(&format!(
                "\n  Demo candidates of the campaign \"{}\", open now: sign in at /take with the code and NIP\n",
                c.name
            ));
            for (name, nip, code) in &c.candidates {
                out.push_str(&format!("    {code}   NIP {nip}   {name}\n"));
            }
            out.push_str("  The access codes are shown only this once.\n");
        }
        if let Some(c) = &self.demo_adaptive_campaign {
            out.push_str(&format!(
                "\n  Demo candidates of the adaptive test \"{}\", open now: sign in at /take with the code and NIP\n",
                c.name
            ));
            for (name, nip, code) in &c.candidates {
                out.push_str(&format!("    {code}   NIP {nip}   {name}\n"));
            }
            out.push_str("  The access codes are shown only this once.\n");
        }
        if let Some(r) = &self.demo_results {
            out.push_str(&format!(
                "\n  Synthetic results (generated people and answers): campaign \"{}\" ({}), closed, {} participants scored\n",
                r.name, r.id, r.participants
            ));
        }
        out
    }
}

/// An organisation code: 2–64 of `a–z 0–9 -`.
pub fn parse_org_code(code: &str) -> Result<String, String> {
    let ok = (2..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(code.to_owned())
    } else {
        Err(format!(
            "'{code}' is not a valid organisation code (2–64 of a–z 0–9 -)"
        ))
    }
}

/// Creates an organisation and its first administrator.
pub async fn create_organisation(
    ctx: &AppContext,
    code: &str,
    name: &str,
    admin_email: &str,
    admin_password: Option<&str>,
) -> Result<(OrganisationId, Credentials), ApiError> {
    let invalid = |m: String| ApiError::new(ErrorCode::InvalidInput, m);
    let code = parse_org_code(code).map_err(invalid)?;
    let name = PersonName::parse(name).map_err(invalid)?;
    let email = Email::parse(admin_email).map_err(invalid)?;
    let generated = admin_password.is_none();
    let password_text = admin_password
        .map(str::to_owned)
        .unwrap_or_else(|| passwords::generate(16));
    let password = NewPassword::parse(&password_text).map_err(invalid)?;
    let org = OrganisationId::new();
    // The organisation comes with its competency framework and job-level standards, or not at
    // all.
    let txn = crate::store::begin_write(&ctx.db).await?;
    let inserted = organisations::insert(&txn, org, &code, name.as_str(), ctx.clock.now()).await;
    audited::unless_taken(inserted, || {
        ApiError::new(
            ErrorCode::InvalidStateTransition,
            format!("an organisation with the code {code} already exists"),
        )
    })?;
    competencies::seed_in(&txn, org, ctx.clock.now()).await?;
    txn.commit().await?;
    let admin_name = PersonName::parse("Administrator").map_err(invalid)?;
    accounts::create_in(ctx, org, None, &email, &admin_name, Role::Admin, &password).await?;
    Ok((
        org,
        Credentials {
            organisation: name.as_str().to_owned(),
            accounts: vec![(Role::Admin, email.as_str().to_owned(), password_text)],
            generated,
            demo_campaign: None,
            demo_adaptive_campaign: None,
            demo_results: None,
        },
    ))
}

/// The name of an organisation, from this node's memory once read: every candidate's read of
/// its attempt shows it (a page reads its attempt to set its clock, and thousands of pages do so
/// at once when a node dies and they move). An organisation is never renamed or removed (nothing
/// writes its row after [`create_organisation`]), so a kept name cannot go stale; whatever comes
/// to rename one must clear [`OrganisationNames`] on every node.
pub async fn name_of(ctx: &AppContext, org: OrganisationId) -> Result<String, ApiError> {
    if let Some(name) = ctx.organisation_names.get(org) {
        return Ok(name);
    }
    let name = organisations::find(&ctx.db, org)
        .await?
        .map(|o| o.name)
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    ctx.organisation_names.keep(org, &name);
    Ok(name)
}

/// Organisations' names by id, as [`name_of`] has read them.
#[derive(Default)]
pub struct OrganisationNames(RwLock<HashMap<OrganisationId, String>>);

impl OrganisationNames {
    fn get(&self, org: OrganisationId) -> Option<String> {
        self.0.read().ok()?.get(&org).cloned()
    }

    fn keep(&self, org: OrganisationId, name: &str) {
        if let Ok(mut m) = self.0.write() {
            m.insert(org, name.to_owned());
        }
    }
}
