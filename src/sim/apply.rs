//! `kubectl apply` (client-side): the manifest applied is recorded on the
//! object in the `kubectl.kubernetes.io/last-applied-configuration`
//! annotation, and a manifest whose object exists patches the live object
//! with what changed since the recorded one.
//!
//! upstream: kubectl's apply (staging/src/k8s.io/kubectl/pkg/cmd/apply:
//! `Patcher.Patch`, `util.GetModifiedConfiguration` for the annotation,
//! `CreateApplyAnnotation` on a create) and strategic merge's
//! `CreateThreeWayMergePatch`, sent as a patch that the API server applies
//! to the stored object before defaulting and update validation
//! (`rest.BeforeUpdate`).
//!
//! What the three-way rule keeps and drops, for a field of a map:
//! - present in the new manifest: the manifest's value (maps merge
//!   recursively, so a field the server set below a map the user also
//!   writes survives);
//! - absent from the new manifest but present in the last one: removed
//!   (the user deleted it from the manifest), so defaulting may put the
//!   default back;
//! - absent from both: the live value stays. This is what keeps what the
//!   API server and controllers set: a pod's `spec.nodeName`, a Job's
//!   generated selector and template labels, owner references, finalizers;
//! - `null` in the new manifest: removed;
//! - below a field with strategic merge's `retainKeys` strategy (a
//!   Deployment's `spec.strategy`), once the patch changes it, only the
//!   keys the new manifest names stay: switching to `Recreate` drops the
//!   defaulted `rollingUpdate`.
//!
//! An object without the annotation (created by a controller, or by a
//! plain create) is patched with nothing removed, as kubectl does.
//!
//! Deviation: lists are replaced whole. Strategic merge patches some lists
//! element by element by a merge key (containers and volumes by `name`,
//! ports by `containerPort`, ...), which keeps elements a mutating admission
//! webhook added (the simulator runs none) and the fields of an element the
//! server defaulted: a container whose manifest never named an
//! `imagePullPolicy` keeps the live `IfNotPresent` when its image moves to
//! `:latest` upstream, where here the replaced container is defaulted again
//! (`Always`). Elsewhere the two give the same result for the objects the
//! simulator stores.

use serde_json::{Map, Value};

/// kubectl's annotation holding the last applied manifest.
pub(crate) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The annotation kubectl writes for `manifest` (GetModifiedConfiguration):
/// the manifest without the annotation itself and with an `annotations`
/// map present (empty if need be), as compact JSON with sorted keys and a
/// final newline (its JSON encoder's).
pub(crate) fn annotation_for(manifest: &Value) -> String {
    let mut copy = manifest.clone();
    if let Some(meta) =
        copy.as_object_mut().and_then(|o| o.get_mut("metadata")).and_then(Value::as_object_mut)
    {
        let annotations = meta.entry("annotations").or_insert_with(|| Value::Object(Map::new()));
        if let Some(a) = annotations.as_object_mut() {
            a.remove(LAST_APPLIED);
        }
    }
    let mut text = serde_json::to_string(&sorted(&copy)).unwrap_or_default();
    text.push('\n');
    text
}

/// `value` with every object's keys in order (Go's encoding of a map),
/// whatever order serde_json's maps keep.
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().filter_map(|k| Some((k.clone(), sorted(map.get(k)?)))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The live object `live` of kind `kind` patched with the changes from
/// `last` (the last applied manifest, if recorded) to `new` (the manifest
/// now applied).
pub(crate) fn three_way(kind: &str, live: &Value, last: Option<&Value>, new: &Value) -> Value {
    let mut path = Vec::new();
    merge(kind, live, last, new, &mut path)
}

/// Fields with strategic merge's `retainKeys` patch strategy, by kind.
fn retains_keys(kind: &str, path: &[String]) -> bool {
    kind == "Deployment"
        && path.len() == 2
        && path.first().is_some_and(|p| p == "spec")
        && path.get(1).is_some_and(|p| p == "strategy")
}

fn merge(kind: &str, live: &Value, last: Option<&Value>, new: &Value, path: &mut Vec<String>) -> Value {
    let (Value::Object(live_map), Value::Object(new_map)) = (live, new) else {
        return new.clone();
    };
    let last = last.and_then(Value::as_object);
    let mut merged = live_map.clone();
    if let Some(last) = last {
        merged.retain(|key, _| new_map.contains_key(key) || !last.contains_key(key));
    }
    for (key, value) in new_map {
        if value.is_null() {
            merged.remove(key);
            continue;
        }
        path.push(key.clone());
        let patched = match merged.get(key) {
            Some(live_value) => merge(kind, live_value, last.and_then(|l| l.get(key)), value, path),
            None => value.clone(),
        };
        path.pop();
        merged.insert(key.clone(), patched);
    }
    if retains_keys(kind, path) && merged != *live_map {
        merged.retain(|key, _| new_map.contains_key(key));
    }
    Value::Object(merged)
}

#[cfg(test)]
mod tests {
    use super::{annotation_for, three_way};
    use serde_json::json;

    #[test]
    fn keeps_server_fields_and_drops_what_the_user_removed() {
        let live = json!({"spec": {"nodeName": "n1", "image": "a", "paused": true}, "labels": {"x": "1"}});
        let last = json!({"spec": {"image": "a", "paused": true}, "labels": {"x": "1"}});
        let new = json!({"spec": {"image": "b"}});
        // nodeName was never applied: kept; paused and labels were applied
        // and are now gone from the manifest: removed.
        assert_eq!(
            three_way("Pod", &live, Some(&last), &new),
            json!({"spec": {"nodeName": "n1", "image": "b"}})
        );
        // Without a record of the last manifest nothing is removed.
        assert_eq!(
            three_way("Pod", &live, None, &new),
            json!({"spec": {"nodeName": "n1", "image": "b", "paused": true}, "labels": {"x": "1"}})
        );
    }

    #[test]
    fn null_removes_and_lists_are_replaced() {
        let live = json!({"a": 1, "list": [{"name": "c", "image": "x", "extra": true}]});
        let new = json!({"a": null, "list": [{"name": "c", "image": "y"}]});
        assert_eq!(three_way("Pod", &live, None, &new), json!({"list": [{"name": "c", "image": "y"}]}));
    }

    // upstream: DeploymentSpec.Strategy's `retainKeys` patch strategy.
    #[test]
    fn a_changed_deployment_strategy_keeps_only_the_keys_written() {
        let live =
            json!({"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}}});
        let recreate = json!({"spec": {"strategy": {"type": "Recreate"}}});
        assert_eq!(three_way("Deployment", &live, None, &recreate), recreate);
        // Unchanged: nothing is patched, nothing dropped.
        let rolling = json!({"spec": {"strategy": {"type": "RollingUpdate"}}});
        assert_eq!(three_way("Deployment", &live, None, &rolling), live);
        // Other kinds merge as usual.
        let merged = three_way("DaemonSet", &live, None, &recreate);
        assert_eq!(merged["spec"]["strategy"]["rollingUpdate"], json!({"maxSurge": "25%"}));
    }

    #[test]
    fn the_annotation_is_the_manifest_without_itself() {
        let manifest = json!({"kind": "Pod", "metadata": {"name": "p",
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "old"}}});
        assert_eq!(
            annotation_for(&manifest),
            "{\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"name\":\"p\"}}\n"
        );
    }
}
