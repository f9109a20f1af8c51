-- 0004: durable reminders for Orleans' ADO.NET reminder service
-- (Microsoft.Orleans.Reminders.AdoNet, invariant "Npgsql"); the sweeper's reminder lives here,
-- so it survives the silo that owned it. The provider ships no SQL. Its contract:
--   * at start it refuses to run unless OrleansQuery holds UpsertReminderRowKey,
--     ReadReminderRowKey, ReadReminderRowsKey, ReadRangeRows1Key, ReadRangeRows2Key,
--     DeleteReminderRowKey and DeleteReminderRowsKey;
--   * parameters: @ServiceId, @GrainId (text), @ReminderName, @StartTime, @Period (milliseconds),
--     @GrainHash (the grain's uniform hash as a signed integer), @Version (the etag), and for
--     range reads @BeginHash/@EndHash: the provider picks ReadRangeRows1Key when the range
--     (BeginHash, EndHash] does not wrap around in signed order and ReadRangeRows2Key when it does;
--   * reads return GrainId, ReminderName, StartTime, Period (read as a 64-bit integer), Version;
--     an upsert returns the new Version; a delete returns one integer, 1 if the row with that
--     version was deleted, 0 otherwise.

CREATE TABLE OrleansRemindersTable (
    ServiceId    varchar(150) NOT NULL,
    GrainId      varchar(150) NOT NULL,
    ReminderName varchar(150) NOT NULL,
    StartTime    timestamptz  NOT NULL,
    Period       bigint       NOT NULL,
    GrainHash    integer      NOT NULL,
    Version      integer      NOT NULL,
    CONSTRAINT OrleansRemindersTable_Key PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

-- Each silo reads the reminders of its hash range when the ring changes.
CREATE INDEX OrleansRemindersTable_Hash_ix ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', '
    INSERT INTO OrleansRemindersTable AS r (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT ON CONSTRAINT OrleansRemindersTable_Key DO UPDATE
    SET StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
        Version = r.Version + 1
    RETURNING Version
'),
('ReadReminderRowKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
'),
('ReadReminderRowsKey', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId
'),
('ReadRangeRows1Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
'),
('ReadRangeRows2Key', '
    SELECT GrainId, ReminderName, StartTime, Period, Version
    FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
'),
('DeleteReminderRowKey', '
    WITH deleted AS (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
          AND Version = @Version
        RETURNING 1
    )
    SELECT count(*)::integer FROM deleted
'),
('DeleteReminderRowsKey', '
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId
');
