//! Status validation: what the status subresource accepts.
//!
//! upstream: pkg/apis/apps/validation/validation.go (ValidateDeploymentStatus,
//! ValidateReplicaSetStatus, ValidateStatefulSetStatus,
//! ValidateDaemonSetStatus, the *StatusUpdate functions and their
//! collisionCount "cannot be decremented" check);
//! pkg/apis/core/validation/validation.go
//! (ValidateReplicationControllerStatus); pkg/apis/batch/validation/validation.go
//! (validateJobStatus, ValidateJobStatusUpdate — counters, uncounted pods,
//! index lists, terminal conditions).
//!
//! The Job status-update rules that tie conditions to counters and times
//! follow upstream's JobStatusValidationOptions as the status strategy sets
//! them with JobManagedBy on (pkg/registry/batch/job/strategy.go
//! getStatusValidationOptions). Pod status rules are in `pod_status`. Not
//! done: CronJob status rules.

use std::collections::HashSet;

use crate::api::{CompletionMode, ConditionStatus, Job, Object};

use super::meta::non_negative;
use super::{BadValue, Errors, FieldError, FieldPath, ValidationErrors};

const GREATER_THAN_REPLICAS: &str = "cannot be greater than status.replicas";
const GREATER_THAN_READY: &str = "cannot be greater than readyReplicas";

fn nn(v: Option<i64>, path: &FieldPath, errs: &mut Errors) {
    if let Some(v) = v {
        non_negative(v, path, errs);
    }
}

/// `v > max` is an error. The counts compared are Go `int32` values, so an
/// absent one is 0 and still compared: `{replicas: -1}` also reports the
/// zero counts above it (upstream: the "cannot be greater than" checks of
/// ValidateReplicaSetStatus, ValidateDeploymentStatus,
/// ValidateStatefulSetStatus).
fn at_most(v: Option<i32>, max: i32, field: &str, msg: &str, path: &FieldPath, errs: &mut Errors) {
    let v = v.unwrap_or(0);
    if v > max {
        errs.push(FieldError::invalid(&path.child(field), v, msg));
    }
}

/// Validates the status of an object (the rules the status subresource
/// applies to the new status). Kinds without status rules pass.
pub fn validate_status(object: &Object) -> Result<(), ValidationErrors> {
    ValidationErrors::from(status_errors(object, true)).into_result()
}

/// Validates a status update: [`validate_status`] on `new` plus the rules
/// that compare with `old` (collision counts may not decrease, Job counters
/// may not decrease, terminal Job conditions may not be removed; for a Pod,
/// its annotation rules, `qosClass`, `nominatedNodeName` and containers
/// that may not come back from termination, against the old pod's spec).
pub fn validate_status_update(old: &Object, new: &Object) -> Result<(), ValidationErrors> {
    validate_status_update_with_gates(old, new, &crate::FeatureGates::default())
}

/// [`validate_status_update`] with these feature gates (a Pod's
/// state-transition rules follow `ContainerRestartRules`).
pub fn validate_status_update_with_gates(
    old: &Object,
    new: &Object,
    gates: &crate::FeatureGates,
) -> Result<(), ValidationErrors> {
    // A pod's status rules interleave with the update rules: one pass. As
    // for every kind here, the generic metadata rules of an update are
    // `validate_update`'s.
    if let (Object::Pod(o), Object::Pod(n)) = (old, new) {
        let mut errs = Vec::new();
        super::pod_status::pod_status(Some(o), n, gates, &mut errs);
        return ValidationErrors::from(errs).into_result();
    }
    // A Job's index lists are checked only when they change (see
    // JobStatusOpts).
    let mut errs = status_errors(new, false);
    let p = FieldPath::new("status.collisionCount");
    let decremented = |o: Option<i32>, n: Option<i32>| o.is_some_and(|o| n.is_none_or(|n| n < o));
    let collision = match (old, new) {
        (Object::Deployment(o), Object::Deployment(n)) => Some((
            o.status.as_ref().and_then(|s| s.collision_count),
            n.status.as_ref().and_then(|s| s.collision_count),
        )),
        (Object::StatefulSet(o), Object::StatefulSet(n)) => Some((
            o.status.as_ref().and_then(|s| s.collision_count),
            n.status.as_ref().and_then(|s| s.collision_count),
        )),
        (Object::DaemonSet(o), Object::DaemonSet(n)) => Some((
            o.status.as_ref().and_then(|s| s.collision_count),
            n.status.as_ref().and_then(|s| s.collision_count),
        )),
        _ => None,
    };
    if let Some((o, n)) = collision
        && decremented(o, n)
    {
        errs.push(FieldError::invalid(&p, n.unwrap_or(0), "cannot be decremented"));
    }
    if let (Object::Job(o), Object::Job(n)) = (old, new) {
        job_status_update(o, n, gates, &mut errs);
    }
    ValidationErrors::from(errs).into_result()
}

/// The status rules of `object` alone; `job_indexes`: check a Job's index
/// lists (an update checks them only when they changed).
fn status_errors(object: &Object, job_indexes: bool) -> Errors {
    let mut errs = Vec::new();
    let p = FieldPath::new("status");
    match object {
        Object::ReplicaSet(rs) => {
            if let Some(s) = &rs.status {
                replica_counts(
                    s.replicas,
                    s.fully_labeled_replicas,
                    s.ready_replicas,
                    s.available_replicas,
                    s.observed_generation,
                    s.terminating_replicas,
                    &p,
                    &mut errs,
                );
            }
        }
        Object::ReplicationController(rc) => {
            if let Some(s) = &rc.status {
                replica_counts(
                    s.replicas,
                    s.fully_labeled_replicas,
                    s.ready_replicas,
                    s.available_replicas,
                    s.observed_generation,
                    None,
                    &p,
                    &mut errs,
                );
            }
        }
        Object::Deployment(d) => {
            if let Some(s) = &d.status {
                nn(s.observed_generation, &p.child("observedGeneration"), &mut errs);
                for (field, v) in [
                    ("replicas", s.replicas),
                    ("updatedReplicas", s.updated_replicas),
                    ("readyReplicas", s.ready_replicas),
                    ("availableReplicas", s.available_replicas),
                    ("unavailableReplicas", s.unavailable_replicas),
                    ("terminatingReplicas", s.terminating_replicas),
                    ("collisionCount", s.collision_count),
                ] {
                    nn(v.map(i64::from), &p.child(field), &mut errs);
                }
                let replicas = s.replicas.unwrap_or(0);
                at_most(
                    s.updated_replicas,
                    replicas,
                    "updatedReplicas",
                    GREATER_THAN_REPLICAS,
                    &p,
                    &mut errs,
                );
                at_most(s.ready_replicas, replicas, "readyReplicas", GREATER_THAN_REPLICAS, &p, &mut errs);
                at_most(
                    s.available_replicas,
                    replicas,
                    "availableReplicas",
                    GREATER_THAN_REPLICAS,
                    &p,
                    &mut errs,
                );
                at_most(
                    s.available_replicas,
                    s.ready_replicas.unwrap_or(0),
                    "availableReplicas",
                    GREATER_THAN_READY,
                    &p,
                    &mut errs,
                );
            }
        }
        Object::StatefulSet(ss) => {
            if let Some(s) = &ss.status {
                non_negative(i64::from(s.replicas), &p.child("replicas"), &mut errs);
                for (field, v) in [
                    ("readyReplicas", s.ready_replicas),
                    ("currentReplicas", s.current_replicas),
                    ("updatedReplicas", s.updated_replicas),
                    ("availableReplicas", s.available_replicas),
                ] {
                    nn(v.map(i64::from), &p.child(field), &mut errs);
                }
                nn(s.observed_generation, &p.child("observedGeneration"), &mut errs);
                nn(s.collision_count.map(i64::from), &p.child("collisionCount"), &mut errs);
                for (field, v) in [
                    ("readyReplicas", s.ready_replicas),
                    ("currentReplicas", s.current_replicas),
                    ("updatedReplicas", s.updated_replicas),
                    ("availableReplicas", s.available_replicas),
                ] {
                    at_most(v, s.replicas, field, GREATER_THAN_REPLICAS, &p, &mut errs);
                }
                // upstream's StatefulSet text names the status field.
                at_most(
                    s.available_replicas,
                    s.ready_replicas.unwrap_or(0),
                    "availableReplicas",
                    "cannot be greater than status.readyReplicas",
                    &p,
                    &mut errs,
                );
            }
        }
        Object::DaemonSet(ds) => {
            if let Some(s) = &ds.status {
                for (field, v) in [
                    ("currentNumberScheduled", Some(s.current_number_scheduled)),
                    ("numberMisscheduled", Some(s.number_misscheduled)),
                    ("desiredNumberScheduled", Some(s.desired_number_scheduled)),
                    ("numberReady", s.number_ready),
                ] {
                    nn(v.map(i64::from), &p.child(field), &mut errs);
                }
                // upstream: validateDaemonSetStatus checks the generation
                // right after numberReady.
                nn(s.observed_generation, &p.child("observedGeneration"), &mut errs);
                for (field, v) in [
                    ("updatedNumberScheduled", s.updated_number_scheduled),
                    ("numberAvailable", s.number_available),
                    ("numberUnavailable", s.number_unavailable),
                    ("collisionCount", s.collision_count),
                ] {
                    nn(v.map(i64::from), &p.child(field), &mut errs);
                }
            }
        }
        Object::Job(j) => job_status(j, &p, job_indexes, &mut errs),
        Object::Pod(pod) => {
            super::pod_status::pod_status(None, pod, &crate::FeatureGates::default(), &mut errs)
        }
        _ => {}
    }
    errs
}

/// upstream: ValidateReplicaSetStatus / ValidateReplicationControllerStatus
/// (`terminating` is the ReplicaSet's `terminatingReplicas`, checked after
/// `observedGeneration`; `None` for a ReplicationController).
#[allow(clippy::too_many_arguments)]
fn replica_counts(
    replicas: i32,
    fully_labeled: Option<i32>,
    ready: Option<i32>,
    available: Option<i32>,
    observed_generation: Option<i64>,
    terminating: Option<i32>,
    p: &FieldPath,
    errs: &mut Errors,
) {
    non_negative(i64::from(replicas), &p.child("replicas"), errs);
    nn(fully_labeled.map(i64::from), &p.child("fullyLabeledReplicas"), errs);
    nn(ready.map(i64::from), &p.child("readyReplicas"), errs);
    nn(available.map(i64::from), &p.child("availableReplicas"), errs);
    nn(observed_generation, &p.child("observedGeneration"), errs);
    nn(terminating.map(i64::from), &p.child("terminatingReplicas"), errs);
    at_most(fully_labeled, replicas, "fullyLabeledReplicas", GREATER_THAN_REPLICAS, p, errs);
    at_most(ready, replicas, "readyReplicas", GREATER_THAN_REPLICAS, p, errs);
    at_most(available, replicas, "availableReplicas", GREATER_THAN_REPLICAS, p, errs);
    at_most(available, ready.unwrap_or(0), "availableReplicas", GREATER_THAN_READY, p, errs);
}

/// upstream: validateJobStatus.
fn job_status(j: &Job, p: &FieldPath, indexes: bool, errs: &mut Errors) {
    let Some(s) = &j.status else { return };
    for (field, v) in [
        ("active", s.active),
        ("succeeded", s.succeeded),
        ("failed", s.failed),
        ("ready", s.ready),
        ("terminating", s.terminating),
    ] {
        nn(v.map(i64::from), &p.child(field), errs);
    }
    if let Some(u) = &s.uncounted_terminated_pods {
        let up = p.child("uncountedTerminatedPods");
        let mut seen = HashSet::new();
        for (list, uids) in [("succeeded", &u.succeeded), ("failed", &u.failed)] {
            for (i, uid) in uids.iter().flatten().enumerate() {
                let ip = up.child(list).index(i);
                if uid.is_empty() {
                    errs.push(FieldError::invalid(&ip, uid, "must not be empty"));
                } else if !seen.insert(uid.as_str()) {
                    errs.push(FieldError::duplicate(&ip, uid));
                }
            }
        }
    }
    let spec = j.spec.as_ref();
    let indexed = spec.is_some_and(|s| s.completion_mode == Some(CompletionMode::Indexed));
    if let Some(completions) = spec.and_then(|s| s.completions).filter(|_| indexed && indexes) {
        for (field, value) in
            [("completedIndexes", &s.completed_indexes), ("failedIndexes", &s.failed_indexes)]
        {
            if let Some(v) = value
                && let Err(e) = super::batch::indexes_format(v, completions)
            {
                errs.push(FieldError::invalid(&p.child(field), v, &format!("error parsing {field}: {e}")));
            }
        }
    }
}

fn condition_true(j: &Job, ty: &str) -> bool {
    j.status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .any(|c| c.type_ == ty && c.status == ConditionStatus::True)
}

/// upstream: IsJobFinished.
fn is_finished(j: &Job) -> bool {
    condition_true(j, "Complete") || condition_true(j, "Failed")
}

/// upstream: validateFailedIndexesNotOverlapCompleted.
fn indexes_overlap(completed: &str, failed: &str, completions: i32) -> Option<i64> {
    if completed.is_empty() || failed.is_empty() {
        return None;
    }
    let parse = |list: &str| -> Vec<(i64, i64)> {
        list.split(',').filter_map(|i| super::batch::index_interval(i, completions)).collect()
    };
    let (c, f) = (parse(completed), parse(failed));
    let (mut ci, mut fi) = (0usize, 0usize);
    while let (Some(&(cx, cy)), Some(&(fx, fy))) = (c.get(ci), f.get(fi)) {
        if cx <= fy && fx <= cy {
            return Some(cx.max(fx));
        }
        if cx <= fx {
            ci = ci.saturating_add(1);
        } else {
            fi = fi.saturating_add(1);
        }
    }
    None
}

/// upstream: JobStatusValidationOptions, as the Job status strategy derives
/// them from the old and new Job (pkg/registry/batch/job/strategy.go
/// getStatusValidationOptions): with `JobManagedBy` on, the rules that tie
/// conditions to counters and times run only when the fields they read
/// changed, so a controller can still update other fields of a Job whose
/// status was already inconsistent (and completed indexes past
/// `completions` after a scale-down pass); off, none of them runs.
#[derive(Default)]
struct JobStatusOpts {
    decreasing_succeeded: bool,
    decreasing_failed: bool,
    disabling_terminal_condition: bool,
    invalid_completed_indexes: bool,
    invalid_failed_indexes: bool,
    completed_indexes_for_non_indexed: bool,
    failed_indexes_without_per_index_limit: bool,
    failed_indexes_overlapping_completed: bool,
    failed_without_failure_target: bool,
    complete_without_success_criteria_met: bool,
    finished_with_active_pods: bool,
    finished_without_start_time: bool,
    finished_with_uncounted_pods: bool,
    start_time_update_for_unsuspended: bool,
    completion_time_before_start_time: bool,
    mutating_completion_time: bool,
    not_complete_with_completion_time: bool,
    complete_without_completion_time: bool,
    complete_with_failed: bool,
    complete_with_failure_target: bool,
    more_ready_than_active: bool,
    finished_with_terminating_pods: bool,
    /// `AllowForSuccessCriteriaMetInExtendedScope`.
    success_criteria_met_in_extended_scope: bool,
}

impl JobStatusOpts {
    fn new(old: &Job, new: &Job, gates: &crate::FeatureGates) -> JobStatusOpts {
        if !gates.job_managed_by {
            return JobStatusOpts {
                success_criteria_met_in_extended_scope: gates.job_pod_replacement_policy
                    || condition_true(old, "SuccessCriteriaMet"),
                ..JobStatusOpts::default()
            };
        }
        let default_status = crate::api::JobStatus::default();
        let o = old.status.as_ref().unwrap_or(&default_status);
        let n = new.status.as_ref().unwrap_or(&default_status);
        let spec = new.spec.as_ref();
        let indexed = spec.is_some_and(|s| s.completion_mode == Some(CompletionMode::Indexed));
        let changed = |ty: &str| condition_true(old, ty) != condition_true(new, ty);
        let finished = is_finished(old) != is_finished(new);
        let (complete, failed) = (changed("Complete"), changed("Failed"));
        let completed_indexes =
            o.completed_indexes.as_deref().unwrap_or("") != n.completed_indexes.as_deref().unwrap_or("");
        let failed_indexes = o.failed_indexes != n.failed_indexes;
        let active = o.active.unwrap_or(0) != n.active.unwrap_or(0);
        let start = o.start_time != n.start_time;
        let completion = o.completion_time != n.completion_time;
        JobStatusOpts {
            decreasing_succeeded: !indexed || spec.is_none_or(|s| s.completions != s.parallelism),
            decreasing_failed: true,
            disabling_terminal_condition: true,
            invalid_completed_indexes: completed_indexes,
            invalid_failed_indexes: failed_indexes,
            completed_indexes_for_non_indexed: completed_indexes,
            failed_indexes_without_per_index_limit: failed_indexes,
            failed_indexes_overlapping_completed: failed_indexes || completed_indexes,
            failed_without_failure_target: failed || failed_indexes,
            complete_without_success_criteria_met: complete || changed("SuccessCriteriaMet"),
            finished_with_active_pods: finished || active,
            finished_without_start_time: finished || start,
            finished_with_uncounted_pods: finished
                || o.uncounted_terminated_pods != n.uncounted_terminated_pods,
            start_time_update_for_unsuspended: start,
            completion_time_before_start_time: start || completion,
            mutating_completion_time: true,
            not_complete_with_completion_time: complete || completion,
            complete_without_completion_time: complete || completion,
            complete_with_failed: complete || failed,
            complete_with_failure_target: complete || changed("FailureTarget"),
            more_ready_than_active: o.ready != n.ready || active,
            finished_with_terminating_pods: finished || o.terminating != n.terminating,
            success_criteria_met_in_extended_scope: true,
        }
    }
}

/// upstream: ValidateJobStatusUpdate (with validateJobStatus's rules that
/// depend on the options; the counters and uncounted pods are checked by
/// [`job_status`]).
fn job_status_update(old: &Job, new: &Job, gates: &crate::FeatureGates, errs: &mut Errors) {
    let opts = JobStatusOpts::new(old, new, gates);
    let p = FieldPath::new("status");
    let default_status = crate::api::JobStatus::default();
    let o = old.status.as_ref().unwrap_or(&default_status);
    let n = new.status.as_ref().unwrap_or(&default_status);
    let spec = new.spec.as_ref();
    let indexed = spec.is_some_and(|s| s.completion_mode == Some(CompletionMode::Indexed));
    let completions = spec.and_then(|s| s.completions);
    let conditions = || BadValue::Omit;
    let conditions_error = |errs: &mut Errors, msg: &str| {
        errs.push(FieldError::invalid(&p.child("conditions"), conditions(), msg));
    };
    let complete = condition_true(new, "Complete");
    let failed = condition_true(new, "Failed");
    let failure_target = condition_true(new, "FailureTarget");
    let criteria_met = condition_true(new, "SuccessCriteriaMet");
    let finished = is_finished(new);

    // validateJobStatus.
    if opts.complete_with_failed && complete && failed {
        conditions_error(errs, "cannot set Complete=True and Failed=true conditions");
    }
    if opts.complete_with_failure_target && complete && failure_target {
        conditions_error(errs, "cannot set Complete=True and FailureTarget=true conditions");
    }
    if opts.not_complete_with_completion_time
        && let Some(t) = &n.completion_time
        && !complete
    {
        errs.push(FieldError::invalid(
            &p.child("completionTime"),
            BadValue::json(t),
            "cannot set completionTime when there is no Complete=True condition",
        ));
    }
    if opts.complete_without_completion_time && n.completion_time.is_none() && complete {
        errs.push(FieldError::required(
            &p.child("completionTime"),
            "completionTime is required for Complete jobs",
        ));
    }
    if opts.completion_time_before_start_time
        && let (Some(start), Some(done)) = (&n.start_time, &n.completion_time)
        && done.0 < start.0
    {
        errs.push(FieldError::invalid(
            &p.child("completionTime"),
            BadValue::json(done),
            "completionTime cannot be set before startTime",
        ));
    }
    if opts.failed_without_failure_target && failed && !failure_target {
        conditions_error(errs, "cannot set Failed=True condition without the FailureTarget=true condition");
    }
    if opts.complete_without_success_criteria_met && complete && !criteria_met {
        conditions_error(
            errs,
            "cannot set Complete=True condition without the SuccessCriteriaMet=true condition",
        );
    }
    if opts.finished_with_active_pods && finished && n.active.unwrap_or(0) > 0 {
        errs.push(FieldError::invalid(
            &p.child("active"),
            n.active.unwrap_or(0),
            "active>0 is invalid for finished job",
        ));
    }
    if opts.finished_without_start_time && finished && n.start_time.is_none() {
        errs.push(FieldError::required(&p.child("startTime"), "startTime is required for finished job"));
    }
    if opts.finished_with_uncounted_pods
        && finished
        && let Some(u) = &n.uncounted_terminated_pods
        && (u.succeeded.as_ref().is_some_and(|v| !v.is_empty())
            || u.failed.as_ref().is_some_and(|v| !v.is_empty()))
    {
        errs.push(FieldError::invalid(
            &p.child("uncountedTerminatedPods"),
            BadValue::json(u),
            "uncountedTerminatedPods needs to be empty for finished job",
        ));
    }
    let backoff_per_index = spec.and_then(|s| s.backoff_limit_per_index);
    let completed = n.completed_indexes.as_deref().unwrap_or("");
    if opts.invalid_completed_indexes
        && let Some(c) = completions
        && let Err(e) = super::batch::indexes_format(completed, c)
    {
        errs.push(FieldError::invalid(
            &p.child("completedIndexes"),
            completed,
            &format!("error parsing completedIndexes: {e}"),
        ));
    }
    if opts.invalid_failed_indexes
        && backoff_per_index.is_some()
        && let (Some(c), Some(f)) = (completions, &n.failed_indexes)
        && let Err(e) = super::batch::indexes_format(f, c)
    {
        errs.push(FieldError::invalid(
            &p.child("failedIndexes"),
            f,
            &format!("error parsing failedIndexes: {e}"),
        ));
    }
    if opts.completed_indexes_for_non_indexed && !completed.is_empty() && !indexed {
        errs.push(FieldError::invalid(
            &p.child("completedIndexes"),
            completed,
            "cannot set non-empty completedIndexes when non-indexed completion mode",
        ));
    }
    if opts.failed_indexes_without_per_index_limit
        && backoff_per_index.is_none()
        && let Some(f) = &n.failed_indexes
    {
        errs.push(FieldError::invalid(
            &p.child("failedIndexes"),
            f,
            "cannot set non-null failedIndexes when backoffLimitPerIndex is null",
        ));
    }
    if opts.failed_indexes_overlapping_completed
        && let (Some(c), Some(f)) = (completions, &n.failed_indexes)
        && let Some(at) = indexes_overlap(completed, f, c)
    {
        errs.push(FieldError::invalid(
            &p.child("failedIndexes"),
            f,
            &format!("failedIndexes and completedIndexes overlap at index: {at}"),
        ));
    }
    if opts.finished_with_terminating_pods
        && finished
        && let Some(t) = n.terminating.filter(|t| *t > 0)
    {
        errs.push(FieldError::invalid(
            &p.child("terminating"),
            t,
            "terminating>0 is invalid for finished job",
        ));
    }
    if opts.more_ready_than_active
        && let Some(r) = n.ready.filter(|r| *r > n.active.unwrap_or(0))
    {
        errs.push(FieldError::invalid(&p.child("ready"), r, "cannot set more ready pods than active"));
    }
    if !opts.success_criteria_met_in_extended_scope && !indexed && criteria_met {
        conditions_error(errs, "cannot set SuccessCriteriaMet to NonIndexed Job");
    }
    if criteria_met && failed {
        conditions_error(errs, "cannot set SuccessCriteriaMet=True and Failed=true conditions");
    }
    if criteria_met && failure_target {
        conditions_error(errs, "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions");
    }
    let success_policy = spec.is_some_and(|s| s.success_policy.is_some());
    if !opts.success_criteria_met_in_extended_scope && !success_policy && criteria_met {
        conditions_error(errs, "cannot set SuccessCriteriaMet=True for Job without SuccessPolicy");
    }
    if success_policy && !criteria_met && complete {
        conditions_error(
            errs,
            "cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True",
        );
    }

    // The update-only rules.
    if opts.disabling_terminal_condition {
        for ty in ["Failed", "Complete", "FailureTarget"] {
            if condition_true(old, ty) && !condition_true(new, ty) {
                conditions_error(errs, &format!("cannot disable the terminal {ty}=True condition"));
            }
        }
    }
    let (of, nf) = (o.failed.unwrap_or(0), n.failed.unwrap_or(0));
    if opts.decreasing_failed && nf < of {
        errs.push(FieldError::invalid(&p.child("failed"), nf, "cannot decrease the failed counter"));
    }
    let (os, ns) = (o.succeeded.unwrap_or(0), n.succeeded.unwrap_or(0));
    if opts.decreasing_succeeded && ns < os {
        errs.push(FieldError::invalid(&p.child("succeeded"), ns, "cannot decrease the succeeded counter"));
    }
    if opts.mutating_completion_time
        && let (Some(nt), Some(ot)) = (&n.completion_time, &o.completion_time)
        && nt != ot
    {
        errs.push(FieldError::invalid(
            &p.child("completionTime"),
            BadValue::json(nt),
            "completionTime cannot be mutated",
        ));
    }
    let suspended = spec.and_then(|s| s.suspend).unwrap_or(false);
    if opts.start_time_update_for_unsuspended && o.start_time.is_some() && !suspended {
        errs.push(FieldError::required(
            &p.child("startTime"),
            "startTime cannot be removed for unsuspended job",
        ));
    }
    if condition_true(old, "SuccessCriteriaMet") && !criteria_met {
        conditions_error(errs, "cannot disable the SuccessCriteriaMet=True condition");
    }
    if condition_true(old, "Complete") && !condition_true(old, "SuccessCriteriaMet") && criteria_met {
        conditions_error(
            errs,
            "cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions",
        );
    }
}
