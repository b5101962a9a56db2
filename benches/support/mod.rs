//! What the benches share: timing a reconcile against its baseline.

use std::time::{Duration, Instant};

/// `f` timed against `base` in alternating rounds (each side repeated to
/// about 5 ms per round): the medians of both and the median of the
/// per-round ratios. On a shared host whose load drifts over seconds, a
/// ratio taken within one round compares like with like, where two means
/// taken one after the other need not.
pub fn paired(mut f: impl FnMut(), mut base: impl FnMut(), budget: Duration) -> (Duration, Duration, f64) {
    fn reps(g: &mut dyn FnMut()) -> u32 {
        let start = Instant::now();
        g(); // also the warm-up
        let one = start.elapsed().as_nanos().max(1);
        u32::try_from(5_000_000 / one).unwrap_or(u32::MAX).clamp(1, 100_000)
    }
    fn round(g: &mut dyn FnMut(), reps: u32) -> Duration {
        let start = Instant::now();
        for _ in 0..reps {
            g();
        }
        start.elapsed() / reps
    }
    let (rf, rb) = (reps(&mut f), reps(&mut base));
    let (mut fs, mut bs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let start = Instant::now();
    while fs.len() < 5 || start.elapsed() < budget {
        let (tf, tb) = (round(&mut f, rf), round(&mut base, rb));
        ratios.push(tf.as_secs_f64() / tb.as_secs_f64().max(1e-12));
        fs.push(tf);
        bs.push(tb);
    }
    fs.sort();
    bs.sort();
    ratios.sort_by(f64::total_cmp);
    let mid = fs.len() / 2;
    (
        fs.get(mid).copied().unwrap_or_default(),
        bs.get(mid).copied().unwrap_or_default(),
        ratios.get(mid).copied().unwrap_or_default(),
    )
}

/// `f` and `base` with every cache cold: before each single call, a
/// buffer three times the last-level cache is written over, as when other
/// work ran between two reconciles. Returns the median single-call times
/// over `rounds` alternating rounds. Warm figures ([`paired`]) favour a set
/// of objects that fits the last-level cache; these do not.
// Only the controllers bench uses it; the workloads bench shares this file.
#[allow(dead_code)]
pub fn cold(mut f: impl FnMut(), mut base: impl FnMut(), rounds: usize) -> (Duration, Duration) {
    let mut flush = vec![0u8; last_level_cache_bytes().saturating_mul(3)];
    let mut evict = |round: usize| {
        for (i, b) in flush.iter_mut().enumerate() {
            *b = b.wrapping_add((i ^ round) as u8);
        }
        std::hint::black_box(&flush);
    };
    let (mut fs, mut bs) = (Vec::new(), Vec::new());
    for round in 0..rounds.max(1) {
        evict(round);
        let start = Instant::now();
        f();
        fs.push(start.elapsed());
        evict(round);
        let start = Instant::now();
        base();
        bs.push(start.elapsed());
    }
    fs.sort();
    bs.sort();
    let mid = fs.len() / 2;
    (fs.get(mid).copied().unwrap_or_default(), bs.get(mid).copied().unwrap_or_default())
}

/// The last-level cache's size as Linux reports it (the largest
/// `/sys/devices/system/cpu/cpu0/cache/index*/size`), or 32 MiB when it
/// does not.
#[allow(dead_code)]
fn last_level_cache_bytes() -> usize {
    let read = |i: usize| -> Option<usize> {
        let text =
            std::fs::read_to_string(format!("/sys/devices/system/cpu/cpu0/cache/index{i}/size")).ok()?;
        let text = text.trim();
        let (digits, unit) = match text.strip_suffix('K') {
            Some(d) => (d, 1 << 10),
            None => match text.strip_suffix('M') {
                Some(d) => (d, 1 << 20),
                None => (text, 1),
            },
        };
        digits.parse::<usize>().ok().map(|n| n.saturating_mul(unit))
    };
    (0..8).filter_map(read).max().unwrap_or(32 << 20)
}

/// The case `benches/instructions.sh` asks for (`KW_INSTR_CASE`) and how
/// many calls of each side to make (`KW_INSTR_CALLS`, default 3), or `None`
/// for a normal bench run.
pub fn instructions_request() -> Option<(String, u32)> {
    let case = std::env::var("KW_INSTR_CASE").ok()?;
    let calls = std::env::var("KW_INSTR_CALLS").ok().and_then(|c| c.parse().ok()).unwrap_or(3);
    Some((case, calls))
}

/// Warms both sides up with one call each (first calls pay for the
/// allocator's growth), then calls each `calls` times through the symbols
/// `benches/instructions.sh` reads.
pub fn instr_pair(calls: u32, reconcile: &mut dyn FnMut(), baseline: &mut dyn FnMut()) {
    reconcile();
    baseline();
    instr_reconcile(calls, reconcile);
    instr_baseline(calls, baseline);
}

/// Calls the reconcile `calls` times, through one symbol callgrind can
/// find (`instr_reconcile`): its inclusive cost over `calls` is the figure.
#[inline(never)]
fn instr_reconcile(calls: u32, f: &mut dyn FnMut()) {
    // Different bodies, or the linker folds the two into one symbol.
    std::hint::black_box("reconcile");
    for _ in 0..calls {
        f();
    }
}

/// [`instr_reconcile`] for the baseline (`instr_baseline`).
#[inline(never)]
fn instr_baseline(calls: u32, f: &mut dyn FnMut()) {
    std::hint::black_box("baseline");
    for _ in 0..calls {
        f();
    }
}
