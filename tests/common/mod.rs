//! Helpers shared by the integration tests: reading manifests (JSON or
//! multi-document YAML) and finding the shared corpus when it is present.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use kube_workloads::api::unwrap_list;
use serde_json::Value;

/// `../shared/corpus` beside the checkout, when this machine has it. A fresh
/// clone without it still runs every other test.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    dir.is_dir().then_some(dir)
}

/// The crate's own fixtures.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every `.yaml` / `.json` file under `dir`, sorted by path.
pub fn manifest_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The objects in one manifest text: JSON or multi-document YAML, with
/// `kind: List` wrappers unwrapped and empty documents dropped.
pub fn parse_documents(text: &str, json: bool) -> Result<Vec<Value>, String> {
    let docs: Vec<Value> = if json {
        vec![serde_json::from_str(text).map_err(|e| e.to_string())?]
    } else {
        serde_saphyr::from_multiple_with_options(text, yaml_options()).map_err(|e| e.to_string())?
    };
    Ok(docs.into_iter().flat_map(unwrap_list).collect())
}

/// Reads the objects of one manifest file.
pub fn load_documents(path: &Path) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let json = path.extension().and_then(|e| e.to_str()) == Some("json");
    parse_documents(&text, json)
}

/// The first place two JSON values differ, as a path and both sides.
pub fn first_difference(path: &str, a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    None => return Some(format!("{path}.{k}: present in input, missing in output")),
                    Some(vb) => {
                        if let Some(d) = first_difference(&format!("{path}.{k}"), va, vb) {
                            return Some(d);
                        }
                    }
                }
            }
            y.keys()
                .find(|k| !x.contains_key(*k))
                .map(|k| format!("{path}.{k}: missing in input, present in output"))
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (va, vb))| first_difference(&format!("{path}[{i}]"), va, vb)),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} became {b}")),
    }
}

/// YAML as Kubernetes reads it: sigs.k8s.io/yaml follows YAML 1.1, where
/// `defaultMode: 0644` is an octal number (420), not decimal 644, and a
/// repeated key keeps its last value.
#[allow(deprecated)]
pub fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        legacy_octal_numbers: true,
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::LastWins,
    }
}
