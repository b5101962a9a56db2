//! DaemonSet and StatefulSet reconcile cost against a visit-every-object
//! baseline (issue 6): a settled DaemonSet over 500 and 5,000 nodes (one
//! Ready pod each), and a settled StatefulSet of 1,000 replicas. After the
//! criterion groups, a short summary prints the reconcile / baseline ratios
//! and the growth from 500 to 5,000 nodes.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group};

mod support;
use kube_workloads::api::{ControllerRevision, Object, PersistentVolumeClaim, Time};
use kube_workloads::controller::daemonset::{self, DaemonSetMemory};
use kube_workloads::controller::{Action, statefulset};
use kube_workloads::{DaemonSet, Node, Pod, StatefulSet};
use serde_json::json;
use support::paired;

fn now() -> Time {
    "2024-01-01T01:00:00Z".parse().expect("time")
}

fn ready_status() -> serde_json::Value {
    json!({"phase": "Running", "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "2024-01-01T00:00:00Z"}]})
}

struct DsWorld {
    ds: DaemonSet,
    nodes: Vec<Node>,
    pods: Vec<Pod>,
    revisions: Vec<ControllerRevision>,
    memory: DaemonSetMemory,
}

fn ds_world(n: usize) -> DsWorld {
    let mut ds: DaemonSet = serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "agent", "namespace": "default", "uid": "uid-agent", "generation": 1},
        "spec": {"selector": {"matchLabels": {"app": "agent"}},
                 "template": {"metadata": {"labels": {"app": "agent"}},
                              "spec": {"containers": [{"name": "agent", "image": "agent:1"}]}}}
    }))
    .expect("ds");
    let nodes: Vec<Node> = (0..n)
        .map(|i| {
            serde_json::from_value(json!({"metadata": {"name": format!("node-{i:05}"), "labels": {"zone": format!("z{}", i % 3)}},
                "spec": {"taints": [{"key": "node.kubernetes.io/not-ready", "effect": "NoExecute"}]}}))
            .expect("node")
        })
        .collect();
    // One reconcile over no pods gives the revision and the pod template.
    let empty = DaemonSetMemory::default();
    let first = daemonset::reconcile(
        &ds,
        &daemonset::Observed { pods: &[], nodes: &nodes, revisions: &[], memory: &empty },
        now(),
    );
    let mut revisions = Vec::new();
    let mut pods = Vec::new();
    for a in first {
        match a {
            Action::Create { object: Object::ControllerRevision(r) } => revisions.push(*r),
            Action::Create { object: Object::Pod(p) } => pods.push(*p),
            Action::UpdateStatus { object: Object::DaemonSet(d) } => ds.status = d.status,
            _ => {}
        }
    }
    // Creates are capped per sync: fill every node from the first template.
    let template = pods.first().cloned().expect("a pod");
    let mut pods: Vec<Pod> = Vec::with_capacity(n);
    for (i, node) in nodes.iter().enumerate() {
        let mut p = template.clone();
        p.metadata.name = Some(format!("agent-{i:05}"));
        p.metadata.uid = Some(format!("uid-{i}"));
        p.metadata.creation_timestamp = Some("2024-01-01T00:00:00Z".parse().expect("time"));
        let spec = p.spec.get_or_insert_default();
        spec.node_name = Some(node.metadata.name().to_owned());
        p.status = Some(serde_json::from_value(ready_status()).expect("status"));
        pods.push(p);
    }
    DsWorld { ds, nodes, pods, revisions, memory: DaemonSetMemory::default() }
}

fn ds_reconcile(w: &DsWorld) -> usize {
    let o =
        daemonset::Observed { pods: &w.pods, nodes: &w.nodes, revisions: &w.revisions, memory: &w.memory };
    daemonset::reconcile(&w.ds, &o, now()).len()
}

/// Visits every node and pod once the way any controller must: a node's
/// name and taints, a pod's selector label, its node and its Ready
/// condition.
fn ds_baseline(w: &DsWorld) -> usize {
    let mut acc = 0usize;
    for n in &w.nodes {
        acc = acc.wrapping_add(n.metadata.name().len());
        for t in n.spec.as_ref().map(|s| s.taints()).unwrap_or_default() {
            acc = acc.wrapping_add(usize::from(t.key == "node.kubernetes.io/not-ready"));
        }
    }
    for p in &w.pods {
        acc = acc.wrapping_add(usize::from(p.metadata.label("app") == Some("agent")));
        acc = acc.wrapping_add(p.spec.as_ref().and_then(|s| s.node_name.as_deref()).map_or(0, str::len));
        acc = acc.wrapping_add(usize::from(kube_workloads::pod::is_pod_ready(p)));
    }
    acc
}

struct SsWorld {
    set: StatefulSet,
    pods: Vec<Pod>,
    claims: Vec<PersistentVolumeClaim>,
    revisions: Vec<ControllerRevision>,
}

fn ss_world(replicas: i32) -> SsWorld {
    let mut set: StatefulSet = serde_json::from_value(json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "default", "uid": "uid-db", "generation": 1},
        "spec": {"replicas": replicas, "serviceName": "db", "podManagementPolicy": "Parallel",
                 "selector": {"matchLabels": {"app": "db"}},
                 "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": [{"name": "db", "image": "db:1"}]}},
                 "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}]}
    }))
    .expect("set");
    let mut pods: Vec<Pod> = Vec::new();
    let mut claims = Vec::new();
    let mut revisions = Vec::new();
    // Parallel creates at most MAX_NEW_SLOTS pods per reconcile: repeat.
    loop {
        let observed = statefulset::Observed { pods: &pods, claims: &claims, revisions: &revisions };
        let actions = statefulset::reconcile(&set, &observed, now());
        let mut created = false;
        for a in actions {
            match a {
                Action::Create { object: Object::Pod(p) } => {
                    let mut p = *p;
                    p.metadata.uid = Some(format!("uid-{}", p.metadata.name()));
                    p.status = Some(serde_json::from_value(ready_status()).expect("status"));
                    pods.push(p);
                    created = true;
                }
                Action::Create { object: Object::PersistentVolumeClaim(c) } => claims.push(*c),
                Action::Create { object: Object::ControllerRevision(r) } => revisions.push(*r),
                Action::UpdateStatus { object: Object::StatefulSet(s) } => set.status = s.status,
                _ => {}
            }
        }
        if !created {
            break;
        }
    }
    assert_eq!(pods.len(), usize::try_from(replicas).unwrap_or(0));
    SsWorld { set, pods, claims, revisions }
}

fn ss_reconcile(w: &SsWorld) -> usize {
    let o = statefulset::Observed { pods: &w.pods, claims: &w.claims, revisions: &w.revisions };
    statefulset::reconcile(&w.set, &o, now()).len()
}

fn ss_baseline(w: &SsWorld) -> usize {
    let mut acc = 0usize;
    for p in &w.pods {
        acc = acc.wrapping_add(usize::from(p.metadata.label("app") == Some("db")));
        acc = acc.wrapping_add(p.metadata.name().len());
        acc = acc.wrapping_add(usize::from(kube_workloads::pod::is_pod_ready(p)));
    }
    for c in &w.claims {
        acc = acc.wrapping_add(c.metadata.name().len());
    }
    acc
}

fn benches(c: &mut Criterion) {
    let small = ds_world(500);
    let large = ds_world(5_000);
    let ss = ss_world(1_000);
    let mut g = c.benchmark_group("daemonset");
    g.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    g.bench_function("reconcile/500", |b| b.iter(|| black_box(ds_reconcile(&small))));
    g.bench_function("reconcile/5000", |b| b.iter(|| black_box(ds_reconcile(&large))));
    g.bench_function("baseline/5000", |b| b.iter(|| black_box(ds_baseline(&large))));
    g.finish();
    let mut g = c.benchmark_group("statefulset");
    g.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    g.bench_function("reconcile/1000", |b| b.iter(|| black_box(ss_reconcile(&ss))));
    g.bench_function("baseline/1000", |b| b.iter(|| black_box(ss_baseline(&ss))));
    g.finish();
}

fn summary() {
    let small = ds_world(500);
    let large = ds_world(5_000);
    let ss = ss_world(1_000);
    // Each ratio is the median of per-round ratios over alternating rounds
    // (see support::paired).
    let pair = |f: &dyn Fn() -> usize, base: &dyn Fn() -> usize| {
        paired(
            || {
                black_box(f());
            },
            || {
                black_box(base());
            },
            Duration::from_millis(800),
        )
    };
    let (ds500, base500, _) = pair(&|| ds_reconcile(&small), &|| ds_baseline(&small));
    let (ds5000, base5000, ds_ratio) = pair(&|| ds_reconcile(&large), &|| ds_baseline(&large));
    let (ss1000, ssbase, ss_ratio) = pair(&|| ss_reconcile(&ss), &|| ss_baseline(&ss));
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64().max(1e-12);
    println!(
        "summary: daemonset 5,000 nodes: reconcile {ds5000:?}, baseline {base5000:?}, ratio {ds_ratio:.1}"
    );
    // The baseline's own growth is the memory hierarchy's share (500 nodes'
    // objects fit in a core's L2, 5,000 do not): the reconcile's growth over
    // it is what the reconcile adds.
    println!(
        "summary: daemonset 500 -> 5,000 nodes: {ds500:?} -> {ds5000:?}, growth x{:.1} (linear: x10; baseline x{:.1}; reconcile over baseline x{:.2})",
        ratio(ds5000, ds500),
        ratio(base5000, base500),
        ratio(ds5000, ds500) / ratio(base5000, base500).max(1e-12)
    );
    println!(
        "summary: statefulset 1,000 replicas: reconcile {ss1000:?}, baseline {ssbase:?}, ratio {ss_ratio:.1}"
    );
}

criterion_group!(workloads, benches);

/// One case for `benches/instructions.sh`: the reconcile and the baseline
/// called through the symbols callgrind counts, nothing else.
fn instructions(case: &str, calls: u32) {
    fn count<W>(calls: u32, w: &W, reconcile: fn(&W) -> usize, baseline: fn(&W) -> usize) {
        support::instr_pair(
            calls,
            &mut || {
                black_box(reconcile(w));
            },
            &mut || {
                black_box(baseline(w));
            },
        );
    }
    match case {
        "ds500" => count(calls, &ds_world(500), ds_reconcile, ds_baseline),
        "ds5000" => count(calls, &ds_world(5_000), ds_reconcile, ds_baseline),
        "ss1000" => count(calls, &ss_world(1_000), ss_reconcile, ss_baseline),
        other => eprintln!("unknown case {other}: ds500, ds5000, ss1000"),
    }
}

fn main() {
    if let Some((case, calls)) = support::instructions_request() {
        instructions(&case, calls);
        return;
    }
    workloads();
    // `--profile-time` runs one benchmark under a profiler: no summary then.
    if !std::env::args().any(|a| a == "--profile-time") {
        summary();
    }
    Criterion::default().configure_from_args().final_summary();
}
