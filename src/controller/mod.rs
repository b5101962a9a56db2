//! Controllers: one `Action` vocabulary and a pure reconcile per workload kind (in progress).
