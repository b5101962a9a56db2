//! The observed state of a pod: phase, conditions, IPs and per-container
//! statuses, as the kubelet reports them.
//!
//! upstream: staging/src/k8s.io/api/core/v1/types.go (PodStatus, ContainerStatus)

use super::meta::{Condition, Time};
use super::pod::{ResourceList, ResourceRequirements};
use super::wire::{wire_enum, wire_struct};

/// A pod condition (`PodScheduled`, `Initialized`, `ContainersReady`,
/// `Ready`, readiness gates, `DisruptionTarget`...). Pods share the one
/// [`Condition`] type with the workload kinds: it carries every field any
/// of them writes, so each round-trips as written.
pub type PodCondition = Condition;

/// The pod condition types upstream defines (`core/v1.PodConditionType`).
pub mod pod_condition {
    /// The pod has been bound to a node.
    pub const POD_SCHEDULED: &str = "PodScheduled";
    /// The pod sandbox is created and its network configured.
    pub const POD_READY_TO_START_CONTAINERS: &str = "PodReadyToStartContainers";
    /// All init containers have completed (sidecars: started).
    pub const INITIALIZED: &str = "Initialized";
    /// All containers are ready.
    pub const CONTAINERS_READY: &str = "ContainersReady";
    /// The pod can serve requests: containers ready and readiness gates true.
    pub const READY: &str = "Ready";
    /// The pod is about to be terminated by a disruption.
    pub const DISRUPTION_TARGET: &str = "DisruptionTarget";
    /// An in-place resize was requested but cannot be applied yet.
    pub const POD_RESIZE_PENDING: &str = "PodResizePending";
    /// An in-place resize is being applied.
    pub const POD_RESIZE_IN_PROGRESS: &str = "PodResizeInProgress";
}

wire_struct! {
    /// The observed state of a pod (`core/v1.PodStatus`).
    pub struct PodStatus {
        /// The `metadata.generation` this status was computed for.
        observed_generation: Option<i64> = "observedGeneration",
        /// Where the pod is in its life.
        phase: Option<PodPhase> = "phase",
        /// Scheduled, Initialized, ContainersReady, Ready and other conditions.
        conditions: Option<Vec<Condition>> = "conditions",
        /// Why the pod is in this state, for humans.
        message: Option<String> = "message",
        /// Why the pod is in this state, as a CamelCase word (`Evicted`...).
        reason: Option<String> = "reason",
        /// The node a preemption made room on, before the pod is bound.
        nominated_node_name: Option<String> = "nominatedNodeName",
        /// Primary IP of the node the pod runs on.
        host_ip: Option<String> = "hostIP",
        /// IPs of the node the pod runs on (IPv4 and IPv6).
        host_ips: Option<Vec<HostIp>> = "hostIPs",
        /// Primary IP of the pod.
        pod_ip: Option<String> = "podIP",
        /// IPs of the pod (IPv4 and IPv6).
        pod_ips: Option<Vec<PodIp>> = "podIPs",
        /// When the kubelet accepted the pod, before any image pull.
        start_time: Option<Time> = "startTime",
        /// Statuses of the init containers, sidecars included.
        init_container_statuses: Option<Vec<ContainerStatus>> = "initContainerStatuses",
        /// Statuses of the app containers.
        container_statuses: Option<Vec<ContainerStatus>> = "containerStatuses",
        /// Quality-of-service class derived from the resources.
        qos_class: Option<PodQosClass> = "qosClass",
        /// Statuses of the ephemeral containers.
        ephemeral_container_statuses: Option<Vec<ContainerStatus>> = "ephemeralContainerStatuses",
        /// Deprecated state of an in-place resize (now pod conditions).
        resize: Option<String> = "resize",
        /// Names of the ResourceClaims generated for the pod.
        resource_claim_statuses: Option<Vec<PodResourceClaimStatus>> = "resourceClaimStatuses",
        /// Pod-level resources allocated on the node.
        allocated_resources: Option<ResourceList> = "allocatedResources",
        /// Pod-level resources actually applied.
        resources: Option<ResourceRequirements> = "resources",
    }
}

impl PodStatus {
    /// The condition of the given type (see [`pod_condition`]), if present.
    pub fn condition(&self, type_: &str) -> Option<&Condition> {
        self.conditions.as_deref()?.iter().find(|c| c.type_ == type_)
    }

    /// The app container statuses, or an empty slice.
    pub fn container_statuses(&self) -> &[ContainerStatus] {
        self.container_statuses.as_deref().unwrap_or(&[])
    }

    /// The init container statuses, or an empty slice.
    pub fn init_container_statuses(&self) -> &[ContainerStatus] {
        self.init_container_statuses.as_deref().unwrap_or(&[])
    }

    /// The status of the app or init container with this name.
    pub fn container_status(&self, name: &str) -> Option<&ContainerStatus> {
        self.container_statuses().iter().chain(self.init_container_statuses()).find(|s| s.name == name)
    }
}

wire_enum! {
    /// Where a pod is in its life (`core/v1.PodPhase`).
    pub enum PodPhase {
        /// Accepted, but not every container is running yet.
        Pending = "Pending",
        /// Bound to a node with at least one container running or restarting.
        Running = "Running",
        /// Every container exited successfully and will not restart.
        Succeeded = "Succeeded",
        /// Every container exited and at least one failed.
        Failed = "Failed",
        /// The state could not be obtained (deprecated since 1.22).
        Unknown = "Unknown",
    }
}

impl PodPhase {
    /// True for `Succeeded` and `Failed`, the phases a pod never leaves.
    pub fn is_terminal(&self) -> bool {
        matches!(self, PodPhase::Succeeded | PodPhase::Failed)
    }
}

wire_enum! {
    /// Quality-of-service class of a pod (`core/v1.PodQOSClass`).
    pub enum PodQosClass {
        /// Every container has equal requests and limits for cpu and memory.
        Guaranteed = "Guaranteed",
        /// Some container has a request or limit, but not Guaranteed.
        Burstable = "Burstable",
        /// No container has any cpu or memory request or limit.
        BestEffort = "BestEffort",
    }
}

wire_struct! {
    /// One IP of the node a pod runs on (`core/v1.HostIP`).
    pub struct HostIp {
        /// The address.
        ip: String = "ip",
    }
}

wire_struct! {
    /// One IP of a pod (`core/v1.PodIP`).
    pub struct PodIp {
        /// The address.
        ip: String = "ip",
    }
}

wire_struct! {
    /// A ResourceClaim generated for a pod (`core/v1.PodResourceClaimStatus`).
    pub struct PodResourceClaimStatus {
        /// The entry of `spec.resourceClaims` it belongs to.
        name: String = "name",
        /// The generated claim's name; unset when none was needed.
        resource_claim_name: Option<String> = "resourceClaimName",
    }
}

wire_struct! {
    /// The observed state of one container (`core/v1.ContainerStatus`).
    pub struct ContainerStatus {
        /// The container's name in the spec.
        name: String = "name",
        /// The current state.
        state: Option<ContainerState> = "state",
        /// The state of the previous run, after a restart.
        last_state: Option<ContainerState> = "lastState",
        /// Whether the readiness probe passes.
        ready: bool = "ready",
        /// How many times the container has been restarted.
        restart_count: i32 = "restartCount",
        /// The image the container runs.
        image: String = "image",
        /// The image's digest reference. Upstream always writes it, but
        /// hand-written statuses (kwok fixtures) leave it out, so it is
        /// optional here to round-trip them.
        image_id: Option<String> = "imageID",
        /// `<runtime>://<id>` of the container.
        container_id: Option<String> = "containerID",
        /// Whether the startup probe has passed (or there is none) and the
        /// container is running.
        started: Option<bool> = "started",
        /// Resources allocated to the container on the node.
        allocated_resources: Option<ResourceList> = "allocatedResources",
        /// Resources actually applied to the running container.
        resources: Option<ResourceRequirements> = "resources",
        /// Mounts as the runtime reports them.
        volume_mounts: Option<Vec<VolumeMountStatus>> = "volumeMounts",
        /// The user identity the process runs as, kept as written.
        user: Option<serde_json::Value> = "user",
        /// Health of allocated devices, kept as written.
        allocated_resources_status: Option<Vec<serde_json::Value>> = "allocatedResourcesStatus",
        /// The signal used to stop the container.
        stop_signal: Option<String> = "stopSignal",
    }
}

wire_struct! {
    /// A mount as the runtime reports it (`core/v1.VolumeMountStatus`).
    pub struct VolumeMountStatus {
        /// The volume's name in the pod.
        name: String = "name",
        /// Where it is mounted in the container.
        mount_path: String = "mountPath",
        /// Whether it is mounted read-only.
        read_only: Option<bool> = "readOnly",
        /// The recursive read-only mode in effect.
        recursive_read_only: Option<super::pod::RecursiveReadOnlyMode> = "recursiveReadOnly",
    }
}

wire_struct! {
    /// The state of a container; at most one field is set
    /// (`core/v1.ContainerState`). None set means waiting.
    pub struct ContainerState {
        /// Not running yet (pulling, crash-loop back-off...).
        waiting: Option<ContainerStateWaiting> = "waiting",
        /// Running.
        running: Option<ContainerStateRunning> = "running",
        /// Exited.
        terminated: Option<ContainerStateTerminated> = "terminated",
    }
}

impl ContainerState {
    /// True when the container is running.
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// True when the container has exited.
    pub fn is_terminated(&self) -> bool {
        self.terminated.is_some()
    }

    /// True when the container is waiting (also when no state is set, as
    /// upstream treats an empty state).
    pub fn is_waiting(&self) -> bool {
        self.waiting.is_some() || (self.running.is_none() && self.terminated.is_none())
    }
}

wire_struct! {
    /// A container that is not running yet (`core/v1.ContainerStateWaiting`).
    pub struct ContainerStateWaiting {
        /// Why (`ContainerCreating`, `CrashLoopBackOff`, `ImagePullBackOff`...).
        reason: Option<String> = "reason",
        /// Details for humans.
        message: Option<String> = "message",
    }
}

wire_struct! {
    /// A running container (`core/v1.ContainerStateRunning`).
    pub struct ContainerStateRunning {
        /// When it (last) started.
        started_at: Option<Time> = "startedAt",
    }
}

wire_struct! {
    /// An exited container (`core/v1.ContainerStateTerminated`).
    pub struct ContainerStateTerminated {
        /// The exit code.
        exit_code: i32 = "exitCode",
        /// The signal that killed it, if any.
        signal: Option<i32> = "signal",
        /// Why (`Completed`, `Error`, `OOMKilled`...).
        reason: Option<String> = "reason",
        /// Details for humans (the termination message).
        message: Option<String> = "message",
        /// When that run started.
        started_at: Option<Time> = "startedAt",
        /// When it exited.
        finished_at: Option<Time> = "finishedAt",
        /// `<runtime>://<id>` of the exited container.
        container_id: Option<String> = "containerID",
    }
}
