//! Update validation: what may not change between the stored object and
//! its replacement.
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go
//! (ValidateObjectMetaAccessorUpdate, ValidateNoNewFinalizers,
//! ValidateImmutableField); pkg/apis/core/validation/validation.go
//! (ValidatePodUpdate); pkg/apis/apps/validation/validation.go
//! (ValidateStatefulSetUpdate, ValidateDaemonSetSpecUpdate);
//! pkg/registry/apps/{deployment,replicaset,daemonset}/strategy.go
//! (ValidateUpdate: selector immutable in apps/v1);
//! pkg/apis/batch/validation/validation.go (ValidateJobSpecUpdate,
//! validateCompletions, validatePodTemplateUpdate, ValidateCronJobUpdate).
//!
//! The replacement is also validated in full (as the update validators of
//! upstream do), except for create-only rules: Pod `ephemeralContainers`,
//! the CronJob 52-character name limit, and a StatefulSet's claim templates
//! and `serviceName` (immutable; its pod template is not checked either when
//! the stored spec fails the same checks, upstream's
//! `SkipValidatePodTemplateSpec`). The metadata of every kind is first
//! checked as the API server's common update checks do (`common_fields`);
//! Deployments, StatefulSets and PodTemplates then check it as an update
//! only (their update validators: the kube finalizer names on top);
//! ReplicaSets, ReplicationControllers, DaemonSets and Jobs both as on a
//! create and as an update, as their strategies run the create validator
//! and then the update one (the spec's errors are listed twice); the other
//! kinds once more as on a create, with their kind's name rule. The
//! `ephemeralcontainers` and `resize` subresources first reduce the request
//! as their strategies' PrepareForUpdate does.
//!
//! The pod `resize` subresource is in `resize` ([`super::validate_pod_resize`]);
//! the status subresource in `status` ([`super::validate_status_update`]).
//!
//! As upstream's update validators, these take the replacement as the
//! registry hands it over: after `rest.BeforeUpdate` has copied `uid`,
//! `creationTimestamp`, `deletionTimestamp`, a missing
//! `deletionGracePeriodSeconds` and the `generation` from the stored object.
//! A client's replacement that leaves those out (a `kubectl replace` of a
//! manifest) passes on a real API server; here it is reported as a changed
//! immutable field unless the caller copies them first.

use crate::api::{Job, JobSpec, ObjectMeta, Pod, PodSpec, PodTemplateSpec, StatefulSet, StatefulSetSpec};
use crate::api::{Object, Toleration};
use crate::features::FeatureGates;

use super::meta::{self, NameRule};
use super::{BadValue, Ctx, Errors, FieldError, FieldPath, ValidationErrors, apps, batch, pod};

const IMMUTABLE: &str = "field is immutable";

/// Validates an update through a Pod's `ephemeralcontainers` subresource
/// (upstream: ValidatePodEphemeralContainersUpdate), on the request as the
/// subresource's strategy reduces it ([`prepare_ephemeral_containers_update`]:
/// only the ephemeral containers come from it): metadata immutability, the
/// new pod as a whole (its metadata, pod-specific annotations and spec,
/// ephemeral containers included: container rules, unique names, an
/// existing `targetContainerName`, only allow-listed fields, no `subPath`),
/// the annotation update rules, and existing ephemeral containers neither
/// removed nor changed (compared semantically; with a name given twice the
/// last one counts, as upstream's map). Upstream's "may not be changed"
/// message goes on with a diff of the two containers, which is left out
/// here. A static pod gets only `static pods do not support ephemeral
/// containers`, after the common metadata checks.
pub fn validate_ephemeral_containers_update(old: &Pod, new: &Pod) -> Result<(), ValidationErrors> {
    let new = &prepare_ephemeral_containers_update(old, new);
    let gates = FeatureGates::default();
    let ctx = Ctx {
        mirror_pod: super::annotations::is_mirror_pod(new),
        ..update_ctx(&gates, old.spec.as_ref(), new.spec.as_ref())
    };
    let default_spec = PodSpec::default();
    let old_spec = old.spec.as_ref().unwrap_or(&default_spec);
    let new_spec = new.spec.as_ref().unwrap_or(&default_spec);
    // upstream: the common update checks (rest.BeforeUpdate), then the
    // strategy, whose static-pod check returns its error alone, after the
    // metadata and spec checks it discards.
    let mut errs = common_fields(&old.metadata, &new.metadata);
    if super::annotations::is_mirror_pod(old) {
        errs.push(FieldError::forbidden(
            &FieldPath::root(),
            "static pods do not support ephemeral containers",
        ));
        return ValidationErrors::from(errs).into_result();
    }
    // validatePodMetadataAndSpec, then ValidatePodSpecificAnnotationUpdates.
    errs.extend(pod_metadata_and_spec(old, new, new_spec, &ctx));
    super::annotations::pod_update(old, new, new_spec, ctx.allow_invalid_deletion_cost(), &mut errs);
    let path = FieldPath::new("spec.ephemeralContainers");
    let name_of =
        |v: &serde_json::Value| v.get("name").and_then(serde_json::Value::as_str).unwrap_or("").to_owned();
    let new_list = new_spec.ephemeral_containers.as_deref().unwrap_or(&[]);
    for o in old_spec.ephemeral_containers.iter().flatten() {
        let name = name_of(o);
        match new_list.iter().rev().find(|n| name_of(n) == name) {
            None => errs.push(FieldError::forbidden(
                &path,
                &format!("existing ephemeral containers {} may not be removed\n", super::go_quote(&name)),
            )),
            Some(n) if !crate::controller::semantic::typed_equal_at("ephemeralContainers", o, n) => errs
                .push(FieldError::forbidden(
                    &path,
                    &format!("existing ephemeral containers {} may not be changed\n", super::go_quote(&name)),
                )),
            Some(_) => {}
        }
    }
    ValidationErrors::from(errs).into_result()
}

/// What the `ephemeralcontainers` subresource makes of a request before
/// validating it (upstream: podEphemeralContainersStrategy.PrepareForUpdate,
/// dropNonEphemeralContainerUpdates): the stored pod with the request's
/// ephemeral containers, name, namespace, UID, resourceVersion, creation
/// time and deletion grace period. Every other change in the request
/// (the rest of the spec, the status, labels, annotations, finalizers,
/// owner references, the deletion timestamp, the generation) is dropped
/// without an error. [`validate_ephemeral_containers_update`] validates
/// this result.
pub fn prepare_ephemeral_containers_update(old: &Pod, new: &Pod) -> Pod {
    let mut prepared = new.clone();
    let mut spec = old.spec.clone().unwrap_or_default();
    spec.ephemeral_containers = new.spec.as_ref().and_then(|s| s.ephemeral_containers.clone());
    prepared.spec = Some(spec);
    prepared.status = old.status.clone();
    reset_object_meta_for_status(&mut prepared.metadata, &old.metadata);
    prepared
}

/// upstream: metav1.ResetObjectMetaForStatus: what a status-like
/// subresource takes from the stored object whatever the request says
/// (deletion timestamp, generation, labels, annotations, finalizers, owner
/// references; selfLink is not modelled).
pub(crate) fn reset_object_meta_for_status(meta: &mut ObjectMeta, old: &ObjectMeta) {
    meta.deletion_timestamp = old.deletion_timestamp;
    meta.generation = old.generation;
    meta.labels.clone_from(&old.labels);
    meta.annotations.clone_from(&old.annotations);
    meta.finalizers.clone_from(&old.finalizers);
    meta.owner_references.clone_from(&old.owner_references);
}

/// Validates an update from `old` to `new` with default feature gates:
/// metadata immutability, each kind's immutable spec fields, and the
/// validity of `new` itself.
pub fn validate_update(old: &Object, new: &Object) -> Result<(), ValidationErrors> {
    validate_update_with_gates(old, new, &FeatureGates::default())
}

/// [`validate_update`] with explicit feature gates. A gate that is off
/// still lets an update keep what the old object already used, as
/// upstream's validation options do (an invalid deletion cost, a
/// `fileKeyRef` with EnvFiles off, a zero-second sleep, container restart
/// rules, ...), and the rules relaxed for objects stored under laxer ones
/// stay relaxed (see the `validation` module docs).
pub fn validate_update_with_gates(
    old: &Object,
    new: &Object,
    gates: &FeatureGates,
) -> Result<(), ValidationErrors> {
    fn spec_of(object: &Object) -> Option<&PodSpec> {
        match object {
            Object::Pod(p) => p.spec.as_ref(),
            other => pod_template_of(other).and_then(|t| t.spec.as_ref()),
        }
    }
    let old_spec = spec_of(old);
    let ctx = Ctx {
        old_cost_invalid: super::annotations::deletion_cost_invalid(
            pod_template_of(old).and_then(|t| t.metadata.as_ref()).and_then(|m| m.annotations.as_ref()),
        ),
        ..update_ctx(gates, old_spec, spec_of(new))
    };
    let mut errs = common_fields(old.metadata(), new.metadata());
    match (old, new) {
        (Object::Pod(o), Object::Pod(n)) => errs.extend(pod_update(o, n, &ctx)),
        // The selector's immutability after the spec's own errors (upstream:
        // ValidateDeploymentUpdate, ValidateReplicaSetUpdate, the DaemonSet
        // strategy's ValidateUpdate). ValidateDeploymentUpdate checks the
        // metadata as an update only (core ValidateObjectMetaUpdate: the
        // common errors, then the kube finalizer names), so the name rules
        // of a create do not apply.
        (Object::Deployment(o), Object::Deployment(n)) => {
            errs.extend(update_metadata_content(&n.metadata));
            errs.extend(apps::deployment_spec(n, &ctx));
            immutable_selector(
                o.spec.as_ref().map(|s| &s.selector),
                n.spec.as_ref().map(|s| &s.selector),
                &mut errs,
            );
        }
        // upstream: the ReplicaSet strategy runs ValidateReplicaSet, then
        // ValidateReplicaSetUpdate (the metadata as an update, then the spec
        // once more: its errors are listed twice, the message prints them
        // once).
        (Object::ReplicaSet(o), Object::ReplicaSet(n)) => {
            errs.extend(apps::replica_set(n, &ctx));
            errs.extend(update_metadata_content(&n.metadata));
            errs.extend(apps::replica_set_spec(n, &ctx));
            immutable_selector(
                o.spec.as_ref().map(|s| &s.selector),
                n.spec.as_ref().map(|s| &s.selector),
                &mut errs,
            );
        }
        // upstream: the DaemonSet strategy runs ValidateDaemonSet, then
        // ValidateDaemonSetUpdate (templateGeneration, which the strategy
        // has set so that it passes, then the spec once more: its errors
        // are listed twice, the message prints them once).
        (Object::DaemonSet(o), Object::DaemonSet(n)) => {
            let ctx = Ctx {
                old_selector_invalid_value: super::meta::has_invalid_label_value(
                    o.spec.as_ref().map(|s| &s.selector),
                ),
                ..ctx.clone()
            };
            let spec_errors = apps::daemon_set(n, &ctx);
            errs.extend(spec_errors.iter().cloned());
            errs.extend(spec_errors);
            immutable_selector(
                o.spec.as_ref().map(|s| &s.selector),
                n.spec.as_ref().map(|s| &s.selector),
                &mut errs,
            );
        }
        // The non-updatable fields' Forbidden last (ValidateStatefulSetUpdate).
        (Object::StatefulSet(o), Object::StatefulSet(n)) => {
            errs.extend(update_metadata_content(&n.metadata));
            errs.extend(apps::stateful_set_update(o, n, &ctx));
            errs.extend(stateful_set_update(o, n));
        }
        // upstream: the metadata update first (rest.BeforeUpdate's
        // validateCommonFields), then the Job strategy's ValidateUpdate:
        // ValidateJob, then ValidateJobUpdate (the metadata update again,
        // listed here only once; then ValidateJobSpecUpdate: ValidateJobSpec
        // once more, whose errors are listed twice and printed once, and the
        // update rules).
        (Object::Job(o), Object::Job(n)) => {
            // upstream: validationOptionsForJob's RequirePrefixedLabels and
            // its AllowInvalidLabelValueInSelector for the old selector.
            let old_labels = o.spec.as_ref().and_then(|s| s.template.metadata.as_ref());
            let prefixed = old_labels.is_some_and(|m| {
                m.label("batch.kubernetes.io/job-name").is_some()
                    && m.label("batch.kubernetes.io/controller-uid").is_some()
            });
            let ctx = Ctx {
                old_selector_invalid_value: super::meta::has_invalid_label_value(
                    o.spec.as_ref().and_then(|s| s.selector.as_ref()),
                ),
                ..ctx.clone()
            };
            errs.extend(batch::job_with(n, &ctx, prefixed));
            errs.extend(batch::job_spec_again(n, &ctx));
            errs.extend(job_update(o, n));
        }
        (Object::CronJob(o), Object::CronJob(n)) => {
            errs.extend(batch::cron_job_with_old(n, Some(o), &ctx, false));
        }
        // upstream: ValidatePodTemplateUpdate: the metadata as an update,
        // then the template.
        (Object::PodTemplate(_), Object::PodTemplate(n)) => {
            errs.extend(update_metadata_content(&n.metadata));
            errs.extend(pod::pod_template_spec(n, &ctx));
        }
        // upstream: the ReplicationController strategy runs
        // ValidateReplicationController, then
        // ValidateReplicationControllerUpdate (the metadata as an update,
        // the spec once more), then the old object's non-convertible
        // annotations.
        (Object::ReplicationController(o), Object::ReplicationController(n)) => {
            errs.extend(apps::replication_controller(n, &ctx));
            errs.extend(update_metadata_content(&n.metadata));
            errs.extend(apps::replication_controller_spec(n, &ctx));
            non_convertible_fields(o, n, &mut errs);
        }
        (o, n) if o.kind() != n.kind() => {
            errs.push(FieldError::invalid(
                &FieldPath::new("kind"),
                n.kind(),
                "may not change the kind of an object",
            ));
        }
        (_, n) => errs.extend(super::errors_with(n, &ctx)),
    }
    ValidationErrors::from(errs).into_result()
}

/// The annotation prefix that marks a field a ReplicationController could
/// not be converted with (upstream: `NonConvertibleAnnotationPrefix`).
const NON_CONVERTIBLE_PREFIX: &str = "non-convertible.kubernetes.io";

/// The ReplicationController strategy's check of the old object's
/// `non-convertible.kubernetes.io/<field>` annotations (upstream:
/// rcStrategy.ValidateUpdate over helper.NonConvertibleFields): a key with
/// exactly one `/` names a field; one naming a selector forbids changing
/// the selector, any other is `Not found` on that field with the
/// annotation's value. A key with no or several `/` is skipped. Go visits
/// the annotations in random order; here they go in the order written.
fn non_convertible_fields(
    old: &crate::api::ReplicationController,
    new: &crate::api::ReplicationController,
    errs: &mut Errors,
) {
    let selector = |rc: &crate::api::ReplicationController| {
        rc.spec.as_ref().and_then(|s| s.selector.clone()).unwrap_or_default()
    };
    for (key, value) in old.metadata.annotations.iter().flatten() {
        if !key.starts_with(NON_CONVERTIBLE_PREFIX) {
            continue;
        }
        let mut parts = key.split('/');
        let (Some(_), Some(field), None) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if field.contains("selector") {
            // Semantic equality: a missing selector equals an empty one.
            let new_selector = selector(new);
            if selector(old) != new_selector {
                let shown = new.spec.as_ref().and_then(|s| s.selector.as_ref()).map(|m| {
                    // Go's json.Marshal writes a map's keys sorted.
                    m.iter().collect::<std::collections::BTreeMap<_, _>>()
                });
                errs.push(FieldError::invalid(
                    &FieldPath::new("spec.selector"),
                    BadValue::json(&shown),
                    "cannot update non-convertible selector",
                ));
            }
        } else {
            let mut e = FieldError::not_found(&FieldPath::new(field), value.as_str());
            e.detail = "unknown non-convertible field".to_owned();
            errs.push(e);
        }
    }
}

/// The options an update's old pod spec sets (upstream:
/// GetValidationOptionsFromPodSpecAndMeta with an old spec): what the
/// stored object already used may stay.
pub(crate) fn update_ctx<'a>(
    gates: &'a FeatureGates,
    old_spec: Option<&PodSpec>,
    new_spec: Option<&PodSpec>,
) -> Ctx<'a> {
    let old = match old_spec {
        Some(old) => super::ratchet::OldSpec::new(old, new_spec.unwrap_or(&PodSpec::default())),
        None => super::ratchet::OldSpec::default(),
    };
    Ctx { old, ..Ctx::new(gates) }
}

/// The pod template of a workload (upstream's updates pass it as the old
/// template to GetValidationOptionsFromPodTemplate).
fn pod_template_of(object: &Object) -> Option<&PodTemplateSpec> {
    match object {
        Object::PodTemplate(t) => t.template.as_ref(),
        Object::ReplicationController(rc) => rc.spec.as_ref().and_then(|s| s.template.as_ref()),
        Object::ReplicaSet(rs) => rs.spec.as_ref().and_then(|s| s.template.as_ref()),
        Object::Deployment(d) => d.spec.as_ref().map(|s| &s.template),
        Object::StatefulSet(s) => s.spec.as_ref().map(|s| &s.template),
        Object::DaemonSet(ds) => ds.spec.as_ref().map(|s| &s.template),
        Object::Job(j) => j.spec.as_ref().map(|s| &s.template),
        Object::CronJob(cj) => {
            cj.spec.as_ref().and_then(|s| s.job_template.spec.as_ref()).map(|s| &s.template)
        }
        _ => None,
    }
}

fn immutable<T: PartialEq + serde::Serialize + ?Sized>(
    old: &T,
    new: &T,
    path: &FieldPath,
    errs: &mut Errors,
) {
    if !crate::controller::semantic::typed_equal(old, new) {
        errs.push(FieldError::invalid(path, BadValue::json(new), IMMUTABLE));
    }
}

/// upstream: rest.BeforeUpdate's validateCommonFields, which every update
/// passes before its kind's own checks: the new metadata as
/// ValidateObjectMetaAccessor checks it for any kind (names only as URL
/// path segments), then the update rules ([`meta_update`]). The combined
/// message keeps each error where it first appears, so a bad label of the
/// new object is listed before a missing resourceVersion.
fn common_fields(old: &ObjectMeta, new: &ObjectMeta) -> Errors {
    let mut errs = meta::object_meta(new, NameRule::PathSegment);
    errs.extend(meta_update(old, new));
    errs
}

/// What core ValidateObjectMetaUpdate checks of the new metadata beside the
/// common update checks: the labels, annotations and owner references
/// again (their errors print once) and the kube finalizer names.
fn update_metadata_content(new: &ObjectMeta) -> Errors {
    meta::object_meta_content(new, &FieldPath::new("metadata"))
}

/// [`common_fields`] for sibling modules (the resize subresource).
pub(crate) fn metadata_update(old: &ObjectMeta, new: &ObjectMeta) -> Errors {
    common_fields(old, new)
}

/// The update rules of ValidateObjectMetaAccessorUpdate: no new finalizers
/// while deleting, a resourceVersion, a generation that does not go back,
/// and the immutable fields. The new labels, annotations and owner
/// references it also checks give the same errors as [`common_fields`]'
/// create rules just before, which the message prints once: left out.
fn meta_update(old: &ObjectMeta, new: &ObjectMeta) -> Errors {
    let mut errs = Vec::new();
    let path = FieldPath::new("metadata");
    if old.deletion_timestamp.is_some() {
        let old_f = old.finalizers.as_deref().unwrap_or(&[]);
        let mut extra: Vec<&String> =
            new.finalizers.iter().flatten().filter(|f| !old_f.contains(f)).collect();
        extra.sort();
        extra.dedup();
        if !extra.is_empty() {
            let quoted: Vec<String> = extra.iter().map(|f| super::go_quote(f)).collect();
            errs.push(FieldError::forbidden(
                &path.child("finalizers"),
                &format!(
                    "no new finalizers can be added if the object is being deleted, found new finalizers []string{{{}}}",
                    quoted.join(", ")
                ),
            ));
        }
    }
    if new.resource_version.as_deref().unwrap_or("").is_empty() {
        errs.push(FieldError::invalid(&path.child("resourceVersion"), "", "must be specified for an update"));
    }
    let (og, ng) = (old.generation.unwrap_or(0), new.generation.unwrap_or(0));
    if ng < og {
        errs.push(FieldError::invalid(&path.child("generation"), ng, "must not be decremented"));
    }
    let str_fields = [
        ("name", old.name(), new.name()),
        ("namespace", old.namespace(), new.namespace()),
        ("uid", old.uid(), new.uid()),
    ];
    for (field, o, n) in str_fields {
        if o != n {
            errs.push(FieldError::invalid(&path.child(field), n, IMMUTABLE));
        }
    }
    immutable(&old.creation_timestamp, &new.creation_timestamp, &path.child("creationTimestamp"), &mut errs);
    immutable(&old.deletion_timestamp, &new.deletion_timestamp, &path.child("deletionTimestamp"), &mut errs);
    immutable(
        &old.deletion_grace_period_seconds,
        &new.deletion_grace_period_seconds,
        &path.child("deletionGracePeriodSeconds"),
        &mut errs,
    );
    errs
}

fn immutable_selector<T: PartialEq + serde::Serialize>(old: Option<&T>, new: Option<&T>, errs: &mut Errors) {
    immutable(&old, &new, &FieldPath::new("spec.selector"), errs);
}

/// upstream: ValidatePodUpdate (the spec part).
/// upstream: validatePodMetadataAndSpec for the new pod of an update: its
/// metadata, its pod-specific annotations (an invalid deletion cost the old
/// pod already had passes) and its spec.
pub(crate) fn pod_metadata_and_spec(old: &Pod, new: &Pod, new_spec: &PodSpec, ctx: &Ctx<'_>) -> Errors {
    let ctx = &Ctx { pod_name: Some(new.metadata.name()), ..ctx.clone() };
    let mut errs = super::meta::object_meta(&new.metadata, super::meta::NameRule::Subdomain);
    super::annotations::pod_specific_on_update(
        old,
        new,
        new_spec,
        ctx.allow_invalid_deletion_cost(),
        &mut errs,
    );
    let path = FieldPath::new("spec");
    errs.extend(pod::spec_errors(new_spec, &path, ctx, pod::Owner::Pod));
    pod::only_for_pod(new_spec, &path, &mut errs);
    errs
}

fn pod_update(old: &Pod, new: &Pod, ctx: &Ctx<'_>) -> Errors {
    let ctx = &Ctx { mirror_pod: super::annotations::is_mirror_pod(new), ..ctx.clone() };
    let mut errs = Vec::new();
    let path = FieldPath::new("spec");
    let default_spec = PodSpec::default();
    let old_spec = old.spec.as_ref().unwrap_or(&default_spec);
    let new_spec = new.spec.as_ref().unwrap_or(&default_spec);
    // upstream: validatePodMetadataAndSpec checks the pod-specific
    // annotations before the spec, and ValidatePodSpecificAnnotationUpdates
    // checks them again after (the aggregate message prints a repeated
    // error once).
    errs.extend(pod_metadata_and_spec(old, new, new_spec, ctx));
    super::annotations::pod_update(old, new, new_spec, ctx.allow_invalid_deletion_cost(), &mut errs);
    // upstream: ValidateContainerUpdates, per list: a different count stops
    // the update checks; otherwise each new image is checked again.
    for (list, old_list, new_list) in [
        ("containers", old_spec.containers.as_slice(), new_spec.containers.as_slice()),
        ("initContainers", old_spec.init_containers(), new_spec.init_containers()),
    ] {
        if old_list.len() != new_list.len() {
            errs.push(FieldError::forbidden(
                &path.child(list),
                "pod updates may not add or remove containers",
            ));
            return errs;
        }
        for (i, c) in new_list.iter().enumerate() {
            let image = c.image.as_deref().unwrap_or("");
            let p = path.child(list).index(i).child("image");
            if image.is_empty() {
                errs.push(FieldError::required(&p, ""));
            }
            if image.trim() != image {
                errs.push(FieldError::invalid(&p, image, "must not have leading or trailing whitespace"));
            }
        }
    }
    let adp = path.child("activeDeadlineSeconds");
    match (old_spec.active_deadline_seconds, new_spec.active_deadline_seconds) {
        (_, Some(n)) if !(0..=i64::from(i32::MAX)).contains(&n) => {
            errs.push(FieldError::invalid(
                &adp,
                n,
                &super::strings::inclusive_range_error(0, i64::from(i32::MAX)),
            ));
            return errs;
        }
        (Some(o), Some(n)) if o < n => {
            errs.push(FieldError::invalid(&adp, n, "must be less than or equal to previous value"));
            return errs;
        }
        (Some(_), None) => {
            errs.push(FieldError::invalid(
                &adp,
                BadValue::Json(serde_json::Value::Null),
                "must not update from a positive integer to nil value",
            ));
        }
        _ => {}
    }
    // Copy what may change from the new spec onto the old, then compare.
    let mut mutated = old_spec.clone();
    for (o, n) in mutated.containers.iter_mut().zip(&new_spec.containers) {
        o.image.clone_from(&n.image);
    }
    if let (Some(olds), Some(news)) = (mutated.init_containers.as_mut(), new_spec.init_containers.as_ref()) {
        for (o, n) in olds.iter_mut().zip(news) {
            o.image.clone_from(&n.image);
        }
    }
    mutated.active_deadline_seconds = new_spec.active_deadline_seconds;
    // upstream: validateOnlyAddedTolerations — every old toleration must
    // still be there, up to its tolerationSeconds.
    let old_tolerations: &[Toleration] = old_spec.tolerations();
    let kept = old_tolerations.iter().all(|o| {
        new_spec.tolerations().iter().any(|n| {
            let mut o = o.clone();
            o.toleration_seconds = n.toleration_seconds;
            // Semantic.DeepEqual: an absent operator equals an empty one.
            crate::controller::semantic::typed_equal_at("tolerations", &o, n)
        })
    });
    if kept {
        // The new list is validated again (the aggregate message prints a
        // repeated error once).
        pod::tolerations(new_spec, &path.child("tolerations"), ctx, &mut errs);
    } else {
        errs.push(FieldError::forbidden(
            &path.child("tolerations"),
            "existing toleration can not be modified except its tolerationSeconds",
        ));
    }
    mutated.tolerations.clone_from(&new_spec.tolerations);
    // upstream: validateOnlyDeletedSchedulingGates: one error per new
    // name, at its last index (a map of name to index; Go's map order,
    // here index order).
    let old_gates = old_spec.scheduling_gates.as_deref().unwrap_or(&[]);
    let new_gates = new_spec.scheduling_gates.as_deref().unwrap_or(&[]);
    for (i, g) in new_gates.iter().enumerate() {
        let last = new_gates.iter().rposition(|later| later.name == g.name) == Some(i);
        if last && !old_gates.iter().any(|o| o.name == g.name) {
            errs.push(FieldError::forbidden(
                &path.child("schedulingGates").index(i).child("name"),
                &format!("only deletion is allowed, but found new scheduling gate '{}'", g.name),
            ));
        }
    }
    mutated.scheduling_gates.clone_from(&new_spec.scheduling_gates);
    if old_spec.termination_grace_period_seconds.is_some_and(|g| g < 0)
        && new_spec.termination_grace_period_seconds == Some(1)
    {
        mutated.termination_grace_period_seconds = Some(1);
    }
    // upstream: ValidatePodUpdate, gated pods: nodeSelector additions and
    // required node-affinity additions (validateNodeSelectorMutation,
    // validateNodeAffinityMutation); the whole nodeAffinity is otherwise
    // mutable while the pod is gated.
    if !old_gates.is_empty() {
        if new_spec.node_selector != old_spec.node_selector {
            node_selector_mutation(old_spec, new_spec, &path.child("nodeSelector"), &mut errs);
            mutated.node_selector.clone_from(&new_spec.node_selector);
        }
        let old_na = old_spec.affinity.as_ref().and_then(|a| a.node_affinity.as_ref());
        let new_na = new_spec.affinity.as_ref().and_then(|a| a.node_affinity.as_ref());
        if old_na != new_na {
            node_affinity_mutation(old_na, new_na, &path.child("affinity.nodeAffinity"), &mut errs);
            match (&mut mutated.affinity, &new_spec.affinity) {
                // Removing an affinity that held only node affinity.
                (Some(a), None)
                    if a.pod_affinity.is_none() && a.pod_anti_affinity.is_none() && a.other.is_empty() =>
                {
                    mutated.affinity = None;
                }
                (Some(a), Some(n)) => a.node_affinity.clone_from(&n.node_affinity),
                (None, Some(n)) => {
                    mutated.affinity = Some(crate::api::Affinity {
                        node_affinity: n.node_affinity.clone(),
                        ..Default::default()
                    });
                }
                _ => {}
            }
        }
    }
    if !crate::controller::semantic::typed_equal_at("spec", &mutated, new_spec) {
        // Upstream's text goes on after the newline with a diff of the two
        // specs (cmp.Diff), which is left out here.
        errs.push(FieldError::forbidden(
            &path,
            "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n",
        ));
    }
    errs
}

/// upstream: validateNodeSelectorMutation.
fn node_selector_mutation(old: &PodSpec, new: &PodSpec, path: &FieldPath, errs: &mut Errors) {
    let new_map = new.node_selector.as_ref();
    let kept = old.node_selector.iter().flatten().all(|(k, v)| new_map.and_then(|m| m.get(k)) == Some(v));
    if !kept {
        errs.push(FieldError::invalid(
            path,
            BadValue::json(&new.node_selector),
            "only additions to spec.nodeSelector are allowed (no mutations or deletions)",
        ));
    }
}

/// upstream: validateNodeAffinityMutation, validateNodeSelectorTermHasOnlyAdditions.
fn node_affinity_mutation(
    old: Option<&crate::api::NodeAffinity>,
    new: Option<&crate::api::NodeAffinity>,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let Some(old_required) = old.and_then(|o| o.required_during_scheduling_ignored_during_execution.as_ref())
    else {
        return;
    };
    let old_terms = &old_required.node_selector_terms;
    let new_terms: &[crate::api::NodeSelectorTerm] = new
        .and_then(|n| n.required_during_scheduling_ignored_during_execution.as_ref())
        .map_or(&[], |r| r.node_selector_terms.as_slice());
    let tp = path.child("requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms");
    if !old_terms.is_empty() && old_terms.len() != new_terms.len() {
        errs.push(FieldError::invalid(
            &tp,
            BadValue::json(new_terms),
            "no additions/deletions to non-empty NodeSelectorTerms list are allowed",
        ));
        return;
    }
    for (i, (o, n)) in old_terms.iter().zip(new_terms).enumerate() {
        let exprs = |t: &crate::api::NodeSelectorTerm| t.match_expressions.clone().unwrap_or_default();
        let fields = |t: &crate::api::NodeSelectorTerm| t.match_fields.clone().unwrap_or_default();
        let (oe, of, ne, nf) = (exprs(o), fields(o), exprs(n), fields(n));
        let prefix_kept = |old: &[crate::api::NodeSelectorRequirement],
                           new: &[crate::api::NodeSelectorRequirement]| {
            old.is_empty() || new.get(..old.len()).is_some_and(|p| p == old)
        };
        let was_empty = oe.is_empty() && of.is_empty();
        let only_additions = (!was_empty || (ne.is_empty() && nf.is_empty()))
            && prefix_kept(&oe, &ne)
            && prefix_kept(&of, &nf);
        if !only_additions {
            errs.push(FieldError::invalid(
                &tp.index(i),
                BadValue::json(n),
                "only additions are allowed (no mutations or deletions)",
            ));
        }
    }
}

/// upstream: ValidateStatefulSetUpdate.
fn stateful_set_update(old: &StatefulSet, new: &StatefulSet) -> Errors {
    let default_spec = StatefulSetSpec::default();
    let old_spec = old.spec.as_ref().unwrap_or(&default_spec);
    let new_spec = new.spec.as_ref().unwrap_or(&default_spec);
    let mut mutated = old_spec.clone();
    mutated.replicas = new_spec.replicas;
    mutated.ordinals.clone_from(&new_spec.ordinals);
    mutated.template.clone_from(&new_spec.template);
    mutated.update_strategy.clone_from(&new_spec.update_strategy);
    mutated.revision_history_limit = new_spec.revision_history_limit;
    mutated
        .persistent_volume_claim_retention_policy
        .clone_from(&new_spec.persistent_volume_claim_retention_policy);
    mutated.min_ready_seconds = new_spec.min_ready_seconds;
    // upstream: the apps/v1 conversion clears each claim template's
    // apiVersion and kind before the comparison (and writes them back on
    // every read), so a replacement that carries them changes nothing.
    let without_type_meta = |spec: &mut StatefulSetSpec| {
        for claim in spec.volume_claim_templates.iter_mut().flatten() {
            claim.api_version = None;
            claim.kind = None;
        }
    };
    let mut new_spec = new_spec.clone();
    without_type_meta(&mut mutated);
    without_type_meta(&mut new_spec);
    if crate::controller::semantic::typed_equal_at("spec", &mutated, &new_spec) {
        Vec::new()
    } else {
        vec![FieldError::forbidden(
            &FieldPath::new("spec"),
            "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        )]
    }
}

/// upstream: ValidateJobSpecUpdate, validateCompletions, validatePodTemplateUpdate.
fn job_update(old: &Job, new: &Job) -> Errors {
    let mut errs = Vec::new();
    let default_spec = JobSpec::default();
    let o = old.spec.as_ref().unwrap_or(&default_spec);
    let n = new.spec.as_ref().unwrap_or(&default_spec);
    let path = FieldPath::new("spec");
    // validateCompletions (elastic indexed jobs, GA)
    let cp = path.child("completions");
    if n.completion_mode == Some(crate::api::CompletionMode::Indexed) {
        if o.completions != n.completions
            && let Some(c) = n.completions
            && Some(c) != n.parallelism
        {
            errs.push(FieldError::invalid(&cp, c, "can only be modified in tandem with spec.parallelism"));
        }
    } else {
        immutable(&o.completions, &n.completions, &cp, &mut errs);
    }
    immutable(&o.selector, &n.selector, &path.child("selector"), &mut errs);
    // validatePodTemplateUpdate: scheduling directives (node affinity, node
    // selector, tolerations, scheduling gates, template labels and
    // annotations) are mutable while the job is suspended and has never
    // started.
    let mut old_template = o.template.clone();
    let never_started = old.status.as_ref().is_none_or(|s| s.start_time.is_none());
    if o.suspend == Some(true) && never_started {
        let new_meta = n.template.metadata.as_ref();
        let m = old_template.metadata.get_or_insert_with(Default::default);
        m.labels = new_meta.and_then(|x| x.labels.clone());
        m.annotations = new_meta.and_then(|x| x.annotations.clone());
        if old_template.metadata == Some(Default::default()) && n.template.metadata.is_none() {
            old_template.metadata = None;
        }
        if let (Some(os), Some(ns)) = (old_template.spec.as_mut(), n.template.spec.as_ref()) {
            // Only node affinity may change: the old affinity takes the new
            // one's, and may go altogether when it held nothing else.
            match (os.affinity.as_mut(), ns.affinity.as_ref()) {
                (Some(oa), None) => {
                    oa.node_affinity = None;
                    if *oa == Default::default() {
                        os.affinity = None;
                    }
                }
                (None, Some(na)) => {
                    os.affinity = Some(crate::api::Affinity {
                        node_affinity: na.node_affinity.clone(),
                        ..Default::default()
                    });
                }
                (Some(oa), Some(na)) => oa.node_affinity.clone_from(&na.node_affinity),
                (None, None) => {}
            }
            os.node_selector.clone_from(&ns.node_selector);
            os.tolerations.clone_from(&ns.tolerations);
            os.scheduling_gates.clone_from(&ns.scheduling_gates);
        }
    }
    immutable(&old_template, &n.template, &path.child("template"), &mut errs);
    immutable(&o.completion_mode, &n.completion_mode, &path.child("completionMode"), &mut errs);
    immutable(&o.pod_failure_policy, &n.pod_failure_policy, &path.child("podFailurePolicy"), &mut errs);
    immutable(
        &o.backoff_limit_per_index,
        &n.backoff_limit_per_index,
        &path.child("backoffLimitPerIndex"),
        &mut errs,
    );
    immutable(&o.managed_by, &n.managed_by, &path.child("managedBy"), &mut errs);
    immutable(&o.success_policy, &n.success_policy, &path.child("successPolicy"), &mut errs);
    errs
}
