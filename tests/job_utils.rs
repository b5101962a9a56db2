//! Job helpers: tables mirroring kubernetes/kubernetes
//! pkg/controller/job/indexed_job_utils_test.go, backoff_utils_test.go,
//! pod_failure_policy_test.go and success_policy_test.go (each case cites
//! its upstream test function; quoted case descriptions paraphrase
//! upstream's).

mod job_support;

use std::time::Duration;

use job_support::*;
use kube_workloads::api::{PodFailurePolicy, PodFailurePolicyAction, SuccessPolicy};
use kube_workloads::controller::job::{
    BackoffRecord, Indexes, finished_time, generate_name_with_index, match_pod_failure_policy,
    match_success_policy, remaining_for_failures,
};
use serde_json::json;

// upstream: indexed_job_utils_test.go: TestParseIndexesFromString
#[test]
fn parse_indexes_from_string() {
    let cases: &[(&str, i32, &str, i64)] = &[
        ("", 5, "", 0),
        ("1", 5, "1", 1),
        ("1-3", 5, "1-3", 3),
        ("0,1-3,5", 6, "0-3,5", 5),
        // a corrupted part is skipped
        ("0,a,2-x,4", 5, "0,4", 2),
        // parsing stops at the first part at or beyond completions
        ("0,5,1", 5, "0", 1),
        // an end beyond completions is clipped
        ("2-9", 5, "2-4", 3),
        // adjacent parts are merged
        ("1,2,3,5-6,7", 10, "1-3,5-7", 6),
        ("3", 0, "", 0),
        ("4,5", 6, "4,5", 2),
    ];
    for (input, completions, want, total) in cases {
        let ix = Indexes::parse(input, *completions);
        assert_eq!(ix.to_string(), *want, "parse {input:?} / {completions}");
        assert_eq!(ix.total(), *total, "total of {input:?}");
    }
}

// upstream: indexed_job_utils_test.go: TestCalculateSucceededIndexes
// (formatting of the interval string, pitfall 3)
#[test]
fn interval_string_format() {
    let cases: &[(&[i32], &str)] = &[
        (&[], ""),
        (&[4, 5], "4,5"),
        (&[3, 4, 5], "3-5"),
        (&[1, 3, 4, 5, 7], "1,3-5,7"),
        (&[0, 0, 1, 1, 9], "0,1,9"),
    ];
    for (ixs, want) in cases {
        assert_eq!(Indexes::from_sorted(ixs).to_string(), *want);
    }
    let prev = Indexes::parse("1,3-5", 10);
    assert_eq!(prev.with_sorted(&[2, 6, 9]).to_string(), "1-6,9");
    assert_eq!(prev.merge(&Indexes::parse("0,7", 10)).to_string(), "0,1,3-5,7");
}

// upstream: indexed_job_utils_test.go: TestIntervalsHaveIndex
#[test]
fn intervals_have_index() {
    let ix = Indexes::parse("0-2,5,7-9", 10);
    for (i, want) in
        [(0, true), (2, true), (3, false), (5, true), (6, false), (9, true), (10, false), (-1, false)]
    {
        assert_eq!(ix.contains(i), want, "index {i}");
    }
    assert!(!Indexes::new().contains(0));
}

// upstream: indexed_job_utils_test.go: TestFirstPendingIndexes
#[test]
fn first_pending_indexes() {
    let cases: &[(&str, usize, i32, &[i32])] = &[
        ("", 3, 5, &[0, 1, 2]),
        ("", 10, 5, &[0, 1, 2, 3, 4]),
        ("0-2", 2, 5, &[3, 4]),
        ("1,3", 3, 5, &[0, 2, 4]),
        ("0-4", 3, 5, &[]),
        ("2-3", 5, 10, &[0, 1, 4, 5, 6]),
    ];
    for (non_pending, count, completions, want) in cases {
        let got = Indexes::parse(non_pending, *completions).first_missing(*count, *completions);
        assert_eq!(got, *want, "{non_pending:?} count {count}");
    }
    // Huge completions do not allocate in proportion.
    let got = Indexes::parse("0-2147483640", i32::MAX).first_missing(500, i32::MAX);
    assert_eq!(got, (2147483641..i32::MAX).collect::<Vec<_>>());
}

// upstream: indexed_job_utils_test.go: TestPodGenerateNameWithIndex
#[test]
fn pod_generate_name_with_index() {
    assert_eq!(generate_name_with_index("job", 1), "job-1-");
    let long = "a".repeat(57);
    let got = generate_name_with_index(&long, 1);
    assert_eq!(got.len(), 58);
    assert!(got.ends_with("-1-"));
    let got = generate_name_with_index(&"b".repeat(70), 12345);
    assert_eq!(got, format!("{}-12345-", "b".repeat(51)));
}

// upstream: backoff_utils_test.go: TestNewBackoffRecord
#[test]
fn new_backoff_record() {
    let t0 = base();
    let empty = BackoffRecord::default();
    // "Empty backoff update"
    assert_eq!(empty.updated(vec![], vec![]), empty);
    // "Success only"
    let r = BackoffRecord { failures_after_last_success: 3, last_failure_time: Some(t0) };
    assert_eq!(r.updated(vec![t0.add_seconds(1)], vec![]), BackoffRecord::default());
    // "Failure only"
    let got = empty.updated(vec![], vec![t0.add_seconds(1), t0.add_seconds(3), t0.add_seconds(2)]);
    assert_eq!(
        got,
        BackoffRecord { failures_after_last_success: 3, last_failure_time: Some(t0.add_seconds(3)) }
    );
    // "Failures and success": only failures after the last success count.
    let got =
        r.updated(vec![t0.add_seconds(5)], vec![t0.add_seconds(4), t0.add_seconds(6), t0.add_seconds(7)]);
    assert_eq!(
        got,
        BackoffRecord { failures_after_last_success: 2, last_failure_time: Some(t0.add_seconds(7)) }
    );
    // "Failures before success": reset.
    let got = r.updated(vec![t0.add_seconds(9)], vec![t0.add_seconds(4), t0.add_seconds(9)]);
    assert_eq!(got, BackoffRecord::default());
    // "Failures accumulate across syncs"
    let got = got.updated(vec![], vec![t0.add_seconds(20)]).updated(vec![], vec![t0.add_seconds(30)]);
    assert_eq!(
        got,
        BackoffRecord { failures_after_last_success: 2, last_failure_time: Some(t0.add_seconds(30)) }
    );
}

// upstream: backoff_utils_test.go: TestGetRemainingBackoffTime
#[test]
fn remaining_backoff_time() {
    let t0 = base();
    let cases: &[(i32, i64, u64)] = &[
        // (failures, seconds since the last failure, remaining seconds)
        (0, 0, 0),
        (1, 0, 10),
        (1, 1, 9),
        (1, 10, 0),
        (1, 11, 0),
        (2, 1, 19),
        (3, 5, 35),
        (7, 0, 600), // 10 * 2^6 = 640 capped at 600
        (100, 0, 600),
        (i32::MAX, 599, 1),
    ];
    for (failures, since, want) in cases {
        let got = remaining_for_failures(*failures, Some(t0), t0.add_seconds(*since));
        assert_eq!(got, Duration::from_secs(*want), "failures {failures} since {since}");
    }
    assert_eq!(remaining_for_failures(3, None, t0), Duration::ZERO);
}

// upstream: backoff_utils_test.go: TestGetFinishedTime
#[test]
fn get_finished_time() {
    let t0 = base();
    // "Pod with multiple containers and all containers terminated": the latest.
    let p = P::new("a").failed().exit("a", 1, t0.add_seconds(1)).exit("b", 1, t0.add_seconds(3)).build();
    assert_eq!(finished_time(&p), Some(t0.add_seconds(3)));
    // "Pod with Ready=False condition" when a container has not terminated.
    let mut p = P::new("b").failed().exit("a", 1, t0).build();
    if let Some(st) = p.status.as_mut() {
        st.container_statuses.get_or_insert_default().push(Default::default());
        st.conditions.get_or_insert_default().push(kube_workloads::api::Condition {
            type_: "Ready".into(),
            status: kube_workloads::api::ConditionStatus::False,
            last_transition_time: Some(t0.add_seconds(7)),
            ..Default::default()
        });
    }
    assert_eq!(finished_time(&p), Some(t0.add_seconds(7)));
    // "Pod with deletionTimestamp": minus the grace period.
    let mut p = P::new("c").deleting(t0.add_seconds(30)).build();
    p.metadata.deletion_grace_period_seconds = Some(30);
    assert_eq!(finished_time(&p), Some(t0));
    // "fallback to creation time"
    let p = P::new("d").failed().build();
    assert_eq!(finished_time(&p), p.metadata.creation_timestamp);
    // getFinishTimeFromContainers' sidecar pass starts from the regular
    // pass's result, nothing when a regular container has not terminated:
    // sidecars that all finished then give their latest time, before the
    // Ready=False fallback.
    let mut p = P::new("e").failed().build();
    p.spec.get_or_insert_default().init_containers =
        Some(vec![serde_json::from_value(json!({"name": "proxy", "restartPolicy": "Always"})).unwrap()]);
    if let Some(st) = p.status.as_mut() {
        st.container_statuses = Some(vec![
            serde_json::from_value(json!({"name": "main", "ready": false, "restartCount": 0,
                "image": "", "state": {"waiting": {"reason": "ImagePullBackOff"}}}))
            .unwrap(),
        ]);
        st.init_container_statuses = Some(vec![
            serde_json::from_value(json!({"name": "proxy", "ready": false, "restartCount": 0,
                "image": "", "state": {"terminated": {"exitCode": 0, "finishedAt": "2024-06-01T00:01:40Z"}}}))
            .unwrap(),
        ]);
        st.conditions.get_or_insert_default().push(kube_workloads::api::Condition {
            type_: "Ready".into(),
            status: kube_workloads::api::ConditionStatus::False,
            last_transition_time: Some(t0),
            ..Default::default()
        });
    }
    assert_eq!(finished_time(&p), "2024-06-01T00:01:40Z".parse().ok());
}

fn policy(rules: serde_json::Value) -> PodFailurePolicy {
    serde_json::from_value(json!({"rules": rules})).expect("policy")
}

// upstream: pod_failure_policy_test.go: TestMatchPodFailurePolicy
#[test]
fn match_pod_failure_policy_table() {
    let t0 = base();
    let failed = |code: i32| P::new("p").failed().exit("main", code, t0).build();
    // "unknown action for exit codes is skipped" then the next rule applies
    let p = policy(json!([
        {"action": "UnknownAction", "onExitCodes": {"operator": "In", "values": [1]}},
        {"action": "Ignore", "onExitCodes": {"operator": "In", "values": [1]}}
    ]));
    let m = match_pod_failure_policy(Some(&p), &failed(1));
    assert_eq!((m.action, m.count_failed), (Some(PodFailurePolicyAction::Ignore), false));
    // "unknown operator never matches"
    let p = policy(json!([{"action": "FailJob", "onExitCodes": {"operator": "Between", "values": [1]}}]));
    let m = match_pod_failure_policy(Some(&p), &failed(1));
    assert_eq!((m.action, m.count_failed), (None, true));
    // "first rule wins"
    let p = policy(json!([
        {"action": "Count", "onExitCodes": {"operator": "In", "values": [2]}},
        {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [2]}}
    ]));
    assert_eq!(match_pod_failure_policy(Some(&p), &failed(2)).action, Some(PodFailurePolicyAction::Count));
    // "FailIndex counts"
    let p = policy(json!([{"action": "FailIndex", "onExitCodes": {"operator": "In", "values": [3]}}]));
    let m = match_pod_failure_policy(Some(&p), &failed(3));
    assert_eq!((m.action, m.count_failed), (Some(PodFailurePolicyAction::FailIndex), true));
    // "init container exit code matches when no regular container does"
    let mut pod = P::new("p").failed().build();
    if let Some(st) = pod.status.as_mut() {
        st.init_container_statuses = failed(9).status.and_then(|s| s.container_statuses);
    }
    let p = policy(json!([{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [9]}}]));
    let m = match_pod_failure_policy(Some(&p), &pod);
    assert!(m.fail_job_message.is_some_and(|s| s.contains("exit code 9")));
    // "pod condition with status False matches a False pattern only"
    let pod = P::new("p").failed().build();
    let p = policy(json!([{"action": "Ignore", "onPodConditions": [{"type": "Ready", "status": "False"}]}]));
    assert_eq!(match_pod_failure_policy(Some(&p), &pod).action, None);
    // no policy: counted
    assert!(match_pod_failure_policy(None, &pod).count_failed);
}

fn success(rules: serde_json::Value) -> SuccessPolicy {
    serde_json::from_value(json!({"rules": rules})).expect("policy")
}

// upstream: success_policy_test.go: TestMatchSuccessPolicy
#[test]
fn match_success_policy_table() {
    let s = |x: &str| Indexes::parse(x, 10);
    let cases: Vec<(serde_json::Value, &str, Option<&str>)> = vec![
        // "successPolicy is null" handled below; "any succeededIndexes and no succeeded indexes"
        (json!([{"succeededIndexes": "0-2"}]), "", None),
        // "rule.succeededIndexes is matched"
        (json!([{"succeededIndexes": "0-2"}]), "0-3", Some("Matched rules at index 0")),
        (json!([{"succeededIndexes": "0-2"}]), "0,2", None),
        // "rule.succeededCount is matched"
        (json!([{"succeededCount": 2}]), "1,7", Some("Matched rules at index 0")),
        (json!([{"succeededCount": 3}]), "1,7", None),
        // "multiple rules; the second matches"
        (
            json!([{"succeededIndexes": "9"}, {"succeededIndexes": "1-2,5", "succeededCount": 2}]),
            "2,5",
            Some("Matched rules at index 1"),
        ),
        // "rule.succeededIndexes and succeededCount overlapping intervals"
        (
            json!([{"succeededIndexes": "0-4,6-8", "succeededCount": 6}]),
            "1-7",
            Some("Matched rules at index 0"),
        ),
        (json!([{"succeededIndexes": "0-4,6-8", "succeededCount": 6}]), "3-7", None),
        // "rule with indexes beyond completions only" is skipped
        (json!([{"succeededIndexes": "12-15"}]), "0-9", None),
    ];
    for (rules, succeeded, want) in cases {
        let p = success(rules.clone());
        assert_eq!(
            match_success_policy(Some(&p), 10, &s(succeeded)).as_deref(),
            want,
            "{rules} / {succeeded}"
        );
    }
    assert_eq!(match_success_policy(None, 10, &s("0-9")), None);
}
