//! ControllerRevision (`apps/v1`): an immutable snapshot of a StatefulSet's or
//! DaemonSet's pod template, used for rollouts and rollback.
//!
//! upstream: kubernetes/api apps/v1/types.go

use super::meta::ObjectMeta;
use super::wire::wire_struct;

wire_struct! {
    /// One revision of the state a StatefulSet or DaemonSet controller rolls
    /// out. Its name is `<owner>-<hash>`; the owner is its controller
    /// reference.
    pub struct ControllerRevision {
        /// `apps/v1`.
        api_version: Option<String> = "apiVersion",
        /// `ControllerRevision`.
        kind: Option<String> = "kind",
        /// Name, namespace, labels (the hash label), owner references...
        metadata: ObjectMeta = "metadata",
        /// The snapshot: a patch holding the owner's `spec.template` (an
        /// arbitrary object on the wire, kept as JSON).
        data: Option<serde_json::Value> = "data",
        /// The revision number, increasing with each new revision of the owner.
        revision: i64 = "revision",
    }
}
