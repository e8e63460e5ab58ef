//! Graceful shutdown of the real `serve` binary: on SIGTERM it takes no new connections, but a
//! request already under way is finished, stored and answered before the process exits 0.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::{json, Value};

use crate::data::{self, new_id};
use crate::helpers::{Backend, ServeProcess, TestApp, TestDb};
use crate::on_both_backends;

on_both_backends!(sigterm_finishes_the_request_in_flight_then_exits);

const ITEMS: usize = 50;

async fn sigterm_finishes_the_request_in_flight_then_exits(backend: Backend) {
    // Arrange: a request whose head and first half of the body have reached the server.
    let app = TestApp::start(TestDb::new(backend).await, |_| {}).await;
    app.seed_standard().await;
    let mut server = ServeProcess::start(&app.db_url, &["--anon-rate-limit", "0"]).await;
    let items: Vec<Value> = (0..ITEMS)
        .map(|_| data::express(&new_id(), "a-express", "qr"))
        .collect();
    let body = json!({ "responses": items }).to_string();
    let host = server.address.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&host).expect("connecting to serve");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("read timeout");
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    write!(
        stream,
        "POST /api/v1/responses HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .expect("writing the request head");
    stream.write_all(first).expect("writing half the body");
    stream.flush().expect("flushing");
    tokio::time::sleep(Duration::from_millis(500)).await;

    // Act: stop the server, then finish sending the request.
    // The rest comes 2.5 s later: the workers look at their connections once a second after a
    // stop, so a server that did not wait for requests in flight would have dropped this one.
    server.terminate();
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let refused = TcpStream::connect(&host).is_err();
    stream
        .write_all(rest)
        .expect("writing the rest of the body");
    let mut reply = String::new();
    stream
        .read_to_string(&mut reply)
        .expect("reading the reply");
    let status = server.exit_status(Duration::from_secs(20)).await;

    // Assert
    assert!(
        reply.starts_with("HTTP/1.1 200"),
        "the request in flight was answered: {reply}"
    );
    let (_, json_body) = reply.split_once("\r\n\r\n").expect("a body");
    let results: Value = serde_json::from_str(json_body).expect("a JSON body");
    let created = results["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["status"] == "created")
        .count();
    assert_eq!(created, ITEMS, "{results}");
    assert_eq!(
        app.sql.count_responses().await,
        ITEMS as i64,
        "every item answered `created` is stored"
    );
    assert!(refused, "no new connection is taken after SIGTERM");
    assert!(
        status.success(),
        "serve exits 0 after a graceful stop: {status}; {}",
        server.log_text()
    );
}
