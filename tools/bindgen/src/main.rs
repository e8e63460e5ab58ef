//! Generates a PWA bundle's JavaScript glue from its wasm module, exactly as
//! `wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section
//! --out-dir OUT --out-name NAME INPUT` does (the same library call, the same settings).
//!
//! ```sh
//! otklik-bindgen INPUT.wasm OUT_DIR OUT_NAME
//! otklik-bindgen --version     # "otklik-bindgen 0.2.130": the wasm-bindgen release it speaks
//! ```

use anyhow::{bail, Context, Result};
use wasm_bindgen_cli_support::Bindgen;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag] if flag == "--version" => {
            println!("otklik-bindgen {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        [input, out_dir, out_name] => Bindgen::new()
            .input_path(input)
            .web(true)?
            .typescript(false)
            // Names and the producers section only add bytes the citizen downloads.
            .remove_name_section(true)
            .remove_producers_section(true)
            // As the CLI: `init()` without an argument fetches the `_bg.wasm` beside the glue.
            .omit_default_module_path(false)
            .out_name(out_name)
            .generate(out_dir)
            .with_context(|| format!("bindgen of {input}")),
        _ => bail!("usage: otklik-bindgen INPUT.wasm OUT_DIR OUT_NAME | --version"),
    }
}
