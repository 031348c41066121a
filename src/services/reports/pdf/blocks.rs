//! Blocks both reports use: the title, a box of labelled values, the data versions and the
//! psychologist's release.
use super::document::{colour, Doc, Style, BODY_BOTTOM, LEFT, WIDTH};
use super::fonts::Face;
use super::model::Signature;

/// The report's title and, under it, whom or what it is about.
pub(super) fn title_block(doc: &mut Doc<'_>, title: &str, subject: &str) {
    let title_style = Style {
        face: Face::Bold,
        size: 17.0,
        colour: colour::TEXT,
    };
    let subject_style = Style {
        face: Face::Regular,
        size: 12.0,
        colour: colour::PRIMARY,
    };
    doc.paragraph(LEFT, WIDTH, title_style, title);
    doc.y -= 2.0;
    doc.paragraph(LEFT, WIDTH, subject_style, subject);
    doc.y -= 10.0;
}

/// A label and its value broken into lines.
type Labelled<'a> = (&'a str, Vec<String>);

/// Labelled values in two columns on a tinted box, the label small above its value.
pub(super) fn key_values(doc: &mut Doc<'_>, pairs: &[(&str, String)]) {
    let pad = 8.0;
    let gutter = 16.0;
    let column = (WIDTH - 2.0 * pad - gutter) / 2.0;
    let label = Style::SMALL.with_colour(colour::MUTED);
    let value = Style::BOLD;
    let laid: Vec<Labelled<'_>> = pairs
        .iter()
        .map(|(l, v)| (*l, doc.wrap(value, v, column)))
        .collect();
    let cell_height =
        |lines: &Vec<String>| label.leading() + lines.len() as f32 * value.leading() + 5.0;
    let rows: Vec<(&[Labelled<'_>], f32)> = laid
        .chunks(2)
        .map(|pair| {
            let h = pair
                .iter()
                .map(|(_, lines)| cell_height(lines))
                .fold(0.0, f32::max);
            (pair, h)
        })
        .collect();
    let total: f32 = rows.iter().map(|r| r.1).sum::<f32>() + 2.0 * pad;
    // Kept whole when it fits a page; a larger one breaks between rows.
    doc.ensure(total.min(300.0));
    let mut start = doc.y;
    let mut drawn_from = 0;
    let flush = |doc: &mut Doc<'_>, from: usize, to: usize, top: f32| {
        let height: f32 = rows[from..to].iter().map(|r| r.1).sum::<f32>() + 2.0 * pad;
        doc.fill_rect(LEFT, top - height, WIDTH, height, colour::STRIPE);
        doc.stroke_rect(LEFT, top - height, WIDTH, height, 0.5, colour::BORDER);
        let mut y = top - pad;
        for (pair, h) in &rows[from..to] {
            for (i, (l, lines)) in pair.iter().enumerate() {
                let x = LEFT + pad + i as f32 * (column + gutter);
                doc.text(x, y - label.size, label, l);
                let mut baseline = y - label.leading() - value.size;
                for line in lines {
                    doc.text(x, baseline, value, line);
                    baseline -= value.leading();
                }
            }
            y -= h;
        }
        doc.y = top - height;
    };
    let mut used = 2.0 * pad;
    for (i, (_, height)) in rows.iter().enumerate() {
        if start - used - height < BODY_BOTTOM && i > drawn_from {
            flush(doc, drawn_from, i, start);
            doc.new_page();
            start = doc.y;
            drawn_from = i;
            used = 2.0 * pad;
        }
        used += height;
    }
    flush(doc, drawn_from, rows.len(), start);
    doc.y -= 4.0;
}

/// The versions of the data behind the numbers, in small print.
pub(super) fn data_versions(doc: &mut Doc<'_>, versions: &[(String, String)]) {
    if versions.is_empty() {
        return;
    }
    let l = doc.lang().labels();
    let list: Vec<String> = versions.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let text = format!("{}: {}", l.data_versions, list.join(" · "));
    doc.space(14.0);
    doc.paragraph(LEFT, WIDTH, Style::NOTE, &text);
}

/// The psychologist's name, licence, release date and version, or, for a draft, an empty block
/// that says the report is not released.
pub(super) fn signature_block(doc: &mut Doc<'_>, signature: Option<&Signature>) {
    let l = doc.lang().labels();
    let width = 250.0;
    let x = LEFT + WIDTH - width;
    let height = 118.0;
    doc.space(18.0);
    doc.ensure(height);
    let top = doc.y;
    doc.stroke_rect(x, top - height, width, height, 0.6, colour::BORDER);
    let inner = x + 10.0;
    let inner_width = width - 20.0;
    doc.y = top - 8.0;
    doc.paragraph(
        inner,
        inner_width,
        Style::SMALL_BOLD.with_colour(colour::MUTED),
        l.signature,
    );
    doc.paragraph(inner, inner_width, Style::BODY, l.psychologist);
    let sign_line = top - 70.0;
    doc.line(
        inner,
        sign_line,
        inner + inner_width,
        sign_line,
        0.5,
        colour::STRONG_BORDER,
    );
    doc.y = sign_line - 3.0;
    match signature {
        Some(s) => {
            doc.paragraph(inner, inner_width, Style::BOLD, &s.name);
            doc.paragraph(
                inner,
                inner_width,
                Style::SMALL,
                &format!("{} {}", l.licence, s.licence),
            );
            let released = format!(
                "{} {} · {} {}",
                l.released_at, s.released_at, l.version, s.version
            );
            doc.paragraph(inner, inner_width, Style::SMALL, &released);
        }
        None => {
            let draft = Style::SMALL_BOLD.with_colour(colour::DANGER);
            doc.paragraph(inner, inner_width, draft, l.draft_mark);
            doc.paragraph(inner, inner_width, Style::NOTE, l.draft_signature);
        }
    }
    doc.y = doc.y.min(top - height);
}
