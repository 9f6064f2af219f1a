//! CometBFT's event query language (`libs/pubsub/query`): parsing and matching against a
//! flattened `"<event type>.<attribute key>" -> [values]` map.
//!
//! Own parser rather than `tendermint_rpc::query::Query::from_str`, because that grammar rejects
//! `-` in tags (its `tag` rule is `[a-zA-Z][a-zA-Z0-9_.]*`), while CometBFT's scanner accepts
//! `.`, `_`, `-`, letters and digits (`isTagRune`), and wasmd's custom events are named
//! `wasm-<type>` (e.g. `wasm-escrow.deposited='…'`). Matching follows CometBFT `query.go`: every
//! condition must match some value of its tag; numbers compare numerically (leading number of the
//! value, as `parseNumber`), `DATE`/`TIME` chronologically, strings by equality or `CONTAINS`.

use std::collections::BTreeMap;
use std::fmt;

use tendermint::Time;

/// Flattened events: `"type.key" -> values`, in event order.
pub type EventMap = BTreeMap<String, Vec<String>>;

/// A parsed query.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    conditions: Vec<Condition>,
}

#[derive(Clone, Debug, PartialEq)]
struct Condition {
    tag: String,
    op: Op,
}

#[derive(Clone, Debug, PartialEq)]
enum Op {
    Exists,
    Contains(String),
    Compare(Cmp, Arg),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug, PartialEq)]
enum Arg {
    Str(String),
    Num(Number),
    Date((i32, u32, u32)),
    Time(Time),
}

/// A number as CometBFT compares it: exact for integers, f64 otherwise.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Number {
    Int(i128),
    Float(f64),
}

/// Why a query did not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError(String);

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

impl std::str::FromStr for Query {
    type Err = QueryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Query::parse(s)
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Tag(String),
    Str(String),
    Num(String),
    Date(String),
    Time(String),
    Op(Cmp),
    And,
    Exists,
    Contains,
}

fn is_tag_rune(c: char) -> bool {
    c == '.' || c == '_' || c == '-' || c.is_alphanumeric()
}

fn tokenize(s: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |i: usize, c: char| QueryError(format!("invalid input {c} at offset {i}"));
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            if i < chars.len() && chars[i] == '.' {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            out.push(Token::Num(chars[start..i].iter().collect()));
        } else if c == '_' || c.is_alphanumeric() {
            let start = i;
            while i < chars.len() && is_tag_rune(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let space_follows = chars.get(i) == Some(&' ');
            let stamp = |i: &mut usize, ok: fn(char) -> bool| {
                *i += 1;
                let start = *i;
                while *i < chars.len() && ok(chars[*i]) {
                    *i += 1;
                }
                chars[start..*i].iter().collect::<String>()
            };
            out.push(match word.as_str() {
                "TIME" if space_follows => Token::Time(stamp(&mut i, |c| {
                    c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '.' | '+')
                })),
                "DATE" if space_follows => {
                    Token::Date(stamp(&mut i, |c| c.is_ascii_digit() || c == '-'))
                }
                "AND" => Token::And,
                "EXISTS" => Token::Exists,
                "CONTAINS" => Token::Contains,
                _ => Token::Tag(word),
            });
        } else if c == '\'' {
            let start = i + 1;
            let end = chars[start..]
                .iter()
                .position(|&c| c == '\'')
                .ok_or_else(|| QueryError("unterminated string".into()))?;
            out.push(Token::Str(chars[start..start + end].iter().collect()));
            i = start + end + 1;
        } else if matches!(c, '<' | '>' | '=') {
            let eq_next = chars.get(i + 1) == Some(&'=');
            let op = match (c, eq_next) {
                ('=', _) => Cmp::Eq,
                ('<', true) => Cmp::Le,
                ('<', false) => Cmp::Lt,
                ('>', true) => Cmp::Ge,
                _ => Cmp::Gt,
            };
            i += if c != '=' && eq_next { 2 } else { 1 };
            out.push(Token::Op(op));
        } else {
            return Err(err(i, c));
        }
    }
    Ok(out)
}

fn parse_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&date.1) && (1..=31).contains(&date.2)).then_some(date)
}

fn parse_number(s: &str) -> Option<Number> {
    if let Ok(i) = s.parse::<i128>() {
        return Some(Number::Int(i));
    }
    // CometBFT's extractNum: a leading `\d+(\.\d+)?`, e.g. "8atom" -> 8.
    let int_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if int_end == 0 {
        return None;
    }
    let mut end = int_end;
    if s[int_end..].starts_with('.') {
        let frac = s[int_end + 1..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(s.len() - int_end - 1);
        if frac > 0 {
            end = int_end + 1 + frac;
        }
    }
    let prefix = &s[..end];
    if end == int_end {
        prefix.parse::<i128>().ok().map(Number::Int)
    } else {
        prefix.parse::<f64>().ok().map(Number::Float)
    }
}

fn compare_numbers(a: Number, b: Number) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Number::Int(x), Number::Int(y)) => Some(x.cmp(&y)),
        (x, y) => as_f64(x).partial_cmp(&as_f64(y)),
    }
}

fn as_f64(n: Number) -> f64 {
    match n {
        Number::Int(i) => i as f64,
        Number::Float(f) => f,
    }
}

impl Query {
    /// Parses `s` (e.g. `tm.event='Tx' AND wasm-escrow.deposited EXISTS`).
    pub fn parse(s: &str) -> Result<Self, QueryError> {
        let tokens = tokenize(s)?;
        let mut it = tokens.into_iter().peekable();
        let mut conditions = Vec::new();
        loop {
            let tag = match it.next() {
                Some(Token::Tag(t)) => t,
                other => return Err(QueryError(format!("expected a tag, got {other:?}"))),
            };
            let op = match it.next() {
                Some(Token::Exists) => Op::Exists,
                Some(Token::Contains) => match it.next() {
                    Some(Token::Str(s)) => Op::Contains(s),
                    other => {
                        return Err(QueryError(format!(
                            "CONTAINS needs a string, got {other:?}"
                        )))
                    }
                },
                Some(Token::Op(cmp)) => {
                    let arg = match it.next() {
                        Some(Token::Str(s)) => Arg::Str(s),
                        Some(Token::Num(n)) => Arg::Num(
                            parse_number(&n)
                                .ok_or_else(|| QueryError(format!("invalid number {n}")))?,
                        ),
                        Some(Token::Date(d)) => Arg::Date(
                            parse_date(&d)
                                .ok_or_else(|| QueryError(format!("invalid DATE value {d}")))?,
                        ),
                        Some(Token::Time(t)) => Arg::Time(
                            Time::parse_from_rfc3339(&t)
                                .map_err(|e| QueryError(format!("invalid TIME value: {e}")))?,
                        ),
                        other => {
                            return Err(QueryError(format!("expected a value, got {other:?}")))
                        }
                    };
                    if matches!(arg, Arg::Str(_)) && cmp != Cmp::Eq {
                        return Err(QueryError(format!("invalid op/arg combination for {tag}")));
                    }
                    Op::Compare(cmp, arg)
                }
                other => return Err(QueryError(format!("expected an operator, got {other:?}"))),
            };
            conditions.push(Condition { tag, op });
            match it.next() {
                None => break,
                Some(Token::And) => continue,
                Some(other) => return Err(QueryError(format!("expected AND, got {other:?}"))),
            }
        }
        Ok(Query { conditions })
    }

    /// True when every condition matches some value of its tag and `events` is not empty.
    pub fn matches(&self, events: &EventMap) -> bool {
        !events.is_empty() && self.conditions.iter().all(|c| c.matches(events))
    }

    /// The value of a `tag = <number>` condition, if the query has one (e.g. `tx.height`).
    pub fn eq_number(&self, tag: &str) -> Option<u64> {
        self.conditions.iter().find_map(|c| match &c.op {
            Op::Compare(Cmp::Eq, Arg::Num(Number::Int(n))) if c.tag == tag => {
                u64::try_from(*n).ok()
            }
            _ => None,
        })
    }

    /// The value of a `tag = '<string>'` condition, if the query has one (e.g. `tx.hash`).
    pub fn eq_string(&self, tag: &str) -> Option<&str> {
        self.conditions.iter().find_map(|c| match &c.op {
            Op::Compare(Cmp::Eq, Arg::Str(s)) if c.tag == tag => Some(s.as_str()),
            _ => None,
        })
    }
}

impl Condition {
    fn matches(&self, events: &EventMap) -> bool {
        match events.get(&self.tag) {
            Some(values) if !values.is_empty() => values.iter().any(|v| self.op.accepts(v)),
            // A tag equal to an event type matches against "" (CometBFT `findAttr`).
            _ => {
                let prefix = format!("{}.", self.tag);
                events.keys().any(|k| k.starts_with(&prefix)) && self.op.accepts("")
            }
        }
    }
}

impl Op {
    fn accepts(&self, value: &str) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let ordering = match self {
            Op::Exists => return true,
            Op::Contains(s) => return value.contains(s.as_str()),
            Op::Compare(Cmp::Eq, Arg::Str(s)) => return value == s,
            Op::Compare(_, Arg::Str(_)) => return false,
            Op::Compare(_, Arg::Num(n)) => parse_number(value).and_then(|v| compare_numbers(v, *n)),
            Op::Compare(_, Arg::Date(d)) => parse_date(value).map(|v| v.cmp(d)),
            Op::Compare(_, Arg::Time(t)) => Time::parse_from_rfc3339(value)
                .ok()
                .and_then(|v| v.partial_cmp(t)),
        };
        let Op::Compare(cmp, _) = self else {
            return false;
        };
        matches!(
            (cmp, ordering),
            (Cmp::Eq, Some(Equal))
                | (Cmp::Lt, Some(Less))
                | (Cmp::Le, Some(Less | Equal))
                | (Cmp::Gt, Some(Greater))
                | (Cmp::Ge, Some(Greater | Equal))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(pairs: &[(&str, &str)]) -> EventMap {
        let mut map = EventMap::new();
        for (k, v) in pairs {
            map.entry((*k).to_string())
                .or_default()
                .push((*v).to_string());
        }
        map
    }

    #[test]
    fn parses_and_matches_wasmd_queries() {
        let ev = events(&[
            ("tm.event", "Tx"),
            ("tx.height", "5"),
            ("wasm-escrow.deposited", "10uakt"),
            ("execute._contract_address", "akash1xyz"),
        ]);
        let yes = [
            "tm.event='Tx'",
            "tm.event = 'Tx' AND execute._contract_address='akash1xyz'",
            "tx.height=5",
            "tx.height>=5 AND tx.height<6",
            "wasm-escrow.deposited EXISTS",
            "wasm-escrow.deposited > 9",
            "execute._contract_address CONTAINS 'xyz'",
            "wasm-escrow EXISTS",
        ];
        for q in yes {
            assert!(Query::parse(q).map(|q| q.matches(&ev)) == Ok(true), "{q}");
        }
        let no = [
            "tm.event='NewBlock'",
            "tx.height=6",
            "execute._contract_address='akash1other'",
            "bank.amount EXISTS",
        ];
        for q in no {
            assert!(Query::parse(q).map(|q| q.matches(&ev)) == Ok(false), "{q}");
        }
        assert!("wasm-escrow.deposited='x'"
            .parse::<tendermint_rpc::query::Query>()
            .is_err());
    }

    #[test]
    fn rejects_malformed_queries() {
        for q in [
            "",
            "tx.height",
            "tx.height=",
            "a='x' OR b='y'",
            "a<'x'",
            "a='x",
        ] {
            assert!(Query::parse(q).is_err(), "{q}");
        }
        assert_eq!(
            Query::parse("tx.height=7").map(|q| q.eq_number("tx.height")),
            Ok(Some(7))
        );
    }
}
