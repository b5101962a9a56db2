//! `IntOrString`: fields such as `maxSurge: 25%` or `port: http`.
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr.go

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::wire::Absent;

/// A value that is either an integer or a string (`intstr.IntOrString`).
///
/// ```
/// use kube_workloads::api::IntOrString;
/// let surge = IntOrString::from("25%");
/// assert_eq!(surge.scaled_value(10, true), Ok(3));   // round up
/// assert_eq!(surge.scaled_value(10, false), Ok(2));  // round down
/// assert_eq!(IntOrString::Int(2).scaled_value(10, true), Ok(2));
/// assert!(IntOrString::from("abc%").scaled_value(10, true).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum IntOrString {
    /// An integer, written as a JSON number.
    Int(i32),
    /// A string, written as a JSON string (a percentage, a port name...).
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

/// Why an `IntOrString` could not be turned into a number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IntOrStringError {
    /// A string that does not end in `%`.
    #[error("invalid value for IntOrString: invalid type: string is not a percentage")]
    NotAPercentage,
    /// A percentage whose number does not parse.
    #[error("invalid value for IntOrString: invalid value {0:?}")]
    BadPercentage(String),
}

impl IntOrString {
    /// Resolves an integer or a percentage of `total`, rounding a percentage
    /// up or down (upstream: intstr.GetScaledValueFromIntOrPercent).
    ///
    /// The arithmetic is exact (no floating point) and saturates at the ends
    /// of `i32`, so `1000%` of `i32::MAX` cannot overflow.
    pub fn scaled_value(&self, total: i32, round_up: bool) -> Result<i32, IntOrStringError> {
        match self {
            IntOrString::Int(v) => Ok(*v),
            IntOrString::String(s) => {
                let percent = parse_percent(s)?;
                let product = i128::from(percent) * i128::from(total);
                let scaled = if round_up { div_ceil(product, 100) } else { product.div_euclid(100) };
                Ok(saturate_i32(scaled))
            }
        }
    }

    /// True when this is a string ending in `%`.
    pub fn is_percent(&self) -> bool {
        matches!(self, IntOrString::String(s) if s.ends_with('%'))
    }
}

/// Parses `"25%"` into 25 the way Go's `strconv.Atoi` reads the number part:
/// an optional sign and decimal digits, nothing else.
fn parse_percent(s: &str) -> Result<i64, IntOrStringError> {
    let number = s.strip_suffix('%').ok_or(IntOrStringError::NotAPercentage)?;
    let digits = number.strip_prefix(['+', '-']).unwrap_or(number);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IntOrStringError::BadPercentage(s.to_owned()));
    }
    number.parse::<i64>().map_err(|_| IntOrStringError::BadPercentage(s.to_owned()))
}

fn div_ceil(n: i128, d: i128) -> i128 {
    let q = n.div_euclid(d);
    if n.rem_euclid(d) == 0 { q } else { q.saturating_add(1) }
}

fn saturate_i32(v: i128) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

impl From<i32> for IntOrString {
    fn from(v: i32) -> Self {
        IntOrString::Int(v)
    }
}

impl From<&str> for IntOrString {
    fn from(v: &str) -> Self {
        IntOrString::String(v.to_owned())
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(v) => write!(f, "{v}"),
            IntOrString::String(s) => f.write_str(s),
        }
    }
}

impl Absent for IntOrString {
    fn absent(&self) -> bool {
        false
    }
}

impl Serialize for IntOrString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(v) => serializer.serialize_i32(*v),
            IntOrString::String(s) => serializer.serialize_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = IntOrString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                i32::try_from(v)
                    .map(IntOrString::Int)
                    .map_err(|_| E::custom(format!("integer {v} out of range for IntOrString")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i32::try_from(v)
                    .map(IntOrString::Int)
                    .map_err(|_| E::custom(format!("integer {v} out of range for IntOrString")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(IntOrString::String(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(IntOrString::String(v))
            }
        }
        deserializer.deserialize_any(V)
    }
}
