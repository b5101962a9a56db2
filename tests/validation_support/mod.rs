//! Builders shared by the validation table tests: a valid base object of a
//! kind, a JSON merge patch over it, and errors rendered as
//! `path: Type: message`.
#![allow(dead_code)] // each test binary uses a part

use kube_workloads::api::Object;
use kube_workloads::{defaults, validation};
use serde_json::{Value, json};

/// RFC 7396 JSON merge patch.
pub fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    b.remove(k);
                } else {
                    merge(b.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

pub fn container() -> Value {
    json!({"name": "c", "image": "nginx:1.27"})
}

pub fn template(labels: Value) -> Value {
    json!({"metadata": {"labels": labels}, "spec": {"containers": [container()]}})
}

/// A valid object of `kind` with `meta` as its metadata.
pub fn base_with(kind: &str, meta: Value) -> Value {
    match kind {
        "Pod" => {
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": [container()]}})
        }
        "PodTemplate" => json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": meta,
                                "template": template(json!({"app": "x"}))}),
        "ReplicationController" => {
            json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": meta,
                                "spec": {"selector": {"app": "x"}, "template": template(json!({"app": "x"}))}})
        }
        "ReplicaSet" | "Deployment" | "StatefulSet" | "DaemonSet" => {
            json!({"apiVersion": "apps/v1", "kind": kind,
                                "metadata": meta, "spec": {"selector": {"matchLabels": {"app": "x"}},
                                "template": template(json!({"app": "x"}))}})
        }
        "Job" => json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
                        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [container()]}}}}),
        "CronJob" => json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta,
                        "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                            "restartPolicy": "OnFailure", "containers": [container()]}}}}}}),
        "PodPreset" => {
            json!({"apiVersion": "settings.k8s.io/v1alpha1", "kind": "PodPreset", "metadata": meta,
                        "spec": {"selector": {"matchLabels": {"role": "db"}}, "env": [{"name": "A", "value": "1"}]}})
        }
        other => panic!("no base for {other}"),
    }
}

/// `doc` decoded and defaulted as the API server stores it (a Job with its
/// generated selector for UID `uid-1`).
pub fn stored(doc: Value) -> Object {
    let mut obj = Object::from_value(doc).expect("decodes");
    defaults::apply(&mut obj);
    if let Object::Job(j) = &mut obj {
        defaults::generate_job_selector(j, "uid-1");
    }
    obj
}

/// The errors of a validation, rendered as the API server prints them.
pub fn render(result: Result<(), validation::ValidationErrors>) -> Vec<String> {
    match result {
        Ok(()) => Vec::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    }
}

/// Exactly `expected.len()` errors, each expected prefix matched by one.
pub fn matches(got: &[String], expected: &[&str]) -> bool {
    got.len() == expected.len() && expected.iter().all(|e| got.iter().any(|g| g.starts_with(e)))
}
