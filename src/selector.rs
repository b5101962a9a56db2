//! Label selectors: the internal requirement model, matching, the string
//! grammar that `kubectl -l` and `?labelSelector=` use, and conversions from
//! the API's `LabelSelector` and ReplicationController map selectors.
//!
//! This module mirrors, function by function:
//! - `k8s.io/apimachinery/pkg/labels/selector.go`: `NewRequirement`
//!   ([`Requirement::new`]), `Requirement.Matches` ([`Requirement::matches`]),
//!   `Requirement.String` and `internalSelector.String` (the [`Display`](std::fmt::Display) impls),
//!   `Parse` and its `Lexer` / `Parser` ([`Selector::parse`]), `Everything`,
//!   `Nothing`, `internalSelector.Add`, `RequiresExactMatch`,
//!   `SelectorFromSet` ([`Selector::from_map`]) and `ValidatedSelectorFromSet`
//!   ([`Selector::validated_from_map`]);
//! - `k8s.io/apimachinery/pkg/apis/meta/v1/helpers.go`:
//!   `LabelSelectorAsSelector` ([`Selector::from_label_selector`],
//!   [`Selector::from_optional_label_selector`]), `LabelSelectorAsMap`
//!   ([`label_selector_as_map`]) and `ParseToLabelSelector`
//!   ([`parse_to_label_selector`]);
//! - `k8s.io/apimachinery/pkg/util/validation/validation.go`:
//!   `IsQualifiedName` and `IsValidLabelValue` (the key and value rules).
//!
//! A [`Selector`] is a list of [`Requirement`]s that are all ANDed, kept
//! sorted by key (stably), so its string form is deterministic. Two selectors
//! are special: *everything* (no requirements; matches every label set) and
//! *nothing* (matches no label set, not even the empty one).
//!
//! ```
//! use kube_workloads::selector::Selector;
//! use kube_workloads::api::StringMap;
//!
//! let sel = Selector::parse("tier!=frontend, env in (qa,prod), !canary").unwrap();
//! assert_eq!(sel.to_string(), "!canary,env in (prod,qa),tier!=frontend");
//!
//! let mut labels = StringMap::new();
//! labels.insert("env".into(), "prod".into());
//! labels.insert("tier".into(), "backend".into());
//! assert!(sel.matches(&labels));
//! labels.insert("canary".into(), "true".into());
//! assert!(!sel.matches(&labels));
//! ```
//!
//! Deviations from upstream, all deliberate:
//! - A requirement's values are stored sorted and de-duplicated (upstream
//!   keeps the caller's slice and sorts only when printing), so two
//!   requirements that print the same compare equal.
//! - Error messages print upstream's texts but are typed ([`SelectorError`]);
//!   a syntax error also carries its byte offset (not printed), and very long
//!   values are shortened when printed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::hash::BuildHasher;

use indexmap::IndexMap;

use crate::api::{LabelSelector, LabelSelectorOperator, LabelSelectorRequirement, ObjectMeta, StringMap};

// ---------------------------------------------------------------------------
// Operators
// ---------------------------------------------------------------------------

/// How a [`Requirement`] relates its key to its values
/// (upstream: `k8s.io/apimachinery/pkg/selection.Operator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operator {
    /// `k in (a,b)`: the key is present and its value is one of the values.
    In,
    /// `k notin (a,b)`: the key is absent, or its value is none of the values.
    NotIn,
    /// `k=v`: the key is present with exactly this value.
    Equals,
    /// `k==v`: the same as [`Operator::Equals`], printed with `==`.
    DoubleEquals,
    /// `k!=v`: the key is absent, or its value differs.
    NotEquals,
    /// `k`: the key is present (with any value, even `""`).
    Exists,
    /// `!k`: the key is absent.
    DoesNotExist,
    /// `k>n`: the value is an integer greater than `n` (string grammar only).
    GreaterThan,
    /// `k<n`: the value is an integer less than `n` (string grammar only).
    LessThan,
}

/// The operator names upstream's `selection` package uses, in its order.
const OPERATOR_NAMES: &[&str] = &["in", "notin", "=", "==", "!=", "gt", "lt", "exists", "!"];

impl Operator {
    /// The operator's name in upstream's `selection` package: `in`, `notin`,
    /// `=`, `==`, `!=`, `exists`, `!`, `gt`, `lt`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Operator::In => "in",
            Operator::NotIn => "notin",
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::Exists => "exists",
            Operator::DoesNotExist => "!",
            Operator::GreaterThan => "gt",
            Operator::LessThan => "lt",
        }
    }

    /// Converts an operator of the API's `LabelSelector`; only `In`, `NotIn`,
    /// `Exists` and `DoesNotExist` exist there (upstream: the operator switch
    /// of `LabelSelectorAsSelector`).
    pub fn from_label_selector_operator(op: &LabelSelectorOperator) -> Result<Operator, SelectorError> {
        match op {
            LabelSelectorOperator::In => Ok(Operator::In),
            LabelSelectorOperator::NotIn => Ok(Operator::NotIn),
            LabelSelectorOperator::Exists => Ok(Operator::Exists),
            LabelSelectorOperator::DoesNotExist => Ok(Operator::DoesNotExist),
            LabelSelectorOperator::Other(s) => {
                Err(SelectorError::InvalidOperator { operator: s.clone(), kind: "label selector" })
            }
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Operator {
    type Err = SelectorError;

    /// Reads an upstream `selection.Operator` name (see [`Operator::as_str`]);
    /// any other string is [`SelectorError::UnsupportedOperator`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "in" => Operator::In,
            "notin" => Operator::NotIn,
            "=" => Operator::Equals,
            "==" => Operator::DoubleEquals,
            "!=" => Operator::NotEquals,
            "exists" => Operator::Exists,
            "!" => Operator::DoesNotExist,
            "gt" => Operator::GreaterThan,
            "lt" => Operator::LessThan,
            other => {
                return Err(SelectorError::UnsupportedOperator {
                    operator: other.to_owned(),
                    supported: OPERATOR_NAMES,
                });
            }
        })
    }
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Why a selector or requirement could not be built, parsed or converted.
///
/// The messages follow upstream's (`field.Invalid`, the parser's
/// `found '…', expected: …`); long values are shortened when printed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectorError {
    /// The selector string does not follow the grammar (upstream's text,
    /// which does not say where; `position` does).
    #[error("{}", syntax_message(found, expected))]
    Syntax {
        /// Byte offset of the offending token in the input.
        position: usize,
        /// The offending token (`""` at the end of the input).
        found: String,
        /// What the grammar allows at that point.
        expected: &'static str,
    },
    /// The key is not a qualified name.
    #[error("{path}: Invalid value: {}: {}", quoted(key), reasons.join("; "))]
    InvalidKey {
        /// The error's field path: `key`, or `<nil>` for a key the parser
        /// read (upstream validates it there with a nil path).
        path: &'static str,
        /// The key as given.
        key: String,
        /// Every rule it breaks, in upstream's words.
        reasons: Vec<String>,
    },
    /// A value is not a valid label value.
    #[error("values[{index}][{}]: Invalid value: {}: {}", Short(key), quoted(value), reasons.join("; "))]
    InvalidValue {
        /// The requirement's key.
        key: String,
        /// Position of the value in the list given.
        index: usize,
        /// The value as given.
        value: String,
        /// Every rule it breaks, in upstream's words.
        reasons: Vec<String>,
    },
    /// The operator does not allow this many values. The values print as
    /// JSON, as upstream's `field.Invalid` prints a list since 1.34
    /// (kubernetes PR 132314); none print as `null`, as
    /// LabelSelectorAsSelector's nil list does (a parsed `x in ()` prints
    /// `[]` upstream).
    #[error("values: Invalid value: {}: {}", json_list(values), value_count_message(*operator))]
    ValueCount {
        /// The operator.
        operator: Operator,
        /// The values given.
        values: Vec<String>,
    },
    /// A `gt` / `lt` value is not a base-10 signed 64-bit integer.
    #[error(
        "values[{index}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
        quoted(value)
    )]
    NotAnInteger {
        /// Position of the value in the list given.
        index: usize,
        /// The value as given.
        value: String,
    },
    /// An operator this context does not know.
    #[error(
        "operator: Unsupported value: \"{}\": supported values: {}",
        Short(operator),
        quote_list(supported)
    )]
    UnsupportedOperator {
        /// The operator as written.
        operator: String,
        /// The operators allowed here.
        supported: &'static [&'static str],
    },
    /// An operator a `LabelSelector` does not have (upstream:
    /// `LabelSelectorAsSelector`, and `ParseToLabelSelector` for `!=`), or
    /// one an equality map does not (`LabelSelectorAsMap`).
    #[error("{} is not a valid {kind} operator", quoted(operator))]
    InvalidOperator {
        /// The operator as written.
        operator: String,
        /// `label selector`, or `selector` for an equality map.
        kind: &'static str,
    },
    /// A valid operator that the target form cannot express: anything but
    /// `matchLabels` and single-value `In` in an equality map
    /// (`LabelSelectorAsMap`), or `gt` / `lt` in a `LabelSelector`
    /// (`ParseToLabelSelector`).
    #[error("{}", not_convertible_message(operator, reason))]
    NotConvertible {
        /// The operator as written.
        operator: String,
        /// Why.
        reason: NotConvertibleReason,
    },
    /// A requirement of a selector string that could not be parsed
    /// (upstream's `Parser.parse` wrapping).
    #[error("unable to parse requirement: {0}")]
    InRequirement(Box<SelectorError>),
    /// A selector string [`parse_to_label_selector`] could not parse.
    #[error("couldn't parse the selector string \"{}\": {source}", Short(selector))]
    Unparsable {
        /// The selector string.
        selector: String,
        /// Why it does not parse.
        source: Box<SelectorError>,
    },
    /// Several of the errors above, for one requirement (upstream's
    /// aggregated `field.ErrorList`).
    #[error("[{}]", join_errors(.0))]
    Multiple(Vec<SelectorError>),
}

impl SelectorError {
    /// The message with each field path under `prefix`, as upstream prints
    /// the errors of `NewRequirement(..., field.WithPath(prefix))`:
    /// `<prefix>.key: Invalid value: …`, `<prefix>.values[0]: …`, several
    /// as `[a, b]`. Errors without a field path print as they are.
    pub fn at_path(&self, prefix: &str) -> String {
        let text = self.to_string();
        match self {
            SelectorError::InvalidKey { path, .. } => {
                let rest = text.strip_prefix(path).unwrap_or(&text);
                if *path == "<nil>" { text } else { format!("{prefix}.{path}{rest}") }
            }
            SelectorError::InvalidValue { .. }
            | SelectorError::ValueCount { .. }
            | SelectorError::NotAnInteger { .. } => format!("{prefix}.{text}"),
            SelectorError::Multiple(errors) => {
                format!("[{}]", errors.iter().map(|e| e.at_path(prefix)).collect::<Vec<_>>().join(", "))
            }
            _ => text,
        }
    }
}

/// Why an operator cannot be converted (see [`SelectorError::NotConvertible`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotConvertibleReason {
    /// `In` with other than one value, in an equality map.
    NotSingleValue,
    /// `NotIn`, `Exists` or `DoesNotExist`, in an equality map.
    NotEquality,
    /// `gt` or `lt`, in a `LabelSelector`.
    NotInLabelSelectors,
}

/// upstream: the texts of LabelSelectorAsMap and ParseToLabelSelector.
fn not_convertible_message(operator: &str, reason: &NotConvertibleReason) -> String {
    let op = quoted(operator);
    match reason {
        NotConvertibleReason::NotSingleValue => {
            format!(
                "operator {op} without a single value cannot be converted into the old label selector format"
            )
        }
        NotConvertibleReason::NotEquality => {
            format!("operator {op} cannot be converted into the old label selector format")
        }
        NotConvertibleReason::NotInLabelSelectors => format!("{op} isn't supported in label selectors"),
    }
}

/// The parser's `found '…', expected: …`; upstream's parseValues writes
/// its `'('` case without the comma.
fn syntax_message(found: &str, expected: &str) -> String {
    let sep = if expected == "'('" { " expected:" } else { ", expected:" };
    format!("found '{}'{sep} {expected}", Short(found))
}

/// A string as Go's `%q` prints it, shortened as [`Short`] does.
fn quoted(s: &str) -> String {
    crate::validation::go_quote(&Short(s).to_string())
}

/// `values` as Go's json.Marshal writes a list (`<`, `>`, `&` escaped);
/// none as `null` (Go's nil slice).
fn json_list(values: &[String]) -> String {
    if values.is_empty() {
        return "null".to_owned();
    }
    crate::validation::go_json(&serde_json::to_string(values).unwrap_or_default())
}

fn value_count_message(op: Operator) -> &'static str {
    match op {
        Operator::In | Operator::NotIn => "for 'in', 'notin' operators, values set can't be empty",
        Operator::Equals | Operator::DoubleEquals | Operator::NotEquals => {
            "exact-match compatibility requires one single value"
        }
        Operator::Exists | Operator::DoesNotExist => "values set must be empty for exists and does not exist",
        Operator::GreaterThan | Operator::LessThan => {
            "for 'Gt', 'Lt' operators, exactly one value is required"
        }
    }
}

fn quote_list(items: &[&str]) -> String {
    items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}

fn join_errors(errors: &[SelectorError]) -> String {
    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// Prints a string, shortened to its first 64 characters when longer, so a
/// 10 MB hostile value does not become a 10 MB error message.
struct Short<'a>(&'a str);

impl fmt::Display for Short<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX: usize = 64;
        match self.0.char_indices().nth(MAX) {
            None => f.write_str(self.0),
            Some((cut, _)) => {
                let head = self.0.get(..cut).unwrap_or_default();
                write!(f, "{head}... ({} bytes)", self.0.len())
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Key and value validation (upstream: pkg/util/validation/validation.go)
// ---------------------------------------------------------------------------

const QUALIFIED_NAME_MAX_LENGTH: usize = 63;
const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;
const LABEL_VALUE_MAX_LENGTH: usize = 63;

// The examples are joined as upstream's RegexError joins them: each ends
// with "', " and the next starts with " or ", hence two spaces.
const QUALIFIED_NAME_ERROR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and \
     end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for \
     validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const DNS1123_SUBDOMAIN_ERROR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric \
     characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', \
     regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_ERROR: &str = "a valid label must be an empty string or consist of alphanumeric characters, \
     '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or \
     'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: non-empty, alphanumeric at both
/// ends, alphanumerics, `-`, `_` and `.` inside.
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*`.
fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|label| {
            let b = label.as_bytes();
            let edge = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
            match (b.first(), b.last()) {
                (Some(first), Some(last)) => {
                    edge(first) && edge(last) && b.iter().all(|c| edge(c) || *c == b'-')
                }
                _ => false,
            }
        })
}

/// The rules a label key breaks (upstream: `validation.IsQualifiedName`).
fn qualified_name_errors(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let mut parts = key.split('/');
    let (prefix, name) = match (parts.next(), parts.next(), parts.next()) {
        (Some(name), None, _) => (None, name),
        (Some(prefix), Some(name), None) => (Some(prefix), name),
        _ => {
            errs.push(format!(
                "a qualified name {QUALIFIED_NAME_ERROR} with an optional DNS subdomain prefix and '/' (e.g. \
                 'example.com/MyName')"
            ));
            return errs;
        }
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            errs.push("prefix part must be non-empty".to_owned());
        } else {
            if prefix.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
                errs.push(format!("prefix part {}", max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH)));
            }
            if !is_dns1123_subdomain(prefix) {
                errs.push(format!("prefix part {DNS1123_SUBDOMAIN_ERROR}"));
            }
        }
    }
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > QUALIFIED_NAME_MAX_LENGTH {
        errs.push(format!("name part {}", max_len_error(QUALIFIED_NAME_MAX_LENGTH)));
    }
    if !is_qualified_name_part(name) {
        errs.push(format!("name part {QUALIFIED_NAME_ERROR}"));
    }
    errs
}

/// The rules a label value breaks (upstream: `validation.IsValidLabelValue`).
fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(max_len_error(LABEL_VALUE_MAX_LENGTH));
    }
    if !value.is_empty() && !is_qualified_name_part(value) {
        errs.push(LABEL_VALUE_ERROR.to_owned());
    }
    errs
}

fn validate_key(key: &str) -> Result<(), SelectorError> {
    let reasons = qualified_name_errors(key);
    if reasons.is_empty() {
        Ok(())
    } else {
        Err(SelectorError::InvalidKey { path: "key", key: key.to_owned(), reasons })
    }
}

/// True when `key` is a valid label key: a qualified name with an optional
/// DNS-subdomain prefix (upstream: `validation.IsQualifiedName`).
pub fn is_valid_label_key(key: &str) -> bool {
    qualified_name_errors(key).is_empty()
}

/// True when `value` is a valid label value: empty, or at most 63
/// alphanumerics, `-`, `_` and `.` that start and end alphanumeric
/// (upstream: `validation.IsValidLabelValue`).
pub fn is_valid_label_value(value: &str) -> bool {
    label_value_errors(value).is_empty()
}

// ---------------------------------------------------------------------------
// Label sets
// ---------------------------------------------------------------------------

/// Anything a selector can be matched against: a lookup from a label key to
/// its value (upstream: `labels.Labels`).
///
/// Implemented for `IndexMap`, `BTreeMap` and `HashMap` of `String` to
/// `String` and for [`ObjectMeta`] (its labels), so callers match what they
/// hold without copying. For any other lookup use
/// [`Selector::matches_fn`].
pub trait Labels {
    /// The value of label `key`, or `None` when the label is absent.
    fn label_value(&self, key: &str) -> Option<&str>;
}

impl<S: BuildHasher> Labels for IndexMap<String, String, S> {
    fn label_value(&self, key: &str) -> Option<&str> {
        crate::api::meta::string_map_get(self, key)
    }
}

impl<S: BuildHasher> Labels for HashMap<String, String, S> {
    fn label_value(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl Labels for BTreeMap<String, String> {
    fn label_value(&self, key: &str) -> Option<&str> {
        self.get(key).map(String::as_str)
    }
}

impl Labels for ObjectMeta {
    fn label_value(&self, key: &str) -> Option<&str> {
        self.label(key)
    }
}

impl<T: Labels + ?Sized> Labels for &T {
    fn label_value(&self, key: &str) -> Option<&str> {
        (**self).label_value(key)
    }
}

impl<T: Labels> Labels for Option<T> {
    /// `None` is the empty label set.
    fn label_value(&self, key: &str) -> Option<&str> {
        self.as_ref()?.label_value(key)
    }
}

// ---------------------------------------------------------------------------
// Requirements
// ---------------------------------------------------------------------------

/// One condition of a selector: a key, an operator and values
/// (upstream: `labels.Requirement`).
///
/// Built only through [`Requirement::new`] (or the selector constructors), so
/// it is always valid. Values are kept sorted and without duplicates.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
}

impl Requirement {
    /// Builds a requirement, checking every rule of upstream's
    /// `NewRequirement`:
    /// - the key is a qualified name (optional DNS-subdomain prefix of at most
    ///   253 characters and `/`, then a name of at most 63);
    /// - `In` / `NotIn` have at least one value; `=`, `==`, `!=` exactly one;
    ///   `Exists` / `DoesNotExist` none; `Gt` / `Lt` exactly one, a base-10
    ///   signed 64-bit integer;
    /// - every value is a valid label value (so `-1` fails for `Gt` although
    ///   it is an integer).
    ///
    /// Every broken rule is reported; several come back as
    /// [`SelectorError::Multiple`].
    ///
    /// ```
    /// use kube_workloads::selector::{Operator, Requirement};
    ///
    /// let r = Requirement::new("env", Operator::In, ["qa", "prod", "qa"]).unwrap();
    /// assert_eq!(r.values(), ["prod", "qa"]);
    /// assert_eq!(r.to_string(), "env in (prod,qa)");
    /// assert!(Requirement::new("env", Operator::Equals, ["a", "b"]).is_err());
    /// assert!(Requirement::new("replicas", Operator::GreaterThan, ["two"]).is_err());
    /// assert!(Requirement::new("canary", Operator::Exists, None::<&str>).is_ok());
    /// ```
    pub fn new<I>(key: impl Into<String>, operator: Operator, values: I) -> Result<Requirement, SelectorError>
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        let key = key.into();
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        let mut errors = Vec::new();
        if let Err(e) = validate_key(&key) {
            errors.push(e);
        }
        let count_ok = match operator {
            Operator::In | Operator::NotIn => !values.is_empty(),
            Operator::Equals | Operator::DoubleEquals | Operator::NotEquals => values.len() == 1,
            Operator::Exists | Operator::DoesNotExist => values.is_empty(),
            Operator::GreaterThan | Operator::LessThan => values.len() == 1,
        };
        if !count_ok {
            errors.push(SelectorError::ValueCount { operator, values: values.clone() });
        }
        if matches!(operator, Operator::GreaterThan | Operator::LessThan) {
            for (index, value) in values.iter().enumerate() {
                if value.parse::<i64>().is_err() {
                    errors.push(SelectorError::NotAnInteger { index, value: value.clone() });
                }
            }
        }
        for (index, value) in values.iter().enumerate() {
            let reasons = label_value_errors(value);
            if !reasons.is_empty() {
                errors.push(SelectorError::InvalidValue {
                    key: key.clone(),
                    index,
                    value: value.clone(),
                    reasons,
                });
            }
        }
        if let Some(first) = single_or_multiple(errors) {
            return Err(first);
        }
        Ok(Requirement::new_unchecked(key, operator, values))
    }

    /// A requirement without validation; values are normalized.
    fn new_unchecked(key: String, operator: Operator, mut values: Vec<String>) -> Requirement {
        values.sort_unstable();
        values.dedup();
        Requirement { key, operator, values }
    }

    /// The label key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The values, sorted, without duplicates; empty for `Exists` and
    /// `DoesNotExist`.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// The one value the label must have when the requirement is `=`, `==`
    /// or a single-value `in`; `None` for every other requirement.
    ///
    /// ```
    /// use kube_workloads::selector::Selector;
    /// let s: Selector = "app=web,tier in (a),env in (x,y)".parse().unwrap();
    /// // Requirements are kept sorted by key: app, env, tier.
    /// let exact: Vec<_> = s.requirements().unwrap().iter().map(|r| r.exact_value()).collect();
    /// assert_eq!(exact, [Some("web"), None, Some("a")]);
    /// ```
    pub fn exact_value(&self) -> Option<&str> {
        match (self.operator, self.values.as_slice()) {
            (Operator::Equals | Operator::DoubleEquals | Operator::In, [v]) => Some(v.as_str()),
            _ => None,
        }
    }

    fn has_value(&self, value: &str) -> bool {
        // One value (every matchLabels entry): an equality, not a search.
        if let [only] = self.values.as_slice() {
            return crate::text::same_str(only, value);
        }
        self.values.binary_search_by(|v| v.as_str().cmp(value)).is_ok()
    }

    /// Whether a label set satisfies this requirement (upstream:
    /// `Requirement.Matches`):
    ///
    /// | operator | key absent | key present with value `v` |
    /// | --- | --- | --- |
    /// | `in`, `=`, `==` | false | `v` is one of the values |
    /// | `notin`, `!=` | **true** | `v` is none of the values |
    /// | `exists` | false | true |
    /// | `!` | true | false |
    /// | `gt`, `lt` | false | `v` parses as an `i64` and is greater / less |
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        self.matches_value(labels.label_value(&self.key))
    }

    /// [`Requirement::matches`] given the label's value directly (`None`
    /// when the label is absent).
    pub fn matches_value(&self, value: Option<&str>) -> bool {
        match self.operator {
            Operator::In | Operator::Equals | Operator::DoubleEquals => {
                value.is_some_and(|v| self.has_value(v))
            }
            Operator::NotIn | Operator::NotEquals => value.is_none_or(|v| !self.has_value(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let Some(actual) = value.and_then(|v| v.parse::<i64>().ok()) else {
                    return false;
                };
                let [bound] = self.values.as_slice() else {
                    return false;
                };
                let Ok(bound) = bound.parse::<i64>() else {
                    return false;
                };
                if self.operator == Operator::GreaterThan { actual > bound } else { actual < bound }
            }
        }
    }
}

fn single_or_multiple(mut errors: Vec<SelectorError>) -> Option<SelectorError> {
    match errors.len() {
        0 => None,
        1 => errors.pop(),
        _ => Some(SelectorError::Multiple(errors)),
    }
}

impl fmt::Display for Requirement {
    /// The requirement as upstream's `Requirement.String` writes it: `!k`,
    /// `k`, `k=v`, `k==v`, `k!=v`, `k>v`, `k<v`, `k in (a,b)`,
    /// `k notin (a,b)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.operator {
            Operator::Exists => return f.write_str(&self.key),
            Operator::DoesNotExist => return write!(f, "!{}", self.key),
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
            Operator::In | Operator::NotIn => {
                let word = if self.operator == Operator::In { "in" } else { "notin" };
                return write!(f, "{} {word} ({})", self.key, self.values.join(","));
            }
        };
        write!(f, "{}{op}{}", self.key, self.values.join(","))
    }
}

// ---------------------------------------------------------------------------
// Selectors
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Inner {
    Nothing,
    Requirements(Vec<Requirement>),
}

/// A label selector: requirements that must all hold, or *nothing*
/// (upstream: `labels.Selector`).
///
/// Build one with [`Selector::parse`], [`Selector::from_label_selector`],
/// [`Selector::from_map`], or [`Selector::everything`] plus
/// [`Selector::with_requirement`]. Its [`Display`](fmt::Display) is upstream's canonical
/// string: requirements sorted by key, joined by `,`.
///
/// ```
/// use kube_workloads::selector::Selector;
/// use std::collections::BTreeMap;
///
/// let sel: Selector = "app=web,tier".parse().unwrap();
/// let labels = BTreeMap::from([("app".to_string(), "web".to_string()), ("tier".to_string(), "".to_string())]);
/// assert!(sel.matches(&labels));
/// assert!(Selector::everything().matches(&BTreeMap::new()));
/// assert!(!Selector::nothing().matches(&BTreeMap::new()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Selector(Inner);

impl Default for Selector {
    /// The selector that matches everything.
    fn default() -> Self {
        Selector::everything()
    }
}

impl Selector {
    /// The selector that matches every label set (upstream: `Everything`).
    pub fn everything() -> Selector {
        Selector(Inner::Requirements(Vec::new()))
    }

    /// The selector that matches no label set, not even the empty one
    /// (upstream: `Nothing`). It prints as the empty string.
    pub fn nothing() -> Selector {
        Selector(Inner::Nothing)
    }

    /// True for the selector that matches everything (upstream: `Empty`).
    pub fn is_everything(&self) -> bool {
        matches!(&self.0, Inner::Requirements(r) if r.is_empty())
    }

    /// True for the selector that matches nothing.
    pub fn is_nothing(&self) -> bool {
        matches!(self.0, Inner::Nothing)
    }

    /// The requirements, sorted by key; `None` for the *nothing* selector
    /// (upstream: `Requirements`, whose `selectable` is false for it).
    pub fn requirements(&self) -> Option<&[Requirement]> {
        match &self.0 {
            Inner::Nothing => None,
            Inner::Requirements(r) => Some(r),
        }
    }

    /// This selector with one more requirement, kept sorted by key
    /// (upstream: `Add`). Adding to *nothing* leaves it *nothing*.
    pub fn with_requirement(self, requirement: Requirement) -> Selector {
        self.with_requirements([requirement])
    }

    /// This selector with more requirements, kept sorted by key (stably).
    pub fn with_requirements(self, requirements: impl IntoIterator<Item = Requirement>) -> Selector {
        match self.0 {
            Inner::Nothing => Selector(Inner::Nothing),
            Inner::Requirements(mut reqs) => {
                reqs.extend(requirements);
                reqs.sort_by(|a, b| a.key.cmp(&b.key));
                Selector(Inner::Requirements(reqs))
            }
        }
    }

    /// Whether every requirement holds for `labels` (upstream: `Matches`).
    /// *Everything* matches all label sets, *nothing* none.
    ///
    /// ```
    /// use kube_workloads::selector::Selector;
    /// use kube_workloads::api::StringMap;
    ///
    /// let labels: StringMap = [("x".to_string(), "".to_string())].into_iter().collect();
    /// assert!(Selector::parse("x=").unwrap().matches(&labels));
    /// assert!(Selector::parse("y!=a,y notin (b)").unwrap().matches(&labels)); // absent key
    /// assert!(!Selector::parse("y>1").unwrap().matches(&labels));
    /// ```
    pub fn matches<L: Labels + ?Sized>(&self, labels: &L) -> bool {
        match &self.0 {
            Inner::Nothing => false,
            Inner::Requirements(reqs) => reqs.iter().all(|r| r.matches(labels)),
        }
    }

    /// [`Selector::matches`] over any label lookup.
    ///
    /// ```
    /// use kube_workloads::selector::Selector;
    ///
    /// let sel = Selector::parse("app=web").unwrap();
    /// assert!(sel.matches_fn(|k| (k == "app").then_some("web")));
    /// ```
    pub fn matches_fn<'v, F: Fn(&str) -> Option<&'v str>>(&self, lookup: F) -> bool {
        match &self.0 {
            Inner::Nothing => false,
            Inner::Requirements(reqs) => reqs.iter().all(|r| r.matches_value(lookup(&r.key))),
        }
    }

    /// If the selector requires `label` to have one specific value (`=`,
    /// `==` or a single-value `in` on the first requirement with that key),
    /// that value (upstream: `RequiresExactMatch`). Values are kept
    /// de-duplicated, so `in (x, x)` counts as one value here, where
    /// upstream's list of two answers no (the selector matches the same
    /// labels either way).
    pub fn requires_exact_match(&self, label: &str) -> Option<&str> {
        let reqs = self.requirements()?;
        reqs.iter().find(|r| r.key == label)?.exact_value()
    }

    /// Parses the string grammar of `kubectl -l` and `?labelSelector=`
    /// (upstream: `labels.Parse`):
    ///
    /// ```text
    /// selector    := "" | requirement ("," requirement)*
    /// requirement := ["!"] KEY [ ("=" | "==" | "!=" | ">" | "<") VALUE
    ///                          | ("in" | "notin") "(" [VALUE] ("," [VALUE])* ")" ]
    /// ```
    ///
    /// Spaces, tabs, CR and LF separate tokens; `in` and `notin` are keywords
    /// only in operator position. `k` alone is *exists*, `!k` *does not
    /// exist*; `k=` means the value `""`, and so do empty items in a list
    /// (`k in ()`, `(a,)`, `(,a)`). Every requirement goes through
    /// [`Requirement::new`]. The empty string is *everything*.
    ///
    /// Like upstream's lexer, which uses byte 0 as its end marker, a NUL byte
    /// ends the input when it starts a token and is skipped when it ends an
    /// identifier or operator.
    ///
    /// No input panics; the parser is iterative and reads tokens lazily.
    ///
    /// ```
    /// use kube_workloads::selector::{Selector, SelectorError};
    ///
    /// let sel = Selector::parse("x in (foo,,baz),y,z notin ()").unwrap();
    /// assert_eq!(sel.to_string(), "x in (,baz,foo),y,z notin ()");
    /// assert!(matches!(Selector::parse("x==a==b"), Err(SelectorError::Syntax { .. })));
    /// assert!(Selector::parse("").unwrap().is_everything());
    /// ```
    pub fn parse(selector: &str) -> Result<Selector, SelectorError> {
        let mut reqs = Parser::new(selector).parse()?;
        reqs.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(Selector(Inner::Requirements(reqs)))
    }

    /// Converts the API's `LabelSelector` (upstream:
    /// `metav1.LabelSelectorAsSelector`): a selector with no `matchLabels`
    /// and no `matchExpressions` is *everything*; otherwise each label is an
    /// `=` requirement and each expression its operator, all validated.
    ///
    /// ```
    /// use kube_workloads::api::LabelSelector;
    /// use kube_workloads::selector::Selector;
    ///
    /// let ls: LabelSelector = serde_json::from_value(serde_json::json!({
    ///     "matchLabels": {"app": "web"},
    ///     "matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["dev"]}]
    /// })).unwrap();
    /// let sel = Selector::from_label_selector(&ls).unwrap();
    /// assert_eq!(sel.to_string(), "app=web,env notin (dev)");
    /// assert!(Selector::from_label_selector(&LabelSelector::default()).unwrap().is_everything());
    /// ```
    pub fn from_label_selector(selector: &LabelSelector) -> Result<Selector, SelectorError> {
        let labels = selector.match_labels.as_ref();
        let exprs = selector.match_expressions.as_deref().unwrap_or_default();
        if labels.is_none_or(IndexMap::is_empty) && exprs.is_empty() {
            return Ok(Selector::everything());
        }
        let mut reqs = Vec::with_capacity(labels.map_or(0, IndexMap::len) + exprs.len());
        for (k, v) in labels.into_iter().flatten() {
            reqs.push(Requirement::new(k.clone(), Operator::Equals, [v.clone()])?);
        }
        for expr in exprs {
            let op = Operator::from_label_selector_operator(&expr.operator_as_read())?;
            let values = expr.values.iter().flatten().cloned();
            reqs.push(Requirement::new(expr.key.clone(), op, values)?);
        }
        Ok(Selector::everything().with_requirements(reqs))
    }

    /// [`Selector::from_label_selector`] for an optional selector: `None` (a
    /// null selector) is *nothing*.
    pub fn from_optional_label_selector(selector: Option<&LabelSelector>) -> Result<Selector, SelectorError> {
        match selector {
            None => Ok(Selector::nothing()),
            Some(s) => Selector::from_label_selector(s),
        }
    }

    /// A selector matching exactly the pairs of an equality map, such as a
    /// ReplicationController's `spec.selector` (upstream: `SelectorFromSet`).
    /// An empty map is *everything*. Keys and values are **not** validated,
    /// as upstream; see [`Selector::validated_from_map`].
    ///
    /// ```
    /// use kube_workloads::selector::Selector;
    /// use kube_workloads::api::StringMap;
    ///
    /// let rc: StringMap = [("app".to_string(), "web".to_string())].into_iter().collect();
    /// let sel = Selector::from_map(&rc);
    /// assert_eq!(sel.to_string(), "app=web");
    /// assert!(Selector::from_map(&StringMap::new()).is_everything());
    /// ```
    pub fn from_map<I, K, V>(map: I) -> Selector
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let reqs = map.into_iter().map(|(k, v)| {
            Requirement::new_unchecked(k.as_ref().to_owned(), Operator::Equals, vec![v.as_ref().to_owned()])
        });
        Selector::everything().with_requirements(reqs)
    }

    /// [`Selector::from_map`] with every key and value validated (upstream:
    /// `ValidatedSelectorFromSet`).
    pub fn validated_from_map<I, K, V>(map: I) -> Result<Selector, SelectorError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let reqs = map
            .into_iter()
            .map(|(k, v)| Requirement::new(k.as_ref(), Operator::Equals, [v.as_ref()]))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Selector::everything().with_requirements(reqs))
    }
}

impl fmt::Display for Selector {
    /// Upstream's `Selector.String`: requirements in key order joined by `,`;
    /// both *everything* and *nothing* print as `""`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner::Requirements(reqs) = &self.0 else {
            return Ok(());
        };
        for (i, r) in reqs.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Selector {
    type Err = SelectorError;

    /// [`Selector::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Selector::parse(s)
    }
}

// ---------------------------------------------------------------------------
// LabelSelector helpers (upstream: pkg/apis/meta/v1/helpers.go)
// ---------------------------------------------------------------------------

/// Converts a `LabelSelector` to a plain equality map (upstream:
/// `metav1.LabelSelectorAsMap`): `matchLabels` as they are, plus each
/// single-value `In` expression (which overwrites an equal key). Any other
/// expression is an error. Pass `None` through with `Option::map` for a
/// null selector (upstream returns a nil map).
///
/// ```
/// use kube_workloads::api::LabelSelector;
/// use kube_workloads::selector::label_selector_as_map;
///
/// let ls: LabelSelector = serde_json::from_value(serde_json::json!({
///     "matchLabels": {"app": "web"},
///     "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod"]}]
/// })).unwrap();
/// let map = label_selector_as_map(&ls).unwrap();
/// assert_eq!(map.get("env").map(String::as_str), Some("prod"));
/// ```
pub fn label_selector_as_map(selector: &LabelSelector) -> Result<StringMap, SelectorError> {
    let mut map = selector.match_labels.clone().unwrap_or_default();
    for expr in selector.match_expressions.iter().flatten() {
        match &*expr.operator_as_read() {
            LabelSelectorOperator::In => match expr.values.as_deref() {
                Some([value]) => {
                    map.insert(expr.key.clone(), value.clone());
                }
                _ => {
                    return Err(SelectorError::NotConvertible {
                        operator: expr.operator.as_str().to_owned(),
                        reason: NotConvertibleReason::NotSingleValue,
                    });
                }
            },
            LabelSelectorOperator::NotIn
            | LabelSelectorOperator::Exists
            | LabelSelectorOperator::DoesNotExist => {
                return Err(SelectorError::NotConvertible {
                    operator: expr.operator.as_str().to_owned(),
                    reason: NotConvertibleReason::NotEquality,
                });
            }
            LabelSelectorOperator::Other(s) => {
                return Err(SelectorError::InvalidOperator { operator: s.clone(), kind: "selector" });
            }
        }
    }
    Ok(map)
}

/// Parses a selector string into the API's `LabelSelector` (upstream:
/// `metav1.ParseToLabelSelector`): `=` and `==` become `matchLabels`
/// (a later pair for the same key wins), `in`, `notin`, exists and does-not-
/// exist become `matchExpressions` in key order with sorted values; `>` and
/// `<` cannot be expressed and are an error. Empty parts are left `None`, so
/// the result serializes as upstream's does (`{}` for `""`).
///
/// ```
/// use kube_workloads::selector::parse_to_label_selector;
///
/// let ls = parse_to_label_selector("app=web,env in (qa,prod)").unwrap();
/// let json = serde_json::to_value(&ls).unwrap();
/// assert_eq!(json, serde_json::json!({
///     "matchLabels": {"app": "web"},
///     "matchExpressions": [{"key": "env", "operator": "In", "values": ["prod", "qa"]}]
/// }));
/// assert!(parse_to_label_selector("x>1").is_err());
/// ```
pub fn parse_to_label_selector(selector: &str) -> Result<LabelSelector, SelectorError> {
    let parsed = Selector::parse(selector)
        .map_err(|e| SelectorError::Unparsable { selector: selector.to_owned(), source: Box::new(e) })?;
    let mut labels = StringMap::new();
    let mut exprs = Vec::new();
    for r in parsed.requirements().unwrap_or_default() {
        let operator = match r.operator {
            Operator::Equals | Operator::DoubleEquals => {
                let value = r.values.first().cloned().unwrap_or_default();
                labels.insert(r.key.clone(), value);
                continue;
            }
            Operator::In => LabelSelectorOperator::In,
            Operator::NotIn => LabelSelectorOperator::NotIn,
            Operator::Exists => LabelSelectorOperator::Exists,
            Operator::DoesNotExist => LabelSelectorOperator::DoesNotExist,
            Operator::GreaterThan | Operator::LessThan => {
                return Err(SelectorError::NotConvertible {
                    operator: r.operator.as_str().to_owned(),
                    reason: NotConvertibleReason::NotInLabelSelectors,
                });
            }
            Operator::NotEquals => {
                return Err(SelectorError::InvalidOperator {
                    operator: r.operator.as_str().to_owned(),
                    kind: "label selector",
                });
            }
        };
        let values = match r.operator {
            Operator::Exists | Operator::DoesNotExist => None,
            _ => Some(r.values.clone()),
        };
        exprs.push(LabelSelectorRequirement { key: r.key.clone(), operator, values, ..Default::default() });
    }
    Ok(LabelSelector {
        match_labels: (!labels.is_empty()).then_some(labels),
        match_expressions: (!exprs.is_empty()).then_some(exprs),
        ..Default::default()
    })
}

// ---------------------------------------------------------------------------
// The lexer and parser (upstream: selector.go Lexer, Parser)
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    End,
    ClosedPar,
    Comma,
    Not,
    DoubleEquals,
    Equals,
    GreaterThan,
    Identifier,
    In,
    LessThan,
    NotEquals,
    NotIn,
    OpenPar,
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    tok: Tok,
    lit: &'a str,
    pos: usize,
}

/// Where the parser is: in operator position `in` / `notin` are keywords,
/// everywhere else they are identifiers (upstream: `ParserContext`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    KeyAndOperator,
    Values,
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

struct Lexer<'a> {
    s: &'a str,
    pos: usize,
    done: bool,
}

impl<'a> Lexer<'a> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.s.as_bytes().get(at).copied()
    }

    fn slice(&self, from: usize, to: usize) -> &'a str {
        // Token boundaries are at ASCII bytes or the ends, so always on char
        // boundaries; `get` keeps this total regardless.
        self.s.get(from..to).unwrap_or_default()
    }

    fn end(&mut self) -> Token<'a> {
        self.done = true;
        Token { tok: Tok::End, lit: "", pos: self.s.len() }
    }

    /// The next token (upstream: `Lexer.Lex`). After the end it keeps
    /// returning the end.
    fn lex(&mut self) -> Token<'a> {
        if self.done {
            return self.end();
        }
        while self.byte(self.pos).is_some_and(is_whitespace) {
            self.pos += 1;
        }
        let start = self.pos;
        match self.byte(start) {
            None | Some(0) => self.end(),
            Some(b) if is_special(b) => {
                let two = matches!((b, self.byte(start + 1)), (b'!' | b'=', Some(b'=')));
                let end = if two { start + 2 } else { start + 1 };
                let tok = match (b, two) {
                    (b'!', true) => Tok::NotEquals,
                    (b'=', true) => Tok::DoubleEquals,
                    (b'!', _) => Tok::Not,
                    (b'=', _) => Tok::Equals,
                    (b'(', _) => Tok::OpenPar,
                    (b')', _) => Tok::ClosedPar,
                    (b',', _) => Tok::Comma,
                    (b'>', _) => Tok::GreaterThan,
                    _ => Tok::LessThan,
                };
                self.pos = end;
                self.skip_nul();
                Token { tok, lit: self.slice(start, end), pos: start }
            }
            Some(_) => {
                let mut end = start;
                while self.byte(end).is_some_and(|c| c != 0 && !is_special(c) && !is_whitespace(c)) {
                    end += 1;
                }
                self.pos = end;
                self.skip_nul();
                let lit = self.slice(start, end);
                let tok = match lit {
                    "in" => Tok::In,
                    "notin" => Tok::NotIn,
                    _ => Tok::Identifier,
                };
                Token { tok, lit, pos: start }
            }
        }
    }

    /// Upstream's reader treats byte 0 as the end marker and does not put it
    /// back, so a NUL right after a token is consumed with it.
    fn skip_nul(&mut self) {
        if self.byte(self.pos) == Some(0) {
            self.pos += 1;
        }
    }
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    peeked: Option<Token<'a>>,
}

fn in_context(mut t: Token<'_>, ctx: Context) -> Token<'_> {
    if ctx == Context::Values && matches!(t.tok, Tok::In | Tok::NotIn) {
        t.tok = Tok::Identifier;
    }
    t
}

fn syntax(t: Token<'_>, expected: &'static str) -> SelectorError {
    SelectorError::Syntax { position: t.pos, found: t.lit.to_owned(), expected }
}

impl<'a> Parser<'a> {
    fn new(s: &'a str) -> Parser<'a> {
        Parser { lexer: Lexer { s, pos: 0, done: false }, peeked: None }
    }

    fn lookahead(&mut self, ctx: Context) -> Token<'a> {
        let t = match self.peeked {
            Some(t) => t,
            None => {
                let t = self.lexer.lex();
                self.peeked = Some(t);
                t
            }
        };
        in_context(t, ctx)
    }

    fn consume(&mut self, ctx: Context) -> Token<'a> {
        let t = match self.peeked.take() {
            Some(t) => t,
            None => self.lexer.lex(),
        };
        in_context(t, ctx)
    }

    fn parse(&mut self) -> Result<Vec<Requirement>, SelectorError> {
        let mut reqs = Vec::new();
        loop {
            let t = self.lookahead(Context::Values);
            match t.tok {
                Tok::Identifier | Tok::Not => {
                    let requirement =
                        self.parse_requirement().map_err(|e| SelectorError::InRequirement(Box::new(e)))?;
                    reqs.push(requirement);
                    let t = self.consume(Context::Values);
                    match t.tok {
                        Tok::End => return Ok(reqs),
                        Tok::Comma => {
                            let next = self.lookahead(Context::Values);
                            if !matches!(next.tok, Tok::Identifier | Tok::Not) {
                                return Err(syntax(next, "identifier after ','"));
                            }
                        }
                        _ => return Err(syntax(t, "',' or 'end of string'")),
                    }
                }
                Tok::End => return Ok(reqs),
                _ => return Err(syntax(t, "!, identifier, or 'end of string'")),
            }
        }
    }

    fn parse_requirement(&mut self) -> Result<Requirement, SelectorError> {
        let mut t = self.consume(Context::Values);
        let negated = t.tok == Tok::Not;
        if negated {
            t = self.consume(Context::Values);
        }
        if t.tok != Tok::Identifier {
            return Err(syntax(t, "identifier"));
        }
        let key = t.lit;
        // upstream: parseKeyAndInferOperator validates the key with the
        // parser's nil path.
        validate_key(key).map_err(|e| match e {
            SelectorError::InvalidKey { key, reasons, .. } => {
                SelectorError::InvalidKey { path: "<nil>", key, reasons }
            }
            other => other,
        })?;
        if negated {
            // `!k` takes no operator; anything after it fails in `parse`.
            return Requirement::new(key, Operator::DoesNotExist, None::<String>);
        }
        if matches!(self.lookahead(Context::Values).tok, Tok::End | Tok::Comma) {
            return Requirement::new(key, Operator::Exists, None::<String>);
        }
        let op_token = self.consume(Context::KeyAndOperator);
        let op = match op_token.tok {
            Tok::In => Operator::In,
            Tok::NotIn => Operator::NotIn,
            Tok::Equals => Operator::Equals,
            Tok::DoubleEquals => Operator::DoubleEquals,
            Tok::NotEquals => Operator::NotEquals,
            Tok::GreaterThan => Operator::GreaterThan,
            Tok::LessThan => Operator::LessThan,
            _ => return Err(syntax(op_token, "in, notin, =, ==, !=, gt, lt")),
        };
        let values = match op {
            Operator::In | Operator::NotIn => self.parse_values()?,
            _ => self.parse_exact_value()?,
        };
        Requirement::new(key, op, values)
    }

    /// `"(" [VALUE] ("," [VALUE])* ")"` (upstream: `parseValues`).
    fn parse_values(&mut self) -> Result<BTreeSet<&'a str>, SelectorError> {
        let t = self.consume(Context::Values);
        if t.tok != Tok::OpenPar {
            return Err(syntax(t, "'('"));
        }
        let t = self.lookahead(Context::Values);
        match t.tok {
            Tok::Identifier | Tok::Comma => {
                let set = self.parse_identifiers_list()?;
                let close = self.consume(Context::Values);
                if close.tok != Tok::ClosedPar {
                    return Err(syntax(close, "')'"));
                }
                Ok(set)
            }
            Tok::ClosedPar => {
                self.consume(Context::Values);
                Ok(BTreeSet::from([""]))
            }
            _ => Err(syntax(t, "',', ')' or identifier")),
        }
    }

    /// A comma-separated list of possibly empty identifiers, up to (not
    /// including) `)` (upstream: `parseIdentifiersList`).
    fn parse_identifiers_list(&mut self) -> Result<BTreeSet<&'a str>, SelectorError> {
        let mut set = BTreeSet::new();
        loop {
            let t = self.consume(Context::Values);
            match t.tok {
                Tok::Identifier => {
                    set.insert(t.lit);
                    let next = self.lookahead(Context::Values);
                    match next.tok {
                        Tok::Comma => {}
                        Tok::ClosedPar => return Ok(set),
                        _ => return Err(syntax(next, "',' or ')'")),
                    }
                }
                Tok::Comma => {
                    if set.is_empty() {
                        set.insert(""); // "(,"
                    }
                    let next = self.lookahead(Context::Values);
                    if next.tok == Tok::ClosedPar {
                        set.insert(""); // ",)"
                        return Ok(set);
                    }
                    // ",,": the empty value, and the second comma is left
                    // for the next turn (newest upstream no longer consumes
                    // it, so "(a,,)" parses as selectors.md §4 says).
                    if next.tok == Tok::Comma {
                        set.insert("");
                    }
                }
                _ => return Err(syntax(t, "',', or identifier")),
            }
        }
    }

    /// The single value after `=`, `==`, `!=`, `>` or `<`; nothing before `,`
    /// or the end is `""` (upstream: `parseExactValue`).
    fn parse_exact_value(&mut self) -> Result<BTreeSet<&'a str>, SelectorError> {
        if matches!(self.lookahead(Context::Values).tok, Tok::End | Tok::Comma) {
            return Ok(BTreeSet::from([""]));
        }
        let t = self.consume(Context::Values);
        if t.tok == Tok::Identifier { Ok(BTreeSet::from([t.lit])) } else { Err(syntax(t, "identifier")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_an_end_marker_like_upstream() {
        assert_eq!(Selector::parse("a \0b").map(|s| s.to_string()), Ok("a".to_owned()));
        assert_eq!(Selector::parse("a=\0b").map(|s| s.to_string()), Ok("a=b".to_owned()));
        assert!(Selector::parse("a\0b").is_err());
    }

    #[test]
    fn short_truncates() {
        let long = "x".repeat(1000);
        let shown = Short(&long).to_string();
        assert!(shown.len() < 100, "{shown}");
    }
}
