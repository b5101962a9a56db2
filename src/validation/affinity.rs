//! Affinity and topology spread constraints.
//!
//! upstream: pkg/apis/core/validation/validation.go — validateAffinity,
//! validateNodeAffinity, ValidateNodeSelector, ValidateNodeSelectorTerm,
//! ValidateNodeSelectorRequirement, ValidateNodeFieldSelectorRequirement,
//! ValidatePreferredSchedulingTerms, validatePodAffinity,
//! validatePodAntiAffinity, validatePodAffinityTerms,
//! validateWeightedPodAffinityTerms, validatePodAffinityTerm,
//! ValidatePodAffinityTermSelector,
//! validateMatchLabelKeysAndMismatchLabelKeys, validateLabelKeys,
//! validateTopologySpreadConstraints, ValidateMaxSkew, validateMinDomains,
//! ValidateTopologyKey, ValidateWhenUnsatisfiable,
//! ValidateSpreadConstraintNotRepeat, validateNodeInclusionPolicy,
//! validateMatchLabelKeysInTopologySpread.
//!
//! The API server's create strategy merges `matchLabelKeys` into the
//! selectors before validation (MatchLabelKeysInPodAffinity and the
//! topology-spread equivalent); this crate validates the object as
//! written, so the "exists in both" checks see only what the manifest
//! itself wrote.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::api::{Affinity, LabelSelector, NodeSelectorOperator, NodeSelectorTerm, PodSpec};

use super::json;
use super::meta;
use super::strings;
use super::{BadValue, Ctx, Errors, FieldError, FieldPath};

/// upstream: validateAffinity.
pub(crate) fn affinity(a: &Affinity, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    if let Some(na) = &a.node_affinity {
        let p = path.child("nodeAffinity");
        if let Some(required) = &na.required_during_scheduling_ignored_during_execution {
            let tp = p.child("requiredDuringSchedulingIgnoredDuringExecution").child("nodeSelectorTerms");
            if required.node_selector_terms.is_empty() {
                errs.push(FieldError::required(&tp, "must have at least one node selector term"));
            }
            // A stored pod with an invalid value here keeps them unchecked
            // (AllowInvalidLabelValueInRequiredNodeAffinity).
            let lax = ctx.old.invalid_required_node_affinity_value;
            for (i, term) in required.node_selector_terms.iter().enumerate() {
                node_selector_term(term, lax, &tp.index(i), errs);
            }
        }
        let pp = p.child("preferredDuringSchedulingIgnoredDuringExecution");
        for (i, t) in na.preferred_during_scheduling_ignored_during_execution.iter().flatten().enumerate() {
            if !(1..=100).contains(&t.weight) {
                errs.push(FieldError::invalid(
                    &pp.index(i).child("weight"),
                    t.weight,
                    "must be in the range 1-100",
                ));
            }
            // Preferred terms may carry invalid label values.
            node_selector_term(&t.preference, true, &pp.index(i).child("preference"), errs);
        }
    }
    for (key, value) in [("podAffinity", &a.pod_affinity), ("podAntiAffinity", &a.pod_anti_affinity)] {
        let p = path.child(key);
        let Some(m) = value.as_ref().and_then(|v| json::object(v, &p, errs)) else { continue };
        let rp = p.child("requiredDuringSchedulingIgnoredDuringExecution");
        for (i, term) in
            json::list(m, "requiredDuringSchedulingIgnoredDuringExecution", &p, errs).iter().enumerate()
        {
            if let Some(t) = json::object(term, &rp.index(i), errs) {
                pod_affinity_term(t, &rp.index(i), ctx, errs);
            }
        }
        let pp = p.child("preferredDuringSchedulingIgnoredDuringExecution");
        for (i, wt) in
            json::list(m, "preferredDuringSchedulingIgnoredDuringExecution", &p, errs).iter().enumerate()
        {
            let ip = pp.index(i);
            let Some(wt) = json::object(wt, &ip, errs) else { continue };
            let weight = json::int(wt, "weight", &ip, errs).unwrap_or(0);
            if !(1..=100).contains(&weight) {
                errs.push(FieldError::invalid(&ip.child("weight"), weight, "must be in the range 1-100"));
            }
            let tp = ip.child("podAffinityTerm");
            match json::obj(wt, "podAffinityTerm", &ip, errs) {
                Some(t) => pod_affinity_term(t, &tp, ctx, errs),
                None => pod_affinity_term(&Map::new(), &tp, ctx, errs),
            }
        }
    }
}

/// upstream: ValidateNodeSelectorTerm.
fn node_selector_term(
    term: &NodeSelectorTerm,
    allow_invalid_values: bool,
    path: &FieldPath,
    errs: &mut Errors,
) {
    for (j, req) in term.match_expressions.iter().flatten().enumerate() {
        let p = path.child("matchExpressions").index(j);
        let values = req.values.as_deref().unwrap_or(&[]);
        match &*req.operator_as_read() {
            NodeSelectorOperator::In | NodeSelectorOperator::NotIn => {
                if values.is_empty() {
                    errs.push(FieldError::required(
                        &p.child("values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            NodeSelectorOperator::Exists | NodeSelectorOperator::DoesNotExist => {
                if !values.is_empty() {
                    errs.push(FieldError::forbidden(
                        &p.child("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            NodeSelectorOperator::Gt | NodeSelectorOperator::Lt => {
                if values.len() != 1 {
                    errs.push(FieldError::required(
                        &p.child("values"),
                        "must be specified single value when `operator` is 'Lt' or 'Gt'",
                    ));
                }
            }
            NodeSelectorOperator::Other(op) => {
                errs.push(FieldError::invalid(
                    &p.child("operator"),
                    BadValue::named(op.as_str()),
                    "not a valid selector operator",
                ));
            }
        }
        meta::label_key(&req.key, &p.child("key"), errs);
        if !allow_invalid_values {
            for (k, v) in values.iter().enumerate() {
                for msg in strings::label_value(v) {
                    errs.push(FieldError::invalid(&p.child("values").index(k), v, &msg));
                }
            }
        }
    }
    for (j, req) in term.match_fields.iter().flatten().enumerate() {
        let p = path.child("matchFields").index(j);
        let values = req.values.as_deref().unwrap_or(&[]);
        match &*req.operator_as_read() {
            NodeSelectorOperator::In | NodeSelectorOperator::NotIn => {
                if values.len() != 1 {
                    errs.push(FieldError::required(
                        &p.child("values"),
                        "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                    ));
                }
            }
            other => {
                errs.push(FieldError::invalid(
                    &p.child("operator"),
                    BadValue::named(other.as_str()),
                    "not a valid selector operator",
                ));
            }
        }
        if req.key != "metadata.name" {
            errs.push(FieldError::invalid(&p.child("key"), &req.key, "not a valid field selector key"));
        } else {
            for (k, v) in values.iter().enumerate() {
                for msg in strings::dns1123_subdomain(v) {
                    errs.push(FieldError::invalid(&p.child("values").index(k), v, &msg));
                }
            }
        }
    }
}

/// upstream: ValidateMatchLabelKeysAndMismatchLabelKeys (pod affinity
/// terms and, since 1.34, topology spread constraints): the keys need a
/// selector and must be label keys; a key of `matchLabelKeys` may not also
/// be in `mismatchLabelKeys`, nor be a selector key that the selector names
/// twice (in `matchLabels` and an expression, or in two expressions).
fn match_label_keys(
    path: &FieldPath,
    match_keys: &[&str],
    mismatch_keys: &[&str],
    selector: Option<&LabelSelector>,
    errs: &mut Errors,
) {
    for (key, keys) in [("matchLabelKeys", match_keys), ("mismatchLabelKeys", mismatch_keys)] {
        if keys.is_empty() {
            continue;
        }
        if selector.is_none() {
            errs.push(FieldError::forbidden(
                &path.child(key),
                "must not be specified when labelSelector is not set",
            ));
            continue;
        }
        for (i, k) in keys.iter().enumerate() {
            meta::label_key(k, &path.child(key).index(i), errs);
        }
    }
    if let Some(sel) = selector {
        let positions: HashMap<&str, usize> = match_keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        let mut seen: HashSet<&str> = sel.match_labels.iter().flatten().map(|(k, _)| k.as_str()).collect();
        for expr in sel.match_expressions.iter().flatten() {
            let key = expr.key.as_str();
            if let Some(i) = positions.get(key)
                && seen.contains(key)
            {
                // upstream indexes the term path itself here.
                errs.push(FieldError::invalid(
                    &path.index(*i),
                    key,
                    "exists in both matchLabelKeys and labelSelector",
                ));
            }
            seen.insert(key);
        }
    }
    let mismatch: HashSet<&str> = mismatch_keys.iter().copied().collect();
    for (i, k) in match_keys.iter().enumerate() {
        if mismatch.contains(k) {
            errs.push(FieldError::invalid(
                &path.child("matchLabelKeys").index(i),
                *k,
                "exists in both matchLabelKeys and mismatchLabelKeys",
            ));
        }
    }
}

/// upstream: validatePodAffinityTerm, ValidatePodAffinityTermSelector (a
/// stored pod with an invalid selector keeps its values unchecked:
/// AllowInvalidLabelValueInSelector, which a DaemonSet's or Job's old
/// workload selector also sets for its template).
fn pod_affinity_term(t: &Map<String, Value>, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    let lax = ctx.allow_invalid_workload_selector_values();
    let selector = json::member(t, "labelSelector")
        .and_then(|v| json::label_selector(v, &path.child("labelSelector"), errs));
    if let Some(sel) = &selector {
        errs.extend(meta::label_selector_with(sel, &path.child("labelSelector"), lax));
    }
    if let Some(ns_sel) = json::member(t, "namespaceSelector")
        .and_then(|v| json::label_selector(v, &path.child("namespaceSelector"), errs))
    {
        errs.extend(meta::label_selector_with(&ns_sel, &path.child("namespaceSelector"), lax));
    }
    // upstream reports namespace names on `namespace`, not `namespaces[i]`.
    for name in json::strings(t, "namespaces", path, errs).unwrap_or_default() {
        for msg in strings::dns1123_label(name) {
            errs.push(FieldError::invalid(&path.child("namespace"), name, &msg));
        }
    }
    let match_keys = json::strings(t, "matchLabelKeys", path, errs).unwrap_or_default();
    let mismatch_keys = json::strings(t, "mismatchLabelKeys", path, errs).unwrap_or_default();
    match_label_keys(path, &match_keys, &mismatch_keys, selector.as_ref(), errs);
    let topology_key = json::string_or_empty(t, "topologyKey", path, errs);
    let tp = path.child("topologyKey");
    if topology_key.is_empty() {
        errs.push(FieldError::required(&tp, "can not be empty"));
    }
    meta::label_key(topology_key, &tp, errs);
}

/// upstream: validateTopologySpreadConstraints.
pub(crate) fn topology_spread_constraints(
    spec: &PodSpec,
    path: &FieldPath,
    ctx: &Ctx<'_>,
    errs: &mut Errors,
) {
    let list = spec.topology_spread_constraints.as_deref().unwrap_or(&[]);
    // (topologyKey, whenUnsatisfiable) of every readable constraint, for
    // the duplicate check.
    let mut pairs: Vec<Option<(String, String)>> = Vec::with_capacity(list.len());
    let mut scratch = Vec::new();
    for (i, c) in list.iter().enumerate() {
        let pair = c.as_object().map(|m| {
            (
                json::string_or_empty(m, "topologyKey", &path.index(i), &mut scratch).to_owned(),
                json::string_or_empty(m, "whenUnsatisfiable", &path.index(i), &mut scratch).to_owned(),
            )
        });
        pairs.push(pair);
    }
    for (i, c) in list.iter().enumerate() {
        let p = path.index(i);
        let Some(m) = json::object(c, &p, errs) else { continue };
        let max_skew = json::int(m, "maxSkew", &p, errs).unwrap_or(0);
        if max_skew <= 0 {
            errs.push(FieldError::invalid(&p.child("maxSkew"), max_skew, "must be greater than zero"));
        }
        let key = json::string_or_empty(m, "topologyKey", &p, errs);
        if key.is_empty() {
            errs.push(FieldError::required(&p.child("topologyKey"), "can not be empty"));
        }
        let action = json::string_or_empty(m, "whenUnsatisfiable", &p, errs);
        const ACTIONS: &[&str] = &["DoNotSchedule", "ScheduleAnyway"];
        if !ACTIONS.contains(&action) {
            errs.push(FieldError::not_supported(&p.child("whenUnsatisfiable"), action, ACTIONS));
        }
        let repeated = pairs
            .get(i.saturating_add(1)..)
            .unwrap_or(&[])
            .iter()
            .flatten()
            .any(|(k, a)| k == key && a == action);
        if repeated {
            errs.push(FieldError::duplicate(
                &p.child("{topologyKey, whenUnsatisfiable}"),
                format!("{{{key}, {action}}}"),
            ));
        }
        if let Some(min) = json::int(m, "minDomains", &p, errs) {
            if min <= 0 {
                errs.push(FieldError::invalid(&p.child("minDomains"), min, "must be greater than zero"));
            }
            if action != "DoNotSchedule" {
                errs.push(FieldError::invalid(
                    &p.child("minDomains"),
                    min,
                    &format!("can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"),
                ));
            }
        }
        for key in ["nodeAffinityPolicy", "nodeTaintsPolicy"] {
            if let Some(policy) = json::string(m, key, &p, errs)
                && policy != "Honor"
                && policy != "Ignore"
            {
                errs.push(FieldError::not_supported(&p.child(key), policy, &["Honor", "Ignore"]));
            }
        }
        let selector = json::member(m, "labelSelector")
            .and_then(|v| json::label_selector(v, &p.child("labelSelector"), errs));
        let match_keys = json::strings(m, "matchLabelKeys", &p, errs).unwrap_or_default();
        // 1.34+ (MatchLabelKeysInPodTopologySpreadSelectorMerge, on): the
        // rule pod affinity uses, with no mismatch keys.
        match_label_keys(&p, &match_keys, &[], selector.as_ref(), errs);
        // A stored pod with an invalid spread selector has none checked
        // (AllowInvalidTopologySpreadConstraintLabelSelector).
        if let Some(sel) = selector.as_ref().filter(|_| !ctx.old.invalid_spread_selector) {
            errs.extend(meta::validate_label_selector(sel, &p.child("labelSelector")));
        }
    }
}
