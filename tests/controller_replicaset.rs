//! ReplicaSet and ReplicationController reconcile: tables mirroring
//! kubernetes/kubernetes pkg/controller/replicaset/replica_set_test.go (each
//! case cites its upstream test), a snapshot of a scale-up / scale-down
//! sequence, and property tests (convergence; never touching foreign pods).

mod controller_support;

use std::collections::BTreeSet;

use controller_support::{Cluster, NS, P, base, collapse, creates, deleted, patches, replica_set, t};
use kube_workloads::api::{ConditionStatus, Object, PodPhase, ReplicationController, Time};
use kube_workloads::controller::replicaset::{Observed, reconcile, reconcile_replication_controller};
use kube_workloads::controller::{
    Action, ControllerMemory, Expectations, ManageFailure, PodKey, ReplicaSetMemory,
};
use kube_workloads::{Pod, ReplicaSet};
use proptest::prelude::*;
use serde_json::json;

fn labels() -> serde_json::Value {
    json!({"foo": "bar"})
}

fn rs(replicas: i32) -> ReplicaSet {
    replica_set("foobar", replicas, labels())
}

fn owned(name: &str) -> P {
    P::new(name).labels(&[("foo", "bar")]).owner("ReplicaSet", "foobar", "uid-foobar")
}

fn run(rs: &ReplicaSet, pods: &[Pod], memory: &ReplicaSetMemory, now: Time) -> Vec<Action> {
    reconcile(rs, &Observed { pods, replica_sets: &[], memory }, now)
}

fn status_of(actions: &[Action]) -> Option<kube_workloads::api::ReplicaSetStatus> {
    actions.iter().find_map(|a| match a {
        Action::UpdateStatus { object: Object::ReplicaSet(rs) } => rs.status.clone(),
        _ => None,
    })
}

fn running_ready(p: P, since: Time) -> P {
    p.node("node").phase(PodPhase::Running).ready(Some(since))
}

// upstream: TestSyncReplicaSetDoesNothing
#[test]
fn does_nothing_when_replicas_match() {
    let now = base();
    let pods = [running_ready(owned("pod0"), now).build(), running_ready(owned("pod1"), now).build()];
    let actions = run(&rs(2), &pods, &ReplicaSetMemory::default(), now);
    assert_eq!((creates(&actions), deleted(&actions).len(), patches(&actions).len()), (0, 0, 0));
}

// upstream: TestSyncReplicaSetCreateFailures (burst) and the i32::MAX bound.
#[test]
fn creates_at_most_the_burst() {
    let now = base();
    let actions = run(&rs(1000), &[], &ReplicaSetMemory::default(), now);
    assert_eq!(creates(&actions), 500);
    let actions = run(&rs(i32::MAX), &[], &ReplicaSetMemory::default(), now);
    assert_eq!(creates(&actions), 500);
    assert_eq!(remembered(&actions).expectations.creates, 500);
}

// upstream: TestSyncReplicaSetDormancy: expectations block creates but not
// the status write; a failed create lowers them and the next sync creates.
#[test]
fn dormancy_with_expectations() {
    let now = base();
    let pods = [running_ready(owned("pod0"), now).created(now.add_seconds(-100)).build()];
    let mut spec = rs(2);
    spec.status = Some(
        serde_json::from_value(json!({"replicas": 1, "readyReplicas": 1, "availableReplicas": 1})).unwrap(),
    );
    let first = run(&spec, &pods, &ReplicaSetMemory::default(), now);
    assert_eq!(creates(&first), 1);
    let Some(Action::Remember { memory: ControllerMemory::Replicas(memory), .. }) =
        first.iter().find(|a| matches!(a, Action::Remember { .. }))
    else {
        panic!("no memory: {first:?}");
    };
    // The create is not yet observed: nothing to do but the status.
    spec.status = Some(Default::default());
    let second = run(&spec, &pods, memory, now.add_seconds(1));
    assert_eq!(creates(&second), 0);
    assert!(status_of(&second).is_some());
    // The executor reports the create failed: the next sync creates again.
    let mut failed = memory.clone();
    failed.create_failed("fake Error");
    let third = run(&spec, &pods, &failed, now.add_seconds(2));
    assert_eq!(creates(&third), 1);
    let st = status_of(&third).expect("status");
    let cond = st.conditions.expect("conditions");
    assert_eq!(cond[0].reason.as_deref(), Some("FailedCreate"));
    assert_eq!(cond[0].message.as_deref(), Some("fake Error"));
    // After 5 minutes the expectations expire even with nothing observed.
    let expired = run(&spec, &pods, memory, now.add_seconds(301));
    assert_eq!(creates(&expired), 1);
}

// upstream: UIDTrackingControllerExpectations keys deletions by
// `namespace/name` (controller.PodKey) and the pod handlers resolve a pod's
// owner in the pod's own namespace (resolveControllerRef): a pod of
// another namespace is neither the awaited deletion nor an awaited
// creation.
#[test]
fn expectations_count_only_pods_of_the_controllers_namespace() {
    let now = base();
    let mine = |name: &str| running_ready(owned(name), now).created(now.add_seconds(-100)).build();
    let mut spec = rs(2);
    spec.status = Some(serde_json::from_value(json!({"replicas": 2})).unwrap());
    // A delete of web-1 (no UID: a hand-built pod) is awaited; web-1 is
    // gone from the namespace, a pod of that name lives in another one.
    let memory = ReplicaSetMemory {
        expectations: Expectations::record(
            now,
            0,
            vec![PodKey { name: "web-1".into(), uid: None }],
            std::iter::empty(),
        ),
        ..Default::default()
    };
    let other_ns = P::new("web-1").ns("elsewhere").labels(&[("foo", "bar")]).build();
    let pods = [mine("pod0"), other_ns];
    let actions = run(&spec, &pods, &memory, now.add_seconds(1));
    assert_eq!(creates(&actions), 1, "the deletion is observed: {actions:?}");

    // A create is awaited; a pod of another namespace naming this
    // ReplicaSet's UID as its controller is not it.
    let memory = ReplicaSetMemory {
        expectations: Expectations::record(now, 1, Vec::new(), std::iter::empty()),
        ..Default::default()
    };
    let foreign = owned("pod9").ns("elsewhere").created(now.add_seconds(1)).build();
    let pods = [mine("pod0"), foreign];
    let actions = run(&spec, &pods, &memory, now.add_seconds(2));
    assert_eq!(creates(&actions), 0, "the create is still pending: {actions:?}");
}

// upstream: addPod calls CreationObserved once per add event, and nothing
// raises the count again: a created pod that a later observation no
// longer lists (force-deleted here, or released) still counts. Two creates
// are awaited; the first reconcile lists one of them, the next lists only
// the other: both are observed and the set replaces the lost pod at once,
// where forgetting the first would stall it until the expectations expire.
#[test]
fn a_creation_once_listed_stays_observed() {
    let now = base();
    let spec = rs(2);
    let memory = ReplicaSetMemory {
        expectations: Expectations::record(now, 2, Vec::new(), std::iter::empty()),
        ..Default::default()
    };
    let first_pod = [owned("foobar-a").created(now.add_seconds(1)).build()];
    let second = run(&spec, &first_pod, &memory, now.add_seconds(2));
    assert_eq!(creates(&second), 0, "one create is still pending: {second:?}");
    let kept = remembered(&second);
    assert_eq!(kept.expectations.added.iter().collect::<Vec<_>>(), ["foobar-a"]);
    // foobar-a is gone; foobar-b, the other creation, is listed.
    let other_pod = [owned("foobar-b").created(now.add_seconds(4)).build()];
    let third = run(&spec, &other_pod, &kept, now.add_seconds(5));
    assert_eq!(creates(&third), 1, "both creations observed, one pod short: {third:?}");
    // Control: the memory before the first observation still waits.
    let stalled = run(&spec, &other_pod, &memory, now.add_seconds(5));
    assert_eq!(creates(&stalled), 0, "{stalled:?}");
}

// upstream: the informer observes creations by add events, whatever the
// clock; here the record is cut to the whole second, as creationTimestamp
// is. A caller passing a sub-second `now` is not stalled for 5 minutes by
// a pod the API server stamped earlier in the same second.
#[test]
fn sub_second_now_still_observes_creations() {
    let half = Time(base().0 + chrono::TimeDelta::milliseconds(500));
    let first = run(&rs(1), &[], &ReplicaSetMemory::default(), half);
    assert_eq!(creates(&first), 1);
    let Some(Action::Remember { memory: ControllerMemory::Replicas(memory), .. }) =
        first.iter().find(|a| matches!(a, Action::Remember { .. }))
    else {
        panic!("no memory: {first:?}");
    };
    // The pod lands, stamped at the whole second; then the set grows.
    let pods = [owned("foobar-a").created(base()).build()];
    let second = run(&rs(2), &pods, memory, base().add_seconds(1));
    assert_eq!(creates(&second), 1, "{second:?}");
}

// upstream: ControlleeExpectations.isExpired counts the 5 minutes from the
// exact instant the expectations were set; only the comparison with
// creation timestamps uses the whole second.
#[test]
fn expectations_expire_five_minutes_after_the_exact_record() {
    let at = Time(base().0 + chrono::TimeDelta::milliseconds(900));
    let e = Expectations::record(at, 1, Vec::new(), std::iter::empty());
    let early = Time(base().0 + chrono::TimeDelta::milliseconds(300_500));
    assert!(!e.is_expired(early), "299.6 s after the record");
    let late = Time(base().0 + chrono::TimeDelta::milliseconds(300_901));
    assert!(e.is_expired(late), "300.001 s after the record");
    // To the nanosecond, as time.Since: 300 s and half a millisecond is past.
    let exactly = Time(base().0 + chrono::TimeDelta::milliseconds(300_900));
    assert!(!e.is_expired(exactly), "300 s after the record");
    assert!(e.is_expired(Time(exactly.0 + chrono::TimeDelta::microseconds(500))), "300.0005 s after");
    // A pod stamped in the record's second still counts as created.
    let pods = [owned("foobar-a").created(base()).build()];
    assert_eq!(e.pending("uid-foobar", &pods).creates, 0);
}

// The memory a caller stores keeps the record's fraction of a second, so a
// stored and restored memory expires at the same instant.
#[test]
fn expectations_survive_serialization_to_the_millisecond() {
    let at = Time(base().0 + chrono::TimeDelta::milliseconds(900));
    let e = Expectations::record(at, 1, Vec::new(), std::iter::empty());
    let text = serde_json::to_string(&e).unwrap();
    assert!(text.contains("00:00:00.900Z"), "{text}");
    let back: Expectations = serde_json::from_str(&text).unwrap();
    assert_eq!(back, e);
    assert!(!back.is_expired(Time(base().0 + chrono::TimeDelta::milliseconds(300_500))));
    // A pod of another namespace reported by a watch is not a creation.
    let mut watched = back.clone();
    let foreign = owned("pod9").ns("elsewhere").created(base().add_seconds(1)).build();
    watched.creation_observed_in(NS, "uid-foobar", &foreign);
    assert_eq!(watched.pending_in(NS, "uid-foobar", &[]).creates, 1);
    watched.creation_observed("uid-foobar", &foreign);
    assert_eq!(watched.pending("uid-foobar", &[]).creates, 0, "the unchecked report counts it");
}

// upstream: TestDoNotPatchPodWithOtherControlRef
#[test]
fn ignores_pods_of_other_controllers() {
    let now = base();
    let pods = [running_ready(
        P::new("pod").labels(&[("foo", "bar")]).owner("ReplicaSet", "AnotherRS", "other-uid"),
        now,
    )
    .build()];
    let actions = run(&rs(2), &pods, &ReplicaSetMemory::default(), now);
    assert_eq!((creates(&actions), patches(&actions).len()), (2, 0));
}

// upstream: TestPatchPodFails (two matching orphans: two adoptions)
#[test]
fn adopts_matching_orphans() {
    let now = base();
    let pods = [
        running_ready(P::new("pod1").labels(&[("foo", "bar")]), now).build(),
        running_ready(P::new("pod2").labels(&[("foo", "bar")]), now).build(),
        P::new("pod3").labels(&[("foo", "other")]).build(),
    ];
    let actions = run(&rs(2), &pods, &ReplicaSetMemory::default(), now);
    assert_eq!(patches(&actions), ["pod1 adopt", "pod2 adopt"]);
    assert_eq!(creates(&actions), 0);
    let Action::Update { object: Object::Pod(p), .. } = &actions[0] else { panic!() };
    let r = p.metadata.controller_ref().expect("controller ref");
    assert_eq!(
        (r.kind.as_str(), r.name.as_str(), r.uid.as_str(), r.block_owner_deletion),
        ("ReplicaSet", "foobar", "uid-foobar", Some(true))
    );
}

// controller_ref_manager.go ClaimObject: an owned pod that stopped matching
// is released (and a replacement created).
#[test]
fn releases_pods_that_stopped_matching() {
    let now = base();
    let pods = [running_ready(
        P::new("pod1").labels(&[("foo", "baz")]).owner("ReplicaSet", "foobar", "uid-foobar"),
        now,
    )
    .build()];
    let actions = run(&rs(1), &pods, &ReplicaSetMemory::default(), now);
    assert_eq!(patches(&actions), ["pod1 release"]);
    assert_eq!(creates(&actions), 1);
}

// upstream: TestDoNotAdoptOrCreateIfBeingDeleted
#[test]
fn being_deleted_neither_adopts_nor_creates() {
    let now = base();
    let mut spec = rs(2);
    spec.metadata.deletion_timestamp = Some(now);
    let pods = [running_ready(P::new("pod1").labels(&[("foo", "bar")]), now).build()];
    let actions = run(&spec, &pods, &ReplicaSetMemory::default(), now);
    assert_eq!((creates(&actions), deleted(&actions).len(), patches(&actions).len()), (0, 0, 0));
}

// replicaset.md §8 (GetPodFromTemplate, getPodsPrefix)
#[test]
fn generated_pod_shape() {
    let now = base();
    let mut spec = rs(1);
    spec.spec
        .as_mut()
        .unwrap()
        .template
        .as_mut()
        .unwrap()
        .metadata
        .as_mut()
        .unwrap()
        .set_annotation("a", "b");
    let actions = run(&spec, &[], &ReplicaSetMemory::default(), now);
    let Action::Create { object: Object::Pod(pod) } = &actions[0] else { panic!("{actions:?}") };
    assert_eq!(actions[0].to_string(), "create Pod default/foobar-");
    assert_eq!(pod.metadata.generate_name.as_deref(), Some("foobar-"));
    assert_eq!(pod.metadata.name, None);
    assert_eq!(pod.metadata.label("foo"), Some("bar"));
    assert_eq!(pod.metadata.annotation("a"), Some("b"));
    let refs = pod.metadata.owner_references();
    assert_eq!(refs.len(), 1);
    assert_eq!(
        (refs[0].api_version.as_str(), refs[0].controller, refs[0].block_owner_deletion),
        ("apps/v1", Some(true), Some(true))
    );
    assert!(pod.spec.as_ref().unwrap().node_name.is_none());
}

// upstream: TestGetPodsToDelete, through reconcile. The RS has a controller
// (uid 123, as upstream's newReplicaSet), so co-location ranks apply.
#[test]
fn pods_to_delete_table() {
    let now = base();
    let mut spec = replica_set("foobar", 1, json!({"name": "foo"}));
    spec.metadata.owner_references = Some(vec![
        serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "name": "d", "uid": "123", "controller": true
        }))
        .unwrap(),
    ]);
    let mine =
        |name: &str| P::new(name).labels(&[("name", "foo")]).owner("ReplicaSet", "foobar", "uid-foobar");
    let unscheduled_pending = mine("unscheduled-pending-pod").phase(PodPhase::Pending).build();
    let scheduled_pending = mine("scheduled-pending-pod").node("fake-node").phase(PodPhase::Pending).build();
    let not_ready =
        mine("scheduled-running-not-ready-pod").node("fake-node").phase(PodPhase::Running).build();
    let ready1 = mine("scheduled-running-ready-pod-on-node-1")
        .node("fake-node-1")
        .phase(PodPhase::Running)
        .ready(None)
        .build();
    let ready2 = mine("scheduled-running-ready-pod-on-node-2")
        .node("fake-node-2")
        .phase(PodPhase::Running)
        .ready(None)
        .build();
    // A sibling ReplicaSet of the same Deployment with one more pod on node 2.
    let mut sibling = replica_set("sibling", 1, json!({"name": "sib"}));
    sibling.metadata.owner_references = spec.metadata.owner_references.clone();
    let sibling_pod = P::new("sibling-pod")
        .labels(&[("name", "sib")])
        .owner("ReplicaSet", "sibling", "uid-sibling")
        .node("fake-node-2")
        .phase(PodPhase::Running)
        .ready(None)
        .build();

    type Case<'a> = (&'a str, Vec<&'a Pod>, bool, usize, Vec<&'a Pod>);
    let cases: Vec<Case<'_>> = vec![
        ("len(pods) = 0", vec![], false, 0, vec![]),
        ("diff = len(pods)", vec![&not_ready, &ready1], false, 2, vec![&not_ready, &ready1]),
        ("diff < len(pods)", vec![&ready1, &not_ready], false, 1, vec![&not_ready]),
        (
            "various pod phases and conditions, diff = len(pods)",
            vec![&ready1, &ready2, &not_ready, &scheduled_pending, &unscheduled_pending],
            false,
            5,
            vec![&ready1, &ready2, &not_ready, &scheduled_pending, &unscheduled_pending],
        ),
        (
            "scheduled vs unscheduled",
            vec![&scheduled_pending, &unscheduled_pending],
            false,
            1,
            vec![&unscheduled_pending],
        ),
        ("ready and colocated vs not colocated", vec![&ready1, &ready2], true, 1, vec![&ready2]),
        ("pending vs running", vec![&scheduled_pending, &not_ready], false, 1, vec![&scheduled_pending]),
        (
            "various pod phases and conditions, diff < len(pods)",
            vec![&ready1, &ready2, &not_ready, &scheduled_pending, &unscheduled_pending],
            false,
            3,
            vec![&unscheduled_pending, &scheduled_pending, &not_ready],
        ),
    ];
    for (name, pods, with_sibling, diff, want) in cases {
        let mut observed: Vec<Pod> = pods.iter().map(|p| (*p).clone()).collect();
        let mut rss = vec![spec.clone()];
        if with_sibling {
            observed.push(sibling_pod.clone());
            rss.push(sibling.clone());
        }
        let mut target = spec.clone();
        target.spec.as_mut().unwrap().replicas = Some(i32::try_from(pods.len() - diff).unwrap());
        let want: BTreeSet<String> = want.iter().map(|p| p.metadata.name().to_owned()).collect();
        // The ranking is gathered during the claim pass: from the first pod
        // when the status still counts every pod, otherwise from the pod
        // that tips the claimed count over `replicas`, catching up on the
        // pods before it. Each way, and with the pods listed backwards,
        // the victims are the same.
        let mut hinted = target.clone();
        hinted.status = Some(kube_workloads::api::ReplicaSetStatus {
            replicas: i32::try_from(pods.len()).unwrap(),
            ..Default::default()
        });
        let reversed: Vec<Pod> = observed.iter().rev().cloned().collect();
        for (how, rs, listed) in [
            ("claim pass", &target, &observed),
            ("status hint", &hinted, &observed),
            ("reversed", &target, &reversed),
        ] {
            let actions = reconcile(
                rs,
                &Observed { pods: listed, replica_sets: &rss, memory: &ReplicaSetMemory::default() },
                now,
            );
            let got: BTreeSet<String> = deleted(&actions).into_iter().collect();
            assert_eq!(got, want, "{name} ({how})");
        }
    }
}

// upstream: getPodsToDelete over more pods than one batch of ranking keys
// (keys are built eight claimed pods at a time): 20 claimed pods on four
// nodes, a sibling's pods crowding two of them, ready times 2^k seconds ago
// (one log2 bucket each, so upstream's comparator is a strict order here).
// The victims are the first `diff` of the claimed pods sorted by the public
// comparator with each pod's related-pods-on-its-node rank (upstream:
// getPodsRankedByRelatedPodsOnSameNode), however the pods are listed.
#[test]
fn many_pods_to_delete_follow_the_comparator() {
    let now = base();
    let deployment: kube_workloads::api::OwnerReference = serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "name": "d", "uid": "uid-d", "controller": true
    }))
    .unwrap();
    let mut target = replica_set("foobar", 9, json!({"name": "foo"}));
    target.metadata.owner_references = Some(vec![deployment.clone()]);
    let mut sibling = replica_set("sibling", 6, json!({"name": "sib"}));
    sibling.metadata.owner_references = Some(vec![deployment]);
    // A running, ready pod of ReplicaSet `owner` labelled name=`label`.
    let pod = |name: String, (label, owner): (&str, &str), node: usize, since: Time| {
        P::new(&name)
            .labels(&[("name", label)])
            .owner("ReplicaSet", owner, &format!("uid-{owner}"))
            .node(&format!("node-{node}"))
            .phase(PodPhase::Running)
            .ready(Some(since))
            .build()
    };
    let mine: Vec<Pod> = (0..20)
        .map(|i| pod(format!("foobar-{i:02}"), ("foo", "foobar"), i % 4, now.add_seconds(-(1i64 << (i + 1)))))
        .collect();
    let theirs: Vec<Pod> =
        (0..6).map(|i| pod(format!("sibling-{i}"), ("sib", "sibling"), i % 2, now)).collect();
    let node = |p: &Pod| p.spec.as_ref().and_then(|s| s.node_name.clone());
    let rank = |p: &Pod| mine.iter().chain(&theirs).filter(|q| node(q) == node(p)).count();
    let gates = kube_workloads::FeatureGates::default();
    let mut ranked: Vec<&Pod> = mine.iter().collect();
    ranked.sort_by(|a, b| {
        kube_workloads::controller::ranking::compare_ranked(a, rank(a), b, rank(b), Some(now), &gates)
    });
    let want: Vec<String> = ranked.iter().take(11).map(|p| p.metadata.name().to_owned()).collect();
    // The crowded nodes' ten pods go first, then the most recently ready
    // of the rest.
    assert_eq!(
        want.iter()
            .filter(|n| rank(mine.iter().find(|p| p.metadata.name() == n.as_str()).unwrap()) == 8)
            .count(),
        10
    );
    let rss = vec![target.clone(), sibling];
    let forward: Vec<Pod> = mine.iter().chain(&theirs).cloned().collect();
    let backward: Vec<Pod> = forward.iter().rev().cloned().collect();
    for (how, listed) in [("forward", &forward), ("backward", &backward)] {
        let actions = reconcile(
            &target,
            &Observed { pods: listed, replica_sets: &rss, memory: &ReplicaSetMemory::default() },
            now,
        );
        assert_eq!(deleted(&actions), want, "{how}");
    }
}

// replicaset.md §9 (calculateStatus): fully labeled, ready, available with
// minReadySeconds (<=, DECISIONS G4), the requeue instant, terminating.
#[test]
fn status_counts_and_requeue() {
    let now = base();
    let mut spec = rs(4);
    spec.spec.as_mut().unwrap().min_ready_seconds = Some(10);
    spec.spec.as_mut().unwrap().template.as_mut().unwrap().metadata.as_mut().unwrap().set_label("extra", "x");
    let pods = [
        running_ready(owned("ready-long").labels(&[("extra", "x")]), now.add_seconds(-60)).build(),
        running_ready(owned("ready-exactly-10s"), now.add_seconds(-10)).build(),
        running_ready(owned("ready-3s"), now.add_seconds(-3)).build(),
        owned("pending").phase(PodPhase::Pending).build(),
        owned("terminating").phase(PodPhase::Running).deleting(now).build(),
        owned("done").phase(PodPhase::Succeeded).build(),
    ];
    let actions = run(&spec, &pods, &ReplicaSetMemory::default(), now);
    let st = status_of(&actions).expect("status");
    assert_eq!(st.replicas, 4);
    assert_eq!(st.fully_labeled_replicas, Some(1));
    assert_eq!(st.ready_replicas, Some(3));
    assert_eq!(st.available_replicas, Some(2));
    assert_eq!(st.terminating_replicas, Some(1));
    assert_eq!(st.observed_generation, Some(1));
    let requeue = actions.iter().find_map(|a| match a {
        Action::Requeue { after, .. } => Some(*after),
        _ => None,
    });
    assert_eq!(requeue, Some(std::time::Duration::from_secs(7)));
    // The terminating pod is not counted: the RS replaces it at once.
    assert_eq!(creates(&actions), 0, "4 active pods for 4 replicas");

    // Unchanged status: no write.
    let mut synced = spec.clone();
    synced.status = Some(st);
    let again = run(&synced, &pods, &ReplicaSetMemory::default(), now);
    assert!(status_of(&again).is_none(), "{again:?}");
}

// replicaset.md §9 ReplicaFailure: set from the reported failure, kept while
// failing, removed after a clean sync.
#[test]
fn replica_failure_condition() {
    let now = base();
    let failing = ReplicaSetMemory {
        expectations: Expectations::default(),
        failure: Some(ManageFailure { reason: "FailedCreate".into(), message: "quota".into() }),
    };
    let first = run(&rs(1), &[], &failing, now);
    let st = status_of(&first).expect("status");
    let c = &st.conditions.as_ref().unwrap()[0];
    assert_eq!(
        (c.type_.as_str(), &c.status, c.reason.as_deref()),
        ("ReplicaFailure", &ConditionStatus::True, Some("FailedCreate"))
    );
    let mut with_condition = rs(1);
    with_condition.status = Some(st);
    let pods = [running_ready(owned("p"), now).build()];
    let cleared = run(&with_condition, &pods, &ReplicaSetMemory::default(), now);
    assert_eq!(status_of(&cleared).expect("status").conditions, None);
}

// upstream: replica_set_utils.go RemoveCondition (filterOutCondition): a
// clean sync drops every ReplicaFailure condition, also a duplicated one.
#[test]
fn a_clean_sync_removes_every_replica_failure_condition() {
    let now = base();
    let failure =
        json!({"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate", "message": "x"});
    let mut spec = rs(1);
    spec.status = Some(
        serde_json::from_value(json!({"replicas": 1, "fullyLabeledReplicas": 1, "readyReplicas": 1,
                                      "availableReplicas": 1, "observedGeneration": 1,
                                      "conditions": [failure.clone(), failure]}))
        .unwrap(),
    );
    let pods = [running_ready(owned("p"), now).build()];
    let st = status_of(&run(&spec, &pods, &ReplicaSetMemory::default(), now)).expect("status");
    assert_eq!(st.conditions, None);
}

// replicaset.md §8: a template without labels cannot make pods.
#[test]
fn template_without_labels_fails_create() {
    let now = base();
    let mut spec = rs(1);
    spec.spec.as_mut().unwrap().template.as_mut().unwrap().metadata = None;
    let actions = run(&spec, &[], &ReplicaSetMemory::default(), now);
    assert_eq!(creates(&actions), 0);
    // Refused before any API call: the condition, but no event (upstream:
    // RealPodControl.createPods records FailedCreate only for API errors).
    assert!(!actions.iter().any(|a| matches!(a, Action::Event(_))), "{actions:?}");
    let st = status_of(&actions).expect("status");
    assert_eq!(st.conditions.unwrap()[0].message.as_deref(), Some("unable to create pods, no labels"));
}

// upstream: syncReplicaSet returns as soon as LabelSelectorAsSelector fails:
// no claim, no create or delete, no status write.
#[test]
fn a_selector_that_does_not_convert_stops_the_sync() {
    let now = base();
    let pods = [running_ready(owned("pod0"), now).build(), running_ready(owned("pod1"), now).build()];
    for selector in [
        json!({"matchExpressions": [{"key": "foo", "operator": "Near", "values": ["bar"]}]}),
        json!({"matchLabels": {"foo": "not a valid value"}}),
    ] {
        let mut spec = rs(5);
        spec.spec.as_mut().unwrap().selector = serde_json::from_value(selector.clone()).unwrap();
        let actions = run(&spec, &pods, &ReplicaSetMemory::default(), now);
        assert!(actions.is_empty(), "{selector}: {actions:?}");
    }
}

// DECISIONS G5 and upstream's LabelSelectorAsSelector(nil) = Nothing: a null
// or missing selector selects no pod, so the owned ones are released, no
// orphan is adopted, and the replicas are created afresh.
#[test]
fn a_null_or_missing_selector_selects_nothing() {
    let now = base();
    let pods = [
        running_ready(owned("mine"), now).build(),
        running_ready(P::new("orphan").labels(&[("foo", "bar")]), now).build(),
    ];
    for selector in [Some(serde_json::Value::Null), None] {
        let mut doc = serde_json::to_value(rs(1)).unwrap();
        match &selector {
            Some(null) => doc["spec"]["selector"] = null.clone(),
            None => drop(doc["spec"].as_object_mut().unwrap().remove("selector")),
        }
        let spec: ReplicaSet = serde_json::from_value(doc).unwrap();
        let actions = run(&spec, &pods, &ReplicaSetMemory::default(), now);
        assert_eq!(patches(&actions), ["mine release"], "{selector:?}");
        assert_eq!(creates(&actions), 1, "{selector:?}");
        assert_eq!(status_of(&actions).map(|s| s.replicas), Some(0), "{selector:?}");
    }
    // `{}` still selects everything (G5): the orphan is adopted.
    let mut everything = rs(2);
    everything.spec.as_mut().unwrap().selector = Default::default();
    let actions = run(&everything, &pods, &ReplicaSetMemory::default(), now);
    assert_eq!(patches(&actions), ["orphan adopt"]);
}

/// The pod of the first pod update among `actions`.
fn updated_pod(actions: &[Action]) -> Option<Pod> {
    actions.iter().find_map(|a| match a {
        Action::Update { object: Object::Pod(p), .. } => Some(Pod::clone(p)),
        _ => None,
    })
}

/// A ready pod the selector matches, with no controller: a plain reference
/// to ConfigMap `cm`, then `more`.
fn orphan_with_references(now: Time, more: &[serde_json::Value]) -> Pod {
    let mut pod = running_ready(P::new("pod0").labels(&[("foo", "bar")]), now).build();
    let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "name": "cm", "uid": "uid-cm"});
    let refs = std::iter::once(&cm).chain(more).map(|r| serde_json::from_value(r.clone()).unwrap());
    pod.metadata.owner_references = Some(refs.collect());
    pod
}

// upstream: the same adoption patch of a pod without any reference to the
// owner: the strategic merge puts the patch's new list item ahead of the
// pod's own references (apimachinery strategicpatch mergeSlice,
// normalizeElementOrder).
#[test]
fn adoption_puts_the_controller_reference_first() {
    let now = base();
    let pod = orphan_with_references(now, &[]);
    let actions = run(&rs(1), &[pod], &ReplicaSetMemory::default(), now);
    let adopted = updated_pod(&actions).expect("adoption");
    let uids: Vec<&str> =
        adopted.metadata.owner_references.iter().flatten().map(|r| r.uid.as_str()).collect();
    assert_eq!(uids, ["uid-foobar", "uid-cm"]);
}

// upstream: controller_ref_manager.go AdoptPod (ownerRefControllerPatch, a
// strategic merge patch keyed on uid): a plain reference to the same owner
// becomes the controller reference instead of a second entry.
#[test]
fn adoption_turns_a_plain_reference_to_the_owner_into_the_controller_one() {
    let now = base();
    let pod = orphan_with_references(
        now,
        &[json!({
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "foobar", "uid": "uid-foobar",
            "controller": false, "note": "kept"
        })],
    );
    let actions = run(&rs(1), &[pod], &ReplicaSetMemory::default(), now);
    let adopted = updated_pod(&actions).expect("adoption");
    let refs = serde_json::to_value(adopted.metadata.owner_references).unwrap();
    assert_eq!(
        refs,
        json!([
            {"apiVersion": "v1", "kind": "ConfigMap", "name": "cm", "uid": "uid-cm"},
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "foobar", "uid": "uid-foobar",
             "controller": true, "blockOwnerDeletion": true, "note": "kept"}
        ])
    );
}

/// The delays of the requeues among `actions`, in order.
fn requeue_delays(actions: &[Action]) -> Vec<std::time::Duration> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Requeue { after, .. } => Some(*after),
            _ => None,
        })
        .collect()
}

// upstream: syncReplicaSet's availability requeue, FindMinNextPodAvailabilityCheck:
// while ready pods are not yet available, back after minReadySeconds when no
// pod says when it becomes available (a Ready condition without a
// transition time); no requeue once every ready pod is available.
#[test]
fn availability_requeue_falls_back_to_min_ready_seconds() {
    let now = base();
    let mut spec = rs(2);
    spec.spec.as_mut().unwrap().min_ready_seconds = Some(10);
    let requeue = |pods: &[Pod]| {
        run(&spec, pods, &ReplicaSetMemory::default(), now).iter().find_map(|a| match a {
            Action::Requeue { after, .. } => Some(*after),
            _ => None,
        })
    };
    let no_time = [
        running_ready(owned("a"), now.add_seconds(-60)).build(),
        owned("b").node("n").phase(PodPhase::Running).ready(None).build(),
    ];
    assert_eq!(requeue(&no_time), Some(std::time::Duration::from_secs(10)));
    let all_available = [
        running_ready(owned("a"), now.add_seconds(-60)).build(),
        running_ready(owned("b"), now.add_seconds(-10)).build(),
    ];
    assert_eq!(requeue(&all_available), None);

    // Not after a manageReplicas error (here the template without labels):
    // syncReplicaSet returns the error right after the status write, before
    // it plans the availability check (so in the code since kubernetes PR
    // 132121 too), and its work queue retries with back-off
    // (AddRateLimited): a requeue with no delay, which the caller's rate
    // limiter stretches, and no other.
    let mut failing = spec.clone();
    failing.spec.as_mut().unwrap().template.as_mut().unwrap().metadata = None;
    let one_not_available = [running_ready(owned("a"), now.add_seconds(-3)).build()];
    let actions = run(&failing, &one_not_available, &ReplicaSetMemory::default(), now);
    assert!(status_of(&actions).is_some_and(|s| s.conditions.is_some()), "{actions:?}");
    let requeues = requeue_delays(&actions);
    let seven = std::time::Duration::from_secs(7);
    assert_eq!(requeues, [std::time::Duration::ZERO], "{actions:?}");
    // The same after a failure the executor reported.
    let mut failed = ReplicaSetMemory::default();
    failed.create_failed("quota exceeded");
    let actions = run(&spec, &one_not_available, &failed, now);
    assert_eq!(requeue_delays(&actions), [std::time::Duration::ZERO], "{actions:?}");
    assert_eq!(requeue(&one_not_available), Some(seven), "control");
}

// upstream: calculateStatus writes observedGeneration = metadata.generation
// (Go's 0 when unset, left out of the JSON), and updateReplicaSetStatus
// writes when the two differ.
#[test]
fn observed_generation_follows_the_generation_even_when_unset() {
    let now = base();
    let pods = [running_ready(owned("pod0"), now).build()];
    let mut spec = rs(1);
    spec.metadata.generation = None;
    spec.status = Some(
        serde_json::from_value(json!({"replicas": 1, "fullyLabeledReplicas": 1, "readyReplicas": 1,
                                      "availableReplicas": 1, "observedGeneration": 5}))
        .unwrap(),
    );
    let st = status_of(&run(&spec, &pods, &ReplicaSetMemory::default(), now)).expect("a status write");
    assert_eq!(st.observed_generation, None);
    let mut synced = spec.clone();
    synced.status = Some(st);
    assert!(status_of(&run(&synced, &pods, &ReplicaSetMemory::default(), now)).is_none());
}

// replicaset.md §10: the RC uses an equality selector, defaulted from the
// template labels, and never reports terminatingReplicas.
#[test]
fn replication_controller() {
    let now = base();
    let rc: ReplicationController = serde_json::from_value(json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "rc", "namespace": NS, "uid": "uid-rc"},
        "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c"}]}}},
    }))
    .unwrap();
    let pods = [
        running_ready(P::new("orphan").labels(&[("app", "web")]), now).build(),
        P::new("dying")
            .labels(&[("app", "web")])
            .owner("ReplicationController", "rc", "uid-rc")
            .deleting(now)
            .build(),
    ];
    let actions = reconcile_replication_controller(
        &rc,
        &Observed { pods: &pods, replica_sets: &[], memory: &ReplicaSetMemory::default() },
        now,
    );
    let lines: Vec<String> = actions.iter().map(|a| a.to_string()).collect();
    assert_eq!(
        lines,
        [
            "update Pod default/orphan: adopt",
            "create Pod default/rc-",
            "status ReplicationController default/rc: replicas 1, ready 1, available 1",
            "remember ReplicationController default/rc: expect 1 creations, 0 deletions",
        ]
    );
    let Action::Update { object: Object::Pod(p), .. } = &actions[0] else { panic!() };
    assert_eq!(p.metadata.controller_ref().map(|r| r.api_version.as_str()), Some("v1"));
}

// The RC's selector as the API server stores it, then converted as the RC
// adapter converts it (upstream: SetDefaults_ReplicationController copies
// non-nil template labels into an empty selector; conversion.go gives a nil
// map a nil LabelSelector, which LabelSelectorAsSelector makes Nothing, and
// validates every key and value, syncReplicaSet returning on an error; an
// empty map never reaches it, as JSON omits it and protobuf has none). One
// orphan pod labelled app=web, replicas 0: a selector that selects it adopts
// and deletes it.
#[test]
fn replication_controller_selector_rules() {
    let now = base();
    let orphan = [running_ready(P::new("orphan").labels(&[("app", "web")]), now).build()];
    let run_rc = |spec: serde_json::Value| -> Vec<String> {
        let rc: ReplicationController = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "ReplicationController",
            "metadata": {"name": "rc", "namespace": NS, "uid": "uid-rc"},
            "spec": spec,
        }))
        .unwrap();
        let observed = Observed { pods: &orphan, replica_sets: &[], memory: &ReplicaSetMemory::default() };
        reconcile_replication_controller(&rc, &observed, now).iter().map(|a| a.to_string()).collect()
    };
    let adopts = |lines: &[String]| lines.iter().any(|l| l == "update Pod default/orphan: adopt");
    let containers = json!({"containers": [{"name": "c"}]});
    // (case, spec, selects the orphan)
    let cases = [
        (
            "missing selector, template labels app=web",
            json!({"replicas": 0, "template": {"metadata": {"labels": {"app": "web"}}, "spec": containers}}),
            true,
        ),
        (
            "empty selector, template labels app=web",
            json!({"replicas": 0, "selector": {}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": containers}}),
            true,
        ),
        (
            "missing selector, template labels {} (defaulted to {}, omitted on the wire)",
            json!({"replicas": 0, "template": {"metadata": {"labels": {}}, "spec": containers}}),
            false,
        ),
        (
            "missing selector, template without labels",
            json!({"replicas": 0, "template": {"spec": containers}}),
            false,
        ),
        ("missing selector, no template", json!({"replicas": 0}), false),
        ("null selector, no template", json!({"replicas": 0, "selector": null}), false),
        // `{}` is omitted on the wire (omitempty): upstream receives nil.
        ("empty selector, no template", json!({"replicas": 0, "selector": {}}), false),
        (
            "selector app=db wins over template labels",
            json!({"replicas": 0, "selector": {"app": "db"}, "template": {"metadata": {"labels": {"app": "web"}}, "spec": containers}}),
            false,
        ),
    ];
    for (case, spec, selects) in cases {
        let lines = run_rc(spec);
        assert_eq!(adopts(&lines), selects, "{case}: {lines:?}");
        if selects {
            assert!(lines.iter().any(|l| l == "delete Pod default/orphan"), "{case}: {lines:?}");
        } else {
            assert!(lines.iter().all(|l| !l.contains("orphan")), "{case}: {lines:?}");
        }
    }
    // Nothing selected and no template labels: the create is refused, as
    // upstream's "unable to create pods, no labels".
    let lines = run_rc(json!({"replicas": 1, "template": {"spec": containers}}));
    assert!(lines.iter().all(|l| !l.starts_with("create")), "{lines:?}");
    // A selector or defaulted selector that is not a valid label stops the
    // sync: no create, no status.
    for spec in [
        json!({"replicas": 1, "selector": {"app": "a b"}, "template": {"metadata": {"labels": {"app": "a b"}}, "spec": containers}}),
        json!({"replicas": 1, "template": {"metadata": {"labels": {"-bad": "x"}}, "spec": containers}}),
    ] {
        assert_eq!(run_rc(spec.clone()), Vec::<String>::new(), "{spec}");
    }
}

// A pod created and deleted between two observations: the snapshot never
// lists it, so the creation stays pending until the expectations expire
// (the documented deviation); a caller whose watch saw it added reports it
// (upstream: addPod -> CreationObserved) and the next reconcile replaces it
// at once.
#[test]
fn creations_reported_by_a_watch_count_when_the_pod_is_gone() {
    let now = base();
    let first = run(&rs(2), &[], &ReplicaSetMemory::default(), now);
    assert_eq!(creates(&first), 2);
    let memory = remembered(&first);
    // The executor's two pods: `a` is deleted before the next list.
    let made = |name: &str| owned(name).created(now.add_seconds(1)).build();
    let (a, b) = (made("foobar-a"), made("foobar-b"));
    let listed = [b.clone()];
    let stalled = run(&rs(2), &listed, &memory, now.add_seconds(5));
    assert_eq!(creates(&stalled), 0, "one creation still pending");
    // Expired after 5 minutes: the replacement comes then.
    assert_eq!(creates(&run(&rs(2), &listed, &memory, now.add_seconds(301))), 1);

    let mut watched = memory.clone();
    watched.expectations.creation_observed("uid-foobar", &a);
    assert_eq!(watched.expectations.pending("uid-foobar", &listed).creates, 0);
    assert_eq!(creates(&run(&rs(2), &listed, &watched, now.add_seconds(5))), 1);

    // A pod both listed and reported counts once: `b` alone leaves one
    // creation pending, however often it is reported.
    let mut listed_and_reported = memory.clone();
    for _ in 0..3 {
        listed_and_reported.expectations.creation_observed("uid-foobar", &b);
    }
    assert_eq!(listed_and_reported.expectations.added.len(), 1);
    assert_eq!(listed_and_reported.expectations.pending("uid-foobar", &listed).creates, 1);

    // Reports that do not count: another owner, a pod older than the
    // expectations, one already being deleted when added (upstream's addPod
    // hands it to deletePod), and one already there when the expectations
    // were recorded.
    let already = owned("foobar-early").created(now).build();
    let scaled = run(&rs(3), std::slice::from_ref(&already), &ReplicaSetMemory::default(), now);
    let mut ignored = remembered(&scaled);
    assert_eq!(ignored.expectations.creates, 2);
    assert_eq!(ignored.expectations.seen.iter().collect::<Vec<_>>(), ["foobar-early"]);
    let foreign =
        P::new("other").labels(&[("foo", "bar")]).owner("ReplicaSet", "x", "uid-x").created(now).build();
    let older = owned("foobar-old").created(now.add_seconds(-60)).build();
    let dying = owned("foobar-dying").created(now.add_seconds(1)).deleting(now.add_seconds(2)).build();
    for pod in [&foreign, &older, &dying, &already] {
        ignored.expectations.creation_observed("uid-foobar", pod);
    }
    assert!(ignored.expectations.added.is_empty(), "{:?}", ignored.expectations.added);
    assert_eq!(ignored.expectations.pending("uid-foobar", &[]).creates, 2);
    // Never more reported than expected.
    let mut many = memory.clone();
    for i in 0..5 {
        many.expectations.creation_observed("uid-foobar", &made(&format!("foobar-{i}")));
    }
    assert_eq!(many.expectations.added.len(), 2);
    // A stored memory whose `seen` list is out of order still excludes its
    // pods.
    let mut unsorted = ignored.clone();
    unsorted.expectations.seen = serde_json::from_value(json!(["zz", "foobar-early"])).unwrap();
    assert_eq!(unsorted.expectations.pending("uid-foobar", std::slice::from_ref(&already)).creates, 2);
}

// The deletion expectations: pods chosen for deletion are remembered; while
// they are still observed without a deletion timestamp nothing more happens.
#[test]
fn deletion_expectations_block_a_second_delete() {
    let now = base();
    let pods: Vec<Pod> =
        (0..4).map(|i| running_ready(owned(&format!("p{i}")), now.add_seconds(-i)).build()).collect();
    let first = run(&rs(2), &pods, &ReplicaSetMemory::default(), now);
    assert_eq!(deleted(&first).len(), 2);
    let Some(Action::Remember { memory: ControllerMemory::Replicas(memory), .. }) =
        first.iter().find(|a| matches!(a, Action::Remember { .. }))
    else {
        panic!()
    };
    assert_eq!(memory.expectations.deletes.len(), 2);
    // Stale observation: the same four pods. No second round of deletes.
    let second = run(&rs(2), &pods, memory, now.add_seconds(1));
    assert!(deleted(&second).is_empty());
    // upstream: TestDeletionTimestamp: a deletion timestamp is an observed
    // deletion; expectations are satisfied and cleared.
    let marked: Vec<Pod> = pods
        .iter()
        .map(|p| {
            if memory.expectations.deletes.iter().any(|k| k.name == p.metadata.name()) {
                P(p.clone()).deleting(now).build()
            } else {
                p.clone()
            }
        })
        .collect();
    let third = run(&rs(2), &marked, memory, now.add_seconds(2));
    assert!(deleted(&third).is_empty());
    assert!(third.iter().any(|a| matches!(a, Action::Remember { memory: ControllerMemory::Replicas(m), .. } if m.expectations.is_empty())));
    let _ = PodKey::default();
}

// A snapshot of a ReplicaSet scaled up, then down, with the test executor.
#[test]
fn snapshot_scale_up_then_down() {
    let mut c = Cluster::new(base());
    c.replica_sets.push(replica_set("web", 3, json!({"app": "web"})));
    c.note("ReplicaSet web created with 3 replicas");
    c.run(3, 5);
    if let Some(s) = c.replica_sets[0].spec.as_mut() {
        s.replicas = Some(5);
    }
    c.note("scaled to 5");
    c.run(3, 5);
    if let Some(s) = c.replica_sets[0].spec.as_mut() {
        s.replicas = Some(1);
    }
    c.note("scaled to 1");
    c.run(3, 5);
    insta::assert_snapshot!(c.log);
}

// ---------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct PodSpec {
    owner: u8, // 0 orphan, 1 ours, 2 another RS
    matches: bool,
    phase: u8, // 0 pending, 1 running ready, 2 succeeded, 3 failed
    deleting: bool,
    other_ns: bool,
    node: u8,
}

fn pod_strategy() -> impl Strategy<Value = PodSpec> {
    (0u8..6, any::<bool>(), 0u8..4, prop::bool::weighted(0.15), prop::bool::weighted(0.2), 0u8..3).prop_map(
        |(owner, matches, phase, deleting, other_ns, node)| PodSpec {
            owner,
            matches,
            phase,
            deleting,
            other_ns,
            node,
        },
    )
}

fn build_pods(specs: &[PodSpec], now: Time) -> Vec<Pod> {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut p = P::new(&format!("p{i:03}"))
                .labels(&[("foo", if s.matches { "bar" } else { "nope" })])
                .node(&format!("n{}", s.node));
            p = match s.owner {
                1 => p.owner("ReplicaSet", "foobar", "uid-foobar"),
                2 => p.owner("ReplicaSet", "other", "uid-other"),
                // Another controller under the same name.
                3 => p.owner("ReplicaSet", "foobar", "uid-impostor"),
                4 => p.owner("ReplicationController", "foobar", "uid-rc"),
                // A plain (non-controller) reference to the ReplicaSet: an
                // orphan it may adopt.
                5 => {
                    let mut p = p.owner("ReplicaSet", "foobar", "uid-foobar");
                    if let Some(r) = p.0.metadata.owner_references.as_mut().and_then(|r| r.first_mut()) {
                        r.controller = Some(false);
                    }
                    p
                }
                _ => p,
            };
            p = match s.phase {
                0 => p.phase(PodPhase::Pending),
                1 => p.phase(PodPhase::Running).ready(Some(now.add_seconds(-(i as i64)))),
                2 => p.phase(PodPhase::Succeeded),
                _ => p.phase(PodPhase::Failed),
            };
            if s.deleting {
                p = p.deleting(now);
            }
            if s.other_ns {
                p = p.ns("elsewhere");
            }
            p.created(now.add_seconds(-1000)).build()
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    // Issue 5: a ReplicaSet converges to exactly `replicas` owned active pods
    // from any starting set.
    #[test]
    fn converges_to_replicas(specs in prop::collection::vec(pod_strategy(), 0..40), replicas in 0i32..25) {
        let mut c = Cluster::new(base());
        c.pods = build_pods(&specs, c.now);
        let mut r = rs(replicas);
        r.metadata.name = Some("foobar".into());
        c.replica_sets.push(r);
        let foreign = |p: &Pod| {
            p.metadata.namespace() != NS || p.metadata.controller_ref().is_some_and(|r| r.uid != "uid-foobar")
        };
        // Counted here, not with the crate's helpers: not deleting, not
        // Succeeded or Failed, selected, controlled by the ReplicaSet.
        let owned_active = |c: &Cluster| {
            c.pods
                .iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .filter(|p| {
                    !matches!(p.status.as_ref().and_then(|s| s.phase.as_ref()), Some(PodPhase::Succeeded | PodPhase::Failed))
                })
                .filter(|p| p.metadata.label("foo") == Some("bar") && p.metadata.namespace() == NS)
                .filter(|p| p.metadata.controller_ref().is_some_and(|r| r.uid == "uid-foobar"))
                .count()
        };
        let want = usize::try_from(replicas).unwrap();
        for _ in 0..6 {
            // The reconcile sees the terminating pods too: the kubelet
            // removes them only after it.
            let before: Vec<Pod> = c.pods.iter().filter(|p| foreign(p)).cloned().collect();
            c.run_replica_sets();
            for p in &before {
                prop_assert!(c.pods.contains(p), "a foreign pod changed: {}", p.metadata.name());
            }
            c.kubelet();
            c.now = c.now.add_seconds(5);
        }
        prop_assert_eq!(owned_active(&c), want);
        // Converged: one more pass creates and deletes nothing.
        let again = c.run_replica_sets();
        prop_assert!(!again.iter().any(|l| l.starts_with("create ") || l.starts_with("delete ")), "{:?}", again);
    }

    // Issue 5 security property: never an action on a pod of another
    // namespace or owned by another controller.
    #[test]
    fn never_touches_foreign_pods(specs in prop::collection::vec(pod_strategy(), 0..40), replicas in 0i32..25) {
        let now = base();
        let pods = build_pods(&specs, now);
        let foreign: BTreeSet<String> = pods.iter()
            .filter(|p| p.metadata.namespace() != NS || p.metadata.controller_ref().is_some_and(|r| r.uid != "uid-foobar"))
            .map(|p| p.metadata.uid().to_owned()).collect();
        let names: std::collections::BTreeMap<String, String> = pods.iter().map(|p| (p.metadata.name().to_owned(), p.metadata.uid().to_owned())).collect();
        let actions = run(&rs(replicas), &pods, &ReplicaSetMemory::default(), now);
        for a in &actions {
            let target = a.target();
            if target.kind == "Pod" {
                prop_assert_eq!(target.namespace.as_deref(), Some(NS), "{}", a);
                if let Some(uid) = target.uid.as_deref().or_else(|| names.get(&target.name).map(String::as_str)) {
                    prop_assert!(!foreign.contains(uid), "action on a foreign pod: {}", a);
                }
            }
        }
    }
}

proptest! {
    // Issue 5 security property for the ReplicationController, over the
    // selector shapes its defaulting and conversion tell apart
    // (replication_controller_selector_rules): never an action on a pod of
    // another namespace or owned by another controller, and an adoption
    // only of a pod the selector the test works out selects.
    #[test]
    fn replication_controller_never_touches_foreign_pods(
        specs in prop::collection::vec(pod_strategy(), 0..40),
        replicas in 0i32..25,
        shape in 0usize..6,
    ) {
        let now = base();
        let pods = build_pods(&specs, now);
        let with_labels = json!({"metadata": {"labels": {"foo": "bar"}}, "spec": {"containers": [{"name": "c"}]}});
        let no_labels = json!({"spec": {"containers": [{"name": "c"}]}});
        // (spec, whether the selector is foo=bar (true) or nothing (false))
        let (spec, foo_bar) = match shape {
            0 => (json!({"replicas": replicas, "selector": {"foo": "bar"}, "template": with_labels}), true),
            1 => (json!({"replicas": replicas, "template": with_labels}), true),
            2 => (json!({"replicas": replicas, "selector": {}, "template": with_labels}), true),
            3 => (json!({"replicas": replicas, "template": no_labels}), false),
            4 => (json!({"replicas": replicas, "selector": {}}), false),
            _ => (json!({"replicas": replicas}), false),
        };
        let rc: ReplicationController = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "ReplicationController",
            "metadata": {"name": "foobar", "namespace": NS, "uid": "uid-foobar"},
            "spec": spec,
        }))
        .unwrap();
        let observed = Observed { pods: &pods, replica_sets: &[], memory: &ReplicaSetMemory::default() };
        let actions = reconcile_replication_controller(&rc, &observed, now);
        let by_name: std::collections::BTreeMap<&str, &Pod> = pods.iter().map(|p| (p.metadata.name(), p)).collect();
        for a in &actions {
            let target = a.target();
            if target.kind != "Pod" {
                continue;
            }
            prop_assert_eq!(target.namespace.as_deref(), Some(NS), "{}", a);
            // Creates carry only a generateName.
            let Some(pod) = by_name.get(target.name.as_str()) else { continue };
            prop_assert_eq!(pod.metadata.namespace(), NS, "{}", a);
            prop_assert!(
                pod.metadata.controller_ref().is_none_or(|r| r.uid == "uid-foobar"),
                "action on a pod another controller owns: {}", a
            );
            if a.to_string().ends_with(": adopt") {
                let selected = foo_bar && pod.metadata.label("foo") == Some("bar");
                prop_assert!(selected, "adopted a pod the selector does not select: {}", a);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    // The scale-down ranking is gathered during the claim pass, from the
    // first pod when the status still counts more pods than wanted,
    // otherwise from the pod that tips the claimed count over `replicas`.
    // Neither the status nor the listing order may change the deletes
    // (upstream: getPodsToDelete ranks by related pods on the same node,
    // here those of this ReplicaSet and of a sibling with the same
    // controller).
    #[test]
    fn deletes_do_not_depend_on_status_or_order(
        specs in prop::collection::vec(pod_strategy(), 0..40),
        replicas in 0i32..25,
        status_replicas in prop_oneof![Just(None), (0i32..60).prop_map(Some)],
    ) {
        let now = base();
        let pods = build_pods(&specs, now);
        let deployment: kube_workloads::api::OwnerReference = serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "name": "d", "uid": "uid-d", "controller": true
        })).unwrap();
        let mut target = rs(replicas);
        target.metadata.owner_references = Some(vec![deployment.clone()]);
        let mut sibling = rs(1);
        sibling.metadata.name = Some("other".into());
        sibling.metadata.uid = Some("uid-other".into());
        sibling.metadata.owner_references = Some(vec![deployment]);
        let rss = vec![target.clone(), sibling];
        let deletes = |rs: &ReplicaSet, listed: &[Pod]| {
            let actions = reconcile(rs, &Observed { pods: listed, replica_sets: &rss, memory: &ReplicaSetMemory::default() }, now);
            deleted(&actions)
        };
        let plain = deletes(&target, &pods);
        let mut hinted = target.clone();
        hinted.status = status_replicas.map(|n| kube_workloads::api::ReplicaSetStatus { replicas: n, ..Default::default() });
        let reversed: Vec<Pod> = pods.iter().rev().cloned().collect();
        prop_assert_eq!(&deletes(&hinted, &pods), &plain);
        prop_assert_eq!(&deletes(&hinted, &reversed), &plain);
    }

    // The claim pass reads the listed pods eight at a time; pods of another
    // namespace listed first shift every boundary of those batches and must
    // change nothing (upstream filters the listing by namespace first). The
    // keys' own batches (of claimed pods) are pinned by
    // many_pods_to_delete_follow_the_comparator.
    #[test]
    fn decisions_do_not_depend_on_batch_boundaries(
        specs in prop::collection::vec(pod_strategy(), 0..40),
        replicas in 0i32..25,
        foreign in 1usize..8,
    ) {
        let now = base();
        let pods = build_pods(&specs, now);
        let target = rs(replicas);
        let rss = vec![target.clone()];
        let decide = |listed: &[Pod]| {
            let actions = reconcile(&target, &Observed { pods: listed, replica_sets: &rss, memory: &ReplicaSetMemory::default() }, now);
            format!("{actions:?}")
        };
        let mut shifted: Vec<Pod> = pods.iter().take(foreign).cloned().map(|mut p| {
            p.metadata.namespace = Some("elsewhere".into());
            p
        }).collect();
        shifted.extend(pods.iter().cloned());
        prop_assert_eq!(decide(&shifted), decide(&pods));
    }
}

#[test]
fn collapse_helper() {
    let lines = ["a".to_string(), "a".to_string(), "b".to_string()];
    assert_eq!(collapse(&lines), ["a (x2)", "b"]);
    let _ = t("2024-01-01T00:00:00Z");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    // DESIGN principle 5: absurd replica counts and minReadySeconds never
    // panic, and creates stay within the burst.
    #[test]
    fn replicaset_reconcile_is_total(
        replicas in prop_oneof![Just(i32::MAX), Just(i32::MIN), Just(-1), 0i32..30, any::<i32>()],
        min_ready in prop_oneof![Just(i32::MAX), Just(i32::MIN), 0i32..30],
        specs in prop::collection::vec(pod_strategy(), 0..20),
    ) {
        let now = base();
        let mut r = rs(replicas);
        r.spec.as_mut().unwrap().min_ready_seconds = Some(min_ready);
        let pods = build_pods(&specs, now);
        let actions = run(&r, &pods, &ReplicaSetMemory::default(), now);
        prop_assert!(creates(&actions) <= 500);
        for a in &actions {
            let _ = a.to_string();
        }
    }
}

/// The memory a reconcile stores.
fn remembered(actions: &[Action]) -> ReplicaSetMemory {
    actions
        .iter()
        .find_map(|a| match a {
            Action::Remember { memory: ControllerMemory::Replicas(m), .. } => Some(m.clone()),
            _ => None,
        })
        .expect("remembered")
}

// upstream: replica_set.go addPod observes a creation only for a pod whose
// add event already carries the controller reference ("no controller should
// be waiting for an orphan"); an adoption reaches updatePod, which leaves the
// expectations alone. An orphan created in the sync's own second and adopted
// by it therefore never stands in for the pod the sync created.
#[test]
fn an_orphan_adopted_while_scaling_up_is_not_a_creation() {
    let now = base();
    let orphan = |owner: bool| {
        let p = P::new("orphan").labels(&[("foo", "bar")]).created(now);
        if owner { p.owner("ReplicaSet", "foobar", "uid-foobar") } else { p }.build()
    };
    let first = run(&rs(2), &[orphan(false)], &ReplicaSetMemory::default(), now);
    assert_eq!((creates(&first), patches(&first).len()), (1, 1), "{first:?}");
    let memory = remembered(&first);
    assert!(memory.expectations.seen.contains("orphan"), "{memory:?}");
    // The adoption landed, the created pod is not listed yet: still waiting.
    let second = run(&rs(2), &[orphan(true)], &memory, now.add_seconds(1));
    assert_eq!(creates(&second), 0, "{second:?}");
}

// The same when the adoption comes while earlier creations are pending
// (upstream claims pods on every sync, expectations or not).
#[test]
fn an_orphan_adopted_while_creations_are_pending_is_not_a_creation() {
    let now = base();
    let first = run(&rs(2), &[], &ReplicaSetMemory::default(), now);
    assert_eq!(creates(&first), 2);
    let memory = remembered(&first);
    // One created pod shows up with an orphan made after the record.
    let made = owned("foobar-a").created(now.add_seconds(1)).build();
    let orphan = |owner: bool| {
        let p = P::new("orphan").labels(&[("foo", "bar")]).created(now.add_seconds(1));
        if owner { p.owner("ReplicaSet", "foobar", "uid-foobar") } else { p }.build()
    };
    let second = run(&rs(2), &[made.clone(), orphan(false)], &memory, now.add_seconds(2));
    assert_eq!((creates(&second), patches(&second).len()), (0, 1), "{second:?}");
    let memory = remembered(&second);
    // One create is still unobserved: the adopted orphan does not count.
    let now_listed = [made, orphan(true)];
    assert_eq!(memory.expectations.pending("uid-foobar", &now_listed).creates, 1);
    let third = run(&rs(2), &now_listed, &memory, now.add_seconds(3));
    assert!(third.iter().all(|a| !matches!(a, Action::Delete { .. } | Action::Create { .. })), "{third:?}");
}

// upstream: replica_set.go manageReplicas calls DeletionObserved for every
// failed delete and reports only the errors that are not NotFound: a
// delete answered NotFound ends the wait even while a stale list still
// shows the pod, and writes no ReplicaFailure condition.
#[test]
fn a_delete_answered_not_found_is_observed_without_a_failure() {
    let now = base();
    let mine = |name: &str| running_ready(owned(name), now).created(now.add_seconds(-100)).build();
    let spec = rs(1);
    let pods = [mine("web-0"), mine("web-1")];
    let first = run(&spec, &pods, &ReplicaSetMemory::default(), now);
    assert_eq!(deleted(&first).len(), 1, "{first:?}");
    let mut memory = first
        .iter()
        .find_map(|a| match a {
            Action::Remember { memory: ControllerMemory::Replicas(m), .. } => Some(m.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let victim = memory.expectations.deletes.first().map(|k| k.name.clone()).unwrap_or_default();
    // The stale list still shows the victim: the delete is awaited.
    let waiting = run(&spec, &pods, &memory, now.add_seconds(1));
    assert!(deleted(&waiting).is_empty(), "{waiting:?}");
    // Any other error is a failure: the wait ends too, with the condition.
    let mut failed = memory.clone();
    failed.delete_failed(&victim, "unable to delete pods: boom");
    let after_failure = run(&spec, &pods, &failed, now.add_seconds(1));
    assert_eq!(deleted(&after_failure).len(), 1, "{after_failure:?}");
    assert!(format!("{after_failure:?}").contains("ReplicaFailure"), "{after_failure:?}");
    memory.expectations.deletion_observed(&victim);
    let again = run(&spec, &pods, &memory, now.add_seconds(1));
    assert_eq!(deleted(&again).len(), 1, "{again:?}");
    assert!(!format!("{again:?}").contains("ReplicaFailure"), "{again:?}");
}

// upstream: controller_ref_manager.go ClaimObject (an owner being deleted
// releases nothing and adopts nothing) and syncReplicaSet (manageReplicas
// only without a deletionTimestamp; the status is always calculated and
// written). replicaset.md §3 step 7, §4.
#[test]
fn being_deleted_releases_nothing_and_still_writes_its_status() {
    let now = base();
    let mut spec = rs(3);
    spec.metadata.deletion_timestamp = Some(now);
    let pods = [
        running_ready(owned("mine"), now).build(),
        running_ready(
            P::new("stray").labels(&[("foo", "other")]).owner("ReplicaSet", "foobar", "uid-foobar"),
            now,
        )
        .build(),
        running_ready(P::new("orphan").labels(&[("foo", "bar")]), now).build(),
    ];
    let actions = run(&spec, &pods, &ReplicaSetMemory::default(), now);
    assert_eq!(patches(&actions), Vec::<String>::new(), "{actions:?}");
    assert_eq!((creates(&actions), deleted(&actions).len()), (0, 0));
    let st = status_of(&actions).expect("the status is still written");
    assert_eq!((st.replicas, st.ready_replicas), (1, Some(1)), "only the claimed pod counts");
}

// upstream: syncReplicaSet filters with controller.FilterActivePods before
// claimPods: an inactive pod is neither adopted nor released
// (replicaset.md §4 note).
#[test]
fn inactive_pods_are_neither_adopted_nor_released() {
    let now = base();
    let pods = [
        running_ready(owned("mine"), now).build(),
        P::new("done-orphan").labels(&[("foo", "bar")]).phase(PodPhase::Succeeded).build(),
        P::new("failed-stray")
            .labels(&[("foo", "other")])
            .owner("ReplicaSet", "foobar", "uid-foobar")
            .phase(PodPhase::Failed)
            .build(),
    ];
    let actions = run(&rs(1), &pods, &ReplicaSetMemory::default(), now);
    assert_eq!(patches(&actions), Vec::<String>::new(), "{actions:?}");
    assert_eq!((creates(&actions), deleted(&actions).len()), (0, 0));
}

// upstream: controller_utils.go GetPodFromTemplate copies the template's
// finalizers to the pod it creates (replicaset.md §8).
#[test]
fn created_pods_carry_the_template_finalizers() {
    let now = base();
    let mut spec = rs(1);
    if let Some(meta) = spec.spec.as_mut().and_then(|s| s.template.as_mut()).and_then(|t| t.metadata.as_mut())
    {
        meta.finalizers = Some(vec!["example.com/keep".into()]);
    }
    let actions = run(&spec, &[], &ReplicaSetMemory::default(), now);
    let finalizers = actions.iter().find_map(|a| match a {
        Action::Create { object: Object::Pod(p) } => p.metadata.finalizers.clone(),
        _ => None,
    });
    assert_eq!(finalizers, Some(vec!["example.com/keep".to_owned()]), "{actions:?}");
}

// upstream: a ReplicationController's scale-down ranks every pod 0
// (getIndirectlyRelatedPods finds no sibling for it: the controller-UID
// index holds ReplicaSets), so pods on a crowded node are not preferred;
// a ReplicaSet in the same place deletes the crowded one. replicaset.md §10.
#[test]
fn replication_controller_scale_down_ignores_co_location() {
    let now = base();
    let boss = json!([{"apiVersion": "example.com/v1", "kind": "Boss", "name": "boss", "uid": "uid-boss",
                       "controller": true}]);
    let pod = |name: &str, kind: &str, owner: &str, label: &str, node: &str| {
        running_ready(P::new(name).labels(&[("app", label)]).owner(kind, owner, &format!("uid-{owner}")), now)
            .node(node)
            .build()
    };
    // The target's two pods differ only by name and node; node-b also runs
    // a sibling's pod.
    let rc = |name: &str, app: &str, replicas: i32| -> ReplicationController {
        serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "ReplicationController",
            "metadata": {"name": name, "namespace": NS, "uid": format!("uid-{name}"), "generation": 1,
                         "ownerReferences": boss.clone()},
            "spec": {"replicas": replicas, "selector": {"app": app},
                     "template": {"metadata": {"labels": {"app": app}},
                                  "spec": {"containers": [{"name": "c", "image": "nginx"}]}}},
        }))
        .expect("rc")
    };
    let pods = [
        pod("a-0", "ReplicationController", "rc-a", "a", "node-a"),
        pod("a-1", "ReplicationController", "rc-a", "a", "node-b"),
        pod("b-0", "ReplicationController", "rc-b", "b", "node-b"),
    ];
    let target = rc("rc-a", "a", 1);
    let as_rs = |c: &ReplicationController| -> ReplicaSet {
        let mut v = serde_json::to_value(c).expect("rc");
        v["apiVersion"] = json!("apps/v1");
        v["kind"] = json!("ReplicaSet");
        let app = v["spec"]["selector"]["app"].clone();
        v["spec"]["selector"] = json!({"matchLabels": {"app": app}});
        serde_json::from_value(v).expect("rs")
    };
    // The same two controllers as ReplicaSets: handed to the RC's
    // reconcile too, they still rank nothing there.
    let rss = [as_rs(&target), as_rs(&rc("rc-b", "b", 1))];
    let memory = ReplicaSetMemory::default();
    let actions = reconcile_replication_controller(
        &target,
        &Observed { pods: &pods, replica_sets: &rss, memory: &memory },
        now,
    );
    assert_eq!(deleted(&actions), ["a-0"], "rank 0: name order decides");

    // As ReplicaSets under one controller, a-1 shares node-b with a
    // sibling's pod and goes first.
    let rs_pods: Vec<Pod> =
        [("a-0", "rc-a", "a", "node-a"), ("a-1", "rc-a", "a", "node-b"), ("b-0", "rc-b", "b", "node-b")]
            .iter()
            .map(|(n, o, l, node)| pod(n, "ReplicaSet", o, l, node))
            .collect();
    let actions = reconcile(&rss[0], &Observed { pods: &rs_pods, replica_sets: &rss, memory: &memory }, now);
    assert_eq!(deleted(&actions), ["a-1"], "a ReplicaSet ranks by related pods on the node");
}
