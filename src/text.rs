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

/// `text` aligned as Go's `text/tabwriter` aligns it with a minimum cell
/// width of 0, the given `padding`, space as the padding character and no
/// flags (what kubectl's `tabbedString` sets up): cells end at a tab, and
/// each column of tab-ended cells in consecutive lines is as wide as its
/// widest cell (in characters) plus `padding`; the text after a line's last
/// tab is not aligned. A form feed ends a line and starts an independent
/// block, as Go's flush does; a vertical tab ends a cell as a tab does.
pub(crate) fn go_tabwriter(text: &str, padding: usize) -> String {
    let mut out = String::new();
    for (i, segment) in text.split('\u{c}').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut lines: Vec<Vec<&str>> =
            segment.split('\n').map(|l| l.split(['\t', '\u{b}']).collect()).collect();
        // The text's last line, not ended by a line break: Go's flush ends
        // its pending cell only when the cell holds text, so a tab there
        // leaves the cell before it as the line's last (not aligned).
        let unterminated = i == text.matches('\u{c}').count();
        if let Some(last) =
            lines.last_mut().filter(|l| unterminated && l.len() > 1 && l.last().is_some_and(|c| c.is_empty()))
        {
            last.pop();
        }
        let mut writer = TabWriter { lines: &lines, widths: Vec::new(), padding, out: &mut out };
        writer.format(0, lines.len());
    }
    out
}

/// Go's `tabwriter.Writer.format` state over one flushed block of lines.
struct TabWriter<'a, 'o> {
    lines: &'a [Vec<&'a str>],
    /// The widths of the columns enclosing the block being formatted.
    widths: Vec<usize>,
    padding: usize,
    out: &'o mut String,
}

impl TabWriter<'_, '_> {
    /// Whether line `i` has a tab-ended cell in `column`.
    fn has_cell(&self, i: usize, column: usize) -> bool {
        self.lines.get(i).is_some_and(|l| column.saturating_add(1) < l.len())
    }

    /// Formats lines `line0..line1`: every run of lines with a cell in the
    /// next column gets that column's width, recursively (upstream:
    /// `Writer.format`).
    fn format(&mut self, mut line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if !self.has_cell(this, column) {
                this = this.saturating_add(1);
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;
            let mut width = 0;
            while this < line1 && self.has_cell(this, column) {
                let cell = self.lines.get(this).and_then(|l| l.get(column)).map_or(0, |c| c.chars().count());
                width = width.max(cell.saturating_add(self.padding));
                this = this.saturating_add(1);
            }
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }

    /// Writes lines `line0..line1` with the current column widths, a line
    /// break after each but the block's last line (upstream:
    /// `Writer.writeLines`).
    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            let Some(line) = self.lines.get(i) else { continue };
            for (j, cell) in line.iter().enumerate() {
                self.out.push_str(cell);
                if let Some(width) = self.widths.get(j) {
                    let pad = width.saturating_sub(cell.chars().count());
                    self.out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if i.saturating_add(1) < self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{go_tabwriter, same_bytes};

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

    // Go's text/tabwriter with minwidth 0, padding 2, padchar ' ', flags 0
    // (kubectl's tabbedString): cases worked out from Writer.format.
    #[test]
    fn tabwriter_aligns_as_go() {
        let cases = [
            ("REVISION\tCHANGE-CAUSE\n1\t<none>\n", "REVISION  CHANGE-CAUSE\n1         <none>\n"),
            // A line without a tab ends the column block.
            ("a\tb\nxxxx\nccc\td\n", "a  b\nxxxx\nccc  d\n"),
            // Nested columns: the second spans only the line that ends a
            // cell there.
            ("a\tb\tc\naaaa\tb\n", "a     b  c\naaaa  b\n"),
            // A form feed flushes: the blocks on either side are apart.
            ("a\tb\u{c}xxxxx\tc\n", "a  b\nxxxxx  c\n"),
            // Widths count characters, not bytes; no line break is added.
            ("\u{e9}\tx\nab\ty", "\u{e9}   x\nab  y"),
            ("", ""),
            // Unterminated last line ending in a tab: the empty pending
            // cell is dropped at the flush, so `b` is not padded; a line
            // break ends it, and `b` is.
            ("a\tb\t", "a  b"),
            ("a\tb\t\n", "a  b  \n"),
        ];
        for (input, want) in cases {
            assert_eq!(go_tabwriter(input, 2), want, "{input:?}");
        }
    }
}
