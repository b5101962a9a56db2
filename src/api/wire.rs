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

use std::borrow::Cow;
use std::fmt;

use indexmap::IndexMap;
use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, Visitor};

/// Fields of a wire type that this crate does not model, kept in document
/// order so they are written back unchanged.
pub type Unmodelled = IndexMap<String, serde_json::Value>;

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
}

impl<T> Absent for Option<T> {
    const OPTIONAL: bool = true;

    fn absent(&self) -> bool {
        self.is_none()
    }
}

/// Which required keys (fields that are not `Option`) the input document
/// did not have, so they are not invented on the way out.
///
/// A manifest that leaves out a required field (a Deployment without
/// `selector`, an owner reference without `uid`) is written back without it
/// as long as the field still holds its default value; once code sets the
/// field, it is written. This is formatting memory, not content: it takes no
/// part in equality, like the key order of the maps.
#[derive(Clone, Copy, Debug, Default)]
pub struct AbsentKeys(u64);

impl AbsentKeys {
    /// Whether the field at `index` (in the struct's `FIELDS`) was absent.
    pub fn contains(&self, index: usize) -> bool {
        index < 64 && (self.0 >> index) & 1 == 1
    }

    pub(crate) fn from_unseen(seen: u64, required: u64) -> Self {
        AbsentKeys(!seen & required)
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
pub(crate) enum Nullable<T> {
    /// The document said `null`.
    Null,
    /// The document gave a value.
    Value(T),
}

/// Seed that reads a [`Nullable`].
pub(crate) struct NullableSeed<T>(pub(crate) std::marker::PhantomData<T>);

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
            /// Required keys the document left out (see [`AbsentKeys`](crate::api::AbsentKeys)).
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
                $(
                    if !$crate::api::wire::Absent::absent(&self.$field)
                        && !(<$ty as $crate::api::wire::Absent>::OPTIONAL == false
                            && self.absent_keys.contains($crate::api::wire::index_of(Self::FIELDS, $wire))
                            && self.$field == <$ty as Default>::default())
                    {
                        map.serialize_entry($wire, &self.$field)?;
                    }
                )*
                for (key, value) in &self.other {
                    // A key remembered as `null` is dropped once its field has a value.
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
                        while let Some(key) = access.next_key::<$crate::api::wire::Key<'de>>()? {
                            match key.0.as_ref() {
                                $(
                                    $wire => {
                                        seen |= const {
                                            $crate::api::wire::key_bit($crate::api::wire::index_of($name::FIELDS, $wire))
                                        };
                                        match access.next_value_seed(
                                        $crate::api::wire::NullableSeed::<$ty>(::std::marker::PhantomData),
                                    )? {
                                        $crate::api::wire::Nullable::Value(v) => {
                                            out.$field = v;
                                            if !out.other.is_empty() {
                                                out.other.shift_remove($wire);
                                            }
                                        }
                                        $crate::api::wire::Nullable::Null => {
                                            out.$field = Default::default();
                                            out.other.insert($wire.to_owned(), ::serde_json::Value::Null);
                                        }
                                    }},
                                )*
                                _ => {
                                    let value: ::serde_json::Value = access.next_value()?;
                                    out.other.insert(key.0.into_owned(), value);
                                }
                            }
                        }
                        out.absent_keys = $crate::api::wire::AbsentKeys::from_unseen(seen, $name::REQUIRED_KEYS);
                        Ok(out)
                    }
                }
                deserializer.deserialize_map(StructVisitor)
            }
        }
    };
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
