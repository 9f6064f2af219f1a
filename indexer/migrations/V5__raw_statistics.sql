-- Raw attributes are read whole, never filtered on: ANALYZE need not sample and sort them.
-- (Each raw_event partition is told when it is created; partitions do not inherit this.)
ALTER TABLE raw_event ALTER COLUMN attributes SET STATISTICS 0;
ALTER TABLE quarantine ALTER COLUMN raw SET STATISTICS 0;
