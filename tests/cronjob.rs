//! CronJob reconcile: tables mirroring kubernetes/kubernetes
//! pkg/controller/cronjob/cronjob_controllerv2_test.go
//! (TestControllerV2SyncCronJob, TestControllerV2CleanupFinishedJobs,
//! TestControllerV2JobAlreadyExistsButNotInActiveStatus) and utils_test.go
//! (TestNextScheduleTimeDuration, TestGetJobFromTemplate2,
//! TestByJobStartTime), snapshots of a small cluster driven by the
//! controller, and property tests.

mod cronjob_support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use cronjob_support::{deleted, reasons, requeue, status};
use kube_workloads::api::{
    Condition, ConditionStatus, CronJobStatus, JobStatus, Object, ObjectReference, Time,
};
use kube_workloads::controller::Action;
use kube_workloads::controller::cronjob::{
    Observed, SCHEDULED_TIMESTAMP_ANNOTATION, effective_schedule, job_from_template, job_name,
    next_schedule_time_duration, on_update, reconcile,
};
use kube_workloads::{CronJob, Job};
use proptest::prelude::*;
use serde_json::json;

const NS: &str = "snazzycats";

fn t(s: &str) -> Time {
    s.parse().expect("time")
}

/// upstream: topOfTheHour (2016-05-19T10:00:00Z) plus `secs`.
fn top(secs: i64) -> Time {
    t("2016-05-19T10:00:00Z").add_seconds(secs)
}

const MIN: i64 = 60;
const HOUR: i64 = 3600;

fn cron_job(schedule: &str, policy: &str) -> CronJob {
    serde_json::from_value(json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "mycronjob", "namespace": NS, "uid": "1a2b3c",
                     "creationTimestamp": "2016-05-19T09:00:00Z"},
        "spec": {
            "schedule": schedule,
            "concurrencyPolicy": policy,
            "jobTemplate": {
                "metadata": {"labels": {"a": "b"}, "annotations": {"x": "y"}},
                "spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                         "containers": [{"name": "c", "image": "busybox"}]}}}
            }
        }
    }))
    .expect("cronjob")
}

fn job(cj: &CronJob, scheduled: Time) -> Job {
    let name = job_name(cj, scheduled);
    let mut j = job_from_template(cj, scheduled, &name);
    j.metadata.uid = Some(format!("uid-{name}"));
    j.metadata.creation_timestamp = Some(scheduled);
    j
}

fn finished(mut j: Job, kind: &str, at: Time) -> Job {
    let st = j.status.get_or_insert_default();
    st.conditions.get_or_insert_default().push(Condition {
        type_: kind.into(),
        status: ConditionStatus::True,
        last_transition_time: Some(at),
        ..Condition::default()
    });
    if kind == "Complete" {
        st.completion_time = Some(at);
    }
    j
}

fn entry(j: &Job) -> ObjectReference {
    ObjectReference {
        kind: Some("Job".into()),
        namespace: Some(NS.into()),
        name: j.metadata.name.clone(),
        uid: j.metadata.uid.clone(),
        api_version: Some("batch/v1".into()),
        ..ObjectReference::default()
    }
}

fn run(cj: &CronJob, jobs: &[Job], now: Time) -> Vec<Action> {
    reconcile(cj, &Observed { jobs }, now)
}

fn created(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { object } => Some(object.metadata().name().to_owned()),
            _ => None,
        })
        .collect()
}

/// One row of upstream's TestControllerV2SyncCronJob.
struct Case {
    name: &'static str,
    policy: &'static str,
    suspend: bool,
    schedule: &'static str,
    deadline: Option<i64>,
    /// lastScheduleTime, relative to the top of the hour.
    last_schedule: Option<i64>,
    /// One running Job in status.active (scheduled at the top of the hour).
    ran: bool,
    now: i64,
    expect_create: bool,
    expect_delete: bool,
    expect_active: usize,
    expect_reasons: &'static [&'static str],
    expect_requeue: Option<Duration>,
}

fn check(c: &Case) {
    let mut cj = cron_job(c.schedule, c.policy);
    let spec = cj.spec.as_mut().expect("spec");
    spec.suspend = Some(c.suspend);
    spec.starting_deadline_seconds = c.deadline;
    cj.metadata.creation_timestamp = Some(top(-HOUR));
    let mut jobs = Vec::new();
    let mut st = CronJobStatus { last_schedule_time: c.last_schedule.map(top), ..CronJobStatus::default() };
    if c.ran {
        let j = job(&cj, top(0));
        st.active = Some(vec![entry(&j)]);
        jobs.push(j);
    }
    cj.status = Some(st);
    let actions = run(&cj, &jobs, top(c.now));
    assert_eq!(!created(&actions).is_empty(), c.expect_create, "{}: create {actions:#?}", c.name);
    assert_eq!(!deleted(&actions).is_empty(), c.expect_delete, "{}: delete", c.name);
    let active = status(&actions).or(cj.status.clone()).and_then(|s| s.active).map_or(0, |a| a.len());
    assert_eq!(active, c.expect_active, "{}: active", c.name);
    assert_eq!(reasons(&actions), c.expect_reasons, "{}: events", c.name);
    assert_eq!(requeue(&actions), c.expect_requeue, "{}: requeue", c.name);
}

fn ms(secs: i64) -> Duration {
    Duration::from_millis(u64::try_from(secs * 1000 + 100).expect("positive"))
}

// upstream: cronjob_controllerv2_test.go TestControllerV2SyncCronJob
// ("never ran", "prev ran but done", "still active" and the deadline rows,
// for each concurrency policy). Schedule "0 * * * ?" = hourly.
#[test]
fn sync_cron_job_table() {
    let hourly = "0 * * * ?";
    let mut cases = Vec::new();
    for policy in ["Allow", "Forbid", "Replace"] {
        cases.extend([
            Case {
                name: "never ran, not valid time",
                policy,
                suspend: false,
                schedule: hourly,
                deadline: None,
                last_schedule: None,
                ran: false,
                now: -MIN * 15,
                expect_create: false,
                expect_delete: false,
                expect_active: 0,
                expect_reasons: &[],
                expect_requeue: Some(ms(15 * MIN)),
            },
            Case {
                name: "never ran, is time",
                policy,
                suspend: false,
                schedule: hourly,
                deadline: None,
                last_schedule: None,
                ran: false,
                now: 0,
                expect_create: true,
                expect_delete: false,
                expect_active: 1,
                expect_reasons: &[],
                expect_requeue: Some(ms(HOUR)),
            },
            Case {
                name: "never ran, is time, suspended",
                policy,
                suspend: true,
                schedule: hourly,
                deadline: None,
                last_schedule: None,
                ran: false,
                now: 0,
                expect_create: false,
                expect_delete: false,
                expect_active: 0,
                expect_reasons: &[],
                expect_requeue: None,
            },
            Case {
                name: "never ran, is time, past deadline",
                policy,
                suspend: false,
                schedule: hourly,
                deadline: Some(10),
                last_schedule: None,
                ran: false,
                now: 2 * MIN,
                expect_create: false,
                expect_delete: false,
                expect_active: 0,
                expect_reasons: &[],
                expect_requeue: Some(ms(HOUR - 2 * MIN)),
            },
            Case {
                name: "never ran, is time, not past deadline",
                policy,
                suspend: false,
                schedule: hourly,
                deadline: Some(200),
                last_schedule: None,
                ran: false,
                now: 2 * MIN,
                expect_create: true,
                expect_delete: false,
                expect_active: 1,
                expect_reasons: &[],
                expect_requeue: Some(ms(HOUR - 2 * MIN)),
            },
            Case {
                name: "prev ran but done, not time",
                policy,
                suspend: false,
                schedule: hourly,
                deadline: None,
                last_schedule: Some(-HOUR),
                ran: false,
                now: -MIN * 15,
                expect_create: false,
                expect_delete: false,
                expect_active: 0,
                expect_reasons: &[],
                expect_requeue: Some(ms(15 * MIN)),
            },
            Case {
                name: "prev ran but done, is time",
                policy,
                suspend: false,
                schedule: hourly,
                deadline: None,
                last_schedule: Some(-HOUR),
                ran: false,
                now: 0,
                expect_create: true,
                expect_delete: false,
                expect_active: 1,
                expect_reasons: &[],
                expect_requeue: Some(ms(HOUR)),
            },
            Case {
                name: "prev ran but done, long overdue, not past deadline (missed many)",
                policy,
                suspend: false,
                schedule: hourly,
                deadline: None,
                last_schedule: Some(-HOUR),
                ran: false,
                now: 200 * HOUR + 2 * MIN,
                expect_create: true,
                expect_delete: false,
                expect_active: 1,
                expect_reasons: &["TooManyMissedTimes"],
                expect_requeue: Some(ms(HOUR - 2 * MIN)),
            },
            Case {
                name: "prev ran but done, long overdue, past deadline",
                policy,
                suspend: false,
                schedule: hourly,
                deadline: Some(60),
                last_schedule: Some(-HOUR),
                ran: false,
                now: 200 * HOUR + 2 * MIN,
                expect_create: false,
                expect_delete: false,
                expect_active: 0,
                expect_reasons: &[],
                expect_requeue: Some(ms(HOUR - 2 * MIN)),
            },
        ]);
    }
    // "still active, is time": the policy decides.
    for (policy, create, delete, active, reasons) in [
        ("Allow", true, false, 2, &[][..]),
        ("Forbid", false, false, 1, &["JobAlreadyActive"][..]),
        ("Replace", true, true, 1, &[][..]),
    ] {
        cases.push(Case {
            name: "still active, is time",
            policy,
            suspend: false,
            schedule: hourly,
            deadline: None,
            last_schedule: Some(0),
            ran: true,
            now: HOUR,
            expect_create: create,
            expect_delete: delete,
            expect_active: active,
            expect_reasons: reasons,
            expect_requeue: Some(ms(HOUR)),
        });
        cases.push(Case {
            name: "still active, not time",
            policy,
            suspend: false,
            schedule: hourly,
            deadline: None,
            last_schedule: Some(0),
            ran: true,
            now: 15 * MIN,
            expect_create: false,
            expect_delete: false,
            expect_active: 1,
            expect_reasons: &[],
            expect_requeue: Some(ms(45 * MIN)),
        });
        cases.push(Case {
            name: "still active, suspended",
            policy,
            suspend: true,
            schedule: hourly,
            deadline: None,
            last_schedule: Some(0),
            ran: true,
            now: HOUR,
            expect_create: false,
            expect_delete: false,
            expect_active: 1,
            expect_reasons: &[],
            expect_requeue: None,
        });
    }
    for c in &cases {
        check(c);
    }
}

// upstream: TestControllerV2SyncCronJob, the schedule / zone rows.
#[test]
fn bad_schedules_and_zones() {
    let mut cj = cron_job("* * * * * *", "Allow");
    let actions = run(&cj, &[], top(0));
    assert_eq!(reasons(&actions), ["UnparseableSchedule"]);
    assert_eq!(requeue(&actions), None);

    cj.spec.as_mut().expect("spec").schedule = "59 23 31 2 *".into();
    let actions = run(&cj, &[], top(0));
    assert_eq!(reasons(&actions), ["InvalidSchedule"]);
    assert_eq!(requeue(&actions), None);

    // A field of commas alone parses in robfig (getField drops the empty
    // items) and names no time: invalid, like the 31st of February.
    cj.spec.as_mut().expect("spec").schedule = "0 0 , * *".into();
    let actions = run(&cj, &[], top(0));
    assert_eq!(reasons(&actions), ["InvalidSchedule"]);
    assert_eq!(requeue(&actions), None);

    let mut cj = cron_job("0 * * * *", "Allow");
    cj.spec.as_mut().expect("spec").time_zone = Some("Mars/Olympus".into());
    let actions = run(&cj, &[], top(0));
    assert_eq!(reasons(&actions), ["UnknownTimeZone"]);
    assert!(created(&actions).is_empty());
    // The messages quote the value as Go's %q does (a C1 control as \u).
    let message = |actions: &[Action]| {
        actions.iter().find_map(|a| match a {
            Action::Event(e) => Some(e.message.clone()),
            _ => None,
        })
    };
    cj.spec.as_mut().expect("spec").time_zone = Some("Mars\u{85}".into());
    let text = message(&run(&cj, &[], top(0))).unwrap_or_default();
    assert!(text.starts_with("invalid timeZone: \"Mars\\u0085\": "), "{text}");
    let bad = cron_job("1\u{80} * * * *", "Allow");
    let text = message(&run(&bad, &[], top(0))).unwrap_or_default();
    assert_eq!(
        text,
        "unparseable schedule: \"1\\u0080 * * * *\" : failed to parse int from 1\u{80}: strconv.Atoi: parsing \"1\\u0080\": invalid syntax"
    );

    // TZ in the schedule: a warning, and the prefix zone wins over timeZone.
    let mut cj = cron_job("TZ=Asia/Tokyo 0 19 * * *", "Allow");
    cj.spec.as_mut().expect("spec").time_zone = Some("Europe/Rome".into());
    cj.metadata.creation_timestamp = Some(t("2016-05-19T09:00:00Z"));
    let actions = run(&cj, &[], t("2016-05-19T10:00:00Z"));
    assert_eq!(reasons(&actions), ["UnsupportedSchedule"]);
    assert_eq!(created(&actions), [job_name(&cj, t("2016-05-19T10:00:00Z"))]);
    // The warning quotes the schedule as Go's %q does (a C1 control as
    // \u0085, where Rust's Debug would write \u{85}).
    let odd = cron_job("TZ=UTC\u{85} 0 19 * * *", "Allow");
    assert_eq!(
        message(&run(&odd, &[], top(0))).unwrap_or_default(),
        "CRON_TZ or TZ used in schedule \"TZ=UTC\\u0085 0 19 * * *\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details"
    );

    // A CronJob being deleted only maintains its status.
    let mut cj = cron_job("0 * * * *", "Allow");
    cj.metadata.deletion_timestamp = Some(top(0));
    let actions = run(&cj, &[], top(0));
    assert!(actions.is_empty(), "{actions:#?}");
}

// upstream: TestControllerV2SyncCronJob "timeZone" rows and
// TestGetJobFromTemplate2: the annotation is written in the CronJob's zone.
#[test]
fn time_zone_and_job_template() {
    let mut cj = cron_job("0 12 * * *", "Allow");
    cj.spec.as_mut().expect("spec").time_zone = Some("Europe/Rome".into());
    cj.metadata.creation_timestamp = Some(t("2016-05-19T09:00:00Z"));
    let now = t("2016-05-19T10:00:00Z"); // 12:00 in Rome
    let actions = run(&cj, &[], now);
    let Some(Action::Create { object: Object::Job(j) }) =
        actions.iter().find(|a| matches!(a, Action::Create { .. }))
    else {
        panic!("no create: {actions:#?}");
    };
    assert_eq!(j.metadata.name(), "mycronjob-24394200");
    assert_eq!(j.metadata.annotation(SCHEDULED_TIMESTAMP_ANNOTATION), Some("2016-05-19T12:00:00+02:00"));
    assert_eq!(j.metadata.annotation("x"), Some("y"));
    assert_eq!(j.metadata.label("a"), Some("b"));
    let owner = j.metadata.controller_ref().expect("owner");
    assert_eq!(
        (owner.kind.as_str(), owner.name.as_str(), owner.uid.as_str()),
        ("CronJob", "mycronjob", "1a2b3c")
    );
    assert_eq!(owner.block_owner_deletion, Some(true));
    assert!(j.spec.is_some());

    // Unset zone: UTC and `Z`.
    let cj = cron_job("0 10 * * *", "Allow");
    let j = job_from_template(&cj, now, "x");
    assert_eq!(j.metadata.annotation(SCHEDULED_TIMESTAMP_ANNOTATION), Some("2016-05-19T10:00:00Z"));
}

// upstream: utils_test.go TestNextScheduleTimeDuration
#[test]
fn next_schedule_time_duration_table() {
    let cases: &[(&str, &str, Option<i64>, i64, i64)] = &[
        (
            "complex schedule skipping weekend",
            "30 6-16/4 * * 1-5",
            Some(30 * MIN),
            24 * HOUR + 31 * MIN,
            3 * HOUR + 59 * MIN,
        ),
        (
            "another complex schedule skipping weekend",
            "30 10,11,12 * * 1-5",
            Some(30 * MIN),
            30 * HOUR + 30 * MIN,
            66 * HOUR,
        ),
        (
            "once a week cronjob, missed two runs",
            "0 12 * * 4",
            Some(2 * HOUR),
            19 * 24 * HOUR + HOUR + 30 * MIN,
            48 * HOUR + 30 * MIN,
        ),
        ("no previous run of a cronjob", "0 12 * * 5", None, 6 * HOUR, 20 * HOUR),
    ];
    for (name, schedule, last, now, expected) in cases {
        let mut cj = cron_job(schedule, "Allow");
        cj.metadata.creation_timestamp = Some(top(0));
        cj.status = Some(CronJobStatus { last_schedule_time: last.map(top), ..CronJobStatus::default() });
        let s = effective_schedule(&cj).expect("schedule");
        assert_eq!(next_schedule_time_duration(&cj, top(*now), &s), Some(ms(*expected)), "{name}");
    }
}

// upstream: TestControllerV2CleanupFinishedJobs and TestByJobStartTime:
// oldest by startTime go first, jobs without startTime last, ties by name.
#[test]
fn cleanup_finished_jobs() {
    let mut cj = cron_job("0 * * * *", "Allow");
    let spec = cj.spec.as_mut().expect("spec");
    spec.successful_jobs_history_limit = Some(1);
    spec.failed_jobs_history_limit = Some(0);
    cj.metadata.creation_timestamp = Some(top(0));
    cj.status = Some(CronJobStatus { last_schedule_time: Some(top(5 * HOUR)), ..CronJobStatus::default() });
    let with_start = |j: Job, start: Option<Time>| {
        let mut j = j;
        j.status.get_or_insert_default().start_time = start;
        j
    };
    let jobs = vec![
        with_start(finished(job(&cj, top(HOUR)), "Complete", top(HOUR + 60)), Some(top(HOUR))),
        with_start(finished(job(&cj, top(2 * HOUR)), "Complete", top(2 * HOUR + 60)), None),
        with_start(finished(job(&cj, top(3 * HOUR)), "Complete", top(3 * HOUR + 60)), Some(top(3 * HOUR))),
        with_start(finished(job(&cj, top(4 * HOUR)), "Failed", top(4 * HOUR + 60)), Some(top(4 * HOUR))),
        // Unfinished Jobs are never cleaned up (and this one is unexpected).
        with_start(job(&cj, top(5 * HOUR)), Some(top(5 * HOUR))),
    ];
    let actions = run(&cj, &jobs, top(5 * HOUR + 10));
    assert_eq!(
        deleted(&actions),
        [jobs[0].metadata.name(), jobs[2].metadata.name(), jobs[3].metadata.name()]
    );
    // The cleanup runs first; lastSuccessfulTime comes from every succeeded
    // job seen (deleted ones included).
    assert_eq!(status(&actions).and_then(|s| s.last_successful_time), Some(top(3 * HOUR + 60)));
    assert_eq!(reasons(&actions), ["UnexpectedJob"]);
    // upstream: removeOldestJobs' deleteJob deletes by name, without a UID
    // precondition.
    assert!(actions.iter().all(|a| !matches!(a, Action::Delete { target, .. } if target.uid.is_some())));

    // No limit set: nothing is cleaned.
    let mut plain = cj.clone();
    let spec = plain.spec.as_mut().expect("spec");
    spec.successful_jobs_history_limit = None;
    spec.failed_jobs_history_limit = None;
    assert!(deleted(&run(&plain, &jobs, top(5 * HOUR + 10))).is_empty());
}

// upstream: cleanupFinishedJobs deletes before syncCronJob creates, and a
// background delete removes the Job at once: when the status lost the
// slot's Job (a status write that failed) and history keeps none, the
// finished Job of the slot is deleted and created again, not adopted.
#[test]
fn a_job_the_history_cleanup_deletes_is_not_adopted() {
    let mut cj = cron_job("0 * * * *", "Allow");
    cj.spec.as_mut().expect("spec").successful_jobs_history_limit = Some(0);
    cj.metadata.creation_timestamp = Some(top(0));
    cj.status = Some(CronJobStatus { last_schedule_time: Some(top(0)), ..CronJobStatus::default() });
    let done = finished(job(&cj, top(HOUR)), "Complete", top(HOUR + 5));
    let actions = run(&cj, std::slice::from_ref(&done), top(HOUR + 10));
    assert_eq!(deleted(&actions), [done.metadata.name()]);
    assert_eq!(created(&actions), [done.metadata.name()]);
}

// upstream: the MissingJob check re-reads the Job by name, and a Job the
// history cleanup deleted in the same sync is not found: an active entry
// naming it (with another UID, a Job recreated under the name) goes
// missing at once.
#[test]
fn an_entry_naming_a_job_the_cleanup_deleted_goes_missing() {
    let mut cj = cron_job("0 * * * *", "Forbid");
    cj.spec.as_mut().expect("spec").successful_jobs_history_limit = Some(0);
    cj.metadata.creation_timestamp = Some(top(0));
    let done = finished(job(&cj, top(HOUR)), "Complete", top(HOUR + 5));
    let mut stale = entry(&done);
    stale.uid = Some("old".into());
    cj.status = Some(CronJobStatus {
        active: Some(vec![stale]),
        last_schedule_time: Some(top(HOUR)),
        ..CronJobStatus::default()
    });
    let actions = run(&cj, std::slice::from_ref(&done), top(HOUR + 10));
    assert_eq!(deleted(&actions), [done.metadata.name()]);
    assert!(reasons(&actions).contains(&"MissingJob".to_owned()), "{:?}", reasons(&actions));
    assert_eq!(status(&actions).and_then(|s| s.active).unwrap_or_default(), Vec::<ObjectReference>::new());
}

// upstream: inActiveListByName compares the entry's namespace with the
// Job's, so an entry without one never marks its slot as processed: the
// create meets AlreadyExists, finds the Job's UID in the list and stops
// without a requeue.
#[test]
fn an_active_entry_without_a_namespace_does_not_match_by_name() {
    let mut cj = cron_job("0 * * * *", "Allow");
    cj.metadata.creation_timestamp = Some(top(0));
    let running = job(&cj, top(HOUR));
    let mut bare = entry(&running);
    bare.namespace = None;
    cj.status = Some(CronJobStatus { active: Some(vec![bare]), ..CronJobStatus::default() });
    let actions = run(&cj, std::slice::from_ref(&running), top(HOUR + 10));
    assert!(created(&actions).is_empty());
    assert_eq!(requeue(&actions), None);
}

// Active list maintenance: completed, missing and adopted Jobs.
#[test]
fn active_list() {
    let mut cj = cron_job("0 * * * *", "Forbid");
    cj.metadata.creation_timestamp = Some(top(-HOUR));
    let done = finished(job(&cj, top(0)), "Complete", top(30));
    let gone = job(&cj, top(-HOUR));
    cj.status = Some(CronJobStatus {
        active: Some(vec![entry(&done), entry(&gone)]),
        last_schedule_time: Some(top(0)),
        ..CronJobStatus::default()
    });
    let actions = run(&cj, std::slice::from_ref(&done), top(10 * MIN));
    assert_eq!(reasons(&actions), ["SawCompletedJob", "MissingJob"]);
    let st = status(&actions).expect("status");
    assert_eq!(st.active, None);
    // upstream 1.31+ syncCronJob (PR 122025): lastSuccessfulTime moves in
    // the sync that drops the Job from the active list.
    assert_eq!(st.last_successful_time, Some(top(30)));
    let saw = actions.iter().find_map(|a| match a {
        Action::Event(e) if e.reason == "SawCompletedJob" => Some(e.message.clone()),
        _ => None,
    });
    assert_eq!(
        saw.as_deref(),
        Some(format!("Saw completed job: {}, condition: Complete", done.metadata.name()).as_str())
    );
    let mut next = cj.clone();
    next.status = Some(st);
    let actions = run(&next, std::slice::from_ref(&done), top(11 * MIN));
    assert!(status(&actions).is_none(), "nothing left to write: {actions:#?}");

    // upstream: TestControllerV2JobAlreadyExistsButNotInActiveStatus — the
    // Job of the slot exists: it is adopted into active, not created again.
    let mut cj = cron_job("0 * * * *", "Allow");
    cj.metadata.creation_timestamp = Some(top(-HOUR));
    let existing = job(&cj, top(0));
    let actions = run(&cj, std::slice::from_ref(&existing), top(MIN));
    assert!(created(&actions).is_empty(), "{actions:#?}");
    let st = status(&actions).expect("status");
    assert_eq!(st.last_schedule_time, Some(top(0)));
    assert_eq!(st.active.as_deref().map(|a| a.len()), Some(1));

    // A Job of that name that another controller owns stops the sync.
    let mut foreign = existing.clone();
    foreign.metadata.owner_references = None;
    let actions = run(&cj, std::slice::from_ref(&foreign), top(MIN));
    assert!(created(&actions).is_empty() && status(&actions).is_none(), "{actions:#?}");

    // upstream: syncCronJob under Replace deletes the running Jobs before
    // its create meets AlreadyExists; the foreign Job then ends the sync,
    // with the deletes made and the active list emptied.
    let mut replace = cron_job("0 * * * *", "Replace");
    replace.metadata.creation_timestamp = Some(top(-2 * HOUR));
    let running = job(&replace, top(-HOUR));
    replace.status = Some(CronJobStatus {
        active: Some(vec![entry(&running)]),
        last_schedule_time: Some(top(-HOUR)),
        ..CronJobStatus::default()
    });
    let mut foreign = job(&replace, top(0));
    foreign.metadata.owner_references = None;
    let actions = run(&replace, &[running.clone(), foreign], top(MIN));
    assert_eq!(deleted(&actions), [running.metadata.name().to_owned()], "{actions:#?}");
    assert!(created(&actions).is_empty(), "{actions:#?}");
    assert_eq!(status(&actions).map(|s| s.active), Some(None), "{actions:#?}");

    // upstream: syncCronJob's AlreadyExists path: a Job of the slot that
    // this CronJob controls and already tracks under another entry ends the
    // sync (inActiveList): no lastScheduleTime, no requeue.
    let mut tracked = cj.clone();
    let mut other = entry(&existing);
    other.name = Some("renamed".into());
    tracked.status = Some(CronJobStatus {
        active: Some(vec![other]),
        last_schedule_time: Some(top(-HOUR)),
        ..CronJobStatus::default()
    });
    let actions = run(&tracked, std::slice::from_ref(&existing), top(MIN));
    assert!(created(&actions).is_empty(), "{actions:#?}");
    assert!(status(&actions).is_none_or(|s| s.last_schedule_time == Some(top(-HOUR))), "{actions:#?}");
    assert_eq!(requeue(&actions), None, "{actions:#?}");

    // upstream: lastSuccessfulTime follows IsJobSucceeded, any Complete=True
    // condition (the first finished one names the event).
    let both = finished(finished(existing.clone(), "Failed", top(2 * MIN)), "Complete", top(3 * MIN));
    let mut watching = cj.clone();
    watching.status = Some(CronJobStatus {
        active: Some(vec![entry(&existing)]),
        last_schedule_time: Some(top(0)),
        ..CronJobStatus::default()
    });
    let actions = run(&watching, std::slice::from_ref(&both), top(4 * MIN));
    assert_eq!(status(&actions).and_then(|s| s.last_successful_time), Some(top(3 * MIN)), "{actions:#?}");

    // An entry written without a UID (this crate's create) is matched by
    // name and gets the UID.
    let mut cj2 = cj.clone();
    let mut e = entry(&existing);
    e.uid = None;
    cj2.status =
        Some(CronJobStatus { active: Some(vec![e]), last_schedule_time: Some(top(0)), ..Default::default() });
    let mut seen = existing.clone();
    seen.metadata.resource_version = Some("812".into());
    let actions = run(&cj2, std::slice::from_ref(&seen), top(MIN));
    assert!(reasons(&actions).is_empty(), "{actions:#?}");
    let st = status(&actions).expect("status");
    let first = st.active.as_ref().and_then(|a| a.first()).cloned().unwrap_or_default();
    assert_eq!(first.uid, existing.metadata.uid);
    // upstream: getRef of the Job the create returned, resourceVersion too.
    assert_eq!(first.resource_version.as_deref(), Some("812"));

    // upstream: the AlreadyExists path adopts the Job read back, with its
    // resourceVersion (getRef).
    let mut untracked = cj.clone();
    untracked.status =
        Some(CronJobStatus { last_schedule_time: Some(top(-HOUR)), ..CronJobStatus::default() });
    let actions = run(&untracked, std::slice::from_ref(&seen), top(MIN));
    let adopted = status(&actions).and_then(|s| s.active).unwrap_or_default();
    assert_eq!(adopted.first().and_then(|e| e.resource_version.as_deref()), Some("812"), "{actions:#?}");

    // upstream: syncCronJob under Replace reads each entry's Job by name and
    // deletes it by name (deleteJob sends no UID precondition), dropping
    // the entry of the Job it found: an entry whose Job was re-created
    // under its name keeps its stale UID until the Job is seen missing.
    let mut recreated = job(&replace, top(-HOUR));
    recreated.metadata.uid = Some("uid-recreated".into());
    let actions = run(&replace, std::slice::from_ref(&recreated), top(MIN));
    let targets: Vec<_> = actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { target, .. } => Some((target.name.clone(), target.uid.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(targets, [(running.metadata.name().to_owned(), None)], "{actions:#?}");
    let active = status(&actions).and_then(|s| s.active).unwrap_or_default();
    assert!(active.iter().any(|e| e.uid == running.metadata.uid), "{actions:#?}");
    // A Job observed without a UID (a hand-written list): its entry goes
    // with its delete, by name.
    let mut nameless = replace.clone();
    let mut bare = entry(&running);
    bare.uid = None;
    nameless.status = Some(CronJobStatus {
        active: Some(vec![bare]),
        last_schedule_time: Some(top(-HOUR)),
        ..CronJobStatus::default()
    });
    let mut no_uid = running.clone();
    no_uid.metadata.uid = None;
    let actions = run(&nameless, std::slice::from_ref(&no_uid), top(MIN));
    let active = status(&actions).and_then(|s| s.active).unwrap_or_default();
    assert!(!active.iter().any(|e| e.name == running.metadata.name), "{actions:#?}");
}

// upstream: cronjob-mrst-another-complex-quirk (cronjob.md §5): the estimate
// overshoots and no Job is created although Friday 10:30 was missed.
#[test]
fn irregular_schedule_quirk() {
    let mut cj = cron_job("30 10,11,12 * * 1-5", "Allow");
    cj.metadata.creation_timestamp = Some(top(0));
    cj.status = Some(CronJobStatus { last_schedule_time: Some(top(30 * MIN)), ..CronJobStatus::default() });
    let actions = run(&cj, &[], top(30 * HOUR + 30 * MIN));
    assert!(created(&actions).is_empty());
    assert_eq!(requeue(&actions), Some(ms(66 * HOUR)));
}

// ---------------------------------------------------------------------------
// A small cluster: the controller, Jobs that run for a while, snapshots.
// ---------------------------------------------------------------------------

struct Cluster {
    now: Time,
    cron_job: CronJob,
    jobs: BTreeMap<String, Job>,
    /// How long each Job runs, in seconds, by creation order.
    run_for: Vec<i64>,
    created: usize,
    wake: Option<Time>,
    log: String,
}

impl Cluster {
    fn new(cj: CronJob, start: Time, run_for: Vec<i64>) -> Cluster {
        let mut cron_job = cj;
        cron_job.metadata.creation_timestamp = Some(start);
        Cluster {
            now: start,
            cron_job,
            jobs: BTreeMap::new(),
            run_for,
            created: 0,
            wake: Some(start),
            log: String::new(),
        }
    }

    fn clock(&self) -> String {
        self.now.to_string()
    }

    /// Reconciles once and carries out the actions.
    fn step(&mut self) {
        let jobs: Vec<Job> = self.jobs.values().cloned().collect();
        let actions = run(&self.cron_job, &jobs, self.now);
        let _ = writeln!(self.log, "{}", self.clock());
        self.wake = None;
        for a in actions {
            match &a {
                Action::Create { object: Object::Job(j) } => {
                    let mut j = (**j).clone();
                    j.metadata.uid = Some(format!("uid-{}", j.metadata.name()));
                    j.metadata.creation_timestamp = Some(self.now);
                    j.status = Some(JobStatus { start_time: Some(self.now), ..JobStatus::default() });
                    let runs = self.run_for.get(self.created).copied().unwrap_or(30);
                    self.created += 1;
                    let _ = writeln!(
                        self.log,
                        "  create Job {} (runs {}s, scheduled {})",
                        j.metadata.name(),
                        runs,
                        j.metadata.annotation(SCHEDULED_TIMESTAMP_ANNOTATION).unwrap_or("?")
                    );
                    j.metadata.set_annotation("test/runs", runs.to_string());
                    self.jobs.insert(j.metadata.name().to_owned(), j);
                }
                Action::Delete { target, options } => {
                    let _ = writeln!(self.log, "  delete Job {}{options}", target.name);
                    self.jobs.remove(&target.name);
                }
                Action::UpdateStatus { object: Object::CronJob(cj) } => {
                    let st = cj.status.clone().unwrap_or_default();
                    // An entry this crate wrote has no UID until the next
                    // reconcile matches it by name.
                    let active: Vec<String> = st
                        .active
                        .iter()
                        .flatten()
                        .map(|e| {
                            let name = e.name.clone().unwrap_or_default();
                            if e.uid.is_some() { name } else { format!("{name} (uid pending)") }
                        })
                        .collect();
                    let _ = writeln!(
                        self.log,
                        "  status: active [{}], last scheduled {}, last successful {}",
                        active.join(", "),
                        st.last_schedule_time.map_or("-".into(), |t| t.to_string()),
                        st.last_successful_time.map_or("-".into(), |t| t.to_string()),
                    );
                    self.cron_job.status = cj.status.clone();
                }
                Action::Requeue { after, .. } => {
                    let at = self.now.add_millis(i64::try_from(after.as_millis()).unwrap_or(i64::MAX));
                    let _ = writeln!(self.log, "  requeue at {at}");
                    self.wake = Some(at);
                }
                other => {
                    let _ = writeln!(self.log, "  {other}");
                }
            }
        }
    }

    /// Marks Jobs whose run time is over as Complete; true if any changed.
    fn finish_jobs(&mut self) -> bool {
        let mut changed = false;
        let now = self.now;
        let clock = self.clock();
        for j in self.jobs.values_mut() {
            let runs: i64 = j.metadata.annotation("test/runs").and_then(|r| r.parse().ok()).unwrap_or(30);
            let start = j.status.as_ref().and_then(|s| s.start_time).unwrap_or(now);
            let done = j.status.as_ref().and_then(|s| s.conditions.as_ref()).is_some_and(|c| !c.is_empty());
            if !done && start.add_seconds(runs) <= now {
                *j = finished(j.clone(), "Complete", start.add_seconds(runs));
                let _ = writeln!(self.log, "{clock}: Job {} completed", j.metadata.name());
                changed = true;
            }
        }
        changed
    }

    /// The next instant something happens: a requeue or a Job finishing.
    fn next_event(&self) -> Option<Time> {
        let finishes = self.jobs.values().filter_map(|j| {
            let done = j.status.as_ref().and_then(|s| s.conditions.as_ref()).is_some_and(|c| !c.is_empty());
            let runs: i64 = j.metadata.annotation("test/runs")?.parse().ok()?;
            (!done).then(|| j.status.as_ref()?.start_time.map(|s| s.add_seconds(runs)))?
        });
        finishes.chain(self.wake).min()
    }

    /// Runs until `until`, reconciling on every requeue and Job completion.
    fn run_until(&mut self, until: Time) {
        self.step();
        for _ in 0..500 {
            let Some(at) = self.next_event() else { break };
            if at > until {
                break;
            }
            self.now = at.max(self.now);
            self.finish_jobs();
            self.step();
        }
        self.now = until;
    }
}

fn scenario(policy: &str, run_for: Vec<i64>) -> String {
    let cj = cron_job("*/5 * * * *", policy);
    let mut c = Cluster::new(cj, t("2024-05-01T10:00:30Z"), run_for);
    let _ = writeln!(
        c.log,
        "CronJob mycronjob: */5 * * * *, concurrencyPolicy {policy}; Jobs run 7m, 2m, 9m, 1m..."
    );
    c.run_until(t("2024-05-01T10:26:00Z"));
    c.log
}

#[test]
fn snapshot_forbid_overlapping_runs() {
    insta::assert_snapshot!(scenario("Forbid", vec![7 * 60, 120, 9 * 60, 60, 60, 60]));
}

#[test]
fn snapshot_replace_overlapping_runs() {
    insta::assert_snapshot!(scenario("Replace", vec![7 * 60, 120, 9 * 60, 60, 60, 60]));
}

// The controller was down for 2h15m: one Job for the most recent slot only,
// a TooManyMissedTimes warning once more than 100 slots are missed.
#[test]
fn snapshot_missed_schedule_catch_up() {
    let mut log = String::new();
    for (label, schedule, gap) in [
        ("*/5 * * * *: 27 missed", "*/5 * * * *", 2 * HOUR + 15 * MIN),
        ("* * * * *: 135 missed", "* * * * *", 2 * HOUR + 15 * MIN),
    ] {
        let mut cj = cron_job(schedule, "Allow");
        cj.metadata.creation_timestamp = Some(t("2024-05-01T09:58:00Z"));
        cj.status =
            Some(CronJobStatus { last_schedule_time: Some(t("2024-05-01T10:00:00Z")), ..Default::default() });
        let mut c = Cluster::new(cj, t("2024-05-01T10:00:00Z").add_seconds(gap), vec![30; 4]);
        c.cron_job.metadata.creation_timestamp = Some(t("2024-05-01T09:58:00Z"));
        let _ = writeln!(c.log, "{label}: last scheduled 2024-05-01T10:00:00Z, controller back at {}", c.now);
        let end = c.now.add_seconds(3 * MIN);
        c.run_until(end);
        log.push_str(&c.log);
        log.push('\n');
    }
    // With startingDeadlineSeconds the search starts at now - deadline.
    let mut cj = cron_job("* * * * *", "Allow");
    cj.spec.as_mut().expect("spec").starting_deadline_seconds = Some(90);
    cj.status =
        Some(CronJobStatus { last_schedule_time: Some(t("2024-05-01T10:00:00Z")), ..Default::default() });
    let mut c = Cluster::new(cj, t("2024-05-01T12:15:30Z"), vec![30; 4]);
    c.cron_job.metadata.creation_timestamp = Some(t("2024-05-01T09:58:00Z"));
    let _ = writeln!(c.log, "* * * * * with startingDeadlineSeconds 90: controller back at {}", c.now);
    c.run_until(c.now.add_seconds(2 * MIN));
    log.push_str(&c.log);
    insta::assert_snapshot!(log);
}

// A CronJob at 02:30 in Europe/Berlin across the 2024 DST changes: skipped
// on 31 March (02:30 does not exist), twice on 27 October.
#[test]
fn snapshot_berlin_dst_half_past_two() {
    let mut log = String::new();
    for (start, end) in
        [("2024-03-29T12:00:00Z", "2024-04-02T12:00:00Z"), ("2024-10-25T12:00:00Z", "2024-10-29T12:00:00Z")]
    {
        let mut cj = cron_job("30 2 * * *", "Allow");
        cj.spec.as_mut().expect("spec").time_zone = Some("Europe/Berlin".into());
        let mut c = Cluster::new(cj, t(start), vec![60; 8]);
        let _ = writeln!(
            c.log,
            "CronJob 30 2 * * * in Europe/Berlin, from {start} (02:30 does not exist on 31 March and happens twice on 27 October)"
        );
        c.run_until(t(end));
        log.push_str(&c.log);
        log.push('\n');
    }
    insta::assert_snapshot!(log);
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

fn drive(schedule: &str, policy: &str, runs: Vec<i64>, hours: i64, mut check: impl FnMut(&Cluster)) {
    let cj = cron_job(schedule, policy);
    let mut c = Cluster::new(cj, t("2024-03-30T22:00:17Z"), runs);
    let end = c.now.add_seconds(hours * HOUR);
    c.step();
    check(&c);
    for _ in 0..400 {
        let Some(at) = c.next_event() else { break };
        if at > end {
            break;
        }
        c.now = at.max(c.now);
        c.finish_jobs();
        c.step();
        check(&c);
    }
}

fn schedules() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*/5 * * * *".to_owned()),
        Just("*/7 * * * *".to_owned()),
        Just("0,20,25 * * * *".to_owned()),
        Just("30 2 * * *".to_owned()),
        Just("0 */2 * * *".to_owned()),
        Just("15 1-3 31 3 0".to_owned()),
        Just("@every 17m".to_owned()),
        Just("@hourly".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    // A Forbid CronJob never has two active Jobs.
    #[test]
    fn forbid_never_two_active(schedule in schedules(), runs in prop::collection::vec(1i64..5_000, 1..30)) {
        drive(&schedule, "Forbid", runs, 8, |c| {
            let active = c.jobs.values().filter(|j| {
                j.status.as_ref().and_then(|s| s.conditions.as_ref()).is_none_or(|cs| cs.is_empty())
            }).count();
            assert!(active <= 1, "{schedule}: {active} active\n{}", c.log);
            let listed = c.cron_job.status.as_ref().and_then(|s| s.active.as_ref()).map_or(0, |a| a.len());
            assert!(listed <= 1, "{schedule}: {listed} listed\n{}", c.log);
        });
    }

    // A CronJob never starts a Job at a time its schedule does not name.
    #[test]
    fn only_scheduled_times(
        schedule in schedules(),
        policy in prop_oneof![Just("Allow"), Just("Forbid"), Just("Replace")],
        zone in prop_oneof![Just(None), Just(Some("Europe/Berlin")), Just(Some("America/New_York"))],
        runs in prop::collection::vec(1i64..5_000, 1..30),
    ) {
        let mut cj = cron_job(&schedule, policy);
        cj.spec.as_mut().expect("spec").time_zone = zone.map(str::to_owned);
        let s = effective_schedule(&cj).expect("schedule");
        drive(&schedule, policy, runs, 10, |c| {
            let every = s.is_every();
            for j in c.jobs.values() {
                let Some(stamp) = j.metadata.annotation(SCHEDULED_TIMESTAMP_ANNOTATION) else { continue };
                let at: Time = stamp.parse().expect("stamp");
                // The name encodes the minute of the scheduled time.
                assert_eq!(j.metadata.name(), job_name(&c.cron_job, at));
                if !every && zone.is_none() {
                    assert!(s.fires_at(at), "{schedule} started a Job at {at}");
                }
            }
        });
        // The zone variant: drive a CronJob with the zone set.
        if zone.is_some() && !s.is_every() {
            let mut c = Cluster::new(cj, t("2024-03-30T22:00:17Z"), vec![60; 64]);
            c.run_until(t("2024-03-31T08:00:00Z"));
            for j in c.jobs.values() {
                let at: Time = j.metadata.annotation(SCHEDULED_TIMESTAMP_ANNOTATION).expect("stamp").parse().expect("t");
                prop_assert!(s.fires_at(at), "{} started a Job at {}", schedule, at);
            }
        }
    }
}

// upstream: TestControllerV2SyncCronJob, the "with @every schedule" rows:
// `@every` is anchored on creationTimestamp / lastScheduleTime.
#[test]
fn every_schedule_rows() {
    // (name, created, lastScheduleTime, deadline, now, create, requeue)
    type Row = (&'static str, i64, Option<i64>, Option<i64>, i64, bool, i64);
    let rows: &[Row] = &[
        ("never ran, not time", -MIN, None, None, 0, false, HOUR - MIN),
        ("never ran, is time", -HOUR - MIN, None, None, -MIN, true, HOUR),
        ("never ran, is time, past deadline", -HOUR - MIN, None, Some(10), -MIN + 11, false, HOUR - 11),
        (
            "never ran, is time, not past deadline",
            -HOUR - MIN,
            None,
            Some(1_000_000),
            -MIN + 9,
            true,
            HOUR - 9,
        ),
        ("prev ran but done, not time", -HOUR - MIN, Some(-MIN), None, 0, false, HOUR - MIN),
        ("prev ran but done, is time", -HOUR - MIN, Some(-MIN), None, HOUR, true, HOUR - MIN),
    ];
    for (name, created_at, last, deadline, now, create, requeue_after) in rows {
        let mut cj = cron_job("@every 1h", "Allow");
        cj.metadata.creation_timestamp = Some(top(*created_at));
        cj.spec.as_mut().expect("spec").starting_deadline_seconds = *deadline;
        cj.status = Some(CronJobStatus { last_schedule_time: last.map(top), ..CronJobStatus::default() });
        let actions = run(&cj, &[], top(*now));
        assert_eq!(!created(&actions).is_empty(), *create, "{name}: {actions:#?}");
        assert_eq!(requeue(&actions), Some(ms(*requeue_after)), "{name}");
    }
}

// upstream: cronjob_controllerv2.go updateCronJob (cronjob.md §6): a new
// schedule or time zone requeues at the new schedule's next time
// (nextScheduleTimeDuration), an unparseable one only warns
// (UnParseableCronJobSchedule), any other change requeues at once.
#[test]
fn spec_updates_requeue_as_upstreams_handler() {
    let now = t("2016-05-19T10:30:00Z");
    let old = cron_job("0 * * * *", "Allow");
    let lines = |a: Vec<Action>| a.iter().map(ToString::to_string).collect::<Vec<_>>();
    // From the creation at 09:00, `15 * * * *` missed 09:15 and 10:15:
    // the next is 11:15, 100 ms after it.
    assert_eq!(
        lines(on_update(&old, &cron_job("15 * * * *", "Allow"), now)),
        ["requeue CronJob snazzycats/mycronjob after 2700.1s"]
    );
    // A zone at +05:30 puts the next `0 * * * *` at 10:30 UTC + 1 h.
    let mut zoned = old.clone();
    zoned.spec.as_mut().expect("spec").time_zone = Some("Asia/Kolkata".into());
    assert_eq!(lines(on_update(&old, &zoned, now)), ["requeue CronJob snazzycats/mycronjob after 3600.1s"]);
    let mut suspended = old.clone();
    suspended.spec.as_mut().expect("spec").suspend = Some(true);
    assert_eq!(lines(on_update(&old, &suspended, now)), ["requeue CronJob snazzycats/mycronjob immediately"]);
    assert_eq!(
        lines(on_update(&old, &cron_job("61 * * * *", "Allow"), now)),
        [
            "event Warning UnParseableCronJobSchedule on CronJob snazzycats/mycronjob: unparseable schedule for cronjob: 61 * * * *"
        ]
    );
    // A schedule that parses but never fires (30 February): Go's zero next
    // time makes a negative delay, added at once; that sync reports it.
    assert_eq!(
        lines(on_update(&old, &cron_job("0 0 30 2 *", "Allow"), now)),
        ["requeue CronJob snazzycats/mycronjob immediately"]
    );
    // A zone the evaluator does not know: formatSchedule falls back to the
    // bare schedule (time.LoadLocation failed), which requeues at its next
    // time in UTC; the reconcile then reports UnknownTimeZone.
    let mut unknown_zone = old.clone();
    unknown_zone.spec.as_mut().expect("spec").time_zone = Some("Mars/Olympus_Mons".into());
    assert_eq!(
        lines(on_update(&old, &unknown_zone, now)),
        ["requeue CronJob snazzycats/mycronjob after 1800.1s"]
    );
}
