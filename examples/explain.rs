//! Reads Kubernetes manifests and prints what kube-workloads understood of
//! them: the kind, identity, selector, replica settings, every container with
//! its probes and hooks, and which fields the crate keeps without modelling.
//!
//! ```text
//! cargo run --example explain                  # the seed notes' myapp-pod
//! cargo run --example explain -- a.yaml b.json # your manifests (multi-document YAML is fine)
//! ```

use std::fmt::Write as _;

use kube_workloads::api::{
    Container, LifecycleHandler, Object, ObjectError, PodSpec, PodTemplateSpec, Probe, unwrap_list,
};
use kube_workloads::selector::Selector;
use serde_json::Value;

/// The first example of the seed notes this project started from.
const MYAPP_POD: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
spec:
  containers:
  - name: myapp-container
    image: busybox
    command: ['sh', '-c', 'echo Hello Kubernetes! && sleep 3600']
";

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let inputs: Vec<(String, String)> = if paths.is_empty() {
        vec![("<embedded myapp-pod>".to_owned(), MYAPP_POD.to_owned())]
    } else {
        paths
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap_or_else(|e| {
                    eprintln!("cannot read {p}: {e}");
                    std::process::exit(1)
                });
                (p, text)
            })
            .collect()
    };
    let mut failed = false;
    for (name, text) in inputs {
        let docs: Result<Vec<Value>, String> = if name.ends_with(".json") {
            serde_json::from_str(&text).map(|v| vec![v]).map_err(|e| e.to_string())
        } else {
            serde_saphyr::from_multiple_with_options(&text, yaml_options()).map_err(|e| e.to_string())
        };
        match docs {
            Ok(docs) => {
                for doc in docs.into_iter().flat_map(unwrap_list) {
                    match Object::from_value(doc) {
                        Ok(obj) => print!("{}", describe(&obj)),
                        Err(ObjectError::UnknownKind { api_version, kind }) => {
                            println!(
                                "{name}: skipping {kind} ({api_version}): not a kind this crate models\n"
                            )
                        }
                        Err(e) => {
                            failed = true;
                            println!("{name}: error: {e}\n");
                        }
                    }
                }
            }
            Err(e) => {
                failed = true;
                println!("{name}: not a manifest: {e}");
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}

fn describe(obj: &Object) -> String {
    let mut out = String::new();
    let meta = obj.metadata();
    let _ = writeln!(out, "{} ({})", obj.object_ref(), obj.api_version());
    if let Some(labels) = &meta.labels {
        let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(out, "  labels: {}", labels.join(", "));
    }
    match obj {
        Object::Pod(pod) => {
            if let Some(spec) = &pod.spec {
                describe_pod_spec(&mut out, spec, "  ");
            }
            if let Some(status) = &pod.status {
                let phase = status.phase.as_ref().map(|p| p.to_string()).unwrap_or_else(|| "(none)".into());
                let _ = writeln!(out, "  status: phase {phase}");
            }
        }
        Object::Deployment(d) => {
            if let Some(spec) = &d.spec {
                let _ = writeln!(out, "  replicas: {}", spec.replicas.unwrap_or(1));
                selector_line(&mut out, Selector::from_label_selector(&spec.selector).map(|s| s.to_string()));
                if let Some(strategy) = &spec.strategy {
                    let kind = strategy
                        .type_
                        .as_ref()
                        .map(|t| t.to_string())
                        .unwrap_or_else(|| "RollingUpdate".into());
                    let _ = write!(out, "  strategy: {kind}");
                    if let Some(ru) = &strategy.rolling_update {
                        let surge =
                            ru.max_surge.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "25%".into());
                        let unavailable = ru
                            .max_unavailable
                            .as_ref()
                            .map(|v| v.to_string())
                            .unwrap_or_else(|| "25%".into());
                        let _ = write!(out, " (maxSurge {surge}, maxUnavailable {unavailable})");
                    }
                    let _ = writeln!(out);
                }
                describe_template(&mut out, Some(&spec.template));
            }
        }
        Object::ReplicaSet(rs) => {
            if let Some(spec) = &rs.spec {
                let _ = writeln!(out, "  replicas: {}", spec.replicas.unwrap_or(1));
                selector_line(&mut out, Selector::from_label_selector(&spec.selector).map(|s| s.to_string()));
                describe_template(&mut out, spec.template.as_ref());
            }
        }
        Object::ReplicationController(rc) => {
            if let Some(spec) = &rc.spec {
                let _ = writeln!(out, "  replicas: {}", spec.replicas.unwrap_or(1));
                if let Some(sel) = &spec.selector {
                    selector_line(&mut out, Ok::<_, String>(Selector::from_map(sel).to_string()));
                }
                describe_template(&mut out, spec.template.as_ref());
            }
        }
        Object::StatefulSet(s) => {
            if let Some(spec) = &s.spec {
                let _ = writeln!(
                    out,
                    "  replicas: {}, service: {}",
                    spec.replicas.unwrap_or(1),
                    spec.service_name.as_deref().unwrap_or("(none)")
                );
                selector_line(&mut out, Selector::from_label_selector(&spec.selector).map(|s| s.to_string()));
                describe_template(&mut out, Some(&spec.template));
            }
        }
        Object::DaemonSet(ds) => {
            if let Some(spec) = &ds.spec {
                selector_line(&mut out, Selector::from_label_selector(&spec.selector).map(|s| s.to_string()));
                describe_template(&mut out, Some(&spec.template));
            }
        }
        Object::Job(job) => {
            if let Some(spec) = &job.spec {
                let _ = writeln!(
                    out,
                    "  completions: {}, parallelism: {}, backoffLimit: {}",
                    spec.completions.map(|c| c.to_string()).unwrap_or_else(|| "(work queue)".into()),
                    spec.parallelism.unwrap_or(1),
                    spec.backoff_limit.unwrap_or(6)
                );
                describe_template(&mut out, Some(&spec.template));
            }
        }
        Object::CronJob(cj) => {
            if let Some(spec) = &cj.spec {
                let _ = writeln!(
                    out,
                    "  schedule: {:?} in {}",
                    spec.schedule,
                    spec.time_zone.as_deref().unwrap_or("UTC (no timeZone)")
                );
            }
        }
        _ => {}
    }
    let _ = writeln!(out);
    out
}

fn selector_line(out: &mut String, selector: Result<String, impl std::fmt::Display>) {
    match selector {
        Ok(s) if s.is_empty() => {
            let _ = writeln!(out, "  selector: (everything)");
        }
        Ok(s) => {
            let _ = writeln!(out, "  selector: {s}");
        }
        Err(e) => {
            let _ = writeln!(out, "  selector: invalid: {e}");
        }
    }
}

fn describe_template(out: &mut String, template: Option<&PodTemplateSpec>) {
    let Some(template) = template else { return };
    let _ = writeln!(out, "  pod template:");
    if let Some(spec) = &template.spec {
        describe_pod_spec(out, spec, "    ");
    }
}

fn describe_pod_spec(out: &mut String, spec: &PodSpec, indent: &str) {
    let policy =
        spec.restart_policy.as_ref().map(|p| p.to_string()).unwrap_or_else(|| "Always (default)".into());
    let _ = writeln!(out, "{indent}restartPolicy: {policy}");
    for c in spec.init_containers.iter().flatten() {
        let role = if c.is_sidecar() { "sidecar" } else { "init container" };
        describe_container(out, c, role, indent);
    }
    for c in &spec.containers {
        describe_container(out, c, "container", indent);
    }
    if let Some(node) = &spec.node_name {
        let _ = writeln!(out, "{indent}bound to node {node}");
    }
}

fn describe_container(out: &mut String, c: &Container, role: &str, indent: &str) {
    let _ = writeln!(out, "{indent}{role} {:?}: image {}", c.name, c.image.as_deref().unwrap_or("(none)"));
    let command: Vec<&str> =
        c.command.iter().flatten().chain(c.args.iter().flatten()).map(String::as_str).collect();
    if !command.is_empty() {
        let _ = writeln!(out, "{indent}  runs: {}", command.join(" "));
    }
    for (name, probe) in
        [("liveness", &c.liveness_probe), ("readiness", &c.readiness_probe), ("startup", &c.startup_probe)]
    {
        if let Some(p) = probe {
            let _ = writeln!(out, "{indent}  {name} probe: {}", describe_probe(p));
        }
    }
    if let Some(lifecycle) = &c.lifecycle {
        if let Some(h) = &lifecycle.post_start {
            let _ = writeln!(out, "{indent}  postStart hook: {}", describe_handler(h));
        }
        if let Some(h) = &lifecycle.pre_stop {
            let _ = writeln!(out, "{indent}  preStop hook: {}", describe_handler(h));
        }
    }
    if !c.other.is_empty() {
        let keys: Vec<&str> = c.other.keys().map(String::as_str).collect();
        let _ = writeln!(out, "{indent}  kept unmodelled: {}", keys.join(", "));
    }
}

fn describe_probe(p: &Probe) -> String {
    let handler = if let Some(e) = &p.exec {
        format!("exec {}", e.command.iter().flatten().cloned().collect::<Vec<_>>().join(" "))
    } else if let Some(h) = &p.http_get {
        format!("GET {} on port {}", h.path.as_deref().unwrap_or("/"), h.port)
    } else if let Some(t) = &p.tcp_socket {
        format!("TCP connect to port {}", t.port)
    } else if let Some(g) = &p.grpc {
        format!("gRPC health check on port {}", g.port)
    } else {
        "no handler".to_owned()
    };
    format!(
        "{handler}, every {}s after {}s, timeout {}s, {} failure(s) to fail",
        p.period_seconds.unwrap_or(10),
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    )
}

fn describe_handler(h: &LifecycleHandler) -> String {
    if let Some(e) = &h.exec {
        format!("exec {}", e.command.iter().flatten().cloned().collect::<Vec<_>>().join(" "))
    } else if let Some(g) = &h.http_get {
        format!("GET {} on port {}", g.path.as_deref().unwrap_or("/"), g.port)
    } else if let Some(t) = &h.tcp_socket {
        format!("TCP connect to port {}", t.port)
    } else if let Some(s) = &h.sleep {
        format!("sleep {}s", s.seconds)
    } else {
        "no handler".to_owned()
    }
}

/// YAML as Kubernetes reads it: sigs.k8s.io/yaml follows YAML 1.1, where
/// `defaultMode: 0644` is an octal number (420), not decimal 644, and a
/// repeated key keeps its last value.
#[allow(deprecated)]
pub fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        legacy_octal_numbers: true,
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::LastWins,
    }
}
