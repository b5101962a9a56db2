//! The simulator's timer queue: wakes ordered by virtual second, then by
//! the order they were scheduled in.
//!
//! Virtual time moves in whole seconds and a busy cluster has hundreds of
//! thousands of pending wakes spread over a few distinct seconds (a probe
//! period is 10 s), so one FIFO per second beats a binary heap over every
//! wake: scheduling and popping are O(1) within a second and O(log s)
//! across the `s` distinct seconds pending. The order is the heap's was:
//! by `(second, scheduling order)`.

use std::collections::{BTreeMap, VecDeque};

/// Wakes of type `W`, due at whole virtual seconds.
#[derive(Debug)]
pub struct TimerQueue<W> {
    by_second: BTreeMap<i64, VecDeque<W>>,
}

impl<W> Default for TimerQueue<W> {
    fn default() -> Self {
        TimerQueue { by_second: BTreeMap::new() }
    }
}

impl<W> TimerQueue<W> {
    /// Schedules `wake` at second `at`, after every wake already scheduled
    /// for that second.
    pub fn push(&mut self, at: i64, wake: W) {
        self.by_second.entry(at).or_default().push_back(wake);
    }

    /// The earliest second with a wake.
    pub fn next_at(&self) -> Option<i64> {
        self.by_second.first_key_value().map(|(at, _)| *at)
    }

    /// Removes and returns the earliest wake when it is due at or before
    /// `until`.
    pub fn pop_due(&mut self, until: i64) -> Option<(i64, W)> {
        let mut first = self.by_second.first_entry()?;
        let at = *first.key();
        if at > until {
            return None;
        }
        let wake = first.get_mut().pop_front();
        if first.get().is_empty() {
            first.remove();
        }
        wake.map(|w| (at, w))
    }
}

#[cfg(test)]
mod tests {
    use super::TimerQueue;

    #[test]
    fn pops_by_second_then_scheduling_order() {
        let mut q = TimerQueue::default();
        q.push(5, "a");
        q.push(3, "b");
        q.push(5, "c");
        q.push(3, "d");
        assert_eq!(q.next_at(), Some(3));
        assert_eq!(q.pop_due(2), None);
        assert_eq!(q.pop_due(10), Some((3, "b")));
        // A wake scheduled for an earlier second while popping comes next.
        q.push(1, "e");
        let order: Vec<_> = std::iter::from_fn(|| q.pop_due(10)).collect();
        assert_eq!(order, vec![(1, "e"), (3, "d"), (5, "a"), (5, "c")]);
        assert_eq!(q.next_at(), None);
    }
}
