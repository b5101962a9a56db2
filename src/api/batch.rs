//! STUB: replaced by the real types.

use super::meta::ObjectMeta;
use super::wire::wire_struct;

wire_struct! {
    /// Stub.
    pub struct Job {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<JobSpec> = "spec",
        /// Status.
        status: Option<JobStatus> = "status",
    }
}

wire_struct! {
    /// Stub.
    pub struct JobSpec {
    }
}

wire_struct! {
    /// Stub.
    pub struct JobStatus {
    }
}

wire_struct! {
    /// Stub.
    pub struct CronJob {
        /// API version.
        api_version: Option<String> = "apiVersion",
        /// Kind.
        kind: Option<String> = "kind",
        /// Metadata.
        metadata: ObjectMeta = "metadata",
        /// Spec.
        spec: Option<CronJobSpec> = "spec",
        /// Status.
        status: Option<CronJobStatus> = "status",
    }
}

wire_struct! {
    /// Stub.
    pub struct CronJobSpec {
    }
}

wire_struct! {
    /// Stub.
    pub struct CronJobStatus {
    }
}
