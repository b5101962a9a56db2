//! Validation of objects as the API server does it: every rule of
//! `semantics/validation.md`, reported as typed [`FieldError`]s that name the
//! field path and print exactly like the API server's messages.
//!
//! Validation runs **after defaulting** ([`crate::defaults::apply`]), as in the
//! API server: fields such as `dnsPolicy`, `restartPolicy`,
//! `imagePullPolicy` and `terminationGracePeriodSeconds` are `Required` when
//! empty, which only happens when defaulting was skipped.
//!
//! ```
//! use kube_workloads::{Object, defaults, validation};
//! let doc = serde_json::json!({
//!     "apiVersion": "apps/v1", "kind": "Deployment",
//!     "metadata": {"name": "web", "namespace": "default"},
//!     "spec": {"replicas": -1, "selector": {"matchLabels": {"app": "web"}},
//!              "template": {"metadata": {"labels": {"app": "web"}},
//!                           "spec": {"containers": [{"name": "web", "image": "nginx"}]}}}
//! });
//! let object = defaults::applied(Object::from_value(doc).unwrap());
//! let errors = validation::validate(&object).unwrap_err();
//! assert_eq!(errors.to_string(), "spec.replicas: Invalid value: -1: must be greater than or equal to 0");
//! ```
//!
//! upstream (mirrored, not copied):
//! - kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/util/validation/field/{errors.go,path.go}
//!   (error types, rendering, paths);
//! - staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go (string formats);
//! - staging/src/k8s.io/apimachinery/pkg/api/validation/{objectmeta.go,generic.go} and
//!   pkg/apis/meta/v1/validation/validation.go (metadata, labels, selectors);
//! - pkg/apis/core/validation/validation.go (pods, templates, ReplicationController);
//! - pkg/apis/apps/validation/validation.go, pkg/apis/batch/validation/validation.go;
//! - pkg/apis/settings/validation/validation.go (PodPreset, removed in 1.20).
//!
//! Deviations (deliberate, documented):
//! - A workload `selector` is upstream's nil pointer when the document left
//!   it out or wrote `null` (the wire types remember which, see
//!   [`AbsentKeys`](crate::api::AbsentKeys)): `Required`. `selector: {}` and
//!   `{matchLabels: {}}` are the empty selector (`Invalid`, "empty selector
//!   is invalid"). A spec built in code with a default selector is the
//!   empty selector, as its JSON would be.
//! - An absent `metadata.namespace` is not an error: the caller's context
//!   supplies it (the API server fills it from the request URL).
//! - `metadata.name` empty but `generateName` set is accepted (the server
//!   would have generated the name before validating).
//! - Negative `terminationGracePeriodSeconds` is rejected with `Invalid`
//!   (upstream normalises it to 1 in the pod strategy instead).
//! - CronJob `timeZone` is looked up in chrono-tz's copy of the IANA
//!   database, which may be newer or older than the API server's.
//! - Quantities are compared and summed exactly with 128-bit decimal
//!   mantissas (upstream: `inf.Dec`). A container request beyond that range
//!   is compared with its limit in `f64` precision; the pod-level checks
//!   skip such values, and sums that overflow it.
//! - Of the volume sources the wire types keep as JSON, `projected`,
//!   `downwardAPI`, `hostPath`, `ephemeral`, `csi`, `nfs`, `image` and
//!   `gitRepo` are validated (but for `podCertificate` projections); the
//!   others (cloud
//!   disks, iSCSI, RBD, CephFS, ...) are recognised by their key (one source
//!   per volume) but their contents are not validated.
//! - Admission plugins are not run: a Pod with a projected service account
//!   token and no `serviceAccountName` is rejected, as validation rejects
//!   it; a real API server's ServiceAccount plugin sets `default` first.
//! - A Job without `metadata.uid` (not yet through the server's create
//!   hook) skips the generated-selector checks; run
//!   [`crate::defaults::generate_job_selector`] first for upstream's
//!   behaviour.
//! - Structured bad values (maps, selectors, strategies) print as the
//!   compact JSON of their v1 form. Upstream (1.35's `ErrorBody`) marshals
//!   the value it holds, often an internal type without JSON tags, so its
//!   keys can be Go field names (`{"Type":"Recreate",...}`).
//! - The API server's `--allow-privileged` is taken to be on: privileged and
//!   Windows host-process containers are not "disallowed by cluster policy".
//! - Gates [`FeatureGates`] does not carry are taken at their 1.35 defaults:
//!   RelaxedDNSSearchValidation and PodLevelResources on.
//! - The create strategy's merge of `matchLabelKeys` into pod-affinity and
//!   topology-spread selectors is not simulated; the "exists in both" checks
//!   see the selectors as written.
//! - Parts of the pod spec the wire types keep as JSON (security contexts,
//!   pod affinity, topology spread, DNS config, host aliases, resource
//!   claims, `valueFrom`) report a value of the wrong JSON type as
//!   `Invalid` ("must be a string", ...), where the API server fails to
//!   decode the request.
//! - Updates relax what the stored pod spec already used, as upstream's
//!   options derived from the old spec do, except for the
//!   `RestartAllContainers` restart action (refused on every spec) and
//!   `OldPodViolatesMatchLabelKeysValidation` (it only swaps in the legacy
//!   topology-spread `matchLabelKeys` rule, which refuses no less).
//! - Not validated: the legacy `scheduler.alpha.kubernetes.io/tolerations`
//!   annotation.
//!
//! Entry points: [`validate`] (any kind, create), one `validate_<kind>` per
//! kind, [`validate_update`],
//! [`validate_ephemeral_containers_update`], [`validate_pod_resize`], [`validate_status`] and
//! [`validate_status_update`]. The `*_with_gates` form takes explicit
//! [`FeatureGates`]. Helpers for embedded parts (`validate_labels`,
//! `validate_label_selector`, `validate_object_meta`, `validate_pod_spec`,
//! `validate_pod_template_spec`) return the raw error list so callers can
//! compose them.

mod affinity;
mod annotations;
mod apps;
mod batch;
mod env;
mod json;
pub(crate) mod meta;
mod pod;
mod pod_status;
pub(crate) mod podspec;
mod preset;
pub(crate) mod quantity;
mod ratchet;
mod resize;
mod restart_rules;
mod security;
mod status;
mod strings;
mod update;
mod volume_sources;

use std::fmt;

use crate::api::Object;
use crate::features::FeatureGates;

pub use apps::{
    validate_daemon_set, validate_deployment, validate_replica_set, validate_replication_controller,
    validate_stateful_set,
};
pub use batch::{validate_cron_job, validate_job};
pub use meta::{validate_label_selector, validate_labels, validate_object_meta};
pub use pod::{validate_pod, validate_pod_spec, validate_pod_template, validate_pod_template_spec};
pub use preset::validate_pod_preset;
pub use resize::{prepare_pod_resize, validate_pod_resize};
pub use status::{validate_status, validate_status_update, validate_status_update_with_gates};
pub use strings::{
    is_dns1123_label, is_dns1123_subdomain, is_qualified_name, is_valid_label_value, is_valid_port_name,
};
pub use update::{
    prepare_ephemeral_containers_update, validate_ephemeral_containers_update, validate_update,
    validate_update_with_gates,
};

pub(crate) use pod::{VOLUME_SOURCES, volume_has_source};

/// A field path as the API server prints it:
/// `spec.template.spec.containers[1].livenessProbe.successThreshold`.
///
/// Children are joined with `.`, list indexes print as `[3]` and map keys
/// as `[key]` without quotes (upstream: field/path.go `Path.String`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FieldPath {
    segments: Vec<Segment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Segment {
    Child(String),
    Index(usize),
    Key(String),
}

impl FieldPath {
    /// The empty path (the object itself).
    pub fn root() -> FieldPath {
        FieldPath::default()
    }

    /// A path of one field name.
    pub fn new(name: &str) -> FieldPath {
        FieldPath::root().child(name)
    }

    /// This path followed by a field name; `name` may contain dots
    /// (`"metadata.labels"`), each part becoming one child.
    pub fn child(&self, name: &str) -> FieldPath {
        let mut out = self.clone();
        for part in name.split('.') {
            out.segments.push(Segment::Child(part.to_owned()));
        }
        out
    }

    /// This path followed by a list index.
    pub fn index(&self, index: usize) -> FieldPath {
        let mut out = self.clone();
        out.segments.push(Segment::Index(index));
        out
    }

    /// This path followed by a map key.
    pub fn key(&self, key: &str) -> FieldPath {
        let mut out = self.clone();
        out.segments.push(Segment::Key(key.to_owned()));
        out
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Child(name) if i == 0 => f.write_str(name)?,
                Segment::Child(name) => write!(f, ".{name}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
                Segment::Key(k) => write!(f, "[{k}]")?,
            }
        }
        Ok(())
    }
}

/// The offending value carried by an error, rendered as the API server
/// renders it: strings quoted, integers and booleans bare, anything else
/// as JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum BadValue {
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// A string, printed quoted.
    Str(String),
    /// A structured value, printed as compact JSON.
    Json(serde_json::Value),
    /// No value printed (upstream's `field.OmitValueType`).
    Omit,
    /// A value printed as-is.
    Raw(String),
}

impl BadValue {
    /// A structured value from anything serializable (`null` if it cannot be).
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> BadValue {
        BadValue::Json(serde_json::to_value(value).unwrap_or(serde_json::Value::Null))
    }

    /// A value of a named Go string type (an enum such as an operator or a
    /// restart policy): upstream's ErrorBody does not take it for a
    /// `string`, so it prints it through json.Marshal (`"a\u003cb"`) where a
    /// plain string prints with `%q`.
    pub fn named(value: &str) -> BadValue {
        BadValue::Json(serde_json::Value::String(value.to_owned()))
    }
}

impl From<i64> for BadValue {
    fn from(v: i64) -> Self {
        BadValue::Int(v)
    }
}

impl From<i32> for BadValue {
    fn from(v: i32) -> Self {
        BadValue::Int(i64::from(v))
    }
}

impl From<usize> for BadValue {
    fn from(v: usize) -> Self {
        BadValue::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}

impl From<bool> for BadValue {
    fn from(v: bool) -> Self {
        BadValue::Bool(v)
    }
}

impl From<&str> for BadValue {
    fn from(v: &str) -> Self {
        BadValue::Str(v.to_owned())
    }
}

impl From<String> for BadValue {
    fn from(v: String) -> Self {
        BadValue::Str(v)
    }
}

impl From<&String> for BadValue {
    fn from(v: &String) -> Self {
        BadValue::Str(v.clone())
    }
}

/// An IntOrString prints as its JSON: `5`, or `"25%"` quoted. (Its Go
/// `String()` has a pointer receiver, so the value validation passes is no
/// `fmt.Stringer`; since 1.34, kubernetes PR 132314, such values print as
/// JSON.)
impl From<&crate::api::IntOrString> for BadValue {
    fn from(v: &crate::api::IntOrString) -> Self {
        BadValue::json(v)
    }
}

impl fmt::Display for BadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BadValue::Int(v) => write!(f, "{v}"),
            BadValue::Bool(v) => write!(f, "{v}"),
            BadValue::Str(s) => write!(f, "{}", go_quote(s)),
            BadValue::Json(v) => f.write_str(&go_json(&v.to_string())),
            BadValue::Raw(s) => f.write_str(s),
            BadValue::Omit => Ok(()),
        }
    }
}

/// Compact JSON text as Go's json.Marshal writes it: `<`, `>`, `&`, U+2028
/// and U+2029 escaped (they only occur inside strings in JSON text).
pub(crate) fn go_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Quotes a string the way Go's `%q` (strconv.Quote) does: the C escapes
/// Go knows, `\xNN` below a space and for DEL, `\uNNNN` (`\UNNNNNNNN`
/// past U+FFFF) for every other character Go's `unicode.IsPrint` refuses:
/// controls, spaces other than U+0020, format characters and private use.
/// Unassigned code points, which Go escapes too, are kept as they are (std
/// has no table of them).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len().saturating_add(2));
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if !go_printable(c) => {
                let code = u32::from(c);
                if code < 0x20 || code == 0x7f {
                    out.push_str(&format!("\\x{code:02x}"));
                } else if code < 0x10000 {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint` as far as std can tell: not a control, not a
/// space other than U+0020 (Zs, Zl, Zp), not a format character (Cf) and
/// not private use (Co).
fn go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    // White_Space covers every Zs, Zl and Zp character.
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let format = matches!(u32::from(c),
        0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890..=0x891 | 0x8e2 | 0x180e
        | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff
        | 0xfff9..=0xfffb | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3
        | 0x1d173..=0x1d17a | 0xe0001 | 0xe0020..=0xe007f);
    let private = matches!(u32::from(c), 0xe000..=0xf8ff | 0xf0000..=0xffffd | 0x100000..=0x10fffd);
    !format && !private
}

/// What is wrong with a field (upstream: field.ErrorType).
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorKind {
    /// A required value is missing ("Required value").
    Required,
    /// The value is malformed or out of range ("Invalid value").
    Invalid(BadValue),
    /// The value is not one of the allowed values ("Unsupported value");
    /// the detail lists them.
    NotSupported(BadValue),
    /// The value must be unique ("Duplicate value").
    Duplicate(BadValue),
    /// The field may not be set or changed here ("Forbidden").
    Forbidden,
    /// The value is too long ("Too long"; the value is not printed).
    TooLong,
    /// The list has too many items ("Too many"), with the actual count.
    TooMany(usize),
    /// A referenced item does not exist ("Not found").
    NotFound(BadValue),
}

impl ErrorKind {
    /// The text the API server prints for this kind of error.
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorKind::Required => "Required value",
            ErrorKind::Invalid(_) => "Invalid value",
            ErrorKind::NotSupported(_) => "Unsupported value",
            ErrorKind::Duplicate(_) => "Duplicate value",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::TooLong => "Too long",
            ErrorKind::TooMany(_) => "Too many",
            ErrorKind::NotFound(_) => "Not found",
        }
    }

    /// The offending value, when the error carries one.
    pub fn value(&self) -> Option<&BadValue> {
        match self {
            ErrorKind::Invalid(v)
            | ErrorKind::NotSupported(v)
            | ErrorKind::Duplicate(v)
            | ErrorKind::NotFound(v) => Some(v),
            _ => None,
        }
    }
}

/// One validation failure: where, what kind, and why.
///
/// Prints as `<path>: <kind>[: <value>][: <detail>]`, e.g.
/// `spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct FieldError {
    /// The field the error is about.
    pub path: FieldPath,
    /// The kind of error, with the offending value where there is one.
    pub kind: ErrorKind,
    /// A human-readable explanation (may be empty).
    pub detail: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind.as_str())?;
        match &self.kind {
            ErrorKind::TooMany(n) => write!(f, ": {n}")?,
            kind => {
                if let Some(v) = kind.value().filter(|v| **v != BadValue::Omit) {
                    write!(f, ": {v}")?;
                }
            }
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl FieldError {
    /// `Required value` (upstream: field.Required).
    pub fn required(path: &FieldPath, detail: &str) -> FieldError {
        FieldError { path: path.clone(), kind: ErrorKind::Required, detail: detail.to_owned() }
    }

    /// `Invalid value` (upstream: field.Invalid).
    pub fn invalid(path: &FieldPath, value: impl Into<BadValue>, detail: &str) -> FieldError {
        FieldError { path: path.clone(), kind: ErrorKind::Invalid(value.into()), detail: detail.to_owned() }
    }

    /// `Unsupported value` with the supported values listed
    /// (upstream: field.NotSupported).
    ///
    /// A string value is taken for a named Go string type, as nearly every
    /// upstream caller passes one (see [`BadValue::named`]); a plain Go
    /// string goes through [`FieldError::not_supported_string`].
    pub fn not_supported(path: &FieldPath, value: impl Into<BadValue>, supported: &[&str]) -> FieldError {
        let value = match value.into() {
            BadValue::Str(s) => BadValue::named(&s),
            other => other,
        };
        Self::not_supported_value(path, value, supported)
    }

    /// [`FieldError::not_supported`] for a value of Go's plain `string`
    /// type, printed with `%q`.
    pub fn not_supported_string(path: &FieldPath, value: &str, supported: &[&str]) -> FieldError {
        Self::not_supported_value(path, BadValue::Str(value.to_owned()), supported)
    }

    fn not_supported_value(path: &FieldPath, value: BadValue, supported: &[&str]) -> FieldError {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        FieldError { path: path.clone(), kind: ErrorKind::NotSupported(value), detail }
    }

    /// `Duplicate value` (upstream: field.Duplicate).
    pub fn duplicate(path: &FieldPath, value: impl Into<BadValue>) -> FieldError {
        FieldError { path: path.clone(), kind: ErrorKind::Duplicate(value.into()), detail: String::new() }
    }

    /// `Forbidden` (upstream: field.Forbidden).
    pub fn forbidden(path: &FieldPath, detail: &str) -> FieldError {
        FieldError { path: path.clone(), kind: ErrorKind::Forbidden, detail: detail.to_owned() }
    }

    /// `Too long` (upstream: field.TooLong, whose text since Kubernetes
    /// 1.32 is `may not be more than N bytes`, as clusters print it;
    /// `TooLongMaxLength` now says the same).
    pub fn too_long(path: &FieldPath, max: usize) -> FieldError {
        let unit = if max == 1 { "byte" } else { "bytes" };
        FieldError {
            path: path.clone(),
            kind: ErrorKind::TooLong,
            detail: format!("may not be more than {max} {unit}"),
        }
    }

    /// `Too many` (upstream: field.TooMany).
    pub fn too_many(path: &FieldPath, actual: usize, max: usize) -> FieldError {
        FieldError {
            path: path.clone(),
            kind: ErrorKind::TooMany(actual),
            detail: format!("must have at most {max} items"),
        }
    }

    /// `Not found` (upstream: field.NotFound).
    pub fn not_found(path: &FieldPath, value: impl Into<BadValue>) -> FieldError {
        FieldError { path: path.clone(), kind: ErrorKind::NotFound(value.into()), detail: String::new() }
    }
}

/// Every error found in one object, in the order the checks ran.
///
/// Prints like upstream's aggregate: one error alone, several as
/// `[first, second]`, repeated messages once.
#[derive(Clone, Debug, Default, PartialEq, thiserror::Error)]
pub struct ValidationErrors {
    /// The errors.
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    /// True when no error was found.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The number of errors.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// The errors about exactly `path` (printed form).
    pub fn at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a FieldError> + 'a {
        self.errors.iter().filter(move |e| e.path.to_string() == path)
    }

    fn into_result(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::go_aggregate(self.errors.iter().map(ToString::to_string)))
    }
}

impl From<Vec<FieldError>> for ValidationErrors {
    fn from(errors: Vec<FieldError>) -> Self {
        ValidationErrors { errors }
    }
}

/// An error list under construction (upstream: field.ErrorList).
pub(crate) type Errors = Vec<FieldError>;

/// Options of a validation run.
#[derive(Clone, Debug)]
pub(crate) struct Ctx<'a> {
    pub(crate) gates: &'a FeatureGates,
    /// On an update: the old object's pod (template) already had an
    /// invalid pod-deletion-cost annotation, which may then stay (upstream:
    /// `GetValidationOptionsFromPodSpecAndMeta`).
    pub(crate) old_cost_invalid: bool,
    /// The spec is a static (mirror) pod's: resource claims are refused
    /// (upstream: validatePodResourceClaim with the pod's metadata).
    pub(crate) mirror_pod: bool,
    /// The pod's name when a pod (not a template) is validated: the
    /// claims of its ephemeral volumes are named after it (upstream: the
    /// `podMeta` ValidatePodSpec gets).
    pub(crate) pod_name: Option<&'a str>,
    /// On an update: what the old object's pod spec already used that the
    /// new one may keep (all false on a create).
    pub(crate) old: ratchet::OldSpec,
    /// On an update of a DaemonSet or Job: the old object's selector has an
    /// expression value that is not a valid label value (upstream: the
    /// strategies' `LabelSelectorHasInvalidLabelValue(old.Spec.Selector)`).
    pub(crate) old_selector_invalid_value: bool,
}

impl<'a> Ctx<'a> {
    /// A create's options.
    pub(crate) fn new(gates: &'a FeatureGates) -> Ctx<'a> {
        Ctx {
            gates,
            old_cost_invalid: false,
            mirror_pod: false,
            pod_name: None,
            old: ratchet::OldSpec::default(),
            old_selector_invalid_value: false,
        }
    }

    /// upstream: `AllowInvalidLabelValueInSelector` as the DaemonSet and Job
    /// strategies set it on an update, for the workload's own selector and
    /// its template's pod (anti-)affinity selectors alike: the old
    /// template's (anti-)affinity selectors or the old selector already
    /// held an invalid label value, so the stored object stays updatable.
    pub(crate) fn allow_invalid_workload_selector_values(&self) -> bool {
        self.old.invalid_affinity_selector || self.old_selector_invalid_value
    }

    /// The name of the pod validated, when it is a pod with a name (the
    /// claims of its ephemeral volumes are named after it).
    pub(crate) fn named_pod(&self) -> Option<&'a str> {
        self.pod_name.filter(|n| !n.is_empty())
    }

    /// upstream: `PodValidationOptions.AllowInvalidPodDeletionCost`, set
    /// when the PodDeletionCost gate is off or the old object's cost was
    /// already invalid.
    pub(crate) fn allow_invalid_deletion_cost(&self) -> bool {
        !self.gates.pod_deletion_cost || self.old_cost_invalid
    }

    /// upstream: `PodValidationOptions.AllowEnvFilesValidation`: EnvFiles
    /// on, or the old object already used a `fileKeyRef`. Otherwise the API
    /// server has dropped every `fileKeyRef` before validation.
    pub(crate) fn allow_env_files(&self) -> bool {
        self.gates.env_files || self.old.file_key_ref
    }

    /// upstream: `PodValidationOptions.AllowContainerRestartPolicyRules`:
    /// ContainerRestartRules on, or the old object already used a rule.
    /// Otherwise the API server has dropped them before validation.
    pub(crate) fn allow_container_restart_rules(&self) -> bool {
        self.gates.container_restart_rules || self.old.container_restart_rules
    }

    /// upstream: `PodValidationOptions.AllowRelaxedEnvironmentVariableValidation`:
    /// RelaxedEnvironmentVariableValidation on, or the new spec keeps a
    /// relaxed-only name the old one had.
    pub(crate) fn allow_relaxed_env_names(&self) -> bool {
        self.gates.relaxed_environment_variable_validation || self.old.relaxed_env_name
    }

    /// upstream: `PodValidationOptions.AllowPodLifecycleSleepActionZeroValue`:
    /// PodLifecycleSleepActionAllowZero on, or the old spec had a
    /// zero-second sleep.
    pub(crate) fn allow_sleep_zero(&self) -> bool {
        self.gates.pod_lifecycle_sleep_action_allow_zero || self.old.sleep_zero
    }

    /// upstream: `PodValidationOptions.AllowTaintTolerationComparisonOperators`:
    /// TaintTolerationComparisonOperators on, or the old spec had an `Lt` /
    /// `Gt` toleration.
    pub(crate) fn allow_toleration_comparison_operators(&self) -> bool {
        self.gates.taint_toleration_comparison_operators || self.old.toleration_comparison
    }

    /// The negation of upstream's
    /// `PodValidationOptions.AllowOnlyRecursiveSELinuxChangePolicy`:
    /// SELinuxMount on, or the old spec already set a policy.
    pub(crate) fn allow_se_linux_mount_option(&self) -> bool {
        self.gates.se_linux_mount || self.old.se_linux_change_policy
    }

    /// upstream: `PodValidationOptions.AllowUserNamespacesHostNetworkSupport`:
    /// UserNamespacesHostNetworkSupport on, or the old spec already had the
    /// host network with `hostUsers: false`.
    pub(crate) fn allow_user_namespaces_host_network(&self) -> bool {
        self.gates.user_namespaces_host_network_support || self.old.user_namespace_host_network
    }
}

/// Validates one object of any kind with upstream's default feature gates.
/// Kinds without validation rules in this crate (Node,
/// PersistentVolumeClaim) get metadata checks only; a ControllerRevision
/// gets its metadata, `data` and `revision` checked (not yet the check that
/// its data is a JSON object, nor its update rules).
pub fn validate(object: &Object) -> Result<(), ValidationErrors> {
    validate_with_gates(object, &FeatureGates::default())
}

/// [`validate`] with explicit feature gates.
pub fn validate_with_gates(object: &Object, gates: &FeatureGates) -> Result<(), ValidationErrors> {
    ValidationErrors::from(errors_with(object, &Ctx::new(gates))).into_result()
}

/// A ControllerRevision on create: its metadata (a DNS subdomain name),
/// `data` present (absent and `null` alike are Go's nil) and `revision` not
/// negative (upstream: apps validation.go ValidateControllerRevisionCreate).
fn controller_revision(revision: &crate::api::ControllerRevision) -> Errors {
    let mut errs = meta::object_meta(&revision.metadata, meta::NameRule::Subdomain);
    if revision.data.as_ref().is_none_or(serde_json::Value::is_null) {
        errs.push(FieldError::required(&FieldPath::new("data"), "data is mandatory"));
    }
    meta::non_negative(revision.revision, &FieldPath::new("revision"), &mut errs);
    errs
}

/// The errors of [`validate_with_gates`] under `ctx`.
pub(crate) fn errors_with(object: &Object, ctx: &Ctx<'_>) -> Errors {
    let ctx = ctx.clone();
    match object {
        Object::Pod(o) => pod::pod(o, &ctx),
        Object::PodTemplate(o) => pod::pod_template(o, &ctx),
        Object::ReplicationController(o) => apps::replication_controller(o, &ctx),
        Object::ReplicaSet(o) => apps::replica_set(o, &ctx),
        Object::Deployment(o) => apps::deployment(o, &ctx),
        Object::StatefulSet(o) => apps::stateful_set(o, &ctx),
        Object::DaemonSet(o) => apps::daemon_set(o, &ctx),
        Object::Job(o) => batch::job(o, &ctx),
        Object::CronJob(o) => batch::cron_job(o, &ctx, true),
        Object::PodPreset(o) => preset::pod_preset(o, &ctx),
        Object::ControllerRevision(o) => controller_revision(o),
        other => meta::object_meta(other.metadata(), meta::NameRule::Subdomain),
    }
}
