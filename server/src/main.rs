//! `otklik`: see `otklik --help`.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::Parser;
use mimalloc::MiMalloc;

/// mimalloc instead of glibc's malloc: the ingest path allocates and frees many small values
/// (parsed answers, bound parameters) across threads, where glibc spent a fifth of its CPU.
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
