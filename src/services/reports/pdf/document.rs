//! The page machinery every report shares: A4 pages with margins, a cursor that moves down the
//! body and starts a new page when the next block does not fit, text set in the embedded fonts
//! and wrapped to a width, simple vector shapes, and the running header (organisation, campaign,
//! draft mark) and footer (reference, "page X of Y") that are drawn on every page once the
//! number of pages is known.
//!
//! Coordinates are PDF points (1/72 inch) from the page's bottom left; the cursor `y` is the top
//! of the next block.
use pdf_writer::{Content, Filter, Finish, Pdf, Rect, Ref, Str, TextStr};
use sha2::{Digest, Sha256};

use super::fonts::{Face, Fonts, REFS_PER_FACE};
use super::model::Lang;
use super::RenderError;

/// A4 in points.
pub(super) const PAGE_WIDTH: f32 = 595.28;
pub(super) const PAGE_HEIGHT: f32 = 841.89;
/// The left edge of the body.
pub(super) const LEFT: f32 = 50.0;
/// The body's width.
pub(super) const WIDTH: f32 = PAGE_WIDTH - 2.0 * LEFT;
/// The top of the body, below the running header.
const BODY_TOP: f32 = PAGE_HEIGHT - 78.0;
/// The bottom of the body, above the running footer.
pub(super) const BODY_BOTTOM: f32 = 60.0;

/// A colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Rgb(pub f32, pub f32, pub f32);

/// The house colours (those of the web pages' style sheet).
pub(super) mod colour {
    use super::Rgb;
    pub const TEXT: Rgb = Rgb(0.094, 0.125, 0.169);
    pub const MUTED: Rgb = Rgb(0.31, 0.353, 0.408);
    pub const PRIMARY: Rgb = Rgb(0.043, 0.341, 0.643);
    pub const PRIMARY_SOFT: Rgb = Rgb(0.902, 0.941, 0.984);
    pub const BORDER: Rgb = Rgb(0.827, 0.851, 0.886);
    pub const STRONG_BORDER: Rgb = Rgb(0.667, 0.706, 0.761);
    pub const STRIPE: Rgb = Rgb(0.972, 0.98, 0.988);
    pub const DANGER: Rgb = Rgb(0.702, 0.149, 0.118);
    pub const OK: Rgb = Rgb(0.09, 0.42, 0.204);
    pub const OK_SOFT: Rgb = Rgb(0.898, 0.961, 0.918);
    pub const WATERMARK: Rgb = Rgb(0.93, 0.93, 0.93);
}

/// How a run of text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Style {
    pub face: Face,
    pub size: f32,
    pub colour: Rgb,
}

impl Style {
    pub(super) const BODY: Style = Style {
        face: Face::Regular,
        size: 9.5,
        colour: colour::TEXT,
    };
    pub(super) const BOLD: Style = Style {
        face: Face::Bold,
        ..Style::BODY
    };
    pub(super) const SMALL: Style = Style {
        face: Face::Regular,
        size: 8.0,
        colour: colour::TEXT,
    };
    pub(super) const SMALL_BOLD: Style = Style {
        face: Face::Bold,
        ..Style::SMALL
    };
    pub(super) const NOTE: Style = Style {
        face: Face::Regular,
        size: 7.5,
        colour: colour::MUTED,
    };

    /// The distance between baselines.
    pub(super) fn leading(self) -> f32 {
        self.size * 1.3
    }

    pub(super) fn with_colour(self, colour: Rgb) -> Style {
        Style { colour, ..self }
    }
}

/// What every page repeats.
pub(super) struct Running<'a> {
    pub lang: Lang,
    pub title: &'a str,
    pub organisation: &'a str,
    pub campaign: &'a str,
    pub reference: &'a str,
    pub draft: bool,
}

/// A document being laid out.
pub(super) struct Doc<'a> {
    pub fonts: Fonts,
    running: Running<'a>,
    pages: Vec<Content>,
    body: Content,
    /// The top of the next block.
    pub y: f32,
}

impl<'a> Doc<'a> {
    pub(super) fn new(running: Running<'a>) -> Result<Self, RenderError> {
        Ok(Self {
            fonts: Fonts::new()?,
            running,
            pages: Vec::new(),
            body: Content::new(),
            y: BODY_TOP,
        })
    }

    pub(super) fn lang(&self) -> Lang {
        self.running.lang
    }

    /// Whether nothing has been set on this page yet.
    pub(super) fn at_top(&self) -> bool {
        self.y >= BODY_TOP
    }

    /// Ends this page and starts the next.
    pub(super) fn new_page(&mut self) {
        let body = std::mem::replace(&mut self.body, Content::new());
        self.pages.push(body);
        self.y = BODY_TOP;
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty,
    /// where a taller block could fit no better). Returns whether a page was started.
    pub(super) fn ensure(&mut self, height: f32) -> bool {
        if self.y - height < BODY_BOTTOM && !self.at_top() {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Moves the cursor down (not past a page's top: space at the top of a page is dropped).
    pub(super) fn space(&mut self, height: f32) {
        if !self.at_top() {
            self.y -= height;
        }
    }

    /// The width of `text` in `style`.
    pub(super) fn width(&self, style: Style, text: &str) -> f32 {
        self.fonts.width(style.face, style.size, text)
    }

    /// Sets one line of text with its baseline at `baseline`, starting at `x`.
    pub(super) fn text(&mut self, x: f32, baseline: f32, style: Style, text: &str) {
        let codes = self.fonts.encode(style.face, text);
        draw_text(&mut self.body, x, baseline, style, &codes);
    }

    /// Sets one line of text ending at `right`.
    pub(super) fn text_right(&mut self, right: f32, baseline: f32, style: Style, text: &str) {
        let x = right - self.width(style, text);
        self.text(x, baseline, style, text);
    }

    /// Sets one line of text centred on `centre`.
    pub(super) fn text_centred(&mut self, centre: f32, baseline: f32, style: Style, text: &str) {
        let x = centre - self.width(style, text) / 2.0;
        self.text(x, baseline, style, text);
    }

    /// The lines `text` breaks into within `width`: at spaces where it can, inside a word
    /// only when the word alone is wider; a newline always breaks.
    pub(super) fn wrap(&self, style: Style, text: &str, width: f32) -> Vec<String> {
        let space = self.width(style, " ");
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let word_width = self.width(style, word);
                if line.is_empty() && word_width <= width {
                    line.push_str(word);
                    line_width = word_width;
                    continue;
                }
                if !line.is_empty() && line_width + space + word_width <= width {
                    line.push(' ');
                    line.push_str(word);
                    line_width += space + word_width;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line_width = 0.0;
                // The word starts a line; split it if it is wider than the line.
                for c in word.chars() {
                    let mut buf = [0; 4];
                    let w = self.width(style, c.encode_utf8(&mut buf));
                    if line_width + w > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    line.push(c);
                    line_width += w;
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Sets `text` wrapped within `width` from the cursor down, breaking pages between lines.
    pub(super) fn paragraph(&mut self, x: f32, width: f32, style: Style, text: &str) {
        for line in self.wrap(style, text, width) {
            self.ensure(style.leading());
            let baseline = self.y - style.size;
            self.text(x, baseline, style, &line);
            self.y -= style.leading();
        }
    }

    /// A section's title, kept on the page with at least `keep` points of what follows.
    pub(super) fn heading(&mut self, title: &str, keep: f32) {
        let style = Style {
            face: Face::Bold,
            size: 12.0,
            colour: colour::PRIMARY,
        };
        self.space(14.0);
        self.ensure(24.0 + keep);
        let baseline = self.y - style.size;
        self.text(LEFT, baseline, style, title);
        self.line(
            LEFT,
            baseline - 5.0,
            LEFT + WIDTH,
            baseline - 5.0,
            0.6,
            colour::BORDER,
        );
        self.y = baseline - 12.0;
    }

    /// Fills a rectangle given by its bottom left corner.
    pub(super) fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Rgb) {
        self.body
            .set_fill_rgb(fill.0, fill.1, fill.2)
            .rect(x, y, w, h)
            .fill_nonzero();
    }

    /// Outlines a rectangle given by its bottom left corner.
    pub(super) fn stroke_rect(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32, stroke: Rgb) {
        self.body
            .set_line_width(width)
            .set_stroke_rgb(stroke.0, stroke.1, stroke.2)
            .rect(x, y, w, h)
            .stroke();
    }

    /// Draws a straight line.
    pub(super) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32, stroke: Rgb) {
        self.body
            .set_line_width(width)
            .set_stroke_rgb(stroke.0, stroke.1, stroke.2)
            .move_to(x1, y1)
            .line_to(x2, y2)
            .stroke();
    }

    /// Fills a closed polygon.
    pub(super) fn fill_polygon(&mut self, points: &[(f32, f32)], fill: Rgb) {
        let Some(((x0, y0), rest)) = points.split_first() else {
            return;
        };
        self.body
            .set_fill_rgb(fill.0, fill.1, fill.2)
            .move_to(*x0, *y0);
        for (x, y) in rest {
            self.body.line_to(*x, *y);
        }
        self.body.close_path().fill_nonzero();
    }

    /// Draws the running header and footer on every page and writes the file. `subject`
    /// becomes the document's title in its properties.
    pub(super) fn finish(mut self, subject: &str) -> Result<Vec<u8>, RenderError> {
        if !self.at_top() || self.pages.is_empty() {
            self.new_page();
        }
        let bodies = std::mem::take(&mut self.pages);
        let total = bodies.len();
        let mut streams = Vec::with_capacity(total);
        for (i, body) in bodies.into_iter().enumerate() {
            let mut before = Content::new();
            if self.running.draft {
                self.watermark(&mut before);
            }
            let mut after = Content::new();
            self.header(&mut after);
            self.footer(&mut after, i + 1, total);
            let mut bytes = before.finish().into_vec();
            bytes.push(b'\n');
            bytes.extend_from_slice(body.finish().as_slice());
            bytes.push(b'\n');
            bytes.extend_from_slice(after.finish().as_slice());
            streams.push(bytes);
        }
        self.write(&streams, subject)
    }

    fn header(&mut self, out: &mut Content) {
        let r = &self.running;
        let top = PAGE_HEIGHT - 40.0;
        let org = Style::SMALL_BOLD.with_colour(colour::PRIMARY);
        let campaign = Style::SMALL.with_colour(colour::MUTED);
        let right = LEFT + WIDTH;
        // The organisation on the left, the campaign on the right; the campaign takes at most
        // half the line and the organisation the rest.
        let campaign_text = fit(&self.fonts, campaign, r.campaign, WIDTH / 2.0 - 8.0);
        let campaign_width = self
            .fonts
            .width(campaign.face, campaign.size, &campaign_text);
        let organisation = fit(
            &self.fonts,
            org,
            r.organisation,
            WIDTH - campaign_width - 16.0,
        );
        let codes = self.fonts.encode(org.face, &organisation);
        draw_text(out, LEFT, top, org, &codes);
        let x = right - campaign_width;
        let codes = self.fonts.encode(campaign.face, &campaign_text);
        draw_text(out, x, top, campaign, &codes);
        if r.draft {
            let mark = Style {
                face: Face::Bold,
                size: 9.0,
                colour: colour::DANGER,
            };
            let text = r.lang.labels().draft_mark;
            let w = self.fonts.width(mark.face, mark.size, text);
            let x = LEFT + (WIDTH - w) / 2.0;
            out.set_line_width(0.8)
                .set_stroke_rgb(mark.colour.0, mark.colour.1, mark.colour.2)
                .rect(x - 6.0, top - 19.0, w + 12.0, 14.0)
                .stroke();
            let codes = self.fonts.encode(mark.face, text);
            draw_text(out, x, top - 15.0, mark, &codes);
        }
        let rule = top - 24.0;
        out.set_line_width(0.8)
            .set_stroke_rgb(colour::PRIMARY.0, colour::PRIMARY.1, colour::PRIMARY.2)
            .move_to(LEFT, rule)
            .line_to(right, rule)
            .stroke();
    }

    fn footer(&mut self, out: &mut Content, page: usize, total: usize) {
        let style = Style::NOTE;
        let base = 36.0;
        let rule = base + 12.0;
        let right = LEFT + WIDTH;
        out.set_line_width(0.5)
            .set_stroke_rgb(colour::BORDER.0, colour::BORDER.1, colour::BORDER.2)
            .move_to(LEFT, rule)
            .line_to(right, rule)
            .stroke();
        let (word, of) = self.running.lang.labels().page_of;
        let number = format!("{word} {page} {of} {total}");
        let number_width = self.fonts.width(style.face, style.size, &number);
        let left_text = format!("{} · {}", self.running.reference, self.running.title);
        let left_text = fit(&self.fonts, style, &left_text, WIDTH - number_width - 20.0);
        let codes = self.fonts.encode(style.face, &left_text);
        draw_text(out, LEFT, base, style, &codes);
        let codes = self.fonts.encode(style.face, &number);
        draw_text(out, right - number_width, base, style, &codes);
    }

    /// A large pale word across the page, under the body, so a printed draft cannot pass for a
    /// released report.
    fn watermark(&mut self, out: &mut Content) {
        let text = self.running.lang.labels().draft_watermark;
        let style = Style {
            face: Face::Bold,
            size: 120.0,
            colour: colour::WATERMARK,
        };
        let w = self.fonts.width(style.face, style.size, text);
        let codes = self.fonts.encode(style.face, text);
        // Rotated 45° about the page's centre (sine and cosine as a constant rather than from
        // the platform's maths library, whose last bit may differ between machines).
        let (s, c) = (
            std::f32::consts::FRAC_1_SQRT_2,
            std::f32::consts::FRAC_1_SQRT_2,
        );
        let (cx, cy) = (PAGE_WIDTH / 2.0, PAGE_HEIGHT / 2.0);
        let (dx, dy) = (-w / 2.0, -style.size * 0.35);
        out.save_state();
        out.set_fill_rgb(style.colour.0, style.colour.1, style.colour.2);
        out.begin_text();
        out.set_font(style.face.resource(), style.size);
        out.set_text_matrix([c, s, -s, c, cx + c * dx - s * dy, cy + s * dx + c * dy]);
        out.show(Str(&codes));
        out.end_text();
        out.restore_state();
    }

    fn write(self, streams: &[Vec<u8>], subject: &str) -> Result<Vec<u8>, RenderError> {
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let info = Ref::new(3);
        let regular = Ref::new(4);
        let bold = Ref::new(4 + REFS_PER_FACE);
        let first_page = 4 + 2 * REFS_PER_FACE;
        let page_ref = |i: usize| Ref::new(first_page + 2 * i as i32);
        let content_ref = |i: usize| Ref::new(first_page + 2 * i as i32 + 1);

        let mut pdf = Pdf::new();
        let lang = match self.running.lang {
            Lang::Id => "id-ID",
            Lang::En => "en",
        };
        let mut cat = pdf.catalog(catalog);
        cat.pages(tree).lang(TextStr(lang));
        cat.viewer_preferences().display_doc_title(true);
        cat.finish();
        pdf.pages(tree)
            .kids((0..streams.len()).map(page_ref))
            .count(i32::try_from(streams.len()).unwrap_or(i32::MAX));
        let title = format!("{} — {}", self.running.title, subject);
        pdf.document_info(info)
            .title(TextStr(&title))
            .author(TextStr(self.running.organisation))
            .subject(TextStr(self.running.campaign))
            .producer(TextStr("meritest"));

        let mut id = Sha256::new();
        for (i, stream) in streams.iter().enumerate() {
            id.update(stream);
            let mut page = pdf.page(page_ref(i));
            page.parent(tree)
                .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
                .contents(content_ref(i));
            page.resources()
                .fonts()
                .pair(Face::Regular.resource(), regular)
                .pair(Face::Bold.resource(), bold);
            page.finish();
            pdf.stream(content_ref(i), &super::compress(stream))
                .filter(Filter::FlateDecode);
        }
        self.fonts.write(&mut pdf, [regular, bold])?;

        // The file identifier (PDF 32000-1, 14.4): the first half names the document by its
        // reference, the second this revision by its content; both from the input alone.
        let permanent = Sha256::digest(self.running.reference.as_bytes());
        pdf.set_file_id((permanent[..16].to_vec(), id.finalize()[..16].to_vec()));
        Ok(pdf.finish())
    }
}

fn draw_text(out: &mut Content, x: f32, baseline: f32, style: Style, codes: &[u8]) {
    out.set_fill_rgb(style.colour.0, style.colour.1, style.colour.2);
    out.begin_text();
    out.set_font(style.face.resource(), style.size);
    out.next_line(x, baseline);
    out.show(Str(codes));
    out.end_text();
}

/// `text` shortened with an ellipsis to fit `width`, for the one-line header and footer.
fn fit(fonts: &Fonts, style: Style, text: &str, width: f32) -> String {
    if fonts.width(style.face, style.size, text) <= width {
        return text.to_string();
    }
    let mut out: String = text.to_string();
    while !out.is_empty() && fonts.width(style.face, style.size, &format!("{out}…")) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Doc<'static> {
        Doc::new(Running {
            lang: Lang::Id,
            title: "t",
            organisation: "o",
            campaign: "c",
            reference: "r",
            draft: false,
        })
        .unwrap()
    }

    #[test]
    fn wrapped_lines_fit_their_width_and_keep_every_word() {
        let d = doc();
        let text = "Mampu mengidentifikasi perubahan dan menyesuaikan diri dengan lingkungan kerja yang baru secara konsisten";
        let lines = d.wrap(Style::BODY, text, 120.0);
        assert!(lines.len() > 2, "{lines:?}");
        for line in &lines {
            assert!(d.width(Style::BODY, line) <= 120.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_word_wider_than_the_line_is_split_and_a_newline_always_breaks() {
        let d = doc();
        let lines = d.wrap(Style::BODY, &"x".repeat(200), 50.0);
        assert!(lines.len() > 3);
        assert!(lines.iter().all(|l| d.width(Style::BODY, l) <= 50.0));
        assert_eq!(d.wrap(Style::BODY, "a\nb", 500.0), vec!["a", "b"]);
        assert_eq!(d.wrap(Style::BODY, "", 500.0), vec![""]);
    }

    #[test]
    fn a_long_header_text_is_shortened_with_an_ellipsis() {
        let d = doc();
        let text = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia ".repeat(4);
        let short = fit(&d.fonts, Style::SMALL, &text, 200.0);
        assert!(short.ends_with('…'));
        assert!(d.width(Style::SMALL, &short) <= 200.0);
    }

    #[test]
    fn a_block_that_does_not_fit_starts_a_new_page_but_an_empty_page_takes_anything() {
        let mut d = doc();
        assert!(!d.ensure(5000.0), "an empty page never breaks");
        d.y -= 10.0;
        assert!(d.ensure(5000.0));
        assert_eq!(d.pages.len(), 1);
        assert!(d.at_top());
    }
}
