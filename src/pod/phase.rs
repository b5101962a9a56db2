//! The pod phase the kubelet computes from the spec and container statuses.
//!
//! upstream: pkg/kubelet/kubelet_pods.go getPhase (newest, sidecar-aware);
//! tests pkg/kubelet/kubelet_pods_test.go TestPodPhaseWithRestartAlways,
//! TestPodPhaseWithRestartNever, TestPodPhaseWithRestartOnFailure,
//! TestPodPhaseWithRestartAlwaysInitContainers,
//! TestPodPhaseWithRestartAlwaysRestartableInitContainers...
//!
//! With `ContainerRestartRules` on, [`phase_from_views_with_restarts`] and
//! [`get_phase_with_gates`] decide per container, as upstream's 1.35
//! getPhase does: every stopped container (a failed plain init container
//! included) is asked `ContainerShouldRestart` with its exit code, rules
//! and all.
//! Deviation: static pods are not modelled (every pod is an API pod).

use crate::FeatureGates;
use crate::api::{Container, ContainerStatus, PodPhase, PodSpec, PodStatus, RestartPolicy};

/// What getPhase needs to know about one container's status, extracted from
/// a [`ContainerStatus`] (or from the kubelet state machine directly).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerView {
    /// `state.running`; `started` is the status's `started` flag.
    Running {
        /// Whether `started` is true.
        started: bool,
    },
    /// `state.terminated` with this exit code.
    Terminated {
        /// The exit code.
        exit_code: i32,
    },
    /// `state.waiting` with `lastState.terminated` carrying this exit code
    /// (a crash-looping container).
    WaitingAfterExit {
        /// The exit code of the last termination.
        exit_code: i32,
    },
    /// `state.waiting` with no last termination.
    Waiting,
    /// No state set at all.
    Empty,
}

impl ContainerView {
    /// The exit code of a stopped container (terminated, or waiting after
    /// an exit); `None` otherwise.
    pub fn exit_code(self) -> Option<i32> {
        match self {
            ContainerView::Terminated { exit_code } | ContainerView::WaitingAfterExit { exit_code } => {
                Some(exit_code)
            }
            _ => None,
        }
    }

    /// Classifies an API container status the way getPhase does.
    pub fn of(status: &ContainerStatus) -> ContainerView {
        let Some(state) = status.state.as_ref() else { return ContainerView::Empty };
        if state.running.is_some() {
            ContainerView::Running { started: status.started == Some(true) }
        } else if let Some(t) = state.terminated.as_ref() {
            ContainerView::Terminated { exit_code: t.exit_code }
        } else if state.waiting.is_some() {
            match status.last_state.as_ref().and_then(|l| l.terminated.as_ref()) {
                Some(t) => ContainerView::WaitingAfterExit { exit_code: t.exit_code },
                None => ContainerView::Waiting,
            }
        } else {
            ContainerView::Empty
        }
    }
}

/// Computes the phase from views of each container, in spec order:
/// `init` yields `(is_sidecar, view)` per init container, `regular` a view
/// per app container; `None` means the container has no status.
///
/// `pod_is_terminal`: the kubelet has finished terminating the pod.
/// `pod_has_initialized`: some regular container has been started.
// upstream: pkg/kubelet/kubelet_pods.go: getPhase
pub fn phase_from_views(
    restart_policy: &RestartPolicy,
    init: impl IntoIterator<Item = (bool, Option<ContainerView>)>,
    regular: impl IntoIterator<Item = Option<ContainerView>>,
    pod_is_terminal: bool,
    pod_has_initialized: bool,
) -> PodPhase {
    phase(
        restart_policy,
        init.into_iter().map(|(sidecar, view)| (sidecar, view, false)),
        regular.into_iter().map(|view| (view, false)),
        pod_is_terminal,
        pod_has_initialized,
        false,
    )
}

/// [`phase_from_views`] with `ContainerRestartRules` on, where containers
/// may carry their own restart policy: each init container and each app
/// container comes with whether it restarts after its last exit
/// ([`super::restart::container_should_restart`] on the view's exit code,
/// its rules included; read only for a stopped container). A failed plain
/// init container that is not restarted fails the pod; when every app
/// container has stopped, the pod runs on if one of them restarts, else it
/// succeeded or failed.
// upstream: pkg/kubelet/kubelet_pods.go: getPhase (ContainerRestartRules
// branches: failedInitializationNotRestartable, stoppedNotRestartable).
pub fn phase_from_views_with_restarts(
    restart_policy: &RestartPolicy,
    init: impl IntoIterator<Item = (bool, Option<ContainerView>, bool)>,
    regular: impl IntoIterator<Item = (Option<ContainerView>, bool)>,
    pod_is_terminal: bool,
    pod_has_initialized: bool,
) -> PodPhase {
    phase(restart_policy, init, regular, pod_is_terminal, pod_has_initialized, true)
}

fn phase(
    restart_policy: &RestartPolicy,
    init: impl IntoIterator<Item = (bool, Option<ContainerView>, bool)>,
    regular: impl IntoIterator<Item = (Option<ContainerView>, bool)>,
    pod_is_terminal: bool,
    pod_has_initialized: bool,
    per_container: bool,
) -> PodPhase {
    let (mut pending_init, mut failed_init) = (0u32, 0u32);
    // Stopped app containers that will not run again (per_container only).
    let mut stopped_for_good = 0u32;
    let (mut pending_sidecar, mut running, mut waiting, mut stopped, mut succeeded, mut unknown) =
        (0u32, 0u32, 0u32, 0u32, 0u32, 0u32);

    for (is_sidecar, view, restarted) in init {
        if is_sidecar {
            match view {
                None => unknown = unknown.saturating_add(1),
                Some(ContainerView::Running { started }) => {
                    running = running.saturating_add(1);
                    if !started {
                        pending_sidecar = pending_sidecar.saturating_add(1);
                    }
                }
                Some(ContainerView::Terminated { .. } | ContainerView::WaitingAfterExit { .. }) => {}
                Some(ContainerView::Waiting) => {
                    pending_sidecar = pending_sidecar.saturating_add(1);
                    waiting = waiting.saturating_add(1);
                }
                Some(ContainerView::Empty) => {
                    pending_sidecar = pending_sidecar.saturating_add(1);
                    unknown = unknown.saturating_add(1);
                }
            }
        } else {
            match view {
                Some(
                    ContainerView::Terminated { exit_code } | ContainerView::WaitingAfterExit { exit_code },
                ) => {
                    // Per container, only a failure nothing restarts counts.
                    if exit_code != 0 && !(per_container && restarted) {
                        failed_init = failed_init.saturating_add(1);
                    }
                }
                _ => pending_init = pending_init.saturating_add(1),
            }
        }
    }

    for (view, restarts) in regular {
        match view {
            None | Some(ContainerView::Empty) => unknown = unknown.saturating_add(1),
            Some(ContainerView::Running { .. }) => running = running.saturating_add(1),
            Some(ContainerView::Terminated { exit_code }) => {
                stopped = stopped.saturating_add(1);
                if exit_code == 0 {
                    succeeded = succeeded.saturating_add(1);
                }
                if !restarts {
                    stopped_for_good = stopped_for_good.saturating_add(1);
                }
            }
            // A crash-looping container counts as stopped (not waiting), and
            // is not counted as succeeded even after an exit 0.
            Some(ContainerView::WaitingAfterExit { .. }) => {
                stopped = stopped.saturating_add(1);
                if !restarts {
                    stopped_for_good = stopped_for_good.saturating_add(1);
                }
            }
            Some(ContainerView::Waiting) => waiting = waiting.saturating_add(1),
        }
    }

    // Without container policies a failed init container fails the pod
    // under Never; with them, one that is not restarted does.
    if failed_init > 0 && (per_container || *restart_policy == RestartPolicy::Never) {
        return PodPhase::Failed;
    }
    if pending_init > 0 || (pending_sidecar > 0 && !pod_has_initialized) || waiting > 0 {
        return PodPhase::Pending;
    }
    if running > 0 && unknown == 0 {
        return PodPhase::Running;
    }
    if running == 0 && stopped > 0 && unknown == 0 {
        if pod_is_terminal {
            return if stopped == succeeded { PodPhase::Succeeded } else { PodPhase::Failed };
        }
        if per_container {
            return if stopped != stopped_for_good {
                PodPhase::Running
            } else if stopped == succeeded {
                PodPhase::Succeeded
            } else {
                PodPhase::Failed
            };
        }
        return match restart_policy {
            RestartPolicy::Always => PodPhase::Running,
            _ if stopped == succeeded => PodPhase::Succeeded,
            RestartPolicy::Never => PodPhase::Failed,
            // OnFailure (and unknown policies, treated like it): a failed
            // container is being restarted.
            _ => PodPhase::Running,
        };
    }
    PodPhase::Pending
}

/// The phase getPhase computes for `spec` from the init and app container
/// statuses in `status` (looked up by name in both lists, as upstream).
///
/// ```
/// use kube_workloads::api::{PodPhase, PodSpec, PodStatus};
/// use kube_workloads::pod::get_phase;
/// let spec: PodSpec = serde_json::from_value(serde_json::json!({
///     "restartPolicy": "Never", "containers": [{"name": "a"}]})).unwrap();
/// let status: PodStatus = serde_json::from_value(serde_json::json!({"containerStatuses": [
///     {"name": "a", "ready": false, "restartCount": 0, "image": "", "imageID": "",
///      "state": {"terminated": {"exitCode": 1}}}]})).unwrap();
/// assert_eq!(get_phase(&spec, &status, false, true), PodPhase::Failed);
/// ```
// upstream: pkg/kubelet/kubelet_pods.go: getPhase
pub fn get_phase(
    spec: &PodSpec,
    status: &PodStatus,
    pod_is_terminal: bool,
    pod_has_initialized: bool,
) -> PodPhase {
    let find = |name: &str| find_view(status, name);
    phase_from_views(
        &spec.restart_policy(),
        spec.init_containers().iter().map(|c| (c.is_sidecar(), find(&c.name))),
        spec.containers.iter().map(|c| find(&c.name)),
        pod_is_terminal,
        pod_has_initialized,
    )
}

/// [`get_phase`] under `gates`: with `ContainerRestartRules` on, each
/// stopped container's own policy and rules decide whether it restarts
/// (see [`phase_from_views_with_restarts`]); off, the pod's policy does,
/// as [`get_phase`].
///
/// ```
/// use kube_workloads::FeatureGates;
/// use kube_workloads::api::{PodPhase, PodSpec, PodStatus};
/// use kube_workloads::pod::phase::get_phase_with_gates;
/// // The pod says Never, the container says OnFailure: it is restarting.
/// let spec: PodSpec = serde_json::from_value(serde_json::json!({"restartPolicy": "Never",
///     "containers": [{"name": "a", "restartPolicy": "OnFailure"}]})).unwrap();
/// let status: PodStatus = serde_json::from_value(serde_json::json!({"containerStatuses": [
///     {"name": "a", "ready": false, "restartCount": 0, "image": "", "imageID": "",
///      "state": {"terminated": {"exitCode": 1}}}]})).unwrap();
/// let mut gates = FeatureGates::default();
/// gates.container_restart_rules = true;
/// assert_eq!(get_phase_with_gates(&spec, &status, false, true, &gates), PodPhase::Running);
/// gates.container_restart_rules = false;
/// assert_eq!(get_phase_with_gates(&spec, &status, false, true, &gates), PodPhase::Failed);
/// ```
// upstream: pkg/kubelet/kubelet_pods.go: getPhase
pub fn get_phase_with_gates(
    spec: &PodSpec,
    status: &PodStatus,
    pod_is_terminal: bool,
    pod_has_initialized: bool,
    gates: &FeatureGates,
) -> PodPhase {
    if !gates.container_restart_rules {
        return get_phase(spec, status, pod_is_terminal, pod_has_initialized);
    }
    let policy = spec.restart_policy();
    let find = |name: &str| find_view(status, name);
    // Whether a stopped container restarts after its last exit.
    let restarts = |c: &Container, view: Option<ContainerView>| {
        view.and_then(ContainerView::exit_code)
            .is_some_and(|exit| super::restart::container_should_restart(c, &policy, exit))
    };
    phase_from_views_with_restarts(
        &policy,
        spec.init_containers().iter().map(|c| {
            let view = find(&c.name);
            (c.is_sidecar(), view, restarts(c, view))
        }),
        spec.containers.iter().map(|c| {
            let view = find(&c.name);
            (view, restarts(c, view))
        }),
        pod_is_terminal,
        pod_has_initialized,
    )
}

/// The view of the status named `name`, looked up in the init container
/// statuses and then the app container statuses (upstream looks in one list
/// of both).
fn find_view(status: &PodStatus, name: &str) -> Option<ContainerView> {
    status
        .init_container_statuses()
        .iter()
        .chain(status.container_statuses())
        .find(|s| s.name == name)
        .map(ContainerView::of)
}

/// True when some regular container has a status that is running or
/// terminated (upstream: pkg/kubelet/container/helpers.go
/// HasAnyRegularContainerStarted, which the Initialized condition uses).
/// Upstream deprecates it for [`get_phase`]'s `pod_has_initialized`: the
/// kubelet passes HasAnyActiveRegularContainerStarted there, whether the
/// runtime has any regular container in the current sandbox (in any
/// state), which only the runtime knows; after a sandbox is re-created the
/// API statuses can still show the old containers.
pub fn has_any_regular_container_started(spec: &PodSpec, status: &PodStatus) -> bool {
    spec.containers.iter().any(|c| {
        status.container_statuses().iter().chain(status.init_container_statuses()).any(|s| {
            s.name == c.name
                && s.state.as_ref().is_some_and(|st| st.running.is_some() || st.terminated.is_some())
        })
    })
}
