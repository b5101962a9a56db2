//! DaemonSet reconcile: tables mirroring kubernetes/kubernetes
//! pkg/controller/daemon/daemon_controller_test.go (TestNodeShouldRunDaemonPod
//! and the taint tests), update_test.go (TestDaemonSetUpdatesPods*,
//! TestGetUnavailableNumbers) and util/daemonset_util_test.go (each case
//! cites its upstream test; cases are restated, not copied), insta
//! snapshots of a DaemonSet as nodes come and go and of a surge rollout, and
//! property tests.

use std::fmt::Write as _;
use std::time::Duration;

use kube_workloads::api::{ConditionStatus, ControllerRevision, DaemonSetStatus, Object, PodPhase, Time};
use kube_workloads::controller::daemonset::{
    self, BackoffEntry, CONTROLLER_REVISION_HASH_LABEL, DaemonSetMemory, Observed, add_daemon_tolerations,
    bind_to_node, daemon_tolerations, node_should_run_daemon_pod, rolling_update_budget, target_node_name,
};
use kube_workloads::controller::{Action, ControllerMemory};
use kube_workloads::{DaemonSet, FeatureGates, Node, Pod};
use proptest::prelude::*;
use serde_json::{Value, json};

const NS: &str = "default";

fn t0() -> Time {
    "2024-01-01T00:00:00Z".parse().expect("time")
}

fn ds(extra_spec: Value, pod_spec: Value) -> DaemonSet {
    let mut pspec = json!({"containers": [{"name": "agent", "image": "agent:1"}]});
    if let (Some(s), Value::Object(e)) = (pspec.as_object_mut(), pod_spec) {
        for (k, v) in e {
            s.insert(k, v);
        }
    }
    let mut spec = json!({
        "selector": {"matchLabels": {"app": "agent"}},
        "template": {"metadata": {"labels": {"app": "agent"}}, "spec": pspec}
    });
    if let (Some(s), Value::Object(e)) = (spec.as_object_mut(), extra_spec) {
        for (k, v) in e {
            s.insert(k, v);
        }
    }
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": NS, "uid": "uid-agent", "generation": 1},
        "spec": spec
    }))
    .expect("ds")
}

fn node(name: &str, extra: Value) -> Node {
    let mut n = json!({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}}});
    if let (Some(o), Value::Object(e)) = (n.as_object_mut(), extra) {
        for (k, v) in e {
            o.insert(k, v);
        }
    }
    serde_json::from_value(n).expect("node")
}

fn taint(name: &str, key: &str, effect: &str) -> Node {
    node(name, json!({"spec": {"taints": [{"key": key, "effect": effect}]}}))
}

fn set_ready(pod: &mut Pod, since: Time) {
    let status = pod.status.get_or_insert_default();
    status.phase = Some(PodPhase::Running);
    status.conditions = Some(vec![kube_workloads::api::Condition {
        type_: "Ready".into(),
        status: ConditionStatus::True,
        last_transition_time: Some(since),
        ..Default::default()
    }]);
}

fn image(d: &mut DaemonSet, image: &str) {
    if let Some(c) =
        d.spec.as_mut().and_then(|s| s.template.spec.as_mut()).and_then(|s| s.containers.first_mut())
    {
        c.image = Some(image.into());
    }
    d.metadata.generation = Some(d.metadata.generation.unwrap_or(1) + 1);
}

/// A small executor: the API server names and binds pods, the kubelet makes
/// them Ready, deletions complete after one step.
struct Sim {
    ds: DaemonSet,
    nodes: Vec<Node>,
    pods: Vec<Pod>,
    revisions: Vec<ControllerRevision>,
    memory: DaemonSetMemory,
    now: Time,
    next: usize,
    log: String,
}

impl Sim {
    fn new(ds: DaemonSet, nodes: Vec<Node>) -> Sim {
        Sim {
            ds,
            nodes,
            pods: vec![],
            revisions: vec![],
            memory: DaemonSetMemory::default(),
            now: t0(),
            next: 0,
            log: String::new(),
        }
    }

    fn reconcile(&self) -> Vec<Action> {
        let o = Observed {
            pods: &self.pods,
            nodes: &self.nodes,
            revisions: &self.revisions,
            memory: &self.memory,
        };
        daemonset::reconcile(&self.ds, &o, self.now)
    }

    fn sync(&mut self) -> Vec<Action> {
        let actions = self.reconcile();
        for a in &actions {
            let line = describe(a);
            writeln!(self.log, "  {line}").ok();
            self.apply(a);
        }
        actions
    }

    fn apply(&mut self, a: &Action) {
        match a {
            Action::Create { object: Object::Pod(p) } => {
                let mut p = (**p).clone();
                let name = format!("agent-{}", self.next);
                self.next += 1;
                p.metadata.name = Some(name.clone());
                p.metadata.uid = Some(format!("uid-{name}"));
                p.metadata.creation_timestamp = Some(self.now);
                let target = target_node_name(&p).map(str::to_owned);
                p.spec.get_or_insert_default().node_name = target;
                p.status.get_or_insert_default().phase = Some(PodPhase::Pending);
                self.pods.push(p);
            }
            Action::Create { object: Object::ControllerRevision(r) } => self.revisions.push((**r).clone()),
            Action::Delete { target, .. } if target.kind == "Pod" => {
                for p in &mut self.pods {
                    if p.metadata.name() == target.name {
                        p.metadata.deletion_timestamp = Some(self.now);
                    }
                }
            }
            Action::Delete { target, .. } if target.kind == "ControllerRevision" => {
                self.revisions.retain(|r| r.metadata.name() != target.name)
            }
            Action::UpdateStatus { object: Object::DaemonSet(d) } => self.ds.status = d.status.clone(),
            Action::Remember { memory: ControllerMemory::DaemonSet(m), .. } => self.memory = m.clone(),
            _ => {}
        }
    }

    fn kubelet(&mut self) -> Vec<String> {
        self.now = self.now.add_seconds(10);
        let mut notes = Vec::new();
        for p in self.pods.iter().filter(|p| p.metadata.is_terminating()) {
            notes.push(format!("{} is gone", p.metadata.name()));
        }
        self.pods.retain(|p| !p.metadata.is_terminating());
        let now = self.now;
        for p in &mut self.pods {
            if p.status.as_ref().and_then(|s| s.phase.as_ref()) == Some(&PodPhase::Pending) {
                set_ready(p, now);
                notes.push(format!("{} is Ready on {}", p.metadata.name(), node_of(p)));
            }
        }
        notes
    }

    fn settle(&mut self, title: &str) {
        writeln!(self.log, "{title}").ok();
        for round in 0..30 {
            let actions = self.sync();
            let busy = actions.iter().any(|a| {
                !matches!(a, Action::UpdateStatus { .. } | Action::Requeue { .. } | Action::Remember { .. })
            });
            let notes = self.kubelet();
            if !notes.is_empty() {
                writeln!(self.log, "  -- then {}", notes.join(", ")).ok();
            }
            if !busy && round > 0 {
                break;
            }
        }
        writeln!(self.log, "  => {}", self.placement()).ok();
    }

    fn placement(&self) -> String {
        let mut v: Vec<String> = self
            .pods
            .iter()
            .map(|p| {
                format!("{}@{}", node_of(p), p.metadata.label(CONTROLLER_REVISION_HASH_LABEL).unwrap_or(""))
            })
            .collect();
        v.sort();
        format!("pods on: {}", v.join(", "))
    }
}

/// Neither terminating nor in a terminal phase: a pod that holds its node.
fn is_running(p: &Pod) -> bool {
    let phase = p.status.as_ref().and_then(|s| s.phase.as_ref());
    !p.metadata.is_terminating() && !matches!(phase, Some(PodPhase::Failed | PodPhase::Succeeded))
}

fn node_of(p: &Pod) -> String {
    target_node_name(p).unwrap_or("?").to_owned()
}

fn status_line(s: &DaemonSetStatus) -> String {
    let z = |v: Option<i32>| v.unwrap_or(0);
    format!(
        "desired {}, current {}, misscheduled {}, ready {}, available {}, unavailable {}, updated {}",
        s.desired_number_scheduled,
        s.current_number_scheduled,
        s.number_misscheduled,
        z(s.number_ready),
        z(s.number_available),
        z(s.number_unavailable),
        z(s.updated_number_scheduled)
    )
}

fn describe(a: &Action) -> String {
    match a {
        Action::UpdateStatus { object: Object::DaemonSet(d) } => {
            format!("{a}: {}", status_line(d.status.as_ref().expect("status")))
        }
        Action::Create { object: Object::Pod(p) } => format!("{a} on {}", node_of(p)),
        _ => a.to_string(),
    }
}

fn created_on(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { object: Object::Pod(p) } => Some(node_of(p)),
            _ => None,
        })
        .collect()
}

fn deleted(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { target, .. } if target.kind == "Pod" => Some(target.name.clone()),
            _ => None,
        })
        .collect()
}

/// Hand-built pods carry no revision hash: under RollingUpdate they would
/// be rolled, so the manage-only tables use OnDelete.
fn on_delete(pod_spec: Value) -> DaemonSet {
    ds(json!({"updateStrategy": {"type": "OnDelete"}}), pod_spec)
}

fn pod_on(name: &str, node: &str, created: Time) -> Pod {
    serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": NS, "uid": format!("uid-{name}"), "labels": {"app": "agent"},
                     "creationTimestamp": created,
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent", "uid": "uid-agent", "controller": true}]},
        "spec": {"nodeName": node, "containers": [{"name": "agent", "image": "agent:1"}]},
        "status": {"phase": "Running"}
    }))
    .expect("pod")
}

// ---------------------------------------------------------------------------
// Which nodes
// ---------------------------------------------------------------------------

#[test]
fn node_should_run_daemon_pod_table() {
    // upstream: daemon_controller_test.go TestNodeShouldRunDaemonPod and the
    // taint tests named in each case.
    let g = FeatureGates::default();
    let plain = ds(json!({}), json!({}));
    let cases: Vec<(&str, DaemonSet, Node, (bool, bool))> = vec![
        ("ShouldRunDaemonPod", plain.clone(), node("n", json!({})), (true, true)),
        (
            "InsufficientResourceError (resources are not considered)",
            ds(
                json!({}),
                json!({"containers": [{"name": "a", "image": "a", "resources": {"requests": {"cpu": "1000"}}}]}),
            ),
            node("n", json!({"status": {"allocatable": {"cpu": "1"}}})),
            (true, true),
        ),
        (
            "ErrPodNotMatchHostName",
            ds(json!({}), json!({"nodeName": "other"})),
            node("n", json!({})),
            (false, false),
        ),
        (
            "ErrPodNotFitsHostPorts (ports are not considered)",
            ds(
                json!({}),
                json!({"containers": [{"name": "a", "image": "a", "ports": [{"containerPort": 666, "hostPort": 666}]}]}),
            ),
            node("n", json!({})),
            (true, true),
        ),
        (
            "ShouldRunDaemonPodOnUnschedulableNode",
            plain.clone(),
            node(
                "n",
                json!({"spec": {"unschedulable": true, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}}),
            ),
            (true, true),
        ),
        (
            "nodeSelector mismatch (TestNodeAffinityDaemonLaunchesPods)",
            ds(json!({}), json!({"nodeSelector": {"gpu": "true"}})),
            node("n", json!({})),
            (false, false),
        ),
        (
            "required node affinity mismatch",
            ds(
                json!({}),
                json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["other"]}]}]}}}}),
            ),
            node("n", json!({})),
            (false, false),
        ),
        (
            "TestTaintedNodeDaemonDoesNotLaunchIntolerantPod (NoSchedule keeps existing pods)",
            plain.clone(),
            taint("n", "dedicated", "NoSchedule"),
            (false, true),
        ),
        (
            "TestNoExecuteTaintedDoesEvicitRunningIntolerantPod",
            plain.clone(),
            taint("n", "dedicated", "NoExecute"),
            (false, false),
        ),
        (
            "PreferNoSchedule is ignored",
            plain.clone(),
            taint("n", "dedicated", "PreferNoSchedule"),
            (true, true),
        ),
        (
            "TestTaintedNodeDaemonLaunchesToleratePod",
            ds(json!({}), json!({"tolerations": [{"key": "dedicated", "operator": "Exists"}]})),
            taint("n", "dedicated", "NoExecute"),
            (true, true),
        ),
        (
            "TestNotReadyNodeDaemonLaunchesPod",
            plain.clone(),
            taint("n", "node.kubernetes.io/not-ready", "NoExecute"),
            (true, true),
        ),
        (
            "TestUnreachableNodeDaemonLaunchesPod",
            plain.clone(),
            taint("n", "node.kubernetes.io/unreachable", "NoExecute"),
            (true, true),
        ),
        (
            "TestTaintPressureNodeDaemonLaunchesPod (disk)",
            plain.clone(),
            taint("n", "node.kubernetes.io/disk-pressure", "NoSchedule"),
            (true, true),
        ),
        (
            "memory pressure",
            plain.clone(),
            taint("n", "node.kubernetes.io/memory-pressure", "NoSchedule"),
            (true, true),
        ),
        (
            "pid pressure",
            plain.clone(),
            taint("n", "node.kubernetes.io/pid-pressure", "NoSchedule"),
            (true, true),
        ),
        (
            "network unavailable without hostNetwork",
            plain.clone(),
            taint("n", "node.kubernetes.io/network-unavailable", "NoSchedule"),
            (false, true),
        ),
        (
            "network unavailable with hostNetwork",
            ds(json!({}), json!({"hostNetwork": true})),
            taint("n", "node.kubernetes.io/network-unavailable", "NoSchedule"),
            (true, true),
        ),
        (
            "out-of-service is not tolerated",
            plain.clone(),
            taint("n", "node.kubernetes.io/out-of-service", "NoExecute"),
            (false, false),
        ),
    ];
    for (name, d, n, want) in cases {
        assert_eq!(node_should_run_daemon_pod(&n, &d, &g), want, "{name}");
    }
}

#[test]
fn daemon_tolerations_are_added_and_merged() {
    // upstream: util/daemonset_util.go AddOrUpdateDaemonPodTolerations /
    // AddOrUpdateTolerationInPodSpec (upstream has no test of its own for them)
    let keys: Vec<String> =
        daemon_tolerations(false).iter().map(|t| t.key.clone().unwrap_or_default()).collect();
    assert_eq!(
        keys,
        [
            "node.kubernetes.io/not-ready",
            "node.kubernetes.io/unreachable",
            "node.kubernetes.io/disk-pressure",
            "node.kubernetes.io/memory-pressure",
            "node.kubernetes.io/pid-pressure",
            "node.kubernetes.io/unschedulable",
        ]
    );
    assert_eq!(daemon_tolerations(true).len(), 7);
    let mut spec: kube_workloads::api::PodSpec = serde_json::from_value(json!({"containers": [], "tolerations": [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists"},
        {"key": "mine", "operator": "Exists"}
    ]}))
    .expect("spec");
    add_daemon_tolerations(&mut spec);
    let tols = serde_json::to_value(spec.tolerations()).expect("json");
    assert_eq!(
        tols[0],
        json!({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}),
        "replaced in place, no seconds"
    );
    assert_eq!(
        tols[1],
        json!({"key": "node.kubernetes.io/unreachable", "operator": "Exists"}),
        "other effect: kept"
    );
    assert_eq!(tols[2]["key"], "mine");
    assert_eq!(
        tols[3],
        json!({"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}),
        "appended"
    );
    assert_eq!(spec.tolerations().len(), 8);
}

#[test]
fn every_matching_toleration_is_replaced() {
    // upstream: AddOrUpdateTolerationInPodSpec: its "identical, nothing to
    // do" exit compares a *Toleration with a Toleration and never fires, so
    // each toleration matching the daemon one is replaced, a second one with
    // tolerationSeconds included: the pod tolerates not-ready for ever.
    let mut spec: kube_workloads::api::PodSpec = serde_json::from_value(json!({"containers": [], "tolerations": [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}
    ]}))
    .expect("spec");
    add_daemon_tolerations(&mut spec);
    let not_ready: Vec<Option<i64>> = spec
        .tolerations()
        .iter()
        .filter(|t| t.key.as_deref() == Some("node.kubernetes.io/not-ready"))
        .map(|t| t.toleration_seconds)
        .collect();
    assert_eq!(not_ready, [None, None]);
}

#[test]
fn binding_replaces_required_terms() {
    // upstream: util/daemonset_util_test.go TestReplaceDaemonSetPodNodeNameNodeAffinity
    let affinity: kube_workloads::api::Affinity = serde_json::from_value(json!({"nodeAffinity": {
        "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "a", "operator": "Exists"}]}]},
        "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": {"matchExpressions": [{"key": "b", "operator": "Exists"}]}}]
    }, "podAntiAffinity": {"x": 1}}))
    .expect("affinity");
    let bound = serde_json::to_value(bind_to_node(Some(affinity), "node-1")).expect("json");
    assert_eq!(
        bound["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"],
        json!({"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}]})
    );
    assert!(bound["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"].is_array());
    assert_eq!(bound["podAntiAffinity"], json!({"x": 1}));
    let fresh = serde_json::to_value(bind_to_node(None, "n")).expect("json");
    assert_eq!(
        fresh["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"][0]["matchFields"]
            [0]["values"],
        json!(["n"])
    );
}

#[test]
fn target_node_name_table() {
    // upstream: util/daemonset_util_test.go TestGetTargetNodeName
    let p = |spec: Value| -> Pod {
        let mut s = spec;
        s["containers"] = json!([]);
        serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": s})).expect("pod")
    };
    let by_affinity = |values: Value| {
        json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchFields": [{"key": "metadata.name", "operator": "In", "values": values}]}]}}}})
    };
    assert_eq!(target_node_name(&p(json!({"nodeName": "a"}))), Some("a"));
    assert_eq!(target_node_name(&p(by_affinity(json!(["b"])))), Some("b"));
    assert_eq!(target_node_name(&p(by_affinity(json!(["b", "c"])))), None, "two values: error");
    assert_eq!(target_node_name(&p(json!({}))), None);
}

#[test]
fn unavailable_numbers_table() {
    // upstream: update_test.go TestGetUnavailableNumbers: (maxSurge, maxUnavailable)
    let strategy = |mu: Value, ms: Value| {
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": mu, "maxSurge": ms}}}),
            json!({}),
        )
    };
    assert_eq!(rolling_update_budget(&strategy(json!(1), json!(0)), 0), (0, 1), "no nodes");
    assert_eq!(rolling_update_budget(&strategy(json!("50%"), json!(0)), 2), (0, 1));
    assert_eq!(rolling_update_budget(&strategy(json!("50%"), json!(0)), 3), (0, 2), "rounds up");
    assert_eq!(rolling_update_budget(&strategy(json!(0), json!("50%")), 2), (1, 0));
    assert_eq!(rolling_update_budget(&strategy(json!(0), json!("100%")), 2), (2, 0));
    assert_eq!(rolling_update_budget(&strategy(json!(0), json!(0)), 2), (0, 1), "both 0: one unavailable");
    assert_eq!(rolling_update_budget(&ds(json!({}), json!({})), 4), (0, 1), "API defaults");
    // OnDelete counts 0 and 0 (UnavailableCount / SurgeCount), raised to one
    // unavailable as any pair of zeros (updatedDesiredNodeCounts).
    let on_delete = ds(json!({"updateStrategy": {"type": "OnDelete"}}), json!({}));
    assert_eq!(rolling_update_budget(&on_delete, 3), (0, 1), "OnDelete");
    assert_eq!(rolling_update_budget(&on_delete, 0), (0, 0), "OnDelete, no nodes");
}

// ---------------------------------------------------------------------------
// manage
// ---------------------------------------------------------------------------

#[test]
fn creates_a_bound_pod_per_node() {
    // upstream: daemon_controller_test.go TestSimpleDaemonSetLaunchesPods
    let sim = Sim::new(ds(json!({}), json!({})), vec![node("b", json!({})), node("a", json!({}))]);
    let a = sim.reconcile();
    assert_eq!(created_on(&a), ["a", "b"], "node name order");
    let pod = a
        .iter()
        .find_map(|x| match x {
            Action::Create { object: Object::Pod(p) } => Some(p.clone()),
            _ => None,
        })
        .expect("pod");
    assert_eq!(pod.metadata.generate_name.as_deref(), Some("agent-"));
    assert!(
        pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none(),
        "bound by affinity, not nodeName"
    );
    assert!(pod.metadata.label(CONTROLLER_REVISION_HASH_LABEL).is_some());
    assert_eq!(pod.spec.as_ref().map(|s| s.tolerations().len()), Some(6));
}

#[test]
fn selectors_that_are_null_or_do_not_convert() {
    // upstream: syncDaemonSet. A selector that does not convert fails the
    // sync in constructHistory, before anything is touched; a null one is
    // Go's nil pointer: not `SelectingAll`, and it selects nothing
    // (DECISIONS G5), so the owned pod is released and every node gets a
    // new one.
    let nodes = vec![node("a", json!({})), node("b", json!({}))];
    let mut bad = Sim::new(
        ds(
            json!({"selector": {"matchExpressions": [{"key": "app", "operator": "Near", "values": ["x"]}]}}),
            json!({}),
        ),
        nodes.clone(),
    );
    bad.pods.push(pod_on("agent-a", "a", t0()));
    assert!(bad.reconcile().is_empty(), "{:?}", bad.reconcile());

    let mut null = Sim::new(ds(json!({"selector": null}), json!({})), nodes);
    null.pods.push(pod_on("agent-a", "a", t0()));
    let actions = null.reconcile();
    let lines: Vec<String> = actions.iter().map(describe).collect();
    assert!(!lines.iter().any(|l| l.contains("SelectingAll")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("agent-a") && l.contains("release")), "{lines:?}");
    assert_eq!(created_on(&actions), ["a", "b"]);
}

#[test]
fn expectations_hold_back_the_next_sync() {
    // upstream: daemon_controller_test.go TestExpectationsOnRecreate /
    // syncDaemonSet "Don't process a daemon set until all its creations and
    // deletions have been processed"
    let mut sim = Sim::new(ds(json!({}), json!({})), vec![node("a", json!({}))]);
    let a = sim.reconcile();
    for x in &a {
        if let Action::Remember { memory: ControllerMemory::DaemonSet(m), .. } = x {
            sim.memory = m.clone();
        }
        if let Action::UpdateStatus { object: Object::DaemonSet(d) } = x {
            sim.ds.status = d.status.clone();
        }
    }
    sim.ds.metadata.generation = Some(2);
    let again = sim.reconcile();
    assert!(created_on(&again).is_empty(), "the create is not observed yet");
    let observed_gen = again.iter().find_map(|x| match x {
        Action::UpdateStatus { object: Object::DaemonSet(d) } => {
            d.status.as_ref().and_then(|s| s.observed_generation)
        }
        _ => None,
    });
    assert_eq!(observed_gen, Some(1), "observedGeneration is not raised while expectations are pending");
}

/// A reconcile of the plain DaemonSet over nodes `a` and `b`.
fn two_nodes() -> impl Fn(&[Pod], &DaemonSetMemory, Time) -> Vec<Action> {
    let d = ds(json!({}), json!({}));
    let nodes = [node("a", json!({})), node("b", json!({}))];
    move |pods, memory, now| {
        daemonset::reconcile(&d, &Observed { pods, nodes: &nodes, revisions: &[], memory }, now)
    }
}

/// The memory a reconcile hands back.
fn memory_of(actions: &[Action]) -> Option<DaemonSetMemory> {
    actions.iter().find_map(|x| match x {
        Action::Remember { memory: ControllerMemory::DaemonSet(m), .. } => Some(m.clone()),
        _ => None,
    })
}

#[test]
fn an_orphan_adopted_while_creations_are_pending_is_not_a_creation() {
    // upstream: daemon_controller.go addPod observes a creation only for a
    // pod whose add event already names the DaemonSet as controller; an
    // adoption reaches updatePod, which leaves the expectations alone.
    let run = two_nodes();
    let first = run(&[], &DaemonSetMemory::default(), t0());
    assert_eq!(created_on(&first), ["a", "b"]);
    let memory = memory_of(&first).expect("memory");
    // The pod for `a` shows up, with an orphan on `a` made after the record;
    // the pod for `b` is not listed yet.
    let at = t0().add_seconds(1);
    let made = pod_on("agent-a", "a", at);
    let mut orphan = pod_on("stray", "a", at);
    let stray_owner = orphan.metadata.owner_references.take();
    let second = run(&[made.clone(), orphan.clone()], &memory, t0().add_seconds(2));
    assert!(created_on(&second).is_empty() && deleted(&second).is_empty(), "{second:?}");
    let memory = memory_of(&second).expect("memory");
    // The adoption landed: one creation is still unobserved, so nothing is
    // created for `b` again and nothing deleted on `a`.
    orphan.metadata.owner_references = stray_owner;
    let third = run(&[made, orphan], &memory, t0().add_seconds(3));
    assert!(created_on(&third).is_empty() && deleted(&third).is_empty(), "{third:?}");
}

#[test]
fn a_creation_once_listed_stays_observed() {
    // upstream: daemon_controller.go addPod calls CreationObserved once per
    // add event and nothing raises the count again: a created pod that a
    // later list no longer shows (deleted here) still counts.
    let run = two_nodes();
    let first = run(&[], &DaemonSetMemory::default(), t0());
    assert_eq!(created_on(&first), ["a", "b"]);
    let memory = memory_of(&first).expect("memory");
    // The pod for `a` is listed, the one for `b` not yet.
    let second = run(&[pod_on("agent-a", "a", t0().add_seconds(1))], &memory, t0().add_seconds(2));
    assert!(created_on(&second).is_empty(), "{second:?}");
    let kept = memory_of(&second).expect("the listed creation is remembered");
    // Then `agent-a` is deleted and `agent-b` shows: both creations were
    // observed, and node `a` gets its pod back at once.
    let listed_b = [pod_on("agent-b", "b", t0().add_seconds(3))];
    assert_eq!(created_on(&run(&listed_b, &kept, t0().add_seconds(4))), ["a"]);
    // Control: without the second observation, the creation for `a`
    // stays pending until the expectations expire.
    assert!(created_on(&run(&listed_b, &memory, t0().add_seconds(4))).is_empty());
}

#[test]
fn excess_pods_keep_the_oldest_scheduled_one() {
    // upstream: daemon_controller_test.go TestDealsWithExistingPods /
    // podByCreationTimestampAndPhase
    let mut older_unscheduled = pod_on("p0", "a", t0());
    older_unscheduled.spec.as_mut().expect("spec").node_name = None;
    older_unscheduled.spec.as_mut().expect("spec").affinity = Some(bind_to_node(None, "a"));
    let pods = vec![
        older_unscheduled,
        pod_on("p1", "a", t0().add_seconds(5)),
        pod_on("p2", "a", t0().add_seconds(1)),
    ];
    let d = on_delete(json!({}));
    let nodes = [node("a", json!({}))];
    let m = DaemonSetMemory::default();
    let a =
        daemonset::reconcile(&d, &Observed { pods: &pods, nodes: &nodes, revisions: &[], memory: &m }, t0());
    assert_eq!(deleted(&a), ["p1", "p0"], "p2 is kept: scheduled and oldest among the scheduled");
}

#[test]
fn pods_on_ineligible_nodes_are_deleted() {
    // upstream: daemon_controller_test.go TestNoExecuteTaintedDoesEvicitRunningIntolerantPod,
    // TestNoScheduleTaintedDoesntEvicitRunningIntolerantPod,
    // TestSelectorDaemonDeletesUnselectedPods
    let pods = vec![pod_on("p-ns", "ns", t0()), pod_on("p-ne", "ne", t0()), pod_on("p-sel", "sel", t0())];
    let d = on_delete(json!({"nodeSelector": {"pool": "x"}}));
    let label = |n: Node| {
        let mut n = n;
        n.metadata.set_label("pool", "x");
        n
    };
    let nodes =
        [label(taint("ns", "k", "NoSchedule")), label(taint("ne", "k", "NoExecute")), node("sel", json!({}))];
    let m = DaemonSetMemory::default();
    let a =
        daemonset::reconcile(&d, &Observed { pods: &pods, nodes: &nodes, revisions: &[], memory: &m }, t0());
    assert_eq!(deleted(&a), ["p-ne", "p-sel"]);
    let status = a.iter().find_map(|x| match x {
        Action::UpdateStatus { object: Object::DaemonSet(d) } => d.status.clone(),
        _ => None,
    });
    let s = status.expect("status");
    assert_eq!((s.desired_number_scheduled, s.number_misscheduled), (0, 3));
}

#[test]
fn respects_termination() {
    // upstream: daemon_controller_test.go TestDaemonSetRespectsTermination
    let mut p = pod_on("p", "a", t0());
    p.metadata.deletion_timestamp = Some(t0());
    let d = on_delete(json!({}));
    let nodes = [node("a", json!({}))];
    let m = DaemonSetMemory::default();
    let a =
        daemonset::reconcile(&d, &Observed { pods: &[p], nodes: &nodes, revisions: &[], memory: &m }, t0());
    assert!(created_on(&a).is_empty() && deleted(&a).is_empty());
}

#[test]
fn unscheduled_pods_of_vanished_nodes_are_deleted() {
    // upstream: daemon_controller_test.go TestDeleteUnscheduledPodForNotExistingNode
    let mut unscheduled = pod_on("u", "gone", t0());
    unscheduled.spec.as_mut().expect("spec").node_name = None;
    unscheduled.spec.as_mut().expect("spec").affinity = Some(bind_to_node(None, "gone"));
    let scheduled = pod_on("s", "gone-too", t0());
    let d = on_delete(json!({}));
    let m = DaemonSetMemory::default();
    let a = daemonset::reconcile(
        &d,
        &Observed { pods: &[unscheduled, scheduled], nodes: &[], revisions: &[], memory: &m },
        t0(),
    );
    assert_eq!(deleted(&a), ["u"], "scheduled pods on vanished nodes are left to pod GC");
}

/// A daemon pod on `node` whose phase is Failed.
fn failed_on(name: &str, node: &str) -> Pod {
    let mut failed = pod_on(name, node, t0());
    failed.status.as_mut().expect("status").phase = Some(PodPhase::Failed);
    failed
}

#[test]
fn failed_pods_are_replaced_with_backoff() {
    // upstream: daemon_controller_test.go TestDaemonKillFailedPodsBackoff
    let d = on_delete(json!({}));
    let nodes = [node("a", json!({}))];
    let failed = failed_on("f1", "a");
    let mut memory = DaemonSetMemory::default();
    let run = |pods: &[Pod], memory: &DaemonSetMemory, now: Time| {
        daemonset::reconcile(&d, &Observed { pods, nodes: &nodes, revisions: &[], memory }, now)
    };
    let remember = |a: &[Action], m: &mut DaemonSetMemory| {
        for x in a {
            if let Action::Remember { memory: ControllerMemory::DaemonSet(n), .. } = x {
                *m = n.clone();
            }
        }
    };
    let a = run(std::slice::from_ref(&failed), &memory, t0());
    assert_eq!(deleted(&a), ["f1"], "the first failure is deleted at once");
    assert!(a.iter().any(|x| matches!(x, Action::Event(e) if e.reason == "FailedDaemonPod")));
    remember(&a, &mut memory);
    assert_eq!(memory.to_string(), "expect 0 creations, 1 deletions, back-off 1s on a");
    memory.expectations = Default::default();
    let mut again = failed.clone();
    again.metadata.name = Some("f2".into());
    again.metadata.uid = Some("uid-f2".into());
    let half = t0().add_millis(500);
    let a = run(std::slice::from_ref(&again), &memory, half);
    assert!(deleted(&a).is_empty(), "in back-off");
    assert!(a.iter().any(|x| matches!(x, Action::Requeue { after, .. } if *after == Duration::from_secs(1))));
    let a = run(std::slice::from_ref(&again), &memory, t0().add_seconds(1));
    assert_eq!(deleted(&a), ["f2"]);
    remember(&a, &mut memory);
    let entry = memory.failed_pod_backoff.values().next().expect("entry");
    assert_eq!(entry.delay_seconds, 2, "the delay doubles");
}

// upstream: podsShouldBeOnNode walks a node's pods in the lister's order
// (none in particular): the first failed pod it meets takes the back-off
// and is deleted, the others wait. DECISIONS G2 makes that order the
// names': `f-a` goes first though `f-b` is older.
#[test]
fn of_two_failed_pods_on_a_node_the_first_by_name_goes() {
    let d = on_delete(json!({}));
    let nodes = [node("a", json!({}))];
    let mut older = failed_on("f-b", "a");
    older.metadata.creation_timestamp = Some(t0().add_seconds(-600));
    let newer = failed_on("f-a", "a");
    let memory = DaemonSetMemory::default();
    let a = daemonset::reconcile(
        &d,
        &Observed { pods: &[older, newer], nodes: &nodes, revisions: &[], memory: &memory },
        t0(),
    );
    assert_eq!(deleted(&a), ["f-a"]);
}

// upstream: flowcontrol.Backoff keeps its clock readings whole
// (IsInBackOffSinceUpdate: `eventTime.Sub(lastUpdate) < backoff`): a
// back-off raised at T+0.999 s, stored as JSON by the caller and handed
// back, still holds a pod failing at T+1.2 s (DECISIONS G1: the memory is
// the caller's to store).
#[test]
fn failed_pod_back_off_survives_being_stored() {
    let d = on_delete(json!({}));
    let nodes = [node("a", json!({}))];
    let failed = failed_on("f", "a");
    let raised = Time(t0().0 + chrono::TimeDelta::milliseconds(999));
    let mut memory = DaemonSetMemory::default();
    memory
        .failed_pod_backoff
        .insert(format!("{}/0/a", d.metadata.uid()), BackoffEntry { delay_seconds: 1, last_update: raised });
    let stored: DaemonSetMemory =
        serde_json::from_str(&serde_json::to_string(&memory).expect("json")).expect("memory");
    assert_eq!(stored, memory, "the fraction of a second is kept");
    let a = daemonset::reconcile(
        &d,
        &Observed { pods: std::slice::from_ref(&failed), nodes: &nodes, revisions: &[], memory: &stored },
        t0().add_millis(1200),
    );
    assert!(deleted(&a).is_empty(), "0.201 s into a 1 s back-off: {a:?}");
}

#[test]
fn surge_replaces_a_failed_pod_held_in_back_off() {
    // upstream: daemon_controller.go podsShouldBeOnNode. A failed pod in
    // back-off is skipped, not counted as running; with surge allowed an
    // empty running set on a node that should run means "create", so the
    // replacement starts while the failed pod waits out its back-off.
    let d = ds(
        json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}}),
        json!({}),
    );
    let nodes = [node("a", json!({}))];
    let failed = failed_on("f", "a");
    let mut memory = DaemonSetMemory::default();
    let key = format!("{}/0/a", d.metadata.uid());
    memory.failed_pod_backoff.insert(key, BackoffEntry { delay_seconds: 1, last_update: t0() });
    let a = daemonset::reconcile(
        &d,
        &Observed { pods: std::slice::from_ref(&failed), nodes: &nodes, revisions: &[], memory: &memory },
        t0().add_millis(500),
    );
    assert!(deleted(&a).is_empty(), "the failed pod waits out its back-off");
    assert_eq!(created_on(&a), ["a"], "with surge, the node gets a replacement now");
    // Without surge the same node waits: nothing is created beside the failed pod.
    let d = on_delete(json!({}));
    let a = daemonset::reconcile(
        &d,
        &Observed { pods: std::slice::from_ref(&failed), nodes: &nodes, revisions: &[], memory: &memory },
        t0().add_millis(500),
    );
    assert!(deleted(&a).is_empty() && created_on(&a).is_empty(), "{a:?}");
}

#[test]
fn succeeded_pods_are_deleted_with_an_event() {
    // upstream: daemon_controller.go podsShouldBeOnNode, its Succeeded-pod
    // branch (TestDaemonKillFailedPods covers the Failed one)
    let d = on_delete(json!({}));
    let nodes = [node("a", json!({}))];
    let mut done = pod_on("s", "a", t0());
    done.status.as_mut().expect("status").phase = Some(PodPhase::Succeeded);
    let m = DaemonSetMemory::default();
    let a = daemonset::reconcile(
        &d,
        &Observed { pods: &[done], nodes: &nodes, revisions: &[], memory: &m },
        t0(),
    );
    assert_eq!(deleted(&a), ["s"]);
    assert!(a.iter().any(|x| matches!(x, Action::Event(e) if e.reason == "SucceededDaemonPod")));
    assert!(created_on(&a).is_empty(), "the replacement comes in a later sync");
}

#[test]
fn selecting_all_is_refused() {
    // upstream: syncDaemonSet SelectingAll
    let mut d = ds(json!({}), json!({}));
    d.spec.as_mut().expect("spec").selector = Default::default();
    let m = DaemonSetMemory::default();
    let a = daemonset::reconcile(
        &d,
        &Observed { pods: &[], nodes: &[node("a", json!({}))], revisions: &[], memory: &m },
        t0(),
    );
    assert_eq!(a.len(), 1);
    assert!(a[0].to_string().contains("SelectingAll"));
}

// ---------------------------------------------------------------------------
// Rolling update
// ---------------------------------------------------------------------------

fn nodes(n: usize) -> Vec<Node> {
    (0..n).map(|i| node(&format!("node-{i}"), json!({}))).collect()
}

#[test]
fn updates_pods_max_unavailable() {
    // upstream: update_test.go TestDaemonSetUpdatesPods (5 nodes,
    // maxUnavailable 2: 2 deleted, 2 created, ... until all updated).
    let mut sim = Sim::new(
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}}}),
            json!({}),
        ),
        nodes(5),
    );
    sim.settle("up");
    image(&mut sim.ds, "agent:2");
    let a = sim.sync();
    assert_eq!(deleted(&a).len(), 2);
    let _ = sim.kubelet();
    let a = sim.sync();
    assert_eq!(created_on(&a).len(), 2, "manage recreates on the two emptied nodes");
    assert_eq!(deleted(&a).len(), 0, "the new pods are not available yet");
    sim.settle("rollout");
    let hash = sim
        .revisions
        .last()
        .and_then(|r| r.metadata.label(CONTROLLER_REVISION_HASH_LABEL))
        .expect("hash")
        .to_owned();
    assert!(sim.pods.iter().all(|p| p.metadata.label(CONTROLLER_REVISION_HASH_LABEL) == Some(hash.as_str())));
    assert_eq!(sim.pods.len(), 5);
}

#[test]
fn updates_some_old_pods_not_ready() {
    // Shaped after update_test.go TestDaemonSetUpdatesSomeOldPodsNotReady
    // (which then changes the template a second time while the new pods are
    // not ready; only the first change is here): unavailable old pods are
    // replaced beyond the budget.
    let mut sim = Sim::new(
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}}),
            json!({}),
        ),
        nodes(4),
    );
    sim.settle("up");
    for p in sim.pods.iter_mut().take(3) {
        p.status.as_mut().expect("status").conditions = None;
    }
    image(&mut sim.ds, "agent:2");
    assert_eq!(deleted(&sim.reconcile()).len(), 3);
}

#[test]
fn updates_all_old_pods_not_ready() {
    // upstream: update_test.go TestDaemonSetUpdatesAllOldPodsNotReady: every
    // old pod is unavailable, so every one is replaced at once.
    let mut sim = Sim::new(
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}}),
            json!({}),
        ),
        nodes(5),
    );
    sim.settle("up");
    for p in &mut sim.pods {
        p.status.as_mut().expect("status").conditions = None;
    }
    image(&mut sim.ds, "agent:2");
    assert_eq!(deleted(&sim.reconcile()).len(), 5);
}

#[test]
fn updates_when_new_pod_is_not_ready() {
    // upstream: update_test.go TestDaemonSetUpdatesWhenNewPodIsNotReady: new
    // pods that never become ready stop the rollout at maxUnavailable.
    let mut sim = Sim::new(
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}}}),
            json!({}),
        ),
        nodes(5),
    );
    sim.settle("up");
    image(&mut sim.ds, "agent:2");
    assert_eq!(deleted(&sim.sync()).len(), 2);
    sim.pods.retain(|p| !p.metadata.is_terminating());
    assert_eq!(created_on(&sim.sync()).len(), 2);
    // The new pods stay Pending: nothing more is deleted.
    for _ in 0..3 {
        assert!(deleted(&sim.sync()).is_empty());
    }
}

#[test]
fn a_surge_pod_waiting_out_min_ready_seconds_requeues() {
    // upstream: daemon_controller.go updatePod enqueues the DaemonSet
    // minReadySeconds after any of its pods turns ready, so a surge pod
    // that becomes available lets the rolling update delete the old pod;
    // here the reconcile asks for the instant it becomes available
    // (DECISIONS G4), though the node's oldest pod is the old one.
    let mut sim = Sim::new(
        ds(
            json!({"minReadySeconds": 30,
                   "updateStrategy": {"type": "RollingUpdate",
                                      "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}}),
            json!({}),
        ),
        nodes(1),
    );
    sim.settle("up");
    sim.now = sim.now.add_seconds(3600);
    image(&mut sim.ds, "agent:2");
    let a = sim.sync();
    assert_eq!(created_on(&a), ["node-0"]);
    // The surge pod turns ready now; the old one stays until it is
    // available, 30 s from now.
    let now = sim.now;
    if let Some(p) = sim.pods.last_mut() {
        set_ready(p, now);
    }
    sim.now = now.add_seconds(1);
    let a = sim.reconcile();
    assert!(deleted(&a).is_empty(), "{a:?}");
    let requeue = a.iter().find_map(|x| match x {
        Action::Requeue { after, .. } => Some(*after),
        _ => None,
    });
    assert_eq!(requeue, Some(Duration::from_secs(29)), "{a:?}");
}

#[test]
fn rolling_update_creates_and_deletes_are_capped_at_the_burst() {
    // upstream: daemon_controller.go syncNodes caps the creates and the
    // deletes of each call at burstReplicas, the rolling update's call
    // included (update.go rollingUpdate -> syncNodes).
    let mut sim = Sim::new(
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 3}}}),
            json!({}),
        ),
        nodes(5),
    );
    sim.settle("up");
    image(&mut sim.ds, "agent:2");
    let o = Observed { pods: &sim.pods, nodes: &sim.nodes, revisions: &sim.revisions, memory: &sim.memory };
    let config = daemonset::Config { burst_replicas: 2, ..daemonset::Config::default() };
    let a = daemonset::reconcile_with(&sim.ds, &o, sim.now, &config);
    assert_eq!(deleted(&a).len(), 2, "{a:?}");
    // The default burst leaves the three maxUnavailable allows.
    assert_eq!(deleted(&sim.reconcile()).len(), 3);

    // The same for the rolling update's creates (a surge of 3).
    let mut sim = Sim::new(
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 3}}}),
            json!({}),
        ),
        nodes(5),
    );
    sim.settle("up");
    image(&mut sim.ds, "agent:2");
    let o = Observed { pods: &sim.pods, nodes: &sim.nodes, revisions: &sim.revisions, memory: &sim.memory };
    let a = daemonset::reconcile_with(&sim.ds, &o, sim.now, &config);
    assert_eq!(created_on(&a).len(), 2, "{a:?}");
    assert_eq!(created_on(&sim.reconcile()).len(), 3);
}

#[test]
fn updates_with_max_surge() {
    // upstream: update_test.go TestDaemonSetUpdatesPodsWithMaxSurge: new pods
    // first, old ones only once their replacement is available.
    let mut sim = Sim::new(
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 2}}}),
            json!({}),
        ),
        nodes(5),
    );
    sim.settle("up");
    image(&mut sim.ds, "agent:2");
    let a = sim.sync();
    assert_eq!(created_on(&a), ["node-0", "node-1"]);
    assert!(deleted(&a).is_empty());
    let a = sim.sync();
    assert!(created_on(&a).is_empty() && deleted(&a).is_empty(), "the surge pods are not ready yet");
    let _ = sim.kubelet();
    let a = sim.sync();
    assert_eq!(deleted(&a).len(), 2, "old pods of node-0 and node-1 go");
    assert_eq!(created_on(&a), ["node-2", "node-3"]);
}

#[test]
fn on_delete_does_not_roll() {
    // upstream: daemon_controller.go syncDaemonSet, which rolls only under
    // RollingUpdate: a template change under OnDelete deletes nothing
    // (update_test.go TestDaemonSetUpdatesNoTemplateChanged is the other
    // side: RollingUpdate without a template change)
    let mut sim = Sim::new(ds(json!({"updateStrategy": {"type": "OnDelete"}}), json!({})), nodes(2));
    sim.settle("up");
    image(&mut sim.ds, "agent:2");
    let a = sim.sync();
    assert!(deleted(&a).is_empty());
    let s = sim.ds.status.clone().expect("status");
    assert_eq!(s.updated_number_scheduled, None);
}

#[test]
fn status_with_min_ready_seconds() {
    // upstream: daemon_controller.go updateDaemonSetStatus (numberAvailable
    // with minReadySeconds) and its availability requeue (DECISIONS G4:
    // exact requeue)
    let mut sim = Sim::new(ds(json!({"minReadySeconds": 30}), json!({})), nodes(2));
    sim.sync();
    let _ = sim.kubelet();
    let a = sim.sync();
    let s = sim.ds.status.clone().expect("status");
    assert_eq!((s.number_ready, s.number_available, s.number_unavailable), (Some(2), None, Some(2)));
    assert!(
        a.iter().any(|x| matches!(x, Action::Requeue { after, .. } if *after == Duration::from_secs(30)))
    );
}

// upstream: updateDaemonSetStatus requeues minReadySeconds later whenever
// numberReady and numberAvailable differ: a ready pod without a transition
// time, which never becomes available, still gets the periodic requeue.
#[test]
fn a_ready_pod_without_a_transition_time_requeues_after_min_ready_seconds() {
    let mut sim = Sim::new(ds(json!({"minReadySeconds": 30}), json!({})), nodes(1));
    sim.sync();
    let now = sim.now;
    for p in &mut sim.pods {
        set_ready(p, now);
        if let Some(c) = p.status.as_mut().and_then(|s| s.conditions.as_mut()).and_then(|c| c.first_mut()) {
            c.last_transition_time = None;
        }
    }
    sim.now = now.add_seconds(100);
    let a = sim.reconcile();
    assert!(
        a.iter().any(|x| matches!(x, Action::Requeue { after, .. } if *after == Duration::from_secs(30))),
        "{a:?}"
    );
}

#[test]
fn history_cleanup_keeps_live_hashes() {
    // upstream: daemon_controller.go cleanupHistory
    let mut sim = Sim::new(
        ds(json!({"revisionHistoryLimit": 0, "updateStrategy": {"type": "OnDelete"}}), json!({})),
        nodes(1),
    );
    sim.settle("up");
    image(&mut sim.ds, "agent:2");
    sim.settle("v2");
    assert_eq!(sim.revisions.len(), 2, "the old revision is still used by a pod");
    sim.pods.clear();
    sim.memory = DaemonSetMemory::default();
    sim.settle("pods replaced");
    assert_eq!(sim.revisions.len(), 1);
}

#[test]
fn revisions_are_named_and_labelled_as_upstream() {
    // upstream: update.go snapshot names a revision `<name>-<hash>` with the
    // whole DaemonSet name (no 223-character cut as the StatefulSet's
    // ControllerRevisionName), and constructHistory labels a claimed
    // revision that lacks controller-revision-hash with its name.
    let long = "a".repeat(230);
    let mut d = ds(json!({}), json!({}));
    d.metadata.name = Some(long.clone());
    let mut sim = Sim::new(d, nodes(1));
    let a = sim.sync();
    let created = a
        .iter()
        .find_map(|x| match x {
            Action::Create { object: Object::ControllerRevision(r) } => Some(r.metadata.name().to_owned()),
            _ => None,
        })
        .expect("a revision");
    assert!(created.starts_with(&format!("{long}-")), "{created}");
    // Its label taken off: the next sync puts the name back in it.
    if let Some(r) = sim.revisions.first_mut() {
        r.metadata.labels.as_mut().map(|l| l.shift_remove(CONTROLLER_REVISION_HASH_LABEL));
    }
    let a = sim.reconcile();
    let labelled = a.iter().find_map(|x| match x {
        Action::Update { object: Object::ControllerRevision(r), .. } => {
            r.metadata.label(CONTROLLER_REVISION_HASH_LABEL).map(str::to_owned)
        }
        _ => None,
    });
    assert_eq!(labelled, Some(created), "{a:?}");
}

/// An OnDelete DaemonSet taken to a second template and back to the first:
/// the first revision (its name returned) is the one to raise.
fn rolled_back_to_v1() -> (Sim, String) {
    let mut sim = Sim::new(ds(json!({"updateStrategy": {"type": "OnDelete"}}), json!({})), nodes(1));
    sim.settle("v1");
    let first = sim.revisions.first().map(|r| r.metadata.name().to_owned()).expect("v1");
    image(&mut sim.ds, "agent:2");
    sim.settle("v2");
    image(&mut sim.ds, "agent:1");
    (sim, first)
}

#[test]
fn a_bumped_revision_carries_its_label_in_one_update() {
    // upstream: constructHistory labels the revision, then the bump of a
    // rolled-back-to revision updates the labelled object: one write here,
    // not a label update and a bump built from the same observation.
    let (mut sim, first) = rolled_back_to_v1();
    if let Some(r) = sim.revisions.iter_mut().find(|r| r.metadata.name() == first) {
        r.metadata.labels.as_mut().map(|l| l.shift_remove(CONTROLLER_REVISION_HASH_LABEL));
    }
    let a = sim.reconcile();
    let writes: Vec<(Option<String>, i64)> = a
        .iter()
        .filter_map(|x| match x {
            Action::Update { object: Object::ControllerRevision(r), .. } if r.metadata.name() == first => {
                Some((r.metadata.label(CONTROLLER_REVISION_HASH_LABEL).map(str::to_owned), r.revision))
            }
            _ => None,
        })
        .collect();
    assert_eq!(writes, [(Some(first.clone()), 3)], "{a:?}");
}

#[test]
fn an_adopted_orphan_is_raised_in_the_next_sync() {
    // upstream: constructHistory's update of a revision adopted in the same
    // sync carries the stale resourceVersion and fails on a conflict; the
    // next sync raises it. Here the raise waits for the next reconcile, so
    // it never replaces the adoption with the orphan it observed.
    let (mut sim, first) = rolled_back_to_v1();
    if let Some(r) = sim.revisions.iter_mut().find(|r| r.metadata.name() == first) {
        r.metadata.owner_references = None;
    }
    let writes = |a: &[Action]| -> Vec<(String, Option<String>, i64)> {
        a.iter()
            .filter_map(|x| match x {
                Action::Update { object: Object::ControllerRevision(r), change }
                    if r.metadata.name() == first =>
                {
                    Some((change.clone(), r.metadata.controller_ref().map(|o| o.uid.clone()), r.revision))
                }
                _ => None,
            })
            .collect()
    };
    let a = sim.reconcile();
    assert_eq!(writes(&a), [("adopt".to_owned(), sim.ds.metadata.uid.clone(), 1)], "{a:?}");
    if let Some(r) = sim.revisions.iter_mut().find(|r| r.metadata.name() == first) {
        r.metadata = kube_workloads::controller::with_owner(
            &r.metadata,
            kube_workloads::controller::controller_ref("apps/v1", "DaemonSet", &sim.ds.metadata),
        );
    }
    let a = sim.reconcile();
    assert_eq!(writes(&a), [("revision 1 -> 3".to_owned(), sim.ds.metadata.uid.clone(), 3)], "{a:?}");
}

// ---------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------

#[test]
fn snapshot_nodes_come_and_go() {
    let mut sim = Sim::new(ds(json!({}), json!({})), vec![node("node-a", json!({}))]);
    sim.settle("one node");
    sim.nodes.push(node("node-b", json!({})));
    sim.nodes.push(node("node-c", json!({})));
    sim.settle("node-b and node-c join");
    sim.nodes[1] = taint("node-b", "dedicated", "NoSchedule");
    sim.settle("node-b tainted dedicated:NoSchedule (the running pod stays)");
    sim.nodes[1] = taint("node-b", "dedicated", "NoExecute");
    sim.settle("node-b tainted dedicated:NoExecute (the pod is evicted)");
    sim.nodes[2] = node(
        "node-c",
        json!({"spec": {"unschedulable": true, "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]}}),
    );
    sim.settle("node-c cordoned (daemon pods tolerate it)");
    sim.nodes.remove(2);
    sim.pods.retain(|p| node_of(p) != "node-c");
    sim.settle("node-c removed (pod GC took its pod)");
    insta::assert_snapshot!(sim.log);
}

#[test]
fn snapshot_rolling_update_with_surge() {
    let mut sim = Sim::new(
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}}),
            json!({}),
        ),
        nodes(3),
    );
    sim.settle("three nodes at agent:1");
    image(&mut sim.ds, "agent:2");
    sim.settle("template -> agent:2 with maxSurge 1: a new pod starts beside each old one before it goes");
    insta::assert_snapshot!(sim.log);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Kubelet,
    AddNode(u8),
    RemoveNode(u8),
    Taint(u8, u8),
    Untaint(u8),
    Image(u8),
    Fail(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Kubelet),
        1 => (0..6u8).prop_map(Op::AddNode),
        1 => (0..6u8).prop_map(Op::RemoveNode),
        1 => ((0..6u8), (0..3u8)).prop_map(|(n, e)| Op::Taint(n, e)),
        1 => (0..6u8).prop_map(Op::Untaint),
        1 => (1..3u8).prop_map(Op::Image),
        1 => (0..8usize).prop_map(Op::Fail),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    /// Never more than one live pod per eligible node (two with surge), and
    /// once settled, none on an ineligible node.
    #[test]
    fn one_pod_per_node(ops in proptest::collection::vec(op(), 1..20), surge in 0..2i32) {
        let strategy = json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1 - surge.min(1), "maxSurge": surge}}});
        let mut sim = Sim::new(ds(strategy, json!({})), nodes(3));
        let g = FeatureGates::default();
        for op in ops {
            match op {
                Op::Kubelet => { let _ = sim.kubelet(); }
                Op::AddNode(i) => {
                    let name = format!("node-{i}");
                    if !sim.nodes.iter().any(|n| n.metadata.name() == name) { sim.nodes.push(node(&name, json!({}))); }
                }
                Op::RemoveNode(i) => {
                    let name = format!("node-{i}");
                    sim.nodes.retain(|n| n.metadata.name() != name);
                    sim.pods.retain(|p| node_of(p) != name);
                }
                Op::Taint(i, e) => {
                    let name = format!("node-{i}");
                    let effect = ["NoSchedule", "NoExecute", "PreferNoSchedule"][usize::from(e)];
                    for n in &mut sim.nodes {
                        if n.metadata.name() == name { *n = taint(&name, "k", effect); }
                    }
                }
                Op::Untaint(i) => {
                    let name = format!("node-{i}");
                    for n in &mut sim.nodes {
                        if n.metadata.name() == name { *n = node(&name, json!({})); }
                    }
                }
                Op::Image(v) => image(&mut sim.ds, &format!("agent:{v}")),
                Op::Fail(i) => if let Some(p) = sim.pods.get_mut(i) {
                    p.status.get_or_insert_default().phase = Some(PodPhase::Failed);
                },
            }
            sim.sync();
            let limit = if surge > 0 { 2 } else { 1 };
            // A failed pod held in back-off is not deleted yet but does not
            // run either (upstream podsShouldBeOnNode skips it, and with
            // surge creates a replacement beside it), so only pods that are
            // neither terminating nor finished count against the limit.
            for n in &sim.nodes {
                let live = sim.pods.iter().filter(|p| node_of(p) == n.metadata.name() && is_running(p)).count();
                prop_assert!(live <= limit, "{} live pods on {}", live, n.metadata.name());
            }
        }
        // Settle: forget back-off, let everything finish.
        for _ in 0..12 {
            sim.memory.failed_pod_backoff.clear();
            sim.now = sim.now.add_seconds(3600);
            sim.sync();
            let _ = sim.kubelet();
        }
        for n in &sim.nodes {
            let (run, keep) = node_should_run_daemon_pod(n, &sim.ds, &g);
            let live = sim.pods.iter().filter(|p| node_of(p) == n.metadata.name() && !p.metadata.is_terminating()).count();
            if !keep {
                prop_assert_eq!(live, 0, "pod left on ineligible {}", n.metadata.name());
            }
            if run {
                prop_assert_eq!(live, 1, "settled node {} has {} pods", n.metadata.name(), live);
            }
        }
    }
}

// upstream: daemon_controller.go dedupCurHistories and constructHistory:
// two revisions hold the current template; the newest is kept, every pod
// with another hash (the duplicate's, an old template's) is relabelled to
// its hash and the duplicate deleted, then the
// kept one's number rises past the old revisions'. Adoptions and releases
// (pods, then revisions, by name) come before all of that.
#[test]
fn duplicate_current_revisions_are_deduplicated() {
    let mut sim = Sim::new(
        ds(json!({"updateStrategy": {"type": "OnDelete"}}), json!({})),
        vec![node("a", json!({})), node("b", json!({}))],
    );
    sim.settle("up");
    let current = sim.revisions.first().cloned().expect("revision");
    let twin = |name: &str, hash: &str, revision: i64| {
        let mut r = current.clone();
        r.metadata.name = Some(name.into());
        r.metadata.set_label(CONTROLLER_REVISION_HASH_LABEL, hash);
        r.revision = revision;
        r
    };
    let mut old = twin("agent-old", "old", 3);
    old.data = Some(
        json!({"spec": {"template": {"spec": {"containers": [{"name": "agent", "image": "agent:0"}]}}}}),
    );
    sim.revisions = vec![twin("agent-aaa", "aaa", 1), twin("agent-bbb", "bbb", 2), old];
    for (pod, hash) in sim.pods.iter_mut().zip(["aaa", "bbb"]) {
        pod.metadata.set_label(CONTROLLER_REVISION_HASH_LABEL, hash);
    }
    // An orphan pod on node a and an orphan revision, both named
    // agent-zzz: the pod's adoption comes first. The pod carries the old
    // template's hash: upstream relabels every claimed pod whose hash is not
    // the kept one's, not only the duplicates' pods.
    let mut orphan = sim.pods.first().cloned().expect("pod");
    orphan.metadata.set_label(CONTROLLER_REVISION_HASH_LABEL, "old");
    orphan.metadata.name = Some("agent-zzz".into());
    orphan.metadata.uid = Some("uid-orphan".into());
    orphan.metadata.owner_references = None;
    sim.pods.push(orphan);
    let mut orphan_rev = twin("agent-zzz", "zzz", 0);
    orphan_rev.data = Some(json!({"spec": {}}));
    orphan_rev.metadata.owner_references = None;
    sim.revisions.push(orphan_rev);

    let actions = sim.reconcile();
    // The orphan's adoption carries its new label: one write, so a second
    // one from the same observation cannot undo the adoption.
    let adopted = actions.iter().find_map(|a| match a {
        Action::Update { object: Object::Pod(p), change } if p.metadata.name() == "agent-zzz" => {
            Some((change.clone(), p.metadata.clone()))
        }
        _ => None,
    });
    let (change, meta) = adopted.expect("the orphan is adopted");
    assert!(meta.controller_ref().is_some(), "{change}");
    assert_eq!(meta.label(CONTROLLER_REVISION_HASH_LABEL), Some("bbb"));
    let lines: Vec<String> =
        actions.iter().map(describe).filter(|l| !l.starts_with("update status")).collect();
    insta::assert_snapshot!(lines.join("\n"));
}

// `kubectl rollout status` (rollout_status.go DaemonSetStatusViewer) along
// the rolling update of updates_pods_max_unavailable's DaemonSet (3 nodes,
// maxUnavailable 2): what a user watching it reads after each sync, each
// line once.
#[test]
fn rollout_status_follows_a_rolling_update() {
    let mut sim = Sim::new(
        ds(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 2}}}),
            json!({}),
        ),
        nodes(3),
    );
    let mut seen: Vec<String> = Vec::new();
    let mut watch = |sim: &Sim| {
        let line = daemonset::rollout_status(&sim.ds, None).to_string();
        if seen.last() != Some(&line) {
            seen.push(line);
        }
    };
    watch(&sim);
    sim.settle("up");
    watch(&sim);
    image(&mut sim.ds, "agent:2");
    watch(&sim);
    for _ in 0..8 {
        let _ = sim.sync();
        watch(&sim);
        let _ = sim.kubelet();
    }
    assert!(daemonset::rollout_status(&sim.ds, None).is_final());
    assert_eq!(
        seen,
        [
            "Waiting for daemon set spec update to be observed...",
            "daemon set \"agent\" successfully rolled out",
            "Waiting for daemon set spec update to be observed...",
            // Two old pods deleted: none updated yet.
            "Waiting for daemon set \"agent\" rollout to finish: 0 out of 3 new pods have been updated...",
            // Their replacements are created; the third old pod waits for them.
            "Waiting for daemon set \"agent\" rollout to finish: 2 out of 3 new pods have been updated...",
            // The kubelet here makes a pod Ready within the step that starts
            // it, so no "... updated pods are available" line shows up.
            "daemon set \"agent\" successfully rolled out",
        ],
        "{}",
        sim.log
    );
}

// upstream: daemon_controller.go syncDaemonSet returns before anything
// (no pods, no revisions, no status) while the DaemonSet has a
// deletionTimestamp; the garbage collector removes its pods
// (daemonset.md §1).
#[test]
fn a_daemonset_being_deleted_does_nothing() {
    let mut d = on_delete(json!({}));
    d.metadata.deletion_timestamp = Some(t0());
    let nodes = [node("a", json!({})), node("b", json!({}))];
    let pods = [pod_on("x", "a", t0())];
    let memory = DaemonSetMemory::default();
    let a = daemonset::reconcile(
        &d,
        &Observed { pods: &pods, nodes: &nodes, revisions: &[], memory: &memory },
        t0(),
    );
    assert!(a.is_empty(), "{a:#?}");
}

// ---------------------------------------------------------------------------
// daemon_controller_test.go: existing pods, surge (ports from a coverage
// audit; each names its upstream test)
// ---------------------------------------------------------------------------

/// Go's `time.Unix(secs, 0)`.
fn unix(secs: i64) -> Time {
    "1970-01-01T00:00:00Z".parse::<Time>().expect("epoch").add_seconds(secs)
}

/// Nodes `node-0` .. `node-{n-1}` (upstream's addNodes).
fn numbered_nodes(n: usize) -> Vec<Node> {
    (0..n).map(|i| node(&format!("node-{i}"), json!({}))).collect()
}

/// Upstream's newPod for `d`: owned by it, labelled with the template's
/// labels and the current revision hash (`hashed`), on `node`, created at
/// `created`; no phase and no conditions unless set afterwards.
fn daemon_pod(d: &DaemonSet, name: &str, node: &str, created: Time, hashed: bool) -> Pod {
    let mut p = pod_on(name, node, created);
    p.status = None;
    if hashed {
        let template = &d.spec.as_ref().expect("spec").template;
        let hash = kube_workloads::controller::deployment::pod_template_hash(template, None);
        p.metadata.set_label(CONTROLLER_REVISION_HASH_LABEL, hash);
    }
    p
}

fn with_ready(mut p: Pod, status: ConditionStatus, since: Option<Time>) -> Pod {
    p.status.get_or_insert_default().conditions = Some(vec![kube_workloads::api::Condition {
        type_: "Ready".into(),
        status,
        last_transition_time: since,
        ..Default::default()
    }]);
    p
}

fn one_sync(d: &DaemonSet, nodes: &[Node], pods: &[Pod], now: Time) -> Vec<Action> {
    let memory = DaemonSetMemory::default();
    daemonset::reconcile(d, &Observed { pods, nodes, revisions: &[], memory: &memory }, now)
}

/// Upstream's addPods: `n` pods on `node` (with the current hash), labelled
/// as the DaemonSet's template unless `other_labels`.
fn add_pods(pods: &mut Vec<Pod>, d: &DaemonSet, node: &str, n: usize, other_labels: bool) {
    for i in 0..n {
        let mut p =
            daemon_pod(d, &format!("{node}-{}{i}", if other_labels { "x" } else { "" }), node, t0(), true);
        if other_labels {
            p.metadata.set_label("app", "other");
        }
        pods.push(p);
    }
}

// upstream: daemon_controller_test.go TestDealsWithExistingPods (for every
// update strategy) and TestSurgeDealsWithExistingPods (maxSurge 1): of five
// nodes, node-1 has one pod, node-2 two, node-3 five, node-4 two whose
// labels the selector does not select (released, not counted): pods for
// node-0 and node-4, and the extra four on node-3 and one on node-2 go.
#[test]
fn deals_with_existing_pods() {
    let strategies = [
        json!({"updateStrategy": {"type": "OnDelete"}}),
        json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}}}),
        json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}}),
    ];
    for strategy in strategies {
        let d = ds(strategy.clone(), json!({}));
        let mut pods = Vec::new();
        add_pods(&mut pods, &d, "node-1", 1, false);
        add_pods(&mut pods, &d, "node-2", 2, false);
        add_pods(&mut pods, &d, "node-3", 5, false);
        add_pods(&mut pods, &d, "node-4", 2, true);
        let actions = one_sync(&d, &numbered_nodes(5), &pods, t0());
        let mut created = created_on(&actions);
        created.sort();
        assert_eq!(created, ["node-0", "node-4"], "{strategy}");
        let gone = deleted(&actions);
        assert_eq!(gone.len(), 5, "{strategy}: {gone:?}");
        assert_eq!(gone.iter().filter(|n| n.starts_with("node-3")).count(), 4, "{strategy}");
        assert_eq!(gone.iter().filter(|n| n.starts_with("node-2")).count(), 1, "{strategy}");
    }
}

/// Upstream's surge fixture on node-1: the current pod (created at 100,
/// readiness as given), old pods without the hash label, and one current
/// pod on node-2; five nodes, maxSurge 1.
fn surge_fixture(
    min_ready: i32,
    new_ready: Option<Time>,
    old: &[(&str, i64, ConditionStatus)],
) -> (DaemonSet, Vec<Pod>) {
    let d = ds(
        json!({"minReadySeconds": min_ready,
               "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}}),
        json!({}),
    );
    let mut new = daemon_pod(&d, "node-1-new", "node-1", unix(100), true);
    if let Some(since) = new_ready {
        new = with_ready(new, ConditionStatus::True, Some(since));
    }
    let mut pods = vec![new];
    for (name, created, ready) in old {
        pods.push(with_ready(daemon_pod(&d, name, "node-1", unix(*created), false), ready.clone(), None));
    }
    add_pods(&mut pods, &d, "node-2", 1, false);
    (d, pods)
}

// upstream: daemon_controller_test.go TestSurgePreservesReadyOldPods,
// TestSurgeDeletesUnreadyOldPods, TestSurgePreservesOldReadyWithUnsatisfiedMinReady
// and TestSurgeDeletesOldReadyWithUnsatisfiedMinReady: on a node with a
// current pod, the oldest ready old pod stays while the current one is not
// available; other old pods go (unready ones always), and once the current
// pod is available the old ready one goes too. Nodes 0, 3 and 4 get pods.
#[test]
fn surge_keeps_the_oldest_ready_old_pod_until_the_new_one_is_available() {
    use ConditionStatus::{False, True};
    // (upstream test, minReadySeconds, the current pod Ready since, now,
    // old pods (name, created, Ready), the pods deleted)
    type Case<'a> = (&'a str, i32, Option<Time>, Time, Vec<(&'a str, i64, ConditionStatus)>, Vec<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        (
            "TestSurgePreservesReadyOldPods",
            0,
            None,
            t0(),
            vec![("node-1-old", 50, True), ("node-1-delete", 60, True)],
            vec!["node-1-delete"],
        ),
        (
            "TestSurgeDeletesUnreadyOldPods",
            0,
            None,
            t0(),
            vec![("node-1-old-unready", 50, False), ("node-1-delete", 60, True)],
            vec!["node-1-delete", "node-1-old-unready"],
        ),
        (
            "TestSurgePreservesOldReadyWithUnsatisfiedMinReady (10 s of 15 ready)",
            15,
            Some(unix(50)),
            unix(60),
            vec![("node-1-old-ready", 50, True), ("node-1-delete", 60, True)],
            vec!["node-1-delete"],
        ),
        (
            "TestSurgeDeletesOldReadyWithUnsatisfiedMinReady (20 s of 15 ready)",
            15,
            Some(unix(50)),
            unix(70),
            vec![("node-1-old-ready", 50, True), ("node-1-delete", 60, True)],
            vec!["node-1-delete", "node-1-old-ready"],
        ),
    ];
    for (name, min_ready, new_ready, now, old, want_deleted) in cases {
        let (d, pods) = surge_fixture(min_ready, new_ready, &old);
        let actions = one_sync(&d, &numbered_nodes(5), &pods, now);
        let mut created = created_on(&actions);
        created.sort();
        assert_eq!(created, ["node-0", "node-3", "node-4"], "{name}");
        let mut gone = deleted(&actions);
        gone.sort();
        assert_eq!(gone, want_deleted, "{name}");
    }
}

// upstream: daemon_controller_test.go
// TestSurgeCreatesNewPodWhenAtMaxSurgeAndOldPodDeleted: node-0 holds the
// surge (a current unready pod beside a ready old one); nodes 1-4 run ready
// old pods, node-4's being deleted. The surge budget is spent, yet node-4,
// whose only pod is going, gets a new pod; nothing is deleted.
#[test]
fn surge_replaces_a_deleted_old_pod_at_max_surge() {
    let d = ds(
        json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}}),
        json!({}),
    );
    let mut pods = vec![
        with_ready(daemon_pod(&d, "node-0-new", "node-0", unix(100), true), ConditionStatus::False, None),
        with_ready(
            daemon_pod(&d, "node-0-old-ready", "node-0", unix(50), false),
            ConditionStatus::True,
            None,
        ),
    ];
    for i in 1..5 {
        let mut old = with_ready(
            daemon_pod(&d, &format!("node-{i}-preserve"), &format!("node-{i}"), unix(1), false),
            ConditionStatus::True,
            None,
        );
        if i == 4 {
            old.metadata.deletion_timestamp = Some(unix(31));
            old.metadata.deletion_grace_period_seconds = Some(30);
        }
        pods.push(old);
    }
    let actions = one_sync(&d, &numbered_nodes(5), &pods, unix(200));
    assert_eq!(created_on(&actions), ["node-4"]);
    assert!(deleted(&actions).is_empty(), "{:?}", deleted(&actions));
}

// upstream: daemon_controller_test.go TestNoNodesDoesNothing,
// TestOneNodeDaemonLaunchesPod, TestNotReadyNodeDaemonDoesLaunchPod (a
// Ready=False condition without a taint), TestNetworkUnavailableNodeDaemonLaunchesPod,
// TestDaemonKillFailedPods ("normal (do nothing)", "no pods (create 1)",
// "1 failed, 3 normal"), TestObservedGeneration and TestNumberReadyStatus.
#[test]
fn simple_daemon_controller_rows() {
    let d = on_delete(json!({}));
    let creates = |nodes: &[Node], pods: &[Pod]| created_on(&one_sync(&d, nodes, pods, t0())).len();
    assert_eq!(creates(&[], &[]), 0, "TestNoNodesDoesNothing");
    assert_eq!(creates(&[node("only-node", json!({}))], &[]), 1, "TestOneNodeDaemonLaunchesPod");
    let condition = |type_: &str, status: &str| {
        node("n", json!({"status": {"conditions": [{"type": type_, "status": status}]}}))
    };
    assert_eq!(creates(&[condition("Ready", "False")], &[]), 1, "TestNotReadyNodeDaemonDoesLaunchPod");
    assert_eq!(
        creates(&[condition("NetworkUnavailable", "True")], &[]),
        1,
        "TestNetworkUnavailableNodeDaemonLaunchesPod"
    );

    let nodes = [node("a", json!({}))];
    let normal = pod_on("p0", "a", t0());
    let a = one_sync(&d, &nodes, std::slice::from_ref(&normal), t0());
    assert_eq!((created_on(&a).len(), deleted(&a).len()), (0, 0), "normal (do nothing)");
    let a = one_sync(&d, &nodes, &[], t0());
    assert_eq!((created_on(&a).len(), deleted(&a).len()), (1, 0), "no pods (create 1)");
    let mut pods = vec![failed_on("f", "a")];
    pods.extend((1..4).map(|i| pod_on(&format!("p{i}"), "a", t0().add_seconds(i))));
    let a = one_sync(&d, &nodes, &pods, t0().add_seconds(10));
    assert_eq!((created_on(&a).len(), deleted(&a).len()), (0, 3), "1 failed, 3 normal: {:?}", deleted(&a));
    let events = a.iter().filter(|x| matches!(x, Action::Event(e) if e.reason == "FailedDaemonPod")).count();
    assert_eq!(events, 1);

    let status_of = |a: &[Action]| {
        a.iter()
            .find_map(|x| match x {
                Action::UpdateStatus { object: Object::DaemonSet(d) } => d.status.clone(),
                _ => None,
            })
            .expect("status")
    };
    let mut generated = d.clone();
    generated.metadata.generation = Some(1);
    let two = [node("a", json!({})), node("b", json!({}))];
    let mut pods = vec![pod_on("pa", "a", t0()), pod_on("pb", "b", t0())];
    let st = status_of(&one_sync(&generated, &two, &pods, t0()));
    assert_eq!(st.observed_generation, Some(1), "TestObservedGeneration");
    assert_eq!(st.number_ready.unwrap_or(0), 0, "TestNumberReadyStatus: not ready");
    for p in &mut pods {
        set_ready(p, t0());
    }
    let st = status_of(&one_sync(&generated, &two, &pods, t0()));
    assert_eq!(st.number_ready, Some(2), "TestNumberReadyStatus: both ready");
}
