//! Property tests of `schedule`: `next_after` agrees with a brute-force
//! reading of robfig's rule (the first instant after `t`, at a whole minute,
//! whose wall-clock time in the zone matches the fields, days OR-ed when
//! both day fields are restricted), across DST changes; parsing never
//! panics.

use chrono::{Datelike, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use kube_workloads::api::Time;
use kube_workloads::schedule::Schedule;
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Fields {
    minutes: Vec<u32>,
    hours: Option<Vec<u32>>,
    doms: Option<Vec<u32>>,
    dows: Option<Vec<u32>>,
}

fn list(values: &Option<Vec<u32>>) -> String {
    match values {
        None => "*".to_owned(),
        Some(v) => v.iter().map(ToString::to_string).collect::<Vec<_>>().join(","),
    }
}

impl Fields {
    fn spec(&self) -> String {
        format!(
            "{} {} {} * {}",
            list(&Some(self.minutes.clone())),
            list(&self.hours),
            list(&self.doms),
            list(&self.dows)
        )
    }

    fn matches(&self, t: &chrono::DateTime<Tz>) -> bool {
        let has = |v: &Option<Vec<u32>>, x: u32| v.as_ref().is_none_or(|v| v.contains(&x));
        let dom = has(&self.doms, t.day());
        let dow = has(&self.dows, t.weekday().num_days_from_sunday());
        let day = if self.doms.is_none() || self.dows.is_none() { dom && dow } else { dom || dow };
        self.minutes.contains(&t.minute()) && has(&self.hours, t.hour()) && day
    }
}

fn fields() -> impl Strategy<Value = Fields> {
    (
        prop::collection::vec(0u32..60, 1..4),
        prop::option::of(prop::collection::vec(0u32..24, 1..4)),
        prop::option::of(prop::collection::vec(1u32..32, 1..3)),
        prop::option::of(prop::collection::vec(0u32..7, 1..3)),
    )
        .prop_map(|(minutes, hours, doms, dows)| Fields { minutes, hours, doms, dows })
}

/// The first matching instant within `limit` minutes after `from`.
fn brute_force(f: &Fields, tz: Tz, from: i64, limit: i64) -> Option<i64> {
    let mut minute = from.div_euclid(60).saturating_add(1).saturating_mul(60);
    let end = from.saturating_add(limit.saturating_mul(60));
    while minute <= end {
        let t = tz.from_utc_datetime(&Utc.timestamp_opt(minute, 0).single()?.naive_utc());
        if f.matches(&t) {
            return Some(minute);
        }
        minute = minute.saturating_add(60);
    }
    None
}

/// Starts around the 2024 DST changes in Europe and the US.
fn starts() -> impl Strategy<Value = i64> {
    let anchors = [
        1_711_846_800i64, // 2024-03-31T01:00:00Z (Europe spring forward)
        1_729_990_800,    // 2024-10-27T01:00:00Z (Europe fall back)
        1_710_140_400,    // 2024-03-11T07:00:00Z (US spring forward)
        1_730_613_600,    // 2024-11-03T06:00:00Z (US fall back)
    ];
    (0usize..4, -2 * 86_400i64..2 * 86_400).prop_map(move |(i, d)| anchors[i] + d)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn next_after_matches_brute_force(
        f in fields(),
        zone in prop_oneof![Just("UTC"), Just("Europe/Berlin"), Just("America/New_York"), Just("Asia/Kolkata")],
        from in starts(),
    ) {
        let tz: Tz = zone.parse().expect("zone");
        let spec = format!("TZ={zone} {}", f.spec());
        let s = Schedule::parse(&spec).expect("parse");
        // Three days of minutes; beyond that only check it is later.
        let limit = 3 * 1440;
        let expected = brute_force(&f, tz, from, limit);
        let got = s.next_after(Time::from_unix(from)).map(|t| t.unix());
        match expected {
            Some(e) => prop_assert_eq!(got, Some(e), "{} after {}", spec, from),
            None => prop_assert!(got.is_none_or(|g| g > from + limit * 60), "{} after {}: {:?}", spec, from, got),
        }
    }

    #[test]
    fn parse_never_panics(text in "[0-9*?,/@a-zA-Z =_-]{0,24}") {
        if let Ok(s) = Schedule::parse(&text) {
            let t = Time::from_unix(1_700_000_000);
            if let Some(n) = s.next_after(t) {
                prop_assert!(n > t);
            }
        }
    }
}
