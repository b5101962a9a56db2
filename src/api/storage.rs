//! PersistentVolumeClaims, as StatefulSets create them from
//! `volumeClaimTemplates`.
//!
//! upstream: staging/src/k8s.io/api/core/v1/types.go (PersistentVolumeClaim)

use super::meta::{Condition, LabelSelector, ObjectMeta};
use super::pod::ResourceList;
use super::wire::{wire_enum, wire_struct};

wire_struct! {
    /// A request for storage (`core/v1.PersistentVolumeClaim`).
    pub struct PersistentVolumeClaim {
        /// API group and version, `v1`.
        api_version: Option<String> = "apiVersion",
        /// The kind, `PersistentVolumeClaim`.
        kind: Option<String> = "kind",
        /// Name, namespace, labels, owners and other metadata.
        metadata: ObjectMeta = "metadata",
        /// What storage is requested.
        spec: Option<PersistentVolumeClaimSpec> = "spec",
        /// What storage the claim is bound to.
        status: Option<PersistentVolumeClaimStatus> = "status",
    }
}

wire_struct! {
    /// The requested storage (`core/v1.PersistentVolumeClaimSpec`).
    pub struct PersistentVolumeClaimSpec {
        /// How the volume may be mounted.
        access_modes: Option<Vec<PersistentVolumeAccessMode>> = "accessModes",
        /// Labels a pre-provisioned volume must carry to be bound.
        selector: Option<LabelSelector> = "selector",
        /// How much storage is requested (and the most it may grow to).
        resources: Option<VolumeResourceRequirements> = "resources",
        /// Bind to this PersistentVolume.
        volume_name: Option<String> = "volumeName",
        /// The StorageClass; the cluster default when unset, none when `""`.
        storage_class_name: Option<String> = "storageClassName",
        /// `Filesystem` or `Block`; `Filesystem` when unset.
        volume_mode: Option<PersistentVolumeMode> = "volumeMode",
        /// An object to populate the volume from, kept as written.
        data_source: Option<serde_json::Value> = "dataSource",
        /// An object (possibly in another namespace) to populate the volume
        /// from, kept as written.
        data_source_ref: Option<serde_json::Value> = "dataSourceRef",
        /// The VolumeAttributesClass to use.
        volume_attributes_class_name: Option<String> = "volumeAttributesClassName",
    }
}

wire_struct! {
    /// Storage amounts of a claim (`core/v1.VolumeResourceRequirements`).
    pub struct VolumeResourceRequirements {
        /// The most storage the claim may use.
        limits: Option<ResourceList> = "limits",
        /// The storage requested.
        requests: Option<ResourceList> = "requests",
    }
}

wire_enum! {
    /// How a volume may be mounted (`core/v1.PersistentVolumeAccessMode`).
    pub enum PersistentVolumeAccessMode {
        /// Read-write by a single node.
        ReadWriteOnce = "ReadWriteOnce",
        /// Read-only by many nodes.
        ReadOnlyMany = "ReadOnlyMany",
        /// Read-write by many nodes.
        ReadWriteMany = "ReadWriteMany",
        /// Read-write by a single pod.
        ReadWriteOncePod = "ReadWriteOncePod",
    }
}

wire_enum! {
    /// How a volume is presented (`core/v1.PersistentVolumeMode`).
    pub enum PersistentVolumeMode {
        /// A mounted filesystem.
        Filesystem = "Filesystem",
        /// A raw block device.
        Block = "Block",
    }
}

wire_struct! {
    /// The observed state of a claim (`core/v1.PersistentVolumeClaimStatus`).
    pub struct PersistentVolumeClaimStatus {
        /// Whether the claim is bound.
        phase: Option<PersistentVolumeClaimPhase> = "phase",
        /// Access modes of the bound volume.
        access_modes: Option<Vec<PersistentVolumeAccessMode>> = "accessModes",
        /// Capacity of the bound volume.
        capacity: Option<ResourceList> = "capacity",
        /// Resizing and other conditions.
        conditions: Option<Vec<Condition>> = "conditions",
        /// Storage allocated to the claim by a resize.
        allocated_resources: Option<ResourceList> = "allocatedResources",
        /// Resize state per resource, kept as written.
        allocated_resource_statuses: Option<serde_json::Value> = "allocatedResourceStatuses",
        /// The VolumeAttributesClass currently applied.
        current_volume_attributes_class_name: Option<String> = "currentVolumeAttributesClassName",
        /// State of a VolumeAttributesClass change, kept as written.
        modify_volume_status: Option<serde_json::Value> = "modifyVolumeStatus",
    }
}

wire_enum! {
    /// Binding state of a claim (`core/v1.PersistentVolumeClaimPhase`).
    pub enum PersistentVolumeClaimPhase {
        /// Not yet bound.
        Pending = "Pending",
        /// Bound to a volume.
        Bound = "Bound",
        /// The bound volume no longer exists.
        Lost = "Lost",
    }
}
