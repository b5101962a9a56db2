//! Kubernetes cron schedules: the grammar and the `Next` of robfig/cron v3
//! (`cron.ParseStandard`), as the CronJob controller and API validation use
//! it.
//!
//! upstream: robfig/cron v3.0.1 parser.go (`Parse`, `normalizeFields`,
//! `getField`, `getRange`, `parseIntOrName`, `mustParseInt`, `getBits`,
//! `parseDescriptor`, `ParseStandard`), spec.go (`SpecSchedule.Next`,
//! `dayMatches`), constantdelay.go (`Every`, `ConstantDelaySchedule.Next`);
//! kubernetes/kubernetes pkg/controller/cronjob/utils.go
//! (`mostRecentScheduleTime`). Rules: `semantics/cron.md`.
//!
//! ```
//! use kube_workloads::schedule::Schedule;
//! use kube_workloads::api::Time;
//!
//! let s: Schedule = "*/15 9-17 * * MON-FRI".parse().unwrap();
//! let t: Time = "2024-05-03T17:50:00Z".parse().unwrap(); // a Friday
//! assert_eq!(s.next_after(t).unwrap().to_string(), "2024-05-06T09:00:00Z");
//!
//! // Day-of-month and day-of-week are OR-ed when both are restricted.
//! let s: Schedule = "0 0 1,15 * Sun".parse().unwrap();
//! let t: Time = "2012-07-01T00:00:00Z".parse().unwrap();
//! assert_eq!(s.next_after(t).unwrap().to_string(), "2012-07-08T00:00:00Z");
//!
//! // Kubernetes builds `TZ=<spec.timeZone> <schedule>`.
//! let s: Schedule = "TZ=Europe/Berlin 30 2 * * *".parse().unwrap();
//! let t: Time = "2024-03-30T12:00:00Z".parse().unwrap();
//! // 02:30 does not exist on 2024-03-31 in Berlin: that day is skipped.
//! assert_eq!(s.next_after(t).unwrap().to_string(), "2024-04-01T00:30:00Z");
//! ```
//!
//! # How it is built
//! The grammar is parsed here (robfig's, not the `cron` crate's: five
//! fields, day-of-week 0–6 with Sunday = 0, `?` and `*` in every field,
//! `a/step`, robfig's descriptors and error texts). Each field becomes a bit
//! set and a "star" flag; the `cron` crate is the iteration engine, fed with
//! explicit lists. The differences from the `cron` crate that this module
//! bridges (`semantics/cron.md` §5), each with a test in `tests/schedule.rs`:
//! - five fields, not six or seven (seconds are always 0, no year field);
//! - day-of-week numbers are shifted from robfig's 0–6 to the crate's 1–7,
//!   and 7 is rejected as robfig rejects it;
//! - robfig's day rule: when neither day field carries the star flag the
//!   days are OR-ed, which the crate cannot express, so two crate schedules
//!   (day-of-month only, day-of-week only) are run and the earlier time wins;
//! - `@annually`, `@midnight` and `@every <duration>` (not in the crate);
//!   `@every` does not use the crate at all;
//! - `Mon/2`-style single values with a step;
//! - time zones: the crate is run in the fixed offset of each stretch of the
//!   zone's timeline, so a wall-clock time in a DST gap is skipped and one in
//!   a repeated hour fires twice, as robfig does;
//! - an unsatisfiable schedule (`30 Feb`) and any search past five years
//!   give `None` (robfig's zero time).
//!
//! # Deviations
//! - A schedule without a zone is evaluated in UTC (DECISIONS cronjob Q1);
//!   robfig uses the location of the time passed in. The zone `Local` in a
//!   `TZ=` prefix also means UTC.
//! - robfig's irregular results in zones whose shifts are not whole hours at
//!   whole hours (Australia/Lord_Howe, Pacific/Chatham) are not reproduced
//!   (DECISIONS cron Q1): here every instant whose wall-clock time matches
//!   fires.
//! - The `cron` crate iterates the years 1970–2100: later times give `None`,
//!   and so do earlier ones. [`Schedule::missed`] searches from an
//!   `earliest` before 1970 as if it were 1969-12-31T23:59:59Z, so a CronJob
//!   created before 1970 still runs its most recent time; its missed count
//!   (and so the `TooManyMissedTimes` warning) starts in 1970.
//! - Zone transitions are found by sampling the offset weekly; a zone stretch
//!   shorter than a week (none in the current tz database) could be missed.
//! - [`Schedule::missed`] stops its final scan after
//!   [`MISSED_SCAN_LIMIT`] steps (upstream has no bound; it is never reached
//!   by a regular schedule).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::api::Time;

/// More missed start times than this is "too many" (upstream: the `> 100`
/// of `mostRecentScheduleTime`).
pub const TOO_MANY_MISSED: i64 = 100;

/// The most `Next` calls [`Schedule::missed`] makes in its final scan.
pub const MISSED_SCAN_LIMIT: usize = 10_000;

/// How far robfig searches before giving up: five years past the year of
/// the start.
const YEAR_LIMIT: i32 = 5;

const WEEK: i64 = 7 * 86_400;

/// Why a schedule could not be parsed or evaluated. The messages are
/// robfig's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The spec is the empty string.
    #[error("empty spec string")]
    Empty,
    /// A `TZ=` / `CRON_TZ=` prefix names no known zone.
    #[error("provided bad location {zone}: unknown time zone {zone}")]
    UnknownZone {
        /// The zone as written.
        zone: String,
    },
    /// A `TZ=` / `CRON_TZ=` prefix with nothing after it (robfig panics).
    #[error("provided bad location: missing a space after the time zone")]
    MissingSpaceAfterZone,
    /// Not five fields.
    #[error("expected exactly 5 fields, found {found}: [{fields}]")]
    FieldCount {
        /// How many fields there were.
        found: usize,
        /// The fields, space-separated.
        fields: String,
    },
    /// A field that does not parse (a bad number or name, a range out of
    /// bounds, a zero step...).
    #[error("{0}")]
    Field(String),
    /// An `@` word that is not a descriptor.
    #[error("unrecognized descriptor: {0}")]
    Descriptor(String),
    /// `@every` with a bad Go duration.
    #[error("failed to parse duration {spec}: {message}")]
    Duration {
        /// The whole descriptor.
        spec: String,
        /// Go's `time.ParseDuration` error.
        message: String,
    },
    /// The schedule never fires, or two consecutive times are less than a
    /// second apart (upstream: `mostRecentScheduleTime`).
    #[error("time difference between two schedules is less than 1 second")]
    NeverFires,
}

/// A parsed schedule: five fields or a descriptor, and an optional zone.
#[derive(Clone, Debug)]
pub struct Schedule {
    source: String,
    zone: Option<Tz>,
    kind: Kind,
}

#[derive(Clone, Debug)]
enum Kind {
    Spec(Box<Spec>),
    /// `@every`: the delay in whole seconds (at least 1).
    Every(i64),
}

/// The `cron` schedules that iterate the five fields (robfig's
/// `SpecSchedule`).
#[derive(Clone, Debug)]
struct Spec {
    /// One schedule (days AND-ed) or two (days OR-ed); none, or one fewer,
    /// when a field of commas alone leaves a field an engine needs empty.
    engines: Vec<cron::Schedule>,
}

/// The result of [`Schedule::missed`] (upstream: `mostRecentScheduleTime`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Missed {
    /// The most recent scheduled time in `(earliest, now]`, as upstream
    /// estimates it (it can be `None` for an irregular schedule although a
    /// time was missed; `semantics/cronjob.md` §5).
    pub most_recent: Option<Time>,
    /// Upstream's estimate of the number of missed times: 0 when at most one
    /// time is due, else `floor((now - t1) / (t2 - t1)) + 1`.
    pub count: i64,
}

impl Missed {
    /// More than [`TOO_MANY_MISSED`] times were missed.
    pub fn too_many(&self) -> bool {
        self.count > TOO_MANY_MISSED
    }
}

impl FromStr for Schedule {
    type Err = ScheduleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Schedule::parse(s)
    }
}

impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/// One field's bounds and names (robfig's `bounds`).
struct Bounds {
    min: u32,
    max: u32,
    names: &'static [&'static str],
    name_offset: u32,
}

const MINUTE: Bounds = Bounds { min: 0, max: 59, names: &[], name_offset: 0 };
const HOUR: Bounds = Bounds { min: 0, max: 23, names: &[], name_offset: 0 };
const DOM: Bounds = Bounds { min: 1, max: 31, names: &[], name_offset: 0 };
const MONTH: Bounds = Bounds { min: 1, max: 12, names: MONTHS, name_offset: 1 };
const DOW: Bounds = Bounds { min: 0, max: 6, names: DAYS, name_offset: 0 };

impl Schedule {
    /// Parses a schedule as robfig's `ParseStandard` does: an optional
    /// `TZ=<zone> ` or `CRON_TZ=<zone> ` prefix, then five fields (minute,
    /// hour, day of month, month, day of week) or a descriptor. Without a
    /// prefix the schedule is evaluated in UTC.
    pub fn parse(spec: &str) -> Result<Schedule, ScheduleError> {
        // upstream: robfig/cron parser.go: Parser.Parse
        if spec.is_empty() {
            return Err(ScheduleError::Empty);
        }
        let mut rest = spec;
        let mut zone = None;
        if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
            let space = spec.find(' ').ok_or(ScheduleError::MissingSpaceAfterZone)?;
            let eq = spec.find('=').unwrap_or(0);
            let name = spec.get(eq.saturating_add(1)..space).unwrap_or("");
            zone = Some(load_zone(name)?);
            rest = spec.get(space..).unwrap_or("").trim();
        }
        let kind = if rest.starts_with('@') { descriptor(rest)? } else { fields(rest)? };
        Ok(Schedule { source: spec.to_owned(), zone, kind })
    }

    /// The spec as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The zone of a `TZ=` / `CRON_TZ=` prefix; `None` means UTC.
    pub fn zone(&self) -> Option<Tz> {
        self.zone
    }

    /// Whether this is an `@every` schedule (anchored on the time passed in,
    /// not on the clock).
    pub fn is_every(&self) -> bool {
        matches!(self.kind, Kind::Every(_))
    }

    /// The earliest time strictly after `t` that the schedule names (robfig:
    /// `Schedule.Next`), or `None` when there is none within five years
    /// (robfig's zero time).
    pub fn next_after(&self, t: Time) -> Option<Time> {
        let after = t.unix();
        let next = match &self.kind {
            // upstream: constantdelay.go: ConstantDelaySchedule.Next (Time has
            // whole seconds, so there is no sub-second part to drop).
            Kind::Every(delay) => after.checked_add(*delay),
            Kind::Spec(spec) => match self.zone {
                None => spec.next_fixed(after, utc_offset(), year_limit(after, utc_offset())),
                Some(tz) => spec.next_in_zone(after, tz),
            },
        }?;
        Utc.timestamp_opt(next, 0).single().map(Time)
    }

    /// Whether the schedule names exactly `t`.
    pub fn fires_at(&self, t: Time) -> bool {
        self.next_after(t.add_seconds(-1)) == Some(t)
    }

    /// The most recent scheduled time after `earliest` and not after `now`,
    /// with the number of missed times, as upstream estimates them
    /// (upstream: pkg/controller/cronjob/utils.go: `mostRecentScheduleTime`,
    /// from `t1 = Next(earliest)` and its interval `t2 - t1`). The cost is a
    /// few `Next` calls whatever the gap: the count is computed, not
    /// iterated.
    ///
    /// Errors with [`ScheduleError::NeverFires`] when the schedule never
    /// fires after `earliest` or fires again less than a second later.
    pub fn missed(&self, earliest: Time, now: Time) -> Result<Missed, ScheduleError> {
        let none = Missed { most_recent: None, count: 0 };
        // The engine starts in 1970: a search from before it starts at the
        // last second of 1969 (module docs, Deviations).
        let earliest = if self.is_every() { earliest } else { earliest.max(Time::EPOCH.add_seconds(-1)) };
        let Some(t1) = self.next_after(earliest) else {
            // upstream: Next returns the zero time, which is before now; t2
            // is the zero time too and the interval is 0.
            return Err(ScheduleError::NeverFires);
        };
        if now < t1 {
            return Ok(none);
        }
        let t2 = self.next_after(t1).ok_or(ScheduleError::NeverFires)?;
        if now < t2 {
            return Ok(Missed { most_recent: Some(t1), count: 0 });
        }
        let interval = t2.seconds_since(t1);
        if interval < 1 {
            return Err(ScheduleError::NeverFires);
        }
        let elapsed = now.seconds_since(t1);
        let count = (elapsed / interval).saturating_add(1);
        // Back two intervals from the estimate, then let Next find the real
        // times (upstream: potentialEarliest).
        let back = count.saturating_sub(2).saturating_mul(interval);
        let mut cursor = t1.add_seconds(back);
        let mut most_recent = None;
        for _ in 0..MISSED_SCAN_LIMIT {
            match self.next_after(cursor) {
                Some(t) if t <= now => {
                    most_recent = Some(t);
                    cursor = t;
                }
                _ => break,
            }
        }
        Ok(Missed { most_recent, count })
    }
}

fn utc_offset() -> FixedOffset {
    Utc.fix()
}

/// robfig's `time.LoadLocation`: `""` and `UTC` are UTC, `Local` is the
/// process zone (UTC here), anything else comes from the tz database.
fn load_zone(name: &str) -> Result<Tz, ScheduleError> {
    match name {
        "" | "UTC" | "Local" => Ok(Tz::UTC),
        _ => name.parse::<Tz>().map_err(|_| ScheduleError::UnknownZone { zone: name.to_owned() }),
    }
}

/// The last local year robfig searches: five past the year of `after + 1s`
/// in `offset`.
fn year_limit(after: i64, offset: FixedOffset) -> i32 {
    offset
        .timestamp_opt(after.saturating_add(1), 0)
        .single()
        .map_or(i32::MAX, |d| d.year().saturating_add(YEAR_LIMIT))
}

fn offset_at(tz: Tz, secs: i64) -> Option<FixedOffset> {
    let utc = DateTime::<Utc>::from_timestamp(secs, 0)?;
    Some(tz.offset_from_utc_datetime(&utc.naive_utc()).fix())
}

/// The first instant in `(lo, hi]` whose offset in `tz` is not `o`, given
/// that `lo` has offset `o`. The offset is sampled weekly, then bisected.
fn first_change(tz: Tz, lo: i64, hi: i64, o: FixedOffset) -> Option<i64> {
    let mut lo = lo;
    while lo < hi {
        let probe = if hi.saturating_sub(lo) > WEEK { lo.saturating_add(WEEK) } else { hi };
        if offset_at(tz, probe) != Some(o) {
            let mut good = lo;
            let mut bad = probe;
            while bad.saturating_sub(good) > 1 {
                let mid = good.saturating_add(bad.saturating_sub(good) / 2);
                if offset_at(tz, mid) == Some(o) {
                    good = mid;
                } else {
                    bad = mid;
                }
            }
            return Some(bad);
        }
        lo = probe;
    }
    None
}

impl Spec {
    /// The first time after `after` whose wall-clock time in the fixed
    /// offset `o` matches, if its local year is at most `limit`.
    fn next_fixed(&self, after: i64, o: FixedOffset, limit: i32) -> Option<i64> {
        let start = o.timestamp_opt(after, 0).single()?;
        // The engine covers 1970-2100 and adds a second without checking.
        if !(1969..=2100).contains(&start.year()) {
            return None;
        }
        let mut best: Option<DateTime<FixedOffset>> = None;
        for engine in &self.engines {
            if let Some(c) = engine.after(&start).next()
                && best.as_ref().is_none_or(|b| c < *b)
            {
                best = Some(c);
            }
        }
        best.filter(|b| b.year() <= limit).map(|b| b.timestamp())
    }

    /// robfig's `Next` in a zone: the earliest instant after `after` whose
    /// wall-clock time in the zone matches. The zone's timeline is walked
    /// stretch by stretch (constant offset); in each stretch the `cron`
    /// engine runs in that fixed offset, and a candidate counts only if it
    /// lies inside the stretch.
    fn next_in_zone(&self, after: i64, tz: Tz) -> Option<i64> {
        let limit = year_limit(after, offset_at(tz, after.saturating_add(1))?);
        let mut from = after;
        // Each round moves to the next zone transition; five years hold a
        // dozen or so.
        for _ in 0..256 {
            let o = offset_at(tz, from.saturating_add(1))?;
            let candidate = self.next_fixed(from, o, limit.saturating_add(1))?;
            match first_change(tz, from.saturating_add(1), candidate, o) {
                None => {
                    let year = o.timestamp_opt(candidate, 0).single()?.year();
                    return (year <= limit).then_some(candidate);
                }
                Some(change) => from = change.saturating_sub(1),
            }
        }
        None
    }
}

/// `@every <duration>` and the fixed descriptors
/// (upstream: parser.go: parseDescriptor).
fn descriptor(spec: &str) -> Result<Kind, ScheduleError> {
    let all = |b: &Bounds| bits(b.min, b.max, 1);
    let (minute, hour, dom, month, dow) = match spec {
        "@yearly" | "@annually" => (1, 1, 1 << 1, 1 << 1, all(&DOW)),
        "@monthly" => (1, 1, 1 << 1, all(&MONTH), all(&DOW)),
        "@weekly" => (1, 1, all(&DOM), all(&MONTH), 1),
        "@daily" | "@midnight" => (1, 1, all(&DOM), all(&MONTH), all(&DOW)),
        "@hourly" => (1, all(&HOUR), all(&DOM), all(&MONTH), all(&DOW)),
        _ => {
            return match spec.strip_prefix("@every ") {
                Some(d) => {
                    let nanos = go_duration(d)
                        .map_err(|message| ScheduleError::Duration { spec: spec.to_owned(), message })?;
                    // upstream: constantdelay.go: Every (at least a second,
                    // sub-second part dropped).
                    let secs = (nanos / 1_000_000_000).max(1);
                    Ok(Kind::Every(i64::try_from(secs).unwrap_or(i64::MAX)))
                }
                None => Err(ScheduleError::Descriptor(spec.to_owned())),
            };
        }
    };
    // Every descriptor has a star in a day field (robfig's `all` sets it),
    // so its days are AND-ed.
    let spec = Spec::new(minute, hour, dom, month, dow, true, true)?;
    Ok(Kind::Spec(Box::new(spec)))
}

/// Five fields (upstream: parser.go: Parse, getField).
fn fields(spec: &str) -> Result<Kind, ScheduleError> {
    let parts: Vec<&str> = spec.split_whitespace().collect();
    let [minute, hour, dom, month, dow] = parts.as_slice() else {
        return Err(ScheduleError::FieldCount { found: parts.len(), fields: parts.join(" ") });
    };
    let (minute, _) = field(minute, &MINUTE)?;
    let (hour, _) = field(hour, &HOUR)?;
    let (dom, dom_star) = field(dom, &DOM)?;
    let (month, _) = field(month, &MONTH)?;
    let (dow, dow_star) = field(dow, &DOW)?;
    Ok(Kind::Spec(Box::new(Spec::new(minute, hour, dom, month, dow, dom_star, dow_star)?)))
}

/// A comma-separated list of ranges: the bits and the star flag.
fn field(text: &str, b: &Bounds) -> Result<(u64, bool), ScheduleError> {
    let mut out = 0u64;
    let mut star = false;
    for expr in text.split(',').filter(|e| !e.is_empty()) {
        let (bits, s) = range(expr, b)?;
        out |= bits;
        star |= s;
    }
    Ok((out, star))
}

/// One range `*|?|a|a-b` with an optional `/step` (upstream: getRange).
fn range(expr: &str, b: &Bounds) -> Result<(u64, bool), ScheduleError> {
    let err = ScheduleError::Field;
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_high: Vec<&str> = range_and_step.first().copied().unwrap_or("").split('-').collect();
    let single = low_high.len() == 1;
    let first = low_high.first().copied().unwrap_or("");
    let mut star = false;
    let (start, mut end) = if first == "*" || first == "?" {
        star = true;
        (i64::from(b.min), i64::from(b.max))
    } else {
        let start = int_or_name(first, b)?;
        let end = match low_high.as_slice() {
            [_] => start,
            [_, hi] => int_or_name(hi, b)?,
            _ => return Err(err(format!("too many hyphens: {expr}"))),
        };
        (start, end)
    };
    let step = match range_and_step.as_slice() {
        [_] => 1,
        [_, s] => {
            let step = must_parse_int(s)?;
            if single {
                end = i64::from(b.max);
            }
            if step > 1 {
                star = false;
            }
            step
        }
        _ => return Err(err(format!("too many slashes: {expr}"))),
    };
    if start < i64::from(b.min) {
        return Err(err(format!("beginning of range ({start}) below minimum ({}): {expr}", b.min)));
    }
    if end > i64::from(b.max) {
        return Err(err(format!("end of range ({end}) above maximum ({}): {expr}", b.max)));
    }
    if start > end {
        return Err(err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}")));
    }
    if step == 0 {
        return Err(err(format!("step of range should be a positive number: {expr}")));
    }
    // All three are within 0..=59 now.
    let (start, end) = (u32::try_from(start).unwrap_or(0), u32::try_from(end).unwrap_or(0));
    let step = u32::try_from(step).unwrap_or(u32::MAX);
    Ok((bits(start, end, step), star))
}

/// The bits `start, start+step, ... <= end` (upstream: getBits).
fn bits(start: u32, end: u32, step: u32) -> u64 {
    let mut out = 0u64;
    let mut i = start;
    while i <= end && i < 64 {
        out |= 1u64 << i;
        match i.checked_add(step.max(1)) {
            Some(n) => i = n,
            None => break,
        }
    }
    out
}

fn int_or_name(expr: &str, b: &Bounds) -> Result<i64, ScheduleError> {
    let lower = expr.to_ascii_lowercase();
    if let Some(i) = b.names.iter().position(|n| *n == lower) {
        return Ok(i64::try_from(i).unwrap_or(0).saturating_add(i64::from(b.name_offset)));
    }
    must_parse_int(expr)
}

/// Go's `strconv.Atoi` with robfig's messages (upstream: mustParseInt).
fn must_parse_int(expr: &str) -> Result<i64, ScheduleError> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ScheduleError::Field(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: invalid syntax"
        )));
    }
    let n: i64 = expr.parse().map_err(|_| {
        ScheduleError::Field(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: value out of range"
        ))
    })?;
    if n < 0 {
        return Err(ScheduleError::Field(format!("negative number ({n}) not allowed: {expr}")));
    }
    Ok(n)
}

/// Go's `time.ParseDuration`, in nanoseconds (negative durations give 0:
/// `@every` turns them into one second anyway).
fn go_duration(s: &str) -> Result<u128, String> {
    let bad = || format!("time: invalid duration {s:?}");
    let (negative, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if body == "0" {
        return Ok(0);
    }
    if body.is_empty() {
        return Err(bad());
    }
    let mut total: u128 = 0;
    let mut rest = body;
    while !rest.is_empty() {
        let int_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        let int_part = rest.get(..int_len).ok_or_else(bad)?;
        rest = rest.get(int_len..).ok_or_else(bad)?;
        let mut frac_part = "";
        if let Some(after_dot) = rest.strip_prefix('.') {
            let frac_len = after_dot.bytes().take_while(u8::is_ascii_digit).count();
            frac_part = after_dot.get(..frac_len).ok_or_else(bad)?;
            rest = after_dot.get(frac_len..).ok_or_else(bad)?;
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad());
        }
        let unit_len = rest.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(rest.len());
        let unit = rest.get(..unit_len).ok_or_else(bad)?;
        rest = rest.get(unit_len..).ok_or_else(bad)?;
        let scale: u128 = match unit {
            "" => return Err(format!("time: missing unit in duration {s:?}")),
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(format!("time: unknown unit {unit:?} in duration {s:?}")),
        };
        let whole: u128 = if int_part.is_empty() { 0 } else { int_part.parse().map_err(|_| bad())? };
        let mut value = whole.checked_mul(scale).ok_or_else(bad)?;
        // The fraction, digit by digit (Go keeps the precision it can).
        let mut unit_scale = scale;
        for d in frac_part.bytes() {
            unit_scale /= 10;
            if unit_scale == 0 {
                break;
            }
            value = value.saturating_add(u128::from(d.saturating_sub(b'0')).saturating_mul(unit_scale));
        }
        total = total.checked_add(value).ok_or_else(bad)?;
        if total > u128::from(i64::MAX.unsigned_abs()) {
            return Err(bad());
        }
    }
    Ok(if negative { 0 } else { total })
}

impl Spec {
    fn new(
        minute: u64,
        hour: u64,
        dom: u64,
        month: u64,
        dow: u64,
        dom_star: bool,
        dow_star: bool,
    ) -> Result<Spec, ScheduleError> {
        let list = |set: u64, b: &Bounds, shift: u32| -> String {
            if set == bits(b.min, b.max, 1) {
                return "*".to_owned();
            }
            let mut parts = Vec::new();
            for i in b.min..=b.max {
                if set & (1u64 << i) != 0 {
                    parts.push(i.saturating_add(shift).to_string());
                }
            }
            parts.join(",")
        };
        let m = list(minute, &MINUTE, 0);
        let h = list(hour, &HOUR, 0);
        let mo = list(month, &MONTH, 0);
        let d = list(dom, &DOM, 0);
        let w = list(dow, &DOW, 1);
        // upstream: spec.go: dayMatches (AND when a day field has the star
        // flag, OR otherwise).
        // A field of commas alone sets no bit (robfig's getField splits
        // with strings.FieldsFunc, which drops the empty items) and parses:
        // the times it would name do not exist. An engine needing such a
        // field is left out, and with no engine the schedule never fires
        // (robfig's zero time; the controller's InvalidSchedule).
        let texts = if [&m, &h, &mo].iter().any(|f| f.is_empty()) {
            Vec::new()
        } else if dom_star || dow_star {
            if d.is_empty() || w.is_empty() { Vec::new() } else { vec![format!("0 {m} {h} {d} {mo} {w}")] }
        } else {
            let by_dom = (!d.is_empty()).then(|| format!("0 {m} {h} {d} {mo} *"));
            let by_dow = (!w.is_empty()).then(|| format!("0 {m} {h} * {mo} {w}"));
            by_dom.into_iter().chain(by_dow).collect()
        };
        let mut engines = Vec::with_capacity(texts.len());
        for text in texts {
            let engine = cron::Schedule::from_str(&text)
                .map_err(|e| ScheduleError::Field(format!("internal schedule {text}: {e}")))?;
            engines.push(engine);
        }
        Ok(Spec { engines })
    }
}
