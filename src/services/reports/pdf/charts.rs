//! The figures, drawn with vector rectangles and lines (so they print sharp and cost a few
//! bytes): level bars against a required-level marker on the 0–5 scale, a JPM gauge, count bars,
//! a histogram and the 9-box grid. Like tables, a long bar chart breaks between rows and draws
//! its scale again at the top of the next page.
use super::document::{colour, Doc, Rgb, Style, LEFT, WIDTH};
use super::fonts::Face;
use super::labels::Labels;

/// The proficiency scale's top level.
const TOP_LEVEL: f32 = 5.0;

/// One bar of a level chart.
pub(super) struct LevelBar {
    pub label: String,
    pub value: Option<f64>,
    pub marker: Option<f64>,
    /// The numbers printed after the bar.
    pub note: String,
}

/// The width of the label column of a level chart.
const LABEL_WIDTH: f32 = 175.0;
/// The width of the numbers after the bars.
const NOTE_WIDTH: f32 = 58.0;

/// Horizontal bars of levels on the 0–5 scale, each with a marker at its required level.
pub(super) fn level_bars(doc: &mut Doc<'_>, bars: &[LevelBar], legend: (&str, &str)) {
    let plot_left = LEFT + LABEL_WIDTH;
    let plot_width = WIDTH - LABEL_WIDTH - NOTE_WIDTH;
    let x_of = |v: f64| plot_left + plot_width * (v as f32).clamp(0.0, TOP_LEVEL) / TOP_LEVEL;

    legend_row(doc, legend);
    let label_style = Style::SMALL;
    let rows: Vec<(Vec<String>, f32)> = bars
        .iter()
        .map(|b| {
            let mut lines = doc.wrap(label_style, &b.label, LABEL_WIDTH - 8.0);
            lines.truncate(2);
            let h = (lines.len() as f32 * label_style.leading() + 6.0).max(17.0);
            (lines, h)
        })
        .collect();
    doc.ensure(14.0 + rows.first().map_or(0.0, |r| r.1));
    scale_row(doc, plot_left, plot_width);
    for (bar, (lines, height)) in bars.iter().zip(rows) {
        if doc.ensure(height) {
            scale_row(doc, plot_left, plot_width);
        }
        let top = doc.y;
        let bottom = top - height;
        let middle = top - height / 2.0;
        // Grid lines at each level.
        for level in 0..=5 {
            let x = x_of(f64::from(level));
            let width = if level == 0 { 0.8 } else { 0.3 };
            let stroke = if level == 0 {
                colour::STRONG_BORDER
            } else {
                colour::BORDER
            };
            doc.line(x, top, x, bottom, width, stroke);
        }
        let mut baseline = middle + (lines.len() as f32 - 1.0) * label_style.leading() / 2.0
            - label_style.size * 0.35;
        for line in &lines {
            doc.text(LEFT, baseline, label_style, line);
            baseline -= label_style.leading();
        }
        if let Some(v) = bar.value {
            let w = x_of(v) - plot_left;
            if w > 0.0 {
                doc.fill_rect(plot_left, middle - 4.5, w, 9.0, colour::PRIMARY);
            }
        }
        if let Some(m) = bar.marker {
            marker(doc, x_of(m), middle, 7.5);
        }
        doc.text_right(
            LEFT + WIDTH,
            middle - Style::SMALL.size * 0.35,
            Style::SMALL_BOLD,
            &bar.note,
        );
        doc.y = bottom;
    }
    doc.space(4.0);
}

/// The required-level marker: a dark vertical bar with a small triangle on top.
fn marker(doc: &mut Doc<'_>, x: f32, middle: f32, half: f32) {
    doc.fill_rect(x - 1.0, middle - half, 2.0, 2.0 * half, colour::DANGER);
    doc.fill_polygon(
        &[
            (x - 3.5, middle + half + 3.5),
            (x + 3.5, middle + half + 3.5),
            (x, middle + half - 0.5),
        ],
        colour::DANGER,
    );
}

/// The key above a level chart: the bar's colour and the marker, each with its meaning.
fn legend_row(doc: &mut Doc<'_>, (bar, mark): (&str, &str)) {
    doc.ensure(16.0);
    let baseline = doc.y - 10.0;
    let style = Style::SMALL.with_colour(colour::MUTED);
    let mut x = LEFT;
    doc.fill_rect(x, baseline - 1.0, 14.0, 7.0, colour::PRIMARY);
    x += 18.0;
    doc.text(x, baseline, style, bar);
    x += doc.width(style, bar) + 16.0;
    marker(doc, x + 3.5, baseline + 2.5, 4.0);
    x += 10.0;
    doc.text(x, baseline, style, mark);
    doc.y -= 16.0;
}

/// The level numbers 0–5 over the plot.
fn scale_row(doc: &mut Doc<'_>, plot_left: f32, plot_width: f32) {
    let baseline = doc.y - 9.0;
    let style = Style::NOTE;
    for level in 0..=5u8 {
        let x = plot_left + plot_width * f32::from(level) / TOP_LEVEL;
        doc.text_centred(x, baseline, style, &level.to_string());
    }
    doc.y -= 13.0;
}

/// A single bar from 0 to 100 % with the value printed after it.
pub(super) fn gauge(doc: &mut Doc<'_>, percent: f64, text: &str) {
    let height = 12.0;
    doc.ensure(height + 14.0);
    let width = WIDTH - 80.0;
    let top = doc.y;
    doc.fill_rect(LEFT, top - height, width, height, colour::PRIMARY_SOFT);
    let filled = width * (percent as f32).clamp(0.0, 100.0) / 100.0;
    doc.fill_rect(LEFT, top - height, filled, height, colour::PRIMARY);
    doc.stroke_rect(
        LEFT,
        top - height,
        width,
        height,
        0.5,
        colour::STRONG_BORDER,
    );
    for tick in [0u8, 25, 50, 75, 100] {
        let x = LEFT + width * f32::from(tick) / 100.0;
        doc.line(
            x,
            top - height,
            x,
            top - height - 3.0,
            0.5,
            colour::STRONG_BORDER,
        );
        doc.text_centred(x, top - height - 11.0, Style::NOTE, &tick.to_string());
    }
    doc.text_right(LEFT + WIDTH, top - height + 2.0, Style::BOLD, text);
    doc.y = top - height - 16.0;
}

/// Horizontal bars of counts, longest = the largest count.
pub(super) fn count_bars(doc: &mut Doc<'_>, rows: &[(String, u32)]) {
    let label_width = 175.0;
    let plot_left = LEFT + label_width;
    let plot_width = WIDTH - label_width - 50.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f32;
    for (label, n) in rows {
        let lines = {
            let mut l = doc.wrap(Style::SMALL, label, label_width - 8.0);
            l.truncate(2);
            l
        };
        let height = (lines.len() as f32 * Style::SMALL.leading() + 6.0).max(17.0);
        doc.ensure(height);
        let top = doc.y;
        let middle = top - height / 2.0;
        let mut baseline = middle + (lines.len() as f32 - 1.0) * Style::SMALL.leading() / 2.0
            - Style::SMALL.size * 0.35;
        for line in &lines {
            doc.text(LEFT, baseline, Style::SMALL, line);
            baseline -= Style::SMALL.leading();
        }
        doc.line(
            plot_left,
            top,
            plot_left,
            top - height,
            0.8,
            colour::STRONG_BORDER,
        );
        let w = plot_width * *n as f32 / max;
        if w > 0.0 {
            doc.fill_rect(plot_left, middle - 4.5, w, 9.0, colour::PRIMARY);
        }
        doc.text(
            plot_left + w + 5.0,
            middle - Style::SMALL.size * 0.35,
            Style::SMALL_BOLD,
            &n.to_string(),
        );
        doc.y = top - height;
    }
    doc.space(4.0);
}

/// Vertical bars of counts over labelled bins, with each count above its bar.
pub(super) fn histogram(doc: &mut Doc<'_>, bins: &[(String, u32)], axis: &str) {
    let plot_height = 110.0;
    let label_lines = 2.0;
    let total_height = 14.0 + plot_height + label_lines * Style::NOTE.leading() + 8.0;
    doc.ensure(total_height);
    let top = doc.y;
    let base = top - 14.0 - plot_height;
    let n = bins.len().max(1) as f32;
    let slot = WIDTH / n;
    let bar = (slot * 0.7).min(60.0);
    let max = bins.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f32;
    // Horizontal guides at quarters of the largest count.
    for q in 1..=4 {
        let y = base + plot_height * q as f32 / 4.0;
        doc.line(LEFT, y, LEFT + WIDTH, y, 0.3, colour::BORDER);
    }
    for (i, (label, count)) in bins.iter().enumerate() {
        let centre = LEFT + slot * (i as f32 + 0.5);
        let h = plot_height * *count as f32 / max;
        if h > 0.0 {
            doc.fill_rect(centre - bar / 2.0, base, bar, h, colour::PRIMARY);
        }
        doc.text_centred(
            centre,
            base + h + 3.0,
            Style::SMALL_BOLD,
            &count.to_string(),
        );
        let mut baseline = base - 10.0;
        let mut lines = doc.wrap(Style::NOTE, label, slot - 4.0);
        lines.truncate(label_lines as usize);
        for line in &lines {
            doc.text_centred(centre, baseline, Style::NOTE, line);
            baseline -= Style::NOTE.leading();
        }
    }
    doc.line(LEFT, base, LEFT + WIDTH, base, 0.8, colour::STRONG_BORDER);
    doc.y = base - label_lines * Style::NOTE.leading() - 8.0;
    doc.text(LEFT, doc.y, Style::NOTE, axis);
    doc.y -= 6.0;
}

/// The 9-box's numbers by row (potential high → low) and column (performance below → above).
pub(super) const NINE_BOX: [[u8; 3]; 3] = [[4, 7, 9], [2, 5, 8], [1, 3, 6]];

/// What one box of the grid shows.
pub(super) struct BoxCell {
    pub text: String,
    pub fill: Rgb,
    pub text_colour: Rgb,
    pub emphasised: bool,
}

/// The 3×3 talent map, rows by potential and columns by performance; `cell` says what each box
/// (by number) shows.
pub(super) fn nine_box(doc: &mut Doc<'_>, labels: &Labels, cell: impl Fn(u8) -> BoxCell) {
    let size = 62.0;
    let axis_width = 78.0;
    let height = 3.0 * size + 34.0;
    doc.ensure(height);
    let top = doc.y;
    let left = LEFT + axis_width;
    let muted = Style::SMALL.with_colour(colour::MUTED);
    for (r, row) in NINE_BOX.iter().enumerate() {
        let y = top - size * (r as f32 + 1.0);
        doc.text_right(
            left - 6.0,
            y + size / 2.0 - 3.0,
            muted,
            labels.potential_rows[r],
        );
        for (c, number) in row.iter().enumerate() {
            let x = left + size * c as f32;
            let shown = cell(*number);
            doc.fill_rect(x, y, size, size, shown.fill);
            let width = if shown.emphasised { 2.0 } else { 0.6 };
            let stroke = if shown.emphasised {
                colour::TEXT
            } else {
                colour::STRONG_BORDER
            };
            doc.stroke_rect(x, y, size, size, width, stroke);
            let number_style = Style {
                face: Face::Bold,
                size: 8.0,
                colour: shown.text_colour,
            };
            doc.text(x + 4.0, y + size - 10.0, number_style, &number.to_string());
            let text_style = Style {
                face: Face::Bold,
                size: 12.0,
                colour: shown.text_colour,
            };
            doc.text_centred(
                x + size / 2.0,
                y + size / 2.0 - 6.0,
                text_style,
                &shown.text,
            );
        }
    }
    let bottom = top - 3.0 * size;
    for (c, label) in labels.performance_columns.iter().enumerate() {
        let centre = left + size * (c as f32 + 0.5);
        doc.text_centred(centre, bottom - 10.0, muted, label);
    }
    let axis = Style::SMALL_BOLD.with_colour(colour::MUTED);
    doc.text_centred(
        left + 1.5 * size,
        bottom - 22.0,
        axis,
        &format!("{} →", labels.performance),
    );
    doc.text(LEFT, top - 8.0, axis, &format!("{} ↑", labels.potential));
    doc.y = bottom - 30.0;
}
