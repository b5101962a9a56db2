//! Per-container restart back-off (CrashLoopBackOff and image pulls).
//!
//! upstream: staging/src/k8s.io/client-go/util/flowcontrol/backoff.go
//! (Next, IsInBackOffSince, IsInBackOffSinceUpdate), pkg/kubelet/kubelet.go
//! (the kubelet's HasExpiredFunc of 600 s). No jitter.

use super::types::BackoffConfig;

/// One back-off record: the current delay and when it was last advanced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Backoff {
    pub(crate) delay: i64,
    pub(crate) last_update: i64,
}

fn expired(entry: &Backoff, event_time: i64, cfg: &BackoffConfig) -> bool {
    event_time.saturating_sub(entry.last_update) > cfg.reset_after_seconds
}

/// The delay still to wait for an event (an exit) at `event_time`, or
/// `None` when not in back-off.
// upstream: client-go util/flowcontrol/backoff.go: IsInBackOffSince
pub(crate) fn in_backoff_since(
    entry: Option<&Backoff>,
    event_time: i64,
    now: i64,
    cfg: &BackoffConfig,
) -> Option<i64> {
    let entry = entry?;
    if expired(entry, event_time, cfg) {
        return None;
    }
    (now.saturating_sub(event_time) < entry.delay).then_some(entry.delay)
}

/// Whether the kubelet's housekeeping has dropped the entry by `now`: its
/// last update is more than `reset_after` old (the kubelet's
/// HasExpiredFunc, which `GC` applies to the current time).
// upstream: client-go util/flowcontrol/backoff.go: GC; pkg/kubelet/kubelet_pods.go:
// HandlePodCleanups
pub(crate) fn collectable(entry: Option<&Backoff>, now: i64, cfg: &BackoffConfig) -> bool {
    entry.is_some_and(|e| expired(e, now, cfg))
}

/// The first whole second at which [`collectable`] holds. Housekeeping
/// runs every 2 s upstream and the restart waits for the pod's next sync;
/// here both happen at once, as a back-off's own end does.
pub(crate) fn collected_at(entry: Option<&Backoff>, cfg: &BackoffConfig) -> Option<i64> {
    entry.map(|e| e.last_update.saturating_add(cfg.reset_after_seconds).saturating_add(1))
}

/// True while `now` is within the delay since the entry's last update
/// (the image puller's check).
// upstream: client-go util/flowcontrol/backoff.go: IsInBackOffSinceUpdate
pub(crate) fn in_backoff_since_update(entry: Option<&Backoff>, now: i64) -> bool {
    entry.is_some_and(|e| now.saturating_sub(e.last_update) < e.delay)
}

/// Advances (or creates) the entry for an event at `event_time`.
// upstream: client-go util/flowcontrol/backoff.go: Next
pub(crate) fn next(entry: &mut Option<Backoff>, event_time: i64, now: i64, cfg: &BackoffConfig) {
    let initial = cfg.initial_seconds.min(cfg.max_seconds).max(0);
    let delay = match entry {
        Some(e) if !expired(e, event_time, cfg) => e.delay.saturating_mul(2).min(cfg.max_seconds).max(0),
        _ => initial,
    };
    *entry = Some(Backoff { delay, last_update: now });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubling_and_reset() {
        let cfg = BackoffConfig { initial_seconds: 10, max_seconds: 300, reset_after_seconds: 600 };
        let mut e = None;
        let mut seen = Vec::new();
        let mut t = 0;
        for _ in 0..8 {
            next(&mut e, t, t, &cfg);
            seen.push(e.map(|b| b.delay).unwrap_or(0));
            t += 1;
        }
        assert_eq!(seen, [10, 20, 40, 80, 160, 300, 300, 300]);
        // an exit more than 600 s after the last restart resets
        assert_eq!(in_backoff_since(e.as_ref(), t + 601, t + 601, &cfg), None);
        next(&mut e, t + 601, t + 601, &cfg);
        assert_eq!(e.map(|b| b.delay), Some(10));
        // exactly 600 s is not expired (strict >)
        let b = Backoff { delay: 40, last_update: 0 };
        assert_eq!(in_backoff_since(Some(&b), 600, 600, &cfg), Some(40));
        assert_eq!(in_backoff_since(Some(&b), 600, 640, &cfg), None);
    }
}
