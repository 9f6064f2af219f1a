//! `cosmos.base.query.v1beta1` pagination.

/// `PageRequest`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct PageRequest {
    /// Key to continue after (from a previous `next_key`).
    #[prost(bytes = "vec", tag = "1")]
    pub key: Vec<u8>,
    /// Offset (when `key` is empty).
    #[prost(uint64, tag = "2")]
    pub offset: u64,
    /// Page size (0: default).
    #[prost(uint64, tag = "3")]
    pub limit: u64,
    /// Whether to return the total.
    #[prost(bool, tag = "4")]
    pub count_total: bool,
    /// Descending order.
    #[prost(bool, tag = "5")]
    pub reverse: bool,
}

/// `PageResponse`.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct PageResponse {
    /// Key of the next page (empty: last page).
    #[prost(bytes = "vec", tag = "1")]
    pub next_key: Vec<u8>,
    /// Total count, when asked for.
    #[prost(uint64, tag = "2")]
    pub total: u64,
}
