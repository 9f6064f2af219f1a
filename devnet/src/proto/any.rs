//! `google.protobuf.Any` and packing of named messages into it.

use anyhow::Context;

/// `google.protobuf.Any`: a type URL and the protobuf bytes of that type.
#[derive(Clone, PartialEq, Eq, ::prost::Message)]
pub struct Any {
    /// e.g. `/cosmwasm.wasm.v1.MsgExecuteContract`.
    #[prost(string, tag = "1")]
    pub type_url: String,
    /// Protobuf encoding of the message named by `type_url`.
    #[prost(bytes = "vec", tag = "2")]
    pub value: Vec<u8>,
}

/// A message with a fixed type URL (so it can travel inside an [`Any`]).
pub trait Named: ::prost::Message + Default + Sized {
    /// The type URL, with the leading `/`.
    const TYPE_URL: &'static str;

    /// Packs the message into an [`Any`].
    fn to_any(&self) -> Any {
        Any {
            type_url: Self::TYPE_URL.to_string(),
            value: self.encode_to_vec(),
        }
    }
}

impl Any {
    /// Unpacks into `M` if the type URL matches; errors name the expected and actual types.
    pub fn unpack<M: Named>(&self) -> anyhow::Result<M> {
        anyhow::ensure!(
            self.type_url == M::TYPE_URL,
            "expected {}, got {}",
            M::TYPE_URL,
            self.type_url
        );
        M::decode(self.value.as_slice()).with_context(|| format!("decoding {}", self.type_url))
    }
}

/// Implements [`Named`] for message types.
macro_rules! named {
    ($($ty:ty => $url:expr),* $(,)?) => {
        $(impl $crate::proto::any::Named for $ty {
            const TYPE_URL: &'static str = $url;
        })*
    };
}

pub(crate) use named;
