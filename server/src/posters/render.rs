//! A laid-out poster drawn as a one-page PDF with krilla: text in the embedded, subset PT Sans
//! (extractable, so `pdftotext` and screen readers get the words), the QR code as vector
//! rectangles, the title and the language (`ru`) in the document's metadata.
//!
//! Nothing time- or run-dependent is written, so the same poster is the same bytes every time.

use anyhow::anyhow;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::TextDirection;
use krilla::Document;

use super::fonts::FONTS;
use super::layout::{Area, Item, Page};
use super::qr::{QrMatrix, QUIET_ZONE};

/// The PDF of `page` with `qr` in its QR square.
///
/// # Errors
/// krilla failed to write the document (a font it cannot embed, a limit of the format): a bug,
/// as every input is ours.
pub fn render(page: &Page, qr: &QrMatrix, title: &str) -> anyhow::Result<Vec<u8>> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("ru".to_owned())
            .creator("Отклик".to_owned()),
    );
    let settings = PageSettings::from_wh(page.width, page.height)
        .ok_or_else(|| anyhow!("page of {} × {} pt", page.width, page.height))?;
    let mut pdf_page = document.start_page_with(settings);
    let mut surface = pdf_page.surface();
    // Pure black (grey level 0) for everything: the page prints the same in black and white.
    surface.set_fill(Some(Fill::default()));
    for item in &page.items {
        match item {
            Item::Fill(area) => fill(&mut surface, std::iter::once(*area)),
            Item::Text(line) => surface.draw_text(
                Point::from_xy(line.x, line.baseline),
                FONTS.pdf(line.weight),
                line.size,
                &line.text,
                false,
                TextDirection::Auto,
            ),
            Item::Qr(square) => fill(&mut surface, modules(*square, qr)),
        }
    }
    surface.finish();
    pdf_page.finish();
    document
        .finish()
        .map_err(|e| anyhow!("the PDF was not written: {e}"))
}

/// The code's dark runs as rectangles inside `square`, whose outer 4 modules stay white.
fn modules(square: Area, qr: &QrMatrix) -> impl Iterator<Item = Area> + '_ {
    let module = square.w / qr.side() as f32;
    let quiet = QUIET_ZONE as f32 * module;
    qr.dark_runs().into_iter().map(move |(row, start, len)| {
        let (row, start, len) = (row as f32, start as f32, len as f32);
        Area {
            x: square.x + quiet + start * module,
            y: square.y + quiet + row * module,
            w: len * module,
            h: module,
        }
    })
}

/// Fills the areas as one path: with the non-zero rule, touching rectangles leave no
/// anti-aliasing seam between them.
fn fill(surface: &mut Surface<'_>, areas: impl Iterator<Item = Area>) {
    let mut path = PathBuilder::new();
    for a in areas {
        if let Some(rect) = Rect::from_xywh(a.x, a.y, a.w, a.h) {
            path.push_rect(rect);
        }
    }
    if let Some(path) = path.finish() {
        surface.draw_path(&path);
    }
}
