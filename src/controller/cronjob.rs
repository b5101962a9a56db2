//! The CronJob controller: create a Job for the most recent due time of the
//! schedule, within the concurrency policy and the starting deadline, keep
//! `status.active` and the history limits.
//!
//! upstream: pkg/controller/cronjob/cronjob_controllerv2.go (`sync`,
//! `syncCronJob`, `cleanupFinishedJobs`, `removeOldestJobs`, `deleteJob`,
//! `getJobName`, `formatSchedule`), pkg/controller/cronjob/utils.go
//! (`mostRecentScheduleTime`, `nextScheduleTimeDuration`,
//! `nextScheduleTime`, `getJobFromTemplate2`, `byJobStartTime`,
//! `inActiveList`, `deleteFromActiveList`). Rules: `semantics/cronjob.md`.
//!
//! One reconcile is [`reconcile`]. The output comes in this order:
//!
//! 1. deletes of finished Jobs beyond the history limits (oldest first,
//!    succeeded then failed);
//! 2. events about the observed Jobs (`UnexpectedJob`, `SawCompletedJob`,
//!    `MissingJob`) and about the schedule (`UnsupportedSchedule`,
//!    `UnknownTimeZone`, `UnparseableSchedule`, `InvalidSchedule`,
//!    `TooManyMissedTimes`, `MissSchedule`, `JobAlreadyActive`);
//! 3. with `Replace`, deletes of the active Jobs;
//! 4. the create of the Job for the due time (`create Job ns/<name>-<minutes>`);
//! 5. the status write, when the status changed;
//! 6. a requeue 100 ms after the next scheduled time.
//!
//! Every Job delete has background propagation, as upstream's, so the
//! Job's pods are collected with it.
//!
//! The controller keeps no memory: the deterministic Job name is its lock.
//! A caller whose watch reports CronJob updates asks [`on_update`] when to
//! reconcile (upstream's `updateCronJob` handler: a new schedule waits for
//! its next time, any other change runs at once).
//!
//! A finished Job in `status.active` leaves it, and a succeeded one moves
//! `lastSuccessfulTime`, in the same sync (`Saw completed job: <name>,
//! condition: Complete`), as upstream since 1.31 (PR 122025); semantics
//! cronjob.md §3.1 still describes the older else-chain, where the time
//! waited for the next sync.
//!
//! ```
//! use kube_workloads::controller::{cronjob, Action};
//! use kube_workloads::{api::Time, CronJob};
//!
//! let cj: CronJob = serde_json::from_value(serde_json::json!({
//!     "apiVersion": "batch/v1", "kind": "CronJob",
//!     "metadata": {"name": "report", "namespace": "default", "uid": "u1",
//!                  "creationTimestamp": "2024-05-01T09:58:00Z"},
//!     "spec": {"schedule": "0 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
//!         "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}
//! })).unwrap();
//! let now: Time = "2024-05-01T10:00:00Z".parse().unwrap();
//! let actions = cronjob::reconcile(&cj, &cronjob::Observed { jobs: &[] }, now);
//! let lines: Vec<String> = actions.iter().map(ToString::to_string).collect();
//! assert_eq!(lines[0], "create Job default/report-28575960");
//! assert_eq!(lines[1], "status CronJob default/report");
//! assert_eq!(lines[2], "requeue CronJob default/report after 3600.1s");
//! ```
//!
//! # Deviations
//! - A CronJob without `timeZone` is evaluated in UTC (DECISIONS cronjob Q1;
//!   upstream uses the controller's local zone, UTC in standard images).
//! - A CronJob without a UID (a hand-built object) owns the Jobs whose
//!   controller reference carries its kind and name; with a UID, the UID
//!   must match too, as upstream's getJobsToBeReconciled resolves them
//!   since kubernetes PR 133313.
//! - The API reads upstream makes are answered from the observed Jobs: an
//!   active entry is missing when no Job of that name is observed; a Job
//!   with the deterministic name that this CronJob controls is adopted into
//!   `status.active` instead of being created again (upstream's
//!   AlreadyExists path); one it does not control stops the sync. The
//!   adoption is the fixed one (kubernetes PR 136920, merged February 2026
//!   for 1.36): 1.35's AlreadyExists path looks the Job up in the empty
//!   namespace (its Job template has none), fails, and retries the sync
//!   without ever adopting. The crate also trusts the status it is given:
//!   where upstream re-reads the CronJob before it calls an owned Job
//!   missing from `status.active` unexpected, the crate records the
//!   `UnexpectedJob` warning and adopts it from the copy it has.
//! - A Job is created without a UID, so its `status.active` entry has none;
//!   the next reconcile matches such an entry by name and fills in the UID
//!   and resourceVersion (upstream's entry has them from the create's
//!   response).
//! - A CronJob without `creationTimestamp` (never stored) is searched from
//!   the Unix epoch (upstream: Go's zero time); either way every slot since
//!   is "missed" and only the most recent one runs.
//! - `SuccessfulCreate` / `SuccessfulDelete` events are left to the executor,
//!   which alone knows whether the call succeeded; the status written
//!   already assumes the creates and deletes of this reconcile (as upstream
//!   writes it after its calls succeeded). So an executor whose Job create
//!   or Replace delete fails must skip the rest of this reconcile's actions
//!   (the status write above all), record upstream's Warning
//!   (`FailedCreate` "Error creating job: …", `FailedDelete`) and reconcile
//!   again later: upstream retries the slot. Writing the status anyway
//!   would record a slot that never ran, and the slot would not be
//!   retried. Upstream does write the rest of that sync's status (the
//!   finished and missing Jobs dropped from `active`, `lastSuccessfulTime`,
//!   the Replace deletes that succeeded), which here waits for the next
//!   reconcile (whose events for those Jobs come again); a cleanup delete
//!   that fails keeps its Job in `active` upstream, not here.

use std::time::Duration;

use chrono::SecondsFormat;
use chrono_tz::Tz;

use crate::api::{
    ConcurrencyPolicy, ConditionStatus, CronJob, CronJobStatus, Job, ObjectMeta, ObjectRef, ObjectReference,
    Resource, Time,
};
use crate::schedule::{Missed, Schedule, ScheduleError};
use crate::validation::go_quote;

use super::{Action, DeleteOptions, Event, EventType, PropagationPolicy, controller_ref};

/// The annotation a created Job carries: its scheduled time, RFC 3339 in the
/// CronJob's zone.
pub const SCHEDULED_TIMESTAMP_ANNOTATION: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/// Upstream's `nextScheduleDelta`: requeues land this long after the
/// scheduled time.
pub const NEXT_SCHEDULE_DELTA_MILLIS: i64 = 100;

/// What a CronJob reconcile reads.
#[derive(Clone, Copy, Debug)]
pub struct Observed<'a> {
    /// The Jobs of the CronJob's namespace (others may be present; only the
    /// Jobs this CronJob controls are considered).
    pub jobs: &'a [Job],
}

/// The name of the Job for a scheduled time: `<cronjob>-<minutes since the
/// epoch>` (upstream: `getJobName`, `getTimeHashInMinutes`).
pub fn job_name(cron_job: &CronJob, scheduled: Time) -> String {
    format!("{}-{}", cron_job.metadata.name(), scheduled.unix() / 60)
}

/// The schedule the controller evaluates (upstream: `formatSchedule`): the
/// spec as written when it contains `TZ`, else `TZ=<timeZone> <schedule>`
/// when a zone is set and known, else the schedule (UTC). An unknown zone
/// falls back to the bare schedule, as upstream's does when
/// `time.LoadLocation` fails ([`reconcile`] stops at `UnknownTimeZone`
/// first; [`on_update`] does not).
pub fn effective_schedule(cron_job: &CronJob) -> Result<Schedule, ScheduleError> {
    let spec = cron_job.spec.clone().unwrap_or_default();
    match spec.time_zone.as_deref() {
        Some(tz) if !spec.schedule.contains("TZ") && load_time_zone(tz).is_ok() => {
            Schedule::parse(&format!("TZ={tz} {}", spec.schedule))
        }
        _ => Schedule::parse(&spec.schedule),
    }
}

/// The earliest time from which due times are searched: `lastScheduleTime`,
/// else `creationTimestamp`, moved up to `now - startingDeadlineSeconds`
/// when `include_deadline` (upstream: the start of `mostRecentScheduleTime`).
pub fn earliest_time(cron_job: &CronJob, now: Time, include_deadline: bool) -> Time {
    let status = cron_job.status.as_ref();
    let mut earliest = status
        .and_then(|s| s.last_schedule_time)
        .or(cron_job.metadata.creation_timestamp)
        .unwrap_or(Time::EPOCH);
    if include_deadline
        && let Some(deadline) = cron_job.spec.as_ref().and_then(|s| s.starting_deadline_seconds)
    {
        let limit = now.add_seconds(deadline.saturating_neg());
        if limit > earliest {
            earliest = limit;
        }
    }
    earliest
}

/// Upstream's `mostRecentScheduleTime`: the earliest time searched from and
/// the most recent due time with the missed count.
pub fn most_recent_schedule_time(
    cron_job: &CronJob,
    now: Time,
    schedule: &Schedule,
    include_deadline: bool,
) -> (Time, Result<Missed, ScheduleError>) {
    let earliest = earliest_time(cron_job, now, include_deadline);
    (earliest, schedule.missed(earliest, now))
}

/// When to reconcile again (upstream: `nextScheduleTimeDuration`): 100 ms
/// after the first scheduled time following the most recent due time (or
/// following `earliest` when nothing is due, or `now` when times were
/// missed but none found, or on error). `None` when the schedule never
/// fires again.
pub fn next_schedule_time_duration(cron_job: &CronJob, now: Time, schedule: &Schedule) -> Option<Duration> {
    let (earliest, missed) = most_recent_schedule_time(cron_job, now, schedule, false);
    let from = match missed {
        Err(_) => now,
        Ok(Missed { most_recent: Some(t), .. }) => t,
        Ok(Missed { most_recent: None, count: 0 }) => earliest,
        Ok(Missed { most_recent: None, .. }) => now,
    };
    let next = schedule.next_after(from)?;
    Some(now.duration_until(next.add_millis(NEXT_SCHEDULE_DELTA_MILLIS)))
}

/// What upstream's informer handler does when a CronJob changes
/// (`updateCronJob`), for a caller whose watch reports the update. A new
/// schedule or time zone requeues the CronJob at the new schedule's next
/// time (the reconcile then finds what is due; an earlier requeue the
/// caller holds still stands), or at once when it never fires again; a new
/// schedule that does not parse records
/// a Warning `UnParseableCronJobSchedule` and requeues nothing, until the
/// spec changes again. Any other change requeues it at once.
///
/// ```
/// use kube_workloads::controller::cronjob;
/// use kube_workloads::{api::Time, CronJob};
///
/// let cj = |schedule: &str| -> CronJob {
///     serde_json::from_value(serde_json::json!({
///         "apiVersion": "batch/v1", "kind": "CronJob",
///         "metadata": {"name": "report", "namespace": "default",
///                      "creationTimestamp": "2024-05-01T09:58:00Z"},
///         "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {
///             "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}
///     }))
///     .unwrap()
/// };
/// let now: Time = "2024-05-01T10:30:00Z".parse().unwrap();
/// let actions = cronjob::on_update(&cj("0 * * * *"), &cj("45 * * * *"), now);
/// assert_eq!(actions[0].to_string(), "requeue CronJob default/report after 900.1s");
/// ```
pub fn on_update(old: &CronJob, new: &CronJob, now: Time) -> Vec<Action> {
    let target = new.object_ref();
    let (old_spec, new_spec) = (old.spec.clone().unwrap_or_default(), new.spec.clone().unwrap_or_default());
    if old_spec.schedule == new_spec.schedule && old_spec.time_zone == new_spec.time_zone {
        return vec![Action::Requeue { target, after: Duration::ZERO }];
    }
    match effective_schedule(new) {
        // A schedule that never fires again requeues at once: upstream's
        // nextScheduleTimeDuration then counts from Go's zero time, a
        // negative delay the queue adds immediately (and that sync reports
        // the InvalidSchedule).
        Ok(schedule) => vec![Action::Requeue {
            target,
            after: next_schedule_time_duration(new, now, &schedule).unwrap_or(Duration::ZERO),
        }],
        Err(_) => vec![Action::Event(Event {
            regarding: target,
            type_: EventType::Warning,
            reason: "UnParseableCronJobSchedule".into(),
            message: format!("unparseable schedule for cronjob: {}", new_spec.schedule),
        })],
    }
}

/// Reconciles a CronJob (upstream: `ControllerV2.sync`).
pub fn reconcile(desired: &CronJob, observed: &Observed<'_>, now: Time) -> Vec<Action> {
    let meta = &desired.metadata;
    let spec = desired.spec.clone().unwrap_or_default();
    let old_status = desired.status.clone().unwrap_or_default();
    let mut status = old_status.clone();
    let mut active: Vec<ObjectReference> = status.active.clone().unwrap_or_default();
    let me = desired.object_ref();
    let mut actions: Vec<Action> = Vec::new();
    let mut events: Vec<Action> = Vec::new();
    // Replace deletes and the create, after the events.
    let mut work: Vec<Action> = Vec::new();
    let event = |type_: EventType, reason: &str, message: String| {
        Action::Event(Event { regarding: me.clone(), type_, reason: reason.to_owned(), message })
    };

    // Jobs of the namespace, by name (DECISIONS G2); owned ones separately.
    let ns = meta.namespace();
    let mut in_namespace: Vec<&Job> = observed.jobs.iter().filter(|j| j.metadata.namespace() == ns).collect();
    super::by_name(&mut in_namespace, |j: &Job| &j.metadata);
    let owned: Vec<&Job> =
        in_namespace.iter().copied().filter(|j| is_controlled_by(&j.metadata, meta)).collect();

    // An entry created by this crate has no UID yet: match it by name, and
    // take the UID and resourceVersion upstream's entry has from the
    // create's response (getRef).
    for entry in active.iter_mut().filter(|e| e.uid.as_deref().is_none_or(str::is_empty)) {
        if let Some(job) = owned.iter().find(|j| Some(j.metadata.name()) == entry.name.as_deref()) {
            entry.uid = job.metadata.uid.clone();
            entry.resource_version = job.metadata.resource_version.clone();
        }
    }

    // upstream: cleanupFinishedJobs. The Jobs it deletes are gone for the
    // rest of the sync (a background delete removes the Job at once).
    let mut cleaned: Vec<&str> = Vec::new();
    if spec.successful_jobs_history_limit.is_some() || spec.failed_jobs_history_limit.is_some() {
        let mut succeeded: Vec<&Job> = Vec::new();
        let mut failed: Vec<&Job> = Vec::new();
        for job in &owned {
            match finished_condition(job) {
                Some(Finished::Complete) => succeeded.push(job),
                Some(Finished::Failed) => failed.push(job),
                None => {}
            }
        }
        for (jobs, limit) in [
            (&mut succeeded, spec.successful_jobs_history_limit),
            (&mut failed, spec.failed_jobs_history_limit),
        ] {
            let Some(limit) = limit else { continue };
            let keep = usize::try_from(limit.max(0)).unwrap_or(usize::MAX);
            let excess = jobs.len().saturating_sub(keep);
            // upstream: byJobStartTime (no start time last; ties by name).
            jobs.sort_by(|a, b| {
                let (sa, sb) = (start_time(a), start_time(b));
                match (sa, sb) {
                    (Some(x), Some(y)) => x.cmp(&y),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
                .then_with(|| a.metadata.name().cmp(b.metadata.name()))
            });
            for job in jobs.iter().take(excess) {
                // upstream: removeOldestJobs' deleteJob, by name without a
                // UID precondition.
                let target = ObjectRef { uid: None, ..job_ref(job, ns) };
                actions.push(Action::Delete { target, options: background() });
                remove_from_active(&mut active, job.metadata.uid(), job.metadata.name());
                cleaned.push(job.metadata.name());
            }
        }
    }

    // upstream: syncCronJob, the observed Jobs against status.active.
    for job in &owned {
        let found = active.iter().any(|e| e.uid.as_deref() == Some(job.metadata.uid()));
        let finished = finished_condition(job);
        match finished {
            None if !found => events.push(event(
                EventType::Warning,
                "UnexpectedJob",
                format!("Saw a job that the controller did not create or forgot: {}", job.metadata.name()),
            )),
            // 1.31+ (PR 122025): a finished Job leaves the active list, and
            // a succeeded one moves lastSuccessfulTime, in the same sync.
            Some(condition) => {
                if found {
                    remove_from_active(&mut active, job.metadata.uid(), job.metadata.name());
                    events.push(event(
                        EventType::Normal,
                        "SawCompletedJob",
                        format!(
                            "Saw completed job: {}, condition: {}",
                            job.metadata.name(),
                            condition.as_str()
                        ),
                    ));
                }
                let completion = job.status.as_ref().and_then(|s| s.completion_time);
                // upstream: IsJobSucceeded: any Complete=True condition.
                if super::job::is_job_succeeded(job)
                    && let Some(c) = completion
                    && status.last_successful_time.is_none_or(|last| c > last)
                {
                    status.last_successful_time = Some(c);
                }
            }
            None => {}
        }
    }
    let mut missing: Vec<String> = Vec::new();
    active.retain(|entry| {
        let by_uid = entry.uid.as_deref().is_some_and(|u| owned.iter().any(|j| j.metadata.uid() == u));
        // upstream re-reads the Job by name: any Job of that name keeps the
        // entry, but not one the cleanup above has just deleted (its read
        // finds nothing).
        let by_name = in_namespace.iter().any(|j| {
            Some(j.metadata.name()) == entry.name.as_deref() && !cleaned.contains(&j.metadata.name())
        });
        if by_uid || by_name {
            return true;
        }
        missing.push(entry.name.clone().unwrap_or_default());
        false
    });
    for name in missing {
        events.push(event(EventType::Normal, "MissingJob", format!("Active job went missing: {name}")));
    }

    let mut requeue: Option<Duration> = None;
    'sync: {
        if meta.is_terminating() {
            break 'sync;
        }
        if let Some(tz) = spec.time_zone.as_deref()
            && let Err(e) = load_time_zone(tz)
        {
            events.push(event(
                EventType::Warning,
                "UnknownTimeZone",
                format!("invalid timeZone: {}: {e}", go_quote(tz)),
            ));
            break 'sync;
        }
        if spec.is_suspended() {
            break 'sync;
        }
        if spec.schedule.contains("TZ") {
            events.push(event(
                EventType::Warning,
                "UnsupportedSchedule",
                format!(
                    "CRON_TZ or TZ used in schedule {} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details",
                    go_quote(&spec.schedule)
                ),
            ));
        }
        let schedule = match effective_schedule(desired) {
            Ok(s) => s,
            Err(e) => {
                events.push(event(
                    EventType::Warning,
                    "UnparseableSchedule",
                    format!("unparseable schedule: {} : {e}", go_quote(&spec.schedule)),
                ));
                break 'sync;
            }
        };
        // The status as it stands, for the requeue computations.
        let current = |active: &[ObjectReference], status: &CronJobStatus| {
            let mut cj = desired.clone();
            let mut st = status.clone();
            st.active = Some(active.to_vec());
            cj.status = Some(st);
            cj
        };
        // upstream: nextScheduleTime
        let (_, found) = most_recent_schedule_time(desired, now, &schedule, true);
        let missed = match found {
            Ok(m) => m,
            Err(e) => {
                events.push(event(
                    EventType::Warning,
                    "InvalidSchedule",
                    format!("invalid schedule: {} : {e}", spec.schedule),
                ));
                break 'sync;
            }
        };
        let Some(scheduled) = missed.most_recent.filter(|t| *t <= now) else {
            requeue = next_schedule_time_duration(&current(&active, &status), now, &schedule);
            break 'sync;
        };
        if missed.too_many() {
            events.push(event(
                EventType::Warning,
                "TooManyMissedTimes",
                "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew"
                    .to_owned(),
            ));
        }
        if let Some(deadline) = spec.starting_deadline_seconds
            && scheduled.add_seconds(deadline) < now
        {
            events.push(event(
                EventType::Warning,
                "MissSchedule",
                format!("Missed scheduled time to start a job: {}", rfc1123z(scheduled)),
            ));
            requeue = next_schedule_time_duration(&current(&active, &status), now, &schedule);
            break 'sync;
        }
        let name = job_name(desired, scheduled);
        if active
            .iter()
            .any(|e| e.name.as_deref() == Some(name.as_str()) && e.namespace.as_deref() == Some(ns))
            || status.last_schedule_time == Some(scheduled)
        {
            requeue = next_schedule_time_duration(&current(&active, &status), now, &schedule);
            break 'sync;
        }
        let policy = spec.concurrency_policy();
        if policy == ConcurrencyPolicy::Forbid && !active.is_empty() {
            events.push(event(
                EventType::Normal,
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid"
                    .to_owned(),
            ));
            requeue = next_schedule_time_duration(&current(&active, &status), now, &schedule);
            break 'sync;
        }
        // Replace deletes the running Jobs before it tries the create: each
        // entry's Job as its name finds it, without a UID precondition, and
        // the entry of the Job found goes (upstream: GetJob by name,
        // deleteJob, deleteFromActiveList with the fetched Job's UID). An
        // entry whose Job is not observed never gets here: the MissingJob
        // pass above dropped it (so, unlike upstream's live GetJob, a Job
        // the observed state lags behind is not deleted; see the module
        // docs).
        if policy == ConcurrencyPolicy::Replace {
            for entry in active.clone() {
                let entry_ns = entry.namespace.as_deref().unwrap_or(ns);
                let found = observed.jobs.iter().find(|j| {
                    j.metadata.namespace() == entry_ns && Some(j.metadata.name()) == entry.name.as_deref()
                });
                work.push(Action::Delete { target: entry_ref(&entry, ns), options: background() });
                match found {
                    Some(job) if !job.metadata.uid().is_empty() => {
                        active.retain(|e| e.uid.as_deref() != Some(job.metadata.uid()));
                    }
                    _ => active.retain(|e| e != &entry),
                }
            }
        }
        // The Job of this slot may exist already (upstream: AlreadyExists):
        // one another actor controls ends the sync, the deletes above and
        // the emptied active list still written.
        let existing =
            in_namespace.iter().find(|j| j.metadata.name() == name && !cleaned.contains(&j.metadata.name()));
        if let Some(job) = existing
            && !is_controlled_by(&job.metadata, meta)
        {
            break 'sync;
        }
        match existing {
            Some(job) => {
                // upstream: inActiveList: already tracked under another
                // entry; the sync ends (no lastScheduleTime, no requeue).
                if active.iter().any(|e| e.uid.as_deref() == Some(job.metadata.uid())) {
                    break 'sync;
                }
                let mut entry = reference(ns, &name, job.metadata.uid.clone());
                entry.resource_version = job.metadata.resource_version.clone();
                active.push(entry);
            }
            None => {
                let job = job_from_template(desired, scheduled, &name);
                work.push(Action::Create { object: job.into() });
                active.push(reference(ns, &name, None));
            }
        }
        status.last_schedule_time = Some(scheduled);
        requeue = next_schedule_time_duration(&current(&active, &status), now, &schedule);
    }

    actions.extend(events);
    actions.extend(work);
    status.active = if active.is_empty() { None } else { Some(active) };
    if old_status.active.as_deref().unwrap_or_default().is_empty() && status.active.is_none() {
        status.active = old_status.active.clone();
    }
    if status != old_status {
        let mut cj = desired.clone();
        cj.fill_type_meta();
        cj.status = Some(status);
        actions.push(Action::UpdateStatus { object: cj.into() });
    }
    if let Some(after) = requeue {
        actions.push(Action::Requeue { target: me, after });
    }
    actions
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Finished {
    Complete,
    Failed,
}

impl Finished {
    fn as_str(self) -> &'static str {
        match self {
            Finished::Complete => "Complete",
            Finished::Failed => "Failed",
        }
    }
}

/// The first `Complete=True` or `Failed=True` condition (upstream:
/// `getFinishedStatus`).
fn finished_condition(job: &Job) -> Option<Finished> {
    let conditions = job.status.as_ref()?.conditions.as_deref()?;
    conditions.iter().find_map(|c| match (c.type_.as_str(), &c.status) {
        ("Complete", ConditionStatus::True) => Some(Finished::Complete),
        ("Failed", ConditionStatus::True) => Some(Finished::Failed),
        _ => None,
    })
}

fn start_time(job: &Job) -> Option<Time> {
    job.status.as_ref().and_then(|s| s.start_time)
}

fn is_controlled_by(object: &ObjectMeta, owner: &ObjectMeta) -> bool {
    object.controller_ref().is_some_and(|r| {
        r.kind == "CronJob" && r.name == owner.name() && (owner.uid().is_empty() || r.uid == owner.uid())
    })
}

fn remove_from_active(active: &mut Vec<ObjectReference>, uid: &str, name: &str) {
    active.retain(|e| match e.uid.as_deref().filter(|u| !u.is_empty()) {
        Some(u) => u != uid,
        None => e.name.as_deref() != Some(name),
    });
}

/// The options of every Job delete (upstream: `realJobControl.DeleteJob`):
/// background propagation, so the Job's pods go with it (a `batch/v1` Job's
/// default is to orphan them).
fn background() -> DeleteOptions {
    DeleteOptions::propagation(PropagationPolicy::Background)
}

fn job_ref(job: &Job, ns: &str) -> ObjectRef {
    let mut r = job.object_ref();
    if r.namespace.is_none() {
        r.namespace = Some(ns.to_owned());
    }
    r
}

/// The Job an active entry names, by name alone: upstream's deleteJob
/// sends no UID precondition.
fn entry_ref(entry: &ObjectReference, ns: &str) -> ObjectRef {
    ObjectRef {
        api_version: Job::API_VERSION.into(),
        kind: Job::KIND.into(),
        namespace: Some(entry.namespace.clone().unwrap_or_else(|| ns.to_owned())),
        name: entry.name.clone().unwrap_or_default(),
        uid: None,
    }
}

fn reference(ns: &str, name: &str, uid: Option<String>) -> ObjectReference {
    ObjectReference {
        kind: Some(Job::KIND.to_owned()),
        namespace: Some(ns.to_owned()),
        name: Some(name.to_owned()),
        uid,
        api_version: Some(Job::API_VERSION.to_owned()),
        ..ObjectReference::default()
    }
}

/// `time.LoadLocation` for `spec.timeZone` (`Local`, the controller's
/// zone, is UTC here).
fn load_time_zone(tz: &str) -> Result<Tz, String> {
    crate::schedule::load_zone(tz).map_err(|e| match e {
        crate::schedule::ScheduleError::InvalidZoneName { .. } => "time: invalid location name".to_owned(),
        _ => format!("unknown time zone {tz}"),
    })
}

/// Go's `time.RFC1123Z` in UTC (`Mon, 02 Jan 2006 15:04:05 -0700`).
fn rfc1123z(t: Time) -> String {
    t.0.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// The Job created for a scheduled time (upstream: `getJobFromTemplate2`).
pub fn job_from_template(cron_job: &CronJob, scheduled: Time, name: &str) -> Job {
    let spec = cron_job.spec.clone().unwrap_or_default();
    let template = &spec.job_template;
    let tmeta = template.metadata.as_ref();
    let zone = spec.time_zone.as_deref().and_then(|tz| load_time_zone(tz).ok()).unwrap_or(Tz::UTC);
    let stamp = scheduled.0.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, true);
    let mut metadata = ObjectMeta {
        name: Some(name.to_owned()),
        namespace: cron_job.metadata.namespace.clone(),
        labels: tmeta.and_then(|m| m.labels.clone()),
        annotations: tmeta.and_then(|m| m.annotations.clone()),
        owner_references: Some(vec![controller_ref(CronJob::API_VERSION, CronJob::KIND, &cron_job.metadata)]),
        ..ObjectMeta::default()
    };
    metadata.set_annotation(SCHEDULED_TIMESTAMP_ANNOTATION, stamp);
    let mut job = Job { metadata, spec: Some(template.spec.clone().unwrap_or_default()), ..Job::default() };
    job.fill_type_meta();
    job
}
