//! ReplicationController, ReplicaSet, Deployment, StatefulSet, DaemonSet.
//!
//! upstream: pkg/apis/core/validation/validation.go
//! (ValidateReplicationController, ValidateReplicationControllerSpec,
//! ValidateNonEmptySelector, ValidatePodTemplateSpecForRC);
//! pkg/apis/apps/validation/validation.go (ValidateReplicaSet,
//! ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet,
//! ValidateDeployment, ValidateDeploymentSpec, ValidateDeploymentStrategy,
//! ValidateRollingUpdateDeployment, ValidatePositiveIntOrPercent,
//! getIntOrPercentValue, IsNotMoreThan100Percent, ValidateStatefulSet,
//! ValidateStatefulSetSpec, validateRollingUpdateStatefulSet,
//! ValidatePersistentVolumeClaimRetentionPolicy,
//! ValidatePodTemplateSpecForStatefulSet, ValidateDaemonSet,
//! ValidateDaemonSetSpec, ValidateDaemonSetUpdateStrategy,
//! ValidateRollingUpdateDaemonSet).
//!
//! StatefulSet templates get full pod-spec validation with the claim
//! templates counted as volumes, and `serviceName` is checked as a DNS-1123
//! label, as upstream does since 1.34 (semantics validation.md §6.4 still
//! calls these deviations). Structured bad values print as JSON. A `selector` left
//! out or written `null` is upstream's nil pointer (`Required`), while
//! `selector: {}` is a present, empty selector (`Invalid`), as in Go: the
//! wire types remember which (see [`crate::api::AbsentKeys`]).

use crate::api::{
    DaemonSet, DaemonSetUpdateStrategyType, Deployment, DeploymentStrategyType, IntOrString, LabelSelector,
    PersistentVolumeClaimRetentionPolicyType, PersistentVolumeClaimVolumeSource, PodManagementPolicyType,
    PodTemplateSpec, ReplicaSet, ReplicationController, RestartPolicy, StatefulSet, StatefulSetSpec,
    StatefulSetUpdateStrategyType, StringMap, Volume,
};

use super::meta::{self, Converted, NameRule};
use super::pod;
use super::strings;
use super::{BadValue, Ctx, Errors, FieldError, FieldPath};

const MISMATCH: &str = "`selector` does not match template `labels`";

fn template_labels(t: &PodTemplateSpec) -> StringMap {
    t.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default()
}

pub(crate) fn template_labels_value(t: &PodTemplateSpec) -> BadValue {
    match t.metadata.as_ref().and_then(|m| m.labels.as_ref()) {
        Some(l) => BadValue::json(l),
        None => BadValue::Json(serde_json::Value::Null),
    }
}

/// A wire selector as upstream's pointer: `None` when the document left it
/// out or wrote `null` (`absent`), `Some` otherwise — `selector: {}` is a
/// present, empty selector, as in Go.
pub(crate) fn selector_ptr(s: &LabelSelector, absent: bool) -> Option<&LabelSelector> {
    (!absent).then_some(s)
}

/// Whether a spec's selector is upstream's nil pointer: the spec itself is
/// missing, or its `selector` key was missing or `null` on the wire.
macro_rules! selector_absent {
    ($spec:expr) => {
        $spec.as_ref().is_none_or(|s| s.is_unset_on_wire("selector"))
    };
}

fn is_empty_selector(s: &LabelSelector) -> bool {
    s.match_labels.as_ref().is_none_or(|m| m.is_empty())
        && s.match_expressions.as_ref().is_none_or(|e| e.is_empty())
}

/// Selector checks shared by ReplicaSet, Deployment and StatefulSet: nil
/// → Required, empty → Invalid, conversion failure → Invalid. Returns the
/// conversion result.
fn workload_selector(
    sel: &LabelSelector,
    absent: bool,
    kind: &str,
    path: &FieldPath,
    errs: &mut Errors,
) -> Option<Converted> {
    let p = path.child("selector");
    let ptr = selector_ptr(sel, absent);
    match ptr {
        None => errs.push(FieldError::required(&p, "")),
        Some(s) => {
            errs.extend(meta::validate_label_selector(s, &p));
            if is_empty_selector(s) {
                errs.push(FieldError::invalid(
                    &p,
                    BadValue::json(s),
                    &format!("empty selector is invalid for {kind}"),
                ));
            }
        }
    }
    meta::convert(ptr)
}

/// The selector must select the template's labels (empty selectors skip
/// the check, nil selectors always fail it).
fn selector_matches_template(
    sel: Option<&LabelSelector>,
    conv: &Converted,
    t: &PodTemplateSpec,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let ok = match conv {
        Converted::Everything => true,
        Converted::Nothing => false,
        Converted::Some => sel.is_some_and(|s| meta::matches(s, &template_labels(t))),
    };
    if !ok {
        errs.push(FieldError::invalid(&path.child("metadata.labels"), template_labels_value(t), MISMATCH));
    }
}

fn template_restart_always(t: &PodTemplateSpec, path: &FieldPath, errs: &mut Errors) {
    let rp = t.spec.as_ref().and_then(|s| s.restart_policy.as_ref());
    if rp != Some(&RestartPolicy::Always) {
        errs.push(FieldError::not_supported(
            &path.child("spec.restartPolicy"),
            rp.map_or("", RestartPolicy::as_str),
            &["Always"],
        ));
    }
}

fn template_no_deadline(t: &PodTemplateSpec, kind: &str, path: &FieldPath, errs: &mut Errors) {
    if t.spec.as_ref().is_some_and(|s| s.active_deadline_seconds.is_some()) {
        errs.push(FieldError::forbidden(
            &path.child("spec.activeDeadlineSeconds"),
            &format!("activeDeadlineSeconds in {kind} is not Supported"),
        ));
    }
}

fn opt_non_negative(v: Option<i32>, path: &FieldPath, errs: &mut Errors) {
    if let Some(v) = v {
        meta::non_negative(i64::from(v), path, errs);
    }
}

/// upstream: ValidatePodTemplateSpecForReplicaSet.
fn template_for_replica_set(
    t: &PodTemplateSpec,
    sel: Option<&LabelSelector>,
    conv: &Converted,
    kind: &str,
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    selector_matches_template(sel, conv, t, path, errs);
    errs.extend(pod::template_spec(t, path, ctx));
    template_restart_always(t, path, errs);
    template_no_deadline(t, kind, path, errs);
}

/// upstream: ValidateReplicationController.
pub(crate) fn replication_controller(rc: &ReplicationController, ctx: &Ctx<'_>) -> Errors {
    let mut errs = meta::object_meta(&rc.metadata, NameRule::Subdomain);
    errs.extend(replication_controller_spec(rc, ctx));
    errs
}

/// upstream: ValidateReplicationControllerSpec (with
/// ValidatePodTemplateSpecForRC).
pub(crate) fn replication_controller_spec(rc: &ReplicationController, ctx: &Ctx<'_>) -> Errors {
    let mut errs = Errors::new();
    let path = FieldPath::new("spec");
    let default_spec = Default::default();
    let spec = rc.spec.as_ref().unwrap_or(&default_spec);
    opt_non_negative(spec.min_ready_seconds, &path.child("minReadySeconds"), &mut errs);
    let selector = spec.selector.clone().unwrap_or_default();
    if selector.is_empty() {
        errs.push(FieldError::required(&path.child("selector"), ""));
    }
    match spec.replicas {
        None => errs.push(FieldError::required(&path.child("replicas"), "")),
        Some(r) => meta::non_negative(i64::from(r), &path.child("replicas"), &mut errs),
    }
    let tpath = path.child("template");
    match &spec.template {
        None => errs.push(FieldError::required(&tpath, "")),
        Some(t) => {
            // upstream: ValidatePodTemplateSpecForRC
            let labels = template_labels(t);
            if !selector.is_empty() && !selector.iter().all(|(k, v)| labels.get(k) == Some(v)) {
                errs.push(FieldError::invalid(
                    &tpath.child("metadata.labels"),
                    template_labels_value(t),
                    MISMATCH,
                ));
            }
            errs.extend(pod::template_spec(t, &tpath, ctx));
            template_restart_always(t, &tpath, &mut errs);
            template_no_deadline(t, "ReplicationController", &tpath, &mut errs);
        }
    }
    errs
}

/// Validates a ReplicationController with default gates.
pub fn validate_replication_controller(rc: &ReplicationController) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(replication_controller(rc, &Ctx::new(&gates))).into_result()
}

/// upstream: ValidateReplicaSet.
pub(crate) fn replica_set(rs: &ReplicaSet, ctx: &Ctx<'_>) -> Errors {
    let mut errs = meta::object_meta(&rs.metadata, NameRule::Subdomain);
    errs.extend(replica_set_spec(rs, ctx));
    errs
}

/// upstream: ValidateReplicaSetSpec.
pub(crate) fn replica_set_spec(rs: &ReplicaSet, ctx: &Ctx<'_>) -> Errors {
    let mut errs = Errors::new();
    let path = FieldPath::new("spec");
    let default_spec = Default::default();
    let spec = rs.spec.as_ref().unwrap_or(&default_spec);
    let absent = selector_absent!(rs.spec);
    opt_non_negative(spec.replicas, &path.child("replicas"), &mut errs);
    opt_non_negative(spec.min_ready_seconds, &path.child("minReadySeconds"), &mut errs);
    let conv = workload_selector(&spec.selector, absent, "deployment", &path, &mut errs);
    let default_template = PodTemplateSpec::default();
    let t = spec.template.as_ref().unwrap_or(&default_template);
    match conv {
        None => errs.push(FieldError::invalid(
            &path.child("selector"),
            BadValue::json(&spec.selector),
            "invalid label selector",
        )),
        Some(conv) => template_for_replica_set(
            t,
            selector_ptr(&spec.selector, absent),
            &conv,
            "ReplicaSet",
            &path.child("template"),
            ctx,
            &mut errs,
        ),
    }
    errs
}

/// Validates a ReplicaSet with default gates.
pub fn validate_replica_set(rs: &ReplicaSet) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(replica_set(rs, &Ctx::new(&gates))).into_result()
}

/// upstream: apps getIntOrPercentValue (a non-percent string reads like
/// `strconv.Atoi`: 0 when it does not parse, the nearest int64 when it
/// overflows).
fn int_or_percent_value(v: &IntOrString) -> i64 {
    match v {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(s) => match percent_value(v) {
            Some(p) => p,
            None => s.parse::<i64>().unwrap_or_else(|e| match e.kind() {
                std::num::IntErrorKind::PosOverflow => i64::MAX,
                std::num::IntErrorKind::NegOverflow => i64::MIN,
                _ => 0,
            }),
        },
    }
}

/// upstream: apps getPercentValue.
fn percent_value(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::String(s) if strings::is_percent(s) => {
            s.strip_suffix('%').and_then(|d| d.parse::<i64>().ok()).or(Some(i64::MAX))
        }
        _ => None,
    }
}

/// upstream: ValidatePositiveIntOrPercent.
pub(crate) fn positive_int_or_percent(v: &IntOrString, path: &FieldPath, errs: &mut Errors) {
    match v {
        IntOrString::String(s) => {
            if !strings::is_percent(s) {
                errs.push(FieldError::invalid(path, v, &strings::percent_error()));
            }
        }
        IntOrString::Int(i) => meta::non_negative(i64::from(*i), path, errs),
    }
}

/// upstream: IsNotMoreThan100Percent.
pub(crate) fn not_more_than_100(v: &IntOrString, path: &FieldPath, errs: &mut Errors) {
    if percent_value(v).is_some_and(|p| p > 100) {
        errs.push(FieldError::invalid(path, v, "must not be greater than 100%"));
    }
}

/// upstream: ValidateDeployment, ValidateDeploymentSpec.
pub(crate) fn deployment(d: &Deployment, ctx: &Ctx<'_>) -> Errors {
    let mut errs = meta::object_meta(&d.metadata, NameRule::Subdomain);
    errs.extend(deployment_spec(d, ctx));
    errs
}

/// upstream: ValidateDeploymentSpec (what an update checks beside the
/// metadata).
pub(crate) fn deployment_spec(d: &Deployment, ctx: &Ctx<'_>) -> Errors {
    let mut errs = Vec::new();
    let path = FieldPath::new("spec");
    let default_spec = Default::default();
    let spec = d.spec.as_ref().unwrap_or(&default_spec);
    let absent = selector_absent!(d.spec);
    opt_non_negative(spec.replicas, &path.child("replicas"), &mut errs);
    let conv = workload_selector(&spec.selector, absent, "deployment", &path, &mut errs);
    match conv {
        None => errs.push(FieldError::invalid(
            &path.child("selector"),
            BadValue::json(&spec.selector),
            "invalid label selector",
        )),
        Some(conv) => template_for_replica_set(
            &spec.template,
            selector_ptr(&spec.selector, absent),
            &conv,
            "ReplicaSet",
            &path.child("template"),
            ctx,
            &mut errs,
        ),
    }
    // upstream: ValidateDeploymentStrategy
    let sp = path.child("strategy");
    let default_strategy = Default::default();
    let strategy = spec.strategy.as_ref().unwrap_or(&default_strategy);
    match &strategy.type_ {
        Some(DeploymentStrategyType::Recreate) => {
            if strategy.rolling_update.is_some() {
                errs.push(FieldError::forbidden(
                    &sp.child("rollingUpdate"),
                    "may not be specified when strategy `type` is 'Recreate'",
                ));
            }
        }
        Some(DeploymentStrategyType::RollingUpdate) => match &strategy.rolling_update {
            None => errs.push(FieldError::required(
                &sp.child("rollingUpdate"),
                "this should be defaulted and never be nil",
            )),
            Some(ru) => {
                // upstream: ValidateRollingUpdateDeployment
                let rp = sp.child("rollingUpdate");
                let zero = IntOrString::Int(0);
                let unavailable = ru.max_unavailable.as_ref().unwrap_or(&zero);
                let surge = ru.max_surge.as_ref().unwrap_or(&zero);
                positive_int_or_percent(unavailable, &rp.child("maxUnavailable"), &mut errs);
                positive_int_or_percent(surge, &rp.child("maxSurge"), &mut errs);
                if int_or_percent_value(unavailable) == 0 && int_or_percent_value(surge) == 0 {
                    errs.push(FieldError::invalid(
                        &rp.child("maxUnavailable"),
                        unavailable,
                        "may not be 0 when `maxSurge` is 0",
                    ));
                }
                not_more_than_100(unavailable, &rp.child("maxUnavailable"), &mut errs);
            }
        },
        _ => errs.push(FieldError::not_supported(
            &sp,
            BadValue::json(strategy),
            &["Recreate", "RollingUpdate"],
        )),
    }
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    meta::non_negative(i64::from(min_ready), &path.child("minReadySeconds"), &mut errs);
    opt_non_negative(spec.revision_history_limit, &path.child("revisionHistoryLimit"), &mut errs);
    if let Some(pds) = spec.progress_deadline_seconds {
        let p = path.child("progressDeadlineSeconds");
        meta::non_negative(i64::from(pds), &p, &mut errs);
        if pds <= min_ready {
            errs.push(FieldError::invalid(&p, pds, "must be greater than minReadySeconds"));
        }
    }
    errs
}

/// Validates a Deployment with default gates.
pub fn validate_deployment(d: &Deployment) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(deployment(d, &Ctx::new(&gates))).into_result()
}

/// upstream: StatefulSetValidationOptions.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SetOpts {
    /// An update: the claim templates and `serviceName` are immutable and
    /// not checked again, so an object stored before 1.34 checked them
    /// stays updatable (`SkipValidateVolumeClaimTemplates`,
    /// `AllowInvalidServiceName`).
    pub(crate) update: bool,
    /// The old object's spec is invalid: the pod template's spec is not
    /// checked either (`SkipValidatePodTemplateSpec`).
    pub(crate) skip_pod_template: bool,
    /// `rollingUpdate.maxUnavailable` survives to validation: the
    /// MaxUnavailableStatefulSet gate is on, or (on an update) the old
    /// object already sets it. Otherwise the API server drops it first
    /// (`dropStatefulSetDisabledFields`).
    pub(crate) max_unavailable: bool,
}

/// upstream: ValidateStatefulSet.
pub(crate) fn stateful_set(s: &StatefulSet, ctx: &Ctx<'_>) -> Errors {
    let opts = SetOpts { max_unavailable: ctx.gates.max_unavailable_stateful_set, ..SetOpts::default() };
    stateful_set_with(s, ctx, opts)
}

/// upstream: ValidateStatefulSetUpdate's checks of the new object: the
/// spec with the update's options, the pod template not checked when the
/// old spec fails the same checks (the metadata as on create; the crate's
/// other update checks are in `validation::update`).
pub(crate) fn stateful_set_update(old: &StatefulSet, new: &StatefulSet, ctx: &Ctx<'_>) -> Errors {
    let old_max_unavailable = old
        .spec
        .as_ref()
        .and_then(|s| s.update_strategy.as_ref())
        .and_then(|u| u.rolling_update.as_ref())
        .is_some_and(|r| r.max_unavailable.is_some());
    let max_unavailable = ctx.gates.max_unavailable_stateful_set || old_max_unavailable;
    let mut opts = SetOpts { update: true, skip_pod_template: false, max_unavailable };
    opts.skip_pod_template = !stateful_set_spec(old.spec.as_ref(), ctx, opts).is_empty();
    // upstream: ValidateStatefulSetUpdate checks the metadata as an update
    // only (the common checks), not the create's DNS-label name rule.
    stateful_set_spec(new.spec.as_ref(), ctx, opts)
}

fn stateful_set_with(s: &StatefulSet, ctx: &Ctx<'_>, opts: SetOpts) -> Errors {
    let mut errs = meta::object_meta(&s.metadata, NameRule::Label);
    errs.extend(stateful_set_spec(s.spec.as_ref(), ctx, opts));
    errs
}

/// upstream: ValidateStatefulSetSpec (`None`: the spec is absent).
fn stateful_set_spec(given: Option<&StatefulSetSpec>, ctx: &Ctx<'_>, opts: SetOpts) -> Errors {
    let mut errs = Vec::new();
    let path = FieldPath::new("spec");
    let default_spec = StatefulSetSpec::default();
    let spec = given.unwrap_or(&default_spec);
    match &spec.pod_management_policy {
        None => errs.push(FieldError::required(&path.child("podManagementPolicy"), "")),
        Some(PodManagementPolicyType::Other(v)) => errs.push(FieldError::invalid(
            &path.child("podManagementPolicy"),
            v,
            "must be 'OrderedReady' or 'Parallel'",
        )),
        Some(_) => {}
    }
    let up = path.child("updateStrategy");
    let default_strategy = Default::default();
    let strategy = spec.update_strategy.as_ref().unwrap_or(&default_strategy);
    match &strategy.type_ {
        None => errs.push(FieldError::required(&up, "")),
        Some(StatefulSetUpdateStrategyType::OnDelete) => {
            if let Some(ru) = &strategy.rolling_update {
                errs.push(FieldError::invalid(
                    &up.child("rollingUpdate"),
                    BadValue::json(ru),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        Some(StatefulSetUpdateStrategyType::RollingUpdate) => {
            if let Some(ru) = &strategy.rolling_update {
                // upstream: validateRollingUpdateStatefulSet
                let rp = up.child("rollingUpdate");
                meta::non_negative(i64::from(ru.partition.unwrap_or(0)), &rp.child("partition"), &mut errs);
                if let Some(mu) = ru.max_unavailable.as_ref().filter(|_| opts.max_unavailable) {
                    let mp = rp.child("maxUnavailable");
                    positive_int_or_percent(mu, &mp, &mut errs);
                    if int_or_percent_value(mu) == 0 {
                        errs.push(FieldError::invalid(&mp, mu, "cannot be 0"));
                    }
                    not_more_than_100(mu, &mp, &mut errs);
                }
            }
        }
        Some(StatefulSetUpdateStrategyType::Other(_)) => errs.push(FieldError::invalid(
            &up,
            BadValue::json(strategy),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    if let Some(policy) = &spec.persistent_volume_claim_retention_policy {
        // upstream: ValidatePersistentVolumeClaimRetentionPolicy
        let pp = path.child("persistentVolumeClaimRetentionPolicy");
        for (name, v) in [("whenDeleted", &policy.when_deleted), ("whenScaled", &policy.when_scaled)] {
            if !v.as_ref().is_some_and(PersistentVolumeClaimRetentionPolicyType::is_known) {
                errs.push(FieldError::not_supported(
                    &pp.child(name),
                    v.as_ref().map_or("", PersistentVolumeClaimRetentionPolicyType::as_str),
                    &["Retain", "Delete"],
                ));
            }
        }
    }
    if !opts.update {
        volume_claim_templates(spec, &path.child("volumeClaimTemplates"), &mut errs);
    }
    opt_non_negative(spec.replicas, &path.child("replicas"), &mut errs);
    opt_non_negative(spec.min_ready_seconds, &path.child("minReadySeconds"), &mut errs);
    if let Some(o) = &spec.ordinals {
        meta::non_negative(i64::from(o.start.unwrap_or(0)), &path.child("ordinals.start"), &mut errs);
    }
    if let Some(name) = spec.service_name.as_deref().filter(|n| !n.is_empty() && !opts.update) {
        for msg in strings::dns1123_label(name) {
            errs.push(FieldError::invalid(&path.child("serviceName"), name, &msg));
        }
    }
    let absent = selector_absent!(given);
    let conv = workload_selector(&spec.selector, absent, "statefulset", &path, &mut errs);
    let tpath = path.child("template");
    match conv {
        None => errs.push(FieldError::invalid(&path.child("selector"), BadValue::json(&spec.selector), "")),
        Some(conv) => {
            selector_matches_template(
                selector_ptr(&spec.selector, absent),
                &conv,
                &spec.template,
                &tpath,
                &mut errs,
            );
            let template = template_as_validated(spec);
            // upstream: ValidatePodTemplateSpecForStatefulSet: the whole
            // template unless skipped, then its labels, annotations and
            // pod-specific annotations again either way (an error there is
            // listed twice, printed once).
            if !opts.skip_pod_template {
                errs.extend(pod::template_spec(&template, &tpath, ctx));
            }
            errs.extend(pod::template_metadata(&template, &tpath));
            pod::template_pod_annotations(&template, &tpath, ctx, &mut errs);
        }
    }
    template_restart_always(&spec.template, &tpath, &mut errs);
    template_no_deadline(&spec.template, "StatefulSet", &tpath, &mut errs);
    errs
}

/// upstream: validateVolumeClaimTemplates: each claim template's spec, as a
/// claim's on create (its metadata is not checked here; its name is, as a
/// volume of the pod template).
fn volume_claim_templates(spec: &StatefulSetSpec, path: &FieldPath, errs: &mut Errors) {
    for (i, claim) in spec.volume_claim_templates.iter().flatten().enumerate() {
        let value = claim.spec.as_ref().and_then(|s| serde_json::to_value(s).ok());
        let empty = serde_json::Map::new();
        let fields = value.as_ref().and_then(serde_json::Value::as_object).unwrap_or(&empty);
        super::volume_sources::claim_spec(fields, &path.index(i).child("spec"), errs);
    }
}

/// The pod template as upstream's ValidateStatefulSetSpec validates it: the
/// controller sets `hostname` and `subdomain`, so they are blanked; each
/// claim template becomes a `persistentVolumeClaim` volume of its name,
/// listed first, and replaces a volume of the template with that name
/// (upstream: volumesToAddForTemplates). Deviation: upstream lists the claim
/// volumes in Go map order (random); here in the claim templates' order,
/// each name once.
fn template_as_validated(spec: &StatefulSetSpec) -> std::borrow::Cow<'_, PodTemplateSpec> {
    let claims = spec.volume_claim_templates.as_deref().unwrap_or(&[]);
    let pod = spec.template.spec.as_ref();
    let named = |v: Option<&String>| v.is_some_and(|v| !v.is_empty());
    if claims.is_empty() && !pod.is_some_and(|p| named(p.hostname.as_ref()) || named(p.subdomain.as_ref())) {
        return std::borrow::Cow::Borrowed(&spec.template);
    }
    let mut template = spec.template.clone();
    let pod = template.spec.get_or_insert_default();
    pod.hostname = None;
    pod.subdomain = None;
    if !claims.is_empty() {
        let mut volumes: Vec<Volume> = Vec::with_capacity(claims.len());
        for claim in claims {
            let name = claim.metadata.name().to_owned();
            if volumes.iter().all(|v| v.name != name) {
                volumes.push(Volume {
                    persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                        claim_name: name.clone(),
                        ..Default::default()
                    }),
                    name,
                    ..Default::default()
                });
            }
        }
        let own = pod.volumes.take().unwrap_or_default();
        volumes.extend(own.into_iter().filter(|v| claims.iter().all(|c| c.metadata.name() != v.name)));
        pod.volumes = Some(volumes);
    }
    std::borrow::Cow::Owned(template)
}

/// Validates a StatefulSet with default gates.
pub fn validate_stateful_set(s: &StatefulSet) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(stateful_set(s, &Ctx::new(&gates))).into_result()
}

/// upstream: ValidateDaemonSet, ValidateDaemonSetSpec.
pub(crate) fn daemon_set(ds: &DaemonSet, ctx: &Ctx<'_>) -> Errors {
    let mut errs = meta::object_meta(&ds.metadata, NameRule::Subdomain);
    let path = FieldPath::new("spec");
    let default_spec = Default::default();
    let spec = ds.spec.as_ref().unwrap_or(&default_spec);
    let sel = selector_ptr(&spec.selector, selector_absent!(ds.spec));
    if let Some(s) = sel {
        let lax = ctx.allow_invalid_workload_selector_values();
        errs.extend(meta::label_selector_with(s, &path.child("selector"), lax));
    }
    let tpath = path.child("template");
    if let Some(conv) = meta::convert(sel) {
        selector_matches_template(sel, &conv, &spec.template, &tpath, &mut errs);
    }
    if let Some(s) = sel.filter(|s| is_empty_selector(s)) {
        errs.push(FieldError::invalid(
            &path.child("selector"),
            BadValue::json(s),
            "empty selector is invalid for daemonset",
        ));
    }
    errs.extend(pod::template_spec(&spec.template, &tpath, ctx));
    template_restart_always(&spec.template, &tpath, &mut errs);
    if spec.template.spec.as_ref().is_some_and(|s| s.active_deadline_seconds.is_some()) {
        // upstream: ValidateDaemonSetSpec (Forbidden, like the other workloads).
        errs.push(FieldError::forbidden(
            &tpath.child("spec.activeDeadlineSeconds"),
            "activeDeadlineSeconds in DaemonSet is not Supported",
        ));
    }
    opt_non_negative(spec.min_ready_seconds, &path.child("minReadySeconds"), &mut errs);
    // upstream's templateGeneration checks (non-negative; on update, moved
    // with the template) cannot fail through apps/v1: the field is not in
    // that version (the internal value comes from the
    // `deprecated.daemonset.template.generation` annotation) and the
    // strategy sets it before validating. An apps/v1 `templateGeneration`
    // is an unknown key, kept and not checked.
    // upstream: ValidateDaemonSetUpdateStrategy
    let up = path.child("updateStrategy");
    let default_strategy = Default::default();
    let strategy = spec.update_strategy.as_ref().unwrap_or(&default_strategy);
    match &strategy.type_ {
        Some(DaemonSetUpdateStrategyType::OnDelete) => {}
        Some(DaemonSetUpdateStrategyType::RollingUpdate) => match &strategy.rolling_update {
            None => errs.push(FieldError::required(&up.child("rollingUpdate"), "")),
            Some(ru) => {
                // upstream: ValidateRollingUpdateDaemonSet
                let rp = up.child("rollingUpdate");
                let zero = IntOrString::Int(0);
                let unavailable = ru.max_unavailable.as_ref().unwrap_or(&zero);
                let surge = ru.max_surge.as_ref().unwrap_or(&zero);
                positive_int_or_percent(unavailable, &rp.child("maxUnavailable"), &mut errs);
                positive_int_or_percent(surge, &rp.child("maxSurge"), &mut errs);
                not_more_than_100(unavailable, &rp.child("maxUnavailable"), &mut errs);
                not_more_than_100(surge, &rp.child("maxSurge"), &mut errs);
                let has_unavailable = int_or_percent_value(unavailable) != 0;
                let has_surge = int_or_percent_value(surge) != 0;
                if has_unavailable && has_surge {
                    errs.push(FieldError::invalid(
                        &rp.child("maxSurge"),
                        surge,
                        "may not be set when maxUnavailable is non-zero",
                    ));
                } else if !has_unavailable && !has_surge {
                    errs.push(FieldError::required(
                        &rp.child("maxUnavailable"),
                        "cannot be 0 when maxSurge is 0",
                    ));
                }
            }
        },
        _ => errs.push(FieldError::not_supported(
            &up,
            BadValue::json(strategy),
            &["RollingUpdate", "OnDelete"],
        )),
    }
    opt_non_negative(spec.revision_history_limit, &path.child("revisionHistoryLimit"), &mut errs);
    errs
}

/// Validates a DaemonSet with default gates.
pub fn validate_daemon_set(ds: &DaemonSet) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(daemon_set(ds, &Ctx::new(&gates))).into_result()
}
