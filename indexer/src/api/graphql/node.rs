//! `node!` and `event_node!`: a GraphQL object, its SQL select list and its row reader declared
//! once, field by field (`name: Type = "SQL expression"`). Money columns are selected as text, so
//! they reach clients as exact decimal strings.

/// Declares a connection node: a `SimpleObject` and its `Node` impl.
macro_rules! node {
    (
        $(#[$m:meta])*
        $name:ident {
            $( $(#[$fm:meta])* $field:ident : $ty:ty = $expr:literal ),* $(,)?
        }
    ) => {
        $(#[$m])*
        #[derive(async_graphql::SimpleObject, Clone, Debug)]
        pub struct $name {
            $( $(#[$fm])* pub $field: $ty, )*
        }

        impl $crate::api::graphql::connection::Node for $name {
            const COLUMNS: &'static [(&'static str, &'static str)] =
                &[ $( ($expr, stringify!($field)) ),* ];

            fn from_row(row: &tokio_postgres::Row) -> Result<Self, $crate::api::ApiError> {
                Ok($name { $( $field: row.try_get(stringify!($field))?, )* })
            }

            fn from_row_selected(
                row: &tokio_postgres::Row,
                selected: &[bool],
                first: usize,
            ) -> Result<Self, $crate::api::ApiError> {
                // Columns by position: a page decodes every row, and a lookup by name compares
                // column names each time.
                let mut column = first;
                let mut flags = selected.iter().copied();
                $( let $field = if flags.next().unwrap_or(false) {
                    column += 1;
                    row.try_get(column - 1)?
                } else {
                    Default::default()
                }; )*
                let _ = column;
                Ok($name { $( $field, )* })
            }

            const VALUES: Option<&'static [$crate::api::graphql::page_value::Getter<Self>]> = Some(&[ $(
                |n: &Self| $crate::api::graphql::page_value::FieldValue::value(&n.$field),
            )* ]);
        }
    };
}

/// Declares the node of a catalogue event table: its position columns, then `fields`.
macro_rules! event_node {
    (
        $(#[$m:meta])*
        $name:ident {
            $( $(#[$fm:meta])* $field:ident : $ty:ty = $expr:literal ),* $(,)?
        }
    ) => {
        $crate::api::graphql::node::node! {
            $(#[$m])*
            $name {
                /// Height of the block that emitted the event.
                block_height: i64 = "block_height",
                /// 0 = a transaction's event, 1 = `finalize_block`.
                phase: i16 = "phase",
                /// Index of the transaction in the block.
                tx_index: i32 = "tx_index",
                /// Index of the event in its transaction (or phase).
                event_index: i32 = "event_index",
                /// Index of the message in the transaction, when known.
                msg_index: Option<i32> = "msg_index",
                /// The contract that emitted it.
                contract_address: String = "contract_address",
                /// The block's time.
                block_time: chrono::DateTime<chrono::Utc> = "block_time",
                $( $(#[$fm])* $field: $ty = $expr, )*
            }
        }
    };
}

pub(crate) use {event_node, node};
