//! Where everything goes on a poster: a pure function from the page format, the texts and a
//! way to measure text to a list of black shapes and lines of text, in points, origin at the
//! top left, y growing down (as krilla draws).
//!
//! The design is drawn once for A4 and scaled to the page (A6 is half of it), with a floor of
//! [`MIN_TEXT`] under every text size so a table tent stays legible. Long names wrap and shrink
//! to fit their lines; the QR code takes what height is left, up to [`QR_MAX`]. Everything is
//! black on white — no colour carries meaning and nothing is grey — so a poster prints the
//! same on any office printer.

use serde::Deserialize;

use super::fonts::{Measure, Weight};
pub use text::TextLine;
use text::{Block, Style};

mod text;

/// The paper a poster is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PosterFormat {
    /// A4 portrait: a poster for a wall or a door.
    #[default]
    A4,
    /// A6 portrait: a table tent for a counter or a desk.
    A6,
}

impl PosterFormat {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Self::A4 => (595.0, 842.0),
            Self::A6 => (298.0, 420.0),
        }
    }

    /// The format as a query names it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A4 => "a4",
            Self::A6 => "a6",
        }
    }
}

/// The headline: what the poster asks of a passer-by.
pub const HEADLINE: &str = "Оцените качество услуг";
/// How to use the code.
pub const HINT: &str = "Наведите камеру телефона на QR-код";
/// Before the URL, for phones that do not scan.
pub const LINK_INTRO: &str = "или откройте ссылку";
/// Why answering is safe.
pub const ANONYMITY: &str = "Опрос анонимный: мы не спрашиваем имя и телефон";

/// The smallest text size on any page, in points: small print stays readable at arm's length.
pub const MIN_TEXT: f32 = 7.0;
/// The largest QR side on A4, quiet zone included (12.7 cm; a module of ~3 mm for a short URL).
pub const QR_MAX: f32 = 360.0;

/// What a poster says besides the fixed texts.
#[derive(Debug, Clone, Copy)]
pub struct PosterText<'a> {
    /// The institution's name.
    pub institution: &'a str,
    /// The department's name, for a point of a department.
    pub department: Option<&'a str>,
    /// The survey's URL: what the QR code encodes, printed for typing.
    pub url: &'a str,
}

/// A rectangle in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// Something drawn on the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A filled black rectangle (the frame, the rule).
    Fill(Area),
    /// A line of black text.
    Text(TextLine),
    /// The QR code's square, quiet zone included; nothing else is drawn inside it.
    Qr(Area),
}

/// A laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Width in points.
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// What to draw, top to bottom.
    pub items: Vec<Item>,
}

const NAME: Style = Style {
    weight: Weight::Bold,
    max: 30.0,
    min: 14.0,
    lines: 4,
};
const DEPARTMENT: Style = Style {
    weight: Weight::Regular,
    max: 18.0,
    min: 11.0,
    lines: 2,
};
const HEADLINE_STYLE: Style = Style {
    weight: Weight::Bold,
    max: 40.0,
    min: 20.0,
    lines: 2,
};
const HINT_STYLE: Style = Style {
    weight: Weight::Regular,
    max: 20.0,
    min: 12.0,
    lines: 2,
};
const INTRO_STYLE: Style = Style {
    weight: Weight::Regular,
    max: 16.0,
    min: 10.0,
    lines: 1,
};
const URL_STYLE: Style = Style {
    weight: Weight::Bold,
    max: 22.0,
    min: 9.0,
    lines: 3,
};
const ANONYMITY_STYLE: Style = Style {
    weight: Weight::Regular,
    max: 14.0,
    min: 9.0,
    lines: 2,
};

/// The A4 design's page, frame and margins, in points.
const A4_WIDTH: f32 = 595.0;
const A4_HEIGHT: f32 = 842.0;
const FRAME_INSET: f32 = 20.0;
const FRAME_WIDTH: f32 = 2.0;
const MARGIN: f32 = 44.0;
const RULE: (f32, f32) = (140.0, 3.0);

/// A piece of the poster's column, top to bottom.
enum Piece {
    /// Centred lines of text.
    Text(Block),
    /// Blank space, in A4 points.
    Gap(f32),
    /// The short black rule under the name.
    Rule,
    /// The QR code.
    Qr,
    /// An equal share of the height the QR code leaves.
    Slack,
}

/// Lays out one poster.
pub fn layout(format: PosterFormat, text: &PosterText<'_>, measure: &impl Measure) -> Page {
    let (width, height) = format.size();
    let s = (width / A4_WIDTH).min(height / A4_HEIGHT);
    let content = width - 2.0 * MARGIN * s;
    let set = |style: &Style, text: &str| Piece::Text(Block::set(style, text, s, content, measure));

    let mut pieces = vec![set(&NAME, text.institution)];
    if let Some(department) = text.department {
        pieces.extend([Piece::Gap(8.0), set(&DEPARTMENT, department)]);
    }
    pieces.extend([
        Piece::Gap(14.0),
        Piece::Rule,
        Piece::Gap(18.0),
        set(&HEADLINE_STYLE, HEADLINE),
        Piece::Gap(6.0),
        set(&HINT_STYLE, HINT),
        Piece::Gap(14.0),
        Piece::Slack,
        Piece::Qr,
        Piece::Slack,
        Piece::Gap(12.0),
        set(&INTRO_STYLE, LINK_INTRO),
        Piece::Gap(2.0),
        set(&URL_STYLE, text.url),
        Piece::Gap(14.0),
        set(&ANONYMITY_STYLE, ANONYMITY),
    ]);
    let fixed: f32 = pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(block) => block.height(),
            Piece::Gap(gap) => gap * s,
            Piece::Rule => RULE.1 * s,
            Piece::Qr | Piece::Slack => 0.0,
        })
        .sum();
    let free = height - 2.0 * MARGIN * s - fixed;
    let qr = free.min(QR_MAX * s).min(content).max(0.0);
    // What the code does not take is shared above and below it, so it sits in the middle.
    let slack = (free - qr) / 2.0;

    let mut items = frame(width, height, s);
    let mut y = MARGIN * s;
    for piece in &pieces {
        y = match piece {
            Piece::Text(block) => block.place(y, width, &mut items),
            Piece::Gap(gap) => y + gap * s,
            Piece::Rule => {
                let (w, h) = (RULE.0 * s, RULE.1 * s);
                items.push(Item::Fill(Area {
                    x: (width - w) / 2.0,
                    y,
                    w,
                    h,
                }));
                y + h
            }
            Piece::Qr => {
                items.push(Item::Qr(Area {
                    x: (width - qr) / 2.0,
                    y,
                    w: qr,
                    h: qr,
                }));
                y + qr
            }
            Piece::Slack => y + slack,
        };
    }
    Page {
        width,
        height,
        items,
    }
}

/// The black frame around the page's content: a border to cut along and to hold the eye.
fn frame(width: f32, height: f32, s: f32) -> Vec<Item> {
    let (inset, t) = (FRAME_INSET * s, (FRAME_WIDTH * s).max(1.0));
    let (w, h) = (width - 2.0 * inset, height - 2.0 * inset);
    [
        (inset, inset, w, t),
        (inset, height - inset - t, w, t),
        (inset, inset, t, h),
        (width - inset - t, inset, t, h),
    ]
    .into_iter()
    .map(|(x, y, w, h)| Item::Fill(Area { x, y, w, h }))
    .collect()
}

#[cfg(test)]
mod tests;
