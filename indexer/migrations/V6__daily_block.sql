-- Blocks and transactions per UTC day, written in the transaction of the blocks they count, so
-- chain-wide totals read a row per day instead of scanning `block`.
CREATE TABLE daily_block (
    day DATE PRIMARY KEY,
    block_count BIGINT NOT NULL,
    tx_count BIGINT NOT NULL
);

-- Databases synced before this table existed.
INSERT INTO daily_block (day, block_count, tx_count)
SELECT (block_time AT TIME ZONE 'UTC')::date, count(*), sum(tx_count)
FROM block
GROUP BY 1;
