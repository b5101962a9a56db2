//! Benchmark of the pod lifecycle state machine (issue 4, "Performance").
//!
//! 1. `probe_round_trip` (criterion): one pod of 3 containers with startup,
//!    liveness and readiness probes, steady state; one iteration is one
//!    `handle_timeout` + every `poll_command` + one `handle(ProbeResult)` per
//!    probe run + `poll_timeout`.
//! 2. Fleet scaling (plain timing): 1,000, 10,000 and 100,000 such pods driven
//!    through a virtual window of probe periods by a timer heap, every probe
//!    answered Success at once. Reports ns per handled event (an event is one
//!    `handle` or `handle_timeout` call, with its polls included), bytes per
//!    `PodLifecycle` (its size plus the heap it owns, measured with a counting
//!    allocator) and how ns/event grows with the pod count.
//!
//! The default window is 60 virtual seconds so the whole run stays well
//! under a minute; `KUBELET_BENCH_SECONDS=3600` gives the full virtual hour
//! of the issue (about 250 M events at 100,000 pods).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use criterion::Criterion;
use kube_workloads::api::{Pod, Time};
use kube_workloads::kubelet::{Command, Event, KubeletConfig, PodLifecycle, ProbeOutcome};

struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn pod() -> Pod {
    let probe = serde_json::json!({"httpGet": {"port": 8080, "path": "/healthz"}});
    let containers: Vec<_> = ["app", "metrics", "proxy"]
        .iter()
        .map(|name| {
            serde_json::json!({"name": name, "image": "registry.example/app:1",
                "startupProbe": probe, "livenessProbe": probe, "readinessProbe": probe})
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "metadata": {"name": "web-0", "namespace": "default", "uid": "0b1c"},
        "spec": {"containers": containers}
    }))
    .unwrap()
}

/// Answers every pending command at once (the sandbox comes up, containers
/// start, probes succeed). Returns how many `handle` calls it made.
fn answer(pl: &mut PodLifecycle, now: Time) -> u64 {
    let mut events = 0;
    while let Some(cmd) = pl.poll_command() {
        let event = match cmd {
            Command::CreateSandbox => Event::SandboxReady { pod_ip: Some("10.0.0.1".into()) },
            Command::StartContainer { container, .. } => Event::ContainerStarted { container },
            Command::RunProbe { container, attempt, probe, .. } => {
                Event::ProbeResult { container, attempt, probe, outcome: ProbeOutcome::Success }
            }
            _ => continue,
        };
        pl.handle(event, now);
        events += 1;
    }
    events
}

fn started_pod(template: &Pod) -> PodLifecycle {
    let t0 = Time::from_unix(0);
    let mut pl = PodLifecycle::new(template, t0, KubeletConfig::default());
    answer(&mut pl, t0);
    pl
}

fn fleet(n: usize, window: i64) -> (f64, u64, f64) {
    let template = pod();
    let before = LIVE.load(Ordering::Relaxed);
    let mut pods: Vec<PodLifecycle> = (0..n).map(|_| started_pod(&template)).collect();
    let after = LIVE.load(Ordering::Relaxed);
    let bytes_per_pod = (after - before) as f64 / n as f64;
    let mut heap: BinaryHeap<Reverse<(i64, usize)>> =
        pods.iter().enumerate().filter_map(|(i, p)| Some(Reverse((p.poll_timeout()?.unix(), i)))).collect();
    let mut events = 0u64;
    let start = Instant::now();
    while let Some(Reverse((t, i))) = heap.pop() {
        if t > window {
            break;
        }
        let Some(pl) = pods.get_mut(i) else { continue };
        let now = Time::from_unix(t);
        pl.handle_timeout(now);
        events += 1 + answer(pl, now);
        if let Some(next) = pl.poll_timeout() {
            heap.push(Reverse((next.unix(), i)));
        }
    }
    let elapsed = start.elapsed();
    black_box(&pods);
    (elapsed.as_nanos() as f64 / events.max(1) as f64, events, bytes_per_pod)
}

fn main() {
    let mut criterion = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    let template = pod();
    criterion.bench_function("kubelet/probe_round_trip", |b| {
        let mut pl = started_pod(&template);
        b.iter(|| {
            let now = pl.poll_timeout().unwrap_or(Time::from_unix(0));
            pl.handle_timeout(now);
            black_box(answer(&mut pl, now));
        });
    });
    criterion.final_summary();

    // `cargo bench -- <filter>` runs only the criterion part above.
    if std::env::args().skip(1).any(|a| !a.starts_with('-')) {
        return;
    }
    let window: i64 = std::env::var("KUBELET_BENCH_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(60);
    println!("\nfleet: 3 containers x (startup, liveness, readiness) per pod, {window} virtual seconds");
    println!("{:>8} {:>12} {:>10} {:>14} {:>12}", "pods", "events", "ns/event", "bytes/pod", "vs 1k");
    let mut base = None;
    for n in [1_000usize, 10_000, 100_000] {
        let (ns, events, bytes) = fleet(n, window);
        let ratio = ns / *base.get_or_insert(ns);
        println!("{n:>8} {events:>12} {ns:>10.1} {bytes:>14.0} {ratio:>11.2}x");
    }
    println!(
        "size_of::<PodLifecycle>() = {} bytes (inline part of bytes/pod)",
        std::mem::size_of::<PodLifecycle>()
    );
}
