//! Status validation (`validate_status`, `validate_status_update`).
//!
//! upstream: AV TestValidateDeploymentStatus, TestValidateReplicaSetStatus,
//! TestValidateStatefulSetStatus, TestValidateDaemonSetStatusUpdate,
//! TestValidateDeploymentStatusUpdate (collisionCount); CV
//! TestValidateReplicationControllerStatus; BV TestValidateJobUpdateStatus.

use kube_workloads::api::Object;
use kube_workloads::validation;
use serde_json::{Value, json};

fn obj(api_version: &str, kind: &str, status: Value) -> Object {
    Object::from_value(
        json!({"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}, "status": status}),
    )
    .expect("decodes")
}

fn errs(r: Result<(), validation::ValidationErrors>) -> Vec<String> {
    r.err().map(|e| e.errors.iter().map(ToString::to_string).collect()).unwrap_or_default()
}

#[test]
fn replica_counts() {
    let ok = obj(
        "apps/v1",
        "ReplicaSet",
        json!({"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 2, "availableReplicas": 1}),
    );
    assert_eq!(errs(validation::validate_status(&ok)), Vec::<String>::new());
    let bad =
        obj("apps/v1", "ReplicaSet", json!({"replicas": 1, "readyReplicas": 2, "availableReplicas": 3}));
    assert_eq!(
        errs(validation::validate_status(&bad)),
        vec![
            "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 3: cannot be greater than readyReplicas",
        ]
    );
    let neg = obj("v1", "ReplicationController", json!({"replicas": -1}));
    assert_eq!(
        errs(validation::validate_status(&neg)),
        vec!["status.replicas: Invalid value: -1: must be greater than or equal to 0"]
    );
    let d =
        obj("apps/v1", "Deployment", json!({"replicas": 2, "updatedReplicas": 3, "unavailableReplicas": -1}));
    assert_eq!(
        errs(validation::validate_status(&d)),
        vec![
            "status.unavailableReplicas: Invalid value: -1: must be greater than or equal to 0",
            "status.updatedReplicas: Invalid value: 3: cannot be greater than status.replicas",
        ]
    );
    let ss = obj("apps/v1", "StatefulSet", json!({"replicas": 1, "currentReplicas": 2}));
    assert_eq!(
        errs(validation::validate_status(&ss)),
        vec!["status.currentReplicas: Invalid value: 2: cannot be greater than status.replicas"]
    );
    let ds = obj(
        "apps/v1",
        "DaemonSet",
        json!({"currentNumberScheduled": -1, "numberMisscheduled": 0, "desiredNumberScheduled": 0}),
    );
    assert_eq!(
        errs(validation::validate_status(&ds)),
        vec!["status.currentNumberScheduled: Invalid value: -1: must be greater than or equal to 0"]
    );
}

#[test]
fn collision_count_may_not_decrease() {
    for (api, kind, base) in [
        ("apps/v1", "Deployment", json!({})),
        ("apps/v1", "StatefulSet", json!({"replicas": 0})),
        (
            "apps/v1",
            "DaemonSet",
            json!({"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0}),
        ),
    ] {
        let with = |n: i64| {
            let mut s = base.clone();
            s["collisionCount"] = json!(n);
            obj(api, kind, s)
        };
        assert_eq!(
            errs(validation::validate_status_update(&with(1), &with(2))),
            Vec::<String>::new(),
            "{kind}"
        );
        assert_eq!(
            errs(validation::validate_status_update(&with(2), &with(1))),
            vec!["status.collisionCount: Invalid value: 1: cannot be decremented"],
            "{kind}"
        );
    }
}

fn job(status: Value) -> Object {
    Object::from_value(json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
        "spec": {"completionMode": "Indexed", "completions": 5, "template": {"spec": {"containers": []}}}, "status": status}))
    .expect("decodes")
}

#[test]
fn job_status() {
    assert_eq!(
        errs(validation::validate_status(&job(json!({"active": 1, "completedIndexes": "0-2,4"})))),
        Vec::<String>::new()
    );
    assert_eq!(
        errs(validation::validate_status(&job(json!({"active": -1, "completedIndexes": "4,2"})))),
        vec![
            "status.active: Invalid value: -1: must be greater than or equal to 0",
            "status.completedIndexes: Invalid value: \"4,2\": error parsing completedIndexes: non-increasing order, previous: 4, current: 2",
        ]
    );
    assert_eq!(
        errs(validation::validate_status(&job(
            json!({"uncountedTerminatedPods": {"succeeded": ["a", ""], "failed": ["a"]}})
        ))),
        vec![
            "status.uncountedTerminatedPods.succeeded[1]: Invalid value: \"\": must not be empty",
            "status.uncountedTerminatedPods.failed[0]: Duplicate value: \"a\"",
        ]
    );
    let finished = job(json!({"succeeded": 5, "conditions": [{"type": "Complete", "status": "True"}]}));
    let reopened = job(json!({"succeeded": 5, "conditions": []}));
    assert_eq!(
        errs(validation::validate_status_update(&finished, &reopened)),
        vec!["status.conditions: Invalid value: cannot disable the terminal Complete=True condition"]
    );
    let fewer = job(json!({"succeeded": 4, "conditions": [{"type": "Complete", "status": "True"}]}));
    assert_eq!(
        errs(validation::validate_status_update(&finished, &fewer)),
        vec!["status.succeeded: Invalid value: 4: cannot decrease the succeeded counter"]
    );
}

fn job_with(spec: Value, status: Value) -> Object {
    let mut full = json!({"template": {"spec": {"containers": []}}});
    if let (Some(f), Some(s)) = (full.as_object_mut(), spec.as_object()) {
        f.extend(s.clone());
    }
    Object::from_value(json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"},
        "spec": full, "status": status}))
    .expect("decodes")
}

const START: &str = "2024-05-01T12:00:00Z";
const DONE: &str = "2024-05-01T12:10:00Z";

// upstream: BV TestValidateJobUpdateStatus (the JobStatusValidationOptions
// the status strategy sets with JobManagedBy on)
#[test]
fn job_status_update_rules() {
    let spec = json!({"completions": 5, "parallelism": 2});
    let running = job_with(spec.clone(), json!({"startTime": START, "active": 2, "succeeded": 3}));
    let cases: Vec<(&str, Object, Object, Vec<&str>)> = vec![
        (
            "completes",
            running.clone(),
            job_with(
                spec.clone(),
                json!({"startTime": START, "completionTime": DONE, "succeeded": 5,
                "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]}),
            ),
            vec![],
        ),
        (
            "complete without times",
            job_with(spec.clone(), json!({"active": 1})),
            job_with(
                spec.clone(),
                json!({"succeeded": 5, "conditions": [{"type": "Complete", "status": "True"}]}),
            ),
            vec![
                "status.completionTime: Required value: completionTime is required for Complete jobs",
                "status.startTime: Required value: startTime is required for finished job",
            ],
        ),
        (
            "completionTime without Complete",
            running.clone(),
            job_with(
                spec.clone(),
                json!({"startTime": START, "completionTime": DONE, "active": 2, "succeeded": 3}),
            ),
            vec![
                "status.completionTime: Invalid value: 2024-05-01 12:10:00 +0000 UTC: cannot set completionTime when there is no Complete=True condition",
            ],
        ),
        (
            "completionTime before startTime",
            running.clone(),
            job_with(
                spec.clone(),
                json!({"startTime": DONE, "completionTime": START, "succeeded": 5,
                "conditions": [{"type": "Complete", "status": "True"}]}),
            ),
            vec![
                "status.completionTime: Invalid value: 2024-05-01 12:00:00 +0000 UTC: completionTime cannot be set before startTime",
                "status.startTime: Required value: startTime cannot be removed for unsuspended job",
            ],
        ),
        (
            "Complete and Failed",
            running.clone(),
            job_with(
                spec.clone(),
                json!({"startTime": START, "completionTime": DONE, "succeeded": 3,
                "conditions": [{"type": "Complete", "status": "True"}, {"type": "FailureTarget", "status": "True"},
                               {"type": "Failed", "status": "True"}]}),
            ),
            vec![
                "status.conditions: Invalid value: cannot set Complete=True and Failed=true conditions",
                "status.conditions: Invalid value: cannot set Complete=True and FailureTarget=true conditions",
            ],
        ),
        (
            "finished with active pods and uncounted pods",
            running.clone(),
            job_with(
                spec.clone(),
                json!({"startTime": START, "active": 2, "succeeded": 3,
                "uncountedTerminatedPods": {"failed": ["uid-1"]},
                "conditions": [{"type": "FailureTarget", "status": "True"}, {"type": "Failed", "status": "True"}]}),
            ),
            vec![
                "status.active: Invalid value: 2: active>0 is invalid for finished job",
                "status.uncountedTerminatedPods: Invalid value: {\"failed\":[\"uid-1\"]}: uncountedTerminatedPods needs to be empty for finished job",
            ],
        ),
        (
            "terminal condition removed, counters decreased",
            job_with(
                spec.clone(),
                json!({"startTime": START, "failed": 2, "succeeded": 3,
                "conditions": [{"type": "FailureTarget", "status": "True"}, {"type": "Failed", "status": "True"}]}),
            ),
            job_with(
                spec.clone(),
                json!({"startTime": START, "failed": 1, "succeeded": 2,
                "conditions": [{"type": "FailureTarget", "status": "True"}]}),
            ),
            vec![
                "status.conditions: Invalid value: cannot disable the terminal Failed=True condition",
                "status.failed: Invalid value: 1: cannot decrease the failed counter",
                "status.succeeded: Invalid value: 2: cannot decrease the succeeded counter",
            ],
        ),
        (
            "elastic indexed job may lose successes",
            job_with(
                json!({"completionMode": "Indexed", "completions": 4, "parallelism": 4}),
                json!({"startTime": START, "succeeded": 4, "completedIndexes": "0-3"}),
            ),
            job_with(
                json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2}),
                json!({"startTime": START, "succeeded": 2, "completedIndexes": "0-1"}),
            ),
            vec![],
        ),
        (
            "completionTime mutated",
            job_with(
                spec.clone(),
                json!({"startTime": START, "completionTime": DONE, "succeeded": 5,
                "conditions": [{"type": "Complete", "status": "True"}]}),
            ),
            job_with(
                spec.clone(),
                json!({"startTime": START, "completionTime": "2024-05-01T12:20:00Z", "succeeded": 5,
                "conditions": [{"type": "Complete", "status": "True"}]}),
            ),
            vec![
                "status.completionTime: Invalid value: 2024-05-01 12:20:00 +0000 UTC: completionTime cannot be mutated",
            ],
        ),
        (
            "startTime may change while suspended",
            running.clone(),
            job_with(json!({"completions": 5, "parallelism": 2, "suspend": true}), json!({"succeeded": 3})),
            vec![],
        ),
        (
            "failedIndexes without backoffLimitPerIndex",
            job_with(json!({"completionMode": "Indexed", "completions": 5}), json!({"startTime": START})),
            job_with(
                json!({"completionMode": "Indexed", "completions": 5}),
                json!({"startTime": START, "failedIndexes": "1"}),
            ),
            vec![
                "status.failedIndexes: Invalid value: \"1\": cannot set non-null failedIndexes when backoffLimitPerIndex is null",
            ],
        ),
        (
            "failedIndexes overlap completedIndexes",
            job_with(
                json!({"completionMode": "Indexed", "completions": 5, "backoffLimitPerIndex": 1}),
                json!({"startTime": START}),
            ),
            job_with(
                json!({"completionMode": "Indexed", "completions": 5, "backoffLimitPerIndex": 1}),
                json!({"startTime": START, "completedIndexes": "0-2", "failedIndexes": "2,4"}),
            ),
            vec![
                "status.failedIndexes: Invalid value: \"2,4\": failedIndexes and completedIndexes overlap at index: 2",
            ],
        ),
        (
            "completedIndexes on a NonIndexed job",
            running.clone(),
            job_with(
                spec.clone(),
                json!({"startTime": START, "active": 2, "succeeded": 3, "completedIndexes": "0"}),
            ),
            vec![
                "status.completedIndexes: Invalid value: \"0\": cannot set non-empty completedIndexes when non-indexed completion mode",
            ],
        ),
        (
            "SuccessCriteriaMet removed",
            job_with(
                spec.clone(),
                json!({"startTime": START, "succeeded": 5,
                "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}]}),
            ),
            job_with(spec.clone(), json!({"startTime": START, "succeeded": 5, "conditions": []})),
            vec!["status.conditions: Invalid value: cannot disable the SuccessCriteriaMet=True condition"],
        ),
        (
            "SuccessCriteriaMet with Failed",
            running.clone(),
            job_with(
                spec.clone(),
                json!({"startTime": START, "succeeded": 3, "conditions": [
                {"type": "SuccessCriteriaMet", "status": "True"}, {"type": "FailureTarget", "status": "True"}]}),
            ),
            vec![
                "status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and FailureTarget=true conditions",
            ],
        ),
        (
            "success policy needs SuccessCriteriaMet",
            job_with(
                json!({"completionMode": "Indexed", "completions": 5,
                "successPolicy": {"rules": [{"succeededCount": 1}]}}),
                json!({"startTime": START}),
            ),
            job_with(
                json!({"completionMode": "Indexed", "completions": 5,
                "successPolicy": {"rules": [{"succeededCount": 1}]}}),
                json!({"startTime": START, "completionTime": DONE, "conditions": [{"type": "Complete", "status": "True"}]}),
            ),
            vec![
                "status.conditions: Invalid value: cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True",
            ],
        ),
    ];
    let mut bad = Vec::new();
    for (name, old, new, expected) in cases {
        let got = errs(validation::validate_status_update(&old, &new));
        if got != expected {
            bad.push(format!("{name}: expected {expected:#?}\n    got {got:#?}"));
        }
    }
    assert!(bad.is_empty(), "{} cases failed:\n{}", bad.len(), bad.join("\n"));
}
