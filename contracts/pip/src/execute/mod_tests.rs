use super::*;

#[test]
fn community_pool_message_encoding() {
    let bin = fund_community_pool_proto("ab", "uakt", Uint256::from(150u8));
    // Coin { denom: "uakt", amount: "150" } = 0a 04 'uakt' 12 03 '150' (11 bytes)
    let mut expected = vec![0x0a, 11, 0x0a, 4];
    expected.extend_from_slice(b"uakt");
    expected.extend_from_slice(&[0x12, 3]);
    expected.extend_from_slice(b"150");
    expected.extend_from_slice(&[0x12, 2]);
    expected.extend_from_slice(b"ab");
    assert_eq!(bin.as_slice(), expected.as_slice());
}

#[test]
fn long_fields_use_multi_byte_lengths() {
    let depositor = "a".repeat(200);
    let bin = fund_community_pool_proto(&depositor, "uakt", Uint256::one());
    let tail = &bin.as_slice()[bin.len() - 203..];
    assert_eq!(&tail[..3], &[0x12, 0xc8, 0x01]);
}
