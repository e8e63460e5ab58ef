//! `posters.zip`: one A4 poster per point, written as the client downloads it.
//!
//! A region has hundreds of points and each poster takes milliseconds to render, so the archive
//! is never built whole: a blocking thread renders one poster at a time into a streaming
//! [`ZipWriter`] (local headers with data descriptors, no seeking back), whose bytes go out in
//! [`CHUNK`]-sized pieces through a channel of [`IN_FLIGHT`] places. The client gets the first
//! bytes after the first poster; memory stays at about one PDF plus the chunks in flight, and a
//! slow client slows the renderer instead of filling memory. If the client leaves, the next send
//! fails and rendering stops.

use std::io::{self, Write};

use chrono::{Datelike, Timelike, Utc};
use futures_util::stream::{self, BoxStream, StreamExt};
use tokio::sync::mpsc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{render_poster, PosterFormat};
use crate::db::points::PosterPointRow;

/// Bytes handed to the HTTP body at a time.
const CHUNK: usize = 64 * 1024;
/// Chunks waiting for the client at most.
const IN_FLIGHT: usize = 4;

/// Writes the archive of `points` (`<code>.pdf`, A4, in the given order) to `out`, entries
/// dated `modified`, and returns `out`.
///
/// # Errors
/// A poster failed to render, or `out` refused a write (the client went away).
pub fn write_archive<W: Write>(
    points: &[PosterPointRow],
    public_url: &str,
    modified: zip::DateTime,
    out: W,
) -> anyhow::Result<W> {
    let mut zip = ZipWriter::new_stream(out);
    // Deflate gains little on PDFs (their streams are compressed already) but costs little too.
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(modified);
    for point in points {
        let pdf = render_poster(point, public_url, PosterFormat::A4)?;
        zip.start_file(format!("{}.pdf", point.code), options)?;
        zip.write_all(&pdf)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The archive of `points` as a stream of chunks, rendered on a blocking thread as the stream is
/// read. A failure mid-way ends the stream with an error, so the client sees a broken download
/// rather than a short archive that looks whole.
pub fn stream_archive(
    points: Vec<PosterPointRow>,
    public_url: String,
) -> BoxStream<'static, io::Result<Vec<u8>>> {
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    tokio::task::spawn_blocking(move || {
        let sink = ChunkSender {
            tx: tx.clone(),
            buf: Vec::with_capacity(CHUNK),
            gone: false,
        };
        let written =
            write_archive(&points, &public_url, now(), sink).and_then(|mut sink| Ok(sink.flush()?));
        match written {
            Ok(()) => tracing::info!(points = points.len(), "posters archive sent"),
            Err(_) if tx.is_closed() => {
                tracing::info!(
                    points = points.len(),
                    "posters archive abandoned by the client"
                );
            }
            Err(e) => {
                tracing::error!(error = ?e, "posters archive failed");
                // The receiver may be gone by now; then nobody needs telling.
                let _ = tx.blocking_send(Err(io::Error::other("the archive could not be written")));
            }
        }
    });
    stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    })
    .boxed()
}

/// The current time as a ZIP timestamp (UTC; ZIP stores no zone), 1980-01-01 if out of range.
fn now() -> zip::DateTime {
    let t = Utc::now();
    let small = |v: u32| u8::try_from(v).unwrap_or(0);
    u16::try_from(t.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                small(t.month()),
                small(t.day()),
                small(t.hour()),
                small(t.minute()),
                small(t.second()),
            )
            .ok()
        })
        .unwrap_or_default()
}

/// A writer that hands its bytes to the channel in [`CHUNK`]s, waiting while the channel is
/// full (it runs on a blocking thread).
///
/// Once the client has gone, the first write says so (the archive stops) and later ones are
/// dropped quietly: the `ZipWriter` finishes the archive when it is dropped, into nowhere.
struct ChunkSender {
    tx: mpsc::Sender<io::Result<Vec<u8>>>,
    buf: Vec<u8>,
    gone: bool,
}

impl ChunkSender {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() || self.gone {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            self.gone = true;
            io::Error::new(io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl Write for ChunkSender {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.gone {
            return Ok(data.len());
        }
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}
