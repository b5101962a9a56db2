//! Scheduling predicates: tables mirroring upstream's tests
//! (kubernetes/api core/v1/toleration_test.go TestTolerationToleratesTaint;
//! component-helpers scheduling/corev1/helpers_test.go
//! TestMatchNodeSelectorTerms, TestFindMatchingUntoleratedTaint;
//! nodeaffinity/nodeaffinity_test.go TestNodeSelectorMatch,
//! TestPodMatchesNodeSelectorAndAffinityTerms, TestPreferredSchedulingTermsScore;
//! pkg/scheduler/framework/plugins tainttoleration TestTaintTolerationFilter,
//! TestTaintTolerationScore, nodeunschedulable TestNodeUnschedulable;
//! pkg/controller/tainteviction TestGetMinTolerationTime). Each case names
//! the upstream case it mirrors; the cases are restated, not copied.

use kube_workloads::api::{NodeSelector, PreferredSchedulingTerm, Taint, Toleration};
use kube_workloads::scheduling::{
    Fit, FitSummary, NoExecuteEviction, NodeSelectorMatcher, PreferredSchedulingTerms, RequiredNodeAffinity,
    Unfit, find_untolerated_taint, fits, intolerable_prefer_no_schedule_taints, is_do_not_schedule_taint,
    match_node_selector_terms, no_execute_eviction, normalize_scores, taint_to_string, taints_match,
    tolerates, tolerates_with, tolerations_match,
};
use kube_workloads::{FeatureGates, Node, Pod};
use proptest::prelude::*;
use serde_json::{Value, json};

fn node(name: &str, labels: Value) -> Node {
    serde_json::from_value(json!({"metadata": {"name": name, "labels": labels}})).expect("node")
}

fn tainted(name: &str, taints: Value) -> Node {
    serde_json::from_value(json!({"metadata": {"name": name}, "spec": {"taints": taints}})).expect("node")
}

fn sel(terms: Value) -> NodeSelector {
    serde_json::from_value(json!({ "nodeSelectorTerms": terms })).expect("selector")
}

fn pod(spec: Value) -> Pod {
    let mut s = spec;
    s["containers"] = json!([{"name": "c", "image": "i"}]);
    serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "default"}, "spec": s}))
        .expect("pod")
}

fn tol(v: Value) -> Toleration {
    serde_json::from_value(v).expect("toleration")
}

fn taint(v: Value) -> Taint {
    serde_json::from_value(v).expect("taint")
}

fn expr(key: &str, op: &str, values: &[&str]) -> Value {
    json!({"key": key, "operator": op, "values": values})
}

#[test]
fn match_node_selector_terms_table() {
    // upstream: helpers_test.go TestMatchNodeSelectorTerms
    let host1 = json!({"key": "metadata.name", "operator": "In", "values": ["host_1"]});
    let label1 = expr("label_1", "In", &["label_1_val"]);
    let cases: Vec<(&str, NodeSelector, Node, bool)> = vec![
        ("nil terms", sel(json!([])), node("n", json!({})), false),
        (
            "node label matches matchExpressions terms",
            sel(json!([{"matchExpressions": [label1]}])),
            node("", json!({"label_1": "label_1_val"})),
            true,
        ),
        (
            "node field matches matchFields terms",
            sel(json!([{"matchFields": [host1]}])),
            node("host_1", json!({})),
            true,
        ),
        (
            "invalid node field requirement",
            sel(
                json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1", "host_2"]}]}]),
            ),
            node("host_1", json!({})),
            false,
        ),
        (
            "fieldSelectorTerm with node labels",
            sel(json!([{"matchFields": [host1]}])),
            node("not_host_1", json!({"metadata.name": "host_1"})),
            false,
        ),
        (
            "labelSelectorTerm with node fields",
            sel(json!([{"matchExpressions": [expr("metadata.name", "In", &["host_1"])]}])),
            node("host_1", json!({})),
            false,
        ),
        (
            "labelSelectorTerm and fieldSelectorTerm was set, but only node fields",
            sel(json!([{"matchExpressions": [label1], "matchFields": [host1]}])),
            node("host_1", json!({})),
            false,
        ),
        (
            "labelSelectorTerm and fieldSelectorTerm was set, both node fields and labels (both matched)",
            sel(json!([{"matchExpressions": [label1], "matchFields": [host1]}])),
            node("host_1", json!({"label_1": "label_1_val"})),
            true,
        ),
        (
            "labelSelectorTerm and fieldSelectorTerm was set, both node fields and labels (one mismatched)",
            sel(json!([{"matchExpressions": [label1], "matchFields": [host1]}])),
            node("host_1", json!({"label_1": "label_1_val-failed"})),
            false,
        ),
        (
            "multi-selector was set, both node fields and labels (one mismatched)",
            sel(json!([{"matchExpressions": [label1]}, {"matchFields": [host1]}])),
            node("host_1", json!({"label_1": "label_1_val-failed"})),
            true,
        ),
    ];
    for (name, selector, n, want) in cases {
        assert_eq!(match_node_selector_terms(&n, &selector), want, "{name}");
    }
}

#[test]
fn node_selector_match_table() {
    // upstream: nodeaffinity_test.go TestNodeSelectorMatch and
    // TestPodMatchesNodeSelectorAndAffinityTerms (operators, ORed terms,
    // empty terms, lazy errors).
    let n = node("host_1", json!({"foo": "bar", "kernel": "0204", "count": "5"}));
    let cases: Vec<(&str, Value, bool)> = vec![
        ("In matches", json!([{"matchExpressions": [expr("foo", "In", &["bar", "value2"])]}]), true),
        ("In does not match", json!([{"matchExpressions": [expr("foo", "In", &["value1"])]}]), false),
        (
            "NotIn on a missing label matches",
            json!([{"matchExpressions": [expr("gpu", "NotIn", &["x"])]}]),
            true,
        ),
        (
            "NotIn on the value does not match",
            json!([{"matchExpressions": [expr("foo", "NotIn", &["bar"])]}]),
            false,
        ),
        ("Exists", json!([{"matchExpressions": [{"key": "foo", "operator": "Exists"}]}]), true),
        ("DoesNotExist", json!([{"matchExpressions": [{"key": "foo", "operator": "DoesNotExist"}]}]), false),
        ("Gt with a label below", json!([{"matchExpressions": [expr("count", "Gt", &["5"])]}]), false),
        ("Gt with a label above", json!([{"matchExpressions": [expr("count", "Gt", &["4"])]}]), true),
        ("Lt with a label below", json!([{"matchExpressions": [expr("count", "Lt", &["6"])]}]), true),
        (
            "Gt reads leading zeros in the label (0204 = 204)",
            json!([{"matchExpressions": [expr("kernel", "Gt", &["203"])]}]),
            true,
        ),
        (
            "Gt reads leading zeros in the value",
            json!([{"matchExpressions": [expr("count", "Lt", &["0010"])]}]),
            true,
        ),
        ("Gt on a non-integer label", json!([{"matchExpressions": [expr("foo", "Gt", &["1"])]}]), false),
        ("Gt on a missing label", json!([{"matchExpressions": [expr("missing", "Gt", &["1"])]}]), false),
        (
            "expressions in a term are ANDed",
            json!([{"matchExpressions": [expr("foo", "In", &["bar"]), expr("count", "In", &["6"])]}]),
            false,
        ),
        (
            "terms are ORed",
            json!([{"matchExpressions": [expr("foo", "In", &["no"])]}, {"matchExpressions": [expr("count", "In", &["5"])]}]),
            true,
        ),
        ("an empty term matches nothing", json!([{}]), false),
        ("empty lists match nothing", json!([{"matchExpressions": [], "matchFields": []}]), false),
        (
            "an invalid term is skipped, the next one matches",
            json!([{"matchExpressions": [expr("foo", "Gt", &["-5"])]}, {"matchExpressions": [expr("foo", "In", &["bar"])]}]),
            true,
        ),
        (
            "an unknown operator disables its term",
            json!([{"matchExpressions": [expr("foo", "Has", &["bar"])]}]),
            false,
        ),
        ("In with no values is invalid", json!([{"matchExpressions": [expr("foo", "In", &[])]}]), false),
        (
            "Exists with values is invalid",
            json!([{"matchExpressions": [expr("foo", "Exists", &["bar"])]}]),
            false,
        ),
        (
            "Gt with two values is invalid",
            json!([{"matchExpressions": [expr("count", "Gt", &["1", "2"])]}]),
            false,
        ),
        (
            "a value with a colon is invalid",
            json!([{"matchExpressions": [expr("foo", "In", &["a:b", "bar"])]}]),
            false,
        ),
        (
            "matchFields NotIn another name",
            json!([{"matchFields": [{"key": "metadata.name", "operator": "NotIn", "values": ["host_2"]}]}]),
            true,
        ),
        (
            "matchFields Exists is unsupported",
            json!([{"matchFields": [{"key": "metadata.name", "operator": "Exists"}]}]),
            false,
        ),
    ];
    for (name, terms, want) in cases {
        let s = sel(terms);
        assert_eq!(NodeSelectorMatcher::lazy(&s).matches(&n), want, "{name}");
    }
}

#[test]
fn lazy_and_strict_errors() {
    // upstream: nodeaffinity_test.go TestNodeSelectorMatch "invalid
    // selector": the lazy matcher reports an error only when nothing matched.
    let n = node("host_1", json!({"foo": "bar"}));
    let s = sel(
        json!([{"matchExpressions": [expr("foo", "Gt", &["x"])]}, {"matchExpressions": [expr("foo", "In", &["bar"])]}]),
    );
    assert_eq!(NodeSelectorMatcher::lazy(&s).try_matches(&n), Ok(true));
    // NewRequirement's errors under the requirement's path
    // (nodeSelectorRequirementsAsSelector's field.WithPath).
    assert_eq!(
        NodeSelectorMatcher::strict(&s).err().map(|e| e.to_string()).as_deref(),
        Some(
            "nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators, the value must be an integer"
        )
    );
    // NewRequirement's aggregate is flattened into the selector's (errors.Flatten).
    let several =
        sel(json!([{"matchExpressions": [expr("a/b/c", "In", &["-x"]), expr("k", "Exists", &["v"])]}]));
    let err = NodeSelectorMatcher::strict(&several).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.starts_with("[nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: \"a/b/c\": "),
        "{err}"
    );
    assert!(!err.contains("[["), "{err}");
    assert!(
        err.contains(", nodeSelectorTerms[0].matchExpressions[0].values[0][a/b/c]: Invalid value: \"-x\": "),
        "{err}"
    );
    assert!(err.ends_with("nodeSelectorTerms[0].matchExpressions[1].values: Invalid value: [\"v\"]: values set must be empty for exists and does not exist]"), "{err}");
    let bad_key = sel(json!([{"matchExpressions": [expr("a/b/c", "Exists", &[])]}]));
    let err = NodeSelectorMatcher::strict(&bad_key).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        err.starts_with("nodeSelectorTerms[0].matchExpressions[0].key: Invalid value: \"a/b/c\": "),
        "{err}"
    );
    let only_bad = sel(json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": []}]}]));
    let err = NodeSelectorMatcher::lazy(&only_bad).try_matches(&n).expect_err("error");
    assert_eq!(
        err.to_string(),
        "nodeSelectorTerms[0].matchFields[0].values: Invalid value: []: must have one element"
    );
    // Several values print as compact JSON (field.Invalid, 1.34+).
    let two =
        sel(json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a", "b"]}]}]));
    let err = NodeSelectorMatcher::lazy(&two).try_matches(&n).expect_err("error");
    assert_eq!(
        err.to_string(),
        "nodeSelectorTerms[0].matchFields[0].values: Invalid value: [\"a\",\"b\"]: must have one element"
    );
    // Both go through json.Marshal upstream (the operator is a named Go
    // string type), which escapes `<`, `>` and `&`.
    let html =
        sel(json!([{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["a&b", "c"]}]}]));
    let err = NodeSelectorMatcher::lazy(&html).try_matches(&n).expect_err("error");
    assert_eq!(
        err.to_string(),
        "nodeSelectorTerms[0].matchFields[0].values: Invalid value: [\"a\\u0026b\",\"c\"]: must have one element"
    );
    let op = sel(json!([{"matchExpressions": [{"key": "k", "operator": "a<b", "values": ["x"]}]}]));
    let err = NodeSelectorMatcher::lazy(&op).try_matches(&n).expect_err("error").to_string();
    assert!(
        err.starts_with(
            "nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: \"a\\u003cb\": "
        ),
        "{err}"
    );
}

#[test]
fn required_node_affinity_table() {
    // upstream: nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms
    let n = node("host_1", json!({"foo": "bar"}));
    let cases: Vec<(&str, Value, bool)> = vec![
        ("no selector, no affinity", json!({}), true),
        ("nodeSelector matches", json!({"nodeSelector": {"foo": "bar"}}), true),
        ("nodeSelector value differs", json!({"nodeSelector": {"foo": "baz"}}), false),
        ("nodeSelector key missing", json!({"nodeSelector": {"gpu": ""}}), false),
        ("empty affinity is no constraint", json!({"affinity": {}}), true),
        ("empty nodeAffinity is no constraint", json!({"affinity": {"nodeAffinity": {}}}), true),
        (
            "required with no terms matches nothing",
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": []}}}}),
            false,
        ),
        (
            "nodeSelector and affinity must both match",
            json!({"nodeSelector": {"foo": "bar"}, "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
                {"nodeSelectorTerms": [{"matchExpressions": [expr("foo", "NotIn", &["bar"])]}]}}}}),
            false,
        ),
        (
            "matchFields on the node's name",
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution":
                {"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]}]}}}}),
            true,
        ),
    ];
    for (name, spec, want) in cases {
        assert_eq!(RequiredNodeAffinity::of(&pod(spec)).matches(&n), want, "{name}");
    }
}

#[test]
fn toleration_tolerates_taint_table() {
    // upstream: core/v1/toleration_test.go TestTolerationToleratesTaint
    let cases: Vec<(&str, Value, Value, bool)> = vec![
        (
            "empty effect matches every effect",
            json!({"key": "foo", "operator": "Exists"}),
            json!({"key": "foo", "effect": "NoExecute"}),
            true,
        ),
        (
            "effect mismatch",
            json!({"key": "foo", "operator": "Exists", "effect": "NoSchedule"}),
            json!({"key": "foo", "effect": "NoExecute"}),
            false,
        ),
        (
            "empty key with Exists tolerates everything",
            json!({"operator": "Exists"}),
            json!({"key": "anything", "value": "x", "effect": "NoSchedule"}),
            true,
        ),
        (
            "key mismatch",
            json!({"key": "foo", "operator": "Exists"}),
            json!({"key": "bar", "effect": "NoSchedule"}),
            false,
        ),
        (
            "Equal with equal values",
            json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}),
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            true,
        ),
        (
            "Equal with different values",
            json!({"key": "foo", "operator": "Equal", "value": "bar", "effect": "NoSchedule"}),
            json!({"key": "foo", "value": "baz", "effect": "NoSchedule"}),
            false,
        ),
        (
            "empty operator means Equal",
            json!({"key": "foo", "value": "bar"}),
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            true,
        ),
        (
            "empty operator, empty values",
            json!({"key": "foo"}),
            json!({"key": "foo", "effect": "NoSchedule"}),
            true,
        ),
        (
            "Exists ignores the value",
            json!({"key": "foo", "operator": "Exists", "value": "zzz"}),
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            true,
        ),
        (
            "Gt with the gate off never tolerates",
            json!({"key": "foo", "operator": "Gt", "value": "1"}),
            json!({"key": "foo", "value": "5", "effect": "NoSchedule"}),
            false,
        ),
        (
            "unknown operator",
            json!({"key": "foo", "operator": "Like", "value": "bar"}),
            json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}),
            false,
        ),
        (
            "tolerationSeconds does not matter",
            json!({"key": "foo", "operator": "Exists", "tolerationSeconds": 0}),
            json!({"key": "foo", "effect": "NoExecute"}),
            true,
        ),
    ];
    for (name, t, tn, want) in cases {
        assert_eq!(tolerates(&tol(t), &taint(tn)), want, "{name}");
    }
}

#[test]
fn comparison_operators_behind_gate() {
    // upstream: core/v1/toleration_test.go TestTolerationToleratesTaint
    // (TaintTolerationComparisonOperators cases) and TestCompareNumericValues.
    let mut gates = FeatureGates::default();
    gates.taint_toleration_comparison_operators = true;
    let cases: Vec<(&str, &str, &str, bool)> = vec![
        ("Gt", "5", "3", true),
        ("Gt", "3", "3", false),
        ("Lt", "2", "3", true),
        ("Lt", "-4", "-3", true),
        ("Gt", "05", "3", false), // leading zero: not canonical
        ("Gt", "+5", "3", false),
        ("Gt", "5", "3.0", false),
        ("Lt", "abc", "3", false),
    ];
    for (op, taint_value, tol_value, want) in cases {
        let t = tol(json!({"key": "k", "operator": op, "value": tol_value}));
        let tn = taint(json!({"key": "k", "value": taint_value, "effect": "NoSchedule"}));
        assert_eq!(tolerates_with(&t, &tn, &gates), want, "{taint_value} {op} {tol_value}");
    }
}

#[test]
fn find_matching_untolerated_taint_table() {
    // upstream: helpers_test.go TestFindMatchingUntoleratedTaint
    let taints: Vec<Taint> = vec![
        taint(json!({"key": "soft", "effect": "PreferNoSchedule"})),
        taint(json!({"key": "dedicated", "value": "db", "effect": "NoSchedule"})),
        taint(json!({"key": "evict", "effect": "NoExecute"})),
    ];
    let g = FeatureGates::default();
    let none: Vec<Toleration> = vec![];
    let found = find_untolerated_taint(&taints, &none, |_| true, &g).map(|t| t.key.clone());
    assert_eq!(found.as_deref(), Some("soft"), "no filter: the first taint");
    let found = find_untolerated_taint(&taints, &none, is_do_not_schedule_taint, &g).map(|t| t.key.clone());
    assert_eq!(found.as_deref(), Some("dedicated"), "PreferNoSchedule is not a scheduling filter taint");
    let some = vec![tol(json!({"key": "dedicated", "operator": "Equal", "value": "db"}))];
    let found = find_untolerated_taint(&taints, &some, is_do_not_schedule_taint, &g).map(|t| t.key.clone());
    assert_eq!(found.as_deref(), Some("evict"));
    let all = vec![tol(json!({"operator": "Exists"}))];
    assert!(find_untolerated_taint(&taints, &all, |_| true, &g).is_none());
}

#[test]
fn taint_toleration_filter_table() {
    // upstream: tainttoleration/taint_toleration_test.go TestTaintTolerationFilter
    let g = FeatureGates::default();
    let cases: Vec<(&str, Value, Value, bool)> = vec![
        (
            "a pod with no tolerations on a tainted node",
            json!({}),
            json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}]),
            false,
        ),
        (
            "a pod tolerating the taint",
            json!({"tolerations": [{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}]}),
            json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}]),
            true,
        ),
        (
            "a toleration with another value",
            json!({"tolerations": [{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}]}),
            json!([{"key": "dedicated", "value": "user1", "effect": "NoSchedule"}]),
            false,
        ),
        (
            "Exists without value",
            json!({"tolerations": [{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}]}),
            json!([{"key": "foo", "value": "bar", "effect": "NoSchedule"}]),
            true,
        ),
        (
            "only one of two taints tolerated",
            json!({"tolerations": [{"key": "dedicated", "operator": "Equal", "value": "user2", "effect": "NoSchedule"}, {"key": "foo", "operator": "Exists", "effect": "NoSchedule"}]}),
            json!([{"key": "dedicated", "value": "user2", "effect": "NoSchedule"}, {"key": "foo", "value": "bar", "effect": "NoSchedule"}]),
            true,
        ),
        (
            "the effect of the toleration differs",
            json!({"tolerations": [{"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"}]}),
            json!([{"key": "foo", "value": "bar", "effect": "NoSchedule"}]),
            false,
        ),
        (
            "a PreferNoSchedule taint never filters",
            json!({}),
            json!([{"key": "foo", "value": "bar", "effect": "PreferNoSchedule"}]),
            true,
        ),
        ("a NoExecute taint filters", json!({}), json!([{"key": "foo", "effect": "NoExecute"}]), false),
    ];
    for (name, spec, taints, want) in cases {
        let fit = fits(&pod(spec), &tainted("n", taints), &g);
        assert_eq!(fit.is_fit(), want, "{name}: {:?}", fit.reasons);
        if !want {
            assert!(matches!(fit.reasons.as_slice(), [Unfit::UntoleratedTaint { .. }]), "{name}");
            assert_eq!(fit.reasons[0].to_string(), "node(s) had untolerated taint(s)");
        }
    }
}

#[test]
fn taint_toleration_score() {
    // upstream: TestTaintTolerationScore "the more intolerable taints a node
    // has, the lower its score" (0, 1, 2 untolerated → 100, 50, 0).
    let g = FeatureGates::default();
    let p = pod(
        json!({"tolerations": [{"key": "foo", "operator": "Equal", "value": "bar", "effect": "PreferNoSchedule"},
                                        {"key": "cpu-type", "operator": "Equal", "value": "arm64", "effect": "NoSchedule"}]}),
    );
    let nodes = [
        tainted("a", json!([])),
        tainted("b", json!([{"key": "cpu-type", "value": "arm64", "effect": "PreferNoSchedule"}])),
        tainted(
            "c",
            json!([{"key": "cpu-type", "value": "arm64", "effect": "PreferNoSchedule"},
                            {"key": "disk-type", "value": "ssd", "effect": "PreferNoSchedule"}]),
        ),
    ];
    let mut scores: Vec<i64> =
        nodes.iter().map(|n| intolerable_prefer_no_schedule_taints(n, &p, &g)).collect();
    assert_eq!(scores, [0, 1, 2]);
    normalize_scores(&mut scores, true);
    assert_eq!(scores, [100, 50, 0]);
    let mut zeros = vec![0, 0];
    normalize_scores(&mut zeros, true);
    assert_eq!(zeros, [100, 100], "no taints anywhere: every node scores 100");
}

#[test]
fn preferred_scheduling_terms_score() {
    // upstream: nodeaffinity_test.go TestPreferredSchedulingTermsScore
    let terms: Vec<PreferredSchedulingTerm> = serde_json::from_value(json!([
        {"weight": 5, "preference": {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["host_1"]}]}},
        {"weight": 7, "preference": {"matchExpressions": [{"key": "unknown_label", "operator": "In", "values": ["unknown_label_val"]}]}},
        {"weight": 11, "preference": {"matchExpressions": [{"key": "label_1", "operator": "In", "values": ["label_1_val"]}]}},
        {"weight": 0, "preference": {"matchExpressions": [{"key": "label_1", "operator": "Gt", "values": ["bad"]}]}},
        {"weight": 3, "preference": {}}
    ]))
    .expect("terms");
    let parsed = PreferredSchedulingTerms::new(&terms).expect("weight-0 and empty terms are skipped");
    assert_eq!(parsed.score(&node("host_1", json!({"label_1": "label_1_val"}))), 16);
    let bad: Vec<PreferredSchedulingTerm> = serde_json::from_value(json!([
        {"weight": 1, "preference": {"matchExpressions": [{"key": "l", "operator": "Gt", "values": ["x"]}]}}
    ]))
    .expect("terms");
    assert!(PreferredSchedulingTerms::new(&bad).is_err());
}

#[test]
fn node_unschedulable_table() {
    // upstream: nodeunschedulable/node_unschedulable_test.go TestNodeUnschedulable
    let g = FeatureGates::default();
    let cordoned: Node =
        serde_json::from_value(json!({"metadata": {"name": "n"}, "spec": {"unschedulable": true}}))
            .expect("node");
    let open: Node =
        serde_json::from_value(json!({"metadata": {"name": "n"}, "spec": {"unschedulable": false}}))
            .expect("node");
    let plain = pod(json!({}));
    let tolerant = pod(
        json!({"tolerations": [{"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}]}),
    );
    assert_eq!(fits(&plain, &cordoned, &g).reasons, vec![Unfit::Unschedulable]);
    assert_eq!(fits(&plain, &cordoned, &g).reasons[0].to_string(), "node(s) were unschedulable");
    assert!(fits(&plain, &open, &g).is_fit());
    assert!(fits(&tolerant, &cordoned, &g).is_fit());
}

#[test]
fn fit_reports_every_filter_in_profile_order() {
    let g = FeatureGates::default();
    let n: Node = serde_json::from_value(json!({"metadata": {"name": "n1", "labels": {"zone": "a"}},
        "spec": {"unschedulable": true, "taints": [{"key": "gpu", "effect": "NoSchedule"}]}}))
    .expect("node");
    let p = pod(json!({"nodeName": "n2", "nodeSelector": {"zone": "b"}}));
    let fit = fits(&p, &n, &g);
    let texts: Vec<String> = fit.reasons.iter().map(ToString::to_string).collect();
    assert_eq!(
        texts,
        [
            "node(s) were unschedulable",
            "node(s) didn't match the requested node name",
            "node(s) had untolerated taint(s)",
            "node(s) didn't match Pod's node affinity/selector",
        ]
    );
    assert_eq!(fit.scheduler_reason(), Some(&Unfit::Unschedulable));
    if let Some(Unfit::UntoleratedTaint { taint }) = fit.reasons.get(2) {
        assert_eq!(taint_to_string(taint), "gpu:NoSchedule");
    } else {
        panic!("expected a taint reason");
    }
}

#[test]
fn fit_summary_reads_like_the_scheduler() {
    // upstream: framework/types.go FitError.Error: counts per reason, sorted.
    let g = FeatureGates::default();
    let p = pod(json!({"nodeSelector": {"disk": "ssd"}}));
    let nodes = [
        node("a", json!({"disk": "hdd"})),
        node("b", json!({})),
        tainted("c", json!([{"key": "x", "effect": "NoExecute"}])),
    ];
    let mut summary = FitSummary::default();
    for n in &nodes {
        summary.add(&fits(&p, n, &g));
    }
    assert_eq!(summary.feasible(), 0);
    assert_eq!(
        summary.to_string(),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't match Pod's node affinity/selector."
    );
    // upstream: FitError.Error adds the histogram and its period only when
    // some node failed; with no node the scheduler says ErrNoNodesAvailable.
    assert_eq!(FitSummary::default().to_string(), "no nodes available to schedule pods");
    let mut empty = FitSummary::default();
    empty.add(&Fit::default());
    assert_eq!(empty.feasible(), 1);
    assert_eq!(empty.to_string(), "0/1 nodes are available:");
}

#[test]
fn min_toleration_time_table() {
    // upstream: tainteviction/taint_eviction_test.go TestGetMinTolerationTime
    let g = FeatureGates::default();
    let taints = vec![taint(json!({"key": "k", "effect": "NoExecute"}))];
    let cases: Vec<(&str, Value, NoExecuteEviction)> = vec![
        ("no tolerations: evict now", json!([]), NoExecuteEviction::Now),
        (
            "tolerated forever",
            json!([{"key": "k", "operator": "Exists", "effect": "NoExecute"}]),
            NoExecuteEviction::Never,
        ),
        (
            // upstream: GetMatchingTolerations keeps only the first toleration of each taint
            "only the first toleration of a taint is used",
            json!([{"key": "k", "operator": "Exists", "tolerationSeconds": 300}, {"operator": "Exists", "tolerationSeconds": 60}]),
            NoExecuteEviction::After(300),
        ),
        (
            "a negative tolerationSeconds evicts now",
            json!([{"key": "k", "operator": "Exists", "tolerationSeconds": -1}]),
            NoExecuteEviction::Now,
        ),
    ];
    for (name, tols, want) in cases {
        let tols: Vec<Toleration> = serde_json::from_value(tols).expect("tolerations");
        assert_eq!(no_execute_eviction(&taints, &tols, &g), want, "{name}");
    }
    assert_eq!(no_execute_eviction(&[], &[], &g), NoExecuteEviction::Never);
    // Across taints the shortest used tolerationSeconds wins.
    let two = vec![
        taint(json!({"key": "a", "effect": "NoExecute"})),
        taint(json!({"key": "b", "effect": "NoExecute"})),
    ];
    let tols: Vec<Toleration> = serde_json::from_value(json!([
        {"key": "a", "operator": "Exists", "tolerationSeconds": 300},
        {"key": "b", "operator": "Exists", "tolerationSeconds": 60}
    ]))
    .expect("tolerations");
    assert_eq!(no_execute_eviction(&two, &tols, &g), NoExecuteEviction::After(60));
}

#[test]
fn toleration_identity() {
    // upstream: core/v1/toleration_test.go TestMatchToleration
    let a = tol(json!({"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 5}));
    let b = tol(json!({"key": "k", "operator": "Exists", "effect": "NoExecute"}));
    let c = tol(json!({"key": "k", "operator": "Exists"}));
    assert!(tolerations_match(&a, &b));
    assert!(!tolerations_match(&a, &c));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// An `Exists` toleration with no key and no effect tolerates any taint;
    /// a matcher never panics on arbitrary keys and values.
    #[test]
    fn wildcard_tolerates_everything(key in "[a-z./-]{0,12}", value in "[a-zA-Z0-9:-]{0,8}", effect in 0usize..3) {
        let effect = ["NoSchedule", "PreferNoSchedule", "NoExecute"][effect];
        let t = taint(json!({"key": key, "value": value, "effect": effect}));
        let wildcard = tol(json!({"operator": "Exists"}));
        prop_assert!(tolerates(&wildcard, &t), "wildcard must tolerate");
        let mut labels = serde_json::Map::new();
        labels.insert(key.clone(), Value::String(value.clone()));
        let n = node("n", Value::Object(labels));
        let s = sel(json!([{"matchExpressions": [{"key": key, "operator": "In", "values": [value]}]}]));
        let _ = NodeSelectorMatcher::lazy(&s).try_matches(&n);
    }
}

// upstream: nodeaffinity.go nodeSelectorRequirementsAsSelector: a missing
// operator is Go's empty string, no operator: the term is a parse error and
// matches nothing (here it used to decode as `In`).
#[test]
fn a_node_requirement_without_operator_matches_nothing() {
    let n = node("n1", json!({"zone": "a"}));
    let without = sel(json!([{"matchExpressions": [{"key": "zone", "values": ["a"]}]}]));
    assert!(!match_node_selector_terms(&n, &without));
    assert!(NodeSelectorMatcher::strict(&without).is_err());
    let with = sel(json!([{"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}]));
    assert!(match_node_selector_terms(&n, &with));
}

// upstream: a taint's missing effect is Go's empty string, which the
// TaintToleration filter (NoSchedule / NoExecute) and the taint manager
// (NoExecute) ignore; it used to decode as NoSchedule here.
#[test]
fn a_taint_without_effect_blocks_nothing() {
    let g = FeatureGates::default();
    let p = pod(json!({}));
    let n = tainted("n1", json!([{"key": "x"}]));
    assert!(fits(&p, &n, &g).is_fit(), "{:?}", fits(&p, &n, &g));
    let t = &n.spec.as_ref().expect("spec").taints()[0];
    assert!(!is_do_not_schedule_taint(t));
    // upstream: taint_test.go TestTaintToString: without an effect, the key
    // alone (with a value, `key=value:`).
    assert_eq!(taint_to_string(t), "x");
    // An explicit effect still blocks.
    let n = tainted("n1", json!([{"key": "x", "effect": "NoSchedule"}]));
    assert!(!fits(&p, &n, &g).is_fit());
}

// upstream: FitError.Error counts each unfit node under its first failing
// plugin's reason, NodeResourcesFit's `Too many pods` included (a filter
// the caller models: the simulator's pod capacity).
#[test]
fn fit_summary_counts_a_callers_reason() {
    let g = FeatureGates::default();
    let mut summary = FitSummary::default();
    summary.add(&fits(&pod(json!({})), &tainted("a", json!([{"key": "x", "effect": "NoSchedule"}])), &g));
    summary.add_unfit("Too many pods");
    summary.add_unfit("Too many pods");
    assert_eq!(summary.feasible(), 0);
    assert_eq!(
        summary.to_string(),
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Too many pods."
    );
}

// upstream: k8s.io/api core/v1 taint_test.go TestTaintToString, all four
// cases, and TestMatchTaint (key and effect decide, the value does not).
#[test]
fn taint_to_string_and_match_taint() {
    let cases = [
        (json!({"key": "foo", "value": "bar", "effect": "NoSchedule"}), "foo=bar:NoSchedule"),
        (json!({"key": "foo", "effect": "NoSchedule"}), "foo:NoSchedule"),
        (json!({"key": "foo"}), "foo"),
        (json!({"key": "foo", "value": "bar"}), "foo=bar:"),
    ];
    for (t, want) in cases {
        assert_eq!(taint_to_string(&taint(t.clone())), want, "{t}");
    }
    let base = taint(json!({"key": "one", "value": "one", "effect": "NoSchedule"}));
    let matches = [
        (json!({"key": "one", "value": "one", "effect": "NoSchedule"}), true),
        (json!({"key": "one", "value": "two", "effect": "NoSchedule"}), true),
        (json!({"key": "two", "value": "one", "effect": "NoSchedule"}), false),
        (json!({"key": "one", "value": "one", "effect": "PreferNoSchedule"}), false),
    ];
    for (t, want) in matches {
        assert_eq!(taints_match(&base, &taint(t.clone())), want, "{t}");
    }
}
