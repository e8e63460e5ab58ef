//! A point's QR code: the matrix, its SVG and its PNG.
//!
//! Error correction is level M (15 % of the code may be lost — a scuffed or folded poster
//! still scans); every image keeps the standard quiet zone of 4 light modules around the code,
//! without which phone cameras often fail to find it.

use std::num::NonZeroUsize;

use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code on every side, as the QR standard asks.
pub const QUIET_ZONE: usize = 4;

/// The smallest and largest PNG width served, in pixels: below 64 px a phone cannot read a
/// version-3 code off a screen; above 4096 px the image is only memory (16 MB of pixels).
pub const PNG_SIZES: std::ops::RangeInclusive<u32> = 64..=4096;

/// The PNG width when none is asked for.
pub const DEFAULT_PNG_SIZE: u32 = 512;

/// The module grid of one encoded text.
pub struct QrMatrix {
    code: QrCode,
    modules: Vec<Color>,
}

/// A row's run of dark modules: `(row, first column, length)`, without the quiet zone.
pub type Run = (usize, usize, usize);

impl QrMatrix {
    /// Encodes `text` at error correction level M.
    ///
    /// # Errors
    /// The text is too long for any QR version (thousands of bytes).
    pub fn encode(text: &str) -> Result<Self, qrcode::types::QrError> {
        let code = QrCode::with_error_correction_level(text, EcLevel::M)?;
        Ok(Self {
            modules: code.to_colors(),
            code,
        })
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.code.width()
    }

    /// Modules per side with the quiet zone: the square a printed code needs.
    pub fn side(&self) -> usize {
        self.width() + 2 * QUIET_ZONE
    }

    fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width() && y < self.width() && self.modules[y * self.width() + x] == Color::Dark
    }

    /// The dark modules, merged into one horizontal run per stretch of a row: a printer fills
    /// one rectangle per run, so no hairline seams show between neighbouring modules.
    pub fn dark_runs(&self) -> Vec<Run> {
        let n = self.width();
        let mut runs = Vec::new();
        for y in 0..n {
            let mut x = 0;
            while x < n {
                if self.is_dark(x, y) {
                    let start = x;
                    while x < n && self.is_dark(x, y) {
                        x += 1;
                    }
                    runs.push((y, start, x - start));
                } else {
                    x += 1;
                }
            }
        }
        runs
    }

    /// The code as an SVG document with a `viewBox`, 10 units per module, quiet zone included.
    pub fn to_svg(&self) -> String {
        self.code
            .render::<svg::Color<'_>>()
            .quiet_zone(true)
            .module_dimensions(10, 10)
            .build()
    }

    /// The code as an 8-bit greyscale PNG exactly `size` pixels wide and high.
    ///
    /// Each module is a whole number of pixels whenever `size` allows one pixel per module:
    /// the code with its quiet zone is scaled by the largest integer that fits and centred, the
    /// few pixels left over widening the quiet zone. Only below one pixel per module (a size
    /// under the code's width) is it sampled to the nearest module.
    ///
    /// # Errors
    /// The PNG encoder failed (it writes to memory, so only on a bug).
    pub fn to_png(&self, size: u32) -> Result<Vec<u8>, png::EncodingError> {
        let side = self.side();
        let pixels = size as usize;
        let scale = pixels / side;
        let offset = (pixels - scale * side) / 2;
        // The module (with the quiet zone's offset) a pixel coordinate falls on, if any.
        let module = |p: usize| -> Option<usize> {
            let m = match NonZeroUsize::new(scale) {
                Some(scale) => p.checked_sub(offset)? / scale,
                None => p * side / pixels,
            };
            m.checked_sub(QUIET_ZONE)
        };
        let columns: Vec<Option<usize>> = (0..pixels).map(module).collect();
        let mut grey = vec![255u8; pixels * pixels];
        for (row, line) in grey.chunks_exact_mut(pixels).enumerate() {
            let Some(y) = columns[row] else { continue };
            for (pixel, x) in line.iter_mut().zip(&columns) {
                if x.is_some_and(|x| self.is_dark(x, y)) {
                    *pixel = 0;
                }
            }
        }
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, size, size);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&grey)?;
        writer.finish()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::{QrMatrix, QUIET_ZONE};

    const URL: &str = "https://otklik.example.ru/q/mfc-kazan-1";

    fn decode_png(png_bytes: &[u8]) -> (u32, String) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Grayscale);
        let w = info.width as usize;
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(w, info.height as usize, |x, y| {
                buf[y * w + x]
            });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        (info.width, grids[0].decode().unwrap().1)
    }

    #[test]
    fn the_png_is_exactly_the_size_asked_and_decodes_to_the_text() {
        let qr = QrMatrix::encode(URL).unwrap();
        for size in [64, 100, 512, 1000] {
            let (width, text) = decode_png(&qr.to_png(size).unwrap());
            assert_eq!((width, text.as_str()), (size, URL), "size {size}");
        }
    }

    #[test]
    fn modules_are_whole_pixels_with_the_leftover_in_the_quiet_zone() {
        let qr = QrMatrix::encode(URL).unwrap();
        let side = qr.side() as u32;
        let size = side * 10 + 3;
        let png_bytes = qr.to_png(size).unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(&png_bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut buf).unwrap();
        let row = (QUIET_ZONE as u32 * 10 + 1 + 5) as usize; // inside the top finder's first row
        let line = &buf[row * size as usize..(row + 1) * size as usize];
        let first_dark = line.iter().position(|&p| p == 0).unwrap();
        assert_eq!(
            first_dark,
            QUIET_ZONE * 10 + 1,
            "4 modules of 10 px + 1 px of 3 left over"
        );
        // The finder's top row is 7 dark modules: 70 dark pixels in a row.
        assert!(line[first_dark..first_dark + 70].iter().all(|&p| p == 0));
        assert_eq!(line[first_dark + 70], 255);
    }

    #[test]
    fn runs_cover_exactly_the_dark_modules_and_the_svg_has_a_view_box() {
        let qr = QrMatrix::encode(URL).unwrap();
        let dark_in_runs: usize = qr.dark_runs().iter().map(|r| r.2).sum();
        let dark = (0..qr.width())
            .flat_map(|y| (0..qr.width()).map(move |x| (x, y)))
            .filter(|&(x, y)| qr.is_dark(x, y))
            .count();
        assert_eq!(dark_in_runs, dark);
        assert_eq!(qr.width(), 29, "a 39-byte URL at level M is version 3");
        let svg = qr.to_svg();
        let side = qr.side() * 10;
        assert!(
            svg.contains(&format!("viewBox=\"0 0 {side} {side}\"")),
            "{svg}"
        );
    }
}
