//! Every document of a known kind in the shared corpus validates clean after
//! defaulting: the manifests were accepted by real clusters. Documents
//! listed in `EXCEPTIONS` are expected to fail, with the reason.
//!
//! Skips (passes) when `../shared/corpus` is absent.

mod common;

use kube_workloads::api::Object;
use kube_workloads::{defaults, validation};

/// (file name, or file-name prefix ending in `__`, reason): documents that
/// fail validation, and why. Each one was checked against upstream's rules:
/// these are tool fixtures, documentation fragments or templates that an API
/// server rejects too.
const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "k8s-website__restart-all-containers.yaml",
        "a sidecar with restartPolicyRules needs RestartAllContainersOnContainerExits (alpha in 1.35, off): \
         with ContainerRestartRules on, a 1.35 API server forbids the rules (upstream: \
         validateInitContainerRestartPolicy, AllowRestartAllContainers false)",
    ),
    (
        "k8s-api-fuzz__",
        "upstream round-trip fixtures with placeholder values in every field (`concurrencyPolicy: concurrencyPolicyValue`)",
    ),
    ("kube-linter__complex-pod-spec.yaml", "linter fixture: apps/v1 Deployment without spec.selector"),
    (
        "kube-linter__liveness-port.yaml",
        "linter fixture: no metadata.name, no spec.selector, containers without image",
    ),
    (
        "kube-linter__readiness-port.yaml",
        "linter fixture: no metadata.name, no spec.selector, containers without image",
    ),
    (
        "kube-linter__startup-port.yaml",
        "linter fixture: no metadata.name, no spec.selector, containers without image",
    ),
    (
        "kube-linter__no-anti-affinity.yaml",
        "linter fixture: containers without image, a Deployment without spec.selector",
    ),
    (
        "kube-score__daemonset-appsv1.yaml",
        "scoring fixture: apps/v1 DaemonSet without selector or template labels",
    ),
    (
        "kube-score__deployment-host-antiaffinity-preffered.yaml",
        "scoring fixture: apps/v1 Deployment without spec.selector",
    ),
    (
        "kube-score__deployment-host-antiaffinity-required.yaml",
        "scoring fixture: apps/v1 Deployment without spec.selector",
    ),
    (
        "kube-score__service-target-deployment.yaml",
        "scoring fixture: apps/v1 Deployment without spec.selector",
    ),
    (
        "kube-score__service-target-deployment-not-rolling.yaml",
        "scoring fixture: apps/v1 Deployment without spec.selector",
    ),
    (
        "kube-score__pod-topology-spread-constraints-two-constraints.yaml",
        "scoring fixture: container without image",
    ),
    ("kube-score__security-inherit-pod-security-context.yaml", "scoring fixture: container without image"),
    ("kubesec__multi.yaml", "scanner fixture: apps/v1 Deployment without spec.selector"),
    (
        "kubesec__score-0-daemonset-securitycontext-privileged.yaml",
        "scanner fixture: DaemonSet without spec.selector",
    ),
    (
        "kubesec__score-1-statefulset-volumeclaimtemplate.yaml",
        "scanner fixture: StatefulSet template without the labels its selector requires",
    ),
    (
        "kubesec__score-0-dep-seccomp-unconfined-ephemeralcontainer.yaml",
        "scanner fixture: ephemeralContainers in a pod template (\"ephemeral containers not allowed in pod template\")",
    ),
    (
        "kompose__output-k8s-daemonset-template.json",
        "kompose golden output: apps/v1 DaemonSets without spec.selector",
    ),
    ("kwok__kwok_deployment.yaml", "kustomize base: Deployment without spec.selector (kustomize adds it)"),
    (
        "istio__native-sidecar.injected.yaml",
        "injector golden output: a projected serviceAccountToken in a Pod without serviceAccountName (validation rejects it; a real API server's ServiceAccount admission plugin sets `default` first)",
    ),
    (
        "istio__pod.injected.yaml",
        "injector golden output: a projected serviceAccountToken in a Pod without serviceAccountName (validation rejects it; a real API server's ServiceAccount admission plugin sets `default` first)",
    ),
    ("skiperator__extra-containers_application-assert.yaml", "kuttl assertion file: partial objects"),
    ("skiperator__skipjob-assert.yaml", "kuttl assertion file: partial objects"),
    (
        "skiperator__stateful_application-assert.yaml",
        "kuttl assertion file: partial objects (label value `($namespace)`)",
    ),
    (
        "istio__mtls-echo.yaml",
        "volumeMount `ca-certs` names no volume of the pod (volumes are `certs` and `ca`)",
    ),
    ("k8s-examples__sysdig-rc.yaml", "ReplicationController with neither spec.selector nor template labels"),
    (
        "k8s-website__job-success-policy-example.yaml",
        "documentation fragment: no metadata.name and no template restartPolicy",
    ),
    ("gke-samples__spec-gcs.yaml", "template placeholder `<GCSFUSE_KSA>` as serviceAccountName"),
    (
        "kompose__output-placement-k8s.yaml",
        "kompose golden output: required node affinity value `ubuntu 14.04` is not a label value (CV ValidateNodeSelectorRequirement rejects it on create)",
    ),
    (
        "kubectl__deploy-serverside.yaml",
        "status (validate_status) from a server that did not report readyReplicas: availableReplicas 1 > readyReplicas 0",
    ),
];

fn exception(file: &str) -> Option<&'static str> {
    EXCEPTIONS
        .iter()
        .find(|(name, _)| if name.ends_with("__") { file.starts_with(name) } else { file == *name })
        .map(|(_, reason)| *reason)
}

#[test]
fn corpus_validates_after_defaulting() {
    let Some(dir) = common::corpus_dir() else {
        eprintln!("corpus not present; skipping");
        return;
    };
    let mut clean = 0usize;
    let mut excused = 0usize;
    let mut failures = Vec::new();
    let mut used = std::collections::HashSet::new();
    for path in common::manifest_files(&dir) {
        let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("").to_owned();
        let Ok(docs) = common::load_documents(&path) else { continue };
        for (i, doc) in docs.into_iter().enumerate() {
            let Ok(mut object) = Object::from_value(doc) else { continue };
            defaults::apply(&mut object);
            if let Object::Job(job) = &mut object {
                // The server's create hook: selector generation with the uid.
                defaults::generate_job_selector(job, "00000000-0000-0000-0000-000000000001");
            }
            if let Err(e) = validation::validate_status(&object) {
                if exception(&file).is_some() {
                    used.insert(file.clone());
                } else {
                    failures.push(format!("{file}[{i}] status: {e}"));
                }
            }
            match validation::validate(&object) {
                Ok(()) => clean += 1,
                Err(e) => match exception(&file) {
                    Some(_) => {
                        excused += 1;
                        used.insert(file.clone());
                    }
                    None => failures.push(format!(
                        "{file}[{i}] {} {}: {e}",
                        object.kind(),
                        object.metadata().name()
                    )),
                },
            }
        }
    }
    eprintln!("corpus: {clean} documents validated clean, {excused} excused failures");
    assert!(failures.is_empty(), "{} documents failed:\n{}", failures.len(), failures.join("\n"));
    assert!(clean > 0);
    for (name, _) in EXCEPTIONS {
        assert!(
            used.iter().any(|f| if name.ends_with("__") { f.starts_with(name) } else { f == name }),
            "exception {name} no longer fails; remove it"
        );
    }
}
