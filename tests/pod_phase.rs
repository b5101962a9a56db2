//! Pod phase and condition tables, mirroring upstream's tests.
//!
//! upstream: pkg/kubelet/kubelet_pods_test.go (TestPodPhaseWithRestartAlways,
//! TestPodPhaseWithRestartNever, TestPodPhaseWithRestartOnFailure,
//! TestPodPhaseWithRestartAlwaysInitContainers,
//! TestPodPhaseWithRestartNeverInitContainers,
//! TestPodPhaseWithRestartAlwaysRestartableInitContainers,
//! TestPodPhaseWithRestartNeverRestartableInitContainers),
//! pkg/kubelet/status/generate_test.go (TestGenerateContainersReadyCondition,
//! TestGeneratePodReadyCondition, TestGeneratePodInitializedCondition),
//! pkg/kubelet/status/status_manager_test.go (transition times). The cases
//! are restated in this crate's terms, not copied.

use kube_workloads::api::{Condition, ConditionStatus, ContainerStatus, PodPhase, PodSpec, PodStatus, Time};
use kube_workloads::pod::{self, get_phase};
use serde_json::{Value, json};

/// A status from a short code: `run` (running, started), `run-` (running,
/// not started), `term:N`, `crash:N` (waiting with last exit N), `wait`,
/// `empty`; a trailing `!` marks it ready.
fn status(name: &str, code: &str) -> Value {
    let (code, ready) = match code.strip_suffix('!') {
        Some(c) => (c, true),
        None => (code, false),
    };
    let mut s = json!({"name": name, "ready": ready, "restartCount": 0, "image": "", "imageID": ""});
    match code {
        "run" => {
            s["state"] = json!({"running": {}});
            s["started"] = json!(true);
        }
        "run-" => {
            s["state"] = json!({"running": {}});
            s["started"] = json!(false);
        }
        "wait" => s["state"] = json!({"waiting": {"reason": "ContainerCreating"}}),
        "empty" => s["state"] = json!({}),
        c if c.starts_with("term:") => {
            let code: i32 = c[5..].parse().unwrap();
            s["state"] = json!({"terminated": {"exitCode": code}});
        }
        c if c.starts_with("crash:") => {
            let code: i32 = c[6..].parse().unwrap();
            s["state"] = json!({"waiting": {"reason": "CrashLoopBackOff"}});
            s["lastState"] = json!({"terminated": {"exitCode": code}});
        }
        other => panic!("bad code {other}"),
    }
    s
}

/// `init`: (name, is_sidecar, code or "-" for no status); `regular`: (name, code or "-").
fn pod(policy: &str, init: &[(&str, bool, &str)], regular: &[(&str, &str)]) -> (PodSpec, PodStatus) {
    let init_specs: Vec<Value> = init
        .iter()
        .map(
            |(n, sidecar, _)| {
                if *sidecar { json!({"name": n, "restartPolicy": "Always"}) } else { json!({"name": n}) }
            },
        )
        .collect();
    let specs: Vec<Value> = regular.iter().map(|(n, _)| json!({"name": n})).collect();
    let spec = json!({"restartPolicy": policy, "initContainers": init_specs, "containers": specs});
    let init_st: Vec<Value> =
        init.iter().filter(|(_, _, c)| *c != "-").map(|(n, _, c)| status(n, c)).collect();
    let st: Vec<Value> = regular.iter().filter(|(_, c)| *c != "-").map(|(n, c)| status(n, c)).collect();
    let status = json!({"initContainerStatuses": init_st, "containerStatuses": st});
    (serde_json::from_value(spec).unwrap(), serde_json::from_value(status).unwrap())
}

/// (init, regular, phase, expected brief) of a condition table.
type CondCase = (
    &'static [(&'static str, bool, &'static str)],
    &'static [(&'static str, &'static str)],
    PodPhase,
    &'static str,
);

struct Case {
    name: &'static str,
    policy: &'static str,
    init: &'static [(&'static str, bool, &'static str)],
    regular: &'static [(&'static str, &'static str)],
    terminal: bool,
    initialized: bool,
    want: PodPhase,
}

const fn case(
    name: &'static str,
    policy: &'static str,
    init: &'static [(&'static str, bool, &'static str)],
    regular: &'static [(&'static str, &'static str)],
    want: PodPhase,
) -> Case {
    Case { name, policy, init, regular, terminal: false, initialized: true, want }
}

fn check(cases: &[Case]) {
    for c in cases {
        let (spec, status) = pod(c.policy, c.init, c.regular);
        assert_eq!(get_phase(&spec, &status, c.terminal, c.initialized), c.want, "{}", c.name);
    }
}

// upstream: pkg/kubelet/kubelet_pods_test.go: TestPodPhaseWithRestartAlways
#[test]
fn phase_restart_always() {
    check(&[
        case("all running", "Always", &[], &[("a", "run"), ("b", "run")], PodPhase::Running),
        case(
            "all stopped, not terminal: restarting",
            "Always",
            &[],
            &[("a", "term:0"), ("b", "term:0")],
            PodPhase::Running,
        ),
        Case {
            terminal: true,
            ..case(
                "all stopped 0, terminal",
                "Always",
                &[],
                &[("a", "term:0"), ("b", "term:0")],
                PodPhase::Succeeded,
            )
        },
        Case {
            terminal: true,
            ..case(
                "one failed, terminal",
                "Always",
                &[],
                &[("a", "term:0"), ("b", "term:1")],
                PodPhase::Failed,
            )
        },
        case("mixed running and stopped", "Always", &[], &[("a", "run"), ("b", "term:1")], PodPhase::Running),
        case("one without status", "Always", &[], &[("a", "run"), ("b", "-")], PodPhase::Pending),
        case("one waiting", "Always", &[], &[("a", "run"), ("b", "wait")], PodPhase::Pending),
        case(
            "crash-looping counts as stopped",
            "Always",
            &[],
            &[("a", "run"), ("b", "crash:1")],
            PodPhase::Running,
        ),
        case("all crash-looping", "Always", &[], &[("a", "crash:1"), ("b", "crash:0")], PodPhase::Running),
        case("empty state is unknown", "Always", &[], &[("a", "run"), ("b", "empty")], PodPhase::Pending),
    ]);
}

// upstream: pkg/kubelet/kubelet_pods_test.go: TestPodPhaseWithRestartNever
#[test]
fn phase_restart_never() {
    check(&[
        case("all running", "Never", &[], &[("a", "run"), ("b", "run")], PodPhase::Running),
        case("all succeeded", "Never", &[], &[("a", "term:0"), ("b", "term:0")], PodPhase::Succeeded),
        case("all failed", "Never", &[], &[("a", "term:1"), ("b", "term:2")], PodPhase::Failed),
        case("one failed", "Never", &[], &[("a", "term:0"), ("b", "term:1")], PodPhase::Failed),
        case("running and succeeded", "Never", &[], &[("a", "run"), ("b", "term:0")], PodPhase::Running),
        case("waiting", "Never", &[], &[("a", "run"), ("b", "wait")], PodPhase::Pending),
        // A crash-looping exit 0 is stopped but not succeeded.
        case("waiting after exit 0", "Never", &[], &[("a", "crash:0")], PodPhase::Failed),
    ]);
}

// upstream: pkg/kubelet/kubelet_pods_test.go: TestPodPhaseWithRestartOnFailure
#[test]
fn phase_restart_on_failure() {
    check(&[
        case("all running", "OnFailure", &[], &[("a", "run"), ("b", "run")], PodPhase::Running),
        case("all succeeded", "OnFailure", &[], &[("a", "term:0"), ("b", "term:0")], PodPhase::Succeeded),
        case(
            "all failed: being restarted",
            "OnFailure",
            &[],
            &[("a", "term:1"), ("b", "term:1")],
            PodPhase::Running,
        ),
        case("running and failed", "OnFailure", &[], &[("a", "run"), ("b", "term:1")], PodPhase::Running),
        case("waiting", "OnFailure", &[], &[("a", "run"), ("b", "wait")], PodPhase::Pending),
        case("backoff", "OnFailure", &[], &[("a", "run"), ("b", "crash:1")], PodPhase::Running),
    ]);
}

// upstream: pkg/kubelet/kubelet_pods_test.go: TestPodPhaseWithRestart{Always,Never}InitContainers
// (the OnFailure rows are the crate's own: upstream tests Always and Never
// here; getPhase fails a pod for a failed init container only under Never)
#[test]
fn phase_init_containers() {
    let i_run: &[(&str, bool, &str)] = &[("i", false, "run")];
    let i_fail: &[(&str, bool, &str)] = &[("i", false, "term:1")];
    let i_crash: &[(&str, bool, &str)] = &[("i", false, "crash:1")];
    let i_ok: &[(&str, bool, &str)] = &[("i", false, "term:0")];
    let waiting: &[(&str, &str)] = &[("a", "wait")];
    for policy in ["Always", "OnFailure"] {
        check(&[
            case("init running", policy, i_run, waiting, PodPhase::Pending),
            case("init failed, retrying", policy, i_fail, waiting, PodPhase::Pending),
            case("init crash-looping", policy, i_crash, waiting, PodPhase::Pending),
            case("init done, app running", policy, i_ok, &[("a", "run")], PodPhase::Running),
            case("init without status", policy, &[("i", false, "-")], waiting, PodPhase::Pending),
        ]);
    }
    check(&[
        case("init failed under Never", "Never", i_fail, waiting, PodPhase::Failed),
        case("init crashed under Never", "Never", i_crash, waiting, PodPhase::Failed),
        case("init running under Never", "Never", i_run, waiting, PodPhase::Pending),
        case("init done, app succeeded", "Never", i_ok, &[("a", "term:0")], PodPhase::Succeeded),
    ]);
}

// upstream: pkg/kubelet/kubelet_pods_test.go: TestPodPhaseWithRestart{Always,Never}RestartableInitContainers
#[test]
fn phase_sidecars() {
    check(&[
        Case {
            initialized: false,
            ..case(
                "sidecar running, not started",
                "Always",
                &[("s", true, "run-")],
                &[("a", "wait")],
                PodPhase::Pending,
            )
        },
        Case {
            initialized: false,
            ..case(
                "sidecar not started, app absent",
                "Always",
                &[("s", true, "run-")],
                &[("a", "-")],
                PodPhase::Pending,
            )
        },
        case("sidecar and app running", "Always", &[("s", true, "run")], &[("a", "run")], PodPhase::Running),
        // After initialization a restarting sidecar (not started) keeps the pod Running.
        case(
            "sidecar restarting after init",
            "Always",
            &[("s", true, "run-")],
            &[("a", "run")],
            PodPhase::Running,
        ),
        case(
            "sidecar crash-looping, app running",
            "Always",
            &[("s", true, "crash:1")],
            &[("a", "run")],
            PodPhase::Running,
        ),
        case("sidecar waiting", "Always", &[("s", true, "wait")], &[("a", "run")], PodPhase::Pending),
        // Sidecar exit codes never decide Succeeded / Failed.
        case(
            "app succeeded, sidecar failed",
            "Never",
            &[("s", true, "term:1")],
            &[("a", "term:0")],
            PodPhase::Succeeded,
        ),
        case(
            "app failed, sidecar succeeded",
            "Never",
            &[("s", true, "term:0")],
            &[("a", "term:1")],
            PodPhase::Failed,
        ),
        // A running sidecar keeps a finished Never pod Running until it is killed.
        case(
            "app done, sidecar running",
            "Never",
            &[("s", true, "run")],
            &[("a", "term:0")],
            PodPhase::Running,
        ),
        case("sidecar without status", "Never", &[("s", true, "-")], &[("a", "term:0")], PodPhase::Pending),
    ]);
}

fn conditions_of(
    policy: &str,
    init: &[(&str, bool, &str)],
    regular: &[(&str, &str)],
) -> (PodSpec, Vec<ContainerStatus>) {
    let (spec, status) = pod(policy, init, regular);
    let all = status.init_container_statuses().iter().chain(status.container_statuses()).cloned().collect();
    (spec, all)
}

fn brief(c: &Condition) -> String {
    format!(
        "{} {} {} {}",
        c.type_,
        c.status.as_str(),
        c.reason.as_deref().unwrap_or("-"),
        c.message.as_deref().unwrap_or("-")
    )
}

// upstream: pkg/kubelet/status/generate_test.go: TestGenerateContainersReadyCondition
#[test]
fn containers_ready_table() {
    let (spec, _) = conditions_of("Always", &[], &[("a", "-")]);
    assert_eq!(
        brief(&pod::containers_ready_condition(&spec, None, &PodPhase::Running)),
        "ContainersReady False UnknownContainerStatuses -"
    );
    let cases: &[CondCase] = &[
        (&[], &[], PodPhase::Running, "ContainersReady True - -"),
        (&[], &[("a", "run!")], PodPhase::Running, "ContainersReady True - -"),
        (
            &[],
            &[("a", "run!"), ("b", "-"), ("c", "run")],
            PodPhase::Running,
            "ContainersReady False ContainersNotReady containers with unknown status: [b], containers with unready status: [c]",
        ),
        (
            &[],
            &[("a", "term:0"), ("b", "term:0")],
            PodPhase::Succeeded,
            "ContainersReady False PodCompleted -",
        ),
        (&[], &[("a", "run!")], PodPhase::Failed, "ContainersReady False PodFailed -"),
        (
            &[],
            &[("a", "term:0"), ("b", "-")],
            PodPhase::Succeeded,
            "ContainersReady False ContainersNotReady containers with unknown status: [b], containers with unready status: [a]",
        ),
        // Sidecars count, plain init containers do not.
        (
            &[("i", false, "term:0!"), ("s", true, "run")],
            &[("a", "run!")],
            PodPhase::Running,
            "ContainersReady False ContainersNotReady containers with unready status: [s]",
        ),
        (
            &[("i", false, "term:0"), ("s", true, "run!")],
            &[("a", "run!")],
            PodPhase::Running,
            "ContainersReady True - -",
        ),
    ];
    for (init, regular, phase, want) in cases {
        let (spec, all) = conditions_of("Always", init, regular);
        assert_eq!(brief(&pod::containers_ready_condition(&spec, Some(&all), phase)), *want);
    }
}

// upstream: pkg/kubelet/status/generate_test.go: TestGeneratePodReadyCondition
#[test]
fn ready_with_readiness_gates() {
    let (mut spec, all) = conditions_of("Always", &[], &[("a", "run!")]);
    spec.readiness_gates = Some(
        serde_json::from_value(json!([{"conditionType": "gate1"}, {"conditionType": "gate2"}])).unwrap(),
    );
    let cond =
        |t: &str, s: &str| -> Condition { serde_json::from_value(json!({"type": t, "status": s})).unwrap() };
    let cases: Vec<(Vec<Condition>, &str)> = vec![
        (
            vec![],
            "Ready False ReadinessGatesNotReady corresponding condition of pod readiness gate \"gate1\" does not exist., corresponding condition of pod readiness gate \"gate2\" does not exist.",
        ),
        (
            vec![cond("gate1", "True"), cond("gate2", "False")],
            "Ready False ReadinessGatesNotReady the status of pod readiness gate \"gate2\" is not \"True\", but False",
        ),
        (vec![cond("gate1", "True"), cond("gate2", "True")], "Ready True - -"),
    ];
    for (conds, want) in cases {
        assert_eq!(brief(&pod::pod_ready_condition(&spec, &conds, Some(&all), &PodPhase::Running)), want);
    }
    // Not-ready containers win over gates, with ContainersReady's reason.
    let (mut spec, all) = conditions_of("Always", &[], &[("a", "run")]);
    spec.readiness_gates = Some(serde_json::from_value(json!([{"conditionType": "gate1"}])).unwrap());
    assert_eq!(
        brief(&pod::pod_ready_condition(&spec, &[], Some(&all), &PodPhase::Running)),
        "Ready False ContainersNotReady containers with unready status: [a]"
    );
}

// upstream: pkg/kubelet/status/generate_test.go: TestGeneratePodInitializedCondition
#[test]
fn initialized_table() {
    let (spec, _) = conditions_of("Always", &[("i", false, "-")], &[("a", "-")]);
    assert_eq!(
        brief(&pod::initialized_condition(&spec, None, &PodPhase::Pending)),
        "Initialized False UnknownContainerStatuses -"
    );
    let cases: &[CondCase] = &[
        (&[], &[("a", "wait")], PodPhase::Pending, "Initialized True - -"),
        (&[("i", false, "term:0!")], &[("a", "wait")], PodPhase::Pending, "Initialized True - -"),
        (
            &[("i", false, "run"), ("j", false, "-")],
            &[("a", "wait")],
            PodPhase::Pending,
            "Initialized False ContainersNotInitialized containers with unknown status: [j], containers with incomplete status: [i]",
        ),
        (
            &[("i", false, "term:0!")],
            &[("a", "term:0")],
            PodPhase::Succeeded,
            "Initialized True PodCompleted -",
        ),
        // A sidecar is complete once started.
        (
            &[("s", true, "run-")],
            &[("a", "wait")],
            PodPhase::Pending,
            "Initialized False ContainersNotInitialized containers with incomplete status: [s]",
        ),
        (&[("s", true, "run")], &[("a", "wait")], PodPhase::Pending, "Initialized True - -"),
        // A restarting sidecar after init: a regular container ran, so True.
        (&[("s", true, "crash:1")], &[("a", "run")], PodPhase::Running, "Initialized True - -"),
    ];
    for (init, regular, phase, want) in cases {
        let (spec, all) = conditions_of("Always", init, regular);
        assert_eq!(brief(&pod::initialized_condition(&spec, Some(&all), phase)), *want);
    }
}

// upstream: pkg/kubelet/status/status_manager.go: updateLastTransitionTime (status_manager_test.go)
#[test]
fn last_transition_time_moves_only_on_status_flip() {
    let t0 = Time::from_unix(1000);
    let t1 = Time::from_unix(2000);
    let mk = |s: &str, reason: &str, at: Option<Time>| -> Condition {
        let mut c: Condition =
            serde_json::from_value(json!({"type": "Ready", "status": s, "reason": reason})).unwrap();
        c.last_transition_time = at;
        c
    };
    let previous = vec![mk("False", "ContainersNotReady", Some(t0))];
    let mut same_status_new_reason = vec![mk("False", "ReadinessGatesNotReady", None)];
    pod::update_last_transition_times(&mut same_status_new_reason, &previous, t1);
    assert_eq!(same_status_new_reason[0].last_transition_time, Some(t0));
    let mut flipped = vec![mk("True", "", None)];
    pod::update_last_transition_times(&mut flipped, &previous, t1);
    assert_eq!(flipped[0].last_transition_time, Some(t1));
    assert_eq!(flipped[0].status, ConditionStatus::True);
}

// upstream: pkg/kubelet/kubelet_pods.go generateAPIPodStatus passes
// GeneratePodReadyCondition the conditions generated so far: the pod's own
// (non-kubelet) ones, then the fresh PodReadyToStartContainers and
// Initialized. A gate naming one of those sees the fresh value; a gate
// naming Ready does not exist yet, whatever the old status held.
#[test]
fn readiness_gates_on_kubelet_conditions() {
    let (mut spec, all) = conditions_of("Always", &[], &[("a", "run!")]);
    let now: Time = "2024-01-01T00:05:00Z".parse().unwrap();
    let stale: Vec<Condition> = serde_json::from_value(json!([
        {"type": "PodReadyToStartContainers", "status": "False"},
        {"type": "Initialized", "status": "False"},
        {"type": "Ready", "status": "True"}
    ]))
    .unwrap();
    let ready_of = |spec: &kube_workloads::api::PodSpec, gate: bool| {
        let out = pod::generate_conditions(spec, &stale, Some(&all), &PodPhase::Running, true, gate, now);
        brief(out.iter().find(|c| c.type_ == "Ready").unwrap())
    };
    spec.readiness_gates = Some(
        serde_json::from_value(
            json!([{"conditionType": "PodReadyToStartContainers"}, {"conditionType": "Initialized"}]),
        )
        .unwrap(),
    );
    assert_eq!(ready_of(&spec, true), "Ready True - -");
    // With the gate off, PodReadyToStartContainers is not the kubelet's: the
    // stale one is kept and the gate sees it.
    assert_eq!(
        ready_of(&spec, false),
        "Ready False ReadinessGatesNotReady the status of pod readiness gate \"PodReadyToStartContainers\" is not \"True\", but False"
    );
    spec.readiness_gates = Some(serde_json::from_value(json!([{"conditionType": "Ready"}])).unwrap());
    assert_eq!(
        ready_of(&spec, true),
        "Ready False ReadinessGatesNotReady corresponding condition of pod readiness gate \"Ready\" does not exist."
    );
}

// upstream: pkg/kubelet/types/pod_status.go PodConditionByKubelet: with the
// PodReadyToStartContainersCondition gate off the condition is not the
// kubelet's, so the status manager keeps the API's, time and all, among the
// pod's other conditions.
#[test]
fn ready_to_start_condition_kept_when_the_gate_is_off() {
    let (spec, all) = conditions_of("Always", &[], &[("a", "run!")]);
    let existing: Vec<Condition> = serde_json::from_value(json!([
        {"type": "PodReadyToStartContainers", "status": "True", "lastTransitionTime": "2024-01-01T00:00:00Z"}
    ]))
    .unwrap();
    let now: Time = "2024-01-01T00:05:00Z".parse().unwrap();
    let out = pod::generate_conditions(&spec, &existing, Some(&all), &PodPhase::Running, false, false, now);
    let types: Vec<&str> = out.iter().map(|c| c.type_.as_str()).collect();
    assert_eq!(
        types,
        ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    );
    assert_eq!(out[0], existing[0]);
    assert!(!pod::conditions::is_kubelet_condition_gated("PodReadyToStartContainers", false));
    assert!(pod::conditions::is_kubelet_condition_gated("PodReadyToStartContainers", true));
    assert!(pod::conditions::is_kubelet_condition_gated("Ready", false));
}

// upstream: status_manager.go updateLastTransitionTime copies the old
// condition's time whenever the status is the same, a missing (zero) time
// included; Unknown to False is a change.
#[test]
fn last_transition_time_missing_and_unknown() {
    let now = Time::from_unix(2000);
    let t0 = Time::from_unix(1000);
    let mk = |s: &str, at: Option<Time>| -> Condition {
        let mut c: Condition = serde_json::from_value(json!({"type": "Ready", "status": s})).unwrap();
        c.last_transition_time = at;
        c
    };
    let mut same = vec![mk("True", None)];
    pod::update_last_transition_times(&mut same, &[mk("True", None)], now);
    assert_eq!(same[0].last_transition_time, None);
    let mut from_unknown = vec![mk("False", None)];
    pod::update_last_transition_times(&mut from_unknown, &[mk("Unknown", Some(t0))], now);
    assert_eq!(from_unknown[0].last_transition_time, Some(now));
    // The first condition of the type decides.
    let mut first = vec![mk("True", None)];
    pod::update_last_transition_times(&mut first, &[mk("False", Some(t0)), mk("True", Some(t0))], now);
    assert_eq!(first[0].last_transition_time, Some(now));
}

#[test]
fn generate_conditions_order_and_ownership() {
    let (mut spec, all) = conditions_of("Always", &[], &[("a", "run!")]);
    spec.readiness_gates =
        Some(serde_json::from_value(json!([{"conditionType": "example.com/gate"}])).unwrap());
    let existing: Vec<Condition> = serde_json::from_value(json!([
        {"type": "Ready", "status": "False", "lastTransitionTime": "2024-01-01T00:00:00Z"},
        {"type": "example.com/gate", "status": "True"},
        {"type": "DisruptionTarget", "status": "True", "reason": "EvictionByEvictionAPI"}
    ]))
    .unwrap();
    let now: Time = "2024-01-01T00:05:00Z".parse().unwrap();
    let out = pod::generate_conditions(&spec, &existing, Some(&all), &PodPhase::Running, true, true, now);
    let types: Vec<&str> = out.iter().map(|c| c.type_.as_str()).collect();
    assert_eq!(
        types,
        [
            "example.com/gate",
            "DisruptionTarget",
            "PodReadyToStartContainers",
            "Initialized",
            "Ready",
            "ContainersReady",
            "PodScheduled"
        ]
    );
    let ready = out.iter().find(|c| c.type_ == "Ready").unwrap();
    assert_eq!(ready.status, ConditionStatus::True);
    assert_eq!(ready.last_transition_time, Some(now));
}

// upstream: pkg/api/v1/pod/util.go ContainerShouldRestart and
// findMatchingContainerRestartRule (the first matching rule with action
// Restart restarts; rules count only beside a container policy).
#[test]
fn container_should_restart_table() {
    use kube_workloads::api::{Container, RestartPolicy};
    use kube_workloads::pod::restart::container_should_restart;
    let c = |v: Value| -> Container { serde_json::from_value(v).unwrap() };
    let rule = |action: &str, op: &str, codes: Value| json!({"action": action, "exitCodes": {"operator": op, "values": codes}});
    let cases: Vec<(Container, RestartPolicy, i32, bool)> = vec![
        (c(json!({"name": "a"})), RestartPolicy::Always, 0, true),
        (c(json!({"name": "a"})), RestartPolicy::OnFailure, 0, false),
        (c(json!({"name": "a"})), RestartPolicy::Never, 1, false),
        // Rules without a container policy do not count.
        (
            c(json!({"name": "a", "restartPolicyRules": [rule("Restart", "In", json!([1]))]})),
            RestartPolicy::Never,
            1,
            false,
        ),
        (c(json!({"name": "a", "restartPolicy": "Always"})), RestartPolicy::Never, 0, true),
        (c(json!({"name": "a", "restartPolicy": "OnFailure"})), RestartPolicy::Never, 3, true),
        (c(json!({"name": "a", "restartPolicy": "Never"})), RestartPolicy::Always, 3, false),
        (
            c(
                json!({"name": "a", "restartPolicy": "Never", "restartPolicyRules": [rule("Restart", "In", json!([42]))]}),
            ),
            RestartPolicy::Always,
            42,
            true,
        ),
        (
            c(
                json!({"name": "a", "restartPolicy": "Never", "restartPolicyRules": [rule("Restart", "NotIn", json!([0]))]}),
            ),
            RestartPolicy::Always,
            0,
            false,
        ),
        // The first match decides: an action other than Restart falls back
        // to the container's policy.
        (
            c(json!({"name": "a", "restartPolicy": "Never", "restartPolicyRules": [
                rule("Other", "In", json!([7])), rule("Restart", "In", json!([7]))
            ]})),
            RestartPolicy::Always,
            7,
            false,
        ),
    ];
    for (i, (container, policy, exit, want)) in cases.iter().enumerate() {
        assert_eq!(container_should_restart(container, policy, *exit), *want, "case {i}");
    }
}

// upstream: getPhase with ContainerRestartRules, after KEP-5307's
// TestPodPhaseWithContainerRestartPolicy / ...InitContainers cases: each
// container's own policy decides whether it runs again.
#[test]
fn phase_with_container_restart_policies() {
    use kube_workloads::api::{Container, RestartPolicy};
    use kube_workloads::pod::restart::container_should_restart;
    use kube_workloads::pod::{ContainerView, phase_from_views_with_restarts};
    let c = |policy: Option<&str>| -> Container {
        let mut v = json!({"name": "a"});
        if let Some(p) = policy {
            v["restartPolicy"] = json!(p);
        }
        serde_json::from_value(v).unwrap()
    };
    let exited = |code: i32| ContainerView::Terminated { exit_code: code };
    // (pod policy, app containers as (own policy, exit code), phase)
    type Apps<'a> = Vec<(Option<&'a str>, i32)>;
    let cases: Vec<(RestartPolicy, Apps<'_>, PodPhase)> = vec![
        (RestartPolicy::Always, vec![(Some("Never"), 1)], PodPhase::Failed),
        (RestartPolicy::Always, vec![(Some("OnFailure"), 1)], PodPhase::Running),
        (RestartPolicy::Never, vec![(Some("Always"), 0), (None, 1)], PodPhase::Running),
        (RestartPolicy::Always, vec![(Some("Never"), 1), (Some("OnFailure"), 0)], PodPhase::Failed),
        (RestartPolicy::Always, vec![(Some("Never"), 0), (Some("OnFailure"), 0)], PodPhase::Succeeded),
        // Without container policies, the pod's decides as before.
        (RestartPolicy::Always, vec![(None, 0)], PodPhase::Running),
        (RestartPolicy::OnFailure, vec![(None, 0)], PodPhase::Succeeded),
    ];
    for (policy, apps, want) in cases {
        let regular: Vec<(Option<ContainerView>, bool)> = apps
            .iter()
            .map(|(own, exit)| (Some(exited(*exit)), container_should_restart(&c(*own), &policy, *exit)))
            .collect();
        let got = phase_from_views_with_restarts(&policy, Vec::new(), regular, false, true);
        assert_eq!(got, want, "{policy:?} {apps:?}");
    }
    // A failed plain init container: ContainerShouldRestart on its exit
    // code decides (its own policy, else the pod's).
    let init_failed = |restarted: bool| {
        phase_from_views_with_restarts(
            &RestartPolicy::Always,
            vec![(false, Some(exited(1)), restarted)],
            vec![(Some(ContainerView::Waiting), false)],
            false,
            false,
        )
    };
    assert_eq!(init_failed(false), PodPhase::Failed, "init Never in an Always pod");
    assert_eq!(init_failed(true), PodPhase::Pending, "init OnFailure restarts");
}

// upstream: pkg/kubelet/kubelet_pods.go getPhase as of 1.35, its
// ContainerRestartRules branches (failedInitializationNotRestartable,
// stoppedNotRestartable): every stopped container, a failed plain init
// container included, is asked ContainerShouldRestart with its exit code,
// rules and all. With the gate off the pod's policy decides, as before.
#[test]
fn get_phase_with_gates_asks_each_stopped_container() {
    use kube_workloads::FeatureGates;
    use kube_workloads::pod::get_phase_with_gates;
    let rule42 = json!([{"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}]);
    let terminated = |name: &str, code: i32| {
        json!({"name": name, "ready": false, "restartCount": 0, "image": "", "imageID": "",
               "state": {"terminated": {"exitCode": code}}})
    };
    let crash_looping = |name: &str, code: i32| {
        json!({"name": name, "ready": false, "restartCount": 1, "image": "", "imageID": "",
               "state": {"waiting": {"reason": "CrashLoopBackOff"}},
               "lastState": {"terminated": {"exitCode": code}}})
    };
    let waiting = |name: &str| {
        json!({"name": name, "ready": false, "restartCount": 0, "image": "", "imageID": "",
               "state": {"waiting": {"reason": "PodInitializing"}}})
    };
    // (case, spec, init statuses, app statuses, phase with the gate on, off)
    let cases = vec![
        (
            "an init container's rule restarts exit 42 although its policy is Never",
            json!({"restartPolicy": "Never",
                   "initContainers": [{"name": "i", "restartPolicy": "Never", "restartPolicyRules": rule42}],
                   "containers": [{"name": "a"}]}),
            vec![terminated("i", 42)],
            vec![waiting("a")],
            PodPhase::Pending,
            PodPhase::Failed,
        ),
        (
            "the same rule does not match exit 1",
            json!({"restartPolicy": "Never",
                   "initContainers": [{"name": "i", "restartPolicy": "Never", "restartPolicyRules": rule42}],
                   "containers": [{"name": "a"}]}),
            vec![crash_looping("i", 1)],
            vec![waiting("a")],
            PodPhase::Failed,
            PodPhase::Failed,
        ),
        (
            "an init container that never restarts, in a pod that always does",
            json!({"restartPolicy": "Always", "initContainers": [{"name": "i", "restartPolicy": "Never"}],
                   "containers": [{"name": "a"}]}),
            vec![terminated("i", 1)],
            vec![waiting("a")],
            PodPhase::Failed,
            PodPhase::Pending,
        ),
        (
            "an app container restarting on failure in a Never pod",
            json!({"restartPolicy": "Never", "containers": [{"name": "a", "restartPolicy": "OnFailure"}]}),
            vec![],
            vec![crash_looping("a", 1)],
            PodPhase::Running,
            PodPhase::Failed,
        ),
        (
            "an app container's rule restarts exit 42 in a Never pod",
            json!({"restartPolicy": "Never", "containers": [
                {"name": "a", "restartPolicy": "Never", "restartPolicyRules": rule42},
                {"name": "b"}]}),
            vec![],
            vec![terminated("a", 42), terminated("b", 0)],
            PodPhase::Running,
            PodPhase::Failed,
        ),
        (
            "every app container stopped for good, all succeeded",
            json!({"restartPolicy": "Always", "containers": [{"name": "a", "restartPolicy": "Never"}]}),
            vec![],
            vec![terminated("a", 0)],
            PodPhase::Succeeded,
            PodPhase::Running,
        ),
    ];
    for (name, spec, init, apps, on, off) in cases {
        let spec: PodSpec = serde_json::from_value(spec).unwrap();
        let status: PodStatus =
            serde_json::from_value(json!({"initContainerStatuses": init, "containerStatuses": apps}))
                .unwrap();
        let mut gates = FeatureGates::default();
        gates.container_restart_rules = true;
        assert_eq!(get_phase_with_gates(&spec, &status, false, false, &gates), on, "{name}, gate on");
        gates.container_restart_rules = false;
        assert_eq!(get_phase_with_gates(&spec, &status, false, false, &gates), off, "{name}, gate off");
        assert_eq!(get_phase(&spec, &status, false, false), off, "{name}, get_phase");
    }
}
