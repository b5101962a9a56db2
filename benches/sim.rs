//! The simulator's scalability run: Kubernetes' envelope of 5,000 nodes and
//! 150,000 pods (Deployments and DaemonSets, every pod with readiness and
//! liveness probes every 10 s) for one virtual hour on one core.
//!
//! ```text
//! cargo bench --bench sim                      # 500 nodes / 15,000 pods (default)
//! SIM_ENVELOPE=1 cargo bench --bench sim       # 5,000 nodes / 150,000 pods
//! SIM_NODES=1000 SIM_PODS=30000 SIM_SECONDS=600 cargo bench --bench sim
//! ```
//!
//! Reports wall time, CPU time, simulated events per CPU second and peak memory (VmHWM
//! from /proc/self/status, Linux only). A plain timing binary, not a
//! criterion benchmark: one run of this size is the measurement.

use std::time::Instant;

use kube_workloads::Object;
use kube_workloads::sim::{Cluster, NodeSetup, SimConfig};
use serde_json::json;

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time this thread has used, from /proc/thread-self/schedstat (nanoseconds;
/// Linux only). On a loaded machine wall time overstates the work; the
/// envelope goal is about one core, so CPU time is the figure to compare.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn probes() -> serde_json::Value {
    json!({
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 10},
        "livenessProbe": {"tcpSocket": {"port": 8080}, "periodSeconds": 10}
    })
}

fn container(name: &str, image: &str) -> serde_json::Value {
    let mut c = json!({"name": name, "image": image});
    if let (Some(c), Some(p)) = (c.as_object_mut(), probes().as_object()) {
        c.extend(p.clone());
    }
    c
}

fn deployment(ns: &str, replicas: u64) -> Object {
    Object::from_value(json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "app", "namespace": ns},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": ns}},
            "template": {"metadata": {"labels": {"app": ns}},
                "spec": {"containers": [container("app", "registry.example/app:1")]}}
        }
    }))
    .expect("deployment")
}

fn daemonset(ns: &str) -> Object {
    Object::from_value(json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": ns},
        "spec": {
            "selector": {"matchLabels": {"app": ns}},
            "template": {"metadata": {"labels": {"app": ns}},
                "spec": {"containers": [container("agent", "registry.example/agent:1")]}}
        }
    }))
    .expect("daemonset")
}

fn run(nodes: u64, pods: u64, seconds: i64) {
    let daemonsets = 2u64;
    let per_deployment = 500u64;
    let deployment_pods = pods.saturating_sub(daemonsets * nodes);
    let deployments = deployment_pods.div_ceil(per_deployment);
    println!(
        "sim: {nodes} nodes, {pods} pods ({daemonsets} DaemonSets, {deployments} Deployments of up to {per_deployment}), {seconds} s virtual"
    );
    let config = SimConfig { keep_log: false, ..SimConfig::default() };
    let mut cluster = Cluster::with_config(42, config);
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    for i in 0..nodes {
        cluster.add_node(NodeSetup::new(format!("node-{i:05}")).capacity(110));
    }
    for d in 0..daemonsets {
        cluster.apply(daemonset(&format!("ds-{d}"))).expect("apply daemonset");
    }
    let mut left = deployment_pods;
    for d in 0..deployments {
        let n = left.min(per_deployment);
        left -= n;
        cluster.apply(deployment(&format!("deploy-{d:04}"), n)).expect("apply deployment");
    }
    let mut last = Instant::now();
    let step = 60;
    let mut t = 0;
    while t < seconds {
        cluster.run_for(step.min(seconds - t));
        t += step;
        if last.elapsed().as_secs() >= 5 {
            last = Instant::now();
            eprintln!(
                "  {t:>5} s virtual, {:>12} events, {:.1} s wall",
                cluster.stats().events,
                start.elapsed().as_secs_f64()
            );
        }
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
    let stats = cluster.stats();
    let rows = cluster.workloads();
    let ready: i32 = rows.iter().map(|w| w.ready).sum();
    let ds_ready: i32 = rows.iter().filter(|w| w.kind == "DaemonSet").map(|w| w.ready).sum();
    let ds_desired: i32 = rows.iter().filter(|w| w.kind == "DaemonSet").map(|w| w.desired).sum();
    let lagging = rows.iter().filter(|w| w.kind == "Deployment" && w.ready < w.desired).count();
    println!("  wall time        {wall:.2} s");
    let busy = match cpu {
        Some(cpu) => {
            println!("  CPU time         {cpu:.2} s (this thread)");
            cpu
        }
        None => wall,
    };
    println!(
        "  events           {} ({:.0} events per CPU second)",
        stats.events,
        stats.events as f64 / busy.max(1e-9)
    );
    println!("  reconciles       {}", stats.reconciles);
    println!("  instants         {}", stats.instants);
    println!(
        "  ready pods       {ready} / {pods} (DaemonSets {ds_ready} / {ds_desired}; {lagging} Deployments not fully ready)"
    );
    if std::env::var_os("SIM_DEBUG").is_some() {
        for w in rows.iter().filter(|w| w.ready < w.desired) {
            println!("  lagging: {w:?}");
        }
        let unbound =
            cluster.pods().filter(|p| p.spec.as_ref().is_some_and(|s| s.node_name.is_none())).count();
        let not_ready: Vec<String> = cluster
            .pods()
            .filter(|p| !kube_workloads::pod::is_pod_ready(p))
            .take(5)
            .map(|p| format!("{} {:?}", p.metadata.name(), p.status.as_ref().and_then(|s| s.phase.clone())))
            .collect();
        println!("  unbound pods {unbound}, some not ready: {not_ready:?}");
    }
    match peak_rss_mib() {
        Some(m) => println!("  peak memory      {m:.0} MiB (VmHWM)"),
        None => println!("  peak memory      n/a"),
    }
}

fn main() {
    // `cargo test --benches` runs bench binaries with `--bench` absent; keep
    // that quick.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let envelope = std::env::var_os("SIM_ENVELOPE").is_some();
    let (nodes, pods) = if envelope { (5_000, 150_000) } else { (500, 15_000) };
    let nodes = env("SIM_NODES").unwrap_or(nodes);
    let pods = env("SIM_PODS").unwrap_or(pods);
    let seconds = env("SIM_SECONDS").map_or(3600, |s| s as i64);
    run(nodes, pods, seconds);
}
