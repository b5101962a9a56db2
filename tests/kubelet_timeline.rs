//! Timeline tests of the pod lifecycle state machine.
//!
//! A tiny scripted executor (the "runtime") answers the machine's commands:
//! containers run for scripted durations and exit with scripted codes, probes
//! and hooks answer through closures. Every event, command and status change
//! is logged as one line (`t=…s`), and whole timelines are insta snapshots
//! that read top to bottom like a story.
//!
//! Scenarios follow issue 4 and semantics/pod-lifecycle.md (PL-x.y rules in
//! the comments); upstream behaviour they pin is cited next to each.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use kube_workloads::api::{Condition, ConditionStatus, Pod, PodStatus, Time};
use kube_workloads::kubelet::{
    BackoffConfig, Command, Event, HookKind, HookOutcome, KubeletConfig, PodLifecycle, ProbeKind,
    ProbeOutcome,
};
use serde_json::json;

/// How one run of a container ends, absent a kill.
#[derive(Clone, Copy, Debug)]
enum RunScript {
    /// Exits with `code` after `secs` seconds.
    Exit(i64, i32),
    /// Runs until stopped.
    Forever,
}

type ProbeFn = Box<dyn FnMut(&str, ProbeKind, u32, i64) -> ProbeOutcome>;
type HookFn = Box<dyn FnMut(&str, HookKind, u32) -> (i64, HookOutcome)>;

struct Sim {
    pl: PodLifecycle,
    now: i64,
    log: Vec<String>,
    pending: BTreeMap<(i64, u64), Event>,
    seq: u64,
    runs: HashMap<String, VecDeque<RunScript>>,
    pull_failures: HashMap<String, u32>,
    /// Seconds a container takes to exit after its stop signal; `None`
    /// ignores the signal (needs the SIGKILL).
    stop_delay: HashMap<String, Option<i64>>,
    /// Exit code on a graceful stop (143, SIGTERM's, unless set).
    stop_exit: HashMap<String, i32>,
    probe: ProbeFn,
    hook: HookFn,
    running: HashMap<String, u32>,
    last_status: String,
}

fn pod(value: serde_json::Value) -> Pod {
    let mut v = json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "default", "uid": "u1"}});
    v["spec"] = value;
    serde_json::from_value(v).unwrap()
}

impl Sim {
    fn new(pod: Pod) -> Sim {
        Sim::with_config(pod, KubeletConfig::default())
    }

    fn with_config(pod: Pod, config: KubeletConfig) -> Sim {
        let pl = PodLifecycle::new(&pod, Time::from_unix(0), config);
        let mut sim = Sim {
            pl,
            now: 0,
            log: Vec::new(),
            pending: BTreeMap::new(),
            seq: 0,
            runs: HashMap::new(),
            pull_failures: HashMap::new(),
            stop_delay: HashMap::new(),
            stop_exit: HashMap::new(),
            probe: Box::new(|_, _, _, _| ProbeOutcome::Success),
            hook: Box::new(|_, _, _| (0, HookOutcome::Success)),
            running: HashMap::new(),
            last_status: String::new(),
        };
        sim.after_step();
        sim
    }

    fn runs(mut self, container: &str, runs: &[RunScript]) -> Sim {
        self.runs.insert(container.to_owned(), runs.iter().copied().collect());
        self
    }

    fn probes(mut self, f: impl FnMut(&str, ProbeKind, u32, i64) -> ProbeOutcome + 'static) -> Sim {
        self.probe = Box::new(f);
        self
    }

    fn hooks(mut self, f: impl FnMut(&str, HookKind, u32) -> (i64, HookOutcome) + 'static) -> Sim {
        self.hook = Box::new(f);
        self
    }

    fn stop_delay(mut self, container: &str, delay: Option<i64>) -> Sim {
        self.stop_delay.insert(container.to_owned(), delay);
        self
    }

    fn stop_exit(mut self, container: &str, code: i32) -> Sim {
        self.stop_exit.insert(container.to_owned(), code);
        self
    }

    fn pull_failures(mut self, container: &str, n: u32) -> Sim {
        self.pull_failures.insert(container.to_owned(), n);
        self
    }

    /// The instants `container` started, read off the log.
    fn starts(&self, container: &str) -> Vec<i64> {
        let started = format!("{container} started");
        self.log
            .iter()
            .filter(|l| l.contains(&started))
            .map(|l| l[2..7].trim().trim_end_matches('s').parse().unwrap())
            .collect()
    }

    fn schedule(&mut self, at: i64, event: Event) {
        self.seq += 1;
        self.pending.insert((at, self.seq), event);
    }

    /// An external event at `t` (deletion, a readiness gate...).
    fn at(&mut self, t: i64, event: Event) {
        self.schedule(t, event);
    }

    fn line(&mut self, text: String) {
        self.log.push(format!("t={:>4}s  {text}", self.now));
    }

    fn execute(&mut self, cmd: Command) {
        self.log.push(format!("          -> {cmd}"));
        let now = self.now;
        match cmd {
            Command::CreateSandbox => {
                self.schedule(now, Event::SandboxReady { pod_ip: Some("10.1.2.3".into()) })
            }
            Command::StartContainer { container, attempt } => {
                let name = container.to_string();
                if let Some(n) = self.pull_failures.get_mut(&name).filter(|n| **n > 0) {
                    *n -= 1;
                    let message = "rpc error: manifest unknown".to_owned();
                    self.schedule(now, Event::ImagePullFailed { container, message });
                    return;
                }
                self.running.insert(name.clone(), attempt);
                self.schedule(now, Event::ContainerStarted { container: container.clone() });
                let run = self.runs.get_mut(&name).and_then(|r| r.pop_front()).unwrap_or(RunScript::Forever);
                if let RunScript::Exit(after, code) = run {
                    self.schedule_exit(now + after, container, attempt, code);
                }
            }
            Command::RunProbe { container, attempt, probe, .. } => {
                let outcome = (self.probe)(&container, probe, attempt, now);
                self.schedule(now, Event::ProbeResult { container, attempt, probe, outcome });
            }
            Command::RunHook { container, attempt, hook, .. } => {
                let (took, outcome) = (self.hook)(&container, hook, attempt);
                self.schedule(now + took, Event::HookFinished { container, attempt, hook, outcome });
            }
            Command::StopContainer { container, attempt, .. } => {
                if let Some(Some(d)) = self.stop_delay.get(&*container).copied().or(Some(Some(0))) {
                    let code = self.stop_exit.get(&*container).copied().unwrap_or(143);
                    self.schedule_exit(now + d, container, attempt, code);
                }
            }
            Command::KillContainer { container, attempt } => self.schedule_exit(now, container, attempt, 137),
            Command::KillSandbox => {}
        }
    }

    fn schedule_exit(&mut self, at: i64, container: Arc<str>, attempt: u32, code: i32) {
        // Exits are tagged with the attempt in the reason slot and checked on delivery.
        self.schedule(
            at,
            Event::ContainerExited {
                container,
                exit_code: code,
                reason: None,
                message: Some(format!("#{attempt}")),
            },
        );
    }

    fn after_step(&mut self) {
        while let Some(cmd) = self.pl.poll_command() {
            self.execute(cmd);
        }
        let s = summary(&self.pl.status());
        if s != self.last_status {
            self.log.push(format!("          status: {s}"));
            self.last_status = s;
        }
    }

    /// Runs the timeline up to and including `t_end`.
    fn run_until(&mut self, t_end: i64) {
        loop {
            let next_event = self.pending.keys().next().map(|k| k.0);
            let next_timer = self.pl.poll_timeout().map(|t| t.unix());
            let next = match (next_event, next_timer) {
                (Some(e), Some(t)) => e.min(t),
                (Some(e), None) => e,
                (None, Some(t)) => t,
                (None, None) => break,
            };
            if next > t_end {
                break;
            }
            assert!(next >= self.now, "time went backwards: {next} < {}", self.now);
            self.now = next;
            if next_event == Some(next) {
                let key = *self.pending.keys().next().unwrap();
                let mut event = self.pending.remove(&key).unwrap();
                if let Event::ContainerExited { container, message, .. } = &mut event {
                    // Deliver only if that instance is still the running one.
                    let tag = message.take().unwrap_or_default();
                    let attempt: u32 = tag.trim_start_matches('#').parse().unwrap_or(0);
                    if self.running.get(&**container) != Some(&attempt) {
                        continue;
                    }
                    self.running.remove(&**container);
                }
                self.line(format!("{event}"));
                self.pl.handle(event, Time::from_unix(next));
            } else {
                self.line("timeout".to_owned());
                self.pl.handle_timeout(Time::from_unix(next));
            }
            self.after_step();
            assert!(self.log.len() < 5000, "runaway timeline");
        }
        self.now = self.now.max(t_end);
    }

    fn status(&self) -> PodStatus {
        self.pl.status()
    }

    fn text(&self) -> String {
        self.log.join("\n")
    }
}

/// One line: phase, kubelet conditions, each container's state.
fn summary(s: &PodStatus) -> String {
    let mut out = s.phase.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default();
    if let Some(reason) = &s.reason {
        out.push_str(&format!(" ({reason})"));
    }
    let short = |t: &str| -> String {
        match t {
            "PodReadyToStartContainers" => "Sandbox".to_owned(),
            "Initialized" => "Init".to_owned(),
            "ContainersReady" => "CReady".to_owned(),
            "PodScheduled" => String::new(),
            other => other.to_owned(),
        }
    };
    for c in s.conditions.as_deref().unwrap_or(&[]) {
        let name = short(&c.type_);
        if name.is_empty() {
            continue;
        }
        let v = if c.status.as_str() == "True" { "T" } else { "F" };
        out.push_str(&format!(" {name}={v}"));
    }
    for c in s.init_container_statuses().iter().chain(s.container_statuses()) {
        let st = c.state.as_ref();
        let state = if let Some(w) = st.and_then(|s| s.waiting.as_ref()) {
            match &w.message {
                Some(m) => format!("waiting {} \"{m}\"", w.reason.as_deref().unwrap_or("")),
                None => format!("waiting {}", w.reason.as_deref().unwrap_or("")),
            }
        } else if st.is_some_and(|s| s.running.is_some()) {
            "running".to_owned()
        } else if let Some(t) = st.and_then(|s| s.terminated.as_ref()) {
            format!("terminated {} {}", t.exit_code, t.reason.as_deref().unwrap_or(""))
        } else {
            "?".to_owned()
        };
        let mut flags = String::new();
        if c.started == Some(true) {
            flags.push_str(" started");
        }
        if c.ready {
            flags.push_str(" ready");
        }
        out.push_str(&format!(" | {}: {state}{flags} restarts={}", c.name, c.restart_count));
    }
    out
}

fn yaml(s: &PodStatus) -> String {
    serde_json::to_string_pretty(s).unwrap()
}

// ---------------------------------------------------------------------------

/// PL-8.1 / PL-8.2: the first restart is immediate, then 10, 20, 40, 80,
/// 160, 300, 300 s after each exit's finishedAt; a run of more than 600 s
/// since the last restart resets the delay.
// upstream: pkg/kubelet/kuberuntime/kuberuntime_manager.go: doBackOff;
// client-go util/flowcontrol/backoff.go: Next, IsInBackOffSince
#[test]
fn crash_loop_backoff_doubles_to_300s_and_resets() {
    let mut runs = vec![RunScript::Exit(1, 1); 9];
    runs.push(RunScript::Exit(700, 1));
    runs.push(RunScript::Exit(1, 1));
    runs.push(RunScript::Exit(1, 1));
    let mut sim =
        Sim::new(pod(json!({"containers": [{"name": "app", "image": "crasher:1"}]}))).runs("app", &runs);
    sim.run_until(3000);
    // restart times, read off the log
    let starts = sim.starts("app");
    let gaps: Vec<i64> = starts.windows(2).map(|w| w[1] - w[0] - 1).collect();
    // gap = start(n+1) - exit(n): 0, 10, 20, 40, 80, 160, 300, 300, 300; then a 700 s run
    // (699 = 700 - 1 below) followed by an immediate restart, and the delay starts over at 10, 20
    assert_eq!(gaps, [0, 10, 20, 40, 80, 160, 300, 300, 300, 699, 10, 20]);
    insta::assert_snapshot!("crash_loop_backoff", sim.text());
    insta::assert_snapshot!("crash_loop_backoff_status", yaml(&sim.status()));
}

/// The kubelet's housekeeping drops a back-off entry 600 s after the
/// restart that last advanced it, even while the container waits out its
/// delay: at the 300 s cap, a run of 450 s is followed by a restart at 601 s
/// after the last one (not 750 s), and the delay starts over at 10 s.
// upstream: client-go util/flowcontrol/backoff.go: GC; kubelet_pods.go:
// HandlePodCleanups; kubelet.go: the 600 s HasExpiredFunc
#[test]
fn crash_loop_backoff_entry_is_collected_while_waiting() {
    let mut runs = vec![RunScript::Exit(1, 1); 7];
    runs.push(RunScript::Exit(450, 1));
    runs.push(RunScript::Exit(1, 1));
    runs.push(RunScript::Exit(1, 1));
    let mut sim = Sim::new(pod(json!({"containers": [{"name": "app"}]}))).runs("app", &runs);
    sim.run_until(3000);
    let starts = sim.starts("app");
    let gaps: Vec<i64> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    // start-to-start: 1 + delay for the short runs (0, 10, ..., 300), then
    // 601 after the start of the 450 s run, then 1 + 10 and 1 + 20.
    assert_eq!(gaps, [1, 11, 21, 41, 81, 161, 301, 601, 11, 21]);
}

/// The three back-off parameters are configurable.
#[test]
fn crash_loop_backoff_is_configurable() {
    let config = KubeletConfig {
        crash_loop_back_off: BackoffConfig { initial_seconds: 1, max_seconds: 4, reset_after_seconds: 30 },
        ..KubeletConfig::default()
    };
    let runs = vec![RunScript::Exit(1, 1); 6];
    let mut sim = Sim::with_config(pod(json!({"containers": [{"name": "app"}]})), config).runs("app", &runs);
    sim.run_until(200);
    let starts = sim.starts("app");
    let gaps: Vec<i64> = starts.windows(2).map(|w| w[1] - w[0] - 1).collect();
    assert_eq!(gaps, [0, 1, 2, 4, 4, 4]);
}

/// The kubelet's housekeeping drops a CrashLoopBackOff entry last advanced
/// more than 600 s ago while its container runs (HandlePodCleanups calling
/// crashLoopBackOff.GC every 2 s), so a liveness kill after a long healthy
/// run restarts from a fresh entry: the next crash waits 10 s, not double
/// the old delay.
// upstream: pkg/kubelet/kubelet_pods.go HandlePodCleanups; client-go
// flowcontrol/backoff.go GC; kuberuntime_manager.go doBackOff
#[test]
fn a_liveness_restart_after_a_long_run_starts_a_fresh_back_off() {
    let spec = json!({"containers": [{
        "name": "app",
        "livenessProbe": {"exec": {"command": ["ok"]}, "periodSeconds": 10, "failureThreshold": 1}
    }]});
    // Two quick crashes (back-off 10 s, then 20 s), a long healthy run
    // killed by liveness at t >= 800, then a crash 4 s after the restart.
    let mut sim = Sim::new(pod(spec))
        .runs(
            "app",
            &[RunScript::Exit(1, 1), RunScript::Exit(1, 1), RunScript::Forever, RunScript::Exit(4, 1)],
        )
        .stop_delay("app", Some(1))
        .probes(|_, kind, attempt, t| match kind {
            ProbeKind::Liveness if attempt == 2 && t >= 800 => ProbeOutcome::Failure,
            _ => ProbeOutcome::Success,
        });
    sim.run_until(900);
    let starts = sim.starts("app");
    assert_eq!(starts.len(), 5, "{}", sim.text());
    let (killed_restart, after_crash) = (starts[3], starts[4]);
    // The fourth instance crashes 4 s after its start; the fifth waits the
    // fresh entry's 10 s from there, where the stale entry (20 s, last
    // advanced at t=12) would have doubled to 40 s at the kill.
    assert_eq!(after_crash - (killed_restart + 4), 10, "{}", sim.text());
}

/// PL-7.3/7.4: liveness and readiness wait for the startup probe; a stored
/// liveness failure kills and restarts the container, with the probe's own
/// terminationGracePeriodSeconds (PL-9.4).
// upstream: pkg/kubelet/prober/worker.go: doProbe; kuberuntime_manager.go: computePodActions
#[test]
fn startup_probe_gates_liveness() {
    let spec = json!({
        "terminationGracePeriodSeconds": 30,
        "containers": [{
            "name": "app",
            "startupProbe": {"exec": {"command": ["ready"]}, "periodSeconds": 5, "failureThreshold": 3},
            "livenessProbe": {"httpGet": {"port": 8080}, "periodSeconds": 10, "failureThreshold": 2,
                              "terminationGracePeriodSeconds": 5},
            "readinessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 10}
        }]
    });
    // Startup fails twice then passes (t=10); liveness fails from t=40 on the
    // first instance; the second instance stays healthy.
    let mut sim = Sim::new(pod(spec)).stop_delay("app", Some(1)).probes(|_, kind, attempt, t| match kind {
        ProbeKind::Startup if attempt == 0 && t < 10 => ProbeOutcome::Failure,
        ProbeKind::Liveness if attempt == 0 && t >= 40 => ProbeOutcome::Failure,
        _ => ProbeOutcome::Success,
    });
    sim.run_until(90);
    let text = sim.text();
    let first_liveness = text.lines().position(|l| l.contains("probe liveness")).unwrap();
    let startup_ok = text.lines().position(|l| l.contains("startup probe of app#0: Success")).unwrap();
    assert!(first_liveness > startup_ok, "liveness ran before the startup probe passed");
    assert!(
        text.contains("stop app#0 with 5s grace: Container app failed liveness probe, will be restarted")
    );
    insta::assert_snapshot!("startup_probe_gates_liveness", text);
}

/// A startup probe that crosses its failure threshold kills the container.
#[test]
fn startup_probe_failure_kills() {
    let spec = json!({"restartPolicy": "Never", "containers": [{
        "name": "app",
        "startupProbe": {"exec": {"command": ["ready"]}, "periodSeconds": 5, "failureThreshold": 2}
    }]});
    let mut sim = Sim::new(pod(spec)).probes(|_, _, _, _| ProbeOutcome::Failure);
    sim.run_until(60);
    let text = sim.text();
    // Nothing is kept or started: the pod is killed (SyncPod's KillPod), each
    // container with "Stopping container".
    assert!(text.contains("stop app#0 with 30s grace: Stopping container app"));
    assert!(!text.contains("will be restarted"));
    assert_eq!(sim.status().phase.unwrap().as_str(), "Failed");
    insta::assert_snapshot!("startup_probe_failure_never", text);
}

/// PL-6.9, PL-6.8: readiness flaps with successThreshold 2 and
/// failureThreshold 2; Ready's lastTransitionTime moves only on flips. An
/// errored probe changes nothing (PL-7.3 step 9).
// upstream: pkg/kubelet/prober/worker.go: doProbe; status_manager.go: updateLastTransitionTime
#[test]
fn readiness_flapping() {
    let spec = json!({"containers": [{
        "name": "app",
        "readinessProbe": {"httpGet": {"port": 80}, "periodSeconds": 10, "successThreshold": 2, "failureThreshold": 2}
    }]});
    // probe at t = 0,10,20,...: S S F S F F E S S ...
    let answers = ["S", "S", "F", "S", "F", "F", "E", "S", "S", "S"];
    let mut n = 0;
    let mut sim = Sim::new(pod(spec)).probes(move |_, _, _, _| {
        let a = answers.get(n).copied().unwrap_or("S");
        n += 1;
        match a {
            "S" => ProbeOutcome::Success,
            "F" => ProbeOutcome::Failure,
            _ => ProbeOutcome::Error,
        }
    });
    sim.run_until(95);
    let ready = sim.status().conditions.unwrap().into_iter().find(|c| c.type_ == "Ready").unwrap();
    assert_eq!(ready.status.as_str(), "True");
    assert_eq!(ready.last_transition_time, Some(Time::from_unix(80)));
    insta::assert_snapshot!("readiness_flapping", sim.text());
}

fn init_failing_pod(policy: &str) -> Pod {
    pod(json!({
        "restartPolicy": policy,
        "initContainers": [{"name": "migrate", "image": "migrate:1"}],
        "containers": [{"name": "app", "image": "app:1"}]
    }))
}

/// PL-9.2 / PL-4.4: a failing init container is retried with back-off under
/// Always and OnFailure; under Never the pod fails at once.
// upstream: kuberuntime_container.go: computeInitContainerActions;
// kubelet_pods_test.go: TestPodPhaseWithRestart*InitContainers
#[test]
fn init_container_failing_under_each_policy() {
    let mut all = String::new();
    for policy in ["Always", "OnFailure", "Never"] {
        let runs = [RunScript::Exit(2, 1), RunScript::Exit(2, 1), RunScript::Exit(2, 0)];
        let mut sim = Sim::new(init_failing_pod(policy)).runs("migrate", &runs);
        sim.run_until(120);
        let phase = sim.status().phase.unwrap();
        match policy {
            "Never" => assert_eq!(phase.as_str(), "Failed"),
            _ => assert_eq!(phase.as_str(), "Running"),
        }
        all.push_str(&format!("=== restartPolicy: {policy}\n{}\n", sim.text()));
    }
    insta::assert_snapshot!("init_container_failing", all);
}

/// 1.35's StopLivenessAndStartup stops the liveness and startup workers of
/// `spec.containers` only: a sidecar's liveness probe runs on while the pod
/// terminates (to no effect: nothing restarts then).
// upstream: pkg/kubelet/prober/prober_manager.go StopLivenessAndStartup
#[test]
fn sidecar_liveness_probes_run_on_during_termination() {
    let spec = json!({
        "terminationGracePeriodSeconds": 30,
        "initContainers": [{"name": "sc", "restartPolicy": "Always",
            "livenessProbe": {"exec": {"command": ["x"]}, "periodSeconds": 1}}],
        "containers": [{"name": "app", "livenessProbe": {"exec": {"command": ["x"]}, "periodSeconds": 1}}]
    });
    let mut sim = Sim::new(pod(spec)).stop_delay("app", Some(10));
    sim.at(5, Event::DeletionRequested { grace_period_seconds: None });
    sim.run_until(5);
    let count = |sim: &Sim, who: &str| {
        sim.log.iter().filter(|l| l.contains(&format!("liveness probe of {who}"))).count()
    };
    let (sc_before, app_before) = (count(&sim, "sc"), count(&sim, "app"));
    sim.run_until(12);
    assert!(count(&sim, "sc") > sc_before, "the sidecar's probe runs on:\n{}", sim.text());
    assert_eq!(count(&sim, "app"), app_before, "the app's stopped:\n{}", sim.text());
}

/// PL-11.4 as upstream orders it: a sidecar waits for the regular
/// containers and the next sidecar declared after it, whose channel is
/// closed at once when it is not running; so with the middle sidecar down,
/// the first stops as soon as the app has, without waiting for the last.
// upstream: kuberuntime_termination_order.go: newTerminationOrdering
#[test]
fn a_stopped_sidecar_breaks_the_termination_chain() {
    let spec = json!({
        "terminationGracePeriodSeconds": 60,
        "initContainers": [
            {"name": "first", "restartPolicy": "Always"},
            {"name": "middle", "restartPolicy": "Always"},
            {"name": "last", "restartPolicy": "Always"}
        ],
        "containers": [{"name": "app"}]
    });
    let mut sim = Sim::new(pod(spec))
        .runs("middle", &[RunScript::Exit(2, 1), RunScript::Exit(1, 1), RunScript::Forever])
        .stop_delay("app", Some(1))
        .stop_delay("last", Some(20));
    sim.at(12, Event::DeletionRequested { grace_period_seconds: None });
    sim.run_until(100);
    let text = sim.text();
    let pos = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("missing {needle}\n{text}"));
    assert!(!sim.log.iter().any(|l| l.contains("-> stop middle")), "middle is down at the deletion:\n{text}");
    assert!(pos("stop first#0") > pos("app exited"), "{text}");
    assert!(pos("stop first#0") < pos("last exited"), "first does not wait for last:\n{text}");
}

/// PL-3.2, PL-9.2, PL-11.4: sidecars start in order, the next init container
/// waits for the sidecar's startup probe; on deletion the app stops first,
/// then the sidecars in reverse order, each with what is left of the grace.
// upstream: kuberuntime_container.go: computeInitContainerActions;
// kuberuntime_termination_order.go: newTerminationOrdering, waitForTurn
#[test]
fn sidecars_start_and_stop_in_order() {
    let spec = json!({
        "terminationGracePeriodSeconds": 30,
        "initContainers": [
            {"name": "proxy", "restartPolicy": "Always",
             "startupProbe": {"tcpSocket": {"port": 15000}, "periodSeconds": 2}},
            {"name": "setup"},
            {"name": "logs", "restartPolicy": "Always"}
        ],
        "containers": [{"name": "app", "lifecycle": {"preStop": {"sleep": {"seconds": 5}}}}]
    });
    let mut sim = Sim::new(pod(spec))
        .runs("setup", &[RunScript::Exit(3, 0)])
        .stop_delay("app", Some(2))
        .stop_delay("logs", Some(4))
        .stop_delay("proxy", Some(1))
        .probes(|_, _, _, t| if t < 2 { ProbeOutcome::Failure } else { ProbeOutcome::Success })
        .hooks(|_, hook, _| match hook {
            HookKind::PreStop => (5, HookOutcome::Success),
            HookKind::PostStart => (0, HookOutcome::Success),
        });
    sim.at(20, Event::DeletionRequested { grace_period_seconds: None });
    sim.run_until(100);
    let text = sim.text();
    let pos = |needle: &str| text.find(needle).unwrap_or_else(|| panic!("missing {needle}\n{text}"));
    assert!(pos("start setup#0") > pos("startup probe of proxy#0: Success"));
    assert!(pos("start logs#0") > pos("setup exited with 0"));
    assert!(pos("stop logs#0") > pos("app exited"));
    assert!(pos("stop proxy#0") > pos("logs exited"));
    assert!(sim.pl.is_finished());
    insta::assert_snapshot!("sidecars_in_order", text);
    insta::assert_snapshot!("sidecars_in_order_final_status", yaml(&sim.status()));
}

/// PL-3.2: a sidecar restarts whatever the pod policy; when the Never pod's
/// app finishes, the sidecar is killed and the pod Succeeds.
#[test]
fn sidecar_restarts_under_never_and_is_stopped_at_completion() {
    let spec = json!({
        "restartPolicy": "Never",
        "initContainers": [{"name": "proxy", "restartPolicy": "Always"}],
        "containers": [{"name": "job"}]
    });
    let mut sim = Sim::new(pod(spec))
        .runs("proxy", &[RunScript::Exit(5, 1), RunScript::Forever])
        .runs("job", &[RunScript::Exit(30, 0)]);
    sim.run_until(100);
    assert_eq!(sim.status().phase.unwrap().as_str(), "Succeeded");
    insta::assert_snapshot!("sidecar_under_never", sim.text());
}

/// The status manager's hold (upstream: status_manager.go mergePodStatus):
/// the Never pod's init container failed, so the kubelet's phase is Failed
/// at once (getPhase), but the API status stays Pending until the sidecar
/// the kubelet then stops has exited.
#[test]
fn terminal_phase_waits_for_the_sidecar_to_stop() {
    let spec = json!({
        "restartPolicy": "Never",
        "initContainers": [{"name": "proxy", "restartPolicy": "Always"}, {"name": "setup"}],
        "containers": [{"name": "app"}]
    });
    let mut sim = Sim::new(pod(spec))
        .runs("proxy", &[RunScript::Forever])
        .runs("setup", &[RunScript::Exit(5, 1)])
        .stop_delay("proxy", Some(4));
    sim.run_until(7);
    assert!(sim.text().contains("setup exited with 1"), "{}", sim.text());
    assert_eq!(sim.pl.phase().as_str(), "Failed", "{}", sim.text());
    assert_eq!(sim.status().phase.as_ref().map(|p| p.as_str()), Some("Pending"), "{}", sim.text());
    sim.run_until(100);
    assert_eq!(sim.status().phase.as_ref().map(|p| p.as_str()), Some("Failed"));
    insta::assert_snapshot!("terminal_phase_waits_for_sidecar", sim.text());
}

/// The hold keeps the API's own DisruptionTarget (upstream: mergePodStatus
/// copies the conditions the kubelet does not own): one the taint manager
/// wrote stays in the status while the kubelet stops the pod for its
/// deadline, and keeps its transition time.
#[test]
fn terminal_hold_keeps_the_api_disruption_target() {
    let spec = json!({"activeDeadlineSeconds": 60, "containers": [{"name": "app"}]});
    let mut sim = Sim::new(pod(spec)).stop_delay("app", Some(5));
    let taint = Condition {
        type_: "DisruptionTarget".into(),
        status: ConditionStatus::True,
        reason: Some("DeletionByTaintManager".into()),
        last_transition_time: Some(Time::from_unix(10)),
        ..Condition::default()
    };
    sim.at(10, Event::ConditionChanged { condition: taint });
    let disruption = |sim: &Sim| {
        let status = sim.status();
        let dt = status.conditions.unwrap_or_default().into_iter().find(|c| c.type_ == "DisruptionTarget");
        (
            status.phase.map(|p| p.as_str().to_owned()),
            dt.and_then(|c| Some((c.reason?, c.last_transition_time?))),
        )
    };
    sim.run_until(62);
    let during = disruption(&sim);
    assert_eq!(
        during,
        (Some("Running".into()), Some(("DeletionByTaintManager".into(), Time::from_unix(10))))
    );
    sim.run_until(100);
    let after = disruption(&sim);
    assert_eq!(after, (Some("Failed".into()), Some(("DeletionByTaintManager".into(), Time::from_unix(10)))));
}

/// PL-9.4, PL-10.2: the preStop hook outlives the grace period: it is
/// abandoned, the stop signal gets the 2 s minimum, then the kill is forced.
// upstream: kuberuntime_container.go: killContainer, executePreStopHook
#[test]
fn pre_stop_running_out_of_grace() {
    let spec = json!({
        "terminationGracePeriodSeconds": 30,
        "containers": [{"name": "app", "lifecycle": {"preStop": {"exec": {"command": ["drain"]}}}}]
    });
    let mut sim = Sim::new(pod(spec)).stop_delay("app", None).hooks(|_, hook, _| match hook {
        HookKind::PreStop => (100, HookOutcome::Success),
        HookKind::PostStart => (0, HookOutcome::Success),
    });
    sim.at(10, Event::DeletionRequested { grace_period_seconds: Some(30) });
    sim.run_until(200);
    let text = sim.text();
    assert!(text.contains("t=  40s  timeout\n          -> stop app#0 with 2s grace: Stopping container app"));
    assert!(text.contains("t=  42s  timeout\n          -> kill app#0 (grace period over)"));
    insta::assert_snapshot!("pre_stop_out_of_grace", text);
    insta::assert_snapshot!("pre_stop_out_of_grace_status", yaml(&sim.status()));
}

/// PL-11.8: activeDeadlineSeconds fails the pod with DeadlineExceeded.
// upstream: pkg/kubelet/active_deadline.go
#[test]
fn active_deadline_exceeded() {
    let spec = json!({"activeDeadlineSeconds": 60, "terminationGracePeriodSeconds": 5, "containers": [{"name": "app"}]});
    let mut sim = Sim::new(pod(spec)).stop_delay("app", Some(1));
    sim.run_until(100);
    let status = sim.status();
    assert_eq!(status.phase.unwrap().as_str(), "Failed");
    assert_eq!(status.reason.as_deref(), Some("DeadlineExceeded"));
    assert_eq!(
        status.message.as_deref(),
        Some("Pod was active on the node longer than the specified deadline")
    );
    insta::assert_snapshot!("active_deadline", sim.text());
}

/// PL-5.4, PL-8.2: image pulls fail twice: ErrImagePull, then
/// ImagePullBackOff while the back-off lasts, then the pull succeeds.
// upstream: pkg/kubelet/images/image_manager.go: EnsureImageExists
#[test]
fn image_pull_failures() {
    let mut sim = Sim::new(pod(json!({"containers": [{"name": "app", "image": "registry.example/app:2"}]})))
        .pull_failures("app", 2);
    sim.run_until(60);
    let text = sim.text();
    assert!(text.contains("waiting ErrImagePull"));
    assert!(text.contains("waiting ImagePullBackOff"));
    insta::assert_snapshot!("image_pull_failures", text);
}

/// PL-10.1: a failing postStart hook kills the container (PostStartHookError)
/// and it is restarted with back-off.
#[test]
fn post_start_failure() {
    let spec =
        json!({"containers": [{"name": "app", "lifecycle": {"postStart": {"exec": {"command": ["init"]}}}}]});
    let mut sim = Sim::new(pod(spec)).stop_delay("app", Some(1)).hooks(|_, hook, attempt| match hook {
        HookKind::PostStart if attempt < 2 => (1, HookOutcome::Failure("exit status 1".into())),
        _ => (0, HookOutcome::Success),
    });
    sim.run_until(60);
    let text = sim.text();
    println!("{text}");
    assert!(text.contains("waiting PostStartHookError"));
    // upstream: handlers.go Run formats an exec hook's failure, which the
    // waiting state shows (the output, unknown here, prints empty).
    assert!(text.contains(
        r#""Exec lifecycle hook ([init]) for Container "app" in Pod "web_default(u1)" failed - error: exit status 1, message: """#
    ));
    insta::assert_snapshot!("post_start_failure", text);
}

/// PL-6.2: readiness gates arrive as condition events.
#[test]
fn readiness_gate_condition() {
    let spec =
        json!({"readinessGates": [{"conditionType": "example.com/lb"}], "containers": [{"name": "app"}]});
    let mut sim = Sim::new(pod(spec));
    let gate = |s: &str| Event::ConditionChanged {
        condition: serde_json::from_value(json!({"type": "example.com/lb", "status": s})).unwrap(),
    };
    sim.at(5, gate("False"));
    sim.at(9, gate("True"));
    sim.run_until(10);
    let status = sim.status();
    let ready = status.conditions.as_ref().unwrap().iter().find(|c| c.type_ == "Ready").unwrap();
    assert_eq!(ready.status.as_str(), "True");
    assert_eq!(ready.last_transition_time, Some(Time::from_unix(9)));
    insta::assert_snapshot!("readiness_gate", sim.text());
}

/// PL-6.8 against upstream's status manager (updateLastTransitionTime,
/// PodConditionByKubelet) and generateAPIPodStatus's gate lookup: a
/// condition the API holds without a time keeps none while its status
/// stays; an Unknown one that becomes False gets the sync's time; a
/// readiness gate on Initialized follows the fresh condition.
#[test]
fn kubelet_conditions_from_an_existing_status() {
    let with_status = |spec: serde_json::Value, conditions: serde_json::Value| {
        let mut p = pod(spec);
        p.status =
            Some(serde_json::from_value(json!({"phase": "Running", "conditions": conditions})).unwrap());
        p
    };
    let of = |status: &PodStatus, t: &str| -> Condition {
        status.conditions.as_ref().unwrap().iter().find(|c| c.type_ == t).unwrap().clone()
    };
    let ready_of = |status: &PodStatus| of(status, "Ready");
    // PodScheduled True without a time: it stays True, so it stays without.
    let mut sim = Sim::new(with_status(
        json!({"containers": [{"name": "app"}]}),
        json!([{"type": "PodScheduled", "status": "True"}]),
    ));
    sim.run_until(10);
    let scheduled = of(&sim.status(), "PodScheduled");
    assert_eq!((scheduled.status.as_str(), scheduled.last_transition_time), ("True", None));
    // Ready Unknown at t=-100; the container never becomes ready.
    let mut sim = Sim::new(with_status(
        json!({"containers": [{"name": "app", "readinessProbe": {"exec": {"command": ["x"]}}}]}),
        json!([{"type": "Ready", "status": "Unknown", "lastTransitionTime": "1969-12-31T23:58:20Z"}]),
    ))
    .probes(|_, _, _, _| ProbeOutcome::Failure);
    sim.run_until(10);
    let ready = ready_of(&sim.status());
    assert_eq!(ready.status.as_str(), "False");
    assert_eq!(ready.last_transition_time, Some(Time::from_unix(0)));
    // A gate on Initialized.
    let mut sim = Sim::new(pod(
        json!({"readinessGates": [{"conditionType": "Initialized"}], "containers": [{"name": "app"}]}),
    ));
    sim.run_until(10);
    assert_eq!(ready_of(&sim.status()).status.as_str(), "True");
}

/// The final status of a pod deleted before any regular container ran,
/// whose last init container is a sidecar (upstream: SyncTerminatedPod
/// generates the conditions from the stopped containers, then
/// TerminatePod's hasPodInitialized counts a sidecar only while it runs):
/// Initialized is False with the sidecar incomplete, and the app container
/// that never started is not rewritten to ContainerStatusUnknown. (Upstream
/// asks hasPodInitialized of the pod object its worker holds, whose status
/// is the API server's copy and may still show the sidecar running; the
/// crate reads the statuses as they end. See the kubelet module docs.)
#[test]
fn deleted_before_init_with_a_sidecar() {
    let spec = json!({"initContainers": [{"name": "sc", "restartPolicy": "Always"}], "containers": [{"name": "app"}]});
    let mut sim = Sim::new(pod(spec)).pull_failures("app", 100).stop_exit("sc", 0);
    sim.at(20, Event::DeletionRequested { grace_period_seconds: Some(5) });
    sim.run_until(60);
    assert!(sim.pl.is_finished());
    let status = sim.status();
    assert_eq!(status.phase.as_ref().unwrap().as_str(), "Failed");
    let initialized =
        status.conditions.as_ref().unwrap().iter().find(|c| c.type_ == "Initialized").unwrap().clone();
    assert_eq!(initialized.status.as_str(), "False");
    assert_eq!(initialized.reason.as_deref(), Some("ContainersNotInitialized"));
    assert_eq!(initialized.message.as_deref(), Some("containers with incomplete status: [sc]"));
    let app = &status.container_statuses()[0];
    assert!(app.state.as_ref().unwrap().terminated.is_none(), "{app:?}");
    // upstream: SyncTerminatedPod generates the conditions with the phase
    // before TerminatePod fails the pod (Pending here), so Ready and
    // ContainersReady say which containers are not ready, not PodFailed.
    for type_ in ["Ready", "ContainersReady"] {
        let c = status.conditions.as_ref().unwrap().iter().find(|c| c.type_ == type_).unwrap();
        assert_eq!(
            (c.status.as_str(), c.reason.as_deref(), c.message.as_deref()),
            ("False", Some("ContainersNotReady"), Some("containers with unready status: [sc app]")),
            "{type_}"
        );
    }
    insta::assert_snapshot!("deleted_before_init_with_a_sidecar", sim.text());

    // A plain init container after the sidecar exited 0: the pod counts as
    // initialized, so the app container is rewritten, but the conditions
    // were generated before the rewrite: the stopped sidecar is incomplete.
    let spec = json!({"initContainers": [{"name": "sc", "restartPolicy": "Always"}, {"name": "setup"}],
                      "containers": [{"name": "app"}]});
    let mut sim = Sim::new(pod(spec))
        .runs("setup", &[RunScript::Exit(1, 0)])
        .pull_failures("app", 100)
        .stop_exit("sc", 0);
    sim.at(20, Event::DeletionRequested { grace_period_seconds: Some(5) });
    sim.run_until(60);
    let status = sim.status();
    let initialized =
        status.conditions.as_ref().unwrap().iter().find(|c| c.type_ == "Initialized").unwrap().clone();
    assert_eq!(initialized.message.as_deref(), Some("containers with incomplete status: [sc]"));
    let app = &status.container_statuses()[0];
    let term = app.state.as_ref().unwrap().terminated.as_ref().expect("rewritten");
    assert_eq!(term.reason.as_deref(), Some("ContainerStatusUnknown"));
    // upstream: TerminatePod's rewritten state sets no times.
    assert_eq!((term.started_at, term.finished_at), (None, None));
}

/// ContainerRestartRules (beta and on in 1.35, as in the crate's defaults): a
/// container's own policy and rules decide its restarts and, with them,
/// the phase (upstream: ContainerShouldRestart, computePodActions,
/// computeInitContainerActions, getPhase). Off, the fields are dropped and
/// the pod's policy decides.
#[test]
fn container_restart_policies_and_rules() {
    let gated = || {
        let mut config = KubeletConfig::default();
        config.features.container_restart_rules = true;
        config
    };
    let run = |spec: serde_json::Value, container: &str, script: &[RunScript], config: KubeletConfig| {
        let mut sim = Sim::with_config(pod(spec), config).runs(container, script);
        sim.run_until(400);
        let phase = sim.status().phase.clone().map(|p| p.as_str().to_owned()).unwrap_or_default();
        (sim.starts(container).len(), phase)
    };
    // A container that restarts always, in a pod that never restarts.
    let spec = json!({"restartPolicy": "Never", "containers": [{"name": "app", "restartPolicy": "Always"}]});
    let (starts, phase) = run(spec.clone(), "app", &[RunScript::Exit(5, 1), RunScript::Forever], gated());
    assert_eq!((starts, phase.as_str()), (2, "Running"));
    // The same pod with the gate off: the field is dropped.
    let mut off = KubeletConfig::default();
    off.features.container_restart_rules = false;
    let (starts, phase) = run(spec, "app", &[RunScript::Exit(5, 1), RunScript::Forever], off);
    assert_eq!((starts, phase.as_str()), (1, "Failed"));
    // A container that never restarts, in a pod that always does.
    let spec = json!({"restartPolicy": "Always", "containers": [{"name": "app", "restartPolicy": "Never"}]});
    let (starts, phase) = run(spec, "app", &[RunScript::Exit(5, 1), RunScript::Forever], gated());
    assert_eq!((starts, phase.as_str()), (1, "Failed"));
    // A rule restarts on exit code 42 only.
    let spec = json!({"restartPolicy": "Never", "containers": [{"name": "app", "restartPolicy": "Never",
        "restartPolicyRules": [{"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}]}]});
    let (starts, phase) =
        run(spec, "app", &[RunScript::Exit(5, 42), RunScript::Exit(5, 1), RunScript::Forever], gated());
    assert_eq!((starts, phase.as_str()), (2, "Failed"));
    // A plain init container that restarts on failure, in a Never pod.
    let spec = json!({"restartPolicy": "Never", "initContainers": [{"name": "setup", "restartPolicy": "OnFailure"}],
        "containers": [{"name": "app"}]});
    let (starts, phase) = run(spec, "setup", &[RunScript::Exit(5, 1), RunScript::Exit(5, 0)], gated());
    assert_eq!((starts, phase.as_str()), (2, "Running"));
}

/// ContainerRestartRules: a plain init container whose policy says Never
/// but whose rule restarts its exit code. The runtime asks
/// ShouldContainerBeRestarted, rules included, of a failed init container
/// (upstream computeInitContainerActions, ContainerStateExited), as getPhase
/// does: the init container runs again and the pod goes on; an exit code no
/// rule names stops the pod.
#[test]
fn init_container_restart_rule_and_the_phase() {
    let spec = json!({"restartPolicy": "Never",
        "initContainers": [
            {"name": "sc", "restartPolicy": "Always"},
            {"name": "setup", "restartPolicy": "Never",
             "restartPolicyRules": [{"action": "Restart", "exitCodes": {"operator": "In", "values": [42]}}]}],
        "containers": [{"name": "app"}]});
    let mut config = KubeletConfig::default();
    config.features.container_restart_rules = true;
    let mut sim = Sim::with_config(pod(spec.clone()), config.clone())
        .runs("sc", &[RunScript::Forever])
        .runs("setup", &[RunScript::Exit(5, 42), RunScript::Exit(5, 0)])
        .runs("app", &[RunScript::Forever]);
    sim.run_until(60);
    assert_eq!(sim.starts("setup").len(), 2, "{}", sim.text());
    assert_eq!(sim.starts("app").len(), 1, "{}", sim.text());
    assert_eq!(sim.status().phase.unwrap().as_str(), "Running");
    // Exit code 1: no rule matches, the policy says Never, the pod fails
    // once the sidecar has stopped.
    let mut sim = Sim::with_config(pod(spec), config)
        .runs("sc", &[RunScript::Forever])
        .runs("setup", &[RunScript::Exit(5, 1)])
        .stop_delay("sc", Some(20));
    sim.run_until(15);
    assert!(!sim.pl.is_finished(), "the sidecar is still stopping:\n{}", sim.text());
    // getPhase reads Failed (failedInitializationNotRestartable), but the
    // status manager holds a terminal phase back while the sidecar stops.
    assert_eq!(sim.pl.phase().as_str(), "Failed", "{}", sim.text());
    assert_eq!(sim.status().phase.unwrap().as_str(), "Pending");
    sim.run_until(60);
    assert!(sim.pl.is_finished());
    assert_eq!(sim.status().phase.unwrap().as_str(), "Failed");
    assert_eq!(sim.starts("setup").len(), 1);
}

/// With PodReadyToStartContainersCondition off the condition is someone
/// else's: the kubelet keeps the API's as it is (upstream:
/// PodConditionByKubelet).
#[test]
fn ready_to_start_condition_with_the_gate_off() {
    let mut p = pod(json!({"containers": [{"name": "app"}]}));
    p.status = Some(
        serde_json::from_value(json!({"conditions": [
            {"type": "PodReadyToStartContainers", "status": "False", "lastTransitionTime": "1970-01-01T00:00:00Z"}
        ]}))
        .unwrap(),
    );
    let mut config = KubeletConfig::default();
    config.features.pod_ready_to_start_containers_condition = false;
    let mut sim = Sim::with_config(p, config);
    sim.run_until(10);
    let status = sim.status();
    let conds = status.conditions.as_ref().unwrap();
    let kept: Vec<&Condition> = conds.iter().filter(|c| c.type_ == "PodReadyToStartContainers").collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].status.as_str(), "False");
    assert_eq!(conds[0].type_, "PodReadyToStartContainers");
}

/// PL-9.3: under Never, a liveness failure kills the container for good and
/// the pod fails.
#[test]
fn liveness_failure_under_never_fails_the_pod() {
    let spec = json!({"restartPolicy": "Never", "containers": [{
        "name": "app", "livenessProbe": {"exec": {"command": ["ok"]}, "periodSeconds": 10, "failureThreshold": 1}
    }]});
    let mut sim = Sim::new(pod(spec))
        .probes(|_, _, _, t| if t >= 20 { ProbeOutcome::Failure } else { ProbeOutcome::Success });
    sim.run_until(100);
    assert_eq!(sim.status().phase.unwrap().as_str(), "Failed");
    assert!(sim.pl.is_finished());
    let starts = sim.log.iter().filter(|l| l.contains("-> start app")).count();
    assert_eq!(starts, 1);
}

/// Deleting a pod whose container never started: the container gets
/// ContainerStatusUnknown (PL-4.7) and the pod fails.
#[test]
fn deletion_before_start() {
    let mut sim = Sim::new(pod(json!({"containers": [{"name": "app"}]}))).pull_failures("app", 100);
    sim.at(5, Event::DeletionRequested { grace_period_seconds: Some(0) });
    sim.run_until(30);
    let status = sim.status();
    assert_eq!(status.phase.as_ref().unwrap().as_str(), "Failed");
    let app = &status.container_statuses()[0];
    let t = app.state.as_ref().unwrap().terminated.as_ref().unwrap();
    assert_eq!((t.exit_code, t.reason.as_deref()), (137, Some("ContainerStatusUnknown")));
}

/// PL-11.8: node-pressure eviction: Failed / Evicted, DisruptionTarget
/// (TerminationByKubelet) and termination with the kubelet's grace override.
// upstream: pkg/kubelet/eviction/eviction_manager.go: evictPod
#[test]
fn eviction_by_the_kubelet() {
    let spec = json!({"terminationGracePeriodSeconds": 30, "containers": [{"name": "app"}]});
    let mut sim = Sim::new(pod(spec)).stop_delay("app", None);
    sim.at(
        10,
        Event::Evicted {
            reason: "Evicted".into(),
            message: "The node was low on resource: memory.".into(),
            grace_period_override_seconds: Some(0),
        },
    );
    sim.run_until(60);
    let status = sim.status();
    assert_eq!(status.phase.as_ref().unwrap().as_str(), "Failed");
    assert_eq!(status.reason.as_deref(), Some("Evicted"));
    let dt = status.conditions.as_ref().unwrap().iter().find(|c| c.type_ == "DisruptionTarget").unwrap();
    assert_eq!(dt.reason.as_deref(), Some("TerminationByKubelet"));
    insta::assert_snapshot!("eviction", sim.text());
    insta::assert_snapshot!("eviction_status", yaml(&status));
}

/// upstream computePodActions: when nothing regular is kept or started the
/// pod is killed and InitContainersToStart is cleared, so that sidecars do
/// not keep it alive. Here the initialized pod (sc2 runs) sees app exit
/// under Never while sc1's back-off ends at the same instant: sc1 is not
/// started only to be stopped.
#[test]
fn a_pod_being_killed_restarts_no_sidecar() {
    let spec = json!({"restartPolicy": "Never",
        "initContainers": [{"name": "sc1", "restartPolicy": "Always"}, {"name": "sc2", "restartPolicy": "Always"}],
        "containers": [{"name": "app"}]});
    let mut sim = Sim::new(pod(spec))
        .runs("sc1", &[RunScript::Exit(5, 1), RunScript::Exit(1, 1), RunScript::Forever])
        .runs("sc2", &[RunScript::Forever])
        .runs("app", &[RunScript::Exit(16, 0)]);
    sim.run_until(40);
    assert_eq!(sim.starts("sc1"), [0, 5], "{}", sim.text());
    assert!(sim.pl.is_finished(), "{}", sim.text());
}

/// upstream SyncPod: generateAPIPodStatus first; a terminal phase ends the
/// sync before computePodActions, and the pod worker terminates the pod.
/// Here the last regular container succeeds while the sidecar waits out a
/// crash back-off: the pod finishes then, and the sidecar is not started
/// again only to be stopped.
#[test]
fn a_terminal_phase_ends_the_pod_without_restarting_sidecars() {
    let spec = json!({"restartPolicy": "Never",
        "initContainers": [{"name": "proxy", "restartPolicy": "Always"}],
        "containers": [{"name": "main"}]});
    let mut sim = Sim::new(pod(spec))
        .runs("proxy", &[RunScript::Exit(10, 1), RunScript::Exit(2, 1), RunScript::Forever])
        .runs("main", &[RunScript::Exit(15, 0)]);
    sim.run_until(60);
    assert_eq!(sim.starts("proxy"), [0, 10], "{}", sim.text());
    assert!(sim.pl.is_finished(), "{}", sim.text());
    assert_eq!(sim.status().phase.unwrap().as_str(), "Succeeded");
}

/// upstream convertToAPIContainerStatuses shows a start-failure reason
/// where ShouldContainerBeRestarted holds; with ContainerRestartRules that
/// is ContainerShouldRestart, true for a sidecar's own `Always` whatever
/// the pod's policy. A kubelet-initiated termination (the active deadline)
/// keeps a crash-looping sidecar's CrashLoopBackOff, which TerminatePod
/// then turns into ContainerStatusUnknown.
#[test]
fn a_crash_looping_sidecar_keeps_its_reason_through_the_deadline() {
    let spec = json!({"restartPolicy": "Never", "activeDeadlineSeconds": 20,
        "initContainers": [{"name": "proxy", "restartPolicy": "Always"}],
        "containers": [{"name": "main"}]});
    let mut sim = Sim::new(pod(spec))
        .runs(
            "proxy",
            &[RunScript::Exit(5, 1), RunScript::Exit(2, 1), RunScript::Exit(1, 1), RunScript::Forever],
        )
        .runs("main", &[RunScript::Forever]);
    sim.run_until(120);
    assert!(sim.pl.is_finished(), "{}", sim.text());
    let status = sim.status();
    let proxy = &status.init_container_statuses()[0];
    let term = proxy.state.as_ref().and_then(|s| s.terminated.as_ref()).expect("terminated");
    assert_eq!(term.reason.as_deref(), Some("ContainerStatusUnknown"), "{}", sim.text());
}

/// The state `container` shows in `s`, as the summary line writes it.
fn shown_state(s: &PodStatus, container: &str) -> String {
    let line = summary(s);
    let tag = format!("| {container}: ");
    line.split_once(&tag)
        .map(|(_, rest)| rest.split(" | ").next().unwrap_or(rest))
        .map(|st| st.split(" restarts=").next().unwrap_or(st).trim_end_matches(" started").to_owned())
        .unwrap_or_default()
}

/// upstream convertToAPIContainerStatuses: an init container whose newest
/// run exited 0 never shows a waiting reason, a sidecar included. A sidecar
/// that exited 0 and whose restart cannot pull its image keeps showing that
/// exit (no new instance exists), through the pull back-off, until a start
/// succeeds.
#[test]
fn a_sidecar_that_exited_zero_shows_its_exit_through_pull_failures() {
    let spec = json!({
        "initContainers": [{"name": "proxy", "restartPolicy": "Always"}],
        "containers": [{"name": "app"}]
    });
    let mut sim = Sim::new(pod(spec)).runs("proxy", &[RunScript::Exit(5, 0), RunScript::Forever]);
    sim.run_until(4);
    sim.pull_failures.insert("proxy".to_owned(), 2);
    sim.run_until(5);
    assert!(sim.text().contains("t=   5s  proxy image pull failed"), "{}", sim.text());
    assert_eq!(shown_state(&sim.status(), "proxy"), "terminated 0 Completed");
    // The pull back-off after the second failure shows no reason either.
    sim.run_until(24);
    assert_eq!(sim.text().matches("proxy image pull failed").count(), 2, "{}", sim.text());
    assert_eq!(shown_state(&sim.status(), "proxy"), "terminated 0 Completed");
    assert!(!sim.text().contains("proxy: waiting ErrImagePull"), "{}", sim.text());
    assert!(!sim.text().contains("proxy: waiting ImagePullBackOff"), "{}", sim.text());
    sim.run_until(60);
    assert!(shown_state(&sim.status(), "proxy").starts_with("running"), "{}", sim.text());
    // A regular container's pull failure after an exit 0 does show.
    let spec = json!({"containers": [{"name": "app"}]});
    let mut sim = Sim::new(pod(spec)).runs("app", &[RunScript::Exit(5, 0), RunScript::Forever]);
    sim.run_until(4);
    sim.pull_failures.insert("app".to_owned(), 1);
    sim.run_until(5);
    assert_eq!(shown_state(&sim.status(), "app"), "waiting ErrImagePull \"rpc error: manifest unknown\"");
}

/// upstream convertToAPIContainerStatuses shows a start-failure reason only
/// where ShouldContainerBeRestarted holds. With ContainerRestartRules off
/// that reads the pod's policy, so a Never pod's sidecar in crash back-off
/// shows its exit, not CrashLoopBackOff, though the kubelet restarts it all
/// the same (computeInitContainerActions); with the gate on, the sidecar's
/// own Always counts and the reason shows.
#[test]
fn a_never_pods_sidecar_in_back_off_shows_its_exit_with_restart_rules_off() {
    let spec = json!({
        "restartPolicy": "Never",
        "initContainers": [{"name": "proxy", "restartPolicy": "Always"}],
        "containers": [{"name": "app"}]
    });
    let run = |rules: bool| {
        let mut config = KubeletConfig::default();
        config.features.container_restart_rules = rules;
        let mut sim = Sim::with_config(pod(spec.clone()), config)
            .runs("proxy", &[RunScript::Exit(5, 1), RunScript::Exit(5, 1), RunScript::Forever]);
        sim.run_until(12);
        let shown = shown_state(&sim.status(), "proxy");
        sim.run_until(40);
        (shown, sim.starts("proxy"))
    };
    let (shown, starts) = run(false);
    assert_eq!(shown, "terminated 1 Error");
    assert_eq!(starts, vec![0, 5, 20]);
    let (shown, starts) = run(true);
    assert!(shown.starts_with("waiting CrashLoopBackOff"), "{shown}");
    assert_eq!(starts, vec![0, 5, 20]);
}

/// upstream: status_manager_test.go TestTerminatePodWaiting and
/// TestTerminatePod_DefaultUnknownStatus "uninitialized pod defaults only
/// the first init container": TerminatePod rewrites only the init
/// containers up to the last one that started; one after it keeps the
/// status the final generateAPIPodStatus gave it. For a pod the kubelet
/// terminates itself (here its active deadline), ShouldContainerBeRestarted
/// still holds, so that status shows the container's start failure from
/// the reason cache: `ImagePullBackOff`, not the default `PodInitializing`.
#[test]
fn a_kubelet_termination_keeps_the_start_failure_of_an_init_container_never_started() {
    let spec = json!({"activeDeadlineSeconds": 30,
        "initContainers": [{"name": "a"}, {"name": "b"}], "containers": [{"name": "app"}]});
    let mut sim = Sim::new(pod(spec)).runs("a", &[RunScript::Exit(1, 0)]).pull_failures("b", 100);
    sim.run_until(60);
    assert!(sim.pl.is_finished());
    let status = sim.status();
    assert_eq!(status.reason.as_deref(), Some("DeadlineExceeded"));
    let b = status.init_container_statuses().iter().find(|c| c.name == "b").expect("b").clone();
    let waiting = b.state.as_ref().and_then(|s| s.waiting.as_ref()).expect("b waiting");
    assert_eq!(waiting.reason.as_deref(), Some("ImagePullBackOff"), "{b:?}");
}
