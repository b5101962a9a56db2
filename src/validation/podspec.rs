//! Pod-spec fields beyond containers and volumes: DNS config, host
//! aliases, resource claims, overhead and pod-level resources.
//!
//! upstream: pkg/apis/core/validation/validation.go — validatePodDNSConfig,
//! ValidateHostAliases, validatePodResourceClaims, validatePodResourceClaim,
//! validateResourceClaimNames, validateOverhead, validatePodResources,
//! validatePodResourceConsistency; apimachinery util/validation IsValidIP,
//! IsDNS1123SubdomainWithUnderscore; component-helpers resource/helpers.go
//! AggregateContainerRequests, IsSupportedPodLevelResource.
//!
//! Gates the crate's [`FeatureGates`](crate::FeatureGates) does not carry
//! are taken at their 1.35 defaults: `RelaxedDNSSearchValidation` (GA, so
//! search domains may contain `_` and be `.`) and `PodLevelResources` (beta,
//! on, hugepages included).

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashSet};

use indexmap::IndexMap;
use serde_json::Value;

use crate::api::{Container, PodSpec, ResourceList};

use super::json;
use super::quantity::{self, Dec};
use super::strings;
use super::{BadValue, Errors, FieldError, FieldPath};

const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCH_PATHS: usize = 32;
const MAX_SEARCH_CHARS: usize = 2048;
pub(crate) const IP_MSG: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

/// Whether `s` parses as an IP address the way Go's `net.ParseIP` did
/// before 1.17 (upstream: netutils.ParseIPSloppy): the parts of a dotted
/// IPv4 address, alone or ending an IPv6 one, may carry leading zeros.
pub(crate) fn is_ip_sloppy(s: &str) -> bool {
    parse_ip_sloppy(s).is_some()
}

/// The address [`is_ip_sloppy`] accepts, parsed.
pub(crate) fn parse_ip_sloppy(s: &str) -> Option<std::net::IpAddr> {
    match s.rsplit_once(':') {
        Some((head, quad)) if quad.contains('.') => {
            let v4 = sloppy_ipv4(quad)?;
            format!("{head}:{v4}").parse::<std::net::Ipv6Addr>().ok().map(std::net::IpAddr::V6)
        }
        Some(_) => s.parse::<std::net::Ipv6Addr>().ok().map(std::net::IpAddr::V6),
        None => sloppy_ipv4(s)?.parse::<std::net::Ipv4Addr>().ok().map(std::net::IpAddr::V4),
    }
}

/// A dotted IPv4 address with its parts' leading zeros dropped, when it is
/// one.
fn sloppy_ipv4(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('.').collect();
    let valid = parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.trim_start_matches('0').len() <= 3
                && p.parse::<u32>().is_ok_and(|n| n <= 255)
        });
    valid.then(|| {
        parts
            .iter()
            .filter_map(|p| p.parse::<u32>().ok())
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(".")
    })
}

/// An IP address, parsed as upstream's legacy fields parse it.
pub(crate) fn ip(value: &str, path: &FieldPath, errs: &mut Errors) {
    if !is_ip_sloppy(value) {
        errs.push(FieldError::invalid(path, value, IP_MSG));
    }
}

/// `_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?` labels joined by `.`, at most 253
/// bytes (upstream: IsDNS1123SubdomainWithUnderscore).
pub(crate) fn dns1123_subdomain_with_underscore(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > strings::DNS1123_SUBDOMAIN_MAX {
        errs.push(strings::max_len_error(strings::DNS1123_SUBDOMAIN_MAX));
    }
    let label_ok = |l: &str| {
        let body = l.strip_prefix('_').unwrap_or(l).as_bytes();
        let alnum = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        alnum(body.first())
            && alnum(body.last())
            && body.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
    };
    if !value.split('.').all(label_ok) {
        errs.push(strings::regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character",
            "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errs
}

/// upstream: validatePodDNSConfig (RelaxedDNSSearchValidation on).
pub(crate) fn dns_config(spec: &PodSpec, path: &FieldPath, errs: &mut Errors) {
    let p = path.child("dnsConfig");
    let config = spec.dns_config.as_ref().filter(|v| !v.is_null());
    let none = spec.dns_policy.as_ref().is_some_and(|d| d.as_str() == "None");
    let Some(config) = config else {
        if none {
            errs.push(FieldError::required(&p, "must provide `dnsConfig` when `dnsPolicy` is None"));
        }
        return;
    };
    let Some(m) = json::object(config, &p, errs) else { return };
    let nameservers = json::strings(m, "nameservers", &p, errs).unwrap_or_default();
    if none && nameservers.is_empty() {
        errs.push(FieldError::required(
            &p.child("nameservers"),
            "must provide at least one DNS nameserver when `dnsPolicy` is None",
        ));
        return;
    }
    if nameservers.len() > MAX_NAMESERVERS {
        errs.push(FieldError::invalid(
            &p.child("nameservers"),
            BadValue::json(&nameservers),
            &format!("must not have more than {MAX_NAMESERVERS} nameservers"),
        ));
    }
    for (i, ns) in nameservers.iter().enumerate() {
        ip(ns, &p.child("nameservers").index(i), errs);
    }
    let searches = json::strings(m, "searches", &p, errs).unwrap_or_default();
    let sp = p.child("searches");
    if searches.len() > MAX_SEARCH_PATHS {
        errs.push(FieldError::invalid(
            &sp,
            BadValue::json(&searches),
            &format!("must not have more than {MAX_SEARCH_PATHS} search paths"),
        ));
    }
    let joined = searches
        .iter()
        .fold(0usize, |n, s| n.saturating_add(s.len()))
        .saturating_add(searches.len().saturating_sub(1));
    if joined > MAX_SEARCH_CHARS {
        errs.push(FieldError::invalid(
            &sp,
            BadValue::json(&searches),
            &format!(
                "must not have more than {MAX_SEARCH_CHARS} characters (including spaces) in the search list"
            ),
        ));
    }
    for (i, search) in searches.iter().enumerate() {
        if *search == "." {
            continue;
        }
        let trimmed = search.strip_suffix('.').unwrap_or(search);
        for msg in dns1123_subdomain_with_underscore(trimmed) {
            errs.push(FieldError::invalid(&sp.index(i), trimmed, &msg));
        }
    }
    for (i, option) in json::list(m, "options", &p, errs).iter().enumerate() {
        let op = p.child("options").index(i);
        let Some(o) = json::object(option, &op, errs) else { continue };
        if json::string_or_empty(o, "name", &op, errs).is_empty() {
            errs.push(FieldError::required(&op, "must not be empty"));
        }
    }
}

/// upstream: ValidateHostAliases.
pub(crate) fn host_aliases(spec: &PodSpec, path: &FieldPath, errs: &mut Errors) {
    let p = path.child("hostAliases");
    for (i, alias) in spec.host_aliases.iter().flatten().enumerate() {
        let ip_path = p.index(i);
        let Some(a) = json::object(alias, &ip_path, errs) else { continue };
        let addr = json::string_or_empty(a, "ip", &ip_path, errs);
        ip(addr, &ip_path.child("ip"), errs);
        for (j, host) in json::strings(a, "hostnames", &ip_path, errs).unwrap_or_default().iter().enumerate()
        {
            for msg in strings::dns1123_subdomain(host) {
                errs.push(FieldError::invalid(&ip_path.child("hostnames").index(j), *host, &msg));
            }
        }
    }
}

/// The non-empty names of the pod's resource claims (upstream:
/// gatherPodResourceClaimNames).
pub(crate) fn pod_claim_names(spec: &PodSpec) -> BTreeSet<&str> {
    spec.resource_claims
        .iter()
        .flatten()
        .filter_map(|c| c.get("name").and_then(Value::as_str))
        .filter(|n| !n.is_empty())
        .collect()
}

/// upstream: validatePodResourceClaims, validatePodResourceClaim. A static
/// (mirror) pod's claims are each refused whole, at the root path.
pub(crate) fn resource_claims(spec: &PodSpec, path: &FieldPath, static_pod: bool, errs: &mut Errors) {
    let p = path.child("resourceClaims");
    let mut names = HashSet::new();
    for (i, claim) in spec.resource_claims.iter().flatten().enumerate() {
        if static_pod {
            errs.push(FieldError::forbidden(
                &FieldPath::root(),
                "static pods do not support resource claims",
            ));
            continue;
        }
        let cp = p.index(i);
        let Some(c) = json::object(claim, &cp, errs) else { continue };
        let name = json::string_or_empty(c, "name", &cp, errs);
        if name.is_empty() {
            errs.push(FieldError::required(&cp.child("name"), ""));
        } else if names.contains(name) {
            errs.push(FieldError::duplicate(&cp.child("name"), name));
        } else {
            for msg in strings::dns1123_label(name) {
                errs.push(FieldError::invalid(&cp.child("name"), name, &msg));
            }
            names.insert(name);
        }
        let claim_name = json::string(c, "resourceClaimName", &cp, errs);
        let template_name = json::string(c, "resourceClaimTemplateName", &cp, errs);
        match (claim_name, template_name) {
            (Some(_), Some(_)) => errs.push(FieldError::invalid(
                &cp,
                BadValue::Json(claim.clone()),
                "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified",
            )),
            (None, None) => errs.push(FieldError::invalid(
                &cp,
                BadValue::Json(claim.clone()),
                "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`",
            )),
            _ => {}
        }
        for (key, value) in [("resourceClaimName", claim_name), ("resourceClaimTemplateName", template_name)]
        {
            if let Some(v) = value {
                for msg in strings::dns1123_subdomain(v) {
                    errs.push(FieldError::invalid(&cp.child(key), v, &msg));
                }
            }
        }
    }
}

/// upstream: validateResourceClaimNames, for a container's
/// `resources.claims` (`path` is the `claims` path).
pub(crate) fn container_claims(
    c: &Container,
    pod_claims: &BTreeSet<&str>,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let claims = c.resources.as_ref().and_then(|r| r.claims.as_deref()).unwrap_or(&[]);
    claim_names(claims, pod_claims, path, errs);
}

/// upstream: validateResourceClaimNames over `claims` (a container's or the
/// pod-level resources').
fn claim_names(
    claims: &[crate::api::ResourceClaim],
    pod_claims: &BTreeSet<&str>,
    path: &FieldPath,
    errs: &mut Errors,
) {
    let mut names: HashSet<String> = HashSet::new();
    for (i, claim) in claims.iter().enumerate() {
        let p = path.index(i);
        let name = claim.name.as_str();
        if name.is_empty() {
            errs.push(FieldError::required(&p, ""));
            continue;
        }
        let request = claim.request.as_deref().unwrap_or("");
        if names.contains(name) {
            // Every request of that claim is already referenced.
            errs.push(FieldError::duplicate(&p, name));
        } else {
            let mut key = name.to_owned();
            if !request.is_empty() {
                for msg in strings::dns1123_label(request) {
                    errs.push(FieldError::invalid(&p.child("request"), request, &msg));
                }
                key = format!("{name}/{request}");
            }
            if names.contains(&key) {
                errs.push(FieldError::duplicate(&p, key.as_str()));
            } else if request.is_empty() {
                // A whole-claim reference overlaps earlier per-request ones.
                let overlaps =
                    names.iter().filter(|k| k.split_once('/').is_some_and(|(n, _)| n == name)).count();
                for _ in 0..overlaps {
                    errs.push(FieldError::duplicate(&p, name));
                }
            }
            names.insert(key);
        }
        if !pod_claims.contains(name) {
            let detail = if pod_claims.is_empty() {
                "must be one of the names in pod.spec.resourceClaims which is empty".to_owned()
            } else {
                let list: Vec<&str> = pod_claims.iter().copied().collect();
                format!("must be one of the names in pod.spec.resourceClaims: {}", list.join(", "))
            };
            let mut e = FieldError::not_found(&p, name);
            e.detail = detail;
            errs.push(e);
        }
    }
}

/// A quantity read exactly, with the text upstream's `String()` keeps for
/// it (`None`: the canonical form).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Amount<'a> {
    pub(crate) value: Dec,
    format: quantity::Format,
    written: Option<&'a str>,
}

impl Amount<'_> {
    /// The text upstream prints (`Quantity.String`).
    pub(crate) fn shown(&self) -> String {
        self.written.map_or_else(|| quantity::format(self.value, self.format), str::to_owned)
    }
}

/// A resource list read exactly; entries that do not parse are left out
/// (their syntax errors are reported elsewhere).
fn exact(list: Option<&ResourceList>) -> IndexMap<&str, Amount<'_>> {
    list.into_iter()
        .flatten()
        .filter_map(|(k, q)| {
            let p = quantity::parse(&q.value)?;
            let written = p.as_written.then(|| q.value.trim());
            Some((k.as_str(), Amount { value: p.value, format: p.format, written }))
        })
        .collect()
}

/// upstream: addResourceList: the first amount is copied (DeepCopy keeps
/// its text), a sum is new (Quantity.Add clears it).
fn add_list<'a>(
    into: &mut IndexMap<&'a str, Amount<'a>>,
    from: &IndexMap<&'a str, Amount<'a>>,
) -> Option<()> {
    for (k, a) in from {
        match into.get_mut(k) {
            // upstream: Quantity.Add takes the addend's format while the sum
            // is still zero.
            Some(sum) => {
                if sum.value.is_zero() {
                    sum.format = a.format;
                }
                sum.value = sum.value.checked_add(a.value)?;
                sum.written = None;
            }
            None => {
                into.insert(k, *a);
            }
        }
    }
    Some(())
}

/// upstream: maxResourceList: the larger amount is copied.
fn max_list<'a>(into: &mut IndexMap<&'a str, Amount<'a>>, from: &IndexMap<&'a str, Amount<'a>>) {
    for (k, a) in from {
        match into.get_mut(k) {
            Some(cur) => {
                if a.value.cmp_exact(cur.value) == Ordering::Greater {
                    *cur = *a;
                }
            }
            None => {
                into.insert(k, *a);
            }
        }
    }
}

/// The pod's aggregate container requests or limits, sidecars included
/// (upstream: AggregateContainerRequests / AggregateContainerLimits without
/// status or DRA inputs): regular containers and sidecars summed, then the
/// maximum with each plain init container plus the sidecars started before
/// it. `None` when a sum overflows the exact representation.
pub(crate) fn aggregate_containers<'a>(
    spec: &'a PodSpec,
    pick: impl Fn(&'a Container) -> Option<&'a ResourceList>,
) -> Option<IndexMap<&'a str, Amount<'a>>> {
    let mut result = IndexMap::new();
    for c in &spec.containers {
        add_list(&mut result, &exact(pick(c)))?;
    }
    let mut sidecars = IndexMap::new();
    let mut init = IndexMap::new();
    for c in spec.init_containers() {
        let own = exact(pick(c));
        let effective = if c.is_sidecar() {
            add_list(&mut result, &own)?;
            add_list(&mut sidecars, &own)?;
            sidecars.clone()
        } else {
            let mut combined = own;
            add_list(&mut combined, &sidecars)?;
            combined
        };
        max_list(&mut init, &effective);
    }
    max_list(&mut result, &init);
    Some(result)
}

/// One error per resource (in name order) the pod sets in `pod` whose
/// aggregate over the containers is larger (upstream:
/// validatePodResourceConsistency).
fn not_below_aggregate(
    pod: &IndexMap<&str, Amount<'_>>,
    aggregate: Option<IndexMap<&str, Amount<'_>>>,
    compared: impl Fn(&str) -> bool,
    path: &FieldPath,
    kind: &str,
    errs: &mut Errors,
) {
    let Some(aggregate) = aggregate else { return };
    let mut names: Vec<&str> = aggregate.keys().copied().filter(|n| compared(n)).collect();
    names.sort_unstable();
    for name in names {
        let (Some(sum), Some(own)) = (aggregate.get(name), pod.get(name)) else { continue };
        if sum.value.cmp_exact(own.value) == Ordering::Greater {
            errs.push(FieldError::invalid(
                &path.key(name),
                own.shown(),
                &format!("must be greater than or equal to aggregate container {kind} of {}", sum.shown()),
            ));
        }
    }
}

/// Whether a resource may be set at pod level (upstream:
/// IsSupportedPodLevelResource, 1.35: cpu, memory, hugepages).
pub(crate) fn is_pod_level_resource(name: &str) -> bool {
    name == "cpu" || name == "memory" || name.starts_with("hugepages-")
}

/// upstream: validatePodResources, validatePodResourceConsistency, as of
/// 1.34: a windows pod may not set them at all, aggregate container
/// requests are compared only for the resources the pod requests, and
/// hugepage limits are compared with the containers' summed limits. The
/// resource-requirement checks themselves run through `requirements`
/// (the container rules with pod-level names).
pub(crate) fn pod_resources(
    spec: &PodSpec,
    path: &FieldPath,
    errs: &mut Errors,
    requirements: impl Fn(&crate::api::ResourceRequirements, &FieldPath, &mut Errors),
) {
    let Some(r) = &spec.resources else { return };
    let p = path.child("resources");
    // Pod-level resources are Linux-only: one error and nothing more
    // (upstream 1.34+).
    if spec.os.as_ref().is_some_and(|os| os.name == "windows") {
        errs.push(FieldError::forbidden(&p, "may not be set for a windows pod"));
        return;
    }
    if r.claims.is_some() {
        errs.push(FieldError::forbidden(
            &p.child("claims"),
            "claims may not be set for Resources at pod-level",
        ));
    }
    requirements(r, &p, errs);
    // Pod-level claims are checked as a container's are, after the
    // Forbidden above (upstream: validateResourceRequirements' last step).
    if let Some(claims) = r.claims.as_deref() {
        claim_names(claims, &pod_claim_names(spec), &p.child("claims"), errs);
    }
    // Aggregate container requests may not exceed the pod's requests, for
    // the resources the pod requests (an unset one is not compared).
    let pod_requests = exact(r.requests.as_ref());
    let requests = aggregate_containers(spec, |c| c.resources.as_ref().and_then(|r| r.requests.as_ref()));
    not_below_aggregate(&pod_requests, requests, |_| true, &p.child("requests"), "requests", errs);
    // Hugepages cannot be overcommitted: the pod's limit covers the
    // aggregate container limits too (upstream 1.34+).
    let pod_limits = exact(r.limits.as_ref());
    let limits = aggregate_containers(spec, |c| c.resources.as_ref().and_then(|r| r.limits.as_ref()));
    not_below_aggregate(
        &pod_limits,
        limits,
        |n| n.starts_with("hugepages-"),
        &p.child("limits"),
        "limits",
        errs,
    );
    // Each container's limit may not exceed the pod's limit.
    for (i, c) in spec.containers.iter().enumerate() {
        for (name, limit) in exact(c.resources.as_ref().and_then(|r| r.limits.as_ref())) {
            let Some(pod_limit) = pod_limits.get(name) else { continue };
            if limit.value.cmp_exact(pod_limit.value) == Ordering::Greater {
                let shown = limit.shown();
                let pod_shown = pod_limit.shown();
                // upstream builds this path as containers[i][<name>].limits.
                errs.push(FieldError::invalid(
                    &p.child("containers").index(i).key(name).child("limits"),
                    shown,
                    &format!("must be less than or equal to pod limits of {pod_shown}"),
                ));
            }
        }
    }
}
