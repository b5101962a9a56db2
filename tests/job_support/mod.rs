//! Builders and a small executor for the Job controller tests.
#![allow(dead_code)]

use kube_workloads::api::{
    Condition, ConditionStatus, ContainerState, ContainerStateTerminated, ContainerStatus, JobStatus, Object,
    PodPhase, Time,
};
use kube_workloads::controller::job::{
    self, COMPLETION_INDEX_ANNOTATION, Config, INDEX_FAILURE_COUNT_ANNOTATION, JOB_TRACKING_FINALIZER,
    JobMemory, Observed,
};
use kube_workloads::controller::{Action, ControllerMemory};
use kube_workloads::{Job, Pod};
use serde_json::{Value, json};

#[path = "../actions/mod.rs"]
mod actions;
#[allow(unused_imports)] // not every test crate reads deletes
pub use actions::deleted;

pub const NS: &str = "default";
pub const JOB_UID: &str = "uid-job";

pub fn t(s: &str) -> Time {
    s.parse().expect("time")
}

pub fn base() -> Time {
    t("2024-01-01T00:00:00Z")
}

/// A Job `foobar` with the generated selector; `spec` is merged over the
/// defaults (parallelism 2, completions 5, backoffLimit 6, Never).
pub fn job(spec: Value) -> Job {
    let mut s = json!({
        "parallelism": 2,
        "completions": 5,
        "backoffLimit": 6,
        "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": JOB_UID}},
        "template": {
            "metadata": {"labels": {"batch.kubernetes.io/controller-uid": JOB_UID, "job-name": "foobar"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "main", "image": "busybox"}]}
        }
    });
    if let (Some(base), Some(patch)) = (s.as_object_mut(), spec.as_object()) {
        for (k, v) in patch {
            if v.is_null() {
                base.remove(k);
            } else {
                base.insert(k.clone(), v.clone());
            }
        }
    }
    serde_json::from_value(json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "foobar", "namespace": NS, "uid": JOB_UID},
        "spec": s,
    }))
    .expect("job")
}

pub fn with_status(mut j: Job, status: Value) -> Job {
    j.status = Some(serde_json::from_value(status).expect("status"));
    j
}

/// A pod builder: owned by the Job, carrying the tracking finalizer.
#[derive(Clone)]
pub struct P(pub Pod);

impl P {
    pub fn new(name: &str) -> P {
        let pod: Pod = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {
                "name": name, "namespace": NS, "uid": format!("uid-{name}"),
                "labels": {"batch.kubernetes.io/controller-uid": JOB_UID},
                "creationTimestamp": "2023-12-31T23:00:00Z",
                "finalizers": [JOB_TRACKING_FINALIZER],
                "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "foobar",
                                     "uid": JOB_UID, "controller": true, "blockOwnerDeletion": true}]
            },
            "spec": {"containers": [{"name": "main", "image": "busybox"}]},
            "status": {"phase": "Pending"}
        }))
        .expect("pod");
        P(pod)
    }
    pub fn phase(mut self, phase: PodPhase) -> P {
        self.0.status.get_or_insert_default().phase = Some(phase);
        self
    }
    pub fn running(self) -> P {
        self.phase(PodPhase::Running)
    }
    pub fn created(mut self, at: Time) -> P {
        self.0.metadata.creation_timestamp = Some(at);
        self
    }
    pub fn succeeded(self) -> P {
        self.phase(PodPhase::Succeeded)
    }
    pub fn failed(self) -> P {
        self.phase(PodPhase::Failed)
    }
    pub fn index(mut self, ix: &str) -> P {
        self.0.metadata.set_annotation(COMPLETION_INDEX_ANNOTATION, ix);
        self
    }
    pub fn failure_count(mut self, n: i32) -> P {
        self.0.metadata.set_annotation(INDEX_FAILURE_COUNT_ANNOTATION, n.to_string());
        self
    }
    pub fn no_finalizer(mut self) -> P {
        self.0.metadata.finalizers = None;
        self
    }
    pub fn orphan(mut self) -> P {
        self.0.metadata.owner_references = None;
        self.0.metadata.finalizers = None;
        self
    }
    pub fn deleting(mut self, at: Time) -> P {
        self.0.metadata.deletion_timestamp = Some(at);
        self
    }
    pub fn ready(mut self) -> P {
        self.0.status.get_or_insert_default().conditions.get_or_insert_default().push(Condition {
            type_: "Ready".into(),
            status: ConditionStatus::True,
            last_transition_time: Some(base()),
            ..Condition::default()
        });
        self
    }
    pub fn condition(mut self, type_: &str) -> P {
        self.0.status.get_or_insert_default().conditions.get_or_insert_default().push(Condition {
            type_: type_.into(),
            status: ConditionStatus::True,
            ..Condition::default()
        });
        self
    }
    /// The container `name` terminated with `code` at `at`.
    pub fn exit(mut self, name: &str, code: i32, at: Time) -> P {
        self.0.status.get_or_insert_default().container_statuses.get_or_insert_default().push(
            ContainerStatus {
                name: name.into(),
                state: Some(ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: code,
                        finished_at: Some(at),
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..ContainerStatus::default()
            },
        );
        self
    }
    pub fn restarts(mut self, n: i32) -> P {
        self.0
            .status
            .get_or_insert_default()
            .container_statuses
            .get_or_insert_default()
            .push(ContainerStatus { name: "main".into(), restart_count: n, ..ContainerStatus::default() });
        self
    }
    pub fn build(self) -> Pod {
        self.0
    }
}

/// `n` pods `<prefix>-<i>` built by `f`.
pub fn pods(prefix: &str, n: usize, f: impl Fn(P) -> P) -> Vec<Pod> {
    (0..n).map(|i| f(P::new(&format!("{prefix}-{i}"))).build()).collect()
}

pub fn run(job: &Job, pods: &[Pod], memory: &JobMemory, now: Time) -> Vec<Action> {
    job::reconcile_with(job, &Observed { pods, memory }, now, &Config::default())
}

pub fn status_of(actions: &[Action]) -> Option<JobStatus> {
    actions.iter().find_map(|a| match a {
        Action::UpdateStatus { object: Object::Job(j) } => j.status.clone(),
        _ => None,
    })
}

pub fn memory_of(actions: &[Action]) -> Option<JobMemory> {
    actions.iter().find_map(|a| match a {
        Action::Remember { memory: ControllerMemory::Job(m), .. } => Some(m.clone()),
        _ => None,
    })
}

pub fn created(actions: &[Action]) -> Vec<&Pod> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { object: Object::Pod(p) } => Some(&**p),
            _ => None,
        })
        .collect()
}

pub fn created_indexes(actions: &[Action]) -> Vec<String> {
    created(actions)
        .iter()
        .filter_map(|p| p.metadata.annotation(COMPLETION_INDEX_ANNOTATION).map(str::to_owned))
        .collect()
}

pub fn finalizers_removed(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Update { object, change } if change.starts_with("remove finalizer") => {
                Some(object.metadata().name().to_owned())
            }
            _ => None,
        })
        .collect()
}

pub fn events(actions: &[Action]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Event(e) => Some(format!("{} {}", e.type_, e.reason)),
            _ => None,
        })
        .collect()
}

/// Applies the status write and the pod updates of `actions` (not creates
/// or deletes).
pub fn apply_tracking(job: &mut Job, pods: &mut [Pod], actions: &[Action]) {
    for a in actions {
        match a {
            Action::UpdateStatus { object: Object::Job(j) } => job.status = j.status.clone(),
            Action::Update { object: Object::Pod(p), .. } => {
                if let Some(slot) = pods.iter_mut().find(|x| x.metadata.name == p.metadata.name) {
                    *slot = (**p).clone();
                }
            }
            _ => {}
        }
    }
}

/// One reconcile as upstream's single `syncJob` sees it: the first
/// reconcile's actions, then the finalizer protocol run to rest (status
/// writes and finalizer removals applied, reconciling again) so the
/// counters and terminal condition upstream reaches in one sync are there.
pub struct Outcome {
    pub first: Vec<Action>,
    pub first_status: JobStatus,
    pub job: Job,
    pub pods: Vec<Pod>,
}

impl Outcome {
    pub fn creates(&self) -> usize {
        created(&self.first).len()
    }
    pub fn deletes(&self) -> usize {
        deleted(&self.first).len()
    }
    pub fn status(&self) -> JobStatus {
        self.job.status.clone().unwrap_or_default()
    }
    pub fn succeeded(&self) -> i32 {
        self.status().succeeded.unwrap_or(0)
    }
    pub fn failed(&self) -> i32 {
        self.status().failed.unwrap_or(0)
    }
    pub fn condition(&self) -> Option<(String, String)> {
        // The last True condition other than the interim ones, or the
        // interim one if that is all there is.
        let conds = self.status().conditions.unwrap_or_default();
        let pick = conds
            .iter()
            .rev()
            .find(|c| c.status == ConditionStatus::True && (c.type_ == "Complete" || c.type_ == "Failed"))
            .or_else(|| conds.iter().rev().find(|c| c.status == ConditionStatus::True));
        pick.map(|c| (c.type_.clone(), c.reason.clone().unwrap_or_default()))
    }
}

pub fn sync(job: &Job, pods: &[Pod], now: Time) -> Outcome {
    sync_with(job, pods, &JobMemory::default(), now)
}

pub fn sync_with(job: &Job, pods: &[Pod], memory: &JobMemory, now: Time) -> Outcome {
    let first = run(job, pods, memory, now);
    let first_status = status_of(&first).unwrap_or_else(|| job.status.clone().unwrap_or_default());
    let mut j = job.clone();
    let mut ps = pods.to_vec();
    let mut mem = memory_of(&first).unwrap_or_else(|| memory.clone());
    apply_tracking(&mut j, &mut ps, &first);
    for _ in 0..5 {
        let actions = run(&j, &ps, &mem, now);
        if let Some(m) = memory_of(&actions) {
            mem = m;
        }
        let progress = status_of(&actions).is_some() || !finalizers_removed(&actions).is_empty();
        let before = j.status.clone();
        apply_tracking(&mut j, &mut ps, &actions);
        if !progress || before == j.status {
            break;
        }
    }
    Outcome { first, first_status, job: j, pods: ps }
}

/// How a simulated pod ends: after `run_ticks` ticks Running it succeeds,
/// fails with an exit code, or fails with a DisruptionTarget condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Succeed,
    Exit(i32),
    Disrupted,
}

/// A miniature cluster for one Job: the controller, an API server that
/// names created pods, and a kubelet that starts a pod one tick after its
/// creation and finishes it one tick later with the fate `fate(index or
/// ordinal, attempt)` decides. A deleted pod is killed (phase Failed) at the
/// next tick; a finished pod without finalizers disappears.
pub struct Sim {
    pub now: Time,
    pub start: Time,
    pub tick: i64,
    pub job: Job,
    pub pods: Vec<Pod>,
    pub memory: JobMemory,
    pub counter: u64,
    pub attempts: std::collections::BTreeMap<String, u32>,
    pub log: Vec<String>,
    /// Every pod UID that ever finished (succeeded or failed).
    pub finished_uids: std::collections::BTreeSet<String>,
    /// When false, finalizer removals are applied one tick late.
    pub prompt_finalizers: bool,
    pub pending_updates: Vec<Pod>,
}

impl Sim {
    pub fn new(job: Job, start: Time, tick: i64) -> Sim {
        Sim {
            now: start,
            start,
            tick,
            job,
            pods: Vec::new(),
            memory: JobMemory::default(),
            counter: 0,
            attempts: Default::default(),
            log: Vec::new(),
            finished_uids: Default::default(),
            prompt_finalizers: true,
            pending_updates: Vec::new(),
        }
    }

    pub fn finished(&self) -> bool {
        job::is_job_finished(&self.job)
    }

    /// Reconcile once and apply the actions; returns them.
    pub fn reconcile(&mut self) -> Vec<Action> {
        let actions = run(&self.job, &self.pods, &self.memory, self.now);
        let offset = self.now.seconds_since(self.start);
        for a in &actions {
            self.log.push(format!("+{offset:>3}s {}", render(a)));
        }
        let late = std::mem::take(&mut self.pending_updates);
        for p in late {
            if let Some(slot) = self.pods.iter_mut().find(|x| x.metadata.uid == p.metadata.uid) {
                slot.metadata.finalizers = p.metadata.finalizers;
            }
        }
        for a in &actions {
            match a {
                Action::Create { object: Object::Pod(p) } => {
                    let mut p = (**p).clone();
                    self.counter += 1;
                    let key = p
                        .metadata
                        .annotation(COMPLETION_INDEX_ANNOTATION)
                        .map(str::to_owned)
                        .unwrap_or_else(|| "pod".to_owned());
                    let name =
                        format!("{}{}", p.metadata.generate_name.clone().unwrap_or_default(), self.counter);
                    *self.attempts.entry(key).or_insert(0) += 1;
                    p.metadata.name = Some(name.clone());
                    p.metadata.uid = Some(format!("uid-{name}"));
                    p.metadata.creation_timestamp = Some(self.now);
                    p.status = Some(kube_workloads::api::PodStatus {
                        phase: Some(PodPhase::Pending),
                        ..Default::default()
                    });
                    self.pods.push(p);
                }
                Action::Delete { target, .. } => {
                    if let Some(p) = self.pods.iter_mut().find(|p| p.metadata.name() == target.name) {
                        p.metadata.deletion_timestamp.get_or_insert(self.now);
                    }
                }
                Action::Update { object: Object::Pod(p), change } => {
                    if change.starts_with("remove finalizer") && !self.prompt_finalizers {
                        self.pending_updates.push((**p).clone());
                    } else if let Some(slot) = self.pods.iter_mut().find(|x| x.metadata.uid == p.metadata.uid)
                    {
                        // Keep the kubelet's status and the deletion
                        // timestamp; take labels, owners and finalizers.
                        let deletion = slot.metadata.deletion_timestamp;
                        slot.metadata = p.metadata.clone();
                        slot.metadata.deletion_timestamp = deletion;
                    }
                }
                Action::UpdateStatus { object: Object::Job(j) } => self.job.status = j.status.clone(),
                Action::Remember { memory: ControllerMemory::Job(m), .. } => self.memory = m.clone(),
                _ => {}
            }
        }
        self.drop_gone();
        actions
    }

    fn drop_gone(&mut self) {
        self.pods.retain(|p| {
            let done = matches!(
                p.status.as_ref().and_then(|s| s.phase.as_ref()),
                Some(PodPhase::Succeeded | PodPhase::Failed)
            );
            !(done && p.metadata.finalizers.as_ref().is_none_or(|f| f.is_empty()))
        });
    }

    /// Advances time by one tick and runs the kubelet.
    pub fn advance(&mut self, fate: &dyn Fn(&str, u32) -> Fate) {
        self.now = self.now.add_seconds(self.tick);
        let now = self.now;
        for p in &mut self.pods {
            let phase = p.status.as_ref().and_then(|s| s.phase.clone());
            let key = p.metadata.annotation(COMPLETION_INDEX_ANNOTATION).unwrap_or("pod").to_owned();
            let attempt = self.attempts.get(&key).copied().unwrap_or(1);
            let st = p.status.get_or_insert_default();
            match phase {
                _ if p.metadata.deletion_timestamp.is_some()
                    && !matches!(phase, Some(PodPhase::Succeeded | PodPhase::Failed)) =>
                {
                    st.phase = Some(PodPhase::Failed);
                    st.conditions = None;
                }
                Some(PodPhase::Pending) => {
                    st.phase = Some(PodPhase::Running);
                    st.conditions = Some(vec![Condition {
                        type_: "Ready".into(),
                        status: ConditionStatus::True,
                        last_transition_time: Some(now),
                        ..Condition::default()
                    }]);
                }
                Some(PodPhase::Running) => {
                    let f = fate(&key, attempt);
                    let (phase, code) = match f {
                        Fate::Succeed => (PodPhase::Succeeded, 0),
                        Fate::Exit(c) => (PodPhase::Failed, c),
                        Fate::Disrupted => (PodPhase::Failed, 137),
                    };
                    st.phase = Some(phase);
                    st.conditions = Some(vec![Condition {
                        type_: "Ready".into(),
                        status: ConditionStatus::False,
                        last_transition_time: Some(now),
                        ..Condition::default()
                    }]);
                    if f == Fate::Disrupted {
                        st.conditions.get_or_insert_default().push(Condition {
                            type_: "DisruptionTarget".into(),
                            status: ConditionStatus::True,
                            reason: Some("EvictionByEvictionAPI".into()),
                            last_transition_time: Some(now),
                            ..Condition::default()
                        });
                    }
                    st.container_statuses = Some(vec![ContainerStatus {
                        name: "main".into(),
                        state: Some(ContainerState {
                            terminated: Some(ContainerStateTerminated {
                                exit_code: code,
                                finished_at: Some(now),
                                ..Default::default()
                            }),
                            ..Default::default()
                        }),
                        ..ContainerStatus::default()
                    }]);
                }
                _ => {}
            }
            if matches!(st.phase, Some(PodPhase::Succeeded | PodPhase::Failed)) {
                self.finished_uids.insert(p.metadata.uid().to_owned());
            }
        }
        self.drop_gone();
    }

    pub fn active_created(&self) -> usize {
        self.pods
            .iter()
            .filter(|p| {
                p.metadata.deletion_timestamp.is_none()
                    && !matches!(
                        p.status.as_ref().and_then(|s| s.phase.as_ref()),
                        Some(PodPhase::Succeeded | PodPhase::Failed)
                    )
            })
            .count()
    }
}

/// One action as a sentence; a Job status write shows the whole status.
pub fn render(a: &Action) -> String {
    match a {
        Action::UpdateStatus { object: Object::Job(j) } => {
            format!("status: {}", job::describe_status(&j.status.clone().unwrap_or_default()))
        }
        Action::Create { object: Object::Pod(p) } => {
            let mut s = format!("create pod {}", p.metadata.generate_name.clone().unwrap_or_default());
            if let Some(n) = p.metadata.annotation(INDEX_FAILURE_COUNT_ANNOTATION) {
                s.push_str(&format!(" (index failures so far: {n})"));
            }
            s
        }
        Action::Update { object, change } => format!("update pod {}: {change}", object.metadata().name()),
        Action::Delete { target, .. } => format!("delete pod {}", target.name),
        other => other.to_string(),
    }
}
