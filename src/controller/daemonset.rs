//! The DaemonSet controller: one pod on every node that should run it,
//! rolled node by node.
//!
//! upstream: pkg/controller/daemon/daemon_controller.go (syncDaemonSet,
//! updateDaemonSet, manage, podsShouldBeOnNode, syncNodes,
//! getNodesToDaemonPods, getUnscheduledPodsWithoutNode,
//! updateDaemonSetStatus, storeDaemonSetStatus, NodeShouldRunDaemonPod,
//! predicates, NewPod, podByCreationTimestampAndPhase,
//! failedPodsBackoffKey), update.go (rollingUpdate, findUpdatedPodsOnNode,
//! updatedDesiredNodeCounts, constructHistory, dedupCurHistories,
//! cleanupHistory, snapshot, Match, getPatch),
//! util/daemonset_util.go (AddOrUpdateDaemonPodTolerations,
//! CreatePodTemplate, AllowsSurge, SurgeCount, UnavailableCount,
//! IsPodUpdated, ReplaceDaemonSetPodNodeNameNodeAffinity,
//! GetTargetNodeName, GetTemplateGeneration); client-go
//! util/flowcontrol/backoff.go (Next, IsInBackOffSinceUpdate).
//!
//! One reconcile is [`reconcile`]. Actions come in this order:
//!
//! 1. adoptions and releases of pods and ControllerRevisions (name order);
//! 2. the current revision: `create ControllerRevision ns/<ds>-<hash>`, or
//!    its revision number raised, every pod with another hash relabelled
//!    and the duplicates deleted; owned
//!    revisions without the `controller-revision-hash` label get it (their
//!    name), the raised one in the same update;
//! 3. the per-node pass's (`manage`) `FailedDaemonPod` /
//!    `SucceededDaemonPod` events;
//! 4. the creates (`create Pod ns/<ds>-`, bound to their node, to be issued
//!    in slow-start batches): the per-node pass's, nodes by name, at most
//!    250; then the rolling update's, computed on the state after the
//!    per-node pass (semantics daemonset.md §9), at most 250 on their own
//!    (upstream's second `syncNodes` call: one sync may issue 500, as
//!    upstream's does over its two calls); then the deletes, in the same two
//!    groups with the same caps;
//! 5. deletes of ControllerRevisions beyond `revisionHistoryLimit`;
//! 6. the status write, when it changed;
//! 7. the memory to store ([`Action::Remember`]), when it changed;
//! 8. one requeue: a failed-pod back-off's whole delay from now (as
//!    upstream's `AddAfter(key, backoff)`), or the instant the next ready
//!    pod becomes available, whichever is first.
//!
//! # Deviations
//! - The failed-pod back-off and the expectations are controller memory
//!   ([`DaemonSetMemory`], DECISIONS G1); back-off entries that expired
//!   (older than 30 minutes) are dropped from it, as upstream's periodic GC.
//! - Nodes and the nodes of the rolling update are visited by name
//!   (DECISIONS G2); upstream iterates a Go map. A node's own pods are
//!   walked by name too (upstream: the lister's order), which decides the
//!   failed pod that takes the back-off and the order of the deletes.
//! - The ControllerRevision hash is the crate's `pod-template-hash`
//!   ([`crate::controller::deployment::pod_template_hash`]), as upstream
//!   uses `ComputeHash` for both; revisions match by data, never by name.
//!   A name clash raises `collisionCount` within the same reconcile. A
//!   revision of the new one's name that the DaemonSet does not own but
//!   that holds the same data (a DaemonSet recreated with its template
//!   before the old revisions are collected) is not reused: the create
//!   fails until the garbage collector removes it (upstream's snapshot
//!   reuses it on AlreadyExists). A revision adopted in this sync that
//!   needs a higher revision number gets it in the next sync (upstream's
//!   update of it fails on a conflict, which ends that sync; here the rest
//!   of the sync goes on).
//! - The rolling update treats a node absent from the node list as one that
//!   should not run the pod (upstream errors out of the rolling update).
//! - The rolling update sees the nodes that should run a pod or still have
//!   one after the per-node pass: a node whose pods that pass deleted drops
//!   out, as in upstream's unit tests, whose fake pod control applies
//!   deletions at once.
//! - The rolling update runs in the same reconcile as the per-node pass's
//!   creates and deletes (semantics daemonset.md §9, as upstream's unit
//!   tests see it). In a live cluster upstream's updateDaemonSet runs it
//!   only once the expectations that pass set are satisfied, so a sync
//!   that deleted a failed pod makes no rolling-update deletes: the crate
//!   reaches the same end state in fewer reconciles.
//! - Unset `maxUnavailable` / `maxSurge` (or `rollingUpdate`) take the API
//!   server's defaults, 1 and 0; a percentage that does not parse counts as
//!   the default.
//! - An empty selector, `{}`, `{matchLabels: {}}` or `{matchExpressions:
//!   []}`, is `SelectingAll` (DECISIONS G5); upstream stops only for a
//!   literal `{}` and lets the others select every pod (validation refuses
//!   all three).
//! - The `minReadySeconds` requeue is at the exact instant the next ready
//!   pod becomes available (DECISIONS G4).
//! - The status counts the observed pods, before this reconcile's creates
//!   and deletes (semantics daemonset.md §9): a first sync over five empty
//!   nodes writes `currentNumberScheduled: 0`. Upstream's
//!   updateDaemonSetStatus lists the pods again after its creates, so what
//!   it counts depends on how far its informer has caught up (its unit
//!   tests, whose fake pod control stores pods at once, see 5); both reach
//!   the same status once the pods are observed.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::FeatureGates;
use crate::api::{
    Affinity, ControllerRevision, DaemonSet, DaemonSetSpec, DaemonSetStatus, DaemonSetUpdateStrategyType,
    IntOrString, LabelSelector, Node, NodeAffinity, NodeSelector, NodeSelectorOperator,
    NodeSelectorRequirement, NodeSelectorTerm, ObjectMeta, Pod, PodPhase, PodSpec, PodTemplateSpec, Resource,
    TaintEffect, Time, Toleration, TolerationOperator,
};
use crate::pod::ready_long_enough;
use crate::pod::{available_at, ready_true_condition};
use crate::scheduling::{self, RequiredNodeAffinity};
use crate::selector::Selector;
use crate::text::same_str;
use crate::validation::go_quote;

use super::deployment::pod_template_hash;
use super::statefulset::revision_data;
use super::{
    Action, ControllerMemory, Event, EventType, Expectations, FastMap, FastSet, PodKey, controller_ref,
    pod_from_template,
};

/// The label with the hash of the template a daemon pod was made from.
pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller-revision-hash";
/// The deprecated label with the DaemonSet's template generation.
pub const TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
/// The deprecated annotation with the DaemonSet's template generation.
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";
/// Upstream's `BurstReplicas` for DaemonSets: the most creates, and the most
/// deletes, of one sync.
pub const BURST_REPLICAS: usize = 250;
/// The first failed-pod back-off delay (kube-controller-manager: 1 s).
pub const FAILED_POD_BACKOFF_INITIAL_SECONDS: i64 = 1;
/// The longest failed-pod back-off delay (kube-controller-manager: 15 min).
pub const FAILED_POD_BACKOFF_MAX_SECONDS: i64 = 900;

/// What a DaemonSet reconcile reads.
#[derive(Clone, Copy, Debug)]
pub struct Observed<'a> {
    /// The pods of the DaemonSet's namespace (others are ignored).
    pub pods: &'a [Pod],
    /// Every node of the cluster.
    pub nodes: &'a [Node],
    /// The ControllerRevisions of the DaemonSet's namespace.
    pub revisions: &'a [ControllerRevision],
    /// The memory handed back by the previous reconcile (`Default` for a
    /// fresh controller).
    pub memory: &'a DaemonSetMemory,
}

/// Settings of the controller.
#[derive(Clone, Debug)]
pub struct Config {
    /// Feature gates (`TaintTolerationComparisonOperators`).
    pub gates: FeatureGates,
    /// The most creates, and the most deletes, in one sync (upstream 250).
    pub burst_replicas: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config { gates: FeatureGates::default(), burst_replicas: BURST_REPLICAS }
    }
}

// ---------------------------------------------------------------------------
// Memory
// ---------------------------------------------------------------------------

/// One failed-pod back-off record (upstream: `flowcontrol.backoffEntry`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackoffEntry {
    /// The current delay, in seconds.
    pub delay_seconds: i64,
    /// When the delay was last raised; stored with its fraction of a
    /// second, as upstream's clock reading is kept whole.
    #[serde(with = "super::precise_time::required")]
    pub last_update: Time,
}

/// The memory of the DaemonSet controller for one DaemonSet (DECISIONS G1).
/// `Default` is a freshly started controller.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonSetMemory {
    /// Creates and deletes not yet observed.
    #[serde(default)]
    pub expectations: Expectations,
    /// Failed-pod back-off per `<uid>/<observedGeneration>/<node>`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub failed_pod_backoff: BTreeMap<String, BackoffEntry>,
}

impl DaemonSetMemory {
    /// A create failed or was skipped: one creation less is expected.
    ///
    /// A create refused because the namespace is terminating (status cause
    /// `NamespaceTerminating`) keeps the expectation upstream (syncNodes
    /// returns without `CreationObserved`), so an executor should not report
    /// it here.
    pub fn create_failed(&mut self) {
        self.expectations.creates = self.expectations.creates.saturating_sub(1);
    }

    /// A delete failed, or answered NotFound: the pod is no longer expected
    /// to go (upstream: `DeletionObserved` on any delete error; only the
    /// others are errors of the sync).
    pub fn delete_failed(&mut self, name: &str) {
        self.expectations.deletion_observed(name);
    }
}

impl fmt::Display for DaemonSetMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expectations)?;
        for (key, b) in &self.failed_pod_backoff {
            let node = key.rsplit('/').next().unwrap_or(key);
            write!(f, ", back-off {}s on {node}", b.delay_seconds)?;
        }
        Ok(())
    }
}

fn backoff_expired(entry: &BackoffEntry, now: Time) -> bool {
    // upstream: hasExpired, `eventTime.Sub(lastUpdate) > 2*maxDuration`.
    let max = Duration::from_secs(u64::try_from(FAILED_POD_BACKOFF_MAX_SECONDS).unwrap_or(u64::MAX));
    entry.last_update.duration_until(now) > max.saturating_mul(2)
}

// ---------------------------------------------------------------------------
// Daemon pods
// ---------------------------------------------------------------------------

/// The tolerations the controller adds to every daemon pod, in upstream's
/// order (upstream: `AddOrUpdateDaemonPodTolerations`); the
/// network-unavailable one only with `hostNetwork`.
pub fn daemon_tolerations(host_network: bool) -> Vec<Toleration> {
    let tol = |key: &str, effect: TaintEffect| Toleration {
        key: Some(key.to_owned()),
        operator: Some(TolerationOperator::Exists),
        effect: Some(effect),
        ..Toleration::default()
    };
    let mut out = vec![
        tol(scheduling::TAINT_NODE_NOT_READY, TaintEffect::NoExecute),
        tol(scheduling::TAINT_NODE_UNREACHABLE, TaintEffect::NoExecute),
        tol(scheduling::TAINT_NODE_DISK_PRESSURE, TaintEffect::NoSchedule),
        tol(scheduling::TAINT_NODE_MEMORY_PRESSURE, TaintEffect::NoSchedule),
        tol(scheduling::TAINT_NODE_PID_PRESSURE, TaintEffect::NoSchedule),
        tol(scheduling::TAINT_NODE_UNSCHEDULABLE, TaintEffect::NoSchedule),
    ];
    if host_network {
        out.push(tol(scheduling::TAINT_NODE_NETWORK_UNAVAILABLE, TaintEffect::NoSchedule));
    }
    out
}

/// Adds or updates one toleration (upstream:
/// `AddOrUpdateTolerationInPodSpec`): every toleration with the same key,
/// operator, value and effect is replaced in place by it; with none, it is
/// appended. Upstream's early exit for an identical toleration compares a
/// pointer with a value and never fires, so a second matching toleration
/// (another `tolerationSeconds`) is replaced too.
pub fn add_or_update_toleration(spec: &mut PodSpec, toleration: &Toleration) {
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    let mut replaced = false;
    for t in tolerations.iter_mut() {
        if scheduling::tolerations_match(t, toleration) {
            *t = toleration.clone();
            replaced = true;
        }
    }
    if !replaced {
        tolerations.push(toleration.clone());
    }
}

/// Adds the daemon tolerations to a pod spec.
pub fn add_daemon_tolerations(spec: &mut PodSpec) {
    for t in daemon_tolerations(spec.host_network.unwrap_or(false)) {
        add_or_update_toleration(spec, &t);
    }
}

/// Binds a pod to a node with required node affinity on `metadata.name`,
/// replacing any required terms (upstream:
/// `ReplaceDaemonSetPodNodeNameNodeAffinity`).
pub fn bind_to_node(affinity: Option<Affinity>, node: &str) -> Affinity {
    let term = NodeSelectorTerm {
        match_fields: Some(vec![NodeSelectorRequirement {
            key: scheduling::FIELD_METADATA_NAME.to_owned(),
            operator: NodeSelectorOperator::In,
            values: Some(vec![node.to_owned()]),
            ..Default::default()
        }]),
        ..Default::default()
    };
    let mut affinity = affinity.unwrap_or_default();
    let node_affinity = affinity.node_affinity.get_or_insert_with(NodeAffinity::default);
    let required = node_affinity
        .required_during_scheduling_ignored_during_execution
        .get_or_insert_with(NodeSelector::default);
    required.node_selector_terms = vec![term];
    affinity
}

/// The node a daemon pod belongs to (upstream: `GetTargetNodeName`):
/// `spec.nodeName`, else the single value of the first `metadata.name In`
/// field requirement of the required node affinity.
pub fn target_node_name(pod: &Pod) -> Option<&str> {
    let spec = pod.spec.as_ref()?;
    if let Some(n) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        return Some(n);
    }
    for term in scheduling::required_node_selector_terms(pod)? {
        for req in term.match_fields.as_deref().unwrap_or_default() {
            if req.key == scheduling::FIELD_METADATA_NAME
                && *req.operator_as_read() == NodeSelectorOperator::In
            {
                return match req.values.as_deref().unwrap_or_default() {
                    [one] => Some(one.as_str()),
                    _ => None,
                };
            }
        }
    }
    None
}

fn template_generation(ds: &DaemonSet) -> Option<i64> {
    ds.metadata.annotation(TEMPLATE_GENERATION_ANNOTATION)?.parse().ok()
}

/// Whether a pod runs the current template (upstream: `IsPodUpdated`).
pub fn is_pod_updated(pod: &Pod, hash: &str, template_generation: Option<i64>) -> bool {
    let generation = template_generation.map(|g| g.to_string());
    let hash_label = pod.metadata.label(CONTROLLER_REVISION_HASH_LABEL);
    updated_by_labels(&pod.metadata, hash_label, hash, generation.as_deref())
}

/// [`is_pod_updated`] given the pod's revision hash label and the template
/// generation already spelled as its label, so a reconcile reads the one
/// and formats the other once rather than per pod.
fn updated_by_labels(
    meta: &ObjectMeta,
    hash_label: Option<&str>,
    hash: &str,
    generation: Option<&str>,
) -> bool {
    let hash_matches = !hash.is_empty() && hash_label.is_some_and(|h| same_str(h, hash));
    hash_matches || generation.is_some_and(|g| meta.label(TEMPLATE_GENERATION_LABEL) == Some(g))
}

/// The template daemon pods are made from (upstream: `CreatePodTemplate`):
/// the DaemonSet's, with the daemon tolerations and the revision labels.
pub fn pod_template(ds: &DaemonSet, hash: &str) -> PodTemplateSpec {
    let mut t = ds.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    add_daemon_tolerations(t.spec.get_or_insert_default());
    let meta = t.metadata.get_or_insert_default();
    if let Some(g) = template_generation(ds) {
        meta.set_label(TEMPLATE_GENERATION_LABEL, g.to_string());
    }
    if !hash.is_empty() {
        meta.set_label(CONTROLLER_REVISION_HASH_LABEL, hash);
    }
    t
}

/// The decision for one node, precomputed once per reconcile.
struct Placement {
    template_node: Option<String>,
    affinity: RequiredNodeAffinity,
    tolerations: Vec<Toleration>,
    gates: FeatureGates,
}

impl Placement {
    fn new(ds: &DaemonSet, gates: &FeatureGates) -> Placement {
        let mut spec = ds.spec.as_ref().and_then(|s| s.template.spec.clone()).unwrap_or_default();
        add_daemon_tolerations(&mut spec);
        Placement {
            template_node: spec.node_name.clone().filter(|n| !n.is_empty()),
            affinity: RequiredNodeAffinity::of_spec(&spec),
            tolerations: spec.tolerations.unwrap_or_default(),
            gates: gates.clone(),
        }
    }

    /// upstream: NodeShouldRunDaemonPod
    fn should_run(&self, node: &Node) -> (bool, bool) {
        if self.template_node.as_deref().is_some_and(|n| n != node.metadata.name()) {
            return (false, false);
        }
        if !self.affinity.matches(node) {
            return (false, false);
        }
        let taints = node.spec.as_ref().map(|s| s.taints()).unwrap_or_default();
        let untolerated = |filter: fn(&crate::api::Taint) -> bool| {
            scheduling::find_untolerated_taint(taints, &self.tolerations, filter, &self.gates).is_some()
        };
        if !untolerated(scheduling::is_do_not_schedule_taint) {
            return (true, true);
        }
        (false, !untolerated(|t| *t.effect_as_read() == TaintEffect::NoExecute))
    }
}

/// Whether a node should run the DaemonSet's pod (`.0`: create one if
/// missing) and may keep running one (`.1`) (upstream:
/// `NodeShouldRunDaemonPod`): the template's `nodeName`, `nodeSelector` and
/// required node affinity, and the `NoSchedule` / `NoExecute` taints against
/// the template's tolerations plus the daemon tolerations. Resources, ports
/// and `spec.unschedulable` are not looked at.
pub fn node_should_run_daemon_pod(node: &Node, ds: &DaemonSet, gates: &FeatureGates) -> (bool, bool) {
    Placement::new(ds, gates).should_run(node)
}

fn phase(pod: &Pod) -> Option<&PodPhase> {
    pod.status.as_ref().and_then(|s| s.phase.as_ref())
}

fn is_terminal(pod: &Pod) -> bool {
    phase(pod).is_some_and(PodPhase::is_terminal)
}

fn has_node_name(pod: &Pod) -> bool {
    pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty())
}

/// upstream: podByCreationTimestampAndPhase (scheduled first, then older,
/// then by name).
fn by_creation_and_phase(a: &&Pod, b: &&Pod) -> std::cmp::Ordering {
    has_node_name(b)
        .cmp(&has_node_name(a))
        .then_with(|| {
            let key = |p: &Pod| (p.metadata.creation_timestamp.is_some(), p.metadata.creation_timestamp);
            key(a).cmp(&key(b))
        })
        .then_with(|| a.metadata.name().cmp(b.metadata.name()))
}

fn is_empty_selector(s: &LabelSelector) -> bool {
    s.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && s.match_expressions.as_ref().is_none_or(|e| e.is_empty())
}

/// The status counts (upstream: updateDaemonSetStatus).
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    desired: i32,
    current: i32,
    misscheduled: i32,
    ready: i32,
    updated: i32,
    available: i32,
}

/// A pod in the rolling-update view: observed, or created by this
/// reconcile's per-node pass.
#[derive(Clone, Copy)]
enum View<'f, 'a> {
    Observed(&'f Facts<'a>),
    New,
}

// ---------------------------------------------------------------------------
// Reconcile
// ---------------------------------------------------------------------------

/// Reconciles a DaemonSet with the default [`Config`].
pub fn reconcile(desired: &DaemonSet, observed: &Observed<'_>, now: Time) -> Vec<Action> {
    reconcile_with(desired, observed, now, &Config::default())
}

/// Reconciles a DaemonSet (upstream: `syncDaemonSet`).
pub fn reconcile_with(
    desired: &DaemonSet,
    observed: &Observed<'_>,
    now: Time,
    config: &Config,
) -> Vec<Action> {
    let ds = desired;
    let default_spec;
    let spec: &DaemonSetSpec = match &ds.spec {
        Some(s) => s,
        None => {
            default_spec = DaemonSetSpec::default();
            &default_spec
        }
    };
    let ds_ref = ds.object_ref();
    let mut actions = Vec::new();
    // A null or missing selector is Go's nil one: not `SelectingAll`, and it
    // selects nothing (DECISIONS G5).
    let declared = ds.spec.as_ref().filter(|s| !s.is_unset_on_wire("selector")).map(|s| &s.selector);
    if declared.is_some_and(is_empty_selector) {
        actions.push(Action::Event(Event {
            regarding: ds_ref,
            type_: EventType::Warning,
            reason: "SelectingAll".into(),
            message: "This daemon set is selecting all pods. A non-empty selector is required.".into(),
        }));
        return actions;
    }
    if ds.metadata.is_terminating() {
        return actions;
    }
    let ns = ds.metadata.namespace();
    let uid = ds.metadata.uid();
    let old_status = ds.status.clone().unwrap_or_default();
    // One that does not convert stops the sync before it touches anything
    // (upstream: syncDaemonSet fails in constructHistory).
    let Ok(selector) = Selector::from_optional_label_selector(declared) else {
        return actions;
    };
    let reference = controller_ref(DaemonSet::API_VERSION, DaemonSet::KIND, &ds.metadata);
    let memory = observed.memory;
    let mut new_memory = memory.clone();
    new_memory.failed_pod_backoff.retain(|_, e| !backoff_expired(e, now));

    // Claim revisions, then pods (upstream: controlledHistories,
    // getDaemonPods): the revisions decide the hash the pods' facts compare
    // against, so each pod is read once, while it is claimed. The patches
    // still come pods first, then by name.
    let mut revision_patches: Vec<Action> = Vec::new();
    let mut revisions: Vec<&ControllerRevision> = super::claim_all(
        observed.revisions.iter().filter(|r| r.metadata.namespace() == ns),
        &ds.metadata,
        &reference,
        |r: &ControllerRevision| selector.matches(&r.metadata),
        &mut revision_patches,
    );
    revisions.sort_by(|a, b| (a.revision, a.metadata.name()).cmp(&(b.revision, b.metadata.name())));

    let mut revision_actions: Vec<Action> = Vec::new();
    let mut duplicates: Vec<&ControllerRevision> = Vec::new();
    let mut revision_bump: Option<Action> = None;
    // upstream: constructHistory.
    let data = revision_data(&spec.template);
    let mut collision_count = old_status.collision_count;
    let (current, old): (Vec<&ControllerRevision>, Vec<&ControllerRevision>) =
        revisions.iter().partition(|r| r.data.as_ref() == Some(&data));
    let next_number = old.iter().map(|r| r.revision).max().unwrap_or(0).saturating_add(1);
    let hash_of = |r: &ControllerRevision| {
        r.metadata.label(CONTROLLER_REVISION_HASH_LABEL).unwrap_or(r.metadata.name()).to_owned()
    };
    let hash: String = match current.iter().max_by_key(|r| r.revision) {
        None => {
            let mut hash = pod_template_hash(&spec.template, collision_count);
            for _ in 0..1000 {
                let name = revision_name(ds, &hash);
                let clash = observed.revisions.iter().any(|r| {
                    r.metadata.namespace() == ns
                        && r.metadata.name() == name
                        && r.data.as_ref() != Some(&data)
                });
                if !clash {
                    break;
                }
                collision_count = Some(collision_count.unwrap_or(0).wrapping_add(1));
                hash = pod_template_hash(&spec.template, collision_count);
            }
            let mut labels =
                spec.template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
            labels.insert(CONTROLLER_REVISION_HASH_LABEL.into(), hash.clone());
            let mut rev = ControllerRevision {
                metadata: ObjectMeta {
                    name: Some(revision_name(ds, &hash)),
                    namespace: ds.metadata.namespace.clone(),
                    labels: Some(labels),
                    annotations: ds.metadata.annotations.clone(),
                    owner_references: Some(vec![reference.clone()]),
                    ..ObjectMeta::default()
                },
                data: Some(data.clone()),
                revision: next_number,
                ..Default::default()
            };
            rev.fill_type_meta();
            revision_actions.push(Action::Create { object: rev.into() });
            hash
        }
        Some(keep) => {
            // upstream: dedupCurHistories: relabel pods, delete the
            // duplicates.
            let keep_hash = hash_of(keep);
            // The relabels need the claimed pods: written after the claim.
            duplicates.extend(current.iter().filter(|r| !std::ptr::eq(**r, *keep)).copied());
            // One adopted by this sync is raised by the next: upstream's
            // update carries the stale resourceVersion and fails with a
            // conflict (and here it would undo the adoption).
            if keep.revision < next_number && keep.metadata.controller_ref().is_some() {
                let mut r = with_hash_label(keep);
                r.revision = next_number;
                r.fill_type_meta();
                revision_bump = Some(Action::Update {
                    object: r.into(),
                    change: format!("revision {} -> {next_number}", keep.revision),
                });
            }
            keep_hash
        }
    };
    // upstream: constructHistory gives every claimed revision without the
    // hash label its name as the label, before the dedup and the bump work
    // on it: here the bump carries the label, a duplicate (deleted) needs
    // none, and one adopted by this sync is labelled by the next (a second
    // update built from the same observation would undo the adoption).
    let bumped = revision_bump.as_ref().map(|a| a.target().name);
    for r in revisions.iter().filter(|r| r.metadata.controller_ref().is_some()) {
        let replaced =
            duplicates.iter().any(|d| std::ptr::eq(*d, *r)) || bumped.as_deref() == Some(r.metadata.name());
        if r.metadata.label(CONTROLLER_REVISION_HASH_LABEL).is_none() && !replaced {
            let mut labelled = with_hash_label(r);
            labelled.fill_type_meta();
            revision_actions.push(Action::Update {
                object: labelled.into(),
                change: format!("label {CONTROLLER_REVISION_HASH_LABEL}"),
            });
        }
    }
    let generation = template_generation(ds);

    // Group the pods by target node (upstream: getNodesToDaemonPods): the
    // nodes of the node list (by name, DECISIONS G2), then the nodes not in
    // the list by node name.
    let mut nodes: Vec<&Node> = observed.nodes.iter().collect();
    if !nodes.is_sorted_by(|a, b| a.metadata.name() <= b.metadata.name()) {
        nodes.sort_by(|a, b| a.metadata.name().cmp(b.metadata.name()));
    }
    // Everything the reconcile reads of a node, read in this one pass: at
    // thousands of nodes the pod pass in between evicts them, and a second
    // visit would miss each node again.
    let placement = Placement::new(ds, &config.gates);
    let mut names: Vec<&str> = Vec::with_capacity(nodes.len());
    let mut decisions: Vec<(bool, bool)> = Vec::with_capacity(nodes.len());
    for node in &nodes {
        names.push(node.metadata.name());
        decisions.push(placement.should_run(node));
    }
    let index: FastMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let probe = Probe { hash: &hash, generation: generation.map(|g| g.to_string()), min_ready, now };
    let mut patches: Vec<Action> = Vec::new();
    let mut grouping = Grouping::new(observed.pods.len());
    let pods: Vec<&Pod> = super::claim_all_map(
        observed.pods.iter().filter(|p| same_str(p.metadata.namespace(), ns)),
        &ds.metadata,
        &reference,
        |p: &Pod| selector.matches(&p.metadata),
        |p: &Pod| {
            grouping.push(p, &index, &probe);
            p
        },
        &mut patches,
    );
    let groups = grouping.finish(names.len());
    // upstream: dedupCurHistories: when there are duplicates, relabel every
    // claimed pod whose hash label is not the kept revision's (not only the
    // duplicates' pods: pods of older templates too, and pods without the
    // label, which then count as updated), then delete the duplicates; then
    // the kept revision's number. A pod this sync adopts gets the label in
    // its adoption: a second update built from the same observation would
    // undo the adoption (upstream relabels with a labels-only patch).
    let relabel: Vec<&Pod> = if duplicates.is_empty() {
        Vec::new()
    } else {
        pods.iter()
            .filter(|p| p.metadata.label(CONTROLLER_REVISION_HASH_LABEL) != Some(hash.as_str()))
            .copied()
            .collect()
    };
    for patch in &mut patches {
        if let Action::Update { object: crate::api::Object::Pod(p), change } = patch
            && change == "adopt"
            && relabel
                .iter()
                .any(|r| r.metadata.uid() == p.metadata.uid() && r.metadata.name() == p.metadata.name())
        {
            p.metadata.set_label(CONTROLLER_REVISION_HASH_LABEL, hash.clone());
            *change = format!("adopt, relabel to {hash}");
        }
    }
    patches.extend(revision_patches);
    patches.sort_by(|a, b| a.target().name.cmp(&b.target().name));
    actions.extend(patches);
    for pod in relabel.iter().filter(|p| p.metadata.controller_ref().is_some()) {
        let mut p = (*pod).clone();
        p.metadata.set_label(CONTROLLER_REVISION_HASH_LABEL, hash.clone());
        actions.push(Action::Update { object: p.into(), change: format!("relabel to {hash}") });
    }
    for dup in &duplicates {
        actions.push(Action::delete(namespaced(dup.object_ref(), ns)));
    }
    actions.extend(revision_actions);
    actions.extend(revision_bump);

    // Status over the observed pods (upstream: updateDaemonSetStatus).
    let mut st = Counts::default();
    let mut next_available: Option<Time> = None;
    for (slot, (should_run, _)) in decisions.iter().enumerate() {
        let on_node = groups.group(slot);
        if !should_run {
            if !on_node.is_empty() {
                st.misscheduled = st.misscheduled.saturating_add(1);
            }
            continue;
        }
        st.desired = st.desired.saturating_add(1);
        let Some(oldest) = on_node.first() else { continue };
        st.current = st.current.saturating_add(1);
        if oldest.ready {
            st.ready = st.ready.saturating_add(1);
            if oldest.available {
                st.available = st.available.saturating_add(1);
            } else if let Some(at) = available_at(oldest.pod, min_ready, now) {
                next_available = Some(next_available.map_or(at, |n| n.min(at)));
            }
        }
        if oldest.updated {
            st.updated = st.updated.saturating_add(1);
        }
        // The node's other pods count for the requeue too: a surge pod
        // waiting out minReadySeconds is not the oldest, and the old pod
        // goes only once it is available. Upstream's updatePod enqueues the
        // DaemonSet minReadySeconds after any of its pods turns ready.
        if min_ready > 0 {
            for f in on_node.iter().skip(1).filter(|f| f.ready && !f.available && !f.terminating) {
                if let Some(at) = available_at(f.pod, min_ready, now) {
                    next_available = Some(next_available.map_or(at, |n| n.min(at)));
                }
            }
        }
    }

    // Satisfied, the expectations are none unless the sync records new ones
    // below.
    let (satisfied, carried) =
        memory.expectations.sync_check(ds.metadata.namespace(), uid, observed.pods, now);
    new_memory.expectations = carried;
    let mut requeue: Option<Duration> = None;
    let want_requeue = |d: Duration, r: &mut Option<Duration>| *r = Some(r.map_or(d, |x| x.min(d)));
    if satisfied {
        let observed_generation = old_status.observed_generation.unwrap_or(0);
        let backoff_key = |node: &str| format!("{uid}/{observed_generation}/{node}");
        let mut events: Vec<Action> = Vec::new();
        let mut create_nodes: Vec<&str> = Vec::new();
        let mut delete_pods: Vec<&Pod> = Vec::new();
        let surge_allowed = surge_count(spec, 1) > 0;
        // Reused across nodes: one allocation for the whole pass.
        let mut running: Vec<&Facts<'_>> = Vec::new();
        let mut walk: Vec<&Facts<'_>> = Vec::new();
        // upstream: manage → podsShouldBeOnNode
        for ((slot, name), (should_run, should_continue)) in names.iter().copied().enumerate().zip(&decisions)
        {
            let on_node = groups.group(slot);
            if *should_run && on_node.is_empty() {
                create_nodes.push(name);
            } else if *should_continue {
                running.clear();
                // upstream walks the node's pods in the lister's order (none
                // in particular): by name here (DECISIONS G2), which decides
                // the failed pod that takes the back-off when several wait.
                walk.clear();
                walk.extend(on_node.iter().filter(|f| !f.terminating));
                if walk.len() > 1 {
                    walk.sort_by(|a, b| {
                        (a.pod.metadata.name(), a.pod.metadata.uid())
                            .cmp(&(b.pod.metadata.name(), b.pod.metadata.uid()))
                    });
                }
                for f in walk.iter().copied() {
                    let pod = f.pod;
                    match f.phase {
                        Some(PodPhase::Failed) => {
                            let key = backoff_key(name);
                            let entry =
                                new_memory.failed_pod_backoff.get(&key).filter(|e| !backoff_expired(e, now));
                            // upstream: IsInBackOffSinceUpdate, `eventTime.Sub(lastUpdate) < backoff`.
                            let delay_of = |e: &BackoffEntry| {
                                Duration::from_secs(u64::try_from(e.delay_seconds).unwrap_or(0))
                            };
                            if let Some(e) = entry.filter(|e| e.last_update.duration_until(now) < delay_of(e))
                            {
                                let delay = delay_of(e);
                                want_requeue(delay, &mut requeue);
                                continue;
                            }
                            let delay = match entry {
                                None => FAILED_POD_BACKOFF_INITIAL_SECONDS,
                                Some(e) => {
                                    e.delay_seconds.saturating_mul(2).min(FAILED_POD_BACKOFF_MAX_SECONDS)
                                }
                            };
                            new_memory
                                .failed_pod_backoff
                                .insert(key, BackoffEntry { delay_seconds: delay, last_update: now });
                            events.push(Action::Event(Event {
                                regarding: ds_ref.clone(),
                                type_: EventType::Warning,
                                reason: "FailedDaemonPod".into(),
                                message: format!(
                                    "Found failed daemon pod {}/{} on node {name}, will try to kill it",
                                    pod.metadata.namespace(),
                                    pod.metadata.name()
                                ),
                            }));
                            delete_pods.push(pod);
                        }
                        Some(PodPhase::Succeeded) => {
                            events.push(Action::Event(Event {
                                regarding: ds_ref.clone(),
                                type_: EventType::Normal,
                                reason: "SucceededDaemonPod".into(),
                                message: format!(
                                    "Found succeeded daemon pod {}/{} on node {name}, will try to delete it",
                                    pod.metadata.namespace(),
                                    pod.metadata.name()
                                ),
                            }));
                            delete_pods.push(pod);
                        }
                        _ => running.push(f),
                    }
                }
                // upstream sorts the running ones (podByCreationTimestampAndPhase).
                running.sort_by(|a, b| by_creation_and_phase(&a.pod, &b.pod));
                if !surge_allowed {
                    delete_pods.extend(running.iter().skip(1).map(|f| f.pod));
                } else if running.is_empty() {
                    if *should_run {
                        create_nodes.push(name);
                    }
                } else if running.len() > 1 {
                    let mut oldest_new: Option<&Facts<'_>> = None;
                    let mut oldest_old: Option<&Facts<'_>> = None;
                    for f in running.iter().copied() {
                        let slot = if f.hash_matches { &mut oldest_new } else { &mut oldest_old };
                        if slot.is_none() {
                            *slot = Some(f);
                        } else {
                            delete_pods.push(f.pod);
                        }
                    }
                    if let (Some(new), Some(old)) = (oldest_new, oldest_old)
                        && (!old.ready || new.available)
                    {
                        delete_pods.push(old.pod);
                    }
                }
            } else {
                delete_pods.extend(on_node.iter().filter(|f| !f.terminating).map(|f| f.pod));
            }
        }
        // upstream: getUnscheduledPodsWithoutNode
        delete_pods.extend(groups.unlisted().iter().filter(|f| !f.scheduled).map(|f| f.pod));
        create_nodes.truncate(config.burst_replicas);
        delete_pods.truncate(config.burst_replicas);
        actions.extend(events);

        let desired = st.desired;
        let mut creates: Vec<&str> = create_nodes.clone();
        let mut deletes: Vec<&Pod> = delete_pods.clone();
        // Every create or delete of upstream's rollingUpdate is for a node
        // with an old (not updated, not terminating) pod: with none, the
        // view after manage need not be built.
        if spec.update_strategy_type() == DaemonSetUpdateStrategyType::RollingUpdate && groups.any_old() {
            let view = rolling_view(&names, &decisions, &groups, &delete_pods, &create_nodes);
            let (more_creates, more_deletes) = rolling_update(spec, &view, desired);
            // Its own syncNodes call: capped at the burst on its own, as
            // manage's was above.
            creates.extend(more_creates.into_iter().take(config.burst_replicas));
            deletes.extend(more_deletes.into_iter().take(config.burst_replicas));
        }
        if !creates.is_empty() {
            let template = pod_template(ds, &hash);
            for node in &creates {
                let mut t = template.clone();
                let pspec = t.spec.get_or_insert_default();
                pspec.affinity = Some(bind_to_node(pspec.affinity.take(), node));
                let pod = pod_from_template(&t, &ds.metadata, reference.clone());
                actions.push(Action::Create { object: pod.into() });
            }
        }
        let mut keys = Vec::with_capacity(deletes.len());
        for pod in &deletes {
            keys.push(PodKey { name: pod.metadata.name().to_owned(), uid: pod.metadata.uid.clone() });
            actions.push(Action::delete(namespaced(pod.object_ref(), ns)));
        }
        if !creates.is_empty() || !deletes.is_empty() {
            keys.sort();
            new_memory.expectations = Expectations::record(
                now,
                u32::try_from(creates.len()).unwrap_or(u32::MAX),
                keys,
                pods.iter().copied(),
            );
        }

        // upstream: cleanupHistory
        let limit = usize::try_from(spec.revision_history_limit_or_default().max(0)).unwrap_or(0);
        let mut to_kill = old.len().saturating_sub(limit);
        // Hashes of the pods with a target node, terminal deleted ones
        // included (upstream: getNodesToDaemonPods(ds, true)).
        let live_hashes: FastSet<&str> = if to_kill > 0 {
            pods.iter()
                .filter(|p| target_node_name(p).is_some())
                .filter_map(|p| p.metadata.label(CONTROLLER_REVISION_HASH_LABEL))
                .filter(|h| !h.is_empty())
                .collect()
        } else {
            FastSet::default()
        };
        for r in &old {
            if to_kill == 0 {
                break;
            }
            if live_hashes.contains(hash_of(r).as_str()) {
                continue;
            }
            actions.push(Action::delete(namespaced(r.object_ref(), ns)));
            to_kill = to_kill.saturating_sub(1);
        }
    }

    // upstream: storeDaemonSetStatus
    let nz = |v: i32| (v != 0).then_some(v);
    let unavailable = st.desired.saturating_sub(st.available);
    let generation_now = ds.metadata.generation.unwrap_or(0);
    let observed_generation = if satisfied {
        ds.metadata.generation.or(old_status.observed_generation)
    } else {
        old_status.observed_generation
    };
    let z = |v: Option<i32>| v.unwrap_or(0);
    let unchanged = old_status.desired_number_scheduled == st.desired
        && old_status.current_number_scheduled == st.current
        && old_status.number_misscheduled == st.misscheduled
        && z(old_status.number_ready) == st.ready
        && z(old_status.updated_number_scheduled) == st.updated
        && z(old_status.number_available) == st.available
        && z(old_status.number_unavailable) == unavailable
        && old_status.observed_generation.unwrap_or(0) >= generation_now
        && old_status.collision_count == collision_count;
    if !unchanged {
        let mut out = ds.clone();
        out.fill_type_meta();
        out.status = Some(DaemonSetStatus {
            desired_number_scheduled: st.desired,
            current_number_scheduled: st.current,
            number_misscheduled: st.misscheduled,
            number_ready: Some(st.ready),
            updated_number_scheduled: nz(st.updated),
            number_available: nz(st.available),
            number_unavailable: nz(unavailable),
            observed_generation,
            collision_count,
            conditions: old_status.conditions.clone(),
            other: old_status.other.clone(),
            absent_keys: Default::default(),
        });
        actions.push(Action::UpdateStatus { object: out.into() });
    }
    // The orphans this sync adopts (claimed without a controller reference)
    // are none of its creations, whether the expectations were recorded
    // above or carried over.
    for pod in pods.iter().filter(|p| p.metadata.controller_ref().is_none()) {
        new_memory.expectations.adopted(pod);
    }
    if new_memory != *memory {
        actions.push(Action::Remember {
            owner: ds_ref.clone(),
            memory: ControllerMemory::DaemonSet(new_memory),
        });
    }
    if min_ready > 0 {
        match next_available {
            Some(at) => want_requeue(now.duration_until(at), &mut requeue),
            // A ready pod with no instant to wait for (no transition time):
            // upstream's updateDaemonSetStatus requeues minReadySeconds later
            // whenever ready and available differ.
            None if st.ready != st.available => {
                want_requeue(Duration::from_secs(u64::try_from(min_ready).unwrap_or(0)), &mut requeue);
            }
            None => {}
        }
    }
    if let Some(after) = requeue {
        actions.push(Action::Requeue { target: ds_ref, after });
    }
    actions
}

fn namespaced(mut r: crate::api::ObjectRef, ns: &str) -> crate::api::ObjectRef {
    if r.namespace.is_none() {
        r.namespace = Some(ns.to_owned());
    }
    r
}

fn rolling_params(spec: &DaemonSetSpec) -> (IntOrString, IntOrString) {
    let ru = spec.update_strategy.as_ref().and_then(|s| s.rolling_update.as_ref());
    (
        ru.and_then(|r| r.max_unavailable.clone()).unwrap_or(IntOrString::Int(1)),
        ru.and_then(|r| r.max_surge.clone()).unwrap_or(IntOrString::Int(0)),
    )
}

/// The name of the DaemonSet's revision with `hash`: the whole name, a dash
/// and the hash (upstream: `snapshot`; unlike the StatefulSet's
/// `ControllerRevisionName`, nothing is cut).
fn revision_name(ds: &DaemonSet, hash: &str) -> String {
    format!("{}-{hash}", ds.metadata.name())
}

/// A copy of `r` with the hash label, its name when it has none (upstream:
/// constructHistory).
fn with_hash_label(r: &ControllerRevision) -> ControllerRevision {
    let mut out = r.clone();
    if out.metadata.label(CONTROLLER_REVISION_HASH_LABEL).is_none() {
        out.metadata.set_label(CONTROLLER_REVISION_HASH_LABEL, r.metadata.name().to_owned());
    }
    out
}

/// upstream: SurgeCount (percentages round up).
fn surge_count(spec: &DaemonSetSpec, desired: i32) -> i32 {
    if spec.update_strategy_type() != DaemonSetUpdateStrategyType::RollingUpdate {
        return 0;
    }
    rolling_params(spec).1.scaled_value(desired, true).unwrap_or(0)
}

/// The rolling-update budget for `desired` nodes: (maxSurge,
/// maxUnavailable), percentages rounded up, and maxUnavailable raised to 1
/// when both are 0 (upstream: `updatedDesiredNodeCounts`).
pub fn rolling_update_budget(ds: &DaemonSet, desired: i32) -> (i32, i32) {
    let spec = ds.spec.clone().unwrap_or_default();
    budget(&spec, desired)
}

fn budget(spec: &DaemonSetSpec, desired: i32) -> (i32, i32) {
    // Another strategy counts 0 and 0 (UnavailableCount, SurgeCount), which
    // the rule below then raises like any other pair of zeros.
    let (max_surge, max_unavailable) =
        if spec.update_strategy_type() == DaemonSetUpdateStrategyType::RollingUpdate {
            let (mu, ms) = rolling_params(spec);
            (ms.scaled_value(desired, true).unwrap_or(0), mu.scaled_value(desired, true).unwrap_or(1))
        } else {
            (0, 0)
        };
    if desired > 0 && max_unavailable == 0 && max_surge == 0 {
        return (0, 1);
    }
    (max_surge, max_unavailable)
}

/// What the reconcile reads of one grouped pod, read once in
/// [`Grouping`]: the status, the per-node pass and the rolling update
/// then test these flags instead of going back to the pod, whose fields are
/// scattered over the heap.
#[derive(Clone, Copy)]
struct Facts<'a> {
    pod: &'a Pod,
    /// The target node's name.
    node: &'a str,
    /// The group: a node-list index, or past the node list for the nodes
    /// not in it.
    slot: usize,
    phase: Option<&'a PodPhase>,
    terminating: bool,
    /// `spec.nodeName` is set.
    scheduled: bool,
    ready: bool,
    available: bool,
    /// upstream: IsPodUpdated.
    updated: bool,
    /// The revision hash label is the current hash (the surge pass's test).
    hash_matches: bool,
}

/// The per-reconcile inputs of [`Facts`].
struct Probe<'h> {
    hash: &'h str,
    /// The template generation as the label spells it.
    generation: Option<String>,
    min_ready: i32,
    now: Time,
}

impl Probe<'_> {
    fn facts<'a>(&self, pod: &'a Pod, node: &'a str, slot: usize) -> Facts<'a> {
        let hash_label = pod.metadata.label(CONTROLLER_REVISION_HASH_LABEL);
        let ready = ready_true_condition(pod);
        Facts {
            pod,
            node,
            slot,
            phase: phase(pod),
            terminating: pod.metadata.is_terminating(),
            scheduled: has_node_name(pod),
            ready: ready.is_some(),
            available: ready.is_some_and(|c| ready_long_enough(c, self.min_ready, self.now)),
            updated: updated_by_labels(&pod.metadata, hash_label, self.hash, self.generation.as_deref()),
            hash_matches: hash_label.is_some_and(|h| same_str(h, self.hash)),
        }
    }
}

/// The pods with a target node grouped by node (upstream:
/// getNodesToDaemonPods), flat: the groups of the node list by index, then
/// those of the nodes not in the list by name, each ordered by
/// [`by_creation_and_phase`]. Terminal pods being deleted are left out.
struct Groups<'a> {
    facts: Vec<Facts<'a>>,
    /// Where each group starts in `facts`, and one past the last.
    starts: Vec<usize>,
    listed: usize,
}

/// [`Groups`] being built, one claimed pod at a time.
struct Grouping<'a> {
    facts: Vec<Facts<'a>>,
    /// The nodes not in the node list, by name (their slots are given at
    /// the end).
    unlisted: BTreeMap<&'a str, usize>,
}

impl<'a> Grouping<'a> {
    fn new(capacity: usize) -> Grouping<'a> {
        Grouping { facts: Vec::with_capacity(capacity), unlisted: BTreeMap::new() }
    }

    /// One claimed pod, in claim order.
    fn push(&mut self, pod: &'a Pod, index: &FastMap<&str, usize>, probe: &Probe<'_>) {
        let Some(node) = target_node_name(pod) else { return };
        if is_terminal(pod) && pod.metadata.is_terminating() {
            return;
        }
        let slot = match index.get(node) {
            Some(i) => *i,
            None => {
                self.unlisted.insert(node, usize::MAX);
                usize::MAX
            }
        };
        self.facts.push(probe.facts(pod, node, slot));
    }

    /// The groups; `listed` is the length of the node list.
    fn finish(self, listed: usize) -> Groups<'a> {
        let Grouping { mut facts, mut unlisted } = self;
        if !unlisted.is_empty() {
            for (rank, slot) in unlisted.values_mut().enumerate() {
                *slot = listed.saturating_add(rank);
            }
            for f in facts.iter_mut().filter(|f| f.slot == usize::MAX) {
                f.slot = unlisted.get(f.node).copied().unwrap_or(usize::MAX);
            }
        }
        // Stable: a group keeps the claim order until its own sort.
        if !facts.is_sorted_by_key(|f| f.slot) {
            facts.sort_by_key(|f| f.slot);
        }
        let slots = listed.saturating_add(unlisted.len());
        let mut starts = vec![0usize; slots.saturating_add(1)];
        for f in &facts {
            if let Some(count) = starts.get_mut(f.slot.saturating_add(1)) {
                *count = count.saturating_add(1);
            }
        }
        let mut total = 0usize;
        for s in starts.iter_mut() {
            total = total.saturating_add(*s);
            *s = total;
        }
        let mut groups = Groups { facts, starts, listed };
        groups.sort_each();
        groups
    }
}

impl<'a> Groups<'a> {
    fn sort_each(&mut self) {
        for w in self.starts.windows(2) {
            if let [a, b] = *w
                && b.saturating_sub(a) > 1
                && let Some(group) = self.facts.get_mut(a..b)
            {
                group.sort_by(|x, y| by_creation_and_phase(&x.pod, &y.pod));
            }
        }
    }

    /// Whether any grouped pod that is not being deleted is not updated:
    /// an old pod the rolling update may replace.
    fn any_old(&self) -> bool {
        self.facts.iter().any(|f| !f.terminating && !f.updated)
    }

    /// The pods of one group, oldest first.
    fn group(&self, slot: usize) -> &[Facts<'a>] {
        let range = self.starts.get(slot).zip(self.starts.get(slot.saturating_add(1)));
        range.and_then(|(a, b)| self.facts.get(*a..*b)).unwrap_or_default()
    }

    /// The groups of the nodes not in the node list.
    fn unlisted_slots(&self) -> std::ops::Range<usize> {
        self.listed..self.starts.len().saturating_sub(1)
    }

    /// The pods of the nodes not in the node list, by node name.
    fn unlisted(&self) -> &[Facts<'a>] {
        let from = self.starts.get(self.listed).copied().unwrap_or(self.facts.len());
        self.facts.get(from..).unwrap_or_default()
    }
}

/// The rolling update's view of the nodes after manage, flat: every entry's
/// pods are a range of `pods`.
struct RollingView<'f, 'a> {
    entries: Vec<Entry<'a>>,
    pods: Vec<View<'f, 'a>>,
}

impl<'f, 'a> RollingView<'f, 'a> {
    /// Adds a node with its pods after manage (deleted ones gone, created
    /// ones new); only nodes that should run a pod or still have one are
    /// in the view.
    fn push(
        &mut self,
        node: &'a str,
        run: bool,
        list: &'f [Facts<'a>],
        gone: &FastSet<&str>,
        created: &FastSet<&str>,
    ) {
        let start = self.pods.len();
        self.pods.extend(
            list.iter()
                .filter(|f| gone.is_empty() || !gone.contains(f.pod.metadata.name()))
                .map(View::Observed),
        );
        if !created.is_empty() && created.contains(node) {
            self.pods.push(View::New);
        }
        let end = self.pods.len();
        if run || end > start {
            self.entries.push(Entry { node, should_run: run, start, end });
        }
    }

    fn pods_of(&self, e: &Entry<'a>) -> &[View<'f, 'a>] {
        self.pods.get(e.start..e.end).unwrap_or_default()
    }
}

/// One node of the rolling-update view.
struct Entry<'a> {
    node: &'a str,
    should_run: bool,
    start: usize,
    end: usize,
}

/// The rolling update's view of the nodes after manage (daemonset.md §9):
/// manage's deletions are gone, its creations are new pods; the nodes of
/// the node list, then those not in it, by name.
fn rolling_view<'f, 'a>(
    names: &[&'a str],
    decisions: &[(bool, bool)],
    groups: &'f Groups<'a>,
    delete_pods: &[&'a Pod],
    create_nodes: &[&'a str],
) -> RollingView<'f, 'a> {
    let gone: FastSet<&str> = delete_pods.iter().map(|p| p.metadata.name()).collect();
    let created: FastSet<&str> = create_nodes.iter().copied().collect();
    // Sized once: a growing vector reallocates through sizes that glibc
    // maps and unmaps afresh at thousands of nodes, a page fault per page.
    let mut view = RollingView {
        entries: Vec::with_capacity(groups.starts.len()),
        pods: Vec::with_capacity(groups.facts.len().saturating_add(created.len())),
    };
    for ((slot, name), (run, _)) in names.iter().copied().enumerate().zip(decisions) {
        view.push(name, *run, groups.group(slot), &gone, &created);
    }
    for slot in groups.unlisted_slots() {
        let list = groups.group(slot);
        if let Some(first) = list.first() {
            view.push(first.node, false, list, &gone, &created);
        }
    }
    if !groups.unlisted().is_empty() {
        view.entries.sort_by(|a, b| a.node.cmp(b.node));
    }
    view
}

/// upstream: rollingUpdate. Returns the nodes to create on and the pods to
/// delete. The view's entries are the nodes with pods or that should run
/// one, by name.
fn rolling_update<'a>(
    spec: &DaemonSetSpec,
    view: &RollingView<'_, 'a>,
    desired: i32,
) -> (Vec<&'a str>, Vec<&'a Pod>) {
    let (max_surge, max_unavailable) = budget(spec, desired);
    let available = |v: &View<'_, '_>| match v {
        View::Observed(f) => f.available,
        View::New => false,
    };
    // upstream: findUpdatedPodsOnNode
    let find = |e: &Entry<'a>| {
        let (mut new, mut old) = (None, None);
        for v in view.pods_of(e) {
            let updated = match v {
                View::Observed(f) if f.terminating => continue,
                View::Observed(f) => f.updated,
                View::New => true,
            };
            let slot = if updated { &mut new } else { &mut old };
            if slot.is_some() {
                return None;
            }
            *slot = Some(*v);
        }
        Some((new, old))
    };
    let pod_of = |v: View<'_, 'a>| match v {
        View::Observed(f) => Some(f.pod),
        View::New => None,
    };
    let mut creates = Vec::new();
    let mut deletes: Vec<&'a Pod> = Vec::new();
    if max_surge == 0 {
        let mut unavailable = 0i32;
        let mut candidates: Vec<&'a Pod> = Vec::new();
        for e in &view.entries {
            match find(e) {
                None => unavailable = unavailable.saturating_add(1),
                Some((None, None)) | Some((Some(_), Some(_))) => unavailable = unavailable.saturating_add(1),
                Some((Some(new), None)) => {
                    if !available(&new) {
                        unavailable = unavailable.saturating_add(1);
                    }
                }
                Some((None, Some(old))) => {
                    if !available(&old) {
                        deletes.extend(pod_of(old));
                        unavailable = unavailable.saturating_add(1);
                    } else if unavailable < max_unavailable {
                        candidates.extend(pod_of(old));
                    }
                }
            }
        }
        let room = usize::try_from(max_unavailable.saturating_sub(unavailable).max(0)).unwrap_or(0);
        deletes.extend(candidates.into_iter().take(room));
        return (creates, deletes);
    }
    let mut surge = 0i32;
    let mut num_available = 0i32;
    let mut sunset: Vec<&'a Pod> = Vec::new();
    let mut candidates: Vec<&'a str> = Vec::new();
    for e in &view.entries {
        let Some((new, old)) = find(e) else {
            surge = surge.saturating_add(1);
            continue;
        };
        if let Some(counted) = old.or(new)
            && available(&counted)
        {
            num_available = num_available.saturating_add(1);
        }
        let runs = e.should_run;
        match (new, old) {
            (_, None) => {}
            (None, Some(old)) => {
                if !available(&old) {
                    if !runs {
                        deletes.extend(pod_of(old));
                    } else {
                        creates.push(e.node);
                    }
                } else if !runs {
                    sunset.extend(pod_of(old));
                } else if surge < max_surge {
                    candidates.push(e.node);
                }
            }
            (Some(new), Some(old)) => {
                if !available(&new) {
                    surge = surge.saturating_add(1);
                } else {
                    deletes.extend(pod_of(old));
                }
            }
        }
    }
    let deletable = usize::try_from(num_available.saturating_sub(desired).max(0)).unwrap_or(0);
    deletes.extend(sunset.into_iter().take(deletable).filter(|p| !p.metadata.is_terminating()));
    let room = usize::try_from(max_surge.saturating_sub(surge).max(0)).unwrap_or(0);
    creates.extend(candidates.into_iter().take(room));
    (creates, deletes)
}

/// `kubectl rollout undo [--to-revision=N]` for a DaemonSet: the DaemonSet
/// to write, or why not (kubectl: `DaemonSetRollbacker.Rollback`), read as
/// [`statefulset::rollback`](super::statefulset::rollback) reads a set: the
/// history is the selected ControllerRevisions the DaemonSet controls,
/// revision 0 is the previous one, a template that already matches is
/// skipped, and the result carries the revision's template.
pub fn rollback(
    ds: &DaemonSet,
    revisions: &[ControllerRevision],
    to_revision: i64,
) -> Result<super::rollout::Undo<DaemonSet>, super::rollout::UndoError> {
    use super::rollout::{history_selector, refuse_negative, undo, undo_revision};
    refuse_negative(to_revision)?;
    let declared = ds.spec.as_ref().filter(|s| !s.is_unset_on_wire("selector")).map(|s| &s.selector);
    let selector = history_selector(declared, DaemonSet::KIND, ds.metadata.name())?;
    let target = undo_revision(&ds.metadata, &selector, revisions, to_revision)?;
    let default_template = crate::api::PodTemplateSpec::default();
    let current = ds.spec.as_ref().map_or(&default_template, |s| &s.template);
    undo(ds, current, target, to_revision, |out, template| {
        out.spec.get_or_insert_with(Default::default).template = template;
    })
}

/// `kubectl rollout history daemonset/<name>`: the DaemonSet's
/// ControllerRevisions by number (kubectl: `DaemonSetHistoryViewer`).
/// `revisions` may contain any ControllerRevisions; only those of the
/// DaemonSet's namespace that its selector selects and it controls count
/// (a null or missing selector selects all, as kubectl's empty query
/// does). Each revision's template is the DaemonSet's once the revision's
/// data is applied to it as kubectl applies it (a strategic merge patch:
/// the `$patch: replace` template the controller writes replaces it; see
/// the rollout module for lists), and its change cause the revision's
/// `kubernetes.io/change-cause` annotation.
pub fn history(
    ds: &DaemonSet,
    revisions: &[ControllerRevision],
) -> Result<super::rollout::History, super::rollout::HistoryError> {
    let declared = ds.spec.as_ref().filter(|s| !s.is_unset_on_wire("selector")).map(|s| &s.selector);
    let template_of = |o: DaemonSet| o.spec.map(|spec| spec.template).unwrap_or_default();
    super::rollout::revision_history(DaemonSet::KIND, &ds.metadata, declared, ds, template_of, revisions)
}

/// `kubectl rollout status` for a DaemonSet (kubectl:
/// `DaemonSetStatusViewer.Status`, after `RolloutStatusOptions.Validate`).
///
/// kubectl keeps no revision history for DaemonSets: a positive `revision`
/// is ignored, a negative one refused. An unset (or empty) strategy type is
/// `RollingUpdate`, as the API server stores it.
///
/// ```
/// use kube_workloads::controller::{daemonset, RolloutStatus};
/// use kube_workloads::DaemonSet;
///
/// let ds: DaemonSet = serde_json::from_value(serde_json::json!({
///     "apiVersion": "apps/v1", "kind": "DaemonSet",
///     "metadata": {"name": "agent", "generation": 2},
///     "status": {"observedGeneration": 2, "desiredNumberScheduled": 3,
///                "currentNumberScheduled": 3, "numberMisscheduled": 0,
///                "updatedNumberScheduled": 1, "numberAvailable": 3}
/// })).unwrap();
/// assert_eq!(
///     daemonset::rollout_status(&ds, None),
///     RolloutStatus::Waiting(
///         "Waiting for daemon set \"agent\" rollout to finish: 1 out of 3 new pods have been updated...".into()
///     )
/// );
/// ```
pub fn rollout_status(ds: &DaemonSet, revision: Option<i64>) -> super::RolloutStatus {
    use super::RolloutStatus::{Done, Waiting};
    if let Some(refused) = super::rollout::refuse_negative_revision(revision) {
        return refused;
    }
    let strategy = ds.spec.as_ref().and_then(|s| s.update_strategy.as_ref()).and_then(|u| u.type_.as_ref());
    let rolling =
        strategy.is_none_or(|t| t.as_str().is_empty() || *t == DaemonSetUpdateStrategyType::RollingUpdate);
    if !rolling {
        return super::rollout::only_rolling_update();
    }
    let name = ds.metadata.name();
    let status = ds.status.clone().unwrap_or_default();
    if ds.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return Waiting("Waiting for daemon set spec update to be observed...".into());
    }
    let desired = status.desired_number_scheduled;
    let updated = status.updated_number_scheduled.unwrap_or(0);
    let available = status.number_available.unwrap_or(0);
    if updated < desired {
        return Waiting(format!(
            "Waiting for daemon set {} rollout to finish: {updated} out of {desired} new pods have been updated...",
            go_quote(name)
        ));
    }
    if available < desired {
        return Waiting(format!(
            "Waiting for daemon set {} rollout to finish: {available} of {desired} updated pods are available...",
            go_quote(name)
        ));
    }
    Done(format!("daemon set {} successfully rolled out", go_quote(name)))
}
