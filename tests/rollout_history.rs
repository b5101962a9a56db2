//! `kubectl rollout history` for Deployments, StatefulSets and DaemonSets
//! (`deployment::history`, `statefulset::history`, `daemonset::history`).
//!
//! upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/history.go
//! (DeploymentHistoryViewer.ViewHistory, printHistory, controlledHistory,
//! applyStatefulSetHistory, applyDaemonSetHistory, tabbedString) and its
//! history_test.go TestViewHistory; cmd/rollout/rollout_history.go
//! (RolloutHistoryOptions.Validate). Cases other than TestViewHistory's are
//! the crate's own, one per branch of those functions.

use kube_workloads::api::ControllerRevision;
use kube_workloads::controller::rollout::{CHANGE_CAUSE_ANNOTATION, HistoryError};
use kube_workloads::controller::{daemonset, deployment, statefulset};
use kube_workloads::{DaemonSet, Deployment, ReplicaSet, StatefulSet};
use serde_json::{Value, json};

fn template(image: &str) -> Value {
    json!({"metadata": {"labels": {"foo": "bar"}}, "spec": {"containers": [{"name": "test", "image": image}]}})
}

fn set(image: &str) -> StatefulSet {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "moons", "namespace": "default", "uid": "1993", "labels": {"foo": "bar"}},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"foo": "bar"}}, "template": template(image)},
    }))
    .expect("set")
}

fn daemon_set(image: &str) -> DaemonSet {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "moons", "namespace": "default", "uid": "1993", "labels": {"foo": "bar"}},
        "spec": {"selector": {"matchLabels": {"foo": "bar"}}, "template": template(image)},
    }))
    .expect("daemon set")
}

/// A ControllerRevision of `kind` "moons" (UID 1993) named `name`, holding
/// `data`.
fn revision(kind: &str, name: &str, number: i64, data: Value) -> ControllerRevision {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "ControllerRevision",
        "metadata": {"name": name, "namespace": "default", "labels": {"foo": "bar"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": kind, "name": "moons",
                                          "uid": "1993", "controller": true}]},
        "data": data,
        "revision": number,
    }))
    .expect("revision")
}

fn image(t: &kube_workloads::api::PodTemplateSpec) -> &str {
    t.spec.as_ref().and_then(|s| s.containers.first()).and_then(|c| c.image.as_deref()).unwrap_or("")
}

// upstream: history_test.go TestViewHistory "for statefulSet" / "for
// daemonSet": one revision whose data is the whole object lists as
// `1 <none>`, and revision 1 describes its template (labels foo=bar,
// container test with image nginx).
#[test]
fn view_history_of_one_revision() {
    let sts = set("nginx");
    let data = serde_json::to_value(&sts).expect("json");
    let history = statefulset::history(&sts, &[revision("StatefulSet", "moons", 1, data)]).expect("history");
    assert_eq!(history.to_string(), "REVISION  CHANGE-CAUSE\n1         <none>\n");
    let t = history.template(1).expect("revision 1").expect("a history");
    assert_eq!(image(t), "nginx");
    assert_eq!(t.metadata.as_ref().and_then(|m| m.label("foo")), Some("bar"));

    let ds = daemon_set("nginx");
    let data = serde_json::to_value(&ds).expect("json");
    let history = daemonset::history(&ds, &[revision("DaemonSet", "moons", 1, data)]).expect("history");
    assert_eq!(history.to_string(), "REVISION  CHANGE-CAUSE\n1         <none>\n");
    assert_eq!(image(history.template(1).expect("revision 1").expect("a history")), "nginx");
}

// printHistory: revisions by number whatever the list order, the change
// cause from each revision's annotation, the column as wide as the widest
// number plus two; revisions of another owner, namespace or selector are
// not the set's.
#[test]
fn controller_revision_history_lists_by_number_with_causes() {
    let sts = set("nginx:12");
    let data = |image: &str| statefulset::revision_data(&serde_json::from_value(template(image)).expect("t"));
    let mut caused = revision("StatefulSet", "moons-b", 12, data("nginx:12"));
    caused.metadata.set_annotation(CHANGE_CAUSE_ANNOTATION, "kubectl set image sts/moons test=nginx:12");
    let mut empty_cause = revision("StatefulSet", "moons-c", 3, data("nginx:3"));
    empty_cause.metadata.set_annotation(CHANGE_CAUSE_ANNOTATION, "");
    let mut other_namespace = revision("StatefulSet", "moons-x", 5, data("x"));
    other_namespace.metadata.namespace = Some("other".into());
    let mut other_owner = revision("StatefulSet", "moons-y", 6, data("y"));
    other_owner.metadata.owner_references.as_mut().expect("owners")[0].uid = "another".into();
    let mut unselected = revision("StatefulSet", "moons-z", 7, data("z"));
    unselected.metadata.set_label("foo", "baz");
    let revisions = [
        caused,
        revision("StatefulSet", "moons-a", 1, data("nginx:1")),
        empty_cause,
        other_namespace,
        other_owner,
        unselected,
    ];
    let history = statefulset::history(&sts, &revisions).expect("history");
    assert_eq!(
        history.to_string(),
        "REVISION  CHANGE-CAUSE\n1         <none>\n3         <none>\n12        kubectl set image sts/moons test=nginx:12\n"
    );
    let numbers: Vec<i64> = history.entries().iter().map(|e| e.revision).collect();
    assert_eq!(numbers, [1, 3, 12]);
    assert_eq!(image(history.template(3).expect("3").expect("a history")), "nginx:3");
}

// printHistory's lookups: a missing revision, a revision whose data does
// not decode (named in the error), data without a template (the current
// one stays, as the strategic merge patch leaves it), a negative revision
// (Validate), and no revisions at all.
#[test]
fn controller_revision_history_lookups() {
    let ds = daemon_set("nginx:2");
    let revisions = [
        revision(
            "DaemonSet",
            "moons-1",
            1,
            json!({"spec": {"template": {"spec": {"containers": "not a list"}}}}),
        ),
        revision("DaemonSet", "moons-2", 2, json!({"spec": {"minReadySeconds": 5}})),
    ];
    let history = daemonset::history(&ds, &revisions).expect("history");
    let unreadable = history.template(1).expect_err("does not decode");
    assert_eq!(unreadable, HistoryError::UnreadableRevision("moons-1".into()));
    assert_eq!(unreadable.to_string(), "unable to parse history moons-1");
    assert_eq!(image(history.template(2).expect("2").expect("a history")), "nginx:2");
    let missing = history.template(9).expect_err("none");
    assert_eq!(missing.to_string(), "unable to find the specified revision");
    assert_eq!(
        history.template(-1).expect_err("negative").to_string(),
        "revision must be a positive integer: -1"
    );

    let none = daemonset::history(&ds, &[]).expect("history");
    assert!(none.is_empty());
    assert_eq!(none.to_string(), "No rollout history found.");
    // Asked for a revision of no history at all, kubectl prints the same
    // text and succeeds.
    assert_eq!(none.template(3), Ok(None));
}

// statefulSetHistory / daemonSetHistory: a selector that does not convert
// stops before any listing, with kubectl's text.
#[test]
fn controller_revision_history_needs_a_selector_that_converts() {
    let mut sts = set("nginx");
    sts.spec.as_mut().expect("spec").selector =
        serde_json::from_value(json!({"matchExpressions": [{"key": "foo", "operator": "In", "values": []}]}))
            .expect("selector");
    let err = statefulset::history(&sts, &[]).expect_err("bad selector");
    assert!(matches!(err, HistoryError::Selector { kind: "StatefulSet", .. }), "{err:?}");
    assert!(err.to_string().starts_with("failed to create selector for StatefulSet moons: "), "{err}");
}

fn deployment_of(image: &str) -> Deployment {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "uid": "d-1"},
        "spec": {"selector": {"matchLabels": {"foo": "bar"}}, "template": template(image)},
    }))
    .expect("deployment")
}

fn replica_set(name: &str, revision: Option<&str>, image: &str, created: &str) -> ReplicaSet {
    let mut annotations = json!({});
    if let Some(r) = revision {
        annotations["deployment.kubernetes.io/revision"] = r.into();
    }
    let mut labelled = template(image);
    labelled["metadata"]["labels"]["pod-template-hash"] = name.into();
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default", "uid": format!("uid-{name}"),
                     "creationTimestamp": created, "labels": {"foo": "bar"}, "annotations": annotations,
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                          "uid": "d-1", "controller": true}]},
        "spec": {"selector": {"matchLabels": {"foo": "bar"}}, "template": labelled},
    }))
    .expect("replica set")
}

// DeploymentHistoryViewer.ViewHistory: the ReplicaSets kubectl lists
// (GetAllReplicaSets), each under its revision annotation (missing: 0;
// unparsable: left out), the ReplicaSet's change cause written into its
// template's annotations.
#[test]
fn deployment_history() {
    let d = deployment_of("nginx:3");
    let mut second = replica_set("web-b", Some("2"), "nginx:2", "2024-01-02T00:00:00Z");
    second.metadata.set_annotation(CHANGE_CAUSE_ANNOTATION, "bump to 2");
    let mut foreign = replica_set("web-f", Some("4"), "nginx:4", "2024-01-04T00:00:00Z");
    foreign.metadata.owner_references = None;
    let replica_sets = [
        replica_set("web-c", Some("3"), "nginx:3", "2024-01-03T00:00:00Z"),
        second,
        replica_set("web-a", None, "nginx:0", "2024-01-01T00:00:00Z"),
        replica_set("web-x", Some("two"), "nginx:x", "2024-01-01T00:00:00Z"),
        foreign,
    ];
    let history = deployment::history(&d, &replica_sets).expect("history");
    assert_eq!(
        history.to_string(),
        "REVISION  CHANGE-CAUSE\n0         <none>\n2         bump to 2\n3         <none>\n"
    );
    let two = history.template(2).expect("2").expect("a history");
    assert_eq!(image(two), "nginx:2");
    assert_eq!(two.metadata.as_ref().and_then(|m| m.annotation(CHANGE_CAUSE_ANNOTATION)), Some("bump to 2"));
    assert_eq!(image(history.template(0).expect("0").expect("a history")), "nginx:0");
    assert_eq!(
        history.template(4).expect_err("foreign").to_string(),
        "unable to find the specified revision"
    );
    assert_eq!(deployment::history(&d, &[]).expect("history").to_string(), "No rollout history found.");
}

// kubectl fills its map in GetAllReplicaSets' order (old ones oldest
// first, the new one last): of two ReplicaSets with one revision the new
// one stays; of two old ones, the newer.
#[test]
fn deployment_history_keeps_the_last_visited_of_one_revision() {
    let d = deployment_of("nginx:new");
    let replica_sets = [
        replica_set("web-new", Some("5"), "nginx:new", "2024-01-01T00:00:00Z"),
        replica_set("web-old", Some("5"), "nginx:old", "2024-01-02T00:00:00Z"),
        replica_set("web-older", Some("4"), "nginx:4a", "2024-01-01T00:00:00Z"),
        replica_set("web-younger", Some("4"), "nginx:4b", "2024-01-03T00:00:00Z"),
    ];
    let history = deployment::history(&d, &replica_sets).expect("history");
    assert_eq!(image(history.template(5).expect("5").expect("a history")), "nginx:new");
    assert_eq!(image(history.template(4).expect("4").expect("a history")), "nginx:4b");
    // A template's own change cause shows when its ReplicaSet has none.
    let mut own = replica_set("web-own", Some("6"), "nginx:6", "2024-01-04T00:00:00Z");
    let t = own.spec.as_mut().and_then(|s| s.template.as_mut()).expect("template");
    t.metadata.get_or_insert_default().set_annotation(CHANGE_CAUSE_ANNOTATION, "from the template");
    let history = deployment::history(&d, &[own]).expect("history");
    assert_eq!(history.entries()[0].change_cause.as_deref(), Some("from the template"));
}

// getDeploymentReplicaSets: a selector that does not convert stops the
// listing with kubectl's text.
#[test]
fn deployment_history_needs_a_selector_that_converts() {
    let mut d = deployment_of("nginx");
    d.spec.as_mut().expect("spec").selector = serde_json::from_value(
        json!({"matchExpressions": [{"key": "foo", "operator": "Exists", "values": ["x"]}]}),
    )
    .expect("selector");
    let err = deployment::history(&d, &[]).expect_err("bad selector");
    assert!(err.to_string().starts_with("failed to retrieve replica sets from deployment web: "), "{err}");
}

// applyDaemonSetHistory / applyStatefulSetHistory apply the revision's data
// to the object as a strategic merge patch (strategicpatch mergeMap,
// handleDirectiveInMergeMap): a template without `$patch: replace` merges
// into the current one; null and `$patch: delete` empty it; an unknown
// directive, data that is not an object, or a patched object that does
// not decode make the revision unreadable.
#[test]
fn revision_data_is_applied_as_a_strategic_merge_patch() {
    let mut ds = daemon_set("nginx:2");
    let t = &mut ds.spec.as_mut().expect("spec").template;
    t.metadata.get_or_insert_default().set_label("tier", "web");
    let shapes = [
        json!({"spec": {"template": {"metadata": {"labels": {"foo": "bar"}},
                                      "spec": {"containers": [{"name": "test", "image": "nginx:1"}]}}}}),
        json!({"spec": {"template": null}}),
        json!({"spec": null}),
        json!({"spec": {"template": {"$patch": "delete"}}}),
        json!({"spec": {"template": {"$patch": "merge", "metadata": {}}}}),
        json!({"spec": {"minReadySeconds": "5"}}),
        json!(["not", "an", "object"]),
        json!({"spec": {"template": {"$patch": "replace", "spec": {"containers": [{"name": "only", "image": "x"}]}}}}),
    ];
    let revisions: Vec<ControllerRevision> = shapes
        .into_iter()
        .enumerate()
        .map(|(i, data)| {
            revision("DaemonSet", &format!("moons-{i}"), i64::try_from(i).unwrap_or(0) + 1, data)
        })
        .collect();
    let history = daemonset::history(&ds, &revisions).expect("history");
    // Maps merge: the current `tier` label stays beside the revision's.
    let merged = history.template(1).expect("1").expect("a history");
    assert_eq!(image(merged), "nginx:1");
    assert_eq!(merged.metadata.as_ref().and_then(|m| m.label("tier")), Some("web"));
    for emptied in [2, 3, 4] {
        let t = history.template(emptied).expect("decodes").expect("a history");
        assert_eq!(*t, kube_workloads::api::PodTemplateSpec::default(), "revision {emptied}");
    }
    for unreadable in [5, 6, 7] {
        let err = history.template(unreadable).expect_err("unreadable");
        assert_eq!(err.to_string(), format!("unable to parse history moons-{}", unreadable - 1));
    }
    // `$patch: replace`: the revision's template alone, the `tier` label gone.
    let replaced = history.template(8).expect("8").expect("a history");
    assert_eq!(image(replaced), "x");
    assert_eq!(replaced.metadata, None);
}
