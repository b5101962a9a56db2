//! What the kubelet starts and kills from a given state: tables in the
//! spirit of upstream's computePodActions tests, restated for the state
//! machine (each case drives a pod to a state with events, then checks the
//! commands of the last step).
//!
//! upstream: pkg/kubelet/kuberuntime/kuberuntime_manager_test.go
//! (TestComputePodActions, TestComputePodActionsWithInitContainers,
//! TestComputePodActionsWithRestartableInitContainers),
//! pkg/kubelet/container/helpers_test.go (TestShouldContainerBeRestarted).

mod kubelet_support;

use kube_workloads::api::Time;
use kube_workloads::kubelet::{
    Command, Event, HookKind, HookOutcome, KubeletConfig, PodLifecycle, ProbeKind,
};
use kubelet_support::{Drive, pod};
use serde_json::{Value, json};

fn three(policy: &str) -> Value {
    json!({"restartPolicy": policy, "containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]})
}

// upstream: kuberuntime_manager_test.go: TestComputePodActions "start pod sandbox and all containers for a new pod"
#[test]
fn new_pod_creates_sandbox_then_starts_all_containers() {
    let mut d = Drive::new(three("Always"));
    d.expect(&["create sandbox"]);
    d.sandbox().expect(&["start a#0", "start b#0", "start c#0"]);
}

// upstream: TestComputePodActions "restart exited containers if RestartPolicy == Always"
// and TestShouldContainerBeRestarted
#[test]
fn exited_container_per_policy() {
    for (policy, code, want) in [
        ("Always", 0, &["start b#1"][..]),
        ("Always", 1, &["start b#1"]),
        ("OnFailure", 1, &["start b#1"]),
        ("OnFailure", 0, &[]),
        ("Never", 1, &[]),
        ("Never", 0, &[]),
    ] {
        let mut d = Drive::new(three(policy));
        d.sandbox().started(0, "a").started(0, "b").started(0, "c");
        d.exited(5, "b", code).expect(want);
    }
}

// upstream: TestComputePodActions "kill the pod if all containers exited except ... and policy Never"
#[test]
fn never_pod_is_killed_when_nothing_will_run() {
    let mut d = Drive::new(json!({"restartPolicy": "Never", "containers": [{"name": "a"}, {"name": "b"}]}));
    d.sandbox().started(0, "a").started(0, "b").exited(3, "a", 0);
    d.expect(&[]);
    d.exited(4, "b", 1).expect(&["kill sandbox"]);
    assert_eq!(d.pl.status().phase.unwrap().as_str(), "Failed");
}

// upstream: TestComputePodActions "Kill and recreate the container if the liveness check has failed"
#[test]
fn liveness_failure_kills_and_restarts() {
    let spec = json!({"containers": [{"name": "a", "livenessProbe": {"exec": {"command": ["x"]}, "failureThreshold": 1}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").expect(&[]);
    d.tick(0).expect(&["probe liveness a#0 (timeout 1s)"]);
    d.probe(0, "a", 0, ProbeKind::Liveness, false)
        .expect(&["stop a#0 with 30s grace: Container a failed liveness probe, will be restarted"]);
    // PL-8.3: no earlier exit, so the restart is immediate after the kill.
    d.exited(1, "a", 143).expect(&["start a#1"]);
}

// upstream: TestComputePodActions "Kill ... liveness failed" under Never: no
// restart, and with nothing kept or started computePodActions sets KillPod,
// which SyncPod carries out instead of the probe kill: the pod's grace
// (not the probe's) and killContainer's "Stopping container" message.
#[test]
fn liveness_failure_under_never_kills_without_restart() {
    let spec = json!({"restartPolicy": "Never",
        "containers": [{"name": "a", "livenessProbe": {"exec": {"command": ["x"]}, "failureThreshold": 1,
                                                       "terminationGracePeriodSeconds": 5}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").tick(0);
    d.probe(0, "a", 0, ProbeKind::Liveness, false).expect(&["stop a#0 with 30s grace: Stopping container a"]);
    d.exited(1, "a", 143).expect(&["kill sandbox"]);
}

// upstream: TestComputePodActionsWithInitContainers
#[test]
fn init_containers_run_one_at_a_time() {
    let spec = json!({"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "a"}, {"name": "b"}]});
    let mut d = Drive::new(spec);
    d.sandbox().expect(&["start i1#0"]);
    // "an init container is still running; do nothing"
    d.started(0, "i1").expect(&[]);
    // "the first init container has completed; start the next one"
    d.exited(2, "i1", 0).expect(&["start i2#0"]);
    // "an init container failed; restart it" (Always)
    d.started(2, "i2").exited(3, "i2", 1).expect(&["start i2#1"]);
    d.started(3, "i2").exited(4, "i2", 1).expect(&[]);
    d.tick(14).expect(&["start i2#2"]);
    // "initialization completed; start all containers"
    d.started(14, "i2").exited(15, "i2", 0).expect(&["start a#0", "start b#0"]);
}

// upstream: TestComputePodActionsWithInitContainers "init container failed with RestartPolicy == Never; kill pod"
#[test]
fn failed_init_container_under_never_kills_the_pod() {
    let spec =
        json!({"restartPolicy": "Never", "initContainers": [{"name": "i1"}], "containers": [{"name": "a"}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "i1").exited(1, "i1", 1).expect(&["kill sandbox"]);
    assert_eq!(d.pl.status().phase.unwrap().as_str(), "Failed");
}

// upstream: kuberuntime_utils.go isInitContainerFailed: an init container
// the runtime reports OOMKilled failed, whatever its exit code.
#[test]
fn an_oom_killed_init_container_that_exited_zero_failed() {
    let spec = json!({"initContainers": [{"name": "i1"}], "containers": [{"name": "a"}]});
    let oom = |d: &mut Drive, t: i64| {
        d.ev(
            t,
            Event::ContainerExited {
                container: "i1".into(),
                exit_code: 0,
                reason: Some("OOMKilled".into()),
                message: None,
            },
        );
    };
    // Always: restarted, not counted as done.
    let mut d = Drive::new(spec.clone());
    d.sandbox().started(0, "i1");
    oom(&mut d, 1);
    d.expect(&["start i1#1"]);
    // Never: the pod is killed.
    let mut spec = spec;
    spec["restartPolicy"] = json!("Never");
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "i1");
    oom(&mut d, 1);
    d.expect(&["kill sandbox"]);
}

// upstream: TestComputePodActionsWithRestartableInitContainers
#[test]
fn sidecar_startup_probe_gates_the_next_init_container() {
    let spec = json!({
        "initContainers": [
            {"name": "s1", "restartPolicy": "Always", "startupProbe": {"exec": {"command": ["x"]}, "failureThreshold": 1}},
            {"name": "i2"}
        ],
        "containers": [{"name": "a"}]
    });
    let mut d = Drive::new(spec);
    d.sandbox().expect(&["start s1#0"]);
    // "the startup probe has not been run yet; wait"
    d.started(0, "s1").expect(&[]);
    d.tick(0).expect(&["probe startup s1#0 (timeout 1s)"]);
    // "startup probe failed; restart the sidecar" (whatever the pod policy);
    // computeInitContainerActions' kill message has no ", will be
    // restarted" (only computePodActions' regular containers get it).
    d.probe(0, "s1", 0, ProbeKind::Startup, false)
        .expect(&["stop s1#0 with 30s grace: Init container s1 failed startup probe"]);
    d.exited(1, "s1", 143).expect(&["start s1#1"]);
    d.started(1, "s1").tick(1).expect(&["probe startup s1#1 (timeout 1s)"]);
    // "the sidecar has started; start the next init container"
    d.probe(1, "s1", 1, ProbeKind::Startup, true).expect(&["start i2#0"]);
    d.started(1, "i2").exited(2, "i2", 0).expect(&["start a#0"]);
    // a sidecar that exits after initialization is restarted (back-off applies)
    d.started(2, "a").exited(3, "s1", 1).expect(&["start s1#2"]);
}

#[test]
fn sidecar_restarts_even_under_never() {
    let spec = json!({"restartPolicy": "Never", "initContainers": [{"name": "s", "restartPolicy": "Always"}],
        "containers": [{"name": "a"}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "s").expect(&["start a#0"]);
    d.started(0, "a").exited(5, "s", 0).expect(&["start s#1"]);
}

// PL-10.1: postStart runs right after start; the container is not running until it returns.
#[test]
fn post_start_blocks_running() {
    let spec = json!({"containers": [{"name": "a", "lifecycle": {"postStart": {"httpGet": {"port": 80}}}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").expect(&["run postStart hook in a#0"]);
    assert_eq!(d.pl.status().phase.unwrap().as_str(), "Pending");
    let ok = Event::HookFinished {
        container: "a".into(),
        attempt: 0,
        hook: HookKind::PostStart,
        outcome: HookOutcome::Success,
    };
    d.ev(3, ok);
    let status = d.pl.status();
    assert_eq!(status.phase.as_ref().unwrap().as_str(), "Running");
    // startedAt is the runtime start, before the hook
    let running = status.container_statuses()[0].state.as_ref().unwrap().running.as_ref().unwrap().clone();
    assert_eq!(running.started_at, Some(Time::from_unix(0)));
}

// PL-10.1 (upstream: SyncPod starts the containers in order, and
// startContainer runs the postStart hook before it returns): the containers
// after one whose hook runs start once it returns, success or failure; one
// before it started already.
#[test]
fn post_start_holds_back_the_later_containers() {
    let spec = json!({"containers": [
        {"name": "a"},
        {"name": "b", "lifecycle": {"postStart": {"exec": {"command": ["wait-for-proxy"]}}}},
        {"name": "c"}]});
    let finished = |outcome: HookOutcome| Event::HookFinished {
        container: "b".into(),
        attempt: 0,
        hook: HookKind::PostStart,
        outcome,
    };
    let mut d = Drive::new(spec.clone());
    d.sandbox().expect(&["start a#0", "start b#0"]);
    d.started(0, "a").expect(&[]);
    d.started(0, "b").expect(&["run postStart hook in b#0"]);
    d.ev(30, finished(HookOutcome::Success)).expect(&["start c#0"]);
    // A failed hook kills its container (startContainer waits for the
    // kill), then the next one starts all the same.
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").started(0, "b");
    d.ev(5, finished(HookOutcome::Failure("command exited with 1".into())));
    d.expect(&["stop b#0 with 30s grace: FailedPostStartHook"]);
    d.exited(6, "b", 137);
    d.expect(&["start c#0", "start b#1"]);
}

// PL-9.4: deletion grace beats the probe's grace, which beats the pod's.
#[test]
fn kill_grace_precedence() {
    let spec = |probe_grace: Option<i64>| {
        let mut probe = json!({"exec": {"command": ["x"]}, "failureThreshold": 1});
        if let Some(g) = probe_grace {
            probe["terminationGracePeriodSeconds"] = json!(g);
        }
        json!({"terminationGracePeriodSeconds": 60, "containers": [{"name": "a", "livenessProbe": probe}]})
    };
    let mut d = Drive::new(spec(Some(7)));
    d.sandbox().started(0, "a").tick(0).probe(0, "a", 0, ProbeKind::Liveness, false);
    assert!(d.last[0].contains("with 7s grace"), "{:?}", d.last);
    let mut d = Drive::new(spec(None));
    d.sandbox().started(0, "a").tick(0).probe(0, "a", 0, ProbeKind::Liveness, false);
    assert!(d.last[0].contains("with 60s grace"), "{:?}", d.last);
    // deletion grace wins (and liveness stops: use a startup-free readiness-free pod)
    let mut d = Drive::new(spec(Some(7)));
    d.sandbox().started(0, "a").ev(1, Event::DeletionRequested { grace_period_seconds: Some(15) });
    d.expect(&["stop a#0 with 15s grace: Stopping container a"]);
}

// PL-11.2: the effective grace can only shrink; never below 1.
#[test]
fn second_deletion_shrinks_grace() {
    let mut d = Drive::new(json!({"containers": [{"name": "a"}]}));
    d.sandbox().started(0, "a").ev(0, Event::DeletionRequested { grace_period_seconds: Some(30) });
    d.expect(&["stop a#0 with 30s grace: Stopping container a"]);
    d.ev(5, Event::DeletionRequested { grace_period_seconds: Some(1) });
    // the forced kill moves up to now + max(1, 2)
    assert_eq!(d.pl.poll_timeout(), Some(Time::from_unix(7)));
    d.tick(7).expect(&["kill a#0 (grace period over)"]);
}

// PL-7.3 step 6 / PL-7.8: liveness stops at deletion, readiness keeps going.
#[test]
fn deletion_stops_liveness_but_not_readiness() {
    let spec = json!({"terminationGracePeriodSeconds": 100, "containers": [{"name": "a",
        "lifecycle": {"preStop": {"sleep": {"seconds": 50}}},
        "livenessProbe": {"exec": {"command": ["x"]}},
        "readinessProbe": {"exec": {"command": ["x"]}}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").tick(0);
    d.expect(&["probe liveness a#0 (timeout 1s)", "probe readiness a#0 (timeout 1s)"]);
    d.probe(0, "a", 0, ProbeKind::Liveness, true).probe(0, "a", 0, ProbeKind::Readiness, true);
    d.ev(5, Event::DeletionRequested { grace_period_seconds: None });
    d.expect(&["run preStop hook in a#0 (at most 100s)"]);
    d.tick(10).expect(&["probe readiness a#0 (timeout 1s)"]);
}

// upstream: kubelet.go SyncTerminatingPod writes the pod's status, then
// stops the liveness and startup workers (StopLivenessAndStartup) and
// blocks in killPod: no status is generated again while the containers
// stop, so a container whose startup probe had not passed stays not started
// in the status the readiness worker reads (worker.go doProbe skips a
// container that is not started), and it is never probed ready.
#[test]
fn deletion_before_startup_passed_leaves_the_container_not_started() {
    let spec = json!({"terminationGracePeriodSeconds": 100, "containers": [{"name": "a",
        "lifecycle": {"preStop": {"sleep": {"seconds": 50}}},
        "startupProbe": {"exec": {"command": ["x"]}, "periodSeconds": 10, "failureThreshold": 30},
        "readinessProbe": {"exec": {"command": ["x"]}, "periodSeconds": 5}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").tick(0);
    d.expect(&["probe startup a#0 (timeout 1s)"]);
    d.probe(0, "a", 0, ProbeKind::Startup, false);
    d.ev(3, Event::DeletionRequested { grace_period_seconds: None });
    d.expect(&["run preStop hook in a#0 (at most 100s)"]);
    for t in [3, 8, 13, 30] {
        d.tick(t);
        assert!(!d.last.iter().any(|c| c.contains("probe")), "t={t}: {:?}", d.last);
    }
    let status = d.pl.status();
    let cs = status.container_statuses().first().cloned().unwrap_or_default();
    assert_eq!((cs.started, cs.ready), (Some(false), false));
}

// upstream: kubelet_pods.go generateAPIPodStatus runs the active-deadline
// handler (ShouldEvict) on every status, the final one after termination
// included: a deadline that passes while the pod terminates fails it.
#[test]
fn a_deadline_passing_during_termination_fails_the_pod() {
    let spec = |deadline: i64| json!({"activeDeadlineSeconds": deadline, "containers": [{"name": "a"}]});
    let mut d = Drive::new(spec(60));
    d.sandbox().started(0, "a").ev(50, Event::DeletionRequested { grace_period_seconds: Some(30) });
    d.exited(65, "a", 0);
    let status = d.pl.status();
    assert_eq!(status.phase.map(|p| p.as_str().to_owned()).as_deref(), Some("Failed"));
    assert_eq!(status.reason.as_deref(), Some("DeadlineExceeded"));
    // Before the deadline, the same exit is a success.
    let mut d = Drive::new(spec(100));
    d.sandbox().started(0, "a").ev(50, Event::DeletionRequested { grace_period_seconds: Some(30) });
    d.exited(65, "a", 0);
    assert_eq!(d.pl.status().phase.map(|p| p.as_str().to_owned()).as_deref(), Some("Succeeded"));
}

// PL-5.5 / PL-5.1: statuses: init in spec order, regular sorted by name, default reasons.
#[test]
fn status_lists_and_default_reasons() {
    let spec = json!({"initContainers": [{"name": "z-init"}, {"name": "a-init"}],
        "containers": [{"name": "web"}, {"name": "api"}]});
    let d = Drive::new(spec);
    let status = d.pl.status();
    let init: Vec<&str> = status.init_container_statuses().iter().map(|s| s.name.as_str()).collect();
    let regular: Vec<&str> = status.container_statuses().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(init, ["z-init", "a-init"]);
    assert_eq!(regular, ["api", "web"]);
    for s in status.init_container_statuses().iter().chain(status.container_statuses()) {
        let waiting = s.state.as_ref().unwrap().waiting.as_ref().unwrap();
        assert_eq!(waiting.reason.as_deref(), Some("PodInitializing"));
    }
    assert_eq!(status.phase.unwrap().as_str(), "Pending");
}

// PL-4.5: a pod whose API phase is terminal is never started again.
#[test]
fn terminal_pod_stays_terminal() {
    let mut p = pod(json!({"containers": [{"name": "a"}]}));
    p.status = Some(serde_json::from_value(json!({"phase": "Succeeded"})).unwrap());
    let mut pl = PodLifecycle::new(&p, Time::from_unix(0), KubeletConfig::default());
    assert_eq!(pl.poll_command(), None::<Command>);
    pl.handle(Event::SandboxReady { pod_ip: None }, Time::from_unix(1));
    assert_eq!(pl.poll_command(), None);
    assert_eq!(pl.status().phase.unwrap().as_str(), "Succeeded");
}

// upstream: SyncTerminatedPod generates the status from the API's, and
// convertToAPIContainerStatuses keeps a terminated container's status and
// carries the others' restartCount and lastState: a pod built from a Failed
// status shows its containers' exits, and its conditions follow them (the
// init container that exited 0 leaves the pod Initialized).
#[test]
fn terminal_pod_keeps_its_container_statuses() {
    let mut p = pod(json!({"restartPolicy": "Never", "initContainers": [{"name": "init"}],
        "containers": [{"name": "app"}, {"name": "never"}]}));
    p.status = Some(
        serde_json::from_value(json!({"phase": "Failed",
            "initContainerStatuses": [{"name": "init", "ready": true, "restartCount": 0, "image": "",
                "state": {"terminated": {"exitCode": 0, "reason": "Completed",
                    "startedAt": "1970-01-01T00:00:01Z", "finishedAt": "1970-01-01T00:00:02Z"}}}],
            "containerStatuses": [
                {"name": "app", "ready": false, "restartCount": 2, "image": "",
                 "state": {"terminated": {"exitCode": 1, "reason": "Error", "message": "boom",
                    "startedAt": "1970-01-01T00:00:03Z", "finishedAt": "1970-01-01T00:00:09Z"}},
                 "lastState": {"terminated": {"exitCode": 137, "reason": "OOMKilled",
                    "finishedAt": "1970-01-01T00:00:03Z"}}},
                {"name": "never", "ready": false, "restartCount": 1, "image": "",
                 "state": {"waiting": {"reason": "ContainerCreating"}},
                 "lastState": {"terminated": {"exitCode": 2}}}]}))
        .unwrap(),
    );
    let pl = PodLifecycle::new(&p, Time::from_unix(20), KubeletConfig::default());
    let status = pl.status();
    let init = &status.init_container_statuses()[0];
    let done = init.state.as_ref().unwrap().terminated.as_ref().unwrap();
    assert_eq!((done.exit_code, done.reason.as_deref()), (0, Some("Completed")));
    assert!(init.ready);
    let by_name = |n: &str| status.container_statuses().iter().find(|s| s.name == n).unwrap();
    let app = by_name("app");
    let t = app.state.as_ref().unwrap().terminated.as_ref().unwrap();
    assert_eq!((t.exit_code, t.message.as_deref()), (1, Some("boom")));
    assert_eq!(t.finished_at, Some(Time::from_unix(9)));
    assert_eq!(app.restart_count, 2);
    let last = app.last_state.as_ref().unwrap().terminated.as_ref().unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref(), last.started_at), (137, Some("OOMKilled"), None));
    // Not terminated: the default waiting state, with the count and the
    // last termination carried (its missing reason read as an exit's).
    let never = by_name("never");
    let waiting = never.state.as_ref().unwrap().waiting.as_ref().unwrap();
    assert_eq!(waiting.reason.as_deref(), Some("PodInitializing"));
    assert_eq!(never.restart_count, 1);
    let last = never.last_state.as_ref().unwrap().terminated.as_ref().unwrap();
    assert_eq!((last.exit_code, last.reason.as_deref(), last.finished_at), (2, Some("Error"), None));
    let initialized =
        status.conditions.as_deref().unwrap().iter().find(|c| c.type_ == "Initialized").unwrap();
    assert_eq!(initialized.status.as_str(), "True");
    assert_eq!(status.phase.unwrap().as_str(), "Failed");
}

// PodObservedGenerationTracking (beta, on): status and kubelet conditions carry the generation.
#[test]
fn observed_generation() {
    let mut p = pod(json!({"containers": [{"name": "a"}]}));
    p.metadata.generation = Some(4);
    let pl = PodLifecycle::new(&p, Time::from_unix(0), KubeletConfig::default());
    let status = pl.status();
    assert_eq!(status.observed_generation, Some(4));
    assert!(status.conditions.unwrap().iter().all(|c| c.observed_generation == Some(4)));
}

// upstream: generateAPIPodStatus reads the pod's current generation, so a
// raised one (a spec update, a deletion's bump) shows in the next status;
// with PodObservedGenerationTracking off nothing is stamped.
#[test]
fn a_raised_generation_shows_in_the_next_status() {
    let mut p = pod(json!({"containers": [{"name": "a"}]}));
    p.metadata.generation = Some(1);
    let mut pl = PodLifecycle::new(&p, Time::from_unix(0), KubeletConfig::default());
    pl.handle(Event::GenerationChanged { generation: 2 }, Time::from_unix(1));
    let status = pl.status();
    assert_eq!(status.observed_generation, Some(2));
    assert!(status.conditions.unwrap().iter().all(|c| c.observed_generation == Some(2)));
    let mut off = KubeletConfig::default();
    off.features.pod_observed_generation_tracking = false;
    let mut pl = PodLifecycle::new(&p, Time::from_unix(0), off.clone());
    pl.handle(Event::GenerationChanged { generation: 2 }, Time::from_unix(1));
    let status = pl.status();
    assert_eq!(status.observed_generation, None);
    assert!(status.conditions.unwrap().iter().all(|c| c.observed_generation.is_none()));
    // upstream: CalculatePodStatusObservedGeneration and
    // CalculatePodConditionObservedGeneration keep reporting the generation,
    // gate off, where the pod's status already showed a non-zero one.
    p.status = serde_json::from_value(json!({"observedGeneration": 1,
        "conditions": [{"type": "Ready", "status": "False", "observedGeneration": 1}]}))
    .unwrap();
    let mut pl = PodLifecycle::new(&p, Time::from_unix(0), off);
    pl.handle(Event::GenerationChanged { generation: 2 }, Time::from_unix(1));
    let status = pl.status();
    assert_eq!(status.observed_generation, Some(2));
    for c in status.conditions.unwrap() {
        let want = (c.type_ == "Ready").then_some(2);
        assert_eq!(c.observed_generation, want, "{}", c.type_);
    }
}

// upstream: generateAPIPodStatus keeps the pod's reason and message only
// while the phase stays the one they came with.
#[test]
fn reason_and_message_last_only_while_the_phase_stays() {
    let mut p = pod(json!({"containers": [{"name": "a"}]}));
    p.status = serde_json::from_value(json!({"phase": "Pending", "reason": "X", "message": "Y"})).unwrap();
    let mut d = Drive::of_pod(&p, KubeletConfig::default());
    let status = d.pl.status();
    assert_eq!((status.reason.as_deref(), status.message.as_deref()), (Some("X"), Some("Y")));
    d.sandbox().started(1, "a");
    let status = d.pl.status();
    assert_eq!(status.phase.as_ref().map(|p| p.as_str()), Some("Running"));
    assert_eq!((status.reason, status.message), (None, None));
}

// upstream (1.34+): evictPod stamps the DisruptionTarget condition with
// CalculatePodConditionObservedGeneration, the pod's generation.
#[test]
fn the_kubelets_disruption_target_carries_the_generation() {
    let mut p = pod(json!({"containers": [{"name": "a"}]}));
    p.metadata.generation = Some(4);
    let mut d = Drive::of_pod(&p, KubeletConfig::default());
    d.sandbox().started(1, "a");
    d.ev(
        2,
        Event::Evicted {
            reason: "Evicted".into(),
            message: "low".into(),
            grace_period_override_seconds: Some(0),
        },
    );
    d.exited(3, "a", 137);
    d.tick(4);
    let status = d.pl.status();
    let dt =
        status.conditions.as_ref().and_then(|c| c.iter().find(|c| c.type_ == "DisruptionTarget")).cloned();
    assert_eq!(dt.and_then(|c| c.observed_generation), Some(4), "{status:?}");
}

// upstream: convertToAPIContainerStatuses skips the back-off reason for an
// init container whose last run exited 0, a sidecar included: in back-off
// it shows that exit, not CrashLoopBackOff (a non-zero exit does).
#[test]
fn a_sidecar_that_exited_zero_shows_its_exit_during_back_off() {
    for (code, waiting) in [(0, None), (1, Some("CrashLoopBackOff"))] {
        let mut d = Drive::new(json!({"initContainers": [{"name": "log", "restartPolicy": "Always"}],
                                      "containers": [{"name": "app"}]}));
        d.sandbox().started(0, "log").started(0, "app");
        d.exited(5, "log", code).expect(&["start log#1"]);
        d.started(5, "log");
        d.exited(6, "log", code).expect(&[]);
        let status = d.pl.status();
        let log = status.init_container_statuses.as_ref().and_then(|s| s.first()).cloned().unwrap();
        let state = log.state.clone().unwrap();
        assert_eq!(state.waiting.as_ref().and_then(|w| w.reason.as_deref()), waiting, "exit {code}: {log:?}");
        if waiting.is_none() {
            let t = state.terminated.expect("shows the exit");
            assert_eq!((t.exit_code, t.finished_at), (0, Some(Time::from_unix(6))));
        }
        let last = log.last_state.and_then(|s| s.terminated).expect("the exit before");
        assert_eq!(last.finished_at, Some(Time::from_unix(if code == 0 { 5 } else { 6 })), "exit {code}");
    }
}

// upstream (1.33+): PodConditionsByKubelet includes the resize conditions,
// so the kubelet drops a copy it does not generate instead of keeping it
// as another actor's.
#[test]
fn resize_conditions_are_the_kubelets() {
    let mut p = pod(json!({"containers": [{"name": "a"}]}));
    p.status = serde_json::from_value(json!({"phase": "Running", "conditions": [
        {"type": "PodResizePending", "status": "True", "reason": "Deferred"},
        {"type": "example.com/gate", "status": "True"}]}))
    .unwrap();
    let pl = PodLifecycle::new(&p, Time::from_unix(0), KubeletConfig::default());
    let types: Vec<String> =
        pl.status().conditions.unwrap_or_default().into_iter().map(|c| c.type_).collect();
    assert!(!types.iter().any(|t| t == "PodResizePending"), "{types:?}");
    assert!(types.iter().any(|t| t == "example.com/gate"), "{types:?}");
}

// A failed sandbox creation is retried after the pod worker's back-off (10 s).
#[test]
fn sandbox_creation_is_retried() {
    let mut d = Drive::new(json!({"containers": [{"name": "a"}]}));
    d.expect(&["create sandbox"]);
    d.ev(0, Event::SandboxCreateFailed { message: "cni not ready".into() }).expect(&[]);
    assert_eq!(d.pl.poll_timeout(), Some(Time::from_unix(10)));
    d.tick(10).expect(&["create sandbox"]);
    let status = d.pl.status();
    let cond =
        status.conditions.as_ref().unwrap().iter().find(|c| c.type_ == "PodReadyToStartContainers").unwrap();
    assert_eq!(cond.status.as_str(), "False");
    d.sandbox().expect(&["start a#0"]);
}

// PL-8.3: a probe kill decides back-off before the kill, from the previous
// exit: long enough ago → restart right after the kill; too recent → the
// container waits in CrashLoopBackOff after it exits.
// upstream: kuberuntime_manager.go: SyncPod, doBackOff
#[test]
fn probe_kill_back_off_uses_the_previous_exit() {
    let spec = json!({"containers": [{"name": "a",
        "livenessProbe": {"exec": {"command": ["x"]}, "periodSeconds": 1, "failureThreshold": 1}}]});
    for (kill_at, want_after_exit) in [(20, &["start a#2"][..]), (8, &[])] {
        let mut d = Drive::new(spec.clone());
        d.sandbox().started(0, "a");
        // first crash at t=5: restarted at once (no back-off yet; entry 10 s from t=5)
        d.exited(5, "a", 1).expect(&["start a#1"]);
        d.started(5, "a");
        d.tick(kill_at).expect(&["probe liveness a#1 (timeout 1s)"]);
        d.probe(kill_at, "a", 1, ProbeKind::Liveness, false)
            .expect(&["stop a#1 with 30s grace: Container a failed liveness probe, will be restarted"]);
        d.exited(kill_at + 1, "a", 137).expect(want_after_exit);
        if want_after_exit.is_empty() {
            let status = d.pl.status();
            let waiting = status.container_statuses()[0].state.as_ref().unwrap().waiting.clone().unwrap();
            assert_eq!(waiting.reason.as_deref(), Some("CrashLoopBackOff"));
            assert_eq!(
                waiting.message.as_deref(),
                Some("back-off 10s restarting failed container=a pod=p_ns(u)")
            );
            // exit at 9 + 10 s
            assert_eq!(d.pl.poll_timeout(), Some(Time::from_unix(19)));
            d.tick(19).expect(&["start a#2"]);
        }
    }
}

// upstream: SyncPod kills synchronously (killContainer returns when the
// container has stopped), then doBackOff weighs the previous instance's exit
// against the clock after the kill. A kill decided inside the back-off that
// takes long enough to leave it restarts at once.
#[test]
fn probe_kill_back_off_is_weighed_when_the_kill_returns() {
    let spec = json!({"containers": [{"name": "a",
        "livenessProbe": {"exec": {"command": ["x"]}, "periodSeconds": 1, "failureThreshold": 1}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a");
    // first crash at t=5: restarted at once; back-off 10 s from t=5
    d.exited(5, "a", 1).expect(&["start a#1"]);
    d.started(5, "a");
    d.tick(12).expect(&["probe liveness a#1 (timeout 1s)"]);
    // killed at 12, inside the back-off (until 15)...
    d.probe(12, "a", 1, ProbeKind::Liveness, false)
        .expect(&["stop a#1 with 30s grace: Container a failed liveness probe, will be restarted"]);
    // ...stopped at 16, past it: restarted now.
    d.exited(16, "a", 137).expect(&["start a#2"]);
}

// OnFailure restarts a liveness-killed container (a kill is a failure).
#[test]
fn liveness_kill_restarts_under_on_failure() {
    let spec = json!({"restartPolicy": "OnFailure", "containers": [{"name": "a",
        "livenessProbe": {"exec": {"command": ["x"]}, "failureThreshold": 1}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").tick(0);
    d.probe(0, "a", 0, ProbeKind::Liveness, false)
        .expect(&["stop a#0 with 30s grace: Container a failed liveness probe, will be restarted"]);
    d.exited(1, "a", 137).expect(&["start a#1"]);
}

// upstream: convertToAPIContainerStatuses. Every status lists the spec's
// mounts (RecursiveReadOnlyMounts): a read-only one with its recursive
// mode, Enabled only when asked for and the runtime supports it; a
// container the runtime has shows its allocated requests and resources
// (InPlacePodVerticalScaling); the pod shows its QoS class (GetPodQOS).
#[test]
fn container_status_mounts_resources_and_qos() {
    let spec = json!({"containers": [
        {"name": "a", "image": "i",
         "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
         "volumeMounts": [
            {"name": "token", "mountPath": "/var/run/secrets", "readOnly": true},
            {"name": "data", "mountPath": "/data"},
            {"name": "ro", "mountPath": "/ro", "readOnly": true, "recursiveReadOnly": "IfPossible"}]},
        {"name": "b", "image": "i"}]});
    let statuses = |config: KubeletConfig, start: bool| {
        let mut pl = PodLifecycle::new(&pod(spec.clone()), Time::from_unix(0), config);
        pl.handle(Event::SandboxReady { pod_ip: None }, Time::from_unix(1));
        if start {
            pl.handle(Event::ContainerStarted { container: "a".into() }, Time::from_unix(2));
        }
        serde_json::to_value(pl.status()).unwrap()
    };
    let before = statuses(KubeletConfig::default(), false);
    assert_eq!(before["qosClass"], "Burstable");
    let a = &before["containerStatuses"][0];
    assert_eq!(
        a["volumeMounts"],
        json!([
            {"name": "token", "mountPath": "/var/run/secrets", "readOnly": true, "recursiveReadOnly": "Disabled"},
            {"name": "data", "mountPath": "/data"},
            {"name": "ro", "mountPath": "/ro", "readOnly": true, "recursiveReadOnly": "Disabled"}])
    );
    // Never created: no resources yet.
    assert!(a.get("resources").is_none() && a.get("allocatedResources").is_none(), "{a}");
    let after = statuses(
        KubeletConfig { runtime_supports_recursive_read_only_mounts: true, ..KubeletConfig::default() },
        true,
    );
    let a = &after["containerStatuses"][0];
    assert_eq!(a["volumeMounts"][2]["recursiveReadOnly"], "Enabled");
    assert_eq!(a["volumeMounts"][0]["recursiveReadOnly"], "Disabled");
    assert_eq!(a["allocatedResources"], json!({"cpu": "100m", "memory": "64Mi"}));
    assert_eq!(
        a["resources"],
        json!({"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}})
    );
    let b = &after["containerStatuses"][1];
    assert!(b.get("volumeMounts").is_none() && b.get("resources").is_none(), "{b}");
}

// upstream: convertToAPIContainerStatuses shows the reason cache's
// CrashLoopBackOff wherever ShouldContainerBeRestarted holds, which a
// deletion ends but the kubelet's own termination (here the active
// deadline) does not; TerminatePod then turns every status not shown
// terminated into ContainerStatusUnknown, the crash staying its last state.
#[test]
fn a_crash_loop_shows_through_a_kubelet_termination_but_not_a_deletion() {
    let spec = json!({"activeDeadlineSeconds": 6, "containers": [{"name": "a"}, {"name": "b"}]});
    let state_of = |d: &Drive, name: &str| {
        let status = serde_json::to_value(d.pl.status()).unwrap();
        let cs = status["containerStatuses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap();
        (cs["state"].clone(), cs["lastState"]["terminated"]["exitCode"].clone(), cs["restartCount"].clone())
    };
    for deleted in [false, true] {
        let mut d = Drive::new(spec.clone());
        // The first exit restarts at once, the second waits in back-off.
        d.sandbox().started(1, "a").started(1, "b").exited(2, "a", 1).started(3, "a").exited(4, "a", 1);
        assert_eq!(state_of(&d, "a").0["waiting"]["reason"], "CrashLoopBackOff");
        if deleted {
            d.ev(5, Event::DeletionRequested { grace_period_seconds: Some(30) });
        } else {
            d.tick(6);
        }
        let (state, last_exit, restarts) = state_of(&d, "a");
        if deleted {
            assert_eq!(state["terminated"]["exitCode"], 1, "{state}");
        } else {
            assert_eq!(state["waiting"]["reason"], "CrashLoopBackOff", "{state}");
            assert_eq!(last_exit, 1);
        }
        assert_eq!(restarts, 1);
        d.exited(7, "b", 137);
        assert!(d.pl.is_finished());
        let (state, last_exit, restarts) = state_of(&d, "a");
        if deleted {
            assert_eq!(state["terminated"]["exitCode"], 1, "{state}");
            assert_eq!(state["terminated"]["reason"], "Error", "{state}");
        } else {
            assert_eq!(state["terminated"]["reason"], "ContainerStatusUnknown", "{state}");
            assert_eq!(state["terminated"]["exitCode"], 137, "{state}");
            assert_eq!(last_exit, 1);
        }
        assert_eq!(restarts, 1);
        assert_eq!(state_of(&d, "b").0["terminated"]["exitCode"], 137);
    }
    // A deletion during the kubelet's own termination ends the reason too.
    let mut d = Drive::new(spec);
    d.sandbox().started(1, "a").started(1, "b").exited(2, "a", 1).started(3, "a").exited(4, "a", 1);
    d.tick(6);
    assert_eq!(state_of(&d, "a").0["waiting"]["reason"], "CrashLoopBackOff");
    d.ev(7, Event::DeletionRequested { grace_period_seconds: Some(30) });
    assert_eq!(state_of(&d, "a").0["terminated"]["exitCode"], 1);
    d.exited(8, "b", 137);
    assert_eq!(state_of(&d, "a").0["terminated"]["reason"], "Error");
}

// upstream: pkg/kubelet/status/status_manager.go normalizeStatus: the
// status keeps 12 KiB of termination messages per pod, split evenly over
// the spec's init, regular and ephemeral containers; a cut inside a
// character leaves bytes Go's JSON encoder writes as U+FFFD, one each.
#[test]
fn termination_messages_share_twelve_kib() {
    let mut d = Drive::new(json!({"restartPolicy": "Never", "initContainers": [{"name": "i"}],
        "containers": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}));
    d.sandbox().started(0, "i");
    let exit = |c: &str, message: String| Event::ContainerExited {
        container: c.into(),
        exit_code: 0,
        reason: None,
        message: Some(message),
    };
    d.ev(1, exit("i", "x".repeat(4000)));
    d.started(1, "a").started(1, "b").started(1, "c");
    // 3,071 ASCII bytes and a three-byte character across the cut at 3,072.
    let long = format!("{}€tail", "y".repeat(3071));
    d.ev(2, exit("a", long));
    d.ev(2, exit("b", "short".to_owned()));
    let status = d.pl.status();
    let message = |s: &kube_workloads::api::ContainerStatus| {
        s.state
            .as_ref()
            .and_then(|st| st.terminated.as_ref())
            .and_then(|t| t.message.clone())
            .unwrap_or_default()
    };
    let init = &status.init_container_statuses()[0];
    assert_eq!(message(init), "x".repeat(3072));
    let by_name = |n: &str| status.container_statuses().iter().find(|s| s.name == n).unwrap();
    assert_eq!(message(by_name("a")), format!("{}\u{FFFD}", "y".repeat(3071)));
    assert_eq!(message(by_name("b")), "short");
    // One container alone keeps all 12 KiB; a message that fits is whole.
    let mut one = Drive::new(json!({"restartPolicy": "Never", "containers": [{"name": "a"}]}));
    one.sandbox().started(0, "a");
    one.ev(1, exit("a", "z".repeat(20_000)));
    assert_eq!(message(&one.pl.status().container_statuses()[0]).len(), 12 * 1024);
}

// upstream: kuberuntime_container.go startContainer: a RunContainerError
// comes after CreateContainer, so the runtime holds an instance, exited
// (containerd: exit code 128, StartError). The next start is attempt 1,
// CrashLoopBackOff applies, and a Never pod does not start it again and
// fails. A CreateContainerConfigError leaves no instance.
#[test]
fn run_container_error_leaves_an_exited_instance() {
    let failed = |c: &str, reason: &str| Event::ContainerStartFailed {
        container: c.into(),
        reason: reason.into(),
        message: "oci runtime error".into(),
    };
    let state = |pl: &PodLifecycle| {
        let s = pl.status().container_statuses()[0].clone();
        let st = s.state.unwrap_or_default();
        let last = s.last_state.unwrap_or_default().terminated;
        (
            st.waiting.and_then(|w| w.reason),
            st.terminated.map(|t| (t.exit_code, t.reason, t.started_at)),
            last.map(|t| (t.exit_code, t.reason)),
            s.restart_count,
        )
    };
    let mut d = Drive::new(json!({"containers": [{"name": "a"}]}));
    d.sandbox().expect(&["start a#0"]);
    d.ev(1, failed("a", "RunContainerError")).expect(&[]);
    assert_eq!(
        state(&d.pl),
        (Some("RunContainerError".into()), None, Some((128, Some("StartError".into()))), 0)
    );
    d.tick(11).expect(&["start a#1"]);
    d.started(11, "a");
    assert_eq!(state(&d.pl), (None, None, Some((128, Some("StartError".into()))), 1));
    // The retry at 11 began a back-off (doBackOff's Next), which holds
    // the restart after the next exit; a second RunContainerError counts
    // as one more instance.
    d.exited(12, "a", 1).expect(&[]);
    assert_eq!(state(&d.pl).0.as_deref(), Some("CrashLoopBackOff"));
    d.tick(21).expect(&[]);
    d.tick(22).expect(&["start a#2"]);
    d.ev(22, failed("a", "RunContainerError")).expect(&[]);
    assert_eq!(
        state(&d.pl),
        (Some("RunContainerError".into()), None, Some((128, Some("StartError".into()))), 2)
    );
    // Never: the exited instance is final, the pod fails.
    let mut never = Drive::new(json!({"restartPolicy": "Never", "containers": [{"name": "a"}]}));
    never.sandbox().expect(&["start a#0"]);
    never.ev(1, failed("a", "RunContainerError"));
    never.tick(11).expect(&[]);
    assert_eq!(
        state(&never.pl),
        (None, Some((128, Some("StartError".into()), Some(Time::from_unix(0)))), None, 0)
    );
    assert_eq!(never.pl.status().phase.unwrap().as_str(), "Failed");
    // No instance: the retry is attempt 0 again, nothing counted.
    let mut config = Drive::new(json!({"restartPolicy": "Never", "containers": [{"name": "a"}]}));
    config.sandbox().expect(&["start a#0"]);
    config.ev(1, failed("a", "CreateContainerConfigError")).expect(&[]);
    config.tick(11).expect(&["start a#0"]);
    assert_eq!(state(&config.pl), (Some("CreateContainerConfigError".into()), None, None, 0));
}

// upstream: killContainer records the Killing event with the message
// computePodActions gave the kill (", will be restarted" included), before
// the preStop hook runs: a deletion that arrives during the hook does not
// change what the kill already said.
#[test]
fn a_probe_kill_keeps_its_message_when_the_pod_is_deleted_during_pre_stop() {
    let spec = json!({"containers": [{"name": "a",
        "lifecycle": {"preStop": {"exec": {"command": ["drain"]}}},
        "livenessProbe": {"exec": {"command": ["x"]}, "failureThreshold": 1}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").tick(0);
    d.probe(0, "a", 0, ProbeKind::Liveness, false).expect(&["run preStop hook in a#0 (at most 30s)"]);
    d.ev(2, Event::DeletionRequested { grace_period_seconds: Some(30) }).expect(&[]);
    let done = Event::HookFinished {
        container: "a".into(),
        attempt: 0,
        hook: HookKind::PreStop,
        outcome: HookOutcome::Success,
    };
    d.ev(4, done).expect(&["stop a#0 with 26s grace: Container a failed liveness probe, will be restarted"]);
    // The deletion still holds: no restart after the exit.
    d.exited(5, "a", 143).expect(&["kill sandbox"]);
}

// upstream: SyncPod restarts a probe-killed container in the same sync as
// the kill (computePodActions put it in ContainersToStart), and the next
// status is generated from a runtime cache newer than that sync: getPhase
// never sees the killed instance's exit as a success. Under OnFailure a
// server that exits 0 on SIGTERM keeps the pod Running.
#[test]
fn a_probe_killed_container_exiting_zero_restarts_under_on_failure() {
    let spec = json!({"restartPolicy": "OnFailure", "containers": [{"name": "a",
        "livenessProbe": {"exec": {"command": ["x"]}, "failureThreshold": 1}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").tick(0);
    d.probe(0, "a", 0, ProbeKind::Liveness, false)
        .expect(&["stop a#0 with 30s grace: Container a failed liveness probe, will be restarted"]);
    d.exited(1, "a", 0).expect(&["start a#1"]);
    assert_eq!(d.pl.status().phase.unwrap().as_str(), "Running");
    d.started(1, "a").expect(&[]);
    assert_eq!(d.pl.status().phase.unwrap().as_str(), "Running");
}

// upstream: EnsureImageExists. A pull the runtime fails as
// RegistryUnavailable (or SignatureValidationFailed) reports that reason
// and puts the image in pull back-off like ErrImagePull; the back-off's
// message ends with the last pull's error (prevPullErrMsg).
#[test]
fn a_registry_outage_is_a_failed_pull_with_its_own_reason() {
    let mut d = Drive::new(json!({"containers": [{"name": "a", "image": "registry.example/app:1"}]}));
    d.sandbox().expect(&["start a#0"]);
    let unavailable = || Event::ContainerStartFailed {
        container: "a".into(),
        reason: "RegistryUnavailable".into(),
        message: "dial tcp: no route to host".into(),
    };
    let waiting = |d: &Drive| {
        let status = d.pl.status();
        let w = status.container_statuses()[0].state.as_ref().unwrap().waiting.clone().unwrap();
        (w.reason.unwrap_or_default(), w.message.unwrap_or_default())
    };
    d.ev(0, unavailable()).expect(&[]);
    assert_eq!(waiting(&d), ("RegistryUnavailable".to_string(), "dial tcp: no route to host".to_string()));
    // Retried at the pod worker's resync; failing again doubles the back-off.
    d.tick(10).expect(&["start a#0"]);
    d.ev(10, unavailable()).expect(&[]);
    d.tick(20).expect(&[]);
    assert_eq!(
        waiting(&d),
        (
            "ImagePullBackOff".to_string(),
            "Back-off pulling image \"registry.example/app:1\": RegistryUnavailable: dial tcp: no route to host"
                .to_string()
        )
    );
}

// upstream: pod_workers.go calculateEffectiveGracePeriod ("no matter what, we
// always supply a grace period of 1") and kuberuntime_container.go
// killContainer, which applies that override before its preStop check: a
// pod the kubelet terminates itself (active deadline, a terminal phase)
// with `terminationGracePeriodSeconds: 0` still runs its preStop hook, with
// 1 s. (A KillPod that computePodActions decides passes no override: there
// a grace of 0 skips the hook.)
#[test]
fn a_kubelet_termination_with_grace_zero_runs_pre_stop_with_one_second() {
    let spec = json!({"terminationGracePeriodSeconds": 0, "activeDeadlineSeconds": 10,
        "containers": [{"name": "a", "lifecycle": {"preStop": {"exec": {"command": ["drain"]}}}}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "a").tick(10);
    d.expect(&["run preStop hook in a#0 (at most 1s)"]);
}

// upstream: kubelet_pods.go convertToAPIContainerStatuses shows a start
// failure from the reason cache only where ShouldContainerBeRestarted holds,
// and never for an init container whose newest run exited 0. A sidecar
// whose postStart hook failed and that then exited 0 on the kill shows
// that exit (terminated 0), not PostStartHookError, until it restarts.
#[test]
fn a_sidecar_killed_for_its_post_start_shows_its_exit_zero() {
    let spec = json!({"initContainers": [{"name": "proxy", "restartPolicy": "Always",
        "lifecycle": {"postStart": {"exec": {"command": ["wait"]}}}}],
        "containers": [{"name": "app"}]});
    let mut d = Drive::new(spec);
    d.sandbox().started(0, "proxy").expect(&["run postStart hook in proxy#0"]);
    d.ev(
        5,
        Event::HookFinished {
            container: "proxy".into(),
            attempt: 0,
            hook: HookKind::PostStart,
            outcome: HookOutcome::Failure("command exited with 1".into()),
        },
    );
    d.expect(&["stop proxy#0 with 30s grace: FailedPostStartHook"]);
    // While the kill is under way the reason shows.
    let waiting = |d: &Drive| {
        let status = serde_json::to_value(d.pl.status()).expect("json");
        status["initContainerStatuses"][0]["state"].clone()
    };
    assert_eq!(waiting(&d)["waiting"]["reason"], "PostStartHookError");
    d.exited(6, "proxy", 0);
    let state = waiting(&d);
    assert_eq!(state["terminated"]["exitCode"], 0, "{state}");
    assert!(state.get("waiting").is_none(), "{state}");
}
