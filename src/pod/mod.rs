//! Pure pod logic: phase, conditions, readiness and availability.

mod ready;

pub use ready::{available_at, is_pod_available, is_pod_ready, ready_condition};
