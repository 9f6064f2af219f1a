//! Events of the reservations contract (`wasm-reservations.<action>`).

catalogue! {
    contract = "reservations";
    /// Every reservations event.
    enum ReservationsEvent;
}
