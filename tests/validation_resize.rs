//! `validate_pod_resize`: the Pod `resize` subresource (in-place vertical
//! scaling).
//!
//! upstream: kubernetes/kubernetes pkg/apis/core/validation/validation_test.go
//! TestValidatePodResize (cases derived from ValidatePodResize and
//! validateContainerResize in validation.go; the test name is cited from
//! memory).

use kube_workloads::api::Object;
use kube_workloads::{Pod, defaults, validation};
use serde_json::{Value, json};

fn pod(spec: Value, extra: Value) -> Pod {
    let mut doc = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "default", "uid": "u", "resourceVersion": "1"},
        "spec": spec});
    if let (Some(d), Some(e)) = (doc.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            if k == "metadata" {
                if let (Some(m), Some(v)) =
                    (d.get_mut("metadata").and_then(Value::as_object_mut), v.as_object())
                {
                    m.extend(v.clone());
                }
            } else {
                d.insert(k.clone(), v.clone());
            }
        }
    }
    match defaults::applied(Object::from_value(doc).expect("decodes")) {
        Object::Pod(p) => *p,
        other => panic!("not a pod: {other:?}"),
    }
}

fn container(resources: Value) -> Value {
    json!({"name": "c", "image": "nginx:1", "resources": resources})
}

fn one(resources: Value) -> Pod {
    pod(json!({"containers": [container(resources)]}), json!({}))
}

fn errors(old: &Pod, new: &Pod) -> Vec<String> {
    match validation::validate_pod_resize(old, new) {
        Ok(()) => Vec::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    }
}

fn check(name: &str, old: &Pod, new: &Pod, expected: &[&str], bad: &mut Vec<String>) {
    let got = errors(old, new);
    let ok = got.len() == expected.len() && expected.iter().all(|e| got.iter().any(|g| g.starts_with(e)));
    if !ok {
        bad.push(format!("{name}: expected {expected:?}\n    got {got:#?}"));
    }
}

#[test]
fn pod_resize() {
    let mut bad = Vec::new();
    let burstable = one(json!({"requests": {"cpu": "100m", "memory": "100Mi"}}));
    check(
        "cpu and memory requests change",
        &burstable,
        &one(json!({"requests": {"cpu": "200m", "memory": "200Mi"}})),
        &[],
        &mut bad,
    );
    check(
        "request removed",
        &burstable,
        &one(json!({"requests": {"cpu": "100m"}})),
        &["spec.containers[0].resources.requests: Forbidden: resource requests cannot be removed"],
        &mut bad,
    );
    // 1.34 dropped the rule that a memory limit may only shrink or appear
    // with resizePolicy RestartContainer (kubernetes PR 133012): the kubelet
    // checks the usage instead.
    check(
        "memory limit added",
        &burstable,
        &one(json!({"requests": {"cpu": "100m", "memory": "100Mi"}, "limits": {"memory": "1Gi"}})),
        &[],
        &mut bad,
    );
    let limited = one(json!({"requests": {"cpu": "100m", "memory": "100Mi"}, "limits": {"memory": "1Gi"}}));
    check(
        "memory limit decreased",
        &limited,
        &one(json!({"requests": {"cpu": "100m", "memory": "100Mi"}, "limits": {"memory": "512Mi"}})),
        &[],
        &mut bad,
    );
    let restart = |limit: &str| {
        pod(
            json!({"containers": [{"name": "c", "image": "nginx:1",
                "resizePolicy": [{"resourceName": "memory", "restartPolicy": "RestartContainer"}],
                "resources": {"requests": {"cpu": "100m", "memory": "100Mi"}, "limits": {"memory": limit}}}]}),
            json!({}),
        )
    };
    check("memory limit decreased with a restart", &restart("1Gi"), &restart("512Mi"), &[], &mut bad);
    let guaranteed =
        one(json!({"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}}));
    check(
        "QoS class would change",
        &guaranteed,
        &one(json!({"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"cpu": "1", "memory": "1Gi"}})),
        &["spec: Invalid value: \"\": Pod QOS Class may not change as a result of resizing"],
        &mut bad,
    );
    check(
        "Guaranteed stays Guaranteed",
        &guaranteed,
        &one(json!({"requests": {"cpu": "2", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "1Gi"}})),
        &[],
        &mut bad,
    );
    check(
        "other resources are immutable",
        &burstable,
        &one(json!({"requests": {"cpu": "100m", "memory": "100Mi", "ephemeral-storage": "1Gi"}})),
        &["spec: Forbidden: only cpu and memory resources are mutable"],
        &mut bad,
    );
    let mut new_image = burstable.clone();
    if let Some(c) = new_image.spec.as_mut().and_then(|s| s.containers.first_mut()) {
        c.image = Some("nginx:2".into());
    }
    // The resize strategy's PrepareForUpdate (dropNonResizeUpdates) keeps
    // only the containers' resources and resize policies of the request:
    // the image change is dropped, not refused.
    check("image change", &burstable, &new_image, &[], &mut bad);
    let prepared = validation::prepare_pod_resize(&burstable, &new_image);
    assert_eq!(prepared.spec.as_ref().unwrap().containers[0].image.as_deref(), Some("nginx:1"));
    let pod_level = pod(
        json!({"resources": {"requests": {"cpu": "1"}}, "containers": [container(json!({"requests": {"cpu": "100m"}}))]}),
        json!({}),
    );
    check(
        "pod-level resources",
        &pod_level,
        &pod_level,
        &[
            ": Forbidden: resize of pods with pod-level resources is forbidden when InPlacePodLevelResourcesVerticalScalingEnabled feature gate is disabled",
        ],
        &mut bad,
    );
    // The static-pod answer comes first and alone, pod-level resources or
    // not (ValidatePodResize returns it before the pod-level check).
    let mirror_pod_level = pod(
        json!({"nodeName": "n", "resources": {"requests": {"cpu": "1"}},
               "containers": [container(json!({"requests": {"cpu": "100m"}}))]}),
        json!({"metadata": {"annotations": {"kubernetes.io/config.mirror": "x"}}}),
    );
    check(
        "static pod with pod-level resources",
        &mirror_pod_level,
        &mirror_pod_level,
        &[": Forbidden: static pods cannot be resized"],
        &mut bad,
    );
    // validatePodResizeContainerOrdering: containers keep their names and
    // order, and none is added or removed; the rest is not checked then.
    let named = |names: &[&str]| {
        let containers: Vec<Value> = names
            .iter()
            .map(|n| json!({"name": n, "image": "nginx:1", "resources": {"requests": {"cpu": "100m"}}}))
            .collect();
        pod(json!({"containers": containers}), json!({}))
    };
    check(
        "containers reordered",
        &named(&["a", "b"]),
        &named(&["b", "a"]),
        &[
            "spec.containers[0].name: Forbidden: containers may not be renamed or reordered on resize",
            "spec.containers[1].name: Forbidden: containers may not be renamed or reordered on resize",
        ],
        &mut bad,
    );
    check(
        "container added",
        &named(&["a"]),
        &named(&["a", "b"]),
        &["spec.containers: Forbidden: containers may not be added or removed on resize"],
        &mut bad,
    );
    // dropCPUMemoryUpdates keeps a new list's other resources even where
    // the old container had none (kubernetes PR 135084).
    check(
        "other resource added to a container without resources",
        &one(json!({})),
        &one(json!({"requests": {"ephemeral-storage": "1Gi"}})),
        &["spec: Forbidden: only cpu and memory resources are mutable"],
        &mut bad,
    );
    let mirror = pod(
        json!({"nodeName": "n", "containers": [container(json!({"requests": {"cpu": "100m"}}))]}),
        json!({"metadata": {"annotations": {"kubernetes.io/config.mirror": "x"}}}),
    );
    check("static pod", &mirror, &mirror, &[": Forbidden: static pods cannot be resized"], &mut bad);
    let windows = pod(json!({"os": {"name": "windows"}, "containers": [container(json!({}))]}), json!({}));
    check("windows pod", &windows, &windows, &[": Forbidden: windows pods cannot be resized"], &mut bad);
    let running = |reports: bool| {
        let status = if reports {
            json!({"name": "c", "ready": true, "restartCount": 0, "image": "nginx:1", "imageID": "",
                   "state": {"running": {}}, "resources": {"requests": {"cpu": "100m", "memory": "100Mi"}}})
        } else {
            json!({"name": "c", "ready": true, "restartCount": 0, "image": "nginx:1", "imageID": "", "state": {"running": {}}})
        };
        pod(
            json!({"containers": [container(json!({"requests": {"cpu": "100m", "memory": "100Mi"}}))]}),
            json!({"status": {"containerStatuses": [status]}}),
        )
    };
    check(
        "node reports resources",
        &running(true),
        &one(json!({"requests": {"cpu": "150m", "memory": "100Mi"}})),
        &[],
        &mut bad,
    );
    check(
        "node without resize support",
        &running(false),
        &one(json!({"requests": {"cpu": "150m", "memory": "100Mi"}})),
        &["spec: Forbidden: Pod running on node without support for resize"],
        &mut bad,
    );
    let with_init = |init_cpu: &str, side_cpu: &str| {
        pod(
            json!({"initContainers": [
                    {"name": "init", "image": "x", "resources": {"requests": {"cpu": init_cpu}}},
                    {"name": "side", "image": "x", "restartPolicy": "Always", "resources": {"requests": {"cpu": side_cpu}}}],
                   "containers": [container(json!({"requests": {"cpu": "100m"}}))]}),
            json!({}),
        )
    };
    check("sidecar resize", &with_init("100m", "100m"), &with_init("100m", "300m"), &[], &mut bad);
    check(
        "plain init container resize",
        &with_init("100m", "100m"),
        &with_init("200m", "100m"),
        &["spec: Forbidden: resources for non-sidecar init containers are immutable"],
        &mut bad,
    );
    assert!(bad.is_empty(), "{} cases failed:\n{}", bad.len(), bad.join("\n"));
}

// upstream: ValidatePodResize compares the munged containers and the rest
// of the spec with apiequality.Semantic.DeepEqual, so quantities compare by
// value and an empty list or map equals a missing one.
#[test]
fn resize_compares_semantically() {
    let old = one(json!({"requests": {"cpu": "100m", "memory": "128Mi", "ephemeral-storage": "1Gi"},
        "limits": {"cpu": "500m", "memory": "256Mi"}}));
    let respelled =
        one(json!({"requests": {"cpu": "200m", "memory": "128Mi", "ephemeral-storage": "1024Mi"},
        "limits": {"cpu": "500m", "memory": "256Mi"}}));
    assert_eq!(errors(&old, &respelled), Vec::<String>::new());
    // A different value still is a change.
    let grown = one(json!({"requests": {"cpu": "200m", "memory": "128Mi", "ephemeral-storage": "2Gi"},
        "limits": {"cpu": "500m", "memory": "256Mi"}}));
    assert_eq!(errors(&old, &grown), vec!["spec: Forbidden: only cpu and memory resources are mutable"]);
    let limits = json!({"requests": {"cpu": "100m"}, "limits": {"cpu": "500m"}});
    let plain = pod(json!({"containers": [container(limits.clone())]}), json!({}));
    let mut c = container(json!({"requests": {"cpu": "200m"}, "limits": {"cpu": "500m"}}));
    c["resizePolicy"] = json!([]);
    let empties = pod(json!({"containers": [c], "nodeSelector": {}}), json!({}));
    assert_eq!(errors(&plain, &empties), Vec::<String>::new());
}

// upstream: podResizeStrategy.PrepareForUpdate (dropNonResizeUpdates, with
// ResetObjectMetaForStatus) runs before ValidatePodResize: metadata, status
// and every spec field but the containers' resources and resize policies
// come from the stored pod; with a container added the request is kept
// as it is, for the validation to refuse.
#[test]
fn resize_requests_keep_only_resources() {
    let old = pod(
        json!({"containers": [container(json!({"requests": {"cpu": "100m"}, "limits": {"cpu": "500m"}}))]}),
        json!({"metadata": {"labels": {"app": "a"}}, "status": {"qosClass": "Burstable"}}),
    );
    let mut request = pod(
        json!({"containers": [container(json!({"requests": {"cpu": "200m"}, "limits": {"cpu": "500m"}}))],
            "nodeSelector": {"disk": "ssd"}}),
        json!({"metadata": {"labels": {"a b": "x"}}}),
    );
    request.spec.as_mut().unwrap().containers[0].image = Some("nginx:2".into());
    // The bad label and the spec changes are dropped, not reported.
    assert_eq!(errors(&old, &request), Vec::<String>::new());
    let prepared = validation::prepare_pod_resize(&old, &request);
    let spec = prepared.spec.as_ref().unwrap();
    assert_eq!(spec.node_selector, old.spec.as_ref().unwrap().node_selector);
    assert_eq!(spec.containers[0].image.as_deref(), Some("nginx:1"));
    let requests = spec.containers[0].resources.as_ref().unwrap().requests.as_ref().unwrap();
    assert_eq!(requests.get("cpu").map(ToString::to_string).as_deref(), Some("200m"));
    assert_eq!(prepared.metadata.labels, old.metadata.labels);
    assert_eq!(prepared.status, old.status);
    // A QoS change reports the stored pod's class, the status being reset.
    let best_effort =
        pod(json!({"containers": [container(json!({}))]}), json!({"metadata": {"labels": {"app": "a"}}}));
    assert_eq!(
        errors(&old, &best_effort),
        vec![
            "spec: Invalid value: \"Burstable\": Pod QOS Class may not change as a result of resizing",
            "spec.containers[0].resources.requests: Forbidden: resource requests cannot be removed",
            "spec.containers[0].resources.limits: Forbidden: resource limits cannot be removed",
        ]
    );
    // A container added: the request as it is, refused.
    let mut added = old.clone();
    added
        .spec
        .as_mut()
        .unwrap()
        .containers
        .push(serde_json::from_value(json!({"name": "d", "image": "x"})).unwrap());
    assert_eq!(validation::prepare_pod_resize(&old, &added), added);
}
