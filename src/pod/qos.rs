//! A pod's quality-of-service class.
//!
//! upstream: pkg/apis/core/v1/helper/qos/qos.go: GetPodQOS, ComputePodQOS,
//! resourceQOS. The API server records the class in `status.qosClass` when
//! the pod is created, and the kubelet reports the recorded one.
//!
//! `PodLevelResources` (beta, on since 1.34) is taken as on, as the crate's
//! validation does: a pod with `spec.resources` is classed by them alone.

use std::cmp::Ordering;

use crate::api::{Pod, PodQosClass, PodSpec, ResourceList, ResourceRequirements};
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

/// The class a spec gives (upstream: `ComputePodQOS`): pod-level resources
/// when set; otherwise Burstable if any container is, or if the containers
/// mix BestEffort and Guaranteed; else the containers' common class
/// (BestEffort without containers).
pub fn compute_pod_qos(spec: &PodSpec) -> PodQosClass {
    if let Some(resources) = spec.resources.as_ref() {
        return resource_qos(Some(resources));
    }
    let mut common: Option<PodQosClass> = None;
    for c in spec.init_containers().iter().chain(&spec.containers) {
        let qos = resource_qos(c.resources.as_ref());
        match &common {
            _ if qos == PodQosClass::Burstable => return qos,
            None => common = Some(qos),
            Some(seen) if *seen != qos => return PodQosClass::Burstable,
            Some(_) => {}
        }
    }
    common.unwrap_or(PodQosClass::BestEffort)
}

/// One set of requirements' class (upstream: `resourceQOS`): BestEffort
/// without requests and limits; for cpu and memory, a request that differs
/// from its limit (a missing one counts as zero) is Burstable; both zero
/// for both is BestEffort, both set for both is Guaranteed, a mix is
/// Burstable.
fn resource_qos(resources: Option<&ResourceRequirements>) -> PodQosClass {
    let requests = resources.and_then(|r| r.requests.as_ref()).filter(|l| !l.is_empty());
    let limits = resources.and_then(|r| r.limits.as_ref()).filter(|l| !l.is_empty());
    if requests.is_none() && limits.is_none() {
        return PodQosClass::BestEffort;
    }
    let mut best_effort: Option<bool> = None;
    for name in ["cpu", "memory"] {
        let (request, limit) = (value(requests, name), value(limits, name));
        if request.cmp_exact(limit) != Ordering::Equal {
            return PodQosClass::Burstable;
        }
        let zero = request.is_zero();
        match best_effort {
            None => best_effort = Some(zero),
            Some(seen) if seen != zero => return PodQosClass::Burstable,
            Some(_) => {}
        }
    }
    if best_effort == Some(true) { PodQosClass::BestEffort } else { PodQosClass::Guaranteed }
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
