//! `cosmos.base.v1beta1.Coin`.

/// A denom and an integer amount (as a decimal string, like the SDK's `math.Int`).
#[derive(Clone, PartialEq, Eq, Hash, ::prost::Message)]
pub struct Coin {
    /// Denomination, e.g. `uakt`.
    #[prost(string, tag = "1")]
    pub denom: String,
    /// Decimal integer amount.
    #[prost(string, tag = "2")]
    pub amount: String,
}

impl Coin {
    /// `amount` of `denom`.
    pub fn new(amount: u128, denom: &str) -> Self {
        Coin {
            denom: denom.to_string(),
            amount: amount.to_string(),
        }
    }

    /// The SDK's string form, e.g. `5000uakt`.
    pub fn to_sdk_string(&self) -> String {
        format!("{}{}", self.amount, self.denom)
    }
}

/// The SDK's string form of a coin list, e.g. `5uakt,7uother` (empty for none).
pub fn coins_string(coins: &[Coin]) -> String {
    coins
        .iter()
        .map(Coin::to_sdk_string)
        .collect::<Vec<_>>()
        .join(",")
}
