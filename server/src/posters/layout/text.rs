//! Setting text: a block of centred lines at the largest size that fits, words wrapped
//! greedily and measured once however many sizes are tried.

use super::{Area, Item, MIN_TEXT};
use crate::posters::fonts::{Measure, Weight};

/// One line of text, drawn from `x` on its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// The face.
    pub weight: Weight,
    /// Size in points.
    pub size: f32,
    /// Left edge of the line.
    pub x: f32,
    /// Baseline.
    pub baseline: f32,
    /// Measured width.
    pub width: f32,
    /// The text.
    pub text: String,
}

/// Ascender and descender of PT Sans, in em: the box a line of text occupies.
const ASCENT: f32 = 1.02;
const DESCENT: f32 = 0.28;
/// Baseline to baseline, in em: the ascender and descender of two lines just touch.
const LEADING: f32 = 1.3;

impl TextLine {
    /// The box the line's glyphs may occupy.
    pub fn area(&self) -> Area {
        Area {
            x: self.x,
            y: self.baseline - ASCENT * self.size,
            w: self.width,
            h: (ASCENT + DESCENT) * self.size,
        }
    }
}

/// A block of text: its face, its size range on A4 and how many lines it may take.
pub(super) struct Style {
    pub(super) weight: Weight,
    pub(super) max: f32,
    pub(super) min: f32,
    pub(super) lines: usize,
}

/// A block of text set at one size in centred lines.
pub(super) struct Block {
    size: f32,
    lines: Vec<(String, f32)>,
    weight: Weight,
}

impl Block {
    /// Sets `text` at the largest size (in half points) of the style's range, scaled by `s`,
    /// that fits its lines within `width`; at the smallest size, lines past the style's count
    /// are cut and the last one ends in «…».
    pub(super) fn set(
        style: &Style,
        text: &str,
        s: f32,
        width: f32,
        measure: &impl Measure,
    ) -> Self {
        let max = (style.max * s).max(MIN_TEXT);
        let min = (style.min * s).max(MIN_TEXT);
        let words = Words::measure(style.weight, text, width / min, measure);
        let mut size = max;
        let mut lines = words.wrap(width / size);
        while lines.as_ref().is_none_or(|l| l.len() > style.lines) && size > min {
            size = (size - 0.5).max(min);
            lines = words.wrap(width / size);
        }
        // At the smallest size every word fits or can be broken: `wrap` gives lines.
        let mut lines = lines.unwrap_or_default();
        if lines.len() > style.lines {
            lines.truncate(style.lines);
            if let Some(last) = lines.last_mut() {
                *last = ellipsis(last, style.weight, width / size, measure);
            }
        }
        let lines = lines
            .into_iter()
            .map(|line| {
                let w = measure.em_width(style.weight, &line) * size;
                (line, w)
            })
            .collect();
        Self {
            size,
            lines,
            weight: style.weight,
        }
    }

    pub(super) fn height(&self) -> f32 {
        let n = self.lines.len().max(1) as f32;
        self.size * (ASCENT + (n - 1.0) * LEADING + DESCENT)
    }

    /// Adds the lines from `top` down, centred on the page; returns the block's bottom.
    pub(super) fn place(&self, top: f32, page_width: f32, items: &mut Vec<Item>) -> f32 {
        let mut baseline = top + ASCENT * self.size;
        for (text, width) in &self.lines {
            items.push(Item::Text(TextLine {
                weight: self.weight,
                size: self.size,
                x: (page_width - width) / 2.0,
                baseline,
                width: *width,
                text: text.clone(),
            }));
            baseline += LEADING * self.size;
        }
        top + self.height()
    }
}

/// The words of a text with their widths in em, measured once for every size tried.
struct Words<'a> {
    words: Vec<Word<'a>>,
    space: f32,
}

struct Word<'a> {
    text: &'a str,
    em: f32,
    /// Each character's width, only for a word too wide for a line at the smallest size
    /// (a URL): it is broken between characters.
    chars: Vec<(char, f32)>,
}

impl<'a> Words<'a> {
    fn measure(weight: Weight, text: &'a str, widest: f32, measure: &impl Measure) -> Self {
        let words = text
            .split_whitespace()
            .map(|w| {
                let em = measure.em_width(weight, w);
                let chars = if em > widest {
                    w.chars()
                        .map(|c| (c, measure.em_width(weight, c.encode_utf8(&mut [0; 4]))))
                        .collect()
                } else {
                    Vec::new()
                };
                Word { text: w, em, chars }
            })
            .collect();
        Self {
            words,
            space: measure.em_width(weight, " "),
        }
    }

    /// Greedy word wrap into lines at most `max` em wide; a word wider than a line is broken
    /// between characters where it was measured so (see [`Word::chars`]), else `None`: the
    /// size is too large.
    fn wrap(&self, max: f32) -> Option<Vec<String>> {
        let mut lines = Vec::new();
        let (mut line, mut used) = (String::new(), 0.0);
        for word in &self.words {
            let needed = if line.is_empty() {
                word.em
            } else {
                used + self.space + word.em
            };
            if needed <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word.text);
                used = needed;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word.em <= max {
                line.push_str(word.text);
                used = word.em;
                continue;
            }
            if word.chars.is_empty() {
                return None;
            }
            used = 0.0;
            for &(c, em) in &word.chars {
                if used + em > max && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0.0;
                }
                line.push(c);
                used += em;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        Some(lines)
    }
}

/// `line` shortened to end in «…» within `max` em.
fn ellipsis(line: &str, weight: Weight, max: f32, measure: &impl Measure) -> String {
    let mut kept: Vec<char> = line.chars().collect();
    loop {
        let candidate: String = kept.iter().collect::<String>().trim_end().to_owned() + "…";
        if kept.is_empty() || measure.em_width(weight, &candidate) <= max {
            return candidate;
        }
        kept.pop();
    }
}
