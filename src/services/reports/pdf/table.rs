//! Tables whose cells wrap within their column and whose rows never split: a row that does not
//! fit goes to the next page, and the header is drawn again above it.
use super::document::{colour, Doc, Rgb, Style, LEFT, WIDTH};
use super::fonts::Face;

/// How a column's text sits in its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Align {
    Left,
    Right,
    Centre,
}

/// A column: its title, its share of the table's width and its alignment.
pub(super) struct Column<'a> {
    pub title: &'a str,
    pub share: f32,
    pub align: Align,
}

pub(super) fn col(title: &str, share: f32, align: Align) -> Column<'_> {
    Column {
        title,
        share,
        align,
    }
}

/// One cell's text, with an optional colour and weight.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Cell {
    pub text: String,
    pub colour: Option<Rgb>,
    pub bold: bool,
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell {
            text,
            colour: None,
            bold: false,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::from(text.to_string())
    }
}

impl Cell {
    pub(super) fn coloured(text: String, colour: Rgb) -> Self {
        Cell {
            text,
            colour: Some(colour),
            bold: true,
        }
    }
}

const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.5;

/// Draws a table across the body's width from the cursor down.
pub(super) fn table(doc: &mut Doc<'_>, columns: &[Column<'_>], rows: &[Vec<Cell>]) {
    let head_cells: Vec<Cell> = columns.iter().map(|c| Cell::from(c.title)).collect();
    let head_style = Style::SMALL_BOLD.with_colour(colour::PRIMARY);
    let widths = column_widths(doc, columns, &head_cells, head_style, rows);

    let head = layout_row(doc, &widths, &head_cells, head_style);
    let first = rows
        .first()
        .map_or(0.0, |r| layout_row(doc, &widths, r, Style::SMALL).1);
    // The header never stands alone at the foot of a page.
    doc.ensure(head.1 + first);
    draw_row(doc, columns, &widths, &head, Some(colour::PRIMARY_SOFT));

    for (i, row) in rows.iter().enumerate() {
        let laid = layout_row(doc, &widths, row, Style::SMALL);
        if doc.ensure(laid.1) {
            draw_row(doc, columns, &widths, &head, Some(colour::PRIMARY_SOFT));
        }
        let stripe = (i % 2 == 1).then_some(colour::STRIPE);
        draw_row(doc, columns, &widths, &laid, stripe);
    }
    doc.line(LEFT, doc.y, LEFT + WIDTH, doc.y, 0.6, colour::STRONG_BORDER);
}

/// Each column's share of the width, widened where needed so that no word of the header or of
/// a cell has to be split (as far as the table's width allows), the width taken from the
/// columns with room to spare.
fn column_widths(
    doc: &Doc<'_>,
    columns: &[Column<'_>],
    head: &[Cell],
    head_style: Style,
    rows: &[Vec<Cell>],
) -> Vec<f32> {
    let total: f32 = columns
        .iter()
        .map(|c| c.share)
        .sum::<f32>()
        .max(f32::EPSILON);
    let mut widths: Vec<f32> = columns.iter().map(|c| WIDTH * c.share / total).collect();
    let longest_word = |style: Style, text: &str| -> f32 {
        text.split_whitespace()
            .map(|w| doc.width(style, w))
            .fold(0.0, f32::max)
    };
    let needed: Vec<f32> = (0..columns.len())
        .map(|i| {
            let in_head = head
                .get(i)
                .map_or(0.0, |c| longest_word(head_style, &c.text));
            let in_rows = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| {
                    let style = if c.bold {
                        Style::SMALL_BOLD
                    } else {
                        Style::SMALL
                    };
                    longest_word(style, &c.text)
                })
                .fold(0.0, f32::max);
            // No column claims more than 40 % of the table for one long word.
            (in_head.max(in_rows) + 2.0 * PAD_X + 0.5).min(WIDTH * 0.4)
        })
        .collect();
    let deficit: f32 = widths
        .iter()
        .zip(&needed)
        .map(|(w, n)| (n - w).max(0.0))
        .sum();
    let slack: f32 = widths
        .iter()
        .zip(&needed)
        .map(|(w, n)| (w - n).max(0.0))
        .sum();
    if deficit > 0.0 && slack > 0.0 {
        // Narrow the columns with room in proportion to their room, widen the others.
        let take = deficit.min(slack) / slack;
        let give = deficit.min(slack) / deficit;
        for (w, n) in widths.iter_mut().zip(&needed) {
            if *w > *n {
                *w -= (*w - n) * take;
            } else {
                *w += (n - *w) * give;
            }
        }
    }
    widths
}

/// A row's cells broken into lines, and the row's height.
type Laid = (Vec<(Vec<String>, Style)>, f32);

fn layout_row(doc: &Doc<'_>, widths: &[f32], cells: &[Cell], base: Style) -> Laid {
    let mut height: f32 = 0.0;
    let laid: Vec<(Vec<String>, Style)> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let cell = cells.get(i);
            let mut style = base;
            if let Some(c) = cell {
                if c.bold {
                    style.face = Face::Bold;
                }
                if let Some(colour) = c.colour {
                    style.colour = colour;
                }
            }
            let text = cell.map_or("", |c| c.text.as_str());
            let lines = doc.wrap(style, text, w - 2.0 * PAD_X);
            height = height.max(lines.len() as f32 * style.leading());
            (lines, style)
        })
        .collect();
    (laid, height + 2.0 * PAD_Y)
}

fn draw_row(
    doc: &mut Doc<'_>,
    columns: &[Column<'_>],
    widths: &[f32],
    laid: &Laid,
    fill: Option<Rgb>,
) {
    let (cells, height) = laid;
    let top = doc.y;
    if let Some(fill) = fill {
        doc.fill_rect(LEFT, top - height, WIDTH, *height, fill);
    }
    let mut x = LEFT;
    for ((column, w), (lines, style)) in columns.iter().zip(widths).zip(cells) {
        let mut baseline = top - PAD_Y - style.size * 0.93;
        for line in lines {
            match column.align {
                Align::Left => doc.text(x + PAD_X, baseline, *style, line),
                Align::Right => doc.text_right(x + w - PAD_X, baseline, *style, line),
                Align::Centre => doc.text_centred(x + w / 2.0, baseline, *style, line),
            }
            baseline -= style.leading();
        }
        x += w;
    }
    doc.line(
        LEFT,
        top - height,
        LEFT + WIDTH,
        top - height,
        0.3,
        colour::BORDER,
    );
    doc.y = top - height;
}
