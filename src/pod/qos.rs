//! A pod's quality-of-service class.
//!
//! upstream: pkg/apis/core/v1/helper/qos/qos.go (1.35): GetPodQOS,
//! ComputePodQOS, isSupportedQoSComputeResource: the containers' positive
//! cpu and memory requests and limits are summed, and the pod is
//! Guaranteed when every container limits both and the sums match. (Later
//! upstream compares each container on its own, `resourceQOS`.) The API
//! server records the class in `status.qosClass` when the pod is created,
//! and the kubelet reports the recorded one.
//!
//! `PodLevelResources` (beta, on since 1.34) is taken as on, as the crate's
//! validation does: a pod with `spec.resources` is classed by them alone.

use std::cmp::Ordering;

use crate::api::{Pod, PodQosClass, PodSpec, ResourceList};
use crate::validation::quantity::{self, Dec};

/// The class the pod records in `status.qosClass`, or the one its spec
/// gives when none is recorded (upstream: `GetPodQOS`).
///
/// ```
/// use kube_workloads::api::PodQosClass;
/// use kube_workloads::pod::qos::pod_qos;
///
/// let pod = serde_json::from_value(serde_json::json!({"spec": {"containers": [
///     {"name": "a", "resources": {"requests": {"cpu": "1", "memory": "1Gi"},
///                                  "limits": {"cpu": "1", "memory": "1Gi"}}}]}}))
/// .unwrap();
/// assert_eq!(pod_qos(&pod), PodQosClass::Guaranteed);
/// ```
pub fn pod_qos(pod: &Pod) -> PodQosClass {
    match pod.status.as_ref().and_then(|s| s.qos_class.as_ref()) {
        Some(recorded) if !recorded.as_str().is_empty() => recorded.clone(),
        _ => pod.spec.as_ref().map_or(PodQosClass::BestEffort, compute_pod_qos),
    }
}

/// The class a spec gives (upstream: `ComputePodQOS`): the positive cpu and
/// memory requests and limits are summed over the init and regular
/// containers (or taken from the pod-level resources when set). Nothing
/// summed is BestEffort; Guaranteed needs every container (or the pod
/// level) to limit both cpu and memory and the summed requests to equal
/// the summed limits; anything else is Burstable.
pub fn compute_pod_qos(spec: &PodSpec) -> PodQosClass {
    let mut requests = Sums::default();
    let mut limits = Sums::default();
    let mut guaranteed = true;
    if let Some(resources) = spec.resources.as_ref() {
        requests.add(resources.requests.as_ref());
        let limited = limits.add(resources.limits.as_ref());
        guaranteed = limited.iter().all(|found| *found);
    } else {
        for c in spec.init_containers().iter().chain(&spec.containers) {
            let r = c.resources.as_ref();
            requests.add(r.and_then(|r| r.requests.as_ref()));
            let limited = limits.add(r.and_then(|r| r.limits.as_ref()));
            guaranteed &= limited.iter().all(|found| *found);
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return PodQosClass::BestEffort;
    }
    let matched = requests.0.iter().zip(&limits.0).all(|(r, l)| match (r, l) {
        (Some(r), Some(l)) => r.cmp_exact(*l) == Ordering::Equal,
        (Some(_), None) => false,
        (None, _) => true,
    });
    if guaranteed && matched && requests.count() == limits.count() {
        PodQosClass::Guaranteed
    } else {
        PodQosClass::Burstable
    }
}

/// The resources QoS looks at (upstream: isSupportedQoSComputeResource).
const QOS_RESOURCES: [&str; 2] = ["cpu", "memory"];

/// Sums of the positive cpu and memory quantities seen, `None` for one
/// never seen positive.
#[derive(Default)]
struct Sums([Option<Dec>; 2]);

impl Sums {
    /// Adds the positive cpu and memory quantities of `list`; which of
    /// the two it had.
    fn add(&mut self, list: Option<&ResourceList>) -> [bool; 2] {
        let mut found = [false; 2];
        for ((slot, seen), name) in self.0.iter_mut().zip(found.iter_mut()).zip(QOS_RESOURCES) {
            let v = value(list, name);
            if v.signum() > 0 {
                *seen = true;
                // A sum past the decimal's range keeps the earlier one (no
                // real resource list gets near it).
                *slot = Some(slot.map_or(v, |sum| sum.checked_add(v).unwrap_or(sum)));
            }
        }
        found
    }

    fn count(&self) -> usize {
        self.0.iter().filter(|v| v.is_some()).count()
    }

    fn is_empty(&self) -> bool {
        self.count() == 0
    }
}

/// The named quantity of a list, zero when missing (or, in a list that
/// never passed validation, unreadable).
fn value(list: Option<&ResourceList>, name: &str) -> Dec {
    list.and_then(|l| l.get(name)).and_then(|q| quantity::parse(&q.value)).map_or(Dec::ZERO, |p| p.value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(v: serde_json::Value) -> PodSpec {
        serde_json::from_value(v).unwrap_or_default()
    }

    fn res(requests: serde_json::Value, limits: serde_json::Value) -> serde_json::Value {
        json!({"requests": requests, "limits": limits})
    }

    // upstream: qos_test.go TestComputePodQOS, restated as cases of our
    // own: equal cpu and memory everywhere, a container without resources,
    // a request below its limit, only other resources, pod-level resources
    // over the containers', init containers counted, and equal values
    // written differently.
    #[test]
    fn classes() {
        let guaranteed = res(json!({"cpu": "1", "memory": "1Gi"}), json!({"cpu": "1", "memory": "1Gi"}));
        let cases = [
            (json!({"containers": [{"name": "a", "resources": guaranteed}]}), PodQosClass::Guaranteed),
            (json!({"containers": [{"name": "a"}, {"name": "b"}]}), PodQosClass::BestEffort),
            (
                json!({"containers": [{"name": "a", "resources": guaranteed}, {"name": "b"}]}),
                PodQosClass::Burstable,
            ),
            (
                json!({"containers": [{"name": "a", "resources": res(json!({"cpu": "500m"}), json!({"cpu": "1"}))}]}),
                PodQosClass::Burstable,
            ),
            // Only cpu set, equal: memory is zero on both sides, a mix.
            (
                json!({"containers": [{"name": "a", "resources": res(json!({"cpu": "1"}), json!({"cpu": "1"}))}]}),
                PodQosClass::Burstable,
            ),
            (
                json!({"containers": [{"name": "a", "resources": res(json!({"ephemeral-storage": "1Gi"}), json!({}))}]}),
                PodQosClass::BestEffort,
            ),
            (json!({"resources": guaranteed, "containers": [{"name": "a"}]}), PodQosClass::Guaranteed),
            (
                json!({"resources": {}, "containers": [{"name": "a", "resources": guaranteed}]}),
                PodQosClass::BestEffort,
            ),
            (
                json!({"initContainers": [{"name": "i"}], "containers": [{"name": "a", "resources": guaranteed}]}),
                PodQosClass::Burstable,
            ),
            (
                json!({"containers": [{"name": "a", "resources": res(json!({"cpu": "1000m", "memory": "1024Mi"}), json!({"cpu": "1", "memory": "1Gi"}))}]}),
                PodQosClass::Guaranteed,
            ),
            (json!({"containers": []}), PodQosClass::BestEffort),
            // upstream sums before comparing: requests above and below the
            // limits that even out (no validated pod has them) are
            // Guaranteed; a non-positive request counts as none.
            (
                json!({"containers": [
                    {"name": "a", "resources": res(json!({"cpu": "2", "memory": "1Gi"}), json!({"cpu": "1", "memory": "1Gi"}))},
                    {"name": "b", "resources": res(json!({"cpu": "1", "memory": "1Gi"}), json!({"cpu": "2", "memory": "1Gi"}))}
                ]}),
                PodQosClass::Guaranteed,
            ),
            (
                json!({"containers": [{"name": "a", "resources": res(json!({"cpu": "-1"}), json!({}))}]}),
                PodQosClass::BestEffort,
            ),
            // Limits on both without requests: the requests sum to nothing
            // while the limits do not, so Burstable.
            (
                json!({"containers": [{"name": "a", "resources": res(json!({}), json!({"cpu": "1", "memory": "1Gi"}))}]}),
                PodQosClass::Burstable,
            ),
        ];
        for (i, (s, want)) in cases.into_iter().enumerate() {
            assert_eq!(compute_pod_qos(&spec(s)), want, "case {i}");
        }
    }

    // upstream: GetPodQOS returns the recorded class.
    #[test]
    fn recorded_class_wins() {
        let pod: Pod = serde_json::from_value(json!({"spec": {"containers": [{"name": "a"}]},
            "status": {"qosClass": "Burstable"}}))
        .unwrap_or_default();
        assert_eq!(pod_qos(&pod), PodQosClass::Burstable);
        let pod: Pod =
            serde_json::from_value(json!({"spec": {"containers": [{"name": "a"}]}})).unwrap_or_default();
        assert_eq!(pod_qos(&pod), PodQosClass::BestEffort);
    }
}
