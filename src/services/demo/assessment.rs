//! The demo's assessment centre, on its campaign of synthetic results: two exercises (a
//! competency-based interview and a leaderless group discussion), two assessors per participant
//! and exercise for the first few dozen participants, their ratings with realistic disagreement
//! (one assessor a little lenient, now and then two levels apart), the panel's integrated levels
//! (a few departing from the mean, with the panel's reason), the evidence mapping reading the
//! panel's level beside the test, and a few reports released by the demo's psychologist.
//!
//! Everything goes through the services HR, the assessors and the psychologist use; only the
//! ratings are drawn, from the demo's fixed seed.
use std::collections::BTreeMap;

use super::draw::{Draw, DEMO_SEED};
use crate::domain::assessment::assignment_plan::same_unit;
use crate::domain::assessment::exercise::Exercise;
use crate::domain::assessment::rating::DraftRating;
use crate::domain::competency::evidence::{EvidenceMapping, EvidenceSource, Require};
use crate::domain::competency::rule_set::RuleKind;
use crate::domain::ids::{AssignmentId, CampaignId};
use crate::error::ApiError;
use crate::services::assessment::assignments::{self, AddAssignments, NewAssignment};
use crate::services::assessment::exercises::{self, ExercisesDoc};
use crate::services::assessment::integration::{self, LevelChoice, RecordLevels};
use crate::services::assessment::workspace::{self, SaveDraft, Submit};
use crate::services::auth::Staff;
use crate::services::reports::releases::{self, ReleaseRequest};
use crate::services::{competency_rules, AppContext};

/// Participants rated by the assessors.
const RATED: usize = 36;
/// Of those, whose levels the panel integrates.
const INTEGRATED: usize = 24;
/// Of those, whose reports the psychologist releases.
const RELEASED: usize = 5;

/// The exercises and the competencies each evidences.
fn exercises() -> Vec<Exercise> {
    let ex = |code: &str, name: &str, comps: &[&str]| Exercise {
        code: code.into(),
        name: name.into(),
        competencies: comps.iter().map(|c| (*c).to_owned()).collect(),
    };
    vec![
        ex(
            "wawancara",
            "Wawancara berbasis kompetensi",
            &["INT", "KOM", "PK"],
        ),
        ex(
            "lgd",
            "Diskusi kelompok tanpa pemimpin",
            &["KS", "KOM", "MP", "PB"],
        ),
    ]
}

/// What an assessor writes down, by competency and by how well it went (low, middle, high).
fn evidence(code: &str, band: usize) -> &'static str {
    const BANK: [(&str, [&str; 3]); 6] = [
        ("INT", [
            "Ragu menolak saat diminta mengabaikan prosedur; menunggu arahan atasan.",
            "Menjelaskan aturan gratifikasi dengan benar dan mengikutinya dalam contoh kasus.",
            "Memberi contoh nyata menolak tekanan dan melaporkan penyimpangan lewat jalur resmi.",
        ]),
        ("KOM", [
            "Penjelasan berputar-putar; poin utama baru jelas setelah ditanya ulang.",
            "Menyampaikan pendapat runtut dan memeriksa pemahaman lawan bicara.",
            "Meringkas pandangan yang berbeda dengan jernih dan meyakinkan kelompok.",
        ]),
        ("PK", [
            "Menunda keputusan sampai semua data lengkap, meski waktu mendesak.",
            "Menimbang dua pilihan dengan risikonya lalu memutuskan dengan alasan yang jelas.",
            "Mengambil keputusan sulit dengan data terbatas dan menyiapkan langkah cadangan.",
        ]),
        ("KS", [
            "Lebih banyak bekerja sendiri; jarang menanggapi usulan anggota lain.",
            "Membagi tugas dengan adil dan membantu anggota yang tertinggal.",
            "Menyatukan usulan yang bertentangan menjadi rencana bersama yang disepakati.",
        ]),
        ("MP", [
            "Menolak cara baru dengan alasan kebiasaan lama sudah cukup.",
            "Menerima perubahan dan menyesuaikan rencana kerja kelompok.",
            "Mendorong kelompok mencoba cara baru dan menjelaskan manfaatnya.",
        ]),
        ("PB", [
            "Kurang memperhatikan sudut pandang anggota dari latar belakang berbeda.",
            "Menghargai pendapat yang berbeda dan menjaga suasana diskusi tetap inklusif.",
            "Menengahi perbedaan pendapat dan memastikan setiap suara didengar.",
        ]),
    ];
    BANK.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, texts)| texts[band.min(2)])
        .unwrap_or("Perilaku teramati sesuai indikator level yang dipilih.")
}

/// Seeds the assessment centre of `campaign` as `hr`, with `assessors` rating and `psychologist`
/// releasing.
pub async fn seed(
    ctx: &AppContext,
    hr: &Staff,
    assessors: &[Staff],
    psychologist: Option<&Staff>,
    campaign: CampaignId,
) -> Result<(), ApiError> {
    if assessors.len() < 3 {
        return Ok(());
    }
    let list = exercises();
    exercises::replace(
        ctx,
        hr,
        campaign,
        ExercisesDoc {
            exercises: list.clone(),
        },
    )
    .await?;
    let org = hr.organisation;
    let people: Vec<_> = crate::store::campaigns::participants(&ctx.db, org, campaign)
        .await?
        .into_iter()
        .take(RATED)
        .collect();
    let units: Vec<Option<String>> = {
        let all = crate::store::accounts::list(&ctx.db, org).await?;
        assessors
            .iter()
            .map(|s| {
                all.iter()
                    .find(|a| a.id == s.account.as_uuid())
                    .and_then(|a| a.unit.clone())
            })
            .collect()
    };
    // Two assessors per participant and exercise, rotating, never of the participant's unit; the
    // first assessor of the interview leads the panel.
    let mut pairs = Vec::new();
    for (i, p) in people.iter().enumerate() {
        for (e, exercise) in list.iter().enumerate() {
            let mut chosen = Vec::new();
            for k in 0..assessors.len() {
                let a = (i + e + k) % assessors.len();
                if chosen.len() < 2 && !same_unit(&units[a], &p.unit) {
                    chosen.push(a);
                }
            }
            for (n, a) in chosen.into_iter().enumerate() {
                pairs.push(NewAssignment {
                    participant: p.id,
                    exercise: exercise.code.clone(),
                    assessor: assessors[a].account.as_uuid(),
                    lead: e == 0 && n == 0,
                });
            }
        }
    }
    assignments::add(
        ctx,
        hr,
        campaign,
        AddAssignments {
            assignments: pairs,
            allow_same_unit: false,
        },
    )
    .await?;
    // Each participant has a true level per competency; each assessor sees it with some noise,
    // and the third assessor rates a little higher than the others.
    let mut draw = Draw::new(DEMO_SEED, "assessment-centre");
    let mut truth: BTreeMap<(uuid::Uuid, String), f64> = BTreeMap::new();
    for p in &people {
        for code in ["INT", "KOM", "PK", "KS", "MP", "PB"] {
            truth.insert((p.id, code.to_owned()), 3.0 + 0.8 * draw.normal());
        }
    }
    let rows = crate::store::assessor_assignments::of_campaign(&ctx.db, org, campaign).await?;
    for row in rows {
        let Some((a, staff)) = assessors
            .iter()
            .enumerate()
            .find(|(_, s)| s.account.as_uuid() == row.assessor_id)
        else {
            continue;
        };
        let exercise = list.iter().find(|e| e.code == row.exercise);
        let mut sheet = BTreeMap::new();
        for code in exercise
            .map(|e| e.competencies.as_slice())
            .unwrap_or_default()
        {
            let base = truth
                .get(&(row.participant_id, code.clone()))
                .copied()
                .unwrap_or(3.0);
            let lenient = if a == 2 { 0.4 } else { 0.0 };
            let slip = if draw.chance(0.06) { 1.5 } else { 0.0 };
            let raw = base + lenient + 0.45 * draw.normal() + slip;
            let level = raw.round().clamp(1.0, 5.0) as u8;
            let band = match level {
                1 | 2 => 0,
                3 => 1,
                _ => 2,
            };
            sheet.insert(
                code.clone(),
                DraftRating {
                    level: Some(level),
                    evidence: evidence(code, band).to_owned(),
                },
            );
        }
        let id = AssignmentId::from(row.id);
        workspace::save(
            ctx,
            staff,
            id,
            SaveDraft {
                ratings: sheet,
                revision: None,
            },
        )
        .await?;
        workspace::submit(ctx, staff, id, Submit::default()).await?;
    }
    // The panel integrates the first participants: the mean rounded half up, and for two of them
    // one competency a level higher, with the reason the panel gave.
    for (i, p) in people.iter().take(INTEGRATED).enumerate() {
        let read = integration::read(ctx, hr, campaign, p.id.into()).await?;
        let mut levels = BTreeMap::new();
        for c in &read.competencies {
            let Some(suggested) = c.suggested else {
                continue;
            };
            let depart = (i == 3 || i == 7) && c.code == "KOM" && suggested < 5;
            levels.insert(
                c.code.clone(),
                LevelChoice {
                    level: if depart { suggested + 1 } else { suggested },
                    reason: depart.then(|| {
                        "Panel: presentasi hasil diskusi menunjukkan kemampuan komunikasi di atas \
                         rata-rata penilaian."
                            .to_owned()
                    }),
                },
            );
        }
        if !levels.is_empty() {
            integration::record(ctx, hr, campaign, p.id.into(), RecordLevels { levels }).await?;
        }
    }
    // The panel's level counts beside the situational judgement test where there is one.
    let current = competency_rules::current(ctx, hr, RuleKind::EvidenceMapping).await?;
    let mut mapping: EvidenceMapping =
        serde_json::from_value(current.document).map_err(ApiError::internal)?;
    for c in &mut mapping.competencies {
        if list.iter().any(|e| e.competencies.contains(&c.code)) {
            c.sources
                .push(EvidenceSource::AssessorPanel { weight: 1.0 });
            c.require = Require::AtLeast { min: 1 };
        }
    }
    mapping.version = current.version as u32 + 1;
    let body = serde_json::to_vec(&mapping).map_err(ApiError::internal)?;
    competency_rules::replace(ctx, hr, RuleKind::EvidenceMapping, &body).await?;
    // A few reports released by the psychologist.
    if let Some(psy) = psychologist {
        releases::release(
            ctx,
            psy,
            campaign,
            ReleaseRequest {
                participants: Some(people.iter().take(RELEASED).map(|p| p.id).collect()),
                language: None,
                summary: true,
            },
        )
        .await?;
    }
    Ok(())
}
