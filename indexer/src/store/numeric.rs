//! Postgres `NUMERIC` in binary form, exact for any `Uint256` or `Decimal256` (tokio-postgres has
//! no NUMERIC type; rust_decimal stops at 28 digits, a `Uint256` has up to 78).
//!
//! Wire format: `ndigits`, `weight`, `sign`, `dscale` (all 16-bit), then `ndigits` base-10,000
//! digits, most significant first; the value is Σ digit·10000^(weight − i).

use std::error::Error as StdError;
use std::fmt;

use bytes::{BufMut, BytesMut};
use postgres_types::{to_sql_checked, FromSql, IsNull, ToSql, Type};

const NEG: u16 = 0x4000;
const NAN: u16 = 0xC000;

/// An exact decimal as its canonical string (`-` sign, digits, optional `.` fraction).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Numeric(String);

/// A string that is not a plain decimal number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not a decimal number: {0:?}")]
pub struct NotDecimal(pub String);

impl Numeric {
    /// Validates a decimal string such as `123`, `-0.5`, `1.230` (no exponent, no `+`).
    pub fn parse(s: &str) -> Result<Self, NotDecimal> {
        let body = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty()
            || !digits(int)
            || !digits(frac)
            || (body.contains('.') && frac.is_empty())
        {
            return Err(NotDecimal(s.to_string()));
        }
        Ok(Numeric(s.to_string()))
    }

    /// The decimal string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn encode(&self) -> (i16, u16, u16, Vec<i16>) {
        let (neg, body) = match self.0.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, self.0.as_str()),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let int = int.trim_start_matches('0');
        let dscale = frac.len();
        // Pad so both parts split into whole 4-digit groups around the decimal point.
        let int_pad = (4 - int.len() % 4) % 4;
        let frac_pad = (4 - frac.len() % 4) % 4;
        let padded: String = "0".repeat(int_pad) + int + frac + &"0".repeat(frac_pad);
        let mut groups: Vec<i16> = padded
            .as_bytes()
            .chunks(4)
            .map(|c| c.iter().fold(0i16, |acc, d| acc * 10 + i16::from(d - b'0')))
            .collect();
        let mut weight = ((int.len() + int_pad) / 4) as i16 - 1;
        while groups.first() == Some(&0) {
            groups.remove(0);
            weight -= 1;
        }
        while groups.last() == Some(&0) {
            groups.pop();
        }
        if groups.is_empty() {
            weight = 0;
        }
        let sign = if neg && !groups.is_empty() { NEG } else { 0 };
        (weight, sign, dscale as u16, groups)
    }

    fn decode(weight: i16, sign: u16, dscale: u16, groups: &[i16]) -> Self {
        let mut int = String::new();
        let mut frac = String::new();
        for (i, g) in groups.iter().enumerate() {
            let exp = weight as i32 - i as i32;
            let text = format!("{g:04}");
            if exp >= 0 {
                int.push_str(&text);
            } else {
                // Groups between the point and this one are zero.
                while frac.len() < ((-exp - 1) * 4) as usize {
                    frac.push_str("0000");
                }
                frac.push_str(&text);
            }
        }
        // Integer groups the digits do not reach are trailing zeros.
        let last_exp = weight as i32 - groups.len() as i32 + 1;
        if last_exp > 0 && !groups.is_empty() {
            for _ in 0..last_exp {
                int.push_str("0000");
            }
        }
        let int = int.trim_start_matches('0');
        let int = if int.is_empty() { "0" } else { int };
        let mut frac: String = frac.chars().take(dscale as usize).collect();
        while frac.len() < dscale as usize {
            frac.push('0');
        }
        let sign = if sign == NEG { "-" } else { "" };
        if frac.is_empty() {
            Numeric(format!("{sign}{int}"))
        } else {
            Numeric(format!("{sign}{int}.{frac}"))
        }
    }
}

impl fmt::Display for Numeric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl ToSql for Numeric {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        let (weight, sign, dscale, groups) = self.encode();
        out.put_i16(i16::try_from(groups.len())?);
        out.put_i16(weight);
        out.put_u16(sign);
        out.put_u16(dscale);
        for g in groups {
            out.put_i16(g);
        }
        Ok(IsNull::No)
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        let word = |i: usize| -> Result<[u8; 2], Box<dyn StdError + Sync + Send>> {
            raw.get(i..i + 2)
                .and_then(|s| s.try_into().ok())
                .ok_or_else(|| "truncated NUMERIC".into())
        };
        let ndigits = i16::from_be_bytes(word(0)?);
        let weight = i16::from_be_bytes(word(2)?);
        let sign = u16::from_be_bytes(word(4)?);
        let dscale = u16::from_be_bytes(word(6)?);
        if sign == NAN || (sign != 0 && sign != NEG) {
            return Err("NUMERIC NaN or infinity has no exact decimal".into());
        }
        let groups = (0..usize::try_from(ndigits)?)
            .map(|i| word(8 + 2 * i).map(i16::from_be_bytes))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Numeric::decode(weight, sign, dscale, &groups))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

#[cfg(test)]
#[path = "numeric_tests.rs"]
mod tests;
