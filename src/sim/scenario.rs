//! Scenarios: objects to apply and faults to inject at virtual times, and
//! the embedded scenario built from the seed notes (`examples/simulate.rs`
//! runs it with no arguments).
//!
//! upstream: none; a test-harness format of this crate.

use serde_json::{Value, json};

use super::{Cluster, Fault, NodeHealth, NodeSetup};
use crate::Object;
use crate::api::{ObjectError, TaintEffect};

/// One step of a [`Scenario`].
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Apply (create or update) an object.
    Apply(Object),
    /// Delete an object: kind, namespace, name.
    Delete(String, String, String),
    /// Inject a fault.
    Fault(Fault),
}

/// Nodes, then steps at seconds since the start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scenario {
    /// The nodes the cluster starts with.
    pub nodes: Vec<NodeSetup>,
    /// `(seconds since start, step)`, in time order.
    pub steps: Vec<(i64, Step)>,
    /// How long to run, in seconds.
    pub duration: i64,
}

impl Scenario {
    /// Adds the nodes to `cluster` and schedules every step. `apply`
    /// failures are returned as `(time, message)`; the rest still runs.
    pub fn install(&self, cluster: &mut Cluster) -> Vec<(i64, String)> {
        for n in &self.nodes {
            cluster.add_node(n.clone());
        }
        let mut errors = Vec::new();
        let mut steps: Vec<&(i64, Step)> = self.steps.iter().collect();
        steps.sort_by_key(|(t, _)| *t);
        // Steps at time 0 run now; later ones are run by `run`.
        for (t, step) in steps {
            if *t <= 0
                && let Err(e) = run_step(cluster, step.clone())
            {
                errors.push((*t, e));
            }
        }
        errors
    }

    /// Runs the whole scenario on `cluster` (which must be fresh), calling
    /// `sample` every `sample_every` seconds. Returns apply errors.
    pub fn run(
        &self,
        cluster: &mut Cluster,
        sample_every: i64,
        mut sample: impl FnMut(&Cluster),
    ) -> Vec<(i64, String)> {
        let mut errors = self.install(cluster);
        let mut steps: Vec<&(i64, Step)> = self.steps.iter().filter(|(t, _)| *t > 0).collect();
        steps.sort_by_key(|(t, _)| *t);
        let mut steps = steps.into_iter().peekable();
        let every = sample_every.max(1);
        let mut next_sample = every;
        sample(cluster);
        while cluster.elapsed() < self.duration {
            let mut target = next_sample.min(self.duration);
            if let Some((t, _)) = steps.peek() {
                target = target.min(*t);
            }
            cluster.run_for(target.saturating_sub(cluster.elapsed()).max(0));
            while steps.peek().is_some_and(|(t, _)| *t <= cluster.elapsed()) {
                if let Some((t, step)) = steps.next()
                    && let Err(e) = run_step(cluster, step.clone())
                {
                    errors.push((*t, e));
                }
            }
            if cluster.elapsed() >= next_sample {
                sample(cluster);
                next_sample = next_sample.saturating_add(every);
            }
        }
        errors
    }
}

fn run_step(cluster: &mut Cluster, step: Step) -> Result<(), String> {
    match step {
        Step::Apply(o) => cluster.apply(o).map(|_| ()).map_err(|e| e.to_string()),
        Step::Delete(kind, ns, name) => cluster.delete(&kind, &ns, &name).map_err(|e| e.to_string()),
        Step::Fault(f) => {
            cluster.inject(f);
            Ok(())
        }
    }
}

fn obj(v: Value) -> Result<Object, ObjectError> {
    Object::from_value(v)
}

fn web(image: &str) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "minReadySeconds": 5,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{
                    "name": "nginx", "image": image,
                    "ports": [{"containerPort": 80}],
                    "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 3, "periodSeconds": 5},
                    "livenessProbe": {"tcpSocket": {"port": 80}, "periodSeconds": 10}
                }]}
            }
        }
    })
}

fn db(replicas: i32) -> Value {
    json!({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "db", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "serviceName": "db",
            "selector": {"matchLabels": {"app": "db"}},
            "template": {
                "metadata": {"labels": {"app": "db"}},
                "spec": {"containers": [{
                    "name": "postgres", "image": "postgres:16",
                    "readinessProbe": {"exec": {"command": ["pg_isready"]}, "initialDelaySeconds": 5, "periodSeconds": 5}
                }]}
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "data"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
            }]
        }
    })
}

/// The seed notes' example, `myapp-pod` (busybox running
/// `echo Hello Kubernetes! && sleep 3600`), scripted to run 3600 s and
/// exit 0.
pub fn myapp_pod() -> Result<Object, ObjectError> {
    obj(json!({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": "myapp-pod", "namespace": "default", "labels": {"app": "myapp"},
            "annotations": {super::SCRIPT_ANNOTATION: "run 3600s then exit 0"}
        },
        "spec": {"containers": [{
            "name": "myapp-container", "image": "busybox",
            "command": ["sh", "-c", "echo Hello Kubernetes! && sleep 3600"]
        }]}
    }))
}

/// The embedded scenario, built from the seed notes, on three nodes (one
/// tainted `dedicated=batch:NoSchedule`), over one virtual hour:
///
/// - t=0: the seed's `myapp-pod`; Deployment `web` (3 nginx replicas,
///   readiness and liveness probes, maxSurge 1 / maxUnavailable 0);
///   StatefulSet `db` (1 replica, a volume claim template); DaemonSet
///   `log-agent` (fluentd; it does not tolerate the taint, so it runs on two
///   nodes); Job `pi` (5 completions, parallelism 2, each pod succeeds after
///   20 s or, with probability 30 %, fails after 8 s; it tolerates the
///   taint); CronJob `report` (every 10 minutes, Forbid, each run takes 90 s,
///   finished Jobs expire after 10 minutes).
/// - t=120: `db` scales to 3 (ordinals 1 and 2 created in order).
/// - t=300: `web` rolls out `nginx:1.27`.
/// - t=900: `db` scales back to 1 (ordinals 2 then 1 removed).
/// - t=1500: `node-1` becomes unreachable; t=2400: it is back. After the
///   300 s toleration its pods are evicted: the Deployment's replicas are
///   replaced on `node-2`, the bare `myapp-pod` is not (the seed notes' point
///   about using controllers).
pub fn embedded() -> Result<Scenario, ObjectError> {
    let nodes = vec![
        NodeSetup::new("node-1").label("topology.kubernetes.io/zone", "zone-a"),
        NodeSetup::new("node-2").label("topology.kubernetes.io/zone", "zone-b"),
        NodeSetup::new("node-3").label("topology.kubernetes.io/zone", "zone-b").taint(
            "dedicated",
            Some("batch"),
            TaintEffect::NoSchedule,
        ),
    ];
    let daemonset = json!({
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "log-agent", "namespace": "default"},
        "spec": {
            "selector": {"matchLabels": {"app": "log-agent"}},
            "template": {
                "metadata": {"labels": {"app": "log-agent"}},
                "spec": {"containers": [{"name": "fluentd", "image": "fluentd:v1.16"}]}
            }
        }
    });
    let batch_toleration =
        json!([{"key": "dedicated", "operator": "Equal", "value": "batch", "effect": "NoSchedule"}]);
    let job = json!({
        "apiVersion": "batch/v1", "kind": "Job",
        "metadata": {"name": "pi", "namespace": "default"},
        "spec": {
            "completions": 5, "parallelism": 2, "backoffLimit": 4,
            "template": {
                "metadata": {"annotations": {super::SCRIPT_ANNOTATION: "succeed after 20s; fail 30% after 8s"}},
                "spec": {
                    "restartPolicy": "Never",
                    "tolerations": batch_toleration,
                    "containers": [{"name": "pi", "image": "perl:5.34",
                        "command": ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]}]
                }
            }
        }
    });
    let cron = json!({
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "report", "namespace": "default"},
        "spec": {
            "schedule": "*/10 * * * *",
            "concurrencyPolicy": "Forbid",
            "successfulJobsHistoryLimit": 3,
            "jobTemplate": {"spec": {
                "ttlSecondsAfterFinished": 600,
                "template": {
                    "metadata": {"annotations": {super::SCRIPT_ANNOTATION: "succeed after 90s"}},
                    "spec": {
                        "restartPolicy": "OnFailure",
                        "tolerations": batch_toleration,
                        "containers": [{"name": "report", "image": "busybox",
                            "command": ["sh", "-c", "date; echo report"]}]
                    }
                }
            }}
        }
    });
    let steps = vec![
        (0, Step::Apply(myapp_pod()?)),
        (0, Step::Apply(obj(web("nginx:1.26"))?)),
        (0, Step::Apply(obj(db(1))?)),
        (0, Step::Apply(obj(daemonset)?)),
        (0, Step::Apply(obj(job)?)),
        (0, Step::Apply(obj(cron)?)),
        (120, Step::Apply(obj(db(3))?)),
        (300, Step::Apply(obj(web("nginx:1.27"))?)),
        (900, Step::Apply(obj(db(1))?)),
        (1500, Step::Fault(Fault::NodeHealth { node: "node-1".into(), health: NodeHealth::Unreachable })),
        (2400, Step::Fault(Fault::NodeHealth { node: "node-1".into(), health: NodeHealth::Ready })),
    ];
    Ok(Scenario { nodes, steps, duration: 3600 })
}
