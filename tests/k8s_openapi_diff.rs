//! Differential test against k8s-openapi (feature `k8s-openapi`): every
//! document of a known kind, in the crate's fixtures and in
//! `../shared/corpus` when present, is read by this crate and by k8s-openapi,
//! both write it back as JSON, and the two values are compared.
//!
//! They must agree on everything k8s-openapi models. Where they differ, each
//! difference must fall in one of the documented exceptions (see
//! [`Exception`]): k8s-openapi drops what it does not model and explicit
//! nulls, fills in required fields and the type of embedded resources, and
//! writes number quantities as strings. (Times need no exception: both
//! crates write them in UTC with whole seconds.)
//! Any other difference fails the test. The tally of exceptions is printed
//! (`cargo test --all-features --test k8s_openapi_diff -- --nocapture`).
//!
//! The conversion functions of `kube_workloads::interop` are checked on the
//! same documents, both ways.
#![cfg(feature = "k8s-openapi")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use kube_workloads::api::{Object, ObjectError};
use kube_workloads::interop::{InteropError, K8sCounterpart, K8sObject};
use serde_json::Value;

/// Why the two JSON values may legitimately differ at a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Exception {
    /// The document has the key with `null`; k8s-openapi reads `null` as
    /// "absent" (an `Option` of `None`) and writes nothing.
    ExplicitNull,
    /// The document has a key k8s-openapi's 1.35 structs do not model
    /// (a field of another Kubernetes version, a removed field, a typo).
    /// k8s-openapi drops unknown fields; this crate keeps them. Each such
    /// field is listed by path in `UNMODELLED_BY_K8S_OPENAPI` below.
    UnmodelledField,
    /// A required field that is missing (or `null`) in the document:
    /// k8s-openapi's required fields are not `Option`s, so it reads the
    /// zero value and writes it (`metadata: {}`, `containers: []`,
    /// `name: ""`). This crate does not invent it.
    RequiredFieldZeroValue,
    /// A quantity written as a YAML/JSON number (`cpu: 1`): k8s-openapi's
    /// `Quantity` is a string and writes `"1"`; this crate keeps the number.
    QuantityNumberAsString,
    /// k8s-openapi writes `apiVersion` and `kind` for every type that is a
    /// top-level resource, also where one is embedded: a StatefulSet's
    /// `volumeClaimTemplates` are PersistentVolumeClaims, and each gets
    /// `apiVersion: v1, kind: PersistentVolumeClaim`. The API server does not
    /// require them there; this crate does not add them.
    EmbeddedTypeMeta,
}

/// Fields of the shared corpus and fixtures that k8s-openapi (v1_35) does
/// not model, as path patterns (`[*]` for any index), each with its reason.
/// A dropped field not listed here fails the test: it would mean
/// k8s-openapi lost something it models, or the corpus grew a new case to
/// explain.
///
/// Entries starting with `*` match any `Kind .path` ending so; the others
/// match one `Kind .path` exactly. "v1_36" / "v1_37" say in which of
/// k8s-openapi 0.29's later generations the field appears: the corpus's
/// `status/k8s-api-fuzz__*` documents were written by a newer API server.
const UNMODELLED_BY_K8S_OPENAPI: &[(&str, &str)] = &[
    // Fields of Kubernetes after 1.35.
    ("*.httpGet.protocol", "HTTPGetAction.protocol, after 1.35 (v1_37)"),
    ("*.grpc.mode", "GRPCAction.mode, after 1.35 (v1_37)"),
    ("*.emptyDir.mode", "EmptyDirVolumeSource.mode, after 1.35 (v1_37)"),
    (
        "*.defaultUser",
        "defaultUser of secret, configMap, downwardAPI and projected volumes, after 1.35 (v1_37)",
    ),
    ("*.items[*].user", "KeyToPath.user and DownwardAPIVolumeFile.user, after 1.35 (v1_37)"),
    ("*.clusterTrustBundle.user", "ClusterTrustBundleProjection.user, after 1.35 (v1_37)"),
    ("*.podCertificate.user", "PodCertificateProjection.user, after 1.35 (v1_37)"),
    ("*.serviceAccountToken.user", "ServiceAccountTokenProjection.user, after 1.35 (v1_37)"),
    ("*.volumeMounts[*].bindMountOptions", "VolumeMount.bindMountOptions, after 1.35 (v1_37)"),
    ("*.spec.evictionResponders", "PodSpec.evictionResponders, after 1.35 (v1_37)"),
    ("*.spec.schedulingGroup", "PodSpec.schedulingGroup, after 1.35 (v1_36)"),
    ("*.spec.scheduling", "JobSpec.scheduling, after 1.35 (v1_37)"),
    ("*.allocatedResourcesStatus[*].resources[*].message", "ResourceHealth.message, after 1.35 (v1_36)"),
    ("*.volumeMounts[*].volumeStatus", "VolumeMountStatus.volumeStatus, after 1.35 (v1_36)"),
    ("Pod .status.nodeAllocatableResourceClaimStatuses", "PodStatus field after 1.35 (v1_36)"),
    ("Pod .status.volumeHealth", "PodStatus.volumeHealth, after 1.35 (v1_37)"),
    (
        "StatefulSet .spec.volumeClaimTemplates[*].status.healthStatus",
        "PersistentVolumeClaimStatus.healthStatus, after 1.35 (v1_37)",
    ),
    // Mistakes in the corpus's source manifests, kept as written: no
    // Kubernetes version has these fields there (the API server drops them,
    // or rejects them with strict field validation).
    ("DaemonSet .spec.replicas", "DaemonSets have no replicas (linter test manifests)"),
    (
        "DaemonSet .spec.templateGeneration",
        "an extensions/v1beta1 field, gone from apps/v1 (istio__calico.yaml)",
    ),
    ("Deployment .spec.template.spec.containers[*].runAsUser", "belongs under securityContext"),
    (
        "Deployment .spec.template.spec.dnsConfig.Searches",
        "misspelt `searches` (kube-linter__dnsconfig-options-ndots.yaml)",
    ),
    ("Deployment .spec.template.spec.replicas", "misplaced: replicas belongs in the Deployment spec"),
    ("StatefulSet .spec.template.spec.replicas", "misplaced: replicas belongs in the StatefulSet spec"),
    ("Pod .spec.image", "misplaced: image belongs to a container"),
    ("Pod .spec.invalidField", "a linter's deliberately invalid manifest"),
    ("Pod .spec.securityContext.capabilities", "capabilities exist on a container's securityContext only"),
    (
        "Pod .spec.volumes[*].storageos.pool",
        "not a StorageOSVolumeSource field (k8s-examples__storageos-pod.yaml)",
    ),
];

/// Corpus documents k8s-openapi cannot read at all (file path suffix, and
/// why). Converting them gives `InteropError::ToK8sOpenapi`, which the test
/// checks; this crate reads them.
const REJECTED_BY_K8S_OPENAPI: &[(&str, &str)] = &[(
    "manifests/pod/k8s-examples__fc.yaml",
    "`spec.volumes[0].fc.lun` is the placeholder `<ADD LUN ID Here>`, a string where an int32 belongs \
     (the API server rejects it too); this crate keeps the fc volume as an unmodelled field",
)];

#[derive(Default)]
struct Tally {
    compared: BTreeMap<&'static str, usize>,
    identical: usize,
    exceptions: BTreeMap<Exception, BTreeSet<String>>,
    exception_count: BTreeMap<Exception, usize>,
    no_counterpart: BTreeMap<&'static str, usize>,
    rejected: Vec<String>,
    unknown: usize,
    failures: Vec<String>,
}

impl Tally {
    fn except(&mut self, e: Exception, kind: &str, path: &str) {
        self.exceptions.entry(e).or_default().insert(format!("{kind} {}", pattern(path)));
        *self.exception_count.entry(e).or_default() += 1;
    }
}

/// `spec.containers[3].name` → `spec.containers[*].name`.
fn pattern(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[*]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            _ => out.push(c),
        }
    }
    out
}

/// The zero value k8s-openapi writes for a missing required field.
fn is_zero(v: &Value) -> bool {
    match v {
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(b) => !b,
        Value::Array(a) => a.is_empty(),
        Value::Object(m) => m.values().all(is_zero),
        Value::Null => false,
    }
}

fn is_quantity_path(path: &str) -> bool {
    let p = pattern(path);
    [
        ".requests.",
        ".limits.",
        ".capacity.",
        ".allocatable.",
        ".allocatedResources.",
        ".sizeLimit",
        ".hard.",
        ".used.",
        ".overhead.",
    ]
    .iter()
    .any(|k| p.contains(k) || p.ends_with(k.trim_end_matches('.')))
}

/// Compares this crate's output `ours` with k8s-openapi's `theirs`, sorting
/// every difference into an exception or a failure.
fn compare(
    kind: &str,
    path: &str,
    ours: &Value,
    theirs: &Value,
    tally: &mut Tally,
    failures: &mut Vec<String>,
) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                let p = format!("{path}.{k}");
                match b.get(k) {
                    Some(vb) => compare(kind, &p, va, vb, tally, failures),
                    None if va.is_null() => tally.except(Exception::ExplicitNull, kind, &p),
                    None => tally.except(Exception::UnmodelledField, kind, &p),
                }
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    let p = format!("{path}.{k}");
                    if !path.is_empty() && (k == "apiVersion" || k == "kind") {
                        tally.except(Exception::EmbeddedTypeMeta, kind, &p);
                    } else if is_zero(vb) {
                        tally.except(Exception::RequiredFieldZeroValue, kind, &p);
                    } else {
                        failures.push(format!("{p}: k8s-openapi invented {vb}"));
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                compare(kind, &format!("{path}[{i}]"), va, vb, tally, failures);
            }
        }
        _ if ours == theirs => {}
        (Value::Null, b) if is_zero(b) => tally.except(Exception::RequiredFieldZeroValue, kind, path),
        (Value::Number(n), Value::String(s)) if is_quantity_path(path) && s == &n.to_string() => {
            tally.except(Exception::QuantityNumberAsString, kind, path)
        }
        _ => failures.push(format!("{path}: {ours} became {theirs}")),
    }
}

fn diff_dir(dir: &Path) -> Tally {
    let mut tally = Tally::default();
    for file in common::manifest_files(dir) {
        let name = file.strip_prefix(dir).unwrap_or(&file).display().to_string();
        let Ok(docs) = common::load_documents(&file) else {
            continue; // tests/roundtrip.rs reports unreadable files
        };
        for (i, doc) in docs.into_iter().enumerate() {
            let ours = match Object::from_value(doc.clone()) {
                Ok(o) => o,
                Err(ObjectError::UnknownKind { .. }) => {
                    tally.unknown += 1;
                    continue;
                }
                Err(e) => {
                    tally.failures.push(format!("{name} doc {i}: this crate: {e}"));
                    continue;
                }
            };
            let kind = ours.kind();
            if let Some((_, reason)) = REJECTED_BY_K8S_OPENAPI.iter().find(|(f, _)| name.ends_with(f)) {
                // k8s-openapi cannot read it: the conversion is an error value.
                match (K8sObject::from_value(doc.clone()), ours.to_k8s_openapi()) {
                    (Err(InteropError::ToK8sOpenapi { .. }), Err(InteropError::ToK8sOpenapi { .. })) => {
                        tally.rejected.push(format!("{name} doc {i} ({kind}): {reason}"));
                    }
                    other => tally
                        .failures
                        .push(format!("{name} doc {i}: expected k8s-openapi to reject it: {other:?}")),
                }
                continue;
            }
            let theirs = match K8sObject::from_value(doc.clone()) {
                Ok(t) => t,
                Err(InteropError::NoCounterpart { .. }) => {
                    *tally.no_counterpart.entry(kind).or_default() += 1;
                    assert!(matches!(ours.to_k8s_openapi(), Err(InteropError::NoCounterpart { .. })));
                    continue;
                }
                Err(e) => {
                    tally.failures.push(format!("{name} doc {i} ({kind}): k8s-openapi: {e}"));
                    continue;
                }
            };
            *tally.compared.entry(kind).or_default() += 1;
            let a = ours.to_value();
            let b = match theirs.to_value() {
                Ok(b) => b,
                Err(e) => {
                    tally.failures.push(format!("{name} doc {i} ({kind}): {e}"));
                    continue;
                }
            };
            if a == b {
                tally.identical += 1;
            }
            let mut failures = Vec::new();
            compare(kind, "", &a, &b, &mut tally, &mut failures);
            tally.failures.extend(failures.into_iter().map(|f| format!("{name} doc {i} ({kind}): {f}")));
            check_conversions(&format!("{name} doc {i} ({kind})"), &ours, &theirs, &b, &mut tally.failures);
        }
    }
    tally
}

/// The conversion functions agree with decoding the document directly, both
/// ways.
fn check_conversions(
    what: &str,
    ours: &Object,
    theirs: &K8sObject,
    theirs_json: &Value,
    failures: &mut Vec<String>,
) {
    // this crate -> k8s-openapi: the same value k8s-openapi read from the document.
    match ours.to_k8s_openapi() {
        Ok(k) if &k == theirs => {}
        Ok(k) => failures.push(format!("{what}: to_k8s_openapi gave {k:?}, k8s-openapi read {theirs:?}")),
        Err(e) => failures.push(format!("{what}: to_k8s_openapi: {e}")),
    }
    match K8sObject::try_from(ours.clone()) {
        Ok(k) if &k == theirs => {}
        other => failures.push(format!("{what}: TryFrom<Object> for K8sObject: {other:?}")),
    }
    // k8s-openapi -> this crate: nothing lost, and back again unchanged.
    match Object::from_k8s_openapi(theirs) {
        Ok(back) => {
            if let Some(d) = common::first_difference("", theirs_json, &back.to_value()) {
                failures.push(format!("{what}: from_k8s_openapi lost {d}"));
            }
            match back.to_k8s_openapi() {
                Ok(k) if &k == theirs => {}
                other => failures.push(format!("{what}: k8s-openapi -> crate -> k8s-openapi: {other:?}")),
            }
            match Object::try_from(theirs.clone()) {
                Ok(o) if o == back => {}
                other => failures.push(format!("{what}: TryFrom<K8sObject> for Object: {other:?}")),
            }
        }
        Err(e) => failures.push(format!("{what}: from_k8s_openapi: {e}")),
    }
    // The typed conversions agree with the Object ones.
    if let Err(e) = typed_agrees(ours, theirs) {
        failures.push(format!("{what}: typed conversion: {e}"));
    }
}

macro_rules! typed {
    ($ours:expr, $theirs:expr, $($variant:ident),*) => {
        match ($ours, $theirs) {
            $(
                (Object::$variant(o), K8sObject::$variant(t)) => {
                    let k: <kube_workloads::api::$variant as K8sCounterpart>::K8s =
                        TryFrom::try_from(&**o).map_err(|e: InteropError| e.to_string())?;
                    if k != **t {
                        return Err("TryFrom<&T> differs from the document read by k8s-openapi".into());
                    }
                    let owned = o.to_k8s_openapi().map_err(|e| e.to_string())?;
                    let back = kube_workloads::api::$variant::try_from(owned).map_err(|e| e.to_string())?;
                    let back_ref = kube_workloads::api::$variant::from_k8s_openapi(&**t).map_err(|e| e.to_string())?;
                    if back != back_ref {
                        return Err("TryFrom<K8s> and from_k8s_openapi differ".into());
                    }
                    Ok(())
                }
            )*
            _ => Err(format!("{} and {} are different kinds", $ours.kind(), $theirs.kind())),
        }
    };
}

fn typed_agrees(ours: &Object, theirs: &K8sObject) -> Result<(), String> {
    typed!(
        ours,
        theirs,
        Pod,
        PodTemplate,
        ReplicationController,
        Node,
        PersistentVolumeClaim,
        ReplicaSet,
        Deployment,
        StatefulSet,
        DaemonSet,
        ControllerRevision,
        Job,
        CronJob
    )
}

fn report(what: &str, tally: &Tally) {
    let total: usize = tally.compared.values().sum();
    eprintln!("{what}: compared {total} objects ({} identical): {:?}", tally.identical, tally.compared);
    eprintln!(
        "{what}: no k8s-openapi counterpart: {:?}; unknown kinds skipped: {}",
        tally.no_counterpart, tally.unknown
    );
    for r in &tally.rejected {
        eprintln!("{what}: rejected by k8s-openapi: {r}");
    }
    for (e, paths) in &tally.exceptions {
        eprintln!("{what}: {e:?}: {} differences at {} paths:", tally.exception_count[e], paths.len());
        for p in paths {
            eprintln!("    {p}");
        }
    }
}

/// Fails on differences outside the exceptions, and on unmodelled fields
/// not listed with a reason.
fn check(what: &str, tally: &Tally) {
    report(what, tally);
    assert!(
        tally.failures.is_empty(),
        "{} differences:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
    let unlisted: Vec<&String> = unmodelled(tally).filter(|p| reason_for(p).is_none()).collect();
    assert!(unlisted.is_empty(), "fields dropped by k8s-openapi without a listed reason: {unlisted:#?}");
}

fn unmodelled(tally: &Tally) -> impl Iterator<Item = &String> {
    tally.exceptions.get(&Exception::UnmodelledField).into_iter().flatten()
}

/// The listed reason for an unmodelled `Kind .path`: an entry `*suffix`
/// matches every kind and path ending so, any other entry matches exactly.
fn reason_for(kind_path: &str) -> Option<&'static str> {
    UNMODELLED_BY_K8S_OPENAPI.iter().find(|(entry, _)| matches(entry, kind_path)).map(|(_, r)| *r)
}

fn matches(entry: &str, kind_path: &str) -> bool {
    match entry.strip_prefix('*') {
        Some(suffix) => kind_path.ends_with(suffix),
        None => entry == kind_path,
    }
}

#[test]
fn fixtures_read_alike() {
    let tally = diff_dir(&common::fixtures_dir());
    check("fixtures", &tally);
    for (_, kind) in Object::KINDS {
        let seen = tally.compared.contains_key(kind) || tally.no_counterpart.contains_key(kind);
        assert!(seen, "no fixture of kind {kind}");
    }
}

#[test]
fn corpus_reads_alike() {
    let Some(dir) = common::corpus_dir() else {
        eprintln!("../shared/corpus not present; skipped");
        return;
    };
    let tally = diff_dir(&dir);
    check("corpus", &tally);
    // Every listed unmodelled field and rejected document still occurs: a
    // stale entry would hide nothing, but it would mislead.
    let seen: Vec<&String> = unmodelled(&tally).collect();
    for (entry, _) in UNMODELLED_BY_K8S_OPENAPI {
        assert!(seen.iter().any(|p| matches(entry, p)), "listed unmodelled field {entry} no longer occurs");
    }
    assert_eq!(tally.rejected.len(), REJECTED_BY_K8S_OPENAPI.len(), "{:?}", tally.rejected);
    for kind in ["Pod", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"] {
        assert!(tally.compared.get(kind).copied().unwrap_or(0) > 0, "no {kind} compared");
    }
}
