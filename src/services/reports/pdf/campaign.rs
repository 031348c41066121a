//! A campaign's summary: counts, the JPM distribution, categories, participants per 9-box box,
//! the average profile against the standard and the talent pool (which may run over pages).
use super::blocks::{key_values, signature_block, title_block};
use super::charts::{self, BoxCell, LevelBar};
use super::document::{colour, Doc, Rgb, Running, Style, LEFT, WIDTH};
use super::labels::DASH;
use super::model::CampaignSummary;
use super::table::{col, table, Align, Cell};
use super::RenderError;

pub(super) fn render(s: &CampaignSummary) -> Result<Vec<u8>, RenderError> {
    let l = s.lang.labels();
    let mut doc = Doc::new(Running {
        lang: s.lang,
        title: l.campaign_title,
        organisation: &s.organisation,
        campaign: &s.campaign,
        reference: &s.report_ref,
        draft: s.signature.is_none(),
    })?;
    title_block(&mut doc, l.campaign_title, &s.campaign);
    key_values(
        &mut doc,
        &[
            (l.period, s.period.clone()),
            (l.participants, s.participants.to_string()),
            (l.scored, s.scored.to_string()),
        ],
    );

    doc.heading(l.jpm_distribution, 150.0);
    if s.jpm_histogram.is_empty() {
        doc.paragraph(LEFT, WIDTH, Style::BODY, l.nothing);
    } else {
        charts::histogram(&mut doc, &s.jpm_histogram, &format!("{} (%)", l.jpm));
    }

    doc.heading(l.categories, 40.0);
    if s.categories.is_empty() {
        doc.paragraph(LEFT, WIDTH, Style::BODY, l.nothing);
    } else {
        charts::count_bars(&mut doc, &s.categories);
    }

    doc.heading(l.box_counts, 220.0);
    boxes(&mut doc, s);

    doc.heading(l.average_profile, 60.0);
    if s.profile.is_empty() {
        doc.paragraph(LEFT, WIDTH, Style::BODY, l.nothing);
    } else {
        let bars: Vec<LevelBar> = s
            .profile
            .iter()
            .map(|p| {
                let n =
                    |x: Option<f64>| x.map_or_else(|| DASH.to_string(), |v| s.lang.number(v, 2));
                LevelBar {
                    label: p.name.clone(),
                    value: p.mean_level,
                    marker: p.mean_required,
                    note: format!("{} / {}", n(p.mean_level), n(p.mean_required)),
                }
            })
            .collect();
        charts::level_bars(&mut doc, &bars, (l.mean_level, l.mean_required));
    }

    doc.heading(l.talent_table, 40.0);
    if s.talent_pool.is_empty() {
        doc.paragraph(LEFT, WIDTH, Style::BODY, l.empty_talent_pool);
    } else {
        let or_dash = |x: &Option<String>| x.clone().unwrap_or_else(|| DASH.to_string());
        let rows: Vec<Vec<Cell>> = s
            .talent_pool
            .iter()
            .map(|t| {
                vec![
                    t.rank.to_string().into(),
                    t.nip.clone().into(),
                    t.name.clone().into(),
                    or_dash(&t.position).into(),
                    or_dash(&t.unit).into(),
                    t.jpm
                        .map_or_else(|| DASH.to_string(), |j| s.lang.number(j, 1))
                        .into(),
                    t.box_number.to_string().into(),
                ]
            })
            .collect();
        let jpm_title = format!("{} %", l.jpm);
        table(
            &mut doc,
            &[
                col(l.rank, 0.8, Align::Right),
                col(l.nip, 2.0, Align::Left),
                col(l.name, 2.0, Align::Left),
                col(l.position, 1.9, Align::Left),
                col(l.unit, 2.4, Align::Left),
                col(&jpm_title, 0.8, Align::Right),
                col(l.box_word, 0.7, Align::Centre),
            ],
            &rows,
        );
    }

    signature_block(&mut doc, s.signature.as_ref());
    doc.finish(&s.campaign)
}

/// The 3×3 grid with each box's count, shaded by its share of the largest count; the talent
/// pool's boxes (7–9) are outlined.
fn boxes(doc: &mut Doc<'_>, s: &CampaignSummary) {
    let l = s.lang.labels();
    let max = s.boxes.iter().copied().max().unwrap_or(0).max(1) as f32;
    charts::nine_box(doc, l, |n| {
        let count = s.boxes[usize::from(n - 1)];
        let share = count as f32 / max;
        // From the soft tint to the full primary colour.
        let mix = |soft: f32, full: f32| soft + (full - soft) * share;
        let fill = Rgb(
            mix(colour::PRIMARY_SOFT.0, colour::PRIMARY.0),
            mix(colour::PRIMARY_SOFT.1, colour::PRIMARY.1),
            mix(colour::PRIMARY_SOFT.2, colour::PRIMARY.2),
        );
        BoxCell {
            text: count.to_string(),
            fill,
            text_colour: if share > 0.5 {
                Rgb(1.0, 1.0, 1.0)
            } else {
                colour::TEXT
            },
            emphasised: n >= 7,
        }
    });
    let note = format!(
        "{}: {}",
        l.talent_pool,
        s.boxes[6] + s.boxes[7] + s.boxes[8]
    );
    doc.paragraph(LEFT, WIDTH, Style::BOLD, &note);
}
