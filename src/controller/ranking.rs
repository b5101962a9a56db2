//! Which pod goes first: the orders controllers use to pick pods to delete.
//!
//! upstream: pkg/controller/controller_utils.go: ActivePods.Less,
//! ActivePodsWithRanks.Less, podReadyTime, maxContainerRestarts,
//! logarithmicRankDiff, afterOrZero; pkg/apis/core/helper/helpers.go:
//! GetDeletionCostFromPodAnnotations
//!
//! Both orders are "pod `a` should be deleted before pod `b`". Sorting uses a
//! stable sort over input ordered by name, then UID, so ties upstream leaves
//! to Go's unstable sort fall to name order (DECISIONS G2).
//! `LogarithmicScaleDown` is GA and locked on since 1.31, so the ranked order
//! always uses log2 buckets.
//!
//! Deviation: upstream's ranked comparator can cycle (ready times in one
//! log2 bucket are decided by UID, equal ones by restarts), so upstream's
//! victims depend on the order its informer listed the pods. Here the part
//! of the comparison that cannot cycle (rules 1-5 and the ready time's
//! bucket) decides first, and within the one class where the cut falls the
//! candidates are visited by name, then UID, which makes the choice a
//! function of the set of pods (DECISIONS G2). Wherever upstream's order is
//! a true order, the victims are exactly its first `n`.

use std::cmp::Ordering;

use crate::FeatureGates;
use crate::api::{Condition, Pod, PodPhase, Time};
use crate::pod::ready_true_condition;

use super::{POD_DELETION_COST_ANNOTATION, common_prefix_len, prefix_after, sort_by_prefix, string_prefix};

/// The pod's node name, `""` when it is not assigned one.
pub(crate) fn node_name(pod: &Pod) -> &str {
    pod.spec.as_ref().and_then(|s| s.node_name.as_deref()).unwrap_or("")
}

/// Pending 0, Unknown 1, Running 2; anything else 0 (upstream's
/// `podPhaseToOrdinal`).
fn phase_ordinal(pod: &Pod) -> u8 {
    match pod.status.as_ref().and_then(|s| s.phase.as_ref()) {
        Some(PodPhase::Unknown) => 1,
        Some(PodPhase::Running) => 2,
        _ => 0,
    }
}

fn is_ready(pod: &Pod) -> bool {
    crate::pod::is_pod_ready(pod)
}

/// The time the pod became ready, or `None` (Go's zero time) when it is not
/// ready or the condition has no transition time (upstream: `podReadyTime`).
fn ready_time(pod: &Pod) -> Option<Time> {
    ready_true_condition(pod).and_then(|c| c.last_transition_time).filter(|t| !t.is_go_zero())
}

/// (max restarts of regular containers, max restarts of sidecars)
/// (upstream: `maxContainerRestarts`). Both start from 0, as upstream's
/// do: a negative count (possible only in an unvalidated status) ranks as 0.
fn max_restarts(pod: &Pod) -> (i32, i32) {
    let Some(status) = pod.status.as_ref() else {
        return (0, 0);
    };
    let regular = status.container_statuses().iter().map(|c| c.restart_count).fold(0, i32::max);
    let init = status.init_container_statuses();
    if init.is_empty() {
        return (regular, 0);
    }
    let is_sidecar = |name: &str| pod.spec.as_ref().is_some_and(|s| s.sidecars().any(|c| c.name == name));
    let sidecar = init.iter().filter(|c| is_sidecar(&c.name)).map(|c| c.restart_count).fold(0, i32::max);
    (regular, sidecar)
}

/// More restarts first: regular containers, then sidecars.
fn compare_restarts(a: &Pod, b: &Pod) -> Ordering {
    let (ra, sa) = max_restarts(a);
    let (rb, sb) = max_restarts(b);
    rb.cmp(&ra).then(sb.cmp(&sa))
}

/// A pod's deletion cost: the annotation as an int32, 0 when missing or
/// invalid (upstream: `GetDeletionCostFromPodAnnotations`; the value must
/// start with `-` or 1-9, or be exactly `0`).
pub fn deletion_cost(pod: &Pod) -> i32 {
    // Most pods have no annotations: no lookup call for them.
    if pod.metadata.annotations.is_none() {
        return 0;
    }
    let Some(v) = pod.metadata.annotation(POD_DELETION_COST_ANNOTATION) else {
        return 0;
    };
    let valid_start =
        v == "0" || v.starts_with('-') || v.as_bytes().first().is_some_and(|b| (b'1'..=b'9').contains(b));
    if !valid_start {
        return 0;
    }
    v.parse::<i32>().unwrap_or(0)
}

/// Go's `int64(math.Log2(float64(ns)))` for a positive `ns`, the bucket of
/// upstream's `logarithmicRankDiff`: floor(log2(ns)), except that Go's
/// float arithmetic rounds a value just below a power of two up to it
/// (`2^50 - 1` ns, about 13 days, is bucket 50, not 49). Only a gap under
/// `2^(b-45)` below the next power `2^b` can round (Log2's result near `b`
/// is exact to half an ulp, 2^-48 for `b` below 64, and `float64(ns)`
/// rounds only gaps under `2^(b-53)`), so every other `ns` stays integer.
#[inline]
fn go_log2(ns: i64) -> i32 {
    let Some(floor) = ns.checked_ilog2() else {
        return -1;
    };
    let floor_i32 = i32::try_from(floor).unwrap_or(i32::MAX);
    // Below 2^46 ns (about 20 hours) no gap is small enough to round.
    if ns < 1 << 46 {
        return floor_i32;
    }
    // A positive i64 is below 2^63: the next power fits a u64.
    let next = 1u64 << floor.saturating_add(1).min(63);
    if next.saturating_sub(ns.unsigned_abs()) > next >> 46 {
        return floor_i32;
    }
    go_log2_float(ns)
}

/// [`go_log2`] near a power of two, computed as Go does.
#[cold]
fn go_log2_float(ns: i64) -> i32 {
    // upstream: math.Log2: frexp, then exp - 1 for an exact power of two,
    // else Log(frac) * (1/Ln2) + exp; int64 truncates.
    // float64(d): to the nearest, ties to even, as Go rounds it.
    let x = ns as f64;
    let bits = x.to_bits();
    let exp = i32::try_from((bits >> 52) & 0x7ff).unwrap_or(0).saturating_sub(1022);
    let frac = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    if frac == 0.5 {
        return exp.saturating_sub(1);
    }
    let log2 = frac.ln() * std::f64::consts::LOG2_E + f64::from(exp);
    // int64(): toward zero, of a value in (45, 64].
    log2 as i32
}

/// [`go_log2`] of `now - t` in nanoseconds, or -1 when that is not
/// positive (upstream: the bucket of `logarithmicRankDiff`).
fn log_bucket(t: Time, now: Time) -> i32 {
    // Go's Time.Sub saturates: a difference beyond i64 nanoseconds is
    // i64::MAX or i64::MIN by its sign.
    let delta = now.0.signed_duration_since(t.0);
    let ns = delta.num_nanoseconds().unwrap_or(if delta < chrono::TimeDelta::zero() {
        i64::MIN
    } else {
        i64::MAX
    });
    go_log2(ns)
}

/// Upstream's `ActivePods.Less` as an ordering: `Less` when `a` should be
/// deleted before `b`. Used by controllers that do not rank (Job, ...).
pub fn compare_active_pods(a: &Pod, b: &Pod) -> Ordering {
    // 1. Unassigned before assigned.
    let (na, nb) = (node_name(a).is_empty(), node_name(b).is_empty());
    if na != nb {
        return nb.cmp(&na);
    }
    // 2. Pending < Unknown < Running.
    let phase = phase_ordinal(a).cmp(&phase_ordinal(b));
    if phase != Ordering::Equal {
        return phase;
    }
    // 3. Not ready before ready.
    let (ra, rb) = (is_ready(a), is_ready(b));
    if ra != rb {
        return ra.cmp(&rb);
    }
    // 4. Both ready: more recently ready first (zero first).
    if ra {
        let (ta, tb) = (time_key(ready_time(a)), time_key(ready_time(b)));
        if ta != tb {
            return after_or_zero(ta, tb);
        }
    }
    // 5. More restarts first.
    let restarts = compare_restarts(a, b);
    if restarts != Ordering::Equal {
        return restarts;
    }
    // 6. Newer (or zero) creation time first.
    let (ca, cb) = (time_key(a.metadata.creation_timestamp), time_key(b.metadata.creation_timestamp));
    if ca != cb {
        return after_or_zero(ca, cb);
    }
    Ordering::Equal
}

/// Go's zero time (`None`) as a [`time_key`]: below every real time.
const ZERO_TIME: i128 = i128::MIN;

/// A time split once into its Unix seconds and nanoseconds (chrono keeps a
/// leap second as nanoseconds of 10^9 or more). Splitting is most of what
/// a time costs a ranking, so each time is split once: its [`time_key`]
/// and its log2 bucket both come from the parts.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TimeParts {
    time: Time,
    secs: i64,
    nanos: u32,
}

impl TimeParts {
    pub(crate) fn new(time: Time) -> TimeParts {
        TimeParts { time, secs: time.0.timestamp(), nanos: time.0.timestamp_subsec_nanos() }
    }

    /// Whether this is Go's zero time, which upstream's comparators treat
    /// as unset (`IsZero`).
    fn is_go_zero(self) -> bool {
        self.secs == crate::api::meta::GO_ZERO_UNIX && self.nanos == 0
    }

    /// The integer that orders and compares as the time does: the seconds,
    /// then the nanoseconds (a leap second's nanoseconds stay in order).
    fn key(self) -> i128 {
        (i128::from(self.secs) << 32) | i128::from(self.nanos)
    }
}

/// A time as [`TimeParts::key`]; `None`, and Go's zero time written out
/// (`IsZero`), are [`ZERO_TIME`].
fn time_key(t: Option<Time>) -> i128 {
    t.map(TimeParts::new).filter(|p| !p.is_go_zero()).map_or(ZERO_TIME, TimeParts::key)
}

/// [`log_bucket`] over times already split, without chrono's duration
/// arithmetic in the common case (no leap second on either side).
#[inline]
fn log_bucket_parts(t: TimeParts, now: TimeParts) -> i32 {
    const NANOS: u32 = 1_000_000_000;
    if t.nanos >= NANOS || now.nanos >= NANOS {
        return log_bucket(t.time, now.time);
    }
    // In i64 nanoseconds, as Go's Time.Sub, which saturates beyond them:
    // the sign is the seconds' (the nanoseconds differ by under one).
    let ns = now
        .secs
        .checked_sub(t.secs)
        .and_then(|secs| secs.checked_mul(1_000_000_000))
        .and_then(|ns| ns.checked_add(i64::from(now.nanos).saturating_sub(i64::from(t.nanos))))
        .unwrap_or(if now.secs > t.secs { i64::MAX } else { i64::MIN });
    // The bucket of a positive difference; -1 otherwise.
    go_log2(ns)
}

/// What the ranked comparison reads from one pod, computed once (with the
/// log2 buckets for one `now`), as integers.
#[derive(Clone, Copy, Debug)]
pub struct RankKey<'a> {
    pod: &'a Pod,
    /// Rules 1-5 packed into one integer, smaller first: assigned (1 bit),
    /// phase (2 bits), ready (1 bit), cost + 2^31 (32 bits), and
    /// `2^28 - 1 - rank` (28 bits).
    prefix: u64,
    /// The first 16 bytes of the UID, big-endian and zero-padded: orders
    /// two UIDs as the strings do whenever it differs, so the UID
    /// tie-break (hit for every pair in one time bucket) is an integer
    /// comparison; equal prefixes fall back to the strings.
    uid_prefix: u128,
    /// The name's integer prefix for the by-name visit, taken after the
    /// prefix every name shares (set by `by_name`, or up front by
    /// `set_name_hint`).
    name_prefix: u128,
    /// Whether `name_prefix` was taken after a hinted shared prefix.
    name_hinted: bool,
    /// [`time_key`] of the ready time (zero when not ready).
    ready_time: i128,
    /// [`time_key`] of the creation time.
    created: i128,
    restarts: (i32, i32),
    ready_bucket: i32,
    created_bucket: i32,
    ready: bool,
    /// Whether buckets apply (a `now` was given: upstream's non-zero `Now`).
    bucketed: bool,
}

impl<'a> RankKey<'a> {
    /// The key of `pod` with co-location rank `rank`, compared at `now`
    /// (`None` plays Go's zero time: no buckets).
    pub fn new(pod: &'a Pod, rank: usize, now: Option<Time>, gates: &FeatureGates) -> RankKey<'a> {
        let now = now.map(TimeParts::new);
        let candidate =
            Candidate::new(pod, node_name(pod), ready_true_condition(pod), now, gates).with_rank(rank);
        // One key: every field at once ([`push_keys`] fills a batch field by
        // field).
        let mut key = RankKey::resident(&candidate, now);
        key.uid_prefix = string_prefix(pod.metadata.uid());
        key.restarts = max_restarts(pod);
        key
    }

    /// The key of `candidate` without the fields behind further pointers
    /// (the UID's bytes, the container statuses), which [`push_keys`] fills
    /// one field at a time over a batch. Rules 1-5 and the ready time's
    /// bucket are the candidate's, as it computed them.
    fn resident(candidate: &Candidate<'a>, now: Option<TimeParts>) -> RankKey<'a> {
        let pod = candidate.pod;
        // Go's zero time written out counts as unset, as upstream's IsZero.
        let set = |p: &TimeParts| !p.is_go_zero();
        let ready_time =
            candidate.ready_true.and_then(|c| c.last_transition_time).map(TimeParts::new).filter(set);
        let created = pod.metadata.creation_timestamp.map(TimeParts::new).filter(set);
        let created_bucket = match (created, now) {
            (Some(t), Some(now)) => log_bucket_parts(t, now),
            _ => 0,
        };
        RankKey {
            pod,
            prefix: candidate.prefix,
            uid_prefix: 0,
            name_prefix: 0,
            name_hinted: false,
            ready_time: ready_time.map_or(ZERO_TIME, TimeParts::key),
            created: created.map_or(ZERO_TIME, TimeParts::key),
            restarts: (0, 0),
            ready_bucket: candidate.ready_bucket(),
            created_bucket,
            ready: candidate.ready_true.is_some(),
            bucketed: now.is_some(),
        }
    }

    /// The pod.
    pub fn pod(&self) -> &'a Pod {
        self.pod
    }

    /// Takes the name's integer prefix after `hint` when the name starts
    /// with it (a controller's pods are named `<owner>-<suffix>`), while the
    /// name is at hand: when every key has one, the by-name sort need not
    /// read the names again.
    pub(crate) fn set_name_hint(&mut self, hint: &str) {
        if let Some(rest) = self.pod.metadata.name().strip_prefix(hint) {
            self.name_prefix = string_prefix(rest);
            self.name_hinted = true;
        }
    }
}

/// Rules 1-4 packed into the high 36 bits of [`RankKey`]'s prefix:
/// assigned (1 bit), phase (2 bits), ready (1 bit), cost + 2^31 (32 bits);
/// the rank's 28 bits are left zero.
fn rules_prefix(pod: &Pod, assigned: bool, ready: bool, gates: &FeatureGates) -> u64 {
    let phase = phase_ordinal(pod);
    let cost = if gates.pod_deletion_cost { deletion_cost(pod) } else { 0 };
    let biased_cost = u64::try_from(i64::from(cost).saturating_add(1 << 31)).unwrap_or(0);
    (u64::from(assigned) << 63)
        | (u64::from(phase & 3) << 61)
        | (u64::from(ready) << 60)
        | ((biased_cost & 0xFFFF_FFFF) << 28)
}

/// The largest co-location rank the packed prefix tells apart.
const RANK_MAX: u64 = (1 << 28) - 1;

/// The prefix's low 28 bits: `RANK_MAX - rank`, so a higher rank sorts
/// first.
fn rank_field(rank: usize) -> u64 {
    RANK_MAX.saturating_sub(u64::try_from(rank).unwrap_or(u64::MAX).min(RANK_MAX))
}

/// Go's zero time ([`ZERO_TIME`]) first, otherwise the later first, over
/// [`time_key`]s (upstream: `afterOrZero`). `Less` when `a` goes first.
fn after_or_zero(a: i128, b: i128) -> Ordering {
    match (a == ZERO_TIME, b == ZERO_TIME) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => b.cmp(&a),
    }
}

/// The log-bucket comparison of two different times (zero first when either
/// is zero or there is no `now`; otherwise smaller bucket first, equal
/// buckets decided by UID, which ends the comparison).
fn time_rank(a: &RankKey<'_>, b: &RankKey<'_>, ta: i128, tb: i128, ba: i32, bb: i32) -> Ordering {
    if ta != ZERO_TIME && tb != ZERO_TIME && a.bucketed && b.bucketed {
        if ba == bb {
            a.uid_prefix.cmp(&b.uid_prefix).then_with(|| a.pod.metadata.uid().cmp(b.pod.metadata.uid()))
        } else {
            ba.cmp(&bb)
        }
    } else {
        after_or_zero(ta, tb)
    }
}

/// Upstream's `ActivePodsWithRanks.Less` over two keys: `Less` when `a`
/// should be deleted before `b`.
pub fn compare_keys(a: &RankKey<'_>, b: &RankKey<'_>) -> Ordering {
    // Rules 1-5 at once; the packed prefix orders exactly like them:
    // 1. unassigned before assigned; 2. Pending < Unknown < Running;
    // 3. not ready before ready; 4. lower deletion cost first (zero when the
    // gate is off); 5. higher co-location rank first.
    if a.prefix != b.prefix {
        return a.prefix.cmp(&b.prefix);
    }
    // 6. Both ready: ready time, in log2 buckets; equal buckets end with UID.
    if a.ready && a.ready_time != b.ready_time {
        return time_rank(a, b, a.ready_time, b.ready_time, a.ready_bucket, b.ready_bucket);
    }
    // 7. More restarts first: regular containers, then sidecars.
    if a.restarts != b.restarts {
        return b.restarts.0.cmp(&a.restarts.0).then(b.restarts.1.cmp(&a.restarts.1));
    }
    // 8. Creation time, in log2 buckets; equal buckets end with UID.
    if a.created != b.created {
        return time_rank(a, b, a.created, b.created, a.created_bucket, b.created_bucket);
    }
    Ordering::Equal
}

/// Upstream's `ActivePodsWithRanks.Less` as an ordering: `Less` when `a`
/// (with co-location rank `rank_a`) should be deleted before `b`.
///
/// `now` of `None` plays Go's zero `Now`: ready and creation times then
/// compare without buckets.
pub fn compare_ranked(
    a: &Pod,
    rank_a: usize,
    b: &Pod,
    rank_b: usize,
    now: Option<Time>,
    gates: &FeatureGates,
) -> Ordering {
    compare_keys(&RankKey::new(a, rank_a, now, gates), &RankKey::new(b, rank_b, now, gates))
}

/// [`compare_keys`], then name, then UID: the total order victims are picked
/// in (DECISIONS G2).
fn compare_keys_total(a: &RankKey<'_>, b: &RankKey<'_>) -> Ordering {
    compare_keys(a, b).then_with(|| {
        (a.pod.metadata.name(), a.pod.metadata.uid()).cmp(&(b.pod.metadata.name(), b.pod.metadata.uid()))
    })
}

/// The first `n` victims of `candidates` in ranked order, first victim first
/// (upstream: `getPodsToDelete` sorting `ActivePodsWithRanks` and taking a
/// prefix). Never panics, even though upstream's comparator is not a strict
/// total order in every corner.
///
/// That corner: two ready times that differ but share a log2 bucket are
/// decided by UID, while equal ready times fall through to restarts and
/// creation time, so three pods can rank in a cycle, and a sort's outcome
/// then depends on the order it met the pods in. The choice here is a
/// function of the set of pods (DECISIONS G2), in two steps:
///
/// 1. Each pod's class is the part of the comparison that is
///    transitive: rules 1-5 and the ready time's bucket. A pod of a lower
///    class goes before one of a higher class, so the `n` victims are every
///    pod below the class of the `n`-th, and some of that class.
/// 2. Within that boundary class, the pods are visited by name, then UID,
///    and one pass keeps the best in a max-heap (the worst kept victim on
///    top).
///
/// The victims are then sorted, from an order by name. Only the victims and
/// the boundary class need whole keys (the UID, restarts and name behind
/// further pointers): choosing 500 among 100,000 pods whose ready times
/// spread over hours reads those of about a thousand.
pub fn select_victims<'a>(
    candidates: impl IntoIterator<Item = (&'a Pod, usize)>,
    n: usize,
    now: Time,
    gates: &FeatureGates,
) -> Vec<&'a Pod> {
    let now = Some(TimeParts::new(now));
    let candidates: Vec<Candidate<'a>> = candidates
        .into_iter()
        .map(|(pod, rank)| {
            Candidate::new(pod, node_name(pod), ready_true_condition(pod), now, gates).with_rank(rank)
        })
        .collect();
    select_candidates(&candidates, n, now, None).ranked
}

/// A pod waiting to be ranked, reduced to what places it among classes
/// (see [`select_victims`]); its whole [`RankKey`] is made only if it turns
/// out a victim or in the boundary class.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Candidate<'a> {
    pod: &'a Pod,
    /// The `Ready` condition when it is `True`.
    ready_true: Option<&'a Condition>,
    /// [`rules_prefix`] with the rank's bits set by [`Candidate::with_rank`].
    prefix: u64,
    /// The ready time's place in rule 6: 0 for a pod that is not ready or
    /// has Go's zero ready time (zero goes first), otherwise 1 plus its log2
    /// bucket plus one (every non-zero time is 1 without a `now`).
    ready_class: u8,
    /// A slot for the caller (the ReplicaSet keeps the pod's node index
    /// here); it fits in the padding.
    pub(crate) tag: u32,
}

impl<'a> Candidate<'a> {
    /// The candidate `pod`, on node `node` (`""` when unassigned) and with
    /// its `Ready` condition when `True`, ranked at `now` (`None` plays Go's
    /// zero time: no buckets), rank 0.
    #[inline]
    pub(crate) fn new(
        pod: &'a Pod,
        node: &str,
        ready_true: Option<&'a Condition>,
        now: Option<TimeParts>,
        gates: &FeatureGates,
    ) -> Candidate<'a> {
        // Go's zero time written out counts as unset (upstream: IsZero).
        let ready_at =
            ready_true.and_then(|c| c.last_transition_time).map(TimeParts::new).filter(|p| !p.is_go_zero());
        let ready_class = match (ready_at, now) {
            (None, _) => 0,
            (Some(_), None) => 1,
            // A bucket is -1 to 62: 1 to 64 here.
            (Some(t), Some(now)) => {
                u8::try_from(log_bucket_parts(t, now).saturating_add(2)).unwrap_or(u8::MAX)
            }
        };
        Candidate {
            pod,
            ready_true,
            prefix: rules_prefix(pod, !node.is_empty(), ready_true.is_some(), gates) | rank_field(0),
            ready_class,
            tag: 0,
        }
    }

    /// The candidate with co-location rank `rank`.
    pub(crate) fn with_rank(mut self, rank: usize) -> Candidate<'a> {
        self.prefix = (self.prefix & !RANK_MAX) | rank_field(rank);
        self
    }

    /// The rank as the prefix keeps it (at most [`RANK_MAX`]).
    #[cfg(test)]
    fn rank(&self) -> usize {
        usize::try_from(RANK_MAX.saturating_sub(self.prefix & RANK_MAX)).unwrap_or(usize::MAX)
    }

    /// The ready time's log2 bucket as `ready_class` holds it. It means
    /// something only for a non-zero ready time ranked with a `now`, the one
    /// case a comparison reads it; 0 for a pod without a ready time, -1 for
    /// one ranked without a `now` (never read).
    fn ready_bucket(&self) -> i32 {
        if self.ready_class == 0 { 0 } else { i32::from(self.ready_class).saturating_sub(2) }
    }

    /// The candidate's class: when two candidates' classes differ,
    /// [`compare_keys`] orders their keys as the classes are ordered.
    ///
    /// Why: different prefixes decide rules 1-5 at once. With equal
    /// prefixes, both pods are ready or neither is; if neither, both
    /// classes are 0. If both are, different classes mean different ready
    /// times, so rule 6 decides: a zero time (class 0) goes first, and two
    /// non-zero times in different buckets go by bucket. Pods whose
    /// comparison can cycle therefore always share a class.
    pub(crate) fn class(&self) -> u128 {
        (u128::from(self.prefix) << 8) | u128::from(self.ready_class)
    }
}

/// [`select_victims`] over candidates already made, their ranks set, in
/// the order the pods were listed; `name_hint` is the start every
/// candidate's name is likely to share (`<owner>-`), taken while the name
/// is read. `now` must be the one the candidates were made with (the class
/// claim rests on both using buckets, or neither).
///
/// The candidates keep their order throughout: an API list comes in name
/// order, and so then do the victims and the boundary class, whose by-name
/// visits are then a check rather than a sort.
pub(crate) fn select_candidates<'a>(
    candidates: &[Candidate<'a>],
    n: usize,
    now: Option<TimeParts>,
    name_hint: Option<&str>,
) -> Victims<'a> {
    if n == 0 || candidates.is_empty() {
        return Victims::default();
    }
    if n >= candidates.len() {
        let mut keys = Vec::with_capacity(candidates.len());
        push_keys(&mut keys, candidates, now, name_hint);
        return in_victim_order(&mut keys);
    }
    // The class of the `n`-th victim, found on a copy of the classes.
    let mut classes: Vec<u128> = candidates.iter().map(Candidate::class).collect();
    let (_, cut, _) = classes.select_nth_unstable(n.saturating_sub(1));
    let cut = *cut;
    // Every candidate below the cut is a victim; the boundary class gives
    // the rest.
    let kept: Vec<Candidate<'a>> = candidates.iter().filter(|c| c.class() <= cut).copied().collect();
    let mut keys = Vec::with_capacity(kept.len());
    push_keys(&mut keys, &kept, now, name_hint);
    let boundary: Vec<usize> =
        (0..kept.len()).filter(|i| kept.get(*i).is_some_and(|c| c.class() == cut)).collect();
    let need = n.saturating_sub(kept.len().saturating_sub(boundary.len()));
    // The victims: every key below the cut, and the boundary's best.
    let mut victim: Vec<bool> = kept.iter().map(|c| c.class() < cut).collect();
    for i in best_by_name_visit(&mut keys, boundary, need) {
        if let Some(v) = victim.get_mut(i) {
            *v = true;
        }
    }
    let mut victim = victim.into_iter();
    keys.retain(|_| victim.next().unwrap_or(false));
    in_victim_order(&mut keys)
}

/// The pods chosen for deletion, in two orders.
#[derive(Debug, Default)]
pub(crate) struct Victims<'a> {
    /// First victim first.
    pub(crate) ranked: Vec<&'a Pod>,
    /// The same pods by name, then UID (the order the ranked one was sorted
    /// from; the ReplicaSet's expectation keys are kept in it).
    pub(crate) by_name: Vec<&'a Pod>,
}

/// The best `n` of the keys at `among` (indices into `keys`), visited by
/// name then UID with the worst kept one on top of a max-heap: their
/// indices, in heap order.
fn best_by_name_visit(keys: &mut [RankKey<'_>], among: Vec<usize>, n: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let ordered = by_name_indices(keys, among);
    let keys = &*keys;
    let worse = |a: usize, b: usize| match (keys.get(a), keys.get(b)) {
        (Some(a), Some(b)) => compare_keys_total(a, b) == Ordering::Greater,
        _ => false,
    };
    let mut heap: Vec<usize> = Vec::with_capacity(n.min(ordered.len()));
    for i in ordered {
        if heap.len() < n {
            heap.push(i);
            sift_up(&mut heap, &worse);
        } else if heap.first().is_some_and(|top| worse(*top, i)) {
            if let Some(top) = heap.first_mut() {
                *top = i;
            }
            sift_down(&mut heap, &worse);
        }
    }
    heap
}

/// The victims' pods, first victim first, sorted from an order by name
/// (handed back too).
fn in_victim_order<'a>(keys: &mut [RankKey<'a>]) -> Victims<'a> {
    let named = by_name(keys);
    let by_name: Vec<&'a Pod> = named.iter().map(|k| k.pod).collect();
    let ranked = merge_sort(named, &mut |a, b| compare_keys_total(a, b)).into_iter().map(|k| k.pod).collect();
    Victims { ranked, by_name }
}

/// One key per candidate, in input order.
fn rank_keys<'a>(
    candidates: impl IntoIterator<Item = (&'a Pod, usize)>,
    now: Time,
    gates: &FeatureGates,
) -> Vec<RankKey<'a>> {
    let now = Some(TimeParts::new(now));
    let mut keys = Vec::new();
    let mut pods: Vec<(&'a Pod, usize, Option<&'a Condition>)> = Vec::with_capacity(KEY_BATCH);
    let mut batch: Vec<Candidate<'a>> = Vec::with_capacity(KEY_BATCH);
    let mut candidates = candidates.into_iter().peekable();
    while candidates.peek().is_some() {
        pods.clear();
        pods.extend(candidates.by_ref().take(KEY_BATCH).map(|(pod, rank)| (pod, rank, None)));
        // The Ready conditions first, for the whole batch (see push_keys).
        for (pod, _, ready) in pods.iter_mut() {
            *ready = ready_true_condition(pod);
        }
        batch.clear();
        batch.extend(pods.iter().map(|(pod, rank, ready)| {
            Candidate::new(pod, node_name(pod), *ready, now, gates).with_rank(*rank)
        }));
        push_keys(&mut keys, &batch, now, None);
    }
    keys
}

/// How many pods [`rank_keys`] takes at a time.
const KEY_BATCH: usize = 8;

/// Appends the keys of `batch` (candidates made with `now`; any number),
/// reading one field behind a pointer at a time for the whole batch: the
/// UID's bytes, then the container statuses, then the name after
/// `name_hint`. Ranking many pods costs mostly cache misses on those
/// pointers; chasing the same pointer of several pods in a short loop lets
/// their misses overlap instead of waiting one after the other.
fn push_keys<'a>(
    keys: &mut Vec<RankKey<'a>>,
    batch: &[Candidate<'a>],
    now: Option<TimeParts>,
    name_hint: Option<&str>,
) {
    let start = keys.len();
    keys.extend(batch.iter().map(|c| RankKey::resident(c, now)));
    let new = keys.get_mut(start..).unwrap_or_default();
    for key in new.iter_mut() {
        key.uid_prefix = string_prefix(key.pod.metadata.uid());
    }
    for key in new.iter_mut() {
        key.restarts = max_restarts(key.pod);
    }
    if let Some(hint) = name_hint {
        for key in new.iter_mut() {
            key.set_name_hint(hint);
        }
    }
}

/// The keys by pod name, then UID (see [`by_name_indices`]).
fn by_name<'k, 'a>(keys: &'k mut [RankKey<'a>]) -> Vec<&'k RankKey<'a>> {
    let order = by_name_indices(keys, (0..keys.len()).collect());
    let keys = &*keys;
    order.into_iter().filter_map(|i| keys.get(i)).collect()
}

/// The indices `among` (into `keys`) in the order of their pods' names,
/// then UIDs. The sort compares 16-byte integer prefixes of the names
/// after the part every name shares (the owner's `<name>-`) and reads the
/// strings only on a tie; indices already in name order, as an API list
/// gives them, cost one pass.
fn by_name_indices(keys: &mut [RankKey<'_>], among: Vec<usize>) -> Vec<usize> {
    // Hinted prefixes all come after one shared prefix: they order the
    // names already.
    if !among.iter().all(|i| keys.get(*i).is_some_and(|k| k.name_hinted)) {
        let common =
            common_prefix_len(among.iter().filter_map(|i| keys.get(*i)).map(|k| k.pod.metadata.name()));
        for i in &among {
            if let Some(k) = keys.get_mut(*i) {
                k.name_prefix = prefix_after(k.pod.metadata.name(), common);
                // No longer after the hint: a later by-name order of some
                // of these keys with others must take its prefixes afresh.
                k.name_hinted = false;
            }
        }
    }
    let keys = &*keys;
    let full = |a: &usize, b: &usize| match (keys.get(*a), keys.get(*b)) {
        (Some(a), Some(b)) => {
            (a.pod.metadata.name(), a.pod.metadata.uid()).cmp(&(b.pod.metadata.name(), b.pod.metadata.uid()))
        }
        _ => Ordering::Equal,
    };
    let prefix = |i: &usize| keys.get(*i).map_or(0, |k| k.name_prefix);
    if among.is_sorted_by(|a, b| prefix(a).cmp(&prefix(b)).then_with(|| full(a, b)) != Ordering::Greater) {
        return among;
    }
    let mut keyed: Vec<(u128, usize)> = among.iter().map(|i| (prefix(i), *i)).collect();
    sort_by_prefix(&mut keyed, full);
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// Restores the max-heap order (`worse(a, b)`: `a` is the worse victim)
/// after a push (the last element moves up).
fn sift_up(heap: &mut [usize], worse: &impl Fn(usize, usize) -> bool) {
    let mut i = heap.len().saturating_sub(1);
    while i > 0 {
        let parent = i.saturating_sub(1) / 2;
        let swap = match (heap.get(i), heap.get(parent)) {
            (Some(c), Some(p)) => worse(*c, *p),
            _ => false,
        };
        if !swap {
            break;
        }
        heap.swap(i, parent);
        i = parent;
    }
}

/// Restores the max-heap order after the top was replaced.
fn sift_down(heap: &mut [usize], worse: &impl Fn(usize, usize) -> bool) {
    let mut i = 0usize;
    loop {
        let left = i.saturating_mul(2).saturating_add(1);
        let right = left.saturating_add(1);
        let mut largest = i;
        for child in [left, right] {
            if let (Some(c), Some(l)) = (heap.get(child), heap.get(largest))
                && worse(*c, *l)
            {
                largest = child;
            }
        }
        if largest == i {
            break;
        }
        heap.swap(i, largest);
        i = largest;
    }
}

/// Sorts pods (with their ranks) for deletion, first victim first, ties by
/// name then UID.
pub fn sort_for_deletion<'a>(pods: &[(&'a Pod, usize)], now: Time, gates: &FeatureGates) -> Vec<&'a Pod> {
    // By name first, as in select_victims: the comparator can cycle.
    let mut keys = rank_keys(pods.iter().copied(), now, gates);
    let ordered = by_name(&mut keys);
    merge_sort(ordered, &mut |a, b| compare_keys_total(a, b)).into_iter().map(|k| k.pod).collect()
}

/// Sorts pods by [`compare_active_pods`], first victim first, ties by name
/// then UID.
pub fn sort_active_pods<'a>(pods: &[&'a Pod]) -> Vec<&'a Pod> {
    merge_sort(pods.to_vec(), &mut |a: &&Pod, b: &&Pod| {
        compare_active_pods(a, b)
            .then_with(|| (a.metadata.name(), a.metadata.uid()).cmp(&(b.metadata.name(), b.metadata.uid())))
    })
}

/// A bottom-up stable merge sort that never panics, whatever the comparator
/// (the standard sorts may panic on a comparator that is not a total order).
pub(crate) fn merge_sort<T: Copy>(items: Vec<T>, cmp: &mut impl FnMut(&T, &T) -> Ordering) -> Vec<T> {
    let n = items.len();
    let mut src = items;
    let mut dst: Vec<T> = Vec::with_capacity(n);
    let mut width = 1usize;
    while width < n {
        dst.clear();
        for pair in src.chunks(width.saturating_mul(2)) {
            let (left, right) = pair.split_at_checked(width).unwrap_or((pair, &[]));
            merge_into(&mut dst, left, right, cmp);
        }
        std::mem::swap(&mut src, &mut dst);
        width = width.saturating_mul(2);
    }
    src
}

/// Appends the merge of two sorted runs: the right one's head goes first
/// only when it compares less than the left one's, so equal items keep
/// their order.
fn merge_into<T: Copy>(dst: &mut Vec<T>, left: &[T], right: &[T], cmp: &mut impl FnMut(&T, &T) -> Ordering) {
    let (mut left, mut right) = (left, right);
    while let (Some((l, left_rest)), Some((r, right_rest))) = (left.split_first(), right.split_first()) {
        if cmp(r, l) == Ordering::Less {
            dst.push(*r);
            right = right_rest;
        } else {
            dst.push(*l);
            left = left_rest;
        }
    }
    dst.extend_from_slice(left);
    dst.extend_from_slice(right);
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

    fn times() -> Vec<Time> {
        let mut out = vec![
            Time(DateTime::<Utc>::MIN_UTC),
            Time(DateTime::<Utc>::MAX_UTC),
            "0001-01-01T00:00:00Z".parse().unwrap_or_default(),
            "9999-12-31T23:59:59Z".parse().unwrap_or_default(),
            "2024-06-01T00:00:00Z".parse().unwrap_or_default(),
        ];
        // A leap second, as chrono keeps it (nanoseconds >= 10^9).
        if let Some(leap) =
            NaiveDate::from_ymd_opt(2016, 12, 31).and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
        {
            out.push(Time(leap.and_utc()));
        }
        let base = out.get(4).copied().unwrap_or_default();
        for ns in [1i64, 999, 1_000_000_000, 1_500_000_001, 86_400_000_000_000, -1, -7_000_000_123] {
            out.push(Time(base.0 + TimeDelta::nanoseconds(ns)));
        }
        out
    }

    // The integer bucket must agree with chrono's duration arithmetic
    // (upstream: logarithmicRankDiff) for every pair, leap seconds and
    // chrono's ends included.
    #[test]
    fn fast_log_bucket_agrees_with_chrono() {
        for t in times() {
            for now in times() {
                assert_eq!(
                    log_bucket_parts(TimeParts::new(t), TimeParts::new(now)),
                    log_bucket(t, now),
                    "{t:?} at {now:?}"
                );
            }
        }
    }

    // upstream: logarithmicRankDiff's int64(math.Log2(float64(d))), whose
    // float arithmetic rounds up just below a large power of two (Go:
    // math.Log2(1<<50 - 1) is 50; 1<<49 - 1 too); elsewhere floor(log2).
    #[test]
    fn log2_buckets_round_as_go() {
        let cases: [(i64, i32); 12] = [
            (1, 0),
            (2, 1),
            (3, 1),
            ((1 << 30) - 1, 29),
            (1 << 30, 30),
            ((1 << 46) - 1, 45),
            ((1 << 49) - 1, 49),
            ((1 << 49) - 2, 48),
            ((1 << 50) - 1, 50),
            (1 << 50, 50),
            ((1 << 60) - 1, 60),
            (i64::MAX, 63),
        ];
        for (ns, want) in cases {
            assert_eq!(go_log2(ns), want, "{ns}");
        }
        assert_eq!(go_log2(0), -1);
        assert_eq!(go_log2(-5), -1);
    }

    // time_key orders and compares exactly as the times do, but for Go's
    // zero time, which is unset (ZERO_TIME) as `None` is.
    #[test]
    fn time_key_orders_like_time() {
        let real: Vec<Time> = times().into_iter().filter(|t| !t.is_go_zero()).collect();
        for a in &real {
            for b in &real {
                assert_eq!(time_key(Some(*a)).cmp(&time_key(Some(*b))), a.cmp(b), "{a:?} vs {b:?}");
            }
            assert!(time_key(None) < time_key(Some(*a)));
        }
        let zero: Time = "0001-01-01T00:00:00Z".parse().unwrap_or_default();
        assert_eq!(time_key(Some(zero)), ZERO_TIME);
    }

    // A string's 16-byte prefix never orders two strings against the
    // strings' own order (the by-name and UID comparisons rely on it), at
    // every length around the 16 bytes it keeps, the empty string included.
    #[test]
    fn string_prefix_orders_like_strings() {
        let strings: Vec<String> = (0..=20)
            .flat_map(|len| ["a", "b", "z", "\u{7f}"].into_iter().map(move |fill| fill.repeat(len)))
            .chain(["web-000123", "web-000124", "web-00012", "uid-web-1", "uid-web-10"].map(String::from))
            .chain((0..=20).map(|len| "0123456789abcdefghijk".get(..len).unwrap_or_default().to_owned()))
            .collect();
        for a in &strings {
            // Exactly the first 16 bytes, big-endian, zero-padded.
            let mut padded = [0u8; 16];
            padded.iter_mut().zip(a.bytes()).for_each(|(slot, b)| *slot = b);
            assert_eq!(string_prefix(a), u128::from_be_bytes(padded), "{a:?}");
            for b in &strings {
                let (pa, pb) = (string_prefix(a), string_prefix(b));
                if pa != pb {
                    assert_eq!(pa.cmp(&pb), a.cmp(b), "{a:?} vs {b:?}");
                } else {
                    assert_eq!(a.get(..16.min(a.len())), b.get(..16.min(b.len())), "{a:?} vs {b:?}");
                }
            }
        }
        assert_eq!(string_prefix(""), 0);
        assert_eq!(string_prefix("a"), 0x61 << 120);
    }

    /// A pod drawn from a few values per field, so that equal ready times,
    /// shared buckets, zero times and every rule 1-5 difference are common.
    fn drawn_pod(i: usize, draw: [u8; 6]) -> Pod {
        use crate::api::{ConditionStatus, ObjectMeta, PodSpec, PodStatus};
        let [node, phase, ready, age, cost, uid] = draw;
        let now: Time = "2024-06-01T00:00:00Z".parse().unwrap_or_default();
        // Ages 1 s, 2 s, 3 s (buckets 29, 30, 31), 300 s and 500 s (both
        // bucket 38), a day, 5 s in the future (bucket -1), and Go's zero
        // time.
        let ages = [Some(1), Some(2), Some(3), Some(300), Some(500), Some(86_400), Some(-5), None];
        let ready_since =
            ages.get(usize::from(age) % ages.len()).copied().flatten().map(|a| now.add_seconds(-a));
        let mut meta = ObjectMeta {
            name: Some(format!("p-{i:02}")),
            uid: Some(format!("u-{}", uid % 4)),
            creation_timestamp: Some(now.add_seconds(-1000 - i64::from(age % 3))),
            ..ObjectMeta::default()
        };
        if cost % 3 == 1 {
            meta.set_annotation(POD_DELETION_COST_ANNOTATION, "5");
        }
        let conditions = (ready % 3 != 0).then(|| {
            vec![Condition {
                type_: "Ready".into(),
                status: ConditionStatus::True,
                last_transition_time: ready_since,
                ..Condition::default()
            }]
        });
        Pod {
            metadata: meta,
            spec: Some(PodSpec { node_name: (node % 2 == 1).then(|| "n".to_owned()), ..PodSpec::default() }),
            status: Some(PodStatus {
                phase: Some(
                    [PodPhase::Pending, PodPhase::Running, PodPhase::Unknown][usize::from(phase % 3)].clone(),
                ),
                conditions,
                ..PodStatus::default()
            }),
            ..Pod::default()
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// Candidates of different classes compare as their classes do,
        /// with and without a `now`: the partition `select_candidates`
        /// makes never decides against upstream's comparison. A candidate's
        /// kept rank makes the same key as the rank given, and the ready
        /// bucket a key takes from its candidate is the one chrono computes.
        #[test]
        fn class_order_agrees_with_key_order(
            draws in proptest::collection::vec((proptest::prelude::any::<[u8; 6]>(), 0usize..4), 1..24),
            bucketed in proptest::prelude::any::<bool>(),
            same_rules in proptest::prelude::any::<bool>(),
        ) {
            let gates = FeatureGates::default();
            let now: Option<Time> = bucketed.then(|| "2024-06-01T00:00:00Z".parse().unwrap_or_default());
            // Half the draws share node, phase, cost and rank, so that most
            // pairs reach the ready time (rule 6).
            let pods: Vec<(Pod, usize)> = draws
                .iter()
                .enumerate()
                .map(|(i, (d, rank))| {
                    let [_, _, ready, age, _, uid] = *d;
                    if same_rules { (drawn_pod(i, [1, 1, ready, age, 0, uid]), 0) } else { (drawn_pod(i, *d), *rank) }
                })
                .collect();
            let made: Vec<(Candidate<'_>, RankKey<'_>)> = pods
                .iter()
                .map(|(pod, rank)| {
                    let c = Candidate::new(pod, node_name(pod), ready_true_condition(pod), now.map(TimeParts::new), &gates)
                        .with_rank(*rank);
                    proptest::prop_assert_eq!(c.rank(), *rank);
                    let key = RankKey::new(pod, *rank, now, &gates);
                    // The key's ready bucket, which it takes from the
                    // candidate's class, is the chrono-computed one.
                    if let (Some(t), Some(now)) = (ready_time(pod), now) {
                        proptest::prop_assert_eq!(key.ready_bucket, log_bucket(t, now));
                    }
                    Ok((c, key))
                })
                .collect::<Result<_, _>>()?;
            for (ca, ka) in &made {
                for (cb, kb) in &made {
                    if ca.class() < cb.class() {
                        proptest::prop_assert_eq!(compare_keys(ka, kb), Ordering::Less);
                    }
                }
            }
        }
    }

    /// Keys that `by_name` once gave whole-name prefixes (a name without the
    /// hint was among them) sort by name again beside freshly hinted keys,
    /// as the victims do after the boundary class was visited by name.
    #[test]
    fn by_name_after_a_mixed_order() {
        let gates = FeatureGates::default();
        let pod = |name: &str| Pod {
            metadata: crate::api::ObjectMeta { name: Some(name.into()), ..Default::default() },
            ..Pod::default()
        };
        let (b, c, orphan) = (pod("web-b"), pod("web-c"), pod("orphan"));
        fn hinted<'p>(p: &'p Pod, gates: &FeatureGates) -> RankKey<'p> {
            let mut k = RankKey::new(p, 0, None, gates);
            k.set_name_hint("web-");
            k
        }
        let mut boundary = vec![hinted(&b, &gates), RankKey::new(&orphan, 0, None, &gates)];
        let first: Vec<&str> = by_name(&mut boundary).iter().map(|k| k.pod.metadata.name()).collect();
        assert_eq!(first, ["orphan", "web-b"]);
        let mut victims: Vec<RankKey<'_>> = vec![hinted(&c, &gates)];
        victims.extend(boundary.iter().filter(|k| k.pod.metadata.name() == "web-b").copied());
        let second: Vec<&str> = by_name(&mut victims).iter().map(|k| k.pod.metadata.name()).collect();
        assert_eq!(second, ["web-b", "web-c"]);
    }

    // upstream: ActivePods.Less / ActivePodsWithRanks.Less treat a written
    // Go zero time as IsZero: a pod ready since 0001-01-01 goes first, as
    // one without a ready time does, and so does a zero creation time.
    #[test]
    fn go_zero_times_count_as_unset() {
        use crate::api::{ConditionStatus, ObjectMeta, PodSpec, PodStatus};
        let now: Time = "2024-06-01T00:00:00Z".parse().unwrap_or_default();
        let zero: Time = "0001-01-01T00:00:00Z".parse().unwrap_or_default();
        let pod = |name: &str, ready_since: Option<Time>, created: Time| Pod {
            metadata: ObjectMeta {
                name: Some(name.into()),
                creation_timestamp: Some(created),
                ..ObjectMeta::default()
            },
            spec: Some(PodSpec { node_name: Some("n".into()), ..PodSpec::default() }),
            status: Some(PodStatus {
                phase: Some(PodPhase::Running),
                conditions: Some(vec![Condition {
                    type_: "Ready".into(),
                    status: ConditionStatus::True,
                    last_transition_time: ready_since,
                    ..Condition::default()
                }]),
                ..PodStatus::default()
            }),
            ..Pod::default()
        };
        let gates = FeatureGates::default();
        let recent = pod("a", Some(now.add_seconds(-10)), now.add_seconds(-20));
        let zero_ready = pod("b", Some(zero), now.add_seconds(-20));
        let unset_ready = pod("c", None, now.add_seconds(-20));
        for with_now in [Some(now), None] {
            assert_eq!(compare_ranked(&zero_ready, 0, &recent, 0, with_now, &gates), Ordering::Less);
            assert_eq!(compare_ranked(&recent, 0, &zero_ready, 0, with_now, &gates), Ordering::Greater);
            assert_eq!(compare_ranked(&zero_ready, 0, &unset_ready, 0, with_now, &gates), Ordering::Equal);
        }
        assert_eq!(compare_active_pods(&zero_ready, &recent), Ordering::Less);
        let old = pod("d", Some(now.add_seconds(-10)), now.add_seconds(-20));
        let zero_created = pod("e", Some(now.add_seconds(-10)), zero);
        assert_eq!(compare_active_pods(&zero_created, &old), Ordering::Less);
        let victims = select_victims([(&recent, 0), (&zero_ready, 0)], 1, now, &gates);
        assert_eq!(victims.first().map(|p| p.metadata.name()), Some("b"));
    }

    #[test]
    fn common_prefix_of_names() {
        assert_eq!(common_prefix_len(["web-abc", "web-abd", "web-x"].into_iter()), 4);
        assert_eq!(common_prefix_len(["same", "same"].into_iter()), 4);
        assert_eq!(common_prefix_len(["a", "b"].into_iter()), 0);
        assert_eq!(common_prefix_len(std::iter::empty()), 0);
        assert_eq!(common_prefix_len(["web", "web-1"].into_iter()), 3);
    }
}
