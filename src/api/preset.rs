//! PodPreset (`settings.k8s.io/v1alpha1`): extra environment and volumes
//! injected into matching pods at creation.
//!
//! The API was alpha and removed in Kubernetes 1.20; the crate keeps it
//! because the seed notes describe it. upstream: kubernetes/api
//! settings/v1alpha1/types.go (last version before removal). The admission
//! rules are in `semantics/podpreset.md`.

use super::meta::{LabelSelector, ObjectMeta};
use super::pod::{EnvFromSource, EnvVar, Volume, VolumeMount};
use super::wire::wire_struct;

wire_struct! {
    /// Environment and volumes to add to every new pod its selector matches
    /// in its namespace.
    pub struct PodPreset {
        /// `settings.k8s.io/v1alpha1`.
        api_version: Option<String> = "apiVersion",
        /// `PodPreset`.
        kind: Option<String> = "kind",
        /// Name, namespace, resource version (recorded on injected pods)...
        metadata: ObjectMeta = "metadata",
        /// What to inject, and into which pods.
        spec: Option<PodPresetSpec> = "spec",
    }
}

wire_struct! {
    /// What a [`PodPreset`] injects and which pods it applies to.
    pub struct PodPresetSpec {
        /// The pods, by label, the preset applies to; an empty selector matches
        /// every pod of the namespace.
        selector: LabelSelector = "selector",
        /// Variables appended to every container and init container.
        env: Option<Vec<EnvVar>> = "env",
        /// Variable sources appended to every container and init container.
        env_from: Option<Vec<EnvFromSource>> = "envFrom",
        /// Volumes appended to the pod.
        volumes: Option<Vec<Volume>> = "volumes",
        /// Mounts appended to every container and init container.
        volume_mounts: Option<Vec<VolumeMount>> = "volumeMounts",
    }
}
