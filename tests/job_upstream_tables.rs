//! Job: further cases of kubernetes/kubernetes pkg/controller/job tests
//! (pod_failure_policy_test.go, success_policy_test.go,
//! indexed_job_utils_test.go, backoff_utils_test.go and
//! job_controller_test.go), each citing the upstream test and case it
//! mirrors. Helpers upstream keeps private are reached through
//! `reconcile`; `sync` runs the finalizer protocol to rest, since this crate
//! counts a finished pod one reconcile after upstream does.

mod job_support;

use std::time::Duration;

use job_support::*;
use kube_workloads::FeatureGates;
use kube_workloads::api::{
    Condition, ConditionStatus, ContainerState, ContainerStateTerminated, ContainerStatus, JobStatus,
    PodFailurePolicy, PodFailurePolicyAction, SuccessPolicy, Time,
};
use kube_workloads::controller::Action;
use kube_workloads::controller::job::{
    BackoffRecord, COMPLETION_INDEX_ANNOTATION, Config, INDEX_FAILURE_COUNT_ANNOTATION,
    INDEX_IGNORED_FAILURE_COUNT_ANNOTATION, Indexes, JobMemory, Observed, finished_time,
    match_pod_failure_policy, match_success_policy, reconcile_with,
};
use kube_workloads::{Job, Pod};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// A container status: terminated with `code` (no finish time), or with no
/// state at all when `code` is `None`.
fn cs(name: &str, code: Option<i32>) -> ContainerStatus {
    ContainerStatus {
        name: name.into(),
        state: code.map(|c| ContainerState {
            terminated: Some(ContainerStateTerminated { exit_code: c, ..Default::default() }),
            ..Default::default()
        }),
        ..ContainerStatus::default()
    }
}

fn pod_condition(type_: &str, status: ConditionStatus) -> Condition {
    Condition { type_: type_.into(), status, ..Condition::default() }
}

/// upstream's `mypod` in namespace `default`, phase Failed.
fn failed_pod(containers: Vec<ContainerStatus>, init: Vec<ContainerStatus>, conds: Vec<Condition>) -> Pod {
    let mut p = P::new("mypod").failed().build();
    if let Some(st) = p.status.as_mut() {
        st.container_statuses = (!containers.is_empty()).then_some(containers);
        st.init_container_statuses = (!init.is_empty()).then_some(init);
        st.conditions = (!conds.is_empty()).then_some(conds);
    }
    p
}

fn pfp(rules: Value) -> PodFailurePolicy {
    serde_json::from_value(json!({ "rules": rules })).expect("policy")
}

fn sp(rules: Value) -> SuccessPolicy {
    serde_json::from_value(json!({ "rules": rules })).expect("policy")
}

fn gates(replacement: bool, managed_by: bool) -> Config {
    let mut g = FeatureGates::default();
    g.job_pod_replacement_policy = replacement;
    g.job_managed_by = managed_by;
    Config { gates: g }
}

/// `job_support::sync` with a chosen config: the first reconcile's status,
/// then the job and pods after the finalizer protocol ran to rest.
fn sync_cfg(job: &Job, pods: &[Pod], now: Time, config: &Config) -> (Vec<Action>, JobStatus, Job) {
    let once = |j: &Job, ps: &[Pod], m: &JobMemory| {
        reconcile_with(j, &Observed { pods: ps, memory: m }, now, config)
    };
    let first = once(job, pods, &JobMemory::default());
    let first_status = status_of(&first).unwrap_or_else(|| job.status.clone().unwrap_or_default());
    let mut j = job.clone();
    let mut ps = pods.to_vec();
    let mut mem = memory_of(&first).unwrap_or_default();
    apply_tracking(&mut j, &mut ps, &first);
    for _ in 0..6 {
        let actions = once(&j, &ps, &mem);
        if let Some(m) = memory_of(&actions) {
            mem = m;
        }
        let before = j.status.clone();
        apply_tracking(&mut j, &mut ps, &actions);
        if before == j.status && finalizers_removed(&actions).is_empty() {
            break;
        }
    }
    (first, first_status, j)
}

/// The conditions as (type, status, reason, message).
fn conds(status: &JobStatus) -> Vec<(String, String, String, String)> {
    status
        .conditions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|c| {
            (
                c.type_.clone(),
                c.status.to_string(),
                c.reason.clone().unwrap_or_default(),
                c.message.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn cond(type_: &str, reason: &str, message: &str) -> (String, String, String, String) {
    (type_.into(), "True".into(), reason.into(), message.into())
}

const MATCHED_0: &str = "Matched rules at index 0";
const REACHED: &str = "Reached expected number of succeeded pods";
const FAILED_INDEXES_MSG: &str = "Job has failed indexes";
const BACKOFF_MSG: &str = "Job has reached the specified backoff limit";
const MAX_FAILED_MSG: &str = "Job has exceeded the specified maximal number of failed indexes";

fn indexed(extra: Value) -> Job {
    let mut spec = json!({"completionMode": "Indexed"});
    if let (Some(a), Some(b)) = (spec.as_object_mut(), extra.as_object()) {
        a.extend(b.clone());
    }
    job(spec)
}

fn requeue_after(actions: &[Action]) -> Option<Duration> {
    actions.iter().find_map(|a| match a {
        Action::Requeue { after, .. } => Some(*after),
        _ => None,
    })
}

// ---------------------------------------------------------------------------
// pod_failure_policy_test.go
// ---------------------------------------------------------------------------

// upstream: pod_failure_policy_test.go TestMatchPodFailurePolicy — the cases
// job_utils.rs does not mirror (case names quoted).
#[test]
fn match_pod_failure_policy_more_cases() {
    let ignore = Some(PodFailurePolicyAction::Ignore);
    let count = Some(PodFailurePolicyAction::Count);
    let fail_job = Some(PodFailurePolicyAction::FailJob);

    // "ignore rule matched on negative exit codes - needed for Windows support"
    let p = pfp(
        json!([{"action": "Ignore", "onExitCodes": {"operator": "In", "values": [-1073741676, -1073741510]}}]),
    );
    let m = match_pod_failure_policy(Some(&p), &failed_pod(vec![cs("", Some(-1073741510))], vec![], vec![]));
    assert_eq!((m.action.clone(), m.count_failed, m.fail_job_message), (ignore.clone(), false, None));

    // "FailJob rule matched for exit codes"
    let p = pfp(json!([{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1, 2, 3]}}]));
    let m =
        match_pod_failure_policy(Some(&p), &failed_pod(vec![cs("main-container", Some(2))], vec![], vec![]));
    assert_eq!((m.action, m.count_failed), (fail_job.clone(), true));
    assert_eq!(
        m.fail_job_message.as_deref(),
        Some(
            "Container main-container for pod default/mypod failed with exit code 2 matching FailJob rule at index 0"
        )
    );

    // "successful containers are skipped by the rules": NotIn [111] would
    // match exit code 0, but containers that exited 0 are not looked at.
    let p = pfp(json!([{"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [111]}}]));
    let pod = failed_pod(
        vec![cs("main-container", Some(111)), cs("suppport-container", Some(0))],
        vec![cs("init-container", Some(0))],
        vec![],
    );
    let m = match_pod_failure_policy(Some(&p), &pod);
    assert_eq!((m.action, m.count_failed, m.fail_job_message), (None, true, None));

    // "pod failure policy with NotIn operator and value 0"
    let p = pfp(json!([{"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [0]}}]));
    let pod =
        failed_pod(vec![cs("main-container", Some(1)), cs("suppport-container", Some(0))], vec![], vec![]);
    let m = match_pod_failure_policy(Some(&p), &pod);
    assert_eq!((m.action, m.count_failed), (fail_job.clone(), true));
    assert_eq!(
        m.fail_job_message.as_deref(),
        Some(
            "Container main-container for pod default/mypod failed with exit code 1 matching FailJob rule at index 0"
        )
    );

    // "second jobfail rule matched for exit codes"
    let p = pfp(json!([
        {"action": "Count", "onExitCodes": {"operator": "In", "values": [1, 2, 3]}},
        {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [4, 5, 6]}}
    ]));
    let m =
        match_pod_failure_policy(Some(&p), &failed_pod(vec![cs("main-container", Some(6))], vec![], vec![]));
    assert_eq!((m.action, m.count_failed), (fail_job.clone(), true));
    assert_eq!(
        m.fail_job_message.as_deref(),
        Some(
            "Container main-container for pod default/mypod failed with exit code 6 matching FailJob rule at index 1"
        )
    );

    // "count rule matched for exit codes": a container without a state is
    // passed over.
    let p = pfp(json!([{"action": "Count", "onExitCodes": {"operator": "In", "values": [1, 2, 3]}}]));
    let m = match_pod_failure_policy(
        Some(&p),
        &failed_pod(vec![cs("foo", None), cs("bar", Some(2))], vec![], vec![]),
    );
    assert_eq!((m.action, m.count_failed, m.fail_job_message), (count.clone(), true, None));

    // Rules on the DisruptionTarget condition with a given pattern status,
    // against a pod whose DisruptionTarget has the given status.
    let dt_rule = |action: &str, status: &str| {
        pfp(json!([{"action": action, "onPodConditions": [{"type": "DisruptionTarget", "status": status}]}]))
    };
    let dt_pod =
        |status: ConditionStatus| failed_pod(vec![], vec![], vec![pod_condition("DisruptionTarget", status)]);
    // "ignore rule matches by the status=False"
    let m = match_pod_failure_policy(Some(&dt_rule("Ignore", "False")), &dt_pod(ConditionStatus::False));
    assert_eq!((m.action, m.count_failed), (ignore.clone(), false));
    // "ignore rule matches by the status=Unknown"
    let m = match_pod_failure_policy(Some(&dt_rule("Ignore", "Unknown")), &dt_pod(ConditionStatus::Unknown));
    assert_eq!((m.action, m.count_failed), (ignore.clone(), false));
    // "ignore rule does not match when status for pattern is False, but actual True"
    let m = match_pod_failure_policy(Some(&dt_rule("Ignore", "False")), &dt_pod(ConditionStatus::True));
    assert_eq!((m.action, m.count_failed, m.fail_job_message), (None, true, None));
    // "ignore rule does not match when status for pattern is True, but actual False"
    let m = match_pod_failure_policy(Some(&dt_rule("Ignore", "True")), &dt_pod(ConditionStatus::False));
    assert_eq!((m.action, m.count_failed, m.fail_job_message), (None, true, None));
    // "default - do not match condition with status=False" (the same input
    // upstream lists twice)
    let m = match_pod_failure_policy(Some(&dt_rule("Ignore", "True")), &dt_pod(ConditionStatus::False));
    assert!(m.count_failed && m.action.is_none());
    // "ignore rule matched for pod conditions"
    let m = match_pod_failure_policy(Some(&dt_rule("Ignore", "True")), &dt_pod(ConditionStatus::True));
    assert_eq!((m.action, m.count_failed), (ignore.clone(), false));
    // "job fail rule matched for pod conditions"
    let m = match_pod_failure_policy(Some(&dt_rule("FailJob", "True")), &dt_pod(ConditionStatus::True));
    assert_eq!((m.action, m.count_failed), (fail_job.clone(), true));
    assert_eq!(
        m.fail_job_message.as_deref(),
        Some("Pod default/mypod has condition DisruptionTarget matching FailJob rule at index 0")
    );
    // "count rule matched for pod conditions"
    let m = match_pod_failure_policy(Some(&dt_rule("Count", "True")), &dt_pod(ConditionStatus::True));
    assert_eq!((m.action, m.count_failed, m.fail_job_message), (count.clone(), true, None));
    // "FailIndex rule matched for pod conditions; JobBackoffLimitPerIndex enabled"
    let m = match_pod_failure_policy(Some(&dt_rule("FailIndex", "True")), &dt_pod(ConditionStatus::True));
    assert_eq!((m.action, m.count_failed), (Some(PodFailurePolicyAction::FailIndex), true));

    // "unknown action for rule matching by pod conditions - skip rule with unknown action"
    let p = pfp(json!([
        {"action": "UnkonwnAction", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]},
        {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}
    ]));
    let m = match_pod_failure_policy(Some(&p), &dt_pod(ConditionStatus::True));
    assert_eq!((m.action, m.count_failed), (ignore.clone(), false));
    // "unknown operator - rule with unknown action is skipped for onExitCodes"
    let p = pfp(json!([
        {"action": "Ignore", "onExitCodes": {"operator": "UnknownOperator", "values": [1, 2]}},
        {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [2, 3]}}
    ]));
    let m =
        match_pod_failure_policy(Some(&p), &failed_pod(vec![cs("main-container", Some(2))], vec![], vec![]));
    assert_eq!(m.action, fail_job.clone());
    assert_eq!(
        m.fail_job_message.as_deref(),
        Some(
            "Container main-container for pod default/mypod failed with exit code 2 matching FailJob rule at index 1"
        )
    );

    // "no rule matched": despite its name, exit code 32 is NotIn [8], so the
    // first rule (Count) matches.
    let p = pfp(json!([
        {"action": "Count", "onExitCodes": {"operator": "NotIn", "values": [8]}},
        {"action": "Ignore", "onExitCodes": {"operator": "In", "values": [1, 2, 3]}},
        {"action": "FailJob", "onExitCodes": {"operator": "NotIn", "values": [5, 6, 7]}},
        {"action": "Count", "onPodConditions": [{"type": "ResourceLimitExceeded", "status": "True"}]},
        {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}
    ]));
    let m = match_pod_failure_policy(Some(&p), &failed_pod(vec![cs("", Some(32))], vec![], vec![]));
    assert_eq!((m.action, m.count_failed, m.fail_job_message), (count, true, None));
}

// ---------------------------------------------------------------------------
// success_policy_test.go
// ---------------------------------------------------------------------------

/// The set of the given inclusive intervals (may reach past completions, as
/// upstream's hand-built `orderedIntervals` do).
fn ivs(list: &[(i32, i32)]) -> Indexes {
    let all: Vec<i32> = list.iter().flat_map(|(a, b)| *a..=*b).collect();
    Indexes::from_sorted(&all)
}

// upstream: success_policy_test.go TestMatchSuccessPolicy — every case with
// JobSuccessPolicy enabled (case names quoted); completions 10. Upstream's
// "{1,5},{6,9}" is not normalised; as a set it is 1-9, and the overlap
// count is the same.
#[test]
fn match_success_policy_full_table() {
    let cases: Vec<(&str, Option<Value>, Indexes, bool)> = vec![
        ("successPolicy is null", None, ivs(&[(0, 0)]), false),
        ("any rules are nothing", Some(json!([])), ivs(&[(0, 0)]), false),
        (
            "rules.succeededIndexes is invalid format",
            Some(json!([{"succeededIndexes": "invalid-form"}])),
            ivs(&[(0, 0)]),
            false,
        ),
        (
            "rules.succeededIndexes is specified; succeededIndexes matched rules",
            Some(json!([{"succeededIndexes": "0-2"}])),
            ivs(&[(0, 2), (4, 7)]),
            true,
        ),
        (
            "rules.succeededIndexes is specified; succeededIndexes didn't match rules",
            Some(json!([{"succeededIndexes": "3"}])),
            ivs(&[(0, 2)]),
            false,
        ),
        (
            "rules.succeededCount is specified; succeededIndexes matched rules",
            Some(json!([{"succeededCount": 2}])),
            ivs(&[(0, 2)]),
            true,
        ),
        (
            "rules.succeededCount is specified; succeededIndexes didn't match rules",
            Some(json!([{"succeededCount": 4}])),
            ivs(&[(0, 2)]),
            false,
        ),
        (
            "multiple rules; rules.succeededIndexes is specified; succeededIndexes met all rules",
            Some(json!([{"succeededIndexes": "0,1"}, {"succeededIndexes": "5"}])),
            ivs(&[(0, 2), (4, 7)]),
            true,
        ),
        (
            "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes met all rules",
            Some(json!([{"succeededIndexes": "3-6", "succeededCount": 2}])),
            ivs(&[(0, 2), (4, 7)]),
            true,
        ),
        (
            "rules.succeededIndexes and rules.succeededCount are specified; succeededIndexes didn't match rules",
            Some(json!([{"succeededIndexes": "3-6", "succeededCount": 2}])),
            ivs(&[(0, 2), (6, 7)]),
            false,
        ),
        (
            "rules.succeededIndexes is specified; succeededIndexes are nothing",
            Some(json!([{"succeededCount": 4}])),
            ivs(&[]),
            false,
        ),
        (
            "rules is proper subset of succeededIndexes",
            Some(json!([{"succeededIndexes": "2-4,6-8"}])),
            ivs(&[(1, 5), (6, 9)]),
            true,
        ),
        (
            "rules equals succeededIndexes",
            Some(json!([{"succeededIndexes": "2-4,6-9"}])),
            ivs(&[(2, 4), (6, 9)]),
            true,
        ),
        (
            "rules is subset of succeededIndexes",
            Some(json!([{"succeededIndexes": "2-4,8-12"}])),
            ivs(&[(2, 5), (7, 15)]),
            true,
        ),
        ("rules is an empty set", Some(json!([{"succeededIndexes": ""}])), ivs(&[(1, 3)]), false),
        ("succeededIndexes is an empty set", Some(json!([{"succeededIndexes": ""}])), ivs(&[]), false),
        (
            "all elements of rules.succeededIndexes aren't included in succeededIndexes",
            Some(json!([{"succeededIndexes": "10-12,14-16"}])),
            ivs(&[(1, 3), (5, 7)]),
            false,
        ),
        (
            "didn't match; rules overlaps succeededIndexes at first",
            Some(json!([{"succeededIndexes": "1-3,5-7"}])),
            ivs(&[(2, 4), (6, 8)]),
            false,
        ),
        (
            "matched (count 4); rules overlaps succeededIndexes at first",
            Some(json!([{"succeededIndexes": "1-3,5-7", "succeededCount": 4}])),
            ivs(&[(2, 4), (6, 8)]),
            true,
        ),
        (
            "didn't match; rules overlaps succeededIndexes at last",
            Some(json!([{"succeededIndexes": "2-4,6-9"}])),
            ivs(&[(1, 3), (5, 7)]),
            false,
        ),
        (
            "matched (count 4); rules overlaps succeededIndexes at last",
            Some(json!([{"succeededIndexes": "2-4,6-9", "succeededCount": 4}])),
            ivs(&[(1, 3), (5, 7)]),
            true,
        ),
        (
            "didn't match; rules completely overlaps succeededIndexes",
            Some(json!([{"succeededIndexes": "0-4,6-9"}])),
            ivs(&[(1, 3), (7, 8)]),
            false,
        ),
        (
            "matched (count 5); rules completely overlaps succeededIndexes",
            Some(json!([{"succeededIndexes": "0-4,6-9", "succeededCount": 5}])),
            ivs(&[(1, 3), (7, 8)]),
            true,
        ),
        (
            "didn't match; rules overlaps multiple succeededIndexes at last",
            Some(json!([{"succeededIndexes": "0-6,8-9"}])),
            ivs(&[(1, 3), (5, 9)]),
            false,
        ),
        (
            "matched (count 7); rules overlaps multiple succeededIndexes at last",
            Some(json!([{"succeededIndexes": "0-6,8-9", "succeededCount": 7}])),
            ivs(&[(1, 3), (5, 9)]),
            true,
        ),
        (
            "didn't match; rules overlaps succeededIndexes at first, and rules equals succeededIndexes at last",
            Some(json!([{"succeededIndexes": "0-5,7-9"}])),
            ivs(&[(1, 5), (7, 10)]),
            false,
        ),
        (
            "matched (count 8); rules overlaps succeededIndexes at first, and rules equals succeededIndexes at last",
            Some(json!([{"succeededIndexes": "0-5,7-9", "succeededCount": 8}])),
            ivs(&[(1, 5), (7, 10)]),
            true,
        ),
        (
            "didn't match; the first rules overlaps succeededIndexes at first",
            Some(json!([{"succeededIndexes": "0-3,6-9"}])),
            ivs(&[(1, 10)]),
            false,
        ),
        (
            "matched (count 7); the first rules overlaps succeededIndexes at first",
            Some(json!([{"succeededIndexes": "0-3,6-9", "succeededCount": 7}])),
            ivs(&[(1, 10)]),
            true,
        ),
    ];
    for (name, rules, succeeded, want) in cases {
        let policy = rules.map(sp);
        let got = match_success_policy(policy.as_ref(), 10, &succeeded);
        assert_eq!(got.as_deref(), want.then_some(MATCHED_0), "{name}");
    }
    // "multiple rules; rules.succeededIndexes is specified; succeededIndexes met one of rules"
    let p = sp(json!([{"succeededIndexes": "9"}, {"succeededIndexes": "4,6"}]));
    assert_eq!(
        match_success_policy(Some(&p), 10, &ivs(&[(0, 2), (4, 7)])).as_deref(),
        Some("Matched rules at index 1")
    );
}

// ---------------------------------------------------------------------------
// indexed_job_utils_test.go (through reconcile)
// ---------------------------------------------------------------------------

/// An Indexed pod `name` for `index` with phase `phase`.
fn ip(name: &str, index: &str, phase: &str) -> P {
    let p = P::new(name).index(index);
    match phase {
        "Running" => p.running(),
        "Succeeded" => p.succeeded(),
        "Failed" => p.failed(),
        _ => p,
    }
}

/// A pod without the completion index annotation.
fn no_index(name: &str, phase: &str) -> P {
    let p = P::new(name);
    match phase {
        "Running" => p.running(),
        "Succeeded" => p.succeeded(),
        _ => p,
    }
}

// upstream: indexed_job_utils_test.go TestCalculateSucceededIndexes — every
// case, read off `status.completedIndexes` (and `succeeded`, its size)
// after the sync (case names quoted).
#[test]
fn calculate_succeeded_indexes_through_reconcile() {
    type Pods = Vec<(&'static str, &'static str)>;
    let cases: Vec<(&str, &str, Pods, i32, &str)> = vec![
        ("one index", "", vec![("1", "Succeeded")], 2, "1"),
        (
            "two separate",
            "",
            vec![
                ("2", "Failed"),
                ("5", "Succeeded"),
                ("5", "Succeeded"),
                ("10", "Failed"),
                ("10", "Succeeded"),
            ],
            11,
            "5,10",
        ),
        (
            "two intervals",
            "",
            vec![
                ("0", "Running"),
                ("1", "Pending"),
                ("2", "Succeeded"),
                ("3", "Succeeded"),
                ("5", "Succeeded"),
                ("6", "Succeeded"),
                ("7", "Succeeded"),
            ],
            8,
            "2,3,5-7",
        ),
        (
            "one index and one interval",
            "",
            vec![
                ("0", "Succeeded"),
                ("1", "Failed"),
                ("2", "Succeeded"),
                ("3", "Succeeded"),
                ("4", "Succeeded"),
                ("5", "Succeeded"),
                ("-", "Succeeded"),
                ("-2", "Succeeded"),
            ],
            6,
            "0,2-5",
        ),
        (
            "out of range",
            "",
            vec![
                ("0", "Succeeded"),
                ("1", "Succeeded"),
                ("2", "Succeeded"),
                ("3", "Failed"),
                ("4", "Succeeded"),
                ("5", "Succeeded"),
                ("-", "Succeeded"),
                ("-2", "Succeeded"),
            ],
            5,
            "0-2,4",
        ),
        ("prev interval out of range", "0-5,8-10", vec![], 8, "0-5"),
        ("prev interval partially out of range", "0-5,8-10", vec![], 10, "0-5,8,9"),
        (
            "prev and new separate",
            "0,4,5,10-12",
            vec![("2", "Succeeded"), ("7", "Succeeded"), ("8", "Succeeded")],
            13,
            "0,2,4,5,7,8,10-12",
        ),
        (
            "prev between new",
            "3,4,6",
            vec![("2", "Succeeded"), ("7", "Succeeded"), ("8", "Succeeded")],
            9,
            "2-4,6-8",
        ),
        (
            "new between prev",
            "2,7,8",
            vec![("3", "Succeeded"), ("4", "Succeeded"), ("6", "Succeeded")],
            9,
            "2-4,6-8",
        ),
        (
            "new within prev",
            "2-7",
            vec![("0", "Succeeded"), ("3", "Succeeded"), ("5", "Succeeded"), ("9", "Succeeded")],
            10,
            "0,2-7,9",
        ),
        ("corrupted interval", "0,1-foo,bar", vec![("3", "Succeeded")], 4, "0,3"),
    ];
    for (name, prev, pod_list, completions, want) in cases {
        let j = with_status(
            indexed(json!({"completions": completions, "parallelism": completions})),
            json!({"completedIndexes": prev}),
        );
        let pods: Vec<Pod> = pod_list
            .iter()
            .enumerate()
            .map(|(i, (ix, phase))| {
                let n = format!("p{i}");
                if *ix == "-" { no_index(&n, phase).build() } else { ip(&n, ix, phase).build() }
            })
            .collect();
        let out = sync(&j, &pods, base());
        let st = out.status();
        assert_eq!(st.completed_indexes.as_deref().unwrap_or(""), want, "{name}");
        let total = Indexes::parse(want, completions).total();
        assert_eq!(i64::from(st.succeeded.unwrap_or(0)), total, "{name}: succeeded");
    }
}

// upstream: indexed_job_utils_test.go TestCalculateFailedIndexes — read off
// `status.failedIndexes` after the sync (case names quoted).
#[test]
fn calculate_failed_indexes_through_reconcile() {
    let blpi = |limit: i32, failed_indexes: Option<&str>| {
        let j = indexed(json!({"completions": 2, "parallelism": 2, "backoffLimitPerIndex": limit}));
        match failed_indexes {
            Some(f) => with_status(j, json!({"failedIndexes": f})),
            None => j,
        }
    };
    let cases: Vec<(&str, Job, Vec<Pod>, &str)> = vec![
        (
            "one new index failed",
            blpi(1, None),
            vec![
                ip("a", "0", "Failed").failure_count(0).build(),
                ip("b", "1", "Failed").failure_count(1).build(),
            ],
            "1",
        ),
        (
            "pod without finalizer is ignored",
            blpi(0, None),
            vec![ip("a", "0", "Failed").failure_count(0).no_finalizer().build()],
            "",
        ),
        (
            "pod outside completions is ignored",
            blpi(0, None),
            vec![ip("a", "3", "Failed").failure_count(0).no_finalizer().build()],
            "",
        ),
        (
            "extend the failed indexes",
            blpi(0, Some("0")),
            vec![ip("a", "1", "Failed").failure_count(0).build()],
            "0,1",
        ),
        (
            "prev failed indexes empty",
            blpi(0, Some("")),
            vec![ip("a", "1", "Failed").failure_count(0).build()],
            "1",
        ),
        (
            "prev failed indexes outside the completions",
            blpi(0, Some("9")),
            vec![ip("a", "1", "Failed").failure_count(0).build()],
            "1",
        ),
    ];
    for (name, j, pods, want) in cases {
        let out = sync(&j, &pods, base());
        assert_eq!(out.status().failed_indexes.as_deref(), Some(want), "{name}");
    }
}

// upstream: indexed_job_utils_test.go TestIsIndexFailed — an index counted
// failed shows in `status.failedIndexes` (case names quoted).
#[test]
fn is_index_failed_through_reconcile() {
    // "failed pod exceeding backoffLimitPerIndex, when backoffLimitPerIndex=0"
    let j = indexed(json!({"completions": 2, "parallelism": 2, "backoffLimitPerIndex": 0}));
    let out = sync(&j, &[ip("a", "0", "Failed").failure_count(0).build()], base());
    assert_eq!(out.status().failed_indexes.as_deref(), Some("0"));
    // "failed pod exceeding backoffLimitPerIndex, when backoffLimitPerIndex=1"
    let j = indexed(json!({"completions": 2, "parallelism": 2, "backoffLimitPerIndex": 1}));
    let out = sync(&j, &[ip("a", "1", "Failed").failure_count(1).build()], base());
    assert_eq!(out.status().failed_indexes.as_deref(), Some("1"));
    // "matching FailIndex pod failure policy"
    let j = indexed(json!({"completions": 2, "parallelism": 2, "backoffLimitPerIndex": 1,
        "podFailurePolicy": {"rules": [{"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [3]}}]}}));
    let mut pod = ip("a", "0", "Failed").failure_count(0).build();
    if let Some(st) = pod.status.as_mut() {
        st.container_statuses = Some(vec![cs("", Some(3))]);
    }
    let out = sync(&j, &[pod], base());
    assert_eq!(out.status().failed_indexes.as_deref(), Some("0"));
}

fn annotation(pod: &Pod, key: &str) -> Option<String> {
    pod.metadata.annotation(key).map(str::to_owned)
}

/// The created pod for `index` in `actions`.
fn created_for(actions: &[Action], index: &str) -> Option<Pod> {
    created(actions)
        .into_iter()
        .find(|p| p.metadata.annotation(COMPLETION_INDEX_ANNOTATION) == Some(index))
        .cloned()
}

// upstream: indexed_job_utils_test.go TestGetNewIndexFailureCountValue — the
// annotations of the replacement pod (case names quoted).
#[test]
fn new_index_failure_count_through_reconcile() {
    let blpi = |extra: Value| {
        let mut spec = json!({"completions": 4, "parallelism": 4, "backoffLimitPerIndex": 6});
        if let (Some(a), Some(b)) = (spec.as_object_mut(), extra.as_object()) {
            a.extend(b.clone());
        }
        indexed(spec)
    };
    let counts = |pod: &Pod| {
        (
            annotation(pod, INDEX_FAILURE_COUNT_ANNOTATION),
            annotation(pod, INDEX_IGNORED_FAILURE_COUNT_ANNOTATION),
        )
    };
    // "first pod created"
    let first = run(&blpi(json!({})), &[], &JobMemory::default(), base());
    let p = created_for(&first, "0").expect("index 0 created");
    assert_eq!(counts(&p), (Some("0".into()), None));
    // "failed pod being replaced with 0 index failure count"
    let pods = vec![ip("a", "0", "Failed").failure_count(0).build()];
    let p =
        created_for(&run(&blpi(json!({})), &pods, &JobMemory::default(), base()), "0").expect("replacement");
    assert_eq!(counts(&p), (Some("1".into()), None));
    // "failed pod being replaced with >0 index failure count"
    let pods = vec![ip("a", "0", "Failed").failure_count(3).build()];
    let p =
        created_for(&run(&blpi(json!({})), &pods, &JobMemory::default(), base()), "0").expect("replacement");
    assert_eq!(counts(&p), (Some("4".into()), None));
    // "failed pod being replaced, matching the ignore rule"
    let j = blpi(json!({"podFailurePolicy": {"rules": [
        {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]}}));
    let pods = vec![ip("a", "3", "Failed").failure_count(3).condition("DisruptionTarget").build()];
    let p = created_for(&run(&j, &pods, &JobMemory::default(), base()), "3").expect("replacement");
    assert_eq!(counts(&p), (Some("3".into()), Some("1".into())));
}

// upstream: indexed_job_utils_test.go TestGetIndexFailureCount — how the
// failure-count annotation is read shows in the replacement's count (read
// value + 1), or, for a value at or past the limit, in the failed index
// (case names quoted).
#[test]
fn index_failure_count_annotation_through_reconcile() {
    let j = indexed(json!({"completions": 1, "parallelism": 1, "backoffLimitPerIndex": 6}));
    let with_raw = |raw: Option<&str>| {
        let mut p = ip("a", "0", "Failed").build();
        if let Some(v) = raw {
            p.metadata.set_annotation(INDEX_FAILURE_COUNT_ANNOTATION, v);
        }
        p
    };
    for (name, raw, want) in [
        ("no annotation", None, "1"),
        ("valid value", Some("2"), "3"),
        ("too large value", Some("2147483648"), "1"),
        ("negative value", Some("-1"), "1"),
        ("invalid int value", Some("xyz"), "1"),
    ] {
        let actions = run(&j, &[with_raw(raw)], &JobMemory::default(), base());
        let p = created_for(&actions, "0").unwrap_or_else(|| panic!("{name}: no replacement"));
        assert_eq!(annotation(&p, INDEX_FAILURE_COUNT_ANNOTATION).as_deref(), Some(want), "{name}");
    }
    // "valid maxint32 value": read as 2147483647, past backoffLimitPerIndex.
    let out = sync(&j, &[with_raw(Some("2147483647"))], base());
    assert_eq!(out.status().failed_indexes.as_deref(), Some("0"));
    assert_eq!(out.creates(), 0);
}

// upstream: indexed_job_utils_test.go TestFirstPendingIndexes "with failed
// indexes" and "mixed" — the indexes created.
#[test]
fn first_pending_indexes_through_reconcile() {
    // "with failed indexes": active 3 and 9, succeeded 1,5,9, failed 2,6,7;
    // 5 to create of 20.
    let j = with_status(
        indexed(json!({"completions": 20, "parallelism": 7, "backoffLimitPerIndex": 1})),
        json!({"completedIndexes": "1,5,9", "failedIndexes": "2,6,7"}),
    );
    let pods = vec![ip("a", "3", "Pending").build(), ip("b", "9", "Pending").build()];
    let actions = run(&j, &pods, &JobMemory::default(), base());
    assert_eq!(created_indexes(&actions), ["0", "4", "8", "10", "11"]);
    // "mixed": active 3, 5, 8 and two pods without a valid index; succeeded
    // 2-4 and 9. upstream's manageJob deletes the pods without a valid index
    // first (activePodsForRemoval) and creates in the next sync, which the
    // helper tested upstream does not show.
    let j = with_status(
        indexed(json!({"completions": 20, "parallelism": 8})),
        json!({"completedIndexes": "2-4,9"}),
    );
    let valid = vec![
        ip("a", "3", "Pending").build(),
        ip("b", "5", "Running").build(),
        ip("c", "8", "Pending").build(),
    ];
    let mut all = valid.clone();
    all.push(no_index("d", "Running").build());
    all.push(ip("e", "-3", "Running").build());
    let actions = run(&j, &all, &JobMemory::default(), base());
    let mut gone = deleted(&actions);
    gone.sort();
    assert_eq!(gone, ["d", "e"]);
    assert!(created(&actions).is_empty());
    let actions = run(&j, &valid, &JobMemory::default(), base());
    assert_eq!(created_indexes(&actions), ["0", "1", "6", "7", "10"]);
}

// ---------------------------------------------------------------------------
// backoff_utils_test.go
// ---------------------------------------------------------------------------

// upstream: backoff_utils_test.go TestNewBackoffRecord — the cases
// job_utils.rs does not mirror (case names quoted).
#[test]
fn new_backoff_record_more_cases() {
    let t0 = base();
    let empty = BackoffRecord::default();
    // "Empty backoff store with success and failure at same timestamp"
    assert_eq!(empty.updated(vec![t0], vec![t0]), BackoffRecord::default());
    // "Empty backoff store and two new failures"
    assert_eq!(
        empty.updated(vec![], vec![t0, t0.add_millis(-1)]),
        BackoffRecord { failures_after_last_success: 2, last_failure_time: Some(t0) }
    );
    // "Empty backoff store, two failures followed by success"
    assert_eq!(empty.updated(vec![t0], vec![t0.add_millis(-2), t0.add_millis(-1)]), BackoffRecord::default());
    // "Empty backoff store, two failures, one success and two more failures"
    assert_eq!(
        empty.updated(
            vec![t0.add_millis(-2)],
            vec![t0, t0.add_millis(-4), t0.add_millis(-3), t0.add_millis(-1)]
        ),
        BackoffRecord { failures_after_last_success: 2, last_failure_time: Some(t0) }
    );
    // "Backoff store having failure count 2 and one new failure"
    let two = BackoffRecord { failures_after_last_success: 2, last_failure_time: None };
    assert_eq!(
        two.updated(vec![], vec![t0]),
        BackoffRecord { failures_after_last_success: 3, last_failure_time: Some(t0) }
    );
    // "Empty backoff store with one success"
    assert_eq!(empty.updated(vec![t0], vec![]), BackoffRecord::default());
}

// upstream: backoff_utils_test.go TestGetFinishedTime — the rows job_utils.rs
// does not mirror (case names quoted).
#[test]
fn get_finished_time_more_rows() {
    let t0 = base();
    let running: ContainerStatus = ContainerStatus {
        state: Some(serde_json::from_value(json!({"running": {}})).expect("state")),
        ..ContainerStatus::default()
    };
    let at = |secs: i64| ContainerStatus {
        state: Some(ContainerState {
            terminated: Some(ContainerStateTerminated {
                finished_at: Some(t0.add_seconds(secs)),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..ContainerStatus::default()
    };
    let mut pod = P::new("p").build();
    pod.metadata.creation_timestamp = None;
    let with = |containers: Vec<ContainerStatus>, conditions: Vec<Condition>, deleted: Option<Time>| {
        let mut p = pod.clone();
        let st = p.status.get_or_insert_default();
        st.container_statuses = Some(containers);
        st.conditions = (!conditions.is_empty()).then_some(conditions);
        p.metadata.deletion_timestamp = deleted;
        p
    };
    // "Pod with multiple containers; two containers in terminated state and
    // one in running state; fallback to deletionTimestamp"
    let p = with(vec![at(-1), running.clone(), at(-2)], vec![], Some(t0));
    assert_eq!(finished_time(&p), Some(t0));
    // "fallback to deletionTimestamp"
    let p = with(vec![running.clone()], vec![], Some(t0));
    assert_eq!(finished_time(&p), Some(t0));
    // "fallback to PodReady.LastTransitionTime when status of the condition
    // is False" (the terminated container has no finishedAt)
    let ready = |status: ConditionStatus, when: Time| Condition {
        type_: "Ready".into(),
        status,
        reason: Some("PodFailed".into()),
        last_transition_time: Some(when),
        ..Condition::default()
    };
    let p = with(vec![cs("", Some(0))], vec![ready(ConditionStatus::False, t0)], None);
    assert_eq!(finished_time(&p), Some(t0));
    // "skip fallback to PodReady.LastTransitionTime when status of the
    // condition is True"
    let p = with(vec![cs("", Some(0))], vec![ready(ConditionStatus::True, t0.add_seconds(-30))], Some(t0));
    assert_eq!(finished_time(&p), Some(t0));
    // "fallback to creationTimestamp"
    let mut p = with(vec![cs("", Some(0))], vec![], None);
    p.metadata.creation_timestamp = Some(t0);
    assert_eq!(finished_time(&p), Some(t0));
    // "Pod with sidecar container and all containers terminated": the
    // sidecar finished last.
    let mut p = with(vec![at(-1)], vec![], None);
    p.spec.get_or_insert_default().init_containers =
        Some(vec![serde_json::from_value(json!({"name": "sidecar", "restartPolicy": "Always"})).expect("c")]);
    if let Some(st) = p.status.as_mut() {
        let mut sidecar = at(0);
        sidecar.name = "sidecar".into();
        st.init_container_statuses = Some(vec![sidecar]);
    }
    assert_eq!(finished_time(&p), Some(t0));
}

// upstream: backoff_utils_test.go TestGetRemainingBackoffTimePerIndex — the
// replacement of an index waits per the failures of its last failed pod,
// counted and ignored, plus one. Upstream's table uses a 5 s base; the
// controller's is 10 s (DefaultJobPodFailureBackOff), so 3 failures wait
// 40 s here where the table says 20 s.
#[test]
fn remaining_backoff_time_per_index_through_reconcile() {
    let now = base();
    let j = indexed(json!({"completions": 1, "parallelism": 1, "backoffLimitPerIndex": 6}));
    // "no failures"
    let actions = run(&j, &[], &JobMemory::default(), now);
    assert_eq!(created_indexes(&actions), ["0"]);
    // "two prev failures; current time and failure time are same"
    let pods = vec![ip("a", "0", "Failed").failure_count(2).deleting(now).build()];
    let actions = run(&j, &pods, &JobMemory::default(), now);
    assert!(created(&actions).is_empty());
    assert_eq!(requeue_after(&actions), Some(Duration::from_secs(40)));
    // "one prev failure counted and one ignored; current time and failure
    // time are same"
    let mut pod = ip("a", "0", "Failed").failure_count(1).deleting(now).build();
    pod.metadata.set_annotation(INDEX_IGNORED_FAILURE_COUNT_ANNOTATION, "1");
    let actions = run(&j, &[pod], &JobMemory::default(), now);
    assert!(created(&actions).is_empty());
    assert_eq!(requeue_after(&actions), Some(Duration::from_secs(40)));
}

// ---------------------------------------------------------------------------
// job_controller_test.go
// ---------------------------------------------------------------------------

// upstream: job_controller_test.go TestGetPodCreationInfoForIndependentIndexes
// — through reconcile: index 0 runs, the other indexes of 4 are pending,
// some with a failed pod whose replacement is delayed (case names quoted).
#[test]
fn pod_creation_info_for_independent_indexes() {
    let now = base();
    let j = indexed(json!({"completions": 4, "parallelism": 4, "backoffLimitPerIndex": 6}));
    let failed = |name: &str, ix: &str, count: i32, at: Time| {
        ip(name, ix, "Failed").failure_count(count).deleting(at).build()
    };
    let run_with = |extra: Vec<Pod>, occupied: &[&str]| {
        let mut pods = vec![ip("r0", "0", "Running").build()];
        for ix in occupied {
            pods.push(ip(&format!("r{ix}"), ix, "Running").build());
        }
        pods.extend(extra);
        run(&j, &pods, &JobMemory::default(), now)
    };
    // "simple index creation": indexes 1 and 3 to add.
    let actions = run_with(vec![], &["2"]);
    assert_eq!(created_indexes(&actions), ["1", "3"]);
    // "subset of indexes can be recreated now"
    let actions = run_with(vec![failed("f1", "1", 0, now)], &["2"]);
    assert_eq!(created_indexes(&actions), ["3"]);
    // "subset of indexes can be recreated now as the pods failed long time ago"
    let actions =
        run_with(vec![failed("f1", "1", 0, now), failed("f3", "3", 0, now.add_seconds(-10))], &["2"]);
    assert_eq!(created_indexes(&actions), ["3"]);
    // "no indexes can be recreated now, need to wait default pod failure backoff"
    let delayed =
        |at: Time| vec![failed("f1", "1", 1, at), failed("f2", "2", 0, at), failed("f3", "3", 2, at)];
    let actions = run_with(delayed(now), &[]);
    assert!(created(&actions).is_empty());
    assert_eq!(requeue_after(&actions), Some(Duration::from_secs(10)));
    // "no indexes can be recreated now, need to wait but 1s already passed"
    let actions = run_with(delayed(now.add_seconds(-1)), &[]);
    assert!(created(&actions).is_empty());
    assert_eq!(requeue_after(&actions), Some(Duration::from_secs(9)));
}

/// upstream's success-policy Job: Indexed, backoffLimit MaxInt32 unless set.
fn sp_job(parallelism: i32, extra: Value) -> Job {
    let mut spec = json!({"parallelism": parallelism, "completions": parallelism, "backoffLimit": i32::MAX,
        "successPolicy": {"rules": [{"succeededIndexes": "0,1", "succeededCount": 1}]}});
    if let (Some(a), Some(b)) = (spec.as_object_mut(), extra.as_object()) {
        for (k, v) in b {
            a.insert(k.clone(), v.clone());
        }
    }
    indexed(spec)
}

fn dt_fail_job() -> Value {
    json!({"rules": [{"action": "FailJob", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]})
}

fn scm_status(extra: Value) -> Value {
    let mut s = json!({"conditions": [{"type": "SuccessCriteriaMet", "status": "True", "reason": "SuccessPolicy", "message": MATCHED_0}]});
    if let (Some(a), Some(b)) = (s.as_object_mut(), extra.as_object()) {
        a.extend(b.clone());
    }
    s
}

struct Want {
    failed: i32,
    succeeded: i32,
    terminating: Option<i32>,
    completed: &'static str,
    failed_indexes: Option<Option<&'static str>>,
    conditions: Vec<(String, String, String, String)>,
}

fn check(name: &str, first: &JobStatus, last: &JobStatus, want: Want) {
    assert_eq!(last.failed.unwrap_or(0), want.failed, "{name}: failed ({})", describe(last));
    assert_eq!(last.succeeded.unwrap_or(0), want.succeeded, "{name}: succeeded");
    assert_eq!(first.terminating, want.terminating, "{name}: terminating");
    assert_eq!(last.completed_indexes.as_deref().unwrap_or(""), want.completed, "{name}: completedIndexes");
    if let Some(f) = want.failed_indexes {
        assert_eq!(last.failed_indexes.as_deref(), f, "{name}: failedIndexes");
    }
    assert_eq!(conds(last), want.conditions, "{name}: conditions");
}

fn describe(s: &JobStatus) -> String {
    kube_workloads::controller::job::describe_status(s)
}

// upstream: job_controller_test.go TestSyncJobWithJobSuccessPolicy — the
// cases job_sync.rs does not mirror (case names quoted, shortened).
#[test]
fn sync_job_with_success_policy_more_cases() {
    let on = gates(true, true);
    let pod_a1 = || ip("a1", "0", "Failed").build();
    let dt = |name: &str, ix: &str| ip(name, ix, "Failed").condition("DisruptionTarget");
    let pods_3 = || vec![pod_a1(), ip("a2", "0", "Running").build(), ip("b", "1", "Succeeded").build()];

    // "job with podFailurePolicy and successPolicy; jobPodReplacementPolicy feature enabled; job has SuccessCriteriaMet condition if job meets to successPolicy and doesn't meet to podFailurePolicy"
    let j = sp_job(2, json!({"podFailurePolicy": dt_fail_job()}));
    let (_, first, last) = sync_cfg(&j, &pods_3(), base(), &on);
    let status = last.status.clone().unwrap_or_default();
    check(
        "pfp+sp, PRP on",
        &first,
        &status,
        Want {
            failed: 1,
            succeeded: 1,
            terminating: Some(1),
            completed: "1",
            failed_indexes: Some(None),
            conditions: vec![cond("SuccessCriteriaMet", "SuccessPolicy", MATCHED_0)],
        },
    );

    // "... jobPodReplacementPolicy feature disabled; ... doesn't meet to podFailurePolicy"
    let (_, first, last) = sync_cfg(&j, &pods_3(), base(), &gates(false, false));
    check(
        "pfp+sp, PRP off",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 1,
            terminating: None,
            completed: "1",
            failed_indexes: Some(None),
            conditions: vec![
                cond("SuccessCriteriaMet", "SuccessPolicy", MATCHED_0),
                cond("Complete", "SuccessPolicy", MATCHED_0),
            ],
        },
    );

    // "job with backoffLimitPerIndex and successPolicy; ... doesn't meet backoffLimitPerIndex"
    let j = sp_job(2, json!({"backoffLimitPerIndex": 2}));
    let (_, first, last) = sync_cfg(&j, &pods_3(), base(), &on);
    check(
        "blpi+sp",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 1,
            terminating: Some(1),
            completed: "1",
            failed_indexes: Some(Some("")),
            conditions: vec![cond("SuccessCriteriaMet", "SuccessPolicy", MATCHED_0)],
        },
    );

    // "... job has both Complete and SuccessCriteriaMet condition when job
    // meets to successPolicy and all pods have been already removed"
    // (upstream runs it with JobBackoffLimitPerIndex off: failedIndexes is
    // not compared)
    let j = with_status(sp_job(2, json!({"backoffLimitPerIndex": 2})), scm_status(json!({})));
    let pods = vec![ip("a", "0", "Failed").build(), ip("b", "1", "Succeeded").build()];
    let (_, first, last) = sync_cfg(&j, &pods, base(), &on);
    check(
        "sp, all removed",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 1,
            terminating: Some(0),
            completed: "1",
            failed_indexes: None,
            conditions: vec![
                cond("SuccessCriteriaMet", "SuccessPolicy", MATCHED_0),
                cond("Complete", "SuccessPolicy", MATCHED_0),
            ],
        },
    );

    // "... job has SuccessCriteriaMet condition when job meets to
    // successPolicy and some pods still are running" (PRP on; then
    // JobManagedBy alone, which tracks but does not report terminating)
    let j = with_status(sp_job(3, json!({"backoffLimitPerIndex": 3})), scm_status(json!({})));
    let pods = vec![
        pod_a1(),
        ip("a2", "1", "Running").build(),
        ip("b", "1", "Succeeded").build(),
        ip("c", "2", "Running").build(),
    ];
    for (name, config, terminating) in
        [("PRP on", gates(true, false), Some(2)), ("JobManagedBy on", gates(false, true), None)]
    {
        let (first_actions, first, last) = sync_cfg(&j, &pods, base(), &config);
        let mut gone = deleted(&first_actions);
        gone.sort();
        assert_eq!(gone, ["a2", "c"], "{name}");
        check(
            name,
            &first,
            &last.status.clone().unwrap_or_default(),
            Want {
                failed: 1,
                succeeded: 1,
                terminating,
                completed: "1",
                failed_indexes: None,
                conditions: vec![cond("SuccessCriteriaMet", "SuccessPolicy", MATCHED_0)],
            },
        );
    }

    // "job with successPolicy and podFailurePolicy; ... job has a failed
    // condition when job meets to both successPolicy and podFailurePolicy"
    let j = sp_job(2, json!({"podFailurePolicy": dt_fail_job()}));
    let pods =
        vec![dt("a1", "0").build(), ip("a2", "0", "Running").build(), ip("b", "1", "Succeeded").build()];
    let (_, first, last) = sync_cfg(&j, &pods, base(), &on);
    check(
        "sp and pfp met",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 2,
            succeeded: 1,
            terminating: Some(1),
            completed: "1",
            failed_indexes: Some(None),
            conditions: vec![cond(
                "FailureTarget",
                "PodFailurePolicy",
                "Pod default/a1 has condition DisruptionTarget matching FailJob rule at index 0",
            )],
        },
    );

    // "job with successPolicy and backoffLimitPerIndex; ... job has a failed
    // condition when job meets to both successPolicy and backoffLimitPerIndex"
    let j = sp_job(2, json!({"backoffLimitPerIndex": 1}));
    let pods = vec![ip("a", "0", "Failed").failure_count(1).build(), ip("b", "1", "Succeeded").build()];
    let (_, first, last) = sync_cfg(&j, &pods, base(), &on);
    check(
        "sp and blpi met",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 1,
            terminating: Some(0),
            completed: "1",
            failed_indexes: Some(Some("0")),
            conditions: vec![
                cond("FailureTarget", "FailedIndexes", FAILED_INDEXES_MSG),
                cond("Failed", "FailedIndexes", FAILED_INDEXES_MSG),
            ],
        },
    );

    // "job with successPolicy and backoffLimit; ... job has a failed
    // condition when job meets to both successPolicy and backoffLimit"
    let j = sp_job(2, json!({"backoffLimit": 1}));
    let pods = vec![pod_a1(), ip("a2", "0", "Failed").build(), ip("b", "1", "Succeeded").build()];
    let (_, first, last) = sync_cfg(&j, &pods, base(), &on);
    check(
        "sp and backoffLimit met",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 2,
            succeeded: 1,
            terminating: Some(0),
            completed: "1",
            failed_indexes: Some(None),
            conditions: vec![
                cond("FailureTarget", "BackoffLimitExceeded", BACKOFF_MSG),
                cond("Failed", "BackoffLimitExceeded", BACKOFF_MSG),
            ],
        },
    );

    let done = json!({"succeeded": 1, "completedIndexes": "1", "terminating": 0});
    let complete_by_policy = || {
        vec![
            cond("SuccessCriteriaMet", "SuccessPolicy", MATCHED_0),
            cond("Complete", "SuccessPolicy", MATCHED_0),
        ]
    };
    // "... job with SuccessCriteriaMet has never been transitioned to
    // FailureTarget and Failed even if job meets podFailurePolicy"
    let j = with_status(
        sp_job(
            2,
            json!({"podFailurePolicy": dt_fail_job(), "successPolicy": {"rules": [{"succeededCount": 1}]}}),
        ),
        scm_status(done.clone()),
    );
    let pods = vec![dt("a", "0").build(), ip("b", "1", "Succeeded").build()];
    let (_, first, last) = sync_cfg(&j, &pods, base(), &on);
    check(
        "SCM kept over pfp",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 1,
            terminating: Some(0),
            completed: "1",
            failed_indexes: Some(None),
            conditions: complete_by_policy(),
        },
    );
    // "... never been transitioned to FailureTarget and Failed even if job
    // meet backoffLimitPerIndex"
    let j = with_status(
        sp_job(
            2,
            json!({"backoffLimitPerIndex": 1, "successPolicy": {"rules": [{"succeededIndexes": "1"}]}}),
        ),
        scm_status(done.clone()),
    );
    let pods = vec![ip("a", "0", "Failed").failure_count(1).build(), ip("b", "1", "Succeeded").build()];
    let (_, first, last) = sync_cfg(&j, &pods, base(), &on);
    check(
        "SCM kept over blpi",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 1,
            terminating: Some(0),
            completed: "1",
            failed_indexes: Some(Some("0")),
            conditions: complete_by_policy(),
        },
    );
    // "... never been transitioned to FailureTarget and Failed even if job
    // meets backoffLimit"
    let j = with_status(sp_job(2, json!({"backoffLimit": 1})), scm_status(done));
    let pods = vec![ip("a", "0", "Failed").build(), ip("b", "1", "Succeeded").build()];
    let (_, first, last) = sync_cfg(&j, &pods, base(), &on);
    check(
        "SCM kept over backoffLimit",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 1,
            terminating: Some(0),
            completed: "1",
            failed_indexes: Some(None),
            conditions: complete_by_policy(),
        },
    );

    // "job with successPolicy and podFailureTarget; ... job with
    // FailureTarget has never been transitioned to SuccessCriteriaMet even if
    // job meets successPolicy"
    let msg = "Pod default/a has condition DisruptionTarget matching FailJob rule at index 0";
    let j = with_status(
        sp_job(2, json!({"podFailurePolicy": dt_fail_job()})),
        json!({"failed": 1, "terminating": 0, "completedIndexes": "1", "conditions": [
            {"type": "FailureTarget", "status": "True", "reason": "PodFailurePolicy", "message": msg}]}),
    );
    let pods = vec![dt("a", "0").no_finalizer().build(), ip("b", "1", "Succeeded").build()];
    let (_, first, last) = sync_cfg(&j, &pods, base(), &on);
    check(
        "FailureTarget kept over sp",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 1,
            terminating: Some(0),
            completed: "1",
            failed_indexes: Some(None),
            conditions: vec![
                cond("FailureTarget", "PodFailurePolicy", msg),
                cond("Failed", "PodFailurePolicy", msg),
            ],
        },
    );

    // "job without successPolicy; jobSuccessPolicy is enabled; job got
    // SuccessCriteriaMet and Completion with CompletionsReached reason
    // conditions" (JobManagedBy on, JobPodReplacementPolicy off)
    let j = indexed(json!({"completions": 1, "parallelism": 1, "backoffLimit": i32::MAX}));
    let (_, first, last) = sync_cfg(&j, &[ip("a1", "0", "Succeeded").build()], base(), &gates(false, true));
    check(
        "no successPolicy",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 0,
            succeeded: 1,
            terminating: None,
            completed: "0",
            failed_indexes: Some(None),
            conditions: vec![
                cond("SuccessCriteriaMet", "CompletionsReached", REACHED),
                cond("Complete", "CompletionsReached", REACHED),
            ],
        },
    );
}

/// upstream's backoffLimitPerIndex Job: Indexed, completions = parallelism,
/// backoffLimitPerIndex 1, backoffLimit MaxInt32 unless set.
fn blpi_job(n: i32, extra: Value) -> Job {
    let mut spec =
        json!({"parallelism": n, "completions": n, "backoffLimit": i32::MAX, "backoffLimitPerIndex": 1});
    if let (Some(a), Some(b)) = (spec.as_object_mut(), extra.as_object()) {
        for (k, v) in b {
            a.insert(k.clone(), v.clone());
        }
    }
    indexed(spec)
}

// upstream: job_controller_test.go TestSyncJobWithJobBackoffLimitPerIndex —
// the cases job_sync.rs does not mirror (case names quoted).
#[test]
fn sync_job_with_backoff_limit_per_index_more_cases() {
    let on = gates(true, true);
    let exit3 = |name: &str, container: &str| {
        let mut p = ip(name, "0", "Failed").failure_count(0).build();
        if let Some(st) = p.status.as_mut() {
            st.container_statuses = Some(vec![cs(container, Some(3))]);
        }
        p
    };

    // "successful job after a single failure within index"
    let pods = vec![
        ip("a1", "0", "Failed").failure_count(0).build(),
        ip("a2", "0", "Succeeded").failure_count(1).build(),
        ip("b", "1", "Succeeded").failure_count(0).build(),
    ];
    let (_, first, last) = sync_cfg(&blpi_job(2, json!({})), &pods, base(), &on);
    check(
        "single failure within index",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 2,
            terminating: Some(0),
            completed: "0,1",
            failed_indexes: Some(Some("")),
            conditions: vec![
                cond("SuccessCriteriaMet", "CompletionsReached", REACHED),
                cond("Complete", "CompletionsReached", REACHED),
            ],
        },
    );

    // "single failed pod, not counted as the replacement pod creation is
    // delayed": both indexes get a pod (active 2), nothing counted yet.
    let pods = vec![ip("a", "0", "Failed").failure_count(0).build()];
    let first = run(&blpi_job(2, json!({})), &pods, &JobMemory::default(), base());
    let st = status_of(&first).expect("status");
    assert_eq!((st.active, st.failed, st.failed_indexes.as_deref()), (Some(2), None, Some("")));
    assert!(finalizers_removed(&first).is_empty());

    // "single failed index due to FailIndex action, the job continues"
    let j = blpi_job(
        2,
        json!({"podFailurePolicy": {"rules": [
        {"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [3]}}]}}),
    );
    let (first_actions, first, last) = sync_cfg(&j, &[exit3("a", "")], base(), &on);
    assert_eq!(first.active, Some(1));
    assert_eq!(created_indexes(&first_actions), ["1"]);
    check(
        "FailIndex",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 0,
            terminating: Some(0),
            completed: "",
            failed_indexes: Some(Some("0")),
            conditions: vec![],
        },
    );

    // "job failed index due to FailJob action"
    let j = blpi_job(
        2,
        json!({"backoffLimit": 6, "podFailurePolicy": {"rules": [
        {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [3]}}]}}),
    );
    let msg = "Container x for pod default/a failed with exit code 3 matching FailJob rule at index 0";
    let (first_actions, first, last) = sync_cfg(&j, &[exit3("a", "x")], base(), &on);
    assert!(created(&first_actions).is_empty());
    check(
        "FailJob",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 1,
            succeeded: 0,
            terminating: Some(0),
            completed: "",
            failed_indexes: Some(Some("")),
            conditions: vec![
                cond("FailureTarget", "PodFailurePolicy", msg),
                cond("Failed", "PodFailurePolicy", msg),
            ],
        },
    );

    // "job pod failure ignored due to matching Ignore action"
    let j = blpi_job(
        2,
        json!({"backoffLimit": 6, "podFailurePolicy": {"rules": [
        {"action": "Ignore", "onExitCodes": {"operator": "In", "values": [3]}}]}}),
    );
    let (first_actions, first, last) = sync_cfg(&j, &[exit3("a", "x")], base(), &on);
    assert_eq!(first.active, Some(2));
    assert_eq!(created_indexes(&first_actions), ["0", "1"]);
    check(
        "Ignore",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 0,
            succeeded: 0,
            terminating: Some(0),
            completed: "",
            failed_indexes: Some(Some("")),
            conditions: vec![],
        },
    );

    // "job failed due to exceeding backoffLimit before backoffLimitPerIndex"
    let pods = vec![
        ip("a", "0", "Failed").failure_count(0).build(),
        ip("b", "1", "Failed").failure_count(0).build(),
    ];
    let (_, first, last) = sync_cfg(&blpi_job(2, json!({"backoffLimit": 1})), &pods, base(), &on);
    check(
        "backoffLimit first",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 2,
            succeeded: 0,
            terminating: Some(0),
            completed: "",
            failed_indexes: Some(Some("")),
            conditions: vec![
                cond("FailureTarget", "BackoffLimitExceeded", BACKOFF_MSG),
                cond("Failed", "BackoffLimitExceeded", BACKOFF_MSG),
            ],
        },
    );

    // "job failed due to failed indexes; JobPodReplacementPolicy and
    // JobManagedBy disabled" / "...; JobManagedBy enabled"
    let pods = vec![
        ip("a", "0", "Failed").failure_count(1).build(),
        ip("b", "1", "Succeeded").failure_count(0).build(),
    ];
    for (name, config, want_conds) in [
        (
            "failed indexes, gates off",
            gates(false, false),
            vec![cond("Failed", "FailedIndexes", FAILED_INDEXES_MSG)],
        ),
        (
            "failed indexes, JobManagedBy",
            gates(false, true),
            vec![
                cond("FailureTarget", "FailedIndexes", FAILED_INDEXES_MSG),
                cond("Failed", "FailedIndexes", FAILED_INDEXES_MSG),
            ],
        ),
    ] {
        let (_, first, last) = sync_cfg(&blpi_job(2, json!({})), &pods, base(), &config);
        check(
            name,
            &first,
            &last.status.clone().unwrap_or_default(),
            Want {
                failed: 1,
                succeeded: 1,
                terminating: None,
                completed: "1",
                failed_indexes: Some(Some("0")),
                conditions: want_conds,
            },
        );
    }

    // "job failed due to exceeding max failed indexes; JobManagedBy enabled"
    let j = blpi_job(4, json!({"maxFailedIndexes": 1}));
    let pods = vec![
        ip("a", "0", "Failed").failure_count(1).build(),
        ip("b", "1", "Succeeded").failure_count(0).build(),
        ip("c", "2", "Failed").failure_count(1).build(),
        ip("d", "3", "Running").failure_count(0).build(),
    ];
    let (first_actions, first, last) = sync_cfg(&j, &pods, base(), &gates(false, true));
    assert_eq!(deleted(&first_actions), ["d"]);
    check(
        "max failed indexes, JobManagedBy",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 3,
            succeeded: 1,
            terminating: None,
            completed: "1",
            failed_indexes: Some(Some("0,2")),
            conditions: vec![cond("FailureTarget", "MaxFailedIndexesExceeded", MAX_FAILED_MSG)],
        },
    );

    // "job failed due to exceeding max failed indexes; JobPodReplacementPolicy
    // and JobManagedBy disabled": upstream writes Failed in the sync that
    // deletes d; here (DECISIONS job.md Q3) Failed waits for a reconcile
    // that sees d deleted, which then counts it as failed.
    let off = gates(false, false);
    let first_actions =
        reconcile_with(&j, &Observed { pods: &pods, memory: &JobMemory::default() }, base(), &off);
    assert_eq!(deleted(&first_actions), ["d"]);
    let mut after = j.clone();
    let mut seen = pods.clone();
    apply_tracking(&mut after, &mut seen, &first_actions);
    assert!(conds(&after.status.clone().unwrap_or_default()).iter().all(|c| c.0 != "Failed"));
    if let Some(d) = seen.iter_mut().find(|p| p.metadata.name() == "d") {
        d.metadata.deletion_timestamp = Some(base());
    }
    let (_, first, last) = sync_cfg(&after, &seen, base(), &off);
    check(
        "max failed indexes, gates off",
        &first,
        &last.status.clone().unwrap_or_default(),
        Want {
            failed: 3,
            succeeded: 1,
            terminating: None,
            completed: "1",
            failed_indexes: Some(Some("0,2")),
            conditions: vec![cond("Failed", "MaxFailedIndexesExceeded", MAX_FAILED_MSG)],
        },
    );
}

fn on_failure_job(parallelism: i32, completions: i32, backoff_limit: i32, suspend: bool) -> Job {
    job(json!({"parallelism": parallelism, "completions": completions, "backoffLimit": backoff_limit,
        "suspend": suspend,
        "template": {"metadata": {"labels": {"batch.kubernetes.io/controller-uid": JOB_UID}},
                     "spec": {"restartPolicy": "OnFailure", "containers": [{"name": "main", "image": "x"}]}}}))
}

// upstream: job_controller_test.go TestJobBackoffForOnFailure — the rows
// with JobPodReplacementPolicy or JobManagedBy enabled (the default here),
// and the rows whose outcome does not depend on those gates (case names
// quoted).
#[test]
fn job_backoff_for_on_failure_default_gates() {
    let with_restarts = |phase: &str, counts: &[i32]| -> Vec<Pod> {
        counts
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let p = P::new(&format!("p{i}")).restarts(*n);
                match phase {
                    "Running" => p.running(),
                    "Pending" => p,
                    _ => p.succeeded(),
                }
                .build()
            })
            .collect()
    };
    let target = vec![cond("FailureTarget", "BackoffLimitExceeded", BACKOFF_MSG)];
    // "too many job failures with podRunning - multiple pods; JobPodReplacementPolicy enabled"
    // (and the same with JobManagedBy enabled, and with the pods Pending)
    for (name, config, phase) in [
        ("running, PRP", gates(true, false), "Running"),
        ("running, JobManagedBy", gates(false, true), "Running"),
        ("pending, defaults", gates(true, true), "Pending"),
    ] {
        let (first_actions, first, last) =
            sync_cfg(&on_failure_job(2, 5, 2, false), &with_restarts(phase, &[1, 1]), base(), &config);
        let st = last.status.clone().unwrap_or_default();
        assert_eq!(deleted(&first_actions).len(), 2, "{name}");
        assert_eq!((first.active, st.succeeded, st.failed), (None, None, Some(2)), "{name}");
        assert_eq!(conds(&st), target, "{name}");
    }
    // "not enough failures"
    let (_, first, last) = sync_cfg(
        &on_failure_job(2, 5, 3, false),
        &with_restarts("Running", &[1, 1]),
        base(),
        &gates(true, true),
    );
    assert_eq!((first.active, last.status.clone().unwrap_or_default().conditions), (Some(2), None));
    // "suspending a job"
    let (first_actions, first, last) = sync_cfg(
        &on_failure_job(2, 4, 6, true),
        &with_restarts("Running", &[1, 1]),
        base(),
        &gates(true, true),
    );
    assert_eq!(deleted(&first_actions).len(), 2);
    let st = last.status.clone().unwrap_or_default();
    assert_eq!((first.active, st.failed), (None, None));
    assert_eq!(conds(&st), vec![cond("Suspended", "JobSuspended", "Job suspended")]);
    // "finished job; JobPodReplacementPolicy enabled" / "...; JobManagedBy enabled"
    for config in [gates(true, false), gates(false, true)] {
        let (_, _, last) = sync_cfg(
            &on_failure_job(2, 4, 6, true),
            &with_restarts("Succeeded", &[1, 1, 2, 0]),
            base(),
            &config,
        );
        let st = last.status.clone().unwrap_or_default();
        assert_eq!((st.active, st.succeeded, st.failed), (None, Some(4), None));
        assert_eq!(
            conds(&st),
            vec![
                cond("SuccessCriteriaMet", "CompletionsReached", REACHED),
                cond("Complete", "CompletionsReached", REACHED),
            ]
        );
    }
}

// upstream: job_controller_test.go TestEnsureJobConditions — upstream's
// ensureJobConditionStatus on the Suspended condition, which reconcile
// calls for a suspended (True, JobSuspended) or running (False,
// JobResumed) Job (case names quoted).
#[test]
fn ensure_job_conditions_through_reconcile() {
    let now = base();
    let earlier = now.add_seconds(-600);
    let with_suspended = |suspend: bool, cond: Option<(&str, &str)>| {
        let j = job(json!({"suspend": suspend, "parallelism": 1, "completions": 1}));
        match cond {
            None => j,
            Some((status, reason)) => with_status(
                j,
                json!({"conditions": [{"type": "Suspended", "status": status, "reason": reason,
                    "message": "Job suspended", "lastTransitionTime": earlier.to_string()}]}),
            ),
        }
    };
    let suspended_of = |actions: &[Action]| {
        status_of(actions)
            .and_then(|s| s.conditions)
            .unwrap_or_default()
            .into_iter()
            .find(|c| c.type_ == "Suspended")
            .map(|c| (c.status.to_string(), c.reason.unwrap_or_default(), c.last_transition_time))
    };
    // "append true condition"
    let a = run(&with_suspended(true, None), &[], &JobMemory::default(), now);
    assert_eq!(suspended_of(&a), Some(("True".into(), "JobSuspended".into(), Some(now))));
    assert_eq!(events(&a), ["Normal Suspended"]);
    // "append false condition": a running Job gets no Suspended=False.
    let a = run(&with_suspended(false, None), &[], &JobMemory::default(), now);
    assert_eq!(suspended_of(&a), None);
    assert!(status_of(&a).is_some());
    // "update true condition reason"
    let a = run(&with_suspended(true, Some(("True", "foo"))), &[], &JobMemory::default(), now);
    assert_eq!(suspended_of(&a), Some(("True".into(), "JobSuspended".into(), Some(now))));
    // "update true condition status"
    let a = run(&with_suspended(false, Some(("True", "JobSuspended"))), &[], &JobMemory::default(), now);
    assert_eq!(suspended_of(&a), Some(("False".into(), "JobResumed".into(), Some(now))));
    assert_eq!(events(&a), ["Normal Resumed"]);
    // "update false condition status"
    let a = run(&with_suspended(true, Some(("False", "JobSuspended"))), &[], &JobMemory::default(), now);
    assert_eq!(suspended_of(&a), Some(("True".into(), "JobSuspended".into(), Some(now))));
    // "condition already exists": unchanged, its transition time kept, no
    // event.
    let j = with_status(
        with_suspended(true, Some(("True", "JobSuspended"))),
        json!({"startTime": earlier.to_string(), "ready": 0, "conditions": [{"type": "Suspended", "status": "True",
            "reason": "JobSuspended", "message": "Job suspended", "lastTransitionTime": earlier.to_string()}]}),
    );
    let a = run(&j, &[], &JobMemory::default(), now);
    let kept = status_of(&a).unwrap_or_else(|| j.status.clone().unwrap_or_default());
    let c = kept.conditions.unwrap_or_default();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].last_transition_time, Some(earlier));
    assert!(events(&a).is_empty());
}
