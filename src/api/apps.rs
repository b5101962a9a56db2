//! STUB: replaced by the real types.

use super::meta::ObjectMeta;
use super::wire::wire_struct;

wire_struct! {
    /// Stub.
    pub struct ReplicaSet {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<ReplicaSetSpec> = "spec",
        /// Status.
        status: Option<ReplicaSetStatus> = "status",
    }
}

wire_struct! {
    /// Stub.
    pub struct ReplicaSetSpec {
    }
}

wire_struct! {
    /// Stub.
    pub struct ReplicaSetStatus {
    }
}

wire_struct! {
    /// Stub.
    pub struct ReplicationController {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<ReplicationControllerSpec> = "spec",
        /// Status.
        status: Option<ReplicationControllerStatus> = "status",
    }
}

wire_struct! {
    /// Stub.
    pub struct ReplicationControllerSpec {
    }
}

wire_struct! {
    /// Stub.
    pub struct ReplicationControllerStatus {
    }
}

wire_struct! {
    /// Stub.
    pub struct Deployment {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<DeploymentSpec> = "spec",
        /// Status.
        status: Option<DeploymentStatus> = "status",
    }
}

wire_struct! {
    /// Stub.
    pub struct DeploymentSpec {
    }
}

wire_struct! {
    /// Stub.
    pub struct DeploymentStatus {
    }
}

wire_struct! {
    /// Stub.
    pub struct StatefulSet {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<StatefulSetSpec> = "spec",
        /// Status.
        status: Option<StatefulSetStatus> = "status",
    }
}

wire_struct! {
    /// Stub.
    pub struct StatefulSetSpec {
    }
}

wire_struct! {
    /// Stub.
    pub struct StatefulSetStatus {
    }
}

wire_struct! {
    /// Stub.
    pub struct DaemonSet {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<DaemonSetSpec> = "spec",
        /// Status.
        status: Option<DaemonSetStatus> = "status",
    }
}

wire_struct! {
    /// Stub.
    pub struct DaemonSetSpec {
    }
}

wire_struct! {
    /// Stub.
    pub struct DaemonSetStatus {
    }
}
