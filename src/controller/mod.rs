//! Controllers: one [`Action`] vocabulary and a pure reconcile per workload
//! kind, plus the helpers every controller shares.
//!
//! upstream: pkg/controller/controller_utils.go,
//! pkg/controller/controller_ref_manager.go
//!
//! # How a caller drives a controller
//! A reconcile is `reconcile(&desired, &Observed { .. }, now) -> Vec<Action>`.
//! The caller (an executor: a cluster client, a simulator, a test) lists what
//! the controller reads into borrowed slices, calls the reconcile and carries
//! out the actions in order:
//!
//! 1. [`Action::Create`], [`Action::Update`] and [`Action::Delete`] change
//!    objects. Creates of pods carry `metadata.generateName`; the executor (or
//!    the API server) completes the name. Upstream issues a run of creates in
//!    slow-start batches (1, 2, 4, ...): use [`slow_start_batches`] or
//!    [`slow_start_batch`] to do the same. A delete carries the
//!    [`DeleteOptions`] upstream's controller sends with it.
//! 2. [`Action::UpdateStatus`] writes the status subresource.
//! 3. [`Action::Event`] records an event; [`Action::Requeue`] asks for another
//!    reconcile after a delay (an earlier one is always allowed).
//! 4. [`Action::Remember`] hands back the controller's memory (semantics
//!    DECISIONS G1): the caller stores it and passes it in `Observed` next
//!    time. Forgetting it is allowed; the controller then behaves as upstream
//!    does after a restart.
//!
//! The order of the slices does not matter: each reconcile orders what it
//! observes by (namespace, name, UID) first (DECISIONS G2), so a shuffled
//! list gives the same actions. Each controller module states the order of
//! the actions it returns.
//!
//! Nothing is assumed done (DECISIONS G3): the next reconcile believes only
//! what it observes. Expectations ([`Expectations`]) cover the lag between
//! an action and its observation, so a stale observed state never makes a
//! controller create or delete twice. When an executor's create or delete
//! fails, it tells the memory ([`ReplicaSetMemory::create_failed`],
//! [`ReplicaSetMemory::delete_failed`]), as upstream lowers its expectations
//! on an error.
//!
//! A caller that reconciles only when its watch reports a change should
//! also reconcile once pending expectations expire
//! ([`Expectations::expires_at`]): a creation they wait for that no
//! observation can show (a pod created and deleted in between) is only let
//! go by the expiry, and no action asks for that reconcile (upstream's
//! informer resync plays that part).
//!
//! ```
//! use kube_workloads::controller::{replicaset, Action, ControllerMemory, ReplicaSetMemory};
//! use kube_workloads::{api::Time, Pod, ReplicaSet};
//!
//! let rs: ReplicaSet = serde_json::from_value(serde_json::json!({
//!     "apiVersion": "apps/v1", "kind": "ReplicaSet",
//!     "metadata": {"name": "web", "namespace": "default", "uid": "u1"},
//!     "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
//!              "template": {"metadata": {"labels": {"app": "web"}},
//!                           "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
//! })).unwrap();
//! let now: Time = "2024-01-01T00:00:00Z".parse().unwrap();
//! let pods: Vec<Pod> = Vec::new();
//! let mut memory = ReplicaSetMemory::default();
//!
//! let observed = replicaset::Observed { pods: &pods, replica_sets: &[], memory: &memory };
//! let actions = replicaset::reconcile(&rs, &observed, now);
//! let lines: Vec<String> = actions.iter().map(ToString::to_string).collect();
//! assert_eq!(lines[0], "create Pod default/web-");
//! assert_eq!(lines[1], "create Pod default/web-");
//! for action in actions {
//!     if let Action::Remember { memory: ControllerMemory::Replicas(m), .. } = action {
//!         memory = m; // keep it for the next reconcile
//!     }
//! }
//!
//! // The creates are not observed yet: the next reconcile does not repeat them.
//! let observed = replicaset::Observed { pods: &pods, replica_sets: &[], memory: &memory };
//! let again = replicaset::reconcile(&rs, &observed, now.add_seconds(1));
//! assert!(!again.iter().any(|a| matches!(a, Action::Create { .. })));
//! ```
//!
//! # Deviations from upstream
//! - Expectations are inferred from the observed state: a creation counts as
//!   observed when an owned pod created at or after the time the expectation
//!   was recorded appears (pods already seen at that instant, and orphans
//!   adopted since, are remembered by name and not counted: upstream never
//!   counts an adoption); a deletion when the pod is gone or has a
//!   deletion timestamp. Upstream counts informer events instead. For
//!   creations the outcome is the same for any executor that creates pods
//!   with the API server's clock, with one exception no snapshot can see: a
//!   pod created and then deleted or released before the next observation
//!   never counts, so the sync waits for the expectations to expire (5
//!   minutes) where upstream's watch would have counted its add event. A
//!   caller with a watch closes that gap by reporting added pods to the
//!   stored memory's [`Expectations::creation_observed`]. For deletions the
//!   ReplicaSet's outcome is upstream's (its expectations track the pods it
//!   deleted by key); the DaemonSet's and the Job's upstream expectations
//!   only count, and lower the count on every deletion event of any pod
//!   they own (each update of a terminating pod is one), so a third party's
//!   deletion, or two events of one pod, can satisfy them while a pod the
//!   controller deleted is still running. Here those controllers wait for
//!   the very pods they deleted (no snapshot can count events): often
//!   later than upstream, and sooner only when a deleted pod was released
//!   first (upstream's delete event then names no owner, and its count
//!   waits for the expiry).
//! - Upstream 1.36 skips a sync while its informers have not yet seen the
//!   controller's own last writes (`StaleControllerConsistency`). A
//!   reconcile trusts the snapshot it is given: a caller should hand it
//!   lists that include the effects of the actions it already carried out,
//!   or expect them to be asked for again.
//! - Ties the upstream comparators leave to Go's unstable sort fall to name,
//!   then UID (DECISIONS G2).
//! - Per-pod events are left to the executor, which alone knows whether the
//!   call succeeded: `SuccessfulCreate` / `SuccessfulDelete`, and on a
//!   failure upstream's Warnings `FailedCreate` (`Error creating: <err>`,
//!   not for a namespace being terminated) and `FailedDelete` (`Error
//!   deleting: <err>`, not for NotFound), on the controller object.
//! - An adoption or release (`Update` with change `adopt` / `release`) that
//!   fails ends upstream's sync before its creates, deletes and status
//!   (ClaimPods, then syncReplicaSet returns its error): an executor should
//!   still send the other adoptions and releases, then skip the rest of
//!   the reconcile's actions and reconcile again (the creates and deletes
//!   count the adopted pods as claimed). A NotFound on either, and an
//!   Invalid on a release (the pod was re-created or lost the reference),
//!   are not failures: upstream goes on as if the pod were not claimed.
//! - Before the first adoption of a reconcile, an executor should read the
//!   owner fresh from the API server (not from its cache) and count every
//!   adoption as failed when the owner is gone, has another UID or has a
//!   deletion timestamp (upstream: `RecheckDeletionTimestamp` before
//!   `AdoptPod`, kubernetes issue 42639). A reconcile sees only the owner
//!   the caller passed in: after `kubectl delete --cascade=orphan` the
//!   cached owner may not show its deletion yet while the garbage
//!   collector already removed the pods' references, and adopting them
//!   again would have the collector delete them with the owner.
//! - A delete's target carries the UID as a precondition where upstream's
//!   pod control sends none: a pod re-created under the victim's name is
//!   not deleted in its place.

use std::collections::BTreeSet;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::api::{Object, ObjectMeta, ObjectRef, OwnerReference, Pod, PodTemplateSpec, Time};
use crate::text::same_str;

pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod hash;
pub mod job;
pub mod podgc;
pub mod ranking;
pub mod replicaset;
pub mod rollout;
pub(crate) mod semantic;
pub mod statefulset;
pub mod ttl_after_finished;

pub use rollout::{History, HistoryEntry, HistoryError, RolloutStatus};
pub use semantic::semantic_equal;

/// Upstream's `BurstReplicas`: the most pods one sync of a ReplicaSet or
/// ReplicationController creates or deletes.
pub const BURST_REPLICAS: usize = 500;

/// Upstream's `SlowStartInitialBatchSize`.
pub const SLOW_START_INITIAL_BATCH_SIZE: usize = 1;

/// Upstream's `ExpectationsTimeout`: expectations older than this are
/// considered satisfied (5 minutes).
pub const EXPECTATIONS_TIMEOUT_SECONDS: i64 = 300;

/// The annotation holding a pod's deletion cost (`PodDeletionCost`).
pub const POD_DELETION_COST_ANNOTATION: &str = "controller.kubernetes.io/pod-deletion-cost";

// ---------------------------------------------------------------------------
// Action
// ---------------------------------------------------------------------------

/// One decision of a controller, for the executor to carry out.
///
/// `Display` is one readable line (`create Pod default/web-`), so a list of
/// actions reads like a changelog.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Action {
    /// Create this object. A pod with an empty `metadata.name` carries
    /// `metadata.generateName`: the executor completes the name.
    Create {
        /// The object to create.
        object: Object,
    },
    /// Replace this object (spec and metadata; not its status).
    Update {
        /// The object as it should be written.
        object: Object,
        /// What changed, in a few words (`scale 3 -> 5`, `adopt`).
        change: String,
    },
    /// Delete this object with these options. The reference carries the
    /// UID as a precondition when it is known.
    Delete {
        /// The object to delete.
        target: ObjectRef,
        /// The options upstream's controller sends with this delete: the
        /// default for most; a force delete (grace 0) for the pod GC's
        /// collections, background propagation for the CronJob's Jobs,
        /// foreground for the TTL controller's.
        options: DeleteOptions,
    },
    /// Write this object's status subresource. Send the whole object (a
    /// `PUT` to `/status`): a Deployment's also carries its new revision
    /// annotation, which that subresource keeps (upstream's Deployment
    /// controller writes it so, and the main resource would raise the
    /// generation).
    UpdateStatus {
        /// The object carrying the new status.
        object: Object,
    },
    /// Record an event on an object.
    Event(Event),
    /// Reconcile this object again after this delay (or earlier).
    Requeue {
        /// The object to reconcile again.
        target: ObjectRef,
        /// How long to wait; zero means as soon as the rate limiter allows.
        after: Duration,
    },
    /// Store this memory and pass it back in `Observed` next time
    /// (DECISIONS G1).
    Remember {
        /// The controller object the memory belongs to.
        owner: ObjectRef,
        /// The new memory.
        memory: ControllerMemory,
    },
}

/// The options of a delete, as `metav1.DeleteOptions` carries them (the UID
/// precondition travels in the target's [`ObjectRef::uid`]). `Default` is
/// the empty options most controllers send: the object's own grace period
/// and its kind's default propagation. Serializes as those fields of
/// `DeleteOptions`, so an executor can pass it on.
///
/// ```
/// use kube_workloads::controller::{DeleteOptions, PropagationPolicy};
/// assert_eq!(DeleteOptions::default().to_string(), "");
/// assert_eq!(DeleteOptions::force().to_string(), " (grace 0)");
/// let background = DeleteOptions::propagation(PropagationPolicy::Background);
/// assert_eq!(serde_json::to_string(&background).unwrap(), r#"{"propagationPolicy":"Background"}"#);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteOptions {
    /// `gracePeriodSeconds`: `None` keeps the object's own; `Some(0)` deletes
    /// at once (a force delete).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_period_seconds: Option<i64>,
    /// `propagationPolicy`: `None` is the kind's default (for `batch/v1`
    /// Jobs that is `Orphan`, which leaves their pods behind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagation_policy: Option<PropagationPolicy>,
}

impl DeleteOptions {
    /// A force delete: grace period 0 (upstream: `metav1.NewDeleteOptions(0)`).
    pub fn force() -> DeleteOptions {
        DeleteOptions { grace_period_seconds: Some(0), propagation_policy: None }
    }

    /// A delete with this propagation policy.
    pub fn propagation(policy: PropagationPolicy) -> DeleteOptions {
        DeleteOptions { grace_period_seconds: None, propagation_policy: Some(policy) }
    }
}

/// Shown after the target in an action's line: nothing for the default.
impl fmt::Display for DeleteOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.grace_period_seconds, self.propagation_policy) {
            (None, None) => Ok(()),
            (Some(g), None) => write!(f, " (grace {g})"),
            (None, Some(p)) => write!(f, " ({p:?} propagation)"),
            (Some(g), Some(p)) => write!(f, " (grace {g}, {p:?} propagation)"),
        }
    }
}

/// How the garbage collector treats an object's dependents when it is
/// deleted (`metav1.DeletionPropagation`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PropagationPolicy {
    /// Dependents are left without their owner.
    Orphan,
    /// The object goes at once; its dependents are deleted after it.
    Background,
    /// Dependents are deleted first; the object goes when they are gone.
    Foreground,
}

/// An event a controller records (`EventRecorder.Event`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The object the event is about.
    pub regarding: ObjectRef,
    /// `Normal` or `Warning`.
    pub type_: EventType,
    /// CamelCase reason (`ScalingReplicaSet`).
    pub reason: String,
    /// Human-readable message.
    pub message: String,
}

/// The type of an [`Event`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    /// Something expected happened.
    Normal,
    /// Something went wrong.
    Warning,
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        })
    }
}

/// The memory of one controller object, as handed back by
/// [`Action::Remember`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ControllerMemory {
    /// The memory of a ReplicaSet or ReplicationController.
    Replicas(ReplicaSetMemory),
    /// The memory of the Job controller for one Job.
    Job(job::JobMemory),
    /// The memory of the pod garbage collector and taint-eviction
    /// controller.
    PodGc(podgc::PodGcMemory),
    /// The memory of the DaemonSet controller for one DaemonSet.
    DaemonSet(daemonset::DaemonSetMemory),
    /// The memory of the Deployment controller for one Deployment.
    Deployment(deployment::DeploymentMemory),
}

impl Action {
    /// A delete of `target` with the default options (the object's own
    /// grace period, its kind's default propagation), as most controllers
    /// send it.
    pub fn delete(target: ObjectRef) -> Action {
        Action::Delete { target, options: DeleteOptions::default() }
    }

    /// The object this action is about.
    pub fn target(&self) -> ObjectRef {
        match self {
            Action::Create { object } | Action::Update { object, .. } | Action::UpdateStatus { object } => {
                object.object_ref()
            }
            Action::Delete { target, .. } | Action::Requeue { target, .. } => target.clone(),
            Action::Event(e) => e.regarding.clone(),
            Action::Remember { owner, .. } => owner.clone(),
        }
    }
}

/// `Kind namespace/name`, with the generateName prefix when the name is empty.
fn describe(object: &Object) -> String {
    let meta = object.metadata();
    let name = match meta.name.as_deref() {
        Some(n) if !n.is_empty() => n,
        _ => meta.generate_name.as_deref().unwrap_or(""),
    };
    match meta.namespace.as_deref() {
        Some(ns) => format!("{} {}/{}", object.kind(), ns, name),
        None => format!("{} {}", object.kind(), name),
    }
}

fn opt(v: Option<i32>) -> i32 {
    v.unwrap_or(0)
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Create { object } => {
                write!(f, "create {}", describe(object))?;
                match object {
                    Object::ReplicaSet(rs) => {
                        let replicas = rs.spec.as_ref().map_or(0, |s| s.replicas_or_default());
                        write!(f, " with {replicas} replicas")
                    }
                    _ => Ok(()),
                }
            }
            Action::Update { object, change } => write!(f, "update {}: {}", describe(object), change),
            Action::Delete { target, options } => write!(f, "delete {target}{options}"),
            Action::UpdateStatus { object } => {
                write!(f, "status {}", describe(object))?;
                match object {
                    Object::ReplicaSet(rs) => {
                        let s = rs.status.clone().unwrap_or_default();
                        write!(
                            f,
                            ": replicas {}, ready {}, available {}",
                            s.replicas,
                            opt(s.ready_replicas),
                            opt(s.available_replicas)
                        )?;
                        if let Some(t) = s.terminating_replicas.filter(|t| *t != 0) {
                            write!(f, ", terminating {t}")?;
                        }
                        write_conditions(f, s.conditions.as_deref())
                    }
                    Object::ReplicationController(rc) => {
                        let s = rc.status.clone().unwrap_or_default();
                        write!(
                            f,
                            ": replicas {}, ready {}, available {}",
                            s.replicas,
                            opt(s.ready_replicas),
                            opt(s.available_replicas)
                        )?;
                        write_conditions(f, s.conditions.as_deref())
                    }
                    Object::Deployment(d) => {
                        // The revision annotation travels with the status
                        // write (upstream: getNewReplicaSet's UpdateStatus).
                        if let Some(r) = d.metadata.annotation(deployment::REVISION_ANNOTATION) {
                            write!(f, " (revision {r})")?;
                        }
                        let s = d.status.clone().unwrap_or_default();
                        write!(
                            f,
                            ": replicas {}, updated {}, ready {}, available {}, unavailable {}",
                            opt(s.replicas),
                            opt(s.updated_replicas),
                            opt(s.ready_replicas),
                            opt(s.available_replicas),
                            opt(s.unavailable_replicas)
                        )?;
                        if let Some(c) = s.collision_count {
                            write!(f, ", collisionCount {c}")?;
                        }
                        write_conditions(f, s.conditions.as_deref())
                    }
                    _ => Ok(()),
                }
            }
            Action::Event(e) => write!(f, "event {} {} on {}: {}", e.type_, e.reason, e.regarding, e.message),
            Action::Requeue { target, after } if after.is_zero() => write!(f, "requeue {target} immediately"),
            Action::Requeue { target, after } => write!(f, "requeue {target} after {after:?}"),
            Action::Remember { owner, memory } => match memory {
                ControllerMemory::Replicas(m) => write!(f, "remember {owner}: {m}"),
                ControllerMemory::Job(m) => write!(f, "remember {owner}: {m}"),
                ControllerMemory::PodGc(m) => write!(f, "remember {owner}: {m}"),
                ControllerMemory::DaemonSet(m) => write!(f, "remember {owner}: {m}"),
                ControllerMemory::Deployment(m) => write!(f, "remember {owner}: {m}"),
            },
        }
    }
}

fn write_conditions(f: &mut fmt::Formatter<'_>, conditions: Option<&[crate::api::Condition]>) -> fmt::Result {
    for c in conditions.unwrap_or_default() {
        write!(f, "; {}={}", c.type_, c.status)?;
        if let Some(r) = c.reason.as_deref().filter(|r| !r.is_empty()) {
            write!(f, " ({r})")?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Memory: expectations
// ---------------------------------------------------------------------------

/// A pod the controller asked to delete: its name and, when known, UID.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PodKey {
    /// The pod's name (its namespace is the controller's).
    pub name: String,
    /// The pod's UID, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

/// What a controller expects to observe after its last creates and deletes
/// (upstream: `ControllerExpectations` / `UIDTrackingControllerExpectations`).
///
/// `Default` is "no expectations" (a fresh controller): satisfied.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Expectations {
    /// When the expectations were recorded; `None` means none are pending.
    /// Serialized with its fraction of a second, unlike an API time: the
    /// expiry counts from the exact instant.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "precise_time")]
    pub recorded_at: Option<Time>,
    /// Creations issued (minus failed ones).
    #[serde(default)]
    pub creates: u32,
    /// Names of pods never counted as observed creations although created
    /// at or after `recorded_at`: owned pods that already existed when the
    /// expectations were recorded, and pods adopted since (an adoption is
    /// never one of the controller's creations). A set, as
    /// [`Expectations::added`] (it serializes as a list).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub seen: BTreeSet<String>,
    /// Pods whose deletion was requested and not yet observed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deletes: Vec<PodKey>,
    /// Names of pods counted as observed creations whether or not a later
    /// observation still lists them: those the caller saw added by its
    /// watch ([`Expectations::creation_observed`]), and those a reconcile
    /// found listed while the expectations were pending (upstream's
    /// informer counts each add once, and a pod deleted or released later
    /// never raises the count again). A set, so each name counts once
    /// however it was filled (it serializes as a list).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub added: BTreeSet<String>,
}

/// Creations and deletions still to be observed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pending {
    /// Creations not yet observed.
    pub creates: u32,
    /// Deletions not yet observed.
    pub deletes: u32,
}

/// An optional [`Time`] in RFC 3339 with its fraction of a second (an API
/// time keeps whole seconds), for the controller memory's own instants.
pub(crate) mod precise_time {
    use chrono::{DateTime, SecondsFormat, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::api::Time;

    pub(super) fn serialize<S: Serializer>(t: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&t.0.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
        let Some(text) = Option::<String>::deserialize(d)? else { return Ok(None) };
        DateTime::parse_from_rfc3339(&text)
            .map(|t| Some(Time(t.with_timezone(&Utc))))
            .map_err(serde::de::Error::custom)
    }

    /// The same for a [`Time`] that is always set.
    pub(crate) mod required {
        use serde::{Deserializer, Serializer};

        use crate::api::Time;

        pub(crate) fn serialize<S: Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
            super::serialize(&Some(*t), s)
        }

        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
            super::deserialize(d)?.ok_or_else(|| serde::de::Error::custom("a time is required"))
        }
    }
}

/// `t` cut to its whole second, as `creationTimestamp` is stamped.
fn whole_second(t: Time) -> Time {
    Time::from_unix(t.unix())
}

impl Expectations {
    /// Expectations of `creates` creations and of the deletion of `deletes`,
    /// recorded at `now`. `owned` are the pods the controller owns at `now`
    /// (used to tell new pods from ones already seen).
    ///
    /// Pods are compared with the record cut to the whole second: the API
    /// server stamps `creationTimestamp` in whole seconds, so a pod created
    /// half a second after a record at `…:00.5` reads `…:00` and must still
    /// count. The expiry counts from `now` itself, as upstream's does.
    pub fn record<'p>(
        now: Time,
        creates: u32,
        deletes: Vec<PodKey>,
        owned_pods: impl IntoIterator<Item = &'p Pod>,
    ) -> Expectations {
        let second = whole_second(now);
        let seen: BTreeSet<String> = if creates > 0 {
            owned_pods
                .into_iter()
                .filter(|p| p.metadata.creation_timestamp.is_some_and(|t| t >= second))
                .map(|p| p.metadata.name().to_owned())
                .collect()
        } else {
            BTreeSet::new()
        };
        Expectations { recorded_at: Some(now), creates, seen, deletes, added: BTreeSet::new() }
    }

    /// Notes that this sync adopts `pod`: it never counts as an observed
    /// creation, even once the adoption makes it owned. Upstream observes
    /// creations only from a pod's add event carrying the controller
    /// reference already (`addPod`); an adoption reaches the controller as
    /// an update (`updatePod`), which leaves the expectations alone. Without
    /// this, an orphan created at or after the record would stand in for
    /// one of the pods still expected, and the controller would create one
    /// pod too many.
    pub(crate) fn adopted(&mut self, pod: &Pod) {
        let Some(at) = self.recorded_at.map(whole_second) else {
            return;
        };
        if self.creates > 0 && pod.metadata.creation_timestamp.is_some_and(|t| t >= at) {
            self.seen.insert(pod.metadata.name().to_owned());
        }
    }

    /// True when nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.recorded_at.is_none() || (self.creates == 0 && self.deletes.is_empty())
    }

    /// When pending expectations stop holding the controller back: the
    /// first instant [`Expectations::is_expired`] holds, a nanosecond past
    /// [`EXPECTATIONS_TIMEOUT_SECONDS`] from their record; `None` when
    /// nothing is pending.
    ///
    /// ```
    /// use kube_workloads::api::Time;
    /// use kube_workloads::controller::Expectations;
    ///
    /// let now: Time = "2024-05-01T10:00:00Z".parse().unwrap();
    /// let e = Expectations::record(now, 2, Vec::new(), []);
    /// let at = e.expires_at().unwrap();
    /// assert!(e.is_expired(at) && !e.is_expired(now.add_seconds(300)));
    /// assert_eq!(Expectations::default().expires_at(), None);
    /// ```
    pub fn expires_at(&self) -> Option<Time> {
        if self.is_empty() {
            return None;
        }
        self.recorded_at.map(|at| {
            let bound = at.add_seconds(EXPECTATIONS_TIMEOUT_SECONDS);
            Time(bound.0.checked_add_signed(chrono::TimeDelta::nanoseconds(1)).unwrap_or(bound.0))
        })
    }

    /// Whether the expectations expired at `now` (strictly more than 5
    /// minutes after they were recorded; upstream: `isExpired`).
    pub fn is_expired(&self, now: Time) -> bool {
        // To the nanosecond, as Go's time.Since.
        let timeout = chrono::TimeDelta::seconds(EXPECTATIONS_TIMEOUT_SECONDS);
        self.recorded_at.is_some_and(|at| now.0.signed_duration_since(at.0) > timeout)
    }

    /// Whether `pod` counts as one of the expected creations: controlled by
    /// `owner_uid`, created at or after the expectations were recorded, and
    /// not among the pods already there then.
    fn is_new_creation(&self, owner_uid: &str, at: Time, pod: &Pod) -> bool {
        let at = whole_second(at);
        pod.metadata.controller_ref().is_some_and(|r| r.uid == owner_uid)
            && pod.metadata.creation_timestamp.is_some_and(|t| t >= at)
            && !self.seen.contains(pod.metadata.name())
    }

    /// The caller's watch saw `pod` added (upstream: the informer's `addPod`
    /// calling `CreationObserved`). Optional: the next [`pending`] finds
    /// the creations in the observed pods anyway, except a pod created and
    /// then deleted or released before that observation, which only this
    /// report counts (without it the controller waits for the expectations
    /// to expire).
    ///
    /// How a caller drives it: report what the watch of the same cache the
    /// observed lists come from delivers, never a create's own response (a
    /// create the lists do not show yet must stay pending, or the controller
    /// creates again). Report to the memory of the reconcile that issued the
    /// creates: store its [`Action::Remember`] before carrying out the
    /// creates (upstream records its expectations before it creates too), or
    /// hold the adds seen meanwhile and report them once it is stored; a
    /// report to an older memory is dropped with it.
    ///
    /// A pod that does not count ([`pending`]'s rules: another owner, created
    /// before the expectations, already there then), one already being
    /// deleted (upstream's `addPod` hands that to `deletePod`), or one
    /// already reported changes nothing; so does anything past the number of
    /// creates expected. (A pod the observed list shows still counts there
    /// even when it is being deleted: the list cannot tell whether a watch
    /// saw it added before.)
    ///
    /// The pod must be of the controller's namespace;
    /// [`creation_observed_in`](Expectations::creation_observed_in) checks.
    ///
    /// [`pending`]: Expectations::pending
    pub fn creation_observed(&mut self, owner_uid: &str, pod: &Pod) {
        let Some(at) = self.recorded_at else {
            return;
        };
        let room = usize::try_from(self.creates).unwrap_or(usize::MAX);
        if self.added.len() >= room
            || pod.metadata.is_terminating()
            || !self.is_new_creation(owner_uid, at, pod)
        {
            return;
        }
        self.added.insert(pod.metadata.name().to_owned());
    }

    /// The step every reconcile starts with (upstream:
    /// SatisfiedExpectations): whether these expectations are satisfied
    /// ([`satisfied_in`](Expectations::satisfied_in)), and the expectations
    /// to carry into the memory the reconcile hands back: none once they are
    /// satisfied (these as they are when already empty), otherwise these
    /// with the creations `pods` now show kept as observed
    /// ([`keep_listed_creations`](Expectations::keep_listed_creations)).
    pub(crate) fn sync_check(
        &self,
        namespace: &str,
        owner_uid: &str,
        pods: &[Pod],
        now: Time,
    ) -> (bool, Expectations) {
        let satisfied = self.satisfied_in(namespace, owner_uid, pods, now);
        let mut carried = self.clone();
        if !satisfied {
            carried.keep_listed_creations(namespace, owner_uid, pods);
        } else if !self.is_empty() {
            carried = Expectations::default();
        }
        (satisfied, carried)
    }

    /// Keeps the creations `pods` show as observed for good: while the
    /// expectations are pending, a reconcile calls it ([`sync_check`]) on
    /// the memory it hands back, so that a counted pod deleted or released before the
    /// next reconcile still counts (upstream's `addPod` lowered the count
    /// once, and nothing raises it again). `pods` as
    /// [`pending_in`](Expectations::pending_in) takes them; at most
    /// `creates` names are kept, as [`creation_observed`] keeps.
    ///
    /// [`creation_observed`]: Expectations::creation_observed
    /// [`sync_check`]: Expectations::sync_check
    pub(crate) fn keep_listed_creations(&mut self, namespace: &str, owner_uid: &str, pods: &[Pod]) {
        let Some(at) = self.recorded_at else {
            return;
        };
        let room = usize::try_from(self.creates).unwrap_or(usize::MAX);
        for pod in pods {
            if self.added.len() >= room {
                return;
            }
            if same_str(pod.metadata.namespace(), namespace) && self.is_new_creation(owner_uid, at, pod) {
                self.added.insert(pod.metadata.name().to_owned());
            }
        }
    }

    /// The deletion of pod `name` need no longer be waited for (upstream:
    /// `DeletionObserved`): its delete answered NotFound, which upstream
    /// takes as done without recording a failure. Controllers' memories
    /// call it from their `delete_failed` too.
    pub fn deletion_observed(&mut self, name: &str) {
        self.deletes.retain(|k| k.name != name);
    }

    /// [`creation_observed`](Expectations::creation_observed) for a pod of
    /// any namespace: one outside `namespace` (the controller's) changes
    /// nothing, as upstream resolves a pod's owner in the pod's namespace.
    pub fn creation_observed_in(&mut self, namespace: &str, owner_uid: &str, pod: &Pod) {
        if same_str(pod.metadata.namespace(), namespace) {
            self.creation_observed(owner_uid, pod);
        }
    }

    /// What is still pending, given the pods now observed in the
    /// controller's namespace and the controller's UID. `pods` may contain
    /// pods of any owner: only pods whose controller reference is
    /// `owner_uid` count as observed creations, with those the watch
    /// reported ([`Expectations::creation_observed`]), each name once. They
    /// must all be of the controller's namespace; [`pending_in`] takes
    /// pods of any namespace.
    ///
    /// [`pending_in`]: Expectations::pending_in
    pub fn pending(&self, owner_uid: &str, pods: &[Pod]) -> Pending {
        self.count_pending(None, owner_uid, pods)
    }

    /// [`pending`](Expectations::pending) over pods of any namespace: only
    /// those of `namespace` (the controller's) count, as upstream keys its
    /// expectations by `namespace/name` and resolves a pod's owner in the
    /// pod's namespace. What every reconcile calls.
    pub fn pending_in(&self, namespace: &str, owner_uid: &str, pods: &[Pod]) -> Pending {
        self.count_pending(Some(namespace), owner_uid, pods)
    }

    fn count_pending(&self, namespace: Option<&str>, owner_uid: &str, pods: &[Pod]) -> Pending {
        let Some(at) = self.recorded_at else {
            return Pending::default();
        };
        let in_scope = |p: &&Pod| namespace.is_none_or(|ns| same_str(p.metadata.namespace(), ns));
        let mut created: u32 = 0;
        if self.creates > 0 {
            // Reported pods the observation also lists are counted there.
            let mut reported_and_listed: u32 = 0;
            for p in pods.iter().filter(in_scope) {
                if self.is_new_creation(owner_uid, at, p) {
                    created = created.saturating_add(1);
                    if self.added.contains(p.metadata.name()) {
                        reported_and_listed = reported_and_listed.saturating_add(1);
                    }
                }
            }
            let reported = u32::try_from(self.added.len()).unwrap_or(u32::MAX);
            created = created.saturating_add(reported.saturating_sub(reported_and_listed));
        }
        let mut deletes: u32 = 0;
        if !self.deletes.is_empty() {
            // One pass over the pods, looking each up among the (sorted) keys.
            let mut keys: Vec<(&str, Option<&str>, bool)> =
                self.deletes.iter().map(|k| (k.name.as_str(), k.uid.as_deref(), false)).collect();
            keys.sort();
            for p in pods.iter().filter(in_scope) {
                if p.metadata.is_terminating() {
                    continue;
                }
                let name = p.metadata.name();
                let start = keys.partition_point(|k| k.0 < name);
                for k in keys.iter_mut().skip(start).take_while(|k| k.0 == name) {
                    if k.1.is_none_or(|u| u == p.metadata.uid()) {
                        k.2 = true;
                    }
                }
            }
            deletes = u32::try_from(keys.iter().filter(|k| k.2).count()).unwrap_or(u32::MAX);
        }
        Pending { creates: self.creates.saturating_sub(created), deletes }
    }

    /// Upstream's `SatisfiedExpectations`: no record, nothing pending, or
    /// expired; `pods` as [`pending`](Expectations::pending) takes them.
    pub fn satisfied(&self, owner_uid: &str, pods: &[Pod], now: Time) -> bool {
        self.satisfied_where(None, owner_uid, pods, now)
    }

    /// [`satisfied`](Expectations::satisfied) over pods of any namespace,
    /// counting only those of `namespace` (see
    /// [`pending_in`](Expectations::pending_in)).
    pub fn satisfied_in(&self, namespace: &str, owner_uid: &str, pods: &[Pod], now: Time) -> bool {
        self.satisfied_where(Some(namespace), owner_uid, pods, now)
    }

    fn satisfied_where(&self, namespace: Option<&str>, owner_uid: &str, pods: &[Pod], now: Time) -> bool {
        if self.is_empty() || self.is_expired(now) {
            return true;
        }
        let p = self.count_pending(namespace, owner_uid, pods);
        p.creates == 0 && p.deletes == 0
    }
}

/// The memory of a ReplicaSet or ReplicationController controller for one
/// object (DECISIONS G1). `Default` is a freshly started controller.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicaSetMemory {
    /// Creates and deletes not yet observed.
    #[serde(default)]
    pub expectations: Expectations,
    /// The error of the last failed create or delete, reported by the
    /// executor; the next reconcile turns it into the `ReplicaFailure`
    /// condition (upstream: the error `manageReplicas` returns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<ManageFailure>,
}

/// A failed create or delete, as the executor reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManageFailure {
    /// `FailedCreate` or `FailedDelete`.
    pub reason: String,
    /// The error message.
    pub message: String,
}

impl ReplicaSetMemory {
    /// A create failed (upstream lowers the expectation: `CreationObserved`
    /// on error) and the failure is kept for the `ReplicaFailure` condition.
    ///
    /// A create refused because the namespace is terminating (status cause
    /// `NamespaceTerminating`) is not a failure upstream: `manageReplicas`
    /// counts it as a success, with no condition and the expectation kept,
    /// so an executor should not report it here.
    pub fn create_failed(&mut self, message: impl Into<String>) {
        self.expectations.creates = self.expectations.creates.saturating_sub(1);
        self.failure.get_or_insert(ManageFailure { reason: "FailedCreate".into(), message: message.into() });
    }

    /// Creates that slow start never attempted because an earlier batch
    /// failed (upstream subtracts the skipped count).
    pub fn creates_skipped(&mut self, count: u32) {
        self.expectations.creates = self.expectations.creates.saturating_sub(count);
    }

    /// A delete failed: the pod is no longer expected to go, and the
    /// failure is kept for the `ReplicaFailure` condition. A NotFound is no
    /// failure: call [`Expectations::deletion_observed`] instead.
    ///
    /// `message` is the condition's message as it should read. Upstream's
    /// pod control wraps the API error (`RealPodControl.DeletePod`), so the
    /// condition a real controller writes reads
    /// `unable to delete pods: <API error>`: pass it so for the same text.
    /// A failed create's error is not wrapped (`create_failed`).
    pub fn delete_failed(&mut self, name: &str, message: impl Into<String>) {
        self.expectations.deletion_observed(name);
        self.failure.get_or_insert(ManageFailure { reason: "FailedDelete".into(), message: message.into() });
    }
}

/// `no expectations`, or `expect N creations, M deletions`: the part of
/// every controller memory's one-line form that snapshots show.
impl fmt::Display for Expectations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            f.write_str("no expectations")
        } else {
            write!(f, "expect {} creations, {} deletions", self.creates, self.deletes.len())
        }
    }
}

impl fmt::Display for ReplicaSetMemory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.expectations)?;
        if let Some(fail) = &self.failure {
            write!(f, ", last failure {}", fail.reason)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Slow start
// ---------------------------------------------------------------------------

/// The batch sizes of upstream's `slowStartBatch` for `count` calls starting
/// with `initial` (1, 2, 4, ... each capped by what remains). An `initial`
/// of 0 makes no batch at all, as upstream's loop never starts.
///
/// ```
/// use kube_workloads::controller::slow_start_batches;
/// assert_eq!(slow_start_batches(10, 1).collect::<Vec<_>>(), vec![1, 2, 4, 3]);
/// assert_eq!(slow_start_batches(10, 0).count(), 0);
/// ```
pub fn slow_start_batches(count: usize, initial: usize) -> impl Iterator<Item = usize> {
    capped_slow_start_batches(count, initial, usize::MAX)
}

/// [`slow_start_batches`] with no batch above `cap` (the StatefulSet
/// controller's own `slowStartBatch` caps at `MaxBatchSize`, 500).
pub(crate) fn capped_slow_start_batches(
    count: usize,
    initial: usize,
    cap: usize,
) -> impl Iterator<Item = usize> {
    let mut remaining = if initial == 0 || cap == 0 { 0 } else { count };
    let mut size = initial.min(cap);
    std::iter::from_fn(move || {
        if remaining == 0 {
            return None;
        }
        let batch = size.min(remaining);
        remaining = remaining.saturating_sub(batch);
        size = size.saturating_mul(2).min(cap);
        Some(batch)
    })
}

/// Runs `call` `count` times in slow-start batches (upstream:
/// `slowStartBatch`): every call of a batch is made; after a batch with a
/// failure no further batch starts. Returns the number of successful calls
/// and the first error. Calls run one after another (sans-IO); an executor
/// that wants upstream's concurrency runs each batch in parallel itself.
pub fn slow_start_batch<E>(
    count: usize,
    initial: usize,
    mut call: impl FnMut(usize) -> Result<(), E>,
) -> (usize, Option<E>) {
    let mut successes = 0usize;
    let mut index = 0usize;
    for batch in slow_start_batches(count, initial) {
        let mut first_error = None;
        for _ in 0..batch {
            match call(index) {
                Ok(()) => successes = successes.saturating_add(1),
                Err(e) => {
                    if first_error.is_none() {
                        first_error = Some(e);
                    }
                }
            }
            index = index.saturating_add(1);
        }
        if first_error.is_some() {
            return (successes, first_error);
        }
    }
    (successes, None)
}

// ---------------------------------------------------------------------------
// Ownership
// ---------------------------------------------------------------------------

/// What a controller does with one object it might own
/// (upstream: `BaseControllerRefManager.ClaimObject`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Owned and selected: the controller's own.
    Owned,
    /// An orphan the selector matches: adopt it (add the controllerRef).
    Adopt,
    /// Owned but no longer selected: release it (remove the controllerRef).
    Release,
    /// Not the controller's business: owned by another controller, in
    /// another namespace, or an orphan it must not adopt.
    Ignore,
}

impl Claim {
    /// Whether the object counts as the controller's after this claim
    /// (owned or adopted).
    pub fn is_claimed(self) -> bool {
        matches!(self, Claim::Owned | Claim::Adopt)
    }
}

/// Decides the claim of one object (upstream: `ClaimObject`).
///
/// `object` is the candidate's metadata, `owner` the controller's, `selected`
/// whether the controller's selector matches the candidate. An object in
/// another namespace is always ignored; an orphan is adopted only when the
/// owner and the object are both not being deleted; an owned object that is
/// no longer selected is released unless the owner is being deleted.
///
/// Three deliberate deviations, none reachable with objects an API server
/// returns:
/// - an object in another namespace is ignored even when the owner
///   controls it, where upstream's `ClaimObject` checks the namespace of
///   orphans only (its listers are namespaced, and an owner reference never
///   crosses namespaces): a reconcile's actions stay in its namespace;
/// - an owner without a namespace claims only objects without one, where
///   upstream lets a cluster-scoped owner adopt across namespaces: this
///   crate cannot tell a cluster-scoped owner from a namespaced one written
///   without its namespace (DESIGN principle 6, owned objects only);
/// - an owner without a UID adopts nothing (upstream patches in a reference
///   with an empty UID, which would then read as owned by any other owner
///   without one).
pub fn claim(object: &ObjectMeta, owner: &ObjectMeta, selected: bool) -> Claim {
    if !same_str(object.namespace(), owner.namespace()) {
        return Claim::Ignore;
    }
    match object.controller_ref() {
        Some(r) if !same_str(&r.uid, owner.uid()) => Claim::Ignore,
        Some(_) if selected => Claim::Owned,
        Some(_) if owner.is_terminating() => Claim::Ignore,
        Some(_) => Claim::Release,
        None if !selected || owner.is_terminating() || object.is_terminating() || owner.uid().is_empty() => {
            Claim::Ignore
        }
        None => Claim::Adopt,
    }
}

/// Claims every candidate (upstream: `ControllerRefManager.ClaimObject` over a
/// list, as `ClaimControllerRevisions` does): returns the objects the
/// controller owns after the claim, and pushes one `Update` per adoption
/// (adding `reference`) or release (removing the owner's reference) to
/// `patches`. `selected` says whether the controller's selector matches.
pub fn claim_all<'a, T>(
    candidates: impl IntoIterator<Item = &'a T>,
    owner: &ObjectMeta,
    reference: &OwnerReference,
    selected: impl Fn(&T) -> bool,
    patches: &mut Vec<Action>,
) -> Vec<&'a T>
where
    T: crate::api::Resource + Clone + Into<Object> + 'a,
{
    claim_all_map(candidates, owner, reference, selected, |object| object, patches)
}

/// [`claim_all`] that also passes each object the controller owns after the
/// claim through `gather`, in the same visit, and returns what it gives. A
/// controller that reads more of each object than the claim does then reads
/// it while it is still in cache: at thousands of objects a second pass
/// misses it again. `gather` sees the object as observed (an adopted one
/// without the new reference), as `claim_all` returns it.
pub fn claim_all_map<'a, T, U>(
    candidates: impl IntoIterator<Item = &'a T>,
    owner: &ObjectMeta,
    reference: &OwnerReference,
    selected: impl Fn(&T) -> bool,
    mut gather: impl FnMut(&'a T) -> U,
    patches: &mut Vec<Action>,
) -> Vec<U>
where
    T: crate::api::Resource + Clone + Into<Object> + 'a,
{
    let mut claimed = Vec::new();
    for object in candidates {
        match claim(object.metadata(), owner, selected(object)) {
            Claim::Owned => claimed.push(gather(object)),
            Claim::Adopt => {
                claimed.push(gather(object));
                patches.push(adopt_update(object, reference));
            }
            Claim::Release => {
                let mut released = object.clone();
                *released.metadata_mut() = without_owner(object.metadata(), owner.uid());
                patches.push(Action::Update { object: released.into(), change: "release".into() });
            }
            Claim::Ignore => {}
        }
    }
    claimed
}

/// The update that adopts `object`: its metadata with `reference` as the
/// controller reference (upstream: the ControllerRefManager's adopt patch).
pub(crate) fn adopt_update<T>(object: &T, reference: &OwnerReference) -> Action
where
    T: crate::api::Resource + Clone + Into<Object>,
{
    let mut adopted = object.clone();
    *adopted.metadata_mut() = with_owner(object.metadata(), reference.clone());
    Action::Update { object: adopted.into(), change: "adopt".into() }
}

/// The controller reference a controller puts on what it creates or adopts:
/// `controller: true`, `blockOwnerDeletion: true`
/// (upstream: `metav1.NewControllerRef`).
pub fn controller_ref(api_version: &str, kind: &str, owner: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: api_version.to_owned(),
        kind: kind.to_owned(),
        name: owner.name().to_owned(),
        uid: owner.uid().to_owned(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..OwnerReference::default()
    }
}

/// `meta` with `reference` among its owner references (adoption), as the
/// API server applies upstream's adoption patch (controller_ref_manager.go
/// ownerRefControllerPatch, a strategic merge patch on `uid`): an entry
/// with the same UID (a plain, non-controller reference to the same owner)
/// becomes `reference` in its place, keeping the fields this crate does not
/// model; otherwise `reference` goes first, before the references already
/// there, since the merge puts a patch's new list items ahead of the
/// server's own (apimachinery strategicpatch mergeSlice,
/// normalizeElementOrder).
pub fn with_owner(meta: &ObjectMeta, reference: OwnerReference) -> ObjectMeta {
    let mut out = meta.clone();
    let refs = out.owner_references.get_or_insert_with(Vec::new);
    match refs.iter_mut().find(|r| r.uid == reference.uid) {
        Some(existing) => {
            let other = std::mem::take(&mut existing.other);
            *existing = OwnerReference { other, ..reference };
        }
        None => refs.insert(0, reference),
    }
    out
}

/// `meta` without the owner reference whose UID is `owner_uid` (release).
pub fn without_owner(meta: &ObjectMeta, owner_uid: &str) -> ObjectMeta {
    let mut out = meta.clone();
    if let Some(refs) = out.owner_references.as_mut() {
        refs.retain(|r| r.uid != owner_uid);
        if refs.is_empty() {
            out.owner_references = None;
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Pods
// ---------------------------------------------------------------------------

/// Whether a pod counts for a controller (upstream: `IsPodActive`): not
/// `Succeeded`, not `Failed`, and no deletion timestamp.
pub fn is_pod_active(pod: &Pod) -> bool {
    !pod.metadata.is_terminating() && !is_pod_terminal(pod)
}

/// `Succeeded` or `Failed`.
pub fn is_pod_terminal(pod: &Pod) -> bool {
    pod.status.as_ref().and_then(|s| s.phase.as_ref()).is_some_and(|p| p.is_terminal())
}

/// A pod being deleted that has not finished (upstream: `IsPodTerminating`).
pub fn is_pod_terminating(pod: &Pod) -> bool {
    pod.metadata.is_terminating() && !is_pod_terminal(pod)
}

/// The pod a controller creates from its template
/// (upstream: `GetPodFromTemplate`): `generateName` [`pods_prefix`], the
/// template's labels, annotations and finalizers, exactly one controller
/// reference, the template's spec. It also carries the owner's namespace,
/// which upstream leaves to the create call's URL: the stored pod is the
/// same.
pub fn pod_from_template(template: &PodTemplateSpec, owner: &ObjectMeta, reference: OwnerReference) -> Pod {
    let tmeta = template.metadata.as_ref();
    let metadata = ObjectMeta {
        generate_name: Some(pods_prefix(owner.name())),
        namespace: owner.namespace.clone(),
        labels: tmeta.and_then(|m| m.labels.clone()),
        annotations: tmeta.and_then(|m| m.annotations.clone()),
        finalizers: tmeta.and_then(|m| m.finalizers.clone()),
        owner_references: Some(vec![reference]),
        ..ObjectMeta::default()
    };
    let mut pod = Pod { metadata, spec: template.spec.clone(), ..Pod::default() };
    pod.api_version = Some("v1".into());
    pod.kind = Some("Pod".into());
    pod
}

/// The `generateName` of a controller's pods: `<owner>-`, or the owner's
/// name alone when `<owner>-` is not a valid pod name prefix (upstream:
/// `getPodsPrefix`, which checks it as `ValidatePodName` does a prefix).
/// Only an owner whose own name is not a valid name, which the API server
/// never stores, loses the dash: even a 253-character owner keeps it, since
/// the check masks the dash by replacing the last two characters with one
/// (upstream's `maskTrailingDash`).
///
/// ```
/// use kube_workloads::controller::pods_prefix;
/// assert_eq!(pods_prefix("web"), "web-");
/// assert_eq!(pods_prefix("Web"), "Web");
/// let longest = "a".repeat(253);
/// assert_eq!(pods_prefix(&longest), format!("{longest}-"));
/// ```
pub fn pods_prefix(owner: &str) -> String {
    let prefix = format!("{owner}-");
    if crate::validation::meta::name_messages(crate::validation::meta::NameRule::Subdomain, &prefix, true)
        .is_empty()
    {
        prefix
    } else {
        owner.to_owned()
    }
}

/// Sorts by (namespace, name), then UID (DECISIONS G2).
///
/// The usual case, one namespace, sorts on 16-byte integer prefixes (see
/// [`string_prefix`]) of the names after the part they all share (a
/// controller's pods share `<owner>-`), and reads the strings only on a tie.
pub(crate) fn by_name<T>(items: &mut [&T], meta: impl Fn(&T) -> &ObjectMeta) {
    let one_namespace = items.split_first().is_none_or(|(first, rest)| {
        let ns = meta(first).namespace();
        rest.iter().all(|x| meta(x).namespace() == ns)
    });
    if !one_namespace {
        items.sort_by(|a, b| {
            let (a, b) = (meta(a), meta(b));
            (a.namespace(), a.name(), a.uid()).cmp(&(b.namespace(), b.name(), b.uid()))
        });
        return;
    }
    let common = common_prefix_len(items.iter().map(|x| meta(x).name()));
    let mut keyed: Vec<(u128, &T)> =
        items.iter().map(|x| (prefix_after(meta(x).name(), common), *x)).collect();
    sort_by_prefix(&mut keyed, |a, b| {
        let (a, b) = (meta(a), meta(b));
        (a.name(), a.uid()).cmp(&(b.name(), b.uid()))
    });
    for (slot, (_, x)) in items.iter_mut().zip(keyed) {
        *slot = x;
    }
}

/// Sorts `(prefix, item)` pairs by prefix, then by `tie` among equal
/// prefixes, stably: the order `items.sort_by` with that comparison gives.
///
/// The prefixes of a controller's pod names (see [`prefix_after`]) vary in
/// a few bytes only, so beyond a few hundred items this is a least
/// significant digit radix sort over just the bytes that vary: a counting
/// pass per such byte instead of ~14 comparisons per item that each reach
/// into the items. With more than six varying bytes, or few items, it is
/// `sort_by`.
pub(crate) fn sort_by_prefix<T: Copy>(
    items: &mut Vec<(u128, T)>,
    mut tie: impl FnMut(&T, &T) -> std::cmp::Ordering,
) {
    let Some(first) = items.first().map(|(p, _)| *p) else {
        return;
    };
    // Byte `i` of `to_le_bytes` is the `i`-th least significant.
    let varying = items.iter().fold(0u128, |acc, (p, _)| acc | (p ^ first)).to_le_bytes();
    let digits: Vec<usize> = (0..16).filter(|i| varying.get(*i).is_some_and(|b| *b != 0)).collect();
    if items.len() < 256 || digits.len() > 6 {
        items.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| tie(&a.1, &b.1)));
        return;
    }
    let digit = |p: u128, i: usize| usize::from(p.to_le_bytes().get(i).copied().unwrap_or(0));
    let mut scratch: Vec<(u128, T)> = items.clone();
    for i in digits {
        let mut starts = [0usize; 256];
        for (p, _) in items.iter() {
            if let Some(c) = starts.get_mut(digit(*p, i)) {
                *c = c.saturating_add(1);
            }
        }
        let mut total = 0usize;
        for s in starts.iter_mut() {
            let count = *s;
            *s = total;
            total = total.saturating_add(count);
        }
        for item in items.iter() {
            if let Some(at) = starts.get_mut(digit(item.0, i))
                && let Some(slot) = scratch.get_mut(*at)
            {
                *slot = *item;
                *at = at.saturating_add(1);
            }
        }
        std::mem::swap(items, &mut scratch);
    }
    // Runs of equal prefixes are in input order: the tie-break decides.
    for run in items.chunk_by_mut(|a, b| a.0 == b.0) {
        if run.len() > 1 {
            run.sort_by(|a, b| tie(&a.1, &b.1));
        }
    }
}

/// The first 16 bytes of `s` as a big-endian integer, zero-padded. When
/// two prefixes differ they order as the strings do: the first differing
/// byte decides, and a shorter string's padding (0) sorts before any byte
/// of a longer one except a NUL, which ties and falls back to the strings.
/// Sorting on it compares integers and touches each string once.
pub(crate) fn string_prefix(s: &str) -> u128 {
    bytes_prefix(s.as_bytes())
}

/// [`string_prefix`] of `s` after its first `skip` bytes (the prefix a set
/// of names shares, see [`common_prefix_len`]).
pub(crate) fn prefix_after(s: &str, skip: usize) -> u128 {
    bytes_prefix(s.as_bytes().get(skip..).unwrap_or(&[]))
}

/// The hasher of the maps a reconcile builds and drops, keyed by node and
/// pod names: eight bytes at a time, each word one FxHash step (rotate,
/// xor, multiply; rustc's own hasher), the last one to seven bytes read as
/// two overlapping halves, and murmur3's final mix, since hashbrown picks
/// buckets by the low bits that a multiply leaves weak. Keys come from the
/// caller's objects and the maps live for one call, so a keyed
/// (DoS-resistant) hash such as std's SipHash buys nothing here; it cost
/// the ReplicaSet's per-node counts ~600 instructions a pod, and FNV-1a's
/// byte loop ~45 instructions a node name.
#[derive(Default)]
pub(crate) struct NameHasher(u64);

impl NameHasher {
    #[inline]
    fn step(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

impl std::hash::Hasher for NameHasher {
    #[inline]
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut rest = bytes;
        while let Some((word, tail)) = rest.split_first_chunk::<8>() {
            self.step(u64::from_le_bytes(*word));
            rest = tail;
        }
        let last = match (rest.first_chunk::<4>(), rest.last_chunk::<4>()) {
            // 4..7 bytes: two halves that overlap when under eight.
            (Some(lo), Some(hi)) => {
                u64::from(u32::from_le_bytes(*lo)) | (u64::from(u32::from_le_bytes(*hi)) << 32)
            }
            // 0..3 bytes.
            _ => rest.iter().fold(0u64, |w, b| (w << 8) | u64::from(*b)),
        };
        if !rest.is_empty() {
            self.step(last);
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.step(u64::from(byte));
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.step(u64::try_from(n).unwrap_or(u64::MAX));
    }
}

/// A `HashMap` with [`NameHasher`].
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<NameHasher>>;
/// A `HashSet` with [`NameHasher`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, std::hash::BuildHasherDefault<NameHasher>>;

/// [`string_prefix`] over bytes.
fn bytes_prefix(s: &[u8]) -> u128 {
    // Whole-word loads (overlapping for the tail) rather than a byte loop or
    // a copy into a buffer read back as one integer: this runs for every
    // pod ranked.
    if let Some(head) = s.first_chunk::<16>() {
        return u128::from_be_bytes(*head);
    }
    let (hi, lo) = match (s.first_chunk::<8>(), s.last_chunk::<8>()) {
        // 8..16 bytes: the first eight, then the last eight shifted so the
        // bytes before the eighth leave and zeros pad the end.
        (Some(head), Some(tail)) => {
            (u64::from_be_bytes(*head), tail_word(u64::from_be_bytes(*tail), s.len()))
        }
        // 0..8 bytes: all in the high word.
        _ => (short_word(s), 0),
    };
    (u128::from(hi) << 64) | u128::from(lo)
}

/// The last word of a string of `len` bytes (`len` in 8..=15), shifted
/// left so only the bytes past the eighth remain, then zero padding.
fn tail_word(tail: u64, len: usize) -> u64 {
    let pad = u32::try_from(16usize.saturating_sub(len)).unwrap_or(8).saturating_mul(8);
    tail.checked_shl(pad).unwrap_or(0)
}

/// Up to eight bytes, big-endian and zero-padded on the right.
fn short_word(s: &[u8]) -> u64 {
    match (s.first_chunk::<4>(), s.last_chunk::<4>()) {
        (Some(head), Some(tail)) => {
            let hi = u64::from(u32::from_be_bytes(*head)) << 32;
            let lo = u64::from(tail_half(u32::from_be_bytes(*tail), s.len()));
            hi | lo
        }
        _ => {
            // 0..4 bytes.
            let mut word = 0u64;
            for (i, b) in s.iter().enumerate() {
                word |=
                    u64::from(*b) << (56u32.saturating_sub(u32::try_from(i).unwrap_or(7).saturating_mul(8)));
            }
            word
        }
    }
}

/// [`tail_word`] for the low half of a short word (`len` in 4..=7).
fn tail_half(tail: u32, len: usize) -> u32 {
    let pad = u32::try_from(8usize.saturating_sub(len)).unwrap_or(4).saturating_mul(8);
    tail.checked_shl(pad).unwrap_or(0)
}

/// The length in bytes of the prefix every string shares. Names that all
/// begin with it order as their remainders do, so sorting on the remainder's
/// [`bytes_prefix`] decides far more comparisons without reading strings.
pub(crate) fn common_prefix_len<'s>(mut strings: impl Iterator<Item = &'s str>) -> usize {
    let Some(first) = strings.next() else {
        return 0;
    };
    let first = first.as_bytes();
    let mut len = first.len();
    for s in strings {
        len = first.iter().zip(s.as_bytes()).take(len).take_while(|(a, b)| a == b).count();
        if len == 0 {
            break;
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::{NameHasher, capped_slow_start_batches};

    /// upstream: stateful_set_control.go slowStartBatch: each batch doubles
    /// up to MaxBatchSize (500), the last one takes what remains.
    #[test]
    fn capped_slow_start_batches_stop_doubling_at_the_cap() {
        let batches: Vec<usize> = capped_slow_start_batches(1100, 1, 500).collect();
        assert_eq!(batches, [1, 2, 4, 8, 16, 32, 64, 128, 256, 500, 89]);
        assert_eq!(batches.iter().sum::<usize>(), 1100);
        let small: Vec<usize> = capped_slow_start_batches(10, 1, 500).collect();
        assert_eq!(small, [1, 2, 4, 3]);
        assert_eq!(capped_slow_start_batches(10, 1, 0).count(), 0);
    }

    /// Names that differ only in a few trailing digits (node and pod names)
    /// must spread over hashbrown's buckets (the low bits) and control tags
    /// (the top seven bits) about as well as random values would.
    #[test]
    fn name_hasher_spreads_sequential_names() {
        let hasher = std::hash::BuildHasherDefault::<NameHasher>::default();
        for (shape, names) in [
            ("short", (0..4096).map(|i| format!("n{i}")).collect::<Vec<_>>()),
            ("node", (0..4096).map(|i| format!("node-{i:05}")).collect()),
            ("long", (0..4096).map(|i| format!("ip-10-0-{}-{}.ec2.internal", i / 256, i % 256)).collect()),
        ] {
            let hashes: Vec<u64> = names.iter().map(|n| hasher.hash_one(n.as_str())).collect();
            let low: std::collections::BTreeSet<u64> = hashes.iter().map(|h| h & 0xfff).collect();
            let top: std::collections::BTreeSet<u64> = hashes.iter().map(|h| h >> 57).collect();
            // 4,096 random values fill ~2,589 of 4,096 buckets; all 128 tags.
            assert!(low.len() > 2_400, "{shape}: {} distinct low-12-bit values", low.len());
            assert_eq!(top.len(), 128, "{shape}: top-7-bit tags");
        }
    }

    /// A prefix and its payload: a tie-break value and the input position.
    type Keyed<T> = (u128, (T, usize));

    /// `items` sorted by `sort_by_prefix` and by the stable `sort_by` it must
    /// equal, ties decided by the payload's first field (its second is the
    /// input position, so any instability shows).
    fn both_sorts<T: Ord + Copy>(items: Vec<Keyed<T>>) -> (Vec<Keyed<T>>, Vec<Keyed<T>>) {
        let tie = |a: &(T, usize), b: &(T, usize)| a.0.cmp(&b.0);
        let mut expected = items.clone();
        expected.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| tie(&a.1, &b.1)));
        let mut got = items;
        super::sort_by_prefix(&mut got, tie);
        (got, expected)
    }

    /// `sort_by_prefix` gives exactly the stable `sort_by` order on both of
    /// its paths: few varying bytes (the radix sort) and many (the
    /// fallback), with equal prefixes decided by the tie-break and equal
    /// tie-breaks left in input order.
    #[test]
    fn sort_by_prefix_matches_a_stable_sort() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for (len, varying_bytes) in
            [(0, 1), (1, 1), (300, 1), (1000, 2), (1000, 5), (1000, 6), (1000, 7), (2000, 16)]
        {
            for _ in 0..4 {
                let base = u128::from(next()) << 64 | u128::from(next());
                let mask = if varying_bytes >= 16 { u128::MAX } else { (1u128 << (varying_bytes * 8)) - 1 };
                // Shift the varying bytes to the top now and then, as name
                // prefixes have them.
                let shift = if next() % 2 == 0 { 0 } else { (16 - varying_bytes.min(16)) * 8 };
                let items: Vec<(u128, (u64, usize))> = (0..len)
                    .map(|i| {
                        // Each byte drawn on its own from a few values, so
                        // prefixes and ties repeat and every byte matters.
                        let p = (0..16).fold(0u128, |p, b| p | (u128::from(next() % 3) << (b * 8))) & mask;
                        ((base & !(mask << shift)) | (p << shift), (next() % 3, i))
                    })
                    .collect();
                let (got, expected) = both_sorts(items);
                assert_eq!(got, expected, "{len} items, {varying_bytes} varying bytes");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// The same, over arbitrary prefixes that vary in any chosen bytes
        /// (radix or fallback by their count) and draw from a few values so
        /// that ties are common.
        #[test]
        fn sort_by_prefix_matches_a_stable_sort_on_any_bytes(
            base in proptest::prelude::any::<u128>(),
            bytes in proptest::collection::vec(0usize..16, 0..9),
            draws in proptest::collection::vec((proptest::prelude::any::<u128>(), 0u8..3), 0..700),
        ) {
            let mask = bytes.iter().fold(0u128, |m, b| m | (0xffu128 << (b * 8)));
            let items: Vec<(u128, (u8, usize))> = draws
                .iter()
                .enumerate()
                .map(|(i, (bits, tie))| {
                    // Each byte 0..=2 on its own: ties are common and every
                    // varying byte orders.
                    let spread = bits & 0x0303_0303_0303_0303_0303_0303_0303_0303;
                    let spread = spread & !((spread >> 1) & spread & 0x0101_0101_0101_0101_0101_0101_0101_0101);
                    ((base & !mask) | (spread & mask), (*tie, i))
                })
                .collect();
            let (got, expected) = both_sorts(items);
            proptest::prop_assert_eq!(got, expected);
        }
    }

    /// Every length up to three words reads every byte: changing any one
    /// byte changes the hash.
    #[test]
    fn name_hasher_reads_every_byte() {
        let hasher = std::hash::BuildHasherDefault::<NameHasher>::default();
        for len in 0..=24usize {
            let base: Vec<u8> =
                (0..len).map(|i| b'a'.wrapping_add(u8::try_from(i % 26).unwrap_or(0))).collect();
            let h = hasher.hash_one(&base);
            for at in 0..len {
                let mut other = base.clone();
                if let Some(b) = other.get_mut(at) {
                    *b = b'Z';
                }
                assert_ne!(hasher.hash_one(&other), h, "length {len}, byte {at}");
            }
        }
    }
}
