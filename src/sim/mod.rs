//! A deterministic cluster simulator on virtual time (feature `sim`).
//!
//! [`Cluster`] is an ordinary *caller* of this crate: it plays the API
//! server (validation, defaulting, names, UIDs, resourceVersions, graceful
//! deletion, finalizers, a background garbage collector), a scheduler, the
//! node lifecycle controller, one kubelet per node (one
//! [`PodLifecycle`] per bound pod, with containers whose behaviour is
//! scripted, see [`script`]), and the controller manager (every controller of
//! [`crate::controller`]), and it uses nothing a user of the crate could not.
//!
//! upstream: no one file; the simulator stands in for the parts of a
//! cluster the crate does not decide, in simplified form: kube-apiserver's
//! storage and graceful deletion (pkg/registry/core/pod), kube-scheduler
//! (pkg/scheduler: filter, then pick a node), the node lifecycle controller's
//! taints (pkg/controller/nodelifecycle), the garbage collector's background
//! propagation (pkg/controller/garbagecollector) and the kubelet's runtime.
//! Where it departs from a real cluster is listed under "What the simulator
//! plays" and "Limits" below.
//!
//! # Time and order
//! Time is virtual, in whole seconds (the kubelet's unit). Work happens at
//! *instants*; at each instant, in this order:
//! 1. scheduled faults fire;
//! 2. due kubelet timers and container exits are fed to their pods, in timer
//!    order, and every command a pod emits is executed at once (a sandbox
//!    is ready, a container starts, a probe answers per the script);
//! 3. the scheduler binds pending pods;
//! 4. every controller whose inputs changed at an earlier instant, or whose
//!    requeue fell due, reconciles once, in a fixed order (Deployment,
//!    ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job,
//!    CronJob, TTL-after-finished, pod GC; then namespace and name), and its
//!    actions are executed immediately.
//!
//! A change made at an instant wakes its watchers at the next second, so
//! every hop (controller → scheduler → kubelet → controller) takes one
//! virtual second. Nothing depends on hash order or wall time; the only
//! randomness is a ChaCha8 generator seeded by [`Cluster::new`]'s seed
//! (generated names, UIDs, probabilistic script clauses, random faults),
//! so the same seed and inputs give the same [`LogEntry`] list.
//!
//! # Controller memory
//! Each controller object's memory (DECISIONS G1) is stored from
//! [`Action::Remember`] and handed back in the next reconcile's `Observed`;
//! [`Action::Requeue`] schedules a reconcile (delays round up to whole
//! seconds, zero means the next second).
//!
//! # What the simulator plays that the crate does not decide
//! - **Scheduler**: the filters of [`crate::scheduling::fits`] plus a pod
//!   count capacity per node; among feasible nodes (upstream's
//!   `percentageOfNodesToScore` sample) the one running the fewest pods wins.
//!   An unschedulable pod gets `PodScheduled=False` with the scheduler's
//!   message (its transition time kept while it stays False) and is
//!   retried when nodes change; the binding sets `PodScheduled=True`. The message ends with what
//!   the PostFilter plugins say (`no new claims to deallocate, preemption:
//!   ...`), but the simulator never preempts: a pod that lower-priority pods could make
//!   room for gets upstream's message without that part (as when upstream
//!   nominates a node) and waits.
//! - **Node lifecycle**: a node that goes NotReady or unreachable gets the
//!   `node.kubernetes.io/not-ready` / `unreachable` `NoSchedule` and
//!   `NoExecute` taints; the pods of an unreachable node are marked not
//!   Ready (MarkPodsNotReady: the kubelet's reason and message kept) and
//!   their kubelet is frozen until the node is back. Taint-based
//!   eviction and orphan collection are the pod GC controller's.
//! - **API server**: deletion sets `deletionTimestamp`; a bound pod goes
//!   when its kubelet has finished and its finalizers are gone; an unbound or
//!   finished pod, or one on a removed node, goes at once, and one deleted
//!   with grace 0 goes with its last finalizer. Names are generated before
//!   validation, which checks them. A delete with
//!   grace 0 (the pod GC's force delete) of a pod already terminating makes
//!   its deletion due now. Deleting an owner deletes its dependents
//!   (background propagation; a Job or ReplicationController deleted
//!   without a policy orphans its pods, as their strategies do), but for
//!   those another live owner still holds, which only lose their
//!   references to owners that are gone. A create
//!   starts the status afresh (a pod's Pending with its QoS class, and
//!   `PodScheduled=False SchedulingGated` while it has scheduling gates,
//!   which keep the scheduler away, and a claim's Pending); a DaemonSet's
//!   template generation starts at the one its annotation gives (at least
//!   1; an unparsable one, which upstream's conversion refuses, as 1) and
//!   rises with its template.
//! - **kubectl apply**: [`Cluster::apply`] records the manifest in
//!   `kubectl.kubernetes.io/last-applied-configuration` and patches an
//!   object that exists three-way (see the `apply` module).
//!
//! # API in brief
//! - [`Cluster::new`] / [`Cluster::with_config`]; nodes with
//!   [`Cluster::add_node`] ([`NodeSetup`]) or by applying a Node.
//! - [`Cluster::apply`] (defaulted, then validated; create or update),
//!   [`Cluster::delete`].
//! - [`Cluster::step`], [`Cluster::run_for`], [`Cluster::run_until`],
//!   [`Cluster::next_instant`].
//! - Faults: [`Cluster::inject`], [`Cluster::schedule_fault`],
//!   [`Cluster::schedule_random_faults`] ([`Fault`]).
//! - Queries: [`Cluster::pods`], [`Cluster::pod`], [`Cluster::get`],
//!   [`Cluster::namespace`] (every stored object, borrowed),
//!   [`Cluster::nodes`], [`Cluster::workloads`] (`kubectl get`-style rows),
//!   [`Cluster::converged`], [`Cluster::log`] ([`LogEntry`]) and
//!   [`short_timeline`], [`Cluster::stats`].
//! - [`scenario`]: timed steps, and the embedded scenario built from the
//!   seed notes; [`script`]: the container behaviour annotation.
//!
//! # Limits
//! No resources other than a pod count, no volumes (PersistentVolumeClaims
//! are stored as objects only), no Services, no conflict detection
//! (last writer wins), no rate limiting. Foreground propagation runs as
//! background and only pods wait for finalizers; `spec.schedulerName` is
//! not read; applying a Node that exists replaces it.

mod apply;
pub mod scenario;
pub mod script;
pub mod store;
mod timers;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::ops::Bound;
use std::sync::Arc;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

use crate::FeatureGates;
use crate::api::object::Resource;
use crate::api::{
    Condition, ConditionStatus, Node, NodeSpec, NodeStatus, Object, ObjectMeta, ObjectRef, Pod, PodPhase,
    PodStatus, Taint, TaintEffect, Time,
};
use crate::controller::{
    self, Action, ControllerMemory, DeleteOptions, PropagationPolicy, ReplicaSetMemory, cronjob, daemonset,
    deployment, job, podgc, replicaset, statefulset, ttl_after_finished,
};
use crate::kubelet::{self, Command, HookOutcome, KubeletConfig, PodLifecycle, ProbeKind, ProbeOutcome};
use crate::scheduling;
use crate::text::{MAX_GENERATED_NAME_LENGTH, cut_to};
use crate::validation::{self, ValidationErrors};

pub use script::{Behaviour, SCRIPT_ANNOTATION, Script, ScriptError};
use store::{Namespace, Store};

/// The default start of virtual time: 2026-01-01T00:00:00Z.
pub const DEFAULT_START_UNIX: i64 = 1_767_225_600;

/// The pod capacity of a node that does not say otherwise (kubelet's
/// `maxPods` default).
pub const DEFAULT_POD_CAPACITY: u32 = 110;

/// How often the pod GC controller runs while it has work (upstream's
/// `gcCheckPeriod`, 20 s).
pub const POD_GC_PERIOD_SECONDS: i64 = 20;

// ---------------------------------------------------------------------------
// Public vocabulary
// ---------------------------------------------------------------------------

/// Settings of a [`Cluster`].
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Feature gates handed to every controller, validation and defaulting.
    pub gates: FeatureGates,
    /// The kubelet configuration of every node.
    pub kubelet: KubeletConfig,
    /// The start of virtual time.
    pub start: Time,
    /// Whether to keep the event log (turn off for large benchmarks; the
    /// event counter still counts).
    pub keep_log: bool,
    /// Whether to log every failed probe (otherwise only outcome changes).
    pub log_every_probe_failure: bool,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            gates: FeatureGates::default(),
            kubelet: KubeletConfig::default(),
            start: Time::from_unix(DEFAULT_START_UNIX),
            keep_log: true,
            log_every_probe_failure: false,
        }
    }
}

/// One line of the event log: when, about what, what happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Seconds since the start of the simulation.
    pub at: i64,
    /// The object (`Pod default/web-x7k2p`, `Node node-1`, `scheduler`).
    pub object: String,
    /// What happened.
    pub what: String,
}

impl fmt::Display for LogEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:>6}s  {}: {}", self.at, self.object, self.what)
    }
}

/// A node's health, as the node lifecycle controller sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeHealth {
    /// `Ready=True`.
    Ready,
    /// `Ready=False`: the kubelet reports, its pods keep running, the node
    /// is tainted `not-ready`.
    NotReady,
    /// `Ready=Unknown`: the kubelet does not report; its pods are frozen
    /// and marked not Ready, the node is tainted `unreachable`.
    Unreachable,
}

/// A node to add.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSetup {
    /// The node name.
    pub name: String,
    /// Labels (`kubernetes.io/hostname`, `kubernetes.io/os: linux` and
    /// `kubernetes.io/arch: amd64` are added first).
    pub labels: Vec<(String, String)>,
    /// Taints.
    pub taints: Vec<Taint>,
    /// How many pods it runs at most.
    pub capacity: u32,
}

impl NodeSetup {
    /// A node with no labels or taints and the default capacity.
    pub fn new(name: impl Into<String>) -> NodeSetup {
        NodeSetup {
            name: name.into(),
            labels: Vec::new(),
            taints: Vec::new(),
            capacity: DEFAULT_POD_CAPACITY,
        }
    }

    /// Adds a label.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> NodeSetup {
        self.labels.push((key.into(), value.into()));
        self
    }

    /// Adds a taint.
    pub fn taint(mut self, key: impl Into<String>, value: Option<&str>, effect: TaintEffect) -> NodeSetup {
        self.taints.push(Taint {
            key: key.into(),
            value: value.map(str::to_owned),
            effect,
            ..Taint::default()
        });
        self
    }

    /// Sets the pod capacity.
    pub fn capacity(mut self, pods: u32) -> NodeSetup {
        self.capacity = pods;
        self
    }
}

/// Something that goes wrong (or right again) in the cluster.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// The node's health changes (NotReady, unreachable, or back to Ready).
    NodeHealth {
        /// The node.
        node: String,
        /// Its new health.
        health: NodeHealth,
    },
    /// A node joins.
    AddNode(NodeSetup),
    /// A node is removed (its pods are left for the pod GC controller).
    RemoveNode {
        /// The node.
        node: String,
    },
    /// A taint is added to a node.
    Taint {
        /// The node.
        node: String,
        /// The taint.
        taint: Taint,
    },
    /// Taints with this key are removed from a node.
    Untaint {
        /// The node.
        node: String,
        /// The taint key.
        key: String,
    },
    /// The node is cordoned (`true`) or uncordoned.
    Cordon {
        /// The node.
        node: String,
        /// Whether it becomes unschedulable.
        unschedulable: bool,
    },
    /// A pod is deleted (as `kubectl delete pod`).
    DeletePod {
        /// The pod's namespace.
        namespace: String,
        /// The pod's name.
        name: String,
    },
    /// A probe of a pod's containers starts failing.
    ProbeFails {
        /// The pod's namespace.
        namespace: String,
        /// The pod's name.
        name: String,
        /// The probe that fails.
        probe: ProbeKind,
        /// For how long (`None`: for ever).
        for_seconds: Option<i64>,
    },
    /// A fault drawn from the seed when it fires: a node goes NotReady or
    /// unreachable for a while, a pod is deleted, a readiness probe fails
    /// for a while, a node is cordoned for a while.
    Random,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::NodeHealth { node, health } => write!(f, "node {node} becomes {health:?}"),
            Fault::AddNode(n) => write!(f, "node {} added", n.name),
            Fault::RemoveNode { node } => write!(f, "node {node} removed"),
            Fault::Taint { node, taint } => {
                write!(f, "node {node} tainted {}", scheduling::taint_to_string(taint))
            }
            Fault::Untaint { node, key } => write!(f, "node {node} untainted {key}"),
            Fault::Cordon { node, unschedulable } => {
                write!(f, "node {node} {}", if *unschedulable { "cordoned" } else { "uncordoned" })
            }
            Fault::DeletePod { namespace, name } => write!(f, "pod {namespace}/{name} deleted"),
            Fault::ProbeFails { namespace, name, probe, .. } => {
                write!(f, "{} probe of pod {namespace}/{name} starts failing", probe.as_str())
            }
            Fault::Random => f.write_str("random fault"),
        }
    }
}

/// An error of [`Cluster::apply`] or [`Cluster::delete`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The object failed validation.
    #[error("{kind} {name} is invalid: {errors}")]
    Invalid {
        /// The object's kind.
        kind: String,
        /// The object's name.
        name: String,
        /// What is wrong.
        errors: ValidationErrors,
    },
    /// The simulator does not run this kind.
    #[error("kind {0} is not simulated")]
    Unsupported(String),
    /// No such object.
    #[error("{0} not found")]
    NotFound(String),
    /// The object has neither a name nor a generateName.
    #[error("{0} has no name")]
    NoName(String),
    /// Applying the manifest to the stored object gave a document that is
    /// not a valid object of its kind.
    #[error("{kind} {name} could not be patched: {message}")]
    Patch {
        /// The object's kind.
        kind: String,
        /// The object's name.
        name: String,
        /// Why the patched document could not be read.
        message: String,
    },
}

/// One row of [`Cluster::workloads`]: the numbers `kubectl get` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadRow {
    /// The kind.
    pub kind: &'static str,
    /// `namespace/name`.
    pub name: String,
    /// Desired replicas (completions for a Job, nodes for a DaemonSet).
    pub desired: i32,
    /// Current pods.
    pub current: i32,
    /// Ready pods.
    pub ready: i32,
    /// Pods of the current revision (succeeded pods for a Job).
    pub updated: i32,
    /// Available pods (failed pods for a Job).
    pub available: i32,
    /// A short note (conditions, last schedule...).
    pub note: String,
}

/// Counters of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Simulated events: kubelet events and timeouts handled, controller
    /// actions executed, scheduling decisions, faults.
    pub events: u64,
    /// Reconciles run.
    pub reconciles: u64,
    /// Instants processed.
    pub instants: u64,
}

// ---------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------

/// The controllers, in the order they run within an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum CtrlKind {
    Deployment,
    ReplicaSet,
    ReplicationController,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    Ttl,
    PodGc,
}

impl CtrlKind {
    fn of_owner_kind(kind: &str) -> Option<CtrlKind> {
        Some(match kind {
            "Deployment" => CtrlKind::Deployment,
            "ReplicaSet" => CtrlKind::ReplicaSet,
            "ReplicationController" => CtrlKind::ReplicationController,
            "StatefulSet" => CtrlKind::StatefulSet,
            "DaemonSet" => CtrlKind::DaemonSet,
            "Job" => CtrlKind::Job,
            "CronJob" => CtrlKind::CronJob,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct CtrlKey {
    kind: CtrlKind,
    ns: String,
    name: String,
}

type PodKey = (String, String);

#[derive(Clone, Debug)]
enum Wake {
    Fault(Box<Fault>),
    Kubelet { slot: usize, serial: u64 },
    Exit { slot: usize, serial: u64, container: Arc<str>, attempt: u32, code: i32 },
    ProbeRecovers { slot: usize, serial: u64 },
    Controller(Box<CtrlKey>),
}

#[derive(Clone, Debug)]
struct Instance {
    attempt: u32,
    started: i64,
    running: bool,
    behaviour: Behaviour,
    /// The last outcome of each probe kind (startup, liveness, readiness).
    last_probe: [Option<bool>; 3],
}

impl Instance {
    /// Records `ok` as the last outcome of `probe`, returning the previous.
    fn record_probe(&mut self, probe: ProbeKind, ok: bool) -> Option<bool> {
        let i = match probe {
            ProbeKind::Startup => 0,
            ProbeKind::Liveness => 1,
            ProbeKind::Readiness => 2,
        };
        self.last_probe.get_mut(i).and_then(|slot| slot.replace(ok))
    }
}

/// A pod's running container instances by name. A pod has a handful of
/// containers, and every probe looks one up: a linear scan (pointer first,
/// the name `Arc` is shared with the lifecycle's commands) beats hashing
/// the name.
#[derive(Debug, Default)]
struct Instances(Vec<(Arc<str>, Instance)>);

impl Instances {
    fn position(&self, name: &Arc<str>) -> Option<usize> {
        self.0.iter().position(|(n, _)| Arc::ptr_eq(n, name) || **n == **name)
    }

    fn get(&self, name: &Arc<str>) -> Option<&Instance> {
        self.position(name).and_then(|i| self.0.get(i)).map(|(_, inst)| inst)
    }

    fn get_mut(&mut self, name: &Arc<str>) -> Option<&mut Instance> {
        self.position(name).and_then(|i| self.0.get_mut(i)).map(|(_, inst)| inst)
    }

    fn insert(&mut self, name: Arc<str>, instance: Instance) {
        match self.position(&name).and_then(|i| self.0.get_mut(i)) {
            Some(slot) => slot.1 = instance,
            None => self.0.push((name, instance)),
        }
    }
}

#[derive(Debug)]
struct Kubelet {
    key: PodKey,
    serial: u64,
    pl: PodLifecycle,
    node: String,
    script: Script,
    /// Init containers that are not sidecars: by default they succeed.
    init: Vec<String>,
    instances: Instances,
    /// Probes failing because of a fault, until (`None`: for ever).
    probe_faults: Vec<(ProbeKind, Option<i64>)>,
    next_wake: Option<i64>,
    deferred: Vec<kubelet::Event>,
    /// Counted in its node's pod count.
    counted: bool,
    /// Its node is unreachable: events wait until it is back.
    frozen: bool,
    /// Something other than a repeated successful probe happened since the
    /// last status sync.
    noisy: bool,
    /// The stored pod is Running and Ready and not terminating: a repeated
    /// successful probe cannot change its status.
    steady: bool,
}

/// One [`Kubelet`] per bound pod, in a slab: timers name a slot and a
/// serial instead of the pod's name, so the hot path clones no strings.
#[derive(Debug, Default)]
struct Kubelets {
    slots: Vec<Option<Kubelet>>,
    index: HashMap<PodKey, usize>,
    free: Vec<usize>,
    serial: u64,
}

impl Kubelets {
    fn get(&self, key: &PodKey) -> Option<&Kubelet> {
        self.index.get(key).and_then(|i| self.slots.get(*i)).and_then(Option::as_ref)
    }

    fn get_mut(&mut self, key: &PodKey) -> Option<&mut Kubelet> {
        let i = *self.index.get(key)?;
        self.slots.get_mut(i).and_then(Option::as_mut)
    }

    fn slot(&self, slot: usize, serial: u64) -> Option<&Kubelet> {
        self.slots.get(slot).and_then(Option::as_ref).filter(|k| k.serial == serial)
    }

    fn slot_mut(&mut self, slot: usize, serial: u64) -> Option<&mut Kubelet> {
        self.slots.get_mut(slot).and_then(Option::as_mut).filter(|k| k.serial == serial)
    }

    fn contains_key(&self, key: &PodKey) -> bool {
        self.index.contains_key(key)
    }

    fn insert(&mut self, mut k: Kubelet) {
        if let Some(old) = self.index.get(&k.key).copied() {
            if let Some(slot) = self.slots.get_mut(old) {
                *slot = None;
            }
            self.free.push(old);
        }
        self.serial = self.serial.saturating_add(1);
        k.serial = self.serial;
        let key = k.key.clone();
        let i = match self.free.pop() {
            Some(i) => {
                if let Some(slot) = self.slots.get_mut(i) {
                    *slot = Some(k);
                }
                i
            }
            None => {
                self.slots.push(Some(k));
                self.slots.len().saturating_sub(1)
            }
        };
        self.index.insert(key, i);
    }

    fn remove(&mut self, key: &PodKey) -> Option<Kubelet> {
        let i = self.index.remove(key)?;
        let k = self.slots.get_mut(i).and_then(Option::take);
        self.free.push(i);
        k
    }

    /// Live kubelets in slot order (deterministic).
    fn iter(&self) -> impl Iterator<Item = (usize, &Kubelet)> {
        self.slots.iter().enumerate().filter_map(|(i, k)| k.as_ref().map(|k| (i, k)))
    }
}

#[derive(Clone, Debug)]
struct SimNode {
    node: Node,
    health: NodeHealth,
    capacity: u32,
    pods: u32,
}

/// A simulated cluster. See the [module docs](self).
///
/// ```
/// use kube_workloads::sim::{Cluster, NodeSetup};
/// use kube_workloads::Object;
/// let mut cluster = Cluster::new(7);
/// cluster.add_node(NodeSetup::new("node-1"));
/// let pod = Object::from_value(serde_json::json!({
///     "apiVersion": "v1", "kind": "Pod",
///     "metadata": {"name": "myapp-pod", "namespace": "default",
///                  "annotations": {"sim.kube-workloads.io/script": "succeed after 30s"}},
///     "spec": {"restartPolicy": "Never",
///              "containers": [{"name": "myapp-container", "image": "busybox"}]}
/// })).unwrap();
/// cluster.apply(pod).unwrap();
/// cluster.run_for(60);
/// let pod = cluster.pod("default", "myapp-pod").unwrap();
/// assert_eq!(pod.status.as_ref().and_then(|s| s.phase.clone()), Some(kube_workloads::api::PodPhase::Succeeded));
/// ```
#[derive(Debug)]
pub struct Cluster {
    config: SimConfig,
    start: i64,
    now: i64,
    rng: ChaCha8Rng,
    resource_version: u64,
    ip_counter: u32,
    nodes: BTreeMap<String, SimNode>,
    node_cache: Vec<Node>,
    node_names: Vec<String>,
    nodes_changed: bool,
    namespaces: BTreeMap<String, Namespace>,
    kubelets: Kubelets,
    timers: timers::TimerQueue<Wake>,
    dirty: BTreeSet<CtrlKey>,
    memories: HashMap<CtrlKey, ControllerMemory>,
    podgc_memory: podgc::PodGcMemory,
    podgc_active: bool,
    podgc_next: i64,
    pending: BTreeSet<PodKey>,
    unschedulable: BTreeSet<PodKey>,
    sched_cursor: usize,
    /// The lowest `spec.priority` of any pod created so far (0 when unset):
    /// a pod of no higher priority has no preemption victims anywhere.
    min_pod_priority: i32,
    log: Vec<LogEntry>,
    log_count: u64,
    stats: Stats,
}

fn condition(type_: &str, status: ConditionStatus, now: Time, reason: &str, message: &str) -> Condition {
    Condition {
        type_: type_.to_owned(),
        status,
        last_transition_time: Some(now),
        last_probe_time: None,
        reason: Some(reason.to_owned()),
        message: if message.is_empty() { None } else { Some(message.to_owned()) },
        ..Condition::default()
    }
}

/// Puts `new` in the place of the condition of its type, or appends it, and
/// says whether anything changed; an unchanged status keeps the old
/// transition time (upstream: podutil.UpdatePodCondition).
fn update_pod_condition(conds: &mut Vec<Condition>, mut new: Condition) -> bool {
    match conds.iter_mut().find(|c| c.type_ == new.type_) {
        None => {
            conds.push(new);
            true
        }
        Some(old) => {
            if old.status == new.status {
                new.last_transition_time = old.last_transition_time;
            }
            let changed = *old != new;
            *old = new;
            changed
        }
    }
}

/// A pod's `spec.priority`, 0 when unset (the Priority admission plugin's
/// default without a default PriorityClass).
fn pod_priority(pod: &Pod) -> i32 {
    pod.spec.as_ref().and_then(|s| s.priority).unwrap_or(0)
}

fn pod_ready(pod: &Pod) -> bool {
    crate::pod::is_pod_ready(pod)
}

fn phase_of(pod: &Pod) -> PodPhase {
    pod.status.as_ref().and_then(|s| s.phase.clone()).unwrap_or(PodPhase::Pending)
}

/// The first deletion of an object that keeps a generation raises it, so
/// its controllers see a new generation for the deletion (upstream:
/// rest.BeforeDelete for graceful deletes, the store's markAsDeleting for
/// the others).
fn bump_generation_on_deletion(meta: &mut ObjectMeta) {
    if let Some(g) = meta.generation.filter(|g| *g > 0) {
        meta.generation = Some(g.saturating_add(1));
    }
}

/// Whether two values of the member `key` are equal as the strategies'
/// `apiequality.Semantic.DeepEqual` finds them (an empty map or list as
/// absent, quantities by value), which decides a generation bump: an
/// update that only spells the spec differently is not a change.
fn semantically_same<T: serde::Serialize>(key: &str, a: &T, b: &T) -> bool {
    let wrap = |v: &T| serde_json::to_value(v).map(|v| serde_json::json!({ key: v }));
    match (wrap(a), wrap(b)) {
        (Ok(x), Ok(y)) => controller::semantic_equal(&x, &y),
        _ => false,
    }
}

const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

impl Cluster {
    /// An empty cluster (no nodes) at [`DEFAULT_START_UNIX`], seeded.
    pub fn new(seed: u64) -> Cluster {
        Cluster::with_config(seed, SimConfig::default())
    }

    /// An empty cluster with these settings.
    pub fn with_config(seed: u64, config: SimConfig) -> Cluster {
        let start = config.start.unix();
        Cluster {
            config,
            start,
            now: start,
            rng: ChaCha8Rng::seed_from_u64(seed),
            resource_version: 0,
            ip_counter: 0,
            nodes: BTreeMap::new(),
            node_cache: Vec::new(),
            node_names: Vec::new(),
            nodes_changed: false,
            namespaces: BTreeMap::new(),
            kubelets: Kubelets::default(),
            timers: timers::TimerQueue::default(),
            dirty: BTreeSet::new(),
            memories: HashMap::new(),
            podgc_memory: podgc::PodGcMemory::default(),
            podgc_active: false,
            podgc_next: start,
            pending: BTreeSet::new(),
            unschedulable: BTreeSet::new(),
            sched_cursor: 0,
            min_pod_priority: i32::MAX,
            log: Vec::new(),
            log_count: 0,
            stats: Stats::default(),
        }
    }

    // ---- queries ---------------------------------------------------------

    /// The current virtual time.
    pub fn now(&self) -> Time {
        Time::from_unix(self.now)
    }

    /// Seconds since the start.
    pub fn elapsed(&self) -> i64 {
        self.now.saturating_sub(self.start)
    }

    /// The event log so far.
    pub fn log(&self) -> &[LogEntry] {
        &self.log
    }

    /// Takes the log entries recorded so far, leaving the log empty.
    pub fn drain_log(&mut self) -> Vec<LogEntry> {
        std::mem::take(&mut self.log)
    }

    /// Counters of the run.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// The nodes, by name.
    pub fn nodes(&self) -> impl Iterator<Item = (&Node, NodeHealth)> {
        self.nodes.values().map(|n| (&n.node, n.health))
    }

    /// How many non-terminal pods are bound to the node.
    pub fn pods_on_node(&self, node: &str) -> Option<u32> {
        self.nodes.get(node).map(|n| n.pods)
    }

    /// The namespaces that hold objects.
    pub fn namespaces(&self) -> impl Iterator<Item = &str> {
        self.namespaces.keys().map(String::as_str)
    }

    /// The stores of one namespace.
    pub fn namespace(&self, ns: &str) -> Option<&Namespace> {
        self.namespaces.get(ns)
    }

    /// Every pod, namespace by namespace.
    pub fn pods(&self) -> impl Iterator<Item = &Pod> {
        self.namespaces.values().flat_map(|n| n.pods.items().iter())
    }

    /// One pod.
    pub fn pod(&self, ns: &str, name: &str) -> Option<&Pod> {
        self.namespaces.get(ns)?.pods.get(name)
    }

    /// One object of any kind this simulator stores, as an [`Object`].
    pub fn get(&self, kind: &str, ns: &str, name: &str) -> Option<Object> {
        if kind == "Node" {
            return self.nodes.get(name).map(|n| Object::Node(Box::new(n.node.clone())));
        }
        let n = self.namespaces.get(ns)?;
        Some(match kind {
            "Pod" => Object::Pod(Box::new(n.pods.get(name)?.clone())),
            "ReplicaSet" => Object::ReplicaSet(Box::new(n.replica_sets.get(name)?.clone())),
            "ReplicationController" => {
                Object::ReplicationController(Box::new(n.replication_controllers.get(name)?.clone()))
            }
            "Deployment" => Object::Deployment(Box::new(n.deployments.get(name)?.clone())),
            "StatefulSet" => Object::StatefulSet(Box::new(n.stateful_sets.get(name)?.clone())),
            "DaemonSet" => Object::DaemonSet(Box::new(n.daemon_sets.get(name)?.clone())),
            "Job" => Object::Job(Box::new(n.jobs.get(name)?.clone())),
            "CronJob" => Object::CronJob(Box::new(n.cron_jobs.get(name)?.clone())),
            "PersistentVolumeClaim" => Object::PersistentVolumeClaim(Box::new(n.claims.get(name)?.clone())),
            "ControllerRevision" => Object::ControllerRevision(Box::new(n.revisions.get(name)?.clone())),
            _ => return None,
        })
    }

    /// The pods whose controller is the object with this UID.
    pub fn pods_of(&self, owner_uid: &str) -> Vec<&Pod> {
        self.pods().filter(|p| p.metadata.controller_ref().is_some_and(|r| r.uid == owner_uid)).collect()
    }

    // ---- nodes -------------------------------------------------------------

    /// Adds a Ready node (or replaces the node with that name).
    pub fn add_node(&mut self, setup: NodeSetup) {
        let mut meta = ObjectMeta { name: Some(setup.name.clone()), ..ObjectMeta::default() };
        meta.set_label("kubernetes.io/hostname", setup.name.clone());
        meta.set_label("kubernetes.io/os", "linux");
        meta.set_label("kubernetes.io/arch", "amd64");
        for (k, v) in &setup.labels {
            meta.set_label(k.clone(), v.clone());
        }
        let node = Node {
            metadata: meta,
            spec: Some(NodeSpec {
                taints: if setup.taints.is_empty() { None } else { Some(setup.taints.clone()) },
                ..NodeSpec::default()
            }),
            ..Node::default()
        };
        self.insert_node(node, setup.capacity);
    }

    fn insert_node(&mut self, mut node: Node, capacity: u32) {
        node.fill_type_meta();
        let name = node.metadata.name().to_owned();
        let now = self.now();
        if node.metadata.uid.is_none() {
            node.metadata.uid = Some(self.uid());
        }
        node.metadata.creation_timestamp.get_or_insert(now);
        node.metadata.resource_version = Some(self.next_rv());
        let status = node.status.get_or_insert_with(NodeStatus::default);
        if status.condition("Ready").is_none() {
            status.conditions.get_or_insert_with(Vec::new).push(condition(
                "Ready",
                ConditionStatus::True,
                now,
                "KubeletReady",
                "kubelet is posting ready status",
            ));
        }
        let pods = self.nodes.get(&name).map_or(0, |n| n.pods);
        self.nodes.insert(name.clone(), SimNode { node, health: NodeHealth::Ready, capacity, pods });
        self.log_line(format!("Node {name}"), format!("added (capacity {capacity} pods)"));
        self.nodes_touched();
    }

    fn nodes_touched(&mut self) {
        self.nodes_changed = true;
        self.podgc_active = true;
        let retry = std::mem::take(&mut self.unschedulable);
        self.pending.extend(retry);
        let ds: Vec<CtrlKey> = self
            .namespaces
            .iter()
            .flat_map(|(ns, n)| {
                n.daemon_sets.items().iter().map(move |d| CtrlKey {
                    kind: CtrlKind::DaemonSet,
                    ns: ns.clone(),
                    name: d.metadata.name().to_owned(),
                })
            })
            .collect();
        self.dirty.extend(ds);
    }

    fn refresh_node_cache(&mut self) {
        if self.nodes_changed {
            self.node_cache = self.nodes.values().map(|n| n.node.clone()).collect();
            self.node_names = self.nodes.keys().cloned().collect();
            self.nodes_changed = false;
        }
    }

    fn set_node_health(&mut self, name: &str, health: NodeHealth) {
        let now = self.now();
        let Some(n) = self.nodes.get_mut(name) else { return };
        let before = n.health;
        if before == health {
            return;
        }
        n.health = health;
        let (status, reason, message) = match health {
            NodeHealth::Ready => (ConditionStatus::True, "KubeletReady", "kubelet is posting ready status"),
            NodeHealth::NotReady => (ConditionStatus::False, "KubeletNotReady", "container runtime is down"),
            NodeHealth::Unreachable => {
                (ConditionStatus::Unknown, "NodeStatusUnknown", "Kubelet stopped posting node status.")
            }
        };
        let st = n.node.status.get_or_insert_with(NodeStatus::default);
        let conds = st.conditions.get_or_insert_with(Vec::new);
        conds.retain(|c| c.type_ != "Ready");
        conds.push(condition("Ready", status, now, reason, message));
        let spec = n.node.spec.get_or_insert_with(NodeSpec::default);
        let taints = spec.taints.get_or_insert_with(Vec::new);
        taints.retain(|t| {
            t.key != scheduling::TAINT_NODE_NOT_READY && t.key != scheduling::TAINT_NODE_UNREACHABLE
        });
        let key = match health {
            NodeHealth::Ready => None,
            NodeHealth::NotReady => Some(scheduling::TAINT_NODE_NOT_READY),
            NodeHealth::Unreachable => Some(scheduling::TAINT_NODE_UNREACHABLE),
        };
        if let Some(key) = key {
            for effect in [TaintEffect::NoSchedule, TaintEffect::NoExecute] {
                taints.push(Taint { key: key.to_owned(), effect, time_added: Some(now), ..Taint::default() });
            }
        }
        if taints.is_empty() {
            spec.taints = None;
        }
        n.node.metadata.resource_version = None;
        let rv = self.next_rv();
        if let Some(n) = self.nodes.get_mut(name) {
            n.node.metadata.resource_version = Some(rv);
        }
        self.log_line(format!("Node {name}"), format!("{before:?} -> {health:?}"));
        self.nodes_touched();
        let on_node: Vec<PodKey> =
            self.kubelets.iter().filter(|(_, k)| k.node == name).map(|(_, k)| k.key.clone()).collect();
        for key in &on_node {
            if let Some(k) = self.kubelets.get_mut(key) {
                k.frozen = health == NodeHealth::Unreachable;
            }
        }
        if health == NodeHealth::Unreachable {
            // upstream: node lifecycle controller MarkPodsNotReady.
            for key in &on_node {
                self.mark_pod_not_ready(key);
            }
        } else if before == NodeHealth::Unreachable {
            for key in on_node {
                self.drive(&key, Vec::new());
            }
        }
    }

    fn mark_pod_not_ready(&mut self, key: &PodKey) {
        let now = self.now();
        let rv = self.next_rv();
        let Some(pod) = self.namespaces.get_mut(&key.0).and_then(|n| n.pods.get_mut(&key.1)) else { return };
        let Some(conds) = pod.status.as_mut().and_then(|s| s.conditions.as_mut()) else { return };
        let mut changed = false;
        // upstream: MarkPodsNotReady flips a copy of the Ready condition to
        // False and stores it with UpdatePodCondition: reason and message
        // stay what the kubelet wrote, the transition time is now
        // (NodeNotReady is only the event's reason).
        for c in conds.iter_mut().filter(|c| c.type_ == "Ready" && c.status == ConditionStatus::True) {
            c.status = ConditionStatus::False;
            c.last_transition_time = Some(now);
            changed = true;
        }
        if changed {
            pod.metadata.resource_version = Some(rv);
            let owner = pod.metadata.controller_ref().map(|r| (r.kind.clone(), r.name.clone()));
            if let Some(k) = self.kubelets.get_mut(key) {
                k.steady = false;
            }
            self.log_line(
                format!("Pod {}/{}", key.0, key.1),
                "marked not ready (node unreachable)".to_owned(),
            );
            self.touch_owner(&key.0, owner);
        }
    }

    fn remove_node(&mut self, name: &str) {
        if self.nodes.remove(name).is_none() {
            return;
        }
        self.log_line(format!("Node {name}"), "removed".to_owned());
        let on_node: Vec<PodKey> =
            self.kubelets.iter().filter(|(_, k)| k.node == name).map(|(_, k)| k.key.clone()).collect();
        for key in on_node {
            self.kubelets.remove(&key);
        }
        self.nodes_touched();
    }

    fn edit_node(&mut self, name: &str, edit: impl FnOnce(&mut NodeSpec)) {
        let rv = self.next_rv();
        let Some(n) = self.nodes.get_mut(name) else { return };
        let spec = n.node.spec.get_or_insert_with(NodeSpec::default);
        edit(spec);
        if spec.taints.as_ref().is_some_and(Vec::is_empty) {
            spec.taints = None;
        }
        n.node.metadata.resource_version = Some(rv);
        self.nodes_touched();
    }

    // ---- faults ------------------------------------------------------------

    /// Schedules a fault `after_seconds` from now.
    pub fn schedule_fault(&mut self, after_seconds: i64, fault: Fault) {
        let at = self.now.saturating_add(after_seconds.max(0));
        self.push_timer(at, Wake::Fault(Box::new(fault)));
    }

    /// Schedules `count` random faults at times drawn from the seed within
    /// the next `window_seconds`. Every random fault heals itself (a node
    /// comes back, a cordon is lifted, a probe recovers) within 10 minutes.
    pub fn schedule_random_faults(&mut self, count: u32, window_seconds: i64) {
        let window = window_seconds.max(1);
        for _ in 0..count {
            let offset = i64::from(self.rng.next_u32()).rem_euclid(window);
            self.schedule_fault(offset, Fault::Random);
        }
    }

    /// Applies a fault now.
    pub fn inject(&mut self, fault: Fault) {
        self.stats.events = self.stats.events.saturating_add(1);
        if !matches!(
            fault,
            Fault::Random | Fault::NodeHealth { .. } | Fault::AddNode(_) | Fault::RemoveNode { .. }
        ) {
            self.log_line("fault".to_owned(), fault.to_string());
        }
        match fault {
            Fault::NodeHealth { node, health } => self.set_node_health(&node, health),
            Fault::AddNode(setup) => self.add_node(setup),
            Fault::RemoveNode { node } => self.remove_node(&node),
            Fault::Taint { node, mut taint } => {
                taint.time_added.get_or_insert(Time::from_unix(self.now));
                self.edit_node(&node, |s| s.taints.get_or_insert_with(Vec::new).push(taint));
            }
            Fault::Untaint { node, key } => {
                self.edit_node(&node, |s| {
                    if let Some(t) = s.taints.as_mut() {
                        t.retain(|t| t.key != key)
                    }
                });
            }
            Fault::Cordon { node, unschedulable } => {
                self.edit_node(&node, |s| s.unschedulable = if unschedulable { Some(true) } else { None });
            }
            Fault::DeletePod { namespace, name } => self.delete_pod(&namespace, &name, None),
            Fault::ProbeFails { namespace, name, probe, for_seconds } => {
                let until = for_seconds.map(|d| self.now.saturating_add(d));
                let key = (namespace, name);
                let slot = self.kubelets.index.get(&key).copied();
                if let Some(slot) = slot
                    && let Some(k) = self.kubelets.get_mut(&key)
                {
                    k.probe_faults.push((probe, until));
                    let serial = k.serial;
                    if let Some(until) = until {
                        self.push_timer(until, Wake::ProbeRecovers { slot, serial });
                    }
                }
            }
            Fault::Random => self.random_fault(),
        }
    }

    fn random_fault(&mut self) {
        let pick = self.rng.next_u32() % 5;
        let heal = 30i64.saturating_add(i64::from(self.rng.next_u32() % 570));
        let node = (!self.nodes.is_empty())
            .then(|| {
                let i = (self.rng.next_u32() as usize).checked_rem(self.nodes.len()).unwrap_or(0);
                self.nodes.keys().nth(i).cloned()
            })
            .flatten();
        let pod = {
            let running: Vec<&PodKey> = self.kubelets.iter().map(|(_, k)| &k.key).collect();
            (!running.is_empty())
                .then(|| {
                    let i = (self.rng.next_u32() as usize).checked_rem(running.len()).unwrap_or(0);
                    running.get(i).map(|k| (*k).clone())
                })
                .flatten()
        };
        match (pick, node, pod) {
            (0, Some(node), _) | (1, Some(node), _) => {
                let health = if pick == 0 { NodeHealth::NotReady } else { NodeHealth::Unreachable };
                self.inject(Fault::NodeHealth { node: node.clone(), health });
                self.schedule_fault(heal, Fault::NodeHealth { node, health: NodeHealth::Ready });
            }
            (2, Some(node), _) => {
                self.inject(Fault::Cordon { node: node.clone(), unschedulable: true });
                self.schedule_fault(heal, Fault::Cordon { node, unschedulable: false });
            }
            (3, _, Some((namespace, name))) => self.inject(Fault::DeletePod { namespace, name }),
            (_, _, Some((namespace, name))) => self.inject(Fault::ProbeFails {
                namespace,
                name,
                probe: ProbeKind::Readiness,
                for_seconds: Some(heal),
            }),
            _ => {}
        }
    }

    // ---- API: apply / delete ------------------------------------------------

    /// Creates or updates an object, as `kubectl apply` would: the manifest
    /// is recorded in the `kubectl.kubernetes.io/last-applied-configuration`
    /// annotation; a new object is defaulted, validated and stored; an
    /// object that exists is patched with what changed since its last
    /// applied manifest (fields the manifest never held, such as a pod's
    /// node or a Job's generated selector, stay; see the `apply` module),
    /// defaulted, and checked by update validation (immutable fields); the
    /// status is kept. Nodes are added with the default capacity.
    pub fn apply(&mut self, object: Object) -> Result<ObjectRef, SimError> {
        let mut object = object;
        if object.metadata().name().is_empty() && object.metadata().generate_name.is_none() {
            return Err(SimError::NoName(object.kind().to_owned()));
        }
        // kubectl writes its context's namespace into the manifest, then
        // records the manifest on the object (CreateApplyAnnotation).
        if !matches!(object, Object::Node(_)) && object.metadata().namespace.is_none() {
            object.metadata_mut().namespace = Some("default".to_owned());
        }
        let recorded = apply::annotation_for(&object.to_value());
        object.metadata_mut().set_annotation(apply::LAST_APPLIED, &recorded);
        if is_stored_kind(&object) {
            let ns = object.metadata().namespace.clone().unwrap_or_else(|| "default".to_owned());
            if let Some(live) = self.get(object.kind(), &ns, object.metadata().name()) {
                return self.apply_update(&live, &object);
            }
        }
        // The API server defaults, then validates.
        let unlabelled_job = is_unlabelled_job(&object);
        crate::defaults::apply_with_gates(&mut object, &self.config.gates);
        // Store.Create generates the name before the strategy validates, so
        // the generated name is what validation checks (a CronJob's
        // 52-character limit included).
        if is_stored_kind(&object) {
            let ns = object.metadata().namespace.clone().unwrap_or_else(|| "default".to_owned());
            self.generate_name(&mut object, &ns);
        }
        // A new Job: the registry gives it its UID before the create
        // strategy generates the selector from it (upstream:
        // Store.Create's FillObjectMetaSystemFields, then the Job
        // strategy's PrepareForCreate), and validation checks that selector.
        if matches!(object, Object::Job(_)) {
            let uid = self.uid();
            if let Object::Job(j) = &mut object {
                j.metadata.uid = Some(uid.clone());
                crate::defaults::generate_job_selector(j, &uid);
                if unlabelled_job {
                    labels_from_template(j);
                }
            }
        }
        validation::validate_with_gates(&object, &self.config.gates).map_err(|errors| SimError::Invalid {
            kind: object.kind().to_owned(),
            name: object.metadata().name().to_owned(),
            errors,
        })?;
        if let Object::Node(node) = object {
            let r = node.object_ref();
            self.insert_node(*node, DEFAULT_POD_CAPACITY);
            return Ok(r);
        }
        if !is_stored_kind(&object) {
            return Err(SimError::Unsupported(object.kind().to_owned()));
        }
        Ok(self.create(object, None))
    }

    /// [`Cluster::apply`] of an object that exists: patched with the
    /// manifest `applied` (which carries its new annotation), defaulted,
    /// validated as an update, stored.
    fn apply_update(&mut self, live: &Object, applied: &Object) -> Result<ObjectRef, SimError> {
        let kind = live.kind();
        let name = live.metadata().name().to_owned();
        // kubectl fails on a recorded manifest it cannot read.
        let last: Option<serde_json::Value> = match live.metadata().annotation(apply::LAST_APPLIED) {
            Some(text) => Some(serde_json::from_str(text).map_err(|error| SimError::Patch {
                kind: kind.to_owned(),
                name: name.clone(),
                message: format!("reading {}: {error}", apply::LAST_APPLIED),
            })?),
            None => None,
        };
        let patched = apply::three_way(kind, &live.to_value(), last.as_ref(), &applied.to_value());
        let mut merged = Object::from_value(patched).map_err(|error| SimError::Patch {
            kind: kind.to_owned(),
            name: name.clone(),
            message: error.to_string(),
        })?;
        crate::defaults::apply_with_gates(&mut merged, &self.config.gates);
        validation::validate_update_with_gates(live, &merged, &self.config.gates)
            .map_err(|errors| SimError::Invalid { kind: kind.to_owned(), name, errors })?;
        let r = merged.object_ref();
        self.update(merged, "applied".to_owned());
        Ok(r)
    }

    /// Deletes an object (pods gracefully; owners' dependents in the
    /// background).
    pub fn delete(&mut self, kind: &str, ns: &str, name: &str) -> Result<(), SimError> {
        // kubectl's default cascade.
        self.delete_with(kind, ns, name, DeleteOptions::propagation(PropagationPolicy::Background))
    }

    /// Deletes an object with these options, as `kubectl delete
    /// --grace-period` or an API client would: a pod's grace period comes
    /// from `options` when set (a negative one counts as 1 s), and a second
    /// delete of a terminating pod can only shorten it.
    pub fn delete_with(
        &mut self,
        kind: &str,
        ns: &str,
        name: &str,
        options: DeleteOptions,
    ) -> Result<(), SimError> {
        if kind == "Node" {
            if !self.nodes.contains_key(name) {
                return Err(SimError::NotFound(format!("Node {name}")));
            }
            self.remove_node(name);
            return Ok(());
        }
        if self.get(kind, ns, name).is_none() {
            return Err(SimError::NotFound(format!("{kind} {ns}/{name}")));
        }
        let target = ObjectRef {
            api_version: Cow::Borrowed(""),
            kind: Cow::Owned(kind.to_owned()),
            namespace: Some(ns.to_owned()),
            name: name.to_owned(),
            uid: None,
        };
        self.delete_ref(&target, options, "kubectl");
        Ok(())
    }

    // ---- running -------------------------------------------------------------

    /// When the next work is due, if any.
    pub fn next_instant(&self) -> Option<Time> {
        let soon = (!self.dirty.is_empty() || !self.pending.is_empty()).then(|| self.now.saturating_add(1));
        let timer = self.timers.next_at().map(|at| at.max(self.now.saturating_add(1)));
        let gc = self.podgc_active.then_some(self.podgc_next.max(self.now.saturating_add(1)));
        [soon, timer, gc].into_iter().flatten().min().map(Time::from_unix)
    }

    /// Advances to the next instant with work and processes it. Returns
    /// false when nothing is scheduled at all.
    pub fn step(&mut self) -> bool {
        match self.next_instant() {
            Some(t) => {
                self.process(t.unix());
                true
            }
            None => false,
        }
    }

    /// Runs every instant up to and including `until`, then sets the clock
    /// to `until`.
    pub fn run_until(&mut self, until: Time) {
        let until = until.unix();
        while let Some(t) = self.next_instant() {
            if t.unix() > until {
                break;
            }
            self.process(t.unix());
        }
        if until > self.now {
            self.now = until;
        }
    }

    /// Runs for `seconds` of virtual time.
    pub fn run_for(&mut self, seconds: i64) {
        let until = self.now.saturating_add(seconds.max(0));
        self.run_until(Time::from_unix(until));
    }

    fn process(&mut self, t: i64) {
        self.now = t;
        self.stats.instants = self.stats.instants.saturating_add(1);
        // 1-2: timers due now, in order.
        let mut kubelet_work: HashMap<usize, usize> = HashMap::new();
        let mut order: Vec<(usize, u64, Vec<kubelet::Event>)> = Vec::new();
        while let Some((at, wake)) = self.timers.pop_due(t) {
            match wake {
                Wake::Fault(f) => self.inject(*f),
                Wake::Controller(key) => {
                    self.dirty.insert(*key);
                }
                Wake::Kubelet { slot, serial } => {
                    let live = self.kubelets.slot(slot, serial).is_some_and(|k| k.next_wake == Some(at));
                    if live && !kubelet_work.contains_key(&slot) {
                        kubelet_work.insert(slot, order.len());
                        order.push((slot, serial, Vec::new()));
                    }
                }
                Wake::ProbeRecovers { slot, serial } => {
                    if let Some(k) = self.kubelets.slot_mut(slot, serial) {
                        k.probe_faults.retain(|(_, until)| until.is_none_or(|u| u > t));
                    }
                }
                Wake::Exit { slot, serial, container, attempt, code } => {
                    let Some(k) = self.kubelets.slot_mut(slot, serial) else { continue };
                    let Some(inst) =
                        k.instances.get_mut(&container).filter(|i| i.attempt == attempt && i.running)
                    else {
                        continue;
                    };
                    inst.running = false;
                    let ev = kubelet::Event::ContainerExited {
                        container,
                        exit_code: code,
                        reason: None,
                        message: None,
                    };
                    let idx = *kubelet_work.entry(slot).or_insert_with(|| {
                        order.push((slot, serial, Vec::new()));
                        order.len().saturating_sub(1)
                    });
                    if let Some((_, _, events)) = order.get_mut(idx) {
                        events.push(ev);
                    }
                }
            }
        }
        for (slot, serial, events) in order {
            self.drive_slot(slot, serial, events);
        }
        // 3: scheduler.
        self.schedule_pending();
        // 4: controllers.
        if self.podgc_active && self.podgc_next <= t {
            self.dirty.insert(CtrlKey { kind: CtrlKind::PodGc, ns: String::new(), name: String::new() });
        }
        let due = std::mem::take(&mut self.dirty);
        for key in due {
            let actions = self.reconcile(&key);
            self.stats.reconciles = self.stats.reconciles.saturating_add(1);
            for action in actions {
                self.execute(&key, action);
            }
        }
    }

    // ---- scheduler -------------------------------------------------------------

    fn schedule_pending(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.refresh_node_cache();
        let pending = std::mem::take(&mut self.pending);
        for key in pending {
            self.schedule_one(key);
        }
    }

    fn schedule_one(&mut self, key: PodKey) {
        let Some(pod) = self.namespaces.get(&key.0).and_then(|n| n.pods.get(&key.1)) else { return };
        if pod.metadata.is_terminating()
            || pod.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_some()
            || is_scheduling_gated(pod)
        {
            return;
        }
        self.stats.events = self.stats.events.saturating_add(1);
        let gates = &self.config.gates;
        let filter = scheduling::PodFilter::new(pod);
        let feasible = |n: &SimNode| n.pods < n.capacity && filter.fits(&n.node, gates).is_fit();
        let chosen: Option<String>;
        // upstream: the NodeAffinity PreFilter narrows the nodes to the ones
        // every required term names (a daemon pod's one node).
        if let Some(names) = scheduling::pinned_node_names(pod) {
            let mut best: Option<(u32, &str)> = None;
            for name in names {
                if let Some(n) = self.nodes.get(name).filter(|n| feasible(n))
                    && best.is_none_or(|(p, _)| n.pods < p)
                {
                    best = Some((n.pods, name));
                }
            }
            chosen = best.map(|(_, n)| n.to_owned());
        } else {
            // upstream: numFeasibleNodesToFind (percentageOfNodesToScore).
            let total = self.node_names.len();
            let want = if total < 100 {
                total
            } else {
                let pct = 50usize.saturating_sub(total / 125).max(5);
                (total.saturating_mul(pct) / 100).max(100)
            };
            let mut best: Option<(u32, &String)> = None;
            let mut found = 0usize;
            // The nodes in name order, starting at the cursor and wrapping
            // around: two range walks rather than a lookup per node.
            let start = self.sched_cursor.checked_rem(total).and_then(|i| self.node_names.get(i));
            let (from, before) = match start {
                Some(s) => (
                    self.nodes.range::<str, _>((Bound::Included(s.as_str()), Bound::Unbounded)),
                    self.nodes.range::<str, _>((Bound::Unbounded, Bound::Excluded(s.as_str()))),
                ),
                None => (
                    self.nodes.range::<str, _>((Bound::Unbounded, Bound::Unbounded)),
                    self.nodes.range::<str, _>((Bound::Unbounded, Bound::Excluded(""))),
                ),
            };
            for (name, n) in from.chain(before) {
                if !feasible(n) {
                    continue;
                }
                found = found.saturating_add(1);
                if best.is_none_or(|(p, _)| n.pods < p) {
                    best = Some((n.pods, name));
                }
                if found >= want {
                    break;
                }
            }
            chosen = best.map(|(_, n)| n.clone());
            if total > 0 {
                self.sched_cursor = self.sched_cursor.saturating_add(1).checked_rem(total).unwrap_or(0);
            }
        }
        match chosen {
            Some(node) => self.bind(&key, &node),
            None => {
                let message = self.unschedulable_message(pod);
                self.mark_unschedulable(&key, message);
            }
        }
    }

    /// The scheduler's `0/N nodes are available: ...` message, with the pod
    /// count capacity as `Too many pods`, and what the PostFilter plugins
    /// add (upstream: FitError.Error with the PostFilter message of
    /// DynamicResources and DefaultPreemption).
    fn unschedulable_message(&self, pod: &Pod) -> String {
        let mut summary = scheduling::FitSummary::default();
        let pinned = scheduling::pinned_node_names(pod);
        // Nodes where only the pod count stands in the way: the one filter
        // failure here that preemption could resolve.
        let mut full: Vec<&str> = Vec::new();
        // Terms that each pin nodes by name but share none: the NodeAffinity
        // PreFilter rejects the pod before any node is looked at, and the
        // message carries its reason instead of the per-node counts.
        // Then PostFilter's first plugin, DynamicResources, finds no state
        // of its own (its PreFilter never ran) and ends PostFilter with
        // that error: "not found", and no preemption.
        if pinned.as_ref().is_some_and(|p| p.is_empty()) && !self.nodes.is_empty() {
            return format!(
                "0/{} nodes are available: pod affinity terms conflict. not found",
                self.nodes.len()
            );
        }
        for (name, n) in &self.nodes {
            // upstream: nodes the PreFilter left out (SetAbsentNodesStatus).
            if pinned.as_ref().is_some_and(|p| !p.contains(name.as_str())) {
                summary.add_unfit("node(s) didn't satisfy plugin(s) [NodeAffinity]");
                continue;
            }
            let fit = scheduling::fits(pod, &n.node, &self.config.gates);
            if fit.is_fit() && n.pods >= n.capacity {
                summary.add_unfit("Too many pods");
                full.push(name);
            } else {
                summary.add(&fit);
            }
        }
        let mut message = summary.to_string();
        // PostFilter: DynamicResources (on by default since 1.34) rejects a
        // pod without resource claims first, then DefaultPreemption; their
        // reasons are joined (RunPostFilterPlugins). Only when preemption
        // would succeed is nothing added.
        if !self.nodes.is_empty()
            && let Some(preemption) = self.preemption_message(pod, &full)
        {
            message.push_str(" no new claims to deallocate, preemption: ");
            message.push_str(&preemption);
        }
        message
    }

    /// What DefaultPreemption's PostFilter says of an unschedulable pod, or
    /// `None` when it would preempt (upstream then nominates a node and
    /// its message adds nothing; the simulator does not preempt, see the
    /// module docs). `full` are the nodes only the pod count rejected;
    /// every other node is one preemption cannot help.
    fn preemption_message(&self, pod: &Pod, full: &[&str]) -> Option<String> {
        // upstream: PodEligibleToPreemptOthers.
        let never = pod.spec.as_ref().and_then(|s| s.preemption_policy.as_ref()).map(|p| p.as_str());
        if never == Some("Never") {
            return Some("not eligible due to preemptionPolicy=Never.".to_owned());
        }
        let priority = pod_priority(pod);
        // A lower-priority pod on a full node is a victim: removing it frees
        // the slot the pod needs (SelectVictimsOnNode, pod count only).
        // One pass over the pods, only when some pod could rank below this
        // one; finished pods hold no slot (the scheduler's informer skips
        // them) and are no victims.
        if !full.is_empty() && priority > self.min_pod_priority {
            let has_victim = self.namespaces.values().flat_map(|n| n.pods.items()).any(|p| {
                p.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|node| full.contains(&node))
                    && !p.metadata.is_terminating()
                    && !phase_of(p).is_terminal()
                    && pod_priority(p) < priority
            });
            if has_victim {
                return None;
            }
        }
        let mut summary = scheduling::FitSummary::default();
        for _ in 0..self.nodes.len().saturating_sub(full.len()) {
            summary.add_unfit("Preemption is not helpful for scheduling");
        }
        for _ in full {
            summary.add_unfit("No preemption victims found for incoming pod");
        }
        Some(summary.to_string())
    }

    fn mark_unschedulable(&mut self, key: &PodKey, message: String) {
        let now = self.now();
        let rv = self.next_rv();
        let Some(pod) = self.namespaces.get_mut(&key.0).and_then(|n| n.pods.get_mut(&key.1)) else { return };
        let status = pod.status.get_or_insert_with(PodStatus::default);
        status.phase.get_or_insert(PodPhase::Pending);
        let conds = status.conditions.get_or_insert_with(Vec::new);
        let new = condition("PodScheduled", ConditionStatus::False, now, "Unschedulable", &message);
        if update_pod_condition(conds, new) {
            pod.metadata.resource_version = Some(rv);
            self.log_line(format!("Pod {}/{}", key.0, key.1), format!("unschedulable: {message}"));
        }
        self.unschedulable.insert(key.clone());
    }

    fn bind(&mut self, key: &PodKey, node: &str) {
        let now = self.now();
        let rv = self.next_rv();
        let Some(pod) = self.namespaces.get_mut(&key.0).and_then(|n| n.pods.get_mut(&key.1)) else { return };
        if let Some(spec) = pod.spec.as_mut() {
            spec.node_name = Some(node.to_owned());
        }
        pod.metadata.resource_version = Some(rv);
        // upstream: the binding subresource (setPodNodeAndMetadata) sets
        // PodScheduled=True through UpdatePodCondition.
        let conds = pod.status.get_or_insert_with(PodStatus::default).conditions.get_or_insert_with(Vec::new);
        let scheduled = Condition {
            type_: "PodScheduled".to_owned(),
            status: ConditionStatus::True,
            last_transition_time: Some(now),
            ..Condition::default()
        };
        update_pod_condition(conds, scheduled);
        let pod = pod.clone();
        self.log_line(format!("Pod {}/{}", key.0, key.1), format!("scheduled to {node}"));
        self.start_kubelet(key, &pod, node, now);
    }

    fn start_kubelet(&mut self, key: &PodKey, pod: &Pod, node: &str, now: Time) {
        let Some(n) = self.nodes.get_mut(node) else { return };
        n.pods = n.pods.saturating_add(1);
        let (script, errors) = Script::parse(pod.metadata.annotation(SCRIPT_ANNOTATION).unwrap_or(""));
        for e in errors {
            self.log_line(format!("Pod {}/{}", key.0, key.1), e.to_string());
        }
        let pl = PodLifecycle::new(pod, now, self.config.kubelet.clone());
        self.kubelets.insert(Kubelet {
            key: key.clone(),
            serial: 0,
            pl,
            node: node.to_owned(),
            script,
            init: pod
                .spec
                .as_ref()
                .map(|s| {
                    s.init_containers().iter().filter(|c| !c.is_sidecar()).map(|c| c.name.clone()).collect()
                })
                .unwrap_or_default(),
            instances: Instances::default(),
            probe_faults: Vec::new(),
            next_wake: None,
            deferred: Vec::new(),
            counted: true,
            frozen: self.nodes.get(node).is_some_and(|n| n.health == NodeHealth::Unreachable),
            noisy: true,
            steady: false,
        });
        self.drive(key, Vec::new());
    }

    // ---- kubelet executor ----------------------------------------------------

    /// Feeds `events` to the pod's lifecycle at `now`, runs its timeouts,
    /// executes its commands, and writes its status back.
    fn drive(&mut self, key: &PodKey, events: Vec<kubelet::Event>) {
        let Some(slot) = self.kubelets.index.get(key).copied() else { return };
        let Some(serial) = self.kubelets.get(key).map(|k| k.serial) else { return };
        self.drive_slot(slot, serial, events);
    }

    /// [`Self::drive`] for the kubelet in `slot`.
    fn drive_slot(&mut self, slot: usize, serial: u64, events: Vec<kubelet::Event>) {
        let now = self.now;
        let t = Time::from_unix(now);
        let Some(k) = self.kubelets.slot_mut(slot, serial) else { return };
        if k.frozen {
            k.deferred.extend(events);
            k.next_wake = None;
            return;
        }
        let mut lines: Vec<String> = Vec::new();
        let mut exits: Vec<(i64, Arc<str>, u32, i32)> = Vec::new();
        let mut counted_events = 0u64;
        {
            let log_all = self.config.log_every_probe_failure;
            let rng = &mut self.rng;
            let ip_counter = &mut self.ip_counter;
            let Some(k) = self.kubelets.slot_mut(slot, serial) else { return };
            let mut queue: Vec<kubelet::Event> = std::mem::take(&mut k.deferred);
            queue.extend(events);
            k.noisy = !queue.is_empty();
            for e in queue {
                if let kubelet::Event::ContainerExited { container, exit_code, .. } = &e {
                    lines.push(format!("{container} exited with code {exit_code}"));
                }
                counted_events = counted_events.saturating_add(1);
                k.pl.handle(e, t);
            }
            k.pl.handle_timeout(t);
            counted_events = counted_events.saturating_add(1);
            let mut rounds = 0u32;
            loop {
                let mut answers: Vec<kubelet::Event> = Vec::new();
                while let Some(cmd) = k.pl.poll_command() {
                    execute_command(
                        k,
                        cmd,
                        now,
                        rng,
                        ip_counter,
                        &mut answers,
                        &mut exits,
                        &mut lines,
                        log_all,
                    );
                }
                if answers.is_empty() || rounds > 64 {
                    break;
                }
                rounds = rounds.saturating_add(1);
                for e in answers {
                    counted_events = counted_events.saturating_add(1);
                    k.pl.handle(e, t);
                }
            }
        }
        self.stats.events = self.stats.events.saturating_add(counted_events);
        let Some(quiet) = self.kubelets.slot(slot, serial).map(|k| k.steady && !k.noisy) else { return };
        if !lines.is_empty() {
            let key = self.kubelets.slot(slot, serial).map(|k| k.key.clone()).unwrap_or_default();
            let pod_name = format!("Pod {}/{}", key.0, key.1);
            for line in lines {
                self.log_line(pod_name.clone(), line);
            }
        }
        for (at, container, attempt, code) in exits {
            self.push_timer(at, Wake::Exit { slot, serial, container, attempt, code });
        }
        if !quiet {
            let key = self.kubelets.slot(slot, serial).map(|k| k.key.clone()).unwrap_or_default();
            self.sync_status(&key);
        }
        // Next wake.
        let next = self
            .kubelets
            .slot(slot, serial)
            .and_then(|k| k.pl.poll_timeout())
            .map(|t| t.unix().max(now.saturating_add(1)));
        let mut push = None;
        if let Some(k) = self.kubelets.slot_mut(slot, serial)
            && k.next_wake != next
        {
            k.next_wake = next;
            push = next;
        }
        if let Some(at) = push {
            self.push_timer(at, Wake::Kubelet { slot, serial });
        }
    }

    /// Writes the lifecycle's status to the stored pod when it changed, and
    /// completes a graceful deletion once the kubelet has finished.
    fn sync_status(&mut self, key: &PodKey) {
        let Some(k) = self.kubelets.get(key) else { return };
        let finished = k.pl.is_finished();
        let status = k.pl.status();
        let Some(pod) = self.namespaces.get_mut(&key.0).and_then(|n| n.pods.get_mut(&key.1)) else { return };
        let mut notes = Vec::new();
        let mut changed = false;
        if pod.status.as_ref() != Some(&status) {
            self.resource_version = self.resource_version.saturating_add(1);
            let rv = self.resource_version.to_string();
            let old_phase = phase_of(pod);
            let old_ready = pod_ready(pod);
            pod.status = Some(status);
            pod.metadata.resource_version = Some(rv);
            let new_phase = phase_of(pod);
            let new_ready = pod_ready(pod);
            if old_phase != new_phase {
                notes.push(format!("phase {} -> {}", old_phase.as_str(), new_phase.as_str()));
            }
            if old_ready != new_ready {
                notes.push(if new_ready { "ready".to_owned() } else { "not ready".to_owned() });
            }
            changed = true;
        }
        let terminal = phase_of(pod).is_terminal();
        let terminating = pod.metadata.is_terminating();
        let steady = !terminating && phase_of(pod) == PodPhase::Running && pod_ready(pod);
        if let Some(k) = self.kubelets.get_mut(key) {
            k.steady = steady;
            k.noisy = false;
        }
        let owner = pod.metadata.controller_ref().map(|r| (r.kind.clone(), r.name.clone()));
        for note in notes {
            self.log_line(format!("Pod {}/{}", key.0, key.1), note);
        }
        if (terminal || finished)
            && let Some(k) = self.kubelets.get_mut(key)
            && k.counted
        {
            k.counted = false;
            let node = k.node.clone();
            if let Some(n) = self.nodes.get_mut(&node) {
                n.pods = n.pods.saturating_sub(1);
                self.unschedulable_retry();
            }
        }
        if changed {
            self.touch_owner(&key.0, owner);
            if terminal {
                self.podgc_active = true;
            }
        }
        if finished && terminating {
            self.remove_pod_now(&key.0, &key.1);
        }
    }

    fn unschedulable_retry(&mut self) {
        if !self.unschedulable.is_empty() {
            let retry = std::mem::take(&mut self.unschedulable);
            self.pending.extend(retry);
        }
    }

    // ---- object store ----------------------------------------------------------

    fn ns_mut(&mut self, ns: &str) -> &mut Namespace {
        self.namespaces.entry(ns.to_owned()).or_default()
    }

    fn touch_owner(&mut self, ns: &str, owner: Option<(String, String)>) {
        match owner {
            Some((kind, name)) => {
                if let Some(kind) = CtrlKind::of_owner_kind(&kind) {
                    self.dirty.insert(CtrlKey { kind, ns: ns.to_owned(), name });
                }
            }
            None => self.touch_namespace_pod_controllers(ns),
        }
    }

    /// An orphan pod changed: every pod controller of the namespace may
    /// want to adopt it.
    fn touch_namespace_pod_controllers(&mut self, ns: &str) {
        let Some(n) = self.namespaces.get(ns) else { return };
        fn names<T: Resource>(kind: CtrlKind, ns: &str, store: &Store<T>, out: &mut Vec<CtrlKey>) {
            for o in store.items() {
                out.push(CtrlKey { kind, ns: ns.to_owned(), name: o.metadata().name().to_owned() });
            }
        }
        let mut keys = Vec::new();
        names(CtrlKind::ReplicaSet, ns, &n.replica_sets, &mut keys);
        names(CtrlKind::ReplicationController, ns, &n.replication_controllers, &mut keys);
        names(CtrlKind::StatefulSet, ns, &n.stateful_sets, &mut keys);
        names(CtrlKind::DaemonSet, ns, &n.daemon_sets, &mut keys);
        names(CtrlKind::Job, ns, &n.jobs, &mut keys);
        self.dirty.extend(keys);
    }

    /// Marks the controllers watching an object of this kind dirty.
    fn touched(&mut self, kind: &str, ns: &str, meta: &ObjectMeta) {
        let name = meta.name().to_owned();
        let owner = meta.controller_ref().map(|r| (r.kind.clone(), r.name.clone()));
        match kind {
            "Pod" => self.touch_owner(ns, owner),
            "Job" => {
                self.dirty.insert(CtrlKey { kind: CtrlKind::Job, ns: ns.to_owned(), name: name.clone() });
                self.dirty.insert(CtrlKey { kind: CtrlKind::Ttl, ns: ns.to_owned(), name });
                if owner.is_some() {
                    self.touch_owner(ns, owner);
                }
            }
            _ => {
                if let Some(k) = CtrlKind::of_owner_kind(kind) {
                    self.dirty.insert(CtrlKey { kind: k, ns: ns.to_owned(), name });
                }
                if owner.is_some() {
                    self.touch_owner(ns, owner);
                }
            }
        }
    }

    /// Gives an object with only a `generateName` its name. A generated
    /// name that collides is drawn again (the API server would answer
    /// AlreadyExists and the controller retry later). The API server cuts
    /// the base before its five random characters
    /// (names.SimpleNameGenerator).
    fn generate_name(&mut self, object: &mut Object, ns: &str) {
        if !object.metadata().name().is_empty() {
            return;
        }
        let base = object.metadata().generate_name.as_deref().unwrap_or_default();
        let prefix = cut_to(base, MAX_GENERATED_NAME_LENGTH).to_owned();
        for _ in 0..16 {
            let suffix = self.name_suffix();
            let name = format!("{prefix}{suffix}");
            let taken = self.get(object.kind(), ns, &name).is_some();
            object.metadata_mut().name = Some(name);
            if !taken {
                break;
            }
        }
    }

    fn create(&mut self, mut object: Object, by: Option<&CtrlKey>) -> ObjectRef {
        let now = self.now();
        let ns = object
            .metadata()
            .namespace
            .clone()
            .or_else(|| by.map(|k| k.ns.clone()))
            .unwrap_or_else(|| "default".to_owned());
        self.generate_name(&mut object, &ns);
        // A Job applied by a user got its UID before validation (see apply).
        let uid = match (&object, by) {
            (Object::Job(j), None) => j.metadata.uid.clone().unwrap_or_else(|| self.uid()),
            _ => self.uid(),
        };
        let rv = self.next_rv();
        {
            let meta = object.metadata_mut();
            meta.namespace = Some(ns.clone());
            meta.uid = Some(uid);
            meta.resource_version = Some(rv);
            meta.creation_timestamp = Some(now);
            // rest.BeforeCreate clears both deletion fields.
            meta.deletion_timestamp = None;
            meta.deletion_grace_period_seconds = None;
        }
        // The kinds whose create strategy starts the generation (the pod
        // strategy's since 1.33, for PodObservedGenerationTracking).
        if !matches!(object, Object::PersistentVolumeClaim(_) | Object::ControllerRevision(_)) {
            object.metadata_mut().generation = Some(1);
        }
        let unlabelled_job = by.is_some() && is_unlabelled_job(&object);
        if by.is_some() {
            crate::defaults::apply_with_gates(&mut object, &self.config.gates);
        }
        // upstream: every create strategy's PrepareForCreate starts the
        // status afresh: a pod's Pending, with the QoS class of the spec and,
        // while scheduling gates remain, PodScheduled=False SchedulingGated
        // (applySchedulingGatedCondition); a DaemonSet's template generation
        // at least 1.
        match &mut object {
            Object::Pod(p) => {
                let qos = p
                    .spec
                    .as_ref()
                    .map_or(crate::api::PodQosClass::BestEffort, crate::pod::qos::compute_pod_qos);
                let gated = is_scheduling_gated(p);
                p.status = Some(PodStatus {
                    phase: Some(PodPhase::Pending),
                    qos_class: Some(qos),
                    // applySchedulingGatedCondition sets no transition time.
                    conditions: gated.then(|| {
                        vec![Condition {
                            last_transition_time: None,
                            ..condition(
                                "PodScheduled",
                                ConditionStatus::False,
                                now,
                                "SchedulingGated",
                                "Scheduling is blocked due to non-empty scheduling gates",
                            )
                        }]
                    }),
                    ..PodStatus::default()
                });
            }
            Object::ReplicaSet(o) => o.status = None,
            Object::ReplicationController(o) => o.status = None,
            Object::Deployment(o) => o.status = None,
            Object::StatefulSet(o) => o.status = None,
            Object::DaemonSet(o) => {
                o.status = None;
                // The v1 conversion reads the annotation into the template
                // generation, which PrepareForCreate raises to at least 1.
                let key = controller::daemonset::TEMPLATE_GENERATION_ANNOTATION;
                let given =
                    o.metadata.annotation(key).and_then(|v| v.parse::<i64>().ok()).filter(|g| *g >= 1);
                o.metadata.set_annotation(key, given.unwrap_or(1).to_string());
            }
            Object::Job(o) => o.status = None,
            Object::CronJob(o) => o.status = None,
            // Cleared, then defaulted again whenever it is read back
            // (SetDefaults_PersistentVolumeClaim): Pending.
            Object::PersistentVolumeClaim(o) => {
                o.status = None;
                crate::defaults::persistent_volume_claim(o);
            }
            _ => {}
        }
        if let Object::Job(j) = &mut object {
            // upstream: the Job strategy's create hook.
            let uid = j.metadata.uid().to_owned();
            crate::defaults::generate_job_selector(j, &uid);
            if unlabelled_job {
                labels_from_template(j);
            }
        }
        let r = object.object_ref();
        let name = object.metadata().name().to_owned();
        if self.get(object.kind(), &ns, &name).is_some() {
            self.log_line(
                format!("{} {ns}/{name}", object.kind()),
                "create failed: already exists".to_owned(),
            );
            // The controller's expectations for this create expire after
            // five minutes; wake it then.
            if let Some(by) = by {
                let at = self.now.saturating_add(controller::EXPECTATIONS_TIMEOUT_SECONDS.saturating_add(1));
                self.push_timer(at, Wake::Controller(Box::new(by.clone())));
            }
            return r;
        }
        self.stats.events = self.stats.events.saturating_add(1);
        let meta = object.metadata().clone();
        let kind = object.kind();
        self.log_line(format!("{kind} {ns}/{name}"), "created".to_owned());
        if let Object::Pod(p) = &object {
            self.min_pod_priority = self.min_pod_priority.min(pod_priority(p));
        }
        let n = self.ns_mut(&ns);
        match object {
            Object::Pod(mut p) => {
                p.fill_type_meta();
                let bound = p.spec.as_ref().and_then(|s| s.node_name.clone());
                n.pods.put(*p);
                let key = (ns.clone(), name.clone());
                match bound {
                    Some(node) => {
                        if let Some(pod) = self.pod(&ns, &name).cloned() {
                            self.log_line(
                                format!("Pod {ns}/{name}"),
                                format!("bound to {node} by spec.nodeName"),
                            );
                            self.start_kubelet(&key, &pod, &node, now);
                        }
                    }
                    None => {
                        self.pending.insert(key);
                    }
                }
            }
            Object::ReplicaSet(o) => n.replica_sets.put(*o),
            Object::ReplicationController(o) => n.replication_controllers.put(*o),
            Object::Deployment(o) => n.deployments.put(*o),
            Object::StatefulSet(o) => n.stateful_sets.put(*o),
            Object::DaemonSet(o) => n.daemon_sets.put(*o),
            Object::Job(o) => n.jobs.put(*o),
            Object::CronJob(o) => n.cron_jobs.put(*o),
            Object::PersistentVolumeClaim(o) => n.claims.put(*o),
            Object::ControllerRevision(o) => n.revisions.put(*o),
            _ => {}
        }
        self.touched(kind, &ns, &meta);
        r
    }

    fn update(&mut self, object: Object, change: String) {
        let ns = object.metadata().namespace.clone().unwrap_or_else(|| "default".to_owned());
        let name = object.metadata().name().to_owned();
        let kind = object.kind();
        let old_pod_generation =
            self.pod(&ns, &name).and_then(|p| p.metadata.generation).filter(|_| kind == "Pod");
        let rv = self.next_rv();
        let Some(n) = self.namespaces.get_mut(&ns) else { return };
        let mut old_owner = None;
        let mut changed = true;
        // `$spec_tracked`: a spec change raises the generation (every
        // workload kind's strategy); `$annotations_tracked`: so does an
        // annotation change (the Deployment strategy only: upstream's
        // deploymentStrategy.PrepareForUpdate, as its annotations are copied
        // to the ReplicaSets).
        macro_rules! replace {
            ($store:expr, $new:expr, $spec_tracked:expr) => {
                replace!($store, $new, $spec_tracked, false)
            };
            ($store:expr, $new:expr, $spec_tracked:expr, $annotations_tracked:expr) => {{
                let mut new = *$new;
                let Some(old) = $store.get(&name) else {
                    return;
                };
                old_owner = old.metadata.controller_ref().map(|r| (r.kind.clone(), r.name.clone()));
                new.status = old.status.clone();
                new.metadata.uid = old.metadata.uid.clone();
                new.metadata.creation_timestamp = old.metadata.creation_timestamp;
                new.metadata.deletion_timestamp = old.metadata.deletion_timestamp;
                new.metadata.deletion_grace_period_seconds = old.metadata.deletion_grace_period_seconds;
                new.metadata.namespace = Some(ns.clone());
                new.metadata.resource_version = old.metadata.resource_version.clone();
                new.metadata.generation = old.metadata.generation;
                if ($spec_tracked && !semantically_same("spec", &new.spec, &old.spec))
                    || ($annotations_tracked
                        && !semantically_same(
                            "annotations",
                            &new.metadata.annotations,
                            &old.metadata.annotations,
                        ))
                {
                    new.metadata.generation = Some(old.metadata.generation.unwrap_or(0).saturating_add(1));
                }
                changed = new != *old;
                new.metadata.resource_version = Some(rv);
                if changed {
                    $store.put(new);
                }
            }};
        }
        match object {
            // upstream: the pod strategy's updatePodGeneration.
            Object::Pod(o) => replace!(n.pods, o, true),
            Object::ReplicaSet(o) => replace!(n.replica_sets, o, true),
            Object::ReplicationController(o) => replace!(n.replication_controllers, o, true),
            Object::Deployment(o) => replace!(n.deployments, o, true, true),
            Object::StatefulSet(o) => replace!(n.stateful_sets, o, true),
            Object::DaemonSet(mut o) => {
                // upstream: daemonSetStrategy.PrepareForUpdate keeps the
                // stored template generation, raised when the template
                // changes (written out as the deprecated annotation, none
                // for 0).
                if let Some(old) = n.daemon_sets.get(&name) {
                    let key = controller::daemonset::TEMPLATE_GENERATION_ANNOTATION;
                    let stored: i64 = old.metadata.annotation(key).and_then(|v| v.parse().ok()).unwrap_or(0);
                    let template = |d: &crate::api::DaemonSet| d.spec.as_ref().map(|s| s.template.clone());
                    let changed = !controller::semantic::typed_equal(&template(old), &template(&o));
                    let generation = if changed { stored.saturating_add(1) } else { stored };
                    match generation {
                        0 => drop(o.metadata.annotations.as_mut().and_then(|a| a.shift_remove(key))),
                        g => o.metadata.set_annotation(key, g.to_string()),
                    }
                }
                replace!(n.daemon_sets, o, true)
            }
            Object::Job(o) => replace!(n.jobs, o, true),
            Object::CronJob(o) => replace!(n.cron_jobs, o, true),
            Object::PersistentVolumeClaim(o) => replace!(n.claims, o, false),
            Object::ControllerRevision(o) => {
                let Some(old) = n.revisions.get(&name) else { return };
                let mut new = *o;
                new.metadata.uid = old.metadata.uid.clone();
                new.metadata.creation_timestamp = old.metadata.creation_timestamp;
                new.metadata.resource_version = Some(rv);
                n.revisions.put(new);
            }
            _ => return,
        }
        if !changed {
            return;
        }
        self.stats.events = self.stats.events.saturating_add(1);
        self.log_line(format!("{kind} {ns}/{name}"), format!("updated: {change}"));
        let Some(meta) = self.get(kind, &ns, &name).map(|o| o.metadata().clone()) else { return };
        if old_owner.is_some() && old_owner != meta.controller_ref().map(|r| (r.kind.clone(), r.name.clone()))
        {
            self.touch_owner(&ns, old_owner);
        }
        self.touched(kind, &ns, &meta);
        if kind == "Pod" {
            if let Some(generation) = meta.generation.filter(|g| Some(*g) != old_pod_generation) {
                let key = (ns.clone(), name.clone());
                self.drive(&key, vec![kubelet::Event::GenerationChanged { generation }]);
            }
            // A pod whose last scheduling gate went is the scheduler's now.
            if self.pod(&ns, &name).is_some_and(|p| {
                !is_scheduling_gated(p)
                    && p.spec.as_ref().and_then(|s| s.node_name.as_ref()).is_none()
                    && !p.metadata.is_terminating()
            }) {
                self.pending.insert((ns.clone(), name.clone()));
            }
            self.maybe_finish_pod_deletion(&ns, &name);
        }
    }

    fn update_status(&mut self, object: Object) {
        let ns = object.metadata().namespace.clone().unwrap_or_else(|| "default".to_owned());
        let name = object.metadata().name().to_owned();
        let kind = object.kind();
        let rv = self.next_rv();
        let Some(n) = self.namespaces.get_mut(&ns) else { return };
        let mut changed = false;
        let mut meta = None;
        // `$annotations_kept`: the kind's status strategy keeps the
        // annotations the write carries (the Deployment's, which resets only
        // the spec and labels: upstream's deploymentStatusStrategy; its
        // controller writes the revision annotation so). A status write
        // never raises the generation.
        macro_rules! status {
            ($store:expr, $new:expr) => {
                status!($store, $new, false)
            };
            ($store:expr, $new:expr, $annotations_kept:expr) => {{
                if let Some(old) = $store.get_mut(&name) {
                    if old.status != $new.status {
                        old.status = $new.status;
                        changed = true;
                    }
                    if $annotations_kept && old.metadata.annotations != $new.metadata.annotations {
                        old.metadata.annotations = $new.metadata.annotations;
                        changed = true;
                    }
                    if changed {
                        old.metadata.resource_version = Some(rv);
                    }
                    meta = Some(old.metadata.clone());
                }
            }};
        }
        let mut pod_conditions = Vec::new();
        match object {
            Object::Pod(o) => {
                // Only the conditions another actor owns reach the kubelet.
                pod_conditions = o
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.clone())
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|c| {
                        !crate::pod::conditions::is_kubelet_condition_gated(
                            &c.type_,
                            self.config.gates.pod_ready_to_start_containers_condition,
                        )
                    })
                    .collect();
                status!(n.pods, o)
            }
            Object::ReplicaSet(o) => status!(n.replica_sets, o),
            Object::ReplicationController(o) => status!(n.replication_controllers, o),
            Object::Deployment(o) => status!(n.deployments, o, true),
            Object::StatefulSet(o) => status!(n.stateful_sets, o),
            Object::DaemonSet(o) => status!(n.daemon_sets, o),
            Object::Job(o) => status!(n.jobs, o),
            Object::CronJob(o) => status!(n.cron_jobs, o),
            Object::PersistentVolumeClaim(o) => status!(n.claims, o),
            _ => {}
        }
        if !changed {
            return;
        }
        self.stats.events = self.stats.events.saturating_add(1);
        let key = (ns.clone(), name.clone());
        if let Some(k) = self.kubelets.get_mut(&key) {
            // Another writer changed the status: the kubelet's next sync
            // writes its own view back.
            k.steady = false;
        }
        if !pod_conditions.is_empty() && self.kubelets.contains_key(&key) {
            let events = pod_conditions
                .into_iter()
                .map(|condition| kubelet::Event::ConditionChanged { condition })
                .collect();
            self.drive(&key, events);
        }
        if let Some(meta) = meta {
            // As upstream's informers: a status change wakes the object's
            // own controller and its owner's.
            self.touched(kind, &ns, &meta);
        }
    }

    /// Deletes `target` as the API server would with `options`: a pod with
    /// their grace period; anything else at once, its dependents collected
    /// unless the propagation is `Orphan` (the `batch/v1` Job and
    /// ReplicationController default, when none is given). An orphaned
    /// dependent keeps its owner reference here, where upstream's orphan
    /// finalizer removes it; no controller of the crate deletes with
    /// `Orphan` or deletes a Job or ReplicationController without a policy.
    fn delete_ref(&mut self, target: &ObjectRef, options: DeleteOptions, by: &str) {
        let ns = target.namespace.clone().unwrap_or_else(|| "default".to_owned());
        let name = target.name.clone();
        if let Some(uid) = target.uid.as_deref()
            && self.get(&target.kind, &ns, &name).is_some_and(|o| o.metadata().uid() != uid)
        {
            return;
        }
        if target.kind == "Pod" {
            self.delete_pod(&ns, &name, options.grace_period_seconds);
            return;
        }
        let Some(obj) = self.get(&target.kind, &ns, &name) else { return };
        let uid = obj.metadata().uid().to_owned();
        let Some(n) = self.namespaces.get_mut(&ns) else { return };
        match target.kind.as_ref() {
            "ReplicaSet" => drop(n.replica_sets.remove(&name)),
            "ReplicationController" => drop(n.replication_controllers.remove(&name)),
            "Deployment" => drop(n.deployments.remove(&name)),
            "StatefulSet" => drop(n.stateful_sets.remove(&name)),
            "DaemonSet" => drop(n.daemon_sets.remove(&name)),
            "Job" => drop(n.jobs.remove(&name)),
            "CronJob" => drop(n.cron_jobs.remove(&name)),
            "PersistentVolumeClaim" => drop(n.claims.remove(&name)),
            "ControllerRevision" => drop(n.revisions.remove(&name)),
            _ => return,
        }
        self.stats.events = self.stats.events.saturating_add(1);
        self.log_line(format!("{} {ns}/{name}", target.kind), format!("deleted by {by}"));
        if let Some(kind) = CtrlKind::of_owner_kind(&target.kind) {
            self.memories.remove(&CtrlKey { kind, ns: ns.clone(), name: name.clone() });
        }
        self.touched(&target.kind.clone(), &ns, obj.metadata());
        // upstream: the Job (batch/v1) and ReplicationController (core/v1)
        // strategies' DefaultGarbageCollectionPolicy is OrphanDependents.
        let orphan = match options.propagation_policy {
            Some(policy) => policy == PropagationPolicy::Orphan,
            None => matches!(&*target.kind, "Job" | "ReplicationController"),
        };
        if !orphan {
            self.collect_dependents(&ns, &uid);
        }
    }

    /// The garbage collector's background propagation: delete every object
    /// of the namespace that names `owner_uid` as an owner.
    fn collect_dependents(&mut self, ns: &str, owner_uid: &str) {
        let Some(n) = self.namespaces.get(ns) else { return };
        fn owned<T: Resource>(store: &Store<T>, uid: &str, kind: &str, out: &mut Vec<ObjectRef>) {
            for o in store.items() {
                if o.metadata().owner_references().iter().any(|r| r.uid == uid) {
                    let mut r = o.object_ref();
                    r.kind = Cow::Owned(kind.to_owned());
                    out.push(r);
                }
            }
        }
        let mut refs = Vec::new();
        owned(&n.pods, owner_uid, "Pod", &mut refs);
        owned(&n.replica_sets, owner_uid, "ReplicaSet", &mut refs);
        owned(&n.replication_controllers, owner_uid, "ReplicationController", &mut refs);
        owned(&n.deployments, owner_uid, "Deployment", &mut refs);
        owned(&n.stateful_sets, owner_uid, "StatefulSet", &mut refs);
        owned(&n.daemon_sets, owner_uid, "DaemonSet", &mut refs);
        owned(&n.jobs, owner_uid, "Job", &mut refs);
        owned(&n.cron_jobs, owner_uid, "CronJob", &mut refs);
        owned(&n.revisions, owner_uid, "ControllerRevision", &mut refs);
        owned(&n.claims, owner_uid, "PersistentVolumeClaim", &mut refs);
        for mut r in refs {
            r.namespace = Some(ns.to_owned());
            // upstream attemptToDeleteItem: a dependent another owner still
            // holds only loses its references to the owners that are gone.
            if let Some(mut dependent) = self.get(&r.kind, ns, &r.name) {
                let live = |o: &crate::api::OwnerReference| {
                    o.uid != owner_uid
                        && self.get(&o.kind, ns, &o.name).is_some_and(|x| x.metadata().uid() == o.uid)
                };
                let alive: Vec<bool> = dependent.metadata().owner_references().iter().map(live).collect();
                if alive.contains(&true) {
                    if let Some(owners) = dependent.metadata_mut().owner_references.as_mut() {
                        let mut keep = alive.into_iter();
                        owners.retain(|_| keep.next().unwrap_or(true));
                    }
                    self.update(
                        dependent,
                        "dangling owner reference removed by garbage collector".to_owned(),
                    );
                    continue;
                }
            }
            // The collector deletes each dependent with background
            // propagation (upstream: attemptToDeleteItem), a Job's pods too.
            let background = DeleteOptions::propagation(PropagationPolicy::Background);
            self.delete_ref(&r, background, "garbage collector");
        }
    }

    /// A pod's delete as the API server takes it (upstream:
    /// rest.BeforeDelete with the pod strategy's CheckGracefulDelete, then
    /// the store's markAsDeleting when finalizers hold a pod deleted at
    /// once). The first deletion raises the pod's generation.
    fn delete_pod(&mut self, ns: &str, name: &str, grace: Option<i64>) {
        let key = (ns.to_owned(), name.to_owned());
        let Some(pod) = self.pod(ns, name) else { return };
        // BeforeDelete: a negative requested grace counts as 1 s.
        let grace = grace.map(|g| if g < 0 { 1 } else { g });
        if pod.metadata.is_terminating() {
            self.shorten_pod_deletion(ns, name, grace);
            return;
        }
        let node = pod.spec.as_ref().and_then(|s| s.node_name.clone());
        let spec_grace = pod.spec.as_ref().map_or(30, |s| s.termination_grace_period_seconds_or_default());
        let node_alive = node.as_deref().is_some_and(|n| self.nodes.contains_key(n));
        let has_kubelet = self.kubelets.get(&key).is_some_and(|k| !k.pl.is_finished());
        let grace = grace.unwrap_or(spec_grace).max(0);
        if !node_alive || !has_kubelet || grace == 0 {
            self.mark_deleted_now(ns, name);
            self.log_line(format!("Pod {ns}/{name}"), "deletion requested".to_owned());
            // A force delete that finalizers hold still reaches the pod's
            // kubelet, which stops it at once.
            if has_kubelet {
                let mut events = self.generation_event(ns, name);
                events.push(kubelet::Event::DeletionRequested { grace_period_seconds: Some(0) });
                self.drive(&key, events);
            }
            self.remove_pod_now(ns, name);
            return;
        }
        let now = self.now;
        let rv = self.next_rv();
        let owner = {
            let Some(p) = self.namespaces.get_mut(ns).and_then(|n| n.pods.get_mut(name)) else { return };
            p.metadata.deletion_timestamp = Some(Time::from_unix(now.saturating_add(grace)));
            p.metadata.deletion_grace_period_seconds = Some(grace);
            p.metadata.resource_version = Some(rv);
            bump_generation_on_deletion(&mut p.metadata);
            p.metadata.controller_ref().map(|r| (r.kind.clone(), r.name.clone()))
        };
        self.stats.events = self.stats.events.saturating_add(1);
        self.log_line(format!("Pod {ns}/{name}"), format!("deletion requested ({grace}s grace)"));
        self.touch_owner(ns, owner);
        let mut events = self.generation_event(ns, name);
        events.push(kubelet::Event::DeletionRequested { grace_period_seconds: Some(grace) });
        self.drive(&key, events);
    }

    /// The pod's generation as an event for its kubelet (none when the pod
    /// keeps no generation).
    fn generation_event(&self, ns: &str, name: &str) -> Vec<kubelet::Event> {
        let generation = self.pod(ns, name).and_then(|p| p.metadata.generation);
        generation.map(|generation| kubelet::Event::GenerationChanged { generation }).into_iter().collect()
    }

    /// A second delete of a terminating pod: only a shorter grace period
    /// changes anything. The deletion timestamp moves by the difference
    /// (upstream: BeforeDelete on an object already being deleted), and
    /// the pod's kubelet, if any, stops it within the new grace.
    fn shorten_pod_deletion(&mut self, ns: &str, name: &str, grace: Option<i64>) {
        let key = (ns.to_owned(), name.to_owned());
        let Some(pod) = self.pod(ns, name) else { return };
        let (Some(current), Some(requested)) = (pod.metadata.deletion_grace_period_seconds, grace) else {
            return;
        };
        if current <= 0 || requested >= current {
            return;
        }
        let rv = self.next_rv();
        if let Some(p) = self.namespaces.get_mut(ns).and_then(|n| n.pods.get_mut(name)) {
            let deadline = p.metadata.deletion_timestamp.map_or(self.now, |t| t.unix());
            let moved = deadline.saturating_sub(current).saturating_add(requested);
            p.metadata.deletion_timestamp = Some(Time::from_unix(moved));
            p.metadata.deletion_grace_period_seconds = Some(requested);
            p.metadata.resource_version = Some(rv);
        }
        self.log_line(format!("Pod {ns}/{name}"), format!("deletion grace shortened to {requested}s"));
        if self.kubelets.get(&key).is_some_and(|k| !k.pl.is_finished()) {
            self.drive(
                &key,
                vec![kubelet::Event::DeletionRequested { grace_period_seconds: Some(requested) }],
            );
        }
        if requested == 0 {
            self.remove_pod_now(ns, name);
        }
    }

    /// Removes a terminating pod whose kubelet is done (or absent) once its
    /// finalizers are gone, or at once when its deletion grace is 0 (a
    /// force delete: upstream's store deletes it on the update that removes
    /// the last finalizer, ShouldDeleteDuringUpdate, whatever its kubelet).
    fn maybe_finish_pod_deletion(&mut self, ns: &str, name: &str) {
        let key = (ns.to_owned(), name.to_owned());
        let Some(pod) = self.pod(ns, name) else { return };
        if !pod.metadata.is_terminating() {
            return;
        }
        if pod.metadata.deletion_grace_period_seconds == Some(0) {
            self.remove_pod_now(ns, name);
            return;
        }
        let node_alive = pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .is_some_and(|n| self.nodes.contains_key(n));
        let kubelet_done = self.kubelets.get(&key).is_none_or(|k| k.pl.is_finished());
        if kubelet_done || !node_alive {
            self.remove_pod_now(ns, name);
        }
    }

    /// Sets the pod's deletion as due now (timestamp now, grace 0), with a
    /// new resourceVersion; a first deletion raises the generation.
    fn mark_deleted_now(&mut self, ns: &str, name: &str) {
        let (now, rv) = (self.now, self.next_rv());
        if let Some(p) = self.namespaces.get_mut(ns).and_then(|n| n.pods.get_mut(name)) {
            if !p.metadata.is_terminating() {
                bump_generation_on_deletion(&mut p.metadata);
            }
            p.metadata.deletion_timestamp = Some(Time::from_unix(now));
            p.metadata.deletion_grace_period_seconds = Some(0);
            p.metadata.resource_version = Some(rv);
        }
    }

    fn remove_pod_now(&mut self, ns: &str, name: &str) {
        let Some(pod) = self.pod(ns, name) else { return };
        if pod.metadata.finalizers.as_ref().is_some_and(|f| !f.is_empty()) {
            return;
        }
        let key = (ns.to_owned(), name.to_owned());
        if let Some(k) = self.kubelets.remove(&key)
            && k.counted
            && let Some(n) = self.nodes.get_mut(&k.node)
        {
            n.pods = n.pods.saturating_sub(1);
            self.unschedulable_retry();
        }
        self.pending.remove(&key);
        self.unschedulable.remove(&key);
        let Some(pod) = self.namespaces.get_mut(ns).and_then(|n| n.pods.remove(name)) else { return };
        self.stats.events = self.stats.events.saturating_add(1);
        self.log_line(format!("Pod {ns}/{name}"), "removed".to_owned());
        let owner = pod.metadata.controller_ref().map(|r| (r.kind.clone(), r.name.clone()));
        self.touch_owner(ns, owner);
        // What the pod owned (a StatefulSet's claim with `whenScaled:
        // Delete`) goes with it.
        self.collect_dependents(ns, pod.metadata.uid());
    }

    // ---- controllers -----------------------------------------------------------

    fn reconcile(&mut self, key: &CtrlKey) -> Vec<Action> {
        let now = self.now();
        if key.kind == CtrlKind::PodGc {
            return self.reconcile_podgc();
        }
        if key.kind == CtrlKind::DaemonSet {
            self.refresh_node_cache();
        }
        let gates = &self.config.gates;
        let Some(n) = self.namespaces.get(&key.ns) else { return Vec::new() };
        let name = key.name.as_str();
        let memory = self.memories.get(key);
        match key.kind {
            CtrlKind::ReplicaSet | CtrlKind::ReplicationController => {
                let default = ReplicaSetMemory::default();
                let memory = match memory {
                    Some(ControllerMemory::Replicas(m)) => m,
                    _ => &default,
                };
                let observed = replicaset::Observed {
                    pods: n.pods.items(),
                    replica_sets: n.replica_sets.items(),
                    memory,
                };
                let config = replicaset::Config { gates: gates.clone(), ..replicaset::Config::default() };
                if key.kind == CtrlKind::ReplicaSet {
                    n.replica_sets.get(name).map(|rs| replicaset::reconcile_with(rs, &observed, now, &config))
                } else {
                    n.replication_controllers.get(name).map(|rc| {
                        replicaset::reconcile_replication_controller_with(rc, &observed, now, &config)
                    })
                }
            }
            CtrlKind::Deployment => n.deployments.get(name).map(|d| {
                let observed = deployment::Observed {
                    replica_sets: n.replica_sets.items(),
                    pods: n.pods.items(),
                    memory: &deployment::DeploymentMemory::default(),
                };
                deployment::reconcile_with(d, &observed, now, &deployment::Config { gates: gates.clone() })
            }),
            CtrlKind::StatefulSet => n.stateful_sets.get(name).map(|s| {
                let observed = statefulset::Observed {
                    pods: n.pods.items(),
                    claims: n.claims.items(),
                    revisions: n.revisions.items(),
                };
                statefulset::reconcile_with(s, &observed, now, &statefulset::Config { gates: gates.clone() })
            }),
            CtrlKind::DaemonSet => n.daemon_sets.get(name).map(|d| {
                let default = daemonset::DaemonSetMemory::default();
                let memory = match memory {
                    Some(ControllerMemory::DaemonSet(m)) => m,
                    _ => &default,
                };
                let observed = daemonset::Observed {
                    pods: n.pods.items(),
                    nodes: &self.node_cache,
                    revisions: n.revisions.items(),
                    memory,
                };
                let config = daemonset::Config { gates: gates.clone(), ..daemonset::Config::default() };
                daemonset::reconcile_with(d, &observed, now, &config)
            }),
            CtrlKind::Job => {
                let config = job::Config { gates: gates.clone() };
                match n.jobs.get(name) {
                    Some(j) => {
                        let default = job::JobMemory::default();
                        let memory = match memory {
                            Some(ControllerMemory::Job(m)) => m,
                            _ => &default,
                        };
                        let observed = job::Observed { pods: n.pods.items(), memory };
                        Some(job::reconcile_with(j, &observed, now, &config))
                    }
                    // The Job is gone: its pods' tracking finalizers go
                    // (upstream: syncOrphanPod, reached through the pods'
                    // events, which name the Job as their controller).
                    None => Some(
                        n.pods
                            .items()
                            .iter()
                            .filter(|p| {
                                p.metadata.controller_ref().is_some_and(|r| r.kind == "Job" && r.name == name)
                            })
                            .filter_map(|p| job::orphan_pod_finalizer(p, None, &config))
                            .collect(),
                    ),
                }
            }
            CtrlKind::CronJob => n.cron_jobs.get(name).map(|c| {
                let observed = cronjob::Observed { jobs: n.jobs.items() };
                cronjob::reconcile(c, &observed, now)
            }),
            CtrlKind::Ttl => n.jobs.get(name).map(|j| ttl_after_finished::reconcile(j, now)),
            CtrlKind::PodGc => None,
        }
        .unwrap_or_default()
    }

    fn reconcile_podgc(&mut self) -> Vec<Action> {
        self.refresh_node_cache();
        self.podgc_next = self.now.saturating_add(POD_GC_PERIOD_SECONDS);
        let pods: Vec<Pod> = self.pods().cloned().collect();
        let observed = podgc::Observed { pods: &pods, nodes: &self.node_cache, memory: &self.podgc_memory };
        let config = podgc::Config { gates: self.config.gates.clone(), ..podgc::Config::default() };
        let actions = podgc::reconcile_with(&observed, self.now(), &config);
        let quiet = actions.iter().all(|a| matches!(a, Action::Requeue { .. } | Action::Remember { .. }))
            && self.podgc_memory == podgc::PodGcMemory::default()
            && self.nodes.values().all(|n| {
                n.health == NodeHealth::Ready
                    && !n.node.spec.as_ref().is_some_and(|s| {
                        s.taints().iter().any(|t| *t.effect_as_read() == TaintEffect::NoExecute)
                    })
            })
            && !self.pods().any(|p| {
                p.spec
                    .as_ref()
                    .and_then(|s| s.node_name.as_deref())
                    .is_some_and(|n| !self.nodes.contains_key(n))
            });
        if quiet {
            self.podgc_active = false;
        }
        actions
    }

    fn execute(&mut self, by: &CtrlKey, action: Action) {
        self.stats.events = self.stats.events.saturating_add(1);
        let who = match by.kind {
            CtrlKind::PodGc => "pod-gc".to_owned(),
            CtrlKind::Ttl => "ttl-after-finished".to_owned(),
            k => format!("{k:?} {}/{}", by.ns, by.name),
        };
        match action {
            Action::Create { object } => {
                self.create(object, Some(by));
            }
            Action::Update { object, change } => self.update(object, change),
            Action::Delete { target, options } => {
                if target.kind == "Pod" && by.kind == CtrlKind::PodGc {
                    let ns = target.namespace.clone().unwrap_or_default();
                    self.log_line(who.clone(), format!("delete Pod {ns}/{}", target.name));
                }
                self.delete_ref(&target, options, &who);
            }
            Action::UpdateStatus { object } => self.update_status(object),
            Action::Event(e) => {
                self.log_line(e.regarding.to_string(), format!("{} {}: {}", e.type_, e.reason, e.message));
            }
            Action::Requeue { after, .. } => {
                let ms = after.as_millis();
                let secs = i64::try_from(ms.div_ceil(1000)).unwrap_or(i64::MAX).max(1);
                let at = self.now.saturating_add(secs);
                if by.kind == CtrlKind::PodGc {
                    // The collector's periodic requeue: it runs while it
                    // has work (see `reconcile_podgc`).
                    self.podgc_next = self.podgc_next.min(at);
                } else {
                    self.push_timer(at, Wake::Controller(Box::new(by.clone())));
                }
            }
            Action::Remember { memory, .. } => {
                if let ControllerMemory::PodGc(m) = memory {
                    self.podgc_memory = m;
                } else {
                    self.memories.insert(by.clone(), memory);
                }
            }
        }
    }

    // ---- summaries ------------------------------------------------------------

    /// Every workload with its numbers, by namespace, kind and name. Pods
    /// without a controller are listed as kind `Pod`.
    pub fn workloads(&self) -> Vec<WorkloadRow> {
        let mut rows = Vec::new();
        for (ns, n) in &self.namespaces {
            for d in n.deployments.items() {
                let s = d.status.clone().unwrap_or_default();
                let cond = d
                    .status
                    .as_ref()
                    .and_then(|s| s.conditions.as_ref())
                    .and_then(|c| c.iter().find(|c| c.type_ == "Progressing"))
                    .and_then(|c| c.reason.clone())
                    .unwrap_or_default();
                rows.push(WorkloadRow {
                    kind: "Deployment",
                    name: format!("{ns}/{}", d.metadata.name()),
                    desired: d.spec.as_ref().map_or(1, |s| s.replicas.unwrap_or(1)),
                    current: s.replicas.unwrap_or(0),
                    ready: s.ready_replicas.unwrap_or(0),
                    updated: s.updated_replicas.unwrap_or(0),
                    available: s.available_replicas.unwrap_or(0),
                    note: cond,
                });
            }
            for r in n.replica_sets.items().iter().filter(|r| r.metadata.controller_ref().is_none()) {
                let s = r.status.clone().unwrap_or_default();
                rows.push(WorkloadRow {
                    kind: "ReplicaSet",
                    name: format!("{ns}/{}", r.metadata.name()),
                    desired: r.spec.as_ref().map_or(1, |s| s.replicas_or_default()),
                    current: s.replicas,
                    ready: s.ready_replicas.unwrap_or(0),
                    updated: s.replicas,
                    available: s.available_replicas.unwrap_or(0),
                    note: String::new(),
                });
            }
            for r in n.replication_controllers.items() {
                let s = r.status.clone().unwrap_or_default();
                rows.push(WorkloadRow {
                    kind: "ReplicationController",
                    name: format!("{ns}/{}", r.metadata.name()),
                    desired: r.spec.as_ref().map_or(1, |s| s.replicas_or_default()),
                    current: s.replicas,
                    ready: s.ready_replicas.unwrap_or(0),
                    updated: s.replicas,
                    available: s.available_replicas.unwrap_or(0),
                    note: String::new(),
                });
            }
            for st in n.stateful_sets.items() {
                let s = st.status.clone().unwrap_or_default();
                rows.push(WorkloadRow {
                    kind: "StatefulSet",
                    name: format!("{ns}/{}", st.metadata.name()),
                    desired: st.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1),
                    current: s.replicas,
                    ready: s.ready_replicas.unwrap_or(0),
                    updated: s.updated_replicas.unwrap_or(0),
                    available: s.available_replicas.unwrap_or(0),
                    note: String::new(),
                });
            }
            for d in n.daemon_sets.items() {
                let s = d.status.clone().unwrap_or_default();
                rows.push(WorkloadRow {
                    kind: "DaemonSet",
                    name: format!("{ns}/{}", d.metadata.name()),
                    desired: s.desired_number_scheduled,
                    current: s.current_number_scheduled,
                    ready: s.number_ready.unwrap_or(0),
                    updated: s.updated_number_scheduled.unwrap_or(0),
                    available: s.number_available.unwrap_or(0),
                    note: format!("misscheduled {}", s.number_misscheduled),
                });
            }
            for j in n.jobs.items() {
                let s = j.status.clone().unwrap_or_default();
                let cond = s
                    .conditions
                    .as_ref()
                    .and_then(|c| {
                        c.iter().find(|c| {
                            (c.type_ == "Complete" || c.type_ == "Failed")
                                && c.status == ConditionStatus::True
                        })
                    })
                    .map(|c| c.type_.clone())
                    .unwrap_or_else(|| "Running".to_owned());
                rows.push(WorkloadRow {
                    kind: "Job",
                    name: format!("{ns}/{}", j.metadata.name()),
                    desired: j.spec.as_ref().and_then(|s| s.completions).unwrap_or(1),
                    current: s.active.unwrap_or(0),
                    ready: s.ready.unwrap_or(0),
                    updated: s.succeeded.unwrap_or(0),
                    available: s.failed.unwrap_or(0),
                    note: format!("{cond} (updated=succeeded, available=failed)"),
                });
            }
            for c in n.cron_jobs.items() {
                let uid = c.metadata.uid();
                let jobs = n
                    .jobs
                    .items()
                    .iter()
                    .filter(|j| j.metadata.controller_ref().is_some_and(|r| r.uid == uid))
                    .count();
                let s = c.status.clone().unwrap_or_default();
                let active = s.active.as_ref().map_or(0, Vec::len);
                rows.push(WorkloadRow {
                    kind: "CronJob",
                    name: format!("{ns}/{}", c.metadata.name()),
                    desired: 0,
                    current: i32::try_from(active).unwrap_or(i32::MAX),
                    ready: 0,
                    updated: 0,
                    available: 0,
                    note: format!(
                        "{jobs} jobs kept, last schedule {}",
                        s.last_schedule_time
                            .map_or("-".to_owned(), |t| format!("+{}s", t.unix().saturating_sub(self.start)))
                    ),
                });
            }
            for p in n.pods.items().iter().filter(|p| p.metadata.controller_ref().is_none()) {
                let ready = i32::from(pod_ready(p));
                rows.push(WorkloadRow {
                    kind: "Pod",
                    name: format!("{ns}/{}", p.metadata.name()),
                    desired: 1,
                    current: 1,
                    ready,
                    updated: 1,
                    available: ready,
                    note: phase_of(p).as_str().to_owned(),
                });
            }
        }
        rows
    }

    // ---- helpers -----------------------------------------------------------------

    fn push_timer(&mut self, at: i64, wake: Wake) {
        self.timers.push(at, wake);
    }

    fn next_rv(&mut self) -> String {
        self.resource_version = self.resource_version.saturating_add(1);
        self.resource_version.to_string()
    }

    fn uid(&mut self) -> String {
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0x0fff,
            (b >> 48) & 0x3fff | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }

    fn name_suffix(&mut self) -> String {
        (0..5)
            .map(|_| {
                let i = (self.rng.next_u32() as usize).checked_rem(NAME_ALPHABET.len()).unwrap_or(0);
                NAME_ALPHABET.get(i).map_or('x', |b| char::from(*b))
            })
            .collect()
    }

    fn log_line(&mut self, object: String, what: String) {
        self.log_count = self.log_count.saturating_add(1);
        if self.config.keep_log {
            self.log.push(LogEntry { at: self.now.saturating_sub(self.start), object, what });
        }
    }
}

/// Carries out one kubelet command per the pod's script, collecting the
/// events that answer it now and the exits due later.
#[allow(clippy::too_many_arguments)]
fn execute_command(
    k: &mut Kubelet,
    cmd: Command,
    now: i64,
    rng: &mut ChaCha8Rng,
    ip_counter: &mut u32,
    answers: &mut Vec<kubelet::Event>,
    exits: &mut Vec<(i64, Arc<str>, u32, i32)>,
    lines: &mut Vec<String>,
    log_all: bool,
) {
    if !matches!(cmd, Command::RunProbe { .. }) {
        k.noisy = true;
    }
    match cmd {
        Command::CreateSandbox => {
            *ip_counter = ip_counter.wrapping_add(1);
            let ip = format!(
                "10.{}.{}.{}",
                244u32.saturating_add((*ip_counter >> 16) & 0x7),
                (*ip_counter >> 8) & 0xff,
                *ip_counter & 0xff
            );
            answers.push(kubelet::Event::SandboxReady { pod_ip: Some(ip) });
        }
        Command::StartContainer { container, attempt } => {
            let mut behaviour = k.script.behaviour(&container, || rng.next_u32() % 100);
            if behaviour.exit_after.is_none() && k.init.iter().any(|n| **n == *container) {
                behaviour.exit_after = Some((1, 0));
            }
            lines.push(if attempt == 0 {
                format!("{container} started")
            } else {
                format!("{container} restarted (restart {attempt})")
            });
            answers.push(kubelet::Event::ContainerStarted { container: container.clone() });
            if behaviour.crash_on_start {
                answers.push(kubelet::Event::ContainerExited {
                    container: container.clone(),
                    exit_code: 1,
                    reason: None,
                    message: None,
                });
                lines.push(format!("{container} crashed on start (exit 1)"));
            } else if let Some((after, code)) = behaviour.exit_after {
                exits.push((now.saturating_add(after.max(0)), container.clone(), attempt, code));
            }
            let running = !behaviour.crash_on_start;
            k.instances.insert(
                container,
                Instance { attempt, started: now, running, behaviour, last_probe: [None; 3] },
            );
        }
        Command::RunProbe { container, attempt, probe, .. } => {
            let faulted =
                k.probe_faults.iter().any(|(p, until)| *p == probe && until.is_none_or(|u| now < u));
            let outcome = match k.instances.get_mut(&container).filter(|i| i.attempt == attempt) {
                Some(inst) => {
                    let elapsed = now.saturating_sub(inst.started);
                    let fails = faulted
                        || match probe {
                            ProbeKind::Readiness => inst.behaviour.readiness_fails(elapsed),
                            ProbeKind::Liveness => inst.behaviour.liveness_fails(elapsed),
                            ProbeKind::Startup => false,
                        };
                    let ok = !fails;
                    let previous = inst.record_probe(probe, ok);
                    if !(ok && previous == Some(true) && probe != ProbeKind::Startup) {
                        k.noisy = true;
                    }
                    if !ok && (log_all || previous != Some(false)) {
                        lines.push(format!("{} probe of {container} failed", probe.as_str()));
                    } else if ok && previous == Some(false) {
                        lines.push(format!("{} probe of {container} succeeds again", probe.as_str()));
                    }
                    if ok { ProbeOutcome::Success } else { ProbeOutcome::Failure }
                }
                None => ProbeOutcome::Error,
            };
            answers.push(kubelet::Event::ProbeResult { container, attempt, probe, outcome });
        }
        Command::RunHook { container, attempt, hook, .. } => {
            answers.push(kubelet::Event::HookFinished {
                container,
                attempt,
                hook,
                outcome: HookOutcome::Success,
            });
        }
        Command::StopContainer { container, attempt, grace_period_seconds, message, .. } => {
            lines.push(format!("stop {container} ({grace_period_seconds}s grace): {message}"));
            if let Some(inst) = k.instances.get(&container).filter(|i| i.attempt == attempt && i.running) {
                let stop = inst.behaviour.stop_seconds.max(0);
                exits.push((now.saturating_add(stop.max(1)), container, attempt, 143));
            }
        }
        Command::KillContainer { container, attempt } => {
            if let Some(inst) = k.instances.get_mut(&container).filter(|i| i.attempt == attempt && i.running)
            {
                inst.running = false;
                lines.push(format!("{container} killed (grace period over)"));
                answers.push(kubelet::Event::ContainerExited {
                    container,
                    exit_code: 137,
                    reason: None,
                    message: None,
                });
            }
        }
        Command::KillSandbox => {}
    }
}

impl Cluster {
    /// The number of log entries recorded, including those not kept.
    pub fn log_count(&self) -> u64 {
        self.log_count
    }

    /// The ready and updated replica counts of every workload now, for
    /// charts: `(kind namespace/name, ready, updated)`.
    pub fn replica_sample(&self) -> Vec<(String, i32, i32)> {
        self.workloads()
            .into_iter()
            .filter(|w| w.kind != "CronJob" && w.kind != "Pod")
            .map(|w| (format!("{} {}", w.kind, w.name), w.ready, w.updated))
            .collect()
    }

    /// Whether every Deployment, ReplicaSet, ReplicationController,
    /// StatefulSet and DaemonSet has as many ready, updated pods as it
    /// wants, and no pod is pending.
    pub fn converged(&self) -> bool {
        self.workloads().iter().all(|w| match w.kind {
            "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "ReplicationController" => {
                w.ready == w.desired && w.updated == w.desired && w.current == w.desired
            }
            _ => true,
        }) && self.pending.is_empty()
    }
}

/// The short form of a log: controller events, faults, node changes, pod
/// phase changes, unschedulable pods, restarts and kills, deletions of
/// workloads. Probe chatter, scheduling and readiness flips are left out.
pub fn short_timeline(log: &[LogEntry]) -> Vec<&LogEntry> {
    log.iter()
        .filter(|e| {
            let w = e.what.as_str();
            e.object == "fault"
                || e.object == "pod-gc"
                || e.object.starts_with("Node ")
                || w.starts_with("Normal ")
                || w.starts_with("Warning ")
                || w.starts_with("phase ")
                || w.starts_with("unschedulable")
                || w.starts_with("deleted by")
                || w.contains("restarted")
                || w.contains("killed")
                || w.contains("crashed")
                || (w.starts_with("updated: applied"))
        })
        .collect()
}

/// The kinds the simulator stores (Nodes are kept apart).
fn is_stored_kind(object: &Object) -> bool {
    matches!(
        object,
        Object::Pod(_)
            | Object::ReplicaSet(_)
            | Object::ReplicationController(_)
            | Object::Deployment(_)
            | Object::StatefulSet(_)
            | Object::DaemonSet(_)
            | Object::Job(_)
            | Object::CronJob(_)
            | Object::PersistentVolumeClaim(_)
            | Object::ControllerRevision(_)
    )
}

/// Whether a pod still has scheduling gates: the scheduler leaves it be.
fn is_scheduling_gated(pod: &Pod) -> bool {
    pod.spec.as_ref().and_then(|s| s.scheduling_gates.as_ref()).is_some_and(|g| !g.is_empty())
}

/// Whether `object` is a Job without labels of its own, whose stored form
/// then carries its template's labels, the generated ones included
/// (upstream: SetDefaults_Job gives such a Job its template's label map
/// itself, so generateSelector's labels land on both, and defaulting on
/// read copies them again).
fn is_unlabelled_job(object: &Object) -> bool {
    matches!(object, Object::Job(j) if j.metadata.labels.as_ref().is_none_or(|l| l.is_empty()))
}

/// Gives Job `j` its template's labels (see [`is_unlabelled_job`]).
fn labels_from_template(j: &mut crate::api::Job) {
    let labels = j.spec.as_ref().and_then(|s| s.template.metadata.as_ref()).and_then(|m| m.labels.clone());
    if labels.as_ref().is_some_and(|l| !l.is_empty()) {
        j.metadata.labels = labels;
    }
}
