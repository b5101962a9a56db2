//! Container state reasons and messages, as the kubelet writes them.
//!
//! upstream: pkg/kubelet/container/sync_result.go (error reasons),
//! pkg/kubelet/images/types.go (image errors), pkg/kubelet/kubelet_pods.go
//! convertToAPIContainerStatuses (default waiting reasons, unknown-status
//! terminations), pkg/kubelet/kuberuntime/kuberuntime_container.go (runtime
//! exit reasons).

/// Waiting: the container has not been created yet (no init containers).
pub const CONTAINER_CREATING: &str = "ContainerCreating";
/// Waiting: the pod has init containers that have not all completed.
pub const POD_INITIALIZING: &str = "PodInitializing";
/// Waiting: the restart of a crashed container is delayed by back-off.
pub const CRASH_LOOP_BACK_OFF: &str = "CrashLoopBackOff";
/// Waiting: the image could not be pulled.
pub const ERR_IMAGE_PULL: &str = "ErrImagePull";
/// Waiting: the next image pull is delayed by back-off.
pub const IMAGE_PULL_BACK_OFF: &str = "ImagePullBackOff";
/// Waiting: the image pull failed because the registry could not be
/// reached (the runtime's `ErrRegistryUnavailable`).
pub const REGISTRY_UNAVAILABLE: &str = "RegistryUnavailable";
/// Waiting: the image pull failed the runtime's signature validation.
pub const SIGNATURE_VALIDATION_FAILED: &str = "SignatureValidationFailed";

/// Whether `reason` is one a failed image pull reports, which puts the
/// image in pull back-off (upstream: EnsureImageExists with
/// evalCRIPullErr): [`ERR_IMAGE_PULL`], [`REGISTRY_UNAVAILABLE`],
/// [`SIGNATURE_VALIDATION_FAILED`].
///
/// ```
/// use kube_workloads::pod::reasons;
/// assert!(reasons::is_pull_error("RegistryUnavailable"));
/// assert!(!reasons::is_pull_error("InvalidImageName"));
/// ```
pub fn is_pull_error(reason: &str) -> bool {
    matches!(reason, ERR_IMAGE_PULL | REGISTRY_UNAVAILABLE | SIGNATURE_VALIDATION_FAILED)
}
/// Waiting: the image could not be inspected.
pub const IMAGE_INSPECT_ERROR: &str = "ImageInspectError";
/// Waiting: the image is absent and `imagePullPolicy` is `Never`.
pub const ERR_IMAGE_NEVER_PULL: &str = "ErrImageNeverPull";
/// Waiting: the image reference is malformed.
pub const INVALID_IMAGE_NAME: &str = "InvalidImageName";
/// Waiting: the runtime failed to start the container.
pub const RUN_CONTAINER_ERROR: &str = "RunContainerError";
/// Terminated: the container the runtime created could not be started
/// (containerd's reason, with exit code [`START_ERROR_EXIT_CODE`]).
pub const START_ERROR: &str = "StartError";
/// The exit code containerd reports for a container it could not start.
pub const START_ERROR_EXIT_CODE: i32 = 128;
/// Waiting: the container config could not be generated (missing
/// ConfigMap or Secret...).
pub const CREATE_CONTAINER_CONFIG_ERROR: &str = "CreateContainerConfigError";
/// Waiting: the runtime failed to create the container.
pub const CREATE_CONTAINER_ERROR: &str = "CreateContainerError";
/// Waiting: the internal pre-create hook failed.
pub const PRE_CREATE_HOOK_ERROR: &str = "PreCreateHookError";
/// Waiting: the internal pre-start hook failed.
pub const PRE_START_HOOK_ERROR: &str = "PreStartHookError";
/// Waiting: the `postStart` lifecycle hook failed and the container was killed.
pub const POST_START_HOOK_ERROR: &str = "PostStartHookError";
/// Waiting: the pod sandbox could not be created.
pub const CREATE_POD_SANDBOX_ERROR: &str = "CreatePodSandboxError";
/// Waiting: the pod sandbox config could not be generated.
pub const CONFIG_POD_SANDBOX_ERROR: &str = "ConfigPodSandboxError";
/// Waiting: the pod sandbox could not be killed.
pub const KILL_POD_SANDBOX_ERROR: &str = "KillPodSandboxError";
/// Waiting: the container could not be killed.
pub const KILL_CONTAINER_ERROR: &str = "KillContainerError";

/// Terminated with exit code 0.
pub const COMPLETED: &str = "Completed";
/// Terminated with a non-zero exit code.
pub const ERROR: &str = "Error";
/// Terminated by the kernel's out-of-memory killer.
pub const OOM_KILLED: &str = "OOMKilled";
/// Terminated: the runtime lost track of the container.
pub const CONTAINER_STATUS_UNKNOWN: &str = "ContainerStatusUnknown";

/// Message of a container given `ContainerStatusUnknown` when its pod was
/// terminated (upstream: status_manager.go TerminatePod).
pub const MESSAGE_UNKNOWN_AT_TERMINATION: &str =
    "The container could not be located when the pod was terminated";
/// Message of a container that vanished while running (two spaces before
/// "The container used", as upstream).
pub const MESSAGE_UNKNOWN_AT_DELETION: &str =
    "The container could not be located when the pod was deleted.  The container used to be Running";
/// Message of an init container whose status was lost after the pod initialized.
pub const MESSAGE_INIT_ASSUMED_COMPLETED: &str = "Unable to get init container status from container runtime and pod has been initialized, treat it as exited normally";

/// Pod reason when `activeDeadlineSeconds` is exceeded
/// (upstream: pkg/kubelet/active_deadline.go).
pub const DEADLINE_EXCEEDED: &str = "DeadlineExceeded";
/// Pod message when `activeDeadlineSeconds` is exceeded.
pub const MESSAGE_DEADLINE_EXCEEDED: &str = "Pod was active on the node longer than the specified deadline";

/// The reason a container runtime reports for an exit: `OOMKilled` when the
/// OOM killer ended it, else `Completed` for 0 and `Error` otherwise
/// (upstream: kuberuntime_container.go toKubeContainerStatus, as CRI runtimes
/// fill it).
pub fn terminated_reason(exit_code: i32, oom_killed: bool) -> &'static str {
    if oom_killed {
        OOM_KILLED
    } else if exit_code == 0 {
        COMPLETED
    } else {
        ERROR
    }
}

/// The default waiting reason of a container with no runtime instance yet:
/// `PodInitializing` when the pod has init containers, else
/// `ContainerCreating` (upstream: kubelet_pods.go
/// convertToAPIContainerStatuses).
pub fn default_waiting_reason(pod_has_init_containers: bool) -> &'static str {
    if pod_has_init_containers { POD_INITIALIZING } else { CONTAINER_CREATING }
}

/// A duration of whole seconds as Go's `time.Duration.String` prints it:
/// `10s`, `1m20s`, `5m0s`, `1h0m0s` (used in back-off messages).
pub fn go_duration(seconds: i64) -> String {
    let neg = seconds < 0;
    let s = seconds.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    if s < 60 {
        format!("{sign}{s}s")
    } else if s < 3600 {
        format!("{sign}{}m{}s", s / 60, s % 60)
    } else {
        format!("{sign}{}h{}m{}s", s / 3600, (s % 3600) / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        let cases = [(0, "0s"), (10, "10s"), (80, "1m20s"), (160, "2m40s"), (300, "5m0s"), (3600, "1h0m0s")];
        for (s, want) in cases {
            assert_eq!(go_duration(s), want);
        }
    }

    #[test]
    fn exit_reasons() {
        assert_eq!(terminated_reason(0, false), "Completed");
        assert_eq!(terminated_reason(1, false), "Error");
        assert_eq!(terminated_reason(137, true), "OOMKilled");
    }
}
