//! In-place pod resize: what the `resize` subresource accepts.
//!
//! upstream: pkg/apis/core/validation/validation.go — ValidatePodResize,
//! validateContainerResize, resourcesRemoved,
//! dropCPUMemoryResourcesFromContainer, isPodResizeRequestSupported; the
//! QoS class comes from [`crate::pod::qos`].

use crate::api::{Container, Pod, PodSpec, ResourceList, ResourceRequirements};
use crate::features::FeatureGates;
use crate::pod::qos::{compute_pod_qos, pod_qos};

use super::{BadValue, Ctx, Errors, FieldError, FieldPath, ValidationErrors};

fn pod_level_set(spec: &PodSpec) -> bool {
    spec.resources.as_ref().is_some_and(|r| {
        r.requests
            .as_ref()
            .map_or(0, ResourceList::len)
            .saturating_add(r.limits.as_ref().map_or(0, ResourceList::len))
            > 0
    })
}

/// upstream: isPodResizeRequestSupported — the first running container
/// must report its resources.
fn resize_supported(pod: &Pod) -> bool {
    let statuses = pod.status.as_ref().and_then(|s| s.container_statuses.as_deref()).unwrap_or(&[]);
    for cs in statuses {
        if cs.state.as_ref().is_some_and(|s| s.is_running()) {
            return cs.resources.is_some();
        }
    }
    true
}

fn removed(new: Option<&ResourceList>, old: Option<&ResourceList>) -> bool {
    let (new_len, old) = (new.map_or(0, ResourceList::len), old.map(|o| o.keys()));
    let old_len = old.as_ref().map_or(0, |k| k.len());
    old_len > new_len || old.into_iter().flatten().any(|k| !new.is_some_and(|n| n.contains_key(k)))
}

/// upstream: validateContainerResize: requests and limits may not be
/// removed. (The rule that a memory limit may only shrink or appear with
/// `resizePolicy: RestartContainer` left in 1.34, kubernetes PR 133012: the
/// kubelet checks the usage instead.)
fn container_resize(new: &Container, old: &Container, path: &FieldPath, errs: &mut Errors) {
    let default = ResourceRequirements::default();
    let (n, o) = (new.resources.as_ref().unwrap_or(&default), old.resources.as_ref().unwrap_or(&default));
    if removed(n.requests.as_ref(), o.requests.as_ref()) {
        errs.push(FieldError::forbidden(&path.child("requests"), "resource requests cannot be removed"));
    }
    if removed(n.limits.as_ref(), o.limits.as_ref()) {
        errs.push(FieldError::forbidden(&path.child("limits"), "resource limits cannot be removed"));
    }
}

/// upstream: dropCPUMemoryResourcesFromContainer — the new container with
/// its cpu and memory values taken back from the old one.
fn without_cpu_memory(new: &Container, old: &Container) -> Container {
    // upstream: dropCPUMemoryUpdates: absent only when both are; a new
    // list keeps its other resources even where the old had none.
    let munge = |list: Option<&ResourceList>, old_list: Option<&ResourceList>| -> Option<ResourceList> {
        if list.is_none() && old_list.is_none() {
            return None;
        }
        let old_list = old_list.cloned().unwrap_or_default();
        let mut out: ResourceList = list.cloned().unwrap_or_default();
        out.shift_remove("cpu");
        out.shift_remove("memory");
        for key in ["cpu", "memory"] {
            if let Some(q) = old_list.get(key) {
                out.insert(key.to_owned(), q.clone());
            }
        }
        Some(out)
    };
    let default = ResourceRequirements::default();
    let (n, o) = (new.resources.as_ref().unwrap_or(&default), old.resources.as_ref().unwrap_or(&default));
    let mut c = new.clone();
    c.resources = Some(ResourceRequirements {
        limits: munge(n.limits.as_ref(), o.limits.as_ref()),
        requests: munge(n.requests.as_ref(), o.requests.as_ref()),
        ..Default::default()
    });
    c
}

/// Whether two containers are equal as upstream's Semantic.DeepEqual
/// finds them: quantities by value, an absent list or map equal to an empty
/// one, `resources` (a Go value struct) absent equal to empty.
fn same(a: &Container, b: &Container) -> bool {
    crate::controller::semantic::typed_equal_at("containers", a, b)
}

/// Validates a Pod update through the `resize` subresource (upstream:
/// ValidatePodResize, as of 1.35): only container cpu and memory values may
/// change, requests and limits may not be removed, containers may not be
/// added, removed, renamed or reordered, and the QoS class stays; static
/// pods and Windows pods cannot be resized, nor pods with pod-level
/// resources (`InPlacePodLevelResourcesVerticalScaling`, alpha and off).
/// Uses upstream's default feature gates (SidecarContainers on: sidecars
/// may be resized). The request is first reduced as the subresource's
/// strategy reduces it ([`prepare_pod_resize`]): changes other than the
/// containers' resources and resize policies are dropped, not refused.
pub fn validate_pod_resize(old: &Pod, new: &Pod) -> Result<(), ValidationErrors> {
    let new = &prepare_pod_resize(old, new);
    let gates = FeatureGates::default();
    let ctx = Ctx {
        mirror_pod: super::annotations::is_mirror_pod(new),
        ..super::update::update_ctx(&gates, old.spec.as_ref(), new.spec.as_ref())
    };
    let default_spec = PodSpec::default();
    let old_spec = old.spec.as_ref().unwrap_or(&default_spec);
    let new_spec = new.spec.as_ref().unwrap_or(&default_spec);
    let root = FieldPath::root();
    // The common update checks (rest.BeforeUpdate) come before the
    // strategy's, whose static and Windows pod checks return alone.
    let mut errs = super::update::metadata_update(&old.metadata, &new.metadata);
    if super::annotations::is_mirror_pod(old) {
        errs.push(FieldError::forbidden(&root, "static pods cannot be resized"));
        return ValidationErrors::from(errs).into_result();
    }
    if old_spec.os.as_ref().is_some_and(|o| o.name == "windows") {
        errs.push(FieldError::forbidden(&root, "windows pods cannot be resized"));
        return ValidationErrors::from(errs).into_result();
    }
    // Part 1: the new pod itself.
    // With the resize strategy's GetValidationOptionsFromPodSpecAndMeta.
    errs.extend(super::update::pod_metadata_and_spec(old, new, new_spec, &ctx));
    let spec_path = FieldPath::new("spec");
    if pod_qos(old) != compute_pod_qos(new_spec) {
        let recorded = new.status.as_ref().and_then(|s| s.qos_class.as_ref()).map_or("", |q| q.as_str());
        errs.push(FieldError::invalid(
            &spec_path,
            BadValue::Str(recorded.to_owned()),
            "Pod QOS Class may not change as a result of resizing",
        ));
    }
    if !resize_supported(old) {
        errs.push(FieldError::forbidden(&spec_path, "Pod running on node without support for resize"));
    }
    // Part 2: pod-level resources, which only the alpha gate lets resize.
    if pod_level_set(old_spec) || pod_level_set(new_spec) {
        errs.push(FieldError::forbidden(
            &root,
            "resize of pods with pod-level resources is forbidden when InPlacePodLevelResourcesVerticalScalingEnabled feature gate is disabled",
        ));
        return ValidationErrors::from(errs).into_result();
    }
    // Part 3: the containers, which must keep their order.
    let ordering = container_ordering(old_spec, new_spec, &spec_path);
    if !ordering.is_empty() {
        errs.extend(ordering);
        return ValidationErrors::from(errs).into_result();
    }
    containers_resize(old_spec, new_spec, &spec_path, &mut errs);
    ValidationErrors::from(errs).into_result()
}

/// What the `resize` subresource makes of a request before validating it
/// (upstream: podResizeStrategy.PrepareForUpdate, dropNonResizeUpdates):
/// with as many containers and init containers as `old`, the result is
/// `old` with each container's `resources` and `resizePolicy` taken from
/// `new` (a list whose names do not line up stays as `new` wrote it, for
/// the validation to refuse), `old`'s status, and `old`'s labels,
/// annotations, finalizers, owner references, deletion timestamp and
/// generation (ResetObjectMetaForStatus). Any other change in the request
/// is dropped without an error. With a container added or removed,
/// `new` as it is. [`validate_pod_resize`] validates this result.
pub fn prepare_pod_resize(old: &Pod, new: &Pod) -> Pod {
    let default_spec = PodSpec::default();
    let old_spec = old.spec.as_ref().unwrap_or(&default_spec);
    let new_spec = new.spec.as_ref().unwrap_or(&default_spec);
    if old_spec.containers.len() != new_spec.containers.len()
        || old_spec.init_containers().len() != new_spec.init_containers().len()
    {
        return new.clone();
    }
    // upstream: dropNonResizeUpdatesForContainers.
    let merged = |n: &[Container], o: &[Container]| -> Vec<Container> {
        if n.is_empty() || n.iter().zip(o).any(|(n, o)| n.name != o.name) {
            return n.to_vec();
        }
        o.iter()
            .zip(n)
            .map(|(o, n)| Container {
                resources: n.resources.clone(),
                resize_policy: n.resize_policy.clone(),
                ..o.clone()
            })
            .collect()
    };
    let containers = merged(&new_spec.containers, &old_spec.containers);
    let init = merged(new_spec.init_containers(), old_spec.init_containers());
    let mut spec = old_spec.clone();
    spec.containers = containers;
    // Go's nil and empty lists are one: keep the old spelling when empty.
    if !init.is_empty() {
        spec.init_containers = Some(init);
    }
    let mut prepared = new.clone();
    prepared.spec = Some(spec);
    prepared.status = old.status.clone();
    super::update::reset_object_meta_for_status(&mut prepared.metadata, &old.metadata);
    prepared
}

/// upstream: validatePodResizeContainerOrdering: no container or init
/// container added, removed, renamed or reordered.
fn container_ordering(old: &PodSpec, new: &PodSpec, spec_path: &FieldPath) -> Errors {
    let mut errs = Vec::new();
    let lists = [
        ("containers", old.containers.as_slice(), new.containers.as_slice()),
        ("initContainers", old.init_containers(), new.init_containers()),
    ];
    for (field, o, n) in lists {
        let path = spec_path.child(field);
        if o.len() != n.len() {
            errs.push(FieldError::forbidden(
                &path,
                &format!("{field} may not be added or removed on resize"),
            ));
            continue;
        }
        for (i, (oc, nc)) in o.iter().zip(n).enumerate() {
            if oc.name != nc.name {
                errs.push(FieldError::forbidden(
                    &path.index(i).child("name"),
                    &format!("{field} may not be renamed or reordered on resize"),
                ));
            }
        }
    }
    errs
}

/// The containers' part of ValidatePodResize, their lists of equal length:
/// requests and limits not removed (regular containers and the old spec's
/// sidecars), only cpu and memory changed (a new sidecar judged as the new
/// spec has it), and nothing else of the spec.
fn containers_resize(old_spec: &PodSpec, new_spec: &PodSpec, spec_path: &FieldPath, errs: &mut Errors) {
    let init: Vec<(&Container, &Container)> =
        old_spec.init_containers().iter().zip(new_spec.init_containers()).collect();
    let regular: Vec<(&Container, &Container)> =
        old_spec.containers.iter().zip(&new_spec.containers).collect();
    for (i, (o, n)) in init.iter().enumerate() {
        if o.is_sidecar() {
            container_resize(n, o, &spec_path.child("initContainers").index(i).child("resources"), errs);
        }
    }
    for (i, (o, n)) in regular.iter().enumerate() {
        container_resize(n, o, &spec_path.child("containers").index(i).child("resources"), errs);
    }
    let mut munged = new_spec.clone();
    munged.containers = regular
        .iter()
        .map(|(o, n)| {
            let c = without_cpu_memory(n, o);
            if !same(&c, o) {
                errs.push(FieldError::forbidden(spec_path, "only cpu and memory resources are mutable"));
            }
            c
        })
        .collect();
    if let Some(list) = munged.init_containers.as_mut() {
        for (slot, (o, n)) in list.iter_mut().zip(&init) {
            if n.is_sidecar() {
                let c = without_cpu_memory(n, o);
                if !same(&c, o) {
                    errs.push(FieldError::forbidden(
                        spec_path,
                        "only cpu and memory resources for sidecar containers are mutable",
                    ));
                }
                *slot = c;
            } else if !same(n, o) {
                errs.push(FieldError::forbidden(
                    spec_path,
                    "resources for non-sidecar init containers are immutable",
                ));
            }
        }
    }
    if !errs.is_empty() {
        return;
    }
    let mut a = munged;
    let mut b = old_spec.clone();
    // Compare with containers normalised as above.
    let eq_containers = a.containers.len() == b.containers.len()
        && a.containers.iter().zip(&b.containers).all(|(x, y)| same(x, y))
        && a.init_containers().len() == b.init_containers().len()
        && a.init_containers().iter().zip(b.init_containers()).all(|(x, y)| same(x, y));
    a.containers.clear();
    b.containers.clear();
    a.init_containers = None;
    b.init_containers = None;
    if !eq_containers || !crate::controller::semantic::typed_equal_at("spec", &a, &b) {
        errs.push(FieldError::forbidden(spec_path, "only cpu and memory resources are mutable"));
    }
}
