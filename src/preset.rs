//! PodPreset admission: merge the env, envFrom, volumes and volume mounts of
//! every matching PodPreset into a pod at creation, all or nothing.
//!
//! upstream: kubernetes/kubernetes plugin/pkg/admission/podpreset/admission.go
//! (the plugin as it was until its removal in 1.20: `Admit`, `filterPodPresets`,
//! `safeToApplyPodPresetsOnPod`, `safeToApplyPodPresetsOnContainer`,
//! `mergeEnv`, `mergeEnvFrom`, `mergeVolumeMounts`, `mergeVolumes`,
//! `applyPodPresetsOnPod`, `applyPodPresetsOnContainer`). Rules:
//! `semantics/podpreset.md`.
//!
//! ```
//! use kube_workloads::{Pod, preset};
//! use kube_workloads::api::PodPreset;
//!
//! let pod: Pod = serde_json::from_value(serde_json::json!({
//!     "apiVersion": "v1", "kind": "Pod",
//!     "metadata": {"name": "web", "namespace": "default", "labels": {"role": "frontend"}},
//!     "spec": {"containers": [{"name": "c", "image": "nginx"}]}
//! })).unwrap();
//! let allow_db: PodPreset = serde_json::from_value(serde_json::json!({
//!     "apiVersion": "settings.k8s.io/v1alpha1", "kind": "PodPreset",
//!     "metadata": {"name": "allow-database", "namespace": "default", "resourceVersion": "7"},
//!     "spec": {"selector": {"matchLabels": {"role": "frontend"}},
//!              "env": [{"name": "DB_PORT", "value": "6379"}]}
//! })).unwrap();
//! let admitted = preset::apply(&pod, &[allow_db]).unwrap();
//! assert_eq!(admitted.applied, ["allow-database"]);
//! let env = admitted.pod.spec.as_ref().unwrap().containers[0].env.clone().unwrap();
//! assert_eq!(env[0].name, "DB_PORT");
//! assert_eq!(
//!     admitted.pod.metadata.annotation("podpreset.admission.kubernetes.io/podpreset-allow-database"),
//!     Some("7")
//! );
//! ```
//!
//! # Rules
//! - Only the presets of the pod's namespace whose selector matches the
//!   pod's labels apply; an empty selector matches every pod. A selector
//!   that does not convert rejects the pod ([`PresetError`]).
//! - A mirror pod, or a pod annotated
//!   `podpreset.admission.kubernetes.io/exclude: "true"`, is left alone.
//! - Conflicts are checked across all matching presets before anything is
//!   changed: volumes by name, env by name, volume mounts by name and by
//!   mount path, in every container and init container. The same key with
//!   an identical value is kept once; any difference is a conflict.
//!   `envFrom` is not checked for conflicts; a preset's entry that repeats
//!   one of the container's (same prefix, ConfigMap and Secret) is dropped
//!   when identical, and when it differs the container's `envFrom` is
//!   cleared, as the 1.15+ plugin's mergeEnvFrom error leaves it.
//! - On success, the pod's own entries come first, then each preset's in
//!   order, and the pod gets `podpreset.admission.kubernetes.io/podpreset-<name>:
//!   <resourceVersion>` for each preset.
//!
//! # Deviations
//! - Presets are checked and applied in name order (DECISIONS podpreset
//!   Q1; upstream: informer order).
//! - The error for a selector that does not convert names the preset and
//!   the reason; upstream's prints the selector with Go's generated
//!   `String()` (`&LabelSelector{MatchLabels:...}`) and the reason, and no
//!   name.
//! - Entries are compared as written (`envFrom` ones with Go's zero values
//!   equal to missing ones); upstream compares the defaulted pod with the
//!   converted preset, so run [`crate::defaults::apply`] on both first
//!   where defaults matter (an env `fieldRef` without `apiVersion`).
//! - On conflict the pod is admitted unchanged and the result carries a
//!   Warning event `PodPresetConflict` on the pod naming the presets and the
//!   conflicting keys (DECISIONS podpreset Q2; the 1.14 plugin only logs).

use std::collections::HashMap;
use std::fmt;

use crate::api::{Container, EnvFromSource, Pod, PodPreset, Resource};
use crate::controller::{Event, EventType};
use crate::selector::Selector;

/// The annotation that opts a pod out of PodPreset admission (value
/// `"true"`).
pub const EXCLUDE_ANNOTATION: &str = "podpreset.admission.kubernetes.io/exclude";

/// The prefix of the annotation recording an applied preset
/// (`<prefix><preset name>: <resourceVersion>`).
pub const APPLIED_ANNOTATION_PREFIX: &str = "podpreset.admission.kubernetes.io/podpreset-";

/// The annotation of a mirror pod (`kubernetes.io/config.mirror`).
pub const MIRROR_POD_ANNOTATION: &str = "kubernetes.io/config.mirror";

/// The reason of the Warning event recorded on a conflict.
pub const CONFLICT_REASON: &str = "PodPresetConflict";

/// The pod as admitted.
#[derive(Clone, Debug, PartialEq)]
pub struct Admitted {
    /// The pod to create: merged, or unchanged when nothing applied.
    pub pod: Pod,
    /// The presets applied, in order (empty when none matched, the pod
    /// opted out, or there was a conflict).
    pub applied: Vec<String>,
    /// The conflicts found; non-empty means the pod is unchanged.
    pub conflicts: Vec<Conflict>,
    /// The Warning event to record on a conflict.
    pub event: Option<Event>,
}

/// What a conflict is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictKind {
    /// Two volumes with the same name.
    Volume,
    /// Two environment variables with the same name.
    Env,
    /// Two volume mounts with the same name.
    VolumeMount,
    /// Two volume mounts with the same mount path.
    MountPath,
}

/// One conflict: a preset's entry differs from what the pod (or an earlier
/// preset) already has under the same key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The preset whose entry conflicts.
    pub preset: String,
    /// What the key is.
    pub kind: ConflictKind,
    /// The key: a name or a mount path.
    pub key: String,
    /// The container (or init container), for env and mounts.
    pub container: Option<String>,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            ConflictKind::Volume => "volumes",
            ConflictKind::Env => "env",
            ConflictKind::VolumeMount => "volume mounts",
            ConflictKind::MountPath => "volume mounts (mount path)",
        };
        write!(f, "merging {what} for {} has a conflict on {}", self.preset, self.key)?;
        if let Some(c) = &self.container {
            write!(f, " in container {c}")?;
        }
        Ok(())
    }
}

/// Why a pod is rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PresetError {
    /// A matching candidate preset's selector does not convert (upstream:
    /// `filterPodPresets`).
    #[error("filtering pod presets failed: label selector conversion failed for preset {preset}: {message}")]
    Selector {
        /// The preset's name.
        preset: String,
        /// What the selector conversion reported.
        message: String,
    },
}

/// Admits a pod being created (upstream: `podPresetPlugin.Admit`):
/// `presets` may hold presets of any namespace; only the pod's apply.
pub fn apply(pod: &Pod, presets: &[PodPreset]) -> Result<Admitted, PresetError> {
    let unchanged = || Admitted { pod: pod.clone(), applied: Vec::new(), conflicts: Vec::new(), event: None };
    let meta = &pod.metadata;
    if meta.annotation(MIRROR_POD_ANNOTATION).is_some() || meta.annotation(EXCLUDE_ANNOTATION) == Some("true")
    {
        return Ok(unchanged());
    }
    // Name order (DECISIONS podpreset Q1), then UID (G2).
    let mut candidates: Vec<&PodPreset> =
        presets.iter().filter(|p| p.metadata.namespace() == meta.namespace()).collect();
    candidates
        .sort_by(|a, b| (a.metadata.name(), a.metadata.uid()).cmp(&(b.metadata.name(), b.metadata.uid())));
    let mut matching: Vec<&PodPreset> = Vec::new();
    for preset in candidates {
        let spec = preset.spec.clone().unwrap_or_default();
        let selector = Selector::from_label_selector(&spec.selector).map_err(|e| PresetError::Selector {
            preset: preset.metadata.name().to_owned(),
            message: e.to_string(),
        })?;
        if selector.matches(meta) {
            matching.push(preset);
        }
    }
    if matching.is_empty() {
        return Ok(unchanged());
    }
    let mut merged = pod.clone();
    let mut conflicts = Vec::new();
    if let Some(spec) = merged.spec.as_mut() {
        let volumes = merge(
            spec.volumes.as_deref().unwrap_or_default(),
            &matching,
            |p| p.spec.as_ref().and_then(|s| s.volumes.as_deref()).unwrap_or_default(),
            |v| v.name.clone(),
            ConflictKind::Volume,
            None,
            &mut conflicts,
        );
        if !volumes.is_empty() {
            spec.volumes = Some(volumes);
        }
        let containers = spec.init_containers.iter_mut().flatten().chain(spec.containers.iter_mut());
        for container in containers {
            merge_container(container, &matching, &mut conflicts);
        }
    }
    let names: Vec<String> = matching.iter().map(|p| p.metadata.name().to_owned()).collect();
    if !conflicts.is_empty() {
        // upstream: the pod is admitted unchanged (DECISIONS Q2: and an event).
        let details: Vec<String> = conflicts.iter().map(ToString::to_string).collect();
        let event = Event {
            regarding: pod.object_ref(),
            type_: EventType::Warning,
            reason: CONFLICT_REASON.to_owned(),
            message: format!(
                "conflict occurred while applying podpresets: {} on pod: {}: {}",
                names.join(","),
                if meta.name().is_empty() {
                    meta.generate_name.as_deref().unwrap_or("")
                } else {
                    meta.name()
                },
                details.join("; ")
            ),
        };
        return Ok(Admitted { pod: pod.clone(), applied: Vec::new(), conflicts, event: Some(event) });
    }
    for preset in &matching {
        merged.metadata.set_annotation(
            format!("{APPLIED_ANNOTATION_PREFIX}{}", preset.metadata.name()),
            preset.metadata.resource_version.clone().unwrap_or_default(),
        );
    }
    Ok(Admitted { pod: merged, applied: names, conflicts, event: None })
}

/// Env, volume mounts and envFrom of one container (upstream:
/// `safeToApplyPodPresetsOnContainer`, `applyPodPresetsOnContainer`).
fn merge_container(container: &mut Container, presets: &[&PodPreset], conflicts: &mut Vec<Conflict>) {
    let name = Some(container.name.clone());
    let env = merge(
        container.env.as_deref().unwrap_or_default(),
        presets,
        |p| p.spec.as_ref().and_then(|s| s.env.as_deref()).unwrap_or_default(),
        |v| v.name.clone(),
        ConflictKind::Env,
        name.clone(),
        conflicts,
    );
    if !env.is_empty() {
        container.env = Some(env);
    }
    let own = container.volume_mounts.as_deref().unwrap_or_default();
    let mounts = merge(
        own,
        presets,
        |p| p.spec.as_ref().and_then(|s| s.volume_mounts.as_deref()).unwrap_or_default(),
        |m| m.name.clone(),
        ConflictKind::VolumeMount,
        name.clone(),
        conflicts,
    );
    // The same mounts, keyed by mount path (only conflicts matter here).
    let _ = merge(
        own,
        presets,
        |p| p.spec.as_ref().and_then(|s| s.volume_mounts.as_deref()).unwrap_or_default(),
        |m| m.mount_path.clone(),
        ConflictKind::MountPath,
        name,
        conflicts,
    );
    if !mounts.is_empty() {
        container.volume_mounts = Some(mounts);
    }
    container.env_from = merge_env_from(container.env_from.as_deref(), presets);
}

/// upstream: mergeEnvFrom (1.15 on, kubernetes PR 78269), as
/// applyPodPresetsOnContainer uses it. The container's own entries are
/// keyed by prefix, ConfigMap name and Secret name; a preset entry with
/// such a key is dropped when equal (so applying twice changes nothing),
/// and one that differs fails the merge, which upstream takes as an empty
/// list: the container's `envFrom` is cleared (the conflict check never
/// looks at `envFrom`). Presets' entries are not keyed against each other.
fn merge_env_from(own: Option<&[EnvFromSource]>, presets: &[&PodPreset]) -> Option<Vec<EnvFromSource>> {
    let key = |e: &EnvFromSource| {
        (
            e.prefix.clone().unwrap_or_default(),
            e.config_map_ref.as_ref().and_then(|r| r.name.clone()).unwrap_or_default(),
            e.secret_ref.as_ref().and_then(|r| r.name.clone()).unwrap_or_default(),
        )
    };
    let own_list = own.unwrap_or_default();
    let mut merged = own_list.to_vec();
    for entry in
        presets.iter().flat_map(|p| p.spec.as_ref().and_then(|s| s.env_from.as_deref()).unwrap_or_default())
    {
        // A Go map keeps the last of a repeated key.
        match own_list.iter().rev().find(|o| key(o) == key(entry)) {
            None => merged.push(entry.clone()),
            Some(found) if crate::controller::semantic::typed_equal_at("envFrom", found, entry) => {}
            Some(_) => return None,
        }
    }
    if merged.is_empty() { own.map(<[EnvFromSource]>::to_vec) } else { Some(merged) }
}

/// The pod's entries followed by each preset's new ones (upstream:
/// `mergeEnv`, `mergeVolumeMounts`, `mergeVolumes`): an entry whose key is
/// already present is dropped when identical and a conflict otherwise.
fn merge<T: Clone + PartialEq>(
    own: &[T],
    presets: &[&PodPreset],
    entries: impl Fn(&PodPreset) -> &[T],
    key: impl Fn(&T) -> String,
    kind: ConflictKind,
    container: Option<String>,
    conflicts: &mut Vec<Conflict>,
) -> Vec<T> {
    let mut seen: HashMap<String, T> = HashMap::new();
    for entry in own {
        seen.insert(key(entry), entry.clone());
    }
    let mut out = own.to_vec();
    for preset in presets {
        for entry in entries(preset) {
            let k = key(entry);
            match seen.get(&k) {
                None => {
                    seen.insert(k, entry.clone());
                    out.push(entry.clone());
                }
                Some(found) if found == entry => {}
                Some(_) => conflicts.push(Conflict {
                    preset: preset.metadata.name().to_owned(),
                    kind,
                    key: k,
                    container: container.clone(),
                }),
            }
        }
    }
    out
}
