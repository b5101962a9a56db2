//! Upstream validation cases for the workload kinds not mirrored elsewhere.
//! Each case names the upstream test and case it mirrors
//! (kubernetes/kubernetes: AV = pkg/apis/apps/validation/validation_test.go,
//! CV = pkg/apis/core/validation/validation_test.go,
//! BV = pkg/apis/batch/validation/validation_test.go).
//! Errors are rendered as `path: Type: message` and matched by prefix
//! (or by a distinctive fragment where noted).

mod validation_support;

use kube_workloads::api::Object;
use kube_workloads::validation;
use serde_json::{Value, json};
use validation_support::{base_with, matches, merge, render, stored};

// ----------------------------------------------------------------- helpers

fn ephemeral() -> Value {
    json!({"name": "debug", "image": "busybox", "imagePullPolicy": "IfNotPresent", "terminationMessagePolicy": "File"})
}

/// A valid object of `kind`; updates carry a resourceVersion.
fn base(kind: &str) -> Value {
    base_with(kind, json!({"name": "x", "namespace": "default", "uid": "uid-1", "resourceVersion": "1"}))
}

fn object(kind: &str, patch: &Value) -> Object {
    let mut doc = base(kind);
    merge(&mut doc, patch);
    stored(doc)
}

fn errors(obj: &Object) -> Vec<String> {
    render(validation::validate(obj))
}

fn update_errors(old: &Object, new: &Object) -> Vec<String> {
    render(validation::validate_update(old, new))
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

/// Each case: (name, kind, old patch, new patch, expected error prefixes).
fn run_updates(cases: &[(&str, &str, Value, Value, &[&str])]) {
    let mut bad = Vec::new();
    for (name, kind, old, new, expected) in cases {
        let got = update_errors(&object(kind, old), &object(kind, new));
        if !matches(&got, expected) {
            bad.push(format!("{name} ({kind}): expected {expected:?}\n    got {got:#?}"));
        }
    }
    assert!(bad.is_empty(), "{} cases failed:\n{}", bad.len(), bad.join("\n"));
}

#[test]
fn every_base_is_valid() {
    for kind in
        ["ReplicationController", "ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]
    {
        assert_eq!(errors(&object(kind, &json!({}))), Vec::<String>::new(), "{kind}");
    }
}

// ----------------------------------------------------------------- StatefulSet

/// A claim template that passes: one access mode and a storage request.
fn claim(name: &str, storage: &str) -> Value {
    json!({"metadata": {"name": name},
           "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": storage}}}})
}

fn mounting(volume: &str) -> Value {
    json!({"name": "c", "image": "nginx:1.27", "volumeMounts": [{"name": volume, "mountPath": "/d"}]})
}

// upstream: AV TestValidateStatefulSet
#[test]
fn stateful_set_create() {
    run(&[
        (
            // AV TestValidateStatefulSet "empty selector" (a nil selector)
            "empty selector",
            "StatefulSet",
            json!({"spec": {"selector": null}}),
            &["spec.selector: Required value", "spec.template.metadata.labels: Invalid value"],
        ),
        (
            // AV TestValidateStatefulSet "selector_doesnt_match"
            "selector_doesnt_match",
            "StatefulSet",
            json!({"spec": {"selector": {"matchLabels": {"app": null, "foo": "bar"}}}}),
            &["spec.template.metadata.labels: Invalid value"],
        ),
        (
            // AV TestValidateStatefulSet "invalid_label 2": the selector
            // does not convert, so the template labels are not compared.
            "invalid_label 2",
            "StatefulSet",
            json!({"spec": {"selector": {"matchLabels": {"app": null, "NoUppercaseOrSpecialCharsLike=Equals": "bar"}}}}),
            &["spec.selector.matchLabels: Invalid value", "spec.selector: Invalid value"],
        ),
        (
            // AV TestValidateStatefulSet "empty selector struct"
            "empty selector struct",
            "StatefulSet",
            json!({"spec": {"selector": {"matchLabels": null}}}),
            &["spec.selector: Invalid value: {}: empty selector is invalid for statefulset"],
        ),
        (
            // AV TestValidateStatefulSet "missing volume in pod volumeMounts"
            "missing volume in pod volumeMounts",
            "StatefulSet",
            json!({"spec": {"template": {"spec": {"containers": [mounting("test")]}}}}),
            &["spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"test\""],
        ),
        (
            // AV TestValidateStatefulSet "want test volumeMount but have test1 volumeTemplate"
            "want test volumeMount but have test1 volumeTemplate",
            "StatefulSet",
            json!({"spec": {"volumeClaimTemplates": [claim("test1", "1Gi")],
                "template": {"spec": {"containers": [mounting("test")]}}}}),
            &["spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"test\""],
        ),
        (
            // AV TestValidateStatefulSet "duplicate volumes"
            "duplicate volumes",
            "StatefulSet",
            json!({"spec": {"template": {"spec": {"volumes": [
                {"name": "test", "emptyDir": {}}, {"name": "test", "emptyDir": {}}]}}}}),
            &["spec.template.spec.volumes[1].name: Duplicate value: \"test\""],
        ),
        (
            // AV TestValidateStatefulSet "invalid volumeClaimTemplates with invalid VolumeAttributesClassName"
            "invalid VolumeAttributesClassName",
            "StatefulSet",
            json!({"spec": {"volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}},
                "volumeAttributesClassName": "abc@123"}}]}}),
            &["spec.volumeClaimTemplates[0].spec.volumeAttributesClassName: Invalid value: \"abc@123\""],
        ),
    ]);
}

// upstream: AV TestValidateStatefulSetUpdate
#[test]
fn stateful_set_update() {
    let claims = |c: Value| json!({"spec": {"volumeClaimTemplates": c}});
    let forbidden = "spec: Forbidden: updates to statefulset spec for fields other than";
    run_updates(&[
        (
            // AV TestValidateStatefulSetUpdate "update pvc template size"
            "update pvc template size",
            "StatefulSet",
            claims(json!([claim("data", "1Gi")])),
            claims(json!([claim("data", "2Gi")])),
            &[forbidden],
        ),
        (
            // AV TestValidateStatefulSetUpdate "update pvc template storage class"
            "update pvc template storage class",
            "StatefulSet",
            claims(json!([claim("data", "1Gi")])),
            claims(json!([{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"],
                "storageClassName": "fast", "resources": {"requests": {"storage": "1Gi"}}}}])),
            &[forbidden],
        ),
        (
            // AV TestValidateStatefulSetUpdate "add new pvc template"
            "add new pvc template",
            "StatefulSet",
            claims(json!([claim("data", "1Gi")])),
            claims(json!([claim("data", "1Gi"), claim("logs", "1Gi")])),
            &[forbidden],
        ),
        (
            // AV TestValidateStatefulSetUpdate "update update strategy"
            "update update strategy",
            "StatefulSet",
            json!({}),
            json!({"spec": {"updateStrategy": {"type": "OnDelete"}}}),
            &[],
        ),
        (
            // AV TestValidateStatefulSetUpdate "update existing instance with .spec.ordinals.start"
            "update existing instance with .spec.ordinals.start",
            "StatefulSet",
            json!({"spec": {"ordinals": {"start": 3}}}),
            json!({"spec": {"ordinals": {"start": 5}}}),
            &[],
        ),
        (
            // AV TestValidateStatefulSetUpdate "valid old spec, invalid subdomain in new spec"
            "valid old spec, invalid subdomain in new spec",
            "StatefulSet",
            json!({}),
            json!({"spec": {"template": {"spec": {"subdomain": "invalid_subdomain"}}}}),
            &[],
        ),
    ]);
}

// ----------------------------------------------------------------- DaemonSet

// upstream: AV TestValidateDaemonSet, TestDaemonSetUpdateMaxSurge
#[test]
fn daemon_set_create() {
    let ru = |mu: Value, ms: Value| json!({"spec": {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": mu, "maxSurge": ms}}}});
    run(&[
        (
            // AV TestValidateDaemonSet "nil selector": no Required, only the template labels.
            "nil selector",
            "DaemonSet",
            json!({"spec": {"selector": null}}),
            &["spec.template.metadata.labels: Invalid value"],
        ),
        (
            // AV TestValidateDaemonSet "empty selector"
            "empty selector",
            "DaemonSet",
            json!({"spec": {"selector": {"matchLabels": null}}}),
            &["spec.selector: Invalid value: {}: empty selector is invalid for daemonset"],
        ),
        (
            // AV TestValidateDaemonSet "template may not contain ephemeral containers"
            "template may not contain ephemeral containers",
            "DaemonSet",
            json!({"spec": {"template": {"spec": {"ephemeralContainers": [ephemeral()]}}}}),
            &[
                "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
            ],
        ),
        (
            // AV TestDaemonSetUpdateMaxSurge "surge and unavailable mixed zero"
            "surge and unavailable mixed zero",
            "DaemonSet",
            ru(json!("0%"), json!(0)),
            &["spec.updateStrategy.rollingUpdate.maxUnavailable: Required value"],
        ),
        (
            // AV TestDaemonSetUpdateMaxSurge "greater than 100%"
            "greater than 100%",
            "DaemonSet",
            ru(json!("101%"), json!(0)),
            &[
                "spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: \"101%\": must not be greater than 100%",
            ],
        ),
    ]);
}

// ----------------------------------------------------------------- Deployment, ReplicaSet, RC

// upstream: AV TestValidateDeployment, TestValidateReplicaSet; CV TestValidateReplicationController
#[test]
fn deployments_replica_sets_and_controllers() {
    run(&[
        (
            // AV TestValidateDeployment: maxSurge "20Percent"
            "maxSurge 20Percent",
            "Deployment",
            json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "20Percent"}}}}),
            &[
                "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"20Percent\": a valid percent string must be a numeric string followed by an ending '%'",
            ],
        ),
        (
            // AV TestValidateDeployment: ephemeral containers in the template
            "deployment template may not contain ephemeral containers",
            "Deployment",
            json!({"spec": {"template": {"spec": {"ephemeralContainers": [ephemeral()]}}}}),
            &[
                "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
            ],
        ),
        (
            // AV TestValidateReplicaSet: `selector: {}` (upstream's message says "deployment")
            "replica set empty selector",
            "ReplicaSet",
            json!({"spec": {"selector": {"matchLabels": null}}}),
            &["spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
        ),
        (
            // CV TestValidateReplicationController "template may not contain ephemeral containers"
            "rc template may not contain ephemeral containers",
            "ReplicationController",
            json!({"spec": {"template": {"spec": {"ephemeralContainers": [ephemeral()]}}}}),
            &[
                "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
            ],
        ),
    ]);
}

// ----------------------------------------------------------------- Job

fn indexed(extra: Value) -> Value {
    let mut v = json!({"spec": {"completionMode": "Indexed", "completions": 10, "parallelism": 2}});
    merge(&mut v, &extra);
    v
}

// upstream: BV TestValidateJob
#[test]
fn job_create() {
    let pod_condition = json!({"type": "DisruptionTarget", "status": "True"});
    run(&[
        (
            // BV TestValidateJob: podReplacementPolicy ""
            "podReplacementPolicy empty",
            "Job",
            json!({"spec": {"podReplacementPolicy": ""}}),
            &[
                "spec.podReplacementPolicy: Unsupported value: \"\": supported values: \"Failed\", \"TerminatingOrFailed\"",
            ],
        ),
        (
            // BV TestValidateJob: podFailurePolicy with no rules and restartPolicy OnFailure
            "pod failure policy without rules needs Never",
            "Job",
            json!({"spec": {"podFailurePolicy": {"rules": []},
                "template": {"spec": {"restartPolicy": "OnFailure"}}}}),
            &[
                "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified",
            ],
        ),
        (
            // BV TestValidateJob: 21 onPodConditions patterns
            "too many onPodConditions",
            "Job",
            json!({"spec": {"podFailurePolicy": {"rules": [{"action": "Ignore",
                "onPodConditions": vec![pod_condition; 21]}]}}}),
            &["spec.podFailurePolicy.rules[0].onPodConditions: Too many: 21: must have at most 20 items"],
        ),
        (
            // BV TestValidateJob: 21 successPolicy rules
            "too many success policy rules",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": vec![json!({"succeededCount": 1}); 21]}}})),
            &["spec.successPolicy.rules: Too many: 21: must have at most 20 items"],
        ),
        (
            // BV TestValidateJob: succeededIndexes "invalid-format"
            "succeededIndexes invalid-format",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": "invalid-format"}]}}})),
            &[
                "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"invalid-format\": error parsing succeededIndexes: cannot convert string to integer for index: \"invalid\"",
            ],
        ),
        (
            // BV TestValidateJob: too large parallelism with backoffLimitPerIndex
            // (the limit applies when completions are above 100000)
            "parallelism above 10000 with backoff limit per index",
            "Job",
            indexed(
                json!({"spec": {"completions": 100001, "parallelism": 50000, "backoffLimitPerIndex": 1, "maxFailedIndexes": 1}}),
            ),
            &[
                "spec.parallelism: Invalid value: 50000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index",
            ],
        ),
    ]);
}

// upstream: BV TestValidateJob (cases whose order matters)
#[test]
fn job_create_error_order() {
    // BV TestValidateJob: onPodConditions type "": the name-part error first.
    let got = errors(&object(
        "Job",
        &json!({"spec": {"podFailurePolicy": {"rules": [{"action": "Ignore", "onPodConditions": [{"type": "", "status": "True"}]}]}}}),
    ));
    assert!(
        got.first().is_some_and(|e| e.starts_with(
            "spec.podFailurePolicy.rules[0].onPodConditions[0].type: Invalid value: \"\": name part must be non-empty"
        )),
        "{got:#?}"
    );

    // BV TestValidateJob: 256 exit codes 0..255 with In: Too many, then values[0] is 0.
    let codes: Vec<i64> = (0..256).collect();
    let got = errors(&object(
        "Job",
        &json!({"spec": {"podFailurePolicy": {"rules": [{"action": "FailJob", "onExitCodes": {"operator": "In", "values": codes}}]}}}),
    ));
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        got[0].starts_with(
            "spec.podFailurePolicy.rules[0].onExitCodes.values: Too many: 256: must have at most 255 items"
        ),
        "{got:#?}"
    );
    assert!(
        got[1].starts_with(
            "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0"
        ),
        "{got:#?}"
    );

    // BV TestValidateJob: completions 100001, backoffLimitPerIndex 1, maxFailedIndexes 100001.
    let got = errors(&object(
        "Job",
        &indexed(
            json!({"metadata": {"name": "j"}, "spec": {"completions": 100001, "backoffLimitPerIndex": 1, "maxFailedIndexes": 100001}}),
        ),
    ));
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        got[0].starts_with(
            "spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to 100000"
        ),
        "{got:#?}"
    );
    assert!(
        got[1]
            .starts_with("spec.maxFailedIndexes: Invalid value: 100001: must be less than or equal to 10000"),
        "{got:#?}"
    );

    // BV TestValidateJob: a 65537-character succeededIndexes.
    let long = "1".repeat(65537);
    let got = errors(&object(
        "Job",
        &indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": long}]}}})),
    ));
    assert!(
        got.first().is_some_and(|e| e.starts_with(
            "spec.successPolicy.rules[0].succeededIndexes: Too long: may not be more than 65536 bytes"
        )),
        "{got:#?}"
    );
}

// upstream: BV TestValidateIndexesString (through a success policy rule's succeededIndexes)
#[test]
fn job_indexes_strings() {
    let path = "spec.successPolicy.rules[0].succeededIndexes: Invalid value: ";
    let mut bad = Vec::new();
    for (indexes, message) in [
        ("0,1-3, 5", "cannot convert string to integer for index: \" 5\""),
        ("-1,0", "cannot convert string to integer for index: \"\""),
        ("0,,1,3", "cannot convert string to integer for index: \"\""),
        (
            "0,1--3",
            "the fragment \"1--3\" violates the requirement that an index interval can have at most two parts separated by '-'",
        ),
        ("0,1-1,5", "non-increasing order, previous: 1, current: 1"),
        ("1-3,0,5", "non-increasing order, previous: 3, current: 0"),
    ] {
        let got = errors(&object(
            "Job",
            &indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededIndexes": indexes}]}}})),
        ));
        let want = format!("{path}{}: error parsing succeededIndexes: {message}", json!(indexes));
        if got != [want.clone()] {
            bad.push(format!("{indexes}: expected {want}\n    got {got:#?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

// upstream: BV TestValidateJobUpdate
#[test]
fn job_update() {
    let per_index = |extra: Value| {
        let mut v = indexed(json!({"spec": {"backoffLimitPerIndex": 1}}));
        merge(&mut v, &extra);
        v
    };
    // BV TestValidateJobUpdate "indexed job with completions set updated to
    // nil does not panic": only the Required on spec.completions. The crate
    // validates an update as the Job strategy does (ValidateJob, then
    // ValidateJobUpdate, whose ValidateJobSpecUpdate runs ValidateJobSpec
    // again), so upstream's one error is listed twice.
    let got = update_errors(
        &object("Job", &indexed(json!({}))),
        &object("Job", &indexed(json!({"spec": {"completions": null}}))),
    );
    assert_eq!(got, ["spec.completions: Required value: when completion mode is Indexed"; 2], "{got:#?}");
    run_updates(&[
        (
            // BV TestValidateJobUpdate "immutable completion mode"
            "immutable completion mode",
            "Job",
            indexed(json!({})),
            indexed(json!({"spec": {"completionMode": "NonIndexed"}})),
            &["spec.completionMode: Invalid value: \"NonIndexed\": field is immutable"],
        ),
        (
            // BV TestValidateJobUpdate "parallelism increased higher than completions"
            "parallelism increased higher than completions",
            "Job",
            json!({"spec": {"completions": 2, "parallelism": 1}}),
            json!({"spec": {"completions": 2, "parallelism": 3}}),
            &[],
        ),
        (
            // BV TestValidateJobUpdate "set max failed indexes"
            "set maxFailedIndexes",
            "Job",
            per_index(json!({})),
            per_index(json!({"spec": {"maxFailedIndexes": 1}})),
            &[],
        ),
        (
            // BV TestValidateJobUpdate "unset max failed indexes"
            "unset maxFailedIndexes",
            "Job",
            per_index(json!({"spec": {"maxFailedIndexes": 1}})),
            per_index(json!({})),
            &[],
        ),
        (
            // BV TestValidateJobUpdate "update max failed indexes"
            "update maxFailedIndexes",
            "Job",
            per_index(json!({"spec": {"maxFailedIndexes": 1}})),
            per_index(json!({"spec": {"maxFailedIndexes": 2}})),
            &[],
        ),
        (
            // BV TestValidateJobUpdate "unset backoff limit per index"
            "unset backoff limit per index",
            "Job",
            per_index(json!({})),
            indexed(json!({})),
            &["spec.backoffLimitPerIndex: Invalid value: null: field is immutable"],
        ),
        (
            // BV TestValidateJobUpdate "remove success policy"
            "remove success policy",
            "Job",
            indexed(json!({"spec": {"successPolicy": {"rules": [{"succeededCount": 1}]}}})),
            indexed(json!({})),
            &["spec.successPolicy: Invalid value"],
        ),
        (
            // BV TestValidateJobUpdate "remove pod failure policy"
            "remove pod failure policy",
            "Job",
            json!({"spec": {"podFailurePolicy": {"rules": [{"action": "FailJob",
                "onExitCodes": {"operator": "In", "values": [1]}}]}}}),
            json!({}),
            &["spec.podFailurePolicy: Invalid value"],
        ),
    ]);
}

// ----------------------------------------------------------------- CronJob

// upstream: BV TestValidateCronJob
#[test]
fn cron_job_create() {
    run(&[
        (
            // BV TestValidateCronJob: timeZone with a leading space
            "timeZone leading space",
            "CronJob",
            json!({"spec": {"timeZone": " Europe/Rome"}}),
            &["spec.timeZone: Invalid value: \" Europe/Rome\": unknown time zone  Europe/Rome"],
        ),
        (
            // BV TestValidateCronJob: timeZone with a trailing space
            "timeZone trailing space",
            "CronJob",
            json!({"spec": {"timeZone": "Europe/Rome "}}),
            &["spec.timeZone: Invalid value: \"Europe/Rome \": unknown time zone Europe/Rome "],
        ),
        (
            // BV TestValidateCronJob: timeZone " "
            "timeZone space",
            "CronJob",
            json!({"spec": {"timeZone": " "}}),
            &["spec.timeZone: Invalid value: \" \": unknown time zone  "],
        ),
        (
            // BV TestValidateCronJob: jobTemplate manualSelector true
            "jobTemplate manualSelector true",
            "CronJob",
            json!({"spec": {"jobTemplate": {"spec": {"manualSelector": true}}}}),
            &[
                "spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: \"nil\", \"false\"",
            ],
        ),
        (
            // BV TestValidateCronJob: negative jobTemplate ttlSecondsAfterFinished
            "jobTemplate ttlSecondsAfterFinished negative",
            "CronJob",
            json!({"spec": {"jobTemplate": {"spec": {"ttlSecondsAfterFinished": -1}}}}),
            &["spec.jobTemplate.spec.ttlSecondsAfterFinished: Invalid value: -1"],
        ),
    ]);
    // BV TestValidateCronJob: timeZone "LOCAL": two errors, the explicit-zone one first.
    let got = errors(&object("CronJob", &json!({"spec": {"timeZone": "LOCAL"}})));
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        got[0].starts_with("spec.timeZone: Invalid value: \"LOCAL\": timeZone must be an explicit time zone"),
        "{got:#?}"
    );
    assert!(
        got[1].starts_with("spec.timeZone: Invalid value: \"LOCAL\": unknown time zone LOCAL"),
        "{got:#?}"
    );
}

// upstream: BV TestValidateCronJobSpec (update cases), TestValidateCronJobScheduleTZ
#[test]
fn cron_job_update() {
    run_updates(&[
        (
            // BV TestValidateCronJobSpec "old timeZone and new timeZone are invalid, but different"
            "old and new timeZone invalid but different",
            "CronJob",
            json!({"spec": {"timeZone": "broken"}}),
            json!({"spec": {"timeZone": "still broken"}}),
            &["spec.timeZone: Invalid value: \"still broken\": unknown time zone still broken"],
        ),
        (
            // BV TestValidateCronJobSpec "old timeZone is invalid, but new timeZone is valid"
            "old timeZone invalid, new valid",
            "CronJob",
            json!({"spec": {"timeZone": "broken"}}),
            json!({"spec": {"timeZone": "America/New_York"}}),
            &[],
        ),
        (
            // BV TestValidateCronJobScheduleTZ "update removing TZ should work"
            "update removing TZ should work",
            "CronJob",
            json!({"spec": {"schedule": "TZ=UTC 0 * * * *"}}),
            json!({"spec": {"schedule": "0 * * * *"}}),
            &[],
        ),
    ]);
}
