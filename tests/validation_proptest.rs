//! Property: any JSON that decodes into an `Object` can be defaulted and
//! validated (create and update) without panicking.

use kube_workloads::api::Object;
use kube_workloads::{defaults, validation};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Field names of the modelled kinds, so generated documents reach the
/// typed decoders instead of the `other` maps.
const KEYS: &[&str] = &[
    "metadata",
    "spec",
    "template",
    "containers",
    "initContainers",
    "ephemeralContainers",
    "name",
    "image",
    "generateName",
    "namespace",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "uid",
    "selector",
    "matchLabels",
    "matchExpressions",
    "key",
    "operator",
    "values",
    "replicas",
    "minReadySeconds",
    "strategy",
    "type",
    "rollingUpdate",
    "maxUnavailable",
    "maxSurge",
    "partition",
    "updateStrategy",
    "podManagementPolicy",
    "ordinals",
    "start",
    "completions",
    "parallelism",
    "completionMode",
    "backoffLimit",
    "backoffLimitPerIndex",
    "maxFailedIndexes",
    "successPolicy",
    "rules",
    "succeededIndexes",
    "succeededCount",
    "podFailurePolicy",
    "action",
    "onExitCodes",
    "onPodConditions",
    "status",
    "containerName",
    "schedule",
    "timeZone",
    "jobTemplate",
    "concurrencyPolicy",
    "restartPolicy",
    "dnsPolicy",
    "ports",
    "containerPort",
    "hostPort",
    "protocol",
    "hostNetwork",
    "env",
    "envFrom",
    "valueFrom",
    "resources",
    "limits",
    "requests",
    "volumes",
    "volumeMounts",
    "mountPath",
    "subPath",
    "subPathExpr",
    "emptyDir",
    "secret",
    "configMap",
    "hostPath",
    "projected",
    "sources",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "exec",
    "command",
    "httpGet",
    "port",
    "path",
    "scheme",
    "httpHeaders",
    "tcpSocket",
    "grpc",
    "successThreshold",
    "timeoutSeconds",
    "lifecycle",
    "preStop",
    "postStart",
    "sleep",
    "seconds",
    "stopSignal",
    "os",
    "tolerations",
    "effect",
    "tolerationSeconds",
    "readinessGates",
    "conditionType",
    "schedulingGates",
    "activeDeadlineSeconds",
    "terminationGracePeriodSeconds",
    "managedBy",
    "podReplacementPolicy",
    "manualSelector",
    "suspend",
    "volumeClaimTemplates",
    "persistentVolumeClaimRetentionPolicy",
    "whenDeleted",
    "serviceName",
    "progressDeadlineSeconds",
    "revisionHistoryLimit",
    "templateGeneration",
    "cpu",
    "memory",
    "hugepages-2Mi",
    "example.com/gpu",
    "generation",
    "resourceVersion",
    "deletionTimestamp",
    "controller",
    "apiVersion",
    "kind",
    "securityContext",
    "runAsUser",
    "sysctls",
    "seccompProfile",
    "appArmorProfile",
    "localhostProfile",
    "windowsOptions",
    "hostProcess",
    "capabilities",
    "add",
    "affinity",
    "nodeAffinity",
    "podAffinity",
    "podAntiAffinity",
    "requiredDuringSchedulingIgnoredDuringExecution",
    "preferredDuringSchedulingIgnoredDuringExecution",
    "nodeSelectorTerms",
    "matchFields",
    "weight",
    "topologyKey",
    "matchLabelKeys",
    "topologySpreadConstraints",
    "maxSkew",
    "minDomains",
    "whenUnsatisfiable",
    "dnsConfig",
    "nameservers",
    "searches",
    "hostAliases",
    "ip",
    "hostnames",
    "resourceClaims",
    "resourceClaimName",
    "claims",
    "fieldRef",
    "fieldPath",
    "resourceFieldRef",
    "divisor",
    "overhead",
    "hostUsers",
    "hostPID",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-3i64..70000).prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[ -~]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "",
            "-",
            "a",
            "Always",
            "Never",
            "OnFailure",
            "In",
            "NotIn",
            "Exists",
            "Indexed",
            "RollingUpdate",
            "OnDelete",
            "Recreate",
            "25%",
            "101%",
            "abc",
            "0-2,5",
            "3,1",
            "* * * * *",
            "CRON_TZ=UTC",
            "TZ=",
            "@every 1h",
            "@every",
            "1Gi",
            "-1",
            "0.0001",
            "1e3",
            "hugepages-0",
            "x/y/z",
            "Europe/Berlin",
            "sha256:",
            "nginx@sha256:abc",
            "a:b:c/d",
            "..",
            "/abs",
            "1-",
            "-1-2",
            "99999999999",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|entries| {
                let mut m = Map::new();
                for (k, v) in entries {
                    m.insert(k.to_owned(), v);
                }
                Value::Object(m)
            }),
        ]
    })
}

fn document() -> impl Strategy<Value = Value> {
    let object = || {
        prop::collection::vec((prop::sample::select(KEYS), json_value()), 0..8).prop_map(|entries| {
            Value::Object(entries.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<String, Value>>())
        })
    };
    (prop::sample::select(Object::KINDS), object(), object()).prop_map(|((api_version, kind), meta, spec)| {
        json!({"apiVersion": api_version, "kind": kind, "metadata": meta, "spec": spec, "template": spec.clone()})
    })
}

/// A valid document of each kind with one field replaced by arbitrary JSON.
fn mutated() -> impl Strategy<Value = Value> {
    let bases = vec![
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"selector": {"matchLabels": {"a": "b"}},
            "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "x",
            "livenessProbe": {"httpGet": {"port": 80}}, "resources": {"limits": {"cpu": "1"}}}]}}}}),
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j", "uid": "u"}, "spec": {"completionMode": "Indexed",
            "completions": 3, "successPolicy": {"rules": [{"succeededIndexes": "0-1"}]},
            "podFailurePolicy": {"rules": [{"action": "Ignore", "onExitCodes": {"operator": "In", "values": [1]}}]},
            "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}}}),
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}, "spec": {"schedule": "* * * * *",
            "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}}}}),
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "s"}, "spec": {"selector": {"matchLabels": {"a": "b"}},
            "updateStrategy": {"rollingUpdate": {"maxUnavailable": "50%"}},
            "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}}),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"volumes": [{"name": "v", "secret": {}}],
            "containers": [{"name": "c", "image": "x", "volumeMounts": [{"name": "v", "mountPath": "/v"}],
            "lifecycle": {"preStop": {"sleep": {"seconds": 1}}}}],
            "ephemeralContainers": [{"name": "e", "image": "x", "targetContainerName": "c"}]}}),
        json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "annotations": {
                "container.apparmor.security.beta.kubernetes.io/c": "runtime/default",
                "controller.kubernetes.io/pod-deletion-cost": "5"}},
            "spec": {"dnsPolicy": "None", "dnsConfig": {"nameservers": ["10.0.0.1"], "searches": ["a.b"], "options": [{"name": "ndots"}]},
            "hostAliases": [{"ip": "10.0.0.2", "hostnames": ["db"]}],
            "securityContext": {"runAsUser": 1, "sysctls": [{"name": "net.core.somaxconn", "value": "1"}],
                "seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}},
            "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "k", "operator": "In", "values": ["v"]}]}]}},
                "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1,
                    "podAffinityTerm": {"topologyKey": "zone", "labelSelector": {"matchLabels": {"a": "b"}}, "matchLabelKeys": ["h"]}}]}},
            "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule", "minDomains": 2,
                "labelSelector": {"matchLabels": {"a": "b"}}}],
            "resourceClaims": [{"name": "gpu", "resourceClaimTemplateName": "t"}],
            "resources": {"limits": {"cpu": "2", "memory": "1Gi"}},
            "containers": [{"name": "c", "image": "x",
                "env": [{"name": "A", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}},
                        {"name": "B", "valueFrom": {"fieldRef": {"fieldPath": "metadata.labels['a']"}}}],
                "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"add": ["NET_ADMIN"]}},
                "resources": {"requests": {"cpu": "1"}, "claims": [{"name": "gpu"}]}}]}}),
        json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "d"}, "spec": {"selector": {"matchLabels": {"a": "b"}},
            "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}},
            "status": {"currentNumberScheduled": 1, "numberMisscheduled": 0, "desiredNumberScheduled": 1, "collisionCount": 2}}),
    ];
    let strings = prop_oneof![
        "[ -~]{0,12}",
        prop::sample::select(vec![
            "",
            "-",
            "Always",
            "In",
            "Indexed",
            "25%",
            "101%",
            "abc",
            "3,1",
            "CRON_TZ=UTC",
            "@every",
            "-1",
            "0.0001",
            "1e3",
            "hugepages-0",
            "x/y/z",
            "..",
            "/abs",
            "99999999999",
            "a b",
        ])
        .prop_map(str::to_owned),
    ];
    let replacement = (strings, -3i64..70000, any::<i64>(), any::<bool>(), json_value(), 0u8..4);
    (prop::sample::select(bases), prop::collection::vec(0usize..64, 1..6), replacement).prop_map(
        |(mut doc, path, value)| {
            // Walk down immutably to build a JSON pointer, then replace there.
            let mut pointer = String::new();
            let mut node = &doc;
            for step in path {
                let next = match node {
                    Value::Object(m) if !m.is_empty() => m
                        .keys()
                        .nth(step % m.len())
                        .map(|k| (k.replace('~', "~0").replace('/', "~1"), m.get(k))),
                    Value::Array(a) if !a.is_empty() => {
                        Some(((step % a.len()).to_string(), a.get(step % a.len())))
                    }
                    _ => None,
                };
                match next {
                    Some((segment, Some(child))) => {
                        pointer.push('/');
                        pointer.push_str(&segment);
                        node = child;
                    }
                    _ => break,
                }
            }
            let (string, small, big, boolean, anything, pick) = value;
            if let Some(slot) = doc.pointer_mut(&pointer) {
                // Mostly keep the JSON type, so the document still decodes.
                *slot = match (&*slot, pick) {
                    (_, 0) => anything,
                    (Value::String(_), _) => Value::String(string),
                    (Value::Number(_), 1) => Value::from(big),
                    (Value::Number(_), _) => Value::from(small),
                    (Value::Bool(_), _) => Value::Bool(boolean),
                    (Value::Object(_), _) if anything.is_object() => anything,
                    (Value::Array(a), _) => {
                        Value::Array(a.iter().cloned().chain(std::iter::once(anything)).collect())
                    }
                    _ => Value::Null,
                };
            }
            doc
        },
    )
}

fn exercise(doc: Value) {
    let Ok(original) = Object::from_value(doc) else { return };
    let _ = validation::validate(&original);
    let mut object = original.clone();
    defaults::apply(&mut object);
    let _ = validation::validate(&object);
    let _ = validation::validate_update(&original, &object);
    let _ = validation::validate_update(&object, &object);
    if let Object::Job(job) = &mut object {
        defaults::generate_job_selector(job, "uid");
        let _ = validation::validate(&object);
    }
    if let Err(e) = validation::validate(&object) {
        let _ = e.to_string();
    }
    let _ = validation::validate_status(&object);
    let _ = validation::validate_status_update(&original, &object);
    if let (Object::Pod(old), Object::Pod(new)) = (&original, &object) {
        let _ = validation::validate_ephemeral_containers_update(old, new);
        let _ = validation::validate_ephemeral_containers_update(new, old);
        let _ = validation::validate_pod_resize(old, new);
        let _ = validation::validate_pod_resize(new, old);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_documents_never_panic(doc in document()) {
        exercise(doc);
    }

    #[test]
    fn mutated_documents_never_panic(doc in mutated()) {
        exercise(doc);
    }
}
