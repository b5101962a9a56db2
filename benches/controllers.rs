//! Controller reconcile benchmarks (issue 5, performance section).
//!
//! - ReplicaSet reconcile over 1,000 / 10,000 / 100,000 observed pods,
//!   scaling down by half (the burst of 500 victims is ranked among all
//!   pods);
//! - Deployment reconcile with 100 old ReplicaSets over 10,000 pods
//!   (RollingUpdate, and Recreate, which reads every pod);
//! - in the same run, a baseline that visits every pod once (controller
//!   reference + readiness), and the ratios reconcile / baseline and the
//!   growth from 10k to 100k pods. Goal: ratio <= 10, growth <= 12x.
//!
//! `cargo bench --bench controllers` runs in well under a minute.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion};
use kube_workloads::api::{
    Condition, ConditionStatus, Container, LabelSelector, ObjectMeta, OwnerReference, PodPhase, PodSpec,
    PodStatus, PodTemplateSpec, ReplicaSetSpec, ReplicaSetStatus, Time,
};
use kube_workloads::controller::{ReplicaSetMemory, deployment, replicaset};
use kube_workloads::{Deployment, Pod, ReplicaSet};

const NS: &str = "default";

fn labels(pairs: &[(&str, &str)]) -> kube_workloads::api::StringMap {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn template(app: &str, image: &str) -> PodTemplateSpec {
    PodTemplateSpec {
        metadata: Some(ObjectMeta { labels: Some(labels(&[("app", app)])), ..ObjectMeta::default() }),
        spec: Some(PodSpec {
            containers: vec![Container {
                name: "c".into(),
                image: Some(image.into()),
                ..Container::default()
            }],
            ..PodSpec::default()
        }),
        ..PodTemplateSpec::default()
    }
}

fn owner(kind: &str, name: &str, uid: &str) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: kind.into(),
        name: name.into(),
        uid: uid.into(),
        controller: Some(true),
        block_owner_deletion: Some(true),
        ..OwnerReference::default()
    }
}

fn pods(n: usize, owner_name: &str, owner_uid: &str, now: Time) -> Vec<Pod> {
    (0..n)
        .map(|i| {
            let ready_since = now.add_seconds(-((i as i64 * 37) % 86_400) - 1);
            Pod {
                metadata: ObjectMeta {
                    name: Some(format!("{owner_name}-{i:06}")),
                    namespace: Some(NS.into()),
                    uid: Some(format!("uid-{owner_name}-{i}")),
                    labels: Some(labels(&[("app", "web")])),
                    owner_references: Some(vec![owner("ReplicaSet", owner_name, owner_uid)]),
                    creation_timestamp: Some(ready_since.add_seconds(-10)),
                    ..ObjectMeta::default()
                },
                spec: Some(PodSpec { node_name: Some(format!("node-{}", i % 50)), ..PodSpec::default() }),
                status: Some(PodStatus {
                    phase: Some(PodPhase::Running),
                    conditions: Some(vec![Condition {
                        type_: "Ready".into(),
                        status: ConditionStatus::True,
                        last_transition_time: Some(ready_since),
                        ..Condition::default()
                    }]),
                    ..PodStatus::default()
                }),
                ..Pod::default()
            }
        })
        .collect()
}

fn replica_set(name: &str, replicas: i32, image: &str) -> ReplicaSet {
    ReplicaSet {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some(NS.into()),
            uid: Some(format!("uid-{name}")),
            generation: Some(1),
            labels: Some(labels(&[("app", "web")])),
            ..ObjectMeta::default()
        },
        spec: Some(ReplicaSetSpec {
            replicas: Some(replicas),
            selector: LabelSelector {
                match_labels: Some(labels(&[("app", "web")])),
                ..LabelSelector::default()
            },
            template: Some(template("web", image)),
            ..ReplicaSetSpec::default()
        }),
        ..ReplicaSet::default()
    }
}

/// The baseline: one pass over the pods reading what every controller reads
/// first (controller reference and readiness).
fn baseline(pods: &[Pod], uid: &str) -> usize {
    pods.iter()
        .filter(|p| {
            p.metadata.controller_ref().is_some_and(|r| r.uid == uid) && kube_workloads::pod::is_pod_ready(p)
        })
        .count()
}

fn time_it(mut f: impl FnMut(), budget: Duration) -> Duration {
    f(); // warm up
    let start = Instant::now();
    let mut runs = 0u32;
    while runs < 3 || start.elapsed() < budget {
        f();
        runs += 1;
    }
    start.elapsed() / runs
}

struct RsCase {
    n: usize,
    rs: ReplicaSet,
    pods: Vec<Pod>,
}

fn rs_case(n: usize, now: Time) -> RsCase {
    let rs = replica_set("web", i32::try_from(n / 2).unwrap_or(i32::MAX), "nginx");
    let pods = pods(n, "web", "uid-web", now);
    RsCase { n, rs, pods }
}

struct DeployCase {
    d: Deployment,
    rss: Vec<ReplicaSet>,
    pods: Vec<Pod>,
}

fn deploy_case(now: Time, recreate: bool) -> DeployCase {
    let d_owner = owner("Deployment", "web", "uid-d");
    let mut rss: Vec<ReplicaSet> = (0..100)
        .map(|i| {
            let mut rs = replica_set(&format!("web-old{i:03}"), 0, &format!("nginx:{i}"));
            rs.metadata.owner_references = Some(vec![d_owner.clone()]);
            rs.metadata.creation_timestamp = Some(now.add_seconds(-100_000 + i));
            rs.metadata.set_annotation("deployment.kubernetes.io/revision", (i + 1).to_string());
            rs.status =
                Some(ReplicaSetStatus { observed_generation: Some(1), ..ReplicaSetStatus::default() });
            rs
        })
        .collect();
    let mut new = replica_set("web-new", 10_000, "nginx:new");
    new.metadata.owner_references = Some(vec![d_owner]);
    new.metadata.set_annotation("deployment.kubernetes.io/revision", "101");
    new.metadata.set_annotation("deployment.kubernetes.io/desired-replicas", "10000");
    new.metadata.set_annotation("deployment.kubernetes.io/max-replicas", "12500");
    new.status = Some(ReplicaSetStatus {
        replicas: 9_000,
        ready_replicas: Some(9_000),
        available_replicas: Some(9_000),
        observed_generation: Some(1),
        ..ReplicaSetStatus::default()
    });
    rss.push(new);
    let mut d = Deployment {
        metadata: ObjectMeta {
            name: Some("web".into()),
            namespace: Some(NS.into()),
            uid: Some("uid-d".into()),
            generation: Some(2),
            ..ObjectMeta::default()
        },
        spec: Some(kube_workloads::api::DeploymentSpec {
            replicas: Some(10_000),
            selector: LabelSelector {
                match_labels: Some(labels(&[("app", "web")])),
                ..LabelSelector::default()
            },
            template: template("web", "nginx:new"),
            revision_history_limit: Some(10),
            ..Default::default()
        }),
        ..Deployment::default()
    };
    if recreate && let Some(spec) = d.spec.as_mut() {
        spec.strategy = Some(kube_workloads::api::DeploymentStrategy {
            type_: Some(kube_workloads::api::DeploymentStrategyType::Recreate),
            ..Default::default()
        });
    }
    let pods = pods(10_000, "web-new", "uid-web-new", now);
    DeployCase { d, rss, pods }
}

fn main() {
    let now: Time = "2024-06-01T00:00:00Z".parse().unwrap_or_default();
    let memory = ReplicaSetMemory::default();
    let cases: Vec<RsCase> = [1_000, 10_000, 100_000].into_iter().map(|n| rs_case(n, now)).collect();
    let rolling = deploy_case(now, false);
    let recreate = deploy_case(now, true);

    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    {
        let mut g = c.benchmark_group("replicaset_scale_down_by_half");
        for case in &cases {
            let obs = replicaset::Observed { pods: &case.pods, replica_sets: &[], memory: &memory };
            g.bench_with_input(BenchmarkId::new("reconcile", case.n), &case.n, |b, _| {
                b.iter(|| black_box(replicaset::reconcile(black_box(&case.rs), &obs, now)))
            });
            g.bench_with_input(BenchmarkId::new("baseline", case.n), &case.n, |b, _| {
                b.iter(|| black_box(baseline(black_box(&case.pods), "uid-web")))
            });
        }
        g.finish();
    }
    {
        let mut g = c.benchmark_group("deployment_100_old_rs_10k_pods");
        for (name, case) in [("rolling", &rolling), ("recreate", &recreate)] {
            let obs = deployment::Observed {
                replica_sets: &case.rss,
                pods: &case.pods,
                memory: &deployment::DeploymentMemory::default(),
            };
            g.bench_function(name, |b| {
                b.iter(|| black_box(deployment::reconcile(black_box(&case.d), &obs, now)))
            });
        }
        g.bench_function("baseline", |b| {
            b.iter(|| black_box(baseline(black_box(&rolling.pods), "uid-web-new")))
        });
        g.finish();
    }
    c.final_summary();
    // `--profile-time` runs one benchmark under a profiler: leave the ratio
    // section out of the profile.
    if std::env::args().any(|a| a == "--profile-time") {
        return;
    }

    // The ratios, measured in this run.
    println!("\nratio reconcile / visit-every-pod baseline (same run):");
    let budget = Duration::from_millis(400);
    let mut per_n = Vec::new();
    for case in &cases {
        let obs = replicaset::Observed { pods: &case.pods, replica_sets: &[], memory: &memory };
        let r = time_it(|| drop(black_box(replicaset::reconcile(&case.rs, &obs, now))), budget);
        let b = time_it(
            || {
                black_box(baseline(&case.pods, "uid-web"));
            },
            budget,
        );
        println!(
            "  ReplicaSet {:>7} pods: reconcile {:>10.3?}  baseline {:>10.3?}  ratio {:>5.2}",
            case.n,
            r,
            b,
            r.as_secs_f64() / b.as_secs_f64().max(1e-12)
        );
        per_n.push((case.n, r));
        let gates = kube_workloads::FeatureGates::default();
        let v = time_it(
            || {
                drop(black_box(kube_workloads::controller::ranking::select_victims(
                    case.pods.iter().map(|p| (p, 0)),
                    500,
                    now,
                    &gates,
                )))
            },
            budget,
        );
        println!("  ReplicaSet {:>7} pods, choosing 500 victims alone: {:>10.3?}", case.n, v);
        let mut steady = case.rs.clone();
        if let Some(spec) = steady.spec.as_mut() {
            spec.replicas = Some(i32::try_from(case.n).unwrap_or(i32::MAX));
        }
        let s = time_it(|| drop(black_box(replicaset::reconcile(&steady, &obs, now))), budget);
        println!(
            "  ReplicaSet {:>7} pods, steady state (no scaling): reconcile {:>10.3?}  ratio {:>5.2}",
            case.n,
            s,
            s.as_secs_f64() / b.as_secs_f64().max(1e-12)
        );
    }
    if let (Some((_, r10k)), Some((_, r100k))) = (per_n.get(1), per_n.get(2)) {
        println!(
            "  growth 10k -> 100k pods: {:.2}x (goal <= 12x)",
            r100k.as_secs_f64() / r10k.as_secs_f64().max(1e-12)
        );
    }
    for (name, case) in [("rolling", &rolling), ("recreate", &recreate)] {
        let obs = deployment::Observed {
            replica_sets: &case.rss,
            pods: &case.pods,
            memory: &deployment::DeploymentMemory::default(),
        };
        let r = time_it(|| drop(black_box(deployment::reconcile(&case.d, &obs, now))), budget);
        let b = time_it(
            || {
                black_box(baseline(&case.pods, "uid-web-new"));
            },
            budget,
        );
        println!(
            "  Deployment ({name}, 100 old RS, 10k pods): reconcile {r:>10.3?}  baseline {b:>10.3?}  ratio {:>5.2}",
            r.as_secs_f64() / b.as_secs_f64().max(1e-12)
        );
    }
}
