//! In-place pod resize: what the `resize` subresource accepts.
//!
//! upstream: pkg/apis/core/validation/validation.go — ValidatePodResize,
//! validateContainerResize, resourcesRemoved,
//! dropCPUMemoryResourcesFromContainer, isPodResizeRequestSupported; the
//! QoS class comes from [`crate::pod::qos`].

use std::cmp::Ordering;

use crate::api::{Container, Pod, PodSpec, ResourceList, ResourceRequirements};
use crate::features::FeatureGates;
use crate::pod::qos::{compute_pod_qos, pod_qos};

use super::quantity;
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

/// upstream: validateContainerResize.
fn container_resize(new: &Container, old: &Container, path: &FieldPath, errs: &mut Errors) {
    let default = ResourceRequirements::default();
    let (n, o) = (new.resources.as_ref().unwrap_or(&default), old.resources.as_ref().unwrap_or(&default));
    if removed(n.requests.as_ref(), o.requests.as_ref()) {
        errs.push(FieldError::forbidden(&path.child("requests"), "resource requests cannot be removed"));
    }
    if removed(n.limits.as_ref(), o.limits.as_ref()) {
        errs.push(FieldError::forbidden(&path.child("limits"), "resource limits cannot be removed"));
    }
    let memory_policy = new
        .resize_policy
        .iter()
        .flatten()
        .find(|p| p.resource_name == "memory")
        .map_or("", |p| p.restart_policy.as_str());
    if memory_policy == "NotRequired" || memory_policy.is_empty() {
        let limit = |r: &ResourceRequirements| {
            r.limits
                .as_ref()
                .and_then(|l| l.get("memory"))
                .map(|q| quantity::parse(&q.value).map(|p| p.value))
        };
        let mp = path.child("limits").key("memory");
        match (limit(n), limit(o)) {
            (Some(nl), Some(ol)) => {
                if let (Some(nl), Some(ol)) = (nl, ol)
                    && nl.cmp_exact(ol) == Ordering::Less
                {
                    errs.push(FieldError::forbidden(
                        &mp,
                        "memory limits cannot be decreased unless resizePolicy is RestartContainer",
                    ));
                }
            }
            (Some(_), None) => errs.push(FieldError::forbidden(
                &mp,
                "memory limits cannot be added unless resizePolicy is RestartContainer",
            )),
            _ => {}
        }
    }
}

/// upstream: dropCPUMemoryResourcesFromContainer — the new container with
/// its cpu and memory values taken back from the old one.
fn without_cpu_memory(new: &Container, old: &Container) -> Container {
    let munge = |list: Option<&ResourceList>, old_list: Option<&ResourceList>| -> Option<ResourceList> {
        let old_list = old_list?;
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

/// Whether two containers are equal, with an absent and an empty
/// `resources` treated alike (upstream compares value structs).
fn same(a: &Container, b: &Container) -> bool {
    let norm = |c: &Container| {
        let mut c = c.clone();
        let r = c.resources.take().unwrap_or_default();
        let empty = |l: &Option<ResourceList>| l.as_ref().is_none_or(ResourceList::is_empty);
        c.resources = if empty(&r.limits) && empty(&r.requests) && r.claims.as_ref().is_none_or(Vec::is_empty)
        {
            None
        } else {
            Some(ResourceRequirements {
                limits: r.limits.filter(|l| !l.is_empty()),
                requests: r.requests.filter(|l| !l.is_empty()),
                claims: r.claims.filter(|c| !c.is_empty()),
                ..Default::default()
            })
        };
        c
    };
    norm(a) == norm(b)
}

/// Validates a Pod update through the `resize` subresource (upstream:
/// ValidatePodResize): only container cpu and memory values may change,
/// requests and limits may not be removed, memory limits may only shrink
/// or appear with `resizePolicy: RestartContainer`, the QoS class stays,
/// and pods with pod-level resources, static pods and Windows pods cannot
/// be resized. Uses upstream's default feature gates (SidecarContainers
/// on: sidecars may be resized).
pub fn validate_pod_resize(old: &Pod, new: &Pod) -> Result<(), ValidationErrors> {
    let gates = FeatureGates::default();
    let ctx = Ctx {
        mirror_pod: super::annotations::is_mirror_pod(new),
        ..super::update::update_ctx(&gates, old.spec.as_ref(), new.spec.as_ref())
    };
    let default_spec = PodSpec::default();
    let old_spec = old.spec.as_ref().unwrap_or(&default_spec);
    let new_spec = new.spec.as_ref().unwrap_or(&default_spec);
    let root = FieldPath::root();
    if pod_level_set(old_spec) || pod_level_set(new_spec) {
        return Err(
            vec![FieldError::forbidden(&root, "pods with pod-level resources cannot be resized")].into()
        );
    }
    if super::annotations::is_mirror_pod(old) {
        return Err(vec![FieldError::forbidden(&root, "static pods cannot be resized")].into());
    }
    if old_spec.os.as_ref().is_some_and(|o| o.name == "windows") {
        return Err(vec![FieldError::forbidden(&root, "windows pods cannot be resized")].into());
    }
    // Part 1: metadata update and the new pod itself.
    let mut errs = super::update::metadata_update(&old.metadata, &new.metadata);
    // With the resize strategy's GetValidationOptionsFromPodSpecAndMeta.
    errs.extend(super::update::pod_metadata_and_spec(old, new, new_spec, &ctx));
    // Part 2: the resize itself.
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
    let pairs = |list: &str| -> Option<Vec<(&Container, &Container)>> {
        let (o, n) = match list {
            "containers" => (old_spec.containers.as_slice(), new_spec.containers.as_slice()),
            _ => (old_spec.init_containers(), new_spec.init_containers()),
        };
        (o.len() == n.len()).then(|| o.iter().zip(n).collect())
    };
    let (Some(regular), Some(init)) = (pairs("containers"), pairs("initContainers")) else {
        errs.push(FieldError::forbidden(&spec_path, "only cpu and memory resources are mutable"));
        return ValidationErrors::from(errs).into_result();
    };
    for (i, (o, n)) in init.iter().enumerate() {
        if o.is_sidecar() {
            container_resize(n, o, &spec_path.child("initContainers").index(i).child("resources"), &mut errs);
        }
    }
    for (i, (o, n)) in regular.iter().enumerate() {
        container_resize(n, o, &spec_path.child("containers").index(i).child("resources"), &mut errs);
    }
    let mut munged = new_spec.clone();
    munged.containers = regular
        .iter()
        .map(|(o, n)| {
            let c = without_cpu_memory(n, o);
            if !same(&c, o) {
                errs.push(FieldError::forbidden(&spec_path, "only cpu and memory resources are mutable"));
            }
            c
        })
        .collect();
    if let Some(list) = munged.init_containers.as_mut() {
        for (slot, (o, n)) in list.iter_mut().zip(&init) {
            if o.is_sidecar() {
                let c = without_cpu_memory(n, o);
                if !same(&c, o) {
                    errs.push(FieldError::forbidden(
                        &spec_path,
                        "only cpu and memory resources for sidecar containers are mutable",
                    ));
                }
                *slot = c;
            } else if !same(n, o) {
                errs.push(FieldError::forbidden(
                    &spec_path,
                    "resources for non-sidecar init containers are immutable",
                ));
            }
        }
    }
    if errs.is_empty() {
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
        if !eq_containers || a != b {
            errs.push(FieldError::forbidden(&spec_path, "only cpu and memory resources are mutable"));
        }
    }
    ValidationErrors::from(errs).into_result()
}
