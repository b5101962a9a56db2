//! The TTL-after-finished controller: delete a finished Job
//! `ttlSecondsAfterFinished` seconds after it finished.
//!
//! upstream: pkg/controller/ttlafterfinished/ttlafterfinished_controller.go
//! (`addJob` / `updateJob`, `needsCleanup`, `processJob`, `processTTL`,
//! `timeLeft`, `jobFinishTime`). Rules: `semantics/job.md` §12.
//!
//! One reconcile is [`reconcile`]; it reads only the Job, so it takes no
//! `Observed`. The output is one of:
//! - nothing: the Job has no TTL, has not finished (`Complete=True` or
//!   `Failed=True`), is already being deleted, or its finish condition has
//!   no transition time (upstream's `jobFinishTime` errs and the Job is
//!   retried with the rate limiter's back-off; any change to the Job brings
//!   it back here too);
//! - `delete Job ns/name (Foreground propagation)` (with the UID as
//!   precondition) once `now >= finish + ttl`;
//! - a requeue at the instant the TTL runs out.
//!
//! # Deviations
//! - Upstream re-reads a fresh copy of the Job before it deletes it; the
//!   executor is expected to (the action carries the UID precondition and
//!   upstream's foreground propagation).
//!
//! A finish time in the future (clock skew) is not a deviation: upstream
//! logs it, and its `timeLeft` then waits for `finish + ttl` as here.

use crate::api::{ConditionStatus, Job, Resource, Time};

use super::{Action, DeleteOptions, PropagationPolicy};

/// When a finished Job with a TTL expires (upstream: `timeLeft`,
/// `jobFinishTime`): the `lastTransitionTime` of its `Complete=True` or
/// `Failed=True` condition plus `ttlSecondsAfterFinished`. `None` when the
/// Job has no TTL, is not finished, or the condition has no transition time.
pub fn expire_at(job: &Job) -> Option<Time> {
    let ttl = job.spec.as_ref()?.ttl_seconds_after_finished?;
    let finished_at = finish_time(job)?;
    Some(finished_at.add_seconds(i64::from(ttl)))
}

/// The transition time of the first `Complete=True` or `Failed=True`
/// condition (upstream: `jobFinishTime`).
pub fn finish_time(job: &Job) -> Option<Time> {
    let conditions = job.status.as_ref()?.conditions.as_deref()?;
    conditions
        .iter()
        .find(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == ConditionStatus::True)?
        .last_transition_time
}

/// Reconciles one Job (upstream: `processJob`).
pub fn reconcile(job: &Job, now: Time) -> Vec<Action> {
    // upstream: addJob / updateJob skip Jobs being deleted; needsCleanup.
    if job.metadata.is_terminating() {
        return Vec::new();
    }
    let Some(expire) = expire_at(job) else {
        return Vec::new();
    };
    let mut target = job.object_ref();
    if target.namespace.is_none() {
        target.namespace = Some(job.metadata.namespace().to_owned());
    }
    let remaining = now.duration_until(expire);
    if remaining.is_zero() {
        vec![Action::Delete { target, options: DeleteOptions::propagation(PropagationPolicy::Foreground) }]
    } else {
        vec![Action::Requeue { target, after: remaining }]
    }
}
