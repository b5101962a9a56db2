//! `kubectl rollout status` (the answer its status viewers give, for the
//! three kinds it watches), `kubectl rollout history` for the same three,
//! and `kubectl rollout undo` for the two kinds that keep their history in
//! ControllerRevisions.
//!
//! upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go
//! (`DeploymentStatusViewer`, `DaemonSetStatusViewer`,
//! `StatefulSetStatusViewer`), and `RolloutStatusOptions.Validate` in
//! staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_status.go.
//!
//! The viewers live beside their controllers:
//! [`deployment::rollout_status`](super::deployment::rollout_status),
//! [`daemonset::rollout_status`](super::daemonset::rollout_status) and
//! [`statefulset::rollout_status`](super::statefulset::rollout_status).
//! Each reads only the object, as kubectl does: kubectl watches the object
//! and asks its viewer again on every change, stopping at the first answer
//! that is not [`RolloutStatus::Waiting`].
//!
//! Fields the API server always fills in (`spec.replicas`, the update
//! strategy's type) are read with the server's defaults when absent, so an
//! object built by hand answers as the stored one would.
//!
//! `kubectl rollout undo` for the two kinds that keep their history in
//! ControllerRevisions ([`statefulset::rollback`](super::statefulset::rollback),
//! [`daemonset::rollback`](super::daemonset::rollback)) shares [`Undo`] and
//! [`UndoError`] (upstream: polymorphichelpers/rollback.go
//! `StatefulSetRollbacker`, `DaemonSetRollbacker`, `findHistory`; the
//! Deployment's is [`deployment::rollback`](super::deployment::rollback)).
//!
//! `kubectl rollout history` ([`deployment::history`](super::deployment::history),
//! [`statefulset::history`](super::statefulset::history),
//! [`daemonset::history`](super::daemonset::history)) hands back a
//! [`History`]: its text is what kubectl prints, and
//! [`History::template`] is the pod template `--revision=N` describes
//! (upstream: polymorphichelpers/history.go; kubectl's describer text for
//! one revision is not reproduced, the template is).

use std::fmt;

use serde_json::Value;

use crate::api::{ControllerRevision, ObjectMeta, PodTemplateSpec};
use crate::selector::Selector;

/// The answer of `kubectl rollout status`.
///
/// Each message is the line kubectl prints, without its line break (kubectl's
/// `Status` returns the waiting and done texts with a trailing `\n`), and a
/// failure without the `error: ` kubectl puts before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RolloutStatus {
    /// The rollout finished; the message kubectl prints.
    Done(String),
    /// Still rolling out; the message kubectl prints while it waits.
    Waiting(String),
    /// kubectl stops with this error: the rollout failed (a Deployment's
    /// progress deadline passed, or another revision than the one asked for
    /// is running), the object's update strategy has no rollout to watch
    /// (`OnDelete`), or kubectl refused the revision asked for (a negative
    /// one).
    Failed(String),
}

impl RolloutStatus {
    /// Whether kubectl would stop watching (done or failed).
    pub fn is_final(&self) -> bool {
        !matches!(self, RolloutStatus::Waiting(_))
    }
}

impl fmt::Display for RolloutStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RolloutStatus::Done(m) | RolloutStatus::Waiting(m) | RolloutStatus::Failed(m) => f.write_str(m),
        }
    }
}

/// kubectl's refusal of a negative `--revision`, checked before any viewer
/// runs (upstream: `RolloutStatusOptions.Validate`); `None` for 0, a
/// positive revision or none.
pub(crate) fn refuse_negative_revision(revision: Option<i64>) -> Option<RolloutStatus> {
    revision
        .filter(|r| *r < 0)
        .map(|negative| RolloutStatus::Failed(format!("revision must be a positive integer: {negative}")))
}

/// The error both the DaemonSet and the StatefulSet viewers give for an
/// update strategy other than `RollingUpdate` (both name the StatefulSet
/// constant, whose text is the same).
pub(crate) fn only_rolling_update() -> RolloutStatus {
    RolloutStatus::Failed("rollout status is only available for RollingUpdate strategy type".into())
}

/// What `kubectl rollout undo` does to a StatefulSet or a DaemonSet.
#[derive(Clone, Debug, PartialEq)]
pub enum Undo<T> {
    /// The object to write: its `spec.template` replaced by the revision's,
    /// as the revision's strategic-merge patch (`$patch: replace`) leaves
    /// it.
    RolledBack(Box<T>),
    /// Nothing to do; the message kubectl prints after the object's name.
    Skipped(String),
}

/// Why `kubectl rollout undo` of a StatefulSet or DaemonSet refuses, with
/// kubectl's text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UndoError {
    /// No revision of that number (or a negative one was asked for).
    #[error("unable to find specified revision {0} in history")]
    RevisionNotFound(i64),
    /// The previous revision was asked for (0) and at most one exists.
    #[error("no last revision to roll back to")]
    NoLastRevision,
    /// The object's selector does not convert, so its history cannot be
    /// listed (kubectl's `failed to create selector for <Kind> <name>: ...`).
    #[error("failed to create selector for {kind} {name}: {reason}")]
    Selector {
        /// `StatefulSet` or `DaemonSet`.
        kind: &'static str,
        /// The object's name.
        name: String,
        /// Why the selector does not convert.
        reason: crate::selector::SelectorError,
    },
    /// The revision's template does not decode, so the API server refuses
    /// its patch (kubectl: `failed restoring revision N: ...`; the server's
    /// own text is not reproduced).
    #[error("failed restoring revision {0}: the revision's pod template does not decode")]
    Restore(i64),
}

/// The selector kubectl lists an object's history with: a null or missing
/// one is Go's nil, whose Nothing prints as the empty query, so every
/// revision of the namespace is listed (then filtered by controller).
pub(crate) fn history_selector(
    declared: Option<&crate::api::LabelSelector>,
    kind: &'static str,
    name: &str,
) -> Result<Selector, UndoError> {
    listing_selector(declared).map_err(|reason| UndoError::Selector { kind, name: name.to_owned(), reason })
}

/// The selector kubectl lists with: a null or missing one selects
/// everything (Go's nil converts to Nothing, whose query string is empty).
pub(crate) fn listing_selector(
    declared: Option<&crate::api::LabelSelector>,
) -> Result<Selector, crate::selector::SelectorError> {
    declared.map_or(Ok(Selector::everything()), Selector::from_label_selector)
}

/// The revision `kubectl rollout undo --to-revision=to_revision` goes back
/// to, among the ControllerRevisions of `owner`'s namespace that `selector`
/// selects and `owner` controls (kubectl: statefulSetHistory /
/// daemonSetHistory, then findHistory). They are visited in the API
/// server's order (by name): `to_revision > 0` takes the first of that
/// number; 0 takes the second highest (a stable sort by number, as Go's
/// sort is on the short lists kubectl sees).
pub(crate) fn undo_revision<'a>(
    owner: &ObjectMeta,
    selector: &Selector,
    revisions: &'a [ControllerRevision],
    to_revision: i64,
) -> Result<&'a ControllerRevision, UndoError> {
    let mut history = controlled_history(owner, selector, revisions);
    if to_revision == 0 && history.len() <= 1 {
        return Err(UndoError::NoLastRevision);
    }
    let found = if to_revision == 0 {
        history.sort_by_key(|r| r.revision);
        history.len().checked_sub(2).and_then(|i| history.get(i)).copied()
    } else {
        history.iter().find(|r| r.revision == to_revision).copied()
    };
    found.ok_or(UndoError::RevisionNotFound(to_revision))
}

/// kubectl refuses a negative revision first, before it reads the object's
/// selector or history.
pub(crate) fn refuse_negative(to_revision: i64) -> Result<(), UndoError> {
    if to_revision < 0 { Err(UndoError::RevisionNotFound(to_revision)) } else { Ok(()) }
}

/// `kubectl rollout undo` of `object`, whose current template is
/// `current`, to `target`: skipped when the current template already
/// matches the revision (kubectl: statefulsetMatch / daemonSetMatch compare
/// the object's patch with the revision's data, byte for byte); otherwise
/// `object` with the revision's template put in by `set_template`. Data
/// without `spec.template` makes a patch that changes nothing, which the
/// server accepts: `object` as it is.
pub(crate) fn undo<T: Clone>(
    object: &T,
    current: &PodTemplateSpec,
    target: &ControllerRevision,
    to_revision: i64,
    set_template: impl FnOnce(&mut T, PodTemplateSpec),
) -> Result<Undo<T>, UndoError> {
    if target.data.as_ref() == Some(&super::statefulset::revision_data(current)) {
        return Ok(Undo::Skipped(format!(
            "skipped rollback (current template already matches revision {to_revision})"
        )));
    }
    let mut out = object.clone();
    let holds_template = target.data.as_ref().and_then(|d| d.get("spec")).and_then(|s| s.get("template"));
    if holds_template.is_some() {
        let template =
            super::statefulset::revision_template(target).ok_or(UndoError::Restore(to_revision))?;
        set_template(&mut out, template);
    }
    Ok(Undo::RolledBack(Box::new(out)))
}

// ---------------------------------------------------------------------------
// kubectl rollout history
// ---------------------------------------------------------------------------

/// The annotation `kubectl rollout history` shows as a revision's cause
/// (kubectl: `ChangeCauseAnnotation`; `kubectl --record` used to write it,
/// and users set it by hand).
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";

/// One revision `kubectl rollout history` lists.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    /// The revision's number.
    pub revision: i64,
    /// Its `kubernetes.io/change-cause`, `None` when unset or empty (kubectl
    /// prints `<none>`).
    pub change_cause: Option<String>,
    /// The pod template `kubectl rollout history --revision=N` describes;
    /// `None` when the revision's data does not decode (kubectl then
    /// refuses that revision, see [`History::template`]).
    pub template: Option<PodTemplateSpec>,
    /// The ControllerRevision's name (empty for a Deployment's revisions,
    /// which are ReplicaSets): kubectl names it when its data does not
    /// decode.
    pub source: String,
}

/// What `kubectl rollout history` shows of one object: its revisions in
/// ascending order, one per number.
///
/// Its [`Display`](fmt::Display) is the text kubectl prints below the
/// object's name (upstream: `ViewHistory` with revision 0): `No rollout
/// history found.` when there is none; otherwise the `REVISION` and
/// `CHANGE-CAUSE` columns aligned as kubectl's tabwriter aligns them (two
/// spaces after the widest revision number).
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    entries: Vec<HistoryEntry>,
}

/// Why `kubectl rollout history` refuses (the text kubectl prints after
/// `error: `).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    /// A negative `--revision` (kubectl: `RolloutHistoryOptions.Validate`).
    #[error("revision must be a positive integer: {0}")]
    NegativeRevision(i64),
    /// No revision has the number asked for.
    #[error("unable to find the specified revision")]
    RevisionNotFound(i64),
    /// A Deployment's selector does not convert, so its ReplicaSets cannot
    /// be listed.
    #[error("failed to retrieve replica sets from deployment {name}: {source}")]
    ReplicaSets {
        /// The Deployment's name.
        name: String,
        /// Why the selector does not convert.
        source: crate::selector::SelectorError,
    },
    /// A StatefulSet's or DaemonSet's selector does not convert, so its
    /// ControllerRevisions cannot be listed.
    #[error("failed to create selector for {kind} {name}: {reason}")]
    Selector {
        /// `StatefulSet` or `DaemonSet`.
        kind: &'static str,
        /// The object's name.
        name: String,
        /// Why the selector does not convert.
        reason: crate::selector::SelectorError,
    },
    /// A StatefulSet's or DaemonSet's revision whose data does not decode
    /// into the object (kubectl: `printHistory`).
    #[error("unable to parse history {0}")]
    UnreadableRevision(String),
}

impl History {
    /// A history from the revisions in the order kubectl visits them: of
    /// several with one number the last visited stays (kubectl fills a map
    /// by number), and the entries come out by number.
    pub(crate) fn collect(visited: impl IntoIterator<Item = HistoryEntry>) -> History {
        let mut by_number: std::collections::BTreeMap<i64, HistoryEntry> = std::collections::BTreeMap::new();
        for entry in visited {
            by_number.insert(entry.revision, entry);
        }
        History { entries: by_number.into_values().collect() }
    }

    /// The revisions, by ascending number.
    pub fn entries(&self) -> &[HistoryEntry] {
        &self.entries
    }

    /// Whether there is no revision (kubectl: `No rollout history found.`).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What `kubectl rollout history --revision=N` describes: the pod
    /// template of revision `revision` (for a Deployment with the
    /// ReplicaSet's change cause put in its annotations, as kubectl shows
    /// it).
    ///
    /// `Ok(None)` when there is no history at all: kubectl then prints `No
    /// rollout history found.` (this history's text) and succeeds, whatever
    /// revision was asked for. A negative revision is refused first, as
    /// kubectl's validation does (kubectl refuses it before it lists
    /// anything, so where `history` itself fails on the selector, kubectl
    /// names the revision instead). 0 is not a revision kubectl looks up (it
    /// lists them all); here it is revision 0, which a ReplicaSet without a
    /// revision annotation has.
    pub fn template(&self, revision: i64) -> Result<Option<&PodTemplateSpec>, HistoryError> {
        if revision < 0 {
            return Err(HistoryError::NegativeRevision(revision));
        }
        if self.entries.is_empty() {
            return Ok(None);
        }
        let entry = self
            .entries
            .iter()
            .find(|e| e.revision == revision)
            .ok_or(HistoryError::RevisionNotFound(revision))?;
        let template =
            entry.template.as_ref().ok_or_else(|| HistoryError::UnreadableRevision(entry.source.clone()))?;
        Ok(Some(template))
    }
}

impl fmt::Display for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.entries.is_empty() {
            return f.write_str("No rollout history found.");
        }
        let mut text = String::from("REVISION\tCHANGE-CAUSE\n");
        for e in &self.entries {
            let cause = e.change_cause.as_deref().unwrap_or("<none>");
            text.push_str(&format!("{}\t{cause}\n", e.revision));
        }
        f.write_str(&crate::text::go_tabwriter(&text, 2))
    }
}

/// What kubectl lists as `owner`'s objects (kubectl: `controlledHistory`,
/// pkg/util/deployment `listReplicaSets`): those of `owner`'s namespace
/// that `selector` selects and `owner` controls, in the API server's order
/// (by name).
pub(crate) fn kubectl_owned<'a, T>(
    owner: &ObjectMeta,
    selector: &Selector,
    items: &'a [T],
    meta: impl Fn(&T) -> &ObjectMeta,
) -> Vec<&'a T> {
    let mut owned: Vec<&T> = items
        .iter()
        .filter(|x| {
            let m = meta(x);
            m.namespace() == owner.namespace()
                && selector.matches(m)
                && m.controller_ref().is_some_and(|c| c.uid == owner.uid())
        })
        .collect();
    super::by_name(&mut owned, meta);
    owned
}

/// The ControllerRevisions of `owner` kubectl's history lists.
fn controlled_history<'a>(
    owner: &ObjectMeta,
    selector: &Selector,
    revisions: &'a [ControllerRevision],
) -> Vec<&'a ControllerRevision> {
    kubectl_owned(owner, selector, revisions, |r: &ControllerRevision| &r.metadata)
}

/// `kubectl rollout history` of a StatefulSet or DaemonSet (`kind`),
/// `object` (kubectl: `printHistory`): each revision's template is the one
/// `template_of` reads from the object after the revision's data is
/// applied to it as kubectl applies it (see [`apply_revision_data`]), and
/// its change cause is the revision's annotation.
pub(crate) fn revision_history<T: serde::Serialize + serde::de::DeserializeOwned>(
    kind: &'static str,
    owner: &ObjectMeta,
    declared_selector: Option<&crate::api::LabelSelector>,
    object: &T,
    template_of: impl Fn(T) -> PodTemplateSpec,
    revisions: &[ControllerRevision],
) -> Result<History, HistoryError> {
    let selector = listing_selector(declared_selector).map_err(|reason| HistoryError::Selector {
        kind,
        name: owner.name().to_owned(),
        reason,
    })?;
    let current = serde_json::to_value(object).unwrap_or(Value::Null);
    let entries = controlled_history(owner, &selector, revisions).into_iter().map(|r| {
        let template = apply_revision_data(&current, r.data.as_ref())
            .and_then(|patched| serde_json::from_value::<T>(patched).ok())
            .map(&template_of);
        let change_cause =
            r.metadata.annotation(CHANGE_CAUSE_ANNOTATION).filter(|c| !c.is_empty()).map(str::to_owned);
        HistoryEntry { revision: r.revision, change_cause, template, source: r.metadata.name().to_owned() }
    });
    Ok(History::collect(entries))
}

/// The object `current` (as JSON) with a revision's `data` applied as
/// kubectl's applyStatefulSetHistory / applyDaemonSetHistory apply it, a
/// strategic merge patch; `None` where that fails (data that is not an
/// object, an unknown `$patch` directive).
///
/// What is followed (upstream: strategicpatch `mergeMap`,
/// `handleDirectiveInMergeMap`, with `IgnoreUnmatchedNulls`): missing or
/// `null` data changes nothing; a `null` value removes its key; maps merge
/// key by key; a map's `$patch: replace` puts the map in place of the
/// original's, `$patch: delete` empties it, any other directive fails.
/// Deviation: lists are replaced whole, where strategic merge merges a list
/// with a patch merge key (containers, volumes, env by `name`, ...) element
/// by element and honours the list directives (`$setElementOrder`,
/// `$deleteFromPrimitiveList`, `$retainKeys`). The controllers write a
/// revision's template with `$patch: replace`, where the two agree.
fn apply_revision_data(current: &Value, data: Option<&Value>) -> Option<Value> {
    match data {
        None | Some(Value::Null) => Some(current.clone()),
        Some(patch @ Value::Object(_)) => strategic_merge(current, patch),
        Some(_) => None,
    }
}

/// `patch` merged into `original` (see [`apply_revision_data`]); `None` on
/// an unknown `$patch` directive.
fn strategic_merge(original: &Value, patch: &Value) -> Option<Value> {
    let Value::Object(patch_map) = patch else { return Some(patch.clone()) };
    let mut patch_map = patch_map.clone();
    let directive = patch_map.remove("$patch");
    match directive.as_ref().map(|d| d.as_str()) {
        None => {}
        Some(Some("replace")) => return Some(Value::Object(patch_map)),
        Some(Some("delete")) => return Some(Value::Object(serde_json::Map::new())),
        Some(_) => return None,
    }
    let mut merged = match original {
        Value::Object(map) => map.clone(),
        _ => serde_json::Map::new(),
    };
    for (key, value) in patch_map {
        if value.is_null() {
            merged.remove(&key);
            continue;
        }
        let patched = match merged.get(&key) {
            Some(existing) if value.is_object() => strategic_merge(existing, &value)?,
            _ => strategic_merge(&Value::Null, &value)?,
        };
        merged.insert(key, patched);
    }
    Some(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_waiting_keeps_kubectl_watching() {
        assert!(!RolloutStatus::Waiting("w".into()).is_final());
        assert!(RolloutStatus::Done("d".into()).is_final());
        assert!(RolloutStatus::Failed("f".into()).is_final());
    }

    #[test]
    fn negative_revisions_are_refused_before_any_viewer() {
        assert_eq!(
            refuse_negative_revision(Some(-3)),
            Some(RolloutStatus::Failed("revision must be a positive integer: -3".into()))
        );
        assert_eq!(refuse_negative_revision(Some(0)), None);
        assert_eq!(refuse_negative_revision(Some(2)), None);
        assert_eq!(refuse_negative_revision(None), None);
    }
}
