//! Does a pod fit a node: taints and tolerations, `nodeSelector`, required
//! and preferred node affinity, cordoned nodes — with the reasons a
//! scheduler prints when it does not.
//!
//! upstream: staging/src/k8s.io/api/core/v1/toleration.go (ToleratesTaint,
//! MatchToleration), taint.go (MatchTaint);
//! staging/src/k8s.io/component-helpers/scheduling/corev1/helpers.go
//! (TolerationsTolerateTaint, FindMatchingUntoleratedTaint);
//! staging/src/k8s.io/component-helpers/scheduling/corev1/nodeaffinity/nodeaffinity.go
//! (NewNodeSelector, NewLazyErrorNodeSelector, LazyErrorNodeSelector.Match,
//! NewPreferredSchedulingTerms, Score, GetRequiredNodeAffinity,
//! RequiredNodeAffinity.Match);
//! pkg/scheduler/framework/plugins/{nodeunschedulable,nodename,tainttoleration,nodeaffinity}
//! (Filter, Score, NormalizeScore); pkg/scheduler/framework/types.go
//! (FitError.Error); pkg/controller/tainteviction (getMinTolerationTime).
//!
//! The entry point for a custom scheduler is [`fits`]: it runs the filters of
//! the default profile that look only at the pod and the node
//! (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, in that
//! order) and returns every [`Unfit`] reason. [`FitSummary`] turns the
//! per-node answers into the scheduler's `0/3 nodes are available: ...`
//! message.
//!
//! ```
//! use kube_workloads::scheduling::{fits, Unfit};
//! use kube_workloads::{FeatureGates, Node, Pod};
//!
//! let node: Node = serde_json::from_value(serde_json::json!({
//!     "metadata": {"name": "n1", "labels": {"disk": "ssd"}},
//!     "spec": {"taints": [{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]}
//! })).unwrap();
//! let pod: Pod = serde_json::from_value(serde_json::json!({
//!     "metadata": {"name": "p"},
//!     "spec": {"containers": [], "nodeSelector": {"disk": "ssd"}}
//! })).unwrap();
//! let fit = fits(&pod, &node, &FeatureGates::default());
//! assert!(matches!(fit.reasons.as_slice(), [Unfit::UntoleratedTaint { .. }]));
//! assert_eq!(fit.reasons[0].to_string(), "node(s) had untolerated taint(s)");
//! ```
//!
//! # Deviations
//! - [`fits`] reports every failing filter; the scheduler stops at the first
//!   one, which is [`Fit::scheduler_reason`] (and what [`FitSummary`]
//!   counts).
//! - [`Unfit::UntoleratedTaint`] carries the first untolerated taint, which
//!   the 1.35 message (`node(s) had untolerated taint(s)`) no longer names.
//! - Only the filters that need nothing but the pod and the node are
//!   modelled: resources, ports, volumes, inter-pod affinity and topology
//!   spread are the caller's.

use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::fmt;

use crate::FeatureGates;
use crate::api::{
    Node, NodeSelector, NodeSelectorOperator, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodSpec,
    PreferredSchedulingTerm, StringMap, Taint, TaintEffect, Toleration, TolerationOperator,
};
use crate::selector::{Operator, Requirement, SelectorError};

/// `node.kubernetes.io/not-ready`: the node's Ready condition is False.
pub const TAINT_NODE_NOT_READY: &str = "node.kubernetes.io/not-ready";
/// `node.kubernetes.io/unreachable`: the node's Ready condition is Unknown.
pub const TAINT_NODE_UNREACHABLE: &str = "node.kubernetes.io/unreachable";
/// `node.kubernetes.io/unschedulable`: the node is cordoned.
pub const TAINT_NODE_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";
/// `node.kubernetes.io/memory-pressure`.
pub const TAINT_NODE_MEMORY_PRESSURE: &str = "node.kubernetes.io/memory-pressure";
/// `node.kubernetes.io/disk-pressure`.
pub const TAINT_NODE_DISK_PRESSURE: &str = "node.kubernetes.io/disk-pressure";
/// `node.kubernetes.io/network-unavailable`.
pub const TAINT_NODE_NETWORK_UNAVAILABLE: &str = "node.kubernetes.io/network-unavailable";
/// `node.kubernetes.io/pid-pressure`.
pub const TAINT_NODE_PID_PRESSURE: &str = "node.kubernetes.io/pid-pressure";
/// `node.kubernetes.io/out-of-service`.
pub const TAINT_NODE_OUT_OF_SERVICE: &str = "node.kubernetes.io/out-of-service";

/// The only node field `matchFields` can select on.
pub const FIELD_METADATA_NAME: &str = "metadata.name";

/// The highest score a scheduler plugin gives (`framework.MaxNodeScore`).
pub const MAX_NODE_SCORE: i64 = 100;

// ---------------------------------------------------------------------------
// Taints and tolerations
// ---------------------------------------------------------------------------

/// Whether two taints are the same taint: same key and effect, whatever the
/// value (upstream: `Taint.MatchTaint`).
pub fn taints_match(a: &Taint, b: &Taint) -> bool {
    a.key == b.key && a.effect_as_read() == b.effect_as_read()
}

/// Whether two tolerations are the same toleration for merging: key,
/// operator, value and effect equal; `tolerationSeconds` is not part of the
/// identity (upstream: `Toleration.MatchToleration`).
///
/// Fields compare as written: an unset operator is not the same as `Equal`.
pub fn tolerations_match(a: &Toleration, b: &Toleration) -> bool {
    let op = |t: &Toleration| t.operator.as_ref().map_or("", |o| o.as_str()).to_owned();
    let effect = |t: &Toleration| t.effect.as_ref().map_or("", |e| e.as_str()).to_owned();
    a.key.as_deref().unwrap_or("") == b.key.as_deref().unwrap_or("")
        && effect(a) == effect(b)
        && op(a) == op(b)
        && a.value.as_deref().unwrap_or("") == b.value.as_deref().unwrap_or("")
}

fn operator_or_equal(t: &Toleration) -> TolerationOperator {
    match &t.operator {
        None => TolerationOperator::Equal,
        Some(TolerationOperator::Other(s)) if s.is_empty() => TolerationOperator::Equal,
        Some(op) => op.clone(),
    }
}

/// A canonical decimal `int64`: optional `-`, no `+`, no leading zeros, no
/// spaces (upstream: the value check of the `Lt` / `Gt` toleration operators).
fn canonical_i64(s: &str) -> Option<i64> {
    let v: i64 = s.parse().ok()?;
    (v.to_string() == s).then_some(v)
}

/// Whether a toleration tolerates a taint (upstream: `ToleratesTaint`), with
/// the feature gates' default (`Lt` / `Gt` never tolerate).
///
/// An empty effect matches every effect, an empty key every key; an unset
/// or empty operator is `Equal`, which compares values exactly; `Exists`
/// ignores the value. `tolerationSeconds` never matters here.
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    tolerates_with(toleration, taint, &FeatureGates::default())
}

/// [`tolerates`] under the given feature gates
/// (`TaintTolerationComparisonOperators` enables `Lt` / `Gt`).
pub fn tolerates_with(toleration: &Toleration, taint: &Taint, gates: &FeatureGates) -> bool {
    // upstream: core/v1/toleration.go: ToleratesTaint
    if let Some(effect) = &toleration.effect
        && !effect.as_str().is_empty()
        && *effect != *taint.effect_as_read()
    {
        return false;
    }
    let key = toleration.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    let taint_value = taint.value.as_deref().unwrap_or("");
    let value = toleration.value.as_deref().unwrap_or("");
    match operator_or_equal(toleration) {
        TolerationOperator::Equal => value == taint_value,
        TolerationOperator::Exists => true,
        op @ (TolerationOperator::Lt | TolerationOperator::Gt) => {
            if !gates.taint_toleration_comparison_operators {
                return false;
            }
            let (Some(theirs), Some(ours)) = (canonical_i64(taint_value), canonical_i64(value)) else {
                return false;
            };
            if op == TolerationOperator::Gt { theirs > ours } else { theirs < ours }
        }
        TolerationOperator::Other(_) => false,
    }
}

/// Whether any of the tolerations tolerates the taint (upstream:
/// `TolerationsTolerateTaint`).
pub fn tolerations_tolerate(tolerations: &[Toleration], taint: &Taint, gates: &FeatureGates) -> bool {
    tolerations.iter().any(|t| tolerates_with(t, taint, gates))
}

/// The first taint the filter accepts that no toleration tolerates
/// (upstream: `FindMatchingUntoleratedTaint`).
pub fn find_untolerated_taint<'t>(
    taints: &'t [Taint],
    tolerations: &[Toleration],
    filter: impl Fn(&Taint) -> bool,
    gates: &FeatureGates,
) -> Option<&'t Taint> {
    taints.iter().filter(|t| filter(t)).find(|t| !tolerations_tolerate(tolerations, t, gates))
}

/// The taints that keep new pods off a node: `NoSchedule` and `NoExecute`
/// (upstream: `DoNotScheduleTaintsFilterFunc`).
pub fn is_do_not_schedule_taint(taint: &Taint) -> bool {
    matches!(*taint.effect_as_read(), TaintEffect::NoSchedule | TaintEffect::NoExecute)
}

/// Writes a taint as upstream's `Taint.ToString`: `key=value:Effect`, with
/// `=value` left out when the value is empty; without an effect (which
/// validation refuses on a node), `key` alone or `key=value:`.
pub fn taint_to_string(taint: &Taint) -> String {
    let value = taint.value.as_deref().filter(|v| !v.is_empty());
    let effect = Some(taint.effect_as_read().to_string()).filter(|e| !e.is_empty());
    match (value, effect) {
        (None, None) => taint.key.clone(),
        (Some(v), None) => format!("{}={v}:", taint.key),
        (None, Some(e)) => format!("{}:{e}", taint.key),
        (Some(v), Some(e)) => format!("{}={v}:{e}", taint.key),
    }
}

/// When a pod bound to a node with these `NoExecute` taints must be evicted
/// (upstream: pkg/controller/tainteviction: `getMatchingTolerations`,
/// `getMinTolerationTime`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoExecuteEviction {
    /// Every `NoExecute` taint is tolerated for ever (or there is none).
    Never,
    /// Every `NoExecute` taint is tolerated, the shortest
    /// `tolerationSeconds` among the tolerations used being this many
    /// seconds after the taint is observed.
    After(i64),
    /// Some `NoExecute` taint is not tolerated, or a used toleration has
    /// `tolerationSeconds <= 0`.
    Now,
}

/// How long a pod may stay on a node given its `NoExecute` taints.
///
/// For each `NoExecute` taint the *first* toleration (in the pod's order)
/// that tolerates it is used; the smallest `tolerationSeconds` among the
/// used tolerations decides, and a used toleration without
/// `tolerationSeconds` tolerates for ever. A later toleration of the same
/// taint with a shorter time is not consulted, as upstream.
// upstream: pkg/apis/core/v1/helper/helpers.go: GetMatchingTolerations,
// pkg/controller/tainteviction/taint_eviction.go: getMinTolerationTime
pub fn no_execute_eviction(
    taints: &[Taint],
    tolerations: &[Toleration],
    gates: &FeatureGates,
) -> NoExecuteEviction {
    let mut min: Option<i64> = None;
    for taint in taints.iter().filter(|t| *t.effect_as_read() == TaintEffect::NoExecute) {
        let Some(used) = tolerations.iter().find(|t| tolerates_with(t, taint, gates)) else {
            return NoExecuteEviction::Now;
        };
        if let Some(s) = used.toleration_seconds {
            min = Some(min.map_or(s, |m| m.min(s)));
        }
    }
    match min {
        None => NoExecuteEviction::Never,
        Some(s) if s <= 0 => NoExecuteEviction::Now,
        Some(s) => NoExecuteEviction::After(s),
    }
}

// ---------------------------------------------------------------------------
// Node selectors
// ---------------------------------------------------------------------------

/// Why a node selector term cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NodeSelectorError {
    /// A `matchExpressions` operator this crate does not know. The value is
    /// a named Go string type, which ErrorBody prints with json.Marshal
    /// (`<` as `\u003c`).
    #[error(
        "{path}.operator: Unsupported value: {}: supported values: {supported}",
        crate::validation::go_json(&serde_json::Value::from(operator.as_str()).to_string())
    )]
    UnsupportedOperator {
        /// Field path of the requirement.
        path: String,
        /// The operator as written.
        operator: String,
        /// The operators allowed there.
        supported: &'static str,
    },
    /// A `matchExpressions` requirement the label selector grammar rejects
    /// (invalid key or value, wrong number of values, non-integer `Gt`/`Lt`):
    /// `NewRequirement`'s errors with their field paths under the
    /// requirement's (`…matchExpressions[0].key: Invalid value: …`).
    #[error("{message}")]
    InvalidRequirement {
        /// Field path of the requirement.
        path: String,
        /// What is wrong, paths included.
        message: String,
    },
    /// A `matchFields` requirement with other than exactly one value. The
    /// values print as JSON (1.34+), an empty list as `[]` (upstream passes
    /// the list as written: an absent one would print `null`).
    #[error(
        "{path}.values: Invalid value: {}: must have one element",
        crate::validation::go_json(&serde_json::to_string(values).unwrap_or_default())
    )]
    FieldValueCount {
        /// Field path of the requirement.
        path: String,
        /// The values as written.
        values: Vec<String>,
    },
    /// Several errors in one selector, each printed once (upstream's
    /// aggregate drops repeated messages).
    #[error("[{}]", distinct_messages(.0))]
    Multiple(Vec<NodeSelectorError>),
}

/// The errors' messages joined with `, `, a repeated one once.
fn distinct_messages(errors: &[NodeSelectorError]) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in errors {
        let m = e.to_string();
        if !seen.contains(&m) {
            seen.push(m);
        }
    }
    seen.join(", ")
}

fn aggregate(mut errors: Vec<NodeSelectorError>) -> Option<NodeSelectorError> {
    match errors.len() {
        0 => None,
        1 => errors.pop(),
        _ => Some(NodeSelectorError::Multiple(errors)),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum FieldTest {
    Equals(String, String),
    NotEquals(String, String),
}

/// One parsed node selector term: label requirements and field tests,
/// ANDed, or the parse errors that disable it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ParsedTerm {
    labels: Vec<Requirement>,
    fields: Vec<FieldTest>,
    errors: Vec<NodeSelectorError>,
}

fn is_empty_term(term: &NodeSelectorTerm) -> bool {
    term.match_expressions.as_deref().unwrap_or_default().is_empty()
        && term.match_fields.as_deref().unwrap_or_default().is_empty()
}

fn parse_expression(req: &NodeSelectorRequirement, path: &str) -> Result<Requirement, NodeSelectorError> {
    // upstream: nodeaffinity.go: nodeSelectorRequirementsAsSelector
    let op = match &*req.operator_as_read() {
        NodeSelectorOperator::In => Operator::In,
        NodeSelectorOperator::NotIn => Operator::NotIn,
        NodeSelectorOperator::Exists => Operator::Exists,
        NodeSelectorOperator::DoesNotExist => Operator::DoesNotExist,
        NodeSelectorOperator::Gt => Operator::GreaterThan,
        NodeSelectorOperator::Lt => Operator::LessThan,
        NodeSelectorOperator::Other(s) => {
            return Err(NodeSelectorError::UnsupportedOperator {
                path: path.to_owned(),
                operator: s.clone(),
                supported: "\"In\", \"NotIn\", \"Exists\", \"DoesNotExist\", \"Gt\", \"Lt\"",
            });
        }
    };
    let values = req.values.clone().unwrap_or_default();
    let invalid = |e: &SelectorError| NodeSelectorError::InvalidRequirement {
        path: path.to_owned(),
        message: e.at_path(path),
    };
    Requirement::new(req.key.clone(), op, values).map_err(|e| match &e {
        SelectorError::Multiple(errors) => NodeSelectorError::Multiple(errors.iter().map(invalid).collect()),
        other => invalid(other),
    })
}

fn parse_field(req: &NodeSelectorRequirement, path: &str) -> Result<FieldTest, NodeSelectorError> {
    // upstream: nodeaffinity.go: nodeSelectorRequirementsAsFieldSelector
    let values = req.values.as_deref().unwrap_or_default();
    let single = || match values {
        [one] => Ok(one.clone()),
        _ => Err(NodeSelectorError::FieldValueCount { path: path.to_owned(), values: values.to_vec() }),
    };
    match &*req.operator_as_read() {
        NodeSelectorOperator::In => Ok(FieldTest::Equals(req.key.clone(), single()?)),
        NodeSelectorOperator::NotIn => Ok(FieldTest::NotEquals(req.key.clone(), single()?)),
        other => Err(NodeSelectorError::UnsupportedOperator {
            path: path.to_owned(),
            operator: other.as_str().to_owned(),
            supported: "\"In\", \"NotIn\"",
        }),
    }
}

fn parse_term(term: &NodeSelectorTerm, path: &str) -> ParsedTerm {
    // upstream: nodeaffinity.go: newNodeSelectorTerm
    let mut parsed = ParsedTerm { labels: Vec::new(), fields: Vec::new(), errors: Vec::new() };
    for (i, req) in term.match_expressions.as_deref().unwrap_or_default().iter().enumerate() {
        match parse_expression(req, &format!("{path}.matchExpressions[{i}]")) {
            Ok(r) => parsed.labels.push(r),
            // upstream flattens NewRequirement's aggregate into the
            // selector's (errors.Flatten).
            Err(NodeSelectorError::Multiple(errors)) => parsed.errors.extend(errors),
            Err(e) => parsed.errors.push(e),
        }
    }
    for (i, req) in term.match_fields.as_deref().unwrap_or_default().iter().enumerate() {
        match parse_field(req, &format!("{path}.matchFields[{i}]")) {
            Ok(f) => parsed.fields.push(f),
            Err(e) => parsed.errors.push(e),
        }
    }
    parsed
}

impl ParsedTerm {
    /// upstream: nodeaffinity.go: nodeSelectorTerm.match
    fn matches(&self, node: &Node) -> Result<bool, &[NodeSelectorError]> {
        if !self.errors.is_empty() {
            return Err(&self.errors);
        }
        if !self.labels.iter().all(|r| r.matches_value(node.metadata.label(r.key()))) {
            return Ok(false);
        }
        // The node's fields: `metadata.name` only, and none when the name is
        // empty, in which case field tests are not evaluated.
        let name = node.metadata.name();
        if !name.is_empty() && !self.fields.is_empty() {
            let get = |key: &str| if key == FIELD_METADATA_NAME { name } else { "" };
            let ok = self.fields.iter().all(|f| match f {
                FieldTest::Equals(k, v) => get(k) == v,
                FieldTest::NotEquals(k, v) => get(k) != v,
            });
            if !ok {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// A parsed `NodeSelector` (required node affinity): terms ORed, the
/// requirements of a term ANDed.
///
/// Built leniently by [`NodeSelectorMatcher::lazy`] (upstream's
/// `LazyErrorNodeSelector`, used by the scheduler and the DaemonSet
/// controller: a term that does not parse matches nothing, and its errors
/// are reported only when no term matches) or strictly by
/// [`NodeSelectorMatcher::strict`] (`NewNodeSelector`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeSelectorMatcher {
    terms: Vec<ParsedTerm>,
}

impl NodeSelectorMatcher {
    /// Parses every non-empty term; parse errors stay with their term.
    pub fn lazy(selector: &NodeSelector) -> NodeSelectorMatcher {
        let terms = selector
            .node_selector_terms
            .iter()
            .enumerate()
            .filter(|(_, t)| !is_empty_term(t))
            .map(|(i, t)| parse_term(t, &format!("nodeSelectorTerms[{i}]")))
            .collect();
        NodeSelectorMatcher { terms }
    }

    /// Parses the selector, rejecting it if any term has an error.
    pub fn strict(selector: &NodeSelector) -> Result<NodeSelectorMatcher, NodeSelectorError> {
        let lazy = NodeSelectorMatcher::lazy(selector);
        let errors: Vec<NodeSelectorError> =
            lazy.terms.iter().flat_map(|t| t.errors.iter().cloned()).collect();
        match aggregate(errors) {
            Some(e) => Err(e),
            None => Ok(lazy),
        }
    }

    /// Whether any term matches the node; when none does, the parse errors
    /// of the terms that could not be evaluated, if any (upstream:
    /// `LazyErrorNodeSelector.Match`).
    pub fn try_matches(&self, node: &Node) -> Result<bool, NodeSelectorError> {
        let mut errors = Vec::new();
        for term in &self.terms {
            match term.matches(node) {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                Err(e) => errors.extend(e.iter().cloned()),
            }
        }
        match aggregate(errors) {
            Some(e) => Err(e),
            None => Ok(false),
        }
    }

    /// Whether any term matches the node (errors count as no match).
    pub fn matches(&self, node: &Node) -> bool {
        self.try_matches(node).unwrap_or(false)
    }
}

/// Whether a node matches a `NodeSelector`, leniently (upstream:
/// `MatchNodeSelectorTerms`).
pub fn match_node_selector_terms(node: &Node, selector: &NodeSelector) -> bool {
    NodeSelectorMatcher::lazy(selector).matches(node)
}

/// The only nodes a pod's required node affinity can place it on, when
/// every term names them (`metadata.name In ...` in `matchFields`; the
/// names of one term intersected, the terms' joined); `None` when some term
/// does not, so any node may do (upstream: the NodeAffinity plugin's
/// PreFilter, getPodNodeNames). A daemon pod names its node this way. An
/// empty set means the terms' names conflict: no node can take the pod, and
/// the PreFilter reports `pod affinity terms conflict`.
///
/// ```
/// use kube_workloads::Pod;
/// use kube_workloads::scheduling::pinned_node_names;
/// let pod: Pod = serde_json::from_value(serde_json::json!({"metadata": {"name": "p"},
///     "spec": {"containers": [], "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
///         "nodeSelectorTerms": [
///             {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a", "b"]}]},
///             {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["c"]}]}]}}}}})).unwrap();
/// let names = pinned_node_names(&pod).unwrap();
/// assert_eq!(names.into_iter().collect::<Vec<_>>(), ["a", "b", "c"]);
/// ```
pub fn pinned_node_names(pod: &Pod) -> Option<BTreeSet<&str>> {
    let terms = required_node_selector_terms(pod)?;
    let mut names = BTreeSet::new();
    for term in terms {
        let mut term_names: Option<BTreeSet<&str>> = None;
        for req in term.match_fields.as_deref().unwrap_or_default() {
            if req.key == FIELD_METADATA_NAME && *req.operator_as_read() == NodeSelectorOperator::In {
                let values: BTreeSet<&str> = req.values.iter().flatten().map(String::as_str).collect();
                term_names = Some(match term_names {
                    None => values,
                    Some(t) => t.intersection(&values).copied().collect(),
                });
            }
        }
        names.extend(term_names?);
    }
    (!terms.is_empty()).then_some(names)
}

/// The terms of a pod's required node affinity, when it has them.
pub fn required_node_selector_terms(pod: &Pod) -> Option<&[NodeSelectorTerm]> {
    let required = pod
        .spec
        .as_ref()?
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?;
    Some(&required.node_selector_terms)
}

/// Whether a node has every label of a pod's `nodeSelector` with exactly
/// that value (upstream: `labels.SelectorFromSet(...).Matches`); an empty
/// map matches every node.
pub fn node_selector_matches(node_selector: &StringMap, node: &Node) -> bool {
    node_selector.iter().all(|(k, v)| node.metadata.label(k) == Some(v.as_str()))
}

/// A pod's `nodeSelector` and required node affinity together
/// (upstream: `GetRequiredNodeAffinity`, `RequiredNodeAffinity`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequiredNodeAffinity {
    node_selector: StringMap,
    affinity: Option<NodeSelectorMatcher>,
}

impl RequiredNodeAffinity {
    /// The constraints of a pod spec.
    pub fn of_spec(spec: &PodSpec) -> RequiredNodeAffinity {
        let affinity = spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|n| n.required_during_scheduling_ignored_during_execution.as_ref())
            .map(NodeSelectorMatcher::lazy);
        RequiredNodeAffinity { node_selector: spec.node_selector.clone().unwrap_or_default(), affinity }
    }

    /// The constraints of a pod (none when it has no spec).
    pub fn of(pod: &Pod) -> RequiredNodeAffinity {
        match pod.spec.as_ref() {
            Some(spec) => RequiredNodeAffinity::of_spec(spec),
            None => RequiredNodeAffinity { node_selector: StringMap::new(), affinity: None },
        }
    }

    /// `nodeSelector` matches and, when there is one, the required selector
    /// matches; an error only when no affinity term matched and some did
    /// not parse (upstream: `RequiredNodeAffinity.Match`).
    pub fn try_matches(&self, node: &Node) -> Result<bool, NodeSelectorError> {
        if !node_selector_matches(&self.node_selector, node) {
            return Ok(false);
        }
        match &self.affinity {
            Some(sel) => sel.try_matches(node),
            None => Ok(true),
        }
    }

    /// [`RequiredNodeAffinity::try_matches`] with errors as no match.
    pub fn matches(&self, node: &Node) -> bool {
        self.try_matches(node).unwrap_or(false)
    }
}

/// Parsed preferred node affinity (upstream: `PreferredSchedulingTerms`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreferredSchedulingTerms {
    terms: Vec<(i64, ParsedTerm)>,
}

impl PreferredSchedulingTerms {
    /// Parses the terms; terms with weight 0 or an empty preference are
    /// skipped (with their errors); any other parse error rejects the whole
    /// list (upstream: `NewPreferredSchedulingTerms`).
    pub fn new(terms: &[PreferredSchedulingTerm]) -> Result<PreferredSchedulingTerms, NodeSelectorError> {
        let mut parsed = Vec::new();
        let mut errors = Vec::new();
        for (i, term) in terms.iter().enumerate() {
            if term.weight == 0 || is_empty_term(&term.preference) {
                continue;
            }
            let p = parse_term(&term.preference, &format!("[{i}]"));
            if p.errors.is_empty() {
                parsed.push((i64::from(term.weight), p));
            } else {
                errors.extend(p.errors);
            }
        }
        match aggregate(errors) {
            Some(e) => Err(e),
            None => Ok(PreferredSchedulingTerms { terms: parsed }),
        }
    }

    /// The sum of the weights of the terms the node matches (upstream:
    /// `PreferredSchedulingTerms.Score`).
    pub fn score(&self, node: &Node) -> i64 {
        self.terms
            .iter()
            .filter(|(_, t)| t.matches(node).unwrap_or(false))
            .fold(0i64, |acc, (w, _)| acc.saturating_add(*w))
    }
}

// ---------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------

/// The TaintToleration plugin's raw score of a node: how many
/// `PreferNoSchedule` taints the pod does not tolerate, counting only the
/// pod's tolerations with an empty or `PreferNoSchedule` effect (upstream:
/// tainttoleration: `countIntolerableTaintsPreferNoSchedule`).
pub fn intolerable_prefer_no_schedule_taints(node: &Node, pod: &Pod, gates: &FeatureGates) -> i64 {
    let tolerations: Vec<Toleration> = pod
        .spec
        .as_ref()
        .map(PodSpec::tolerations)
        .unwrap_or_default()
        .iter()
        .filter(|t| {
            t.effect.as_ref().is_none_or(|e| e.as_str().is_empty() || *e == TaintEffect::PreferNoSchedule)
        })
        .cloned()
        .collect();
    let taints = node.spec.as_ref().map(|s| s.taints()).unwrap_or_default();
    let n = taints
        .iter()
        .filter(|t| {
            *t.effect_as_read() == TaintEffect::PreferNoSchedule
                && !tolerations_tolerate(&tolerations, t, gates)
        })
        .count();
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Normalizes raw scores to `0..=100` (upstream:
/// `helper.DefaultNormalizeScore`): the highest raw score maps to 100; with
/// `reverse`, to 0 (fewer is better, as for taints). When every score is 0
/// the result is 0 for all, or 100 for all with `reverse`.
pub fn normalize_scores(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0);
    if max <= 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = MAX_NODE_SCORE);
        }
        return;
    }
    for s in scores.iter_mut() {
        let scaled = MAX_NODE_SCORE.saturating_mul(*s).checked_div(max).unwrap_or(0);
        *s = if reverse { MAX_NODE_SCORE.saturating_sub(scaled) } else { scaled };
    }
}

// ---------------------------------------------------------------------------
// Fit
// ---------------------------------------------------------------------------

/// Why a pod does not fit a node: one failing scheduler filter.
///
/// `Display` is the text the scheduler prints for the filter.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Unfit {
    /// The node is cordoned (`spec.unschedulable`) and the pod does not
    /// tolerate `node.kubernetes.io/unschedulable:NoSchedule`
    /// (plugin NodeUnschedulable).
    Unschedulable,
    /// The pod names another node in `spec.nodeName` (plugin NodeName).
    NodeName {
        /// The node the pod asks for.
        requested: String,
    },
    /// A `NoSchedule` or `NoExecute` taint is not tolerated (plugin
    /// TaintToleration).
    UntoleratedTaint {
        /// The first untolerated taint.
        taint: Taint,
    },
    /// `nodeSelector` or required node affinity does not match (plugin
    /// NodeAffinity).
    NodeAffinity,
}

impl Unfit {
    /// The filter plugin that reports this reason.
    pub fn plugin(&self) -> &'static str {
        match self {
            Unfit::Unschedulable => "NodeUnschedulable",
            Unfit::NodeName { .. } => "NodeName",
            Unfit::UntoleratedTaint { .. } => "TaintToleration",
            Unfit::NodeAffinity => "NodeAffinity",
        }
    }
}

impl fmt::Display for Unfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unfit::Unschedulable => "node(s) were unschedulable",
            Unfit::NodeName { .. } => "node(s) didn't match the requested node name",
            Unfit::UntoleratedTaint { .. } => "node(s) had untolerated taint(s)",
            Unfit::NodeAffinity => "node(s) didn't match Pod's node affinity/selector",
        })
    }
}

/// The answer of [`fits`]: every failing filter, in the scheduler's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fit {
    /// Failing filters; empty when the pod fits.
    pub reasons: Vec<Unfit>,
}

impl Fit {
    /// Whether the pod fits.
    pub fn is_fit(&self) -> bool {
        self.reasons.is_empty()
    }

    /// The reason the scheduler reports for this node: the first failing
    /// filter.
    pub fn scheduler_reason(&self) -> Option<&Unfit> {
        self.reasons.first()
    }
}

/// Whether the pod fits the node, running the filters of the default
/// scheduler profile that need only the pod and the node, in profile order:
/// NodeUnschedulable, NodeName, TaintToleration, NodeAffinity.
pub fn fits(pod: &Pod, node: &Node, gates: &FeatureGates) -> Fit {
    PodFilter::new(pod).fits(node, gates)
}

/// A pod's side of [`fits`], read once: its tolerations, requested node
/// and parsed required node affinity. A scheduler checking one pod against
/// many nodes builds this once per pod instead of re-reading the pod (and
/// copying its `nodeSelector`) at every node.
///
/// ```
/// use kube_workloads::scheduling::PodFilter;
/// use kube_workloads::{FeatureGates, Node, Pod};
/// let pod: Pod = serde_json::from_value(serde_json::json!({
///     "metadata": {"name": "web"},
///     "spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "c", "image": "nginx"}]}
/// })).unwrap();
/// let ssd: Node = serde_json::from_value(serde_json::json!({"metadata": {"name": "a", "labels": {"disk": "ssd"}}})).unwrap();
/// let hdd: Node = serde_json::from_value(serde_json::json!({"metadata": {"name": "b", "labels": {"disk": "hdd"}}})).unwrap();
/// let filter = PodFilter::new(&pod);
/// let gates = FeatureGates::default();
/// assert!(filter.fits(&ssd, &gates).is_fit());
/// assert!(!filter.fits(&hdd, &gates).is_fit());
/// ```
#[derive(Clone, Debug)]
pub struct PodFilter<'a> {
    tolerations: &'a [Toleration],
    node_name: Option<&'a str>,
    affinity: RequiredNodeAffinity,
}

impl<'a> PodFilter<'a> {
    /// Reads the pod's side of the filters.
    pub fn new(pod: &'a Pod) -> PodFilter<'a> {
        let spec = pod.spec.as_ref();
        PodFilter {
            tolerations: spec.map(|s| s.tolerations()).unwrap_or_default(),
            node_name: spec.and_then(|s| s.node_name.as_deref()).filter(|n| !n.is_empty()),
            affinity: RequiredNodeAffinity::of(pod),
        }
    }

    /// [`fits`] for this pod on `node`.
    pub fn fits(&self, node: &Node, gates: &FeatureGates) -> Fit {
        let tolerations = self.tolerations;
        let node_spec = node.spec.as_ref();
        let mut reasons = Vec::new();

        // upstream: nodeunschedulable: Filter
        if node_spec.and_then(|s| s.unschedulable).unwrap_or(false) {
            let cordon = Taint {
                key: TAINT_NODE_UNSCHEDULABLE.to_owned(),
                effect: TaintEffect::NoSchedule,
                ..Taint::default()
            };
            if !tolerations_tolerate(tolerations, &cordon, gates) {
                reasons.push(Unfit::Unschedulable);
            }
        }
        // upstream: nodename: Fits
        if let Some(requested) = self.node_name
            && requested != node.metadata.name()
        {
            reasons.push(Unfit::NodeName { requested: requested.to_owned() });
        }
        // upstream: tainttoleration: Filter
        let taints = node_spec.map(|s| s.taints()).unwrap_or_default();
        if let Some(taint) = find_untolerated_taint(taints, tolerations, is_do_not_schedule_taint, gates) {
            reasons.push(Unfit::UntoleratedTaint { taint: taint.clone() });
        }
        // upstream: nodeaffinity: Filter
        if !self.affinity.matches(node) {
            reasons.push(Unfit::NodeAffinity);
        }
        Fit { reasons }
    }
}

/// The scheduler's summary over every node (upstream: `FitError.Error`):
/// `0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s)
/// didn't match Pod's node affinity/selector.` Each unfit node counts once,
/// under its first failing filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FitSummary {
    nodes: usize,
    reasons: BTreeMap<String, usize>,
}

impl FitSummary {
    /// Collects the answer for one more node.
    pub fn add(&mut self, fit: &Fit) {
        self.nodes = self.nodes.saturating_add(1);
        if let Some(r) = fit.scheduler_reason() {
            let n = self.reasons.entry(r.to_string()).or_insert(0);
            *n = n.saturating_add(1);
        }
    }

    /// Counts one more node as unfit for `reason`, a filter this crate does
    /// not model (a caller's capacity check: `Too many pods`).
    pub fn add_unfit(&mut self, reason: &str) {
        self.nodes = self.nodes.saturating_add(1);
        let n = self.reasons.entry(reason.to_owned()).or_insert(0);
        *n = n.saturating_add(1);
    }

    /// How many nodes fit.
    pub fn feasible(&self) -> usize {
        self.nodes.saturating_sub(self.reasons.values().fold(0usize, |a, n| a.saturating_add(*n)))
    }
}

/// With no node at all the scheduler reports `ErrNoNodesAvailable` instead;
/// the reasons (and their period) only when some node failed.
impl fmt::Display for FitSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nodes == 0 {
            return f.write_str("no nodes available to schedule pods");
        }
        write!(f, "0/{} nodes are available:", self.nodes)?;
        let mut parts: Vec<String> = self.reasons.iter().map(|(r, n)| format!("{n} {r}")).collect();
        parts.sort();
        if !parts.is_empty() {
            write!(f, " {}.", parts.join(", "))?;
        }
        Ok(())
    }
}
