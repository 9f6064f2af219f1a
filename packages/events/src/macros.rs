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
            $(#[$meta:meta])*
            $name:ident = $action:literal {
                $( $(#[$fmeta:meta])* $field:ident : $fty:ty ),* $(,)?
            }
        )*
    ) => {
        /// The contract name used as the event type prefix.
        pub const CONTRACT: &str = $contract;

        $(
            $(#[$meta])*
            #[derive(Clone, Debug, PartialEq, Eq)]
            pub struct $name {
                $( $(#[$fmeta])* pub $field: $fty, )*
            }

            impl $crate::CatalogEvent for $name {
                const CONTRACT: &'static str = $contract;
                const ACTION: &'static str = $action;

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
            $( $(#[$meta])* $name($name), )*
        }

        impl $enum {
            /// Every action of this contract, in catalogue order.
            pub const ACTIONS: &'static [&'static str] = &[$($action),*];

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
