//! STUB: replaced by the real types.

use super::meta::ObjectMeta;
use super::wire::wire_struct;

wire_struct! {
    /// Stub.
    pub struct PersistentVolumeClaim {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<PersistentVolumeClaimSpec> = "spec",
        /// Status.
        status: Option<PersistentVolumeClaimStatus> = "status",
    }
}

wire_struct! {
    /// Stub.
    pub struct PersistentVolumeClaimSpec {
    }
}

wire_struct! {
    /// Stub.
    pub struct PersistentVolumeClaimStatus {
    }
}
