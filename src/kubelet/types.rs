//! The vocabulary of the pod state machine: events in, commands out, config.
//!
//! upstream: the commands are the kubelet's calls into the container
//! runtime (pkg/kubelet/kuberuntime: createPodSandbox, startContainer,
//! killContainer, runner for hooks; pkg/kubelet/prober/prober.go for
//! probes), the events what its PLEG, prober and hook runner report back;
//! the config mirrors KubeletConfiguration fields and the back-off
//! constants of pkg/kubelet/kubelet.go. Deviation: stop and kill are two
//! commands (upstream's `StopContainer(timeout)` does both).

use std::fmt;
use std::sync::Arc;

use crate::api::Condition;
use crate::features::FeatureGates;

/// The three probe types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProbeKind {
    /// `startupProbe`: gates the other two until it succeeds.
    Startup,
    /// `livenessProbe`: a stored failure kills the container.
    Liveness,
    /// `readinessProbe`: decides the container's `ready`.
    Readiness,
}

impl ProbeKind {
    /// The name as upstream logs it (`liveness`, `readiness`, `startup`).
    pub fn as_str(&self) -> &'static str {
        match self {
            ProbeKind::Startup => "startup",
            ProbeKind::Liveness => "liveness",
            ProbeKind::Readiness => "readiness",
        }
    }
}

/// The outcome of running one probe, as the executor observed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeOutcome {
    /// The check passed (an HTTP 3xx not followed counts as success, as
    /// upstream's `Warning`).
    Success,
    /// The check failed (exit non-zero, HTTP status >= 400, connection
    /// refused, timeout).
    Failure,
    /// The probe could not be run at all (upstream's probe *error*). It is
    /// discarded: nothing changes, counters included.
    Error,
}

/// The two lifecycle hooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HookKind {
    /// Runs right after the container starts; failure kills it.
    PostStart,
    /// Runs before the stop signal when the kubelet kills the container.
    PreStop,
}

impl HookKind {
    /// The field name (`postStart`, `preStop`).
    pub fn as_str(&self) -> &'static str {
        match self {
            HookKind::PostStart => "postStart",
            HookKind::PreStop => "preStop",
        }
    }
}

/// The outcome of a lifecycle hook. HTTP hooks fail only on transport
/// errors: the status code is not checked (upstream:
/// pkg/kubelet/lifecycle/handlers.go runHTTPHandler), so an executor should
/// report an HTTP 500 as `Success`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HookOutcome {
    /// The handler returned normally.
    Success,
    /// The handler failed, with the error text (for an exec hook the
    /// runtime's, such as `command 'x' exited with 1`). The waiting state
    /// shows it in upstream's message (`Exec lifecycle hook ([x]) for
    /// Container "app" in Pod "web_default(uid)" failed - error: …`).
    Failure(String),
}

/// Why a container is being killed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KillReason {
    /// The liveness probe failed.
    LivenessProbe,
    /// The startup probe failed.
    StartupProbe,
    /// The postStart hook failed.
    FailedPostStartHook,
    /// The pod is being terminated (deletion, deadline, completion).
    PodTermination,
}

/// A fact the executor observed, fed to [`crate::kubelet::PodLifecycle::handle`].
///
/// Containers are named by their spec name; probe and hook results also
/// carry the `attempt` (the restart count of the instance) that the command
/// named, so a late result for an older instance is ignored.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The pod sandbox exists, is ready and has its network (`pod_ip` for
    /// non-host-network pods). A sandbox reported without an IP is taken as
    /// ready whatever the pod's network: the caller reports only a sandbox
    /// it can use (upstream's PodSandboxChanged would find a
    /// non-host-network sandbox without an IP unusable, create a new one,
    /// and keep `PodReadyToStartContainers` False meanwhile).
    SandboxReady {
        /// The pod's IP, if it has one.
        pod_ip: Option<String>,
    },
    /// Creating the sandbox failed (`FailedCreatePodSandBox`); it is tried
    /// again after `resync_after_error_seconds`.
    SandboxCreateFailed {
        /// The runtime's error.
        message: String,
    },
    /// The runtime started the container asked for by
    /// [`Command::StartContainer`]; `now` is its `startedAt`.
    ContainerStarted {
        /// The container.
        container: Arc<str>,
    },
    /// The image of a container could not be pulled (`ErrImagePull`).
    ImagePullFailed {
        /// The container.
        container: Arc<str>,
        /// The pull error, shown as the waiting message.
        message: String,
    },
    /// Starting the container failed before it ran (`reason` such as
    /// `CreateContainerConfigError` or `RunContainerError`). With
    /// `RunContainerError` the runtime had created the container: it counts
    /// as an instance that exited (see the module's notes on failed starts).
    /// A pull error's reason (`ErrImagePull`, `RegistryUnavailable`,
    /// `SignatureValidationFailed`: [`crate::pod::reasons::is_pull_error`])
    /// is a failed pull, as [`Event::ImagePullFailed`] with that reason.
    ContainerStartFailed {
        /// The container.
        container: Arc<str>,
        /// The waiting reason to report.
        reason: String,
        /// The waiting message to report.
        message: String,
    },
    /// The container's current instance exited; `now` is its `finishedAt`.
    ContainerExited {
        /// The container.
        container: Arc<str>,
        /// The exit code (137 after SIGKILL, 143 after SIGTERM...).
        exit_code: i32,
        /// The runtime's reason; `None` gives `Completed` / `Error`.
        reason: Option<String>,
        /// The termination message, if any.
        message: Option<String>,
    },
    /// A probe asked for by [`Command::RunProbe`] finished.
    ProbeResult {
        /// The container.
        container: Arc<str>,
        /// The instance the probe ran against.
        attempt: u32,
        /// Which probe.
        probe: ProbeKind,
        /// What it observed.
        outcome: ProbeOutcome,
    },
    /// A hook asked for by [`Command::RunHook`] finished.
    HookFinished {
        /// The container.
        container: Arc<str>,
        /// The instance the hook ran in.
        attempt: u32,
        /// Which hook.
        hook: HookKind,
        /// How it ended.
        outcome: HookOutcome,
    },
    /// The API server set `deletionTimestamp` with this
    /// `deletionGracePeriodSeconds` (`None`: the pod's
    /// `terminationGracePeriodSeconds`).
    DeletionRequested {
        /// The grace period granted by the delete request.
        grace_period_seconds: Option<i64>,
    },
    /// The kubelet itself terminates the pod: node-pressure eviction
    /// (`reason` `Evicted`), graceful node shutdown (`reason` `Terminated`,
    /// message `Pod was terminated in response to imminent node
    /// shutdown.`)... The pod fails with this reason and message, gets
    /// `DisruptionTarget=True` (reason `TerminationByKubelet`, the same
    /// message), and is terminated with the grace override (`None`: the
    /// pod's grace).
    Evicted {
        /// The pod's `status.reason`.
        reason: String,
        /// The pod's `status.message`.
        message: String,
        /// The kubelet's grace period override (hard eviction: 0, which
        /// becomes the 1 s minimum).
        grace_period_override_seconds: Option<i64>,
    },
    /// Another actor set a pod condition (a readiness gate's condition type,
    /// or `DisruptionTarget`). Kubelet-owned types are ignored.
    ConditionChanged {
        /// The condition as written by that actor.
        condition: Condition,
    },
    /// The API server raised the pod's `metadata.generation`: a spec
    /// update, or the bump of its first deletion (upstream:
    /// rest.BeforeDelete). With `PodObservedGenerationTracking` on, the
    /// status and the kubelet's conditions report it from now on, as
    /// upstream's generateAPIPodStatus reads the pod's current generation.
    GenerationChanged {
        /// The pod's new `metadata.generation`.
        generation: i64,
    },
}

/// What the executor must do next, from [`crate::kubelet::PodLifecycle::poll_command`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Create the pod sandbox (network namespace, IP); answer with
    /// [`Event::SandboxReady`].
    CreateSandbox,
    /// Pull the image if needed, create and start a new instance of the
    /// container (`attempt` is its restart count); answer with
    /// [`Event::ContainerStarted`], [`Event::ImagePullFailed`] or
    /// [`Event::ContainerStartFailed`].
    StartContainer {
        /// The container.
        container: Arc<str>,
        /// The restart count the new instance will have.
        attempt: u32,
    },
    /// Run one probe of the container's spec with this timeout; answer with
    /// [`Event::ProbeResult`].
    RunProbe {
        /// The container.
        container: Arc<str>,
        /// The instance to probe.
        attempt: u32,
        /// Which probe.
        probe: ProbeKind,
        /// `timeoutSeconds` of the probe (default 1).
        timeout_seconds: i32,
    },
    /// Run a lifecycle hook; answer with [`Event::HookFinished`]. A preStop
    /// hook that has not finished within `timeout_seconds` is abandoned.
    RunHook {
        /// The container.
        container: Arc<str>,
        /// The instance to run it in.
        attempt: u32,
        /// Which hook.
        hook: HookKind,
        /// The most it may take (`None`: no kubelet timeout, as upstream for
        /// postStart).
        timeout_seconds: Option<i64>,
    },
    /// Send the container its stop signal. If it has not exited after
    /// `grace_period_seconds`, a [`Command::KillContainer`] follows.
    StopContainer {
        /// The container.
        container: Arc<str>,
        /// The instance to stop.
        attempt: u32,
        /// Seconds left before the kill is forced (at least 2).
        grace_period_seconds: i64,
        /// Why.
        reason: KillReason,
        /// Upstream's kill message (`Container app failed liveness probe,
        /// will be restarted`...).
        message: String,
    },
    /// The grace period is over: SIGKILL the container now.
    KillContainer {
        /// The container.
        container: Arc<str>,
        /// The instance to kill.
        attempt: u32,
    },
    /// Every container has stopped and the pod is finished: remove the
    /// sandbox.
    KillSandbox,
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Command::CreateSandbox => write!(f, "create sandbox"),
            Command::StartContainer { container, attempt } => write!(f, "start {container}#{attempt}"),
            Command::RunProbe { container, attempt, probe, timeout_seconds } => {
                write!(f, "probe {} {container}#{attempt} (timeout {timeout_seconds}s)", probe.as_str())
            }
            Command::RunHook { container, attempt, hook, timeout_seconds } => {
                write!(f, "run {} hook in {container}#{attempt}", hook.as_str())?;
                match timeout_seconds {
                    Some(t) => write!(f, " (at most {t}s)"),
                    None => Ok(()),
                }
            }
            Command::StopContainer { container, attempt, grace_period_seconds, message, .. } => {
                write!(f, "stop {container}#{attempt} with {grace_period_seconds}s grace: {message}")
            }
            Command::KillContainer { container, attempt } => {
                write!(f, "kill {container}#{attempt} (grace period over)")
            }
            Command::KillSandbox => write!(f, "kill sandbox"),
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Event::SandboxReady { pod_ip } => match pod_ip {
                Some(ip) => write!(f, "sandbox ready with IP {ip}"),
                None => write!(f, "sandbox ready"),
            },
            Event::SandboxCreateFailed { message } => write!(f, "sandbox creation failed: {message}"),
            Event::ContainerStarted { container } => write!(f, "{container} started"),
            Event::ImagePullFailed { container, message } => {
                write!(f, "{container} image pull failed: {message}")
            }
            Event::ContainerStartFailed { container, reason, message } => {
                write!(f, "{container} failed to start: {reason}: {message}")
            }
            Event::ContainerExited { container, exit_code, .. } => {
                write!(f, "{container} exited with {exit_code}")
            }
            Event::ProbeResult { container, attempt, probe, outcome } => {
                write!(f, "{} probe of {container}#{attempt}: {outcome:?}", probe.as_str())
            }
            Event::HookFinished { container, attempt, hook, outcome } => match outcome {
                HookOutcome::Success => {
                    write!(f, "{} hook of {container}#{attempt} succeeded", hook.as_str())
                }
                HookOutcome::Failure(e) => {
                    write!(f, "{} hook of {container}#{attempt} failed: {e}", hook.as_str())
                }
            },
            Event::DeletionRequested { grace_period_seconds } => match grace_period_seconds {
                Some(g) => write!(f, "deletion requested with {g}s grace"),
                None => write!(f, "deletion requested"),
            },
            Event::Evicted { reason, message, .. } => {
                write!(f, "evicted by the kubelet: {reason}: {message}")
            }
            Event::ConditionChanged { condition } => {
                write!(f, "condition {} set to {}", condition.type_, condition.status.as_str())
            }
            Event::GenerationChanged { generation } => write!(f, "generation changed to {generation}"),
        }
    }
}

/// Back-off parameters: `initial` delay, doubled per restart up to `max`,
/// and forgotten when `reset_after` seconds pass between the last restart
/// and the next exit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BackoffConfig {
    /// First delay in seconds (upstream: 10).
    pub initial_seconds: i64,
    /// Largest delay in seconds (upstream: 300).
    pub max_seconds: i64,
    /// A container that ran longer than this since its last restart starts
    /// over at `initial` (upstream: 600, hard-coded).
    pub reset_after_seconds: i64,
}

/// The kubelet's default `crashLoopBackOff.maxContainerRestartPeriod`
/// (upstream: `MaxContainerBackOff`, set by the kubelet configuration's
/// defaulting when `KubeletCrashLoopBackOffMax` is on).
pub const DEFAULT_MAX_CONTAINER_RESTART_PERIOD_SECONDS: i64 = 300;

impl BackoffConfig {
    /// Upstream's CrashLoopBackOff on a node that leaves
    /// `crashLoopBackOff.maxContainerRestartPeriod` unset: 10 s doubling to
    /// 300 s, reset after 600 s. With `ReduceDefaultCrashLoopBackOffDecay`
    /// it starts at 1 s and tops out at 60 s, unless
    /// `KubeletCrashLoopBackOffMax` is on (its default from 1.35): then the
    /// node's setting, defaulted to 300 s, is the maximum (1 s to 300 s).
    /// upstream: pkg/kubelet/kubelet.go newCrashLoopBackOff,
    /// pkg/kubelet/apis/config/v1beta1/defaults.go.
    pub fn crash_loop(features: &FeatureGates) -> BackoffConfig {
        BackoffConfig::crash_loop_with_max(features, DEFAULT_MAX_CONTAINER_RESTART_PERIOD_SECONDS)
    }

    /// CrashLoopBackOff on a node whose
    /// `crashLoopBackOff.maxContainerRestartPeriod` is
    /// `max_container_restart_period_seconds` (clamped to 1..=300 s, the
    /// range kubelet validation allows). With `KubeletCrashLoopBackOffMax`
    /// that is the maximum, and the initial delay is at most that; it takes
    /// precedence over `ReduceDefaultCrashLoopBackOffDecay`. Without the
    /// gate the setting is ignored.
    pub fn crash_loop_with_max(
        features: &FeatureGates,
        max_container_restart_period_seconds: i64,
    ) -> BackoffConfig {
        let base = if features.reduce_default_crash_loop_back_off_decay {
            BackoffConfig { initial_seconds: 1, max_seconds: 60, reset_after_seconds: 600 }
        } else {
            BackoffConfig { initial_seconds: 10, max_seconds: 300, reset_after_seconds: 600 }
        };
        if !features.kubelet_crash_loop_back_off_max {
            return base;
        }
        let max = max_container_restart_period_seconds.clamp(1, 300);
        BackoffConfig { initial_seconds: base.initial_seconds.min(max), max_seconds: max, ..base }
    }

    /// Upstream's image pull back-off: 10 s doubling to 300 s
    /// (`MaxImageBackOff`), forgotten after twice the max.
    pub fn image_pull() -> BackoffConfig {
        BackoffConfig { initial_seconds: 10, max_seconds: 300, reset_after_seconds: 600 }
    }
}

/// Kubelet-wide settings for [`crate::kubelet::PodLifecycle`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubeletConfig {
    /// Feature gates (defaults: upstream's).
    pub features: FeatureGates,
    /// CrashLoopBackOff parameters. They are derived from the gates when
    /// the config is made ([`KubeletConfig::with_features`]; upstream's
    /// newCrashLoopBackOff reads `ReduceDefaultCrashLoopBackOffDecay` and
    /// `KubeletCrashLoopBackOffMax` once, at kubelet start), not when
    /// [`features`](Self::features) is changed afterwards: a caller that
    /// changes those two gates on a made config sets this field too, with
    /// [`BackoffConfig::crash_loop`] or [`BackoffConfig::crash_loop_with_max`].
    pub crash_loop_back_off: BackoffConfig,
    /// Image pull back-off parameters.
    pub image_pull_back_off: BackoffConfig,
    /// How long after a failed start (image pull, config error) the pod is
    /// synced again (upstream: pod worker `backOffPeriod`, 10 s, here
    /// without jitter).
    pub resync_after_error_seconds: i64,
    /// Probe start jitter, off (`None`) by default so the same events give
    /// the same commands. Upstream's probe worker first sleeps a random
    /// fraction of its period when the kubelet has just started
    /// (pkg/kubelet/prober/worker.go: run); a caller that wants that spread
    /// passes a seed, and each probe's first tick is then delayed by a whole
    /// number of seconds in `[0, periodSeconds)` derived from the seed, the
    /// container and the probe type — still reproducible for one seed.
    pub probe_start_jitter_seed: Option<u64>,
    /// Whether the runtime handler supports recursive read-only mounts
    /// (upstream: the handler's `SupportsRecursiveReadOnlyMounts` from the
    /// CRI). It decides what a read-only mount that asks for
    /// `recursiveReadOnly: IfPossible` or `Enabled` shows in the container
    /// status: `Enabled` with support, `Disabled` without. Off by default,
    /// as for a runtime that does not report its handlers.
    pub runtime_supports_recursive_read_only_mounts: bool,
}

impl Default for KubeletConfig {
    fn default() -> Self {
        KubeletConfig::with_features(FeatureGates::default())
    }
}

impl KubeletConfig {
    /// The default config under `features`, its CrashLoopBackOff parameters
    /// derived from them (with the default `maxContainerRestartPeriod`).
    ///
    /// ```
    /// use kube_workloads::FeatureGates;
    /// use kube_workloads::kubelet::KubeletConfig;
    ///
    /// let mut gates = FeatureGates::default();
    /// gates.reduce_default_crash_loop_back_off_decay = true;
    /// gates.kubelet_crash_loop_back_off_max = false;
    /// let config = KubeletConfig::with_features(gates);
    /// assert_eq!((config.crash_loop_back_off.initial_seconds, config.crash_loop_back_off.max_seconds), (1, 60));
    /// ```
    pub fn with_features(features: FeatureGates) -> KubeletConfig {
        KubeletConfig {
            crash_loop_back_off: BackoffConfig::crash_loop(&features),
            image_pull_back_off: BackoffConfig::image_pull(),
            features,
            resync_after_error_seconds: 10,
            probe_start_jitter_seed: None,
            runtime_supports_recursive_read_only_mounts: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The gates given to with_features decide the CrashLoopBackOff
    // parameters, as newCrashLoopBackOff reads them at kubelet start.
    #[test]
    fn with_features_derives_the_crash_loop_back_off() {
        let mut gates = FeatureGates::default();
        assert_eq!(KubeletConfig::with_features(gates.clone()), KubeletConfig::default());
        gates.reduce_default_crash_loop_back_off_decay = true;
        gates.kubelet_crash_loop_back_off_max = false;
        let c = KubeletConfig::with_features(gates.clone()).crash_loop_back_off;
        assert_eq!((c.initial_seconds, c.max_seconds), (1, 60));
        assert_eq!(c, BackoffConfig::crash_loop(&gates));
    }

    // upstream: pkg/kubelet/kubelet.go newCrashLoopBackOff (constants per gate)
    #[test]
    fn crash_loop_constants_per_gate() {
        // 1.35 defaults: KubeletCrashLoopBackOffMax on, the node max 300 s.
        let mut features = FeatureGates::default();
        assert!(features.kubelet_crash_loop_back_off_max);
        assert_eq!(
            BackoffConfig::crash_loop(&features),
            BackoffConfig { initial_seconds: 10, max_seconds: 300, reset_after_seconds: 600 }
        );
        // The reduced decay starts at 1 s, but the defaulted node max (300 s)
        // wins over its 60 s.
        features.reduce_default_crash_loop_back_off_decay = true;
        let c = BackoffConfig::crash_loop(&features);
        assert_eq!((c.initial_seconds, c.max_seconds), (1, 300));
        let c = BackoffConfig::crash_loop_with_max(&features, 120);
        assert_eq!((c.initial_seconds, c.max_seconds), (1, 120));
        features.reduce_default_crash_loop_back_off_decay = false;
        let c = BackoffConfig::crash_loop_with_max(&features, 5);
        assert_eq!((c.initial_seconds, c.max_seconds), (5, 5));
        let c = BackoffConfig::crash_loop_with_max(&features, 60);
        assert_eq!((c.initial_seconds, c.max_seconds), (10, 60));
        // Without the gate the node setting is ignored, and the reduced
        // decay keeps its 60 s.
        features.kubelet_crash_loop_back_off_max = false;
        assert_eq!(BackoffConfig::crash_loop_with_max(&features, 5).max_seconds, 300);
        features.reduce_default_crash_loop_back_off_decay = true;
        let c = BackoffConfig::crash_loop(&features);
        assert_eq!((c.initial_seconds, c.max_seconds), (1, 60));
    }

    #[test]
    fn command_display() {
        let c = Command::StopContainer {
            container: "app".into(),
            attempt: 2,
            grace_period_seconds: 28,
            reason: KillReason::LivenessProbe,
            message: "Container app failed liveness probe, will be restarted".into(),
        };
        assert_eq!(
            c.to_string(),
            "stop app#2 with 28s grace: Container app failed liveness probe, will be restarted"
        );
    }
}
