//! Upstream's `apiequality.Semantic.DeepEqual` over objects as the API
//! server writes them (JSON values): what controllers mean by "the same
//! template".
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/api/equality/semantic.go
//! (`Semantic`: quantities compared by value, times by instant) and
//! third_party/forked/golang/reflect/deep_equal.go (an empty slice or map
//! equals a nil one).
//!
//! On JSON the Go types are not at hand, so the rules are read off the
//! shape and a few known places: a member that is `null` or an empty array
//! is absent (a nil pointer or slice); an empty object is absent where the
//! Go field is a map (`labels`, `annotations`, `nodeSelector`,
//! `matchLabels`, `volumeAttributes` and the resource lists) or a struct
//! held by value (a container's `resources`, which the API server writes
//! as `{}`; a template's `metadata` and `spec`, at the top or under
//! `template` / `jobTemplate`), not where it is a pointer
//! (`securityContext: {}`, a pod's own `resources: {}`); `false`, `0` and
//! `""` are absent in the members known to be Go values (`hostNetwork`,
//! `restartPolicy`, a container's `image` and `tty`, a port's `hostPort`,
//! a mount's `readOnly`, ...); and
//! the values of a resource list, and an `emptyDir`'s `sizeLimit`, compare
//! as quantities (`0.5` equals `500m`, `1` equals `"1"`).

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::validation::quantity;

/// Keys whose object is a Go map: empty equals absent.
const MAP_KEYS: &[&str] = &[
    "labels",
    "annotations",
    "nodeSelector",
    "matchLabels",
    "volumeAttributes",
    "limits",
    "requests",
    "overhead",
];

/// Lists of containers, whose `resources` is a struct held by value.
const CONTAINER_LISTS: &[&str] = &["containers", "initContainers", "ephemeralContainers"];

/// Keys whose object maps resource names to quantities.
const QUANTITY_MAPS: &[&str] = &["limits", "requests", "overhead"];

/// Members that are Go values, not pointers, under their parent key (a
/// container list's key for a container): `false`, `0` and `""` there
/// decode as the zero value, the same as absent (the API server drops
/// them: `omitempty`). Pointer members (`terminationGracePeriodSeconds`,
/// `enableServiceLinks`, a CSI source's `readOnly`, ...) are not listed:
/// their zero values are values.
const VALUE_MEMBERS: &[(&str, &[&str])] = &[
    (
        "spec",
        &[
            "hostNetwork",
            "hostPID",
            "hostIPC",
            "nodeName",
            "serviceAccountName",
            "serviceAccount",
            "hostname",
            "subdomain",
            "priorityClassName",
            "restartPolicy",
            "dnsPolicy",
            "schedulerName",
        ],
    ),
    ("containers", CONTAINER_VALUE_MEMBERS),
    ("initContainers", CONTAINER_VALUE_MEMBERS),
    ("ports", &["hostPort", "hostIP", "name"]),
    ("volumeMounts", &["readOnly", "subPath", "subPathExpr"]),
    ("persistentVolumeClaim", &["readOnly"]),
    ("emptyDir", &["medium"]),
];

/// A container's Go value members: its strings (`image`, the
/// termination message settings, the pull policy, the working directory)
/// and booleans.
const CONTAINER_VALUE_MEMBERS: &[&str] = &[
    "image",
    "imagePullPolicy",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "workingDir",
    "stdin",
    "stdinOnce",
    "tty",
];

/// Members holding a quantity outside the resource lists.
const QUANTITY_MEMBERS: &[&str] = &["sizeLimit"];

/// Whether `a` and `b` are equal as `Semantic.DeepEqual` would find the Go
/// objects they encode.
///
/// ```
/// use kube_workloads::controller::semantic_equal;
/// let a = serde_json::json!({"containers": [{"name": "c", "args": [],
///     "resources": {"requests": {"cpu": "0.5"}}}]});
/// let b = serde_json::json!({"containers": [{"name": "c",
///     "resources": {"requests": {"cpu": "500m"}, "limits": {}}}]});
/// assert!(semantic_equal(&a, &b));
/// let c = serde_json::json!({"containers": [{"name": "c", "securityContext": {}}]});
/// let d = serde_json::json!({"containers": [{"name": "c"}]});
/// assert!(!semantic_equal(&c, &d));
/// let e = serde_json::json!({"containers": [{"name": "c", "resources": {}}]});
/// assert!(semantic_equal(&e, &d));
/// ```
pub fn semantic_equal(a: &Value, b: &Value) -> bool {
    equal(a, b, None)
}

/// [`semantic_equal`] over typed values, as ValidateImmutableField and the
/// StatefulSet spec comparison use `Semantic.DeepEqual`: equal as written,
/// or once both are written out.
pub(crate) fn typed_equal<T: PartialEq + serde::Serialize + ?Sized>(a: &T, b: &T) -> bool {
    a == b
        || match (serde_json::to_value(a), serde_json::to_value(b)) {
            (Ok(x), Ok(y)) => semantic_equal(&x, &y),
            _ => false,
        }
}

fn equal(a: &Value, b: &Value, key: Option<&str>) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => objects_equal(x, y, key),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q, key))
        }
        _ => a == b,
    }
}

fn objects_equal(x: &Map<String, Value>, y: &Map<String, Value>, key: Option<&str>) -> bool {
    let quantities = key.is_some_and(|k| QUANTITY_MAPS.contains(&k));
    let keys = x.keys().chain(y.keys().filter(|k| !x.contains_key(*k)));
    for k in keys {
        match (present(x, k, key), present(y, k, key)) {
            (None, None) => {}
            (Some(p), Some(q)) => {
                let same = if quantities || QUANTITY_MEMBERS.contains(&k.as_str()) {
                    quantities_equal(p, q)
                } else {
                    equal(p, q, Some(k))
                };
                if !same {
                    return false;
                }
            }
            _ => return false,
        }
    }
    true
}

/// The member `k` of `m` (itself under `parent`) unless Go would decode
/// it to a zero value.
fn present<'m>(m: &'m Map<String, Value>, k: &str, parent: Option<&str>) -> Option<&'m Value> {
    m.get(k).filter(|v| !is_absent(v, k, parent))
}

/// A member Go would decode to a nil pointer, slice or map, or to a struct
/// held by value with nothing set.
fn is_absent(v: &Value, key: &str, parent: Option<&str>) -> bool {
    match v {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty() && is_zero_when_empty(key, parent),
        Value::Bool(false) => is_value_member(key, parent),
        Value::String(s) => s.is_empty() && is_value_member(key, parent),
        Value::Number(n) => n.as_f64() == Some(0.0) && is_value_member(key, parent),
        _ => false,
    }
}

fn is_value_member(key: &str, parent: Option<&str>) -> bool {
    parent.is_some_and(|p| VALUE_MEMBERS.iter().any(|(under, keys)| *under == p && keys.contains(&key)))
}

fn is_zero_when_empty(key: &str, parent: Option<&str>) -> bool {
    MAP_KEYS.contains(&key)
        || (key == "resources" && parent.is_some_and(|p| CONTAINER_LISTS.contains(&p)))
        || (parent.is_none_or(|p| matches!(p, "template" | "jobTemplate"))
            && matches!(key, "metadata" | "spec"))
}

/// Two quantities (strings or numbers) by value; as written when either
/// does not parse.
fn quantities_equal(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match (text(a).as_deref().and_then(quantity::parse), text(b).as_deref().and_then(quantity::parse)) {
        (Some(p), Some(q)) => p.value.cmp_exact(q.value) == Ordering::Equal,
        _ => a == b,
    }
}
