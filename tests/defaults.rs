//! `defaults`: every default of `semantics/defaults.md`, as JSON pointers
//! into the defaulted object.
//!
//! upstream: pkg/apis/core/v1/defaults_test.go (TestSetDefaultPod*,
//! TestSetDefaultsContainer*, TestSetDefaultProbe, TestSetDefaultSecretVolumeSource,
//! TestSetDefaultReplicationController*, TestSetDefaultHostPathVolumeSource...),
//! pkg/apis/apps/v1/defaults_test.go (TestSetDefaultDeployment, TestSetDefaultDaemonSetSpec,
//! TestSetDefaultStatefulSet, TestSetDefaultReplicaSet), pkg/apis/batch/v1/defaults_test.go
//! (TestSetDefaultJob, TestSetDefaultCronJob), pkg/registry/batch/job/strategy_test.go
//! (TestJobStrategy_PrepareForCreate: generateSelector).

use kube_workloads::api::Object;
use kube_workloads::defaults;
use kube_workloads::features::FeatureGates;
use serde_json::{Value, json};

fn defaulted(doc: Value) -> Value {
    defaults::applied(Object::from_value(doc).expect("decodes")).to_value()
}

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

fn pod_spec() -> Value {
    json!({
        "volumes": [
            {"name": "none"},
            {"name": "sec", "secret": {"secretName": "s"}},
            {"name": "cm", "configMap": {"name": "c", "defaultMode": 256}},
            {"name": "dapi", "downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}]}},
            {"name": "proj", "projected": {"sources": [{"serviceAccountToken": {"path": "t"}},
                {"downwardAPI": {"items": [{"path": "n", "fieldRef": {"fieldPath": "metadata.name"}}]}}]}},
            {"name": "hp", "hostPath": {"path": "/x"}},
            {"name": "rbd", "rbd": {"monitors": ["m"], "image": "i"}},
            {"name": "iscsi", "iscsi": {"targetPortal": "t", "iqn": "q", "lun": 0}},
            {"name": "az", "azureDisk": {"diskName": "d", "diskURI": "u"}},
            {"name": "sio", "scaleIO": {"gateway": "g", "system": "s", "secretRef": {"name": "x"}}},
            {"name": "eph", "ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"]}}}},
            {"name": "img", "image": {"reference": "repo/artifact:v1"}}
        ],
        "initContainers": [{"name": "init", "image": "busybox", "resources": {"limits": {"cpu": "1"}}}],
        "containers": [{
            "name": "web", "image": "nginx",
            "ports": [{"containerPort": 80}],
            "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
            "resources": {"limits": {"cpu": "0.0001", "memory": "1Gi"}, "requests": {"memory": "512Mi"}},
            "livenessProbe": {"httpGet": {"port": 80}, "periodSeconds": 0},
            "readinessProbe": {"grpc": {"port": 9000}, "timeoutSeconds": 5},
            "lifecycle": {"preStop": {"httpGet": {"port": 80}}}
        }]
    })
}

#[test]
fn pod_defaults() {
    let v =
        defaulted(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": pod_spec()}));
    check(
        &v,
        &[
            ("/spec/dnsPolicy", json!("ClusterFirst")),
            ("/spec/restartPolicy", json!("Always")),
            ("/spec/securityContext", json!({})),
            ("/spec/terminationGracePeriodSeconds", json!(30)),
            ("/spec/schedulerName", json!("default-scheduler")),
            ("/spec/enableServiceLinks", json!(true)),
            ("/spec/containers/0/imagePullPolicy", json!("Always")),
            ("/spec/containers/0/terminationMessagePath", json!("/dev/termination-log")),
            ("/spec/containers/0/terminationMessagePolicy", json!("File")),
            ("/spec/containers/0/ports/0/protocol", json!("TCP")),
            ("/spec/containers/0/ports/0/hostPort", Value::Null),
            ("/spec/containers/0/env/0/valueFrom/fieldRef/apiVersion", json!("v1")),
            // requests copied from limits (Pod only); quantities rounded up to milli
            ("/spec/containers/0/resources/requests/cpu", json!("1m")),
            ("/spec/containers/0/resources/limits/cpu", json!("1m")),
            ("/spec/containers/0/resources/requests/memory", json!("512Mi")),
            ("/spec/initContainers/0/resources/requests/cpu", json!("1")),
            ("/spec/initContainers/0/imagePullPolicy", json!("Always")),
            ("/spec/containers/0/livenessProbe/periodSeconds", json!(10)),
            ("/spec/containers/0/livenessProbe/timeoutSeconds", json!(1)),
            ("/spec/containers/0/livenessProbe/successThreshold", json!(1)),
            ("/spec/containers/0/livenessProbe/failureThreshold", json!(3)),
            ("/spec/containers/0/livenessProbe/initialDelaySeconds", Value::Null),
            ("/spec/containers/0/livenessProbe/httpGet/path", json!("/")),
            ("/spec/containers/0/livenessProbe/httpGet/scheme", json!("HTTP")),
            ("/spec/containers/0/readinessProbe/timeoutSeconds", json!(5)),
            ("/spec/containers/0/readinessProbe/grpc/service", json!("")),
            ("/spec/containers/0/lifecycle/preStop/httpGet/path", json!("/")),
            ("/spec/containers/0/lifecycle/preStop/httpGet/scheme", json!("HTTP")),
            ("/spec/volumes/0/emptyDir", json!({})),
            ("/spec/volumes/1/secret/defaultMode", json!(420)),
            ("/spec/volumes/2/configMap/defaultMode", json!(256)),
            ("/spec/volumes/3/downwardAPI/defaultMode", json!(420)),
            ("/spec/volumes/3/downwardAPI/items/0/fieldRef/apiVersion", json!("v1")),
            ("/spec/volumes/4/projected/defaultMode", json!(420)),
            ("/spec/volumes/4/projected/sources/0/serviceAccountToken/expirationSeconds", json!(3600)),
            ("/spec/volumes/4/projected/sources/1/downwardAPI/items/0/fieldRef/apiVersion", json!("v1")),
            ("/spec/volumes/5/hostPath/type", json!("")),
            ("/spec/volumes/6/rbd/pool", json!("rbd")),
            ("/spec/volumes/6/rbd/user", json!("admin")),
            ("/spec/volumes/6/rbd/keyring", json!("/etc/ceph/keyring")),
            ("/spec/volumes/7/iscsi/iscsiInterface", json!("default")),
            ("/spec/volumes/8/azureDisk/cachingMode", json!("ReadWrite")),
            ("/spec/volumes/8/azureDisk/fsType", json!("ext4")),
            ("/spec/volumes/8/azureDisk/readOnly", json!(false)),
            ("/spec/volumes/8/azureDisk/kind", json!("Shared")),
            ("/spec/volumes/9/scaleIO/storageMode", json!("ThinProvisioned")),
            ("/spec/volumes/9/scaleIO/fsType", json!("xfs")),
            ("/spec/volumes/10/ephemeral/volumeClaimTemplate/spec/volumeMode", json!("Filesystem")),
            ("/spec/volumes/11/image/pullPolicy", json!("IfNotPresent")),
        ],
    );
}

#[test]
fn pod_host_network_ports() {
    let v = defaulted(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "hostNetwork": true, "containers": [{"name": "c", "image": "x:1", "ports": [{"containerPort": 8080}]}]}}));
    check(
        &v,
        &[
            ("/spec/containers/0/ports/0/hostPort", json!(8080)),
            ("/spec/containers/0/imagePullPolicy", json!("IfNotPresent")),
        ],
    );
}

#[test]
fn explicit_values_are_kept() {
    let v = defaulted(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "dnsPolicy": "Default", "restartPolicy": "Never", "terminationGracePeriodSeconds": 0, "enableServiceLinks": false,
        "containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "Never",
                        "livenessProbe": {"exec": {"command": ["x"]}, "failureThreshold": 7}}]}}));
    check(
        &v,
        &[
            ("/spec/dnsPolicy", json!("Default")),
            ("/spec/restartPolicy", json!("Never")),
            ("/spec/terminationGracePeriodSeconds", json!(0)),
            ("/spec/enableServiceLinks", json!(false)),
            ("/spec/containers/0/imagePullPolicy", json!("Never")),
            ("/spec/containers/0/livenessProbe/failureThreshold", json!(7)),
        ],
    );
}

#[test]
fn templates_get_no_pod_only_defaults() {
    let v = defaulted(json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t"},
        "template": {"spec": {"hostNetwork": true, "containers": [{"name": "c", "image": "x:1",
            "ports": [{"containerPort": 80}], "resources": {"limits": {"cpu": "1"}}}]}}}));
    check(
        &v,
        &[
            ("/template/spec/enableServiceLinks", Value::Null),
            ("/template/spec/containers/0/resources/requests", Value::Null),
            ("/template/spec/containers/0/ports/0/hostPort", Value::Null),
            ("/template/spec/restartPolicy", json!("Always")),
            ("/template/spec/containers/0/ports/0/protocol", json!("TCP")),
        ],
    );
}

fn template() -> Value {
    json!({"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "x:1"}]}})
}

#[test]
fn replication_controller_defaults() {
    let v =
        defaulted(json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"},
        "spec": {"template": template()}}));
    check(
        &v,
        &[
            ("/spec/selector", json!({"app": "x"})),
            ("/metadata/labels", json!({"app": "x"})),
            ("/spec/replicas", json!(1)),
            ("/spec/template/spec/dnsPolicy", json!("ClusterFirst")),
        ],
    );
    let v = defaulted(
        json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc", "labels": {"own": "l"}},
        "spec": {"replicas": 0, "selector": {"app": "x", "v": "1"}, "template": template()}}),
    );
    check(
        &v,
        &[
            ("/spec/selector", json!({"app": "x", "v": "1"})),
            ("/metadata/labels", json!({"own": "l"})),
            ("/spec/replicas", json!(0)),
        ],
    );
}

#[test]
fn deployment_defaults() {
    let v = defaulted(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": template()}}));
    check(
        &v,
        &[
            ("/spec/replicas", json!(1)),
            ("/spec/strategy/type", json!("RollingUpdate")),
            ("/spec/strategy/rollingUpdate/maxUnavailable", json!("25%")),
            ("/spec/strategy/rollingUpdate/maxSurge", json!("25%")),
            ("/spec/revisionHistoryLimit", json!(10)),
            ("/spec/progressDeadlineSeconds", json!(600)),
            ("/metadata/labels", Value::Null),
            ("/spec/template/spec/restartPolicy", json!("Always")),
        ],
    );
    let v = defaulted(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"replicas": 0, "revisionHistoryLimit": 0, "strategy": {"type": "Recreate"}, "selector": {"matchLabels": {"app": "x"}}, "template": template()}}));
    check(
        &v,
        &[
            ("/spec/replicas", json!(0)),
            ("/spec/revisionHistoryLimit", json!(0)),
            ("/spec/strategy/rollingUpdate", Value::Null),
        ],
    );
    let v = defaulted(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
        "spec": {"strategy": {"rollingUpdate": {"maxSurge": 2}}, "selector": {"matchLabels": {"app": "x"}}, "template": template()}}));
    check(
        &v,
        &[
            ("/spec/strategy/rollingUpdate/maxSurge", json!(2)),
            ("/spec/strategy/rollingUpdate/maxUnavailable", json!("25%")),
        ],
    );
}

// upstream: the generated defaulters call SetDefaults_PodSpec on a
// template's spec, a struct rather than a pointer (as are apps/v1's
// ReplicaSet template, PodTemplate.template and a CronJob's jobTemplate
// spec), and SetDefaults_PersistentVolumeClaimSpec on an ephemeral volume's
// claim spec: absent ones get the defaults too. SetObjectDefaults_Pod also
// rounds the container statuses' quantities (SetDefaults_ResourceList).
#[test]
fn absent_struct_specs_and_status_quantities_get_defaults() {
    let rs = defaulted(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"},
        "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}}}}}));
    check(
        &rs,
        &[
            ("/spec/template/spec/dnsPolicy", json!("ClusterFirst")),
            ("/spec/template/spec/restartPolicy", json!("Always")),
            ("/spec/template/spec/terminationGracePeriodSeconds", json!(30)),
        ],
    );
    let bare = defaulted(
        json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"}, "spec": {}}),
    );
    check(&bare, &[("/spec/template/spec/schedulerName", json!("default-scheduler"))]);
    let cj = defaulted(json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
        "spec": {"schedule": "* * * * *", "jobTemplate": {}}}));
    check(&cj, &[("/spec/jobTemplate/spec/template/spec/restartPolicy", json!("Always"))]);
    let pod = defaulted(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "x"}],
                 "volumes": [{"name": "v", "ephemeral": {"volumeClaimTemplate": {"metadata": {}}}}]},
        "status": {"containerStatuses": [{"name": "c", "image": "x", "imageID": "", "ready": false, "restartCount": 0,
            "allocatedResources": {"cpu": "0.0001"}, "resources": {"requests": {"cpu": "0.0001"}}}]}}));
    let null_spec = defaulted(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "x"}],
                 "volumes": [{"name": "v", "ephemeral": {"volumeClaimTemplate": {"spec": null}}}]}}));
    check(
        &null_spec,
        &[("/spec/volumes/0/ephemeral/volumeClaimTemplate/spec/volumeMode", json!("Filesystem"))],
    );
    check(
        &pod,
        &[
            ("/spec/volumes/0/ephemeral/volumeClaimTemplate/spec/volumeMode", json!("Filesystem")),
            ("/status/containerStatuses/0/allocatedResources/cpu", json!("1m")),
            ("/status/containerStatuses/0/resources/requests/cpu", json!("1m")),
        ],
    );
}

#[test]
fn replica_set_and_daemon_set_defaults() {
    let rs = defaulted(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "r"},
        "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": template()}}));
    check(
        &rs,
        &[("/spec/replicas", json!(1)), ("/spec/template/spec/schedulerName", json!("default-scheduler"))],
    );
    let ds = defaulted(json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "d"},
        "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": template()}}));
    check(
        &ds,
        &[
            ("/spec/updateStrategy/type", json!("RollingUpdate")),
            ("/spec/updateStrategy/rollingUpdate/maxUnavailable", json!(1)),
            ("/spec/updateStrategy/rollingUpdate/maxSurge", json!(0)),
            ("/spec/revisionHistoryLimit", json!(10)),
        ],
    );
    let ds = defaulted(json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "d"},
        "spec": {"updateStrategy": {"type": "OnDelete"}, "selector": {"matchLabels": {"app": "x"}}, "template": template()}}));
    check(&ds, &[("/spec/updateStrategy/rollingUpdate", Value::Null)]);
}

#[test]
fn stateful_set_defaults() {
    let doc = |strategy: Value| {
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"},
        "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": template(), "updateStrategy": strategy,
                 "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]}})
    };
    let v = defaulted(doc(json!({})));
    check(
        &v,
        &[
            ("/spec/podManagementPolicy", json!("OrderedReady")),
            ("/spec/updateStrategy/type", json!("RollingUpdate")),
            ("/spec/updateStrategy/rollingUpdate/partition", json!(0)),
            ("/spec/updateStrategy/rollingUpdate/maxUnavailable", Value::Null),
            (
                "/spec/persistentVolumeClaimRetentionPolicy",
                json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
            ),
            ("/spec/replicas", json!(1)),
            ("/spec/revisionHistoryLimit", json!(10)),
            ("/spec/volumeClaimTemplates/0/spec/volumeMode", json!("Filesystem")),
            ("/spec/volumeClaimTemplates/0/status/phase", json!("Pending")),
            ("/spec/minReadySeconds", Value::Null),
            ("/spec/ordinals", Value::Null),
        ],
    );
    // An explicit RollingUpdate type without a block gets no partition.
    let v = defaulted(doc(json!({"type": "RollingUpdate"})));
    check(&v, &[("/spec/updateStrategy/rollingUpdate", Value::Null)]);
    // maxUnavailable only with the gate.
    let mut gates = FeatureGates::default();
    gates.max_unavailable_stateful_set = true;
    let mut o = Object::from_value(doc(json!({}))).expect("decodes");
    defaults::apply_with_gates(&mut o, &gates);
    check(&o.to_value(), &[("/spec/updateStrategy/rollingUpdate/maxUnavailable", json!(1))]);
    let v = defaulted(json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"},
        "spec": {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete"}, "selector": {"matchLabels": {"app": "x"}}, "template": template()}}));
    check(
        &v,
        &[(
            "/spec/persistentVolumeClaimRetentionPolicy",
            json!({"whenDeleted": "Delete", "whenScaled": "Retain"}),
        )],
    );
}

fn job_doc(spec: Value) -> Value {
    let mut s = json!({"template": {"metadata": {"labels": {"app": "j"}}, "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x:1"}]}}});
    if let (Some(s), Some(e)) = (s.as_object_mut(), spec.as_object()) {
        s.extend(e.clone());
    }
    json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": s})
}

#[test]
fn job_defaults() {
    let v = defaulted(job_doc(json!({})));
    check(
        &v,
        &[
            ("/spec/completions", json!(1)),
            ("/spec/parallelism", json!(1)),
            ("/spec/backoffLimit", json!(6)),
            ("/metadata/labels", json!({"app": "j"})),
            ("/spec/completionMode", json!("NonIndexed")),
            ("/spec/suspend", json!(false)),
            ("/spec/podReplacementPolicy", json!("TerminatingOrFailed")),
            ("/spec/manualSelector", json!(false)),
            ("/spec/activeDeadlineSeconds", Value::Null),
            ("/spec/ttlSecondsAfterFinished", Value::Null),
            ("/spec/template/spec/dnsPolicy", json!("ClusterFirst")),
        ],
    );
    // A work-queue job: parallelism only.
    check(
        &defaulted(job_doc(json!({"parallelism": 5}))),
        &[("/spec/completions", Value::Null), ("/spec/parallelism", json!(5))],
    );
    check(
        &defaulted(job_doc(json!({"completions": 5}))),
        &[("/spec/completions", json!(5)), ("/spec/parallelism", json!(1))],
    );
    check(
        &defaulted(job_doc(
            json!({"completionMode": "Indexed", "completions": 3, "backoffLimitPerIndex": 1}),
        )),
        &[("/spec/backoffLimit", json!(2147483647))],
    );
    let v = defaulted(job_doc(
        json!({"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}}),
    ));
    check(
        &v,
        &[
            ("/spec/podReplacementPolicy", json!("Failed")),
            ("/spec/podFailurePolicy/rules/0/onPodConditions/0/status", json!("True")),
        ],
    );
}

#[test]
fn job_selector_generation() {
    let mut o = defaults::applied(Object::from_value(job_doc(json!({}))).expect("decodes"));
    let Object::Job(job) = &mut o else { panic!("not a job") };
    defaults::generate_job_selector(job, "u-1");
    let v = o.to_value();
    check(
        &v,
        &[
            ("/metadata/uid", json!("u-1")),
            ("/spec/selector/matchLabels", json!({"batch.kubernetes.io/controller-uid": "u-1"})),
            ("/spec/template/metadata/labels/job-name", json!("j")),
            ("/spec/template/metadata/labels/batch.kubernetes.io~1job-name", json!("j")),
            ("/spec/template/metadata/labels/controller-uid", json!("u-1")),
            ("/spec/template/metadata/labels/batch.kubernetes.io~1controller-uid", json!("u-1")),
            // Job labels were copied from the template before generation.
            ("/metadata/labels", json!({"app": "j"})),
        ],
    );
    // A user value is kept (and later rejected by validation).
    let mut o = Object::from_value(job_doc(json!({"template": {"metadata": {"labels": {"job-name": "mine"}}, "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}}))).expect("decodes");
    let Object::Job(job) = &mut o else { panic!("not a job") };
    defaults::generate_job_selector(job, "u-1");
    check(&o.to_value(), &[("/spec/template/metadata/labels/job-name", json!("mine"))]);
    // Manual selectors are left alone.
    let mut o = Object::from_value(job_doc(json!({"manualSelector": true}))).expect("decodes");
    let Object::Job(job) = &mut o else { panic!("not a job") };
    defaults::generate_job_selector(job, "u-1");
    check(
        &o.to_value(),
        &[("/spec/selector", Value::Null), ("/spec/template/metadata/labels/job-name", Value::Null)],
    );
}

#[test]
fn cron_job_defaults() {
    let v = defaulted(
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}, "spec": {
        "schedule": "@hourly", "jobTemplate": {"spec": {
            "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "X"}]}]},
            "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}}}}}),
    );
    check(
        &v,
        &[
            ("/spec/concurrencyPolicy", json!("Allow")),
            ("/spec/suspend", json!(false)),
            ("/spec/successfulJobsHistoryLimit", json!(3)),
            ("/spec/failedJobsHistoryLimit", json!(1)),
            ("/spec/timeZone", Value::Null),
            ("/spec/startingDeadlineSeconds", Value::Null),
            // Type-keyed: no Job defaults in the job template...
            ("/spec/jobTemplate/spec/backoffLimit", Value::Null),
            ("/spec/jobTemplate/spec/completions", Value::Null),
            ("/spec/jobTemplate/spec/parallelism", Value::Null),
            ("/spec/jobTemplate/spec/completionMode", Value::Null),
            // ...but pod-template and pattern defaults.
            ("/spec/jobTemplate/spec/podFailurePolicy/rules/0/onPodConditions/0/status", json!("True")),
            ("/spec/jobTemplate/spec/template/spec/containers/0/imagePullPolicy", json!("Always")),
        ],
    );
}

// upstream: SetDefaults_Volume gives an emptyDir only to a volume without
// any source; flexVolume (deprecated, still in core/v1) is one.
#[test]
fn flex_volume_is_a_source() {
    let v = defaulted(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
        "containers": [{"name": "c", "image": "i"}],
        "volumes": [{"name": "f", "flexVolume": {"driver": "acme/lvm"}}, {"name": "e"}]}}));
    check(&v, &[("/spec/volumes/0/emptyDir", Value::Null), ("/spec/volumes/1/emptyDir", json!({}))]);
}

#[test]
fn pod_preset_defaults() {
    let v = defaulted(
        json!({"apiVersion": "settings.k8s.io/v1alpha1", "kind": "PodPreset", "metadata": {"name": "p"}, "spec": {
        "selector": {}, "volumes": [{"name": "v"}], "env": [{"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]}}),
    );
    check(
        &v,
        &[
            ("/spec/volumes/0/emptyDir", json!({})),
            ("/spec/env/0/valueFrom/fieldRef/apiVersion", json!("v1")),
        ],
    );
}

#[test]
fn defaulting_is_idempotent() {
    for doc in [
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": pod_spec()}),
        job_doc(json!({})),
    ] {
        let once = defaulted(doc);
        let twice = defaulted(once.clone());
        assert_eq!(once, twice);
    }
}

fn pod_with_resources(spec: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"}, "spec": spec})
}

// upstream: pkg/apis/core/v1/defaults_test.go TestPodLevelResourcesDefaults /
// TestDefaultPodRequests, TestDefaultHugePagePodLimits (defaultPodRequests,
// defaultHugePagePodLimits, PodLevelResources on)
#[test]
fn pod_level_resources_defaults() {
    // Requests from the containers' aggregate (sidecars summed, plain init
    // containers as a maximum), exact sums in canonical form.
    let v = defaulted(pod_with_resources(json!({
        "resources": {"limits": {"cpu": "4", "memory": "4Gi"}},
        "initContainers": [
            {"name": "init", "image": "x", "resources": {"requests": {"cpu": "2", "memory": "100Mi"}}},
            {"name": "side", "image": "x", "restartPolicy": "Always", "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}}}
        ],
        "containers": [
            {"name": "a", "image": "x", "resources": {"requests": {"cpu": "100m", "memory": "1Gi"}}},
            {"name": "b", "image": "x", "resources": {"requests": {"cpu": "0.15"}}}
        ]
    })));
    check(
        &v,
        &[
            // cpu: max(100m + 150m + 250m, 2) = 2; memory: 1Gi + 512Mi = 1536Mi.
            ("/spec/resources/requests/cpu", json!("2")),
            ("/spec/resources/requests/memory", json!("1536Mi")),
            ("/spec/resources/limits/cpu", json!("4")),
        ],
    );
    // No container requests: requests copy the pod-level limits.
    let v = defaulted(pod_with_resources(json!({
        "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}},
        "containers": [{"name": "a", "image": "x"}]
    })));
    check(
        &v,
        &[("/spec/resources/requests/cpu", json!("500m")), ("/spec/resources/requests/memory", json!("1Gi"))],
    );
    // Explicit pod-level requests are kept; no limits → no request defaults.
    let v = defaulted(pod_with_resources(json!({
        "resources": {"requests": {"cpu": "1"}},
        "containers": [{"name": "a", "image": "x", "resources": {"requests": {"cpu": "300m", "memory": "1Gi"}}}]
    })));
    check(
        &v,
        &[
            ("/spec/resources/requests/cpu", json!("1")),
            ("/spec/resources/requests/memory", Value::Null),
            ("/spec/resources/limits", Value::Null),
        ],
    );
    // Hugepage limits from the containers' aggregate limits, then requests
    // from those limits.
    let v = defaulted(pod_with_resources(json!({
        "resources": {"requests": {"memory": "1Gi"}},
        "containers": [
            {"name": "a", "image": "x", "resources": {"limits": {"hugepages-2Mi": "4Mi", "memory": "1Gi"}}},
            {"name": "b", "image": "x", "resources": {"limits": {"hugepages-2Mi": "6Mi", "memory": "1Gi"}}}
        ]
    })));
    check(
        &v,
        &[
            ("/spec/resources/limits/hugepages-2Mi", json!("10Mi")),
            ("/spec/resources/requests/hugepages-2Mi", json!("10Mi")),
            ("/spec/resources/limits/memory", Value::Null),
            ("/spec/resources/requests/memory", json!("1Gi")),
        ],
    );
    // Pod-level lists are rounded up to milli precision like any ResourceList.
    let v = defaulted(pod_with_resources(json!({
        "resources": {"requests": {"cpu": "0.0001"}},
        "containers": [{"name": "a", "image": "x"}]
    })));
    check(&v, &[("/spec/resources/requests/cpu", json!("1m"))]);
    // Templates get none of this (SetDefaults_Pod only).
    let t = defaulted(json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t"},
        "template": {"spec": {"resources": {"limits": {"cpu": "1"}}, "containers": [{"name": "a", "image": "x"}]}}}));
    check(&t, &[("/template/spec/resources/requests", Value::Null)]);
    // Defaulting stays idempotent and the result validates.
    let once = defaulted(pod_with_resources(json!({
        "resources": {"limits": {"cpu": "2"}},
        "containers": [{"name": "a", "image": "x", "resources": {"limits": {"cpu": "1500m"}}}]
    })));
    assert_eq!(once.pointer("/spec/resources/requests/cpu"), Some(&json!("1500m")));
    let obj = Object::from_value(once.clone()).expect("decodes");
    assert_eq!(defaults::applied(obj.clone()).to_value(), once);
    assert!(kube_workloads::validation::validate(&obj).is_ok(), "{once:#}");
}

// upstream: defaults.go SetDefaults_EphemeralContainer (calls SetDefaults_Container) and the
// generated SetObjectDefaults_Pod, which gives ephemeral containers the same port, env, resource,
// probe and lifecycle defaults as containers; CV TestValidatePodEphemeralContainersUpdate.
#[test]
fn ephemeral_containers_get_container_defaults() {
    let env = json!([
        {"name": "N", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "F", "valueFrom": {"fileKeyRef": {"volumeName": "v", "path": "p", "key": "k"}}}
    ]);
    let pod = |ephemeral: Value| {
        json!({"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "p", "namespace": "default", "uid": "u", "resourceVersion": "1"},
               "spec": {"containers": [{"name": "c", "image": "nginx:1", "env": env.clone()}],
                        "volumes": [{"name": "v", "emptyDir": {}}],
                        "ephemeralContainers": ephemeral}})
    };
    let v = defaulted(pod(json!([{"name": "debug", "image": "busybox", "targetContainerName": "c",
        "env": env.clone(),
        "ports": [{"containerPort": 80}],
        "readinessProbe": {"httpGet": {"port": 80}}}])));
    check(
        &v,
        &[
            ("/spec/containers/0/env/1/valueFrom/fileKeyRef/optional", json!(false)),
            ("/spec/ephemeralContainers/0/imagePullPolicy", json!("Always")),
            ("/spec/ephemeralContainers/0/terminationMessagePath", json!("/dev/termination-log")),
            ("/spec/ephemeralContainers/0/terminationMessagePolicy", json!("File")),
            ("/spec/ephemeralContainers/0/targetContainerName", json!("c")),
            ("/spec/ephemeralContainers/0/env/0/valueFrom/fieldRef/apiVersion", json!("v1")),
            ("/spec/ephemeralContainers/0/env/1/valueFrom/fileKeyRef/optional", json!(false)),
            ("/spec/ephemeralContainers/0/ports/0/protocol", json!("TCP")),
            ("/spec/ephemeralContainers/0/readinessProbe/timeoutSeconds", json!(1)),
            ("/spec/ephemeralContainers/0/readinessProbe/httpGet/path", json!("/")),
        ],
    );
    // An explicit `optional: true` is kept.
    let mut explicit = env.clone();
    explicit[1]["valueFrom"]["fileKeyRef"]["optional"] = json!(true);
    let v = defaulted(pod(json!([{"name": "debug", "image": "busybox", "env": explicit}])));
    check(&v, &[("/spec/ephemeralContainers/0/env/1/valueFrom/fileKeyRef/optional", json!(true))]);

    // The defaulted ephemeral container passes the ephemeralcontainers subresource validation
    // (before the fix, `env[0].valueFrom.fieldRef.apiVersion` was reported `Required`).
    let typed = |doc: Value| match defaults::applied(Object::from_value(doc).expect("decodes")) {
        Object::Pod(p) => *p,
        other => panic!("not a pod: {other:?}"),
    };
    let old = typed(pod(json!([])));
    let new =
        typed(pod(json!([{"name": "debug", "image": "busybox", "targetContainerName": "c", "env": env}])));
    assert_eq!(kube_workloads::validation::validate_ephemeral_containers_update(&old, &new), Ok(()));
}

// upstream: SetDefaults_PersistentVolumeClaimSpec (`volumeMode` is a
// pointer: only an absent one is defaulted, `""` is kept for validation to
// reject) and the generated defaulters' SetDefaults_ResourceList on a
// claim's storage amounts, in a PVC, a StatefulSet claim template and an
// ephemeral volume's claim template; SetDefaults_AzureDiskVolumeSource
// (pointers too).
#[test]
fn claim_spec_defaults() {
    let claim = |mode: Option<&str>| {
        let mut spec =
            json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "100u"}}});
        if let Some(m) = mode {
            spec["volumeMode"] = json!(m);
        }
        spec
    };
    let pvc = |spec: Value| {
        json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "c"}, "spec": spec,
               "status": {"capacity": {"storage": "0.0001"}}})
    };
    let v = defaulted(pvc(claim(None)));
    check(
        &v,
        &[
            ("/spec/volumeMode", json!("Filesystem")),
            ("/spec/resources/requests/storage", json!("1m")),
            ("/status/capacity/storage", json!("1m")),
        ],
    );
    check(&defaulted(pvc(claim(Some("")))), &[("/spec/volumeMode", json!(""))]);
    let stateful_set = |spec: Value| {
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"},
               "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": template(),
                        "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": spec}]}})
    };
    check(
        &defaulted(stateful_set(claim(Some("")))),
        &[
            ("/spec/volumeClaimTemplates/0/spec/volumeMode", json!("")),
            ("/spec/volumeClaimTemplates/0/spec/resources/requests/storage", json!("1m")),
        ],
    );
    let pod = |volume: Value| {
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
               "spec": {"containers": [{"name": "c", "image": "x"}], "volumes": [volume]}})
    };
    let ephemeral = |spec: Value| json!({"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": spec}}});
    check(
        &defaulted(pod(ephemeral(claim(None)))),
        &[
            ("/spec/volumes/0/ephemeral/volumeClaimTemplate/spec/volumeMode", json!("Filesystem")),
            ("/spec/volumes/0/ephemeral/volumeClaimTemplate/spec/resources/requests/storage", json!("1m")),
        ],
    );
    check(
        &defaulted(pod(ephemeral(claim(Some(""))))),
        &[("/spec/volumes/0/ephemeral/volumeClaimTemplate/spec/volumeMode", json!(""))],
    );
    let disk = json!({"name": "d", "azureDisk": {"diskName": "d", "diskURI": "u", "cachingMode": "", "fsType": null}});
    check(
        &defaulted(pod(disk)),
        &[
            ("/spec/volumes/0/azureDisk/cachingMode", json!("")),
            ("/spec/volumes/0/azureDisk/fsType", json!("ext4")),
            ("/spec/volumes/0/azureDisk/kind", json!("Shared")),
            ("/spec/volumes/0/azureDisk/readOnly", json!(false)),
        ],
    );
}

// upstream: SetObjectDefaults_Pod runs SetDefaults_Pod (defaultPodRequests
// over the containers' requests as written) before the per-container
// SetDefaults_ResourceList rounding: two containers asking 0.0004 CPU make
// a pod request of 0.0008, rounded to 1m, not 1m + 1m.
#[test]
fn pod_level_requests_add_up_unrounded_container_requests() {
    let v = defaulted(pod_with_resources(json!({
        "resources": {"limits": {"cpu": "1"}},
        "containers": [
            {"name": "a", "image": "x", "resources": {"requests": {"cpu": "0.0004"}}},
            {"name": "b", "image": "x", "resources": {"requests": {"cpu": "0.0004"}}}
        ]
    })));
    check(
        &v,
        &[
            ("/spec/containers/0/resources/requests/cpu", json!("1m")),
            ("/spec/containers/1/resources/requests/cpu", json!("1m")),
            ("/spec/resources/requests/cpu", json!("1m")),
        ],
    );
}

// upstream: SetObjectDefaults_Node (defaults_test.go TestSetDefaultNodeStatusAllocatable):
// an unset allocatable is the capacity; both lists round up to milli units.
#[test]
fn node_allocatable_defaults_to_capacity() {
    let node = |status: Value| {
        defaulted(json!({"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}, "status": status}))
    };
    let v = node(json!({"capacity": {"cpu": "4", "memory": "0.0001"}}));
    check(
        &v,
        &[
            ("/status/allocatable/cpu", json!("4")),
            ("/status/allocatable/memory", json!("1m")),
            ("/status/capacity/memory", json!("1m")),
        ],
    );
    let v = node(json!({"capacity": {"cpu": "4"}, "allocatable": {"cpu": "3"}}));
    check(&v, &[("/status/allocatable/cpu", json!("3"))]);
    let v = node(json!({}));
    check(&v, &[("/status/allocatable", Value::Null)]);
}

// upstream: SetDefaults_ResourceList rounds every quantity up to milli units
// (Quantity.RoundUp(-3), away from zero), whatever its form.
#[test]
fn resource_lists_round_up_to_milli_in_every_form() {
    let v = defaulted(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "x",
            "resources": {"requests": {"cpu": "0.5m", "memory": "1e-4", "example.com/x": "2"}}}]}}));
    check(
        &v,
        &[
            ("/spec/containers/0/resources/requests/cpu", json!("1m")),
            ("/spec/containers/0/resources/requests/memory", json!("1e-3")),
            ("/spec/containers/0/resources/requests/example.com~1x", json!("2")),
        ],
    );
}

// Empty maps a defaulter would create stay out of the output, as a Go
// client's JSON leaves them out (omitempty): upstream's SetDefaults_Pod makes
// an empty requests map from empty limits, and SetDefaults_Job /
// SetDefaults_ReplicationController copy empty template labels.
#[test]
fn defaulting_creates_no_empty_maps() {
    let pod = defaulted(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c", "image": "x:1", "resources": {"limits": {}}}]}}));
    check(&pod, &[("/spec/containers/0/resources/requests", Value::Null)]);
    let mut job = job_doc(json!({}));
    job["spec"]["template"]["metadata"]["labels"] = json!({});
    check(&defaulted(job), &[("/metadata/labels", Value::Null)]);
    let rc = defaulted(
        json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": {"name": "rc"},
        "spec": {"template": {"metadata": {"labels": {}}, "spec": {"containers": [{"name": "c", "image": "x:1"}]}}}}),
    );
    check(&rc, &[("/metadata/labels", Value::Null), ("/spec/selector", Value::Null)]);
}
