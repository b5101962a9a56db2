//! A small custom scheduler: it places pending pods on nodes with
//! `kube_workloads::scheduling` and explains every decision.
//!
//! ```text
//! cargo run --example custom_scheduler
//! ```
//!
//! For each pending pod it runs the filters of the default profile that need
//! only the pod and the node (`scheduling::fits`: NodeUnschedulable,
//! NodeName, TaintToleration, NodeAffinity) plus a pod-count capacity of its
//! own, then scores the feasible nodes like the TaintToleration and
//! NodeAffinity score plugins (normalized, summed) with fewest-pods as the
//! tie-break. A pod that fits nowhere gets the scheduler's
//! `0/N nodes are available: ...` message. Binding is printed, not sent: a
//! real scheduler would POST a Binding with the same decision.

use kube_workloads::scheduling::{self, FitSummary, PreferredSchedulingTerms};
use kube_workloads::{FeatureGates, Node, Pod};
use serde_json::json;

struct NodeState {
    node: Node,
    capacity: usize,
    pods: Vec<String>,
}

fn node(name: &str, labels: serde_json::Value, taints: serde_json::Value, unschedulable: bool) -> Node {
    serde_json::from_value(json!({
        "metadata": {"name": name, "labels": labels},
        "spec": {"taints": taints, "unschedulable": unschedulable}
    }))
    .expect("node")
}

fn pod(name: &str, spec: serde_json::Value) -> Pod {
    let mut spec = spec;
    if let Some(m) = spec.as_object_mut() {
        m.insert("containers".into(), json!([{"name": "c", "image": "busybox"}]));
    }
    serde_json::from_value(json!({"metadata": {"name": name, "namespace": "default"}, "spec": spec}))
        .expect("pod")
}

fn main() {
    let gates = FeatureGates::default();
    let mut nodes = vec![
        NodeState {
            node: node("node-1", json!({"disk": "ssd", "zone": "a"}), json!([]), false),
            capacity: 3,
            pods: Vec::new(),
        },
        NodeState {
            node: node(
                "node-2",
                json!({"disk": "hdd", "zone": "b"}),
                json!([{"key": "spot", "value": "true", "effect": "PreferNoSchedule"}]),
                false,
            ),
            capacity: 3,
            pods: Vec::new(),
        },
        NodeState {
            node: node(
                "node-3",
                json!({"disk": "ssd", "zone": "b", "gpu": "true"}),
                json!([{"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}]),
                false,
            ),
            capacity: 3,
            pods: Vec::new(),
        },
        NodeState {
            node: node("node-4", json!({"disk": "ssd", "zone": "c"}), json!([]), true),
            capacity: 3,
            pods: Vec::new(),
        },
    ];
    let pending = vec![
        // The seed notes' pod: no constraints.
        pod("myapp-pod", json!({})),
        pod("wants-ssd", json!({"nodeSelector": {"disk": "ssd"}})),
        pod(
            "prefers-zone-b",
            json!({"affinity": {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                {"weight": 80, "preference": {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["b"]}]}}
            ]}}}),
        ),
        pod(
            "gpu-trainer",
            json!({
                "nodeSelector": {"gpu": "true"},
                "tolerations": [{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]
            }),
        ),
        pod("gpu-without-toleration", json!({"nodeSelector": {"gpu": "true"}})),
        pod(
            "zone-c-only",
            json!({"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["c"]}]}
            ]}}}}),
        ),
        pod("filler-1", json!({})),
        pod("filler-2", json!({})),
        pod("filler-3", json!({})),
        pod("filler-4", json!({})),
    ];

    for p in &pending {
        println!("pod {}:", p.metadata.name());
        let mut summary = FitSummary::default();
        let mut full = 0usize;
        let mut feasible: Vec<usize> = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            let fit = scheduling::fits(p, &n.node, &gates);
            let name = n.node.metadata.name();
            if !fit.is_fit() {
                let why: Vec<String> = fit.reasons.iter().map(|r| format!("{r} [{}]", r.plugin())).collect();
                println!("  {name}: filtered out: {}", why.join("; "));
                summary.add(&fit);
            } else if n.pods.len() >= n.capacity {
                println!("  {name}: filtered out: Too many pods ({}/{})", n.pods.len(), n.capacity);
                full += 1;
            } else {
                println!("  {name}: feasible");
                feasible.push(i);
            }
        }
        if feasible.is_empty() {
            let mut msg = summary.to_string();
            if full > 0 {
                msg = format!("{} (+{full} node(s) full: Too many pods)", msg.trim_end_matches('.'));
            }
            println!("  => stays Pending: {msg}\n");
            continue;
        }
        // Score: TaintToleration (fewer intolerable PreferNoSchedule taints
        // is better, reversed) and NodeAffinity (preferred terms).
        let mut taint_scores: Vec<i64> = feasible
            .iter()
            .filter_map(|i| nodes.get(*i))
            .map(|n| scheduling::intolerable_prefer_no_schedule_taints(&n.node, p, &gates))
            .collect();
        scheduling::normalize_scores(&mut taint_scores, true);
        let preferred = p
            .spec
            .as_ref()
            .and_then(|s| s.affinity.as_ref())
            .and_then(|a| a.node_affinity.as_ref())
            .and_then(|na| na.preferred_during_scheduling_ignored_during_execution.as_deref())
            .map(PreferredSchedulingTerms::new);
        let mut affinity_scores: Vec<i64> = feasible
            .iter()
            .filter_map(|i| nodes.get(*i))
            .map(|n| match &preferred {
                Some(Ok(terms)) => terms.score(&n.node),
                _ => 0,
            })
            .collect();
        scheduling::normalize_scores(&mut affinity_scores, false);
        let mut best: Option<(i64, usize, usize)> = None;
        for (k, i) in feasible.iter().enumerate() {
            let Some(n) = nodes.get(*i) else { continue };
            let t = taint_scores.get(k).copied().unwrap_or(0);
            let a = affinity_scores.get(k).copied().unwrap_or(0);
            let total = t + a;
            println!(
                "  {}: score {total} = TaintToleration {t} + NodeAffinity {a} ({} pods)",
                n.node.metadata.name(),
                n.pods.len()
            );
            let better = match best {
                None => true,
                Some((bt, bp, _)) => total > bt || (total == bt && n.pods.len() < bp),
            };
            if better {
                best = Some((total, n.pods.len(), *i));
            }
        }
        if let Some((score, _, i)) = best
            && let Some(n) = nodes.get_mut(i)
        {
            println!(
                "  => bind to {} (highest score {score}, fewest pods on a tie)\n",
                n.node.metadata.name()
            );
            n.pods.push(p.metadata.name().to_owned());
        }
    }
    println!("placement:");
    for n in &nodes {
        println!("  {:<7} [{}]", n.node.metadata.name(), n.pods.join(", "));
    }
}
