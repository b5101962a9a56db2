//! What an update's old pod spec already used (upstream:
//! `GetValidationOptionsFromPodSpecAndMeta` in pkg/api/pod/util.go, the
//! options it derives from the old spec).
//!
//! The API server validates an update's new pod (template) with rules it
//! relaxes for whatever the stored object already held, so that an object
//! stored under laxer rules can still be changed: an indivisible hugepages
//! quantity, an invalid label value in a selector, a projected token path
//! outside the volume, ... Each relaxation is as wide as upstream's: one
//! flag for the whole pod spec, not per field, so a stored invalid value
//! lets the update bring another one.
//!
//! Options that follow a gate this crate does not make selectable need no
//! flag: relaxed DNS search paths and sidecar resize policies (their gates
//! are locked on in 1.35). Not modelled: `AllowRestartAllContainers` (the
//! crate refuses the `RestartAllContainers` action on every spec) and
//! `OldPodViolatesMatchLabelKeysValidation` (it only swaps in the legacy
//! topology-spread `matchLabelKeys` rule, which refuses no less).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{FieldPath, json, meta, strings};
use crate::api::{
    Container, ContainerRestartPolicy, PodSpec, ResourceList, ResourceRequirements, TolerationOperator,
};

/// The relaxations an update's old pod spec turns on. `Default` is a
/// create's: none.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct OldSpec {
    /// A `fileKeyRef` env source (`AllowEnvFilesValidation`, with the
    /// EnvFiles gate off): it stays.
    pub(crate) file_key_ref: bool,
    /// A hugepages quantity that is not a whole number of pages
    /// (`AllowIndivisibleHugePagesValues`): no divisibility check.
    pub(crate) indivisible_hugepages: bool,
    /// A pod (anti-)affinity term whose label or namespace selector fails
    /// validation (`AllowInvalidLabelValueInSelector`): those selectors'
    /// values are not checked as label values.
    pub(crate) invalid_affinity_selector: bool,
    /// An invalid label value among the required node affinity terms'
    /// expressions (`AllowInvalidLabelValueInRequiredNodeAffinity`): their
    /// values are not checked, as the preferred terms' never are.
    pub(crate) invalid_required_node_affinity_value: bool,
    /// A topology spread constraint whose label selector fails validation
    /// (`AllowInvalidTopologySpreadConstraintLabelSelector`): no such
    /// selector is validated.
    pub(crate) invalid_spread_selector: bool,
    /// A projected service account token path that is absolute or climbs
    /// out of the volume (`AllowNonLocalProjectedTokenPath`): token paths
    /// need only be set.
    pub(crate) non_local_token_path: bool,
    /// A network sysctl with `hostNetwork` or an IPC one with `hostIPC`
    /// (`AllowNamespacedSysctlsForHostNetAndHostIPC`): no sysctl is checked
    /// against the host namespaces.
    pub(crate) host_namespaced_sysctl: bool,
    /// `hostUsers: false` with block devices (`AllowUserNamespacesWithVolumeDevices`).
    pub(crate) user_namespace_volume_devices: bool,
    /// `hostUsers: false` with `hostNetwork` (`AllowUserNamespacesHostNetworkSupport`,
    /// whose gate is off in 1.35).
    pub(crate) user_namespace_host_network: bool,
    /// A `seLinuxChangePolicy` (useOnlyRecursiveSELinuxChangePolicy, with
    /// SELinuxMount off): any valid policy, not only `Recursive`.
    pub(crate) se_linux_change_policy: bool,
    /// A `sleep` hook of zero seconds (`AllowPodLifecycleSleepActionZeroValue`,
    /// with PodLifecycleSleepActionAllowZero off): zero stays allowed.
    pub(crate) sleep_zero: bool,
    /// A container restart policy or rule (`AllowContainerRestartPolicyRules`,
    /// with ContainerRestartRules off): they are kept and validated.
    pub(crate) container_restart_rules: bool,
    /// An environment variable name (or `envFrom` prefix) of the new spec
    /// that only the relaxed rule accepts and that the old spec already
    /// used (`AllowRelaxedEnvironmentVariableValidation`, with
    /// RelaxedEnvironmentVariableValidation off): names are checked by the
    /// relaxed rule.
    pub(crate) relaxed_env_name: bool,
    /// A toleration with operator `Lt` or `Gt`
    /// (`AllowTaintTolerationComparisonOperators`, whose gate is off in 1.35).
    pub(crate) toleration_comparison: bool,
    /// A container stop signal (containerStopSignalsInUse, with
    /// ContainerStopSignals off): the signals are kept and validated.
    pub(crate) stop_signals: bool,
    /// A `hostnameOverride` (setHostnameOverrideInUse, with
    /// HostnameOverride off): it is kept and validated.
    pub(crate) hostname_override: bool,
}

impl OldSpec {
    /// What `old`, the stored object's pod spec, already uses, for an
    /// update to `new` (one relaxation, the environment variable names',
    /// reads both).
    pub(crate) fn new(old: &PodSpec, new: &PodSpec) -> OldSpec {
        let ephemeral = typed_ephemeral_containers(old);
        let containers: Vec<&Container> =
            old.containers.iter().chain(old.init_containers()).chain(&ephemeral).collect();
        let user_namespace = old.host_users == Some(false);
        OldSpec {
            file_key_ref: containers.iter().flat_map(|c| c.env()).any(|var| {
                var.value_from.as_ref().and_then(|f| f.get("fileKeyRef")).is_some_and(|f| !f.is_null())
            }),
            indivisible_hugepages: uses_indivisible_hugepages(old, &containers),
            invalid_affinity_selector: invalid_affinity_selector(old),
            invalid_required_node_affinity_value: invalid_required_node_affinity_value(old),
            invalid_spread_selector: invalid_spread_selector(old),
            non_local_token_path: non_local_token_path(old),
            host_namespaced_sysctl: super::security::host_namespaced_sysctl(old),
            user_namespace_volume_devices: user_namespace
                && containers.iter().any(|c| c.volume_devices.as_ref().is_some_and(|d| !d.is_empty())),
            user_namespace_host_network: user_namespace && old.host_network == Some(true),
            se_linux_change_policy: old
                .security_context
                .as_ref()
                .and_then(|sc| sc.get("seLinuxChangePolicy"))
                .is_some_and(|p| !p.is_null()),
            sleep_zero: containers.iter().filter_map(|c| c.lifecycle.as_ref()).any(|l| {
                [&l.post_start, &l.pre_stop]
                    .into_iter()
                    .flatten()
                    .any(|h| h.sleep.as_ref().is_some_and(|s| s.seconds == 0))
            }),
            container_restart_rules: uses_container_restart_rules(old),
            relaxed_env_name: relaxed_env_name_kept(&containers, new),
            toleration_comparison: old
                .tolerations()
                .iter()
                .any(|t| matches!(t.operator, Some(TolerationOperator::Lt | TolerationOperator::Gt))),
            stop_signals: containers
                .iter()
                .any(|c| c.lifecycle.as_ref().is_some_and(|l| l.stop_signal.is_some())),
            hostname_override: old.hostname_override.is_some(),
        }
    }
}

/// `spec`'s ephemeral containers, typed (the wire types keep them as
/// JSON); one that does not read as a container is left out.
fn typed_ephemeral_containers(spec: &PodSpec) -> Vec<Container> {
    let list = spec.ephemeral_containers.iter().flatten();
    list.filter_map(|e| serde_json::from_value(e.clone()).ok()).collect()
}

/// upstream: useRelaxedEnvironmentVariableValidation with the gate off: a
/// name of the new spec that only the relaxed rule accepts and that the
/// old spec's `containers` already used.
fn relaxed_env_name_kept(containers: &[&Container], new: &PodSpec) -> bool {
    let old_names = env_names(containers.iter().copied());
    if old_names.is_empty() {
        return false;
    }
    let ephemeral = typed_ephemeral_containers(new);
    let new_names = env_names(new.containers.iter().chain(new.init_containers()).chain(&ephemeral));
    new_names.iter().any(|name| {
        !strings::strict_env_var_name(name).is_empty()
            && strings::relaxed_env_var_name(name).is_empty()
            && old_names.contains(name)
    })
}

/// Every environment variable name and `envFrom` prefix of `containers`
/// (upstream: gatherPodEnvVarNames).
fn env_names<'c>(containers: impl Iterator<Item = &'c Container>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for c in containers {
        names.extend(c.env().iter().map(|e| e.name.clone()));
        names.extend(c.env_from.iter().flatten().map(|e| e.prefix.clone().unwrap_or_default()));
    }
    names
}

/// upstream: containerRestartRulesInUse: an init container with a restart
/// policy other than `Always` or with rules, or a regular container with a
/// restart policy.
pub(crate) fn uses_container_restart_rules(spec: &PodSpec) -> bool {
    let init = spec.init_containers().iter().any(|c| {
        c.restart_policy.as_ref().is_some_and(|p| *p != ContainerRestartPolicy::Always)
            || c.restart_policy_rules.as_ref().is_some_and(|r| !r.is_empty())
    });
    init || spec.containers.iter().any(|c| c.restart_policy.is_some())
}

/// upstream: usesIndivisibleHugePagesValues: a hugepages limit or request
/// of any of the spec's `containers` (init, regular or ephemeral), or a
/// hugepages overhead, that is not a whole number of pages. Pod-level
/// resources are not read.
fn uses_indivisible_hugepages(spec: &PodSpec, containers: &[&Container]) -> bool {
    let indivisible = |list: Option<&ResourceList>| {
        list.into_iter().flatten().any(|(name, q)| {
            super::pod::parse_quantity(&q.value).is_some() && !super::pod::divides_pages(name, &q.value)
        })
    };
    let in_requirements =
        |r: &ResourceRequirements| indivisible(r.limits.as_ref()) || indivisible(r.requests.as_ref());
    containers.iter().filter_map(|c| c.resources.as_ref()).any(in_requirements)
        || indivisible(spec.overhead.as_ref())
}

/// Whether the label selector `v` (as written) fails validation: it does
/// not read as one, or ValidateLabelSelector with label values checked
/// finds an error.
fn selector_invalid(v: Option<&Value>) -> bool {
    let Some(v) = v else { return false };
    let mut errs = Vec::new();
    let path = FieldPath::root();
    match json::label_selector(v, &path, &mut errs) {
        Some(selector) => !errs.is_empty() || !meta::validate_label_selector(&selector, &path).is_empty(),
        None => !errs.is_empty(),
    }
}

/// upstream: hasInvalidLabelValueInAffinitySelector: any required or
/// preferred pod (anti-)affinity term whose label or namespace selector
/// fails ValidatePodAffinityTermSelector.
fn invalid_affinity_selector(spec: &PodSpec) -> bool {
    let Some(affinity) = &spec.affinity else { return false };
    let term_invalid = |t: &Map<String, Value>| {
        selector_invalid(t.get("labelSelector")) || selector_invalid(t.get("namespaceSelector"))
    };
    [&affinity.pod_affinity, &affinity.pod_anti_affinity].into_iter().flatten().any(|kind| {
        let list = |key: &str| kind.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
        let required =
            list("requiredDuringSchedulingIgnoredDuringExecution").iter().filter_map(Value::as_object);
        let preferred = list("preferredDuringSchedulingIgnoredDuringExecution")
            .iter()
            .filter_map(|w| w.get("podAffinityTerm")?.as_object());
        required.chain(preferred).any(term_invalid)
    })
}

/// upstream: hasInvalidLabelValueInRequiredNodeAffinity
/// (HasInvalidLabelValueInNodeSelectorTerms): a value of a required node
/// affinity expression that is not a valid label value.
fn invalid_required_node_affinity_value(spec: &PodSpec) -> bool {
    let required = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|n| n.required_during_scheduling_ignored_during_execution.as_ref());
    required.into_iter().flat_map(|r| &r.node_selector_terms).any(|term| {
        strings::any_invalid_label_value(
            term.match_expressions.iter().flatten().flat_map(|e| e.values.iter().flatten()),
        )
    })
}

/// upstream: hasInvalidTopologySpreadConstraintLabelSelector.
fn invalid_spread_selector(spec: &PodSpec) -> bool {
    spec.topology_spread_constraints.iter().flatten().any(|c| selector_invalid(c.get("labelSelector")))
}

/// upstream: hasNonLocalProjectedTokenPath: a projected service account
/// token whose path fails ValidateLocalNonReservedPath.
fn non_local_token_path(spec: &PodSpec) -> bool {
    let sources =
        spec.volumes().iter().filter_map(|v| v.other.get("projected")?.get("sources")?.as_array()).flatten();
    sources.filter_map(|s| s.get("serviceAccountToken")).any(|token| {
        let path = token.get("path").and_then(Value::as_str).unwrap_or("");
        let mut errs = Vec::new();
        super::pod::local_non_reserved_path(path, &FieldPath::root(), &mut errs);
        !errs.is_empty()
    })
}
