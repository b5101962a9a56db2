//! STUB: replaced by the real types.

use super::meta::ObjectMeta;
use super::wire::wire_struct;

wire_struct! {
    /// Stub.
    pub struct PodPreset {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<PodPresetSpec> = "spec",
    }
}

wire_struct! {
    /// Stub.
    pub struct PodPresetSpec {
    }
}
