//! String helpers: equality for the hot comparisons of names, namespaces,
//! UIDs and label keys and values, and cutting a name to a length.
//!
//! `a == b` on two `&str` of equal length calls libc's `memcmp` (`bcmp`):
//! a call, a dispatch on length and alignment, and its return, for strings
//! that are mostly under 40 bytes. A reconcile compares several per pod
//! (namespace, owner UID, each selector label), so [`same_str`] compares
//! short strings inline with two overlapping word loads a side.

/// The longest `generateName` base the API server keeps: a generated name
/// has at most 63 characters, five of them random (apiserver
/// `names.SimpleNameGenerator`, `MaxGeneratedNameLength`).
pub(crate) const MAX_GENERATED_NAME_LENGTH: usize = 58;

/// `s` cut to at most `max` bytes, at the character boundary at or below
/// `max`: names are ASCII once validated, and this keeps one that was not
/// from being cut inside a character.
pub(crate) fn cut_to(s: &str, max: usize) -> &str {
    let cut = (0..=max.min(s.len())).rev().find(|i| s.is_char_boundary(*i)).unwrap_or(0);
    s.get(..cut).unwrap_or_default()
}

/// `s` lower-cased as Go's `strings.ToLower`: each character by its
/// simple mapping, so `İ` (U+0130) becomes a plain `i` and a final `Σ` a
/// `σ` (Rust's `str::to_lowercase` gives `i` + U+0307 and `ς`).
pub(crate) fn go_to_lower(s: &str) -> String {
    s.chars().map(|c| if c == '\u{130}' { 'i' } else { c.to_lowercase().next().unwrap_or(c) }).collect()
}

/// Messages as Go's `utilerrors.NewAggregate(...).Error()` prints them:
/// nothing for none, one alone, several (each distinct message once, in
/// order) in brackets, comma-separated.
pub(crate) fn go_aggregate<S: AsRef<str>>(messages: impl IntoIterator<Item = S>) -> String {
    let mut distinct: Vec<S> = Vec::new();
    for m in messages {
        if !distinct.iter().any(|d| d.as_ref() == m.as_ref()) {
            distinct.push(m);
        }
    }
    match distinct.as_slice() {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        many => format!("[{}]", many.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", ")),
    }
}

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
    if a.len() > 32 {
        return a == b;
    }
    // Equal lengths: the widest chunk that fits decides.
    ends_equal::<16>(a, b)
        .or_else(|| ends_equal::<8>(a, b))
        .or_else(|| ends_equal::<4>(a, b))
        .or_else(|| ends_equal::<2>(a, b))
        // Under two bytes.
        .unwrap_or_else(|| a.first() == b.first())
}

/// Whether the first and the last `N` bytes of `a` and `b` (of equal
/// lengths, at least `N` and at most `2N`) agree: the two chunks overlap in
/// the middle when the length is under `2N`, so they cover every byte.
/// `None` when the strings are shorter than `N`. A fixed-size array
/// comparison compiles to one integer compare a side.
#[inline]
fn ends_equal<const N: usize>(a: &[u8], b: &[u8]) -> Option<bool> {
    let (a0, b0) = (a.first_chunk::<N>()?, b.first_chunk::<N>()?);
    let (a1, b1) = (a.last_chunk::<N>()?, b.last_chunk::<N>()?);
    Some(a0 == b0 && a1 == b1)
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
