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
    let cli = otklik_server::cli::Cli::parse();
    match cli.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
