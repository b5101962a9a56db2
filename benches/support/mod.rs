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
