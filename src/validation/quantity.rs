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

    /// True when the value is `m' × 10^e'` for an integer power (used to
    /// spot `1k`, `1M`, ...).
    pub(crate) fn equals_int(self, n: i128) -> bool {
        self.cmp_exact(Dec::new(n, 0)) == Ordering::Equal
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
/// bare suffix such as `"Gi"` parse as 0; a value below a nano is rounded
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
            let n: i32 = digits.parse().ok()?;
            e = e.checked_add(n)?;
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
    Some(Parsed { value: Dec::new(m, e), format })
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
    let mut exp3 = e.div_euclid(3).saturating_mul(3).max(-9);
    if format != Format::DecimalExponent {
        exp3 = exp3.min(18);
    }
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
    if format == Format::DecimalExponent {
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
}
