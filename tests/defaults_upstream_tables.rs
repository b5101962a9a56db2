//! Ports of upstream API-server defaulting table cases that `tests/defaults.rs`
//! does not mirror yet: inputs and expectations follow the upstream cases,
//! checked as JSON pointers into the defaulted object.
//!
//! upstream: pkg/apis/core/v1/defaults_test.go, pkg/apis/apps/v1/defaults_test.go,
//! pkg/apis/batch/v1/defaults_test.go (each test names its upstream test and case).

use kube_workloads::api::Object;
use kube_workloads::defaults;
use kube_workloads::features::FeatureGates;
use serde_json::{Value, json};

fn defaulted(doc: Value) -> Value {
    defaults::applied(Object::from_value(doc).expect("decodes")).to_value()
}

fn defaulted_with(doc: Value, gates: &FeatureGates) -> Value {
    let mut o = Object::from_value(doc).expect("decodes");
    defaults::apply_with_gates(&mut o, gates);
    o.to_value()
}

/// `Value::Null` expects the pointer to be absent.
fn check(v: &Value, expected: &[(&str, Value)]) {
    for (pointer, want) in expected {
        let got = v.pointer(pointer);
        if want.is_null() {
            assert!(got.is_none(), "{pointer}: expected absent, got {got:?}\n{v:#}");
        } else {
            assert_eq!(got, Some(want), "{pointer}\n{v:#}");
        }
    }
}

fn pod(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}, "spec": spec})
}

fn rc(metadata: Value, spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": metadata, "spec": spec})
}

/// The pod-template defaults upstream's apps/v1 tables expect in every
/// defaulted template (`defaultTemplate` / `templateNoLabel`).
fn template_defaults(prefix: &str) -> Vec<(String, Value)> {
    vec![
        (format!("{prefix}/spec/dnsPolicy"), json!("ClusterFirst")),
        (format!("{prefix}/spec/restartPolicy"), json!("Always")),
        (format!("{prefix}/spec/securityContext"), json!({})),
        (format!("{prefix}/spec/terminationGracePeriodSeconds"), json!(30)),
        (format!("{prefix}/spec/schedulerName"), json!("default-scheduler")),
    ]
}

fn check_owned(v: &Value, expected: &[(String, Value)]) {
    let borrowed: Vec<(&str, Value)> = expected.iter().map(|(p, w)| (p.as_str(), w.clone())).collect();
    check(v, &borrowed);
}

// ------------------------------------------------------------------ core/v1

// upstream: core/v1 TestSetDefaultReplicationController, case 2 (rc labels
// {bar: foo}, template labels {foo: bar}, no selector): the selector becomes
// the template labels, the rc's own labels are kept.
#[test]
fn replication_controller_case_2_own_labels_kept_selector_defaulted() {
    let v = defaulted(rc(
        json!({"name": "rc", "labels": {"bar": "foo"}}),
        json!({"template": {"metadata": {"labels": {"foo": "bar"}}}}),
    ));
    check(&v, &[("/spec/selector", json!({"foo": "bar"})), ("/metadata/labels", json!({"bar": "foo"}))]);
}

// upstream: core/v1 TestSetDefaultReplicationController, case 4 (no rc
// labels, selector {some: other}, template labels {foo: bar}): the labels
// become the template labels, the selector is kept.
#[test]
fn replication_controller_case_4_selector_kept_labels_defaulted() {
    let v = defaulted(rc(
        json!({"name": "rc"}),
        json!({"selector": {"some": "other"}, "template": {"metadata": {"labels": {"foo": "bar"}}}}),
    ));
    check(&v, &[("/spec/selector", json!({"some": "other"})), ("/metadata/labels", json!({"foo": "bar"}))]);
}

fn rc_with_init_container(init: Value) -> Value {
    rc(json!({"name": "rc"}), json!({"template": {"spec": {"initContainers": [init]}}}))
}

// upstream: core/v1 TestSetDefaultReplicationControllerInitContainers,
// "imagePullIPolicy": an untagged image is pulled Always.
#[test]
fn rc_init_container_image_pull_policy() {
    let v = defaulted(rc_with_init_container(json!({"name": "install", "image": "busybox"})));
    check(&v, &[("/spec/template/spec/initContainers/0/imagePullPolicy", json!("Always"))]);
}

// upstream: core/v1 TestSetDefaultReplicationControllerInitContainers,
// "FieldRef": an empty fieldRef apiVersion becomes v1.
#[test]
fn rc_init_container_field_ref() {
    let v = defaulted(rc_with_init_container(json!({"name": "fun", "image": "alpine", "env": [
        {"name": "MY_POD_IP", "valueFrom": {"fieldRef": {"apiVersion": "", "fieldPath": "status.podIP"}}}]})));
    let env = "/spec/template/spec/initContainers/0/env";
    check(
        &v,
        &[
            (&format!("{env}/0/name"), json!("MY_POD_IP")),
            (&format!("{env}/0/valueFrom/fieldRef/apiVersion"), json!("v1")),
            (&format!("{env}/0/valueFrom/fieldRef/fieldPath"), json!("status.podIP")),
        ],
    );
    assert_eq!(v.pointer(env).and_then(Value::as_array).map(Vec::len), Some(1), "{v:#}");
}

// upstream: core/v1 TestSetDefaultReplicationControllerInitContainers,
// "ContainerPort": a port named "default" gets protocol TCP.
#[test]
fn rc_init_container_port() {
    let v = defaulted(rc_with_init_container(
        json!({"name": "fun", "image": "alpine", "ports": [{"name": "default", "containerPort": 0}]}),
    ));
    let ports = "/spec/template/spec/initContainers/0/ports";
    check(
        &v,
        &[(&format!("{ports}/0/name"), json!("default")), (&format!("{ports}/0/protocol"), json!("TCP"))],
    );
    assert_eq!(v.pointer(ports).and_then(Value::as_array).map(Vec::len), Some(1), "{v:#}");
}

// upstream: core/v1 TestSetDefaultReplicationControllerInitContainers,
// "Resources": explicit limits and requests (100m, 100Mi) are kept as they are.
#[test]
fn rc_init_container_resources() {
    let v = defaulted(rc_with_init_container(json!({"name": "fun", "image": "alpine", "resources": {
        "limits": {"cpu": "100m", "memory": "100Mi"}, "requests": {"cpu": "100m", "memory": "100Mi"}}})));
    check(
        &v,
        &[
            (
                "/spec/template/spec/initContainers/0/resources/limits",
                json!({"cpu": "100m", "memory": "100Mi"}),
            ),
            (
                "/spec/template/spec/initContainers/0/resources/requests",
                json!({"cpu": "100m", "memory": "100Mi"}),
            ),
        ],
    );
}

// upstream: core/v1 TestSetDefaultReplicationControllerInitContainers,
// "Probe": liveness and readiness httpGet probes (host only) get path /,
// scheme HTTP, timeout 1, period 10, success 1, failure 3.
#[test]
fn rc_init_container_probes() {
    let v = defaulted(rc_with_init_container(json!({"name": "fun", "image": "alpine",
        "livenessProbe": {"httpGet": {"host": "localhost", "port": 0}},
        "readinessProbe": {"httpGet": {"host": "localhost", "port": 0}}})));
    for probe in ["livenessProbe", "readinessProbe"] {
        let p = format!("/spec/template/spec/initContainers/0/{probe}");
        check(
            &v,
            &[
                (&format!("{p}/httpGet/path"), json!("/")),
                (&format!("{p}/httpGet/scheme"), json!("HTTP")),
                (&format!("{p}/timeoutSeconds"), json!(1)),
                (&format!("{p}/periodSeconds"), json!(10)),
                (&format!("{p}/successThreshold"), json!(1)),
                (&format!("{p}/failureThreshold"), json!(3)),
            ],
        );
    }
}

// upstream: core/v1 TestSetDefaultReplicationControllerInitContainers,
// "LifeCycle": postStart and preStop httpGet handlers get path / and scheme HTTP.
#[test]
fn rc_init_container_lifecycle() {
    let v = defaulted(rc_with_init_container(json!({"name": "fun", "image": "alpine",
        "ports": [{"name": "default", "containerPort": 0}],
        "lifecycle": {"postStart": {"httpGet": {"host": "localhost", "port": 0}},
                      "preStop": {"httpGet": {"host": "localhost", "port": 0}}}})));
    let l = "/spec/template/spec/initContainers/0/lifecycle";
    check(
        &v,
        &[
            (&format!("{l}/postStart/httpGet/path"), json!("/")),
            (&format!("{l}/postStart/httpGet/scheme"), json!("HTTP")),
            (&format!("{l}/preStop/httpGet/path"), json!("/")),
            (&format!("{l}/preStop/httpGet/scheme"), json!("HTTP")),
        ],
    );
}

// upstream: core/v1 TestSetDefaultConfigMapVolumeSource: `configMap: {}` gets
// defaultMode 0644 (420).
#[test]
fn config_map_volume_default_mode() {
    let v = defaulted(pod(json!({"volumes": [{"name": "", "configMap": {}}]})));
    check(&v, &[("/spec/volumes/0/configMap/defaultMode", json!(420))]);
}

// upstream: core/v1 TestSetDefaultPodSpecHostNetwork: with hostNetwork, the
// host port of a container's and of an init container's port defaults to its
// container port (8080).
#[test]
fn host_network_defaults_init_container_host_port() {
    let v = defaulted(pod(json!({"hostNetwork": true,
        "containers": [{"name": "", "ports": [{"containerPort": 8080}]}],
        "initContainers": [{"name": "", "ports": [{"containerPort": 8080}]}]})));
    check(
        &v,
        &[
            ("/spec/containers/0/ports/0/hostPort", json!(8080)),
            ("/spec/initContainers/0/ports/0/hostPort", json!(8080)),
        ],
    );
}

// upstream: core/v1 TestSetMinimumScalePod: a memory request of 1n (and the
// cpu request copied from a 2n limit) is rounded up to 1m, in containers and
// init containers.
#[test]
fn minimum_scale_pod() {
    let c = json!({"name": "", "resources": {"requests": {"memory": "1n"}, "limits": {"cpu": "2n"}}});
    let v = defaulted(pod(json!({"containers": [c.clone()], "initContainers": [c]})));
    for list in ["containers", "initContainers"] {
        check(&v, &[(&format!("/spec/{list}/0/resources/requests/memory"), json!("1m"))]);
    }
}

// upstream: core/v1 TestSetDefaultRequestsPod: with limits cpu 100m and
// memory 1Gi, an explicit memory request of 0 is kept and the cpu request is
// copied from the limit; without limits no request is set.
#[test]
fn default_requests_pod() {
    let c = json!({"name": "", "resources": {"requests": {"memory": "0"}, "limits": {"cpu": "100m", "memory": "1Gi"}}});
    let v = defaulted(pod(json!({"containers": [c.clone()], "initContainers": [c]})));
    for list in ["containers", "initContainers"] {
        check(
            &v,
            &[
                (&format!("/spec/{list}/0/resources/requests/cpu"), json!("100m")),
                (&format!("/spec/{list}/0/resources/requests/memory"), json!("0")),
            ],
        );
    }
    let v = defaulted(pod(json!({"containers": [{"name": ""}], "initContainers": [{"name": ""}]})));
    for list in ["containers", "initContainers"] {
        check(&v, &[(&format!("/spec/{list}/0/resources/requests/cpu"), Value::Null)]);
    }
}

// upstream: core/v1 TestDefaultRequestIsNotSetForReplicationController: a
// template container's cpu limit is not copied to its requests.
#[test]
fn default_request_is_not_set_for_replication_controller() {
    let v = defaulted(rc(
        json!({"name": "rc"}),
        json!({"replicas": 3, "template": {"metadata": {"labels": {"foo": "bar"}},
            "spec": {"containers": [{"name": "", "resources": {"limits": {"cpu": "100m"}}}]}}}),
    ));
    check(
        &v,
        &[
            ("/spec/template/spec/containers/0/resources/limits/cpu", json!("100m")),
            ("/spec/template/spec/containers/0/resources/requests/cpu", Value::Null),
        ],
    );
}

fn limits(cpu: &str, memory: &str) -> Value {
    json!({"limits": {"cpu": cpu, "memory": memory}})
}

// upstream: core/v1 TestPodResourcesDefaults, "pod requests=empty map
// limits=set, container requests=unset limits=set": containers' requests
// copy their limits; pod requests are the containers' sum (3m, 6Mi).
#[test]
fn pod_resources_requests_empty_map_limits_set() {
    let v = defaulted(pod(json!({
        "resources": {"requests": {}, "limits": {"cpu": "5m", "memory": "7Mi"}},
        "containers": [{"name": "a", "resources": limits("2m", "1Mi")}, {"name": "b", "resources": limits("1m", "5Mi")}]
    })));
    check(
        &v,
        &[
            ("/spec/containers/0/resources/requests", json!({"cpu": "2m", "memory": "1Mi"})),
            ("/spec/containers/1/resources/requests", json!({"cpu": "1m", "memory": "5Mi"})),
            ("/spec/resources/requests", json!({"cpu": "3m", "memory": "6Mi"})),
            ("/spec/resources/limits", json!({"cpu": "5m", "memory": "7Mi"})),
        ],
    );
}

// upstream: core/v1 TestPodResourcesDefaults, "pod hugepages requests=unset
// limits=set, container hugepages requests=unset limits=set different
// hugepagesizes between pod and container level": the pod gets a
// hugepages-1Gi limit and request from the container, keeps its own
// hugepages-2Mi 10Mi (request from its limit), cpu request 3m.
#[test]
fn pod_resources_different_hugepage_sizes() {
    let v = defaulted(pod(json!({
        "resources": {"limits": {"cpu": "5m", "hugepages-2Mi": "10Mi"}},
        "containers": [
            {"name": "a", "resources": {"limits": {"cpu": "2m", "hugepages-1Gi": "1Gi"}}},
            {"name": "b", "resources": {"limits": {"cpu": "1m", "hugepages-2Mi": "2Mi"}}}
        ]
    })));
    check(
        &v,
        &[
            ("/spec/containers/0/resources/requests", json!({"cpu": "2m", "hugepages-1Gi": "1Gi"})),
            ("/spec/containers/1/resources/requests", json!({"cpu": "1m", "hugepages-2Mi": "2Mi"})),
            (
                "/spec/resources/requests",
                json!({"cpu": "3m", "hugepages-2Mi": "10Mi", "hugepages-1Gi": "1Gi"}),
            ),
            ("/spec/resources/limits", json!({"cpu": "5m", "hugepages-2Mi": "10Mi", "hugepages-1Gi": "1Gi"})),
        ],
    );
}

// upstream: core/v1 TestPodResourcesDefaults, "pod has cpu request with
// hugepages requests=unset limits=unset, container hugepages requests=unset
// limits=set": the pod's cpu request 5m is kept; hugepages-2Mi (4Mi + 2Mi)
// becomes the pod's limit and then its request.
#[test]
fn pod_resources_cpu_request_with_container_hugepages() {
    let v = defaulted(pod(json!({
        "resources": {"requests": {"cpu": "5m"}},
        "containers": [
            {"name": "a", "resources": {"limits": {"cpu": "2m", "hugepages-2Mi": "4Mi"}}},
            {"name": "b", "resources": {"limits": {"cpu": "1m", "hugepages-2Mi": "2Mi"}}}
        ]
    })));
    check(
        &v,
        &[
            ("/spec/containers/0/resources/requests", json!({"cpu": "2m", "hugepages-2Mi": "4Mi"})),
            ("/spec/containers/1/resources/requests", json!({"cpu": "1m", "hugepages-2Mi": "2Mi"})),
            ("/spec/resources/requests", json!({"cpu": "5m", "hugepages-2Mi": "6Mi"})),
            ("/spec/resources/limits/hugepages-2Mi", json!("6Mi")),
        ],
    );
}

// upstream: core/v1 TestPodResourcesDefaults, "pod hugepages requests=set
// limits=set, container hugepages requests=unset limits=set" and "... container
// hugepages requests=unset limits=unset": explicit pod values (cpu 5m,
// hugepages-2Mi 10Mi) are kept; containers' requests copy their limits.
#[test]
fn pod_resources_pod_hugepages_requests_and_limits_set() {
    let pod_resources = json!({
        "limits": {"cpu": "5m", "hugepages-2Mi": "10Mi"},
        "requests": {"cpu": "5m", "hugepages-2Mi": "10Mi"}
    });
    let v = defaulted(pod(json!({
        "resources": pod_resources.clone(),
        "containers": [
            {"name": "a", "resources": {"limits": {"cpu": "2m", "hugepages-2Mi": "4Mi"}}},
            {"name": "b", "resources": {"limits": {"cpu": "1m", "hugepages-2Mi": "2Mi"}}}
        ]
    })));
    check(
        &v,
        &[
            ("/spec/containers/0/resources/requests", json!({"cpu": "2m", "hugepages-2Mi": "4Mi"})),
            ("/spec/containers/1/resources/requests", json!({"cpu": "1m", "hugepages-2Mi": "2Mi"})),
            ("/spec/resources", pod_resources.clone()),
        ],
    );
    let v = defaulted(pod(
        json!({"resources": pod_resources.clone(), "containers": [{"name": "a", "resources": {}}]}),
    ));
    check(&v, &[("/spec/resources", pod_resources), ("/spec/containers/0/resources/requests", Value::Null)]);
}

// upstream: core/v1 TestPodResourcesDefaults, "pod limits=set, container
// unsupported requests=set limits=set": storage and ephemeral-storage are not
// pod-level resources; pod requests copy the pod limits (2m, 1Mi).
#[test]
fn pod_resources_container_unsupported_resources() {
    let v = defaulted(pod(json!({
        "resources": {"limits": {"cpu": "2m", "memory": "1Mi"}},
        "containers": [
            {"name": "a", "resources": {"limits": {"storage": "1Mi"}}},
            {"name": "b", "resources": {"limits": {"ephemeral-storage": "5Mi"}}}
        ]
    })));
    check(
        &v,
        &[
            ("/spec/containers/0/resources/requests", json!({"storage": "1Mi"})),
            ("/spec/containers/1/resources/requests", json!({"ephemeral-storage": "5Mi"})),
            ("/spec/resources/requests", json!({"cpu": "2m", "memory": "1Mi"})),
        ],
    );
}

// upstream: core/v1 TestPodResourcesDefaults, "pod limits=empty map, container
// requests=unset limits=set": containers' requests copy their limits, the pod
// gets no requests.
#[test]
fn pod_resources_pod_limits_empty_map() {
    let v = defaulted(pod(json!({
        "resources": {"limits": {}},
        "containers": [{"name": "a", "resources": limits("2m", "1Mi")}, {"name": "b", "resources": limits("1m", "5Mi")}]
    })));
    check(
        &v,
        &[
            ("/spec/containers/0/resources/requests", json!({"cpu": "2m", "memory": "1Mi"})),
            ("/spec/containers/1/resources/requests", json!({"cpu": "1m", "memory": "5Mi"})),
            ("/spec/resources/requests", Value::Null),
        ],
    );
}

// ------------------------------------------------------------------ apps/v1

fn daemon_set(metadata: Value, spec: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": metadata, "spec": spec})
}

// upstream: apps/v1 TestSetDefaultDaemonSetSpec, case 2 (own labels {bar: foo},
// revisionHistoryLimit 1): RollingUpdate with maxUnavailable 1 and maxSurge 0,
// the limit and the labels are kept, the template is defaulted.
#[test]
fn daemon_set_case_2_revision_history_limit_kept() {
    let v = defaulted(daemon_set(
        json!({"name": "d", "labels": {"bar": "foo"}}),
        json!({"template": {"metadata": {"labels": {"foo": "bar"}}}, "revisionHistoryLimit": 1}),
    ));
    check(
        &v,
        &[
            ("/metadata/labels", json!({"bar": "foo"})),
            ("/spec/template/metadata/labels", json!({"foo": "bar"})),
            (
                "/spec/updateStrategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}),
            ),
            ("/spec/revisionHistoryLimit", json!(1)),
        ],
    );
    check_owned(&v, &template_defaults("/spec/template"));
}

// upstream: apps/v1 TestSetDefaultDaemonSetSpec, case 4 (empty spec): the
// absent template is defaulted, RollingUpdate 1/0, revisionHistoryLimit 10.
#[test]
fn daemon_set_case_4_empty_spec() {
    let v = defaulted(daemon_set(json!({"name": "d"}), json!({})));
    check(
        &v,
        &[
            (
                "/spec/updateStrategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}),
            ),
            ("/spec/revisionHistoryLimit", json!(10)),
            ("/spec/template/metadata/labels", Value::Null),
        ],
    );
    check_owned(&v, &template_defaults("/spec/template"));
}

fn stateful_set(spec: Value) -> Value {
    let mut s = json!({"template": {"metadata": {"labels": {"foo": "bar"}}}});
    if let (Some(s), Some(e)) = (s.as_object_mut(), spec.as_object()) {
        s.extend(e.clone());
    }
    json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"}, "spec": s})
}

fn stateful_set_common(v: &Value) {
    check(v, &[("/spec/replicas", json!(1)), ("/spec/revisionHistoryLimit", json!(10))]);
    check_owned(v, &template_defaults("/spec/template"));
}

// upstream: apps/v1 TestSetDefaultStatefulSet, "Alternate update strategy":
// OnDelete is kept, with no rollingUpdate block.
#[test]
fn stateful_set_alternate_update_strategy() {
    let v = defaulted(stateful_set(json!({"updateStrategy": {"type": "OnDelete"}})));
    check(
        &v,
        &[
            ("/spec/updateStrategy", json!({"type": "OnDelete"})),
            ("/spec/podManagementPolicy", json!("OrderedReady")),
        ],
    );
    stateful_set_common(&v);
}

// upstream: apps/v1 TestSetDefaultStatefulSet, "Parallel pod management
// policy": Parallel is kept; RollingUpdate with partition 0.
#[test]
fn stateful_set_parallel_pod_management_policy() {
    let v = defaulted(stateful_set(json!({"podManagementPolicy": "Parallel"})));
    check(
        &v,
        &[
            ("/spec/podManagementPolicy", json!("Parallel")),
            ("/spec/updateStrategy", json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})),
        ],
    );
    stateful_set_common(&v);
}

// upstream: apps/v1 TestSetDefaultStatefulSet, "UpdateStrategy.RollingUpdate.
// Partition is not lost when UpdateStrategy.Type is not set": partition 42 is
// kept and the type becomes RollingUpdate.
#[test]
fn stateful_set_partition_kept_when_type_unset() {
    let v = defaulted(stateful_set(json!({"updateStrategy": {"rollingUpdate": {"partition": 42}}})));
    check(
        &v,
        &[
            ("/spec/updateStrategy", json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 42}})),
            ("/spec/podManagementPolicy", json!("OrderedReady")),
        ],
    );
    stateful_set_common(&v);
}

// upstream: apps/v1 TestSetDefaultStatefulSet, "PVC delete policy enabled,
// with scaledown policy specified": whenScaled Delete is kept, whenDeleted
// defaults to Retain.
#[test]
fn stateful_set_pvc_retention_with_scaledown_policy() {
    let v =
        defaulted(stateful_set(json!({"persistentVolumeClaimRetentionPolicy": {"whenScaled": "Delete"}})));
    check(
        &v,
        &[
            (
                "/spec/persistentVolumeClaimRetentionPolicy",
                json!({"whenDeleted": "Retain", "whenScaled": "Delete"}),
            ),
            ("/spec/updateStrategy", json!({"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})),
        ],
    );
    stateful_set_common(&v);
}

// upstream: apps/v1 TestSetDefaultStatefulSet, the MaxUnavailableStatefulSet
// rows: "MaxUnavailable disabled, with maxUnavailable not specified", "...
// disabled, with default maxUnavailable specified", "... disabled, with non
// default maxUnavailable specified", "MaxUnavailable enabled, with no
// maxUnavailable specified", "... enabled, with non default maxUnavailable
// specified".
#[test]
fn stateful_set_max_unavailable_gate_rows() {
    let mut off = FeatureGates::default();
    off.max_unavailable_stateful_set = false;
    let mut on = FeatureGates::default();
    on.max_unavailable_stateful_set = true;
    let rows: [(&FeatureGates, Value, Value); 5] = [
        (&off, json!({}), json!({"partition": 0})),
        (
            &off,
            json!({"updateStrategy": {"rollingUpdate": {"partition": 0, "maxUnavailable": 1}}}),
            json!({"partition": 0, "maxUnavailable": 1}),
        ),
        (
            &off,
            json!({"updateStrategy": {"rollingUpdate": {"partition": 42, "maxUnavailable": 3}}}),
            json!({"partition": 42, "maxUnavailable": 3}),
        ),
        (&on, json!({}), json!({"partition": 0, "maxUnavailable": 1})),
        (
            &on,
            json!({"updateStrategy": {"rollingUpdate": {"partition": 42, "maxUnavailable": 3}}}),
            json!({"partition": 42, "maxUnavailable": 3}),
        ),
    ];
    for (gates, spec, rolling_update) in rows {
        let v = defaulted_with(stateful_set(spec), gates);
        check(
            &v,
            &[
                ("/spec/updateStrategy", json!({"type": "RollingUpdate", "rollingUpdate": rolling_update})),
                ("/spec/podManagementPolicy", json!("OrderedReady")),
            ],
        );
        stateful_set_common(&v);
    }
}

fn deployment(spec: Value) -> Value {
    json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": spec})
}

// upstream: apps/v1 TestSetDefaultDeployment, case 3 (replicas 3, type
// RollingUpdate, rollingUpdate nil): maxSurge and maxUnavailable 25%,
// revisionHistoryLimit 10, progressDeadlineSeconds 600.
#[test]
fn deployment_case_3_rolling_update_without_block() {
    let v = defaulted(deployment(json!({"replicas": 3, "strategy": {"type": "RollingUpdate"}})));
    check(
        &v,
        &[
            ("/spec/replicas", json!(3)),
            (
                "/spec/strategy",
                json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}),
            ),
            ("/spec/revisionHistoryLimit", json!(10)),
            ("/spec/progressDeadlineSeconds", json!(600)),
        ],
    );
    check_owned(&v, &template_defaults("/spec/template"));
}

// upstream: apps/v1 TestSetDefaultDeployment, case 5 (replicas 5, Recreate,
// progressDeadlineSeconds 30, revisionHistoryLimit 2): all kept, no
// rollingUpdate block.
#[test]
fn deployment_case_5_set_fields_kept() {
    let v = defaulted(deployment(json!({"replicas": 5, "strategy": {"type": "Recreate"},
        "progressDeadlineSeconds": 30, "revisionHistoryLimit": 2})));
    check(
        &v,
        &[
            ("/spec/replicas", json!(5)),
            ("/spec/strategy", json!({"type": "Recreate"})),
            ("/spec/progressDeadlineSeconds", json!(30)),
            ("/spec/revisionHistoryLimit", json!(2)),
        ],
    );
    check_owned(&v, &template_defaults("/spec/template"));
}

// upstream: apps/v1 TestDefaultDeploymentAvailability: for an empty
// Deployment, replicas minus the default maxUnavailable (scaled, rounded
// down) stays above 0.
#[test]
fn default_deployment_availability() {
    let o = defaults::applied(
        Object::from_value(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}}))
            .expect("decodes"),
    );
    let Object::Deployment(d) = &o else { panic!("not a deployment: {o:?}") };
    let spec = d.spec.as_ref().expect("spec defaulted");
    let replicas = spec.replicas.expect("replicas defaulted");
    let max_unavailable = spec
        .strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
        .and_then(|r| r.max_unavailable.as_ref())
        .expect("maxUnavailable defaulted");
    let scaled = max_unavailable.scaled_value(replicas, false).expect("scales");
    assert!(replicas - scaled > 0, "replicas {replicas}, maxUnavailable {scaled}");
}

// upstream: apps/v1 TestSetDefaultReplicaSetReplicas: unset -> 1, 0 -> 0, 3 -> 3.
#[test]
fn replica_set_replicas() {
    for (replicas, want) in [(None, 1), (Some(0), 0), (Some(3), 3)] {
        let mut spec = json!({"template": {"metadata": {"labels": {"foo": "bar"}}}});
        if let Some(r) = replicas {
            spec["replicas"] = json!(r);
        }
        let v = defaulted(
            json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"}, "spec": spec}),
        );
        check(&v, &[("/spec/replicas", json!(want))]);
    }
}

// upstream: apps/v1 TestDefaultRequestIsNotSetForReplicaSet: a template
// container's cpu limit is not copied to its requests.
#[test]
fn default_request_is_not_set_for_replica_set() {
    let v = defaulted(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"},
        "spec": {"replicas": 3, "template": {"metadata": {"labels": {"foo": "bar"}},
            "spec": {"containers": [{"name": "", "resources": {"limits": {"cpu": "100m"}}}]}}}}));
    check(
        &v,
        &[
            ("/spec/template/spec/containers/0/resources/limits/cpu", json!("100m")),
            ("/spec/template/spec/containers/0/resources/requests/cpu", Value::Null),
        ],
    );
}

// ------------------------------------------------------------------ batch/v1

fn job(metadata: Value, spec: Value) -> Value {
    let mut s = json!({"template": {"metadata": {"labels": {"default": "default"}}}});
    if let (Some(s), Some(e)) = (s.as_object_mut(), spec.as_object()) {
        s.extend(e.clone());
    }
    json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": s})
}

/// Upstream's TestSetDefaultJob runs every row without
/// `enablePodReplacementPolicy` with the JobPodReplacementPolicy gate off.
fn replacement_gate_off() -> FeatureGates {
    let mut g = FeatureGates::default();
    g.job_pod_replacement_policy = false;
    g
}

/// The fields TestSetDefaultJob compares; `Value::Null` is nil upstream.
struct JobWant {
    completions: Value,
    parallelism: Value,
    backoff_limit: Value,
    completion_mode: &'static str,
    suspend: bool,
    manual_selector: bool,
    pod_replacement_policy: Value,
    labels_from_template: bool,
}

fn check_job(v: &Value, want: &JobWant) {
    check(
        v,
        &[
            ("/spec/completions", want.completions.clone()),
            ("/spec/parallelism", want.parallelism.clone()),
            ("/spec/backoffLimit", want.backoff_limit.clone()),
            ("/spec/completionMode", json!(want.completion_mode)),
            ("/spec/suspend", json!(want.suspend)),
            ("/spec/manualSelector", json!(want.manual_selector)),
            ("/spec/podReplacementPolicy", want.pod_replacement_policy.clone()),
        ],
    );
    let labels = v.pointer("/metadata/labels");
    let template_labels = v.pointer("/spec/template/metadata/labels");
    assert_eq!(
        labels == template_labels,
        want.labels_from_template,
        "labels {labels:?}, template {template_labels:?}"
    );
}

fn defaults_want() -> JobWant {
    JobWant {
        completions: json!(1),
        parallelism: json!(1),
        backoff_limit: json!(6),
        completion_mode: "NonIndexed",
        suspend: false,
        manual_selector: false,
        pod_replacement_policy: Value::Null,
        labels_from_template: true,
    }
}

// upstream: batch/v1 TestSetDefaultJob, "Pod failure policy with some field
// values unspecified -> set default values" (JobPodReplacementPolicy off): an
// onPodConditions pattern without status gets True, explicit statuses and the
// onExitCodes rule are kept; the rest is defaulted, no podReplacementPolicy.
#[test]
fn job_pod_failure_policy_some_fields_unspecified() {
    let v = defaulted_with(
        job(
            json!({"name": "j"}),
            json!({"podFailurePolicy": {"rules": [
                {"action": "FailJob", "onPodConditions": [
                    {"type": "DisruptionTarget", "status": "True"},
                    {"type": "MemoryLimitExceeded", "status": "False"},
                    {"type": "DiskLimitExceeded"}]},
                {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1]}},
                {"action": "FailJob", "onPodConditions": [{"type": "DisruptionTarget"}]}]}}),
        ),
        &replacement_gate_off(),
    );
    check(
        &v,
        &[(
            "/spec/podFailurePolicy",
            json!({"rules": [
                {"action": "FailJob", "onPodConditions": [
                    {"type": "DisruptionTarget", "status": "True"},
                    {"type": "MemoryLimitExceeded", "status": "False"},
                    {"type": "DiskLimitExceeded", "status": "True"}]},
                {"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1]}},
                {"action": "FailJob", "onPodConditions": [{"type": "DisruptionTarget", "status": "True"}]}]}),
        )],
    );
    check_job(&v, &defaults_want());
}

// upstream: batch/v1 TestSetDefaultJob, "All unspecified -> sets all to
// default values" (JobPodReplacementPolicy off): no podReplacementPolicy.
#[test]
fn job_all_unspecified_gate_off() {
    let v = defaulted_with(job(json!({"name": "j"}), json!({})), &replacement_gate_off());
    check_job(&v, &defaults_want());
}

// upstream: batch/v1 TestSetDefaultJob, "suspend set, everything else is
// defaulted".
#[test]
fn job_suspend_set() {
    let v = defaulted_with(job(json!({"name": "j"}), json!({"suspend": true})), &replacement_gate_off());
    check_job(&v, &JobWant { suspend: true, ..defaults_want() });
}

// upstream: batch/v1 TestSetDefaultJob, "All unspecified -> all pointers are
// defaulted and no default labels": the Job's own labels are kept.
#[test]
fn job_own_labels_kept() {
    let v = defaulted_with(
        job(json!({"name": "j", "labels": {"mylabel": "myvalue"}}), json!({})),
        &replacement_gate_off(),
    );
    check(&v, &[("/metadata/labels", json!({"mylabel": "myvalue"}))]);
    check_job(&v, &JobWant { labels_from_template: false, ..defaults_want() });
}

// upstream: batch/v1 TestSetDefaultJob, "WQ: Parallelism explicitly 0 and
// completions unset -> BackoffLimit is defaulted".
#[test]
fn job_work_queue_parallelism_zero() {
    let v = defaulted_with(job(json!({"name": "j"}), json!({"parallelism": 0})), &replacement_gate_off());
    check_job(&v, &JobWant { completions: Value::Null, parallelism: json!(0), ..defaults_want() });
}

// upstream: batch/v1 TestSetDefaultJob, "BackoffLimit explicitly 5 and others
// unset -> parallelism and completions are defaulted".
#[test]
fn job_backoff_limit_five() {
    let v = defaulted_with(job(json!({"name": "j"}), json!({"backoffLimit": 5})), &replacement_gate_off());
    check_job(&v, &JobWant { backoff_limit: json!(5), ..defaults_want() });
}

// upstream: batch/v1 TestSetDefaultJob, "All set -> no change".
#[test]
fn job_all_set() {
    let v = defaulted_with(
        job(
            json!({"name": "j"}),
            json!({"completions": 8, "parallelism": 9, "backoffLimit": 10, "completionMode": "NonIndexed",
                "suspend": false, "podReplacementPolicy": "TerminatingOrFailed", "manualSelector": false}),
        ),
        &replacement_gate_off(),
    );
    check_job(
        &v,
        &JobWant {
            completions: json!(8),
            parallelism: json!(9),
            backoff_limit: json!(10),
            pod_replacement_policy: json!("TerminatingOrFailed"),
            ..defaults_want()
        },
    );
}

// upstream: batch/v1 TestSetDefaultJob, "All set, flipped -> no change".
#[test]
fn job_all_set_flipped() {
    let v = defaulted_with(
        job(
            json!({"name": "j"}),
            json!({"completions": 11, "parallelism": 10, "backoffLimit": 9, "completionMode": "Indexed",
                "suspend": true, "podReplacementPolicy": "Failed", "manualSelector": true}),
        ),
        &replacement_gate_off(),
    );
    check_job(
        &v,
        &JobWant {
            completions: json!(11),
            parallelism: json!(10),
            backoff_limit: json!(9),
            completion_mode: "Indexed",
            suspend: true,
            manual_selector: true,
            pod_replacement_policy: json!("Failed"),
            labels_from_template: true,
        },
    );
}

// upstream: batch/v1 TestSetDefaultJob, "BackoffLimitPerIndex and BackoffLimit
// specified -> no change": backoffLimit 3 is not replaced by max int32.
#[test]
fn job_backoff_limit_per_index_and_backoff_limit() {
    let v = defaulted_with(
        job(
            json!({"name": "j"}),
            json!({"completions": 11, "parallelism": 10, "backoffLimit": 3, "backoffLimitPerIndex": 1,
                "completionMode": "Indexed", "suspend": true, "manualSelector": true}),
        ),
        &replacement_gate_off(),
    );
    check(&v, &[("/spec/backoffLimitPerIndex", json!(1))]);
    check_job(
        &v,
        &JobWant {
            completions: json!(11),
            parallelism: json!(10),
            backoff_limit: json!(3),
            completion_mode: "Indexed",
            suspend: true,
            manual_selector: true,
            pod_replacement_policy: Value::Null,
            labels_from_template: true,
        },
    );
}

// upstream: batch/v1 TestSetDefaultCronJob, "set fields should not be
// defaulted": Forbid, suspend true, history limits 5 and 5 are kept.
#[test]
fn cron_job_set_fields_not_defaulted() {
    let v = defaulted(json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
        "spec": {"concurrencyPolicy": "Forbid", "suspend": true,
                 "successfulJobsHistoryLimit": 5, "failedJobsHistoryLimit": 5}}));
    check(
        &v,
        &[
            ("/spec/concurrencyPolicy", json!("Forbid")),
            ("/spec/suspend", json!(true)),
            ("/spec/successfulJobsHistoryLimit", json!(5)),
            ("/spec/failedJobsHistoryLimit", json!(5)),
        ],
    );
}
