//! The crate's Job controller against a real API server, through kube-rs.
//!
//! ```text
//! cargo run --example managed_jobs --features managed-jobs-example
//! ```
//!
//! It reconciles the Jobs whose `spec.managedBy` is
//! `kube-workloads.example/job-controller` ([`MANAGED_BY`]); Kubernetes'
//! own Job controller leaves such Jobs alone (`JobManagedBy`, GA in 1.35,
//! beta and on by default since 1.32). Every other Job is ignored. The
//! README's "Running the Job controller against a cluster" section says
//! how to try it.
//!
//! What it does, per Job, each time the Job or one of its pods changes:
//! 1. converts the Job and the pods of its namespace from k8s-openapi's
//!    types (`kube_workloads::interop`);
//! 2. calls [`job::reconcile_with`] with the controller memory it keeps for
//!    the Job (expectations and back-off, [`JobMemory`]);
//! 3. carries out the returned actions in order, as the module docs of
//!    `kube_workloads::controller` ask: pod creates in slow-start batches,
//!    adoptions, releases and finalizer removals as merge patches of the
//!    pod's `ownerReferences` and `finalizers` (with its `resourceVersion`,
//!    so a stale write is refused), deletes with a UID precondition, the
//!    status through the status subresource (and nothing after a failed
//!    status write, so a finalizer is never removed before the status lists
//!    the pod), events best effort, the requeue, and the memory, lowered
//!    for creates and deletes that failed.
//!
//! The status is written whole (a PUT of `jobs/status`, as upstream's
//! controller does) from k8s-openapi's 1.35 `Job`: against a newer API
//! server, status fields that 1.35 lacks would be cleared. Pods are only
//! ever patched, never replaced, so they keep every field.
//!
//! The clock is this machine's: keep it in sync with the API server's, as
//! expectations compare pod `creationTimestamp`s with it.
//!
//! Watches: the Jobs (the controller's main stream), and the pods carrying
//! the `batch.kubernetes.io/controller-uid` label that the API server puts
//! on every Job's pod template; once as the controller's `owns` trigger and
//! once in a reflector whose cache feeds the reconcile. (kube-runtime can
//! share one watch for both, behind its unstable features.)

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use k8s_openapi::api::batch::v1::Job as K8sJob;
use k8s_openapi::api::core::v1::{ObjectReference, Pod as K8sPod};
use kube::api::{Api, DeleteParams, Patch, PatchParams, PostParams, Preconditions};
use kube::runtime::controller::{Action as Next, Controller};
use kube::runtime::events::{Event as KubeEvent, EventType as KubeEventType, Recorder, Reporter};
use kube::runtime::reflector::{self, Store};
use kube::runtime::{WatchStreamExt, watcher};
use kube::{Client, ResourceExt};

use kube_workloads::api::{ObjectRef, Time};
use kube_workloads::controller::job::{self, JobMemory};
use kube_workloads::controller::{Action, ControllerMemory, EventType, slow_start_batches};
use kube_workloads::interop::{InteropError, K8sCounterpart};
use kube_workloads::{Job, Object, Pod};

/// The `spec.managedBy` value this controller answers to.
pub const MANAGED_BY: &str = "kube-workloads.example/job-controller";

/// The label the API server adds to the pod template of every Job (with a
/// generated selector), and so to every pod of a Job.
const CONTROLLER_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";

/// How soon a Job is retried after a failed reconcile.
const RETRY: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
enum Error {
    #[error("API call failed: {0}")]
    Kube(#[from] kube::Error),
    #[error("conversion failed: {0}")]
    Interop(#[from] InteropError),
    #[error("status write of {job} failed, actions after it skipped: {source}")]
    Status { job: String, source: kube::Error },
}

/// What every reconcile shares.
struct Context {
    client: Client,
    /// The Jobs, from the controller's own cache.
    jobs: Store<K8sJob>,
    /// The pods, from the reflector.
    pods: Store<K8sPod>,
    /// The controller memory of each Job, by UID.
    memory: Mutex<HashMap<String, JobMemory>>,
    recorder: Recorder,
    config: job::Config,
}

fn now() -> Time {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Time::from_unix(i64::try_from(secs).unwrap_or(i64::MAX))
}

fn is_ours(job: &K8sJob) -> bool {
    job.spec.as_ref().and_then(|s| s.managed_by.as_deref()) == Some(MANAGED_BY)
}

async fn reconcile(theirs: Arc<K8sJob>, ctx: Arc<Context>) -> Result<Next, Error> {
    if !is_ours(&theirs) {
        return Ok(Next::await_change());
    }
    let desired = Job::from_k8s_openapi(&theirs)?;
    let ns = theirs.namespace().unwrap_or_default();
    let uid = theirs.uid().unwrap_or_default();

    // The pods of the Job's namespace, in name order (the reconcile picks
    // the Job's own and the orphans its selector matches).
    let mut pods: Vec<Pod> = Vec::new();
    for p in ctx.pods.state().iter().filter(|p| p.namespace().as_deref() == Some(ns.as_str())) {
        pods.push(Pod::from_k8s_openapi(p)?);
    }
    pods.sort_by(|a, b| a.metadata.name().cmp(b.metadata.name()));

    let memory =
        ctx.memory.lock().unwrap_or_else(PoisonError::into_inner).get(&uid).cloned().unwrap_or_default();
    let observed = job::Observed { pods: &pods, memory: &memory };
    let actions = job::reconcile_with(&desired, &observed, now(), &ctx.config);
    for a in &actions {
        println!("{a}");
    }

    let mut execution = Execution {
        memory,
        requeue: None,
        failed_creates: 0,
        skipped_creates: 0,
        failed_deletes: Vec::new(),
    };
    let outcome = execute(&ctx, &ns, actions, &mut execution).await;

    // The memory the reconcile handed back, lowered for what failed
    // (upstream lowers its expectations on a failed create or delete).
    let mut memory = execution.memory;
    for _ in 0..execution.failed_creates {
        memory.create_failed();
    }
    memory.creates_skipped(execution.skipped_creates);
    for name in &execution.failed_deletes {
        memory.delete_failed(name);
    }
    if outcome.is_err() {
        // The status write (or what came before it) failed: a terminal
        // condition it carried is not to be waited for.
        memory.status_write_failed();
    }
    let mut memories = ctx.memory.lock().unwrap_or_else(PoisonError::into_inner);
    memories.insert(uid, memory);
    // Forget the memory of Jobs that are gone.
    let live: HashSet<String> = ctx.jobs.state().iter().filter_map(|j| j.uid()).collect();
    memories.retain(|uid, _| live.contains(uid));
    drop(memories);

    outcome?;
    Ok(match execution.requeue {
        Some(after) => Next::requeue(after.max(job::SYNC_JOB_BATCH_PERIOD)),
        None => Next::await_change(),
    })
}

/// What carrying out one reconcile's actions found.
struct Execution {
    memory: JobMemory,
    requeue: Option<Duration>,
    failed_creates: u32,
    skipped_creates: u32,
    failed_deletes: Vec<String>,
}

/// Carries out the actions in order. After a failed step (a status write
/// refused, a conversion error) no further object is changed, since later
/// actions may depend on it (a finalizer is removed only once the status
/// lists the pod), but the memory and the requeue are still taken: the
/// expectations of the creates and deletes already made must be kept.
async fn execute(ctx: &Context, ns: &str, actions: Vec<Action>, run: &mut Execution) -> Result<(), Error> {
    let pods: Api<K8sPod> = Api::namespaced(ctx.client.clone(), ns);
    let jobs: Api<K8sJob> = Api::namespaced(ctx.client.clone(), ns);
    let mut failed: Option<Error> = None;
    let mut actions = actions.into_iter().peekable();
    while let Some(action) = actions.next() {
        let bookkeeping = matches!(action, Action::Remember { .. } | Action::Requeue { .. });
        if failed.is_some() && !bookkeeping {
            if let Action::Create { .. } = action {
                run.skipped_creates = run.skipped_creates.saturating_add(1);
            }
            continue;
        }
        let result = match action {
            Action::Create { object: Object::Pod(pod) } => {
                // This create and the ones right after it: slow start.
                let mut creates = vec![*pod];
                while let Some(Action::Create { object: Object::Pod(_) }) = actions.peek() {
                    if let Some(Action::Create { object: Object::Pod(p) }) = actions.next() {
                        creates.push(*p);
                    }
                }
                create_pods(&pods, creates, run).await
            }
            Action::Update { object: Object::Pod(pod), change } => {
                // The Job controller changes pod metadata only (adopt,
                // release, remove the tracking finalizer): a merge patch of
                // those lists, conditional on the observed resourceVersion,
                // leaves every other field as the API server has it.
                let name = pod.metadata.name().to_owned();
                let patch = metadata_patch(&pod);
                if let Err(e) = pods.patch(&name, &PatchParams::default(), &Patch::Merge(&patch)).await {
                    // A conflict means the pod changed since it was
                    // observed: the watch brings the news and the Job is
                    // reconciled again.
                    eprintln!("update Pod {ns}/{name} ({change}) failed: {e}");
                    run.requeue = Some(RETRY);
                }
                Ok(())
            }
            Action::Delete { target, options } if target.kind == "Pod" => {
                // The Job controller's pod deletes carry the default options;
                // a grace period, when one is given, passes through.
                let params = DeleteParams {
                    preconditions: Some(Preconditions { uid: target.uid.clone(), resource_version: None }),
                    grace_period_seconds: options.grace_period_seconds.and_then(|g| u32::try_from(g).ok()),
                    ..DeleteParams::default()
                };
                match pods.delete(&target.name, &params).await {
                    Ok(_) => {}
                    Err(kube::Error::Api(s)) if s.code == 404 => {}
                    Err(e) => {
                        eprintln!("delete {target} failed: {e}");
                        run.failed_deletes.push(target.name.clone());
                    }
                }
                Ok(())
            }
            Action::UpdateStatus { object: Object::Job(job) } => match job.to_k8s_openapi() {
                Ok(k8s_job) => {
                    let name = job.metadata.name().to_owned();
                    jobs.replace_status(&name, &PostParams::default(), &k8s_job)
                        .await
                        .map(|_| ())
                        .map_err(|source| Error::Status { job: format!("{ns}/{name}"), source })
                }
                Err(e) => Err(e.into()),
            },
            Action::Event(e) => {
                let event = KubeEvent {
                    type_: match e.type_ {
                        EventType::Warning => KubeEventType::Warning,
                        _ => KubeEventType::Normal,
                    },
                    reason: e.reason.clone(),
                    note: Some(e.message.clone()),
                    action: "Sync".into(),
                    secondary: None,
                };
                // Best effort: an event that cannot be written is only printed.
                if let Err(err) = ctx.recorder.publish(&event, &reference(&e.regarding)).await {
                    eprintln!("event {} on {} not recorded: {err}", e.reason, e.regarding);
                }
                Ok(())
            }
            Action::Requeue { after, .. } => {
                run.requeue = Some(run.requeue.map_or(after, |r| r.min(after)));
                Ok(())
            }
            Action::Remember { memory: ControllerMemory::Job(m), .. } => {
                run.memory = m;
                Ok(())
            }
            other => {
                eprintln!("not carried out (not a Job controller action): {other}");
                Ok(())
            }
        };
        if let Err(e) = result {
            failed.get_or_insert(e);
        }
    }
    failed.map_or(Ok(()), Err)
}

/// Creates pods in slow-start batches (1, 2, 4, ...), each batch at once;
/// after a batch with a failure the rest are skipped (upstream:
/// `slowStartBatch`).
async fn create_pods(api: &Api<K8sPod>, creates: Vec<Pod>, run: &mut Execution) -> Result<(), Error> {
    let total = creates.len();
    let converted: Result<Vec<K8sPod>, InteropError> = creates.iter().map(Pod::to_k8s_openapi).collect();
    let converted = match converted {
        Ok(c) => c,
        Err(e) => {
            run.skipped_creates =
                run.skipped_creates.saturating_add(u32::try_from(total).unwrap_or(u32::MAX));
            return Err(e.into());
        }
    };
    let params = PostParams::default();
    let mut pending = converted.iter();
    let mut started = 0usize;
    for size in slow_start_batches(total, kube_workloads::controller::SLOW_START_INITIAL_BATCH_SIZE) {
        let batch: Vec<&K8sPod> = pending.by_ref().take(size).collect();
        started = started.saturating_add(batch.len());
        let results = futures::future::join_all(batch.into_iter().map(|p| api.create(&params, p))).await;
        let mut failed = false;
        for result in results {
            if let Err(e) = result {
                eprintln!("create Pod failed: {e}");
                run.failed_creates = run.failed_creates.saturating_add(1);
                failed = true;
            }
        }
        if failed {
            let skipped = total.saturating_sub(started);
            run.skipped_creates =
                run.skipped_creates.saturating_add(u32::try_from(skipped).unwrap_or(u32::MAX));
            run.requeue = Some(RETRY);
            break;
        }
    }
    Ok(())
}

/// `{"metadata": {"resourceVersion", "ownerReferences", "finalizers"}}` as
/// the pod has them; a list the pod lacks is `null`, which removes it.
fn metadata_patch(pod: &Pod) -> serde_json::Value {
    let meta = &pod.metadata;
    let mut patch = serde_json::json!({
        "ownerReferences": meta.owner_references,
        "finalizers": meta.finalizers,
    });
    if let (Some(rv), Some(map)) = (meta.resource_version.as_ref(), patch.as_object_mut()) {
        map.insert("resourceVersion".into(), serde_json::Value::String(rv.clone()));
    }
    serde_json::json!({ "metadata": patch })
}

fn reference(r: &ObjectRef) -> ObjectReference {
    ObjectReference {
        api_version: Some(r.api_version.to_string()),
        kind: Some(r.kind.to_string()),
        namespace: r.namespace.clone(),
        name: Some(r.name.clone()),
        uid: r.uid.clone(),
        ..ObjectReference::default()
    }
}

fn error_policy(job: Arc<K8sJob>, error: &Error, _ctx: Arc<Context>) -> Next {
    eprintln!("Job {}/{}: {error}", job.namespace().unwrap_or_default(), job.name_any());
    Next::requeue(RETRY)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::try_default().await?;
    let jobs: Api<K8sJob> = Api::all(client.clone());
    let pods: Api<K8sPod> = Api::all(client.clone());
    let pod_watch = watcher::Config::default().labels(CONTROLLER_UID_LABEL);

    // The pod cache the reconciles read.
    let (pod_store, pod_writer) = reflector::store();
    let pod_reflector = reflector::reflector(pod_writer, watcher(pods.clone(), pod_watch.clone()))
        .default_backoff()
        .touched_objects()
        .for_each(|_| futures::future::ready(()));
    tokio::spawn(pod_reflector);
    pod_store.wait_until_ready().await?;

    // Kubernetes' own controller keeps its hands off these Jobs; this one
    // must not skip them as "managed by another controller".
    let mut config = job::Config::default();
    config.gates.job_managed_by = false;

    let reporter = Reporter { controller: MANAGED_BY.replace('/', "-"), instance: None };
    let controller = Controller::new(jobs, watcher::Config::default()).owns(pods, pod_watch);
    let context = Arc::new(Context {
        client: client.clone(),
        jobs: controller.store(),
        pods: pod_store,
        memory: Mutex::new(HashMap::new()),
        recorder: Recorder::new(client.clone(), reporter),
        config,
    });

    println!("reconciling Jobs with spec.managedBy: {MANAGED_BY}");
    controller
        .shutdown_on_signal()
        .run(reconcile, error_policy, context)
        .for_each(|result| async move {
            if let Err(e) = result {
                eprintln!("controller: {e}");
            }
        })
        .await;
    Ok(())
}
