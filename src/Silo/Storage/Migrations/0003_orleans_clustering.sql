-- 0003: membership for Orleans' ADO.NET clustering (Microsoft.Orleans.Clustering.AdoNet,
-- invariant "Npgsql"), used by silos to form the cluster and by API nodes to find gateways.
-- The provider ships no SQL. Its contract, which this script keeps:
--   * at start it reads OrleansQuery and refuses to start unless all of these keys exist:
--     InsertMembershipVersionKey, InsertMembershipKey, UpdateMembershipKey, UpdateIAmAlivetimeKey,
--     MembershipReadRowKey, MembershipReadAllKey, GatewaysQueryKey,
--     DeleteMembershipTableEntriesKey, CleanupDefunctSiloEntriesKey;
--   * parameters: @DeploymentId (the ClusterId), @Address/@Port/@Generation (one silo),
--     @SiloName, @HostName, @Status (int: 3 = Active, 6 = Dead), @ProxyPort (gateway port, 0 if
--     none), @SuspectTimes, @StartTime, @IAmAliveTime, @Version (the table version the caller read);
--   * reads return columns named DeploymentId, Address, Port, Generation, SiloName, HostName,
--     Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime, Version (a version row with no
--     silo columns when the table is empty); the gateway query returns Address, ProxyPort, Generation;
--   * inserts and updates are compare-and-swap on the table version: they return one integer,
--     1 when the row was written and the version bumped, 0 when the version had moved on (the
--     caller then re-reads and retries).
-- Every query is one statement, so no write is ever half-applied.

CREATE TABLE OrleansMembershipVersionTable (
    DeploymentId varchar(150) NOT NULL,
    Timestamp    timestamptz  NOT NULL DEFAULT now(),
    Version      integer      NOT NULL DEFAULT 0,
    CONSTRAINT OrleansMembershipVersionTable_Key PRIMARY KEY (DeploymentId)
);

CREATE TABLE OrleansMembershipTable (
    DeploymentId varchar(150) NOT NULL,
    Address      varchar(45)  NOT NULL,
    Port         integer      NOT NULL,
    Generation   integer      NOT NULL,
    SiloName     varchar(150) NOT NULL,
    HostName     varchar(150) NOT NULL,
    Status       integer      NOT NULL,
    ProxyPort    integer      NOT NULL DEFAULT 0,
    SuspectTimes text,
    StartTime    timestamptz  NOT NULL,
    IAmAliveTime timestamptz  NOT NULL,
    CONSTRAINT OrleansMembershipTable_Key PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT OrleansMembershipTable_Version_fk FOREIGN KEY (DeploymentId)
        REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', '
    WITH inserted AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer FROM inserted
'),
-- The version row is locked first (FOR UPDATE re-checks the version after waiting), so of two
-- silos inserting against the same version exactly one writes its row and bumps the version.
('InsertMembershipKey', '
    WITH expected AS (
        SELECT DeploymentId FROM OrleansMembershipVersionTable
        WHERE DeploymentId = @DeploymentId AND Version = @Version
        FOR UPDATE
    ), inserted AS (
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
        FROM expected
        ON CONFLICT ON CONSTRAINT OrleansMembershipTable_Key DO NOTHING
        RETURNING DeploymentId
    ), bumped AS (
        UPDATE OrleansMembershipVersionTable v
        SET Version = v.Version + 1, Timestamp = now()
        FROM inserted i
        WHERE v.DeploymentId = i.DeploymentId
        RETURNING 1
    )
    SELECT count(*)::integer FROM bumped
'),
('UpdateMembershipKey', '
    WITH bumped AS (
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = @DeploymentId AND Version = @Version
        RETURNING DeploymentId
    ), updated AS (
        UPDATE OrleansMembershipTable m
        SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
        FROM bumped b
        WHERE m.DeploymentId = b.DeploymentId
          AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
        RETURNING 1
    )
    SELECT count(*)::integer FROM updated
'),
-- Liveness heartbeat: not versioned (Orleans never checks its result).
('UpdateIAmAlivetimeKey', '
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId
      AND Address = @Address AND Port = @Port AND Generation = @Generation
'),
('MembershipReadRowKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m
           ON m.DeploymentId = v.DeploymentId
          AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId
'),
('MembershipReadAllKey', '
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status,
           m.ProxyPort, m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId
'),
('GatewaysQueryKey', '
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
'),
('DeleteMembershipTableEntriesKey', '
    WITH silos AS (
        DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId
    )
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
'),
-- Rows of silos that stopped heart-beating long ago; never an active silo (status 3).
('CleanupDefunctSiloEntriesKey', '
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3
');
