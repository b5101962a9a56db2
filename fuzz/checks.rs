//! The check logic of every fuzz target, shared by the cargo-fuzz targets
//! (`fuzz/fuzz_targets/*.rs`, nightly / `RUSTC_BOOTSTRAP`) and the stable
//! corpus replay (`tests/fuzz_corpus.rs`). Each `pub fn` takes the raw input
//! bytes; structured targets read them with [`Bytes`], a small hand-written
//! byte reader (no `arbitrary`), so a corpus or crash file replays exactly
//! the same on stable as under libFuzzer.
//!
//! A check panics on a violated property; everything else (invalid JSON, an
//! unknown kind, a selector that does not parse) is an uninteresting input
//! and returns quietly.
#![allow(dead_code)]

use std::collections::HashMap;

use kube_workloads::api::{
    CronJob, DaemonSet, Deployment, Job, Node, PersistentVolumeClaim, Pod, ReplicaSet, ReplicationController,
    StatefulSet, Time, unwrap_list,
};
use kube_workloads::controller::{
    Action, ControllerMemory, ReplicaSetMemory, cronjob, daemonset, deployment, job, podgc, replicaset,
    statefulset,
};
use kube_workloads::kubelet::{
    Command, Event, HookKind, HookOutcome, KubeletConfig, PodLifecycle, ProbeOutcome,
};
use kube_workloads::schedule::Schedule;
use kube_workloads::selector::{self, Selector};
use kube_workloads::{Object, defaults, validation};
use serde_json::{Value, json};

/// A check: raw fuzzer input in, a panic on a violated property.
pub type Check = fn(&[u8]);

/// The fuzz targets by name, in the order the replay runs them.
pub const TARGETS: &[(&str, Check)] = &[
    ("decode_validate_default", decode_validate_default),
    ("selector_parse", selector_parse),
    ("cron_parse", cron_parse),
    ("pod_lifecycle", pod_lifecycle),
    ("replicaset_reconcile", replicaset_reconcile),
    ("replication_controller_reconcile", replication_controller_reconcile),
    ("deployment_reconcile", deployment_reconcile),
    ("cronjob_reconcile", cronjob_reconcile),
    ("job_reconcile", job_reconcile),
    ("statefulset_reconcile", statefulset_reconcile),
    ("daemonset_reconcile", daemonset_reconcile),
    ("podgc_reconcile", podgc_reconcile),
    ("sim_scenario", sim_scenario),
];

// ---------------------------------------------------------------------------
// Byte reader
// ---------------------------------------------------------------------------

/// Reads structured choices from fuzzer bytes. Past the end every read
/// gives zero, so any input, even empty, decodes to something.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Bytes<'a> {
        Bytes { data, pos: 0 }
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos = self.pos.saturating_add(1);
        b
    }

    pub fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::from(self.u8()) % n.max(1)
    }

    pub fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }

    /// Optionally one of `items`.
    pub fn maybe<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        if self.bool() { Some(self.pick(items)) } else { None }
    }

    /// A short string: one of `items` most of the time, else raw bytes.
    pub fn text(&mut self, items: &[&str]) -> String {
        if self.u8() < 224 {
            self.pick(items).to_owned()
        } else {
            let len = self.below(12);
            (0..len).map(|_| char::from(self.u8())).collect()
        }
    }
}

fn hash(data: &[u8]) -> u64 {
    // FNV-1a
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Seconds of year 0001-01-01 and 9999-12-31T23:59:59 (RFC 3339's range).
const MIN_UNIX: i64 = -62_135_596_800;
const MAX_UNIX: i64 = 253_402_300_799;

fn time_from(b: &mut Bytes<'_>) -> Time {
    match b.below(8) {
        0 => Time::from_unix(MIN_UNIX),
        1 => Time::from_unix(MAX_UNIX),
        2 => Time::from_unix(-1 - i64::from(b.u16())),
        3 => Time::from_unix(i64::from(b.u32()) * 3600 % (MAX_UNIX - MIN_UNIX) + MIN_UNIX),
        _ => Time::from_unix(1_700_000_000 + i64::from(b.u32() % 100_000_000)),
    }
}

// ---------------------------------------------------------------------------
// decode_validate_default
// ---------------------------------------------------------------------------

/// bytes → JSON → `Object` → validate → default → validate → `to_value`,
/// and the wire round trip of both the read and the defaulted object; each
/// object is also validated as an update of itself, of the object before
/// it in the list (the old spec's relaxations read arbitrary stored
/// objects), and, for pods, as a resize and an ephemeral-containers update.
pub fn decode_validate_default(data: &[u8]) {
    let Ok(value) = serde_json::from_slice::<Value>(data) else { return };
    let mut previous: Option<Object> = None;
    for doc in unwrap_list(value) {
        let Ok(object) = Object::from_value(doc) else { continue };
        let _ = validation::validate(&object);
        round_trip(&object, "decoded");
        let mut defaulted = object.clone();
        defaults::apply(&mut defaulted);
        let _ = validation::validate(&defaulted);
        round_trip(&defaulted, "defaulted");
        let _ = validation::validate_update(&object, &defaulted);
        if let Some(old) = &previous {
            let _ = validation::validate_update(old, &object);
            if let (Object::Pod(o), Object::Pod(n)) = (old, &object) {
                let _ = validation::validate_pod_resize(o, n);
                let _ = validation::validate_ephemeral_containers_update(o, n);
            }
        }
        previous = Some(object);
    }
}

fn round_trip(object: &Object, what: &str) {
    let written = object.to_value();
    match Object::from_value(written.clone()) {
        Ok(back) => assert_eq!(&back, object, "{what} object changed through to_value/from_value: {written}"),
        Err(e) => panic!("{what} object's to_value does not read back: {e}: {written}"),
    }
}

// ---------------------------------------------------------------------------
// selector_parse
// ---------------------------------------------------------------------------

/// `Selector::parse`; a parsed selector prints to a string that parses back
/// to the same selector.
pub fn selector_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = Selector::parse(text);
    let _ = selector::parse_to_label_selector(text);
    let Ok(sel) = parsed else { return };
    let shown = sel.to_string();
    match Selector::parse(&shown) {
        Ok(again) => assert_eq!(again, sel, "parse(display) differs: {text:?} -> {shown:?}"),
        Err(e) => panic!("display of a parsed selector does not parse: {text:?} -> {shown:?}: {e}"),
    }
    let labels: HashMap<String, String> = [("app", "web"), ("tier", "1"), ("a", "")]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let _ = sel.matches(&labels);
}

// ---------------------------------------------------------------------------
// cron_parse
// ---------------------------------------------------------------------------

/// `Schedule::parse`, then `next_after` at a few times derived from the
/// input: the next time is strictly later and the schedule fires at it.
pub fn cron_parse(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(schedule) = Schedule::parse(text) else { return };
    let h = hash(data);
    let span = (MAX_UNIX - MIN_UNIX) as u64;
    let times = [
        Time::from_unix(1_700_000_000 + (h % 400_000_000) as i64),
        Time::from_unix(MIN_UNIX + (h.rotate_left(17) % span) as i64),
        Time::EPOCH,
        Time::from_unix(-1),
        Time::from_unix(MAX_UNIX - (h % 100_000) as i64),
    ];
    for t in times {
        let Some(next) = schedule.next_after(t) else { continue };
        assert!(next > t, "{text:?}: next_after({t}) = {next} is not after it");
        // In a zone robfig's Next depends on where it starts (a midnight
        // jump): only UTC promises that the time found is one it names.
        if !schedule.is_every() && schedule.zone().is_none() {
            assert!(
                schedule.fires_at(next),
                "{text:?}: next_after({t}) = {next} but fires_at({next}) is false"
            );
        }
        let _ = schedule.missed(t, next.add_seconds((h % 10_000_000) as i64));
    }
}

// ---------------------------------------------------------------------------
// pod_lifecycle
// ---------------------------------------------------------------------------

const CONTAINERS: &[&str] = &["c0", "c1", "c2", "i0", "i1"];

fn probe_json(b: &mut Bytes<'_>) -> Value {
    json!({
        "exec": {"command": ["true"]},
        "initialDelaySeconds": b.pick(&[0, 0, 1, 5, -1]),
        "periodSeconds": b.pick(&[1, 2, 10, 0]),
        "timeoutSeconds": b.pick(&[1, 3, 0]),
        "failureThreshold": b.pick(&[1, 2, 3, 0]),
        "successThreshold": b.pick(&[1, 1, 2]),
        "terminationGracePeriodSeconds": b.maybe(&[0i64, 1, 5]),
    })
}

fn container_json(b: &mut Bytes<'_>, name: &str, init: bool) -> Value {
    let mut c = json!({"name": name, "image": "busybox"});
    if init && b.bool() {
        c["restartPolicy"] = json!("Always"); // a sidecar
    }
    if !init || c.get("restartPolicy").is_some() {
        if b.bool() {
            c["startupProbe"] = probe_json(b);
        }
        if b.bool() {
            c["livenessProbe"] = probe_json(b);
        }
        if b.bool() {
            c["readinessProbe"] = probe_json(b);
        }
    }
    if b.bool() {
        let mut lc = json!({});
        if b.bool() {
            lc["postStart"] = json!({"exec": {"command": ["x"]}});
        }
        if b.bool() {
            lc["preStop"] = json!({"exec": {"command": ["y"]}});
        }
        c["lifecycle"] = lc;
    }
    c
}

fn pod_for_lifecycle(b: &mut Bytes<'_>) -> Pod {
    let n = 1 + b.below(3);
    let containers: Vec<Value> = (0..n).map(|i| container_json(b, CONTAINERS[i], false)).collect();
    let n_init = b.below(3);
    let init: Vec<Value> = (0..n_init).map(|i| container_json(b, CONTAINERS[3 + i], true)).collect();
    let mut spec = json!({
        "containers": containers,
        "restartPolicy": b.pick(&["Always", "OnFailure", "Never"]),
    });
    if !init.is_empty() {
        spec["initContainers"] = json!(init);
    }
    if let Some(g) = b.maybe(&[0i64, 1, 2, 30]) {
        spec["terminationGracePeriodSeconds"] = json!(g);
    }
    if let Some(d) = b.maybe(&[1i64, 10, 100]) {
        spec["activeDeadlineSeconds"] = json!(d);
    }
    let v = json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "fuzz", "namespace": "default", "uid": "u1"},
        "spec": spec,
    });
    serde_json::from_value(v).expect("the generated pod reads")
}

fn restart_counts(pl: &PodLifecycle) -> HashMap<String, i32> {
    let status = pl.status();
    let mut counts = HashMap::new();
    for s in status.container_statuses.iter().flatten().chain(status.init_container_statuses.iter().flatten())
    {
        counts.insert(s.name.clone(), s.restart_count);
    }
    counts
}

/// The answer to a command the executor ran (chosen by the input).
fn answer(b: &mut Bytes<'_>, command: &Command) -> Option<Event> {
    Some(match command {
        Command::CreateSandbox => {
            if b.u8() < 230 {
                Event::SandboxReady { pod_ip: b.maybe(&["10.0.0.1".to_owned()]) }
            } else {
                Event::SandboxCreateFailed { message: "no".into() }
            }
        }
        Command::StartContainer { container, .. } => match b.below(8) {
            0 => Event::ImagePullFailed { container: container.clone(), message: "pull".into() },
            1 => Event::ContainerStartFailed {
                container: container.clone(),
                reason: "RunContainerError".into(),
                message: "start".into(),
            },
            _ => Event::ContainerStarted { container: container.clone() },
        },
        Command::RunProbe { container, attempt, probe, .. } => Event::ProbeResult {
            container: container.clone(),
            attempt: *attempt,
            probe: *probe,
            outcome: b.pick(&[
                ProbeOutcome::Success,
                ProbeOutcome::Success,
                ProbeOutcome::Failure,
                ProbeOutcome::Error,
            ]),
        },
        Command::RunHook { container, attempt, hook, .. } => Event::HookFinished {
            container: container.clone(),
            attempt: *attempt,
            hook: *hook,
            outcome: if b.u8() < 200 { HookOutcome::Success } else { HookOutcome::Failure("hook".into()) },
        },
        Command::StopContainer { container, .. } | Command::KillContainer { container, .. } => {
            Event::ContainerExited {
                container: container.clone(),
                exit_code: b.pick(&[0, 1, 137, 143, -1]),
                reason: None,
                message: None,
            }
        }
        Command::KillSandbox => return None,
    })
}

/// An event out of the blue: an exit, a stale or unknown report, a deletion
/// or an eviction.
fn spontaneous(b: &mut Bytes<'_>) -> Event {
    let container: std::sync::Arc<str> = b.pick(&["c0", "c1", "c2", "i0", "i1", "zz"]).into();
    let attempt = b.pick(&[0u32, 1, 2, 7]);
    match b.below(7) {
        0 | 1 => Event::ContainerExited {
            container,
            exit_code: b.pick(&[0, 1, 2, 137, i32::MIN]),
            reason: b.maybe(&["Error".to_owned(), "OOMKilled".to_owned()]),
            message: None,
        },
        2 => Event::ContainerStarted { container },
        3 => Event::ProbeResult {
            container,
            attempt,
            probe: b.pick(&[
                kube_workloads::kubelet::ProbeKind::Startup,
                kube_workloads::kubelet::ProbeKind::Liveness,
                kube_workloads::kubelet::ProbeKind::Readiness,
            ]),
            outcome: b.pick(&[ProbeOutcome::Success, ProbeOutcome::Failure, ProbeOutcome::Error]),
        },
        4 => Event::HookFinished {
            container,
            attempt,
            hook: b.pick(&[HookKind::PostStart, HookKind::PreStop]),
            outcome: HookOutcome::Success,
        },
        5 => Event::DeletionRequested { grace_period_seconds: b.maybe(&[0i64, 1, 30, -5, i64::MAX]) },
        _ => Event::Evicted {
            reason: "Evicted".into(),
            message: "pressure".into(),
            grace_period_override_seconds: b.maybe(&[0i64, 1, 30, i64::MIN]),
        },
    }
}

/// A pod and an event sequence at increasing times into `PodLifecycle`:
/// nothing panics, time handed back by `poll_timeout` is usable, and no
/// container's `restartCount` ever decreases.
pub fn pod_lifecycle(data: &[u8]) {
    let mut b = Bytes::new(data);
    let pod = pod_for_lifecycle(&mut b);
    let mut config = KubeletConfig::default();
    if b.bool() {
        config.features.reduce_default_crash_loop_back_off_decay = true;
        config.crash_loop_back_off = kube_workloads::kubelet::BackoffConfig::crash_loop(&config.features);
    }
    let mut now = Time::from_unix(1_700_000_000 + i64::from(b.u16()));
    let mut pl = PodLifecycle::new(&pod, now, config);
    let mut pending: Vec<Command> = Vec::new();
    let mut counts = restart_counts(&pl);
    for step in 0..200 {
        if b.is_empty() {
            break;
        }
        match b.below(8) {
            // answer an outstanding command
            0..=3 => {
                if !pending.is_empty() {
                    let i = b.below(pending.len());
                    let command = pending.remove(i);
                    if let Some(event) = answer(&mut b, &command) {
                        pl.handle(event, now);
                    }
                }
            }
            // something unprompted
            4 => pl.handle(spontaneous(&mut b), now),
            // let time pass a little
            5 => now = now.add_seconds(i64::from(b.u8())),
            // jump to the next timer
            _ => {
                if let Some(t) = pl.poll_timeout()
                    && t > now
                {
                    now = t;
                }
            }
        }
        if let Some(t) = pl.poll_timeout()
            && t <= now
        {
            pl.handle_timeout(now);
        }
        while let Some(c) = pl.poll_command() {
            pending.push(c);
            assert!(pending.len() < 10_000, "unbounded commands at step {step}");
        }
        let new_counts = restart_counts(&pl);
        for (name, old) in &counts {
            let new = new_counts.get(name).copied().unwrap_or(0);
            assert!(new >= *old, "restartCount of {name} went from {old} to {new} at step {step}");
        }
        counts = new_counts;
        let _ = pl.phase();
        let _ = pl.is_finished();
    }
}

// ---------------------------------------------------------------------------
// Controllers: arbitrary desired and observed objects
// ---------------------------------------------------------------------------

const NAMESPACES: &[&str] = &["default", "other"];
const APPS: &[&str] = &["web", "db"];

fn labels(b: &mut Bytes<'_>) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("app".into(), json!(b.pick(APPS)));
    if b.bool() {
        m.insert("tier".into(), json!(b.pick(&["1", "2"])));
    }
    if b.u8() > 240 {
        m.insert("pod-template-hash".into(), json!(b.pick(&["abc", "def"])));
    }
    Value::Object(m)
}

fn selector_json(b: &mut Bytes<'_>) -> Value {
    match b.below(6) {
        0 => json!({}),
        1 => {
            json!({"matchExpressions": [{"key": "app", "operator": b.pick(&["In", "NotIn", "Exists", "DoesNotExist", "Bogus"]), "values": [b.pick(APPS)]}]})
        }
        2 => json!({"matchLabels": {"app": b.pick(APPS), "tier": b.pick(&["1", "2"])}}),
        _ => json!({"matchLabels": {"app": b.pick(APPS)}}),
    }
}

fn time_json(b: &mut Bytes<'_>, now: i64) -> Value {
    json!(Time::from_unix(now - i64::from(b.u16()) * b.pick(&[1, 60, 3600])).to_string())
}

fn owner_refs(b: &mut Bytes<'_>, kind: &str, api_version: &str, names: &[(&str, &str)]) -> Value {
    match b.below(5) {
        0 | 1 => json!([]),
        2 => {
            let (name, uid) = b.pick(names);
            json!([{"apiVersion": api_version, "kind": kind, "name": name, "uid": uid, "controller": true, "blockOwnerDeletion": true}])
        }
        3 => {
            let (name, uid) = b.pick(names);
            json!([{"apiVersion": api_version, "kind": kind, "name": name, "uid": uid}])
        }
        _ => {
            json!([{"apiVersion": "v1", "kind": "Other", "name": "x", "uid": "foreign", "controller": true}])
        }
    }
}

fn template(b: &mut Bytes<'_>) -> Value {
    json!({
        "metadata": {"labels": labels(b)},
        "spec": {"containers": [{"name": "c", "image": b.pick(&["nginx:1", "nginx:2"])}], "restartPolicy": b.pick(&["Always", "OnFailure", "Never"])},
    })
}

fn pod_json(b: &mut Bytes<'_>, i: usize, now: i64, owners: &[(&str, &str)], owner_kind: &str) -> Value {
    pod_json_named(b, &format!("p{i}"), i, now, owners, owner_kind, "apps/v1")
}

fn pod_json_named(
    b: &mut Bytes<'_>,
    name: &str,
    i: usize,
    now: i64,
    owners: &[(&str, &str)],
    owner_kind: &str,
    owner_api_version: &str,
) -> Value {
    let mut meta = json!({
        "name": name,
        "namespace": b.pick(NAMESPACES),
        "uid": format!("pod-uid-{i}"),
        "labels": labels(b),
        "creationTimestamp": time_json(b, now),
        "ownerReferences": owner_refs(b, owner_kind, owner_api_version, owners),
    });
    if b.u8() > 220 {
        meta["deletionTimestamp"] = time_json(b, now);
        meta["deletionGracePeriodSeconds"] = json!(30);
    }
    let ready = b.bool();
    let phase = b.pick(&["Running", "Running", "Pending", "Succeeded", "Failed", "Unknown"]);
    let mut status = json!({"phase": phase});
    if phase == "Running" {
        status["conditions"] = json!([{"type": "Ready", "status": if ready { "True" } else { "False" }, "lastTransitionTime": time_json(b, now)}]);
        status["containerStatuses"] = json!([{"name": "c", "image": "nginx", "imageID": "", "ready": ready, "restartCount": b.below(4), "started": true, "state": {"running": {"startedAt": time_json(b, now)}}}]);
    } else if phase == "Failed" || phase == "Succeeded" {
        let code = if phase == "Failed" { b.pick(&[1, 42, 137]) } else { 0 };
        status["containerStatuses"] = json!([{"name": "c", "image": "nginx", "imageID": "", "ready": false,
            "restartCount": 0, "state": {"terminated": {"exitCode": code, "finishedAt": time_json(b, now)}}}]);
        if b.u8() > 200 {
            status["conditions"] =
                json!([{"type": "DisruptionTarget", "status": "True", "reason": "PreemptionByScheduler"}]);
        }
    }
    let mut spec = json!({"containers": [{"name": "c", "image": "nginx:1"}]});
    if b.bool() {
        spec["nodeName"] = json!(b.pick(&["n1", "n2"]));
    }
    json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status})
}

fn replicas(b: &mut Bytes<'_>) -> Value {
    match b.below(10) {
        0 => Value::Null,
        1 => json!(i32::MAX),
        2 => json!(-1),
        n => json!(n - 3),
    }
}

fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> T {
    match serde_json::from_value(v.clone()) {
        Ok(t) => t,
        Err(e) => panic!("generated object does not read: {e}: {v}"),
    }
}

/// Every action is about an object of `namespace`.
fn check_namespaces(actions: &[Action], namespace: &str, what: &str) {
    for a in actions {
        let target = a.target();
        assert_eq!(
            target.namespace.as_deref(),
            Some(namespace),
            "{what} in namespace {namespace} emitted an action on another namespace: {a}"
        );
    }
}

/// Applies pod creates / updates / deletes to the observed pods, as an
/// executor would, so a second reconcile sees the effect of the first.
fn apply_pods(actions: &[Action], pods: &mut Vec<Pod>, counter: &mut usize) {
    for a in actions {
        match a {
            Action::Create { object: Object::Pod(p) } => {
                let mut p = (**p).clone();
                if p.metadata.name.as_deref().unwrap_or("").is_empty() {
                    *counter += 1;
                    p.metadata.name =
                        Some(format!("{}g{counter}", p.metadata.generate_name.as_deref().unwrap_or("")));
                }
                p.metadata.uid = Some(format!("gen-uid-{counter}"));
                pods.push(p);
            }
            Action::Update { object: Object::Pod(p), .. }
            | Action::UpdateStatus { object: Object::Pod(p) } => {
                if let Some(old) = pods.iter_mut().find(|o| {
                    o.metadata.name == p.metadata.name && o.metadata.namespace == p.metadata.namespace
                }) {
                    *old = (**p).clone();
                }
            }
            Action::Delete { target, .. } if target.kind == "Pod" => {
                pods.retain(|o| {
                    !(o.metadata.name() == target.name && o.metadata.namespace == target.namespace)
                });
            }
            _ => {}
        }
    }
}

fn memory_of(actions: &[Action]) -> Option<ReplicaSetMemory> {
    actions.iter().rev().find_map(|a| match a {
        Action::Remember { memory: ControllerMemory::Replicas(m), .. } => Some(m.clone()),
        _ => None,
    })
}

/// A ReplicaSet and its namespace's pods and sibling ReplicaSets; three
/// reconciles with the actions applied in between.
pub fn replicaset_reconcile(data: &[u8]) {
    let mut b = Bytes::new(data);
    let now = 1_700_000_000 + i64::from(b.u16());
    let namespace = b.pick(NAMESPACES);
    let mut meta = json!({"name": "rs", "namespace": namespace, "uid": "rs-uid", "generation": 1 + b.below(3),
        "labels": labels(&mut b), "ownerReferences": owner_refs(&mut b, "Deployment", "apps/v1", &[("d", "d-uid")])});
    if b.u8() > 230 {
        meta["deletionTimestamp"] = time_json(&mut b, now);
    }
    let mut spec = json!({"selector": selector_json(&mut b), "template": template(&mut b), "minReadySeconds": b.pick(&[0, 0, 5, -1])});
    spec["replicas"] = replicas(&mut b);
    let rs: ReplicaSet =
        from_json(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta, "spec": spec,
        "status": {"replicas": b.below(4), "observedGeneration": b.below(3)}}));
    let owners: &[(&str, &str)] = &[("rs", "rs-uid"), ("rs2", "rs2-uid")];
    let n = b.below(9);
    let mut pods: Vec<Pod> =
        (0..n).map(|i| from_json(pod_json(&mut b, i, now, owners, "ReplicaSet"))).collect();
    let siblings: Vec<ReplicaSet> = (0..b.below(3))
        .map(|i| {
            from_json(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": format!("rs{}", i + 2), "namespace": b.pick(NAMESPACES), "uid": format!("rs{}-uid", i + 2),
                    "ownerReferences": owner_refs(&mut b, "Deployment", "apps/v1", &[("d", "d-uid")])},
                "spec": {"replicas": b.below(4), "selector": selector_json(&mut b), "template": template(&mut b)}}))
        })
        .collect();
    let mut memory = ReplicaSetMemory::default();
    let mut counter = 0;
    for round in 0..3 {
        let t = Time::from_unix(now + round * i64::from(b.u8()));
        let observed = replicaset::Observed { pods: &pods, replica_sets: &siblings, memory: &memory };
        let actions = replicaset::reconcile(&rs, &observed, t);
        check_namespaces(&actions, namespace, "ReplicaSet");
        assert!(actions.len() <= 2 * 500 + 16, "{} actions", actions.len());
        if let Some(m) = memory_of(&actions) {
            memory = m;
        }
        let before = pods.len();
        apply_pods(&actions, &mut pods, &mut counter);
        // A watch reports some of the new pods added; one may be gone again
        // before the next list.
        for pod in pods.iter().skip(before) {
            if b.bool() {
                memory.expectations.creation_observed("rs-uid", pod);
            }
        }
        let expected = usize::try_from(memory.expectations.creates).unwrap_or(usize::MAX);
        assert!(memory.expectations.added.len() <= expected, "{:?}", memory.expectations);
        if b.u8() > 200 && pods.len() > before {
            let pending = memory.expectations.pending("rs-uid", &pods).creates;
            if let Some(gone) = pods.pop() {
                // A reported pod still counts once gone; another may count
                // one creation less.
                let after = memory.expectations.pending("rs-uid", &pods).creates;
                if memory.expectations.added.contains(gone.metadata.name()) {
                    assert_eq!(after, pending, "{gone:?}");
                } else {
                    assert!(after <= pending + 1, "{after} > {pending} + 1");
                }
            }
        }
    }
}

/// A ReplicationController and its namespace's pods; three reconciles with
/// the actions applied in between. The selector shapes are the ones the
/// RC's defaulting and conversion tell apart: a map, empty, missing or null,
/// and one whose key or value is not a valid label; the template may have
/// labels, `{}` or none, or be missing.
pub fn replication_controller_reconcile(data: &[u8]) {
    let mut b = Bytes::new(data);
    let now = 1_700_000_000 + i64::from(b.u16());
    let namespace = b.pick(NAMESPACES);
    let mut meta =
        json!({"name": "rc", "namespace": namespace, "uid": "rc-uid", "generation": 1 + b.below(3)});
    if b.u8() > 230 {
        meta["deletionTimestamp"] = time_json(&mut b, now);
    }
    let mut spec = json!({"minReadySeconds": b.pick(&[0, 0, 5, -1])});
    match b.below(6) {
        0 => {}
        1 => spec["selector"] = Value::Null,
        2 => spec["selector"] = json!({}),
        3 => spec["selector"] = json!({"app": b.pick(&["web", "a b"])}),
        4 => {
            let mut m = serde_json::Map::new();
            m.insert(b.pick(&["-bad", "app"]).to_owned(), json!("web"));
            spec["selector"] = Value::Object(m);
        }
        _ => spec["selector"] = labels(&mut b),
    }
    match b.below(5) {
        0 => {}
        1 => spec["template"] = json!({"spec": {"containers": [{"name": "c"}]}}),
        2 => spec["template"] = json!({"metadata": {"labels": {}}, "spec": {"containers": [{"name": "c"}]}}),
        _ => spec["template"] = template(&mut b),
    }
    spec["replicas"] = replicas(&mut b);
    let rc: ReplicationController = from_json(json!({"apiVersion": "v1", "kind": "ReplicationController",
        "metadata": meta, "spec": spec, "status": {"replicas": b.below(4), "observedGeneration": b.below(3)}}));
    let owners: &[(&str, &str)] = &[("rc", "rc-uid"), ("rc2", "rc2-uid")];
    let n = b.below(9);
    let mut pods: Vec<Pod> = (0..n)
        .map(|i| {
            from_json(pod_json_named(&mut b, &format!("p{i}"), i, now, owners, "ReplicationController", "v1"))
        })
        .collect();
    let mut memory = ReplicaSetMemory::default();
    let mut counter = 0;
    for round in 0..3 {
        let t = Time::from_unix(now + round * i64::from(b.u8()));
        let observed = replicaset::Observed { pods: &pods, replica_sets: &[], memory: &memory };
        let actions = replicaset::reconcile_replication_controller(&rc, &observed, t);
        check_namespaces(&actions, namespace, "ReplicationController");
        assert!(actions.len() <= 2 * 500 + 16, "{} actions", actions.len());
        // Never an action on a pod another controller owns.
        for a in &actions {
            let target = a.target();
            let same = |p: &&Pod| {
                target.kind == "Pod"
                    && p.metadata.name() == target.name
                    && p.metadata.namespace == target.namespace
            };
            if let Some(p) = pods.iter().find(same) {
                assert!(
                    p.metadata.controller_ref().is_none_or(|r| r.uid == "rc-uid"),
                    "action on a pod another controller owns: {a}"
                );
            }
        }
        if let Some(m) = memory_of(&actions) {
            memory = m;
        }
        apply_pods(&actions, &mut pods, &mut counter);
    }
}

/// A Deployment and its namespace's ReplicaSets and pods; three reconciles
/// with ReplicaSet creates / updates / deletes applied in between.
pub fn deployment_reconcile(data: &[u8]) {
    let mut b = Bytes::new(data);
    let now = 1_700_000_000 + i64::from(b.u16());
    let namespace = b.pick(NAMESPACES);
    let mut meta = json!({"name": "d", "namespace": namespace, "uid": "d-uid", "generation": 1 + b.below(3), "labels": labels(&mut b)});
    if b.u8() > 230 {
        meta["deletionTimestamp"] = time_json(&mut b, now);
    }
    let strategy = match b.below(4) {
        0 => json!({"type": "Recreate"}),
        1 => json!({}),
        _ => json!({"type": "RollingUpdate", "rollingUpdate": {
            "maxSurge": b.pick(&[json!(0), json!(1), json!("25%"), json!("1000%"), json!("x%")]),
            "maxUnavailable": b.pick(&[json!(0), json!(1), json!("25%"), json!("100%"), json!(-1)])}}),
    };
    let mut spec = json!({"selector": selector_json(&mut b), "template": template(&mut b), "strategy": strategy,
        "minReadySeconds": b.pick(&[0, 0, 5]), "revisionHistoryLimit": b.pick(&[0, 1, 10]), "paused": b.u8() > 230});
    spec["replicas"] = replicas(&mut b);
    if let Some(p) = b.maybe(&[0, 1, 600]) {
        spec["progressDeadlineSeconds"] = json!(p);
    }
    let d: Deployment =
        from_json(json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta, "spec": spec}));
    let owners: &[(&str, &str)] = &[("d", "d-uid"), ("d2", "d2-uid")];
    let mut replica_sets: Vec<ReplicaSet> = (0..b.below(5))
        .map(|i| {
            let mut annotations = serde_json::Map::new();
            if b.bool() {
                annotations.insert("deployment.kubernetes.io/revision".into(), json!(b.pick(&["1", "2", "3", "x"])));
            }
            let replicas = b.below(5);
            from_json(json!({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": format!("d-{i}"), "namespace": b.pick(NAMESPACES), "uid": format!("rs{i}-uid"),
                    "creationTimestamp": time_json(&mut b, now), "annotations": annotations,
                    "ownerReferences": owner_refs(&mut b, "Deployment", "apps/v1", owners)},
                "spec": {"replicas": replicas, "selector": selector_json(&mut b), "template": template(&mut b)},
                "status": {"replicas": replicas, "readyReplicas": b.below(5), "availableReplicas": b.below(5)}}))
        })
        .collect();
    let rs_owners: &[(&str, &str)] = &[("d-0", "rs0-uid"), ("d-1", "rs1-uid")];
    let pods: Vec<Pod> =
        (0..b.below(6)).map(|i| from_json(pod_json(&mut b, i, now, rs_owners, "ReplicaSet"))).collect();
    let mut counter = 0;
    for round in 0..3 {
        let t = Time::from_unix(now + round * i64::from(b.u8()));
        let observed = deployment::Observed {
            replica_sets: &replica_sets,
            pods: &pods,
            memory: &deployment::DeploymentMemory::default(),
        };
        let actions = deployment::reconcile(&d, &observed, t);
        check_namespaces(&actions, namespace, "Deployment");
        for a in &actions {
            match a {
                Action::Create { object: Object::ReplicaSet(rs) } => {
                    let mut rs = (**rs).clone();
                    counter += 1;
                    if rs.metadata.name.as_deref().unwrap_or("").is_empty() {
                        rs.metadata.name = Some(format!("gen-{counter}"));
                    }
                    rs.metadata.uid = Some(format!("gen-rs-uid-{counter}"));
                    replica_sets.push(rs);
                }
                Action::Update { object: Object::ReplicaSet(rs), .. } => {
                    if let Some(old) = replica_sets.iter_mut().find(|o| {
                        o.metadata.name == rs.metadata.name && o.metadata.namespace == rs.metadata.namespace
                    }) {
                        *old = (**rs).clone();
                    }
                }
                Action::Delete { target, .. } if target.kind == "ReplicaSet" => {
                    replica_sets.retain(|o| {
                        !(o.metadata.name() == target.name && o.metadata.namespace == target.namespace)
                    });
                }
                _ => {}
            }
        }
    }
}

/// A CronJob and its namespace's Jobs, reconciled at a few later times.
pub fn cronjob_reconcile(data: &[u8]) {
    let mut b = Bytes::new(data);
    let now = 1_700_000_000 + i64::from(b.u32() % 50_000_000);
    let namespace = b.pick(NAMESPACES);
    let schedule = b.text(&[
        "*/5 * * * *",
        "0 0 * * *",
        "@hourly",
        "@every 1m",
        "0 0 30 2 *",
        "* * * * *",
        "59 23 31 12 *",
        "0 9 * * 1-5",
        "bogus",
    ]);
    let mut spec = json!({
        "schedule": schedule,
        "jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}], "restartPolicy": "OnFailure"}}}},
        "concurrencyPolicy": b.pick(&["Allow", "Forbid", "Replace", "Bogus"]),
        "suspend": b.u8() > 220,
    });
    if let Some(tz) = b.maybe(&["Europe/Berlin", "America/New_York", "UTC", "Nowhere/Land", ""]) {
        spec["timeZone"] = json!(tz);
    }
    if let Some(s) = b.maybe(&[0i64, 10, 200, -1, i64::MAX]) {
        spec["startingDeadlineSeconds"] = json!(s);
    }
    if let Some(s) = b.maybe(&[0, 1, 3]) {
        spec["successfulJobsHistoryLimit"] = json!(s);
    }
    if let Some(s) = b.maybe(&[0, 1, 3]) {
        spec["failedJobsHistoryLimit"] = json!(s);
    }
    let mut meta = json!({"name": "cj", "namespace": namespace, "uid": "cj-uid", "creationTimestamp": time_json(&mut b, now)});
    if b.u8() > 240 {
        meta["deletionTimestamp"] = time_json(&mut b, now);
    }
    let mut status = json!({});
    if b.bool() {
        status["lastScheduleTime"] = time_json(&mut b, now);
    }
    let jobs: Vec<Job> = (0..b.below(6))
        .map(|i| {
            let ns = b.pick(NAMESPACES);
            let mut job_status = json!({});
            match b.below(4) {
                0 => job_status["conditions"] = json!([{"type": "Complete", "status": "True", "lastTransitionTime": time_json(&mut b, now)}]),
                1 => job_status["conditions"] = json!([{"type": "Failed", "status": "True", "lastTransitionTime": time_json(&mut b, now)}]),
                _ => job_status["active"] = json!(b.below(2)),
            }
            if b.bool() {
                job_status["startTime"] = time_json(&mut b, now);
            }
            let scheduled = time_json(&mut b, now);
            from_json(json!({"apiVersion": "batch/v1", "kind": "Job",
                "metadata": {"name": format!("cj-{i}"), "namespace": ns, "uid": format!("job-uid-{i}"),
                    "creationTimestamp": time_json(&mut b, now),
                    "annotations": {cronjob::SCHEDULED_TIMESTAMP_ANNOTATION: scheduled},
                    "ownerReferences": owner_refs(&mut b, "CronJob", "batch/v1", &[("cj", "cj-uid"), ("cj2", "cj2-uid")])},
                "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "busybox"}], "restartPolicy": "Never"}}},
                "status": job_status}))
        })
        .collect();
    if b.bool() {
        let active: Vec<Value> = jobs
            .iter()
            .filter(|_| b.bool())
            .map(|j| json!({"apiVersion": "batch/v1", "kind": "Job", "namespace": j.metadata.namespace, "name": j.metadata.name, "uid": j.metadata.uid}))
            .collect();
        status["active"] = json!(active);
    }
    let cj: CronJob = from_json(
        json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta, "spec": spec, "status": status}),
    );
    for round in 0..3 {
        let t = Time::from_unix(now + round * i64::from(b.u16()) * b.pick(&[1, 60, 86_400]));
        let actions = cronjob::reconcile(&cj, &cronjob::Observed { jobs: &jobs }, t);
        check_namespaces(&actions, namespace, "CronJob");
    }
}

fn remembered<T>(actions: &[Action], f: impl Fn(&ControllerMemory) -> Option<T>) -> Option<T> {
    actions.iter().rev().find_map(|a| match a {
        Action::Remember { memory, .. } => f(memory),
        _ => None,
    })
}

const JOB_UID_LABEL: &str = "batch.kubernetes.io/controller-uid";

/// A Job and its namespace's pods; three reconciles with the actions
/// applied in between and the memory handed back.
pub fn job_reconcile(data: &[u8]) {
    let mut b = Bytes::new(data);
    let now = 1_700_000_000 + i64::from(b.u16());
    let namespace = b.pick(NAMESPACES);
    let mut meta = json!({"name": "job", "namespace": namespace, "uid": "job-uid", "creationTimestamp": time_json(&mut b, now)});
    if b.u8() > 240 {
        meta["deletionTimestamp"] = time_json(&mut b, now);
    }
    let indexed = b.bool();
    let selector =
        if b.u8() < 220 { json!({"matchLabels": {JOB_UID_LABEL: "job-uid"}}) } else { selector_json(&mut b) };
    let mut spec = json!({
        "selector": selector,
        "template": {"metadata": {"labels": {JOB_UID_LABEL: "job-uid", "app": "web"}},
            "spec": {"containers": [{"name": "c", "image": "busybox"}], "restartPolicy": b.pick(&["Never", "OnFailure", "Always"])}},
        "completionMode": if indexed { "Indexed" } else { "NonIndexed" },
        "suspend": b.u8() > 230,
    });
    let choices: [(&str, Vec<Value>); 7] = [
        ("completions", vec![json!(1), json!(3), json!(0), json!(i32::MAX), json!(-1)]),
        ("parallelism", vec![json!(1), json!(2), json!(0), json!(i32::MAX)]),
        ("backoffLimit", vec![json!(0), json!(1), json!(6), json!(i32::MAX)]),
        ("activeDeadlineSeconds", vec![json!(1), json!(100), json!(i64::MAX)]),
        ("backoffLimitPerIndex", vec![json!(0), json!(1)]),
        ("maxFailedIndexes", vec![json!(0), json!(1)]),
        ("podReplacementPolicy", vec![json!("Failed"), json!("TerminatingOrFailed")]),
    ];
    for (field, values) in choices {
        if let Some(v) = b.maybe(&values) {
            spec[field] = v;
        }
    }
    if b.bool() {
        spec["podFailurePolicy"] = json!({"rules": [
            {"action": b.pick(&["FailJob", "Ignore", "Count", "FailIndex"]), "onExitCodes": {"operator": b.pick(&["In", "NotIn"]), "values": [42]}},
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}]});
    }
    if b.bool() {
        spec["successPolicy"] = json!({"rules": [{"succeededCount": 1}]});
    }
    let mut status = json!({});
    if b.bool() {
        status["startTime"] = time_json(&mut b, now);
    }
    if b.bool() {
        status["active"] = json!(b.below(3));
        status["succeeded"] = json!(b.below(3));
        status["failed"] = json!(b.below(3));
    }
    let job: Job = from_json(
        json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta, "spec": spec, "status": status}),
    );
    let owners: &[(&str, &str)] = &[("job", "job-uid"), ("job2", "job2-uid")];
    let mut pods: Vec<Pod> = (0..b.below(9))
        .map(|i| {
            let mut p = pod_json_named(&mut b, &format!("job-{i}"), i, now, owners, "Job", "batch/v1");
            if b.u8() < 200 {
                p["metadata"]["labels"][JOB_UID_LABEL] = json!("job-uid");
            }
            if indexed && b.u8() < 220 {
                p["metadata"]["annotations"] =
                    json!({"batch.kubernetes.io/job-completion-index": b.pick(&["0", "1", "2", "99", "x"])});
            }
            if b.u8() > 200 {
                p["metadata"]["finalizers"] = json!(["batch.kubernetes.io/job-tracking"]);
            }
            from_json(p)
        })
        .collect();
    let mut memory = job::JobMemory::default();
    let mut counter = 0;
    for round in 0..3 {
        let t = Time::from_unix(now + round * i64::from(b.u8()));
        let actions = job::reconcile(&job, &job::Observed { pods: &pods, memory: &memory }, t);
        check_namespaces(&actions, namespace, "Job");
        if let Some(m) = remembered(&actions, |m| match m {
            ControllerMemory::Job(m) => Some(m.clone()),
            _ => None,
        }) {
            memory = m;
        }
        apply_pods(&actions, &mut pods, &mut counter);
    }
}

/// A StatefulSet, its pods and claims; three reconciles with pod actions
/// applied in between.
pub fn statefulset_reconcile(data: &[u8]) {
    let mut b = Bytes::new(data);
    let now = 1_700_000_000 + i64::from(b.u16());
    let namespace = b.pick(NAMESPACES);
    let mut meta =
        json!({"name": "sts", "namespace": namespace, "uid": "sts-uid", "generation": 1 + b.below(3)});
    if b.u8() > 240 {
        meta["deletionTimestamp"] = time_json(&mut b, now);
    }
    let mut spec = json!({
        "serviceName": "svc",
        "selector": selector_json(&mut b),
        "template": template(&mut b),
        "podManagementPolicy": b.pick(&["OrderedReady", "Parallel", "Bogus"]),
        "minReadySeconds": b.pick(&[0, 0, 5]),
    });
    spec["replicas"] = replicas(&mut b);
    if b.bool() {
        spec["ordinals"] = json!({"start": b.pick(&[0, 1, 5, i32::MAX])});
    }
    match b.below(3) {
        0 => spec["updateStrategy"] = json!({"type": "OnDelete"}),
        1 => {
            let partition = b.pick(&[0, 1, 3, i32::MAX]);
            let max_unavailable = b.pick(&[json!(1), json!("50%"), json!(0)]);
            spec["updateStrategy"] = json!({"type": "RollingUpdate",
                "rollingUpdate": {"partition": partition, "maxUnavailable": max_unavailable}});
        }
        _ => {}
    }
    if b.bool() {
        spec["volumeClaimTemplates"] = json!([{"metadata": {"name": "www"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]);
        spec["persistentVolumeClaimRetentionPolicy"] = json!({"whenDeleted": b.pick(&["Retain", "Delete"]), "whenScaled": b.pick(&["Retain", "Delete"])});
    }
    let status = json!({"replicas": b.below(4), "currentRevision": "sts-1", "updateRevision": b.pick(&["sts-1", "sts-2"])});
    let set: StatefulSet = from_json(
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta, "spec": spec, "status": status}),
    );
    let owners: &[(&str, &str)] = &[("sts", "sts-uid"), ("sts2", "sts2-uid")];
    let mut pods: Vec<Pod> = (0..b.below(7))
        .map(|i| {
            let ordinal = b.pick(&["0", "1", "2", "3", "5", "x", "-1", "99999999999"]);
            let mut p =
                pod_json_named(&mut b, &format!("sts-{ordinal}"), i, now, owners, "StatefulSet", "apps/v1");
            p["metadata"]["labels"]["controller-revision-hash"] = json!(b.pick(&["sts-1", "sts-2"]));
            from_json(p)
        })
        .collect();
    let claims: Vec<PersistentVolumeClaim> = (0..b.below(3))
        .map(|i| {
            let ns = b.pick(NAMESPACES);
            let refs = owner_refs(&mut b, "StatefulSet", "apps/v1", owners);
            from_json(json!({"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                "metadata": {"name": format!("www-sts-{i}"), "namespace": ns, "uid": format!("pvc-{i}"), "ownerReferences": refs},
                "spec": {"accessModes": ["ReadWriteOnce"]}}))
        })
        .collect();
    let mut counter = 0;
    for round in 0..3 {
        let t = Time::from_unix(now + round * i64::from(b.u8()));
        let observed = statefulset::Observed { pods: &pods, claims: &claims, revisions: &[] };
        let actions = statefulset::reconcile(&set, &observed, t);
        check_namespaces(&actions, namespace, "StatefulSet");
        apply_pods(&actions, &mut pods, &mut counter);
    }
}

fn nodes(b: &mut Bytes<'_>) -> Vec<Node> {
    (0..b.below(4))
        .map(|i| {
            let mut spec = json!({"unschedulable": b.u8() > 220});
            if b.bool() {
                let key = b.pick(&["dedicated", "node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]);
                let effect = b.pick(&["NoSchedule", "NoExecute", "PreferNoSchedule"]);
                spec["taints"] = json!([{"key": key, "effect": effect, "timeAdded": "2023-11-14T00:00:00Z"}]);
            }
            let zone = b.pick(&["a", "b"]);
            let ready = b.pick(&["True", "False", "Unknown"]);
            from_json(json!({"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": format!("n{i}"), "uid": format!("node-{i}"),
                    "labels": {"kubernetes.io/hostname": format!("n{i}"), "zone": zone}},
                "spec": spec,
                "status": {"conditions": [{"type": "Ready", "status": ready, "lastTransitionTime": "2023-11-14T00:00:00Z"}]}}))
        })
        .collect()
}

/// A DaemonSet, the nodes and its namespace's pods; three reconciles.
pub fn daemonset_reconcile(data: &[u8]) {
    let mut b = Bytes::new(data);
    let now = 1_700_000_000 + i64::from(b.u16());
    let namespace = b.pick(NAMESPACES);
    let mut meta =
        json!({"name": "ds", "namespace": namespace, "uid": "ds-uid", "generation": 1 + b.below(3)});
    if b.u8() > 240 {
        meta["deletionTimestamp"] = time_json(&mut b, now);
    }
    let mut tpl = template(&mut b);
    if b.bool() {
        tpl["spec"]["nodeSelector"] = json!({"zone": b.pick(&["a", "b"])});
    }
    if b.bool() {
        tpl["spec"]["tolerations"] = json!([{"key": "dedicated", "operator": "Exists"}]);
    }
    let mut spec =
        json!({"selector": selector_json(&mut b), "template": tpl, "minReadySeconds": b.pick(&[0, 0, 5])});
    if b.bool() {
        let max_unavailable = b.pick(&[json!(1), json!("10%"), json!(0), json!("100%")]);
        let max_surge = b.pick(&[json!(0), json!(1), json!("50%")]);
        spec["updateStrategy"] = json!({"type": "RollingUpdate",
            "rollingUpdate": {"maxUnavailable": max_unavailable, "maxSurge": max_surge}});
    }
    let ds: DaemonSet =
        from_json(json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta, "spec": spec}));
    let nodes = nodes(&mut b);
    let owners: &[(&str, &str)] = &[("ds", "ds-uid"), ("ds2", "ds2-uid")];
    let mut pods: Vec<Pod> =
        (0..b.below(7)).map(|i| from_json(pod_json(&mut b, i, now, owners, "DaemonSet"))).collect();
    let mut memory = daemonset::DaemonSetMemory::default();
    let mut counter = 0;
    for round in 0..3 {
        let t = Time::from_unix(now + round * i64::from(b.u8()));
        let observed = daemonset::Observed { pods: &pods, nodes: &nodes, revisions: &[], memory: &memory };
        let actions = daemonset::reconcile(&ds, &observed, t);
        check_namespaces(&actions, namespace, "DaemonSet");
        if let Some(m) = remembered(&actions, |m| match m {
            ControllerMemory::DaemonSet(m) => Some(m.clone()),
            _ => None,
        }) {
            memory = m;
        }
        apply_pods(&actions, &mut pods, &mut counter);
    }
}

/// The pod garbage collector over arbitrary pods and nodes: it only acts on
/// pods it was shown, each in that pod's own namespace.
pub fn podgc_reconcile(data: &[u8]) {
    let mut b = Bytes::new(data);
    let now = 1_700_000_000 + i64::from(b.u16());
    let nodes = nodes(&mut b);
    let mut pods: Vec<Pod> = (0..b.below(10))
        .map(|i| {
            let mut p = pod_json(&mut b, i, now, &[("rs", "rs-uid")], "ReplicaSet");
            if b.bool() {
                p["spec"]["nodeName"] = json!(b.pick(&["n0", "n1", "n2", "gone"]));
            }
            if b.bool() {
                let seconds = b.pick(&[0, 300, -1]);
                p["spec"]["tolerations"] = json!([{"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                    "effect": "NoExecute", "tolerationSeconds": seconds}]);
            }
            from_json(p)
        })
        .collect();
    let mut memory = podgc::PodGcMemory::default();
    let mut counter = 0;
    for round in 0..3 {
        let t = Time::from_unix(now + round * i64::from(b.u16()));
        let actions = podgc::reconcile(&podgc::Observed { pods: &pods, nodes: &nodes, memory: &memory }, t);
        for a in &actions {
            let target = a.target();
            if target.kind != "Pod" {
                continue;
            }
            assert!(
                pods.iter()
                    .any(|p| p.metadata.name() == target.name && p.metadata.namespace == target.namespace),
                "podgc acted on a pod it was not shown: {a}"
            );
        }
        if let Some(m) = remembered(&actions, |m| match m {
            ControllerMemory::PodGc(m) => Some(m.clone()),
            _ => None,
        }) {
            memory = m;
        }
        apply_pods(&actions, &mut pods, &mut counter);
    }
}

// ---------------------------------------------------------------------------
// Simulator
// ---------------------------------------------------------------------------

/// One small scenario read from the bytes, built and run from scratch.
/// Returns the log so the caller can check determinism.
fn sim_run(data: &[u8]) -> Vec<String> {
    use kube_workloads::api::TaintEffect;
    use kube_workloads::sim::{Cluster, Fault, NodeHealth, NodeSetup, SCRIPT_ANNOTATION};

    let mut b = Bytes::new(data);
    let mut cluster = Cluster::new(u64::from(b.u32()));
    let node_count = 1 + b.below(3);
    for i in 0..node_count {
        let mut setup = NodeSetup::new(format!("n{i}")).capacity(1 + u32::from(b.u8() % 8));
        if b.u8() > 200 {
            setup = setup.taint(
                "dedicated",
                Some("x"),
                b.pick(&[TaintEffect::NoSchedule, TaintEffect::NoExecute]),
            );
        }
        cluster.add_node(setup);
    }
    let scripts = [
        "",
        "crash",
        "succeed after 20s",
        "run 30s then exit 2",
        "fail 50% after 5s",
        "unready 10s-40s",
        "unlive after 30s",
        "stop 5s",
    ];
    for w in 0..b.below(4) {
        let name = format!("w{w}");
        let replicas = i64::from(b.u8() % 6);
        let script = b.text(&scripts);
        let restart = b.pick(&["Always", "OnFailure", "Never"]);
        let template = json!({
            "metadata": {"labels": {"app": name}, "annotations": {SCRIPT_ANNOTATION: script}},
            "spec": {
                "restartPolicy": restart,
                "containers": [{"name": "c", "image": format!("img:{}", b.u8() % 3),
                    "readinessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 10},
                    "livenessProbe": {"exec": {"command": ["true"]}, "periodSeconds": 10}}]
            }
        });
        let selector = json!({"matchLabels": {"app": name}});
        let meta = json!({"name": name, "namespace": "default"});
        let doc = match b.below(6) {
            0 => json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta,
                "spec": {"replicas": replicas, "selector": selector, "template": template,
                    "strategy": {"type": b.pick(&["RollingUpdate", "Recreate"])}}}),
            1 => json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta,
                "spec": {"replicas": replicas, "selector": selector, "template": template, "serviceName": name,
                    "podManagementPolicy": b.pick(&["OrderedReady", "Parallel"])}}),
            2 => json!({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": meta,
                "spec": {"selector": selector, "template": template}}),
            3 => json!({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": meta,
                "spec": {"replicas": replicas, "selector": selector, "template": template}}),
            4 => json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
                "spec": {"completions": replicas, "parallelism": 1 + replicas / 2, "backoffLimit": b.u8() % 4,
                    "template": template}}),
            _ => json!({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta,
                "spec": {"schedule": b.pick(&["*/5 * * * *", "@hourly", "0 0 31 2 *"]),
                    "concurrencyPolicy": b.pick(&["Allow", "Forbid", "Replace"]),
                    "jobTemplate": {"spec": {"template": template}}}}),
        };
        // Invalid combinations (restartPolicy Always in a Job) are refused
        // by apply; that is part of what is exercised.
        if let Ok(object) = serde_json::from_value::<Object>(doc) {
            let _ = cluster.apply(object);
        }
    }
    for _ in 0..b.below(5) {
        let at = i64::from(b.u16() % 1800);
        let node = format!("n{}", b.below(node_count + 1));
        let fault = match b.below(7) {
            0 => Fault::NodeHealth {
                node,
                health: b.pick(&[NodeHealth::NotReady, NodeHealth::Unreachable, NodeHealth::Ready]),
            },
            1 => Fault::AddNode(NodeSetup::new(node)),
            2 => Fault::RemoveNode { node },
            3 => Fault::Cordon { node, unschedulable: b.bool() },
            4 => Fault::Untaint { node, key: "dedicated".to_owned() },
            _ => Fault::Random,
        };
        cluster.schedule_fault(at, fault);
    }
    cluster.run_for(i64::from(b.u16() % 3600));
    cluster.log().iter().map(ToString::to_string).collect()
}

/// The simulator never panics on a small scenario of random workloads,
/// scripts and faults, and the same input gives the same log.
pub fn sim_scenario(data: &[u8]) {
    let first = sim_run(data);
    let second = sim_run(data);
    assert!(first == second, "the same scenario gave two different logs");
}
