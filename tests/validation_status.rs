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

// The StatefulSet's own texts and the order each kind checks its counts in
// (upstream: ValidateStatefulSetStatus, ValidateReplicaSetStatus with
// terminatingReplicas, validateDaemonSetStatus).
#[test]
fn status_texts_and_order_per_kind() {
    let ss = obj(
        "apps/v1",
        "StatefulSet",
        json!({"replicas": 3, "readyReplicas": 1, "availableReplicas": 2,
        "collisionCount": -1, "observedGeneration": -1}),
    );
    assert_eq!(
        errs(validation::validate_status(&ss)),
        vec![
            "status.observedGeneration: Invalid value: -1: must be greater than or equal to 0",
            "status.collisionCount: Invalid value: -1: must be greater than or equal to 0",
            "status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas",
        ]
    );
    let rs = obj(
        "apps/v1",
        "ReplicaSet",
        json!({"replicas": 1, "fullyLabeledReplicas": 2, "terminatingReplicas": -1}),
    );
    assert_eq!(
        errs(validation::validate_status(&rs)),
        vec![
            "status.terminatingReplicas: Invalid value: -1: must be greater than or equal to 0",
            "status.fullyLabeledReplicas: Invalid value: 2: cannot be greater than status.replicas",
        ]
    );
    let ds = obj(
        "apps/v1",
        "DaemonSet",
        json!({"currentNumberScheduled": 0, "numberMisscheduled": 0,
        "desiredNumberScheduled": 0, "numberReady": 0, "updatedNumberScheduled": -1, "observedGeneration": -1}),
    );
    assert_eq!(
        errs(validation::validate_status(&ds)),
        vec![
            "status.observedGeneration: Invalid value: -1: must be greater than or equal to 0",
            "status.updatedNumberScheduled: Invalid value: -1: must be greater than or equal to 0",
        ]
    );
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
    // The counts are Go int32 values: an absent one is 0 and is still
    // compared, so a negative `replicas` also reports the zero counts above
    // it (upstream: ValidateReplicationControllerStatus's `>` checks).
    let neg = obj("v1", "ReplicationController", json!({"replicas": -1}));
    assert_eq!(
        errs(validation::validate_status(&neg)),
        vec![
            "status.replicas: Invalid value: -1: must be greater than or equal to 0",
            "status.fullyLabeledReplicas: Invalid value: 0: cannot be greater than status.replicas",
            "status.readyReplicas: Invalid value: 0: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 0: cannot be greater than status.replicas",
        ]
    );
    let ready_neg = obj("apps/v1", "ReplicaSet", json!({"replicas": 2, "readyReplicas": -1}));
    assert_eq!(
        errs(validation::validate_status(&ready_neg)),
        vec![
            "status.readyReplicas: Invalid value: -1: must be greater than or equal to 0",
            "status.availableReplicas: Invalid value: 0: cannot be greater than readyReplicas",
        ]
    );
    // upstream: ValidateDeploymentStatus, ValidateStatefulSetStatus.
    let d_neg = obj("apps/v1", "Deployment", json!({"replicas": -1}));
    assert_eq!(
        errs(validation::validate_status(&d_neg)),
        vec![
            "status.replicas: Invalid value: -1: must be greater than or equal to 0",
            "status.updatedReplicas: Invalid value: 0: cannot be greater than status.replicas",
            "status.readyReplicas: Invalid value: 0: cannot be greater than status.replicas",
            "status.availableReplicas: Invalid value: 0: cannot be greater than status.replicas",
        ]
    );
    let ss_neg = obj("apps/v1", "StatefulSet", json!({"replicas": 1, "readyReplicas": -1}));
    assert_eq!(
        errs(validation::validate_status(&ss_neg)),
        vec![
            "status.readyReplicas: Invalid value: -1: must be greater than or equal to 0",
            "status.availableReplicas: Invalid value: 0: cannot be greater than status.readyReplicas",
        ]
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
                "status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition",
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
                "status.completionTime: Invalid value: \"2024-05-01T12:10:00Z\": cannot set completionTime when there is no Complete=True condition",
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
                "status.completionTime: Invalid value: \"2024-05-01T12:00:00Z\": completionTime cannot be set before startTime",
                "status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition",
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
                "status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition",
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
                "status.completionTime: Invalid value: \"2024-05-01T12:20:00Z\": completionTime cannot be mutated",
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
                "status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition",
                "status.conditions: Invalid value: cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True",
            ],
        ),
        (
            // RejectFailedJobWithoutFailureTarget.
            "Failed without FailureTarget",
            running.clone(),
            job_with(
                spec.clone(),
                json!({"startTime": START, "succeeded": 3, "failed": 1,
                "conditions": [{"type": "Failed", "status": "True"}]}),
            ),
            vec![
                "status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition",
            ],
        ),
        (
            // RejectMoreReadyThanActivePods, when ready or active changes.
            "more ready than active",
            running.clone(),
            job_with(spec.clone(), json!({"startTime": START, "active": 2, "ready": 3, "succeeded": 3})),
            vec!["status.ready: Invalid value: 3: cannot set more ready pods than active"],
        ),
        (
            "more ready than active, unchanged",
            job_with(spec.clone(), json!({"startTime": START, "active": 1, "ready": 2})),
            job_with(spec.clone(), json!({"startTime": START, "active": 1, "ready": 2, "succeeded": 1})),
            vec![],
        ),
        (
            // RejectFinishedJobWithTerminatingPods.
            "finished with terminating pods",
            job_with(
                spec.clone(),
                json!({"startTime": START, "succeeded": 5, "terminating": 1,
                "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}]}),
            ),
            job_with(
                spec.clone(),
                json!({"startTime": START, "completionTime": DONE, "succeeded": 5, "terminating": 1,
                "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Complete", "status": "True"}]}),
            ),
            vec!["status.terminating: Invalid value: 1: terminating>0 is invalid for finished job"],
        ),
        (
            // RejectInvalidCompletedIndexes only when they change: indexes
            // past completions right after a scale-down pass.
            "completed indexes past completions, unchanged",
            job_with(
                json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2}),
                json!({"startTime": START, "completedIndexes": "0-3", "succeeded": 4}),
            ),
            job_with(
                json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2}),
                json!({"startTime": START, "completedIndexes": "0-3", "succeeded": 4, "active": 1}),
            ),
            vec![],
        ),
        (
            // RejectInvalidFailedIndexes, only with backoffLimitPerIndex.
            "failed indexes past completions, changed",
            job_with(
                json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2, "backoffLimitPerIndex": 1}),
                json!({"startTime": START}),
            ),
            job_with(
                json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2, "backoffLimitPerIndex": 1}),
                json!({"startTime": START, "failedIndexes": "5", "failed": 1}),
            ),
            vec![
                "status.failedIndexes: Invalid value: \"5\": error parsing failedIndexes: too large index: \"5\"",
            ],
        ),
        (
            "completed indexes past completions, changed",
            job_with(
                json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2}),
                json!({"startTime": START, "completedIndexes": "0", "succeeded": 1}),
            ),
            job_with(
                json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2}),
                json!({"startTime": START, "completedIndexes": "0-3", "succeeded": 4}),
            ),
            vec![
                "status.completedIndexes: Invalid value: \"0-3\": error parsing completedIndexes: too large index: \"3\"",
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

fn pod(spec: Value, status: Value) -> Object {
    Object::from_value(
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
        "spec": spec, "status": status}),
    )
    .expect("decodes")
}

fn containers() -> Value {
    json!([{"name": "c", "image": "x"}])
}

// upstream: CV TestValidatePodStatusUpdate (conditions, podIPs, hostIPs,
// resource claim statuses, container users) — validatePodConditions,
// validatePodIPs, validateHostIPs, validatePodResourceClaimStatuses,
// validateContainerStatusUsers.
#[test]
fn pod_status_rules() {
    let bad = pod(
        json!({"containers": containers(), "resourceClaims": [{"name": "gpu", "resourceClaimName": "g"}]}),
        json!({
            "observedGeneration": -2,
            "conditions": [
                {"type": "bad type!", "status": "True"},
                {"type": "Ready", "status": "True", "observedGeneration": -1},
                {"type": "example.com/gate", "status": "False"}
            ],
            "podIPs": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}],
            "hostIP": "10.1.1.1",
            "hostIPs": [{"ip": "10.1.1.2"}, {"ip": "not-an-ip"}],
            "resourceClaimStatuses": [
                {"name": "gpu", "resourceClaimName": "Bad_Name"},
                {"name": "gpu"},
                {"name": "missing"}
            ],
            "containerStatuses": [{"name": "c", "ready": false, "restartCount": 0,
                "user": {"linux": {"uid": -1, "gid": 0, "supplementalGroups": [4294967296_i64]}}}]
        }),
    );
    let got = errs(validation::validate_status(&bad));
    let want = [
        "status.conditions[0].Type: Invalid value: \"bad type!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "status.conditions[1].observedGeneration: Invalid value: -1: must be a non-negative integer",
        "status.observedGeneration: Invalid value: -2: must be a non-negative integer",
        "status.resourceClaimStatuses[0].name: Invalid value: \"Bad_Name\":",
        "status.resourceClaimStatuses[1].name: Duplicate value: \"gpu\"",
        "status.resourceClaimStatuses[2].name: Invalid value: \"missing\": must match the name of an entry in `spec.resourceClaims`",
        "status.podIPs: Invalid value:",
        "status.hostIPs[0].ip: Invalid value: \"10.1.1.2\": must be equal to `hostIP`",
        "status.hostIPs[1]: Invalid value: \"not-an-ip\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        "status.hostIPs: Invalid value:",
        "status.containerStatuses[0].user.linux.uid: Invalid value: -1: must be between 0 and 2147483647, inclusive",
        "status.containerStatuses[0].user.linux.supplementalGroups[0]: Invalid value: 4294967296: must be between 0 and 2147483647, inclusive",
    ];
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (g, w) in got.iter().zip(want) {
        assert!(g.starts_with(w), "{g}\n  does not start with\n{w}");
    }
    assert!(got[6].ends_with("may specify no more than one IP for each IP family"), "{}", got[6]);

    // One address of each family, and a lone podIP standing for the list.
    let good = pod(
        json!({"containers": containers()}),
        json!({"podIPs": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}], "hostIP": "10.1.1.1", "hostIPs": [{"ip": "10.1.1.1"}]}),
    );
    assert_eq!(errs(validation::validate_status(&good)), Vec::<String>::new());
    // An address that does not parse also fails the one-per-family rule.
    let unparsable =
        pod(json!({"containers": containers()}), json!({"podIPs": [{"ip": "10.0.0.1"}, {"ip": "bogus"}]}));
    let got = errs(validation::validate_status(&unparsable));
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[1].starts_with("status.podIPs: Invalid value:"), "{}", got[1]);
    // A podIP that podIPs does not start with is authoritative (the v1
    // conversion): the two IPv4 entries are not looked at.
    let authoritative = pod(
        json!({"containers": containers()}),
        json!({"podIP": "10.0.0.9", "podIPs": [{"ip": "10.0.0.1"}, {"ip": "10.0.0.2"}]}),
    );
    assert_eq!(errs(validation::validate_status(&authoritative)), Vec::<String>::new());
    let lone = pod(json!({"containers": containers()}), json!({"podIP": "10.0.0.300"}));
    assert_eq!(
        errs(validation::validate_status(&lone)),
        [
            "status.podIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
        ]
    );
    let windows = pod(
        json!({"os": {"name": "windows"}, "containers": containers()}),
        json!({"containerStatuses": [{"name": "c", "ready": false, "restartCount": 0, "user": {"linux": {"uid": 0, "gid": 0}}}]}),
    );
    assert_eq!(
        errs(validation::validate_status(&windows)),
        ["status.containerStatuses[0].user.linux: Forbidden: cannot be set for a windows pod"]
    );
}

// upstream: CV TestValidateContainerStateTransition,
// TestValidateInitContainerStateTransition and TestValidatePodStatusUpdate
// (qosClass, nominatedNodeName): a terminated container the restart policy
// would not restart stays terminated; ephemeral containers never restart.
#[test]
fn pod_status_update_rules() {
    let status = |state: Value| json!({"qosClass": "BestEffort", "containerStatuses": [{"name": "c", "ready": false, "restartCount": 0, "state": state}]});
    let exited = |code: i32| json!({"terminated": {"exitCode": code}});
    let running = json!({"running": {}});
    let transition = |policy: &str, code: i32| {
        let spec = json!({"restartPolicy": policy, "containers": containers()});
        let old = pod(spec.clone(), status(exited(code)));
        let new = pod(spec, status(running.clone()));
        errs(validation::validate_status_update(&old, &new))
    };
    let forbidden =
        ["status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"];
    assert_eq!(transition("Never", 0), forbidden);
    assert_eq!(transition("Never", 1), forbidden);
    assert_eq!(transition("OnFailure", 0), forbidden);
    assert!(transition("OnFailure", 1).is_empty());
    assert!(transition("Always", 0).is_empty());

    // A sidecar restarts under Never; a plain init container does not.
    let spec = json!({"restartPolicy": "Never", "containers": containers(),
        "initContainers": [{"name": "side", "image": "x", "restartPolicy": "Always"}, {"name": "init", "image": "x"}]});
    let init = |state: Value| {
        json!({"initContainerStatuses": [
            {"name": "side", "ready": false, "restartCount": 0, "state": state.clone()},
            {"name": "init", "ready": false, "restartCount": 0, "state": state}
        ]})
    };
    let got = errs(validation::validate_status_update(
        &pod(spec.clone(), init(exited(0))),
        &pod(spec, init(running.clone())),
    ));
    assert_eq!(
        got,
        ["status.initContainerStatuses[1].state: Forbidden: may not be transitioned to non-terminated state"]
    );

    // An ephemeral container never restarts, even under Always.
    let spec = json!({"restartPolicy": "Always", "containers": containers()});
    let eph = |state: Value| json!({"ephemeralContainerStatuses": [{"name": "debug", "ready": false, "restartCount": 0, "state": state}]});
    let got = errs(validation::validate_status_update(
        &pod(spec.clone(), eph(exited(1))),
        &pod(spec, eph(running)),
    ));
    assert_eq!(
        got,
        [
            "status.ephemeralContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"
        ]
    );

    // qosClass is immutable; nominatedNodeName is a node name and not set
    // again on a bound pod.
    let spec = json!({"nodeName": "n1", "containers": containers()});
    let old = pod(spec.clone(), json!({"qosClass": "BestEffort"}));
    let new = pod(spec.clone(), json!({"qosClass": "Burstable", "nominatedNodeName": "Node_2"}));
    let got = errs(validation::validate_status_update(&old, &new));
    assert_eq!(got.len(), 3, "{got:#?}");
    assert!(got[0].starts_with("status.nominatedNodeName: Invalid value: \"Node_2\""), "{}", got[0]);
    assert_eq!(
        got[1],
        "status.nominatedNodeName: Forbidden: may not be set on pods that are already bound to a node"
    );
    assert_eq!(got[2], "status.qosClass: Invalid value: \"Burstable\": field is immutable");
    // An empty qosClass is filled from the old status: no change.
    let new = pod(spec, json!({}));
    assert!(errs(validation::validate_status_update(&old, &new)).is_empty());
}

// upstream: ValidateContainerStateTransition with ContainerRestartRules on
// (AllowContainerRestartPolicyRules): each container's own policy and rules
// decide, whatever the pod's policy; a status with no spec container may
// not come back.
#[test]
fn pod_status_transitions_with_container_restart_rules() {
    let mut gates = kube_workloads::FeatureGates::default();
    gates.container_restart_rules = true;
    let status = |state: Value| {
        json!({"containerStatuses": [
            {"name": "always", "ready": false, "restartCount": 0, "state": state.clone()},
            {"name": "ruled", "ready": false, "restartCount": 0, "state": state.clone()},
            {"name": "plain", "ready": false, "restartCount": 0, "state": state}
        ]})
    };
    let spec = json!({"restartPolicy": "Never", "containers": [
        {"name": "always", "image": "x", "restartPolicy": "Always"},
        {"name": "ruled", "image": "x", "restartPolicy": "Never",
         "restartPolicyRules": [{"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}]},
        {"name": "plain", "image": "x"}
    ]});
    let check = |code: i32, gates: &kube_workloads::FeatureGates| {
        let old = pod(spec.clone(), status(json!({"terminated": {"exitCode": code}})));
        let new = pod(spec.clone(), status(json!({"running": {}})));
        errs(validation::validate_status_update_with_gates(&old, &new, gates))
    };
    let forbidden = |i: usize| {
        format!(
            "status.containerStatuses[{i}].state: Forbidden: may not be transitioned to non-terminated state"
        )
    };
    assert_eq!(check(42, &gates), [forbidden(2)]);
    assert_eq!(check(1, &gates), [forbidden(1), forbidden(2)]);
    // Gate off, but the pod already uses the fields
    // (containerRestartRulesInUse): they still decide.
    let mut off = kube_workloads::FeatureGates::default();
    off.container_restart_rules = false;
    assert_eq!(check(42, &off), [forbidden(2)]);
    // Gate off and no container policy or rule: the pod's Never decides.
    let plain_spec = json!({"restartPolicy": "Never", "containers": [{"name": "plain", "image": "x"}]});
    let plain_status = |state: Value| json!({"containerStatuses": [{"name": "plain", "ready": false, "restartCount": 0, "state": state}]});
    let old = pod(plain_spec.clone(), plain_status(json!({"terminated": {"exitCode": 42}})));
    let new = pod(plain_spec, plain_status(json!({"running": {}})));
    assert_eq!(errs(validation::validate_status_update_with_gates(&old, &new, &off)), [forbidden(0)]);
    // Whatever the pod's policy: an Always pod's container whose own policy
    // is Never may not come back, nor may a status no spec container names.
    let spec = json!({"restartPolicy": "Always", "containers": [{"name": "never", "image": "x", "restartPolicy": "Never"}]});
    let status = |state: Value| {
        json!({"containerStatuses": [
            {"name": "never", "ready": false, "restartCount": 0, "state": state.clone()},
            {"name": "ghost", "ready": false, "restartCount": 0, "state": state}
        ]})
    };
    let old = pod(spec.clone(), status(json!({"terminated": {"exitCode": 0}})));
    let new = pod(spec, status(json!({"running": {}})));
    assert_eq!(
        errs(validation::validate_status_update_with_gates(&old, &new, &gates)),
        [forbidden(0), forbidden(1)]
    );
}

// upstream: getStatusValidationOptions with JobManagedBy off (1.34 and
// earlier could turn it off): none of the change-gated rules runs, and
// SuccessCriteriaMet outside the success policy's scope is allowed only
// with JobPodReplacementPolicy on or when the old status already had it.
#[test]
fn job_status_update_rules_without_job_managed_by() {
    let spec = json!({"completions": 5, "parallelism": 2});
    let old = job_with(spec.clone(), json!({"startTime": START, "failed": 2, "active": 2}));
    let new = job_with(
        spec.clone(),
        json!({"startTime": START, "failed": 1,
               "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}, {"type": "Failed", "status": "True"}]}),
    );
    let mut gates = kube_workloads::FeatureGates::default();
    assert_eq!(
        errs(validation::validate_status_update_with_gates(&old, &new, &gates)),
        [
            "status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition",
            "status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and Failed=true conditions",
            "status.failed: Invalid value: 1: cannot decrease the failed counter",
        ]
    );
    gates.job_managed_by = false;
    assert_eq!(
        errs(validation::validate_status_update_with_gates(&old, &new, &gates)),
        ["status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and Failed=true conditions"]
    );
    gates.job_pod_replacement_policy = false;
    assert_eq!(
        errs(validation::validate_status_update_with_gates(&old, &new, &gates)),
        [
            "status.conditions: Invalid value: cannot set SuccessCriteriaMet to NonIndexed Job",
            "status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and Failed=true conditions",
            "status.conditions: Invalid value: cannot set SuccessCriteriaMet=True for Job without SuccessPolicy",
        ]
    );
    // ...unless the old status already had SuccessCriteriaMet.
    let had = job_with(
        spec.clone(),
        json!({"startTime": START, "failed": 2, "active": 2,
               "conditions": [{"type": "SuccessCriteriaMet", "status": "True"}]}),
    );
    assert_eq!(
        errs(validation::validate_status_update_with_gates(&had, &new, &gates)),
        ["status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and Failed=true conditions"]
    );
}

// upstream ValidatePodStatusUpdate details: a new pod without a status is
// Go's zero status and still gets the annotation update rules; an address
// the old status held may stay (IsValidIPForLegacyField's validOldIPs); the
// one-per-family error shows the list of `{ip}` objects and reads
// addresses sloppily (ParseIPSloppy); with restart rules the first
// non-terminated new status of a name is the one compared; ephemeral
// containers compare every new status whatever the rules.
#[test]
fn pod_status_update_edges() {
    let with = |meta: Value, spec: Value, status: Option<Value>| {
        let mut doc = json!({"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "namespace": "default"}, "spec": spec});
        if let Some(m) = meta.as_object() {
            doc["metadata"].as_object_mut().unwrap().extend(m.clone());
        }
        if let Some(s) = status {
            doc["status"] = s;
        }
        Object::from_value(doc).expect("decodes")
    };
    let spec = json!({"nodeName": "n", "containers": containers()});
    let mirror = json!({"annotations": {"kubernetes.io/config.mirror": "abc"}});
    let old = with(mirror, spec.clone(), Some(json!({"phase": "Running"})));
    let new = with(json!({}), spec.clone(), None);
    assert_eq!(
        errs(validation::validate_status_update(&old, &new)),
        [
            "metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not remove or update mirror pod annotation"
        ]
    );
    // The old invalid IP may stay; a new one may not.
    let ips = |ip: &str| json!({"podIP": ip, "podIPs": [{"ip": ip}]});
    let old = with(json!({}), spec.clone(), Some(ips("1.2.3")));
    assert_eq!(
        errs(validation::validate_status_update(&old, &with(json!({}), spec.clone(), Some(ips("1.2.3"))))),
        Vec::<String>::new()
    );
    assert_eq!(
        errs(validation::validate_status_update(&old, &with(json!({}), spec.clone(), Some(ips("1.2.4"))))),
        [
            "status.podIPs[0]: Invalid value: \"1.2.4\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
        ]
    );
    let pair = |a: &str, b: &str| json!({"podIP": a, "podIPs": [{"ip": a}, {"ip": b}]});
    let two_v4 = with(json!({}), spec.clone(), Some(pair("10.0.0.1", "10.0.0.2")));
    assert_eq!(
        errs(validation::validate_status(&two_v4)),
        [
            "status.podIPs: Invalid value: [{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.2\"}]: may specify no more than one IP for each IP family"
        ]
    );
    let mapped = with(json!({}), spec.clone(), Some(pair("::ffff:010.1.1.1", "fd00::1")));
    assert_eq!(errs(validation::validate_status(&mapped)), Vec::<String>::new());
    // Restart rules on (the default): one error per old status, for the
    // first same-name status that is not terminated.
    let never = json!({"restartPolicy": "Never", "containers": [{"name": "a", "image": "x"}]});
    let st = |state: Value| json!({"name": "a", "ready": false, "restartCount": 0, "state": state});
    let done = json!({"terminated": {"exitCode": 0}});
    let old = with(json!({}), never.clone(), Some(json!({"containerStatuses": [st(done.clone())]})));
    let new = with(
        json!({}),
        never.clone(),
        Some(json!({"containerStatuses": [st(done.clone()), st(json!({"running": {}}))]})),
    );
    assert_eq!(
        errs(validation::validate_status_update(&old, &new)),
        ["status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state"]
    );
    let eph = |states: Vec<Value>| {
        let list: Vec<Value> = states
            .into_iter()
            .map(|s| json!({"name": "dbg", "ready": false, "restartCount": 0, "image": "x", "state": s}))
            .collect();
        json!({"ephemeralContainerStatuses": list})
    };
    let old = with(json!({}), never.clone(), Some(eph(vec![done])));
    let new = with(json!({}), never, Some(eph(vec![json!({"running": {}}), json!({"waiting": {}})])));
    assert_eq!(
        errs(validation::validate_status_update(&old, &new)),
        [
            "status.ephemeralContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state",
            "status.ephemeralContainerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state",
        ]
    );
}
