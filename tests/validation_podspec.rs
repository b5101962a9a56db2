//! Table tests for the pod-spec rules beyond containers and volumes:
//! `env[*].valueFrom` contents, `envFrom`, pod and container security
//! contexts, OS-specific and host-namespace rules, affinity, topology
//! spread constraints, DNS config, host aliases, resource claims, overhead
//! and pod-level resources.
//!
//! Each table names the upstream test it mirrors, in
//! kubernetes/kubernetes pkg/apis/core/validation/validation_test.go (CV).
//! The test file is too large for the index used while writing these, so
//! the cases were derived from the validation code itself
//! (pkg/apis/core/validation/validation.go) and the test names are cited
//! from memory.

use kube_workloads::api::Object;
use kube_workloads::{FeatureGates, defaults, validation};
use serde_json::{Value, json};

/// RFC 7396 JSON merge patch.
fn merge(base: &mut Value, patch: &Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    b.remove(k);
                } else {
                    merge(b.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (b, p) => *b = p.clone(),
    }
}

fn base(kind: &str) -> Value {
    let meta = json!({"name": "x", "namespace": "default"});
    let container = json!({"name": "c", "image": "nginx:1.27"});
    match kind {
        "Pod" => {
            json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": [container]}})
        }
        "Deployment" => json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
            "spec": {"selector": {"matchLabels": {"app": "x"}},
                     "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [container]}}}}),
        other => panic!("no base for {other}"),
    }
}

fn errors_with(kind: &str, patch: &Value, gates: &FeatureGates) -> Vec<String> {
    let mut doc = base(kind);
    merge(&mut doc, patch);
    let obj = defaults::applied(Object::from_value(doc).expect("decodes"));
    match validation::validate_with_gates(&obj, gates) {
        Ok(()) => Vec::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    }
}

/// Each case: (name, patch of a Pod, expected error prefixes, all of them,
/// in any order).
fn run(cases: &[(&str, Value, &[&str])]) {
    run_kind("Pod", cases);
}

fn run_kind(kind: &str, cases: &[(&str, Value, &[&str])]) {
    run_gated(kind, &FeatureGates::default(), cases);
}

fn run_gated(kind: &str, gates: &FeatureGates, cases: &[(&str, Value, &[&str])]) {
    let mut bad = Vec::new();
    for (name, patch, expected) in cases {
        let got = errors_with(kind, patch, gates);
        let ok = got.len() == expected.len() && expected.iter().all(|e| got.iter().any(|g| g.starts_with(e)));
        if !ok {
            bad.push(format!("{name}: expected {expected:?}\n    got {got:#?}"));
        }
    }
    assert!(bad.is_empty(), "{} cases failed:\n{}", bad.len(), bad.join("\n"));
}

fn with_container(c: Value) -> Value {
    json!({"spec": {"containers": [c]}})
}

fn env(value_from: Value) -> Value {
    with_container(json!({"name": "c", "image": "x", "env": [{"name": "V", "valueFrom": value_from}]}))
}

const ENV: &str = "spec.containers[0].env[0].valueFrom";

// upstream: CV TestValidateEnv (validateEnvVarValueFrom and the selectors)
#[test]
fn env_value_from() {
    run(&[
        ("fieldRef name", env(json!({"fieldRef": {"fieldPath": "metadata.name"}})), &[]),
        (
            "fieldRef spec.host (old name of spec.nodeName)",
            env(json!({"fieldRef": {"fieldPath": "spec.host"}})),
            &[],
        ),
        ("fieldRef label subscript", env(json!({"fieldRef": {"fieldPath": "metadata.labels['app']"}})), &[]),
        (
            "fieldRef annotation subscript is lower-cased",
            env(json!({"fieldRef": {"fieldPath": "metadata.annotations['Example.com/Note']"}})),
            &[],
        ),
        (
            "resourceFieldRef",
            env(json!({"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}})),
            &[],
        ),
        (
            "resourceFieldRef memory Mi",
            env(json!({"resourceFieldRef": {"resource": "requests.memory", "divisor": "1Mi"}})),
            &[],
        ),
        (
            "resourceFieldRef memory 1000 is 1k",
            env(json!({"resourceFieldRef": {"resource": "requests.memory", "divisor": "1000"}})),
            &[],
        ),
        (
            // upstream compares the divisor's String(), which keeps `+1`
            // and `1e0` as written.
            "resourceFieldRef cpu divisor +1",
            env(json!({"resourceFieldRef": {"resource": "limits.cpu", "divisor": "+1"}})),
            &[
                "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the cpu resource",
            ],
        ),
        (
            "resourceFieldRef memory divisor 1e0",
            env(json!({"resourceFieldRef": {"resource": "limits.memory", "divisor": "1e0"}})),
            &[
                "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.memory\"",
            ],
        ),
        (
            "resourceFieldRef memory 0.9765625Ki is 1000, printed 1k",
            env(json!({"resourceFieldRef": {"resource": "limits.memory", "divisor": "0.9765625Ki"}})),
            &[],
        ),
        (
            "resourceFieldRef hugepages",
            env(json!({"resourceFieldRef": {"resource": "requests.hugepages-2Mi"}})),
            &[],
        ),
        ("configMapKeyRef", env(json!({"configMapKeyRef": {"name": "cm", "key": "KEY_NAME"}})), &[]),
        (
            "secretKeyRef",
            env(json!({"secretKeyRef": {"name": "s", "key": "key.name", "optional": true}})),
            &[],
        ),
        // The 1.35 text: EnvFiles is beta and on, so fileKeyRef is named
        // (validateEnvVarValueFrom with AllowEnvFilesValidation).
        (
            "no source",
            env(json!({})),
            &[
                "spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`",
            ],
        ),
        (
            "value and valueFrom",
            with_container(json!({"name": "c", "image": "x", "env": [{"name": "V", "value": "v",
                "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}]})),
            &[
                "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
            ],
        ),
        (
            "two sources",
            env(
                json!({"fieldRef": {"fieldPath": "metadata.name"}, "secretKeyRef": {"name": "s", "key": "k"}}),
            ),
            &[
                "spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not have more than one field specified at a time",
            ],
        ),
        (
            "fieldPath unknown",
            env(json!({"fieldRef": {"fieldPath": "metadata.whoops"}})),
            &[
                "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.whoops\": error converting fieldPath: field label not supported: metadata.whoops",
            ],
        ),
        (
            "fieldPath convertible but not for env",
            env(json!({"fieldRef": {"fieldPath": "spec.restartPolicy"}})),
            &[
                "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"spec.restartPolicy\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"",
            ],
        ),
        (
            "fieldPath whole labels map",
            env(json!({"fieldRef": {"fieldPath": "metadata.labels"}})),
            &[
                "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"metadata.labels\"",
            ],
        ),
        (
            "apiVersion v2",
            env(json!({"fieldRef": {"apiVersion": "v2", "fieldPath": "metadata.name"}})),
            &[
                "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.name\": error converting fieldPath: unsupported pod version: v2",
            ],
        ),
        (
            "subscript on a plain field",
            env(json!({"fieldRef": {"fieldPath": "metadata.name['x']"}})),
            &[
                "spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: \"metadata.name['x']\": error converting fieldPath: field label does not support subscript: metadata.name['x']",
            ],
        ),
        (
            "label subscript not a qualified name",
            env(json!({"fieldRef": {"fieldPath": "metadata.labels['bad key']"}})),
            &[
                "spec.containers[0].env[0].valueFrom.fieldRef: Invalid value: \"bad key\": name part must consist of",
            ],
        ),
        (
            "fieldPath missing",
            env(json!({"fieldRef": {}})),
            &["spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Required value"],
        ),
        (
            "resource missing",
            env(json!({"resourceFieldRef": {}})),
            &["spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Required value"],
        ),
        (
            "resource unknown",
            env(json!({"resourceFieldRef": {"resource": "limits.gpu"}})),
            &[
                "spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: \"limits.gpu\": supported values: \"limits.cpu\", \"limits.ephemeral-storage\", \"limits.memory\", \"requests.cpu\", \"requests.ephemeral-storage\", \"requests.memory\"",
            ],
        ),
        (
            "cpu divisor in bytes",
            env(json!({"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1Mi"}})),
            &[
                "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.cpu\": only divisor's values 1m and 1 are supported with the cpu resource",
            ],
        ),
        (
            "memory divisor 2",
            env(json!({"resourceFieldRef": {"resource": "limits.memory", "divisor": "2"}})),
            &[
                "spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: \"limits.memory\": only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource",
            ],
        ),
        (
            "configMapKeyRef key missing",
            env(json!({"configMapKeyRef": {"name": "cm"}})),
            &["spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Required value"],
        ),
        (
            "configMapKeyRef key bad",
            env(json!({"configMapKeyRef": {"name": "cm", "key": "a b"}})),
            &[
                "spec.containers[0].env[0].valueFrom.configMapKeyRef.key: Invalid value: \"a b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
            ],
        ),
        (
            "secretKeyRef key ..",
            env(json!({"secretKeyRef": {"name": "s", "key": ".."}})),
            &[
                "spec.containers[0].env[0].valueFrom.secretKeyRef.key: Invalid value: \"..\": must not be '..'",
            ],
        ),
        (
            // upstream validates the name as a subdomain without a Required
            // check, so an empty name is Invalid.
            "secretKeyRef name empty",
            env(json!({"secretKeyRef": {"key": "k"}})),
            &[
                "spec.containers[0].env[0].valueFrom.secretKeyRef.name: Invalid value: \"\": a lowercase RFC 1123 subdomain",
            ],
        ),
        (
            "configMapKeyRef name upper case",
            env(json!({"configMapKeyRef": {"name": "Bad", "key": "k"}})),
            &["spec.containers[0].env[0].valueFrom.configMapKeyRef.name: Invalid value: \"Bad\""],
        ),
    ]);
    let _ = ENV;
}

// upstream: CV TestValidateEnvFrom
#[test]
fn env_from() {
    let ef = |sources: Value| with_container(json!({"name": "c", "image": "x", "envFrom": sources}));
    run(&[
        ("configMapRef with prefix-style name", ef(json!([{"configMapRef": {"name": "cm-"}}])), &[]),
        ("secretRef with prefix", ef(json!([{"prefix": "P_", "secretRef": {"name": "s"}}])), &[]),
        (
            "no source",
            ef(json!([{}])),
            &[
                "spec.containers[0].envFrom: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`",
            ],
        ),
        (
            "both sources",
            ef(json!([{"configMapRef": {"name": "a"}, "secretRef": {"name": "b"}}])),
            &[
                "spec.containers[0].envFrom: Invalid value: \"\": may not have more than one field specified at a time",
            ],
        ),
        (
            "both sources, both names checked",
            ef(json!([{"configMapRef": {"name": "A"}, "secretRef": {"name": "B"}}])),
            &[
                "spec.containers[0].envFrom[0].configMapRef.name: Invalid value: \"A\"",
                "spec.containers[0].envFrom[0].secretRef.name: Invalid value: \"B\"",
                "spec.containers[0].envFrom: Invalid value: \"\": may not have more than one field",
            ],
        ),
        (
            "name with underscore",
            ef(json!([{"configMapRef": {"name": "a_b"}}])),
            &["spec.containers[0].envFrom[0].configMapRef.name: Invalid value: \"a_b\""],
        ),
        (
            "name missing",
            ef(json!([{"secretRef": {}}])),
            &["spec.containers[0].envFrom[0].secretRef.name: Required value"],
        ),
    ]);
}

const RANGE: &str = "must be between 0 and 2147483647, inclusive";

// upstream: Convert_v1_PodSpec_To_core_PodSpec always allocates the
// internal security context that holds shareProcessNamespace and hostPID,
// so validatePodSpecSecurityContext checks the pair on a pod written
// without one (here validated before defaulting gives it `{}`).
#[test]
fn share_process_namespace_with_host_pid_without_a_security_context() {
    let mut doc = base("Pod");
    merge(&mut doc, &json!({"spec": {"shareProcessNamespace": true, "hostPID": true}}));
    let pod = Object::from_value(doc).expect("decodes");
    let errors = validation::validate(&pod).expect_err("invalid");
    // The other errors are the fields defaulting would have set.
    let got: Vec<String> = errors
        .errors
        .iter()
        .map(ToString::to_string)
        .filter(|e| e.starts_with("spec.securityContext"))
        .collect();
    assert_eq!(
        got,
        [
            "spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled"
        ]
    );
}

// upstream: CV TestValidatePodSpec (security context cases), TestValidateSysctls
#[test]
fn pod_security_context() {
    let sc = |v: Value| json!({"spec": {"securityContext": v}});
    let r = |p: &str| format!("{p}: Invalid value: -1: {RANGE}");
    run(&[
        (
            "valid",
            sc(json!({"runAsUser": 1000, "runAsGroup": 0, "fsGroup": 2000, "supplementalGroups": [1, 2],
                      "fsGroupChangePolicy": "OnRootMismatch", "seccompProfile": {"type": "RuntimeDefault"},
                      "appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-apparmor"},
                      "sysctls": [{"name": "kernel.shm_rmid_forced", "value": "0"},
                                  {"name": "net.ipv4.conf.eno2/100.rp_filter", "value": "1"}],
                      "supplementalGroupsPolicy": "Strict", "seLinuxChangePolicy": "Recursive",
                      "windowsOptions": {"runAsUserName": "DOMAIN\\user"}})),
            &[],
        ),
        ("runAsUser negative", sc(json!({"runAsUser": -1})), &[&r("spec.securityContext.runAsUser")]),
        ("runAsGroup negative", sc(json!({"runAsGroup": -1})), &[&r("spec.securityContext.runAsGroup")]),
        ("fsGroup negative", sc(json!({"fsGroup": -1})), &[&r("spec.securityContext.fsGroup")]),
        (
            "runAsUser too large",
            sc(json!({"runAsUser": 2147483648i64})),
            &[
                "spec.securityContext.runAsUser: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive",
            ],
        ),
        (
            "supplementalGroups negative",
            sc(json!({"supplementalGroups": [5, -1]})),
            &[&r("spec.securityContext.supplementalGroups[1]")],
        ),
        (
            "fsGroupChangePolicy bad",
            sc(json!({"fsGroupChangePolicy": "Sometimes"})),
            &[
                "spec.securityContext.fsGroupChangePolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnRootMismatch\"",
            ],
        ),
        (
            "shareProcessNamespace with hostPID",
            json!({"spec": {"shareProcessNamespace": true, "hostPID": true}}),
            &[
                "spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled",
            ],
        ),
        (
            "sysctl name bad",
            sc(json!({"sysctls": [{"name": "Kernel.Bad", "value": "1"}]})),
            &[
                "spec.securityContext.sysctls[0].name: Invalid value: \"Kernel.Bad\": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$",
            ],
        ),
        (
            "sysctl name missing",
            sc(json!({"sysctls": [{"value": "1"}]})),
            &["spec.securityContext.sysctls[0].name: Required value"],
        ),
        (
            "sysctl duplicate",
            sc(
                json!({"sysctls": [{"name": "kernel.msgmax", "value": "1"}, {"name": "kernel.msgmax", "value": "2"}]}),
            ),
            &["spec.securityContext.sysctls[1].name: Duplicate value: \"kernel.msgmax\""],
        ),
        (
            "net sysctl with hostNetwork",
            json!({"spec": {"hostNetwork": true, "securityContext": {"sysctls": [{"name": "net.ipv4.ip_forward", "value": "1"}]}}}),
            &[
                "spec.securityContext.sysctls[0].name: Invalid value: \"net.ipv4.ip_forward\": may not be specified when 'hostNetwork' is true",
            ],
        ),
        (
            "slash-separated net sysctl with hostNetwork",
            json!({"spec": {"hostNetwork": true, "securityContext": {"sysctls": [{"name": "net/ipv4/ip_forward", "value": "1"}]}}}),
            &[
                "spec.securityContext.sysctls[0].name: Invalid value: \"net/ipv4/ip_forward\": may not be specified when 'hostNetwork' is true",
            ],
        ),
        (
            "ipc sysctl with hostIPC",
            json!({"spec": {"hostIPC": true, "securityContext": {"sysctls": [{"name": "kernel.shmmax", "value": "1"}]}}}),
            &[
                "spec.securityContext.sysctls[0].name: Invalid value: \"kernel.shmmax\": may not be specified when 'hostIPC' is true",
            ],
        ),
        // upstream: sysctl GetNamespace cuts at the first '*' and knows IPC
        // sysctls by exact name (kernel.shm_next_id is none of them), with
        // only net. and fs.mqueue. as prefixes.
        (
            "an unlisted kernel.shm sysctl with hostIPC is fine",
            json!({"spec": {"hostIPC": true, "securityContext": {"sysctls": [{"name": "kernel.shm_next_id", "value": "1"}]}}}),
            &[],
        ),
        (
            "a wildcard IPC sysctl with hostIPC",
            json!({"spec": {"hostIPC": true, "securityContext": {"sysctls": [{"name": "kernel.sem*", "value": "1"}]}}}),
            &[
                "spec.securityContext.sysctls[0].name: Invalid value: \"kernel.sem*\": must have at most 253 characters",
                "spec.securityContext.sysctls[0].name: Invalid value: \"kernel.sem*\": may not be specified when 'hostIPC' is true",
            ],
        ),
        (
            "ipc sysctl with hostNetwork is fine",
            json!({"spec": {"hostNetwork": true, "securityContext": {"sysctls": [{"name": "kernel.shmmax", "value": "1"}]}}}),
            &[],
        ),
        (
            "seccomp type missing",
            sc(json!({"seccompProfile": {}})),
            &[
                "spec.securityContext.seccompProfile.type: Required value: type is required when seccompProfile is set",
            ],
        ),
        (
            "seccomp type bad",
            sc(json!({"seccompProfile": {"type": "Strict"}})),
            &[
                "spec.securityContext.seccompProfile.type: Unsupported value: \"Strict\": supported values: \"Localhost\", \"RuntimeDefault\", \"Unconfined\"",
            ],
        ),
        (
            "seccomp Localhost without profile",
            sc(json!({"seccompProfile": {"type": "Localhost"}})),
            &[
                "spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost",
            ],
        ),
        (
            "seccomp Localhost absolute",
            sc(json!({"seccompProfile": {"type": "Localhost", "localhostProfile": "/etc/p.json"}})),
            &[
                "spec.securityContext.seccompProfile.localhostProfile: Invalid value: \"/etc/p.json\": must be a relative path",
            ],
        ),
        (
            "seccomp Localhost backsteps",
            sc(json!({"seccompProfile": {"type": "Localhost", "localhostProfile": "a/../b"}})),
            &[
                "spec.securityContext.seccompProfile.localhostProfile: Invalid value: \"a/../b\": must not contain '..'",
            ],
        ),
        (
            "seccomp profile without Localhost",
            sc(json!({"seccompProfile": {"type": "RuntimeDefault", "localhostProfile": "p"}})),
            &[
                "spec.securityContext.seccompProfile.localhostProfile: Invalid value: {\"localhostProfile\":\"p\",\"type\":\"RuntimeDefault\"}: can only be set when seccomp type is Localhost",
            ],
        ),
        (
            "apparmor Localhost without profile",
            sc(json!({"appArmorProfile": {"type": "Localhost"}})),
            &[
                "spec.securityContext.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost",
            ],
        ),
        (
            "apparmor padded",
            sc(json!({"appArmorProfile": {"type": "Localhost", "localhostProfile": " p "}})),
            &[
                "spec.securityContext.appArmorProfile.localhostProfile: Invalid value: \" p \": must not be padded with whitespace",
            ],
        ),
        (
            "apparmor type missing",
            sc(json!({"appArmorProfile": {}})),
            &[
                "spec.securityContext.appArmorProfile.type: Required value: type is required when appArmorProfile is set",
            ],
        ),
        (
            "apparmor profile without Localhost",
            sc(json!({"appArmorProfile": {"type": "Unconfined", "localhostProfile": "p"}})),
            &[
                "spec.securityContext.appArmorProfile.localhostProfile: Invalid value: \"p\": can only be set when AppArmor type is Localhost",
            ],
        ),
        (
            "supplementalGroupsPolicy bad",
            sc(json!({"supplementalGroupsPolicy": "Loose"})),
            &[
                "spec.securityContext.supplementalGroupsPolicy: Unsupported value: \"Loose\": supported values: \"Merge\", \"Strict\"",
            ],
        ),
        // upstream: validateSELinuxChangePolicy with SELinuxMount off
        // (1.35's default) and no stored object: only Recursive.
        (
            "seLinuxChangePolicy bad",
            sc(json!({"seLinuxChangePolicy": "Never"})),
            &[
                "spec.securityContext.seLinuxChangePolicy: Unsupported value: \"Never\": supported values: \"Recursive\"",
            ],
        ),
        (
            "seLinuxChangePolicy MountOption without SELinuxMount",
            sc(json!({"seLinuxChangePolicy": "MountOption"})),
            &[
                "spec.securityContext.seLinuxChangePolicy: Unsupported value: \"MountOption\": supported values: \"Recursive\"",
            ],
        ),
        (
            "runAsUser of the wrong type",
            sc(json!({"runAsUser": "root"})),
            &["spec.securityContext.runAsUser: Invalid value: \"root\": must be an integer"],
        ),
    ]);
}

// upstream: CV TestValidateWindowsSecurityContextOptions
#[test]
fn windows_options() {
    let wo = |v: Value| json!({"spec": {"securityContext": {"windowsOptions": v}}});
    let p = "spec.securityContext.windowsOptions";
    run(&[
        (
            "valid",
            wo(
                json!({"gmsaCredentialSpecName": "spec", "gmsaCredentialSpec": "{}", "runAsUserName": "Container. User"}),
            ),
            &[],
        ),
        ("dns domain", wo(json!({"runAsUserName": "my.Domain-1\\user"})), &[]),
        (
            "spec name bad",
            wo(json!({"gmsaCredentialSpecName": "Bad_Name"})),
            &[&format!("{p}.gmsaCredentialSpecName: Invalid value: \"Bad_Name\"")],
        ),
        (
            "spec empty",
            wo(json!({"gmsaCredentialSpec": ""})),
            &[&format!(
                "{p}.gmsaCredentialSpec: Invalid value: \"\": gmsaCredentialSpec cannot be an empty string"
            )],
        ),
        (
            "user empty",
            wo(json!({"runAsUserName": ""})),
            &[&format!("{p}.runAsUserName: Invalid value: \"\": runAsUserName cannot be an empty string")],
        ),
        (
            "two backslashes",
            wo(json!({"runAsUserName": "a\\b\\c"})),
            &[&format!(
                "{p}.runAsUserName: Invalid value: \"a\\\\b\\\\c\": runAsUserName cannot contain more than one backslash"
            )],
        ),
        (
            "control character",
            wo(json!({"runAsUserName": "a\u{7}b"})),
            &[&format!(
                "{p}.runAsUserName: Invalid value: \"a\\ab\": runAsUserName cannot contain control characters"
            )],
        ),
        (
            "domain bad",
            wo(json!({"runAsUserName": ".dom*ain\\user"})),
            &[&format!(
                "{p}.runAsUserName: Invalid value: \".dom*ain\\\\user\": runAsUserName's Domain doesn't match the NetBios nor the DNS format"
            )],
        ),
        (
            "user missing",
            wo(json!({"runAsUserName": "domain\\"})),
            &[&format!(
                "{p}.runAsUserName: Invalid value: \"domain\\\\\": runAsUserName's User cannot be empty"
            )],
        ),
        (
            "user dots",
            wo(json!({"runAsUserName": ".. ."})),
            &[&format!(
                "{p}.runAsUserName: Invalid value: \".. .\": runAsUserName's User cannot contain only periods or spaces"
            )],
        ),
        (
            "user chars",
            wo(json!({"runAsUserName": "us@er"})),
            &[&format!(
                "{p}.runAsUserName: Invalid value: \"us@er\": runAsUserName's User cannot contain the following characters: \"/\\:;|=,+*?<>@[]"
            )],
        ),
        (
            "user too long",
            wo(json!({"runAsUserName": "u".repeat(105)})),
            &[&format!(
                "{p}.runAsUserName: Invalid value: \"{}\": runAsUserName's User length must not be longer than 104 characters",
                "u".repeat(105)
            )],
        ),
    ]);
}

// upstream: CV TestValidateSecurityContext
#[test]
fn container_security_context() {
    let sc = |v: Value| with_container(json!({"name": "c", "image": "x", "securityContext": v}));
    let p = "spec.containers[0].securityContext";
    run(&[
        (
            "valid",
            sc(
                json!({"runAsUser": 0, "runAsGroup": 3000, "runAsNonRoot": false, "readOnlyRootFilesystem": true,
                      "allowPrivilegeEscalation": false, "capabilities": {"add": ["NET_ADMIN"], "drop": ["ALL"]},
                      "seccompProfile": {"type": "Unconfined"}, "procMount": "Default"}),
            ),
            &[],
        ),
        // Deviation: --allow-privileged is taken to be on.
        ("privileged", sc(json!({"privileged": true})), &[]),
        (
            "runAsUser negative",
            sc(json!({"runAsUser": -5})),
            &[&format!("{p}.runAsUser: Invalid value: -5: {RANGE}")],
        ),
        (
            "runAsGroup negative",
            sc(json!({"runAsGroup": -5})),
            &[&format!("{p}.runAsGroup: Invalid value: -5: {RANGE}")],
        ),
        (
            "procMount bad",
            sc(json!({"procMount": "Masked"})),
            &[&format!(
                "{p}.procMount: Unsupported value: \"Masked\": supported values: \"Default\", \"Unmasked\""
            )],
        ),
        (
            "procMount Unmasked with host users",
            sc(json!({"procMount": "Unmasked"})),
            &[&format!(
                "{p}.procMount: Invalid value: \"Unmasked\": `hostUsers` must be false to use `Unmasked`"
            )],
        ),
        (
            "procMount Unmasked in a user namespace",
            json!({"spec": {"hostUsers": false, "containers": [{"name": "c", "image": "x", "securityContext": {"procMount": "Unmasked"}}]}}),
            &[],
        ),
        (
            "no escalation but privileged",
            sc(json!({"allowPrivilegeEscalation": false, "privileged": true})),
            &[&format!(
                "{p}: Invalid value: {{\"allowPrivilegeEscalation\":false,\"privileged\":true}}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true"
            )],
        ),
        (
            "no escalation but CAP_SYS_ADMIN",
            sc(json!({"allowPrivilegeEscalation": false, "capabilities": {"add": ["CAP_SYS_ADMIN"]}})),
            &[&format!(
                "{p}: Invalid value: {{\"allowPrivilegeEscalation\":false,\"capabilities\":{{\"add\":[\"CAP_SYS_ADMIN\"]}}}}: cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"
            )],
        ),
        (
            "seccomp",
            sc(json!({"seccompProfile": {"type": "Localhost"}})),
            &[&format!("{p}.seccompProfile.localhostProfile: Required value")],
        ),
        (
            "apparmor",
            sc(json!({"appArmorProfile": {"type": "Complain"}})),
            &[&format!("{p}.appArmorProfile.type: Unsupported value: \"Complain\"")],
        ),
        (
            "windows options",
            sc(json!({"windowsOptions": {"runAsUserName": ""}})),
            &[&format!("{p}.windowsOptions.runAsUserName: Invalid value: \"\"")],
        ),
        (
            "init container",
            json!({"spec": {"initContainers": [{"name": "i", "image": "x", "securityContext": {"runAsUser": -1}}]}}),
            &[&format!("spec.initContainers[0].securityContext.runAsUser: Invalid value: -1: {RANGE}")],
        ),
    ]);
}

// upstream: CV TestValidatePodSpec (validateLinux / validateWindows cases),
// TestValidateWindowsHostProcessPod, and the hostUsers cases (validateHostUsers)
#[test]
fn os_user_namespace_and_host_process() {
    let windows = |spec: Value| {
        let mut s = json!({"os": {"name": "windows"}});
        merge(&mut s, &spec);
        json!({"spec": s})
    };
    run(&[
        ("linux pod", json!({"spec": {"os": {"name": "linux"}, "securityContext": {"runAsUser": 1}}}), &[]),
        (
            "linux pod with windows options",
            json!({"spec": {"os": {"name": "linux"}, "securityContext": {"windowsOptions": {}},
                "containers": [{"name": "c", "image": "x", "securityContext": {"windowsOptions": {"runAsUserName": "u"}}}]}}),
            &[
                "spec.securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod",
                "spec.containers[0].securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod",
            ],
        ),
        ("windows pod", windows(json!({"securityContext": {"windowsOptions": {"runAsUserName": "u"}}})), &[]),
        (
            "windows pod with linux settings",
            windows(json!({"hostPID": true, "shareProcessNamespace": false,
                "securityContext": {"runAsUser": 1, "fsGroup": 2, "seccompProfile": {"type": "RuntimeDefault"},
                                    "sysctls": [{"name": "kernel.msgmax", "value": "1"}]},
                "containers": [{"name": "c", "image": "x", "securityContext": {"capabilities": {}, "privileged": false}}]})),
            &[
                "spec.hostPID: Forbidden: cannot be set for a windows pod",
                "spec.shareProcessNamespace: Forbidden: cannot be set for a windows pod",
                "spec.securityContext.runAsUser: Forbidden: cannot be set for a windows pod",
                "spec.securityContext.fsGroup: Forbidden: cannot be set for a windows pod",
                "spec.securityContext.seccompProfile: Forbidden: cannot be set for a windows pod",
                "spec.securityContext.sysctls: Forbidden: cannot be set for a windows pod",
                "spec.containers[0].securityContext.capabilities: Forbidden: cannot be set for a windows pod",
                "spec.containers[0].securityContext.privileged: Forbidden: cannot be set for a windows pod",
            ],
        ),
        (
            "windows pod with hostUsers",
            windows(json!({"hostUsers": true})),
            &["spec.hostUsers: Forbidden: cannot be set for a windows pod"],
        ),
        ("user namespace", json!({"spec": {"hostUsers": false}}), &[]),
        // validateHostUsers since 1.34 (kubernetes PR 132868): block
        // devices do not work in a user namespace.
        (
            "user namespace with a block device",
            json!({"spec": {"hostUsers": false,
                "volumes": [{"name": "v", "persistentVolumeClaim": {"claimName": "c"}}],
                "containers": [{"name": "c", "image": "x", "volumeDevices": [{"name": "v", "devicePath": "/dev/x"}]}]}}),
            &["spec.containers[0].volumeDevices: Forbidden: when `hostUsers` is false"],
        ),
        (
            "user namespace with host namespaces",
            json!({"spec": {"hostUsers": false, "hostNetwork": true, "hostPID": true, "hostIPC": true}}),
            &[
                "spec.hostNetwork: Forbidden: when `hostUsers` is false",
                "spec.HostPID: Forbidden: when `hostUsers` is false",
                "spec.HostIPC: Forbidden: when `hostUsers` is false",
            ],
        ),
        (
            "host process pod",
            windows(
                json!({"hostNetwork": true, "securityContext": {"windowsOptions": {"hostProcess": true}}}),
            ),
            &[],
        ),
        (
            "host process without host network",
            windows(json!({"securityContext": {"windowsOptions": {"hostProcess": true}}})),
            &[
                "spec.hostNetwork: Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers",
            ],
        ),
        (
            "some host process containers",
            windows(json!({"hostNetwork": true, "containers": [
                {"name": "a", "image": "x", "securityContext": {"windowsOptions": {"hostProcess": true}}},
                {"name": "b", "image": "x"}]})),
            &[
                "spec: Invalid value: \"\": If pod contains any hostProcess containers then all containers must be HostProcess containers",
            ],
        ),
        (
            "container disagrees with pod",
            windows(
                json!({"hostNetwork": true, "securityContext": {"windowsOptions": {"hostProcess": true}},
                "containers": [{"name": "a", "image": "x", "securityContext": {"windowsOptions": {"hostProcess": false}}}]}),
            ),
            &[
                // The explicit false wins for the count, so no container
                // is a host-process one.
                "spec.containers[0].securityContext.windowsOptions.hostProcess: Invalid value: false: pod hostProcess value must be identical if both are specified, was true",
            ],
        ),
    ]);
}

fn node_affinity(required: Value) -> Value {
    json!({"spec": {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": required}}}}})
}

fn pod_affinity(kind: &str, body: Value) -> Value {
    json!({"spec": {"affinity": {kind: body}}})
}

const NA: &str =
    "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
const PA: &str = "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";
const PAA: &str = "spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]";

// upstream: CV TestValidatePod / TestValidatePodSpec affinity cases
// (validateNodeAffinity, validatePodAffinity, validatePodAntiAffinity)
#[test]
fn affinity() {
    let term = |t: Value| {
        json!({"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "zone"})
            .as_object()
            .map(|o| {
                let mut v = Value::Object(o.clone());
                merge(&mut v, &t);
                v
            })
            .unwrap_or(Value::Null)
    };
    run(&[
        (
            "valid",
            json!({"spec": {"affinity": {
                "nodeAffinity": {
                    "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                        {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a", "b"]},
                                              {"key": "cores", "operator": "Gt", "values": ["4"]},
                                              {"key": "gpu", "operator": "DoesNotExist"}],
                         "matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["node-1"]}]}]},
                    "preferredDuringSchedulingIgnoredDuringExecution": [
                        {"weight": 10, "preference": {"matchExpressions": [{"key": "k", "operator": "In", "values": ["not a label value!"]}]}}]},
                "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["db"]}]},
                     "topologyKey": "kubernetes.io/hostname", "namespaces": ["default"],
                     "namespaceSelector": {}, "matchLabelKeys": ["pod-template-hash"], "mismatchLabelKeys": ["tenant"]}]},
                "podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 100, "podAffinityTerm": {"labelSelector": {"matchLabels": {"app": "web"}}, "topologyKey": "zone"}}]}}}}),
            &[],
        ),
        (
            "no terms",
            node_affinity(json!([])),
            &[&format!("{NA}: Required value: must have at least one node selector term")],
        ),
        (
            "In without values",
            node_affinity(json!([{"matchExpressions": [{"key": "k", "operator": "In"}]}])),
            &[&format!(
                "{NA}[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"
            )],
        ),
        (
            "Exists with values",
            node_affinity(
                json!([{"matchExpressions": [{"key": "k", "operator": "Exists", "values": ["v"]}]}]),
            ),
            &[&format!(
                "{NA}[0].matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
            )],
        ),
        (
            "Gt with two values",
            node_affinity(
                json!([{"matchExpressions": [{"key": "k", "operator": "Gt", "values": ["1", "2"]}]}]),
            ),
            &[&format!(
                "{NA}[0].matchExpressions[0].values: Required value: must be specified single value when `operator` is 'Lt' or 'Gt'"
            )],
        ),
        (
            "operator unknown",
            node_affinity(json!([{"matchExpressions": [{"key": "k", "operator": "Like", "values": ["v"]}]}])),
            &[&format!(
                "{NA}[0].matchExpressions[0].operator: Invalid value: \"Like\": not a valid selector operator"
            )],
        ),
        (
            "key bad",
            node_affinity(json!([{"matchExpressions": [{"key": "bad key", "operator": "Exists"}]}])),
            &[&format!(
                "{NA}[0].matchExpressions[0].key: Invalid value: \"bad key\": name part must consist of"
            )],
        ),
        (
            "required value bad",
            node_affinity(json!([{"matchExpressions": [{"key": "k", "operator": "In", "values": ["a b"]}]}])),
            &[&format!("{NA}[0].matchExpressions[0].values[0]: Invalid value: \"a b\"")],
        ),
        (
            "field key bad",
            node_affinity(
                json!([{"matchFields": [{"key": "metadata.labels", "operator": "In", "values": ["x"]}]}]),
            ),
            &[&format!(
                "{NA}[0].matchFields[0].key: Invalid value: \"metadata.labels\": not a valid field selector key"
            )],
        ),
        (
            "field two values",
            node_affinity(
                json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a", "b"]}]}]),
            ),
            &[&format!(
                "{NA}[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector"
            )],
        ),
        (
            "field operator Exists",
            node_affinity(json!([{"matchFields": [{"key": "metadata.name", "operator": "Exists"}]}])),
            &[&format!(
                "{NA}[0].matchFields[0].operator: Invalid value: \"Exists\": not a valid selector operator"
            )],
        ),
        (
            "field value not a node name",
            node_affinity(
                json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["Node_1"]}]}]),
            ),
            &[&format!("{NA}[0].matchFields[0].values[0]: Invalid value: \"Node_1\"")],
        ),
        (
            "preferred weight 0",
            json!({"spec": {"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 0, "preference": {}}]}}}}),
            &[
                "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
            ],
        ),
        (
            "topologyKey missing",
            pod_affinity(
                "podAffinity",
                json!({"requiredDuringSchedulingIgnoredDuringExecution": [term(json!({"topologyKey": null}))]}),
            ),
            &[
                &format!("{PA}.topologyKey: Required value: can not be empty"),
                &format!("{PA}.topologyKey: Invalid value: \"\": name part must be non-empty"),
                &format!("{PA}.topologyKey: Invalid value: \"\": name part must consist of"),
            ],
        ),
        (
            "selector operator bad",
            pod_affinity(
                "podAffinity",
                json!({"requiredDuringSchedulingIgnoredDuringExecution": [
                term(json!({"labelSelector": {"matchExpressions": [{"key": "a", "operator": "Within", "values": ["b"]}]}}))]}),
            ),
            &[&format!(
                "{PA}.labelSelector.matchExpressions[0].operator: Invalid value: \"Within\": not a valid selector operator"
            )],
        ),
        (
            "namespace bad (reported on `namespace`)",
            pod_affinity(
                "podAffinity",
                json!({"requiredDuringSchedulingIgnoredDuringExecution": [term(json!({"namespaces": ["Bad_NS"]}))]}),
            ),
            &[&format!("{PA}.namespace: Invalid value: \"Bad_NS\"")],
        ),
        (
            "namespaceSelector bad",
            pod_affinity(
                "podAffinity",
                json!({"requiredDuringSchedulingIgnoredDuringExecution": [
                term(json!({"namespaceSelector": {"matchLabels": {"team": "a b"}}}))]}),
            ),
            &[&format!("{PA}.namespaceSelector.matchLabels: Invalid value: \"a b\"")],
        ),
        (
            "matchLabelKeys without labelSelector",
            pod_affinity(
                "podAffinity",
                json!({"requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": "zone", "matchLabelKeys": ["app"]}]}),
            ),
            &[&format!(
                "{PA}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set"
            )],
        ),
        (
            "key in matchLabelKeys and mismatchLabelKeys",
            pod_affinity(
                "podAffinity",
                json!({"requiredDuringSchedulingIgnoredDuringExecution": [
                term(json!({"matchLabelKeys": ["tenant"], "mismatchLabelKeys": ["tenant"]}))]}),
            ),
            &[&format!(
                "{PA}.matchLabelKeys[0]: Invalid value: \"tenant\": exists in both matchLabelKeys and mismatchLabelKeys"
            )],
        ),
        (
            "key in matchLabelKeys and the selector twice",
            pod_affinity(
                "podAffinity",
                json!({"requiredDuringSchedulingIgnoredDuringExecution": [
                term(json!({"labelSelector": {"matchLabels": {"app": "db"}, "matchExpressions": [{"key": "app", "operator": "In", "values": ["db"]}]},
                            "matchLabelKeys": ["app"]}))]}),
            ),
            &[&format!("{PA}[0]: Invalid value: \"app\": exists in both matchLabelKeys and labelSelector")],
        ),
        (
            "anti-affinity weight 101",
            pod_affinity(
                "podAntiAffinity",
                json!({"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 101, "podAffinityTerm": term(json!({}))}]}),
            ),
            &[&format!("{PAA}.weight: Invalid value: 101: must be in the range 1-100")],
        ),
        (
            "anti-affinity term bad key",
            pod_affinity(
                "podAntiAffinity",
                json!({"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 1, "podAffinityTerm": term(json!({"topologyKey": "a/b/c"}))}]}),
            ),
            &[&format!("{PAA}.podAffinityTerm.topologyKey: Invalid value: \"a/b/c\"")],
        ),
    ]);
}

fn spread(constraints: Value) -> Value {
    json!({"spec": {"topologySpreadConstraints": constraints}})
}

fn constraint(patch: Value) -> Value {
    let mut c = json!({"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule",
                       "labelSelector": {"matchLabels": {"app": "web"}}});
    merge(&mut c, &patch);
    c
}

const TS: &str = "spec.topologySpreadConstraints[0]";

// upstream: CV TestValidateTopologySpreadConstraints (matchLabelKeys cases)
// under MatchLabelKeysInPodTopologySpreadSelectorMerge (1.34+, on): a key
// of matchLabelKeys may also be a selector key (1.33 rejected that); it is
// wrong only where the selector names it twice. In a template, which the
// create strategy does not merge into, this is the whole rule.
#[test]
fn topology_spread_match_label_keys_in_templates() {
    let tpl = |c: Value| json!({"spec": {"template": {"spec": {"topologySpreadConstraints": [c]}}}});
    run_kind(
        "Deployment",
        &[
            ("matchLabelKeys key in matchLabels", tpl(constraint(json!({"matchLabelKeys": ["app"]}))), &[]),
            (
                "matchLabelKeys key twice in the selector",
                tpl(constraint(json!({
                    "labelSelector": {"matchLabels": {"app": "web"},
                                      "matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
                    "matchLabelKeys": ["tier", "app"]
                }))),
                &[
                    "spec.template.spec.topologySpreadConstraints[0][1]: Invalid value: \"app\": exists in both matchLabelKeys and labelSelector",
                ],
            ),
        ],
    );
}

// upstream: CV TestValidateTopologySpreadConstraints
#[test]
fn topology_spread_constraints() {
    run(&[
        (
            "valid",
            spread(json!([
                constraint(json!({"minDomains": 3, "matchLabelKeys": ["pod-template-hash"],
                                            "nodeAffinityPolicy": "Honor", "nodeTaintsPolicy": "Ignore"})),
                constraint(json!({"whenUnsatisfiable": "ScheduleAnyway"})),
                constraint(json!({"topologyKey": "kubernetes.io/hostname"}))
            ])),
            &[],
        ),
        (
            "maxSkew 0",
            spread(json!([constraint(json!({"maxSkew": 0}))])),
            &[&format!("{TS}.maxSkew: Invalid value: 0: must be greater than zero")],
        ),
        (
            "maxSkew missing",
            spread(json!([constraint(json!({"maxSkew": null}))])),
            &[&format!("{TS}.maxSkew: Invalid value: 0: must be greater than zero")],
        ),
        (
            "topologyKey empty",
            spread(json!([constraint(json!({"topologyKey": ""}))])),
            &[&format!("{TS}.topologyKey: Required value: can not be empty")],
        ),
        (
            "whenUnsatisfiable bad",
            spread(json!([constraint(json!({"whenUnsatisfiable": "Maybe"}))])),
            &[&format!(
                "{TS}.whenUnsatisfiable: Unsupported value: \"Maybe\": supported values: \"DoNotSchedule\", \"ScheduleAnyway\""
            )],
        ),
        (
            "duplicate pair",
            spread(json!([constraint(json!({})), constraint(json!({"maxSkew": 2}))])),
            &[&format!(
                "{TS}.{{topologyKey, whenUnsatisfiable}}: Duplicate value: \"{{zone, DoNotSchedule}}\""
            )],
        ),
        (
            "minDomains 0",
            spread(json!([constraint(json!({"minDomains": 0}))])),
            &[&format!("{TS}.minDomains: Invalid value: 0: must be greater than zero")],
        ),
        (
            "minDomains with ScheduleAnyway",
            spread(json!([constraint(json!({"minDomains": 2, "whenUnsatisfiable": "ScheduleAnyway"}))])),
            &[&format!(
                "{TS}.minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway"
            )],
        ),
        (
            "nodeTaintsPolicy bad",
            spread(json!([constraint(json!({"nodeTaintsPolicy": "Sometimes"}))])),
            &[&format!(
                "{TS}.nodeTaintsPolicy: Unsupported value: \"Sometimes\": supported values: \"Honor\", \"Ignore\""
            )],
        ),
        (
            // No key validation without a selector (1.34+), only this.
            "bad matchLabelKeys without selector",
            spread(json!([constraint(json!({"labelSelector": null, "matchLabelKeys": ["a/b/c"]}))])),
            &[&format!(
                "{TS}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set"
            )],
        ),
        (
            "matchLabelKeys without selector",
            spread(json!([constraint(json!({"labelSelector": null, "matchLabelKeys": ["v"]}))])),
            &[&format!(
                "{TS}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set"
            )],
        ),
        (
            "matchLabelKeys bad key",
            spread(json!([constraint(json!({"matchLabelKeys": ["a b"]}))])),
            &[&format!("{TS}.matchLabelKeys[0]: Invalid value: \"a b\"")],
        ),
        (
            "selector bad",
            spread(json!([constraint(
                json!({"labelSelector": {"matchExpressions": [{"key": "app", "operator": "In"}]}})
            )])),
            &[&format!("{TS}.labelSelector.matchExpressions[0].values: Required value")],
        ),
    ]);
}

// upstream: CV TestValidatePodDNSConfig
#[test]
fn dns_config() {
    let dns = |policy: &str, config: Value| json!({"spec": {"dnsPolicy": policy, "dnsConfig": config}});
    let long_search = "a".repeat(250);
    run(&[
        (
            "None with a nameserver",
            dns(
                "None",
                json!({"nameservers": ["1.2.3.4", "2001:db8::1"], "searches": ["my.domain", "_srv._tcp.example.com", ".", "trailing.dot."],
                               "options": [{"name": "ndots", "value": "2"}]}),
            ),
            &[],
        ),
        ("ClusterFirst with options only", dns("ClusterFirst", json!({"options": [{"name": "edns0"}]})), &[]),
        (
            // netutils.ParseIPSloppy drops the leading zeros of a dotted
            // quad, alone or ending an IPv6 address.
            "zero-padded IPv4 parts",
            dns("None", json!({"nameservers": ["010.001.002.003", "::ffff:010.1.2.3"]})),
            &[],
        ),
        (
            "a dotted quad that is not one",
            dns("None", json!({"nameservers": ["::ffff:256.1.2.3"]})),
            &[
                "spec.dnsConfig.nameservers[0]: Invalid value: \"::ffff:256.1.2.3\": must be a valid IP address",
            ],
        ),
        (
            "None without config",
            json!({"spec": {"dnsPolicy": "None"}}),
            &["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"],
        ),
        (
            "None without nameservers",
            dns("None", json!({"searches": ["a"]})),
            &[
                "spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None",
            ],
        ),
        (
            "four nameservers",
            dns("Default", json!({"nameservers": ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]})),
            &[
                "spec.dnsConfig.nameservers: Invalid value: [\"1.1.1.1\",\"2.2.2.2\",\"3.3.3.3\",\"4.4.4.4\"]: must not have more than 3 nameservers",
            ],
        ),
        (
            "nameserver not an IP",
            dns("Default", json!({"nameservers": ["1.2.3"]})),
            &[
                "spec.dnsConfig.nameservers[0]: Invalid value: \"1.2.3\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ],
        ),
        (
            "33 search paths",
            dns("Default", json!({"searches": (0..33).map(|i| format!("d{i}")).collect::<Vec<_>>()})),
            &["spec.dnsConfig.searches: Invalid value: [\"d0\","],
        ),
        (
            "search list too long",
            dns("Default", json!({"searches": vec![long_search; 9]})),
            &["spec.dnsConfig.searches: Invalid value: [\"aaaa"],
        ),
        (
            "search not a domain",
            dns("Default", json!({"searches": ["Bad.Domain"]})),
            &[
                "spec.dnsConfig.searches[0]: Invalid value: \"Bad.Domain\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.'",
            ],
        ),
        (
            "option without name",
            dns("Default", json!({"options": [{"value": "1"}]})),
            &["spec.dnsConfig.options[0]: Required value: must not be empty"],
        ),
    ]);
}

// upstream: CV TestValidatePodSpec (hostAliases cases, ValidateHostAliases)
#[test]
fn host_aliases() {
    let ha = |v: Value| json!({"spec": {"hostAliases": v}});
    run(&[
        ("valid", ha(json!([{"ip": "10.0.0.1", "hostnames": ["db", "db.local"]}, {"ip": "::1"}])), &[]),
        ("leading zeros are accepted (sloppy parse)", ha(json!([{"ip": "010.001.002.003"}])), &[]),
        (
            "ip bad",
            ha(json!([{"ip": "999.1.1.1", "hostnames": ["a"]}])),
            &[
                "spec.hostAliases[0].ip: Invalid value: \"999.1.1.1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ],
        ),
        (
            "ip missing",
            ha(json!([{"hostnames": ["a"]}])),
            &["spec.hostAliases[0].ip: Invalid value: \"\": must be a valid IP address"],
        ),
        (
            "hostname bad",
            ha(json!([{"ip": "1.1.1.1", "hostnames": ["ok", "Bad_Host"]}])),
            &["spec.hostAliases[0].hostnames[1]: Invalid value: \"Bad_Host\""],
        ),
    ]);
}

// upstream: CV TestValidatePodSpec (resource claims), TestValidateResourceRequirements
// (validateResourceClaimNames)
#[test]
fn resource_claims() {
    let pod = |claims: Value, container_claims: Value| {
        json!({"spec": {"resourceClaims": claims,
            "containers": [{"name": "c", "image": "x", "resources": {"claims": container_claims}}]}})
    };
    let gpu = json!([{"name": "gpu", "resourceClaimTemplateName": "gpu-template"}, {"name": "net", "resourceClaimName": "net-claim"}]);
    run(&[
        ("valid", pod(gpu.clone(), json!([{"name": "gpu"}, {"name": "net", "request": "fast"}])), &[]),
        (
            "claim not declared",
            pod(gpu.clone(), json!([{"name": "fpga"}])),
            &[
                "spec.containers[0].resources.claims[0]: Not found: \"fpga\": must be one of the names in pod.spec.resourceClaims: gpu, net",
            ],
        ),
        (
            "no pod claims",
            pod(json!(null), json!([{"name": "gpu"}])),
            &[
                "spec.containers[0].resources.claims[0]: Not found: \"gpu\": must be one of the names in pod.spec.resourceClaims which is empty",
            ],
        ),
        (
            "claim name missing",
            pod(gpu.clone(), json!([{"name": ""}])),
            &["spec.containers[0].resources.claims[0]: Required value"],
        ),
        (
            "claim twice",
            pod(gpu.clone(), json!([{"name": "gpu"}, {"name": "gpu"}])),
            &["spec.containers[0].resources.claims[1]: Duplicate value: \"gpu\""],
        ),
        (
            "request twice",
            pod(gpu.clone(), json!([{"name": "gpu", "request": "a"}, {"name": "gpu", "request": "a"}])),
            &["spec.containers[0].resources.claims[1]: Duplicate value: \"gpu/a\""],
        ),
        (
            "whole claim after a request",
            pod(gpu.clone(), json!([{"name": "gpu", "request": "a"}, {"name": "gpu"}])),
            &["spec.containers[0].resources.claims[1]: Duplicate value: \"gpu\""],
        ),
        (
            "request bad",
            pod(gpu.clone(), json!([{"name": "gpu", "request": "Bad_Req"}])),
            &["spec.containers[0].resources.claims[0].request: Invalid value: \"Bad_Req\""],
        ),
        (
            "pod claim without source",
            pod(json!([{"name": "gpu"}]), json!(null)),
            &[
                "spec.resourceClaims[0]: Invalid value: {\"name\":\"gpu\"}: must specify one of: `resourceClaimName`, `resourceClaimTemplateName`",
            ],
        ),
        (
            "pod claim with two sources",
            pod(
                json!([{"name": "gpu", "resourceClaimName": "a", "resourceClaimTemplateName": "b"}]),
                json!(null),
            ),
            &[
                "spec.resourceClaims[0]: Invalid value: {\"name\":\"gpu\",\"resourceClaimName\":\"a\",\"resourceClaimTemplateName\":\"b\"}: at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
            ],
        ),
        (
            "pod claim names",
            pod(
                json!([{"name": "gpu", "resourceClaimName": "a"}, {"name": "gpu", "resourceClaimName": "b"},
                       {"resourceClaimName": "c"}, {"name": "Bad", "resourceClaimTemplateName": "Bad_T"}]),
                json!(null),
            ),
            &[
                "spec.resourceClaims[1].name: Duplicate value: \"gpu\"",
                "spec.resourceClaims[2].name: Required value",
                "spec.resourceClaims[3].name: Invalid value: \"Bad\"",
                "spec.resourceClaims[3].resourceClaimTemplateName: Invalid value: \"Bad_T\"",
            ],
        ),
    ]);
}

// upstream: CV TestValidatePodSpec (overhead), TestValidatePodResourceConsistency,
// TestValidatePodResourceNames (validatePodResources)
#[test]
fn overhead_and_pod_level_resources() {
    let res = |pod: Value, container: Value| json!({"spec": {"resources": pod, "containers": [{"name": "c", "image": "x", "resources": container}]}});
    run(&[
        ("overhead", json!({"spec": {"overhead": {"cpu": "250m", "memory": "120Mi"}}}), &[]),
        (
            "overhead negative",
            json!({"spec": {"overhead": {"cpu": "-1"}}}),
            &["spec.overhead.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"],
        ),
        (
            "pod-level resources",
            res(
                json!({"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}}),
                json!({"requests": {"cpu": "500m", "memory": "512Mi"}, "limits": {"cpu": "1"}}),
            ),
            &[],
        ),
        (
            // upstream's Quantity.String keeps `+1` and `1.501` as written
            // (ParseQuantity's fast path); the pod's value and the one
            // container's copied value print so.
            "aggregate requests above the pod's, texts as written",
            res(json!({"requests": {"cpu": "+1"}}), json!({"requests": {"cpu": "1.501"}})),
            &[
                "spec.resources.requests[cpu]: Invalid value: \"+1\": must be greater than or equal to aggregate container requests of 1.501",
            ],
        ),
        (
            "aggregate requests above the pod's",
            res(json!({"requests": {"cpu": "1"}}), json!({"requests": {"cpu": "1500m"}})),
            &[
                "spec.resources.requests[cpu]: Invalid value: \"1\": must be greater than or equal to aggregate container requests of 1500m",
            ],
        ),
        (
            // 1.34+ (issue 132449): a resource the pod does not request is
            // not compared; 1.33 compared it against 0.
            "pod request missing for an aggregated resource",
            res(json!({"requests": {"cpu": "1"}}), json!({"requests": {"memory": "1Gi"}})),
            &[],
        ),
        (
            // 1.34+: hugepages are not overcommitted, so the pod's limit
            // covers the containers' summed limits.
            "hugepage limits above the pod's",
            json!({"spec": {"resources": {"limits": {"memory": "1Gi", "hugepages-2Mi": "2Mi"}},
            "containers": [
                {"name": "a", "image": "x", "resources": {"limits": {"memory": "100Mi", "hugepages-2Mi": "2Mi"}}},
                {"name": "b", "image": "x", "resources": {"limits": {"memory": "100Mi", "hugepages-2Mi": "2Mi"}}}
            ]}}),
            &[
                "spec.resources.requests[hugepages-2Mi]: Invalid value: \"2Mi\": must be greater than or equal to aggregate container requests of 4Mi",
                "spec.resources.limits[hugepages-2Mi]: Invalid value: \"2Mi\": must be greater than or equal to aggregate container limits of 4Mi",
            ],
        ),
        (
            // 1.34+: only this error, whatever else the resources hold.
            "pod-level resources on a windows pod",
            json!({"spec": {"os": {"name": "windows"}, "resources": {"requests": {"cpu": "1"}, "claims": [{"name": "x"}]},
                "containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "2"}}}]}}),
            &["spec.resources: Forbidden: may not be set for a windows pod"],
        ),
        (
            "container limit above the pod's",
            res(
                json!({"requests": {"cpu": "1"}, "limits": {"cpu": "1"}}),
                json!({"requests": {"cpu": "1"}, "limits": {"cpu": "2"}}),
            ),
            &[
                "spec.resources.containers[0][cpu].limits: Invalid value: \"2\": must be less than or equal to pod limits of 1",
            ],
        ),
        (
            "sidecars and init containers aggregate",
            json!({"spec": {"resources": {"requests": {"cpu": "2500m"}},
                "initContainers": [{"name": "init", "image": "x", "resources": {"requests": {"cpu": "3"}}},
                                   {"name": "side", "image": "x", "restartPolicy": "Always", "resources": {"requests": {"cpu": "1"}}}],
                "containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "1"}}}]}}),
            &[
                "spec.resources.requests[cpu]: Invalid value: \"2500m\": must be greater than or equal to aggregate container requests of 3",
            ],
        ),
        (
            // The Forbidden, then validateResourceRequirements' claim-name
            // checks, as for a container's claims.
            "claims at pod level",
            json!({"spec": {"resources": {"claims": [{"name": "gpu"}]}}}),
            &[
                "spec.resources.claims: Forbidden: claims may not be set for Resources at pod-level",
                "spec.resources.claims[0]: Not found: \"gpu\": must be one of the names in pod.spec.resourceClaims which is empty",
            ],
        ),
        (
            "unsupported pod-level resource",
            json!({"spec": {"resources": {"requests": {"ephemeral-storage": "1Gi"}}}}),
            &[
                "spec.resources.requests[ephemeral-storage]: Unsupported value: \"ephemeral-storage\": supported values: \"cpu\", \"hugepages-\", \"memory\"",
            ],
        ),
        (
            // upstream: validatePodResourceName stops at an invalid name;
            // the container name rules do not apply.
            "non-standard pod-level resource",
            json!({"spec": {"resources": {"limits": {"foo": "1"}}}}),
            &[
                "spec.resources.limits[foo]: Invalid value: \"foo\": must be a standard resource type or fully qualified",
            ],
        ),
        (
            "pod-level request above limit",
            json!({"spec": {"resources": {"requests": {"memory": "2Gi"}, "limits": {"memory": "1Gi"}}}}),
            &[
                "spec.resources.requests: Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi",
            ],
        ),
    ]);
    // Templates get the same rules.
    run_kind(
        "Deployment",
        &[(
            "template pod-level resources",
            json!({"spec": {"template": {"spec": {"resources": {"requests": {"cpu": "100m"}},
                "containers": [{"name": "c", "image": "x", "resources": {"requests": {"cpu": "200m"}}}]}}}}),
            &[
                "spec.template.spec.resources.requests[cpu]: Invalid value: \"100m\": must be greater than or equal to aggregate container requests of 200m",
            ],
        )],
    );
}

// upstream: CV TestValidateContainerStopSignals (KEP-4960 supportedStopSignalsLinux),
// with ContainerStopSignals on.
#[test]
fn stop_signal_real_time_range() {
    let sig = |s: &str| {
        json!({"spec": {"os": {"name": "linux"},
            "containers": [{"name": "c", "image": "x", "lifecycle": {"stopSignal": s}}]}})
    };
    let mut gates = FeatureGates::default();
    gates.container_stop_signals = true;
    run_gated(
        "Pod",
        &gates,
        &[
            (
                "without os",
                json!({"spec": {"containers": [{"name": "c", "image": "x", "lifecycle": {"stopSignal": "SIGTERM"}}]}}),
                &["spec.containers[0].lifecycle.stopSignal: Forbidden"],
            ),
            ("linux ok", sig("SIGUSR1"), &[]),
            (
                "windows bad",
                json!({"spec": {"os": {"name": "windows"},
                "containers": [{"name": "c", "image": "x", "lifecycle": {"stopSignal": "SIGUSR1"}}]}}),
                &["spec.containers[0].lifecycle.stopSignal: Unsupported value: \"SIGUSR1\""],
            ),
            ("SIGRTMIN+15", sig("SIGRTMIN+15"), &[]),
            ("SIGRTMAX-14", sig("SIGRTMAX-14"), &[]),
            (
                "SIGRTMAX-15",
                sig("SIGRTMAX-15"),
                &["spec.containers[0].lifecycle.stopSignal: Unsupported value: \"SIGRTMAX-15\""],
            ),
            (
                "SIGRTMIN+05",
                sig("SIGRTMIN+05"),
                &["spec.containers[0].lifecycle.stopSignal: Unsupported value: \"SIGRTMIN+05\""],
            ),
            // The 65 supported signals, listed sorted (sets.List).
            (
                "unknown signal lists them sorted",
                sig("SIGFOO"),
                &[
                    "spec.containers[0].lifecycle.stopSignal: Unsupported value: \"SIGFOO\": supported values: \"SIGABRT\", \"SIGALRM\", \"SIGBUS\", \"SIGCHLD\", \"SIGCLD\", \"SIGCONT\", \"SIGFPE\", \"SIGHUP\", \"SIGILL\", \"SIGINT\", \"SIGIO\", \"SIGIOT\", \"SIGKILL\", \"SIGPIPE\", \"SIGPOLL\", \"SIGPROF\", \"SIGPWR\", \"SIGQUIT\", \"SIGRTMAX\", \"SIGRTMAX-1\", \"SIGRTMAX-10\", \"SIGRTMAX-11\"",
                ],
            ),
            // An os that is neither linux nor windows: only validateOS speaks.
            (
                "empty os name",
                json!({"spec": {"os": {"name": ""},
                    "containers": [{"name": "c", "image": "x", "lifecycle": {"stopSignal": "SIGFOO"}}]}}),
                &["spec.os.name: Required value"],
            ),
            (
                "another os",
                json!({"spec": {"os": {"name": "plan9"},
                    "containers": [{"name": "c", "image": "x", "lifecycle": {"stopSignal": "SIGFOO"}}]}}),
                &["spec.os: Unsupported value: \"plan9\""],
            ),
        ],
    );
    let listed = match kube_workloads::validation::validate_with_gates(
        &Object::from_value(json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x", "namespace": "default"},
            "spec": {"os": {"name": "linux"}, "containers": [{"name": "c", "image": "x", "lifecycle": {"stopSignal": "SIGFOO"}}]}}))
        .expect("decodes"),
        &gates,
    ) {
        Ok(()) => String::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(listed.matches("\"SIG").count(), 66, "the bad value and 65 signals: {listed}");
}

// Quantities as resource.Quantity reads, sums and rounds them: surrounding
// whitespace trimmed (UnmarshalJSON), a sum that starts at zero takes the
// next addend's format (Quantity.Add), and "must be an integer" tests the
// milli value rounded up (MilliValue).
#[test]
fn quantities_as_apimachinery_reads_them() {
    let pod = |spec: Value| json!({"spec": spec});
    run(&[
        (
            "whitespace around a quantity",
            pod(
                json!({"containers": [{"name": "c", "image": "x", "resources": {"limits": {"cpu": " 1", "memory": "1Gi "}}}]}),
            ),
            &[],
        ),
        (
            "a sum from zero keeps the binary format",
            pod(json!({
                "resources": {"requests": {"memory": "512Mi"}},
                "containers": [
                    {"name": "a", "image": "x", "resources": {"requests": {"memory": "0"}}},
                    {"name": "b", "image": "x", "resources": {"requests": {"memory": "1Gi"}}}]})),
            &[
                "spec.resources.requests[memory]: Invalid value: \"512Mi\": must be greater than or equal to aggregate container requests of 1Gi",
            ],
        ),
        (
            // (Defaulting first rounds 1000.0001 up to milli units:
            // SetDefaults_ResourceList's RoundUp(-3).)
            "an extended resource just above a whole number",
            pod(json!({"containers": [{"name": "c", "image": "x",
                "resources": {"limits": {"example.com/gpu": "1.0000001k"}, "requests": {"example.com/gpu": "1.0000001k"}}}]})),
            &[
                "spec.containers[0].resources.limits[example.com/gpu]: Invalid value: \"1000001m\": must be an integer",
                "spec.containers[0].resources.requests[example.com/gpu]: Invalid value: \"1000001m\": must be an integer",
            ],
        ),
        // A milli value beyond int64: whole values pass, others do not
        // (isIntegerResourceValue, kubernetes PR 141349).
        (
            "a huge whole extended resource",
            pod(json!({"containers": [{"name": "c", "image": "x",
                "resources": {"limits": {"example.com/gpu": "10000000000000000"}, "requests": {"example.com/gpu": "10000000000000000"}}}]})),
            &[],
        ),
        (
            "a huge extended resource with a fraction",
            pod(json!({"containers": [{"name": "c", "image": "x",
                "resources": {"limits": {"example.com/gpu": "10000000000000000.5"}}}]})),
            &[
                "spec.containers[0].resources.limits[example.com/gpu]: Invalid value:",
                "spec.containers[0].resources.requests[example.com/gpu]: Invalid value:",
            ],
        ),
    ]);
}

// upstream: CV TestValidateResourceRequirements (request ≤ limit compared
// with Quantity.Cmp; values printed with Quantity.String)
#[test]
fn container_resources_exact() {
    let res = |r: Value| with_container(json!({"name": "c", "image": "x", "resources": r}));
    run(&[
        (
            "equal in different forms",
            res(
                json!({"requests": {"cpu": "0.5", "memory": "1024Mi"}, "limits": {"cpu": "500m", "memory": "1Gi"}}),
            ),
            &[],
        ),
        (
            "canonical values in the message",
            res(json!({"requests": {"cpu": "0.5"}, "limits": {"cpu": "250m"}})),
            &[
                "spec.containers[0].resources.requests: Invalid value: \"500m\": must be less than or equal to cpu limit of 250m",
            ],
        ),
        (
            "beyond f64 precision",
            res(json!({"requests": {"memory": "1000000000000000001"}, "limits": {"memory": "1E"}})),
            &[
                "spec.containers[0].resources.requests: Invalid value: \"1000000000000000001\": must be less than or equal to memory limit of 1E",
            ],
        ),
        (
            "extended resource must equal its limit",
            res(json!({"requests": {"example.com/gpu": "1"}, "limits": {"example.com/gpu": "1000m"}})),
            &[],
        ),
    ]);
}

// upstream: CV TestValidatePodSpecificAnnotations (mirror pod, deletion cost,
// seccomp and AppArmor annotations), TestValidateSeccompAnnotationsAndFields,
// TestValidateAppArmorProfileFormat, TestValidatePodCreate (nodeName with gates)
#[test]
fn pod_annotations() {
    let ann = |a: Value| json!({"metadata": {"annotations": a}});
    let both = |a: Value, spec: Value| json!({"metadata": {"annotations": a}, "spec": spec});
    run(&[
        (
            "valid",
            ann(json!({"controller.kubernetes.io/pod-deletion-cost": "-100",
                       "seccomp.security.alpha.kubernetes.io/pod": "runtime/default",
                       "container.seccomp.security.alpha.kubernetes.io/c": "localhost/profiles/a.json",
                       "container.apparmor.security.beta.kubernetes.io/c": "localhost/k8s-nginx"})),
            &[],
        ),
        (
            "mirror pod without nodeName",
            ann(json!({"kubernetes.io/config.mirror": "hash"})),
            &[
                "metadata.annotations[kubernetes.io/config.mirror]: Invalid value: \"hash\": must set spec.nodeName if mirror pod annotation is set",
            ],
        ),
        (
            "mirror pod with nodeName",
            both(json!({"kubernetes.io/config.mirror": "hash"}), json!({"nodeName": "node-1"})),
            &[],
        ),
        (
            "deletion cost not an int32",
            ann(json!({"controller.kubernetes.io/pod-deletion-cost": "+10"})),
            &[
                "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"+10\": must be a 32bit integer",
            ],
        ),
        (
            "deletion cost too large",
            ann(json!({"controller.kubernetes.io/pod-deletion-cost": "2147483648"})),
            &[
                "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"2147483648\": must be a 32bit integer",
            ],
        ),
        (
            "seccomp pod annotation bad",
            ann(json!({"seccomp.security.alpha.kubernetes.io/pod": "strict"})),
            &[
                "metadata.annotations.seccomp.security.alpha.kubernetes.io/pod: Invalid value: \"strict\": must be a valid seccomp profile",
            ],
        ),
        (
            "seccomp container annotation escapes",
            ann(json!({"container.seccomp.security.alpha.kubernetes.io/c": "localhost/../x"})),
            &[
                "metadata.annotations.container.seccomp.security.alpha.kubernetes.io/c: Invalid value: \"../x\": must not contain '..'",
            ],
        ),
        (
            "apparmor annotation for an unknown container",
            ann(json!({"container.apparmor.security.beta.kubernetes.io/other": "runtime/default"})),
            &[
                "metadata.annotations[container.apparmor.security.beta.kubernetes.io/other]: Invalid value: \"other\": container not found",
            ],
        ),
        (
            "apparmor annotation bad profile",
            ann(json!({"container.apparmor.security.beta.kubernetes.io/c": "enforce"})),
            &[
                "metadata.annotations[container.apparmor.security.beta.kubernetes.io/c]: Invalid value: \"enforce\": invalid AppArmor profile name: \"enforce\"",
            ],
        ),
        (
            "seccomp annotation disagrees with the field",
            both(
                json!({"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}),
                json!({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}),
            ),
            &[
                "spec.securityContext.seccompProfile.type: Forbidden: seccomp type in annotation and field must match",
            ],
        ),
        (
            "container seccomp localhost profile disagrees",
            both(
                json!({"container.seccomp.security.alpha.kubernetes.io/c": "localhost/a.json"}),
                json!({"containers": [{"name": "c", "image": "x", "securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "b.json"}}}]}),
            ),
            &[
                "spec.containers[0].securityContext.seccompProfile.localhostProfile: Forbidden: seccomp profile in annotation and field must match",
            ],
        ),
        (
            "apparmor annotation disagrees with the pod field",
            both(
                json!({"container.apparmor.security.beta.kubernetes.io/c": "unconfined"}),
                json!({"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}),
            ),
            &[
                "spec.containers[0].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match",
            ],
        ),
        (
            "nodeName with scheduling gates",
            json!({"spec": {"nodeName": "node-1", "schedulingGates": [{"name": "example.com/gate"}]}}),
            &["spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"],
        ),
    ]);
    // A pod template gets the same pod-specific annotation rules at
    // `spec.template.annotations`, and the same annotation / field
    // agreement at `spec.template.spec` (upstream: ValidatePodTemplateSpec
    // calls ValidatePodSpecificAnnotations, validateSeccompAnnotationsAndFields
    // and validateAppArmorAnnotationsAndFieldsMatchOnCreate).
    let template = |annotations: Value, spec: Value| {
        let mut pod_spec = json!({"containers": [{"name": "c", "image": "nginx:1.27"}]});
        merge(&mut pod_spec, &spec);
        json!({"spec": {"template": {"metadata": {"annotations": annotations}, "spec": pod_spec}}})
    };
    let template_cases: &[(&str, Value, &[&str])] = &[
        (
            "template deletion cost that is not an int32",
            template(json!({"controller.kubernetes.io/pod-deletion-cost": "x"}), json!({})),
            &[
                "spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"x\": must be a 32bit integer",
            ],
        ),
        (
            "template deletion cost with a plus sign",
            template(json!({"controller.kubernetes.io/pod-deletion-cost": "+10"}), json!({})),
            &[
                "spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"+10\"",
            ],
        ),
        (
            "template deletion cost that fits",
            template(json!({"controller.kubernetes.io/pod-deletion-cost": "-2147483648"}), json!({})),
            &[],
        ),
        (
            "template mirror annotation without a node",
            template(json!({"kubernetes.io/config.mirror": "abc"}), json!({})),
            &[
                "spec.template.annotations[kubernetes.io/config.mirror]: Invalid value: \"abc\": must set spec.nodeName if mirror pod annotation is set",
            ],
        ),
        (
            "template seccomp annotation that is no profile",
            template(json!({"seccomp.security.alpha.kubernetes.io/pod": "bogus"}), json!({})),
            &[
                "spec.template.annotations.seccomp.security.alpha.kubernetes.io/pod: Invalid value: \"bogus\": must be a valid seccomp profile",
            ],
        ),
        (
            "template apparmor annotation for no container",
            template(
                json!({"container.apparmor.security.beta.kubernetes.io/other": "runtime/default"}),
                json!({}),
            ),
            &[
                "spec.template.annotations[container.apparmor.security.beta.kubernetes.io/other]: Invalid value: \"other\": container not found",
            ],
        ),
        (
            "template seccomp annotation disagrees with the pod field",
            template(
                json!({"seccomp.security.alpha.kubernetes.io/pod": "unconfined"}),
                json!({"securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}}),
            ),
            &[
                "spec.template.spec.securityContext.seccompProfile.type: Forbidden: seccomp type in annotation and field must match",
            ],
        ),
        (
            "template apparmor annotation disagrees with the container field",
            template(
                json!({"container.apparmor.security.beta.kubernetes.io/c": "unconfined"}),
                json!({"containers": [{"name": "c", "image": "x", "securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}]}),
            ),
            &[
                "spec.template.spec.containers[0].securityContext.appArmorProfile.type: Forbidden: apparmor type in annotation and field must match",
            ],
        ),
    ];
    run_kind("Deployment", template_cases);
    // With PodDeletionCost off, an invalid cost is allowed, on a template
    // and on a Pod (upstream: GetValidationOptionsFromPodSpecAndMeta).
    let mut off = FeatureGates::default();
    off.pod_deletion_cost = false;
    run_gated(
        "Deployment",
        &off,
        &[(
            "template cost, gate off",
            template(json!({"controller.kubernetes.io/pod-deletion-cost": "x"}), json!({})),
            &[],
        )],
    );
    run_gated(
        "Pod",
        &off,
        &[(
            "pod cost, gate off",
            json!({"metadata": {"annotations": {"controller.kubernetes.io/pod-deletion-cost": "x"}}}),
            &[],
        )],
    );
}

// upstream: validateContainerRestartPolicy and
// validateInitContainerRestartPolicy with ContainerRestartRules on (beta
// and on in 1.35, as in the crate's defaults).
#[test]
fn container_restart_rules_with_the_gate_on() {
    let mut gates = FeatureGates::default();
    gates.container_restart_rules = true;
    let regular = |c: Value| {
        let mut container = json!({"name": "c", "image": "x"});
        merge(&mut container, &c);
        json!({"spec": {"containers": [container]}})
    };
    let init = |c: Value| {
        let mut container = json!({"name": "i", "image": "x"});
        merge(&mut container, &c);
        json!({"spec": {"initContainers": [container]}})
    };
    let rule =
        |action: &str, op: &str| json!({"action": action, "exitCodes": {"operator": op, "values": [42]}});
    let many: Vec<Value> = (0..21).map(|_| rule("Restart", "In")).collect();
    let codes: Vec<i64> = (0..256).collect();
    run_gated(
        "Pod",
        &gates,
        &[
            (
                "regular container with a policy and rules",
                regular(json!({"restartPolicy": "Never", "restartPolicyRules": [rule("Restart", "In")]})),
                &[],
            ),
            (
                "unknown policy",
                regular(json!({"restartPolicy": "Sometimes"})),
                &[
                    "spec.containers[0].restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"Never\", \"OnFailure\"",
                ],
            ),
            (
                "rules without a policy are still checked",
                regular(json!({"restartPolicyRules": [rule("Stop", "Between")]})),
                &[
                    "spec.containers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used",
                    "spec.containers[0].restartPolicyRules[0].action: Unsupported value: \"Stop\": supported values: \"Restart\"",
                    "spec.containers[0].restartPolicyRules[0].exitCodes.operator: Unsupported value: \"Between\": supported values: \"In\", \"NotIn\"",
                ],
            ),
            (
                "too many rules",
                regular(json!({"restartPolicy": "Never", "restartPolicyRules": many})),
                &["spec.containers[0].restartPolicyRules: Too long: may not be more than 20 bytes"],
            ),
            (
                "a rule with too many codes and one without codes",
                regular(json!({"restartPolicy": "OnFailure", "restartPolicyRules": [
                    {"action": "Restart", "exitCodes": {"operator": "NotIn", "values": codes}},
                    {"action": "Restart"}
                ]})),
                &[
                    "spec.containers[0].restartPolicyRules[0].exitCodes.values: Too long: may not be more than 255 bytes",
                    "spec.containers[0].restartPolicyRules[1].exitCodes: Required value: must be specified",
                ],
            ),
            (
                "init rules without a policy: only Required",
                init(json!({"restartPolicyRules": [rule("Stop", "In")]})),
                &[
                    "spec.initContainers[0].restartPolicy: Required value: must specify restartPolicy when restart rules are used",
                ],
            ),
            (
                "sidecar with rules",
                init(json!({"restartPolicy": "Always", "restartPolicyRules": [rule("Restart", "In")]})),
                &[
                    "spec.initContainers[0].restartPolicyRules: Forbidden: restartPolicyRules are not allowed for init containers with restart policy Always",
                ],
            ),
            (
                "init OnFailure with rules",
                init(json!({"restartPolicy": "OnFailure", "restartPolicyRules": [rule("Restart", "NotIn")]})),
                &[],
            ),
            (
                "init unknown policy",
                init(json!({"restartPolicy": ""})),
                &[
                    "spec.initContainers[0].restartPolicy: Unsupported value: \"\": supported values: \"Always\", \"Never\", \"OnFailure\"",
                ],
            ),
        ],
    );
}

// upstream: ParseQuantity accepts any exponent (an int64Amount far beyond
// f64), rounds a value below a nano away from zero, and MilliValue is 0
// when it overflows; validateResourceRequirements then reports the
// rounded value's sign and the integer rule on it.
#[test]
fn quantity_edges_in_resources() {
    let limits = |name: &str, v: &str| {
        with_container(json!({"name": "c", "image": "x", "resources": {"limits": {name: v}}}))
    };
    run(&[
        ("huge exponent", limits("cpu", "1e400"), &[]),
        (
            // Parsed as -1n (rounded away from zero to nanos), then
            // defaulting rounds it away from zero to milli units.
            "negative below a nano",
            limits("cpu", "-0.0000000001"),
            &[
                "spec.containers[0].resources.limits[cpu]: Invalid value: \"-1m\": must be greater than or equal to 0",
                "spec.containers[0].resources.requests[cpu]: Invalid value: \"-1m\": must be greater than or equal to 0",
            ],
        ),
        (
            "negative far below a nano",
            limits("memory", "-1e-400"),
            &[
                "spec.containers[0].resources.limits[memory]: Invalid value: \"-1e-3\": must be greater than or equal to 0",
                "spec.containers[0].resources.requests[memory]: Invalid value: \"-1e-3\": must be greater than or equal to 0",
            ],
        ),
        ("huge integer resource", limits("example.com/gpu", "1E308"), &[]),
        (
            "tiny integer resource",
            limits("example.com/gpu", "1e-400"),
            &[
                "spec.containers[0].resources.limits[example.com/gpu]: Invalid value: \"1e-3\": must be an integer",
                "spec.containers[0].resources.requests[example.com/gpu]: Invalid value: \"1e-3\": must be an integer",
            ],
        ),
    ]);
}

// upstream: validateFileKeySelector (key a relaxed env var name, volumeName
// a DNS-1123 label, path without `..`; absolute paths pass) and
// validateFileKeyRefVolumes (the last check of ValidatePodSpec: the named
// volume exists and is an emptyDir); with EnvFiles off the API server drops
// fileKeyRef (dropFileKeyRefInUse) and the no-source text names four
// sources.
#[test]
fn file_key_ref_sources() {
    let pod = |file_key_ref: Value, volumes: Value| {
        json!({"spec": {"volumes": volumes, "containers": [{"name": "c", "image": "x",
            "env": [{"name": "V", "valueFrom": {"fileKeyRef": file_key_ref}}]}]}})
    };
    let empty_dir = json!([{"name": "env", "emptyDir": {}}]);
    let p = "spec.containers[0].env[0].valueFrom.fileKeyRef";
    run(&[
        (
            "valid",
            pod(json!({"volumeName": "env", "path": "/abs/vars", "key": "A_KEY"}), empty_dir.clone()),
            &[],
        ),
        (
            "all missing",
            pod(json!({}), empty_dir.clone()),
            &[
                &format!("{p}.key: Required value"),
                &format!("{p}.volumeName: Required value"),
                &format!("{p}.path: Required value"),
                &format!("{p}.volumeName: Not found: \"\""),
            ],
        ),
        (
            "bad key, volume name and path",
            pod(json!({"volumeName": "Env", "path": "a/../b", "key": "a=b"}), empty_dir.clone()),
            &[
                &format!("{p}.key: Invalid value: \"a=b\""),
                &format!("{p}.volumeName: Invalid value: \"Env\""),
                &format!("{p}.path: Invalid value: \"a/../b\": must not contain '..'"),
                &format!("{p}.volumeName: Not found: \"Env\""),
            ],
        ),
        (
            "not an emptyDir",
            pod(
                json!({"volumeName": "env", "path": "p", "key": "k"}),
                json!([{"name": "env", "configMap": {"name": "cm"}}]),
            ),
            &[&format!("{p}.volumeName: Invalid value: \"env\": referenced volume must be of type emptyDir")],
        ),
    ]);
    let mut off = FeatureGates::default();
    off.env_files = false;
    run_gated(
        "Pod",
        &off,
        &[(
            "EnvFiles off",
            pod(json!({"volumeName": "env", "path": "p", "key": "k"}), empty_dir),
            &[
                "spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            ],
        )],
    );
}
