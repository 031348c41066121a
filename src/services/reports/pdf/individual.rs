//! A participant's report: identity, methods, the competency profile as a chart and a table,
//! JPM and category, gaps with development suggestions, scale scores with their norms, the
//! 9-box place, the assessors' evidence, the data versions and the psychologist's release.
use super::blocks::{data_versions, key_values, signature_block, title_block};
use super::charts::{self, BoxCell, LevelBar};
use super::document::{colour, Doc, Rgb, Running, Style, LEFT, WIDTH};
use super::labels::{self, DASH};
use super::model::{IndividualReport, Lang};
use super::table::{col, table, Align, Cell};
use super::RenderError;

pub(super) fn render(r: &IndividualReport) -> Result<Vec<u8>, RenderError> {
    let l = r.lang.labels();
    let mut doc = Doc::new(Running {
        lang: r.lang,
        title: l.individual_title,
        organisation: &r.organisation,
        campaign: &r.campaign,
        reference: &r.report_ref,
        draft: r.signature.is_none(),
    })?;
    title_block(&mut doc, l.individual_title, &r.name);
    identity(&mut doc, r);
    profile(&mut doc, r);
    jpm(&mut doc, r);
    gaps(&mut doc, r);
    scales(&mut doc, r);
    nine_box(&mut doc, r);
    evidence(&mut doc, r);
    data_versions(&mut doc, &r.data_versions);
    signature_block(&mut doc, r.signature.as_ref());
    doc.finish(&format!("{} ({})", r.name, r.nip))
}

fn optional(x: &Option<String>) -> String {
    x.clone().unwrap_or_else(|| DASH.to_string())
}

fn identity(doc: &mut Doc<'_>, r: &IndividualReport) {
    let l = r.lang.labels();
    let methods = if r.methods.is_empty() {
        DASH.to_string()
    } else {
        r.methods.join(", ")
    };
    key_values(
        doc,
        &[
            (l.name, r.name.clone()),
            (l.nip, r.nip.clone()),
            (l.position, optional(&r.position)),
            (l.unit, optional(&r.unit)),
            (l.job_level, optional(&r.job_level)),
            (l.assessment_date, r.assessment_date.clone()),
            (l.methods, methods),
        ],
    );
}

fn profile(doc: &mut Doc<'_>, r: &IndividualReport) {
    let l = r.lang.labels();
    doc.heading(l.profile, 60.0);
    if r.competencies.is_empty() {
        doc.paragraph(LEFT, WIDTH, Style::BODY, l.nothing);
        return;
    }
    let bars: Vec<LevelBar> = r
        .competencies
        .iter()
        .map(|c| LevelBar {
            label: c.name.clone(),
            value: c.level.map(f64::from),
            marker: c.required.map(f64::from),
            note: format!("{} / {}", labels::level(c.level), labels::level(c.required)),
        })
        .collect();
    charts::level_bars(doc, &bars, (l.chart_legend_level, l.chart_legend_required));
    doc.space(8.0);
    let rows: Vec<Vec<Cell>> = r
        .competencies
        .iter()
        .map(|c| {
            let gap = labels::gap(c.gap);
            let gap = match c.gap {
                Some(g) if g < 0 => Cell::coloured(gap, colour::DANGER),
                Some(_) => Cell::coloured(gap, colour::OK),
                None => gap.into(),
            };
            vec![
                c.code.clone().into(),
                c.name.clone().into(),
                labels::level(c.level).into(),
                labels::level(c.required).into(),
                gap,
                labels::level(c.test_level).into(),
                labels::level(c.assessor_level).into(),
            ]
        })
        .collect();
    table(
        doc,
        &[
            col(l.code, 0.9, Align::Left),
            col(l.competency, 3.4, Align::Left),
            col(l.level, 0.8, Align::Centre),
            col(l.required, 0.9, Align::Centre),
            col(l.gap, 1.2, Align::Centre),
            col(l.test_level, 0.8, Align::Centre),
            col(l.assessor_level, 0.9, Align::Centre),
        ],
        &rows,
    );
}

fn jpm(doc: &mut Doc<'_>, r: &IndividualReport) {
    let l = r.lang.labels();
    doc.heading(l.jpm_section, 110.0);
    let value = r
        .jpm
        .map_or_else(|| DASH.to_string(), |j| r.lang.percent(j));
    let category = r.category.clone().unwrap_or_else(|| DASH.to_string());
    key_values(
        doc,
        &[
            (l.jpm, value.clone()),
            (l.category, category),
            (l.standard, optional(&r.standard)),
        ],
    );
    if let Some(j) = r.jpm {
        doc.space(4.0);
        charts::gauge(doc, j, &value);
    }
}

fn gaps(doc: &mut Doc<'_>, r: &IndividualReport) {
    let l = r.lang.labels();
    doc.heading(l.gaps_section, 40.0);
    let listed: Vec<_> = r
        .competencies
        .iter()
        .filter(|c| c.gap.is_some_and(|g| g < 0) || c.suggestion.is_some())
        .collect();
    if listed.is_empty() {
        doc.paragraph(LEFT, WIDTH, Style::BODY, l.no_gaps);
        return;
    }
    for c in listed {
        doc.ensure(3.0 * Style::BODY.leading());
        let head = format!(
            "{} ({}) — {} {}, {} {}, {} {}",
            c.name,
            c.code,
            l.level.to_lowercase(),
            labels::level(c.level),
            l.required.to_lowercase(),
            labels::level(c.required),
            l.gap.to_lowercase(),
            labels::gap(c.gap),
        );
        doc.paragraph(LEFT, WIDTH, Style::BOLD, &head);
        let suggestion = c.suggestion.as_deref().unwrap_or(l.no_suggestion);
        let text = format!("{}: {suggestion}", l.suggestion);
        doc.paragraph(LEFT + 12.0, WIDTH - 12.0, Style::BODY, &text);
        doc.space(5.0);
    }
}

fn scales(doc: &mut Doc<'_>, r: &IndividualReport) {
    let l = r.lang.labels();
    doc.heading(l.scales, 50.0);
    if r.scales.is_empty() {
        doc.paragraph(LEFT, WIDTH, Style::BODY, l.no_scales);
        return;
    }
    let number = |x: Option<f64>, decimals: usize| -> Cell {
        x.map_or_else(|| DASH.to_string(), |v| r.lang.number(v, decimals))
            .into()
    };
    let rows: Vec<Vec<Cell>> = r
        .scales
        .iter()
        .map(|s| {
            vec![
                s.instrument.clone().into(),
                s.scale.clone().into(),
                number(s.raw, 2),
                number(s.percentile, 1),
                number(s.t, 1),
                optional(&s.norm_group).into(),
                optional(&s.norm_table).into(),
            ]
        })
        .collect();
    table(
        doc,
        &[
            col(l.instrument, 1.8, Align::Left),
            col(l.scale, 1.8, Align::Left),
            col(l.raw, 0.9, Align::Right),
            col(l.percentile, 1.0, Align::Right),
            col(l.t_score, 0.6, Align::Right),
            col(l.norm_group, 1.5, Align::Left),
            col(l.norm_table, 1.6, Align::Left),
        ],
        &rows,
    );
    doc.space(3.0);
    doc.paragraph(LEFT, WIDTH, Style::NOTE, norm_note(r.lang));
}

/// How to read the scores, under the table.
fn norm_note(lang: Lang) -> &'static str {
    match lang {
        Lang::Id => "Persentil dan T dibandingkan dengan kelompok norma menurut tabel norma yang tercantum (T = 50 + 10z).",
        Lang::En => "Percentile and T compare the raw score with the norm group, by the norm table named (T = 50 + 10z).",
    }
}

fn nine_box(doc: &mut Doc<'_>, r: &IndividualReport) {
    let l = r.lang.labels();
    doc.heading(l.nine_box, 220.0);
    let Some(place) = &r.nine_box else {
        doc.paragraph(LEFT, WIDTH, Style::BODY, l.not_placed);
        return;
    };
    doc.ensure(230.0);
    // The description beside the grid.
    let top = doc.y;
    let x = LEFT + 300.0;
    let width = WIDTH - 300.0;
    let lines = [
        (
            Style::BOLD,
            format!("{} {}: {}", l.box_word, place.number, place.label),
        ),
        (
            Style::BODY,
            format!(
                "{}: {}",
                l.talent_pool,
                if place.talent_pool { l.yes } else { l.no }
            ),
        ),
    ];
    doc.y = top - 8.0;
    for (style, text) in &lines {
        doc.paragraph(x, width, *style, text);
        doc.space(3.0);
    }
    doc.space(6.0);
    doc.paragraph(x, width, Style::NOTE, l.talent_pool_boxes);
    doc.y = top;
    charts::nine_box(doc, l, |n| {
        if n == place.number {
            BoxCell {
                text: "●".to_string(),
                fill: colour::PRIMARY,
                text_colour: Rgb(1.0, 1.0, 1.0),
                emphasised: true,
            }
        } else {
            BoxCell {
                text: String::new(),
                fill: if n >= 7 {
                    colour::OK_SOFT
                } else {
                    Rgb(1.0, 1.0, 1.0)
                },
                text_colour: colour::MUTED,
                emphasised: false,
            }
        }
    });
}

fn evidence(doc: &mut Doc<'_>, r: &IndividualReport) {
    let l = r.lang.labels();
    doc.heading(l.evidence, 40.0);
    if r.assessor_evidence.is_empty() {
        doc.paragraph(LEFT, WIDTH, Style::BODY, l.no_evidence);
        return;
    }
    for e in &r.assessor_evidence {
        doc.ensure(3.0 * Style::BODY.leading());
        let head = format!("{} — {} {}", e.competency, l.level, labels::level(e.level));
        doc.paragraph(LEFT, WIDTH, Style::BOLD, &head);
        doc.paragraph(LEFT + 12.0, WIDTH - 12.0, Style::BODY, &e.summary);
        doc.space(5.0);
    }
}
