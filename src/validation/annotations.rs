//! Pod-specific annotations and their consistency with the fields they
//! were replaced by, on Pods and on pod templates alike (upstream's
//! ValidatePodTemplateSpec runs the same checks as ValidatePodCreate).
//!
//! upstream: pkg/apis/core/validation/validation.go —
//! ValidatePodSpecificAnnotations, ValidateSeccompPodAnnotations,
//! ValidateSeccompProfile, ValidateAppArmorPodAnnotations,
//! ValidateAppArmorProfileFormat, ValidatePodSpecificAnnotationUpdates,
//! ValidatePodCreate (validateSeccompAnnotationsAndFields,
//! validateAppArmorAnnotationsAndFieldsMatchOnCreate, nodeName with
//! scheduling gates); pkg/apis/core/helper GetDeletionCostFromPodAnnotations.
//!
//! Not done: the legacy `scheduler.alpha.kubernetes.io/tolerations`
//! annotation.

use serde_json::Value;

use crate::api::{Pod, PodSpec, StringMap};

use super::{Errors, FieldError, FieldPath};

const MIRROR: &str = "kubernetes.io/config.mirror";
const DELETION_COST: &str = "controller.kubernetes.io/pod-deletion-cost";
const SECCOMP_POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";
const APPARMOR_CONTAINER: &str = "container.apparmor.security.beta.kubernetes.io/";

/// A static pod's mirror: it carries the mirror-pod annotation.
pub(crate) fn is_mirror_pod(pod: &Pod) -> bool {
    annotations(pod).is_some_and(|a| a.contains_key(MIRROR))
}

fn annotations(pod: &Pod) -> Option<&StringMap> {
    pod.metadata.annotations.as_ref()
}

/// Every container name of the spec (init, regular, ephemeral), with its
/// path and security context.
fn containers<'a>(spec: &'a PodSpec, path: &FieldPath) -> Vec<(&'a str, FieldPath, Option<&'a Value>)> {
    let mut out = Vec::new();
    for (i, c) in spec.init_containers().iter().enumerate() {
        out.push((c.name.as_str(), path.child("initContainers").index(i), c.security_context.as_ref()));
    }
    for (i, c) in spec.containers.iter().enumerate() {
        out.push((c.name.as_str(), path.child("containers").index(i), c.security_context.as_ref()));
    }
    for (i, c) in spec.ephemeral_containers.iter().flatten().enumerate() {
        let name = c.get("name").and_then(Value::as_str).unwrap_or("");
        out.push((name, path.child("ephemeralContainers").index(i), c.get("securityContext")));
    }
    out
}

/// upstream: GetDeletionCostFromPodAnnotations — a decimal int32 without a
/// `+` sign or leading zeros.
fn valid_deletion_cost(v: &str) -> bool {
    let first_ok = match v.as_bytes().first() {
        Some(b'-') => true,
        Some(b'0') => v == "0",
        Some(b) => b.is_ascii_digit(),
        None => false,
    };
    let digits = v.strip_prefix('-').unwrap_or(v);
    first_ok && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && v.parse::<i32>().is_ok()
}

/// upstream: ValidateSeccompProfile.
fn seccomp_profile(p: &str, path: &FieldPath, errs: &mut Errors) {
    if matches!(p, "runtime/default" | "docker/default" | "unconfined") {
        return;
    }
    match p.strip_prefix("localhost/") {
        Some(rest) => super::pod::local_descending_path(rest, path, errs),
        None => errs.push(FieldError::invalid(path, p, "must be a valid seccomp profile")),
    }
}

/// Whether `annotations` hold a pod-deletion cost that does not parse
/// (upstream: GetDeletionCostFromPodAnnotations returning an error).
pub(crate) fn deletion_cost_invalid(annotations: Option<&StringMap>) -> bool {
    annotations.and_then(|a| a.get(DELETION_COST)).is_some_and(|v| !valid_deletion_cost(v))
}

/// [`pod_specific`] on the new pod of an update from `old`: an invalid
/// deletion cost passes when `allow_invalid_cost` or when `old` already had
/// one (upstream: GetValidationOptionsFromPodSpecAndMeta with the old pod).
pub(crate) fn pod_specific_on_update(
    old: &Pod,
    new: &Pod,
    new_spec: &PodSpec,
    allow_invalid_cost: bool,
    errs: &mut Errors,
) {
    let allow = allow_invalid_cost || deletion_cost_invalid(annotations(old));
    pod_specific(annotations(new), new_spec, &FieldPath::new("metadata.annotations"), allow, errs);
}

/// upstream: ValidatePodSpecificAnnotations, over a pod's or a pod
/// template's annotations at `path`. `allow_invalid_cost` is upstream's
/// AllowInvalidPodDeletionCost (the gate off, or an update whose old object
/// already had an invalid cost).
pub(crate) fn pod_specific(
    annotations: Option<&StringMap>,
    spec: &PodSpec,
    path: &FieldPath,
    allow_invalid_cost: bool,
    errs: &mut Errors,
) {
    let Some(a) = annotations else { return };
    if let Some(v) = a.get(MIRROR)
        && spec.node_name.as_deref().unwrap_or("").is_empty()
    {
        errs.push(FieldError::invalid(
            &path.key(MIRROR),
            v,
            "must set spec.nodeName if mirror pod annotation is set",
        ));
    }
    if !allow_invalid_cost
        && let Some(v) = a.get(DELETION_COST)
        && !valid_deletion_cost(v)
    {
        errs.push(FieldError::invalid(&path.key(DELETION_COST), v, "must be a 32bit integer"));
    }
    // upstream uses Child here, so the key joins the path with a dot.
    if let Some(p) = a.get(SECCOMP_POD) {
        seccomp_profile(p, &path.child(SECCOMP_POD), errs);
    }
    for (k, p) in a {
        if k.starts_with(SECCOMP_CONTAINER) {
            seccomp_profile(p, &path.child(k), errs);
        }
    }
    let names: Vec<&str> = containers(spec, &FieldPath::new("spec")).into_iter().map(|(n, _, _)| n).collect();
    for (k, p) in a {
        let Some(container) = k.strip_prefix(APPARMOR_CONTAINER) else { continue };
        if !names.contains(&container) {
            errs.push(FieldError::invalid(&path.key(k), container, "container not found"));
        }
        let ok = p.is_empty() || p == "runtime/default" || p == "unconfined" || p.starts_with("localhost/");
        if !ok {
            errs.push(FieldError::invalid(
                &path.key(k),
                p,
                &format!("invalid AppArmor profile name: {}", super::go_quote(p)),
            ));
        }
    }
}

/// The profile of a `seccompProfile` / `appArmorProfile` object.
fn profile(sc: Option<&Value>, key: &str) -> Option<(String, Option<String>)> {
    let p = sc?.get(key)?.as_object()?;
    let ty = p.get("type").and_then(Value::as_str).unwrap_or("").to_owned();
    let local = p.get("localhostProfile").and_then(Value::as_str).map(str::to_owned);
    Some((ty, local))
}

/// upstream: validateSeccompAnnotationsAndFieldsMatch.
fn seccomp_matches(
    annotation: &str,
    (ty, local): &(String, Option<String>),
    path: &FieldPath,
    errs: &mut Errors,
) {
    const TYPE_MSG: &str = "seccomp type in annotation and field must match";
    match ty.as_str() {
        "Unconfined" if annotation != "unconfined" => {
            errs.push(FieldError::forbidden(&path.child("type"), TYPE_MSG))
        }
        "RuntimeDefault" if annotation != "runtime/default" && annotation != "docker/default" => {
            errs.push(FieldError::forbidden(&path.child("type"), TYPE_MSG));
        }
        "Localhost" => match annotation.strip_prefix("localhost/") {
            None => errs.push(FieldError::forbidden(&path.child("type"), TYPE_MSG)),
            Some(rest) if local.as_deref() != Some(rest) => errs.push(FieldError::forbidden(
                &path.child("localhostProfile"),
                "seccomp profile in annotation and field must match",
            )),
            Some(_) => {}
        },
        _ => {}
    }
}

/// The create-only rules of upstream's ValidatePodCreate beyond the spec:
/// `nodeName` with scheduling gates, and annotations that must agree with
/// the seccomp / AppArmor fields.
pub(crate) fn pod_create(pod: &Pod, spec: &PodSpec, errs: &mut Errors) {
    let path = FieldPath::new("spec");
    if !spec.node_name.as_deref().unwrap_or("").is_empty()
        && spec.scheduling_gates.as_ref().is_some_and(|g| !g.is_empty())
    {
        errs.push(FieldError::forbidden(
            &path.child("nodeName"),
            "cannot be set until all schedulingGates have been cleared",
        ));
    }
    fields_match(annotations(pod), spec, &path, errs);
}

/// The seccomp and AppArmor annotations must agree with the fields of the
/// spec at `path` (upstream: validateSeccompAnnotationsAndFields and
/// validateAppArmorAnnotationsAndFieldsMatchOnCreate, run on a Pod's create
/// and on every pod template).
pub(crate) fn fields_match(
    annotations: Option<&StringMap>,
    spec: &PodSpec,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let Some(a) = annotations else { return };
    // upstream: validateSeccompAnnotationsAndFields
    if let (Some(field), Some(annotation)) =
        (profile(spec.security_context.as_ref(), "seccompProfile"), a.get(SECCOMP_POD))
    {
        seccomp_matches(annotation, &field, &path.child("securityContext.seccompProfile"), errs);
    }
    let all = containers(spec, path);
    for (name, cp, sc) in &all {
        if let Some(field) = profile(*sc, "seccompProfile")
            && let Some(annotation) = a.get(&format!("{SECCOMP_CONTAINER}{name}"))
        {
            seccomp_matches(annotation, &field, &cp.child("securityContext.seccompProfile"), errs);
        }
    }
    // upstream: validateAppArmorAnnotationsAndFieldsMatchOnCreate
    if spec.os.as_ref().is_some_and(|o| o.name == "windows") {
        return;
    }
    let pod_profile = profile(spec.security_context.as_ref(), "appArmorProfile");
    for (name, cp, sc) in &all {
        let Some((ty, local)) = profile(*sc, "appArmorProfile").or_else(|| pod_profile.clone()) else {
            continue;
        };
        let Some(annotation) = a.get(&format!("{APPARMOR_CONTAINER}{name}")) else { continue };
        let ap = cp.child("securityContext.appArmorProfile");
        const TYPE_MSG: &str = "apparmor type in annotation and field must match";
        match ty.as_str() {
            "Unconfined" if annotation != "unconfined" => {
                errs.push(FieldError::forbidden(&ap.child("type"), TYPE_MSG))
            }
            "RuntimeDefault" if annotation != "runtime/default" => {
                errs.push(FieldError::forbidden(&ap.child("type"), TYPE_MSG));
            }
            "Localhost" => match annotation.strip_prefix("localhost/") {
                None => errs.push(FieldError::forbidden(&ap.child("type"), TYPE_MSG)),
                Some(rest) if local.as_deref() != Some(rest) => errs.push(FieldError::forbidden(
                    &ap.child("localhostProfile"),
                    "apparmor profile in annotation and field must match",
                )),
                Some(_) => {}
            },
            _ => {}
        }
    }
}

/// upstream: ValidatePodSpecificAnnotationUpdates (AppArmor and mirror-pod
/// annotations may not be added, removed or changed), then the
/// pod-specific annotation rules on the new pod (an invalid deletion cost
/// allowed when `allow_invalid_cost`, or when the old pod's was invalid).
pub(crate) fn pod_update(
    old: &Pod,
    new: &Pod,
    new_spec: &PodSpec,
    allow_invalid_cost: bool,
    errs: &mut Errors,
) {
    let path = FieldPath::new("metadata.annotations");
    let empty = StringMap::default();
    let (oa, na) = (annotations(old).unwrap_or(&empty), annotations(new).unwrap_or(&empty));
    for (k, v) in oa {
        if na.get(k) == Some(v) {
            continue;
        }
        if k.starts_with(APPARMOR_CONTAINER) {
            errs.push(FieldError::forbidden(&path.key(k), "may not remove or update AppArmor annotations"));
        }
        if k == MIRROR {
            errs.push(FieldError::forbidden(&path.key(k), "may not remove or update mirror pod annotation"));
        }
    }
    for k in na.keys() {
        if oa.contains_key(k) {
            continue;
        }
        if k.starts_with(APPARMOR_CONTAINER) {
            errs.push(FieldError::forbidden(&path.key(k), "may not add AppArmor annotations"));
        }
        if k == MIRROR {
            errs.push(FieldError::forbidden(&path.key(k), "may not add mirror pod annotation"));
        }
    }
    pod_specific_on_update(old, new, new_spec, allow_invalid_cost, errs);
}
