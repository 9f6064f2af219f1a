-- Core tables of the indexer. Event tables (one per catalogue event) are created from the
-- catalogue by the indexer after these migrations, so they always match the catalogue version.

CREATE TABLE block (
    block_height BIGINT PRIMARY KEY,
    block_time TIMESTAMPTZ NOT NULL,
    hash TEXT NOT NULL,
    tx_count INTEGER NOT NULL,
    event_count INTEGER NOT NULL
);
CREATE INDEX block_time_idx ON block (block_time);

-- Every event of a followed contract as delivered, so `reindex` never needs the RPC.
CREATE TABLE raw_event (
    block_height BIGINT NOT NULL,
    phase SMALLINT NOT NULL,
    tx_index INTEGER NOT NULL,
    event_index INTEGER NOT NULL,
    contract_address TEXT NOT NULL,
    type TEXT NOT NULL,
    -- [[key, value], ...] in delivery order, duplicates kept.
    attributes JSONB NOT NULL,
    PRIMARY KEY (block_height, phase, tx_index, event_index)
) PARTITION BY RANGE (block_height);

-- Events of followed contracts the catalogue could not read, with why.
CREATE TABLE quarantine (
    block_height BIGINT NOT NULL,
    phase SMALLINT NOT NULL,
    tx_index INTEGER NOT NULL,
    event_index INTEGER NOT NULL,
    contract_address TEXT NOT NULL,
    type TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw JSONB NOT NULL,
    PRIMARY KEY (block_height, phase, tx_index, event_index)
);

CREATE TABLE followed_contract (
    contract_address TEXT PRIMARY KEY,
    name TEXT,
    since_height BIGINT NOT NULL
);

-- The last block whose rows are all committed; written in the same transaction as they are.
CREATE TABLE sync_cursor (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    block_height BIGINT NOT NULL,
    hash TEXT,
    block_time TIMESTAMPTZ,
    catalogue_version INTEGER NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Catalogue events per UTC day, contract and type (kept with the rows they count).
CREATE TABLE daily_event_count (
    day DATE NOT NULL,
    contract TEXT NOT NULL,
    type TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (day, contract, type)
);
