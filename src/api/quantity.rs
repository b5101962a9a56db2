//! `Quantity`: resource amounts such as `100m`, `1Gi` or a bare number.
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go
//!
//! Deviation: the value is kept as written (string or number) and written
//! back unchanged; upstream parses it and writes its canonical form back
//! (`0.5` → `500m`).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::wire::Absent;

/// A resource quantity, kept exactly as written.
///
/// YAML manifests often write `cpu: 1` or `cpu: 0.25` as numbers rather than
/// strings; the API server accepts both. This type remembers which form was
/// used so a manifest round-trips unchanged. The type does no arithmetic; the
/// validation and defaulting code reads the text where upstream compares,
/// sums or rounds quantities.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Quantity {
    /// The amount as text (`"100m"`, `"1Gi"`, `"0.25"`).
    pub value: String,
    /// True when the document wrote the amount as a JSON/YAML number.
    pub written_as_number: bool,
    /// True when the document wrote `null`: upstream reads it as zero
    /// (`UnmarshalJSON`), so `value` is `"0"`, and `null` is written back.
    pub written_as_null: bool,
}

impl Quantity {
    /// A quantity written as a string.
    pub fn new(value: impl Into<String>) -> Self {
        Quantity { value: value.into(), ..Quantity::default() }
    }

    /// A quantity the document wrote as a number.
    fn number(value: String) -> Self {
        Quantity { value, written_as_number: true, ..Quantity::default() }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl Absent for Quantity {
    fn absent(&self) -> bool {
        false
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.written_as_null && self.value == "0" {
            return serializer.serialize_unit();
        }
        if self.written_as_number
            && let Ok(n) = self.value.parse::<serde_json::Number>()
        {
            return n.serialize(serializer);
        }
        serializer.serialize_str(&self.value)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Quantity;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a quantity string or number, or null")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Quantity, E> {
                Ok(Quantity::new(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Quantity, E> {
                Ok(Quantity::number(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Quantity, E> {
                Ok(Quantity::number(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Quantity, E> {
                Ok(Quantity { value: "0".to_owned(), written_as_null: true, ..Quantity::default() })
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Quantity, E> {
                self.visit_unit()
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Quantity, E> {
                let n = serde_json::Number::from_f64(v)
                    .ok_or_else(|| E::custom("a quantity must be a finite number"))?;
                Ok(Quantity::number(n.to_string()))
            }
        }
        deserializer.deserialize_any(V)
    }
}
