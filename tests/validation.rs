//! Table tests for `validation`: each case is a valid base object of a kind,
//! a JSON merge patch, and the exact errors expected after defaulting
//! (`path: Type` prefixes, or full messages). Each table cites the upstream
//! test it mirrors (kubernetes/kubernetes, paths abbreviated as in
//! `semantics/validation.md`: CV = pkg/apis/core/validation/validation_test.go,
//! AV = pkg/apis/apps/validation/validation_test.go,
//! BV = pkg/apis/batch/validation/validation_test.go,
//! OM = staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta_test.go,
//! LV = staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation_test.go).

mod validation_support;

use kube_workloads::api::Object;
use kube_workloads::validation::{self, ErrorKind, FieldPath};
use kube_workloads::{defaults, features::FeatureGates};
use serde_json::{Value, json};
use validation_support::{base_with, container, matches, merge, render, stored, template};

fn base(kind: &str) -> Value {
    base_with(kind, json!({"name": "x", "namespace": "default"}))
}

fn object(kind: &str, patch: &Value) -> Object {
    let mut doc = base(kind);
    merge(&mut doc, patch);
    stored(doc)
}

fn errors(obj: &Object) -> Vec<String> {
    render(validation::validate(obj))
}

/// Each case: (name, kind, patch, expected error prefixes).
fn run(cases: &[(&str, &str, Value, &[&str])]) {
    let mut bad = Vec::new();
    for (name, kind, patch, expected) in cases {
        let got = errors(&object(kind, patch));
        if !matches(&got, expected) {
            bad.push(format!("{name} ({kind}): expected {expected:?}\n    got {got:#?}"));
        }
    }
    assert!(bad.is_empty(), "{} cases failed:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn every_base_is_valid() {
    for kind in [
        "Pod",
        "PodTemplate",
        "ReplicationController",
        "ReplicaSet",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "PodPreset",
    ] {
        assert_eq!(errors(&object(kind, &json!({}))), Vec::<String>::new(), "{kind}");
    }
}

// ----------------------------------------------------------------- rendering

// upstream: validateJobSpec treats a missing restartPolicy as Always (the
// defaulting would make it so): Required, beside the pod spec's own
// Required.
#[test]
fn job_without_restart_policy_undefaulted() {
    let mut doc = base("Job");
    merge(&mut doc, &json!({"spec": {"template": {"spec": {"restartPolicy": null}}}}));
    let mut obj = Object::from_value(doc).expect("decodes");
    if let Object::Job(j) = &mut obj {
        defaults::generate_job_selector(j, "uid-1");
    }
    let got: Vec<String> = errors(&obj).into_iter().filter(|e| e.contains("restartPolicy")).collect();
    assert_eq!(
        got,
        [
            "spec.template.spec.restartPolicy: Required value",
            "spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"",
        ],
        "{got:#?}"
    );
}

// upstream: staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors_test.go TestErrorUsefulMessage
#[test]
fn errors_print_like_the_api_server() {
    let errs = validation::validate(&object("Deployment", &json!({"spec": {"replicas": -1}}))).unwrap_err();
    assert_eq!(errs.to_string(), "spec.replicas: Invalid value: -1: must be greater than or equal to 0");
    let e = &errs.errors[0];
    assert_eq!(e.path.to_string(), "spec.replicas");
    assert_eq!(e.kind, ErrorKind::Invalid(validation::BadValue::Int(-1)));

    let errs = validation::validate(&object(
        "Pod",
        &json!({"spec": {"restartPolicy": "Sometimes", "dnsPolicy": "Cluster"}}),
    ))
    .unwrap_err();
    assert_eq!(
        errs.to_string(),
        "[spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\", \
         spec.dnsPolicy: Unsupported value: \"Cluster\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"]"
    );
    let errs = validation::validate(&object("Pod", &json!({"spec": {"containers": []}}))).unwrap_err();
    assert_eq!(errs.to_string(), "spec.containers: Required value");
    // std::error::Error via thiserror.
    let boxed: Box<dyn std::error::Error> = Box::new(errs);
    assert!(boxed.to_string().contains("Required value"));
}

// upstream: field/path_test.go TestPath
#[test]
fn field_paths() {
    let p = FieldPath::new("spec").child("containers").index(1).child("resources.requests").key("memory");
    assert_eq!(p.to_string(), "spec.containers[1].resources.requests[memory]");
    assert_eq!(FieldPath::root().to_string(), "");
}

// ----------------------------------------------------------------- metadata

// upstream: OM TestValidateObjectMetaNamespaces, TestValidateObjectMetaOwnerReferences,
// TestValidateObjectMetaUpdateIgnoresCreationTimestamp..., TestValidateAnnotations;
// LV TestValidateLabels; CV TestValidateObjectMetaFinalizers (validateKubeFinalizerName)
#[test]
fn object_meta() {
    let long_annotation = "a".repeat(256 * 1024);
    run(&[
        ("name ok with dots", "Deployment", json!({"metadata": {"name": "a.b-c"}}), &[]),
        (
            "name uppercase",
            "Deployment",
            json!({"metadata": {"name": "Web"}}),
            &["metadata.name: Invalid value: \"Web\": a lowercase RFC 1123 subdomain"],
        ),
        (
            "name missing",
            "Pod",
            json!({"metadata": {"name": null}}),
            &["metadata.name: Required value: name or generateName is required"],
        ),
        ("generateName only", "Pod", json!({"metadata": {"name": null, "generateName": "web-"}}), &[]),
        (
            "generateName bad",
            "Pod",
            json!({"metadata": {"generateName": "Web-"}}),
            &["metadata.generateName: Invalid value: \"Web-\""],
        ),
        (
            // maskTrailingDash cuts the last two bytes: here inside `é`,
            // leaving 63 bytes that fail the pattern, not the length.
            "generateName masked inside a character",
            "StatefulSet",
            json!({"metadata": {"name": null, "generateName": format!("{}\u{e9}-", "a".repeat(61))}}),
            &[
                "metadata.generateName: Invalid value: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\u{e9}-\": a lowercase RFC 1123 label must consist of",
            ],
        ),
        (
            "generateName lone dash",
            "Pod",
            json!({"metadata": {"generateName": "-"}}),
            &["metadata.generateName: Invalid value: \"-\""],
        ),
        (
            "namespace bad",
            "Pod",
            json!({"metadata": {"namespace": "a.b"}}),
            &["metadata.namespace: Invalid value: \"a.b\": must not contain dots"],
        ),
        ("namespace absent ok", "Pod", json!({"metadata": {"namespace": null}}), &[]),
        (
            "generation negative",
            "Pod",
            json!({"metadata": {"generation": -1}}),
            &["metadata.generation: Invalid value: -1"],
        ),
        ("label ok", "Pod", json!({"metadata": {"labels": {"example.com/app": "v_1.2-3"}}}), &[]),
        (
            "label key bad",
            "Pod",
            json!({"metadata": {"labels": {"Example.com/app": "x"}}}),
            &[
                "metadata.labels: Invalid value: \"Example.com/app\": prefix part a lowercase RFC 1123 subdomain",
            ],
        ),
        (
            "label value bad",
            "Pod",
            json!({"metadata": {"labels": {"app": "-x"}}}),
            &["metadata.labels: Invalid value: \"-x\": a valid label must be an empty string"],
        ),
        (
            "label value too long",
            "Pod",
            json!({"metadata": {"labels": {"app": "a".repeat(64)}}}),
            &["metadata.labels: Invalid value: \"aaaa"],
        ),
        (
            "annotation key uppercase ok",
            "Pod",
            json!({"metadata": {"annotations": {"Example.com/Note": "x"}}}),
            &[],
        ),
        // Lower-cased as Go's strings.ToLower: U+0130 becomes a plain `i`.
        (
            "annotation key with a dotted capital I ok",
            "Pod",
            json!({"metadata": {"annotations": {"example.com/\u{130}d": "x"}}}),
            &[],
        ),
        (
            "annotation key bad",
            "Pod",
            json!({"metadata": {"annotations": {"a/b/c": "x"}}}),
            &["metadata.annotations: Invalid value: \"a/b/c\": a qualified name"],
        ),
        (
            "annotations too big",
            "Pod",
            json!({"metadata": {"annotations": {"k": long_annotation}}}),
            &["metadata.annotations: Too long: may not be more than 262144 bytes"],
        ),
        (
            "owner ok",
            "Pod",
            json!({"metadata": {"ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u", "controller": true}]}}),
            &[],
        ),
        (
            "owner fields empty",
            "Pod",
            json!({"metadata": {"ownerReferences": [{"apiVersion": "apps/", "kind": "", "name": "", "uid": ""}]}}),
            &[
                "metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty",
                "metadata.ownerReferences.kind: Invalid value: \"\": must not be empty",
                "metadata.ownerReferences.name: Invalid value: \"\": must not be empty",
                "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty",
            ],
        ),
        (
            // ParseGroupVersion refuses two slashes: no version.
            "owner apiVersion with two slashes",
            "Pod",
            json!({"metadata": {"ownerReferences": [{"apiVersion": "apps/v1/x", "kind": "ReplicaSet", "name": "rs", "uid": "u"}]}}),
            &["metadata.ownerReferences.apiVersion: Invalid value: \"apps/v1/x\": version must not be empty"],
        ),
        (
            "owner event",
            "Pod",
            json!({"metadata": {"ownerReferences": [{"apiVersion": "v1", "kind": "Event", "name": "e", "uid": "u"}]}}),
            &["metadata.ownerReferences: Invalid value: {"],
        ),
        (
            "two controllers",
            "Pod",
            json!({"metadata": {"ownerReferences": [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "a", "uid": "1", "controller": true},
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "b", "uid": "2", "controller": true}]}}),
            &["metadata.ownerReferences: Invalid value: [{"],
        ),
        (
            "finalizers ok",
            "Pod",
            json!({"metadata": {"finalizers": ["kubernetes", "example.com/x", "foregroundDeletion"]}}),
            &[],
        ),
        (
            "finalizer not standard",
            "Pod",
            json!({"metadata": {"finalizers": ["custom"]}}),
            &[
                "metadata.finalizers[0]: Invalid value: \"custom\": name is neither a standard finalizer name nor is it fully qualified",
            ],
        ),
        (
            "finalizer bad",
            "Pod",
            json!({"metadata": {"finalizers": ["a b/c"]}}),
            &["metadata.finalizers: Invalid value: \"a b/c\": prefix part"],
        ),
        (
            // upstream: ValidateFinalizers (qualified name, on the list) and
            // then validateKubeFinalizerName (on the item) both report.
            "finalizer bad and not qualified",
            "Pod",
            json!({"metadata": {"finalizers": ["bad_"]}}),
            &[
                "metadata.finalizers: Invalid value: \"bad_\": name part must consist of",
                "metadata.finalizers[0]: Invalid value: \"bad_\": name is neither a standard finalizer name nor is it fully qualified",
            ],
        ),
        (
            "orphan and foreground",
            "Pod",
            json!({"metadata": {"finalizers": ["orphan", "foregroundDeletion"]}}),
            &[
                "metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set",
            ],
        ),
        (
            "statefulset name is a label",
            "StatefulSet",
            json!({"metadata": {"name": "a.b"}}),
            &["metadata.name: Invalid value: \"a.b\": must not contain dots"],
        ),
        ("statefulset name 63", "StatefulSet", json!({"metadata": {"name": "a".repeat(63)}}), &[]),
        (
            "statefulset name 64",
            "StatefulSet",
            json!({"metadata": {"name": "a".repeat(64)}}),
            &["metadata.name: Invalid value: \"aaaa"],
        ),
        ("deployment name with dots", "Deployment", json!({"metadata": {"name": "a.b"}}), &[]),
    ]);
}

// ----------------------------------------------------------------- selectors

// upstream: LV TestValidateLabelSelector; AV TestValidateDeployment / TestValidateReplicaSet (selector cases)
#[test]
fn label_selectors() {
    let expr = |op: &str, values: Value| json!({"spec": {"selector": {"matchExpressions": [{"key": "app", "operator": op, "values": values}]}}});
    run(&[
        ("In with value", "ReplicaSet", expr("In", json!(["x"])), &[]),
        (
            "In without values",
            "ReplicaSet",
            expr("In", json!([])),
            &["spec.selector.matchExpressions[0].values: Required value", "spec.selector: Invalid value"],
        ),
        (
            "Exists with values",
            "ReplicaSet",
            expr("Exists", json!(["x"])),
            &["spec.selector.matchExpressions[0].values: Forbidden", "spec.selector: Invalid value"],
        ),
        (
            "bad operator",
            "ReplicaSet",
            expr("in", json!(["x"])),
            &[
                "spec.selector.matchExpressions[0].operator: Invalid value: \"in\": not a valid selector operator",
                "spec.selector: Invalid value",
            ],
        ),
        (
            // The operator is a named Go string type, so ErrorBody prints it
            // with json.Marshal, which escapes `<` and `>`.
            "operator with markup",
            "ReplicaSet",
            expr("<In>", json!(["x"])),
            &[
                "spec.selector.matchExpressions[0].operator: Invalid value: \"\\u003cIn\\u003e\": not a valid selector operator",
                "spec.selector: Invalid value",
            ],
        ),
        (
            // upstream: ValidateLabelSelectorRequirement's default case for
            // Go's empty operator (a missing key used to read as `In`).
            "missing operator",
            "ReplicaSet",
            json!({"spec": {"selector": {"matchExpressions": [{"key": "app", "values": ["x"]}]}}}),
            &[
                "spec.selector.matchExpressions[0].operator: Invalid value: \"\": not a valid selector operator",
                "spec.selector: Invalid value",
            ],
        ),
        (
            "bad value",
            "ReplicaSet",
            expr("In", json!(["-x"])),
            &[
                "spec.selector.matchExpressions[0].values[0]: Invalid value: \"-x\"",
                "spec.selector: Invalid value",
            ],
        ),
        (
            "bad matchLabels",
            "ReplicaSet",
            json!({"spec": {"selector": {"matchLabels": {"app": "-"}}}}),
            &["spec.selector.matchLabels: Invalid value: \"-\"", "spec.selector: Invalid value"],
        ),
        (
            "NotIn matches missing label",
            "ReplicaSet",
            json!({"spec": {"selector": {"matchLabels": null, "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["db"]}]}}}),
            &[],
        ),
        (
            "selector mismatch",
            "ReplicaSet",
            json!({"spec": {"selector": {"matchLabels": {"app": "y"}}}}),
            &[
                "spec.template.metadata.labels: Invalid value: {\"app\":\"x\"}: `selector` does not match template `labels`",
            ],
        ),
        (
            "nil selector RS",
            "ReplicaSet",
            json!({"spec": {"selector": null}}),
            &["spec.selector: Required value", "spec.template.metadata.labels: Invalid value"],
        ),
        (
            "nil selector Deployment",
            "Deployment",
            json!({"spec": {"selector": null}}),
            &["spec.selector: Required value", "spec.template.metadata.labels: Invalid value"],
        ),
        (
            "nil selector StatefulSet",
            "StatefulSet",
            json!({"spec": {"selector": null}}),
            &["spec.selector: Required value", "spec.template.metadata.labels: Invalid value"],
        ),
        (
            "nil selector DaemonSet",
            "DaemonSet",
            json!({"spec": {"selector": null}}),
            &["spec.template.metadata.labels: Invalid value"],
        ),
        (
            "empty selector RS",
            "ReplicaSet",
            json!({"spec": {"selector": {"matchLabels": {"app": null}}}}),
            &["spec.selector: Invalid value: {\"matchLabels\":{}}: empty selector is invalid for deployment"],
        ),
        (
            "empty selector StatefulSet",
            "StatefulSet",
            json!({"spec": {"selector": {"matchLabels": {"app": null}}}}),
            &[
                "spec.selector: Invalid value: {\"matchLabels\":{}}: empty selector is invalid for statefulset",
            ],
        ),
        (
            "empty selector DaemonSet",
            "DaemonSet",
            json!({"spec": {"selector": {"matchLabels": {"app": null}}}}),
            &["spec.selector: Invalid value: {\"matchLabels\":{}}: empty selector is invalid for daemonset"],
        ),
    ]);
}

// ----------------------------------------------------------------- pod spec: containers

fn pod_with(container: Value) -> Value {
    json!({"spec": {"containers": [container]}})
}

// upstream: CV TestValidateContainers, TestValidateInitContainers, TestValidatePorts,
// TestValidateEnv, TestValidateResourceRequirements, TestValidateVolumeMounts
#[test]
fn containers() {
    let c = |extra: Value| {
        let mut v = container();
        merge(&mut v, &extra);
        pod_with(v)
    };
    run(&[
        ("no containers", "Pod", json!({"spec": {"containers": []}}), &["spec.containers: Required value"]),
        ("name missing", "Pod", c(json!({"name": ""})), &["spec.containers[0].name: Required value"]),
        ("name bad", "Pod", c(json!({"name": "Web"})), &["spec.containers[0].name: Invalid value: \"Web\""]),
        (
            "duplicate names",
            "Pod",
            json!({"spec": {"containers": [container(), container()]}}),
            &["spec.containers[1].name: Duplicate value: \"c\""],
        ),
        (
            "init duplicates regular",
            "Pod",
            json!({"spec": {"initContainers": [container()]}}),
            &["spec.initContainers[0].name: Duplicate value: \"c\""],
        ),
        (
            "init distinct ok",
            "Pod",
            json!({"spec": {"initContainers": [{"name": "i", "image": "busybox"}]}}),
            &[],
        ),
        ("image missing", "Pod", c(json!({"image": null})), &["spec.containers[0].image: Required value"]),
        (
            "image whitespace in pod",
            "Pod",
            c(json!({"image": " nginx"})),
            &[
                "spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace",
            ],
        ),
        (
            "image whitespace in template ok",
            "ReplicaSet",
            json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": " nginx"}]}}}}),
            &[],
        ),
        (
            "pull policy bad",
            "Pod",
            c(json!({"imagePullPolicy": "Sometimes"})),
            &[
                "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
            ],
        ),
        (
            "termination message policy bad",
            "Pod",
            c(json!({"terminationMessagePolicy": "Logs"})),
            &["spec.containers[0].terminationMessagePolicy: Unsupported value: \"Logs\""],
        ),
        ("port ok", "Pod", c(json!({"ports": [{"name": "http", "containerPort": 80}]})), &[]),
        (
            "containerPort 0",
            "Pod",
            c(json!({"ports": [{"containerPort": 0}]})),
            &["spec.containers[0].ports[0].containerPort: Required value"],
        ),
        (
            "containerPort too big",
            "Pod",
            c(json!({"ports": [{"containerPort": 65536}]})),
            &[
                "spec.containers[0].ports[0].containerPort: Invalid value: 65536: must be between 1 and 65535, inclusive",
            ],
        ),
        (
            "hostPort bad",
            "Pod",
            c(json!({"ports": [{"containerPort": 80, "hostPort": -1}]})),
            &["spec.containers[0].ports[0].hostPort: Invalid value: -1"],
        ),
        (
            "protocol lower case",
            "Pod",
            c(json!({"ports": [{"containerPort": 80, "protocol": "tcp"}]})),
            &[
                "spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
            ],
        ),
        (
            "port name bad",
            "Pod",
            c(json!({"ports": [{"name": "Http", "containerPort": 80}]})),
            &["spec.containers[0].ports[0].name: Invalid value: \"Http\""],
        ),
        (
            "port name duplicate",
            "Pod",
            c(
                json!({"ports": [{"name": "http", "containerPort": 80}, {"name": "http", "containerPort": 81}]}),
            ),
            &["spec.containers[0].ports[1].name: Duplicate value: \"http\""],
        ),
        (
            "host port conflict",
            "Pod",
            json!({"spec": {"containers": [
            {"name": "a", "image": "x", "ports": [{"containerPort": 80, "hostPort": 8080}]},
            {"name": "b", "image": "x", "ports": [{"containerPort": 81, "hostPort": 8080}]}]}}),
            &["spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\""],
        ),
        (
            "host port different protocol ok",
            "Pod",
            json!({"spec": {"containers": [
            {"name": "a", "image": "x", "ports": [{"containerPort": 80, "hostPort": 8080}]},
            {"name": "b", "image": "x", "ports": [{"containerPort": 81, "hostPort": 8080, "protocol": "UDP"}]}]}}),
            &[],
        ),
        (
            "hostNetwork ports defaulted ok",
            "Pod",
            json!({"spec": {"hostNetwork": true, "containers": [{"name": "a", "image": "x", "ports": [{"containerPort": 80}]}]}}),
            &[],
        ),
        (
            "hostNetwork port mismatch",
            "Pod",
            json!({"spec": {"hostNetwork": true, "containers": [{"name": "a", "image": "x", "ports": [{"containerPort": 80, "hostPort": 81}]}]}}),
            &[
                "spec.containers[0].ports[0].hostPort: Invalid value: 81: must match `containerPort` when `hostNetwork` is true",
            ],
        ),
        (
            "hostNetwork template without hostPort ok",
            "ReplicaSet",
            json!({"spec": {"template": {"spec": {"hostNetwork": true, "containers": [{"name": "a", "image": "x", "ports": [{"containerPort": 80}]}]}}}}),
            &[],
        ),
        ("env ok relaxed", "Pod", c(json!({"env": [{"name": "1 with space", "value": "v"}]})), &[]),
        (
            "env name empty",
            "Pod",
            c(json!({"env": [{"name": ""}]})),
            &["spec.containers[0].env[0].name: Required value"],
        ),
        (
            "env name with =",
            "Pod",
            c(json!({"env": [{"name": "A=B"}]})),
            &["spec.containers[0].env[0].name: Invalid value: \"A=B\""],
        ),
        (
            "env valueFrom empty",
            "Pod",
            c(json!({"env": [{"name": "A", "valueFrom": {}}]})),
            // upstream validateEnvVarValueFrom: Invalid with an empty value.
            &["spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of"],
        ),
        (
            "env valueFrom two",
            "Pod",
            c(
                json!({"env": [{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}, "secretKeyRef": {"name": "s", "key": "k"}}}]}),
            ),
            &[
                "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not have more than one field specified at a time",
            ],
        ),
        ("envFrom ok", "Pod", c(json!({"envFrom": [{"configMapRef": {"name": "cm"}}]})), &[]),
        (
            "envFrom none",
            "Pod",
            c(json!({"envFrom": [{"prefix": "P_"}]})),
            // upstream ValidateEnvFrom reports on the list path.
            &[
                "spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`",
            ],
        ),
        (
            "resources ok",
            "Pod",
            c(
                json!({"resources": {"limits": {"cpu": "1", "memory": "1Gi", "example.com/gpu": 1}, "requests": {"cpu": "500m", "example.com/gpu": 1}}}),
            ),
            &[],
        ),
        (
            "request above limit",
            "Pod",
            c(json!({"resources": {"limits": {"memory": "1Gi"}, "requests": {"memory": "2Gi"}}})),
            &[
                "spec.containers[0].resources.requests: Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi",
            ],
        ),
        (
            "negative quantity",
            "ReplicaSet",
            json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x", "resources": {"requests": {"memory": "-1"}}}]}}}}),
            &[
                "spec.template.spec.containers[0].resources.requests[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
            ],
        ),
        (
            "unknown standard resource (requests defaulted from limits)",
            "Pod",
            c(json!({"resources": {"limits": {"gpu": "1"}}})),
            // validateResourceName's error, then validateContainerResourceName's.
            &[
                "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
                "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
                "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
                "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
            ],
        ),
        (
            "a quota resource name is standard but not for containers, and counts whole",
            "Pod",
            c(json!({"resources": {"limits": {"pods": "500m"}}})),
            &[
                "spec.containers[0].resources.limits[pods]: Invalid value: \"pods\": must be a standard resource for containers",
                "spec.containers[0].resources.limits[pods]: Invalid value: \"500m\": must be an integer",
                "spec.containers[0].resources.requests[pods]: Invalid value: \"pods\": must be a standard resource for containers",
                "spec.containers[0].resources.requests[pods]: Invalid value: \"500m\": must be an integer",
            ],
        ),
        (
            "extended request without limit",
            "ReplicaSet",
            json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x", "resources": {"requests": {"example.com/gpu": "1"}}}]}}}}),
            &[
                "spec.template.spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources",
            ],
        ),
        (
            "extended request not equal limit",
            "Pod",
            c(
                json!({"resources": {"limits": {"example.com/gpu": "2"}, "requests": {"example.com/gpu": "1"}}}),
            ),
            &[
                "spec.containers[0].resources.requests: Invalid value: \"1\": must be equal to example.com/gpu limit of 2",
            ],
        ),
        (
            "extended fractional",
            "ReplicaSet",
            json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "x", "resources": {"limits": {"example.com/gpu": "500m"}}}]}}}}),
            &[
                "spec.template.spec.containers[0].resources.limits[example.com/gpu]: Invalid value: \"500m\": must be an integer",
            ],
        ),
        (
            "hugepages without cpu",
            "Pod",
            c(json!({"resources": {"limits": {"hugepages-2Mi": "4Mi"}}})),
            &["spec.containers[0].resources: Forbidden: HugePages require cpu or memory"],
        ),
        (
            "hugepages not multiple",
            "Pod",
            c(json!({"resources": {"limits": {"hugepages-2Mi": "3Mi", "memory": "1Gi"}}})),
            &[
                "spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: \"3Mi\"",
                "spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: \"3Mi\"",
            ],
        ),
        (
            // upstream: IsHugePageResourceValueDivisible is false for a page
            // size that does not parse or is not whole bytes.
            "hugepages of an unparsable or fractional size",
            "Pod",
            c(
                json!({"resources": {"limits": {"memory": "1Gi", "hugepages-foo": "2Mi", "hugepages-1m": "2Mi"}}}),
            ),
            &[
                "spec.containers[0].resources.limits[hugepages-foo]: Invalid value: \"2Mi\": 2Mi is not positive integer multiple of hugepages-foo",
                "spec.containers[0].resources.requests[hugepages-foo]: Invalid value: \"2Mi\": 2Mi is not positive integer multiple of hugepages-foo",
                "spec.containers[0].resources.limits[hugepages-1m]: Invalid value: \"2Mi\": 2Mi is not positive integer multiple of hugepages-1m",
                "spec.containers[0].resources.requests[hugepages-1m]: Invalid value: \"2Mi\": 2Mi is not positive integer multiple of hugepages-1m",
            ],
        ),
        // upstream: Value() % pageSize.Value() in int64: 2^53 + 1 bytes is
        // odd, though a float reading rounds it to 2^53.
        (
            "hugepages one byte past a float's precision",
            "Pod",
            c(json!({"resources": {"limits": {"hugepages-2Mi": "9007199254740993", "memory": "1Gi"}}})),
            &[
                "spec.containers[0].resources.limits[hugepages-2Mi]: Invalid value: \"9007199254740993\"",
                "spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: \"9007199254740993\"",
            ],
        ),
        (
            "quantity garbage",
            "Pod",
            c(json!({"resources": {"limits": {"cpu": "lots"}}})),
            &[
                "spec.containers[0].resources.limits[cpu]: Invalid value: \"lots\": quantities must match",
                "spec.containers[0].resources.requests[cpu]: Invalid value: \"lots\": quantities must match",
            ],
        ),
        (
            // upstream: validateContainerRestartPolicy (ContainerRestartRules
            // on, the default): a known policy.
            "regular restartPolicy",
            "Pod",
            c(json!({"restartPolicy": "Always"})),
            &[],
        ),
        (
            "regular restartPolicy unknown",
            "Pod",
            c(json!({"restartPolicy": "Sometimes"})),
            &["spec.containers[0].restartPolicy: Unsupported value: \"Sometimes\""],
        ),
    ]);
    // upstream: dropContainerRestartRules: with ContainerRestartRules off the
    // field is dropped before validation.
    let mut off = FeatureGates::default();
    off.container_restart_rules = false;
    let obj = object("Pod", &c(json!({"restartPolicy": "Sometimes"})));
    assert!(validation::validate_with_gates(&obj, &off).is_ok());
}

// upstream: CV TestValidateVolumeMounts, TestValidateVolumes
#[test]
fn volumes_and_mounts() {
    let with = |vols: Value, mounts: Value| json!({"spec": {"volumes": vols, "containers": [{"name": "c", "image": "x", "volumeMounts": mounts}]}});
    run(&[
        // upstream: SizeLimit.Cmp(Quantity{}) < 0, on the parse that rounds
        // a value below a nano away from zero (-1e-400 is -1n).
        (
            "emptyDir sizeLimit below a nano, negative",
            "Pod",
            with(json!([{"name": "v", "emptyDir": {"sizeLimit": "-1e-400"}}]), json!([])),
            &[
                "spec.volumes[0].emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity",
            ],
        ),
        (
            "mount ok",
            "Pod",
            with(
                json!([{"name": "data", "emptyDir": {}}]),
                json!([{"name": "data", "mountPath": "/d", "subPath": "a/b"}]),
            ),
            &[],
        ),
        (
            "source-less volume defaults to emptyDir",
            "Pod",
            with(json!([{"name": "data"}]), json!([{"name": "data", "mountPath": "/d"}])),
            &[],
        ),
        (
            "mount of unknown volume",
            "Pod",
            with(json!([]), json!([{"name": "data", "mountPath": "/d"}])),
            &["spec.containers[0].volumeMounts[0].name: Not found: \"data\""],
        ),
        (
            "mount name empty",
            "Pod",
            with(json!([]), json!([{"name": "", "mountPath": "/d"}])),
            &[
                "spec.containers[0].volumeMounts[0].name: Required value",
                "spec.containers[0].volumeMounts[0].name: Not found: \"\"",
            ],
        ),
        (
            "mountPath empty",
            "Pod",
            with(json!([{"name": "v", "emptyDir": {}}]), json!([{"name": "v", "mountPath": ""}])),
            &["spec.containers[0].volumeMounts[0].mountPath: Required value"],
        ),
        (
            "mountPath duplicate",
            "Pod",
            with(
                json!([{"name": "v", "emptyDir": {}}]),
                json!([{"name": "v", "mountPath": "/d"}, {"name": "v", "mountPath": "/d"}]),
            ),
            &["spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/d\": must be unique"],
        ),
        (
            "subPath absolute",
            "Pod",
            with(
                json!([{"name": "v", "emptyDir": {}}]),
                json!([{"name": "v", "mountPath": "/d", "subPath": "/abs"}]),
            ),
            &["spec.containers[0].volumeMounts.subPath: Invalid value: \"/abs\": must be a relative path"],
        ),
        (
            "subPath backsteps",
            "Pod",
            with(
                json!([{"name": "v", "emptyDir": {}}]),
                json!([{"name": "v", "mountPath": "/d", "subPath": "a/../b"}]),
            ),
            &["spec.containers[0].volumeMounts.subPath: Invalid value: \"a/../b\": must not contain '..'"],
        ),
        (
            "subPath and subPathExpr",
            "Pod",
            with(
                json!([{"name": "v", "emptyDir": {}}]),
                json!([{"name": "v", "mountPath": "/d", "subPath": "a", "subPathExpr": "$(X)"}]),
            ),
            &[
                "spec.containers[0].volumeMounts[0].subPathExpr: Invalid value: \"$(X)\": subPathExpr and subPath are mutually exclusive",
            ],
        ),
        (
            "volume name bad",
            "Pod",
            with(json!([{"name": "Data", "emptyDir": {}}]), json!([])),
            &["spec.volumes[0].name: Invalid value: \"Data\""],
        ),
        (
            "volume name empty",
            "Pod",
            with(json!([{"name": "", "emptyDir": {}}]), json!([])),
            &["spec.volumes[0].name: Required value"],
        ),
        (
            "volume duplicate",
            "Pod",
            with(json!([{"name": "v", "emptyDir": {}}, {"name": "v", "emptyDir": {}}]), json!([])),
            &["spec.volumes[1].name: Duplicate value: \"v\""],
        ),
        (
            // upstream: validateVolumeSource counts emptyDir first.
            "two sources",
            "Pod",
            with(json!([{"name": "v", "hostPath": {"path": "/x"}, "emptyDir": {}}]), json!([])),
            &["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"],
        ),
        (
            // ... and names a second cephfs or downwardAPI source its own way.
            "two sources, upstream's paths",
            "Pod",
            with(
                json!([
                    {"name": "a", "emptyDir": {}, "cephfs": {"monitors": ["m"]}},
                    {"name": "b", "emptyDir": {}, "downwardAPI": {}},
                    {"name": "c", "configMap": {"name": "x"}, "azureFile": {"secretName": "s", "shareName": "h"}}
                ]),
                json!([]),
            ),
            &[
                "spec.volumes[0].cephFS: Forbidden: may not specify more than 1 volume type",
                "spec.volumes[1].downwarAPI: Forbidden: may not specify more than 1 volume type",
                "spec.volumes[2].azureFile: Forbidden: may not specify more than 1 volume type",
            ],
        ),
        (
            // upstream: validateFlexVolumeSource (a source, deprecated but
            // still in core/v1).
            "flexVolume",
            "Pod",
            with(
                json!([
                    {"name": "a", "flexVolume": {"driver": "acme/lvm", "options": {"size": "1"}}},
                    {"name": "b", "flexVolume": {"options": {"kubernetes.io/x": "1", "a.K8S.io": "2"}}}
                ]),
                json!([]),
            ),
            &[
                "spec.volumes[1].flexVolume.driver: Required value",
                "spec.volumes[1].flexVolume.options[a.K8S.io]: Invalid value: \"a.K8S.io\": kubernetes.io and k8s.io namespaces are reserved",
                "spec.volumes[1].flexVolume.options[kubernetes.io/x]: Invalid value: \"kubernetes.io/x\": kubernetes.io and k8s.io namespaces are reserved",
            ],
        ),
        (
            "bad volume not registered",
            "Pod",
            with(
                json!([{"name": "v", "hostPath": {"path": "/x"}, "emptyDir": {}}]),
                json!([{"name": "v", "mountPath": "/d"}]),
            ),
            &[
                "spec.volumes[0].hostPath: Forbidden",
                "spec.containers[0].volumeMounts[0].name: Not found: \"v\"",
            ],
        ),
        (
            "secret without name",
            "Pod",
            with(json!([{"name": "v", "secret": {}}]), json!([])),
            &["spec.volumes[0].secret.secretName: Required value"],
        ),
        (
            // upstream: validateKeyToPath, validateLocalNonReservedPath:
            // ".." both contains '..' and starts with it.
            "item path ..",
            "Pod",
            with(
                json!([{"name": "v", "configMap": {"name": "c", "items": [{"key": "k", "path": ".."}]}}]),
                json!([]),
            ),
            &[
                "spec.volumes[0].configMap.items[0].path: Invalid value: \"..\": must not contain '..'",
                "spec.volumes[0].configMap.items[0].path: Invalid value: \"..\": must not start with '..'",
            ],
        ),
        (
            "configMap bad mode",
            "Pod",
            with(json!([{"name": "v", "configMap": {"name": "c", "defaultMode": 1000}}]), json!([])),
            &["spec.volumes[0].configMap.defaultMode: Invalid value: 1000"],
        ),
        (
            "pvc without claim",
            "Pod",
            with(json!([{"name": "v", "persistentVolumeClaim": {"claimName": ""}}]), json!([])),
            &["spec.volumes[0].persistentVolumeClaim.claimName: Required value"],
        ),
    ]);
}

// upstream: CV TestValidateVolumes and TestValidateProjectedVolumeSource /
// TestValidateDownwardAPIVolumeFile / TestValidateHostPathVolumeSource /
// TestEphemeralVolume / TestValidateCSIVolumeSource cases
// (validateProjectionSources, validateDownwardAPIVolumeFile,
// validateHostPathVolumeSource, ValidatePersistentVolumeClaimSpec,
// ValidateCSIDriverName, validateNFSVolumeSource, validateImageVolumeSource,
// validateGitRepoVolumeSource).
#[test]
fn volume_source_contents() {
    let vol = |source: Value| json!({"spec": {"serviceAccountName": "default", "volumes": [source], "containers": [{"name": "c", "image": "x"}]}});
    let claim = |spec: Value| json!({"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": spec}}});
    let good_claim =
        || json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}});
    run(&[
        (
            "projected token, secret, configMap and downward API",
            "Pod",
            vol(json!({"name": "p", "projected": {"sources": [
                {"serviceAccountToken": {"path": "token", "audience": "api"}},
                {"secret": {"name": "s", "items": [{"key": "k", "path": "a"}]}},
                {"configMap": {"name": "c", "items": [{"key": "k", "path": "b"}]}},
                {"downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}}
            ]}})),
            &[],
        ),
        (
            "projected token lifetimes and paths",
            "Pod",
            vol(json!({"name": "p", "projected": {"sources": [
                {"serviceAccountToken": {"expirationSeconds": 599, "path": "/abs"}},
                {"serviceAccountToken": {"expirationSeconds": 4294967297_i64, "path": ""}}
            ]}})),
            &[
                "spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes",
                "spec.volumes[0].projected.path: Invalid value: \"/abs\": must be a relative path",
                "spec.volumes[0].projected.sources[1].serviceAccountToken.expirationSeconds: Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds",
                "spec.volumes[0].projected.path: Required value",
            ],
        ),
        (
            "projected duplicate paths, two types in one source, no name",
            "Pod",
            vol(json!({"name": "p", "projected": {"defaultMode": 1000, "sources": [
                {"secret": {"name": "s", "items": [{"key": "k", "path": "same"}]}},
                {"configMap": {"name": "", "items": [{"key": "k", "path": "same"}]},
                 "downwardAPI": {"items": [{"path": "..x", "fieldRef": {"fieldPath": "metadata.name"}}]}}
            ]}})),
            &[
                "spec.volumes[0].projected.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
                "spec.volumes[0].projected.sources[1].configMap.name: Required value",
                "spec.volumes[0].projected: Invalid value: \"\": conflicting duplicate paths",
                "spec.volumes[0].projected.sources[1].downwardAPI.path: Invalid value: \"..x\": must not start with '..'",
                "spec.volumes[0].projected.sources[1]: Forbidden: may not specify more than 1 volume type per source",
            ],
        ),
        // ClusterTrustBundleProjection is beta and off in 1.35: the API
        // server drops these sources before validating (dropDisabledFields),
        // so nothing is reported; projected_sources_behind_their_gates checks
        // them with the gate on.
        (
            "projected cluster trust bundle dropped with its gate off",
            "Pod",
            vol(json!({"name": "p", "projected": {"sources": [
                {"clusterTrustBundle": {"path": "ca"}},
                {"secret": {"name": "s"}, "podCertificate": {"signerName": "example.com/s"}}
            ]}})),
            &[],
        ),
        (
            // upstream: validatePodMetadataAndSpec, pods only.
            "token without a service account",
            "Pod",
            json!({"spec": {"serviceAccountName": null, "volumes": [{"name": "p", "projected": {"sources": [
                {"serviceAccountToken": {"path": "token"}}]}}], "containers": [{"name": "c", "image": "x"}]}}),
            &[
                "spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set",
            ],
        ),
        (
            "token without a service account in a template",
            "Deployment",
            json!({"spec": {"template": {"spec": {"volumes": [{"name": "p", "projected": {"sources": [
                {"serviceAccountToken": {"path": "token"}}]}}]}}}}),
            &[],
        ),
        (
            "downward API files",
            "Pod",
            vol(json!({"name": "d", "downwardAPI": {"items": [
                {"path": "a", "fieldRef": {"fieldPath": "spec.nodeName"}},
                {"path": "b", "resourceFieldRef": {"resource": "limits.cpu"}},
                {"path": "c"},
                {"path": "d", "fieldRef": {"fieldPath": "metadata.name"}, "resourceFieldRef": {"containerName": "c", "resource": "limits.cpu"}}
            ]}})),
            &[
                "spec.volumes[0].downwardAPI.fieldRef.fieldPath: Unsupported value: \"spec.nodeName\": supported values: \"metadata.annotations\", \"metadata.labels\", \"metadata.name\", \"metadata.namespace\", \"metadata.uid\"",
                "spec.volumes[0].downwardAPI.resourceFieldRef.containerName: Required value",
                "spec.volumes[0].downwardAPI: Required value: one of fieldRef and resourceFieldRef is required",
                "spec.volumes[0].downwardAPI: Invalid value: \"resource\": fieldRef and resourceFieldRef can not be specified simultaneously",
            ],
        ),
        (
            "hostPath",
            "Pod",
            json!({"spec": {"volumes": [
                {"name": "a", "hostPath": {"path": "/var/../etc", "type": "Dir"}},
                {"name": "b", "hostPath": {"path": "", "type": "Dir"}},
                {"name": "c", "hostPath": {"path": "/var/log", "type": "DirectoryOrCreate"}}
            ]}}),
            &[
                "spec.volumes[0].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..'",
                "spec.volumes[0].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", \"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"",
                "spec.volumes[1].hostPath.path: Required value",
            ],
        ),
        ("ephemeral ok", "Pod", vol(claim(good_claim())), &[]),
        // Go reads a null quantity as zero and keeps the key
        // (Quantity.UnmarshalJSON): not Required, but not above zero.
        (
            "ephemeral storage null",
            "Pod",
            vol(claim(
                json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": null}}}),
            )),
            &[
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Invalid value: \"0\": must be greater than zero",
            ],
        ),
        (
            "ephemeral claim spec",
            "Pod",
            vol(claim(json!({"accessModes": ["ReadWriteOncePod", "ReadWriteOnce", "Sometimes"],
                             "storageClassName": "Fast_SSD", "volumeMode": "Raw",
                             "dataSource": {"kind": "Snapshot", "name": "s"}}))),
            &[
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Unsupported value: \"Sometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Required value",
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.storageClassName: Invalid value: \"Fast_SSD\"",
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.volumeMode: Unsupported value: \"Raw\": supported values: \"Block\", \"Filesystem\"",
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.dataSource: Invalid value: \"Snapshot\": must be 'PersistentVolumeClaim' when referencing the default apiGroup",
            ],
        ),
        // validateFieldAllowList compares with Go's zero value: a pointer
        // (deletionGracePeriodSeconds: 0) or list (finalizers: []) decoded
        // from JSON is set even when zero or empty.
        (
            "ephemeral template metadata pointers and empty lists",
            "Pod",
            vol(json!({"name": "e", "ephemeral": {"volumeClaimTemplate": {
                "metadata": {"finalizers": [], "deletionGracePeriodSeconds": 0, "generation": 0},
                "spec": good_claim()}}})),
            &[
                "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.deletionGracePeriodSeconds: Forbidden: cannot be set",
                "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.finalizers: Forbidden: cannot be set",
            ],
        ),
        (
            "ephemeral template metadata and empty claim",
            "Pod",
            vol(json!({"name": "e", "ephemeral": {"volumeClaimTemplate": {
                "metadata": {"name": "x", "uid": "u", "labels": {"ok": "yes"}, "creationTimestamp": null},
                "spec": {"resources": {"requests": {"storage": "0"}}}}}})),
            &[
                "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.name: Forbidden: cannot be set",
                "spec.volumes[0].ephemeral.volumeClaimTemplate.metadata.uID: Forbidden: cannot be set",
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required",
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.resources[storage]: Invalid value: \"0\": must be greater than zero",
            ],
        ),
        (
            // upstream: isDataSourceEqualDataSourceRef compares the group
            // pointers: a missing group is not `""`.
            "ephemeral data source and ref differ in the group's presence",
            "Pod",
            vol(claim(
                json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                "dataSource": {"kind": "PersistentVolumeClaim", "name": "src"},
                "dataSourceRef": {"apiGroup": "", "kind": "PersistentVolumeClaim", "name": "src"}}),
            )),
            &[
                "spec.volumes[0].ephemeral.volumeClaimTemplate.spec: Invalid value: {}: must match dataSourceRef",
            ],
        ),
        (
            "ephemeral data source and ref agree",
            "Pod",
            vol(claim(
                json!({"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                "dataSource": {"kind": "PersistentVolumeClaim", "name": "src"},
                "dataSourceRef": {"kind": "PersistentVolumeClaim", "name": "src"}}),
            )),
            &[],
        ),
        (
            // upstream: validateVolumeSource (pods): the claim is named
            // `<pod>-<volume>`, here 253 + 1 + 1 characters.
            "ephemeral claim name too long",
            "Pod",
            json!({"metadata": {"name": "a".repeat(253)}, "spec": {"serviceAccountName": "default",
                "volumes": [claim(good_claim())], "containers": [{"name": "c", "image": "x"}]}}),
            &["spec.volumes[0].name: Invalid value: \"e\": PVC name \""],
        ),
        (
            // Only the ephemeral volume's own name is checked, not another
            // volume's of the same name (upstream: source.Ephemeral != nil),
            // and the error is the volume's own (validateVolumeSource): the
            // invalid volume's name is not taken, so the second "e" is no
            // duplicate (ValidateVolumes keeps only valid names).
            "ephemeral claim name too long, beside a duplicate name",
            "Pod",
            json!({"metadata": {"name": "a".repeat(253)}, "spec": {"serviceAccountName": "default",
                "volumes": [claim(good_claim()), {"name": "e", "emptyDir": {}}], "containers": [{"name": "c", "image": "x"}]}}),
            &["spec.volumes[0].name: Invalid value: \"e\": PVC name \""],
        ),
        (
            // upstream: ValidateVolumes (pods): a claim an ephemeral volume
            // creates is not another volume's.
            "claim of an ephemeral volume named by another volume",
            "Pod",
            json!({"spec": {"serviceAccountName": "default", "volumes": [
                claim(good_claim()),
                {"name": "other", "persistentVolumeClaim": {"claimName": "x-e"}}
            ], "containers": [{"name": "c", "image": "x"}]}}),
            &[
                "spec.volumes[1].persistentVolumeClaim.claimName: Invalid value: \"x-e\": must not reference a PVC that gets created for an ephemeral volume",
            ],
        ),
        (
            "ephemeral claims in a template are not named yet",
            "Deployment",
            json!({"spec": {"template": {"spec": {"volumes": [
                claim(good_claim()),
                {"name": "other", "persistentVolumeClaim": {"claimName": "x-e"}}
            ]}}}}),
            &[],
        ),
        (
            "ephemeral without a template",
            "Pod",
            vol(json!({"name": "e", "ephemeral": {}})),
            &["spec.volumes[0].ephemeral.volumeClaimTemplate: Required value"],
        ),
        (
            "csi, nfs, gitRepo",
            "Pod",
            json!({"spec": {"volumes": [
                {"name": "a", "csi": {"driver": "Bad_Driver", "nodePublishSecretRef": {"name": "Sec"}}},
                {"name": "b", "nfs": {"server": "", "path": "relative"}},
                {"name": "c", "gitRepo": {"repository": "", "directory": "../up"}},
                {"name": "d", "csi": {"driver": "csi.example.com"}}
            ]}}),
            &[
                "spec.volumes[0].csi.driver: Invalid value: \"Bad_Driver\"",
                "spec.volumes[0].csi.name: Invalid value: \"Sec\"",
                "spec.volumes[1].nfs.server: Required value",
                "spec.volumes[1].nfs.path: Invalid value: \"relative\": must be an absolute path",
                "spec.volumes[2].gitRepo.repository: Required value",
                "spec.volumes[2].gitRepo.directory: Invalid value: \"../up\": must not contain '..'",
            ],
        ),
        (
            // 1.35: the reference is required on pods only.
            "image volume without a reference",
            "Pod",
            vol(json!({"name": "i", "image": {"pullPolicy": "Sometimes"}})),
            &[
                "spec.volumes[0].image.reference: Required value",
                "spec.volumes[0].image.pullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
            ],
        ),
        (
            "image volume without a reference in a template",
            "Deployment",
            json!({"spec": {"template": {"spec": {"volumes": [{"name": "i", "image": {"pullPolicy": "IfNotPresent"}}]}}}}),
            &[],
        ),
    ]);
}

// upstream: CV TestValidateMountPropagation (an unknown mode, Bidirectional
// only for privileged containers, on the list's path),
// TestValidateMountRecursiveReadOnly, TestValidateVolumeDevices and the
// device overlaps of TestValidateVolumeMounts (ValidateVolumeMounts,
// validateMountPropagation, validateMountRecursiveReadOnly,
// ValidateVolumeDevices).
#[test]
fn mount_propagation_recursive_read_only_and_devices() {
    let pod = |vols: Value, container: Value| {
        let mut c = json!({"name": "c", "image": "x"});
        merge(&mut c, &container);
        json!({"spec": {"volumes": vols, "containers": [c]}})
    };
    let empty = || json!([{"name": "v", "emptyDir": {}}]);
    let mount = |extra: Value| {
        let mut m = json!({"name": "v", "mountPath": "/m"});
        merge(&mut m, &extra);
        json!({"volumeMounts": [m]})
    };
    let claims = || {
        json!([
            {"name": "cfg", "configMap": {"name": "x"}},
            {"name": "blk", "persistentVolumeClaim": {"claimName": "c"}},
            {"name": "eph", "ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}}}
        ])
    };
    run(&[
        (
            "propagation unknown",
            "Pod",
            pod(empty(), mount(json!({"mountPropagation": "Foo"}))),
            &[
                "spec.containers[0].volumeMounts.mountPropagation: Unsupported value: \"Foo\": supported values: \"Bidirectional\", \"HostToContainer\", \"None\"",
            ],
        ),
        (
            "propagation HostToContainer",
            "Pod",
            pod(empty(), mount(json!({"mountPropagation": "HostToContainer"}))),
            &[],
        ),
        (
            "Bidirectional unprivileged",
            "Pod",
            pod(empty(), mount(json!({"mountPropagation": "Bidirectional"}))),
            &[
                "spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers",
            ],
        ),
        (
            "Bidirectional privileged false",
            "Pod",
            pod(
                empty(),
                json!({"securityContext": {"privileged": false}, "volumeMounts": [{"name": "v", "mountPath": "/m", "mountPropagation": "Bidirectional"}]}),
            ),
            &[
                "spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers",
            ],
        ),
        (
            "Bidirectional privileged",
            "Pod",
            pod(
                empty(),
                json!({"securityContext": {"privileged": true}, "volumeMounts": [{"name": "v", "mountPath": "/m", "mountPropagation": "Bidirectional"}]}),
            ),
            &[],
        ),
        (
            "Bidirectional in an init container",
            "Pod",
            json!({"spec": {"volumes": empty(), "initContainers": [{"name": "i", "image": "x",
                "volumeMounts": [{"name": "v", "mountPath": "/m", "mountPropagation": "Bidirectional"}]}]}}),
            &[
                "spec.initContainers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers",
            ],
        ),
        (
            "recursiveReadOnly without readOnly, with propagation",
            "Pod",
            pod(
                empty(),
                mount(json!({"recursiveReadOnly": "Enabled", "mountPropagation": "HostToContainer"})),
            ),
            &[
                "spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when readOnly is true",
                "spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when mountPropagation is None or not specified",
            ],
        ),
        (
            "recursiveReadOnly IfPossible read-only, propagation None",
            "Pod",
            pod(
                empty(),
                mount(
                    json!({"readOnly": true, "recursiveReadOnly": "IfPossible", "mountPropagation": "None"}),
                ),
            ),
            &[],
        ),
        (
            "recursiveReadOnly Disabled read-write",
            "Pod",
            pod(empty(), mount(json!({"recursiveReadOnly": "Disabled"}))),
            &[],
        ),
        (
            "recursiveReadOnly unknown",
            "Pod",
            pod(empty(), mount(json!({"readOnly": true, "recursiveReadOnly": "Bogus"}))),
            &[
                "spec.containers[0].volumeMounts.recursiveReadOnly: Unsupported value: \"Bogus\": supported values: \"Disabled\", \"Enabled\", \"IfPossible\"",
            ],
        ),
        (
            "recursiveReadOnly with Bidirectional, unprivileged",
            "Pod",
            pod(empty(), mount(json!({"recursiveReadOnly": "Enabled", "mountPropagation": "Bidirectional"}))),
            &[
                "spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers",
                "spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when readOnly is true",
                "spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when mountPropagation is None or not specified",
            ],
        ),
        (
            "devices on a claim and an ephemeral volume",
            "Pod",
            pod(
                claims(),
                json!({"volumeDevices": [{"name": "blk", "devicePath": "/dev/a"}, {"name": "eph", "devicePath": "/dev/b"}]}),
            ),
            &[],
        ),
        (
            "devices repeated, unnamed, with backsteps",
            "Pod",
            pod(
                claims(),
                json!({"volumeDevices": [
                    {"name": "blk", "devicePath": "/dev/x"},
                    {"name": "blk", "devicePath": "/dev/x"},
                    {"name": "", "devicePath": "/dev/../y"}
                ]}),
            ),
            &[
                "spec.containers[0].volumeDevices[1].name: Invalid value: \"blk\": must be unique",
                "spec.containers[0].volumeDevices[1].devicePath: Invalid value: \"/dev/x\": must be unique",
                "spec.containers[0].volumeDevices[2].name: Required value",
                "spec.containers[0].volumeDevices[2].name: Not found: \"\"",
                "spec.containers[0].volumeDevices[2].devicePath: Invalid value: \"/dev/../y\": can not contain backsteps ('..')",
            ],
        ),
        (
            "two empty device paths",
            "Pod",
            pod(
                claims(),
                json!({"volumeDevices": [{"name": "blk", "devicePath": ""}, {"name": "eph", "devicePath": ""}]}),
            ),
            &[
                "spec.containers[0].volumeDevices[0].devicePath: Required value",
                "spec.containers[0].volumeDevices[1].devicePath: Required value",
                "spec.containers[0].volumeDevices[1].devicePath: Invalid value: \"\": must be unique",
            ],
        ),
        (
            "devices against mounts and sources",
            "Pod",
            pod(
                claims(),
                json!({
                    "volumeMounts": [{"name": "blk", "mountPath": "/dev/xvda"}],
                    "volumeDevices": [
                        {"name": "cfg", "devicePath": "/dev/a"},
                        {"name": "missing", "devicePath": ""},
                        {"name": "blk", "devicePath": "/dev/xvda"}
                    ]
                }),
            ),
            &[
                "spec.containers[0].volumeMounts[0].name: Invalid value: \"blk\": must not already exist in volumeDevices",
                "spec.containers[0].volumeMounts[0].mountPath: Invalid value: \"/dev/xvda\": must not already exist as a path in volumeDevices",
                "spec.containers[0].volumeDevices[0].name: Invalid value: \"cfg\": can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
                "spec.containers[0].volumeDevices[1].name: Not found: \"missing\"",
                "spec.containers[0].volumeDevices[1].devicePath: Required value",
                "spec.containers[0].volumeDevices[2].name: Invalid value: \"blk\": must not already exist in volumeMounts",
                "spec.containers[0].volumeDevices[2].devicePath: Invalid value: \"/dev/xvda\": must not already exist as a path in volumeMounts",
            ],
        ),
        (
            // upstream: volumesToAddForTemplates: a claim template is a
            // claim-backed volume of the pod template.
            "StatefulSet device on a claim template",
            "StatefulSet",
            json!({"spec": {"volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}],
            "template": {"spec": {"containers": [{"name": "c", "image": "x", "volumeDevices": [{"name": "data", "devicePath": "/dev/d"}]}]}}}}),
            &[],
        ),
    ]);
}

// Exact texts where upstream's order or indexing is its own:
// validateContainers checks the lifecycle before the probes, and
// validateInitContainers checks each init container's host ports as a list
// of one, so a duplicate is reported at index 0.
#[test]
fn container_error_order_and_init_host_port_index() {
    let pod = |spec: Value| object("Pod", &json!({"spec": spec}));
    assert_eq!(
        errors(&pod(
            json!({"containers": [{"name": "c", "image": "x", "lifecycle": {"preStop": {}}, "livenessProbe": {}}]})
        )),
        [
            "spec.containers[0].lifecycle.preStop: Required value: must specify a handler type",
            "spec.containers[0].livenessProbe: Required value: must specify a handler type",
        ]
    );
    let ports = json!([{"containerPort": 80, "hostPort": 8080}, {"containerPort": 81, "hostPort": 8080}]);
    assert_eq!(
        errors(&pod(
            json!({"initContainers": [{"name": "a", "image": "x"}, {"name": "b", "image": "x", "ports": ports}],
                           "containers": [{"name": "c", "image": "x"}]})
        )),
        ["spec.initContainers[0].ports[1].hostPort: Duplicate value: \"TCP//8080\""]
    );
}

// Pod-level rules from a review against the 1.35 validation.go:
// validatePodResourceClaim refuses a static pod's claims (kubernetes PR
// 131844), the v1 conversion validates the deprecated `serviceAccount` as
// `serviceAccountName`, ValidatePreemptionPolicy requires a non-empty
// value, and ValidatePodSpec checks ephemeral containers' contents even on
// create, which then refuses them.
#[test]
fn pod_level_rules_from_the_1_35_source() {
    let pod = |extra: Value| object("Pod", &extra);
    assert_eq!(
        errors(&pod(json!({"metadata": {"annotations": {"kubernetes.io/config.mirror": "x"}},
            "spec": {"nodeName": "n1", "resourceClaims": [{"name": "c", "resourceClaimName": "rc"}]}}))),
        [": Forbidden: static pods do not support resource claims"]
    );
    // A template has no static pod to be.
    let claims = json!({"spec": {"template": {"metadata": {"annotations": {"kubernetes.io/config.mirror": "x"}},
        "spec": {"nodeName": "n1", "resourceClaims": [{"name": "c", "resourceClaimName": "rc"}]}}}});
    assert!(!errors(&object("ReplicaSet", &claims)).iter().any(|e| e.contains("static pods")));
    let got = errors(&pod(json!({"spec": {"serviceAccount": "Bad_SA"}})));
    assert_eq!(got.len(), 1, "{got:#?}");
    assert!(got[0].starts_with("spec.serviceAccountName: Invalid value: \"Bad_SA\""), "{got:#?}");
    assert_eq!(
        errors(&pod(json!({"spec": {"preemptionPolicy": ""}}))),
        ["spec.preemptionPolicy: Required value"]
    );
    // With ContainerStopSignals off (its default), a lifecycle holding only
    // a stop signal is dropped before validation (dropContainerStopSignals):
    // a plain init container may carry it.
    let stop_only = json!({"spec": {"initContainers": [{"name": "init", "image": "x",
        "terminationMessagePolicy": "File", "imagePullPolicy": "Always",
        "lifecycle": {"stopSignal": "SIGTERM"}}]}});
    assert_eq!(errors(&pod(stop_only)), Vec::<String>::new());
    let ephemeral = json!({"spec": {"ephemeralContainers": [{"name": "d", "image": "x", "terminationMessagePolicy": "File",
        "imagePullPolicy": "Always", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]}});
    assert_eq!(
        errors(&pod(ephemeral)),
        [
            "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
            "spec.ephemeralContainers: Forbidden: cannot be set on create",
        ]
    );
}

// Volume details from a review against the 1.35 validation.go: mount and
// device paths are compared as GetVolumeMountMap / GetVolumeDeviceMap keep
// them (one path per name, the last), and an ephemeral volume's claim name
// is checked only where its source is validated, not when another source
// came first.
#[test]
fn volume_paths_and_claim_names_as_upstream_keeps_them() {
    let pod = |spec: Value| object("Pod", &json!({"spec": spec}));
    assert_eq!(
        errors(&pod(json!({
            "volumes": [{"name": "v", "emptyDir": {}}, {"name": "d", "persistentVolumeClaim": {"claimName": "c"}}],
            "containers": [{"name": "c", "image": "x",
                "volumeMounts": [{"name": "v", "mountPath": "/a"}, {"name": "v", "mountPath": "/b"}],
                "volumeDevices": [{"name": "d", "devicePath": "/a"}]}]}))),
        [
            "spec.containers[0].volumeMounts[0].mountPath: Invalid value: \"/a\": must not already exist as a path in volumeDevices"
        ]
    );
    let long = "a".repeat(250);
    let two_sources = object(
        "Pod",
        &json!({"metadata": {"name": long}, "spec": {"volumes": [{"name": "data", "emptyDir": {},
            "ephemeral": {"volumeClaimTemplate": {"spec": {"accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}}}}}}]}}),
    );
    assert_eq!(
        errors(&two_sources),
        ["spec.volumes[0].ephemeral: Forbidden: may not specify more than 1 volume type"]
    );
}

// upstream: CV TestValidateProbe, TestValidateLivenessProbe, TestValidateStartupProbe,
// TestValidateReadinessProbe, TestValidateHandler, TestValidateLifecycle
#[test]
fn probes_and_hooks() {
    let c = |extra: Value| {
        let mut v = container();
        merge(&mut v, &extra);
        pod_with(v)
    };
    let exec = json!({"exec": {"command": ["true"]}});
    run(&[
        ("liveness ok", "Pod", c(json!({"livenessProbe": exec})), &[]),
        (
            "liveness no handler",
            "Pod",
            c(json!({"livenessProbe": {"periodSeconds": 5}})),
            &["spec.containers[0].livenessProbe: Required value: must specify a handler type"],
        ),
        (
            "liveness two handlers",
            "Pod",
            c(json!({"livenessProbe": {"exec": {"command": ["x"]}, "tcpSocket": {"port": 80}}})),
            &[
                "spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
            ],
        ),
        (
            "liveness successThreshold 2",
            "ReplicaSet",
            json!({"spec": {"template": {"spec": {"containers": [{"name": "a", "image": "x"}, {"name": "b", "image": "x", "livenessProbe": {"exec": {"command": ["x"]}, "successThreshold": 2}}]}}}}),
            &["spec.template.spec.containers[1].livenessProbe.successThreshold: Invalid value: 2: must be 1"],
        ),
        (
            "startup successThreshold 2",
            "Pod",
            c(json!({"startupProbe": {"exec": {"command": ["x"]}, "successThreshold": 2}})),
            &["spec.containers[0].startupProbe.successThreshold: Invalid value: 2: must be 1"],
        ),
        (
            "readiness successThreshold 2 ok",
            "Pod",
            c(json!({"readinessProbe": {"exec": {"command": ["x"]}, "successThreshold": 2}})),
            &[],
        ),
        (
            "timeout 0 defaulted ok",
            "Pod",
            c(json!({"readinessProbe": {"exec": {"command": ["x"]}, "timeoutSeconds": 0}})),
            &[],
        ),
        (
            "negative delay",
            "Pod",
            c(json!({"readinessProbe": {"exec": {"command": ["x"]}, "initialDelaySeconds": -1}})),
            &["spec.containers[0].readinessProbe.initialDelaySeconds: Invalid value: -1"],
        ),
        (
            "negative period",
            "Pod",
            c(json!({"readinessProbe": {"exec": {"command": ["x"]}, "periodSeconds": -1}})),
            &["spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1"],
        ),
        (
            "readiness grace",
            "Pod",
            c(json!({"readinessProbe": {"exec": {"command": ["x"]}, "terminationGracePeriodSeconds": 10}})),
            &[
                "spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes",
            ],
        ),
        (
            "liveness grace 0",
            "Pod",
            c(json!({"livenessProbe": {"exec": {"command": ["x"]}, "terminationGracePeriodSeconds": 0}})),
            &[
                "spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0",
            ],
        ),
        (
            "exec empty",
            "Pod",
            c(json!({"livenessProbe": {"exec": {"command": []}}})),
            &["spec.containers[0].livenessProbe.exec.command: Required value"],
        ),
        ("http ok named port", "Pod", c(json!({"livenessProbe": {"httpGet": {"port": "http"}}})), &[]),
        (
            "http port 0",
            "Pod",
            c(json!({"livenessProbe": {"httpGet": {"port": 0}}})),
            &[
                "spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
            ],
        ),
        (
            "http port name bad",
            "Pod",
            c(json!({"livenessProbe": {"httpGet": {"port": "HTTP"}}})),
            &[
                "spec.containers[0].livenessProbe.httpGet.port: Invalid value: \"HTTP\": must contain only alpha-numeric",
                "spec.containers[0].livenessProbe.httpGet.port: Invalid value: \"HTTP\": must contain at least one letter",
            ],
        ),
        (
            "http scheme bad",
            "Pod",
            c(json!({"livenessProbe": {"httpGet": {"port": 80, "scheme": "ftp"}}})),
            &[
                "spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"ftp\": supported values: \"HTTP\", \"HTTPS\"",
            ],
        ),
        (
            "http header bad",
            "Pod",
            c(
                json!({"livenessProbe": {"httpGet": {"port": 80, "httpHeaders": [{"name": "X Y", "value": "v"}]}}}),
            ),
            &["spec.containers[0].livenessProbe.httpGet.httpHeaders: Invalid value: \"X Y\""],
        ),
        (
            "tcp port bad",
            "Pod",
            c(json!({"livenessProbe": {"tcpSocket": {"port": 70000}}})),
            &["spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 70000"],
        ),
        (
            "grpc port bad",
            "Pod",
            c(json!({"livenessProbe": {"grpc": {"port": 0}}})),
            &["spec.containers[0].livenessProbe.grpc.port: Invalid value: 0"],
        ),
        ("preStop sleep ok", "Pod", c(json!({"lifecycle": {"preStop": {"sleep": {"seconds": 5}}}})), &[]),
        (
            "preStop sleep zero ok (gate on)",
            "Pod",
            c(json!({"lifecycle": {"preStop": {"sleep": {"seconds": 0}}}})),
            &[],
        ),
        (
            "preStop sleep above grace",
            "Pod",
            c(json!({"lifecycle": {"preStop": {"sleep": {"seconds": 31}}}})),
            &[
                "spec.containers[0].lifecycle.preStop.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)",
            ],
        ),
        (
            "hook without handler",
            "Pod",
            c(json!({"lifecycle": {"postStart": {}}})),
            &["spec.containers[0].lifecycle.postStart: Required value: must specify a handler type"],
        ),
        (
            "hook two handlers",
            "Pod",
            c(json!({"lifecycle": {"preStop": {"exec": {"command": ["x"]}, "sleep": {"seconds": 1}}}})),
            &["spec.containers[0].lifecycle.preStop.sleep: Forbidden"],
        ),
        (
            // ContainerStopSignals is alpha and off: the API server drops
            // the field before validating (dropDisabledFields); the gated
            // rules are in validation_podspec.rs.
            "stopSignal ignored without its gate",
            "Pod",
            c(json!({"lifecycle": {"stopSignal": "SIGTERM"}})),
            &[],
        ),
    ]);
}

// upstream: CV TestValidateInitContainers (sidecar cases), TestValidatePodSpec (restartable init containers)
#[test]
fn init_containers_and_sidecars() {
    let init = |extra: Value| {
        let mut v = json!({"name": "i", "image": "busybox"});
        merge(&mut v, &extra);
        json!({"spec": {"initContainers": [v]}})
    };
    let probe = json!({"exec": {"command": ["x"]}});
    run(&[
        (
            "sidecar with probes ok",
            "Pod",
            init(
                json!({"restartPolicy": "Always", "livenessProbe": probe, "readinessProbe": probe, "startupProbe": probe, "lifecycle": {"preStop": {"exec": {"command": ["x"]}}}}),
            ),
            &[],
        ),
        (
            "sidecar liveness success 2",
            "Pod",
            init(
                json!({"restartPolicy": "Always", "livenessProbe": {"exec": {"command": ["x"]}, "successThreshold": 2}}),
            ),
            &["spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"],
        ),
        (
            // A policy but Always makes a plain init container (gate on:
            // validateInitContainerRestartPolicy; off:
            // dropContainerRestartRules drops the policy).
            "init restartPolicy Never",
            "Pod",
            init(json!({"restartPolicy": "Never", "livenessProbe": probe})),
            &["spec.initContainers[0].livenessProbe: Forbidden"],
        ),
        (
            "plain init lifecycle",
            "Pod",
            init(json!({"lifecycle": {"preStop": {"exec": {"command": ["x"]}}}})),
            &[
                "spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always",
            ],
        ),
        (
            "plain init probes",
            "Pod",
            init(json!({"livenessProbe": probe, "readinessProbe": probe, "startupProbe": probe})),
            &[
                "spec.initContainers[0].livenessProbe: Forbidden",
                "spec.initContainers[0].readinessProbe: Forbidden",
                "spec.initContainers[0].startupProbe: Forbidden",
            ],
        ),
        (
            "init duplicate init",
            "Pod",
            json!({"spec": {"initContainers": [{"name": "i", "image": "x"}, {"name": "i", "image": "x"}]}}),
            &["spec.initContainers[1].name: Duplicate value: \"i\""],
        ),
        (
            // upstream: validateInitContainers refuses it only without
            // InPlacePodVerticalScaling (AllowSidecarResizePolicy), on since
            // 1.33.
            "init resizePolicy allowed",
            "Pod",
            init(json!({"resizePolicy": [{"resourceName": "cpu", "restartPolicy": "NotRequired"}]})),
            &[],
        ),
        (
            // upstream: validateResizePolicy (errors on the list's path but
            // the duplicate).
            "resizePolicy contents",
            "Pod",
            json!({"spec": {"containers": [{"name": "c", "image": "x", "resizePolicy": [
                {"resourceName": "cpu", "restartPolicy": "NotRequired"},
                {"resourceName": "cpu", "restartPolicy": "Sometimes"},
                {"resourceName": "ephemeral-storage", "restartPolicy": "NotRequired"},
                {"resourceName": "memory"}
            ]}]}}),
            &[
                "spec.containers[0].resizePolicy[1]: Duplicate value: \"cpu\"",
                "spec.containers[0].resizePolicy: Unsupported value: \"Sometimes\": supported values: \"NotRequired\", \"RestartContainer\"",
                "spec.containers[0].resizePolicy: Unsupported value: \"ephemeral-storage\": supported values: \"cpu\", \"memory\"",
                "spec.containers[0].resizePolicy: Required value",
            ],
        ),
        (
            "resizePolicy under Never",
            "Pod",
            json!({"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x",
                "resizePolicy": [{"resourceName": "memory", "restartPolicy": "RestartContainer"}]}]}}),
            &[
                "spec.containers[0].resizePolicy: Invalid value: \"RestartContainer\": must be 'NotRequired' when `restartPolicy` is 'Never'",
            ],
        ),
        (
            // upstream: validatePodHostNetworkDeps looks at regular
            // containers only.
            "hostNetwork init container port",
            "Pod",
            json!({"spec": {"hostNetwork": true,
                "initContainers": [{"name": "i", "image": "x", "ports": [{"containerPort": 80, "hostPort": 8080}]}]}}),
            &[],
        ),
        (
            "ephemeral on create",
            "Pod",
            json!({"spec": {"ephemeralContainers": [{"name": "e", "image": "x"}]}}),
            &["spec.ephemeralContainers: Forbidden: cannot be set on create"],
        ),
        (
            "ephemeral in template",
            "PodTemplate",
            json!({"template": {"spec": {"ephemeralContainers": [{"name": "e", "image": "x"}]}}}),
            &[
                "template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
            ],
        ),
        // upstream: ValidatePodSpec hands its one volume map to
        // validateEphemeralContainers, so a template's image volume without
        // a reference (valid outside a Pod) may be mounted there too.
        (
            "ephemeral in template mounting an image volume",
            "PodTemplate",
            json!({"template": {"spec": {"volumes": [{"name": "img", "image": {"pullPolicy": "IfNotPresent"}}],
                "ephemeralContainers": [{"name": "e", "image": "x", "volumeMounts": [{"name": "img", "mountPath": "/img"}]}]}}}),
            &[
                "template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
            ],
        ),
    ]);
    // The ContainerRestartRules gate (on by default) allows a regular
    // container's restartPolicy; off, the field is dropped.
    let obj = object(
        "Pod",
        &json!({"spec": {"containers": [{"name": "c", "image": "x", "restartPolicy": "Never"}]}}),
    );
    assert!(validation::validate(&obj).is_ok());
    let mut off = FeatureGates::default();
    off.container_restart_rules = false;
    assert!(validation::validate_with_gates(&obj, &off).is_ok());
}

// upstream: CV ValidatePodSpec's runtimeClassName check
// (ValidateRuntimeClassName, the empty string included) and
// validatePodHostName (TestValidatePodSpec's hostnameOverride cases).
#[test]
fn runtime_class_name_and_hostname_override() {
    let long = "a".repeat(65);
    run(&[
        ("runtimeClassName ok", "Pod", json!({"spec": {"runtimeClassName": "gvisor"}}), &[]),
        (
            "runtimeClassName bad",
            "Pod",
            json!({"spec": {"runtimeClassName": "Gvisor_1"}}),
            &["spec.runtimeClassName: Invalid value: \"Gvisor_1\": a lowercase RFC 1123 subdomain"],
        ),
        (
            "runtimeClassName empty",
            "Pod",
            json!({"spec": {"runtimeClassName": ""}}),
            &["spec.runtimeClassName: Invalid value: \"\": a lowercase RFC 1123 subdomain"],
        ),
        ("hostnameOverride ok", "Pod", json!({"spec": {"hostnameOverride": "db-0.example"}}), &[]),
        (
            "hostnameOverride beside FQDN and hostNetwork, bad",
            "Pod",
            json!({"spec": {"hostNetwork": true, "setHostnameAsFQDN": true, "hostnameOverride": "Bad_Host"}}),
            &[
                "spec.hostnameOverride: Forbidden: may not be specified when setHostnameAsFQDN is true",
                "spec.hostnameOverride: Forbidden: may not be specified when hostNetwork is true",
                "spec.hostnameOverride: Invalid value: \"Bad_Host\": a lowercase RFC 1123 subdomain",
            ],
        ),
        (
            "hostnameOverride too long",
            "Pod",
            json!({"spec": {"hostnameOverride": long}}),
            &["spec.hostnameOverride: Too long: may not be more than 64 bytes"],
        ),
        (
            "hostnameOverride in a template",
            "Deployment",
            json!({"spec": {"template": {"spec": {"hostnameOverride": ""}}}}),
            &["spec.template.spec.hostnameOverride: Invalid value: \"\": a lowercase RFC 1123 subdomain"],
        ),
    ]);
    // With the gate off the API server drops the field: nothing to check.
    let mut gates = FeatureGates::default();
    gates.hostname_override = false;
    let obj = object("Pod", &json!({"spec": {"hostnameOverride": "Bad_Host"}}));
    assert!(validation::validate_with_gates(&obj, &gates).is_ok());
}

// upstream: CV TestValidatePodSpec, TestValidateRestartPolicy, TestValidateDNSPolicy,
// TestValidateReadinessGates, TestValidateSchedulingGates, TestValidateTolerations, TestValidateOS
#[test]
fn pod_level_fields() {
    run(&[
        (
            "restartPolicy bad",
            "Pod",
            json!({"spec": {"restartPolicy": "always"}}),
            &["spec.restartPolicy: Unsupported value: \"always\""],
        ),
        (
            "dnsPolicy ok",
            "Pod",
            json!({"spec": {"dnsPolicy": "None", "dnsConfig": {"nameservers": ["10.0.0.10"]}}}),
            &[],
        ),
        (
            "activeDeadlineSeconds 0",
            "Pod",
            json!({"spec": {"activeDeadlineSeconds": 0}}),
            &["spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"],
        ),
        ("activeDeadlineSeconds 1 ok", "Pod", json!({"spec": {"activeDeadlineSeconds": 1}}), &[]),
        (
            "grace negative (crate deviation)",
            "Pod",
            json!({"spec": {"terminationGracePeriodSeconds": -1}}),
            &["spec.terminationGracePeriodSeconds: Invalid value: -1"],
        ),
        ("grace 0 ok", "Pod", json!({"spec": {"terminationGracePeriodSeconds": 0}}), &[]),
        (
            "readiness gate ok",
            "Pod",
            json!({"spec": {"readinessGates": [{"conditionType": "example.com/ready"}]}}),
            &[],
        ),
        (
            "readiness gate bad",
            "Pod",
            json!({"spec": {"readinessGates": [{"conditionType": "bad type"}]}}),
            &["spec.readinessGates[0].conditionType: Invalid value: \"bad type\""],
        ),
        (
            "scheduling gate duplicate",
            "Pod",
            json!({"spec": {"schedulingGates": [{"name": "example.com/a"}, {"name": "example.com/a"}]}}),
            &["spec.schedulingGates[1]: Duplicate value: \"example.com/a\""],
        ),
        (
            "scheduling gate bad",
            "Pod",
            json!({"spec": {"schedulingGates": [{"name": "-a"}]}}),
            &["spec.schedulingGates[0]: Invalid value: \"-a\""],
        ),
        (
            "hostname bad",
            "Pod",
            json!({"spec": {"hostname": "a.b"}}),
            &["spec.hostname: Invalid value: \"a.b\": must not contain dots"],
        ),
        ("subdomain ok", "Pod", json!({"spec": {"subdomain": "svc"}}), &[]),
        (
            "serviceAccountName bad",
            "Pod",
            json!({"spec": {"serviceAccountName": "SA"}}),
            &["spec.serviceAccountName: Invalid value: \"SA\""],
        ),
        ("nodeName subdomain ok", "Pod", json!({"spec": {"nodeName": "node-1.zone"}}), &[]),
        (
            "nodeName bad",
            "Pod",
            json!({"spec": {"nodeName": "Node_1"}}),
            &["spec.nodeName: Invalid value: \"Node_1\""],
        ),
        (
            "priorityClassName bad",
            "Pod",
            json!({"spec": {"priorityClassName": "High"}}),
            &["spec.priorityClassName: Invalid value: \"High\""],
        ),
        (
            "nodeSelector bad",
            "Pod",
            json!({"spec": {"nodeSelector": {"k": "bad value"}}}),
            &["spec.nodeSelector: Invalid value: \"bad value\""],
        ),
        (
            "os bad",
            "Pod",
            json!({"spec": {"os": {"name": "plan9"}}}),
            &["spec.os: Unsupported value: \"plan9\": supported values: \"linux\", \"windows\""],
        ),
        (
            "os empty",
            "Pod",
            json!({"spec": {"os": {"name": ""}}}),
            // upstream validateOS stops at the empty name.
            &["spec.os.name: Required value"],
        ),
        (
            "preemptionPolicy bad",
            "Pod",
            json!({"spec": {"preemptionPolicy": "Sometimes"}}),
            &["spec.preemptionPolicy: Unsupported value: \"Sometimes\""],
        ),
        (
            "toleration ok",
            "Pod",
            json!({"spec": {"tolerations": [{"key": "k", "operator": "Equal", "value": "v", "effect": "NoExecute", "tolerationSeconds": 10}, {"operator": "Exists"}]}}),
            &[],
        ),
        (
            "toleration empty key needs Exists",
            "Pod",
            json!({"spec": {"tolerations": [{"operator": "Equal", "value": "v"}]}}),
            &["spec.tolerations[0].operator: Invalid value: \"Equal\""],
        ),
        (
            "toleration seconds needs NoExecute",
            "Pod",
            json!({"spec": {"tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 1}]}}),
            &[
                "spec.tolerations[0].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
            ],
        ),
        (
            "toleration Exists with value",
            "Pod",
            json!({"spec": {"tolerations": [{"key": "k", "operator": "Exists", "value": "v"}]}}),
            // upstream: ValidateTolerations reports the value since 1.32
            // (kubernetes PR 128119).
            &[
                "spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
            ],
        ),
        (
            "toleration bad effect",
            "Pod",
            json!({"spec": {"tolerations": [{"key": "k", "operator": "Exists", "effect": "Sometimes"}]}}),
            &["spec.tolerations[0].effect: Unsupported value: \"Sometimes\""],
        ),
    ]);
}

// upstream: CV TestValidatePodTemplate, TestValidatePodTemplateSpec (labels path quirk)
#[test]
fn pod_templates() {
    run(&[
        (
            "template label bad",
            "PodTemplate",
            json!({"template": {"metadata": {"labels": {"app": "-"}}}}),
            &["template.labels: Invalid value: \"-\""],
        ),
        (
            "template annotation bad",
            "PodTemplate",
            json!({"template": {"metadata": {"annotations": {"a/b/c": "x"}}}}),
            &["template.annotations: Invalid value: \"a/b/c\""],
        ),
        (
            "workload template label path",
            "Deployment",
            json!({"spec": {"template": {"metadata": {"labels": {"bad key": "x"}}}}}),
            &["spec.template.labels: Invalid value: \"bad key\""],
        ),
        (
            "template without restartPolicy restriction",
            "PodTemplate",
            json!({"template": {"spec": {"restartPolicy": "Never"}}}),
            &[],
        ),
    ]);
}

// ----------------------------------------------------------------- workloads

// upstream: CV TestValidateReplicationController, TestValidateReplicationControllerSpec
#[test]
fn replication_controllers() {
    run(&[
        ("selector from template labels", "ReplicationController", json!({"spec": {"selector": null}}), &[]),
        (
            "no selector no labels",
            "ReplicationController",
            json!({"spec": {"selector": null, "template": {"metadata": null}}}),
            &["spec.selector: Required value"],
        ),
        (
            "replicas negative",
            "ReplicationController",
            json!({"spec": {"replicas": -1}}),
            &["spec.replicas: Invalid value: -1"],
        ),
        (
            "minReadySeconds negative",
            "ReplicationController",
            json!({"spec": {"minReadySeconds": -1}}),
            &["spec.minReadySeconds: Invalid value: -1"],
        ),
        (
            "selector mismatch",
            "ReplicationController",
            json!({"spec": {"selector": {"app": "y"}}}),
            &["spec.template.metadata.labels: Invalid value"],
        ),
        (
            "template missing",
            "ReplicationController",
            json!({"spec": {"template": null}}),
            &["spec.template: Required value"],
        ),
        (
            "restartPolicy OnFailure",
            "ReplicationController",
            json!({"spec": {"template": {"spec": {"restartPolicy": "OnFailure"}}}}),
            &[
                "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
            ],
        ),
        (
            "activeDeadlineSeconds",
            "ReplicationController",
            json!({"spec": {"template": {"spec": {"activeDeadlineSeconds": 10}}}}),
            &[
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported",
            ],
        ),
    ]);
}

// upstream: AV TestValidateReplicaSet, TestValidateDeployment, TestValidateDeploymentStrategy,
// TestValidateRollingUpdateDeployment
#[test]
fn replica_sets_and_deployments() {
    let ru = |mu: Value, ms: Value| json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": mu, "maxSurge": ms}}}});
    run(&[
        (
            "rs replicas negative",
            "ReplicaSet",
            json!({"spec": {"replicas": -1}}),
            &["spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
        ),
        (
            "rs minReadySeconds negative",
            "ReplicaSet",
            json!({"spec": {"minReadySeconds": -1}}),
            &["spec.minReadySeconds: Invalid value: -1"],
        ),
        (
            "rs restartPolicy Never",
            "ReplicaSet",
            json!({"spec": {"template": {"spec": {"restartPolicy": "Never"}}}}),
            &["spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""],
        ),
        (
            "rs activeDeadlineSeconds",
            "ReplicaSet",
            json!({"spec": {"template": {"spec": {"activeDeadlineSeconds": 5}}}}),
            &[
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported",
            ],
        ),
        (
            "deployment revisionHistoryLimit 0 ok",
            "Deployment",
            json!({"spec": {"revisionHistoryLimit": 0}}),
            &[],
        ),
        (
            "deployment revisionHistoryLimit negative",
            "Deployment",
            json!({"spec": {"revisionHistoryLimit": -1}}),
            &["spec.revisionHistoryLimit: Invalid value: -1"],
        ),
        (
            "strategy bad",
            "Deployment",
            json!({"spec": {"strategy": {"type": "BlueGreen"}}}),
            &[
                "spec.strategy: Unsupported value: {\"type\":\"BlueGreen\"}: supported values: \"Recreate\", \"RollingUpdate\"",
            ],
        ),
        ("recreate ok", "Deployment", json!({"spec": {"strategy": {"type": "Recreate"}}}), &[]),
        (
            "recreate with rollingUpdate",
            "Deployment",
            json!({"spec": {"strategy": {"type": "Recreate", "rollingUpdate": {}}}}),
            &[
                "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
            ],
        ),
        ("rolling ints ok", "Deployment", ru(json!(1), json!(0)), &[]),
        ("surge above 100% ok", "Deployment", ru(json!(0), json!("200%")), &[]),
        (
            "both zero",
            "Deployment",
            ru(json!(0), json!("0%")),
            &[
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
            ],
        ),
        (
            // upstream: getIntOrPercentValue reads a non-percent string with
            // strconv.Atoi, which gives the largest int64 on overflow: not 0.
            "overflowing non-percent string",
            "Deployment",
            ru(json!("99999999999999999999"), json!(0)),
            &[
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"99999999999999999999\": a valid percent string must be a numeric string followed by an ending '%'",
            ],
        ),
        (
            "negative int",
            "Deployment",
            ru(json!(-1), json!(1)),
            &["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1"],
        ),
        (
            "bad percent",
            "Deployment",
            ru(json!("20"), json!(1)),
            &[
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"20\": a valid percent string must be a numeric string followed by an ending '%'",
            ],
        ),
        (
            "unparseable counts as 0",
            "Deployment",
            ru(json!("abc"), json!(0)),
            &[
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"abc\": a valid percent",
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"abc\": may not be 0",
            ],
        ),
        (
            "maxUnavailable above 100%",
            "Deployment",
            ru(json!("101%"), json!(0)),
            &[
                "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"101%\": must not be greater than 100%",
            ],
        ),
        (
            "progress deadline > minReady ok",
            "Deployment",
            json!({"spec": {"minReadySeconds": 10, "progressDeadlineSeconds": 11}}),
            &[],
        ),
        (
            "progress deadline == minReady",
            "Deployment",
            json!({"spec": {"minReadySeconds": 10, "progressDeadlineSeconds": 10}}),
            &["spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds"],
        ),
        (
            "defaulted 600 vs minReady 600",
            "Deployment",
            json!({"spec": {"minReadySeconds": 600}}),
            &["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"],
        ),
        (
            "progress deadline negative",
            "Deployment",
            json!({"spec": {"progressDeadlineSeconds": -1}}),
            &[
                "spec.progressDeadlineSeconds: Invalid value: -1: must be greater than or equal to 0",
                "spec.progressDeadlineSeconds: Invalid value: -1: must be greater than minReadySeconds",
            ],
        ),
        // apps/v1 has no rollbackTo (extensions/v1beta1 had it): the API
        // server drops the unknown field before ValidateRollback could see
        // it.
        (
            "rollbackTo is not an apps/v1 field",
            "Deployment",
            json!({"spec": {"rollbackTo": {"revision": -1}}}),
            &[],
        ),
    ]);
}

// upstream: validateRollingUpdateStatefulSet with MaxUnavailableStatefulSet
// on (TestValidateStatefulSetUpdateStrategy's maxUnavailable cases).
#[test]
fn stateful_set_max_unavailable_with_the_gate() {
    let mut gates = kube_workloads::FeatureGates::default();
    gates.max_unavailable_stateful_set = true;
    let ru = |v: Value| json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": v}}});
    for (patch, want) in [
        (
            ru(json!({"maxUnavailable": 0})),
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0",
        ),
        (
            ru(json!({"maxUnavailable": "0%"})),
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"0%\": cannot be 0",
        ),
        (
            ru(json!({"maxUnavailable": "150%"})),
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"150%\": must not be greater than 100%",
        ),
    ] {
        let got = match validation::validate_with_gates(&object("StatefulSet", &patch), &gates) {
            Ok(()) => Vec::new(),
            Err(e) => e.errors.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(got, [want], "{patch}");
    }
    // Gate off, on an update whose old object already sets it: kept, so
    // validated (dropStatefulSetDisabledFields' maxUnavailableInUse).
    let stored = |v: Value| {
        let mut patch = ru(v);
        patch["metadata"] = json!({"resourceVersion": "1"});
        object("StatefulSet", &patch)
    };
    let old = stored(json!({"maxUnavailable": 1}));
    let new = stored(json!({"maxUnavailable": 0}));
    let got = match validation::validate_update(&old, &new) {
        Ok(()) => Vec::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(got, ["spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"]);
    let unset = stored(json!({}));
    assert!(validation::validate_update(&unset, &new).is_ok(), "gate off and not in use: dropped");
}

// upstream: AV TestValidateStatefulSet, TestValidateStatefulSetUpdateStrategy (validateRollingUpdateStatefulSet),
// TestValidatePersistentVolumeClaimRetentionPolicy
#[test]
fn stateful_sets() {
    let ru = |v: Value| json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": v}}});
    run(&[
        ("parallel ok", "StatefulSet", json!({"spec": {"podManagementPolicy": "Parallel"}}), &[]),
        (
            "podManagementPolicy bad",
            "StatefulSet",
            json!({"spec": {"podManagementPolicy": "Random"}}),
            &["spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"],
        ),
        (
            "updateStrategy bad",
            "StatefulSet",
            json!({"spec": {"updateStrategy": {"type": "Canary"}}}),
            &[
                "spec.updateStrategy: Invalid value: {\"type\":\"Canary\"}: must be 'RollingUpdate' or 'OnDelete'",
            ],
        ),
        ("OnDelete ok", "StatefulSet", json!({"spec": {"updateStrategy": {"type": "OnDelete"}}}), &[]),
        (
            "OnDelete with rollingUpdate",
            "StatefulSet",
            json!({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 1}}}}),
            &[
                "spec.updateStrategy.rollingUpdate: Invalid value: {\"partition\":1}: only allowed for updateStrategy 'RollingUpdate'",
            ],
        ),
        ("partition above replicas ok", "StatefulSet", ru(json!({"partition": 5})), &[]),
        (
            "partition negative",
            "StatefulSet",
            ru(json!({"partition": -1})),
            &["spec.updateStrategy.rollingUpdate.partition: Invalid value: -1"],
        ),
        // MaxUnavailableStatefulSet is off by default: the API server drops
        // maxUnavailable before validating (dropStatefulSetDisabledFields);
        // stateful_set_max_unavailable_with_the_gate checks it on.
        ("maxUnavailable 0, gate off", "StatefulSet", ru(json!({"maxUnavailable": 0})), &[]),
        ("maxUnavailable 2 ok", "StatefulSet", ru(json!({"maxUnavailable": 2})), &[]),
        (
            "retention bad",
            "StatefulSet",
            json!({"spec": {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Keep"}}}),
            &[
                "spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: \"Keep\": supported values: \"Retain\", \"Delete\"",
            ],
        ),
        (
            "retention ok",
            "StatefulSet",
            json!({"spec": {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete", "whenScaled": "Retain"}}}),
            &[],
        ),
        (
            "ordinals negative",
            "StatefulSet",
            json!({"spec": {"ordinals": {"start": -1}}}),
            &["spec.ordinals.start: Invalid value: -1"],
        ),
        ("ordinals ok", "StatefulSet", json!({"spec": {"ordinals": {"start": 3}}}), &[]),
        (
            "replicas negative",
            "StatefulSet",
            json!({"spec": {"replicas": -1}}),
            &["spec.replicas: Invalid value: -1"],
        ),
        (
            "restartPolicy",
            "StatefulSet",
            json!({"spec": {"template": {"spec": {"restartPolicy": "OnFailure"}}}}),
            &["spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\""],
        ),
        (
            "activeDeadline",
            "StatefulSet",
            json!({"spec": {"template": {"spec": {"activeDeadlineSeconds": 1}}}}),
            &[
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported",
            ],
        ),
        (
            "claim template mount ok",
            "StatefulSet",
            json!({"spec": {"volumeClaimTemplates": [claim("data")],
            "template": {"spec": {"containers": [{"name": "c", "image": "x", "volumeMounts": [{"name": "data", "mountPath": "/d"}]}]}}}}),
            &[],
        ),
        (
            // upstream: ValidateStatefulSetSpec, ValidateDNS1123Label on create.
            "serviceName bad",
            "StatefulSet",
            json!({"spec": {"serviceName": "My_Svc"}}),
            &["spec.serviceName: Invalid value: \"My_Svc\""],
        ),
    ]);
}

/// A claim template that passes: one access mode and a storage request.
fn claim(name: &str) -> Value {
    json!({"metadata": {"name": name},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}})
}

// upstream (1.34+): ValidateStatefulSetSpec's validateVolumeClaimTemplates
// (ValidatePersistentVolumeClaimSpec with the create options on each claim
// template's spec, not its metadata) and the pod template it validates: the
// claim templates become persistentVolumeClaim volumes listed first
// (volumesToAddForTemplates), replacing the template's volumes of the same
// name, and hostname / subdomain are blanked (the controller sets them).
#[test]
fn stateful_set_claim_templates() {
    let with_claims = |claims: Value| json!({"spec": {"volumeClaimTemplates": claims}});
    run(&[
        ("claim template ok", "StatefulSet", with_claims(json!([claim("data")])), &[]),
        (
            "claim template without a spec",
            "StatefulSet",
            with_claims(json!([{"metadata": {"name": "data"}}])),
            &[
                "spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required",
                "spec.volumeClaimTemplates[0].spec.resources[storage]: Required value",
            ],
        ),
        (
            "claim template with a bad access mode and no storage",
            "StatefulSet",
            with_claims(json!([claim("a"), {"metadata": {"name": "b"}, "spec": {
                "accessModes": ["ReadWriteSometimes"], "resources": {"requests": {"storage": "0"}}}}])),
            &[
                "spec.volumeClaimTemplates[1].spec.accessModes: Unsupported value: \"ReadWriteSometimes\"",
                "spec.volumeClaimTemplates[1].spec.resources[storage]: Invalid value: \"0\": must be greater than zero",
            ],
        ),
        (
            // The metadata is not checked here.
            "claim template labels unchecked",
            "StatefulSet",
            with_claims(json!([{"metadata": {"name": "data", "labels": {"bad key!": "x"}},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}])),
            &[],
        ),
        (
            "claim template name is a volume name",
            "StatefulSet",
            with_claims(json!([claim("Data_1")])),
            &["spec.template.spec.volumes[0].name: Invalid value: \"Data_1\""],
        ),
        (
            "claim template without a name",
            "StatefulSet",
            with_claims(
                json!([{"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]),
            ),
            &[
                "spec.template.spec.volumes[0].name: Required value",
                "spec.template.spec.volumes[0].persistentVolumeClaim.claimName: Required value",
            ],
        ),
        (
            // The template's own "data" (two sources) is replaced, and its
            // next volume comes after the claim volume.
            "template volumes after the claims",
            "StatefulSet",
            json!({"spec": {"volumeClaimTemplates": [claim("data")], "template": {"spec": {"volumes": [
                {"name": "data", "emptyDir": {}, "configMap": {"name": "c"}},
                {"name": "Bad_Name", "emptyDir": {}}]}}}}),
            &["spec.template.spec.volumes[1].name: Invalid value: \"Bad_Name\""],
        ),
        (
            "hostname and subdomain are the controller's",
            "StatefulSet",
            json!({"spec": {"template": {"spec": {"hostname": "Not_A_Label", "subdomain": "Nor_This"}}}}),
            &[],
        ),
    ]);
}

// upstream: AV TestValidateDaemonSet, TestValidateDaemonSetUpdateStrategy, TestValidateRollingUpdateDaemonSet
#[test]
fn daemon_sets() {
    let ru = |mu: Value, ms: Value| json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": mu, "maxSurge": ms}}}});
    run(&[
        (
            "strategy bad",
            "DaemonSet",
            json!({"spec": {"updateStrategy": {"type": "Canary"}}}),
            &[
                "spec.updateStrategy: Unsupported value: {\"type\":\"Canary\"}: supported values: \"RollingUpdate\", \"OnDelete\"",
            ],
        ),
        (
            "OnDelete with rollingUpdate accepted",
            "DaemonSet",
            json!({"spec": {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"maxUnavailable": 1}}}}),
            &[],
        ),
        ("surge only ok", "DaemonSet", ru(json!(0), json!("10%")), &[]),
        (
            "both non-zero",
            "DaemonSet",
            ru(json!(1), json!(1)),
            &[
                "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero",
            ],
        ),
        (
            "both zero",
            "DaemonSet",
            ru(json!(0), json!(0)),
            &[
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
            ],
        ),
        (
            "abc",
            "DaemonSet",
            ru(json!("abc"), json!(0)),
            &[
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"abc\"",
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value",
            ],
        ),
        (
            "surge above 100%",
            "DaemonSet",
            ru(json!(0), json!("101%")),
            &[
                "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: \"101%\": must not be greater than 100%",
            ],
        ),
        (
            "restartPolicy",
            "DaemonSet",
            json!({"spec": {"template": {"spec": {"restartPolicy": "Never"}}}}),
            &["spec.template.spec.restartPolicy: Unsupported value: \"Never\""],
        ),
        (
            "activeDeadline",
            "DaemonSet",
            json!({"spec": {"template": {"spec": {"activeDeadlineSeconds": 1}}}}),
            &[
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported",
            ],
        ),
        (
            "minReadySeconds negative",
            "DaemonSet",
            json!({"spec": {"minReadySeconds": -1}}),
            &["spec.minReadySeconds: Invalid value: -1"],
        ),
        (
            "revisionHistoryLimit negative",
            "DaemonSet",
            json!({"spec": {"revisionHistoryLimit": -1}}),
            &["spec.revisionHistoryLimit: Invalid value: -1"],
        ),
        (
            // apps/v1 has no templateGeneration (the strategy sets the
            // internal one): an unknown key, not checked.
            "templateGeneration negative",
            "DaemonSet",
            json!({"spec": {"templateGeneration": -1}}),
            &[],
        ),
    ]);
}

// upstream: BV TestValidateJob, TestValidateJobSpec... (generated selector, completion mode,
// pod failure policy, success policy, pod replacement policy, managedBy)
#[test]
fn jobs() {
    let pfp = |rules: Value| json!({"spec": {"podFailurePolicy": {"rules": rules}}});
    let indexed = |extra: Value| {
        let mut v = json!({"spec": {"completionMode": "Indexed", "completions": 10, "parallelism": 2}});
        merge(&mut v, &extra);
        v
    };
    run(&[
        (
            "restartPolicy Always",
            "Job",
            json!({"spec": {"template": {"spec": {"restartPolicy": "Always"}}}}),
            &["spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""],
        ),
        (
            "restartPolicy defaulted to Always",
            "Job",
            json!({"spec": {"template": {"spec": {"restartPolicy": null}}}}),
            &["spec.template.spec.restartPolicy: Required value"],
        ),
        (
            "restartPolicy OnFailure ok",
            "Job",
            json!({"spec": {"template": {"spec": {"restartPolicy": "OnFailure"}}}}),
            &[],
        ),
        ("activeDeadlineSeconds 0 ok", "Job", json!({"spec": {"activeDeadlineSeconds": 0}}), &[]),
        (
            "activeDeadlineSeconds negative",
            "Job",
            json!({"spec": {"activeDeadlineSeconds": -1}}),
            &["spec.activeDeadlineSeconds: Invalid value: -1"],
        ),
        (
            "parallelism negative",
            "Job",
            json!({"spec": {"parallelism": -1}}),
            &["spec.parallelism: Invalid value: -1"],
        ),
        (
            "completions negative",
            "Job",
            json!({"spec": {"completions": -1}}),
            &["spec.completions: Invalid value: -1"],
        ),
        (
            "backoffLimit negative",
            "Job",
            json!({"spec": {"backoffLimit": -1}}),
            &["spec.backoffLimit: Invalid value: -1"],
        ),
        (
            "ttl negative",
            "Job",
            json!({"spec": {"ttlSecondsAfterFinished": -1}}),
            &["spec.ttlSecondsAfterFinished: Invalid value: -1"],
        ),
        (
            "completionMode bad",
            "Job",
            json!({"spec": {"completionMode": "Sometimes"}}),
            &[
                "spec.completionMode: Unsupported value: \"Sometimes\": supported values: \"NonIndexed\", \"Indexed\"",
            ],
        ),
        ("indexed ok", "Job", indexed(json!({})), &[]),
        (
            "indexed without completions",
            "Job",
            json!({"spec": {"completionMode": "Indexed", "parallelism": 2}}),
            &["spec.completions: Required value: when completion mode is Indexed"],
        ),
        (
            "indexed parallelism too big",
            "Job",
            indexed(json!({"spec": {"parallelism": 100001}})),
            &["spec.parallelism: Invalid value: 100001"],
        ),
        (
            "indexed name too long for hostname",
            "Job",
            indexed(json!({"metadata": {"name": "a".repeat(62)}})),
            &["metadata.name: Invalid value: \"aaaa"],
        ),
        (
            "backoffLimitPerIndex ok",
            "Job",
            indexed(json!({"spec": {"backoffLimitPerIndex": 1, "maxFailedIndexes": 5}})),
            &[],
        ),
        (
            "backoffLimitPerIndex non-indexed",
            "Job",
            json!({"spec": {"backoffLimitPerIndex": 1}}),
            &["spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode"],
        ),
        (
            "maxFailedIndexes without per-index",
            "Job",
            indexed(json!({"spec": {"maxFailedIndexes": 1}})),
            &["spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"],
        ),
        (
            "maxFailedIndexes above completions",
            "Job",
            indexed(json!({"spec": {"backoffLimitPerIndex": 1, "maxFailedIndexes": 11}})),
            &["spec.maxFailedIndexes: Invalid value: 11: must be less than or equal to completions"],
        ),
        (
            "big indexed job needs maxFailedIndexes",
            "Job",
            indexed(
                json!({"metadata": {"name": "j"}, "spec": {"completions": 100001, "backoffLimitPerIndex": 1}}),
            ),
            &["spec.maxFailedIndexes: Required value"],
        ),
        (
            "selector mismatch (manual)",
            "Job",
            json!({"spec": {"manualSelector": true, "selector": {"matchLabels": {"a": "b"}}}}),
            &["spec.template.metadata.labels: Invalid value"],
        ),
        (
            "manual empty selector accepted",
            "Job",
            json!({"spec": {"manualSelector": true, "selector": {"matchLabels": {}}}}),
            &[],
        ),
        (
            "manual without selector",
            "Job",
            json!({"spec": {"manualSelector": true}}),
            &["spec.selector: Required value", "spec.template.metadata.labels: Invalid value: null"],
        ),
        (
            "generated label wrong",
            "Job",
            json!({"spec": {"template": {"metadata": {"labels": {"job-name": "other"}}}}}),
            &["spec.template.metadata.labels[job-name]: Invalid value"],
        ),
        (
            "selector not generated",
            "Job",
            json!({"spec": {"selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "uid-1", "x": "y"}}}}),
            &["spec.selector: Invalid value", "spec.template.metadata.labels: Invalid value"],
        ),
        (
            "pfp ok",
            "Job",
            pfp(
                json!([{"action": "FailJob", "onExitCodes": {"operator": "In", "values": [1, 2]}}, {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]),
            ),
            &[],
        ),
        (
            "pfp needs Never",
            "Job",
            json!({"spec": {"template": {"spec": {"restartPolicy": "OnFailure"}}, "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}}}),
            &[
                "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified",
            ],
        ),
        (
            "pfp action bad",
            "Job",
            pfp(json!([{"action": "Retry", "onPodConditions": [{"type": "X"}]}])),
            &[
                "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Retry\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"",
            ],
        ),
        (
            "pfp action empty",
            "Job",
            pfp(json!([{"action": "", "onPodConditions": [{"type": "X"}]}])),
            &["spec.podFailurePolicy.rules[0].action: Required value"],
        ),
        (
            "pfp FailIndex without per-index",
            "Job",
            pfp(json!([{"action": "FailIndex", "onPodConditions": [{"type": "X"}]}])),
            &[
                "spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set",
            ],
        ),
        (
            "pfp neither",
            "Job",
            pfp(json!([{"action": "Ignore"}])),
            &[
                "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required",
            ],
        ),
        (
            "pfp both",
            "Job",
            pfp(
                json!([{"action": "Ignore", "onExitCodes": {"operator": "In", "values": [1]}, "onPodConditions": [{"type": "X"}]}]),
            ),
            &[
                "spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported",
            ],
        ),
        (
            "pfp In 0",
            "Job",
            pfp(json!([{"action": "Ignore", "onExitCodes": {"operator": "In", "values": [0]}}])),
            &[
                "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
            ],
        ),
        (
            "pfp NotIn 0 ok",
            "Job",
            pfp(json!([{"action": "Ignore", "onExitCodes": {"operator": "NotIn", "values": [0]}}])),
            &[],
        ),
        (
            "pfp duplicate and unordered",
            "Job",
            pfp(json!([{"action": "Ignore", "onExitCodes": {"operator": "In", "values": [2, 1, 2]}}])),
            &[
                "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 2",
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [2,1,2]: must be ordered",
            ],
        ),
        (
            "pfp no values",
            "Job",
            pfp(json!([{"action": "Ignore", "onExitCodes": {"operator": "In", "values": []}}])),
            &[
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []: at least one value is required",
            ],
        ),
        (
            "pfp operator bad",
            "Job",
            pfp(json!([{"action": "Ignore", "onExitCodes": {"operator": "Is", "values": [1]}}])),
            &["spec.podFailurePolicy.rules[0].onExitCodes.operator: Unsupported value: \"Is\""],
        ),
        (
            "pfp container unknown",
            "Job",
            pfp(
                json!([{"action": "Ignore", "onExitCodes": {"containerName": "nope", "operator": "In", "values": [1]}}]),
            ),
            &["spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: \"nope\""],
        ),
        (
            "pfp condition status bad",
            "Job",
            pfp(json!([{"action": "Ignore", "onPodConditions": [{"type": "X", "status": "Maybe"}]}])),
            &["spec.podFailurePolicy.rules[0].onPodConditions[0].status: Unsupported value: \"Maybe\""],
        ),
        (
            "pfp condition type bad",
            "Job",
            pfp(json!([{"action": "Ignore", "onPodConditions": [{"type": "a b"}]}])),
            &["spec.podFailurePolicy.rules[0].onPodConditions[0].type: Invalid value: \"a b\""],
        ),
        (
            "pfp too many rules",
            "Job",
            pfp(Value::Array(vec![json!({"action": "Ignore", "onPodConditions": [{"type": "X"}]}); 21])),
            &["spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items"],
        ),
        (
            "replacement policy with pfp",
            "Job",
            json!({"spec": {"podReplacementPolicy": "TerminatingOrFailed", "podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "X"}]}]}}}),
            &[
                "spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\"",
            ],
        ),
        (
            "replacement policy bad",
            "Job",
            json!({"spec": {"podReplacementPolicy": "Never"}}),
            &["spec.podReplacementPolicy: Unsupported value: \"Never\""],
        ),
        (
            "success policy ok",
            "Job",
            indexed(
                json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": "0-2,5", "succeededCount": 2}]}}}),
            ),
            &[],
        ),
        (
            "success policy non-indexed",
            "Job",
            json!({"spec": {"successPolicy": {"rules": [{"succeededCount": 1}]}}}),
            &[
                "spec.successPolicy: Invalid value: {\"rules\":[{\"succeededCount\":1}]}: requires indexed completion mode",
            ],
        ),
        (
            "success policy no rules",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": []}}})),
            &["spec.successPolicy.rules: Required value"],
        ),
        (
            "success rule empty",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": [{}]}}})),
            &[
                "spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified",
            ],
        ),
        (
            "success indexes bad",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": "3,1"}]}}})),
            &[
                "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"3,1\": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1",
            ],
        ),
        (
            // upstream: validateIndexesFormat parses each interval whole
            // (parseIndexInterval) before comparing it with the previous.
            "success indexes: the interval's own error first",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": "5,1-20"}]}}})),
            &[
                "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"5,1-20\": error parsing succeededIndexes: too large index: \"20\"",
            ],
        ),
        (
            "success indexes: a reversed interval after a larger index",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": "3,2-1"}]}}})),
            &[
                "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"3,2-1\": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1",
            ],
        ),
        (
            // strconv.Atoi reads 64 bits.
            "success indexes beyond int32",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": "99999999999"}]}}})),
            &[
                "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"99999999999\": error parsing succeededIndexes: too large index: \"99999999999\"",
            ],
        ),
        (
            "success indexes too large",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": "10"}]}}})),
            &[
                "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"10\": error parsing succeededIndexes: too large index: \"10\"",
            ],
        ),
        (
            "success count above completions",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededCount": 11}]}}})),
            &[
                "spec.successPolicy.rules[0].succeededCount: Invalid value: 11: must be less than or equal to 10 (the number of specified completions)",
            ],
        ),
        (
            "success count above indexes",
            "Job",
            indexed(
                json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": "0-1", "succeededCount": 3}]}}}),
            ),
            &[
                "spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2",
            ],
        ),
        (
            "success policy without completions never panics",
            "Job",
            json!({"spec": {"completionMode": "Indexed", "parallelism": 1, "successPolicy": {"rules": [{"succeededIndexes": "0", "succeededCount": 1}]}}}),
            &["spec.completions: Required value"],
        ),
        ("managedBy ok", "Job", json!({"spec": {"managedBy": "example.com/controller"}}), &[]),
        // upstream: IsDomainPrefixedPath starts with Required for "".
        ("managedBy empty", "Job", json!({"spec": {"managedBy": ""}}), &["spec.managedBy: Required value"]),
        (
            "managedBy no prefix",
            "Job",
            json!({"spec": {"managedBy": "controller"}}),
            &[
                "spec.managedBy: Invalid value: \"controller\": must be a domain-prefixed path (such as \"acme.io/foo\")",
            ],
        ),
        (
            "managedBy too long",
            "Job",
            json!({"spec": {"managedBy": format!("example.com/{}", "a".repeat(60))}}),
            &["spec.managedBy: Too long: may not be more than 63 bytes"],
        ),
        (
            "template pod spec validated",
            "Job",
            json!({"spec": {"template": {"spec": {"containers": [{"name": "C", "image": "x"}]}}}}),
            &["spec.template.spec.containers[0].name: Invalid value: \"C\""],
        ),
    ]);
}

// upstream: BV TestValidateCronJob, TestValidateCronJobScheduleTZ, TestValidateCronJobSpec
#[test]
fn cron_jobs() {
    run(&[
        ("schedule empty", "CronJob", json!({"spec": {"schedule": ""}}), &["spec.schedule: Required value"]),
        (
            "schedule bad",
            "CronJob",
            json!({"spec": {"schedule": "* * * *"}}),
            &["spec.schedule: Invalid value: \"* * * *\": expected exactly 5 fields, found 4: [* * * *]"],
        ),
        (
            "schedule 7 is not sunday",
            "CronJob",
            json!({"spec": {"schedule": "0 0 * * 7"}}),
            &["spec.schedule: Invalid value: \"0 0 * * 7\": end of range (7) above maximum (6): 7"],
        ),
        ("descriptor ok", "CronJob", json!({"spec": {"schedule": "@every 5m"}}), &[]),
        // robfig's getField drops empty items: a field of commas parses
        // (validateScheduleFormat calls cron.ParseStandard), though it never
        // fires.
        ("comma-only field parses", "CronJob", json!({"spec": {"schedule": "0 0 , * *"}}), &[]),
        (
            "descriptor bad",
            "CronJob",
            json!({"spec": {"schedule": "@fortnightly"}}),
            &["spec.schedule: Invalid value: \"@fortnightly\": unrecognized descriptor: @fortnightly"],
        ),
        (
            "TZ in schedule",
            "CronJob",
            json!({"spec": {"schedule": "TZ=UTC 0 * * * *"}}),
            &[
                "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ],
        ),
        (
            // upstream (1.35): ParseCronScheduleWithPanicRecovery reports
            // the parser's panic on a zone without a following space.
            "CRON_TZ without space never panics",
            "CronJob",
            json!({"spec": {"schedule": "CRON_TZ=UTC"}}),
            &[
                "spec.schedule: Invalid value: \"CRON_TZ=UTC\": invalid schedule format: runtime error: slice bounds out of range [:-1]",
                "spec.schedule: Invalid value: \"CRON_TZ=UTC\": cannot use TZ",
            ],
        ),
        (
            // time.LoadLocation("") is UTC: only the TZ-usage error.
            "TZ= with an empty zone",
            "CronJob",
            json!({"spec": {"schedule": "TZ= 0 * * * *"}}),
            &["spec.schedule: Invalid value: \"TZ= 0 * * * *\": cannot use TZ"],
        ),
        ("timeZone ok", "CronJob", json!({"spec": {"timeZone": "Europe/Berlin"}}), &[]),
        // upstream: batch validation_test.go TestTimeZones lists tzdata's
        // placeholder zone Factory as valid (chrono-tz has no such zone).
        ("timeZone Factory", "CronJob", json!({"spec": {"timeZone": "Factory"}}), &[]),
        (
            "timeZone empty",
            "CronJob",
            json!({"spec": {"timeZone": ""}}),
            &["spec.timeZone: Invalid value: \"\": timeZone must be nil or non-empty string"],
        ),
        (
            "timeZone Local",
            "CronJob",
            json!({"spec": {"timeZone": "local"}}),
            &[
                "spec.timeZone: Invalid value: \"local\": timeZone must be an explicit time zone",
                "spec.timeZone: Invalid value: \"local\": unknown time zone local",
            ],
        ),
        (
            "timeZone not in the IANA database",
            "CronJob",
            json!({"spec": {"timeZone": "Mars/Olympus_Mons"}}),
            &["spec.timeZone: Invalid value: \"Mars/Olympus_Mons\": unknown time zone Mars/Olympus_Mons"],
        ),
        ("timeZone UTC", "CronJob", json!({"spec": {"timeZone": "UTC"}}), &[]),
        (
            "timeZone bad chars",
            "CronJob",
            json!({"spec": {"timeZone": "Europe/Ber lin"}}),
            &["spec.timeZone: Invalid value: \"Europe/Ber lin\": unknown time zone Europe/Ber lin"],
        ),
        (
            "timeZone dotdot",
            "CronJob",
            json!({"spec": {"timeZone": "../etc"}}),
            &["spec.timeZone: Invalid value: \"../etc\": unknown time zone"],
        ),
        // A name that passes the character check but holds "..": Go's
        // time.LoadLocation refuses it before any lookup (errLocation).
        (
            "timeZone with a dot-dot inside a part",
            "CronJob",
            json!({"spec": {"timeZone": "a..b"}}),
            &["spec.timeZone: Invalid value: \"a..b\": time: invalid location name"],
        ),
        (
            "TZ= prefix with a dot-dot name",
            "CronJob",
            json!({"spec": {"schedule": "TZ=a..b 0 * * * *"}}),
            &[
                "spec.schedule: Invalid value: \"TZ=a..b 0 * * * *\": provided bad location a..b: time: invalid location name",
                "spec.schedule: Invalid value: \"TZ=a..b 0 * * * *\": cannot use TZ",
            ],
        ),
        (
            "concurrencyPolicy bad",
            "CronJob",
            json!({"spec": {"concurrencyPolicy": "Sometimes"}}),
            &[
                "spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\"",
            ],
        ),
        (
            "history limits 0 ok",
            "CronJob",
            json!({"spec": {"successfulJobsHistoryLimit": 0, "failedJobsHistoryLimit": 0, "startingDeadlineSeconds": 0}}),
            &[],
        ),
        (
            "startingDeadline negative",
            "CronJob",
            json!({"spec": {"startingDeadlineSeconds": -1}}),
            &["spec.startingDeadlineSeconds: Invalid value: -1"],
        ),
        (
            "history negative",
            "CronJob",
            json!({"spec": {"successfulJobsHistoryLimit": -1, "failedJobsHistoryLimit": -1}}),
            &[
                "spec.successfulJobsHistoryLimit: Invalid value: -1",
                "spec.failedJobsHistoryLimit: Invalid value: -1",
            ],
        ),
        ("name 52 ok", "CronJob", json!({"metadata": {"name": "a".repeat(52)}}), &[]),
        (
            "name 53",
            "CronJob",
            json!({"metadata": {"name": "a".repeat(53)}}),
            &["metadata.name: Invalid value: \"aaaa"],
        ),
        (
            "jobTemplate selector",
            "CronJob",
            json!({"spec": {"jobTemplate": {"spec": {"selector": {"matchLabels": {"a": "b"}}}}}}),
            &[
                "spec.jobTemplate.spec.selector: Invalid value: {\"matchLabels\":{\"a\":\"b\"}}: `selector` will be auto-generated",
            ],
        ),
        (
            "jobTemplate manualSelector",
            "CronJob",
            json!({"spec": {"jobTemplate": {"spec": {"manualSelector": true}}}}),
            &[
                "spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: \"nil\", \"false\"",
            ],
        ),
        (
            "jobTemplate restartPolicy Always",
            "CronJob",
            json!({"spec": {"jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "Always"}}}}}}),
            &["spec.jobTemplate.spec.template.spec.restartPolicy: Required value"],
        ),
        (
            "jobTemplate job rules",
            "CronJob",
            json!({"spec": {"jobTemplate": {"spec": {"parallelism": -1}}}}),
            &["spec.jobTemplate.spec.parallelism: Invalid value: -1"],
        ),
    ]);
}

// upstream: pkg/apis/settings/validation/validation_test.go TestValidatePodPreset (last release)
#[test]
fn pod_presets() {
    run(&[
        (
            "volumes only ok",
            "PodPreset",
            json!({"spec": {"env": null, "volumes": [{"name": "v", "emptyDir": {}}], "volumeMounts": [{"name": "v", "mountPath": "/v"}]}}),
            &[],
        ),
        (
            "nothing to inject",
            "PodPreset",
            json!({"spec": {"env": null}}),
            &["spec.volumes.env.envFrom.volumeMounts: Required value: must specify at least one"],
        ),
        (
            "mount of volume not in preset",
            "PodPreset",
            json!({"spec": {"volumeMounts": [{"name": "v", "mountPath": "/v"}]}}),
            &["spec.volumeMounts[0].name: Not found: \"v\""],
        ),
        (
            "env bad",
            "PodPreset",
            json!({"spec": {"env": [{"name": ""}]}}),
            &["spec.env[0].name: Required value"],
        ),
        (
            "selector bad",
            "PodPreset",
            json!({"spec": {"selector": {"matchLabels": {"a": "-"}}}}),
            &["spec.selector.matchLabels: Invalid value"],
        ),
        ("name bad", "PodPreset", json!({"metadata": {"name": "A"}}), &["metadata.name: Invalid value"]),
    ]);
}

// The per-kind entry points agree with `validate`.
#[test]
fn per_kind_entry_points() {
    let check = |o: &Object| match o {
        Object::Pod(x) => validation::validate_pod(x),
        Object::PodTemplate(x) => validation::validate_pod_template(x),
        Object::ReplicationController(x) => validation::validate_replication_controller(x),
        Object::ReplicaSet(x) => validation::validate_replica_set(x),
        Object::Deployment(x) => validation::validate_deployment(x),
        Object::StatefulSet(x) => validation::validate_stateful_set(x),
        Object::DaemonSet(x) => validation::validate_daemon_set(x),
        Object::Job(x) => validation::validate_job(x),
        Object::CronJob(x) => validation::validate_cron_job(x),
        Object::PodPreset(x) => validation::validate_pod_preset(x),
        _ => Ok(()),
    };
    for kind in [
        "Pod",
        "PodTemplate",
        "ReplicationController",
        "ReplicaSet",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "Job",
        "CronJob",
        "PodPreset",
    ] {
        let good = object(kind, &json!({}));
        assert_eq!(check(&good), Ok(()), "{kind}");
        let bad = object(kind, &json!({"metadata": {"name": "Bad_Name"}}));
        assert_eq!(check(&bad), validation::validate(&bad), "{kind}");
        assert!(check(&bad).is_err(), "{kind}");
    }
    let labels = [("bad key".to_owned(), "v".to_owned())].into_iter().collect();
    assert_eq!(validation::validate_labels(&labels, &FieldPath::new("x")).len(), 1);
}

// upstream: AV TestValidateDeployment ("empty selector" vs missing selector).
// On the wire, a missing or null selector is Go's nil pointer (Required);
// `selector: {}` is a present, empty selector ("empty selector is invalid").
#[test]
fn missing_null_and_empty_selectors_are_told_apart() {
    let deployment = |selector: Option<Value>| {
        let mut v = json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x", "namespace": "default"},
            "spec": {"template": template(json!({"app": "x"}))}});
        if let Some(s) = selector {
            v["spec"]["selector"] = s;
        }
        let mut obj = Object::from_value(v).unwrap();
        defaults::apply(&mut obj);
        errors(&obj)
    };
    let required = "spec.selector: Required value";
    assert!(deployment(None).iter().any(|e| e.starts_with(required)), "{:?}", deployment(None));
    assert!(deployment(Some(Value::Null)).iter().any(|e| e.starts_with(required)));
    let empty = deployment(Some(json!({})));
    assert!(!empty.iter().any(|e| e.starts_with(required)), "{empty:?}");
    assert!(empty.iter().any(|e| e.contains("empty selector is invalid for deployment")), "{empty:?}");
}

/// Indexes `0,2,4,…` below `completions`, as long as the string stays within `max` bytes.
fn even_indexes(completions: u32, max: usize) -> String {
    let mut out = String::new();
    for i in (0..completions).step_by(2) {
        let next = if out.is_empty() { i.to_string() } else { format!(",{i}") };
        if out.len() + next.len() > max {
            break;
        }
        out.push_str(&next);
    }
    out
}

// Limits and rarely hit rules, each with a valid and an invalid case.
// upstream: BV TestValidateJob (validateJobSpec limits for Indexed jobs, validatePodFailurePolicyRule*,
// validateSuccessPolicy); CV TestValidateVolumeMounts (subPathExpr), TestValidateResourceRequirements /
// validateContainerResourceName, TestValidatePodSpec (subdomain), TestValidateLifecycle / validateHandler,
// TestValidateProbe; AV TestValidateStatefulSet (ValidatePersistentVolumeClaimRetentionPolicyType).
#[test]
fn limits_and_rarely_hit_rules() {
    let big = |extra: Value| {
        let mut v = json!({"metadata": {"name": "j"}, "spec": {"completionMode": "Indexed", "completions": 200_000,
            "parallelism": 10_000, "backoffLimitPerIndex": 1, "maxFailedIndexes": 10_000}});
        merge(&mut v, &extra);
        v
    };
    let exit_codes = |operator: &str, n: i32| {
        json!({"spec": {"template": {"spec": {"restartPolicy": "Never"}}, "podFailurePolicy": {"rules": [
            {"action": "FailJob", "onExitCodes": {"operator": operator, "values": (1..=n).collect::<Vec<_>>()}}]}}})
    };
    let conditions = |n: usize| {
        let list: Vec<Value> =
            (0..n).map(|i| json!({"type": format!("Cond{i}"), "status": "True"})).collect();
        json!({"spec": {"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": list}]}}})
    };
    let success_rules = |n: usize| {
        let rules: Vec<Value> = (0..n).map(|_| json!({"succeededCount": 1})).collect();
        json!({"spec": {"completionMode": "Indexed", "completions": 10, "parallelism": 2,
                        "successPolicy": {"rules": rules}}})
    };
    let success_indexes = |indexes: String| {
        json!({"metadata": {"name": "j"}, "spec": {"completionMode": "Indexed", "completions": 100_000,
            "parallelism": 2, "successPolicy": {"rules": [{"succeededIndexes": indexes}]}}})
    };
    let c = |extra: Value| {
        let mut v = container();
        merge(&mut v, &extra);
        pod_with(v)
    };
    // A 249-byte DNS subdomain: `<it>/gpu` is a qualified name, `requests.<it>/gpu` is not.
    let long_prefix = vec!["a".repeat(49); 5].join(".");
    let extended_ok = format!("{}/gpu", "a".repeat(49));
    let extended_bad = format!("{long_prefix}/gpu");
    let mount = |m: Value| {
        json!({"spec": {"volumes": [{"name": "v", "emptyDir": {}}], "containers": [
            {"name": "c", "image": "x", "volumeMounts": [m]}]}})
    };
    run(&[
        // Job limits (validateJobSpec): completions > 100000 with backoffLimitPerIndex.
        ("big indexed job at the limits", "Job", big(json!({})), &[]),
        (
            "maxFailedIndexes above 100000",
            "Job",
            big(json!({"spec": {"maxFailedIndexes": 100_001}})),
            &[
                "spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to 100000",
                "spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index",
            ],
        ),
        (
            "maxFailedIndexes above 10000 with big completions",
            "Job",
            big(json!({"spec": {"maxFailedIndexes": 10_001}})),
            &[
                "spec.maxFailedIndexes: Invalid value: 10001: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index",
            ],
        ),
        (
            "parallelism above 10000 with big completions",
            "Job",
            big(json!({"spec": {"parallelism": 10_001}})),
            &[
                "spec.parallelism: Invalid value: 10001: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index",
            ],
        ),
        // Pod failure policy (validatePodFailurePolicyRuleOnExitCodes, ...OnPodConditions).
        ("onExitCodes 255 values", "Job", exit_codes("In", 255), &[]),
        (
            "onExitCodes operator empty",
            "Job",
            exit_codes("", 1),
            &[
                "spec.podFailurePolicy.rules[0].onExitCodes.operator: Required value: valid values: [\"In\" \"NotIn\"]",
            ],
        ),
        (
            "onExitCodes 256 values",
            "Job",
            exit_codes("NotIn", 256),
            &[
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Too many: 256: must have at most 255 items",
            ],
        ),
        (
            // upstream: validatePodFailurePolicyRuleOnExitCodes checks each
            // value however many there are.
            "onExitCodes 256 values, one of them 0 under In, out of order",
            "Job",
            json!({"spec": {"template": {"spec": {"restartPolicy": "Never"}}, "podFailurePolicy": {"rules": [
                {"action": "FailJob", "onExitCodes": {"operator": "In", "values": (0..256).rev().collect::<Vec<_>>()}}]}}}),
            &[
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Too many: 256: must have at most 255 items",
                "spec.podFailurePolicy.rules[0].onExitCodes.values[255]: Invalid value: 0: must not be 0 for the In operator",
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: ",
            ],
        ),
        ("onPodConditions 20", "Job", conditions(20), &[]),
        (
            "onPodConditions 21",
            "Job",
            conditions(21),
            &["spec.podFailurePolicy.rules[0].onPodConditions: Too many: 21: must have at most 20 items"],
        ),
        // Success policy (validateSuccessPolicy, validateSuccessPolicyRule).
        ("successPolicy 20 rules", "Job", success_rules(20), &[]),
        (
            "successPolicy 21 rules",
            "Job",
            success_rules(21),
            &["spec.successPolicy.rules: Too many: 21: must have at most 20 items"],
        ),
        ("succeededIndexes 65536 bytes", "Job", success_indexes(even_indexes(100_000, 65_536)), &[]),
        (
            "succeededIndexes above 65536 bytes",
            "Job",
            success_indexes(even_indexes(100_000, 70_000)),
            &["spec.successPolicy.rules[0].succeededIndexes: Too long: may not be more than 65536 bytes"],
        ),
        // Resources (validateContainerResourceName).
        (
            "extended resource ok",
            "Pod",
            c(json!({"resources": {"limits": {extended_ok.as_str(): "1"}}})),
            &[],
        ),
        (
            "resource with / but not an extended resource name",
            "Pod",
            c(json!({"resources": {"limits": {extended_bad.as_str(): "1"}}})),
            &["spec.containers[0].resources.limits[", "spec.containers[0].resources.requests["],
        ),
        // subPathExpr (ValidateVolumeMounts).
        (
            "subPathExpr relative",
            "Pod",
            mount(json!({"name": "v", "mountPath": "/d", "subPathExpr": "$(POD)/x"})),
            &[],
        ),
        (
            "subPathExpr absolute",
            "Pod",
            mount(json!({"name": "v", "mountPath": "/d", "subPathExpr": "/abs"})),
            &[
                "spec.containers[0].volumeMounts.subPathExpr: Invalid value: \"/abs\": must be a relative path",
            ],
        ),
        (
            "subPathExpr with ..",
            "Pod",
            mount(json!({"name": "v", "mountPath": "/d", "subPathExpr": "a/../b"})),
            &[
                "spec.containers[0].volumeMounts.subPathExpr: Invalid value: \"a/../b\": must not contain '..'",
            ],
        ),
        // Pod spec: subdomain, hooks, probes.
        (
            "subdomain invalid",
            "Pod",
            json!({"spec": {"subdomain": "Svc_1"}}),
            &["spec.subdomain: Invalid value: \"Svc_1\": a lowercase RFC 1123 label"],
        ),
        (
            "preStop with a handler",
            "Pod",
            c(json!({"lifecycle": {"preStop": {"sleep": {"seconds": 1}}}})),
            &[],
        ),
        (
            "preStop without a handler",
            "Pod",
            c(json!({"lifecycle": {"preStop": {}}})),
            &["spec.containers[0].lifecycle.preStop: Required value: must specify a handler type"],
        ),
        (
            "postStart without a handler",
            "Pod",
            c(json!({"lifecycle": {"postStart": {}}})),
            &["spec.containers[0].lifecycle.postStart: Required value: must specify a handler type"],
        ),
        (
            "probe timeout and failure threshold set",
            "Pod",
            c(
                json!({"readinessProbe": {"exec": {"command": ["x"]}, "timeoutSeconds": 2, "failureThreshold": 5}}),
            ),
            &[],
        ),
        (
            "probe negative timeout and failure threshold",
            "Pod",
            c(
                json!({"readinessProbe": {"exec": {"command": ["x"]}, "timeoutSeconds": -1, "failureThreshold": -2}}),
            ),
            &[
                "spec.containers[0].readinessProbe.timeoutSeconds: Invalid value: -1: must be greater than or equal to 0",
                "spec.containers[0].readinessProbe.failureThreshold: Invalid value: -2: must be greater than or equal to 0",
            ],
        ),
        // StatefulSet PVC retention policy.
        (
            "whenScaled Delete",
            "StatefulSet",
            json!({"spec": {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Delete"}}}),
            &[],
        ),
        (
            "whenScaled unsupported",
            "StatefulSet",
            json!({"spec": {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Retain", "whenScaled": "Keep"}}}),
            &[
                "spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: \"Keep\": supported values: \"Retain\", \"Delete\"",
            ],
        ),
    ]);
}

// The `Required` checks that defaulting makes unreachable (validation.md §0 item 1): each case
// defaults a valid object, removes one defaulted field, and validates WITHOUT defaulting again.
// upstream: CV TestValidateContainers (imagePullPolicy, terminationMessagePolicy, protocol),
// TestValidatePodSpec (dnsPolicy, restartPolicy, terminationGracePeriodSeconds), TestValidateHTTPGetAction,
// TestValidateVolumes, TestValidateReplicationControllerSpec; AV TestValidateDeployment,
// TestValidateDaemonSet, TestValidateStatefulSet; BV TestValidateJob (onPodConditions status).
#[test]
fn checks_only_reachable_without_defaults() {
    let cases: &[(&str, &str, Value, &str, &str)] = &[
        (
            "imagePullPolicy",
            "Pod",
            json!({}),
            "/spec/containers/0/imagePullPolicy",
            "spec.containers[0].imagePullPolicy: Required value",
        ),
        (
            "terminationMessagePolicy",
            "Pod",
            json!({}),
            "/spec/containers/0/terminationMessagePolicy",
            "spec.containers[0].terminationMessagePolicy: Required value",
        ),
        (
            "port protocol",
            "Pod",
            json!({"spec": {"containers": [{"name": "c", "image": "x", "ports": [{"containerPort": 80}]}]}}),
            "/spec/containers/0/ports/0/protocol",
            "spec.containers[0].ports[0].protocol: Required value",
        ),
        ("dnsPolicy", "Pod", json!({}), "/spec/dnsPolicy", "spec.dnsPolicy: Required value"),
        ("pod restartPolicy", "Pod", json!({}), "/spec/restartPolicy", "spec.restartPolicy: Required value"),
        (
            "terminationGracePeriodSeconds",
            "Pod",
            json!({}),
            "/spec/terminationGracePeriodSeconds",
            "spec.terminationGracePeriodSeconds: Required value",
        ),
        (
            "httpGet.path",
            "Pod",
            json!({"spec": {"containers": [{"name": "c", "image": "x", "livenessProbe": {"httpGet": {"port": 80}}}]}}),
            "/spec/containers/0/livenessProbe/httpGet/path",
            "spec.containers[0].livenessProbe.httpGet.path: Required value",
        ),
        (
            "volume without a source",
            "Pod",
            json!({"spec": {"volumes": [{"name": "v"}]}}),
            "/spec/volumes/0/emptyDir",
            "spec.volumes[0]: Required value",
        ),
        (
            "Deployment rollingUpdate",
            "Deployment",
            json!({}),
            "/spec/strategy/rollingUpdate",
            "spec.strategy.rollingUpdate: Required value",
        ),
        (
            "DaemonSet rollingUpdate",
            "DaemonSet",
            json!({}),
            "/spec/updateStrategy/rollingUpdate",
            "spec.updateStrategy.rollingUpdate: Required value",
        ),
        (
            "StatefulSet podManagementPolicy",
            "StatefulSet",
            json!({}),
            "/spec/podManagementPolicy",
            "spec.podManagementPolicy: Required value",
        ),
        (
            "StatefulSet updateStrategy",
            "StatefulSet",
            json!({}),
            "/spec/updateStrategy",
            "spec.updateStrategy: Required value",
        ),
        (
            "RC replicas",
            "ReplicationController",
            json!({}),
            "/spec/replicas",
            "spec.replicas: Required value",
        ),
        (
            "onPodConditions status",
            "Job",
            json!({"spec": {"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]}}}),
            "/spec/podFailurePolicy/rules/0/onPodConditions/0/status",
            "spec.podFailurePolicy.rules[0].onPodConditions[0].status: Required value",
        ),
    ];
    let mut bad = Vec::new();
    for (name, kind, patch, pointer, expected) in cases {
        let doc = object(kind, patch).to_value();
        // The defaulted object, decoded again without defaults, is valid...
        let got = errors(&Object::from_value(doc.clone()).expect("decodes"));
        if !got.is_empty() {
            bad.push(format!("{name}: defaulted object not valid: {got:#?}"));
        }
        // ...until the defaulted field is removed.
        let mut doc = doc;
        let (parent, key) = pointer.rsplit_once('/').expect("pointer");
        let removed = doc.pointer_mut(parent).and_then(Value::as_object_mut).and_then(|o| o.remove(key));
        if removed.is_none() {
            bad.push(format!("{name}: {pointer} was not defaulted"));
            continue;
        }
        let got = errors(&Object::from_value(doc).expect("decodes"));
        if got.len() != 1 || !got.iter().all(|g| g.starts_with(expected)) {
            bad.push(format!("{name}: expected [{expected}]\n    got {got:#?}"));
        }
    }
    assert!(bad.is_empty(), "{} cases failed:\n{}", bad.len(), bad.join("\n"));
}

// upstream: validateGeneratedSelector returns at once without a selector
// (ValidateJobSpec reports it): the generated labels are not asked for.
#[test]
fn job_without_a_selector_is_reported_once() {
    let job = Object::from_value(json!({"apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "x", "namespace": "default", "uid": "uid-1"},
        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [container()]}}}}))
    .expect("decodes");
    let mut job = job;
    defaults::apply(&mut job);
    // (A nil selector converts to Nothing, which selects no labels; the
    // template's absent labels show as Go's nil map, `null`.)
    assert_eq!(
        errors(&job),
        [
            "spec.selector: Required value",
            "spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`"
        ]
    );
}

// Orders and checks from a review against the post-1.35 validation.go:
// ValidatePodSpec checks terminationGracePeriodSeconds first;
// validatePodMetadataAndSpec checks a pod's image whitespace after the
// whole spec (validateContainersOnlyForPod: containers, then init
// containers), while validateEphemeralContainers checks an ephemeral
// container's right after its common checks; validateResourceRequirements
// checks a request's hugepage divisibility after comparing it with its
// limit; validateVolumeSource refuses an ephemeral volume whose claim name
// is invalid, so its mounts are not found.
#[test]
fn pod_checks_in_upstreams_order() {
    let raw = |doc: Value| errors(&Object::from_value(doc).expect("decodes"));
    let container = |name: &str, image: &str| json!({"name": name, "image": image, "imagePullPolicy": "Always", "terminationMessagePolicy": "File"});
    assert_eq!(
        raw(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "default"},
            "spec": {"restartPolicy": "Sometimes", "dnsPolicy": "ClusterFirst",
                     "containers": [container("c", " nginx")], "initContainers": [container("i", "busybox ")]}})),
        [
            "spec.terminationGracePeriodSeconds: Required value",
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace",
            "spec.initContainers[0].image: Invalid value: \"busybox \": must not have leading or trailing whitespace",
        ]
    );
    // A template's image may keep its whitespace.
    let template =
        json!({"spec": {"template": {"spec": {"containers": [{"name": "c", "image": " nginx"}]}}}});
    assert_eq!(errors(&object("ReplicaSet", &template)), Vec::<String>::new());
    let hugepages = json!({"spec": {"containers": [{"name": "c", "image": "x", "resources": {
        "limits": {"memory": "1Gi", "hugepages-2Mi": "4Mi"}, "requests": {"memory": "1Gi", "hugepages-2Mi": "3Mi"}}}]}});
    assert_eq!(
        errors(&object("Pod", &hugepages)),
        [
            "spec.containers[0].resources.requests: Invalid value: \"3Mi\": must be equal to hugepages-2Mi limit of 4Mi",
            "spec.containers[0].resources.requests[hugepages-2Mi]: Invalid value: \"3Mi\": 3Mi is not positive integer multiple of hugepages-2Mi",
        ]
    );
    // Pod-level resources: limits, then requests, one name at a time.
    let pod_level = json!({"spec": {"resources": {"requests": {"ephemeral-storage": "1Gi"}, "limits": {"ephemeral-storage": "2Gi"}}}});
    let unsupported = |list: &str| {
        format!(
            "spec.resources.{list}[ephemeral-storage]: Unsupported value: \"ephemeral-storage\": supported values: \"cpu\", \"hugepages-\", \"memory\""
        )
    };
    assert_eq!(errors(&object("Pod", &pod_level)), [unsupported("limits"), unsupported("requests")]);
    let long = "a".repeat(250);
    let ephemeral = json!({"metadata": {"name": long}, "spec": {
        "volumes": [{"name": "data", "ephemeral": {"volumeClaimTemplate": {"spec": {
            "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}}}],
        "containers": [{"name": "c", "image": "x", "volumeMounts": [{"name": "data", "mountPath": "/d"}]}]}});
    let got = errors(&object("Pod", &ephemeral));
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        got[0]
            .starts_with(&format!("spec.volumes[0].name: Invalid value: \"data\": PVC name \"{long}-data\"")),
        "{got:#?}"
    );
    assert_eq!(got[1], "spec.containers[0].volumeMounts[0].name: Not found: \"data\"");
}

// upstream: ValidateTolerations (post-1.35): `Lt` and `Gt` are listed as
// supported but refused without TaintTolerationComparisonOperators; with
// it, the value must be a canonical decimal integer (content
// .IsDecimalInteger) that strconv.ParseInt reads as an int64.
#[test]
fn toleration_comparison_operators_follow_their_gate() {
    let pod = |op: &str, value: &str| {
        object(
            "Pod",
            &json!({"spec": {"tolerations": [{"key": "k", "operator": op, "value": value, "effect": "NoSchedule"}]}}),
        )
    };
    let with_gate = |obj: &Object| {
        let mut gates = FeatureGates::default();
        gates.taint_toleration_comparison_operators = true;
        match validation::validate_with_gates(obj, &gates) {
            Ok(()) => Vec::new(),
            Err(e) => e.errors.iter().map(ToString::to_string).collect(),
        }
    };
    assert_eq!(
        errors(&pod("Lt", "5")),
        [
            "spec.tolerations[0].operator: Unsupported value: \"Lt\": supported values: \"Equal\", \"Exists\", \"Lt\", \"Gt\""
        ]
    );
    assert_eq!(
        errors(&pod("Between", "5")),
        [
            "spec.tolerations[0].operator: Unsupported value: \"Between\": supported values: \"Equal\", \"Exists\""
        ]
    );
    assert_eq!(with_gate(&pod("Gt", "5")), Vec::<String>::new());
    assert_eq!(with_gate(&pod("Gt", "-12")), Vec::<String>::new());
    assert_eq!(
        with_gate(&pod("Lt", "007")),
        [
            "spec.tolerations[0].value: Invalid value: \"007\": must be a valid decimal integer in canonical form"
        ]
    );
    assert_eq!(
        with_gate(&pod("Lt", "x1")),
        [
            "spec.tolerations[0].value: Invalid value: \"x1\": must be a valid decimal integer in canonical form",
            "spec.tolerations[0].value: Invalid value: \"x1\": strconv.ParseInt: parsing \"x1\": invalid syntax",
        ]
    );
    assert_eq!(
        with_gate(&pod("Gt", "99999999999999999999")),
        [
            "spec.tolerations[0].value: Invalid value: \"99999999999999999999\": strconv.ParseInt: parsing \"99999999999999999999\": value out of range"
        ]
    );
}

// upstream: validateJobSpec's order and conditions (post-1.35 copy): the
// "requires indexed completion mode" errors come after managedBy and the
// completion mode, and only for an unset or NonIndexed mode; the pod
// failure policy before the success policy; in the high-completions block
// parallelism before maxFailedIndexes. ValidateJob checks an Indexed Job's
// pod hostname even when the name is empty. robfig's @every uses
// time.ParseDuration, which refuses overflow and reads `1.2.3s` as a
// missing unit.
#[test]
fn job_spec_errors_in_upstreams_order() {
    let job = |spec: Value| errors(&object("Job", &json!({"spec": spec})));
    assert_eq!(
        job(json!({"completionMode": "Foo", "backoffLimitPerIndex": 1})),
        ["spec.completionMode: Unsupported value: \"Foo\": supported values: \"NonIndexed\", \"Indexed\""]
    );
    let got = job(json!({"backoffLimitPerIndex": 1, "managedBy": "bad"}));
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].starts_with("spec.managedBy: "), "{got:#?}");
    assert_eq!(got[1], "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode");
    let got = job(
        json!({"podFailurePolicy": {"rules": [{"action": "Count"}]}, "successPolicy": {"rules": [{"succeededCount": 1}]}}),
    );
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].starts_with("spec.podFailurePolicy.rules[0]: Invalid value: "), "{got:#?}");
    assert!(got[1].starts_with("spec.successPolicy: Invalid value: "), "{got:#?}");
    let got = job(json!({"completionMode": "Indexed", "completions": 200000, "backoffLimitPerIndex": 1,
        "maxFailedIndexes": 20000, "parallelism": 20000}));
    let at = |p: &str| {
        got.iter().position(|e| e.starts_with(p) && e.contains("used with backoff limit per index"))
    };
    assert!(
        at("spec.parallelism").is_some() && at("spec.parallelism") < at("spec.maxFailedIndexes"),
        "{got:#?}"
    );
    let nameless = Object::from_value(json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"namespace": "default"},
        "spec": {"completionMode": "Indexed", "completions": 3,
                 "template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}}}))
    .map(defaults::applied)
    .expect("decodes");
    assert!(
        errors(&nameless).iter().any(|e| e
            == "metadata.name: Invalid value: \"\": will not able to create pod with invalid DNS label: -2")
    );
    let cron = |schedule: &str| errors(&object("CronJob", &json!({"spec": {"schedule": schedule}})));
    assert_eq!(
        cron("@every 9999999999999h"),
        [
            "spec.schedule: Invalid value: \"@every 9999999999999h\": failed to parse duration @every 9999999999999h: time: invalid duration \"9999999999999h\""
        ]
    );
    assert_eq!(
        cron("@every 1.2.3s"),
        [
            "spec.schedule: Invalid value: \"@every 1.2.3s\": failed to parse duration @every 1.2.3s: time: missing unit in duration \"1.2.3s\""
        ]
    );
    assert_eq!(cron("@every 1h30m"), Vec::<String>::new());
    // time.quote writes every byte beyond ASCII as \xNN (µs is a unit).
    assert_eq!(cron("@every 1µs"), Vec::<String>::new());
    assert_eq!(
        cron("@every 5分"),
        [
            "spec.schedule: Invalid value: \"@every 5分\": failed to parse duration @every 5分: time: unknown unit \"\\xe5\\x88\\x86\" in duration \"5\\xe5\\x88\\x86\""
        ]
    );
}

// With ClusterTrustBundleProjection on, the projected trust bundle sources
// are validated (validateProjectionSources, ValidateSignerName).
#[test]
fn projected_sources_behind_their_gates() {
    let mut gates = kube_workloads::features::FeatureGates::default();
    gates.cluster_trust_bundle_projection = true;
    let vol = |source: Value| json!({"spec": {"serviceAccountName": "default", "volumes": [source], "containers": [{"name": "c", "image": "x"}]}});
    let obj = object(
        "Pod",
        &vol(json!({"name": "p", "projected": {"sources": [
            {"clusterTrustBundle": {"name": "n", "signerName": "example.com/s", "path": "ca"}},
            {"clusterTrustBundle": {"signerName": "nodomain", "path": "ca2"}},
            {"clusterTrustBundle": {"path": "ca"}}
        ]}})),
    );
    let errors_with = |obj: &Object, gates: &kube_workloads::features::FeatureGates| -> Vec<String> {
        match validation::validate_with_gates(obj, gates) {
            Ok(()) => Vec::new(),
            Err(e) => e.errors.iter().map(ToString::to_string).collect(),
        }
    };
    let got = errors_with(&obj, &gates);
    let expected = [
        "spec.volumes[0].projected.sources[0].clusterTrustBundle: Invalid value:",
        "spec.volumes[0].projected.sources[1].clusterTrustBundle.signerName: Invalid value: \"nodomain\": must be a fully qualified domain and path of the form 'example.com/signer-name'",
        "spec.volumes[0].projected.sources[2].clusterTrustBundle: Required value: either name or signerName must be specified",
        "spec.volumes[0].projected: Invalid value: \"ca\": conflicting duplicate paths",
    ];
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for e in expected {
        assert!(got.iter().any(|g| g.starts_with(e)), "missing {e} in {got:#?}");
    }
    // upstream: extractSignerNameFromClusterTrustBundleName and
    // ValidateClusterTrustBundleName: a `:` in the name makes it the
    // signer's (before the last `:`, `:` read as `/`), whose prefix it
    // must carry; `:x` has an empty signer and is refused for its `:`.
    let named = object(
        "Pod",
        &vol(json!({"name": "p", "projected": {"sources": [
            {"clusterTrustBundle": {"name": "example.com/foo:bundle", "path": "a"}},
            {"clusterTrustBundle": {"name": "example.com:foo:bundle", "path": "b"}},
            {"clusterTrustBundle": {"name": ":bundle", "path": "c"}},
            {"clusterTrustBundle": {"name": "plain", "path": "d"}}
        ]}})),
    );
    assert_eq!(
        errors_with(&named, &gates),
        [
            "spec.volumes[0].projected.sources[0].clusterTrustBundle.name: Invalid value: \"example.com/foo:bundle\": not a valid clustertrustbundlename: ClusterTrustBundle for signerName example.com/foo must be named with prefix example.com:foo:",
            "spec.volumes[0].projected.sources[2].clusterTrustBundle.name: Invalid value: \":bundle\": not a valid clustertrustbundlename: ClusterTrustBundle without signer name must not have \":\" in its name",
        ]
    );
    // With PodCertificateRequest on, a podCertificate source counts as a
    // volume type of its source.
    gates.pod_certificate_request = true;
    let two = object(
        "Pod",
        &vol(json!({"name": "p", "projected": {"sources": [
            {"secret": {"name": "s"}, "podCertificate": {"signerName": "example.com/s"}}
        ]}})),
    );
    assert_eq!(
        errors_with(&two, &gates),
        [
            "spec.volumes[0].projected.sources[0]: Forbidden: may not specify more than 1 volume type per source"
        ]
    );
}

// upstream: ValidatePodTemplateSpecForStatefulSet validates the template
// (ValidatePodTemplateSpec, its labels included), then its labels,
// annotations and pod-specific annotations once more: a bad template label
// is listed twice (the message prints it once).
#[test]
fn stateful_set_template_metadata_listed_twice() {
    let obj = object("StatefulSet", &json!({"spec": {"template": {"metadata": {"labels": {"a b": "x"}}}}}));
    let got = errors(&obj);
    let label_errors =
        got.iter().filter(|e| e.starts_with("spec.template.labels: Invalid value: \"a b\"")).count();
    assert_eq!(label_errors, 2, "{got:#?}");
}

// upstream: the pod strategy rewrites a negative terminationGracePeriodSeconds
// to 1 before validateSleepAction reads it (PR 115606); a template keeps the
// negative value. (The crate reports the negative value itself, a documented
// deviation.)
#[test]
fn sleep_hook_against_a_negative_grace_period() {
    let sleepy = json!({"terminationGracePeriodSeconds": -1,
        "containers": [{"name": "c", "image": "x", "lifecycle": {"preStop": {"sleep": {"seconds": 0}}}}]});
    let pod = errors(&object("Pod", &json!({"spec": sleepy})));
    assert_eq!(pod.len(), 1, "{pod:#?}");
    assert!(pod[0].starts_with("spec.terminationGracePeriodSeconds: Invalid value: -1"), "{pod:#?}");
    let template = errors(&object("Deployment", &json!({"spec": {"template": {"spec": sleepy}}})));
    assert!(
        template.iter().any(|e| e.starts_with(
            "spec.template.spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0: must be non-negative and less than terminationGracePeriodSeconds (-1)"
        )),
        "{template:#?}"
    );
}

// upstream's ErrorBody (1.35) prints a value of a named Go string type
// (RestartPolicy, TolerationOperator, ...) through json.Marshal, which
// escapes `<` and `>`, and a plain Go string with %q (a resourceFieldRef's
// `resource` is one).
#[test]
fn named_string_values_print_as_json() {
    let got = errors(&object(
        "Pod",
        &json!({"spec": {"restartPolicy": "<x>",
            "tolerations": [{"operator": "<y>"}],
            "containers": [{"name": "c", "image": "x",
                "env": [{"name": "E", "valueFrom": {"resourceFieldRef": {"resource": "limits.<z>"}}}]}]}}),
    ));
    let has = |prefix: &str| got.iter().any(|e| e.starts_with(prefix));
    assert!(has("spec.restartPolicy: Unsupported value: \"\\u003cx\\u003e\": supported values:"), "{got:#?}");
    assert!(
        has("spec.tolerations[0].operator: Invalid value: \"\\u003cy\\u003e\": operator must be Exists"),
        "{got:#?}"
    );
    assert!(
        has(
            "spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: \"limits.<z>\""
        ),
        "{got:#?}"
    );
}

// upstream: apps validation.go ValidateControllerRevisionCreate (cases of
// validation_test.go TestValidateControllerRevision "nil data" and
// "negative revision"): `data` is mandatory and `revision` is not
// negative, after the metadata checks.
#[test]
fn controller_revision_data_and_revision() {
    let revision = |extra: Value| -> Object {
        let mut v = json!({"apiVersion": "apps/v1", "kind": "ControllerRevision",
                           "metadata": {"name": "web-1", "namespace": "default"}, "revision": 1});
        if let (Some(o), Value::Object(e)) = (v.as_object_mut(), extra) {
            o.extend(e);
        }
        serde_json::from_value(v).expect("revision")
    };
    assert_eq!(errors(&revision(json!({"data": {"spec": {}}}))), Vec::<String>::new());
    assert_eq!(errors(&revision(json!({}))), ["data: Required value: data is mandatory"]);
    assert_eq!(errors(&revision(json!({"data": null}))), ["data: Required value: data is mandatory"]);
    assert_eq!(
        errors(&revision(json!({"data": {}, "revision": -1}))),
        ["revision: Invalid value: -1: must be greater than or equal to 0"]
    );
    assert_eq!(
        errors(&revision(json!({"metadata": {"name": "Bad_Name", "namespace": "default"}, "revision": -2}))),
        [
            "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "data: Required value: data is mandatory",
            "revision: Invalid value: -2: must be greater than or equal to 0",
        ]
    );
}
