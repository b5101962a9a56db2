//! Conversions between this crate's kinds and their
//! [k8s-openapi](https://docs.rs/k8s-openapi) counterparts (feature
//! `k8s-openapi`, generated for Kubernetes 1.35).
//!
//! Every conversion goes through the JSON wire form (`serde_json::Value`):
//! one side is written, the other reads it. So a conversion is exactly as
//! faithful as the two wire formats, and it never needs updating when
//! either side learns a field. Conversions are total: a value the other
//! side cannot read is an [`InteropError`], never a panic.
//!
//! | this crate | k8s-openapi |
//! | --- | --- |
//! | [`Pod`], [`PodTemplate`], [`ReplicationController`], [`Node`], [`PersistentVolumeClaim`] | `api::core::v1::{Pod, PodTemplate, ReplicationController, Node, PersistentVolumeClaim}` |
//! | [`ReplicaSet`], [`Deployment`], [`StatefulSet`], [`DaemonSet`], [`ControllerRevision`] | `api::apps::v1::…` of the same name |
//! | [`Job`], [`CronJob`] | `api::batch::v1::{Job, CronJob}` |
//! | [`PodPreset`] (`settings.k8s.io/v1alpha1`) | none: the API was removed in Kubernetes 1.20 and k8s-openapi does not generate it ([`InteropError::NoCounterpart`]) |
//! | [`Object`] | [`K8sObject`], one variant per kind above |
//!
//! Each typed struct implements [`K8sCounterpart`] (`to_k8s_openapi`,
//! `from_k8s_openapi`) and `TryFrom` in both directions, owned and by
//! reference; [`Object::to_k8s_openapi`] and [`Object::from_k8s_openapi`]
//! dispatch on the kind.
//!
//! # What is lost
//! **This crate → k8s-openapi.** This crate keeps a document as it was
//! written; k8s-openapi keeps what its Go-derived structs model. Through the
//! conversion:
//! - fields k8s-openapi does not model (fields of newer Kubernetes versions,
//!   removed fields, typos: this crate's `other` maps) are dropped;
//! - explicit `null`s of fields are dropped (`creationTimestamp: null`
//!   disappears); a `null` value inside a map of quantities (`limits: {cpu:
//!   null}`) has no k8s-openapi counterpart and fails the conversion;
//! - a required field that is missing or `null` gets its zero value (`""`,
//!   `0`, `false`, `[]`, `{}`): `metadata: {}` and `containers: []` appear,
//!   a container without a name gets `name: ""`;
//! - quantities written as numbers become strings (`cpu: 1` → `"1"`);
//! - embedded objects of a top-level kind get `apiVersion` and `kind`: each
//!   of a StatefulSet's `volumeClaimTemplates` gains `apiVersion: v1` and
//!   `kind: PersistentVolumeClaim`;
//! - times are written in UTC with whole seconds (`+02:00` → `Z`), as this
//!   crate's [`Time`](crate::api::Time) also does;
//! - `apiVersion` and `kind` are always written (this crate fills them in
//!   when an object lacks them, so a pod a controller built converts);
//! - a value k8s-openapi cannot hold (an `apiVersion` of another version, a
//!   number beyond an `int32` field, a wrongly shaped field) is an
//!   [`InteropError::ToK8sOpenapi`].
//!
//! **k8s-openapi → this crate.** Nothing is lost: this crate reads every key
//! k8s-openapi writes. The result carries `apiVersion` and `kind`, and the
//! zero values k8s-openapi writes for required fields.
//!
//! So `to_k8s_openapi` then `from_k8s_openapi` gives back the object
//! restricted to what k8s-openapi models, and `from_k8s_openapi` then
//! `to_k8s_openapi` gives back the k8s-openapi value unchanged.
//! `tests/k8s_openapi_diff.rs` checks both, and that the two crates read
//! every document of the shared corpus alike, listing each difference.
//!
//! ```
//! use k8s_openapi::api::batch::v1 as batch;
//! use kube_workloads::interop::K8sCounterpart;
//! use kube_workloads::{Job, Object};
//!
//! let doc = serde_json::json!({
//!     "apiVersion": "batch/v1", "kind": "Job",
//!     "metadata": {"name": "pi", "creationTimestamp": null},
//!     "spec": {
//!         "managedBy": "example.com/controller",
//!         "futureField": true,
//!         "template": {"spec": {"restartPolicy": "Never",
//!             "containers": [{"name": "pi", "image": "perl", "resources": {"limits": {"cpu": 1}}}]}}
//!     }
//! });
//! let job: Job = serde_json::from_value(doc).unwrap();
//!
//! // To k8s-openapi: unknown fields and nulls are dropped, quantities become strings.
//! let theirs: batch::Job = job.to_k8s_openapi().unwrap();
//! let spec = theirs.spec.as_ref().unwrap();
//! assert_eq!(spec.managed_by.as_deref(), Some("example.com/controller"));
//! let limits = spec.template.spec.as_ref().unwrap().containers[0].resources.as_ref().unwrap();
//! assert_eq!(limits.limits.as_ref().unwrap()["cpu"].0, "1");
//!
//! // And back: everything k8s-openapi wrote is kept.
//! let back = Job::from_k8s_openapi(&theirs).unwrap();
//! assert_eq!(back.spec.as_ref().unwrap().managed_by.as_deref(), Some("example.com/controller"));
//! assert!(back.spec.as_ref().unwrap().other.get("futureField").is_none());
//!
//! // The same through `Object` and `TryFrom`.
//! let obj = Object::from(back);
//! let k8s = obj.to_k8s_openapi().unwrap();
//! assert_eq!(k8s.kind(), "Job");
//! let again = Job::try_from(theirs).unwrap();
//! assert_eq!(Object::from_k8s_openapi(&k8s).unwrap(), Object::from(again));
//! ```

use ::k8s_openapi as k8s;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::{
    ControllerRevision, CronJob, DaemonSet, Deployment, Job, Node, Object, PersistentVolumeClaim, Pod,
    PodPreset, PodTemplate, ReplicaSet, ReplicationController, Resource, StatefulSet,
};

/// Why a conversion between this crate and k8s-openapi failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InteropError {
    /// The kind has no k8s-openapi type (PodPreset, removed in Kubernetes
    /// 1.20), or a document's `apiVersion` + `kind` names none.
    #[error("{kind} in {api_version} has no k8s-openapi counterpart")]
    NoCounterpart {
        /// The apiVersion of the object.
        api_version: String,
        /// The kind of the object.
        kind: String,
    },
    /// k8s-openapi cannot read what this crate wrote (a wrongly shaped
    /// field, a number too large for an `int32` field, another apiVersion).
    #[error("k8s-openapi cannot read this {kind}: {message}")]
    ToK8sOpenapi {
        /// The kind being converted.
        kind: String,
        /// What serde reported.
        message: String,
    },
    /// This crate cannot read what k8s-openapi wrote, or k8s-openapi could
    /// not write its value.
    #[error("cannot read k8s-openapi's {kind}: {message}")]
    FromK8sOpenapi {
        /// The kind being converted.
        kind: String,
        /// What serde reported.
        message: String,
    },
    /// A document handed to [`K8sObject::from_value`] that is not an object
    /// or lacks a string `apiVersion` or `kind`.
    #[error("document has no string apiVersion and kind")]
    MissingTypeMeta,
}

/// A kind of this crate with a k8s-openapi counterpart.
///
/// The provided methods convert through the JSON wire form; see the
/// [module docs](self) for what each direction keeps.
pub trait K8sCounterpart: Resource + Serialize + DeserializeOwned {
    /// The k8s-openapi type of the same kind.
    type K8s: k8s::Resource + Serialize + DeserializeOwned;

    /// This object as k8s-openapi's type. `apiVersion` and `kind` are filled
    /// in when missing.
    fn to_k8s_openapi(&self) -> Result<Self::K8s, InteropError> {
        let to_err = |e: serde_json::Error| InteropError::ToK8sOpenapi {
            kind: Self::KIND.to_owned(),
            message: e.to_string(),
        };
        let mut value = serde_json::to_value(self).map_err(to_err)?;
        fill_type_meta(&mut value, Self::API_VERSION, Self::KIND);
        serde_json::from_value(value).map_err(to_err)
    }

    /// k8s-openapi's object as this crate's type.
    fn from_k8s_openapi(value: &Self::K8s) -> Result<Self, InteropError> {
        let from_err = |e: serde_json::Error| InteropError::FromK8sOpenapi {
            kind: Self::KIND.to_owned(),
            message: e.to_string(),
        };
        let value = serde_json::to_value(value).map_err(from_err)?;
        serde_json::from_value(value).map_err(from_err)
    }
}

/// Sets `apiVersion` and `kind` where they are missing or null.
fn fill_type_meta(value: &mut Value, api_version: &str, kind: &str) {
    if let Value::Object(map) = value {
        for (key, v) in [("apiVersion", api_version), ("kind", kind)] {
            if map.get(key).is_none_or(Value::is_null) {
                map.insert(key.to_owned(), Value::String(v.to_owned()));
            }
        }
    }
}

macro_rules! counterparts {
    ($( $variant:ident => $k8s:ty ),* $(,)?) => {
        $(
            impl K8sCounterpart for $variant {
                type K8s = $k8s;
            }

            impl TryFrom<&$variant> for $k8s {
                type Error = InteropError;
                fn try_from(value: &$variant) -> Result<Self, InteropError> {
                    value.to_k8s_openapi()
                }
            }

            impl TryFrom<$variant> for $k8s {
                type Error = InteropError;
                fn try_from(value: $variant) -> Result<Self, InteropError> {
                    value.to_k8s_openapi()
                }
            }

            impl TryFrom<&$k8s> for $variant {
                type Error = InteropError;
                fn try_from(value: &$k8s) -> Result<Self, InteropError> {
                    $variant::from_k8s_openapi(value)
                }
            }

            impl TryFrom<$k8s> for $variant {
                type Error = InteropError;
                fn try_from(value: $k8s) -> Result<Self, InteropError> {
                    $variant::from_k8s_openapi(&value)
                }
            }
        )*

        /// A k8s-openapi object of a kind this crate knows: the counterpart
        /// of [`Object`] (every kind but PodPreset).
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum K8sObject {
            $(
                #[doc = concat!("k8s-openapi's `", stringify!($k8s), "`.")]
                $variant(Box<$k8s>),
            )*
        }

        impl K8sObject {
            /// The kind (`Pod`, `Job`...).
            pub fn kind(&self) -> &'static str {
                match self {
                    $(K8sObject::$variant(_) => <$k8s as k8s::Resource>::KIND,)*
                }
            }

            /// The apiVersion (`v1`, `batch/v1`...).
            pub fn api_version(&self) -> &'static str {
                match self {
                    $(K8sObject::$variant(_) => <$k8s as k8s::Resource>::API_VERSION,)*
                }
            }

            /// Reads a JSON document with k8s-openapi, dispatching on
            /// `apiVersion` and `kind` (the same kinds as [`Object`]).
            pub fn from_value(value: Value) -> Result<K8sObject, InteropError> {
                let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_owned);
                let (Some(api_version), Some(kind)) = (field("apiVersion"), field("kind")) else {
                    return Err(InteropError::MissingTypeMeta);
                };
                match (api_version.as_str(), kind.as_str()) {
                    $(
                        (<$k8s as k8s::Resource>::API_VERSION, <$k8s as k8s::Resource>::KIND) =>
                            serde_json::from_value::<$k8s>(value)
                                .map(|o| K8sObject::$variant(Box::new(o)))
                                .map_err(|e| InteropError::ToK8sOpenapi { kind, message: e.to_string() }),
                    )*
                    _ => Err(InteropError::NoCounterpart { api_version, kind }),
                }
            }

            /// Writes the object as k8s-openapi writes it.
            pub fn to_value(&self) -> Result<Value, InteropError> {
                let written = match self {
                    $(K8sObject::$variant(o) => serde_json::to_value(o),)*
                };
                written.map_err(|e| InteropError::FromK8sOpenapi {
                    kind: self.kind().to_owned(),
                    message: e.to_string(),
                })
            }
        }

        $(
            impl From<$k8s> for K8sObject {
                fn from(value: $k8s) -> K8sObject {
                    K8sObject::$variant(Box::new(value))
                }
            }
        )*

        impl Object {
            /// This object as k8s-openapi's type of the same kind; PodPreset
            /// has none ([`InteropError::NoCounterpart`]). See
            /// [`interop`](crate::interop) for what is lost.
            #[cfg_attr(docsrs, doc(cfg(feature = "k8s-openapi")))]
            pub fn to_k8s_openapi(&self) -> Result<K8sObject, InteropError> {
                match self {
                    $(Object::$variant(o) => o.to_k8s_openapi().map(|k| K8sObject::$variant(Box::new(k))),)*
                    Object::PodPreset(_) => Err(InteropError::NoCounterpart {
                        api_version: <PodPreset as Resource>::API_VERSION.to_owned(),
                        kind: <PodPreset as Resource>::KIND.to_owned(),
                    }),
                }
            }

            /// k8s-openapi's object as this crate's (nothing is lost).
            #[cfg_attr(docsrs, doc(cfg(feature = "k8s-openapi")))]
            pub fn from_k8s_openapi(value: &K8sObject) -> Result<Object, InteropError> {
                match value {
                    $(K8sObject::$variant(o) => $variant::from_k8s_openapi(o).map(Object::from),)*
                }
            }
        }
    };
}

counterparts! {
    Pod => k8s::api::core::v1::Pod,
    PodTemplate => k8s::api::core::v1::PodTemplate,
    ReplicationController => k8s::api::core::v1::ReplicationController,
    Node => k8s::api::core::v1::Node,
    PersistentVolumeClaim => k8s::api::core::v1::PersistentVolumeClaim,
    ReplicaSet => k8s::api::apps::v1::ReplicaSet,
    Deployment => k8s::api::apps::v1::Deployment,
    StatefulSet => k8s::api::apps::v1::StatefulSet,
    DaemonSet => k8s::api::apps::v1::DaemonSet,
    ControllerRevision => k8s::api::apps::v1::ControllerRevision,
    Job => k8s::api::batch::v1::Job,
    CronJob => k8s::api::batch::v1::CronJob,
}

impl TryFrom<&Object> for K8sObject {
    type Error = InteropError;
    fn try_from(value: &Object) -> Result<Self, InteropError> {
        value.to_k8s_openapi()
    }
}

impl TryFrom<Object> for K8sObject {
    type Error = InteropError;
    fn try_from(value: Object) -> Result<Self, InteropError> {
        value.to_k8s_openapi()
    }
}

impl TryFrom<&K8sObject> for Object {
    type Error = InteropError;
    fn try_from(value: &K8sObject) -> Result<Self, InteropError> {
        Object::from_k8s_openapi(value)
    }
}

impl TryFrom<K8sObject> for Object {
    type Error = InteropError;
    fn try_from(value: K8sObject) -> Result<Self, InteropError> {
        Object::from_k8s_openapi(&value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pod_preset_has_no_counterpart() -> Result<(), crate::api::ObjectError> {
        let preset = Object::from_value(json!({
            "apiVersion": "settings.k8s.io/v1alpha1", "kind": "PodPreset", "metadata": {"name": "p"}
        }))?;
        assert!(matches!(preset.to_k8s_openapi(), Err(InteropError::NoCounterpart { .. })));
        Ok(())
    }

    #[test]
    fn type_meta_is_filled_in_and_a_wrong_one_is_an_error() {
        let mut pod = Pod::default();
        let k = pod.to_k8s_openapi();
        assert!(k.is_ok(), "{k:?}");
        pod.api_version = Some("v2".into());
        assert!(matches!(pod.to_k8s_openapi(), Err(InteropError::ToK8sOpenapi { .. })));
    }

    #[test]
    fn too_large_for_int32_is_an_error_not_a_panic() {
        let doc = json!({"apiVersion": "batch/v1", "kind": "Job", "spec": {"parallelism": 1_i64 << 40}});
        let job: Result<Job, _> = serde_json::from_value(doc.clone());
        if let Ok(job) = job {
            assert!(matches!(job.to_k8s_openapi(), Err(InteropError::ToK8sOpenapi { .. })));
        }
        assert!(matches!(K8sObject::from_value(doc), Err(InteropError::ToK8sOpenapi { .. })));
        assert_eq!(K8sObject::from_value(json!([])), Err(InteropError::MissingTypeMeta));
        assert!(matches!(
            K8sObject::from_value(json!({"apiVersion": "v1", "kind": "Service"})),
            Err(InteropError::NoCounterpart { .. })
        ));
    }
}
