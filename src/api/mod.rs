//! Wire types: the objects as the API server speaks them in JSON and YAML.
//!
//! Every struct here is plain data with public fields. Optional fields are
//! `Option` (so a missing field and an empty one stay distinct), maps keep
//! document order, string enums keep unknown values, and fields this crate
//! does not model are kept in each struct's `other` map. Reading any manifest
//! and writing it back gives the same JSON value.
//!
//! upstream: the versioned API types of staging/src/k8s.io/api (core/v1,
//! apps/v1, batch/v1; settings/v1alpha1 as of its removal in 1.20) and
//! staging/src/k8s.io/apimachinery/pkg/apis/meta/v1 (ObjectMeta, Time,
//! LabelSelector), plus apimachinery's `intstr` and `resource.Quantity`.
//! Each submodule names its files.
//!
//! Deviations (deliberate):
//! - Not every field is typed: fields the crate does not model, and some
//!   pod-spec parts it keeps as JSON (security contexts, pod affinity,
//!   topology spread, DNS config...), round-trip untouched but are not
//!   type-checked by the decoder (validation reads them later).
//! - Nothing is normalised on the way through: a [`Quantity`] keeps the text
//!   it was written as (upstream writes the canonical form back, `0.5` →
//!   `500m`), and an explicit `null` or empty list stays as written.
//! - [`Time`] has whole-second precision, as `metav1.Time` on the wire; its
//!   arithmetic saturates at chrono's range instead of overflowing.
//!
//! ```
//! use kube_workloads::api::{IntOrString, Pod, Time};
//!
//! let doc = serde_json::json!({
//!     "apiVersion": "v1", "kind": "Pod",
//!     "metadata": {"name": "web", "creationTimestamp": null, "x-unknown": 1},
//!     "spec": {"containers": [{"name": "c", "image": "nginx"}], "futureField": true}
//! });
//! let pod: Pod = serde_json::from_value(doc.clone()).unwrap();
//! assert_eq!(pod.metadata.name(), "web");
//! assert_eq!(serde_json::to_value(&pod).unwrap(), doc); // unknown keys and nulls kept
//!
//! let surge = IntOrString::String("25%".into());
//! assert_eq!(surge.scaled_value(10, true), Ok(3)); // rounded up, as upstream
//! let t: Time = "2024-05-01T12:00:00.75Z".parse().unwrap();
//! assert_eq!(t.to_string(), "2024-05-01T12:00:00Z");
//! ```

pub(crate) mod wire;

pub mod apps;
pub mod batch;
pub mod intstr;
pub mod meta;
pub mod node;
pub mod object;
pub mod pod;
pub mod pod_status;
pub mod preset;
pub mod quantity;
pub mod revision;
pub mod storage;

pub use apps::*;
pub use batch::*;
pub use intstr::{IntOrString, IntOrStringError};
pub use meta::*;
pub use node::*;
pub use object::*;
pub use pod::*;
pub use pod_status::*;
pub use preset::*;
pub use quantity::Quantity;
pub use revision::*;
pub use storage::*;
pub use wire::{Absent, AbsentKeys, Unmodelled};
