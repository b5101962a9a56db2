//! Cron schedules: tables mirroring robfig/cron v3 spec_test.go
//! (TestActivation, TestNext, TestErrors), parser_test.go (TestRange,
//! TestParseScheduleErrors, TestStandardSpecSchedule) and robfig's quirks
//! that semantics/cron.md §5 lists.
//! robfig's six-field (seconds) specs are rewritten as the five fields
//! Kubernetes accepts.

use kube_workloads::api::Time;
use kube_workloads::schedule::{Missed, Schedule, ScheduleError};

fn t(s: &str) -> Time {
    s.parse().expect("time")
}

fn sched(spec: &str) -> Schedule {
    Schedule::parse(spec).unwrap_or_else(|e| panic!("{spec}: {e}"))
}

fn next(spec: &str, from: &str) -> Option<String> {
    sched(spec).next_after(t(from)).map(|t| t.to_string())
}

// upstream: robfig/cron spec_test.go TestActivation
#[test]
fn activation() {
    let cases: &[(&str, &str, bool)] = &[
        ("2012-07-09T15:00:00Z", "0/15 * * *", true),
        ("2012-07-09T15:45:00Z", "0/15 * * *", true),
        ("2012-07-09T15:40:00Z", "0/15 * * *", false),
        ("2012-07-09T15:05:00Z", "5/15 * * *", true),
        ("2012-07-09T15:20:00Z", "5/15 * * *", true),
        ("2012-07-09T15:50:00Z", "5/15 * * *", true),
        ("2012-07-15T15:00:00Z", "0/15 * * Jul", true),
        ("2012-07-15T15:00:00Z", "0/15 * * Jun", false),
        ("2012-07-15T08:30:00Z", "30 08 ? Jul Sun", true),
        ("2012-07-15T08:30:00Z", "30 08 15 Jul ?", true),
        ("2012-07-16T08:30:00Z", "30 08 ? Jul Sun", false),
        ("2012-07-16T08:30:00Z", "30 08 15 Jul ?", false),
        ("2012-07-09T15:00:00Z", "@hourly", true),
        ("2012-07-09T15:04:00Z", "@hourly", false),
        ("2012-07-09T15:00:00Z", "@daily", false),
        ("2012-07-09T00:00:00Z", "@daily", true),
        ("2012-07-09T00:00:00Z", "@weekly", false),
        ("2012-07-08T00:00:00Z", "@weekly", true),
        ("2012-07-08T01:00:00Z", "@weekly", false),
        ("2012-07-08T00:00:00Z", "@monthly", false),
        ("2012-07-01T00:00:00Z", "@monthly", true),
        // DOM and DOW both restricted: either matches.
        ("2012-07-15T00:00:00Z", "* * 1,15 * Sun", true),
        ("2012-06-15T00:00:00Z", "* * 1,15 * Sun", true),
        ("2012-08-01T00:00:00Z", "* * 1,15 * Sun", true),
        // One of them has a star: both must match.
        ("2012-07-15T00:00:00Z", "* * * * Mon", false),
        // v3 clears the star of `*/10`: the days are OR-ed.
        ("2012-07-15T00:00:00Z", "* * */10 * Sun", true),
        ("2012-07-09T00:00:00Z", "* * 1,15 * *", false),
        ("2012-07-15T00:00:00Z", "* * 1,15 * *", true),
        ("2012-07-15T00:00:00Z", "* * */2 * Sun", true),
    ];
    for (time, spec, expected) in cases {
        // robfig's specs there have a leading seconds field "0" (dropped
        // above) and an optional day-of-week field.
        let five = if spec.split_whitespace().count() == 4 { format!("{spec} *") } else { spec.to_string() };
        let s = sched(&five);
        assert_eq!(s.fires_at(t(time)), *expected, "{five} at {time}");
    }
}

// upstream: robfig/cron spec_test.go TestNext (minute-resolution cases)
#[test]
fn next_table() {
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("2012-07-09T14:45:00Z", "0/15 * * * *", Some("2012-07-09T15:00:00Z")),
        ("2012-07-09T14:59:00Z", "0/15 * * * *", Some("2012-07-09T15:00:00Z")),
        ("2012-07-09T14:59:59Z", "0/15 * * * *", Some("2012-07-09T15:00:00Z")),
        ("2012-07-09T15:45:00Z", "20-35/15 * * * *", Some("2012-07-09T16:20:00Z")),
        ("2012-07-09T23:46:00Z", "*/15 * * * *", Some("2012-07-10T00:00:00Z")),
        ("2012-07-09T23:45:00Z", "20-35/15 * * * *", Some("2012-07-10T00:20:00Z")),
        ("2012-07-09T23:35:51Z", "20-35/15 * * * *", Some("2012-07-10T00:20:00Z")),
        ("2012-07-09T23:35:51Z", "20-35/15 1/2 * * *", Some("2012-07-10T01:20:00Z")),
        ("2012-07-09T23:35:51Z", "20-35/15 10-12 * * *", Some("2012-07-10T10:20:00Z")),
        ("2012-07-09T23:35:51Z", "20-35/15 1/2 */2 * *", Some("2012-07-11T01:20:00Z")),
        ("2012-07-09T23:35:51Z", "20-35/15 * 9-20 * *", Some("2012-07-10T00:20:00Z")),
        ("2012-07-09T23:35:51Z", "20-35/15 * 9-20 Jul *", Some("2012-07-10T00:20:00Z")),
        ("2012-07-09T23:35:00Z", "0 0 9 Apr-Oct ?", Some("2012-08-09T00:00:00Z")),
        // v3: `*/5` is no star, so the 1st of August matches.
        ("2012-07-09T23:35:00Z", "0 0 */5 Apr,Aug,Oct Mon", Some("2012-08-01T00:00:00Z")),
        ("2012-07-09T23:35:00Z", "0 0 */5 Oct Mon", Some("2012-10-01T00:00:00Z")),
        ("2012-07-09T23:35:00Z", "0 0 * Feb Mon", Some("2013-02-04T00:00:00Z")),
        ("2012-07-09T23:35:00Z", "0 0 * Feb Mon/2", Some("2013-02-01T00:00:00Z")),
        ("2012-12-31T23:59:45Z", "* * * * *", Some("2013-01-01T00:00:00Z")),
        ("2012-07-09T23:35:00Z", "0 0 29 Feb ?", Some("2016-02-29T00:00:00Z")),
        // Unsatisfiable: robfig's zero time.
        ("2012-07-09T23:35:00Z", "0 0 30 Feb ?", None),
        ("2012-07-09T23:35:00Z", "0 0 31 Apr ?", None),
        ("2016-05-19T10:00:00Z", "59 23 31 2 *", None),
        // robfig parser.go getField: strings.FieldsFunc drops empty items,
        // so a field of commas alone parses and sets no bit. A minute,
        // hour or month without a bit never matches; an empty day field
        // never matches either, and without a star the other day field
        // decides alone (dayMatches ORs them).
        ("2012-07-09T23:35:00Z", "0 0 , * *", None),
        ("2012-07-09T23:35:00Z", ", 0 * * *", None),
        ("2012-07-09T23:35:00Z", "0 0 * ,, *", None),
        ("2012-07-09T23:35:00Z", "0 0 * * ,", None),
        ("2012-07-09T23:35:00Z", "0 0 , * Mon", Some("2012-07-16T00:00:00Z")),
        ("2012-07-09T23:35:00Z", "0 0 15 * ,", Some("2012-07-15T00:00:00Z")),
        ("2012-07-09T23:35:00Z", ",0,, 0 * * *", Some("2012-07-10T00:00:00Z")),
    ];
    for (from, spec, expected) in cases {
        assert_eq!(next(spec, from).as_deref(), *expected, "{spec} after {from}");
    }
}

// upstream: robfig/cron spec_test.go TestNext, the America/New_York DST
// cases (2012-03-11 spring forward, 2012-11-04 fall back).
#[test]
fn next_across_new_york_dst() {
    let ny = |s: &str| format!("TZ=America/New_York {s}");
    let cases: &[(&str, &str, &str)] = &[
        // 2am EST -> 3am EDT: 02:30 does not exist on the 11th.
        ("2012-03-11T00:00:00-05:00", "30 2 11 Mar ?", "2013-03-11T02:30:00-04:00"),
        ("2012-03-11T00:00:00-05:00", "0 * * * ?", "2012-03-11T01:00:00-05:00"),
        ("2012-03-11T01:00:00-05:00", "0 * * * ?", "2012-03-11T03:00:00-04:00"),
        ("2012-03-11T03:00:00-04:00", "0 * * * ?", "2012-03-11T04:00:00-04:00"),
        ("2012-03-11T04:00:00-04:00", "0 * * * ?", "2012-03-11T05:00:00-04:00"),
        ("2012-03-11T00:00:00-05:00", "0 1 * * ?", "2012-03-11T01:00:00-05:00"),
        ("2012-03-11T01:00:00-05:00", "0 1 * * ?", "2012-03-12T01:00:00-04:00"),
        ("2012-03-11T00:00:00-05:00", "0 2 * * ?", "2012-03-12T02:00:00-04:00"),
        // 2am EDT -> 1am EST: the repeated hour fires twice.
        ("2012-11-04T00:00:00-04:00", "30 2 04 Nov ?", "2012-11-04T02:30:00-05:00"),
        ("2012-11-04T01:45:00-04:00", "30 1 04 Nov ?", "2012-11-04T01:30:00-05:00"),
        ("2012-11-04T00:00:00-04:00", "0 * * * ?", "2012-11-04T01:00:00-04:00"),
        ("2012-11-04T01:00:00-04:00", "0 * * * ?", "2012-11-04T01:00:00-05:00"),
        ("2012-11-04T01:00:00-05:00", "0 * * * ?", "2012-11-04T02:00:00-05:00"),
        ("2012-11-04T00:00:00-04:00", "0 1 * * ?", "2012-11-04T01:00:00-04:00"),
        ("2012-11-04T01:00:00-04:00", "0 1 * * ?", "2012-11-04T01:00:00-05:00"),
        ("2012-11-04T01:00:00-05:00", "0 1 * * ?", "2012-11-05T01:00:00-05:00"),
        ("2012-11-04T00:00:00-04:00", "0 2 * * ?", "2012-11-04T02:00:00-05:00"),
        ("2012-11-04T02:00:00-05:00", "0 2 * * ?", "2012-11-05T02:00:00-05:00"),
        ("2012-11-04T00:00:00-04:00", "0 3 * * ?", "2012-11-04T03:00:00-05:00"),
        ("2012-11-04T03:00:00-05:00", "0 3 * * ?", "2012-11-05T03:00:00-05:00"),
    ];
    for (from, spec, expected) in cases {
        assert_eq!(next(&ny(spec), from), Some(t(expected).to_string()), "{spec} after {from}");
    }
}

// cron.md §4: every instant of the repeated hour whose wall clock matches
// fires (the `cron` crate iterating in the zone itself skips the EDT
// quarter hours, cron.md §5).
#[test]
fn repeated_hour_fires_every_instant() {
    let s = sched("TZ=America/New_York */15 * * * *");
    let mut at = t("2012-11-04T01:16:00-04:00");
    let mut seen = Vec::new();
    for _ in 0..6 {
        at = s.next_after(at).expect("next");
        seen.push(at.to_string());
    }
    assert_eq!(
        seen,
        [
            "2012-11-04T05:30:00Z", // 01:30 EDT
            "2012-11-04T05:45:00Z", // 01:45 EDT
            "2012-11-04T06:00:00Z", // 01:00 EST
            "2012-11-04T06:15:00Z",
            "2012-11-04T06:30:00Z",
            "2012-11-04T06:45:00Z",
        ]
    );
}

// A day whose midnight does not exist (cron.md §4): America/Sao_Paulo
// jumped from 00:00 to 01:00 on 2018-11-04.
#[test]
fn missing_midnight_skips_the_day() {
    assert_eq!(
        next("TZ=America/Sao_Paulo 0 0 * * *", "2018-11-03T12:00:00-03:00"),
        Some(t("2018-11-05T00:00:00-02:00").to_string())
    );
    assert_eq!(
        next("TZ=America/Sao_Paulo 0 1 * * *", "2018-11-03T12:00:00-03:00"),
        Some(t("2018-11-04T01:00:00-02:00").to_string())
    );
}

// Zones whose clocks jump at midnight: robfig's searches, step for step
// (spec.go Next: the day search's hour correction, the hour search's WRAP
// at hour 0 only, AddDate keeping the hour Go's time.Date landed on).
// Africa/Cairo jumped from 00:00 (+02) to 01:00 (+03) on Friday
// 2024-04-26, and on Friday 2014-05-16 and Friday 2014-08-01.
#[test]
fn midnight_jumps_follow_robfig() {
    // Thursdays at noon: from Thursday afternoon the hour search runs past
    // the missing midnight into Friday without checking the day again.
    assert_eq!(
        next("TZ=Africa/Cairo 0 12 * * 4", "2024-04-25T12:30:00+02:00"),
        Some(t("2024-04-26T12:00:00+03:00").to_string())
    );
    // Fridays at noon: the day search lands on Friday 01:00, steps back to
    // Thursday 23:00, and its next step goes to Saturday: that Friday is
    // skipped.
    assert_eq!(
        next("TZ=Africa/Cairo 0 12 * * 5", "2024-04-25T13:00:00+02:00"),
        Some(t("2024-05-03T12:00:00+03:00").to_string())
    );
    // A day without a jump is unaffected.
    assert_eq!(
        next("TZ=Africa/Cairo 0 12 * * 5", "2024-05-01T13:00:00+03:00"),
        Some(t("2024-05-03T12:00:00+03:00").to_string())
    );
    // Saturdays and Fridays, from the Monday before 2014-05-16: Friday is
    // skipped, Saturday's midnight comes first.
    assert_eq!(
        next("TZ=Africa/Cairo * * * * 6,5", "2014-05-12T10:37:47Z"),
        Some(t("2014-05-17T00:00:00+03:00").to_string())
    );
    // The month search steps from 00:00 on the first of each month; landing
    // on the missing midnight of 2014-08-01 it keeps 01:00 for September
    // and October, so the first of October at 00:56 is never reached.
    assert_eq!(
        next("TZ=Africa/Cairo 56-57 0 * 10-11 *", "2014-01-05T09:40:05Z"),
        Some(t("2014-10-02T00:56:00+02:00").to_string())
    );
}

// Europe/Berlin 2024: 02:30 is skipped on 31 March and runs twice on 27
// October.
#[test]
fn berlin_half_past_two() {
    let s = sched("TZ=Europe/Berlin 30 2 * * *");
    let runs: Vec<String> =
        std::iter::successors(s.next_after(t("2024-03-29T12:00:00Z")), |at| s.next_after(*at))
            .take(3)
            .map(|t| t.to_string())
            .collect();
    assert_eq!(runs, ["2024-03-30T01:30:00Z", "2024-04-01T00:30:00Z", "2024-04-02T00:30:00Z"]);
    let runs: Vec<String> =
        std::iter::successors(s.next_after(t("2024-10-26T12:00:00Z")), |at| s.next_after(*at))
            .take(3)
            .map(|t| t.to_string())
            .collect();
    assert_eq!(runs, ["2024-10-27T00:30:00Z", "2024-10-27T01:30:00Z", "2024-10-28T01:30:00Z"]);
}

// upstream: robfig/cron spec_test.go TestNextWithTz (a +05:30 zone).
#[test]
fn next_with_half_hour_zone() {
    let s = "TZ=Asia/Kolkata 14 14 * * *";
    assert_eq!(next(s, "2016-01-03T13:09:03+05:30"), Some(t("2016-01-03T14:14:00+05:30").to_string()));
    assert_eq!(next(s, "2016-01-03T04:09:03+05:30"), Some(t("2016-01-03T14:14:00+05:30").to_string()));
    assert_eq!(next(s, "2016-01-03T14:09:03+05:30"), Some(t("2016-01-03T14:14:00+05:30").to_string()));
    assert_eq!(next(s, "2016-01-03T14:00:00+05:30"), Some(t("2016-01-03T14:14:00+05:30").to_string()));
}

// upstream: robfig/cron spec_test.go TestErrors, parser_test.go
// TestParseScheduleErrors / TestRange error rows, and the cron.md §1 rules.
#[test]
fn errors() {
    let cases: &[(&str, &str)] = &[
        ("", "empty spec string"),
        ("xyz", "expected exactly 5 fields, found 1: [xyz]"),
        ("60 0 * * *", "end of range (60) above maximum (59): 60"),
        ("0 60 * * *", "end of range (60) above maximum (23): 60"),
        ("0 0 * * XYZ", "failed to parse int from XYZ"),
        ("TZ=Bogus * * * * *", "provided bad location Bogus: unknown time zone Bogus"),
        // time.LoadLocation refuses ".." and a leading slash before any lookup.
        ("TZ=a..b * * * * *", "provided bad location a..b: time: invalid location name"),
        ("TZ=/etc/UTC * * * * *", "provided bad location /etc/UTC: time: invalid location name"),
        ("0-0-0 * * * *", "too many hyphens: 0-0-0"),
        ("*/5/5 * * * *", "too many slashes: */5/5"),
        ("59-2 * * * *", "beginning of range (59) beyond end of range (2): 59-2"),
        ("* 5 j * *", "failed to parse int from j"),
        ("@every Xm", "failed to parse duration @every Xm"),
        ("@unrecognized", "unrecognized descriptor: @unrecognized"),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        // Six fields (the `cron` crate's seconds field) are rejected.
        ("0 * * * * *", "expected exactly 5 fields, found 6"),
        // Day of week 7 is rejected (the `cron` crate's Saturday).
        ("* * * * 7", "end of range (7) above maximum (6): 7"),
        ("* * * * 1-7", "end of range (7) above maximum (6): 1-7"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("15/0 * * * *", "step of range should be a positive number: 15/0"),
        ("*/-12 * * * *", "negative number (-12) not allowed: -12"),
        ("-1 * * * *", "failed to parse int from"),
        ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("* * * 13 *", "end of range (13) above maximum (12): 13"),
        ("* * * jan-x *", "failed to parse int from x"),
        ("* * * * monday", "failed to parse int from monday"),
        // strconv.Atoi: 19 bytes and more go through ParseUint, which
        // reports a uint64 overflow before a later bad character.
        (
            "99999999999999999999a * * * *",
            "failed to parse int from 99999999999999999999a: strconv.Atoi: parsing \"99999999999999999999a\": value out of range",
        ),
        (
            "9999999999999999999a * * * *",
            "failed to parse int from 9999999999999999999a: strconv.Atoi: parsing \"9999999999999999999a\": invalid syntax",
        ),
        // time.ParseDuration reads the integer (leadingInt) before the unit.
        (
            "@every 99999999999999999999",
            "failed to parse duration @every 99999999999999999999: time: invalid duration \"99999999999999999999\"",
        ),
        ("@every 5", "time: missing unit in duration \"5\""),
        ("@daily ", "unrecognized descriptor: @daily "),
    ];
    for (spec, message) in cases {
        match Schedule::parse(spec) {
            Ok(_) => panic!("{spec:?} parsed"),
            Err(e) => assert!(e.to_string().contains(message), "{spec:?}: {e} (want {message})"),
        }
    }
    assert_eq!(Schedule::parse(""), Err(ScheduleError::Empty));
    assert_eq!(
        Schedule::parse("CRON_TZ=Mars/Base * * * * *"),
        Err(ScheduleError::UnknownZone { zone: "Mars/Base".into() })
    );
    // upstream: pkg/util/parsers/parsers_test.go TestParseCronSchedulePanicRecovery:
    // a zone prefix with no space after it panics in robfig's parser; the
    // recovered panic's text is the error.
    for spec in ["TZ=UTC", "TZ=", "CRON_TZ=0", "TZ=Invalid/Timezone"] {
        assert_eq!(
            Schedule::parse(spec).map_err(|e| e.to_string()),
            Err("invalid schedule format: runtime error: slice bounds out of range [:-1]".to_owned()),
            "{spec}"
        );
    }
}

// upstream: robfig/cron parser_test.go TestRange / TestField (through whole
// specs) and TestStandardSpecSchedule; cron.md §1.
#[test]
fn grammar() {
    let from = "2012-07-09T00:00:30Z"; // a Monday
    let cases: &[(&str, &str)] = &[
        ("5 * * * *", "2012-07-09T00:05:00Z"),
        ("5-5 * * * *", "2012-07-09T00:05:00Z"),
        ("5-6/2 * * * *", "2012-07-09T00:05:00Z"),
        ("5-7/2 * * * *", "2012-07-09T00:05:00Z"),
        ("+5 * * * *", "2012-07-09T00:05:00Z"),
        ("08 * * * *", "2012-07-09T00:08:00Z"),
        ("? * * * *", "2012-07-09T00:01:00Z"),
        ("*-5 * * * *", "2012-07-09T00:01:00Z"),
        (",,5,, * * * *", "2012-07-09T00:05:00Z"),
        // `a/step` runs to the end of the range: 50,55.
        ("50/5 * * * *", "2012-07-09T00:50:00Z"),
        // Names are case-insensitive, in ranges and with steps.
        ("0 0 * * TUE-fri", "2012-07-10T00:00:00Z"),
        ("0 0 1 aUg *", "2012-08-01T00:00:00Z"),
        ("0 0 * * Wed/2", "2012-07-11T00:00:00Z"),
        // Lower-cased as Go's strings.ToLower: U+0130 (İ) becomes `i`.
        ("0 0 * * FR\u{130}", "2012-07-13T00:00:00Z"),
        // Sunday is 0.
        ("0 0 * * 0", "2012-07-15T00:00:00Z"),
        ("0 0 * * SUN", "2012-07-15T00:00:00Z"),
        // Descriptors.
        ("@yearly", "2013-01-01T00:00:00Z"),
        ("@annually", "2013-01-01T00:00:00Z"),
        ("@monthly", "2012-08-01T00:00:00Z"),
        ("@weekly", "2012-07-15T00:00:00Z"),
        ("@daily", "2012-07-10T00:00:00Z"),
        ("@midnight", "2012-07-10T00:00:00Z"),
        ("@hourly", "2012-07-09T01:00:00Z"),
        // `?` in every field.
        ("0 ? ? ? ?", "2012-07-09T01:00:00Z"),
        // Leading and repeated whitespace.
        ("  5   *\t* * *", "2012-07-09T00:05:00Z"),
        // A zone prefix, with its rest trimmed; `UTC`, `Local` and `` are UTC.
        ("TZ=UTC   5 * * * *", "2012-07-09T00:05:00Z"),
        ("CRON_TZ=Local 5 * * * *", "2012-07-09T00:05:00Z"),
        ("TZ= 5 * * * *", "2012-07-09T00:05:00Z"),
        ("TZ=Europe/Berlin @daily", "2012-07-09T22:00:00Z"),
    ];
    for (spec, expected) in cases {
        assert_eq!(next(spec, from).as_deref(), Some(*expected), "{spec}");
    }
}

// The star rule (cron.md §2): `*/2` is not a star, `*,1` and `?` are.
#[test]
fn day_rule() {
    // From Sunday 2012-07-01: odd days OR Mondays.
    let from = "2012-07-01T00:00:00Z";
    let fires = |spec: &str| -> Vec<String> {
        let s = sched(spec);
        std::iter::successors(s.next_after(t(from)), |at| s.next_after(*at))
            .take(4)
            .map(|t| t.to_string().get(..10).unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(fires("0 0 */2 * 1"), ["2012-07-02", "2012-07-03", "2012-07-05", "2012-07-07"]);
    assert_eq!(fires("0 0 *,1 * 1"), ["2012-07-02", "2012-07-09", "2012-07-16", "2012-07-23"]);
    assert_eq!(fires("0 0 ? * 1"), ["2012-07-02", "2012-07-09", "2012-07-16", "2012-07-23"]);
    assert_eq!(fires("0 0 * * Mon"), ["2012-07-02", "2012-07-09", "2012-07-16", "2012-07-23"]);
    // The `cron` crate would AND these: robfig ORs them.
    assert_eq!(fires("0 0 1,15 * Sun"), ["2012-07-08", "2012-07-15", "2012-07-22", "2012-07-29"]);
    // `*/1` keeps the star.
    assert_eq!(fires("0 0 */1 * 1"), ["2012-07-02", "2012-07-09", "2012-07-16", "2012-07-23"]);
}

// @every: a Go duration, anchored on the time passed in (constantdelay.go).
#[test]
fn every() {
    let cases: &[(&str, &str)] = &[
        ("@every 1h30m", "2012-07-09T01:30:07Z"),
        ("@every 1.5h", "2012-07-09T01:30:07Z"),
        ("@every 90s", "2012-07-09T00:01:37Z"),
        ("@every 300ms", "2012-07-09T00:00:08Z"),
        ("@every 1500ms", "2012-07-09T00:00:08Z"),
        ("@every 0", "2012-07-09T00:00:08Z"),
        ("@every -5m", "2012-07-09T00:00:08Z"),
        ("@every 2h0m0.9s", "2012-07-09T02:00:07Z"),
        ("@every 1µs", "2012-07-09T00:00:08Z"),
        // Go's float64 step for a fraction (time.ParseDuration): 16 nines
        // round up to the whole second, where digit-by-digit arithmetic
        // gives 1.999999999 s (Every truncates that to 1 s).
        ("@every 1.9999999999999999s", "2012-07-09T00:00:09Z"),
        ("@every 0.9999999999999999h", "2012-07-09T01:00:07Z"),
        // Exactly -2^63 ns parses (a negative total may reach 2^63); Every
        // makes it one second.
        ("@every -2562047h47m16.854775808s", "2012-07-09T00:00:08Z"),
    ];
    for (spec, expected) in cases {
        assert_eq!(next(spec, "2012-07-09T00:00:07Z").as_deref(), Some(*expected), "{spec}");
        assert!(sched(spec).is_every());
    }
    for bad in [
        "@every",
        "@every 5",
        "@every 5x",
        "@every .s",
        "@every 1h-",
        "@every 9999999999h",
        // 2^63 ns: only its negative fits Go's Duration.
        "@every 2562047h47m16.854775808s",
        "@every 9223372036854775808ns",
    ] {
        assert!(Schedule::parse(bad).is_err(), "{bad}");
    }
}

// upstream: pkg/controller/cronjob/utils_test.go TestMostRecentScheduleTime
// (the schedule part: `earliest` is what the controller computes).
#[test]
fn most_recent_schedule_time() {
    let top = t("2016-05-19T10:00:00Z");
    let at = |secs: i64| top.add_seconds(secs);
    let m = |most_recent: Option<Time>, count: i64| Ok(Missed { most_recent, count });
    type Row = (&'static str, &'static str, Time, Time, Result<Missed, ScheduleError>);
    let cases: Vec<Row> = vec![
        ("now before next schedule", "0 * * * *", top, at(30), m(None, 0)),
        ("now just after next schedule", "0 * * * *", top, at(61 * 60), m(Some(at(3600)), 0)),
        ("missed 5 schedules", "0 * * * *", at(10), at(301 * 60), m(Some(at(300 * 60)), 5)),
        (
            "complex schedule",
            "30 6-16/4 * * 1-5",
            at(1800),
            at(24 * 3600 + 31 * 60),
            m(Some(at(24 * 3600 + 1800)), 6),
        ),
        ("another complex schedule", "30 10,11,12 * * 1-5", at(1800), at(30 * 3600 + 1800), m(None, 30)),
        (
            "complex schedule with longer diff between executions",
            "30 6-16/4 * * 1-5",
            at(1800),
            at(96 * 3600 + 31 * 60),
            m(Some(at(96 * 3600 + 1800)), 24),
        ),
        (
            "complex schedule with shorter diff between executions",
            "30 6-16/4 * * 1-5",
            top,
            at(24 * 3600 + 31 * 60),
            m(Some(at(24 * 3600 + 1800)), 7),
        ),
        // includeSDS is off upstream: earliest is lastScheduleTime.
        (
            "@every schedule",
            "@every 1h",
            at(60),
            at(7 * 24 * 3600),
            m(Some(at(6 * 24 * 3600 + 23 * 3600 + 60)), 168),
        ),
        ("rogue cronjob", "59 23 31 2 *", at(10), at(3600), Err(ScheduleError::NeverFires)),
        ("earliest is lastScheduleTime", "0 * * * *", top, at(30), m(None, 0)),
        ("earliest is lastScheduleTime, */5", "*/5 * * * *", at(1800), at(31 * 60), m(None, 0)),
        ("outside startingDeadlineSeconds", "*/5 * * * *", at(31 * 60), at(32 * 60), m(None, 0)),
    ];
    for (name, spec, earliest, now, expected) in cases {
        let got = sched(spec).missed(earliest, now);
        match (&got, &expected) {
            (Ok(g), Ok(e)) => {
                assert_eq!(g.most_recent, e.most_recent, "{name}");
                // upstream only distinguishes none / few / many.
                assert_eq!(g.count == 0, e.count == 0, "{name}: {g:?}");
                assert_eq!(g.too_many(), e.count > 100, "{name}: {g:?}");
            }
            _ => assert_eq!(got, expected, "{name}"),
        }
    }
}

// upstream: mostRecentScheduleTime divides now.Sub(t1), and Go's Time.Sub
// saturates at about 292 years: from 1600, every fourth 29 February counts
// 74 missed times (not too many), not the 106 the calendar holds.
#[test]
fn missed_count_saturates_like_go() {
    let missed =
        sched("0 0 29 2 *").missed(t("1600-03-01T00:00:00Z"), t("2025-01-01T00:00:00Z")).expect("missed");
    assert_eq!(missed.count, 74);
    assert!(!missed.too_many());
    // (Its scan for the most recent time then meets 1900, no leap year,
    // where robfig's Next gives up; upstream's loop would start again from
    // year 1 and never end, so that time is not pinned here.)
}

// A year of per-minute schedules: the count is computed, not iterated.
#[test]
fn a_year_of_missed_minutes() {
    let s = sched("* * * * *");
    let missed = s.missed(t("2023-01-01T00:00:00Z"), t("2024-01-01T00:00:30Z")).expect("missed");
    assert_eq!(missed.most_recent, Some(t("2024-01-01T00:00:00Z")));
    assert_eq!(missed.count, 525_600);
    assert!(missed.too_many());
}

// Far ends of the range: no panic. Without the `cron` crate's years
// (1970-2100) the search runs wherever chrono's dates do.
#[test]
fn extreme_times_are_total() {
    let s = sched("* * * * *");
    assert_eq!(s.next_after(Time::from_unix(i64::MAX)), None);
    assert!(s.next_after(Time::from_unix(i64::MIN)).is_some());
    assert_eq!(sched("TZ=Europe/Berlin 0 0 * * *").next_after(Time::from_unix(i64::MAX)), None);
    assert_eq!(sched("@every 1h").next_after(Time::from_unix(i64::MAX)), None);
    assert_eq!(next("* * * * *", "2100-12-31T23:59:00Z").as_deref(), Some("2101-01-01T00:00:00Z"));
    assert_eq!(next("0 0 1 1 *", "1950-06-01T00:00:00Z").as_deref(), Some("1951-01-01T00:00:00Z"));
}

// upstream: robfig/cron v3 spec_test.go TestNext (the "Monthly job" row and
// the two Sao Paulo rows of issue #157, their zone written as a prefix, as
// a zone-less spec runs in UTC here; the hourly New York rows with the
// CRON_TZ spelling), constantdelay_test.go TestConstantDelayNext (as
// `@every`), parser_test.go TestRange / TestField (as whole specs) and
// TestParseSchedule's two-space and Tokyo rows.
#[test]
fn more_robfig_rows() {
    let cases: &[(&str, &str, &str)] = &[
        ("TZ=America/New_York 0 3 3 * ?", "2012-11-04T00:00:00-04:00", "2012-12-03T03:00:00-05:00"),
        ("TZ=America/Sao_Paulo 0 9 10 * ?", "2018-10-17T05:00:00-04:00", "2018-11-10T11:00:00Z"),
        ("TZ=America/Sao_Paulo 0 9 22 * ?", "2018-02-14T05:00:00-05:00", "2018-02-22T12:00:00Z"),
        ("CRON_TZ=America/New_York 0 * * * ?", "2012-03-11T00:00:00-05:00", "2012-03-11T01:00:00-05:00"),
        ("CRON_TZ=America/New_York 0 * * * ?", "2012-03-11T01:00:00-05:00", "2012-03-11T03:00:00-04:00"),
        ("CRON_TZ=America/New_York 0 * * * ?", "2012-03-11T03:00:00-04:00", "2012-03-11T04:00:00-04:00"),
        ("CRON_TZ=America/New_York 0 * * * ?", "2012-03-11T04:00:00-04:00", "2012-03-11T05:00:00-04:00"),
        ("@every 15m50ns", "2012-07-09T14:45:00Z", "2012-07-09T15:00:00Z"),
        ("@every 15m", "2012-07-09T14:59:59Z", "2012-07-09T15:14:59Z"),
        ("@every 25h44m24s", "2012-07-09T23:35:51Z", "2012-07-11T01:20:15Z"),
        ("@every 2184h25m", "2012-07-09T23:35:00Z", "2012-10-09T00:00:00Z"),
        ("@every 15s", "2012-12-31T23:59:45Z", "2013-01-01T00:00:00Z"),
        ("@every 15ms", "2012-07-09T14:45:00Z", "2012-07-09T14:45:01Z"),
        ("5-7/1 * * * *", "2012-07-09T00:05:30Z", "2012-07-09T00:06:00Z"),
        ("5-7/1 * * * *", "2012-07-09T00:07:30Z", "2012-07-09T01:05:00Z"),
        ("1,5-7/2,3 * * * *", "2012-07-09T00:01:30Z", "2012-07-09T00:03:00Z"),
        ("1,5-7/2,3 * * * *", "2012-07-09T00:05:30Z", "2012-07-09T00:07:00Z"),
        ("1,5-7/2,3 * * * *", "2012-07-09T00:07:30Z", "2012-07-09T01:01:00Z"),
        ("5,6,7 * * * *", "2012-07-09T00:06:30Z", "2012-07-09T00:07:00Z"),
        ("CRON_TZ=UTC  5 * * * *", "2012-07-09T00:00:00Z", "2012-07-09T00:05:00Z"),
        ("TZ=UTC  @midnight", "2012-07-09T00:00:30Z", "2012-07-10T00:00:00Z"),
        ("TZ=Asia/Tokyo @midnight", "2012-07-09T00:00:30Z", "2012-07-09T15:00:00Z"),
    ];
    for (spec, from, want) in cases {
        assert_eq!(next(spec, from), Some(t(want).to_string()), "{spec} after {from}");
    }
    // TestRange's errors, as whole specs.
    for (spec, message) in [
        ("5--5 * * * *", "too many hyphens"),
        ("*//2 * * * *", "too many slashes"),
        ("2-x * * * *", "failed to parse int from x"),
        ("TZ=America/New_York 15/0 * * * *", "step of range should be a positive number"),
        ("   ", "expected exactly 5 fields, found 0: []"),
    ] {
        let got = Schedule::parse(spec).map(|_| ()).map_err(|e| e.to_string());
        assert!(got.as_ref().is_err_and(|e| e.contains(message)), "{spec:?}: {got:?} (want {message})");
    }
}
