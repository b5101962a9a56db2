//! Object metadata (`metav1.ObjectMeta`), owner references and `Time`.
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/types.go,
//! staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/time.go
//!
//! Deviation: [`Time`] arithmetic saturates at chrono's range (its last
//! whole second) instead of overflowing, so absurd timestamps still give an
//! answer.

use std::fmt;

use chrono::{DateTime, SecondsFormat, SubsecRound, TimeZone, Utc};
use indexmap::IndexMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::wire::{Absent, wire_struct};

/// A point in time as the API server writes it: RFC 3339 in UTC, whole
/// seconds (`2024-05-01T12:00:00Z`).
///
/// Like upstream's `metav1.Time`, reading accepts any RFC 3339 offset and
/// drops sub-second precision; writing always uses `Z`. Every computation in
/// this crate takes its `now` as a `Time` argument: nothing reads a clock.
///
/// ```
/// use kube_workloads::api::Time;
/// let t: Time = "2024-05-01T14:00:00+02:00".parse().unwrap();
/// assert_eq!(t.to_string(), "2024-05-01T12:00:00Z");
/// assert_eq!(t.add_seconds(30).to_string(), "2024-05-01T12:00:30Z");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub DateTime<Utc>);

/// A malformed timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid time {value:?}: expected RFC 3339 such as 2024-05-01T12:00:00Z")]
pub struct TimeError {
    /// The text that was given.
    pub value: String,
}

/// Go's zero time, `0001-01-01T00:00:00Z`, in Unix seconds.
pub(crate) const GO_ZERO_UNIX: i64 = -62_135_596_800;

impl Time {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const EPOCH: Time = Time(DateTime::UNIX_EPOCH);

    /// The time `secs` seconds after the Unix epoch (negative is before it).
    /// Values outside chrono's range saturate at its bounds, in whole
    /// seconds.
    pub fn from_unix(secs: i64) -> Time {
        match Utc.timestamp_opt(secs, 0).single() {
            Some(t) => Time(t),
            None if secs < 0 => Time::saturated_min(),
            None => Time::saturated_max(),
        }
    }

    /// chrono's first instant (whole seconds already).
    fn saturated_min() -> Time {
        Time(DateTime::<Utc>::MIN_UTC)
    }

    /// chrono's last whole second: `MAX_UTC` has a fractional second that
    /// `from_unix(t.unix())` would drop, putting the bound after every
    /// whole-second time derived from it (a kubelet timeout computed from
    /// a saturated `now` came out before `now`).
    fn saturated_max() -> Time {
        Time(DateTime::<Utc>::MAX_UTC.trunc_subsecs(0))
    }

    /// Whether this is Go's zero time, `0001-01-01T00:00:00Z`, which
    /// upstream's `IsZero` treats as unset.
    pub fn is_go_zero(&self) -> bool {
        self.0.timestamp() == GO_ZERO_UNIX && self.0.timestamp_subsec_nanos() == 0
    }

    /// Seconds since the Unix epoch.
    pub fn unix(&self) -> i64 {
        self.0.timestamp()
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> i64 {
        self.0.timestamp_millis()
    }

    /// This time plus `secs` seconds, saturating at the ends of the
    /// representable range rather than overflowing.
    pub fn add_seconds(&self, secs: i64) -> Time {
        self.add_millis(secs.saturating_mul(1000))
    }

    /// This time plus `millis` milliseconds, saturating.
    pub fn add_millis(&self, millis: i64) -> Time {
        match chrono::TimeDelta::try_milliseconds(millis).and_then(|d| self.0.checked_add_signed(d)) {
            Some(t) => Time(t),
            None if millis < 0 => Time::saturated_min(),
            None => Time::saturated_max().max(*self),
        }
    }

    /// Whole seconds from `earlier` to `self` (negative if `earlier` is later).
    pub fn seconds_since(&self, earlier: Time) -> i64 {
        self.0.signed_duration_since(earlier.0).num_seconds()
    }

    /// Milliseconds from `earlier` to `self`.
    pub fn millis_since(&self, earlier: Time) -> i64 {
        self.0.signed_duration_since(earlier.0).num_milliseconds()
    }

    /// The time from `self` to `later`, to the nanosecond (as Go's
    /// `later.Sub(self)`); zero when `later` is not after `self`. What a
    /// requeue waits for: cut to whole milliseconds it would wake before
    /// the instant and find nothing changed.
    ///
    /// ```
    /// use kube_workloads::api::Time;
    /// use std::time::Duration;
    ///
    /// // A caller's clock 0.4 ms past 00:00:03 (API times keep whole seconds).
    /// let now = Time(chrono::DateTime::from_timestamp(1_704_067_203, 400_000).unwrap());
    /// let at: Time = "2024-01-01T00:00:10Z".parse().unwrap();
    /// assert_eq!(now.duration_until(at), Duration::from_nanos(6_999_600_000));
    /// assert_eq!(at.duration_until(now), Duration::ZERO);
    /// ```
    pub fn duration_until(&self, later: Time) -> std::time::Duration {
        later.0.signed_duration_since(self.0).to_std().unwrap_or(std::time::Duration::ZERO)
    }
}

impl std::str::FromStr for Time {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| {
                let utc = t.with_timezone(&Utc);
                // metav1.Time keeps whole seconds only.
                Time::from_unix(utc.timestamp())
            })
            .map_err(|_| TimeError { value: s.to_owned() })
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
}

impl From<DateTime<Utc>> for Time {
    fn from(t: DateTime<Utc>) -> Self {
        Time::from_unix(t.timestamp())
    }
}

impl Absent for Time {
    fn absent(&self) -> bool {
        false
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let key = super::wire::Key::deserialize(deserializer)?;
        key.0.parse().map_err(serde::de::Error::custom)
    }
}

/// Labels or annotations: string keys to string values, in document order.
pub type StringMap = IndexMap<String, String>;

wire_struct! {
    /// Metadata every persisted object has (`metav1.ObjectMeta`).
    ///
    /// `managedFields` and other server bookkeeping this crate does not reason
    /// about are kept in `other`.
    pub struct ObjectMeta {
        /// Unique name within the namespace.
        name: Option<String> = "name",
        /// Prefix the server completes with a random suffix when `name` is empty.
        generate_name: Option<String> = "generateName",
        /// The namespace; `None` means the client's default.
        namespace: Option<String> = "namespace",
        /// Unique identity assigned by the server.
        uid: Option<String> = "uid",
        /// Opaque version for optimistic concurrency.
        resource_version: Option<String> = "resourceVersion",
        /// Sequence number of the desired state, bumped on spec changes.
        generation: Option<i64> = "generation",
        /// When the object was created.
        creation_timestamp: Option<Time> = "creationTimestamp",
        /// When graceful deletion was requested; the object is terminating.
        deletion_timestamp: Option<Time> = "deletionTimestamp",
        /// Grace period granted at deletion.
        deletion_grace_period_seconds: Option<i64> = "deletionGracePeriodSeconds",
        /// Identifying labels, in document order.
        labels: Option<StringMap> = "labels",
        /// Non-identifying annotations, in document order.
        annotations: Option<StringMap> = "annotations",
        /// Objects this one depends on; at most one is the managing controller.
        owner_references: Option<Vec<OwnerReference>> = "ownerReferences",
        /// Finalizers that must be removed before the object is deleted.
        finalizers: Option<Vec<String>> = "finalizers",
    }
}

wire_struct! {
    /// A reference from a dependent to its owner (`metav1.OwnerReference`).
    pub struct OwnerReference {
        /// API version of the owner.
        api_version: String = "apiVersion",
        /// Kind of the owner.
        kind: String = "kind",
        /// Name of the owner.
        name: String = "name",
        /// UID of the owner.
        uid: String = "uid",
        /// True when the owner is the managing controller.
        controller: Option<bool> = "controller",
        /// True when the owner cannot be deleted before this dependent.
        block_owner_deletion: Option<bool> = "blockOwnerDeletion",
    }
}

static EMPTY_MAP: std::sync::LazyLock<StringMap> = std::sync::LazyLock::new(StringMap::new);

/// Looks `key` up in a label or annotation map. Such maps are small, and up
/// to eight entries a scan that compares lengths before bytes beats hashing
/// the key (SipHash) for every lookup a controller makes per pod.
pub(crate) fn string_map_get<'m, S: std::hash::BuildHasher>(
    map: &'m IndexMap<String, String, S>,
    key: &str,
) -> Option<&'m str> {
    if map.len() <= 8 {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v.as_str())
    } else {
        map.get(key).map(String::as_str)
    }
}

impl ObjectMeta {
    /// The labels, or an empty map when there are none.
    pub fn labels(&self) -> &StringMap {
        self.labels.as_ref().unwrap_or(&EMPTY_MAP)
    }

    /// The annotations, or an empty map when there are none.
    pub fn annotations(&self) -> &StringMap {
        self.annotations.as_ref().unwrap_or(&EMPTY_MAP)
    }

    /// One label's value.
    pub fn label(&self, key: &str) -> Option<&str> {
        string_map_get(self.labels.as_ref()?, key)
    }

    /// One annotation's value.
    pub fn annotation(&self, key: &str) -> Option<&str> {
        string_map_get(self.annotations.as_ref()?, key)
    }

    /// The name, or `""` when unset.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or("")
    }

    /// The namespace, or `""` when unset.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }

    /// The UID, or `""` when unset.
    pub fn uid(&self) -> &str {
        self.uid.as_deref().unwrap_or("")
    }

    /// The owner references, or an empty slice.
    pub fn owner_references(&self) -> &[OwnerReference] {
        self.owner_references.as_deref().unwrap_or(&[])
    }

    /// The managing controller's reference (`metav1.GetControllerOf`).
    pub fn controller_ref(&self) -> Option<&OwnerReference> {
        self.owner_references().iter().find(|r| r.controller == Some(true))
    }

    /// True when graceful deletion has been requested.
    pub fn is_terminating(&self) -> bool {
        self.deletion_timestamp.is_some()
    }

    /// Sets one label, creating the map if needed.
    pub fn set_label(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.labels.get_or_insert_with(StringMap::new).insert(key.into(), value.into());
    }

    /// Sets one annotation, creating the map if needed.
    pub fn set_annotation(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.annotations.get_or_insert_with(StringMap::new).insert(key.into(), value.into());
    }
}

wire_struct! {
    /// A label query over a set of objects (`metav1.LabelSelector`).
    ///
    /// Matching and the string grammar live in [`crate::selector`].
    pub struct LabelSelector {
        /// Labels that must be present with exactly these values (ANDed).
        match_labels: Option<StringMap> = "matchLabels",
        /// Set-based requirements (ANDed with each other and `matchLabels`).
        match_expressions: Option<Vec<LabelSelectorRequirement>> = "matchExpressions",
    }
}

wire_struct! {
    /// One set-based requirement of a [`LabelSelector`].
    pub struct LabelSelectorRequirement {
        /// The label key.
        key: String = "key",
        /// How the key relates to the values.
        operator: LabelSelectorOperator = "operator",
        /// The values; empty for Exists and DoesNotExist.
        values: Option<Vec<String>> = "values",
    }
}

impl LabelSelectorRequirement {
    /// The operator as the API server reads it. A missing or null
    /// `operator` is Go's empty string, which is no operator
    /// (`Other("")`: `LabelSelectorAsSelector` refuses it, validation
    /// rejects it), not the first variant the Rust field holds then.
    pub fn operator_as_read(&self) -> std::borrow::Cow<'_, LabelSelectorOperator> {
        super::wire::enum_as_read(self.is_unset_on_wire("operator"), &self.operator)
    }
}

super::wire::wire_enum! {
    /// Operator of a [`LabelSelectorRequirement`].
    pub enum LabelSelectorOperator {
        /// The label's value is one of `values`.
        In = "In",
        /// The label is absent or its value is not in `values`.
        NotIn = "NotIn",
        /// The label is present.
        Exists = "Exists",
        /// The label is absent.
        DoesNotExist = "DoesNotExist",
    }
}

wire_struct! {
    /// A condition as most workload statuses carry it (type, status, reason,
    /// message, transition times). Used by Deployment, ReplicaSet,
    /// StatefulSet, DaemonSet, ReplicationController and Job conditions.
    pub struct Condition {
        /// The condition type (`Available`, `Progressing`, `Complete`...).
        type_: String = "type",
        /// `True`, `False` or `Unknown`.
        status: ConditionStatus = "status",
        /// The last time the condition was probed (Job and Deployment use it).
        last_probe_time: Option<Time> = "lastProbeTime",
        /// The last time the condition was updated (Deployment).
        last_update_time: Option<Time> = "lastUpdateTime",
        /// The last time the status changed.
        last_transition_time: Option<Time> = "lastTransitionTime",
        /// A machine-readable CamelCase reason.
        reason: Option<String> = "reason",
        /// A human-readable message.
        message: Option<String> = "message",
        /// The generation the condition was set for (metav1.Condition).
        observed_generation: Option<i64> = "observedGeneration",
    }
}

super::wire::wire_enum! {
    /// The status of a condition.
    pub enum ConditionStatus {
        /// The condition holds.
        True = "True",
        /// The condition does not hold.
        False = "False",
        /// It is not known whether the condition holds.
        Unknown = "Unknown",
    }
}
