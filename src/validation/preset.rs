//! PodPreset (`settings.k8s.io/v1alpha1`, removed in Kubernetes 1.20).
//!
//! upstream: pkg/apis/settings/validation/validation.go (ValidatePodPreset,
//! ValidatePodPresetSpec, ValidatePodPresetName) as of its last release.
//! `volumeMounts` may only name volumes declared in the preset itself.

use crate::api::PodPreset;

use super::meta::{self, NameRule};
use super::pod;
use super::{Ctx, Errors, FieldError, FieldPath};

/// upstream: ValidatePodPreset.
pub(crate) fn pod_preset(p: &PodPreset, ctx: &Ctx<'_>) -> Errors {
    let mut errs = meta::object_meta(&p.metadata, NameRule::Subdomain);
    let default_spec = Default::default();
    let spec: &crate::api::PodPresetSpec = p.spec.as_ref().unwrap_or(&default_spec);
    let path = FieldPath::new("spec");
    errs.extend(meta::validate_label_selector(&spec.selector, &path.child("selector")));
    if spec.env.is_none() && spec.env_from.is_none() && spec.volumes.is_none() && spec.volume_mounts.is_none()
    {
        errs.push(FieldError::required(
            &path.child("volumes.env.envFrom.volumeMounts"),
            "must specify at least one",
        ));
    }
    let volumes = pod::volumes(
        spec.volumes.as_deref().unwrap_or(&[]),
        &path.child("volumes"),
        pod::Owner::Template,
        ctx,
        &mut errs,
    );
    pod::env(spec.env.as_deref().unwrap_or(&[]), &path.child("env"), ctx, &mut errs);
    pod::env_from(spec.env_from.as_deref().unwrap_or(&[]), &path.child("envFrom"), ctx, &mut errs);
    pod::volume_mounts(
        spec.volume_mounts.as_deref().unwrap_or(&[]),
        &[],
        &volumes,
        None,
        &path.child("volumeMounts"),
        &mut errs,
    );
    errs
}

/// Validates a PodPreset with default gates.
pub fn validate_pod_preset(p: &PodPreset) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(pod_preset(p, &Ctx::new(&gates))).into_result()
}
