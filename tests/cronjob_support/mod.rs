//! Readers of a CronJob reconcile's actions, shared by the CronJob tables.
#![allow(dead_code)] // each test binary uses a part

use std::time::Duration;

use kube_workloads::api::{CronJobStatus, Object};
use kube_workloads::controller::{Action, DeleteOptions, PropagationPolicy};

/// The deleted Jobs' names. Every Job delete is checked to carry background
/// propagation (upstream: realJobControl.DeleteJob), without which a
/// `batch/v1` Job's pods would be orphaned.
pub fn deleted(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Delete { target, options } => {
                assert_eq!(*options, DeleteOptions::propagation(PropagationPolicy::Background), "{a}");
                Some(target.name.clone())
            }
            _ => None,
        })
        .collect()
}

pub fn reasons(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Event(e) => Some(e.reason.clone()),
            _ => None,
        })
        .collect()
}

pub fn status(actions: &[Action]) -> Option<CronJobStatus> {
    actions.iter().find_map(|a| match a {
        Action::UpdateStatus { object: Object::CronJob(cj) } => cj.status.clone(),
        _ => None,
    })
}

pub fn requeue(actions: &[Action]) -> Option<Duration> {
    actions.iter().find_map(|a| match a {
        Action::Requeue { after, .. } => Some(*after),
        _ => None,
    })
}
