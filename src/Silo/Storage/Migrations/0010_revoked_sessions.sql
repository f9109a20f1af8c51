-- 0010: session revocations. One row per revoked (iss, sid): every token carrying that session id
-- is refused. Kept until expires_at (the revocation plus SessionRevocation:Retention, the longest
-- token lifetime plus the skew); the sweeper deletes rows whose expires_at has passed, as it does
-- revoked_tokens', using the index below. Silos read, upsert and delete; API nodes never read it
-- (sessions are checked through the grains only).
CREATE TABLE revoked_sessions (
    iss        text        NOT NULL,
    sid        text        NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL,
    reason     text,
    CONSTRAINT revoked_sessions_pk PRIMARY KEY (iss, sid),
    CONSTRAINT revoked_sessions_iss_length_ck CHECK (char_length(iss) <= 256),
    CONSTRAINT revoked_sessions_sid_length_ck CHECK (char_length(sid) BETWEEN 1 AND 256),
    CONSTRAINT revoked_sessions_reason_length_ck CHECK (reason IS NULL OR char_length(reason) <= 512)
);

CREATE INDEX revoked_sessions_expires_at_ix ON revoked_sessions (expires_at);

GRANT SELECT, INSERT, UPDATE, DELETE ON revoked_sessions TO registry_silo;
