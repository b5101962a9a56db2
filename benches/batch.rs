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

criterion_group!(next_after_benches, next_after);
criterion_group!(missed_schedule_benches, missed_schedule);
criterion_main!(next_after_benches, missed_schedule_benches);
