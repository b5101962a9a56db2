//! # kube-workloads
//!
//! Kubernetes workload semantics as pure, embeddable, sans-IO Rust.
//!
//! The crate knows what Kubernetes *decides*: what a manifest means, which
//! pods match a selector, how a percentage resolves against a replica count.
//! It never *does* anything. Nothing in it opens a file or socket, spawns a
//! thread, sleeps, reads a clock or draws a random number: time comes in as an
//! argument and every decision comes out as data for the caller's executor.
//!
//! ## The sans-IO contract
//! - **No I/O.** Callers parse bytes (JSON with `serde_json`, YAML with a
//!   YAML serde crate) and hand the crate values.
//! - **Pure and deterministic.** The same inputs give the same outputs.
//! - **Lossless.** [`Object::from_value`] followed by [`Object::to_value`]
//!   gives back the document unchanged, including fields this crate does not
//!   model and explicit `null`s.
//! - **Total.** Hostile input yields an error value, never a panic.
//!
//! ## Module map
//! - [`api`]: wire types for every kind (Pod, ReplicaSet, Deployment,
//!   StatefulSet, DaemonSet, Job, CronJob, Node, PersistentVolumeClaim,
//!   ControllerRevision, PodPreset...), `IntOrString`, `Quantity`, `Time`,
//!   and [`Object`], the enum over all of them.
//! - [`selector`]: label selectors: matching, the string grammar, RC map
//!   selectors.
//!
//! ## A tour
//! ```
//! use kube_workloads::{Object, selector::Selector};
//!
//! let doc = serde_json::json!({
//!     "apiVersion": "apps/v1", "kind": "Deployment",
//!     "metadata": {"name": "web", "namespace": "default"},
//!     "spec": {
//!         "replicas": 10,
//!         "selector": {"matchLabels": {"app": "web"}},
//!         "strategy": {"rollingUpdate": {"maxSurge": "25%"}},
//!         "template": {
//!             "metadata": {"labels": {"app": "web", "tier": "frontend"}},
//!             "spec": {"containers": [{"name": "web", "image": "nginx"}]}
//!         }
//!     }
//! });
//! let Object::Deployment(deploy) = Object::from_value(doc).unwrap() else { unreachable!() };
//! let spec = deploy.spec.as_ref().unwrap();
//!
//! // The selector, as the string kubectl would print.
//! let selector = Selector::from_label_selector(&spec.selector).unwrap();
//! assert_eq!(selector.to_string(), "app=web");
//!
//! // maxSurge 25% of 10 replicas rounds up to 3.
//! let surge = spec.strategy.as_ref().unwrap().rolling_update.as_ref().unwrap().max_surge.as_ref().unwrap();
//! assert_eq!(surge.scaled_value(10, true), Ok(3));
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod api;
pub mod controller;
pub mod defaults;
pub mod features;
pub mod kubelet;
pub mod pod;
pub mod preset;
pub mod schedule;
pub mod scheduling;
pub mod selector;
pub mod validation;

pub use features::FeatureGates;

pub use api::{
    CronJob, DaemonSet, Deployment, Job, Node, Object, ObjectRef, Pod, PodTemplate, ReplicaSet,
    ReplicationController, StatefulSet, Time,
};
