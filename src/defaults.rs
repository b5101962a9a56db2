//! The API server's defaulting: every value it fills in before validation
//! (`semantics/defaults.md`).
//!
//! Defaulting is explicit. Nothing in the crate defaults behind the caller's
//! back: call [`apply`] (or [`applied`]) on an object decoded from a
//! manifest before [`crate::validation::validate`], as the API server does.
//! Reconcile functions that read unset fields use the `*_or_default`
//! accessors of the wire types, so a valid but non-defaulted object is
//! still handled (and never panics).
//!
//! Defaults are keyed by **type**, as upstream's generated defaulters are:
//! container, probe, volume and pod-spec defaults apply wherever those types
//! appear (Pod, PodTemplate, every workload template, the CronJob job
//! template, PodPreset volumes); the Pod-only defaults (`enableServiceLinks`,
//! requests copied from limits, host-network host ports) apply to Pod
//! objects only; Job defaults do not apply to a CronJob's `jobTemplate`.
//! Defaulting only fills what is unset (Go's zero value: `None`, `""`, and
//! `0` for upstream's non-pointer integers such as probe thresholds).
//!
//! upstream (mirrored, not copied): pkg/apis/core/v1/defaults.go
//! (SetDefaults_Pod, SetDefaults_PodSpec, SetDefaults_Container,
//! SetDefaults_Probe, SetDefaults_HTTPGetAction, SetDefaults_Volume,
//! SetDefaults_SecretVolumeSource, SetDefaults_ConfigMapVolumeSource,
//! SetDefaults_DownwardAPIVolumeSource, SetDefaults_ProjectedVolumeSource,
//! SetDefaults_ServiceAccountTokenProjection, SetDefaults_HostPathVolumeSource,
//! SetDefaults_ObjectFieldSelector, SetDefaults_ResourceList,
//! SetDefaults_ReplicationController, SetDefaults_PersistentVolumeClaim,
//! SetDefaults_NodeStatus, defaultHostNetworkPorts),
//! pkg/apis/core/v1/zz_generated.defaults.go
//! (`+default` markers), pkg/util/parsers/parsers.go (ParseImageName),
//! pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment, SetDefaults_ReplicaSet,
//! SetDefaults_DaemonSet, SetDefaults_StatefulSet), pkg/apis/batch/v1/defaults.go
//! (SetDefaults_Job, SetDefaults_CronJob,
//! SetDefaults_PodFailurePolicyOnPodConditionsPattern), and the Job create
//! strategy pkg/registry/batch/job/strategy.go (generateSelector).
//!
//! Deviations: a quantity rounded up to milli precision is written in
//! canonical form, the others as they were written (the API server writes
//! every quantity in canonical form); the pod-level `spec.resources`
//! defaults follow the PodLevelResources gate at its 1.34+ default (on),
//! which [`FeatureGates`] does not carry.
//!
//! ```
//! use kube_workloads::{Object, defaults};
//! use serde_json::json;
//!
//! let doc = json!({
//!     "apiVersion": "apps/v1", "kind": "Deployment",
//!     "metadata": {"name": "web", "namespace": "default"},
//!     "spec": {"selector": {"matchLabels": {"app": "web"}},
//!              "template": {"metadata": {"labels": {"app": "web"}},
//!                           "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
//! });
//! let defaulted = defaults::applied(Object::from_value(doc).unwrap()).to_value();
//! assert_eq!(defaulted.pointer("/spec/replicas"), Some(&json!(1)));
//! assert_eq!(defaulted.pointer("/spec/strategy/rollingUpdate/maxSurge"), Some(&json!("25%")));
//! assert_eq!(defaulted.pointer("/spec/template/spec/restartPolicy"), Some(&json!("Always")));
//! // An image without a tag is `:latest`, so it is always pulled.
//! let container = defaulted.pointer("/spec/template/spec/containers/0").unwrap();
//! assert_eq!(container["imagePullPolicy"], json!("Always"));
//! ```

use serde_json::{Map, Value};

use crate::api::{
    CompletionMode, ConcurrencyPolicy, ConditionStatus, Container, CronJob, DaemonSet,
    DaemonSetUpdateStrategyType, Deployment, DeploymentStrategyType, DnsPolicy, IntOrString, Job, JobSpec,
    LabelSelector, Object, PersistentVolumeClaim, PersistentVolumeClaimRetentionPolicyType,
    PersistentVolumeClaimSpec, PodManagementPolicyType, PodReplacementPolicy, PodSpec, PodTemplateSpec,
    Probe, Protocol, PullPolicy, Quantity, ReplicaSet, ReplicationController, ResourceList, RestartPolicy,
    StatefulSet, StatefulSetUpdateStrategyType, TerminationMessagePolicy, UriScheme, Volume,
};
use crate::api::{EmptyDirVolumeSource, Pod, PodPreset, PodTemplate};
use crate::features::FeatureGates;

/// `defaultMode` of secret, configMap, downwardAPI and projected volumes
/// (0644).
pub const DEFAULT_VOLUME_MODE: i32 = 0o644;
/// Default `terminationMessagePath`.
pub const TERMINATION_MESSAGE_PATH: &str = "/dev/termination-log";
/// Default `schedulerName`.
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";

/// Applies every default to `object` with upstream's default feature gates.
pub fn apply(object: &mut Object) {
    apply_with_gates(object, &FeatureGates::default());
}

/// [`apply`] by value: returns the defaulted object.
pub fn applied(mut object: Object) -> Object {
    apply(&mut object);
    object
}

/// [`apply`] with explicit feature gates.
pub fn apply_with_gates(object: &mut Object, gates: &FeatureGates) {
    match object {
        Object::Pod(o) => pod(o),
        Object::PodTemplate(o) => pod_template(o),
        Object::ReplicationController(o) => replication_controller(o),
        Object::ReplicaSet(o) => replica_set(o),
        Object::Deployment(o) => deployment(o),
        Object::StatefulSet(o) => stateful_set(o, gates),
        Object::DaemonSet(o) => daemon_set(o),
        Object::Job(o) => job(o, gates),
        Object::CronJob(o) => cron_job(o),
        Object::PodPreset(o) => pod_preset(o),
        Object::PersistentVolumeClaim(o) => persistent_volume_claim(o),
        Object::Node(o) => node(o),
        _ => {}
    }
}

/// Node defaults (upstream: SetObjectDefaults_Node): `allocatable` is the
/// `capacity` when unset (SetDefaults_NodeStatus), and both lists are
/// rounded up to milli precision.
fn node(n: &mut crate::api::Node) {
    let Some(status) = n.status.as_mut() else { return };
    if status.allocatable.is_none() {
        status.allocatable.clone_from(&status.capacity);
    }
    for list in [&mut status.capacity, &mut status.allocatable].into_iter().flatten() {
        resource_list(list);
    }
}

/// True for an unset open enum: `None` or an empty string.
fn unset<T: AsRef<str>>(v: Option<&T>) -> bool {
    v.is_none_or(|v| v.as_ref().is_empty())
}

macro_rules! as_ref_str {
    ($($t:ty),*) => {
        $(impl AsRef<str> for Wrap<'_, $t> {
            fn as_ref(&self) -> &str {
                self.0.as_str()
            }
        })*
    };
}

/// Borrowed enum view for [`unset`].
struct Wrap<'a, T>(&'a T);

as_ref_str!(
    DnsPolicy,
    RestartPolicy,
    PullPolicy,
    TerminationMessagePolicy,
    Protocol,
    UriScheme,
    DeploymentStrategyType,
    DaemonSetUpdateStrategyType,
    StatefulSetUpdateStrategyType,
    PodManagementPolicyType,
    PersistentVolumeClaimRetentionPolicyType,
    CompletionMode,
    PodReplacementPolicy,
    ConcurrencyPolicy,
    ConditionStatus
);

fn is_unset<T>(v: Option<&T>) -> bool
where
    for<'a> Wrap<'a, T>: AsRef<str>,
{
    unset(v.map(Wrap).as_ref())
}

// ---------------------------------------------------------------- core

/// Pod defaults: the pod-spec defaults plus `enableServiceLinks`, requests
/// copied from limits and host-network host ports (upstream: SetDefaults_Pod).
///
/// In upstream's order (SetObjectDefaults_Pod): SetDefaults_Pod first, so
/// the pod-level requests and hugepage limits add up the containers'
/// values as written, then the pod-spec defaults, whose quantity rounding
/// comes after.
pub fn pod(p: &mut Pod) {
    let spec = p.spec.get_or_insert_with(PodSpec::default);
    if spec.enable_service_links.is_none() {
        spec.enable_service_links = Some(true);
    }
    let host_network = spec.host_network == Some(true);
    let init = spec.init_containers.as_deref_mut().unwrap_or(&mut []);
    for c in spec.containers.iter_mut().chain(init.iter_mut()) {
        // An empty limits map copies nothing, and makes no requests map
        // (Go creates an empty one, which its JSON leaves out).
        if let Some(res) = c.resources.as_mut()
            && let Some(limits) = res.limits.as_ref().filter(|l| !l.is_empty())
        {
            let requests = res.requests.get_or_insert_with(ResourceList::new);
            for (k, v) in limits {
                if !requests.contains_key(k) {
                    requests.insert(k.clone(), v.clone());
                }
            }
        }
        if host_network {
            // upstream: defaultHostNetworkPorts
            for port in c.ports.iter_mut().flatten() {
                if port.host_port.unwrap_or(0) == 0 {
                    port.host_port = Some(port.container_port);
                }
            }
        }
    }
    pod_level_resources(spec);
    pod_spec(spec);
    pod_status_resources(p);
}

/// The status quantities the generated defaulter rounds up to milli
/// precision (SetDefaults_ResourceList): each container status's
/// `allocatedResources` and `resources`, and the pod-level ones.
fn pod_status_resources(p: &mut Pod) {
    let Some(status) = p.status.as_mut() else { return };
    fn requirements(r: Option<&mut crate::api::ResourceRequirements>) {
        for list in r.into_iter().flat_map(|r| [r.limits.as_mut(), r.requests.as_mut()]).flatten() {
            resource_list(list);
        }
    }
    let statuses = status
        .init_container_statuses
        .iter_mut()
        .flatten()
        .chain(status.container_statuses.iter_mut().flatten())
        .chain(status.ephemeral_container_statuses.iter_mut().flatten());
    for cs in statuses {
        if let Some(list) = cs.allocated_resources.as_mut() {
            resource_list(list);
        }
        requirements(cs.resources.as_mut());
    }
    if let Some(list) = status.allocated_resources.as_mut() {
        resource_list(list);
    }
    requirements(status.resources.as_mut());
}

/// Aggregated container values of the pod-level resources, sorted by
/// name, written as upstream's `String()` writes them: canonical, or the
/// text of the one container that gave the value when upstream keeps it
/// (a copy keeps it, a sum does not).
fn aggregated(spec: &PodSpec, limits: bool, keep: impl Fn(&str) -> bool) -> Vec<(String, Quantity)> {
    use crate::validation::podspec;
    fn pick_limits(c: &Container) -> Option<&ResourceList> {
        c.resources.as_ref().and_then(|r| r.limits.as_ref())
    }
    fn pick_requests(c: &Container) -> Option<&ResourceList> {
        c.resources.as_ref().and_then(|r| r.requests.as_ref())
    }
    let pick: fn(&Container) -> Option<&ResourceList> = if limits { pick_limits } else { pick_requests };
    let mut out: Vec<(String, Quantity)> = podspec::aggregate_containers(spec, pick)
        .into_iter()
        .flatten()
        .filter(|(k, _)| podspec::is_pod_level_resource(k) && keep(k))
        .map(|(k, a)| (k.to_owned(), Quantity::new(a.shown())))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Pod-level `resources` defaults, with the PodLevelResources gate on (beta
/// and on by default since 1.34; the crate's [`FeatureGates`] does not carry
/// it): hugepage limits from the containers' aggregate limits, then
/// requests from the containers' aggregate requests (cpu, memory) or from
/// the pod-level limits (upstream: SetDefaults_Pod → defaultHugePagePodLimits,
/// defaultPodRequests). Sums are exact; new values are written in upstream's
/// canonical quantity form.
fn pod_level_resources(spec: &mut PodSpec) {
    let Some(res) = spec.resources.as_ref() else { return };
    let has = |l: &Option<ResourceList>| l.as_ref().is_some_and(|l| !l.is_empty());
    // upstream: defaultHugePagePodLimits
    if has(&res.limits) || has(&res.requests) {
        let requests = res.requests.clone().unwrap_or_default();
        let limits = res.limits.clone().unwrap_or_default();
        let new: Vec<(String, Quantity)> = aggregated(spec, true, |k| {
            k.starts_with("hugepages-") && !requests.contains_key(k) && !limits.contains_key(k)
        });
        if !new.is_empty()
            && let Some(res) = spec.resources.as_mut()
        {
            res.limits.get_or_insert_with(ResourceList::new).extend(new);
        }
    }
    // upstream: defaultPodRequests
    let Some(res) = spec.resources.as_ref() else { return };
    let Some(limits) = res.limits.clone().filter(|l| !l.is_empty()) else { return };
    let mut requests = res.requests.clone().unwrap_or_default();
    let from_containers =
        aggregated(spec, false, |k| !k.starts_with("hugepages-") && !requests.contains_key(k));
    requests.extend(from_containers);
    for (k, v) in &limits {
        if !requests.contains_key(k) && crate::validation::podspec::is_pod_level_resource(k) {
            requests.insert(k.clone(), v.clone());
        }
    }
    if !requests.is_empty()
        && let Some(res) = spec.resources.as_mut()
    {
        res.requests = Some(requests);
    }
}

/// PodTemplate defaults (the template's pod spec only). Upstream's
/// template is a struct, not a pointer: an absent one is defaulted too.
pub fn pod_template(t: &mut PodTemplate) {
    pod_template_spec(t.template.get_or_insert_with(Default::default));
}

/// Defaults of a pod template spec: its pod spec, which upstream always
/// has (a struct, not a pointer), so an absent one gets the defaults too.
pub fn pod_template_spec(t: &mut PodTemplateSpec) {
    pod_spec(t.spec.get_or_insert_with(PodSpec::default));
}

/// Pod spec defaults, including every container, probe and volume in it
/// (upstream: SetDefaults_PodSpec and the generated type-keyed walk).
pub fn pod_spec(spec: &mut PodSpec) {
    if is_unset(spec.dns_policy.as_ref()) {
        spec.dns_policy = Some(DnsPolicy::ClusterFirst);
    }
    if is_unset(spec.restart_policy.as_ref()) {
        spec.restart_policy = Some(RestartPolicy::Always);
    }
    if spec.security_context.as_ref().is_none_or(Value::is_null) {
        spec.security_context = Some(Value::Object(Map::new()));
    }
    if spec.termination_grace_period_seconds.is_none() {
        spec.termination_grace_period_seconds = Some(PodSpec::DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    }
    if spec.scheduler_name.as_deref().is_none_or(str::is_empty) {
        spec.scheduler_name = Some(DEFAULT_SCHEDULER_NAME.to_owned());
    }
    for v in spec.volumes.iter_mut().flatten() {
        volume(v);
    }
    for c in spec.containers.iter_mut() {
        container(c);
    }
    for c in spec.init_containers.iter_mut().flatten() {
        container(c);
    }
    for c in spec.ephemeral_containers.iter_mut().flatten() {
        ephemeral_container(c);
    }
    if let Some(overhead) = spec.overhead.as_mut() {
        resource_list(overhead);
    }
    // Pod-level resources are ResourceLists too (generated defaulters).
    if let Some(res) = spec.resources.as_mut() {
        for list in [res.limits.as_mut(), res.requests.as_mut()].into_iter().flatten() {
            resource_list(list);
        }
    }
}

/// Container defaults (upstream: SetDefaults_Container and the probe,
/// handler, port and env defaults it carries).
pub fn container(c: &mut Container) {
    if is_unset(c.image_pull_policy.as_ref()) {
        c.image_pull_policy = Some(pull_policy_for(c.image.as_deref().unwrap_or("")));
    }
    if c.termination_message_path.as_deref().is_none_or(str::is_empty) {
        c.termination_message_path = Some(TERMINATION_MESSAGE_PATH.to_owned());
    }
    if is_unset(c.termination_message_policy.as_ref()) {
        c.termination_message_policy = Some(TerminationMessagePolicy::File);
    }
    for port in c.ports.iter_mut().flatten() {
        if is_unset(port.protocol.as_ref()) {
            port.protocol = Some(Protocol::Tcp);
        }
    }
    for e in c.env.iter_mut().flatten() {
        if let Some(Value::Object(from)) = e.value_from.as_mut() {
            env_value_from(from);
        }
    }
    for p in [&mut c.liveness_probe, &mut c.readiness_probe, &mut c.startup_probe].into_iter().flatten() {
        probe(p);
    }
    if let Some(lc) = c.lifecycle.as_mut() {
        for h in [&mut lc.post_start, &mut lc.pre_stop].into_iter().flatten() {
            if let Some(http) = h.http_get.as_mut() {
                http_get(http);
            }
        }
    }
    if let Some(res) = c.resources.as_mut() {
        if let Some(l) = res.limits.as_mut() {
            resource_list(l);
        }
        if let Some(r) = res.requests.as_mut() {
            resource_list(r);
        }
    }
}

/// Ephemeral containers are kept as JSON. Upstream defaults them exactly like
/// containers (SetDefaults_EphemeralContainer calls SetDefaults_Container,
/// and the generated SetObjectDefaults_Pod applies the same port, env,
/// resource, probe and lifecycle defaults), so the entry is read as a
/// [`Container`], defaulted by [`container`] and written back; fields a
/// container lacks (`targetContainerName`) are kept. An entry that does not
/// read as a container (validation reports it) gets only the top-level
/// string defaults.
fn ephemeral_container(c: &mut Value) {
    if let Ok(mut typed) = serde_json::from_value::<Container>(c.clone()) {
        container(&mut typed);
        if let Ok(v) = serde_json::to_value(&typed) {
            *c = v;
            return;
        }
    }
    let Some(obj) = c.as_object_mut() else { return };
    if obj.get("imagePullPolicy").and_then(Value::as_str).is_none_or(str::is_empty) {
        let image = obj.get("image").and_then(Value::as_str).unwrap_or("");
        let policy = pull_policy_for(image);
        obj.insert("imagePullPolicy".to_owned(), Value::String(policy.as_str().to_owned()));
    }
    if obj.get("terminationMessagePath").and_then(Value::as_str).is_none_or(str::is_empty) {
        obj.insert("terminationMessagePath".to_owned(), Value::String(TERMINATION_MESSAGE_PATH.to_owned()));
    }
    if obj.get("terminationMessagePolicy").and_then(Value::as_str).is_none_or(str::is_empty) {
        obj.insert("terminationMessagePolicy".to_owned(), Value::String("File".to_owned()));
    }
}

/// Probe defaults: zero or unset timeout, period and thresholds become
/// 1 / 10 / 1 / 3; HTTP path and scheme; gRPC service (upstream:
/// SetDefaults_Probe, SetDefaults_HTTPGetAction, `+default=""`).
pub fn probe(p: &mut Probe) {
    let fill = |v: &mut Option<i32>, d: i32| {
        if v.unwrap_or(0) == 0 {
            *v = Some(d);
        }
    };
    fill(&mut p.timeout_seconds, Probe::DEFAULT_TIMEOUT_SECONDS);
    fill(&mut p.period_seconds, Probe::DEFAULT_PERIOD_SECONDS);
    fill(&mut p.success_threshold, Probe::DEFAULT_SUCCESS_THRESHOLD);
    fill(&mut p.failure_threshold, Probe::DEFAULT_FAILURE_THRESHOLD);
    if let Some(http) = p.http_get.as_mut() {
        http_get(http);
    }
    if let Some(g) = p.grpc.as_mut()
        && g.service.is_none()
    {
        g.service = Some(String::new());
    }
}

fn http_get(h: &mut crate::api::HttpGetAction) {
    if h.path.as_deref().is_none_or(str::is_empty) {
        h.path = Some("/".to_owned());
    }
    if is_unset(h.scheme.as_ref()) {
        h.scheme = Some(UriScheme::Http);
    }
}

/// `valueFrom.fieldRef.apiVersion` → `v1`; `fileKeyRef.optional` → false.
fn env_value_from(from: &mut Map<String, Value>) {
    if let Some(Value::Object(field_ref)) = from.get_mut("fieldRef") {
        field_selector(field_ref);
    }
    if let Some(Value::Object(file_ref)) = from.get_mut("fileKeyRef")
        && file_ref.get("optional").is_none_or(Value::is_null)
    {
        file_ref.insert("optional".to_owned(), Value::Bool(false));
    }
}

/// upstream: SetDefaults_ObjectFieldSelector.
fn field_selector(field_ref: &mut Map<String, Value>) {
    if field_ref.get("apiVersion").and_then(Value::as_str).is_none_or(str::is_empty) {
        field_ref.insert("apiVersion".to_owned(), Value::String("v1".to_owned()));
    }
}

fn set_if_missing(obj: &mut Map<String, Value>, key: &str, value: Value) {
    if obj.get(key).is_none_or(Value::is_null) {
        obj.insert(key.to_owned(), value);
    }
}

fn set_if_empty_str(obj: &mut Map<String, Value>, key: &str, value: &str) {
    if obj.get(key).and_then(Value::as_str).is_none_or(str::is_empty) {
        obj.insert(key.to_owned(), Value::String(value.to_owned()));
    }
}

/// Volume defaults (upstream: SetDefaults_Volume and the per-source
/// defaulters). A volume with no source becomes `emptyDir: {}`.
pub fn volume(v: &mut Volume) {
    if !crate::validation::VOLUME_SOURCES.iter().any(|k| crate::validation::volume_has_source(v, k)) {
        v.empty_dir = Some(EmptyDirVolumeSource::default());
    }
    if let Some(s) = v.secret.as_mut() {
        s.default_mode.get_or_insert(DEFAULT_VOLUME_MODE);
    }
    if let Some(c) = v.config_map.as_mut() {
        c.default_mode.get_or_insert(DEFAULT_VOLUME_MODE);
    }
    if let Some(Value::Object(d)) = v.other.get_mut("downwardAPI") {
        downward_api(d, true);
    }
    if let Some(Value::Object(p)) = v.other.get_mut("projected") {
        set_if_missing(p, "defaultMode", Value::from(DEFAULT_VOLUME_MODE));
        if let Some(Value::Array(sources)) = p.get_mut("sources") {
            for source in sources.iter_mut().filter_map(Value::as_object_mut) {
                if let Some(Value::Object(token)) = source.get_mut("serviceAccountToken") {
                    set_if_missing(token, "expirationSeconds", Value::from(3600));
                }
                if let Some(Value::Object(d)) = source.get_mut("downwardAPI") {
                    downward_api(d, false);
                }
            }
        }
    }
    if let Some(Value::Object(h)) = v.other.get_mut("hostPath") {
        set_if_missing(h, "type", Value::String(String::new()));
    }
    if let Some(Value::Object(i)) = v.other.get_mut("iscsi") {
        set_if_empty_str(i, "iscsiInterface", "default");
    }
    if let Some(Value::Object(r)) = v.other.get_mut("rbd") {
        set_if_empty_str(r, "pool", "rbd");
        set_if_empty_str(r, "user", "admin");
        set_if_empty_str(r, "keyring", "/etc/ceph/keyring");
    }
    if let Some(Value::Object(a)) = v.other.get_mut("azureDisk") {
        // Pointers upstream: only a missing (or null) field is defaulted.
        set_if_missing(a, "cachingMode", Value::String("ReadWrite".to_owned()));
        set_if_missing(a, "fsType", Value::String("ext4".to_owned()));
        set_if_missing(a, "readOnly", Value::Bool(false));
        set_if_missing(a, "kind", Value::String("Shared".to_owned()));
    }
    if let Some(Value::Object(s)) = v.other.get_mut("scaleIO") {
        set_if_empty_str(s, "storageMode", "ThinProvisioned");
        set_if_empty_str(s, "fsType", "xfs");
    }
    // The claim template's spec is a struct upstream: defaulted when absent.
    if let Some(Value::Object(e)) = v.other.get_mut("ephemeral")
        && let Some(Value::Object(t)) = e.get_mut("volumeClaimTemplate")
        && let Some(spec) = Some(t.entry("spec").or_insert(Value::Null))
    {
        if spec.is_null() {
            *spec = Value::Object(serde_json::Map::new());
        }
        match serde_json::from_value::<PersistentVolumeClaimSpec>(spec.clone()) {
            Ok(mut typed) => {
                persistent_volume_claim_spec(&mut typed);
                if let Ok(value) = serde_json::to_value(&typed) {
                    *spec = value;
                }
            }
            // A spec the types cannot read: its volume mode still.
            Err(_) => {
                if let Value::Object(spec) = spec {
                    set_if_missing(spec, "volumeMode", Value::String("Filesystem".to_owned()));
                }
            }
        }
    }
    if let Some(Value::Object(i)) = v.other.get_mut("image")
        && i.get("pullPolicy").and_then(Value::as_str).is_none_or(str::is_empty)
    {
        let policy = pull_policy_for(i.get("reference").and_then(Value::as_str).unwrap_or(""));
        i.insert("pullPolicy".to_owned(), Value::String(policy.as_str().to_owned()));
    }
}

fn downward_api(d: &mut Map<String, Value>, with_mode: bool) {
    if with_mode {
        set_if_missing(d, "defaultMode", Value::from(DEFAULT_VOLUME_MODE));
    }
    if let Some(Value::Array(items)) = d.get_mut("items") {
        for item in items.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(Value::Object(f)) = item.get_mut("fieldRef") {
                field_selector(f);
            }
        }
    }
}

/// The `imagePullPolicy` upstream picks for an image reference: `Always`
/// for the tag `latest` or no tag and no digest, `IfNotPresent` otherwise
/// (including references that do not parse).
pub fn pull_policy_for(image: &str) -> PullPolicy {
    match parse_image(image) {
        Some((tag, digest)) if tag == Some("latest") || (tag.is_none() && !digest) => PullPolicy::Always,
        _ => PullPolicy::IfNotPresent,
    }
}

/// Docker reference parsing, enough for the pull-policy default
/// (upstream: parsers.ParseImageName over distribution's
/// `ParseNormalizedNamed`). Returns the tag and whether there is a digest,
/// or `None` when the reference does not parse.
fn parse_image(image: &str) -> Option<(Option<&str>, bool)> {
    // A bare 64-hex-digit name is refused (anchoredIdentifierRegexp).
    if image.is_empty()
        || (image.len() == 64 && image.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
    {
        return None;
    }
    let (name_tag, digest) = match image.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (image, None),
    };
    if let Some(d) = digest
        && !digest_ok(d)
    {
        return None;
    }
    let last_slash = name_tag.rfind('/').map_or(0, |i| i.saturating_add(1));
    let (name, tag) = match name_tag.get(last_slash..).and_then(|tail| tail.rfind(':')) {
        Some(colon) => {
            let at = last_slash.saturating_add(colon);
            (name_tag.get(..at)?, Some(name_tag.get(at.saturating_add(1)..)?))
        }
        None => (name_tag, None),
    };
    if let Some(t) = tag {
        let b = t.as_bytes();
        let first_ok = b.first().is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if !first_ok || b.len() > 128 || !b.iter().all(|c| c.is_ascii_alphanumeric() || b"_.-".contains(c)) {
            return None;
        }
    }
    // splitDockerDomain: the first component is a registry when it has a
    // dot or a port, is `localhost`, or has an upper-case letter.
    let (path, normalized_len) = match name.split_once('/') {
        Some((first, rest))
            if first.contains(['.', ':'])
                || first == "localhost"
                || first.bytes().any(|b| b.is_ascii_uppercase()) =>
        {
            if !domain_ok(first) {
                return None;
            }
            // splitDockerDomain rewrites Docker Hub's legacy domain to
            // `docker.io` and gives a single component `library/`.
            let domain_len = if first == "index.docker.io" { "docker.io".len() } else { first.len() };
            let library = if matches!(first, "docker.io" | "index.docker.io") && !rest.contains('/') {
                "library/".len()
            } else {
                0
            };
            (rest, domain_len.saturating_add(1).saturating_add(library).saturating_add(rest.len()))
        }
        // Normalised onto Docker Hub: `docker.io/` and, for a single
        // component, `library/`.
        _ => (name, name.len().saturating_add(if name.contains('/') { 10 } else { 18 })),
    };
    // NameTotalLengthMax: the normalised name has at most 255 characters.
    if normalized_len > 255 {
        return None;
    }
    path.split('/').all(path_component_ok).then_some((tag, digest.is_some()))
}

/// A path component: `[a-z0-9]+` runs joined by `.`, `_`, `__` or one or
/// more `-` (distribution's pathComponentRegexp).
fn path_component_ok(component: &str) -> bool {
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let mut bytes = component.bytes().peekable();
    loop {
        let mut run = 0usize;
        while bytes.next_if(alnum).is_some() {
            run = run.saturating_add(1);
        }
        if run == 0 {
            return false;
        }
        match bytes.next() {
            None => return true,
            Some(b'.') => {}
            Some(b'_') => {
                bytes.next_if_eq(&b'_');
            }
            Some(b'-') => while bytes.next_if_eq(&b'-').is_some() {},
            Some(_) => return false,
        }
    }
}

/// A registry: dot-separated labels of letters, digits and inner hyphens,
/// or a bracketed IPv6 address, with an optional numeric port
/// (distribution's domainAndPort).
fn domain_ok(domain: &str) -> bool {
    let (host, port) = match domain.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(':') && !p.contains(']') => (h, Some(p)),
        _ => (domain, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_hexdigit() || b == b':');
    }
    host.split('.').all(|label| {
        let b = label.as_bytes();
        let ends = |x: Option<&u8>| x.is_some_and(u8::is_ascii_alphanumeric);
        ends(b.first()) && ends(b.last()) && b.iter().all(|x| x.is_ascii_alphanumeric() || *x == b'-')
    })
}

/// A digest go-digest accepts: a registered algorithm and its number of
/// lower-case hex digits (`Digest.Validate`).
fn digest_ok(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else { return false };
    let len = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    hex.len() == len && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Rounds quantities up to milli precision (upstream: SetDefaults_ResourceList).
fn resource_list(list: &mut ResourceList) {
    for q in list.values_mut() {
        if let Some(rounded) = round_up_to_milli(&q.value) {
            *q = Quantity::new(rounded);
        }
    }
}

/// The quantity `value` rounded up to milli precision, away from zero, and
/// written in canonical form for its format (upstream: Quantity.RoundUp(-3),
/// then String); `None` when it needs no rounding or the exact reader does
/// not take it (not a quantity, or more than 38 significant digits: kept as
/// written).
fn round_up_to_milli(value: &str) -> Option<String> {
    use crate::validation::quantity::{Dec, format, parse};
    let parsed = parse(value)?;
    let (_, exponent) = parsed.value.parts();
    if parsed.value.is_zero() || exponent >= -3 {
        return None;
    }
    Some(format(Dec::new(parsed.value.milli_value()?, -3), parsed.format))
}

/// ReplicationController defaults (upstream: SetDefaults_ReplicationController).
pub fn replication_controller(rc: &mut ReplicationController) {
    let spec = rc.spec.get_or_insert_with(Default::default);
    // Empty template labels change nothing a Go client would write out (an
    // empty map is left out of its JSON).
    let template_labels = spec
        .template
        .as_ref()
        .and_then(|t| t.metadata.as_ref())
        .and_then(|m| m.labels.clone())
        .filter(|l| !l.is_empty());
    if let Some(labels) = template_labels {
        if spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
            spec.selector = Some(labels.clone());
        }
        if rc.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
            rc.metadata.labels = Some(labels);
        }
    }
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    if let Some(t) = spec.template.as_mut() {
        pod_template_spec(t);
    }
}

// ---------------------------------------------------------------- apps

/// Deployment defaults (upstream: SetDefaults_Deployment).
pub fn deployment(d: &mut Deployment) {
    let spec = d.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    let strategy = spec.strategy.get_or_insert_with(Default::default);
    if is_unset(strategy.type_.as_ref()) {
        strategy.type_ = Some(DeploymentStrategyType::RollingUpdate);
    }
    if strategy.type_ == Some(DeploymentStrategyType::RollingUpdate) {
        let ru = strategy.rolling_update.get_or_insert_with(Default::default);
        ru.max_unavailable.get_or_insert_with(|| IntOrString::from("25%"));
        ru.max_surge.get_or_insert_with(|| IntOrString::from("25%"));
    }
    spec.revision_history_limit.get_or_insert(10);
    spec.progress_deadline_seconds.get_or_insert(600);
    pod_template_spec(&mut spec.template);
}

/// ReplicaSet defaults (upstream: SetDefaults_ReplicaSet).
pub fn replica_set(rs: &mut ReplicaSet) {
    let spec = rs.spec.get_or_insert_with(Default::default);
    spec.replicas.get_or_insert(1);
    // apps/v1's template is a struct: defaulted even when absent.
    pod_template_spec(spec.template.get_or_insert_with(Default::default));
}

/// DaemonSet defaults (upstream: SetDefaults_DaemonSet).
pub fn daemon_set(ds: &mut DaemonSet) {
    let spec = ds.spec.get_or_insert_with(Default::default);
    let strategy = spec.update_strategy.get_or_insert_with(Default::default);
    if is_unset(strategy.type_.as_ref()) {
        strategy.type_ = Some(DaemonSetUpdateStrategyType::RollingUpdate);
    }
    if strategy.type_ == Some(DaemonSetUpdateStrategyType::RollingUpdate) {
        let ru = strategy.rolling_update.get_or_insert_with(Default::default);
        ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        ru.max_surge.get_or_insert(IntOrString::Int(0));
    }
    spec.revision_history_limit.get_or_insert(10);
    pod_template_spec(&mut spec.template);
}

/// StatefulSet defaults (upstream: SetDefaults_StatefulSet); `maxUnavailable`
/// only with the MaxUnavailableStatefulSet gate.
pub fn stateful_set(s: &mut StatefulSet, gates: &FeatureGates) {
    let spec = s.spec.get_or_insert_with(Default::default);
    if is_unset(spec.pod_management_policy.as_ref()) {
        spec.pod_management_policy = Some(PodManagementPolicyType::OrderedReady);
    }
    let strategy = spec.update_strategy.get_or_insert_with(Default::default);
    if is_unset(strategy.type_.as_ref()) {
        strategy.type_ = Some(StatefulSetUpdateStrategyType::RollingUpdate);
        strategy.rolling_update.get_or_insert_with(Default::default);
    }
    if strategy.type_ == Some(StatefulSetUpdateStrategyType::RollingUpdate)
        && let Some(ru) = strategy.rolling_update.as_mut()
    {
        ru.partition.get_or_insert(0);
        if gates.max_unavailable_stateful_set {
            ru.max_unavailable.get_or_insert(IntOrString::Int(1));
        }
    }
    let policy = spec.persistent_volume_claim_retention_policy.get_or_insert_with(Default::default);
    if is_unset(policy.when_deleted.as_ref()) {
        policy.when_deleted = Some(PersistentVolumeClaimRetentionPolicyType::Retain);
    }
    if is_unset(policy.when_scaled.as_ref()) {
        policy.when_scaled = Some(PersistentVolumeClaimRetentionPolicyType::Retain);
    }
    spec.replicas.get_or_insert(1);
    spec.revision_history_limit.get_or_insert(10);
    for pvc in spec.volume_claim_templates.iter_mut().flatten() {
        persistent_volume_claim(pvc);
    }
    pod_template_spec(&mut spec.template);
}

/// PersistentVolumeClaim defaults: the spec's ([`persistent_volume_claim_spec`]),
/// `status.phase: Pending`, and the status quantities rounded up to milli
/// precision (upstream: SetDefaults_PersistentVolumeClaim and the generated
/// defaulter's SetDefaults_ResourceList calls).
pub fn persistent_volume_claim(pvc: &mut PersistentVolumeClaim) {
    persistent_volume_claim_spec(pvc.spec.get_or_insert_with(Default::default));
    let status = pvc.status.get_or_insert_with(Default::default);
    if status.phase.as_ref().is_none_or(|p| p.as_str().is_empty()) {
        status.phase = Some(crate::api::PersistentVolumeClaimPhase::Pending);
    }
    for list in [status.capacity.as_mut(), status.allocated_resources.as_mut()].into_iter().flatten() {
        resource_list(list);
    }
}

/// A claim spec's defaults: `volumeMode: Filesystem` when absent (a pointer
/// upstream: `""` is kept, and validation rejects it), and its storage
/// amounts rounded up to milli precision (upstream:
/// SetDefaults_PersistentVolumeClaimSpec, SetDefaults_ResourceList).
pub fn persistent_volume_claim_spec(spec: &mut PersistentVolumeClaimSpec) {
    if spec.volume_mode.is_none() {
        spec.volume_mode = Some(crate::api::PersistentVolumeMode::Filesystem);
    }
    if let Some(res) = spec.resources.as_mut() {
        for list in [res.limits.as_mut(), res.requests.as_mut()].into_iter().flatten() {
            resource_list(list);
        }
    }
}

// ---------------------------------------------------------------- batch

/// Job defaults (upstream: SetDefaults_Job). Selector generation is a
/// separate create-time step: [`generate_job_selector`].
pub fn job(j: &mut Job, gates: &FeatureGates) {
    let spec = j.spec.get_or_insert_with(JobSpec::default);
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
        spec.parallelism = Some(1);
    }
    spec.parallelism.get_or_insert(1);
    if spec.backoff_limit.is_none() {
        spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() {
            i32::MAX
        } else {
            crate::api::DEFAULT_BACKOFF_LIMIT
        });
    }
    // As for the ReplicationController: empty template labels copy nothing.
    let template_labels =
        spec.template.metadata.as_ref().and_then(|m| m.labels.clone()).filter(|l| !l.is_empty());
    if let Some(labels) = template_labels
        && j.metadata.labels.as_ref().is_none_or(|l| l.is_empty())
    {
        j.metadata.labels = Some(labels);
    }
    if spec.completion_mode.is_none() {
        spec.completion_mode = Some(CompletionMode::NonIndexed);
    }
    spec.suspend.get_or_insert(false);
    if gates.job_pod_replacement_policy && spec.pod_replacement_policy.is_none() {
        spec.pod_replacement_policy = Some(if spec.pod_failure_policy.is_some() {
            PodReplacementPolicy::Failed
        } else {
            PodReplacementPolicy::TerminatingOrFailed
        });
    }
    spec.manual_selector.get_or_insert(false);
    job_spec_types(spec);
}

/// The type-keyed defaults inside a JobSpec (pod failure policy patterns and
/// the pod template); the only ones a CronJob's job template gets.
fn job_spec_types(spec: &mut JobSpec) {
    for rule in spec.pod_failure_policy.iter_mut().flat_map(|p| p.rules.iter_mut()) {
        for pattern in rule.on_pod_conditions.iter_mut().flatten() {
            if is_unset(pattern.status.as_ref()) {
                pattern.status = Some(ConditionStatus::True);
            }
        }
    }
    pod_template_spec(&mut spec.template);
}

/// The Job create hook (upstream: job strategy generateSelector): unless
/// `manualSelector` is true, sets `metadata.uid` to `uid` when it has none,
/// adds the `job-name`, `controller-uid` labels (legacy and
/// `batch.kubernetes.io/` forms) to the template when absent, and selects
/// on `batch.kubernetes.io/controller-uid`.
///
/// A Job that had no labels of its own before defaulting is stored with
/// its template's labels, these generated ones included (SetDefaults_Job
/// hands it the template's label map itself, and defaulting on read copies
/// it again): a caller reproducing the API server's create path copies
/// them after this call, as the simulator does.
pub fn generate_job_selector(j: &mut Job, uid: &str) {
    if j.metadata.uid.as_deref().is_none_or(str::is_empty) {
        j.metadata.uid = Some(uid.to_owned());
    }
    let spec = j.spec.get_or_insert_with(JobSpec::default);
    if spec.manual_selector == Some(true) {
        return;
    }
    let uid = j.metadata.uid().to_owned();
    let name = j.metadata.name().to_owned();
    let meta = spec.template.metadata.get_or_insert_with(Default::default);
    let labels = meta.labels.get_or_insert_with(Default::default);
    for key in ["job-name", "batch.kubernetes.io/job-name"] {
        labels.entry(key.to_owned()).or_insert_with(|| name.clone());
    }
    for key in ["controller-uid", "batch.kubernetes.io/controller-uid"] {
        labels.entry(key.to_owned()).or_insert_with(|| uid.clone());
    }
    let selector = spec.selector.get_or_insert_with(LabelSelector::default);
    selector
        .match_labels
        .get_or_insert_with(Default::default)
        .entry("batch.kubernetes.io/controller-uid".to_owned())
        .or_insert(uid);
}

/// CronJob defaults (upstream: SetDefaults_CronJob); the job template gets
/// only type-keyed defaults, no Job defaults.
pub fn cron_job(cj: &mut CronJob) {
    let spec = cj.spec.get_or_insert_with(Default::default);
    if is_unset(spec.concurrency_policy.as_ref()) {
        spec.concurrency_policy = Some(ConcurrencyPolicy::Allow);
    }
    spec.suspend.get_or_insert(false);
    spec.successful_jobs_history_limit.get_or_insert(3);
    spec.failed_jobs_history_limit.get_or_insert(1);
    // The job template's spec is a struct upstream: defaulted when absent.
    job_spec_types(spec.job_template.spec.get_or_insert_with(Default::default));
}

/// PodPreset: only the type-keyed volume and env defaults.
pub fn pod_preset(p: &mut PodPreset) {
    if let Some(spec) = p.spec.as_mut() {
        for v in spec.volumes.iter_mut().flatten() {
            volume(v);
        }
        for e in spec.env.iter_mut().flatten() {
            if let Some(Value::Object(from)) = e.value_from.as_mut() {
                env_value_from(from);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // upstream: pkg/util/parsers/parsers_test.go TestParseImageName;
    // core/v1/defaults_test.go TestSetDefaultsContainer (pull policy)
    #[test]
    fn pull_policies() {
        for (image, want) in [
            ("nginx", PullPolicy::Always),
            ("nginx:latest", PullPolicy::Always),
            ("nginx:1.27", PullPolicy::IfNotPresent),
            ("localhost:5000/nginx", PullPolicy::Always),
            ("localhost:5000/nginx:1", PullPolicy::IfNotPresent),
            (
                "docker.io/library/nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                PullPolicy::IfNotPresent,
            ),
            (
                "nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                PullPolicy::Always,
            ),
            ("Nginx", PullPolicy::IfNotPresent),
            ("", PullPolicy::IfNotPresent),
            // splitDockerDomain: an upper-case first component is a
            // registry, so the reference parses and has no tag.
            ("MyRegistry/app", PullPolicy::Always),
            ("MyRegistry/App", PullPolicy::IfNotPresent),
            // anchoredIdentifierRegexp: a bare 64-hex name is refused.
            ("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", PullPolicy::IfNotPresent),
            // go-digest: sha256 takes 64 lower-case hex digits.
            (
                "nginx:latest@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
                PullPolicy::IfNotPresent,
            ),
            ("nginx:latest@sha256:0123456789abcdef0123456789abcdef", PullPolicy::IfNotPresent),
            // pathComponentRegexp: one separator between runs (or `__`, or
            // several `-`).
            ("my..app", PullPolicy::IfNotPresent),
            ("my__app", PullPolicy::Always),
            ("my___app", PullPolicy::IfNotPresent),
            ("my---app", PullPolicy::Always),
            ("registry.example.com:5000/team/app", PullPolicy::Always),
            ("registry-.example.com/app", PullPolicy::IfNotPresent),
            // NameTotalLengthMax (255) on the normalised name.
            (&"a".repeat(237), PullPolicy::Always),
            (&"a".repeat(238), PullPolicy::IfNotPresent),
            // splitDockerDomain: `docker.io/x` is `docker.io/library/x`,
            // `index.docker.io` is `docker.io`.
            (&format!("docker.io/{}", "a".repeat(237)), PullPolicy::Always),
            (&format!("docker.io/{}", "a".repeat(238)), PullPolicy::IfNotPresent),
            (&format!("index.docker.io/{}", "a".repeat(238)), PullPolicy::IfNotPresent),
            (&format!("docker.io/team/{}", "a".repeat(240)), PullPolicy::Always),
        ] {
            assert_eq!(pull_policy_for(image), want, "{image}");
        }
    }

    // upstream: core/v1/defaults_test.go TestSetDefaultResourceList... (milli rounding)
    #[test]
    fn milli_rounding() {
        assert_eq!(round_up_to_milli("0.0001"), Some("1m".to_owned()));
        assert_eq!(round_up_to_milli("1.0001"), Some("1001m".to_owned()));
        assert_eq!(round_up_to_milli("100u"), Some("1m".to_owned()));
        assert_eq!(round_up_to_milli("0.5"), None);
        assert_eq!(round_up_to_milli("1000u"), None);
        assert_eq!(round_up_to_milli("128Mi"), None);
        assert_eq!(round_up_to_milli("1.00000"), None);
        // Every form: a milli suffix, an exponent (kept as the format),
        // negative values away from zero.
        assert_eq!(round_up_to_milli("0.5m"), Some("1m".to_owned()));
        assert_eq!(round_up_to_milli("1e-4"), Some("1e-3".to_owned()));
        assert_eq!(round_up_to_milli("-0.5m"), Some("-1m".to_owned()));
        assert_eq!(round_up_to_milli("1.5n"), Some("1m".to_owned()));
        assert_eq!(round_up_to_milli("0.5Ki"), None);
        assert_eq!(round_up_to_milli("0"), None);
        assert_eq!(round_up_to_milli("x"), None);
    }
}
