//! Simulate a cluster on virtual time: the crate's controllers, kubelet and
//! scheduling rules running together.
//!
//! ```text
//! cargo run --example simulate                      # the embedded scenario (seed notes)
//! cargo run --example simulate -- app.yaml db.yaml  # your manifests instead
//!     --duration 3600   virtual seconds to run (default: 3600)
//!     --nodes 3         nodes for manifests (default: 3; the embedded scenario has its own)
//!     --seed 1          PRNG seed (names, UIDs, scripted failures, random faults)
//!     --faults 0        random faults to inject during the first half of the run
//!     --svg PATH        where to write the chart (default: target/simulate.svg)
//!     --full            print the full event log instead of the short timeline
//! ```
//!
//! Containers are scripted with the `sim.kube-workloads.io/script`
//! annotation on the pod template (see `kube_workloads::sim::script`);
//! without it a container runs forever and its probes succeed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kube_workloads::Object;
use kube_workloads::api::unwrap_list;
use kube_workloads::sim::scenario::{self, Scenario, Step};
use kube_workloads::sim::{Cluster, NodeSetup, short_timeline};

struct Args {
    manifests: Vec<PathBuf>,
    duration: Option<i64>,
    nodes: usize,
    seed: u64,
    faults: u32,
    svg: PathBuf,
    full: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        manifests: Vec::new(),
        duration: None,
        nodes: 3,
        seed: 1,
        faults: 0,
        svg: PathBuf::from("target/simulate.svg"),
        full: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--duration" => {
                args.duration = Some(value("--duration")?.parse().map_err(|e| format!("--duration: {e}"))?)
            }
            "--nodes" => args.nodes = value("--nodes")?.parse().map_err(|e| format!("--nodes: {e}"))?,
            "--seed" => args.seed = value("--seed")?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--faults" => args.faults = value("--faults")?.parse().map_err(|e| format!("--faults: {e}"))?,
            "--svg" => args.svg = PathBuf::from(value("--svg")?),
            "--full" => args.full = true,
            "-h" | "--help" => {
                println!(
                    "usage: simulate [MANIFEST.yaml...] [--duration S] [--nodes N] [--seed N] [--faults N] [--svg PATH] [--full]"
                );
                std::process::exit(0);
            }
            s if s.starts_with("--") => return Err(format!("unknown flag {s}")),
            path => args.manifests.push(PathBuf::from(path)),
        }
    }
    Ok(args)
}

fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        legacy_octal_numbers: true,
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::LastWins,
    }
}

fn load(path: &Path) -> Result<Vec<Object>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let docs: Vec<serde_json::Value> = if path.extension().is_some_and(|e| e == "json") {
        vec![serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?]
    } else {
        serde_saphyr::from_multiple_with_options(&text, yaml_options())
            .map_err(|e| format!("{}: {e}", path.display()))?
    };
    let mut objects = Vec::new();
    for doc in docs.into_iter().filter(|d| !d.is_null()).flat_map(unwrap_list) {
        match Object::from_value(doc) {
            Ok(o) => objects.push(o),
            // Kinds the crate does not model (Services, ConfigMaps...) are
            // skipped, not fatal.
            Err(e @ kube_workloads::api::ObjectError::UnknownKind { .. }) => {
                eprintln!("simulate: {}: skipped: {e}", path.display())
            }
            Err(e) => return Err(format!("{}: {e}", path.display())),
        }
    }
    Ok(objects)
}

/// Ready and updated replicas per workload over time.
type Series = BTreeMap<String, Vec<(i64, i32, i32)>>;

fn svg(series: &Series, duration: i64) -> String {
    let colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
    let (w, row_h, left, top) = (900.0f64, 120.0f64, 230.0f64, 40.0f64);
    let plot_w = w - left - 30.0;
    let height = top + row_h * series.len() as f64 + 40.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="10" y="22" font-size="16">Ready (solid) and updated (dashed) replicas over {duration} s of virtual time</text>"#
    );
    for (i, (name, points)) in series.iter().enumerate() {
        let color = colors[i % colors.len()];
        let y0 = top + row_h * i as f64;
        let max = points.iter().map(|(_, r, u)| (*r).max(*u)).max().unwrap_or(1).max(1) as f64;
        let x = |t: i64| left + plot_w * t as f64 / duration.max(1) as f64;
        let y = |v: i32| y0 + row_h - 20.0 - (row_h - 35.0) * f64::from(v) / max;
        let _ = writeln!(s, r#"<text x="10" y="{}" fill="{color}">{name}</text>"#, y0 + row_h / 2.0);
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{}" x2="{}" y2="{}" stroke="#999"/>"##,
            y(0),
            left + plot_w,
            y(0)
        );
        let _ = writeln!(
            s,
            r##"<text x="{}" y="{}" fill="#666">{}</text>"##,
            left - 20.0,
            y(max as i32) + 4.0,
            max
        );
        for (field, dash) in [(1usize, ""), (2usize, r#" stroke-dasharray="5,4""#)] {
            let mut d = String::new();
            let mut last: Option<f64> = None;
            for (t, r, u) in points {
                let v = if field == 1 { *r } else { *u };
                let (px, py) = (x(*t), y(v));
                match last {
                    None => {
                        let _ = write!(d, "M{px:.1},{py:.1}");
                    }
                    Some(ly) => {
                        let _ = write!(d, " L{px:.1},{ly:.1} L{px:.1},{py:.1}");
                    }
                }
                last = Some(py);
            }
            let _ = writeln!(s, r#"<path d="{d}" fill="none" stroke="{color}" stroke-width="2"{dash}/>"#);
        }
    }
    let axis_y = top + row_h * series.len() as f64 + 15.0;
    for k in 0..=6 {
        let t = duration * k / 6;
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{axis_y}" fill="#666" text-anchor="middle">{t}s</text>"##,
            left + plot_w * t as f64 / duration.max(1) as f64
        );
    }
    s.push_str("</svg>\n");
    s
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("simulate: {e}");
            std::process::exit(2);
        }
    };
    let mut scenario = if args.manifests.is_empty() {
        match scenario::embedded() {
            Ok(s) => s,
            Err(e) => {
                eprintln!("simulate: embedded scenario: {e}");
                std::process::exit(1);
            }
        }
    } else {
        let mut steps = Vec::new();
        for path in &args.manifests {
            match load(path) {
                Ok(objects) => steps.extend(objects.into_iter().map(|o| (0, Step::Apply(o)))),
                Err(e) => {
                    eprintln!("simulate: {e}");
                    std::process::exit(1);
                }
            }
        }
        let nodes = (1..=args.nodes).map(|i| NodeSetup::new(format!("node-{i}"))).collect();
        Scenario { nodes, steps, duration: 3600 }
    };
    if let Some(d) = args.duration {
        scenario.duration = d.max(1);
    }
    let title = if args.manifests.is_empty() {
        "embedded scenario (seed notes)".to_owned()
    } else {
        format!("{} manifest file(s)", args.manifests.len())
    };
    println!(
        "Simulating the {title}: {} nodes, {} s of virtual time, seed {}\n",
        scenario.nodes.len(),
        scenario.duration,
        args.seed
    );
    let mut cluster = Cluster::new(args.seed);
    if args.faults > 0 {
        cluster.schedule_random_faults(args.faults, (scenario.duration / 2).max(1));
    }
    let wall = Instant::now();
    let mut series: Series = BTreeMap::new();
    let mut last_progress = Instant::now();
    let duration = scenario.duration;
    let sample_every = (duration / 240).max(5);
    let errors = scenario.run(&mut cluster, sample_every, |c| {
        let t = c.elapsed();
        for (name, ready, updated) in c.replica_sample() {
            series.entry(name).or_default().push((t, ready, updated));
        }
        if last_progress.elapsed().as_millis() > 500 {
            last_progress = Instant::now();
            eprint!(
                "\r[simulate] {t}/{duration} s virtual, {} events, {:.1} s wall",
                c.stats().events,
                wall.elapsed().as_secs_f64()
            );
            let _ = std::io::stderr().flush();
        }
    });
    if wall.elapsed().as_millis() > 500 {
        eprintln!();
    }
    for (t, e) in &errors {
        println!("! at {t}s: {e}");
    }
    println!("Timeline{}:", if args.full { "" } else { " (short form; --full for every event)" });
    if args.full {
        for entry in cluster.log() {
            println!("{entry}");
        }
    } else {
        for entry in short_timeline(cluster.log()) {
            println!("{entry}");
        }
    }
    println!("\nAt {} s:", cluster.elapsed());
    println!(
        "{:<22} {:<28} {:>7} {:>7} {:>5} {:>7} {:>9}  NOTE",
        "KIND", "NAME", "DESIRED", "CURRENT", "READY", "UPDATED", "AVAILABLE"
    );
    for w in cluster.workloads() {
        println!(
            "{:<22} {:<28} {:>7} {:>7} {:>5} {:>7} {:>9}  {}",
            w.kind, w.name, w.desired, w.current, w.ready, w.updated, w.available, w.note
        );
    }
    println!("\nNodes:");
    for (node, health) in cluster.nodes() {
        let name = node.metadata.name();
        let taints: Vec<String> = node
            .spec
            .as_ref()
            .map(|s| s.taints().iter().map(kube_workloads::scheduling::taint_to_string).collect())
            .unwrap_or_default();
        println!(
            "  {name:<8} {health:?}, {} pods, taints: [{}]",
            cluster.pods_on_node(name).unwrap_or(0),
            taints.join(", ")
        );
    }
    let stats = cluster.stats();
    println!(
        "\n{} events, {} reconciles, {} instants in {:.2} s wall",
        stats.events,
        stats.reconciles,
        stats.instants,
        wall.elapsed().as_secs_f64()
    );
    if let Some(dir) = args.svg.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(&args.svg, svg(&series, duration)) {
        Ok(()) => println!("chart: {}", args.svg.display()),
        Err(e) => eprintln!("simulate: cannot write {}: {e}", args.svg.display()),
    }
}
