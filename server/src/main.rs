//! `otklik`: see `otklik --help`.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use mimalloc::MiMalloc;

/// mimalloc instead of glibc's malloc: the ingest path allocates and frees many small values
/// (parsed answers, bound parameters) across threads, where glibc spent a fifth of its CPU.
/// Its 2.x line (the crate's `v2`), not 3.x: under the 200-client load 3.x peaked 14–24 MB
/// higher at the same rate, and after the demo's and a few logins' argon2 work it kept 20–40 MB
/// more (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    otklik_server::telemetry::init();
    no_huge_pages();
    let cli = otklik_server::cli::Cli::parse();
    match cli.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Turns transparent huge pages off for this process, whatever the host's setting. mimalloc
/// reserves a 1 GiB arena, and where huge pages back it each 2 MiB the server touches is
/// resident whole: 93 → 70 MB under the 200-client load without them (docs/benchmarks.md).
/// The `no_thp` build feature keeps mimalloc from asking for them (hosts set to `madvise`, as
/// Debian's); this keeps the kernel from giving them unasked (hosts set to `always`). A kernel
/// without the switch (before 3.15) refuses it, and nothing else changes.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    if let Err(e) = rustix::thread::disable_transparent_huge_pages(true) {
        tracing::warn!("transparent huge pages stay on ({e}): the server may hold more memory");
    }
}
