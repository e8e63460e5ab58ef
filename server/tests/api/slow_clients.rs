//! Connection limits against hostile clients, driven by raw sockets: an oversized request head
//! is refused with 431, a client that drips its head is cut off with 408 while others are
//! served, and an idle keep-alive connection is closed (README «Connection limits»).
//!
//! SQLite only: the limits live in the HTTP layer, before any handler runs; the one route used,
//! `/healthz`, only pings the database, so the backend changes nothing that is tested here.
//!
//! No assertion is a benchmark. Each wait has a correctness bound many times what a working
//! server needs; the bounds that tell our settings from actix-web's defaults (5 s for both the
//! head and keep-alive) leave three seconds of slack to a test configured with 1 s.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::helpers::{spawn_app, spawn_app_with, Backend, TestApp};

/// actix-http's fixed bound on a request head (its `MAX_BUFFER_SIZE`), not configurable.
const HEAD_LIMIT: usize = 128 * 1024;

/// The longest any single exchange may take before the test calls it hung.
const HUNG: Duration = Duration::from_secs(30);

/// Seconds the tests give a client for its head and an idle connection: far below actix-web's
/// own 5 s, so a test sees whether the setting reached the server.
const TEST_LIMIT_SECS: u64 = 1;

/// actix-http sets its deadlines from a clock cached for 500 ms and refreshed by a task that may
/// itself run late, so a deadline may fall that much and a little more before the configured
/// time (499 ms early was seen under load): the lower bounds allow 750 ms.
const CLOCK_SLACK: Duration = Duration::from_millis(750);

/// A server-side limit that fired: what the client had sent, how long it was held, the reply.
struct Cut {
    sent: usize,
    held: Duration,
    reply: String,
}

async fn connect(app: &TestApp) -> TcpStream {
    let addr = app.address.trim_start_matches("http://");
    TcpStream::connect(addr).await.expect("connect")
}

/// Reads until the server closes the connection, bounded by [`HUNG`].
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut reply = Vec::new();
    let read = timeout(HUNG, stream.read_to_end(&mut reply)).await;
    assert!(
        read.is_ok(),
        "the server kept the connection open past {HUNG:?}"
    );
    String::from_utf8_lossy(&reply).into_owned()
}

/// Sends `request` whole and returns the reply, read until the server closes.
async fn exchange(app: &TestApp, request: &[u8]) -> String {
    let mut stream = connect(app).await;
    stream.write_all(request).await.expect("send");
    read_until_closed(&mut stream).await
}

fn status(reply: &str) -> &str {
    reply.get(9..12).unwrap_or(reply)
}

/// A `/healthz` request whose head is `size` bytes long, padded by one header.
fn padded_head(size: usize) -> Vec<u8> {
    let start = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\nX-Pad: ";
    let end = "\r\n\r\n";
    let mut head = start.as_bytes().to_vec();
    head.resize(size - end.len(), b'a');
    head.extend_from_slice(end.as_bytes());
    head
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_over_128_kib_or_with_over_96_headers_is_431_and_the_server_goes_on() {
    // Arrange
    let app = spawn_app(Backend::Sqlite).await;
    let mut many = b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n".to_vec();
    // Host, Connection and 94 more: 96, actix-http's fixed maximum.
    for i in 0..94 {
        many.extend_from_slice(format!("X-H{i}: 1\r\n").as_bytes());
    }
    let mut too_many = many.clone();
    many.extend_from_slice(b"\r\n");
    too_many.extend_from_slice(b"X-Last: 1\r\n\r\n");
    // Exactly the limit and unfinished: the server reads every byte before it answers, so its
    // close is a clean FIN. Unread bytes left behind would turn it into a reset that may
    // destroy the 431 before the client reads it.
    let mut over = padded_head(HEAD_LIMIT + 64);
    over.truncate(HEAD_LIMIT);

    // Act
    let under = exchange(&app, &padded_head(HEAD_LIMIT - 1024)).await;
    let over = exchange(&app, &over).await;
    let many = exchange(&app, &many).await;
    let too_many = exchange(&app, &too_many).await;
    let after = app.get("/healthz").await;

    // Assert
    assert_eq!(
        status(&under),
        "200",
        "a head of 127 KiB is served: {under:.80}"
    );
    assert_eq!(status(&over), "431", "a head of 128 KiB: {over:.80}");
    assert_eq!(status(&many), "200", "96 headers are served: {many:.80}");
    assert_eq!(status(&too_many), "431", "97 headers: {too_many:.80}");
    assert_eq!(after.status(), 200, "the server goes on after the 431s");
}

/// The head a slow client drips: about 60 bytes, a minute at one byte a second.
const SLOW_HEAD: &[u8] =
    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris\r\n\r\n";

/// Sends `head` one byte a second on `stream`, connected at `start`, until the server answers
/// or closes.
async fn drip(mut stream: TcpStream, start: Instant, head: &[u8]) -> Cut {
    let mut sent = 0;
    let mut first = [0u8; 1024];
    for byte in head {
        if stream.write_all(&[*byte]).await.is_err() {
            break;
        }
        sent += 1;
        match timeout(Duration::from_secs(1), stream.read(&mut first)).await {
            Err(_) => continue,
            Ok(Ok(n)) => {
                let reply = String::from_utf8_lossy(&first[..n]).into_owned();
                let rest = if n == 0 {
                    String::new()
                } else {
                    read_until_closed(&mut stream).await
                };
                return Cut {
                    sent,
                    held: start.elapsed(),
                    reply: reply + &rest,
                };
            }
            Ok(Err(e)) => panic!("the server reset a slow client instead of answering: {e}"),
        }
    }
    panic!("a slow client sent its whole head ({sent} bytes) and was never cut off");
}

/// Checks a cut slow client: 408 and closed, not before the deadline, before actix-web's own.
fn assert_cut_by_our_deadline(cut: &Cut) {
    assert_eq!(status(&cut.reply), "408", "reply {:?}", cut.reply);
    let limit = Duration::from_secs(TEST_LIMIT_SECS);
    assert!(
        cut.held + CLOCK_SLACK >= limit,
        "cut after {:?}, before the {limit:?} limit",
        cut.held
    );
    assert!(
        cut.sent < 5,
        "{} bytes sent at one a second: the 5 s default, not our {limit:?}, is in force",
        cut.sent
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_dripping_their_head_are_cut_off_while_others_are_served() {
    // Arrange: 50 slots of slow clients; each reconnects when cut, until the test ends.
    const SLOTS: usize = 50;
    const CUTS_PER_SLOT: usize = 2;
    let app = Arc::new(
        spawn_app_with(Backend::Sqlite, |s| {
            s.serve.request_head_timeout = TEST_LIMIT_SECS;
        })
        .await,
    );
    let stop = Arc::new(AtomicBool::new(false));
    let connected = Arc::new(tokio::sync::Barrier::new(SLOTS + 1));
    let cuts: Arc<Vec<AtomicUsize>> = Arc::new((0..SLOTS).map(|_| AtomicUsize::new(0)).collect());
    let slots: Vec<_> = (0..SLOTS)
        .map(|slot| {
            let (app, stop, connected, cuts) =
                (app.clone(), stop.clone(), connected.clone(), cuts.clone());
            tokio::spawn(async move {
                let mut seen = Vec::new();
                // The server's clock starts at the connection, before the wait for the others.
                let mut start = Instant::now();
                let mut stream = connect(&app).await;
                connected.wait().await;
                loop {
                    seen.push(drip(stream, start, SLOW_HEAD).await);
                    cuts[slot].fetch_add(1, Ordering::SeqCst);
                    if stop.load(Ordering::SeqCst) {
                        return seen;
                    }
                    start = Instant::now();
                    stream = connect(&app).await;
                }
            })
        })
        .collect();
    connected.wait().await;

    // Act: normal clients, one request at a time each, until every slot was cut twice.
    let all_cut = || {
        cuts.iter()
            .all(|c| c.load(Ordering::SeqCst) >= CUTS_PER_SLOT)
    };
    let normal = (0..4).map(|_| {
        let app = app.clone();
        async move {
            let mut served = 0usize;
            while !all_cut() {
                let reply = timeout(HUNG, app.get("/healthz")).await;
                let status = reply
                    .expect("a normal request waited past the bound")
                    .status();
                assert_eq!(
                    status, 200,
                    "a normal request failed while slow clients were held"
                );
                served += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            served
        }
    });
    let served = timeout(Duration::from_secs(120), futures::future::join_all(normal))
        .await
        .expect("slow clients still held after 120 s: the head timeout did not cut them off");
    stop.store(true, Ordering::SeqCst);
    let mut slow = Vec::new();
    for slot in slots {
        slow.extend(slot.await.expect("a slow client panicked"));
    }

    // Assert
    let served: usize = served.iter().sum();
    assert!(served > 0, "no normal request was made");
    assert!(slow.len() >= SLOTS * CUTS_PER_SLOT);
    for cut in &slow {
        assert_cut_by_our_deadline(cut);
    }
    eprintln!(
        "{served} normal requests served, {} slow connections cut off, longest held {:?}",
        slow.len(),
        slow.iter().map(|c| c.held).max()
    );
}

/// Reads one `/healthz` reply on a keep-alive connection (its body is the only `}`).
async fn read_reply(stream: &mut TcpStream) -> String {
    let mut reply = Vec::new();
    let mut buf = [0u8; 1024];
    while !reply.ends_with(b"}") {
        let n = timeout(HUNG, stream.read(&mut buf))
            .await
            .expect("no reply within the bound")
            .expect("read");
        assert!(n > 0, "closed before the reply ended: {reply:?}");
        reply.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&reply).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout() {
    // Arrange
    let app = spawn_app_with(Backend::Sqlite, |s| s.serve.keep_alive = TEST_LIMIT_SECS).await;
    let mut stream = connect(&app).await;
    let request = b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";

    // Act: two requests back to back on one connection, then silence.
    stream.write_all(request).await.expect("send");
    let first = read_reply(&mut stream).await;
    stream.write_all(request).await.expect("send again");
    let second = read_reply(&mut stream).await;
    let idle = Instant::now();
    let rest = read_until_closed(&mut stream).await;
    let held = idle.elapsed();

    // Assert
    assert_eq!(status(&first), "200", "{first}");
    assert_eq!(status(&second), "200", "the connection is reused: {second}");
    assert_eq!(rest, "", "closed without another reply");
    let limit = Duration::from_secs(TEST_LIMIT_SECS);
    assert!(held + CLOCK_SLACK >= limit, "closed after {held:?}");
    assert!(
        held < Duration::from_secs(4),
        "idle for {held:?}: the 5 s default, not our {limit:?}, is in force"
    );
}

/// A known hole, kept as the test that proves it: actix-http 3.20 arms the head timer for a
/// connection's first request only, and stops the keep-alive timer at the next request's first
/// byte, so a client that sends one quick request can then drip the next head for ever. Run
/// with `--ignored`; it fails until actix-http or a proxy in front (README «Connection
/// limits») closes the hole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "known hole in actix-http 3.20: no head timeout after a connection's first request"]
async fn a_keep_alive_connection_dripping_its_next_head_is_cut_off() {
    // Arrange
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.serve.request_head_timeout = TEST_LIMIT_SECS;
        s.serve.keep_alive = 30;
    })
    .await;
    let mut stream = connect(&app).await;
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .expect("send");
    let first = read_reply(&mut stream).await;

    // Act
    let cut = timeout(
        Duration::from_secs(90),
        drip(stream, Instant::now(), SLOW_HEAD),
    )
    .await
    .expect("never cut off");

    // Assert
    assert_eq!(status(&first), "200");
    assert_cut_by_our_deadline(&cut);
}
