-- State the events describe and the per-day rollups, written by the projector in the same
-- transaction as the events they come from (so they are exactly as current as the cursor).
-- Names follow the event catalogue: owner, dseq, payment_id, provider, denom, rate, gpu_model.

-- An escrow account as of its last event.
CREATE TABLE escrow_account (
    owner TEXT NOT NULL,
    dseq BIGINT NOT NULL,
    denom TEXT NOT NULL,
    -- open | overdrawn | closed (the catalogue's AccountState).
    state TEXT NOT NULL,
    opened_height BIGINT NOT NULL,
    closed_height BIGINT,
    close_reason TEXT,
    -- Remaining deposits after the last event that reported it.
    balance NUMERIC(78, 0) NOT NULL,
    -- Sum of the rates of its open payments, per block.
    account_rate NUMERIC NOT NULL,
    -- The block whose charge its funds cannot cover (predicted while open).
    depletes_at BIGINT,
    exhausted_at BIGINT,
    -- Everything ever deposited, and the last top-up (alerts compare against it).
    deposited NUMERIC(78, 0) NOT NULL,
    last_top_up NUMERIC(78, 0),
    last_top_up_height BIGINT,
    updated_height BIGINT NOT NULL,
    PRIMARY KEY (owner, dseq)
);
CREATE INDEX escrow_account_state_idx ON escrow_account (state);

-- A payment (lease) as of its last event.
CREATE TABLE escrow_payment (
    owner TEXT NOT NULL,
    dseq BIGINT NOT NULL,
    payment_id BIGINT NOT NULL,
    provider TEXT NOT NULL,
    denom TEXT NOT NULL,
    rate NUMERIC NOT NULL,
    gpu_model TEXT NOT NULL,
    gpu_count INTEGER NOT NULL,
    -- open | overdrawn | closed (the catalogue's PaymentState).
    state TEXT NOT NULL,
    opened_height BIGINT NOT NULL,
    closed_height BIGINT,
    close_reason TEXT,
    -- Σ payment_settled.amount + Σ debt_paid.amount.
    settled NUMERIC(78, 0) NOT NULL,
    -- Debt outstanding: Σ payment_settled.debt − Σ debt_paid.amount.
    debt NUMERIC(78, 0) NOT NULL,
    withdrawn NUMERIC(78, 0) NOT NULL,
    updated_height BIGINT NOT NULL,
    PRIMARY KEY (owner, dseq, payment_id)
);
CREATE INDEX escrow_payment_provider_idx ON escrow_payment (provider);
CREATE INDEX escrow_payment_state_idx ON escrow_payment (state);

-- The blocks a payment is charged for: (from_height, to_height], to_height NULL while it still
-- runs. A payment has one interval per run: opened → exhausted, reopened → closed, …
CREATE TABLE payment_live_interval (
    owner TEXT NOT NULL,
    dseq BIGINT NOT NULL,
    payment_id BIGINT NOT NULL,
    from_height BIGINT NOT NULL,
    to_height BIGINT,
    PRIMARY KEY (owner, dseq, payment_id, from_height)
);

-- A sponsor's allowance to a grantee, as of its last event.
CREATE TABLE escrow_allowance (
    granter TEXT NOT NULL,
    grantee TEXT NOT NULL,
    denom TEXT NOT NULL,
    scope TEXT,
    balance NUMERIC(78, 0) NOT NULL,
    granted NUMERIC(78, 0) NOT NULL,
    spent NUMERIC(78, 0) NOT NULL,
    expires_at BIGINT,
    revoked BOOLEAN NOT NULL,
    updated_height BIGINT NOT NULL,
    PRIMARY KEY (granter, grantee, denom)
);

-- Lease figures per UTC day and (denom, provider, owner, gpu_model). `spend` is Σ rate over the
-- payments' live blocks of the day; `spend_usd` the same at the price in force at each block
-- (NULL for a denom without a USD value); `usd_estimated` when a carried (stale) price was used.
-- `leases_active` / `gpus_active` count the payments live after the day's last indexed block.
CREATE TABLE daily_lease (
    day DATE NOT NULL,
    denom TEXT NOT NULL,
    provider TEXT NOT NULL,
    owner TEXT NOT NULL,
    gpu_model TEXT NOT NULL,
    spend NUMERIC NOT NULL,
    spend_usd NUMERIC,
    usd_estimated BOOLEAN NOT NULL,
    live_blocks BIGINT NOT NULL,
    leases_opened INTEGER NOT NULL,
    leases_active INTEGER NOT NULL,
    gpus_active INTEGER NOT NULL,
    PRIMARY KEY (day, denom, provider, owner, gpu_model)
);

-- What settlements took from each depositor's deposits per UTC day (the sponsor view).
CREATE TABLE daily_depositor_spend (
    day DATE NOT NULL,
    denom TEXT NOT NULL,
    depositor TEXT NOT NULL,
    owner TEXT NOT NULL,
    amount NUMERIC(78, 0) NOT NULL,
    PRIMARY KEY (day, denom, depositor, owner)
);

-- Network figures per UTC day: flows summed over the day, levels as of its last indexed block.
CREATE TABLE daily_network (
    day DATE PRIMARY KEY,
    first_height BIGINT NOT NULL,
    last_height BIGINT NOT NULL,
    last_time TIMESTAMPTZ NOT NULL,
    blocks BIGINT NOT NULL,
    act_minted NUMERIC(78, 0) NOT NULL,
    act_burned NUMERIC(78, 0) NOT NULL,
    akt_vaulted NUMERIC(78, 0) NOT NULL,
    pip_paid_usd NUMERIC NOT NULL,
    reserved_gpu_seconds BIGINT NOT NULL,
    act_supply NUMERIC(78, 0),
    vault_akt NUMERIC(78, 0),
    cr_bps BIGINT,
    akt_usd NUMERIC,
    price_stale BOOLEAN NOT NULL
);

-- The chain tip the writer last saw (NULL until it has seen one): readiness and lag for `serve`.
ALTER TABLE sync_cursor ADD COLUMN chain_height BIGINT, ADD COLUMN chain_time TIMESTAMPTZ;
