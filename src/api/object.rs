//! `Object`: one enum over every kind this crate knows, dispatched on
//! `apiVersion` + `kind`, and `ObjectRef`, a typed pointer to one object.
//!
//! upstream counterpart: the API machinery's scheme and universal
//! deserializer (staging/src/k8s.io/apimachinery/pkg/runtime/scheme.go,
//! pkg/runtime/serializer/codec_factory.go), which map a document's
//! group/version/kind to a Go type; kubectl's `List` handling
//! (staging/src/k8s.io/cli-runtime/pkg/resource/visitor.go) for
//! [`unwrap_list`].
//!
//! Deviations: one apiVersion per kind (the current one); removed versions
//! (`extensions/v1beta1`, `apps/v1beta1`, `batch/v1beta1`) and every kind
//! not listed in [`Object::KINDS`] are [`ObjectError::UnknownKind`], with no
//! conversion between versions.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::apps::{DaemonSet, Deployment, ReplicaSet, ReplicationController, StatefulSet};
use super::batch::{CronJob, Job};
use super::meta::ObjectMeta;
use super::node::Node;
use super::pod::{Pod, PodTemplate};
use super::preset::PodPreset;
use super::revision::ControllerRevision;
use super::storage::PersistentVolumeClaim;

/// A top-level kind of the API: its group/version and kind, and its metadata.
pub trait Resource {
    /// The `apiVersion` this crate speaks for the kind (`apps/v1`).
    const API_VERSION: &'static str;
    /// The `kind` (`Deployment`).
    const KIND: &'static str;
    /// The object's metadata.
    fn metadata(&self) -> &ObjectMeta;
    /// The object's metadata, mutably.
    fn metadata_mut(&mut self) -> &mut ObjectMeta;
    /// Sets `apiVersion` and `kind` when they are missing.
    fn fill_type_meta(&mut self);

    /// A reference to this object.
    fn object_ref(&self) -> ObjectRef {
        let meta = self.metadata();
        ObjectRef {
            api_version: Cow::Borrowed(Self::API_VERSION),
            kind: Cow::Borrowed(Self::KIND),
            namespace: meta.namespace.clone(),
            name: meta.name().to_owned(),
            uid: meta.uid.clone(),
        }
    }
}

macro_rules! kinds {
    ($( $variant:ident => $api_version:literal ),* $(,)?) => {
        $(
            impl Resource for $variant {
                const API_VERSION: &'static str = $api_version;
                const KIND: &'static str = stringify!($variant);
                fn metadata(&self) -> &ObjectMeta {
                    &self.metadata
                }
                fn metadata_mut(&mut self) -> &mut ObjectMeta {
                    &mut self.metadata
                }
                fn fill_type_meta(&mut self) {
                    if self.api_version.is_none() {
                        self.api_version = Some($api_version.to_owned());
                    }
                    if self.kind.is_none() {
                        self.kind = Some(stringify!($variant).to_owned());
                    }
                }
            }

            impl From<$variant> for Object {
                /// The variant says what the object is: its `apiVersion`
                /// and `kind` are set to the type's, whatever they held.
                fn from(mut v: $variant) -> Object {
                    v.api_version = Some($api_version.to_owned());
                    v.kind = Some(stringify!($variant).to_owned());
                    Object::$variant(Box::new(v))
                }
            }
        )*

        /// Any object of a kind this crate knows.
        ///
        /// Read one with [`Object::from_value`] (or serde, which calls it);
        /// documents of other kinds give [`ObjectError::UnknownKind`], which a
        /// reader of multi-kind manifests can skip.
        ///
        /// ```
        /// use kube_workloads::Object;
        /// let doc = serde_json::json!({
        ///     "apiVersion": "v1", "kind": "Pod",
        ///     "metadata": {"name": "web"},
        ///     "spec": {"containers": [{"name": "c", "image": "nginx"}]}
        /// });
        /// let obj = Object::from_value(doc.clone()).unwrap();
        /// assert_eq!(obj.kind(), "Pod");
        /// assert_eq!(obj.to_value(), doc); // lossless
        /// ```
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Object {
            $(
                #[doc = concat!("A ", stringify!($variant), " (`", $api_version, "`).")]
                $variant(Box<$variant>),
            )*
        }

        impl Object {
            /// Every (apiVersion, kind) this crate reads.
            pub const KINDS: &'static [(&'static str, &'static str)] =
                &[$(($api_version, stringify!($variant))),*];

            /// The kind (`Pod`, `Deployment`...).
            pub fn kind(&self) -> &'static str {
                match self {
                    $(Object::$variant(_) => stringify!($variant),)*
                }
            }

            /// The apiVersion this crate speaks for the kind.
            pub fn api_version(&self) -> &'static str {
                match self {
                    $(Object::$variant(_) => $api_version,)*
                }
            }

            /// The object's metadata.
            pub fn metadata(&self) -> &ObjectMeta {
                match self {
                    $(Object::$variant(o) => &o.metadata,)*
                }
            }

            /// The object's metadata, mutably.
            pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
                match self {
                    $(Object::$variant(o) => &mut o.metadata,)*
                }
            }

            /// A reference to the object.
            pub fn object_ref(&self) -> ObjectRef {
                match self {
                    $(Object::$variant(o) => o.object_ref(),)*
                }
            }

            /// Reads one object from a JSON value, dispatching on `apiVersion`
            /// and `kind`.
            pub fn from_value(value: Value) -> Result<Object, ObjectError> {
                let (api_version, kind) = type_meta(&value)?;
                match (api_version.as_str(), kind.as_str()) {
                    $(
                        ($api_version, stringify!($variant)) => serde_json::from_value::<$variant>(value)
                            .map(|o| Object::$variant(Box::new(o)))
                            .map_err(|e| ObjectError::Malformed { kind, message: e.to_string() }),
                    )*
                    _ => Err(ObjectError::UnknownKind { api_version, kind }),
                }
            }

            /// Writes the object as a JSON value.
            pub fn to_value(&self) -> Value {
                let written = match self {
                    $(Object::$variant(o) => serde_json::to_value(o),)*
                };
                // The types serialize to maps with string keys only, which
                // cannot fail; the fallback keeps this function total.
                written.unwrap_or(Value::Null)
            }
        }

        impl Serialize for Object {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    $(Object::$variant(o) => o.serialize(serializer),)*
                }
            }
        }
    };
}

kinds! {
    Pod => "v1",
    PodTemplate => "v1",
    ReplicationController => "v1",
    Node => "v1",
    PersistentVolumeClaim => "v1",
    ReplicaSet => "apps/v1",
    Deployment => "apps/v1",
    StatefulSet => "apps/v1",
    DaemonSet => "apps/v1",
    ControllerRevision => "apps/v1",
    Job => "batch/v1",
    CronJob => "batch/v1",
    PodPreset => "settings.k8s.io/v1alpha1",
}

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Object::from_value(value).map_err(serde::de::Error::custom)
    }
}

fn type_meta(value: &Value) -> Result<(String, String), ObjectError> {
    let map = value.as_object().ok_or(ObjectError::NotAnObject)?;
    let field = |name: &'static str| -> Result<String, ObjectError> {
        match map.get(name) {
            Some(Value::String(s)) => Ok(s.clone()),
            _ => Err(ObjectError::MissingTypeMeta(name)),
        }
    };
    Ok((field("apiVersion")?, field("kind")?))
}

/// Why a document could not be read as an [`Object`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ObjectError {
    /// The document is not a JSON object (a list, a string, null...).
    #[error("document is not an object")]
    NotAnObject,
    /// `apiVersion` or `kind` is missing or not a string.
    #[error("document has no string {0:?}")]
    MissingTypeMeta(&'static str),
    /// A kind this crate does not model (Service, ConfigMap, a removed API
    /// version such as `extensions/v1beta1`...). Not an error in the
    /// document; a reader of mixed manifests skips these.
    #[error("unknown kind {kind} in {api_version}")]
    UnknownKind {
        /// The document's apiVersion.
        api_version: String,
        /// The document's kind.
        kind: String,
    },
    /// A known kind whose fields have the wrong shape (a string where a
    /// number belongs, a malformed time...).
    #[error("malformed {kind}: {message}")]
    Malformed {
        /// The kind that was being read.
        kind: String,
        /// What serde reported.
        message: String,
    },
}

/// Splits a document into the objects it holds, as kubectl reads a
/// manifest: a document with `items` is a list (`kind: List`, or a typed
/// list such as `PodList`) and gives its items, recursively; an item with
/// neither `kind` nor `apiVersion` gets the list's apiVersion and its kind
/// without the `List` suffix (upstream: unstructuredJSONScheme's
/// decodeToList, for the typed lists the API server returns). Anything
/// else is itself. `null` documents (an empty YAML document) and `null`
/// items give nothing.
pub fn unwrap_list(value: Value) -> Vec<Value> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Null => {}
            Value::Object(mut map) if map.contains_key("items") => {
                let api_version = map.get("apiVersion").cloned();
                let item_kind = map
                    .get("kind")
                    .and_then(Value::as_str)
                    .map(|k| Value::String(k.strip_suffix("List").unwrap_or(k).to_owned()));
                if let Some(Value::Array(items)) = map.remove("items") {
                    stack.extend(items.into_iter().rev().map(|mut item| {
                        let unset = |m: &Map<String, Value>, k: &str| {
                            m.get(k).and_then(Value::as_str).is_none_or(str::is_empty)
                        };
                        if let Value::Object(m) = &mut item
                            && unset(m, "kind")
                            && unset(m, "apiVersion")
                        {
                            if let Some(kind) = &item_kind {
                                m.insert("kind".to_owned(), kind.clone());
                            }
                            if let Some(v) = &api_version {
                                m.insert("apiVersion".to_owned(), v.clone());
                            }
                        }
                        item
                    }));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A typed pointer to one object: what an
/// [`Action`](crate::controller::Action) acts on when it
/// does not carry the whole object.
///
/// Displays as `Kind namespace/name` (`Pod default/web-0`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    /// apiVersion of the target. A `Cow` because it is almost always one of
    /// the crate's constants: a reconcile that deletes 500 pods then makes
    /// 500 fewer allocations for each of `apiVersion` and `kind`.
    pub api_version: Cow<'static, str>,
    /// Kind of the target (a `Cow` for the same reason).
    pub kind: Cow<'static, str>,
    /// Namespace; `None` for cluster-scoped kinds such as Node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Name of the target.
    pub name: String,
    /// UID, when known: a precondition so an action never hits a newer
    /// object that reused the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {}/{}", self.kind, ns, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

#[cfg(test)]
mod list_tests {
    use super::{Object, unwrap_list};
    use serde_json::json;

    // upstream: unstructuredJSONScheme.decode reads any document with
    // `items` as a list; decodeToList gives an item with neither kind nor
    // apiVersion the list's apiVersion and its kind less `List`.
    #[test]
    fn typed_lists_give_their_items() {
        let list = json!({"apiVersion": "v1", "kind": "PodList", "items": [
            {"metadata": {"name": "a"}},
            {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}},
            {"apiVersion": "", "kind": null, "metadata": {"name": "e"}},
            null,
            {"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "c"}}]}
        ]});
        let items = unwrap_list(list);
        let names: Vec<(&str, &str)> = items
            .iter()
            .map(|i| (i["kind"].as_str().unwrap_or(""), i["metadata"]["name"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(names, [("Pod", "a"), ("Pod", "b"), ("Pod", "e"), ("Deployment", "c")]);
        assert_eq!(items[0]["apiVersion"], "v1");
        assert!(Object::from_value(items[0].clone()).is_ok());
    }

    // The variant decides the type meta an object converts with.
    #[test]
    fn conversion_sets_the_type_meta() {
        let d =
            crate::api::Deployment { api_version: Some("extensions/v1beta1".into()), ..Default::default() };
        let o = Object::from(d);
        assert_eq!(o.to_value()["apiVersion"], "apps/v1");
        assert!(Object::from_value(o.to_value()).is_ok());
    }
}
