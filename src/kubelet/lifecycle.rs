//! [`PodLifecycle`]: the per-pod state machine.
//!
//! upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go
//! (computePodActions, SyncPod), kuberuntime_container.go,
//! pkg/kubelet/pod_workers.go, pkg/kubelet/status/status_manager.go; the
//! full list, the time model and the deliberate deviations (no probe jitter,
//! exact restart times, stop and kill as two commands...) are in the
//! [module docs](crate::kubelet).

use std::collections::VecDeque;
use std::sync::Arc;

use crate::api::pod_status::pod_condition;
use crate::api::{
    Condition, ConditionStatus, Container, ContainerRestartPolicy, ContainerState, ContainerStateRunning,
    ContainerStateTerminated, ContainerStateWaiting, ContainerStatus, MountPropagationMode, Pod, PodIp,
    PodPhase, PodQosClass, PodReadinessGate, PodSpec, PodStatus, RecursiveReadOnlyMode, ResourceRequirements,
    RestartPolicy, Time, VolumeMount, VolumeMountStatus,
};
use crate::pod::conditions::{self, is_kubelet_condition_gated};
use crate::pod::phase::{ContainerView, phase_from_views};
use crate::pod::reasons;
use crate::pod::restart;

use super::backoff::{self, Backoff};
use super::probe::Worker;
use super::types::{
    BackoffConfig, Command, Event, HookKind, HookOutcome, KillReason, KubeletConfig, ProbeKind, ProbeOutcome,
};

/// Upstream's `minimumGracePeriodInSeconds`.
const MIN_GRACE_SECONDS: i64 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Init,
    Sidecar,
    Regular,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    Stopped,
    PostStart,
    Running,
}

#[derive(Clone, Debug)]
struct Term {
    exit_code: i32,
    reason: String,
    message: Option<String>,
    started_at: Option<i64>,
    /// When the exit was seen (back-off counts from it).
    finished_at: i64,
    /// Written by the status manager for a container the runtime never
    /// reported (ContainerStatusUnknown): no times are shown.
    unknown: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PreStop {
    NotRun,
    Running { deadline: i64 },
    Done,
}

#[derive(Clone, Debug)]
struct Kill {
    since: i64,
    grace: i64,
    reason: KillReason,
    message: String,
    pre_stop: PreStop,
    ordered: bool,
    signal_sent: bool,
    force_at: Option<i64>,
    forced: bool,
    /// Restart at the exit, back-off permitting (weighed then, PL-8.3).
    restart: bool,
    /// The policy allows a restart (maybe later, after back-off).
    intended: bool,
}

/// How to kill one container.
struct KillPlan {
    grace: i64,
    reason: KillReason,
    message: String,
    /// Pod termination: sidecars wait for their turn (PL-11.4).
    ordered: bool,
    restart: bool,
    intended: bool,
}

impl KillPlan {
    fn termination(grace: i64, message: String) -> KillPlan {
        KillPlan {
            grace,
            reason: KillReason::PodTermination,
            message,
            ordered: true,
            restart: false,
            intended: false,
        }
    }
}

#[derive(Clone, Debug)]
struct Ctr {
    name: Arc<str>,
    image: String,
    class: Class,
    post_start: bool,
    /// The postStart handler as upstream's failure message names it.
    post_start_handler: HookHandler,
    pre_stop: bool,
    startup_grace: Option<i64>,
    liveness_grace: Option<i64>,
    run: Run,
    starting: bool,
    instances: u32,
    restart_count: u32,
    started_at: i64,
    exit: Option<Term>,
    last: Option<Term>,
    waiting: Option<(String, String)>,
    crash: Option<Backoff>,
    crash_wake: Option<i64>,
    image_backoff: Option<Backoff>,
    /// The last pull's error while the image is failing, as upstream's
    /// image manager keeps it for the back-off message
    /// (`<reason>: <message>`); `None` once an image is in place.
    pull_error: Option<String>,
    retry_at: Option<i64>,
    startup: Option<Worker>,
    liveness: Option<Worker>,
    readiness: Option<Worker>,
    kill: Option<Kill>,
    /// The container's own restart policy and rules, kept only with
    /// `ContainerRestartRules` on (off, the API server drops them).
    own_policy: Option<ContainerRestartPolicy>,
    rules: Vec<serde_json::Value>,
    /// The status's `volumeMounts`, fixed by the spec.
    volume_mounts: Vec<VolumeMountStatus>,
    /// The spec's resources: what the node allocated to the container.
    resources: ResourceRequirements,
}

impl Ctr {
    /// Whether the runtime has had an instance of this container.
    fn created(&self) -> bool {
        self.instances > 0 || self.exit.as_ref().is_some_and(|t| !t.unknown)
    }

    fn new(c: &Container, class: Class, runtime_rro: bool) -> Ctr {
        let lifecycle = c.lifecycle.as_ref();
        Ctr {
            volume_mounts: c.volume_mounts().iter().map(|m| mount_status(m, runtime_rro)).collect(),
            resources: allocated(c.resources.as_ref()),
            name: Arc::from(c.name.as_str()),
            image: c.image.clone().unwrap_or_default(),
            class,
            post_start: lifecycle.is_some_and(|l| l.post_start.is_some()),
            post_start_handler: HookHandler::of(lifecycle.and_then(|l| l.post_start.as_ref())),
            pre_stop: lifecycle.is_some_and(|l| l.pre_stop.is_some()),
            startup_grace: c.startup_probe.as_ref().and_then(|p| p.termination_grace_period_seconds),
            liveness_grace: c.liveness_probe.as_ref().and_then(|p| p.termination_grace_period_seconds),
            run: Run::Stopped,
            starting: false,
            instances: 0,
            restart_count: 0,
            started_at: 0,
            exit: None,
            last: None,
            waiting: None,
            crash: None,
            crash_wake: None,
            image_backoff: None,
            pull_error: None,
            retry_at: None,
            // Probes run for regular containers and sidecars only (PL-7.1).
            startup: (class != Class::Init)
                .then_some(c.startup_probe.as_ref())
                .flatten()
                .map(|p| Worker::new(ProbeKind::Startup, p)),
            liveness: (class != Class::Init)
                .then_some(c.liveness_probe.as_ref())
                .flatten()
                .map(|p| Worker::new(ProbeKind::Liveness, p)),
            readiness: (class != Class::Init)
                .then_some(c.readiness_probe.as_ref())
                .flatten()
                .map(|p| Worker::new(ProbeKind::Readiness, p)),
            kill: None,
            own_policy: None,
            rules: Vec::new(),
        }
    }

    /// Keeps the container's own restart policy and rules
    /// (`ContainerRestartRules` on). A sidecar's `Always` is its class (see
    /// `should_restart`).
    fn with_restart_rules(mut self, c: &Container) -> Ctr {
        if self.class != Class::Sidecar {
            self.own_policy = c.restart_policy.clone();
            self.rules = c.restart_policy_rules.clone().unwrap_or_default();
        }
        self
    }

    fn worker(&self, kind: ProbeKind) -> Option<&Worker> {
        match kind {
            ProbeKind::Startup => self.startup.as_ref(),
            ProbeKind::Liveness => self.liveness.as_ref(),
            ProbeKind::Readiness => self.readiness.as_ref(),
        }
    }

    fn worker_mut(&mut self, kind: ProbeKind) -> Option<&mut Worker> {
        match kind {
            ProbeKind::Startup => self.startup.as_mut(),
            ProbeKind::Liveness => self.liveness.as_mut(),
            ProbeKind::Readiness => self.readiness.as_mut(),
        }
    }

    fn workers_mut(&mut self) -> impl Iterator<Item = &mut Worker> {
        [self.startup.as_mut(), self.liveness.as_mut(), self.readiness.as_mut()].into_iter().flatten()
    }

    fn is_running(&self) -> bool {
        self.run != Run::Stopped
    }

    /// PL-5.6: running, and the startup probe passed (or there is none).
    // upstream: pkg/kubelet/prober/prober_manager.go: isContainerStarted
    fn started(&self) -> bool {
        self.run == Run::Running && self.startup.as_ref().is_none_or(|w| w.result == Some(true))
    }

    /// PL-5.7 for regular containers and sidecars.
    // upstream: pkg/kubelet/prober/prober_manager.go: UpdatePodStatus
    fn probe_ready(&self) -> bool {
        self.started() && self.readiness.as_ref().is_none_or(|w| w.result == Some(true))
    }

    /// The container's current status: what it shows as `state`, and the
    /// termination it shows as `lastState`.
    fn shown(&self, has_init: bool) -> (Shown<'_>, Option<&Term>) {
        match self.run {
            Run::Running => (Shown::Running, self.last.as_ref()),
            Run::Stopped | Run::PostStart => {
                if let Some((reason, message)) = &self.waiting {
                    let last = if self.run == Run::Stopped {
                        self.exit.as_ref().or(self.last.as_ref())
                    } else {
                        self.last.as_ref()
                    };
                    (Shown::Waiting(reason, Some(message)), last)
                } else if let (Run::Stopped, Some(t)) = (self.run, self.exit.as_ref()) {
                    (Shown::Terminated(t), self.last.as_ref())
                } else {
                    (Shown::Waiting(reasons::default_waiting_reason(has_init), None), self.last.as_ref())
                }
            }
        }
    }

    fn view(&self, has_init: bool) -> ContainerView {
        match self.shown(has_init) {
            (Shown::Running, _) => ContainerView::Running { started: self.started() },
            (Shown::Terminated(t), _) => ContainerView::Terminated { exit_code: t.exit_code },
            (Shown::Waiting(..), Some(t)) => ContainerView::WaitingAfterExit { exit_code: t.exit_code },
            (Shown::Waiting(..), None) => ContainerView::Waiting,
        }
    }

    /// The view the phase is computed from. A container being restarted
    /// counts as running (not yet started). It matters for a probe kill:
    /// SyncPod kills and restarts in one sync, and the next status comes
    /// from a runtime cache newer than that sync, so getPhase never sees
    /// the killed instance's exit, which could end the pod (a server
    /// exiting 0 on SIGTERM under OnFailure). A container that exited on
    /// its own is seen exited by upstream's getPhase before SyncPod
    /// restarts it, but whenever it is restarted that reading gives the
    /// same phase as this one.
    // upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go: SyncPod;
    // pkg/kubelet/kubelet_pods.go: getPhase
    fn phase_view(&self, has_init: bool) -> ContainerView {
        match self.view(has_init) {
            ContainerView::Terminated { .. } if self.starting => ContainerView::Running { started: false },
            view => view,
        }
    }

    /// `ready` as reported: probe readiness for regular containers and
    /// sidecars, "exited 0" for init containers.
    fn ready(&self, has_init: bool) -> bool {
        match self.class {
            Class::Init => matches!(self.shown(has_init).0, Shown::Terminated(t) if t.exit_code == 0),
            _ => self.probe_ready(),
        }
    }
}

enum Shown<'a> {
    Running,
    Terminated(&'a Term),
    Waiting(&'a str, Option<&'a str>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sandbox {
    None,
    Requested,
    Ready,
    Gone,
}

#[derive(Clone, Copy, Debug)]
struct Termination {
    since: i64,
    grace: i64,
}

/// Kubelet-owned conditions tracked for `lastTransitionTime`, in output order.
const TRACKED: [&str; 5] = [
    pod_condition::POD_READY_TO_START_CONTAINERS,
    pod_condition::INITIALIZED,
    pod_condition::READY,
    pod_condition::CONTAINERS_READY,
    pod_condition::POD_SCHEDULED,
];

/// The kubelet's lifecycle of one pod on its node, as a sans-IO state
/// machine.
///
/// Drive it like quinn-proto's `Connection`: feed facts with
/// [`handle`](Self::handle), call [`handle_timeout`](Self::handle_timeout)
/// when [`poll_timeout`](Self::poll_timeout) is reached, execute every
/// [`poll_command`](Self::poll_command), and read
/// [`status`](Self::status) whenever the API status should be written.
/// Times are whole seconds (`Time`); sub-second parts are ignored.
///
/// ```
/// use kube_workloads::api::{PodPhase, Time};
/// use kube_workloads::kubelet::{Command, Event, KubeletConfig, PodLifecycle};
/// let pod = serde_json::from_value(serde_json::json!({
///     "metadata": {"name": "web", "namespace": "default"},
///     "spec": {"containers": [{"name": "app", "image": "nginx"}]}})).unwrap();
/// let t0 = Time::from_unix(0);
/// let mut pl = PodLifecycle::new(&pod, t0, KubeletConfig::default());
/// assert_eq!(pl.poll_command(), Some(Command::CreateSandbox));
/// pl.handle(Event::SandboxReady { pod_ip: Some("10.0.0.5".into()) }, t0);
/// let Some(Command::StartContainer { container, .. }) = pl.poll_command() else { panic!() };
/// pl.handle(Event::ContainerStarted { container }, t0.add_seconds(1));
/// assert_eq!(pl.status().phase, Some(PodPhase::Running));
/// ```
#[derive(Clone, Debug)]
pub struct PodLifecycle {
    crash_cfg: BackoffConfig,
    image_cfg: BackoffConfig,
    resync: i64,
    ready_to_start_gate: bool,
    /// `ContainerRestartRules`: containers may carry their own restart
    /// policy and rules.
    container_rules: bool,
    /// The pod's `metadata.generation`.
    generation: Option<i64>,
    /// Whether `PodObservedGenerationTracking` is on.
    generation_tracking: bool,
    /// With the gate off, what already carried a non-zero
    /// `observedGeneration` in the pod's status, and so keeps reporting
    /// the generation (upstream: CalculatePodStatusObservedGeneration,
    /// CalculatePodConditionObservedGeneration): the status itself, and
    /// these condition types.
    status_generation_carried: bool,
    conditions_generation_carried: Vec<String>,
    /// `status.qosClass`: the recorded class, or the spec's.
    qos_class: PodQosClass,
    pod_ref: String,
    restart_policy: RestartPolicy,
    spec_grace: i64,
    deletion_grace: Option<i64>,
    active_deadline: Option<i64>,
    readiness_gates: Vec<String>,
    containers: Vec<Ctr>,
    n_init: usize,
    /// The bytes of a termination message the status keeps (see
    /// [`truncated_message`]).
    message_budget: usize,
    sandbox: Sandbox,
    sandbox_retry_at: Option<i64>,
    /// `KubeletConfig::probe_start_jitter_seed`.
    jitter_seed: Option<u64>,
    pod_ip: Option<String>,
    start_time: i64,
    external: Vec<Condition>,
    /// Per [`TRACKED`] type: its last status (`Some(true)` True,
    /// `Some(false)` False, `None` anything else, as an API status may
    /// hold) and its `lastTransitionTime`, which the API may have left
    /// unset (kept unset while the status holds, as upstream does).
    tracked: [Option<(Option<bool>, Option<i64>)>; 5],
    deleted: bool,
    term: Option<Termination>,
    failed_by_kubelet: bool,
    finished: bool,
    /// Initialized, Ready, ContainersReady and PodScheduled as the final
    /// status has them: generated when the pod finished, from the container
    /// states and the phase before the ContainerStatusUnknown rewrite
    /// (upstream: SyncTerminatedPod generates the status, then TerminatePod
    /// rewrites container states and fails a Pending or Running phase
    /// without regenerating the conditions).
    final_conditions: Option<[Condition; 4]>,
    phase: PodPhase,
    reason: Option<String>,
    message: Option<String>,
    /// The phase `reason` and `message` belong to: upstream keeps them only
    /// while the phase stays (generateAPIPodStatus).
    reason_phase: PodPhase,
    /// The last phase, reason and message before the phase turned
    /// terminal: what the API status keeps showing until the pod worker
    /// has finished (the status manager's hold, see [`PodLifecycle::status`]).
    before_terminal: (PodPhase, Option<String>, Option<String>),
    /// The `DisruptionTarget` condition the pod's API status carried when
    /// this lifecycle began, if any: the one shown while the kubelet's own
    /// is held back.
    api_disruption: Option<Condition>,
    commands: VecDeque<Command>,
    scratch: Vec<usize>,
    /// The instant of the last [`sync`](Self::sync). A probe result that
    /// changes no stored result at that same instant skips the sync: the
    /// sync would recompute exactly what the last one did (it reads probe
    /// workers only through their stored results). Most probe results in a
    /// steady cluster are such repeats.
    synced_at: Option<i64>,
}

/// A lifecycle handler as upstream's handler runner describes it when it
/// fails (pkg/kubelet/lifecycle/handlers.go: Run).
#[derive(Clone, Debug)]
enum HookHandler {
    /// The command, as Go's `%v` prints a string slice: `[a b c]`.
    Exec(String),
    /// The HTTP path.
    Http(String),
    /// The seconds to sleep.
    Sleep(i64),
    /// No handler the runner knows (a `tcpSocket` one).
    Other,
}

impl HookHandler {
    fn of(handler: Option<&crate::api::LifecycleHandler>) -> HookHandler {
        let Some(h) = handler else { return HookHandler::Other };
        if let Some(exec) = &h.exec {
            let command = exec.command.as_deref().unwrap_or_default().join(" ");
            HookHandler::Exec(format!("[{command}]"))
        } else if let Some(http) = &h.http_get {
            HookHandler::Http(http.path.clone().unwrap_or_default())
        } else if let Some(sleep) = &h.sleep {
            HookHandler::Sleep(sleep.seconds)
        } else {
            HookHandler::Other
        }
    }

    /// The message upstream's runner returns for a failure with `error`,
    /// which the waiting state then shows. An exec hook's output is not
    /// known here: it is shown empty.
    fn failure_message(&self, error: &str, container: &str, pod_ref: &str) -> String {
        let (c, p) = (crate::validation::go_quote(container), crate::validation::go_quote(pod_ref));
        match self {
            HookHandler::Exec(command) => {
                format!(
                    "Exec lifecycle hook ({command}) for Container {c} in Pod {p} failed - error: {error}, message: \"\""
                )
            }
            HookHandler::Http(path) => {
                format!("HTTP lifecycle hook ({path}) for Container {c} in Pod {p} failed - error: {error}")
            }
            HookHandler::Sleep(seconds) => {
                format!(
                    "Sleep lifecycle hook ({seconds}) for Container {c} in Pod {p} failed - error: {error}"
                )
            }
            HookHandler::Other => format!("Cannot run handler: {error}"),
        }
    }
}

/// The status manager's limit on all termination messages of a pod
/// together (upstream: kubecontainer.MaxPodTerminationMessageLogLength).
const MAX_POD_TERMINATION_MESSAGE_BYTES: usize = 12 * 1024;

/// Each container's share of [`MAX_POD_TERMINATION_MESSAGE_BYTES`]: the
/// limit split evenly over the spec's init, regular and ephemeral
/// containers (upstream: normalizeStatus's bytesPerStatus).
fn message_budget(containers: usize) -> usize {
    MAX_POD_TERMINATION_MESSAGE_BYTES.checked_div(containers).unwrap_or(MAX_POD_TERMINATION_MESSAGE_BYTES)
}

/// `message` cut to its first `budget` bytes, as normalizeStatus slices the
/// Go string. A cut inside a character leaves invalid bytes that Go's JSON
/// encoder writes as one U+FFFD each; they are written so here.
fn truncated_message(message: &str, budget: usize) -> String {
    if message.len() <= budget {
        return message.to_owned();
    }
    let mut cut = budget;
    while !message.is_char_boundary(cut) {
        cut = cut.saturating_sub(1);
    }
    let mut out = message.get(..cut).unwrap_or_default().to_owned();
    for _ in cut..budget {
        out.push(char::REPLACEMENT_CHARACTER);
    }
    out
}

fn term_state(t: &Term, message_budget: usize) -> ContainerState {
    ContainerState {
        terminated: Some(ContainerStateTerminated {
            exit_code: t.exit_code,
            reason: Some(t.reason.clone()),
            message: t.message.as_deref().map(|m| truncated_message(m, message_budget)),
            started_at: t.started_at.map(Time::from_unix),
            // upstream: TerminatePod's ContainerStatusUnknown state sets no
            // times.
            finished_at: (!t.unknown).then(|| Time::from_unix(t.finished_at)),
            ..ContainerStateTerminated::default()
        }),
        ..ContainerState::default()
    }
}

/// A spec mount as the container status shows it (upstream:
/// convertToAPIContainerStatuses with RecursiveReadOnlyMounts, GA and
/// locked on since 1.33, and resolveRecursiveReadOnly). A read-only mount
/// shows its recursive mode: `Enabled` when it asks for `IfPossible` or
/// `Enabled` and the runtime supports it, otherwise `Disabled` (also when
/// the request cannot be honoured, which upstream logs).
fn mount_status(m: &VolumeMount, runtime_rro: bool) -> VolumeMountStatus {
    let read_only = m.read_only == Some(true);
    let recursive = read_only.then(|| {
        let asks = matches!(
            m.recursive_read_only,
            Some(RecursiveReadOnlyMode::IfPossible | RecursiveReadOnlyMode::Enabled)
        );
        let propagation_ok = m.mount_propagation.as_ref().is_none_or(|p| *p == MountPropagationMode::None);
        if asks && propagation_ok && runtime_rro {
            RecursiveReadOnlyMode::Enabled
        } else {
            RecursiveReadOnlyMode::Disabled
        }
    });
    VolumeMountStatus {
        name: m.name.clone(),
        mount_path: m.mount_path.clone(),
        // `readOnly` is written only when true (Go's omitempty).
        read_only: read_only.then_some(true),
        recursive_read_only: recursive,
        ..VolumeMountStatus::default()
    }
}

/// The container's resources as its status shows them: the spec's, with
/// empty lists left out as Go's omitempty leaves them (upstream:
/// convertContainerStatusResources, InPlacePodVerticalScaling GA in 1.35).
/// The runtime is taken to apply exactly what was allocated, so a running
/// container shows the same values.
fn allocated(resources: Option<&ResourceRequirements>) -> ResourceRequirements {
    let mut r = resources.cloned().unwrap_or_default();
    r.requests = r.requests.filter(|l| !l.is_empty());
    r.limits = r.limits.filter(|l| !l.is_empty());
    // (upstream copies the whole requirements, claims included.)
    r.claims = r.claims.filter(|c| !c.is_empty());
    r
}

fn unknown_term(now: i64) -> Term {
    Term {
        exit_code: 137,
        reason: reasons::CONTAINER_STATUS_UNKNOWN.to_owned(),
        message: Some(reasons::MESSAGE_UNKNOWN_AT_TERMINATION.to_owned()),
        started_at: None,
        finished_at: now,
        unknown: true,
    }
}

impl PodLifecycle {
    /// Starts tracking `pod` (bound to this node) at `now`.
    ///
    /// `status.startTime`, non-kubelet conditions (readiness gates,
    /// `DisruptionTarget`), the transition times of kubelet conditions and a
    /// terminal phase are taken from `pod.status` when present; a pod whose
    /// phase is already terminal is finished and never started again
    /// (PL-4.5), its containers showing the terminated states, last states
    /// and restart counts of its status (a terminated state written without
    /// a `reason` shows the one an exit gets, `Completed` or `Error`, where
    /// upstream keeps it empty). A `deletionTimestamp` already set
    /// starts termination.
    pub fn new(pod: &Pod, now: Time, config: KubeletConfig) -> PodLifecycle {
        let empty = PodSpec::default();
        let spec = pod.spec.as_ref().unwrap_or(&empty);
        let meta = &pod.metadata;
        let status = pod.status.as_ref();
        let rules_gate = config.features.container_restart_rules;
        let with_rules = |ctr: Ctr, c: &Container| if rules_gate { ctr.with_restart_rules(c) } else { ctr };
        let runtime_rro = config.runtime_supports_recursive_read_only_mounts;
        let mut containers =
            Vec::with_capacity(spec.init_containers().len().saturating_add(spec.containers.len()));
        for c in spec.init_containers() {
            let class = if c.restart_policy == Some(ContainerRestartPolicy::Always) {
                Class::Sidecar
            } else {
                Class::Init
            };
            containers.push(with_rules(Ctr::new(c, class, runtime_rro), c));
        }
        let n_init = containers.len();
        for c in &spec.containers {
            containers.push(with_rules(Ctr::new(c, Class::Regular, runtime_rro), c));
        }
        let containers_len = containers.len();
        let now_s = now.unix();
        let ready_to_start_gate = config.features.pod_ready_to_start_containers_condition;
        let external: Vec<Condition> = status
            .and_then(|s| s.conditions.as_deref())
            .unwrap_or(&[])
            .iter()
            .filter(|c| !is_kubelet_condition_gated(&c.type_, ready_to_start_gate))
            .cloned()
            .collect();
        let mut tracked = [None; 5];
        if let Some(conds) = status.and_then(|s| s.conditions.as_deref()) {
            for (slot, ty) in tracked.iter_mut().zip(TRACKED) {
                *slot = conds.iter().find(|c| c.type_ == ty).map(|c| {
                    let status = match c.status {
                        ConditionStatus::True => Some(true),
                        ConditionStatus::False => Some(false),
                        _ => None,
                    };
                    (status, c.last_transition_time.map(|t| t.unix()))
                });
            }
        }
        let prior_phase = status.and_then(|s| s.phase.clone()).filter(PodPhase::is_terminal);
        let api_disruption = external.iter().find(|c| c.type_ == pod_condition::DISRUPTION_TARGET).cloned();
        let mut pl = PodLifecycle {
            crash_cfg: config.crash_loop_back_off,
            image_cfg: config.image_pull_back_off,
            resync: config.resync_after_error_seconds.max(1),
            ready_to_start_gate,
            container_rules: rules_gate,
            generation: meta.generation,
            generation_tracking: config.features.pod_observed_generation_tracking,
            status_generation_carried: status.and_then(|s| s.observed_generation).is_some_and(|g| g != 0),
            conditions_generation_carried: status
                .and_then(|s| s.conditions.as_deref())
                .unwrap_or(&[])
                .iter()
                .filter(|c| c.observed_generation.is_some_and(|g| g != 0))
                .map(|c| c.type_.clone())
                .collect(),
            qos_class: crate::pod::qos::pod_qos(pod),
            pod_ref: format!("{}_{}({})", meta.name(), meta.namespace(), meta.uid()),
            restart_policy: spec.restart_policy(),
            spec_grace: spec.termination_grace_period_seconds_or_default().max(0),
            deletion_grace: meta.deletion_grace_period_seconds,
            active_deadline: spec.active_deadline_seconds,
            readiness_gates: spec.readiness_gates().iter().map(|g| g.condition_type.clone()).collect(),
            containers,
            n_init,
            message_budget: message_budget(
                containers_len.saturating_add(spec.ephemeral_containers.as_deref().map_or(0, <[_]>::len)),
            ),
            sandbox: Sandbox::None,
            sandbox_retry_at: None,
            jitter_seed: config.probe_start_jitter_seed,
            pod_ip: None,
            start_time: status.and_then(|s| s.start_time).map_or(now_s, |t| t.unix()),
            external,
            tracked,
            deleted: false,
            term: None,
            failed_by_kubelet: false,
            finished: prior_phase.is_some(),
            final_conditions: None,
            phase: prior_phase.clone().unwrap_or(PodPhase::Pending),
            reason: status.and_then(|s| s.reason.clone()),
            message: status.and_then(|s| s.message.clone()),
            reason_phase: status.and_then(|s| s.phase.clone()).unwrap_or(PodPhase::Pending),
            before_terminal: (
                status.and_then(|s| s.phase.clone()).unwrap_or(PodPhase::Pending),
                status.and_then(|s| s.reason.clone()),
                status.and_then(|s| s.message.clone()),
            ),
            api_disruption,
            commands: VecDeque::new(),
            scratch: Vec::new(),
            synced_at: None,
        };
        if prior_phase.is_some() {
            pl.carry_container_statuses(status);
            pl.refresh(now_s);
            return pl;
        }
        if meta.deletion_timestamp.is_some() {
            pl.request_deletion(meta.deletion_grace_period_seconds, now_s);
        }
        pl.sync(now_s);
        pl
    }

    /// A finished pod's containers as its API status last showed them
    /// (upstream: SyncTerminatedPod generates the status from the API one,
    /// and convertToAPIContainerStatuses keeps a terminated container's
    /// status and carries the others' restartCount and lastState): each
    /// container's terminated state, its last termination and its restart
    /// count. A terminated state without `reason` gets the one an exit
    /// would (`Completed` / `Error`); one without `finishedAt` shows none.
    fn carry_container_statuses(&mut self, status: Option<&PodStatus>) {
        let Some(status) = status else { return };
        let term = |t: &ContainerStateTerminated| Term {
            exit_code: t.exit_code,
            reason: t
                .reason
                .clone()
                .unwrap_or_else(|| reasons::terminated_reason(t.exit_code, false).to_owned()),
            message: t.message.clone(),
            started_at: t.started_at.map(|at| at.unix()),
            finished_at: t.finished_at.map_or(0, |at| at.unix()),
            unknown: t.finished_at.is_none(),
        };
        let terminated = |s: Option<&ContainerState>| s.and_then(|s| s.terminated.as_ref()).map(term);
        let n_init = self.n_init.min(self.containers.len());
        let (init, regular) = self.containers.split_at_mut(n_init);
        for (ctrs, old) in [(init, status.init_container_statuses()), (regular, status.container_statuses())]
        {
            for c in ctrs.iter_mut() {
                let Some(old) = old.iter().find(|o| *o.name == *c.name) else { continue };
                c.restart_count = u32::try_from(old.restart_count).unwrap_or(0);
                c.last = terminated(old.last_state.as_ref());
                c.exit = terminated(old.state.as_ref());
            }
        }
    }

    /// Feeds one observed fact at `now`, then recomputes what to do.
    pub fn handle(&mut self, event: Event, now: Time) {
        let now = now.unix();
        let mut needs_sync = true;
        match event {
            Event::SandboxReady { pod_ip } => {
                if matches!(self.sandbox, Sandbox::None | Sandbox::Requested) {
                    self.sandbox = Sandbox::Ready;
                    self.pod_ip = pod_ip;
                }
            }
            Event::SandboxCreateFailed { .. } => {
                if self.sandbox == Sandbox::Requested {
                    self.sandbox = Sandbox::None;
                    self.sandbox_retry_at = Some(now.saturating_add(self.resync));
                }
            }
            Event::ContainerStarted { container } => {
                if let Some(i) = self.index_of(&container) {
                    self.on_started(i, now);
                }
            }
            Event::ImagePullFailed { container, message } => {
                if let Some(i) = self.index_of(&container) {
                    self.on_pull_failed(i, reasons::ERR_IMAGE_PULL, message, now);
                }
            }
            Event::ContainerStartFailed { container, reason, message } if reasons::is_pull_error(&reason) => {
                if let Some(i) = self.index_of(&container) {
                    self.on_pull_failed(i, &reason, message, now);
                }
            }
            Event::ContainerStartFailed { container, reason, message } => {
                if let Some(i) = self.index_of(&container)
                    && self.containers.get(i).is_some_and(|c| c.starting)
                {
                    if reason == reasons::RUN_CONTAINER_ERROR {
                        self.on_start_error(i, &message, now);
                    }
                    let resync = self.resync;
                    let shown = self.shows_start_failure(i);
                    if let Some(c) = self.containers.get_mut(i) {
                        c.starting = false;
                        if shown {
                            c.waiting = Some((reason, message));
                        }
                        c.retry_at = Some(now.saturating_add(resync));
                    }
                }
            }
            Event::ContainerExited { container, exit_code, reason, message } => {
                if let Some(i) = self.index_of(&container) {
                    self.on_exited(i, exit_code, reason, message, now);
                }
            }
            Event::ProbeResult { container, attempt, probe, outcome } => {
                needs_sync = match self.index_of(&container) {
                    Some(i) => self.on_probe_result(i, attempt, probe, outcome, now),
                    None => false,
                } || self.synced_at != Some(now);
            }
            Event::HookFinished { container, attempt, hook, outcome } => {
                if let Some(i) = self.index_of(&container) {
                    self.on_hook(i, attempt, hook, outcome, now);
                }
            }
            Event::DeletionRequested { grace_period_seconds } => {
                self.request_deletion(grace_period_seconds, now)
            }
            Event::Evicted { reason, message, grace_period_override_seconds } => {
                self.evict(reason, message, grace_period_override_seconds, now);
            }
            Event::GenerationChanged { generation } => self.generation = Some(generation),
            Event::ConditionChanged { condition } => {
                if !is_kubelet_condition_gated(&condition.type_, self.ready_to_start_gate) {
                    // A DisruptionTarget written by others (the taint
                    // manager, the eviction API) is the API's: the one the
                    // status keeps showing while the kubelet's waits.
                    if condition.type_ == pod_condition::DISRUPTION_TARGET {
                        self.api_disruption = Some(condition.clone());
                    }
                    match self.external.iter_mut().find(|c| c.type_ == condition.type_) {
                        Some(slot) => *slot = condition,
                        None => self.external.push(condition),
                    }
                }
            }
        }
        if needs_sync {
            self.sync(now);
        }
    }

    /// Runs whatever is due at `now` (probes, back-off expiries, grace
    /// deadlines, activeDeadlineSeconds), then recomputes what to do.
    pub fn handle_timeout(&mut self, now: Time) {
        let now = now.unix();
        for i in 0..self.containers.len() {
            self.fire_probes(i, now);
            self.fire_kill_timers(i, now);
        }
        self.sync(now);
    }

    /// The next command for the executor, in the order decided.
    pub fn poll_command(&mut self) -> Option<Command> {
        self.commands.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) should next be called,
    /// or `None` when nothing is scheduled.
    pub fn poll_timeout(&self) -> Option<Time> {
        if self.finished {
            return None;
        }
        let mut next: Option<i64> = None;
        let mut consider = |t: Option<i64>| {
            if let Some(t) = t {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        };
        if self.term.is_none() {
            consider(self.active_deadline.map(|d| self.start_time.saturating_add(d)));
            consider(self.sandbox_retry_at);
        }
        for c in &self.containers {
            consider(c.crash_wake);
            if !c.starting {
                consider(c.retry_at);
            }
            for w in [c.startup.as_ref(), c.liveness.as_ref(), c.readiness.as_ref()].into_iter().flatten() {
                if !w.stopped {
                    consider(w.next_due);
                }
            }
            if let Some(k) = &c.kill {
                match k.pre_stop {
                    PreStop::Running { deadline } => consider(Some(deadline)),
                    _ if !k.signal_sent => consider(Some(k.since.saturating_add(k.grace))),
                    _ => {}
                }
                if !k.forced {
                    consider(k.force_at);
                }
            }
        }
        next.map(Time::from_unix)
    }

    /// True once the pod is finished: every container stopped, final status
    /// written, sandbox released. Nothing changes after that.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The kubelet's own pod phase as of the last event or timeout
    /// (upstream's `getPhase`). It can turn terminal while containers are
    /// still being stopped; [`status`](Self::status) reports that only once
    /// they have (the status manager's hold).
    pub fn phase(&self) -> &PodPhase {
        &self.phase
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        self.containers.iter().position(|c| &*c.name == name)
    }

    fn has_init(&self) -> bool {
        self.n_init > 0
    }

    // ---- events -------------------------------------------------------

    /// A `RunContainerError`: the runtime created the container but could
    /// not start it (upstream startContainer's step 3), so an instance
    /// exists and has exited, as containerd reports it (exit code 128,
    /// `StartError`, no start time: Unix 0). The next start is a restart
    /// (restartCount counts it, CrashLoopBackOff applies) and the restart
    /// policy decides whether there is one.
    fn on_start_error(&mut self, i: usize, message: &str, now: i64) {
        let Some(c) = self.containers.get_mut(i) else { return };
        if c.instances > 0 {
            c.restart_count = c.restart_count.saturating_add(1);
        }
        c.instances = c.instances.saturating_add(1);
        if let Some(t) = c.exit.take() {
            c.last = Some(t);
        }
        c.exit = Some(Term {
            exit_code: reasons::START_ERROR_EXIT_CODE,
            reason: reasons::START_ERROR.to_owned(),
            message: Some(message.to_owned()),
            started_at: Some(0),
            finished_at: now,
            unknown: false,
        });
    }

    fn on_started(&mut self, i: usize, now: i64) {
        let Some(c) = self.containers.get_mut(i) else { return };
        if c.is_running() || self.finished {
            return;
        }
        c.starting = false;
        if c.instances > 0 {
            c.restart_count = c.restart_count.saturating_add(1);
        }
        c.instances = c.instances.saturating_add(1);
        if let Some(t) = c.exit.take() {
            c.last = Some(t);
        }
        c.started_at = now;
        c.pull_error = None;
        c.retry_at = None;
        c.crash_wake = None;
        c.kill = None;
        for w in c.workers_mut() {
            w.new_instance();
        }
        let first_instance = c.instances == 1;
        if let Some(w) = c.startup.as_mut() {
            let jitter = if first_instance { probe_jitter(self.jitter_seed, i, w) } else { 0 };
            w.schedule_from(now.saturating_add(w.initial_delay).saturating_add(jitter));
        }
        if c.post_start {
            c.run = Run::PostStart;
            let cmd = Command::RunHook {
                container: c.name.clone(),
                attempt: c.restart_count,
                hook: HookKind::PostStart,
                timeout_seconds: None,
            };
            self.commands.push_back(cmd);
        } else {
            c.run = Run::Running;
            c.waiting = None;
            self.became_running(i, now);
        }
        if let Some(t) = self.term {
            let grace = t.since.saturating_add(t.grace).saturating_sub(now).max(0);
            let message = self.stop_message(i);
            self.begin_kill(i, now, KillPlan::termination(grace, message));
        }
    }

    /// The container is reported running (postStart done): without a
    /// startup probe it is started now.
    fn became_running(&mut self, i: usize, now: i64) {
        let Some(c) = self.containers.get(i) else { return };
        if c.startup.is_none() {
            self.became_started(i, now);
        }
    }

    /// PL-7.7: liveness and readiness start at max(startedAt + delay, now).
    fn became_started(&mut self, i: usize, now: i64) {
        let seed = self.jitter_seed;
        let Some(c) = self.containers.get_mut(i) else { return };
        let started_at = c.started_at;
        let first_instance = c.instances == 1;
        for w in [c.liveness.as_mut(), c.readiness.as_mut()].into_iter().flatten() {
            let jitter = if first_instance { probe_jitter(seed, i, w) } else { 0 };
            w.schedule_from(started_at.saturating_add(w.initial_delay).max(now).saturating_add(jitter));
        }
    }

    fn on_exited(
        &mut self,
        i: usize,
        exit_code: i32,
        reason: Option<String>,
        message: Option<String>,
        now: i64,
    ) {
        let Some(c) = self.containers.get_mut(i) else { return };
        if !c.is_running() {
            return;
        }
        c.run = Run::Stopped;
        c.exit = Some(Term {
            exit_code,
            reason: reason.unwrap_or_else(|| reasons::terminated_reason(exit_code, false).to_owned()),
            message,
            started_at: Some(c.started_at),
            finished_at: now,
            unknown: false,
        });
        for w in c.workers_mut() {
            w.container_stopped();
        }
        let kill = c.kill.take();
        // PL-8.3: a kill-and-restart restarts in the sync that killed, once
        // the kill returns. Upstream's SyncPod kills synchronously, then
        // doBackOff weighs the instance before the killed one (its runtime
        // snapshot predates the kill) against the clock after the kill: so
        // the back-off is decided now, at the exit, from the previous exit.
        // (semantics PL-8.3 says "as of the kill decision"; the two differ
        // only when the kill takes a while.)
        if kill.is_some_and(|k| k.restart) && self.term.is_none() {
            let crash_cfg = self.crash_cfg;
            let Some(c) = self.containers.get_mut(i) else { return };
            // Housekeeping has dropped an entry last advanced more than
            // `reset_after` ago while the container ran (as try_start
            // applies for a container that stopped).
            if backoff::collectable(c.crash.as_ref(), now, &crash_cfg) {
                c.crash = None;
            }
            let restart_now = match &c.last {
                None => true,
                Some(prev) => {
                    let event_time = prev.finished_at;
                    if backoff::in_backoff_since(c.crash.as_ref(), event_time, now, &crash_cfg).is_some() {
                        false
                    } else {
                        backoff::next(&mut c.crash, event_time, now, &crash_cfg);
                        true
                    }
                }
            };
            // In back-off, the next sync restarts it from this exit, as a
            // crash.
            if restart_now {
                self.issue_start(i);
            }
        }
    }

    /// Applies a probe result; true when it changed what a sync reads (the
    /// worker's stored result, its hold, the started state) or issued a
    /// probe.
    fn on_probe_result(
        &mut self,
        i: usize,
        attempt: u32,
        kind: ProbeKind,
        outcome: ProbeOutcome,
        now: i64,
    ) -> bool {
        let phase_terminal = self.phase.is_terminal();
        let Some(c) = self.containers.get_mut(i) else { return false };
        if c.run != Run::Running || c.restart_count != attempt {
            return false;
        }
        let Some(w) = c.worker_mut(kind) else { return false };
        if w.stopped || !w.outstanding || phase_terminal {
            return false;
        }
        w.outstanding = false;
        let before = (w.result, w.on_hold);
        let changed = w.apply(outcome);
        let effect = before != (w.result, w.on_hold);
        let missed = std::mem::replace(&mut w.missed, false);
        if kind == ProbeKind::Startup && changed && c.startup.as_ref().is_some_and(|w| w.result == Some(true))
        {
            self.became_started(i, now);
            return true;
        }
        if missed && self.probe_applicable(i, kind, now) {
            self.issue_probe(i, kind);
            return true;
        }
        effect
    }

    fn on_hook(&mut self, i: usize, attempt: u32, hook: HookKind, outcome: HookOutcome, now: i64) {
        let Some(c) = self.containers.get_mut(i) else { return };
        if c.restart_count != attempt || !c.is_running() {
            return;
        }
        match hook {
            HookKind::PostStart => {
                if c.run != Run::PostStart {
                    return;
                }
                match outcome {
                    HookOutcome::Success => {
                        c.run = Run::Running;
                        if c.kill.is_none() {
                            c.waiting = None;
                        }
                        self.became_running(i, now);
                    }
                    HookOutcome::Failure(err) => {
                        // PL-10.1: kill with the normal grace; restart is
                        // decided later with the killed instance visible.
                        let message = c.post_start_handler.failure_message(&err, &c.name, &self.pod_ref);
                        c.waiting = Some((reasons::POST_START_HOOK_ERROR.to_owned(), message));
                        if c.kill.is_none() {
                            let grace = self.deletion_grace.unwrap_or(self.spec_grace);
                            let plan = KillPlan {
                                grace,
                                reason: KillReason::FailedPostStartHook,
                                message: "FailedPostStartHook".to_owned(),
                                ordered: false,
                                restart: false,
                                intended: self.containers.get(i).is_some_and(|c| {
                                    c.class == Class::Sidecar
                                        || restart::restarts_on_failure(
                                            c.own_policy.as_ref(),
                                            &self.restart_policy,
                                        )
                                }),
                            };
                            self.begin_kill(i, now, plan);
                        }
                    }
                }
            }
            HookKind::PreStop => {
                // PL-10.2: a failure only produces an event; the stop proceeds.
                let Some(k) = c.kill.as_mut() else { return };
                if matches!(k.pre_stop, PreStop::Running { .. }) {
                    k.pre_stop = PreStop::Done;
                    self.proceed_kill(i, now);
                }
            }
        }
    }

    // upstream: pkg/kubelet/pod_workers.go: calculateEffectiveGracePeriod
    fn request_deletion(&mut self, grace: Option<i64>, now: i64) {
        if self.finished {
            return;
        }
        self.deleted = true;
        // A deletion ends ShouldContainerBeRestarted, so a start failure
        // the status kept showing through the kubelet's own termination
        // shows no longer (begin_termination clears it otherwise).
        if self.term.is_some() {
            for c in &mut self.containers {
                c.waiting = None;
            }
        }
        let effective = self.effective_grace(grace.unwrap_or(self.spec_grace));
        self.deletion_grace = Some(effective);
        // Liveness and startup stop (upstream: SyncTerminatingPod calls
        // StopLivenessAndStartup), for the regular containers only: 1.35's
        // walks `spec.containers`, so a sidecar's go on probing (to no
        // effect: nothing restarts during termination). Deviation from
        // semantics PL-7.3 step 6 ("store Success"): that branch of doProbe
        // runs only for a worker created for an already deleted pod (its pod
        // copy is the one AddPod got). Here the status generated just before
        // the stop stays the one the readiness worker reads, so a container
        // whose startup probe had not passed stays not started, and its
        // readiness is never probed while it terminates.
        for c in self.containers.iter_mut().filter(|c| c.class == Class::Regular) {
            if let Some(w) = c.liveness.as_mut() {
                w.stop(Some(true));
            }
            if let Some(w) = c.startup.as_mut() {
                let result = w.result;
                w.stop(result);
            }
        }
        self.terminate_with(effective, now);
    }

    /// PL-11.2: the grace already in use, replaced by `requested` if none yet
    /// or smaller; never below 1. As in the newest upstream (its
    /// `overridden` flag), an explicit request of 0 (force deletion, hard
    /// eviction) is honoured as 1 s rather than replaced by the pod's
    /// `terminationGracePeriodSeconds`; callers without a request pass the
    /// pod's grace.
    /// The grace the pod worker's SyncTerminatingPod kills with when no one
    /// asked for one: the deletion's or the pod's, never below 1.
    fn worker_grace(&self) -> i64 {
        self.effective_grace(self.deletion_grace.unwrap_or(self.spec_grace))
    }

    // upstream: pkg/kubelet/pod_workers.go: calculateEffectiveGracePeriod
    fn effective_grace(&self, requested: i64) -> i64 {
        let mut effective = self.term.map_or(0, |t| t.grace);
        if effective == 0 || requested < effective {
            effective = requested;
        }
        effective.max(1)
    }

    /// The kubelet terminates the pod itself (node-pressure eviction, node
    /// shutdown...): phase Failed with `reason` / `message`, condition
    /// `DisruptionTarget` (reason `TerminationByKubelet`), and the normal
    /// termination flow with the grace override.
    // upstream: pkg/kubelet/eviction/eviction_manager.go: evictPod
    fn evict(&mut self, reason: String, message: String, grace_override: Option<i64>, now: i64) {
        if self.finished {
            return;
        }
        self.failed_by_kubelet = true;
        // PL-6.8: the transition time moves only when the status flips.
        let since = self
            .external
            .iter()
            .find(|c| c.type_ == pod_condition::DISRUPTION_TARGET && c.status == ConditionStatus::True)
            .and_then(|c| c.last_transition_time)
            .unwrap_or(Time::from_unix(now));
        let condition = Condition {
            type_: pod_condition::DISRUPTION_TARGET.to_owned(),
            status: ConditionStatus::True,
            reason: Some("TerminationByKubelet".to_owned()),
            message: Some(message.clone()),
            last_transition_time: Some(since),
            // upstream (1.34+): CalculatePodConditionObservedGeneration.
            observed_generation: self.condition_generation(pod_condition::DISRUPTION_TARGET),
            ..Condition::default()
        };
        match self.external.iter_mut().find(|c| c.type_ == condition.type_) {
            Some(slot) => *slot = condition,
            None => self.external.push(condition),
        }
        self.reason = Some(reason);
        self.message = Some(message);
        self.reason_phase = PodPhase::Failed;
        let effective = self.effective_grace(grace_override.unwrap_or(self.spec_grace));
        self.terminate_with(effective, now);
    }

    /// Begins termination with `effective` grace, or shrinks a termination
    /// already under way: upstream's pod worker cancels the running sync
    /// when the grace period was shortened (UpdatePod,
    /// wasGracePeriodShortened) and SyncTerminatingPod kills again with the
    /// shorter one, so kills under way end sooner.
    fn terminate_with(&mut self, effective: i64, now: i64) {
        match self.term.as_mut() {
            None => self.begin_termination(now, effective),
            Some(t) => {
                // The grace can only shrink once termination has begun.
                let deadline = now.saturating_add(effective);
                if deadline < t.since.saturating_add(t.grace) {
                    t.since = now;
                    t.grace = effective;
                    for c in &mut self.containers {
                        if let Some(k) = c.kill.as_mut() {
                            k.restart = false;
                            k.intended = false;
                            if k.signal_sent {
                                let at = now.saturating_add(effective.max(MIN_GRACE_SECONDS));
                                k.force_at = Some(k.force_at.map_or(at, |f| f.min(at)));
                            } else {
                                k.since = now;
                                k.grace = effective;
                                if let PreStop::Running { deadline: d } = k.pre_stop {
                                    k.pre_stop = PreStop::Running { deadline: d.min(deadline) };
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- timers -------------------------------------------------------

    fn probe_applicable(&self, i: usize, kind: ProbeKind, now: i64) -> bool {
        let Some(c) = self.containers.get(i) else { return false };
        let Some(w) = c.worker(kind) else { return false };
        if c.run != Run::Running || w.on_hold || w.stopped || self.phase.is_terminal() || self.finished {
            return false;
        }
        // PL-7.3 step 7 and 8.
        if now.saturating_sub(c.started_at) < w.initial_delay {
            return false;
        }
        match kind {
            ProbeKind::Startup => !c.started(),
            _ => c.started(),
        }
    }

    fn issue_probe(&mut self, i: usize, kind: ProbeKind) {
        let Some(c) = self.containers.get_mut(i) else { return };
        let (name, attempt) = (c.name.clone(), c.restart_count);
        let Some(w) = c.worker_mut(kind) else { return };
        w.outstanding = true;
        let timeout_seconds = w.timeout;
        self.commands.push_back(Command::RunProbe { container: name, attempt, probe: kind, timeout_seconds });
    }

    fn fire_probes(&mut self, i: usize, now: i64) {
        for kind in [ProbeKind::Startup, ProbeKind::Liveness, ProbeKind::Readiness] {
            let due = self
                .containers
                .get(i)
                .and_then(|c| c.worker(kind))
                .and_then(|w| w.next_due.filter(|d| *d <= now && !w.stopped));
            if due.is_none() {
                continue;
            }
            let outstanding =
                self.containers.get(i).and_then(|c| c.worker(kind)).is_some_and(|w| w.outstanding);
            if outstanding {
                if let Some(w) = self.containers.get_mut(i).and_then(|c| c.worker_mut(kind)) {
                    w.missed = true;
                }
            } else if self.probe_applicable(i, kind, now) {
                self.issue_probe(i, kind);
            }
            if let Some(w) = self.containers.get_mut(i).and_then(|c| c.worker_mut(kind)) {
                w.advance_past(now);
            }
        }
    }

    fn fire_kill_timers(&mut self, i: usize, now: i64) {
        let Some(c) = self.containers.get_mut(i) else { return };
        let Some(k) = c.kill.as_mut() else { return };
        if let PreStop::Running { deadline } = k.pre_stop
            && now >= deadline
        {
            // The hook ran out of time: it is abandoned, the stop proceeds.
            k.pre_stop = PreStop::Done;
            self.proceed_kill(i, now);
        }
        let Some(c) = self.containers.get_mut(i) else { return };
        let Some(k) = c.kill.as_mut() else { return };
        if !k.forced && k.force_at.is_some_and(|f| now >= f) {
            k.forced = true;
            let cmd = Command::KillContainer { container: c.name.clone(), attempt: c.restart_count };
            self.commands.push_back(cmd);
        }
    }

    // ---- kills ----------------------------------------------------------

    fn stop_message(&self, i: usize) -> String {
        let name = self.containers.get(i).map_or("", |c| &*c.name);
        format!("Stopping container {name}")
    }

    /// A pull of container `i`'s image failed with `reason` (ErrImagePull,
    /// RegistryUnavailable, SignatureValidationFailed): the image back-off
    /// advances, and the error is kept for the back-off's message.
    // upstream: pkg/kubelet/images/image_manager.go: EnsureImageExists
    // (backOff.Next, evalCRIPullErr, prevPullErrMsg)
    fn on_pull_failed(&mut self, i: usize, reason: &str, message: String, now: i64) {
        let resync = self.resync;
        let cfg = self.image_cfg;
        let shown = self.shows_start_failure(i);
        if let Some(c) = self.containers.get_mut(i).filter(|c| c.starting) {
            c.starting = false;
            backoff::next(&mut c.image_backoff, now, now, &cfg);
            c.pull_error = Some(format!("{reason}: {message}"));
            if shown {
                c.waiting = Some((reason.to_owned(), message));
            }
            c.retry_at = Some(now.saturating_add(resync));
        }
    }

    /// Starts killing container `i`: its preStop hook first (if any and
    /// grace > 0), then the stop signal.
    // upstream: pkg/kubelet/kuberuntime/kuberuntime_container.go: killContainer
    fn begin_kill(&mut self, i: usize, now: i64, plan: KillPlan) {
        let KillPlan { grace, reason, message, ordered, restart, intended } = plan;
        let Some(c) = self.containers.get_mut(i) else { return };
        if !c.is_running() || c.kill.is_some() {
            return;
        }
        let run_pre_stop = c.pre_stop && grace > 0;
        // upstream: computePodActions appends this to regular containers'
        // probe kills only (computeInitContainerActions' sidecar kills keep
        // their message), and killContainer records it before the preStop
        // hook: settled now, so a deletion during the hook does not change it.
        let probe_kill = matches!(reason, KillReason::LivenessProbe | KillReason::StartupProbe);
        let message = if (intended || restart) && probe_kill && c.class == Class::Regular {
            format!("{message}, will be restarted")
        } else {
            message
        };
        c.kill = Some(Kill {
            since: now,
            grace,
            reason,
            message,
            pre_stop: if run_pre_stop {
                PreStop::Running { deadline: now.saturating_add(grace) }
            } else {
                PreStop::NotRun
            },
            ordered,
            signal_sent: false,
            force_at: None,
            forced: false,
            restart,
            intended: intended || restart,
        });
        if run_pre_stop {
            let cmd = Command::RunHook {
                container: c.name.clone(),
                attempt: c.restart_count,
                hook: HookKind::PreStop,
                timeout_seconds: Some(grace),
            };
            self.commands.push_back(cmd);
        } else {
            self.proceed_kill(i, now);
        }
    }

    /// PL-11.4: a sidecar stops only after every regular container and the
    /// next sidecar declared after it have exited. Only the next one: the
    /// chain reaches the later ones through it, and breaks where a sidecar
    /// is not running (upstream pre-closes that sidecar's channel, so the
    /// one before it does not wait for those after).
    // upstream: pkg/kubelet/kuberuntime/kuberuntime_termination_order.go:
    // newTerminationOrdering, waitForTurn
    fn turn_ready(&self, i: usize) -> bool {
        let next_sidecar = self
            .containers
            .iter()
            .enumerate()
            .skip(i.saturating_add(1))
            .find(|(_, c)| c.class == Class::Sidecar)
            .map(|(j, _)| j);
        self.containers.iter().enumerate().all(|(j, c)| {
            let must_wait = c.class == Class::Regular || Some(j) == next_sidecar;
            !must_wait || (!c.is_running() && !c.starting)
        })
    }

    /// After the preStop hook (and the sidecar's turn): the stop signal with
    /// what is left of the grace period, at least 2 s.
    fn proceed_kill(&mut self, i: usize, now: i64) {
        let turn_ready = self.turn_ready(i);
        let Some(c) = self.containers.get_mut(i) else { return };
        let Some(k) = c.kill.as_mut() else { return };
        if k.signal_sent || matches!(k.pre_stop, PreStop::Running { .. }) {
            return;
        }
        let deadline = k.since.saturating_add(k.grace);
        if k.ordered && c.class == Class::Sidecar && !turn_ready && now < deadline {
            return;
        }
        let remaining = k.grace.saturating_sub(now.saturating_sub(k.since)).max(MIN_GRACE_SECONDS);
        k.signal_sent = true;
        k.force_at = Some(now.saturating_add(remaining));
        let cmd = Command::StopContainer {
            container: c.name.clone(),
            attempt: c.restart_count,
            grace_period_seconds: remaining,
            reason: k.reason,
            message: k.message.clone(),
        };
        self.commands.push_back(cmd);
    }

    /// Kill grace for a single container (PL-9.4).
    // upstream: pkg/kubelet/kuberuntime/kuberuntime_container.go: setTerminationGracePeriod
    fn kill_grace(&self, i: usize, reason: KillReason) -> i64 {
        if let Some(g) = self.deletion_grace {
            return g;
        }
        let c = self.containers.get(i);
        let probe_grace = match reason {
            KillReason::LivenessProbe => c.and_then(|c| c.liveness_grace),
            KillReason::StartupProbe => c.and_then(|c| c.startup_grace),
            _ => None,
        };
        probe_grace.unwrap_or(self.spec_grace)
    }

    fn begin_termination(&mut self, now: i64, grace: i64) {
        if self.term.is_some() || self.finished {
            return;
        }
        self.term = Some(Termination { since: now, grace });
        for i in 0..self.containers.len() {
            // The status keeps showing a container's last start failure
            // (CrashLoopBackOff, ImagePullBackOff...) while the container
            // would still be restarted: upstream's reason cache outlives
            // the termination, and convertToAPIContainerStatuses shows it
            // wherever ShouldContainerBeRestarted holds, which a deletion
            // ends but a kubelet's own termination (active deadline,
            // eviction) does not.
            let keeps_reason = self.containers.get(i).is_some_and(|c| self.should_restart(c));
            if let Some(c) = self.containers.get_mut(i) {
                // No restarts any more: drop pending back-offs and retries.
                c.crash_wake = None;
                c.retry_at = None;
                if !keeps_reason {
                    c.waiting = None;
                }
                if let Some(k) = c.kill.as_mut() {
                    k.restart = false;
                    k.intended = false;
                }
            }
            let message = self.stop_message(i);
            self.begin_kill(i, now, KillPlan::termination(grace, message));
        }
    }

    fn progress_termination(&mut self, now: i64) {
        for i in 0..self.containers.len() {
            let waiting_sidecar = self.containers.get(i).is_some_and(|c| {
                c.class == Class::Sidecar && c.kill.as_ref().is_some_and(|k| !k.signal_sent)
            });
            if waiting_sidecar {
                self.proceed_kill(i, now);
            }
        }
        if self.containers.iter().all(|c| !c.is_running() && !c.starting) {
            self.finish(now);
        }
    }

    /// The phase generateAPIPodStatus gives a pod that is done: a terminal
    /// phase stays, the kubelet's own failure is Failed, otherwise getPhase
    /// with podIsTerminal.
    fn final_phase(&self) -> PodPhase {
        if self.phase.is_terminal() {
            self.phase.clone()
        } else if self.failed_by_kubelet {
            PodPhase::Failed
        } else {
            self.compute_phase(true)
        }
    }

    /// The pod worker is done: PL-4.7 final statuses, terminal phase,
    /// sandbox released.
    // upstream: pkg/kubelet/status/status_manager.go: TerminatePod
    fn finish(&mut self, now: i64) {
        let has_init = self.has_init();
        let before = self.all_statuses();
        // upstream: generateAPIPodStatus applies the active-deadline handler
        // (ShouldEvict) to every status it generates, the final one after
        // the containers stopped included: a deadline that passed during
        // termination fails the pod.
        if !self.failed_by_kubelet && !self.phase.is_terminal() && self.past_deadline(now) {
            self.fail_deadline_exceeded();
        }
        // upstream: SyncTerminatedPod generates the final status, phase and
        // conditions, from the statuses before TerminatePod rewrites them;
        // TerminatePod then fails a Pending or Running phase and never
        // regenerates the conditions. So the conditions see that phase: a
        // pod deleted before its containers ran ends Failed, with Ready
        // False for ContainersNotReady (not PodFailed).
        let generated_phase = self.final_phase();
        let regular = self.containers.get(self.n_init..).unwrap_or(&[]);
        // upstream: status_manager.go hasPodInitialized: a last init
        // container that is a sidecar counts while running and started, a
        // plain one once it exited 0.
        let initialized = self.n_init == 0
            || regular
                .iter()
                .any(|c| c.last.is_some() || !matches!(c.view(has_init), ContainerView::Waiting))
            || self.containers.get(..self.n_init).and_then(|s| s.last()).is_some_and(|c| {
                if c.class == Class::Sidecar {
                    c.is_running() && c.started()
                } else {
                    c.exit.as_ref().or(c.last.as_ref()).is_some_and(|t| t.exit_code == 0)
                }
            });
        let n_init = self.n_init;
        let last_init_started = self
            .containers
            .get(..n_init)
            .unwrap_or(&[])
            .iter()
            .rposition(|c| !matches!(c.view(has_init), ContainerView::Waiting))
            .unwrap_or(0);
        for (j, c) in self.containers.iter_mut().enumerate() {
            // upstream TerminatePod: every status not shown terminated
            // becomes ContainerStatusUnknown, a container still showing a
            // waiting reason after an exit included (that exit stays its
            // last state).
            let shown_terminated = c.waiting.is_none() && c.exit.is_some();
            let waiting_after_exit = c.waiting.is_some() && c.exit.is_some();
            c.starting = false;
            let eligible = if j < n_init { j <= last_init_started } else { initialized };
            // A container TerminatePod leaves alone keeps the status the
            // final generateAPIPodStatus gave it: its start-failure reason
            // where begin_termination kept one (ShouldContainerBeRestarted
            // still held: a kubelet termination, not a deletion).
            // upstream: status_manager.go TerminatePod, initializedContainers
            if eligible {
                c.waiting = None;
            }
            if eligible && !shown_terminated && !c.is_running() {
                if waiting_after_exit {
                    c.last = c.exit.take();
                }
                c.exit = Some(unknown_term(now));
            }
            for w in c.workers_mut() {
                w.stop(w.result);
            }
        }
        // TerminatePod: a phase still Pending or Running becomes Failed.
        let phase = self.final_phase();
        self.phase = if phase.is_terminal() { phase } else { PodPhase::Failed };
        self.finished = true;
        let spec = self.condition_spec();
        let phase = &generated_phase;
        let initialized_cond = conditions::initialized_condition(&spec, Some(&before), phase);
        let mut seen = self.external.clone();
        if self.ready_to_start_gate {
            seen.push(conditions::ready_to_start_containers_condition(self.sandbox == Sandbox::Ready));
        }
        seen.push(initialized_cond.clone());
        self.final_conditions = Some([
            initialized_cond,
            conditions::pod_ready_condition(&spec, &seen, Some(&before), phase),
            conditions::containers_ready_condition(&spec, Some(&before), phase),
            conditions::pod_scheduled_condition(),
        ]);
        // The kubelet's DisruptionTarget reaches the API only now, stamped
        // now unless the API already showed it True (upstream:
        // mergePodStatus, updateLastTransitionTime).
        let api_true = self.api_disruption.as_ref().is_some_and(|c| c.status == ConditionStatus::True);
        if !api_true
            && let Some(c) = self
                .external
                .iter_mut()
                .find(|c| c.type_ == pod_condition::DISRUPTION_TARGET && c.status == ConditionStatus::True)
        {
            c.last_transition_time = Some(Time::from_unix(now));
        }
        if matches!(self.sandbox, Sandbox::Requested | Sandbox::Ready) {
            self.commands.push_back(Command::KillSandbox);
        }
        self.sandbox = Sandbox::Gone;
    }

    // ---- starts -------------------------------------------------------

    fn issue_start(&mut self, i: usize) {
        let Some(c) = self.containers.get_mut(i) else { return };
        if c.starting || c.is_running() {
            return;
        }
        c.starting = true;
        c.crash_wake = None;
        c.retry_at = None;
        let attempt = if c.instances == 0 { 0 } else { c.restart_count.saturating_add(1) };
        self.commands.push_back(Command::StartContainer { container: c.name.clone(), attempt });
    }

    /// Starts container `i` unless it is in CrashLoopBackOff or image pull
    /// back-off (PL-8.1).
    // upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go: doBackOff
    fn try_start(&mut self, i: usize, now: i64) {
        let crash_cfg = self.crash_cfg;
        let resync = self.resync;
        let shown = self.shows_start_failure(i);
        let pod_ref = &self.pod_ref;
        let Some(c) = self.containers.get_mut(i) else { return };
        if c.starting || c.is_running() || c.kill.is_some() {
            return;
        }
        if c.retry_at.is_some_and(|at| now < at) {
            return;
        }
        c.retry_at = None;
        // The kubelet's housekeeping drops a back-off entry last advanced
        // more than `reset_after` ago (HandlePodCleanups calling
        // crashLoopBackOff.GC), whether or not an exit has come since: the
        // restart it held back goes ahead, with a fresh entry.
        if backoff::collectable(c.crash.as_ref(), now, &crash_cfg) {
            c.crash = None;
        }
        if let Some(exit) = &c.exit {
            let event_time = exit.finished_at;
            if let Some(delay) = backoff::in_backoff_since(c.crash.as_ref(), event_time, now, &crash_cfg) {
                let message = format!(
                    "back-off {} restarting failed container={} pod={}",
                    reasons::go_duration(delay),
                    c.name,
                    pod_ref
                );
                if shown {
                    c.waiting = Some((reasons::CRASH_LOOP_BACK_OFF.to_owned(), message));
                }
                let collected = backoff::collected_at(c.crash.as_ref(), &crash_cfg);
                let done = event_time.saturating_add(delay);
                c.crash_wake = Some(collected.map_or(done, |at| at.min(done)));
                return;
            }
            backoff::next(&mut c.crash, event_time, now, &crash_cfg);
        }
        // upstream: pkg/kubelet/images/image_manager.go: EnsureImageExists
        // The message ends with the last pull's error (upstream since
        // kubernetes PR 127918: prevPullErrMsg).
        if let Some(error) = c.pull_error.as_deref()
            && backoff::in_backoff_since_update(c.image_backoff.as_ref(), now)
        {
            let message = format!("Back-off pulling image \"{}\": {error}", c.image);
            if shown {
                c.waiting = Some((reasons::IMAGE_PULL_BACK_OFF.to_owned(), message));
            }
            c.retry_at = Some(now.saturating_add(resync));
            return;
        }
        self.issue_start(i);
    }

    // ---- sync -----------------------------------------------------------

    /// Whether `activeDeadlineSeconds` has passed at `now` (upstream:
    /// pkg/kubelet/active_deadline.go: pastActiveDeadline).
    fn past_deadline(&self, now: i64) -> bool {
        self.active_deadline.is_some_and(|d| now.saturating_sub(self.start_time) >= d)
    }

    /// The pod fails with `DeadlineExceeded` (upstream: the deadline
    /// handler's ShouldEvict answer).
    fn fail_deadline_exceeded(&mut self) {
        self.failed_by_kubelet = true;
        self.reason = Some(reasons::DEADLINE_EXCEEDED.to_owned());
        self.message = Some(reasons::MESSAGE_DEADLINE_EXCEEDED.to_owned());
        self.reason_phase = PodPhase::Failed;
    }

    fn sync(&mut self, now: i64) {
        if self.finished {
            return;
        }
        // Both go to the pod worker's SyncTerminatingPod, which kills with
        // calculateEffectiveGracePeriod's override (never below 1, applied
        // before killContainer's preStop check): a grace of 0 still runs
        // preStop hooks, with 1 s.
        if self.term.is_none() && self.past_deadline(now) {
            self.fail_deadline_exceeded();
            self.begin_termination(now, self.worker_grace());
        }
        // upstream SyncPod: a pod whose generated status is terminal goes to
        // termination without computePodActions (no sidecar restarts).
        if self.term.is_none() && self.compute_phase(false).is_terminal() {
            self.begin_termination(now, self.worker_grace());
        }
        if self.term.is_none() {
            match self.sandbox {
                Sandbox::None => {
                    if self.sandbox_retry_at.is_none_or(|t| now >= t) {
                        self.sandbox_retry_at = None;
                        self.sandbox = Sandbox::Requested;
                        self.commands.push_back(Command::CreateSandbox);
                    }
                }
                Sandbox::Ready => self.compute_actions(now),
                Sandbox::Requested | Sandbox::Gone => {}
            }
        }
        if self.term.is_some() {
            self.progress_termination(now);
        }
        self.refresh(now);
        self.synced_at = Some(now);
    }

    /// What to start and kill (PL-9.2, PL-9.3).
    // upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go: computePodActions
    fn compute_actions(&mut self, now: i64) {
        let (initialized, init_kills) = self.init_actions(now);
        if self.term.is_some() {
            return;
        }
        if !initialized {
            self.run_init_actions(now, &init_kills);
            return;
        }
        let mut keep = 0usize;
        let mut to_start = 0usize;
        // Decided first, carried out after: when nothing is kept or started
        // the pod is killed instead, and upstream's SyncPod then ignores the
        // probe kills (KillPod wins over ContainersToKill); otherwise its
        // kills come before its starts.
        let mut starts: Vec<usize> = Vec::new();
        let mut kills: Vec<(usize, KillReason, String, bool)> = Vec::new();
        for i in self.n_init..self.containers.len() {
            let Some(c) = self.containers.get(i) else { continue };
            if !c.is_running() {
                if c.starting {
                    to_start = to_start.saturating_add(1);
                } else if self.should_restart(c) {
                    to_start = to_start.saturating_add(1);
                    starts.push(i);
                } else if let Some(c) = self.containers.get_mut(i) {
                    // A start-failure reason shows only for a container that
                    // will be restarted (convertToAPIContainerStatuses).
                    c.waiting = None;
                }
                continue;
            }
            if let Some(k) = &c.kill {
                if k.intended {
                    to_start = to_start.saturating_add(1);
                }
                continue;
            }
            let failed =
                |w: &Option<Worker>| w.as_ref().is_some_and(|w| w.result == Some(false) && !w.stopped);
            let reason = if c.run == Run::Running && failed(&c.liveness) {
                KillReason::LivenessProbe
            } else if c.run == Run::Running && failed(&c.startup) {
                KillReason::StartupProbe
            } else {
                keep = keep.saturating_add(1);
                continue;
            };
            let what = if reason == KillReason::LivenessProbe { "liveness" } else { "startup" };
            let message = format!("Container {} failed {what} probe", c.name);
            // The container is still running: its own policy (or the
            // pod's) decides, its rules do not.
            let restart = restart::restarts_on_failure(c.own_policy.as_ref(), &self.restart_policy);
            if restart {
                to_start = to_start.saturating_add(1);
            }
            kills.push((i, reason, message, restart));
        }
        if keep == 0 && to_start == 0 {
            // Nothing will run any more: kill the pod (sidecars included),
            // each container with the pod's grace and `Stopping container`.
            // The sidecar starts and kills decided above are dropped, so
            // that sidecars do not keep the pod alive (upstream clears
            // InitContainersToStart; KillPod wins over ContainersToKill).
            let grace = self.deletion_grace.unwrap_or(self.spec_grace);
            self.begin_termination(now, grace);
            return;
        }
        // upstream SyncPod: the kills first, then the init containers'
        // starts, then the regular containers'.
        self.run_init_kills(now, &init_kills);
        for (i, reason, message, restart) in kills {
            self.kill_for_restart(i, now, reason, message, restart);
        }
        self.run_init_starts(now);
        // upstream: SyncPod starts the containers one after another, and
        // startContainer runs a postStart hook before it returns, killing
        // the container when the hook fails (PL-10.1): the containers after
        // one whose hook runs wait for it. One never started yet goes
        // before a restart: upstream started it in the round whose hook
        // failed, once that kill was done, before the failed one came back.
        let (first, again): (Vec<usize>, Vec<usize>) =
            starts.into_iter().partition(|i| self.containers.get(*i).is_some_and(|c| c.instances == 0));
        for i in first.into_iter().chain(again) {
            if self.post_start_pending() {
                break;
            }
            self.try_start(i, now);
        }
    }

    /// Whether a regular container is being started with a postStart hook,
    /// or is running that hook.
    fn post_start_pending(&self) -> bool {
        self.containers
            .iter()
            .skip(self.n_init)
            .any(|c| c.run == Run::PostStart || (c.starting && c.post_start))
    }

    /// Kill a running container after a probe failure; with `restart`, it
    /// restarts when it exits, back-off permitting (see `on_exited`, PL-8.3).
    fn kill_for_restart(&mut self, i: usize, now: i64, reason: KillReason, message: String, restart: bool) {
        let grace = self.kill_grace(i, reason);
        let plan = KillPlan { grace, reason, message, ordered: false, restart, intended: restart };
        self.begin_kill(i, now, plan);
    }

    /// Whether a start failure of container `i` (a back-off, a failed pull
    /// or start) shows as its waiting reason (upstream:
    /// convertToAPIContainerStatuses): only for a container
    /// ShouldContainerBeRestarted would restart, and never for an init
    /// container (a sidecar included) whose newest run exited 0, which
    /// keeps showing that exit.
    fn shows_start_failure(&self, i: usize) -> bool {
        self.containers.get(i).is_some_and(|c| {
            let exited_zero = c.class != Class::Regular
                && c.run == Run::Stopped
                && c.exit.as_ref().is_some_and(|t| t.exit_code == 0);
            !exited_zero && self.should_restart(c)
        })
    }

    fn should_restart(&self, c: &Ctr) -> bool {
        // upstream: pkg/kubelet/container/helpers.go: ShouldContainerBeRestarted
        if self.deleted {
            return false;
        }
        match &c.exit {
            None => true,
            // With ContainerRestartRules, ContainerShouldRestart reads a
            // sidecar's own `Always`; without, the pod's policy decides.
            Some(_) if self.container_rules && c.class == Class::Sidecar => true,
            Some(t) => {
                restart::should_restart(c.own_policy.as_ref(), &c.rules, &self.restart_policy, t.exit_code)
            }
        }
    }

    /// Carries out what [`Self::init_actions`] decided: its kills, then its
    /// starts.
    fn run_init_actions(&mut self, now: i64, kills: &[(usize, KillReason)]) {
        self.run_init_kills(now, kills);
        self.run_init_starts(now);
    }

    /// Kills the sidecars whose startup or liveness probe failed, for a
    /// restart.
    fn run_init_kills(&mut self, now: i64, kills: &[(usize, KillReason)]) {
        for &(i, reason) in kills {
            let name = self.containers.get(i).map_or("", |c| &*c.name).to_owned();
            let what = if reason == KillReason::LivenessProbe { "liveness" } else { "startup" };
            // Sidecars restart whatever the pod's policy (PL-3.2).
            self.kill_for_restart(i, now, reason, format!("Init container {name} failed {what} probe"), true);
        }
    }

    /// The init containers to start, kept last to first in `scratch`.
    fn run_init_starts(&mut self, now: i64) {
        let to_start = std::mem::take(&mut self.scratch);
        for &i in to_start.iter().rev() {
            self.try_start(i, now);
        }
        self.scratch = to_start;
    }

    /// Init containers and sidecars, scanned last to first: decides
    /// (without carrying out) their kills, returned, and starts, left last
    /// to first in `scratch`. Returns whether the pod has initialized.
    // upstream: pkg/kubelet/kuberuntime/kuberuntime_container.go: computeInitContainerActions
    fn init_actions(&mut self, now: i64) -> (bool, Vec<(usize, KillReason)>) {
        let n_init = self.n_init;
        let regulars = self.containers.get(n_init..).unwrap_or(&[]);
        let regular_active = regulars.iter().any(|c| c.is_running() || c.starting);
        if n_init == 0 {
            self.scratch.clear();
            return (true, Vec::new());
        }
        let mut previously_initialized = regular_active;
        let mut initialized = regular_active;
        let mut to_start = std::mem::take(&mut self.scratch);
        to_start.clear();
        let mut kills: Vec<(usize, KillReason)> = Vec::new();
        for i in (0..n_init).rev() {
            let Some(c) = self.containers.get(i) else { continue };
            let sidecar = c.class == Class::Sidecar;
            if c.instances == 0 && !c.starting {
                if previously_initialized && sidecar {
                    to_start.push(i);
                }
                continue;
            }
            if previously_initialized && !sidecar {
                continue;
            }
            if c.starting || c.kill.is_some() || c.run == Run::PostStart {
                // In flight: created, being started or being killed.
            } else if c.run == Run::Running {
                if sidecar {
                    let startup = c.startup.as_ref().map(|w| w.result);
                    match startup {
                        Some(None) => {}
                        Some(Some(false)) => kills.push((i, KillReason::StartupProbe)),
                        _ => {
                            if i.saturating_add(1) == n_init {
                                initialized = true;
                            } else if !previously_initialized {
                                to_start.push(i.saturating_add(1));
                            }
                            if c.liveness.as_ref().is_some_and(|w| w.result == Some(false) && !w.stopped) {
                                kills.push((i, KillReason::LivenessProbe));
                            }
                        }
                    }
                }
            } else if let Some(exit) = &c.exit {
                let exit_code = exit.exit_code;
                // upstream: isInitContainerFailed also fails an OOM-killed
                // init container that exited 0.
                let failed = exit_code != 0 || exit.reason == "OOMKilled";
                // An init container that exited 0 is never shown waiting, nor
                // is a sidecar ShouldContainerBeRestarted would not restart
                // (a start failure it met, PostStartHookError say, shows
                // only while it applies: convertToAPIContainerStatuses).
                let hide = (!sidecar && !failed) || (sidecar && !self.shows_start_failure(i));
                if let Some(c) = self.containers.get_mut(i).filter(|_| hide) {
                    c.waiting = None;
                }
                if sidecar {
                    to_start.push(i);
                } else if failed {
                    // upstream computeInitContainerActions: with
                    // ContainerRestartRules, ShouldContainerBeRestarted
                    // (its rules and policy on the exit code, so an
                    // OOM-killed exit 0 under OnFailure stops the pod);
                    // without, the pod's policy alone.
                    let restarts = if self.container_rules {
                        self.containers.get(i).is_some_and(|c| self.should_restart(c))
                    } else {
                        self.restart_policy != RestartPolicy::Never
                    };
                    if !restarts {
                        to_start.clear();
                        self.scratch = to_start;
                        let grace = self.deletion_grace.unwrap_or(self.spec_grace);
                        self.begin_termination(now, grace);
                        return (false, Vec::new());
                    }
                    to_start.push(i);
                } else if i.saturating_add(1) == n_init {
                    initialized = true;
                } else {
                    to_start.push(i.saturating_add(1));
                }
            }
            previously_initialized = true;
        }
        if !previously_initialized {
            to_start.push(0);
        }
        self.scratch = to_start;
        (initialized, kills)
    }

    // ---- phase and conditions --------------------------------------------

    fn compute_phase(&self, pod_is_terminal: bool) -> PodPhase {
        let has_init = self.has_init();
        let (init, regular) = self.containers.split_at(self.n_init.min(self.containers.len()));
        if self.container_rules {
            let policy = &self.restart_policy;
            // upstream's getPhase asks ContainerShouldRestart (rules and
            // all) of every stopped container, as the runtime does of a
            // failed plain init container (see init_actions).
            let restarts = |c: &Ctr, view: ContainerView| {
                view.exit_code().is_some_and(|exit| {
                    restart::should_restart(c.own_policy.as_ref(), &c.rules, policy, exit)
                })
            };
            return crate::pod::phase_from_views_with_restarts(
                policy,
                init.iter().map(|c| {
                    let view = c.phase_view(has_init);
                    (c.class == Class::Sidecar, Some(view), restarts(c, view))
                }),
                regular.iter().map(|c| {
                    let view = c.phase_view(has_init);
                    (Some(view), restarts(c, view))
                }),
                pod_is_terminal,
                regular.iter().any(|c| c.instances > 0),
            );
        }
        phase_from_views(
            &self.restart_policy,
            init.iter().map(|c| (c.class == Class::Sidecar, Some(c.phase_view(has_init)))),
            regular.iter().map(|c| Some(c.phase_view(has_init))),
            pod_is_terminal,
            regular.iter().any(|c| c.instances > 0),
        )
    }

    /// Recomputes the phase (sticky once terminal) and the kubelet
    /// conditions' statuses, moving `lastTransitionTime` on flips (PL-6.8).
    fn refresh(&mut self, now: i64) {
        if !self.finished {
            let phase = if self.failed_by_kubelet { PodPhase::Failed } else { self.compute_phase(false) };
            if !self.phase.is_terminal() {
                self.phase = phase;
            }
        }
        if !self.phase.is_terminal() {
            // What status() shows now: a reason of another phase is gone.
            let (reason, message) = if self.phase == self.reason_phase {
                (self.reason.clone(), self.message.clone())
            } else {
                (None, None)
            };
            self.before_terminal = (self.phase.clone(), reason, message);
        }
        if self.phase.is_terminal() {
            // PL-7.3 step 1: workers stop for a terminal pod.
            for c in &mut self.containers {
                for w in c.workers_mut() {
                    if !w.stopped {
                        w.stop(w.result);
                    }
                }
            }
        }
        // Timers this sync has already acted on are spent.
        for c in &mut self.containers {
            if c.crash_wake.is_some_and(|t| t <= now) {
                c.crash_wake = None;
            }
            if c.retry_at.is_some_and(|t| t <= now) {
                c.retry_at = None;
            }
        }
        let statuses = self.condition_statuses();
        for (slot, status) in self.tracked.iter_mut().zip(statuses) {
            match slot {
                Some((prev, _)) if *prev == Some(status) => {}
                _ => *slot = Some((Some(status), Some(now))),
            }
        }
    }

    /// The status (True?) of PodReadyToStartContainers, Initialized, Ready,
    /// ContainersReady, PodScheduled, computed without building messages.
    fn condition_statuses(&self) -> [bool; 5] {
        let has_init = self.has_init();
        let terminal = self.phase.is_terminal();
        let containers_ready =
            !terminal && self.containers.iter().filter(|c| c.class != Class::Init).all(|c| c.ready(has_init));
        let regular_started = self.containers.iter().filter(|c| c.class == Class::Regular).any(|c| {
            matches!(c.view(has_init), ContainerView::Running { .. } | ContainerView::Terminated { .. })
        });
        let init_complete = self.containers.iter().all(|c| match c.class {
            Class::Init => c.ready(has_init),
            Class::Sidecar => c.started(),
            Class::Regular => true,
        });
        let initialized = self.phase == PodPhase::Succeeded || regular_started || init_complete;
        let sandbox_ready = self.sandbox == Sandbox::Ready;
        // Each gate is looked up where upstream looks: among the pod's
        // other conditions and the fresh PodReadyToStartContainers and
        // Initialized; the first of its type decides.
        let gates_ok = self.readiness_gates.iter().all(|g| match g.as_str() {
            pod_condition::POD_READY_TO_START_CONTAINERS if self.ready_to_start_gate => sandbox_ready,
            pod_condition::INITIALIZED => initialized,
            other if is_kubelet_condition_gated(other, self.ready_to_start_gate) => false,
            other => self
                .external
                .iter()
                .find(|c| c.type_ == other)
                .is_some_and(|c| c.status == ConditionStatus::True),
        });
        if let Some([i, r, cr, ps]) = &self.final_conditions {
            let is_true = |c: &Condition| c.status == ConditionStatus::True;
            return [sandbox_ready, is_true(i), is_true(r), is_true(cr), is_true(ps)];
        }
        [sandbox_ready, initialized, containers_ready && gates_ok, containers_ready, true]
    }

    // ---- status -------------------------------------------------------------

    /// The `observedGeneration` a condition of this type reports: the pod's
    /// generation with the gate on, or with it off when the pod's status
    /// already showed one for the type.
    fn condition_generation(&self, type_: &str) -> Option<i64> {
        let carried = self.conditions_generation_carried.iter().any(|t| t == type_);
        self.generation.filter(|_| self.generation_tracking || carried)
    }

    fn container_status(&self, c: &Ctr) -> ContainerStatus {
        let has_init = self.has_init();
        let (shown, last) = c.shown(has_init);
        let state = match shown {
            Shown::Running => ContainerState {
                running: Some(ContainerStateRunning {
                    started_at: Some(Time::from_unix(c.started_at)),
                    ..Default::default()
                }),
                ..ContainerState::default()
            },
            Shown::Terminated(t) => term_state(t, self.message_budget),
            Shown::Waiting(reason, message) => ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some(reason.to_owned()),
                    message: message.map(str::to_owned),
                    ..Default::default()
                }),
                ..ContainerState::default()
            },
        };
        ContainerStatus {
            name: c.name.to_string(),
            state: Some(state),
            last_state: Some(last.map(|t| term_state(t, self.message_budget)).unwrap_or_default()),
            ready: c.ready(has_init),
            restart_count: i32::try_from(c.restart_count).unwrap_or(i32::MAX),
            image: c.image.clone(),
            started: Some(c.started()),
            // Only for a container the runtime has created: the allocated
            // requests, and the resources applied.
            allocated_resources: c.created().then(|| c.resources.requests.clone()).flatten(),
            resources: c.created().then(|| c.resources.clone()),
            volume_mounts: (!c.volume_mounts.is_empty()).then(|| c.volume_mounts.clone()),
            ..ContainerStatus::default()
        }
    }

    /// The init container statuses in spec order and the app container
    /// statuses sorted by name, as the status lists them.
    fn split_statuses(&self) -> (Vec<ContainerStatus>, Vec<ContainerStatus>) {
        let (init, regular) = self.containers.split_at(self.n_init.min(self.containers.len()));
        let init_statuses: Vec<ContainerStatus> = init.iter().map(|c| self.container_status(c)).collect();
        let mut statuses: Vec<ContainerStatus> = regular.iter().map(|c| self.container_status(c)).collect();
        statuses.sort_by(|a, b| a.name.cmp(&b.name));
        (init_statuses, statuses)
    }

    /// Every container status, init containers first: what the condition
    /// generators read.
    fn all_statuses(&self) -> Vec<ContainerStatus> {
        let (mut all, regular) = self.split_statuses();
        all.extend(regular);
        all
    }

    /// A minimal spec carrying what the condition generators read.
    fn condition_spec(&self) -> PodSpec {
        let container = |c: &Ctr| Container {
            name: c.name.to_string(),
            restart_policy: (c.class == Class::Sidecar).then_some(ContainerRestartPolicy::Always),
            ..Container::default()
        };
        let (init, regular) = self.containers.split_at(self.n_init.min(self.containers.len()));
        PodSpec {
            init_containers: Some(init.iter().map(container).collect()),
            containers: regular.iter().map(container).collect(),
            readiness_gates: Some(
                self.readiness_gates
                    .iter()
                    .map(|g| PodReadinessGate { condition_type: g.clone(), ..Default::default() })
                    .collect(),
            ),
            restart_policy: Some(self.restart_policy.clone()),
            ..PodSpec::default()
        }
    }

    /// The pod status as the kubelet would report it now: phase, reason and
    /// message, conditions (non-kubelet ones first, then
    /// PodReadyToStartContainers, Initialized, Ready, ContainersReady,
    /// PodScheduled), pod IPs, startTime, init container statuses in spec
    /// order and app container statuses sorted by name.
    ///
    /// As the status manager writes it: while the kubelet's phase
    /// ([`phase`](Self::phase)) is terminal but containers are still being
    /// stopped, the phase, reason and message stay what they were and the
    /// kubelet's `DisruptionTarget` waits; both appear once the pod is
    /// [finished](Self::is_finished).
    // upstream: pkg/kubelet/kubelet_pods.go: generateAPIPodStatus, convertToAPIContainerStatuses;
    // pkg/kubelet/status/status_manager.go: mergePodStatus
    pub fn status(&self) -> PodStatus {
        let (init_statuses, statuses) = self.split_statuses();
        let all: Vec<ContainerStatus> = init_statuses.iter().chain(&statuses).cloned().collect();
        let spec = self.condition_spec();
        let phase = &self.phase;
        // The status manager's hold (upstream: status_manager.go
        // mergePodStatus): a pod whose containers could still be running
        // is not reported terminal. Until the pod worker has finished, the
        // API keeps the phase, reason and message it showed before, and the
        // kubelet's DisruptionTarget waits; the kubelet's own conditions
        // already follow the terminal phase (Ready=False, PodFailed).
        let held = phase.is_terminal() && !self.finished && !self.before_terminal.0.is_terminal();
        let mut conds: Vec<Condition> = self.external.clone();
        if held {
            conds.retain(|c| c.type_ != pod_condition::DISRUPTION_TARGET);
            conds.extend(self.api_disruption.clone());
        }
        let (shown_phase, shown_reason, shown_message) = if held {
            self.before_terminal.clone()
        } else if self.phase == self.reason_phase {
            (self.phase.clone(), self.reason.clone(), self.message.clone())
        } else {
            // upstream: generateAPIPodStatus keeps the reason and message
            // only while the phase stays.
            (self.phase.clone(), None, None)
        };
        // In TRACKED's order. Ready's readiness gates are looked up in the
        // conditions pushed before it (upstream: generateAPIPodStatus).
        for (slot, tracked) in self.tracked.iter().enumerate() {
            let frozen = self.final_conditions.as_ref().and_then(|f| f.get(slot.wrapping_sub(1))).cloned();
            let cond = match slot {
                0 => self
                    .ready_to_start_gate
                    .then(|| conditions::ready_to_start_containers_condition(self.sandbox == Sandbox::Ready)),
                _ if frozen.is_some() => frozen,
                1 => Some(conditions::initialized_condition(&spec, Some(&all), phase)),
                2 => Some(conditions::pod_ready_condition(&spec, &conds, Some(&all), phase)),
                3 => Some(conditions::containers_ready_condition(&spec, Some(&all), phase)),
                _ => Some(conditions::pod_scheduled_condition()),
            };
            let Some(mut cond) = cond else { continue };
            cond.last_transition_time = tracked.and_then(|(_, at)| at).map(Time::from_unix);
            // upstream: pkg/api/v1/pod/util.go: CalculatePodConditionObservedGeneration
            cond.observed_generation = self.condition_generation(&cond.type_);
            conds.push(cond);
        }
        let ip = self.pod_ip.clone().filter(|_| self.sandbox == Sandbox::Ready || self.finished);
        PodStatus {
            // upstream: pkg/api/v1/pod/util.go: CalculatePodStatusObservedGeneration
            observed_generation: self
                .generation
                .filter(|_| self.generation_tracking || self.status_generation_carried),
            phase: Some(shown_phase),
            conditions: Some(conds),
            qos_class: Some(self.qos_class.clone()),
            reason: shown_reason,
            message: shown_message,
            pod_ips: ip.clone().map(|ip| vec![PodIp { ip, ..Default::default() }]),
            pod_ip: ip,
            start_time: Some(Time::from_unix(self.start_time)),
            init_container_statuses: (!init_statuses.is_empty()).then_some(init_statuses),
            container_statuses: Some(statuses),
            ..PodStatus::default()
        }
    }
}

/// The opt-in start jitter of one probe worker: `0` without a seed, else a
/// whole number of seconds in `[0, period)` from a SplitMix64 mix of the
/// seed, the container's index and the probe type. Only a container's first
/// instance is jittered, as upstream's worker sleeps once when it starts.
fn probe_jitter(seed: Option<u64>, container: usize, w: &Worker) -> i64 {
    let Some(seed) = seed else { return 0 };
    let kind = match w.kind {
        ProbeKind::Startup => 1u64,
        ProbeKind::Liveness => 2,
        ProbeKind::Readiness => 3,
    };
    let mut z = seed
        .wrapping_add(u64::try_from(container).unwrap_or(u64::MAX).wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(kind.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    let period = u64::try_from(w.period.max(1)).unwrap_or(1);
    i64::try_from(z % period).unwrap_or(0)
}
