//! Nodes and their taints, as far as scheduling and pod garbage collection
//! need them.
//!
//! upstream: staging/src/k8s.io/api/core/v1/types.go (Node, NodeSpec, NodeStatus, Taint)

use super::meta::{Condition, ObjectMeta, Time};
use super::pod::ResourceList;
use super::wire::{wire_enum, wire_struct};

wire_struct! {
    /// A worker machine (`core/v1.Node`).
    pub struct Node {
        /// API group and version, `v1`.
        api_version: Option<String> = "apiVersion",
        /// The kind, `Node`.
        kind: Option<String> = "kind",
        /// Name, labels and other metadata; nodes have no namespace.
        metadata: ObjectMeta = "metadata",
        /// How the node is configured.
        spec: Option<NodeSpec> = "spec",
        /// What the node reports about itself.
        status: Option<NodeStatus> = "status",
    }
}

wire_struct! {
    /// The configuration of a node (`core/v1.NodeSpec`).
    pub struct NodeSpec {
        /// The pod IP range assigned to the node.
        pod_cidr: Option<String> = "podCIDR",
        /// The pod IP ranges assigned to the node (IPv4 and IPv6).
        pod_cidrs: Option<Vec<String>> = "podCIDRs",
        /// The cloud provider's ID for the node.
        provider_id: Option<String> = "providerID",
        /// Cordoned: no new pods are scheduled onto it.
        unschedulable: Option<bool> = "unschedulable",
        /// Taints that repel pods which do not tolerate them.
        taints: Option<Vec<Taint>> = "taints",
    }
}

impl NodeSpec {
    /// The taints, or an empty slice.
    pub fn taints(&self) -> &[Taint] {
        self.taints.as_deref().unwrap_or(&[])
    }
}

wire_struct! {
    /// A taint on a node (`core/v1.Taint`).
    pub struct Taint {
        /// The taint key.
        key: String = "key",
        /// The taint value.
        value: Option<String> = "value",
        /// What happens to pods that do not tolerate it.
        effect: TaintEffect = "effect",
        /// When the taint was added (set for `NoExecute` taints).
        time_added: Option<Time> = "timeAdded",
    }
}

impl Taint {
    /// The effect as Kubernetes reads it: a missing or null `effect` is Go's
    /// empty string, which no filter counts (`Other("")`), not the first
    /// variant the Rust field holds then.
    pub fn effect_as_read(&self) -> std::borrow::Cow<'_, TaintEffect> {
        super::wire::enum_as_read(self.is_unset_on_wire("effect"), &self.effect)
    }
}

wire_enum! {
    /// What a taint does to pods that do not tolerate it (`core/v1.TaintEffect`).
    pub enum TaintEffect {
        /// New pods are not scheduled onto the node.
        NoSchedule = "NoSchedule",
        /// The scheduler avoids the node when it can.
        PreferNoSchedule = "PreferNoSchedule",
        /// Running pods are evicted, and new pods are not scheduled.
        NoExecute = "NoExecute",
    }
}

wire_struct! {
    /// The observed state of a node (`core/v1.NodeStatus`).
    pub struct NodeStatus {
        /// Total resources of the node.
        capacity: Option<ResourceList> = "capacity",
        /// Resources available to pods.
        allocatable: Option<ResourceList> = "allocatable",
        /// Deprecated lifecycle phase.
        phase: Option<NodePhase> = "phase",
        /// Ready, MemoryPressure, DiskPressure, PIDPressure and other conditions.
        conditions: Option<Vec<Condition>> = "conditions",
        /// Addresses the node is reachable at.
        addresses: Option<Vec<NodeAddress>> = "addresses",
        /// Ports the node's daemons listen on, kept as written.
        daemon_endpoints: Option<serde_json::Value> = "daemonEndpoints",
        /// OS, kernel, runtime and kubelet versions, kept as written.
        node_info: Option<serde_json::Value> = "nodeInfo",
        /// Images present on the node, kept as written.
        images: Option<Vec<serde_json::Value>> = "images",
        /// Volumes attached and mounted by the node.
        volumes_in_use: Option<Vec<String>> = "volumesInUse",
        /// Volumes attached to the node, kept as written.
        volumes_attached: Option<Vec<serde_json::Value>> = "volumesAttached",
        /// Dynamic kubelet config status, kept as written.
        config: Option<serde_json::Value> = "config",
        /// Runtime handlers available, kept as written.
        runtime_handlers: Option<Vec<serde_json::Value>> = "runtimeHandlers",
        /// Optional features the node supports, kept as written.
        features: Option<serde_json::Value> = "features",
    }
}

impl NodeStatus {
    /// The condition of the given type (`Ready`...), if present.
    pub fn condition(&self, type_: &str) -> Option<&Condition> {
        self.conditions.as_deref()?.iter().find(|c| c.type_ == type_)
    }
}

wire_enum! {
    /// Deprecated lifecycle phase of a node (`core/v1.NodePhase`).
    pub enum NodePhase {
        /// Created but not configured.
        Pending = "Pending",
        /// Configured and running.
        Running = "Running",
        /// Removed from the cluster.
        Terminated = "Terminated",
    }
}

wire_struct! {
    /// An address of a node (`core/v1.NodeAddress`).
    pub struct NodeAddress {
        /// `Hostname`, `InternalIP`, `ExternalIP`, `InternalDNS` or `ExternalDNS`.
        type_: NodeAddressType = "type",
        /// The address.
        address: String = "address",
    }
}

wire_enum! {
    /// Kind of a node address (`core/v1.NodeAddressType`).
    pub enum NodeAddressType {
        /// The node's hostname.
        Hostname = "Hostname",
        /// An IP reachable inside the cluster.
        InternalIp = "InternalIP",
        /// An IP reachable from outside the cluster.
        ExternalIp = "ExternalIP",
        /// A DNS name resolvable inside the cluster.
        InternalDns = "InternalDNS",
        /// A DNS name resolvable from outside the cluster.
        ExternalDns = "ExternalDNS",
    }
}
