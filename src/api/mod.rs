//! Wire types: the objects as the API server speaks them in JSON and YAML.
//!
//! Every struct here is plain data with public fields. Optional fields are
//! `Option` (so a missing field and an empty one stay distinct), maps keep
//! document order, string enums keep unknown values, and fields this crate
//! does not model are kept in each struct's `other` map. Reading any manifest
//! and writing it back gives the same JSON value.

pub(crate) mod wire;

pub mod apps;
pub mod batch;
pub mod intstr;
pub mod meta;
pub mod node;
pub mod object;
pub mod pod;
pub mod pod_status;
pub mod preset;
pub mod quantity;
pub mod revision;
pub mod storage;

pub use apps::*;
pub use batch::*;
pub use intstr::{IntOrString, IntOrStringError};
pub use meta::*;
pub use node::*;
pub use object::*;
pub use pod::*;
pub use pod_status::*;
pub use preset::*;
pub use quantity::Quantity;
pub use revision::*;
pub use storage::*;
pub use wire::{Absent, AbsentKeys, Unmodelled};
