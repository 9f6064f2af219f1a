//! Page sizes shared by every list query (cw-plus convention: 10 by default, at most 30).

/// Items returned when the caller gives no limit.
pub const DEFAULT_LIMIT: u32 = 10;
/// Largest page any query returns.
pub const MAX_LIMIT: u32 = 30;

/// The page size to use for a caller's optional `limit`.
pub fn page_limit(limit: Option<u32>) -> usize {
    // Both bounds fit in usize on every target, so the cast cannot truncate.
    limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_clamped() {
        assert_eq!(page_limit(None), 10);
        assert_eq!(page_limit(Some(0)), 1);
        assert_eq!(page_limit(Some(25)), 25);
        assert_eq!(page_limit(Some(1000)), 30);
    }
}
