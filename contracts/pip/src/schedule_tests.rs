use super::*;

#[test]
fn counts_and_ranges() {
    assert_eq!(epoch_count(100, 200, 10).unwrap(), 10);
    assert_eq!(epoch_count(100, 205, 10).unwrap(), 11);
    assert_eq!(epoch_count(100, 101, 10).unwrap(), 1);
    assert!(epoch_count(100, 100, 10).is_err());
    assert!(epoch_count(100, 99, 10).is_err());
    assert!(epoch_count(100, 200, 0).is_err());
    assert!(epoch_count(0, u64::MAX, 1).is_err());
    assert_eq!(epoch_range(100, 205, 10, 0).unwrap(), (100, 110));
    assert_eq!(epoch_range(100, 205, 10, 10).unwrap(), (200, 205));
    assert!(epoch_range(u64::MAX - 5, u64::MAX, 10, 3).is_err());
}
