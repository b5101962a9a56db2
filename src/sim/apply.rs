//! `kubectl apply` of a manifest whose object already exists: the object
//! the API server validates and stores is the live one patched with what
//! changed between the last applied manifest and the new one.
//!
//! upstream: kubectl's client-side apply (staging/src/k8s.io/kubectl/pkg/cmd/apply,
//! `Patcher.Patch`: a three-way patch of the last-applied configuration,
//! the new manifest and the live object, `CreateThreeWayMergePatch`), sent
//! as a patch that the API server applies to the stored object before
//! defaulting and update validation (`rest.BeforeUpdate`).
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
//! - `null` in the new manifest: removed.
//!
//! The last applied manifest is the simulator's own record (kubectl keeps
//! it in the `kubectl.kubernetes.io/last-applied-configuration`
//! annotation); an object the simulator did not create from a manifest has
//! none, and then nothing is removed, as kubectl does for an object without
//! the annotation.
//!
//! Deviation: lists are replaced whole. Strategic merge patches some lists
//! element by element by a merge key (containers and volumes by `name`,
//! ports by `containerPort`, ...), which keeps elements a mutating admission
//! webhook added; the simulator runs no such webhook, so for the objects it
//! stores the two give the same result.

use serde_json::Value;

/// The live object `live` patched with the changes from `last` (the last
/// applied manifest, if any) to `new` (the manifest now applied).
pub(crate) fn three_way(live: &Value, last: Option<&Value>, new: &Value) -> Value {
    let (Value::Object(live), Value::Object(new)) = (live, new) else {
        return new.clone();
    };
    let last = last.and_then(Value::as_object);
    let mut merged = live.clone();
    if let Some(last) = last {
        merged.retain(|key, _| new.contains_key(key) || !last.contains_key(key));
    }
    for (key, value) in new {
        if value.is_null() {
            merged.remove(key);
            continue;
        }
        let patched = match merged.get(key) {
            Some(live_value) => three_way(live_value, last.and_then(|l| l.get(key)), value),
            None => value.clone(),
        };
        merged.insert(key.clone(), patched);
    }
    Value::Object(merged)
}

#[cfg(test)]
mod tests {
    use super::three_way;
    use serde_json::json;

    #[test]
    fn keeps_server_fields_and_drops_what_the_user_removed() {
        let live = json!({"spec": {"nodeName": "n1", "image": "a", "paused": true}, "labels": {"x": "1"}});
        let last = json!({"spec": {"image": "a", "paused": true}, "labels": {"x": "1"}});
        let new = json!({"spec": {"image": "b"}});
        // nodeName was never applied: kept; paused and labels were applied
        // and are now gone from the manifest: removed.
        assert_eq!(three_way(&live, Some(&last), &new), json!({"spec": {"nodeName": "n1", "image": "b"}}));
        // Without a record of the last manifest nothing is removed.
        assert_eq!(
            three_way(&live, None, &new),
            json!({"spec": {"nodeName": "n1", "image": "b", "paused": true}, "labels": {"x": "1"}})
        );
    }

    #[test]
    fn null_removes_and_lists_are_replaced() {
        let live = json!({"a": 1, "list": [{"name": "c", "image": "x", "extra": true}]});
        let new = json!({"a": null, "list": [{"name": "c", "image": "y"}]});
        assert_eq!(three_way(&live, None, &new), json!({"list": [{"name": "c", "image": "y"}]}));
    }
}
