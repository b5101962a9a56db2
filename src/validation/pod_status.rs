//! Pod status validation: what the `pods/status` subresource accepts.
//!
//! upstream: pkg/apis/core/validation/validation.go ValidatePodStatusUpdate,
//! validatePodConditions, ValidateContainerStateTransition,
//! ValidateInitContainerStateTransition, validatePodResourceClaimStatuses,
//! validatePodIPs, validateHostIPs, validateContainerStatusUsers;
//! pkg/registry/core/pod/strategy.go (podStatusStrategy).
//!
//! The status strategy restores the spec from the old pod before it
//! validates, so every spec lookup of an update reads the old pod's spec.
//! A `podIP` with no `podIPs`, or one that `podIPs` does not start with,
//! counts as the one-entry list the v1 conversion makes of it.
//!
//! The state-transition rules follow `AllowContainerRestartPolicyRules`
//! (upstream: ValidateContainerStateTransition with the options
//! GetValidationOptionsFromPodSpecAndMeta derives): with
//! ContainerRestartRules on (1.35's default and this crate's), or a pod
//! whose spec already uses a container restart policy or rule, each
//! container's own policy and rules; otherwise the pod's policy.
//!
//! Deviations:
//! the dual-stack check's internal error for an address that does not parse
//! is not reported (the address's own error and the one-per-family error
//! are); `extendedResourceClaimStatus`
//! and `allocatedResourcesStatus` (dropped by the strategy under 1.35's
//! gates) are not checked.

use std::collections::HashSet;
use std::net::IpAddr;

use crate::api::{ContainerStatus, Pod, PodSpec, RestartPolicy};

use super::podspec::{ip, parse_ip_sloppy, pod_claim_names};
use super::security::id_value;
use super::{BadValue, Errors, FieldError, FieldPath, strings};

/// Condition types a pod may carry without a qualified name.
const BUILT_IN_CONDITIONS: [&str; 3] = ["PodScheduled", "Ready", "Initialized"];

const NON_NEGATIVE: &str = "must be a non-negative integer";

/// The status rules of `pod` on its own (`old` is `None`) or as an update
/// of `old`, in upstream's order.
pub(crate) fn pod_status(old: Option<&Pod>, new: &Pod, gates: &crate::FeatureGates, errs: &mut Errors) {
    let default_spec = PodSpec::default();
    // The strategy restores the old spec before validating an update.
    let spec = old.unwrap_or(new).spec.as_ref().unwrap_or(&default_spec);
    // A missing status is Go's zero value: every rule still runs.
    let default_status = crate::api::PodStatus::default();
    let status = new.status.as_ref().unwrap_or(&default_status);
    let p = FieldPath::new("status");
    if let Some(old) = old {
        super::annotations::pod_update(old, new, spec, !gates.pod_deletion_cost, errs);
    }
    for (i, c) in status.conditions.iter().flatten().enumerate() {
        let cp = p.child("conditions").index(i);
        if let Some(g) = c.observed_generation.filter(|g| *g < 0) {
            errs.push(FieldError::invalid(&cp.child("observedGeneration"), g, NON_NEGATIVE));
        }
        if !BUILT_IN_CONDITIONS.contains(&c.type_.as_str()) {
            for msg in strings::qualified_name(&c.type_) {
                // upstream spells this path with a capital T.
                errs.push(FieldError::invalid(&cp.child("Type"), BadValue::named(&c.type_), &msg));
            }
        }
    }
    if let Some(old) = old {
        nominated_node_name(old, new, &p, errs);
    }
    if let Some(g) = status.observed_generation.filter(|g| *g < 0) {
        errs.push(FieldError::invalid(&p.child("observedGeneration"), g, NON_NEGATIVE));
    }
    if let Some(old) = old {
        qos_class(old, new, &p, errs);
        // AllowContainerRestartPolicyRules: the gate, or rules the pod
        // already had.
        let rules = gates.container_restart_rules
            || old.spec.as_ref().is_some_and(super::ratchet::uses_container_restart_rules);
        state_transitions(old, new, spec, rules, &p, errs);
    }
    resource_claim_statuses(new, spec, &p, errs);
    // An address the old status already held may stay even when it is not
    // valid (upstream: IsValidIPForLegacyField's validOldIPs).
    let old_status = old.and_then(|o| o.status.as_ref());
    let old_pod_ips = old_status.map(pod_ips).unwrap_or_default();
    ip_list(&pod_ips(status), &old_pod_ips, &p.child("podIPs"), errs);
    let host_ips: Vec<&str> = status.host_ips.iter().flatten().map(|x| x.ip.as_str()).collect();
    let old_host_ips: Vec<&str> =
        old_status.map(|s| s.host_ips.iter().flatten().map(|x| x.ip.as_str()).collect()).unwrap_or_default();
    if let Some(first) = host_ips.first()
        && status.host_ip.as_deref().unwrap_or("") != *first
    {
        errs.push(FieldError::invalid(
            &p.child("hostIPs").index(0).child("ip"),
            *first,
            "must be equal to `hostIP`",
        ));
    }
    ip_list(&host_ips, &old_host_ips, &p.child("hostIPs"), errs);
    let windows = spec.os.as_ref().is_some_and(|os| os.name == "windows");
    let linux = spec.os.as_ref().is_none_or(|os| os.name == "linux");
    for (key, list) in [
        ("containerStatuses", status.container_statuses.as_deref()),
        ("initContainerStatuses", status.init_container_statuses.as_deref()),
        ("ephemeralContainerStatuses", status.ephemeral_container_statuses.as_deref()),
    ] {
        for (i, c) in list.unwrap_or(&[]).iter().enumerate() {
            container_user(c, windows, linux, &p.child(key).index(i), errs);
        }
    }
}

/// The pod IPs as the v1 conversion reads them: a `podIP` that `podIPs`
/// does not start with is authoritative (older kubelets wrote only it).
fn pod_ips(status: &crate::api::PodStatus) -> Vec<&str> {
    let listed: Vec<&str> = status.pod_ips.iter().flatten().map(|x| x.ip.as_str()).collect();
    match status.pod_ip.as_deref().filter(|ip| !ip.is_empty()) {
        Some(ip) if listed.first() != Some(&ip) => vec![ip],
        _ => listed,
    }
}

/// upstream: a changed `nominatedNodeName` is a node name, and (1.35,
/// `ClearingNominatedNodeNameAfterBinding` on) a bound pod gets no new one.
fn nominated_node_name(old: &Pod, new: &Pod, p: &FieldPath, errs: &mut Errors) {
    let nominated =
        |pod: &Pod| pod.status.as_ref().and_then(|s| s.nominated_node_name.clone()).unwrap_or_default();
    let (was, now) = (nominated(old), nominated(new));
    if now.is_empty() || now == was {
        return;
    }
    let np = p.child("nominatedNodeName");
    for msg in strings::dns1123_subdomain(&now) {
        errs.push(FieldError::invalid(&np, now.as_str(), &msg));
    }
    let bound = old.spec.as_ref().and_then(|s| s.node_name.as_deref()).is_some_and(|n| !n.is_empty());
    if bound {
        errs.push(FieldError::forbidden(&np, "may not be set on pods that are already bound to a node"));
    }
}

/// `status.qosClass` may not change; an empty one is filled from the old
/// status by the strategy.
fn qos_class(old: &Pod, new: &Pod, p: &FieldPath, errs: &mut Errors) {
    let qos =
        |pod: &Pod| pod.status.as_ref().and_then(|s| s.qos_class.as_ref()).map(|q| q.as_str().to_owned());
    let Some(now) = qos(new).filter(|q| !q.is_empty()) else { return };
    if qos(old).is_some_and(|was| was != now) || qos(old).is_none() {
        errs.push(FieldError::invalid(&p.child("qosClass"), BadValue::named(&now), "field is immutable"));
    }
}

/// A status list's key, its old and new entries, and the spec containers
/// they belong to.
type StatusLists<'a> = (&'a str, &'a [ContainerStatus], &'a [ContainerStatus], &'a [crate::api::Container]);

/// upstream: ValidateContainerStateTransition and its init and ephemeral
/// variants: a terminated container that would not be restarted may not
/// come back (reported at the old status's index). Without
/// `ContainerRestartRules` the pod's policy decides (sidecars always
/// restart) and every new status of that name is compared; with it, the
/// container's own policy and rules decide (a status no spec container
/// names may not come back) and one error at most per old status (the first
/// new status of that name that is not terminated). Ephemeral containers
/// never come back, and every new status of theirs is compared.
fn state_transitions(old: &Pod, new: &Pod, spec: &PodSpec, rules: bool, p: &FieldPath, errs: &mut Errors) {
    let (Some(old_status), Some(new_status)) = (old.status.as_ref(), new.status.as_ref()) else { return };
    let policy = spec.restart_policy();
    let lists: [StatusLists<'_>; 3] = [
        (
            "containerStatuses",
            old_status.container_statuses(),
            new_status.container_statuses(),
            &spec.containers,
        ),
        (
            "initContainerStatuses",
            old_status.init_container_statuses(),
            new_status.init_container_statuses(),
            spec.init_containers(),
        ),
        (
            "ephemeralContainerStatuses",
            old_status.ephemeral_container_statuses.as_deref().unwrap_or(&[]),
            new_status.ephemeral_container_statuses.as_deref().unwrap_or(&[]),
            &[],
        ),
    ];
    for (key, old_list, new_list, containers) in lists {
        let ephemeral = key == "ephemeralContainerStatuses";
        for (i, before) in old_list.iter().enumerate() {
            let Some(exit) = before.state.as_ref().and_then(|s| s.terminated.as_ref()).map(|t| t.exit_code)
            else {
                continue;
            };
            let container = containers.iter().find(|c| c.name == before.name);
            let may_restart = if ephemeral {
                false
            } else if rules {
                container.is_some_and(|c| crate::pod::restart::container_should_restart(c, &policy, exit))
            } else {
                policy == RestartPolicy::Always
                    || (exit != 0 && policy == RestartPolicy::OnFailure)
                    || (key == "initContainerStatuses" && container.is_some_and(|c| c.is_sidecar()))
            };
            if may_restart {
                continue;
            }
            let at_most = if rules && !ephemeral { 1 } else { usize::MAX };
            let back = new_list
                .iter()
                .filter(|c| c.name == before.name && c.state.as_ref().is_none_or(|s| s.terminated.is_none()))
                .take(at_most);
            for _ in back {
                errs.push(FieldError::forbidden(
                    &p.child(key).index(i).child("state"),
                    "may not be transitioned to non-terminated state",
                ));
            }
        }
    }
}

/// upstream: validatePodResourceClaimStatuses.
fn resource_claim_statuses(pod: &Pod, spec: &PodSpec, p: &FieldPath, errs: &mut Errors) {
    let claims = pod_claim_names(spec);
    let mut seen: HashSet<&str> = HashSet::new();
    let statuses = pod.status.as_ref().and_then(|s| s.resource_claim_statuses.as_deref()).unwrap_or(&[]);
    for (i, s) in statuses.iter().enumerate() {
        let ip = p.child("resourceClaimStatuses").index(i);
        if !claims.contains(s.name.as_str()) {
            errs.push(FieldError::invalid(
                &ip.child("name"),
                s.name.as_str(),
                "must match the name of an entry in `spec.resourceClaims`",
            ));
        }
        if !seen.insert(s.name.as_str()) {
            errs.push(FieldError::duplicate(&ip.child("name"), s.name.as_str()));
        }
        if let Some(name) = s.resource_claim_name.as_deref() {
            // 1.35 reports it on `name` (kubernetes PR 137321 moved it to
            // `resourceClaimName` in 1.36).
            for msg in strings::dns1123_subdomain(name) {
                errs.push(FieldError::invalid(&ip.child("name"), name, &msg));
            }
        }
    }
}

/// upstream: validatePodIPs / validateHostIPs: each address valid, and at
/// most one of each family.
fn ip_list(ips: &[&str], old_ips: &[&str], path: &FieldPath, errs: &mut Errors) {
    for (i, address) in ips.iter().enumerate() {
        if !old_ips.contains(address) {
            ip(address, &path.index(i), errs);
        }
    }
    if ips.len() < 2 {
        return;
    }
    // An address that does not parse makes the list not dual-stack too
    // (upstream also adds an internal error, left out here).
    let families: Option<Vec<bool>> = ips.iter().map(|ip| family_is_v4(ip)).collect();
    let dual = families.is_some_and(|f| f.len() == 2 && f.first() != f.get(1));
    if !dual {
        // The bad value is the list itself: `[{"ip": ...}]`.
        let list = BadValue::Json(serde_json::Value::from(
            ips.iter().map(|s| serde_json::json!({ "ip": s })).collect::<Vec<_>>(),
        ));
        errs.push(FieldError::invalid(path, list, "may specify no more than one IP for each IP family"));
    }
}

/// `Some(true)` for an IPv4 address (an IPv4-mapped IPv6 one included),
/// `Some(false)` for IPv6, `None` when it does not parse.
fn family_is_v4(ip: &str) -> Option<bool> {
    match parse_ip_sloppy(ip)? {
        IpAddr::V6(v6) => Some(v6.to_ipv4_mapped().is_some()),
        IpAddr::V4(_) => Some(true),
    }
}

/// upstream: validateContainerStatusUsers: a Linux identity only on Linux,
/// with ids in the int32 range.
fn container_user(c: &ContainerStatus, windows: bool, linux: bool, p: &FieldPath, errs: &mut Errors) {
    let Some(user) = c.user.as_ref().filter(|u| !u.is_null()) else { return };
    let Some(ids) = user.get("linux").filter(|l| !l.is_null()) else { return };
    let lp = p.child("user").child("linux");
    if windows {
        errs.push(FieldError::forbidden(&lp, "cannot be set for a windows pod"));
        return;
    }
    if !linux {
        return;
    }
    let check = |v: Option<&serde_json::Value>, path: &FieldPath, errs: &mut Errors| {
        if let Some(n) = v.and_then(serde_json::Value::as_i64) {
            id_value(n, path, errs);
        }
    };
    check(ids.get("uid"), &lp.child("uid"), errs);
    check(ids.get("gid"), &lp.child("gid"), errs);
    for (g, v) in
        ids.get("supplementalGroups").and_then(serde_json::Value::as_array).into_iter().flatten().enumerate()
    {
        check(Some(v), &lp.child("supplementalGroups").index(g), errs);
    }
}
