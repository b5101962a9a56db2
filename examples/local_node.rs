//! A real executor for `kubelet::PodLifecycle`: it runs a Pod manifest's
//! containers as local processes and prints every status transition.
//!
//! ```text
//! cargo run --example local_node                        # the seed notes' myapp-pod
//! cargo run --example local_node -- pod.yaml --duration 20
//! cargo run --example local_node -- pod.yaml --duration 0   # until Ctrl-C
//! ```
//!
//! - **Images are ignored**: each container runs its `command` + `args` on
//!   this machine (a container without a command cannot start and reports
//!   `RunContainerError`). Every container shares the host network, so the
//!   pod IP is 127.0.0.1.
//! - Probes are real: `exec` runs the command locally (with the probe's
//!   timeout), `tcpSocket` connects to 127.0.0.1:port, `httpGet` sends an
//!   HTTP/1.0 GET and checks the status code (200-399). `grpc` probes are
//!   reported as errors (not run).
//! - Hooks are real: `exec`, `httpGet`, `tcpSocket` (upstream's no-op) and
//!   `sleep` handlers for postStart and preStop.
//! - Restart policy and CrashLoopBackOff come from the state machine.
//! - **Stopping**: Ctrl-C (SIGINT) deletes the pod gracefully, as the API
//!   server's delete would: the deletion goes to the `PodLifecycle`
//!   (`Event::DeletionRequested`), which runs the preStop hooks, sends
//!   SIGTERM to each container's process group, and SIGKILL when the grace
//!   period (`terminationGracePeriodSeconds`) ends; every status transition
//!   is printed, then the example exits with status 130. A second Ctrl-C
//!   kills what is left at once. `--duration S` (default 10; 0 for no limit)
//!   triggers the same graceful deletion after S seconds and exits with
//!   status 0. A pod that finishes on its own ends earlier. The containers
//!   run in their own process groups, so the terminal's Ctrl-C reaches only
//!   this example, which then stops them in order.
//!
//! Unix only (signals are sent with `kill`).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command as Process, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use kube_workloads::api::{Container, HttpGetAction, IntOrString, LifecycleHandler, Probe, Time};
use kube_workloads::kubelet::{
    Command, Event, HookKind, HookOutcome, KubeletConfig, PodLifecycle, ProbeKind, ProbeOutcome,
};
use kube_workloads::{Object, Pod};

const MYAPP_POD: &str = r#"{
  "apiVersion": "v1", "kind": "Pod",
  "metadata": {"name": "myapp-pod", "namespace": "default", "labels": {"app": "myapp"}},
  "spec": {"containers": [{"name": "myapp-container", "image": "busybox",
    "command": ["sh", "-c", "echo Hello Kubernetes! && sleep 3600"]}]}
}"#;

fn now() -> Time {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    Time::from_unix(i64::try_from(secs).unwrap_or(0))
}

fn load(path: Option<&PathBuf>) -> Result<Pod, String> {
    let value: serde_json::Value = match path {
        None => serde_json::from_str(MYAPP_POD).map_err(|e| e.to_string())?,
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let options = serde_saphyr::options! { legacy_octal_numbers: true };
            serde_saphyr::from_str_with_options(&text, options)
                .map_err(|e| format!("{}: {e}", p.display()))?
        }
    };
    let mut object = Object::from_value(value).map_err(|e| e.to_string())?;
    kube_workloads::defaults::apply(&mut object);
    match object {
        Object::Pod(p) => Ok(*p),
        other => Err(format!("expected a Pod, got a {}", other.kind())),
    }
}

fn port_number(port: &IntOrString, container: &Container) -> Option<u16> {
    match port {
        IntOrString::Int(n) => u16::try_from(*n).ok(),
        IntOrString::String(name) => container
            .ports()
            .iter()
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .and_then(|p| u16::try_from(p.container_port).ok()),
    }
}

fn run_exec(command: &[String], timeout: Duration) -> Result<bool, String> {
    let Some((program, args)) = command.split_first() else { return Err("empty command".into()) };
    let mut child = Process::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .map_err(|e| e.to_string())?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status.success()),
            Ok(None) if start.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(false); // a timed-out probe is a failure
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(e.to_string()),
        }
    }
}

fn tcp_check(port: u16, timeout: Duration) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), timeout).is_ok()
}

/// The HTTP status of `GET path`, or an error.
fn http_get(action: &HttpGetAction, port: u16, timeout: Duration) -> Result<u16, String> {
    let mut stream = TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), timeout)
        .map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(timeout)).map_err(|e| e.to_string())?;
    let path = action.path.as_deref().unwrap_or("/");
    let mut request =
        format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: kube-probe/1.35\r\n");
    for h in action.http_headers.iter().flatten() {
        request.push_str(&format!("{}: {}\r\n", h.name, h.value));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut head = [0u8; 64];
    let n = stream.read(&mut head).map_err(|e| e.to_string())?;
    let line = String::from_utf8_lossy(head.get(..n).unwrap_or(&[])).to_string();
    line.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("bad response {line:?}"))
}

fn run_probe(probe: &Probe, container: &Container, timeout: Duration) -> ProbeOutcome {
    let ok = if let Some(exec) = &probe.exec {
        match run_exec(exec.command.as_deref().unwrap_or(&[]), timeout) {
            Ok(ok) => ok,
            Err(_) => return ProbeOutcome::Error,
        }
    } else if let Some(tcp) = &probe.tcp_socket {
        port_number(&tcp.port, container).is_some_and(|p| tcp_check(p, timeout))
    } else if let Some(http) = &probe.http_get {
        port_number(&http.port, container)
            .and_then(|p| http_get(http, p, timeout).ok())
            .is_some_and(|code| (200..400).contains(&code))
    } else {
        return ProbeOutcome::Error; // grpc: not run by this example
    };
    if ok { ProbeOutcome::Success } else { ProbeOutcome::Failure }
}

fn run_hook(handler: &LifecycleHandler, container: &Container, timeout: Duration) -> HookOutcome {
    if let Some(exec) = &handler.exec {
        match run_exec(exec.command.as_deref().unwrap_or(&[]), timeout) {
            Ok(true) => HookOutcome::Success,
            Ok(false) => HookOutcome::Failure("command failed or timed out".into()),
            Err(e) => HookOutcome::Failure(e),
        }
    } else if let Some(http) = &handler.http_get {
        // Only transport errors fail an HTTP hook.
        match port_number(&http.port, container).map(|p| http_get(http, p, timeout)) {
            Some(Ok(_)) => HookOutcome::Success,
            Some(Err(e)) => HookOutcome::Failure(e),
            None => HookOutcome::Failure("unknown port".into()),
        }
    } else if let Some(sleep) = &handler.sleep {
        std::thread::sleep(Duration::from_secs(u64::try_from(sleep.seconds).unwrap_or(0)).min(timeout));
        HookOutcome::Success
    } else {
        HookOutcome::Success
    }
}

fn signal(child: &Child, sig: &str) {
    // The container is its own process group (spawned with
    // `process_group(0)`, so its PGID is its PID): signal all of it. The
    // `--` matters: without it procps' `kill` may read `-PGID` as an
    // option. Never signal PID 0 or 1 groups.
    let pgid = child.id();
    if pgid > 1 {
        let _ =
            Process::new("kill").args(["-s", sig, "--", &format!("-{pgid}")]).stderr(Stdio::null()).status();
    }
}

struct Running {
    child: Child,
    attempt: u32,
}

fn describe(pl: &PodLifecycle) -> String {
    let status = pl.status();
    let mut parts = vec![format!("phase={}", status.phase.as_ref().map_or("-", |p| p.as_str()))];
    for cs in status.container_statuses.iter().flatten() {
        let state = match &cs.state {
            Some(s) if s.running.is_some() => "Running".to_owned(),
            Some(s) if s.waiting.is_some() => {
                format!("Waiting({})", s.waiting.as_ref().and_then(|w| w.reason.clone()).unwrap_or_default())
            }
            Some(s) if s.terminated.is_some() => {
                let t = s.terminated.as_ref();
                format!(
                    "Terminated({}, exit {})",
                    t.and_then(|t| t.reason.clone()).unwrap_or_default(),
                    t.map_or(0, |t| t.exit_code)
                )
            }
            _ => "-".to_owned(),
        };
        parts.push(format!("{}: {state} ready={} restarts={}", cs.name, cs.ready, cs.restart_count));
    }
    parts.join("  ")
}

fn main() {
    let mut path = None;
    let mut duration = 10u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--duration" => duration = args.next().and_then(|d| d.parse().ok()).unwrap_or(duration),
            "-h" | "--help" => {
                println!("usage: local_node [POD.yaml] [--duration SECONDS (0: until Ctrl-C)]");
                return;
            }
            p => path = Some(PathBuf::from(p)),
        }
    }
    let pod = match load(path.as_ref()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("local_node: {e}");
            std::process::exit(1);
        }
    };
    let spec = pod.spec.clone().unwrap_or_default();
    let containers: HashMap<String, Container> = spec
        .init_containers()
        .iter()
        .chain(spec.containers.iter())
        .map(|c| (c.name.clone(), c.clone()))
        .collect();
    // Ctrl-C only counts presses; the loop below acts on them.
    let interrupts = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&interrupts);
    if let Err(e) = ctrlc::set_handler(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    }) {
        eprintln!("local_node: cannot handle Ctrl-C ({e}); use --duration to stop the pod");
    }
    let limit = match duration {
        0 => "until Ctrl-C".to_owned(),
        d => format!("after {d} s or on Ctrl-C"),
    };
    println!("running pod {} locally (images ignored; stopping gracefully {limit})", pod.metadata.name());
    let started = Instant::now();
    let mut pl = PodLifecycle::new(&pod, now(), KubeletConfig::default());
    let mut running: HashMap<Arc<str>, Running> = HashMap::new();
    // When the deletion was requested, and whether Ctrl-C requested it.
    let mut deleted: Option<(Instant, bool)> = None;
    let mut last = String::new();
    // Past the grace period (and a margin), whatever is left is killed.
    let grace =
        Duration::from_secs(u64::try_from(spec.termination_grace_period_seconds_or_default()).unwrap_or(0));
    let hard_stop = grace + Duration::from_secs(5);
    loop {
        let t = now();
        // Exits observed by the "runtime".
        let exited: Vec<(Arc<str>, i32)> = running
            .iter_mut()
            .filter_map(|(name, r)| match r.child.try_wait() {
                Ok(Some(status)) => {
                    Some((name.clone(), status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(9))))
                }
                _ => None,
            })
            .collect();
        for (name, code) in exited {
            running.remove(&name);
            println!("[{:>5.1}s] {name} exited with code {code}", started.elapsed().as_secs_f64());
            pl.handle(
                Event::ContainerExited { container: name, exit_code: code, reason: None, message: None },
                t,
            );
        }
        let presses = interrupts.load(Ordering::SeqCst);
        if presses > 1 {
            println!(
                "[{:>5.1}s] Ctrl-C again: killing what is left without waiting",
                started.elapsed().as_secs_f64()
            );
            kill_all(&mut running);
            std::process::exit(130);
        }
        let reason = if presses > 0 {
            Some("Ctrl-C")
        } else if duration > 0 && started.elapsed() >= Duration::from_secs(duration) {
            Some("--duration reached")
        } else {
            None
        };
        if let (None, Some(reason)) = (deleted, reason) {
            deleted = Some((Instant::now(), presses > 0));
            println!(
                "[{:>5.1}s] {reason}: deleting the pod gracefully (grace period {} s)",
                started.elapsed().as_secs_f64(),
                grace.as_secs()
            );
            pl.handle(Event::DeletionRequested { grace_period_seconds: None }, t);
        }
        if pl.poll_timeout().is_some_and(|d| d <= t) {
            pl.handle_timeout(t);
        }
        while let Some(cmd) = pl.poll_command() {
            let elapsed = started.elapsed().as_secs_f64();
            if !matches!(cmd, Command::RunProbe { .. }) {
                println!("[{elapsed:>5.1}s] {cmd}");
            }
            match cmd {
                Command::CreateSandbox => {
                    pl.handle(Event::SandboxReady { pod_ip: Some("127.0.0.1".into()) }, now())
                }
                Command::StartContainer { container, attempt } => {
                    let Some(c) = containers.get(&*container) else { continue };
                    let argv: Vec<String> =
                        c.command.iter().flatten().chain(c.args.iter().flatten()).cloned().collect();
                    let Some((program, rest)) = argv.split_first() else {
                        pl.handle(
                            Event::ContainerStartFailed {
                                container,
                                reason: "RunContainerError".into(),
                                message: "no command: the image is ignored by this example".into(),
                            },
                            now(),
                        );
                        continue;
                    };
                    let mut process = Process::new(program);
                    process.args(rest).process_group(0);
                    for e in c.env() {
                        if let Some(v) = &e.value {
                            process.env(&e.name, v);
                        }
                    }
                    match process.spawn() {
                        Ok(child) => {
                            running.insert(container.clone(), Running { child, attempt });
                            pl.handle(Event::ContainerStarted { container }, now());
                        }
                        Err(e) => pl.handle(
                            Event::ContainerStartFailed {
                                container,
                                reason: "RunContainerError".into(),
                                message: e.to_string(),
                            },
                            now(),
                        ),
                    }
                }
                Command::RunProbe { container, attempt, probe, timeout_seconds } => {
                    let Some(c) = containers.get(&*container) else { continue };
                    let spec = match probe {
                        ProbeKind::Startup => c.startup_probe.as_ref(),
                        ProbeKind::Liveness => c.liveness_probe.as_ref(),
                        ProbeKind::Readiness => c.readiness_probe.as_ref(),
                    };
                    let timeout = Duration::from_secs(u64::try_from(timeout_seconds.max(1)).unwrap_or(1));
                    let outcome = spec.map_or(ProbeOutcome::Error, |p| run_probe(p, c, timeout));
                    if outcome != ProbeOutcome::Success {
                        println!("[{elapsed:>5.1}s] {} probe of {container}: {outcome:?}", probe.as_str());
                    }
                    pl.handle(Event::ProbeResult { container, attempt, probe, outcome }, now());
                }
                Command::RunHook { container, attempt, hook, timeout_seconds } => {
                    let Some(c) = containers.get(&*container) else { continue };
                    let lifecycle = c.lifecycle.as_ref();
                    let handler = match hook {
                        HookKind::PostStart => lifecycle.and_then(|l| l.post_start.as_ref()),
                        HookKind::PreStop => lifecycle.and_then(|l| l.pre_stop.as_ref()),
                    };
                    let timeout =
                        Duration::from_secs(timeout_seconds.map_or(30, |t| u64::try_from(t).unwrap_or(0)));
                    let outcome = handler.map_or(HookOutcome::Success, |h| run_hook(h, c, timeout));
                    println!(
                        "[{:>5.1}s] {} hook of {container}: {outcome:?}",
                        started.elapsed().as_secs_f64(),
                        hook.as_str()
                    );
                    pl.handle(Event::HookFinished { container, attempt, hook, outcome }, now());
                }
                Command::StopContainer { container, attempt, .. } => {
                    if let Some(r) = running.get(&container).filter(|r| r.attempt == attempt) {
                        signal(&r.child, "TERM");
                    }
                }
                Command::KillContainer { container, attempt } => {
                    if let Some(r) = running.get_mut(&container).filter(|r| r.attempt == attempt) {
                        signal(&r.child, "KILL");
                        let _ = r.child.kill();
                    }
                }
                Command::KillSandbox => {}
            }
        }
        let line = describe(&pl);
        if line != last {
            println!("[{:>5.1}s] {line}", started.elapsed().as_secs_f64());
            last = line;
        }
        if pl.is_finished() {
            println!("pod finished: {}", describe(&pl));
            break;
        }
        if deleted.is_some_and(|(at, _)| at.elapsed() >= hard_stop) {
            println!("giving up: the pod did not finish within its grace period; killing what is left");
            kill_all(&mut running);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if deleted.is_some_and(|(_, by_ctrl_c)| by_ctrl_c) {
        std::process::exit(130);
    }
}

/// SIGKILL to every container's process group.
fn kill_all(running: &mut HashMap<Arc<str>, Running>) {
    for r in running.values_mut() {
        signal(&r.child, "KILL");
        let _ = r.child.kill();
        let _ = r.child.wait();
    }
}
