//! Exact addition of non-negative decimal strings (sums across denoms of USD values), so no
//! float ever touches money.

/// `a + b` for non-negative decimals such as `12.5` and `0.075`; `None` if either is not one.
pub fn add(a: &str, b: &str) -> Option<String> {
    let (ai, af) = split(a)?;
    let (bi, bf) = split(b)?;
    let scale = af.len().max(bf.len());
    let width = ai.len().max(bi.len()) + 1;
    let pad = |i: &str, f: &str| -> Vec<u8> {
        let mut s = "0".repeat(width - i.len());
        s.push_str(i);
        s.push_str(f);
        s.push_str(&"0".repeat(scale - f.len()));
        s.into_bytes()
    };
    let (x, y) = (pad(ai, af), pad(bi, bf));
    let mut out = vec![b'0'; x.len()];
    let mut carry = 0u8;
    for k in (0..x.len()).rev() {
        let d = (x[k] - b'0') + (y[k] - b'0') + carry;
        out[k] = b'0' + d % 10;
        carry = d / 10;
    }
    let s = String::from_utf8(out).ok()?;
    let (int, frac) = s.split_at(s.len() - scale);
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let frac = frac.trim_end_matches('0');
    Some(if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    })
}

fn split(s: &str) -> Option<(&str, &str)> {
    let (i, f) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|c| c.is_ascii_digit());
    (!i.is_empty() && digits(i) && digits(f)).then_some((i, f))
}

/// `value` as the nearest `f64` (for Console's JSON numbers only; never for arithmetic).
pub fn to_f64(value: &str) -> f64 {
    value.parse().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_exactly() {
        assert_eq!(add("12.5", "0.075").as_deref(), Some("12.575"));
        assert_eq!(add("999", "1").as_deref(), Some("1000"));
        assert_eq!(add("0.5", "0.5").as_deref(), Some("1"));
        assert_eq!(add("0", "0").as_deref(), Some("0"));
        assert_eq!(
            add("0.000000000000000001", "99999999999999999999").as_deref(),
            Some("99999999999999999999.000000000000000001")
        );
        assert_eq!(add("-1", "2"), None);
        assert_eq!(add("1e5", "2"), None);
    }
}
