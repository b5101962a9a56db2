//! Pod and container security contexts, and the checks that tie them to
//! the pod's OS, user namespace and Windows host-process mode.
//!
//! upstream: pkg/apis/core/validation/validation.go —
//! validatePodSpecSecurityContext, ValidateSecurityContext, validateSysctls,
//! ValidateHostSysctl, validateFSGroupChangePolicy,
//! validateSeccompProfileField, validateSeccompProfileType,
//! ValidateAppArmorProfileField, validateWindowsSecurityContextOptions,
//! validateSupplementalGroupsPolicy, validateSELinuxChangePolicy,
//! ValidateProcMountType, validateHostUsers, validateWindowsHostProcessPod,
//! validateLinux, validateWindows; apimachinery util/validation
//! IsValidUserID / IsValidGroupID; component-helpers node/util/sysctl
//! GetNamespace / NormalizeName.
//!
//! Deviation (documented): the API server's `--allow-privileged` policy is
//! taken to be on (as in kubeadm and most managed clusters), so
//! `privileged: true` and Windows host-process containers are not rejected
//! as "disallowed by cluster policy".

use serde_json::{Map, Value};

use crate::api::PodSpec;

use super::json;
use super::strings;
use super::{BadValue, Ctx, Errors, FieldError, FieldPath};

const MAX_ID: i64 = 2_147_483_647;

/// upstream: IsValidUserID / IsValidGroupID (both 0..=2^31-1).
fn id_in_range(m: &Map<String, Value>, key: &str, path: &FieldPath, errs: &mut Errors) {
    if let Some(id) = json::int(m, key, path, errs) {
        id_value(id, &path.child(key), errs);
    }
}

/// A user or group id at `path`: 0 to 2^31-1.
pub(crate) fn id_value(id: i64, path: &FieldPath, errs: &mut Errors) {
    if !(0..=MAX_ID).contains(&id) {
        errs.push(FieldError::invalid(path, id, &strings::inclusive_range_error(0, MAX_ID)));
    }
}

/// The pod's `securityContext` as an object, if it is one.
fn pod_context(spec: &PodSpec) -> Option<&Map<String, Value>> {
    spec.security_context.as_ref().and_then(Value::as_object)
}

/// The internal type keeps shareProcessNamespace and hostPID in the
/// security context, hence the path.
fn share_process_namespace_with_host_pid(spec: &PodSpec, p: &FieldPath, errs: &mut Errors) {
    if spec.share_process_namespace == Some(true) && spec.host_pid == Some(true) {
        errs.push(FieldError::invalid(
            &p.child("shareProcessNamespace"),
            true,
            "ShareProcessNamespace and HostPID cannot both be enabled",
        ));
    }
}

/// upstream: validatePodSpecSecurityContext. `path` is the spec path.
pub(crate) fn pod_security_context(spec: &PodSpec, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    let p = path.child("securityContext");
    let Some(sc) = spec.security_context.as_ref().and_then(|v| json::object(v, &p, errs)) else {
        // The v1 conversion always gives the internal pod a security
        // context, which holds these two fields.
        share_process_namespace_with_host_pid(spec, &p, errs);
        return;
    };
    id_in_range(sc, "fsGroup", &p, errs);
    id_in_range(sc, "runAsUser", &p, errs);
    id_in_range(sc, "runAsGroup", &p, errs);
    for (i, gid) in json::list(sc, "supplementalGroups", &p, errs).iter().enumerate() {
        let gp = p.child("supplementalGroups").index(i);
        match gid.as_i64() {
            Some(g) if (0..=MAX_ID).contains(&g) => {}
            Some(g) => errs.push(FieldError::invalid(&gp, g, &strings::inclusive_range_error(0, MAX_ID))),
            None => errs.push(FieldError::invalid(&gp, BadValue::Json(gid.clone()), "must be an integer")),
        }
    }
    share_process_namespace_with_host_pid(spec, &p, errs);
    sysctls(spec, sc, &p.child("sysctls"), ctx, errs);
    if let Some(policy) = json::string(sc, "fsGroupChangePolicy", &p, errs)
        && !["Always", "OnRootMismatch"].contains(&policy)
    {
        errs.push(FieldError::not_supported(
            &p.child("fsGroupChangePolicy"),
            policy,
            &["Always", "OnRootMismatch"],
        ));
    }
    if let Some(sp) = json::obj(sc, "seccompProfile", &p, errs) {
        seccomp_profile(sp, &p.child("seccompProfile"), errs);
    }
    if let Some(wo) = json::obj(sc, "windowsOptions", &p, errs) {
        windows_options(wo, &p.child("windowsOptions"), errs);
    }
    if let Some(ap) = json::obj(sc, "appArmorProfile", &p, errs) {
        app_armor_profile(ap, &p.child("appArmorProfile"), errs);
    }
    if let Some(policy) = json::string(sc, "supplementalGroupsPolicy", &p, errs)
        && !["Merge", "Strict"].contains(&policy)
    {
        errs.push(FieldError::not_supported(
            &p.child("supplementalGroupsPolicy"),
            policy,
            &["Merge", "Strict"],
        ));
    }
    // upstream: validateSELinuxChangePolicy; with SELinuxMount off only
    // `Recursive`, unless the stored object already set a policy
    // (useOnlyRecursiveSELinuxChangePolicy).
    if let Some(policy) = json::string(sc, "seLinuxChangePolicy", &p, errs) {
        let allowed: &[&str] =
            if ctx.allow_se_linux_mount_option() { &["MountOption", "Recursive"] } else { &["Recursive"] };
        if !allowed.contains(&policy) {
            errs.push(FieldError::not_supported(&p.child("seLinuxChangePolicy"), policy, allowed));
        }
    }
}

/// True for a sysctl name (upstream: IsValidSysctlName): at most 253
/// bytes, segments `[a-z0-9]([-_a-z0-9]*[a-z0-9])?` joined by `.` or `/`.
pub(crate) fn is_valid_sysctl_name(name: &str) -> bool {
    if name.len() > 253 {
        return false;
    }
    name.split(['.', '/']).all(|seg| {
        let b = seg.as_bytes();
        let inner_ok =
            b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_');
        let edge = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        inner_ok && edge(b.first()) && edge(b.last())
    })
}

/// Which namespace a sysctl belongs to (upstream: sysctl GetNamespace after
/// NormalizeName): `Some(true)` for the network namespace, `Some(false)`
/// for IPC, `None` otherwise.
fn sysctl_is_net(name: &str) -> Option<bool> {
    let normalized: String = match name.find(['.', '/']) {
        Some(i) if name.as_bytes().get(i) == Some(&b'/') => name
            .chars()
            .map(|c| match c {
                '.' => '/',
                '/' => '.',
                c => c,
            })
            .collect(),
        _ => name.to_owned(),
    };
    // Cut at the first `*`, then exact IPC names, then the two prefixes
    // (upstream: component-helpers sysctl namespace.go, namespaceOf).
    let cut = normalized.split('*').next().unwrap_or("");
    const IPC_NAMES: &[&str] = &[
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
        "kernel.shm",
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.msg",
    ];
    if IPC_NAMES.contains(&cut) || cut.starts_with("fs.mqueue.") {
        Some(false)
    } else if cut.starts_with("net.") {
        Some(true)
    } else {
        None
    }
}

/// upstream: validateSysctls, ValidateHostSysctl.
fn sysctls(spec: &PodSpec, sc: &Map<String, Value>, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    let parent = path.clone();
    let list = match json::member(sc, "sysctls") {
        Some(Value::Array(a)) => a.as_slice(),
        Some(other) => {
            errs.push(FieldError::invalid(&parent, BadValue::Json(other.clone()), "must be a list"));
            return;
        }
        None => return,
    };
    let mut names = std::collections::HashSet::new();
    for (i, s) in list.iter().enumerate() {
        let ip = path.index(i);
        let Some(s) = json::object(s, &ip, errs) else { continue };
        let name = json::string_or_empty(s, "name", &ip, errs);
        let np = ip.child("name");
        if name.is_empty() {
            errs.push(FieldError::required(&np, ""));
        } else if !is_valid_sysctl_name(name) {
            errs.push(FieldError::invalid(
                &np,
                name,
                "must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$",
            ));
        } else if names.contains(name) {
            errs.push(FieldError::duplicate(&np, name));
        }
        if !ctx.old.host_namespaced_sysctl
            && let Some(namespace) = host_namespace_conflict(spec, name)
        {
            errs.push(FieldError::invalid(
                &np,
                name,
                &format!("may not be specified when '{namespace}' is true"),
            ));
        }
        names.insert(name);
    }
}

/// upstream: ValidateHostSysctl: the host namespace (`hostNetwork` or
/// `hostIPC`) the pod shares that sysctl `name` belongs to.
fn host_namespace_conflict(spec: &PodSpec, name: &str) -> Option<&'static str> {
    match sysctl_is_net(name) {
        Some(true) if spec.host_network == Some(true) => Some("hostNetwork"),
        Some(false) if spec.host_ipc == Some(true) => Some("hostIPC"),
        _ => None,
    }
}

/// Whether a sysctl of `spec` belongs to a host namespace the pod shares
/// (upstream: GetValidationOptionsFromPodSpecAndMeta's look at the old
/// spec's sysctls).
pub(crate) fn host_namespaced_sysctl(spec: &PodSpec) -> bool {
    let sysctls = spec.security_context.as_ref().and_then(|sc| sc.get("sysctls")?.as_array());
    sysctls
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("name")?.as_str())
        .any(|name| host_namespace_conflict(spec, name).is_some())
}

/// upstream: validateSeccompProfileField, validateSeccompProfileType.
fn seccomp_profile(sp: &Map<String, Value>, path: &FieldPath, errs: &mut Errors) {
    const TYPES: &[&str] = &["Localhost", "RuntimeDefault", "Unconfined"];
    let ty = json::string_or_empty(sp, "type", path, errs);
    if ty.is_empty() {
        errs.push(FieldError::required(&path.child("type"), "type is required when seccompProfile is set"));
    } else if !TYPES.contains(&ty) {
        errs.push(FieldError::not_supported(&path.child("type"), ty, TYPES));
    }
    let profile = json::string(sp, "localhostProfile", path, errs);
    let lp = path.child("localhostProfile");
    if ty == "Localhost" {
        match profile {
            None => errs.push(FieldError::required(&lp, "must be set when seccomp type is Localhost")),
            Some(p) => super::pod::local_descending_path(p, &lp, errs),
        }
    } else if profile.is_some() {
        errs.push(FieldError::invalid(
            &lp,
            BadValue::json(sp),
            "can only be set when seccomp type is Localhost",
        ));
    }
}

/// upstream: ValidateAppArmorProfileField.
fn app_armor_profile(ap: &Map<String, Value>, path: &FieldPath, errs: &mut Errors) {
    let ty = json::string_or_empty(ap, "type", path, errs);
    let profile = json::string(ap, "localhostProfile", path, errs);
    let lp = path.child("localhostProfile");
    match ty {
        "Localhost" => match profile {
            None => errs.push(FieldError::required(&lp, "must be set when AppArmor type is Localhost")),
            Some(p) => {
                if p.trim() != p {
                    errs.push(FieldError::invalid(&lp, p, "must not be padded with whitespace"));
                } else if p.is_empty() {
                    errs.push(FieldError::required(&lp, "must be set when AppArmor type is Localhost"));
                }
                if p.len() > 4095 {
                    errs.push(FieldError::too_long(&lp, 4095));
                }
            }
        },
        "RuntimeDefault" | "Unconfined" => {
            if let Some(p) = profile {
                errs.push(FieldError::invalid(&lp, p, "can only be set when AppArmor type is Localhost"));
            }
        }
        "" => errs
            .push(FieldError::required(&path.child("type"), "type is required when appArmorProfile is set")),
        other => errs.push(FieldError::not_supported(
            &path.child("type"),
            other,
            &["Localhost", "RuntimeDefault", "Unconfined"],
        )),
    }
}

/// `^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$`
fn is_netbios_domain(d: &str) -> bool {
    let bad = |c: char| matches!(c, '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|');
    let mut chars = d.chars();
    let Some(first) = chars.next() else { return false };
    let rest: Vec<char> = chars.collect();
    !bad(first) && first != '.' && rest.len() <= 14 && !rest.iter().any(|c| bad(*c))
}

/// A DNS domain with upper case allowed (upstream:
/// validWindowsUserDomainDNSRegex).
fn is_dns_domain(d: &str) -> bool {
    !d.is_empty()
        && d.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && b.len() <= 63
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && b.first().is_some_and(u8::is_ascii_alphanumeric)
                && b.last().is_some_and(u8::is_ascii_alphanumeric)
        })
}

/// upstream: validateWindowsSecurityContextOptions.
fn windows_options(wo: &Map<String, Value>, path: &FieldPath, errs: &mut Errors) {
    if let Some(name) = json::string(wo, "gmsaCredentialSpecName", path, errs) {
        for msg in strings::dns1123_subdomain(name) {
            errs.push(FieldError::invalid(&path.child("gmsaCredentialSpecName"), name, &msg));
        }
    }
    if let Some(spec) = json::string(wo, "gmsaCredentialSpec", path, errs) {
        let p = path.child("gmsaCredentialSpec");
        if spec.is_empty() {
            errs.push(FieldError::invalid(&p, spec, "gmsaCredentialSpec cannot be an empty string"));
        } else if spec.len() > 64 * 1024 {
            errs.push(FieldError::invalid(&p, spec, "gmsaCredentialSpec size must be under 64 KiB"));
        }
    }
    if let Some(name) = json::string(wo, "runAsUserName", path, errs) {
        let p = path.child("runAsUserName");
        let mut bad = |msg: &str| errs.push(FieldError::invalid(&p, name, msg));
        let parts: Vec<&str> = name.split('\\').collect();
        if name.is_empty() {
            bad("runAsUserName cannot be an empty string");
        } else if name.chars().any(|c| c.is_ascii_control()) {
            bad("runAsUserName cannot contain control characters");
        } else if parts.len() > 2 {
            bad("runAsUserName cannot contain more than one backslash");
        } else {
            let (domain, user) = match parts.as_slice() {
                [d, u] => (Some(*d), *u),
                _ => (None, name),
            };
            if domain.is_some_and(|d| d.len() >= 256) {
                bad("runAsUserName's Domain length must be under 256 characters");
            }
            if let Some(d) = domain
                && !(is_netbios_domain(d) || is_dns_domain(d))
            {
                bad("runAsUserName's Domain doesn't match the NetBios nor the DNS format");
            }
            if user.is_empty() {
                bad("runAsUserName's User cannot be empty");
            } else if user.len() > 104 {
                bad("runAsUserName's User length must not be longer than 104 characters");
            }
            if !user.is_empty() && user.chars().all(|c| c == '.' || c == ' ') {
                bad("runAsUserName's User cannot contain only periods or spaces");
            }
            if user.chars().any(|c| "\"/\\:;|=,+*?<>@[]".contains(c)) {
                bad("runAsUserName's User cannot contain the following characters: \"/\\:;|=,+*?<>@[]");
            }
        }
    }
}

/// upstream: ValidateSecurityContext for one container. `path` is the
/// container's path; `host_users` is the pod's `hostUsers` (true when
/// unset).
pub(crate) fn container_security_context(sc: &Value, host_users: bool, path: &FieldPath, errs: &mut Errors) {
    let p = path.child("securityContext");
    let Some(m) = json::object(sc, &p, errs) else { return };
    let privileged = json::boolean(m, "privileged", &p, errs);
    id_in_range(m, "runAsUser", &p, errs);
    id_in_range(m, "runAsGroup", &p, errs);
    if let Some(pm) = json::string(m, "procMount", &p, errs) {
        if pm != "Default" && pm != "Unmasked" {
            errs.push(FieldError::not_supported(&p.child("procMount"), pm, &["Default", "Unmasked"]));
        }
        if host_users && pm == "Unmasked" {
            errs.push(FieldError::invalid(
                &p.child("procMount"),
                pm,
                "`hostUsers` must be false to use `Unmasked`",
            ));
        }
    }
    if let Some(sp) = json::obj(m, "seccompProfile", &p, errs) {
        seccomp_profile(sp, &p.child("seccompProfile"), errs);
    }
    if json::boolean(m, "allowPrivilegeEscalation", &p, errs) == Some(false) {
        if privileged == Some(true) {
            errs.push(FieldError::invalid(
                &p,
                BadValue::Json(sc.clone()),
                "cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
            ));
        }
        if let Some(caps) = json::obj(m, "capabilities", &p, errs) {
            let cp = p.child("capabilities");
            for cap in json::strings(caps, "add", &cp, errs).unwrap_or_default() {
                if cap == "CAP_SYS_ADMIN" {
                    errs.push(FieldError::invalid(
                        &p,
                        BadValue::Json(sc.clone()),
                        "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN",
                    ));
                }
            }
        }
    }
    if let Some(wo) = json::obj(m, "windowsOptions", &p, errs) {
        windows_options(wo, &p.child("windowsOptions"), errs);
    }
    if let Some(ap) = json::obj(m, "appArmorProfile", &p, errs) {
        app_armor_profile(ap, &p.child("appArmorProfile"), errs);
    }
}

/// Every container of the spec with its path and security context, in
/// upstream's visiting order: init, regular, ephemeral
/// (upstream: podshelper.VisitContainersWithPath).
fn containers_with_contexts<'a>(spec: &'a PodSpec, path: &FieldPath) -> Vec<(FieldPath, Option<&'a Value>)> {
    let mut out = Vec::new();
    for (i, c) in spec.init_containers().iter().enumerate() {
        out.push((path.child("initContainers").index(i), c.security_context.as_ref()));
    }
    for (i, c) in spec.containers.iter().enumerate() {
        out.push((path.child("containers").index(i), c.security_context.as_ref()));
    }
    for (i, c) in spec.ephemeral_containers.iter().flatten().enumerate() {
        out.push((path.child("ephemeralContainers").index(i), c.get("securityContext")));
    }
    out
}

/// upstream: validateHostUsers.
pub(crate) fn host_users(spec: &PodSpec, path: &FieldPath, ctx: &Ctx<'_>, errs: &mut Errors) {
    if spec.host_users != Some(false) {
        return;
    }
    // The 1.34 text (kubernetes PR 132868).
    const MSG: &str = "when `hostUsers` is false";
    // Without UserNamespacesHostNetworkSupport (off in 1.35) only a stored
    // pod that already had both keeps them.
    if spec.host_network == Some(true) && !ctx.allow_user_namespaces_host_network() {
        errs.push(FieldError::forbidden(&path.child("hostNetwork"), MSG));
    }
    // upstream names these two with capitals.
    if spec.host_pid == Some(true) {
        errs.push(FieldError::forbidden(&path.child("HostPID"), MSG));
    }
    if spec.host_ipc == Some(true) {
        errs.push(FieldError::forbidden(&path.child("HostIPC"), MSG));
    }
    // Block devices do not work in a user namespace: init, regular, then
    // ephemeral containers (VisitContainersWithPath's order); a stored pod
    // that already had some may keep them.
    if ctx.old.user_namespace_volume_devices {
        return;
    }
    for (i, c) in spec.init_containers().iter().enumerate() {
        if c.volume_devices.as_ref().is_some_and(|d| !d.is_empty()) {
            errs.push(FieldError::forbidden(
                &path.child("initContainers").index(i).child("volumeDevices"),
                MSG,
            ));
        }
    }
    for (i, c) in spec.containers.iter().enumerate() {
        if c.volume_devices.as_ref().is_some_and(|d| !d.is_empty()) {
            errs.push(FieldError::forbidden(&path.child("containers").index(i).child("volumeDevices"), MSG));
        }
    }
    for (i, c) in spec.ephemeral_containers.iter().flatten().enumerate() {
        if c.get("volumeDevices").and_then(Value::as_array).is_some_and(|d| !d.is_empty()) {
            errs.push(FieldError::forbidden(
                &path.child("ephemeralContainers").index(i).child("volumeDevices"),
                MSG,
            ));
        }
    }
}

fn host_process_of(sc: Option<&Value>) -> Option<bool> {
    sc?.get("windowsOptions")?.get("hostProcess")?.as_bool()
}

/// upstream: validateWindowsHostProcessPod (without the cluster-policy
/// check, see the module docs).
pub(crate) fn windows_host_process(spec: &PodSpec, path: &FieldPath, errs: &mut Errors) {
    let pod_hp = host_process_of(spec.security_context.as_ref());
    let mut containers = 0usize;
    let mut host_process = 0usize;
    for (cp, sc) in containers_with_contexts(spec, path) {
        containers = containers.saturating_add(1);
        let hp = host_process_of(sc);
        if let (Some(pod), Some(c)) = (pod_hp, hp)
            && pod != c
        {
            errs.push(FieldError::invalid(
                &cp.child("securityContext.windowsOptions.hostProcess"),
                c,
                &format!("pod hostProcess value must be identical if both are specified, was {pod}"),
            ));
        }
        if hp == Some(true) || (hp.is_none() && pod_hp == Some(true)) {
            host_process = host_process.saturating_add(1);
        }
    }
    if host_process > 0 {
        if host_process != containers {
            errs.push(FieldError::invalid(
                path,
                "",
                "If pod contains any hostProcess containers then all containers must be HostProcess containers",
            ));
        }
        let host_network = spec.host_network == Some(true);
        if !host_network {
            errs.push(FieldError::invalid(
                &path.child("hostNetwork"),
                host_network,
                "hostNetwork must be true if pod contains any hostProcess containers",
            ));
        }
    }
}

/// upstream: validateLinux / validateWindows, run when `spec.os.name` is
/// valid.
pub(crate) fn os_specific(spec: &PodSpec, path: &FieldPath, errs: &mut Errors) {
    let os = spec.os.as_ref().map(|o| o.name.as_str());
    let pod_sc = pod_context(spec);
    let has = |m: Option<&Map<String, Value>>, key: &str| m.is_some_and(|m| json::member(m, key).is_some());
    match os {
        Some("linux") => {
            const MSG: &str = "windows options cannot be set for a linux pod";
            if has(pod_sc, "windowsOptions") {
                errs.push(FieldError::forbidden(&path.child("securityContext.windowsOptions"), MSG));
            }
            for (cp, sc) in containers_with_contexts(spec, path) {
                if has(sc.and_then(Value::as_object), "windowsOptions") {
                    errs.push(FieldError::forbidden(&cp.child("securityContext.windowsOptions"), MSG));
                }
            }
        }
        Some("windows") => {
            const MSG: &str = "cannot be set for a windows pod";
            let scp = path.child("securityContext");
            for key in ["appArmorProfile", "seLinuxOptions"] {
                if has(pod_sc, key) {
                    errs.push(FieldError::forbidden(&scp.child(key), MSG));
                }
            }
            if spec.host_users.is_some() {
                errs.push(FieldError::forbidden(&path.child("hostUsers"), MSG));
            }
            if spec.host_pid == Some(true) {
                errs.push(FieldError::forbidden(&path.child("hostPID"), MSG));
            }
            if spec.host_ipc == Some(true) {
                errs.push(FieldError::forbidden(&path.child("hostIPC"), MSG));
            }
            for key in ["seccompProfile", "fsGroup", "fsGroupChangePolicy"] {
                if has(pod_sc, key) {
                    errs.push(FieldError::forbidden(&scp.child(key), MSG));
                }
            }
            if pod_sc.and_then(|m| m.get("sysctls")).and_then(Value::as_array).is_some_and(|a| !a.is_empty())
            {
                errs.push(FieldError::forbidden(&scp.child("sysctls"), MSG));
            }
            if spec.share_process_namespace.is_some() {
                errs.push(FieldError::forbidden(&path.child("shareProcessNamespace"), MSG));
            }
            for key in [
                "runAsUser",
                "runAsGroup",
                "supplementalGroups",
                "supplementalGroupsPolicy",
                "seLinuxChangePolicy",
            ] {
                if has(pod_sc, key) {
                    errs.push(FieldError::forbidden(&scp.child(key), MSG));
                }
            }
            for (cp, sc) in containers_with_contexts(spec, path) {
                let sc = sc.and_then(Value::as_object);
                let csp = cp.child("securityContext");
                for key in [
                    "appArmorProfile",
                    "seLinuxOptions",
                    "seccompProfile",
                    "capabilities",
                    "readOnlyRootFilesystem",
                    "privileged",
                    "allowPrivilegeEscalation",
                    "procMount",
                    "runAsUser",
                    "runAsGroup",
                ] {
                    if has(sc, key) {
                        errs.push(FieldError::forbidden(&csp.child(key), MSG));
                    }
                }
            }
        }
        _ => {}
    }
}
