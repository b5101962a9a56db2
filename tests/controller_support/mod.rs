//! Builders and a small test executor shared by the controller tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kube_workloads::api::{Condition, ConditionStatus, ContainerStatus, Object, PodPhase, PodStatus, Time};
use kube_workloads::controller::{Action, ControllerMemory, ReplicaSetMemory, deployment, replicaset};
use kube_workloads::{Deployment, Pod, ReplicaSet};
use serde_json::{Value, json};

#[path = "../actions/mod.rs"]
mod actions;
#[allow(unused_imports)] // not every test crate reads deletes
pub use actions::deleted;

pub const NS: &str = "default";

pub fn t(s: &str) -> Time {
    s.parse().expect("time")
}

pub fn base() -> Time {
    t("2024-01-01T00:00:00Z")
}

/// A pod builder.
#[derive(Clone)]
pub struct P(pub Pod);

impl P {
    pub fn new(name: &str) -> P {
        let pod: Pod = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": NS, "uid": format!("uid-{name}")},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]},
        }))
        .expect("pod");
        P(pod)
    }
    pub fn ns(mut self, ns: &str) -> P {
        self.0.metadata.namespace = Some(ns.into());
        self
    }
    pub fn uid(mut self, uid: &str) -> P {
        self.0.metadata.uid = Some(uid.into());
        self
    }
    pub fn labels(mut self, labels: &[(&str, &str)]) -> P {
        for (k, v) in labels {
            self.0.metadata.set_label(*k, *v);
        }
        self
    }
    pub fn owner(mut self, kind: &str, name: &str, uid: &str) -> P {
        let r = serde_json::from_value(json!({
            "apiVersion": if kind == "ReplicationController" { "v1" } else { "apps/v1" },
            "kind": kind, "name": name, "uid": uid, "controller": true, "blockOwnerDeletion": true
        }))
        .expect("ref");
        self.0.metadata.owner_references.get_or_insert_with(Vec::new).push(r);
        self
    }
    pub fn node(mut self, node: &str) -> P {
        self.0.spec.get_or_insert_default().node_name = Some(node.into());
        self
    }
    pub fn phase(mut self, phase: PodPhase) -> P {
        self.0.status.get_or_insert_default().phase = Some(phase);
        self
    }
    pub fn created(mut self, at: Time) -> P {
        self.0.metadata.creation_timestamp = Some(at);
        self
    }
    pub fn deleting(mut self, at: Time) -> P {
        self.0.metadata.deletion_timestamp = Some(at);
        self
    }
    /// Ready=True since `since` (None: no transition time).
    pub fn ready(mut self, since: Option<Time>) -> P {
        let st = self.0.status.get_or_insert_default();
        st.conditions.get_or_insert_default().push(Condition {
            type_: "Ready".into(),
            status: ConditionStatus::True,
            last_transition_time: since,
            ..Condition::default()
        });
        self
    }
    pub fn restarts(mut self, counts: &[i32]) -> P {
        let st = self.0.status.get_or_insert_default();
        for (i, c) in counts.iter().enumerate() {
            st.container_statuses.get_or_insert_default().push(ContainerStatus {
                name: format!("c{i}"),
                restart_count: *c,
                ..ContainerStatus::default()
            });
        }
        self
    }
    pub fn annotate(mut self, k: &str, v: &str) -> P {
        self.0.metadata.set_annotation(k, v);
        self
    }
    pub fn build(self) -> Pod {
        self.0
    }
}

pub fn template(labels: Value) -> Value {
    json!({"metadata": {"labels": labels}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
}

pub fn replica_set(name: &str, replicas: i32, labels: Value) -> ReplicaSet {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": NS, "uid": format!("uid-{name}"), "generation": 1},
        "spec": {"replicas": replicas, "selector": {"matchLabels": labels}, "template": template(labels.clone())},
    }))
    .expect("rs")
}

pub fn deployment(name: &str, replicas: i32, labels: Value) -> Deployment {
    serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": NS, "uid": format!("uid-{name}"), "generation": 1},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": template(labels.clone()),
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}},
        },
    }))
    .expect("deployment")
}

/// Collapses runs of identical lines into `line (xN)`.
pub fn collapse(lines: &[String]) -> Vec<String> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for l in lines {
        match out.last_mut() {
            Some((last, n)) if last == l => *n += 1,
            _ => out.push((l.clone(), 1)),
        }
    }
    out.into_iter().map(|(l, n)| if n > 1 { format!("{l} (x{n})") } else { l }).collect()
}

/// A miniature cluster: one Deployment (optional), its ReplicaSets and pods.
/// It runs the Deployment controller, the ReplicaSet controller and a
/// kubelet that makes a pod Running and Ready `ready_after` seconds after
/// its creation; a deleted pod disappears at the next tick.
pub struct Cluster {
    pub now: Time,
    pub start: Time,
    pub deployment: Option<Deployment>,
    pub replica_sets: Vec<ReplicaSet>,
    pub pods: Vec<Pod>,
    pub memory: BTreeMap<String, ReplicaSetMemory>,
    pub ready_after: i64,
    /// Pods (by name) that never become ready.
    pub broken_template_marker: Option<String>,
    /// Seconds a deleted pod stays (terminating) before it is gone.
    pub linger: i64,
    pub counter: u64,
    pub log: String,
}

impl Cluster {
    pub fn new(start: Time) -> Cluster {
        Cluster {
            now: start,
            start,
            deployment: None,
            replica_sets: Vec::new(),
            pods: Vec::new(),
            memory: BTreeMap::new(),
            ready_after: 5,
            broken_template_marker: None,
            linger: 0,
            counter: 0,
            log: String::new(),
        }
    }

    fn next_uid(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    pub fn apply(&mut self, actions: &[Action]) {
        for a in actions {
            match a {
                Action::Create { object } => match object {
                    Object::Pod(p) => {
                        let mut p = (**p).clone();
                        let n = self.next_uid();
                        let name =
                            format!("{}{:05}", p.metadata.generate_name.clone().unwrap_or_default(), n);
                        p.metadata.name = Some(name.clone());
                        p.metadata.uid = Some(format!("uid-{name}"));
                        p.metadata.creation_timestamp = Some(self.now);
                        let node = format!("node-{}", n % 3);
                        p.spec.get_or_insert_default().node_name = Some(node);
                        p.status = Some(PodStatus { phase: Some(PodPhase::Pending), ..PodStatus::default() });
                        self.pods.push(p);
                    }
                    Object::ReplicaSet(rs) => {
                        let mut rs = (**rs).clone();
                        rs.metadata.uid = Some(format!("uid-{}", rs.metadata.name()));
                        rs.metadata.creation_timestamp = Some(self.now);
                        rs.metadata.generation = Some(1);
                        self.replica_sets.push(rs);
                    }
                    other => panic!("unexpected create {other:?}"),
                },
                Action::Update { object, .. } => match object {
                    Object::Pod(p) => {
                        if let Some(cur) = self.pods.iter_mut().find(|x| x.metadata.uid == p.metadata.uid) {
                            cur.metadata = p.metadata.clone();
                        }
                    }
                    Object::ReplicaSet(rs) => {
                        if let Some(cur) =
                            self.replica_sets.iter_mut().find(|x| x.metadata.name() == rs.metadata.name())
                        {
                            let spec_changed = cur.spec != rs.spec;
                            let generation = cur.metadata.generation.unwrap_or(1);
                            cur.metadata = rs.metadata.clone();
                            cur.metadata.generation =
                                Some(if spec_changed { generation + 1 } else { generation });
                            cur.spec = rs.spec.clone();
                        }
                    }
                    Object::Deployment(d) => {
                        if let Some(cur) = self.deployment.as_mut() {
                            // The Deployment strategy raises the generation
                            // on a spec or annotation change.
                            let changed =
                                cur.spec != d.spec || cur.metadata.annotations != d.metadata.annotations;
                            let generation = cur.metadata.generation.unwrap_or(1);
                            cur.metadata = d.metadata.clone();
                            cur.metadata.generation = Some(if changed { generation + 1 } else { generation });
                            cur.spec = d.spec.clone();
                        }
                    }
                    other => panic!("unexpected update {other:?}"),
                },
                Action::UpdateStatus { object } => match object {
                    Object::ReplicaSet(rs) => {
                        if let Some(cur) =
                            self.replica_sets.iter_mut().find(|x| x.metadata.name() == rs.metadata.name())
                        {
                            cur.status = rs.status.clone();
                        }
                    }
                    Object::Deployment(d) => {
                        // Its status strategy keeps the annotations written
                        // with the status (the revision travels so).
                        if let Some(cur) = self.deployment.as_mut() {
                            cur.status = d.status.clone();
                            cur.metadata.annotations = d.metadata.annotations.clone();
                        }
                    }
                    other => panic!("unexpected status {other:?}"),
                },
                Action::Delete { target, .. } => match target.kind.as_ref() {
                    "Pod" => {
                        let now = self.now;
                        if let Some(p) = self.pods.iter_mut().find(|p| p.metadata.name() == target.name) {
                            p.metadata.deletion_timestamp.get_or_insert(now);
                        }
                    }
                    "ReplicaSet" => self.replica_sets.retain(|rs| rs.metadata.name() != target.name),
                    other => panic!("unexpected delete {other}"),
                },
                Action::Remember { owner, memory } => {
                    let ControllerMemory::Replicas(m) = memory else { panic!("memory") };
                    self.memory.insert(owner.name.clone(), m.clone());
                }
                _ => {}
            }
        }
    }

    /// The kubelet: terminating pods go away (after `linger` seconds),
    /// pending pods become ready.
    pub fn kubelet(&mut self) {
        let now = self.now;
        let linger = self.linger;
        self.pods.retain(|p| p.metadata.deletion_timestamp.is_none_or(|t| t.add_seconds(linger) > now));
        let ready_after = self.ready_after;
        let broken = self.broken_template_marker.clone();
        for p in &mut self.pods {
            let st = p.status.get_or_insert_default();
            let image = p.spec.as_ref().and_then(|s| s.containers.first()).and_then(|c| c.image.clone());
            let is_broken = broken.is_some() && image == broken;
            if st.phase == Some(PodPhase::Pending)
                && !is_broken
                && p.metadata.creation_timestamp.is_some_and(|c| c.add_seconds(ready_after) <= now)
            {
                st.phase = Some(PodPhase::Running);
                st.conditions = Some(vec![Condition {
                    type_: "Ready".into(),
                    status: ConditionStatus::True,
                    last_transition_time: Some(now),
                    ..Condition::default()
                }]);
            }
        }
    }

    /// Runs every ReplicaSet's reconcile once; returns the action lines.
    pub fn run_replica_sets(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        let names: Vec<String> = {
            let mut v: Vec<String> = self.replica_sets.iter().map(|r| r.metadata.name().to_owned()).collect();
            v.sort();
            v
        };
        for name in names {
            let Some(rs) = self.replica_sets.iter().find(|r| r.metadata.name() == name).cloned() else {
                continue;
            };
            let memory = self.memory.get(&name).cloned().unwrap_or_default();
            let rss = self.replica_sets.clone();
            let actions = replicaset::reconcile(
                &rs,
                &replicaset::Observed { pods: &self.pods, replica_sets: &rss, memory: &memory },
                self.now,
            );
            self.apply(&actions);
            lines.extend(
                actions
                    .iter()
                    .filter(|a| !matches!(a, Action::Remember { .. } | Action::Requeue { .. }))
                    .map(|a| a.to_string()),
            );
        }
        lines
    }

    pub fn run_deployment(&mut self) -> Vec<String> {
        let Some(d) = self.deployment.clone() else { return Vec::new() };
        let actions = deployment::reconcile(
            &d,
            &deployment::Observed {
                replica_sets: &self.replica_sets,
                pods: &self.pods,
                memory: &deployment::DeploymentMemory::default(),
            },
            self.now,
        );
        self.apply(&actions);
        actions.iter().map(|a| a.to_string()).collect()
    }

    /// One tick: kubelet, ReplicaSets (fresh statuses), Deployment,
    /// ReplicaSets again. Returns the logged lines of the tick.
    pub fn tick(&mut self) -> Vec<String> {
        self.kubelet();
        let mut lines = self.run_replica_sets();
        lines.extend(self.run_deployment());
        lines.extend(self.run_replica_sets());
        lines
    }

    pub fn active_pods(&self, rs: &ReplicaSet) -> usize {
        self.pods
            .iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .filter(|p| p.metadata.controller_ref().is_some_and(|r| r.uid == rs.metadata.uid()))
            .count()
    }

    pub fn available_pods(&self, min_ready: i32) -> usize {
        self.pods
            .iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none())
            .filter(|p| kube_workloads::pod::is_pod_available(p, min_ready, self.now))
            .count()
    }

    pub fn summary(&self) -> String {
        let mut rss: Vec<&ReplicaSet> = self.replica_sets.iter().collect();
        rss.sort_by_key(|r| r.metadata.name().to_owned());
        let mut parts = Vec::new();
        for rs in rss {
            let spec = rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
            let ready = self
                .pods
                .iter()
                .filter(|p| p.metadata.deletion_timestamp.is_none())
                .filter(|p| p.metadata.controller_ref().is_some_and(|r| r.uid == rs.metadata.uid()))
                .filter(|p| kube_workloads::pod::is_pod_ready(p))
                .count();
            let rev = rs.metadata.annotation("deployment.kubernetes.io/revision").unwrap_or("-");
            parts.push(format!(
                "{} (rev {rev}) spec {spec} pods {} ready {ready}",
                rs.metadata.name(),
                self.active_pods(rs)
            ));
        }
        parts.join(" | ")
    }

    /// Runs `ticks` ticks of `step` seconds and logs each non-empty one.
    pub fn run(&mut self, ticks: usize, step: i64) {
        for _ in 0..ticks {
            let lines = self.tick();
            let elapsed = self.now.seconds_since(self.start);
            if !lines.is_empty() {
                let _ = writeln!(self.log, "t={elapsed}s");
                for l in collapse(&lines) {
                    let _ = writeln!(self.log, "  {l}");
                }
                let _ = writeln!(self.log, "  => {}", self.summary());
            }
            self.now = self.now.add_seconds(step);
        }
    }

    pub fn note(&mut self, text: &str) {
        let elapsed = self.now.seconds_since(self.start);
        let _ = writeln!(self.log, "t={elapsed}s: {text}");
    }
}

/// How many creates `actions` holds.
pub fn creates(actions: &[Action]) -> usize {
    actions.iter().filter(|a| matches!(a, Action::Create { .. })).count()
}

/// The updates in `actions` as `<name> <change>` (`pod0 adopt`).
pub fn patches(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Update { object, change } => Some(format!("{} {}", object.metadata().name(), change)),
            _ => None,
        })
        .collect()
}

/// Each ReplicaSet's `spec.replicas` after `actions` (scaled by an update,
/// or created), the others as in `rss`.
pub fn sizes(rss: &[ReplicaSet], actions: &[Action]) -> BTreeMap<String, i32> {
    let mut out: BTreeMap<String, i32> =
        rss.iter().map(|r| (r.metadata.name().to_owned(), replicas_of(r))).collect();
    for a in actions {
        if let Action::Update { object: Object::ReplicaSet(rs), .. }
        | Action::Create { object: Object::ReplicaSet(rs) } = a
        {
            out.insert(rs.metadata.name().to_owned(), replicas_of(rs));
        }
    }
    out
}

fn replicas_of(rs: &ReplicaSet) -> i32 {
    rs.spec.as_ref().and_then(|s| s.replicas).expect("replicas")
}

/// A ReplicaSet controlled by `d`, labelled `foo=bar`, created at `created`:
/// `current` gives it `d`'s template (the new one), otherwise a template of
/// its own (image `old-<name>`).
pub fn rs_of(d: &Deployment, name: &str, replicas: i32, current: bool, created: Time) -> ReplicaSet {
    let mut rs = replica_set(name, replicas, json!({"foo": "bar"}));
    rs.metadata.creation_timestamp = Some(created);
    rs.metadata.set_label("foo", "bar");
    rs.metadata.owner_references = Some(vec![
        serde_json::from_value(json!({
            "apiVersion": "apps/v1", "kind": "Deployment", "name": d.metadata.name(),
            "uid": d.metadata.uid(), "controller": true
        }))
        .expect("owner reference"),
    ]);
    if let (Some(tpl), Some(spec)) = (rs.spec.as_mut().and_then(|s| s.template.as_mut()), d.spec.as_ref()) {
        *tpl = spec.template.clone();
        if !current && let Some(c) = tpl.spec.as_mut().and_then(|s| s.containers.first_mut()) {
            c.image = Some(format!("old-{name}"));
        }
    }
    rs
}
