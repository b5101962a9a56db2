//! StatefulSet reconcile: tables mirroring kubernetes/kubernetes
//! pkg/controller/statefulset/stateful_set_utils_test.go and
//! stateful_set_control_test.go (each case cites its upstream test; cases
//! are restated, not copied), insta snapshots of an OrderedReady scale
//! 0 → 3 → 1, a rolling update with partition 2 and a Parallel scale-up, and
//! property tests.

use std::fmt::Write as _;

use kube_workloads::api::{
    ConditionStatus, ControllerRevision, Object, PersistentVolumeClaim, PodPhase, StatefulSetStatus, Time,
};
use kube_workloads::controller::Action;
use kube_workloads::controller::statefulset::{
    self, CONTROLLER_REVISION_HASH_LABEL, Config, Observed, POD_INDEX_LABEL, POD_NAME_LABEL,
    claim_owner_refs, claim_owner_up_to_date, claims_for, identity_matches, parent_and_ordinal, pod_dns_name,
    storage_matches,
};
use kube_workloads::{FeatureGates, Pod, StatefulSet};
use proptest::prelude::*;
use serde_json::{Value, json};

const NS: &str = "default";

fn t0() -> Time {
    "2024-01-01T00:00:00Z".parse().expect("time")
}

fn set(replicas: i32, extra: Value) -> StatefulSet {
    let mut spec = json!({
        "replicas": replicas,
        "serviceName": "web",
        "selector": {"matchLabels": {"app": "web"}},
        "template": {"metadata": {"labels": {"app": "web"}},
                     "spec": {"containers": [{"name": "nginx", "image": "nginx:1"}]}},
        "volumeClaimTemplates": [{"metadata": {"name": "data"},
                                  "spec": {"accessModes": ["ReadWriteOnce"],
                                           "resources": {"requests": {"storage": "1Gi"}}}}]
    });
    if let (Some(s), Value::Object(e)) = (spec.as_object_mut(), extra) {
        for (k, v) in e {
            s.insert(k, v);
        }
    }
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": NS, "uid": "uid-web", "generation": 1},
        "spec": spec
    }))
    .expect("set")
}

fn image(s: &mut StatefulSet, image: &str) {
    if let Some(spec) = s.spec.as_mut()
        && let Some(ps) = spec.template.spec.as_mut()
        && let Some(c) = ps.containers.first_mut()
    {
        c.image = Some(image.into());
    }
    s.metadata.generation = Some(s.metadata.generation.unwrap_or(1) + 1);
}

fn ready(pod: &mut Pod, since: Time) {
    let status = pod.status.get_or_insert_default();
    status.phase = Some(PodPhase::Running);
    status.conditions = Some(vec![kube_workloads::api::Condition {
        type_: "Ready".into(),
        status: ConditionStatus::True,
        last_transition_time: Some(since),
        ..Default::default()
    }]);
}

/// A small executor: applies actions to an in-memory cluster.
struct Sim {
    set: StatefulSet,
    pods: Vec<Pod>,
    claims: Vec<PersistentVolumeClaim>,
    revisions: Vec<ControllerRevision>,
    now: Time,
    config: Config,
    log: String,
}

impl Sim {
    fn new(set: StatefulSet) -> Sim {
        Sim {
            set,
            pods: vec![],
            claims: vec![],
            revisions: vec![],
            now: t0(),
            config: Config::default(),
            log: String::new(),
        }
    }

    fn reconcile(&self) -> Vec<Action> {
        let observed = Observed { pods: &self.pods, claims: &self.claims, revisions: &self.revisions };
        statefulset::reconcile_with(&self.set, &observed, self.now, &self.config)
    }

    /// One reconcile, logged and applied.
    fn sync(&mut self) -> Vec<Action> {
        let actions = self.reconcile();
        for a in &actions {
            let line = describe(a);
            writeln!(self.log, "  {line}").ok();
            self.apply(a);
        }
        if actions.is_empty() {
            writeln!(self.log, "  (nothing to do)").ok();
        }
        actions
    }

    fn apply(&mut self, action: &Action) {
        match action {
            Action::Create { object: Object::Pod(p) } => {
                let mut p = (**p).clone();
                p.metadata.uid = Some(format!("uid-{}", p.metadata.name()));
                p.metadata.creation_timestamp = Some(self.now);
                p.status.get_or_insert_default().phase = Some(PodPhase::Pending);
                self.pods.push(p);
            }
            Action::Create { object: Object::PersistentVolumeClaim(c) } => {
                let mut c = (**c).clone();
                c.metadata.uid = Some(format!("uid-{}", c.metadata.name()));
                self.claims.push(c);
            }
            Action::Create { object: Object::ControllerRevision(r) } => self.revisions.push((**r).clone()),
            Action::Update { object: Object::ControllerRevision(r), .. } => {
                for x in &mut self.revisions {
                    if x.metadata.name() == r.metadata.name() {
                        *x = (**r).clone();
                    }
                }
            }
            Action::Update { object: Object::Pod(p), .. } => {
                for x in &mut self.pods {
                    if x.metadata.name() == p.metadata.name() {
                        *x = (**p).clone();
                    }
                }
            }
            Action::Update { object: Object::PersistentVolumeClaim(c), .. } => {
                for x in &mut self.claims {
                    if x.metadata.name() == c.metadata.name() {
                        *x = (**c).clone();
                    }
                }
            }
            Action::Delete { target, .. } if target.kind == "Pod" => {
                for x in &mut self.pods {
                    if x.metadata.name() == target.name {
                        x.metadata.deletion_timestamp = Some(self.now);
                    }
                }
            }
            Action::Delete { target, .. } if target.kind == "ControllerRevision" => {
                self.revisions.retain(|r| r.metadata.name() != target.name);
            }
            Action::UpdateStatus { object: Object::StatefulSet(s) } => self.set.status = s.status.clone(),
            _ => {}
        }
    }

    /// The kubelet and the API server catch up: terminating pods go away,
    /// pending pods become Running and Ready.
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
                ready(p, now);
                notes.push(format!("{} is Running and Ready", p.metadata.name()));
            }
        }
        notes
    }

    /// Sync and kubelet until nothing more is asked, logging each round.
    fn settle(&mut self, title: &str) {
        writeln!(self.log, "{title}").ok();
        for round in 0..20 {
            let actions = self.sync();
            let busy =
                actions.iter().any(|a| !matches!(a, Action::UpdateStatus { .. } | Action::Requeue { .. }));
            let notes = self.kubelet();
            if !notes.is_empty() {
                writeln!(self.log, "  -- then {}", notes.join(", ")).ok();
            }
            if !busy && round > 0 {
                break;
            }
        }
        let names: Vec<String> = self
            .pods
            .iter()
            .map(|p| {
                format!(
                    "{}@{}",
                    p.metadata.name(),
                    p.metadata.label(CONTROLLER_REVISION_HASH_LABEL).unwrap_or("")
                )
            })
            .collect();
        writeln!(self.log, "  => pods: {}", names.join(", ")).ok();
    }
}

fn status_line(s: &StatefulSetStatus) -> String {
    let z = |v: Option<i32>| v.unwrap_or(0);
    format!(
        "replicas {}, ready {}, available {}, current {} at {}, updated {} at {}",
        s.replicas,
        z(s.ready_replicas),
        z(s.available_replicas),
        z(s.current_replicas),
        s.current_revision.as_deref().unwrap_or("-"),
        z(s.updated_replicas),
        s.update_revision.as_deref().unwrap_or("-"),
    )
}

fn describe(a: &Action) -> String {
    match a {
        Action::UpdateStatus { object: Object::StatefulSet(s) } => {
            format!("{a}: {}", status_line(s.status.as_ref().expect("status")))
        }
        Action::Create { object: Object::ControllerRevision(r) } => format!("{a} (revision {})", r.revision),
        _ => a.to_string(),
    }
}

fn creates(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { object } => Some(format!("{} {}", object.kind(), object.metadata().name())),
            _ => None,
        })
        .collect()
}

fn deletes(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { target, .. } => Some(format!("{} {}", target.kind, target.name)),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Utilities
// ---------------------------------------------------------------------------

#[test]
fn parent_name_and_ordinal_table() {
    // upstream: stateful_set_utils_test.go TestGetParentNameAndOrdinal
    let cases = [
        ("web-0", ("web", 0)),
        ("web-12", ("web", 12)),
        ("my-web-3", ("my-web", 3)),
        ("web-01", ("web", 1)),
        ("web", ("", -1)),
        ("web-", ("", -1)),
        ("web-a1", ("", -1)),
        ("web-2147483648", ("web", -1)),
    ];
    for (name, want) in cases {
        assert_eq!(parent_and_ordinal(name), want, "{name}");
    }
}

fn observed_pod(s: &StatefulSet, ordinal: i32) -> Pod {
    let rev = statefulset::new_revision(s, 1, Some(0));
    let template = s.spec.as_ref().expect("spec").template.clone();
    let mut p = statefulset::new_pod(s, &template, ordinal, rev.metadata.name());
    p.metadata.uid = Some(format!("uid-{ordinal}"));
    p
}

#[test]
fn identity_and_storage_match_table() {
    // upstream: stateful_set_utils_test.go TestIdentityMatches, TestStorageMatches
    let s = set(3, json!({}));
    let p = observed_pod(&s, 1);
    assert!(identity_matches(&s, &p));
    assert!(storage_matches(&s, &p));
    let mut wrong_ns = p.clone();
    wrong_ns.metadata.namespace = Some("other".into());
    assert!(!identity_matches(&s, &wrong_ns), "namespace differs");
    let mut no_label = p.clone();
    no_label.metadata.labels.as_mut().expect("labels").shift_remove(POD_NAME_LABEL);
    assert!(!identity_matches(&s, &no_label), "pod-name label missing");
    let mut padded = p.clone();
    padded.metadata.name = Some("web-01".into());
    assert!(!identity_matches(&s, &padded), "web-01 parses to 1 but is not web-1");
    let mut no_index = p.clone();
    no_index.metadata.labels.as_mut().expect("labels").shift_remove(POD_INDEX_LABEL);
    assert!(identity_matches(&s, &no_index), "the pod-index label is not checked");
    let mut no_volume = p.clone();
    no_volume.spec.as_mut().expect("spec").volumes = None;
    assert!(!storage_matches(&s, &no_volume));
    let mut other_claim = p.clone();
    if let Some(v) = other_claim.spec.as_mut().and_then(|s| s.volumes.as_mut()).and_then(|v| v.first_mut())
        && let Some(c) = v.persistent_volume_claim.as_mut()
    {
        c.claim_name = "data-web-7".into();
    }
    assert!(!storage_matches(&s, &other_claim));
}

#[test]
fn new_pod_identity() {
    // upstream: stateful_set_utils_test.go TestNewStatefulSetPod /
    // initIdentity / updateStorage
    let s = set(3, json!({"ordinals": {"start": 5}}));
    let p = observed_pod(&s, 5);
    assert_eq!(p.metadata.name(), "web-5");
    assert_eq!(p.metadata.label(POD_NAME_LABEL), Some("web-5"));
    assert_eq!(p.metadata.label(POD_INDEX_LABEL), Some("5"));
    let spec = p.spec.as_ref().expect("spec");
    assert_eq!(spec.hostname.as_deref(), Some("web-5"));
    assert_eq!(spec.subdomain.as_deref(), Some("web"));
    let vol = &spec.volumes()[0];
    assert_eq!(vol.name, "data");
    assert_eq!(vol.persistent_volume_claim.as_ref().map(|c| c.claim_name.as_str()), Some("data-web-5"));
    let owner = p.metadata.controller_ref().expect("owner");
    assert_eq!((owner.kind.as_str(), owner.uid.as_str()), ("StatefulSet", "uid-web"));
    assert_eq!(pod_dns_name(&s, 5, "cluster.local").as_deref(), Some("web-5.web.default.svc.cluster.local"));
}

#[test]
fn claims_for_table() {
    // upstream: stateful_set_utils_test.go TestGetPersistentVolumeClaims
    let mut s = set(1, json!({}));
    let c = claims_for(&s, 2);
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].metadata.name(), "data-web-2");
    assert_eq!(c[0].metadata.namespace(), NS);
    assert_eq!(c[0].metadata.label("app"), Some("web"), "no template labels: exactly the selector's");
    if let Some(t) =
        s.spec.as_mut().and_then(|sp| sp.volume_claim_templates.as_mut()).and_then(|v| v.first_mut())
    {
        t.metadata.set_label("app", "template");
        t.metadata.set_label("tier", "db");
    }
    let c = claims_for(&s, 0);
    assert_eq!(c[0].metadata.label("app"), Some("web"), "the selector wins on conflict");
    assert_eq!(c[0].metadata.label("tier"), Some("db"));
}

fn claim_with(refs: Value) -> PersistentVolumeClaim {
    serde_json::from_value(
        json!({"metadata": {"name": "data-web-1", "namespace": NS, "ownerReferences": refs}}),
    )
    .expect("claim")
}

fn set_ref(uid: &str) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "uid": uid, "controller": true, "blockOwnerDeletion": true})
}

fn pod_ref(name: &str, uid: &str) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "name": name, "uid": uid, "controller": true, "blockOwnerDeletion": true})
}

#[test]
fn claim_owner_up_to_date_table() {
    // upstream: stateful_set_utils_test.go TestIsClaimOwnerUpToDate,
    // TestUpdateClaimOwnerRefForSetAndPod: for each policy, the refs of an in-range
    // pod (web-1 of 3) and of a condemned one (web-1 of 1).
    // The last policy holds a value neither Retain nor Delete: upstream's
    // `default:` case treats the whole policy as Retain.
    let policies = [
        ("Retain", "Retain"),
        ("Retain", "Delete"),
        ("Delete", "Retain"),
        ("Delete", "Delete"),
        ("Delete", "Foo"),
    ];
    // (whenScaled, whenDeleted) -> (in range: set, pod), (condemned: set, pod)
    let want = [
        ((false, false), (false, false)),
        ((true, false), (true, false)),
        ((false, false), (false, true)),
        ((true, false), (false, true)),
        ((false, false), (false, false)),
    ];
    for ((scaled, deleted), (in_range, condemned)) in policies.iter().zip(want) {
        for (replicas, (want_set, want_pod)) in [(3, in_range), (1, condemned)] {
            let s = set(
                replicas,
                json!({"persistentVolumeClaimRetentionPolicy": {"whenScaled": scaled, "whenDeleted": deleted}}),
            );
            let pod = observed_pod(&s, 1);
            let bare = claim_with(json!([]));
            let refs = claim_owner_refs(&bare, &s, &pod);
            let has_set = refs.iter().any(|r| r.kind == "StatefulSet" && r.uid == "uid-web");
            let has_pod = refs.iter().any(|r| r.kind == "Pod" && r.uid == "uid-1");
            assert_eq!((has_set, has_pod), (want_set, want_pod), "{scaled}/{deleted} replicas {replicas}");
            let mut fixed = bare.clone();
            fixed.metadata.owner_references = Some(refs);
            assert!(
                claim_owner_up_to_date(&fixed, &s, &pod),
                "{scaled}/{deleted} replicas {replicas}: fixed"
            );
            assert_eq!(
                claim_owner_up_to_date(&bare, &s, &pod),
                !want_set && !want_pod,
                "{scaled}/{deleted} bare"
            );
        }
    }
}

#[test]
fn claim_owner_edge_cases() {
    // upstream: stateful_set_utils_test.go TestClaimOwnerUpToDateEdgeCases,
    // TestHasUnexpectedController, TestUpdateClaimControllerRef
    let s = set(
        3,
        json!({"persistentVolumeClaimRetentionPolicy": {"whenScaled": "Delete", "whenDeleted": "Delete"}}),
    );
    let pod = observed_pod(&s, 1);
    // A stale ref to an older set of the same name: left to the garbage collector.
    assert!(claim_owner_up_to_date(&claim_with(json!([set_ref("old-uid")])), &s, &pod));
    // Another controller owns the claim: our refs are not added.
    let foreign = claim_with(
        json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "x", "uid": "x", "controller": true}]),
    );
    assert!(claim_owner_up_to_date(&foreign, &s, &pod));
    assert_eq!(claim_owner_refs(&foreign, &s, &pod).len(), 1);
    // A non-controller ref with our UID must become a controller ref.
    let weak = claim_with(
        json!([{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web", "uid": "uid-web"}]),
    );
    assert!(!claim_owner_up_to_date(&weak, &s, &pod));
    let refs = claim_owner_refs(&weak, &s, &pod);
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].controller, Some(true));
    // Unrelated non-controller refs are kept.
    let other = claim_with(json!([{"apiVersion": "v1", "kind": "ConfigMap", "name": "c", "uid": "c"}]));
    assert_eq!(claim_owner_refs(&other, &s, &pod).len(), 2);
    // A condemned pod's claim gets a pod ref, not a set ref.
    let small = set(
        1,
        json!({"persistentVolumeClaimRetentionPolicy": {"whenScaled": "Delete", "whenDeleted": "Delete"}}),
    );
    let refs = claim_owner_refs(&claim_with(json!([set_ref("uid-web")])), &small, &pod);
    assert_eq!(serde_json::to_value(&refs).expect("refs"), json!([pod_ref("web-1", "uid-1")]));
}

// ---------------------------------------------------------------------------
// Reconcile tables
// ---------------------------------------------------------------------------

#[test]
fn ordered_ready_creates_one_pod_with_its_claim_first() {
    // upstream: stateful_set_control_test.go CreatesPods (OrderedReady) and
    // stateful_pod_control_test.go TestStatefulPodControlCreatesPods
    let sim = Sim::new(set(3, json!({})));
    let actions = sim.reconcile();
    let c = creates(&actions);
    assert_eq!(c[0].split(' ').next(), Some("ControllerRevision"));
    assert_eq!(&c[1..], ["PersistentVolumeClaim data-web-0", "Pod web-0"]);
}

#[test]
fn selectors_that_are_null_or_do_not_convert() {
    // upstream: StatefulSetController.sync returns when the selector does
    // not convert, before anything is touched; a null selector is Go's nil
    // one, which selects nothing (DECISIONS G5), so the set's own pod is
    // released and web-0 created again.
    let mut bad = Sim::new(set(1, json!({"selector": {"matchLabels": {"app": "not valid"}}})));
    let mut pod = observed_pod(&bad.set, 0);
    bad.pods.push(pod.clone());
    assert!(bad.reconcile().is_empty(), "{:?}", bad.reconcile());

    let mut null = Sim::new(set(1, json!({"selector": null})));
    pod = observed_pod(&null.set, 0);
    null.pods.push(pod);
    let lines: Vec<String> = null.reconcile().iter().map(describe).collect();
    assert!(lines.iter().any(|l| l.contains("web-0") && l.contains("release")), "{lines:?}");
    assert!(creates(&null.reconcile()).contains(&"Pod web-0".to_owned()), "{lines:?}");
}

#[test]
fn ordered_ready_waits_for_running_and_ready() {
    // upstream: stateful_set_control_test.go ScalesUp / "OrderedReady
    // creates one pod at a time"
    let mut sim = Sim::new(set(3, json!({})));
    sim.sync();
    let a = sim.reconcile();
    assert!(creates(&a).iter().all(|c| !c.starts_with("Pod")), "web-0 is Pending: no web-1");
    let _ = sim.kubelet();
    let a = sim.reconcile();
    assert_eq!(creates(&a), ["PersistentVolumeClaim data-web-1", "Pod web-1"]);
}

#[test]
fn ordered_ready_waits_for_min_ready_seconds() {
    // upstream: stateful_set_control_test.go TestStatefulSetAvailability
    // (availability gates creation under OrderedReady); DECISIONS G4 requeue.
    let mut sim = Sim::new(set(2, json!({"minReadySeconds": 30})));
    sim.sync();
    let _ = sim.kubelet();
    let a = sim.reconcile();
    assert!(creates(&a).is_empty(), "web-0 ready 0s ago, not yet available");
    let requeue = a.iter().find_map(|x| match x {
        Action::Requeue { after, .. } => Some(*after),
        _ => None,
    });
    assert_eq!(requeue, Some(std::time::Duration::from_secs(30)));
    sim.now = sim.now.add_seconds(30);
    assert_eq!(creates(&sim.reconcile()), ["PersistentVolumeClaim data-web-1", "Pod web-1"]);
}

#[test]
fn a_ready_pod_without_a_transition_time_requeues_after_min_ready_seconds() {
    // upstream: syncStatefulSet requeues minReadySeconds later while
    // availableReplicas differs; a Ready condition without a transition
    // time never becomes available, so only that requeue is left.
    let mut sim = Sim::new(set(1, json!({"minReadySeconds": 20})));
    sim.sync();
    let _ = sim.kubelet();
    for p in &mut sim.pods {
        if let Some(c) = p.status.as_mut().and_then(|s| s.conditions.as_mut()) {
            c.iter_mut().for_each(|c| c.last_transition_time = None);
        }
    }
    let requeue = sim.reconcile().iter().find_map(|x| match x {
        Action::Requeue { after, .. } => Some(*after),
        _ => None,
    });
    assert_eq!(requeue, Some(std::time::Duration::from_secs(20)));
}

#[test]
fn parallel_creates_every_pod() {
    // upstream: stateful_set_control_test.go CreatesPods (Parallel)
    let sim = Sim::new(set(3, json!({"podManagementPolicy": "Parallel"})));
    let pods: Vec<String> = creates(&sim.reconcile()).into_iter().filter(|c| c.starts_with("Pod")).collect();
    assert_eq!(pods, ["Pod web-0", "Pod web-1", "Pod web-2"]);
}

#[test]
fn start_ordinal() {
    // upstream: stateful_set_control_test.go CreatesPodsWithStartOrdinal
    let sim = Sim::new(set(2, json!({"podManagementPolicy": "Parallel", "ordinals": {"start": 3}})));
    let pods: Vec<String> = creates(&sim.reconcile()).into_iter().filter(|c| c.starts_with("Pod")).collect();
    assert_eq!(pods, ["Pod web-3", "Pod web-4"]);
}

#[test]
fn absurd_replicas_stay_bounded() {
    // Principle 5 (total functions): replicas = i32::MAX neither exhausts
    // memory nor returns billions of actions.
    let sim = Sim::new(set(i32::MAX, json!({"podManagementPolicy": "Parallel"})));
    let a = sim.reconcile();
    let pods = creates(&a).iter().filter(|c| c.starts_with("Pod")).count();
    assert_eq!(pods, statefulset::MAX_NEW_SLOTS);
    assert!(a.iter().any(|x| matches!(x, Action::Requeue { after, .. } if after.is_zero())));
    let sim = Sim::new(set(i32::MAX, json!({})));
    assert_eq!(creates(&sim.reconcile()).iter().filter(|c| c.starts_with("Pod")).count(), 1);
}

#[test]
fn failed_pod_is_deleted_then_recreated() {
    // upstream: stateful_set_control_test.go RecreatesFailedPod,
    // RecreatesSucceededPod
    let mut sim = Sim::new(set(1, json!({})));
    sim.sync();
    let _ = sim.kubelet();
    sim.pods[0].status.get_or_insert_default().phase = Some(PodPhase::Failed);
    let a = sim.sync();
    assert_eq!(deletes(&a), ["Pod web-0"]);
    assert!(creates(&a).is_empty(), "never recreated in the same sync");
    let _ = sim.kubelet();
    assert_eq!(creates(&sim.reconcile()), ["Pod web-0"], "the claim already exists");
}

#[test]
fn scale_down_one_at_a_time_highest_first() {
    // upstream: stateful_set_control_test.go ScalesDown
    let mut sim = Sim::new(set(3, json!({})));
    sim.settle("up");
    sim.set.spec.as_mut().expect("spec").replicas = Some(1);
    let a = sim.sync();
    assert_eq!(deletes(&a), ["Pod web-2"]);
    let a = sim.sync();
    assert!(deletes(&a).is_empty(), "web-2 is still terminating");
    let _ = sim.kubelet();
    assert_eq!(deletes(&sim.reconcile()), ["Pod web-1"]);
}

#[test]
fn unhealthy_replica_blocks_scale_down() {
    // upstream: stateful_set_control_test.go "An unhealthy replica blocks
    // scale-down under OrderedReady"
    let mut sim = Sim::new(set(3, json!({})));
    sim.settle("up");
    sim.pods[0].status.get_or_insert_default().conditions = None;
    sim.set.spec.as_mut().expect("spec").replicas = Some(1);
    assert!(deletes(&sim.reconcile()).is_empty());
    sim.set.spec.as_mut().expect("spec").pod_management_policy = Some("Parallel".into());
    assert_eq!(deletes(&sim.reconcile()), ["Pod web-2", "Pod web-1"]);
}

// upstream 1.34+ (PR 130909, "Statefulset now respects minReadySeconds"):
// processCondemned may delete the first *unavailable* pod. A condemned pod
// that is ready but short of minReadySeconds is that pod, so OrderedReady
// scale-down deletes it rather than waiting for it to become available.
#[test]
fn scale_down_deletes_a_condemned_pod_short_of_min_ready() {
    let mut sim = Sim::new(set(3, json!({})));
    sim.settle("up");
    sim.set.spec.as_mut().expect("spec").min_ready_seconds = Some(60);
    sim.now = sim.now.add_seconds(120);
    let just_now = sim.now.add_seconds(-10);
    let top = sim.pods.iter_mut().find(|p| p.metadata.name() == "web-2").expect("web-2");
    ready(top, just_now);
    sim.set.spec.as_mut().expect("spec").replicas = Some(2);
    assert_eq!(deletes(&sim.reconcile()), ["Pod web-2"]);
}

// upstream 1.34+: the rolling update (without maxUnavailable) waits for the
// updated pod to be available, not only Ready.
#[test]
fn rolling_update_waits_for_min_ready_seconds() {
    let mut sim = Sim::new(set(3, json!({"minReadySeconds": 60, "podManagementPolicy": "Parallel"})));
    sim.settle("up");
    sim.now = sim.now.add_seconds(120);
    image(&mut sim.set, "nginx:2");
    assert_eq!(deletes(&sim.sync()), ["Pod web-2"]);
    let _ = sim.kubelet();
    let _ = sim.sync();
    let _ = sim.kubelet();
    // web-2 is back at the update revision, Ready for 10 s: not available.
    assert!(deletes(&sim.reconcile()).is_empty(), "{}", sim.log);
    sim.now = sim.now.add_seconds(60);
    assert_eq!(deletes(&sim.reconcile()), ["Pod web-1"]);
}

#[test]
fn claim_being_deleted_blocks_pod_creation() {
    // upstream: stateful_pod_control_test.go
    // TestStatefulPodControlCreatePodPVCDeleting
    let mut sim = Sim::new(set(1, json!({})));
    let mut claim = claims_for(&sim.set, 0).remove(0);
    claim.metadata.deletion_timestamp = Some(t0());
    sim.claims.push(claim);
    let a = sim.reconcile();
    assert!(creates(&a).iter().all(|c| !c.starts_with("Pod")));
    let warning = a.iter().find_map(|x| match x {
        Action::Event(e) => Some(format!("{} {}", e.reason, e.message)),
        _ => None,
    });
    assert_eq!(
        warning.as_deref(),
        Some(
            "FailedCreate create Pod web-0 in StatefulSet web failed error: pvc data-web-0 is being deleted"
        )
    );
}

/// The events of `actions`, as `Reason message`.
fn warnings(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|x| match x {
            Action::Event(e) => Some(format!("{} {}", e.reason, e.message)),
            _ => None,
        })
        .collect()
}

#[test]
fn claims_being_deleted_make_one_aggregate_event() {
    // upstream: stateful_pod_control.go createPersistentVolumeClaims
    // aggregates the claims' errors (utilerrors.NewAggregate) and
    // CreateStatefulPod records one FailedCreate event with them.
    let two = json!({"volumeClaimTemplates": [
        {"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}}}},
        {"metadata": {"name": "logs"}, "spec": {"accessModes": ["ReadWriteOnce"],
            "resources": {"requests": {"storage": "1Gi"}}}}
    ]});
    let mut sim = Sim::new(set(1, two));
    for mut claim in claims_for(&sim.set, 0) {
        claim.metadata.deletion_timestamp = Some(t0());
        sim.claims.push(claim);
    }
    let events = warnings(&sim.reconcile());
    assert_eq!(
        events,
        ["FailedCreate create Pod web-0 in StatefulSet web failed error: \
          [pvc data-web-0 is being deleted, pvc logs-web-0 is being deleted]"]
    );
}

#[test]
fn a_pending_pod_blocked_by_its_claim_records_no_event() {
    // upstream: stateful_set_control.go processReplica ->
    // createMissingPersistentVolumeClaims returns the error without a pod
    // event; the pass stops there.
    let mut sim = Sim::new(set(2, json!({})));
    sim.settle("up");
    sim.pods[0].status.get_or_insert_default().phase = Some(kube_workloads::api::PodPhase::Pending);
    sim.claims.retain(|c| c.metadata.name() != "data-web-0");
    let mut claim = claims_for(&sim.set, 0).remove(0);
    claim.metadata.deletion_timestamp = Some(t0());
    sim.claims.push(claim);
    let a = sim.reconcile();
    assert!(!a.iter().any(|x| matches!(x, Action::Event(_))), "{a:?}");
    assert!(creates(&a).is_empty(), "{a:?}");
}

#[test]
fn a_storage_repair_blocked_by_its_claim_is_a_failed_update() {
    // upstream: stateful_pod_control.go UpdateStatefulPod records the
    // claims' error with the "update" verb (FailedUpdate).
    let mut sim = Sim::new(set(1, json!({})));
    sim.settle("up");
    if let Some(spec) = sim.pods[0].spec.as_mut() {
        spec.volumes = None;
    }
    sim.claims.retain(|c| c.metadata.name() != "data-web-0");
    let mut claim = claims_for(&sim.set, 0).remove(0);
    claim.metadata.deletion_timestamp = Some(t0());
    sim.claims.push(claim);
    let events = warnings(&sim.reconcile());
    assert_eq!(
        events,
        ["FailedUpdate update Pod web-0 in StatefulSet web failed error: pvc data-web-0 is being deleted"]
    );
}

#[test]
fn stale_claim_blocks_recreation_under_when_scaled_delete() {
    // upstream: stateful_pod_control_test.go TestPodClaimIsStale
    let mut sim = Sim::new(set(1, json!({"persistentVolumeClaimRetentionPolicy": {"whenScaled": "Delete"}})));
    let mut claim = claims_for(&sim.set, 0).remove(0);
    claim.metadata.owner_references =
        Some(vec![serde_json::from_value(pod_ref("web-0", "old-pod")).expect("ref")]);
    sim.claims.push(claim);
    assert!(creates(&sim.reconcile()).iter().all(|c| !c.starts_with("Pod")));
    sim.set.spec.as_mut().expect("spec").persistent_volume_claim_retention_policy = None;
    assert!(creates(&sim.reconcile()).contains(&"Pod web-0".to_string()), "Retain: never stale");
}

#[test]
fn conflicting_controller_warning_table() {
    // upstream: stateful_pod_control.go UpdatePodClaimForRetentionPolicy (the
    // `ConflictingController` warning, recorded each time it runs on a claim
    // hasUnexpectedController flags) and its callers CreateStatefulPod,
    // createMissingPersistentVolumeClaims (Pending pods) and
    // UpdateStatefulPod; the cases of stateful_set_utils_test.go
    // TestHasUnexpectedController. No upstream unit test asserts the event.
    let delete_both =
        json!({"persistentVolumeClaimRetentionPolicy": {"whenScaled": "Delete", "whenDeleted": "Delete"}});
    let retain_both =
        json!({"persistentVolumeClaimRetentionPolicy": {"whenScaled": "Retain", "whenDeleted": "Retain"}});
    let foreign =
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "x", "uid": "x", "controller": true});
    let warning = "event Warning ConflictingController on StatefulSet default/web: PersistentVolumeClaim data-web-0 \
                   has a conflicting OwnerReference that acts as a manging controller, the retention policy is \
                   ignored for this claim";
    #[derive(Clone, Copy)]
    enum PodState {
        Missing,
        Pending,
        RunningAndReady,
    }
    // (case, policy, the pod of ordinal 0, the claim's owner references, the lines expected)
    let cases = [
        (
            "a Pending pod whose claim another controller owns",
            delete_both.clone(),
            PodState::Pending,
            json!([foreign.clone()]),
            vec![warning],
        ),
        (
            "the same under Retain/Retain: any controller may own the claim",
            retain_both,
            PodState::Pending,
            json!([foreign.clone()]),
            vec![],
        ),
        (
            "a new pod whose claim is already there and owned by another controller",
            delete_both.clone(),
            PodState::Missing,
            json!([foreign.clone()]),
            vec!["create Pod default/web-0", warning],
        ),
        (
            "a running pod whose claim has our reference next to another controller's",
            delete_both.clone(),
            PodState::RunningAndReady,
            json!([foreign.clone(), set_ref("uid-web")]),
            vec![warning, "update PersistentVolumeClaim default/data-web-0: claim owner references"],
        ),
        (
            "a running pod whose claim only another controller owns: the claim is left alone, silently",
            delete_both.clone(),
            PodState::RunningAndReady,
            json!([foreign]),
            vec![],
        ),
        (
            "a Pending pod whose claim refers to an older set of the same name",
            delete_both,
            PodState::Pending,
            json!([set_ref("old-uid")]),
            vec![warning],
        ),
    ];
    for (case, policy, pod, refs, want) in cases {
        let mut sim = Sim::new(set(1, policy));
        let mut claim = claims_for(&sim.set, 0).remove(0);
        claim.metadata.owner_references = serde_json::from_value(refs).expect("refs");
        sim.claims.push(claim);
        match pod {
            PodState::Missing => {}
            PodState::Pending => {
                let mut p = observed_pod(&sim.set, 0);
                p.status.get_or_insert_default().phase = Some(PodPhase::Pending);
                sim.pods.push(p);
            }
            PodState::RunningAndReady => {
                let mut p = observed_pod(&sim.set, 0);
                ready(&mut p, t0().add_seconds(-60));
                sim.pods.push(p);
            }
        }
        let got: Vec<String> = sim
            .reconcile()
            .iter()
            .map(ToString::to_string)
            .filter(|l| {
                l.starts_with("event ")
                    || l.starts_with("create Pod ")
                    || l.starts_with("update PersistentVolumeClaim ")
            })
            .collect();
        assert_eq!(got, want, "{case}");
    }
}

#[test]
fn condemned_claims_get_pod_refs_before_deletion() {
    // upstream: stateful_set_control_test.go TestStatefulSetControlScaleDownDeleteError
    // / "fix pod claims for condemned pods"
    let mut sim = Sim::new(set(
        2,
        json!({"persistentVolumeClaimRetentionPolicy": {"whenScaled": "Delete", "whenDeleted": "Retain"}}),
    ));
    sim.settle("up");
    sim.set.spec.as_mut().expect("spec").replicas = Some(1);
    let a = sim.sync();
    let lines: Vec<String> = a.iter().map(ToString::to_string).collect();
    let update = lines.iter().position(|l| l.contains("update PersistentVolumeClaim default/data-web-1"));
    let delete = lines.iter().position(|l| l == "delete Pod default/web-1");
    assert!(update.is_some() && update < delete, "{lines:#?}");
    let claim = sim.claims.iter().find(|c| c.metadata.name() == "data-web-1").expect("claim");
    assert_eq!(claim.metadata.controller_ref().map(|r| r.kind.as_str()), Some("Pod"));
}

#[test]
fn revisions_and_rollback() {
    // upstream: stateful_set_control_test.go TestStatefulSetControl_getSetRevisions
    let mut sim = Sim::new(set(1, json!({})));
    sim.settle("v1");
    let first = sim.revisions[0].metadata.name().to_owned();
    image(&mut sim.set, "nginx:2");
    sim.settle("v2");
    assert_eq!(sim.revisions.len(), 2);
    assert_eq!(sim.revisions[1].revision, 2);
    image(&mut sim.set, "nginx:1");
    let a = sim.sync();
    let rollback: Vec<String> =
        a.iter().map(ToString::to_string).filter(|l| l.contains("ControllerRevision")).collect();
    assert_eq!(rollback, [format!("update ControllerRevision default/{first}: revision 1 -> 3")]);
    assert_eq!(sim.set.status.as_ref().and_then(|s| s.update_revision.clone()), Some(first));
}

// upstream: stateful_set_compatibility_test.go (StatefulSetSemanticRevisionComparison,
// issue 134773): a revision a 1.33 API server wrote, with
// `creationTimestamp: null` in the template's metadata and a defaulted
// field the set as read no longer spells out, is still the set's revision:
// no new revision, no rollout. With the gate off, a new revision is made.
#[test]
fn a_revision_written_by_an_older_server_still_matches() {
    let mut sim = Sim::new(set(2, json!({})));
    sim.settle("up");
    let name = sim.revisions[0].metadata.name().to_owned();
    let template = sim.revisions[0]
        .data
        .as_mut()
        .and_then(|d| d.get_mut("spec"))
        .and_then(|s| s.get_mut("template"))
        .expect("template");
    template["metadata"]["creationTimestamp"] = Value::Null;
    template["spec"]["containers"][0]["imagePullPolicy"] = json!("IfNotPresent");
    let actions = sim.reconcile();
    let revision_writes: Vec<String> =
        actions.iter().map(ToString::to_string).filter(|l| l.contains("ControllerRevision")).collect();
    assert!(revision_writes.is_empty(), "{revision_writes:?}");
    assert!(deletes(&actions).is_empty());
    sim.config.gates.stateful_set_semantic_revision_comparison = false;
    let actions = sim.reconcile();
    let created: Vec<String> = actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { object: Object::ControllerRevision(r) } => Some(r.metadata.name().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(created.len(), 1, "{actions:?}");
    assert_ne!(created[0], name);
}

#[test]
fn revision_changes_only_with_the_template() {
    // upstream: stateful_set_utils_test.go TestNewRevision: replicas and
    // strategy do not make a revision.
    let a = set(1, json!({}));
    let b = set(5, json!({"updateStrategy": {"type": "OnDelete"}, "minReadySeconds": 3}));
    let ra = statefulset::new_revision(&a, 1, Some(0));
    let rb = statefulset::new_revision(&b, 1, Some(0));
    assert_eq!(ra.metadata.name(), rb.metadata.name());
    assert_eq!(ra.data, rb.data);
    assert_eq!(ra.data.as_ref().and_then(|d| d["spec"]["template"].get("$patch")), Some(&json!("replace")));
    assert_ne!(
        ra.metadata.name(),
        statefulset::new_revision(&a, 1, Some(1)).metadata.name(),
        "collisionCount"
    );
    assert_eq!(statefulset::revision_template(&ra).as_ref(), Some(&a.spec.as_ref().expect("spec").template));
    // upstream: history.NewControllerRevision labels a revision with the
    // template's labels and its hash under controller.kubernetes.io/hash
    // (controller-revision-hash is the pods' label, holding the name).
    let hash = ra.metadata.name().rsplit('-').next().expect("hash").to_owned();
    assert_eq!(ra.metadata.label("controller.kubernetes.io/hash"), Some(hash.as_str()));
    assert_eq!(ra.metadata.label(CONTROLLER_REVISION_HASH_LABEL), None);
}

#[test]
fn a_revision_name_clash_renames_only() {
    // upstream: history.CreateControllerRevision: on AlreadyExists with other
    // data it bumps collisionCount and retries under the new hash's name;
    // the revision keeps the labels NewControllerRevision gave it, so its
    // controller.kubernetes.io/hash is the first hash.
    let s = set(1, json!({}));
    let first = statefulset::new_revision(&s, 1, Some(0));
    let mut squatter = first.clone();
    squatter.data = Some(json!({"spec": {"template": {"$patch": "replace"}}}));
    let a = statefulset::reconcile(&s, &Observed { pods: &[], claims: &[], revisions: &[squatter] }, t0());
    let created = a
        .iter()
        .find_map(|x| match x {
            Action::Create { object: Object::ControllerRevision(r) } => Some(r.clone()),
            _ => None,
        })
        .expect("a revision is created");
    let renamed = statefulset::new_revision(&s, 1, Some(1));
    assert_eq!(created.metadata.name(), renamed.metadata.name());
    assert_eq!(
        created.metadata.label("controller.kubernetes.io/hash"),
        first.metadata.label("controller.kubernetes.io/hash")
    );
}

#[test]
fn history_is_truncated_to_the_limit() {
    // upstream: stateful_set_control_test.go TestStatefulSetControlLimitsHistory
    let mut sim = Sim::new(set(1, json!({"revisionHistoryLimit": 1})));
    for v in 1..=4 {
        image(&mut sim.set, &format!("nginx:{v}"));
        sim.settle("rollout");
    }
    // The sync that completes a rollout still keeps its old current
    // revision live (upstream truncates with the pre-completion current
    // revision); the next one trims.
    sim.sync();
    // current/update revision + at most 1 old one.
    assert_eq!(
        sim.revisions.len(),
        2,
        "{:?}",
        sim.revisions.iter().map(|r| r.metadata.name()).collect::<Vec<_>>()
    );
}

#[test]
fn rolling_update_deletes_outdated_pods_from_the_top() {
    // upstream: stateful_set_control_test.go TestStatefulSetControlRollingUpdate
    let mut sim = Sim::new(set(3, json!({})));
    sim.settle("up");
    image(&mut sim.set, "nginx:2");
    let a = sim.sync();
    assert_eq!(deletes(&a), ["Pod web-2"]);
    let status = sim.set.status.clone().expect("status");
    assert_eq!(status.current_replicas, Some(2), "current drops by one per deletion");
    assert_eq!(status.updated_replicas, None);
}

#[test]
fn on_delete_never_deletes_for_updates() {
    // upstream: stateful_set_control_test.go TestStatefulSetControlOnDelete
    let mut sim = Sim::new(set(2, json!({"updateStrategy": {"type": "OnDelete"}})));
    sim.settle("up");
    image(&mut sim.set, "nginx:2");
    assert!(deletes(&sim.reconcile()).is_empty());
    // A pod deleted by hand comes back at the update revision.
    sim.sync();
    let update = sim.set.status.as_ref().and_then(|s| s.update_revision.clone()).expect("update revision");
    let current = sim.set.status.as_ref().and_then(|s| s.current_revision.clone()).expect("current revision");
    assert_ne!(update, current);
    sim.pods.retain(|p| p.metadata.name() != "web-1");
    let a = sim.reconcile();
    let created = a.iter().find_map(|x| match x {
        Action::Create { object: Object::Pod(p) } => {
            p.metadata.label(CONTROLLER_REVISION_HASH_LABEL).map(str::to_owned)
        }
        _ => None,
    });
    assert_eq!(created, Some(update));
}

fn max_unavailable_run(replicas: i32, max_unavailable: Value, gate: bool) -> usize {
    let mut sim = Sim::new(set(
        replicas,
        json!({"podManagementPolicy": "Parallel", "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": max_unavailable}}}),
    ));
    sim.config.gates = FeatureGates::default();
    sim.config.gates.max_unavailable_stateful_set = gate;
    sim.settle("up");
    image(&mut sim.set, "nginx:2");
    deletes(&sim.reconcile()).len()
}

#[test]
fn max_unavailable_behind_the_gate() {
    // upstream: stateful_set_utils_test.go TestGetStatefulSetMaxUnavailable and
    // stateful_set_control_test.go TestStatefulSetControlRollingUpdateWithMaxUnavailable
    assert_eq!(max_unavailable_run(5, json!(2), false), 1, "gate off: one at a time");
    assert_eq!(max_unavailable_run(5, json!(2), true), 2);
    assert_eq!(max_unavailable_run(5, json!("50%"), true), 2, "50% of 5 rounds down");
    assert_eq!(max_unavailable_run(5, json!("10%"), true), 1, "rounds down to 0, raised to 1");
    assert_eq!(max_unavailable_run(25, json!("10%"), true), 2);
}

// upstream: getStatefulSetMaxUnavailable returns GetScaledValueFromIntOrPercent's
// error and updateStatefulSetAfterInvariantEstablished returns it before any
// delete (the sync fails and is retried).
#[test]
fn a_max_unavailable_that_does_not_scale_fails_the_update() {
    for bad in [json!("abc"), json!("2"), json!("x%")] {
        let mut sim = Sim::new(set(
            3,
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": bad}}}),
        ));
        sim.config.gates.max_unavailable_stateful_set = true;
        sim.settle("up");
        image(&mut sim.set, "nginx:2");
        let actions = sim.reconcile();
        assert_eq!(deletes(&actions), Vec::<String>::new(), "{bad}");
        assert!(actions.iter().any(|a| matches!(a, Action::Requeue { .. })), "{bad}: retried");
    }
}

// upstream: updateStatefulSetAfterInvariantEstablished counts every slot up
// to replicas, pods still to create included (they are unavailable); the
// crate materializes at most MAX_NEW_SLOTS new ones per sync but counts the
// rest all the same.
#[test]
fn pods_still_to_create_count_against_max_unavailable() {
    let mut sim = Sim::new(set(
        10,
        json!({"podManagementPolicy": "Parallel",
               "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 600}}}),
    ));
    sim.config.gates.max_unavailable_stateful_set = true;
    sim.settle("up");
    if let Some(spec) = sim.set.spec.as_mut() {
        spec.replicas = Some(1000);
    }
    image(&mut sim.set, "nginx:2");
    // 990 pods to create (unavailable) is more than 600: nothing is deleted.
    assert_eq!(deletes(&sim.reconcile()), Vec::<String>::new());
}

// upstream: updateStatefulSet skips the rolling update for OnDelete only;
// completeRollingUpdate moves currentRevision for RollingUpdate only, and
// SetDefaults_StatefulSet gives an empty type RollingUpdate.
#[test]
fn only_on_delete_stops_the_rolling_update() {
    let rollout = |strategy: Value| {
        let mut sim = Sim::new(set(3, json!({"updateStrategy": strategy})));
        sim.settle("up");
        let v1 = sim.set.status.as_ref().and_then(|s| s.current_revision.clone()).expect("rev");
        image(&mut sim.set, "nginx:2");
        sim.settle("rollout");
        let status = sim.set.status.clone().expect("status");
        (v1, status)
    };
    // Empty: as RollingUpdate, rolled and completed.
    let (v1, status) = rollout(json!({"type": ""}));
    assert_eq!(status.updated_replicas, Some(3));
    assert_eq!(status.current_revision, status.update_revision);
    assert_ne!(status.current_revision, Some(v1));
    // An unknown type (refused by validation) rolls, but the rollout never
    // completes: currentRevision stays.
    let (v1, status) = rollout(json!({"type": "Sideways"}));
    assert_eq!(status.updated_replicas, Some(3));
    assert_eq!(status.current_revision, Some(v1));
    // OnDelete: nothing is replaced.
    let (_, status) = rollout(json!({"type": "OnDelete"}));
    assert_eq!(status.updated_replicas, None);
}

// upstream: newVersionedStatefulSetPod keeps a recreated pod below
// status.currentReplicas at the current revision only under RollingUpdate
// (the type checked, not merely "not OnDelete").
#[test]
fn a_recreated_pod_takes_the_current_revision_only_under_rolling_update() {
    let recreated = |strategy: Value| {
        let mut sim = Sim::new(set(3, json!({"updateStrategy": strategy})));
        sim.settle("up");
        let v1 = sim.set.status.as_ref().and_then(|s| s.current_revision.clone()).expect("rev");
        image(&mut sim.set, "nginx:2");
        sim.pods.retain(|p| p.metadata.name() != "web-0");
        let revision = sim.reconcile().iter().find_map(|a| match a {
            Action::Create { object: Object::Pod(p) } if p.metadata.name() == "web-0" => {
                p.metadata.label(CONTROLLER_REVISION_HASH_LABEL).map(str::to_owned)
            }
            _ => None,
        });
        (revision, v1)
    };
    let (revision, v1) = recreated(json!({"type": "RollingUpdate"}));
    assert_eq!(revision, Some(v1));
    let (revision, v1) = recreated(json!({"type": "Sideways"}));
    assert!(revision.is_some_and(|r| r != v1));
}

#[test]
fn partition_keeps_lower_ordinals_and_recreates_them_at_current() {
    // upstream: stateful_set_control_test.go TestStatefulSetControlRollingUpdateWithPartition
    let mut sim = Sim::new(set(3, json!({"updateStrategy": {"rollingUpdate": {"partition": 2}}})));
    sim.settle("up");
    let v1 = sim.set.status.as_ref().and_then(|s| s.current_revision.clone()).expect("rev");
    image(&mut sim.set, "nginx:2");
    sim.settle("rollout");
    let revs: Vec<String> = sim
        .pods
        .iter()
        .map(|p| p.metadata.label(CONTROLLER_REVISION_HASH_LABEL).unwrap_or("").to_owned())
        .collect();
    assert_eq!(revs[0], v1);
    assert_eq!(revs[1], v1);
    assert_ne!(revs[2], v1);
    sim.pods.retain(|p| p.metadata.name() != "web-0");
    let a = sim.reconcile();
    let recreated = a.iter().find_map(|x| match x {
        Action::Create { object: Object::Pod(p) } => {
            p.metadata.label(CONTROLLER_REVISION_HASH_LABEL).map(str::to_owned)
        }
        _ => None,
    });
    assert_eq!(recreated, Some(v1), "below the partition: the current revision");
}

#[test]
fn status_counts() {
    // upstream: stateful_set_control_test.go TestStatefulSetControlStatus /
    // computeReplicaStatus: terminating pods are ready but not current.
    let mut sim = Sim::new(set(2, json!({})));
    sim.settle("up");
    sim.pods[1].metadata.deletion_timestamp = Some(sim.now);
    sim.set.metadata.generation = Some(2);
    // A condition another actor left: upstream's updateStatefulSet builds
    // the status from scratch, so the write drops it.
    sim.set.status.get_or_insert_default().conditions = Some(vec![kube_workloads::api::Condition {
        type_: "Foo".into(),
        status: kube_workloads::api::ConditionStatus::True,
        ..Default::default()
    }]);
    let a = sim.reconcile();
    let status = a
        .iter()
        .find_map(|x| match x {
            Action::UpdateStatus { object: Object::StatefulSet(s) } => s.status.clone(),
            _ => None,
        })
        .expect("status");
    assert_eq!(status.replicas, 2);
    assert_eq!(status.ready_replicas, Some(2));
    assert_eq!(status.current_replicas, Some(1));
    assert_eq!(status.observed_generation, Some(2));
    assert_eq!(status.conditions, None);
}

#[test]
fn adopts_orphans_and_ignores_foreign_pods() {
    // upstream: stateful_set_test.go TestGetPodsForStatefulSetAdopt
    let s = set(1, json!({}));
    let mut orphan = observed_pod(&s, 0);
    orphan.metadata.owner_references = None;
    let mut foreign = observed_pod(&s, 1);
    foreign.metadata.owner_references =
        Some(vec![serde_json::from_value(json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "x", "uid": "x", "controller": true})).expect("ref")]);
    let mut not_member = observed_pod(&s, 2);
    not_member.metadata.name = Some("db-0".into());
    not_member.metadata.owner_references = None;
    let pods = vec![orphan, foreign, not_member];
    let a = statefulset::reconcile(&s, &Observed { pods: &pods, claims: &[], revisions: &[] }, t0());
    let updates: Vec<String> = a
        .iter()
        .filter_map(|x| match x {
            Action::Update { object: Object::Pod(p), change } => {
                Some(format!("{} {change}", p.metadata.name()))
            }
            _ => None,
        })
        .collect();
    assert_eq!(updates, ["web-0 adopt"]);
}

// upstream: stateful_set.go sync adopts orphan revisions
// (adoptOrphanRevisions) before it claims pods (getPodsForStatefulSet), so
// a revision's adoption comes first whatever the names.
#[test]
fn orphan_revisions_are_adopted_before_pods() {
    let s = set(1, json!({}));
    let mut orphan = observed_pod(&s, 0);
    orphan.metadata.owner_references = None;
    let mut revision = statefulset::new_revision(&s, 1, Some(0));
    revision.metadata.owner_references = None;
    revision.metadata.uid = Some("uid-rev".into());
    let pods = vec![orphan];
    let revisions = vec![revision];
    let a = statefulset::reconcile(&s, &Observed { pods: &pods, claims: &[], revisions: &revisions }, t0());
    let adoptions: Vec<String> = a
        .iter()
        .filter_map(|x| match x {
            Action::Update { object, change } if change == "adopt" => Some(object.kind().to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(adoptions, ["ControllerRevision", "Pod"], "{a:#?}");
}

// upstream: updateStatefulSet returns the status it computed over every
// claimed pod when the set is being deleted, before it sets aside the pods
// whose ordinal does not parse; otherwise the status counts replicas and
// condemned pods only.
#[test]
fn a_deleted_sets_status_counts_every_claimed_pod() {
    let mut s = set(2, json!({}));
    let mut pods: Vec<Pod> = (0..2).map(|i| observed_pod(&s, i)).collect();
    let mut odd = observed_pod(&s, 1);
    odd.metadata.name = Some("web-99999999999".into());
    odd.metadata.uid = Some("uid-odd".into());
    pods.push(odd);
    for p in &mut pods {
        ready(p, t0().add_seconds(-60));
    }
    let replicas = |s: &StatefulSet| {
        let a = statefulset::reconcile(s, &Observed { pods: &pods, claims: &[], revisions: &[] }, t0());
        a.iter()
            .find_map(|x| match x {
                Action::UpdateStatus { object: Object::StatefulSet(set) } => set.status.clone(),
                _ => None,
            })
            .map(|st| (st.replicas, st.ready_replicas))
    };
    assert_eq!(replicas(&s), Some((2, Some(2))));
    s.metadata.deletion_timestamp = Some(t0());
    assert_eq!(replicas(&s), Some((3, Some(3))));
}

#[test]
fn revisions_are_adopted_never_released() {
    // upstream: stateful_set.go adoptOrphanRevisions and ListRevisions
    // (history.ListControllerRevisions): the selected revisions the set
    // controls or no one does; orphans are adopted, a revision the selector
    // no longer selects is left alone (never released).
    let s = set(1, json!({}));
    let run = |set: &StatefulSet, revisions: &[ControllerRevision]| {
        statefulset::reconcile(set, &Observed { pods: &[], claims: &[], revisions }, t0())
    };
    let revision_updates = |a: &[Action]| -> Vec<String> {
        a.iter()
            .filter_map(|x| match x {
                Action::Update { object: Object::ControllerRevision(r), change } => {
                    Some(format!("{} {change}", r.metadata.name()))
                }
                _ => None,
            })
            .collect()
    };
    let mut unselected = statefulset::new_revision(&s, 1, Some(0));
    unselected.metadata.labels = Some(Default::default());
    assert_eq!(revision_updates(&run(&s, &[unselected])), Vec::<String>::new());
    let mut orphan = statefulset::new_revision(&s, 1, Some(0));
    orphan.metadata.owner_references = None;
    let name = orphan.metadata.name().to_owned();
    assert_eq!(revision_updates(&run(&s, std::slice::from_ref(&orphan))), [format!("{name} adopt")]);
    // Being deleted, the set cannot adopt: the sync ends there (upstream's
    // error), with a retry and nothing else.
    let mut deleting = s.clone();
    deleting.metadata.deletion_timestamp = Some(t0());
    let a = run(&deleting, &[orphan]);
    assert!(matches!(a.as_slice(), [Action::Requeue { after, .. }] if after.is_zero()), "{a:?}");
}

// upstream: getStatefulSetRevisions after adoptOrphanRevisions: an adopted
// orphan that equals the current template but is not the latest revision is
// raised to the next number, and it stays adopted (upstream's update re-reads
// it first); the raise replaces the object after the adoption does.
#[test]
fn an_adopted_orphan_raised_to_the_next_revision_keeps_its_owner() {
    let s = set(1, json!({}));
    let other = set(
        1,
        json!({"template": {"metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "nginx", "image": "nginx:2"}]}}}),
    );
    let mut orphan = statefulset::new_revision(&s, 1, Some(0));
    orphan.metadata.owner_references = None;
    let owned = statefulset::new_revision(&other, 2, Some(0));
    let revisions = [orphan.clone(), owned];
    let actions =
        statefulset::reconcile(&s, &Observed { pods: &[], claims: &[], revisions: &revisions }, t0());
    let updates: Vec<(&str, &ControllerRevision)> = actions
        .iter()
        .filter_map(|a| match a {
            Action::Update { object: Object::ControllerRevision(r), change } => Some((change.as_str(), &**r)),
            _ => None,
        })
        .collect();
    assert_eq!(updates.iter().map(|(c, _)| *c).collect::<Vec<_>>(), ["adopt", "revision 1 -> 3"]);
    let (_, raised) = updates[1];
    assert_eq!(raised.metadata.name(), orphan.metadata.name());
    assert_eq!(raised.metadata.controller_ref().map(|r| r.uid.as_str()), Some("uid-web"));
}

// ---------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------

#[test]
fn snapshot_ordered_ready_scale_0_3_1() {
    let mut sim = Sim::new(set(0, json!({})));
    sim.settle("replicas: 0");
    sim.set.spec.as_mut().expect("spec").replicas = Some(3);
    sim.settle("replicas: 3 (OrderedReady: one pod per sync, each after the previous is Running and Ready)");
    sim.set.spec.as_mut().expect("spec").replicas = Some(1);
    sim.settle("replicas: 1 (highest ordinal first, one at a time)");
    insta::assert_snapshot!(sim.log);
}

#[test]
fn snapshot_rolling_update_partition_2() {
    let mut sim = Sim::new(set(
        4,
        json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 2}}}),
    ));
    sim.settle("4 replicas at nginx:1");
    image(&mut sim.set, "nginx:2");
    sim.settle("template -> nginx:2 with partition 2: only web-3 and web-2 roll");
    if let Some(ru) =
        sim.set.spec.as_mut().and_then(|s| s.update_strategy.as_mut()).and_then(|u| u.rolling_update.as_mut())
    {
        ru.partition = Some(0);
    }
    sim.settle("partition 0: web-1 and web-0 follow, then the rollout completes");
    insta::assert_snapshot!(sim.log);
}

#[test]
fn snapshot_parallel_scale_up() {
    let mut sim = Sim::new(set(0, json!({"podManagementPolicy": "Parallel"})));
    sim.settle("replicas: 0");
    sim.set.spec.as_mut().expect("spec").replicas = Some(3);
    sim.settle("replicas: 3 (Parallel: every pod at once)");
    insta::assert_snapshot!(sim.log);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Op {
    Scale(i32),
    Kubelet,
    ReadyOne(usize),
    Fail(usize),
    Image(u8),
    GoneOne(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..5i32).prop_map(Op::Scale),
        Just(Op::Kubelet),
        (0..6usize).prop_map(Op::ReadyOne),
        (0..6usize).prop_map(Op::Fail),
        (1..3u8).prop_map(Op::Image),
        (0..6usize).prop_map(Op::GoneOne),
    ]
}

fn is_running_ready(p: &Pod) -> bool {
    p.status.as_ref().and_then(|s| s.phase.as_ref()) == Some(&PodPhase::Running)
        && kube_workloads::pod::is_pod_ready(p)
        && !p.metadata.is_terminating()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// OrderedReady never creates ordinal i+1 before 0..=i are Running and
    /// Ready; there are never two live pods with one ordinal; no claim is
    /// ever deleted, and under Retain no claim gets an owner reference the
    /// garbage collector would follow.
    #[test]
    fn ordered_ready_invariants(ops in proptest::collection::vec(op(), 1..24)) {
        let mut sim = Sim::new(set(3, json!({})));
        for op in ops {
            match op {
                Op::Scale(n) => sim.set.spec.as_mut().expect("spec").replicas = Some(n),
                Op::Kubelet => { let _ = sim.kubelet(); }
                Op::ReadyOne(i) => {
                    let now = sim.now;
                    if let Some(p) = sim.pods.get_mut(i) { ready(p, now) }
                }
                Op::Fail(i) => if let Some(p) = sim.pods.get_mut(i) {
                    p.status.get_or_insert_default().phase = Some(PodPhase::Failed);
                },
                Op::Image(v) => image(&mut sim.set, &format!("nginx:{v}")),
                Op::GoneOne(i) => if i < sim.pods.len() { sim.pods.remove(i); },
            }
            let before = sim.pods.clone();
            let actions = sim.reconcile();
            for a in &actions {
                if let Action::Create { object: Object::Pod(p) } = a {
                    let (_, ordinal) = parent_and_ordinal(p.metadata.name());
                    for lower in 0..ordinal {
                        let name = format!("web-{lower}");
                        let ok = before.iter().any(|q| q.metadata.name() == name && is_running_ready(q));
                        prop_assert!(ok, "created web-{} before {} was Running and Ready", ordinal, name);
                    }
                    let live = before.iter().any(|q| q.metadata.name() == p.metadata.name());
                    prop_assert!(!live, "two pods named {}", p.metadata.name());
                }
                if let Action::Delete { target, .. } = a {
                    prop_assert!(target.kind != "PersistentVolumeClaim", "a claim was deleted");
                }
            }
            for a in &actions { sim.apply(a); }
            for c in &sim.claims {
                prop_assert!(c.metadata.owner_references().is_empty(), "Retain claim got an owner");
            }
            let mut names: Vec<&str> = sim.pods.iter().map(|p| p.metadata.name()).collect();
            names.sort_unstable();
            let n = names.len();
            names.dedup();
            prop_assert_eq!(n, names.len());
        }
    }
}

// DECISIONS statefulset Q1: among pods with one ordinal, the one named as
// the identity (`<set>-<ordinal>`) is the replica, else the oldest, then
// the first by name; the others are condemned (upstream keeps whichever
// its list gives last, in computeReplicaStatus / the replicas slice of
// updateStatefulSet).
#[test]
fn pods_competing_for_an_ordinal() {
    let parallel = json!({"podManagementPolicy": "Parallel"});
    let mut sim = Sim::new(set(2, parallel.clone()));
    sim.settle("up");
    let twin = |from: &Pod, name: &str, created: Time| {
        let mut p = from.clone();
        p.metadata.name = Some(name.into());
        p.metadata.uid = Some(format!("uid-{name}"));
        p.metadata.creation_timestamp = Some(created);
        p
    };
    let web1 = sim.pods.iter().find(|p| p.metadata.name() == "web-1").cloned().expect("web-1");
    let older = t0().add_seconds(-100);

    // The identity wins over an older twin.
    sim.pods.push(twin(&web1, "web-01", older));
    let a = sim.reconcile();
    assert_eq!(deletes(&a), ["Pod web-01"], "{a:?}");

    // Without the identity: the oldest is the replica.
    sim.pods.retain(|p| p.metadata.name() != "web-1" && p.metadata.name() != "web-01");
    sim.pods.push(twin(&web1, "web-01", older));
    sim.pods.push(twin(&web1, "web-001", t0()));
    let a = sim.reconcile();
    assert_eq!(deletes(&a), ["Pod web-001"]);
    assert!(creates(&a).iter().all(|c| c != "Pod web-1"), "ordinal 1 has a replica: {a:?}");

    // Same age: the first by name ("web-001" < "web-01").
    sim.pods.retain(|p| !p.metadata.name().starts_with("web-0") || p.metadata.name() == "web-0");
    sim.pods.push(twin(&web1, "web-01", older));
    sim.pods.push(twin(&web1, "web-001", older));
    assert_eq!(deletes(&sim.reconcile()), ["Pod web-01"]);
}

// upstream: stateful_set_utils.go isClaimOwnerUpToDate under Retain /
// Retain: a claim that still carries the set's reference (left by an
// earlier Delete policy) is brought up to date, through a whole reconcile,
// even though claims without references need no lookup at all.
#[test]
fn retain_policy_removes_a_leftover_set_reference() {
    let mut sim = Sim::new(set(1, json!({})));
    sim.settle("up");
    let a = sim.reconcile();
    assert!(a.iter().all(|x| !matches!(x, Action::Update { object: Object::PersistentVolumeClaim(_), .. })));
    let claim = sim.claims.iter_mut().find(|c| c.metadata.name() == "data-web-0").expect("claim");
    claim.metadata.owner_references = Some(vec![serde_json::from_value(set_ref("uid-web")).expect("ref")]);
    let a = sim.reconcile();
    let updated: Vec<&PersistentVolumeClaim> = a
        .iter()
        .filter_map(|x| match x {
            Action::Update { object: Object::PersistentVolumeClaim(c), .. } => Some(&**c),
            _ => None,
        })
        .collect();
    assert_eq!(updated.len(), 1, "{a:?}");
    assert!(
        updated.iter().all(|c| c.metadata.owner_references.as_deref().unwrap_or_default().is_empty()),
        "the set's reference is removed: {updated:?}"
    );
}

#[test]
fn membership_reads_the_whole_set_name() {
    // upstream: stateful_set_utils.go isMemberOf (getParentName): the parent
    // is all before the last `-<digits>`, so for a set named `web-1` the pod
    // `web-10` belongs to a set `web`, and `web-1-01` (ordinal 1, not its
    // canonical name) belongs to `web-1`.
    let mut s = set(2, json!({"podManagementPolicy": "Parallel"}));
    s.metadata.name = Some("web-1".into());
    let mut sim = Sim::new(s);
    sim.settle("settle");
    let orphan = |name: &str| {
        let mut p = sim.pods.first().cloned().expect("a pod");
        p.metadata.name = Some(name.into());
        p.metadata.uid = Some(format!("uid-{name}"));
        p.metadata.owner_references = None;
        p
    };
    let (other_set, padded) = (orphan("web-10"), orphan("web-1-01"));
    sim.pods.push(other_set);
    sim.pods.push(padded);
    let adopted: Vec<String> = sim
        .reconcile()
        .iter()
        .filter_map(|a| match a {
            Action::Update { object: Object::Pod(p), change } if change == "adopt" => {
                Some(p.metadata.name().to_owned())
            }
            _ => None,
        })
        .collect();
    assert_eq!(adopted, ["web-1-01"]);
}

#[test]
fn an_unnamed_set_is_the_parent_of_names_without_an_ordinal() {
    // upstream: getParentName gives "" for a name without `-<digits>`, so a
    // set whose name is empty claims such pods; they hold no ordinal.
    let mut s = set(1, json!({}));
    s.metadata.name = Some(String::new());
    let mut sim = Sim::new(s);
    sim.settle("settle");
    let mut stray = sim.pods.first().cloned().expect("a pod");
    stray.metadata.name = Some("foo".into());
    stray.metadata.uid = Some("uid-foo".into());
    stray.metadata.owner_references = None;
    sim.pods.push(stray);
    let actions = sim.reconcile();
    let adopted = actions
        .iter()
        .any(|a| matches!(a, Action::Update { object: Object::Pod(p), change } if change == "adopt" && p.metadata.name() == "foo"));
    assert!(adopted);
    // No ordinal: neither a replica nor condemned, so never deleted
    // (upstream: pods with ordinal -1 fall in neither list).
    let deleted = actions.iter().any(|a| matches!(a, Action::Delete { target, .. } if target.name == "foo"));
    assert!(!deleted, "{actions:?}");
}

// `kubectl rollout status` (rollout_status.go StatefulSetStatusViewer)
// along a rolling update this reconcile drives: what a user watching it
// reads after each sync, each line once.
#[test]
fn rollout_status_follows_a_rolling_update() {
    let mut sim = Sim::new(set(3, json!({"podManagementPolicy": "Parallel"})));
    let mut seen: Vec<String> = Vec::new();
    let mut watch = |sim: &Sim| {
        let line = statefulset::rollout_status(&sim.set, None).to_string();
        if seen.last() != Some(&line) {
            seen.push(line);
        }
    };
    watch(&sim);
    sim.settle("up");
    watch(&sim);
    image(&mut sim.set, "nginx:2");
    watch(&sim);
    for _ in 0..12 {
        let _ = sim.sync();
        watch(&sim);
        let _ = sim.kubelet();
    }
    assert!(statefulset::rollout_status(&sim.set, None).is_final());
    assert_eq!(
        seen,
        [
            "Waiting for statefulset spec update to be observed...",
            "partitioned roll out complete: 3 new pods have been updated...",
            "Waiting for statefulset spec update to be observed...",
            // web-2 is deleted: still counted ready, none updated.
            "Waiting for partitioned roll out to finish: 0 out of 3 new pods have been updated...",
            // web-2 is gone, then back at the new revision but not ready.
            "Waiting for 1 pods to be ready...",
            "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...",
            "Waiting for 1 pods to be ready...",
            "Waiting for partitioned roll out to finish: 2 out of 3 new pods have been updated...",
            "Waiting for 1 pods to be ready...",
            "partitioned roll out complete: 3 new pods have been updated...",
        ],
        "{}",
        sim.log
    );
}

// upstream: newVersionedStatefulSetPod after SetDefaults_StatefulSet: a set
// without an update strategy is stored as RollingUpdate with
// `rollingUpdate: {partition: 0}`, so a replaced pod below the old
// currentReplicas gets the update revision; an explicit RollingUpdate
// without `rollingUpdate` stays nil there, and its pods below
// currentReplicas keep the current revision (statefulset.md §1, §5).
#[test]
fn a_missing_update_strategy_recreates_pods_at_the_update_revision() {
    for (strategy, at_update) in
        [(json!({}), true), (json!({"updateStrategy": {"type": "RollingUpdate"}}), false)]
    {
        let mut sim = Sim::new(set(3, strategy.clone()));
        sim.settle("up");
        image(&mut sim.set, "nginx:2");
        sim.sync();
        let status = sim.set.status.clone().expect("status");
        assert_eq!(status.current_replicas, Some(2), "{strategy}");
        // Someone deletes web-1 outright.
        sim.pods.retain(|p| p.metadata.name() != "web-1");
        let a = sim.sync();
        let revision = a.iter().find_map(|x| match x {
            Action::Create { object: Object::Pod(p) } if p.metadata.name() == "web-1" => {
                p.metadata.label(CONTROLLER_REVISION_HASH_LABEL).map(str::to_owned)
            }
            _ => None,
        });
        let want = if at_update { status.update_revision } else { status.current_revision };
        assert_eq!(revision, want, "{strategy}: {a:?}");
    }
}

// apps/v1 StatefulSetStatus has `availableReplicas` without omitempty, so
// the status the controller writes carries it even at 0.
#[test]
fn status_writes_available_replicas_zero() {
    let s = set(1, json!({}));
    let actions = statefulset::reconcile(&s, &Observed { pods: &[], claims: &[], revisions: &[] }, t0());
    let written = actions
        .iter()
        .find_map(|a| match a {
            Action::UpdateStatus { object: Object::StatefulSet(s) } => s.status.clone(),
            _ => None,
        })
        .expect("a status write");
    assert_eq!(serde_json::to_value(&written).unwrap()["availableReplicas"], json!(0));
}
