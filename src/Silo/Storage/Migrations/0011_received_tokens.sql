-- 0011: the tokens identity providers delivered — back-channel logout tokens and Security Event
-- Tokens — remembered by (iss, jti) until seen_until: the last instant a delivery of the token
-- would still pass the receiver's checks (its exp or age limit, plus the skew). A delivery whose
-- jti has a live row is refused as a replay; the sweeper deletes rows whose seen_until has passed,
-- as it does revoked_tokens', using the index below. Silos read, upsert and delete; API nodes never
-- read it (deliveries are claimed through the replay grains).
-- Before this migration the replay grains kept their records in OrleansStorage (state name
-- 'revocation-received-token-seen'), where nothing swept them. Those rows are deleted, not
-- carried over: a delivery repeated within its window after the upgrade is acted on again, which
-- revokes nothing new (every revocation it makes is idempotent).
CREATE TABLE received_tokens (
    iss        text        NOT NULL,
    jti        text        NOT NULL,
    seen_until timestamptz NOT NULL,
    CONSTRAINT received_tokens_pk PRIMARY KEY (iss, jti),
    CONSTRAINT received_tokens_iss_length_ck CHECK (char_length(iss) <= 256),
    CONSTRAINT received_tokens_jti_length_ck CHECK (char_length(jti) BETWEEN 1 AND 256)
);

CREATE INDEX received_tokens_seen_until_ix ON received_tokens (seen_until);

GRANT SELECT, INSERT, UPDATE, DELETE ON received_tokens TO registry_silo;

DELETE FROM OrleansStorage WHERE GrainTypeString = 'revocation-received-token-seen';
