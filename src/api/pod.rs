//! Pods and what they are made of: `Pod`, `PodSpec`, `Container`, probes,
//! lifecycle hooks, volumes, scheduling constraints, and the pod templates
//! every workload controller stamps pods from.
//!
//! The status half of a pod lives in [`crate::api::pod_status`].
//!
//! upstream: staging/src/k8s.io/api/core/v1/types.go

use indexmap::IndexMap;

use super::intstr::IntOrString;
use super::meta::{ObjectMeta, StringMap};
use super::node::TaintEffect;
use super::pod_status::PodStatus;
use super::quantity::Quantity;
use super::wire::{wire_enum, wire_struct};

/// Resource names to amounts (`cpu: 500m`, `memory: 1Gi`), in document
/// order (`core/v1.ResourceList`).
pub type ResourceList = IndexMap<String, Quantity>;

wire_struct! {
    /// A group of containers scheduled together on one node (`core/v1.Pod`).
    pub struct Pod {
        /// API group and version, `v1`.
        api_version: Option<String> = "apiVersion",
        /// The kind, `Pod`.
        kind: Option<String> = "kind",
        /// Name, namespace, labels, owners and other metadata.
        metadata: ObjectMeta = "metadata",
        /// What the pod should run.
        spec: Option<PodSpec> = "spec",
        /// What the pod is observed doing, as the kubelet reports it.
        status: Option<PodStatus> = "status",
    }
}

wire_struct! {
    /// A stored pod template object (`core/v1.PodTemplate`).
    pub struct PodTemplate {
        /// API group and version, `v1`.
        api_version: Option<String> = "apiVersion",
        /// The kind, `PodTemplate`.
        kind: Option<String> = "kind",
        /// Name, namespace, labels and other metadata of the template object.
        metadata: ObjectMeta = "metadata",
        /// The pod template itself.
        template: Option<PodTemplateSpec> = "template",
    }
}

wire_struct! {
    /// The pod a controller creates: metadata and spec, no status
    /// (`core/v1.PodTemplateSpec`).
    pub struct PodTemplateSpec {
        /// Labels, annotations and other metadata copied onto each pod.
        metadata: Option<ObjectMeta> = "metadata",
        /// The spec of each pod.
        spec: Option<PodSpec> = "spec",
    }
}

wire_struct! {
    /// The desired state of a pod (`core/v1.PodSpec`).
    pub struct PodSpec {
        /// Volumes the containers may mount.
        volumes: Option<Vec<Volume>> = "volumes",
        /// Containers run to completion, in order, before the app containers
        /// start; those with `restartPolicy: Always` are sidecars instead.
        init_containers: Option<Vec<Container>> = "initContainers",
        /// The app containers; at least one.
        containers: Vec<Container> = "containers",
        /// Debugging containers added to a running pod, kept as written.
        ephemeral_containers: Option<Vec<serde_json::Value>> = "ephemeralContainers",
        /// When containers of the pod are restarted; `Always` when unset.
        restart_policy: Option<RestartPolicy> = "restartPolicy",
        /// Seconds between the stop signal and the kill at graceful deletion.
        termination_grace_period_seconds: Option<i64> = "terminationGracePeriodSeconds",
        /// Seconds since start after which the kubelet fails the pod.
        active_deadline_seconds: Option<i64> = "activeDeadlineSeconds",
        /// How the pod's DNS is configured; `ClusterFirst` when unset.
        dns_policy: Option<DnsPolicy> = "dnsPolicy",
        /// Labels a node must carry for the pod to be scheduled onto it.
        node_selector: Option<StringMap> = "nodeSelector",
        /// The service account whose identity the pod runs with.
        service_account_name: Option<String> = "serviceAccountName",
        /// Deprecated alias of `serviceAccountName`.
        service_account: Option<String> = "serviceAccount",
        /// Whether the service account token is mounted automatically.
        automount_service_account_token: Option<bool> = "automountServiceAccountToken",
        /// The node the pod is bound to; set by the scheduler or by hand.
        node_name: Option<String> = "nodeName",
        /// Use the node's network namespace.
        host_network: Option<bool> = "hostNetwork",
        /// Use the node's PID namespace.
        host_pid: Option<bool> = "hostPID",
        /// Use the node's IPC namespace.
        host_ipc: Option<bool> = "hostIPC",
        /// Share one PID namespace among the pod's containers.
        share_process_namespace: Option<bool> = "shareProcessNamespace",
        /// Pod-wide security settings, kept as written.
        security_context: Option<serde_json::Value> = "securityContext",
        /// Secrets used to pull the images.
        image_pull_secrets: Option<Vec<LocalObjectReference>> = "imagePullSecrets",
        /// The pod's hostname; the pod name when unset.
        hostname: Option<String> = "hostname",
        /// Subdomain, giving the pod the FQDN `<hostname>.<subdomain>.<ns>.svc...`.
        subdomain: Option<String> = "subdomain",
        /// Node, pod and pod-anti affinity.
        affinity: Option<Affinity> = "affinity",
        /// The scheduler that places the pod; `default-scheduler` when unset.
        scheduler_name: Option<String> = "schedulerName",
        /// Taints the pod tolerates.
        tolerations: Option<Vec<Toleration>> = "tolerations",
        /// Extra `/etc/hosts` entries, kept as written.
        host_aliases: Option<Vec<serde_json::Value>> = "hostAliases",
        /// Name of the pod's PriorityClass.
        priority_class_name: Option<String> = "priorityClassName",
        /// Priority resolved from the PriorityClass by admission.
        priority: Option<i32> = "priority",
        /// Extra DNS settings, kept as written.
        dns_config: Option<serde_json::Value> = "dnsConfig",
        /// Extra conditions that must be `True` for the pod to be Ready.
        readiness_gates: Option<Vec<PodReadinessGate>> = "readinessGates",
        /// The RuntimeClass that runs the pod.
        runtime_class_name: Option<String> = "runtimeClassName",
        /// Whether service environment variables are injected.
        enable_service_links: Option<bool> = "enableServiceLinks",
        /// Whether the pod may preempt lower-priority pods.
        preemption_policy: Option<PreemptionPolicy> = "preemptionPolicy",
        /// Resources the sandbox consumes beyond the containers' own.
        overhead: Option<ResourceList> = "overhead",
        /// How the pod spreads over topology domains, kept as written.
        topology_spread_constraints: Option<Vec<serde_json::Value>> = "topologySpreadConstraints",
        /// Use the FQDN as the kernel hostname.
        set_hostname_as_fqdn: Option<bool> = "setHostnameAsFQDN",
        /// The operating system the pod's containers need.
        os: Option<PodOs> = "os",
        /// Whether the pod uses the host's user namespace.
        host_users: Option<bool> = "hostUsers",
        /// Gates that hold the pod back from scheduling while present.
        scheduling_gates: Option<Vec<PodSchedulingGate>> = "schedulingGates",
        /// Dynamic resource claims of the pod, kept as written.
        resource_claims: Option<Vec<serde_json::Value>> = "resourceClaims",
        /// Pod-level resource requests and limits.
        resources: Option<ResourceRequirements> = "resources",
        /// Hostname to use instead of the one derived from the pod.
        hostname_override: Option<String> = "hostnameOverride",
    }
}

impl PodSpec {
    /// Upstream's default `terminationGracePeriodSeconds`.
    pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;

    /// The effective restart policy: `Always` when unset.
    pub fn restart_policy(&self) -> RestartPolicy {
        self.restart_policy.clone().unwrap_or(RestartPolicy::Always)
    }

    /// The init containers (sidecars included), or an empty slice.
    pub fn init_containers(&self) -> &[Container] {
        self.init_containers.as_deref().unwrap_or(&[])
    }

    /// The volumes, or an empty slice.
    pub fn volumes(&self) -> &[Volume] {
        self.volumes.as_deref().unwrap_or(&[])
    }

    /// The tolerations, or an empty slice.
    pub fn tolerations(&self) -> &[Toleration] {
        self.tolerations.as_deref().unwrap_or(&[])
    }

    /// The readiness gates, or an empty slice.
    pub fn readiness_gates(&self) -> &[PodReadinessGate] {
        self.readiness_gates.as_deref().unwrap_or(&[])
    }

    /// The init containers that are sidecars (`restartPolicy: Always`).
    pub fn sidecars(&self) -> impl Iterator<Item = &Container> {
        self.init_containers().iter().filter(|c| c.is_sidecar())
    }

    /// The grace period, or upstream's default of 30 seconds when unset.
    pub fn termination_grace_period_seconds_or_default(&self) -> i64 {
        self.termination_grace_period_seconds.unwrap_or(Self::DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS)
    }
}

wire_enum! {
    /// When a pod's containers are restarted (`core/v1.RestartPolicy`).
    pub enum RestartPolicy {
        /// Restart every container whenever it exits.
        Always = "Always",
        /// Restart a container only when it exits non-zero.
        OnFailure = "OnFailure",
        /// Never restart a container.
        Never = "Never",
    }
}

wire_enum! {
    /// How a pod's DNS is set up (`core/v1.DNSPolicy`).
    pub enum DnsPolicy {
        /// Cluster DNS first, falling back to the node's resolvers.
        ClusterFirst = "ClusterFirst",
        /// `ClusterFirst` for a pod on the host network.
        ClusterFirstWithHostNet = "ClusterFirstWithHostNet",
        /// The node's resolver configuration.
        Default = "Default",
        /// Only what `dnsConfig` gives.
        None = "None",
    }
}

wire_enum! {
    /// Whether a pod may preempt others (`core/v1.PreemptionPolicy`).
    pub enum PreemptionPolicy {
        /// May preempt pods of lower priority.
        PreemptLowerPriority = "PreemptLowerPriority",
        /// Never preempts.
        Never = "Never",
    }
}

wire_struct! {
    /// A reference to an object by name in the same namespace
    /// (`core/v1.LocalObjectReference`).
    pub struct LocalObjectReference {
        /// The referenced object's name.
        name: Option<String> = "name",
    }
}

wire_struct! {
    /// An extra condition a pod's readiness depends on (`core/v1.PodReadinessGate`).
    pub struct PodReadinessGate {
        /// The pod condition type that must be `True`.
        condition_type: String = "conditionType",
    }
}

wire_struct! {
    /// A gate holding a pod back from scheduling (`core/v1.PodSchedulingGate`).
    pub struct PodSchedulingGate {
        /// The gate's name.
        name: String = "name",
    }
}

wire_struct! {
    /// The operating system a pod needs (`core/v1.PodOS`).
    pub struct PodOs {
        /// `linux` or `windows`.
        name: String = "name",
    }
}

// ---------------------------------------------------------------- containers

wire_struct! {
    /// One container of a pod (`core/v1.Container`).
    pub struct Container {
        /// Name, unique within the pod.
        name: String = "name",
        /// The image to run.
        image: Option<String> = "image",
        /// Entrypoint, replacing the image's.
        command: Option<Vec<String>> = "command",
        /// Arguments, replacing the image's.
        args: Option<Vec<String>> = "args",
        /// Working directory.
        working_dir: Option<String> = "workingDir",
        /// Ports the container exposes.
        ports: Option<Vec<ContainerPort>> = "ports",
        /// Sources that populate many environment variables at once.
        env_from: Option<Vec<EnvFromSource>> = "envFrom",
        /// Environment variables.
        env: Option<Vec<EnvVar>> = "env",
        /// Compute resource requests and limits.
        resources: Option<ResourceRequirements> = "resources",
        /// How each resource may be resized in place.
        resize_policy: Option<Vec<ContainerResizePolicy>> = "resizePolicy",
        /// Container-level restart policy; `Always` on an init container makes
        /// it a sidecar.
        restart_policy: Option<ContainerRestartPolicy> = "restartPolicy",
        /// Exit-code rules that override the restart policy, kept as written.
        restart_policy_rules: Option<Vec<serde_json::Value>> = "restartPolicyRules",
        /// Volumes mounted into the container's filesystem.
        volume_mounts: Option<Vec<VolumeMount>> = "volumeMounts",
        /// Block devices exposed to the container.
        volume_devices: Option<Vec<VolumeDevice>> = "volumeDevices",
        /// Probe whose failure restarts the container.
        liveness_probe: Option<Probe> = "livenessProbe",
        /// Probe whose failure takes the container out of service.
        readiness_probe: Option<Probe> = "readinessProbe",
        /// Probe that must succeed before the other probes run.
        startup_probe: Option<Probe> = "startupProbe",
        /// Hooks run after start and before stop.
        lifecycle: Option<Lifecycle> = "lifecycle",
        /// File the container's termination message is read from.
        termination_message_path: Option<String> = "terminationMessagePath",
        /// Where the termination message comes from.
        termination_message_policy: Option<TerminationMessagePolicy> = "terminationMessagePolicy",
        /// When the image is pulled.
        image_pull_policy: Option<PullPolicy> = "imagePullPolicy",
        /// Container security settings, kept as written.
        security_context: Option<serde_json::Value> = "securityContext",
        /// Allocate a stdin buffer.
        stdin: Option<bool> = "stdin",
        /// Close stdin after the first attach ends.
        stdin_once: Option<bool> = "stdinOnce",
        /// Allocate a TTY.
        tty: Option<bool> = "tty",
    }
}

impl Container {
    /// True when the container's own restart policy is `Always`. On an init
    /// container this makes it a sidecar: it starts in init order, keeps
    /// running beside the app containers and is restarted whenever it exits.
    /// On an app container the field is not allowed, so this is false there
    /// for any valid pod.
    pub fn is_sidecar(&self) -> bool {
        self.restart_policy == Some(ContainerRestartPolicy::Always)
    }

    /// The ports, or an empty slice.
    pub fn ports(&self) -> &[ContainerPort] {
        self.ports.as_deref().unwrap_or(&[])
    }

    /// The environment variables, or an empty slice.
    pub fn env(&self) -> &[EnvVar] {
        self.env.as_deref().unwrap_or(&[])
    }

    /// The environment sources, or an empty slice.
    pub fn env_from(&self) -> &[EnvFromSource] {
        self.env_from.as_deref().unwrap_or(&[])
    }

    /// The volume mounts, or an empty slice.
    pub fn volume_mounts(&self) -> &[VolumeMount] {
        self.volume_mounts.as_deref().unwrap_or(&[])
    }

    /// The block devices, or an empty slice.
    pub fn volume_devices(&self) -> &[VolumeDevice] {
        self.volume_devices.as_deref().unwrap_or(&[])
    }
}

wire_enum! {
    /// Restart policy of a single container (`core/v1.ContainerRestartPolicy`).
    pub enum ContainerRestartPolicy {
        /// Restart whenever it exits; on an init container, a sidecar.
        Always = "Always",
        /// Restart only on a non-zero exit.
        OnFailure = "OnFailure",
        /// Never restart.
        Never = "Never",
    }
}

wire_enum! {
    /// When a container image is pulled (`core/v1.PullPolicy`).
    pub enum PullPolicy {
        /// Pull on every start.
        Always = "Always",
        /// Pull only if the image is not on the node.
        IfNotPresent = "IfNotPresent",
        /// Never pull; the image must be on the node.
        Never = "Never",
    }
}

wire_enum! {
    /// Where a container's termination message comes from
    /// (`core/v1.TerminationMessagePolicy`).
    pub enum TerminationMessagePolicy {
        /// Only the termination message file.
        File = "File",
        /// The file, or the log tail when the file is empty and the container failed.
        FallbackToLogsOnError = "FallbackToLogsOnError",
    }
}

wire_enum! {
    /// A network protocol (`core/v1.Protocol`).
    pub enum Protocol {
        /// TCP.
        Tcp = "TCP",
        /// UDP.
        Udp = "UDP",
        /// SCTP.
        Sctp = "SCTP",
    }
}

wire_struct! {
    /// A port a container exposes (`core/v1.ContainerPort`).
    pub struct ContainerPort {
        /// An IANA service name for the port, unique in the pod.
        name: Option<String> = "name",
        /// Port number on the node.
        host_port: Option<i32> = "hostPort",
        /// Port number in the pod's network namespace.
        container_port: i32 = "containerPort",
        /// Protocol; `TCP` when unset.
        protocol: Option<Protocol> = "protocol",
        /// Host IP the host port binds to.
        host_ip: Option<String> = "hostIP",
    }
}

wire_struct! {
    /// An environment variable (`core/v1.EnvVar`).
    pub struct EnvVar {
        /// The variable's name.
        name: String = "name",
        /// A literal value, with `$(VAR)` references expanded.
        value: Option<String> = "value",
        /// Where the value comes from (field, resource, ConfigMap or Secret
        /// key...), kept as written.
        value_from: Option<serde_json::Value> = "valueFrom",
    }
}

wire_struct! {
    /// A source that populates many environment variables (`core/v1.EnvFromSource`).
    pub struct EnvFromSource {
        /// Prefix prepended to every key.
        prefix: Option<String> = "prefix",
        /// Every key of a ConfigMap.
        config_map_ref: Option<ConfigMapEnvSource> = "configMapRef",
        /// Every key of a Secret.
        secret_ref: Option<SecretEnvSource> = "secretRef",
    }
}

wire_struct! {
    /// A ConfigMap used as an environment source (`core/v1.ConfigMapEnvSource`).
    pub struct ConfigMapEnvSource {
        /// The ConfigMap's name.
        name: Option<String> = "name",
        /// Whether the ConfigMap may be missing.
        optional: Option<bool> = "optional",
    }
}

wire_struct! {
    /// A Secret used as an environment source (`core/v1.SecretEnvSource`).
    pub struct SecretEnvSource {
        /// The Secret's name.
        name: Option<String> = "name",
        /// Whether the Secret may be missing.
        optional: Option<bool> = "optional",
    }
}

wire_struct! {
    /// Compute resource requests and limits (`core/v1.ResourceRequirements`).
    pub struct ResourceRequirements {
        /// The most the container (or pod) may use.
        limits: Option<ResourceList> = "limits",
        /// What the scheduler reserves; defaults to the limits.
        requests: Option<ResourceList> = "requests",
        /// Dynamic resource claims this container uses.
        claims: Option<Vec<ResourceClaim>> = "claims",
    }
}

wire_struct! {
    /// One use of a pod's resource claim (`core/v1.ResourceClaim`).
    pub struct ResourceClaim {
        /// Name of an entry in the pod's `resourceClaims`.
        name: String = "name",
        /// One request within that claim; all of them when unset.
        request: Option<String> = "request",
    }
}

wire_struct! {
    /// How one resource of a container is resized in place
    /// (`core/v1.ContainerResizePolicy`).
    pub struct ContainerResizePolicy {
        /// The resource, `cpu` or `memory`.
        resource_name: String = "resourceName",
        /// Whether a resize restarts the container.
        restart_policy: ResourceResizeRestartPolicy = "restartPolicy",
    }
}

impl ContainerResizePolicy {
    /// The restart policy as the API server reads it: a missing or null
    /// `restartPolicy` is Go's empty string (`Other("")`, which validation
    /// requires), not the first variant the Rust field holds then.
    pub fn restart_policy_as_read(&self) -> std::borrow::Cow<'_, ResourceResizeRestartPolicy> {
        super::wire::enum_as_read(self.is_unset_on_wire("restartPolicy"), &self.restart_policy)
    }
}

wire_enum! {
    /// Whether resizing a resource restarts the container
    /// (`core/v1.ResourceResizeRestartPolicy`).
    pub enum ResourceResizeRestartPolicy {
        /// Resize without a restart.
        NotRequired = "NotRequired",
        /// Restart the container to apply the resize.
        RestartContainer = "RestartContainer",
    }
}

wire_struct! {
    /// A volume mounted into a container (`core/v1.VolumeMount`).
    pub struct VolumeMount {
        /// The volume's name in the pod.
        name: String = "name",
        /// Mount read-only.
        read_only: Option<bool> = "readOnly",
        /// Whether a read-only mount is read-only recursively.
        recursive_read_only: Option<RecursiveReadOnlyMode> = "recursiveReadOnly",
        /// Where in the container the volume is mounted.
        mount_path: String = "mountPath",
        /// Path within the volume to mount instead of its root.
        sub_path: Option<String> = "subPath",
        /// How mounts propagate between host and container.
        mount_propagation: Option<MountPropagationMode> = "mountPropagation",
        /// Like `subPath`, with `$(VAR)` references expanded.
        sub_path_expr: Option<String> = "subPathExpr",
    }
}

wire_enum! {
    /// How mounts propagate (`core/v1.MountPropagationMode`).
    pub enum MountPropagationMode {
        /// No propagation.
        None = "None",
        /// Host mounts propagate into the container.
        HostToContainer = "HostToContainer",
        /// Propagation in both directions.
        Bidirectional = "Bidirectional",
    }
}

wire_enum! {
    /// Recursive read-only mounting (`core/v1.RecursiveReadOnlyMode`).
    pub enum RecursiveReadOnlyMode {
        /// Not recursive.
        Disabled = "Disabled",
        /// Recursive when the runtime supports it.
        IfPossible = "IfPossible",
        /// Recursive, or the container fails to start.
        Enabled = "Enabled",
    }
}

wire_struct! {
    /// A block device exposed to a container (`core/v1.VolumeDevice`).
    pub struct VolumeDevice {
        /// The volume's name in the pod.
        name: String = "name",
        /// The device path in the container.
        device_path: String = "devicePath",
    }
}

// ---------------------------------------------------------------- probes

wire_struct! {
    /// A health check the kubelet runs against a container (`core/v1.Probe`).
    ///
    /// Exactly one handler (`exec`, `httpGet`, `tcpSocket`, `grpc`) is set on
    /// a valid probe.
    pub struct Probe {
        /// Run a command in the container.
        exec: Option<ExecAction> = "exec",
        /// Send an HTTP GET.
        http_get: Option<HttpGetAction> = "httpGet",
        /// Open a TCP connection.
        tcp_socket: Option<TcpSocketAction> = "tcpSocket",
        /// Call the gRPC health service.
        grpc: Option<GrpcAction> = "grpc",
        /// Seconds after the container starts before the first probe.
        initial_delay_seconds: Option<i32> = "initialDelaySeconds",
        /// Seconds before a probe attempt times out.
        timeout_seconds: Option<i32> = "timeoutSeconds",
        /// Seconds between probe attempts.
        period_seconds: Option<i32> = "periodSeconds",
        /// Consecutive successes that count as passing after a failure.
        success_threshold: Option<i32> = "successThreshold",
        /// Consecutive failures that count as failing.
        failure_threshold: Option<i32> = "failureThreshold",
        /// Grace period for a kill caused by this probe, overriding the pod's.
        termination_grace_period_seconds: Option<i64> = "terminationGracePeriodSeconds",
    }
}

impl Probe {
    /// Upstream's default `initialDelaySeconds`.
    pub const DEFAULT_INITIAL_DELAY_SECONDS: i32 = 0;
    /// Upstream's default `timeoutSeconds`.
    pub const DEFAULT_TIMEOUT_SECONDS: i32 = 1;
    /// Upstream's default `periodSeconds`.
    pub const DEFAULT_PERIOD_SECONDS: i32 = 10;
    /// Upstream's default `successThreshold`.
    pub const DEFAULT_SUCCESS_THRESHOLD: i32 = 1;
    /// Upstream's default `failureThreshold`.
    pub const DEFAULT_FAILURE_THRESHOLD: i32 = 3;

    /// `initialDelaySeconds`, or 0 when unset.
    pub fn initial_delay_seconds_or_default(&self) -> i32 {
        self.initial_delay_seconds.unwrap_or(Self::DEFAULT_INITIAL_DELAY_SECONDS)
    }

    /// `timeoutSeconds`, or 1 when unset.
    pub fn timeout_seconds_or_default(&self) -> i32 {
        self.timeout_seconds.unwrap_or(Self::DEFAULT_TIMEOUT_SECONDS)
    }

    /// `periodSeconds`, or 10 when unset.
    pub fn period_seconds_or_default(&self) -> i32 {
        self.period_seconds.unwrap_or(Self::DEFAULT_PERIOD_SECONDS)
    }

    /// `successThreshold`, or 1 when unset.
    pub fn success_threshold_or_default(&self) -> i32 {
        self.success_threshold.unwrap_or(Self::DEFAULT_SUCCESS_THRESHOLD)
    }

    /// `failureThreshold`, or 3 when unset.
    pub fn failure_threshold_or_default(&self) -> i32 {
        self.failure_threshold.unwrap_or(Self::DEFAULT_FAILURE_THRESHOLD)
    }
}

wire_struct! {
    /// Run a command in the container (`core/v1.ExecAction`).
    pub struct ExecAction {
        /// The command and its arguments, run without a shell; exit 0 is success.
        command: Option<Vec<String>> = "command",
    }
}

wire_struct! {
    /// Send an HTTP GET (`core/v1.HTTPGetAction`).
    pub struct HttpGetAction {
        /// Request path.
        path: Option<String> = "path",
        /// Port number or name.
        port: IntOrString = "port",
        /// Host to connect to; the pod IP when unset.
        host: Option<String> = "host",
        /// `HTTP` or `HTTPS`; `HTTP` when unset.
        scheme: Option<UriScheme> = "scheme",
        /// Extra request headers.
        http_headers: Option<Vec<HttpHeader>> = "httpHeaders",
    }
}

wire_enum! {
    /// Scheme of an HTTP probe or hook (`core/v1.URIScheme`).
    pub enum UriScheme {
        /// Plain HTTP.
        Http = "HTTP",
        /// HTTPS, without certificate verification.
        Https = "HTTPS",
    }
}

wire_struct! {
    /// A header of an HTTP probe or hook (`core/v1.HTTPHeader`).
    pub struct HttpHeader {
        /// Header name.
        name: String = "name",
        /// Header value.
        value: String = "value",
    }
}

wire_struct! {
    /// Open a TCP connection (`core/v1.TCPSocketAction`).
    pub struct TcpSocketAction {
        /// Port number or name.
        port: IntOrString = "port",
        /// Host to connect to; the pod IP when unset.
        host: Option<String> = "host",
    }
}

wire_struct! {
    /// Call the standard gRPC health service (`core/v1.GRPCAction`).
    pub struct GrpcAction {
        /// Port number.
        port: i32 = "port",
        /// Service name sent in the health request; empty when unset.
        service: Option<String> = "service",
    }
}

// ---------------------------------------------------------------- lifecycle

wire_struct! {
    /// Hooks around a container's life (`core/v1.Lifecycle`).
    pub struct Lifecycle {
        /// Run right after the container is created; failure kills it.
        post_start: Option<LifecycleHandler> = "postStart",
        /// Run before the container is stopped, within the grace period.
        pre_stop: Option<LifecycleHandler> = "preStop",
        /// Signal sent to stop the container, overriding the image's.
        stop_signal: Option<String> = "stopSignal",
    }
}

wire_struct! {
    /// What a lifecycle hook does (`core/v1.LifecycleHandler`); one field is set.
    pub struct LifecycleHandler {
        /// Run a command in the container.
        exec: Option<ExecAction> = "exec",
        /// Send an HTTP GET.
        http_get: Option<HttpGetAction> = "httpGet",
        /// Deprecated TCP handler, accepted but not run.
        tcp_socket: Option<TcpSocketAction> = "tcpSocket",
        /// Sleep for a while.
        sleep: Option<SleepAction> = "sleep",
    }
}

wire_struct! {
    /// Sleep (`core/v1.SleepAction`).
    pub struct SleepAction {
        /// How long to sleep, in seconds.
        seconds: i64 = "seconds",
    }
}

// ---------------------------------------------------------------- volumes

wire_struct! {
    /// A named volume of a pod (`core/v1.Volume`).
    ///
    /// The sources the workload semantics need are typed; every other source
    /// (`hostPath`, `projected`, `csi`, `ephemeral`...) is kept in `other`.
    pub struct Volume {
        /// The volume's name, unique in the pod.
        name: String = "name",
        /// A PersistentVolumeClaim in the pod's namespace.
        persistent_volume_claim: Option<PersistentVolumeClaimVolumeSource> = "persistentVolumeClaim",
        /// A scratch directory that lives as long as the pod.
        empty_dir: Option<EmptyDirVolumeSource> = "emptyDir",
        /// The keys of a ConfigMap as files.
        config_map: Option<ConfigMapVolumeSource> = "configMap",
        /// The keys of a Secret as files.
        secret: Option<SecretVolumeSource> = "secret",
    }
}

wire_struct! {
    /// A claim mounted as a volume (`core/v1.PersistentVolumeClaimVolumeSource`).
    pub struct PersistentVolumeClaimVolumeSource {
        /// Name of the claim in the pod's namespace.
        claim_name: String = "claimName",
        /// Mount read-only.
        read_only: Option<bool> = "readOnly",
    }
}

wire_struct! {
    /// A scratch directory (`core/v1.EmptyDirVolumeSource`).
    pub struct EmptyDirVolumeSource {
        /// Backing medium: node default (`""`), `Memory`, or huge pages.
        medium: Option<String> = "medium",
        /// The most local storage the directory may use.
        size_limit: Option<Quantity> = "sizeLimit",
    }
}

wire_struct! {
    /// A ConfigMap as files (`core/v1.ConfigMapVolumeSource`).
    pub struct ConfigMapVolumeSource {
        /// The ConfigMap's name.
        name: Option<String> = "name",
        /// Which keys to project, and where; all keys when unset.
        items: Option<Vec<KeyToPath>> = "items",
        /// File mode bits for the files.
        default_mode: Option<i32> = "defaultMode",
        /// Whether the ConfigMap may be missing.
        optional: Option<bool> = "optional",
    }
}

wire_struct! {
    /// A Secret as files (`core/v1.SecretVolumeSource`).
    pub struct SecretVolumeSource {
        /// The Secret's name.
        secret_name: Option<String> = "secretName",
        /// Which keys to project, and where; all keys when unset.
        items: Option<Vec<KeyToPath>> = "items",
        /// File mode bits for the files.
        default_mode: Option<i32> = "defaultMode",
        /// Whether the Secret may be missing.
        optional: Option<bool> = "optional",
    }
}

wire_struct! {
    /// One key projected to a file (`core/v1.KeyToPath`).
    pub struct KeyToPath {
        /// The key.
        key: String = "key",
        /// Relative file path.
        path: String = "path",
        /// File mode bits for this file.
        mode: Option<i32> = "mode",
    }
}

// ---------------------------------------------------------------- scheduling

wire_struct! {
    /// Scheduling affinity of a pod (`core/v1.Affinity`).
    pub struct Affinity {
        /// Which nodes the pod may or prefers to run on.
        node_affinity: Option<NodeAffinity> = "nodeAffinity",
        /// Co-location with other pods, kept as written.
        pod_affinity: Option<serde_json::Value> = "podAffinity",
        /// Separation from other pods, kept as written.
        pod_anti_affinity: Option<serde_json::Value> = "podAntiAffinity",
    }
}

wire_struct! {
    /// Node affinity (`core/v1.NodeAffinity`).
    pub struct NodeAffinity {
        /// Nodes the pod may be scheduled onto; not re-checked once running.
        required_during_scheduling_ignored_during_execution: Option<NodeSelector> =
            "requiredDuringSchedulingIgnoredDuringExecution",
        /// Weighted node preferences for scoring.
        preferred_during_scheduling_ignored_during_execution: Option<Vec<PreferredSchedulingTerm>> =
            "preferredDuringSchedulingIgnoredDuringExecution",
    }
}

wire_struct! {
    /// A node selector: the terms are ORed (`core/v1.NodeSelector`).
    pub struct NodeSelector {
        /// The terms; a node matches when any term matches.
        node_selector_terms: Vec<NodeSelectorTerm> = "nodeSelectorTerms",
    }
}

wire_struct! {
    /// One node selector term: its requirements are ANDed
    /// (`core/v1.NodeSelectorTerm`).
    pub struct NodeSelectorTerm {
        /// Requirements on node labels.
        match_expressions: Option<Vec<NodeSelectorRequirement>> = "matchExpressions",
        /// Requirements on node fields (only `metadata.name`).
        match_fields: Option<Vec<NodeSelectorRequirement>> = "matchFields",
    }
}

wire_struct! {
    /// A requirement on a node label or field (`core/v1.NodeSelectorRequirement`).
    pub struct NodeSelectorRequirement {
        /// The label key or field path.
        key: String = "key",
        /// How the key relates to the values.
        operator: NodeSelectorOperator = "operator",
        /// The values; one integer for `Gt`/`Lt`, none for `Exists`/`DoesNotExist`.
        values: Option<Vec<String>> = "values",
    }
}

impl NodeSelectorRequirement {
    /// The operator as the API server reads it: a missing or null
    /// `operator` is Go's empty string, no operator (`Other("")`), which
    /// makes the term a parse error that matches nothing (upstream:
    /// nodeSelectorRequirementsAsSelector), not the first variant.
    pub fn operator_as_read(&self) -> std::borrow::Cow<'_, NodeSelectorOperator> {
        super::wire::enum_as_read(self.is_unset_on_wire("operator"), &self.operator)
    }
}

wire_enum! {
    /// Operator of a [`NodeSelectorRequirement`] (`core/v1.NodeSelectorOperator`).
    pub enum NodeSelectorOperator {
        /// The value is one of `values`.
        In = "In",
        /// The key is absent or its value is not in `values`.
        NotIn = "NotIn",
        /// The key is present.
        Exists = "Exists",
        /// The key is absent.
        DoesNotExist = "DoesNotExist",
        /// The value, as an integer, is greater than `values[0]`.
        Gt = "Gt",
        /// The value, as an integer, is less than `values[0]`.
        Lt = "Lt",
    }
}

wire_struct! {
    /// A weighted node preference (`core/v1.PreferredSchedulingTerm`).
    pub struct PreferredSchedulingTerm {
        /// Weight added to a node's score when the preference matches (1-100).
        weight: i32 = "weight",
        /// The preference.
        preference: NodeSelectorTerm = "preference",
    }
}

wire_struct! {
    /// A taint the pod tolerates (`core/v1.Toleration`).
    pub struct Toleration {
        /// The taint key; empty with `Exists` matches every taint.
        key: Option<String> = "key",
        /// How the key and value are compared; `Equal` when unset.
        operator: Option<TolerationOperator> = "operator",
        /// The value compared with the taint's.
        value: Option<String> = "value",
        /// The taint effect matched; every effect when unset.
        effect: Option<TaintEffect> = "effect",
        /// For `NoExecute`: how long the pod stays bound after the taint
        /// appears; forever when unset.
        toleration_seconds: Option<i64> = "tolerationSeconds",
    }
}

wire_enum! {
    /// Operator of a [`Toleration`] (`core/v1.TolerationOperator`).
    pub enum TolerationOperator {
        /// The taint's value equals the toleration's.
        Equal = "Equal",
        /// Any value.
        Exists = "Exists",
        /// The taint's value, as an integer, is less than the toleration's
        /// (alpha gate `TaintTolerationComparisonOperators`).
        Lt = "Lt",
        /// The taint's value, as an integer, is greater than the toleration's
        /// (alpha gate `TaintTolerationComparisonOperators`).
        Gt = "Gt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pod_round_trips_unchanged() -> Result<(), Box<dyn std::error::Error>> {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "web-0", "namespace": "default", "creationTimestamp": null},
            "spec": {
                "initContainers": [
                    {"name": "init", "image": "busybox", "command": ["sh", "-c", "true"], "args": []},
                    {"name": "proxy", "image": "envoy", "restartPolicy": "Always",
                     "startupProbe": {"tcpSocket": {"port": 15000}, "failureThreshold": 30}}
                ],
                "containers": [{
                    "name": "web",
                    "image": "nginx:1.27",
                    "ports": [{"name": "http", "containerPort": 80, "protocol": "TCP"}],
                    "env": [{"name": "A", "value": "1"},
                            {"name": "B", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                    "resources": {"limits": {"cpu": 1, "memory": "128Mi"}, "requests": {"cpu": 0.25}},
                    "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http", "scheme": "HTTP",
                                      "httpHeaders": [{"name": "X", "value": "y"}]},
                                      "periodSeconds": 5},
                    "readinessProbe": {"exec": {"command": ["cat", "/ready"]}, "initialDelaySeconds": 3},
                    "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                    "futureField": {"x": 1}
                }],
                "volumes": [
                    {"name": "data", "persistentVolumeClaim": {"claimName": "data-web-0"}},
                    {"name": "host", "hostPath": {"path": "/var"}}
                ],
                "tolerations": [{"operator": "Exists"}],
                "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [{"matchExpressions": [
                        {"key": "zone", "operator": "In", "values": ["a", "b"]}]}]}}}
            },
            "status": {
                "phase": "Running",
                "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": null,
                                "lastTransitionTime": "2024-05-01T12:00:00Z"}],
                "containerStatuses": [{"name": "web", "ready": true, "restartCount": 0,
                                       "image": "nginx:1.27", "imageID": "", "started": true,
                                       "state": {"running": {"startedAt": "2024-05-01T12:00:00Z"}},
                                       "lastState": {}}]
            }
        });
        let pod: Pod = serde_json::from_value(v.clone())?;
        assert_eq!(serde_json::to_value(&pod)?, v);

        let spec = pod.spec.as_ref().ok_or("spec")?;
        assert_eq!(spec.restart_policy(), RestartPolicy::Always);
        assert_eq!(spec.sidecars().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["proxy"]);
        assert!(!spec.init_containers()[0].is_sidecar());
        let web = &spec.containers[0];
        let live = web.liveness_probe.as_ref().ok_or("livenessProbe")?;
        assert_eq!(live.period_seconds_or_default(), 5);
        assert_eq!(live.failure_threshold_or_default(), 3);
        assert_eq!(live.timeout_seconds_or_default(), 1);
        let http_get = live.http_get.as_ref().ok_or("httpGet")?;
        assert_eq!(http_get.port, IntOrString::String("http".into()));
        let resources = web.resources.as_ref().ok_or("resources")?;
        let limits = resources.limits.as_ref().ok_or("limits")?;
        assert_eq!(limits.get("cpu").map(|q| q.value.as_str()), Some("1"));
        assert!(spec.volumes()[1].other.contains_key("hostPath"));
        assert!(web.other.contains_key("futureField"));
        assert_eq!(spec.tolerations()[0].operator, Some(TolerationOperator::Exists));
        let status = pod.status.as_ref().ok_or("status")?;
        let web_status = status.container_status("web").ok_or("web status")?;
        assert!(web_status.state.as_ref().is_some_and(|s| s.is_running()));
        assert!(web_status.last_state.as_ref().is_some_and(|s| s.is_waiting()));
        assert!(status.condition(crate::api::pod_status::pod_condition::READY).is_some());
        Ok(())
    }
}
