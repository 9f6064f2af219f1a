-- Indexes the stats read by: runs ending in a height range (rolling windows) and runs still
-- open (active leases). Event tables get their per-account index from the catalogue
-- (store/catalogue.rs), as they are created after the migrations.
CREATE INDEX payment_live_interval_to_idx ON payment_live_interval (to_height);
CREATE INDEX payment_live_interval_open_idx ON payment_live_interval (owner, dseq, payment_id)
    WHERE to_height IS NULL;
