//! Replicated workloads: ReplicaSet and Deployment, StatefulSet and DaemonSet
//! (`apps/v1`), and the older ReplicationController (`v1`).
//!
//! upstream: kubernetes/api apps/v1/types.go, core/v1/types.go
//! (ReplicationController).
//!
//! Fields the API requires are plain values (a missing one reads as its zero
//! value, as the API server's decoder does); optional fields are `Option`, so
//! a field left out of a manifest stays left out when it is written back. The
//! `*_or_default` accessors give the value the API server's defaulting would
//! fill in (see `semantics/defaults.md`).

use super::intstr::IntOrString;
use super::meta::{Condition, LabelSelector, ObjectMeta, StringMap};
use super::pod::PodTemplateSpec;
use super::storage::PersistentVolumeClaim;
use super::wire::{wire_enum, wire_struct};

/// The replica count the API server fills in when `spec.replicas` is unset.
pub const DEFAULT_REPLICAS: i32 = 1;

/// The number of old revisions kept when `spec.revisionHistoryLimit` is unset
/// (Deployment, StatefulSet, DaemonSet).
pub const DEFAULT_REVISION_HISTORY_LIMIT: i32 = 10;

/// The progress deadline of a Deployment when `spec.progressDeadlineSeconds`
/// is unset.
pub const DEFAULT_PROGRESS_DEADLINE_SECONDS: i32 = 600;

// ---------------------------------------------------------------------------
// ReplicaSet
// ---------------------------------------------------------------------------

wire_struct! {
    /// Keeps a stable number of identical pods running (`apps/v1`).
    pub struct ReplicaSet {
        /// `apps/v1`.
        api_version: Option<String> = "apiVersion",
        /// `ReplicaSet`.
        kind: Option<String> = "kind",
        /// Name, namespace, labels, owner references...
        metadata: ObjectMeta = "metadata",
        /// What the user asked for.
        spec: Option<ReplicaSetSpec> = "spec",
        /// What the controller last observed.
        status: Option<ReplicaSetStatus> = "status",
    }
}

wire_struct! {
    /// The desired state of a [`ReplicaSet`].
    pub struct ReplicaSetSpec {
        /// How many pods should exist; unset means 1.
        replicas: Option<i32> = "replicas",
        /// Seconds a pod must stay ready, with no container crashing, before it
        /// counts as available.
        min_ready_seconds: Option<i32> = "minReadySeconds",
        /// Which pods this ReplicaSet counts and owns; must match the template's
        /// labels.
        selector: LabelSelector = "selector",
        /// The pod created whenever too few pods match the selector.
        template: Option<PodTemplateSpec> = "template",
    }
}

wire_struct! {
    /// What the controller last reported about a [`ReplicaSet`].
    pub struct ReplicaSetStatus {
        /// Pods the controller counts as its own (active and not terminating).
        replicas: i32 = "replicas",
        /// Pods whose labels match every label of the pod template.
        fully_labeled_replicas: Option<i32> = "fullyLabeledReplicas",
        /// Pods with the Ready condition.
        ready_replicas: Option<i32> = "readyReplicas",
        /// Pods ready for at least `minReadySeconds`.
        available_replicas: Option<i32> = "availableReplicas",
        /// Pods being deleted (deletion timestamp set, not yet terminal);
        /// reported only with the `DeploymentReplicaSetTerminatingReplicas`
        /// feature.
        terminating_replicas: Option<i32> = "terminatingReplicas",
        /// The `metadata.generation` this status was computed for.
        observed_generation: Option<i64> = "observedGeneration",
        /// Conditions such as `ReplicaFailure`.
        conditions: Option<Vec<Condition>> = "conditions",
    }
}

impl ReplicaSetSpec {
    /// `spec.replicas`, or 1 when unset.
    pub fn replicas_or_default(&self) -> i32 {
        self.replicas.unwrap_or(DEFAULT_REPLICAS)
    }
}

// ---------------------------------------------------------------------------
// ReplicationController
// ---------------------------------------------------------------------------

wire_struct! {
    /// The predecessor of [`ReplicaSet`] in the core group (`v1`), selecting
    /// its pods with a plain label map.
    pub struct ReplicationController {
        /// `v1`.
        api_version: Option<String> = "apiVersion",
        /// `ReplicationController`.
        kind: Option<String> = "kind",
        /// Name, namespace, labels, owner references...
        metadata: ObjectMeta = "metadata",
        /// What the user asked for.
        spec: Option<ReplicationControllerSpec> = "spec",
        /// What the controller last observed.
        status: Option<ReplicationControllerStatus> = "status",
    }
}

wire_struct! {
    /// The desired state of a [`ReplicationController`].
    pub struct ReplicationControllerSpec {
        /// How many pods should exist; unset means 1.
        replicas: Option<i32> = "replicas",
        /// Seconds a pod must stay ready before it counts as available.
        min_ready_seconds: Option<i32> = "minReadySeconds",
        /// Labels a pod must carry (all of them, with these values) to be
        /// counted; defaulted from the template's labels when empty.
        selector: Option<StringMap> = "selector",
        /// The pod created whenever too few pods match the selector.
        template: Option<PodTemplateSpec> = "template",
    }
}

wire_struct! {
    /// What the controller last reported about a [`ReplicationController`].
    /// Like [`ReplicaSetStatus`] without `terminatingReplicas`.
    pub struct ReplicationControllerStatus {
        /// Pods the controller counts as its own.
        replicas: i32 = "replicas",
        /// Pods whose labels match every label of the pod template.
        fully_labeled_replicas: Option<i32> = "fullyLabeledReplicas",
        /// Pods with the Ready condition.
        ready_replicas: Option<i32> = "readyReplicas",
        /// Pods ready for at least `minReadySeconds`.
        available_replicas: Option<i32> = "availableReplicas",
        /// The `metadata.generation` this status was computed for.
        observed_generation: Option<i64> = "observedGeneration",
        /// Conditions such as `ReplicaFailure`.
        conditions: Option<Vec<Condition>> = "conditions",
    }
}

impl ReplicationControllerSpec {
    /// `spec.replicas`, or 1 when unset.
    pub fn replicas_or_default(&self) -> i32 {
        self.replicas.unwrap_or(DEFAULT_REPLICAS)
    }
}

// ---------------------------------------------------------------------------
// Deployment
// ---------------------------------------------------------------------------

wire_struct! {
    /// Rolls pods out declaratively through a series of ReplicaSets
    /// (`apps/v1`).
    pub struct Deployment {
        /// `apps/v1`.
        api_version: Option<String> = "apiVersion",
        /// `Deployment`.
        kind: Option<String> = "kind",
        /// Name, namespace, labels, annotations (revision, change cause)...
        metadata: ObjectMeta = "metadata",
        /// What the user asked for.
        spec: Option<DeploymentSpec> = "spec",
        /// What the controller last observed.
        status: Option<DeploymentStatus> = "status",
    }
}

wire_struct! {
    /// The desired state of a [`Deployment`].
    pub struct DeploymentSpec {
        /// How many pods should exist; unset means 1.
        replicas: Option<i32> = "replicas",
        /// Which pods and ReplicaSets belong to the Deployment.
        selector: LabelSelector = "selector",
        /// The pod every ReplicaSet of the current revision runs.
        template: PodTemplateSpec = "template",
        /// How old pods are replaced by new ones.
        strategy: Option<DeploymentStrategy> = "strategy",
        /// Seconds a new pod must stay ready before it counts as available.
        min_ready_seconds: Option<i32> = "minReadySeconds",
        /// How many old ReplicaSets to keep for rollback; unset means 10.
        revision_history_limit: Option<i32> = "revisionHistoryLimit",
        /// When true, the controller stops rolling out template changes.
        paused: Option<bool> = "paused",
        /// Seconds without progress after which the rollout is reported as
        /// failed; unset means 600.
        progress_deadline_seconds: Option<i32> = "progressDeadlineSeconds",
    }
}

wire_struct! {
    /// How a [`Deployment`] replaces old pods with new ones.
    pub struct DeploymentStrategy {
        /// `RollingUpdate` (the default) or `Recreate`.
        type_: Option<DeploymentStrategyType> = "type",
        /// Bounds of a rolling update; only meaningful for `RollingUpdate`.
        rolling_update: Option<RollingUpdateDeployment> = "rollingUpdate",
    }
}

wire_enum! {
    /// The kind of a [`DeploymentStrategy`].
    pub enum DeploymentStrategyType {
        /// Scale the new ReplicaSet up and old ones down step by step.
        RollingUpdate = "RollingUpdate",
        /// Delete every old pod before creating new ones.
        Recreate = "Recreate",
    }
}

wire_struct! {
    /// Bounds of a Deployment rolling update.
    pub struct RollingUpdateDeployment {
        /// How many desired pods may be unavailable during the update (a count
        /// or a percentage, rounded down); the API server fills in `25%`.
        max_unavailable: Option<IntOrString> = "maxUnavailable",
        /// How many pods may exist above the desired count (a count or a
        /// percentage, rounded up); the API server fills in `25%`.
        max_surge: Option<IntOrString> = "maxSurge",
    }
}

wire_struct! {
    /// What the controller last reported about a [`Deployment`].
    pub struct DeploymentStatus {
        /// The `metadata.generation` this status was computed for.
        observed_generation: Option<i64> = "observedGeneration",
        /// Pods of all the Deployment's ReplicaSets (not terminating).
        replicas: Option<i32> = "replicas",
        /// Pods of the current revision's ReplicaSet.
        updated_replicas: Option<i32> = "updatedReplicas",
        /// Pods with the Ready condition.
        ready_replicas: Option<i32> = "readyReplicas",
        /// Pods ready for at least `minReadySeconds`.
        available_replicas: Option<i32> = "availableReplicas",
        /// Desired pods not yet available (never negative).
        unavailable_replicas: Option<i32> = "unavailableReplicas",
        /// Pods being deleted; reported only with the
        /// `DeploymentReplicaSetTerminatingReplicas` feature.
        terminating_replicas: Option<i32> = "terminatingReplicas",
        /// `Available`, `Progressing` and `ReplicaFailure` conditions.
        conditions: Option<Vec<Condition>> = "conditions",
        /// Bumped when the pod-template hash of a new ReplicaSet collides with
        /// an existing name, to make the next hash differ.
        collision_count: Option<i32> = "collisionCount",
    }
}

impl DeploymentSpec {
    /// `spec.replicas`, or 1 when unset.
    pub fn replicas_or_default(&self) -> i32 {
        self.replicas.unwrap_or(DEFAULT_REPLICAS)
    }

    /// `spec.revisionHistoryLimit`, or 10 when unset.
    pub fn revision_history_limit_or_default(&self) -> i32 {
        self.revision_history_limit.unwrap_or(DEFAULT_REVISION_HISTORY_LIMIT)
    }

    /// `spec.progressDeadlineSeconds`, or 600 when unset.
    pub fn progress_deadline_seconds_or_default(&self) -> i32 {
        self.progress_deadline_seconds.unwrap_or(DEFAULT_PROGRESS_DEADLINE_SECONDS)
    }

    /// The strategy type, `RollingUpdate` when unset.
    pub fn strategy_type(&self) -> DeploymentStrategyType {
        self.strategy.as_ref().and_then(|s| s.type_.clone()).unwrap_or_default()
    }

    /// Whether `spec.paused` is true.
    pub fn is_paused(&self) -> bool {
        self.paused == Some(true)
    }
}

// ---------------------------------------------------------------------------
// StatefulSet
// ---------------------------------------------------------------------------

wire_struct! {
    /// Runs pods with stable ordinal names and per-pod storage (`apps/v1`).
    pub struct StatefulSet {
        /// `apps/v1`.
        api_version: Option<String> = "apiVersion",
        /// `StatefulSet`.
        kind: Option<String> = "kind",
        /// Name, namespace, labels, owner references...
        metadata: ObjectMeta = "metadata",
        /// What the user asked for.
        spec: Option<StatefulSetSpec> = "spec",
        /// What the controller last observed.
        status: Option<StatefulSetStatus> = "status",
    }
}

wire_struct! {
    /// The desired state of a [`StatefulSet`].
    pub struct StatefulSetSpec {
        /// How many ordinals should exist; unset means 1.
        replicas: Option<i32> = "replicas",
        /// Which pods belong to the StatefulSet.
        selector: LabelSelector = "selector",
        /// The pod every ordinal runs (named `<set>-<ordinal>`).
        template: PodTemplateSpec = "template",
        /// Claims created once per ordinal and mounted into its pod
        /// (`<template>-<set>-<ordinal>`).
        volume_claim_templates: Option<Vec<PersistentVolumeClaim>> = "volumeClaimTemplates",
        /// The headless Service that gives the pods their network identity.
        service_name: Option<String> = "serviceName",
        /// `OrderedReady` (the default: one ordinal at a time) or `Parallel`.
        pod_management_policy: Option<PodManagementPolicyType> = "podManagementPolicy",
        /// How pods are replaced when the template changes.
        update_strategy: Option<StatefulSetUpdateStrategy> = "updateStrategy",
        /// How many old ControllerRevisions to keep; unset means 10.
        revision_history_limit: Option<i32> = "revisionHistoryLimit",
        /// Seconds a pod must stay ready before it counts as available.
        min_ready_seconds: Option<i32> = "minReadySeconds",
        /// Whether claims from `volumeClaimTemplates` are deleted with the set
        /// or on scale-down.
        persistent_volume_claim_retention_policy:
            Option<StatefulSetPersistentVolumeClaimRetentionPolicy> = "persistentVolumeClaimRetentionPolicy",
        /// The ordinal numbering; unset starts at 0.
        ordinals: Option<StatefulSetOrdinals> = "ordinals",
    }
}

wire_enum! {
    /// How a [`StatefulSet`] creates and deletes pods when scaling.
    pub enum PodManagementPolicyType {
        /// One ordinal at a time: create in increasing order, each after the
        /// previous is ready; delete in decreasing order.
        OrderedReady = "OrderedReady",
        /// Create and delete all pods at once, without waiting.
        Parallel = "Parallel",
    }
}

wire_struct! {
    /// How a [`StatefulSet`] replaces pods whose revision is out of date.
    pub struct StatefulSetUpdateStrategy {
        /// `RollingUpdate` (the default) or `OnDelete`.
        type_: Option<StatefulSetUpdateStrategyType> = "type",
        /// Bounds of a rolling update; only meaningful for `RollingUpdate`.
        rolling_update: Option<RollingUpdateStatefulSetStrategy> = "rollingUpdate",
    }
}

wire_enum! {
    /// The kind of a [`StatefulSetUpdateStrategy`].
    pub enum StatefulSetUpdateStrategyType {
        /// The controller deletes and recreates out-of-date pods, highest
        /// ordinal first.
        RollingUpdate = "RollingUpdate",
        /// Pods are updated only when something else deletes them.
        OnDelete = "OnDelete",
    }
}

wire_struct! {
    /// Bounds of a StatefulSet rolling update.
    pub struct RollingUpdateStatefulSetStrategy {
        /// Ordinals below this keep the old revision; unset means 0.
        partition: Option<i32> = "partition",
        /// How many pods may be unavailable during the update (a count or a
        /// percentage); honoured only with the `MaxUnavailableStatefulSet`
        /// feature, otherwise 1.
        max_unavailable: Option<IntOrString> = "maxUnavailable",
    }
}

wire_struct! {
    /// What happens to the claims of a [`StatefulSet`]'s volume claim templates.
    pub struct StatefulSetPersistentVolumeClaimRetentionPolicy {
        /// When the StatefulSet is deleted; unset means `Retain`.
        when_deleted: Option<PersistentVolumeClaimRetentionPolicyType> = "whenDeleted",
        /// When the StatefulSet is scaled down; unset means `Retain`.
        when_scaled: Option<PersistentVolumeClaimRetentionPolicyType> = "whenScaled",
    }
}

wire_enum! {
    /// Whether a StatefulSet's claims outlive their pods.
    pub enum PersistentVolumeClaimRetentionPolicyType {
        /// Keep the claims.
        Retain = "Retain",
        /// Delete the claims (they are owned by the set or the pod).
        Delete = "Delete",
    }
}

wire_struct! {
    /// The ordinal numbering of a [`StatefulSet`].
    pub struct StatefulSetOrdinals {
        /// The first ordinal; the set uses `start..start + replicas`.
        start: Option<i32> = "start",
    }
}

wire_struct! {
    /// What the controller last reported about a [`StatefulSet`].
    pub struct StatefulSetStatus {
        /// The `metadata.generation` this status was computed for.
        observed_generation: Option<i64> = "observedGeneration",
        /// Pods the controller created (not yet deleted).
        replicas: i32 = "replicas",
        /// Pods with the Ready condition.
        ready_replicas: Option<i32> = "readyReplicas",
        /// Pods at `currentRevision`.
        current_replicas: Option<i32> = "currentReplicas",
        /// Pods at `updateRevision`.
        updated_replicas: Option<i32> = "updatedReplicas",
        /// The ControllerRevision the pods below the partition run.
        current_revision: Option<String> = "currentRevision",
        /// The ControllerRevision built from the current template.
        update_revision: Option<String> = "updateRevision",
        /// Bumped when a new ControllerRevision name collides with an existing
        /// one.
        collision_count: Option<i32> = "collisionCount",
        /// Conditions of the set.
        conditions: Option<Vec<Condition>> = "conditions",
        /// Pods ready for at least `minReadySeconds`. Optional here because
        /// older API servers did not report it.
        available_replicas: Option<i32> = "availableReplicas",
    }
}

impl StatefulSetSpec {
    /// `spec.replicas`, or 1 when unset.
    pub fn replicas_or_default(&self) -> i32 {
        self.replicas.unwrap_or(DEFAULT_REPLICAS)
    }

    /// `spec.revisionHistoryLimit`, or 10 when unset.
    pub fn revision_history_limit_or_default(&self) -> i32 {
        self.revision_history_limit.unwrap_or(DEFAULT_REVISION_HISTORY_LIMIT)
    }

    /// The pod management policy, `OrderedReady` when unset.
    pub fn pod_management_policy(&self) -> PodManagementPolicyType {
        self.pod_management_policy.clone().unwrap_or_default()
    }

    /// The update strategy type, `RollingUpdate` when unset.
    pub fn update_strategy_type(&self) -> StatefulSetUpdateStrategyType {
        self.update_strategy.as_ref().and_then(|s| s.type_.clone()).unwrap_or_default()
    }

    /// The rolling-update partition, 0 when unset.
    pub fn partition(&self) -> i32 {
        self.update_strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
            .and_then(|r| r.partition)
            .unwrap_or(0)
    }

    /// The first ordinal, 0 when unset.
    pub fn ordinal_start(&self) -> i32 {
        self.ordinals.as_ref().and_then(|o| o.start).unwrap_or(0)
    }

    /// The claim retention on deletion and on scale-down, in that order;
    /// `Retain` for anything unset.
    pub fn pvc_retention(
        &self,
    ) -> (PersistentVolumeClaimRetentionPolicyType, PersistentVolumeClaimRetentionPolicyType) {
        let policy = self.persistent_volume_claim_retention_policy.as_ref();
        (
            policy.and_then(|p| p.when_deleted.clone()).unwrap_or_default(),
            policy.and_then(|p| p.when_scaled.clone()).unwrap_or_default(),
        )
    }
}

// ---------------------------------------------------------------------------
// DaemonSet
// ---------------------------------------------------------------------------

wire_struct! {
    /// Runs one pod on every eligible node (`apps/v1`).
    pub struct DaemonSet {
        /// `apps/v1`.
        api_version: Option<String> = "apiVersion",
        /// `DaemonSet`.
        kind: Option<String> = "kind",
        /// Name, namespace, labels, owner references...
        metadata: ObjectMeta = "metadata",
        /// What the user asked for.
        spec: Option<DaemonSetSpec> = "spec",
        /// What the controller last observed.
        status: Option<DaemonSetStatus> = "status",
    }
}

wire_struct! {
    /// The desired state of a [`DaemonSet`].
    pub struct DaemonSetSpec {
        /// Which pods belong to the DaemonSet.
        selector: LabelSelector = "selector",
        /// The pod run on each eligible node.
        template: PodTemplateSpec = "template",
        /// How pods are replaced when the template changes.
        update_strategy: Option<DaemonSetUpdateStrategy> = "updateStrategy",
        /// Seconds a new pod must stay ready before it counts as available.
        min_ready_seconds: Option<i32> = "minReadySeconds",
        /// How many old ControllerRevisions to keep; unset means 10.
        revision_history_limit: Option<i32> = "revisionHistoryLimit",
    }
}

wire_struct! {
    /// How a [`DaemonSet`] replaces pods whose revision is out of date.
    pub struct DaemonSetUpdateStrategy {
        /// `RollingUpdate` (the default) or `OnDelete`.
        type_: Option<DaemonSetUpdateStrategyType> = "type",
        /// Bounds of a rolling update; only meaningful for `RollingUpdate`.
        rolling_update: Option<RollingUpdateDaemonSet> = "rollingUpdate",
    }
}

wire_enum! {
    /// The kind of a [`DaemonSetUpdateStrategy`].
    pub enum DaemonSetUpdateStrategyType {
        /// The controller replaces out-of-date pods node by node.
        RollingUpdate = "RollingUpdate",
        /// Pods are updated only when something else deletes them.
        OnDelete = "OnDelete",
    }
}

wire_struct! {
    /// Bounds of a DaemonSet rolling update.
    pub struct RollingUpdateDaemonSet {
        /// How many nodes' pods may be unavailable during the update (a count
        /// or a percentage of desired nodes, rounded up); the API server
        /// fills in 1.
        max_unavailable: Option<IntOrString> = "maxUnavailable",
        /// How many nodes may run an old and a new pod at once (a count or a
        /// percentage, rounded up); the API server fills in 0.
        max_surge: Option<IntOrString> = "maxSurge",
    }
}

wire_struct! {
    /// What the controller last reported about a [`DaemonSet`].
    pub struct DaemonSetStatus {
        /// Nodes that run a daemon pod and should.
        current_number_scheduled: i32 = "currentNumberScheduled",
        /// Nodes that run a daemon pod but should not.
        number_misscheduled: i32 = "numberMisscheduled",
        /// Nodes that should run a daemon pod.
        desired_number_scheduled: i32 = "desiredNumberScheduled",
        /// Nodes whose daemon pod has the Ready condition. Optional here
        /// because some older writers left it out.
        number_ready: Option<i32> = "numberReady",
        /// The `metadata.generation` this status was computed for.
        observed_generation: Option<i64> = "observedGeneration",
        /// Nodes running a daemon pod of the current template.
        updated_number_scheduled: Option<i32> = "updatedNumberScheduled",
        /// Nodes whose daemon pod has been ready for `minReadySeconds`.
        number_available: Option<i32> = "numberAvailable",
        /// Nodes that should run an available daemon pod but do not.
        number_unavailable: Option<i32> = "numberUnavailable",
        /// Bumped when a new ControllerRevision name collides with an existing
        /// one.
        collision_count: Option<i32> = "collisionCount",
        /// Conditions of the set.
        conditions: Option<Vec<Condition>> = "conditions",
    }
}

impl DaemonSetSpec {
    /// `spec.revisionHistoryLimit`, or 10 when unset.
    pub fn revision_history_limit_or_default(&self) -> i32 {
        self.revision_history_limit.unwrap_or(DEFAULT_REVISION_HISTORY_LIMIT)
    }

    /// The update strategy type, `RollingUpdate` when unset.
    pub fn update_strategy_type(&self) -> DaemonSetUpdateStrategyType {
        self.update_strategy.as_ref().and_then(|s| s.type_.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    /// Parses `doc`, checks that writing it back gives `doc` again, and
    /// returns the typed value.
    fn round_trip<T>(doc: serde_json::Value) -> Result<T, serde_json::Error>
    where
        T: serde::de::DeserializeOwned + serde::Serialize,
    {
        let parsed: T = serde_json::from_value(doc.clone())?;
        assert_eq!(serde_json::to_value(&parsed)?, doc);
        Ok(parsed)
    }

    fn template() -> serde_json::Value {
        json!({
            "metadata": {"labels": {"app": "web"}, "creationTimestamp": null},
            "spec": {"containers": [{"name": "web", "image": "nginx"}]}
        })
    }

    #[test]
    fn deployment_round_trips() -> TestResult {
        let doc = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default", "generation": 3},
            "spec": {
                "replicas": 5,
                "selector": {"matchLabels": {"app": "web"}},
                "template": template(),
                "strategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"}
                },
                "minReadySeconds": 10,
                "revisionHistoryLimit": 2,
                "paused": false,
                "progressDeadlineSeconds": 120,
                "futureField": {"x": 1}
            },
            "status": {
                "observedGeneration": 3,
                "replicas": 5,
                "updatedReplicas": 5,
                "readyReplicas": 4,
                "availableReplicas": 4,
                "unavailableReplicas": 1,
                "terminatingReplicas": 0,
                "conditions": [{
                    "type": "Available",
                    "status": "True",
                    "lastUpdateTime": "2024-01-02T03:04:05Z",
                    "lastTransitionTime": "2024-01-02T03:04:05Z",
                    "reason": "MinimumReplicasAvailable",
                    "message": "ok"
                }],
                "collisionCount": null
            }
        });
        let d: Deployment = round_trip(doc)?;
        let spec = d.spec.unwrap_or_default();
        assert_eq!(spec.replicas_or_default(), 5);
        assert_eq!(spec.strategy_type(), DeploymentStrategyType::RollingUpdate);
        assert_eq!(spec.other.get("futureField"), Some(&json!({"x": 1})));
        let rolling = spec.strategy.and_then(|s| s.rolling_update).unwrap_or_default();
        assert_eq!(rolling.max_unavailable, Some(IntOrString::Int(0)));
        assert_eq!(rolling.max_surge, Some(IntOrString::from("25%")));
        Ok(())
    }

    #[test]
    fn empty_strategy_stays_empty() -> TestResult {
        let doc = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {"selector": {}, "template": {}, "strategy": {}},
            "status": {}
        });
        let d: Deployment = round_trip(doc)?;
        let spec = d.spec.unwrap_or_default();
        assert_eq!(spec.replicas_or_default(), 1);
        assert_eq!(spec.revision_history_limit_or_default(), 10);
        assert_eq!(spec.progress_deadline_seconds_or_default(), 600);
        assert_eq!(spec.strategy_type(), DeploymentStrategyType::RollingUpdate);
        Ok(())
    }

    #[test]
    fn replica_set_and_controller_round_trip() -> TestResult {
        let rs = json!({
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "web-abc"},
            "spec": {
                "replicas": 0,
                "minReadySeconds": 1,
                "selector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["web"]}]},
                "template": template()
            },
            "status": {
                "replicas": 0,
                "fullyLabeledReplicas": 0,
                "readyReplicas": 0,
                "availableReplicas": 0,
                "terminatingReplicas": 1,
                "observedGeneration": 2,
                "conditions": [{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate"}],
                "mystery": [1, 2]
            }
        });
        let rs: ReplicaSet = round_trip(rs)?;
        assert_eq!(rs.spec.unwrap_or_default().replicas_or_default(), 0);

        let rc = json!({
            "apiVersion": "v1",
            "kind": "ReplicationController",
            "metadata": {"name": "nginx"},
            "spec": {"replicas": 3, "selector": {"app": "nginx"}, "template": template()},
            "status": {"replicas": 3, "readyReplicas": 3, "availableReplicas": null}
        });
        let rc: ReplicationController = round_trip(rc)?;
        let spec = rc.spec.unwrap_or_default();
        assert_eq!(spec.selector.unwrap_or_default().get("app").map(String::as_str), Some("nginx"));
        Ok(())
    }

    #[test]
    fn stateful_set_round_trips() -> TestResult {
        let doc = json!({
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "db"},
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "db"}},
                "template": template(),
                "volumeClaimTemplates": [{
                    "metadata": {"name": "data"},
                    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
                }],
                "serviceName": "db",
                "podManagementPolicy": "Parallel",
                "updateStrategy": {
                    "type": "RollingUpdate",
                    "rollingUpdate": {"partition": 1, "maxUnavailable": "50%"}
                },
                "revisionHistoryLimit": 4,
                "minReadySeconds": 0,
                "persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Delete", "whenScaled": "Retain"},
                "ordinals": {"start": 5}
            },
            "status": {
                "observedGeneration": 1,
                "replicas": 3,
                "readyReplicas": 3,
                "currentReplicas": 3,
                "updatedReplicas": 3,
                "currentRevision": "db-7d4f",
                "updateRevision": "db-7d4f",
                "collisionCount": 0,
                "conditions": [],
                "availableReplicas": 3,
                "unknownCounter": null
            }
        });
        let s: StatefulSet = round_trip(doc)?;
        let spec = s.spec.unwrap_or_default();
        assert_eq!(spec.pod_management_policy(), PodManagementPolicyType::Parallel);
        assert_eq!(spec.partition(), 1);
        assert_eq!(spec.ordinal_start(), 5);
        assert_eq!(
            spec.pvc_retention(),
            (
                PersistentVolumeClaimRetentionPolicyType::Delete,
                PersistentVolumeClaimRetentionPolicyType::Retain
            )
        );
        Ok(())
    }

    #[test]
    fn stateful_set_defaults_and_unknown_enum() -> TestResult {
        let doc = json!({
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "db"},
            "spec": {
                "selector": {"matchLabels": {"app": "db"}},
                "template": template(),
                "podManagementPolicy": "Someday",
                "updateStrategy": {}
            }
        });
        let s: StatefulSet = round_trip(doc)?;
        let spec = s.spec.unwrap_or_default();
        assert_eq!(spec.pod_management_policy(), PodManagementPolicyType::Other("Someday".into()));
        assert_eq!(spec.update_strategy_type(), StatefulSetUpdateStrategyType::RollingUpdate);
        assert_eq!(spec.partition(), 0);
        assert_eq!(spec.ordinal_start(), 0);
        assert_eq!(spec.replicas_or_default(), 1);
        Ok(())
    }

    #[test]
    fn daemon_set_round_trips() -> TestResult {
        let doc = json!({
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "metadata": {"name": "agent"},
            "spec": {
                "selector": {"matchLabels": {"app": "agent"}},
                "template": template(),
                "updateStrategy": {"type": "OnDelete", "rollingUpdate": null},
                "minReadySeconds": 5,
                "revisionHistoryLimit": 3,
                "templateGeneration": 2
            },
            "status": {
                "currentNumberScheduled": 2,
                "numberMisscheduled": 0,
                "desiredNumberScheduled": 2,
                "numberReady": 1,
                "observedGeneration": 4,
                "updatedNumberScheduled": 2,
                "numberAvailable": 1,
                "numberUnavailable": 1,
                "collisionCount": 0,
                "conditions": [{"type": "X", "status": "Unknown"}]
            }
        });
        let d: DaemonSet = round_trip(doc)?;
        let spec = d.spec.unwrap_or_default();
        assert_eq!(spec.update_strategy_type(), DaemonSetUpdateStrategyType::OnDelete);
        assert_eq!(spec.revision_history_limit_or_default(), 3);
        assert_eq!(d.status.unwrap_or_default().number_ready, Some(1));
        Ok(())
    }
}
