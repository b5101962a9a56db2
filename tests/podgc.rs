//! Pod GC and taint-based eviction: tables mirroring kubernetes/kubernetes
//! pkg/controller/podgc/gc_controller_test.go and
//! pkg/controller/tainteviction/taint_eviction_test.go (each case cites its
//! upstream test; case descriptions paraphrase upstream's).

use kube_workloads::api::{ConditionStatus, Object, PodPhase, Time, Toleration};
use kube_workloads::controller::podgc::{
    Config, Observed, PodGcMemory, reconcile_with, toleration_time, with_default_tolerations,
};
use kube_workloads::controller::{Action, ControllerMemory, DeleteOptions};
use kube_workloads::{Node, Pod};
use serde_json::{Value, json};

fn t(s: &str) -> Time {
    s.parse().expect("time")
}

fn base() -> Time {
    t("2024-01-01T00:00:00Z")
}

fn pod(name: &str, node: &str, phase: &str, created: i64) -> Pod {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}"),
                     "creationTimestamp": base().add_seconds(created).to_string()},
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "x"}]},
        "status": {"phase": phase}
    }))
    .expect("pod")
}

fn with(mut p: Pod, f: impl FnOnce(&mut Pod)) -> Pod {
    f(&mut p);
    p
}

fn node(name: &str, ready: bool, taints: Value) -> Node {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name},
        "spec": {"taints": taints},
        "status": {"conditions": [{"type": "Ready", "status": if ready { "True" } else { "False" }}]}
    }))
    .expect("node")
}

fn cfg(threshold: usize) -> Config {
    Config { terminated_pod_gc_threshold: threshold, ..Config::default() }
}

/// Every reconcile of these tables also checks each delete's options: the
/// collector's are force deletes (upstream: markFailedAndDeletePodWithCondition
/// sends `metav1.NewDeleteOptions(0)`), the taint manager's, announced by its
/// `TaintManagerEviction` event, have the default options (deletePodHandler).
fn run(pods: &[Pod], nodes: &[Node], memory: &PodGcMemory, now: Time, config: &Config) -> Vec<Action> {
    let actions = reconcile_with(&Observed { pods, nodes, memory }, now, config);
    for (i, a) in actions.iter().enumerate() {
        if let Action::Delete { target, options } = a {
            let evicted = actions[..i].iter().any(|e| {
                matches!(e, Action::Event(ev) if ev.reason == "TaintManagerEviction" && ev.regarding.name == target.name)
            });
            let want = if evicted { DeleteOptions::default() } else { DeleteOptions::force() };
            assert_eq!(*options, want, "{a}");
        }
    }
    actions
}

fn deleted(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { target, .. } => Some(target.name.clone()),
            _ => None,
        })
        .collect()
}

fn patched(actions: &[Action]) -> Vec<(String, String, Option<String>)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::UpdateStatus { object: Object::Pod(p) } => {
                let st = p.status.clone().unwrap_or_default();
                let reason = st
                    .conditions
                    .unwrap_or_default()
                    .into_iter()
                    .find(|c| c.type_ == "DisruptionTarget" && c.status == ConditionStatus::True)
                    .and_then(|c| c.reason);
                Some((
                    p.metadata.name().to_owned(),
                    st.phase.map(|x| x.to_string()).unwrap_or_default(),
                    reason,
                ))
            }
            _ => None,
        })
        .collect()
}

fn memory_of(actions: &[Action]) -> Option<PodGcMemory> {
    actions.iter().find_map(|a| match a {
        Action::Remember { memory: ControllerMemory::PodGc(m), .. } => Some(m.clone()),
        _ => None,
    })
}

// upstream: gc_controller_test.go: TestGCTerminated
#[test]
fn gc_terminated() {
    let n = [node("node", true, json!([]))];
    let cases: Vec<(&str, Vec<Pod>, usize, Vec<&str>)> = vec![
        (
            "delete the oldest pods over the threshold",
            vec![pod("a", "node", "Failed", 1), pod("b", "node", "Succeeded", 0)],
            1,
            vec!["b"],
        ),
        (
            "threshold = 0 disables terminated pod deletion",
            vec![pod("a", "node", "Failed", 1), pod("b", "node", "Succeeded", 0)],
            0,
            vec![],
        ),
        (
            "running and pending pods are not terminated; an empty phase is",
            vec![
                pod("a", "node", "Running", 0),
                pod("b", "node", "Pending", 0),
                pod("c", "node", "Unknown", 0),
                pod("d", "node", "", 3),
                pod("e", "node", "Failed", 2),
            ],
            1,
            vec!["e"],
        ),
        (
            "evicted pods go first, then older, then name",
            vec![
                pod("c", "node", "Failed", 0),
                pod("a", "node", "Failed", 5),
                pod("b", "node", "Failed", 5),
                with(pod("z", "node", "Failed", 9), |p| {
                    p.status.get_or_insert_default().reason = Some("Evicted".into())
                }),
            ],
            1,
            vec!["z", "c", "a"],
        ),
        ("under the threshold nothing happens", vec![pod("a", "node", "Failed", 0)], 12_500, vec![]),
    ];
    for (name, pods, threshold, want) in cases {
        let actions = run(&pods, &n, &PodGcMemory::default(), base(), &cfg(threshold));
        assert_eq!(deleted(&actions), want, "{name}");
        assert!(patched(&actions).is_empty(), "{name}: terminal pods are not patched");
    }
}

// upstream: gc_controller_test.go: TestGCOrphaned
#[test]
fn gc_orphaned_with_quarantine() {
    let pods = vec![
        pod("a", "deleted", "Running", 0),
        pod("b", "deleted", "Succeeded", 0),
        pod("c", "node", "Running", 0),
    ];
    let nodes = [node("node", true, json!([]))];
    // "pods on a missing node are quarantined first"
    let a1 = run(&pods, &nodes, &PodGcMemory::default(), base(), &cfg(0));
    assert!(deleted(&a1).is_empty());
    let m1 = memory_of(&a1).expect("memory");
    assert_eq!(m1.quarantine.get("deleted"), Some(&base()));
    assert!(a1.iter().any(|a| matches!(a, Action::Requeue { after, .. } if after.as_secs() == 20)));
    // "quarantine not finished"
    let a2 = run(&pods, &nodes, &m1, base().add_seconds(39), &cfg(0));
    assert!(deleted(&a2).is_empty());
    assert!(a2.iter().any(|a| matches!(a, Action::Requeue { after, .. } if after.as_secs() == 1)));
    // "node missing for the quarantine period: its pods are collected"; the
    // running one is marked Failed with DisruptionTarget first.
    let a3 = run(&pods, &nodes, &m1, base().add_seconds(40), &cfg(0));
    assert_eq!(deleted(&a3), vec!["a", "b"]);
    assert_eq!(patched(&a3), vec![("a".to_owned(), "Failed".to_owned(), Some("DeletionByPodGC".to_owned()))]);
    let status_at = a3.iter().position(|a| matches!(a, Action::UpdateStatus { .. }));
    let delete_at = a3.iter().position(|a| matches!(a, Action::Delete { .. }));
    assert!(status_at < delete_at);
    assert_eq!(memory_of(&a3).map(|m| m.quarantine.len()), Some(0));
    // "node reappears: nothing happens and the quarantine is dropped"
    let back = [node("node", true, json!([])), node("deleted", true, json!([]))];
    let a4 = run(&pods, &back, &m1, base().add_seconds(60), &cfg(0));
    assert!(deleted(&a4).is_empty());
    assert_eq!(memory_of(&a4).map(|m| m.quarantine.len()), Some(0));
    // A lost memory restarts the quarantine (upstream after a restart).
    let a5 = run(&pods, &nodes, &PodGcMemory::default(), base().add_seconds(100), &cfg(0));
    assert!(deleted(&a5).is_empty());
}

// upstream: gc_controller_test.go: TestGCUnscheduledTerminating
#[test]
fn gc_unscheduled_terminating() {
    let del = |p: Pod| with(p, |p| p.metadata.deletion_timestamp = Some(base()));
    let pods = vec![
        del(pod("a", "", "Pending", 0)),
        pod("b", "", "Pending", 0),
        del(pod("c", "node", "Running", 0)),
        del(pod("d", "", "Succeeded", 0)),
    ];
    let actions = run(&pods, &[node("node", true, json!([]))], &PodGcMemory::default(), base(), &cfg(0));
    assert_eq!(deleted(&actions), vec!["a", "d"]);
    assert_eq!(patched(&actions), vec![("a".to_owned(), "Failed".to_owned(), None)]);
}

// upstream: gc_controller.go markFailedAndDeletePodWithCondition records
// the pod's generation (GetPodObservedGenerationIfEnabled), and the
// DisruptionTarget condition too (GetPodObservedGenerationIfEnabledOnCondition),
// when PodObservedGenerationTracking is on (the default); apipod's
// UpdatePodCondition replaces a condition whole, its probe time cleared.
#[test]
fn status_writes_record_the_observed_generation() {
    let written = |actions: &[Action]| {
        actions.iter().find_map(|a| match a {
            Action::UpdateStatus { object: kube_workloads::Object::Pod(p) } => p.status.clone(),
            _ => None,
        })
    };
    let generation = |p: Pod| with(p, |p| p.metadata.generation = Some(3));
    let orphan = generation(pod("a", "deleted", "Running", 0));
    let memory =
        PodGcMemory { quarantine: [("deleted".to_owned(), base())].into(), ..PodGcMemory::default() };
    let nodes = [node("node", true, json!([]))];
    let at = base().add_seconds(40);
    let st = written(&run(std::slice::from_ref(&orphan), &nodes, &memory, at, &cfg(0))).expect("status");
    assert_eq!(st.observed_generation, Some(3));
    let target = st.conditions.unwrap_or_default().into_iter().find(|c| c.type_ == "DisruptionTarget");
    assert_eq!(target.and_then(|c| c.observed_generation), Some(3));
    // The gate off: neither (the pod had none).
    let mut off = cfg(0);
    off.gates.pod_observed_generation_tracking = false;
    let st = written(&run(std::slice::from_ref(&orphan), &nodes, &memory, at, &off)).expect("status");
    assert_eq!(st.observed_generation, None);
    let target = st.conditions.unwrap_or_default().into_iter().find(|c| c.type_ == "DisruptionTarget");
    assert_eq!(target.map(|c| c.observed_generation), Some(None));
    // The taint manager records the generation on the condition only
    // (upstream: addConditionAndDeletePod).
    let config = Config { default_toleration_seconds: None, ..eviction_config() };
    let runner = generation(pod("r", "n1", "Running", 0));
    let evicted = run(&[runner], &[tainted(TAINT, Some(base()))], &PodGcMemory::default(), base(), &config);
    let st = written(&evicted).expect("status");
    assert_eq!(st.observed_generation, None);
    let target = st.conditions.unwrap_or_default().into_iter().find(|c| c.type_ == "DisruptionTarget");
    assert_eq!(target.and_then(|c| c.observed_generation), Some(3));
    // An identical condition but for its probe time is replaced whole.
    let probed = with(orphan, |p| {
        p.status.get_or_insert_default().conditions = Some(vec![kube_workloads::api::Condition {
            type_: "DisruptionTarget".into(),
            status: ConditionStatus::True,
            reason: Some("DeletionByPodGC".into()),
            message: Some("PodGC: node no longer exists".into()),
            last_probe_time: Some(base()),
            ..Default::default()
        }])
    });
    let st = written(&run(&[probed], &nodes, &memory, at, &off)).expect("status");
    let target = st.conditions.unwrap_or_default().into_iter().find(|c| c.type_ == "DisruptionTarget");
    assert_eq!(target.map(|c| c.last_probe_time), Some(None));
}

// upstream: gc_controller_test.go: TestGCTerminating
#[test]
fn gc_terminating_out_of_service() {
    let del = |p: Pod| with(p, |p| p.metadata.deletion_timestamp = Some(base()));
    let oos =
        json!([{"key": "node.kubernetes.io/out-of-service", "value": "nodeshutdown", "effect": "NoExecute"}]);
    let nodes =
        [node("oos-down", false, oos.clone()), node("oos-ready", true, oos), node("down", false, json!([]))];
    let pods = vec![
        del(pod("a", "oos-down", "Running", 0)),
        pod("b", "oos-down", "Running", 0),
        del(pod("c", "oos-ready", "Running", 0)),
        del(pod("d", "down", "Running", 0)),
    ];
    let config = Config { terminated_pod_gc_threshold: 0, taint_eviction: false, ..Config::default() };
    let actions = run(&pods, &nodes, &PodGcMemory::default(), base(), &config);
    assert_eq!(deleted(&actions), vec!["a"]);
}

fn tolerations(v: Value) -> Vec<Toleration> {
    serde_json::from_value(v).expect("tolerations")
}

// upstream: admission/defaulttolerationseconds/admission_test.go: TestForgivenessAdmission
#[test]
fn default_toleration_seconds() {
    let got = with_default_tolerations(&[], 300);
    let keys: Vec<_> =
        got.iter().map(|t| (t.key.clone().unwrap_or_default(), t.toleration_seconds)).collect();
    assert_eq!(
        keys,
        vec![
            ("node.kubernetes.io/not-ready".to_owned(), Some(300)),
            ("node.kubernetes.io/unreachable".to_owned(), Some(300))
        ]
    );
    // "pod has one toleration": only the other one is added.
    let own = tolerations(
        json!([{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 700}]),
    );
    let got = with_default_tolerations(&own, 300);
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].toleration_seconds, Some(700));
    // "pod tolerates all taints": nothing added.
    let all = tolerations(json!([{"operator": "Exists"}]));
    assert_eq!(with_default_tolerations(&all, 300).len(), 1);
}

// upstream: taint_eviction_test.go: TestGetMinTolerationTime and
// GetMatchingTolerations (first toleration per taint)
#[test]
fn min_toleration_time() {
    let taint = |k: &str| -> kube_workloads::api::Taint {
        serde_json::from_value(json!({"key": k, "effect": "NoExecute"})).expect("taint")
    };
    let (a, b) = (taint("a"), taint("b"));
    let tol = tolerations(json!([
        {"key": "a", "operator": "Exists", "tolerationSeconds": 100},
        {"key": "a", "operator": "Exists", "tolerationSeconds": 5},
        {"key": "b", "operator": "Exists"}
    ]));
    // The first toleration of taint a is used: 100, not 5.
    assert_eq!(toleration_time(&[&a, &b], &tol), Some(100));
    assert_eq!(toleration_time(&[&b], &tol), None);
    assert_eq!(toleration_time(&[&taint("c")], &tol), Some(0));
    let zero = tolerations(json!([{"key": "a", "operator": "Exists", "tolerationSeconds": -3}]));
    assert_eq!(toleration_time(&[&a], &zero), Some(0));
}

fn tainted(key: &str, added: Option<Time>) -> Node {
    let mut taint = json!({"key": key, "effect": "NoExecute"});
    if let Some(t) = added {
        taint["timeAdded"] = json!(t.to_string());
    }
    node("n1", false, json!([taint]))
}

fn eviction_config() -> Config {
    Config { terminated_pod_gc_threshold: 0, ..Config::default() }
}

// upstream: taint_eviction_test.go: TestCreatePod, TestUpdateNode
#[test]
fn taint_based_eviction() {
    let now = base();
    let p = pod("p", "n1", "Running", 0);
    // "not scheduled - ignore"
    let actions = run(
        &[pod("u", "", "Pending", 0)],
        &[tainted(TAINT, Some(now))],
        &PodGcMemory::default(),
        now,
        &eviction_config(),
    );
    assert!(deleted(&actions).is_empty());
    // "no taints - nothing"
    let actions = run(
        std::slice::from_ref(&p),
        &[node("n1", true, json!([]))],
        &PodGcMemory::default(),
        now,
        &eviction_config(),
    );
    assert!(deleted(&actions).is_empty() && memory_of(&actions).is_none());
    // "default 300 s toleration": the timer starts, the pod stays.
    let a1 = run(
        std::slice::from_ref(&p),
        &[tainted(TAINT, Some(now))],
        &PodGcMemory::default(),
        now,
        &eviction_config(),
    );
    assert!(deleted(&a1).is_empty());
    let m1 = memory_of(&a1).expect("timer");
    assert_eq!(m1.evictions.get("default/p").map(|e| e.fire_at), Some(now.add_seconds(300)));
    // Later passes keep the timer; at 300 s the pod is marked and deleted.
    let a2 = run(
        std::slice::from_ref(&p),
        &[tainted(TAINT, Some(now))],
        &m1,
        now.add_seconds(299),
        &eviction_config(),
    );
    assert!(deleted(&a2).is_empty());
    assert!(a2.iter().any(|a| matches!(a, Action::Requeue { after, .. } if after.as_secs() == 1)));
    let a3 = run(
        std::slice::from_ref(&p),
        &[tainted(TAINT, Some(now))],
        &m1,
        now.add_seconds(300),
        &eviction_config(),
    );
    assert_eq!(deleted(&a3), vec!["p"]);
    assert_eq!(
        patched(&a3),
        vec![("p".to_owned(), "Running".to_owned(), Some("DeletionByTaintManager".to_owned()))]
    );
    assert!(a3.iter().any(|a| matches!(a, Action::Event(e) if e.reason == "TaintManagerEviction"
        && e.message == "Marking for deletion Pod default/p")));
    // The spent timer is not reported as cancelled in the same pass (found by the simulator).
    assert!(
        !a3.iter().any(|a| matches!(a, Action::Event(e) if e.message.starts_with("Cancelling deletion")))
    );
    // "lengthening toleration shouldn't work": a pod update to 1000 s keeps the timer.
    let longer = with(p.clone(), |p| {
        p.spec.get_or_insert_default().tolerations = Some(tolerations(json!([
            {"key": TAINT, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 1000}
        ])))
    });
    let a4 = run(&[longer], &[tainted(TAINT, Some(now))], &m1, now.add_seconds(300), &eviction_config());
    assert_eq!(deleted(&a4), vec!["p"]);
    // "removing toleration": a pod that tolerates nothing is deleted now.
    let config = Config { default_toleration_seconds: None, ..eviction_config() };
    let a5 = run(std::slice::from_ref(&p), &[tainted(TAINT, Some(now))], &m1, now.add_seconds(10), &config);
    assert_eq!(deleted(&a5), vec!["p"]);
    // upstream: processPodOnNode cancels the running timer, with its event,
    // before the immediate eviction.
    let messages: Vec<&str> = a5
        .iter()
        .filter_map(|a| match a {
            Action::Event(e) if e.reason == "TaintManagerEviction" => Some(e.message.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(messages, ["Cancelling deletion of Pod default/p", "Marking for deletion Pod default/p"]);
    // A timer already due has fired upstream: nothing left to cancel.
    let due = run(std::slice::from_ref(&p), &[tainted(TAINT, Some(now))], &m1, now.add_seconds(400), &config);
    assert!(
        !due.iter().any(|a| matches!(a, Action::Event(e) if e.message.starts_with("Cancelling"))),
        "{due:?}"
    );
    assert_eq!(deleted(&due), vec!["p"]);
    // upstream: processPodOnNode bypasses a running timer only when a taint
    // is left untolerated: taints all tolerated, one for 0 s, keep it.
    let zero = with(p.clone(), |p| {
        p.spec.get_or_insert_default().tolerations = Some(tolerations(json!([
            {"key": TAINT, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 0}
        ])))
    });
    let kept =
        run(std::slice::from_ref(&zero), &[tainted(TAINT, Some(now))], &m1, now.add_seconds(10), &config);
    assert!(deleted(&kept).is_empty(), "{kept:?}");
    let kept = memory_of(&kept).unwrap_or_else(|| m1.clone());
    assert_eq!(kept.evictions.get("default/p").map(|e| e.fire_at), Some(now.add_seconds(300)));
    // Without a timer, 0 s is at once.
    let at_once =
        run(&[zero], &[tainted(TAINT, Some(now))], &PodGcMemory::default(), now.add_seconds(10), &config);
    assert_eq!(deleted(&at_once), vec!["p"]);
    // "removing taint cancels the scheduled eviction" (with an event).
    let a6 = run(
        std::slice::from_ref(&p),
        &[node("n1", true, json!([]))],
        &m1,
        now.add_seconds(10),
        &eviction_config(),
    );
    assert!(deleted(&a6).is_empty());
    assert_eq!(memory_of(&a6).map(|m| m.evictions.len()), Some(0));
    assert!(
        a6.iter()
            .any(|a| matches!(a, Action::Event(e) if e.message == "Cancelling deletion of Pod default/p"))
    );
    // "tolerated forever": DaemonSet-style tolerations without seconds.
    let ds = with(p.clone(), |p| {
        p.spec.get_or_insert_default().tolerations = Some(tolerations(json!([
            {"key": TAINT, "operator": "Exists", "effect": "NoExecute"},
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}
        ])))
    });
    let a7 = run(
        &[ds],
        &[tainted(TAINT, Some(now))],
        &PodGcMemory::default(),
        now.add_seconds(10_000),
        &eviction_config(),
    );
    // No timer; the pod is remembered as tolerating for ever.
    assert!(deleted(&a7).is_empty());
    let remembered = memory_of(&a7).expect("memory");
    assert!(remembered.evictions.is_empty());
    assert_eq!(remembered.tolerated.keys().collect::<Vec<_>>(), ["default/p"]);
    // Empty memory: the timer starts at the taint's timeAdded (DECISIONS podgc.md Q2).
    let a8 = run(
        std::slice::from_ref(&p),
        &[tainted(TAINT, Some(now))],
        &PodGcMemory::default(),
        now.add_seconds(301),
        &eviction_config(),
    );
    assert_eq!(deleted(&a8), vec!["p"]);
    // A DisruptionTarget already identical is not patched again.
    let marked = with(p.clone(), |p| {
        p.status.get_or_insert_default().conditions = Some(vec![kube_workloads::api::Condition {
            type_: "DisruptionTarget".into(),
            status: ConditionStatus::True,
            reason: Some("DeletionByTaintManager".into()),
            message: Some("Taint manager: deleting due to NoExecute taint".into()),
            ..Default::default()
        }])
    });
    let a9 = run(&[marked], &[tainted(TAINT, Some(now))], &m1, now.add_seconds(400), &eviction_config());
    assert_eq!((deleted(&a9).len(), patched(&a9).len()), (1, 0));
    let _ = PodPhase::Running;
}

const TAINT: &str = "node.kubernetes.io/unreachable";

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

        // Totality, and no pod deleted twice in one pass, whatever the mix
        // of phases, nodes, taints, tolerations and memory.
        #[test]
        fn one_delete_per_pod(
            specs in prop::collection::vec((0..4usize, 0..5usize, any::<bool>(), -5..400i64, prop::option::of(-10..500i64)), 0..24),
            ready in prop::collection::vec(any::<bool>(), 3),
            threshold in 0..6usize,
            elapsed in 0..1000i64,
        ) {
            let phases = ["Running", "Succeeded", "Failed", "Pending"];
            let nodes: Vec<Node> = (0..3)
                .map(|i| {
                    let taints = if i == 0 { json!([{"key": TAINT, "effect": "NoExecute", "timeAdded": base().to_string()}]) }
                        else if i == 1 { json!([{"key": "node.kubernetes.io/out-of-service", "effect": "NoExecute"}]) }
                        else { json!([]) };
                    node(&format!("n{i}"), ready.get(i).copied().unwrap_or(true), taints)
                })
                .collect();
            let pods: Vec<Pod> = specs.iter().enumerate().map(|(i, (ph, n, del, created, tol))| {
                let node_name = match n { 3 => "gone".to_owned(), 4 => String::new(), k => format!("n{k}") };
                with(pod(&format!("p{i}"), &node_name, phases.get(*ph).copied().unwrap_or("Running"), *created), |p| {
                    if *del { p.metadata.deletion_timestamp = Some(base()); }
                    if let Some(s) = tol {
                        p.spec.get_or_insert_default().tolerations = Some(tolerations(json!([
                            {"key": TAINT, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": s}
                        ])));
                    }
                })
            }).collect();
            let config = Config { terminated_pod_gc_threshold: threshold, ..Config::default() };
            let first = run(&pods, &nodes, &PodGcMemory::default(), base(), &config);
            let memory = memory_of(&first).unwrap_or_default();
            let actions = run(&pods, &nodes, &memory, base().add_seconds(elapsed), &config);
            let mut names = deleted(&actions);
            let n = names.len();
            names.sort();
            names.dedup();
            prop_assert_eq!(n, names.len());
        }
    }
}

// upstream: taint_eviction.go processPodOnNode starts a pod's timer when it
// processes the change (now); a taint the pod tolerates for ever started no
// timer. The crate dates the change without memory: the later of the
// limited taints' timeAdded and the pod's arrival (DECISIONS podgc.md Q2).
#[test]
fn eviction_timers_start_when_the_change_is_seen() {
    let now = base();
    let long_ago = now.add_seconds(-86_400);
    let two_taints = |unreachable_added: Time| {
        node(
            "n1",
            false,
            json!([
                {"key": "dedicated", "value": "x", "effect": "NoExecute", "timeAdded": long_ago.to_string()},
                {"key": TAINT, "effect": "NoExecute", "timeAdded": unreachable_added.to_string()}
            ]),
        )
    };
    let tolerating = |name: &str, created: i64| {
        with(pod(name, "n1", "Running", created), |p| {
            p.spec.get_or_insert_default().tolerations =
                Some(tolerations(json!([{"key": "dedicated", "operator": "Exists", "effect": "NoExecute"}])))
        })
    };
    // Created long ago; unreachable just now: the dedicated taint
    // (tolerated for ever) is not the start.
    let p = tolerating("p", -90_000);
    let actions =
        run(std::slice::from_ref(&p), &[two_taints(now)], &PodGcMemory::default(), now, &eviction_config());
    assert!(deleted(&actions).is_empty(), "{actions:?}");
    let memory = memory_of(&actions).expect("timer");
    assert_eq!(memory.evictions.get("default/p").map(|e| e.fire_at), Some(now.add_seconds(300)));
    // A pod that comes to a node unreachable for a day starts when it came,
    // whether or not the memory holds anything.
    let later = now.add_seconds(10);
    let q = tolerating("q", 10);
    for memory in [memory, PodGcMemory::default()] {
        let actions =
            run(std::slice::from_ref(&q), &[two_taints(long_ago)], &memory, later, &eviction_config());
        assert!(deleted(&actions).is_empty(), "{actions:?}");
        let memory = memory_of(&actions).expect("timer");
        assert_eq!(memory.evictions.get("default/q").map(|e| e.fire_at), Some(later.add_seconds(300)));
    }
}

// upstream: a pod update (tolerations gaining tolerationSeconds) reaches
// processPodOnNode, which starts the timer then. A pod the last pass saw
// tolerating for ever is remembered, so its timer starts at the pass that
// sees the limit, not at the taint's timeAdded.
#[test]
fn a_toleration_that_gains_a_limit_starts_its_timer_when_seen() {
    let now = base();
    let long_ago = now.add_seconds(-86_400);
    let n1 = node(
        "n1",
        true,
        json!([{"key": "dedicated", "value": "x", "effect": "NoExecute", "timeAdded": long_ago.to_string()}]),
    );
    let toleration = |limit: Value| {
        let mut t = json!({"key": "dedicated", "operator": "Exists", "effect": "NoExecute"});
        if !limit.is_null() {
            t["tolerationSeconds"] = limit;
        }
        t
    };
    let p = |limit: Value| {
        with(pod("p", "n1", "Running", -90_000), |p| {
            p.spec.get_or_insert_default().tolerations = Some(tolerations(json!([toleration(limit.clone())])))
        })
    };
    let first =
        run(&[p(Value::Null)], std::slice::from_ref(&n1), &PodGcMemory::default(), now, &eviction_config());
    assert!(deleted(&first).is_empty());
    let memory = memory_of(&first).expect("the pod is remembered");
    assert!(memory.tolerated.contains_key("default/p"));
    let later = now.add_seconds(100);
    let second = run(&[p(json!(60))], std::slice::from_ref(&n1), &memory, later, &eviction_config());
    assert!(deleted(&second).is_empty(), "{second:?}");
    let timer = memory_of(&second).and_then(|m| m.evictions.get("default/p").map(|e| e.fire_at));
    assert_eq!(timer, Some(later.add_seconds(60)));
    // With nothing remembered (a restart), the change is dated back to the
    // taint, long past: the pod goes at once (DECISIONS podgc.md Q2).
    let fresh =
        run(&[p(json!(60))], std::slice::from_ref(&n1), &PodGcMemory::default(), later, &eviction_config());
    assert_eq!(deleted(&fresh), ["p"]);
}

// upstream: handleNodeUpdate on a deleted node only forgets the node; work
// already scheduled still fires (event, DisruptionTarget, delete). No
// "Cancelling deletion" event.
#[test]
fn a_deleted_node_keeps_its_pods_eviction_timers() {
    let now = base();
    let p = pod("p", "n1", "Running", 0);
    let started = run(
        std::slice::from_ref(&p),
        &[tainted(TAINT, Some(now))],
        &PodGcMemory::default(),
        now,
        &eviction_config(),
    );
    let memory = memory_of(&started).expect("timer");
    // The node is gone (in quarantine): the timer stays, silently.
    let gone = run(std::slice::from_ref(&p), &[], &memory, now.add_seconds(20), &eviction_config());
    assert!(
        !gone.iter().any(|a| matches!(a, Action::Event(e) if e.message.starts_with("Cancelling"))),
        "{gone:?}"
    );
    let memory = memory_of(&gone).unwrap_or(memory);
    assert!(memory.evictions.contains_key("default/p"));
    // Its quarantine (40 s) ends after the toleration here only when the
    // toleration is shorter; with 300 s the orphan pass collects it first.
    let collected = run(std::slice::from_ref(&p), &[], &memory, now.add_seconds(61), &eviction_config());
    assert_eq!(deleted(&collected), vec!["p"]);
    assert!(
        !collected
            .iter()
            .any(|a| matches!(a, Action::Event(e) if e.message.starts_with("Marking for deletion")))
    );
    // The taint manager, another controller, sees the pod go while its
    // timer runs: it cancels the timer with the event (handlePodUpdate's
    // NotFound branch, cancelWorkWithEvent).
    assert!(
        collected
            .iter()
            .any(|a| matches!(a, Action::Event(e) if e.message == "Cancelling deletion of Pod default/p")),
        "{collected:?}"
    );
    assert_eq!(memory_of(&collected).map(|m| m.evictions.len()), Some(0));
    // A timer that comes due while the node is gone still evicts.
    let short = with(p.clone(), |p| {
        p.spec.get_or_insert_default().tolerations = Some(tolerations(json!([
            {"key": TAINT, "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 10}
        ])))
    });
    let started = run(
        std::slice::from_ref(&short),
        &[tainted(TAINT, Some(now))],
        &PodGcMemory::default(),
        now,
        &eviction_config(),
    );
    let memory = memory_of(&started).expect("timer");
    let fired = run(std::slice::from_ref(&short), &[], &memory, now.add_seconds(10), &eviction_config());
    assert_eq!(deleted(&fired), vec!["p"]);
    // emitPodDeletionEvent names the pod by namespace and name, no UID.
    assert!(
        fired.iter().any(|a| matches!(a, Action::Event(e)
            if e.message == "Marking for deletion Pod default/p" && e.regarding.uid.is_none())),
        "{fired:?}"
    );
    assert!(
        !fired.iter().any(|a| matches!(a, Action::Event(e) if e.message.starts_with("Cancelling"))),
        "an evicted pod's timer is spent, not cancelled: {fired:?}"
    );
}

// upstream: gcOrphaned's delaying queue keeps a node's item until its 40 s
// are up, and collects its pods then if the node is gone again: a node that
// flaps (gone, back, gone) keeps its first deadline.
#[test]
fn a_flapping_node_keeps_its_quarantine_deadline() {
    let now = base();
    let p = pod("p", "n1", "Running", 0);
    let config = Config { terminated_pod_gc_threshold: 0, taint_eviction: false, ..Config::default() };
    let first = run(std::slice::from_ref(&p), &[], &PodGcMemory::default(), now, &config);
    let memory = memory_of(&first).expect("quarantine");
    let back =
        run(std::slice::from_ref(&p), &[node("n1", true, json!([]))], &memory, now.add_seconds(20), &config);
    let memory = memory_of(&back).unwrap_or(memory);
    assert_eq!(memory.quarantine.get("n1"), Some(&now));
    let gone_again = run(std::slice::from_ref(&p), &[], &memory, now.add_seconds(40), &config);
    assert_eq!(deleted(&gone_again), vec!["p"]);
}

// upstream: the taint-eviction controller's toleration check honours
// TaintTolerationComparisonOperators (kubernetes PR 134665; podgc.md §4.1):
// with the gate on, a `Gt` toleration of a NoExecute taint keeps the pod
// for ever; with it off (1.35's default) the operator tolerates nothing.
#[test]
fn comparison_tolerations_follow_the_gate_in_eviction() {
    let now = base();
    let p = with(pod("p", "n1", "Running", 0), |p| {
        if let Some(spec) = p.spec.as_mut() {
            spec.tolerations = Some(tolerations(
                json!([{"key": "sla", "operator": "Gt", "value": "900", "effect": "NoExecute"}]),
            ));
        }
    });
    let nodes = [node("n1", true, json!([{"key": "sla", "value": "950", "effect": "NoExecute"}]))];
    let mut on = eviction_config();
    on.gates.taint_toleration_comparison_operators = true;
    let kept = run(std::slice::from_ref(&p), &nodes, &PodGcMemory::default(), now, &on);
    assert!(deleted(&kept).is_empty(), "{kept:?}");
    let evicted = run(std::slice::from_ref(&p), &nodes, &PodGcMemory::default(), now, &eviction_config());
    assert_eq!(deleted(&evicted), ["p"], "{evicted:?}");
}

// upstream: taint_eviction.go handlePodUpdate: a pod found gone while its
// eviction timer runs has the timer cancelled with the event
// (cancelWorkWithEvent; emitCancelPodDeletionEvent names the pod by
// namespace and name only). podgc.md §4.5.
#[test]
fn a_deleted_pod_cancels_its_eviction_timer_with_the_event() {
    let now = base();
    let p = pod("p", "n1", "Running", 0);
    let nodes = [tainted(TAINT, Some(now))];
    let first = run(std::slice::from_ref(&p), &nodes, &PodGcMemory::default(), now, &eviction_config());
    let memory = memory_of(&first).expect("timer");
    let gone = run(&[], &nodes, &memory, now.add_seconds(100), &eviction_config());
    let events: Vec<String> = gone
        .iter()
        .filter_map(|a| match a {
            Action::Event(e) => Some(format!("{} {} on {}: {}", e.type_, e.reason, e.regarding, e.message)),
            _ => None,
        })
        .collect();
    assert_eq!(
        events,
        ["Normal TaintManagerEviction on Pod default/p: Cancelling deletion of Pod default/p"]
    );
    assert_eq!(memory_of(&gone).map(|m| m.evictions.len()), Some(0));
}

// upstream: processPodOnNode keeps a running timer when a taint is added
// later (its start plus the smaller limit is always before now plus it), so
// a timer started for taint A at T0 (tolerated 600 s) still fires at
// T0+600 after taint B (tolerated 60 s) comes at T0+100. With no timer in
// memory the crate dates the start by `timeAdded` (DECISIONS podgc Q2) and
// takes the limit of the taints already there then.
#[test]
fn a_memoryless_timer_takes_the_limit_of_the_taints_present_at_its_start() {
    let t0 = base();
    let p = with(pod("p", "n1", "Running", -1000), |p| {
        if let Some(spec) = p.spec.as_mut() {
            spec.tolerations = Some(tolerations(json!([
                {"key": "a", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 600},
                {"key": "b", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 60}])));
        }
    });
    let nodes = [node(
        "n1",
        true,
        json!([
            {"key": "a", "effect": "NoExecute", "timeAdded": t0.to_string()},
            {"key": "b", "effect": "NoExecute", "timeAdded": t0.add_seconds(100).to_string()}]),
    )];
    let actions = run(
        std::slice::from_ref(&p),
        &nodes,
        &PodGcMemory::default(),
        t0.add_seconds(110),
        &eviction_config(),
    );
    assert!(deleted(&actions).is_empty(), "{actions:?}");
    let fire = memory_of(&actions).and_then(|m| m.evictions.get("default/p").map(|e| e.fire_at));
    assert_eq!(fire, Some(t0.add_seconds(600)));
}
