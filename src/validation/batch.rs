//! Job and CronJob.
//!
//! upstream: pkg/apis/batch/validation/validation.go — ValidateJob,
//! validateGeneratedSelector, ValidateJobSpec, validateJobSpec,
//! validatePodFailurePolicy, validatePodFailurePolicyRule,
//! validatePodFailurePolicyRuleOnExitCodes,
//! validatePodFailurePolicyRuleOnPodConditions, validatePodReplacementPolicy,
//! validateSuccessPolicy, validateSuccessPolicyRule, validateIndexesFormat,
//! ValidateCronJobCreate, validateCronJobSpec, validateConcurrencyPolicy,
//! validateScheduleFormat, validateTimeZone, ValidateJobTemplateSpec;
//! core ValidateHasLabel; apimachinery IsDomainPrefixedPath; the schedule
//! grammar of robfig/cron v3 parser.go (ParseStandard, getRange,
//! parseDescriptor).
//!
//! Deviations:
//! - A Job without `metadata.uid` and without `manualSelector: true` has not
//!   been through the server's create hook (selector generation) yet: the
//!   generated-selector checks, `spec.selector: Required` and the template
//!   match are skipped. Run [`crate::defaults::generate_job_selector`] with a
//!   uid to get upstream's behaviour.
//! - `spec.timeZone` is looked up in chrono-tz's copy of the IANA database
//!   (upstream: the API server's `time.LoadLocation`), which may be newer or
//!   older than the server's; a `TZ=` / `CRON_TZ=` location inside
//!   `schedule` is checked for format only.
//! - A success policy on an Indexed Job without `completions` skips the
//!   checks that need `completions` (upstream dereferences nil); the missing
//!   `completions` is already reported as `Required`.

use std::collections::HashSet;

use crate::api::{
    CompletionMode, ConcurrencyPolicy, ConditionStatus, CronJob, Job, JobSpec, JobTemplateSpec, ObjectMeta,
    PodFailurePolicyAction, PodFailurePolicyOnExitCodesOperator, PodReplacementPolicy, PodTemplateSpec,
    RestartPolicy,
};

use super::meta::{self, NameRule};
use super::pod;
use super::strings;
use super::{BadValue, Ctx, Errors, FieldError, FieldPath};

const MAX_PARALLELISM_INDEXED: i32 = 100_000;
const MAX_FAILED_INDEXES_INDEXED: i32 = 100_000;
const MAX_COMPLETIONS_WITH_BACKOFF_PER_INDEX: i32 = 100_000;
const MAX_PARALLELISM_WITH_BACKOFF_PER_INDEX: i32 = 10_000;
const MAX_FAILED_INDEXES_WITH_BACKOFF_PER_INDEX: i32 = 10_000;
const MAX_POD_FAILURE_POLICY_RULES: usize = 20;
const MAX_ON_EXIT_CODES_VALUES: usize = 255;
const MAX_ON_POD_CONDITIONS: usize = 20;
const MAX_SUCCESS_POLICY_RULES: usize = 20;
const MAX_SUCCEEDED_INDEXES_LEN: usize = 64 * 1024;
const MAX_MANAGED_BY_LEN: usize = 63;

const LEGACY_CONTROLLER_UID: &str = "controller-uid";
const LEGACY_JOB_NAME: &str = "job-name";
const CONTROLLER_UID: &str = "batch.kubernetes.io/controller-uid";
const JOB_NAME: &str = "batch.kubernetes.io/job-name";

fn opt_non_negative(v: Option<i64>, path: &FieldPath, errs: &mut Errors) {
    if let Some(v) = v {
        meta::non_negative(v, path, errs);
    }
}

/// upstream: ValidateJob.
pub(crate) fn job(job: &Job, ctx: &Ctx<'_>) -> Errors {
    job_with(job, ctx, true)
}

/// [`job`] with upstream's `RequirePrefixedLabels`: on create always; on
/// update only when the old pod template carried both prefixed labels
/// (`batch.kubernetes.io/job-name`, `batch.kubernetes.io/controller-uid`),
/// so a Job created before they existed stays updatable.
pub(crate) fn job_with(job: &Job, ctx: &Ctx<'_>, prefixed_labels: bool) -> Errors {
    let mut errs = meta::object_meta(&job.metadata, NameRule::Subdomain);
    let default_spec = JobSpec::default();
    let spec = job.spec.as_ref().unwrap_or(&default_spec);
    let path = FieldPath::new("spec");
    let manual = spec.manual_selector == Some(true);
    let generated = !job.metadata.uid().is_empty();
    if !manual && generated {
        generated_selector(job, spec, prefixed_labels, &mut errs);
    }
    errs.extend(job_spec(spec, &path, ctx));
    if manual || generated {
        job_spec_selector(spec, &path, ctx, &mut errs);
    }
    // A name the API server will generate is not known yet (it is set
    // before validation there); an absent one is checked as it is.
    let name_pending = job.metadata.name().is_empty()
        && job.metadata.generate_name.as_deref().is_some_and(|g| !g.is_empty());
    if spec.completion_mode == Some(CompletionMode::Indexed)
        && let Some(c) = spec.completions.filter(|c| *c > 0)
        && !name_pending
    {
        let host = format!("{}-{}", job.metadata.name(), c.saturating_sub(1));
        if !strings::dns1123_label(&host).is_empty() {
            errs.push(FieldError::invalid(
                &FieldPath::new("metadata.name"),
                job.metadata.name(),
                &format!("will not able to create pod with invalid DNS label: {host}"),
            ));
        }
    }
    errs
}

/// upstream: ValidateJobSpec's selector part: required and valid, and it
/// must select the template's labels.
fn job_spec_selector(spec: &JobSpec, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    match &spec.selector {
        None => errs.push(FieldError::required(&path.child("selector"), "")),
        Some(s) => errs.extend(meta::label_selector_with(
            s,
            &path.child("selector"),
            ctx.allow_invalid_workload_selector_values(),
        )),
    }
    if let Some(conv) = meta::convert(spec.selector.as_ref()) {
        let labels = template_labels(&spec.template);
        let ok = match conv {
            meta::Converted::Everything => true,
            meta::Converted::Nothing => false,
            meta::Converted::Some => spec.selector.as_ref().is_some_and(|s| meta::matches(s, &labels)),
        };
        if !ok {
            // A template without labels shows Go's nil map: `null`.
            errs.push(FieldError::invalid(
                &path.child("template.metadata.labels"),
                super::apps::template_labels_value(&spec.template),
                "`selector` does not match template `labels`",
            ));
        }
    }
}

/// upstream: ValidateJobSpec, as ValidateJobSpecUpdate runs it again on
/// the new spec (the selector part only where [`job_with`] checks it).
pub(crate) fn job_spec_again(job: &Job, ctx: &Ctx<'_>) -> Errors {
    let default_spec = JobSpec::default();
    let spec = job.spec.as_ref().unwrap_or(&default_spec);
    let path = FieldPath::new("spec");
    let mut errs = job_spec(spec, &path, ctx);
    if spec.manual_selector == Some(true) || !job.metadata.uid().is_empty() {
        job_spec_selector(spec, &path, ctx, &mut errs);
    }
    errs
}

/// Validates a Job on create with default gates.
pub fn validate_job(j: &Job) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(job(j, &Ctx::new(&gates))).into_result()
}

fn template_labels(t: &PodTemplateSpec) -> crate::api::StringMap {
    t.metadata.as_ref().and_then(|m| m.labels.clone()).unwrap_or_default()
}

/// upstream: validateGeneratedSelector: nothing without a selector (its
/// absence is reported once, by the spec check); the legacy labels, and the
/// prefixed ones when `prefixed_labels`, must be on the template and
/// selected.
fn generated_selector(job: &Job, spec: &JobSpec, prefixed_labels: bool, errs: &mut Errors) {
    let Some(sel) = &spec.selector else { return };
    let uid = job.metadata.uid();
    let name = job.metadata.name();
    let default_meta = ObjectMeta::default();
    let tmeta = spec.template.metadata.as_ref().unwrap_or(&default_meta);
    let lpath = FieldPath::new("spec.template.metadata.labels");
    let all =
        [(LEGACY_CONTROLLER_UID, uid), (LEGACY_JOB_NAME, name), (CONTROLLER_UID, uid), (JOB_NAME, name)];
    let labels = if prefixed_labels { &all[..] } else { all.get(..2).unwrap_or(&[]) };
    for &(key, expected) in labels {
        // upstream: core ValidateHasLabel
        match tmeta.label(key) {
            None => errs.push(FieldError::required(&lpath.key(key), &format!("must be '{expected}'"))),
            Some(v) if v != expected => errs.push(FieldError::invalid(
                &lpath.key(key),
                BadValue::json(tmeta.labels()),
                &format!("must be '{expected}'"),
            )),
            Some(_) => {}
        }
    }
    if let Some(meta::Converted::Some | meta::Converted::Nothing) = meta::convert(Some(sel)) {
        let expected: crate::api::StringMap =
            labels.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        if !meta::matches(sel, &expected) {
            errs.push(FieldError::invalid(
                &FieldPath::new("spec.selector"),
                BadValue::json(sel),
                "`selector` not auto-generated",
            ));
        }
    }
}

/// upstream: validateJobSpec (everything but the selector).
fn job_spec(spec: &JobSpec, path: &FieldPath, ctx: &Ctx<'_>) -> Errors {
    let mut errs = Vec::new();
    let indexed = spec.completion_mode == Some(CompletionMode::Indexed);
    opt_non_negative(spec.parallelism.map(i64::from), &path.child("parallelism"), &mut errs);
    opt_non_negative(spec.completions.map(i64::from), &path.child("completions"), &mut errs);
    opt_non_negative(spec.active_deadline_seconds, &path.child("activeDeadlineSeconds"), &mut errs);
    opt_non_negative(spec.backoff_limit.map(i64::from), &path.child("backoffLimit"), &mut errs);
    opt_non_negative(
        spec.ttl_seconds_after_finished.map(i64::from),
        &path.child("ttlSecondsAfterFinished"),
        &mut errs,
    );
    if let Some(b) = spec.backoff_limit_per_index {
        meta::non_negative(i64::from(b), &path.child("backoffLimitPerIndex"), &mut errs);
    }
    if let Some(m) = spec.max_failed_indexes {
        meta::non_negative(i64::from(m), &path.child("maxFailedIndexes"), &mut errs);
        if spec.backoff_limit_per_index.is_none() {
            errs.push(FieldError::required(
                &path.child("backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
            ));
        }
    }
    if let Some(managed_by) = &spec.managed_by {
        let p = path.child("managedBy");
        domain_prefixed_path(managed_by, &p, &mut errs);
        if managed_by.len() > MAX_MANAGED_BY_LEN {
            errs.push(FieldError::too_long(&p, MAX_MANAGED_BY_LEN));
        }
    }
    if let Some(mode) = &spec.completion_mode {
        if !mode.is_known() {
            errs.push(FieldError::not_supported(
                &path.child("completionMode"),
                mode.as_str(),
                CompletionMode::KNOWN,
            ));
        }
        if indexed {
            indexed_limits(spec, path, &mut errs);
        }
    }
    // Only an unset or NonIndexed mode: an unknown one has its own error.
    let non_indexed = spec.completion_mode.as_ref().is_none_or(|m| *m == CompletionMode::NonIndexed);
    if non_indexed {
        if let Some(b) = spec.backoff_limit_per_index {
            errs.push(FieldError::invalid(
                &path.child("backoffLimitPerIndex"),
                b,
                "requires indexed completion mode",
            ));
        }
        if let Some(m) = spec.max_failed_indexes {
            errs.push(FieldError::invalid(
                &path.child("maxFailedIndexes"),
                m,
                "requires indexed completion mode",
            ));
        }
    }
    pod_failure_policy(spec, &path.child("podFailurePolicy"), &mut errs);
    if let Some(sp) = &spec.success_policy {
        if !indexed {
            errs.push(FieldError::invalid(
                &path.child("successPolicy"),
                BadValue::json(sp),
                "requires indexed completion mode",
            ));
        } else {
            success_policy(spec, sp, &path.child("successPolicy"), &mut errs);
        }
    }
    if let Some(rp) = &spec.pod_replacement_policy {
        let p = path.child("podReplacementPolicy");
        if spec.pod_failure_policy.is_some() {
            if *rp != PodReplacementPolicy::Failed {
                errs.push(FieldError::not_supported(&p, rp.as_str(), &["Failed"]));
            }
        } else if !rp.is_known() {
            errs.push(FieldError::not_supported(&p, rp.as_str(), &["Failed", "TerminatingOrFailed"]));
        }
    }
    let tpath = path.child("template");
    errs.extend(pod::template_spec(&spec.template, &tpath, ctx));
    let rp = spec.template.spec.as_ref().and_then(|s| s.restart_policy.as_ref());
    let rpath = tpath.child("spec.restartPolicy");
    // upstream: validateJobSpec. A missing policy counts as Always (the
    // defaulting would make it so).
    match rp.filter(|p| **p != RestartPolicy::Always && !p.as_str().is_empty()) {
        None => {
            errs.push(FieldError::required(&rpath, "valid values: \"OnFailure\", \"Never\""));
        }
        Some(RestartPolicy::OnFailure) | Some(RestartPolicy::Never) => {
            if spec.pod_failure_policy.is_some() && rp != Some(&RestartPolicy::Never) {
                errs.push(FieldError::invalid(
                    &rpath,
                    rp.map_or("", RestartPolicy::as_str),
                    "only \"Never\" is supported when podFailurePolicy is specified",
                ));
            }
        }
        Some(other) => errs.push(FieldError::not_supported(&rpath, other.as_str(), &["OnFailure", "Never"])),
    }
    errs
}

fn indexed_limits(spec: &JobSpec, path: &FieldPath, errs: &mut Errors) {
    if spec.completions.is_none() {
        errs.push(FieldError::required(&path.child("completions"), "when completion mode is Indexed"));
    }
    if let Some(p) = spec.parallelism.filter(|p| *p > MAX_PARALLELISM_INDEXED) {
        errs.push(FieldError::invalid(
            &path.child("parallelism"),
            p,
            &format!(
                "must be less than or equal to {MAX_PARALLELISM_INDEXED} when completion mode is Indexed"
            ),
        ));
    }
    if let (Some(c), Some(m)) = (spec.completions, spec.max_failed_indexes)
        && m > c
    {
        errs.push(FieldError::invalid(
            &path.child("maxFailedIndexes"),
            m,
            "must be less than or equal to completions",
        ));
    }
    if let Some(m) = spec.max_failed_indexes.filter(|m| *m > MAX_FAILED_INDEXES_INDEXED) {
        errs.push(FieldError::invalid(
            &path.child("maxFailedIndexes"),
            m,
            &format!("must be less than or equal to {MAX_FAILED_INDEXES_INDEXED}"),
        ));
    }
    if spec.completions.is_some_and(|c| c > MAX_COMPLETIONS_WITH_BACKOFF_PER_INDEX)
        && spec.backoff_limit_per_index.is_some()
    {
        let suffix = format!(
            "when completions are above {MAX_COMPLETIONS_WITH_BACKOFF_PER_INDEX} and used with backoff limit per index"
        );
        if spec.max_failed_indexes.is_none() {
            errs.push(FieldError::required(
                &path.child("maxFailedIndexes"),
                &format!(
                    "must be specified when completions is above {MAX_COMPLETIONS_WITH_BACKOFF_PER_INDEX}"
                ),
            ));
        }
        if let Some(p) = spec.parallelism.filter(|p| *p > MAX_PARALLELISM_WITH_BACKOFF_PER_INDEX) {
            errs.push(FieldError::invalid(
                &path.child("parallelism"),
                p,
                &format!("must be less than or equal to {MAX_PARALLELISM_WITH_BACKOFF_PER_INDEX} {suffix}"),
            ));
        }
        if let Some(m) = spec.max_failed_indexes.filter(|m| *m > MAX_FAILED_INDEXES_WITH_BACKOFF_PER_INDEX) {
            errs.push(FieldError::invalid(
                &path.child("maxFailedIndexes"),
                m,
                &format!(
                    "must be less than or equal to {MAX_FAILED_INDEXES_WITH_BACKOFF_PER_INDEX} {suffix}"
                ),
            ));
        }
    }
}

/// upstream: apimachinery IsDomainPrefixedPath.
fn domain_prefixed_path(value: &str, path: &FieldPath, errs: &mut Errors) {
    if value.is_empty() {
        errs.push(FieldError::required(path, ""));
        return;
    }
    let Some((host, rest)) = value.split_once('/').filter(|(h, r)| !h.is_empty() && !r.is_empty()) else {
        errs.push(FieldError::invalid(
            path,
            value,
            "must be a domain-prefixed path (such as \"acme.io/foo\")",
        ));
        return;
    };
    for msg in strings::dns1123_subdomain(host) {
        errs.push(FieldError::invalid(path, host, &msg));
    }
    let ok = rest.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-._~%!$&'()*+,;=:".contains(&b));
    if !ok {
        errs.push(FieldError::invalid(
            path,
            rest,
            &strings::regex_error("Invalid path", "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+", &[]),
        ));
    }
}

/// upstream: validatePodFailurePolicy and its rule helpers.
fn pod_failure_policy(spec: &JobSpec, path: &FieldPath, errs: &mut Errors) {
    let Some(policy) = &spec.pod_failure_policy else { return };
    let rules_path = path.child("rules");
    if policy.rules.len() > MAX_POD_FAILURE_POLICY_RULES {
        errs.push(FieldError::too_many(&rules_path, policy.rules.len(), MAX_POD_FAILURE_POLICY_RULES));
    }
    let mut names: HashSet<&str> = HashSet::new();
    if let Some(s) = &spec.template.spec {
        names.extend(s.containers.iter().map(|c| c.name.as_str()));
        names.extend(s.init_containers().iter().map(|c| c.name.as_str()));
    }
    for (i, rule) in policy.rules.iter().enumerate() {
        let rp = rules_path.index(i);
        let ap = rp.child("action");
        match &rule.action {
            PodFailurePolicyAction::Other(a) if a.is_empty() => errs.push(FieldError::required(
                &ap,
                "valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]",
            )),
            PodFailurePolicyAction::FailIndex if spec.backoff_limit_per_index.is_none() => {
                errs.push(FieldError::invalid(
                    &ap,
                    "FailIndex",
                    "requires the backoffLimitPerIndex to be set",
                ));
            }
            PodFailurePolicyAction::Other(a) => {
                errs.push(FieldError::not_supported(&ap, a, &["Count", "FailIndex", "FailJob", "Ignore"]));
            }
            _ => {}
        }
        if let Some(req) = &rule.on_exit_codes {
            let ep = rp.child("onExitCodes");
            match &req.operator {
                PodFailurePolicyOnExitCodesOperator::Other(o) if o.is_empty() => {
                    errs.push(FieldError::required(
                        &ep.child("operator"),
                        "valid values: [\"In\" \"NotIn\"]",
                    ));
                }
                PodFailurePolicyOnExitCodesOperator::Other(o) => {
                    errs.push(FieldError::not_supported(&ep.child("operator"), o, &["In", "NotIn"]));
                }
                _ => {}
            }
            if let Some(c) = &req.container_name
                && !names.contains(c.as_str())
            {
                errs.push(FieldError::invalid(
                    &ep.child("containerName"),
                    c,
                    "must be one of the container or initContainer names in the pod template",
                ));
            }
            let vp = ep.child("values");
            if req.values.is_empty() {
                errs.push(FieldError::invalid(
                    &vp,
                    BadValue::json(&req.values),
                    "at least one value is required",
                ));
            } else if req.values.len() > MAX_ON_EXIT_CODES_VALUES {
                errs.push(FieldError::too_many(&vp, req.values.len(), MAX_ON_EXIT_CODES_VALUES));
            }
            // Each value is checked however many there are.
            {
                let mut seen = HashSet::new();
                let mut ordered = true;
                let mut previous: Option<i32> = None;
                for (j, v) in req.values.iter().enumerate() {
                    if req.operator == PodFailurePolicyOnExitCodesOperator::In && *v == 0 {
                        errs.push(FieldError::invalid(&vp.index(j), *v, "must not be 0 for the In operator"));
                    }
                    if !seen.insert(*v) {
                        errs.push(FieldError::duplicate(&vp.index(j), *v));
                    }
                    if previous.is_some_and(|p| p > *v) {
                        ordered = false;
                    }
                    previous = Some(*v);
                }
                if !ordered {
                    errs.push(FieldError::invalid(&vp, BadValue::json(&req.values), "must be ordered"));
                }
            }
        }
        let conditions = rule.on_pod_conditions.as_deref().unwrap_or(&[]);
        if !conditions.is_empty() {
            let cp = rp.child("onPodConditions");
            if conditions.len() > MAX_ON_POD_CONDITIONS {
                errs.push(FieldError::too_many(&cp, conditions.len(), MAX_ON_POD_CONDITIONS));
            }
            for (j, pattern) in conditions.iter().enumerate() {
                let pp = cp.index(j);
                for msg in strings::qualified_name(&pattern.type_) {
                    errs.push(FieldError::invalid(&pp.child("type"), &pattern.type_, &msg));
                }
                match &pattern.status {
                    None => errs.push(FieldError::required(
                        &pp.child("status"),
                        "valid values: [\"False\" \"True\" \"Unknown\"]",
                    )),
                    Some(ConditionStatus::Other(s)) if s.is_empty() => errs.push(FieldError::required(
                        &pp.child("status"),
                        "valid values: [\"False\" \"True\" \"Unknown\"]",
                    )),
                    Some(ConditionStatus::Other(s)) => {
                        errs.push(FieldError::not_supported(
                            &pp.child("status"),
                            s,
                            &["False", "True", "Unknown"],
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        if rule.on_exit_codes.is_some() && !conditions.is_empty() {
            errs.push(FieldError::invalid(
                &rp,
                BadValue::Omit,
                "specifying both OnExitCodes and OnPodConditions is not supported",
            ));
        }
        if rule.on_exit_codes.is_none() && conditions.is_empty() {
            errs.push(FieldError::invalid(
                &rp,
                BadValue::Omit,
                "specifying one of OnExitCodes and OnPodConditions is required",
            ));
        }
    }
}

/// upstream: validateSuccessPolicy, validateSuccessPolicyRule.
fn success_policy(spec: &JobSpec, sp: &crate::api::SuccessPolicy, path: &FieldPath, errs: &mut Errors) {
    let rules_path = path.child("rules");
    if sp.rules.is_empty() {
        errs.push(FieldError::required(
            &rules_path,
            "at least one rules must be specified when the successPolicy is specified",
        ));
    }
    if sp.rules.len() > MAX_SUCCESS_POLICY_RULES {
        errs.push(FieldError::too_many(&rules_path, sp.rules.len(), MAX_SUCCESS_POLICY_RULES));
    }
    for (i, rule) in sp.rules.iter().enumerate() {
        let rp = rules_path.index(i);
        if rule.succeeded_count.is_none() && rule.succeeded_indexes.is_none() {
            errs.push(FieldError::required(
                &rp,
                "at least one of succeededCount or succeededIndexes must be specified",
            ));
        }
        let mut total: i64 = 0;
        if let Some(indexes) = &rule.succeeded_indexes {
            let ip = rp.child("succeededIndexes");
            if indexes.len() > MAX_SUCCEEDED_INDEXES_LEN {
                errs.push(FieldError::too_long(&ip, MAX_SUCCEEDED_INDEXES_LEN));
            }
            if let Some(completions) = spec.completions {
                match indexes_format(indexes, completions) {
                    Ok(t) => total = t,
                    Err(e) => errs.push(FieldError::invalid(
                        &ip,
                        indexes,
                        &format!("error parsing succeededIndexes: {e}"),
                    )),
                }
            }
        }
        if let Some(count) = rule.succeeded_count {
            let cp = rp.child("succeededCount");
            meta::non_negative(i64::from(count), &cp, errs);
            if let Some(completions) = spec.completions {
                if count > completions {
                    errs.push(FieldError::invalid(
                        &cp,
                        count,
                        &format!("must be less than or equal to {completions} (the number of specified completions)"),
                    ));
                }
                if rule.succeeded_indexes.is_some() && i64::from(count) > total {
                    errs.push(FieldError::invalid(
                        &cp,
                        count,
                        &format!(
                            "must be less than or equal to {total} (the number of indexes in the specified succeededIndexes field)"
                        ),
                    ));
                }
            }
        }
    }
}

/// Go's `strconv.Atoi`: an optional sign and decimal digits, in 64 bits.
fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// One `a` or `a-b` interval of an index list, or upstream's error for it
/// (parseIndexInterval): at most two parts, each an integer below
/// `completions`, the first below the second.
fn parse_index_interval(interval: &str, completions: i64) -> Result<(i64, i64), String> {
    let limits: Vec<&str> = interval.split('-').collect();
    if limits.len() > 2 {
        return Err(format!(
            "the fragment {} violates the requirement that an index interval can have at most two parts separated by '-'",
            super::go_quote(interval)
        ));
    }
    let index = |part: &str| -> Result<i64, String> {
        let value = go_atoi(part).ok_or_else(|| {
            format!("cannot convert string to integer for index: {}", super::go_quote(part))
        })?;
        if value >= completions {
            return Err(format!("too large index: {}", super::go_quote(part)));
        }
        Ok(value)
    };
    let x = index(limits.first().copied().unwrap_or(""))?;
    let Some(second) = limits.get(1) else { return Ok((x, x)) };
    let y = index(second)?;
    if x >= y {
        return Err(format!("non-increasing order, previous: {x}, current: {y}"));
    }
    Ok((x, y))
}

/// One `a` or `a-b` interval of an index list, `None` when upstream's
/// parseIndexInterval rejects it.
pub(crate) fn index_interval(interval: &str, completions: i32) -> Option<(i64, i64)> {
    parse_index_interval(interval, i64::from(completions)).ok()
}

/// upstream: validateIndexesFormat: each interval parsed whole, then
/// compared with the one before. Returns the number of indexes listed.
pub(crate) fn indexes_format(indexes: &str, completions: i32) -> Result<i64, String> {
    if indexes.is_empty() {
        return Ok(0);
    }
    let mut last: Option<i64> = None;
    let mut total: i64 = 0;
    for interval in indexes.split(',') {
        let (x, y) = parse_index_interval(interval, i64::from(completions))?;
        if let Some(l) = last.filter(|l| *l >= x) {
            return Err(format!("non-increasing order, previous: {l}, current: {x}"));
        }
        total = total.saturating_add(y.saturating_sub(x)).saturating_add(1);
        last = Some(y);
    }
    Ok(total)
}

/// upstream: ValidateCronJobCreate (`create`) / ValidateCronJobUpdate.
pub(crate) fn cron_job(cj: &CronJob, ctx: &Ctx<'_>, create: bool) -> Errors {
    cron_job_with_old(cj, None, ctx, create)
}

pub(crate) fn cron_job_with_old(cj: &CronJob, old: Option<&CronJob>, ctx: &Ctx<'_>, create: bool) -> Errors {
    // On an update, ValidateCronJobUpdate checks the metadata update: the
    // new labels, annotations, owner references and finalizers, not the
    // name rules a create applies (a generateName a create would refuse
    // passes).
    let mut errs = if old.is_some() {
        meta::object_meta_content(&cj.metadata, &FieldPath::new("metadata"))
    } else {
        meta::object_meta(&cj.metadata, NameRule::Subdomain)
    };
    let default_spec = Default::default();
    let spec = cj.spec.as_ref().unwrap_or(&default_spec);
    let old_spec = old.and_then(|o| o.spec.as_ref());
    let path = FieldPath::new("spec");
    if spec.schedule.is_empty() {
        errs.push(FieldError::required(&path.child("schedule"), ""));
    } else {
        let allow_tz = old_spec.is_some_and(|o| o.schedule.contains("TZ"));
        let sp = path.child("schedule");
        if let Err(e) = parse_standard(&spec.schedule) {
            errs.push(FieldError::invalid(&sp, &spec.schedule, &e));
        }
        if allow_tz && spec.schedule.contains("TZ") && spec.time_zone.is_some() {
            errs.push(FieldError::invalid(
                &sp,
                &spec.schedule,
                "cannot use both timeZone field and TZ or CRON_TZ in schedule",
            ));
        } else if !allow_tz && spec.schedule.contains("TZ") {
            errs.push(FieldError::invalid(
                &sp,
                &spec.schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ));
        }
    }
    opt_non_negative(spec.starting_deadline_seconds, &path.child("startingDeadlineSeconds"), &mut errs);
    if old_spec.is_none_or(|o| o.time_zone != spec.time_zone)
        && let Some(tz) = &spec.time_zone
    {
        time_zone(tz, &path.child("timeZone"), &mut errs);
    }
    super::pod::required_enum(
        spec.concurrency_policy.as_ref(),
        ConcurrencyPolicy::KNOWN,
        ConcurrencyPolicy::as_str,
        ConcurrencyPolicy::is_known,
        &path.child("concurrencyPolicy"),
        &mut errs,
    );
    errs.extend(job_template(&spec.job_template, &path.child("jobTemplate"), ctx));
    opt_non_negative(
        spec.successful_jobs_history_limit.map(i64::from),
        &path.child("successfulJobsHistoryLimit"),
        &mut errs,
    );
    opt_non_negative(
        spec.failed_jobs_history_limit.map(i64::from),
        &path.child("failedJobsHistoryLimit"),
        &mut errs,
    );
    if create && cj.metadata.name().len() > 52 {
        errs.push(FieldError::invalid(
            &FieldPath::new("metadata.name"),
            cj.metadata.name(),
            "must be no more than 52 characters",
        ));
    }
    errs
}

/// Validates a CronJob on create with default gates.
pub fn validate_cron_job(cj: &CronJob) -> Result<(), super::ValidationErrors> {
    let gates = crate::FeatureGates::default();
    super::ValidationErrors::from(cron_job(cj, &Ctx::new(&gates), true)).into_result()
}

/// upstream: ValidateJobTemplateSpec.
fn job_template(t: &JobTemplateSpec, path: &FieldPath, ctx: &Ctx<'_>) -> Errors {
    let default_spec = JobSpec::default();
    let spec = t.spec.as_ref().unwrap_or(&default_spec);
    let sp = path.child("spec");
    let mut errs = job_spec(spec, &sp, ctx);
    if let Some(sel) = &spec.selector {
        errs.push(FieldError::invalid(
            &sp.child("selector"),
            BadValue::json(sel),
            "`selector` will be auto-generated",
        ));
    }
    if spec.manual_selector == Some(true) {
        errs.push(FieldError::not_supported(&sp.child("manualSelector"), true, &["nil", "false"]));
    }
    errs
}

/// upstream: validateTimeZone (the format, then a chrono-tz lookup; see the
/// module docs).
fn time_zone(tz: &str, path: &FieldPath, errs: &mut Errors) {
    if tz.is_empty() {
        errs.push(FieldError::invalid(path, tz, "timeZone must be nil or non-empty string"));
        return;
    }
    if !time_zone_format_ok(tz) {
        errs.push(FieldError::invalid(path, tz, &format!("unknown time zone {tz}")));
        return;
    }
    if tz.eq_ignore_ascii_case("Local") {
        errs.push(FieldError::invalid(
            path,
            tz,
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        ));
    }
    // upstream: time.LoadLocation, which knows "UTC" and "Local" itself,
    // refuses a name holding ".." (here only inside a part: the checks
    // above caught a ".." part and a leading slash), and looks every other
    // name up in the IANA database (chrono-tz here).
    if tz != "Local" && tz != "UTC" {
        if crate::schedule::go_invalid_location_name(tz) {
            errs.push(FieldError::invalid(path, tz, "time: invalid location name"));
        } else if crate::schedule::tz_database_zone(tz).is_none() {
            errs.push(FieldError::invalid(path, tz, &format!("unknown time zone {tz}")));
        }
    }
}

fn time_zone_format_ok(tz: &str) -> bool {
    tz.split('/').all(|part| {
        part != "."
            && part != ".."
            && !part.starts_with('-')
            && (1..=14).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'+'))
    })
}

/// robfig/cron v3 `ParseStandard`, returning its error text. Never panics.
pub(crate) fn parse_standard(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty spec string".to_owned());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        // upstream's parser slices up to the first space and panics when there
        // is none; since 1.35 validation recovers the panic
        // (ParseCronScheduleWithPanicRecovery) and reports it.
        let Some(space) = spec.find(' ') else {
            return Err("invalid schedule format: runtime error: slice bounds out of range [:-1]".to_owned());
        };
        let eq = spec.find('=').unwrap_or(0);
        let loc = spec.get(eq.saturating_add(1)..space).unwrap_or("");
        // Go's time.LoadLocation("") is UTC.
        if !loc.is_empty() && loc != "UTC" && loc != "Local" {
            // time.LoadLocation refuses a name with "..", or starting with a
            // slash, before any lookup.
            if crate::schedule::go_invalid_location_name(loc) {
                return Err(format!("provided bad location {loc}: time: invalid location name"));
            }
            if !time_zone_format_ok(loc) {
                return Err(format!("provided bad location {loc}: unknown time zone {loc}"));
            }
        }
        spec = spec.get(space..).unwrap_or("").trim();
    }
    // The rest is robfig's Parse after the prefix, with its error texts.
    crate::schedule::check_body(spec).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // upstream: robfig/cron v3 parser_test.go TestParseScheduleErrors / TestStandardSpecSchedule
    #[test]
    fn schedules() {
        for ok in [
            "* * * * *",
            "*/5 * * * *",
            "0 0 1 jan *",
            "0 0 * * MON-FRI",
            "5 4 * * sun",
            "0 0 1,15 * *",
            "@hourly",
            "@every 1h30m",
            "1-5/2 * * * *",
            "? * * * *",
        ] {
            assert_eq!(parse_standard(ok), Ok(()), "{ok}");
        }
        for bad in [
            "* * * *",
            "* * * * * *",
            "60 * * * *",
            "* 24 * * *",
            "* * 0 * *",
            "* * * 13 *",
            "* * * * 7",
            "*/0 * * * *",
            "5-1 * * * *",
            "a * * * *",
            "@often",
            "@every x",
            "1-2-3 * * * *",
            "1/2/3 * * * *",
            "-1 * * * *",
            "CRON_TZ=UTC",
        ] {
            assert!(parse_standard(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_standard("* * * *"),
            Err("expected exactly 5 fields, found 4: [* * * *]".to_owned())
        );
    }

    // upstream: batch validation_test.go TestValidateJob (succeededIndexes cases)
    #[test]
    fn indexes() {
        assert_eq!(indexes_format("0,2-4,6", 10), Ok(5));
        assert_eq!(indexes_format("", 10), Ok(0));
        assert!(indexes_format("1-1", 10).is_err());
        assert!(indexes_format("3,2", 10).is_err());
        assert!(indexes_format("10", 10).is_err());
        assert!(indexes_format("1-2-3", 10).is_err());
        assert!(indexes_format("a", 10).is_err());
        assert!(indexes_format("0-2,2", 10).is_err());
    }
}
