-- 0001: the registry's own table. One row per revoked jti, kept until the token expires
-- (the sweeper deletes rows whose expires_at has passed, using the index below).
CREATE TABLE revoked_tokens (
    jti        text        NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL,
    reason     text,
    CONSTRAINT revoked_tokens_pk PRIMARY KEY (jti),
    CONSTRAINT revoked_tokens_jti_length_ck CHECK (char_length(jti) BETWEEN 1 AND 256),
    CONSTRAINT revoked_tokens_reason_length_ck CHECK (reason IS NULL OR char_length(reason) <= 512)
);

CREATE INDEX revoked_tokens_expires_at_ix ON revoked_tokens (expires_at);
