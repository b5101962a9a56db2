//! `kubectl rollout undo` for StatefulSets and DaemonSets
//! (`statefulset::rollback`, `daemonset::rollback`).
//!
//! upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollback.go
//! (StatefulSetRollbacker.Rollback, DaemonSetRollbacker.Rollback,
//! findHistory, statefulsetMatch, daemonSetMatch) and history.go
//! (statefulSetHistory, daemonSetHistory, controlledHistory). The cases are
//! the crate's own, one per branch of those functions.

use kube_workloads::api::ControllerRevision;
use kube_workloads::controller::rollout::{Undo, UndoError};
use kube_workloads::controller::{daemonset, statefulset};
use kube_workloads::{DaemonSet, StatefulSet};
use serde_json::json;

fn set(image: &str) -> StatefulSet {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default", "uid": "u1"},
        "spec": {"selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": image}]}}}
    }))
    .unwrap()
}

fn revision(image: &str, number: i64) -> ControllerRevision {
    statefulset::new_revision(&set(image), number, None)
}

fn image_of(s: &StatefulSet) -> String {
    s.spec.as_ref().unwrap().template.spec.as_ref().unwrap().containers[0].image.clone().unwrap_or_default()
}

#[test]
fn stateful_set_undo() {
    let history = [revision("nginx:1", 1), revision("nginx:3", 3), revision("nginx:2", 2)];
    // Revision 0: the second highest number (2), whatever the list order.
    match statefulset::rollback(&set("nginx:3"), &history, 0) {
        Ok(Undo::RolledBack(s)) => assert_eq!(image_of(&s), "nginx:2"),
        other => panic!("{other:?}"),
    }
    match statefulset::rollback(&set("nginx:3"), &history, 1) {
        Ok(Undo::RolledBack(s)) => {
            assert_eq!(image_of(&s), "nginx:1");
            // Only the template changes.
            assert_eq!(s.metadata, set("nginx:3").metadata);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        statefulset::rollback(&set("nginx:3"), &history, 3),
        Ok(Undo::Skipped("skipped rollback (current template already matches revision 3)".into()))
    );
    let missing = statefulset::rollback(&set("nginx:3"), &history, 7);
    assert_eq!(missing, Err(UndoError::RevisionNotFound(7)));
    assert_eq!(missing.unwrap_err().to_string(), "unable to find specified revision 7 in history");
    assert_eq!(statefulset::rollback(&set("nginx:3"), &history, -1), Err(UndoError::RevisionNotFound(-1)));
}

// Only the set's own history counts: another namespace, another owner, a
// revision the selector does not select, none of them; with one revision
// left, there is no previous one.
#[test]
fn stateful_set_history_is_the_sets_own() {
    let mut elsewhere = revision("nginx:1", 1);
    elsewhere.metadata.namespace = Some("other".into());
    let mut foreign = revision("nginx:1", 2);
    foreign.metadata.owner_references.as_mut().unwrap()[0].uid = "u2".into();
    let mut unselected = revision("nginx:1", 3);
    unselected.metadata.labels = Some(Default::default());
    let own = revision("nginx:4", 4);
    let history = [elsewhere, foreign, unselected, own];
    let refused = statefulset::rollback(&set("nginx:4"), &history, 0);
    assert_eq!(refused, Err(UndoError::NoLastRevision));
    assert_eq!(refused.unwrap_err().to_string(), "no last revision to roll back to");
    assert_eq!(statefulset::rollback(&set("nginx:4"), &history, 1), Err(UndoError::RevisionNotFound(1)));
}

#[test]
fn stateful_set_undo_refusals() {
    let mut bad = set("nginx:1");
    bad.spec.as_mut().unwrap().selector =
        serde_json::from_value(json!({"matchExpressions": [{"key": "app", "operator": "Near"}]})).unwrap();
    let err = statefulset::rollback(&bad, &[], 0).unwrap_err();
    assert!(err.to_string().starts_with("failed to create selector for StatefulSet web: "), "{err}");
    // A negative revision is refused first, before the selector is read.
    assert_eq!(statefulset::rollback(&bad, &[], -1), Err(UndoError::RevisionNotFound(-1)));
    // Data without a template makes a patch that changes nothing, which
    // the server takes: "rolled back", the set as it was.
    let mut empty = revision("nginx:1", 1);
    empty.data = Some(json!({}));
    let history = [empty, revision("nginx:2", 2)];
    assert_eq!(
        statefulset::rollback(&set("nginx:2"), &history, 1),
        Ok(Undo::RolledBack(Box::new(set("nginx:2"))))
    );
    // A template that does not decode is refused by the server.
    let mut broken = revision("nginx:1", 1);
    broken.data = Some(json!({"spec": {"template": {"spec": {"containers": "not a list"}}}}));
    let history = [broken, revision("nginx:2", 2)];
    let err = statefulset::rollback(&set("nginx:2"), &history, 1).unwrap_err();
    assert_eq!(err.to_string(), "failed restoring revision 1: the revision's pod template does not decode");
}

fn daemon(image: &str) -> DaemonSet {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "default", "uid": "d1"},
        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                 "template": {"metadata": {"labels": {"app": "agent"}},
                              "spec": {"containers": [{"name": "c", "image": image}]}}}
    }))
    .unwrap()
}

fn daemon_revision(image: &str, number: i64) -> ControllerRevision {
    let ds = daemon(image);
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "ControllerRevision",
        "metadata": {"name": format!("agent-{number}"), "namespace": "default", "labels": {"app": "agent"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "agent",
                                          "uid": "d1", "controller": true}]},
        "data": statefulset::revision_data(&ds.spec.unwrap().template),
        "revision": number
    }))
    .unwrap()
}

#[test]
fn daemon_set_undo() {
    let history = [daemon_revision("agent:1", 1), daemon_revision("agent:2", 2)];
    match daemonset::rollback(&daemon("agent:2"), &history, 0) {
        Ok(Undo::RolledBack(ds)) => {
            let image = ds.spec.unwrap().template.spec.unwrap().containers[0].image.clone();
            assert_eq!(image.as_deref(), Some("agent:1"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        daemonset::rollback(&daemon("agent:2"), &history, 2),
        Ok(Undo::Skipped("skipped rollback (current template already matches revision 2)".into()))
    );
    assert_eq!(daemonset::rollback(&daemon("agent:2"), &history[..1], 0), Err(UndoError::NoLastRevision));
    let mut bad = daemon("agent:2");
    bad.spec.as_mut().unwrap().selector =
        serde_json::from_value(json!({"matchExpressions": [{"key": "app", "operator": "Near"}]})).unwrap();
    let err = daemonset::rollback(&bad, &history, 0).unwrap_err();
    assert!(err.to_string().starts_with("failed to create selector for DaemonSet agent: "), "{err}");
}
