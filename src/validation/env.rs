//! The contents of `env[*].valueFrom` and ConfigMap / Secret key
//! references.
//!
//! upstream: pkg/apis/core/validation/validation.go — validateEnvVarValueFrom,
//! validateObjectFieldSelector, validateContainerResourceFieldSelector,
//! validateContainerResourceDivisor, validateConfigMapKeySelector,
//! validateSecretKeySelector; pkg/apis/core/pods/helpers.go
//! ConvertDownwardAPIFieldLabel; pkg/fieldpath SplitMaybeSubscriptedPath;
//! apimachinery util/validation IsConfigMapKey.

use serde_json::{Map, Value};

use super::json;
use super::meta::{self, NameRule};
use super::quantity;
use super::strings;
use super::{BadValue, Errors, FieldError, FieldPath};

/// Field paths an environment variable may read (upstream:
/// validEnvDownwardAPIFieldPathExpressions, listed sorted as upstream prints
/// them).
const ENV_FIELD_PATHS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// Field paths the downward API converts for pods (upstream:
/// ConvertDownwardAPIFieldLabel).
const CONVERTIBLE_FIELD_PATHS: &[&str] = &[
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.serviceAccountName",
    "spec.schedulerName",
    "status.phase",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// Container resources an environment variable may read (upstream:
/// validContainerResourceFieldPathExpressions, sorted).
const RESOURCE_FIELD_PATHS: &[&str] = &[
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
];

/// `path['subscript']` split in two (upstream: fieldpath.SplitMaybeSubscriptedPath).
pub(crate) fn split_subscripted(field_path: &str) -> Option<(&str, &str)> {
    let inner = field_path.strip_suffix("']")?;
    let (path, subscript) = inner.split_once("['")?;
    if path.is_empty() { None } else { Some((path, subscript)) }
}

/// upstream: validateEnvVarValueFrom. `value` is the variable's literal
/// value; `env_files` is AllowEnvFilesValidation (without it the API
/// server has dropped `fileKeyRef`).
pub(crate) fn value_from(from: &Value, value: &str, env_files: bool, path: &FieldPath, errs: &mut Errors) {
    let Some(from) = json::object(from, path, errs) else { return };
    let mut sources = 0usize;
    if let Some(fr) = json::obj(from, "fieldRef", path, errs) {
        sources = sources.saturating_add(1);
        object_field_selector(fr, ENV_FIELD_PATHS, &path.child("fieldRef"), errs);
    }
    if let Some(rf) = json::obj(from, "resourceFieldRef", path, errs) {
        sources = sources.saturating_add(1);
        resource_field_selector(rf, false, &path.child("resourceFieldRef"), errs);
    }
    if let Some(cm) = json::obj(from, "configMapKeyRef", path, errs) {
        sources = sources.saturating_add(1);
        key_selector(cm, &path.child("configMapKeyRef"), errs);
    }
    if let Some(s) = json::obj(from, "secretKeyRef", path, errs) {
        sources = sources.saturating_add(1);
        key_selector(s, &path.child("secretKeyRef"), errs);
    }
    if env_files && let Some(f) = json::obj(from, "fileKeyRef", path, errs) {
        sources = sources.saturating_add(1);
        file_key_selector(f, &path.child("fileKeyRef"), errs);
    }
    if sources == 0 {
        let message = if env_files {
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`"
        } else {
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
        };
        errs.push(FieldError::invalid(path, "", message));
    } else if !value.is_empty() {
        errs.push(FieldError::invalid(path, "", "may not be specified when `value` is not empty"));
    } else if sources > 1 {
        errs.push(FieldError::invalid(path, "", "may not have more than one field specified at a time"));
    }
}

/// upstream: validateFileKeySelector: the key is a (relaxed) environment
/// variable name, the volume a DNS-1123 label, the path without `..`
/// (absolute paths pass); `optional` is not checked.
fn file_key_selector(m: &Map<String, Value>, path: &FieldPath, errs: &mut Errors) {
    for (field, check) in [
        ("key", strings::relaxed_env_var_name as fn(&str) -> Vec<String>),
        ("volumeName", strings::dns1123_label),
    ] {
        let v = json::string_or_empty(m, field, path, errs);
        if v.is_empty() {
            errs.push(FieldError::required(&path.child(field), ""));
        } else {
            for msg in check(v) {
                errs.push(FieldError::invalid(&path.child(field), v, &msg));
            }
        }
    }
    let p = json::string_or_empty(m, "path", path, errs);
    if p.is_empty() {
        errs.push(FieldError::required(&path.child("path"), ""));
    } else if p.split('/').any(|part| part == "..") {
        errs.push(FieldError::invalid(&path.child("path"), p, "must not contain '..'"));
    }
}

/// upstream: validateFileKeyRefVolumes, the last check of ValidatePodSpec:
/// the volume a `fileKeyRef` names exists (the last of a repeated name
/// counts) and is an `emptyDir`. Init containers, then containers, then
/// ephemeral containers.
pub(crate) fn file_key_ref_volumes(spec: &crate::api::PodSpec, path: &FieldPath, errs: &mut Errors) {
    let volume = |name: &str| spec.volumes().iter().rev().find(|v| v.name == name);
    let check = |env: &[crate::api::EnvVar], container: FieldPath, errs: &mut Errors| {
        for (j, var) in env.iter().enumerate() {
            let Some(name) = var
                .value_from
                .as_ref()
                .and_then(|f| f.get("fileKeyRef"))
                .filter(|f| !f.is_null())
                .map(|f| f.get("volumeName").and_then(Value::as_str).unwrap_or(""))
            else {
                continue;
            };
            let p =
                container.child("env").index(j).child("valueFrom").child("fileKeyRef").child("volumeName");
            match volume(name) {
                None => errs.push(FieldError::not_found(&p, name)),
                Some(v) if v.empty_dir.is_none() => {
                    errs.push(FieldError::invalid(&p, name, "referenced volume must be of type emptyDir"));
                }
                Some(_) => {}
            }
        }
    };
    for (key, list) in
        [("initContainers", spec.init_containers()), ("containers", spec.containers.as_slice())]
    {
        for (i, c) in list.iter().enumerate() {
            check(c.env(), path.child(key).index(i), errs);
        }
    }
    for (i, raw) in spec.ephemeral_containers.iter().flatten().enumerate() {
        let env: Vec<crate::api::EnvVar> =
            raw.get("env").and_then(|e| serde_json::from_value(e.clone()).ok()).unwrap_or_default();
        check(&env, path.child("ephemeralContainers").index(i), errs);
    }
}

/// upstream: validateObjectFieldSelector, with the field paths `allowed`
/// (the environment's or a volume file's).
pub(crate) fn object_field_selector(
    fs: &Map<String, Value>,
    allowed: &[&str],
    path: &FieldPath,
    errs: &mut Errors,
) {
    let api_version = json::string_or_empty(fs, "apiVersion", path, errs);
    if api_version.is_empty() {
        errs.push(FieldError::required(&path.child("apiVersion"), ""));
        return;
    }
    let field_path = json::string_or_empty(fs, "fieldPath", path, errs);
    if field_path.is_empty() {
        errs.push(FieldError::required(&path.child("fieldPath"), ""));
        return;
    }
    let fp = path.child("fieldPath");
    let conversion_error = |msg: String, errs: &mut Errors| {
        errs.push(FieldError::invalid(&fp, field_path, &format!("error converting fieldPath: {msg}")));
    };
    if api_version != "v1" {
        conversion_error(format!("unsupported pod version: {api_version}"), errs);
        return;
    }
    if let Some((base, subscript)) = split_subscripted(field_path) {
        match base {
            "metadata.annotations" => {
                let key = crate::text::go_to_lower(subscript);
                for msg in strings::qualified_name(&key) {
                    errs.push(FieldError::invalid(path, key.as_str(), &msg));
                }
            }
            "metadata.labels" => {
                for msg in strings::qualified_name(subscript) {
                    errs.push(FieldError::invalid(path, subscript, &msg));
                }
            }
            _ => conversion_error(format!("field label does not support subscript: {field_path}"), errs),
        }
        return;
    }
    // `spec.host` is the old name of `spec.nodeName`.
    let internal = if field_path == "spec.host" { "spec.nodeName" } else { field_path };
    if !CONVERTIBLE_FIELD_PATHS.contains(&internal) {
        conversion_error(format!("field label not supported: {field_path}"), errs);
        return;
    }
    if !allowed.contains(&internal) {
        errs.push(FieldError::not_supported_string(&fp, internal, allowed));
    }
}

/// upstream: validateContainerResourceFieldSelector (`volume`: a downward
/// API volume file, which must name its container) and
/// validateContainerResourceDivisor.
pub(crate) fn resource_field_selector(
    rf: &Map<String, Value>,
    volume: bool,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let resource = json::string_or_empty(rf, "resource", path, errs);
    // A volume file names its container; without one the resource is not
    // looked at, but the divisor still is.
    if volume && json::string_or_empty(rf, "containerName", path, errs).is_empty() {
        errs.push(FieldError::required(&path.child("containerName"), ""));
    } else if resource.is_empty() {
        errs.push(FieldError::required(&path.child("resource"), ""));
    } else if !RESOURCE_FIELD_PATHS.contains(&resource)
        && !resource.starts_with("requests.hugepages-")
        && !resource.starts_with("limits.hugepages-")
    {
        errs.push(FieldError::not_supported_string(&path.child("resource"), resource, RESOURCE_FIELD_PATHS));
    }
    let divisor = match json::member(rf, "divisor") {
        None => return,
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            errs.push(FieldError::invalid(
                &path.child("divisor"),
                BadValue::Json(other.clone()),
                "must be a quantity",
            ));
            return;
        }
    };
    let Some(parsed) = quantity::parse(&divisor) else {
        errs.push(FieldError::invalid(
            &path.child("divisor"),
            divisor.as_str(),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ));
        return;
    };
    // A zero divisor means "unset".
    if parsed.value.signum() == 0 {
        return;
    }
    let p = path.child("divisor");
    const BYTES: &str = "1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei";
    // upstream compares the divisor's String(): its canonical form, or the
    // text as written when ParseQuantity keeps it (so `+1` is refused).
    let shown = quantity::display(&divisor).unwrap_or_default();
    let cpu_ok = ["1m", "1"].contains(&shown.as_str());
    let bytes_ok = BYTES.split(", ").any(|b| b == shown);
    let message = match resource {
        "limits.cpu" | "requests.cpu" if !cpu_ok => {
            Some("only divisor's values 1m and 1 are supported with the cpu resource".to_owned())
        }
        "limits.memory" | "requests.memory" if !bytes_ok => {
            Some(format!("only divisor's values {BYTES} are supported with the memory resource"))
        }
        "limits.ephemeral-storage" | "requests.ephemeral-storage" if !bytes_ok => Some(format!(
            "only divisor's values {BYTES} are supported with the local ephemeral storage resource"
        )),
        _ => None,
    };
    if let Some(msg) = message {
        errs.push(FieldError::invalid(&p, resource, &msg));
    }
    if (resource.starts_with("requests.hugepages-") || resource.starts_with("limits.hugepages-")) && !bytes_ok
    {
        errs.push(FieldError::invalid(
            &p,
            resource,
            &format!("only divisor's values {BYTES} are supported with the hugepages resource"),
        ));
    }
}

/// upstream: validateConfigMapKeySelector / validateSecretKeySelector.
fn key_selector(s: &Map<String, Value>, path: &FieldPath, errs: &mut Errors) {
    let name = json::string_or_empty(s, "name", path, errs);
    for msg in meta::name_messages(NameRule::Subdomain, name, false) {
        errs.push(FieldError::invalid(&path.child("name"), name, &msg));
    }
    let key = json::string_or_empty(s, "key", path, errs);
    if key.is_empty() {
        errs.push(FieldError::required(&path.child("key"), ""));
    } else {
        for msg in config_map_key(key) {
            errs.push(FieldError::invalid(&path.child("key"), key, &msg));
        }
    }
}

/// Messages for a ConfigMap or Secret key (upstream: IsConfigMapKey).
pub(crate) fn config_map_key(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > strings::DNS1123_SUBDOMAIN_MAX {
        errs.push(strings::max_len_error(strings::DNS1123_SUBDOMAIN_MAX));
    }
    if value.is_empty()
        || !value.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        errs.push(strings::regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    strings::push_dot_errors(value, &mut errs);
    errs
}
