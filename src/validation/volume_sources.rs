//! The contents of the volume sources the wire types keep as JSON:
//! `projected`, `downwardAPI`, `hostPath`, `ephemeral`, `csi`, `nfs`,
//! `image` and `gitRepo` (the typed ones, `secret`, `configMap`,
//! `persistentVolumeClaim` and `emptyDir`, are checked in `pod`).
//!
//! upstream: pkg/apis/core/validation/validation.go
//! validateProjectedVolumeSource, validateProjectionSources,
//! validateDownwardAPIVolumeSource, validateDownwardAPIVolumeFile,
//! validateHostPathVolumeSource, validateEphemeralVolumeSource,
//! ValidatePersistentVolumeClaimTemplate, ValidateTemplateObjectMeta,
//! ValidatePersistentVolumeClaimSpec, validateDataSource,
//! validateDataSourceRef, validateCSIVolumeSource, ValidateCSIDriverName,
//! validateNFSVolumeSource, validateImageVolumeSource,
//! validateGitRepoVolumeSource; names.go ValidateSignerName,
//! ValidateClusterTrustBundleName.
//!
//! Deviation: `podCertificate` projections (a newer, gated source) count
//! as a source but their contents are not checked.

use std::collections::HashSet;

use serde_json::{Map, Value};

use super::pod::{Owner, file_mode, local_descending_path, local_non_reserved_path};
use super::{BadValue, Ctx, Errors, FieldError, FieldPath, env, json, meta, quantity, strings};

/// Checks the contents of volume source `key` (one of the JSON-kept ones)
/// of the volume at `volume`.
pub(crate) fn source(
    key: &str,
    value: &Value,
    volume: &FieldPath,
    owner: Owner,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    let p = volume.child(key);
    let Some(m) = json::object(value, &p, errs) else { return };
    match key {
        "projected" => projected(m, &p, ctx, errs),
        "downwardAPI" => downward_api(m, &p, errs),
        "hostPath" => host_path(m, &p, errs),
        "ephemeral" => ephemeral(m, &p, errs),
        "csi" => csi(m, &p, errs),
        "nfs" => nfs(m, &p, errs),
        "image" => image(m, &p, owner, errs),
        "gitRepo" => git_repo(m, &p, errs),
        _ => {}
    }
}

/// A file mode member: 0 to 0777.
fn mode(m: &Map<String, Value>, key: &str, path: &FieldPath, errs: &mut Errors) {
    file_mode(json::int(m, key, path, errs), &path.child(key), errs);
}

// ------------------------------------------------------------- projected

/// upstream: validateProjectedVolumeSource, validateProjectionSources. Paths
/// of secret, configMap, downwardAPI and clusterTrustBundle files share one
/// namespace per volume; a repeat is reported on the volume's `projected`.
fn projected(m: &Map<String, Value>, p: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    mode(m, "defaultMode", p, errs);
    let mut paths: HashSet<&str> = HashSet::new();
    for (s, src) in json::list(m, "sources", p, errs).iter().enumerate() {
        let sp = p.child("sources").index(s);
        let Some(src) = json::object(src, &sp, errs) else { continue };
        let mut kinds = 0usize;
        for key in ["secret", "configMap"] {
            let Some(o) = json::obj(src, key, &sp, errs) else { continue };
            kinds = kinds.saturating_add(1);
            let op = sp.child(key);
            let name = json::string_or_empty(o, "name", &op, errs);
            if name.is_empty() {
                errs.push(FieldError::required(&op.child("name"), ""));
            }
            for (j, item) in json::list(o, "items", &op, errs).iter().enumerate() {
                let ip = op.child("items").index(j);
                let Some(item) = json::object(item, &ip, errs) else { continue };
                let file = key_to_path(item, &ip, errs);
                if !file.is_empty() && !paths.insert(file) {
                    errs.push(FieldError::invalid(p, name, "conflicting duplicate paths"));
                }
            }
        }
        if let Some(o) = json::obj(src, "downwardAPI", &sp, errs) {
            kinds = kinds.saturating_add(1);
            let op = sp.child("downwardAPI");
            for item in json::list(o, "items", &op, errs) {
                let Some(item) = json::object(item, &op, errs) else { continue };
                let file = downward_api_file(item, &op, errs);
                if !file.is_empty() && !paths.insert(file) {
                    errs.push(FieldError::invalid(p, file, "conflicting duplicate paths"));
                }
            }
        }
        if let Some(o) = json::obj(src, "serviceAccountToken", &sp, errs) {
            kinds = kinds.saturating_add(1);
            service_account_token(o, &sp.child("serviceAccountToken"), p, ctx, errs);
        }
        // The clusterTrustBundle and podCertificate sources are dropped
        // before validation while their gates are off, as they are by
        // default in 1.35 (ClusterTrustBundleProjection and
        // PodCertificateRequest, beta and off: dropDisabledFields'
        // dropDisabledClusterTrustBundleProjection and
        // dropDisabledPodCertificateProjection). An update that keeps a
        // source the stored object already used is not told apart.
        if ctx.gates.cluster_trust_bundle_projection
            && let Some(o) = json::obj(src, "clusterTrustBundle", &sp, errs)
        {
            kinds = kinds.saturating_add(1);
            let file = cluster_trust_bundle(o, &sp.child("clusterTrustBundle"), errs);
            // Checked even when empty (upstream does not skip it here).
            if !paths.insert(file) {
                errs.push(FieldError::invalid(p, file, "conflicting duplicate paths"));
            }
        }
        if ctx.gates.pod_certificate_request && json::member(src, "podCertificate").is_some() {
            kinds = kinds.saturating_add(1);
        }
        if kinds > 1 {
            errs.push(FieldError::forbidden(&sp, "may not specify more than 1 volume type per source"));
        }
    }
}

/// upstream: validateKeyToPath on one JSON item. Returns its path.
fn key_to_path<'a>(item: &'a Map<String, Value>, p: &FieldPath, errs: &mut Errors) -> &'a str {
    let key = json::string_or_empty(item, "key", p, errs);
    let file = json::string_or_empty(item, "path", p, errs);
    let mode = json::int(item, "mode", p, errs);
    super::pod::key_to_path(key, file, mode, p, errs);
    file
}

/// The shortest and longest token lifetimes a projection may ask for.
const MIN_TOKEN_SECONDS: i64 = 600;
const MAX_TOKEN_SECONDS: i64 = 1 << 32;

/// A projected service account token: a lifetime of 10 minutes to 2^32
/// seconds (a missing one is Go's 0) and a path, both reported on the
/// volume's `projected.path`.
fn service_account_token(
    o: &Map<String, Value>,
    p: &FieldPath,
    projected: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    let seconds = json::int(o, "expirationSeconds", p, errs).unwrap_or(0);
    let sp = p.child("expirationSeconds");
    if seconds < MIN_TOKEN_SECONDS {
        errs.push(FieldError::invalid(&sp, seconds, "may not specify a duration less than 10 minutes"));
    }
    if seconds > MAX_TOKEN_SECONDS {
        errs.push(FieldError::invalid(&sp, seconds, "may not specify a duration larger than 2^32 seconds"));
    }
    let file = json::string_or_empty(o, "path", p, errs);
    if file.is_empty() {
        errs.push(FieldError::required(&projected.child("path"), ""));
    } else if !ctx.old.non_local_token_path {
        // A stored pod with a token path outside the volume keeps it
        // (AllowNonLocalProjectedTokenPath).
        local_non_reserved_path(file, &projected.child("path"), errs);
    }
}

/// upstream: extractSignerNameFromClusterTrustBundleName, then
/// ValidateClusterTrustBundleName: a name with a `:` belongs to the signer
/// before its last `:` (with `:` read as `/`), and must start with that
/// signer's `/` written as `:`, then `:`, the rest a DNS subdomain; a name
/// without one is a DNS subdomain. A signer-scoped name whose signer part
/// is empty (`:x`) is refused for its `:`.
fn cluster_trust_bundle_name(name: &str) -> Vec<String> {
    let signer =
        name.rfind(':').and_then(|at| name.get(..at)).map(|s| s.replace(':', "/")).unwrap_or_default();
    if signer.is_empty() {
        if name.contains(':') {
            return vec!["ClusterTrustBundle without signer name must not have \":\" in its name".to_owned()];
        }
        return strings::dns1123_subdomain(name);
    }
    let required = format!("{}:", signer.replace('/', ":"));
    match name.strip_prefix(&required) {
        Some(rest) => strings::dns1123_subdomain(rest),
        None => {
            vec![format!("ClusterTrustBundle for signerName {signer} must be named with prefix {required}")]
        }
    }
}

/// A cluster trust bundle by name or by signer (with an optional
/// selector), never both. Returns its path.
fn cluster_trust_bundle<'a>(o: &'a Map<String, Value>, p: &FieldPath, errs: &mut Errors) -> &'a str {
    let name = json::string(o, "name", p, errs);
    let signer = json::string(o, "signerName", p, errs);
    let selector = json::member(o, "labelSelector");
    match (name, signer) {
        (Some(_), Some(_)) => errs.push(FieldError::invalid(
            p,
            BadValue::Json(Value::Object(o.clone())),
            "only one of name and signerName may be used",
        )),
        (Some(name), None) => {
            let np = p.child("name");
            if name.is_empty() {
                errs.push(FieldError::required(&np, "must be a valid object name"));
            }
            for msg in cluster_trust_bundle_name(name) {
                errs.push(FieldError::invalid(
                    &np,
                    name,
                    &format!("not a valid clustertrustbundlename: {msg}"),
                ));
            }
            if let Some(sel) = selector {
                errs.push(FieldError::invalid(
                    &p.child("labelSelector"),
                    BadValue::Json(sel.clone()),
                    "labelSelector must be unset if name is specified",
                ));
            }
        }
        (None, Some(signer)) => {
            let sp = p.child("signerName");
            if signer.is_empty() {
                errs.push(FieldError::required(&sp, "must be a valid signer name"));
            }
            signer_name(signer, &sp, errs);
            let lp = p.child("labelSelector");
            if let Some(sel) = selector.and_then(|v| json::label_selector(v, &lp, errs)) {
                errs.extend(meta::validate_label_selector(&sel, &lp));
            }
        }
        (None, None) => errs.push(FieldError::required(p, "either name or signerName must be specified")),
    }
    let file = json::string_or_empty(o, "path", p, errs);
    if file.is_empty() {
        errs.push(FieldError::required(&p.child("path"), ""));
    }
    local_non_reserved_path(file, &p.child("path"), errs);
    file
}

/// upstream: names.go ValidateSignerName: `<domain>/<path>`, a domain of
/// two or more DNS labels (at most 253 bytes), a path of subdomain parts,
/// at most 571 bytes in all.
fn signer_name(signer: &str, p: &FieldPath, errs: &mut Errors) {
    if signer.is_empty() {
        errs.push(FieldError::required(p, ""));
        return;
    }
    let Some((domain, rest)) = signer.split_once('/').filter(|(_, rest)| !rest.contains('/')) else {
        errs.push(FieldError::invalid(
            p,
            signer,
            "must be a fully qualified domain and path of the form 'example.com/signer-name'",
        ));
        return;
    };
    if domain.len() > 253 {
        errs.push(FieldError::too_long(p, 253));
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if let Some((label, msgs)) =
        labels.iter().map(|l| (*l, strings::dns1123_label(l))).find(|(_, msgs)| !msgs.is_empty())
    {
        for msg in msgs {
            errs.push(FieldError::invalid(p, domain, &format!("validating label \"{label}\": {msg}")));
        }
    }
    if labels.len() < 2 {
        errs.push(FieldError::invalid(
            p,
            domain,
            "should be a domain with at least two segments separated by dots",
        ));
    }
    if let Some((part, msgs)) =
        rest.split('.').map(|l| (l, strings::dns1123_subdomain(l))).find(|(_, msgs)| !msgs.is_empty())
    {
        for msg in msgs {
            errs.push(FieldError::invalid(p, rest, &format!("validating label \"{part}\": {msg}")));
        }
    }
    if signer.len() > 571 {
        errs.push(FieldError::too_long(p, 571));
    }
}

// ----------------------------------------------------------- downwardAPI

/// Field paths a downward API volume file may read (upstream:
/// validVolumeDownwardAPIFieldPathExpressions, sorted).
const VOLUME_FIELD_PATHS: &[&str] =
    &["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];

/// upstream: validateDownwardAPIVolumeSource. Every item is reported on
/// the source's own paths, without the item's index.
fn downward_api(m: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    mode(m, "defaultMode", p, errs);
    for item in json::list(m, "items", p, errs) {
        if let Some(item) = json::object(item, p, errs) {
            downward_api_file(item, p, errs);
        }
    }
}

/// upstream: validateDownwardAPIVolumeFile. Returns the file's path.
fn downward_api_file<'a>(item: &'a Map<String, Value>, base: &FieldPath, errs: &mut Errors) -> &'a str {
    let file = json::string_or_empty(item, "path", base, errs);
    if file.is_empty() {
        errs.push(FieldError::required(&base.child("path"), ""));
    }
    local_non_reserved_path(file, &base.child("path"), errs);
    let field_ref = json::obj(item, "fieldRef", base, errs);
    let resource_ref = json::obj(item, "resourceFieldRef", base, errs);
    match (field_ref, resource_ref) {
        (Some(fr), rf) => {
            env::object_field_selector(fr, VOLUME_FIELD_PATHS, &base.child("fieldRef"), errs);
            if rf.is_some() {
                errs.push(FieldError::invalid(
                    base,
                    "resource",
                    "fieldRef and resourceFieldRef can not be specified simultaneously",
                ));
            }
        }
        (None, Some(rf)) => env::resource_field_selector(rf, true, &base.child("resourceFieldRef"), errs),
        (None, None) => {
            errs.push(FieldError::required(base, "one of fieldRef and resourceFieldRef is required"))
        }
    }
    mode(item, "mode", base, errs);
    file
}

// -------------------------------------------------------------- hostPath

/// upstream: validateHostPathVolumeSource: a path without `..` elements
/// and a known type (`""` is the default).
fn host_path(m: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    let path = json::string_or_empty(m, "path", p, errs);
    if path.is_empty() {
        errs.push(FieldError::required(&p.child("path"), ""));
        return;
    }
    if path.split('/').any(|part| part == "..") {
        errs.push(FieldError::invalid(&p.child("path"), path, "must not contain '..'"));
    }
    const TYPES: &[&str] = &[
        "",
        "BlockDevice",
        "CharDevice",
        "Directory",
        "DirectoryOrCreate",
        "File",
        "FileOrCreate",
        "Socket",
    ];
    if let Some(t) = json::string(m, "type", p, errs)
        && !TYPES.contains(&t)
    {
        errs.push(FieldError::not_supported(&p.child("type"), t, TYPES));
    }
}

// ------------------------------------------------------------- ephemeral

/// upstream: validateEphemeralVolumeSource: a claim template whose metadata
/// holds only labels and annotations, and a valid claim spec.
fn ephemeral(m: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    let tp = p.child("volumeClaimTemplate");
    let Some(template) = json::obj(m, "volumeClaimTemplate", p, errs) else {
        errs.push(FieldError::required(&tp, ""));
        return;
    };
    if let Some(md) = json::obj(template, "metadata", &tp, errs) {
        template_metadata(md, &tp.child("metadata"), errs);
    }
    let spec = json::obj(template, "spec", &tp, errs).cloned().unwrap_or_default();
    claim_spec(&spec, &tp.child("spec"), errs);
}

/// upstream: ValidateTemplateObjectMeta: labels and annotations are
/// validated, every other field must be unset (reported under its Go field
/// name with the first letter lowered, hence `uID`).
fn template_metadata(md: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    if let Some(a) = json::member(md, "annotations").and_then(|v| serde_json::from_value(v.clone()).ok()) {
        errs.extend(meta::annotations(&a, &p.child("annotations")));
    }
    if let Some(l) = json::member(md, "labels").and_then(|v| serde_json::from_value(v.clone()).ok()) {
        errs.extend(meta::validate_labels(&l, &p.child("labels")));
    }
    const FORBIDDEN: &[(&str, &str)] = &[
        ("name", "name"),
        ("generateName", "generateName"),
        ("namespace", "namespace"),
        ("selfLink", "selfLink"),
        ("uid", "uID"),
        ("resourceVersion", "resourceVersion"),
        ("generation", "generation"),
        ("creationTimestamp", "creationTimestamp"),
        ("deletionTimestamp", "deletionTimestamp"),
        ("deletionGracePeriodSeconds", "deletionGracePeriodSeconds"),
        ("ownerReferences", "ownerReferences"),
        ("finalizers", "finalizers"),
        ("managedFields", "managedFields"),
    ];
    // Set as Go's validateFieldAllowList sees it after decoding: a pointer
    // or list field once present (an explicit 0 or [] included), a string
    // or number once not zero.
    let set = |key: &str, v: &Value| match key {
        "deletionTimestamp"
        | "deletionGracePeriodSeconds"
        | "ownerReferences"
        | "finalizers"
        | "managedFields" => !v.is_null(),
        _ => !json::is_zero(v),
    };
    for (key, go_name) in FORBIDDEN {
        if md.get(*key).is_some_and(|v| set(key, v)) {
            errs.push(FieldError::forbidden(&p.child(go_name), "cannot be set"));
        }
    }
}

/// upstream: ValidatePersistentVolumeClaimSpec (create): access modes, the
/// storage request, class name, volume mode and data sources.
pub(crate) fn claim_spec(spec: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    let modes = json::strings(spec, "accessModes", p, errs).unwrap_or_default();
    let mp = p.child("accessModes");
    if modes.is_empty() {
        errs.push(FieldError::required(&mp, "at least 1 access mode is required"));
    }
    let sel_path = p.child("selector");
    if let Some(sel) = json::member(spec, "selector").and_then(|v| json::label_selector(v, &sel_path, errs)) {
        errs.extend(meta::validate_label_selector(&sel, &sel_path));
    }
    const MODES: &[&str] = &["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
    let (mut once_pod, mut other) = (false, false);
    for mode in &modes {
        if !MODES.contains(mode) {
            errs.push(FieldError::not_supported(&mp, *mode, MODES));
        } else if *mode == "ReadWriteOncePod" {
            once_pod = true;
        } else {
            other = true;
        }
    }
    if once_pod && other {
        errs.push(FieldError::forbidden(&mp, "may not use ReadWriteOncePod with other access modes"));
    }
    storage_request(spec, p, errs);
    let class_path = p.child("storageClassName");
    if let Some(class) = json::string(spec, "storageClassName", p, errs).filter(|c| !c.is_empty()) {
        for msg in strings::dns1123_subdomain(class) {
            errs.push(FieldError::invalid(&class_path, class, &msg));
        }
    }
    if let Some(vm) = json::string(spec, "volumeMode", p, errs)
        && vm != "Block"
        && vm != "Filesystem"
    {
        errs.push(FieldError::not_supported(&p.child("volumeMode"), vm, &["Block", "Filesystem"]));
    }
    data_sources(spec, p, errs);
    let vac_path = p.child("volumeAttributesClassName");
    if let Some(vac) = json::string(spec, "volumeAttributesClassName", p, errs).filter(|c| !c.is_empty()) {
        for msg in strings::dns1123_subdomain(vac) {
            errs.push(FieldError::invalid(&vac_path, vac, &msg));
        }
    }
}

/// `resources.requests.storage`: required and above zero (upstream reports
/// it on `resources[storage]`).
fn storage_request(spec: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    let path = p.child("resources").key("storage");
    let storage = spec.get("resources").and_then(|r| r.get("requests")).and_then(|r| r.get("storage"));
    let text = match storage {
        None => {
            errs.push(FieldError::required(&path, ""));
            return;
        }
        // Go reads a null quantity as zero and keeps the key.
        Some(Value::Null) => "0".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(other) => {
            errs.push(FieldError::invalid(&path, BadValue::Json(other.clone()), "must be a quantity"));
            return;
        }
    };
    match quantity::parse(&text) {
        None => errs.push(FieldError::invalid(&path, text.as_str(), super::pod::QUANTITY_REGEX_MSG)),
        Some(q) if q.value.signum() <= 0 => errs.push(FieldError::invalid(
            &path,
            quantity::display(&text).unwrap_or_else(|| quantity::format(q.value, q.format)),
            "must be greater than zero",
        )),
        Some(_) => {}
    }
}

/// upstream: validateDataSource, validateDataSourceRef and their cross
/// checks.
fn data_sources(spec: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    let source = json::obj(spec, "dataSource", p, errs);
    let source_ref = json::obj(spec, "dataSourceRef", p, errs);
    if let Some(ds) = source {
        typed_reference(ds, &p.child("dataSource"), errs);
    }
    let mut ref_namespace = "";
    if let Some(dr) = source_ref {
        let rp = p.child("dataSourceRef");
        typed_reference(dr, &rp, errs);
        ref_namespace = json::string_or_empty(dr, "namespace", &rp, errs);
        for msg in strings::dns1123_label(ref_namespace).into_iter().filter(|_| !ref_namespace.is_empty()) {
            errs.push(FieldError::invalid(&rp.child("namespace"), ref_namespace, &msg));
        }
    }
    let (Some(ds), Some(dr)) = (source, source_ref) else { return };
    // upstream: isDataSourceEqualDataSourceRef compares the API group
    // pointers, so a missing group and `""` differ.
    let key = |o: &Map<String, Value>| {
        (
            o.get("apiGroup").and_then(Value::as_str).map(str::to_owned),
            ["kind", "name"].map(|k| o.get(k).and_then(Value::as_str).unwrap_or("").to_owned()),
        )
    };
    // upstream passes the field path itself as the bad value; a Path has no
    // exported fields, so it prints as `{}` (1.34+ JSON rendering).
    let shown = BadValue::Json(Value::Object(Map::new()));
    if !ref_namespace.is_empty() {
        errs.push(FieldError::invalid(
            p,
            shown,
            "may not be specified when dataSourceRef.namespace is specified",
        ));
    } else if key(ds) != key(dr) {
        errs.push(FieldError::invalid(p, shown, "must match dataSourceRef"));
    }
}

/// A `TypedLocalObjectReference` / `TypedObjectReference`: name and kind,
/// the core group only for claims.
fn typed_reference(o: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    if json::string_or_empty(o, "name", p, errs).is_empty() {
        errs.push(FieldError::required(&p.child("name"), ""));
    }
    let kind = json::string_or_empty(o, "kind", p, errs);
    if kind.is_empty() {
        errs.push(FieldError::required(&p.child("kind"), ""));
    }
    let group = json::string_or_empty(o, "apiGroup", p, errs);
    if group.is_empty() {
        if kind != "PersistentVolumeClaim" {
            errs.push(FieldError::invalid(
                p,
                kind,
                "must be 'PersistentVolumeClaim' when referencing the default apiGroup",
            ));
        }
    } else {
        for msg in strings::dns1123_subdomain(group) {
            errs.push(FieldError::invalid(&p.child("apiGroup"), group, &msg));
        }
    }
}

// ------------------------------------------------------ csi, nfs, image, gitRepo

/// upstream: validateCSIVolumeSource, ValidateCSIDriverName.
fn csi(m: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    let driver = json::string_or_empty(m, "driver", p, errs);
    let dp = p.child("driver");
    if driver.is_empty() {
        errs.push(FieldError::required(&dp, ""));
    } else {
        if driver.len() > 63 {
            errs.push(FieldError::too_long(&dp, 63));
        }
        for msg in strings::dns1123_subdomain(&crate::text::go_to_lower(driver)) {
            errs.push(FieldError::invalid(&dp, driver, &msg));
        }
    }
    if let Some(secret) = json::obj(m, "nodePublishSecretRef", p, errs) {
        let sp = p.child("nodePublishSecretRef");
        let name = json::string_or_empty(secret, "name", &sp, errs);
        if name.is_empty() {
            errs.push(FieldError::required(&sp.child("name"), ""));
        } else {
            // upstream reports this on `csi.name`.
            for msg in strings::dns1123_subdomain(name) {
                errs.push(FieldError::invalid(&p.child("name"), name, &msg));
            }
        }
    }
}

/// upstream: validateNFSVolumeSource: a server and an absolute path.
fn nfs(m: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    if json::string_or_empty(m, "server", p, errs).is_empty() {
        errs.push(FieldError::required(&p.child("server"), ""));
    }
    let path = json::string_or_empty(m, "path", p, errs);
    if path.is_empty() {
        errs.push(FieldError::required(&p.child("path"), ""));
    }
    if !path.starts_with('/') {
        errs.push(FieldError::invalid(&p.child("path"), path, "must be an absolute path"));
    }
}

/// upstream: validateImageVolumeSource (1.35): a reference on pods
/// (templates may leave it to a mutating admission step) and a known pull
/// policy.
fn image(m: &Map<String, Value>, p: &FieldPath, owner: Owner, errs: &mut Errors) {
    if owner == Owner::Pod && json::string_or_empty(m, "reference", p, errs).is_empty() {
        errs.push(FieldError::required(&p.child("reference"), ""));
    }
    let policy = json::string_or_empty(m, "pullPolicy", p, errs);
    const POLICIES: &[&str] = &["Always", "IfNotPresent", "Never"];
    if policy.is_empty() {
        errs.push(FieldError::required(&p.child("pullPolicy"), ""));
    } else if !POLICIES.contains(&policy) {
        errs.push(FieldError::not_supported(&p.child("pullPolicy"), policy, POLICIES));
    }
}

/// upstream: validateGitRepoVolumeSource: a repository, and a directory
/// that stays inside the volume.
fn git_repo(m: &Map<String, Value>, p: &FieldPath, errs: &mut Errors) {
    if json::string_or_empty(m, "repository", p, errs).is_empty() {
        errs.push(FieldError::required(&p.child("repository"), ""));
    }
    let directory = json::string_or_empty(m, "directory", p, errs);
    local_descending_path(directory, &p.child("directory"), errs);
}

/// upstream: validatePodMetadataAndSpec (pods only, not templates): a
/// projected token needs the pod's service account (`serviceAccountName`,
/// or the deprecated `serviceAccount` it is converted from).
pub(crate) fn tokens_need_service_account(spec: &crate::api::PodSpec, path: &FieldPath, errs: &mut Errors) {
    let account = spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
        .or(spec.service_account.as_deref())
        .unwrap_or("");
    if !account.is_empty() {
        return;
    }
    for (vi, v) in spec.volumes().iter().enumerate() {
        let Some(sources) = v.other.get("projected").and_then(|p| p.get("sources")).and_then(Value::as_array)
        else {
            continue;
        };
        for (si, s) in sources.iter().enumerate() {
            if s.get("serviceAccountToken").is_some_and(|t| !t.is_null()) {
                let p = path.child("volumes").index(vi).child("projected").child("sources").index(si);
                errs.push(FieldError::forbidden(
                    &p.child("serviceAccountToken"),
                    "must not be specified when serviceAccountName is not set",
                ));
            }
        }
    }
}
