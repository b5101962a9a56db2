//! Lossless round trip: every document of a known kind, read into an
//! `Object` and written back, is the same JSON value. Runs over the crate's
//! own fixtures always, and over `../shared/corpus` when it is present.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use kube_workloads::api::{Object, ObjectError};

#[derive(Default)]
struct Tally {
    round_tripped: BTreeMap<&'static str, usize>,
    unknown: BTreeMap<String, usize>,
    failures: Vec<String>,
}

fn round_trip_dir(dir: &Path) -> Tally {
    let mut tally = Tally::default();
    for file in common::manifest_files(dir) {
        let name = file.strip_prefix(dir).unwrap_or(&file).display().to_string();
        let docs = match common::load_documents(&file) {
            Ok(docs) => docs,
            Err(e) => {
                tally.failures.push(format!("{name}: does not parse: {e}"));
                continue;
            }
        };
        for (i, doc) in docs.into_iter().enumerate() {
            match Object::from_value(doc.clone()) {
                Ok(obj) => {
                    let back = obj.to_value();
                    if let Some(diff) = common::first_difference("", &doc, &back) {
                        tally.failures.push(format!("{name} doc {i} ({}): {diff}", obj.kind()));
                    }
                    // The typed value also survives a trip through the writer.
                    let again = Object::from_value(back).map(|o| o == obj);
                    if again != Ok(true) {
                        tally.failures.push(format!("{name} doc {i}: re-reading the output changed it"));
                    }
                    *tally.round_tripped.entry(obj.kind()).or_default() += 1;
                }
                Err(ObjectError::UnknownKind { api_version, kind }) => {
                    *tally.unknown.entry(format!("{api_version} {kind}")).or_default() += 1;
                }
                Err(e) => tally.failures.push(format!("{name} doc {i}: {e}")),
            }
        }
    }
    tally
}

#[test]
fn fixtures_round_trip_and_cover_every_kind() {
    let tally = round_trip_dir(&common::fixtures_dir());
    assert!(tally.failures.is_empty(), "round-trip failures:\n{}", tally.failures.join("\n"));
    for (_, kind) in Object::KINDS {
        assert!(tally.round_tripped.contains_key(kind), "no fixture of kind {kind}");
    }
}

#[test]
fn corpus_round_trips_unchanged() {
    let Some(dir) = common::corpus_dir() else {
        eprintln!("../shared/corpus not present; skipped");
        return;
    };
    let tally = round_trip_dir(&dir);
    assert!(
        tally.failures.is_empty(),
        "{} round-trip failures:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    let total: usize = tally.round_tripped.values().sum();
    eprintln!("round-tripped {total} objects: {:?}", tally.round_tripped);
    eprintln!("skipped unknown kinds: {:?}", tally.unknown);
    // The corpus holds every workload kind; losing one would mean a dispatch bug.
    for kind in [
        "Pod",
        "ReplicaSet",
        "ReplicationController",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
    ] {
        assert!(tally.round_tripped.get(kind).copied().unwrap_or(0) > 0, "no {kind} read from the corpus");
    }
    // Legacy API versions are unknown kinds, not errors.
    assert!(
        tally.unknown.keys().any(|k| k.starts_with("extensions/v1beta1") || k.starts_with("batch/v1beta1"))
    );
}

#[test]
fn explicit_null_and_empty_collections_survive() {
    let doc = serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "creationTimestamp": null, "labels": {}},
        "spec": {"containers": [{"name": "c", "args": [], "resources": {}}], "volumes": null},
        "status": {}
    });
    let obj = Object::from_value(doc.clone()).unwrap();
    assert_eq!(obj.to_value(), doc);
    assert_eq!(obj.metadata().creation_timestamp, None);
}

// Found by the decode_validate_default fuzz target: a quantity written as
// a float must read back as the same float. serde_json's default float
// parser is not correctly rounded, and `2.1e+179` read from the text and
// from the number the crate wrote differed in the last bit (the crate
// enables serde_json's `float_roundtrip`).
#[test]
fn float_quantities_read_back_unchanged() {
    for text in ["2.1e+179", "2.1e178", "0.1", "1e-7", "123456789.123456789"] {
        let doc = format!(
            r#"{{"apiVersion": "v1", "kind": "Pod", "metadata": {{"name": "p"}},
                "spec": {{"containers": [{{"name": "c", "resources": {{"limits": {{"x/y": {text}}}}}}}]}}}}"#
        );
        let value: serde_json::Value = serde_json::from_str(&doc).unwrap();
        let obj = Object::from_value(value).unwrap();
        let back = Object::from_value(obj.to_value()).unwrap();
        assert_eq!(back, obj, "{text}");
    }
}

// upstream: Quantity.UnmarshalJSON reads `null` as zero. The crate reads a
// null quantity in a resource list as "0" and writes the null back (YAML
// too), where it used to refuse the whole document.
#[test]
fn a_null_quantity_reads_as_zero_and_writes_back() {
    let doc = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "resources": {"requests": {"cpu": null, "memory": "1Gi"}}}]}});
    let obj = Object::from_value(doc.clone()).unwrap();
    assert_eq!(obj.to_value(), doc);
    let Object::Pod(pod) = &obj else { panic!("a pod") };
    let requests =
        pod.spec.as_ref().and_then(|s| s.containers[0].resources.as_ref()).and_then(|r| r.requests.clone());
    assert_eq!(requests.as_ref().and_then(|r| r.get("cpu")).map(|q| q.value.as_str()), Some("0"));
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    resources:\n      limits:\n        cpu: null\n";
    let from_yaml: Object = serde_saphyr::from_str(yaml).unwrap();
    assert_eq!(
        from_yaml.to_value()["spec"]["containers"][0]["resources"]["limits"]["cpu"],
        serde_json::Value::Null
    );
}

#[test]
fn a_null_remembered_field_is_replaced_when_set() {
    let doc = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"creationTimestamp": null}});
    let mut obj = Object::from_value(doc).unwrap();
    obj.metadata_mut().creation_timestamp = Some("2024-01-01T00:00:00Z".parse().unwrap());
    assert_eq!(obj.to_value()["metadata"]["creationTimestamp"], "2024-01-01T00:00:00Z");
}

#[test]
fn unknown_kinds_and_malformed_documents_are_errors_not_panics() {
    let svc = serde_json::json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}});
    assert!(matches!(Object::from_value(svc), Err(ObjectError::UnknownKind { .. })));
    let legacy = serde_json::json!({"apiVersion": "extensions/v1beta1", "kind": "Deployment"});
    assert!(matches!(Object::from_value(legacy), Err(ObjectError::UnknownKind { .. })));
    let bad_time = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"creationTimestamp": "yesterday"}});
    assert!(matches!(Object::from_value(bad_time), Err(ObjectError::Malformed { .. })));
    assert!(matches!(Object::from_value(serde_json::json!([1, 2])), Err(ObjectError::NotAnObject)));
    assert!(matches!(
        Object::from_value(serde_json::json!({"kind": "Pod"})),
        Err(ObjectError::MissingTypeMeta("apiVersion"))
    ));
    let huge = "x".repeat(10 * 1024 * 1024);
    let big_label =
        serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"labels": {"a": huge}}});
    assert!(Object::from_value(big_label).is_ok());
}

#[test]
fn list_wrappers_are_unwrapped() {
    let docs = common::parse_documents(
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: b}\n---\n",
        false,
    )
    .unwrap();
    let kinds: Vec<_> = docs.into_iter().map(|d| Object::from_value(d).unwrap().kind()).collect();
    assert_eq!(kinds, ["Pod", "Deployment"]);
}

#[test]
fn a_missing_required_field_is_not_invented() {
    let doc = serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"template": {"spec": {"containers": []}}}
    });
    let obj = Object::from_value(doc.clone()).unwrap();
    assert_eq!(obj.to_value(), doc);
    let Object::Deployment(mut d) = obj else { panic!() };
    d.spec.as_mut().unwrap().selector.match_labels =
        Some([("a".to_string(), "b".to_string())].into_iter().collect());
    assert_eq!(Object::from(*d).to_value()["spec"]["selector"]["matchLabels"]["a"], "b");
}

#[test]
fn a_null_required_field_round_trips_and_is_reported() {
    let doc = serde_json::json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"},
        "spec": {"selector": null, "template": {"metadata": {"creationTimestamp": null}}}
    });
    let obj = Object::from_value(doc.clone()).unwrap();
    assert_eq!(obj.to_value(), doc);
    let Object::ReplicaSet(rs) = obj else { panic!() };
    let spec = rs.spec.as_ref().unwrap();
    assert!(spec.is_null_on_wire("selector"));
    assert!(!spec.is_missing_on_wire("selector"));
    assert!(!spec.is_missing_on_wire("replicas"), "optional fields are never 'missing'");
    assert!(!spec.is_null_on_wire("template"));
}
