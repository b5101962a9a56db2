//! Container-level `restartPolicy` and `restartPolicyRules`
//! (`ContainerRestartRules`, alpha in 1.34, beta and on in 1.35, as in this
//! crate's defaults, see [`crate::FeatureGates::container_restart_rules`]).
//!
//! upstream: pkg/apis/core/validation/validation.go
//! validateContainerRestartPolicy, validateInitContainerRestartPolicy;
//! pkg/api/pod/util.go dropContainerRestartRules.
//!
//! With the gate off the API server drops the fields before validation
//! (a regular or ephemeral container's policy and rules, an init
//! container's rules and any policy but `Always`), so validation does not
//! look at them: an init container with another policy is a plain init
//! container. With it on, the rules below apply.

use serde_json::Value;

use crate::api::{Container, ContainerRestartPolicy};

use super::{Errors, FieldError, FieldPath};

/// The most rules a container may list, and exit codes a rule may list.
const MAX_RULES: usize = 20;
const MAX_EXIT_CODES: usize = 255;

const REQUIRED_WITH_RULES: &str = "must specify restartPolicy when restart rules are used";

/// upstream: validateContainerRestartPolicy, for a regular container (and a
/// non-sidecar init container): a known policy, then the rules; rules
/// without a policy are `Required` but still checked.
pub(crate) fn container(c: &Container, path: &FieldPath, errs: &mut Errors) {
    let rules = c.restart_policy_rules.as_deref().unwrap_or(&[]);
    match &c.restart_policy {
        None if rules.is_empty() => return,
        None => errs.push(FieldError::required(&path.child("restartPolicy"), REQUIRED_WITH_RULES)),
        Some(policy) if !policy.is_known() => errs.push(FieldError::not_supported(
            &path.child("restartPolicy"),
            policy.as_str(),
            &["Always", "Never", "OnFailure"],
        )),
        Some(_) => {}
    }
    check_rules(rules, &path.child("restartPolicyRules"), errs);
}

/// upstream: validateInitContainerRestartPolicy with the gate on: rules
/// without a policy are `Required` (and not checked); a sidecar may not
/// have rules; any other policy is checked as a regular container's.
pub(crate) fn init_container(c: &Container, path: &FieldPath, errs: &mut Errors) {
    let has_rules = c.restart_policy_rules.as_deref().is_some_and(|r| !r.is_empty());
    match &c.restart_policy {
        None => {
            if has_rules {
                errs.push(FieldError::required(&path.child("restartPolicy"), REQUIRED_WITH_RULES));
            }
        }
        Some(ContainerRestartPolicy::Always) => {
            if has_rules {
                errs.push(FieldError::forbidden(
                    &path.child("restartPolicyRules"),
                    "restartPolicyRules are not allowed for init containers with restart policy Always",
                ));
            }
        }
        Some(_) => container(c, path, errs),
    }
}

/// The rules: at most [`MAX_RULES`], each with the `Restart` action and an
/// exit-code requirement (`In` / `NotIn`, at most [`MAX_EXIT_CODES`] codes).
/// 1.35 reports the two limits with field.TooLong ("may not be more than N
/// bytes", though they count items); 1.36 changed them to TooMany.
fn check_rules(rules: &[Value], path: &FieldPath, errs: &mut Errors) {
    if rules.len() > MAX_RULES {
        errs.push(FieldError::too_long(path, MAX_RULES));
    }
    for (i, rule) in rules.iter().enumerate() {
        let p = path.index(i);
        let action = rule.get("action").and_then(Value::as_str).unwrap_or("");
        if action != "Restart" {
            errs.push(FieldError::not_supported(&p.child("action"), action, &["Restart"]));
        }
        let Some(codes) = rule.get("exitCodes").filter(|v| !v.is_null()) else {
            errs.push(FieldError::required(&p.child("exitCodes"), "must be specified"));
            continue;
        };
        let operator = codes.get("operator").and_then(Value::as_str).unwrap_or("");
        if operator != "In" && operator != "NotIn" {
            errs.push(FieldError::not_supported(
                &p.child("exitCodes").child("operator"),
                operator,
                &["In", "NotIn"],
            ));
        }
        let count = codes.get("values").and_then(Value::as_array).map_or(0, Vec::len);
        if count > MAX_EXIT_CODES {
            errs.push(FieldError::too_long(&p.child("exitCodes").child("values"), MAX_EXIT_CODES));
        }
    }
}
