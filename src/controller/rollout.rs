//! `kubectl rollout status`: the answer its status viewers give, for the
//! three kinds it watches.
//!
//! upstream: staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go
//! (`DeploymentStatusViewer`, `DaemonSetStatusViewer`,
//! `StatefulSetStatusViewer`), and `RolloutStatusOptions.Validate` in
//! staging/src/k8s.io/kubectl/pkg/cmd/rollout/rollout_status.go.
//!
//! The viewers live beside their controllers:
//! [`deployment::rollout_status`](super::deployment::rollout_status),
//! [`daemonset::rollout_status`](super::daemonset::rollout_status) and
//! [`statefulset::rollout_status`](super::statefulset::rollout_status).
//! Each reads only the object, as kubectl does: kubectl watches the object
//! and asks its viewer again on every change, stopping at the first answer
//! that is not [`RolloutStatus::Waiting`].
//!
//! Fields the API server always fills in (`spec.replicas`, the update
//! strategy's type) are read with the server's defaults when absent, so an
//! object built by hand answers as the stored one would.

use std::fmt;

/// The answer of `kubectl rollout status`.
///
/// Each message is the line kubectl prints, without its line break (kubectl's
/// `Status` returns the waiting and done texts with a trailing `\n`), and a
/// failure without the `error: ` kubectl puts before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RolloutStatus {
    /// The rollout finished; the message kubectl prints.
    Done(String),
    /// Still rolling out; the message kubectl prints while it waits.
    Waiting(String),
    /// kubectl stops with this error: the rollout failed (a Deployment's
    /// progress deadline passed, or another revision than the one asked for
    /// is running), the object's update strategy has no rollout to watch
    /// (`OnDelete`), or kubectl refused the revision asked for (a negative
    /// one).
    Failed(String),
}

impl RolloutStatus {
    /// Whether kubectl would stop watching (done or failed).
    pub fn is_final(&self) -> bool {
        !matches!(self, RolloutStatus::Waiting(_))
    }
}

impl fmt::Display for RolloutStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RolloutStatus::Done(m) | RolloutStatus::Waiting(m) | RolloutStatus::Failed(m) => f.write_str(m),
        }
    }
}

/// kubectl's refusal of a negative `--revision`, checked before any viewer
/// runs (upstream: `RolloutStatusOptions.Validate`); `None` for 0, a
/// positive revision or none.
pub(crate) fn refuse_negative_revision(revision: Option<i64>) -> Option<RolloutStatus> {
    revision
        .filter(|r| *r < 0)
        .map(|negative| RolloutStatus::Failed(format!("revision must be a positive integer: {negative}")))
}

/// The error both the DaemonSet and the StatefulSet viewers give for an
/// update strategy other than `RollingUpdate` (both name the StatefulSet
/// constant, whose text is the same).
pub(crate) fn only_rolling_update() -> RolloutStatus {
    RolloutStatus::Failed("rollout status is only available for RollingUpdate strategy type".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_waiting_keeps_kubectl_watching() {
        assert!(!RolloutStatus::Waiting("w".into()).is_final());
        assert!(RolloutStatus::Done("d".into()).is_final());
        assert!(RolloutStatus::Failed("f".into()).is_final());
    }

    #[test]
    fn negative_revisions_are_refused_before_any_viewer() {
        assert_eq!(
            refuse_negative_revision(Some(-3)),
            Some(RolloutStatus::Failed("revision must be a positive integer: -3".into()))
        );
        assert_eq!(refuse_negative_revision(Some(0)), None);
        assert_eq!(refuse_negative_revision(Some(2)), None);
        assert_eq!(refuse_negative_revision(None), None);
    }
}
