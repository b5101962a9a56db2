//! The StatefulSet controller: pods with stable identities
//! (`<set>-<ordinal>`), per-ordinal claims, ordered or parallel scaling,
//! rolling updates through ControllerRevisions.
//!
//! upstream: pkg/controller/statefulset/stateful_set.go (syncStatefulSet,
//! getPodsForStatefulSet), stateful_set_control.go (UpdateStatefulSet,
//! performUpdate, getStatefulSetRevisions, truncateHistory,
//! updateStatefulSet, processReplica, processCondemned, runForAll,
//! updateStatefulSetAfterInvariantEstablished, computeReplicaStatus,
//! updateStatus, updateStatefulSetStatus), stateful_set_utils.go
//! (getParentNameAndOrdinal, getPodName, getPersistentVolumeClaimName,
//! identityMatches, storageMatches, updateIdentity, initIdentity,
//! updateStorage, getPersistentVolumeClaims, isClaimOwnerUpToDate,
//! updateClaimOwnerRefForSetAndPod, hasUnexpectedController,
//! hasNonControllerOwner, hasStaleOwnerRef, newStatefulSetPod,
//! newVersionedStatefulSetPod, newRevision, nextRevision,
//! inconsistentStatus, completeRollingUpdate, getStatefulSetMaxUnavailable),
//! stateful_pod_control.go (CreateStatefulPod, UpdateStatefulPod,
//! ClaimsMatchRetentionPolicy, UpdatePodClaimForRetentionPolicy,
//! PodClaimIsStale, createPersistentVolumeClaims,
//! createMissingPersistentVolumeClaims); pkg/controller/history
//! (ControllerRevisionName, FindEqualRevisions, SortControllerRevisions).
//!
//! One reconcile is [`reconcile`]. The StatefulSet controller keeps no
//! memory between syncs (upstream has no expectations for it), so there is
//! no `Remember` action. Actions come in this order:
//!
//! 1. adoptions of ControllerRevisions, then adoptions and releases of pods
//!    (each in name order);
//! 2. the update revision: `create ControllerRevision ns/<set>-<hash>`, or a
//!    rollback (`update ControllerRevision ...: revision 1 -> 3`);
//! 3. the pass over the ordinals, in the order upstream makes its calls:
//!    claim creates before their pod's create, claim owner-reference
//!    updates, pod identity / storage repairs, deletes of failed, surplus
//!    and outdated pods; `FailedCreate` warnings where a claim blocks a pod,
//!    `ConflictingController` warnings where another controller owns a
//!    claim (each time upstream's `UpdatePodClaimForRetentionPolicy` runs:
//!    after a pod's create, for Pending pods, and for pods and condemned pods
//!    whose claims do not follow the retention policy);
//! 4. the status write, when upstream's `inconsistentStatus` says so;
//! 5. deletes of ControllerRevisions beyond `revisionHistoryLimit`;
//! 6. a requeue at the instant the next ready pod becomes available
//!    (DECISIONS G4), or immediately after an error.
//!
//! # Deviations
//! - ControllerRevision names are `<set>-<hash>` with the hash FNV-1a 32
//!   over the revision data's canonical JSON (sorted keys, no whitespace),
//!   then `collisionCount` as 4 little-endian bytes when set, encoded as
//!   [`crate::controller::deployment::pod_template_hash`] encodes. Upstream
//!   hashes the raw bytes with FNV-1 and the decimal collision count. Equal
//!   revisions are found by comparing data, never names; with
//!   `StatefulSetSemanticRevisionComparison` on (1.35's default) the latest
//!   revision also matches when it equals the template once both are
//!   defaulted and written without explicit nulls (upstream re-serializes
//!   the set with the revision applied; the two agree on the case the gate
//!   exists for, `creationTimestamp: null` from a 1.33 API server).
//! - Several pods with one ordinal (DECISIONS statefulset Q1): the one named
//!   `<set>-<ordinal>` is the replica (else the oldest, then by name); the
//!   others are condemned, so the status counts them until they are gone
//!   (upstream keeps the last one listed and neither counts nor deletes the
//!   others).
//! - Claims created for a pod carry the owner references the retention
//!   policy asks for at creation; upstream creates them bare and patches
//!   them right after the pod is created. The end state is the same.
//! - `UpdateStatefulPod` writes the pod even when only its claims were
//!   fixed; here the pod is written only when it changed.
//! - Unavailability is upstream's 1.34+ `isUnavailable(pod,
//!   minReadySeconds)` everywhere (PR 130909): the first unavailable pod
//!   processCondemned may delete, the rolling update's wait and, with
//!   `MaxUnavailableStatefulSet` on, its budget; semantics statefulset.md
//!   §7-§8 still say "unhealthy" (1.33). With the gate on the Parallel
//!   algorithm is 1.35.0's (DECISIONS statefulset Q3).
//! - The `minReadySeconds` requeue is at the exact instant the next ready
//!   pod becomes available (DECISIONS G4), not after `minReadySeconds`.
//! - In Parallel mode, pods of one slow-start batch are processed one after
//!   another in ordinal order; after a batch with an error no further batch
//!   starts, as upstream.
//! - At most [`MAX_NEW_SLOTS`] ordinals above the highest observed pod are
//!   considered in one reconcile (so a Parallel set creates at most that
//!   many pods per reconcile and asks for an immediate requeue); upstream
//!   materializes every ordinal. This keeps an absurd `replicas` from
//!   exhausting memory. The ordinals left out still count as unavailable
//!   pods for `maxUnavailable`, as upstream's placeholders do.
//! - Per-object success events are left to the executor, which alone knows
//!   whether the call succeeded: `SuccessfulCreate` / `SuccessfulDelete`
//!   for pods, `SuccessfulUpdate` ("update Pod web-0 in StatefulSet web
//!   successful") for pod updates, and `SuccessfulCreate` ("create Claim
//!   data-web-0 Pod web-0 in StatefulSet web success") for claims
//!   (upstream: StatefulPodControl's recordPodEvent / recordClaimEvent).
//! - A ControllerRevision of the update revision's name that the set does
//!   not own but that holds the same data is not reused: the reconcile asks
//!   to create it, and the create fails until the garbage collector removes
//!   the old one (upstream's CreateControllerRevision reuses it on
//!   AlreadyExists). This happens only when a set is recreated with the same
//!   template before its old revisions are collected.

use std::borrow::Cow;
use std::time::Duration;

use serde_json::Value;

use crate::FeatureGates;
use crate::api::{
    ControllerRevision, IntOrString, ObjectMeta, ObjectRef, OwnerReference, PersistentVolumeClaim,
    PersistentVolumeClaimRetentionPolicyType as Retention, PersistentVolumeClaimVolumeSource, Pod, PodPhase,
    PodTemplateSpec, Resource, StatefulSet, StatefulSetSpec, StatefulSetStatus,
    StatefulSetUpdateStrategyType, Time, Volume,
};
use crate::pod::{available_at, is_pod_available, is_pod_ready};
use crate::selector::Selector;
use crate::text::cut_to;

use super::FastMap;
use super::{Action, Event, EventType, capped_slow_start_batches, controller_ref, pod_from_template};

/// The label carrying a StatefulSet pod's own name.
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
/// The label carrying a StatefulSet pod's ordinal (`PodIndexLabel`, GA 1.32).
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
/// The label carrying the revision of a pod: for StatefulSets the full
/// ControllerRevision name.
pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller-revision-hash";
/// The label carrying a ControllerRevision's hash (upstream: the history
/// package's `ControllerRevisionHashLabel`, which `NewControllerRevision`
/// sets). A pod's revision is in [`CONTROLLER_REVISION_HASH_LABEL`].
pub const REVISION_HASH_LABEL: &str = "controller.kubernetes.io/hash";
/// The longest ControllerRevision name prefix kept (upstream:
/// `ControllerRevisionName`).
const MAX_REVISION_PREFIX: usize = 223;

/// The most ordinals without an observed pod one reconcile considers
/// (see the module's deviations).
pub const MAX_NEW_SLOTS: usize = 500;

/// What a StatefulSet reconcile reads.
#[derive(Clone, Copy, Debug)]
pub struct Observed<'a> {
    /// The pods of the set's namespace (others are ignored).
    pub pods: &'a [Pod],
    /// The PersistentVolumeClaims of the set's namespace.
    pub claims: &'a [PersistentVolumeClaim],
    /// The ControllerRevisions of the set's namespace.
    pub revisions: &'a [ControllerRevision],
}

/// Settings of the controller.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Feature gates (`MaxUnavailableStatefulSet`).
    pub gates: FeatureGates,
}

// ---------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------

/// The name of the pod with this ordinal: `<set>-<ordinal>` (upstream:
/// `getPodName`).
pub fn pod_name(set: &StatefulSet, ordinal: i32) -> String {
    format!("{}-{}", set.metadata.name(), ordinal)
}

/// Splits a pod name into the set name and the ordinal (upstream:
/// `getParentNameAndOrdinal`): the last `-<digits>` is the ordinal. No
/// match gives `("", -1)`; digits beyond `i32` give the parent and -1.
///
/// ```
/// use kube_workloads::controller::statefulset::parent_and_ordinal;
/// assert_eq!(parent_and_ordinal("web-0"), ("web", 0));
/// assert_eq!(parent_and_ordinal("my-db-12"), ("my-db", 12));
/// assert_eq!(parent_and_ordinal("web"), ("", -1));
/// assert_eq!(parent_and_ordinal("web-99999999999"), ("web", -1));
/// ```
pub fn parent_and_ordinal(name: &str) -> (&str, i32) {
    match split_ordinal(name) {
        Some((parent, digits)) => (parent, ordinal_value(digits)),
        None => ("", -1),
    }
}

/// The value of an ordinal's digits, -1 when they are not an `i32`
/// (`parse` semantics).
fn ordinal_value(digits: &str) -> i32 {
    // Nine ASCII digits cannot overflow an `i32`: digit runs that short
    // (all but absurd ones) are folded without `parse`'s sign and overflow
    // handling; anything else goes to `parse`.
    if !digits.is_empty() && digits.len() <= 9 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits
            .bytes()
            .fold(0i32, |n, d| n.saturating_mul(10).saturating_add(i32::from(d.saturating_sub(b'0'))));
    }
    digits.parse::<i32>().unwrap_or(-1)
}

/// The parent [`parent_and_ordinal`] gives, without parsing the ordinal:
/// the claim's membership test needs only this.
fn parent_of(name: &str) -> &str {
    split_ordinal(name).map_or("", |(parent, _)| parent)
}

/// `parent_of(name) == set` (upstream: `isMemberOf`'s parent test). For a
/// named set that is `<set>-<digits>`, read forward from the set's name
/// without the split's backward scan; the empty name is also the parent of
/// names without digits, so it is split.
fn is_member_name(name: &str, set: &str) -> bool {
    if set.is_empty() {
        return parent_of(name).is_empty();
    }
    name.strip_prefix(set)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// The selector as `(key, value)` pairs when each requirement is one
/// label's one value (`matchLabels`, or a one-value `In`): the membership
/// test then compares each label in place, as `Requirement::matches` would
/// after its operator dispatch and value search. `None` for the nothing
/// selector and any other operator.
fn exact_labels(selector: &Selector) -> Option<Vec<(&str, &str)>> {
    selector.requirements()?.iter().map(|r| Some((r.key(), r.exact_value()?))).collect()
}

/// A name's parent and ordinal digits, if it ends in `-<digits>`.
fn split_ordinal(name: &str) -> Option<(&str, &str)> {
    // The trailing run of digits, then the '-' before it: the same split as
    // the last '-' followed by digits only, without a reverse search.
    let run = name.bytes().rev().take_while(u8::is_ascii_digit).count();
    let dash = name.len().saturating_sub(run).checked_sub(1);
    match dash.and_then(|d| Some((name.get(..d)?, name.as_bytes().get(d)?, name.get(d.saturating_add(1)..)?)))
    {
        Some((parent, b'-', digits)) if run > 0 => Some((parent, digits)),
        _ => None,
    }
}

/// The ordinal of a pod, -1 when its name has none (upstream: `getOrdinal`).
pub fn ordinal_of(pod: &Pod) -> i32 {
    parent_and_ordinal(pod.metadata.name()).1
}

/// The name of the claim of template `template` for ordinal `ordinal`:
/// `<template>-<set>-<ordinal>` (upstream: `getPersistentVolumeClaimName`).
pub fn claim_name(set: &StatefulSet, template: &PersistentVolumeClaim, ordinal: i32) -> String {
    format!("{}-{}-{}", template.metadata.name(), set.metadata.name(), ordinal)
}

/// The stable DNS name of the pod with this ordinal, through the set's
/// governing Service: `<set>-<ordinal>.<serviceName>.<namespace>.svc.<clusterDomain>`
/// (`cluster.local` in most clusters). `None` without `serviceName`.
///
/// ```
/// # use kube_workloads::StatefulSet;
/// use kube_workloads::controller::statefulset::pod_dns_name;
/// let set: StatefulSet = serde_json::from_value(serde_json::json!({
///     "metadata": {"name": "web", "namespace": "prod"},
///     "spec": {"serviceName": "nginx", "selector": {}, "template": {}}
/// })).unwrap();
/// assert_eq!(pod_dns_name(&set, 2, "cluster.local").as_deref(), Some("web-2.nginx.prod.svc.cluster.local"));
/// ```
pub fn pod_dns_name(set: &StatefulSet, ordinal: i32, cluster_domain: &str) -> Option<String> {
    let service = set.spec.as_ref()?.service_name.as_deref().filter(|s| !s.is_empty())?;
    let ns = match set.metadata.namespace() {
        "" => "default",
        ns => ns,
    };
    Some(format!("{}.{}.{}.svc.{}", pod_name(set, ordinal), service, ns, cluster_domain))
}

static EMPTY_SPEC: std::sync::LazyLock<StatefulSetSpec> = std::sync::LazyLock::new(StatefulSetSpec::default);

fn spec_of(set: &StatefulSet) -> &StatefulSetSpec {
    set.spec.as_ref().unwrap_or(&EMPTY_SPEC)
}

fn templates(set: &StatefulSet) -> &[PersistentVolumeClaim] {
    set.spec.as_ref().and_then(|s| s.volume_claim_templates.as_deref()).unwrap_or_default()
}

/// Whether the pod's name, namespace and pod-name label are the ones its
/// ordinal gives (upstream: `identityMatches`).
pub fn identity_matches(set: &StatefulSet, pod: &Pod) -> bool {
    identity_matches_parsed(set, pod, parent_and_ordinal(pod.metadata.name()))
}

/// [`identity_matches`] with the pod's name already split.
fn identity_matches_parsed(set: &StatefulSet, pod: &Pod, (parent, ordinal): (&str, i32)) -> bool {
    let name = pod.metadata.name();
    is_canonical_parsed(set, name, parent, ordinal)
        && pod.metadata.namespace() == set.metadata.namespace()
        && pod.metadata.label(POD_NAME_LABEL) == Some(name)
}

/// `name == pod_name(set, ordinal_of(name))` without allocating, given the
/// name's split: the parent is the set and the ordinal is written without
/// leading zeros.
fn is_canonical_parsed(set: &StatefulSet, name: &str, parent: &str, ordinal: i32) -> bool {
    is_canonical_split(set, parent, ordinal_digits(name), ordinal)
}

/// [`is_canonical_parsed`] given the name's ordinal digits too.
fn is_canonical_split(set: &StatefulSet, parent: &str, digits: &str, ordinal: i32) -> bool {
    ordinal >= 0 && parent == set.metadata.name() && plain_digits(digits)
}

/// The digits print an ordinal as `ordinal.to_string()` would: no leading
/// zeros.
fn plain_digits(digits: &str) -> bool {
    digits == "0" || !digits.starts_with('0')
}

/// Whether the pod mounts every claim of its ordinal (upstream:
/// `storageMatches`).
pub fn storage_matches(set: &StatefulSet, pod: &Pod) -> bool {
    storage_matches_at(set, pod, ordinal_of(pod))
}

/// [`storage_matches`] with the pod's ordinal already parsed. One pod at a
/// time (an update), so the claim names are checked piece by piece rather
/// than through [`claim_prefixes`], which allocates.
fn storage_matches_at(set: &StatefulSet, pod: &Pod, ordinal: i32) -> bool {
    if ordinal < 0 {
        return false;
    }
    let digits = printed_ordinal(pod.metadata.name(), ordinal);
    let set_name = set.metadata.name();
    mounts_each(pod, templates(set).iter().map(|t| t.metadata.name()), |tname, volume| {
        volume.name == *tname
            && claim_of(volume).is_some_and(|claim| {
                claim
                    .strip_prefix(*tname)
                    .and_then(|r| r.strip_prefix('-'))
                    .and_then(|r| r.strip_prefix(set_name))
                    .and_then(|r| r.strip_prefix('-'))
                    == Some(digits.as_ref())
            })
    })
}

/// Each volume claim template's name and `<template>-<set>-`: the name of
/// its claim for an ordinal, without the ordinal's digits. Built once per
/// sync, so that each pod's check compares two strings per claim, not four.
fn claim_prefixes(set: &StatefulSet) -> Vec<(&str, String)> {
    templates(set)
        .iter()
        .map(|t| (t.metadata.name(), format!("{}-{}-", t.metadata.name(), set.metadata.name())))
        .collect()
}

/// Whether the pod mounts, for every template, a volume of the template's
/// name holding the claim `<prefix><digits>` (`digits` as the ordinal
/// prints).
fn mounts_claims(prefixes: &[(&str, String)], pod: &Pod, digits: &str) -> bool {
    mounts_each(pod, prefixes, |(tname, prefix), volume| {
        volume.name == *tname
            && claim_of(volume).is_some_and(|claim| claim.strip_prefix(prefix.as_str()) == Some(digits))
    })
}

/// Whether, for every template, one of the pod's volumes `mounts` it.
fn mounts_each<T>(
    pod: &Pod,
    templates: impl IntoIterator<Item = T>,
    mounts: impl Fn(&T, &Volume) -> bool,
) -> bool {
    let volumes = pod.spec.as_ref().map(|s| s.volumes()).unwrap_or_default();
    templates.into_iter().all(|t| volumes.iter().any(|v| mounts(&t, v)))
}

/// The claim a volume mounts, if it mounts one.
fn claim_of(volume: &Volume) -> Option<&str> {
    volume.persistent_volume_claim.as_ref().map(|c| c.claim_name.as_str())
}

/// `ordinal.to_string()` for the ordinal parsed from `name`, borrowed from
/// the name when its digits already print that way (no leading zeros): the
/// per-pod claim-name checks then format nothing.
fn printed_ordinal(name: &str, ordinal: i32) -> Cow<'_, str> {
    printed_digits(ordinal_digits(name), ordinal)
}

/// [`printed_ordinal`] given the name's ordinal digits.
fn printed_digits(digits: &str, ordinal: i32) -> Cow<'_, str> {
    if ordinal >= 0 && plain_digits(digits) { Cow::Borrowed(digits) } else { Cow::Owned(ordinal.to_string()) }
}

/// The trailing digits of a name: its ordinal's digits when it has one
/// (the run after the last '-').
fn ordinal_digits(name: &str) -> &str {
    let run = name.bytes().rev().take_while(u8::is_ascii_digit).count();
    name.get(name.len().saturating_sub(run)..).unwrap_or_default()
}

/// Rewrites name, namespace, and the pod-name and pod-index labels
/// (upstream: `updateIdentity`).
fn update_identity(set: &StatefulSet, pod: &mut Pod, ordinal: i32) {
    let name = pod_name(set, ordinal);
    pod.metadata.name = Some(name.clone());
    pod.metadata.namespace = set.metadata.namespace.clone();
    pod.metadata.set_label(POD_NAME_LABEL, name);
    pod.metadata.set_label(POD_INDEX_LABEL, ordinal.to_string());
}

/// Mounts the claims of the pod's ordinal, replacing same-named volumes
/// (upstream: `updateStorage`).
fn update_storage(set: &StatefulSet, pod: &mut Pod, ordinal: i32) {
    let templates = templates(set);
    if templates.is_empty() {
        return;
    }
    let spec = pod.spec.get_or_insert_default();
    let current = spec.volumes.take().unwrap_or_default();
    let mut volumes: Vec<Volume> = templates
        .iter()
        .map(|t| Volume {
            name: t.metadata.name().to_owned(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: claim_name(set, t, ordinal),
                read_only: Some(false),
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    volumes.extend(current.into_iter().filter(|v| !templates.iter().any(|t| t.metadata.name() == v.name)));
    spec.volumes = Some(volumes);
}

/// The claims of a pod's ordinal, as they are created (upstream:
/// `getPersistentVolumeClaims`): a copy of each template, named for the
/// ordinal, in the set's namespace, with the selector's `matchLabels`
/// written over the template's labels.
pub fn claims_for(set: &StatefulSet, ordinal: i32) -> Vec<PersistentVolumeClaim> {
    let match_labels = set.spec.as_ref().and_then(|s| s.selector.match_labels.clone());
    templates(set)
        .iter()
        .map(|t| {
            let mut c = t.clone();
            c.metadata.name = Some(claim_name(set, t, ordinal));
            c.metadata.namespace = set.metadata.namespace.clone();
            match (&mut c.metadata.labels, &match_labels) {
                (Some(labels), Some(sel)) => {
                    for (k, v) in sel {
                        labels.insert(k.clone(), v.clone());
                    }
                }
                (None, sel) => c.metadata.labels = sel.clone(),
                (Some(_), None) => {}
            }
            c.fill_type_meta();
            c
        })
        .collect()
}

/// The pod of `ordinal` built from `template` (upstream: `newStatefulSetPod`
/// then `setPodRevision`).
pub fn new_pod(set: &StatefulSet, template: &PodTemplateSpec, ordinal: i32, revision: &str) -> Pod {
    let reference = controller_ref(StatefulSet::API_VERSION, StatefulSet::KIND, &set.metadata);
    let mut pod = pod_from_template(template, &set.metadata, reference);
    update_identity(set, &mut pod, ordinal);
    // upstream: initIdentity: hostname and subdomain only at creation.
    let service = set.spec.as_ref().and_then(|s| s.service_name.clone());
    let spec = pod.spec.get_or_insert_default();
    spec.hostname = Some(pod_name(set, ordinal));
    spec.subdomain = service.filter(|s| !s.is_empty());
    update_storage(set, &mut pod, ordinal);
    pod.metadata.set_label(CONTROLLER_REVISION_HASH_LABEL, revision);
    pod
}

// ---------------------------------------------------------------------------
// Health
// ---------------------------------------------------------------------------

fn phase(pod: &Pod) -> Option<&PodPhase> {
    pod.status.as_ref().and_then(|s| s.phase.as_ref())
}

fn revision_of(pod: &Pod) -> &str {
    pod.metadata.label(CONTROLLER_REVISION_HASH_LABEL).unwrap_or("")
}

// ---------------------------------------------------------------------------
// Claim owner references (retention policy)
// ---------------------------------------------------------------------------

const POD_API_VERSION: &str = "v1";
const POD_KIND: &str = "Pod";

fn matches_ref(r: &OwnerReference, api_version: &str, kind: &str, owner: &ObjectMeta) -> bool {
    r.api_version == api_version && r.kind == kind && r.name == owner.name()
}

fn has_stale_owner_ref(
    claim: &PersistentVolumeClaim,
    api_version: &str,
    kind: &str,
    owner: &ObjectMeta,
) -> bool {
    claim
        .metadata
        .owner_references()
        .iter()
        .find(|r| matches_ref(r, api_version, kind, owner))
        .is_some_and(|r| r.uid != owner.uid())
}

fn has_owner_ref(claim: &PersistentVolumeClaim, owner: &ObjectMeta) -> bool {
    claim.metadata.owner_references().iter().any(|r| r.uid == owner.uid())
}

fn has_unexpected_controller(claim: &PersistentVolumeClaim, set: &ObjectMeta, pod: &ObjectMeta) -> bool {
    claim.metadata.owner_references().iter().any(|r| {
        if matches_ref(r, StatefulSet::API_VERSION, StatefulSet::KIND, set) {
            r.uid != set.uid()
        } else if matches_ref(r, POD_API_VERSION, POD_KIND, pod) {
            r.uid != pod.uid()
        } else {
            r.controller == Some(true)
        }
    })
}

/// The warning `UpdatePodClaimForRetentionPolicy` records when another
/// controller owns a claim (upstream's message, typo included).
fn conflicting_controller(set: &StatefulSet, claim: &str) -> Event {
    Event {
        regarding: set.object_ref(),
        type_: EventType::Warning,
        reason: "ConflictingController".into(),
        message: format!(
            "PersistentVolumeClaim {claim} has a conflicting OwnerReference that acts as a manging controller, \
             the retention policy is ignored for this claim"
        ),
    }
}

fn has_non_controller_owner(claim: &PersistentVolumeClaim, set: &ObjectMeta, pod: &ObjectMeta) -> bool {
    claim
        .metadata
        .owner_references()
        .iter()
        .any(|r| (r.uid == set.uid() || r.uid == pod.uid()) && r.controller != Some(true))
}

/// The retention policy as (whenDeleted, whenScaled) "is Delete" flags,
/// read in place. An unset value is Retain, as the API server defaults it;
/// a value neither Retain nor Delete makes the whole policy Retain
/// (upstream: the `default:` case of isClaimOwnerUpToDate and
/// updateClaimOwnerRefForSetAndPod, "Unknown policy, treating as Retain").
///
/// Deviation, on values validation refuses: upstream's other readers do not
/// fall back so. PodClaimIsStale skips its check only for a literal
/// `whenScaled: Retain`, and hasUnexpectedController (the
/// `ConflictingController` event) allows any controller only for
/// Retain/Retain; here both read the unknown policy as Retain/Retain, so a
/// stale claim does not hold its pod back and no event is recorded.
fn deletes_claims(spec: &StatefulSetSpec) -> (bool, bool) {
    let policy = spec.persistent_volume_claim_retention_policy.as_ref();
    let (deleted, scaled) =
        (policy.and_then(|p| p.when_deleted.as_ref()), policy.and_then(|p| p.when_scaled.as_ref()));
    if [deleted, scaled].iter().any(|v| matches!(v, Some(Retention::Other(_)))) {
        return (false, false);
    }
    let delete = |v: Option<&Retention>| v == Some(&Retention::Delete);
    (delete(deleted), delete(scaled))
}

fn in_range(spec: &StatefulSetSpec, ordinal: i32) -> bool {
    let start = spec.ordinal_start();
    let end = start.saturating_add(spec.replicas_or_default().max(0));
    ordinal >= start && ordinal < end
}

/// Whether a claim's owner references already follow the retention policy
/// for this pod (upstream: `isClaimOwnerUpToDate`).
pub fn claim_owner_up_to_date(claim: &PersistentVolumeClaim, set: &StatefulSet, pod: &Pod) -> bool {
    let (sm, pm) = (&set.metadata, &pod.metadata);
    if has_stale_owner_ref(claim, StatefulSet::API_VERSION, StatefulSet::KIND, sm)
        || has_stale_owner_ref(claim, POD_API_VERSION, POD_KIND, pm)
    {
        return true;
    }
    let spec = spec_of(set);
    let (delete_when_deleted, delete_when_scaled) = deletes_claims(spec);
    if !delete_when_deleted && !delete_when_scaled {
        return !(has_owner_ref(claim, sm) || has_owner_ref(claim, pm));
    }
    if has_unexpected_controller(claim, sm, pm) {
        return !(has_owner_ref(claim, sm) || has_owner_ref(claim, pm));
    }
    if has_non_controller_owner(claim, sm, pm) {
        return false;
    }
    let scaled_down = !in_range(spec, ordinal_of(pod));
    match (delete_when_scaled, delete_when_deleted) {
        (false, true) => has_owner_ref(claim, sm) && !has_owner_ref(claim, pm),
        (true, false) => !has_owner_ref(claim, sm) && scaled_down == has_owner_ref(claim, pm),
        (true, true) => scaled_down != has_owner_ref(claim, sm) && scaled_down == has_owner_ref(claim, pm),
        (false, false) => true,
    }
}

/// The claim's owner references rewritten for the retention policy
/// (upstream: `updateClaimOwnerRefForSetAndPod`): references to the set or
/// pod are removed, then the controller references the policy requires are
/// added, unless another controller owns the claim.
pub fn claim_owner_refs(claim: &PersistentVolumeClaim, set: &StatefulSet, pod: &Pod) -> Vec<OwnerReference> {
    let (sm, pm) = (&set.metadata, &pod.metadata);
    let unexpected = has_unexpected_controller(claim, sm, pm);
    let mut refs: Vec<OwnerReference> = claim
        .metadata
        .owner_references()
        .iter()
        .filter(|r| {
            !matches_ref(r, StatefulSet::API_VERSION, StatefulSet::KIND, sm)
                && !matches_ref(r, POD_API_VERSION, POD_KIND, pm)
        })
        .cloned()
        .collect();
    if unexpected {
        return refs;
    }
    let spec = spec_of(set);
    let (delete_when_deleted, delete_when_scaled) = deletes_claims(spec);
    let scaled_down = !in_range(spec, ordinal_of(pod));
    let set_ref = || controller_ref(StatefulSet::API_VERSION, StatefulSet::KIND, sm);
    let pod_ref = || controller_ref(POD_API_VERSION, POD_KIND, pm);
    let wanted = match (delete_when_scaled, delete_when_deleted) {
        (false, false) => None,
        (false, true) => Some(set_ref()),
        (true, false) => scaled_down.then(pod_ref),
        (true, true) => Some(if scaled_down { pod_ref() } else { set_ref() }),
    };
    if let Some(w) = wanted
        && !refs.iter().any(|r| r.uid == w.uid)
    {
        refs.push(w);
    }
    refs
}

// ---------------------------------------------------------------------------
// Revisions
// ---------------------------------------------------------------------------

/// The hash of a ControllerRevision's data: FNV-1a 32 over its canonical
/// JSON, then `collision_count` as 4 little-endian bytes when set, written
/// in decimal through upstream's safe alphabet. Stable across releases.
pub fn revision_hash(data: &Value, collision_count: Option<i32>) -> String {
    super::hash::stable_hash(data, collision_count)
}

/// `<prefix>-<hash>` with the prefix cut to 223 bytes (upstream:
/// `ControllerRevisionName`).
pub fn revision_name(prefix: &str, hash: &str) -> String {
    format!("{}-{}", cut_to(prefix, MAX_REVISION_PREFIX), hash)
}

/// The data of a revision of `template`: a strategic-merge patch replacing
/// `spec.template` (upstream: `getPatch`).
pub fn revision_data(template: &PodTemplateSpec) -> Value {
    let mut t = serde_json::to_value(template).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut t {
        map.insert("$patch".into(), Value::String("replace".into()));
    } else {
        t = serde_json::json!({"$patch": "replace"});
    }
    serde_json::json!({"spec": {"template": t}})
}

/// Whether `revision` holds `template` once both are defaulted and written
/// without explicit nulls (upstream: the `StatefulSetSemanticRevisionComparison`
/// fallback of getStatefulSetRevisions, which applies the latest revision to
/// the set and re-serializes it; a 1.33 API server wrote
/// `creationTimestamp: null` into the template's metadata, 1.34 no longer
/// does).
fn holds_semantically(revision: &ControllerRevision, template: &PodTemplateSpec) -> bool {
    let Some(mut stored) = revision_template(revision) else { return false };
    let mut current = template.clone();
    crate::defaults::pod_template_spec(&mut stored);
    crate::defaults::pod_template_spec(&mut current);
    let normal = |t: &PodTemplateSpec| serde_json::to_value(t).map(without_nulls).ok();
    normal(&stored).is_some_and(|s| Some(s) == normal(&current))
}

/// `v` without object members that are `null`, at any depth.
fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter().filter(|(_, x)| !x.is_null()).map(|(k, x)| (k, without_nulls(x))).collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// The pod template a revision holds (upstream: `ApplyRevision`), if its
/// data decodes.
pub fn revision_template(revision: &ControllerRevision) -> Option<PodTemplateSpec> {
    let mut t = revision.data.as_ref()?.get("spec")?.get("template")?.clone();
    if let Value::Object(map) = &mut t {
        map.remove("$patch");
    }
    serde_json::from_value(t).ok()
}

/// The revision of the set's current template with this number (upstream:
/// `newRevision`, `history.NewControllerRevision`).
pub fn new_revision(set: &StatefulSet, number: i64, collision_count: Option<i32>) -> ControllerRevision {
    let template = &spec_of(set).template;
    let data = revision_data(template);
    let hash = revision_hash(&data, collision_count);
    let mut labels = template.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default();
    labels.insert(REVISION_HASH_LABEL.into(), hash.clone());
    let metadata = ObjectMeta {
        name: Some(revision_name(set.metadata.name(), &hash)),
        namespace: set.metadata.namespace.clone(),
        labels: Some(labels),
        annotations: set.metadata.annotations.clone(),
        owner_references: Some(vec![controller_ref(
            StatefulSet::API_VERSION,
            StatefulSet::KIND,
            &set.metadata,
        )]),
        ..ObjectMeta::default()
    };
    let mut rev = ControllerRevision { metadata, data: Some(data), revision: number, ..Default::default() };
    rev.fill_type_meta();
    rev
}

fn by_revision(a: &&ControllerRevision, b: &&ControllerRevision) -> std::cmp::Ordering {
    (a.revision, a.metadata.creation_timestamp, a.metadata.name()).cmp(&(
        b.revision,
        b.metadata.creation_timestamp,
        b.metadata.name(),
    ))
}

// ---------------------------------------------------------------------------
// Reconcile
// ---------------------------------------------------------------------------

/// Reconciles a StatefulSet with the default [`Config`].
pub fn reconcile(desired: &StatefulSet, observed: &Observed<'_>, now: Time) -> Vec<Action> {
    reconcile_with(desired, observed, now, &Config::default())
}

/// What the sync reads of a pod, gathered in one visit. A pod's name,
/// namespace, labels, volumes and conditions are separate allocations: at a
/// thousand pods each pass that reads them again misses the cache again, so
/// the ordering, the status, `processReplica`, `processCondemned` and the
/// rolling update read these instead.
#[derive(Clone, Copy, Debug)]
struct Facts {
    ordinal: i32,
    /// The name is `<set>-<ordinal>` as `pod_name` writes it.
    canonical: bool,
    /// [`identity_matches`].
    identity: bool,
    /// [`storage_matches`].
    storage: bool,
    /// The revision label is the current revision's name.
    at_current: bool,
    /// The revision label is the update revision's name.
    at_update: bool,
    /// upstream: `isRunningAndReady`.
    running_ready: bool,
    /// `is_pod_available` at the set's `minReadySeconds`.
    available: bool,
    terminating: bool,
    /// upstream: `isCreated` (the pod has a phase).
    created: bool,
    /// Failed or Succeeded.
    finished: bool,
    pending: bool,
}

impl Facts {
    /// upstream: `isHealthy`.
    fn healthy(&self) -> bool {
        self.running_ready && !self.terminating
    }

    /// upstream: `isUnavailable` (1.34+, PR 130909): not healthy, or not
    /// yet available at the set's `minReadySeconds`.
    fn unavailable(&self) -> bool {
        !self.healthy() || !self.available
    }
}

/// The revisions, readiness threshold and claim names [`Facts`] are read
/// against.
struct FactsOf<'r> {
    set: &'r StatefulSet,
    /// [`claim_prefixes`] of the set.
    claim_prefixes: Vec<(&'r str, String)>,
    current: &'r str,
    update: &'r str,
    /// `current == update`: a settled set, where one compare of each pod's
    /// revision label answers both.
    same_revision: bool,
    min_ready: i32,
    now: Time,
}

impl FactsOf<'_> {
    /// The facts of `pod`; `member` when its name is known to be
    /// `<set>-<digits>` (the claim's membership test passed), which spares
    /// a compare of the parent.
    fn of(&self, pod: &Pod, member: bool) -> Facts {
        let set = self.set;
        let name = pod.metadata.name();
        // One split of the name serves the ordinal, the canonical-name test
        // and the claim names. A member's name is `<set>-<digits>`, so its
        // digits follow the set's name: no scan for them (an empty set name
        // is the parent of names without digits too, so those are split).
        let set_name = set.metadata.name();
        let (parent, digits) = match name.get(set_name.len().saturating_add(1)..) {
            Some(digits) if member && !set_name.is_empty() => (set_name, digits),
            _ => split_ordinal(name).unwrap_or(("", "")),
        };
        let ordinal = if digits.is_empty() { -1 } else { ordinal_value(digits) };
        // One scan of the labels for both keys (`string_map_get` scans
        // small maps; keys are unique, so the first match is the match).
        let labels = pod.metadata.labels();
        let (name_label, revision) = if labels.len() <= 8 {
            let mut found = (None, None);
            for (k, v) in labels {
                if k == POD_NAME_LABEL {
                    found.0 = Some(v.as_str());
                } else if k == CONTROLLER_REVISION_HASH_LABEL {
                    found.1 = Some(v.as_str());
                }
            }
            found
        } else {
            (pod.metadata.label(POD_NAME_LABEL), pod.metadata.label(CONTROLLER_REVISION_HASH_LABEL))
        };
        let revision = revision.unwrap_or("");
        let phase = phase(pod);
        let ready = is_pod_ready(pod);
        let canonical = if member {
            ordinal >= 0 && plain_digits(digits)
        } else {
            is_canonical_split(set, parent, digits, ordinal)
        };
        let at_current = revision == self.current;
        Facts {
            ordinal,
            canonical,
            // `identity_matches` without its namespace compare: a claimed
            // pod is in the set's namespace (the claim ignores the others)
            // and a new one is put there.
            identity: canonical && name_label == Some(name),
            storage: ordinal >= 0
                && mounts_claims(&self.claim_prefixes, pod, &printed_digits(digits, ordinal)),
            at_current,
            at_update: if self.same_revision { at_current } else { revision == self.update },
            running_ready: ready && phase == Some(&PodPhase::Running),
            // Without `minReadySeconds` a ready pod is available: the Ready
            // condition is then read once.
            available: if self.min_ready == 0 {
                ready
            } else {
                is_pod_available(pod, self.min_ready, self.now)
            },
            terminating: pod.metadata.is_terminating(),
            created: phase.is_some_and(|p| !p.as_str().is_empty()),
            finished: matches!(phase, Some(PodPhase::Failed | PodPhase::Succeeded)),
            pending: phase == Some(&PodPhase::Pending),
        }
    }
}

/// A replica slot: an observed pod or one to create, with its facts.
enum Slot<'a> {
    Observed(&'a Pod, Facts),
    New(Box<Pod>, Facts),
}

impl Slot<'_> {
    fn pod(&self) -> &Pod {
        match self {
            Slot::Observed(p, _) => p,
            Slot::New(p, _) => p,
        }
    }

    fn facts(&self) -> &Facts {
        match self {
            Slot::Observed(_, f) | Slot::New(_, f) => f,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Continue,
    Stop,
}

/// The state of one sync.
struct Sync<'s, 'a> {
    set: &'s StatefulSet,
    /// The set at its update revision (the live template: the same object).
    update_set: &'s StatefulSet,
    claims: FastMap<String, PersistentVolumeClaim>,
    /// The observed claims, of every namespace (the lookup keeps the set's).
    observed: &'a [PersistentVolumeClaim],
    /// `observed` by name, built at the first lookup: a settled set whose
    /// claims carry no owner references (see `bare_claims`) never looks one
    /// up.
    observed_claims: std::cell::OnceCell<FastMap<&'a str, &'a PersistentVolumeClaim>>,
    /// No claim this sync can see carries an owner reference: neither an
    /// observed one nor one it created or updated. Under Retain/Retain such
    /// claims always follow the policy (see `claims_match_policy_at`).
    bare_claims: bool,
    /// `update_set`'s policy is Retain/Retain: read once, not per pod.
    update_retains_all: bool,
    actions: Vec<Action>,
    error: bool,
    /// Scratch space for claim names.
    key: String,
}

impl<'a> Sync<'_, 'a> {
    fn claim(&self, name: &str) -> Option<&PersistentVolumeClaim> {
        let updated = if self.claims.is_empty() { None } else { self.claims.get(name) };
        updated.or_else(|| self.observed_claims().get(name).copied())
    }

    fn observed_claims(&self) -> &FastMap<&'a str, &'a PersistentVolumeClaim> {
        self.observed_claims.get_or_init(|| {
            let ns = self.set.metadata.namespace();
            // Sized up front: collecting from a filter would rehash as it
            // grows.
            let mut map = FastMap::with_capacity_and_hasher(self.observed.len(), Default::default());
            map.extend(
                self.observed.iter().filter(|c| c.metadata.namespace() == ns).map(|c| (c.metadata.name(), c)),
            );
            map
        })
    }

    /// Records a claim this sync creates or updates, for the lookups after.
    fn write_claim(&mut self, name: String, claim: PersistentVolumeClaim) {
        self.bare_claims &= claim.metadata.owner_references().is_empty();
        self.claims.insert(name, claim);
    }

    fn pod_ref(&self, pod: &Pod) -> ObjectRef {
        let mut r = pod.object_ref();
        if r.namespace.is_none() {
            r.namespace = self.set.metadata.namespace.clone();
        }
        r
    }

    fn failed(&mut self, verb: &str, pod: &Pod, message: String) {
        self.error = true;
        let title = match verb {
            "create" => "Create",
            "update" => "Update",
            _ => "Delete",
        };
        self.actions.push(Action::Event(Event {
            regarding: self.set.object_ref(),
            type_: EventType::Warning,
            reason: format!("Failed{title}"),
            message: format!(
                "{verb} Pod {} in StatefulSet {} failed error: {message}",
                pod.metadata.name(),
                self.set.metadata.name()
            ),
        }));
    }

    /// Creates the pod's missing claims (upstream:
    /// `createPersistentVolumeClaims`); false, and the sync's error, when a
    /// claim is being deleted. The errors of all the pod's claims make one
    /// aggregate, recorded as one `Failed<Verb>` event for the pod write
    /// `verb` names (`CreateStatefulPod`: "create", `UpdateStatefulPod`:
    /// "update"); `None` records none (`createMissingPersistentVolumeClaims`
    /// only returns the error).
    fn create_claims(&mut self, pod: &Pod, verb: Option<&str>) -> bool {
        let ordinal = ordinal_of(pod);
        let mut blocked: Vec<String> = Vec::new();
        for mut c in claims_for(self.set, ordinal) {
            let name = c.metadata.name().to_owned();
            match self.claim(&name) {
                None => {
                    let refs = claim_owner_refs(&c, self.update_set, pod);
                    c.metadata.owner_references = (!refs.is_empty()).then_some(refs);
                    self.write_claim(name, c.clone());
                    self.actions.push(Action::Create { object: c.into() });
                }
                Some(existing) if existing.metadata.is_terminating() => {
                    blocked.push(format!("pvc {name} is being deleted"));
                }
                Some(_) => {}
            }
        }
        if blocked.is_empty() {
            return true;
        }
        self.error = true;
        if let Some(verb) = verb {
            self.failed(verb, pod, crate::text::go_aggregate(&blocked));
        }
        false
    }

    fn claims_match_policy(&mut self, set: &StatefulSet, pod: &Pod) -> bool {
        self.claims_match_policy_at(set, pod, ordinal_of(pod))
    }

    /// [`Self::claims_match_policy`] with the pod's ordinal already parsed.
    /// Inlined: on a settled set (bare claims, Retain/Retain) it is one test
    /// per pod, not a call.
    #[inline]
    fn claims_match_policy_at(&mut self, set: &StatefulSet, pod: &Pod, ordinal: i32) -> bool {
        // upstream: isClaimOwnerUpToDate under Retain/Retain is true when the
        // claim has a stale reference to the set or pod, else exactly when
        // no reference has the set's or the pod's UID. A claim without owner
        // references is therefore up to date, and when every claim is bare
        // no lookup can find one that is not.
        let retains_all = if std::ptr::eq(set, self.update_set) {
            self.update_retains_all
        } else {
            deletes_claims(spec_of(set)) == (false, false)
        };
        (self.bare_claims && retains_all) || self.claims_up_to_date(set, pod, ordinal)
    }

    /// Whether each existing claim of the pod's ordinal is up to date
    /// (upstream: `isClaimOwnerUpToDate`), by lookup. Never inlined, so
    /// that the test before it is small enough to be.
    #[inline(never)]
    fn claims_up_to_date(&mut self, set: &StatefulSet, pod: &Pod, ordinal: i32) -> bool {
        let digits = printed_ordinal(pod.metadata.name(), ordinal);
        let set_name = set.metadata.name();
        // The sync's one buffer for claim names (`claim_name`): no
        // allocation per pod.
        let mut key = std::mem::take(&mut self.key);
        let mut matches = true;
        for t in templates(set) {
            key.clear();
            for piece in [t.metadata.name(), "-", set_name, "-", &digits] {
                key.push_str(piece);
            }
            if self.claim(&key).is_some_and(|c| !claim_owner_up_to_date(c, set, pod)) {
                matches = false;
                break;
            }
        }
        self.key = key;
        matches
    }

    /// upstream: `UpdatePodClaimForRetentionPolicy` (missing claims are
    /// skipped). A claim another controller owns, under a policy other than
    /// Retain/Retain, gets the `ConflictingController` warning each time.
    fn update_claims_for_policy(&mut self, set: &StatefulSet, pod: &Pod) {
        let ordinal = ordinal_of(pod);
        let retain_all = deletes_claims(spec_of(set)) == (false, false);
        for t in templates(set) {
            let name = claim_name(set, t, ordinal);
            let Some(existing) = self.claim(&name) else { continue };
            if !retain_all && has_unexpected_controller(existing, &set.metadata, &pod.metadata) {
                self.actions.push(Action::Event(conflicting_controller(set, &name)));
            }
            let Some(existing) = self.claim(&name) else { continue };
            if claim_owner_up_to_date(existing, set, pod) {
                continue;
            }
            let refs = claim_owner_refs(existing, set, pod);
            if refs.as_slice() == existing.metadata.owner_references() {
                continue;
            }
            let mut updated = existing.clone();
            updated.metadata.owner_references = (!refs.is_empty()).then_some(refs);
            updated.fill_type_meta();
            self.write_claim(name, updated.clone());
            self.actions
                .push(Action::Update { object: updated.into(), change: "claim owner references".into() });
        }
    }

    fn claim_is_stale(&self, pod: &Pod) -> bool {
        // upstream: PodClaimIsStale
        if !deletes_claims(spec_of(self.set)).1 {
            return false;
        }
        claims_for(self.set, ordinal_of(pod)).iter().any(|c| {
            self.claim(c.metadata.name()).is_some_and(|existing| {
                has_stale_owner_ref(existing, POD_API_VERSION, POD_KIND, &pod.metadata)
            })
        })
    }

    fn delete_pod(&mut self, pod: &Pod) {
        let target = self.pod_ref(pod);
        self.actions.push(Action::delete(target));
    }

    /// upstream: `UpdateStatefulPod`.
    fn update_pod(&mut self, pod: &Pod) {
        let ordinal = ordinal_of(pod);
        let mut updated = pod.clone();
        let mut changes = Vec::new();
        if !identity_matches(self.set, pod) {
            update_identity(self.set, &mut updated, ordinal);
            changes.push("identity");
        }
        if !storage_matches(self.set, pod) {
            update_storage(self.set, &mut updated, ordinal);
            changes.push("storage");
            if !self.create_claims(&updated, Some("update")) {
                return;
            }
        }
        if !self.claims_match_policy(self.update_set, &updated) {
            self.update_claims_for_policy(self.update_set, &updated);
        }
        if !changes.is_empty() {
            updated.fill_type_meta();
            self.actions.push(Action::Update { object: updated.into(), change: changes.join(", ") });
        }
    }

    /// upstream: `processReplica`.
    fn process_replica(&mut self, slot: &Slot<'_>, monotonic: bool) -> Step {
        let pod = slot.pod();
        let facts = slot.facts();
        if let Slot::New(new, _) = slot {
            if self.claim_is_stale(new) {
                return Step::Stop;
            }
            if !self.create_claims(new, Some("create")) {
                return Step::Stop;
            }
            self.actions.push(Action::Create { object: (**new).clone().into() });
            // upstream: CreateStatefulPod sets the claims' references after
            // the pod is created. Claims created with the pod already carry
            // theirs; claims that were already there are fixed here.
            self.update_claims_for_policy(self.update_set, new);
            return if monotonic { Step::Stop } else { Step::Continue };
        }
        if facts.finished {
            if !facts.terminating {
                self.delete_pod(pod);
            }
            return Step::Stop;
        }
        if facts.pending {
            // upstream: createMissingPersistentVolumeClaims
            if !self.create_claims(pod, None) {
                return Step::Stop;
            }
            self.update_claims_for_policy(self.update_set, pod);
        }
        // upstream: isRunningAndAvailable is isRunningAndReady and
        // available.
        if monotonic && (facts.terminating || !facts.running_ready || !facts.available) {
            return Step::Stop;
        }
        // The pod's identity and storage do not change above (a Pending pod
        // only gets claims), so its facts still hold.
        if facts.identity && facts.storage && self.claims_match_policy_at(self.update_set, pod, facts.ordinal)
        {
            return Step::Continue;
        }
        self.update_pod(pod);
        if self.error { Step::Stop } else { Step::Continue }
    }
}

/// The largest slow-start batch of a parallel pass (upstream:
/// stateful_set_control.go `MaxBatchSize`).
const MAX_BATCH_SIZE: usize = 500;

/// Runs `f` over `items` as upstream's `runForAll`: in order, stopping at the
/// first `Stop` when monotonic; otherwise in slow-start batches, stopping
/// after a batch with an error. Returns true when the pass must end the sync.
fn run_for_all<T>(
    sync: &mut Sync<'_, '_>,
    items: &[T],
    monotonic: bool,
    mut f: impl FnMut(&mut Sync<'_, '_>, &T) -> Step,
) -> bool {
    if monotonic {
        for item in items {
            if f(sync, item) == Step::Stop || sync.error {
                return true;
            }
        }
        return false;
    }
    let mut iter = items.iter();
    for batch in capped_slow_start_batches(items.len(), 1, MAX_BATCH_SIZE) {
        for _ in 0..batch {
            if let Some(item) = iter.next() {
                f(sync, item);
            }
        }
        if sync.error {
            return true;
        }
    }
    false
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    replicas: i32,
    ready: i32,
    available: i32,
    current: i32,
    updated: i32,
}

fn inc(v: &mut i32) {
    *v = v.saturating_add(1);
}

/// Reconciles a StatefulSet (upstream: `syncStatefulSet` →
/// `UpdateStatefulSet`).
pub fn reconcile_with(
    desired: &StatefulSet,
    observed: &Observed<'_>,
    now: Time,
    config: &Config,
) -> Vec<Action> {
    let set = desired;
    let spec = spec_of(set);
    let ns = set.metadata.namespace();
    let set_ref = set.object_ref();
    let old_status = set.status.clone().unwrap_or_default();
    let mut actions = Vec::new();

    // A null or missing selector is Go's nil one, which selects nothing
    // (DECISIONS G5); one that does not convert stops the sync before it
    // touches anything (upstream: StatefulSetController.sync returns).
    let declared = set.spec.as_ref().filter(|s| !s.is_unset_on_wire("selector")).map(|s| &s.selector);
    let Ok(selector) = Selector::from_optional_label_selector(declared) else {
        return actions;
    };
    let reference = controller_ref(StatefulSet::API_VERSION, StatefulSet::KIND, &set.metadata);
    // The revisions are claimed and chosen before the pods are claimed, so
    // that the one visit to each pod (`Facts`) can compare its revision
    // label; the revisions' adoptions come first, then the pods' adoptions
    // and releases, as upstream's sync orders them.
    // upstream: ListRevisions (the selected revisions the set controls or
    // no one does) and adoptOrphanRevisions: orphans are adopted, nothing is
    // released; orphans while the set is being deleted fail the sync before
    // it touches pods (canAdoptFunc), and the work queue retries it.
    let mut revision_patches: Vec<Action> = Vec::new();
    let mut revisions: Vec<&ControllerRevision> = Vec::new();
    let mut orphans: Vec<&ControllerRevision> = Vec::new();
    for r in
        observed.revisions.iter().filter(|r| r.metadata.namespace() == ns && selector.matches(&r.metadata))
    {
        match r.metadata.controller_ref() {
            None => orphans.push(r),
            Some(c) if c.uid == set.metadata.uid() => revisions.push(r),
            Some(_) => {}
        }
    }
    if !orphans.is_empty() && set.metadata.is_terminating() {
        actions.push(Action::Requeue { target: set_ref, after: Duration::ZERO });
        return actions;
    }
    for r in orphans {
        revision_patches.push(super::adopt_update(r, &reference));
        revisions.push(r);
    }
    revisions.sort_by(by_revision);

    // upstream: getStatefulSetRevisions.
    let mut collision_count = old_status.collision_count.unwrap_or(0);
    let next_number = revisions.last().map_or(1, |r| r.revision.saturating_add(1));
    let data = revision_data(&spec.template);
    let equal: Option<&ControllerRevision> =
        revisions.iter().rev().find(|r| r.data.as_ref() == Some(&data)).copied().or_else(|| {
            let latest = *revisions.last()?;
            (config.gates.stateful_set_semantic_revision_comparison
                && holds_semantically(latest, &spec.template))
            .then_some(latest)
        });
    let update_revision: Cow<'_, ControllerRevision> = match equal {
        Some(eq) if revisions.last().is_some_and(|l| std::ptr::eq(*l, eq)) => Cow::Borrowed(eq),
        Some(eq) => {
            let mut r = eq.clone();
            // An orphan adopted in this sync keeps its new owner: this update
            // replaces the object after the adoption's (upstream re-reads it
            // before UpdateControllerRevision).
            if eq.metadata.controller_ref().is_none() {
                r.metadata = super::with_owner(&eq.metadata, reference.clone());
            }
            let before = r.revision;
            r.revision = next_number;
            r.fill_type_meta();
            actions.push(Action::Update {
                object: r.clone().into(),
                change: format!("revision {before} -> {next_number}"),
            });
            Cow::Owned(r)
        }
        None => {
            // upstream: CreateControllerRevision: on a name clash with other
            // data, bump collisionCount and try again under the new hash's
            // name; only the name changes, so the hash label keeps the
            // first hash (NewControllerRevision's).
            let mut candidate = new_revision(set, next_number, Some(collision_count));
            for _ in 0..1000 {
                let clash = observed.revisions.iter().any(|r| {
                    r.metadata.namespace() == ns
                        && r.metadata.name() == candidate.metadata.name()
                        && r.data.as_ref() != Some(&data)
                });
                if !clash {
                    break;
                }
                collision_count = collision_count.wrapping_add(1);
                let hash = revision_hash(&data, Some(collision_count));
                candidate.metadata.name = Some(revision_name(set.metadata.name(), &hash));
            }
            actions.push(Action::Create { object: candidate.clone().into() });
            Cow::Owned(candidate)
        }
    };
    let current_revision: &ControllerRevision = old_status
        .current_revision
        .as_deref()
        .and_then(|name| revisions.iter().find(|r| r.metadata.name() == name))
        .map_or(&update_revision, |r| *r);
    let update_name = update_revision.metadata.name().to_owned();
    let current_name = current_revision.metadata.name().to_owned();
    // Decoded only when a pod is created at the current revision.
    let current_template: std::cell::OnceCell<PodTemplateSpec> = std::cell::OnceCell::new();
    let current_template = || {
        current_template
            .get_or_init(|| revision_template(current_revision).unwrap_or_else(|| spec.template.clone()))
    };

    let start = spec.ordinal_start();
    let replica_count = usize::try_from(spec.replicas_or_default().max(0)).unwrap_or(0);
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    let facts_of = FactsOf {
        set,
        claim_prefixes: claim_prefixes(set),
        current: &current_name,
        update: &update_name,
        same_revision: current_name == update_name,
        min_ready,
        now,
    };

    // upstream: getPodsForStatefulSet: selector and isMemberOf. The claim
    // is the one visit that reads each pod (see `Facts`). Unordered: the
    // slot ordering below ends in (name, UID), the by-name order of the one
    // namespace claimed: the claim ignores pods of other namespaces, so
    // they are not filtered out before it (a second namespace compare).
    let mut patches: Vec<Action> = Vec::new();
    let exact = exact_labels(&selector);
    let claimed: Vec<(&Pod, Facts)> = super::claim_all_map(
        observed.pods.iter(),
        &set.metadata,
        &reference,
        |p: &Pod| {
            exact.as_ref().map_or_else(
                || selector.matches(&p.metadata),
                |labels| labels.iter().all(|(k, v)| p.metadata.label(k) == Some(v)),
            ) && is_member_name(p.metadata.name(), set.metadata.name())
        },
        // Only pods that pass `selected` are claimed: their parent is the set.
        |p: &Pod| (p, facts_of.of(p, true)),
        &mut patches,
    );
    // upstream: sync adopts the orphan revisions (adoptOrphanRevisions)
    // before it claims the pods; each by name. The revision's create or
    // rollback follows.
    revision_patches.sort_by(|a, b| a.target().name.cmp(&b.target().name));
    patches.sort_by(|a, b| a.target().name.cmp(&b.target().name));
    revision_patches.append(&mut patches);
    revision_patches.append(&mut actions);
    let actions = revision_patches;

    // upstream: updateStatefulSet: partition the pods.
    // Only ordinals up to MAX_NEW_SLOTS beyond the highest observed in-range
    // one are materialized, so an absurd `replicas` cannot exhaust memory.
    let highest = claimed
        .iter()
        .filter_map(|(_, facts)| {
            usize::try_from(i64::from(facts.ordinal).saturating_sub(i64::from(start))).ok()
        })
        .filter(|i| *i < replica_count)
        .max()
        .map_or(0, |i| i.saturating_add(1));
    let materialized = replica_count.min(highest.saturating_add(MAX_NEW_SLOTS));
    let truncated = materialized < replica_count;
    // DECISIONS statefulset Q1: the pod named for its ordinal wins, then the
    // oldest, then by name and UID (DECISIONS G2). Each slot keeps the
    // first claimed pod of the smallest rank: what a stable sort of every
    // pod by rank then a fill of the slots gave, without the sort (pods
    // rarely share an ordinal, so ranks are rarely compared). The losers
    // get the order that sort gave them: by rank, then as claimed.
    let rank = |a: usize, b: usize| {
        let key = |i: usize| {
            claimed.get(i).map(|(p, f)| {
                let ts = p.metadata.creation_timestamp;
                ((!f.canonical, ts.is_none(), ts), p.metadata.name(), p.metadata.uid())
            })
        };
        key(a).cmp(&key(b))
    };
    let mut ranked: Vec<Option<usize>> = vec![None; materialized];
    let mut losers: Vec<usize> = Vec::new();
    for (i, (_, facts)) in claimed.iter().enumerate() {
        if facts.ordinal < 0 {
            continue;
        }
        let index = usize::try_from(i64::from(facts.ordinal).saturating_sub(i64::from(start))).ok();
        match index.and_then(|s| ranked.get_mut(s)) {
            Some(slot @ None) => *slot = Some(i),
            Some(Some(held)) if rank(i, *held).is_lt() => losers.push(std::mem::replace(held, i)),
            _ => losers.push(i),
        }
    }
    losers.sort_by(|a, b| rank(*a, *b).then(a.cmp(b)));
    let mut condemned: Vec<(&Pod, Facts)> =
        losers.into_iter().filter_map(|i| claimed.get(i).copied()).collect();
    // upstream: updateStatefulSet skips the update pass for OnDelete only
    // (any other type rolls), while completeRollingUpdate asks for
    // RollingUpdate; unset or empty is RollingUpdate (SetDefaults).
    let strategy_type =
        spec.update_strategy.as_ref().and_then(|s| s.type_.as_ref()).filter(|t| !t.as_str().is_empty());
    let rolling = strategy_type != Some(&StatefulSetUpdateStrategyType::OnDelete);
    let completes = strategy_type.is_none_or(|t| *t == StatefulSetUpdateStrategyType::RollingUpdate);
    let rolling_update = spec.update_strategy.as_ref().and_then(|s| s.rolling_update.as_ref());
    // upstream: SetDefaults_StatefulSet gives a set without a strategy type
    // `RollingUpdate` with `rollingUpdate: {partition: 0}` (an explicit
    // type without `rollingUpdate` keeps it nil): as stored, such a set's
    // new pods take the partition branch below.
    let defaulted_partition = rolling_update.is_none() && strategy_type.is_none();
    // Straight from the ranking: a vector of the slots' pods between would
    // be one more thousand-entry allocation to fill and read back.
    let replicas: Vec<Slot<'_>> = ranked
        .iter()
        .enumerate()
        .map(|(i, r)| match r.and_then(|j| claimed.get(j)) {
            Some((p, facts)) => Slot::Observed(p, *facts),
            None => {
                // upstream: newVersionedStatefulSetPod
                let ordinal = start.saturating_add(i32::try_from(i).unwrap_or(i32::MAX));
                let at_current = match rolling_update {
                    None if defaulted_partition => ordinal < start,
                    // Only RollingUpdate (set, or unset and so defaulted)
                    // keeps the first currentReplicas at the current
                    // revision; another type that still rolls does not.
                    None => {
                        completes && ordinal < start.saturating_add(old_status.current_replicas.unwrap_or(0))
                    }
                    Some(ru) => ordinal < start.saturating_add(ru.partition.unwrap_or(0)),
                };
                let pod = if at_current {
                    new_pod(set, current_template(), ordinal, &current_name)
                } else {
                    new_pod(set, &spec.template, ordinal, &update_name)
                };
                let facts = facts_of.of(&pod, false);
                Slot::New(Box::new(pod), facts)
            }
        })
        .collect();
    condemned.sort_by(|(a, fa), (b, fb)| {
        fb.ordinal.cmp(&fa.ordinal).then(a.metadata.name().cmp(b.metadata.name()))
    });
    // upstream (1.34+): the first unavailable pod, not merely the first
    // unhealthy one: a ready pod short of minReadySeconds counts.
    let first_unavailable: Option<&Pod> = replicas
        .iter()
        .find(|s| s.facts().unavailable())
        .map(Slot::pod)
        .or_else(|| condemned.iter().rev().find(|(_, f)| f.unavailable()).map(|(p, _)| *p));

    // Status over the observed pods (upstream: updateStatus over replicas
    // and condemned; placeholders are not created). A set being deleted
    // keeps the status updateStatefulSet computed first, over every claimed
    // pod: those whose ordinal does not parse count too.
    let mut counts = Counts::default();
    let mut next_available: Option<Time> = None;
    // One of the two lists, without collecting either (`take(0)` ends the
    // other at once).
    let (all, slotted) = if set.metadata.is_terminating() { (usize::MAX, 0) } else { (0, usize::MAX) };
    let every_claimed = claimed.iter().take(all).map(|(p, facts)| (*p, facts));
    let in_slots = replicas
        .iter()
        .take(slotted)
        .filter_map(|s| match s {
            Slot::Observed(p, facts) => Some((*p, facts)),
            Slot::New(..) => None,
        })
        .chain(condemned.iter().take(slotted).map(|(p, facts)| (*p, facts)));
    for (pod, facts) in every_claimed.chain(in_slots) {
        if facts.created {
            inc(&mut counts.replicas);
        }
        if facts.running_ready {
            inc(&mut counts.ready);
            if facts.available {
                inc(&mut counts.available);
            } else if let Some(at) = available_at(pod, min_ready, now) {
                next_available = Some(next_available.map_or(at, |n| n.min(at)));
            }
        }
        if facts.created && !facts.terminating {
            if facts.at_current {
                inc(&mut counts.current);
            }
            if facts.at_update {
                inc(&mut counts.updated);
            }
        }
    }

    let mut sync = Sync {
        set,
        update_set: set,
        claims: FastMap::default(),
        observed: observed.claims,
        observed_claims: std::cell::OnceCell::new(),
        // Over every namespace: a claim elsewhere with references only
        // turns the shortcut off.
        bare_claims: observed.claims.iter().all(|c| c.metadata.owner_references().is_empty()),
        update_retains_all: deletes_claims(spec) == (false, false),
        actions,
        error: false,
        key: String::new(),
    };

    if !set.metadata.is_terminating() {
        let monotonic = spec.pod_management_policy() != crate::api::PodManagementPolicyType::Parallel;
        let stop = run_for_all(&mut sync, &replicas, monotonic, |s, slot| s.process_replica(slot, monotonic))
        // upstream: fix the claims of condemned pods before deleting them.
        || run_for_all(&mut sync, &condemned, monotonic, |s, (pod, facts)| {
            if !s.claims_match_policy_at(s.update_set, pod, facts.ordinal) {
                s.update_claims_for_policy(s.update_set, pod);
            }
            Step::Continue
        })
        // upstream: processCondemned
        || run_for_all(&mut sync, &condemned, monotonic, |s, (pod, facts)| {
            if facts.terminating {
                return if monotonic { Step::Stop } else { Step::Continue };
            }
            let first = first_unavailable.is_some_and(|f| std::ptr::eq(f, *pod));
            // upstream: isRunningAndAvailable is isRunningAndReady and
            // available.
            if monotonic && !first && (!facts.running_ready || !facts.available) {
                return Step::Stop;
            }
            s.delete_pod(pod);
            Step::Stop
        });
        if !stop && rolling {
            let update_min = usize::try_from(rolling_update.and_then(|r| r.partition).unwrap_or(0).max(0))
                .unwrap_or(usize::MAX);
            if config.gates.max_unavailable_stateful_set {
                // upstream: updateStatefulSetAfterInvariantEstablished and
                // getStatefulSetMaxUnavailable: a value that does not scale
                // fails the sync before any delete.
                let max_unavailable = match rolling_update {
                    None => Ok(1),
                    Some(r) => {
                        let value = r.max_unavailable.clone().unwrap_or(IntOrString::Int(1));
                        value.scaled_value(spec.replicas_or_default(), false).map(|v| v.max(1))
                    }
                };
                let max_unavailable = match max_unavailable {
                    Ok(v) => usize::try_from(v).unwrap_or(1),
                    Err(_) => {
                        sync.error = true;
                        0
                    }
                };
                // The slots past MAX_NEW_SLOTS are pods still to create:
                // upstream counts them unavailable like every new pod.
                let unavailable = replicas
                    .iter()
                    .map(Slot::facts)
                    .filter(|f| f.unavailable())
                    .count()
                    .saturating_add(replica_count.saturating_sub(materialized));
                let budget = max_unavailable.saturating_sub(unavailable);
                let mut deleted = 0usize;
                for slot in replicas.iter().skip(update_min).rev() {
                    if deleted >= budget {
                        break;
                    }
                    let facts = slot.facts();
                    if !facts.at_update && !facts.terminating {
                        sync.delete_pod(slot.pod());
                        deleted = deleted.saturating_add(1);
                        counts.current = counts.current.saturating_sub(1);
                    }
                }
            } else {
                for slot in replicas.iter().skip(update_min).rev() {
                    let facts = slot.facts();
                    if !facts.at_update && !facts.terminating {
                        sync.delete_pod(slot.pod());
                        counts.current = counts.current.saturating_sub(1);
                        break;
                    }
                    // upstream (1.34+): wait until the pod is available,
                    // not only ready.
                    if facts.unavailable() {
                        break;
                    }
                }
            }
        }
    }
    let error = sync.error;
    let mut actions = sync.actions;

    // upstream: updateStatefulSetStatus: completeRollingUpdate, then write
    // when inconsistent.
    let mut current_revision_name = current_name.clone();
    let want = spec.replicas_or_default();
    if completes && counts.updated == want && counts.ready == want && counts.replicas == want {
        counts.current = counts.updated;
        current_revision_name = update_name.clone();
    }
    let nz = |v: i32| (v != 0).then_some(v);
    let status = StatefulSetStatus {
        observed_generation: set.metadata.generation.or(old_status.observed_generation),
        replicas: counts.replicas,
        ready_replicas: nz(counts.ready),
        current_replicas: nz(counts.current),
        updated_replicas: nz(counts.updated),
        current_revision: Some(current_revision_name),
        update_revision: Some(update_name.clone()),
        collision_count: Some(collision_count),
        // upstream: updateStatefulSet builds the status from scratch and
        // sets no condition, so a write clears any another actor left.
        conditions: None,
        // Written even when 0: apps/v1 has no omitempty on this field.
        available_replicas: Some(counts.available),
        other: old_status.other.clone(),
        absent_keys: Default::default(),
    };
    let z = |v: Option<i32>| v.unwrap_or(0);
    let inconsistent = status.observed_generation.unwrap_or(0) > old_status.observed_generation.unwrap_or(0)
        || status.replicas != old_status.replicas
        || z(status.current_replicas) != z(old_status.current_replicas)
        || z(status.ready_replicas) != z(old_status.ready_replicas)
        || z(status.updated_replicas) != z(old_status.updated_replicas)
        || status.current_revision.as_deref().unwrap_or("")
            != old_status.current_revision.as_deref().unwrap_or("")
        || z(status.available_replicas) != z(old_status.available_replicas)
        || status.update_revision.as_deref().unwrap_or("")
            != old_status.update_revision.as_deref().unwrap_or("");
    if inconsistent {
        let mut s = set.clone();
        s.fill_type_meta();
        s.status = Some(status);
        actions.push(Action::UpdateStatus { object: s.into() });
    }

    // upstream: truncateHistory (live: current, update, every pod's).
    let limit = spec.revision_history_limit_or_default();
    if limit >= 0 {
        let live = |name: &str| {
            name == current_name || name == update_name || claimed.iter().any(|(p, _)| revision_of(p) == name)
        };
        let history: Vec<&&ControllerRevision> =
            revisions.iter().filter(|r| !live(r.metadata.name())).collect();
        let excess = history.len().saturating_sub(usize::try_from(limit).unwrap_or(0));
        for r in history.into_iter().take(excess) {
            let mut target = r.object_ref();
            if target.namespace.is_none() {
                target.namespace = set.metadata.namespace.clone();
            }
            actions.push(Action::delete(target));
        }
    }

    if error || truncated {
        actions.push(Action::Requeue { target: set_ref, after: Duration::ZERO });
    } else if min_ready > 0 {
        match next_available {
            Some(at) => actions.push(Action::Requeue { target: set_ref, after: now.duration_until(at) }),
            // A ready pod with no instant to wait for (no transition time):
            // upstream's syncStatefulSet requeues minReadySeconds later
            // while pods are not available, as the DaemonSet does here.
            None if counts.ready != counts.available => actions.push(Action::Requeue {
                target: set_ref,
                after: Duration::from_secs(u64::try_from(min_ready).unwrap_or(0)),
            }),
            None => {}
        }
    }
    actions
}

/// `kubectl rollout undo [--to-revision=N]` for a StatefulSet: the set to
/// write, or why not (kubectl: `StatefulSetRollbacker.Rollback`). The
/// history is the ControllerRevisions of `revisions` in the set's namespace
/// that its selector selects and it controls; revision 0 means the previous
/// one (the second highest number). When the set's template already matches
/// the revision's data the rollback is skipped; otherwise the result is the
/// set with the revision's template, as the revision's patch leaves it.
///
/// ```
/// use kube_workloads::controller::statefulset;
/// use kube_workloads::controller::rollout::{Undo, UndoError};
/// use kube_workloads::StatefulSet;
///
/// let set: StatefulSet = serde_json::from_value(serde_json::json!({
///     "metadata": {"name": "web", "namespace": "default", "uid": "u1"},
///     "spec": {"selector": {"matchLabels": {"app": "web"}},
///              "template": {"metadata": {"labels": {"app": "web"}},
///                           "spec": {"containers": [{"name": "c", "image": "nginx:1"}]}}}
/// })).unwrap();
/// let v1 = statefulset::new_revision(&set, 1, None);
/// assert_eq!(statefulset::rollback(&set, &[v1.clone()], 0), Err(UndoError::NoLastRevision));
/// let mut v2_set = set.clone();
/// v2_set.spec.as_mut().unwrap().template.spec.as_mut().unwrap().containers[0].image = Some("nginx:2".into());
/// let v2 = statefulset::new_revision(&v2_set, 2, None);
/// // The set runs v2; undo goes back to v1's template.
/// match statefulset::rollback(&v2_set, &[v1, v2], 0) {
///     Ok(Undo::RolledBack(back)) => {
///         let image = back.spec.unwrap().template.spec.unwrap().containers[0].image.clone();
///         assert_eq!(image.as_deref(), Some("nginx:1"));
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
pub fn rollback(
    set: &StatefulSet,
    revisions: &[ControllerRevision],
    to_revision: i64,
) -> Result<super::rollout::Undo<StatefulSet>, super::rollout::UndoError> {
    use super::rollout::{history_selector, refuse_negative, undo, undo_revision};
    refuse_negative(to_revision)?;
    let declared = set.spec.as_ref().filter(|s| !s.is_unset_on_wire("selector")).map(|s| &s.selector);
    let selector = history_selector(declared, StatefulSet::KIND, set.metadata.name())?;
    let target = undo_revision(&set.metadata, &selector, revisions, to_revision)?;
    undo(set, &spec_of(set).template, target, to_revision, |out, template| {
        out.spec.get_or_insert_with(Default::default).template = template;
    })
}

/// `kubectl rollout history statefulset/<name>`: the set's
/// ControllerRevisions by number (kubectl: `StatefulSetHistoryViewer`).
/// `revisions` may contain any ControllerRevisions; only those of the
/// set's namespace that its selector selects and it controls count (a null
/// or missing selector selects all, as kubectl's empty query does). Each
/// revision's template is the set's once the revision's data is applied to
/// it as kubectl applies it (a strategic merge patch: the `$patch: replace`
/// template the controller writes replaces it; see the rollout module for
/// lists), and its change cause the revision's `kubernetes.io/change-cause`
/// annotation.
pub fn history(
    set: &StatefulSet,
    revisions: &[ControllerRevision],
) -> Result<super::rollout::History, super::rollout::HistoryError> {
    let declared = set.spec.as_ref().filter(|s| !s.is_unset_on_wire("selector")).map(|s| &s.selector);
    let template_of = |o: StatefulSet| o.spec.map(|spec| spec.template).unwrap_or_default();
    super::rollout::revision_history(StatefulSet::KIND, &set.metadata, declared, set, template_of, revisions)
}

/// `kubectl rollout status` for a StatefulSet (kubectl:
/// `StatefulSetStatusViewer.Status`, after `RolloutStatusOptions.Validate`).
///
/// kubectl ignores a positive `revision` for StatefulSets and refuses a
/// negative one. The spec is read as the API server stores it: unset
/// `replicas` is 1, an unset (or empty) strategy type is `RollingUpdate`
/// with a `rollingUpdate` of partition 0 (`SetDefaults_StatefulSet`), and a
/// `rollingUpdate` without a partition has partition 0. Only an explicit
/// `RollingUpdate` type without `rollingUpdate` (which the server leaves
/// so) reaches kubectl's revision comparison; otherwise the answer is the
/// partitioned one, as kubectl gives it.
///
/// ```
/// use kube_workloads::controller::{statefulset, RolloutStatus};
/// use kube_workloads::StatefulSet;
///
/// let set: StatefulSet = serde_json::from_value(serde_json::json!({
///     "apiVersion": "apps/v1", "kind": "StatefulSet",
///     "metadata": {"name": "db", "generation": 1},
///     "spec": {"replicas": 3, "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}},
///     "status": {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 2}
/// })).unwrap();
/// assert_eq!(
///     statefulset::rollout_status(&set, None),
///     RolloutStatus::Done("partitioned roll out complete: 2 new pods have been updated...".into())
/// );
/// ```
pub fn rollout_status(set: &StatefulSet, revision: Option<i64>) -> super::RolloutStatus {
    use super::RolloutStatus::{Done, Waiting};
    if let Some(refused) = super::rollout::refuse_negative_revision(revision) {
        return refused;
    }
    let strategy = set.spec.as_ref().and_then(|s| s.update_strategy.as_ref());
    let (rolling, partition) =
        match strategy.and_then(|u| u.type_.as_ref()).filter(|t| !t.as_str().is_empty()) {
            // Unset (or empty): the server sets RollingUpdate and a
            // rollingUpdate, whose partition it then fills in.
            None => (true, Some(rolling_partition(strategy).unwrap_or(0))),
            Some(StatefulSetUpdateStrategyType::RollingUpdate) => {
                // Set explicitly: only a rollingUpdate the object has gets its
                // partition defaulted.
                let present = strategy.is_some_and(|u| u.rolling_update.is_some());
                (true, present.then(|| rolling_partition(strategy).unwrap_or(0)))
            }
            Some(_) => (false, None),
        };
    if !rolling {
        return super::rollout::only_rolling_update();
    }
    let status = set.status.clone().unwrap_or_default();
    let observed = status.observed_generation.unwrap_or(0);
    if observed == 0 || set.metadata.generation.unwrap_or(0) > observed {
        return Waiting("Waiting for statefulset spec update to be observed...".into());
    }
    let replicas = set.spec.as_ref().map_or(1, StatefulSetSpec::replicas_or_default);
    let ready = status.ready_replicas.unwrap_or(0);
    let updated = status.updated_replicas.unwrap_or(0);
    if ready < replicas {
        // Go's int32 subtraction wraps; so does this one.
        return Waiting(format!("Waiting for {} pods to be ready...", replicas.wrapping_sub(ready)));
    }
    if let Some(partition) = partition {
        let want = replicas.wrapping_sub(partition);
        if updated < want {
            return Waiting(format!(
                "Waiting for partitioned roll out to finish: {updated} out of {want} new pods have been updated..."
            ));
        }
        return Done(format!("partitioned roll out complete: {updated} new pods have been updated..."));
    }
    let update_revision = status.update_revision.as_deref().unwrap_or("");
    let current_revision = status.current_revision.as_deref().unwrap_or("");
    if update_revision != current_revision {
        return Waiting(format!(
            "waiting for statefulset rolling update to complete {updated} pods at revision {update_revision}..."
        ));
    }
    Done(format!(
        "statefulset rolling update complete {} pods at revision {current_revision}...",
        status.current_replicas.unwrap_or(0)
    ))
}

/// The partition a strategy's `rollingUpdate` states, if any.
fn rolling_partition(strategy: Option<&crate::api::StatefulSetUpdateStrategy>) -> Option<i32> {
    strategy.and_then(|u| u.rolling_update.as_ref()).and_then(|r| r.partition)
}
