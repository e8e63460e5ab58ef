//! The posters' typeface: PT Sans Regular and Bold (ParaType, SIL Open Font License 1.1 — see
//! `server/assets/fonts/OFL.txt`), compiled into the binary so a server needs no system fonts.
//!
//! PT Sans was made for the languages of Russia: it covers every character a poster prints
//! (Cyrillic with ё, «», №, —). Each face is parsed once, on first use: as a krilla [`Font`]
//! that the PDF embeds as a subset, and as a rustybuzz face that measures text with the same
//! shaping (kerning included) krilla applies when it draws, so centred and wrapped lines land
//! where the layout put them.

use std::sync::LazyLock;

use krilla::text::Font;

/// Which of the two faces a run of text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// PT Sans Regular.
    Regular,
    /// PT Sans Bold.
    Bold,
}

/// How wide text is: the one thing the layout needs to know about fonts, so that it stays a
/// pure function of its inputs.
pub trait Measure {
    /// The advance width of `text` set at size 1 (in em).
    fn em_width(&self, weight: Weight, text: &str) -> f32;
}

/// One face, ready to draw and to measure.
struct Face {
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    /// Parses a bundled font file. The files are part of the binary and a unit test loads
    /// them, so a failure here is a broken build, not a runtime condition.
    fn bundled(bytes: &'static [u8]) -> Self {
        Self {
            pdf: Font::new(bytes.into(), 0).expect("the bundled PT Sans parses (unit test)"),
            shaper: rustybuzz::Face::from_slice(bytes, 0)
                .expect("the bundled PT Sans parses (unit test)"),
        }
    }

    fn em_width(&self, text: &str) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|g| g.x_advance).sum();
        units as f32 / self.shaper.units_per_em() as f32
    }
}

/// Both faces of PT Sans.
pub struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    /// The font of `weight`, for drawing (a cheap clone of a shared handle).
    pub fn pdf(&self, weight: Weight) -> Font {
        self.face(weight).pdf.clone()
    }

    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

impl Measure for Fonts {
    fn em_width(&self, weight: Weight, text: &str) -> f32 {
        self.face(weight).em_width(text)
    }
}

/// The faces, parsed on first use and shared by every rendering thread.
pub static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts {
    regular: Face::bundled(include_bytes!("../../assets/fonts/PTSans_400Regular.ttf")),
    bold: Face::bundled(include_bytes!("../../assets/fonts/PTSans_700Bold.ttf")),
});

#[cfg(test)]
mod tests {
    use super::{Measure, Weight, FONTS};

    #[test]
    fn both_faces_load_and_measure_cyrillic_with_bold_wider() {
        let text = "Оцените качество услуг";
        let regular = FONTS.em_width(Weight::Regular, text);
        let bold = FONTS.em_width(Weight::Bold, text);
        assert!(regular > 5.0 && regular < 20.0, "{regular} em");
        assert!(bold > regular, "{bold} ≤ {regular}");
        assert!(FONTS.em_width(Weight::Regular, "") == 0.0);
    }
}
