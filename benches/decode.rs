//! Decoding a 10,000-pod list from JSON: this crate against k8s-openapi, in
//! the same run on the same bytes. The figure that matters is the ratio
//! `kube_workloads / k8s_openapi` (goal: at most 1.0).
//!
//! Both sides decode into the same bench-local list wrapper, so the only
//! difference is the Pod type.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct List<T> {
    items: Vec<T>,
}

/// One realistic running pod: owner reference, two containers with probes,
/// resources, env, volume mounts, and a full status.
fn pod(i: usize) -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "name": format!("web-7c9f8d6b5-{i:05}"),
            "generateName": "web-7c9f8d6b5-",
            "namespace": "shop",
            "uid": format!("6f1c2a9e-0000-4000-8000-{i:012}"),
            "resourceVersion": format!("{}", 100000 + i),
            "creationTimestamp": "2024-05-01T12:00:00Z",
            "labels": {"app": "web", "pod-template-hash": "7c9f8d6b5", "tier": "frontend"},
            "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
            "ownerReferences": [{
                "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7c9f8d6b5",
                "uid": "0b9a3c51-3f0e-4a55-9d7e-6d1f3c1a2b01", "controller": true, "blockOwnerDeletion": true
            }]
        },
        "spec": {
            "nodeName": format!("node-{}", i % 500),
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "schedulerName": "default-scheduler",
            "serviceAccountName": "default",
            "tolerations": [
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}
            ],
            "containers": [
                {
                    "name": "web",
                    "image": "nginx:1.27",
                    "imagePullPolicy": "IfNotPresent",
                    "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}],
                    "env": [{"name": "MODE", "value": "production"}, {"name": "PORT", "value": "8080"}],
                    "resources": {"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP"},
                        "periodSeconds": 10, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                    "readinessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 5,
                        "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3},
                    "volumeMounts": [{"name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true}],
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File"
                },
                {
                    "name": "metrics",
                    "image": "exporter:0.15",
                    "args": ["--port=9090"],
                    "ports": [{"containerPort": 9090}]
                }
            ],
            "volumes": [{"name": "kube-api-access", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}]
        },
        "status": {
            "phase": "Running",
            "hostIP": "10.0.0.5",
            "podIP": format!("10.244.{}.{}", i / 250, i % 250),
            "startTime": "2024-05-01T12:00:01Z",
            "qosClass": "Burstable",
            "conditions": [
                {"type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-01T12:00:01Z"},
                {"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-01T12:00:09Z"},
                {"type": "ContainersReady", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-01T12:00:09Z"},
                {"type": "PodScheduled", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-01T12:00:00Z"}
            ],
            "containerStatuses": [
                {"name": "web", "image": "nginx:1.27", "imageID": "docker.io/library/nginx@sha256:1234",
                 "containerID": "containerd://abcd", "ready": true, "started": true, "restartCount": 0,
                 "lastState": {}, "state": {"running": {"startedAt": "2024-05-01T12:00:03Z"}}},
                {"name": "metrics", "image": "exporter:0.15", "imageID": "docker.io/library/exporter@sha256:5678",
                 "containerID": "containerd://ef01", "ready": true, "started": true, "restartCount": 1,
                 "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                     "startedAt": "2024-05-01T12:00:02Z", "finishedAt": "2024-05-01T12:00:04Z"}},
                 "state": {"running": {"startedAt": "2024-05-01T12:00:05Z"}}}
            ]
        }
    })
}

fn pod_list(n: usize) -> Vec<u8> {
    let list = json!({"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": (0..n).map(pod).collect::<Vec<_>>()});
    serde_json::to_vec(&list).unwrap_or_default()
}

fn decode(c: &mut Criterion) {
    let bytes = pod_list(10_000);
    // Both decoders must accept the bytes, or the comparison means nothing.
    let ours: List<kube_workloads::Pod> =
        serde_json::from_slice(&bytes).expect("kube-workloads decodes the list");
    let theirs: List<k8s_openapi::api::core::v1::Pod> =
        serde_json::from_slice(&bytes).expect("k8s-openapi decodes the list");
    assert_eq!(ours.items.len(), theirs.items.len());

    let mut group = c.benchmark_group("decode_10k_pods");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(20);
    group.bench_function("k8s_openapi", |b| {
        b.iter(|| {
            black_box(serde_json::from_slice::<List<k8s_openapi::api::core::v1::Pod>>(black_box(&bytes)))
        })
    });
    group.bench_function("kube_workloads", |b| {
        b.iter(|| black_box(serde_json::from_slice::<List<kube_workloads::Pod>>(black_box(&bytes))))
    });
    group.finish();

    let mut group = c.benchmark_group("encode_10k_pods");
    group.sample_size(20);
    group.bench_function("k8s_openapi", |b| b.iter(|| black_box(serde_json::to_vec(&theirs.items))));
    group.bench_function("kube_workloads", |b| b.iter(|| black_box(serde_json::to_vec(&ours.items))));
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
