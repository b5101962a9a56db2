//! Replays every fuzz corpus input on stable Rust.
//!
//! For each target in `fuzz/checks.rs`, every file in
//! `fuzz/corpus/<target>/` and, when present, `fuzz/artifacts/<target>/`
//! runs through the same check function the cargo-fuzz target calls, so a
//! regression on a corpus input fails `cargo test` without nightly or
//! libFuzzer. Crashing inputs waiting for a fix live in `fuzz/crashes/`,
//! which is not replayed.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

#[test]
fn replay_every_corpus_input() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut failures = Vec::new();
    let mut total = 0;
    for (name, check) in checks::TARGETS {
        let corpus = inputs(&root.join("corpus").join(name));
        assert!(!corpus.is_empty(), "fuzz/corpus/{name} has no seed inputs");
        let artifacts = inputs(&root.join("artifacts").join(name));
        for path in corpus.iter().chain(&artifacts) {
            let data = fs::read(path).unwrap();
            total += 1;
            if let Err(e) = catch_unwind(AssertUnwindSafe(|| check(&data))) {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                failures.push(format!("{name}: {}: {msg}", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} corpus inputs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
