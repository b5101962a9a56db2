//! `IntOrString`: fields such as `maxSurge: 25%` or `port: http`.
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/util/intstr/intstr.go
//!
//! Deviation: percentages are scaled with exact integer arithmetic that
//! saturates at the ends of `i32` (upstream: `float64`); the results agree
//! for every realistic count (see [`IntOrString::scaled_value`]).

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
    /// No value at all (upstream passes a nil pointer).
    #[error("nil value for IntOrString")]
    Nil,
}

impl IntOrString {
    /// Resolves an integer or a percentage of `total`, rounding a percentage
    /// up or down (upstream: intstr.GetScaledValueFromIntOrPercent).
    ///
    /// - An `Int` is returned unchanged (`total` is ignored; negatives pass).
    /// - A `String` must end in `%`, or it is [`IntOrStringError::NotAPercentage`]
    ///   (`"90"` is an error). One `%` is removed and the rest read like Go's
    ///   `strconv.Atoi`: an optional sign and decimal digits only (`"007%"` is
    ///   7, `"+10%"` 10; `"40%%"`, `"12.5%"`, `" 10%"` are errors).
    /// - The result is ceil (round up) or floor of `p * total / 100`; ceil
    ///   rounds negatives toward +inf (-1.5 becomes -1), floor toward -inf.
    ///
    /// Deliberate deviation: upstream computes in `float64`; this is exact
    /// integer arithmetic (identical whenever `|p * total| < 2^46`, which
    /// covers every realistic replica count) and saturates at the ends of
    /// `i32` where upstream would return a Go `int` beyond it, so `1000%` of
    /// `i32::MAX` cannot overflow.
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

    /// [`IntOrString::scaled_value`] for an optional field: `None` is
    /// [`IntOrStringError::Nil`], as upstream's nil pointer is an error.
    ///
    /// ```
    /// use kube_workloads::api::{IntOrString, IntOrStringError};
    /// assert_eq!(IntOrString::scaled_value_of(None, 10, true), Err(IntOrStringError::Nil));
    /// assert_eq!(IntOrString::scaled_value_of(Some(&IntOrString::from("50%")), 5, false), Ok(2));
    /// ```
    pub fn scaled_value_of(
        value: Option<&IntOrString>,
        total: i32,
        round_up: bool,
    ) -> Result<i32, IntOrStringError> {
        value.ok_or(IntOrStringError::Nil)?.scaled_value(total, round_up)
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
