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
        vec!["status.conditions: Invalid value: []: cannot remove the terminal condition of a finished Job"]
    );
    let fewer = job(json!({"succeeded": 4, "conditions": [{"type": "Complete", "status": "True"}]}));
    assert_eq!(
        errs(validation::validate_status_update(&finished, &fewer)),
        vec!["status.succeeded: Invalid value: 4: cannot decrease from 5"]
    );
}
