//! The kubelet's pod lifecycle as a sans-IO state machine: [`PodLifecycle`].
//!
//! One value per pod bound to the node. The executor feeds it [`Event`]s
//! (facts it observed: the sandbox is ready, a container started or exited,
//! a probe or hook finished, deletion was requested), calls
//! [`PodLifecycle::handle_timeout`] at [`PodLifecycle::poll_timeout`], and
//! executes the [`Command`]s it polls (create the sandbox, start a
//! container, run a probe or hook, stop or kill a container). Nothing here
//! reads a clock or sleeps; `now` is always an argument and the same events
//! at the same times give the same commands.
//!
//! # Upstream code mirrored
//! - `pkg/kubelet/kuberuntime/kuberuntime_manager.go` computePodActions,
//!   doBackOff; `kuberuntime_container.go` computeInitContainerActions,
//!   killContainer, setTerminationGracePeriod, startContainer;
//!   `kuberuntime_termination_order.go` (sidecar stop order);
//! - `pkg/kubelet/container/helpers.go` ShouldContainerBeRestarted;
//! - `pkg/kubelet/prober/worker.go` doProbe, `prober_manager.go`
//!   UpdatePodStatus (started / ready);
//! - `pkg/kubelet/pod_workers.go` calculateEffectiveGracePeriod;
//!   `pkg/kubelet/active_deadline.go`; `pkg/kubelet/status/status_manager.go`
//!   TerminatePod, updateLastTransitionTime;
//! - `pkg/kubelet/kubelet_pods.go` getPhase, generateAPIPodStatus,
//!   convertToAPIContainerStatuses (through [`crate::pod`]);
//! - `client-go util/flowcontrol/backoff.go` (CrashLoopBackOff and image
//!   pull back-off).
//!
//! # Time
//! Whole seconds. Every kubelet rule involved is stated in seconds
//! (`initialDelaySeconds`, `periodSeconds`, grace periods, back-off delays,
//! activeDeadlineSeconds, preStop time truncated to whole seconds), so a
//! [`Time`](crate::api::Time) is enough and `poll_timeout` is exact.
//!
//! # Driving it
//! Answer each command with the matching event: `StartContainer` with
//! `ContainerStarted` (or `ImagePullFailed` / `ContainerStartFailed`),
//! `RunProbe` with `ProbeResult`, `RunHook` with `HookFinished`,
//! `StopContainer` / `KillContainer` eventually with `ContainerExited`.
//! Report `ContainerExited` whenever the runtime sees the current instance
//! exit, killed or not. Events that do not fit the state (an exit of a
//! container that is not running, a probe result for an older `attempt`)
//! are ignored, so a late or duplicated report is harmless. At one instant,
//! feed every event first, then call `handle_timeout`.
//!
//! ```
//! use kube_workloads::api::{PodPhase, Time};
//! use kube_workloads::kubelet::{
//!     Command, Event, KillReason, KubeletConfig, PodLifecycle, ProbeKind, ProbeOutcome,
//! };
//!
//! let pod = serde_json::from_value(serde_json::json!({
//!     "metadata": {"name": "web", "namespace": "default", "uid": "p-1"},
//!     "spec": {"nodeName": "node-1", "containers": [{
//!         "name": "app", "image": "nginx",
//!         "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080},
//!                           "initialDelaySeconds": 5, "periodSeconds": 10,
//!                           "failureThreshold": 1}
//!     }]}
//! })).unwrap();
//! let t0: Time = "2024-05-01T12:00:00Z".parse().unwrap();
//! let mut pod_lc = PodLifecycle::new(&pod, t0, KubeletConfig::default());
//!
//! // Commands out, events in: the sandbox, then the container.
//! assert_eq!(pod_lc.poll_command(), Some(Command::CreateSandbox));
//! pod_lc.handle(Event::SandboxReady { pod_ip: Some("10.0.0.7".into()) }, t0);
//! let Some(Command::StartContainer { container, attempt: 0 }) = pod_lc.poll_command() else {
//!     panic!("expected StartContainer")
//! };
//! pod_lc.handle(Event::ContainerStarted { container: container.clone() }, t0);
//! assert_eq!(pod_lc.status().phase, Some(PodPhase::Running));
//!
//! // Nothing to do until the liveness probe's first due time.
//! assert_eq!(pod_lc.poll_command(), None);
//! let due = pod_lc.poll_timeout().unwrap();
//! assert_eq!(due, t0.add_seconds(5));
//! pod_lc.handle_timeout(due);
//! let Some(Command::RunProbe { probe: ProbeKind::Liveness, attempt, .. }) = pod_lc.poll_command()
//! else {
//!     panic!("expected RunProbe")
//! };
//!
//! // One failure reaches failureThreshold: the container is stopped, to be restarted.
//! let failure = ProbeOutcome::Failure;
//! pod_lc.handle(Event::ProbeResult { container, attempt, probe: ProbeKind::Liveness, outcome: failure }, due);
//! assert!(matches!(
//!     pod_lc.poll_command(),
//!     Some(Command::StopContainer { reason: KillReason::LivenessProbe, .. })
//! ));
//! ```
//!
//! # Deviations from upstream (deliberate)
//! - **No jitter**: probes run on the fixed grid of semantics PL-7.7
//!   (startup at `startedAt + initialDelaySeconds`, then every
//!   `periodSeconds`; liveness and readiness from
//!   `max(startedAt + initialDelaySeconds, the moment the container became
//!   started)`); upstream's random first sleep is opt-in
//!   ([`KubeletConfig::probe_start_jitter_seed`] gives a reproducible offset
//!   in `[0, periodSeconds)` for each probe of a container's first
//!   instance), and its extra readiness runs on status regeneration are left
//!   out. A due time that passes while a
//!   probe is outstanding gives one catch-up probe when the result arrives.
//! - **Deletion and probes** (differs from semantics PL-7.3 step 6, which
//!   stores Success for liveness and startup): the stop stores nothing, as
//!   upstream's StopLivenessAndStartup does after the status it last wrote.
//!   A container whose startup probe had not passed stays not started while
//!   it terminates, so its readiness is never probed (the "store Success"
//!   branch of doProbe only runs for a worker created for a pod already
//!   deleted).
//! - **Restart timing**: a container in CrashLoopBackOff restarts at exactly
//!   `finishedAt + delay` (upstream: the first pod sync after that), or as
//!   soon as the kubelet's housekeeping would have dropped its back-off
//!   entry (600 s after the restart that last advanced it; upstream: the
//!   first 2 s housekeeping tick past that, then the next pod sync).
//! - **Sandbox**: creation failures (`SandboxCreateFailed`) are retried
//!   after `resync_after_error_seconds`; a sandbox that dies later (PL-9.1:
//!   kill everything and re-create it) is not modelled.
//! - **Failed starts** (image pull, `ContainerStartFailed`; a pull error's
//!   reason such as `RegistryUnavailable` is a failed pull): the pod is
//!   synced again `resync_after_error_seconds` (10) later, as upstream's pod
//!   worker back-off, without jitter. At each sync an image in pull back-off
//!   shows `ImagePullBackOff` (where a start-failure reason shows at all:
//!   not for an init container or sidecar whose newest run exited 0, nor
//!   for one ShouldContainerBeRestarted would not restart), otherwise the
//!   pull is retried. The image
//!   back-off is kept per container (upstream: per pod UID and image).
//!   A failed pull or create leaves no container and does not count as a
//!   restart; a `RunContainerError` does: the runtime created the
//!   container and it exited without running (containerd's `StartError`,
//!   exit code 128), so the restart policy decides on it, the next start
//!   counts in `restartCount` and CrashLoopBackOff applies.
//! - **postStart**: while a regular container's hook runs the container is
//!   not reported running, and the regular containers after it are not
//!   started (as upstream, whose sync blocks on it); a container never
//!   started goes before a restart. Sidecars and regular containers do not
//!   hold each other back this way: a regular container restarted while a
//!   sidecar's hook runs starts at once, and so does a sidecar restarted
//!   while a regular container's hook runs (upstream's SyncPod starts the
//!   init containers, then the regular ones, each to the end of its hook;
//!   part of "No blocking sync" below). The startup probe's grid still starts at
//!   `startedAt` but ticks during the hook are skipped.
//! - **Stop and kill** are two commands: `StopContainer` (stop signal) and,
//!   if the container has not exited when the grace period ends,
//!   `KillContainer` (upstream leaves the SIGKILL to the runtime's
//!   `StopContainer(timeout)`).
//! - Not modelled: the gates `RestartAllContainersOnContainerExits` and
//!   `ContainerLifecycleProber` (`ContainerRestartRules`, beta and on in
//!   1.35, is: [`crate::FeatureGates::container_restart_rules`]);
//!   in-place resize; spec changes of a running pod (the spec is fixed at
//!   [`PodLifecycle::new`]); ephemeral containers; static pods; kubelet
//!   restarts (PL-7.10); deciding *when* to evict (node pressure, node
//!   shutdown: the caller decides and sends [`Event::Evicted`]); a container
//!   that vanishes from the runtime (PL-5.3); what only the runtime knows:
//!   `hostIP`, container and image IDs, the container's `user`, and the
//!   resource values the runtime reports for a running container (its
//!   status shows the allocated ones).
//! - **Status between syncs**: [`PodLifecycle::status`] is the status as of
//!   now. Upstream's pod worker writes one only at each sync, and two
//!   consequences are not reproduced: a start-failure reason
//!   (CrashLoopBackOff, ErrImagePull...) recorded by one sync shows from
//!   the next (generateAPIPodStatus runs before SyncPod updates its reason
//!   cache), so upstream alternates `Error` and `CrashLoopBackOff` where
//!   the crate shows the back-off at once; and while a pod terminates,
//!   upstream writes no container state between SyncTerminatingPod's first
//!   status and the one after every container stopped (killPod waits for
//!   them all; only readiness probe results change it meanwhile), where the
//!   crate shows each exit, and the Ready condition it moves, as it comes.
//!   Between a probe kill's exit and the restart's
//!   [`Event::ContainerStarted`] the container shows that exit while the
//!   phase counts it running (upstream publishes neither moment).
//! - **No blocking sync**: upstream's SyncPod runs its kills (a probe kill
//!   waits for the container to stop) and its starts (with postStart) to
//!   the end before the pod worker takes anything new, so a deletion that
//!   arrives meanwhile waits for them, and other containers' restarts wait
//!   for a kill in progress. Here every event is acted on at once: a
//!   deletion stops containers while a probe kill or a postStart is under
//!   way, and two containers' probe kills proceed side by side.
//! - **An init container OOM-killed with exit code 0** that is not
//!   restarted fails the pod (the crate terminates it). Upstream's
//!   computeInitContainerActions kills the pod's containers and sandbox
//!   for it, but getPhase counts only a non-zero exit as a failed init
//!   container, so the pod is never terminal: under `Never` it stays
//!   Pending with nothing running (kubernetes/kubernetes#116676, unfixed),
//!   under `OnFailure` with restart rules the sandbox is re-created and the
//!   init containers run again (sandbox re-creation is not modelled).
//! - **Grace of 0**: an explicit 0 (force deletion, hard eviction) becomes
//!   the 1 s minimum, as the newest `calculateEffectiveGracePeriod` does
//!   (semantics PL-11.2 describes the older fallback to the pod's grace).
//!   A pod the kubelet terminates itself (active deadline, a terminal
//!   phase) gets the same minimum, so a `terminationGracePeriodSeconds` of
//!   0 still runs preStop hooks, with 1 s (the pod worker's override comes
//!   before killContainer's preStop check); a KillPod that the sync itself
//!   decides (nothing left to run) passes no override, and there 0 skips
//!   the hooks.
//! - **The final status** (TerminatePod) asks whether the pod was
//!   initialized of the statuses as they end, so a last init container
//!   that is a sidecar, stopped by then, never counts; upstream asks
//!   hasPodInitialized of the pod object its worker holds, whose status is
//!   the API server's copy and may still show that sidecar running, in
//!   which case a regular container that never started is rewritten to
//!   ContainerStatusUnknown.
//! - **A pod without `terminationGracePeriodSeconds`** (never defaulted by
//!   an API server) is read with the server's default of 30 s; upstream's
//!   kubelet would kill its containers with a 2 s grace.

mod backoff;
mod lifecycle;
mod probe;
mod types;

pub use lifecycle::PodLifecycle;
pub use types::{
    BackoffConfig, Command, DEFAULT_MAX_CONTAINER_RESTART_PERIOD_SECONDS, Event, HookKind, HookOutcome,
    KillReason, KubeletConfig, ProbeKind, ProbeOutcome,
};
