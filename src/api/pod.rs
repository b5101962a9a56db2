//! STUB: replaced by the real types.

use super::meta::ObjectMeta;
use super::wire::wire_struct;

wire_struct! {
    /// Stub.
    pub struct Pod {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<PodSpec> = "spec",
        /// Status.
        status: Option<PodStatus> = "status",
    }
}

wire_struct! {
    /// Stub.
    pub struct PodSpec {
    }
}

wire_struct! {
    /// Stub.
    pub struct PodStatus {
    }
}

wire_struct! {
    /// Stub.
    pub struct PodTemplate {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
    }
}

wire_struct! {
    /// Stub.
    pub struct PodTemplateSpec {
        /// m
        metadata: Option<ObjectMeta> = "metadata",
        /// s
        spec: Option<PodSpec> = "spec",
    }
}
