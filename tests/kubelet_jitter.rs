//! Probe start jitter is opt-in: without a seed the schedule is upstream's
//! jitter-free grid (semantics PL-7.7); with a seed each probe's first tick
//! moves by a whole number of seconds in `[0, period)`, the same for the same
//! seed. upstream: pkg/kubelet/prober/worker.go: run (the random sleep before
//! the first probe).

use kube_workloads::api::{Pod, Time};
use kube_workloads::kubelet::{Command, Event, KubeletConfig, PodLifecycle, ProbeKind};
use serde_json::json;

fn pod() -> Pod {
    serde_json::from_value(json!({
        "metadata": {"name": "p", "namespace": "ns", "uid": "u"},
        "spec": {"nodeName": "n", "containers": [{"name": "app", "image": "i",
            "readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 5, "periodSeconds": 10}}]}
    }))
    .unwrap()
}

/// Seconds after the container start at which the first readiness probe runs.
fn first_readiness_probe(seed: Option<u64>) -> i64 {
    let t0: Time = "2024-01-01T00:00:00Z".parse().unwrap();
    let config = KubeletConfig { probe_start_jitter_seed: seed, ..KubeletConfig::default() };
    let mut pl = PodLifecycle::new(&pod(), t0, config);
    pl.handle(Event::SandboxReady { pod_ip: Some("10.0.0.1".into()) }, t0);
    pl.handle(Event::ContainerStarted { container: "app".into() }, t0);
    while pl.poll_command().is_some() {}
    for _ in 0..100 {
        let Some(at) = pl.poll_timeout() else { break };
        pl.handle_timeout(at);
        while let Some(cmd) = pl.poll_command() {
            if let Command::RunProbe { probe: ProbeKind::Readiness, .. } = cmd {
                return at.seconds_since(t0);
            }
        }
    }
    panic!("no readiness probe was run");
}

#[test]
fn no_seed_means_the_jitter_free_grid() {
    assert_eq!(first_readiness_probe(None), 5);
}

#[test]
fn a_seed_moves_the_first_probe_within_one_period_reproducibly() {
    let mut seen = std::collections::BTreeSet::new();
    for seed in 0..32 {
        let at = first_readiness_probe(Some(seed));
        assert!((5..15).contains(&at), "seed {seed}: first probe at {at}s");
        assert_eq!(at, first_readiness_probe(Some(seed)), "seed {seed} is not reproducible");
        seen.insert(at);
    }
    assert!(seen.len() > 1, "every seed gave the same offset: {seen:?}");
}
