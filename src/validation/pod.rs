//! Pods, pod templates and pod specs.
//!
//! upstream: pkg/apis/core/validation/validation.go — ValidatePodCreate,
//! ValidatePodSpec, validateContainers, validateInitContainers,
//! validateContainerCommon, validateContainerOnlyForPod,
//! validateContainerPorts, AccumulateUniqueHostPorts,
//! validatePodHostNetworkDeps, ValidateEnv, ValidateEnvFrom,
//! ValidateVolumeMounts, validateLocalDescendingPath, ValidateVolumes,
//! validateVolumeSource, ValidateResourceRequirements,
//! validateContainerResourceName, validateProbe, validateLivenessProbe,
//! validateReadinessProbe, validateStartupProbe, validateHandler,
//! validateSleepAction, validateLifecycle, validateRestartPolicy,
//! validateDNSPolicy, validateReadinessGates, validateSchedulingGates,
//! ValidateTolerations, validateOS, ValidatePodTemplate,
//! ValidatePodTemplateSpec.
//!
//! Security contexts, affinity, topology spread, DNS config, host aliases,
//! resource claims, overhead, pod-level resources and `valueFrom` contents
//! are checked in the sibling modules (`security`, `affinity`, `podspec`,
//! `env`). Not validated (documented gaps): ephemeral container contents
//! beyond the common container checks (they are rejected on create anyway)
//! and volume sources this crate keeps untyped (only counted). Pod-specific
//! annotations are checked in `annotations`.

use std::collections::{HashMap, HashSet};

use crate::api::{
    Container, ContainerRestartPolicy, DnsPolicy, HttpGetAction, IntOrString, Lifecycle, LifecycleHandler,
    MountPropagationMode, Pod, PodSpec, PodTemplate, PodTemplateSpec, PreemptionPolicy, Probe, Protocol,
    PullPolicy, Quantity, RecursiveReadOnlyMode, ResourceRequirements, RestartPolicy, TaintEffect,
    TerminationMessagePolicy, TolerationOperator, UriScheme, Volume, VolumeDevice, VolumeMount,
};

use super::meta::{self, NameRule};
use super::strings;
use super::{BadValue, Ctx, Errors, FieldError, FieldPath};

/// Volume source keys, in upstream's checking order
/// (`validateVolumeSource`: `emptyDir` first); the typed ones are also
/// fields of [`Volume`].
pub(crate) const VOLUME_SOURCES: &[&str] = &[
    "emptyDir",
    "hostPath",
    "gitRepo",
    "gcePersistentDisk",
    "awsElasticBlockStore",
    "secret",
    "nfs",
    "iscsi",
    "glusterfs",
    "flocker",
    "persistentVolumeClaim",
    "rbd",
    "cinder",
    "cephfs",
    "quobyte",
    "downwardAPI",
    "fc",
    "flexVolume",
    "configMap",
    "azureFile",
    "vsphereVolume",
    "photonPersistentDisk",
    "portworxVolume",
    "azureDisk",
    "storageos",
    "projected",
    "scaleIO",
    "csi",
    "ephemeral",
    "image",
];

/// The path upstream names a second volume source at: the JSON key, but
/// for two that `validateVolumeSource` spells its own way (`cephFS`, and
/// the typo `downwarAPI`).
fn extra_source_path(key: &str) -> &str {
    match key {
        "cephfs" => "cephFS",
        "downwardAPI" => "downwarAPI",
        other => other,
    }
}

pub(crate) const FILE_MODE_MSG: &str = "must be a number between 0 and 0777 (octal), both inclusive";

/// Whether the spec being validated belongs to a Pod object or a template.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    Pod,
    Template,
}

/// Reports an optional open enum: `None` → Required, unknown → NotSupported.
pub(crate) fn required_enum<T>(
    value: Option<&T>,
    known: &[&str],
    as_str: impl Fn(&T) -> &str,
    is_known: impl Fn(&T) -> bool,
    path: &FieldPath,
    errs: &mut Errors,
) {
    match value {
        None => errs.push(FieldError::required(path, "")),
        Some(v) if as_str(v).is_empty() => errs.push(FieldError::required(path, "")),
        Some(v) if !is_known(v) => errs.push(FieldError::not_supported(path, as_str(v), known)),
        Some(_) => {}
    }
}

/// Validates a Pod on create (upstream: ValidatePodCreate).
pub(crate) fn pod(pod: &Pod, ctx: &Ctx<'_>) -> Errors {
    let ctx = &Ctx {
        mirror_pod: super::annotations::is_mirror_pod(pod),
        pod_name: Some(pod.metadata.name()),
        ..ctx.clone()
    };
    let mut errs = meta::object_meta(&pod.metadata, NameRule::Subdomain);
    let path = FieldPath::new("spec");
    let default_spec = PodSpec::default();
    let spec = pod.spec.as_ref().unwrap_or(&default_spec);
    super::annotations::pod_specific(
        pod.metadata.annotations.as_ref(),
        spec,
        &FieldPath::new("metadata.annotations"),
        ctx.allow_invalid_deletion_cost(),
        &mut errs,
    );
    errs.extend(spec_errors(spec, &path, ctx, Owner::Pod));
    only_for_pod(spec, &path, &mut errs);
    if spec.ephemeral_containers.as_ref().is_some_and(|e| !e.is_empty()) {
        errs.push(FieldError::forbidden(&path.child("ephemeralContainers"), "cannot be set on create"));
    }
    super::annotations::pod_create(pod, spec, &mut errs);
    errs
}

/// Validates a Pod as the API server does on create, with default gates.
pub fn validate_pod(pod: &Pod) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(self::pod(pod, &Ctx::new(&gates))).into_result()
}

/// Validates a PodTemplate object (upstream: ValidatePodTemplate).
pub(crate) fn pod_template(t: &PodTemplate, ctx: &Ctx<'_>) -> Errors {
    let mut errs = meta::object_meta(&t.metadata, NameRule::Subdomain);
    errs.extend(pod_template_spec(t, ctx));
    errs
}

/// A PodTemplate's `template` (what an update checks beside the metadata).
pub(crate) fn pod_template_spec(t: &PodTemplate, ctx: &Ctx<'_>) -> Errors {
    let path = FieldPath::new("template");
    match &t.template {
        Some(template) => template_spec(template, &path, ctx),
        None => template_spec(&PodTemplateSpec::default(), &path, ctx),
    }
}

/// Validates a PodTemplate object with default gates.
pub fn validate_pod_template(t: &PodTemplate) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(pod_template(t, &Ctx::new(&gates))).into_result()
}

/// Validates a pod template spec at `path` (upstream: ValidatePodTemplateSpec):
/// labels at `<path>.labels`, annotations at `<path>.annotations` (the
/// generic rules, then the pod-specific ones a Pod gets), the pod spec at
/// `<path>.spec`, the seccomp / AppArmor annotations against their fields,
/// no ephemeral containers.
pub(crate) fn template_spec(t: &PodTemplateSpec, path: &FieldPath, ctx: &Ctx<'_>) -> Errors {
    let mut errs = template_metadata(t, path);
    let default_spec = PodSpec::default();
    let spec = t.spec.as_ref().unwrap_or(&default_spec);
    template_pod_annotations(t, path, ctx, &mut errs);
    let annotations = t.metadata.as_ref().and_then(|m| m.annotations.as_ref());
    let spec_path = path.child("spec");
    errs.extend(spec_errors(spec, &spec_path, ctx, Owner::Template));
    super::annotations::fields_match(annotations, spec, &spec_path, &mut errs);
    if spec.ephemeral_containers.as_ref().is_some_and(|e| !e.is_empty()) {
        errs.push(FieldError::forbidden(
            &spec_path.child("ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        ));
    }
    errs
}

/// The pod-specific annotation rules of a template's annotations, at
/// `<path>.annotations` (upstream: ValidatePodSpecificAnnotations, which a
/// StatefulSet whose old spec was invalid still runs).
pub(crate) fn template_pod_annotations(
    t: &PodTemplateSpec,
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    let default_spec = PodSpec::default();
    super::annotations::pod_specific(
        t.metadata.as_ref().and_then(|m| m.annotations.as_ref()),
        t.spec.as_ref().unwrap_or(&default_spec),
        &path.child("annotations"),
        ctx.allow_invalid_deletion_cost(),
        errs,
    );
}

/// A pod template's labels and annotations (what a StatefulSet whose old
/// spec was invalid still checks of its template, with
/// [`template_pod_annotations`]).
pub(crate) fn template_metadata(t: &PodTemplateSpec, path: &FieldPath) -> Errors {
    let mut errs = Vec::new();
    if let Some(m) = &t.metadata {
        if let Some(labels) = &m.labels {
            errs.extend(meta::validate_labels(labels, &path.child("labels")));
        }
        if let Some(a) = &m.annotations {
            errs.extend(meta::annotations(a, &path.child("annotations")));
        }
    }
    errs
}

/// Validates a pod template spec at `path` with default gates.
pub fn validate_pod_template_spec(t: &PodTemplateSpec, path: &FieldPath) -> Vec<FieldError> {
    let gates = crate::FeatureGates::default();
    template_spec(t, path, &Ctx::new(&gates))
}

/// Validates a pod spec at `path` as part of a template, with default gates
/// (upstream: ValidatePodSpec).
pub fn validate_pod_spec(spec: &PodSpec, path: &FieldPath) -> Vec<FieldError> {
    let gates = crate::FeatureGates::default();
    spec_errors(spec, path, &Ctx::new(&gates), Owner::Template)
}

/// upstream: ValidatePodSpec (a pod's name in `ctx` names its ephemeral
/// claims).
pub(crate) fn spec_errors(spec: &PodSpec, path: &FieldPath, ctx: &Ctx<'_>, owner: Owner) -> Errors {
    let mut errs = Vec::new();
    // Deviation (documented): upstream leaves negative values to the pod
    // strategy, which rewrites them to 1; the crate rejects them.
    match spec.termination_grace_period_seconds {
        None => errs.push(FieldError::required(&path.child("terminationGracePeriodSeconds"), "")),
        Some(v) => meta::non_negative(v, &path.child("terminationGracePeriodSeconds"), &mut errs),
    }
    let volumes = volumes(spec.volumes(), &path.child("volumes"), owner, ctx, &mut errs);
    // A Pod's strategy turns a negative grace period into 1 before it
    // validates (the crate still reports the negative value, above), so a
    // Pod's sleep hooks are checked against that 1; a template keeps it.
    let grace =
        spec.termination_grace_period_seconds.map(|g| if g < 0 && owner == Owner::Pod { 1 } else { g });
    super::podspec::resource_claims(spec, path, ctx.mirror_pod, &mut errs);
    containers(spec, &volumes, grace, &path.child("containers"), ctx, &mut errs);
    init_containers(spec, &volumes, grace, &path.child("initContainers"), ctx, &mut errs);
    // upstream: ValidatePodSpec checks ephemeral containers' contents on
    // every spec, templates included (a Pod's create then refuses them).
    errs.extend(ephemeral_containers(spec, &volumes, &path.child("ephemeralContainers"), ctx));
    super::podspec::pod_resources(spec, path, &mut errs, |r, p, errs| pod_level_resources(r, p, ctx, errs));
    host_network_deps(spec, path, owner, &mut errs);
    required_enum(
        spec.restart_policy.as_ref(),
        RestartPolicy::KNOWN,
        RestartPolicy::as_str,
        RestartPolicy::is_known,
        &path.child("restartPolicy"),
        &mut errs,
    );
    required_enum(
        spec.dns_policy.as_ref(),
        // upstream: validateDNSPolicy's own order (not the declaration's).
        &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        DnsPolicy::as_str,
        DnsPolicy::is_known,
        &path.child("dnsPolicy"),
        &mut errs,
    );
    if let Some(ns) = &spec.node_selector {
        errs.extend(meta::validate_labels(ns, &path.child("nodeSelector")));
    }
    super::security::pod_security_context(spec, path, ctx, &mut errs);
    if let Some(a) = &spec.affinity {
        super::affinity::affinity(a, &path.child("affinity"), ctx, &mut errs);
    }
    super::podspec::dns_config(spec, path, &mut errs);
    for (i, gate) in spec.readiness_gates().iter().enumerate() {
        let p = path.child("readinessGates").index(i).child("conditionType");
        for msg in strings::qualified_name(&gate.condition_type) {
            errs.push(FieldError::invalid(&p, &gate.condition_type, &msg));
        }
    }
    let mut seen_gates = HashSet::new();
    for (i, gate) in spec.scheduling_gates.iter().flatten().enumerate() {
        let p = path.child("schedulingGates").index(i);
        for msg in strings::qualified_name(&gate.name) {
            errs.push(FieldError::invalid(&p, &gate.name, &msg));
        }
        if !seen_gates.insert(gate.name.as_str()) {
            errs.push(FieldError::duplicate(&p, &gate.name));
        }
    }
    super::affinity::topology_spread_constraints(
        spec,
        &path.child("topologySpreadConstraints"),
        ctx,
        &mut errs,
    );
    super::security::windows_host_process(spec, path, &mut errs);
    super::security::host_users(spec, path, ctx, &mut errs);
    // With the gate off the API server drops the field, unless the stored
    // object already used it (dropDisabledFields).
    if ctx.gates.hostname_override || ctx.old.hostname_override {
        hostname_override(spec, &path.child("hostnameOverride"), &mut errs);
    }
    // The v1 conversion fills serviceAccountName from the deprecated
    // serviceAccount when it is empty (Convert_v1_PodSpec_To_core_PodSpec).
    let service_account =
        spec.service_account_name.as_deref().filter(|n| !n.is_empty()).or(spec.service_account.as_deref());
    subdomain_field(service_account, &path.child("serviceAccountName"), &mut errs);
    subdomain_field(spec.node_name.as_deref(), &path.child("nodeName"), &mut errs);
    if let Some(v) = spec.active_deadline_seconds
        && !(1..=i64::from(i32::MAX)).contains(&v)
    {
        errs.push(FieldError::invalid(
            &path.child("activeDeadlineSeconds"),
            v,
            &strings::inclusive_range_error(1, i64::from(i32::MAX)),
        ));
    }
    label_field(spec.hostname.as_deref(), &path.child("hostname"), &mut errs);
    label_field(spec.subdomain.as_deref(), &path.child("subdomain"), &mut errs);
    tolerations(spec, &path.child("tolerations"), ctx, &mut errs);
    super::podspec::host_aliases(spec, path, &mut errs);
    subdomain_field(spec.priority_class_name.as_deref(), &path.child("priorityClassName"), &mut errs);
    // upstream: ValidateRuntimeClassName, on any value that is set, the
    // empty string included.
    if let Some(v) = spec.runtime_class_name.as_deref() {
        for msg in strings::dns1123_subdomain(v) {
            errs.push(FieldError::invalid(&path.child("runtimeClassName"), v, &msg));
        }
    }
    // upstream: ValidatePreemptionPolicy (an empty value is Required).
    if let Some(p) = &spec.preemption_policy
        && !p.is_known()
    {
        if p.as_str().is_empty() {
            errs.push(FieldError::required(&path.child("preemptionPolicy"), ""));
        } else {
            errs.push(FieldError::not_supported(
                &path.child("preemptionPolicy"),
                p.as_str(),
                PreemptionPolicy::KNOWN,
            ));
        }
    }
    if let Some(overhead) = &spec.overhead {
        // upstream: validateOverhead checks the list as container limits.
        let r = ResourceRequirements { limits: Some(overhead.clone()), ..Default::default() };
        resources(&r, &path.child("overhead"), ctx, &mut errs);
    }
    if let Some(os) = &spec.os {
        // upstream: validateOS returns early on an empty name.
        let p = path.child("os");
        if os.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        } else if os.name != "linux" && os.name != "windows" {
            errs.push(FieldError::not_supported(&p, &os.name, &["linux", "windows"]));
        } else {
            super::security::os_specific(spec, path, &mut errs);
        }
    }
    if ctx.allow_env_files() {
        super::env::file_key_ref_volumes(spec, path, &mut errs);
    }
    errs
}

/// upstream: validatePodHostName: the name the pod's hostname is overridden
/// with: not beside `setHostnameAsFQDN` or `hostNetwork`, at most 64 bytes,
/// an RFC 1123 subdomain.
fn hostname_override(spec: &PodSpec, path: &FieldPath, errs: &mut Errors) {
    let Some(name) = spec.hostname_override.as_deref() else { return };
    if spec.set_hostname_as_fqdn == Some(true) {
        errs.push(FieldError::forbidden(path, "may not be specified when setHostnameAsFQDN is true"));
    }
    if spec.host_network == Some(true) {
        errs.push(FieldError::forbidden(path, "may not be specified when hostNetwork is true"));
    }
    if name.len() > MAX_HOSTNAME_OVERRIDE_BYTES {
        errs.push(FieldError::too_long(path, MAX_HOSTNAME_OVERRIDE_BYTES));
    }
    for msg in strings::dns1123_subdomain(name) {
        errs.push(FieldError::invalid(path, name, &msg));
    }
}

/// The longest `hostnameOverride` (upstream: the 64-byte limit of a Linux
/// hostname, `validatePodHostName`).
const MAX_HOSTNAME_OVERRIDE_BYTES: usize = 64;

fn subdomain_field(value: Option<&str>, path: &FieldPath, errs: &mut Errors) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        for msg in strings::dns1123_subdomain(v) {
            errs.push(FieldError::invalid(path, v, &msg));
        }
    }
}

fn label_field(value: Option<&str>, path: &FieldPath, errs: &mut Errors) {
    if let Some(v) = value.filter(|v| !v.is_empty()) {
        for msg in strings::dns1123_label(v) {
            errs.push(FieldError::invalid(path, v, &msg));
        }
    }
}

/// upstream: ValidateTolerations.
pub(crate) fn tolerations(spec: &PodSpec, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    for (i, t) in spec.tolerations().iter().enumerate() {
        let p = path.index(i);
        let key = t.key.as_deref().unwrap_or("");
        if !key.is_empty() {
            meta::label_key(key, &p.child("key"), errs);
        }
        let op = t.operator.as_ref().map_or("", TolerationOperator::as_str);
        if key.is_empty() && op != "Exists" {
            errs.push(FieldError::invalid(
                &p.child("operator"),
                BadValue::named(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
        if t.toleration_seconds.is_some() && t.effect != Some(TaintEffect::NoExecute) {
            errs.push(FieldError::invalid(
                &p.child("effect"),
                t.effect.as_ref().map_or("", TaintEffect::as_str),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            ));
        }
        let value = t.value.as_deref().unwrap_or("");
        match op {
            "" | "Equal" => {
                let msgs = strings::label_value(value);
                if !msgs.is_empty() {
                    errs.push(FieldError::invalid(&p.child("operator"), value, &msgs.join(";")));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    // upstream: ValidateTolerations reports the value here
                    // since 1.32 (kubernetes PR 128119; the whole toleration
                    // before).
                    errs.push(FieldError::invalid(
                        &p.child("operator"),
                        value,
                        "value must be empty when `operator` is 'Exists'",
                    ));
                }
            }
            "Lt" | "Gt" if !ctx.allow_toleration_comparison_operators() => {
                errs.push(FieldError::not_supported(
                    &p.child("operator"),
                    op,
                    &["Equal", "Exists", "Lt", "Gt"],
                ));
            }
            // TaintTolerationComparisonOperators: the value is a canonical
            // decimal integer that fits an int64.
            "Lt" | "Gt" => {
                let vp = p.child("value");
                if let Some(msg) = decimal_integer_error(value) {
                    errs.push(FieldError::invalid(&vp, value, msg));
                }
                if let Some(msg) = parse_int_error(value) {
                    errs.push(FieldError::invalid(&vp, value, &msg));
                }
            }
            other => errs.push(FieldError::not_supported(&p.child("operator"), other, &["Equal", "Exists"])),
        }
        if let Some(effect) = &t.effect
            && !effect.is_known()
            && !effect.as_str().is_empty()
        {
            errs.push(FieldError::not_supported(&p.child("effect"), effect.as_str(), TaintEffect::KNOWN));
        }
    }
}

/// upstream: content.IsDecimalInteger: `0`, or an optional `-` and digits
/// without a leading zero.
fn decimal_integer_error(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        return Some("must be non-empty");
    }
    let digits = value.strip_prefix('-').unwrap_or(value);
    let canonical = value == "0"
        || (digits.bytes().next().is_some_and(|b| (b'1'..=b'9').contains(&b))
            && digits.bytes().all(|b| b.is_ascii_digit()));
    (!canonical).then_some("must be a valid decimal integer in canonical form")
}

/// The error Go's `strconv.ParseInt(value, 10, 64)` returns, as its text.
fn parse_int_error(value: &str) -> Option<String> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    let reason = if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        "invalid syntax"
    } else if value.parse::<i64>().is_err() {
        "value out of range"
    } else {
        return None;
    };
    Some(format!("strconv.ParseInt: parsing {}: {reason}", super::go_quote(value)))
}

/// The volumes that passed validation, by name, each with whether a claim
/// backs it (`persistentVolumeClaim` or `ephemeral`: the only sources a
/// block device may use). Mounts and devices naming any other volume are
/// `NotFound` (upstream: the source map `ValidateVolumes` returns).
pub(crate) type ValidVolumes<'a> = HashMap<&'a str, bool>;

/// upstream: ValidateVolumes, validateVolumeSource. Returns the volumes that
/// passed.
pub(crate) fn volumes<'a>(
    vols: &'a [Volume],
    path: &FieldPath,
    owner: Owner,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) -> ValidVolumes<'a> {
    // upstream: ValidateVolumes. With a pod's name (not a template's),
    // each ephemeral volume's claim `<pod>-<volume>` must be a valid name,
    // and no claim volume may name one of them.
    let created: HashSet<String> = ctx
        .named_pod()
        .map(|pod| {
            vols.iter()
                .filter(|v| volume_has_source(v, "ephemeral"))
                .map(|v| format!("{pod}-{}", v.name))
                .collect()
        })
        .unwrap_or_default();
    let mut names = HashMap::new();
    for (i, v) in vols.iter().enumerate() {
        let p = path.index(i);
        let mut el = volume_source(v, &p, owner, ctx);
        let name_path = p.child("name");
        if v.name.is_empty() {
            el.push(FieldError::required(&name_path, ""));
        } else {
            for msg in strings::dns1123_label(&v.name) {
                el.push(FieldError::invalid(&name_path, &v.name, &msg));
            }
        }
        if names.contains_key(v.name.as_str()) {
            el.push(FieldError::duplicate(&name_path, &v.name));
        }
        if el.is_empty() {
            let claim = v.persistent_volume_claim.is_some() || volume_has_source(v, "ephemeral");
            names.insert(v.name.as_str(), claim);
        } else {
            errs.extend(el);
        }
        if let Some(c) = &v.persistent_volume_claim
            && created.contains(&c.claim_name)
        {
            errs.push(FieldError::invalid(
                &p.child("persistentVolumeClaim").child("claimName"),
                c.claim_name.as_str(),
                "must not reference a PVC that gets created for an ephemeral volume",
            ));
        }
    }
    names
}

/// Whether volume `v` sets source `key`.
pub(crate) fn volume_has_source(v: &Volume, key: &str) -> bool {
    match key {
        "emptyDir" => v.empty_dir.is_some(),
        "secret" => v.secret.is_some(),
        "persistentVolumeClaim" => v.persistent_volume_claim.is_some(),
        "configMap" => v.config_map.is_some(),
        other => v.other.get(other).is_some_and(|x| !x.is_null()),
    }
}

fn volume_source(v: &Volume, path: &FieldPath, owner: Owner, ctx: &Ctx<'_>) -> Errors {
    let mut errs = Vec::new();
    let mut count = 0usize;
    for key in VOLUME_SOURCES {
        if !volume_has_source(v, key) {
            continue;
        }
        if count > 0 {
            errs.push(FieldError::forbidden(
                &path.child(extra_source_path(key)),
                "may not specify more than 1 volume type",
            ));
            continue;
        }
        count = count.saturating_add(1);
        let p = path.child(key);
        match *key {
            "secret" => {
                if let Some(s) = &v.secret {
                    if s.secret_name.as_deref().unwrap_or("").is_empty() {
                        errs.push(FieldError::required(&p.child("secretName"), ""));
                    }
                    file_mode(s.default_mode.map(i64::from), &p.child("defaultMode"), &mut errs);
                    key_to_paths(s.items.as_deref().unwrap_or(&[]), &p.child("items"), &mut errs);
                }
            }
            "configMap" => {
                if let Some(c) = &v.config_map {
                    if c.name.as_deref().unwrap_or("").is_empty() {
                        errs.push(FieldError::required(&p.child("name"), ""));
                    }
                    file_mode(c.default_mode.map(i64::from), &p.child("defaultMode"), &mut errs);
                    key_to_paths(c.items.as_deref().unwrap_or(&[]), &p.child("items"), &mut errs);
                }
            }
            "persistentVolumeClaim"
                if v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name.is_empty()) =>
            {
                errs.push(FieldError::required(&p.child("claimName"), ""));
            }
            "flexVolume" => flex_volume(v.other.get("flexVolume"), &p, &mut errs),
            other if v.other.contains_key(other) => {
                if let Some(source) = v.other.get(other) {
                    super::volume_sources::source(other, source, path, owner, ctx, &mut errs);
                }
                // upstream: validateVolumeSource checks the name of the
                // claim an ephemeral volume creates with the volume.
                if other == "ephemeral"
                    && let Some(pod) = ctx.named_pod()
                    && !v.name.is_empty()
                {
                    let claim = format!("{pod}-{}", v.name);
                    for msg in strings::dns1123_subdomain(&claim) {
                        errs.push(FieldError::invalid(
                            &path.child("name"),
                            v.name.as_str(),
                            &format!("PVC name {}: {msg}", super::go_quote(&claim)),
                        ));
                    }
                }
            }
            "emptyDir" => {
                // The sign exactly where the decimal reading fits (a value
                // below a nano rounds away from zero: -1e-400 is negative).
                let negative = |text: &str| match super::quantity::parse(text) {
                    Some(p) => p.value.signum() < 0,
                    None => parse_quantity(text).is_some_and(|q| q < 0.0),
                };
                if let Some(limit) = v.empty_dir.as_ref().and_then(|e| e.size_limit.as_ref())
                    && negative(&limit.value)
                {
                    errs.push(FieldError::forbidden(
                        &p.child("sizeLimit"),
                        "SizeLimit field must be a valid resource quantity",
                    ));
                }
            }
            _ => {}
        }
    }
    if count == 0 {
        errs.push(FieldError::required(path, "must specify a volume type"));
    }
    errs
}

/// upstream: validateFlexVolumeSource: a driver, and no option key in the
/// `kubernetes.io` or `k8s.io` namespaces (the part before a `/`, or the
/// whole key).
fn flex_volume(source: Option<&serde_json::Value>, path: &FieldPath, errs: &mut Errors) {
    let Some(source) = source else { return };
    let driver = source.get("driver").and_then(serde_json::Value::as_str).unwrap_or("");
    if driver.is_empty() {
        errs.push(FieldError::required(&path.child("driver"), ""));
    }
    let Some(options) = source.get("options").and_then(serde_json::Value::as_object) else { return };
    for key in options.keys() {
        let namespace = key.split_once('/').map_or(key.as_str(), |(ns, _)| ns);
        let normalized = format!(".{}", crate::text::go_to_lower(namespace));
        if normalized.ends_with(".kubernetes.io") || normalized.ends_with(".k8s.io") {
            errs.push(FieldError::invalid(
                &path.child("options").key(key),
                key,
                "kubernetes.io and k8s.io namespaces are reserved",
            ));
        }
    }
}

/// A file mode: 0 to 0777.
pub(crate) fn file_mode(mode: Option<i64>, path: &FieldPath, errs: &mut Errors) {
    if let Some(m) = mode
        && !(0..=0o777).contains(&m)
    {
        errs.push(FieldError::invalid(path, m, FILE_MODE_MSG));
    }
}

/// upstream: validateKeyToPath, validateLocalNonReservedPath.
fn key_to_paths(items: &[crate::api::KeyToPath], path: &FieldPath, errs: &mut Errors) {
    for (i, item) in items.iter().enumerate() {
        key_to_path(&item.key, &item.path, item.mode.map(i64::from), &path.index(i), errs);
    }
}

/// upstream: validateKeyToPath for one item at `p`: a key, and a path that
/// stays inside the volume, and a file mode.
pub(crate) fn key_to_path(key: &str, file: &str, mode: Option<i64>, p: &FieldPath, errs: &mut Errors) {
    if key.is_empty() {
        errs.push(FieldError::required(&p.child("key"), ""));
    }
    if file.is_empty() {
        errs.push(FieldError::required(&p.child("path"), ""));
    }
    local_non_reserved_path(file, &p.child("path"), errs);
    file_mode(mode, &p.child("mode"), errs);
}

/// upstream: ValidateLocalNonReservedPath: a local descending path that
/// does not start with `..` (reported once when the `..` check above
/// already caught it).
pub(crate) fn local_non_reserved_path(target: &str, path: &FieldPath, errs: &mut Errors) {
    local_descending_path(target, path, errs);
    if target.starts_with("..") && !target.starts_with("../") {
        errs.push(FieldError::invalid(path, target, "must not start with '..'"));
    }
}

/// upstream: validateLocalDescendingPath, validatePathNoBacksteps.
pub(crate) fn local_descending_path(target: &str, path: &FieldPath, errs: &mut Errors) {
    if target.starts_with('/') {
        errs.push(FieldError::invalid(path, target, "must be a relative path"));
    }
    if target.split('/').any(|part| part == "..") {
        errs.push(FieldError::invalid(path, target, "must not contain '..'"));
    }
}

/// upstream: validateContainers.
fn containers(
    spec: &PodSpec,
    volumes: &ValidVolumes<'_>,
    grace: Option<i64>,
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    if spec.containers.is_empty() {
        errs.push(FieldError::required(path, ""));
        return;
    }
    let mut names = HashSet::new();
    for (i, c) in spec.containers.iter().enumerate() {
        let p = path.index(i);
        container_common(c, spec, volumes, &p, ctx, errs);
        if !names.insert(c.name.as_str()) {
            errs.push(FieldError::duplicate(&p.child("name"), &c.name));
        }
        // Lifecycle before the probes, as validateContainers checks them.
        if let Some(lc) = &c.lifecycle {
            lifecycle(lc, spec, grace, &p.child("lifecycle"), ctx, errs);
        }
        probes(c, grace, &p, ctx, errs);
        // Without the gate the API server drops the fields before
        // validation.
        if ctx.allow_container_restart_rules() {
            super::restart_rules::container(c, &p, errs);
        }
    }
    host_ports(spec.containers.iter().enumerate(), path, errs);
}

/// upstream: validateInitContainers.
fn init_containers(
    spec: &PodSpec,
    volumes: &ValidVolumes<'_>,
    grace: Option<i64>,
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    let mut names: HashSet<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    for (i, c) in spec.init_containers().iter().enumerate() {
        let p = path.index(i);
        container_common(c, spec, volumes, &p, ctx, errs);
        // Without the gate any policy but Always is dropped before
        // validation: such a container is a plain init container.
        let sidecar = c.restart_policy == Some(ContainerRestartPolicy::Always);
        if ctx.allow_container_restart_rules() {
            super::restart_rules::init_container(c, &p, errs);
        }
        if names.contains(c.name.as_str()) {
            errs.push(FieldError::duplicate(&p.child("name"), &c.name));
        } else if !c.name.is_empty() {
            names.insert(c.name.as_str());
        }
        // upstream checks each init container as a list of one, so a
        // duplicate is reported at index 0 whatever the container's
        // (validateInitContainers: checkHostPortConflicts([]{ctr})).
        host_ports(std::iter::once((0, c)), path, errs);
        if sidecar {
            if let Some(lc) = &c.lifecycle {
                lifecycle(lc, spec, grace, &p.child("lifecycle"), ctx, errs);
            }
            probes(c, grace, &p, ctx, errs);
        } else {
            const MSG: &str = "may not be set for init containers without restartPolicy=Always";
            if c.lifecycle.is_some() && !lifecycle_dropped(c.lifecycle.as_ref(), ctx) {
                errs.push(FieldError::forbidden(&p.child("lifecycle"), MSG));
            }
            if c.liveness_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("livenessProbe"), MSG));
            }
            if c.readiness_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("readinessProbe"), MSG));
            }
            if c.startup_probe.is_some() {
                errs.push(FieldError::forbidden(&p.child("startupProbe"), MSG));
            }
            // A resizePolicy is allowed here too: upstream refuses it on
            // init containers only without InPlacePodVerticalScaling
            // (AllowSidecarResizePolicy), which 1.33 turned on.
        }
    }
}

/// upstream: AccumulateUniqueHostPorts (one accumulator per call).
fn host_ports<'a>(
    containers: impl Iterator<Item = (usize, &'a Container)>,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let mut seen = HashSet::new();
    for (ci, c) in containers {
        for (pi, port) in c.ports().iter().enumerate() {
            let host_port = port.host_port.unwrap_or(0);
            if host_port == 0 {
                continue;
            }
            let key = format!(
                "{}/{}/{}",
                port.protocol.as_ref().map_or("", Protocol::as_str),
                port.host_ip.as_deref().unwrap_or(""),
                host_port
            );
            if seen.contains(&key) {
                errs.push(FieldError::duplicate(
                    &path.index(ci).child("ports").index(pi).child("hostPort"),
                    key,
                ));
            } else {
                seen.insert(key);
            }
        }
    }
}

/// upstream: validatePodHostNetworkDeps.
fn host_network_deps(spec: &PodSpec, path: &FieldPath, owner: Owner, errs: &mut Errors) {
    if spec.host_network != Some(true) {
        return;
    }
    // Regular containers only: init containers' ports are not checked.
    for (ci, c) in spec.containers.iter().enumerate() {
        for (pi, port) in c.ports().iter().enumerate() {
            let host_port = port.host_port.unwrap_or(0);
            if (owner == Owner::Pod || host_port != 0) && host_port != port.container_port {
                errs.push(FieldError::invalid(
                    &path.child("containers").index(ci).child("ports").index(pi).child("hostPort"),
                    host_port,
                    "must match `containerPort` when `hostNetwork` is true",
                ));
            }
        }
    }
}

/// upstream: validateContainerOnlyForPod: a pod's (not a template's)
/// image has no leading or trailing whitespace.
fn image_whitespace(c: &Container, path: &FieldPath, errs: &mut Errors) {
    let image = c.image.as_deref().unwrap_or("");
    if !image.is_empty() && image.trim() != image {
        errs.push(FieldError::invalid(
            &path.child("image"),
            image,
            "must not have leading or trailing whitespace",
        ));
    }
}

/// What validatePodMetadataAndSpec checks of a pod after its spec, and not
/// of a template: projected service-account tokens need a service account,
/// and the containers', then the init containers', images have no
/// surrounding whitespace (the ephemeral containers' are checked with
/// them).
pub(crate) fn only_for_pod(spec: &PodSpec, path: &FieldPath, errs: &mut Errors) {
    super::volume_sources::tokens_need_service_account(spec, path, errs);
    for (key, list) in
        [("containers", spec.containers.as_slice()), ("initContainers", spec.init_containers())]
    {
        for (i, c) in list.iter().enumerate() {
            image_whitespace(c, &path.child(key).index(i), errs);
        }
    }
}

/// upstream: validateContainerCommon.
fn container_common(
    c: &Container,
    spec: &PodSpec,
    volumes: &ValidVolumes<'_>,
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    let name_path = path.child("name");
    if c.name.is_empty() {
        errs.push(FieldError::required(&name_path, ""));
    } else {
        for msg in strings::dns1123_label(&c.name) {
            errs.push(FieldError::invalid(&name_path, &c.name, &msg));
        }
    }
    if c.image.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::required(&path.child("image"), ""));
    }
    required_enum(
        c.termination_message_policy.as_ref(),
        TerminationMessagePolicy::KNOWN,
        TerminationMessagePolicy::as_str,
        TerminationMessagePolicy::is_known,
        &path.child("terminationMessagePolicy"),
        errs,
    );
    container_ports(c, &path.child("ports"), errs);
    env(c.env(), &path.child("env"), ctx, errs);
    env_from(c.env_from(), &path.child("envFrom"), ctx, errs);
    volume_mounts(c.volume_mounts(), c.volume_devices(), volumes, Some(c), &path.child("volumeMounts"), errs);
    volume_devices(c.volume_devices(), c.volume_mounts(), volumes, &path.child("volumeDevices"), errs);
    required_enum(
        c.image_pull_policy.as_ref(),
        PullPolicy::KNOWN,
        PullPolicy::as_str,
        PullPolicy::is_known,
        &path.child("imagePullPolicy"),
        errs,
    );
    if let Some(r) = &c.resources {
        resources(r, &path.child("resources"), ctx, errs);
    }
    let claims = super::podspec::pod_claim_names(spec);
    super::podspec::container_claims(c, &claims, &path.child("resources").child("claims"), errs);
    resize_policy(c.resize_policy.as_deref().unwrap_or(&[]), spec, &path.child("resizePolicy"), errs);
    if let Some(sc) = c.security_context.as_ref().filter(|v| !v.is_null()) {
        super::security::container_security_context(sc, spec.host_users.unwrap_or(true), path, errs);
    }
}

/// upstream: validateResizePolicy: each resource once, cpu or memory, a
/// known restart policy, and under a pod `restartPolicy: Never` only
/// `NotRequired`. The errors but the duplicate are on the list's path.
fn resize_policy(
    list: &[crate::api::ContainerResizePolicy],
    spec: &PodSpec,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let never = spec.restart_policy() == RestartPolicy::Never;
    let mut seen = HashSet::new();
    for (i, p) in list.iter().enumerate() {
        if !seen.insert(p.resource_name.as_str()) {
            errs.push(FieldError::duplicate(&path.index(i), &p.resource_name));
        }
        match p.resource_name.as_str() {
            "cpu" | "memory" => {}
            "" => errs.push(FieldError::required(path, "")),
            other => errs.push(FieldError::not_supported(path, other, &["cpu", "memory"])),
        }
        let policy = p.restart_policy_as_read();
        match policy.as_str() {
            "NotRequired" | "RestartContainer" => {}
            "" => errs.push(FieldError::required(path, "")),
            other => errs.push(FieldError::not_supported(path, other, &["NotRequired", "RestartContainer"])),
        }
        if never && policy.as_str() != "NotRequired" {
            errs.push(FieldError::invalid(
                path,
                BadValue::named(policy.as_str()),
                "must be 'NotRequired' when `restartPolicy` is 'Never'",
            ));
        }
    }
}

/// upstream: validateContainerPorts.
fn container_ports(c: &Container, path: &FieldPath, errs: &mut Errors) {
    let mut names = HashSet::new();
    for (i, port) in c.ports().iter().enumerate() {
        let p = path.index(i);
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = strings::port_name(name);
            if !msgs.is_empty() {
                for msg in msgs {
                    errs.push(FieldError::invalid(&p.child("name"), name, &msg));
                }
            } else if !names.insert(name) {
                errs.push(FieldError::duplicate(&p.child("name"), name));
            }
        }
        if port.container_port == 0 {
            errs.push(FieldError::required(&p.child("containerPort"), ""));
        } else {
            for msg in strings::port_num(i64::from(port.container_port)) {
                errs.push(FieldError::invalid(&p.child("containerPort"), port.container_port, &msg));
            }
        }
        if let Some(hp) = port.host_port.filter(|hp| *hp != 0) {
            for msg in strings::port_num(i64::from(hp)) {
                errs.push(FieldError::invalid(&p.child("hostPort"), hp, &msg));
            }
        }
        required_enum(
            port.protocol.as_ref(),
            // upstream lists the set sorted (sets.List).
            &["SCTP", "TCP", "UDP"],
            Protocol::as_str,
            Protocol::is_known,
            &p.child("protocol"),
            errs,
        );
    }
}

fn env_name(name: &str, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    let msgs = if ctx.allow_relaxed_env_names() {
        strings::relaxed_env_var_name(name)
    } else {
        strings::strict_env_var_name(name)
    };
    for msg in msgs {
        errs.push(FieldError::invalid(path, name, &msg));
    }
}

/// upstream: ValidateEnv (the `valueFrom` contents in [`super::env`]).
pub(crate) fn env(vars: &[crate::api::EnvVar], path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    for (i, var) in vars.iter().enumerate() {
        let p = path.index(i);
        if var.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        } else {
            env_name(&var.name, &p.child("name"), ctx, errs);
        }
        if let Some(from) = var.value_from.as_ref().filter(|v| !v.is_null()) {
            let value = var.value.as_deref().unwrap_or("");
            super::env::value_from(from, value, ctx.allow_env_files(), &p.child("valueFrom"), errs);
        }
    }
}

/// upstream: ValidateEnvFrom, validateConfigMapEnvSource,
/// validateSecretEnvSource. The "one source" errors are reported on the
/// list path, as upstream does.
pub(crate) fn env_from(
    sources: &[crate::api::EnvFromSource],
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    for (i, s) in sources.iter().enumerate() {
        let p = path.index(i);
        if let Some(prefix) = s.prefix.as_deref().filter(|x| !x.is_empty()) {
            env_name(prefix, &p.child("prefix"), ctx, errs);
        }
        let mut n = 0usize;
        if let Some(cm) = &s.config_map_ref {
            n = n.saturating_add(1);
            ref_name(cm.name.as_deref(), &p.child("configMapRef").child("name"), errs);
        }
        if let Some(sec) = &s.secret_ref {
            n = n.saturating_add(1);
            ref_name(sec.name.as_deref(), &p.child("secretRef").child("name"), errs);
        }
        if n == 0 {
            errs.push(FieldError::invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
        } else if n > 1 {
            errs.push(FieldError::invalid(path, "", "may not have more than one field specified at a time"));
        }
    }
}

/// A ConfigMap or Secret name in `envFrom`: validated as a name prefix, so
/// a trailing `-` is accepted (upstream: ValidateConfigMapName(name, true)).
fn ref_name(name: Option<&str>, path: &FieldPath, errs: &mut Errors) {
    let name = name.unwrap_or("");
    if name.is_empty() {
        errs.push(FieldError::required(path, ""));
    } else {
        for msg in meta::name_messages(NameRule::Subdomain, name, true) {
            errs.push(FieldError::invalid(path, name, &msg));
        }
    }
}

/// upstream: ValidateVolumeMounts. `devices` are the same container's
/// block devices; `container` is `None` where upstream passes none (a
/// PodPreset), which skips the privileged check of Bidirectional
/// propagation.
pub(crate) fn volume_mounts(
    mounts: &[VolumeMount],
    devices: &[VolumeDevice],
    volumes: &ValidVolumes<'_>,
    container: Option<&Container>,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let mut mount_points = HashSet::new();
    let device_paths = last_paths(devices.iter().map(|d| (d.name.as_str(), d.device_path.as_str())));
    for (i, m) in mounts.iter().enumerate() {
        let p = path.index(i);
        if m.name.is_empty() {
            errs.push(FieldError::required(&p.child("name"), ""));
        }
        if !volumes.contains_key(m.name.as_str()) {
            errs.push(FieldError::not_found(&p.child("name"), &m.name));
        }
        if m.mount_path.is_empty() {
            errs.push(FieldError::required(&p.child("mountPath"), ""));
        }
        if !mount_points.insert(m.mount_path.as_str()) {
            errs.push(FieldError::invalid(&p.child("mountPath"), &m.mount_path, "must be unique"));
        }
        // A volume is either mounted or a block device, never both, and the
        // two kinds of path do not overlap.
        if devices.iter().any(|d| d.name == m.name) {
            errs.push(FieldError::invalid(
                &p.child("name"),
                &m.name,
                "must not already exist in volumeDevices",
            ));
        }
        if device_paths.contains(m.mount_path.as_str()) {
            errs.push(FieldError::invalid(
                &p.child("mountPath"),
                &m.mount_path,
                "must not already exist as a path in volumeDevices",
            ));
        }
        let sub_path = m.sub_path.as_deref().unwrap_or("");
        if !sub_path.is_empty() {
            local_descending_path(sub_path, &path.child("subPath"), errs);
        }
        if let Some(expr) = m.sub_path_expr.as_deref().filter(|e| !e.is_empty()) {
            if !sub_path.is_empty() {
                errs.push(FieldError::invalid(
                    &p.child("subPathExpr"),
                    expr,
                    "subPathExpr and subPath are mutually exclusive",
                ));
            }
            local_descending_path(expr, &path.child("subPathExpr"), errs);
        }
        // Upstream reports these two on the list's path, without the index.
        if let Some(mp) = &m.mount_propagation {
            mount_propagation(mp, container, &path.child("mountPropagation"), errs);
        }
        recursive_read_only(m, &path.child("recursiveReadOnly"), errs);
    }
}

/// upstream: validateMountPropagation: a known mode (listed sorted, as
/// `sets.List` gives them), and Bidirectional only for a privileged
/// container.
fn mount_propagation(
    mode: &MountPropagationMode,
    container: Option<&Container>,
    path: &FieldPath,
    errs: &mut Errors,
) {
    if !mode.is_known() {
        errs.push(FieldError::not_supported(
            path,
            mode.as_str(),
            &["Bidirectional", "HostToContainer", "None"],
        ));
    }
    let Some(c) = container else { return };
    let privileged = c
        .security_context
        .as_ref()
        .and_then(|sc| sc.get("privileged"))
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    if *mode == MountPropagationMode::Bidirectional && !privileged {
        errs.push(FieldError::forbidden(
            path,
            "Bidirectional mount propagation is available only to privileged containers",
        ));
    }
}

/// upstream: validateMountRecursiveReadOnly: `Enabled` and `IfPossible` need
/// `readOnly: true` and no propagation but `None`.
fn recursive_read_only(m: &VolumeMount, path: &FieldPath, errs: &mut Errors) {
    let Some(mode) = &m.recursive_read_only else { return };
    match mode {
        RecursiveReadOnlyMode::Disabled => {}
        RecursiveReadOnlyMode::Enabled | RecursiveReadOnlyMode::IfPossible => {
            if m.read_only != Some(true) {
                errs.push(FieldError::forbidden(path, "may only be specified when readOnly is true"));
            }
            if m.mount_propagation.as_ref().is_some_and(|p| *p != MountPropagationMode::None) {
                errs.push(FieldError::forbidden(
                    path,
                    "may only be specified when mountPropagation is None or not specified",
                ));
            }
        }
        _ => {
            errs.push(FieldError::not_supported(path, mode.as_str(), &["Disabled", "Enabled", "IfPossible"]))
        }
    }
}

/// upstream: ValidateVolumeDevices: unique names and paths, a claim-backed
/// volume, no `..` in the path, and no overlap with the container's mounts.
fn volume_devices(
    devices: &[VolumeDevice],
    mounts: &[VolumeMount],
    volumes: &ValidVolumes<'_>,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let mut names: HashSet<&str> = HashSet::new();
    let mut paths: HashSet<&str> = HashSet::new();
    let mount_paths = last_paths(mounts.iter().map(|m| (m.name.as_str(), m.mount_path.as_str())));
    for (i, d) in devices.iter().enumerate() {
        let p = path.index(i);
        let name_path = p.child("name");
        let device_path = p.child("devicePath");
        if d.name.is_empty() {
            errs.push(FieldError::required(&name_path, ""));
        }
        if names.contains(d.name.as_str()) {
            errs.push(FieldError::invalid(&name_path, &d.name, "must be unique"));
        }
        match volumes.get(d.name.as_str()) {
            Some(true) => {}
            Some(false) => errs.push(FieldError::invalid(
                &name_path,
                &d.name,
                "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
            )),
            None => errs.push(FieldError::not_found(&name_path, &d.name)),
        }
        if d.device_path.is_empty() {
            errs.push(FieldError::required(&device_path, ""));
        }
        if paths.contains(d.device_path.as_str()) {
            errs.push(FieldError::invalid(&device_path, &d.device_path, "must be unique"));
        }
        // A path with backsteps is not remembered; every other one is, the
        // empty path included.
        if !d.device_path.is_empty() && d.device_path.split('/').any(|part| part == "..") {
            errs.push(FieldError::invalid(&device_path, &d.device_path, "can not contain backsteps ('..')"));
        } else {
            paths.insert(d.device_path.as_str());
        }
        if mounts.iter().any(|m| m.name == d.name) {
            errs.push(FieldError::invalid(&name_path, &d.name, "must not already exist in volumeMounts"));
        }
        if mount_paths.contains(d.device_path.as_str()) {
            errs.push(FieldError::invalid(
                &device_path,
                &d.device_path,
                "must not already exist as a path in volumeMounts",
            ));
        }
        if !d.name.is_empty() {
            names.insert(d.name.as_str());
        }
    }
}

/// The paths of (name, path) pairs as upstream's GetVolumeMountMap /
/// GetVolumeDeviceMap keep them: one per name, the last one given. A
/// volume mounted twice is only compared with devices by its last path.
fn last_paths<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> HashSet<&'a str> {
    let by_name: HashMap<&str, &str> = pairs.collect();
    by_name.into_values().collect()
}

/// A quantity as a number: `[+-]digits[.digits]` then a binary suffix
/// (`Ki`..`Ei`), a decimal suffix (`n u m k M G T P E`) or an exponent.
/// `None` when it does not parse (upstream: resource.ParseQuantity).
pub(crate) fn parse_quantity(s: &str) -> Option<f64> {
    // upstream: UnmarshalJSON trims the text first.
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let split = s
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && (*c == '+' || *c == '-'))))
        .map_or(s.len(), |(i, _)| i);
    let (number, suffix) = (s.get(..split)?, s.get(split..)?);
    let digits = number.trim_start_matches(['+', '-']);
    if digits.matches('.').count() > 1 || super::quantity::digitless_slow_path(digits, suffix) {
        return None;
    }
    // A missing number is zero (upstream's parseQuantityString).
    let base: f64 = if digits.is_empty() || digits == "." { 0.0 } else { number.parse().ok()? };
    let multiplier = match suffix {
        "" => 1.0,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        exp => {
            let rest = exp.strip_prefix(['e', 'E'])?;
            let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let e: i32 = rest.parse().ok()?;
            10f64.powi(e)
        }
    };
    // Beyond f64's range a valid quantity reads as infinite (or, times
    // zero, as zero); its exact reading decides what matters.
    let v = base * multiplier;
    Some(if v.is_nan() { 0.0 } else { v })
}

pub(crate) const QUANTITY_REGEX_MSG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

fn is_extended_resource(name: &str) -> bool {
    !is_native_resource(name)
        && !name.starts_with("requests.")
        && strings::qualified_name(&format!("requests.{name}")).is_empty()
}

/// The object counts a quota limits: standard resource names measured in
/// whole numbers (upstream: helper's integerResources).
const QUOTA_COUNTS: [&str; 9] = [
    "pods",
    "resourcequotas",
    "services",
    "replicationcontrollers",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
];

/// upstream: helper.IsStandardResourceName (standardResources, and the
/// quota's hugepages names).
fn is_standard_resource_name(name: &str) -> bool {
    const MEASURED: [&str; 11] = [
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "storage",
        "requests.storage",
    ];
    MEASURED.contains(&name)
        || QUOTA_COUNTS.contains(&name)
        || is_hugepages(name)
        || name.starts_with("requests.hugepages-")
}

/// upstream: helper.IsIntegerResourceName (integerResources, and extended
/// resources).
fn is_integer_resource(name: &str) -> bool {
    QUOTA_COUNTS.contains(&name) || is_extended_resource(name)
}

/// upstream: validateContainerResourceName, after validateResourceName
/// (whose "standard resource type" check is skipped when the name is not
/// a qualified name).
fn container_resource_name(name: &str, path: &FieldPath, errs: &mut Errors) {
    let unqualified = strings::qualified_name(name);
    let qualified = unqualified.is_empty();
    for msg in unqualified {
        errs.push(FieldError::invalid(path, name, &msg));
    }
    if qualified && !name.contains('/') && !is_standard_resource_name(name) {
        errs.push(FieldError::invalid(path, name, "must be a standard resource type or fully qualified"));
    }
    if !name.contains('/') {
        let standard_container = matches!(name, "cpu" | "memory" | "ephemeral-storage") || is_hugepages(name);
        if !standard_container {
            errs.push(FieldError::invalid(path, name, "must be a standard resource for containers"));
        }
    } else if !is_native_resource(name) && !is_extended_resource(name) {
        errs.push(FieldError::invalid(path, name, "doesn't follow extended resource name standard"));
    }
}

fn quantity_value(name: &str, q: &Quantity, path: &FieldPath, errs: &mut Errors) -> Option<f64> {
    let Some(v) = parse_quantity(&q.value) else {
        errs.push(FieldError::invalid(path, &q.value, QUANTITY_REGEX_MSG));
        return None;
    };
    let exact = super::quantity::parse(&q.value);
    if exact.map_or(v < 0.0, |p| p.value.signum() < 0) {
        errs.push(FieldError::invalid(path, canonical(q), meta::NEGATIVE_MSG));
    }
    // upstream: the milli value (rounded up) must be whole thousands; exact
    // where the decimal parse fits, in f64 otherwise. A milli value beyond
    // int64 passes only when the value itself is whole (newest upstream's
    // isIntegerResourceValue, kubernetes PR 141349; 1.35 wrapped the milli
    // value instead, which rejects some whole values this accepts).
    let fractional = match exact {
        Some(p) => match p.value.milli_value().filter(|m| i64::try_from(*m).is_ok()) {
            Some(m) => m % 1000 != 0,
            // A normalised decimal is whole exactly when its exponent is not
            // negative.
            None => p.value.parts().1 < 0,
        },
        None => v.is_finite() && (v * 1000.0).ceil() % 1000.0 != 0.0,
    };
    if is_integer_resource(name) && fractional {
        errs.push(FieldError::invalid(path, canonical(q), "must be an integer"));
    }
    Some(v)
}

/// upstream: validateResourceQuantityHugePageValue, which
/// validateResourceRequirements checks last for each entry; skipped when
/// the old spec of an update already held an indivisible value
/// (`AllowIndivisibleHugePagesValues`).
fn hugepages_divisible(
    name: &str,
    q: &Quantity,
    value: Option<f64>,
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    if value.is_none() {
        return;
    }
    if !ctx.old.indivisible_hugepages && !divides_pages(name, &q.value) {
        errs.push(FieldError::invalid(
            path,
            canonical(q),
            &format!("{} is not positive integer multiple of {name}", canonical(q)),
        ));
    }
}

/// upstream: IsHugePageResourceValueDivisible for a hugepages resource
/// (`true` for any other name): a page size that does not parse, is not
/// positive or is not a whole number of bytes divides nothing; the value
/// is rounded up to whole bytes (Quantity.Value).
/// Exact on int64-sized values (upstream's `Value() % pageSize.Value()`);
/// in f64 beyond them.
pub(crate) fn divides_pages(name: &str, value: &str) -> bool {
    let Some(page) = name.strip_prefix("hugepages-") else { return true };
    // A value in whole bytes, rounded away from zero (Quantity.Value), when
    // it fits int64.
    let bytes = |text: &str| {
        let milli = super::quantity::parse(text)?.value.milli_value()?;
        let whole = (milli / 1000).saturating_add(i128::from(milli % 1000 != 0) * milli.signum());
        i64::try_from(whole).ok()
    };
    let page_whole = super::quantity::parse(page).and_then(|p| p.value.milli_value()).map(|m| m % 1000 == 0);
    if let (Some(size), Some(n), Some(whole)) = (bytes(page), bytes(value), page_whole) {
        return size > 0 && whole && n % size == 0;
    }
    let Some(v) = parse_quantity(value) else { return false };
    parse_quantity(page).filter(|s| *s > 0.0 && s.fract() == 0.0).is_some_and(|s| v.ceil() % s == 0.0)
}

/// A quantity as upstream prints it (`Quantity.String`: the text as written
/// when ParseQuantity keeps it, else the canonical form); the text as
/// written when it does not fit the exact reading.
fn canonical(q: &Quantity) -> String {
    super::quantity::display(&q.value).unwrap_or_else(|| q.value.clone())
}

/// upstream: ValidateContainerResourceRequirements.
pub(crate) fn resources(r: &ResourceRequirements, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    resource_requirements(r, path, container_resource_name, ctx, errs);
}

/// upstream: validatePodResourceRequirements: pod-level resources, whose
/// names are checked by validatePodResourceName.
pub(crate) fn pod_level_resources(
    r: &ResourceRequirements,
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    resource_requirements(r, path, pod_resource_name, ctx, errs);
}

/// upstream: validatePodResourceName: a valid resource name (and nothing
/// more when it is not), then one a pod may set: cpu, memory or hugepages
/// (component-helpers' IsSupportedPodLevelResource).
fn pod_resource_name(name: &str, path: &FieldPath, errs: &mut Errors) {
    let before = errs.len();
    let messages = strings::qualified_name(name);
    for msg in &messages {
        errs.push(FieldError::invalid(path, name, msg));
    }
    if messages.is_empty() && !name.contains('/') && !is_standard_resource_name(name) {
        errs.push(FieldError::invalid(path, name, "must be a standard resource type or fully qualified"));
    }
    if errs.len() == before && !super::podspec::is_pod_level_resource(name) {
        errs.push(FieldError::not_supported(path, name, &["cpu", "hugepages-", "memory"]));
    }
}

/// upstream: validateResourceRequirements, with the resource-name check of
/// its caller.
fn resource_requirements(
    r: &ResourceRequirements,
    path: &FieldPath,
    resource_name: fn(&str, &FieldPath, &mut Errors),
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    let lim_path = path.child("limits");
    let req_path = path.child("requests");
    let mut cpu_or_memory = false;
    let mut hugepages = false;
    let mut limits: HashMap<&str, f64> = HashMap::new();
    for (name, q) in r.limits.iter().flatten() {
        let p = lim_path.key(name);
        resource_name(name, &p, errs);
        let value = quantity_value(name, q, &p, errs);
        if let Some(v) = value {
            limits.insert(name.as_str(), v);
        }
        hugepages_divisible(name, q, value, &p, ctx, errs);
        hugepages |= is_hugepages(name);
        cpu_or_memory |= name == "cpu" || name == "memory";
    }
    for (name, q) in r.requests.iter().flatten() {
        let p = req_path.key(name);
        resource_name(name, &p, errs);
        let value = quantity_value(name, q, &p, errs);
        let overcommit = is_native_resource(name) && !is_hugepages(name);
        match r.limits.as_ref().and_then(|l| l.get(name)) {
            Some(limit) => {
                if let (Some(req), Some(lim)) = (value, limits.get(name.as_str())) {
                    // Exact when both quantities fit the exact reading;
                    // upstream prints both in canonical form.
                    let order = match (super::quantity::parse(&q.value), super::quantity::parse(&limit.value))
                    {
                        (Some(a), Some(b)) => Some(a.value.cmp_exact(b.value)),
                        _ => req.partial_cmp(lim),
                    };
                    if !overcommit && order != Some(std::cmp::Ordering::Equal) {
                        errs.push(FieldError::invalid(
                            &req_path,
                            canonical(q),
                            &format!("must be equal to {name} limit of {}", canonical(limit)),
                        ));
                    } else if order == Some(std::cmp::Ordering::Greater) {
                        errs.push(FieldError::invalid(
                            &req_path,
                            canonical(q),
                            &format!("must be less than or equal to {name} limit of {}", canonical(limit)),
                        ));
                    }
                }
            }
            None if !overcommit => {
                errs.push(FieldError::required(
                    &lim_path,
                    "Limit must be set for non overcommitable resources",
                ));
            }
            None => {}
        }
        hugepages_divisible(name, q, value, &p, ctx, errs);
        hugepages |= is_hugepages(name);
        cpu_or_memory |= name == "cpu" || name == "memory";
    }
    if hugepages && !cpu_or_memory {
        errs.push(FieldError::forbidden(path, "HugePages require cpu or memory"));
    }
}

fn probes(c: &Container, grace: Option<i64>, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    if let Some(p) = &c.liveness_probe {
        let pp = path.child("livenessProbe");
        probe(p, grace, &pp, ctx, errs);
        success_threshold_one(p, &pp, errs);
    }
    if let Some(p) = &c.readiness_probe {
        let pp = path.child("readinessProbe");
        probe(p, grace, &pp, ctx, errs);
        if let Some(t) = p.termination_grace_period_seconds {
            errs.push(FieldError::invalid(
                &pp.child("terminationGracePeriodSeconds"),
                t,
                "must not be set for readinessProbes",
            ));
        }
    }
    if let Some(p) = &c.startup_probe {
        let pp = path.child("startupProbe");
        probe(p, grace, &pp, ctx, errs);
        success_threshold_one(p, &pp, errs);
    }
}

/// upstream: validateLivenessProbe / validateStartupProbe.
fn success_threshold_one(p: &Probe, path: &FieldPath, errs: &mut Errors) {
    let v = p.success_threshold.unwrap_or(0);
    if v != 1 {
        errs.push(FieldError::invalid(&path.child("successThreshold"), v, "must be 1"));
    }
}

/// upstream: validateProbe.
fn probe(p: &Probe, grace: Option<i64>, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    let handler = Handler {
        exec: p.exec.as_ref(),
        http_get: p.http_get.as_ref(),
        tcp_socket: p.tcp_socket.as_ref().map(|t| &t.port),
        grpc: p.grpc.as_ref().map(|g| g.port),
        sleep: None,
    };
    handler.validate(grace, path, ctx, errs);
    for (field, v) in [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("periodSeconds", p.period_seconds),
        ("successThreshold", p.success_threshold),
        ("failureThreshold", p.failure_threshold),
    ] {
        meta::non_negative(i64::from(v.unwrap_or(0)), &path.child(field), errs);
    }
    if let Some(t) = p.termination_grace_period_seconds
        && t <= 0
    {
        errs.push(FieldError::invalid(
            &path.child("terminationGracePeriodSeconds"),
            t,
            "must be greater than 0",
        ));
    }
}

/// The handler part of a probe or lifecycle hook.
struct Handler<'a> {
    exec: Option<&'a crate::api::ExecAction>,
    http_get: Option<&'a HttpGetAction>,
    tcp_socket: Option<&'a IntOrString>,
    grpc: Option<i32>,
    sleep: Option<i64>,
}

impl Handler<'_> {
    /// upstream: validateHandler.
    fn validate(&self, grace: Option<i64>, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
        const MORE: &str = "may not specify more than 1 handler type";
        let mut n = 0usize;
        let mut take = |name: &str, errs: &mut Errors| -> bool {
            if n > 0 {
                errs.push(FieldError::forbidden(&path.child(name), MORE));
                false
            } else {
                n = n.saturating_add(1);
                true
            }
        };
        if let Some(exec) = self.exec
            && take("exec", errs)
            && exec.command.as_ref().is_none_or(|c| c.is_empty())
        {
            errs.push(FieldError::required(&path.child("exec").child("command"), ""));
        }
        if let Some(http) = self.http_get
            && take("httpGet", errs)
        {
            let p = path.child("httpGet");
            if http.path.as_deref().unwrap_or("").is_empty() {
                errs.push(FieldError::required(&p.child("path"), ""));
            }
            port_num_or_name(&http.port, &p.child("port"), errs);
            let scheme = http.scheme.as_ref().map_or("", UriScheme::as_str);
            if !http.scheme.as_ref().is_some_and(UriScheme::is_known) {
                errs.push(FieldError::not_supported(&p.child("scheme"), scheme, UriScheme::KNOWN));
            }
            for h in http.http_headers.iter().flatten() {
                for msg in strings::http_header_name(&h.name) {
                    errs.push(FieldError::invalid(&p.child("httpHeaders"), &h.name, &msg));
                }
            }
        }
        if let Some(port) = self.tcp_socket
            && take("tcpSocket", errs)
        {
            port_num_or_name(port, &path.child("tcpSocket").child("port"), errs);
        }
        if let Some(port) = self.grpc
            && take("grpc", errs)
        {
            for msg in strings::port_num(i64::from(port)) {
                errs.push(FieldError::invalid(&path.child("grpc").child("port"), port, &msg));
            }
        }
        if let Some(seconds) = self.sleep
            && take("sleep", errs)
            && let Some(g) = grace
        {
            if ctx.allow_sleep_zero() {
                if seconds < 0 || seconds > g {
                    errs.push(FieldError::invalid(
                        &path.child("sleep"),
                        seconds,
                        &format!("must be non-negative and less than terminationGracePeriodSeconds ({g})"),
                    ));
                }
            } else if seconds <= 0 || seconds > g {
                errs.push(FieldError::invalid(
                            &path.child("sleep"),
                            seconds,
                            &format!(
                                "must be greater than 0 and less than terminationGracePeriodSeconds ({g}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep."
                            ),
                        ));
            }
        }
        if n == 0 {
            errs.push(FieldError::required(path, "must specify a handler type"));
        }
    }
}

/// upstream: ValidatePortNumOrName.
fn port_num_or_name(port: &IntOrString, path: &FieldPath, errs: &mut Errors) {
    match port {
        IntOrString::Int(n) => {
            for msg in strings::port_num(i64::from(*n)) {
                errs.push(FieldError::invalid(path, *n, &msg));
            }
        }
        IntOrString::String(s) => {
            for msg in strings::port_name(s) {
                errs.push(FieldError::invalid(path, s, &msg));
            }
        }
    }
}

/// upstream: supportedStopSignalsLinux, sorted as the error lists it
/// (`sets.List`): the named signals, SIGRTMIN+1..+15 and SIGRTMAX-14..-1
/// (KEP-4960).
fn linux_stop_signals() -> Vec<String> {
    let mut all: Vec<String> = LINUX_SIGNALS.iter().map(|s| (*s).to_owned()).collect();
    all.extend((1..=15).map(|k| format!("SIGRTMIN+{k}")));
    all.extend((1..=14).map(|k| format!("SIGRTMAX-{k}")));
    all.sort_unstable();
    all
}

const LINUX_SIGNALS: &[&str] = &[
    "SIGABRT",
    "SIGALRM",
    "SIGBUS",
    "SIGCHLD",
    "SIGCLD",
    "SIGCONT",
    "SIGFPE",
    "SIGHUP",
    "SIGILL",
    "SIGINT",
    "SIGIO",
    "SIGIOT",
    "SIGKILL",
    "SIGPIPE",
    "SIGPOLL",
    "SIGPROF",
    "SIGPWR",
    "SIGQUIT",
    "SIGSEGV",
    "SIGSTKFLT",
    "SIGSTOP",
    "SIGSYS",
    "SIGTERM",
    "SIGTRAP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGUSR1",
    "SIGUSR2",
    "SIGVTALRM",
    "SIGWINCH",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGRTMIN",
    "SIGRTMAX",
];

/// upstream: validateLifecycle, validateContainerStopSignals.
fn lifecycle(
    lc: &Lifecycle,
    spec: &PodSpec,
    grace: Option<i64>,
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    for (name, hook) in [("postStart", &lc.post_start), ("preStop", &lc.pre_stop)] {
        if let Some(h) = hook {
            hook_handler(h).validate(grace, &path.child(name), ctx, errs);
        }
    }
    // Without ContainerStopSignals the API server has dropped the field
    // (dropDisabledFields) before validating.
    if let Some(signal) =
        lc.stop_signal.as_ref().filter(|_| ctx.gates.container_stop_signals || ctx.old.stop_signals)
    {
        let p = path.child("stopSignal");
        // upstream: validateStopSignal. No `os` is Forbidden; an OS other
        // than windows or linux (an empty name included, which validateOS
        // reports) checks nothing.
        match spec.os.as_ref().map(|o| o.name.as_str()) {
            None => errs
                .push(FieldError::forbidden(&p, "may not be set for containers with empty `spec.os.name`")),
            Some("windows") => {
                if signal != "SIGKILL" && signal != "SIGTERM" {
                    errs.push(FieldError::not_supported(&p, signal, &["SIGKILL", "SIGTERM"]));
                }
            }
            Some("linux") => {
                let supported = linux_stop_signals();
                if !supported.contains(signal) {
                    let listed: Vec<&str> = supported.iter().map(String::as_str).collect();
                    errs.push(FieldError::not_supported(&p, signal, &listed));
                }
            }
            Some(_) => {}
        }
    }
}

fn hook_handler(h: &LifecycleHandler) -> Handler<'_> {
    Handler {
        exec: h.exec.as_ref(),
        http_get: h.http_get.as_ref(),
        tcp_socket: h.tcp_socket.as_ref().map(|t| &t.port),
        grpc: None,
        sleep: h.sleep.as_ref().map(|s| s.seconds),
    }
}

/// The container fields an ephemeral container may not set, in the order
/// upstream's validateFieldAllowList visits them (EphemeralContainerCommon's
/// declaration order, less allowedEphemeralContainerFields).
const EPHEMERAL_FORBIDDEN: &[&str] = &[
    "ports",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "restartPolicyRules",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
];

/// Whether a forbidden ephemeral-container field is set as Go sees it
/// after decoding (reflect.DeepEqual with the zero value): a list, map or
/// pointer field once it is present and not `null`, even empty; the
/// `resources` struct once one of its lists is.
fn ephemeral_field_set(key: &str, value: &serde_json::Value) -> bool {
    match key {
        "resources" => value.as_object().is_some_and(|r| {
            ["limits", "requests", "claims"].iter().any(|k| r.get(*k).is_some_and(|v| !v.is_null()))
        }),
        _ => !value.is_null(),
    }
}

/// Whether the API server, with ContainerStopSignals off, drops a
/// container's whole `lifecycle` before validating: it removes the stop
/// signal, and a lifecycle left with nothing else becomes nil, unless the
/// stored object already used stop signals (upstream:
/// dropContainerStopSignals).
fn lifecycle_dropped(lifecycle: Option<&Lifecycle>, ctx: &Ctx<'_>) -> bool {
    !ctx.gates.container_stop_signals
        && !ctx.old.stop_signals
        && lifecycle
            .is_some_and(|l| l.stop_signal.is_some() && l.post_start.is_none() && l.pre_stop.is_none())
}

/// upstream: validateEphemeralContainers. Ephemeral containers are kept as
/// JSON by the wire types; each is read as a container for the common
/// checks. Entries that are not objects are `Invalid`. `volumes` are the
/// spec's valid volumes as [`spec_errors`] found them (a template's image
/// volume without a reference is valid: upstream passes the one map to
/// both).
pub(crate) fn ephemeral_containers(
    spec: &PodSpec,
    volumes: &ValidVolumes<'_>,
    path: &FieldPath,
    ctx: &Ctx<'_>,
) -> Errors {
    let mut errs = Vec::new();
    let list = spec.ephemeral_containers.as_deref().unwrap_or(&[]);
    if list.is_empty() {
        return errs;
    }
    let others: HashSet<&str> =
        spec.containers.iter().chain(spec.init_containers()).map(|c| c.name.as_str()).collect();
    let mut all: HashSet<String> = others.iter().map(|s| (*s).to_owned()).collect();
    for (i, raw) in list.iter().enumerate() {
        let p = path.index(i);
        let Some(obj) = raw.as_object() else {
            errs.push(FieldError::invalid(&p, BadValue::Json(raw.clone()), "must be an object"));
            continue;
        };
        let c: Container = match serde_json::from_value(raw.clone()) {
            Ok(c) => c,
            Err(e) => {
                errs.push(FieldError::invalid(&p, BadValue::Omit, &e.to_string()));
                continue;
            }
        };
        container_common(&c, spec, volumes, &p, ctx, &mut errs);
        image_whitespace(&c, &p, &mut errs);
        if !all.insert(c.name.clone()) {
            errs.push(FieldError::duplicate(&p.child("name"), &c.name));
        }
        if let Some(target) = obj.get("targetContainerName").and_then(serde_json::Value::as_str)
            && !target.is_empty()
            && !others.contains(target)
        {
            errs.push(FieldError::not_found(&p.child("targetContainerName"), target));
        }
        for key in EPHEMERAL_FORBIDDEN {
            let Some(value) = obj.get(*key) else { continue };
            // Without ContainerRestartRules the restart fields are dropped
            // before validation, as is a lifecycle holding only a stop
            // signal without ContainerStopSignals.
            let dropped = match *key {
                "restartPolicy" | "restartPolicyRules" => !ctx.allow_container_restart_rules(),
                "lifecycle" => lifecycle_dropped(c.lifecycle.as_ref(), ctx),
                _ => false,
            };
            if !dropped && ephemeral_field_set(key, value) {
                errs.push(FieldError::forbidden(&p.child(key), "cannot be set for an Ephemeral Container"));
            }
        }
        for (j, m) in c.volume_mounts().iter().enumerate() {
            let mp = p.child("volumeMounts").index(j);
            if m.sub_path.as_deref().is_some_and(|s| !s.is_empty()) {
                errs.push(FieldError::forbidden(
                    &mp.child("subPath"),
                    "cannot be set for an Ephemeral Container",
                ));
            }
            if m.sub_path_expr.as_deref().is_some_and(|s| !s.is_empty()) {
                errs.push(FieldError::forbidden(
                    &mp.child("subPathExpr"),
                    "cannot be set for an Ephemeral Container",
                ));
            }
        }
    }
    errs
}
