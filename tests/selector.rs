//! Label selectors and IntOrString scaling, table-driven in the style of
//! upstream's tests:
//! - kubernetes/apimachinery pkg/labels/selector_test.go
//! - kubernetes/apimachinery pkg/apis/meta/v1/helpers_test.go
//! - kubernetes/apimachinery pkg/util/intstr/intstr_test.go
//!
//! The cases are written for this crate, modelled on upstream's tables.

use std::collections::{BTreeMap, HashMap};

use kube_workloads::api::{IntOrString, IntOrStringError, LabelSelector, ObjectMeta, StringMap};
use kube_workloads::selector::{
    Operator, Requirement, Selector, SelectorError, is_valid_label_key, is_valid_label_value,
    label_selector_as_map, parse_to_label_selector,
};
use proptest::prelude::*;

/// A literal label set.
type Pairs = &'static [(&'static str, &'static str)];

fn set(pairs: &[(&str, &str)]) -> StringMap {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn req(key: &str, op: Operator, values: &[&str]) -> Requirement {
    match Requirement::new(key, op, values.iter().copied()) {
        Ok(r) => r,
        Err(e) => panic!("Requirement::new({key:?}, {op}, {values:?}): {e}"),
    }
}

fn sel(reqs: Vec<Requirement>) -> Selector {
    Selector::everything().with_requirements(reqs)
}

fn label_selector(json: serde_json::Value) -> LabelSelector {
    serde_json::from_value(json).expect("LabelSelector JSON")
}

// upstream: selector_test.go TestSelectorParse — good strings re-string to
// themselves without spaces; bad strings are errors.
#[test]
fn selector_parse() {
    let good = ["x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"];
    for s in good {
        let parsed = Selector::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"));
        assert_eq!(parsed.to_string(), s.replace(' ', ""), "{s:?}");
    }
    let bad = ["x=a||y=b", "x==a==b", "!x=a", "x<a", "x>-1", "x=a b", ",", "x,", "x,,y"];
    for s in bad {
        assert!(Selector::parse(s).is_err(), "{s:?} should not parse");
    }
}

// upstream: selector_test.go TestDeterministicParse
#[test]
fn deterministic_parse() {
    let a = Selector::parse("x=a,a=x").unwrap();
    let b = Selector::parse("a=x,x=a").unwrap();
    assert_eq!(a.to_string(), b.to_string());
    assert_eq!(a, b);
    assert_eq!(a.to_string(), "a=x,x=a");
}

// upstream: selector_test.go TestEverything, TestNilMapIsValid, TestSetIsEmpty
#[test]
fn everything_and_nothing() {
    assert!(Selector::everything().matches(&set(&[("x", "y")])));
    assert!(Selector::everything().matches(&set(&[])));
    assert!(Selector::everything().is_everything());
    assert!(Selector::default().is_everything());
    assert_eq!(Selector::everything().to_string(), "");
    assert_eq!(Selector::everything().requirements(), Some(&[][..]));

    assert!(!Selector::nothing().matches(&set(&[])));
    assert!(!Selector::nothing().matches(&set(&[("x", "y")])));
    assert!(Selector::nothing().is_nothing());
    assert!(!Selector::nothing().is_everything());
    assert_eq!(Selector::nothing().to_string(), "");
    assert_eq!(Selector::nothing().requirements(), None);
    assert_ne!(Selector::nothing(), Selector::everything());
    assert!(Selector::nothing().with_requirement(req("x", Operator::Exists, &[])).is_nothing());

    assert!(Selector::from_map(&StringMap::new()).is_everything());
    assert!(Selector::parse("").unwrap().is_everything());
    assert!(Selector::parse(" \t\r\n").unwrap().is_everything());
}

// upstream: selector_test.go TestSelectorMatches
#[test]
fn selector_matches() {
    let cases: &[(&str, Pairs, bool)] = &[
        ("", &[("x", "y")], true),
        ("x=y", &[("x", "y")], true),
        ("x=y,z=w", &[("x", "y"), ("z", "w")], true),
        ("x!=y,z!=w", &[("x", "z"), ("z", "a")], true),
        ("notin=in", &[("notin", "in")], true),
        ("x", &[("x", "z")], true),
        ("!x", &[("y", "z")], true),
        ("x>1", &[("x", "2")], true),
        ("x<1", &[("x", "0")], true),
        ("x<1", &[("x", "-5")], true),
        ("x=z", &[], false),
        ("x=y", &[("x", "z")], false),
        ("x=y,z=w", &[("x", "w"), ("z", "w")], false),
        ("x!=y,z!=w", &[("x", "z"), ("z", "w")], false),
        ("x", &[("y", "z")], false),
        ("!x", &[("x", "z")], false),
        ("x>1", &[("x", "0")], false),
        ("x<1", &[("x", "2")], false),
        ("x>1", &[], false),
        ("x>1", &[("x", "two")], false),
        ("x>1", &[("x", "99999999999999999999")], false),
        // The empty value is a value, distinct from absent.
        ("x=", &[("x", "")], true),
        ("x=", &[], false),
        ("x!=", &[], true),
        ("x!=", &[("x", "")], false),
        ("x", &[("x", "")], true),
        ("x in (a,)", &[("x", "")], true),
        ("x notin (a,b)", &[], true),
        ("x notin (a,b)", &[("x", "b")], false),
        ("x notin (a,b)", &[("x", "c")], true),
        // Case-sensitive.
        ("x=Y", &[("x", "y")], false),
        ("X=y", &[("x", "y")], false),
        ("foo=bar", &[("foo", "bar"), ("baz", "blah")], true),
        ("baz=blah", &[("foo", "bar"), ("baz", "blah")], true),
        ("foo=bar,baz=blah", &[("foo", "bar"), ("baz", "blah")], true),
        ("foo=blah", &[("foo", "bar"), ("baz", "blah")], false),
        ("baz=bar", &[("foo", "bar"), ("baz", "blah")], false),
        ("foo=bar,foobar=bar,baz=blah", &[("foo", "bar"), ("baz", "blah")], false),
    ];
    for (selector, labels, want) in cases {
        let s = Selector::parse(selector).unwrap_or_else(|e| panic!("{selector:?}: {e}"));
        assert_eq!(s.matches(&set(labels)), *want, "{selector:?} against {labels:?}");
    }
}

// upstream: selector_test.go TestSetMatches (SelectorFromSet)
#[test]
fn set_matches() {
    let labels = set(&[("foo", "bar"), ("baz", "blah")]);
    let cases: &[(&[(&str, &str)], bool)] = &[
        (&[], true),
        (&[("foo", "bar")], true),
        (&[("baz", "blah")], true),
        (&[("foo", "bar"), ("baz", "blah")], true),
        (&[("foo", "blah")], false),
        (&[("foo", "bar"), ("foobar", "bar")], false),
        // Not validated, as upstream: a bad value simply never matches.
        (&[("foo", "=bar")], false),
    ];
    for (selector, want) in cases {
        assert_eq!(Selector::from_map(&set(selector)).matches(&labels), *want, "{selector:?}");
    }
    // The string form is sorted by key.
    assert_eq!(Selector::from_map(&set(&[("z", "1"), ("a", "2")])).to_string(), "a=2,z=1");
    // ValidatedSelectorFromSet checks keys and values.
    assert!(Selector::validated_from_map(&set(&[("foo", "=bar")])).is_err());
    assert!(Selector::validated_from_map(&set(&[("a b", "c")])).is_err());
    assert_eq!(
        Selector::validated_from_map(&set(&[("b", "1"), ("a", "")])).unwrap(),
        Selector::parse("a=,b=1").unwrap()
    );
    assert!(Selector::validated_from_map(&StringMap::new()).unwrap().is_everything());
}

// upstream: selector_test.go TestRequirementConstructor
#[test]
fn requirement_constructor() {
    let long_key = "a".repeat(254);
    let long_value = "v".repeat(64);
    let prefix_254 = format!("{}/x", "a".repeat(254));
    let prefix_253 = format!("{}/x", "a".repeat(253));
    let cases: &[(&str, Operator, &[&str], bool)] = &[
        ("x", Operator::In, &[], false),
        ("x", Operator::NotIn, &[], false),
        ("x", Operator::In, &["foo"], true),
        ("x", Operator::NotIn, &["foo"], true),
        ("x", Operator::In, &["foo", "bar", "foo"], true),
        ("x", Operator::In, &[""], true),
        ("x", Operator::Exists, &[], true),
        ("x", Operator::DoesNotExist, &[], true),
        ("x", Operator::Exists, &["a"], false),
        ("x", Operator::DoesNotExist, &["a"], false),
        ("x", Operator::Equals, &["a"], true),
        ("x", Operator::Equals, &[""], true),
        ("x", Operator::Equals, &[], false),
        ("x", Operator::DoubleEquals, &["a", "b"], false),
        ("x", Operator::NotEquals, &["a", "a"], false),
        ("1foo", Operator::In, &["bar"], true),
        ("1234", Operator::In, &["bar"], true),
        ("y", Operator::GreaterThan, &["1"], true),
        ("z", Operator::LessThan, &["6"], true),
        ("z", Operator::LessThan, &["9223372036854775807"], true),
        ("z", Operator::LessThan, &["9223372036854775808"], false),
        ("foo", Operator::GreaterThan, &["bar"], false),
        ("barz", Operator::LessThan, &["blah"], false),
        ("x", Operator::GreaterThan, &["-1"], false), // an integer, not a label value
        ("x", Operator::GreaterThan, &["+1"], false),
        ("x", Operator::GreaterThan, &[], false),
        ("x", Operator::GreaterThan, &["1", "2"], false),
        (&long_key, Operator::Exists, &[], false), // name part over 63
        (&"a".repeat(63), Operator::Exists, &[], true),
        (&prefix_253, Operator::Exists, &[], true), // the prefix has no per-label limit
        (&prefix_254, Operator::Exists, &[], false),
        ("example.com/name", Operator::Exists, &[], true),
        ("Example.com/name", Operator::Exists, &[], false),
        ("/name", Operator::Exists, &[], false),
        ("example.com/", Operator::Exists, &[], false),
        ("a/b/c", Operator::Exists, &[], false),
        ("", Operator::Exists, &[], false),
        ("-x", Operator::Exists, &[], false),
        ("x-", Operator::Exists, &[], false),
        ("x_y.z-1", Operator::Exists, &[], true),
        ("x", Operator::In, &[&long_value], false),
        ("x", Operator::In, &["-a"], false),
        ("x", Operator::In, &["a b"], false),
        ("x", Operator::In, &["é"], false),
    ];
    for (key, op, values, ok) in cases {
        let got = Requirement::new(*key, *op, values.iter().copied());
        assert_eq!(got.is_ok(), *ok, "{key:?} {op} {values:?}: {got:?}");
    }
}

#[test]
fn requirement_errors_are_typed() {
    assert!(matches!(
        Requirement::new("a b", Operator::Exists, None::<&str>),
        Err(SelectorError::InvalidKey { .. })
    ));
    assert_eq!(
        Requirement::new("x", Operator::Equals, ["a", "b"]),
        Err(SelectorError::ValueCount { operator: Operator::Equals, values: vec!["a".into(), "b".into()] })
    );
    // upstream: NewRequirement's field.Invalid on the values, printed as JSON
    // (1.34+), and RegexError's example list ("',  or '").
    let count = Requirement::new("x", Operator::Exists, ["a"]).err().map(|e| e.to_string());
    assert_eq!(
        count.as_deref(),
        Some("values: Invalid value: [\"a\"]: values set must be empty for exists and does not exist")
    );
    // LabelSelectorAsSelector passes a nil list when there are no values.
    let none = Requirement::new("x", Operator::In, None::<&str>).err().map(|e| e.to_string());
    assert_eq!(
        none.as_deref(),
        Some("values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty")
    );
    let key = Requirement::new("a b", Operator::Exists, None::<&str>).err().map(|e| e.to_string());
    assert!(
        key.as_deref().is_some_and(|k| k.contains("(e.g. 'MyName',  or 'my.name',  or '123-abc', regex")),
        "{key:?}"
    );
    let value = Requirement::new("x", Operator::Equals, ["-x"]).err().map(|e| e.to_string());
    assert!(
        value.as_deref().is_some_and(|v| v.contains("(e.g. 'MyValue',  or 'my_value',  or '12345', regex")),
        "{value:?}"
    );
    assert!(matches!(
        Requirement::new("x", Operator::GreaterThan, ["bar"]),
        Err(SelectorError::NotAnInteger { index: 0, .. })
    ));
    assert!(matches!(
        Requirement::new("x", Operator::In, ["ok", "-bad"]),
        Err(SelectorError::InvalidValue { index: 1, .. })
    ));
    // Several broken rules are all reported.
    let Err(SelectorError::Multiple(errors)) = Requirement::new("-", Operator::GreaterThan, ["-1", "x"])
    else {
        panic!("expected several errors");
    };
    assert!(errors.len() >= 4, "{errors:?}");
    // Messages follow upstream's wording.
    let msg = Requirement::new("x", Operator::In, Vec::<String>::new()).unwrap_err().to_string();
    assert!(msg.contains("for 'in', 'notin' operators, values set can't be empty"), "{msg}");
    let msg = Requirement::new("a/b/c", Operator::Exists, None::<&str>).unwrap_err().to_string();
    assert!(msg.contains("a qualified name must consist of alphanumeric characters"), "{msg}");
    // Unknown operator names.
    assert!(matches!("~=".parse::<Operator>(), Err(SelectorError::UnsupportedOperator { .. })));
    for op in [
        Operator::In,
        Operator::NotIn,
        Operator::Equals,
        Operator::DoubleEquals,
        Operator::NotEquals,
        Operator::Exists,
        Operator::DoesNotExist,
        Operator::GreaterThan,
        Operator::LessThan,
    ] {
        assert_eq!(op.as_str().parse::<Operator>(), Ok(op));
    }
}

// upstream: selector_test.go TestToString
#[test]
fn to_string() {
    let cases: Vec<(Vec<Requirement>, &str)> = vec![
        (
            vec![
                req("x", Operator::In, &["def", "abc"]),
                req("y", Operator::NotIn, &["jkl"]),
                req("z", Operator::Exists, &[]),
            ],
            "x in (abc,def),y notin (jkl),z",
        ),
        (
            vec![
                req("x", Operator::NotIn, &["abc", "def"]),
                req("y", Operator::NotEquals, &["jkl"]),
                req("z", Operator::DoesNotExist, &[]),
            ],
            "x notin (abc,def),y!=jkl,!z",
        ),
        (
            vec![
                req("x", Operator::NotIn, &["abc"]),
                req("y", Operator::In, &["jkl", "mno"]),
                req("z", Operator::NotIn, &[""]),
            ],
            "x notin (abc),y in (jkl,mno),z notin ()",
        ),
        (
            vec![
                req("x", Operator::Equals, &["abc"]),
                req("y", Operator::DoubleEquals, &["jkl"]),
                req("z", Operator::NotEquals, &["a"]),
                req("z", Operator::Exists, &[]),
            ],
            "x=abc,y==jkl,z!=a,z",
        ),
        (
            vec![
                req("x", Operator::GreaterThan, &["2"]),
                req("y", Operator::LessThan, &["8"]),
                req("z", Operator::Exists, &[]),
            ],
            "x>2,y<8,z",
        ),
        // Added out of order: sorted by key, stably.
        (
            vec![
                req("z", Operator::Exists, &[]),
                req("a", Operator::In, &["", "b"]),
                req("m", Operator::Equals, &[""]),
            ],
            "a in (,b),m=,z",
        ),
    ];
    for (reqs, want) in cases {
        let s = sel(reqs);
        assert_eq!(s.to_string(), want);
        // Every canonical string parses back to the same selector.
        assert_eq!(Selector::parse(want), Ok(s), "{want}");
    }
}

// upstream: selector_test.go TestRequirementSelectorMatching
#[test]
fn requirement_selector_matching() {
    let cases: Vec<(Pairs, Vec<Requirement>, bool)> = vec![
        (
            &[("x", "foo"), ("y", "baz")],
            vec![req("x", Operator::In, &["foo"]), req("y", Operator::NotIn, &["alpha"])],
            true,
        ),
        (
            &[("x", "foo"), ("y", "baz")],
            vec![req("x", Operator::In, &["foo"]), req("y", Operator::In, &["alpha"])],
            false,
        ),
        (&[("y", "")], vec![req("x", Operator::NotIn, &[""]), req("y", Operator::Exists, &[])], true),
        (&[("y", "")], vec![req("x", Operator::DoesNotExist, &[]), req("y", Operator::Exists, &[])], true),
        (&[("y", "")], vec![req("x", Operator::NotIn, &[""]), req("y", Operator::DoesNotExist, &[])], false),
        (&[("y", "baz")], vec![req("x", Operator::In, &[""])], false),
        (&[("z", "2")], vec![req("z", Operator::GreaterThan, &["1"])], true),
        (&[("z", "v2")], vec![req("z", Operator::GreaterThan, &["1"])], false),
        (&[("z", "1")], vec![req("z", Operator::GreaterThan, &["1"])], false),
        (&[("z", "1")], vec![req("z", Operator::LessThan, &["1"])], false),
    ];
    for (labels, reqs, want) in cases {
        let s = sel(reqs);
        let labels = set(labels);
        assert_eq!(s.matches(&labels), want, "{s} against {labels:?}");
        // The same answer through every label container.
        let btree: BTreeMap<String, String> = labels.clone().into_iter().collect();
        let hash: HashMap<String, String> = labels.clone().into_iter().collect();
        assert_eq!(s.matches(&btree), want);
        assert_eq!(s.matches(&hash), want);
        assert_eq!(s.matches_fn(|k| labels.get(k).map(String::as_str)), want);
        let meta = ObjectMeta { labels: Some(labels.clone()), ..Default::default() };
        assert_eq!(s.matches(&meta), want);
    }
}

// upstream: selector_test.go TestSetSelectorParser — Some(canonical) for
// valid input, None for an error.
#[test]
fn set_selector_parser() {
    let cases: &[(&str, Option<&str>)] = &[
        ("", Some("")),
        ("\rx", Some("x")),
        ("this-is-a-dns.domain.com/key-with-dash", Some("this-is-a-dns.domain.com/key-with-dash")),
        (
            "this-is-another-dns.domain.com/key-with-dash in (so,what)",
            Some("this-is-another-dns.domain.com/key-with-dash in (so,what)"),
        ),
        (
            "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)",
            Some("0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"),
        ),
        ("foo  in\t (abc)", Some("foo in (abc)")),
        ("x notin\n (abc)", Some("x notin (abc)")),
        ("x  notin\t\t\t(abc,def)", Some("x notin (abc,def)")),
        ("x in (abc,def)", Some("x in (abc,def)")),
        ("x in (abc,)", Some("x in (,abc)")),
        ("x in ()", Some("x in ()")),
        ("x notin (abc,def),bar,z in (),w", Some("bar,w,x notin (abc,def),z in ()")),
        ("x,y in (a)", Some("x,y in (a)")),
        ("x=a", Some("x=a")),
        ("x>1", Some("x>1")),
        ("x<7", Some("x<7")),
        ("x=a,y!=b", Some("x=a,y!=b")),
        ("x=a,y!=b,z in (h,i,j)", Some("x=a,y!=b,z in (h,i,j)")),
        ("x=a||y=b", None),
        ("x,y", Some("x,y")),
        (",x,y", None),
        ("x nott in (y)", None),
        ("x notin ( )", Some("x notin ()")),
        ("x notin (, a)", Some("x notin (,a)")),
        ("a in (xyz),", None),
        ("a in (xyz)b notin ()", None),
        ("a ", Some("a")),
        ("a in (x,y,notin, z,in)", Some("a in (in,notin,x,y,z)")),
        ("a in (xyz abc)", None),
        ("a notin(", None),
        ("a (", None),
        ("(", None),
        // Further grammar corners.
        ("x in (,)", Some("x in ()")),
        ("x in (a,,b)", Some("x in (,a,b)")),
        ("x in (a,a,b)", Some("x in (a,b)")),
        // Each comma stands alone (parseIdentifiersList no longer consumes
        // the second of ",,"): a run of commas before ")" adds the empty
        // value (selectors.md §4).
        ("x in (a,,)", Some("x in (,a)")),
        ("x in (,,)", Some("x in ()")),
        ("x in (a,,,,)", Some("x in (,a)")),
        ("x in (a,,,b)", Some("x in (,a,b)")),
        ("x in a", None),
        ("x in (a", None),
        ("x in (a))", None),
        ("x in ((a))", None),
        ("in in (in)", Some("in in (in)")),
        ("notin notin (notin)", Some("notin notin (notin)")),
        ("in", Some("in")),
        ("!in", Some("!in")),
        ("in=notin", Some("in=notin")),
        ("x==a", Some("x==a")),
        ("x === a", None),
        ("x!==a", None),
        ("x != a , y", Some("x!=a,y")),
        ("!x,!y", Some("!x,!y")),
        ("!", None),
        ("!!x", None),
        ("! x", Some("!x")),
        ("!x y", None),
        ("x y", None),
        ("x=y z", None),
        ("x~y", None),
        ("x=(a)", None),
        ("x>a", None),
        ("x>", None),
        ("x<99999999999999999999", None),
        ("x gt 1", None),
        ("x exists", None),
        ("=", None),
        ("x=a=b", None),
        ("x,!", None),
        ("é=1", None),
        ("x=é", None),
        ("a/b/c", None),
        ("example.com/a=b", Some("example.com/a=b")),
    ];
    for (input, want) in cases {
        let got = Selector::parse(input);
        match want {
            Some(canonical) => {
                let s = got.unwrap_or_else(|e| panic!("{input:?}: {e}"));
                assert_eq!(&s.to_string(), canonical, "{input:?}");
            }
            None => assert!(got.is_err(), "{input:?} should not parse, got {:?}", got.map(|s| s.to_string())),
        }
    }
}

/// The error inside a requirement the parser could not read.
fn in_requirement(input: &str) -> SelectorError {
    match Selector::parse(input) {
        Err(SelectorError::InRequirement(e)) => *e,
        other => panic!("{input:?}: expected an error in a requirement, got {other:?}"),
    }
}

#[test]
fn parse_errors_are_typed() {
    let Err(SelectorError::Syntax { position, found, .. }) = Selector::parse("x=a,y==b==c") else {
        panic!("expected a syntax error");
    };
    assert_eq!((position, found.as_str()), (8, "=="));
    assert!(matches!(in_requirement("a b/c/d"), SelectorError::Syntax { .. }));
    assert!(matches!(in_requirement("a/b/c"), SelectorError::InvalidKey { path: "<nil>", .. }));
    assert!(matches!(in_requirement("a in (-x)"), SelectorError::InvalidValue { .. }));
    assert!(matches!(in_requirement("a>b"), SelectorError::NotAnInteger { .. }));
    let msg = Selector::parse("x,").unwrap_err().to_string();
    assert!(msg.contains("expected: identifier after ','"), "{msg}");
}

// upstream: labels.Parser.parse wraps a requirement's error in "unable to
// parse requirement: " and leaves its own ("found ..., expected: ...")
// bare; parseValues writes "expected" without a comma; the key is
// validated with the parser's nil path (`<nil>`), NewRequirement's checks
// with their own paths; metav1's LabelSelectorAsSelector, LabelSelectorAsMap
// and ParseToLabelSelector have their own texts; string values print as
// Go's %q and lists as Go's json.Marshal.
#[test]
fn error_texts_as_upstream_writes_them() {
    let parse_err = |s: &str| Selector::parse(s).unwrap_err().to_string();
    assert_eq!(
        parse_err("x y"),
        "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"
    );
    assert_eq!(parse_err(","), "found ',', expected: !, identifier, or 'end of string'");
    assert_eq!(parse_err("!a=b"), "found '=', expected: ',' or 'end of string'");
    assert_eq!(parse_err("x in y"), "unable to parse requirement: found 'y' expected: '('");
    assert!(
        parse_err("a/b/c").starts_with("unable to parse requirement: <nil>: Invalid value: \"a/b/c\": "),
        "{}",
        parse_err("a/b/c")
    );
    assert_eq!(
        parse_err("x>a"),
        "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"
    );
    let quoted = Requirement::new("a\"b", Operator::Exists, None::<String>).unwrap_err().to_string();
    assert!(quoted.starts_with("key: Invalid value: \"a\\\"b\": "), "{quoted}");
    let list = Requirement::new("a", Operator::Exists, ["<a>"]).unwrap_err().to_string();
    // Both of NewRequirement's errors, aggregated (`<a>` is no label value).
    assert!(
        list.starts_with(
            "[values: Invalid value: [\"\\u003ca\\u003e\"]: values set must be empty for exists and does not exist, values[0][a]: Invalid value: \"<a>\": "
        ),
        "{list}"
    );
    let ls = |v: serde_json::Value| label_selector(v);
    let foo = ls(serde_json::json!({"matchExpressions": [{"key": "a", "operator": "Foo"}]}));
    assert_eq!(
        Selector::from_label_selector(&foo).unwrap_err().to_string(),
        "\"Foo\" is not a valid label selector operator"
    );
    assert_eq!(
        label_selector_as_map(&foo).unwrap_err().to_string(),
        "\"Foo\" is not a valid selector operator"
    );
    let two =
        ls(serde_json::json!({"matchExpressions": [{"key": "a", "operator": "In", "values": ["x", "y"]}]}));
    assert_eq!(
        label_selector_as_map(&two).unwrap_err().to_string(),
        "operator \"In\" without a single value cannot be converted into the old label selector format"
    );
    let not_in =
        ls(serde_json::json!({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["x"]}]}));
    assert_eq!(
        label_selector_as_map(&not_in).unwrap_err().to_string(),
        "operator \"NotIn\" cannot be converted into the old label selector format"
    );
    let to_ls = |s: &str| parse_to_label_selector(s).unwrap_err().to_string();
    assert_eq!(
        to_ls("x y"),
        "couldn't parse the selector string \"x y\": unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"
    );
    assert_eq!(to_ls("a>1"), "\"gt\" isn't supported in label selectors");
    assert_eq!(to_ls("a!=b"), "\"!=\" is not a valid label selector operator");
}

#[test]
fn hostile_input() {
    // A 10 MB value: an error, never a panic, and a bounded message.
    let huge = "a".repeat(10 << 20);
    let err = Selector::parse(&format!("x={huge}")).unwrap_err();
    assert!(
        matches!(&err, SelectorError::InRequirement(e) if matches!(**e, SelectorError::InvalidValue { .. }))
    );
    assert!(err.to_string().len() < 2000);
    assert!(Selector::parse(&format!("{huge}=x")).is_err());
    assert!(Requirement::new("x", Operator::In, [huge.clone()]).is_err());
    // Deep nesting and long runs of specials.
    assert!(Selector::parse(&"(".repeat(1 << 20)).is_err());
    assert!(Selector::parse(&format!("x in {}a{}", "(".repeat(100_000), ")".repeat(100_000))).is_err());
    assert!(Selector::parse(&"!".repeat(1 << 20)).is_err());
    assert!(Selector::parse(&",".repeat(1 << 20)).is_err());
    assert!(Selector::parse(&"x,".repeat(1 << 18)).is_err());
    // Many requirements are fine.
    let many: Vec<String> = (0..10_000).map(|i| format!("k{i}=v{i}")).collect();
    let s = Selector::parse(&many.join(",")).unwrap();
    assert_eq!(s.requirements().map(<[_]>::len), Some(10_000));
    // Unknown operators.
    assert!(Selector::parse("x ~= y").is_err());
    assert!(Selector::parse("x in! (y)").is_err());
    let ls = label_selector(
        serde_json::json!({"matchExpressions": [{"key": "x", "operator": "Gt", "values": ["1"]}]}),
    );
    assert!(matches!(Selector::from_label_selector(&ls), Err(SelectorError::InvalidOperator { .. })));
    // NUL behaves as upstream's end marker.
    assert_eq!(Selector::parse("x\0").map(|s| s.to_string()), Ok("x".to_owned()));
    assert!(Selector::parse("\0x=").unwrap().is_everything());
}

#[test]
fn requires_exact_match() {
    let s = Selector::parse("a=1,b in (2),c in (3,4),d!=5,e==6").unwrap();
    assert_eq!(s.requires_exact_match("a"), Some("1"));
    assert_eq!(s.requires_exact_match("b"), Some("2"));
    assert_eq!(s.requires_exact_match("c"), None);
    assert_eq!(s.requires_exact_match("d"), None);
    assert_eq!(s.requires_exact_match("e"), Some("6"));
    assert_eq!(s.requires_exact_match("f"), None);
    assert_eq!(Selector::nothing().requires_exact_match("a"), None);
}

// upstream: helpers_test.go TestLabelSelectorAsSelector
#[test]
fn label_selector_as_selector() {
    let cases: Vec<(serde_json::Value, Result<&str, ()>)> = vec![
        (serde_json::json!({}), Ok("")),
        (serde_json::json!({"matchLabels": {}, "matchExpressions": []}), Ok("")),
        (serde_json::json!({"matchLabels": {"foo": "bar"}}), Ok("foo=bar")),
        (serde_json::json!({"matchLabels": {"x": "y", "a": "b"}}), Ok("a=b,x=y")),
        (
            serde_json::json!({
                "matchLabels": {"foo": "bar"},
                "matchExpressions": [{"key": "baz", "operator": "In", "values": ["qux", "norf"]}]
            }),
            Ok("baz in (norf,qux),foo=bar"),
        ),
        (
            serde_json::json!({
                "matchLabels": {"foo": "bar"},
                "matchExpressions": [{"key": "baz", "operator": "Exists", "values": ["qux", "norf"]}]
            }),
            Err(()),
        ),
        (
            serde_json::json!({"matchExpressions": [
                {"key": "a", "operator": "NotIn", "values": ["x"]},
                {"key": "b", "operator": "Exists"},
                {"key": "c", "operator": "DoesNotExist", "values": []}
            ]}),
            Ok("a notin (x),b,!c"),
        ),
        (serde_json::json!({"matchExpressions": [{"key": "a", "operator": "In", "values": []}]}), Err(())),
        (serde_json::json!({"matchExpressions": [{"key": "a", "operator": "In"}]}), Err(())),
        (serde_json::json!({"matchExpressions": [{"key": "a", "operator": "in", "values": ["x"]}]}), Err(())),
        (serde_json::json!({"matchExpressions": [{"key": "a", "operator": "Gt", "values": ["1"]}]}), Err(())),
        (serde_json::json!({"matchLabels": {"a b": "x"}}), Err(())),
        (serde_json::json!({"matchLabels": {"a": "-x"}}), Err(())),
    ];
    for (json, want) in cases {
        let got = Selector::from_label_selector(&label_selector(json.clone()));
        match want {
            Ok(s) => {
                let got = got.unwrap_or_else(|e| panic!("{json}: {e}"));
                assert_eq!(got.to_string(), s, "{json}");
                assert!(!got.is_nothing());
            }
            Err(()) => assert!(got.is_err(), "{json} should fail"),
        }
    }
    // null → nothing; empty → everything (DECISIONS.md G5).
    assert!(Selector::from_optional_label_selector(None).unwrap().is_nothing());
    assert!(Selector::from_optional_label_selector(Some(&LabelSelector::default())).unwrap().is_everything());
    // matchLabels and an expression on the same key both hold.
    let both = label_selector(serde_json::json!({
        "matchLabels": {"a": "1"},
        "matchExpressions": [{"key": "a", "operator": "In", "values": ["1", "2"]}]
    }));
    let s = Selector::from_label_selector(&both).unwrap();
    assert_eq!(s.to_string(), "a=1,a in (1,2)");
    assert!(s.matches(&set(&[("a", "1")])));
    assert!(!s.matches(&set(&[("a", "2")])));
}

// upstream: helpers_test.go TestLabelSelectorAsMap
#[test]
fn label_selector_as_map_cases() {
    let cases: Vec<(serde_json::Value, Option<Pairs>)> = vec![
        (serde_json::json!({}), Some(&[])),
        (serde_json::json!({"matchLabels": {"foo": "bar"}}), Some(&[("foo", "bar")])),
        (
            serde_json::json!({
                "matchLabels": {"foo": "bar"},
                "matchExpressions": [{"key": "baz", "operator": "In", "values": ["qux"]}]
            }),
            Some(&[("foo", "bar"), ("baz", "qux")]),
        ),
        (
            serde_json::json!({
                "matchLabels": {"foo": "bar"},
                "matchExpressions": [{"key": "foo", "operator": "In", "values": ["qux"]}]
            }),
            Some(&[("foo", "qux")]),
        ),
        (
            serde_json::json!({"matchExpressions": [{"key": "baz", "operator": "In", "values": ["qux", "norf"]}]}),
            None,
        ),
        (serde_json::json!({"matchExpressions": [{"key": "baz", "operator": "In", "values": []}]}), None),
        (
            serde_json::json!({"matchExpressions": [{"key": "baz", "operator": "NotIn", "values": ["qux"]}]}),
            None,
        ),
        (serde_json::json!({"matchExpressions": [{"key": "baz", "operator": "Exists"}]}), None),
        (serde_json::json!({"matchExpressions": [{"key": "baz", "operator": "DoesNotExist"}]}), None),
        (serde_json::json!({"matchExpressions": [{"key": "baz", "operator": "Gt", "values": ["1"]}]}), None),
    ];
    for (json, want) in cases {
        let got = label_selector_as_map(&label_selector(json.clone()));
        match want {
            Some(pairs) => assert_eq!(got.unwrap_or_else(|e| panic!("{json}: {e}")), set(pairs), "{json}"),
            None => assert!(got.is_err(), "{json} should fail"),
        }
    }
}

// upstream: helpers_test.go TestParseToLabelSelector
#[test]
fn parse_to_label_selector_cases() {
    let cases: &[(&str, Option<serde_json::Value>)] = &[
        ("", Some(serde_json::json!({}))),
        ("app=web", Some(serde_json::json!({"matchLabels": {"app": "web"}}))),
        ("app==web,x=", Some(serde_json::json!({"matchLabels": {"app": "web", "x": ""}}))),
        (
            "x in (b,a),y notin (c),z,!w",
            Some(serde_json::json!({"matchExpressions": [
                {"key": "w", "operator": "DoesNotExist"},
                {"key": "x", "operator": "In", "values": ["a", "b"]},
                {"key": "y", "operator": "NotIn", "values": ["c"]},
                {"key": "z", "operator": "Exists"}
            ]})),
        ),
        ("x>1", None),
        ("x<1", None),
        ("x!=1", None),
        ("x=a b", None),
    ];
    for (input, want) in cases {
        let got = parse_to_label_selector(input);
        match want {
            Some(json) => {
                let ls = got.unwrap_or_else(|e| panic!("{input:?}: {e}"));
                assert_eq!(&serde_json::to_value(&ls).unwrap(), json, "{input:?}");
                // And back: the same selector as parsing directly.
                let direct = Selector::parse(input).unwrap().to_string().replace("==", "=");
                assert_eq!(Selector::from_label_selector(&ls).unwrap().to_string(), direct);
            }
            None => assert!(got.is_err(), "{input:?} should fail"),
        }
    }
}

#[test]
fn label_key_and_value_validity() {
    assert!(is_valid_label_key("app.kubernetes.io/name"));
    assert!(is_valid_label_key("a"));
    assert!(!is_valid_label_key("app.kubernetes.io/"));
    assert!(!is_valid_label_key("UPPER.io/name"));
    assert!(is_valid_label_key(&format!("{}.io/x", "a".repeat(64))));
    assert!(!is_valid_label_key(&format!("{}/x", "a".repeat(254))));
    assert!(is_valid_label_value(""));
    assert!(is_valid_label_value("a-b_c.d"));
    assert!(!is_valid_label_value("a-"));
    assert!(!is_valid_label_value(&"a".repeat(64)));
}

// upstream: intstr_test.go TestGetIntFromIntOrPercent,
// TestGetValueFromIntOrPercent (GetScaledValueFromIntOrPercent's table).
#[test]
fn int_or_string_scaling() {
    let cases: &[(IntOrString, i32, bool, Result<i32, ()>)] = &[
        (IntOrString::Int(5), 100, true, Ok(5)),
        (IntOrString::Int(5), 0, false, Ok(5)),
        (IntOrString::Int(-3), 10, true, Ok(-3)),
        (IntOrString::from("90%"), 100, true, Ok(90)),
        (IntOrString::from("90%"), 95, true, Ok(86)),
        (IntOrString::from("90%"), 95, false, Ok(85)),
        (IntOrString::from("0%"), 100, true, Ok(0)),
        (IntOrString::from("100%"), 7, false, Ok(7)),
        (IntOrString::from("25%"), 10, true, Ok(3)),
        (IntOrString::from("25%"), 10, false, Ok(2)),
        (IntOrString::from("25%"), 1, true, Ok(1)),
        (IntOrString::from("25%"), 1, false, Ok(0)),
        (IntOrString::from("10%"), 5, false, Ok(0)),
        (IntOrString::from("150%"), 4, true, Ok(6)),
        (IntOrString::from("007%"), 100, true, Ok(7)),
        (IntOrString::from("+10%"), 100, true, Ok(10)),
        (IntOrString::from("-10%"), 100, true, Ok(-10)),
        (IntOrString::from("-10%"), 15, true, Ok(-1)), // -1.5 rounds up to -1
        (IntOrString::from("-10%"), 15, false, Ok(-2)), // and down to -2
        (IntOrString::from("1000%"), i32::MAX, true, Ok(i32::MAX)), // saturates
        (IntOrString::from("90"), 100, true, Err(())),
        (IntOrString::from("5"), 100, true, Err(())),
        (IntOrString::from("%"), 100, true, Err(())),
        (IntOrString::from("a%"), 100, true, Err(())),
        (IntOrString::from("40%%"), 100, true, Err(())),
        (IntOrString::from("30%0"), 100, true, Err(())),
        (IntOrString::from("12.5%"), 100, true, Err(())),
        (IntOrString::from(" 10%"), 100, true, Err(())),
        (IntOrString::from("10 %"), 100, true, Err(())),
        (IntOrString::from("-%"), 100, true, Err(())),
        (IntOrString::from("+-1%"), 100, true, Err(())),
        (IntOrString::from("1_0%"), 100, true, Err(())),
        (IntOrString::from("99999999999999999999%"), 100, true, Err(())),
        (IntOrString::from(""), 100, true, Err(())),
    ];
    for (v, total, round_up, want) in cases {
        let got = v.scaled_value(*total, *round_up);
        assert_eq!(got.map_err(|_| ()), *want, "{v:?} of {total}, round_up={round_up}");
    }
    assert_eq!(IntOrString::from("90").scaled_value(1, true), Err(IntOrStringError::NotAPercentage));
    assert!(matches!(IntOrString::from("a%").scaled_value(1, true), Err(IntOrStringError::BadPercentage(_))));
    assert_eq!(IntOrString::scaled_value_of(None, 10, true), Err(IntOrStringError::Nil));
    assert_eq!(IntOrString::scaled_value_of(Some(&IntOrString::from("30%")), 10, true), Ok(3));
}

#[test]
fn int_or_string_wire_form() {
    let v: IntOrString = serde_json::from_value(serde_json::json!("5")).unwrap();
    assert_eq!(v, IntOrString::String("5".into()));
    let v: IntOrString = serde_json::from_value(serde_json::json!(5)).unwrap();
    assert_eq!(v, IntOrString::Int(5));
    assert_eq!(serde_json::to_value(IntOrString::from("25%")).unwrap(), serde_json::json!("25%"));
    assert_eq!(serde_json::to_value(IntOrString::Int(3)).unwrap(), serde_json::json!(3));
}

/// Strings built from the grammar's own alphabet, so the parser gets past
/// the lexer often.
fn selector_like() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("x".to_string()),
        Just("a.b/c".to_string()),
        Just("in".to_string()),
        Just("notin".to_string()),
        Just("1".to_string()),
        Just("-1".to_string()),
        Just("=".to_string()),
        Just("==".to_string()),
        Just("!=".to_string()),
        Just("!".to_string()),
        Just(">".to_string()),
        Just("<".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just(",".to_string()),
        Just(" ".to_string()),
        Just("\0".to_string()),
        "[a-z0-9._-]{1,5}",
    ];
    proptest::collection::vec(atom, 0..16).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parse_never_panics(s in any::<String>()) {
        let _ = Selector::parse(&s);
    }

    #[test]
    fn parse_display_round_trips(s in selector_like()) {
        if let Ok(sel) = Selector::parse(&s) {
            let shown = sel.to_string();
            let again = Selector::parse(&shown);
            prop_assert_eq!(again.as_ref(), Ok(&sel), "{:?} -> {:?}", s, shown);
            prop_assert_eq!(again.map(|a| a.to_string()), Ok(shown));
        }
    }

    #[test]
    fn built_selectors_round_trip(
        reqs in proptest::collection::vec(
            (
                "[a-z]([a-z0-9.-]{0,3}[a-z0-9])?(/[A-Za-z0-9]{1,4})?",
                0usize..9,
                proptest::collection::vec("([A-Za-z0-9]([A-Za-z0-9._-]{0,3}[A-Za-z0-9])?)?", 0..4),
                any::<i32>(),
            ),
            0..6,
        )
    ) {
        let ops = [
            Operator::In, Operator::NotIn, Operator::Equals, Operator::DoubleEquals, Operator::NotEquals,
            Operator::Exists, Operator::DoesNotExist, Operator::GreaterThan, Operator::LessThan,
        ];
        let mut built = Vec::new();
        for (key, op, values, n) in reqs {
            let op = ops[op];
            let values = match op {
                Operator::Exists | Operator::DoesNotExist => vec![],
                Operator::GreaterThan | Operator::LessThan => vec![n.unsigned_abs().to_string()],
                Operator::Equals | Operator::DoubleEquals | Operator::NotEquals => {
                    vec![values.first().cloned().unwrap_or_default()]
                }
                Operator::In | Operator::NotIn if values.is_empty() => vec![String::new()],
                _ => values,
            };
            // Keys like "a.-b/x" have an invalid prefix; skip them.
            if let Ok(r) = Requirement::new(key, op, values) {
                built.push(r);
            }
        }
        let sel = Selector::everything().with_requirements(built);
        prop_assert_eq!(Selector::parse(&sel.to_string()), Ok(sel));
    }
}

// upstream: apimachinery helpers.go LabelSelectorAsSelector: a requirement
// without an operator (Go's empty string) is "not a valid label selector
// operator"; it used to decode as `In` here and select.
#[test]
fn a_label_requirement_without_operator_is_an_error() {
    let without: LabelSelector =
        serde_json::from_value(serde_json::json!({"matchExpressions": [{"key": "app", "values": ["web"]}]}))
            .expect("selector");
    assert!(Selector::from_label_selector(&without).is_err());
    assert!(kube_workloads::selector::label_selector_as_map(&without).is_err());
    let null: LabelSelector = serde_json::from_value(
        serde_json::json!({"matchExpressions": [{"key": "app", "operator": null, "values": ["web"]}]}),
    )
    .expect("selector");
    assert!(Selector::from_label_selector(&null).is_err());
    // Written back unchanged: the missing key stays missing.
    let back = serde_json::to_value(&without).expect("json");
    assert_eq!(back, serde_json::json!({"matchExpressions": [{"key": "app", "values": ["web"]}]}));
}

// upstream: selector_test.go TestSetSelectorParser (the row with empty
// values: an empty value is kept and sorts first), TestParseOperator (a
// missing operator), TestSetSelectorString, TestRequiresExactMatch (shaped
// after its cases) and TestValidatedSelectorFromSet "Invalid Set, value
// too long".
#[test]
fn more_selector_rows_from_upstream() {
    let s = Selector::parse("x notin (abc,,def),bar,z in (),w").expect("parses");
    assert_eq!(s.to_string(), "bar,w,x notin (,abc,def),z in ()");

    for input in ["x !", "x exists", "x ("] {
        let err = Selector::parse(input).expect_err(input).to_string();
        assert!(err.contains("expected: in, notin, =, ==, !=, gt, lt"), "{input}: {err}");
    }

    let from = |pairs: &[(&str, &str)]| Selector::from_map(set(pairs)).to_string();
    assert_eq!(from(&[]), "");
    assert_eq!(from(&[("app", "foo")]), "app=foo");
    assert_eq!(from(&[("app", "foo"), ("a", "b")]), "a=b,app=foo");

    let exact = |selector: &str, key: &str| {
        Selector::parse(selector).expect(selector).requires_exact_match(key).map(str::to_owned)
    };
    assert_eq!(exact("key1=value1", "key1").as_deref(), Some("value1"));
    assert_eq!(exact("key1 in (value1)", "key1").as_deref(), Some("value1"));
    assert_eq!(exact("key1 in (value1,value2)", "key1"), None);
    assert_eq!(exact("key1 notin (value1)", "key1"), None);
    assert_eq!(exact("key1", "key1"), None);
    assert_eq!(exact("key2=value2", "key1"), None);
    assert_eq!(exact("key1=value1,key2 in (value2)", "key2").as_deref(), Some("value2"));

    let long = "a".repeat(64);
    let err = Selector::validated_from_map(set(&[("Key", long.as_str())])).expect_err("too long").to_string();
    assert!(err.contains("must be no more than 63 characters"), "{err}");
}
