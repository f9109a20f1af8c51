-- 0005: the sweeper's last successful run, one row. Whichever silo sweeps writes it; every silo
-- reads it for revocation_sweeper_last_success, so the gauge agrees across silos and survives the
-- failover of the silo that swept (it used to live in that silo's memory).
CREATE TABLE sweeper_state (
    id              smallint    NOT NULL DEFAULT 1,
    last_success_at timestamptz NOT NULL,
    CONSTRAINT sweeper_state_pk PRIMARY KEY (id),
    CONSTRAINT sweeper_state_single_row_ck CHECK (id = 1)
);
