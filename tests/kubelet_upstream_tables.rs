//! Upstream kubelet test tables, ported case by case.
//!
//! Each test names the upstream test and the cases it mirrors. Inputs are
//! restated from upstream's helpers (kubelet_pods_test.go runningState,
//! succeededState, failedState (exit -1), stoppedState (exit 0),
//! waitingState, waitingStateWithLastTermination (last exit 0),
//! waitingStateWithNonZeroTermination (last exit -1), startedState;
//! generate_test.go getReadyStatus, getNotReadyStatus, getStartedStatus,
//! getNotStartedStatus). Cases that drive [`PodLifecycle`] restate a
//! computePodActions or prober input as the events that lead to it.
//!
//! upstream sources: pkg/kubelet/kubelet_pods_test.go, pkg/kubelet/status/
//! generate_test.go, pkg/kubelet/prober/worker_test.go and
//! prober_manager_test.go, pkg/kubelet/kuberuntime/kuberuntime_manager_test.go
//! and kuberuntime_container_test.go, pkg/kubelet/container/helpers_test.go,
//! pkg/kubelet/images/image_manager_test.go.

mod kubelet_support;

use kube_workloads::FeatureGates;
use kube_workloads::api::{Condition, ContainerStatus, PodPhase, PodSpec, PodStatus, Time};
use kube_workloads::kubelet::{BackoffConfig, Event, KubeletConfig, ProbeKind};
use kube_workloads::pod::{self, get_phase, get_phase_with_gates};
use kubelet_support::Drive;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------
// getPhase tables (kubelet_pods_test.go)
// ---------------------------------------------------------------------------

fn base(name: &str) -> Value {
    json!({"name": name, "ready": false, "restartCount": 0, "image": ""})
}

fn with(mut v: Value, key: &str, value: Value) -> Value {
    v[key] = value;
    v
}

/// upstream: runningState (running, `started` unset).
fn running(n: &str) -> Value {
    with(base(n), "state", json!({"running": {}}))
}

/// upstream: startedState (running, `started: true`).
fn started(n: &str) -> Value {
    with(running(n), "started", json!(true))
}

/// upstream: stoppedState and succeededState (terminated, exit 0).
fn succeeded(n: &str) -> Value {
    with(base(n), "state", json!({"terminated": {"exitCode": 0}}))
}

/// upstream: failedState (terminated, exit -1).
fn failed(n: &str) -> Value {
    with(base(n), "state", json!({"terminated": {"exitCode": -1}}))
}

/// upstream: waitingState (waiting, empty reason).
fn waiting(n: &str) -> Value {
    with(base(n), "state", json!({"waiting": {}}))
}

/// upstream: waitingStateWithLastTermination (last exit 0) and
/// waitingStateWithNonZeroTermination (last exit -1).
fn waiting_after(n: &str, exit: i32) -> Value {
    with(waiting(n), "lastState", json!({"terminated": {"exitCode": exit}}))
}

fn spec_of(v: Value) -> PodSpec {
    serde_json::from_value(v).unwrap()
}

fn status_of(init: &[Value], regular: &[Value]) -> PodStatus {
    serde_json::from_value(json!({"initContainerStatuses": init, "containerStatuses": regular})).unwrap()
}

/// (case, init statuses, regular statuses, podIsTerminal, podHasInitialized, phase)
type PhaseRow = (&'static str, Vec<Value>, Vec<Value>, bool, bool, PodPhase);

fn check_phases(spec: &PodSpec, rows: Vec<PhaseRow>) {
    for (name, init, regular, terminal, initialized, want) in rows {
        let status = status_of(&init, &regular);
        assert_eq!(get_phase(spec, &status, terminal, initialized), want, "{name}");
    }
}

fn two_regular(policy: &str) -> Value {
    json!({"restartPolicy": policy, "containers": [{"name": "containerA"}, {"name": "containerB"}]})
}

// upstream: kubelet_pods_test.go TestPodPhaseWithRestartAlways (every case)
#[test]
fn pod_phase_with_restart_always() {
    use PodPhase::*;
    let spec = spec_of(two_regular("Always"));
    let (a, b) = ("containerA", "containerB");
    check_phases(
        &spec,
        vec![
            ("waiting", vec![], vec![], false, false, Pending),
            ("all running", vec![], vec![running(a), running(b)], false, false, Running),
            (
                "all stopped with restart always",
                vec![],
                vec![succeeded(a), succeeded(b)],
                false,
                false,
                Running,
            ),
            (
                "all succeeded with restart always, but the pod is terminal",
                vec![],
                vec![succeeded(a), succeeded(b)],
                true,
                false,
                Succeeded,
            ),
            (
                "all stopped with restart always, but the pod is terminal",
                vec![],
                vec![succeeded(a), failed(b)],
                true,
                false,
                Failed,
            ),
            (
                "mixed state #1 with restart always",
                vec![],
                vec![running(a), succeeded(b)],
                false,
                false,
                Running,
            ),
            ("mixed state #2 with restart always", vec![], vec![running(a)], false, false, Pending),
            (
                "mixed state #3 with restart always",
                vec![],
                vec![running(a), waiting(b)],
                false,
                false,
                Pending,
            ),
            (
                "backoff crashloop container with restart always",
                vec![],
                vec![running(a), waiting_after(b, 0)],
                false,
                false,
                Running,
            ),
        ],
    );
}

// upstream: kubelet_pods_test.go TestPodPhaseWithRestartNever (every case)
#[test]
fn pod_phase_with_restart_never() {
    use PodPhase::*;
    let spec = spec_of(two_regular("Never"));
    let (a, b) = ("containerA", "containerB");
    check_phases(
        &spec,
        vec![
            ("waiting", vec![], vec![], false, false, Pending),
            ("all running with restart never", vec![], vec![running(a), running(b)], false, false, Running),
            (
                "all succeeded with restart never",
                vec![],
                vec![succeeded(a), succeeded(b)],
                false,
                false,
                Succeeded,
            ),
            ("all failed with restart never", vec![], vec![failed(a), failed(b)], false, false, Failed),
            (
                "mixed state #1 with restart never",
                vec![],
                vec![running(a), succeeded(b)],
                false,
                false,
                Running,
            ),
            ("mixed state #2 with restart never", vec![], vec![running(a)], false, false, Pending),
            (
                "mixed state #3 with restart never",
                vec![],
                vec![running(a), waiting(b)],
                false,
                false,
                Pending,
            ),
        ],
    );
}

// upstream: kubelet_pods_test.go TestPodPhaseWithRestartOnFailure (every case)
#[test]
fn pod_phase_with_restart_on_failure() {
    use PodPhase::*;
    let spec = spec_of(two_regular("OnFailure"));
    let (a, b) = ("containerA", "containerB");
    check_phases(
        &spec,
        vec![
            ("waiting", vec![], vec![], false, false, Pending),
            (
                "all running with restart onfailure",
                vec![],
                vec![running(a), running(b)],
                false,
                false,
                Running,
            ),
            (
                "all succeeded with restart onfailure",
                vec![],
                vec![succeeded(a), succeeded(b)],
                false,
                false,
                Succeeded,
            ),
            ("all failed with restart never", vec![], vec![failed(a), failed(b)], false, false, Running),
            (
                "mixed state #1 with restart onfailure",
                vec![],
                vec![running(a), succeeded(b)],
                false,
                false,
                Running,
            ),
            ("mixed state #2 with restart onfailure", vec![], vec![running(a)], false, false, Pending),
            (
                "mixed state #3 with restart onfailure",
                vec![],
                vec![running(a), waiting(b)],
                false,
                false,
                Pending,
            ),
            (
                "backoff crashloop container with restart onfailure",
                vec![],
                vec![running(a), waiting_after(b, 0)],
                false,
                false,
                Running,
            ),
        ],
    );
}

fn one_init(policy: &str, sidecar: bool) -> PodSpec {
    let x = if sidecar {
        json!({"name": "containerX", "restartPolicy": "Always"})
    } else {
        json!({"name": "containerX"})
    };
    spec_of(json!({"restartPolicy": policy, "initContainers": [x],
        "containers": [{"name": "containerA"}, {"name": "containerB"}]}))
}

// upstream: kubelet_pods_test.go TestPodPhaseWithRestartAlwaysInitContainers
// and TestPodPhaseWithRestartNeverInitContainers (every case of both)
#[test]
fn pod_phase_with_init_containers() {
    use PodPhase::*;
    let (x, a, b) = ("containerX", "containerA", "containerB");
    for (policy, failed_init) in [("Always", Pending), ("Never", Failed)] {
        let spec = one_init(policy, false);
        check_phases(
            &spec,
            vec![
                ("empty, waiting", vec![], vec![], false, false, Pending),
                ("init container running", vec![running(x)], vec![], false, false, Pending),
                (
                    "init container terminated non-zero",
                    vec![failed(x)],
                    vec![],
                    false,
                    false,
                    failed_init.clone(),
                ),
                (
                    "init container waiting, terminated zero",
                    vec![waiting_after(x, 0)],
                    vec![],
                    false,
                    false,
                    Pending,
                ),
                (
                    "init container waiting, terminated non-zero",
                    vec![waiting_after(x, -1)],
                    vec![],
                    false,
                    false,
                    failed_init,
                ),
                ("init container waiting, not terminated", vec![waiting(x)], vec![], false, false, Pending),
                (
                    "init container succeeded",
                    vec![succeeded(x)],
                    vec![running(a), running(b)],
                    false,
                    false,
                    Running,
                ),
            ],
        );
    }
}

// upstream: kubelet_pods_test.go TestPodPhaseWithRestartAlwaysRestartableInitContainers (every case)
#[test]
fn pod_phase_with_restart_always_restartable_init_containers() {
    use PodPhase::*;
    let spec = one_init("Always", true);
    let (x, a, b) = ("containerX", "containerA", "containerB");
    check_phases(
        &spec,
        vec![
            ("empty, waiting", vec![], vec![], false, false, Pending),
            ("restartable init container running", vec![running(x)], vec![], false, false, Pending),
            ("restartable init container stopped", vec![succeeded(x)], vec![], false, false, Pending),
            (
                "restartable init container waiting, terminated zero",
                vec![waiting_after(x, 0)],
                vec![],
                false,
                false,
                Pending,
            ),
            (
                "restartable init container waiting, terminated non-zero",
                vec![waiting_after(x, -1)],
                vec![],
                false,
                false,
                Pending,
            ),
            (
                "restartable init container waiting, not terminated",
                vec![waiting(x)],
                vec![],
                false,
                false,
                Pending,
            ),
            (
                "restartable init container started, 1/2 regular container running",
                vec![started(x)],
                vec![running(a)],
                false,
                true,
                Pending,
            ),
            (
                "restartable init container started, all regular containers running",
                vec![started(x)],
                vec![running(a), running(b)],
                false,
                true,
                Running,
            ),
            (
                "restartable init container running, all regular containers running",
                vec![running(x)],
                vec![running(a), running(b)],
                false,
                true,
                Running,
            ),
            (
                "restartable init container stopped, all regular containers running",
                vec![succeeded(x)],
                vec![running(a), running(b)],
                false,
                true,
                Running,
            ),
            (
                "backoff crashloop restartable init container, all regular containers running",
                vec![waiting_after(x, 0)],
                vec![running(a), running(b)],
                false,
                true,
                Running,
            ),
            (
                "all regular containers succeeded and restartable init container failed with restart always, but the pod is terminal",
                vec![failed(x)],
                vec![succeeded(a), succeeded(b)],
                true,
                true,
                Succeeded,
            ),
            (
                "all regular containers succeeded and restartable init container succeeded with restart always, but the pod is terminal",
                vec![succeeded(x)],
                vec![succeeded(a), succeeded(b)],
                true,
                true,
                Succeeded,
            ),
            (
                "re-initializing the pod after the sandbox is recreated",
                vec![running(x)],
                vec![running(a), running(b)],
                false,
                false,
                Pending,
            ),
        ],
    );
}

// upstream: kubelet_pods_test.go TestPodPhaseWithRestartNeverRestartableInitContainers (every case)
#[test]
fn pod_phase_with_restart_never_restartable_init_containers() {
    use PodPhase::*;
    let spec = one_init("Never", true);
    let (x, a, b) = ("containerX", "containerA", "containerB");
    check_phases(
        &spec,
        vec![
            ("empty, waiting", vec![], vec![], false, false, Pending),
            ("restartable init container running", vec![running(x)], vec![], false, false, Pending),
            ("restartable init container stopped", vec![succeeded(x)], vec![], false, false, Pending),
            (
                "restartable init container waiting, terminated zero",
                vec![waiting_after(x, 0)],
                vec![],
                false,
                false,
                Pending,
            ),
            (
                "restartable init container waiting, terminated non-zero",
                vec![waiting_after(x, -1)],
                vec![],
                false,
                false,
                Pending,
            ),
            (
                "restartable init container waiting, not terminated",
                vec![waiting(x)],
                vec![],
                false,
                false,
                Pending,
            ),
            (
                "restartable init container started, one main container running",
                vec![started(x)],
                vec![running(a)],
                false,
                true,
                Pending,
            ),
            (
                "restartable init container started, main containers succeeded",
                vec![started(x)],
                vec![succeeded(a), succeeded(b)],
                false,
                true,
                Running,
            ),
            (
                "restartable init container re-running, main containers succeeded",
                vec![running(x)],
                vec![succeeded(a), succeeded(b)],
                false,
                true,
                Running,
            ),
            (
                "all containers succeeded",
                vec![succeeded(x)],
                vec![succeeded(a), succeeded(b)],
                false,
                true,
                Succeeded,
            ),
            (
                "restartable init container terminated non-zero, main containers succeeded",
                vec![failed(x)],
                vec![succeeded(a), succeeded(b)],
                false,
                true,
                Succeeded,
            ),
            (
                "backoff crashloop restartable init container, main containers succeeded",
                vec![waiting_after(x, 0)],
                vec![succeeded(a), succeeded(b)],
                false,
                true,
                Succeeded,
            ),
            (
                "backoff crashloop with non-zero restartable init container, main containers succeeded",
                vec![waiting_after(x, -1)],
                vec![succeeded(a), succeeded(b)],
                false,
                true,
                Succeeded,
            ),
        ],
    );
}

// upstream: kubelet_pods_test.go TestPodPhaseWithRestartAlwaysAndPodHasRun (every case)
#[test]
fn pod_phase_with_restart_always_and_pod_has_run() {
    use PodPhase::*;
    let spec = spec_of(json!({"restartPolicy": "Always",
        "initContainers": [{"name": "containerX"}, {"name": "containerY", "restartPolicy": "Always"}],
        "containers": [{"name": "containerA"}]}));
    let (x, y, a) = ("containerX", "containerY", "containerA");
    check_phases(
        &spec,
        vec![
            (
                "regular init containers, restartable init container and regular container are all running",
                vec![running(x), running(y)],
                vec![running(a)],
                false,
                false,
                Pending,
            ),
            (
                "regular containers is stopped, restartable init container and regular int container are both running",
                vec![running(x), running(y)],
                vec![succeeded(a)],
                false,
                false,
                Pending,
            ),
            (
                "re-created sandbox: regular init container is succeeded, restartable init container is running, old regular containers is stopped",
                vec![succeeded(x), running(y)],
                vec![succeeded(a)],
                false,
                false,
                Pending,
            ),
            (
                "regular init container is succeeded, restartable init container is running, regular containers is stopped",
                vec![succeeded(x), running(y)],
                vec![succeeded(a)],
                false,
                true,
                Running,
            ),
            (
                "regular init container is succeeded, restartable init container and regular containers are both running",
                vec![succeeded(x), running(y)],
                vec![running(a)],
                false,
                true,
                Running,
            ),
        ],
    );
}

// upstream: kubelet_pods_test.go TestPodPhaseWithContainerRestartPolicy and
// TestPodPhaseWithContainerRestartPolicyInitContainers (every case; the
// ContainerRestartRules gate on, podHasInitialized true, all statuses in
// one list as upstream passes them)
#[test]
fn pod_phase_with_container_restart_policy() {
    use PodPhase::*;
    let mut gates = FeatureGates::default();
    gates.container_restart_rules = true;
    let cases: Vec<(&str, Value, Vec<Value>, PodPhase)> = vec![
        (
            "container with restart policy Never failed",
            json!({"restartPolicy": "Always", "containers": [{"name": "failed-container", "restartPolicy": "Never"}]}),
            vec![failed("failed-container")],
            Failed,
        ),
        (
            "container with restart policy OnFailure failed",
            json!({"restartPolicy": "Always", "containers": [{"name": "failed-container", "restartPolicy": "OnFailure"}]}),
            vec![failed("failed-container")],
            Running,
        ),
        (
            "container with restart policy Always failed",
            json!({"restartPolicy": "Always", "containers": [{"name": "failed-container", "restartPolicy": "Always"}]}),
            vec![failed("failed-container")],
            Running,
        ),
        (
            "At least one container with restartable container-level restart policy failed",
            json!({"restartPolicy": "Never", "containers": [
                {"name": "containerA", "restartPolicy": "Always"}, {"name": "containerB"}]}),
            vec![succeeded("containerA"), failed("containerB")],
            Running,
        ),
        (
            "All containers without restartable container-level restart policy failed",
            json!({"restartPolicy": "Always", "containers": [
                {"name": "containerA", "restartPolicy": "Never"},
                {"name": "containerB", "restartPolicy": "OnFailure"}]}),
            vec![failed("containerA"), succeeded("containerB")],
            Failed,
        ),
        (
            "All containers succeeded",
            json!({"restartPolicy": "Always", "containers": [
                {"name": "containerA", "restartPolicy": "Never"},
                {"name": "containerB", "restartPolicy": "OnFailure"}]}),
            vec![succeeded("containerA"), succeeded("containerB")],
            Succeeded,
        ),
        // TestPodPhaseWithContainerRestartPolicyInitContainers
        (
            "init container with restart policy Never failed",
            json!({"restartPolicy": "Always", "initContainers": [{"name": "failed-container", "restartPolicy": "Never"}],
                   "containers": [{"name": "container"}]}),
            vec![failed("failed-container")],
            Failed,
        ),
        (
            "init container with restart policy OnFailure failed",
            json!({"restartPolicy": "Never", "initContainers": [{"name": "failed-container", "restartPolicy": "OnFailure"}],
                   "containers": [{"name": "container"}]}),
            vec![failed("failed-container")],
            Pending,
        ),
        (
            "container with restart policy Always failed (init)",
            json!({"restartPolicy": "Never", "initContainers": [{"name": "failed-container", "restartPolicy": "Always"}],
                   "containers": [{"name": "container"}]}),
            vec![failed("failed-container")],
            Pending,
        ),
    ];
    for (name, spec, statuses, want) in cases {
        let spec = spec_of(spec);
        let status = status_of(&[], &statuses);
        assert_eq!(get_phase_with_gates(&spec, &status, false, true, &gates), want, "{name}");
    }
}

// ---------------------------------------------------------------------------
// Condition tables (status/generate_test.go)
// ---------------------------------------------------------------------------

/// upstream: getReadyStatus / getNotReadyStatus.
fn ready_status(n: &str, ready: bool) -> ContainerStatus {
    serde_json::from_value(with(base(n), "ready", json!(ready))).unwrap()
}

/// upstream: getStartedStatus / getNotStartedStatus.
fn started_status(n: &str, started: bool) -> ContainerStatus {
    serde_json::from_value(with(base(n), "started", json!(started))).unwrap()
}

fn cs(v: Value) -> ContainerStatus {
    serde_json::from_value(v).unwrap()
}

/// (type status reason message), `-` for an empty field.
fn brief(c: &Condition) -> String {
    format!(
        "{} {} {} {}",
        c.type_,
        c.status.as_str(),
        c.reason.as_deref().unwrap_or("-"),
        c.message.as_deref().unwrap_or("-")
    )
}

fn containers(names: &[&str]) -> Value {
    Value::Array(names.iter().map(|n| json!({"name": n})).collect())
}

fn sidecars_spec() -> Value {
    json!({"initContainers": [
        {"name": "restartable-init-1", "restartPolicy": "Always"},
        {"name": "restartable-init-2", "restartPolicy": "Always"}],
        "containers": [{"name": "regular-1"}]})
}

// upstream: generate_test.go TestGenerateContainersReadyCondition (every case, in order)
#[test]
fn generate_containers_ready_condition() {
    let r = |n: &str| ready_status(n, true);
    let nr = |n: &str| ready_status(n, false);
    let one_sidecar = json!({"initContainers": [{"name": "restartable-init-1", "restartPolicy": "Always"}],
        "containers": [{"name": "regular-1"}]});
    let cases: Vec<(Value, Option<Vec<ContainerStatus>>, PodPhase, &str)> = vec![
        (json!({}), None, PodPhase::Running, "ContainersReady False UnknownContainerStatuses -"),
        (json!({}), Some(vec![]), PodPhase::Running, "ContainersReady True - -"),
        (
            json!({"containers": containers(&["1234"])}),
            Some(vec![]),
            PodPhase::Running,
            "ContainersReady False ContainersNotReady containers with unknown status: [1234]",
        ),
        (
            json!({"containers": containers(&["1234", "5678"])}),
            Some(vec![r("1234"), r("5678")]),
            PodPhase::Running,
            "ContainersReady True - -",
        ),
        (
            json!({"containers": containers(&["1234", "5678"])}),
            Some(vec![r("1234")]),
            PodPhase::Running,
            "ContainersReady False ContainersNotReady containers with unknown status: [5678]",
        ),
        (
            json!({"containers": containers(&["1234", "5678"])}),
            Some(vec![r("1234"), nr("5678")]),
            PodPhase::Running,
            "ContainersReady False ContainersNotReady containers with unready status: [5678]",
        ),
        (
            json!({"containers": containers(&["1234"])}),
            Some(vec![nr("1234")]),
            PodPhase::Succeeded,
            "ContainersReady False PodCompleted -",
        ),
        (
            one_sidecar,
            Some(vec![r("regular-1")]),
            PodPhase::Running,
            "ContainersReady False ContainersNotReady containers with unknown status: [restartable-init-1]",
        ),
        (
            sidecars_spec(),
            Some(vec![r("restartable-init-1"), r("restartable-init-2"), r("regular-1")]),
            PodPhase::Running,
            "ContainersReady True - -",
        ),
        (
            sidecars_spec(),
            Some(vec![r("restartable-init-1"), r("regular-1")]),
            PodPhase::Running,
            "ContainersReady False ContainersNotReady containers with unknown status: [restartable-init-2]",
        ),
        (
            sidecars_spec(),
            Some(vec![r("restartable-init-1"), nr("restartable-init-2"), r("regular-1")]),
            PodPhase::Running,
            "ContainersReady False ContainersNotReady containers with unready status: [restartable-init-2]",
        ),
    ];
    for (i, (spec, statuses, phase, want)) in cases.into_iter().enumerate() {
        let spec = spec_of(spec);
        let got = pod::containers_ready_condition(&spec, statuses.as_deref(), &phase);
        assert_eq!(brief(&got), want, "case {i}");
    }
}

// upstream: generate_test.go TestGeneratePodReadyCondition (every case, in order)
#[test]
fn generate_pod_ready_condition() {
    let r = |n: &str| ready_status(n, true);
    let nr = |n: &str| ready_status(n, false);
    let cond =
        |t: &str, s: &str| -> Condition { serde_json::from_value(json!({"type": t, "status": s})).unwrap() };
    let gates = |names: &[&str]| -> Value {
        Value::Array(names.iter().map(|n| json!({"conditionType": n})).collect())
    };
    type ReadyCase = (Value, Vec<Condition>, Option<Vec<ContainerStatus>>, PodPhase, &'static str);
    let cases: Vec<ReadyCase> = vec![
        (json!({}), vec![], None, PodPhase::Running, "Ready False UnknownContainerStatuses -"),
        (json!({}), vec![], Some(vec![]), PodPhase::Running, "Ready True - -"),
        (
            json!({"containers": containers(&["1234"])}),
            vec![],
            Some(vec![]),
            PodPhase::Running,
            "Ready False ContainersNotReady containers with unknown status: [1234]",
        ),
        (
            json!({"containers": containers(&["1234", "5678"])}),
            vec![],
            Some(vec![r("1234"), r("5678")]),
            PodPhase::Running,
            "Ready True - -",
        ),
        (
            json!({"containers": containers(&["1234", "5678"])}),
            vec![],
            Some(vec![r("1234")]),
            PodPhase::Running,
            "Ready False ContainersNotReady containers with unknown status: [5678]",
        ),
        (
            json!({"containers": containers(&["1234", "5678"])}),
            vec![],
            Some(vec![r("1234"), nr("5678")]),
            PodPhase::Running,
            "Ready False ContainersNotReady containers with unready status: [5678]",
        ),
        (
            json!({"containers": containers(&["1234"])}),
            vec![],
            Some(vec![nr("1234")]),
            PodPhase::Succeeded,
            "Ready False PodCompleted -",
        ),
        (
            json!({"readinessGates": gates(&["gate1"])}),
            vec![],
            Some(vec![]),
            PodPhase::Running,
            "Ready False ReadinessGatesNotReady corresponding condition of pod readiness gate \"gate1\" does not exist.",
        ),
        (
            json!({"readinessGates": gates(&["gate1"])}),
            vec![cond("gate1", "False")],
            Some(vec![]),
            PodPhase::Running,
            "Ready False ReadinessGatesNotReady the status of pod readiness gate \"gate1\" is not \"True\", but False",
        ),
        (
            json!({"readinessGates": gates(&["gate1"])}),
            vec![cond("gate1", "True")],
            Some(vec![]),
            PodPhase::Running,
            "Ready True - -",
        ),
        (
            json!({"readinessGates": gates(&["gate1", "gate2"])}),
            vec![cond("gate1", "True")],
            Some(vec![]),
            PodPhase::Running,
            "Ready False ReadinessGatesNotReady corresponding condition of pod readiness gate \"gate2\" does not exist.",
        ),
        (
            json!({"readinessGates": gates(&["gate1", "gate2"])}),
            vec![cond("gate1", "True"), cond("gate2", "False")],
            Some(vec![]),
            PodPhase::Running,
            "Ready False ReadinessGatesNotReady the status of pod readiness gate \"gate2\" is not \"True\", but False",
        ),
        (
            json!({"readinessGates": gates(&["gate1", "gate2"])}),
            vec![cond("gate1", "True"), cond("gate2", "True")],
            Some(vec![]),
            PodPhase::Running,
            "Ready True - -",
        ),
        (
            json!({"containers": containers(&["1234"]), "readinessGates": gates(&["gate1"])}),
            vec![cond("gate1", "True")],
            Some(vec![nr("1234")]),
            PodPhase::Running,
            "Ready False ContainersNotReady containers with unready status: [1234]",
        ),
    ];
    for (i, (spec, conditions, statuses, phase, want)) in cases.into_iter().enumerate() {
        let spec = spec_of(spec);
        let got = pod::pod_ready_condition(&spec, &conditions, statuses.as_deref(), &phase);
        assert_eq!(brief(&got), want, "case {i}");
    }
}

// upstream: generate_test.go TestGeneratePodInitializedCondition (every
// case, in order; upstream compares type, status and reason only)
#[test]
fn generate_pod_initialized_condition() {
    let no_init = json!({});
    let one_init = json!({"initContainers": [{"name": "1234"}], "containers": [{"name": "regular"}]});
    let two_init =
        json!({"initContainers": [{"name": "1234"}, {"name": "5678"}], "containers": [{"name": "regular"}]});
    let one_sidecar = json!({"initContainers": [{"name": "1234", "restartPolicy": "Always"}],
        "containers": [{"name": "regular"}]});
    let r = |n: &str| ready_status(n, true);
    let nr = |n: &str| ready_status(n, false);
    type InitCase = (Value, Option<Vec<ContainerStatus>>, PodPhase, &'static str, Option<&'static str>);
    let cases: Vec<InitCase> = vec![
        (two_init.clone(), None, PodPhase::Running, "False", Some("UnknownContainerStatuses")),
        (no_init, Some(vec![]), PodPhase::Running, "True", None),
        (one_init.clone(), Some(vec![]), PodPhase::Running, "False", Some("ContainersNotInitialized")),
        (two_init.clone(), Some(vec![r("1234"), r("5678")]), PodPhase::Running, "True", None),
        (
            two_init.clone(),
            Some(vec![r("1234")]),
            PodPhase::Running,
            "False",
            Some("ContainersNotInitialized"),
        ),
        (
            two_init,
            Some(vec![r("1234"), nr("5678")]),
            PodPhase::Running,
            "False",
            Some("ContainersNotInitialized"),
        ),
        (one_init.clone(), Some(vec![r("1234")]), PodPhase::Succeeded, "True", Some("PodCompleted")),
        (
            one_sidecar.clone(),
            Some(vec![started_status("1234", false)]),
            PodPhase::Pending,
            "False",
            Some("ContainersNotInitialized"),
        ),
        (one_sidecar.clone(), Some(vec![started_status("1234", true)]), PodPhase::Running, "True", None),
        (
            one_sidecar,
            Some(vec![started_status("1234", false), cs(running("regular"))]),
            PodPhase::Running,
            "True",
            None,
        ),
        (
            one_init,
            Some(vec![cs(waiting("1234")), cs(succeeded("regular"))]),
            PodPhase::Running,
            "True",
            None,
        ),
    ];
    for (i, (spec, statuses, phase, status, reason)) in cases.into_iter().enumerate() {
        let spec = spec_of(spec);
        let got = pod::initialized_condition(&spec, statuses.as_deref(), &phase);
        assert_eq!(
            (got.type_.as_str(), got.status.as_str(), got.reason.as_deref()),
            ("Initialized", status, reason),
            "case {i}"
        );
    }
}

// ---------------------------------------------------------------------------
// Driving PodLifecycle
// ---------------------------------------------------------------------------

fn exec_probe(extra: Value) -> Value {
    let mut p = json!({"exec": {"command": ["check"]}, "periodSeconds": 10});
    for (k, v) in extra.as_object().unwrap() {
        p[k] = v.clone();
    }
    p
}

// ---------------------------------------------------------------------------
// Prober (worker_test.go, prober_manager_test.go)
// ---------------------------------------------------------------------------

// upstream: worker_test.go TestFailureThreshold (readiness, successThreshold
// 1, failureThreshold 3: three successes, two failures still Success, the
// third and following Failure; twice)
#[test]
fn readiness_failure_threshold() {
    let probe = exec_probe(json!({"successThreshold": 1, "failureThreshold": 3}));
    let mut d = Drive::new(json!({"containers": [{"name": "a", "readinessProbe": probe}]}));
    d.sandbox_with_ip("10.0.0.7").started(0, "a");
    let mut t = 0;
    let mut step = |d: &mut Drive, ok: bool, want_ready: bool, msg: &str| {
        d.tick(t);
        assert!(d.probed(ProbeKind::Readiness, "a", 0), "{msg} at {t}: {:?}", d.last);
        d.probe(t, "a", 0, ProbeKind::Readiness, ok);
        assert_eq!(d.ready("a"), want_ready, "{msg} at {t}");
        t += 10;
    };
    for i in 0..2 {
        for j in 0..3 {
            step(&mut d, true, true, &format!("{} success ({i})", j + 1));
        }
        for j in 0..2 {
            step(&mut d, false, true, &format!("{} failing ({i})", j + 1));
        }
        for j in 0..3 {
            step(&mut d, false, false, &format!("{} failure ({i})", j + 3));
        }
    }
}

// upstream: worker_test.go TestSuccessThreshold (readiness, successThreshold
// 3, failureThreshold 1: starting from Failure, two successes stay Failure,
// the third gives Success, one failure gives Failure; twice)
#[test]
fn readiness_success_threshold() {
    let probe = exec_probe(json!({"successThreshold": 3, "failureThreshold": 1}));
    let mut d = Drive::new(json!({"containers": [{"name": "a", "readinessProbe": probe}]}));
    d.sandbox_with_ip("10.0.0.7").started(0, "a");
    assert!(!d.ready("a"));
    let mut t = 0;
    let mut step = |d: &mut Drive, ok: bool, want_ready: bool, msg: &str| {
        d.tick(t);
        assert!(d.probed(ProbeKind::Readiness, "a", 0), "{msg} at {t}: {:?}", d.last);
        d.probe(t, "a", 0, ProbeKind::Readiness, ok);
        assert_eq!(d.ready("a"), want_ready, "{msg} at {t}");
        t += 10;
    };
    for i in 0..2 {
        for j in 0..2 {
            step(&mut d, true, false, &format!("{} success ({i})", j + 1));
        }
        for j in 0..3 {
            step(&mut d, true, true, &format!("{} success ({i})", j + 3));
        }
        step(&mut d, false, false, &format!("1 failure ({i})"));
    }
}

// upstream: worker_test.go TestInitialDelay (liveness, readiness, startup
// with initialDelaySeconds 10: during the delay liveness is Success (no
// kill), readiness Failure (not ready), startup Unknown (not started);
// after it a probe runs and gives Success)
#[test]
fn initial_delay() {
    for kind in [ProbeKind::Liveness, ProbeKind::Readiness, ProbeKind::Startup] {
        let field = match kind {
            ProbeKind::Liveness => "livenessProbe",
            ProbeKind::Readiness => "readinessProbe",
            ProbeKind::Startup => "startupProbe",
        };
        let mut c = json!({"name": "a"});
        c[field] = exec_probe(json!({"initialDelaySeconds": 10, "failureThreshold": 1}));
        let mut d = Drive::new(json!({"containers": [c]}));
        d.sandbox_with_ip("10.0.0.7").started(0, "a");
        d.tick(0).tick(5);
        assert!(!d.probed(kind, "a", 0), "{kind:?} probed during the delay");
        assert_eq!(d.pl.poll_timeout(), Some(Time::from_unix(10)), "{kind:?}");
        match kind {
            // Success by default: nothing is killed.
            ProbeKind::Liveness => assert!(d.last.is_empty() && d.ready("a")),
            ProbeKind::Readiness => assert!(!d.ready("a")),
            ProbeKind::Startup => assert!(!d.is_started("a") && !d.ready("a")),
        }
        d.tick(10);
        assert!(d.probed(kind, "a", 0), "{kind:?} after the delay: {:?}", d.last);
        d.probe(10, "a", 0, kind, true);
        assert!(d.last.is_empty(), "{kind:?}: {:?}", d.last);
        assert!(d.ready("a") && d.is_started("a"), "{kind:?}");
    }
}

// upstream: worker_test.go TestStartupProbeFailureThreshold (successThreshold
// 1, failureThreshold 3: two failures leave the result Unknown, the third
// sets Failure, then the worker is on hold) and TestResultRunOnStartupCheckFailure
#[test]
fn startup_probe_failure_threshold_and_hold() {
    let probe = exec_probe(json!({"successThreshold": 1, "failureThreshold": 3}));
    let mut d = Drive::new(json!({"containers": [{"name": "a", "startupProbe": probe}]}));
    d.sandbox_with_ip("10.0.0.7").started(0, "a");
    for (t, msg) in [(0, "1 failure"), (10, "2 failure")] {
        d.tick(t);
        assert!(d.probed(ProbeKind::Startup, "a", 0), "{msg}: {:?}", d.last);
        d.probe(t, "a", 0, ProbeKind::Startup, false);
        d.expect(&[]);
        assert!(!d.is_started("a"), "{msg}");
    }
    d.tick(20).probe(20, "a", 0, ProbeKind::Startup, false);
    d.expect(&["stop a#0 with 30s grace: Container a failed startup probe, will be restarted"]);
    // On hold: the stopping instance is not probed again.
    d.tick(30).tick(40);
    assert!(!d.probed(ProbeKind::Startup, "a", 0), "{:?}", d.last);
    // A new container (upstream: a new container ID) lifts the hold, and
    // gets failureThreshold attempts again.
    d.exited(45, "a", 143).expect(&["start a#1"]);
    d.started(45, "a").tick(45);
    assert!(d.probed(ProbeKind::Startup, "a", 1), "{:?}", d.last);
    d.probe(45, "a", 1, ProbeKind::Startup, false).tick(55).probe(55, "a", 1, ProbeKind::Startup, false);
    d.expect(&[]);
}

// upstream: worker_test.go TestStartupProbeSuccessThreshold and
// TestStartupProbeDisabledByStarted (failureThreshold 2: a failure leaves
// Unknown, a success sets Success and puts the worker on hold, so a later
// failure cannot change it)
#[test]
fn startup_probe_success_puts_it_on_hold() {
    let probe = exec_probe(json!({"successThreshold": 1, "failureThreshold": 2}));
    let mut d = Drive::new(json!({"containers": [{"name": "a", "startupProbe": probe}]}));
    d.sandbox_with_ip("10.0.0.7").started(0, "a").tick(0);
    d.probe(0, "a", 0, ProbeKind::Startup, false);
    assert!(!d.is_started("a"));
    d.tick(10);
    assert!(d.probed(ProbeKind::Startup, "a", 0));
    d.probe(10, "a", 0, ProbeKind::Startup, true);
    assert!(d.is_started("a") && d.ready("a"));
    for t in [20, 30, 40] {
        d.tick(t);
        assert!(!d.probed(ProbeKind::Startup, "a", 0), "t={t}: {:?}", d.last);
    }
    assert!(d.is_started("a"));
}

// upstream: worker_test.go TestOnHoldOnLivenessOrStartupCheckFailure
// (liveness and startup with failureThreshold 1: the first failure sets
// Failure and holds the worker; no probe while on hold; a new container
// lifts the hold and its probe succeeds. Liveness stays unheld after that
// success, startup is held again)
#[test]
fn on_hold_on_liveness_or_startup_check_failure() {
    for kind in [ProbeKind::Liveness, ProbeKind::Startup] {
        let field = if kind == ProbeKind::Liveness { "livenessProbe" } else { "startupProbe" };
        let mut c = json!({"name": "a"});
        c[field] = exec_probe(json!({"successThreshold": 1, "failureThreshold": 1}));
        let mut d = Drive::new(json!({"containers": [c]}));
        d.sandbox_with_ip("10.0.0.7").started(0, "a").tick(0);
        d.probe(0, "a", 0, kind, false);
        assert_eq!(d.last.len(), 1, "{kind:?}: {:?}", d.last);
        assert!(d.last[0].starts_with("stop a#0 with 30s grace"), "{kind:?}: {:?}", d.last);
        // "while on hold": no probe of the stopping instance.
        d.tick(10).tick(20);
        assert!(!d.probed(kind, "a", 0), "{kind:?}: {:?}", d.last);
        // "hold lifted": the new instance is probed, and succeeds.
        d.exited(25, "a", 143).expect(&["start a#1"]);
        d.started(25, "a").tick(25);
        assert!(d.probed(kind, "a", 1), "{kind:?}: {:?}", d.last);
        d.probe(25, "a", 1, kind, true).expect(&[]);
        d.tick(35);
        assert_eq!(d.probed(kind, "a", 1), kind == ProbeKind::Liveness, "{kind:?}: {:?}", d.last);
    }
}

// upstream: worker_test.go TestResultRunOnLivenessCheckFailure
// (failureThreshold 3: success, then two failures leave Success, the third
// sets Failure and resets the run, so the restarted container gets three
// attempts again)
#[test]
fn liveness_result_run_resets_on_failure() {
    let probe = exec_probe(json!({"successThreshold": 1, "failureThreshold": 3}));
    let mut d = Drive::new(json!({"containers": [{"name": "a", "livenessProbe": probe}]}));
    d.sandbox_with_ip("10.0.0.7").started(0, "a");
    d.tick(0).probe(0, "a", 0, ProbeKind::Liveness, true).expect(&[]);
    d.tick(10).probe(10, "a", 0, ProbeKind::Liveness, false).expect(&[]);
    d.tick(20).probe(20, "a", 0, ProbeKind::Liveness, false).expect(&[]);
    d.tick(30).probe(30, "a", 0, ProbeKind::Liveness, false);
    d.expect(&["stop a#0 with 30s grace: Container a failed liveness probe, will be restarted"]);
    d.exited(31, "a", 143).expect(&["start a#1"]);
    d.started(31, "a");
    d.tick(31).probe(31, "a", 1, ProbeKind::Liveness, false).expect(&[]);
    d.tick(41).probe(41, "a", 1, ProbeKind::Liveness, false).expect(&[]);
    d.tick(51).probe(51, "a", 1, ProbeKind::Liveness, false);
    assert_eq!(d.last.len(), 1, "{:?}", d.last);
    assert!(d.last[0].starts_with("stop a#1 "), "{:?}", d.last);
}

// upstream: worker_test.go TestLivenessProbeDisabledByStarted (a liveness
// failure before the container has started counts as Success; once started,
// it is a Failure)
#[test]
fn liveness_probe_disabled_until_started() {
    let mut d = Drive::new(json!({"containers": [{"name": "a",
        "startupProbe": exec_probe(json!({"failureThreshold": 30})),
        "livenessProbe": exec_probe(json!({"successThreshold": 1, "failureThreshold": 1}))}]}));
    d.sandbox_with_ip("10.0.0.7").started(0, "a").tick(0);
    assert!(!d.probed(ProbeKind::Liveness, "a", 0), "{:?}", d.last);
    d.probe(0, "a", 0, ProbeKind::Startup, false);
    d.tick(10);
    assert!(!d.probed(ProbeKind::Liveness, "a", 0), "not started: {:?}", d.last);
    d.probe(10, "a", 0, ProbeKind::Startup, true);
    let mut t = 10;
    while !d.probed(ProbeKind::Liveness, "a", 0) {
        t += 1;
        assert!(t <= 30, "no liveness probe after start");
        d.tick(t);
    }
    d.probe(t, "a", 0, ProbeKind::Liveness, false);
    d.expect(&["stop a#0 with 30s grace: Container a failed liveness probe, will be restarted"]);
}

// upstream: prober_manager_test.go TestUpdatePodStatus (container readiness:
// no readiness probe and running → ready; readiness Success → ready; no
// result yet → not ready; Failure → not ready; startup probe not passed →
// not ready; startup passed, no readiness probe → ready; terminated, even
// with a stored readiness Success → not ready)
#[test]
fn update_pod_status_container_readiness() {
    let rp = || exec_probe(json!({}));
    let sp = || exec_probe(json!({"failureThreshold": 30}));
    let mut d = Drive::new(json!({"restartPolicy": "Never", "containers": [
        {"name": "unprobed_container", "livenessProbe": exec_probe(json!({}))},
        {"name": "probed_container_ready", "readinessProbe": rp()},
        {"name": "probed_container_pending", "readinessProbe": rp()},
        {"name": "probed_container_unready", "readinessProbe": rp()},
        {"name": "not_started_container_no_readiness", "startupProbe": sp()},
        {"name": "started_container_no_readiness", "startupProbe": sp()},
        {"name": "terminated_container", "readinessProbe": rp()}]}));
    d.sandbox_with_ip("10.0.0.7");
    for c in [
        "unprobed_container",
        "probed_container_ready",
        "probed_container_pending",
        "probed_container_unready",
        "not_started_container_no_readiness",
        "started_container_no_readiness",
        "terminated_container",
    ] {
        d.started(0, c);
    }
    d.tick(0);
    d.probe(0, "probed_container_ready", 0, ProbeKind::Readiness, true);
    d.probe(0, "probed_container_unready", 0, ProbeKind::Readiness, false);
    d.probe(0, "started_container_no_readiness", 0, ProbeKind::Startup, true);
    d.probe(0, "terminated_container", 0, ProbeKind::Readiness, true);
    assert!(d.ready("terminated_container"));
    d.exited(1, "terminated_container", 0);
    for (c, want) in [
        ("unprobed_container", true),
        ("probed_container_ready", true),
        ("probed_container_pending", false),
        ("probed_container_unready", false),
        ("not_started_container_no_readiness", false),
        ("started_container_no_readiness", true),
        ("terminated_container", false),
    ] {
        assert_eq!(d.ready(c), want, "{c}");
    }
}

// upstream: prober_manager_test.go TestUpdatePodStatusWithInitContainers
// "init container with Always restartPolicy" (a sidecar whose startup
// probe has no result is neither started nor ready; once it passed it is
// started and ready (no readiness probe); terminated, neither) and "init
// containers" (a running plain init container is never ready; one
// terminated with exit 0 is ready and not started). Adapted: upstream's
// "init containers" case plants a startup worker on a plain init
// container, which AddPod never creates (TestAddRemovePodsWithRestartableInitContainer
// "pod without sidecar", below) and API validation forbids, so here the
// plain init container has no probe and, running, shows started as
// UpdatePodStatus does for a container without a startup worker.
#[test]
fn update_pod_status_with_init_containers() {
    let init = json!({"name": "i", "restartPolicy": "Always",
        "startupProbe": exec_probe(json!({"failureThreshold": 30}))});
    let mut d = Drive::new(json!({"initContainers": [init], "containers": [{"name": "a"}]}));
    d.sandbox_with_ip("10.0.0.7").started(0, "i").tick(0);
    assert_eq!((d.is_started("i"), d.ready("i")), (false, false), "not_started_container");
    d.probe(0, "i", 0, ProbeKind::Startup, true);
    assert_eq!((d.is_started("i"), d.ready("i")), (true, true), "started_container");
    d.exited(5, "i", 0);
    assert_eq!((d.is_started("i"), d.ready("i")), (false, false), "terminated_container");

    let mut d = Drive::new(json!({"initContainers": [{"name": "i"}], "containers": [{"name": "a"}]}));
    d.sandbox_with_ip("10.0.0.7").started(0, "i");
    assert_eq!((d.is_started("i"), d.ready("i")), (true, false), "running plain init container");
    d.exited(5, "i", 0);
    assert_eq!((d.is_started("i"), d.ready("i")), (false, true), "terminated_container");
}

// upstream: prober_manager_test.go TestAddRemovePodsWithRestartableInitContainer
// "pod without sidecar" (no probe worker for an init container without
// restartPolicy Always, whatever probes it names) and "pod with sidecar"
// (liveness, readiness and startup workers for the sidecar)
#[test]
fn probes_only_for_restartable_init_containers() {
    for sidecar in [false, true] {
        let mut init = json!({"name": "restartable-init",
            "livenessProbe": exec_probe(json!({})), "readinessProbe": exec_probe(json!({})),
            "startupProbe": exec_probe(json!({}))});
        if sidecar {
            init["restartPolicy"] = json!("Always");
        }
        let mut d =
            Drive::new(json!({"initContainers": [{"name": "init"}, init], "containers": [{"name": "main"}]}));
        d.sandbox_with_ip("10.0.0.7")
            .started(0, "init")
            .exited(1, "init", 0)
            .expect(&["start restartable-init#0"]);
        d.started(1, "restartable-init").tick(1);
        assert_eq!(d.probed(ProbeKind::Startup, "restartable-init", 0), sidecar, "{:?}", d.last);
        if sidecar {
            d.probe(1, "restartable-init", 0, ProbeKind::Startup, true).tick(1);
            assert!(d.probed(ProbeKind::Liveness, "restartable-init", 0), "{:?}", d.last);
            assert!(d.probed(ProbeKind::Readiness, "restartable-init", 0), "{:?}", d.last);
        } else {
            // Without workers nothing is probed, before or after the exit.
            d.tick(11).tick(21);
            assert!(!d.last.iter().any(|c| c.starts_with("probe ")), "{:?}", d.last);
        }
    }
}

// ---------------------------------------------------------------------------
// computePodActions with sidecars (kuberuntime_manager_test.go)
// ---------------------------------------------------------------------------

/// upstream: makeBasePodAndStatusWithRestartableInitContainers: three
/// sidecars, the last two with liveness and startup probes, and three
/// regular containers.
fn restartable_init_pod(policy: &str) -> Value {
    let probes = |c: &str| {
        json!({"name": c, "restartPolicy": "Always",
            "livenessProbe": exec_probe(json!({"failureThreshold": 1})),
            "startupProbe": exec_probe(json!({"failureThreshold": 1}))})
    };
    json!({"restartPolicy": policy,
        "initContainers": [{"name": "restartable-init-1", "restartPolicy": "Always"},
            probes("restartable-init-2"), probes("restartable-init-3")],
        "containers": [{"name": "foo1"}, {"name": "foo2"}, {"name": "foo3"}]})
}

/// Drives the pod to "initialization completed": every sidecar started
/// (startup probes passed) and the regular containers started.
fn initialized(policy: &str) -> Drive {
    let mut d = Drive::new(restartable_init_pod(policy));
    d.sandbox_with_ip("10.0.0.7").started(0, "restartable-init-1");
    d.started(0, "restartable-init-2").tick(0).probe(0, "restartable-init-2", 0, ProbeKind::Startup, true);
    d.started(0, "restartable-init-3").tick(0).probe(0, "restartable-init-3", 0, ProbeKind::Startup, true);
    d.expect(&["start foo1#0", "start foo2#0", "start foo3#0"]);
    d.started(0, "foo1").started(0, "foo2").started(0, "foo3");
    d
}

// upstream: kuberuntime_manager_test.go TestComputePodActionsWithRestartableInitContainers
// "no init containers have been started; start the first one",
// "restartable init container has started; start the next",
// "startupProbe has not been run; do nothing", "startupProbe in progress; do nothing",
// "livenessProbe has not been run; start the nothing" / "livenessProbe in progress; start the next",
// "startupProbe has completed; start the next",
// "initialization completed; start all containers"
#[test]
fn restartable_init_containers_start_in_order() {
    let mut d = Drive::new(restartable_init_pod("Always"));
    d.sandbox_with_ip("10.0.0.7").expect(&["start restartable-init-1#0"]);
    d.started(0, "restartable-init-1").expect(&["start restartable-init-2#0"]);
    // startupProbe has not been run
    d.started(0, "restartable-init-2").expect(&[]);
    // startupProbe in progress (liveness waits for the start)
    d.tick(0).expect(&["probe startup restartable-init-2#0 (timeout 1s)"]);
    // startupProbe has completed; liveness not run yet does not hold the next one
    d.probe(0, "restartable-init-2", 0, ProbeKind::Startup, true).expect(&["start restartable-init-3#0"]);
    d.started(0, "restartable-init-3").tick(0);
    assert!(!d.last.iter().any(|c| c.starts_with("start ")), "{:?}", d.last);
    d.probe(0, "restartable-init-3", 0, ProbeKind::Startup, true);
    d.expect(&["start foo1#0", "start foo2#0", "start foo3#0"]);
}

// upstream: kuberuntime_manager_test.go TestComputePodActionsWithRestartableInitContainers
// "kill and recreate the restartable init container if the liveness check has failed"
// (adapted: the regular containers are already running here, so only the
// sidecar is started again) and "kill and recreate the restartable init
// container if the startup check has failed" (no regular container starts)
#[test]
fn restartable_init_container_probe_failures_recreate_it() {
    let mut d = initialized("Always");
    d.tick(10);
    assert!(d.probed(ProbeKind::Liveness, "restartable-init-3", 0), "{:?}", d.last);
    d.probe(10, "restartable-init-3", 0, ProbeKind::Liveness, false);
    d.expect(&[
        "stop restartable-init-3#0 with 30s grace: Init container restartable-init-3 failed liveness probe",
    ]);
    d.exited(11, "restartable-init-3", 143).expect(&["start restartable-init-3#1"]);

    let mut d = Drive::new(restartable_init_pod("Always"));
    d.sandbox_with_ip("10.0.0.7").started(0, "restartable-init-1");
    d.started(0, "restartable-init-2").tick(0).probe(0, "restartable-init-2", 0, ProbeKind::Startup, true);
    d.started(0, "restartable-init-3").tick(0).probe(0, "restartable-init-3", 0, ProbeKind::Startup, false);
    d.expect(&[
        "stop restartable-init-3#0 with 30s grace: Init container restartable-init-3 failed startup probe",
    ]);
    d.exited(1, "restartable-init-3", 143).expect(&["start restartable-init-3#1"]);
}

// upstream: kuberuntime_manager_test.go TestComputePodActionsWithRestartableInitContainers
// "restart terminated restartable init container and next init container"
// (the first and third sidecars exited before initialization completed:
// both start again, no regular container) and "restart terminated
// restartable init container and regular containers" (adapted: after
// initialization, with the regular containers running, the first sidecar
// starts again)
#[test]
fn terminated_restartable_init_containers_restart() {
    let mut d = Drive::new(restartable_init_pod("Always"));
    d.sandbox_with_ip("10.0.0.7").started(0, "restartable-init-1");
    d.started(0, "restartable-init-2").tick(0).probe(0, "restartable-init-2", 0, ProbeKind::Startup, true);
    d.started(0, "restartable-init-3").expect(&[]);
    d.exited(1, "restartable-init-1", 0).expect(&["start restartable-init-1#1"]);
    d.exited(1, "restartable-init-3", 0).expect(&["start restartable-init-3#1"]);

    let mut d = initialized("Always");
    d.exited(5, "restartable-init-1", 0).expect(&["start restartable-init-1#1"]);
}

// upstream: kuberuntime_manager_test.go TestComputePodActionsWithRestartableInitContainers
// "initialization failed; restart the last restartable init container even if pod's RestartPolicy == Never",
// "restart restartable init container if regular containers are running even if pod's RestartPolicy == Never",
// "kill the pod if all main containers succeeded if pod's RestartPolicy == Never"
#[test]
fn restartable_init_containers_under_never() {
    let mut d = Drive::new(restartable_init_pod("Never"));
    d.sandbox_with_ip("10.0.0.7").started(0, "restartable-init-1");
    d.started(0, "restartable-init-2").tick(0).probe(0, "restartable-init-2", 0, ProbeKind::Startup, true);
    d.started(0, "restartable-init-3").exited(1, "restartable-init-3", 137);
    d.expect(&["start restartable-init-3#1"]);

    let mut d = initialized("Never");
    d.exited(5, "restartable-init-3", 137).expect(&["start restartable-init-3#1"]);

    let mut d = initialized("Never");
    d.exited(5, "foo1", 0).exited(5, "foo2", 0).expect(&[]);
    d.exited(5, "foo3", 0);
    assert!(
        !d.last.is_empty() && d.last.iter().all(|c| c.starts_with("stop restartable-init-")),
        "the pod is killed, its sidecars first: {:?}",
        d.last
    );
    // A sidecar still running keeps the phase Running until it stops
    // (TestPodPhaseWithRestartNeverRestartableInitContainers
    // "restartable init container started, main containers succeeded").
    assert_eq!(d.pl.status().phase, Some(PodPhase::Running));
}

// upstream: kuberuntime_manager_test.go TestComputePodActionsWithContainerRestartRules
// "restart exited containers if RestartPolicy == Always",
// "restart failed containers if RestartPolicy == OnFailure",
// "don't restart containers if RestartPolicy == Never" (container policies
// over the pod's; ContainerRestartRules on, its 1.35 default)
#[test]
fn compute_pod_actions_with_container_restart_rules() {
    let spec = |pod_policy: &str, own: &str| {
        json!({"restartPolicy": pod_policy, "containers": [
            {"name": "foo1", "restartPolicy": own}, {"name": "foo2", "restartPolicy": own}, {"name": "foo3"}]})
    };
    for (pod_policy, own, want1, want2) in [
        ("Never", "Always", &["start foo1#1"][..], &["start foo2#1"][..]),
        ("Never", "OnFailure", &[], &["start foo2#1"]),
        ("Always", "Never", &[], &[]),
    ] {
        let mut d = Drive::new(spec(pod_policy, own));
        d.sandbox_with_ip("10.0.0.7").started(0, "foo1").started(0, "foo2").started(0, "foo3");
        d.exited(5, "foo1", 0);
        assert_eq!(d.last, want1, "{pod_policy}/{own}: foo1 exit 0");
        d.exited(5, "foo2", 111);
        assert_eq!(d.last, want2, "{pod_policy}/{own}: foo2 exit 111");
    }
}

// ---------------------------------------------------------------------------
// killContainer grace periods (kuberuntime_container_test.go)
// ---------------------------------------------------------------------------

// upstream: kuberuntime_container_test.go TestKillContainerGracePeriod
// (every case: a kill for the liveness or startup probe uses that probe's
// terminationGracePeriodSeconds, any other kill the pod's). The reasonUnknown
// kills are the kubelet's own termination here (activeDeadlineSeconds).
// "default termination grace period" is adapted: upstream's kubelet uses
// 2 s for a pod without terminationGracePeriodSeconds, the crate reads the
// API server's default of 30 s (a documented deviation).
#[test]
fn kill_container_grace_period() {
    #[derive(Clone, Copy, Debug)]
    enum Reason {
        Unknown,
        Liveness,
        Startup,
    }
    let (short, medium, long) = (10, 30, 60);
    type GraceCase = (&'static str, Option<i64>, Option<i64>, Option<i64>, Reason, i64);
    let cases: Vec<GraceCase> = vec![
        // (case, pod grace, startup probe grace, liveness probe grace, reason, want)
        ("default termination grace period", None, None, None, Reason::Unknown, 30),
        ("use pod termination grace period", Some(long), None, None, Reason::Unknown, long),
        (
            "liveness probe overrides pod termination grace period",
            Some(long),
            None,
            Some(short),
            Reason::Liveness,
            short,
        ),
        (
            "startup probe overrides pod termination grace period",
            Some(long),
            Some(short),
            None,
            Reason::Startup,
            short,
        ),
        (
            "startup probe overrides pod termination grace period, probe period > pod period",
            Some(short),
            Some(long),
            None,
            Reason::Startup,
            long,
        ),
        (
            "liveness probe overrides pod termination grace period, probe period > pod period",
            Some(short),
            None,
            Some(long),
            Reason::Liveness,
            long,
        ),
        (
            "non-liveness probe failure, use pod termination grace period",
            Some(long),
            None,
            Some(short),
            Reason::Unknown,
            long,
        ),
        (
            "non-startup probe failure, use pod termination grace period",
            Some(long),
            Some(short),
            None,
            Reason::Unknown,
            long,
        ),
        (
            "all three grace periods set, use pod termination grace period",
            Some(long),
            Some(short),
            Some(medium),
            Reason::Unknown,
            long,
        ),
        (
            "all three grace periods set, use startup termination grace period",
            Some(long),
            Some(short),
            Some(medium),
            Reason::Startup,
            short,
        ),
        (
            "all three grace periods set, use liveness termination grace period",
            Some(long),
            Some(short),
            Some(medium),
            Reason::Liveness,
            medium,
        ),
    ];
    for (name, pod_grace, startup_grace, liveness_grace, reason, want) in cases {
        let probe = |grace: Option<i64>| {
            let mut p = exec_probe(json!({"failureThreshold": 1}));
            if let Some(g) = grace {
                p["terminationGracePeriodSeconds"] = json!(g);
            }
            p
        };
        let mut c = json!({"name": "foo"});
        if startup_grace.is_some() || matches!(reason, Reason::Startup) {
            c["startupProbe"] = probe(startup_grace);
        }
        if liveness_grace.is_some() || matches!(reason, Reason::Liveness) {
            c["livenessProbe"] = probe(liveness_grace);
        }
        let mut spec = json!({"activeDeadlineSeconds": 100, "containers": [c]});
        if let Some(g) = pod_grace {
            spec["terminationGracePeriodSeconds"] = json!(g);
        }
        let mut d = Drive::new(spec);
        d.sandbox_with_ip("10.0.0.7").started(0, "foo");
        let has_startup = d.status_of("foo").started != Some(true);
        match reason {
            Reason::Unknown => {
                d.tick(100);
            }
            Reason::Startup => {
                d.tick(0).probe(0, "foo", 0, ProbeKind::Startup, false);
            }
            Reason::Liveness => {
                if has_startup {
                    d.tick(0).probe(0, "foo", 0, ProbeKind::Startup, true);
                }
                let mut t = 0;
                while !d.probed(ProbeKind::Liveness, "foo", 0) {
                    t += 1;
                    assert!(t <= 20, "{name}: no liveness probe");
                    d.tick(t);
                }
                d.probe(t, "foo", 0, ProbeKind::Liveness, false);
            }
        }
        let stop: Vec<&String> = d.last.iter().filter(|c| c.starts_with("stop foo#0 ")).collect();
        assert_eq!(stop.len(), 1, "{name}: {:?}", d.last);
        assert!(stop[0].contains(&format!(" with {want}s grace: ")), "{name} ({reason:?}): {:?}", d.last);
    }
}

// ---------------------------------------------------------------------------
// ShouldContainerBeRestarted (container/helpers_test.go)
// ---------------------------------------------------------------------------

// upstream: container/helpers_test.go TestShouldContainerBeRestarted
// "deleted pod" (a pod with a deletion timestamp restarts no container,
// whatever the restart policy): a crash-looping container of an Always pod
// deleted while it waits in back-off is not started again.
#[test]
fn should_container_be_restarted_deleted_pod() {
    for policy in ["Always", "OnFailure", "Never"] {
        let mut d = Drive::new(json!({"restartPolicy": policy, "terminationGracePeriodSeconds": 100,
            "containers": [{"name": "a"}, {"name": "b"}]}));
        d.sandbox_with_ip("10.0.0.7").started(0, "a").started(0, "b");
        // Two failures: the second restart waits for the back-off (10 s).
        d.exited(1, "a", 1);
        if policy != "Never" {
            d.expect(&["start a#1"]);
            d.started(1, "a").exited(2, "a", 1).expect(&[]);
        }
        d.ev(3, Event::DeletionRequested { grace_period_seconds: Some(100) });
        d.expect(&["stop b#0 with 100s grace: Stopping container b"]);
        for t in [12, 20, 40, 60] {
            d.tick(t);
            assert!(!d.last.iter().any(|c| c.starts_with("start ")), "{policy} t={t}: {:?}", d.last);
        }
    }
}

// ---------------------------------------------------------------------------
// Image pull back-off (images/image_manager_test.go)
// ---------------------------------------------------------------------------

/// upstream's pullerTestEnv: flowcontrol.NewBackOff(1s, 60s), the fake clock
/// stepped one second per EnsureImageExists call. Adapted: the crate's
/// image back-off set to the same 1 s / 60 s, and the pod synced again
/// every second (its resync after a failed start).
fn one_second_config() -> KubeletConfig {
    KubeletConfig {
        image_pull_back_off: BackoffConfig { initial_seconds: 1, max_seconds: 60, reset_after_seconds: 120 },
        resync_after_error_seconds: 1,
        ..KubeletConfig::default()
    }
}

fn waiting_reason(d: &Drive, c: &str) -> (String, String) {
    let w = d.status_of(c).state.and_then(|s| s.waiting).unwrap_or_default();
    (w.reason.unwrap_or_default(), w.message.unwrap_or_default())
}

// upstream: image_manager_test.go TestParallelPuller / TestSerializedPuller
// case "image missing, unable to fetch" (pull, fail; pull, fail;
// ErrImagePullBackOff; pull, fail; ErrImagePullBackOff; ErrImagePullBackOff)
#[test]
fn image_missing_unable_to_fetch_back_off_sequence() {
    let mut d = Drive::with_config(
        json!({"containers": [{"name": "a", "image": "typo_image"}]}),
        one_second_config(),
    );
    d.sandbox_with_ip("10.0.0.7").expect(&["start a#0"]);
    let fail = Event::ImagePullFailed { container: "a".into(), message: "404".into() };
    // true: a pull is attempted (and fails); false: ErrImagePullBackOff.
    for (t, pulls) in [(0, true), (1, true), (2, false), (3, true), (4, false), (5, false)] {
        if t > 0 {
            d.tick(t);
        }
        assert_eq!(d.last == ["start a#0"], pulls, "t={t}: {:?}", d.last);
        if pulls {
            d.ev(t, fail.clone());
            assert_eq!(waiting_reason(&d, "a").0, "ErrImagePull", "t={t}");
        } else {
            assert!(d.last.is_empty(), "t={t}: {:?}", d.last);
            assert_eq!(waiting_reason(&d, "a").0, "ImagePullBackOff", "t={t}");
        }
    }
}

// upstream: image_manager_test.go case "image missing, SignatureValidationFailed"
// (the pull error keeps its reason and message; in back-off the message is
// `Back-off pulling image "typo_image": SignatureValidationFailed: <message>`;
// same pull / back-off sequence as above)
#[test]
fn image_signature_validation_failed_back_off_sequence() {
    let mut d = Drive::with_config(
        json!({"containers": [{"name": "a", "image": "typo_image"}]}),
        one_second_config(),
    );
    d.sandbox_with_ip("10.0.0.7").expect(&["start a#0"]);
    let msg = "image pull failed for typo_image because the signature validation failed";
    let fail = Event::ContainerStartFailed {
        container: "a".into(),
        reason: "SignatureValidationFailed".into(),
        message: msg.into(),
    };
    let back_off = format!("Back-off pulling image \"typo_image\": SignatureValidationFailed: {msg}");
    for (t, pulls) in [(0, true), (1, true), (2, false), (3, true), (4, false)] {
        if t > 0 {
            d.tick(t);
        }
        assert_eq!(d.last == ["start a#0"], pulls, "t={t}: {:?}", d.last);
        if pulls {
            d.ev(t, fail.clone());
            assert_eq!(
                waiting_reason(&d, "a"),
                ("SignatureValidationFailed".to_owned(), msg.to_owned()),
                "t={t}"
            );
        } else {
            assert_eq!(waiting_reason(&d, "a"), ("ImagePullBackOff".to_owned(), back_off.clone()), "t={t}");
        }
    }
}

// upstream: image_manager_test.go case "image missing, never pull"
// (ErrImageNeverPull on every attempt, never a back-off)
#[test]
fn image_missing_never_pull_has_no_back_off() {
    let mut d = Drive::with_config(
        json!({"containers": [{"name": "a", "image": "missing_image", "imagePullPolicy": "Never"}]}),
        one_second_config(),
    );
    d.sandbox_with_ip("10.0.0.7").expect(&["start a#0"]);
    for t in 0..3 {
        if t > 0 {
            d.tick(t).expect(&["start a#0"]);
        }
        d.ev(
            t,
            Event::ContainerStartFailed {
                container: "a".into(),
                reason: "ErrImageNeverPull".into(),
                message: "Container image \"missing_image\" is not present with pull policy of Never".into(),
            },
        );
        assert_eq!(waiting_reason(&d, "a").0, "ErrImageNeverPull", "t={t}");
    }
}

// ---------------------------------------------------------------------------
// PodReadyToStartContainers through the lifecycle (generate_test.go)
// ---------------------------------------------------------------------------

// upstream: generate_test.go TestGeneratePodReadyToStartContainersCondition
// "Empty pod status" (no sandbox: False) and "Pod sandbox status ready and
// IP configured" (True). Adapted: upstream's newest reason and message
// (PodSandboxNotReady) are not asserted; only the status.
#[test]
fn ready_to_start_containers_follows_the_sandbox() {
    let mut d = Drive::new(json!({"containers": [{"name": "a"}]}));
    assert_eq!(d.condition("PodReadyToStartContainers"), "False");
    d.sandbox_with_ip("10.0.0.7");
    assert_eq!(d.condition("PodReadyToStartContainers"), "True");
}
