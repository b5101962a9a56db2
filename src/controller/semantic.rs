//! Upstream's `apiequality.Semantic.DeepEqual` over objects as the API
//! server writes them (JSON values): what controllers mean by "the same
//! template".
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/api/equality/semantic.go
//! (`Semantic`: quantities compared by value, times by instant) and
//! third_party/forked/golang/reflect/deep_equal.go (an empty slice or map
//! equals a nil one).
//!
//! On JSON the Go types are not at hand, so the rules are tables read off
//! the Go types (core/v1, apps/v1, batch/v1, meta/v1), keyed by the JSON
//! key the object sits under (a list's key for its items): a member that is
//! `null` or an empty array is absent (a nil pointer or slice); an empty
//! object is absent where the Go field is a map (`labels`, `annotations`,
//! `nodeSelector`, `matchLabels`, `volumeAttributes` and the resource
//! lists); a struct held by value (a container's `resources`, an object's
//! or template's `metadata` and `spec`, a workload's `strategy`) is absent
//! when all its members are, not where it is a pointer
//! (`securityContext: {}`, a pod's own `resources: {}`); `false`, `0` and
//! `""` are absent in the members that are Go values (`hostNetwork`,
//! `restartPolicy`, a container's `image`, an environment variable's
//! `value`, a toleration's `operator`, a probe's periods, ...); the values
//! of a resource list, an `emptyDir`'s `sizeLimit` and a downward API
//! `divisor` compare as quantities (`0.5` equals `500m`, `1` equals
//! `"1"`), and times by instant.
//!
//! Deviation: a claim template's `spec.resources` (a struct held by value
//! in Go) is taken for a pod spec's (a pointer): `{}` there is not absent.

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
/// list's key for its items: `containers` for a container, `env` for an
/// environment variable): `false`, `0` and `""` there decode as the zero
/// value, the same as absent (the API server drops them: `omitempty`).
/// Pointer members (`terminationGracePeriodSeconds`, `enableServiceLinks`,
/// a CSI source's `readOnly`, a container's `restartPolicy`, ...) are not
/// listed: their zero values are values. Read off the Go types of core/v1,
/// apps/v1, batch/v1 and meta/v1; a member whose name has another
/// pointer-ness under the same parent key elsewhere is left out.
const VALUE_MEMBERS: &[(&str, &[&str])] = &[
    ("metadata", &["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation"]),
    ("ownerReferences", &["apiVersion", "kind", "name", "uid"]),
    (
        // PodSpec, the workload specs and a claim template's spec.
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
            "minReadySeconds",
            "paused",
            "serviceName",
            "podManagementPolicy",
            "schedule",
            "concurrencyPolicy",
            "volumeName",
        ],
    ),
    ("containers", CONTAINER_VALUE_MEMBERS),
    ("initContainers", CONTAINER_VALUE_MEMBERS),
    ("ephemeralContainers", CONTAINER_VALUE_MEMBERS),
    ("claims", &["name", "request"]),
    ("ports", &["name", "hostPort", "containerPort", "protocol", "hostIP"]),
    ("env", &["name", "value"]),
    ("fieldRef", &["apiVersion", "fieldPath"]),
    ("resourceFieldRef", &["containerName", "resource"]),
    ("configMapKeyRef", &["name", "key"]),
    ("secretKeyRef", &["name", "key"]),
    ("fileKeyRef", &["volumeName", "path", "key"]),
    ("envFrom", &["prefix"]),
    ("configMapRef", &["name"]),
    ("secretRef", &["name"]),
    ("nodePublishSecretRef", &["name"]),
    ("imagePullSecrets", &["name"]),
    ("livenessProbe", PROBE_VALUE_MEMBERS),
    ("readinessProbe", PROBE_VALUE_MEMBERS),
    ("startupProbe", PROBE_VALUE_MEMBERS),
    ("httpGet", &["path", "host", "scheme"]),
    ("httpHeaders", &["name", "value"]),
    ("tcpSocket", &["host"]),
    ("grpc", &["port"]),
    ("sleep", &["seconds"]),
    ("resizePolicy", &["resourceName", "restartPolicy"]),
    ("restartPolicyRules", &["action"]),
    ("exitCodes", &["operator"]),
    ("volumeMounts", &["name", "mountPath", "readOnly", "subPath", "subPathExpr"]),
    ("volumeDevices", &["name", "devicePath"]),
    ("seLinuxOptions", &["user", "role", "type", "level"]),
    ("seccompProfile", &["type"]),
    ("appArmorProfile", &["type"]),
    ("sysctls", &["name", "value"]),
    ("tolerations", &["key", "operator", "value", "effect"]),
    ("preferredDuringSchedulingIgnoredDuringExecution", &["weight"]),
    ("requiredDuringSchedulingIgnoredDuringExecution", &["topologyKey"]),
    ("podAffinityTerm", &["topologyKey"]),
    ("matchExpressions", &["key", "operator"]),
    ("matchFields", &["key", "operator"]),
    ("topologySpreadConstraints", &["maxSkew", "topologyKey", "whenUnsatisfiable"]),
    ("hostAliases", &["ip"]),
    ("readinessGates", &["conditionType"]),
    ("schedulingGates", &["name"]),
    ("os", &["name"]),
    ("resourceClaims", &["name"]),
    ("volumes", &["name"]),
    ("emptyDir", &["medium"]),
    ("hostPath", &["path"]),
    ("secret", &["secretName", "name"]),
    ("configMap", &["name"]),
    ("items", &["key", "path"]),
    ("persistentVolumeClaim", &["claimName", "readOnly"]),
    ("serviceAccountToken", &["audience", "path"]),
    ("csi", &["driver"]),
    ("image", &["reference", "pullPolicy"]),
    ("nfs", &["server", "path", "readOnly"]),
    ("strategy", &["type"]),
    ("updateStrategy", &["type"]),
    ("persistentVolumeClaimRetentionPolicy", &["whenDeleted", "whenScaled"]),
    ("ordinals", &["start"]),
    ("rules", &["action"]),
    ("onExitCodes", &["operator"]),
    ("onPodConditions", &["type", "status"]),
    ("dataSource", &["kind", "name"]),
    ("dataSourceRef", &["kind", "name"]),
];

/// A container's Go value members: its name, strings (`image`, the
/// termination message settings, the pull policy, the working directory,
/// an ephemeral container's target) and booleans.
const CONTAINER_VALUE_MEMBERS: &[&str] = &[
    "name",
    "image",
    "imagePullPolicy",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "workingDir",
    "stdin",
    "stdinOnce",
    "tty",
    "targetContainerName",
];

/// A probe's thresholds and periods (Go `int32` values).
const PROBE_VALUE_MEMBERS: &[&str] =
    &["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"];

/// Members holding a quantity outside the resource lists: `sizeLimit` (a
/// pointer) and `divisor` (a value: zero equals absent).
const QUANTITY_MEMBERS: &[&str] = &["sizeLimit", "divisor"];

/// Members holding a time, compared by instant (metav1.Time's Semantic
/// rule, `a.UTC() == b.UTC()`).
const TIME_MEMBERS: &[&str] = &[
    "creationTimestamp",
    "deletionTimestamp",
    "lastTransitionTime",
    "lastProbeTime",
    "lastUpdateTime",
    "startTime",
    "completionTime",
    "startedAt",
    "finishedAt",
    "lastScheduleTime",
    "lastSuccessfulTime",
];

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
    typed_equal_under(None, a, b)
}

/// [`typed_equal`] for values found under `key` (a pod spec under `spec`,
/// tolerations under `tolerations`), whose members follow that key's rules.
pub(crate) fn typed_equal_at<T: PartialEq + serde::Serialize + ?Sized>(key: &str, a: &T, b: &T) -> bool {
    typed_equal_under(Some(key), a, b)
}

/// Equal as written, or once both are written out and compared under
/// `key`'s rules.
fn typed_equal_under<T: PartialEq + serde::Serialize + ?Sized>(key: Option<&str>, a: &T, b: &T) -> bool {
    a == b
        || match (serde_json::to_value(a), serde_json::to_value(b)) {
            (Ok(x), Ok(y)) => equal(&x, &y, key),
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
                } else if TIME_MEMBERS.contains(&k.as_str()) {
                    times_equal(p, q)
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

/// A member Go would decode to a nil pointer, slice or map, to a zero
/// value, or to a struct held by value with nothing set.
fn is_absent(v: &Value, key: &str, parent: Option<&str>) -> bool {
    match v {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) if MAP_KEYS.contains(&key) => map.is_empty(),
        Value::Object(map) => {
            is_struct_by_value(key, parent) && map.iter().all(|(k, v)| is_absent(v, k, Some(key)))
        }
        Value::Bool(false) => is_value_member(key, parent),
        // A quantity held by value is zero when it reads as 0.
        Value::String(s) if key == "divisor" => {
            s.is_empty() || quantity::parse(s).is_some_and(|q| q.value.is_zero())
        }
        Value::String(s) => s.is_empty() && is_value_member(key, parent),
        Value::Number(n) => n.as_f64() == Some(0.0) && (key == "divisor" || is_value_member(key, parent)),
        _ => false,
    }
}

fn is_value_member(key: &str, parent: Option<&str>) -> bool {
    parent.is_some_and(|p| VALUE_MEMBERS.iter().any(|(under, keys)| *under == p && keys.contains(&key)))
}

/// A struct Go holds by value, not through a pointer: with nothing set it
/// equals an absent one. A container's `resources` (the API server writes
/// `{}`); an object's, a template's or a claim template's `metadata`,
/// `spec` and `status`; a workload's `strategy` / `updateStrategy` and a
/// CronJob's `jobTemplate`; a weighted affinity term's term.
fn is_struct_by_value(key: &str, parent: Option<&str>) -> bool {
    match key {
        "resources" => parent.is_some_and(|p| CONTAINER_LISTS.contains(&p)),
        "metadata" | "spec" => parent.is_none_or(|p| {
            matches!(p, "template" | "jobTemplate" | "volumeClaimTemplates" | "volumeClaimTemplate")
        }),
        "status" => parent.is_none_or(|p| matches!(p, "volumeClaimTemplates" | "volumeClaimTemplate")),
        "strategy" | "updateStrategy" | "jobTemplate" => parent == Some("spec"),
        "preference" | "podAffinityTerm" => parent == Some("preferredDuringSchedulingIgnoredDuringExecution"),
        _ => false,
    }
}

/// Two times by instant; as written when either does not parse.
fn times_equal(a: &Value, b: &Value) -> bool {
    let instant = |v: &Value| v.as_str().and_then(|s| s.parse::<crate::api::Time>().ok());
    match (instant(a), instant(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
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

#[cfg(test)]
mod tests {
    use super::semantic_equal;
    use serde_json::json;

    // upstream: the forked reflect.DeepEqual over Go structs, where a value
    // member's zero equals its absence and a struct held by value with
    // nothing set equals an absent one (core/v1, apps/v1, batch/v1 types).
    #[test]
    fn go_values_and_structs_held_by_value() {
        let same = |a, b| assert!(semantic_equal(&a, &b), "{a} vs {b}");
        let differ = |a, b| assert!(!semantic_equal(&a, &b), "{a} vs {b}");
        let pod = |c: serde_json::Value| json!({"spec": {"containers": [c]}});
        same(
            pod(json!({"name": "c", "env": [{"name": "A", "value": ""}]})),
            pod(json!({"name": "c", "env": [{"name": "A"}]})),
        );
        same(pod(json!({"name": "c", "resources": {"limits": {}}})), pod(json!({"name": "c"})));
        same(
            pod(
                json!({"name": "c", "livenessProbe": {"initialDelaySeconds": 0, "exec": {"command": ["x"]}}}),
            ),
            pod(json!({"name": "c", "livenessProbe": {"exec": {"command": ["x"]}}})),
        );
        same(
            json!({"spec": {"tolerations": [{"operator": "", "key": "k"}]}}),
            json!({"spec": {"tolerations": [{"key": "k"}]}}),
        );
        same(json!({"spec": {"serviceName": "", "minReadySeconds": 0}}), json!({"spec": {}}));
        same(json!({"template": {"metadata": {"labels": {}}}}), json!({"template": {}}));
        same(json!({"spec": {"strategy": {"type": ""}}}), json!({"spec": {}}));
        // Pointers keep their zero values: a container's own restart
        // policy, a pod's termination grace, a security context.
        differ(pod(json!({"name": "c", "securityContext": {}})), pod(json!({"name": "c"})));
        differ(json!({"spec": {"terminationGracePeriodSeconds": 0}}), json!({"spec": {}}));
        // A map with an entry is not empty, whatever the entry.
        differ(json!({"metadata": {"labels": {"a": ""}}}), json!({"metadata": {}}));
    }

    // upstream: Semantic's equalities: quantities by value (a downward API
    // divisor is one, held by value, so 0 equals absent) and times by
    // instant.
    #[test]
    fn divisors_and_times() {
        let field = |d: serde_json::Value| json!({"env": [{"name": "A", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": d}}}]});
        assert!(semantic_equal(&field(json!("1000m")), &field(json!("1"))));
        assert!(semantic_equal(
            &field(json!("0")),
            &json!({"env": [{"name": "A", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}}]})
        ));
        assert!(!semantic_equal(&field(json!("1m")), &field(json!("1"))));
        assert!(semantic_equal(
            &json!({"metadata": {"creationTimestamp": "2024-01-01T00:00:00Z"}}),
            &json!({"metadata": {"creationTimestamp": "2024-01-01T01:00:00+01:00"}}),
        ));
    }
}
