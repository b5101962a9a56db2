//! # kube-workloads
//!
//! Kubernetes workload semantics as pure, embeddable, sans-IO Rust.
//!
//! The crate knows what Kubernetes *decides* — which pods a ReplicaSet
//! creates or deletes, when a probe failure kills a container, what a pod's
//! phase is, when a CronJob fires — and it never *does* anything. Nothing in
//! it opens a file or socket, spawns a thread, sleeps, reads a clock or draws
//! a random number that reaches its output: time comes in as an argument
//! (`now`) and every decision comes out as data for the caller's executor.
//!
//! ## The sans-IO contract
//! - **No I/O.** Callers parse bytes (JSON with `serde_json`, YAML with a
//!   YAML serde crate) and hand the crate values; they execute the
//!   [`controller::Action`]s and [`kubelet::Command`]s it returns.
//! - **Pure and deterministic.** The same inputs give the same outputs in the
//!   same order (observed objects are ordered by namespace and name first,
//!   semantics/DECISIONS.md G2), so decisions can be snapshot-tested.
//! - **Controller memory is a value.** What an upstream controller keeps in
//!   memory between syncs (expectations, back-off records, timers) is a
//!   serde-serializable value the caller stores and hands back; a reconcile
//!   returns its successor as [`controller::Action::Remember`].
//! - **Lossless.** [`Object::from_value`] followed by [`Object::to_value`]
//!   gives back the document unchanged, including fields this crate does not
//!   model, explicit `null`s and missing required keys.
//! - **Total.** Hostile input yields an error value, never a panic.
//!
//! ## Guarantees
//! - **No panics, for any input.** Counts saturate, [`Time`] arithmetic
//!   saturates at chrono's ends, and no `unwrap`, unchecked arithmetic or
//!   indexing runs outside unit tests: negative or `i32::MAX` counts,
//!   timestamps from year 1 to 9999 (and `now` among them) give sane
//!   decisions.
//! - **Bounded work for absurd values.** One reconcile creates or deletes at
//!   most one burst however many replicas, completions or percentage points
//!   the spec asks for (500 pods for a ReplicaSet, ReplicationController or
//!   Job, 250 for a DaemonSet, [`controller::statefulset::MAX_NEW_SLOTS`]
//!   ordinals for a StatefulSet, one ReplicaSet for a Deployment), and
//!   allocates nothing in proportion to those numbers. Cron searches stop
//!   after five years, as robfig's do. Work grows only with the size of what
//!   is observed.
//! - **Deterministic.** The same arguments give the same actions; observed
//!   lists are ordered by (namespace, name, UID) first, so their order never
//!   changes the output.
//! - **Documented output order.** Each controller module states the order of
//!   the actions it returns.
//!
//! `tests/guarantees.rs` tests each of these (absurd values, far dates, a
//! 10,000-container pod, a 1 MB annotation, never-firing schedules, and
//! property tests that reconcile every controller twice and with shuffled
//! lists); the README's "Guarantees" section says more.
//!
//! ## Module map
//! - [`api`]: wire types for every kind (Pod, PodTemplate,
//!   ReplicationController, Node, PersistentVolumeClaim, ReplicaSet,
//!   Deployment, StatefulSet, DaemonSet, ControllerRevision, Job, CronJob,
//!   PodPreset), `IntOrString`, `Quantity`, `Time`, and [`Object`].
//! - [`selector`]: label selectors — matching, the string grammar, RC maps.
//! - [`validation`] and [`defaults`]: the API server's validation (field-path
//!   errors printed as the server prints them) and defaulting.
//! - [`pod`]: pure pod logic — phase, conditions, ready and available.
//! - [`kubelet`]: [`kubelet::PodLifecycle`], the sans-IO probe/restart state
//!   machine of one pod.
//! - [`scheduling`]: does a pod fit a node, and why not.
//! - [`schedule`]: Kubernetes cron schedules.
//! - [`controller`]: the shared [`controller::Action`] vocabulary, ownership
//!   and expectations, and one `reconcile` per controller:
//!   [`controller::replicaset`] (also ReplicationController),
//!   [`controller::deployment`], [`controller::statefulset`],
//!   [`controller::daemonset`], [`controller::job`], [`controller::cronjob`],
//!   [`controller::ttl_after_finished`], [`controller::podgc`].
//! - [`preset`]: PodPreset admission.
//! - `sim` (feature `sim`, on by default): a deterministic cluster simulator
//!   on virtual time that drives all of the above as a caller would.
//! - [`features`]: the Kubernetes feature gates behaviour depends on.
//! - `interop` (feature `k8s-openapi`): conversions to and from
//!   k8s-openapi's types, through the JSON wire form.
//!
//! ## Upstream and deviations
//! Each module's docs name the upstream Kubernetes files and functions it
//! mirrors (`pkg/controller/replicaset/replica_set.go`,
//! `pkg/kubelet/prober/worker.go`, ...) and list its deliberate deviations;
//! `semantics/DECISIONS.md` (G1–G5) settles the shared ones. Crate-wide:
//! - controller memory (expectations, back-off records, timers) is a value
//!   the caller stores and hands back ([`controller::Action::Remember`]),
//!   not state in informer caches; expectations are satisfied from what is
//!   observed rather than from watch events;
//! - ties that upstream leaves to Go's unstable sorts or map order fall to
//!   name, then UID (the ReplicaSet victim ranking, which can cycle
//!   upstream, visits pods by name);
//! - [`Time`] is whole seconds, and so is every kubelet timer;
//! - a CronJob without `timeZone` is evaluated in UTC, and the cron engine
//!   covers the years 1970–2100;
//! - the `pod-template-hash` (and the StatefulSet / DaemonSet revision
//!   hashes) is a stable FNV-1a hash of canonical JSON that need not equal
//!   upstream's value; objects are matched by content, never by hash;
//! - upstream randomness (probe jitter, generated-name suffixes) is left out
//!   or handed to the caller.
//!
//! ## A tour
//! ```
//! use kube_workloads::controller::{Action, replicaset};
//! use kube_workloads::kubelet::{Command, KubeletConfig, PodLifecycle};
//! use kube_workloads::schedule::Schedule;
//! use kube_workloads::{Object, Time, defaults, validation};
//!
//! // Read a manifest (any serde format); unknown kinds are an error value.
//! let doc = serde_json::json!({
//!     "apiVersion": "apps/v1", "kind": "ReplicaSet",
//!     "metadata": {"name": "web", "namespace": "default", "uid": "rs-1"},
//!     "spec": {
//!         "replicas": 3,
//!         "selector": {"matchLabels": {"app": "web"}},
//!         "template": {
//!             "metadata": {"labels": {"app": "web"}},
//!             "spec": {"containers": [{"name": "web", "image": "nginx"}]}
//!         }
//!     }
//! });
//! let mut obj = Object::from_value(doc).unwrap();
//! defaults::apply(&mut obj);
//! validation::validate(&obj).unwrap();
//! let Object::ReplicaSet(rs) = obj else { unreachable!() };
//!
//! // One reconcile with no pods observed: create three from the template.
//! let now: Time = "2024-05-01T12:00:00Z".parse().unwrap();
//! let memory = Default::default();
//! let observed = replicaset::Observed { pods: &[], replica_sets: &[], memory: &memory };
//! let actions = replicaset::reconcile(&rs, &observed, now);
//! let creates = actions.iter().filter(|a| matches!(a, Action::Create { .. })).count();
//! assert_eq!(creates, 3);
//!
//! // The kubelet side: a pod's lifecycle, driven by events, polled for commands.
//! let pod: kube_workloads::Pod = serde_json::from_value(serde_json::json!({
//!     "metadata": {"name": "web-0", "namespace": "default", "uid": "p-1"},
//!     "spec": {"nodeName": "node-1", "containers": [{"name": "web", "image": "nginx"}]}
//! })).unwrap();
//! let mut kubelet = PodLifecycle::new(&pod, now, KubeletConfig::default());
//! assert!(matches!(kubelet.poll_command(), Some(Command::CreateSandbox)));
//!
//! // Cron schedules as Kubernetes reads them.
//! let every_five = Schedule::parse("*/5 * * * *").unwrap();
//! assert_eq!(every_five.next_after(now).unwrap().to_string(), "2024-05-01T12:05:00Z");
//! ```
//!
//! ## Reading YAML
//! Any serde format works: [`Object`] implements `Deserialize`, dispatching
//! on `apiVersion` + `kind`. With a YAML crate (here `serde-saphyr`):
//! ```
//! use kube_workloads::{Object, api::ObjectError};
//!
//! let yaml = "
//! apiVersion: batch/v1
//! kind: CronJob
//! metadata: {name: report, namespace: default}
//! spec:
//!   schedule: '0 * * * *'
//!   jobTemplate:
//!     spec:
//!       template:
//!         spec:
//!           restartPolicy: OnFailure
//!           containers: [{name: report, image: busybox}]
//! ";
//! let value: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
//! let Object::CronJob(cron_job) = Object::from_value(value).unwrap() else { unreachable!() };
//! assert_eq!(cron_job.spec.as_ref().unwrap().schedule, "0 * * * *");
//!
//! // Kinds the crate does not model are an error value a reader can skip.
//! let other: serde_json::Value = serde_saphyr::from_str("{apiVersion: v1, kind: Service}").unwrap();
//! assert!(matches!(Object::from_value(other), Err(ObjectError::UnknownKind { .. })));
//! ```
//!
//! ## Simulating a cluster
//! With the `sim` feature (on by default), `sim::Cluster` drives every
//! piece above on virtual time, as an executor would:
//! ```
//! # #[cfg(feature = "sim")] {
//! use kube_workloads::Object;
//! use kube_workloads::sim::{Cluster, NodeSetup};
//!
//! let mut cluster = Cluster::new(42); // the seed of every random choice
//! cluster.add_node(NodeSetup::new("node-1"));
//! cluster.add_node(NodeSetup::new("node-2"));
//! let deployment = Object::from_value(serde_json::json!({
//!     "apiVersion": "apps/v1", "kind": "Deployment",
//!     "metadata": {"name": "web", "namespace": "default"},
//!     "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
//!              "template": {"metadata": {"labels": {"app": "web"}},
//!                           "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
//! })).unwrap();
//! cluster.apply(deployment).unwrap();
//! cluster.run_for(30); // virtual seconds
//!
//! let running = cluster.pods().filter(|p| {
//!     p.status.as_ref().and_then(|s| s.phase.as_ref()) == Some(&kube_workloads::api::PodPhase::Running)
//! });
//! assert_eq!(running.count(), 3);
//! assert!(cluster.converged());
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
pub mod controller;
pub mod defaults;
pub mod features;
#[cfg(feature = "k8s-openapi")]
#[cfg_attr(docsrs, doc(cfg(feature = "k8s-openapi")))]
pub mod interop;
pub mod kubelet;
pub mod pod;
pub mod preset;
pub mod schedule;
pub mod scheduling;
pub mod selector;
#[cfg(feature = "sim")]
#[cfg_attr(docsrs, doc(cfg(feature = "sim")))]
pub mod sim;
mod text;
pub mod validation;

pub use features::FeatureGates;

pub use api::{
    CronJob, DaemonSet, Deployment, Job, Node, Object, ObjectRef, Pod, PodTemplate, ReplicaSet,
    ReplicationController, StatefulSet, Time,
};
