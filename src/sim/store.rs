//! The simulator's object store: one [`Store`] per kind and namespace.
//!
//! Objects live in a `Vec` (so a reconcile borrows them as a slice, without
//! cloning) with a name index. Removal swaps the last object into the hole:
//! the order is a deterministic function of the operations, which is all
//! the event log needs (the controllers sort what they observe, DECISIONS
//! G2).
//!
//! upstream: none mirrored; it plays the API server's storage (no
//! resourceVersion conflicts, no watch cache).

use std::collections::HashMap;

use crate::api::object::Resource;
use crate::api::{
    ControllerRevision, CronJob, DaemonSet, Deployment, Job, PersistentVolumeClaim, Pod, ReplicaSet,
    ReplicationController, StatefulSet,
};

/// Objects of one kind in one namespace.
#[derive(Clone, Debug)]
pub struct Store<T> {
    items: Vec<T>,
    index: HashMap<String, usize>,
}

impl<T> Default for Store<T> {
    fn default() -> Self {
        Store { items: Vec::new(), index: HashMap::new() }
    }
}

impl<T: Resource> Store<T> {
    /// Every object, as a slice.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// The object with this name.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.index.get(name).and_then(|i| self.items.get(*i))
    }

    /// The object with this name, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut T> {
        match self.index.get(name) {
            Some(i) => self.items.get_mut(*i),
            None => None,
        }
    }

    /// Inserts or replaces the object with the same name.
    pub fn put(&mut self, object: T) {
        let name = object.metadata().name().to_owned();
        match self.index.get(&name).copied() {
            Some(i) => {
                if let Some(slot) = self.items.get_mut(i) {
                    *slot = object;
                }
            }
            None => {
                self.index.insert(name, self.items.len());
                self.items.push(object);
            }
        }
    }

    /// Removes the object with this name.
    pub fn remove(&mut self, name: &str) -> Option<T> {
        let i = self.index.remove(name)?;
        if i >= self.items.len() {
            return None;
        }
        let removed = self.items.swap_remove(i);
        if let Some(moved) = self.items.get(i) {
            self.index.insert(moved.metadata().name().to_owned(), i);
        }
        Some(removed)
    }

    /// How many objects.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Every namespaced object of one namespace.
#[derive(Clone, Debug, Default)]
pub struct Namespace {
    /// Pods.
    pub pods: Store<Pod>,
    /// ReplicaSets.
    pub replica_sets: Store<ReplicaSet>,
    /// ReplicationControllers.
    pub replication_controllers: Store<ReplicationController>,
    /// Deployments.
    pub deployments: Store<Deployment>,
    /// StatefulSets.
    pub stateful_sets: Store<StatefulSet>,
    /// DaemonSets.
    pub daemon_sets: Store<DaemonSet>,
    /// Jobs.
    pub jobs: Store<Job>,
    /// CronJobs.
    pub cron_jobs: Store<CronJob>,
    /// PersistentVolumeClaims.
    pub claims: Store<PersistentVolumeClaim>,
    /// ControllerRevisions.
    pub revisions: Store<ControllerRevision>,
}
