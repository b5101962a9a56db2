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
//! Not done: the Job status-update rules that tie conditions to counters
//! and to `status.completionTime` / `startTime` (upstream's
//! JobStatusValidationOptions), and CronJob / Pod status rules.

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

fn at_most(v: Option<i32>, max: i32, field: &str, msg: &str, path: &FieldPath, errs: &mut Errors) {
    if let Some(v) = v.filter(|v| *v > max) {
        errs.push(FieldError::invalid(&path.child(field), v, msg));
    }
}

/// Validates the status of an object (the rules the status subresource
/// applies to the new status). Kinds without status rules pass.
pub fn validate_status(object: &Object) -> Result<(), ValidationErrors> {
    ValidationErrors::from(status_errors(object)).into_result()
}

/// Validates a status update: [`validate_status`] on `new` plus the rules
/// that compare with `old` (collision counts may not decrease, Job counters
/// may not decrease, terminal Job conditions may not be removed).
pub fn validate_status_update(old: &Object, new: &Object) -> Result<(), ValidationErrors> {
    let mut errs = status_errors(new);
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
        job_status_update(o, n, &mut errs);
    }
    ValidationErrors::from(errs).into_result()
}

fn status_errors(object: &Object) -> Errors {
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
                    &p,
                    &mut errs,
                );
                nn(s.terminating_replicas.map(i64::from), &p.child("terminatingReplicas"), &mut errs);
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
                    ("collisionCount", s.collision_count),
                ] {
                    nn(v.map(i64::from), &p.child(field), &mut errs);
                }
                nn(s.observed_generation, &p.child("observedGeneration"), &mut errs);
                for (field, v) in [
                    ("readyReplicas", s.ready_replicas),
                    ("currentReplicas", s.current_replicas),
                    ("updatedReplicas", s.updated_replicas),
                    ("availableReplicas", s.available_replicas),
                ] {
                    at_most(v, s.replicas, field, GREATER_THAN_REPLICAS, &p, &mut errs);
                }
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
        Object::DaemonSet(ds) => {
            if let Some(s) = &ds.status {
                for (field, v) in [
                    ("currentNumberScheduled", Some(s.current_number_scheduled)),
                    ("numberMisscheduled", Some(s.number_misscheduled)),
                    ("desiredNumberScheduled", Some(s.desired_number_scheduled)),
                    ("numberReady", s.number_ready),
                    ("updatedNumberScheduled", s.updated_number_scheduled),
                    ("numberAvailable", s.number_available),
                    ("numberUnavailable", s.number_unavailable),
                    ("collisionCount", s.collision_count),
                ] {
                    nn(v.map(i64::from), &p.child(field), &mut errs);
                }
                nn(s.observed_generation, &p.child("observedGeneration"), &mut errs);
            }
        }
        Object::Job(j) => job_status(j, &p, &mut errs),
        _ => {}
    }
    errs
}

fn replica_counts(
    replicas: i32,
    fully_labeled: Option<i32>,
    ready: Option<i32>,
    available: Option<i32>,
    observed_generation: Option<i64>,
    p: &FieldPath,
    errs: &mut Errors,
) {
    non_negative(i64::from(replicas), &p.child("replicas"), errs);
    nn(fully_labeled.map(i64::from), &p.child("fullyLabeledReplicas"), errs);
    nn(ready.map(i64::from), &p.child("readyReplicas"), errs);
    nn(available.map(i64::from), &p.child("availableReplicas"), errs);
    nn(observed_generation, &p.child("observedGeneration"), errs);
    at_most(fully_labeled, replicas, "fullyLabeledReplicas", GREATER_THAN_REPLICAS, p, errs);
    at_most(ready, replicas, "readyReplicas", GREATER_THAN_REPLICAS, p, errs);
    at_most(available, replicas, "availableReplicas", GREATER_THAN_REPLICAS, p, errs);
    at_most(available, ready.unwrap_or(0), "availableReplicas", GREATER_THAN_READY, p, errs);
}

/// upstream: validateJobStatus.
fn job_status(j: &Job, p: &FieldPath, errs: &mut Errors) {
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
    if let Some(completions) = spec.and_then(|s| s.completions).filter(|_| indexed) {
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

fn is_finished(j: &Job) -> bool {
    j.status
        .iter()
        .flat_map(|s| s.conditions.iter().flatten())
        .any(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == ConditionStatus::True)
}

/// upstream: ValidateJobStatusUpdate (counters and terminal conditions).
fn job_status_update(old: &Job, new: &Job, errs: &mut Errors) {
    let p = FieldPath::new("status");
    if is_finished(old) && !is_finished(new) {
        errs.push(FieldError::invalid(
            &p.child("conditions"),
            BadValue::json(&new.status.as_ref().and_then(|s| s.conditions.clone())),
            "cannot remove the terminal condition of a finished Job",
        ));
    }
    let (Some(o), Some(n)) = (&old.status, &new.status) else { return };
    for (field, ov, nv) in [("succeeded", o.succeeded, n.succeeded), ("failed", o.failed, n.failed)] {
        if let (Some(ov), nv) = (ov, nv.unwrap_or(0))
            && nv < ov
        {
            errs.push(FieldError::invalid(&p.child(field), nv, &format!("cannot decrease from {ov}")));
        }
    }
}
