//! Exact quantity values for comparisons and sums.
//!
//! upstream: staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go
//! (ParseQuantity, Cmp, Add, CanonicalizeBytes). A quantity is read as
//! `mantissa × 10^exponent` with a 128-bit mantissa, which holds every
//! quantity a manifest writes in practice (up to 38 significant digits,
//! binary suffixes folded into the mantissa). Values beyond that do not
//! parse here; callers fall back to their floating-point reading.

use std::cmp::Ordering;

/// How the quantity was written (upstream: resource.Format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// `n u m "" k M G T P E` suffixes.
    DecimalSi,
    /// `Ki Mi Gi Ti Pi Ei` suffixes.
    BinarySi,
    /// `e<n>` / `E<n>` exponents.
    DecimalExponent,
}

/// An exact decimal: `m × 10^e`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dec {
    m: i128,
    e: i32,
}

/// A parsed quantity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub(crate) value: Dec,
    pub(crate) format: Format,
    /// Whether upstream keeps the text as written for `String()` (see
    /// [`kept_as_written`]).
    pub(crate) as_written: bool,
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl Dec {
    /// Zero.
    pub(crate) const ZERO: Dec = Dec { m: 0, e: 0 };

    /// `m × 10^e`.
    pub(crate) fn new(m: i128, e: i32) -> Dec {
        Dec { m, e }.normalized()
    }

    /// Trailing zeros of the mantissa moved into the exponent.
    fn normalized(self) -> Dec {
        if self.m == 0 {
            return Dec::ZERO;
        }
        let mut d = self;
        while d.m % 10 == 0 {
            match d.e.checked_add(1) {
                Some(e) => {
                    d.m /= 10;
                    d.e = e;
                }
                None => break,
            }
        }
        d
    }

    /// The sign: -1, 0 or 1.
    pub(crate) fn signum(self) -> i32 {
        match self.m.cmp(&0) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        }
    }

    /// Both mantissas scaled to the smaller exponent; `None` for one that
    /// overflows.
    fn aligned(self, other: Dec) -> (Option<i128>, Option<i128>) {
        let e = self.e.min(other.e);
        let scale = |d: Dec| -> Option<i128> {
            let shift = u32::try_from(i64::from(d.e).checked_sub(i64::from(e))?).ok()?;
            d.m.checked_mul(pow10(shift)?)
        };
        (scale(self), scale(other))
    }

    /// Exact comparison.
    pub(crate) fn cmp_exact(self, other: Dec) -> Ordering {
        let (sa, sb) = (self.signum(), other.signum());
        if sa != sb {
            return sa.cmp(&sb);
        }
        match self.aligned(other) {
            (Some(a), Some(b)) => a.cmp(&b),
            // The one that overflowed when scaled up is the larger in
            // magnitude; both have the same sign here.
            (None, _) if sa > 0 => Ordering::Greater,
            (None, _) => Ordering::Less,
            (_, None) if sa > 0 => Ordering::Less,
            (_, None) => Ordering::Greater,
        }
    }

    /// Exact sum; `None` on overflow.
    pub(crate) fn checked_add(self, other: Dec) -> Option<Dec> {
        if self.m == 0 {
            return Some(other);
        }
        if other.m == 0 {
            return Some(self);
        }
        let (a, b) = self.aligned(other);
        Some(Dec::new(a?.checked_add(b?)?, self.e.min(other.e)))
    }

    /// The mantissa and exponent.
    pub(crate) fn parts(self) -> (i128, i32) {
        (self.m, self.e)
    }

    /// Whether the value is zero.
    pub(crate) fn is_zero(self) -> bool {
        self.m == 0
    }

    /// The value in thousandths, rounded away from zero (upstream:
    /// Quantity.MilliValue, ScaledValue rounding up); `None` when it does
    /// not fit.
    pub(crate) fn milli_value(self) -> Option<i128> {
        let shift = self.e.checked_add(3)?;
        if shift >= 0 {
            return self.m.checked_mul(pow10(shift.unsigned_abs())?);
        }
        let div = pow10(shift.unsigned_abs())?;
        let (q, r) = (self.m / div, self.m % div);
        Some(if r == 0 { q } else { q.checked_add(self.m.signum())? })
    }
}

/// Parses a quantity exactly (upstream: resource.ParseQuantity, after
/// UnmarshalJSON's TrimSpace); `None` when it is not a quantity or does not
/// fit. As upstream's parser, a missing number is zero: `"."`, `"-"` and a
/// bare suffix such as `"Gi"` parse as 0, except where upstream's slow path
/// finds no digits ([`digitless_slow_path`]: `"Ei"`, `"e-10"`); a value below a nano is rounded
/// away from zero to whole nanos, and a binary one is capped at the largest
/// int64.
pub(crate) fn parse(s: &str) -> Option<Parsed> {
    let s = s.trim();
    let (negative, rest) = match s.as_bytes().first()? {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    let split = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
    let (number, suffix) = (rest.get(..split)?, rest.get(split..)?);
    if digitless_slow_path(number, suffix) {
        return None;
    }
    let (int_part, frac_part) = match number.split_once('.') {
        Some((i, f)) => (i, f),
        None => (number, ""),
    };
    if frac_part.contains('.') {
        return None;
    }
    let mut m: i128 = 0;
    for b in int_part.bytes().chain(frac_part.bytes()) {
        m = m.checked_mul(10)?.checked_add(i128::from(b.checked_sub(b'0')?))?;
    }
    let mut e: i32 = 0i32.checked_sub(i32::try_from(frac_part.len()).ok()?)?;
    let format = match suffix {
        "" => Format::DecimalSi,
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            let k: u32 = match suffix {
                "Ki" => 1,
                "Mi" => 2,
                "Gi" => 3,
                "Ti" => 4,
                "Pi" => 5,
                _ => 6,
            };
            m = m.checked_mul(1024i128.checked_pow(k)?)?;
            Format::BinarySi
        }
        "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E" => {
            let shift: i32 = match suffix {
                "n" => -9,
                "u" => -6,
                "m" => -3,
                "k" => 3,
                "M" => 6,
                "G" => 9,
                "T" => 12,
                "P" => 15,
                _ => 18,
            };
            e = e.checked_add(shift)?;
            Format::DecimalSi
        }
        exp => {
            let digits = exp.strip_prefix(['e', 'E'])?;
            let unsigned = digits.strip_prefix(['+', '-']).unwrap_or(digits);
            if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            e = e.checked_add(go_exponent(digits)?)?;
            Format::DecimalExponent
        }
    };
    // Below a nano, upstream rounds the magnitude up to whole nanos ("if
    // you want some resources, you should get some").
    if e < -9 {
        let digits = u32::try_from(i64::from(-9i32).saturating_sub(i64::from(e))).ok()?;
        m = match pow10(digits) {
            Some(div) if m % div == 0 => m / div,
            Some(div) => (m / div).checked_add(1)?,
            // More digits than any mantissa: a non-zero value is one nano.
            None => i128::from(m != 0),
        };
        e = -9;
    }
    let mut format = format;
    if format == Format::BinarySi {
        // upstream caps binary values at the largest int64 and writes those
        // under 1 in decimal SI.
        let max = Dec::new(i128::from(i64::MAX), 0);
        if Dec::new(m, e).cmp_exact(max) == Ordering::Greater {
            (m, e) = (i128::from(i64::MAX), 0);
        }
        if Dec::new(m, e).cmp_exact(Dec::new(1, 0)) == Ordering::Less {
            format = Format::DecimalSi;
        }
    }
    if negative {
        m = m.checked_neg()?;
    }
    Some(Parsed { value: Dec::new(m, e), format, as_written: kept_as_written(s) })
}

/// Whether upstream's ParseQuantity refuses `number` (the text before the
/// suffix, sign aside) for want of digits. A number without a digit (`""`,
/// `"."`) is 0 on its int64 fast path, but a suffix that sends the value to
/// the inf.Dec path (binary `Pi` or `Ei`, whose precision estimate is
/// negative, or an exponent below -9) leaves inf.Dec's SetString nothing to
/// read: `ErrNumeric`.
pub(crate) fn digitless_slow_path(number: &str, suffix: &str) -> bool {
    if number.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    match suffix {
        "Pi" | "Ei" => true,
        s => s.strip_prefix(['e', 'E']).and_then(go_exponent).is_some_and(|e| e < -9),
    }
}

/// An `e<n>` exponent as upstream reads it (quantitySuffixer.interpret):
/// an int64, cut to its low 32 bits (`int32(parsed)`), so `1e4294967296`
/// is 1; the cut value -2^31 is refused, as upstream's newest code does.
fn go_exponent(digits: &str) -> Option<i32> {
    let n: i64 = digits.parse().ok()?;
    let low = n.rem_euclid(1 << 32);
    let wrapped = if low >= 1 << 31 { low.checked_sub(1 << 32)? } else { low };
    i32::try_from(wrapped).ok().filter(|e| *e != i32::MIN)
}

/// Whether upstream's ParseQuantity keeps the trimmed text `s` (a valid
/// quantity) for `String()` instead of the canonical form: its int64 fast
/// path caches a text it takes to be canonical. Decimal (SI or exponent):
/// at most 18 digits once the integer part's leading zeros are dropped, a
/// scale (exponent less the fraction digits) of at least -9 and a multiple
/// of 3, and digits that neither start with 0 nor end in 000 (`1.441`,
/// `+1`, `01`, `1.`, `1e0`). Binary: no fraction, few enough digits for
/// the suffix, and a number not divisible by 8 (`5Ki`, `+1Gi`).
fn kept_as_written(s: &str) -> bool {
    if s == "0" {
        return true;
    }
    let rest = s.strip_prefix(['+', '-']).unwrap_or(s);
    let int_end = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let (int_part, after) = (rest.get(..int_end).unwrap_or(""), rest.get(int_end..).unwrap_or(""));
    let num = match int_part.trim_start_matches('0') {
        "" => "0",
        digits => digits,
    };
    // An all-zero rest ends the parse early, as zero.
    if after.is_empty() && num == "0" {
        return false;
    }
    let (denom, suffix) = match after.strip_prefix('.') {
        Some(a) => {
            let end = a.find(|c: char| !c.is_ascii_digit()).unwrap_or(a.len());
            (a.get(..end).unwrap_or(""), a.get(end..).unwrap_or(""))
        }
        None => ("", after),
    };
    let binary = match suffix {
        "Ki" => Some(10),
        "Mi" => Some(20),
        "Gi" => Some(30),
        "Ti" => Some(40),
        "Pi" => Some(50),
        "Ei" => Some(60),
        _ => None,
    };
    if let Some(exponent) = binary {
        // 1Mi has about 6 decimal digits: upstream's precision estimate.
        let digits = i64::try_from(num.len()).unwrap_or(i64::MAX);
        let precision = 14i64.saturating_sub(digits).saturating_sub(exponent * 3 / 10);
        let value: Option<i64> = num.parse().ok();
        return denom.is_empty()
            && precision >= 0
            && value.is_some_and(|v| v.checked_mul(1i64 << exponent).is_some() && v & 7 != 0);
    }
    let exponent = match suffix {
        "" => Some(0),
        "n" => Some(-9),
        "u" => Some(-6),
        "m" => Some(-3),
        "k" => Some(3),
        "M" => Some(6),
        "G" => Some(9),
        "T" => Some(12),
        "P" => Some(15),
        "E" => Some(18),
        exp => exp.strip_prefix(['e', 'E']).and_then(go_exponent),
    };
    let digits = num.len().saturating_add(denom.len());
    let Some(scale) = exponent.and_then(|e| e.checked_sub(i32::try_from(denom.len()).ok()?)) else {
        return false;
    };
    let shifted = format!("{num}{denom}");
    digits <= 18 && scale >= -9 && scale % 3 == 0 && !shifted.ends_with("000") && !shifted.starts_with('0')
}

/// The text upstream's `Quantity.String` gives a quantity read from `s`:
/// the trimmed text when ParseQuantity keeps it, else the canonical form.
pub(crate) fn display(s: &str) -> Option<String> {
    let s = s.trim();
    let parsed = parse(s)?;
    Some(if parsed.as_written { s.to_owned() } else { format(parsed.value, parsed.format) })
}

/// The canonical text of a value in a format (upstream: Quantity.String,
/// CanonicalizeBytes): see the binary rule below; decimal SI values use the
/// largest suffix (`n` .. `E`) that keeps the mantissa whole, rounding up
/// below a nano; exponent values are written `<m>e<3k>`.
pub(crate) fn format(value: Dec, format: Format) -> String {
    let (m, e) = value.parts();
    if m == 0 {
        return "0".to_owned();
    }
    // upstream CanonicalizeBytes: binary values of at least 1Ki that are
    // whole numbers use the largest power of 1024 that divides them (no
    // suffix when none does); other binary values are written in decimal SI.
    if format == Format::BinarySi
        && e >= 0
        && let Some(whole) = pow10(e.unsigned_abs()).and_then(|p| m.checked_mul(p))
        && whole.unsigned_abs() >= 1024
    {
        let suffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
        let mut n = whole;
        let mut idx = 0usize;
        while idx < 6 && n % 1024 == 0 {
            n /= 1024;
            idx = idx.saturating_add(1);
        }
        let suffix = suffixes.get(idx).copied().unwrap_or("");
        return format!("{n}{suffix}");
    }
    // Decimal: choose an exponent that is a multiple of 3, at or below e,
    // not below n (-9); a decimal SI suffix goes up to E (18), an exponent
    // has no bound.
    // A decimal SI value past the `E` suffix is written with an exponent
    // (upstream's fix of PR 140459; before it the suffix was dropped).
    let exp3 = e.div_euclid(3).saturating_mul(3).max(-9);
    let mut mant = m;
    if e > exp3 {
        let Some(scaled) =
            u32::try_from(e.saturating_sub(exp3)).ok().and_then(pow10).and_then(|p| m.checked_mul(p))
        else {
            return format!("{m}e{e}");
        };
        mant = scaled;
    } else if e < exp3 {
        // Below nano precision: round up to whole nanos, as upstream does.
        let Some(div) = u32::try_from(exp3.saturating_sub(e)).ok().and_then(pow10) else {
            return format!("{}n", if m > 0 { 1 } else { -1 });
        };
        // Away from zero, as upstream rounds the magnitude.
        let q = m / div;
        mant = if m % div != 0 { q.saturating_add(m.signum()) } else { q };
    }
    if format == Format::DecimalExponent || exp3 > 18 {
        return if exp3 == 0 { format!("{mant}") } else { format!("{mant}e{exp3}") };
    }
    let suffix = match exp3 {
        -9 => "n",
        -6 => "u",
        -3 => "m",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        18 => "E",
        _ => "",
    };
    format!("{mant}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Dec {
        parse(s).map(|p| p.value).unwrap_or(Dec::new(-999, 0))
    }

    #[test]
    fn parses_and_compares_exactly() {
        assert_eq!(v("100m").cmp_exact(v("0.1")), Ordering::Equal);
        assert_eq!(v("1Gi").cmp_exact(v("1073741824")), Ordering::Equal);
        assert_eq!(v("1e3").cmp_exact(v("1k")), Ordering::Equal);
        assert_eq!(v("1.5").cmp_exact(v("1500m")), Ordering::Equal);
        assert_eq!(v("0.1").cmp_exact(v("0.10000000000000001")), Ordering::Less);
        assert_eq!(v("-1").cmp_exact(v("0")), Ordering::Less);
        assert_eq!(v("1E").cmp_exact(v("1n")), Ordering::Greater);
        assert!(parse("1.2.3").is_none());
        assert!(parse("1K").is_none());
        assert!(parse("").is_none());
        assert!(parse("  ").is_none());
        assert_eq!(parse("5.").map(|p| p.value), Some(Dec::new(5, 0)));
        // upstream's parseQuantityString: a missing number is zero, and
        // UnmarshalJSON trims surrounding whitespace first.
        for zero in [".", "-", "+", "+.", "-.", "Gi", "m"] {
            assert!(parse(zero).is_some_and(|p| p.value.is_zero()), "{zero}");
        }
        assert_eq!(parse(" 1Gi ").map(|p| p.value), Some(Dec::new(1_073_741_824, 0)));
    }

    fn canonical(s: &str) -> String {
        parse(s).map_or_else(|| "unparsed".to_owned(), |p| format(p.value, p.format))
    }

    // upstream: ParseQuantity rounds a value below a nano away from zero to
    // whole nanos (quantity_test.go TestQuantityParse, "the negative
    // version of everything", and TestQuantityParseEmit), caps binary
    // values at the largest int64 and writes those under 1 in decimal SI;
    // Quantity.String writes an exponent without an upper bound
    // (int64Amount.AsCanonicalBytes).
    #[test]
    fn parse_rounds_to_nanos_and_caps_binary_values() {
        assert_eq!(canonical("0.0000000001"), "1n");
        assert_eq!(canonical("-0.0000000001"), "-1n");
        assert_eq!(canonical("-.000000000001Ki"), "-2n");
        assert_eq!(canonical("-1.0000000001"), "-1000000001n");
        assert_eq!(canonical("1e-10"), "1e-9");
        assert_eq!(canonical("-1e-400"), "-1e-9");
        assert_eq!(v("0.0000000001").cmp_exact(v("0.0000000002")), Ordering::Equal);
        assert_eq!(canonical("0.9999999999m"), "1m");
        assert_eq!(canonical("8Ei"), "9223372036854775807");
        assert_eq!(v("-8Ei").cmp_exact(Dec::new(-i128::from(i64::MAX), 0)), Ordering::Equal);
        assert_eq!(parse("0.5Ki").map(|p| p.format), Some(Format::BinarySi));
        assert_eq!(parse("0.5Mi").map(|p| p.format), Some(Format::BinarySi));
        assert_eq!(parse("0.0001Ki").map(|p| p.format), Some(Format::DecimalSi));
        assert_eq!(canonical("1e21"), "1e21");
        assert_eq!(canonical("1e22"), "10e21");
        assert_eq!(canonical("1e400"), "10e399");
        assert_eq!(canonical("-1e22"), "-10e21");
        assert_eq!(canonical("1E308"), "100e306");
    }

    fn shown(s: &str) -> String {
        display(s).unwrap_or_else(|| "unparsed".to_owned())
    }

    // upstream: ParseQuantity's int64 fast path keeps a text it takes to be
    // canonical, and String() returns it (quantity.go "if the number is in
    // canonical form, reuse the string"; quantity_exact_policy_test.go pins
    // +1, 01, 1., 1E3, 1e+21 and 1e0; quantity_golden_test.go 1.441).
    #[test]
    fn string_keeps_some_texts_as_written() {
        for kept in [
            "+1", "01", "1.", "5.", "1E3", "1e+21", "1e0", "123e0", "1.441", "-1.441", "5Ki", "+1Ki", "10Ti",
            "100m",
        ] {
            assert_eq!(shown(kept), kept);
        }
        // Canonical: digits starting with 0 or ending in 000, a scale not a
        // multiple of 3, too many digits, a binary fraction or a multiple
        // of 8, a suffix too large for the fast path.
        for (written, canonical) in [
            ("0.5", "500m"),
            ("1000", "1k"),
            ("1.5", "1500m"),
            ("0000", "0"),
            ("1234567890123456789", "1234567890123456789"),
            ("12345678901234567890m", "12345678901234567890m"),
            ("1.5Gi", "1536Mi"),
            ("8Ki", "8Ki"),
            ("1024Ki", "1Mi"),
            ("+100Ti", "100Ti"),
            ("+1Pi", "1Pi"),
            (" +1 ", "+1"),
        ] {
            assert_eq!(shown(written), canonical, "{written}");
        }
    }

    // upstream: quantitySuffixer.interpret reads an exponent as int64 and
    // keeps its low 32 bits (quantity_exact_policy_test.go, frozen), and
    // refuses one that is -2^31 after the cut.
    #[test]
    fn exponents_are_cut_to_32_bits() {
        assert_eq!(parse("1e4294967296").map(|p| p.value), Some(Dec::new(1, 0)));
        assert_eq!(parse("1e4294967299").map(|p| p.value), Some(Dec::new(1000, 0)));
        assert!(parse("1e2147483648").is_none());
        assert!(parse("1e99999999999999999999").is_none());
    }

    // upstream (PR 140459): a decimal SI value past the E suffix is
    // written with an exponent.
    #[test]
    fn decimal_si_past_exa_uses_an_exponent() {
        assert_eq!(format(Dec::new(1, 21), Format::DecimalSi), "1e21");
        assert_eq!(format(Dec::new(2, 22), Format::DecimalSi), "20e21");
        assert_eq!(format(Dec::new(15, 20), Format::DecimalSi), "1500E");
        assert_eq!(format(Dec::new(1, 20), Format::DecimalSi), "100E");
    }

    // upstream: Quantity.MilliValue rounds up (away from zero).
    #[test]
    fn milli_values_round_away_from_zero() {
        assert_eq!(v("1.0000001k").milli_value(), Some(1_000_001));
        assert_eq!(v("0.9999").milli_value(), Some(1000));
        assert_eq!(v("2").milli_value(), Some(2000));
        assert_eq!(v("-1.5m").milli_value(), Some(-2));
        assert_eq!(v("1500u").milli_value(), Some(2));
    }

    #[test]
    fn sums_and_formats() {
        let sum = v("100m").checked_add(v("250m")).unwrap_or(Dec::ZERO);
        assert_eq!(format(sum, Format::DecimalSi), "350m");
        let sum = v("1Gi").checked_add(v("512Mi")).unwrap_or(Dec::ZERO);
        assert_eq!(format(sum, Format::BinarySi), "1536Mi");
        assert_eq!(format(v("1500"), Format::DecimalSi), "1500");
        assert_eq!(format(v("2000"), Format::DecimalSi), "2k");
        assert_eq!(format(v("1000"), Format::BinarySi), "1k");
        assert_eq!(format(v("2000"), Format::BinarySi), "2000");
        assert_eq!(format(v("1536Mi"), Format::BinarySi), "1536Mi");
        assert_eq!(format(v("1"), Format::DecimalSi), "1");
    }

    // upstream: resource.ParseQuantity: a number without digits reads as 0
    // on the int64 fast path, but a suffix that sends it to the inf.Dec
    // path (binary Pi and Ei, an exponent below -9) leaves inf.Dec nothing
    // to read (`no digits read`): ErrNumeric.
    #[test]
    fn a_number_without_digits_on_the_slow_path_is_refused() {
        for s in ["Ei", "Pi", "-Ei", ".Ei", "e-10", ".e-10", "-e-12", "+.E-20"] {
            assert_eq!(parse(s).map(|p| p.value), None, "{s}");
            assert_eq!(crate::validation::pod::parse_quantity(s), None, "{s}");
        }
        for s in ["Gi", "Ti", "m", ".", "-", "e-9", "e3", "0Ei", "1Ei", "0e-10"] {
            assert!(parse(s).is_some(), "{s}");
            assert!(crate::validation::pod::parse_quantity(s).is_some(), "{s}");
        }
    }
}
