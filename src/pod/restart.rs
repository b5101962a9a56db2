//! Whether a container restarts: its own `restartPolicy` and
//! `restartPolicyRules` (`ContainerRestartRules`), else the pod's policy.
//!
//! upstream: pkg/api/v1/pod/util.go ContainerShouldRestart,
//! findMatchingContainerRestartRule; pkg/kubelet/kuberuntime/
//! kuberuntime_manager.go computePodActions and
//! kuberuntime_container.go computeInitContainerActions (a failure of a
//! container that may still be running asks only the policies).

use serde_json::Value;

use crate::api::{Container, ContainerRestartPolicy, RestartPolicy};

/// Whether a container that exited with `exit_code` restarts (upstream:
/// `ContainerShouldRestart`): with its own policy, the first of its rules
/// that matches the exit code decides when its action is `Restart`, then
/// its own policy; without one, the pod's policy (rules count only beside a
/// container policy).
///
/// ```
/// use kube_workloads::api::{Container, RestartPolicy};
/// use kube_workloads::pod::restart::container_should_restart;
/// let c: Container = serde_json::from_value(serde_json::json!({
///     "name": "c", "restartPolicy": "Never",
///     "restartPolicyRules": [{"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}]
/// })).unwrap();
/// assert!(container_should_restart(&c, &RestartPolicy::Never, 42));
/// assert!(!container_should_restart(&c, &RestartPolicy::Always, 1));
/// ```
pub fn container_should_restart(c: &Container, pod_policy: &RestartPolicy, exit_code: i32) -> bool {
    should_restart(
        c.restart_policy.as_ref(),
        c.restart_policy_rules.as_deref().unwrap_or(&[]),
        pod_policy,
        exit_code,
    )
}

/// [`container_should_restart`] over a container's policy and rules.
pub(crate) fn should_restart(
    own: Option<&ContainerRestartPolicy>,
    rules: &[Value],
    pod_policy: &RestartPolicy,
    exit_code: i32,
) -> bool {
    if let Some(own) = own {
        if first_matching_rule_restarts(rules, exit_code) {
            return true;
        }
        match own {
            ContainerRestartPolicy::Always => return true,
            ContainerRestartPolicy::OnFailure => return exit_code != 0,
            ContainerRestartPolicy::Never => return false,
            // An unknown policy (validation rejects it) falls back to the
            // pod's, as upstream's switch does.
            _ => {}
        }
    }
    match pod_policy {
        RestartPolicy::Never => false,
        RestartPolicy::OnFailure => exit_code != 0,
        _ => true,
    }
}

/// Whether a container restarts after a failure it may not have exited
/// from yet (a failed probe or PostStart hook, an init container in an
/// unknown state):
/// its own policy when set, else the pod's, and never its rules.
pub(crate) fn restarts_on_failure(own: Option<&ContainerRestartPolicy>, pod_policy: &RestartPolicy) -> bool {
    match own {
        Some(own) => *own != ContainerRestartPolicy::Never,
        None => *pod_policy != RestartPolicy::Never,
    }
}

/// upstream: findMatchingContainerRestartRule: the first rule whose exit
/// codes match (`In`: listed, `NotIn`: not listed; a rule without exit
/// codes or with another operator never matches); true when its action is
/// `Restart`.
fn first_matching_rule_restarts(rules: &[Value], exit_code: i32) -> bool {
    for rule in rules {
        let Some(codes) = rule.get("exitCodes").filter(|v| !v.is_null()) else { continue };
        let listed = codes
            .get("values")
            .and_then(Value::as_array)
            .is_some_and(|vs| vs.iter().any(|v| v.as_i64() == Some(i64::from(exit_code))));
        let matches = match codes.get("operator").and_then(Value::as_str) {
            Some("In") => listed,
            Some("NotIn") => !listed,
            _ => continue,
        };
        if matches {
            return rule.get("action").and_then(Value::as_str) == Some("Restart");
        }
    }
    false
}
