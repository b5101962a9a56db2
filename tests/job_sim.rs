//! Job controller driven through a miniature cluster: an insta snapshot of
//! an Indexed Job with failures under a pod failure policy, and property
//! tests (never more active pods than `parallelism`; never more successes
//! counted than `completions`; no pod counted twice).

mod job_support;

use job_support::{Fate, Sim, base, job};
use kube_workloads::controller::job::is_job_finished;
use proptest::prelude::*;
use serde_json::json;

#[test]
fn snapshot_indexed_job_with_pod_failure_policy() {
    // Four indexes, two at a time, one retry per index. Index 1 fails once
    // with exit code 1 (counted), is then evicted (DisruptionTarget:
    // ignored), then succeeds; index 2 exits with 42 (FailIndex). The Job
    // ends Failed with reason FailedIndexes.
    let j = job(json!({
        "completionMode": "Indexed", "completions": 4, "parallelism": 2,
        "backoffLimitPerIndex": 1, "maxFailedIndexes": 1,
        "podReplacementPolicy": "Failed",
        "podFailurePolicy": {"rules": [
            {"action": "FailIndex", "onExitCodes": {"containerName": "main", "operator": "In", "values": [42]}},
            {"action": "Ignore", "onPodConditions": [{"type": "DisruptionTarget"}]}
        ]}
    }));
    let fate = |key: &str, attempt: u32| match (key, attempt) {
        ("1", 1) => Fate::Exit(1),
        ("1", 2) => Fate::Disrupted,
        ("2", _) => Fate::Exit(42),
        _ => Fate::Succeed,
    };
    let mut sim = Sim::new(j, base(), 5);
    for _ in 0..40 {
        sim.reconcile();
        if sim.finished() {
            break;
        }
        sim.advance(&fate);
    }
    assert!(sim.finished(), "the job finishes");
    insta::assert_snapshot!(sim.log.join("\n"));
}

#[derive(Debug, Clone)]
struct Scenario {
    indexed: bool,
    parallelism: i32,
    completions: Option<i32>,
    backoff_limit: i32,
    fates: Vec<u8>,
    prompt_finalizers: bool,
    shrink_parallelism_at: Option<usize>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        any::<bool>(),
        0..5i32,
        prop::option::of(1..8i32),
        0..4i32,
        prop::collection::vec(0..4u8, 1..8),
        any::<bool>(),
        prop::option::of(0..10usize),
    )
        .prop_map(
            |(indexed, parallelism, completions, backoff_limit, fates, prompt_finalizers, shrink)| Scenario {
                indexed,
                parallelism,
                completions: if indexed { Some(completions.unwrap_or(3)) } else { completions },
                backoff_limit,
                fates,
                prompt_finalizers,
                shrink_parallelism_at: shrink,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn job_invariants(s in scenario()) {
        let mut spec = json!({
            "parallelism": s.parallelism,
            "backoffLimit": s.backoff_limit,
            "completionMode": if s.indexed { "Indexed" } else { "NonIndexed" },
        });
        match s.completions {
            Some(c) => spec["completions"] = json!(c),
            None => spec["completions"] = serde_json::Value::Null,
        }
        let mut sim = Sim::new(job(spec), base(), 5);
        sim.prompt_finalizers = s.prompt_finalizers;
        let fates = s.fates.clone();
        let fate = move |_: &str, attempt: u32| {
            match fates.get(attempt as usize % fates.len()).copied().unwrap_or(0) {
                0 | 1 => Fate::Succeed,
                2 => Fate::Exit(1),
                _ => Fate::Disrupted,
            }
        };
        let mut parallelism = s.parallelism;
        for step in 0..60 {
            if Some(step) == s.shrink_parallelism_at && parallelism > 0 {
                parallelism -= 1;
                if let Some(spec) = sim.job.spec.as_mut() {
                    spec.parallelism = Some(parallelism);
                }
            }
            let before = sim.job.clone();
            sim.reconcile();
            // Every status the controller writes is one the API server's
            // status update accepts (JobManagedBy's change-gated rules).
            let verdict = kube_workloads::validation::validate_status_update(
                &before.clone().into(),
                &sim.job.clone().into(),
            );
            prop_assert!(verdict.is_ok(), "step {step}: {verdict:?}\nfrom {:?}\nto {:?}", before.status, sim.job.status);
            // Never more active pods than parallelism, once deletions issued
            // this reconcile are applied.
            prop_assert!(sim.active_created() <= parallelism.max(0) as usize,
                "active {} > parallelism {} at step {step}", sim.active_created(), parallelism);
            let st = sim.job.status.clone().unwrap_or_default();
            let succeeded = st.succeeded.unwrap_or(0);
            if let Some(c) = s.completions {
                prop_assert!(succeeded <= c, "succeeded {succeeded} > completions {c}");
            }
            // No pod counted twice: counted + uncounted never exceeds the
            // pods that finished.
            let uncounted = st.uncounted_terminated_pods.clone().unwrap_or_default();
            let counted = i64::from(st.failed.unwrap_or(0))
                + if s.indexed { 0 } else { i64::from(succeeded) }
                + uncounted.succeeded.map_or(0, |v| v.len() as i64)
                + uncounted.failed.map_or(0, |v| v.len() as i64);
            prop_assert!(counted <= sim.finished_uids.len() as i64,
                "counted {counted} > finished pods {}", sim.finished_uids.len());
            if is_job_finished(&sim.job) {
                break;
            }
            sim.advance(&fate);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    // Totality (DESIGN principle 5): hostile numbers and strings never make
    // the reconcile panic, and it never creates more than one burst.
    #[test]
    fn job_reconcile_is_total(
        parallelism in any::<i32>(),
        completions in prop::option::of(any::<i32>()),
        backoff in any::<i32>(),
        per_index in prop::option::of(any::<i32>()),
        max_failed in prop::option::of(any::<i32>()),
        deadline in prop::option::of(any::<i64>()),
        indexed in any::<bool>(),
        completed in "[0-9,\\-x]{0,24}",
        failed_ix in "[0-9,\\-]{0,12}",
        annotations in prop::collection::vec("[0-9\\-+a]{0,6}", 0..6),
    ) {
        use job_support::{P, run, created};
        use kube_workloads::controller::job::JobMemory;
        let mut spec = json!({
            "parallelism": parallelism, "backoffLimit": backoff,
            "completionMode": if indexed { "Indexed" } else { "NonIndexed" },
            "successPolicy": {"rules": [{"succeededIndexes": completed.clone()}, {"succeededCount": 1}]},
        });
        spec["completions"] = completions.map_or(serde_json::Value::Null, |c| json!(c));
        if let Some(p) = per_index { spec["backoffLimitPerIndex"] = json!(p); }
        if let Some(m) = max_failed { spec["maxFailedIndexes"] = json!(m); }
        if let Some(d) = deadline { spec["activeDeadlineSeconds"] = json!(d); }
        let j = job_support::with_status(job(spec), json!({
            "completedIndexes": completed, "failedIndexes": failed_ix,
            "startTime": "2024-01-01T00:00:00Z", "succeeded": -3, "failed": i32::MAX,
            "uncountedTerminatedPods": {"succeeded": ["uid-p0"], "failed": ["uid-p1", "uid-p1"]}
        }));
        let pods: Vec<_> = annotations.iter().enumerate().map(|(i, a)| {
            let p = P::new(&format!("p{i}")).index(a).failure_count(i as i32);
            match i % 3 { 0 => p.succeeded(), 1 => p.failed(), _ => p.running() }.build()
        }).collect();
        let actions = run(&j, &pods, &JobMemory::default(), base().add_seconds(30));
        prop_assert!(created(&actions).len() <= 500);
    }
}
