//! Poster benchmark, recorded in `docs/benchmarks.md`: one poster PDF, and `posters.zip` of 500
//! points, through the service code the routes call, against baselines measured in the same run.
//!
//! ```sh
//! cargo run --release -p otklik-server --example posters_bench
//! ```
//!
//! 1. **One poster** — `render_poster` (QR, layout, krilla PDF with the PT Sans subsets) for
//!    each of the 500 points, A4 and A6: p50 and p95 of single renders; beside it, the same
//!    point's QR SVG alone (encode + SVG), the cheapest image the same code serves.
//! 2. **posters.zip of 500 points** — `stream_archive` as the route uses it (rendering on a
//!    blocking thread, 64 KiB chunks through the channel), read to the end: total time, time to
//!    the first chunk, bytes. Baselines: the same 500 PDFs rendered beforehand and written
//!    (a) stored, without deflate, (b) deflated as the archive does — so the archive's own cost
//!    over rendering is visible.
//! 3. Peak RSS of the process (`VmHWM`) before and after the archive: the archive is streamed,
//!    so it does not grow with the number of points.
//!
//! Names alternate between a short one and one of 160 characters (three lines on A4), as a
//! region's list does.

use std::io::Write;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use otklik_server::db::points::PosterPointRow;
use otklik_server::posters::archive::stream_archive;
use otklik_server::posters::qr::QrMatrix;
use otklik_server::posters::{point_url, render_poster, PosterFormat};
use otklik_shared::org::OrgPath;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const POINTS: usize = 500;
const PUBLIC_URL: &str = "https://otklik.example.ru";

fn points() -> Vec<PosterPointRow> {
    (0..POINTS)
        .map(|i| PosterPointRow {
            code: format!("inst-{i:03}-hall"),
            institution: if i % 2 == 0 {
                format!("КЦСОН «Заречье» № {i}")
            } else {
                format!(
                    "Государственное бюджетное учреждение социального обслуживания населения \
                     Тестовой области «Комплексный центр социального обслуживания № {i}»"
                )
            },
            department: (i % 5 == 0).then(|| "Отделение социального обслуживания на дому".into()),
            org_path: OrgPath::parse(&format!("/1/{}/", i + 2)).expect("a path"),
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// `(p50, p95)` of `work` run once per point.
fn timed(points: &[PosterPointRow], mut work: impl FnMut(&PosterPointRow)) -> (Duration, Duration) {
    let mut times: Vec<Duration> = points
        .iter()
        .map(|p| {
            let start = Instant::now();
            work(p);
            start.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The given PDFs in a ZIP written to nowhere, with `method`; the time it took.
fn zip_of(pdfs: &[(String, Vec<u8>)], method: CompressionMethod) -> (Duration, u64) {
    let start = Instant::now();
    let mut zip = ZipWriter::new_stream(Counter(0));
    let options = SimpleFileOptions::default().compression_method(method);
    for (code, pdf) in pdfs {
        zip.start_file(format!("{code}.pdf"), options)
            .expect("entry");
        zip.write_all(pdf).expect("write");
    }
    let bytes = zip.finish().expect("finish").into_inner().0;
    (start.elapsed(), bytes)
}

/// A writer that counts.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0 += data.len() as u64;
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::main]
async fn main() {
    let points = points();
    // Warm-up: fonts parsed, code paths paged in.
    render_poster(&points[1], PUBLIC_URL, PosterFormat::A4).expect("a poster");

    println!("1. one poster, {POINTS} points (short and long names)");
    let svg = timed(&points, |p| {
        let qr = QrMatrix::encode(&point_url(PUBLIC_URL, &p.code)).expect("QR");
        std::hint::black_box(qr.to_svg());
    });
    println!(
        "   QR SVG alone (baseline)   p50 {}  p95 {}",
        ms(svg.0),
        ms(svg.1)
    );
    for format in [PosterFormat::A4, PosterFormat::A6] {
        let (p50, p95) = timed(&points, |p| {
            std::hint::black_box(render_poster(p, PUBLIC_URL, format).expect("a poster"));
        });
        println!(
            "   poster {:?}                 p50 {}  p95 {}  ({:.0}× the SVG at p50)",
            format,
            ms(p50),
            ms(p95),
            p50.as_secs_f64() / svg.0.as_secs_f64()
        );
    }

    println!("2. posters.zip of {POINTS} points");
    let rss_before = peak_rss_kib();
    let start = Instant::now();
    let mut stream = stream_archive(points.clone(), PUBLIC_URL.to_owned());
    let mut first = None;
    let mut bytes = 0u64;
    while let Some(chunk) = stream.next().await {
        first.get_or_insert_with(|| start.elapsed());
        bytes += chunk.expect("a chunk").len() as u64;
    }
    let streamed = start.elapsed();
    let rss_after = peak_rss_kib();
    println!(
        "   stream_archive (as served)  {:.2} s, first chunk after {}, {:.1} MB",
        streamed.as_secs_f64(),
        ms(first.unwrap_or_default()),
        bytes as f64 / 1e6
    );

    let start = Instant::now();
    let pdfs: Vec<(String, Vec<u8>)> = points
        .iter()
        .map(|p| {
            let pdf = render_poster(p, PUBLIC_URL, PosterFormat::A4).expect("a poster");
            (p.code.clone(), pdf)
        })
        .collect();
    let rendering = start.elapsed();
    let (stored, stored_bytes) = zip_of(&pdfs, CompressionMethod::Stored);
    let (deflated, deflated_bytes) = zip_of(&pdfs, CompressionMethod::Deflated);
    println!(
        "   baseline: rendering the 500 PDFs alone {:.2} s",
        rendering.as_secs_f64()
    );
    println!(
        "   baseline: zipping them stored {}  ({:.1} MB), deflated {} ({:.1} MB)",
        ms(stored),
        stored_bytes as f64 / 1e6,
        ms(deflated),
        deflated_bytes as f64 / 1e6
    );
    println!(
        "   ratio streamed archive / (rendering + stored zip) = {:.2}",
        streamed.as_secs_f64() / (rendering + stored).as_secs_f64()
    );
    println!(
        "3. peak RSS {:.1} MB before the archive, {:.1} MB after it ({} KiB growth); \
         all {} PDFs held in memory for the baselines: {:.1} MB",
        rss_before as f64 / 1024.0,
        rss_after as f64 / 1024.0,
        rss_after.saturating_sub(rss_before),
        pdfs.len(),
        pdfs.iter().map(|(_, p)| p.len()).sum::<usize>() as f64 / 1e6
    );
}
