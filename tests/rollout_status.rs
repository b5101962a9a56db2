//! `kubectl rollout status` for DaemonSets and StatefulSets (the Deployment
//! viewer's table is in controller_deployment.rs).
//!
//! Tables mirror kubectl's rollout_status_test.go
//! (`TestDaemonSetStatusViewerStatus`,
//! `TestDaemonSetStatusViewerStatusWithWrongUpdateStrategyType`,
//! `TestStatefulSetStatusViewerStatus`); the cases after them pin how an
//! object without the API server's defaults is read.

use kube_workloads::controller::{RolloutStatus, daemonset, statefulset};
use kube_workloads::{DaemonSet, StatefulSet};
use serde_json::{Value, json};

use RolloutStatus::{Done, Failed, Waiting};

fn daemon_set(generation: i64, strategy: Value, status: Value) -> DaemonSet {
    let mut value = json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "foo", "namespace": "bar", "generation": generation},
        "spec": {"selector": {"matchLabels": {"a": "b"}},
                 "template": {"metadata": {"labels": {"a": "b"}},
                              "spec": {"containers": [{"name": "test", "image": "test_image"}]}}},
        "status": status
    });
    if !strategy.is_null() {
        value["spec"]["updateStrategy"] = strategy;
    }
    serde_json::from_value(value).expect("decodes")
}

fn ds_status(observed: i64, updated: i32, desired: i32, available: i32) -> Value {
    json!({"observedGeneration": observed, "updatedNumberScheduled": updated,
           "desiredNumberScheduled": desired, "numberAvailable": available,
           "currentNumberScheduled": desired, "numberMisscheduled": 0})
}

#[test]
fn daemon_set_viewer_table() {
    let rolling = json!({"type": "RollingUpdate"});
    let cases: [(&str, i64, Value, RolloutStatus); 4] = [
        // TestDaemonSetStatusViewerStatus "test1": nothing updated yet.
        (
            "test1",
            0,
            ds_status(1, 0, 1, 0),
            Waiting(
                "Waiting for daemon set \"foo\" rollout to finish: 0 out of 1 new pods have been updated..."
                    .into(),
            ),
        ),
        // "test2": all updated, one not yet available.
        (
            "test2",
            1,
            ds_status(1, 2, 2, 1),
            Waiting(
                "Waiting for daemon set \"foo\" rollout to finish: 1 of 2 updated pods are available..."
                    .into(),
            ),
        ),
        // "test3": done.
        ("test3", 1, ds_status(1, 2, 2, 2), Done("daemon set \"foo\" successfully rolled out".into())),
        // "test4": the spec changed after the last status.
        (
            "test4",
            2,
            ds_status(1, 2, 2, 2),
            Waiting("Waiting for daemon set spec update to be observed...".into()),
        ),
    ];
    for (name, generation, status, want) in cases {
        let ds = daemon_set(generation, rolling.clone(), status);
        assert_eq!(daemonset::rollout_status(&ds, None), want, "{name}");
        // A positive revision is ignored: DaemonSets keep no history for kubectl.
        assert_eq!(daemonset::rollout_status(&ds, Some(7)), want, "{name} with a revision");
    }
}

// TestDaemonSetStatusViewerStatusWithWrongUpdateStrategyType.
// DaemonSetStatusViewer quotes the name with Go's %q: a control character
// shows as Go escapes it (`\x7f`, where Rust's Debug writes `\u{7f}`).
#[test]
fn daemon_set_viewer_quotes_names_as_go() {
    let mut ds = daemon_set(1, json!({"type": "RollingUpdate"}), ds_status(1, 1, 1, 1));
    ds.metadata.name = Some("foo\u{7f}".into());
    assert_eq!(
        daemonset::rollout_status(&ds, None),
        Done(r#"daemon set "foo\x7f" successfully rolled out"#.into())
    );
}

#[test]
fn daemon_set_on_delete_has_no_rollout() {
    let ds = daemon_set(0, json!({"type": "OnDelete"}), Value::Null);
    assert_eq!(
        daemonset::rollout_status(&ds, None),
        Failed("rollout status is only available for RollingUpdate strategy type".into())
    );
    // A type this crate does not know is not RollingUpdate either.
    let ds = daemon_set(0, json!({"type": "Surge"}), Value::Null);
    assert!(matches!(daemonset::rollout_status(&ds, None), Failed(_)));
}

// The API server stores an unset or empty strategy type as RollingUpdate
// (SetDefaults_DaemonSet); kubectl sees the stored object.
#[test]
fn daemon_set_without_a_strategy_type_rolls() {
    let want = Done("daemon set \"foo\" successfully rolled out".into());
    for strategy in [Value::Null, json!({}), json!({"type": ""})] {
        let ds = daemon_set(1, strategy.clone(), ds_status(1, 2, 2, 2));
        assert_eq!(daemonset::rollout_status(&ds, None), want, "{strategy}");
    }
    // No status at all: generation 1 is not observed yet.
    let mut ds = daemon_set(1, Value::Null, Value::Null);
    ds.status = None;
    assert_eq!(
        daemonset::rollout_status(&ds, None),
        Waiting("Waiting for daemon set spec update to be observed...".into())
    );
}

// RolloutStatusOptions.Validate refuses a negative revision for every kind.
#[test]
fn negative_revisions_are_refused() {
    let ds = daemon_set(1, Value::Null, ds_status(1, 2, 2, 2));
    assert_eq!(
        daemonset::rollout_status(&ds, Some(-1)),
        Failed("revision must be a positive integer: -1".into())
    );
    let set = stateful_set(1, Value::Null, ss_status(1, 3, 3, 3, 3));
    assert_eq!(
        statefulset::rollout_status(&set, Some(-2)),
        Failed("revision must be a positive integer: -2".into())
    );
}

fn stateful_set(generation: i64, strategy: Value, status: Value) -> StatefulSet {
    let mut value = json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "foo", "namespace": "default", "generation": generation},
        "spec": {"replicas": 3, "serviceName": "foo", "podManagementPolicy": "OrderedReady",
                 "selector": {"matchLabels": {"a": "b"}},
                 "template": {"metadata": {"labels": {"a": "b"}},
                              "spec": {"containers": [{"name": "test", "image": "test_image"}]}}},
        "status": status
    });
    if !strategy.is_null() {
        value["spec"]["updateStrategy"] = strategy;
    }
    serde_json::from_value(value).expect("decodes")
}

fn ss_status(observed: i64, replicas: i32, ready: i32, current: i32, updated: i32) -> Value {
    json!({"observedGeneration": observed, "replicas": replicas, "readyReplicas": ready,
           "currentReplicas": current, "updatedReplicas": updated})
}

#[test]
fn stateful_set_viewer_table() {
    let rolling = json!({"type": "RollingUpdate"});
    let partition_2 = json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 2}});
    let mut complete = ss_status(2, 3, 3, 3, 3);
    complete["currentRevision"] = json!("foo");
    complete["updateRevision"] = json!("foo");
    let cases: [(&str, i64, Value, Value, RolloutStatus); 6] = [
        // TestStatefulSetStatusViewerStatus "on delete returns an error".
        (
            "on delete returns an error",
            1,
            json!({"type": "OnDelete"}),
            ss_status(1, 0, 1, 0, 0),
            Failed("rollout status is only available for RollingUpdate strategy type".into()),
        ),
        (
            "unobserved update is not complete",
            2,
            rolling.clone(),
            ss_status(1, 3, 3, 3, 0),
            Waiting("Waiting for statefulset spec update to be observed...".into()),
        ),
        (
            "if all pods are not ready the update is not complete",
            1,
            rolling.clone(),
            ss_status(2, 3, 2, 3, 0),
            Waiting("Waiting for 1 pods to be ready...".into()),
        ),
        (
            "partition update completes when all replicas above the partition are updated",
            1,
            partition_2.clone(),
            ss_status(2, 3, 3, 2, 1),
            Done("partitioned roll out complete: 1 new pods have been updated...".into()),
        ),
        (
            "partition update is in progress if all pods above the partition have not been updated",
            1,
            partition_2,
            ss_status(2, 3, 3, 3, 0),
            Waiting(
                "Waiting for partitioned roll out to finish: 0 out of 1 new pods have been updated...".into(),
            ),
        ),
        (
            "update completes when all replicas are current",
            1,
            rolling,
            complete,
            Done("statefulset rolling update complete 3 pods at revision foo...".into()),
        ),
    ];
    for (name, generation, strategy, status, want) in cases {
        let set = stateful_set(generation, strategy, status);
        assert_eq!(statefulset::rollout_status(&set, None), want, "{name}");
    }
}

// An explicit RollingUpdate without rollingUpdate keeps it absent on the
// server: kubectl compares the revisions.
#[test]
fn stateful_set_revisions_compared_without_rolling_update() {
    let mut status = ss_status(1, 3, 3, 2, 1);
    status["currentRevision"] = json!("foo-1");
    status["updateRevision"] = json!("foo-2");
    let set = stateful_set(1, json!({"type": "RollingUpdate"}), status);
    assert_eq!(
        statefulset::rollout_status(&set, None),
        Waiting("waiting for statefulset rolling update to complete 1 pods at revision foo-2...".into())
    );
}

// An unset (or empty) type is stored as RollingUpdate with a rollingUpdate
// of partition 0, and a rollingUpdate without a partition gets 0
// (SetDefaults_StatefulSet): kubectl then gives the partitioned answers,
// never the revision comparison.
#[test]
fn stateful_set_read_with_the_servers_defaults() {
    let mut status = ss_status(1, 3, 3, 2, 1);
    status["currentRevision"] = json!("foo-1");
    status["updateRevision"] = json!("foo-2");
    let waiting = Waiting(
        "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...".into(),
    );
    for strategy in [
        Value::Null,
        json!({}),
        json!({"type": ""}),
        json!({"type": "RollingUpdate", "rollingUpdate": {}}),
        json!({"rollingUpdate": {"partition": 0}}),
    ] {
        let set = stateful_set(1, strategy.clone(), status.clone());
        assert_eq!(statefulset::rollout_status(&set, None), waiting, "{strategy}");
    }
    // A partition above replicas: nothing needs updating.
    let set = stateful_set(1, json!({"rollingUpdate": {"partition": 5}}), status.clone());
    assert_eq!(
        statefulset::rollout_status(&set, None),
        Done("partitioned roll out complete: 1 new pods have been updated...".into())
    );
    // Unset replicas is 1.
    let mut one = stateful_set(1, Value::Null, ss_status(1, 1, 0, 0, 0));
    if let Some(spec) = one.spec.as_mut() {
        spec.replicas = None;
    }
    assert_eq!(statefulset::rollout_status(&one, None), Waiting("Waiting for 1 pods to be ready...".into()));
    // An observedGeneration of 0 is never observed, whatever the generation.
    let set = stateful_set(0, Value::Null, ss_status(0, 3, 3, 3, 3));
    assert_eq!(
        statefulset::rollout_status(&set, None),
        Waiting("Waiting for statefulset spec update to be observed...".into())
    );
}
