//! The crate's guarantees, tested (issue 9 item 2; README "Guarantees").
//!
//! 1. **Absurd values are handled**: `i32::MAX` replicas, parallelism and
//!    completions create at most one burst and allocate nothing in
//!    proportion to the number; 1000% `maxSurge` / `maxUnavailable`;
//!    timestamps in year 9999 and before 1970 (including `now`); a pod with
//!    10,000 containers; a 1 MB annotation; cron schedules that fire in
//!    years or never. Each case either gives the decision upstream makes, or
//!    the bounded one the module docs name where upstream would overflow
//!    or loop. A proportional allocation of `i32::MAX` objects would abort
//!    the test (out of memory) or hang it; there are no timed assertions.
//! 2. **Every reconcile is deterministic**: property tests build random
//!    observed states for every controller, reconcile twice and compare,
//!    then reconcile the same state with every observed list shuffled: the
//!    output is identical (observed objects are ordered by namespace and
//!    name before upstream's orders apply, DECISIONS G2), including the order
//!    of the actions each controller module documents.

use std::collections::BTreeSet;
use std::time::Duration;

use kube_workloads::api::{ControllerRevision, Object, PodPhase, Time};
use kube_workloads::controller::{
    Action, BURST_REPLICAS, ControllerMemory, ReplicaSetMemory, cronjob, daemonset, deployment, job, podgc,
    replicaset, statefulset, ttl_after_finished,
};
use kube_workloads::kubelet::{Command, Event as KEvent, KubeletConfig, PodLifecycle};
use kube_workloads::schedule::Schedule;
use kube_workloads::{
    CronJob, DaemonSet, Deployment, Job, Node, Pod, ReplicaSet, ReplicationController, StatefulSet, defaults,
    validation,
};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const NS: &str = "default";

fn t(s: &str) -> Time {
    s.parse().expect("time")
}

fn base() -> Time {
    t("2024-01-01T00:00:00Z")
}

fn decode<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v).expect("decode")
}

/// Merges the keys of `patch` into `v` (one level).
fn merged(mut v: Value, patch: Value) -> Value {
    if let (Some(o), Value::Object(p)) = (v.as_object_mut(), patch) {
        for (k, x) in p {
            o.insert(k, x);
        }
    }
    v
}

fn count(actions: &[Action], pred: impl Fn(&Action) -> bool) -> usize {
    actions.iter().filter(|a| pred(a)).count()
}

fn creates_of(actions: &[Action], kind: &str) -> usize {
    count(actions, |a| matches!(a, Action::Create { object } if object.kind() == kind))
}

fn deletes_of(actions: &[Action], kind: &str) -> usize {
    count(actions, |a| matches!(a, Action::Delete { target, .. } if target.kind == kind))
}

fn lines(actions: &[Action]) -> Vec<String> {
    actions.iter().map(ToString::to_string).collect()
}

// ---------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------

fn template(labels: Value) -> Value {
    json!({"metadata": {"labels": labels}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}})
}

fn replica_set(replicas: i32) -> ReplicaSet {
    decode(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": NS, "uid": "uid-web", "generation": 1},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}},
                 "template": template(json!({"app": "web"}))}
    }))
}

fn replication_controller(replicas: i32) -> ReplicationController {
    decode(json!({
        "apiVersion": "v1", "kind": "ReplicationController",
        "metadata": {"name": "web", "namespace": NS, "uid": "uid-web", "generation": 1},
        "spec": {"replicas": replicas, "selector": {"app": "web"}, "template": template(json!({"app": "web"}))}
    }))
}

fn rs_reconcile(rs: &ReplicaSet, pods: &[Pod], now: Time) -> Vec<Action> {
    let memory = ReplicaSetMemory::default();
    replicaset::reconcile(rs, &replicaset::Observed { pods, replica_sets: &[], memory: &memory }, now)
}

fn deployment_of(replicas: i32, strategy: Value, image: &str) -> Deployment {
    decode(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": NS, "uid": "uid-web", "generation": 1,
                     "creationTimestamp": "2024-01-01T00:00:00Z"},
        "spec": {"replicas": replicas, "strategy": strategy, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": image}]}}}
    }))
}

fn stateful_set(replicas: i32, extra: Value) -> StatefulSet {
    decode(json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": NS, "uid": "uid-db", "generation": 1},
        "spec": merged(json!({"replicas": replicas, "serviceName": "db",
                 "selector": {"matchLabels": {"app": "db"}},
                 "template": template(json!({"app": "db"}))}), extra)
    }))
}

fn daemon_set(extra: Value, image: &str) -> DaemonSet {
    decode(json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": NS, "uid": "uid-agent", "generation": 1},
        "spec": merged(json!({"selector": {"matchLabels": {"app": "agent"}},
                 "template": {"metadata": {"labels": {"app": "agent"}},
                              "spec": {"containers": [{"name": "c", "image": image}]}}}), extra)
    }))
}

fn node(name: &str) -> Node {
    decode(json!({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
                  "status": {"conditions": [{"type": "Ready", "status": "True"}]}}))
}

const JOB_UID: &str = "uid-job";

fn job_of(spec: Value) -> Job {
    decode(json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "batch", "namespace": NS, "uid": JOB_UID},
        "spec": merged(json!({
            "backoffLimit": 6,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": JOB_UID}},
            "template": {"metadata": {"labels": {"batch.kubernetes.io/controller-uid": JOB_UID, "job-name": "batch"}},
                         "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}
        }), spec)
    }))
}

fn job_reconcile(j: &Job, pods: &[Pod], now: Time) -> Vec<Action> {
    let memory = job::JobMemory::default();
    job::reconcile(j, &job::Observed { pods, memory: &memory }, now)
}

fn cron_job(schedule: &str, created: Time) -> CronJob {
    // Set as a field: the saturated ends of `Time` have no RFC 3339 form.
    let mut cj: CronJob = decode(json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "report", "namespace": NS, "uid": "uid-report"},
        "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {"spec": {
            "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}}
    }));
    cj.metadata.creation_timestamp = Some(created);
    cj
}

/// A pod owned by `owner` (kind, name, uid), labelled `labels`.
fn owned_pod(name: &str, owner: (&str, &str, &str), labels: Value) -> Value {
    let api = match owner.0 {
        "ReplicationController" => "v1",
        "Job" => "batch/v1",
        _ => "apps/v1",
    };
    json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": NS, "uid": format!("uid-{name}"), "labels": labels,
                     "ownerReferences": [{"apiVersion": api, "kind": owner.0, "name": owner.1, "uid": owner.2,
                                          "controller": true, "blockOwnerDeletion": true}]},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}
    })
}

fn ready_status(since: Time) -> Value {
    json!({"phase": "Running", "startTime": since.to_string(),
           "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": since.to_string()}]})
}

// ---------------------------------------------------------------------------
// 1. Absurd replica counts: one burst, nothing proportional
// ---------------------------------------------------------------------------

/// upstream: replica_set.go manageReplicas caps a diff at `burstReplicas`
/// (500) and records that many expectations; `i32::MAX` replicas create one
/// burst.
#[test]
fn replicaset_max_replicas_creates_one_burst() {
    let actions = rs_reconcile(&replica_set(i32::MAX), &[], base());
    assert_eq!(creates_of(&actions, "Pod"), BURST_REPLICAS);
    // The burst, the status write and the memory; nothing else.
    assert!(actions.len() <= BURST_REPLICAS + 3, "{} actions", actions.len());
    // The memory expects the burst, not i32::MAX pods.
    let remembered = actions.iter().find_map(|a| match a {
        Action::Remember { memory: ControllerMemory::Replicas(m), .. } => Some(m.clone()),
        _ => None,
    });
    let memory = remembered.expect("memory");
    assert!(format!("{}", memory.expectations).contains("500"), "{}", memory.expectations);

    // And the next reconcile, the burst not yet observed, creates nothing.
    let observed = replicaset::Observed { pods: &[], replica_sets: &[], memory: &memory };
    let again = replicaset::reconcile(&replica_set(i32::MAX), &observed, base().add_seconds(1));
    assert_eq!(creates_of(&again, "Pod"), 0);
}

/// upstream: the replication manager is the ReplicaSet controller on a
/// converted object; the same burst applies.
#[test]
fn replication_controller_max_replicas_creates_one_burst() {
    let memory = ReplicaSetMemory::default();
    let observed = replicaset::Observed { pods: &[], replica_sets: &[], memory: &memory };
    let actions =
        replicaset::reconcile_replication_controller(&replication_controller(i32::MAX), &observed, base());
    assert_eq!(creates_of(&actions, "Pod"), BURST_REPLICAS);
    assert!(actions.len() <= BURST_REPLICAS + 3);
}

/// A negative replica count (rejected by validation) deletes at most one
/// burst, like 0 replicas.
#[test]
fn replicaset_negative_replicas_deletes_one_burst() {
    let pods: Vec<Pod> = (0..BURST_REPLICAS + 20)
        .map(|i| {
            decode(owned_pod(&format!("web-{i:04}"), ("ReplicaSet", "web", "uid-web"), json!({"app": "web"})))
        })
        .collect();
    let actions = rs_reconcile(&replica_set(i32::MIN), &pods, base());
    assert_eq!(deletes_of(&actions, "Pod"), BURST_REPLICAS);
    assert_eq!(creates_of(&actions, "Pod"), 0);
}

/// upstream: sync.go getNewReplicaSet / deployment_util.go NewRSNewReplicas.
/// Upstream adds `replicas + maxSurge` in int32 (which wraps); here the sum
/// saturates, so the new ReplicaSet asks for `i32::MAX` replicas and the
/// ReplicaSet controller then creates one burst.
#[test]
fn deployment_max_replicas_creates_one_replica_set() {
    let d = deployment_of(i32::MAX, json!({"type": "RollingUpdate"}), "nginx:1");
    let actions = deployment::reconcile(
        &d,
        &deployment::Observed {
            replica_sets: &[],
            pods: &[],
            memory: &deployment::DeploymentMemory::default(),
        },
        base(),
    );
    assert!(actions.len() <= 8, "{:#?}", lines(&actions));
    let new_rs: Vec<&ReplicaSet> = actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { object: Object::ReplicaSet(rs) } => Some(&**rs),
            _ => None,
        })
        .collect();
    assert_eq!(new_rs.len(), 1, "{:#?}", lines(&actions));
    let replicas = new_rs[0].spec.as_ref().and_then(|s| s.replicas);
    assert_eq!(replicas, Some(i32::MAX));

    // The ReplicaSet it creates makes one burst of pods.
    let mut rs = new_rs[0].clone();
    rs.metadata.uid = Some("uid-rs".into());
    let pods = rs_reconcile(&rs, &[], base());
    assert_eq!(creates_of(&pods, "Pod"), BURST_REPLICAS);
}

/// upstream: stateful_set_control.go creates one pod at a time in
/// OrderedReady mode and every missing ordinal in Parallel mode; here at
/// most `MAX_NEW_SLOTS` ordinals above the highest observed one are
/// considered (module docs, Deviations).
#[test]
fn statefulset_max_replicas_is_bounded() {
    let now = base();
    let no = statefulset::Observed { pods: &[], claims: &[], revisions: &[] };
    let ordered = statefulset::reconcile(&stateful_set(i32::MAX, json!({})), &no, now);
    assert_eq!(creates_of(&ordered, "Pod"), 1, "{:#?}", lines(&ordered));
    assert!(ordered.len() <= 8);

    let parallel =
        statefulset::reconcile(&stateful_set(i32::MAX, json!({"podManagementPolicy": "Parallel"})), &no, now);
    let pods = creates_of(&parallel, "Pod");
    assert!((1..=statefulset::MAX_NEW_SLOTS).contains(&pods), "{pods} creates");
    assert!(parallel.len() <= statefulset::MAX_NEW_SLOTS + 8);
}

/// upstream: job_controller.go manageJob caps creates at
/// `MaxPodCreateDeletePerSync` (500), for NonIndexed and Indexed Jobs alike.
#[test]
fn job_max_parallelism_and_completions_create_one_burst() {
    for mode in ["NonIndexed", "Indexed"] {
        let j = job_of(json!({"parallelism": i32::MAX, "completions": i32::MAX, "completionMode": mode}));
        let actions = job_reconcile(&j, &[], base());
        assert_eq!(creates_of(&actions, "Pod"), job::MAX_POD_CREATE_DELETE_PER_SYNC, "{mode}");
        assert!(actions.len() <= job::MAX_POD_CREATE_DELETE_PER_SYNC + 4, "{mode}: {}", actions.len());
        // parallelism without completions: a work queue of i32::MAX workers.
        let j = job_of(json!({"parallelism": i32::MAX, "completionMode": mode}));
        let actions = job_reconcile(&j, &[], base());
        assert!(creates_of(&actions, "Pod") <= job::MAX_POD_CREATE_DELETE_PER_SYNC, "{mode}");
    }
}

/// An Indexed Job with `i32::MAX` completions of which all but the last are
/// completed: the interval string is read as intervals (upstream:
/// indexed_job_utils.go parseIndexesFromString), so only the last index is
/// created, without materialising two billion indexes.
#[test]
fn indexed_job_with_huge_completed_intervals_creates_the_missing_index() {
    let mut j = job_of(json!({"parallelism": 4, "completions": i32::MAX, "completionMode": "Indexed"}));
    j.status =
        Some(decode(json!({"completedIndexes": format!("0-{}", i32::MAX - 2), "succeeded": i32::MAX - 1,
                                  "startTime": "2024-01-01T00:00:00Z"})));
    let actions = job_reconcile(&j, &[], base());
    let created: Vec<String> = actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { object: Object::Pod(p) } => {
                p.metadata.annotation("batch.kubernetes.io/job-completion-index").map(str::to_owned)
            }
            _ => None,
        })
        .collect();
    assert_eq!(created, [(i32::MAX - 1).to_string()]);
}

/// Every other count or duration at its extremes, for every controller: no
/// panic, no overflow, bounded output.
#[test]
fn other_fields_at_their_extremes() {
    let now = base();
    for v in [i32::MAX, i32::MIN, -1] {
        let v64 = i64::from(v);
        // StatefulSet: ordinals.start + replicas beyond i32, partition, history.
        for policy in ["OrderedReady", "Parallel"] {
            let set = stateful_set(
                3,
                json!({"ordinals": {"start": v}, "minReadySeconds": v, "revisionHistoryLimit": v,
                "podManagementPolicy": policy,
                "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": v, "maxUnavailable": v}}}),
            );
            let no = statefulset::Observed { pods: &[], claims: &[], revisions: &[] };
            let actions = statefulset::reconcile(&set, &no, now);
            assert!(creates_of(&actions, "Pod") <= 3, "{v} {policy}: {:#?}", lines(&actions));
            for a in &actions {
                if let Action::Create { object: Object::Pod(p) } = a {
                    let name = p.metadata.name();
                    let ordinal: i64 = name.trim_start_matches("db-").parse().expect("ordinal");
                    // A negative start (rejected by validation) gives negative
                    // ordinals, as upstream's getStartOrdinal does; never
                    // beyond int32.
                    assert!(i32::try_from(ordinal).is_ok(), "{name}");
                }
            }
        }
        // Deployment: deadlines, history, minReadySeconds.
        let mut d = deployment_of(
            3,
            json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": v, "maxUnavailable": v}}),
            "nginx:1",
        );
        {
            let spec = d.spec.as_mut().expect("spec");
            spec.progress_deadline_seconds = Some(v);
            spec.revision_history_limit = Some(v);
            spec.min_ready_seconds = Some(v);
        }
        let olds = [old_rs_with_ready_pods(3)];
        let actions = deployment::reconcile(
            &d,
            &deployment::Observed {
                replica_sets: &olds,
                pods: &[],
                memory: &deployment::DeploymentMemory::default(),
            },
            now,
        );
        assert!(actions.len() <= 10, "{v}: {:#?}", lines(&actions));
        // DaemonSet: minReadySeconds, history, budgets.
        let nodes = [node("node-0")];
        let ds = daemon_set(
            json!({"minReadySeconds": v, "revisionHistoryLimit": v,
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": v, "maxUnavailable": v}}}),
            "agent:1",
        );
        let memory = daemonset::DaemonSetMemory::default();
        let actions = daemonset::reconcile(
            &ds,
            &daemonset::Observed { pods: &[], nodes: &nodes, revisions: &[], memory: &memory },
            now,
        );
        assert!(creates_of(&actions, "Pod") <= 1, "{v}: {:#?}", lines(&actions));
        // Job: limits and deadlines.
        let j = job_of(
            json!({"parallelism": 2, "completions": 4, "backoffLimit": v, "activeDeadlineSeconds": v64,
            "ttlSecondsAfterFinished": v, "completionMode": "Indexed", "backoffLimitPerIndex": v, "maxFailedIndexes": v}),
        );
        let actions = job_reconcile(&j, &[], now);
        assert!(creates_of(&actions, "Pod") <= 2, "{v}: {:#?}", lines(&actions));
        let mut done = j.clone();
        done.status = Some(decode(
            json!({"conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": now.to_string()}]}),
        ));
        assert!(ttl_after_finished::reconcile(&done, now).len() <= 1);
        // CronJob: deadlines and history limits.
        let mut cj = cron_job("* * * * *", now.add_seconds(-3600));
        let mut doc = serde_json::to_value(&cj).expect("encode");
        doc["spec"]["startingDeadlineSeconds"] = json!(v64);
        doc["spec"]["successfulJobsHistoryLimit"] = json!(v);
        doc["spec"]["failedJobsHistoryLimit"] = json!(v);
        cj = decode(doc);
        let actions = cronjob::reconcile(&cj, &cronjob::Observed { jobs: &[] }, now);
        assert!(creates_of(&actions, "Job") <= 1, "{v}: {:#?}", lines(&actions));
        // ReplicaSet: minReadySeconds.
        let mut rs = replica_set(2);
        rs.spec.as_mut().expect("spec").min_ready_seconds = Some(v);
        assert_eq!(creates_of(&rs_reconcile(&rs, &[], now), "Pod"), 2);
    }
    // i64 extremes where the wire type is i64.
    for v in [i64::MAX, i64::MIN] {
        let j = job_of(json!({"parallelism": 1, "completions": 1, "activeDeadlineSeconds": v}));
        let mut j = j;
        j.status = Some(decode(json!({"startTime": "2024-01-01T00:00:00Z"})));
        let _ = job_reconcile(&j, &[], now);
        let cj = cron_job("* * * * *", now.add_seconds(-3600));
        let mut doc = serde_json::to_value(&cj).expect("encode");
        doc["spec"]["startingDeadlineSeconds"] = json!(v);
        let cj: CronJob = decode(doc);
        let _ = cronjob::reconcile(&cj, &cronjob::Observed { jobs: &[] }, now);
    }
}

/// Status counters already at `i32::MAX` (a Job's `succeeded` / `failed`
/// with more uncounted pods to add, a ReplicaSet's replicas): the sums
/// saturate (upstream: job_controller.go trackJobStatusAndRemoveFinalizers
/// adds in int32).
#[test]
fn counters_at_i32_max_saturate() {
    let now = base();
    for mode in ["NonIndexed", "Indexed"] {
        let mut j = job_of(
            json!({"parallelism": 2, "completions": i32::MAX, "backoffLimit": i32::MAX, "completionMode": mode}),
        );
        j.status = Some(decode(
            json!({"startTime": "2024-01-01T00:00:00Z", "succeeded": i32::MAX, "failed": i32::MAX,
            "active": i32::MAX, "ready": i32::MAX, "terminating": i32::MAX,
            "uncountedTerminatedPods": {"succeeded": ["gone-1", "gone-2"], "failed": ["gone-3", "gone-4"]}}),
        ));
        let actions = job_reconcile(&j, &[], now);
        let Some(Object::Job(written)) = status_object(&actions) else {
            panic!("{mode}: {:#?}", lines(&actions))
        };
        let st = written.status.as_ref().expect("status");
        // An Indexed Job's `succeeded` is the size of `completedIndexes`
        // (upstream: succeededIndexes.total()), here empty.
        let succeeded = if mode == "Indexed" { None } else { Some(i32::MAX) };
        assert_eq!((st.succeeded, st.failed), (succeeded, Some(i32::MAX)), "{mode}");
        assert!(creates_of(&actions, "Pod") <= 2, "{mode}: {:#?}", lines(&actions));
    }
    // A ReplicaSet at i32::MAX that already has pods still creates one burst.
    let pods: Vec<Pod> = (0..600)
        .map(|i| {
            decode(owned_pod(&format!("web-{i:04}"), ("ReplicaSet", "web", "uid-web"), json!({"app": "web"})))
        })
        .collect();
    let mut rs = replica_set(i32::MAX);
    rs.status =
        Some(decode(json!({"replicas": i32::MAX, "readyReplicas": i32::MAX, "availableReplicas": i32::MAX})));
    let actions = rs_reconcile(&rs, &pods, now);
    assert_eq!(creates_of(&actions, "Pod"), BURST_REPLICAS);
    // A Recreate Deployment at i32::MAX creates one ReplicaSet.
    let d = deployment_of(i32::MAX, json!({"type": "Recreate"}), "nginx:1");
    let actions = deployment::reconcile(
        &d,
        &deployment::Observed {
            replica_sets: &[],
            pods: &[],
            memory: &deployment::DeploymentMemory::default(),
        },
        now,
    );
    assert_eq!(creates_of(&actions, "ReplicaSet"), 1, "{:#?}", lines(&actions));
}

// ---------------------------------------------------------------------------
// 2. 1000% maxSurge / maxUnavailable
// ---------------------------------------------------------------------------

fn old_rs_with_ready_pods(replicas: i32) -> ReplicaSet {
    let old = deployment_of(replicas, json!({}), "nginx:0");
    let tpl = old.spec.as_ref().map(|s| s.template.clone()).expect("template");
    let hash = deployment::pod_template_hash(&tpl, None);
    let mut tpl = serde_json::to_value(&tpl).expect("tpl");
    tpl["metadata"]["labels"]["pod-template-hash"] = json!(hash);
    decode(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": format!("web-{hash}"), "namespace": NS, "uid": "uid-old", "generation": 1,
                     "creationTimestamp": "2023-01-01T00:00:00Z",
                     "labels": {"app": "web", "pod-template-hash": hash},
                     "annotations": {"deployment.kubernetes.io/revision": "1"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                          "uid": "uid-web", "controller": true, "blockOwnerDeletion": true}]},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web", "pod-template-hash": hash}},
                 "template": tpl},
        "status": {"replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas,
                   "fullyLabeledReplicas": replicas, "observedGeneration": 1}
    }))
}

fn rs_scales(actions: &[Action]) -> Vec<(String, i32)> {
    actions
        .iter()
        .filter_map(|a| match a {
            Action::Create { object: Object::ReplicaSet(rs) }
            | Action::Update { object: Object::ReplicaSet(rs), .. } => {
                Some((rs.metadata.uid().to_owned(), rs.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1)))
            }
            _ => None,
        })
        .collect()
}

/// upstream: deployment_util.go ResolveFenceposts / MaxUnavailable (capped at
/// `replicas`), NewRSNewReplicas (capped at `replicas`) and rolling.go
/// reconcileOldReplicaSets. Validation rejects a `maxUnavailable` over 100%
/// (validation.go ValidateRollingUpdateDeployment: IsNotMoreThan100Percent);
/// the reconcile still keeps every count within `[0, replicas]`.
#[test]
fn deployment_thousand_percent_surge_and_unavailable() {
    let strategy =
        json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "1000%", "maxUnavailable": "1000%"}});
    let d = deployment_of(10, strategy.clone(), "nginx:1");
    let rejected = validation::validate(&Object::from(d.clone())).expect_err("over 100%");
    assert!(rejected.to_string().contains("maxUnavailable"), "{rejected}");
    assert_eq!(deployment::max_surge(&d), 100);
    assert_eq!(deployment::max_unavailable(&d), 10);

    // One sync: the new ReplicaSet is created with `replicas`, not
    // replicas + surge; since minAvailable is 0, every old pod may go at once
    // (reconcileOldReplicaSets: maxScaledDown = 20 - 0 - 10).
    let old = old_rs_with_ready_pods(10);
    let olds = [old];
    let actions = deployment::reconcile(
        &d,
        &deployment::Observed {
            replica_sets: &olds,
            pods: &[],
            memory: &deployment::DeploymentMemory::default(),
        },
        base(),
    );
    let scales = rs_scales(&actions);
    assert_eq!(scales, [(String::new(), 10), ("uid-old".to_owned(), 0)], "{:#?}", lines(&actions));

    // With i32::MAX replicas, 1000% saturates instead of overflowing.
    let d = deployment_of(i32::MAX, strategy, "nginx:1");
    assert_eq!(deployment::max_surge(&d), i32::MAX);
    assert_eq!(deployment::max_unavailable(&d), i32::MAX);
    let olds = [old_rs_with_ready_pods(i32::MAX)];
    let actions = deployment::reconcile(
        &d,
        &deployment::Observed {
            replica_sets: &olds,
            pods: &[],
            memory: &deployment::DeploymentMemory::default(),
        },
        base(),
    );
    for (_, replicas) in rs_scales(&actions) {
        assert!(replicas >= 0);
    }
    assert!(actions.len() <= 8, "{:#?}", lines(&actions));
}

/// upstream: update.go rollingUpdate with util.SurgeCount / UnavailableCount
/// (percentages of the desired node count, rounded up). Validation rejects
/// more than 100% (validation.go ValidateRollingUpdateDaemonSet); the
/// reconcile touches each node at most once however large the budget.
#[test]
fn daemonset_thousand_percent_surge_and_unavailable() {
    let now = base();
    let nodes: Vec<Node> = (0..5).map(|i| node(&format!("node-{i}"))).collect();
    // Settle an old version: one ready pod per node.
    let old = daemon_set(json!({}), "agent:1");
    let memory = daemonset::DaemonSetMemory::default();
    let first = daemonset::reconcile(
        &old,
        &daemonset::Observed { pods: &[], nodes: &nodes, revisions: &[], memory: &memory },
        now,
    );
    let mut pods: Vec<Pod> = Vec::new();
    let mut revisions: Vec<ControllerRevision> = Vec::new();
    for (i, a) in first.iter().enumerate() {
        if let Action::Create { object } = a {
            match object {
                Object::Pod(p) => {
                    let mut p = (**p).clone();
                    p.metadata.name = Some(format!("agent-{i}"));
                    p.metadata.uid = Some(format!("uid-agent-{i}"));
                    p.metadata.creation_timestamp = Some(now);
                    p.status = Some(decode(ready_status(now.add_seconds(-3600))));
                    pods.push(p);
                }
                Object::ControllerRevision(r) => {
                    let mut r = (**r).clone();
                    r.metadata.uid = Some("uid-rev-1".into());
                    revisions.push(r);
                }
                _ => {}
            }
        }
    }
    assert_eq!(pods.len(), 5);

    for (budget, label) in [
        (json!({"maxUnavailable": "1000%", "maxSurge": 0}), "unavailable"),
        (json!({"maxUnavailable": 0, "maxSurge": "1000%"}), "surge"),
    ] {
        let mut ds = daemon_set(
            json!({"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": budget}}),
            "agent:2",
        );
        ds.metadata.generation = Some(2);
        let rejected = validation::validate(&Object::from(ds.clone())).expect_err("over 100%");
        assert!(rejected.to_string().contains("100%"), "{rejected}");
        let observed =
            daemonset::Observed { pods: &pods, nodes: &nodes, revisions: &revisions, memory: &memory };
        let actions = daemonset::reconcile(&ds, &observed, now);
        let creates = creates_of(&actions, "Pod");
        let deletes = deletes_of(&actions, "Pod");
        match label {
            // Every outdated pod may go at once.
            "unavailable" => assert_eq!((creates, deletes), (0, 5), "{:#?}", lines(&actions)),
            // Every node may get its surge pod, none more.
            _ => assert_eq!((creates, deletes), (5, 0), "{:#?}", lines(&actions)),
        }
        assert!(actions.len() <= 16, "{:#?}", lines(&actions));
    }
}

// ---------------------------------------------------------------------------
// 3. Timestamps in year 9999 and before 1970
// ---------------------------------------------------------------------------

/// Instants at and beyond the ends of what clusters write.
fn far_times() -> Vec<Time> {
    [
        "0001-01-01T00:00:00Z",
        "1900-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "1970-01-01T00:00:00Z",
        "2024-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
    ]
    .into_iter()
    .map(t)
    .collect()
}

/// `Time` saturates at chrono's ends (years -262143 and 262142).
fn extreme_times() -> Vec<Time> {
    vec![Time::from_unix(i64::MIN), Time::from_unix(i64::MAX)]
}

fn requeue_after(actions: &[Action]) -> Option<Duration> {
    actions.iter().find_map(|a| match a {
        Action::Requeue { after, .. } => Some(*after),
        _ => None,
    })
}

fn status_object(actions: &[Action]) -> Option<&Object> {
    actions.iter().find_map(|a| match a {
        Action::UpdateStatus { object } => Some(object),
        _ => None,
    })
}

/// The expected requeue: from `now` to `at`, in whole milliseconds.
fn until(at: Time, now: Time) -> Duration {
    Duration::from_millis(u64::try_from(at.millis_since(now)).unwrap_or(0))
}

/// upstream: podutil.IsPodAvailable (`lastTransitionTime + minReadySeconds
/// <= now`) and FindMinNextPodAvailabilityCheck; far dates saturate.
#[test]
fn replicaset_far_timestamps() {
    for now in far_times().into_iter().chain(extreme_times()) {
        for stamp in far_times().into_iter().chain(extreme_times()) {
            let mut rs = replica_set(3);
            rs.metadata.creation_timestamp = Some(stamp);
            rs.spec.as_mut().expect("spec").min_ready_seconds = Some(10);
            let pods: Vec<Pod> = (0..3)
                .map(|i| {
                    let mut p: Pod = decode(owned_pod(
                        &format!("web-{i}"),
                        ("ReplicaSet", "web", "uid-web"),
                        json!({"app": "web"}),
                    ));
                    p.metadata.creation_timestamp = Some(stamp);
                    let mut st: kube_workloads::api::PodStatus = decode(ready_status(base()));
                    st.start_time = Some(stamp);
                    if let Some(c) = st.conditions.as_mut().and_then(|c| c.first_mut()) {
                        c.last_transition_time = Some(stamp);
                    }
                    p.status = Some(st);
                    p
                })
                .collect();
            let actions = rs_reconcile(&rs, &pods, now);
            let available_at = stamp.add_seconds(10);
            let Some(Object::ReplicaSet(written)) = status_object(&actions) else {
                panic!("no status at {now} for {stamp}: {:#?}", lines(&actions));
            };
            let available = written.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0);
            if stamp.is_go_zero() {
                // upstream: IsPodAvailable and nextPodAvailabilityCheck treat
                // Go's zero time as unset: not available, and the requeue
                // falls back to minReadySeconds.
                assert_eq!(available, 0, "now {now}, ready since the zero time");
                assert_eq!(requeue_after(&actions), Some(Duration::from_secs(10)), "now {now}");
            } else if available_at <= now {
                assert_eq!(available, 3, "now {now}, ready since {stamp}");
                assert_eq!(requeue_after(&actions), None);
            } else {
                assert_eq!(available, 0, "now {now}, ready since {stamp}");
                assert_eq!(
                    requeue_after(&actions),
                    Some(until(available_at, now)),
                    "now {now}, ready since {stamp}"
                );
            }
            assert_eq!(creates_of(&actions, "Pod") + deletes_of(&actions, "Pod"), 0);
        }
    }
}

/// upstream: deployment_util.go DeploymentTimedOut: `from + deadline` before
/// `now` gives `ProgressDeadlineExceeded`; otherwise a requeue at the
/// deadline (progress.go requeueStuckDeployment).
#[test]
fn deployment_far_timestamps() {
    for now in far_times() {
        for stamp in far_times() {
            let mut d = deployment_of(3, json!({"type": "RollingUpdate"}), "nginx:0");
            d.metadata.creation_timestamp = Some(stamp);
            d.spec.as_mut().expect("spec").progress_deadline_seconds = Some(600);
            d.status = Some(decode(json!({"observedGeneration": 1, "replicas": 3, "updatedReplicas": 3,
                "conditions": [{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated",
                                "lastUpdateTime": stamp.to_string(), "lastTransitionTime": stamp.to_string()}]})));
            let mut rs = old_rs_with_ready_pods(3);
            rs.metadata.creation_timestamp = Some(stamp);
            rs.status = Some(decode(json!({"replicas": 3, "observedGeneration": 1})));
            let rss = [rs];
            let actions = deployment::reconcile(
                &d,
                &deployment::Observed {
                    replica_sets: &rss,
                    pods: &[],
                    memory: &deployment::DeploymentMemory::default(),
                },
                now,
            );
            let deadline = stamp.add_seconds(600);
            let exceeded = status_object(&actions).is_some_and(|o| {
                let Object::Deployment(d) = o else { return false };
                d.status.as_ref().and_then(|s| s.conditions.as_ref()).is_some_and(|cs| {
                    cs.iter().any(|c| {
                        c.type_ == "Progressing" && c.reason.as_deref() == Some("ProgressDeadlineExceeded")
                    })
                })
            });
            assert_eq!(
                exceeded,
                deadline < now,
                "now {now}, progressing since {stamp}: {:#?}",
                lines(&actions)
            );
            if deadline >= now {
                // upstream syncRolloutStatus requeues only when the status is
                // unchanged: reconcile again on the written status.
                if let Some(Object::Deployment(written)) = status_object(&actions) {
                    d.status = written.status.clone();
                }
                let actions = deployment::reconcile(
                    &d,
                    &deployment::Observed {
                        replica_sets: &rss,
                        pods: &[],
                        memory: &deployment::DeploymentMemory::default(),
                    },
                    now,
                );
                let after = requeue_after(&actions).unwrap_or_else(|| {
                    panic!("no requeue: now {now}, progressing since {stamp}: {:#?}", lines(&actions))
                });
                assert!(after <= until(deadline, now).saturating_add(Duration::from_secs(1)), "{after:?}");
            }
        }
    }
}

/// upstream: stateful_set_control.go computeReplicaStatus counts available
/// pods with IsPodAvailable(minReadySeconds, now).
#[test]
fn statefulset_far_timestamps() {
    for now in far_times().into_iter().chain(extreme_times()) {
        for stamp in far_times().into_iter().chain(extreme_times()) {
            let mut set = stateful_set(1, json!({"minReadySeconds": 10}));
            set.metadata.creation_timestamp = Some(stamp);
            // The pod the set creates, made ready at `stamp`.
            let no = statefulset::Observed { pods: &[], claims: &[], revisions: &[] };
            let first = statefulset::reconcile(&set, &no, now);
            let mut pods = Vec::new();
            let mut revisions = Vec::new();
            for a in &first {
                match a {
                    Action::Create { object: Object::Pod(p) } => {
                        let mut p = (**p).clone();
                        p.metadata.uid = Some("uid-db-0".into());
                        p.metadata.creation_timestamp = Some(stamp);
                        let mut st: kube_workloads::api::PodStatus = decode(ready_status(base()));
                        if let Some(c) = st.conditions.as_mut().and_then(|c| c.first_mut()) {
                            c.last_transition_time = Some(stamp);
                        }
                        st.start_time = Some(stamp);
                        p.status = Some(st);
                        pods.push(p);
                    }
                    Action::Create { object: Object::ControllerRevision(r) } => {
                        let mut r = (**r).clone();
                        r.metadata.uid = Some("uid-rev".into());
                        r.metadata.creation_timestamp = Some(stamp);
                        revisions.push(r);
                    }
                    _ => {}
                }
            }
            assert_eq!(pods.len(), 1, "now {now}: {:#?}", lines(&first));
            let observed = statefulset::Observed { pods: &pods, claims: &[], revisions: &revisions };
            let actions = statefulset::reconcile(&set, &observed, now);
            let available = status_object(&actions).map(|o| match o {
                Object::StatefulSet(s) => s.status.as_ref().and_then(|s| s.available_replicas).unwrap_or(0),
                _ => -1,
            });
            // upstream: IsPodAvailable treats Go's zero time as unset.
            let expect = if !stamp.is_go_zero() && stamp.add_seconds(10) <= now { 1 } else { 0 };
            assert_eq!(available, Some(expect), "now {now}, ready since {stamp}: {:#?}", lines(&actions));
            assert_eq!(creates_of(&actions, "Pod") + deletes_of(&actions, "Pod"), 0);
        }
    }
}

/// upstream: daemon_controller.go updateDaemonSetStatus counts
/// `numberAvailable` with IsPodAvailable(minReadySeconds, now).
#[test]
fn daemonset_far_timestamps() {
    let nodes = [node("node-0")];
    for now in far_times().into_iter().chain(extreme_times()) {
        for stamp in far_times().into_iter().chain(extreme_times()) {
            let mut ds = daemon_set(json!({"minReadySeconds": 10}), "agent:1");
            ds.metadata.creation_timestamp = Some(stamp);
            let memory = daemonset::DaemonSetMemory::default();
            let first = daemonset::reconcile(
                &ds,
                &daemonset::Observed { pods: &[], nodes: &nodes, revisions: &[], memory: &memory },
                now,
            );
            let mut pods = Vec::new();
            let mut revisions = Vec::new();
            for a in &first {
                match a {
                    Action::Create { object: Object::Pod(p) } => {
                        let mut p = (**p).clone();
                        p.metadata.name = Some("agent-x".into());
                        p.metadata.uid = Some("uid-agent-x".into());
                        p.metadata.creation_timestamp = Some(stamp);
                        let mut st: kube_workloads::api::PodStatus = decode(ready_status(base()));
                        if let Some(c) = st.conditions.as_mut().and_then(|c| c.first_mut()) {
                            c.last_transition_time = Some(stamp);
                        }
                        p.status = Some(st);
                        pods.push(p);
                    }
                    Action::Create { object: Object::ControllerRevision(r) } => {
                        let mut r = (**r).clone();
                        r.metadata.uid = Some("uid-rev".into());
                        revisions.push(r);
                    }
                    _ => {}
                }
            }
            assert_eq!(pods.len(), 1, "now {now}: {:#?}", lines(&first));
            let observed =
                daemonset::Observed { pods: &pods, nodes: &nodes, revisions: &revisions, memory: &memory };
            let actions = daemonset::reconcile(&ds, &observed, now);
            let available = status_object(&actions).map(|o| match o {
                Object::DaemonSet(s) => s.status.as_ref().and_then(|s| s.number_available).unwrap_or(0),
                _ => -1,
            });
            // upstream: IsPodAvailable treats Go's zero time as unset.
            let expect = if !stamp.is_go_zero() && stamp.add_seconds(10) <= now { 1 } else { 0 };
            assert_eq!(available, Some(expect), "now {now}, ready since {stamp}: {:#?}", lines(&actions));
            assert_eq!(creates_of(&actions, "Pod") + deletes_of(&actions, "Pod"), 0);
        }
    }
}

/// upstream: job_controller.go pastActiveDeadline (`now - startTime >=
/// activeDeadlineSeconds`) and the requeue at the deadline.
#[test]
fn job_far_timestamps() {
    for now in far_times().into_iter().chain(extreme_times()) {
        for stamp in far_times().into_iter().chain(extreme_times()) {
            let mut j = job_of(json!({"parallelism": 1, "completions": 1, "activeDeadlineSeconds": 60}));
            j.metadata.creation_timestamp = Some(stamp);
            j.status = Some(decode(json!({"startTime": "2024-01-01T00:00:00Z", "active": 0})));
            if let Some(s) = j.status.as_mut() {
                s.start_time = Some(stamp);
            }
            let actions = job_reconcile(&j, &[], now);
            // upstream pastActiveDeadline: `now.Sub(startTime) >= deadline`.
            let elapsed_ms = now.millis_since(stamp);
            let reasons: BTreeSet<String> = status_object(&actions)
                .map(|o| match o {
                    Object::Job(j) => j
                        .status
                        .as_ref()
                        .and_then(|s| s.conditions.as_ref())
                        .map(|cs| cs.iter().filter_map(|c| c.reason.clone()).collect())
                        .unwrap_or_default(),
                    _ => BTreeSet::new(),
                })
                .unwrap_or_default();
            if elapsed_ms >= 60_000 {
                assert!(
                    reasons.contains("DeadlineExceeded"),
                    "now {now}, started {stamp}: {:#?}",
                    lines(&actions)
                );
                assert_eq!(creates_of(&actions, "Pod"), 0);
            } else {
                assert!(!reasons.contains("DeadlineExceeded"), "now {now}, started {stamp}");
                assert_eq!(creates_of(&actions, "Pod"), 1, "now {now}, started {stamp}");
                let expect = Duration::from_millis(u64::try_from(60_000 - elapsed_ms).unwrap_or(u64::MAX));
                assert_eq!(requeue_after(&actions), Some(expect), "now {now}, started {stamp}");
            }
        }
    }
}

/// upstream: ttlafterfinished_controller.go timeLeft: delete once
/// `finishTime + ttl <= now`, else requeue at that instant.
#[test]
fn ttl_after_finished_far_timestamps() {
    for now in far_times().into_iter().chain(extreme_times()) {
        for stamp in far_times().into_iter().chain(extreme_times()) {
            let mut j = job_of(json!({"ttlSecondsAfterFinished": 100}));
            j.status = Some(decode(json!({"conditions": [{"type": "Complete", "status": "True"}]})));
            if let Some(c) = j.status.as_mut().and_then(|s| s.conditions.as_mut()).and_then(|c| c.first_mut())
            {
                c.last_transition_time = Some(stamp);
            }
            let actions = ttl_after_finished::reconcile(&j, now);
            let expire = stamp.add_seconds(100);
            if expire <= now {
                assert_eq!(
                    lines(&actions),
                    ["delete Job default/batch (Foreground propagation)"],
                    "now {now}, finished {stamp}"
                );
            } else {
                assert_eq!(actions.len(), 1);
                assert_eq!(requeue_after(&actions), Some(until(expire, now)), "now {now}, finished {stamp}");
            }
        }
    }
}

/// The CronJob controller at far dates. Inside the years the schedule engine
/// iterates (1970–2100, `schedule` module docs) the due time is created; a
/// CronJob created in the future of `now` waits. Outside them nothing is
/// due and nothing panics.
#[test]
fn cronjob_far_timestamps() {
    for now in far_times().into_iter().chain(extreme_times()) {
        for stamp in far_times().into_iter().chain(extreme_times()) {
            let cj = cron_job("0 * * * *", stamp);
            let actions = cronjob::reconcile(&cj, &cronjob::Observed { jobs: &[] }, now);
            assert!(actions.len() <= 6, "now {now}, created {stamp}: {:#?}", lines(&actions));
            let created = creates_of(&actions, "Job");
            if now < stamp {
                assert_eq!(created, 0, "now {now}, created {stamp}");
            }
            let in_engine = |x: Time| (t("1970-01-01T00:00:00Z")..t("2100-01-01T00:00:00Z")).contains(&x);
            if in_engine(now) && in_engine(stamp) && stamp.add_seconds(3600) <= now {
                assert_eq!(created, 1, "now {now}, created {stamp}: {:#?}", lines(&actions));
            }
        }
    }
}

/// upstream (robfig/cron): a CronJob created before 1970 still fires at the
/// most recent due time; the missed times are too many to count.
#[test]
fn cronjob_created_before_1970_runs_the_most_recent_time() {
    let now = t("2024-05-01T10:30:00Z");
    for created in ["1900-01-01T00:00:00Z", "1969-12-31T23:00:00Z", "0001-01-01T00:00:00Z"] {
        let cj = cron_job("0 * * * *", t(created));
        let actions = cronjob::reconcile(&cj, &cronjob::Observed { jobs: &[] }, now);
        let l = lines(&actions);
        assert!(l.iter().any(|l| l == "create Job default/report-28575960"), "{created}: {l:#?}");
        assert!(l.iter().any(|l| l.contains("TooManyMissedTimes")), "{created}: {l:#?}");
    }
}

/// upstream: pod GC and taint eviction compare times with saturating
/// arithmetic here; quarantine and toleration timers at far dates never
/// panic and never produce a requeue in the past.
#[test]
fn podgc_far_timestamps() {
    for now in far_times().into_iter().chain(extreme_times()) {
        for stamp in far_times().into_iter().chain(extreme_times()) {
            let mut tainted: Node = decode(json!({"metadata": {"name": "node-t"},
                "spec": {"taints": [{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute"}]}}));
            if let Some(taint) =
                tainted.spec.as_mut().and_then(|s| s.taints.as_mut()).and_then(|t| t.first_mut())
            {
                taint.time_added = Some(stamp);
            }
            let nodes = [tainted];
            let pods: Vec<Pod> = ["node-t", "node-gone"]
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let mut p: Pod = decode(json!({"metadata": {"name": format!("p{i}"), "namespace": NS, "uid": format!("u{i}")},
                        "spec": {"nodeName": n, "containers": [{"name": "c", "image": "x"}],
                                 "tolerations": [{"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                                                  "effect": "NoExecute", "tolerationSeconds": 30}]},
                        "status": {"phase": "Running"}}));
                    p.metadata.creation_timestamp = Some(stamp);
                    p
                })
                .collect();
            let memory = podgc::PodGcMemory::default();
            let actions =
                podgc::reconcile(&podgc::Observed { pods: &pods, nodes: &nodes, memory: &memory }, now);
            // The pod on the tainted node is evicted once its toleration ran out.
            let evicted =
                actions.iter().any(|a| matches!(a, Action::Delete { target, .. } if target.name == "p0"));
            let timer_start = if stamp <= now { stamp } else { now };
            assert_eq!(
                evicted,
                timer_start.add_seconds(30) <= now,
                "now {now}, tainted {stamp}: {:#?}",
                lines(&actions)
            );
            assert!(requeue_after(&actions).is_some());
        }
    }
}

/// The pod lifecycle at far dates: creation, start and probe timers
/// saturate; no timeout is ever in the past.
#[test]
fn kubelet_far_timestamps() {
    for now in far_times().into_iter().chain(extreme_times()) {
        for stamp in far_times().into_iter().chain(extreme_times()) {
            let mut pod: Pod = decode(json!({
                "metadata": {"name": "p", "namespace": NS, "uid": "u"},
                "spec": {"nodeName": "n", "activeDeadlineSeconds": 60, "containers": [{"name": "c", "image": "x",
                    "readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 10},
                    "livenessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 5}}]}
            }));
            pod.metadata.creation_timestamp = Some(stamp);
            let mut lc = PodLifecycle::new(&pod, now, KubeletConfig::default());
            let mut clock = now;
            for _ in 0..20 {
                while let Some(cmd) = lc.poll_command() {
                    match cmd {
                        Command::CreateSandbox => {
                            lc.handle(KEvent::SandboxReady { pod_ip: Some("10.0.0.1".into()) }, clock)
                        }
                        Command::StartContainer { container, .. } => {
                            lc.handle(KEvent::ContainerStarted { container }, clock)
                        }
                        _ => {}
                    }
                }
                let Some(next) = lc.poll_timeout() else { break };
                assert!(next >= clock, "timeout {next} before {clock} (now {now}, created {stamp})");
                clock = next;
                lc.handle_timeout(clock);
            }
            let _ = lc.status();
        }
    }
}

/// The pod lifecycle with every period, threshold, delay and grace period at
/// its extremes: an executor answering every command and every timeout
/// never sees a panic or a timeout before the time it was asked at.
#[test]
fn kubelet_absurd_probe_and_grace_values() {
    use kube_workloads::kubelet::{HookOutcome, ProbeOutcome};
    let now = base();
    let fields =
        ["periodSeconds", "initialDelaySeconds", "timeoutSeconds", "successThreshold", "failureThreshold"];
    let cases = fields
        .iter()
        .flat_map(|f| [(i32::MAX, i64::MAX), (i32::MIN, i64::MIN), (0, 0), (-1, -1)].map(|v| (*f, v)));
    for (field, (v, v64)) in cases {
        let mut probe = json!({"exec": {"command": ["true"]}, "terminationGracePeriodSeconds": v64});
        probe[field] = json!(v);
        let hook = json!({"exec": {"command": ["true"]}});
        let pod: Pod = decode(json!({
            "metadata": {"name": "p", "namespace": NS, "uid": "u", "deletionGracePeriodSeconds": v64},
            "spec": {"nodeName": "n", "activeDeadlineSeconds": i64::MAX, "terminationGracePeriodSeconds": v64,
                     "restartPolicy": "Always",
                     "initContainers": [{"name": "side", "image": "x", "restartPolicy": "Always",
                                         "startupProbe": probe, "readinessProbe": probe}],
                     "containers": [{"name": "c", "image": "x", "startupProbe": probe, "livenessProbe": probe,
                                     "readinessProbe": probe,
                                     "lifecycle": {"postStart": hook, "preStop": hook}}]}
        }));
        let mut lc = PodLifecycle::new(&pod, now, KubeletConfig::default());
        let mut clock = now;
        for step in 0..200 {
            while let Some(cmd) = lc.poll_command() {
                let event = match cmd {
                    Command::CreateSandbox => KEvent::SandboxReady { pod_ip: Some("10.0.0.1".into()) },
                    Command::StartContainer { container, .. } => KEvent::ContainerStarted { container },
                    Command::RunProbe { container, attempt, probe, .. } => {
                        let outcome =
                            if step % 3 == 0 { ProbeOutcome::Failure } else { ProbeOutcome::Success };
                        KEvent::ProbeResult { container, attempt, probe, outcome }
                    }
                    Command::RunHook { container, attempt, hook, .. } => {
                        KEvent::HookFinished { container, attempt, hook, outcome: HookOutcome::Success }
                    }
                    Command::StopContainer { container, .. } | Command::KillContainer { container, .. } => {
                        KEvent::ContainerExited { container, exit_code: 137, reason: None, message: None }
                    }
                    _ => continue,
                };
                lc.handle(event, clock);
            }
            if step == 100 {
                lc.handle(KEvent::DeletionRequested { grace_period_seconds: Some(v64) }, clock);
            }
            let Some(next) = lc.poll_timeout() else { break };
            assert!(next >= clock, "{field} {v}: timeout {next} before {clock}");
            // Far timeouts are not waited for: the clock moves a minute.
            clock = next.min(clock.add_seconds(60));
            lc.handle_timeout(clock);
        }
        let _ = lc.status();
    }
}

// ---------------------------------------------------------------------------
// 4. A pod with 10,000 containers
// ---------------------------------------------------------------------------

const MANY: usize = 10_000;

fn many_containers() -> Value {
    Value::Array(
        (0..MANY)
            .map(|i| json!({"name": format!("c{i}"), "image": "nginx", "ports": [{"containerPort": 80 + (i % 1000)}]}))
            .collect(),
    )
}

/// Validation (upstream: validation.go validateContainers: unique names,
/// host ports), defaulting, the pod lifecycle and the ReplicaSet reconcile
/// handle 10,000 containers without quadratic work in the container count.
#[test]
fn pod_with_ten_thousand_containers() {
    let now = base();
    let doc = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "huge", "namespace": NS, "uid": "uid-huge"},
        "spec": {"nodeName": "node-0", "restartPolicy": "Always", "containers": many_containers()}});
    let mut obj = Object::from_value(doc.clone()).expect("decode");
    assert_eq!(obj.to_value(), doc);
    // Validation runs on defaulted objects, as in the API server.
    defaults::apply(&mut obj);
    validation::validate(&obj).expect("valid after defaults");
    let Object::Pod(pod) = obj else { unreachable!() };

    // A duplicate name among them is found (upstream: field.Duplicate).
    let mut dup = doc.clone();
    dup["spec"]["containers"][MANY - 1]["name"] = json!("c0");
    let mut dup = Object::from_value(dup).expect("decode");
    defaults::apply(&mut dup);
    let errors = validation::validate(&dup).expect_err("duplicate");
    assert!(errors.to_string().contains("Duplicate value: \"c0\""), "{errors}");

    // The lifecycle asks for every container in one sync (upstream:
    // kuberuntime computePodActions starts all missing containers). Each
    // event costs a pass over the containers, as upstream's syncPod does,
    // so starting all 10,000 one event at a time is quadratic (about 30 s
    // in a debug build): this test feeds the first 10 start events.
    let mut lc = PodLifecycle::new(&pod, now, KubeletConfig::default());
    assert_eq!(lc.poll_command(), Some(Command::CreateSandbox));
    assert_eq!(lc.poll_command(), None);
    lc.handle(KEvent::SandboxReady { pod_ip: Some("10.0.0.1".into()) }, now);
    let mut asked = Vec::new();
    while let Some(cmd) = lc.poll_command() {
        if let Command::StartContainer { container, attempt: 0 } = cmd {
            asked.push(container);
        }
    }
    assert_eq!(asked.len(), MANY);
    for container in asked.into_iter().take(10) {
        lc.handle(KEvent::ContainerStarted { container }, now.add_seconds(1));
    }
    lc.handle_timeout(now.add_seconds(2));
    assert!(lc.poll_timeout().is_none_or(|t| t >= now.add_seconds(2)));
    let status = lc.status();
    assert_eq!(status.phase, Some(PodPhase::Pending));
    let statuses = status.container_statuses.as_deref().unwrap_or_default();
    assert_eq!(statuses.len(), MANY);
    assert_eq!(statuses.iter().filter(|c| c.state.as_ref().is_some_and(|s| s.running.is_some())).count(), 10);

    // A ReplicaSet whose template has them creates its pods and counts the
    // observed one.
    let mut rs = replica_set(3);
    rs.spec.as_mut().and_then(|s| s.template.as_mut()).expect("template").spec =
        Some(decode(json!({"containers": many_containers()})));
    let mut observed: Pod = (*pod).clone();
    observed.metadata.labels = Some(decode(json!({"app": "web"})));
    observed.metadata.owner_references = Some(decode(json!([{"apiVersion": "apps/v1", "kind": "ReplicaSet",
        "name": "web", "uid": "uid-web", "controller": true}])));
    observed.status = Some(status);
    let actions = rs_reconcile(&rs, &[observed], now);
    assert_eq!(creates_of(&actions, "Pod"), 2);
    for a in &actions {
        if let Action::Create { object: Object::Pod(p) } = a {
            assert_eq!(p.spec.as_ref().map(|s| s.containers.len()), Some(MANY));
        }
    }
}

// ---------------------------------------------------------------------------
// 5. A 1 MB annotation
// ---------------------------------------------------------------------------

/// upstream: apimachinery validation ValidateAnnotationsSize
/// (`TotalAnnotationSizeLimitB` = 256 KiB over keys and values): rejected by
/// validation; decoding, encoding and the reconcile carry it unchanged.
#[test]
fn one_megabyte_annotation() {
    let big = "x".repeat(1 << 20);
    let doc = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "annotated", "namespace": NS, "uid": "uid-annotated",
                     "labels": {"app": "web"}, "annotations": {"example.com/blob": big}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
    let obj = Object::from_value(doc.clone()).expect("decode");
    assert_eq!(obj.to_value(), doc);
    let text = serde_json::to_string(&obj).expect("encode");
    let back: Object = serde_json::from_str(&text).expect("decode text");
    assert_eq!(back, obj);
    let errors = validation::validate(&obj).expect_err("too large");
    let message = errors.to_string();
    assert!(message.contains("metadata.annotations: Too long"), "{}", &message[..message.len().min(300)]);
    assert!(message.contains("262144"), "{}", &message[..message.len().min(300)]);
    assert!(message.len() < 4096, "the error does not echo the megabyte: {} bytes", message.len());

    // Just under the limit is accepted.
    let key = "example.com/blob";
    let fits = "x".repeat(256 * 1024 - key.len());
    let ok = json!({"apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "annotated", "namespace": NS, "annotations": {key: fits}},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]}});
    let mut ok = Object::from_value(ok).expect("decode");
    defaults::apply(&mut ok);
    validation::validate(&ok).expect("exactly 256 KiB");

    // The reconcile adopts the annotated orphan and copies a template
    // annotation into the pods it creates.
    let Object::Pod(pod) = obj else { unreachable!() };
    let mut rs = replica_set(2);
    rs.spec
        .as_mut()
        .and_then(|s| s.template.as_mut())
        .and_then(|t| t.metadata.as_mut())
        .expect("meta")
        .set_annotation(key, big.clone());
    let actions = rs_reconcile(&rs, &[*pod], base());
    assert_eq!(creates_of(&actions, "Pod"), 1, "{:#?}", lines(&actions));
    for a in &actions {
        match a {
            Action::Create { object: Object::Pod(p) } | Action::Update { object: Object::Pod(p), .. } => {
                assert_eq!(p.metadata.annotation(key).map(str::len), Some(big.len()));
            }
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------
// 6. Cron schedules that fire in years or never
// ---------------------------------------------------------------------------

/// robfig/cron spec.go Next gives the zero time when nothing matches within
/// five years: an impossible date is `None`, at once.
#[test]
fn cron_schedules_that_never_fire() {
    let now = base();
    for spec in
        ["0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 31 2 *", "TZ=Europe/Berlin 0 0 30 2 *", "59 23 31 11 *"]
    {
        let s = Schedule::parse(spec).expect(spec);
        let next = s.next_after(now);
        if spec == "59 23 31 11 *" {
            assert_eq!(next, None, "{spec}: November has 30 days");
        }
        assert_eq!(next, None, "{spec}");
        assert!(s.missed(now, now.add_seconds(100 * 365 * 86_400)).is_err(), "{spec}");
    }
}

/// Feb 29: the next one is up to eight years away across 2100 (not a leap
/// year), beyond robfig's five-year search, so `None`; within five years it
/// is found. `0 0 29 2 1` ORs the day fields (robfig dayMatches): the first
/// Monday of February comes first.
#[test]
fn cron_leap_day_schedules() {
    let leap = Schedule::parse("0 0 29 2 *").expect("parse");
    assert_eq!(leap.next_after(t("2024-03-01T00:00:00Z")), Some(t("2028-02-29T00:00:00Z")));
    assert_eq!(leap.next_after(t("2096-03-01T00:00:00Z")), None);
    let monday = Schedule::parse("0 0 29 2 1").expect("parse");
    assert_eq!(monday.next_after(t("2024-03-01T00:00:00Z")), Some(t("2025-02-03T00:00:00Z")));
    assert_eq!(monday.next_after(t("2025-02-24T00:00:00Z")), Some(t("2026-02-02T00:00:00Z")));
    // In a zone too.
    let zoned = Schedule::parse("TZ=America/New_York 0 0 29 2 *").expect("parse");
    assert_eq!(zoned.next_after(t("2024-03-01T00:00:00Z")), Some(t("2028-02-29T05:00:00Z")));
    // At and past the ends of time.
    for s in [&leap, &monday, &zoned, &Schedule::parse("@every 1s").expect("every")] {
        for at in [
            t("9999-12-31T23:59:59Z"),
            Time::from_unix(i64::MAX),
            Time::from_unix(i64::MIN),
            t("0001-01-01T00:00:00Z"),
        ] {
            let next = s.next_after(at);
            assert!(next.is_none_or(|n| n > at), "{s} after {at}: {next:?}");
        }
    }
}

/// The CronJob controller with a schedule that never fires: no Job, no
/// loop, an `InvalidSchedule`-style warning at most; with a leap-day
/// schedule the Job of Feb 29 is created and the requeue points four years
/// ahead.
#[test]
fn cronjob_with_far_or_impossible_schedules() {
    let never = cron_job("0 0 30 2 *", t("2024-01-01T00:00:00Z"));
    let actions = cronjob::reconcile(&never, &cronjob::Observed { jobs: &[] }, t("2124-01-01T00:00:00Z"));
    assert_eq!(creates_of(&actions, "Job"), 0, "{:#?}", lines(&actions));
    assert!(actions.len() <= 3, "{:#?}", lines(&actions));

    let leap = cron_job("0 0 29 2 *", t("2024-03-01T00:00:00Z"));
    let now = t("2028-02-29T00:00:30Z");
    let actions = cronjob::reconcile(&leap, &cronjob::Observed { jobs: &[] }, now);
    let l = lines(&actions);
    let minutes = t("2028-02-29T00:00:00Z").unix() / 60;
    assert!(l.contains(&format!("create Job default/report-{minutes}")), "{l:#?}");
    let after = requeue_after(&actions).expect("requeue");
    assert_eq!(after, until(t("2032-02-29T00:00:00Z"), now) + Duration::from_millis(100));

    // After 2096 the next leap day is beyond the five-year search: no
    // requeue, nothing created.
    let late = cron_job("0 0 29 2 *", t("2096-03-01T00:00:00Z"));
    let actions = cronjob::reconcile(&late, &cronjob::Observed { jobs: &[] }, t("2099-01-01T00:00:00Z"));
    assert_eq!(creates_of(&actions, "Job"), 0, "{:#?}", lines(&actions));
    assert_eq!(requeue_after(&actions), None, "{:#?}", lines(&actions));
}

/// upstream's ActivePodsWithRanks.Less is not transitive: ready times that
/// differ within one log2 bucket are decided by UID, equal ones fall through
/// to restarts. Three ready pods rank in a cycle (b before c by UID, c
/// before a by UID, a before b by restarts, their ready times being equal);
/// the victims must not depend on the order the pods are listed in (found by
/// the determinism property below).
#[test]
fn replicaset_victims_do_not_depend_on_pod_order_when_upstream_ranks_cycle() {
    let now = base();
    let pod = |name: &str, ready_ago: i64, restarts: i32| -> Pod {
        let mut p: Pod = decode(owned_pod(name, ("ReplicaSet", "web", "uid-web"), json!({"app": "web"})));
        p.metadata.creation_timestamp = Some(now.add_seconds(-30));
        p.spec.as_mut().expect("spec").node_name = Some("node-0".into());
        let mut st: kube_workloads::api::PodStatus = decode(ready_status(now.add_seconds(-ready_ago)));
        st.container_statuses = Some(decode(json!([{"name": "c", "restartCount": restarts, "ready": true}])));
        p.status = Some(st);
        p
    };
    // Ready 29 s and 19 s ago: both in the 2^34 ns bucket.
    let pods = [pod("web-1", 29, 0), pod("web-2", 19, 0), pod("web-3", 29, 1)];
    let orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    let victims: BTreeSet<Vec<String>> = orders
        .iter()
        .map(|order| {
            let listed: Vec<Pod> = order.iter().map(|i| pods[*i].clone()).collect();
            let actions = rs_reconcile(&replica_set(2), &listed, now);
            actions
                .iter()
                .filter_map(|a| match a {
                    Action::Delete { target, .. } => Some(target.name.clone()),
                    _ => None,
                })
                .collect()
        })
        .collect();
    assert_eq!(victims.len(), 1, "{victims:?}");
}

// ---------------------------------------------------------------------------
// 7. Determinism: the same input twice, and with the lists shuffled
// ---------------------------------------------------------------------------

/// Cases per determinism property: 96, or `GUARANTEES_CASES` for a longer
/// search (`GUARANTEES_CASES=5000 cargo test --test guarantees`).
fn determinism_cases() -> u32 {
    std::env::var("GUARANTEES_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96)
}

/// A Fisher-Yates shuffle driven by a seed (xorshift64*).
fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut out = items.to_vec();
    let mut x = seed | 1;
    for i in (1..out.len()).rev() {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
        let j = usize::try_from(r % (i as u64 + 1)).unwrap_or(0);
        out.swap(i, j);
    }
    out
}

/// One random observed pod. Small ranges on purpose: equal creation times,
/// ready times and ranks make the ties upstream leaves to Go's unstable sorts.
#[derive(Clone, Debug)]
struct PodGen {
    /// 0: orphan, 1: ours, 2: another controller's.
    owner: u8,
    /// 0: the selector's labels, 1: those plus a sibling's, 2: foreign labels.
    labels: u8,
    /// 0: pending, 1: running, 2: running and ready, 3: succeeded, 4: failed.
    phase: u8,
    deleting: bool,
    /// Creation (and ready) time, in steps of 10 s before the reconcile.
    age: u8,
    /// node-0..node-3, 4: unscheduled.
    node: u8,
    other_namespace: bool,
    restarts: u8,
    cost: Option<i8>,
    /// A completion index (Job) or revision choice (StatefulSet, DaemonSet).
    index: u8,
    finalizer: bool,
}

fn pod_gen() -> impl Strategy<Value = PodGen> {
    (
        prop_oneof![1 => Just(0u8), 3 => Just(1u8), 1 => Just(2u8)],
        prop_oneof![4 => Just(0u8), 1 => Just(1u8), 1 => Just(2u8)],
        0..5u8,
        prop::bool::weighted(0.15),
        0..3u8,
        0..5u8,
        prop::bool::weighted(0.1),
        0..3u8,
        prop::option::weighted(0.3, -2..3i8),
        0..6u8,
        any::<bool>(),
    )
        .prop_map(
            |(
                owner,
                labels,
                phase,
                deleting,
                age,
                node,
                other_namespace,
                restarts,
                cost,
                index,
                finalizer,
            )| PodGen {
                owner,
                labels,
                phase,
                deleting,
                age,
                node,
                other_namespace,
                restarts,
                cost,
                index,
                finalizer,
            },
        )
}

/// What the owner looks like to the pods.
struct OwnerSpec<'a> {
    kind: &'a str,
    name: &'a str,
    uid: &'a str,
    /// The selector's labels.
    labels: Value,
    /// Extra labels that make a pod a sibling's too.
    sibling: Value,
}

fn make_pod(i: usize, g: &PodGen, owner: &OwnerSpec<'_>, now: Time) -> Pod {
    // A pod of another namespace takes the name of the previous pod: equal
    // names in two namespaces. Every fourth StatefulSet-style name is
    // zero-padded (`db-03`), an ordinal equal to another pod's (`db-3`).
    let number = if g.other_namespace { i.saturating_sub(1) } else { i };
    let name = if owner.kind == "StatefulSet" && g.age == 2 && g.index.is_multiple_of(2) {
        format!("{}-0{number}", owner.name)
    } else {
        format!("{}-{number}", owner.name)
    };
    let mut labels = match g.labels {
        0 => owner.labels.clone(),
        1 => merged(owner.labels.clone(), owner.sibling.clone()),
        _ => json!({"app": "stranger"}),
    };
    labels["apps.kubernetes.io/pod-index"] = json!(i.to_string());
    let created = now.add_seconds(-10 * i64::from(g.age) - 10);
    let mut meta = json!({"name": name, "namespace": if g.other_namespace { "elsewhere" } else { NS },
                          "uid": format!("uid-{}-{i}", owner.name), "labels": labels,
                          "creationTimestamp": created.to_string(),
                          "annotations": {"batch.kubernetes.io/job-completion-index": g.index.to_string()}});
    if let Some(cost) = g.cost {
        meta["annotations"]["controller.kubernetes.io/pod-deletion-cost"] = json!(cost.to_string());
    }
    let api = match owner.kind {
        "ReplicationController" => "v1",
        "Job" => "batch/v1",
        _ => "apps/v1",
    };
    match g.owner {
        1 => {
            meta["ownerReferences"] = json!([{"apiVersion": api, "kind": owner.kind, "name": owner.name,
                                              "uid": owner.uid, "controller": true, "blockOwnerDeletion": true}])
        }
        2 => {
            meta["ownerReferences"] = json!([{"apiVersion": api, "kind": owner.kind, "name": "someone-else",
                                              "uid": "uid-someone-else", "controller": true}])
        }
        _ => {}
    }
    if g.deleting {
        meta["deletionTimestamp"] = json!(now.add_seconds(-5).to_string());
    }
    if g.finalizer {
        meta["finalizers"] = json!(["batch.kubernetes.io/job-tracking"]);
    }
    let mut spec = json!({"containers": [{"name": "c", "image": "nginx"}], "restartPolicy": "Never"});
    if g.node < 4 {
        spec["nodeName"] = json!(format!("node-{}", g.node));
    }
    let ready_since = created.add_seconds(1).to_string();
    let status = match g.phase {
        0 => json!({"phase": "Pending"}),
        1 => json!({"phase": "Running", "startTime": created.to_string(),
                    "containerStatuses": [{"name": "c", "restartCount": g.restarts, "ready": false}]}),
        2 => json!({"phase": "Running", "startTime": created.to_string(),
                    "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": ready_since}],
                    "containerStatuses": [{"name": "c", "restartCount": g.restarts, "ready": true}]}),
        3 => json!({"phase": "Succeeded", "startTime": created.to_string(),
                    "containerStatuses": [{"name": "c", "restartCount": 0, "state": {"terminated": {
                        "exitCode": 0, "finishedAt": ready_since}}}]}),
        _ => json!({"phase": "Failed", "startTime": created.to_string(),
                    "containerStatuses": [{"name": "c", "restartCount": 0, "state": {"terminated": {
                        "exitCode": 1, "finishedAt": ready_since}}}]}),
    };
    decode(json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}))
}

fn make_pods(gens: &[PodGen], owner: &OwnerSpec<'_>, now: Time) -> Vec<Pod> {
    gens.iter().enumerate().map(|(i, g)| make_pod(i, g, owner, now)).collect()
}

/// Reconciles through `run` twice on the same input and once per shuffle of
/// the observed lists; every output must be the same.
macro_rules! assert_deterministic {
    ($run:expr, $original:expr, $shuffles:expr, $rank:expr) => {{
        let first: Vec<Action> = $run($original);
        let ranks: Vec<u8> = first.iter().filter_map($rank).collect();
        prop_assert!(
            ranks.windows(2).all(|w| w[0] <= w[1]),
            "not in the documented order: {:#?}",
            lines(&first)
        );
        let second: Vec<Action> = $run($original);
        prop_assert_eq!(&first, &second, "two reconciles of one input differ");
        for input in $shuffles {
            let other: Vec<Action> = $run(input);
            prop_assert_eq!(lines(&first), lines(&other), "shuffled input changes the output");
            prop_assert_eq!(&first, &other, "shuffled input changes the output");
        }
    }};
}

fn sibling_rs(name: &str, labels: Value) -> ReplicaSet {
    decode(json!({
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": NS, "uid": format!("uid-{name}"),
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "dep",
                                          "uid": "uid-dep", "controller": true}]},
        "spec": {"replicas": 1, "selector": {"matchLabels": labels.clone()}, "template": template(labels)}
    }))
}

/// A revision of `template_image` as the controller makes it, read back from
/// a reconcile with nothing observed.
fn revision_from(actions: &[Action], uid: &str, revision: i64) -> Option<ControllerRevision> {
    actions.iter().find_map(|a| match a {
        Action::Create { object: Object::ControllerRevision(r) } => {
            let mut r = (**r).clone();
            r.metadata.uid = Some(uid.into());
            r.metadata.creation_timestamp = Some(base().add_seconds(-1000));
            r.revision = revision;
            Some(r)
        }
        _ => None,
    })
}

fn revision_hash(r: &ControllerRevision) -> String {
    r.metadata.label("controller-revision-hash").unwrap_or_default().to_owned()
}

/// An adoption or release (`update ...: adopt` / `release`).
fn is_adoption(a: &Action) -> bool {
    matches!(a, Action::Update { change, .. } if change == "adopt" || change == "release")
}

/// The documented order of each controller's actions (module docs), as a
/// rank per action; `None` for actions that may come at several places.
fn replicaset_rank(a: &Action) -> Option<u8> {
    Some(match a {
        _ if is_adoption(a) => 1,
        Action::Create { .. } | Action::Delete { .. } => 2,
        Action::Event(_) => 3,
        Action::UpdateStatus { .. } => 4,
        Action::Remember { .. } => 5,
        Action::Requeue { .. } => 6,
        _ => return None,
    })
}

fn deployment_rank(a: &Action) -> Option<u8> {
    Some(match a {
        _ if is_adoption(a) => 1,
        Action::Update { object: Object::Deployment(_), .. } => 3,
        Action::UpdateStatus { .. } => 4,
        Action::Requeue { .. } => 5,
        Action::Event(e) if e.reason == "SelectingAll" => return None,
        // Creates, scalings with their events, deletions.
        _ => 2,
    })
}

fn statefulset_rank(a: &Action) -> Option<u8> {
    Some(match a {
        _ if is_adoption(a) => 1,
        Action::Create { object: Object::ControllerRevision(_) } => 2,
        Action::Update { object: Object::ControllerRevision(_), .. } => 2,
        Action::Delete { target, .. } if target.kind == "ControllerRevision" => 5,
        Action::UpdateStatus { .. } => 4,
        Action::Requeue { .. } => 6,
        Action::Remember { .. } => return None,
        _ => 3,
    })
}

fn daemonset_rank(a: &Action) -> Option<u8> {
    Some(match a {
        _ if is_adoption(a) => 1,
        Action::Create { object: Object::ControllerRevision(_) }
        | Action::Update { object: Object::ControllerRevision(_), .. } => 2,
        // Duplicates go in step 2, history in step 5.
        Action::Delete { target, .. } if target.kind == "ControllerRevision" => return None,
        // Relabelled duplicates (step 2) are pod updates too.
        Action::Update { change, .. } if change.starts_with("relabel") => 2,
        Action::Create { .. } | Action::Delete { .. } | Action::Event(_) => 3,
        Action::UpdateStatus { .. } => 6,
        Action::Remember { .. } => 7,
        Action::Requeue { .. } => 8,
        _ => return None,
    })
}

fn job_rank(a: &Action) -> Option<u8> {
    Some(match a {
        _ if is_adoption(a) => 1,
        Action::Create { .. } | Action::Delete { .. } => 2,
        Action::UpdateStatus { .. } => 3,
        Action::Event(_) => 5,
        Action::Remember { .. } => 6,
        Action::Requeue { .. } => 7,
        // Finalizer removals come in steps 2 and 4.
        _ => return None,
    })
}

fn cronjob_rank(a: &Action) -> Option<u8> {
    Some(match a {
        Action::Create { .. } => 4,
        Action::UpdateStatus { .. } => 5,
        Action::Requeue { .. } => 6,
        // History deletes (1), events (2) and Replace deletes (3).
        _ => return None,
    })
}

fn podgc_rank(a: &Action) -> Option<u8> {
    Some(match a {
        Action::Remember { .. } => 6,
        Action::Requeue { .. } => 7,
        _ => 1,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: determinism_cases(), failure_persistence: None, ..ProptestConfig::default() })]

    /// ReplicaSet and ReplicationController (module docs: adoptions in pod
    /// name order, deletes first victim first).
    #[test]
    fn replicaset_is_deterministic(
        gens in prop::collection::vec(pod_gen(), 0..14),
        replicas in 0..8i32,
        min_ready in 0..25i32,
        seeds in prop::collection::vec(any::<u64>(), 2),
    ) {
        let now = base();
        let mut rs = sibling_rs("web", json!({"app": "web"}));
        rs.spec.as_mut().expect("spec").replicas = Some(replicas);
        rs.spec.as_mut().expect("spec").min_ready_seconds = Some(min_ready);
        let owner = OwnerSpec { kind: "ReplicaSet", name: "web", uid: "uid-web", labels: json!({"app": "web"}), sibling: json!({"v": "old"}) };
        let pods = make_pods(&gens, &owner, now);
        let rss = vec![rs.clone(), sibling_rs("web-old", json!({"app": "web", "v": "old"})), sibling_rs("web-new", json!({"app": "web", "v": "new"}))];
        let memory = ReplicaSetMemory::default();
        let run = |(pods, rss): (&[Pod], &[ReplicaSet])| {
            replicaset::reconcile(&rs, &replicaset::Observed { pods, replica_sets: rss, memory: &memory }, now)
        };
        let shuffles: Vec<(Vec<Pod>, Vec<ReplicaSet>)> = seeds.iter().map(|s| (shuffled(&pods, *s), shuffled(&rss, *s))).collect();
        assert_deterministic!(run, (&pods[..], &rss[..]), shuffles.iter().map(|(p, r)| (&p[..], &r[..])), replicaset_rank);

        let mut rc = replication_controller(replicas);
        rc.spec.as_mut().expect("spec").min_ready_seconds = Some(min_ready);
        let owner = OwnerSpec { kind: "ReplicationController", ..owner };
        let pods = make_pods(&gens, &owner, now);
        let run = |pods: &[Pod]| {
            replicaset::reconcile_replication_controller(&rc, &replicaset::Observed { pods, replica_sets: &[], memory: &memory }, now)
        };
        let shuffles: Vec<Vec<Pod>> = seeds.iter().map(|s| shuffled(&pods, *s)).collect();
        assert_deterministic!(run, &pods[..], shuffles.iter().map(|p| &p[..]), replicaset_rank);
    }

    /// Deployment (module docs: ReplicaSet adoptions in name order, then
    /// upstream's call order). ReplicaSets with equal templates and equal
    /// creation times exercise the "oldest new ReplicaSet" tie.
    #[test]
    fn deployment_is_deterministic(
        rs_gens in prop::collection::vec((0..3u8, 0..5i32, 0..5i32, prop_oneof![3 => Just(1u8), 1 => Just(0u8), 1 => Just(2u8)], 0..2u8, prop::option::of(0..4u8)), 0..6),
        gens in prop::collection::vec(pod_gen(), 0..8),
        replicas in 0..6i32,
        image in 0..3u8,
        strategy in 0..4u8,
        paused in prop::bool::weighted(0.15),
        seeds in prop::collection::vec(any::<u64>(), 2),
    ) {
        let now = base();
        let strategy = match strategy {
            0 => json!({"type": "Recreate"}),
            1 => json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}),
            2 => json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "50%", "maxUnavailable": "50%"}}),
            _ => json!({"type": "RollingUpdate"}),
        };
        let mut d = deployment_of(replicas, strategy, &format!("nginx:{image}"));
        d.spec.as_mut().expect("spec").paused = Some(paused);
        let rss: Vec<ReplicaSet> = rs_gens.iter().enumerate().map(|(i, (img, reps, ready, owner, age, revision))| {
            let hash = format!("h{img}");
            let mut meta = json!({"name": format!("web-{i}"), "namespace": NS, "uid": format!("uid-rs-{i}"),
                "creationTimestamp": now.add_seconds(-100 * i64::from(*age) - 100).to_string(),
                "labels": {"app": "web", "pod-template-hash": hash}});
            if let Some(r) = revision {
                meta["annotations"] = json!({"deployment.kubernetes.io/revision": r.to_string()});
            }
            match owner {
                1 => meta["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "uid-web", "controller": true}]),
                2 => meta["ownerReferences"] = json!([{"apiVersion": "apps/v1", "kind": "Deployment", "name": "x", "uid": "uid-x", "controller": true}]),
                _ => {}
            }
            decode(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta,
                "spec": {"replicas": reps, "selector": {"matchLabels": {"app": "web", "pod-template-hash": hash}},
                         "template": {"metadata": {"labels": {"app": "web", "pod-template-hash": hash}},
                                      "spec": {"containers": [{"name": "c", "image": format!("nginx:{img}")}]}}},
                "status": {"replicas": reps, "readyReplicas": (*ready).min(*reps), "availableReplicas": (*ready).min(*reps)}}))
        }).collect();
        let owner = OwnerSpec { kind: "ReplicaSet", name: "web-0", uid: "uid-rs-0", labels: json!({"app": "web"}), sibling: json!({}) };
        let pods = make_pods(&gens, &owner, now);
        let run = |(rss, pods): (&[ReplicaSet], &[Pod])| deployment::reconcile(&d, &deployment::Observed { replica_sets: rss, pods, memory: &deployment::DeploymentMemory::default() }, now);
        let shuffles: Vec<(Vec<ReplicaSet>, Vec<Pod>)> = seeds.iter().map(|s| (shuffled(&rss, *s), shuffled(&pods, *s))).collect();
        assert_deterministic!(run, (&rss[..], &pods[..]), shuffles.iter().map(|(r, p)| (&r[..], &p[..])), deployment_rank);
    }

    /// StatefulSet (module docs: adoptions in name order, then the ordinal
    /// pass in upstream's call order).
    #[test]
    fn statefulset_is_deterministic(
        gens in prop::collection::vec(pod_gen(), 0..8),
        replicas in 0..7i32,
        parallel in any::<bool>(),
        on_delete in prop::bool::weighted(0.2),
        revisions_kept in 0..3u8,
        seeds in prop::collection::vec(any::<u64>(), 2),
    ) {
        let now = base();
        let extra = json!({"podManagementPolicy": if parallel { "Parallel" } else { "OrderedReady" },
                           "updateStrategy": {"type": if on_delete { "OnDelete" } else { "RollingUpdate" }}});
        let set = stateful_set(replicas, extra.clone());
        let mut old_set = stateful_set(replicas, extra);
        old_set.spec.as_mut().and_then(|s| s.template.spec.as_mut()).expect("pod spec").containers[0].image = Some("nginx:0".into());
        let empty = statefulset::Observed { pods: &[], claims: &[], revisions: &[] };
        let current = revision_from(&statefulset::reconcile(&set, &empty, now), "uid-rev-cur", 2);
        let old = revision_from(&statefulset::reconcile(&old_set, &empty, now), "uid-rev-old", 1);
        let revisions: Vec<ControllerRevision> = match revisions_kept {
            0 => vec![],
            1 => current.iter().cloned().collect(),
            _ => current.iter().chain(old.iter()).cloned().collect(),
        };
        let hashes: Vec<String> = current.iter().chain(old.iter()).map(revision_hash).collect();
        let owner = OwnerSpec { kind: "StatefulSet", name: "db", uid: "uid-db", labels: json!({"app": "db"}), sibling: json!({}) };
        let mut pods = make_pods(&gens, &owner, now);
        for (p, g) in pods.iter_mut().zip(&gens) {
            if let Some(h) = hashes.get(usize::from(g.index % 2)) {
                p.metadata.set_label("controller-revision-hash", h.clone());
            }
        }
        let run = |(pods, revisions): (&[Pod], &[ControllerRevision])| {
            statefulset::reconcile(&set, &statefulset::Observed { pods, claims: &[], revisions }, now)
        };
        let shuffles: Vec<(Vec<Pod>, Vec<ControllerRevision>)> = seeds.iter().map(|s| (shuffled(&pods, *s), shuffled(&revisions, *s))).collect();
        assert_deterministic!(run, (&pods[..], &revisions[..]), shuffles.iter().map(|(p, r)| (&p[..], &r[..])), statefulset_rank);
    }

    /// DaemonSet (module docs: nodes by name, DECISIONS G2).
    #[test]
    fn daemonset_is_deterministic(
        gens in prop::collection::vec(pod_gen(), 0..10),
        node_gens in prop::collection::vec((any::<bool>(), 0..3u8, prop::bool::weighted(0.8)), 0..5),
        surge in any::<bool>(),
        revisions_kept in 0..3u8,
        min_ready in 0..25i32,
        seeds in prop::collection::vec(any::<u64>(), 2),
    ) {
        let now = base();
        let budget = if surge { json!({"maxSurge": 1, "maxUnavailable": 0}) } else { json!({"maxSurge": 0, "maxUnavailable": 1}) };
        let extra = json!({"minReadySeconds": min_ready, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": budget}});
        let ds = daemon_set(extra.clone(), "agent:2");
        let old_ds = daemon_set(extra, "agent:1");
        let nodes: Vec<Node> = node_gens.iter().enumerate().map(|(i, (unschedulable, taint, ready))| {
            let name = format!("node-{i}");
            let mut n = json!({"metadata": {"name": name, "labels": {"kubernetes.io/hostname": name}},
                               "spec": {"unschedulable": unschedulable},
                               "status": {"conditions": [{"type": "Ready", "status": if *ready { "True" } else { "False" }}]}});
            match taint {
                1 => n["spec"]["taints"] = json!([{"key": "k", "effect": "NoSchedule"}]),
                2 => n["spec"]["taints"] = json!([{"key": "k", "effect": "NoExecute"}]),
                _ => {}
            }
            decode(n)
        }).collect();
        let memory = daemonset::DaemonSetMemory::default();
        let empty = |ds: &DaemonSet| daemonset::reconcile(ds, &daemonset::Observed { pods: &[], nodes: &[], revisions: &[], memory: &memory }, now);
        let current = revision_from(&empty(&ds), "uid-rev-cur", 2);
        let old = revision_from(&empty(&old_ds), "uid-rev-old", 1);
        let revisions: Vec<ControllerRevision> = match revisions_kept {
            0 => vec![],
            1 => current.iter().cloned().collect(),
            _ => current.iter().chain(old.iter()).cloned().collect(),
        };
        let hashes: Vec<String> = current.iter().chain(old.iter()).map(revision_hash).collect();
        let owner = OwnerSpec { kind: "DaemonSet", name: "agent", uid: "uid-agent", labels: json!({"app": "agent"}), sibling: json!({}) };
        let mut pods = make_pods(&gens, &owner, now);
        for (p, g) in pods.iter_mut().zip(&gens) {
            if let Some(h) = hashes.get(usize::from(g.index % 2)) {
                p.metadata.set_label("controller-revision-hash", h.clone());
            }
        }
        let run = |(pods, nodes, revisions): (&[Pod], &[Node], &[ControllerRevision])| {
            daemonset::reconcile(&ds, &daemonset::Observed { pods, nodes, revisions, memory: &memory }, now)
        };
        let shuffles: Vec<(Vec<Pod>, Vec<Node>, Vec<ControllerRevision>)> =
            seeds.iter().map(|s| (shuffled(&pods, *s), shuffled(&nodes, *s), shuffled(&revisions, *s))).collect();
        assert_deterministic!(run, (&pods[..], &nodes[..], &revisions[..]), shuffles.iter().map(|(p, n, r)| (&p[..], &n[..], &r[..])), daemonset_rank);
    }

    /// Job (module docs: adoptions in pod name order; ties fall to name,
    /// then UID, DECISIONS G2).
    #[test]
    fn job_is_deterministic(
        gens in prop::collection::vec(pod_gen(), 0..12),
        parallelism in 0..5i32,
        completions in prop::option::of(0..7i32),
        indexed in any::<bool>(),
        backoff_limit in 0..4i32,
        suspend in prop::bool::weighted(0.15),
        started in any::<bool>(),
        seeds in prop::collection::vec(any::<u64>(), 2),
    ) {
        let now = base();
        let mut spec = json!({"parallelism": parallelism, "backoffLimit": backoff_limit, "suspend": suspend,
                              "completionMode": if indexed { "Indexed" } else { "NonIndexed" }});
        match completions {
            Some(c) => spec["completions"] = json!(c),
            None if indexed => spec["completions"] = json!(3),
            None => {}
        }
        let mut j = job_of(spec);
        if started {
            j.status = Some(decode(json!({"startTime": now.add_seconds(-100).to_string(), "active": 1})));
        }
        let owner = OwnerSpec { kind: "Job", name: "batch", uid: JOB_UID,
            labels: json!({"batch.kubernetes.io/controller-uid": JOB_UID, "job-name": "batch"}), sibling: json!({}) };
        let pods = make_pods(&gens, &owner, now);
        let run = |pods: &[Pod]| job_reconcile(&j, pods, now);
        let shuffles: Vec<Vec<Pod>> = seeds.iter().map(|s| shuffled(&pods, *s)).collect();
        assert_deterministic!(run, &pods[..], shuffles.iter().map(|p| &p[..]), job_rank);
    }

    /// CronJob (module docs: history deletes oldest first, events, replace
    /// deletes, the create, the status).
    #[test]
    fn cronjob_is_deterministic(
        job_gens in prop::collection::vec((0..3u8, 0..3u8, 0..4u8, any::<bool>()), 0..8),
        schedule in 0..4u8,
        policy in 0..3u8,
        limits in (0..3i32, 0..3i32),
        deadline in prop::option::of(10..5000i64),
        seeds in prop::collection::vec(any::<u64>(), 2),
    ) {
        let now = t("2024-05-01T10:00:30Z");
        let schedule = ["* * * * *", "0 * * * *", "*/7 * * * *", "0 0 30 2 *"][usize::from(schedule)];
        let mut doc = serde_json::to_value(cron_job(schedule, t("2024-05-01T08:00:00Z"))).expect("encode");
        doc["spec"]["concurrencyPolicy"] = json!(["Allow", "Forbid", "Replace"][usize::from(policy)]);
        doc["spec"]["successfulJobsHistoryLimit"] = json!(limits.0);
        doc["spec"]["failedJobsHistoryLimit"] = json!(limits.1);
        if let Some(d) = deadline {
            doc["spec"]["startingDeadlineSeconds"] = json!(d);
        }
        let mut cj: CronJob = decode(doc);
        let mut active = Vec::new();
        let jobs: Vec<Job> = job_gens.iter().enumerate().map(|(i, (owner, state, age, listed))| {
            // Jobs named after due minutes; equal start times tie.
            let scheduled = now.add_seconds(-60 * (i64::try_from(i).unwrap_or(0) + 1));
            let name = cronjob::job_name(&cj, scheduled);
            let start = now.add_seconds(-600 * i64::from(*age)).to_string();
            let mut meta = json!({"name": name, "namespace": NS, "uid": format!("uid-{name}"), "creationTimestamp": start,
                "annotations": {"batch.kubernetes.io/cronjob-scheduled-timestamp": scheduled.to_string()}});
            match owner {
                0 => meta["ownerReferences"] = json!([{"apiVersion": "batch/v1", "kind": "CronJob", "name": "report", "uid": "uid-report", "controller": true}]),
                1 => meta["ownerReferences"] = json!([{"apiVersion": "batch/v1", "kind": "CronJob", "name": "other", "uid": "uid-other", "controller": true}]),
                _ => {}
            }
            let status = match state {
                0 => json!({"startTime": start, "active": 1}),
                1 => json!({"startTime": start, "completionTime": start, "succeeded": 1,
                            "conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": start}]}),
                _ => json!({"startTime": start, "failed": 1,
                            "conditions": [{"type": "Failed", "status": "True", "lastTransitionTime": start}]}),
            };
            if *listed {
                active.push(json!({"apiVersion": "batch/v1", "kind": "Job", "name": name, "namespace": NS, "uid": format!("uid-{name}")}));
            }
            decode(json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
                          "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}]}}}, "status": status}))
        }).collect();
        cj.status = Some(decode(json!({"active": active, "lastScheduleTime": "2024-05-01T09:00:00Z"})));
        let run = |jobs: &[Job]| cronjob::reconcile(&cj, &cronjob::Observed { jobs }, now);
        let shuffles: Vec<Vec<Job>> = seeds.iter().map(|s| shuffled(&jobs, *s)).collect();
        assert_deterministic!(run, &jobs[..], shuffles.iter().map(|j| &j[..]), cronjob_rank);
    }

    /// TTL-after-finished reads one Job: two reconciles agree.
    #[test]
    fn ttl_after_finished_is_deterministic(ttl in prop::option::of(0..200i32), finished in 0..3u8, age in 0..400i64) {
        let now = base();
        let mut j = job_of(json!({}));
        if let Some(ttl) = ttl {
            j.spec.as_mut().expect("spec").ttl_seconds_after_finished = Some(ttl);
        }
        let at = now.add_seconds(-age).to_string();
        j.status = Some(decode(match finished {
            0 => json!({"active": 1}),
            1 => json!({"conditions": [{"type": "Complete", "status": "True", "lastTransitionTime": at}]}),
            _ => json!({"conditions": [{"type": "Failed", "status": "True", "lastTransitionTime": at}]}),
        }));
        prop_assert_eq!(ttl_after_finished::reconcile(&j, now), ttl_after_finished::reconcile(&j, now));
    }

    /// Pod GC (module docs: observed objects by namespace and name, then
    /// UID; nodes by name).
    #[test]
    fn podgc_is_deterministic(
        gens in prop::collection::vec(pod_gen(), 0..14),
        node_gens in prop::collection::vec((any::<bool>(), 0..3u8), 0..4),
        threshold in 0..4usize,
        seeds in prop::collection::vec(any::<u64>(), 2),
    ) {
        let now = base();
        let nodes: Vec<Node> = node_gens.iter().enumerate().filter(|(_, (present, _))| *present).map(|(i, (_, taint))| {
            let name = format!("node-{i}");
            let mut n = json!({"metadata": {"name": name},
                               "status": {"conditions": [{"type": "Ready", "status": if *taint == 0 { "True" } else { "False" }}]}});
            match taint {
                1 => n["spec"] = json!({"taints": [{"key": "node.kubernetes.io/unreachable", "effect": "NoExecute",
                                                    "timeAdded": now.add_seconds(-400).to_string()}]}),
                2 => n["spec"] = json!({"taints": [{"key": "node.kubernetes.io/out-of-service", "effect": "NoExecute"}]}),
                _ => {}
            }
            decode(n)
        }).collect();
        let owner = OwnerSpec { kind: "ReplicaSet", name: "web", uid: "uid-web", labels: json!({"app": "web"}), sibling: json!({}) };
        let pods = make_pods(&gens, &owner, now);
        let memory = podgc::PodGcMemory::default();
        let config = podgc::Config { terminated_pod_gc_threshold: threshold, ..podgc::Config::default() };
        let run = |(pods, nodes): (&[Pod], &[Node])| podgc::reconcile_with(&podgc::Observed { pods, nodes, memory: &memory }, now, &config);
        let shuffles: Vec<(Vec<Pod>, Vec<Node>)> = seeds.iter().map(|s| (shuffled(&pods, *s), shuffled(&nodes, *s))).collect();
        assert_deterministic!(run, (&pods[..], &nodes[..]), shuffles.iter().map(|(p, n)| (&p[..], &n[..])), podgc_rank);
    }
}

/// A caller's clock carries fractions of a millisecond; upstream's requeue
/// delays are Go durations, exact to the nanosecond (ReplicaSet:
/// FindMinNextPodAvailabilityCheck's `Sub`; ttlafterfinished's timeLeft).
/// Cut to whole milliseconds, a requeue woke before its instant, found
/// nothing changed and asked for a zero delay, and the TTL controller
/// deleted a Job up to a millisecond before its TTL ran out.
#[test]
fn requeues_wait_until_the_instant_not_before() {
    let stamp = t("2024-01-01T00:00:00Z");
    let past = |secs: i64, nanos: u32| {
        Time(chrono::DateTime::from_timestamp(stamp.unix().saturating_add(secs), nanos).expect("in range"))
    };
    // ReplicaSet: ready since `stamp`, minReadySeconds 10, now 3.0004 s on.
    let mut rs = replica_set(1);
    rs.spec.as_mut().expect("spec").min_ready_seconds = Some(10);
    let mut p: Pod = decode(owned_pod("web-0", ("ReplicaSet", "web", "uid-web"), json!({"app": "web"})));
    let mut st: kube_workloads::api::PodStatus = decode(ready_status(base()));
    if let Some(c) = st.conditions.as_mut().and_then(|c| c.first_mut()) {
        c.last_transition_time = Some(stamp);
    }
    p.status = Some(st);
    let actions = rs_reconcile(&rs, &[p], past(3, 400_000));
    assert_eq!(requeue_after(&actions), Some(Duration::from_nanos(6_999_600_000)), "{:#?}", lines(&actions));

    // TTL: finished at `stamp` with a 100 s TTL, half a millisecond early.
    let mut j = job_of(json!({"ttlSecondsAfterFinished": 100}));
    j.status = Some(decode(json!({"conditions": [{"type": "Complete", "status": "True",
        "lastTransitionTime": "2024-01-01T00:00:00Z"}]})));
    let actions = ttl_after_finished::reconcile(&j, past(99, 999_500_000));
    assert_eq!(requeue_after(&actions), Some(Duration::from_micros(500)), "{:#?}", lines(&actions));
}
