//! The built PWA's files: embedded in the binary (release) or read from a directory
//! (`--pwa-dir`), with the bundle names the build records. Serving them is the web edge's job
//! (`routes::static_files`).

use std::borrow::Cow;
use std::path::PathBuf;

use rust_embed::RustEmbed;

/// The built PWA (`pwa/dist`, made by `scripts/build-pwa.sh`). In debug builds rust-embed reads
/// the folder at run time, so a rebuilt PWA needs no server rebuild.
#[derive(RustEmbed)]
#[folder = "../pwa/dist"]
#[allow_missing = true]
struct Embedded;

/// Where the PWA's files come from.
pub struct Pwa {
    dir: Option<PathBuf>,
}

impl Pwa {
    /// Files from `dir`, or the embedded copy when `None`.
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self { dir }
    }

    /// A text file of the build (uncompressed), e.g. the shell `index.html`.
    pub fn text(&self, path: &str) -> Option<String> {
        self.get(path)
            .and_then(|bytes| String::from_utf8(bytes.into_owned()).ok())
    }

    /// The citizen bundle's files, from the build's `bundles.json`.
    pub fn citizen_bundle(&self) -> Option<Bundle> {
        #[derive(serde::Deserialize)]
        struct Bundles {
            citizen: Bundle,
        }
        let bytes = self.get("bundles.json")?;
        serde_json::from_slice::<Bundles>(&bytes)
            .ok()
            .map(|b| b.citizen)
    }

    /// A file of the build, `None` when absent (or, from a directory, when the path climbs out).
    pub fn get(&self, path: &str) -> Option<Cow<'static, [u8]>> {
        match &self.dir {
            Some(dir) => {
                if path
                    .split('/')
                    .any(|seg| seg == ".." || seg.starts_with('.'))
                {
                    return None;
                }
                std::fs::read(dir.join(path)).ok().map(Cow::Owned)
            }
            None => Embedded::get(path).map(|f| f.data),
        }
    }
}

/// The citizen bundle's two files, as `pwa/dist/bundles.json` names them.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Bundle {
    /// wasm-bindgen's glue module.
    pub glue: String,
    /// The wasm module.
    pub wasm: String,
}
