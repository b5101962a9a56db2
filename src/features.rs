//! Feature gates: upstream behaviour that depends on a Kubernetes feature gate
//! is selected through one [`FeatureGates`] value, passed in a controller's or
//! the kubelet's config.
//!
//! The default is upstream's default in the release this crate follows
//! (1.33–1.35): GA and on-by-default beta gates on, alpha gates off, and
//! `MaxUnavailableStatefulSet` off. Add a gate here (with its upstream stage
//! in the doc comment) rather than a private boolean in a module.
//!
//! upstream: pkg/features/kube_features.go (gate names, stages and
//! defaults). Deviations: only the gates this crate's behaviour depends on
//! are listed; gates that are GA and locked on are not selectable (the
//! behaviour is always on); `MaxUnavailableStatefulSet` defaults to off
//! (DECISIONS statefulset Q3).

/// Kubernetes feature gates this crate's behaviour depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FeatureGates {
    /// `SidecarContainers` (GA 1.33): init containers with
    /// `restartPolicy: Always` are sidecars.
    pub sidecar_containers: bool,
    /// `PodReadyToStartContainersCondition` (beta, on): the kubelet reports the
    /// `PodReadyToStartContainers` condition.
    pub pod_ready_to_start_containers_condition: bool,
    /// `KubeletCrashLoopBackOffMax` (alpha 1.32, beta and on in 1.35): a
    /// per-node maximum restart delay (`crashLoopBackOff.maxContainerRestartPeriod`,
    /// defaulted to 300 s), which also wins over
    /// `ReduceDefaultCrashLoopBackOffDecay`'s 60 s.
    pub kubelet_crash_loop_back_off_max: bool,
    /// `ReduceDefaultCrashLoopBackOffDecay` (alpha 1.33, off): back-off starts
    /// at 1 s and tops out at 60 s.
    pub reduce_default_crash_loop_back_off_decay: bool,
    /// `PodObservedGenerationTracking` (beta 1.34, GA in 1.35, on): pod
    /// conditions and status carry `observedGeneration`.
    pub pod_observed_generation_tracking: bool,
    /// `MaxUnavailableStatefulSet` (alpha 1.24, beta and on in 1.35.0 to
    /// 1.35.3, off from 1.35.4 and in 1.36 after a regression in Parallel
    /// pod management, kubernetes PRs 137904 / 137926; off here too, as
    /// DECISIONS statefulset Q3 chose): `maxUnavailable` in StatefulSet
    /// rolling updates.
    pub max_unavailable_stateful_set: bool,
    /// `DeploymentReplicaSetTerminatingReplicas` (beta 1.35, on):
    /// `status.terminatingReplicas` on Deployments and ReplicaSets.
    pub deployment_replica_set_terminating_replicas: bool,
    /// `JobPodReplacementPolicy` (GA): `podReplacementPolicy` and
    /// `status.terminating` on Jobs.
    pub job_pod_replacement_policy: bool,
    /// `JobManagedBy` (GA 1.35): Jobs whose `spec.managedBy` names another
    /// controller are left alone.
    pub job_managed_by: bool,
    /// `PodDeletionCost` (beta 1.22, on): the
    /// `controller.kubernetes.io/pod-deletion-cost` annotation orders
    /// ReplicaSet scale-down.
    pub pod_deletion_cost: bool,
    /// `PodLifecycleSleepActionAllowZero` (beta 1.33, on): a `sleep` hook of
    /// 0 seconds is valid.
    pub pod_lifecycle_sleep_action_allow_zero: bool,
    /// `RelaxedEnvironmentVariableValidation` (GA 1.34, on): environment
    /// variable names may be any printable ASCII except `=`.
    pub relaxed_environment_variable_validation: bool,
    /// `ContainerRestartRules` (alpha 1.34, beta and on in 1.35): container-level
    /// `restartPolicy` and `restartPolicyRules` on regular containers,
    /// values other than `Always` on init containers, validated and applied
    /// by [`crate::kubelet::PodLifecycle`] and the phase
    /// ([`crate::pod::get_phase_with_gates`]). Off, the API server drops
    /// those fields before validation and the pod's policy decides.
    /// `RestartAllContainersOnContainerExits` (alpha in 1.35, off) is not
    /// modelled: its `RestartAllContainers` action is rejected, as a 1.35
    /// API server rejects it.
    pub container_restart_rules: bool,
    /// `ContainerStopSignals` (alpha 1.33, off through 1.35): a
    /// container's `lifecycle.stopSignal`. Off, the API server drops the
    /// field before validation (`dropDisabledFields`), so validation does
    /// not look at it.
    pub container_stop_signals: bool,
    /// `EnvFiles` (alpha 1.34, beta and on in 1.35): environment variables
    /// read from a file in an `emptyDir` volume (`valueFrom.fileKeyRef`).
    /// Off, the API server drops `fileKeyRef` sources before validation
    /// unless the stored object already used one.
    pub env_files: bool,
    /// `TaintTolerationComparisonOperators` (alpha 1.35, off): tolerations
    /// with the `Lt` / `Gt` operators compare integer taint values.
    pub taint_toleration_comparison_operators: bool,
    /// `HostnameOverride` (alpha 1.34, beta and on in 1.35): a pod's
    /// `spec.hostnameOverride`. Off, the API server drops the field before
    /// validation, so validation does not look at it.
    pub hostname_override: bool,
    /// `StatefulSetSemanticRevisionComparison` (beta and on, in 1.35.0 and
    /// 1.34.2+): when no ControllerRevision holds the set's template byte
    /// for byte, the latest one still counts as the template's if the two
    /// are equal once defaulted and re-serialized (a revision written by an
    /// older API server, with `creationTimestamp: null` in the template's
    /// metadata, then rolls no pod).
    pub stateful_set_semantic_revision_comparison: bool,
    /// `SELinuxMount` (beta 1.33, off): off, a pod may set its
    /// `seLinuxChangePolicy` only to `Recursive`, unless the stored object
    /// of an update already set one.
    pub se_linux_mount: bool,
    /// `UserNamespacesHostNetworkSupport` (alpha 1.35, off): a pod with
    /// `hostUsers: false` may use the host network. Off, only a stored pod
    /// that already did may keep it.
    pub user_namespaces_host_network_support: bool,
    /// `ClusterTrustBundleProjection` (beta, off by default): a projected
    /// volume may project a ClusterTrustBundle. Off, the API server drops
    /// such a source before validating.
    pub cluster_trust_bundle_projection: bool,
    /// `PodCertificateRequest` (beta in 1.35, off by default): a projected
    /// volume may hold a `podCertificate` source. Off, the API server drops
    /// it before validating.
    pub pod_certificate_request: bool,
}

impl Default for FeatureGates {
    fn default() -> Self {
        FeatureGates {
            sidecar_containers: true,
            pod_ready_to_start_containers_condition: true,
            kubelet_crash_loop_back_off_max: true,
            reduce_default_crash_loop_back_off_decay: false,
            pod_observed_generation_tracking: true,
            max_unavailable_stateful_set: false,
            deployment_replica_set_terminating_replicas: true,
            job_pod_replacement_policy: true,
            job_managed_by: true,
            pod_deletion_cost: true,
            pod_lifecycle_sleep_action_allow_zero: true,
            relaxed_environment_variable_validation: true,
            container_restart_rules: true,
            container_stop_signals: false,
            env_files: true,
            taint_toleration_comparison_operators: false,
            hostname_override: true,
            stateful_set_semantic_revision_comparison: true,
            se_linux_mount: false,
            user_namespaces_host_network_support: false,
            cluster_trust_bundle_projection: false,
            pod_certificate_request: false,
        }
    }
}
