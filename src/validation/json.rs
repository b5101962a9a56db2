//! Typed reads of the pod-spec parts the wire types keep as JSON
//! (security contexts, pod affinity, topology spread constraints, DNS
//! config, host aliases, resource claims, `env[*].valueFrom`).
//!
//! The API server decodes these into typed structs before validating; a
//! value of the wrong JSON type fails decoding there. Here each reader
//! reports such a value as `Invalid` on the field's path (detail
//! `must be <type>`) and treats the field as absent, so the remaining
//! checks still run. A `null` is an absent field, as in Go.
//!
//! upstream: the Go types these parts decode into
//! (staging/src/k8s.io/api/core/v1/types.go: PodSecurityContext,
//! SecurityContext, Affinity, TopologySpreadConstraint, PodDNSConfig,
//! HostAlias, PodResourceClaim, EnvVarSource). Deviation: the wrong-type
//! report above, where the API server rejects the whole request as
//! undecodable.

use serde_json::{Map, Value};

use super::{BadValue, Errors, FieldError, FieldPath};

/// The object, or `None` (and an error when it is something else).
pub(crate) fn object<'a>(
    v: &'a Value,
    path: &FieldPath,
    errs: &mut Errors,
) -> Option<&'a Map<String, Value>> {
    match v {
        Value::Object(m) => Some(m),
        Value::Null => None,
        other => {
            errs.push(FieldError::invalid(path, BadValue::Json(other.clone()), "must be an object"));
            None
        }
    }
}

/// Whether a value is the zero value of a Go value-typed field (null,
/// false, empty, 0). Not for pointer, slice or map fields: Go decodes a
/// present `0`, `[]` or `{}` into a non-nil value there, which counts as
/// set (see the callers that tell the two apart).
pub(crate) fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
    }
}

/// The non-null member `key` of `m`.
pub(crate) fn member<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    m.get(key).filter(|v| !v.is_null())
}

/// Member `key` as an object.
pub(crate) fn obj<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    path: &FieldPath,
    errs: &mut Errors,
) -> Option<&'a Map<String, Value>> {
    member(m, key).and_then(|v| object(v, &path.child(key), errs))
}

/// Member `key` as a string.
pub(crate) fn string<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    path: &FieldPath,
    errs: &mut Errors,
) -> Option<&'a str> {
    match member(m, key)? {
        Value::String(s) => Some(s.as_str()),
        other => {
            errs.push(FieldError::invalid(
                &path.child(key),
                BadValue::Json(other.clone()),
                "must be a string",
            ));
            None
        }
    }
}

/// Member `key` as a string, `""` when absent (Go's zero value).
pub(crate) fn string_or_empty<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    path: &FieldPath,
    errs: &mut Errors,
) -> &'a str {
    string(m, key, path, errs).unwrap_or("")
}

/// Member `key` as an integer.
pub(crate) fn int(m: &Map<String, Value>, key: &str, path: &FieldPath, errs: &mut Errors) -> Option<i64> {
    let v = member(m, key)?;
    match v.as_i64() {
        Some(n) => Some(n),
        None => {
            errs.push(FieldError::invalid(&path.child(key), BadValue::Json(v.clone()), "must be an integer"));
            None
        }
    }
}

/// Member `key` as a boolean.
pub(crate) fn boolean(
    m: &Map<String, Value>,
    key: &str,
    path: &FieldPath,
    errs: &mut Errors,
) -> Option<bool> {
    let v = member(m, key)?;
    match v.as_bool() {
        Some(b) => Some(b),
        None => {
            errs.push(FieldError::invalid(&path.child(key), BadValue::Json(v.clone()), "must be a boolean"));
            None
        }
    }
}

/// Member `key` as a list (empty when absent).
pub(crate) fn list<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    path: &FieldPath,
    errs: &mut Errors,
) -> &'a [Value] {
    match member(m, key) {
        None => &[],
        Some(Value::Array(a)) => a.as_slice(),
        Some(other) => {
            errs.push(FieldError::invalid(&path.child(key), BadValue::Json(other.clone()), "must be a list"));
            &[]
        }
    }
}

/// Member `key` as a list of strings; entries of another type are
/// reported and skipped. `None` when the member is absent.
pub(crate) fn strings<'a>(
    m: &'a Map<String, Value>,
    key: &str,
    path: &FieldPath,
    errs: &mut Errors,
) -> Option<Vec<&'a str>> {
    member(m, key)?;
    let p = path.child(key);
    let mut out = Vec::new();
    for (i, v) in list(m, key, path, errs).iter().enumerate() {
        match v {
            Value::String(s) => out.push(s.as_str()),
            other => {
                errs.push(FieldError::invalid(&p.index(i), BadValue::Json(other.clone()), "must be a string"))
            }
        }
    }
    Some(out)
}

/// A JSON value as a label selector, or `None` (and an error) when it
/// does not decode as one.
pub(crate) fn label_selector(
    v: &Value,
    path: &FieldPath,
    errs: &mut Errors,
) -> Option<crate::api::LabelSelector> {
    if v.is_null() {
        return None;
    }
    match serde_json::from_value::<crate::api::LabelSelector>(v.clone()) {
        Ok(s) => Some(s),
        Err(e) => {
            errs.push(FieldError::invalid(
                path,
                BadValue::Json(v.clone()),
                &format!("must be a label selector: {e}"),
            ));
            None
        }
    }
}
