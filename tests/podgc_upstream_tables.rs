//! Upstream cases of pod GC, taint-based eviction and TTL-after-finished not
//! yet mirrored by tests/podgc.rs and tests/ttl_after_finished.rs:
//! kubernetes/kubernetes pkg/controller/podgc/gc_controller_test.go,
//! pkg/controller/tainteviction/taint_eviction_test.go and
//! pkg/controller/ttlafterfinished/ttlafterfinished_controller_test.go.
//! Each test names the upstream test and case it restates (inputs and
//! expectations as upstream's; the code is this crate's).
//!
//! Upstream runs PodGC and the taint-eviction controller as separate
//! controllers; the crate runs both in one pass. The PodGC tables therefore
//! turn taint eviction off where a node carries a `NoExecute` taint, and
//! the taint tables turn the terminated-pod threshold off. Upstream's unit
//! tests never pass pods through admission, so the taint tables use the
//! tolerations as written (`default_toleration_seconds: None`).

use std::collections::BTreeSet;
use std::time::Duration;

use kube_workloads::api::{Condition, ConditionStatus, Object, Time, Toleration};
use kube_workloads::controller::podgc::{Config, Observed, PodGcMemory, reconcile_with, toleration_time};
use kube_workloads::controller::ttl_after_finished::{expire_at, reconcile as ttl_reconcile};
use kube_workloads::controller::{Action, ControllerMemory, DeleteOptions, PropagationPolicy};
use kube_workloads::scheduling::{NoExecuteEviction, no_execute_eviction};
use kube_workloads::{FeatureGates, Job, Node, Pod};
use serde_json::{Value, json};

fn t(s: &str) -> Time {
    s.parse().expect("time")
}

fn t0() -> Time {
    t("2024-03-01T12:00:00Z")
}

/// A pod as upstream's tables build it: namespace `default`, bound to
/// `node` (empty: unscheduled), `phase` (empty: none), and the rest given
/// as JSON merged into metadata / spec / status.
fn pod(name: &str, node: &str, phase: &str, extra: Value) -> Pod {
    let mut v = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}")},
        "spec": {"containers": [{"name": "c", "image": "x"}]},
        "status": {}
    });
    if !node.is_empty() {
        v["spec"]["nodeName"] = json!(node);
    }
    if !phase.is_empty() {
        v["status"]["phase"] = json!(phase);
    }
    for part in ["metadata", "spec", "status"] {
        if let Some(Value::Object(fields)) = extra.get(part) {
            for (k, val) in fields {
                v[part][k] = val.clone();
            }
        }
    }
    serde_json::from_value(v).expect("pod")
}

/// A pod created `hours` hours after the Unix epoch, as TestGCTerminated,
/// TestGCTerminating and TestGCUnscheduledTerminating date theirs.
fn created(hours: i64) -> Value {
    json!(t("1970-01-01T00:00:00Z").add_seconds(hours * 3600).to_string())
}

fn node(name: &str, ready: &str, taints: Value) -> Node {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name},
        "spec": {"taints": taints},
        "status": {"conditions": [{"type": "Ready", "status": ready}]}
    }))
    .expect("node")
}

fn run(pods: &[Pod], nodes: &[Node], memory: &PodGcMemory, now: Time, config: &Config) -> Vec<Action> {
    reconcile_with(&Observed { pods, nodes, memory }, now, config)
}

fn deleted(actions: &[Action]) -> BTreeSet<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { target, .. } => Some(target.name.clone()),
            _ => None,
        })
        .collect()
}

fn patched(actions: &[Action]) -> BTreeSet<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::UpdateStatus { object: Object::Pod(p) } => Some(p.metadata.name().to_owned()),
            _ => None,
        })
        .collect()
}

/// The written status of a pod: (phase, reason of `DisruptionTarget=True`).
fn written(actions: &[Action], name: &str) -> Option<(String, Option<String>)> {
    actions.iter().find_map(|a| match a {
        Action::UpdateStatus { object: Object::Pod(p) } if p.metadata.name() == name => {
            let st = p.status.clone().unwrap_or_default();
            let reason = st
                .conditions
                .unwrap_or_default()
                .into_iter()
                .find(|c| c.type_ == "DisruptionTarget" && c.status == ConditionStatus::True)
                .and_then(|c| c.reason);
            Some((st.phase.map(|x| x.to_string()).unwrap_or_default(), reason))
        }
        _ => None,
    })
}

fn memory_of(actions: &[Action]) -> Option<PodGcMemory> {
    actions.iter().find_map(|a| match a {
        Action::Remember { memory: ControllerMemory::PodGc(m), .. } => Some(m.clone()),
        _ => None,
    })
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

/// PodGC alone: no threshold (upstream's -1), no taint manager.
fn gc_only() -> Config {
    Config { terminated_pod_gc_threshold: 0, taint_eviction: false, ..Config::default() }
}

// ---------------------------------------------------------------------------
// gc_controller_test.go
// ---------------------------------------------------------------------------

// upstream: gc_controller_test.go TestGCTerminated "delete pod a which is
// PodFailed and pod b which is PodSucceeded" and the unnamed 8th case
// (a Running, b Succeeded, c Failed/Evicted, threshold 1: only c).
#[test]
fn gc_terminated_upstream_rows() {
    let nodes = [node("node", "True", json!([]))];
    // Pods are created an hour apart, in table order.
    let mk = |rows: &[(&str, &str, &str)]| -> Vec<Pod> {
        rows.iter()
            .enumerate()
            .map(|(i, (name, phase, reason))| {
                let mut status = json!({});
                if !reason.is_empty() {
                    status["reason"] = json!(reason);
                }
                let hours = i64::try_from(i).expect("index") + 1;
                pod(
                    name,
                    "node",
                    phase,
                    json!({"metadata": {"creationTimestamp": created(hours)}, "status": status}),
                )
            })
            .collect()
    };
    let cases: Vec<(&str, Vec<Pod>, usize, &[&str])> = vec![
        (
            "delete pod a which is PodFailed and pod b which is PodSucceeded",
            mk(&[("a", "Failed", ""), ("b", "Succeeded", ""), ("c", "Failed", "")]),
            1,
            &["a", "b"],
        ),
        (
            "unnamed 8th case: the evicted pod goes first",
            mk(&[("a", "Running", ""), ("b", "Succeeded", ""), ("c", "Failed", "Evicted")]),
            1,
            &["c"],
        ),
    ];
    for (name, pods, threshold, want) in cases {
        let config = Config { terminated_pod_gc_threshold: threshold, ..Config::default() };
        let actions = run(&pods, &nodes, &PodGcMemory::default(), t0(), &config);
        assert_eq!(deleted(&actions), set(want), "{name}");
        assert_eq!(patched(&actions), set(&[]), "{name}");
    }
}

// upstream: gc_controller_test.go TestGCOrphaned "no nodes"
#[test]
fn gc_orphaned_no_nodes() {
    let pods = [pod("a", "deleted", "Failed", json!({})), pod("b", "deleted", "Succeeded", json!({}))];
    let first = run(&pods, &[], &PodGcMemory::default(), t0(), &gc_only());
    assert_eq!(deleted(&first), set(&[]), "no pods should be deleted at this point");
    let memory = memory_of(&first).expect("quarantine");
    // delay: 2 * quarantineTime
    let second = run(&pods, &[], &memory, t0().add_seconds(80), &gc_only());
    assert_eq!(deleted(&second), set(&["a", "b"]));
    assert_eq!(patched(&second), set(&[]));
}

// upstream: gc_controller_test.go TestGCOrphaned "node deleted from informer
// after quarantine": the node was there at the first pass, so its
// quarantine only starts at the second; nothing is deleted.
#[test]
fn gc_orphaned_node_deleted_from_informer_after_quarantine() {
    let pods = [pod("a", "node", "Succeeded", json!({}))];
    let first = run(&pods, &[node("node", "True", json!([]))], &PodGcMemory::default(), t0(), &gc_only());
    assert_eq!(deleted(&first), set(&[]));
    let memory = memory_of(&first).unwrap_or_default();
    assert!(memory.quarantine.is_empty(), "{memory}");
    let later = t0().add_seconds(80);
    let second = run(&pods, &[], &memory, later, &gc_only());
    assert_eq!(deleted(&second), set(&[]));
    assert_eq!(patched(&second), set(&[]));
    let memory = memory_of(&second).expect("quarantine starts");
    assert_eq!(memory.quarantine.get("node"), Some(&later));
}

// upstream: gc_controller_test.go TestGCOrphaned "some nodes missing"
#[test]
fn gc_orphaned_some_nodes_missing() {
    let nodes = [node("existing", "True", json!([]))];
    let pods = [
        pod("a", "deleted", "Failed", json!({})),
        pod("b", "existing", "Failed", json!({})),
        pod("c", "deleted", "Succeeded", json!({})),
        pod("d", "deleted", "Running", json!({})),
    ];
    let first = run(&pods, &nodes, &PodGcMemory::default(), t0(), &gc_only());
    assert_eq!(deleted(&first), set(&[]));
    let memory = memory_of(&first).expect("quarantine");
    let second = run(&pods, &nodes, &memory, t0().add_seconds(80), &gc_only());
    assert_eq!(deleted(&second), set(&["a", "c", "d"]));
    assert_eq!(patched(&second), set(&["d"]));
    assert_eq!(written(&second, "d"), Some(("Failed".to_owned(), Some("DeletionByPodGC".to_owned()))));
}

fn terminating() -> Value {
    json!({"metadata": {"deletionTimestamp": "1970-01-01T00:00:00Z"}})
}

fn merge(mut a: Value, b: &Value) -> Value {
    if let (Some(a), Some(b)) = (a.as_object_mut(), b.as_object()) {
        for (k, v) in b {
            match a.get_mut(k) {
                Some(Value::Object(inner)) => {
                    if let Some(v) = v.as_object() {
                        inner.extend(v.clone());
                    }
                }
                _ => {
                    a.insert(k.clone(), v.clone());
                }
            }
        }
    }
    a
}

// upstream: gc_controller_test.go TestGCTerminating "some pods have deletion
// timestamp and/or phase set and some of the corresponding nodes have an
// outofservice taint that are not ready"
#[test]
fn gc_terminating_out_of_service_any_effect() {
    let oos = |effect: &str, value: &str| {
        let mut taint = json!({"key": "node.kubernetes.io/out-of-service", "effect": effect});
        if !value.is_empty() {
            taint["value"] = json!(value);
        }
        json!([taint])
    };
    let nodes = [
        node("worker-0", "False", oos("NoExecute", "")),
        node("worker-1", "False", json!([])),
        node("worker-2", "True", json!([])),
        node("worker-3", "False", oos("NoSchedule", "")),
        node("worker-4", "False", oos("PreferNoSchedule", "")),
        node("worker-5", "False", oos("NoExecute", "any-value")),
    ];
    // Per node: a (no phase), b (no phase, being deleted), c Pending,
    // d Running, e Unknown; upstream puts a5 on worker-3.
    let placement = [
        ("1", "worker-0", "worker-0"),
        ("2", "worker-1", "worker-1"),
        ("3", "worker-2", "worker-2"),
        ("4", "worker-3", "worker-3"),
        ("5", "worker-3", "worker-4"),
        ("6", "worker-5", "worker-5"),
    ];
    let mut pods = Vec::new();
    let mut hour = 12; // six nodes, two hours apart, come first
    for (i, a_node, others) in placement {
        for (letter, phase, del) in [
            ("a", "", false),
            ("b", "", true),
            ("c", "Pending", false),
            ("d", "Running", false),
            ("e", "Unknown", false),
        ] {
            hour += 1;
            let on = if letter == "a" { a_node } else { others };
            let mut extra = json!({"metadata": {"creationTimestamp": created(hour)}});
            if del {
                extra = merge(extra, &terminating());
            }
            pods.push(pod(&format!("{letter}{i}"), on, phase, extra));
        }
    }
    let actions = run(&pods, &nodes, &PodGcMemory::default(), t0(), &gc_only());
    assert_eq!(deleted(&actions), set(&["b1", "b4", "b5", "b6"]));
    assert_eq!(patched(&actions), set(&["b1", "b4", "b5", "b6"]));
    for name in ["b1", "b4", "b5", "b6"] {
        assert_eq!(written(&actions, name), Some(("Failed".to_owned(), None)), "{name}");
    }
}

// upstream: gc_controller_test.go TestGCTerminating "pods deleted from node
// tainted out-of-service"
#[test]
fn gc_terminating_pods_deleted_from_node_tainted_out_of_service() {
    let nodes = [node(
        "worker",
        "False",
        json!([{"key": "node.kubernetes.io/out-of-service", "effect": "NoExecute"}]),
    )];
    let pods = [
        pod(
            "a",
            "worker",
            "Running",
            merge(json!({"metadata": {"creationTimestamp": created(3)}}), &terminating()),
        ),
        pod(
            "b",
            "worker",
            "Failed",
            merge(json!({"metadata": {"creationTimestamp": created(4)}}), &terminating()),
        ),
        pod(
            "c",
            "worker",
            "Succeeded",
            merge(json!({"metadata": {"creationTimestamp": created(5)}}), &terminating()),
        ),
    ];
    let actions = run(&pods, &nodes, &PodGcMemory::default(), t0(), &gc_only());
    assert_eq!(deleted(&actions), set(&["a", "b", "c"]));
    assert_eq!(patched(&actions), set(&["a"]));
    assert_eq!(written(&actions, "a"), Some(("Failed".to_owned(), None)));
}

// upstream: gc_controller_test.go TestGCUnscheduledTerminating "Unscheduled
// pod in any phase must be deleted"
#[test]
fn gc_unscheduled_terminating_any_phase() {
    let pods: Vec<Pod> = [("a", "Failed"), ("b", "Succeeded"), ("c", "Running")]
        .iter()
        .zip(1..)
        .map(|((name, phase), hour)| {
            pod(
                name,
                "",
                phase,
                merge(json!({"metadata": {"creationTimestamp": created(hour)}}), &terminating()),
            )
        })
        .collect();
    let actions = run(&pods, &[], &PodGcMemory::default(), t0(), &gc_only());
    assert_eq!(deleted(&actions), set(&["a", "b", "c"]));
    assert_eq!(patched(&actions), set(&["c"]));
    assert_eq!(written(&actions, "c"), Some(("Failed".to_owned(), None)));
}

// upstream: gc_controller_test.go TestGCInspectingPatchedPodBeforeDeletion
// "orphaned pod should have DisruptionTarget condition added before
// deletion" (upstream sets quarantineTime to -1; here the node has been
// missing for the quarantine already).
#[test]
fn gc_inspecting_patched_pod_before_deletion() {
    let p = pod(
        "testPod",
        "deletedNode",
        "Running",
        json!({"status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
    );
    let memory =
        PodGcMemory { quarantine: [("deletedNode".to_owned(), t0())].into(), ..PodGcMemory::default() };
    let now = t0().add_seconds(40);
    let actions = run(std::slice::from_ref(&p), &[], &memory, now, &gc_only());
    let status_at = actions.iter().position(|a| matches!(a, Action::UpdateStatus { .. })).expect("patch");
    let delete_at = actions.iter().position(|a| matches!(a, Action::Delete { .. })).expect("delete");
    assert!(status_at < delete_at, "{actions:?}");
    let Action::UpdateStatus { object: Object::Pod(got) } = &actions[status_at] else {
        panic!("{actions:?}")
    };
    assert_eq!((got.metadata.namespace(), got.metadata.name()), ("default", "testPod"));
    assert_eq!(got.spec.as_ref().and_then(|s| s.node_name.as_deref()), Some("deletedNode"));
    let st = got.status.clone().expect("status");
    assert_eq!(st.phase.map(|x| x.to_string()).as_deref(), Some("Failed"));
    // Compared as upstream does, LastTransitionTime aside.
    let conditions: Vec<Condition> = st
        .conditions
        .unwrap_or_default()
        .into_iter()
        .map(|c| Condition { last_transition_time: None, ..c })
        .collect();
    assert_eq!(
        conditions,
        vec![
            Condition { type_: "Ready".into(), status: ConditionStatus::True, ..Condition::default() },
            Condition {
                type_: "DisruptionTarget".into(),
                status: ConditionStatus::True,
                reason: Some("DeletionByPodGC".into()),
                message: Some("PodGC: node no longer exists".into()),
                ..Condition::default()
            },
        ]
    );
    let Action::Delete { target, options } = &actions[delete_at] else { panic!("{actions:?}") };
    assert_eq!(target.name, "testPod");
    assert_eq!(*options, DeleteOptions::force());
    assert_eq!(options.grace_period_seconds, Some(0));
}

// ---------------------------------------------------------------------------
// taint_eviction_test.go
// ---------------------------------------------------------------------------

/// The taint manager alone, tolerations as written.
fn eviction_only() -> Config {
    Config { terminated_pod_gc_threshold: 0, default_toleration_seconds: None, ..Config::default() }
}

/// upstream: testutil.NewPod: namespace `default`, no phase, `Ready=True`.
fn test_pod(name: &str, node: &str, tolerations: Value) -> Pod {
    pod(
        name,
        node,
        "",
        json!({"spec": {"tolerations": tolerations}, "status": {"conditions": [{"type": "Ready", "status": "True"}]}}),
    )
}

/// upstream: addToleration: `testTaint<i>` = `test<i>`, NoExecute, operator
/// unset (Equal); a negative duration tolerates for ever.
fn toleration(index: u32, seconds: i64) -> Value {
    let mut t =
        json!({"key": format!("testTaint{index}"), "value": format!("test{index}"), "effect": "NoExecute"});
    if seconds >= 0 {
        t["tolerationSeconds"] = json!(seconds);
    }
    t
}

/// upstream: createNoExecuteTaint, added at `added`.
fn no_execute_taint(index: u32, added: Time) -> Value {
    json!({"key": format!("testTaint{index}"), "value": format!("test{index}"), "effect": "NoExecute",
           "timeAdded": added.to_string()})
}

fn node1(taints: &[u32], added: Time) -> Node {
    node("node1", "True", Value::Array(taints.iter().map(|i| no_execute_taint(*i, added)).collect()))
}

fn evicted_by_taint_manager(actions: &[Action], name: &str) -> bool {
    deleted(actions).contains(name)
        && written(actions, name)
            .is_some_and(|(_, reason)| reason.as_deref() == Some("DeletionByTaintManager"))
}

fn timer(memory: &Option<PodGcMemory>, key: &str) -> Option<Time> {
    memory.as_ref().and_then(|m| m.evictions.get(key)).map(|e| e.fire_at)
}

// upstream: taint_eviction_test.go TestFilterNoExecuteTaints: only the
// NoExecute taint counts for eviction.
#[test]
fn filter_no_execute_taints() {
    let taints = json!([{"key": "one", "value": "one", "effect": "NoExecute"},
                        {"key": "two", "value": "two", "effect": "NoSchedule"}]);
    let n = node("node1", "True", taints.clone());
    // Tolerating "one" for ever is enough: "two" is not a NoExecute taint.
    let p = test_pod("pod1", "node1", json!([{"key": "one", "operator": "Exists", "effect": "NoExecute"}]));
    let actions = run(&[p], std::slice::from_ref(&n), &PodGcMemory::default(), t0(), &eviction_only());
    assert_eq!(deleted(&actions), set(&[]));
    assert_eq!(memory_of(&actions).map(|m| m.tolerated.contains_key("default/pod1")), Some(true));
    // A pod tolerating nothing stays on a node whose only taint is "two".
    let only_two = node("node1", "True", json!([taints[1]]));
    let actions = run(
        &[test_pod("pod2", "node1", json!([]))],
        &[only_two],
        &PodGcMemory::default(),
        t0(),
        &eviction_only(),
    );
    assert_eq!(deleted(&actions), set(&[]));
    assert!(memory_of(&actions).is_none(), "{actions:?}");
    let taints: Vec<kube_workloads::api::Taint> = serde_json::from_value(taints).expect("taints");
    let tols: Vec<Toleration> =
        serde_json::from_value(json!([{"key": "one", "operator": "Exists", "effect": "NoExecute"}]))
            .expect("tol");
    assert_eq!(no_execute_eviction(&taints, &tols, &FeatureGates::default()), NoExecuteEviction::Never);
    assert_eq!(no_execute_eviction(&taints, &[], &FeatureGates::default()), NoExecuteEviction::Now);
}

// upstream: taint_eviction_test.go TestCreatePod "schedule on tainted Node
// with infinite invalid toleration" (expectPatch, expectDelete)
#[test]
fn create_pod_with_infinite_invalid_toleration() {
    let p = test_pod("pod1", "node1", json!([toleration(2, -1)]));
    let actions = run(&[p], &[node1(&[1], t0())], &PodGcMemory::default(), t0(), &eviction_only());
    assert!(evicted_by_taint_manager(&actions, "pod1"), "{actions:?}");
    assert_eq!(deleted(&actions), set(&["pod1"]));
}

// upstream: taint_eviction_test.go TestUpdatePod "scheduling onto tainted
// Node" (expectPatch, expectDelete)
#[test]
fn update_pod_scheduling_onto_tainted_node() {
    let nodes = [node1(&[1], t0())];
    let before =
        run(&[test_pod("pod1", "", json!([]))], &nodes, &PodGcMemory::default(), t0(), &eviction_only());
    assert_eq!(deleted(&before), set(&[]));
    let memory = memory_of(&before).unwrap_or_default();
    let after =
        run(&[test_pod("pod1", "node1", json!([]))], &nodes, &memory, t0().add_seconds(1), &eviction_only());
    assert!(evicted_by_taint_manager(&after, "pod1"), "{after:?}");
}

// upstream: taint_eviction_test.go TestUpdateNode "Only one added taint
// tolerated" and "Pod with multiple tolerations are evicted when first one
// runs out"
#[test]
fn update_node_rows() {
    // "Only one added taint tolerated": at once.
    let p = test_pod("pod1", "node1", json!([toleration(1, 100)]));
    let before =
        run(std::slice::from_ref(&p), &[node1(&[], t0())], &PodGcMemory::default(), t0(), &eviction_only());
    assert_eq!(deleted(&before), set(&[]));
    let memory = memory_of(&before).unwrap_or_default();
    let after = run(std::slice::from_ref(&p), &[node1(&[1, 2], t0())], &memory, t0(), &eviction_only());
    assert!(evicted_by_taint_manager(&after, "pod1"), "{after:?}");

    // "Pod with multiple tolerations are evicted when first one runs out":
    // 1 s and 100 s; the pod goes after 1 s.
    let p = test_pod("pod1", "node1", json!([toleration(1, 1), toleration(2, 100)]));
    let nodes = [node1(&[1, 2], t0())];
    let first = run(std::slice::from_ref(&p), &nodes, &PodGcMemory::default(), t0(), &eviction_only());
    assert_eq!(deleted(&first), set(&[]));
    let memory = memory_of(&first);
    assert_eq!(timer(&memory, "default/pod1"), Some(t0().add_seconds(1)));
    let memory = memory.unwrap_or_default();
    let fired = run(std::slice::from_ref(&p), &nodes, &memory, t0().add_seconds(1), &eviction_only());
    assert!(evicted_by_taint_manager(&fired, "pod1"), "{fired:?}");
}

// upstream: taint_eviction_test.go TestUpdateNodeWithMultipleTaints
#[test]
fn update_node_with_multiple_taints() {
    let p = test_pod(
        "pod1",
        "node1",
        json!([{"key": "testTaint1", "operator": "Exists", "effect": "NoExecute"},
               {"key": "testTaint2", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}]),
    );
    let pods = std::slice::from_ref(&p);
    let key = "default/pod1";
    let mut memory = PodGcMemory::default();
    // (node taints, whether the pod is queued for deletion)
    let steps: [(&[u32], bool); 4] = [
        (&[], false),    // no taint
        (&[1], false),   // no taint -> infinitely tolerated taint
        (&[1, 2], true), // infinitely tolerated taint -> temporarily tolerated taint
        (&[1], false),   // temporarily tolerated taint -> infinitely tolerated taint
    ];
    for (i, (taints, queued)) in steps.into_iter().enumerate() {
        let now = t0().add_seconds(i64::try_from(i).expect("step"));
        let actions = run(pods, &[node1(taints, t0())], &memory, now, &eviction_only());
        assert_eq!(deleted(&actions), set(&[]), "step {i}: unexpected deletion");
        memory = memory_of(&actions).unwrap_or(memory);
        assert_eq!(memory.evictions.contains_key(key), queued, "step {i}: {memory}");
        if queued {
            assert_eq!(memory.evictions.get(key).map(|e| e.fire_at), Some(now.add_seconds(60)));
        }
    }
}

// upstream: taint_eviction_test.go TestUpdateNodeWithMultiplePods "Pods with
// different toleration times are evicted appropriately" and "Evict all pods
// not matching all taints instantly"
#[test]
fn update_node_with_multiple_pods() {
    let pods = || {
        vec![
            test_pod("pod1", "node1", json!([])),
            test_pod("pod2", "node1", json!([toleration(1, 1)])),
            test_pod("pod3", "node1", json!([toleration(1, -1)])),
        ]
    };
    // Different toleration times: pod1 at 0, pod2 at 1 s, pod3 never.
    let all = pods();
    let at0 = run(&all, &[node1(&[1], t0())], &PodGcMemory::default(), t0(), &eviction_only());
    assert_eq!(deleted(&at0), set(&["pod1"]));
    let memory = memory_of(&at0).expect("pod2's timer");
    // pod1 is gone (the fake client deleted it).
    let rest = &all[1..];
    let at1 = run(rest, &[node1(&[1], t0())], &memory, t0().add_seconds(1), &eviction_only());
    assert_eq!(deleted(&at1), set(&["pod2"]));
    let memory = memory_of(&at1).unwrap_or(memory);
    let later = run(&rest[1..], &[node1(&[1], t0())], &memory, t0().add_seconds(3600), &eviction_only());
    assert_eq!(deleted(&later), set(&[]));

    // Not matching all taints: every pod at once.
    let at0 = run(&pods(), &[node1(&[1, 2], t0())], &PodGcMemory::default(), t0(), &eviction_only());
    assert_eq!(deleted(&at0), set(&["pod1", "pod2", "pod3"]));
}

// upstream: taint_eviction_test.go TestGetMinTolerationTime (the used
// tolerations, one per taint here: getMinTolerationTime's 0 is Some(0),
// its -1 (for ever) None)
#[test]
fn get_min_toleration_time() {
    let rows: [(&[Option<i64>], Option<i64>); 5] = [
        (&[], Some(0)),
        (&[None], None),
        (&[Some(1), Some(2)], Some(1)),
        (&[Some(1), None], Some(1)),
        (&[None, Some(1)], Some(1)),
    ];
    for (seconds, want) in rows {
        let keys: Vec<String> = (0..seconds.len()).map(|i| format!("k{i}")).collect();
        let taints: Vec<kube_workloads::api::Taint> = keys
            .iter()
            .map(|k| serde_json::from_value(json!({"key": k, "effect": "NoExecute"})).expect("taint"))
            .collect();
        let tols: Vec<Toleration> = keys
            .iter()
            .zip(seconds)
            .map(|(k, s)| {
                let mut v = json!({"key": k, "operator": "Exists"});
                if let Some(s) = s {
                    v["tolerationSeconds"] = json!(s);
                }
                serde_json::from_value(v).expect("toleration")
            })
            .collect();
        let refs: Vec<&kube_workloads::api::Taint> = taints.iter().collect();
        assert_eq!(toleration_time(&refs, &tols), want, "{seconds:?}");
    }
}

// upstream: taint_eviction_test.go TestEventualConsistency, all four rows:
// the node update evicts pod1 (patch and delete); pod2, seen on the node
// only later, is handled then (upstream: "We should delete it as well").
#[test]
fn eventual_consistency() {
    let tainted = [node1(&[1], t0())];
    let rows: [(&str, Option<Pod>, Pod, Option<i64>); 4] = [
        (
            "existing pod2 scheduled onto tainted Node",
            Some(test_pod("pod2", "", json!([]))),
            test_pod("pod2", "node1", json!([])),
            None,
        ),
        (
            "existing pod2 with taint toleration scheduled onto tainted Node",
            Some(test_pod("pod2", "", json!([toleration(1, 100)]))),
            test_pod("pod2", "node1", json!([toleration(1, 100)])),
            Some(100),
        ),
        ("new pod2 created on tainted Node", None, test_pod("pod2", "node1", json!([])), None),
        (
            "new pod2 with tait toleration created on tainted Node",
            None,
            test_pod("pod2", "node1", json!([toleration(1, 100)])),
            Some(100),
        ),
    ];
    for (name, prev, new, tolerated_for) in rows {
        let mut pods = vec![test_pod("pod1", "node1", json!([]))];
        pods.extend(prev);
        let first = run(&pods, &tainted, &PodGcMemory::default(), t0(), &eviction_only());
        assert!(evicted_by_taint_manager(&first, "pod1"), "{name}: {first:?}");
        assert_eq!(deleted(&first), set(&["pod1"]), "{name}");
        let memory = memory_of(&first).unwrap_or_default();
        let second = run(std::slice::from_ref(&new), &tainted, &memory, t0(), &eviction_only());
        match tolerated_for {
            None => assert!(evicted_by_taint_manager(&second, "pod2"), "{name}: {second:?}"),
            Some(secs) => {
                assert_eq!(deleted(&second), set(&[]), "{name}");
                let memory = memory_of(&second);
                let fire = timer(&memory, "default/pod2");
                assert_eq!(fire, Some(t0().add_seconds(secs)), "{name}");
                let memory = memory.unwrap_or_default();
                let third = run(&[new], &tainted, &memory, t0().add_seconds(secs), &eviction_only());
                assert!(evicted_by_taint_manager(&third, "pod2"), "{name}: {third:?}");
            }
        }
    }
}

// ---------------------------------------------------------------------------
// ttlafterfinished_controller_test.go
// ---------------------------------------------------------------------------

fn job(ttl: Option<i32>, condition: &str, at: Time) -> Job {
    let mut v = json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "foobar", "namespace": "default", "uid": "u-foobar"},
        "spec": {"selector": {"matchLabels": {"foo": "bar"}},
                 "template": {"metadata": {"labels": {"foo": "bar"}},
                              "spec": {"containers": [{"name": "c", "image": "foo/bar"}]}}},
        "status": {"conditions": [{"type": condition, "status": "True", "lastTransitionTime": at.to_string()}]}
    });
    if let Some(ttl) = ttl {
        v["spec"]["ttlSecondsAfterFinished"] = json!(ttl);
    }
    serde_json::from_value(v).expect("job")
}

// upstream: ttlafterfinished_controller_test.go TestTimeLeft "Error case:
// Job failed now, no TTL", "Job failed now, 0s TTL", "Job completed 10s ago,
// 15s TTL", "Job failed 10s ago, 15s TTL"
#[test]
fn time_left_rows() {
    let now = t0();
    // (name, ttl, condition, finished, expected expire-at; None: "should not be cleaned up")
    type Row<'a> = (&'a str, Option<i32>, &'a str, Time, Option<Time>);
    let rows: [Row<'_>; 4] = [
        ("Job failed now, no TTL", None, "Failed", now, None),
        ("Job failed now, 0s TTL", Some(0), "Failed", now, Some(now)),
        (
            "Job completed 10s ago, 15s TTL",
            Some(15),
            "Complete",
            now.add_seconds(-10),
            Some(now.add_seconds(5)),
        ),
        ("Job failed 10s ago, 15s TTL", Some(15), "Failed", now.add_seconds(-10), Some(now.add_seconds(5))),
    ];
    for (name, ttl, condition, finished, want) in rows {
        let j = job(ttl, condition, finished);
        assert_eq!(expire_at(&j), want, "{name}");
        let actions = ttl_reconcile(&j, now);
        match want {
            None => assert!(actions.is_empty(), "{name}: {actions:?}"),
            Some(at) if at == now => {
                let [Action::Delete { target, options }] = actions.as_slice() else {
                    panic!("{name}: {actions:?}")
                };
                assert_eq!(target.name, "foobar", "{name}");
                assert_eq!(options.propagation_policy, Some(PropagationPolicy::Foreground), "{name}");
            }
            Some(at) => {
                // time left: expire-at minus now.
                let [Action::Requeue { after, .. }] = actions.as_slice() else {
                    panic!("{name}: {actions:?}")
                };
                assert_eq!(*after, Duration::from_secs(5), "{name}");
                assert_eq!(now.duration_until(at), Duration::from_secs(5), "{name}");
            }
        }
    }
}
