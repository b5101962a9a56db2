//! A driver for `PodLifecycle` shared by the kubelet table tests: events
//! in, the commands of the last step remembered as text.
#![allow(dead_code)] // each test binary uses a part

use kube_workloads::api::{ContainerStatus, Pod, Time};
use kube_workloads::kubelet::{Event, KubeletConfig, PodLifecycle, ProbeKind, ProbeOutcome};
use serde_json::{Value, json};

/// A pod `ns/p` (UID `u`) with `spec`.
pub fn pod(spec: Value) -> Pod {
    serde_json::from_value(json!({"metadata": {"name": "p", "namespace": "ns", "uid": "u"}, "spec": spec}))
        .expect("pod")
}

/// A driver that remembers the commands of the last step.
pub struct Drive {
    pub pl: PodLifecycle,
    pub last: Vec<String>,
}

impl Drive {
    pub fn new(spec: Value) -> Drive {
        Drive::with_config(spec, KubeletConfig::default())
    }

    pub fn with_config(spec: Value, config: KubeletConfig) -> Drive {
        Drive::of_pod(&pod(spec), config)
    }

    pub fn of_pod(pod: &Pod, config: KubeletConfig) -> Drive {
        let mut d = Drive { pl: PodLifecycle::new(pod, Time::from_unix(0), config), last: vec![] };
        d.drain();
        d
    }

    pub fn drain(&mut self) {
        self.last.clear();
        while let Some(c) = self.pl.poll_command() {
            self.last.push(c.to_string());
        }
    }

    pub fn ev(&mut self, t: i64, e: Event) -> &mut Self {
        self.pl.handle(e, Time::from_unix(t));
        self.drain();
        self
    }

    pub fn tick(&mut self, t: i64) -> &mut Self {
        self.pl.handle_timeout(Time::from_unix(t));
        self.drain();
        self
    }

    /// The sandbox is ready at 0, without an IP.
    pub fn sandbox(&mut self) -> &mut Self {
        self.ev(0, Event::SandboxReady { pod_ip: None })
    }

    /// The sandbox is ready at 0 with the pod IP `ip`.
    pub fn sandbox_with_ip(&mut self, ip: &str) -> &mut Self {
        self.ev(0, Event::SandboxReady { pod_ip: Some(ip.into()) })
    }

    pub fn started(&mut self, t: i64, c: &str) -> &mut Self {
        self.ev(t, Event::ContainerStarted { container: c.into() })
    }

    pub fn exited(&mut self, t: i64, c: &str, code: i32) -> &mut Self {
        self.ev(
            t,
            Event::ContainerExited { container: c.into(), exit_code: code, reason: None, message: None },
        )
    }

    pub fn probe(&mut self, t: i64, c: &str, attempt: u32, kind: ProbeKind, ok: bool) -> &mut Self {
        let outcome = if ok { ProbeOutcome::Success } else { ProbeOutcome::Failure };
        self.ev(t, Event::ProbeResult { container: c.into(), attempt, probe: kind, outcome })
    }

    pub fn expect(&self, want: &[&str]) {
        assert_eq!(self.last, want);
    }

    /// Whether the last step asked for a `kind` probe of `c`.
    pub fn probed(&self, kind: ProbeKind, c: &str, attempt: u32) -> bool {
        let prefix = format!("probe {} {c}#{attempt} ", kind.as_str());
        self.last.iter().any(|l| l.starts_with(&prefix))
    }

    pub fn status_of(&self, name: &str) -> ContainerStatus {
        let status = self.pl.status();
        status
            .init_container_statuses()
            .iter()
            .chain(status.container_statuses())
            .find(|s| s.name == name)
            .cloned()
            .unwrap_or_else(|| panic!("no status for {name}"))
    }

    pub fn ready(&self, name: &str) -> bool {
        self.status_of(name).ready
    }

    pub fn is_started(&self, name: &str) -> bool {
        self.status_of(name).started == Some(true)
    }

    /// The status of the pod condition `type_` (`""` when absent).
    pub fn condition(&self, type_: &str) -> String {
        let status = self.pl.status();
        let c = status.conditions.as_deref().unwrap_or(&[]).iter().find(|c| c.type_ == type_).cloned();
        c.map(|c| c.status.as_str().to_owned()).unwrap_or_default()
    }
}
