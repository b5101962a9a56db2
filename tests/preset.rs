//! PodPreset admission: cases mirroring kubernetes/kubernetes
//! plugin/pkg/admission/podpreset/admission_test.go (TestMergeEnv,
//! TestMergeEnvFrom, TestMergeVolumeMounts, TestMergeVolumes, TestAdmit*,
//! TestExclusionNoAdmit, TestAdmitMirrorPod) under the crate's decisions
//! (name order; conflict = pod unchanged + Warning event).

use kube_workloads::Pod;
use kube_workloads::api::PodPreset;
use kube_workloads::controller::EventType;
use kube_workloads::preset::{self, ConflictKind, PresetError};
use serde_json::{Value, json};

fn pod(extra: Value) -> Pod {
    let mut doc = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "mypod", "namespace": "namespace", "labels": {"security": "S2"}},
        "spec": {
            "initContainers": [{"name": "init", "image": "busybox"}],
            "containers": [{"name": "main", "image": "nginx",
                            "env": [{"name": "ABC", "value": "value2"}],
                            "volumeMounts": [{"name": "vol", "mountPath": "/var/lib"}]}],
            "volumes": [{"name": "vol", "emptyDir": {}}]
        }
    });
    merge_json(&mut doc, extra);
    serde_json::from_value(doc).expect("pod")
}

fn merge_json(base: &mut Value, extra: Value) {
    match (base, extra) {
        (Value::Object(b), Value::Object(e)) => {
            for (k, v) in e {
                merge_json(b.entry(k).or_insert(Value::Null), v);
            }
        }
        (b, e) => *b = e,
    }
}

fn preset(name: &str, spec: Value) -> PodPreset {
    let mut spec = spec;
    if spec.get("selector").is_none() {
        spec["selector"] =
            json!({"matchExpressions": [{"key": "security", "operator": "In", "values": ["S2"]}]});
    }
    serde_json::from_value(json!({
        "apiVersion": "settings.k8s.io/v1alpha1", "kind": "PodPreset",
        "metadata": {"name": name, "namespace": "namespace", "resourceVersion": format!("rv-{name}")},
        "spec": spec
    }))
    .expect("preset")
}

fn container_json(p: &Pod, index: usize) -> Value {
    serde_json::to_value(&p.spec.as_ref().expect("spec").containers[index]).expect("json")
}

// upstream: TestMergeEnv (appending, identical duplicates, conflicts)
#[test]
fn merge_env() {
    let p = pod(json!({}));
    let a = preset("a", json!({"env": [{"name": "DEF", "value": "1"}, {"name": "ABC", "value": "value2"}]}));
    let b = preset("b", json!({"env": [{"name": "DEF", "value": "1"}, {"name": "GHI", "value": "3"}]}));
    let out = preset::apply(&p, &[b, a.clone()]).expect("admit");
    assert!(out.conflicts.is_empty());
    assert_eq!(out.applied, ["a", "b"]);
    assert_eq!(
        container_json(&out.pod, 0)["env"],
        json!([{"name": "ABC", "value": "value2"}, {"name": "DEF", "value": "1"}, {"name": "GHI", "value": "3"}])
    );
    // Init containers get the same.
    let init = serde_json::to_value(
        &out.pod.spec.as_ref().expect("spec").init_containers.as_ref().expect("init")[0],
    )
    .expect("json");
    assert_eq!(
        init["env"],
        json!([{"name": "DEF", "value": "1"}, {"name": "ABC", "value": "value2"}, {"name": "GHI", "value": "3"}])
    );

    // Same name, different value: conflict with the pod...
    let c = preset("c", json!({"env": [{"name": "ABC", "value": "other"}]}));
    let out = preset::apply(&p, &[a.clone(), c]).expect("admit");
    assert_eq!(out.pod, p, "a conflict leaves the pod unchanged");
    assert!(out.applied.is_empty());
    // The init container got ABC from preset a, so it conflicts there too.
    assert_eq!(out.conflicts.len(), 2);
    assert_eq!((out.conflicts[0].kind, out.conflicts[0].key.as_str()), (ConflictKind::Env, "ABC"));
    let event = out.event.expect("event");
    assert_eq!((event.type_, event.reason.as_str()), (EventType::Warning, "PodPresetConflict"));
    assert_eq!(
        event.message,
        "conflict occurred while applying podpresets: a,c on pod: mypod: \
         merging env for c has a conflict on ABC in container init; \
         merging env for c has a conflict on ABC in container main"
    );
    // ...and between presets.
    let d = preset("d", json!({"env": [{"name": "DEF", "value": "2"}]}));
    let out = preset::apply(&p, &[a, d]).expect("admit");
    assert_eq!(out.pod, p);
    assert_eq!(
        out.conflicts.iter().map(|c| c.container.clone().unwrap_or_default()).collect::<Vec<_>>(),
        ["init", "main"]
    );
}

// upstream (1.15 to 1.19, kubernetes PR 78269): mergeEnvFrom keys the
// container's own entries by prefix, ConfigMap and Secret name: a preset's
// identical entry is dropped (applying twice changes nothing), a new one
// is appended, entries of two presets are not keyed against each other,
// and a differing entry with the same key fails the merge, which
// applyPodPresetsOnContainer turns into an empty envFrom. No conflict is
// reported for envFrom.
#[test]
fn merge_env_from() {
    let p = pod(json!({"spec": {"containers": [{"name": "main", "image": "nginx",
        "envFrom": [{"configMapRef": {"name": "abc"}}]}]}}));
    let a = preset(
        "a",
        json!({"envFrom": [{"configMapRef": {"name": "abc"}}, {"prefix": "pre_", "secretRef": {"name": "s"}}]}),
    );
    let b = preset("b", json!({"envFrom": [{"prefix": "pre_", "secretRef": {"name": "s"}}]}));
    let out = preset::apply(&p, &[a.clone(), b]).expect("admit");
    assert!(out.conflicts.is_empty());
    assert_eq!(
        container_json(&out.pod, 0)["envFrom"],
        json!([{"configMapRef": {"name": "abc"}}, {"prefix": "pre_", "secretRef": {"name": "s"}},
               {"prefix": "pre_", "secretRef": {"name": "s"}}])
    );
    // Applying again changes nothing.
    let once = preset::apply(&p, std::slice::from_ref(&a)).expect("admit").pod;
    let twice = preset::apply(&once, std::slice::from_ref(&a)).expect("admit").pod;
    assert_eq!(container_json(&twice, 0)["envFrom"], container_json(&once, 0)["envFrom"]);
    // The same key with another value: the merge fails and envFrom is
    // cleared, while the rest of the preset still applies.
    let optional = preset(
        "c",
        json!({"envFrom": [{"configMapRef": {"name": "abc", "optional": true}}], "env": [{"name": "X", "value": "1"}]}),
    );
    let out = preset::apply(&p, &[optional]).expect("admit");
    assert!(out.conflicts.is_empty());
    assert_eq!(out.applied, ["c"]);
    assert_eq!(container_json(&out.pod, 0)["envFrom"], serde_json::Value::Null);
    assert_eq!(container_json(&out.pod, 0)["env"], json!([{"name": "X", "value": "1"}]));
}

// upstream: TestMergeVolumeMounts: keyed by name and by mount path.
#[test]
fn merge_volume_mounts() {
    let p = pod(json!({}));
    let ok = preset(
        "ok",
        json!({"volumeMounts": [{"name": "vol", "mountPath": "/var/lib"}, {"name": "etc", "mountPath": "/etc/x"}]}),
    );
    let out = preset::apply(&p, &[ok]).expect("admit");
    assert_eq!(
        container_json(&out.pod, 0)["volumeMounts"],
        json!([{"name": "vol", "mountPath": "/var/lib"}, {"name": "etc", "mountPath": "/etc/x"}])
    );
    let same_name = preset("n", json!({"volumeMounts": [{"name": "vol", "mountPath": "/other"}]}));
    let out = preset::apply(&p, &[same_name]).expect("admit");
    assert_eq!(out.pod, p);
    assert!(out.conflicts.iter().any(|c| c.kind == ConflictKind::VolumeMount && c.key == "vol"));
    let same_path = preset("p", json!({"volumeMounts": [{"name": "other", "mountPath": "/var/lib"}]}));
    let out = preset::apply(&p, &[same_path]).expect("admit");
    assert_eq!(out.pod, p);
    assert!(out.conflicts.iter().any(|c| c.kind == ConflictKind::MountPath && c.key == "/var/lib"));
}

// upstream: TestMergeVolumes: pod level, keyed by name.
#[test]
fn merge_volumes() {
    let p = pod(json!({}));
    let a =
        preset("a", json!({"volumes": [{"name": "vol", "emptyDir": {}}, {"name": "cache", "emptyDir": {}}]}));
    let out = preset::apply(&p, &[a]).expect("admit");
    let volumes = serde_json::to_value(&out.pod.spec.as_ref().expect("spec").volumes).expect("json");
    assert_eq!(volumes, json!([{"name": "vol", "emptyDir": {}}, {"name": "cache", "emptyDir": {}}]));
    let b = preset("b", json!({"volumes": [{"name": "vol", "configMap": {"name": "x"}}]}));
    let out = preset::apply(&p, &[b]).expect("admit");
    assert_eq!(out.pod, p);
    assert_eq!(out.conflicts[0].kind, ConflictKind::Volume);
    assert_eq!(out.conflicts[0].container, None);
}

// upstream: TestAdmit, TestAdmitConflictWithDifferentNamespaceShouldDoNothing,
// TestAdmitConflictWithNonMatchingLabelsShouldNotError, TestAdmitMirrorPod,
// TestExclusionNoAdmit.
#[test]
fn admission() {
    let p = pod(json!({}));
    let a = preset("allow-database", json!({"env": [{"name": "DB", "value": "db:5432"}]}));
    let out = preset::apply(&p, std::slice::from_ref(&a)).expect("admit");
    assert_eq!(
        out.pod.metadata.annotation("podpreset.admission.kubernetes.io/podpreset-allow-database"),
        Some("rv-allow-database")
    );

    // Another namespace: nothing.
    let mut elsewhere = preset("x", json!({"env": [{"name": "ABC", "value": "conflict"}]}));
    elsewhere.metadata.namespace = Some("othernamespace".into());
    let out = preset::apply(&p, &[elsewhere]).expect("admit");
    assert_eq!((out.pod == p, out.conflicts.is_empty(), out.event.is_none()), (true, true, true));

    // Labels that do not match: nothing, no error.
    let other = preset(
        "y",
        json!({"selector": {"matchLabels": {"security": "S1"}}, "env": [{"name": "ABC", "value": "c"}]}),
    );
    let out = preset::apply(&p, &[other]).expect("admit");
    assert_eq!(out.pod, p);

    // An empty selector matches every pod.
    let all = preset("z", json!({"selector": {}, "env": [{"name": "Z", "value": "1"}]}));
    assert_eq!(preset::apply(&p, std::slice::from_ref(&all)).expect("admit").applied, ["z"]);

    // Mirror pods and opted-out pods are left alone.
    let mirror = pod(json!({"metadata": {"annotations": {"kubernetes.io/config.mirror": "mirror"}}}));
    assert_eq!(preset::apply(&mirror, std::slice::from_ref(&all)).expect("admit").pod, mirror);
    let excluded =
        pod(json!({"metadata": {"annotations": {"podpreset.admission.kubernetes.io/exclude": "true"}}}));
    assert_eq!(preset::apply(&excluded, std::slice::from_ref(&all)).expect("admit").pod, excluded);
    let not_excluded =
        pod(json!({"metadata": {"annotations": {"podpreset.admission.kubernetes.io/exclude": "yes"}}}));
    assert_eq!(preset::apply(&not_excluded, &[all]).expect("admit").applied, ["z"]);

    // A selector that does not convert rejects the pod.
    let bad = preset(
        "bad",
        json!({"selector": {"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}}),
    );
    assert!(matches!(preset::apply(&p, &[bad]), Err(PresetError::Selector { .. })));
}

// A pod without env / volumes gets exactly the presets' entries; with
// nothing to add the fields stay absent.
#[test]
fn empty_fields_stay_absent() {
    let bare: Pod = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "bare", "namespace": "namespace", "labels": {"security": "S2"}},
        "spec": {"containers": [{"name": "main", "image": "nginx"}]}
    }))
    .expect("pod");
    let nothing = preset("nothing", json!({}));
    let out = preset::apply(&bare, &[nothing]).expect("admit");
    assert_eq!(container_json(&out.pod, 0), json!({"name": "main", "image": "nginx"}));
    assert_eq!(out.applied, ["nothing"]);
}
