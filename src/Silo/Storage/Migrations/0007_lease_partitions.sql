-- 0007: how many lease partitions each cluster runs (NodeLeases:Partitions). The first silo of a
-- cluster writes it; every later silo of that cluster must run the same count or refuses to start:
-- a revocation is told to the partitions its silo counts, so silos that count differently would
-- leave the nodes of some partitions untold. A new count needs a new Cluster:ClusterId.
CREATE TABLE lease_partitions (
    cluster_id  text        NOT NULL,
    partitions  integer     NOT NULL,
    agreed_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lease_partitions_pk PRIMARY KEY (cluster_id),
    CONSTRAINT lease_partitions_count_ck CHECK (partitions BETWEEN 1 AND 64)
);
