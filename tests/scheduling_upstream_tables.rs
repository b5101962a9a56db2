//! Upstream cases of the node affinity, taint and toleration helpers not yet
//! mirrored by tests/scheduling.rs: component-helpers
//! scheduling/corev1/nodeaffinity/nodeaffinity_test.go,
//! scheduling/corev1/helpers_test.go and k8s.io/api core/v1
//! toleration_test.go. Each test names the upstream test and case it
//! restates (inputs and expectations as upstream's; the code is this
//! crate's).

use kube_workloads::api::{NodeSelector, PreferredSchedulingTerm, Taint, TaintEffect, Toleration};
use kube_workloads::scheduling::{
    NodeSelectorError, NodeSelectorMatcher, PreferredSchedulingTerms, RequiredNodeAffinity,
    find_untolerated_taint, tolerates_with,
};
use kube_workloads::{FeatureGates, Node, Pod};
use serde_json::{Value, json};

fn node(name: &str, labels: Value) -> Node {
    serde_json::from_value(json!({"metadata": {"name": name, "labels": labels}})).expect("node")
}

fn pod(spec: Value) -> Pod {
    let mut s = spec;
    s["containers"] = json!([{"name": "c", "image": "i"}]);
    serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "default"}, "spec": s}))
        .expect("pod")
}

fn req(key: &str, op: &str, values: &[&str]) -> Value {
    if values.is_empty() {
        json!({"key": key, "operator": op})
    } else {
        json!({"key": key, "operator": op, "values": values})
    }
}

fn required(terms: Value) -> Value {
    json!({"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": terms}}})
}

fn gates(comparison_operators: bool) -> FeatureGates {
    let mut g = FeatureGates::default();
    g.taint_toleration_comparison_operators = comparison_operators;
    g
}

/// The messages of a selector error, one per field error (an aggregate
/// flattened).
fn messages(err: &NodeSelectorError) -> Vec<String> {
    match err {
        NodeSelectorError::Multiple(all) => all.iter().flat_map(messages).collect(),
        one => vec![one.to_string()],
    }
}

/// Asserts a field error's path, type and detail, its bad value aside (as
/// upstream's `ignoreBadValue`).
fn assert_field_error(message: &str, path: &str, detail: &str) {
    assert!(message.starts_with(&format!("{path}: Invalid value: ")), "{message}");
    assert!(message.ends_with(&format!(": {detail}")), "{message}");
}

const KEY_DETAIL: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/// The three terms of upstream's "invalid field selector and label
/// selector" cases: two values in matchFields, a valid term, an invalid key.
fn invalid_terms() -> Value {
    json!([
        {"matchFields": [req("metadata.name", "In", &["host_1", "host_2"])]},
        {"matchExpressions": [req("label_1", "In", &["label_1_val"])],
         "matchFields": [req("metadata.name", "In", &["host_1"])]},
        {"matchExpressions": [req("invalid key", "In", &["label_value"])]}
    ])
}

// upstream: nodeaffinity_test.go TestNodeSelectorMatch "invalid field
// selector and label selector"
#[test]
fn node_selector_match_invalid_field_and_label_selector() {
    let selector: NodeSelector =
        serde_json::from_value(json!({"nodeSelectorTerms": invalid_terms()})).expect("selector");
    let err = NodeSelectorMatcher::strict(&selector).expect_err("NewNodeSelector fails");
    let got = messages(&err);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_field_error(&got[0], "nodeSelectorTerms[0].matchFields[0].values", "must have one element");
    assert_field_error(&got[1], "nodeSelectorTerms[2].matchExpressions[0].key", KEY_DETAIL);
}

// upstream: nodeaffinity_test.go TestPreferredSchedulingTermsScore "invalid
// field selector and label selector"
#[test]
fn preferred_scheduling_terms_invalid_field_and_label_selector() {
    let terms: Vec<PreferredSchedulingTerm> = serde_json::from_value(Value::Array(
        invalid_terms()
            .as_array()
            .expect("terms")
            .iter()
            .map(|t| json!({"weight": 1, "preference": t}))
            .collect(),
    ))
    .expect("terms");
    let err = PreferredSchedulingTerms::new(&terms).expect_err("NewPreferredSchedulingTerms fails");
    let got = messages(&err);
    assert_eq!(got.len(), 2, "{got:?}");
    assert_field_error(&got[0], "[0].matchFields[0].values", "must have one element");
    assert_field_error(&got[1], "[2].matchExpressions[0].key", KEY_DETAIL);
}

// upstream: nodeaffinity_test.go TestPodMatchesNodeSelectorAndAffinityTerms
// (the rows named in each case)
#[test]
fn pod_matches_node_selector_and_affinity_terms_rows() {
    // (upstream case, pod spec, node name, node labels, want)
    let rows: Vec<(&str, Value, &str, Value, bool)> = vec![
        (
            "node labels are superset",
            json!({"nodeSelector": {"foo": "bar"}}),
            "",
            json!({"foo": "bar", "baz": "blah"}),
            true,
        ),
        (
            "node labels are subset",
            json!({"nodeSelector": {"foo": "bar", "baz": "blah"}}),
            "",
            json!({"foo": "bar"}),
            false,
        ),
        (
            "Pod with matchExpressions using NotIn operator that matches the existing node",
            json!({"affinity": required(json!([{"matchExpressions": [req("mem-type", "NotIn", &["DDR", "DDR2"])]}]))}),
            "",
            json!({"mem-type": "DDR3"}),
            true,
        ),
        (
            "Pod with multiple matchExpressions ANDed that matches the existing node",
            json!({"affinity": required(json!([{"matchExpressions": [
                req("GPU", "Exists", &[]), req("GPU", "NotIn", &["AMD", "INTER"])]}]))}),
            "",
            json!({"GPU": "NVIDIA-GRID-K1"}),
            true,
        ),
        (
            "Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node",
            json!({"nodeSelector": {"foo": "bar"},
                   "affinity": required(json!([{"matchExpressions": [req("foo", "Exists", &[])]}]))}),
            "",
            json!({"foo": "bar"}),
            true,
        ),
        (
            "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
            json!({"nodeSelector": {"foo": "bar"},
                   "affinity": required(json!([{"matchExpressions": [req("foo", "Exists", &[])]}]))}),
            "",
            json!({"foo": "barrrrrr"}),
            false,
        ),
        (
            "Pod with matchFields using In operator that does not match the existing node",
            json!({"affinity": required(json!([{"matchFields": [req("metadata.name", "In", &["node_1"])]}]))}),
            "node_2",
            json!({}),
            false,
        ),
        (
            "Pod with one term: matchFields does not match, but matchExpressions matches",
            json!({"affinity": required(json!([{
                "matchFields": [req("metadata.name", "In", &["node_1"])],
                "matchExpressions": [req("foo", "In", &["bar"])]}]))}),
            "node_2",
            json!({"foo": "bar"}),
            false,
        ),
        (
            "Pod with two terms: both matchFields and matchExpressions do not match",
            json!({"affinity": required(json!([
                {"matchFields": [req("metadata.name", "In", &["node_1"])]},
                {"matchExpressions": [req("foo", "In", &["not-match-to-bar"])]}]))}),
            "node_2",
            json!({"foo": "bar"}),
            false,
        ),
    ];
    for (name, spec, node_name, labels, want) in rows {
        let n = node(node_name, labels);
        // Every row's selector is valid: no error either way.
        assert_eq!(RequiredNodeAffinity::of(&pod(spec)).try_matches(&n), Ok(want), "{name}");
    }
}

fn taints(v: Value) -> Vec<Taint> {
    serde_json::from_value(v).expect("taints")
}

fn tolerations(v: Value) -> Vec<Toleration> {
    serde_json::from_value(v).expect("tolerations")
}

// upstream: helpers_test.go TestFindMatchingUntoleratedTaint, every row (the
// returned error of the non-numeric row has no counterpart here; a nil
// filter is a filter that accepts every taint)
#[test]
fn find_matching_untolerated_taint_rows() {
    type Filter = fn(&Taint) -> bool;
    let all: Filter = |_| true;
    let none: Filter = |_| false;
    let no_execute: Filter = |t| *t.effect_as_read() == TaintEffect::NoExecute;
    let foo_no_schedule = json!([{"key": "foo", "operator": "Exists", "effect": "NoSchedule"}]);
    let sla = |op: &str, value: &str| json!([{"key": "node.kubernetes.io/sla", "operator": op, "value": value, "effect": "NoSchedule"}]);
    let sla_taint =
        |value: &str| json!([{"key": "node.kubernetes.io/sla", "value": value, "effect": "NoSchedule"}]);
    // (upstream case, tolerations, taints, filter, comparison gate, untolerated taint's value)
    type Row<'a> = (&'a str, Value, Value, Filter, bool, Option<&'a str>);
    let rows: Vec<Row<'_>> = vec![
        ("empty tolerations tolerate empty taints", json!([]), json!([]), all, false, None),
        ("non-empty tolerations tolerate empty taints", foo_no_schedule.clone(), json!([]), all, false, None),
        (
            "tolerations match all taints, expect tolerated",
            foo_no_schedule.clone(),
            json!([{"key": "foo", "effect": "NoSchedule"}]),
            all,
            false,
            None,
        ),
        (
            "tolerations don't match taints, but no taints apply to the filter, expect tolerated",
            foo_no_schedule.clone(),
            json!([{"key": "bar", "effect": "NoSchedule"}]),
            none,
            false,
            None,
        ),
        (
            "no filterFunc indicated, means all taints apply to the filter, tolerations don't match taints, expect untolerated",
            foo_no_schedule,
            json!([{"key": "bar", "effect": "NoSchedule"}]),
            all,
            false,
            Some("bar"),
        ),
        (
            "tolerations match taints, expect tolerated",
            json!([{"key": "foo", "operator": "Exists", "effect": "NoExecute"}]),
            json!([{"key": "foo", "effect": "NoExecute"}, {"key": "bar", "effect": "NoSchedule"}]),
            no_execute,
            false,
            None,
        ),
        (
            "numeric Gt operator with taint value below threshold, expect not tolerated",
            sla("Gt", "950"),
            sla_taint("800"),
            all,
            true,
            Some("node.kubernetes.io/sla"),
        ),
        (
            "numeric Gt operator with taint value above threshold, expect tolerated",
            sla("Gt", "750"),
            sla_taint("950"),
            all,
            true,
            None,
        ),
        (
            "numeric Lt operator with taint value above threshold, expect not tolerated",
            sla("Lt", "800"),
            sla_taint("950"),
            all,
            true,
            Some("node.kubernetes.io/sla"),
        ),
        (
            "numeric Gt operator with non-numeric taint value, expect not tolerated",
            sla("Gt", "950"),
            sla_taint("high"),
            all,
            true,
            Some("node.kubernetes.io/sla"),
        ),
        (
            "numeric Gt parse error is ignored when a later toleration matches the taint",
            json!([{"key": "node.kubernetes.io/sla", "operator": "Gt", "value": "950", "effect": "NoSchedule"},
                   {"key": "node.kubernetes.io/sla", "operator": "Exists", "effect": "NoSchedule"}]),
            sla_taint("high"),
            all,
            true,
            None,
        ),
    ];
    for (name, tols, tns, filter, gate, want) in rows {
        let (tols, tns) = (tolerations(tols), taints(tns));
        let found = find_untolerated_taint(&tns, &tols, filter, &gates(gate));
        assert_eq!(found.map(|t| t.key.as_str()), want, "{name}");
    }
}

// upstream: core/v1 toleration_test.go TestTolerationToleratesTaint, the
// Gt / Lt rows (gate on), "negative numeric values" and "large int64" among
// them
#[test]
fn toleration_tolerates_taint_comparison_rows() {
    // (upstream case, key, operator, toleration value, taint value, tolerated)
    let rows = [
        ("Gt - taint value less than toleration value", "node.kubernetes.io/sla", "Gt", "950", "800", false),
        (
            "Gt - taint value greater than toleration value",
            "node.kubernetes.io/sla",
            "Gt",
            "750",
            "950",
            true,
        ),
        (
            "Lt - taint value greater than toleration value",
            "node.kubernetes.io/sla",
            "Lt",
            "800",
            "950",
            false,
        ),
        ("Lt - taint value less than toleration value", "node.kubernetes.io/sla", "Lt", "950", "800", true),
        ("Gt and taint with equal numeric value", "node.kubernetes.io/sla", "Gt", "950", "950", false),
        ("Gt and taint with non-numeric value", "node.kubernetes.io/sla", "Gt", "950", "high", false),
        (
            "Gt and negative numeric values - taint value less than threshold",
            "test-key",
            "Gt",
            "-100",
            "-200",
            false,
        ),
        (
            "Gt and large int64 values - taint value less than threshold",
            "test-key",
            "Gt",
            "9223372036854775806",
            "100",
            false,
        ),
    ];
    for (name, key, op, tol_value, taint_value, want) in rows {
        let tol: Toleration = serde_json::from_value(
            json!({"key": key, "operator": op, "value": tol_value, "effect": "NoSchedule"}),
        )
        .expect("toleration");
        let taint: Taint =
            serde_json::from_value(json!({"key": key, "value": taint_value, "effect": "NoSchedule"}))
                .expect("taint");
        assert_eq!(tolerates_with(&tol, &taint, &gates(true)), want, "{name}");
    }
}

// upstream: core/v1 toleration_test.go TestCompareNumericValues, the Gt / Lt
// rows, through ToleratesTaint with the gate on (same key and effect, so the
// comparison decides). Its Equal and Exists rows test compareNumericValues
// alone and have no counterpart through the public API.
#[test]
fn compare_numeric_values_rows() {
    // (upstream case, toleration value, taint value, operator, result)
    let rows = [
        ("Gt - taint value greater than toleration value", "100", "200", "Gt", true),
        ("Gt - taint value less than toleration value", "200", "100", "Gt", false),
        ("Gt - taint value equal to toleration value", "100", "100", "Gt", false),
        ("Gt - negative numbers, taint greater", "-100", "-50", "Gt", true),
        ("Gt - negative numbers, taint less", "-50", "-100", "Gt", false),
        ("Gt - zero and positive", "0", "1", "Gt", true),
        ("Gt - large int64 values, taint greater", "9223372036854775806", "9223372036854775807", "Gt", true),
        ("Lt - taint value less than toleration value", "200", "100", "Lt", true),
        ("Lt - taint value greater than toleration value", "100", "200", "Lt", false),
        ("Lt - taint value equal to toleration value", "100", "100", "Lt", false),
        ("Lt - negative numbers, taint less", "-50", "-100", "Lt", true),
        ("Lt - negative numbers, taint greater", "-100", "-50", "Lt", false),
        ("Lt - zero and negative", "0", "-1", "Lt", true),
        ("Gt - invalid toleration value (non-numeric)", "abc", "100", "Gt", false),
        ("Gt - invalid toleration value (empty string)", "", "100", "Gt", false),
        ("Gt - invalid toleration value (leading zero)", "0100", "200", "Gt", false),
        ("Gt - invalid toleration value (plus sign)", "+100", "200", "Gt", false),
        ("Gt - invalid toleration value (floating point)", "100.5", "200", "Gt", false),
        ("Gt - invalid toleration value (just minus sign)", "-", "100", "Gt", false),
        ("Gt - invalid taint value (non-numeric)", "100", "xyz", "Gt", false),
        ("Gt - invalid taint value (empty string)", "100", "", "Gt", false),
        ("Gt - invalid taint value (leading zero)", "100", "0200", "Gt", false),
        ("Lt - invalid taint value (plus sign)", "100", "+200", "Lt", false),
        ("Lt - invalid taint value (spaces)", "100", " 200 ", "Lt", false),
        ("Gt - both zero", "0", "0", "Gt", false),
        ("Lt - both zero", "0", "0", "Lt", false),
        ("Gt - max int64 as taint", "0", "9223372036854775807", "Gt", true),
        ("Lt - min int64 as taint", "0", "-9223372036854775808", "Lt", true),
    ];
    for (name, tol_value, taint_value, op, want) in rows {
        let tol: Toleration = serde_json::from_value(
            json!({"key": "k", "operator": op, "value": tol_value, "effect": "NoSchedule"}),
        )
        .expect("toleration");
        let taint: Taint =
            serde_json::from_value(json!({"key": "k", "value": taint_value, "effect": "NoSchedule"}))
                .expect("taint");
        assert_eq!(tolerates_with(&tol, &taint, &gates(true)), want, "{name}");
    }
}
