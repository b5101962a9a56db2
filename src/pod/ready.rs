//! Is a pod ready, and has it been ready long enough to count as available?
//!
//! upstream: pkg/api/v1/pod/util.go (IsPodReady, IsPodAvailable,
//! GetPodReadyCondition)

use crate::api::{Condition, ConditionStatus, Pod, Time};

/// The pod's `Ready` condition, if it has one.
pub fn ready_condition(pod: &Pod) -> Option<&Condition> {
    pod.status.as_ref()?.condition("Ready")
}

/// The pod's `Ready` condition when it is `True`: what readiness,
/// availability and the scale-down ranking all read.
pub fn ready_true_condition(pod: &Pod) -> Option<&Condition> {
    ready_condition(pod).filter(|c| c.status == ConditionStatus::True)
}

/// True when the pod's `Ready` condition is `True` (upstream: IsPodReady).
pub fn is_pod_ready(pod: &Pod) -> bool {
    ready_true_condition(pod).is_some()
}

/// True when the pod has been ready for at least `min_ready_seconds` at `now`
/// (upstream: IsPodAvailable; semantics/DECISIONS.md G4: the 1.34+ `<=`
/// comparison in every controller).
///
/// A ready pod whose condition has no `lastTransitionTime` counts as
/// available only when `min_ready_seconds` is 0, as upstream.
pub fn is_pod_available(pod: &Pod, min_ready_seconds: i32, now: Time) -> bool {
    ready_true_condition(pod).is_some_and(|ready| ready_long_enough(ready, min_ready_seconds, now))
}

/// [`is_pod_available`] for a pod whose `Ready` condition is `ready`, `True`
/// (from [`ready_true_condition`]): for a caller that has read it already.
pub(crate) fn ready_long_enough(ready: &Condition, min_ready_seconds: i32, now: Time) -> bool {
    // Only an exact 0 skips the time (a negative value, which validation
    // rejects, still needs one, as upstream's `minReadySeconds == 0` test).
    // upstream: a zero LastTransitionTime (IsZero) counts as unset.
    min_ready_seconds == 0
        || ready
            .last_transition_time
            .filter(|t| !t.is_go_zero())
            .is_some_and(|since| since.add_seconds(i64::from(min_ready_seconds)) <= now)
}

/// When a ready pod becomes available, if it is not yet: the instant a
/// controller should requeue at (DECISIONS.md G4). `None` when the pod is
/// not ready, already available, or has no transition time.
pub fn available_at(pod: &Pod, min_ready_seconds: i32, now: Time) -> Option<Time> {
    let ready = ready_true_condition(pod)?;
    if min_ready_seconds <= 0 {
        return None;
    }
    let at =
        ready.last_transition_time.filter(|t| !t.is_go_zero())?.add_seconds(i64::from(min_ready_seconds));
    (at > now).then_some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(ready: Option<(&str, &str)>) -> Pod {
        let mut value = serde_json::json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}});
        if let Some((status, since)) = ready {
            value["status"] = serde_json::json!({"conditions": [
                {"type": "Ready", "status": status, "lastTransitionTime": since}
            ]});
        }
        serde_json::from_value(value).unwrap()
    }

    fn t(s: &str) -> Time {
        s.parse().unwrap()
    }

    // upstream: pkg/api/v1/pod/util_test.go TestIsPodAvailable
    #[test]
    fn availability_table() {
        let now = t("2024-01-01T00:01:00Z");
        let cases = [
            (None, 0, false),
            (Some(("False", "2024-01-01T00:00:00Z")), 0, false),
            (Some(("True", "2024-01-01T00:00:00Z")), 0, true),
            (Some(("True", "2024-01-01T00:00:00Z")), 60, true), // exactly minReadySeconds: available (<=)
            (Some(("True", "2024-01-01T00:00:01Z")), 60, false),
            (Some(("True", "2024-01-01T00:00:00Z")), 61, false),
            (Some(("True", "2024-01-01T00:00:00Z")), -5, true),
        ];
        for (ready, min_ready, want) in cases {
            assert_eq!(is_pod_available(&pod(ready), min_ready, now), want, "{ready:?} min {min_ready}");
        }
        // A negative minReadySeconds (unvalidated input) with no transition
        // time is not available: upstream skips the time only for 0.
        let mut untimed = pod(Some(("True", "2024-01-01T00:00:00Z")));
        if let Some(c) =
            untimed.status.as_mut().and_then(|s| s.conditions.as_mut()).and_then(|c| c.first_mut())
        {
            c.last_transition_time = None;
        }
        let cases = [(0, true), (-5, false), (5, false)];
        for (min_ready, want) in cases {
            assert_eq!(is_pod_available(&untimed, min_ready, now), want, "untimed, min {min_ready}");
        }
        // Go's zero time is unset too (IsZero), and gives no requeue.
        let zero = pod(Some(("True", "0001-01-01T00:00:00Z")));
        assert!(is_pod_available(&zero, 0, now));
        assert!(!is_pod_available(&zero, 5, now));
        assert_eq!(available_at(&zero, 5, now), None);
    }

    #[test]
    fn available_at_is_the_requeue_instant() {
        let p = pod(Some(("True", "2024-01-01T00:00:30Z")));
        let now = t("2024-01-01T00:00:40Z");
        assert_eq!(available_at(&p, 20, now), Some(t("2024-01-01T00:00:50Z")));
        assert_eq!(available_at(&p, 10, now), None);
        assert!(is_pod_ready(&p));
    }
}
