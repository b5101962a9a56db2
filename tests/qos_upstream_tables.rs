//! A pod's QoS class: the rows of kubernetes/kubernetes
//! pkg/apis/core/v1/helper/qos/qos_test.go TestComputePodQOS (1.35, the
//! summing ComputePodQOS), each restated as a pod spec and named after its
//! upstream case.

use kube_workloads::api::{PodQosClass, PodSpec};
use kube_workloads::pod::qos::compute_pod_qos;
use serde_json::{Value, json};

/// A container named `name` with `requests` and `limits` (`null` leaves a
/// list out).
fn container(name: &str, requests: Value, limits: Value) -> Value {
    let mut resources = json!({});
    if !requests.is_null() {
        resources["requests"] = requests;
    }
    if !limits.is_null() {
        resources["limits"] = limits;
    }
    json!({"name": name, "image": "i", "resources": resources})
}

fn spec(v: Value) -> PodSpec {
    serde_json::from_value(v).expect("pod spec")
}

// upstream: qos_test.go TestComputePodQOS
#[test]
fn compute_pod_qos_rows() {
    let g = |cpu: &str, mem: &str| json!({"cpu": cpu, "memory": mem});
    let none = Value::Null;
    let cases: Vec<(&str, Value, PodQosClass)> = vec![
        (
            "guaranteed-guaranteed",
            json!({"containers": [container("a", g("100m", "100Mi"), g("100m", "100Mi")),
                                  container("b", g("100m", "100Mi"), g("100m", "100Mi"))]}),
            PodQosClass::Guaranteed,
        ),
        (
            "best-effort-burstable",
            json!({"containers": [container("a", none.clone(), none.clone()),
                                  container("b", json!({"cpu": "1"}), json!({"cpu": "2"}))]}),
            PodQosClass::Burstable,
        ),
        (
            "burstable-cpu-guaranteed-memory",
            json!({"containers": [container("a", json!({"memory": "100Mi"}), json!({"memory": "100Mi"}))]}),
            PodQosClass::Burstable,
        ),
        (
            "burstable-no-limits",
            json!({"containers": [container("a", g("100m", "100Mi"), none.clone())]}),
            PodQosClass::Burstable,
        ),
        (
            "burstable-guaranteed",
            json!({"containers": [container("a", g("1", "100Mi"), g("2", "100Mi")),
                                  container("b", g("100m", "100Mi"), g("100m", "100Mi"))]}),
            PodQosClass::Burstable,
        ),
        (
            // The sums are equal, but one container sets no limit.
            "burstable-unbounded-but-requests-match-limits",
            json!({"containers": [container("a", g("100m", "100Mi"), g("200m", "200Mi")),
                                  container("b", g("100m", "100Mi"), none.clone())]}),
            PodQosClass::Burstable,
        ),
        (
            // Zero requests are dropped: their count differs from the limits'.
            "burstable-2",
            json!({"containers": [container("a", g("0", "0"), g("100m", "200Mi"))]}),
            PodQosClass::Burstable,
        ),
        (
            "best-effort-hugepages",
            json!({"containers": [container("a",
                json!({"cpu": "0", "memory": "0", "hugepages-2Mi": "1Gi"}),
                json!({"cpu": "0", "memory": "0", "hugepages-2Mi": "1Gi"}))]}),
            PodQosClass::BestEffort,
        ),
        (
            "init-container",
            json!({"initContainers": [container("init", g("10m", "100Mi"), g("100m", "200Mi"))],
                   "containers": [container("a", none.clone(), none.clone())]}),
            PodQosClass::Burstable,
        ),
        (
            "guaranteed-with-pod-and-container-level-resources",
            json!({"resources": {"requests": g("10m", "100Mi"), "limits": g("10m", "100Mi")},
                   "containers": [container("a", g("3m", "10Mi"), g("5m", "20Mi"))]}),
            PodQosClass::Guaranteed,
        ),
        (
            "burstable-with-pod-level-resources",
            json!({"resources": {"requests": g("10m", "10Mi"), "limits": g("20m", "50Mi")},
                   "containers": [container("a", none.clone(), none.clone())]}),
            PodQosClass::Burstable,
        ),
        (
            "burstable-with-pod-and-container-level-resources",
            json!({"resources": {"requests": g("10m", "10Mi"), "limits": g("20m", "50Mi")},
                   "containers": [container("a", g("5m", "10Mi"), g("5m", "10Mi"))]}),
            PodQosClass::Burstable,
        ),
        (
            "burstable-with-pod-and-container-level-requests",
            json!({"resources": {"requests": g("10m", "10Mi")},
                   "containers": [container("a", g("5m", "10Mi"), none.clone())]}),
            PodQosClass::Burstable,
        ),
        (
            "burstable-with-pod-and-container-level-resources-2",
            json!({"resources": {"requests": g("10m", "10Mi"), "limits": {"cpu": "5m"}},
                   "containers": [container("a", none.clone(), none.clone())]}),
            PodQosClass::Burstable,
        ),
        (
            // TestCollectContainerLevelResources' ephemeral case: an
            // ephemeral container does not count.
            "ephemeral container ignored",
            json!({"containers": [container("a", g("250m", "256Mi"), g("500m", "512Mi"))],
                   "ephemeralContainers": [{"name": "debug", "image": "busybox"}]}),
            PodQosClass::Burstable,
        ),
    ];
    for (name, s, want) in cases {
        assert_eq!(compute_pod_qos(&spec(s)), want, "{name}");
    }
}
