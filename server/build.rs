//! Rebuilds the server when a migration changes: `sqlx::migrate!` embeds the migration files
//! at compile time, but Cargo does not know about them, so a new file would otherwise be left
//! out of the binary until something else changed.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
