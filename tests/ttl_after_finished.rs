//! TTL-after-finished: tables mirroring kubernetes/kubernetes
//! pkg/controller/ttlafterfinished/ttlafterfinished_controller_test.go
//! (TestTimeLeft, TestJobFinishTime) and the processJob decisions.

use std::time::Duration;

use kube_workloads::Job;
use kube_workloads::api::{Condition, ConditionStatus, Time};
use kube_workloads::controller::Action;
use kube_workloads::controller::ttl_after_finished::{expire_at, finish_time, reconcile};
use serde_json::json;

fn t(s: &str) -> Time {
    s.parse().expect("time")
}

fn job(ttl: Option<i32>, condition: Option<(&str, &str, Option<Time>)>) -> Job {
    let mut j: Job = serde_json::from_value(json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "pi", "namespace": "default", "uid": "u-pi"},
        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "perl"}]}}}
    }))
    .expect("job");
    j.spec.get_or_insert_default().ttl_seconds_after_finished = ttl;
    if let Some((type_, status, at)) = condition {
        let status = if status == "True" { ConditionStatus::True } else { ConditionStatus::False };
        j.status.get_or_insert_default().conditions.get_or_insert_default().push(Condition {
            type_: type_.into(),
            status,
            last_transition_time: at,
            ..Condition::default()
        });
    }
    j
}

fn describe(actions: &[Action]) -> Vec<String> {
    actions.iter().map(ToString::to_string).collect()
}

// upstream: TestTimeLeft and TestJobFinishTime
#[test]
fn time_left() {
    let finished = Some(t("2024-05-01T10:00:00Z"));
    let now = t("2024-05-01T10:00:05Z");
    type Row<'a> = (&'a str, Option<i32>, Option<(&'a str, &'a str, Option<Time>)>, Option<&'a str>);
    let rows: &[Row<'_>] = &[
        ("no TTL", None, Some(("Complete", "True", finished)), None),
        ("not finished", Some(10), None, None),
        ("interim condition only", Some(10), Some(("FailureTarget", "True", finished)), None),
        ("Complete=False", Some(10), Some(("Complete", "False", finished)), None),
        ("no transition time", Some(10), Some(("Complete", "True", None)), None),
        ("complete, TTL 10", Some(10), Some(("Complete", "True", finished)), Some("2024-05-01T10:00:10Z")),
        ("failed, TTL 10", Some(10), Some(("Failed", "True", finished)), Some("2024-05-01T10:00:10Z")),
        ("TTL 0", Some(0), Some(("Complete", "True", finished)), Some("2024-05-01T10:00:00Z")),
    ];
    for (name, ttl, cond, expected) in rows {
        let j = job(*ttl, *cond);
        assert_eq!(expire_at(&j).map(|t| t.to_string()).as_deref(), *expected, "{name}");
        let actions = describe(&reconcile(&j, now));
        let want: Vec<String> = match expected.map(t) {
            None => vec![],
            // processTTL deletes with foreground propagation.
            Some(at) if at <= now => vec!["delete Job default/pi (Foreground propagation)".into()],
            Some(at) => {
                vec![format!(
                    "requeue Job default/pi after {:?}",
                    Duration::from_secs((at.seconds_since(now)) as u64)
                )]
            }
        };
        assert_eq!(actions, want, "{name}");
    }
    assert_eq!(finish_time(&job(None, Some(("Failed", "True", finished)))), finished);
}

#[test]
fn deletes_at_the_exact_instant() {
    let j = job(Some(100), Some(("Complete", "True", Some(t("2024-05-01T10:00:00Z")))));
    assert_eq!(describe(&reconcile(&j, t("2024-05-01T10:01:39Z"))), ["requeue Job default/pi after 1s"]);
    let actions = reconcile(&j, t("2024-05-01T10:01:40Z"));
    let [Action::Delete { target, options }] = actions.as_slice() else { panic!("{actions:?}") };
    assert_eq!(target.uid.as_deref(), Some("u-pi"));
    // upstream: processTTL's DeleteOptions (foreground, UID precondition).
    assert_eq!(options.propagation_policy, Some(kube_workloads::controller::PropagationPolicy::Foreground));
    assert_eq!(options.grace_period_seconds, None);
    // A Job being deleted is left alone.
    let mut gone = j.clone();
    gone.metadata.deletion_timestamp = Some(t("2024-05-01T10:01:40Z"));
    assert!(reconcile(&gone, t("2024-05-01T10:05:00Z")).is_empty());
    // A finish time in the future waits for finish + ttl.
    assert_eq!(describe(&reconcile(&j, t("2024-05-01T09:59:00Z"))), ["requeue Job default/pi after 160s"]);
}
