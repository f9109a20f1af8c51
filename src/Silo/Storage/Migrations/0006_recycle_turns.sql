-- 0006: turns for software rejuvenation (a silo recycling itself on purpose). A silo may stop
-- only while it holds a turn: a row here with released_at NULL. At most Rejuvenation:MaxConcurrent
-- such rows per cluster exist; PostgresRecycleTurns takes one under a transaction-scoped advisory
-- lock, so two contenders never both see a free turn. A turn ends when the holder is back (a newer
-- generation of the same address and port is Active in OrleansMembershipTable) or when it
-- expires (the holder died and nobody restarted it): the coordinator's crash never blocks the
-- cluster for longer than one turn. Released rows are kept as the recycling history.
CREATE TABLE recycle_turns (
    id                bigint       GENERATED ALWAYS AS IDENTITY,
    cluster_id        varchar(150) NOT NULL,
    holder_address    varchar(45)  NOT NULL,
    holder_port       integer      NOT NULL,
    holder_generation integer      NOT NULL,
    reason            varchar(32)  NOT NULL,
    granted_at        timestamptz  NOT NULL,
    expires_at        timestamptz  NOT NULL,
    released_at       timestamptz,
    released_because  varchar(32),
    CONSTRAINT recycle_turns_pk PRIMARY KEY (id),
    CONSTRAINT recycle_turns_expiry_ck CHECK (expires_at > granted_at),
    CONSTRAINT recycle_turns_released_ck CHECK ((released_at IS NULL) = (released_because IS NULL))
);

-- A silo generation holds at most one open turn.
CREATE UNIQUE INDEX recycle_turns_open_holder_ux ON recycle_turns (cluster_id, holder_address, holder_port, holder_generation)
    WHERE released_at IS NULL;
