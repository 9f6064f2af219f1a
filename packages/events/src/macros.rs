//! `catalogue!` declares a contract's events once: the structs, their attribute encoding and
//! decoding, and a parse enum over all of them.

/// Declares the events of one contract. Each field becomes an attribute of the same name.
macro_rules! catalogue {
    // Public form: the contract's own events; the shared governance events are appended, and the
    // enum gets `From<AuthorityChange>` and `GovernanceEvents`.
    (
        contract = $contract:literal;
        $(#[$enum_meta:meta])*
        enum $enum:ident;
        $($body:tt)*
    ) => {
        catalogue!(@expand
            contract = $contract;
            $(#[$enum_meta])*
            enum $enum;
            $($body)*
            /// Instantiated with this authority, code version and configuration (JSON).
            Instantiated = "instantiated" { authority: ::cosmwasm_std::Addr, version: String, config: String }
            /// The authority proposed a successor.
            AuthorityProposed = "authority_proposed" { authority: ::cosmwasm_std::Addr, pending: ::cosmwasm_std::Addr }
            /// The proposed successor accepted and is now the authority.
            AuthorityAccepted = "authority_accepted" { previous: ::cosmwasm_std::Addr, authority: ::cosmwasm_std::Addr }
            /// The authority withdrew its proposal.
            AuthorityCancelled = "authority_cancelled" { authority: ::cosmwasm_std::Addr, pending: ::cosmwasm_std::Addr }
            /// The authority paused or resumed the contract.
            PauseChanged = "pause_changed" { authority: ::cosmwasm_std::Addr, paused: bool }
            /// The authority replaced the configuration (new configuration as JSON).
            ConfigUpdated = "config_updated" { authority: ::cosmwasm_std::Addr, config: String }
            /// Code migrated between versions.
            Migrated = "migrated" { from_version: String, to_version: String }
        );

        impl From<$crate::AuthorityChange> for $enum {
            fn from(change: $crate::AuthorityChange) -> Self {
                match change {
                    $crate::AuthorityChange::Proposed { authority, pending } => {
                        AuthorityProposed { authority, pending }.into()
                    }
                    $crate::AuthorityChange::Accepted { previous, authority } => {
                        AuthorityAccepted { previous, authority }.into()
                    }
                    $crate::AuthorityChange::Cancelled { authority, pending } => {
                        AuthorityCancelled { authority, pending }.into()
                    }
                }
            }
        }

        impl $crate::GovernanceEvents for $enum {
            fn instantiated(
                authority: ::cosmwasm_std::Addr,
                version: String,
                config: String,
            ) -> Self {
                Instantiated { authority, version, config }.into()
            }

            fn pause_changed(authority: ::cosmwasm_std::Addr, paused: bool) -> Self {
                PauseChanged { authority, paused }.into()
            }

            fn config_updated(authority: ::cosmwasm_std::Addr, config: String) -> Self {
                ConfigUpdated { authority, config }.into()
            }

            fn migrated(from_version: String, to_version: String) -> Self {
                Migrated { from_version, to_version }.into()
            }

            fn to_event(&self) -> ::cosmwasm_std::Event {
                // The inherent `to_event` (declared in `@expand`), which takes precedence over
                // this trait method in path resolution.
                $enum::to_event(self)
            }
        }
    };
    (@expand
        contract = $contract:literal;
        $(#[$enum_meta:meta])*
        enum $enum:ident;
        $(
            $(#[doc = $doc:literal])*
            $name:ident = $action:literal {
                $( $(#[$fmeta:meta])* $field:ident : $fty:ty ),* $(,)?
            }
        )*
    ) => {
        /// The contract name used as the event type prefix.
        pub const CONTRACT: &str = $contract;

        $(
            $(#[doc = $doc])*
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct $name {
                $( $(#[$fmeta])* pub $field: $fty, )*
            }

            impl $crate::CatalogEvent for $name {
                const CONTRACT: &'static str = $contract;
                const ACTION: &'static str = $action;
                const META: $crate::EventMeta = $crate::EventMeta {
                    contract: $contract,
                    action: $action,
                    doc: concat!($($doc, "\n"),*),
                    fields: &[$(
                        $crate::FieldMeta {
                            name: stringify!($field),
                            kind: <$fty as $crate::AttrValue>::KIND,
                            optional: <$fty as $crate::AttrValue>::OPTIONAL,
                        },
                    )*],
                };

                fn attributes(&self) -> Vec<(&'static str, String)> {
                    let mut attributes = Vec::new();
                    $(
                        if let Some(value) = $crate::AttrValue::encode(&self.$field) {
                            attributes.push((stringify!($field), value));
                        }
                    )*
                    attributes
                }

                #[allow(unused_variables)]
                fn from_attrs(attrs: &$crate::Attrs<'_>) -> Result<Self, $crate::ParseError> {
                    Ok(Self { $( $field: attrs.take(stringify!($field))?, )* })
                }
            }
        )*

        $(#[$enum_meta])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum $enum {
            $( $(#[doc = $doc])* $name($name), )*
        }

        impl $enum {
            /// Every action of this contract, in catalogue order.
            pub const ACTIONS: &'static [&'static str] = &[$($action),*];

            /// Every event of this contract with its fields, in catalogue order.
            pub const EVENTS: &'static [$crate::EventMeta] =
                &[$(<$name as $crate::CatalogEvent>::META),*];

            /// The description of this event.
            pub fn meta(&self) -> &'static $crate::EventMeta {
                match self {
                    $( Self::$name(_) => &<$name as $crate::CatalogEvent>::META, )*
                }
            }

            /// The attributes in declaration order; `None` fields are left out.
            pub fn attributes(&self) -> Vec<(&'static str, String)> {
                use $crate::CatalogEvent as _;
                match self {
                    $( Self::$name(e) => e.attributes(), )*
                }
            }

            /// Parses one event of this contract from its action and attributes.
            pub fn parse(action: &str, attrs: &$crate::Attrs<'_>) -> Result<Self, $crate::ParseError> {
                use $crate::CatalogEvent as _;
                match action {
                    $( $action => Ok(Self::$name($name::from_attrs(attrs)?)), )*
                    other => Err($crate::ParseError::UnknownAction {
                        contract: $contract.to_string(),
                        action: other.to_string(),
                    }),
                }
            }

            /// The event as the contract emits it.
            pub fn to_event(&self) -> cosmwasm_std::Event {
                use $crate::CatalogEvent as _;
                match self {
                    $( Self::$name(e) => e.to_event(), )*
                }
            }
        }

        $(
            impl From<$name> for $enum {
                fn from(e: $name) -> Self {
                    Self::$name(e)
                }
            }
        )*
    };
}

/// Declares a closed set of names used as an attribute value (and in messages and state): a
/// `cw_serde` enum whose serde name, event value and `as_str` are the same string.
macro_rules! attr_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident {
            $( $(#[doc = $vdoc:literal])* $variant:ident = $text:literal ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[::cosmwasm_schema::cw_serde]
        #[derive(Copy, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[doc = $vdoc])* #[serde(rename = $text)] $variant, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];
            /// Every value's name, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),*];

            /// The name used in events, messages and state.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )*
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $( $text => Ok(Self::$variant), )*
                    other => Err($crate::UnknownName {
                        name: other.to_string(),
                        expected: Self::NAMES,
                    }),
                }
            }
        }

        impl $crate::AttrValue for $name {
            const KIND: $crate::FieldKind = $crate::FieldKind::Enum(Self::NAMES);

            fn encode(&self) -> Option<String> {
                Some(self.as_str().to_string())
            }

            fn decode(key: &str, raw: Option<&str>) -> Result<Self, $crate::ParseError> {
                let value = $crate::attr::required(key, raw)?;
                value.parse().map_err(|e: $crate::UnknownName| $crate::ParseError::Invalid {
                    key: key.to_string(),
                    value: value.to_string(),
                    reason: e.to_string(),
                })
            }
        }

        // Compact decoding for the contracts' messages and state (`supercloud_wire`): the string
        // or a unit variant `{"name": null}`, as the derived impl takes it.
        impl ::supercloud_wire::FromValue for $name {
            fn from_value(
                value: ::supercloud_wire::Value,
            ) -> Result<Self, ::supercloud_wire::WireError> {
                ::supercloud_wire::named(value, concat!("one of" $(, " ", $text)*))
            }
        }

        impl ::supercloud_wire::Placeholder for $name {
            fn placeholder() -> Self {
                // Evaluated at compile time: no runtime index.
                const FIRST: $name = $name::ALL[0];
                FIRST
            }
        }
    };
}
