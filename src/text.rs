//! String equality for the hot comparisons of names, namespaces, UIDs and
//! label keys and values.
//!
//! `a == b` on two `&str` of equal length calls libc's `memcmp` (`bcmp`):
//! a call, a dispatch on length and alignment, and its return, for strings
//! that are mostly under 40 bytes. A reconcile compares several per pod
//! (namespace, owner UID, each selector label), so [`same_str`] compares
//! short strings inline with at most four overlapping word loads a side.

/// Whether `a` and `b` are the same string.
#[inline]
pub(crate) fn same_str(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// [`same_str`] over bytes.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Equal lengths: the first and the last chunk of each, overlapping in
    // the middle when the length is under twice the chunk, cover every byte.
    if let (Some(a0), Some(b0), Some(a1), Some(b1)) =
        (a.first_chunk::<16>(), b.first_chunk::<16>(), a.last_chunk::<16>(), b.last_chunk::<16>())
    {
        if a.len() > 32 {
            return a == b;
        }
        return u128::from_ne_bytes(*a0) == u128::from_ne_bytes(*b0)
            && u128::from_ne_bytes(*a1) == u128::from_ne_bytes(*b1);
    }
    if let (Some(a0), Some(b0), Some(a1), Some(b1)) =
        (a.first_chunk::<8>(), b.first_chunk::<8>(), a.last_chunk::<8>(), b.last_chunk::<8>())
    {
        return u64::from_ne_bytes(*a0) == u64::from_ne_bytes(*b0)
            && u64::from_ne_bytes(*a1) == u64::from_ne_bytes(*b1);
    }
    if let (Some(a0), Some(b0), Some(a1), Some(b1)) =
        (a.first_chunk::<4>(), b.first_chunk::<4>(), a.last_chunk::<4>(), b.last_chunk::<4>())
    {
        return u32::from_ne_bytes(*a0) == u32::from_ne_bytes(*b0)
            && u32::from_ne_bytes(*a1) == u32::from_ne_bytes(*b1);
    }
    if let (Some(a0), Some(b0), Some(a1), Some(b1)) =
        (a.first_chunk::<2>(), b.first_chunk::<2>(), a.last_chunk::<2>(), b.last_chunk::<2>())
    {
        return u16::from_ne_bytes(*a0) == u16::from_ne_bytes(*b0)
            && u16::from_ne_bytes(*a1) == u16::from_ne_bytes(*b1);
    }
    // Under two bytes.
    a.first() == b.first()
}

#[cfg(test)]
mod tests {
    use super::same_bytes;

    /// Agrees with `==` at every length up to 40, for equal strings and for
    /// strings differing in any one byte or in length.
    #[test]
    fn same_bytes_is_equality() {
        for len in 0..=40usize {
            let a: Vec<u8> = (0..len).map(|i| b'a'.wrapping_add(u8::try_from(i % 26).unwrap_or(0))).collect();
            assert!(same_bytes(&a, &a.clone()), "length {len}");
            for at in 0..len {
                let mut b = a.clone();
                if let Some(x) = b.get_mut(at) {
                    *x = b'Z';
                }
                assert!(!same_bytes(&a, &b), "length {len}, byte {at}");
            }
            let mut longer = a.clone();
            longer.push(b'a');
            assert!(!same_bytes(&a, &longer), "length {len} vs {}", len + 1);
        }
    }
}
