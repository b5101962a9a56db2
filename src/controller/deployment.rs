//! The Deployment controller: rolls a pod template out through ReplicaSets,
//! plus what `kubectl rollout undo` and `kubectl rollout status` do.
//!
//! upstream: pkg/controller/deployment/deployment_controller.go
//! (syncDeployment), sync.go (sync, scale, getAllReplicaSetsAndSyncRevision,
//! getNewReplicaSet, generateReplicaSetName, scaleReplicaSet,
//! cleanupDeployment, calculateStatus, isScalingEvent), rolling.go, recreate.go, progress.go, rollback.go,
//! util/deployment_util.go; kubectl pkg/polymorphichelpers/rollback.go and
//! rollout_status.go.
//!
//! One reconcile is [`reconcile`]. Actions come in the order upstream makes
//! its calls: ReplicaSet adoptions and releases (name order), the new
//! ReplicaSet's creation or annotation update, ReplicaSet scalings each
//! followed by its `ScalingReplicaSet` event, old ReplicaSet deletions
//! (history cleanup), the Deployment's own update (the legacy rollback's
//! template and annotations), its status write (which also carries a new
//! `deployment.kubernetes.io/revision` annotation, as upstream's
//! getNewReplicaSet writes it with UpdateStatus: the status subresource of
//! a Deployment keeps annotations and, unlike an update, does not raise the
//! generation; send the whole object to `/status`), the events upstream
//! records only once those writes succeeded (`DeploymentRollback`,
//! `ReplicaSetCreateError`), then a requeue for the progress deadline.
//!
//! When the executor fails to create the new ReplicaSet it reports it in the
//! [`DeploymentMemory`] ([`DeploymentMemory::create_failed`]). The next
//! reconcile finishes upstream's failed sync and nothing else: adoptions and
//! releases, the status write with `Progressing=False`, the
//! `ReplicaSetCreateError` warning, the cleared memory
//! ([`Action::Remember`]) and an immediate requeue.
//!
//! # Deviations
//! - `pod-template-hash` is FNV-1a 32 over the template's canonical JSON
//!   (object keys sorted, no whitespace), followed by `collisionCount` as 4
//!   little-endian bytes when set, written in decimal and re-encoded with
//!   `bcdfghjklmnpqrstvwxz2456789` as upstream's `SafeEncodeString` does
//!   (semantics DECISIONS, deployment Q1). Upstream hashes Go's object dump,
//!   so the value differs from upstream's; ReplicaSets are matched by
//!   template equality, never by hash, so a crate-driven controller adopts
//!   ReplicaSets made by a real one.
//! - A selector that does not convert, or an unknown strategy type, ends
//!   the sync with no action. Upstream's sync returns an error there and the
//!   work queue retries it with back-off, up to 15 times; as the object is
//!   unchanged, every retry fails the same way, and validation refuses both
//!   objects, so no requeue is asked for.
//! - Upstream writes the status several times in one sync (paused
//!   conditions, revision, rollout status); here the writes are merged into
//!   one status action with the final value, a deliberate choice: upstream
//!   drops the object each earlier write returns, so a later write in the
//!   same sync usually fails on a conflict and the counts it carried land
//!   one (rate-limited) sync later, where the crate writes them at once.
//!   The two converge on the next sync; a `Progressing` reason change
//!   (`NewReplicaSetCreated` to `ReplicaSetUpdated`) can come one sync
//!   apart. The legacy rollback annotation path conflicts the same way:
//!   upstream's rollback lands (and its warnings repeat) one sync later.
//! - Unset `maxSurge` / `maxUnavailable` / `progressDeadlineSeconds` /
//!   `revisionHistoryLimit` take the API server's defaults (25%, 25%, 600,
//!   10): the reconcile also works on objects that were never defaulted. A
//!   `maxSurge` or `maxUnavailable` that does not parse makes both
//!   fenceposts 0, as upstream's `MaxSurge` / `MaxUnavailable` read them;
//!   where upstream's `NewRSNewReplicas` errors (a `maxSurge` that does not
//!   parse, an unknown strategy type), the sync ends before creating or
//!   scaling the new ReplicaSet.
//! - An empty selector, `{}` or `{matchLabels: {}}`, is `SelectingAll`
//!   (DECISIONS G5).
//! - Proportional scaling's product `spec.replicas × (replicas + maxSurge)`
//!   is taken in 64 bits; upstream's getReplicaSetFraction multiplies two
//!   int32s, which wraps once the product passes 2^31 − 1 (a ReplicaSet of
//!   50,000 under a Deployment of 43,000, say). The same holds for every
//!   other replica sum (`replicas + maxSurge` in `NewRSNewReplicas`, the
//!   totals over ReplicaSets): the crate saturates (crate-level "Counts
//!   saturate") where Go's int32 arithmetic wraps, so a Deployment of
//!   2147483647 replicas scales its new ReplicaSet up where upstream's
//!   negative total leaves it as it is.
//! - A failed create of the new ReplicaSet is reported by the reconcile after
//!   it (from the memory), not by the sync that tried it.
//! - The sync that updates the new ReplicaSet's annotations goes on with
//!   scaling and status and leaves the Deployment's revision to a later sync
//!   (semantics deployment.md §5). Upstream looks the new ReplicaSet up twice
//!   in a sync that is not paused (`isScalingEvent`, then the rollout), the
//!   second time from its stale list: that update conflicts and ends the
//!   sync until the requeue.
//! - Recreate's wait for old pods reads the pods an old ReplicaSet controls
//!   that the Deployment's selector selects, as upstream's
//!   `getPodMapForDeployment` lists them in the releases the semantics
//!   follow. Upstream's main branch gives the Deployment controller a pod
//!   index by controller UID, like the ReplicaSet's `FilterPodsByOwner`
//!   (1.34.2+, see [`super::replicaset`]); if its pod map comes from that
//!   index, a pod relabelled out of the selector but still controlled by an
//!   old ReplicaSet also holds the new one back there. That function's new
//!   body is not in the project's upstream index; left with the
//!   ReplicaSet's open question.
//! - `spec.podReplacementPolicy` does not exist in 1.33-1.35 (PR 131088
//!   renamed its gate to `DeploymentReplicaSetTerminatingReplicas`, and the
//!   field's PR 123430 was closed; the semantics' open question 2 assumed
//!   an alpha field): such a field round-trips and the controller ignores
//!   it, as upstream's does.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use crate::FeatureGates;
use crate::api::{
    Condition, ConditionStatus, Deployment, DeploymentStatus, DeploymentStrategyType, IntOrString,
    LabelSelector, ObjectMeta, Pod, PodTemplateSpec, ReplicaSet, ReplicaSetSpec, Resource, StringMap, Time,
};
use crate::selector::Selector;
use crate::text::cut_to;
use crate::validation::go_quote;

use serde::{Deserialize, Serialize};

use super::{
    Action, Claim, ControllerMemory, Event, EventType, claim, controller_ref, with_owner, without_owner,
};

/// The answer of `kubectl rollout status` (shared by the three viewers;
/// kept here under its first name).
pub use super::rollout::RolloutStatus;
use super::rollout::{CHANGE_CAUSE_ANNOTATION, History, HistoryEntry, HistoryError};

/// Label carrying the pod-template hash on ReplicaSets and their pods.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
/// The revision of a ReplicaSet (and of its Deployment).
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// Earlier revisions of a ReplicaSet reused by a rollback.
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// The Deployment's `spec.replicas` when the ReplicaSet was last scaled.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// `spec.replicas + maxSurge` when the ReplicaSet was last scaled.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// The legacy in-controller rollback request.
pub const ROLLBACK_TO_ANNOTATION: &str = "deprecated.deployment.rollback.to";
/// kubectl's last-applied configuration (never copied to ReplicaSets).
pub const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// The longest `revision-history` annotation (upstream:
/// `maxRevHistoryLengthInChars`).
pub const MAX_REV_HISTORY_LENGTH_IN_CHARS: usize = 2000;

/// Condition type: the Deployment has minimum availability.
pub const AVAILABLE: &str = "Available";
/// Condition type: the rollout is progressing, complete or stuck.
pub const PROGRESSING: &str = "Progressing";
/// Condition type: a ReplicaSet failed to create or delete pods.
pub const REPLICA_FAILURE: &str = "ReplicaFailure";

/// Progressing reason: a new ReplicaSet was created.
pub const NEW_RS_REASON: &str = "NewReplicaSetCreated";
/// Progressing reason: an existing ReplicaSet matches the template.
pub const FOUND_NEW_RS_REASON: &str = "FoundNewReplicaSet";
/// Progressing reason: the rollout moved forward.
pub const RS_UPDATED_REASON: &str = "ReplicaSetUpdated";
/// Progressing reason: the rollout is complete.
pub const NEW_RS_AVAILABLE_REASON: &str = "NewReplicaSetAvailable";
/// Progressing reason: no progress within the deadline.
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";
/// Progressing reason: creating the new ReplicaSet failed.
pub const FAILED_RS_CREATE_REASON: &str = "ReplicaSetCreateError";
/// Progressing reason: the Deployment is paused.
pub const PAUSED_DEPLOY_REASON: &str = "DeploymentPaused";
/// Progressing reason: the Deployment was resumed.
pub const RESUMED_DEPLOY_REASON: &str = "DeploymentResumed";
/// Available reason: enough pods are available.
pub const MINIMUM_REPLICAS_AVAILABLE: &str = "MinimumReplicasAvailable";
/// Available reason: too few pods are available.
pub const MINIMUM_REPLICAS_UNAVAILABLE: &str = "MinimumReplicasUnavailable";

/// Annotations never copied from a Deployment to its ReplicaSets (and kept
/// from the Deployment on rollback).
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    LAST_APPLIED_ANNOTATION,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    ROLLBACK_TO_ANNOTATION,
];

fn skip_copy_annotation(key: &str) -> bool {
    ANNOTATIONS_TO_SKIP.contains(&key)
}

/// The longest object name the API server takes (a DNS subdomain).
const NAME_MAX_LENGTH: usize = 253;

/// The name of the ReplicaSet a Deployment named `deployment` creates for
/// the template whose hash is `hash`: `<deployment>-<hash>`, the
/// Deployment's part cut so that the whole fits a name's 253 characters
/// (upstream: `generateReplicaSetName`). A hash too long to leave room for
/// any of the Deployment's name is used with the whole name, as upstream
/// does. Names are ASCII once validated; a non-ASCII one is cut at the
/// character boundary below the limit.
///
/// ```
/// use kube_workloads::controller::deployment::replica_set_name;
///
/// assert_eq!(replica_set_name("web", "7d4b9c8f6d"), "web-7d4b9c8f6d");
/// let long = "a".repeat(250);
/// let name = replica_set_name(&long, "7d4b9c8f6d");
/// assert_eq!(name.len(), 253);
/// assert!(name.starts_with(&"a".repeat(242)) && name.ends_with("a-7d4b9c8f6d"));
/// ```
pub fn replica_set_name(deployment: &str, hash: &str) -> String {
    let room = NAME_MAX_LENGTH.saturating_sub(1).saturating_sub(hash.len());
    // No room at all: upstream keeps the whole name.
    let base = if room > 0 { cut_to(deployment, room) } else { deployment };
    format!("{base}-{hash}")
}

/// What a Deployment reconcile reads.
#[derive(Clone, Copy, Debug)]
pub struct Observed<'a> {
    /// The ReplicaSets of the Deployment's namespace (others are ignored).
    pub replica_sets: &'a [ReplicaSet],
    /// The pods of the namespace; only the Recreate strategy reads them (to
    /// wait for old pods to be gone). May be empty for RollingUpdate.
    pub pods: &'a [Pod],
    /// The controller's memory for this Deployment, as handed back by
    /// [`Action::Remember`] (`Default` for a fresh controller).
    pub memory: &'a DeploymentMemory,
}

/// The memory of the Deployment controller for one Deployment
/// (DECISIONS G1). `Default` is a freshly started controller.
///
/// Upstream keeps nothing between syncs, but reports a failed create of the
/// new ReplicaSet in the sync that tried it. Here the executor carries out
/// the create, so it reports the failure in the memory
/// ([`DeploymentMemory::create_failed`]) and the next reconcile turns it into
/// what upstream's failed sync does (`getNewReplicaSet` in sync.go).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentMemory {
    /// The last failed create of a new ReplicaSet, not yet reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_failure: Option<ReplicaSetCreateFailure>,
}

/// A failed create of a Deployment's new ReplicaSet, as the executor
/// reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetCreateFailure {
    /// The name of the ReplicaSet that could not be created.
    pub name: String,
    /// The error, as the API server gave it.
    pub message: String,
}

impl DeploymentMemory {
    /// The create of the new ReplicaSet `name` failed with `message`.
    ///
    /// Report every failure except `AlreadyExists` (the next reconcile sees
    /// the existing ReplicaSet and treats it as upstream does: reuse or hash
    /// collision) and a failure because the namespace is terminating
    /// (upstream does nothing then). Upstream's sync ends at the failed
    /// create, so the executor should skip the rest of that reconcile's
    /// actions. The next reconcile sets `Progressing=False` with reason
    /// `ReplicaSetCreateError` (when the Deployment has a progress
    /// deadline), records the `ReplicaSetCreateError` warning, hands back
    /// the cleared memory and asks for a requeue; the reconcile after that
    /// tries the create again.
    pub fn create_failed(&mut self, name: impl Into<String>, message: impl Into<String>) {
        self.create_failure = Some(ReplicaSetCreateFailure { name: name.into(), message: message.into() });
    }
}

/// `nothing to report`, or `failed to create replica set <name>`.
impl fmt::Display for DeploymentMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.create_failure {
            None => f.write_str("nothing to report"),
            Some(fail) => write!(f, "failed to create replica set {}", fail.name),
        }
    }
}

/// Settings of the controller.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Feature gates (`DeploymentReplicaSetTerminatingReplicas`).
    pub gates: FeatureGates,
}

// ---------------------------------------------------------------------------
// Arithmetic helpers (deployment_util.go)
// ---------------------------------------------------------------------------

fn replicas_of(rs: &ReplicaSet) -> i32 {
    rs.spec.as_ref().map_or(0, ReplicaSetSpec::replicas_or_default)
}

fn status_of(rs: &ReplicaSet) -> (i32, i32, i32) {
    rs.status
        .as_ref()
        .map_or((0, 0, 0), |s| (s.replicas, s.ready_replicas.unwrap_or(0), s.available_replicas.unwrap_or(0)))
}

/// Upstream's `IsRollingUpdate`: the type is RollingUpdate (the default when
/// unset). A type this crate does not know is neither rolling nor Recreate.
fn is_rolling(d: &Deployment) -> bool {
    d.spec.as_ref().is_none_or(|s| s.strategy_type() == DeploymentStrategyType::RollingUpdate)
}

fn d_replicas(d: &Deployment) -> i32 {
    d.spec.as_ref().map_or(1, |s| s.replicas_or_default())
}

fn default_quarter() -> IntOrString {
    IntOrString::String("25%".into())
}

/// (maxSurge, maxUnavailable) as written, with the API server's defaults.
fn rolling_params(d: &Deployment) -> (IntOrString, IntOrString) {
    let ru = d.spec.as_ref().and_then(|s| s.strategy.as_ref()).and_then(|s| s.rolling_update.as_ref());
    (
        ru.and_then(|r| r.max_surge.clone()).unwrap_or_else(default_quarter),
        ru.and_then(|r| r.max_unavailable.clone()).unwrap_or_else(default_quarter),
    )
}

/// Upstream's `ResolveFenceposts`: surge rounds up, unavailable rounds down,
/// both zero means one unavailable. `None` values count as 0. When either
/// value does not parse (only an unvalidated object has one), both are 0:
/// upstream returns `(0, 0, err)`, and `MaxSurge` / `MaxUnavailable` drop
/// the error.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> (i32, i32) {
    let surge = max_surge.map_or(Ok(0), |v| v.scaled_value(desired, true));
    let unavailable = max_unavailable.map_or(Ok(0), |v| v.scaled_value(desired, false));
    match (surge, unavailable) {
        (Ok(0), Ok(0)) => (0, 1),
        (Ok(surge), Ok(unavailable)) => (surge, unavailable),
        _ => (0, 0),
    }
}

/// Upstream's `MaxSurge`: 0 for Recreate.
pub fn max_surge(d: &Deployment) -> i32 {
    if !is_rolling(d) {
        return 0;
    }
    let (s, u) = rolling_params(d);
    resolve_fenceposts(Some(&s), Some(&u), d_replicas(d)).0
}

/// Upstream's `MaxUnavailable`: 0 for Recreate or 0 replicas, capped at
/// `spec.replicas`.
pub fn max_unavailable(d: &Deployment) -> i32 {
    let replicas = d_replicas(d);
    if !is_rolling(d) || replicas == 0 {
        return 0;
    }
    let (s, u) = rolling_params(d);
    resolve_fenceposts(Some(&s), Some(&u), replicas).1.min(replicas)
}

/// Upstream's `MinAvailable`: 0 for Recreate.
pub fn min_available(d: &Deployment) -> i32 {
    if !is_rolling(d) {
        return 0;
    }
    d_replicas(d).saturating_sub(max_unavailable(d))
}

/// Upstream's `NewRSNewReplicas`: how many replicas the new ReplicaSet may
/// have now. `all` includes `new`. `None` where upstream returns an error
/// (only for an unvalidated object): a strategy type neither RollingUpdate
/// nor Recreate, or a `maxSurge` that does not parse; upstream's sync then
/// stops before creating or scaling the new ReplicaSet.
pub fn new_rs_new_replicas(d: &Deployment, all: &[&ReplicaSet], new: &ReplicaSet) -> Option<i32> {
    let replicas = d_replicas(d);
    if !is_rolling(d) {
        let recreate = d.spec.as_ref().is_some_and(|s| s.strategy_type() == DeploymentStrategyType::Recreate);
        return recreate.then_some(replicas);
    }
    let (s, _) = rolling_params(d);
    let surge = s.scaled_value(replicas, true).ok()?;
    let current: i64 = all.iter().map(|rs| i64::from(replicas_of(rs))).fold(0i64, i64::saturating_add);
    let max_total = i64::from(replicas).saturating_add(i64::from(surge));
    let new_replicas = i64::from(replicas_of(new));
    if current >= max_total {
        return Some(replicas_of(new));
    }
    let scale_up = max_total.saturating_sub(current).min(i64::from(replicas).saturating_sub(new_replicas));
    Some(clamp_i32(new_replicas.saturating_add(scale_up)))
}

fn clamp_i32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

fn sum(rss: impl Iterator<Item = i32>) -> i32 {
    clamp_i32(rss.map(i64::from).fold(0i64, i64::saturating_add))
}

/// The replica-count annotation `key` as upstream reads it: decimal digits
/// only (no sign: Go's `ParseUint`, where Rust's parser would take `+2` and
/// `-1`), at most `i32::MAX`; `None` when missing or invalid.
/// upstream: deployment_util.go getNonNegativeInt32FromAnnotation
fn int_annotation(meta: &ObjectMeta, key: &str) -> Option<i32> {
    let value = meta.annotation(key)?;
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse::<i32>().ok()
}

/// Upstream's `Revision`: the revision annotation; missing is 0, unparsable
/// an error (`None`).
pub fn revision(rs: &ReplicaSet) -> Option<i64> {
    match rs.metadata.annotation(REVISION_ANNOTATION) {
        None => Some(0),
        Some(v) => v.parse::<i64>().ok(),
    }
}

/// Upstream's `MaxRevision`.
fn max_revision<'r>(rss: impl Iterator<Item = &'r ReplicaSet>) -> i64 {
    rss.filter_map(revision).max().unwrap_or(0).max(0)
}

/// Upstream's `EqualIgnoreHash`: equal templates once the
/// `pod-template-hash` label is removed from both, compared as
/// `Semantic.DeepEqual` does ([`super::semantic_equal`]: an empty list
/// equals an absent one, `cpu: 0.5` equals `cpu: 500m`), so a template
/// written by hand matches one the API server normalized.
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    if exactly_equal_ignore_hash(a, b) {
        return true;
    }
    // Fields the semantic comparison reads as written, checked first: most
    // templates that differ differ here, and cost no serialization.
    // (A Go string: an empty image is an absent one.)
    fn images(t: &PodTemplateSpec) -> Vec<(&str, &str)> {
        let spec = t.spec.as_ref();
        spec.map(|s| {
            s.containers.iter().map(|c| (c.name.as_str(), c.image.as_deref().unwrap_or(""))).collect()
        })
        .unwrap_or_default()
    }
    if images(a) != images(b) {
        return false;
    }
    let hashless = |t: &PodTemplateSpec| {
        let mut v = serde_json::to_value(t).unwrap_or(serde_json::Value::Null);
        if let Some(labels) = v.pointer_mut("/metadata/labels").and_then(serde_json::Value::as_object_mut) {
            labels.remove(POD_TEMPLATE_HASH_LABEL);
        }
        v
    };
    super::semantic_equal(&hashless(a), &hashless(b))
}

/// [`equal_ignore_hash`] with fields compared as written.
fn exactly_equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    if a.spec != b.spec || a.other != b.other {
        return false;
    }
    let empty = ObjectMeta::default();
    let (ma, mb) = (a.metadata.as_ref().unwrap_or(&empty), b.metadata.as_ref().unwrap_or(&empty));
    if hashless_labels(ma) != hashless_labels(mb) {
        return false;
    }
    let strip = |m: &ObjectMeta| ObjectMeta { labels: None, ..m.clone() };
    strip(ma) == strip(mb)
}

fn hashless_labels(m: &ObjectMeta) -> Vec<(&String, &String)> {
    let mut v: Vec<_> = m.labels().iter().filter(|(k, _)| k.as_str() != POD_TEMPLATE_HASH_LABEL).collect();
    v.sort();
    v
}

/// Upstream's `FindNewReplicaSet` (deployment_util.go): among `rss` (the
/// Deployment's own ReplicaSets), the one whose template equals the
/// Deployment's ignoring the `pod-template-hash` label ([`equal_ignore_hash`]);
/// when several match (after a cluster upgrade, kubernetes#40415), the
/// oldest by creation timestamp, then by name
/// (`ReplicaSetsByCreationTimestamp`). A ReplicaSet without a template has
/// the empty one, as in Go.
///
/// This is the only pass upstream 1.35 makes. A second pass that would also
/// accept a ReplicaSet whose template lost fields of a disabled feature gate
/// (kubernetes#141961) is proposed in kubernetes#142189 and not merged, so it
/// is not made here.
pub fn find_new_replica_set<'r>(d: &Deployment, rss: &[&'r ReplicaSet]) -> Option<&'r ReplicaSet> {
    let template = d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    find_new_index(&template, rss.iter().copied()).and_then(|i| rss.get(i).copied())
}

/// The index in `rss` of the new ReplicaSet for `template` (see
/// [`find_new_replica_set`]).
fn find_new_index<'r>(
    template: &PodTemplateSpec,
    rss: impl Iterator<Item = &'r ReplicaSet>,
) -> Option<usize> {
    let empty = PodTemplateSpec::default();
    let mut best: Option<(usize, &ReplicaSet)> = None;
    for (i, rs) in rss.enumerate() {
        let t = rs.spec.as_ref().and_then(|s| s.template.as_ref()).unwrap_or(&empty);
        if equal_ignore_hash(t, template) && best.is_none_or(|(_, b)| by_creation(rs, b) == Ordering::Less) {
            best = Some((i, rs));
        }
    }
    best.map(|(i, _)| i)
}

/// Compares creation timestamps, then names (upstream:
/// `ReplicaSetsByCreationTimestamp`).
fn by_creation(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    a.metadata
        .creation_timestamp
        .cmp(&b.metadata.creation_timestamp)
        .then_with(|| a.metadata.name().cmp(b.metadata.name()))
}

/// Upstream's `ReplicaSetsByRevision`: ascending revision; equal or
/// unparsable revisions fall back to creation order.
fn by_revision(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    match (revision(a), revision(b)) {
        (Some(ra), Some(rb)) if ra != rb => ra.cmp(&rb),
        _ => by_creation(a, b),
    }
}

/// An order of ReplicaSets (the comparators below).
type RsOrder = fn(&ReplicaSet, &ReplicaSet) -> Ordering;

/// Upstream's `ReplicaSetsBySizeOlder`: larger first, then older first.
fn by_size_older(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    replicas_of(b).cmp(&replicas_of(a)).then_with(|| by_creation(a, b))
}

/// Upstream's `ReplicaSetsBySizeNewer`: larger first, then newer first.
fn by_size_newer(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    replicas_of(b).cmp(&replicas_of(a)).then_with(|| by_creation(b, a))
}

/// Round half away from zero of `num / den` (Go's `math.Round` of the
/// quotient), for `den > 0`.
fn round_div(num: i64, den: i64) -> i64 {
    if den <= 0 {
        return 0;
    }
    let (n, d) = (i128::from(num), i128::from(den));
    // i128 holds every product of two i64 values: no overflow possible.
    let two_d = d.saturating_mul(2);
    let q = if n >= 0 {
        n.saturating_mul(2).saturating_add(d).checked_div(two_d).unwrap_or(0)
    } else {
        n.saturating_mul(-2).saturating_add(d).checked_div(two_d).unwrap_or(0).saturating_neg()
    };
    i64::try_from(q).unwrap_or(0)
}

/// Upstream's `getReplicaSetFraction`.
fn replica_set_fraction(rs: &ReplicaSet, d: &Deployment) -> i32 {
    let replicas = d_replicas(d);
    if replicas == 0 {
        return replicas_of(rs).saturating_neg();
    }
    let deployment_max = i64::from(replicas).saturating_add(i64::from(max_surge(d)));
    let annotated = int_annotation(&rs.metadata, MAX_REPLICAS_ANNOTATION).filter(|v| *v > 0);
    let before = match annotated {
        Some(v) => i64::from(v),
        None => {
            let status_replicas = d.status.as_ref().and_then(|s| s.replicas).unwrap_or(0);
            if status_replicas <= 0 {
                return 0;
            }
            i64::from(status_replicas)
        }
    };
    let size = i64::from(replicas_of(rs));
    clamp_i32(round_div(size.saturating_mul(deployment_max), before).saturating_sub(size))
}

/// Upstream's `GetProportion`.
fn proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if replicas_of(rs) == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, d);
    let allowed = to_add.saturating_sub(added);
    if to_add > 0 { fraction.min(allowed) } else { fraction.max(allowed) }
}

/// Upstream's `IsSaturated`. Unlike the other readers of `desired-replicas`
/// it parses the annotation with `strconv.Atoi` (a sign allowed, any int64)
/// and compares it as `int32(desired)`, which keeps the low 32 bits.
fn is_saturated(d: &Deployment, rs: &ReplicaSet) -> bool {
    let replicas = d_replicas(d);
    let Some(desired) =
        rs.metadata.annotation(DESIRED_REPLICAS_ANNOTATION).and_then(|v| v.parse::<i64>().ok())
    else {
        return false;
    };
    replicas_of(rs) == replicas && low_i32(desired) == replicas && status_of(rs).2 == replicas
}

/// Go's `int32(x)` of an int64: the low 32 bits, as two's complement.
fn low_i32(x: i64) -> i32 {
    let low = x.rem_euclid(1 << 32);
    let signed = if low >= 1 << 31 { low.saturating_sub(1 << 32) } else { low };
    i32::try_from(signed).unwrap_or(0)
}

/// Upstream's `DeploymentComplete`.
pub fn deployment_complete(d: &Deployment, status: &DeploymentStatus) -> bool {
    let replicas = d_replicas(d);
    status.updated_replicas.unwrap_or(0) == replicas
        && status.replicas.unwrap_or(0) == replicas
        && status.available_replicas.unwrap_or(0) == replicas
        && status.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0)
}

/// Upstream's `DeploymentProgressing`: `new` shows progress over the status
/// stored on the Deployment.
pub fn deployment_progressing(d: &Deployment, new: &DeploymentStatus) -> bool {
    let old = d.status.clone().unwrap_or_default();
    let g = |v: Option<i32>| i64::from(v.unwrap_or(0));
    let old_old = g(old.replicas).saturating_sub(g(old.updated_replicas));
    let new_old = g(new.replicas).saturating_sub(g(new.updated_replicas));
    g(new.updated_replicas) > g(old.updated_replicas)
        || new_old < old_old
        || g(new.ready_replicas) > g(old.ready_replicas)
        || g(new.available_replicas) > g(old.available_replicas)
}

fn progress_deadline(d: &Deployment) -> Option<i32> {
    let secs = d
        .spec
        .as_ref()
        .map_or(crate::api::DEFAULT_PROGRESS_DEADLINE_SECONDS, |s| s.progress_deadline_seconds_or_default());
    (secs != i32::MAX).then_some(secs)
}

/// Upstream's `DeploymentTimedOut`: the Progressing condition of `status`
/// was last updated more than `progressDeadlineSeconds` before `now`.
pub fn deployment_timed_out(d: &Deployment, status: &DeploymentStatus, now: Time) -> bool {
    let Some(deadline) = progress_deadline(d) else {
        return false;
    };
    let Some(cond) = condition(status, PROGRESSING) else {
        return false;
    };
    match cond.reason.as_deref() {
        Some(NEW_RS_AVAILABLE_REASON) => false,
        Some(TIMED_OUT_REASON) => true,
        _ => cond.last_update_time.unwrap_or(Time::EPOCH).add_seconds(i64::from(deadline)) < now,
    }
}

fn condition<'s>(status: &'s DeploymentStatus, type_: &str) -> Option<&'s Condition> {
    status.conditions.as_deref()?.iter().find(|c| c.type_ == type_)
}

fn new_condition(
    type_: &str,
    status: ConditionStatus,
    reason: &str,
    message: String,
    now: Time,
) -> Condition {
    Condition {
        type_: type_.into(),
        status,
        last_update_time: Some(now),
        last_transition_time: Some(now),
        reason: Some(reason.into()),
        message: Some(message),
        ..Condition::default()
    }
}

/// Upstream's `SetDeploymentCondition`.
fn set_condition(status: &mut DeploymentStatus, mut c: Condition) {
    let conditions = status.conditions.get_or_insert_with(Vec::new);
    if let Some(cur) = conditions.iter().find(|x| x.type_ == c.type_) {
        if cur.status == c.status && cur.reason == c.reason {
            return;
        }
        if cur.status == c.status {
            c.last_transition_time = cur.last_transition_time;
        }
    }
    conditions.retain(|x| x.type_ != c.type_);
    conditions.push(c);
}

fn remove_condition(status: &mut DeploymentStatus, type_: &str) {
    if let Some(c) = status.conditions.as_mut() {
        c.retain(|x| x.type_ != type_);
        if c.is_empty() {
            status.conditions = None;
        }
    }
}

// ---------------------------------------------------------------------------
// pod-template-hash
// ---------------------------------------------------------------------------

/// The `pod-template-hash` of a template (semantics DECISIONS deployment
/// Q1): FNV-1a 32 over the canonical JSON (sorted keys, no whitespace),
/// then `collision_count` as 4 little-endian bytes when set; the decimal
/// digits of the result mapped through `bcdfghjklmnpqrstvwxz2456789` as
/// upstream's `SafeEncodeString`. Stable across releases; it differs from
/// upstream's value.
pub fn pod_template_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let value = serde_json::to_value(template).unwrap_or(serde_json::Value::Null);
    super::hash::stable_hash(&value, collision_count)
}

// ---------------------------------------------------------------------------
// The sync
// ---------------------------------------------------------------------------

/// Reconciles a Deployment with the default [`Config`].
pub fn reconcile(desired: &Deployment, observed: &Observed<'_>, now: Time) -> Vec<Action> {
    reconcile_with(desired, observed, now, &Config::default())
}

/// Reconciles a Deployment (upstream: `syncDeployment`).
pub fn reconcile_with(
    desired: &Deployment,
    observed: &Observed<'_>,
    now: Time,
    config: &Config,
) -> Vec<Action> {
    let mut d = desired.clone();
    d.fill_type_meta();
    let mut actions = Vec::new();

    // An empty selector selects everything: refuse (upstream: SelectingAll).
    // A null or missing one is Go's nil, which is not `{}` and selects
    // nothing (DECISIONS G5).
    let declared = declared_selector(&d);
    if declared.is_some_and(is_empty_selector) {
        actions.push(Action::Event(Event {
            regarding: d.object_ref(),
            type_: EventType::Warning,
            reason: "SelectingAll".into(),
            message: "This deployment is selecting all pods. A non-empty selector is required.".into(),
        }));
        let status = d.status.clone().unwrap_or_default();
        if status.observed_generation.unwrap_or(0) < d.metadata.generation.unwrap_or(0) {
            let mut out = d.clone();
            out.status = Some(DeploymentStatus { observed_generation: d.metadata.generation, ..status });
            actions.push(Action::UpdateStatus { object: out.into() });
        }
        return actions;
    }
    // One that does not convert ends the sync (upstream:
    // getReplicaSetsForDeployment's error).
    let Ok(selector) = Selector::from_optional_label_selector(declared) else {
        return actions;
    };

    // Claim ReplicaSets by their labels (upstream: getReplicaSetsForDeployment).
    let mut candidates: Vec<&ReplicaSet> = observed.replica_sets.iter().collect();
    super::by_name(&mut candidates, |rs: &ReplicaSet| &rs.metadata);
    let reference = controller_ref(Deployment::API_VERSION, Deployment::KIND, &d.metadata);
    let mut owned: Vec<Cow<'_, ReplicaSet>> = Vec::new();
    for rs in candidates {
        match claim(&rs.metadata, &d.metadata, selector.matches(&rs.metadata)) {
            Claim::Owned => owned.push(Cow::Borrowed(rs)),
            Claim::Adopt => {
                let mut adopted = rs.clone();
                adopted.metadata = with_owner(&rs.metadata, reference.clone());
                actions.push(Action::Update { object: adopted.clone().into(), change: "adopt".into() });
                owned.push(Cow::Owned(adopted));
            }
            Claim::Release => {
                let mut released = rs.clone();
                released.metadata = without_owner(&rs.metadata, d.metadata.uid());
                actions.push(Action::Update { object: released.into(), change: "release".into() });
            }
            Claim::Ignore => {}
        }
    }
    // Upstream's FindOldReplicaSets lists the old ReplicaSets after
    // FindNewReplicaSet sorted them in place, oldest first; every later step
    // that walks them without sorting again sees that order. Stable: equal
    // keys keep the (name, UID) order (DECISIONS G2).
    // upstream: deployment_util.go FindOldReplicaSets, FindNewReplicaSet
    owned.sort_by(|a, b| by_creation(a, b));

    let original_status = d.status.clone().unwrap_or_default();
    let original_annotations = d.metadata.annotations.clone();
    let original_spec = d.spec.clone();
    let mut sync = Sync {
        d,
        rss: owned,
        observed_rss: observed.replica_sets,
        actions,
        now,
        config,
        new_idx: None,
        status: None,
        requeue: None,
        stop: false,
        remember: None,
        new_rs_updated: false,
        after_writes: Vec::new(),
        unscaled: Vec::new(),
    };

    if let Some(failure) = observed.memory.create_failure.as_ref() {
        // The executor's create of the new ReplicaSet failed: finish that
        // sync as upstream does, and only that.
        sync.report_create_failure(failure);
    } else if sync.d.metadata.is_terminating() {
        // upstream: syncStatusOnly.
        sync.find_new_and_sync_revision(false);
        sync.sync_deployment_status();
    } else {
        sync.check_paused_conditions();
        let paused = sync.d.spec.as_ref().is_some_and(|s| s.is_paused());
        if paused {
            sync.sync_scaling();
        } else if let Some(to) = rollback_to(&sync.d) {
            sync.legacy_rollback(to);
        } else if sync.is_scaling_event() {
            sync.sync_scaling();
        } else if is_rolling(&sync.d) {
            sync.rollout_rolling();
        } else if sync.d.spec.as_ref().is_some_and(|s| s.strategy_type() == DeploymentStrategyType::Recreate)
        {
            sync.rollout_recreate(observed.pods, &selector);
        }
        // An unknown strategy type rolls nothing out: upstream's
        // syncDeployment returns "unexpected deployment strategy type" after
        // the paused, rollback and scaling paths.
    }
    sync.finish(&original_status, original_annotations.as_ref(), original_spec.as_ref())
}

/// The revision the legacy rollback annotation asks for. Upstream ignores
/// an empty or non-integer value: no rollback, the annotation stays, and a
/// paused Deployment still cleans up its history.
/// upstream: rollback.go getRollbackTo
fn rollback_to(d: &Deployment) -> Option<i64> {
    d.metadata.annotation(ROLLBACK_TO_ANNOTATION)?.parse::<i64>().ok()
}

/// The Deployment's `spec.selector`, `None` when there is no spec or the
/// selector is null or missing on the wire (Go's nil).
fn declared_selector(d: &Deployment) -> Option<&LabelSelector> {
    d.spec.as_ref().filter(|s| !s.is_unset_on_wire("selector")).map(|s| &s.selector)
}

fn is_empty_selector(s: &LabelSelector) -> bool {
    s.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && s.match_expressions.as_ref().is_none_or(|e| e.is_empty())
}

/// The working state of one sync.
struct Sync<'a, 'c> {
    /// The Deployment as the sync updates it (annotations, status).
    d: Deployment,
    /// The owned ReplicaSets, as the sync updates them, oldest first
    /// (creation timestamp, then name); a ReplicaSet created by the sync
    /// comes last.
    rss: Vec<Cow<'a, ReplicaSet>>,
    /// Every observed ReplicaSet (to detect name collisions).
    observed_rss: &'a [ReplicaSet],
    actions: Vec<Action>,
    now: Time,
    config: &'c Config,
    new_idx: Option<usize>,
    /// The status to write, once computed.
    status: Option<DeploymentStatus>,
    requeue: Option<std::time::Duration>,
    /// Set when an error ends the sync (hash collision).
    stop: bool,
    /// The memory to hand back, when it changed.
    remember: Option<DeploymentMemory>,
    /// This sync updated the new ReplicaSet's annotations or minReadySeconds.
    new_rs_updated: bool,
    /// Events upstream records only after the sync's Deployment writes
    /// succeeded (the rollback it made, the failed create it reports):
    /// `finish` emits them after those writes.
    after_writes: Vec<Action>,
    /// `spec.replicas` of each ReplicaSet this sync scaled, as it was before
    /// (index into `rss`, size). Upstream scales copies and keeps computing
    /// status and history cleanup from the ReplicaSets it listed.
    unscaled: Vec<(usize, i32)>,
}

impl<'a> Sync<'a, '_> {
    fn replicas(&self) -> i32 {
        d_replicas(&self.d)
    }

    /// The old ReplicaSets, oldest first: every one but the new one, told
    /// apart by position. Upstream's FindOldReplicaSets compares UIDs, which
    /// is the same for objects an API server wrote (UIDs are unique); here
    /// hand-built ReplicaSets without UIDs are not all taken for the new
    /// one.
    fn old_indices(&self) -> Vec<usize> {
        (0..self.rss.len()).filter(|i| Some(*i) != self.new_idx).collect()
    }

    fn rs(&self, i: usize) -> Option<&ReplicaSet> {
        self.rss.get(i).map(|c| c.as_ref())
    }

    /// `spec.replicas` of ReplicaSet `i` before this sync scaled it.
    fn replicas_before_scaling(&self, i: usize) -> i32 {
        match self.unscaled.iter().find(|(j, _)| *j == i) {
            Some((_, r)) => *r,
            None => self.rs(i).map_or(0, replicas_of),
        }
    }

    fn event(&mut self, type_: EventType, reason: &str, message: String) {
        let event = self.new_event(type_, reason, message);
        self.actions.push(event);
    }

    /// An event upstream records once the sync's writes succeeded.
    fn event_after_writes(&mut self, type_: EventType, reason: &str, message: String) {
        let event = self.new_event(type_, reason, message);
        self.after_writes.push(event);
    }

    fn new_event(&self, type_: EventType, reason: &str, message: String) -> Action {
        Action::Event(Event { regarding: self.d.object_ref(), type_, reason: reason.into(), message })
    }

    fn status_mut(&mut self) -> &mut DeploymentStatus {
        self.d.status.get_or_insert_with(DeploymentStatus::default)
    }

    /// upstream: the error branch of `getNewReplicaSet` (sync.go) after a
    /// failed create of the new ReplicaSet: `Progressing=False` with reason
    /// `ReplicaSetCreateError` when the Deployment has a progress deadline,
    /// the same reason as a warning event, and the sync ends with an error
    /// (a requeue). The reported failure is forgotten.
    fn report_create_failure(&mut self, failure: &ReplicaSetCreateFailure) {
        let message =
            format!("Failed to create new replica set {}: {}", go_quote(&failure.name), failure.message);
        if progress_deadline(&self.d).is_some() {
            let c = new_condition(
                PROGRESSING,
                ConditionStatus::False,
                FAILED_RS_CREATE_REASON,
                message.clone(),
                self.now,
            );
            set_condition(self.status_mut(), c);
        }
        // upstream: getNewReplicaSet writes the condition, then records
        // the event.
        self.event_after_writes(EventType::Warning, FAILED_RS_CREATE_REASON, message);
        self.remember = Some(DeploymentMemory::default());
        self.requeue = Some(std::time::Duration::ZERO);
        self.stop = true;
    }

    /// upstream: checkPausedConditions.
    fn check_paused_conditions(&mut self) {
        if progress_deadline(&self.d).is_none() {
            return;
        }
        let status = self.d.status.clone().unwrap_or_default();
        let cond = condition(&status, PROGRESSING);
        let reason = cond.and_then(|c| c.reason.as_deref());
        if reason == Some(TIMED_OUT_REASON) {
            return;
        }
        let paused = self.d.spec.as_ref().is_some_and(|s| s.is_paused());
        let now = self.now;
        if paused && reason != Some(PAUSED_DEPLOY_REASON) {
            let c = new_condition(
                PROGRESSING,
                ConditionStatus::Unknown,
                PAUSED_DEPLOY_REASON,
                "Deployment is paused".into(),
                now,
            );
            set_condition(self.status_mut(), c);
        } else if !paused && reason == Some(PAUSED_DEPLOY_REASON) {
            let c = new_condition(
                PROGRESSING,
                ConditionStatus::Unknown,
                RESUMED_DEPLOY_REASON,
                "Deployment is resumed".into(),
                now,
            );
            set_condition(self.status_mut(), c);
        }
    }

    /// upstream: getAllReplicaSetsAndSyncRevision / getNewReplicaSet.
    fn find_new_and_sync_revision(&mut self, create: bool) {
        let template = self.d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
        self.new_idx = find_new_index(&template, self.rss.iter().map(|c| c.as_ref()));
        let new_revision =
            max_revision(self.old_indices().into_iter().filter_map(|i| self.rs(i))).saturating_add(1);
        let now = self.now;

        if let Some(idx) = self.new_idx {
            let d = self.d.clone();
            let Some(rs) = self.rss.get_mut(idx) else { return };
            let mut copy = rs.as_ref().clone();
            let annotations_updated = set_new_replica_set_annotations(&d, &mut copy, new_revision, true);
            let min_ready = d.spec.as_ref().and_then(|s| s.min_ready_seconds);
            let copy_spec = copy.spec.get_or_insert_with(ReplicaSetSpec::default);
            let min_ready_needs_update = copy_spec.min_ready_seconds.unwrap_or(0) != min_ready.unwrap_or(0);
            if annotations_updated || min_ready_needs_update {
                copy_spec.min_ready_seconds = min_ready;
                *rs = Cow::Owned(copy.clone());
                self.actions
                    .push(Action::Update { object: copy.into(), change: "sync revision annotations".into() });
                self.new_rs_updated = true;
                return;
            }
            // A revision that does not parse stops the annotation sync after
            // the Deployment's annotations were copied: upstream goes on with
            // that copy as the new ReplicaSet, so a scale later in this sync
            // writes them (getNewReplicaSet returns rsCopy).
            if copy.metadata != rs.metadata {
                *rs = Cow::Owned(copy.clone());
            }
            // Another lookup in the same sync (after isScalingEvent's) finds
            // the copy updated above; the revision and FoundNewReplicaSet
            // still wait for a later sync (deployment.md §5).
            if self.new_rs_updated {
                return;
            }
            let rev = copy.metadata.annotation(REVISION_ANNOTATION).unwrap_or("").to_owned();
            set_deployment_revision(&mut self.d, &rev);
            let has_progressing = self.d.status.as_ref().and_then(|s| condition(s, PROGRESSING)).is_some();
            if progress_deadline(&self.d).is_some() && !has_progressing {
                let c = new_condition(
                    PROGRESSING,
                    ConditionStatus::True,
                    FOUND_NEW_RS_REASON,
                    format!("Found new replica set {}", go_quote(copy.metadata.name())),
                    now,
                );
                set_condition(self.status_mut(), c);
            }
            return;
        }
        if !create {
            return;
        }
        // Without a selector (null or missing: Go's nil) there is no
        // ReplicaSet selector to derive; upstream's CloneSelectorAndAddLabel
        // dereferences the nil one and the sync dies there, after the
        // releases and before any create or status write. End the sync the
        // same way rather than create a ReplicaSet the next sync releases.
        if declared_selector(&self.d).is_none() {
            self.stop = true;
            return;
        }

        // Create the new ReplicaSet.
        let collision_count = self.d.status.as_ref().and_then(|s| s.collision_count);
        let hash = pod_template_hash(&template, collision_count);
        let mut new_template = template.clone();
        new_template
            .metadata
            .get_or_insert_with(ObjectMeta::default)
            .set_label(POD_TEMPLATE_HASH_LABEL, hash.clone());
        let mut selector = self.d.spec.as_ref().map(|s| s.selector.clone()).unwrap_or_default();
        selector
            .match_labels
            .get_or_insert_with(StringMap::new)
            .insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
        let name = replica_set_name(self.d.metadata.name(), &hash);
        let mut new_rs = ReplicaSet {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                namespace: self.d.metadata.namespace.clone(),
                labels: new_template.metadata.as_ref().and_then(|m| m.labels.clone()),
                owner_references: Some(vec![controller_ref(
                    Deployment::API_VERSION,
                    Deployment::KIND,
                    &self.d.metadata,
                )]),
                ..ObjectMeta::default()
            },
            spec: Some(ReplicaSetSpec {
                replicas: Some(0),
                min_ready_seconds: self.d.spec.as_ref().and_then(|s| s.min_ready_seconds),
                selector,
                template: Some(new_template),
                ..ReplicaSetSpec::default()
            }),
            ..ReplicaSet::default()
        };
        new_rs.fill_type_meta();
        let count = {
            let all: Vec<&ReplicaSet> =
                self.rss.iter().map(|c| c.as_ref()).chain(std::iter::once(&new_rs)).collect();
            new_rs_new_replicas(&self.d, &all, &new_rs)
        };
        // upstream: getNewReplicaSet returns NewRSNewReplicas' error before
        // it creates anything.
        let Some(count) = count else {
            self.stop = true;
            return;
        };
        if let Some(s) = new_rs.spec.as_mut() {
            s.replicas = Some(count);
        }
        let d = self.d.clone();
        set_new_replica_set_annotations(&d, &mut new_rs, new_revision, false);

        // AlreadyExists: the name is taken. Only a ReplicaSet this
        // Deployment controls with an equal template may be reused; anything
        // else is a hash collision.
        let ns = self.d.metadata.namespace().to_owned();
        let uid = self.d.metadata.uid().to_owned();
        if let Some(existing) =
            self.observed_rss.iter().find(|rs| rs.metadata.namespace() == ns && rs.metadata.name() == name)
        {
            let ours = existing.metadata.controller_ref().is_some_and(|r| r.uid == uid)
                && existing
                    .spec
                    .as_ref()
                    .and_then(|s| s.template.as_ref())
                    .is_some_and(|t| equal_ignore_hash(t, &template));
            if !ours {
                self.collision();
                return;
            }
            match self.rss.iter().position(|rs| rs.metadata.name() == name) {
                Some(i) => self.new_idx = Some(i),
                None => {
                    self.rss.push(Cow::Borrowed(existing));
                    self.new_idx = Some(self.rss.len().saturating_sub(1));
                }
            }
            set_deployment_revision(&mut self.d, &new_revision.to_string());
            return;
        }
        self.actions.push(Action::Create { object: new_rs.clone().into() });
        if count > 0 {
            self.event(
                EventType::Normal,
                "ScalingReplicaSet",
                format!("Scaled up replica set {name} from 0 to {count}"),
            );
        }
        set_deployment_revision(&mut self.d, &new_revision.to_string());
        if progress_deadline(&self.d).is_some() {
            let c = new_condition(
                PROGRESSING,
                ConditionStatus::True,
                NEW_RS_REASON,
                format!("Created new replica set {}", go_quote(&name)),
                now,
            );
            set_condition(self.status_mut(), c);
        }
        self.rss.push(Cow::Owned(new_rs));
        self.new_idx = Some(self.rss.len().saturating_sub(1));
    }

    /// A hash collision: bump `collisionCount`, write the status and retry.
    fn collision(&mut self) {
        let status = self.status_mut();
        // Go's `*CollisionCount++` wraps at the int32 maximum (and the
        // status write is then refused by validation, so the sync fails).
        status.collision_count = Some(status.collision_count.unwrap_or(0).wrapping_add(1));
        self.status = self.d.status.clone();
        self.requeue = Some(std::time::Duration::ZERO);
        self.stop = true;
    }

    /// upstream: scaleReplicaSetAndRecordEvent.
    fn scale_and_record(&mut self, idx: usize, new_scale: i32) -> bool {
        match self.rs(idx).map(replicas_of) {
            Some(old) if old != new_scale => self.scale(idx, new_scale),
            _ => false,
        }
    }

    /// upstream: scaleReplicaSet. Returns whether the size changed. The
    /// event names this ReplicaSet's own direction (current upstream
    /// compares its old and new scale; the caller's direction went with the
    /// older "Scaled %s replica set %s to %d" message).
    fn scale(&mut self, idx: usize, new_scale: i32) -> bool {
        let replicas = self.replicas();
        let max = replicas.saturating_add(max_surge(&self.d));
        let Some(rs) = self.rss.get_mut(idx) else { return false };
        let old_scale = replicas_of(rs);
        let size_needs_update = old_scale != new_scale;
        let annotations_need_update = replicas_annotations_need_update(rs, replicas, max);
        if !size_needs_update && !annotations_need_update {
            return false;
        }
        if !self.unscaled.iter().any(|(j, _)| *j == idx) {
            self.unscaled.push((idx, old_scale));
        }
        let copy = rs.to_mut();
        copy.spec.get_or_insert_with(ReplicaSetSpec::default).replicas = Some(new_scale);
        set_replicas_annotations(copy, replicas, max);
        let name = copy.metadata.name().to_owned();
        let change = if size_needs_update {
            format!("scale {old_scale} -> {new_scale}")
        } else {
            format!("annotate desired-replicas {replicas}, max-replicas {max}")
        };
        self.actions.push(Action::Update { object: copy.clone().into(), change });
        if size_needs_update {
            let op = if old_scale < new_scale { "up" } else { "down" };
            self.event(
                EventType::Normal,
                "ScalingReplicaSet",
                format!("Scaled {op} replica set {name} from {old_scale} to {new_scale}"),
            );
        }
        size_needs_update
    }

    fn is_active(&self, i: usize) -> bool {
        self.rs(i).is_some_and(|rs| replicas_of(rs) > 0)
    }

    /// upstream: isScalingEvent.
    fn is_scaling_event(&mut self) -> bool {
        self.find_new_and_sync_revision(false);
        let replicas = self.replicas();
        (0..self.rss.len()).filter(|i| self.is_active(*i)).any(|i| {
            self.rs(i)
                .and_then(|rs| int_annotation(&rs.metadata, DESIRED_REPLICAS_ANNOTATION))
                .is_some_and(|desired| desired != replicas)
        })
    }

    /// upstream: sync (scaling without rolling, and the paused path).
    fn sync_scaling(&mut self) {
        self.find_new_and_sync_revision(false);
        if self.stop {
            return;
        }
        self.scale_all();
        let paused = self.d.spec.as_ref().is_some_and(|s| s.is_paused());
        if paused && rollback_to(&self.d).is_none() {
            self.cleanup();
        }
        self.sync_deployment_status();
    }

    /// upstream: scale.
    fn scale_all(&mut self) {
        let replicas = self.replicas();
        // FindActiveOrLatest sorts the old ReplicaSets newest first, in
        // place: the scale-down after saturation and the unsorted
        // proportional pass (nothing to add) walk them in that order.
        // upstream: deployment_util.go FindActiveOrLatest
        let mut olds = self.old_indices();
        olds.reverse();
        let active: Vec<usize> = (0..self.rss.len()).filter(|i| self.is_active(*i)).collect();
        if self.new_idx.is_some() || !olds.is_empty() {
            let pick = match active.as_slice() {
                [] => self.new_idx.or_else(|| olds.first().copied()),
                [one] => Some(*one),
                _ => None,
            };
            if let Some(idx) = pick {
                self.scale_and_record(idx, replicas);
                return;
            }
        }
        if let Some(new_idx) = self.new_idx
            && self.rs(new_idx).is_some_and(|rs| is_saturated(&self.d, rs))
        {
            let active_olds: Vec<usize> = olds.into_iter().filter(|i| self.is_active(*i)).collect();
            for i in active_olds {
                self.scale_and_record(i, 0);
            }
            return;
        }
        if !is_rolling(&self.d) {
            return;
        }
        // Proportional scaling.
        let mut all: Vec<usize> =
            olds.into_iter().chain(self.new_idx).filter(|i| self.is_active(*i)).collect();
        let total = sum(all.iter().filter_map(|i| self.rs(*i)).map(replicas_of));
        let allowed = if replicas > 0 { replicas.saturating_add(max_surge(&self.d)) } else { 0 };
        let to_add = allowed.saturating_sub(total);
        let cmp: Option<RsOrder> = match to_add.cmp(&0) {
            Ordering::Greater => Some(by_size_newer),
            Ordering::Less => Some(by_size_older),
            Ordering::Equal => None,
        };
        if let Some(cmp) = cmp {
            all.sort_by(|a, b| match (self.rs(*a), self.rs(*b)) {
                (Some(x), Some(y)) => cmp(x, y),
                _ => Ordering::Equal,
            });
        }
        let mut added: i32 = 0;
        let mut sizes: Vec<(usize, i32)> = Vec::with_capacity(all.len());
        for &i in &all {
            let Some(rs) = self.rs(i) else { continue };
            let p = proportion(rs, &self.d, to_add, added);
            sizes.push((i, replicas_of(rs).saturating_add(p)));
            added = added.saturating_add(p);
        }
        if let Some(first) = sizes.first_mut()
            && to_add != 0
        {
            first.1 = first.1.saturating_add(to_add.saturating_sub(added)).max(0);
        }
        for (i, size) in sizes {
            self.scale(i, size);
        }
    }

    /// upstream: rolloutRolling.
    fn rollout_rolling(&mut self) {
        self.find_new_and_sync_revision(true);
        if self.stop {
            return;
        }
        let Some(new_idx) = self.new_idx else {
            self.sync_rollout_status();
            return;
        };
        // reconcileNewReplicaSet.
        let replicas = self.replicas();
        let new_replicas = self.rs(new_idx).map_or(0, replicas_of);
        let scaled_up = match new_replicas.cmp(&replicas) {
            Ordering::Equal => false,
            Ordering::Greater => self.scale_and_record(new_idx, replicas),
            Ordering::Less => {
                let count = {
                    let all: Vec<&ReplicaSet> = self.rss.iter().map(|c| c.as_ref()).collect();
                    self.rs(new_idx).and_then(|n| new_rs_new_replicas(&self.d, &all, n))
                };
                // upstream: reconcileNewReplicaSet returns NewRSNewReplicas'
                // error, and rolloutRolling with it.
                let Some(count) = count else {
                    self.stop = true;
                    return;
                };
                self.scale_and_record(new_idx, count)
            }
        };
        if scaled_up {
            self.sync_rollout_status();
            return;
        }
        if self.reconcile_old_replica_sets(new_idx) {
            self.sync_rollout_status();
            return;
        }
        let stored = self.d.status.clone().unwrap_or_default();
        if deployment_complete(&self.d, &stored) {
            self.cleanup();
        }
        self.sync_rollout_status();
    }

    /// upstream: reconcileOldReplicaSets.
    fn reconcile_old_replica_sets(&mut self, new_idx: usize) -> bool {
        let mut olds: Vec<usize> = self.old_indices().into_iter().filter(|i| self.is_active(*i)).collect();
        let old_pods = sum(olds.iter().filter_map(|i| self.rs(*i)).map(replicas_of));
        if old_pods == 0 {
            return false;
        }
        let all_pods = i64::from(sum(self.rss.iter().map(|c| replicas_of(c))));
        let min_available = i64::from(self.replicas()).saturating_sub(i64::from(max_unavailable(&self.d)));
        let new_unavailable = self
            .rs(new_idx)
            .map_or(0, |n| i64::from(replicas_of(n)).saturating_sub(i64::from(status_of(n).2)));
        let max_scaled_down = all_pods.saturating_sub(min_available).saturating_sub(new_unavailable);
        if max_scaled_down <= 0 {
            return false;
        }
        olds.sort_by(|a, b| match (self.rs(*a), self.rs(*b)) {
            (Some(x), Some(y)) => by_creation(x, y),
            _ => Ordering::Equal,
        });
        // cleanupUnhealthyReplicas.
        let mut cleaned: i64 = 0;
        for &i in &olds {
            if cleaned >= max_scaled_down {
                break;
            }
            let Some(rs) = self.rs(i) else { continue };
            let (spec, available) = (i64::from(replicas_of(rs)), i64::from(status_of(rs).2));
            if spec == 0 || spec == available {
                continue;
            }
            let down = max_scaled_down.saturating_sub(cleaned).min(spec.saturating_sub(available));
            let new_count = spec.saturating_sub(down);
            if new_count > spec {
                // More available than wanted (a stale status): upstream's
                // cleanup fails, and that failure skips the whole old-RS
                // scale-down for this sync; scalings already issued stand.
                // upstream: rolling.go cleanupUnhealthyReplicas, reconcileOldReplicaSets
                return false;
            }
            self.scale_and_record(i, clamp_i32(new_count));
            cleaned = cleaned.saturating_add(down);
        }
        // scaleDownOldReplicaSetsForRollingUpdate, over the active old
        // ReplicaSets and the new one only: an old one already at 0 with a
        // stale availableReplicas must not widen the budget (upstream:
        // reconcileOldReplicaSets passes `append(oldRSs, newRS)`, oldRSs being
        // rolloutRolling's FilterActiveReplicaSets).
        let available: i64 = olds
            .iter()
            .chain(std::iter::once(&new_idx))
            .filter_map(|i| self.rs(*i))
            .map(|rs| i64::from(status_of(rs).2))
            .fold(0i64, i64::saturating_add);
        let mut scaled: i64 = 0;
        if available > min_available {
            let budget = available.saturating_sub(min_available);
            for &i in &olds {
                if scaled >= budget {
                    break;
                }
                let Some(rs) = self.rs(i) else { continue };
                let spec = i64::from(replicas_of(rs));
                if spec == 0 {
                    continue;
                }
                let down = spec.min(budget.saturating_sub(scaled));
                self.scale_and_record(i, clamp_i32(spec.saturating_sub(down)));
                scaled = scaled.saturating_add(down);
            }
        }
        cleaned.saturating_add(scaled) > 0
    }

    /// upstream: rolloutRecreate.
    fn rollout_recreate(&mut self, pods: &[Pod], selector: &Selector) {
        self.find_new_and_sync_revision(false);
        if self.stop {
            return;
        }
        let mut scaled_down = false;
        for i in self.old_indices() {
            if self.is_active(i) && self.scale_and_record(i, 0) {
                scaled_down = true;
            }
        }
        if scaled_down || self.old_pods_running(pods, selector) {
            self.sync_rollout_status();
            return;
        }
        if self.new_idx.is_none() {
            self.find_new_and_sync_revision(true);
            if self.stop {
                return;
            }
        }
        if let Some(new_idx) = self.new_idx {
            let replicas = self.replicas();
            self.scale_and_record(new_idx, replicas);
        }
        let stored = self.d.status.clone().unwrap_or_default();
        if deployment_complete(&self.d, &stored) {
            self.cleanup();
        }
        self.sync_rollout_status();
    }

    /// upstream: oldPodsRunning, over the pod map of getPodMapForDeployment.
    fn old_pods_running(&self, pods: &[Pod], selector: &Selector) -> bool {
        let olds = self.old_indices();
        if sum(olds.iter().filter_map(|i| self.rs(*i)).map(|rs| status_of(rs).0)) > 0 {
            return true;
        }
        let ns = self.d.metadata.namespace();
        let new_uid = self.new_idx.and_then(|i| self.rs(i)).map(|rs| rs.metadata.uid());
        let mut old_uids: Vec<&str> = olds
            .iter()
            .filter_map(|i| self.rs(*i))
            .map(|rs| rs.metadata.uid())
            .filter(|u| Some(*u) != new_uid)
            .collect();
        old_uids.sort_unstable();
        pods.iter().any(|pod| {
            let Some(owner) = pod.metadata.controller_ref() else { return false };
            old_uids.binary_search(&owner.uid.as_str()).is_ok()
                && pod.metadata.namespace() == ns
                && !super::is_pod_terminal(pod)
                && selector.matches(&pod.metadata)
        })
    }

    /// upstream: cleanupDeployment. Sizes are those from before this sync's
    /// scaling: upstream passes it the ReplicaSets it listed.
    fn cleanup(&mut self) {
        let Some(limit) = self.d.spec.as_ref().map(|s| s.revision_history_limit_or_default()) else { return };
        if limit == i32::MAX {
            return;
        }
        let mut cleanable: Vec<usize> = self
            .old_indices()
            .into_iter()
            .filter(|i| self.rs(*i).is_some_and(|rs| !rs.metadata.is_terminating()))
            .collect();
        let diff = i64::try_from(cleanable.len()).unwrap_or(i64::MAX).saturating_sub(i64::from(limit));
        if diff <= 0 {
            return;
        }
        cleanable.sort_by(|a, b| match (self.rs(*a), self.rs(*b)) {
            (Some(x), Some(y)) => by_revision(x, y),
            _ => Ordering::Equal,
        });
        let take = usize::try_from(diff).unwrap_or(usize::MAX);
        let mut deletes = Vec::new();
        for i in cleanable.into_iter().take(take) {
            let Some(rs) = self.rs(i) else { continue };
            let status = rs.status.clone().unwrap_or_default();
            if status.replicas != 0
                || self.replicas_before_scaling(i) != 0
                || rs.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0)
                || rs.metadata.is_terminating()
            {
                continue;
            }
            let mut target = rs.object_ref();
            target.namespace = rs.metadata.namespace.clone();
            deletes.push(Action::delete(target));
        }
        self.actions.extend(deletes);
    }

    /// upstream: calculateStatus, over the ReplicaSets as listed: scaling
    /// in the same sync does not change `unavailableReplicas` (the only field
    /// read from `spec.replicas`).
    fn calculate_status(&self) -> DeploymentStatus {
        let stored = self.d.status.clone().unwrap_or_default();
        let available = sum(self.rss.iter().map(|c| status_of(c).2));
        let total = sum((0..self.rss.len()).map(|i| self.replicas_before_scaling(i)));
        let unavailable = total.saturating_sub(available).max(0);
        let new = self.new_idx.and_then(|i| self.rs(i));
        let terminating = if self.config.gates.deployment_replica_set_terminating_replicas {
            let mut acc: Option<i32> = Some(0);
            for rs in self.rss.iter() {
                let st = rs.status.clone().unwrap_or_default();
                match (st.terminating_replicas, st.observed_generation.unwrap_or(0)) {
                    (Some(t), _) => acc = acc.map(|a| a.saturating_add(t)),
                    (None, 0) => {}
                    (None, _) => acc = None,
                }
            }
            acc
        } else {
            None
        };
        // apps/v1's int32 counts are omitempty: a zero is written as
        // nothing, as upstream's JSON does.
        let nz = |v: i32| (v != 0).then_some(v);
        let mut status = DeploymentStatus {
            observed_generation: self.d.metadata.generation.filter(|g| *g != 0),
            replicas: nz(sum(self.rss.iter().map(|c| status_of(c).0))),
            updated_replicas: nz(new.map_or(0, |n| status_of(n).0)),
            ready_replicas: nz(sum(self.rss.iter().map(|c| status_of(c).1))),
            available_replicas: nz(available),
            unavailable_replicas: nz(unavailable),
            terminating_replicas: terminating,
            conditions: stored.conditions.clone(),
            collision_count: stored.collision_count,
            other: stored.other.clone(),
            absent_keys: Default::default(),
        };
        let now = self.now;
        if available >= self.replicas().saturating_sub(max_unavailable(&self.d)) {
            set_condition(
                &mut status,
                new_condition(
                    AVAILABLE,
                    ConditionStatus::True,
                    MINIMUM_REPLICAS_AVAILABLE,
                    "Deployment has minimum availability.".into(),
                    now,
                ),
            );
        } else {
            set_condition(
                &mut status,
                new_condition(
                    AVAILABLE,
                    ConditionStatus::False,
                    MINIMUM_REPLICAS_UNAVAILABLE,
                    "Deployment does not have minimum availability.".into(),
                    now,
                ),
            );
        }
        status
    }

    /// upstream: syncDeploymentStatus.
    fn sync_deployment_status(&mut self) {
        self.status = Some(self.calculate_status());
    }

    /// upstream: syncRolloutStatus.
    fn sync_rollout_status(&mut self) {
        let mut status = self.calculate_status();
        let deadline = progress_deadline(&self.d);
        if deadline.is_none() {
            remove_condition(&mut status, PROGRESSING);
        }
        let stored = self.d.status.clone().unwrap_or_default();
        let current = condition(&stored, PROGRESSING).cloned();
        let is_complete = status.replicas == status.updated_replicas
            && current.as_ref().is_some_and(|c| c.reason.as_deref() == Some(NEW_RS_AVAILABLE_REASON));
        let now = self.now;
        let new_name = self.new_idx.and_then(|i| self.rs(i)).map(|rs| rs.metadata.name().to_owned());
        let subject = match &new_name {
            Some(n) => format!("ReplicaSet {}", go_quote(n)),
            None => format!("Deployment {}", go_quote(self.d.metadata.name())),
        };
        if deadline.is_some() && !is_complete {
            if deployment_complete(&self.d, &status) {
                let c = new_condition(
                    PROGRESSING,
                    ConditionStatus::True,
                    NEW_RS_AVAILABLE_REASON,
                    format!("{subject} has successfully progressed."),
                    now,
                );
                set_condition(&mut status, c);
            } else if deployment_progressing(&self.d, &status) {
                let mut c = new_condition(
                    PROGRESSING,
                    ConditionStatus::True,
                    RS_UPDATED_REASON,
                    format!("{subject} is progressing."),
                    now,
                );
                if let Some(cur) = &current {
                    if cur.status == ConditionStatus::True {
                        c.last_transition_time = cur.last_transition_time;
                    }
                    remove_condition(&mut status, PROGRESSING);
                }
                set_condition(&mut status, c);
            } else if deployment_timed_out(&self.d, &status, now) {
                let c = new_condition(
                    PROGRESSING,
                    ConditionStatus::False,
                    TIMED_OUT_REASON,
                    format!("{subject} has timed out progressing."),
                    now,
                );
                set_condition(&mut status, c);
            }
        }
        // getReplicaFailures: the new ReplicaSet's first, else the first
        // in upstream's list, old ReplicaSets oldest first (the order of
        // `rss`).
        let failure = {
            let from = |rs: &ReplicaSet| -> Option<Condition> {
                rs.status
                    .as_ref()?
                    .conditions
                    .as_deref()?
                    .iter()
                    .find(|c| c.type_ == REPLICA_FAILURE)
                    .cloned()
            };
            let new_rs = self.new_idx.and_then(|i| self.rs(i));
            new_rs.and_then(from).or_else(|| self.rss.iter().find_map(|c| from(c)))
        };
        match failure {
            Some(c) => set_condition(
                &mut status,
                Condition {
                    type_: REPLICA_FAILURE.into(),
                    status: c.status,
                    last_update_time: c.last_transition_time,
                    last_transition_time: c.last_transition_time,
                    reason: c.reason,
                    message: c.message,
                    ..Condition::default()
                },
            ),
            None => remove_condition(&mut status, REPLICA_FAILURE),
        }
        if normalize(&stored) == normalize(&status) {
            self.requeue = requeue_stuck(&self.d, &status, now);
        }
        self.status = Some(status);
    }

    /// upstream: rollback (the legacy `deprecated.deployment.rollback.to`),
    /// to revision `to` ([`rollback_to`]).
    fn legacy_rollback(&mut self, mut to: i64) {
        self.find_new_and_sync_revision(true);
        if self.stop {
            return;
        }
        if to == 0 {
            to = last_revision(self.rss.iter().map(|c| c.as_ref()));
            if to == 0 {
                self.event(
                    EventType::Warning,
                    "DeploymentRollbackRevisionNotFound",
                    "Unable to find last revision.".into(),
                );
                self.clear_rollback_to();
                return;
            }
        }
        // The old ReplicaSets oldest first, then the new one: the first with
        // the revision wins.
        let target = self
            .old_indices()
            .into_iter()
            .chain(self.new_idx)
            .filter_map(|i| self.rs(i))
            .find(|rs| revision(rs) == Some(to))
            .cloned();
        let Some(target) = target else {
            self.event(
                EventType::Warning,
                "DeploymentRollbackRevisionNotFound",
                "Unable to find the revision to rollback to.".into(),
            );
            self.clear_rollback_to();
            return;
        };
        let current = self.d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
        let target_template = target.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
        if equal_ignore_hash(&target_template, &current) {
            self.event(
                EventType::Warning,
                "DeploymentRollbackTemplateUnchanged",
                format!(
                    "The rollback revision contains the same template as current deployment {}",
                    go_quote(self.d.metadata.name())
                ),
            );
        } else {
            apply_rollback(&mut self.d, &target);
            // upstream: rollbackToTemplate records it after
            // updateDeploymentAndClearRollbackTo succeeded.
            self.event_after_writes(
                EventType::Normal,
                "DeploymentRollback",
                format!("Rolled back deployment {} to revision {to}", go_quote(self.d.metadata.name())),
            );
        }
        self.clear_rollback_to();
    }

    fn clear_rollback_to(&mut self) {
        if let Some(a) = self.d.metadata.annotations.as_mut() {
            a.shift_remove(ROLLBACK_TO_ANNOTATION);
        }
    }

    /// The actions, with the Deployment update, status and requeue last.
    ///
    /// A new revision annotation alone travels with the status write, as
    /// upstream's getNewReplicaSet sends it (UpdateStatus): the Deployment
    /// status strategy keeps the object's annotations, and unlike an update
    /// of the main resource (whose strategy raises `metadata.generation` on
    /// any annotation change) it leaves the generation alone, so
    /// `observedGeneration` still matches. A change of the spec or of other
    /// annotations (the legacy rollback) is an update, as upstream's
    /// updateDeploymentAndClearRollbackTo.
    fn finish(
        mut self,
        original_status: &DeploymentStatus,
        original_annotations: Option<&StringMap>,
        original_spec: Option<&crate::api::DeploymentSpec>,
    ) -> Vec<Action> {
        let spec_changed = self.d.spec.as_ref() != original_spec;
        let annotations_changed = self.d.metadata.annotations.as_ref() != original_annotations;
        let revision_only = annotations_changed
            && !spec_changed
            && equal_but_revision(self.d.metadata.annotations.as_ref(), original_annotations);
        if (annotations_changed && !revision_only) || spec_changed {
            let mut out = self.d.clone();
            out.status = Some(original_status.clone()).filter(|s| *s != DeploymentStatus::default());
            let change = if spec_changed {
                "roll back template".to_owned()
            } else {
                match self.d.metadata.annotation(REVISION_ANNOTATION) {
                    Some(r)
                        if original_annotations
                            .and_then(|a| a.get(REVISION_ANNOTATION))
                            .map(String::as_str)
                            != Some(r) =>
                    {
                        format!("revision {r}")
                    }
                    _ => "annotations".into(),
                }
            };
            self.actions.push(Action::Update { object: out.into(), change });
        }
        let status = self.status.take().or_else(|| self.d.status.clone());
        let status_changed = status.as_ref().is_some_and(|s| normalize(s) != normalize(original_status));
        if status_changed || revision_only {
            let mut out = self.d.clone();
            out.status = status;
            self.actions.push(Action::UpdateStatus { object: out.into() });
        }
        let after_writes = std::mem::take(&mut self.after_writes);
        self.actions.extend(after_writes);
        if let Some(memory) = self.remember.take() {
            self.actions.push(Action::Remember {
                owner: self.d.object_ref(),
                memory: ControllerMemory::Deployment(memory),
            });
        }
        if let Some(after) = self.requeue {
            self.actions.push(Action::Requeue { target: self.d.object_ref(), after });
        }
        self.actions
    }
}

/// Status with `None` and zero counts made equal, for change detection.
fn normalize(s: &DeploymentStatus) -> DeploymentStatus {
    let z = |v: Option<i32>| v.filter(|x| *x != 0);
    DeploymentStatus {
        observed_generation: s.observed_generation.filter(|x| *x != 0),
        replicas: z(s.replicas),
        updated_replicas: z(s.updated_replicas),
        ready_replicas: z(s.ready_replicas),
        available_replicas: z(s.available_replicas),
        unavailable_replicas: z(s.unavailable_replicas),
        terminating_replicas: s.terminating_replicas,
        conditions: s.conditions.clone().filter(|c| !c.is_empty()),
        collision_count: s.collision_count,
        other: s.other.clone(),
        absent_keys: Default::default(),
    }
}

/// upstream: requeueStuckDeployment, over the condition stored on the
/// Deployment.
fn requeue_stuck(d: &Deployment, new: &DeploymentStatus, now: Time) -> Option<std::time::Duration> {
    let deadline = progress_deadline(d)?;
    let stored = d.status.clone().unwrap_or_default();
    let cur = condition(&stored, PROGRESSING)?;
    if deployment_complete(d, new) || cur.reason.as_deref() == Some(TIMED_OUT_REASON) {
        return None;
    }
    let at = cur.last_update_time.unwrap_or(Time::EPOCH).add_seconds(i64::from(deadline));
    let after = now.duration_until(at);
    let second = std::time::Duration::from_secs(1);
    if after < second { Some(std::time::Duration::ZERO) } else { Some(after.saturating_add(second)) }
}

/// upstream: LastRevision — the second-highest revision.
fn last_revision<'r>(rss: impl Iterator<Item = &'r ReplicaSet>) -> i64 {
    let (mut max, mut second) = (0i64, 0i64);
    for v in rss.filter_map(revision) {
        if v >= max {
            second = max;
            max = v;
        } else if v > second {
            second = v;
        }
    }
    second
}

/// Whether two annotation maps (a missing one is empty) differ at most in
/// the revision annotation.
fn equal_but_revision(a: Option<&StringMap>, b: Option<&StringMap>) -> bool {
    let others = |m: Option<&StringMap>| {
        m.into_iter().flatten().filter(|(k, _)| k.as_str() != REVISION_ANNOTATION).count()
    };
    let b_has = |k: &str, v: &str| b.and_then(|m| m.get(k)).is_some_and(|x| x == v);
    others(a) == others(b)
        && a.into_iter().flatten().all(|(k, v)| k.as_str() == REVISION_ANNOTATION || b_has(k, v))
}

/// Copies a ReplicaSet's template (minus the hash label) and annotations
/// onto a Deployment (upstream: rollbackToTemplate /
/// kubectl's DeploymentRollbacker).
fn apply_rollback(d: &mut Deployment, target: &ReplicaSet) {
    let mut template = target.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
    if let Some(labels) = template.metadata.as_mut().and_then(|m| m.labels.as_mut()) {
        labels.shift_remove(POD_TEMPLATE_HASH_LABEL);
    }
    if let Some(spec) = d.spec.as_mut() {
        spec.template = template;
    }
    let mut annotations = StringMap::new();
    for k in ANNOTATIONS_TO_SKIP {
        if let Some(v) = d.metadata.annotation(k) {
            annotations.insert(k.to_owned(), v.to_owned());
        }
    }
    for (k, v) in target.metadata.annotations() {
        if !skip_copy_annotation(k) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    d.metadata.annotations = (!annotations.is_empty()).then_some(annotations);
}

fn set_deployment_revision(d: &mut Deployment, revision: &str) -> bool {
    if d.metadata.annotation(REVISION_ANNOTATION) == Some(revision) {
        return false;
    }
    d.metadata.set_annotation(REVISION_ANNOTATION, revision);
    true
}

fn replicas_annotations_need_update(rs: &ReplicaSet, desired: i32, max: i32) -> bool {
    rs.metadata.annotation(DESIRED_REPLICAS_ANNOTATION) != Some(desired.to_string().as_str())
        || rs.metadata.annotation(MAX_REPLICAS_ANNOTATION) != Some(max.to_string().as_str())
}

fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let mut changed = false;
    for (k, v) in [(DESIRED_REPLICAS_ANNOTATION, desired), (MAX_REPLICAS_ANNOTATION, max)] {
        let v = v.to_string();
        if rs.metadata.annotation(k) != Some(v.as_str()) {
            rs.metadata.set_annotation(k, v);
            changed = true;
        }
    }
    changed
}

/// upstream: SetNewReplicaSetAnnotations.
fn set_new_replica_set_annotations(
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: i64,
    exists: bool,
) -> bool {
    // copyDeploymentAnnotationsToReplicaSet
    let mut changed = false;
    for (k, v) in d.metadata.annotations() {
        if skip_copy_annotation(k) || rs.metadata.annotation(k) == Some(v.as_str()) {
            continue;
        }
        rs.metadata.set_annotation(k.clone(), v.clone());
        changed = true;
    }
    let old = rs.metadata.annotation(REVISION_ANNOTATION).map(str::to_owned);
    let old_int = match old.as_deref() {
        None | Some("") => 0,
        Some(v) => match v.parse::<i64>() {
            Ok(n) => n,
            Err(_) => return false,
        },
    };
    if old_int < new_revision {
        rs.metadata.set_annotation(REVISION_ANNOTATION, new_revision.to_string());
        changed = true;
        if let Some(old) = old {
            let history = rs.metadata.annotation(REVISION_HISTORY_ANNOTATION).unwrap_or("").to_owned();
            if let Some(h) = append_revision_history(&history, &old, MAX_REV_HISTORY_LENGTH_IN_CHARS) {
                rs.metadata.set_annotation(REVISION_HISTORY_ANNOTATION, h);
            }
        }
    }
    if !exists {
        let replicas = d_replicas(d);
        if set_replicas_annotations(rs, replicas, replicas.saturating_add(max_surge(d))) {
            changed = true;
        }
    }
    changed
}

/// Appends `old` to a comma-separated revision history, dropping entries
/// from the front until it fits in `limit` characters; `None` when even
/// `old` alone does not fit (upstream: SetNewReplicaSetAnnotations). A
/// history whose first entry is empty (`""`, or a hand-edited `",5"`) is
/// replaced by `old`, as upstream tests only that entry.
pub fn append_revision_history(history: &str, old: &str, limit: usize) -> Option<String> {
    if history.split(',').next().is_none_or(str::is_empty) {
        return Some(old.to_owned());
    }
    let entries: Vec<&str> = history.split(',').collect();
    let mut total = history.len().saturating_add(old.len()).saturating_add(1);
    let mut start = 0usize;
    while total > limit && start < entries.len() {
        total = total.saturating_sub(entries.get(start).map_or(0, |e| e.len())).saturating_sub(1);
        start = start.saturating_add(1);
    }
    if total > limit {
        return None;
    }
    let mut kept: Vec<&str> = entries.into_iter().skip(start).collect();
    kept.push(old);
    Some(kept.join(","))
}

// ---------------------------------------------------------------------------
// kubectl rollout undo / status
// ---------------------------------------------------------------------------

/// Why `kubectl rollout undo` refuses (the text kubectl prints after
/// `error: `).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RollbackError {
    /// No ReplicaSet carries the requested revision (or it is negative).
    #[error("unable to find specified revision {0} in history")]
    RevisionNotFound(i64),
    /// Revision 0 (the previous one) was asked and there is no previous one.
    #[error("no rollout history found for deployment {}", go_quote(.0))]
    NoHistory(String),
    /// The Deployment (named here) is paused. The message is current
    /// kubectl's: since the fix for kubernetes issue 111794 (filed against
    /// 1.25: the suggested command named the Deployment without its
    /// namespace) it names no Deployment.
    #[error(
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again"
    )]
    Paused(String),
    /// The Deployment's selector does not convert, so its ReplicaSets
    /// cannot be listed (kubectl: deploymentRevision around
    /// GetAllReplicaSets' LabelSelectorAsSelector).
    #[error("failed to retrieve replica sets from deployment {name}: {source}")]
    ReplicaSets {
        /// The Deployment's name.
        name: String,
        /// Why the selector does not convert.
        source: crate::selector::SelectorError,
    },
}

/// What `kubectl rollout undo` does.
#[derive(Clone, Debug, PartialEq)]
pub enum Rollback {
    /// The Deployment to write: the target template (without the hash label)
    /// and its annotations.
    RolledBack(Box<Deployment>),
    /// Nothing to do; the message kubectl prints after the object's name
    /// (`deployment.apps/web skipped rollback (...)`).
    Skipped(String),
}

/// `kubectl rollout undo [--to-revision=N]`: the Deployment to write, or why
/// not (kubectl: `DeploymentRollbacker.Rollback`, `deploymentRevision`).
/// `replica_sets` may contain any ReplicaSets; only those of the
/// Deployment's namespace whose labels its selector matches and that it
/// controls count, as kubectl lists them (a null or missing selector lists
/// every ReplicaSet, as the empty label query kubectl then sends does; one
/// that does not convert is [`RollbackError::ReplicaSets`]). Revision 0
/// means the previous revision.
///
/// One refusal is the API server's, not kubectl's, and is not modelled:
/// kubectl writes the annotations with a JSON patch `replace`, which the
/// server rejects when the Deployment has no annotations at all. A
/// Deployment the controller has synced always has its revision annotation.
pub fn rollback(
    d: &Deployment,
    replica_sets: &[ReplicaSet],
    to_revision: i64,
) -> Result<Rollback, RollbackError> {
    if to_revision < 0 {
        return Err(RollbackError::RevisionNotFound(to_revision));
    }
    let mut all = kubectl_replica_sets(d, replica_sets)
        .map_err(|source| RollbackError::ReplicaSets { name: d.metadata.name().to_owned(), source })?
        .into_iter();
    let target = if to_revision > 0 {
        all.find(|rs| revision(rs) == Some(to_revision))
            .ok_or(RollbackError::RevisionNotFound(to_revision))?
    } else {
        // kubectl starts both at -1: negative revisions never count.
        let mut latest: (i64, Option<&ReplicaSet>) = (-1, None);
        let mut previous: (i64, Option<&ReplicaSet>) = (-1, None);
        for rs in all {
            let Some(v) = revision(rs) else { continue };
            if latest.0 < v {
                previous = latest;
                latest = (v, Some(rs));
            } else if previous.0 < v {
                previous = (v, Some(rs));
            }
        }
        previous.1.ok_or_else(|| RollbackError::NoHistory(d.metadata.name().to_owned()))?
    };
    if d.spec.as_ref().is_some_and(|s| s.is_paused()) {
        return Err(RollbackError::Paused(d.metadata.name().to_owned()));
    }
    let current = d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let target_template = target.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
    if equal_ignore_hash(&target_template, &current) {
        return Ok(Rollback::Skipped(format!(
            "skipped rollback (current template already matches revision {to_revision})"
        )));
    }
    let mut out = d.clone();
    apply_rollback(&mut out, target);
    Ok(Rollback::RolledBack(Box::new(out)))
}

/// The Deployment's ReplicaSets in the order kubectl's rollout commands
/// visit them (kubectl: pkg/util/deployment `GetAllReplicaSets`): those of
/// its namespace that its selector selects and it controls, the old ones
/// oldest first, then the new one. A null or missing selector lists every
/// ReplicaSet, as the empty label query kubectl then sends does.
fn kubectl_replica_sets<'a>(
    d: &Deployment,
    replica_sets: &'a [ReplicaSet],
) -> Result<Vec<&'a ReplicaSet>, crate::selector::SelectorError> {
    // upstream: kubectl pkg/util/deployment listReplicaSets.
    let selector = super::rollout::listing_selector(declared_selector(d))?;
    let mut owned =
        super::rollout::kubectl_owned(&d.metadata, &selector, replica_sets, |rs: &ReplicaSet| &rs.metadata);
    // findNewReplicaSet sorts the API server's list oldest first in place,
    // and the old ones keep that order with the new one last. upstream:
    // kubectl pkg/util/deployment GetAllReplicaSets, findNewReplicaSet,
    // findOldReplicaSets
    owned.sort_by(|a, b| by_creation(a, b));
    let template = d.spec.as_ref().map(|s| s.template.clone()).unwrap_or_default();
    let new = find_new_index(&template, owned.iter().copied());
    // The old ones are those without the new one's UID (none when no UIDs
    // are set: every ReplicaSet then shares the new one's empty UID).
    let new = new.and_then(|i| owned.get(i).copied());
    Ok(owned
        .iter()
        .copied()
        .filter(|rs| new.is_none_or(|n| rs.metadata.uid() != n.metadata.uid()))
        .chain(new)
        .collect())
}

/// `kubectl rollout history deployment/<name>`: the revisions of the
/// Deployment's ReplicaSets (kubectl: `DeploymentHistoryViewer.ViewHistory`).
/// `replica_sets` may contain any ReplicaSets; only those kubectl lists
/// count (as for [`rollback`]). A ReplicaSet without a revision annotation
/// is revision 0; one whose annotation does not parse is left out; of two
/// with one number the one kubectl visits last (the new one, else the
/// newest) stays. Each revision's change cause is its ReplicaSet's
/// `kubernetes.io/change-cause`, put into the template's annotations as
/// kubectl does (so a template carrying the annotation itself shows its
/// own when the ReplicaSet has none).
///
/// ```
/// use kube_workloads::controller::deployment;
/// use kube_workloads::{Deployment, ReplicaSet};
///
/// let d: Deployment = serde_json::from_value(serde_json::json!({
///     "metadata": {"name": "web", "namespace": "default", "uid": "d-1"},
///     "spec": {"selector": {"matchLabels": {"app": "web"}},
///              "template": {"metadata": {"labels": {"app": "web"}},
///                           "spec": {"containers": [{"name": "web", "image": "web:2"}]}}}
/// })).unwrap();
/// let rs = |name: &str, revision: &str, image: &str, cause: Option<&str>| -> ReplicaSet {
///     let mut annotations = serde_json::json!({"deployment.kubernetes.io/revision": revision});
///     if let Some(cause) = cause {
///         annotations["kubernetes.io/change-cause"] = cause.into();
///     }
///     serde_json::from_value(serde_json::json!({
///         "metadata": {"name": name, "namespace": "default", "uid": name, "labels": {"app": "web"},
///                      "annotations": annotations,
///                      "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
///                                           "name": "web", "uid": "d-1", "controller": true}]},
///         "spec": {"selector": {"matchLabels": {"app": "web"}},
///                  "template": {"metadata": {"labels": {"app": "web"}},
///                               "spec": {"containers": [{"name": "web", "image": image}]}}}
///     })).unwrap()
/// };
/// let replica_sets = [rs("web-a", "1", "web:1", None), rs("web-b", "2", "web:2", Some("image bumped to 2"))];
/// let history = deployment::history(&d, &replica_sets).unwrap();
/// assert_eq!(history.to_string(), "REVISION  CHANGE-CAUSE\n1         <none>\n2         image bumped to 2\n");
/// let first = history.template(1).unwrap().unwrap();
/// assert_eq!(first.spec.as_ref().unwrap().containers[0].image.as_deref(), Some("web:1"));
/// ```
pub fn history(d: &Deployment, replica_sets: &[ReplicaSet]) -> Result<History, HistoryError> {
    let visited = kubectl_replica_sets(d, replica_sets)
        .map_err(|source| HistoryError::ReplicaSets { name: d.metadata.name().to_owned(), source })?;
    let entries = visited.into_iter().filter_map(|rs| {
        let number = revision(rs)?;
        let mut template = rs.spec.as_ref().and_then(|s| s.template.clone()).unwrap_or_default();
        if let Some(cause) = rs.metadata.annotation(CHANGE_CAUSE_ANNOTATION).filter(|c| !c.is_empty()) {
            template.metadata.get_or_insert_default().set_annotation(CHANGE_CAUSE_ANNOTATION, cause);
        }
        let change_cause = template
            .metadata
            .as_ref()
            .and_then(|m| m.annotation(CHANGE_CAUSE_ANNOTATION))
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        Some(HistoryEntry { revision: number, change_cause, template: Some(template), source: String::new() })
    });
    Ok(History::collect(entries))
}

/// Go's `strconv.ParseInt` error text for `value`, as kubectl prints it
/// (the value quoted as Go's `strconv.Quote` does).
///
/// Go reads the digits after the sign as a `uint64` first and stops at the
/// first character that is not a digit or at the first digit that
/// overflows 64 unsigned bits, whichever comes first; only then does it
/// check the `int64` range. So `9223372036854775808x` (fits 64 unsigned
/// bits before the `x`) is a syntax error, where Rust's `i64` parser
/// reports the overflow it meets first.
fn go_parse_int_error(value: &str, e: &std::num::ParseIntError) -> String {
    let overflow =
        matches!(e.kind(), std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow);
    // An overflow means one sign at most, then digits up to where it
    // overflowed.
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    let range = overflow
        && matches!(
            unsigned.parse::<u64>().map_err(|e| *e.kind()),
            Ok(_) | Err(std::num::IntErrorKind::PosOverflow)
        );
    let why = if range { "value out of range" } else { "invalid syntax" };
    format!("strconv.ParseInt: parsing {}: {why}", go_quote(value))
}

/// `kubectl rollout status [--revision=N]` for a Deployment (kubectl:
/// `DeploymentStatusViewer.Status`, after `RolloutStatusOptions.Validate`).
/// `revision` of `None` or 0 skips the revision check, a negative one is
/// refused; a Deployment without a revision annotation runs revision 0.
/// An unset `spec.replicas` counts as 1, as the API server stores it.
pub fn rollout_status(d: &Deployment, revision: Option<i64>) -> RolloutStatus {
    let name = d.metadata.name();
    if let Some(refused) = super::rollout::refuse_negative_revision(revision) {
        return refused;
    }
    if let Some(want) = revision.filter(|r| *r > 0) {
        // A Deployment without the annotation runs revision 0.
        // upstream: kubectl pkg/util/deployment Revision
        let running = match d.metadata.annotation(REVISION_ANNOTATION) {
            None => 0,
            Some(v) => match v.parse::<i64>() {
                Ok(r) => r,
                Err(e) => {
                    return RolloutStatus::Failed(format!(
                        "cannot get the revision of deployment {}: {}",
                        go_quote(name),
                        go_parse_int_error(v, &e)
                    ));
                }
            },
        };
        if running != want {
            return RolloutStatus::Failed(format!(
                "desired revision ({want}) is different from the running revision ({running})"
            ));
        }
    }
    let status = d.status.clone().unwrap_or_default();
    if d.metadata.generation.unwrap_or(0) > status.observed_generation.unwrap_or(0) {
        return RolloutStatus::Waiting("Waiting for deployment spec update to be observed...".into());
    }
    if condition(&status, PROGRESSING).is_some_and(|c| c.reason.as_deref() == Some(TIMED_OUT_REASON)) {
        return RolloutStatus::Failed(format!(
            "deployment {} exceeded its progress deadline",
            go_quote(name)
        ));
    }
    let updated = status.updated_replicas.unwrap_or(0);
    let replicas = status.replicas.unwrap_or(0);
    let available = status.available_replicas.unwrap_or(0);
    let want = d_replicas(d);
    if updated < want {
        return RolloutStatus::Waiting(format!(
            "Waiting for deployment {} rollout to finish: {updated} out of {want} new replicas have been updated...",
            go_quote(name)
        ));
    }
    if replicas > updated {
        return RolloutStatus::Waiting(format!(
            "Waiting for deployment {} rollout to finish: {} old replicas are pending termination...",
            go_quote(name),
            // Go's int32 subtraction wraps (as the StatefulSet viewer's).
            replicas.wrapping_sub(updated)
        ));
    }
    if available < updated {
        return RolloutStatus::Waiting(format!(
            "Waiting for deployment {} rollout to finish: {available} of {updated} updated replicas are available...",
            go_quote(name)
        ));
    }
    RolloutStatus::Done(format!("deployment {} successfully rolled out", go_quote(name)))
}
