//! Reading a reconcile's actions, shared by the controller and Job test
//! support modules (each includes this file with `#[path]`).
#![allow(dead_code)]

use kube_workloads::controller::{Action, DeleteOptions};

/// The names `actions` deletes, in order, checking that every delete
/// carries the default options: upstream's `PodControl.DeletePod` (the
/// ReplicaSet, ReplicationController and Job controllers) and the
/// Deployment's ReplicaSet delete send empty `DeleteOptions`.
pub fn deleted(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { target, options } => {
                assert_eq!(*options, DeleteOptions::default(), "{a}");
                Some(target.name.clone())
            }
            _ => None,
        })
        .collect()
}
