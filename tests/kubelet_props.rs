//! Property tests of the pod lifecycle over random pods and random event
//! sequences: the machine never panics, restartCount never decreases, a
//! terminal phase never changes, a ready container is running, restartPolicy
//! Never starts no container twice (sidecars excepted), the phase is never
//! Unknown, and a timeout never asks to be called again in the past.

use std::collections::HashMap;

use kube_workloads::api::{Pod, PodPhase, Time};
use kube_workloads::kubelet::{Command, Event, HookOutcome, KubeletConfig, PodLifecycle, ProbeOutcome};
use proptest::prelude::*;
use serde_json::{Value, json};

#[derive(Clone, Debug)]
struct ContainerCfg {
    startup: bool,
    liveness: bool,
    readiness: bool,
    post_start: bool,
    pre_stop: bool,
    period: i32,
    threshold: i32,
    /// With ContainerRestartRules: 0 no own policy, 1 Always, 2 OnFailure,
    /// 3 Never, 4 Never with a rule restarting exit code 7.
    own: u8,
}

fn container_cfg() -> impl Strategy<Value = ContainerCfg> {
    (any::<[bool; 5]>(), 1..4i32, 1..4i32, 0..5u8).prop_map(|(b, period, threshold, own)| ContainerCfg {
        startup: b[0],
        liveness: b[1],
        readiness: b[2],
        post_start: b[3],
        pre_stop: b[4],
        period,
        threshold,
        own,
    })
}

#[derive(Clone, Debug)]
struct PodCfg {
    policy: u8,
    init: Vec<(bool, ContainerCfg)>,
    regular: Vec<ContainerCfg>,
    deadline: Option<i64>,
    grace: i64,
    gate: bool,
    /// ContainerRestartRules on, with the containers' own policies.
    rules: bool,
}

fn pod_cfg() -> impl Strategy<Value = PodCfg> {
    (
        0..3u8,
        prop::collection::vec((any::<bool>(), container_cfg()), 0..3),
        prop::collection::vec(container_cfg(), 1..4),
        prop::option::of(5..200i64),
        0..40i64,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(policy, init, regular, deadline, grace, gate, rules)| PodCfg {
            policy,
            init,
            regular,
            deadline,
            grace,
            gate,
            rules,
        })
}

fn container_json(name: &str, c: &ContainerCfg, sidecar: bool, rules: bool) -> Value {
    let probe =
        json!({"exec": {"command": ["x"]}, "periodSeconds": c.period, "failureThreshold": c.threshold});
    let mut v = json!({"name": name, "image": "img"});
    if sidecar {
        v["restartPolicy"] = json!("Always");
    } else if rules && c.own > 0 {
        // A plain init container may not take Always (that makes a sidecar).
        let own = match c.own {
            1 if !name.starts_with("init") => "Always",
            1 | 2 => "OnFailure",
            _ => "Never",
        };
        v["restartPolicy"] = json!(own);
        if c.own == 4 {
            v["restartPolicyRules"] =
                json!([{"action": "Restart", "exitCodes": {"operator": "In", "values": [7]}}]);
        }
    }
    if c.startup {
        v["startupProbe"] = probe.clone();
    }
    if c.liveness {
        v["livenessProbe"] = probe.clone();
    }
    if c.readiness {
        v["readinessProbe"] = probe;
    }
    let mut lifecycle = json!({});
    if c.post_start {
        lifecycle["postStart"] = json!({"exec": {"command": ["x"]}});
    }
    if c.pre_stop {
        lifecycle["preStop"] = json!({"sleep": {"seconds": 3}});
    }
    v["lifecycle"] = lifecycle;
    v
}

fn build_pod(cfg: &PodCfg) -> Pod {
    let policy = ["Always", "OnFailure", "Never"][usize::from(cfg.policy % 3)];
    let init: Vec<Value> = cfg
        .init
        .iter()
        .enumerate()
        .map(|(i, (sc, c))| container_json(&format!("init{i}"), c, *sc, cfg.rules))
        .collect();
    let regular: Vec<Value> = cfg
        .regular
        .iter()
        .enumerate()
        .map(|(i, c)| container_json(&format!("c{i}"), c, false, cfg.rules))
        .collect();
    let mut spec = json!({
        "restartPolicy": policy,
        "terminationGracePeriodSeconds": cfg.grace,
        "initContainers": init,
        "containers": regular,
    });
    if let Some(d) = cfg.deadline {
        spec["activeDeadlineSeconds"] = json!(d);
    }
    if cfg.gate {
        spec["readinessGates"] = json!([{"conditionType": "gate"}]);
    }
    serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "ns", "uid": "u"}, "spec": spec}))
        .unwrap()
}

#[derive(Clone, Debug)]
enum Step {
    /// Answer one outstanding command (index modulo their number) with a
    /// choice of outcome.
    Respond(usize, u8),
    /// A running container exits by itself.
    Exit(usize, i32),
    /// Jump to the next timeout (or forward by the delta).
    Advance(i64),
    /// Deletion with a grace period.
    Delete(Option<i64>),
    /// The readiness gate flips.
    Gate(bool),
    /// The kubelet evicts the pod with a grace override.
    Evict(Option<i64>),
    /// A nonsensical event: unknown container, stale attempt...
    Garbage(u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (any::<usize>(), any::<u8>()).prop_map(|(i, o)| Step::Respond(i, o)),
        2 => (0..6usize, prop_oneof![Just(0), Just(1), Just(137)]).prop_map(|(i, c)| Step::Exit(i, c)),
        4 => (0..50i64).prop_map(Step::Advance),
        1 => prop::option::of(0..40i64).prop_map(Step::Delete),
        1 => any::<bool>().prop_map(Step::Gate),
        1 => prop::option::of(0..40i64).prop_map(Step::Evict),
        1 => any::<u8>().prop_map(Step::Garbage),
    ]
}

fn response(cmd: &Command, choice: u8) -> Option<Event> {
    Some(match cmd.clone() {
        Command::CreateSandbox if choice % 4 == 3 => Event::SandboxCreateFailed { message: "cni".into() },
        Command::CreateSandbox => Event::SandboxReady { pod_ip: Some("10.0.0.1".into()) },
        Command::StartContainer { container, .. } => match choice % 5 {
            0..=2 => Event::ContainerStarted { container },
            3 => Event::ImagePullFailed { container, message: "nope".into() },
            _ => Event::ContainerStartFailed {
                container,
                reason: "CreateContainerConfigError".into(),
                message: "no secret".into(),
            },
        },
        Command::RunProbe { container, attempt, probe, .. } => {
            let outcome =
                [ProbeOutcome::Success, ProbeOutcome::Failure, ProbeOutcome::Error][usize::from(choice % 3)];
            Event::ProbeResult { container, attempt, probe, outcome }
        }
        Command::RunHook { container, attempt, hook, .. } => {
            let outcome = if choice.is_multiple_of(4) {
                HookOutcome::Failure("boom".into())
            } else {
                HookOutcome::Success
            };
            Event::HookFinished { container, attempt, hook, outcome }
        }
        Command::StopContainer { container, .. } => {
            Event::ContainerExited { container, exit_code: 143, reason: None, message: None }
        }
        Command::KillContainer { container, .. } => {
            Event::ContainerExited { container, exit_code: 137, reason: None, message: None }
        }
        Command::KillSandbox => return None,
    })
}

fn garbage(g: u8) -> Event {
    match g % 4 {
        0 => Event::ContainerStarted { container: "nope".into() },
        1 => Event::ProbeResult {
            container: "c0".into(),
            attempt: 99,
            probe: kube_workloads::kubelet::ProbeKind::Liveness,
            outcome: ProbeOutcome::Failure,
        },
        2 => Event::ContainerExited { container: "c0".into(), exit_code: -1, reason: None, message: None },
        _ => Event::HookFinished {
            container: "init0".into(),
            attempt: 7,
            hook: kube_workloads::kubelet::HookKind::PreStop,
            outcome: HookOutcome::Success,
        },
    }
}

struct Checker {
    /// Containers that may start only once (attempt 0).
    start_once: Vec<String>,
    sidecars: Vec<String>,
    gates: kube_workloads::FeatureGates,
    restarts: HashMap<String, i32>,
    starts: HashMap<String, u32>,
    terminal: Option<PodPhase>,
    conditions: HashMap<String, (String, Option<Time>)>,
    /// The pod, and the status last published: each new one must be a
    /// status update the API server accepts.
    pod: Pod,
    previous: Option<kube_workloads::api::PodStatus>,
}

impl Checker {
    fn observe(
        &mut self,
        pl: &mut PodLifecycle,
        outstanding: &mut Vec<Command>,
        now: i64,
    ) -> Result<(), TestCaseError> {
        while let Some(cmd) = pl.poll_command() {
            if let Command::StartContainer { container, attempt } = &cmd {
                // A retried start of the first instance (after an image pull
                // failure) is not a restart: only attempt > 0 is.
                if self.start_once.contains(&container.to_string()) {
                    prop_assert_eq!(*attempt, 0, "a never-restarting container restarted: {}", container);
                }
                let n = self.starts.entry(container.to_string()).or_default();
                *n += 1;
            }
            outstanding.push(cmd);
        }
        let status = pl.status();
        // upstream: ValidatePodStatusUpdate (pods/status) accepts every
        // status the kubelet writes after the previous one.
        if let Some(prev) = self.previous.replace(status.clone()) {
            let (mut old, mut new) = (self.pod.clone(), self.pod.clone());
            old.status = Some(prev);
            new.status = Some(status.clone());
            let verdict = kube_workloads::validation::validate_status_update_with_gates(
                &old.into(),
                &new.into(),
                &self.gates,
            );
            prop_assert!(
                verdict.is_ok(),
                "status update rejected: {}",
                verdict.err().map(|e| e.to_string()).unwrap_or_default()
            );
        }
        let phase = status.phase.clone().unwrap();
        prop_assert_ne!(&phase, &PodPhase::Unknown);
        if let Some(t) = &self.terminal {
            prop_assert_eq!(t, &phase, "terminal phase changed");
        } else if phase.is_terminal() {
            self.terminal = Some(phase.clone());
        }
        // PL-6.8: lastTransitionTime moves exactly when the status flips.
        for c in status.conditions.as_deref().unwrap_or(&[]) {
            let cur = (c.status.as_str().to_owned(), c.last_transition_time);
            if let Some((prev_status, prev_time)) = self.conditions.insert(c.type_.clone(), cur.clone()) {
                if prev_status == cur.0 {
                    prop_assert_eq!(prev_time, cur.1, "{} moved without a flip", &c.type_);
                } else if c.type_ != "gate" {
                    prop_assert_eq!(cur.1, Some(Time::from_unix(now)), "{} flipped without moving", &c.type_);
                }
            }
        }
        for s in status.init_container_statuses().iter().chain(status.container_statuses()) {
            let prev = self.restarts.insert(s.name.clone(), s.restart_count).unwrap_or(0);
            prop_assert!(s.restart_count >= prev, "restartCount of {} decreased", s.name);
            let running = s.state.as_ref().is_some_and(|st| st.running.is_some());
            let terminated = s.state.as_ref().is_some_and(|st| st.terminated.is_some());
            let is_init = status.init_container_statuses().iter().any(|i| i.name == s.name);
            let plain_init = is_init && !self.sidecars.contains(&s.name);
            if s.ready && !plain_init {
                prop_assert!(running, "{} ready but not running", s.name);
            }
            if s.ready && plain_init {
                prop_assert!(terminated, "init {} ready but not terminated", s.name);
            }
            if s.started == Some(true) {
                prop_assert!(running, "{} started but not running", s.name);
            }
        }
        Ok(())
    }
}

fn run(cfg: PodCfg, steps: Vec<Step>) -> Result<(), TestCaseError> {
    let pod = build_pod(&cfg);
    let mut now = 0i64;
    let mut config = KubeletConfig::default();
    config.features.container_restart_rules = cfg.rules;
    let mut pl = PodLifecycle::new(&pod, Time::from_unix(now), config.clone());
    // Never restarted: under a Never pod the containers without their own
    // policy; with ContainerRestartRules, those whose own policy is Never
    // without a rule.
    let pod_never = cfg.policy % 3 == 2;
    let own_of = |c: &ContainerCfg| if cfg.rules { c.own } else { 0 };
    let start_once: Vec<String> = cfg
        .init
        .iter()
        .enumerate()
        .filter(|(_, (sc, _))| !sc)
        .map(|(i, (_, c))| (format!("init{i}"), own_of(c)))
        .chain(cfg.regular.iter().enumerate().map(|(i, c)| (format!("c{i}"), own_of(c))))
        .filter(|(_, own)| *own == 3 || (*own == 0 && pod_never))
        .map(|(name, _)| name)
        .collect();
    let mut checker = Checker {
        start_once,
        gates: config.features.clone(),
        sidecars: cfg
            .init
            .iter()
            .enumerate()
            .filter(|(_, (sc, _))| *sc)
            .map(|(i, _)| format!("init{i}"))
            .collect(),
        restarts: HashMap::new(),
        starts: HashMap::new(),
        terminal: None,
        conditions: HashMap::new(),
        pod: pod.clone(),
        previous: None,
    };
    let mut outstanding = Vec::new();
    checker.observe(&mut pl, &mut outstanding, now)?;
    let names: Vec<String> = (0..cfg.init.len())
        .map(|i| format!("init{i}"))
        .chain((0..cfg.regular.len()).map(|i| format!("c{i}")))
        .collect();
    for step in steps {
        match step {
            Step::Respond(i, choice) => {
                if outstanding.is_empty() {
                    continue;
                }
                let cmd = outstanding.remove(i % outstanding.len());
                if let Some(ev) = response(&cmd, choice) {
                    pl.handle(ev, Time::from_unix(now));
                }
            }
            Step::Exit(i, code) => {
                if let Some(name) = names.get(i % names.len().max(1)) {
                    let ev = Event::ContainerExited {
                        container: name.as_str().into(),
                        exit_code: code,
                        reason: None,
                        message: None,
                    };
                    pl.handle(ev, Time::from_unix(now));
                }
            }
            Step::Advance(delta) => {
                let next = pl.poll_timeout().map(|t| t.unix());
                now = match next {
                    Some(t) if t >= now => t,
                    Some(t) => {
                        return Err(TestCaseError::fail(format!("timeout {t} is in the past of {now}")));
                    }
                    None => now + delta,
                };
                pl.handle_timeout(Time::from_unix(now));
                if let Some(t) = pl.poll_timeout() {
                    prop_assert!(t.unix() > now, "poll_timeout {} not after handle_timeout({now})", t.unix());
                }
            }
            Step::Delete(grace) => {
                pl.handle(Event::DeletionRequested { grace_period_seconds: grace }, Time::from_unix(now))
            }
            Step::Gate(v) => {
                let condition = serde_json::from_value(
                    json!({"type": "gate", "status": if v { "True" } else { "False" }}),
                )
                .unwrap();
                pl.handle(Event::ConditionChanged { condition }, Time::from_unix(now));
            }
            Step::Evict(grace) => {
                let ev = Event::Evicted {
                    reason: "Evicted".into(),
                    message: "low on memory".into(),
                    grace_period_override_seconds: grace,
                };
                pl.handle(ev, Time::from_unix(now));
            }
            Step::Garbage(g) => pl.handle(garbage(g), Time::from_unix(now)),
        }
        checker.observe(&mut pl, &mut outstanding, now)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_event_sequences_keep_the_invariants(cfg in pod_cfg(), steps in prop::collection::vec(step(), 0..120)) {
        run(cfg, steps)?;
    }
}

/// A responsive executor that answers every command at once and always
/// succeeds: a healthy pod converges to Running and Ready.
#[test]
fn well_behaved_executor_converges_to_ready() {
    let cfg = PodCfg {
        policy: 0,
        init: vec![],
        regular: vec![ContainerCfg {
            startup: true,
            liveness: true,
            readiness: true,
            post_start: true,
            pre_stop: true,
            period: 2,
            threshold: 1,
            own: 0,
        }],
        deadline: None,
        grace: 30,
        gate: false,
        rules: false,
    };
    let pod = build_pod(&cfg);
    let mut pl = PodLifecycle::new(&pod, Time::from_unix(0), KubeletConfig::default());
    let mut now = 0;
    for _ in 0..50 {
        while let Some(cmd) = pl.poll_command() {
            let happy = if matches!(cmd, Command::RunHook { .. }) { 1 } else { 0 };
            if let Some(ev) = response(&cmd, happy) {
                pl.handle(ev, Time::from_unix(now));
            }
        }
        let Some(t) = pl.poll_timeout() else { break };
        now = t.unix();
        pl.handle_timeout(t);
    }
    let status = pl.status();
    assert!(kube_workloads::pod::is_pod_ready(&Pod { status: Some(status.clone()), ..pod }), "{status:#?}");
}

/// ContainerRestartRules on: a container whose own policy is Never is not
/// restarted in a pod whose policy is Always, and every status published on
/// the way is a valid update under the same gate.
#[test]
fn own_never_policy_holds_in_an_always_pod() {
    let quiet = ContainerCfg {
        startup: false,
        liveness: false,
        readiness: false,
        post_start: false,
        pre_stop: false,
        period: 1,
        threshold: 1,
        own: 3,
    };
    let cfg = PodCfg {
        policy: 0,
        init: vec![],
        regular: vec![quiet],
        deadline: None,
        grace: 1,
        gate: false,
        rules: true,
    };
    let mut steps = vec![Step::Respond(0, 0), Step::Respond(0, 0), Step::Exit(0, 1)];
    steps.extend((0..10).flat_map(|_| [Step::Advance(20), Step::Respond(0, 0)]));
    run(cfg, steps).expect("holds");
}
