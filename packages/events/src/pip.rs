//! Events of the pip contract (`wasm-pip.<action>`).

catalogue! {
    contract = "pip";
    /// Every pip event.
    enum PipEvent;
}
