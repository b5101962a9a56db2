//! The pod conditions the kubelet writes, with upstream reasons and messages,
//! and the `lastTransitionTime` rule.
//!
//! upstream: pkg/kubelet/status/generate.go (GenerateContainersReadyCondition,
//! GeneratePodReadyCondition, GeneratePodInitializedCondition,
//! GeneratePodReadyToStartContainersCondition), pkg/kubelet/kubelet_pods.go
//! generateAPIPodStatus (ordering, ownership), pkg/kubelet/status/
//! status_manager.go updateLastTransitionTime; tests
//! pkg/kubelet/status/generate_test.go.
//!
//! Deviations: the functions here leave `observedGeneration` on conditions
//! (`PodObservedGenerationTracking`) unset for the caller to fill in
//! ([`crate::kubelet::PodLifecycle::status`] does, when the gate is on);
//! resize conditions and `AllContainersRestarting` (alpha) are not
//! generated.

use std::collections::HashMap;

use crate::api::pod_status::pod_condition;
use crate::api::{Condition, ConditionStatus, ContainerStatus, PodPhase, PodSpec, Time};

/// Reason: the container status list is absent.
pub const UNKNOWN_CONTAINER_STATUSES: &str = "UnknownContainerStatuses";
/// Reason: the pod succeeded.
pub const POD_COMPLETED: &str = "PodCompleted";
/// Reason: the pod failed.
pub const POD_FAILED: &str = "PodFailed";
/// Reason: some container is not ready.
pub const CONTAINERS_NOT_READY: &str = "ContainersNotReady";
/// Reason: some init container has not completed.
pub const CONTAINERS_NOT_INITIALIZED: &str = "ContainersNotInitialized";
/// Reason: some readiness gate condition is missing or not `True`.
pub const READINESS_GATES_NOT_READY: &str = "ReadinessGatesNotReady";

/// The condition types the kubelet owns (it regenerates them on each sync;
/// every other type is preserved from the API object).
pub const KUBELET_CONDITIONS: [&str; 5] = [
    pod_condition::POD_READY_TO_START_CONTAINERS,
    pod_condition::INITIALIZED,
    pod_condition::READY,
    pod_condition::CONTAINERS_READY,
    pod_condition::POD_SCHEDULED,
];

/// The in-place resize conditions, also the kubelet's (1.33+): it sets
/// them only while a resize is pending or in progress, which this crate
/// does not model, so a copy in the API status is stale and dropped.
pub const RESIZE_CONDITIONS: [&str; 2] = ["PodResizePending", "PodResizeInProgress"];

/// True for a condition type the kubelet owns (upstream:
/// PodConditionsByKubelet): the ones it generates each sync, with the
/// `PodReadyToStartContainersCondition` gate on (its default), and the
/// resize conditions.
pub fn is_kubelet_condition(type_: &str) -> bool {
    KUBELET_CONDITIONS.contains(&type_) || RESIZE_CONDITIONS.contains(&type_)
}

/// True for a condition type the kubelet generates itself: with
/// `ready_to_start_gate` off, `PodReadyToStartContainers` is not the
/// kubelet's, and one already in the API status is kept as it is
/// (upstream: pkg/kubelet/types/pod_status.go PodConditionByKubelet).
pub fn is_kubelet_condition_gated(type_: &str, ready_to_start_gate: bool) -> bool {
    is_kubelet_condition(type_)
        && (ready_to_start_gate || type_ != pod_condition::POD_READY_TO_START_CONTAINERS)
}

fn condition(
    type_: &str,
    status: ConditionStatus,
    reason: Option<&str>,
    message: Option<String>,
) -> Condition {
    Condition {
        type_: type_.to_owned(),
        status,
        reason: reason.map(str::to_owned),
        message,
        ..Condition::default()
    }
}

/// Go's `%s` of a string slice: `[a b c]`.
fn go_list(names: &[&str]) -> String {
    format!("[{}]", names.join(" "))
}

/// The first status of each container name, as upstream's
/// `podutil.GetContainerStatus` finds it. A scan for a few statuses; an index
/// beyond that, so a pod with thousands of containers is not quadratic.
enum ByName<'a> {
    Scan(&'a [ContainerStatus]),
    Index(HashMap<&'a str, &'a ContainerStatus>),
}

impl<'a> ByName<'a> {
    fn new(statuses: &'a [ContainerStatus]) -> ByName<'a> {
        if statuses.len() <= 16 {
            return ByName::Scan(statuses);
        }
        let mut index = HashMap::with_capacity(statuses.len());
        for s in statuses {
            index.entry(s.name.as_str()).or_insert(s);
        }
        ByName::Index(index)
    }

    fn find(&self, name: &str) -> Option<&'a ContainerStatus> {
        match self {
            ByName::Scan(statuses) => statuses.iter().find(|s| s.name == name),
            ByName::Index(index) => index.get(name).copied(),
        }
    }
}

/// `ContainersReady` from the init and app container statuses together
/// (`None` is Go's nil list) and the pod phase.
// upstream: pkg/kubelet/status/generate.go: GenerateContainersReadyCondition
pub fn containers_ready_condition(
    spec: &PodSpec,
    statuses: Option<&[ContainerStatus]>,
    phase: &PodPhase,
) -> Condition {
    let Some(statuses) = statuses else {
        return condition(
            pod_condition::CONTAINERS_READY,
            ConditionStatus::False,
            Some(UNKNOWN_CONTAINER_STATUSES),
            None,
        );
    };
    let statuses = ByName::new(statuses);
    let mut unknown = Vec::new();
    let mut unready = Vec::new();
    let containers = spec.init_containers().iter().filter(|c| c.is_sidecar()).chain(&spec.containers);
    for c in containers {
        match statuses.find(&c.name) {
            Some(s) if !s.ready => unready.push(c.name.as_str()),
            Some(_) => {}
            None => unknown.push(c.name.as_str()),
        }
    }
    if (*phase == PodPhase::Succeeded && unknown.is_empty()) || *phase == PodPhase::Failed {
        let reason = if *phase == PodPhase::Succeeded { POD_COMPLETED } else { POD_FAILED };
        return condition(pod_condition::CONTAINERS_READY, ConditionStatus::False, Some(reason), None);
    }
    let mut messages = Vec::new();
    if !unknown.is_empty() {
        messages.push(format!("containers with unknown status: {}", go_list(&unknown)));
    }
    if !unready.is_empty() {
        messages.push(format!("containers with unready status: {}", go_list(&unready)));
    }
    if messages.is_empty() {
        condition(pod_condition::CONTAINERS_READY, ConditionStatus::True, None, None)
    } else {
        condition(
            pod_condition::CONTAINERS_READY,
            ConditionStatus::False,
            Some(CONTAINERS_NOT_READY),
            Some(messages.join(", ")),
        )
    }
}

/// `Ready`: `ContainersReady`, then every readiness gate of the spec looked
/// up in `conditions`: upstream passes the conditions generated so far (the
/// pod's non-kubelet ones, then the fresh `PodReadyToStartContainers` and
/// `Initialized`), so a gate naming `Ready`, `ContainersReady` or
/// `PodScheduled` never finds its condition.
// upstream: pkg/kubelet/status/generate.go: GeneratePodReadyCondition
pub fn pod_ready_condition(
    spec: &PodSpec,
    conditions: &[Condition],
    statuses: Option<&[ContainerStatus]>,
    phase: &PodPhase,
) -> Condition {
    let containers_ready = containers_ready_condition(spec, statuses, phase);
    if containers_ready.status != ConditionStatus::True {
        return Condition { type_: pod_condition::READY.to_owned(), ..containers_ready };
    }
    let mut messages = Vec::new();
    for gate in spec.readiness_gates() {
        let t = &gate.condition_type;
        match conditions.iter().find(|c| &c.type_ == t) {
            None => messages
                .push(format!("corresponding condition of pod readiness gate \"{t}\" does not exist.")),
            Some(c) if c.status != ConditionStatus::True => messages.push(format!(
                "the status of pod readiness gate \"{t}\" is not \"True\", but {}",
                c.status.as_str()
            )),
            Some(_) => {}
        }
    }
    if messages.is_empty() {
        condition(pod_condition::READY, ConditionStatus::True, None, None)
    } else {
        condition(
            pod_condition::READY,
            ConditionStatus::False,
            Some(READINESS_GATES_NOT_READY),
            Some(messages.join(", ")),
        )
    }
}

/// `Initialized` from the init and app container statuses together (`None`
/// is Go's nil list) and the pod phase.
// upstream: pkg/kubelet/status/generate.go: GeneratePodInitializedCondition
pub fn initialized_condition(
    spec: &PodSpec,
    statuses: Option<&[ContainerStatus]>,
    phase: &PodPhase,
) -> Condition {
    if statuses.is_none() && !spec.init_containers().is_empty() {
        return condition(
            pod_condition::INITIALIZED,
            ConditionStatus::False,
            Some(UNKNOWN_CONTAINER_STATUSES),
            None,
        );
    }
    let statuses = ByName::new(statuses.unwrap_or(&[]));
    let mut unknown = Vec::new();
    let mut incomplete = Vec::new();
    for c in spec.init_containers() {
        match statuses.find(&c.name) {
            None => unknown.push(c.name.as_str()),
            Some(s) => {
                let complete = if c.is_sidecar() { s.started == Some(true) } else { s.ready };
                if !complete {
                    incomplete.push(c.name.as_str());
                }
            }
        }
    }
    if *phase == PodPhase::Succeeded && unknown.is_empty() {
        return condition(pod_condition::INITIALIZED, ConditionStatus::True, Some(POD_COMPLETED), None);
    }
    let regular_started = spec.containers.iter().any(|c| {
        statuses
            .find(&c.name)
            .and_then(|s| s.state.as_ref())
            .is_some_and(|st| st.running.is_some() || st.terminated.is_some())
    });
    if regular_started {
        return condition(pod_condition::INITIALIZED, ConditionStatus::True, None, None);
    }
    let mut messages = Vec::new();
    if !unknown.is_empty() {
        messages.push(format!("containers with unknown status: {}", go_list(&unknown)));
    }
    if !incomplete.is_empty() {
        messages.push(format!("containers with incomplete status: {}", go_list(&incomplete)));
    }
    if messages.is_empty() {
        condition(pod_condition::INITIALIZED, ConditionStatus::True, None, None)
    } else {
        condition(
            pod_condition::INITIALIZED,
            ConditionStatus::False,
            Some(CONTAINERS_NOT_INITIALIZED),
            Some(messages.join(", ")),
        )
    }
}

/// `PodReadyToStartContainers`: `True` once the sandbox is ready (and has
/// its network), else `False`, without reason.
// upstream: pkg/kubelet/status/generate.go: GeneratePodReadyToStartContainersCondition
pub fn ready_to_start_containers_condition(sandbox_ready: bool) -> Condition {
    let status = if sandbox_ready { ConditionStatus::True } else { ConditionStatus::False };
    condition(pod_condition::POD_READY_TO_START_CONTAINERS, status, None, None)
}

/// `PodScheduled=True`, which the kubelet always writes for a bound pod.
// upstream: pkg/kubelet/kubelet_pods.go: generateAPIPodStatus
pub fn pod_scheduled_condition() -> Condition {
    condition(pod_condition::POD_SCHEDULED, ConditionStatus::True, None, None)
}

/// Sets each condition's `lastTransitionTime`: when the first condition of
/// its type in `previous` has the same status, that one's time, even when
/// it has none; else `now`. A reason or message change alone does not move
/// it.
// upstream: pkg/kubelet/status/status_manager.go: updateLastTransitionTime
pub fn update_last_transition_times(conditions: &mut [Condition], previous: &[Condition], now: Time) {
    for c in conditions.iter_mut() {
        c.last_transition_time = match previous.iter().find(|p| p.type_ == c.type_) {
            Some(p) if p.status == c.status => p.last_transition_time,
            _ => Some(now),
        };
    }
}

/// Every condition the kubelet reports, in upstream's order: the pod's
/// non-kubelet conditions from `existing` (readiness gates, DisruptionTarget,
/// and `PodReadyToStartContainers` when `ready_to_start_gate` is off, in
/// their original order), then `PodReadyToStartContainers` (when
/// `ready_to_start_gate`), `Initialized`, `Ready`, `ContainersReady`,
/// `PodScheduled`. Transition times follow [`update_last_transition_times`]
/// against `existing`.
// upstream: pkg/kubelet/kubelet_pods.go: generateAPIPodStatus
pub fn generate_conditions(
    spec: &PodSpec,
    existing: &[Condition],
    statuses: Option<&[ContainerStatus]>,
    phase: &PodPhase,
    sandbox_ready: bool,
    ready_to_start_gate: bool,
    now: Time,
) -> Vec<Condition> {
    let mut out: Vec<Condition> = existing
        .iter()
        .filter(|c| !is_kubelet_condition_gated(&c.type_, ready_to_start_gate))
        .cloned()
        .collect();
    let first_kubelet = out.len();
    if ready_to_start_gate {
        out.push(ready_to_start_containers_condition(sandbox_ready));
    }
    out.push(initialized_condition(spec, statuses, phase));
    let ready = pod_ready_condition(spec, &out, statuses, phase);
    out.push(ready);
    out.push(containers_ready_condition(spec, statuses, phase));
    out.push(pod_scheduled_condition());
    if let Some(generated) = out.get_mut(first_kubelet..) {
        update_last_transition_times(generated, existing, now);
    }
    out
}
