//! `validate_update`: metadata immutability and each kind's immutable spec
//! fields.
//!
//! upstream: OM TestValidateObjectMetaUpdate... (objectmeta_test.go),
//! CV TestValidatePodUpdate, AV TestValidateStatefulSetUpdate,
//! TestValidateDeploymentUpdate / strategy_test.go selector immutability,
//! BV TestValidateJobUpdate, TestValidateCronJobUpdate.

use kube_workloads::api::Object;
use kube_workloads::{defaults, validation};
use serde_json::{Value, json};

fn obj(doc: Value) -> Object {
    let mut o = Object::from_value(doc).expect("decodes");
    defaults::apply(&mut o);
    if let Object::Job(j) = &mut o {
        defaults::generate_job_selector(j, "uid-1");
    }
    o
}

fn errors(old: &Object, new: &Object) -> Vec<String> {
    match validation::validate_update(old, new) {
        Ok(()) => Vec::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    }
}

fn meta() -> Value {
    json!({"name": "x", "namespace": "default", "uid": "uid-1", "resourceVersion": "1", "generation": 2})
}

fn pod(spec_extra: Value, meta_extra: Value) -> Object {
    let mut m = meta();
    if let (Some(m), Some(e)) = (m.as_object_mut(), meta_extra.as_object()) {
        m.extend(e.clone());
    }
    let mut spec = json!({"containers": [{"name": "c", "image": "nginx:1"}]});
    if let (Some(s), Some(e)) = (spec.as_object_mut(), spec_extra.as_object()) {
        s.extend(e.clone());
    }
    obj(json!({"apiVersion": "v1", "kind": "Pod", "metadata": m, "spec": spec}))
}

fn assert_errors(got: Vec<String>, expected: &[&str]) {
    assert_eq!(got.len(), expected.len(), "{got:#?}");
    for e in expected {
        assert!(got.iter().any(|g| g.starts_with(e)), "missing {e} in {got:#?}");
    }
}

#[test]
fn metadata_is_immutable() {
    let old = pod(json!({}), json!({}));
    assert_errors(errors(&old, &old), &[]);
    assert_errors(
        errors(&old, &pod(json!({}), json!({"name": "y"}))),
        &["metadata.name: Invalid value: \"y\": field is immutable"],
    );
    assert_errors(
        errors(&old, &pod(json!({}), json!({"namespace": "other"}))),
        &["metadata.namespace: Invalid value: \"other\": field is immutable"],
    );
    assert_errors(
        errors(&old, &pod(json!({}), json!({"uid": "uid-2"}))),
        &["metadata.uid: Invalid value: \"uid-2\": field is immutable"],
    );
    assert_errors(
        errors(&old, &pod(json!({}), json!({"resourceVersion": ""}))),
        &["metadata.resourceVersion: Invalid value: \"\": must be specified for an update"],
    );
    assert_errors(
        errors(&old, &pod(json!({}), json!({"generation": 1}))),
        &["metadata.generation: Invalid value: 1: must not be decremented"],
    );
    assert_errors(
        errors(&old, &pod(json!({}), json!({"creationTimestamp": "2024-01-01T00:00:00Z"}))),
        &["metadata.creationTimestamp: Invalid value: \"2024-01-01T00:00:00Z\": field is immutable"],
    );
    let deleting = pod(json!({}), json!({"deletionTimestamp": "2024-01-01T00:00:00Z"}));
    let more =
        pod(json!({}), json!({"deletionTimestamp": "2024-01-01T00:00:00Z", "finalizers": ["example.com/f"]}));
    assert_errors(
        errors(&deleting, &more),
        &["metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted"],
    );
    // Labels may change.
    assert_errors(errors(&old, &pod(json!({}), json!({"labels": {"a": "b"}}))), &[]);
}

#[test]
fn pod_spec_updates() {
    let old = pod(
        json!({"activeDeadlineSeconds": 100, "tolerations": [{"key": "a", "operator": "Exists"}]}),
        json!({}),
    );
    // image, lowering the deadline, adding a toleration: allowed
    let new = obj(json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta(), "spec": {
        "activeDeadlineSeconds": 50,
        "tolerations": [{"key": "a", "operator": "Exists"}, {"key": "b", "operator": "Exists"}],
        "containers": [{"name": "c", "image": "nginx:2"}]}}));
    assert_errors(errors(&old, &new), &[]);
    // A toleration written with an empty value is the same toleration
    // (Semantic.DeepEqual on Go values: "" is absent).
    let spelled_out = pod(
        json!({"activeDeadlineSeconds": 100, "tolerations": [{"key": "a", "operator": "Exists", "value": "", "effect": ""}]}),
        json!({}),
    );
    assert_errors(errors(&old, &spelled_out), &[]);
    assert_errors(
        errors(
            &old,
            &pod(
                json!({"activeDeadlineSeconds": 200, "tolerations": [{"key": "a", "operator": "Exists"}]}),
                json!({}),
            ),
        ),
        &["spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"],
    );
    assert_errors(
        errors(&old, &pod(json!({"tolerations": [{"key": "a", "operator": "Exists"}]}), json!({}))),
        &[
            "spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value",
        ],
    );
    assert_errors(
        errors(
            &old,
            &pod(
                json!({"activeDeadlineSeconds": 100, "tolerations": [], "restartPolicy": "Never"}),
                json!({}),
            ),
        ),
        &[
            "spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds",
            "spec: Forbidden: pod updates may not change fields other than",
        ],
    );
    // upstream's text ends its list with a newline (a diff of the specs
    // follows upstream, left out here).
    let got = errors(&old, &pod(json!({"restartPolicy": "Never"}), json!({})));
    let forbidden = got.iter().find(|e| e.starts_with("spec: Forbidden: pod updates"));
    assert!(forbidden.is_some_and(|e| e.ends_with("was previously negative)\n")), "{got:#?}");
    // Removing a scheduling gate is allowed, adding one is not.
    let gated = pod(json!({"schedulingGates": [{"name": "example.com/a"}]}), json!({}));
    assert_errors(errors(&gated, &pod(json!({"schedulingGates": []}), json!({}))), &[]);
    assert_errors(
        errors(&pod(json!({}), json!({})), &gated),
        &[
            "spec.schedulingGates[0].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/a'",
        ],
    );
    // A new name given twice: one error, at its last index (upstream keeps
    // a map of name to index), beside the Duplicate.
    let twice =
        pod(json!({"schedulingGates": [{"name": "example.com/b"}, {"name": "example.com/b"}]}), json!({}));
    assert_errors(
        errors(&pod(json!({}), json!({})), &twice),
        &[
            "spec.schedulingGates[1]: Duplicate value: \"example.com/b\"",
            "spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/b'",
        ],
    );
}

// upstream: CV TestValidatePodUpdate (validateOnlyAddedTolerations,
// ValidateContainerUpdates)
#[test]
fn pod_update_tolerations_and_container_count() {
    let noexec = |secs: i64| json!([{"key": "a", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": secs}]);
    let old = pod(json!({"tolerations": noexec(60)}), json!({}));
    // tolerationSeconds of an existing toleration may change.
    assert_errors(errors(&old, &pod(json!({"tolerations": noexec(30)}), json!({}))), &[]);
    assert_errors(
        errors(
            &old,
            &pod(
                json!({"containers": [{"name": "c", "image": "nginx:1"}, {"name": "d", "image": "x"}],
            "tolerations": noexec(60)}),
                json!({}),
            ),
        ),
        &["spec.containers: Forbidden: pod updates may not add or remove containers"],
    );
    assert_errors(
        errors(
            &old,
            &pod(
                json!({"initContainers": [{"name": "i", "image": "x"}], "tolerations": noexec(60)}),
                json!({}),
            ),
        ),
        &["spec.initContainers: Forbidden: pod updates may not add or remove containers"],
    );
}

fn apps(kind: &str, spec: Value) -> Object {
    let mut s = json!({"selector": {"matchLabels": {"app": "x"}},
        "template": {"metadata": {"labels": {"app": "x", "tier": "a"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}});
    if let (Some(s), Some(e)) = (s.as_object_mut(), spec.as_object()) {
        s.extend(e.clone());
    }
    obj(json!({"apiVersion": "apps/v1", "kind": kind, "metadata": meta(), "spec": s}))
}

#[test]
fn apps_selectors_are_immutable() {
    for kind in ["Deployment", "ReplicaSet", "DaemonSet"] {
        let old = apps(kind, json!({}));
        assert_errors(errors(&old, &apps(kind, json!({"minReadySeconds": 5}))), &[]);
        assert_errors(
            errors(&old, &apps(kind, json!({"selector": {"matchLabels": {"app": "x", "tier": "a"}}}))),
            &[
                "spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"x\",\"tier\":\"a\"}}: field is immutable",
            ],
        );
    }
}

#[test]
fn stateful_set_updates() {
    let old = apps("StatefulSet", json!({"serviceName": "svc"}));
    assert_errors(
        errors(
            &old,
            &apps(
                "StatefulSet",
                json!({"serviceName": "svc", "replicas": 5, "minReadySeconds": 3, "revisionHistoryLimit": 2}),
            ),
        ),
        &[],
    );
    assert_errors(
        errors(&old, &apps("StatefulSet", json!({"serviceName": "other"}))),
        &[
            "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ],
    );
    assert_errors(
        errors(&old, &apps("StatefulSet", json!({"serviceName": "svc", "podManagementPolicy": "Parallel"}))),
        &["spec: Forbidden"],
    );
}

// upstream: ValidateStatefulSetUpdate: SkipValidateVolumeClaimTemplates and
// AllowInvalidServiceName (both immutable, so a StatefulSet stored before
// 1.34 checked them stays updatable), and SkipValidatePodTemplateSpec when
// the old spec fails ValidateStatefulSetSpec.
#[test]
fn stateful_set_updates_tolerate_what_was_stored() {
    let stored = apps(
        "StatefulSet",
        json!({"serviceName": "My_Svc", "volumeClaimTemplates": [{"metadata": {"name": "data"}}]}),
    );
    let scaled = apps(
        "StatefulSet",
        json!({"serviceName": "My_Svc", "volumeClaimTemplates": [{"metadata": {"name": "data"}}], "replicas": 3}),
    );
    assert_errors(errors(&stored, &scaled), &[]);
    // The same object created anew fails both checks.
    let created = match validation::validate(&scaled) {
        Ok(()) => Vec::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect(),
    };
    assert_errors(
        created,
        &[
            "spec.serviceName: Invalid value: \"My_Svc\"",
            "spec.volumeClaimTemplates[0].spec.accessModes: Required value",
            "spec.volumeClaimTemplates[0].spec.resources[storage]: Required value",
        ],
    );
    // A pod template that was already invalid (a container without an
    // image) is not checked again; a valid one that turns invalid is.
    let template = |image: Value| json!({"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": image}]}});
    let no_image = apps("StatefulSet", json!({"template": template(json!(""))}));
    let still_no_image = apps("StatefulSet", json!({"template": template(json!("")), "replicas": 2}));
    assert_errors(errors(&no_image, &still_no_image), &[]);
    let valid = apps("StatefulSet", json!({"template": template(json!("x"))}));
    assert_errors(
        errors(&valid, &still_no_image),
        &["spec.template.spec.containers[0].image: Required value"],
    );
    // Skipping the template still checks its pod-specific annotations
    // (ValidatePodTemplateSpecForStatefulSet's skip branch).
    let mirrored = apps(
        "StatefulSet",
        json!({"template": {"metadata": {"labels": {"app": "x"}, "annotations": {"kubernetes.io/config.mirror": "x"}},
                            "spec": {"containers": [{"name": "c", "image": ""}]}}, "replicas": 2}),
    );
    assert_errors(
        errors(&no_image, &mirrored),
        &[
            "spec.template.annotations[kubernetes.io/config.mirror]: Invalid value: \"x\": must set spec.nodeName if mirror pod annotation is set",
        ],
    );
}

// apps/v1 has no `spec.templateGeneration` (the internal field comes from
// the `deprecated.daemonset.template.generation` annotation, and the
// DaemonSet strategy sets it before ValidateDaemonSetSpecUpdate runs), so
// its rules never fail through the API: an apps/v1 value is an unknown key,
// kept and not checked.
#[test]
fn daemon_set_template_generation_is_not_an_apps_v1_field() {
    let old = apps("DaemonSet", json!({"templateGeneration": 2}));
    assert_errors(errors(&old, &apps("DaemonSet", json!({"templateGeneration": 1}))), &[]);
    let changed = apps(
        "DaemonSet",
        json!({"templateGeneration": 2, "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "y"}]}}}),
    );
    assert_errors(errors(&old, &changed), &[]);
}

// upstream: the apps/v1 conversion clears a claim template's apiVersion and
// kind before ValidateStatefulSetUpdate compares the specs (and writes them
// back on reads), so a read-modify-write that carries them is no change.
#[test]
fn stateful_set_claim_template_type_meta_is_no_change() {
    let claim = |type_meta: bool| {
        let mut c = json!({"metadata": {"name": "data"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}});
        if type_meta {
            c["apiVersion"] = json!("v1");
            c["kind"] = json!("PersistentVolumeClaim");
        }
        apps("StatefulSet", json!({"serviceName": "svc", "volumeClaimTemplates": [c]}))
    };
    assert_errors(errors(&claim(false), &claim(true)), &[]);
    assert_errors(errors(&claim(true), &claim(false)), &[]);
}

// The order upstream reports update errors in: the spec's own errors, then
// the selector's immutability (ValidateDeploymentUpdate,
// ValidateReplicaSetUpdate, the DaemonSet strategy), and a StatefulSet's
// Forbidden for non-updatable fields last (ValidateStatefulSetUpdate).
#[test]
fn update_errors_come_in_upstreams_order() {
    let min_ready = "spec.minReadySeconds: Invalid value: -1: must be greater than or equal to 0";
    let selector =
        "spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"x\",\"tier\":\"a\"}}: field is immutable";
    for kind in ["Deployment", "ReplicaSet", "DaemonSet"] {
        let old = apps(kind, json!({}));
        let new = apps(
            kind,
            json!({"minReadySeconds": -1, "selector": {"matchLabels": {"app": "x", "tier": "a"}}}),
        );
        // The DaemonSet and ReplicaSet strategies validate the spec twice
        // (ValidateDaemonSet then ValidateDaemonSetUpdate; ValidateReplicaSet
        // then ValidateReplicaSetUpdate): listed twice, printed once.
        let want: &[&str] =
            if kind == "Deployment" { &[min_ready, selector] } else { &[min_ready, min_ready, selector] };
        assert_eq!(errors(&old, &new), want, "{kind}");
    }
    let message = validation::validate_update(
        &apps("DaemonSet", json!({})),
        &apps("DaemonSet", json!({"minReadySeconds": -1})),
    )
    .err()
    .map(|e| e.to_string());
    assert_eq!(message.as_deref(), Some(min_ready));
    let old = apps("StatefulSet", json!({"serviceName": "svc"}));
    let new = apps("StatefulSet", json!({"serviceName": "other", "replicas": -1}));
    let got = errors(&old, &new);
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got[0].starts_with("spec.replicas: Invalid value: -1"), "{got:#?}");
    assert!(
        got[1].starts_with("spec: Forbidden: updates to statefulset spec for fields other than"),
        "{got:#?}"
    );
}

fn job(spec: Value, suspended_never_started: bool) -> Object {
    let mut s = json!({"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}});
    if let (Some(s), Some(e)) = (s.as_object_mut(), spec.as_object()) {
        s.extend(e.clone());
    }
    if suspended_never_started {
        s["suspend"] = json!(true);
    }
    obj(json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta(), "spec": s}))
}

#[test]
fn job_updates() {
    let old = job(json!({}), false);
    assert_errors(errors(&old, &job(json!({"parallelism": 3, "completions": 1}), false)), &[]);
    // Giving only parallelism leaves completions unset: a change from the defaulted 1.
    assert_errors(
        errors(&old, &job(json!({"parallelism": 3}), false)),
        &["spec.completions: Invalid value: null: field is immutable"],
    );
    assert_errors(
        errors(&old, &job(json!({"completions": 3}), false)),
        &["spec.completions: Invalid value: 3: field is immutable"],
    );
    assert_errors(
        errors(&old, &job(json!({"completionMode": "Indexed", "completions": 1}), false)),
        &["spec.completionMode: Invalid value: \"Indexed\": field is immutable"],
    );
    // Elastic indexed jobs: completions may change together with equal parallelism.
    let indexed = job(json!({"completionMode": "Indexed", "completions": 2, "parallelism": 2}), false);
    assert_errors(
        errors(
            &indexed,
            &job(json!({"completionMode": "Indexed", "completions": 4, "parallelism": 4}), false),
        ),
        &[],
    );
    assert_errors(
        errors(
            &indexed,
            &job(json!({"completionMode": "Indexed", "completions": 4, "parallelism": 2}), false),
        ),
        &["spec.completions: Invalid value: 4: can only be modified in tandem with spec.parallelism"],
    );
    // Template is immutable...
    let changed = job(
        json!({"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "y"}]}}}),
        false,
    );
    assert_errors(errors(&old, &changed), &["spec.template: Invalid value"]);
    // ...except scheduling directives of a suspended job that never started.
    let old_suspended = job(json!({}), true);
    let scheduled = job(
        json!({"template": {"spec": {"restartPolicy": "Never", "nodeSelector": {"zone": "a"}, "containers": [{"name": "c", "image": "x"}]}}}),
        true,
    );
    assert_errors(errors(&old_suspended, &scheduled), &[]);
    // Of the affinity only node affinity may change; pod affinity may not
    // (upstream: validatePodTemplateUpdate's AllowMutableSchedulingDirectives).
    let with_affinity = |affinity: Value| {
        job(
            json!({"template": {"spec": {"restartPolicy": "Never", "affinity": affinity,
                   "containers": [{"name": "c", "image": "x"}]}}}),
            true,
        )
    };
    let node = |zone: &str| {
        json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
            {"matchExpressions": [{"key": "zone", "operator": "In", "values": [zone]}]}]}}})
    };
    let pod_affinity = json!({"podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
        {"labelSelector": {"matchLabels": {"app": "db"}}, "topologyKey": "zone"}]}});
    assert_errors(errors(&old_suspended, &with_affinity(node("a"))), &[]);
    assert_errors(errors(&with_affinity(node("a")), &with_affinity(node("b"))), &[]);
    assert_errors(errors(&with_affinity(node("a")), &old_suspended), &[]);
    assert_errors(
        errors(&old_suspended, &with_affinity(pod_affinity.clone())),
        &["spec.template: Invalid value"],
    );
    let mut both = node("a");
    both["podAffinity"] = pod_affinity["podAffinity"].clone();
    assert_errors(errors(&with_affinity(both), &old_suspended), &["spec.template: Invalid value"]);
    assert_errors(
        errors(
            &old,
            &job(
                json!({"template": {"spec": {"restartPolicy": "Never", "nodeSelector": {"zone": "a"}, "containers": [{"name": "c", "image": "x"}]}}}),
                false,
            ),
        ),
        &["spec.template: Invalid value"],
    );
}

// upstream: validationOptionsForJob's RequirePrefixedLabels: on update the
// batch.kubernetes.io labels are required only when the old template had
// both, so a Job created before they existed can still be updated.
#[test]
fn job_updates_require_prefixed_labels_only_if_the_old_job_had_them() {
    let labelled = |labels: Value| {
        let spec = json!({"manualSelector": false,
            "selector": {"matchLabels": {"controller-uid": "uid-1"}},
            "template": {"metadata": {"labels": labels},
                         "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}});
        // Not through obj(): generating a selector would add the prefixed labels.
        let mut o = Object::from_value(
            json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta(), "spec": spec}),
        )
        .expect("decodes");
        defaults::apply(&mut o);
        o
    };
    let legacy = labelled(json!({"controller-uid": "uid-1", "job-name": "x"}));
    assert_errors(errors(&legacy, &legacy), &[]);
    let prefixed = labelled(json!({"controller-uid": "uid-1", "job-name": "x",
        "batch.kubernetes.io/controller-uid": "uid-1", "batch.kubernetes.io/job-name": "x"}));
    assert_errors(errors(&prefixed, &prefixed), &[]);
    assert_errors(
        errors(&prefixed, &legacy),
        &[
            // upstream: ValidateHasLabel's "must be '<value>'".
            "spec.template.metadata.labels[batch.kubernetes.io/controller-uid]: Required value: must be 'uid-1'",
            "spec.template.metadata.labels[batch.kubernetes.io/job-name]: Required value: must be 'x'",
            "spec.template: Invalid value",
        ],
    );
}

#[test]
fn cron_job_updates() {
    let cron = |name: &str, schedule: &str, tz: Option<&str>| {
        let mut spec = json!({"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "x"}]}}}}});
        if let Some(tz) = tz {
            spec["timeZone"] = json!(tz);
        }
        let mut m = meta();
        m["name"] = json!(name);
        obj(json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": m, "spec": spec}))
    };
    let long = "a".repeat(60);
    // The 52-character limit applies on create only.
    let old = cron(&long, "0 * * * *", None);
    assert!(validation::validate(&old).is_err());
    assert_errors(errors(&old, &cron(&long, "5 * * * *", None)), &[]);
    // TZ in the schedule is tolerated only when it was already there.
    let tz_old = cron("c", "TZ=UTC 0 * * * *", None);
    assert_errors(errors(&tz_old, &cron("c", "TZ=UTC 5 * * * *", None)), &[]);
    assert_errors(
        errors(&tz_old, &cron("c", "TZ=UTC 5 * * * *", Some("UTC"))),
        &[
            "spec.schedule: Invalid value: \"TZ=UTC 5 * * * *\": cannot use both timeZone field and TZ or CRON_TZ in schedule",
        ],
    );
    assert_errors(
        errors(&cron("c", "0 * * * *", None), &cron("c", "TZ=UTC 0 * * * *", None)),
        &[
            "spec.schedule: Invalid value: \"TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        ],
    );
}

#[test]
fn kind_change_is_rejected() {
    let p = pod(json!({}), json!({}));
    let d = apps("Deployment", json!({}));
    assert_errors(errors(&p, &d), &["kind: Invalid value: \"Deployment\""]);
}

fn typed_pod(ephemeral: Value) -> kube_workloads::Pod {
    let doc = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta(), "spec": {
        "initContainers": [{"name": "init", "image": "busybox"}],
        "containers": [{"name": "c", "image": "nginx:1"}], "ephemeralContainers": ephemeral}});
    let Object::Pod(p) = obj(doc) else { panic!("not a pod") };
    *p
}

// upstream: the ephemeralcontainers strategy's PrepareForUpdate
// (dropNonEphemeralContainerUpdates, ResetObjectMetaForStatus) keeps only the
// request's ephemeral containers, then ValidatePodEphemeralContainersUpdate
// validates the whole resulting pod; a static pod gets one error, alone.
#[test]
fn ephemeral_containers_update_checks_the_whole_pod() {
    let debug = json!([{"name": "debug", "image": "busybox", "targetContainerName": "c",
                        "terminationMessagePolicy": "File", "imagePullPolicy": "Always"}]);
    let annotated = |cost: &str, ephemeral: Value| {
        let mut p = typed_pod(ephemeral);
        p.metadata.annotations = Some(
            [("controller.kubernetes.io/pod-deletion-cost".to_owned(), cost.to_owned())]
                .into_iter()
                .collect(),
        );
        p
    };
    let errors = |old: &kube_workloads::Pod, new: &kube_workloads::Pod| -> Vec<String> {
        match validation::validate_ephemeral_containers_update(old, new) {
            Ok(()) => Vec::new(),
            Err(e) => e.errors.iter().map(ToString::to_string).collect(),
        }
    };
    // The request's annotations, other containers and labels are dropped,
    // not validated.
    let old = annotated("1", json!([]));
    let mut request = annotated("abc", debug.clone());
    request.spec.as_mut().unwrap().containers[0].image = Some(String::new());
    request.metadata.labels = Some([("bad key!".to_owned(), "x".to_owned())].into_iter().collect());
    assert_eq!(errors(&old, &request), Vec::<String>::new());
    let prepared = validation::prepare_ephemeral_containers_update(&old, &request);
    assert_eq!(prepared.metadata.annotations, old.metadata.annotations);
    assert_eq!(prepared.metadata.labels, old.metadata.labels);
    assert_eq!(prepared.spec.as_ref().unwrap().containers[0].image.as_deref(), Some("nginx:1"));
    assert_eq!(
        prepared.spec.as_ref().unwrap().ephemeral_containers,
        request.spec.as_ref().unwrap().ephemeral_containers
    );
    // The ephemeral containers themselves are validated.
    let bad = json!([{"name": "debug", "image": "busybox", "targetContainerName": "nope",
                      "terminationMessagePolicy": "File", "imagePullPolicy": "Always"}]);
    assert_eq!(
        errors(&old, &annotated("1", bad)),
        ["spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\""]
    );
    let mut mirror = typed_pod(json!([]));
    mirror.metadata.annotations =
        Some([("kubernetes.io/config.mirror".to_owned(), "x".to_owned())].into_iter().collect());
    let mut with_debug = mirror.clone();
    with_debug.spec.as_mut().unwrap().ephemeral_containers = serde_json::from_value(debug.clone()).unwrap();
    assert_eq!(
        errors(&mirror, &with_debug),
        [": Forbidden: static pods do not support ephemeral containers"]
    );
}

// upstream: ValidatePodEphemeralContainersUpdate compares existing
// ephemeral containers with Semantic.DeepEqual (a zero value equals a
// missing one), finds them through a map by name (the last of a repeated
// name counts), and ends its messages with a newline (the "changed" one
// then goes on with a diff upstream, left out here).
#[test]
fn ephemeral_containers_compared_semantically_last_name_wins() {
    let check = |old: Value, new: Value| match validation::validate_ephemeral_containers_update(
        &typed_pod(old),
        &typed_pod(new),
    ) {
        Ok(()) => Vec::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
    };
    let debug = json!({"name": "debug", "image": "busybox", "terminationMessagePolicy": "File",
                       "imagePullPolicy": "Always"});
    let mut explicit = debug.clone();
    explicit["stdin"] = json!(false);
    explicit["env"] = json!([]);
    assert_eq!(check(json!([explicit]), json!([debug.clone()])), Vec::<String>::new());
    let mut alpine = debug.clone();
    alpine["image"] = json!("alpine");
    // [alpine, debug]: the last "debug" is the unchanged one.
    assert_eq!(
        check(json!([debug.clone()]), json!([alpine.clone(), debug.clone()])),
        ["spec.ephemeralContainers[1].name: Duplicate value: \"debug\""]
    );
    assert_eq!(
        check(json!([debug.clone()]), json!([debug.clone(), alpine])),
        [
            "spec.ephemeralContainers[1].name: Duplicate value: \"debug\"",
            "spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debug\" may not be changed\n",
        ]
    );
    assert_eq!(
        check(json!([debug]), json!([])),
        ["spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debug\" may not be removed\n"]
    );
}

// upstream: CV TestValidateEphemeralContainers, TestValidatePodEphemeralContainersUpdate
#[test]
fn ephemeral_containers_subresource() {
    let check = |old: Value, new: Value, expected: &[&str]| {
        let got = match validation::validate_ephemeral_containers_update(&typed_pod(old), &typed_pod(new)) {
            Ok(()) => Vec::new(),
            Err(e) => e.errors.iter().map(ToString::to_string).collect(),
        };
        assert_errors(got, expected);
    };
    let debug = json!({"name": "debug", "image": "busybox", "targetContainerName": "c", "stdin": true, "tty": true,
                       "terminationMessagePolicy": "File", "imagePullPolicy": "Always"});
    check(json!([]), json!([debug.clone()]), &[]);
    check(json!([debug.clone()]), json!([debug.clone()]), &[]);
    check(
        json!([debug.clone()]),
        json!([]),
        &["spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debug\" may not be removed"],
    );
    let mut changed = debug.clone();
    changed["image"] = json!("alpine");
    check(
        json!([debug.clone()]),
        json!([changed]),
        &["spec.ephemeralContainers: Forbidden: existing ephemeral containers \"debug\" may not be changed"],
    );
    let mut probe = debug.clone();
    probe["ports"] = json!([{"containerPort": 80, "protocol": "TCP"}]);
    probe["readinessProbe"] = json!({"exec": {"command": ["x"]}});
    check(
        json!([]),
        json!([probe]),
        &[
            "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
            "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
        ],
    );
    let mut target = debug.clone();
    target["targetContainerName"] = json!("nope");
    check(
        json!([]),
        json!([target]),
        &["spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\""],
    );
    let mut clash = debug.clone();
    clash["name"] = json!("init");
    check(json!([]), json!([clash]), &["spec.ephemeralContainers[0].name: Duplicate value: \"init\""]);
    // upstream: validateEphemeralContainers forbids the restart fields
    // (with ContainerRestartRules on, the default; off,
    // dropContainerRestartRules clears them before validation, see
    // tests/validation.rs).
    let mut restart = debug.clone();
    restart["restartPolicy"] = json!("Never");
    restart["restartPolicyRules"] =
        json!([{"action": "Restart", "exitCodes": {"operator": "In", "values": [1]}}]);
    check(
        json!([]),
        json!([restart]),
        &[
            "spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container",
            "spec.ephemeralContainers[0].restartPolicyRules: Forbidden: cannot be set for an Ephemeral Container",
        ],
    );
    let mut sub = debug;
    sub["volumeMounts"] = json!([{"name": "v", "mountPath": "/v", "subPath": "x"}]);
    check(
        json!([]),
        json!([sub]),
        &[
            "spec.ephemeralContainers[0].volumeMounts[0].name: Not found: \"v\"",
            "spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container",
        ],
    );
}

#[test]
fn updated_metadata_is_validated() {
    let old = pod(json!({}), json!({}));
    // Listed by the API server's common update checks and again by the
    // kind's own (validatePodMetadataAndSpec, ValidatePodTemplateUpdate);
    // upstream's causes list it more often still, and the message prints
    // it once either way.
    assert_errors(
        errors(&old, &pod(json!({}), json!({"labels": {"app": "-bad"}}))),
        &["metadata.labels: Invalid value: \"-bad\"", "metadata.labels: Invalid value: \"-bad\""],
    );
    let pt = |labels: Value| {
        obj(
            json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": {"name": "t", "resourceVersion": "1", "labels": labels},
            "template": {"spec": {"containers": [{"name": "c", "image": "x"}]}}}),
        )
    };
    assert_errors(
        errors(&pt(json!({})), &pt(json!({"a": "-"}))),
        &["metadata.labels: Invalid value: \"-\"", "metadata.labels: Invalid value: \"-\""],
    );
}

// upstream: rest.BeforeUpdate runs validateCommonFields (the new metadata
// as any kind's, names as URL path segments, then
// ValidateObjectMetaAccessorUpdate) before the kind's ValidateUpdate, and
// the message keeps each error's first place: a bad label comes before a
// missing resourceVersion. ValidateDeploymentUpdate and
// ValidateStatefulSetUpdate check the metadata as an update only, so a
// generateName a create would refuse passes, unless it cannot be a path
// segment.
#[test]
fn common_update_checks_come_first() {
    let deployment = |meta_extra: Value| {
        let mut m = meta();
        if let (Some(m), Some(e)) = (m.as_object_mut(), meta_extra.as_object()) {
            m.extend(e.clone());
        }
        obj(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": m,
            "spec": {"selector": {"matchLabels": {"app": "x"}},
                "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}}))
    };
    let old = deployment(json!({}));
    // The label error again from ValidateDeploymentUpdate's metadata
    // check; the message prints it once, first.
    let bad_label = "metadata.labels: Invalid value: \"-bad\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    let got = validation::validate_update(
        &old,
        &deployment(json!({"resourceVersion": "", "labels": {"-bad": "x"}})),
    )
    .expect_err("invalid");
    assert_eq!(
        got.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        [
            bad_label,
            "metadata.resourceVersion: Invalid value: \"\": must be specified for an update",
            bad_label
        ]
    );
    assert!(got.to_string().starts_with(&format!("[{bad_label}, metadata.resourceVersion")), "{got}");
    assert_eq!(errors(&old, &deployment(json!({"generateName": "Foo_"}))), Vec::<String>::new());
    assert_eq!(
        errors(&old, &deployment(json!({"generateName": "a/b%"}))),
        [
            "metadata.generateName: Invalid value: \"a/b%\": may not contain '/'",
            "metadata.generateName: Invalid value: \"a/b%\": may not contain '%'",
        ]
    );
    // The update still checks the kube finalizer names (core
    // ValidateObjectMetaUpdate's validateKubeFinalizerName).
    let mut finalized = meta();
    finalized["finalizers"] = json!(["foo"]);
    let with_finalizer = obj(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": finalized,
        "spec": {"selector": {"matchLabels": {"app": "x"}},
            "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}}));
    assert_eq!(
        errors(&old, &with_finalizer),
        [
            "metadata.finalizers[0]: Invalid value: \"foo\": name is neither a standard finalizer name nor is it fully qualified"
        ]
    );
    // A StatefulSet's new name is only immutable, not checked as a DNS
    // label again.
    let set = |name: &str| {
        let mut m = meta();
        m["name"] = json!(name);
        obj(json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": m,
            "spec": {"serviceName": "s", "selector": {"matchLabels": {"app": "x"}},
                "template": {"metadata": {"labels": {"app": "x"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}}}}))
    };
    assert_eq!(errors(&set("x"), &set("X.y")), ["metadata.name: Invalid value: \"X.y\": field is immutable"]);
}

// upstream: CV TestValidatePodUpdate (scheduling-gated pods:
// validateNodeSelectorMutation, validateNodeAffinityMutation)
#[test]
fn gated_pod_scheduling_directives() {
    let gates = json!([{"name": "example.com/gate"}]);
    let required = |terms: Value| json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}});
    let expr = |key: &str| json!({"key": key, "operator": "Exists"});
    let forbidden = "spec: Forbidden: pod updates may not change fields other than";
    let gated = pod(json!({"schedulingGates": gates, "nodeSelector": {"zone": "a"}}), json!({}));

    // nodeSelector: additions only, and only while gated.
    assert_errors(
        errors(
            &gated,
            &pod(json!({"schedulingGates": gates, "nodeSelector": {"zone": "a", "disk": "ssd"}}), json!({})),
        ),
        &[],
    );
    assert_errors(
        errors(&gated, &pod(json!({"schedulingGates": gates, "nodeSelector": {"zone": "b"}}), json!({}))),
        &[
            "spec.nodeSelector: Invalid value: {\"zone\":\"b\"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)",
        ],
    );
    assert_errors(
        errors(&gated, &pod(json!({"schedulingGates": gates}), json!({}))),
        &["spec.nodeSelector: Invalid value: null: only additions to spec.nodeSelector are allowed"],
    );
    let ungated = pod(json!({"nodeSelector": {"zone": "a"}}), json!({}));
    assert_errors(
        errors(&ungated, &pod(json!({"nodeSelector": {"zone": "a", "disk": "ssd"}}), json!({}))),
        &[forbidden],
    );
    // Removing the last gate together with a nodeSelector addition.
    assert_errors(
        errors(&gated, &pod(json!({"nodeSelector": {"zone": "a", "disk": "ssd"}}), json!({}))),
        &[],
    );

    // Node affinity: anything when there was no required term list.
    let no_affinity = pod(json!({"schedulingGates": gates}), json!({}));
    assert_errors(
        errors(
            &no_affinity,
            &pod(
                json!({"schedulingGates": gates, "affinity": required(json!([{"matchExpressions": [expr("a")]}]))}),
                json!({}),
            ),
        ),
        &[],
    );
    // With required terms: requirements may be appended to each term.
    let with_terms = pod(
        json!({"schedulingGates": gates, "affinity": required(json!([{"matchExpressions": [expr("a")]}]))}),
        json!({}),
    );
    assert_errors(
        errors(
            &with_terms,
            &pod(
                json!({"schedulingGates": gates, "affinity": required(json!([{"matchExpressions": [expr("a"), expr("b")]}]))}),
                json!({}),
            ),
        ),
        &[],
    );
    assert_errors(
        errors(
            &with_terms,
            &pod(
                json!({"schedulingGates": gates, "affinity": required(json!([{"matchExpressions": [expr("b")]}]))}),
                json!({}),
            ),
        ),
        &[
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]: Invalid value: {\"matchExpressions\":[{\"key\":\"b\",\"operator\":\"Exists\"}]}: only additions are allowed (no mutations or deletions)",
        ],
    );
    assert_errors(
        errors(
            &with_terms,
            &pod(
                json!({"schedulingGates": gates, "affinity": required(json!([
            {"matchExpressions": [expr("a")]}, {"matchExpressions": [expr("c")]}]))}),
                json!({}),
            ),
        ),
        &[
            "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Invalid value: [{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\"}]},{\"matchExpressions\":[{\"key\":\"c\",\"operator\":\"Exists\"}]}]: no additions/deletions to non-empty NodeSelectorTerms list are allowed",
        ],
    );
    // Preferred terms are free while gated; pod affinity is not.
    assert_errors(
        errors(
            &with_terms,
            &pod(
                json!({"schedulingGates": gates, "affinity": {"nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [expr("a")]}]},
            "preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "preference": {"matchExpressions": [expr("z")]}}]}}}),
                json!({}),
            ),
        ),
        &[],
    );
    assert_errors(
        errors(
            &no_affinity,
            &pod(
                json!({"schedulingGates": gates, "affinity": {"podAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [{"topologyKey": "zone", "labelSelector": {}}]}}}),
                json!({}),
            ),
        ),
        &[forbidden],
    );
    // Not gated: node affinity is immutable.
    let ungated_terms =
        pod(json!({"affinity": required(json!([{"matchExpressions": [expr("a")]}]))}), json!({}));
    assert_errors(
        errors(
            &ungated_terms,
            &pod(
                json!({"affinity": required(json!([{"matchExpressions": [expr("a"), expr("b")]}]))}),
                json!({}),
            ),
        ),
        &[forbidden],
    );
}

// upstream: CV TestValidatePodUpdate (ValidatePodSpecificAnnotationUpdates)
#[test]
fn pod_annotation_updates() {
    let key = "container.apparmor.security.beta.kubernetes.io/c";
    let with = |v: &str| pod(json!({}), json!({"annotations": {key: v}}));
    let without = pod(json!({}), json!({}));
    assert_errors(errors(&with("runtime/default"), &with("runtime/default")), &[]);
    assert_errors(
        errors(&without, &with("runtime/default")),
        &[
            "metadata.annotations[container.apparmor.security.beta.kubernetes.io/c]: Forbidden: may not add AppArmor annotations",
        ],
    );
    assert_errors(
        errors(&with("runtime/default"), &with("unconfined")),
        &[
            "metadata.annotations[container.apparmor.security.beta.kubernetes.io/c]: Forbidden: may not remove or update AppArmor annotations",
        ],
    );
    // An invalid deletion cost already stored may stay.
    let cost =
        |v: &str| pod(json!({}), json!({"annotations": {"controller.kubernetes.io/pod-deletion-cost": v}}));
    assert_errors(errors(&cost("abc"), &cost("abc")), &[]);
    // ValidatePodUpdate checks the pod-specific annotations twice (in
    // validatePodMetadataAndSpec, before the spec, and at the end of
    // ValidatePodSpecificAnnotationUpdates): the causes list the error twice,
    // the message once.
    let cost_error = "metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"abc\": must be a 32bit integer";
    assert_eq!(errors(&cost("1"), &cost("abc")), [cost_error, cost_error]);
    let message = validation::validate_update(&cost("1"), &cost("abc")).err().map(|e| e.to_string());
    assert_eq!(message.as_deref(), Some(cost_error));
    // Before the spec's errors.
    let with_deadline = |v: &str| {
        pod(
            json!({"activeDeadlineSeconds": 0}),
            json!({"annotations": {"controller.kubernetes.io/pod-deletion-cost": v}}),
        )
    };
    let got = errors(&cost("1"), &with_deadline("abc"));
    assert_eq!(got.first().map(String::as_str), Some(cost_error), "{got:#?}");
}

// upstream: OM TestValidateObjectMetaUpdate (deletionTimestamp / deletionGracePeriodSeconds cases),
// ValidateObjectMetaUpdate.
#[test]
fn deletion_metadata_is_immutable() {
    let deleting = pod(
        json!({}),
        json!({"deletionTimestamp": "2024-01-01T00:00:00Z", "deletionGracePeriodSeconds": 30}),
    );
    assert_errors(errors(&deleting, &deleting), &[]);
    assert_errors(
        errors(
            &deleting,
            &pod(
                json!({}),
                json!({"deletionTimestamp": "2024-01-02T00:00:00Z", "deletionGracePeriodSeconds": 30}),
            ),
        ),
        &["metadata.deletionTimestamp: Invalid value: \"2024-01-02T00:00:00Z\": field is immutable"],
    );
    assert_errors(
        errors(
            &deleting,
            &pod(
                json!({}),
                json!({"deletionTimestamp": "2024-01-01T00:00:00Z", "deletionGracePeriodSeconds": 10}),
            ),
        ),
        &["metadata.deletionGracePeriodSeconds: Invalid value: 10: field is immutable"],
    );
    let old = pod(json!({}), json!({}));
    assert_errors(
        errors(&old, &pod(json!({}), json!({"deletionTimestamp": "2024-01-01T00:00:00Z"}))),
        &["metadata.deletionTimestamp: Invalid value: \"2024-01-01T00:00:00Z\": field is immutable"],
    );
    assert_errors(
        errors(&old, &pod(json!({}), json!({"deletionGracePeriodSeconds": 0}))),
        &["metadata.deletionGracePeriodSeconds: Invalid value: 0: field is immutable"],
    );
}

// upstream: BV TestValidateJobUpdate (immutable selector, podFailurePolicy, backoffLimitPerIndex,
// managedBy, successPolicy), ValidateJobSpecUpdate.
#[test]
fn job_immutable_fields() {
    let manual = |labels: Value| {
        job(
            json!({"manualSelector": true, "selector": {"matchLabels": labels.clone()},
                   "template": {"metadata": {"labels": labels},
                                "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}}),
            false,
        )
    };
    let old = manual(json!({"a": "b"}));
    assert_errors(errors(&old, &old), &[]);
    assert_errors(
        errors(&old, &manual(json!({"a": "c"}))),
        &["spec.selector: Invalid value", "spec.template: Invalid value"],
    );

    let pfp = |action: &str| {
        job(
            json!({"podFailurePolicy": {"rules": [{"action": action, "onExitCodes": {"operator": "In", "values": [1]}}]}}),
            false,
        )
    };
    assert_errors(errors(&pfp("FailJob"), &pfp("FailJob")), &[]);
    assert_errors(errors(&pfp("FailJob"), &pfp("Ignore")), &["spec.podFailurePolicy: Invalid value"]);
    assert_errors(errors(&job(json!({}), false), &pfp("FailJob")), &["spec.podFailurePolicy: Invalid value"]);

    let indexed = |extra: Value| {
        let mut spec = json!({"completionMode": "Indexed", "completions": 4, "parallelism": 2});
        if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        job(spec, false)
    };
    let per_index = indexed(json!({"backoffLimitPerIndex": 1}));
    assert_errors(errors(&per_index, &per_index), &[]);
    assert_errors(
        errors(&per_index, &indexed(json!({"backoffLimitPerIndex": 2}))),
        &["spec.backoffLimitPerIndex: Invalid value: 2: field is immutable"],
    );

    let managed = indexed(json!({"managedBy": "example.com/controller"}));
    assert_errors(errors(&managed, &managed), &[]);
    assert_errors(
        errors(&managed, &indexed(json!({"managedBy": "example.com/other"}))),
        &["spec.managedBy: Invalid value: \"example.com/other\": field is immutable"],
    );

    let success = |count: i32| indexed(json!({"successPolicy": {"rules": [{"succeededCount": count}]}}));
    assert_errors(errors(&success(1), &success(1)), &[]);
    assert_errors(errors(&success(1), &success(2)), &["spec.successPolicy: Invalid value"]);
}

// upstream: BV TestValidateCronJobUpdate / ValidateCronJobUpdate: validateTimeZone runs on update only
// when spec.timeZone changed.
#[test]
fn cron_job_time_zone_checked_only_when_changed() {
    let cron = |schedule: &str, tz: &str| {
        obj(json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta(), "spec": {
            "schedule": schedule, "timeZone": tz,
            "jobTemplate": {"spec": {"template": {"spec": {"restartPolicy": "OnFailure",
                "containers": [{"name": "c", "image": "x"}]}}}}}}))
    };
    // An unknown zone fails on create...
    let old = cron("0 * * * *", "Mars/Olympus_Mons");
    assert!(validation::validate(&old).is_err());
    // ...but an update that keeps it is accepted,
    assert_errors(errors(&old, &cron("5 * * * *", "Mars/Olympus_Mons")), &[]);
    // a change to another invalid zone is rejected,
    assert_errors(
        errors(&old, &cron("0 * * * *", "Mars/Gale")),
        &["spec.timeZone: Invalid value: \"Mars/Gale\""],
    );
    // `local` gets upstream's two errors: the `Local` check is case-insensitive, and Go's
    // time.LoadLocation only special-cases the exact name `Local`.
    assert_errors(
        errors(&old, &cron("0 * * * *", "local")),
        &[
            "spec.timeZone: Invalid value: \"local\": timeZone must be an explicit time zone",
            "spec.timeZone: Invalid value: \"local\": unknown time zone local",
        ],
    );
    // and a change to a valid zone is accepted.
    assert_errors(errors(&old, &cron("0 * * * *", "Europe/Berlin")), &[]);
}

// upstream: ValidateImmutableField and the StatefulSet spec comparison use
// apiequality.Semantic.DeepEqual: an empty list equals none, quantities
// compare by value; a real change is still refused.
#[test]
fn immutable_fields_compare_semantically() {
    let with_args = |args: Value| {
        job(
            json!({"template": {"spec": {"restartPolicy": "Never",
                   "containers": [{"name": "c", "image": "x", "args": args}]}}}),
            false,
        )
    };
    let old = with_args(json!(null));
    assert_errors(errors(&old, &with_args(json!([]))), &[]);
    assert_errors(errors(&old, &with_args(json!(["run"]))), &["spec.template: Invalid value"]);
    let claims = |storage: Value| {
        apps(
            "StatefulSet",
            json!({"volumeClaimTemplates": [{"metadata": {"name": "data"},
                   "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": storage}}}}]}),
        )
    };
    let stored = claims(json!("1Gi"));
    assert_errors(errors(&stored, &claims(json!(1_073_741_824))), &[]);
    assert_errors(errors(&stored, &claims(json!("2Gi"))), &["spec: Forbidden"]);
}

// A workload's template keeps an invalid deletion cost it already had; a
// valid one may not turn invalid (upstream: the workloads' update strategies
// pass GetValidationOptionsFromPodTemplate(new, old) to ValidatePodTemplateSpec).
#[test]
fn template_deletion_cost_tolerated_only_when_already_invalid() {
    let template = |cost: &str| {
        json!({"template": {"metadata": {"labels": {"app": "x", "tier": "a"},
                                         "annotations": {"controller.kubernetes.io/pod-deletion-cost": cost}},
                            "spec": {"containers": [{"name": "c", "image": "x"}]}}})
    };
    for kind in ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"] {
        let extra = |cost: &str| {
            let mut spec = template(cost);
            if kind == "StatefulSet" {
                spec["serviceName"] = json!("svc");
            }
            apps(kind, spec)
        };
        assert_errors(errors(&extra("abc"), &extra("abc")), &[]);
        // (A DaemonSet lists its spec's errors twice, see
        // update_errors_come_in_upstreams_order.)
        let mut got = errors(&extra("1"), &extra("abc"));
        got.dedup();
        assert_errors(
            got,
            &[
                "spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: \"abc\": must be a 32bit integer",
            ],
        );
    }
    // The same for a ReplicationController and a PodTemplate, which the
    // update takes through the create checks.
    let rc = |cost: &str| {
        obj(json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": meta(),
            "spec": {"replicas": 1, "selector": {"app": "x"},
                     "template": {"metadata": {"labels": {"app": "x"},
                                               "annotations": {"controller.kubernetes.io/pod-deletion-cost": cost}},
                                  "spec": {"containers": [{"name": "c", "image": "x"}]}}}}))
    };
    assert_errors(errors(&rc("abc"), &rc("abc")), &[]);
    let mut got = errors(&rc("1"), &rc("abc"));
    got.dedup();
    assert_errors(got, &["spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]"]);
    let pod_template = |cost: &str| {
        obj(json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": meta(),
            "template": {"metadata": {"annotations": {"controller.kubernetes.io/pod-deletion-cost": cost}},
                         "spec": {"containers": [{"name": "c", "image": "x"}]}}}))
    };
    assert_errors(errors(&pod_template("abc"), &pod_template("abc")), &[]);
    assert_errors(
        errors(&pod_template("1"), &pod_template("abc")),
        &["template.annotations[controller.kubernetes.io/pod-deletion-cost]"],
    );
}

// upstream: ValidatePodUpdate runs validatePodMetadataAndSpec on the new
// pod, with its pod-only checks (projected tokens need a service account,
// ephemeral claim names, image whitespace), then ValidateContainerUpdates
// checks each new image again, and validateOnlyAddedTolerations validates
// the new tolerations again: repeated errors are listed twice and printed
// once.
#[test]
fn pod_updates_run_the_pod_only_checks() {
    let old = pod(json!({}), json!({}));
    let new = pod(json!({"containers": [{"name": "c", "image": "nginx:2 "}]}), json!({}));
    let whitespace =
        "spec.containers[0].image: Invalid value: \"nginx:2 \": must not have leading or trailing whitespace";
    assert_eq!(errors(&old, &new), [whitespace, whitespace]);
    let message = validation::validate_update(&old, &new).err().map(|e| e.to_string());
    assert_eq!(message.as_deref(), Some(whitespace));
    let old =
        pod(json!({"tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"}]}), json!({}));
    let new = pod(
        json!({"tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule"},
                               {"key": "k2", "operator": "Exists", "value": "v"}]}),
        json!({}),
    );
    let tol =
        "spec.tolerations[1].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'";
    let got = errors(&old, &new);
    assert_eq!(got.iter().filter(|e| *e == tol).count(), 2, "{got:#?}");
    let token = json!({"volumes": [{"name": "t", "projected": {"sources": [{"serviceAccountToken": {"path": "token"}}]}}]});
    let old = pod(token.clone(), json!({}));
    let got = errors(&old, &old.clone());
    assert!(
        got.iter().any(|e| e.starts_with("spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set")),
        "{got:#?}"
    );
}

// upstream: useAllowEnvFilesValidation: with EnvFiles off, an update may
// keep the fileKeyRef the stored object already used; a new one is dropped
// (and its variable then has no source).
#[test]
fn file_key_ref_survives_an_update_with_env_files_off() {
    let with_ref = |image: &str| {
        pod(
            json!({"containers": [{"name": "c", "image": image,
                "env": [{"name": "V", "valueFrom": {"fileKeyRef": {"volumeName": "env", "path": "p", "key": "k"}}}]}],
                "volumes": [{"name": "env", "emptyDir": {}}]}),
            json!({}),
        )
    };
    let mut off = kube_workloads::FeatureGates::default();
    off.env_files = false;
    assert_eq!(
        validation::validate_update_with_gates(&with_ref("nginx:1"), &with_ref("nginx:2"), &off),
        Ok(())
    );
    let without = pod(json!({"volumes": [{"name": "env", "emptyDir": {}}]}), json!({}));
    let got = validation::validate_update_with_gates(&without, &with_ref("nginx:1"), &off)
        .err()
        .map(|e| e.errors.iter().map(ToString::to_string).collect::<Vec<_>>())
        .unwrap_or_default();
    assert!(
        got.iter().any(|e| e.ends_with(
            "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
        )),
        "{got:#?}"
    );
}

// upstream: the Job strategy's ValidateUpdate is ValidateJob, then
// ValidateJobUpdate: the metadata update and ValidateJobSpecUpdate, which
// runs ValidateJobSpec again before its update rules (completions,
// selector, template, completionMode, ...): a spec error is listed twice,
// before the selector's immutability.
#[test]
fn job_update_errors_in_upstreams_order() {
    let old = job(json!({}), false);
    let new = job(json!({"parallelism": -1, "completions": 2}), false);
    let negative = "spec.parallelism: Invalid value: -1: must be greater than or equal to 0";
    assert_eq!(
        errors(&old, &new),
        [negative, negative, "spec.completions: Invalid value: 2: field is immutable"],
    );
}

// upstream: ValidateCronJobUpdate checks the metadata update: a
// generateName that a create would refuse passes, but the new labels,
// annotations, owner references and finalizers are checked.
#[test]
fn cron_job_updates_check_metadata_content_not_name_rules() {
    let cj = |generate: Option<&str>| {
        let mut m = meta();
        if let Some(g) = generate {
            m["generateName"] = json!(g);
        }
        obj(json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": m,
            "spec": {"schedule": "*/5 * * * *", "jobTemplate": {"spec": {"template": {"spec": {
                "restartPolicy": "OnFailure", "containers": [{"name": "c", "image": "x"}]}}}}}}))
    };
    assert_eq!(errors(&cj(None), &cj(Some("Bad_"))), Vec::<String>::new());
    // It does check the new labels, annotations, owner references and
    // finalizers (ValidateObjectMetaAccessorUpdate, validateKubeFinalizerName).
    let mut labelled = cj(None);
    labelled.metadata_mut().set_label("bad key!", "x");
    // Listed by the common update checks and by ValidateCronJobUpdate.
    let errs = errors(&cj(None), &labelled);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs.iter().all(|e| e.starts_with("metadata.labels: Invalid value: \"bad key!\"")), "{errs:?}");
    let mut finalized = cj(None);
    finalized.metadata_mut().finalizers = Some(vec!["foo".into()]);
    let errs = errors(&cj(None), &finalized);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].starts_with("metadata.finalizers[0]: Invalid value: \"foo\""), "{errs:?}");
}

// upstream: GetValidationOptionsFromPodSpecAndMeta sets
// AllowIndivisibleHugePagesValues from usesIndivisibleHugePagesValues(old
// spec): once a stored pod (template) holds a hugepages quantity that is not
// a whole number of pages, validateResourceQuantityHugePageValue checks none
// of the new spec's, wherever they are. A valid old spec relaxes nothing.
#[test]
fn indivisible_hugepages_stay_once_stored() {
    let resources = |pages: &str| {
        json!({"limits": {"hugepages-2Mi": pages, "memory": "64Mi"},
               "requests": {"hugepages-2Mi": pages, "memory": "64Mi"}})
    };
    let template = |pages: &str, init: Option<&str>, replicas: i32| {
        let mut spec = json!({"containers": [{"name": "c", "image": "x", "resources": resources(pages)}]});
        if let Some(init) = init {
            spec["initContainers"] = json!([{"name": "i", "image": "x", "resources": resources(init)}]);
        }
        apps(
            "Deployment",
            json!({"replicas": replicas, "template": {"metadata": {"labels": {"app": "x"}}, "spec": spec}}),
        )
    };
    let indivisible = |path: &str, q: &str| {
        format!("{path}: Invalid value: \"{q}\": {q} is not positive integer multiple of hugepages-2Mi")
    };
    let limits = "spec.template.spec.containers[0].resources.limits[hugepages-2Mi]";
    let requests = "spec.template.spec.containers[0].resources.requests[hugepages-2Mi]";
    // On create, and on an update from a valid template, 3Mi is refused.
    let stored = template("3Mi", None, 1);
    let got = validation::validate(&stored).err().map(|e| e.errors.iter().map(ToString::to_string).collect());
    assert_eq!(got, Some(vec![indivisible(limits, "3Mi"), indivisible(requests, "3Mi")]));
    assert_errors(
        errors(&template("4Mi", None, 1), &template("3Mi", None, 1)),
        &[&indivisible(limits, "3Mi"), &indivisible(requests, "3Mi")],
    );
    // Stored with 3Mi: a scale, and even a new indivisible init container,
    // pass (the option covers the whole pod).
    assert_errors(errors(&stored, &template("3Mi", None, 2)), &[]);
    assert_errors(errors(&stored, &template("3Mi", Some("5Mi"), 2)), &[]);
    // The same for a pod, whose old overhead alone is enough (a pod spec
    // cannot change, so the update keeps it).
    let with_overhead = |labels: Value| {
        pod(
            json!({"overhead": {"hugepages-2Mi": "1Mi", "memory": "1Mi"},
                   "containers": [{"name": "c", "image": "nginx:1", "resources": resources("4Mi")}]}),
            json!({"labels": labels}),
        )
    };
    let got = validation::validate(&with_overhead(json!({}))).err().map(|e| e.to_string());
    assert_eq!(
        got.as_deref(),
        Some(
            "spec.overhead.limits[hugepages-2Mi]: Invalid value: \"1Mi\": 1Mi is not positive integer multiple of hugepages-2Mi"
        )
    );
    assert_errors(errors(&with_overhead(json!({})), &with_overhead(json!({"a": "b"}))), &[]);
}

// upstream: GetValidationOptionsFromPodSpecAndMeta derives these options
// from the old pod spec (pkg/api/pod/util.go: hasInvalidLabelValueInAffinitySelector,
// hasInvalidLabelValueInRequiredNodeAffinity,
// hasInvalidTopologySpreadConstraintLabelSelector, hasNonLocalProjectedTokenPath,
// the old sysctls' ValidateHostSysctl, hasUserNamespacesWithVolumeDevices,
// useAllowUserNamespacesHostNetworkSupport, allowTaintTolerationComparisonOperators):
// a template stored with what the check now refuses may be updated, while
// a valid stored template may not take it on. One case per option.
#[test]
fn an_update_keeps_what_the_stored_spec_already_used() {
    let container = json!({"name": "c", "image": "x"});
    let cases: &[(&str, Value, &str)] = &[
        (
            "invalid value in a pod anti-affinity selector",
            json!({"affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": "zone", "labelSelector": {"matchExpressions": [
                    {"key": "app", "operator": "In", "values": ["a b"]}]}}]}}}),
            "spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values[0]: Invalid value: \"a b\"",
        ),
        (
            "invalid value in a required node affinity term",
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "zone", "operator": "In", "values": ["us east"]}]}]}}}}),
            "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: \"us east\"",
        ),
        (
            "invalid topology spread selector",
            json!({"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone",
                "whenUnsatisfiable": "DoNotSchedule", "labelSelector": {"matchLabels": {"app": "-x"}}}]}),
            "spec.template.spec.topologySpreadConstraints[0].labelSelector.matchLabels: Invalid value: \"-x\"",
        ),
        (
            "projected token path outside the volume",
            json!({"volumes": [{"name": "t", "projected": {"sources": [
                {"serviceAccountToken": {"path": "/abs/token", "expirationSeconds": 3600}}]}}]}),
            "spec.template.spec.volumes[0].projected.path: Invalid value: \"/abs/token\"",
        ),
        (
            "network sysctl with hostNetwork",
            json!({"hostNetwork": true, "securityContext": {"sysctls": [{"name": "net.core.somaxconn", "value": "1"}]}}),
            "spec.template.spec.securityContext.sysctls[0].name: Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true",
        ),
        (
            "block devices in a user namespace",
            json!({"hostUsers": false,
                   "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": "c"}}],
                   "containers": [{"name": "c", "image": "x", "volumeDevices": [{"name": "data", "devicePath": "/dev/xvda"}]}]}),
            "spec.template.spec.containers[0].volumeDevices: Forbidden: when `hostUsers` is false",
        ),
        (
            "host network in a user namespace",
            json!({"hostUsers": false, "hostNetwork": true}),
            "spec.template.spec.hostNetwork: Forbidden: when `hostUsers` is false",
        ),
        (
            "a toleration comparing with Lt",
            json!({"tolerations": [{"key": "k", "operator": "Lt", "value": "5", "effect": "NoSchedule"}]}),
            "spec.template.spec.tolerations[0].operator: Unsupported value: \"Lt\"",
        ),
    ];
    let deployment = |extra: &Value, replicas: i32| {
        let mut spec = json!({"containers": [container.clone()]});
        if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
            s.extend(e.clone());
        }
        apps(
            "Deployment",
            json!({"replicas": replicas, "template": {"metadata": {"labels": {"app": "x"}}, "spec": spec}}),
        )
    };
    for (name, extra, error) in cases {
        let stored = deployment(extra, 1);
        let created: Vec<String> = validation::validate(&stored)
            .err()
            .map(|e| e.errors.iter().map(ToString::to_string).collect())
            .unwrap_or_default();
        assert!(created.iter().any(|e| e.starts_with(error)), "{name}: refused on create: {created:#?}");
        assert_errors(errors(&stored, &deployment(extra, 2)), &[]);
        let from_valid = errors(&deployment(&json!({}), 1), &deployment(extra, 2));
        assert!(from_valid.iter().any(|e| e.starts_with(error)), "{name}: {from_valid:#?}");
    }
}

// upstream: useOnlyRecursiveSELinuxChangePolicy: with SELinuxMount off (its
// 1.35 default) a pod may ask only for `Recursive`, unless the stored object
// already set a policy; useAllowUserNamespacesHostNetworkSupport: the host
// network in a user namespace needs the alpha gate or a stored pod that
// already had it.
#[test]
fn gated_security_settings_stay_once_stored() {
    let policy = |p: &str, labels: Value| {
        pod(json!({"securityContext": {"seLinuxChangePolicy": p}}), json!({"labels": labels}))
    };
    let refused = "spec.securityContext.seLinuxChangePolicy: Unsupported value: \"MountOption\": supported values: \"Recursive\"";
    let created = validation::validate(&policy("MountOption", json!({}))).err().map(|e| e.to_string());
    assert_eq!(created.as_deref(), Some(refused));
    let mut gates = kube_workloads::FeatureGates::default();
    gates.se_linux_mount = true;
    assert_eq!(validation::validate_with_gates(&policy("MountOption", json!({})), &gates), Ok(()));
    // Stored with a policy (say while the gate was on): the update keeps it.
    assert_errors(errors(&policy("MountOption", json!({})), &policy("MountOption", json!({"a": "b"}))), &[]);
    let userns =
        |labels: Value| pod(json!({"hostUsers": false, "hostNetwork": true}), json!({"labels": labels}));
    let got = validation::validate(&userns(json!({}))).err().map(|e| e.to_string());
    assert_eq!(got.as_deref(), Some("spec.hostNetwork: Forbidden: when `hostUsers` is false"));
    let mut gates = kube_workloads::FeatureGates::default();
    gates.user_namespaces_host_network_support = true;
    assert_eq!(validation::validate_with_gates(&userns(json!({})), &gates), Ok(()));
    assert_errors(errors(&userns(json!({})), &userns(json!({"a": "b"}))), &[]);
}

// upstream: GetValidationOptionsFromPodSpecAndMeta with a gate off still
// turns the option on from the old spec: podLifecycleSleepActionZeroValueInUse
// (AllowPodLifecycleSleepActionZeroValue), useRelaxedEnvironmentVariableValidation
// (a relaxed-only name of the new spec the old spec already had) and
// containerRestartRulesInUse (AllowContainerRestartPolicyRules: the rules are
// kept, so validated; without them the API server drops the fields).
#[test]
fn gates_off_keep_what_the_stored_spec_already_used() {
    let deployment = |container: Value, replicas: i32| {
        apps(
            "Deployment",
            json!({"replicas": replicas, "template": {"metadata": {"labels": {"app": "x"}},
                   "spec": {"containers": [container]}}}),
        )
    };
    let update = |old: &Object, new: &Object, gates: &kube_workloads::FeatureGates| -> Vec<String> {
        match validation::validate_update_with_gates(old, new, gates) {
            Ok(()) => Vec::new(),
            Err(e) => e.errors.iter().map(ToString::to_string).collect(),
        }
    };
    // A zero-second preStop sleep.
    let mut no_zero = kube_workloads::FeatureGates::default();
    no_zero.pod_lifecycle_sleep_action_allow_zero = false;
    let sleep = |seconds: i64, replicas: i32| {
        deployment(
            json!({"name": "c", "image": "x", "lifecycle": {"preStop": {"sleep": {"seconds": seconds}}}}),
            replicas,
        )
    };
    let zero_refused = "spec.template.spec.containers[0].lifecycle.preStop.sleep: Invalid value: 0";
    let got = update(&sleep(1, 1), &sleep(0, 2), &no_zero);
    assert!(got.iter().any(|e| e.starts_with(zero_refused)), "{got:#?}");
    assert_eq!(update(&sleep(0, 1), &sleep(0, 2), &no_zero), Vec::<String>::new());
    // A name only the relaxed rule accepts: kept, and then every name is
    // checked by the relaxed rule.
    let mut strict = kube_workloads::FeatureGates::default();
    strict.relaxed_environment_variable_validation = false;
    let env = |names: &[&str], replicas: i32| {
        let vars: Vec<Value> = names.iter().map(|n| json!({"name": n, "value": "v"})).collect();
        deployment(json!({"name": "c", "image": "x", "env": vars}), replicas)
    };
    let relaxed_refused = "spec.template.spec.containers[0].env[0].name: Invalid value: \"1FOO\"";
    let got = update(&env(&["FOO"], 1), &env(&["1FOO"], 2), &strict);
    assert!(got.iter().any(|e| e.starts_with(relaxed_refused)), "{got:#?}");
    assert_eq!(update(&env(&["1FOO"], 1), &env(&["1FOO", "2BAR"], 2), &strict), Vec::<String>::new());
    // Dropping the relaxed name ends the relaxation.
    let got = update(&env(&["1FOO"], 1), &env(&["2BAR"], 2), &strict);
    assert!(got.iter().any(|e| e.contains("\"2BAR\"")), "{got:#?}");
    // Restart rules with ContainerRestartRules off: dropped (an invalid
    // rule passes) unless the stored spec had some (then validated).
    let mut no_rules = kube_workloads::FeatureGates::default();
    no_rules.container_restart_rules = false;
    let rules = |action: &str, replicas: i32| {
        deployment(
            json!({"name": "c", "image": "x", "restartPolicy": "Never", "restartPolicyRules": [
                {"action": action, "exitCodes": {"operator": "In", "values": [42]}}]}),
            replicas,
        )
    };
    let plain = deployment(json!({"name": "c", "image": "x"}), 1);
    assert_eq!(update(&plain, &rules("Stop", 2), &no_rules), Vec::<String>::new());
    let got = update(&rules("Restart", 1), &rules("Stop", 2), &no_rules);
    assert!(
        got.iter().any(|e| e.starts_with(
            "spec.template.spec.containers[0].restartPolicyRules[0].action: Unsupported value: \"Stop\""
        )),
        "{got:#?}"
    );
}

// upstream: the DaemonSet strategy's ValidateUpdate and the Job strategy's
// validationOptionsForJob set AllowInvalidLabelValueInSelector when the
// stored selector already holds an invalid label value
// (LabelSelectorHasInvalidLabelValue): such an object, stored before the
// values were checked, stays updatable. A create still refuses it.
#[test]
fn stored_selectors_with_invalid_values_stay_updatable() {
    let bad_selector = json!({"matchLabels": {"app": "x"},
        "matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["a b"]}]});
    let ds = |image: &str| {
        apps(
            "DaemonSet",
            json!({"selector": bad_selector, "template": {"metadata": {"labels": {"app": "x"}},
                "spec": {"containers": [{"name": "c", "image": image}]}}}),
        )
    };
    assert_errors(errors(&ds("x"), &ds("y")), &[]);
    assert!(validation::validate(&ds("y")).is_err(), "a create checks the values");
    // The same option reaches the template's pod (anti-)affinity selectors.
    let with_affinity = apps(
        "DaemonSet",
        json!({"selector": bad_selector, "template": {"metadata": {"labels": {"app": "x"}},
            "spec": {"containers": [{"name": "c", "image": "x"}],
                "affinity": {"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                    {"labelSelector": {"matchExpressions": [{"key": "tier", "operator": "In", "values": ["a b"]}]},
                     "topologyKey": "kubernetes.io/hostname"}]}}}}}),
    );
    assert_errors(errors(&ds("x"), &with_affinity), &[]);

    let job = |parallelism: i32| {
        obj(json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta(),
            "spec": {"manualSelector": true, "parallelism": parallelism, "selector": bad_selector,
                "template": {"metadata": {"labels": {"app": "x"}},
                    "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "x"}]}}}}))
    };
    assert_errors(errors(&job(1), &job(2)), &[]);
    assert!(validation::validate(&job(2)).is_err(), "a create checks the values");
}

// upstream: rest.BeforeUpdate validates the common metadata
// (validateCommonFields: ValidateObjectMetaAccessorUpdate) before the Job
// strategy's ValidateUpdate: a finalizer added to a Job being deleted is
// reported before the spec's errors.
#[test]
fn job_update_lists_the_metadata_update_first() {
    let mut m = meta();
    m["deletionTimestamp"] = json!("2024-01-01T00:00:00Z");
    let doc = |m: Value, parallelism: i32| {
        obj(json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": m,
            "spec": {"parallelism": parallelism, "template": {"spec": {"restartPolicy": "Never",
                "containers": [{"name": "c", "image": "x"}]}}}}))
    };
    let old = doc(m.clone(), 1);
    let mut with_finalizer = m;
    with_finalizer["finalizers"] = json!(["x.io/y"]);
    let errs = errors(&old, &doc(with_finalizer, -1));
    assert!(errs.first().is_some_and(|e| e.starts_with("metadata.finalizers: Forbidden")), "{errs:#?}");
    assert!(errs.iter().any(|e| e.starts_with("spec.parallelism")), "{errs:#?}");
}

// upstream: validateFieldAllowList visits EphemeralContainerCommon's fields
// in declaration order (ports before the probes before lifecycle) and
// counts a field as set once Go decoded it non-nil, an empty list
// included; with ContainerStopSignals off, dropContainerStopSignals first
// turns a lifecycle that holds only a stop signal into nil.
#[test]
fn ephemeral_forbidden_fields_in_upstreams_order() {
    let errors_of = |ephemeral: Value| match validation::validate_ephemeral_containers_update(
        &typed_pod(json!([])),
        &typed_pod(json!([ephemeral])),
    ) {
        Ok(()) => Vec::new(),
        Err(e) => e.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
    };
    let debug = |extra: Value| {
        let mut d = json!({"name": "debug", "image": "busybox", "terminationMessagePolicy": "File",
            "imagePullPolicy": "Always"});
        if let (Some(d), Some(e)) = (d.as_object_mut(), extra.as_object()) {
            d.extend(e.clone());
        }
        d
    };
    let forbidden = |f: &str| {
        format!("spec.ephemeralContainers[0].{f}: Forbidden: cannot be set for an Ephemeral Container")
    };
    assert_eq!(
        errors_of(debug(json!({"lifecycle": {"preStop": {"exec": {"command": ["x"]}}},
            "ports": [{"containerPort": 80, "protocol": "TCP"}]}))),
        [forbidden("ports"), forbidden("lifecycle")]
    );
    assert_eq!(errors_of(debug(json!({"ports": []}))), [forbidden("ports")]);
    assert_eq!(errors_of(debug(json!({"lifecycle": {"stopSignal": "SIGTERM"}}))), Vec::<String>::new());
}

// upstream: dropContainerStopSignals and dropDisabledFields keep a stop
// signal or a hostnameOverride the stored object already used, with their
// gates off (the 1.35 defaults), and validation then checks them.
#[test]
fn fields_of_disabled_gates_in_use_stay_validated() {
    let template = |signal: &str, os: Value| {
        apps(
            "Deployment",
            json!({"template": {"metadata": {"labels": {"app": "x"}}, "spec": {"os": os,
                "containers": [{"name": "c", "image": "x", "lifecycle": {"stopSignal": signal}}]}}}),
        )
    };
    let linux = json!({"name": "linux"});
    let old = template("SIGTERM", linux.clone());
    assert_errors(errors(&old, &template("SIGINT", linux)), &[]);
    assert_errors(
        errors(&old, &template("SIGTERM", json!(null))),
        &[
            "spec.template.spec.containers[0].lifecycle.stopSignal: Forbidden: may not be set for containers with empty `spec.os.name`",
        ],
    );
    // Not in use before: dropped, whatever it says.
    let plain = apps("Deployment", json!({}));
    assert_errors(errors(&plain, &template("SIGTERM", json!(null))), &[]);

    let named = |name: &str| {
        obj(json!({"apiVersion": "v1", "kind": "PodTemplate", "metadata": meta(),
            "template": {"spec": {"hostnameOverride": name, "containers": [{"name": "c", "image": "x"}]}}}))
    };
    assert_errors(errors(&named("a"), &named("b")), &[]);
    assert_errors(
        errors(&named("a"), &named("Bad_Name")),
        &["template.spec.hostnameOverride: Invalid value: \"Bad_Name\""],
    );
}

fn rc(annotations: Value, selector: Value, replicas: i64) -> Object {
    let mut m = meta();
    m["annotations"] = annotations;
    obj(json!({"apiVersion": "v1", "kind": "ReplicationController", "metadata": m,
        "spec": {"replicas": replicas, "selector": selector,
                 "template": {"metadata": {"labels": selector},
                              "spec": {"containers": [{"name": "c", "image": "x"}]}}}}))
}

// upstream: rcStrategy.ValidateUpdate runs ValidateReplicationController,
// then ValidateReplicationControllerUpdate (the spec once more: listed
// twice, printed once), then the old object's non-convertible annotations:
// a selector one forbids changing the selector, any other is Not found on
// the field it names, and a key without exactly one `/` is skipped.
#[test]
fn replication_controller_updates() {
    let plain = rc(json!({}), json!({"app": "a"}), 1);
    let negative = rc(json!({}), json!({"app": "a"}), -1);
    let replicas = "spec.replicas: Invalid value: -1: must be greater than or equal to 0";
    assert_eq!(errors(&plain, &negative), vec![replicas, replicas]);
    let message = validation::validate_update(&plain, &negative).err().map(|e| e.to_string());
    assert_eq!(message.as_deref(), Some(replicas));
    // An RC's selector may change (no immutability check)...
    assert_eq!(errors(&plain, &rc(json!({}), json!({"app": "b"}), 1)), Vec::<String>::new());
    // ...unless the old object says it could not be converted.
    let marked = json!({"non-convertible.kubernetes.io/selector": "x"});
    assert_eq!(
        errors(
            &rc(marked.clone(), json!({"app": "a"}), 1),
            &rc(marked.clone(), json!({"b": "2", "app": "b"}), 1)
        ),
        vec![
            "spec.selector: Invalid value: {\"app\":\"b\",\"b\":\"2\"}: cannot update non-convertible selector"
        ]
    );
    assert_eq!(
        errors(&rc(marked.clone(), json!({"app": "a"}), 1), &rc(marked, json!({"app": "a"}), 1)),
        Vec::<String>::new()
    );
    // Any other field is reported whatever the update, after the spec's
    // errors; a key without a `/` is skipped (one with two is not a valid
    // annotation key, so no stored object has it).
    let other = json!({"non-convertible.kubernetes.io/spec.foo": "bar",
        "non-convertible.kubernetes.io": "skipped"});
    assert_eq!(
        errors(&rc(other.clone(), json!({"app": "a"}), 1), &rc(other, json!({"app": "a"}), -1)),
        vec![replicas, replicas, "spec.foo: Not found: \"bar\": unknown non-convertible field"]
    );
}
