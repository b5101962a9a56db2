//! Batch benchmarks (issue 7, performance section). One criterion group per
//! function; add a group and list it in `criterion_main!` to extend.
//!
//! - `next_after`: one `Schedule::next_after` call, for a per-minute and a
//!   business-hours schedule in UTC, the OR-ed day rule, and a daily
//!   schedule in Europe/Berlin. Goal: under 2 µs.
//! - `missed_schedule`: `Schedule::missed` over a one-year gap of a
//!   per-minute schedule (525,600 missed times, counted, not iterated), in
//!   UTC and in Europe/Berlin. Goal: under 50 µs.
//!
//! - `job_100k_indexes`: one `job::reconcile` of an Indexed Job with
//!   100,000 completions: every third index already in `completedIndexes`
//!   (33,334 intervals), 40,000 running pods on other indexes and 1,000
//!   newly succeeded pods still carrying the tracking finalizer (so the sync
//!   parses and writes the interval strings, finds the pending indexes,
//!   creates 500 pods and tracks 500 finished ones), against a baseline that
//!   visits every pod once (reads its index annotation, phase and
//!   finalizers). Goal: within 10x the baseline.
//!
//! `cargo bench --bench batch` runs in well under a minute.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kube_workloads::api::Time;
use kube_workloads::schedule::Schedule;

fn time(s: &str) -> Time {
    s.parse().unwrap_or(Time::EPOCH)
}

fn schedule(spec: &str) -> Schedule {
    match Schedule::parse(spec) {
        Ok(s) => s,
        Err(e) => panic!("{spec}: {e}"),
    }
}

fn next_after(c: &mut Criterion) {
    let mut group = c.benchmark_group("next_after");
    group.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    let from = time("2024-05-03T17:50:30Z");
    for (name, spec) in [
        ("every_minute_utc", "* * * * *"),
        ("business_hours_utc", "*/15 9-17 * * MON-FRI"),
        ("dom_or_dow_utc", "0 0 1,15 * Sun"),
        ("daily_berlin", "TZ=Europe/Berlin 30 2 * * *"),
        ("every_minute_berlin", "TZ=Europe/Berlin * * * * *"),
    ] {
        let s = schedule(spec);
        group.bench_function(name, |b| b.iter(|| black_box(&s).next_after(black_box(from))));
    }
    group.finish();
}

fn missed_schedule(c: &mut Criterion) {
    let mut group = c.benchmark_group("missed_schedule");
    group.measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    let earliest = time("2023-05-01T00:00:00Z");
    let now = time("2024-05-01T00:00:30Z");
    for (name, spec) in [
        ("one_year_every_minute_utc", "* * * * *"),
        ("one_year_every_minute_berlin", "TZ=Europe/Berlin * * * * *"),
        ("one_year_weekdays_utc", "30 6-16/4 * * 1-5"),
    ] {
        let s = schedule(spec);
        group.bench_function(name, |b| b.iter(|| black_box(&s).missed(black_box(earliest), black_box(now))));
    }
    group.finish();
}

/// The Indexed Job of `job_100k_indexes` and its pods.
fn job_100k() -> (kube_workloads::Job, Vec<kube_workloads::Pod>) {
    use kube_workloads::controller::job::{COMPLETION_INDEX_ANNOTATION, JOB_TRACKING_FINALIZER};
    let completions = 100_000;
    let done: Vec<String> = (0..completions).step_by(3).map(|i: i32| i.to_string()).collect();
    let job: kube_workloads::Job = match serde_json::from_value(serde_json::json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "big", "namespace": "default", "uid": "uid-big"},
        "spec": {
            "completionMode": "Indexed", "completions": completions, "parallelism": 50_000,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": "uid-big"}},
            "template": {"metadata": {"labels": {"batch.kubernetes.io/controller-uid": "uid-big"}},
                         "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}
        },
        "status": {"startTime": "2024-01-01T00:00:00Z", "completedIndexes": done.join(","),
                   "succeeded": done.len(), "active": 41_000, "ready": 40_000,
                   "uncountedTerminatedPods": {}}
    })) {
        Ok(j) => j,
        Err(e) => panic!("job: {e}"),
    };
    let template: kube_workloads::Pod = match serde_json::from_value(serde_json::json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"namespace": "default", "labels": {"batch.kubernetes.io/controller-uid": "uid-big"},
                     "finalizers": [JOB_TRACKING_FINALIZER],
                     "creationTimestamp": "2024-01-01T00:00:00Z",
                     "ownerReferences": [{"apiVersion": "batch/v1", "kind": "Job", "name": "big", "uid": "uid-big",
                                          "controller": true, "blockOwnerDeletion": true}]},
        "spec": {"containers": [{"name": "c", "image": "busybox"}], "nodeName": "n1"},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}
    })) {
        Ok(p) => p,
        Err(e) => panic!("pod: {e}"),
    };
    let mut pods = Vec::new();
    let free = (0..completions).filter(|i| i % 3 != 0);
    for (n, ix) in free.take(41_000).enumerate() {
        let mut p = template.clone();
        let name = format!("big-{ix}-{n:05}");
        p.metadata.uid = Some(format!("uid-{name}"));
        p.metadata.name = Some(name);
        p.metadata.set_annotation(COMPLETION_INDEX_ANNOTATION, ix.to_string());
        p.metadata.set_label(COMPLETION_INDEX_ANNOTATION, ix.to_string());
        if n >= 40_000
            && let Some(st) = p.status.as_mut()
        {
            st.phase = Some(kube_workloads::api::PodPhase::Succeeded);
            st.conditions = None;
        }
        pods.push(p);
    }
    (job, pods)
}

fn job_100k_indexes(c: &mut Criterion) {
    use kube_workloads::controller::job::{
        self, COMPLETION_INDEX_ANNOTATION, JOB_TRACKING_FINALIZER, JobMemory,
    };
    let mut group = c.benchmark_group("job_100k_indexes");
    group.sample_size(20).measurement_time(Duration::from_secs(8)).warm_up_time(Duration::from_secs(1));
    let (j, pods) = job_100k();
    let memory = JobMemory::default();
    let now = time("2024-01-01T01:00:00Z");
    let probe = job::reconcile(&j, &job::Observed { pods: &pods, memory: &memory }, now);
    let creates =
        probe.iter().filter(|a| matches!(a, kube_workloads::controller::Action::Create { .. })).count();
    assert_eq!(creates, 500, "the benchmark sync creates 500 pods");
    group.bench_function("reconcile", |b| {
        b.iter(|| {
            job::reconcile(black_box(&j), &job::Observed { pods: black_box(&pods), memory: &memory }, now)
        })
    });
    group.bench_function("baseline_visit_every_pod", |b| {
        b.iter(|| {
            let mut sum = 0i64;
            for p in black_box(&pods) {
                let ix =
                    p.metadata.annotation(COMPLETION_INDEX_ANNOTATION).and_then(|v| v.parse::<i64>().ok());
                let finished =
                    p.status.as_ref().and_then(|s| s.phase.as_ref()).is_some_and(|ph| ph.is_terminal());
                let tracked = p
                    .metadata
                    .finalizers
                    .as_deref()
                    .is_some_and(|f| f.iter().any(|x| x == JOB_TRACKING_FINALIZER));
                sum += ix.unwrap_or(0) + i64::from(finished) + i64::from(tracked);
            }
            sum
        })
    });
    group.finish();
}

criterion_group!(next_after_benches, next_after);
criterion_group!(missed_schedule_benches, missed_schedule);
criterion_group!(job_benches, job_100k_indexes);
criterion_main!(next_after_benches, missed_schedule_benches, job_benches);
