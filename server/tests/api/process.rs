//! What `otklik serve` sets up for its own process, read back from the kernel.

use crate::helpers::{Backend, ServeProcess, TestDb};

/// Transparent huge pages are off for the server whatever the host's setting (`main.rs`:
/// `no_huge_pages`): with them, each 2 MiB of the allocator's arena it touches is resident
/// whole, 93 against 70 MB under the 200-client load (docs/benchmarks.md). Linux only: the
/// switch and `/proc` are Linux's.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn the_server_runs_without_transparent_huge_pages() {
    // Arrange
    let db = TestDb::new(Backend::Sqlite).await;

    // Act
    let server = ServeProcess::start(&db.url, &[]).await;

    // Assert: the kernel's own account of the process (`THP_enabled`, Linux 5.0 and later).
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid()))
        .expect("the server's /proc status");
    let thp = status
        .lines()
        .find_map(|line| line.strip_prefix("THP_enabled:"))
        .map(str::trim);
    assert_eq!(thp, Some("0"), "{status}");
}
