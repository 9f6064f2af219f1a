//! Unit tests of `ledger`.
use super::*;
use crate::msg::RequestKind;
use cosmwasm_std::testing::MockStorage;

#[test]
fn an_id_in_no_queue_and_no_record_is_unknown() {
    let mut storage = MockStorage::new();
    let request = Request {
        id: 1,
        kind: RequestKind::Burn,
        owner: Addr::unchecked("owner"),
        amount: Uint128::new(5),
        height: 3,
        attempts: 0,
        last_error: None,
    };
    BURN_QUEUE.save(&mut storage, 1, &request).unwrap();
    assert_eq!(request_status(&storage, 1).unwrap().kind, RequestKind::Burn);
    assert!(matches!(
        request_status(&storage, 2),
        Err(ContractError::UnknownRequest { id: 2 })
    ));
}
