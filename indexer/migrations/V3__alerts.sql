-- Escrow alerts: API keys, the alerts they own, and the outbox of webhook deliveries. Alert
-- transitions are computed by the writer as blocks are indexed and written in the batch's
-- transaction, so each transition has exactly one delivery row whatever crashes.

-- An operator-issued key; only its SHA-256 is kept. `owner` NULL: the key may act on any owner.
CREATE TABLE api_key (
    id BIGSERIAL PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    owner TEXT,
    label TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ
);

-- A condition on one escrow account: `metric` (balance | balance_percent_of_top_up |
-- time_to_depletion) compared (below | at | above) with `threshold` (base units, percent or
-- seconds). `state` is ok | triggered; only changes of state are delivered.
CREATE TABLE alert (
    id BIGSERIAL PRIMARY KEY,
    api_key_id BIGINT NOT NULL REFERENCES api_key (id),
    owner TEXT NOT NULL,
    dseq BIGINT NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    metric TEXT NOT NULL,
    comparator TEXT NOT NULL,
    threshold NUMERIC NOT NULL,
    webhook_url TEXT NOT NULL,
    -- The HMAC key of this alert's deliveries (shown once, at creation).
    secret TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    disabled_reason TEXT,
    state TEXT NOT NULL DEFAULT 'ok',
    last_value NUMERIC,
    last_height BIGINT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX alert_account_idx ON alert (owner, dseq) WHERE enabled;

-- The outbox: one row per transition, written with the batch that caused it. `delivery_id` is
-- derived from the transition, so a receiver dedupes retries and redeliveries by it.
CREATE TABLE alert_delivery (
    delivery_id TEXT PRIMARY KEY,
    alert_id BIGINT NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    block_height BIGINT NOT NULL,
    state TEXT NOT NULL,
    body JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    delivered_at TIMESTAMPTZ,
    gave_up_at TIMESTAMPTZ,
    last_error TEXT
);
CREATE INDEX alert_delivery_due_idx ON alert_delivery (next_attempt_at)
    WHERE delivered_at IS NULL AND gave_up_at IS NULL;

-- Every attempt at a delivery: the delivery log.
CREATE TABLE alert_delivery_attempt (
    delivery_id TEXT NOT NULL REFERENCES alert_delivery (delivery_id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    status INTEGER,
    error TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
