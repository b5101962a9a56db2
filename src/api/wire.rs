//! The machinery behind every wire type: lossless structs and open string enums.
//!
//! Kubernetes objects are maps with camelCase keys, optional fields that are
//! simply left out, and fields this crate does not model. Two macros generate
//! the types of [`crate::api`]:
//!
//! - `wire_struct!` declares a plain struct with public fields and writes its
//!   serde impls by hand. Known keys go to their field; any other key goes to
//!   the `other` map, so a manifest read and written back is unchanged. A key
//!   written as an explicit `null` is remembered too (the field stays `None`),
//!   because `creationTimestamp: null` and a missing `creationTimestamp` are
//!   different JSON documents.
//! - `wire_enum!` declares a string enum of the API (phase, restart policy,
//!   operators...) with a catch-all variant that keeps an unknown string, so a
//!   value from a newer Kubernetes still round-trips.
//!
//! Why not `#[serde(flatten)]`: serde buffers a flattened struct through an
//! intermediate representation, which made decoding several times slower than
//! k8s-openapi in the decode benchmark. The hand-written visitor decodes in a
//! single pass.
//!
//! upstream counterpart: the generated JSON codecs of the Go types
//! (staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json). Deviation:
//! upstream's decoder drops unknown fields and does not remember an explicit
//! `null`; here both are kept so a document round-trips.

use std::borrow::Cow;
use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, Visitor};

/// Fields of a wire type that this crate does not model, kept in document
/// order so they are written back unchanged.
///
/// Most objects have few or none, so the map lives behind one pointer that
/// is null when empty: every wire struct carries one of these, and keeping
/// it at 8 bytes keeps a decoded Pod small (see `benches/decode.rs`).
/// Equality ignores key order, like `IndexMap`'s.
#[derive(Clone, Debug, Default)]
pub struct Unmodelled(Option<Box<IndexMap<String, serde_json::Value>>>);

impl Unmodelled {
    /// An empty set of unmodelled fields.
    pub const fn new() -> Self {
        Unmodelled(None)
    }

    /// True when the document had no unmodelled fields.
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|m| m.is_empty())
    }

    /// How many unmodelled fields there are.
    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |m| m.len())
    }

    /// One field's value.
    pub fn get(&self, key: &str) -> Option<&serde_json::Value> {
        self.0.as_ref()?.get(key)
    }

    /// One field's value, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut serde_json::Value> {
        self.0.as_mut()?.get_mut(key)
    }

    /// Whether the field is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets a field, keeping its position if it exists.
    pub fn insert(&mut self, key: String, value: serde_json::Value) -> Option<serde_json::Value> {
        self.0.get_or_insert_with(Default::default).insert(key, value)
    }

    /// Removes a field, keeping the order of the others.
    pub fn remove(&mut self, key: &str) -> Option<serde_json::Value> {
        self.0.as_mut()?.shift_remove(key)
    }

    /// The field names, in document order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().flat_map(|m| m.keys())
    }

    /// The fields, in document order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &serde_json::Value)> {
        self.0.iter().flat_map(|m| m.iter())
    }
}

impl PartialEq for Unmodelled {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => a == b,
            _ => self.is_empty() && other.is_empty(),
        }
    }
}

impl<'a> IntoIterator for &'a Unmodelled {
    type Item = (&'a String, &'a serde_json::Value);
    type IntoIter = Box<dyn Iterator<Item = Self::Item> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl FromIterator<(String, serde_json::Value)> for Unmodelled {
    fn from_iter<I: IntoIterator<Item = (String, serde_json::Value)>>(iter: I) -> Self {
        let map: IndexMap<String, serde_json::Value> = iter.into_iter().collect();
        if map.is_empty() { Unmodelled(None) } else { Unmodelled(Some(Box::new(map))) }
    }
}

/// Whether a field is left out when its struct is written.
///
/// `Option::None` is absent; every other value (including an empty `Vec` or
/// an empty `String` in a required field) is written. This is what makes
/// `args: []` and a missing `args` round-trip as themselves.
pub trait Absent {
    /// True for types that represent absence themselves (`Option`): a
    /// document without the key reads as `None`, so nothing more is
    /// remembered about it.
    const OPTIONAL: bool = false;

    /// True when the field is not written at all.
    fn absent(&self) -> bool;

    /// Reads the field's value, telling an explicit `null` apart.
    #[doc(hidden)]
    fn deserialize_nullable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Nullable<Self>, D::Error>
    where
        Self: Deserialize<'de> + Sized,
    {
        NullableSeed::<Self>(std::marker::PhantomData).deserialize(deserializer)
    }
}

impl<T> Absent for Option<T> {
    const OPTIONAL: bool = true;

    fn absent(&self) -> bool {
        self.is_none()
    }

    fn deserialize_nullable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Nullable<Self>, D::Error>
    where
        Self: Deserialize<'de>,
    {
        // One look for `null` instead of two (the generic path would ask
        // once for the field and once more inside `Option`'s own impl).
        Option::<T>::deserialize(deserializer).map(|v| match v {
            None => Nullable::Null,
            some => Nullable::Value(some),
        })
    }
}

/// What the input document said about keys that have no value in the
/// struct: required keys (fields that are not `Option`) it left out, and
/// keys it wrote as an explicit `null`.
///
/// `creationTimestamp: null` and a missing `creationTimestamp` are different
/// JSON documents, and a manifest that leaves out a required field (a
/// Deployment without `selector`, an owner reference without `uid`) should
/// not gain one on the way out. Either memory applies only while the field
/// still holds its default value; once code sets the field, the value is
/// written. This is formatting memory, not content: it takes no part in
/// equality, like the key order of the maps.
#[derive(Clone, Copy, Debug, Default)]
pub struct AbsentKeys {
    missing: u64,
    null: u64,
}

impl AbsentKeys {
    /// Whether the required field at `index` (in the struct's `FIELDS`) was
    /// missing from the document.
    pub fn is_missing(&self, index: usize) -> bool {
        index < 64 && (self.missing >> index) & 1 == 1
    }

    /// Whether the field at `index` was written as an explicit `null`.
    pub fn is_null(&self, index: usize) -> bool {
        index < 64 && (self.null >> index) & 1 == 1
    }

    pub(crate) fn from_parts(seen: u64, required: u64, null: u64) -> Self {
        AbsentKeys { missing: !seen & required, null }
    }
}

impl PartialEq for AbsentKeys {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// The bit for the field at `index` in a 64-bit key set (fields past the
/// 64th are never tracked).
pub(crate) const fn key_bit(index: usize) -> u64 {
    if index < 64 { 1u64 << index } else { 0 }
}

/// Position of `name` in `fields`, at compile time.
pub(crate) const fn index_of(fields: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < fields.len() {
        if str_eq(fields[i], name) {
            return i;
        }
        i += 1;
    }
    usize::MAX
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

macro_rules! never_absent {
    ($($t:ty),*) => {
        $(impl Absent for $t {
            fn absent(&self) -> bool {
                false
            }
        })*
    };
}
never_absent!(String, bool, i32, i64, f64, serde_json::Value);

impl<T> Absent for Vec<T> {
    fn absent(&self) -> bool {
        false
    }
}

impl<K, V> Absent for IndexMap<K, V> {
    fn absent(&self) -> bool {
        false
    }
}

/// A map key, borrowed from the input when the deserializer allows it.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A field value that may be an explicit `null`.
#[doc(hidden)]
pub enum Nullable<T> {
    /// The document said `null`.
    Null,
    /// The document gave a value.
    Value(T),
}

/// Seed that reads a [`Nullable`].
pub(crate) struct NullableSeed<T>(pub(crate) std::marker::PhantomData<T>);

/// Seed that reads a wire struct's field through [`Absent::deserialize_nullable`].
pub(crate) struct FieldSeed<T>(pub(crate) std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de> + Absent> DeserializeSeed<'de> for FieldSeed<T> {
    type Value = Nullable<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        T::deserialize_nullable(deserializer)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for NullableSeed<T> {
    type Value = Nullable<T>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        struct NullableVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for NullableVisitor<T> {
            type Value = Nullable<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value or null")
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Nullable::Null)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Nullable::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                T::deserialize(d).map(Nullable::Value)
            }
        }
        deserializer.deserialize_option(NullableVisitor(std::marker::PhantomData))
    }
}

/// Declares a wire struct: public fields, `Default`, `Clone`, `Debug`,
/// `PartialEq`, a lossless serde implementation and an `other` map.
///
/// Each field names its JSON key explicitly (`field: Type = "jsonKey"`), so
/// the wire names are greppable and no renaming rule is implied.
macro_rules! wire_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $field:ident : $ty:ty = $wire:literal
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                pub $field: $ty,
            )*
            /// Fields this crate does not model, kept so the object is written
            /// back unchanged.
            pub other: $crate::api::wire::Unmodelled,
            /// Required keys the document left out and keys it wrote as `null`
            /// (see [`AbsentKeys`](crate::api::AbsentKeys)).
            pub absent_keys: $crate::api::wire::AbsentKeys,
        }

        impl $crate::api::wire::Absent for $name {
            fn absent(&self) -> bool {
                false
            }
        }

        impl $name {
            /// The JSON keys this type models, in the order it writes them.
            pub const FIELDS: &'static [&'static str] = &[$($wire),*];

            /// Bits of the fields that are not `Option` (see `AbsentKeys`).
            const REQUIRED_KEYS: u64 = 0 $(| if <$ty as $crate::api::wire::Absent>::OPTIONAL {
                0
            } else {
                $crate::api::wire::key_bit($crate::api::wire::index_of(Self::FIELDS, $wire))
            })*;

            /// Whether the document wrote `key` as an explicit `null` (and the
            /// field has not been given a value since). A null selector, for
            /// one, selects nothing (semantics/DECISIONS.md G5).
            pub fn is_null_on_wire(&self, key: &str) -> bool {
                match key {
                    $($wire => self.absent_keys.is_null($crate::api::wire::index_of(Self::FIELDS, $wire))
                        && self.$field == <$ty as Default>::default(),)*
                    _ => self.other.get(key).is_some_and(::serde_json::Value::is_null),
                }
            }

            /// Whether the document left out the required field `key` (and the
            /// field has not been given a value since).
            pub fn is_missing_on_wire(&self, key: &str) -> bool {
                match key {
                    $($wire => self.absent_keys.is_missing($crate::api::wire::index_of(Self::FIELDS, $wire))
                        && self.$field == <$ty as Default>::default(),)*
                    _ => false,
                }
            }

            /// Whether the document left the required field `key` out or
            /// wrote it as `null` (Go's nil for a pointer field), the field
            /// not given a value since.
            pub fn is_unset_on_wire(&self, key: &str) -> bool {
                self.is_null_on_wire(key) || self.is_missing_on_wire(key)
            }

            #[allow(unused_variables)]
            fn known_key_present(&self, key: &str) -> bool {
                match key {
                    $($wire => !$crate::api::wire::Absent::absent(&self.$field),)*
                    _ => false,
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $({
                    const INDEX: usize = $crate::api::wire::index_of($name::FIELDS, $wire);
                    let absent = $crate::api::wire::Absent::absent(&self.$field);
                    // Only a field still at its default can stand for a null or
                    // missing key; Option fields are at their default when None.
                    let at_default = || absent || self.$field == <$ty as Default>::default();
                    if self.absent_keys.is_null(INDEX) && at_default() {
                        map.serialize_entry($wire, &())?;
                    } else if !absent
                        && !(!<$ty as $crate::api::wire::Absent>::OPTIONAL
                            && self.absent_keys.is_missing(INDEX)
                            && at_default())
                    {
                        map.serialize_entry($wire, &self.$field)?;
                    }
                })*
                for (key, value) in self.other.iter() {
                    // Never write a key twice if code put a modelled key here.
                    if !self.known_key_present(key) {
                        map.serialize_entry(key, value)?;
                    }
                }
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct StructVisitor;
                impl<'de> ::serde::de::Visitor<'de> for StructVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " object"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut access: A) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        let mut seen: u64 = 0;
                        let mut null: u64 = 0;
                        while let Some(key) = access.next_key::<$crate::api::wire::Key<'de>>()? {
                            match key.0.as_ref() {
                                $(
                                    $wire => {
                                        const BIT: u64 = $crate::api::wire::key_bit(
                                            $crate::api::wire::index_of($name::FIELDS, $wire),
                                        );
                                        seen |= BIT;
                                        match access.next_value_seed(
                                            $crate::api::wire::FieldSeed::<$ty>(::std::marker::PhantomData),
                                        )? {
                                            $crate::api::wire::Nullable::Value(v) => {
                                                out.$field = v;
                                                null &= !BIT;
                                            }
                                            $crate::api::wire::Nullable::Null => {
                                                out.$field = Default::default();
                                                null |= BIT;
                                            }
                                        }
                                    },
                                )*
                                _ => {
                                    let value: ::serde_json::Value = access.next_value()?;
                                    out.other.insert(key.0.into_owned(), value);
                                }
                            }
                        }
                        out.absent_keys = $crate::api::wire::AbsentKeys::from_parts(seen, $name::REQUIRED_KEYS, null);
                        Ok(out)
                    }
                }
                deserializer.deserialize_map(StructVisitor)
            }
        }
    };
}

/// A required enum field as Kubernetes reads it: Go's empty string (the
/// enum's `Other("")`) when the key was missing or null on the wire, which
/// no known value is; otherwise the value.
pub(crate) fn enum_as_read<'a, E>(unset: bool, value: &'a E) -> std::borrow::Cow<'a, E>
where
    E: Clone + for<'s> From<&'s str>,
{
    if unset { std::borrow::Cow::Owned(E::from("")) } else { std::borrow::Cow::Borrowed(value) }
}

/// Declares an open string enum of the API: known values as variants, any
/// other string kept in `Other` so it round-trips (validation reports it as
/// NotSupported). The first variant listed is the `Default`.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $wire:literal
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(
                $(#[$vmeta])*
                $variant,
            )+
            /// A value this crate does not know, kept as written.
            Other(String),
        }

        impl $name {
            /// Every value this crate knows, as written on the wire.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(s) => s.as_str(),
                }
            }

            /// Whether this is one of the values the API defines.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                $crate::api::wire::wire_enum!(@first $($variant)+)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                })
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => Self::$variant,)+
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::api::wire::Absent for $name {
            fn absent(&self) -> bool {
                false
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let key = $crate::api::wire::Key::deserialize(deserializer)?;
                Ok(Self::from(key.0.as_ref()))
            }
        }
    };
    (@first $first:ident $($rest:ident)*) => {
        Self::$first
    };
}

pub(crate) use {wire_enum, wire_struct};
