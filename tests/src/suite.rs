//! The whole suite wired together in one cw-multi-test App: mock-pyth, oracle (pusher source for
//! akt/usd), bme (ACT ledger, escrow and reservations allow-listed), escrow and reservations
//! (both accepting ACT from bme), pip (reading verified work from escrow and reservations).

use cosmwasm_std::{
    coin, to_json_binary, Addr, Coin, Decimal256, Int64, StdError, Uint128, Uint256, Uint64,
};
use cw_multi_test::{App, AppResponse, Executor};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::backend::Backend;
use crate::transcript::Transcript;

/// The native staking coin.
pub const AKT: &str = "uakt";
/// The oracle pair bme and pip read.
pub const PAIR: &str = "akt/usd";
/// Chain seconds per block.
pub const BLOCK_S: u64 = 6;
/// Oracle staleness: 11 blocks without a push make the price stale.
pub const STALENESS_S: u64 = 60;
/// Genesis balance of every funded account, in uakt.
pub const START: u128 = 1_000_000_000_000;
/// Accounts funded at genesis.
pub const FUNDED: [&str; 10] = [
    "gov",
    "tenant",
    "tenant2",
    "sponsor",
    "provider",
    "provider2",
    "keeper",
    "relayer",
    "auditor",
    "stranger",
];

/// Contract addresses of the suite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contracts {
    pub mock_pyth: Addr,
    pub oracle: Addr,
    pub bme: Addr,
    pub escrow: Addr,
    pub reservations: Addr,
    pub pip: Addr,
}

impl Contracts {
    /// `(name, address)` of every contract.
    pub fn all(&self) -> [(&'static str, &Addr); 6] {
        [
            ("mock_pyth", &self.mock_pyth),
            ("oracle", &self.oracle),
            ("bme", &self.bme),
            ("escrow", &self.escrow),
            ("reservations", &self.reservations),
            ("pip", &self.pip),
        ]
    }
}

/// The suite on one backend, with a transcript of every execute for cross-backend comparison.
pub struct Suite {
    pub backend: Backend,
    pub app: App,
    pub c: Contracts,
    /// Price (Pyth raw, expo −8) the relayer pushes on every advance; `None`: the feed is off.
    pub price: Option<i64>,
    pub transcript: Transcript,
}

/// `usd` (e.g. "2.5") as Pyth's raw i64 at expo −8.
pub fn raw_price(usd: &str) -> i64 {
    let scaled = usd
        .parse::<Decimal256>()
        .map(|d| d.atomics() / Uint256::from(10_000_000_000u64))
        .unwrap_or_default();
    Uint128::try_from(scaled)
        .ok()
        .and_then(|v| i64::try_from(v.u128()).ok())
        .unwrap_or_default()
}

impl Suite {
    /// Deploys the suite on `backend` with the relayer publishing `usd` per AKT.
    pub fn new(backend: Backend, usd: &str) -> anyhow::Result<Self> {
        let mut app = App::new(|router, api, storage| {
            for name in FUNDED {
                // Genesis cannot fail on a fresh bank; a failure would surface in the first use.
                let _ = router.bank.init_balance(
                    storage,
                    &api.addr_make(name),
                    vec![coin(START, AKT), coin(START, "uother")],
                );
            }
        });
        let gov = app.api().addr_make("gov");
        let relayer = app.api().addr_make("relayer");
        let treasury = app.api().addr_make("treasury");
        let mut instantiate = |name: &str, msg: serde_json::Value| -> anyhow::Result<Addr> {
            let code_id = app.store_code(backend.code(name)?);
            app.instantiate_contract(code_id, gov.clone(), &msg, &[], name, Some(gov.to_string()))
                .map_err(|e| anyhow::anyhow!("instantiate {name}: {e}"))
        };
        let mock_pyth = instantiate(
            "mock_pyth",
            serde_json::to_value(mock_pyth::msg::InstantiateMsg {
                authority: gov.to_string(),
                publisher: relayer.to_string(),
            })?,
        )?;
        let oracle = instantiate(
            "oracle",
            serde_json::to_value(oracle::msg::InstantiateMsg {
                authority: gov.to_string(),
                limits: Some(oracle::msg::Limits {
                    max_staleness_s: STALENESS_S,
                    twap_window_s: 1,
                    ..Default::default()
                }),
                sources: vec![oracle::msg::NewSource {
                    pair: PAIR.into(),
                    source: "relayer".into(),
                    kind: oracle::msg::SourceKindMsg::Pusher {
                        address: relayer.to_string(),
                    },
                }],
            })?,
        )?;
        let bme = instantiate(
            "bme",
            serde_json::to_value(bme::msg::InstantiateMsg {
                authority: gov.to_string(),
                oracle: oracle.to_string(),
                pair: None,
                params: None,
                allow_list: vec![],
            })?,
        )?;
        let escrow = instantiate(
            "escrow",
            serde_json::to_value(escrow::msg::InstantiateMsg {
                authority: gov.to_string(),
                native_denoms: vec![AKT.into()],
                act_ledger: Some(bme.to_string()),
                grace_period_blocks: 0,
                block_time_ms: None,
                max_open_payments: None,
                refund_batch: None,
                deposit_limits: None,
            })?,
        )?;
        let reservations = instantiate(
            "reservations",
            serde_json::to_value(reservations::msg::InstantiateMsg {
                authority: gov.to_string(),
                native_denoms: vec![AKT.into()],
                act_ledger: Some(bme.to_string()),
                bond_denom: AKT.into(),
                unbonding_period_s: 7 * 86_400,
                confirm_window_s: 3_600,
                cancel_fee_bps: 500,
                slash_recipient: treasury.to_string(),
                max_attestation_validity_s: None,
            })?,
        )?;
        let pip = instantiate(
            "pip",
            serde_json::to_value(pip::msg::InstantiateMsg {
                authority: gov.to_string(),
                escrow: escrow.to_string(),
                oracle: oracle.to_string(),
                oracle_pair: None,
                reservations: Some(reservations.to_string()),
                community_pool_allowed: None,
                default_return_address: treasury.to_string(),
                settle_grace_blocks: Some(50),
            })?,
        )?;
        let mut suite = Suite {
            backend,
            app,
            c: Contracts {
                mock_pyth,
                oracle,
                bme: bme.clone(),
                escrow: escrow.clone(),
                reservations: reservations.clone(),
                pip,
            },
            price: None,
            transcript: Transcript::default(),
        };
        suite
            .exec(
                "gov",
                &bme,
                &bme::msg::ExecuteMsg::UpdateAllowList {
                    add: vec![escrow.to_string(), reservations.to_string()],
                    remove: vec![],
                },
                &[],
            )
            .map_err(|e| anyhow::anyhow!("allow-list: {e}"))?;
        suite.set_price(usd)?;
        Ok(suite)
    }

    /// The address of account `name`.
    pub fn addr(&self, name: &str) -> Addr {
        self.app.api().addr_make(name)
    }

    /// Current block height.
    pub fn height(&self) -> u64 {
        self.app.block_info().height
    }

    /// Current block time in seconds.
    pub fn now(&self) -> u64 {
        self.app.block_info().time.seconds()
    }

    /// Executes `msg` on `contract` as `sender`; the outcome goes into the transcript.
    pub fn exec<M: Serialize + std::fmt::Debug>(
        &mut self,
        sender: &str,
        contract: &Addr,
        msg: &M,
        funds: &[Coin],
    ) -> Result<AppResponse, StdError> {
        let sender = self.addr(sender);
        let result = self
            .app
            .execute_contract(sender.clone(), contract.clone(), msg, funds);
        self.transcript
            .record(&sender, contract, msg, funds, &result);
        result
    }

    /// A smart query (panics are the caller's: tests unwrap).
    pub fn query<T: DeserializeOwned, M: Serialize>(
        &self,
        contract: &Addr,
        msg: &M,
    ) -> Result<T, StdError> {
        self.app.wrap().query_wasm_smart(contract, msg)
    }

    /// Bank balance of `who` in `denom`.
    pub fn bank(&self, who: &Addr, denom: &str) -> u128 {
        self.app
            .wrap()
            .query_balance(who, denom)
            .ok()
            .and_then(|c| Uint128::try_from(c.amount).ok())
            .map_or(0, |a| a.u128())
    }

    /// ACT balance of `who` on the bme ledger.
    pub fn act(&self, who: &Addr) -> u128 {
        let bme = self.c.bme.clone();
        self.query::<bme::msg::BalanceResponse, _>(
            &bme,
            &bme::msg::QueryMsg::Balance {
                address: who.to_string(),
            },
        )
        .map_or(0, |b| b.balance.u128())
    }

    fn push(&mut self, price: i64) -> anyhow::Result<()> {
        let now = i64::try_from(self.now())?;
        let oracle = self.c.oracle.clone();
        self.exec(
            "relayer",
            &oracle,
            &oracle::msg::ExecuteMsg::Push {
                pair: PAIR.into(),
                source: "relayer".into(),
                price: Int64::new(price),
                conf: Uint64::zero(),
                expo: -8,
                publish_time: now,
            },
            &[],
        )
        .map_err(|e| anyhow::anyhow!("push: {e}"))?;
        Ok(())
    }

    /// Moves `blocks` blocks ahead; the relayer pushes the current price, if the feed is on.
    pub fn advance(&mut self, blocks: u64) -> anyhow::Result<()> {
        self.app.update_block(|b| {
            b.height += blocks;
            b.time = b.time.plus_seconds(BLOCK_S * blocks);
        });
        match self.price {
            Some(p) => self.push(p),
            None => Ok(()),
        }
    }

    /// The relayer publishes `usd`; a block later it fills the whole (1 s) TWAP window.
    pub fn set_price(&mut self, usd: &str) -> anyhow::Result<()> {
        let p = raw_price(usd);
        self.price = Some(p);
        self.app.update_block(|b| {
            b.height += 1;
            b.time = b.time.plus_seconds(BLOCK_S);
        });
        self.push(p)?;
        self.advance(1)
    }

    /// The feed stops; after this the oracle's price is stale.
    pub fn stop_feed(&mut self) -> anyhow::Result<()> {
        self.price = None;
        self.advance(STALENESS_S / BLOCK_S + 1)
    }

    /// Mints ACT for `who` with `uakt` and runs the mint epoch; returns the ACT received.
    pub fn mint_act(&mut self, who: &str, uakt: u128) -> anyhow::Result<u128> {
        let bme = self.c.bme.clone();
        let before = self.act(&self.addr(who));
        self.exec(
            who,
            &bme,
            &bme::msg::ExecuteMsg::MintAct {},
            &[coin(uakt, AKT)],
        )
        .map_err(|e| anyhow::anyhow!("mint: {e}"))?;
        self.run_due_epoch()?;
        Ok(self.act(&self.addr(who)) - before)
    }

    /// Advances to bme's next due epoch and lets the keeper process it.
    pub fn run_due_epoch(&mut self) -> anyhow::Result<AppResponse> {
        let bme = self.c.bme.clone();
        let status: bme::msg::StatusResponse = self
            .query(&bme, &bme::msg::QueryMsg::Status {})
            .map_err(|e| anyhow::anyhow!("status: {e}"))?;
        let due = status.next_burn_epoch.min(status.next_mint_epoch);
        let h = self.height();
        if due > h {
            self.advance(due - h)?;
        }
        self.exec(
            "keeper",
            &bme,
            &bme::msg::ExecuteMsg::Process { limit: None },
            &[],
        )
        .map_err(|e| anyhow::anyhow!("process: {e}"))
    }

    /// Sends `uact` from `who` into `contract` with the receive hook `hook`.
    pub fn send_act<H: Serialize>(
        &mut self,
        who: &str,
        contract: &Addr,
        uact: u128,
        hook: &H,
    ) -> Result<AppResponse, StdError> {
        let bme = self.c.bme.clone();
        self.exec(
            who,
            &bme,
            &bme::msg::ExecuteMsg::Send {
                contract: contract.to_string(),
                amount: uact.into(),
                msg: to_json_binary(hook)?,
            },
            &[],
        )
    }
}

/// A migrate as it appears in the transcript.
#[derive(Debug, Serialize)]
struct MigrateLine<'a, M> {
    migrate: &'a M,
    new_code_id: u64,
}

impl Suite {
    /// [`Suite::exec`] that must succeed: a refusal becomes an error naming `what`.
    pub fn exec_ok<M: Serialize + std::fmt::Debug>(
        &mut self,
        what: &str,
        sender: &str,
        contract: &Addr,
        msg: &M,
        funds: &[Coin],
    ) -> anyhow::Result<AppResponse> {
        self.exec(sender, contract, msg, funds)
            .map_err(|e| anyhow::anyhow!("{what}: {e}"))
    }

    /// [`Suite::exec`] that must fail with an error containing `fragment`; returns the error text.
    pub fn exec_err<M: Serialize + std::fmt::Debug>(
        &mut self,
        sender: &str,
        contract: &Addr,
        msg: &M,
        funds: &[Coin],
        fragment: &str,
    ) -> anyhow::Result<String> {
        match self.exec(sender, contract, msg, funds) {
            Ok(_) => anyhow::bail!("expected a refusal containing {fragment:?}, got success"),
            Err(e) => {
                let text = e.to_string();
                anyhow::ensure!(
                    text.contains(fragment),
                    "expected a refusal containing {fragment:?}, got: {text}"
                );
                Ok(text)
            }
        }
    }

    /// [`Suite::query`] with the error as an `anyhow::Error`.
    pub fn q<T: DeserializeOwned, M: Serialize>(
        &self,
        contract: &Addr,
        msg: &M,
    ) -> anyhow::Result<T> {
        self.query(contract, msg)
            .map_err(|e| anyhow::anyhow!("query: {e}"))
    }

    /// Moves to `height` (no-op when already there or past); the feed pushes as in [`advance`].
    ///
    /// [`advance`]: Suite::advance
    pub fn advance_to(&mut self, height: u64) -> anyhow::Result<()> {
        let h = self.height();
        if height > h {
            self.advance(height - h)?;
        }
        Ok(())
    }

    /// Stores the code of contract `name` again on this suite's backend; returns the code id.
    pub fn store(&mut self, name: &str) -> anyhow::Result<u64> {
        let code = self.backend.code(name)?;
        Ok(self.app.store_code(code))
    }

    /// `sender` migrates `contract` to `new_code_id` with `msg`; the outcome goes into the
    /// transcript like an execute.
    pub fn migrate<M: Serialize + std::fmt::Debug>(
        &mut self,
        sender: &str,
        contract: &Addr,
        new_code_id: u64,
        msg: &M,
    ) -> Result<AppResponse, StdError> {
        let sender = self.addr(sender);
        let result = self
            .app
            .migrate_contract(sender.clone(), contract.clone(), msg, new_code_id);
        let line = MigrateLine {
            migrate: msg,
            new_code_id,
        };
        self.transcript
            .record(&sender, contract, &line, &[], &result);
        result
    }

    /// Sum of the bank balances in `denom` of the named accounts and of every contract.
    pub fn bank_total(&self, names: &[&str], denom: &str) -> u128 {
        let accounts: u128 = names.iter().map(|n| self.bank(&self.addr(n), denom)).sum();
        let contracts: u128 = self.c.all().iter().map(|(_, a)| self.bank(a, denom)).sum();
        accounts + contracts
    }
}

/// An 8×H100 bare-metal host at `price` per hour, reclaimable with `reclamation_window_s` notice.
pub fn h100_host(
    host_id: &str,
    price: Coin,
    reclamation_window_s: Option<u64>,
) -> reservations::msg::HostMsg {
    reservations::msg::HostMsg {
        host_id: host_id.into(),
        gpu_model: "h100".into(),
        gpu_count: 8,
        cpu: 64,
        memory: 512 << 30,
        bare_metal: true,
        attributes: vec![],
        price_per_hour: price,
        reclamation_window_s,
        require_attestation: false,
    }
}
