//! String formats of the API: DNS names, qualified names, label values,
//! port names, percentages, header and environment variable names. Each
//! checker returns upstream's messages (empty when the value is valid).
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go
//! (IsDNS1123Label, IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue,
//! IsValidPortName, IsValidPortNum, IsValidPercent, IsHTTPHeaderName,
//! IsEnvVarName, IsRelaxedEnvVarName, RegexError, MaxLenError). Lengths are
//! byte lengths; any non-ASCII byte fails the character classes.

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// Longest DNS-1123 label.
pub(crate) const DNS1123_LABEL_MAX: usize = 63;
/// Longest DNS-1123 subdomain.
pub(crate) const DNS1123_SUBDOMAIN_MAX: usize = 253;
/// Longest name part of a qualified name, and longest label value.
pub(crate) const QUALIFIED_NAME_MAX: usize = 63;

/// upstream: validation.go RegexError.
pub(crate) fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        out.push('\'');
        out.push_str(example);
        out.push_str("', ");
    }
    out.push_str("regex used for validation is '");
    out.push_str(fmt);
    out.push_str("')");
    out
}

/// upstream: validation.go MaxLenError.
pub(crate) fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn matches_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            is_lower_alnum(f) && is_lower_alnum(l) && b.iter().all(|&c| is_lower_alnum(c) || c == b'-')
        }
        _ => false,
    }
}

fn matches_dns_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns_label)
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`
fn matches_qualified_name(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(f), Some(l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// Messages for a DNS-1123 label (upstream: IsDNS1123Label).
pub(crate) fn dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX {
        errs.push(max_len_error(DNS1123_LABEL_MAX));
    }
    if !matches_dns_label(value) {
        if matches_dns_subdomain(value) {
            errs.push("must not contain dots".to_owned());
        } else {
            errs.push(regex_error(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, &["my-name", "123-abc"]));
        }
    }
    errs
}

/// Messages for a DNS-1123 subdomain (upstream: IsDNS1123Subdomain).
pub(crate) fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX {
        errs.push(max_len_error(DNS1123_SUBDOMAIN_MAX));
    }
    if !matches_dns_subdomain(value) {
        errs.push(regex_error(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, &["example.com"]));
    }
    errs
}

/// Messages for a qualified name (upstream: IsQualifiedName).
pub(crate) fn qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_owned());
            } else {
                errs.extend(dns1123_subdomain(prefix).into_iter().map(|m| format!("prefix part {m}")));
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_owned());
    } else if name.len() > QUALIFIED_NAME_MAX {
        errs.push(format!("name part {}", max_len_error(QUALIFIED_NAME_MAX)));
    }
    if !matches_qualified_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
        ));
    }
    errs
}

/// Whether any of `values` is not a valid label value (what upstream's
/// `LabelSelectorHasInvalidLabelValue` and the node affinity ratchet scan
/// for).
pub(crate) fn any_invalid_label_value<'a>(values: impl IntoIterator<Item = &'a String>) -> bool {
    values.into_iter().any(|v| !label_value(v).is_empty())
}

/// Messages for a label value (upstream: IsValidLabelValue).
pub(crate) fn label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > QUALIFIED_NAME_MAX {
        errs.push(max_len_error(QUALIFIED_NAME_MAX));
    }
    if !value.is_empty() && !matches_qualified_name(value) {
        errs.push(regex_error(LABEL_VALUE_MSG, LABEL_VALUE_FMT, &["MyValue", "my_value", "12345"]));
    }
    errs
}

/// Messages for an IANA service (port) name (upstream: IsValidPortName).
pub(crate) fn port_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let b = value.as_bytes();
    if b.len() > 15 {
        errs.push(max_len_error(15));
    }
    if b.is_empty() || !b.iter().all(|&c| is_lower_alnum(c) || c == b'-') {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_owned());
    }
    if !b.iter().any(u8::is_ascii_lowercase) {
        errs.push("must contain at least one letter (a-z)".to_owned());
    }
    if value.contains("--") {
        errs.push("must not contain consecutive hyphens".to_owned());
    }
    if b.first() == Some(&b'-') || b.last() == Some(&b'-') {
        errs.push("must not begin or end with a hyphen".to_owned());
    }
    errs
}

/// Messages for a port number (upstream: IsValidPortNum).
pub(crate) fn port_num(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) { Vec::new() } else { vec![inclusive_range_error(1, 65535)] }
}

/// upstream: validation.go InclusiveRangeError.
pub(crate) fn inclusive_range_error(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

/// True for `[0-9]+%` (upstream: IsValidPercent).
pub(crate) fn is_percent(value: &str) -> bool {
    value.strip_suffix('%').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The message for a bad percentage.
pub(crate) fn percent_error() -> String {
    regex_error(
        "a valid percent string must be a numeric string followed by an ending '%'",
        "[0-9]+%",
        &["1%", "93%"],
    )
}

/// Messages for an HTTP header name (upstream: IsHTTPHeaderName).
pub(crate) fn http_header_name(value: &str) -> Vec<String> {
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Vec::new()
    } else {
        vec![regex_error(
            "a valid HTTP header must consist of alphanumeric characters or '-'",
            "[-A-Za-z0-9]+",
            &["X-Header-Name"],
        )]
    }
}

/// Messages for an environment variable name under the relaxed rule
/// (upstream: IsRelaxedEnvVarName).
pub(crate) fn relaxed_env_var_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.is_empty() {
        errs.push("environment variable name must be non-empty".to_owned());
    }
    if value.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        errs.push(
            "a valid environment variable name must consist only of printable ASCII characters other than '='"
                .to_owned(),
        );
    }
    errs
}

/// Messages for an environment variable name under the legacy strict rule
/// (upstream: IsEnvVarName).
pub(crate) fn strict_env_var_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let b = value.as_bytes();
    let ok = b.first().is_some_and(|f| f.is_ascii_alphabetic() || matches!(f, b'-' | b'.' | b'_'))
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'));
    if !ok {
        errs.push(regex_error(
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
            "[-._a-zA-Z][-._a-zA-Z0-9]*",
            &["my.env-name", "MY_ENV.NAME", "MyEnvName1"],
        ));
    }
    push_dot_errors(value, &mut errs);
    errs
}

/// The `.` / `..` rules shared by environment variable names and config
/// keys (upstream: `hasChDirPrefix` checks in IsEnvVarName and
/// IsConfigMapKey).
pub(crate) fn push_dot_errors(value: &str, errs: &mut Vec<String>) {
    if value == "." {
        errs.push("must not be '.'".to_owned());
    } else if value == ".." {
        errs.push("must not be '..'".to_owned());
    } else if value.starts_with("..") {
        errs.push("must not start with '..'".to_owned());
    }
}

/// True when `value` is a DNS-1123 label (`[a-z0-9]([-a-z0-9]*[a-z0-9])?`,
/// at most 63 bytes).
pub fn is_dns1123_label(value: &str) -> bool {
    dns1123_label(value).is_empty()
}

/// True when `value` is a DNS-1123 subdomain (labels joined by `.`, at most
/// 253 bytes).
pub fn is_dns1123_subdomain(value: &str) -> bool {
    dns1123_subdomain(value).is_empty()
}

/// True when `value` is a qualified name (label key, annotation key after
/// lower-casing, finalizer, condition type).
pub fn is_qualified_name(value: &str) -> bool {
    qualified_name(value).is_empty()
}

/// True when `value` is a valid label value (empty allowed).
pub fn is_valid_label_value(value: &str) -> bool {
    label_value(value).is_empty()
}

/// True when `value` is a valid IANA service (port) name.
pub fn is_valid_port_name(value: &str) -> bool {
    port_name(value).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    // upstream: staging/src/k8s.io/apimachinery/pkg/util/validation/validation_test.go TestIsDNS1123Label
    #[test]
    fn dns_label() {
        for ok in ["a", "ab", "a-b", "0", "01", "a0", "1-b", "a--1", &"a".repeat(63)] {
            assert!(is_dns1123_label(ok), "{ok}");
        }
        for bad in ["", "A", "-", "a-", "-a", "a.b", "_", "a_b", "a b", &"a".repeat(64), "é"] {
            assert!(!is_dns1123_label(bad), "{bad}");
        }
        assert_eq!(dns1123_label("a.b"), vec!["must not contain dots".to_owned()]);
    }

    // upstream: validation_test.go TestIsDNS1123Subdomain
    #[test]
    fn dns_subdomain() {
        for ok in ["a", "a.b", "a-1.b-2", "1.2.3", &format!("{}.{}", "a".repeat(63), "b".repeat(63))] {
            assert!(is_dns1123_subdomain(ok), "{ok}");
        }
        for bad in ["", ".", "a.", ".a", "a..b", "A.b", "a_b", &"a".repeat(254)] {
            assert!(!is_dns1123_subdomain(bad), "{bad}");
        }
        assert!(is_dns1123_subdomain(&"a".repeat(100)), "labels inside a subdomain are not length-limited");
    }

    // upstream: validation_test.go TestIsQualifiedName
    #[test]
    fn qualified() {
        for ok in [
            "simple",
            "now-with-dashes",
            "1-starts-with-num",
            "1234",
            "simple/simple",
            "example.com/Upper_Case",
            "a.b/c",
            &"a".repeat(63),
        ] {
            assert!(is_qualified_name(ok), "{ok}");
        }
        for bad in [
            "",
            "/simple",
            "simple/",
            "a/b/c",
            "Example.com/x",
            "-x",
            "x-",
            "a b",
            &"a".repeat(64),
            "nospecialchars%^=@",
        ] {
            assert!(!is_qualified_name(bad), "{bad}");
        }
    }

    // upstream: validation_test.go TestIsValidLabelValue
    #[test]
    fn label_values() {
        for ok in ["", "simple", "UPPER", "1234", "a_b.c-d", &"a".repeat(63)] {
            assert!(is_valid_label_value(ok), "{ok}");
        }
        for bad in ["-", "a-", "_a", "a b", "a/b", &"a".repeat(64)] {
            assert!(!is_valid_label_value(bad), "{bad}");
        }
    }

    // upstream: validation_test.go TestIsValidPortName
    #[test]
    fn port_names() {
        for ok in ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b", "abcdefghijklmno"] {
            assert!(is_valid_port_name(ok), "{ok}");
        }
        for bad in ["", "1234", "-a", "a-", "a--b", "UPPER", "a_b", "abcdefghijklmnop"] {
            assert!(!is_valid_port_name(bad), "{bad}");
        }
    }

    // upstream: validation_test.go TestIsValidPercent
    #[test]
    fn percents() {
        for ok in ["0%", "00000%", "1%", "100%", "101%"] {
            assert!(is_percent(ok), "{ok}");
        }
        for bad in ["", "0", "1", "%", "a%", "1.0%", "-1%", "+1%", " 1%", "1%%"] {
            assert!(!is_percent(bad), "{bad}");
        }
    }

    #[test]
    fn env_names() {
        assert!(relaxed_env_var_name("1 leading digit and space").is_empty());
        assert!(!relaxed_env_var_name("A=B").is_empty());
        assert!(!relaxed_env_var_name("").is_empty());
        assert!(!relaxed_env_var_name("tab\t").is_empty());
        assert!(strict_env_var_name("MY_ENV.NAME").is_empty());
        assert!(!strict_env_var_name("1A").is_empty());
        assert!(!strict_env_var_name("..a").is_empty());
    }
}
