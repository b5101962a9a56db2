//! Tables mirroring kubernetes/kubernetes pkg/controller/cronjob unit tests
//! that tests/cronjob.rs does not mirror yet, with upstream's own inputs:
//! cronjob_controllerv2_test.go (TestControllerV2SyncCronJob,
//! TestControllerV2UpdateCronJob, TestControllerV2CleanupFinishedJobs) and
//! utils_test.go (TestGetJobFromTemplate2, TestByJobStartTime,
//! TestMostRecentScheduleTime). Every case names the upstream test and case
//! it mirrors.
//!
//! Upstream's TestControllerV2SyncCronJob calls `syncCronJob` alone; here
//! the whole `reconcile` runs (the history cleanup first, which none of the
//! ported rows triggers). Upstream counts its recorder's events, the
//! `SuccessfulCreate` / `SuccessfulDelete` ones included; the crate leaves
//! those two to the executor (module docs), so the rows assert the
//! remaining events by reason, the create and delete actions separately.

mod cronjob_support;

use std::time::Duration;

use cronjob_support::{deleted, reasons, requeue, status};
use kube_workloads::api::{Condition, ConditionStatus, CronJobStatus, Object, ObjectReference, Time};
use kube_workloads::controller::cronjob::{
    Observed, SCHEDULED_TIMESTAMP_ANNOTATION, effective_schedule, job_from_template, job_name,
    most_recent_schedule_time, on_update, reconcile,
};
use kube_workloads::controller::{Action, EventType};
use kube_workloads::{CronJob, Job};
use serde_json::json;

const NS: &str = "snazzycats";

// upstream: cronjob_controllerv2_test.go's package variables.
const SHORT_DEAD: i64 = 10;
const MEDIUM_DEAD: i64 = 2 * 60 * 60;
const LONG_DEAD: i64 = 1_000_000;
const ON_THE_HOUR: &str = "0 * * * ?";
const EVERY_HOUR: &str = "@every 1h";
const NEW_YORK: &str = "America/New_York";

fn t(s: &str) -> Time {
    s.parse().expect("time")
}

// upstream's time helpers.
fn top_of_the_hour() -> Time {
    t("2016-05-19T10:00:00Z")
}
fn just_a_second_before_the_hour() -> Time {
    t("2016-05-19T09:59:59Z")
}
fn just_after_the_prior_hour() -> Time {
    t("2016-05-19T09:01:00Z")
}
fn just_before_the_prior_hour() -> Time {
    t("2016-05-19T08:59:00Z")
}
fn just_after_the_hour() -> Time {
    t("2016-05-19T10:01:00Z")
}
fn just_before_the_hour() -> Time {
    t("2016-05-19T09:59:00Z")
}
fn just_before_the_next_hour() -> Time {
    t("2016-05-19T10:59:00Z")
}
fn week_after_the_hour() -> Time {
    t("2016-05-26T10:00:00Z")
}
/// Go's zero `time.Time` (0001-01-01T00:00:00Z), what a row leaves unset.
fn go_zero() -> Time {
    Time::from_unix(-62_135_596_800)
}

const SEC: i64 = 1;
const MIN: i64 = 60;
const HOUR: i64 = 3600;

/// `secs` seconds plus upstream's `nextScheduleDelta` (100 ms).
fn delta(secs: i64) -> Duration {
    Duration::from_secs(u64::try_from(secs).expect("positive")) + Duration::from_millis(100)
}

/// upstream: cronJob() — the CronJob every TestControllerV2SyncCronJob row
/// starts from. An empty `policy` leaves `concurrencyPolicy` unset.
fn cron_job(schedule: &str, policy: &str) -> CronJob {
    let mut spec = json!({
        "schedule": schedule,
        "jobTemplate": {
            "metadata": {"labels": {"a": "b"}, "annotations": {"x": "y"}},
            "spec": {"parallelism": 1, "completions": 1, "template": {
                "metadata": {"labels": {"foo": "bar"}},
                "spec": {"containers": [{"name": "c", "image": "foo/bar"}]}}}
        }
    });
    if !policy.is_empty() {
        spec["concurrencyPolicy"] = json!(policy);
    }
    serde_json::from_value(json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "mycronjob", "namespace": NS, "uid": "1a2b3c",
                     "creationTimestamp": just_before_the_hour().to_string()},
        "spec": spec,
    }))
    .expect("cronjob")
}

/// upstream: getJobFromTemplate2(&cj, creation) with UID "1234" (its
/// creationTimestamp is the scheduled time).
fn job_at(cj: &CronJob, creation: Time) -> Job {
    let mut j = job_from_template(cj, creation, &job_name(cj, creation));
    j.metadata.uid = Some("1234".into());
    j.metadata.creation_timestamp = Some(creation);
    j
}

fn complete(mut j: Job, at: Time) -> Job {
    let st = j.status.get_or_insert_default();
    st.completion_time = Some(at);
    st.conditions.get_or_insert_default().push(Condition {
        type_: "Complete".into(),
        status: ConditionStatus::True,
        ..Condition::default()
    });
    j
}

/// upstream: getRef(job).
fn entry(j: &Job) -> ObjectReference {
    ObjectReference {
        kind: Some("Job".into()),
        namespace: j.metadata.namespace.clone(),
        name: j.metadata.name.clone(),
        uid: j.metadata.uid.clone(),
        api_version: Some("batch/v1".into()),
        ..ObjectReference::default()
    }
}

fn created(actions: &[Action]) -> Vec<Job> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { object: Object::Job(j) } => Some((**j).clone()),
            _ => None,
        })
        .collect()
}

fn warnings(actions: &[Action]) -> usize {
    actions.iter().filter(|a| matches!(a, Action::Event(e) if e.type_ == EventType::Warning)).count()
}

// ---------------------------------------------------------------------------
// TestControllerV2SyncCronJob
// ---------------------------------------------------------------------------

/// What a row expects of the requeue.
#[derive(Clone, Copy, Debug, Default)]
enum Requeue {
    /// upstream's row leaves expectRequeueAfter false.
    #[default]
    Unchecked,
    /// No requeue (upstream returns a nil duration: the CronJob is
    /// suspended).
    Never,
    After(Duration),
}

/// One row of upstream's TestControllerV2SyncCronJob (1.31+ table).
#[derive(Clone, Debug)]
struct Row {
    name: &'static str,
    policy: &'static str,
    suspend: bool,
    schedule: &'static str,
    time_zone: Option<&'static str>,
    deadline: Option<i64>,
    successful_history: Option<i32>,
    ran_previously: bool,
    still_active: bool,
    /// upstream: jobPresentInCJActiveStatus.
    in_active_status: bool,
    cronjob_creation: Option<Time>,
    job_creation: Time,
    last_schedule: Option<Time>,
    now: Time,
    expect_create: bool,
    expect_delete: bool,
    expect_active: usize,
    /// The crate's events for the row: upstream's warnings plus
    /// `SawCompletedJob` (expectCompleted) and `JobAlreadyActive`.
    expect_reasons: &'static [&'static str],
    expect_requeue: Requeue,
    expect_update_status: bool,
    /// The created Job's scheduled-timestamp annotation.
    expect_stamp: Option<&'static str>,
}

fn base() -> Row {
    Row {
        name: "",
        policy: "Allow",
        suspend: false,
        schedule: ON_THE_HOUR,
        time_zone: None,
        deadline: None,
        successful_history: None,
        ran_previously: false,
        still_active: false,
        in_active_status: true,
        cronjob_creation: None,
        job_creation: just_after_the_prior_hour(),
        last_schedule: None,
        now: go_zero(),
        expect_create: false,
        expect_delete: false,
        expect_active: 0,
        expect_reasons: &[],
        expect_requeue: Requeue::Unchecked,
        expect_update_status: false,
        expect_stamp: None,
    }
}

/// Sets the row up as upstream's loop body does and checks the reconcile.
fn check(r: &Row) {
    let name = r.name;
    let mut cj = cron_job(r.schedule, r.policy);
    let spec = cj.spec.as_mut().expect("spec");
    spec.suspend = Some(r.suspend);
    spec.time_zone = r.time_zone.map(str::to_owned);
    spec.starting_deadline_seconds = r.deadline;
    spec.successful_jobs_history_limit = r.successful_history;
    let mut st = CronJobStatus::default();
    let mut jobs = Vec::new();
    if r.ran_previously {
        cj.metadata.creation_timestamp = Some(r.cronjob_creation.unwrap_or_else(just_before_the_prior_hour));
        st.last_schedule_time = Some(r.last_schedule.unwrap_or_else(just_after_the_prior_hour));
        let mut j = job_at(&cj, r.job_creation);
        if r.in_active_status {
            st.active = Some(vec![entry(&j)]);
        }
        if !r.still_active {
            j = complete(j, r.job_creation.add_seconds(10));
        }
        jobs.push(j);
    } else {
        assert!(!r.still_active, "{name}: test setup error");
        cj.metadata.creation_timestamp = Some(r.cronjob_creation.unwrap_or_else(just_before_the_hour));
    }
    cj.status = Some(st);

    let actions = reconcile(&cj, &Observed { jobs: &jobs }, r.now);

    let creates = created(&actions);
    assert_eq!(creates.len(), usize::from(r.expect_create), "{name}: creates {actions:#?}");
    for j in &creates {
        let owner = j.metadata.controller_ref().expect("controller ref");
        assert_eq!(
            (owner.api_version.as_str(), owner.kind.as_str(), owner.name.as_str(), owner.uid.as_str()),
            ("batch/v1", "CronJob", "mycronjob", "1a2b3c"),
            "{name}"
        );
        assert_eq!(owner.controller, Some(true), "{name}");
        if let Some(stamp) = r.expect_stamp {
            assert_eq!(j.metadata.annotation(SCHEDULED_TIMESTAMP_ANNOTATION), Some(stamp), "{name}");
        }
    }
    assert_eq!(deleted(&actions).len(), usize::from(r.expect_delete), "{name}: deletes {actions:#?}");
    assert_eq!(reasons(&actions), r.expect_reasons, "{name}: events {actions:#?}");
    // upstream counts the Warnings: TooManyMissedTimes is the only one the
    // ported rows expect.
    let expected_warnings = r.expect_reasons.iter().filter(|e| **e == "TooManyMissedTimes").count();
    assert_eq!(warnings(&actions), expected_warnings, "{name}: warnings");
    let written = status(&actions);
    assert_eq!(written.is_some(), r.expect_update_status, "{name}: status write {actions:#?}");
    let active = written.clone().or(cj.status.clone()).and_then(|s| s.active).map_or(0, |a| a.len());
    assert_eq!(active, r.expect_active, "{name}: active {actions:#?}");
    match r.expect_requeue {
        Requeue::Unchecked => {}
        Requeue::Never => assert_eq!(requeue(&actions), None, "{name}"),
        Requeue::After(d) => assert_eq!(requeue(&actions), Some(d), "{name}: requeue"),
    }
    // upstream: a ran-previously Job that is done sets lastSuccessfulTime to
    // its completion, jobCreationTime + 10 s.
    if r.ran_previously && !r.still_active {
        assert_eq!(
            written.and_then(|s| s.last_successful_time),
            Some(r.job_creation.add_seconds(10)),
            "{name}: lastSuccessfulTime"
        );
    }
}

// upstream: cronjob_controllerv2_test.go TestControllerV2SyncCronJob
// "never ran, not time in zone" and "never ran, is time in zone". New York
// is UTC-4 in May, so the hourly slots fall on the UTC hours; the Job's
// annotation carries the zone's offset.
#[test]
fn sync_cron_job_time_zone_rows() {
    let rows = [
        // upstream: TestControllerV2SyncCronJob "never ran, not time in zone"
        Row {
            name: "never ran, not time in zone",
            time_zone: Some(NEW_YORK),
            now: just_before_the_hour(),
            expect_requeue: Requeue::After(delta(MIN)),
            ..base()
        },
        // upstream: TestControllerV2SyncCronJob "never ran, is time in zone"
        // (justAfterTheHourInZone parses "…10:01:00Z", 10:01 UTC).
        Row {
            name: "never ran, is time in zone",
            time_zone: Some(NEW_YORK),
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            expect_update_status: true,
            expect_stamp: Some("2016-05-19T06:00:00-04:00"),
            ..base()
        },
    ];
    for r in &rows {
        check(r);
    }
}

// upstream: cronjob_controllerv2_test.go TestControllerV2SyncCronJob
// "prev ran but done, is time, suspended": the completed Job leaves the
// active list and sets lastSuccessfulTime, nothing is created, no requeue.
#[test]
fn sync_cron_job_prev_ran_but_done_suspended() {
    check(&Row {
        name: "prev ran but done, is time, suspended",
        suspend: true,
        ran_previously: true,
        now: just_after_the_hour(),
        expect_reasons: &["SawCompletedJob"],
        expect_requeue: Requeue::Never,
        expect_update_status: true,
        ..base()
    });
}

// upstream: cronjob_controllerv2_test.go TestControllerV2SyncCronJob, the
// past / not past deadline rows with upstream's own times.
#[test]
fn sync_cron_job_deadline_rows() {
    let rows = [
        // upstream: TestControllerV2SyncCronJob "never ran, is time, past deadline"
        // (now = justAfterTheHour + 11 minutes, 10:12).
        Row {
            name: "never ran, is time, past deadline",
            deadline: Some(SHORT_DEAD),
            now: just_after_the_hour().add_seconds(MIN * (SHORT_DEAD + 1)),
            expect_requeue: Requeue::After(delta(HOUR - MIN - MIN * (SHORT_DEAD + 1))),
            ..base()
        },
        // upstream: TestControllerV2SyncCronJob "never ran, is time, not past deadline"
        Row {
            name: "never ran, is time, not past deadline",
            deadline: Some(LONG_DEAD),
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            expect_update_status: true,
            ..base()
        },
        // upstream: TestControllerV2SyncCronJob "prev ran but done, is time, past deadline"
        Row {
            name: "prev ran but done, is time, past deadline",
            deadline: Some(SHORT_DEAD),
            ran_previously: true,
            now: just_after_the_hour(),
            expect_reasons: &["SawCompletedJob"],
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            expect_update_status: true,
            ..base()
        },
        // upstream: TestControllerV2SyncCronJob "prev ran but done, is time, not past deadline"
        Row {
            name: "prev ran but done, is time, not past deadline",
            deadline: Some(LONG_DEAD),
            ran_previously: true,
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_reasons: &["SawCompletedJob"],
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            expect_update_status: true,
            ..base()
        },
        // upstream: TestControllerV2SyncCronJob "still active, is time, past deadline"
        Row {
            name: "still active, is time, past deadline",
            deadline: Some(SHORT_DEAD),
            ran_previously: true,
            still_active: true,
            now: just_after_the_hour(),
            expect_active: 1,
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            ..base()
        },
        // upstream: TestControllerV2SyncCronJob "still active, is time, not past deadline"
        Row {
            name: "still active, is time, not past deadline",
            deadline: Some(LONG_DEAD),
            ran_previously: true,
            still_active: true,
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 2,
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            expect_update_status: true,
            ..base()
        },
    ];
    for r in &rows {
        check(r);
    }
}

// upstream: cronjob_controllerv2_test.go TestControllerV2SyncCronJob, the
// "prev ran but done, long overdue" rows (a week after the last run, 169
// hourly slots). Without a deadline or with one longer than the gap the
// search starts at lastScheduleTime and the missed count passes 100: one
// TooManyMissedTimes warning, and the most recent slot still runs. A 2 h or
// 10 s deadline moves the search start up: no warning, the slot runs.
#[test]
fn sync_cron_job_long_overdue_rows() {
    let mut rows = Vec::new();
    for policy in ["Allow", "Replace", "Forbid"] {
        for (name, deadline, reasons) in [
            (
                "prev ran but done, long overdue, not past deadline",
                Some(LONG_DEAD),
                &["SawCompletedJob", "TooManyMissedTimes"][..],
            ),
            (
                "prev ran but done, long overdue, no deadline",
                None,
                &["SawCompletedJob", "TooManyMissedTimes"][..],
            ),
            (
                "prev ran but done, long overdue, past medium deadline",
                Some(MEDIUM_DEAD),
                &["SawCompletedJob"][..],
            ),
            (
                "prev ran but done, long overdue, past short deadline",
                Some(SHORT_DEAD),
                &["SawCompletedJob"][..],
            ),
        ] {
            // upstream: TestControllerV2SyncCronJob "<name>, A" / ", R" / ", F"
            rows.push(Row {
                name,
                policy,
                deadline,
                ran_previously: true,
                now: week_after_the_hour(),
                expect_create: true,
                expect_active: 1,
                expect_reasons: reasons,
                expect_requeue: Requeue::After(delta(HOUR)),
                expect_update_status: true,
                expect_stamp: Some("2016-05-26T10:00:00Z"),
                ..base()
            });
        }
    }
    for r in &rows {
        check(r);
    }
}

// upstream: cronjob_controllerv2_test.go TestControllerV2SyncCronJob
// "this ran but done, time drifted back, F": the clock reads 09:59 but a
// Job of the 10:01 slot (not in status.active) has completed. Nothing is
// created, no event, lastSuccessfulTime takes its completion and the
// requeue is for 10:00.
#[test]
fn sync_cron_job_time_drifted_back() {
    check(&Row {
        name: "this ran but done, time drifted back, F",
        policy: "Forbid",
        ran_previously: true,
        in_active_status: false,
        job_creation: just_after_the_hour(),
        now: just_before_the_hour(),
        expect_requeue: Requeue::After(delta(MIN)),
        expect_update_status: true,
        ..base()
    });
}

// upstream: cronjob_controllerv2_test.go TestControllerV2SyncCronJob, the
// "with @every schedule" rows with upstream's own times (tests/cronjob.rs
// mirrors six of them with shifted times). `@every 1h` counts from
// creationTimestamp / lastScheduleTime. upstream leaves the row "prev ran
// but done, is time, not past deadline" commented out (it fails upstream),
// so it is not ported.
#[test]
fn sync_cron_job_every_schedule_rows() {
    let every = || Row { schedule: EVERY_HOUR, ..base() };
    let rows = [
        // upstream: TestControllerV2SyncCronJob "with @every schedule, never ran, not time"
        Row {
            name: "with @every schedule, never ran, not time",
            cronjob_creation: Some(just_before_the_hour()),
            job_creation: just_before_the_hour(),
            now: top_of_the_hour(),
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, never ran, is time"
        Row {
            name: "with @every schedule, never ran, is time",
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_prior_hour(),
            now: just_before_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_requeue: Requeue::After(delta(HOUR)),
            expect_update_status: true,
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, never ran, is time, past deadline"
        Row {
            name: "with @every schedule, never ran, is time, past deadline",
            deadline: Some(SHORT_DEAD),
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_prior_hour(),
            now: just_before_the_hour().add_seconds(SEC * (SHORT_DEAD + 1)),
            expect_requeue: Requeue::After(delta(HOUR - SEC * (SHORT_DEAD + 1))),
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, never ran, is time, not past deadline"
        Row {
            name: "with @every schedule, never ran, is time, not past deadline",
            deadline: Some(LONG_DEAD),
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_prior_hour(),
            now: just_before_the_hour().add_seconds(SEC * (SHORT_DEAD - 1)),
            expect_create: true,
            expect_active: 1,
            expect_requeue: Requeue::After(delta(HOUR - SEC * (SHORT_DEAD - 1))),
            expect_update_status: true,
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, prev ran but done, not time"
        Row {
            name: "with @every schedule, prev ran but done, not time",
            ran_previously: true,
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_prior_hour(),
            last_schedule: Some(just_before_the_hour()),
            now: top_of_the_hour(),
            expect_reasons: &["SawCompletedJob"],
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            expect_update_status: true,
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, prev ran but done, is time"
        Row {
            name: "with @every schedule, prev ran but done, is time",
            ran_previously: true,
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_prior_hour(),
            last_schedule: Some(just_before_the_hour()),
            now: top_of_the_hour().add_seconds(HOUR),
            expect_create: true,
            expect_active: 1,
            expect_reasons: &["SawCompletedJob"],
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            expect_update_status: true,
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, prev ran but done, is time, past deadline"
        Row {
            name: "with @every schedule, prev ran but done, is time, past deadline",
            deadline: Some(SHORT_DEAD),
            ran_previously: true,
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_prior_hour(),
            last_schedule: Some(just_before_the_hour()),
            now: just_before_the_next_hour().add_seconds(SEC * (SHORT_DEAD + 1)),
            expect_reasons: &["SawCompletedJob"],
            expect_requeue: Requeue::After(delta(HOUR - SEC * (SHORT_DEAD + 1))),
            expect_update_status: true,
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, still active, not time"
        Row {
            name: "with @every schedule, still active, not time",
            ran_previously: true,
            still_active: true,
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_hour(),
            last_schedule: Some(just_before_the_hour()),
            now: top_of_the_hour(),
            expect_active: 1,
            expect_requeue: Requeue::After(delta(HOUR - MIN)),
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, still active, is time"
        Row {
            name: "with @every schedule, still active, is time",
            ran_previously: true,
            still_active: true,
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_prior_hour(),
            last_schedule: Some(just_before_the_prior_hour()),
            now: just_after_the_hour(),
            expect_create: true,
            expect_active: 2,
            expect_requeue: Requeue::After(delta(HOUR - 2 * MIN)),
            expect_update_status: true,
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, still active, is time, past deadline"
        Row {
            name: "with @every schedule, still active, is time, past deadline",
            deadline: Some(SHORT_DEAD),
            ran_previously: true,
            still_active: true,
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_hour(),
            last_schedule: Some(just_before_the_hour()),
            now: just_before_the_next_hour().add_seconds(SEC * (SHORT_DEAD + 1)),
            expect_active: 1,
            expect_requeue: Requeue::After(delta(HOUR - SEC * (SHORT_DEAD + 1))),
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, still active, is time, not past deadline"
        Row {
            name: "with @every schedule, still active, is time, not past deadline",
            deadline: Some(LONG_DEAD),
            ran_previously: true,
            still_active: true,
            cronjob_creation: Some(just_before_the_prior_hour()),
            job_creation: just_before_the_hour(),
            last_schedule: Some(just_before_the_hour()),
            now: just_before_the_next_hour().add_seconds(SEC * (SHORT_DEAD - 1)),
            expect_create: true,
            expect_active: 2,
            expect_requeue: Requeue::After(delta(HOUR - SEC * (SHORT_DEAD - 1))),
            expect_update_status: true,
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, prev ran but done, long overdue, no deadline"
        // (167 slots since 10:01 a week before: TooManyMissedTimes; the
        // most recent slot is 09:01, the next 10:01).
        Row {
            name: "with @every schedule, prev ran but done, long overdue, no deadline",
            ran_previously: true,
            cronjob_creation: Some(just_after_the_prior_hour()),
            last_schedule: Some(just_after_the_hour()),
            job_creation: just_after_the_prior_hour(),
            now: week_after_the_hour(),
            expect_create: true,
            expect_active: 1,
            expect_reasons: &["SawCompletedJob", "TooManyMissedTimes"],
            expect_requeue: Requeue::After(delta(MIN)),
            expect_update_status: true,
            expect_stamp: Some("2016-05-26T09:01:00Z"),
            ..every()
        },
        // upstream: TestControllerV2SyncCronJob "with @every schedule, prev ran but done, long overdue, past deadline"
        // (upstream's expectActive 1 is not checked there: syncCronJob
        // writes no status in that test; the completed Job leaves the
        // active list, so 0 remain.)
        Row {
            name: "with @every schedule, prev ran but done, long overdue, past deadline",
            deadline: Some(SHORT_DEAD),
            ran_previously: true,
            cronjob_creation: Some(just_after_the_prior_hour()),
            last_schedule: Some(just_after_the_hour()),
            job_creation: just_after_the_prior_hour(),
            now: week_after_the_hour().add_seconds(MIN).add_seconds(SEC * (SHORT_DEAD + 1)),
            expect_active: 0,
            expect_reasons: &["SawCompletedJob"],
            expect_requeue: Requeue::After(delta(HOUR - SEC * (SHORT_DEAD + 1))),
            expect_update_status: true,
            ..every()
        },
    ];
    for r in &rows {
        check(r);
    }
}

// upstream: cronjob_controllerv2_test.go TestControllerV2SyncCronJob
// "set lastsuccessfultime if successfulJobHistoryLimit is ten" and "… is
// nil". The rows leave now, jobCreationTime and concurrencyPolicy unset
// (Go's zero time, Allow) and their deadline field at 0, which upstream's
// loop turns into startingDeadlineSeconds 0. The completed Job leaves the
// active list and its completion (zero time + 10 s) becomes
// lastSuccessfulTime whatever the history limit; ten keeps it.
#[test]
fn sync_cron_job_last_successful_time_rows() {
    for (name, limit) in [
        ("set lastsuccessfultime if successfulJobHistoryLimit is ten", Some(10)),
        ("set lastsuccessfultime if successfulJobHistoryLimit is nil", None),
    ] {
        // upstream: TestControllerV2SyncCronJob "<name>"
        let row = Row {
            name,
            policy: "",
            deadline: Some(0),
            successful_history: limit,
            ran_previously: true,
            job_creation: go_zero(),
            now: go_zero(),
            expect_reasons: &["SawCompletedJob"],
            expect_update_status: true,
            ..base()
        };
        check(&row);
    }
}

// ---------------------------------------------------------------------------
// TestControllerV2UpdateCronJob
// ---------------------------------------------------------------------------

/// upstream's TestControllerV2UpdateCronJob objects: no metadata, a
/// template whose label `a` changes between old and new.
fn updated(schedule: &str, time_zone: Option<&str>, last: Option<Time>, label: &str) -> CronJob {
    let mut cj: CronJob = serde_json::from_value(json!({
        "apiVersion": "batch/v1", "kind": "CronJob", "metadata": {},
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "metadata": {"labels": {"a": label}, "annotations": {"x": "y"}},
                "spec": {"parallelism": 1, "completions": 1, "template": {
                    "metadata": {"labels": {"foo": "bar"}},
                    "spec": {"containers": [{"name": "c", "image": "foo/bar"}]}}}
            }
        }
    }))
    .expect("cronjob");
    cj.spec.as_mut().expect("spec").time_zone = time_zone.map(str::to_owned);
    cj.status = Some(CronJobStatus { last_schedule_time: last, ..CronJobStatus::default() });
    cj
}

/// The requeue delays of `on_update`'s actions.
fn delays(actions: &[Action]) -> Vec<Duration> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Requeue { after, .. } => Some(*after),
            _ => None,
        })
        .collect()
}

// upstream: cronjob_controllerv2_test.go TestControllerV2UpdateCronJob; the
// controller's clock reads justASecondBeforeTheHour (09:59:59) and the
// CronJobs last ran at 09:59.
#[test]
fn update_cron_job_rows() {
    let now = just_a_second_before_the_hour();
    let last = Some(just_before_the_hour());

    // upstream: TestControllerV2UpdateCronJob "spec.template changed"
    let actions = on_update(&updated("", None, None, "b"), &updated("", None, None, "foo"), now);
    assert_eq!(delays(&actions), [Duration::ZERO], "{actions:#?}");
    assert!(reasons(&actions).is_empty(), "{actions:#?}");

    // upstream: TestControllerV2UpdateCronJob "spec.schedule changed"
    // ("30 * * * *" to "*/1 * * * *": next at 10:00, a second away).
    let actions =
        on_update(&updated("30 * * * *", None, last, "b"), &updated("*/1 * * * *", None, last, "foo"), now);
    assert_eq!(delays(&actions), [delta(SEC)], "{actions:#?}");

    // upstream: TestControllerV2UpdateCronJob "spec.schedule with @every changed - cadence decrease"
    // (@every 3m from 09:59: 10:02).
    let actions =
        on_update(&updated("@every 1m", None, last, "b"), &updated("@every 3m", None, last, "foo"), now);
    assert_eq!(delays(&actions), [delta(2 * MIN + SEC)], "{actions:#?}");

    // upstream: TestControllerV2UpdateCronJob "spec.schedule with @every changed - cadence increase"
    // (@every 1m from 09:59: 10:00).
    let actions =
        on_update(&updated("@every 3m", None, last, "b"), &updated("@every 1m", None, last, "foo"), now);
    assert_eq!(delays(&actions), [delta(SEC)], "{actions:#?}");

    // upstream: TestControllerV2UpdateCronJob "spec.timeZone not changed"
    let actions =
        on_update(&updated("", Some(NEW_YORK), None, "b"), &updated("", Some(NEW_YORK), None, "foo"), now);
    assert_eq!(delays(&actions), [Duration::ZERO], "{actions:#?}");

    // upstream: TestControllerV2UpdateCronJob "spec.timeZone changed"
    // (New York to unset; the schedule is empty in both). upstream's
    // expected delay 0 is its fake queue's default: the empty schedule does
    // not parse, so updateCronJob records UnParseableCronJobSchedule and
    // enqueues nothing.
    let actions = on_update(&updated("", Some(NEW_YORK), None, "b"), &updated("", None, None, "foo"), now);
    assert_eq!(delays(&actions), Vec::<Duration>::new(), "{actions:#?}");
    assert_eq!(reasons(&actions), ["UnParseableCronJobSchedule"], "{actions:#?}");
    assert_eq!(warnings(&actions), 1);
}

// ---------------------------------------------------------------------------
// TestControllerV2CleanupFinishedJobs
// ---------------------------------------------------------------------------

/// upstream's CronJob "fooer" in "foo-ns" (no UID, no creationTimestamp)
/// and its finished Jobs, with their start times.
fn fooer(history: i32) -> CronJob {
    serde_json::from_value(json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "fooer", "namespace": "foo-ns"},
        "spec": {"schedule": ON_THE_HOUR, "successfulJobsHistoryLimit": history,
                 "jobTemplate": {"metadata": {"labels": {"key": "value"}}}},
        "status": {"lastScheduleTime": just_after_the_prior_hour().to_string()}
    }))
    .expect("cronjob")
}

/// A Complete Job of "fooer". upstream's owner reference carries only the
/// name and `controller: true`; the crate also wants the kind (as upstream
/// does since kubernetes PR 133313 resolves the controller reference), so
/// it is given here.
fn fooer_job(name: &str, start: Time) -> Job {
    serde_json::from_value(json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": name, "namespace": "foo-ns", "uid": format!("uid-{name}"),
                     "ownerReferences": [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "fooer",
                                          "uid": "", "controller": true}]},
        "status": {"startTime": start.to_string(),
                   "conditions": [{"type": "Complete", "status": "True"}]}
    }))
    .expect("job")
}

// upstream: cronjob_controllerv2_test.go TestControllerV2CleanupFinishedJobs
// "jobs are not deleted if history limit not reached": one finished Job and
// a limit of 2 at 09:59: nothing is deleted.
#[test]
fn cleanup_not_deleted_if_history_limit_not_reached() {
    let jobs = [fooer_job("finished-job-started-hour-ago", just_before_the_prior_hour())];
    let actions = reconcile(&fooer(2), &Observed { jobs: &jobs }, just_before_the_hour());
    assert_eq!(deleted(&actions), Vec::<String>::new(), "{actions:#?}");
    assert!(created(&actions).is_empty(), "{actions:#?}");
    // The same Job over a limit of 0 is deleted: the Job is this CronJob's.
    let actions = reconcile(&fooer(0), &Observed { jobs: &jobs }, just_before_the_hour());
    assert_eq!(deleted(&actions), ["finished-job-started-hour-ago"], "{actions:#?}");
}

// upstream: cronjob_controllerv2_test.go TestControllerV2CleanupFinishedJobs
// "jobs are still deleted when a cronjob can't create jobs due to jobs
// quota being reached (avoiding a deadlock)": the oldest finished Job goes
// whatever becomes of the 10:00 create (the quota error is the executor's):
// its delete comes before the create.
#[test]
fn cleanup_deletes_before_a_create_that_may_fail() {
    let jobs = [
        fooer_job("finished-job-started-hour-ago", just_before_the_prior_hour()),
        fooer_job("finished-job-started-minute-ago", just_before_the_hour()),
    ];
    let actions = reconcile(&fooer(1), &Observed { jobs: &jobs }, just_after_the_hour());
    assert_eq!(deleted(&actions), ["finished-job-started-hour-ago"], "{actions:#?}");
    let delete_at = actions.iter().position(|a| matches!(a, Action::Delete { .. }));
    let create_at = actions.iter().position(|a| matches!(a, Action::Create { .. }));
    assert!(create_at.is_some() && delete_at < create_at, "{actions:#?}");
}

// ---------------------------------------------------------------------------
// utils_test.go
// ---------------------------------------------------------------------------

// upstream: utils_test.go TestGetJobFromTemplate2 "UTC timezone and one
// annotation": timeZone "UTC" writes the scheduled time with `Z`, next to
// the template's one annotation; the one label and the spec are copied.
#[test]
fn get_job_from_template_utc_time_zone_and_one_annotation() {
    let cj: CronJob = serde_json::from_value(json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "mycronjob", "namespace": NS, "uid": "1a2b3c"},
        "spec": {
            "schedule": "* * * * ?", "concurrencyPolicy": "Allow", "timeZone": "UTC",
            "jobTemplate": {
                "metadata": {"labels": {"a": "b"}, "annotations": {"x": "y"}},
                "spec": {"activeDeadlineSeconds": 1, "manualSelector": false, "template": {
                    "metadata": {"labels": {"foo": "bar"}},
                    "spec": {"containers": [{"name": "c", "image": "foo/bar"}]}}}
            }
        }
    }))
    .expect("cronjob");
    let scheduled = top_of_the_hour();
    let j = job_from_template(&cj, scheduled, &job_name(&cj, scheduled));
    assert!(j.metadata.name().starts_with("mycronjob-"), "{}", j.metadata.name());
    assert_eq!(j.metadata.labels().len(), 1);
    assert_eq!(j.metadata.annotations().len(), 2, "{:?}", j.metadata.annotations());
    assert_eq!(j.metadata.annotation(SCHEDULED_TIMESTAMP_ANNOTATION), Some("2016-05-19T10:00:00Z"));
    assert_eq!(j.metadata.annotation("x"), Some("y"));
    let spec = j.spec.as_ref().expect("spec");
    assert_eq!((spec.active_deadline_seconds, spec.manual_selector), (Some(1), Some(false)));
}

/// A Complete Job of mycronjob named `name`, with an optional start time.
fn named_job(cj: &CronJob, name: &str, start: Option<Time>) -> Job {
    let mut j = job_from_template(cj, top_of_the_hour(), name);
    j.metadata.uid = Some(format!("uid-{name}"));
    j.status.get_or_insert_default().start_time = start;
    j.status.get_or_insert_default().conditions = Some(vec![Condition {
        type_: "Complete".into(),
        status: ConditionStatus::True,
        ..Condition::default()
    }]);
    j
}

// upstream: utils_test.go TestByJobStartTime, all five cases, through the
// history cleanup (byJobStartTime is internal): over a limit of 0 the
// finished Jobs are deleted oldest first, so the deletes come in the sorted
// order, and over a limit of 1 the first of that order goes. upstream's
// start times carry 5 ns (2018- and 2019-01-01T02:03:04.000000005Z); API
// times here keep whole seconds, which changes no comparison.
#[test]
fn by_job_start_time_cases() {
    let now = Some(t("2018-01-01T02:03:04Z"));
    let later = Some(t("2019-01-01T02:03:04Z"));
    type Case = (&'static str, [(&'static str, Option<Time>); 2], [&'static str; 2]);
    let cases: [Case; 5] = [
        // upstream: utils_test.go TestByJobStartTime "both have nil start times"
        ("both have nil start times", [("b", None), ("a", None)], ["a", "b"]),
        // upstream: utils_test.go TestByJobStartTime "only the first has a nil start time"
        ("only the first has a nil start time", [("a", None), ("b", now)], ["b", "a"]),
        // upstream: utils_test.go TestByJobStartTime "only the second has a nil start time"
        ("only the second has a nil start time", [("a", now), ("b", None)], ["a", "b"]),
        // upstream: utils_test.go TestByJobStartTime "both have non-nil, equal start time"
        ("both have non-nil, equal start time", [("b", now), ("a", now)], ["a", "b"]),
        // upstream: utils_test.go TestByJobStartTime "both have non-nil, different start time"
        ("both have non-nil, different start time", [("a", later), ("b", now)], ["b", "a"]),
    ];
    for (name, input, expected) in cases {
        for (limit, expect) in [(0, &expected[..]), (1, &expected[..1])] {
            let mut cj = cron_job(ON_THE_HOUR, "Allow");
            cj.spec.as_mut().expect("spec").successful_jobs_history_limit = Some(limit);
            let jobs: Vec<Job> = input.iter().map(|(n, start)| named_job(&cj, n, *start)).collect();
            // 09:59:30: nothing is due, only the cleanup acts.
            let actions = reconcile(&cj, &Observed { jobs: &jobs }, just_before_the_hour().add_seconds(30));
            assert_eq!(deleted(&actions), expect, "{name}, limit {limit}: {actions:#?}");
        }
    }
}

/// upstream's missedSchedulesType.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MissedClass {
    None,
    Few,
    Many,
}

// upstream: utils_test.go TestMostRecentScheduleTime, every row, through
// the public `most_recent_schedule_time` with the CronJob (earliest time
// from creationTimestamp / lastScheduleTime / startingDeadlineSeconds).
#[test]
fn most_recent_schedule_time_rows() {
    let top = top_of_the_hour();
    let at = |secs: i64| top.add_seconds(secs);
    struct Case {
        name: &'static str,
        schedule: &'static str,
        created: Time,
        last: Option<Time>,
        deadline: Option<i64>,
        include_sds: bool,
        now: Time,
        earliest: Time,
        recent: Option<Time>,
        missed: MissedClass,
        want_err: bool,
    }
    let row = |name, schedule, created, now| Case {
        name,
        schedule,
        created,
        last: None,
        deadline: None,
        include_sds: false,
        now,
        earliest: created,
        recent: None,
        missed: MissedClass::None,
        want_err: false,
    };
    let cases = [
        // upstream: utils_test.go TestMostRecentScheduleTime "now before next schedule"
        row("now before next schedule", "0 * * * *", top, at(30 * SEC)),
        // upstream: utils_test.go TestMostRecentScheduleTime "now just after next schedule"
        Case {
            recent: Some(at(60 * MIN)),
            ..row("now just after next schedule", "0 * * * *", top, at(61 * MIN))
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "missed 5 schedules"
        Case {
            recent: Some(at(300 * MIN)),
            missed: MissedClass::Few,
            ..row("missed 5 schedules", "0 * * * *", at(10 * SEC), at(301 * MIN))
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "complex schedule"
        Case {
            last: Some(at(30 * MIN)),
            earliest: at(30 * MIN),
            recent: Some(at(24 * HOUR + 30 * MIN)),
            missed: MissedClass::Few,
            ..row("complex schedule", "30 6-16/4 * * 1-5", top, at(24 * HOUR + 31 * MIN))
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "another complex schedule"
        Case {
            last: Some(at(30 * MIN)),
            earliest: at(30 * MIN),
            recent: None,
            missed: MissedClass::Few,
            ..row("another complex schedule", "30 10,11,12 * * 1-5", top, at(30 * HOUR + 30 * MIN))
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "complex schedule with longer diff between executions"
        Case {
            last: Some(at(30 * MIN)),
            earliest: at(30 * MIN),
            recent: Some(at(96 * HOUR + 30 * MIN)),
            missed: MissedClass::Few,
            ..row(
                "complex schedule with longer diff between executions",
                "30 6-16/4 * * 1-5",
                top,
                at(96 * HOUR + 31 * MIN),
            )
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "complex schedule with shorter diff between executions"
        Case {
            recent: Some(at(24 * HOUR + 30 * MIN)),
            missed: MissedClass::Few,
            ..row(
                "complex schedule with shorter diff between executions",
                "30 6-16/4 * * 1-5",
                top,
                at(24 * HOUR + 31 * MIN),
            )
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "@every schedule"
        Case {
            deadline: Some(10),
            last: Some(at(MIN)),
            earliest: at(MIN),
            recent: Some(at(6 * 24 * HOUR + 23 * HOUR + MIN)),
            missed: MissedClass::Many,
            ..row("@every schedule", "@every 1h", at(-59 * MIN), at(7 * 24 * HOUR))
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "rogue cronjob"
        Case { want_err: true, ..row("rogue cronjob", "59 23 31 2 *", at(10 * SEC), at(HOUR)) },
        // upstream: utils_test.go TestMostRecentScheduleTime "earliestTime being CreationTimestamp and LastScheduleTime"
        Case {
            last: Some(top),
            ..row("earliestTime being CreationTimestamp and LastScheduleTime", "0 * * * *", top, at(30 * SEC))
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "earliestTime being LastScheduleTime"
        Case {
            last: Some(at(30 * MIN)),
            earliest: at(30 * MIN),
            ..row("earliestTime being LastScheduleTime", "*/5 * * * *", top, at(31 * MIN))
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "earliestTime being LastScheduleTime (within StartingDeadlineSeconds)"
        Case {
            last: Some(at(30 * MIN)),
            deadline: Some(60),
            earliest: at(30 * MIN),
            ..row(
                "earliestTime being LastScheduleTime (within StartingDeadlineSeconds)",
                "*/5 * * * *",
                top,
                at(31 * MIN),
            )
        },
        // upstream: utils_test.go TestMostRecentScheduleTime "earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)"
        Case {
            last: Some(at(30 * MIN)),
            deadline: Some(60),
            include_sds: true,
            earliest: at(31 * MIN),
            ..row(
                "earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)",
                "*/5 * * * *",
                top,
                at(32 * MIN),
            )
        },
    ];
    for c in cases {
        let mut cj = cron_job(c.schedule, "");
        cj.metadata.creation_timestamp = Some(c.created);
        cj.spec.as_mut().expect("spec").starting_deadline_seconds = c.deadline;
        cj.status = Some(CronJobStatus { last_schedule_time: c.last, ..CronJobStatus::default() });
        let schedule = effective_schedule(&cj).expect("schedule");
        let (earliest, found) = most_recent_schedule_time(&cj, c.now, &schedule, c.include_sds);
        let name = c.name;
        if c.want_err {
            assert!(found.is_err(), "{name}: {found:?}");
            continue;
        }
        let missed = found.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(earliest, c.earliest, "{name}: earliest");
        assert_eq!(missed.most_recent, c.recent, "{name}: most recent");
        let class = match missed.count {
            0 => MissedClass::None,
            n if n > 100 => MissedClass::Many,
            _ => MissedClass::Few,
        };
        assert_eq!(class, c.missed, "{name}: {missed:?}");
        assert_eq!(missed.too_many(), c.missed == MissedClass::Many, "{name}");
    }
}
