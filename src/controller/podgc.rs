//! Pod garbage collection, pods on lost nodes, and taint-based eviction.
//!
//! upstream: pkg/controller/podgc/gc_controller.go (gc, gcTerminated,
//! gcTerminating, gcOrphaned, discoverDeletedNodes,
//! gcUnscheduledTerminating, byEvictionAndCreationTimestamp,
//! markFailedAndDeletePodWithCondition, gcCheckPeriod, quarantineTime);
//! pkg/controller/tainteviction/taint_eviction.go (processPodOnNode,
//! getMinTolerationTime, addConditionAndDeletePod, cancelWorkWithEvent);
//! pkg/apis/core/v1/helper/helpers.go (GetMatchingTolerations);
//! plugin/pkg/admission/defaulttolerationseconds (Admit);
//! pkg/kubelet/eviction (PodIsEvicted).
//!
//! One pass is [`reconcile`] (or [`reconcile_with`] for a [`Config`]),
//! meant to run every [`GC_CHECK_PERIOD`] and whenever nodes or pods change.
//! The output comes in this order:
//!
//! 1. the terminated-pod threshold (`gcTerminated`): deletes, evicted pods
//!    first, then oldest;
//! 2. terminating pods on not-ready nodes tainted
//!    `node.kubernetes.io/out-of-service` (`gcTerminating`);
//! 3. pods bound to nodes that no longer exist (`gcOrphaned`): a status write
//!    (phase `Failed`, condition `DisruptionTarget` / `DeletionByPodGC`) for a
//!    pod not yet terminal, then the delete;
//! 4. terminating pods never scheduled (`gcUnscheduledTerminating`);
//! 5. taint-based eviction: events, the `DisruptionTarget` /
//!    `DeletionByTaintManager` status write and the delete of each pod whose
//!    toleration ran out, pod name order;
//! 6. the memory to store ([`Action::Remember`]), when it changed;
//! 7. a requeue at the next quarantine end or eviction, or after
//!    [`GC_CHECK_PERIOD`], whichever is first.
//!
//! Every delete of steps 1–4 is a **force delete**
//! ([`DeleteOptions::force`], `gracePeriodSeconds: 0`), as upstream's
//! (`metav1.NewDeleteOptions(0)`); the deletes of step 5 have the default
//! options (the pod's own grace period). A status write of a pod carries the whole pod with the new
//! status (upstream patches `status.phase` and the condition).
//!
//! # Deviations from upstream
//! - Quarantine (DECISIONS podgc.md Q1): the first time a pod's node is
//!   missing from the observed nodes is kept in [`PodGcMemory`]; a node still
//!   absent [`QUARANTINE_SECONDS`] later is treated as deleted (upstream asks
//!   the API server once more). A node whose pods were collected leaves the
//!   memory; if pods remain bound to it the next pass quarantines it again,
//!   as upstream re-queues it.
//! - Taint eviction timers (DECISIONS podgc.md Q2) are kept in the memory.
//!   Upstream starts a timer when it processes the change; here a new
//!   timer starts at the later of the earliest `timeAdded` of the
//!   `NoExecute` taints the pod tolerates for a limited time and the time
//!   the pod came to the node (its `PodScheduled` transition, else its
//!   creation), not after `now` (`now` when no such taint has a time), and
//!   runs for the smallest limit among the taints already there at that
//!   start (upstream never shortens a running timer for a taint added
//!   later). That is when upstream saw the change, but for a controller
//!   that was not running then (after a restart upstream starts afresh).
//!   A pod the last pass saw tolerating its node's taints for ever starts
//!   its timer at the pass that sees its tolerations gain a limit.
//! - Each pod is deleted at most once per pass even when several passes
//!   select it (upstream may issue the same delete twice).
//! - Every delete names the pod's UID, which [`Action::Delete`] makes a
//!   precondition; upstream's deletes carry none (its status patch does). A
//!   pod recreated under the same name in between is spared, not deleted.
//! - Pods already being deleted are left alone by taint eviction.
//! - The finalizer-aware variant of `gcTerminated` (podgc.md §1.1) is not
//!   implemented (DECISIONS podgc.md Q3).
//! - [`Config::default_toleration_seconds`] applies the
//!   DefaultTolerationSeconds admission defaults (300 s for `not-ready` and
//!   `unreachable`) to pods that lack them, so a pod list that did not pass
//!   through admission behaves as it would in a cluster; set it to `None` to
//!   use the tolerations as written.
//! - Observed objects are ordered by (namespace, name), then UID, before
//!   upstream's orders apply (DECISIONS G2); nodes by name.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::FeatureGates;
use crate::api::{
    Condition, ConditionStatus, Node, ObjectRef, Pod, PodPhase, Resource, TaintEffect, Time, Toleration,
    TolerationOperator,
};
use crate::scheduling::tolerates_with;

use super::{Action, ControllerMemory, DeleteOptions, Event, EventType};

/// Upstream's `gcCheckPeriod`: how often the collector runs (20 s).
pub const GC_CHECK_PERIOD: Duration = Duration::from_secs(20);
/// Upstream's `quarantineTime`: how long a node must stay missing before its
/// pods are collected (40 s).
pub const QUARANTINE_SECONDS: i64 = 40;
/// The default of `--terminated-pod-gc-threshold`.
pub const DEFAULT_TERMINATED_POD_GC_THRESHOLD: usize = 12_500;
/// The default of `--default-not-ready-toleration-seconds` and
/// `--default-unreachable-toleration-seconds`.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;
/// The taint of a node whose `Ready` condition is `False`.
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
/// The taint of a node whose `Ready` condition is `Unknown`.
pub const TAINT_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// The taint an administrator puts on a node that is out of service.
pub const TAINT_OUT_OF_SERVICE: &str = "node.kubernetes.io/out-of-service";
/// The reason of the condition PodGC sets on pods of deleted nodes.
pub const REASON_DELETION_BY_POD_GC: &str = "DeletionByPodGC";
/// The reason of the condition the taint manager sets on evicted pods.
pub const REASON_DELETION_BY_TAINT_MANAGER: &str = "DeletionByTaintManager";

/// What a pass reads.
#[derive(Clone, Copy, Debug)]
pub struct Observed<'a> {
    /// Every pod of the cluster.
    pub pods: &'a [Pod],
    /// Every node of the cluster.
    pub nodes: &'a [Node],
    /// The memory handed back by the previous pass (`Default` for a freshly
    /// started controller).
    pub memory: &'a PodGcMemory,
}

/// Settings of the collector.
#[derive(Clone, Debug)]
pub struct Config {
    /// `--terminated-pod-gc-threshold`; 0 disables the threshold pass.
    pub terminated_pod_gc_threshold: usize,
    /// Toleration seconds the DefaultTolerationSeconds admission plugin
    /// adds for `not-ready` and `unreachable`; `None` to use pods'
    /// tolerations as written.
    pub default_toleration_seconds: Option<i64>,
    /// Whether the taint-based eviction controller runs.
    pub taint_eviction: bool,
    /// Feature gates (`PodObservedGenerationTracking`: the status writes
    /// record the pod's generation).
    pub gates: FeatureGates,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            terminated_pod_gc_threshold: DEFAULT_TERMINATED_POD_GC_THRESHOLD,
            default_toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
            taint_eviction: true,
            gates: FeatureGates::default(),
        }
    }
}

/// The memory of the collector and the taint manager (DECISIONS G1).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodGcMemory {
    /// Node name → when pods bound to it were first seen with the node
    /// missing.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub quarantine: BTreeMap<String, Time>,
    /// `namespace/name` of a pod → its scheduled eviction.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evictions: BTreeMap<String, ScheduledEviction>,
    /// `namespace/name` of a pod → its UID, for the pods the last pass saw
    /// on a node with `NoExecute` taints, all tolerated for ever: when such
    /// a pod's tolerations gain a limit, its timer starts at the pass that
    /// sees the change, as upstream's starts when it processes the update.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tolerated: BTreeMap<String, String>,
}

/// A pod's scheduled taint-based eviction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScheduledEviction {
    /// The pod's UID when the timer started.
    #[serde(default)]
    pub uid: String,
    /// When the timer started.
    pub created_at: Time,
    /// When the pod is deleted.
    pub fire_at: Time,
}

impl fmt::Display for PodGcMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} nodes in quarantine", self.quarantine.len())?;
        for (node, t) in &self.quarantine {
            write!(f, " [{node} since {t}]")?;
        }
        write!(f, ", {} evictions scheduled", self.evictions.len())?;
        for (pod, e) in &self.evictions {
            write!(f, " [{pod} at {}]", e.fire_at)?;
        }
        Ok(())
    }
}

/// The reference the collector's memory and requeues are filed under.
pub fn controller_ref() -> ObjectRef {
    ObjectRef {
        api_version: "".into(),
        kind: "PodGC".into(),
        namespace: None,
        name: "pod-garbage-collector".into(),
        uid: None,
    }
}

fn phase(pod: &Pod) -> Option<&PodPhase> {
    pod.status.as_ref().and_then(|s| s.phase.as_ref())
}

/// Terminated for the threshold: any phase but Pending, Running and Unknown
/// (an empty phase counts; upstream: `isPodTerminated`).
pub fn is_pod_terminated(pod: &Pod) -> bool {
    !matches!(phase(pod), Some(PodPhase::Pending | PodPhase::Running | PodPhase::Unknown))
}

/// Evicted by the kubelet: phase `Failed`, reason `Evicted` (upstream:
/// `eviction.PodIsEvicted`).
pub fn is_pod_evicted(pod: &Pod) -> bool {
    matches!(phase(pod), Some(PodPhase::Failed))
        && pod.status.as_ref().and_then(|s| s.reason.as_deref()) == Some("Evicted")
}

fn node_name(pod: &Pod) -> &str {
    pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("")
}

fn id(p: &Pod) -> (&str, &str, &str) {
    (p.metadata.namespace(), p.metadata.name(), p.metadata.uid())
}

fn pod_key(pod: &Pod) -> String {
    format!("{}/{}", pod.metadata.namespace(), pod.metadata.name())
}

fn is_node_ready(node: &Node) -> bool {
    node.status.as_ref().and_then(|s| s.condition("Ready")).is_some_and(|c| c.status == ConditionStatus::True)
}

/// Upstream's `byEvictionAndCreationTimestamp`, over input in
/// (namespace, name, UID) order: evicted first, then older, then name.
fn sort_for_gc(pods: &mut [&Pod]) {
    pods.sort_by(|a, b| {
        (a.metadata.namespace(), a.metadata.name(), a.metadata.uid()).cmp(&(
            b.metadata.namespace(),
            b.metadata.name(),
            b.metadata.uid(),
        ))
    });
    pods.sort_by(|a, b| {
        is_pod_evicted(b)
            .cmp(&is_pod_evicted(a))
            .then_with(|| a.metadata.creation_timestamp.cmp(&b.metadata.creation_timestamp))
            .then_with(|| a.metadata.name().cmp(b.metadata.name()))
    });
}

/// The tolerations after the DefaultTolerationSeconds admission plugin:
/// `Exists`/`NoExecute` tolerations with `seconds` appended for `not-ready`
/// and `unreachable` unless some toleration already covers the key (same
/// key or empty key, `NoExecute` or empty effect).
pub fn with_default_tolerations(tolerations: &[Toleration], seconds: i64) -> Vec<Toleration> {
    let covers = |key: &str| {
        tolerations.iter().any(|t| {
            let k = t.key.as_deref().unwrap_or("");
            let effect_ok =
                t.effect.as_ref().is_none_or(|e| e.as_str().is_empty() || *e == TaintEffect::NoExecute);
            (k.is_empty() || k == key) && effect_ok
        })
    };
    let mut out = tolerations.to_vec();
    for key in [TAINT_NOT_READY, TAINT_UNREACHABLE] {
        if !covers(key) {
            out.push(Toleration {
                key: Some(key.to_owned()),
                operator: Some(TolerationOperator::Exists),
                effect: Some(TaintEffect::NoExecute),
                toleration_seconds: Some(seconds),
                ..Toleration::default()
            });
        }
    }
    out
}

/// How long a pod tolerates a node's `NoExecute` taints (upstream:
/// `GetMatchingTolerations` + `getMinTolerationTime`): `None` for ever,
/// `Some(0)` not at all or for 0 seconds (a toleration at or below 0), else
/// the smallest `tolerationSeconds` among the tolerations used — the first
/// toleration (pod order) that tolerates each taint. The eviction pass tells
/// the two `Some(0)` apart: only an untolerated taint bypasses a running
/// timer.
pub fn toleration_time(taints: &[&crate::api::Taint], tolerations: &[Toleration]) -> Option<i64> {
    match tolerance(taints, tolerations, &FeatureGates::default()) {
        Tolerance::Not => Some(0),
        Tolerance::Forever => None,
        Tolerance::For(secs) => Some(secs),
    }
}

/// What a pod's tolerations make of a node's `NoExecute` taints. Unlike
/// [`toleration_time`]'s `Some(0)`, it tells a taint left untolerated (the
/// pod goes at once, any timer cancelled) from taints all tolerated for 0
/// seconds (a running timer is kept: upstream's processPodOnNode only
/// bypasses it when not all taints are tolerated).
enum Tolerance {
    Not,
    Forever,
    /// The smallest `tolerationSeconds` used, 0 for any at or below 0.
    For(i64),
}

fn tolerance(taints: &[&crate::api::Taint], tolerations: &[Toleration], gates: &FeatureGates) -> Tolerance {
    let mut used: Vec<&Toleration> = Vec::new();
    for taint in taints {
        match tolerations.iter().find(|t| tolerates_with(t, taint, gates)) {
            Some(t) => used.push(t),
            None => return Tolerance::Not,
        }
    }
    if used.is_empty() {
        return Tolerance::Not;
    }
    let mut min: Option<i64> = None;
    for t in used {
        if let Some(s) = t.toleration_seconds {
            if s <= 0 {
                return Tolerance::For(0);
            }
            min = Some(min.map_or(s, |m| m.min(s)));
        }
    }
    min.map_or(Tolerance::Forever, Tolerance::For)
}

/// The earliest `timeAdded` of the taints whose toleration (the first
/// that matches, as upstream's GetMatchingTolerations) has a time limit: a
/// taint tolerated for ever never started a timer.
fn limited_since(
    taints: &[&crate::api::Taint],
    tolerations: &[Toleration],
    gates: &FeatureGates,
) -> Option<Time> {
    taints
        .iter()
        .filter(|taint| {
            tolerations
                .iter()
                .find(|t| tolerates_with(t, taint, gates))
                .is_some_and(|t| t.toleration_seconds.is_some())
        })
        .filter_map(|t| t.time_added)
        .min()
}

/// When the pod came to its node: its `PodScheduled=True` transition,
/// else its creation.
fn bound_since(pod: &Pod) -> Option<Time> {
    let scheduled = pod
        .status
        .as_ref()
        .and_then(|s| s.condition(crate::api::pod_status::pod_condition::POD_SCHEDULED))
        .filter(|c| c.status == ConditionStatus::True)
        .and_then(|c| c.last_transition_time);
    scheduled.or(pod.metadata.creation_timestamp)
}

/// Runs one pass with the default [`Config`].
pub fn reconcile(observed: &Observed<'_>, now: Time) -> Vec<Action> {
    reconcile_with(observed, now, &Config::default())
}

/// A pod marked `Failed` with `condition` (when not terminal), then force
/// deleted (upstream: `markFailedAndDeletePodWithCondition`).
fn mark_failed_and_delete(
    pod: &Pod,
    condition: Option<(&str, &str)>,
    now: Time,
    gates: &FeatureGates,
    out: &mut Vec<Action>,
) {
    if !matches!(phase(pod), Some(PodPhase::Succeeded | PodPhase::Failed)) {
        let mut changed = pod.clone();
        changed.fill_type_meta();
        let generation = pod.metadata.generation.unwrap_or(0);
        let st = changed.status.get_or_insert_with(Default::default);
        st.phase = Some(PodPhase::Failed);
        // upstream: GetPodObservedGenerationIfEnabled.
        if gates.pod_observed_generation_tracking || st.observed_generation.unwrap_or(0) != 0 {
            st.observed_generation = Some(generation).filter(|g| *g != 0);
        }
        if let Some((reason, message)) = condition {
            update_condition(st, generation, gates, reason, message, now);
        }
        out.push(Action::UpdateStatus { object: changed.into() });
    }
    out.push(Action::Delete { target: pod.object_ref(), options: DeleteOptions::force() });
}

/// Sets `DisruptionTarget=True` with this reason and message, as upstream's
/// `UpdatePodCondition` does: the condition is replaced whole (its probe
/// time cleared), keeping the transition time when the status stays, and
/// records the pod's generation when `PodObservedGenerationTracking` is on
/// or the old condition had one (`GetPodObservedGenerationIfEnabledOnCondition`).
/// Returns whether anything changed, as upstream's `isEqual` decides it
/// (status, reason, message and the two times; not the generation).
fn update_condition(
    status: &mut crate::api::PodStatus,
    generation: i64,
    gates: &FeatureGates,
    reason: &str,
    message: &str,
    now: Time,
) -> bool {
    let list = status.conditions.get_or_insert_with(Vec::new);
    let old = list.iter().position(|c| c.type_ == DISRUPTION_TARGET);
    let tracked = gates.pod_observed_generation_tracking
        || old.and_then(|i| list.get(i)).is_some_and(|c| c.observed_generation.unwrap_or(0) != 0);
    let mut wanted = Condition {
        type_: DISRUPTION_TARGET.into(),
        status: ConditionStatus::True,
        last_transition_time: Some(now),
        reason: Some(reason.to_owned()),
        message: Some(message.to_owned()),
        observed_generation: Some(generation).filter(|g| tracked && *g != 0),
        ..Condition::default()
    };
    match old.and_then(|i| list.get_mut(i)) {
        None => {
            list.push(wanted);
            true
        }
        Some(c) => {
            if c.status == wanted.status {
                wanted.last_transition_time = c.last_transition_time;
            }
            let equal = c.status == wanted.status
                && c.reason == wanted.reason
                && c.message == wanted.message
                && c.last_probe_time == wanted.last_probe_time
                && c.last_transition_time == wanted.last_transition_time;
            *c = wanted;
            !equal
        }
    }
}

/// The `DisruptionTarget` pod condition type.
const DISRUPTION_TARGET: &str = "DisruptionTarget";

/// Runs one pass of the collector and the taint manager (upstream: `gc`,
/// then the taint manager's timers).
pub fn reconcile_with(observed: &Observed<'_>, now: Time, config: &Config) -> Vec<Action> {
    let mut actions: Vec<Action> = Vec::new();
    let memory = observed.memory;
    let mut new_memory = memory.clone();
    let mut pods: Vec<&Pod> = observed.pods.iter().collect();
    super::by_name(&mut pods, |p: &Pod| &p.metadata);
    let nodes: HashMap<&str, &Node> = observed.nodes.iter().map(|n| (n.metadata.name(), n)).collect();
    let mut done: HashSet<(&str, &str, &str)> = HashSet::new();

    // 1. gcTerminated.
    if config.terminated_pod_gc_threshold > 0 {
        let mut terminated: Vec<&Pod> = pods.iter().copied().filter(|p| is_pod_terminated(p)).collect();
        let excess = terminated.len().saturating_sub(config.terminated_pod_gc_threshold);
        if excess > 0 {
            sort_for_gc(&mut terminated);
            for pod in terminated.into_iter().take(excess) {
                if done.insert(id(pod)) {
                    mark_failed_and_delete(pod, None, now, &config.gates, &mut actions);
                }
            }
        }
    }

    // 2. gcTerminating: out-of-service nodes.
    let mut terminating: Vec<&Pod> = pods
        .iter()
        .copied()
        .filter(|p| p.metadata.is_terminating())
        .filter(|p| {
            nodes.get(node_name(p)).is_some_and(|n| {
                !is_node_ready(n)
                    && n.spec
                        .as_ref()
                        .is_some_and(|s| s.taints().iter().any(|t| t.key == TAINT_OUT_OF_SERVICE))
            })
        })
        .collect();
    sort_for_gc(&mut terminating);
    for pod in terminating {
        if done.insert(id(pod)) {
            mark_failed_and_delete(pod, None, now, &config.gates, &mut actions);
        }
    }

    // 3. gcOrphaned with quarantine.
    let missing: BTreeSet<&str> =
        pods.iter().map(|p| node_name(p)).filter(|n| !n.is_empty() && !nodes.contains_key(n)).collect();
    // A node back before its quarantine ends keeps its entry until then
    // (upstream: the delaying queue's item stays; when it comes due, the node
    // is collected only if it is gone again).
    new_memory.quarantine.retain(|node, since| {
        missing.contains(node.as_str()) || now.seconds_since(*since) < QUARANTINE_SECONDS
    });
    let mut deleted_nodes: BTreeSet<&str> = BTreeSet::new();
    let mut next_wake: Option<Time> = None;
    for node in &missing {
        match memory.quarantine.get(*node) {
            Some(since) if now.seconds_since(*since) >= QUARANTINE_SECONDS => {
                deleted_nodes.insert(node);
                new_memory.quarantine.remove(*node);
            }
            Some(since) => {
                let at = since.add_seconds(QUARANTINE_SECONDS);
                next_wake = Some(next_wake.map_or(at, |w| w.min(at)));
            }
            None => {
                new_memory.quarantine.insert((*node).to_owned(), now);
                let at = now.add_seconds(QUARANTINE_SECONDS);
                next_wake = Some(next_wake.map_or(at, |w| w.min(at)));
            }
        }
    }
    for pod in pods.iter().copied().filter(|p| deleted_nodes.contains(node_name(p))) {
        if done.insert(id(pod)) {
            mark_failed_and_delete(
                pod,
                Some((REASON_DELETION_BY_POD_GC, "PodGC: node no longer exists")),
                now,
                &config.gates,
                &mut actions,
            );
        }
    }

    // 4. gcUnscheduledTerminating.
    for pod in pods.iter().copied().filter(|p| p.metadata.is_terminating() && node_name(p).is_empty()) {
        if done.insert(id(pod)) {
            mark_failed_and_delete(pod, None, now, &config.gates, &mut actions);
        }
    }

    // 5. Taint-based eviction.
    new_memory.tolerated.clear();
    if config.taint_eviction {
        let mut keep: BTreeSet<String> = BTreeSet::new();
        // The pods this pass evicts: their timers are spent, not cancelled.
        let mut evicted: HashSet<(&str, &str, &str)> = HashSet::new();
        for pod in pods.iter().copied() {
            let node = node_name(pod);
            if node.is_empty() || pod.metadata.is_terminating() || done.contains(&id(pod)) {
                continue;
            }
            let key = pod_key(pod);
            let existing = memory.evictions.get(&key).filter(|e| e.uid == pod.metadata.uid());
            let Some(n) = nodes.get(node) else {
                // upstream: a deleted node leaves the tainted nodes, but the
                // work already scheduled still runs.
                if let Some(e) = existing {
                    if e.fire_at <= now {
                        evict(pod, now, &config.gates, &mut actions);
                        done.insert(id(pod));
                        evicted.insert(id(pod));
                    } else {
                        keep.insert(key.clone());
                        next_wake = Some(next_wake.map_or(e.fire_at, |w| w.min(e.fire_at)));
                        new_memory.evictions.insert(key, e.clone());
                    }
                }
                continue;
            };
            let taints: Vec<&crate::api::Taint> = n
                .spec
                .as_ref()
                .map(|s| {
                    s.taints().iter().filter(|t| *t.effect_as_read() == TaintEffect::NoExecute).collect()
                })
                .unwrap_or_default();
            if taints.is_empty() {
                continue;
            }
            let written = pod.spec.as_ref().map(|s| s.tolerations()).unwrap_or(&[]);
            let tolerations = match config.default_toleration_seconds {
                Some(secs) => with_default_tolerations(written, secs),
                None => written.to_vec(),
            };
            // upstream: the taint-eviction controller honours
            // TaintTolerationComparisonOperators (kubernetes PR 134665).
            let overall = tolerance(&taints, &tolerations, &config.gates);
            let untolerated = matches!(overall, Tolerance::Not);
            let seen_tolerated = memory.tolerated.get(&key).is_some_and(|uid| uid == pod.metadata.uid());
            let fire_at = match overall {
                Tolerance::Forever => {
                    new_memory.tolerated.insert(key, pod.metadata.uid().to_owned());
                    continue;
                }
                Tolerance::Not => now,
                Tolerance::For(secs) => match existing {
                    // An existing timer is kept (upstream: processPodOnNode).
                    Some(e) => e.fire_at,
                    // Tolerated for ever at the last pass: its tolerations
                    // changed since, and upstream starts the timer when it
                    // processes that update.
                    None if seen_tolerated => now.add_seconds(secs),
                    // upstream starts a timer when it processes the change
                    // (now). Without one in memory, the change is dated: the
                    // later of when the taints the pod tolerates for a
                    // while were added and when the pod came to the node;
                    // after a restart too (DECISIONS podgc.md Q2).
                    // The timer then runs for the smallest limit among the
                    // taints already there at that start: a taint added
                    // later never shortens a running timer upstream.
                    None => {
                        let since = limited_since(&taints, &tolerations, &config.gates)
                            .map(|t| bound_since(pod).map_or(t, |b| t.max(b)));
                        match since.filter(|t| *t <= now) {
                            Some(t) => {
                                let present: Vec<&crate::api::Taint> = taints
                                    .iter()
                                    .copied()
                                    .filter(|taint| taint.time_added.is_none_or(|added| added <= t))
                                    .collect();
                                let limit = match tolerance(&present, &tolerations, &config.gates) {
                                    Tolerance::For(s) => s,
                                    _ => secs,
                                };
                                t.add_seconds(limit)
                            }
                            None => now.add_seconds(secs),
                        }
                    }
                },
            };
            if fire_at <= now {
                // A taint the pod does not tolerate cancels a running timer
                // first, with its event (upstream: processPodOnNode calls
                // cancelWorkWithEvent before the immediate eviction).
                // (Only a timer still running: one already due has fired.)
                if untolerated && memory.evictions.get(&key).is_some_and(|e| e.fire_at > now) {
                    actions.push(cancel_event(&key));
                }
                evict(pod, now, &config.gates, &mut actions);
                // Its timer is spent, not cancelled: no "Cancelling deletion"
                // event below for a pod this pass evicts.
                done.insert(id(pod));
                evicted.insert(id(pod));
                continue;
            }
            keep.insert(key.clone());
            next_wake = Some(next_wake.map_or(fire_at, |w| w.min(fire_at)));
            let created_at = existing.map_or(now, |e| e.created_at);
            new_memory
                .evictions
                .insert(key, ScheduledEviction { uid: pod.metadata.uid().to_owned(), created_at, fire_at });
        }
        // Timers of pods no longer tainted, tolerated for ever, or gone are
        // cancelled (upstream: cancelWorkWithEvent).
        let live: HashMap<String, &Pod> = pods.iter().map(|p| (pod_key(p), *p)).collect();
        let cancelled: Vec<String> =
            new_memory.evictions.keys().filter(|k| !keep.contains(*k)).cloned().collect();
        for k in cancelled {
            new_memory.evictions.remove(&k);
            // A deleted pod's timer is cancelled with the event too
            // (upstream: handlePodUpdate's NotFound branch), and so is the
            // running timer of a pod the steps above delete: the taint
            // manager is another controller, which sees that pod go.
            let cancel = match live.get(&k) {
                Some(pod) => !pod.metadata.is_terminating() && !evicted.contains(&id(pod)),
                None => true,
            };
            if cancel && memory.evictions.contains_key(&k) {
                actions.push(cancel_event(&k));
            }
        }
    } else {
        new_memory.evictions.clear();
    }

    if new_memory != *memory {
        actions
            .push(Action::Remember { owner: controller_ref(), memory: ControllerMemory::PodGc(new_memory) });
    }
    let after = next_wake.map_or(GC_CHECK_PERIOD, |w| now.duration_until(w).min(GC_CHECK_PERIOD));
    actions.push(Action::Requeue { target: controller_ref(), after });
    actions
}

/// upstream: emitCancelPodDeletionEvent.
fn cancel_event(key: &str) -> Action {
    taint_manager_event(key, "Cancelling deletion of Pod")
}

/// A taint manager event about the pod `namespace/name` (`key`), named as
/// upstream names it: namespace and name, no UID (emitPodDeletionEvent and
/// emitCancelPodDeletionEvent build that reference).
fn taint_manager_event(key: &str, what: &str) -> Action {
    let (namespace, name) = key.split_once('/').unwrap_or(("", key));
    Action::Event(Event {
        regarding: ObjectRef {
            api_version: "v1".into(),
            kind: "Pod".into(),
            namespace: Some(namespace.to_owned()),
            name: name.to_owned(),
            uid: None,
        },
        type_: EventType::Normal,
        reason: "TaintManagerEviction".into(),
        message: format!("{what} {key}"),
    })
}

/// upstream: the taint manager's deletion: event, condition, delete.
fn evict(pod: &Pod, now: Time, gates: &FeatureGates, out: &mut Vec<Action>) {
    out.push(taint_manager_event(&pod_key(pod), "Marking for deletion Pod"));
    let mut changed = pod.clone();
    changed.fill_type_meta();
    let generation = pod.metadata.generation.unwrap_or(0);
    let st = changed.status.get_or_insert_with(Default::default);
    if update_condition(
        st,
        generation,
        gates,
        REASON_DELETION_BY_TAINT_MANAGER,
        "Taint manager: deleting due to NoExecute taint",
        now,
    ) {
        out.push(Action::UpdateStatus { object: changed.into() });
    }
    out.push(Action::delete(pod.object_ref()));
}
