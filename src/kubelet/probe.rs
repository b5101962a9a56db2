//! One probe worker per (container, probe type): thresholds, gating and a
//! deterministic schedule.
//!
//! upstream: pkg/kubelet/prober/worker.go (run, doProbe),
//! pkg/kubelet/prober/prober.go (probe: result mapping). The schedule is the
//! jitter-free grid of semantics PL-7.7.

use crate::api::Probe;

use super::types::{ProbeKind, ProbeOutcome};

/// A probe worker's state. Results are `Some(true)` (Success),
/// `Some(false)` (Failure) or `None` (no result yet).
#[derive(Clone, Debug)]
pub(crate) struct Worker {
    pub(crate) kind: ProbeKind,
    pub(crate) initial_delay: i64,
    pub(crate) period: i64,
    pub(crate) timeout: i32,
    success_threshold: u32,
    failure_threshold: u32,
    /// The stored result for the current instance.
    pub(crate) result: Option<bool>,
    last: Option<bool>,
    run: u32,
    pub(crate) on_hold: bool,
    pub(crate) stopped: bool,
    pub(crate) next_due: Option<i64>,
    pub(crate) outstanding: bool,
    pub(crate) missed: bool,
}

fn at_least_one(v: i32) -> u32 {
    u32::try_from(v.max(1)).unwrap_or(1)
}

impl Worker {
    pub(crate) fn new(kind: ProbeKind, probe: &Probe) -> Worker {
        Worker {
            kind,
            initial_delay: i64::from(probe.initial_delay_seconds_or_default().max(0)),
            period: i64::from(probe.period_seconds_or_default().max(1)),
            timeout: probe.timeout_seconds_or_default().max(1),
            success_threshold: at_least_one(probe.success_threshold_or_default()),
            failure_threshold: at_least_one(probe.failure_threshold_or_default()),
            result: None,
            last: None,
            run: 0,
            on_hold: false,
            stopped: false,
            next_due: None,
            outstanding: false,
            missed: false,
        }
    }

    /// A new container instance: the initial result (readiness Failure,
    /// liveness Success, startup none), on-hold cleared. The run counter is
    /// deliberately kept (upstream quirk, PL-7.2).
    pub(crate) fn new_instance(&mut self) {
        self.result = match self.kind {
            ProbeKind::Readiness => Some(false),
            ProbeKind::Liveness => Some(true),
            ProbeKind::Startup => None,
        };
        self.on_hold = false;
        self.next_due = None;
        self.outstanding = false;
        self.missed = false;
    }

    /// The container stopped running: every probe type reads Failure.
    pub(crate) fn container_stopped(&mut self) {
        self.result = Some(false);
        self.next_due = None;
        self.outstanding = false;
        self.missed = false;
    }

    /// Starts the grid at `first` (already clamped by the caller).
    pub(crate) fn schedule_from(&mut self, first: i64) {
        if !self.stopped {
            self.next_due = Some(first);
        }
    }

    /// Moves `next_due` past `now` along the grid (Go ticker: missed ticks
    /// collapse).
    pub(crate) fn advance_past(&mut self, now: i64) {
        if let Some(due) = self.next_due
            && due <= now
        {
            let behind = now.saturating_sub(due);
            let steps = (behind / self.period).saturating_add(1);
            self.next_due = Some(due.saturating_add(steps.saturating_mul(self.period)));
        }
    }

    /// Applies one probe outcome. Returns true when the stored result
    /// changed or was (re)stored.
    // upstream: pkg/kubelet/prober/worker.go: doProbe (steps 9-12)
    pub(crate) fn apply(&mut self, outcome: ProbeOutcome) -> bool {
        let result = match outcome {
            ProbeOutcome::Error => return false,
            ProbeOutcome::Success => true,
            ProbeOutcome::Failure => false,
        };
        if self.last == Some(result) {
            self.run = self.run.saturating_add(1);
        } else {
            self.last = Some(result);
            self.run = 1;
        }
        if (!result && self.run < self.failure_threshold) || (result && self.run < self.success_threshold) {
            return false;
        }
        self.result = Some(result);
        if (self.kind == ProbeKind::Liveness && !result) || self.kind == ProbeKind::Startup {
            // Pause until a new container instance (upstream #117153 for startup).
            self.on_hold = true;
            self.run = 0;
            self.next_due = None;
            self.missed = false;
        }
        true
    }

    /// Stops the worker for good, storing `result`.
    pub(crate) fn stop(&mut self, result: Option<bool>) {
        self.stopped = true;
        self.result = result;
        self.next_due = None;
        self.missed = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(kind: ProbeKind, success: i32, failure: i32) -> Worker {
        let probe =
            Probe { success_threshold: Some(success), failure_threshold: Some(failure), ..Probe::default() };
        let mut w = Worker::new(kind, &probe);
        w.new_instance();
        w
    }

    // upstream: pkg/kubelet/prober/worker_test.go: TestInitialDelay (initial results)
    #[test]
    fn initial_results_per_type() {
        assert_eq!(worker(ProbeKind::Readiness, 1, 3).result, Some(false));
        assert_eq!(worker(ProbeKind::Liveness, 1, 3).result, Some(true));
        assert_eq!(worker(ProbeKind::Startup, 1, 3).result, None);
    }

    // upstream: pkg/kubelet/prober/worker_test.go: TestFailureThreshold, TestSuccessThreshold
    #[test]
    fn thresholds() {
        let mut w = worker(ProbeKind::Readiness, 3, 3);
        // two successes are not enough, the third stores Success
        assert!(!w.apply(ProbeOutcome::Success));
        assert!(!w.apply(ProbeOutcome::Success));
        assert_eq!(w.result, Some(false));
        assert!(w.apply(ProbeOutcome::Success));
        assert_eq!(w.result, Some(true));
        // failures interleaved with errors: errors change nothing
        assert!(!w.apply(ProbeOutcome::Failure));
        assert!(!w.apply(ProbeOutcome::Error));
        assert!(!w.apply(ProbeOutcome::Failure));
        assert!(w.apply(ProbeOutcome::Failure));
        assert_eq!(w.result, Some(false));
        assert!(!w.on_hold, "readiness never goes on hold");
    }

    // upstream: pkg/kubelet/prober/worker_test.go: TestOnHoldOnLivenessOrStartupCheckFailure
    #[test]
    fn liveness_failure_and_any_startup_result_put_the_worker_on_hold() {
        let mut w = worker(ProbeKind::Liveness, 1, 1);
        assert!(w.apply(ProbeOutcome::Failure));
        assert!(w.on_hold);
        w.new_instance();
        assert!(!w.on_hold);
        assert_eq!(w.result, Some(true));
        let mut s = worker(ProbeKind::Startup, 1, 3);
        assert!(s.apply(ProbeOutcome::Success));
        assert!(s.on_hold, "startup stops probing after crossing a threshold");
    }

    // PL-7.2: the run counter survives a new container instance (upstream quirk).
    #[test]
    fn run_counter_is_not_reset_on_new_instance() {
        let mut w = worker(ProbeKind::Readiness, 3, 3);
        w.apply(ProbeOutcome::Success);
        w.apply(ProbeOutcome::Success);
        w.new_instance();
        assert!(w.apply(ProbeOutcome::Success), "one success on the new instance is enough");
    }

    #[test]
    fn grid_collapses_missed_ticks() {
        let mut w = worker(ProbeKind::Liveness, 1, 3);
        w.schedule_from(5);
        w.advance_past(34);
        assert_eq!(w.next_due, Some(35));
    }
}
