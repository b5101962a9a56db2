//! The stable hash controllers put in names and labels: the Deployment's
//! `pod-template-hash`, the StatefulSet's and DaemonSet's revision hashes.
//!
//! upstream: pkg/controller/controller_utils.go: ComputeHash (FNV-32a over a
//! deep dump of the template, then the collision count) and
//! apimachinery/pkg/util/rand: SafeEncodeString. This crate hashes the
//! canonical JSON (object keys sorted, no whitespace) instead of Go's deep
//! dump (semantics/DECISIONS.md deployment Q1), so the value is stable across
//! releases of the crate but differs from upstream's.

use serde_json::Value;

/// The alphabet of upstream's `SafeEncodeString`: no vowels, no look-alikes.
const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// FNV-1a 32 over `value`'s canonical JSON, then `collision_count` as 4
/// little-endian bytes when set; the decimal digits of the result are mapped
/// through the safe alphabet.
pub fn stable_hash(value: &Value, collision_count: Option<i32>) -> String {
    let mut json = String::new();
    canonical_json(value, &mut json);
    let mut hash: u32 = 0x811c_9dc5;
    let mut feed = |b: u8| {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    };
    json.bytes().for_each(&mut feed);
    if let Some(c) = collision_count {
        c.to_le_bytes().into_iter().for_each(&mut feed);
    }
    hash.to_string()
        .bytes()
        .map(|b| char::from(SAFE_ALPHABET.get(usize::from(b) % SAFE_ALPHABET.len()).copied().unwrap_or(b'b')))
        .collect()
}

/// Writes `v` as JSON with object keys sorted and no whitespace.
fn canonical_json(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push(':');
                if let Some(child) = map.get(*k) {
                    canonical_json(child, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_and_whitespace_do_not_change_the_hash() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": [true, {"y": null, "x": "s"}]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":[true,{"x":"s","y":null}],"b":1}"#).unwrap();
        assert_eq!(stable_hash(&a, None), stable_hash(&b, None));
        assert_ne!(stable_hash(&a, None), stable_hash(&a, Some(1)));
        assert!(stable_hash(&a, Some(7)).bytes().all(|c| SAFE_ALPHABET.contains(&c)));
    }
}
