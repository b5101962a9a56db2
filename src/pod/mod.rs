//! Pure pod logic: phase, conditions, container state reasons, readiness and
//! availability.
//!
//! Everything here is a function of a pod (and `now` where time matters);
//! the stateful kubelet side lives in [`crate::kubelet`].
//!
//! Upstream code mirrored: `pkg/kubelet/kubelet_pods.go` (getPhase),
//! `pkg/kubelet/status/generate.go` (conditions),
//! `pkg/kubelet/status/status_manager.go` (lastTransitionTime),
//! `pkg/api/v1/pod/util.go` (IsPodReady, IsPodAvailable). Deviations are
//! listed in each submodule: static pods are not modelled, and the
//! generated conditions leave `observedGeneration` to the caller.

pub mod conditions;
pub mod phase;
pub mod qos;
mod ready;
pub mod reasons;
pub mod restart;

pub use conditions::{
    containers_ready_condition, generate_conditions, initialized_condition, pod_ready_condition,
    update_last_transition_times,
};
pub use phase::{
    ContainerView, get_phase, get_phase_with_gates, has_any_regular_container_started, phase_from_views,
    phase_from_views_with_restarts,
};
pub(crate) use ready::ready_long_enough;
pub use ready::{available_at, is_pod_available, is_pod_ready, ready_condition, ready_true_condition};
