//! Object metadata, labels, annotations and label selectors.
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go
//! (ValidateObjectMetaAccessor, validateObjectMetaAccessorWithOptsCommon,
//! ValidateAnnotations, validateOwnerReference, ValidateOwnerReferences,
//! ValidateFinalizers), generic.go (NameIsDNSSubdomain, NameIsDNSLabel,
//! maskTrailingDash), pkg/apis/meta/v1/validation/validation.go
//! (ValidateLabels, ValidateLabelSelector, ValidateLabelSelectorRequirement),
//! pkg/apis/core/validation/validation.go (ValidateObjectMeta,
//! validateKubeFinalizerName). Deviations: see the module docs of
//! [`crate::validation`] (absent namespace, name generated from
//! `generateName`).

use crate::api::{LabelSelector, LabelSelectorOperator, ObjectMeta, OwnerReference, StringMap};

use super::strings;
use super::{Errors, FieldError, FieldPath};

/// Detail of a negative-number error (upstream: IsNegativeErrorMsg).
pub(crate) const NEGATIVE_MSG: &str = "must be greater than or equal to 0";
/// Largest total size of the annotations (upstream: TotalAnnotationSizeLimitB).
pub(crate) const ANNOTATIONS_MAX_BYTES: usize = 256 * 1024;

/// Which name format a kind uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameRule {
    /// DNS-1123 subdomain (most kinds).
    Subdomain,
    /// DNS-1123 label (StatefulSet).
    Label,
    /// Any name that is safe as a URL path segment: what the API server's
    /// common checks ask of every kind (upstream: path.ValidatePathSegmentName).
    PathSegment,
}

/// upstream: generic.go maskTrailingDash: the last two bytes become `a`.
/// Where that cuts a character in two, its remaining bytes stand as DEL
/// (U+007F) bytes: one byte each, as Go's length counts them, and as
/// invalid for the name pattern as the broken character.
fn mask_trailing_dash(name: &str) -> String {
    if name.len() > 1 && name.ends_with('-') {
        let cut = name.len().saturating_sub(2);
        let whole = (0..=cut).rev().find(|i| name.is_char_boundary(*i)).unwrap_or(0);
        let head = name.get(..whole).unwrap_or("");
        format!("{head}{}a", "\u{7f}".repeat(cut.saturating_sub(whole)))
    } else {
        name.to_owned()
    }
}

/// The name function of a kind (upstream: generic.go NameIsDNSSubdomain /
/// NameIsDNSLabel).
pub(crate) fn name_messages(rule: NameRule, name: &str, prefix: bool) -> Vec<String> {
    if rule == NameRule::PathSegment {
        return path_segment_messages(name, prefix);
    }
    let name = if prefix { mask_trailing_dash(name) } else { name.to_owned() };
    match rule {
        NameRule::Label => strings::dns1123_label(&name),
        _ => strings::dns1123_subdomain(&name),
    }
}

/// upstream: path.IsValidPathSegmentName (`.` and `..` alone are refused
/// first) and IsValidPathSegmentPrefix (a prefix may be either).
fn path_segment_messages(name: &str, prefix: bool) -> Vec<String> {
    if !prefix && (name == "." || name == "..") {
        return vec![format!("may not be '{name}'")];
    }
    ["/", "%"].iter().filter(|c| name.contains(**c)).map(|c| format!("may not contain '{c}'")).collect()
}

/// `value >= 0` (upstream: ValidateNonnegativeField).
pub(crate) fn non_negative(value: i64, path: &FieldPath, errs: &mut Errors) {
    if value < 0 {
        errs.push(FieldError::invalid(path, value, NEGATIVE_MSG));
    }
}

/// Validates labels: keys qualified names, values label values; errors on
/// the map path (upstream: v1validation.ValidateLabels).
pub fn validate_labels(labels: &StringMap, path: &FieldPath) -> Vec<FieldError> {
    let mut errs = Vec::new();
    for (k, v) in labels {
        label_key(k, path, &mut errs);
        for msg in strings::label_value(v) {
            errs.push(FieldError::invalid(path, v, &msg));
        }
    }
    errs
}

/// upstream: v1validation.ValidateLabelName.
pub(crate) fn label_key(key: &str, path: &FieldPath, errs: &mut Errors) {
    for msg in strings::qualified_name(key) {
        errs.push(FieldError::invalid(path, key, &msg));
    }
}

/// upstream: objectmeta.go ValidateAnnotations.
pub(crate) fn annotations(annotations: &StringMap, path: &FieldPath) -> Errors {
    let mut errs = Vec::new();
    let mut total: usize = 0;
    for (k, v) in annotations {
        for msg in strings::qualified_name(&crate::text::go_to_lower(k)) {
            errs.push(FieldError::invalid(path, k, &msg));
        }
        total = total.saturating_add(k.len()).saturating_add(v.len());
    }
    if total > ANNOTATIONS_MAX_BYTES {
        errs.push(FieldError::too_long(path, ANNOTATIONS_MAX_BYTES));
    }
    errs
}

/// upstream: objectmeta.go validateOwnerReference, ValidateOwnerReferences.
fn owner_references(refs: &[OwnerReference], path: &FieldPath, errs: &mut Errors) {
    let mut first_controller: Option<String> = None;
    for r in refs {
        // schema.FromAPIVersionAndKind: "group/version" or "version"; a
        // string with two slashes does not parse (ParseGroupVersion) and
        // leaves the version empty.
        let (group, version) = match r.api_version.split_once('/') {
            Some((_, v)) if v.contains('/') => ("", ""),
            Some((g, v)) => (g, v),
            None => ("", r.api_version.as_str()),
        };
        if version.is_empty() {
            errs.push(FieldError::invalid(
                &path.child("apiVersion"),
                &r.api_version,
                "version must not be empty",
            ));
        }
        if r.kind.is_empty() {
            errs.push(FieldError::invalid(&path.child("kind"), &r.kind, "must not be empty"));
        }
        if r.name.is_empty() {
            errs.push(FieldError::invalid(&path.child("name"), &r.name, "must not be empty"));
        }
        if r.uid.is_empty() {
            errs.push(FieldError::invalid(&path.child("uid"), &r.uid, "must not be empty"));
        }
        if group.is_empty() && version == "v1" && r.kind == "Event" {
            errs.push(FieldError::invalid(
                path,
                super::BadValue::json(r),
                "/v1, Kind=Event is disallowed from being an owner",
            ));
        }
        if r.controller == Some(true) {
            let current = format!("{}/{}", r.kind, r.name);
            match &first_controller {
                Some(first) => errs.push(FieldError::invalid(
                    path,
                    super::BadValue::json(refs),
                    &format!(
                        "Only one reference can have Controller set to true. Found \"true\" in references for {first} and {current}"
                    ),
                )),
                None => first_controller = Some(current),
            }
        }
    }
}

/// upstream: objectmeta.go ValidateFinalizers + core validateKubeFinalizerName.
fn finalizers(finalizers: &[String], path: &FieldPath, errs: &mut Errors) {
    let mut orphan = false;
    let mut foreground = false;
    for f in finalizers {
        for msg in strings::qualified_name(f) {
            errs.push(FieldError::invalid(path, f, &msg));
        }
        orphan |= f == "orphan";
        foreground |= f == "foregroundDeletion";
    }
    if orphan && foreground {
        errs.push(FieldError::invalid(
            path,
            super::BadValue::json(finalizers),
            "finalizer orphan and foregroundDeletion cannot be both set",
        ));
    }
}

/// upstream: core ValidateObjectMeta / ValidateObjectMetaUpdate's
/// validateKubeFinalizerName, whatever the qualified-name check said.
fn kube_finalizer_names(finalizers: &[String], path: &FieldPath, errs: &mut Errors) {
    for (i, f) in finalizers.iter().enumerate() {
        if !f.contains('/') && !matches!(f.as_str(), "kubernetes" | "orphan" | "foregroundDeletion") {
            errs.push(FieldError::invalid(
                &path.index(i),
                f,
                "name is neither a standard finalizer name nor is it fully qualified",
            ));
        }
    }
}

/// Validates an object's metadata at path `metadata` with the kind's name
/// rule (upstream: core ValidateObjectMeta).
pub(crate) fn object_meta(meta: &ObjectMeta, rule: NameRule) -> Errors {
    object_meta_at(meta, rule, &FieldPath::new("metadata"))
}

pub(crate) fn object_meta_at(meta: &ObjectMeta, rule: NameRule, path: &FieldPath) -> Errors {
    let mut errs = Vec::new();
    let generate_name = meta.generate_name.as_deref().unwrap_or("");
    if !generate_name.is_empty() {
        for msg in name_messages(rule, generate_name, true) {
            errs.push(FieldError::invalid(&path.child("generateName"), generate_name, &msg));
        }
    }
    let name = meta.name();
    if name.is_empty() {
        // Deviation: the server generates the name from generateName before
        // validating; an embedded caller validates the manifest first.
        if generate_name.is_empty() {
            errs.push(FieldError::required(&path.child("name"), "name or generateName is required"));
        }
    } else {
        for msg in name_messages(rule, name, false) {
            errs.push(FieldError::invalid(&path.child("name"), name, &msg));
        }
    }
    // Deviation: an absent namespace means "the caller's context".
    let namespace = meta.namespace();
    if !namespace.is_empty() {
        for msg in name_messages(NameRule::Label, namespace, false) {
            errs.push(FieldError::invalid(&path.child("namespace"), namespace, &msg));
        }
    }
    if let Some(generation) = meta.generation {
        non_negative(generation, &path.child("generation"), &mut errs);
    }
    labels_annotations_owners(meta, path, &mut errs);
    if let Some(f) = &meta.finalizers {
        finalizers(f, &path.child("finalizers"), &mut errs);
        // The path-segment rule is the generic check of every kind
        // (apimachinery's ValidateObjectMetaAccessor): no kube names.
        if rule != NameRule::PathSegment {
            kube_finalizer_names(f, &path.child("finalizers"), &mut errs);
        }
    }
    errs
}

fn labels_annotations_owners(meta: &ObjectMeta, path: &FieldPath, errs: &mut Errors) {
    if let Some(labels) = &meta.labels {
        errs.extend(validate_labels(labels, &path.child("labels")));
    }
    if let Some(a) = &meta.annotations {
        errs.extend(annotations(a, &path.child("annotations")));
    }
    owner_references(meta.owner_references(), &path.child("ownerReferences"), errs);
}

/// What a kind's update checks of the new metadata beside the immutable
/// fields (upstream: core ValidateObjectMetaUpdate: the labels, annotations
/// and owner references, then the finalizer names): the name rules are
/// left to the create, as the name cannot change.
pub(crate) fn object_meta_content(meta: &ObjectMeta, path: &FieldPath) -> Errors {
    let mut errs = Vec::new();
    labels_annotations_owners(meta, path, &mut errs);
    if let Some(f) = &meta.finalizers {
        kube_finalizer_names(f, &path.child("finalizers"), &mut errs);
    }
    errs
}

/// Validates an object's metadata with the DNS-1123 subdomain name rule
/// (the rule of every kind here except StatefulSet).
pub fn validate_object_meta(meta: &ObjectMeta) -> Vec<FieldError> {
    object_meta(meta, NameRule::Subdomain)
}

/// Validates a label selector (upstream: v1validation.ValidateLabelSelector).
pub fn validate_label_selector(selector: &LabelSelector, path: &FieldPath) -> Vec<FieldError> {
    label_selector_with(selector, path, false)
}

/// Whether an expression of `selector` has a value that is not a valid
/// label value (upstream: `LabelSelectorHasInvalidLabelValue`).
pub(crate) fn has_invalid_label_value(selector: Option<&LabelSelector>) -> bool {
    selector.is_some_and(|s| {
        strings::any_invalid_label_value(
            s.match_expressions.iter().flatten().flat_map(|e| e.values.iter().flatten()),
        )
    })
}

/// [`validate_label_selector`], with the expressions' values left
/// unchecked when `allow_invalid_values` (upstream:
/// `LabelSelectorValidationOptions.AllowInvalidLabelValueInSelector`).
pub(crate) fn label_selector_with(
    selector: &LabelSelector,
    path: &FieldPath,
    allow_invalid_values: bool,
) -> Vec<FieldError> {
    let mut errs = Vec::new();
    if let Some(labels) = &selector.match_labels {
        errs.extend(validate_labels(labels, &path.child("matchLabels")));
    }
    for (i, expr) in selector.match_expressions.iter().flatten().enumerate() {
        let p = path.child("matchExpressions").index(i);
        let values = expr.values.as_deref().unwrap_or(&[]);
        match &*expr.operator_as_read() {
            LabelSelectorOperator::In | LabelSelectorOperator::NotIn => {
                if values.is_empty() {
                    errs.push(FieldError::required(
                        &p.child("values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            LabelSelectorOperator::Exists | LabelSelectorOperator::DoesNotExist => {
                if !values.is_empty() {
                    errs.push(FieldError::forbidden(
                        &p.child("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            LabelSelectorOperator::Other(op) => {
                // The operator is a named Go string type: ErrorBody prints
                // it through json.Marshal (`<` as \u003c), not %q.
                errs.push(FieldError::invalid(
                    &p.child("operator"),
                    super::BadValue::json(op),
                    "not a valid selector operator",
                ));
            }
        }
        label_key(&expr.key, &p.child("key"), &mut errs);
        if allow_invalid_values {
            continue;
        }
        for (j, v) in values.iter().enumerate() {
            for msg in strings::label_value(v) {
                errs.push(FieldError::invalid(&p.child("values").index(j), v, &msg));
            }
        }
    }
    errs
}

/// A selector converted for matching (upstream: metav1.LabelSelectorAsSelector).
pub(crate) enum Converted {
    /// Matches nothing (a nil selector).
    Nothing,
    /// Matches everything (an empty selector).
    Everything,
    /// Requirements to check.
    Some,
}

/// Converts a selector; `None` when conversion fails (bad key, value or
/// operator, or a value count the operator does not allow).
pub(crate) fn convert(selector: Option<&LabelSelector>) -> Option<Converted> {
    let Some(sel) = selector else { return Some(Converted::Nothing) };
    let labels = sel.match_labels.as_ref();
    let exprs = sel.match_expressions.as_deref().unwrap_or(&[]);
    if labels.is_none_or(|l| l.is_empty()) && exprs.is_empty() {
        return Some(Converted::Everything);
    }
    for (k, v) in labels.into_iter().flatten() {
        if !strings::qualified_name(k).is_empty() || !strings::label_value(v).is_empty() {
            return None;
        }
    }
    for e in exprs {
        if !strings::qualified_name(&e.key).is_empty() {
            return None;
        }
        let values = e.values.as_deref().unwrap_or(&[]);
        let ok = match *e.operator_as_read() {
            LabelSelectorOperator::In | LabelSelectorOperator::NotIn => !values.is_empty(),
            LabelSelectorOperator::Exists | LabelSelectorOperator::DoesNotExist => values.is_empty(),
            LabelSelectorOperator::Other(_) => false,
        };
        if !ok || values.iter().any(|v| !strings::label_value(v).is_empty()) {
            return None;
        }
    }
    Some(Converted::Some)
}

/// Whether a (convertible, non-nil) selector matches a label set.
pub(crate) fn matches(selector: &LabelSelector, labels: &StringMap) -> bool {
    for (k, v) in selector.match_labels.iter().flatten() {
        if labels.get(k) != Some(v) {
            return false;
        }
    }
    for e in selector.match_expressions.iter().flatten() {
        let values = e.values.as_deref().unwrap_or(&[]);
        let got = labels.get(&e.key);
        let ok = match *e.operator_as_read() {
            LabelSelectorOperator::In => got.is_some_and(|g| values.contains(g)),
            LabelSelectorOperator::NotIn => got.is_none_or(|g| !values.contains(g)),
            LabelSelectorOperator::Exists => got.is_some(),
            LabelSelectorOperator::DoesNotExist => got.is_none(),
            LabelSelectorOperator::Other(_) => false,
        };
        if !ok {
            return false;
        }
    }
    true
}
