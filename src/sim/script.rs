//! Scripted container behaviour: the [`SCRIPT_ANNOTATION`] grammar.
//!
//! upstream: none; the annotation stands in for a container runtime and
//! the processes it runs, and is read only by the simulator.
//!
//! A pod (usually through its template) carries the annotation
//! `sim.kube-workloads.io/script`. Its value is a list of clauses separated
//! by `;` or new lines. A clause may start with `<container>:` to apply to
//! one container only; without it, it applies to every container. Times are
//! whole seconds counted from the start of each container instance (so a
//! restarted container replays its script), written `30` or `30s` (`2m`,
//! `1h` also work).
//!
//! | clause | meaning |
//! |---|---|
//! | `run 30s then exit 2` | run 30 s, then exit with code 2 |
//! | `exit 2 after 30s` | the same |
//! | `succeed after 20s` | run 20 s, then exit 0 |
//! | `crash` | exit with code 1 as soon as started (crash on start) |
//! | `fail 30% after 10s` | with probability 30 % (drawn from the simulator's seed when the instance starts), exit 1 after 10 s; otherwise the other clauses apply |
//! | `unready 10s-40s` | the readiness probe fails from 10 s to 40 s |
//! | `unready after 60s` | the readiness probe fails from 60 s on |
//! | `unlive after 60s` | the liveness probe fails from 60 s on |
//! | `stop 5s` | after the stop signal, take 5 s to exit (default 1 s) |
//!
//! Default (no annotation, or no clause for a container): the container runs
//! forever, every probe succeeds, and it exits 1 s after its stop signal
//! (code 143); an init container (not a sidecar) succeeds after 1 s. Hooks always succeed at once. Unknown clauses are an error
//! reported by [`Script::parse`]; the simulator logs it and ignores the clause.

use std::fmt;

/// The annotation holding a pod's container script.
pub const SCRIPT_ANNOTATION: &str = "sim.kube-workloads.io/script";

/// What one container instance does, per [`SCRIPT_ANNOTATION`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Behaviour {
    /// Exit with this code after this many seconds.
    pub exit_after: Option<(i64, i32)>,
    /// Exit with code 1 as soon as started.
    pub crash_on_start: bool,
    /// With this probability (percent), exit 1 after this many seconds.
    pub random_failure: Option<(u32, i64)>,
    /// Readiness fails in `[from, to)` (seconds since start; `to` `None`:
    /// for ever).
    pub unready: Vec<(i64, Option<i64>)>,
    /// Liveness fails from this many seconds since start.
    pub unlive_after: Option<i64>,
    /// Seconds between the stop signal and the exit.
    pub stop_seconds: i64,
}

impl Behaviour {
    /// The default: run forever, probes succeed, stop in 1 s.
    pub fn new() -> Behaviour {
        Behaviour { stop_seconds: 1, ..Behaviour::default() }
    }

    /// Whether readiness fails `elapsed` seconds after the start.
    pub fn readiness_fails(&self, elapsed: i64) -> bool {
        self.unready.iter().any(|(from, to)| elapsed >= *from && to.is_none_or(|to| elapsed < to))
    }

    /// Whether liveness fails `elapsed` seconds after the start.
    pub fn liveness_fails(&self, elapsed: i64) -> bool {
        self.unlive_after.is_some_and(|t| elapsed >= t)
    }
}

/// A parse error of a script clause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptError {
    /// The clause that could not be read.
    pub clause: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown script clause `{}`", self.clause)
    }
}

impl std::error::Error for ScriptError {}

/// A parsed script: clauses for every container and per container.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    clauses: Vec<(Option<String>, Clause)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Clause {
    Exit { after: i64, code: i32 },
    Crash,
    Fail { percent: u32, after: i64 },
    Unready { from: i64, to: Option<i64> },
    Unlive { after: i64 },
    Stop { seconds: i64 },
}

/// Reads `30`, `30s`, `2m`, `1h` as seconds.
fn seconds(s: &str) -> Option<i64> {
    let s = s.trim();
    let (num, mult) = if let Some(n) = s.strip_suffix('s') {
        (n, 1)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60)
    } else if let Some(n) = s.strip_suffix('h') {
        (n, 3600)
    } else {
        (s, 1)
    };
    num.parse::<i64>().ok().filter(|n| *n >= 0).and_then(|n| n.checked_mul(mult))
}

fn parse_clause(text: &str) -> Option<Clause> {
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["crash"] | ["crash", "on", "start"] => Some(Clause::Crash),
        ["run", t, "then", "exit", c] => Some(Clause::Exit { after: seconds(t)?, code: c.parse().ok()? }),
        ["run", t, "then", "succeed"] | ["succeed", "after", t] => {
            Some(Clause::Exit { after: seconds(t)?, code: 0 })
        }
        ["exit", c, "after", t] => Some(Clause::Exit { after: seconds(t)?, code: c.parse().ok()? }),
        ["fail", p, "after", t] => {
            let percent = p.strip_suffix('%').unwrap_or(p).parse::<u32>().ok().filter(|p| *p <= 100)?;
            Some(Clause::Fail { percent, after: seconds(t)? })
        }
        ["unready", "after", t] => Some(Clause::Unready { from: seconds(t)?, to: None }),
        ["unready", range] => {
            let (a, b) = range.split_once('-')?;
            Some(Clause::Unready { from: seconds(a)?, to: Some(seconds(b)?) })
        }
        ["unlive", "after", t] => Some(Clause::Unlive { after: seconds(t)? }),
        ["stop", t] => Some(Clause::Stop { seconds: seconds(t)? }),
        _ => None,
    }
}

impl Script {
    /// Parses an annotation value. Returns the script of every clause that
    /// could be read and the errors of the others.
    pub fn parse(text: &str) -> (Script, Vec<ScriptError>) {
        let mut script = Script::default();
        let mut errors = Vec::new();
        for raw in text.split([';', '\n']) {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let (container, body) = match raw.split_once(':') {
                Some((c, b)) if !c.trim().contains(' ') => (Some(c.trim().to_owned()), b.trim()),
                _ => (None, raw),
            };
            match parse_clause(body) {
                Some(c) => script.clauses.push((container, c)),
                None => errors.push(ScriptError { clause: raw.to_owned() }),
            }
        }
        (script, errors)
    }

    /// The behaviour of one instance of `container`; `draw` gives a number
    /// in `0..100` for probabilistic clauses.
    pub fn behaviour(&self, container: &str, mut draw: impl FnMut() -> u32) -> Behaviour {
        let mut b = Behaviour::new();
        let mut failed = false;
        for (who, clause) in &self.clauses {
            if who.as_deref().is_some_and(|w| w != container) {
                continue;
            }
            match clause {
                Clause::Exit { after, code } => {
                    if !failed {
                        b.exit_after = Some((*after, *code));
                    }
                }
                Clause::Crash => b.crash_on_start = true,
                Clause::Fail { percent, after } => {
                    if draw() < *percent {
                        failed = true;
                        b.random_failure = Some((*percent, *after));
                        b.exit_after = Some((*after, 1));
                    }
                }
                Clause::Unready { from, to } => b.unready.push((*from, *to)),
                Clause::Unlive { after } => b.unlive_after = Some(*after),
                Clause::Stop { seconds } => b.stop_seconds = *seconds,
            }
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grammar() {
        let (s, errors) = Script::parse(
            "app: exit 2 after 30s; unready 10-40s\nsidecar: crash; unlive after 1m; bogus clause",
        );
        assert_eq!(errors.len(), 1);
        let app = s.behaviour("app", || 0);
        assert_eq!(app.exit_after, Some((30, 2)));
        assert!(app.readiness_fails(10) && !app.readiness_fails(40));
        let side = s.behaviour("sidecar", || 0);
        assert!(side.crash_on_start && side.liveness_fails(60) && !side.liveness_fails(59));
        let (s, _) = Script::parse("succeed after 20s; fail 30% after 5s");
        assert_eq!(s.behaviour("x", || 10).exit_after, Some((5, 1)));
        assert_eq!(s.behaviour("x", || 50).exit_after, Some((20, 0)));
    }
}
