-- 0009: issuer-scoped keys. A jti or a sub is unique only per issuer, so revocations are keyed by
-- (iss, jti) and subject grains by (iss, sub) (grain keys: IssuerKey in Revocation.Abstractions).
--   * revoked_tokens gets an iss column in its primary key; every existing row is given the issuer
--     of the setting registry.legacy_issuer (Database:LegacyIssuer, set by the migrator): the one
--     issuer the API nodes trusted before this migration.
--   * Subject grains keep their not-before under a new state name, keyed by the new grain keys.
--     The grain ids of the old state rows are hashes Orleans computes, which SQL cannot rewrite, so
--     they stay where they are and legacy_issuer records whose they are (when there are any): a subject grain of that
--     issuer with no state of its own reads the old row of its subject once, on activation.
--   * OrleansStorage's key column widens to hold the longest new key (a 256-character issuer and
--     a 256-character subject with their length prefix).
-- Without the setting, the migration refuses to run if there is anything to give an issuer: it is
-- never guessed, also not with several issuers trusted now (nothing says which minted a row).

CREATE TABLE legacy_issuer (
    singleton   boolean     NOT NULL DEFAULT true,
    iss         text        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT legacy_issuer_pk PRIMARY KEY (singleton),
    CONSTRAINT legacy_issuer_singleton_ck CHECK (singleton),
    CONSTRAINT legacy_issuer_iss_length_ck CHECK (char_length(iss) <= 256)
);

ALTER TABLE revoked_tokens ADD COLUMN iss text;

DO $upgrade$
DECLARE
    legacy text := NULLIF(current_setting('registry.legacy_issuer', true), '');
BEGIN
    IF legacy IS NULL THEN
        IF EXISTS (SELECT 1 FROM revoked_tokens)
           OR EXISTS (SELECT 1 FROM OrleansStorage WHERE GrainTypeString = 'revocation-subject-not-before') THEN
            RAISE EXCEPTION 'Database:LegacyIssuer is not set, and the database holds revocations from before issuer-scoped keys. Set it to the issuer (iss) the API nodes trusted until now (their Jwt:Issuer), e.g. `Revocation.Silo migrate --Database:LegacyIssuer=https://idp.example` or Database__LegacyIssuer; nothing was changed.';
        END IF;
    ELSE
        UPDATE revoked_tokens SET iss = legacy;
        -- Recorded only when there are old subject states to find: it costs the issuer's subject
        -- grains a read on activation.
        IF EXISTS (SELECT 1 FROM OrleansStorage WHERE GrainTypeString = 'revocation-subject-not-before') THEN
            INSERT INTO legacy_issuer (iss) VALUES (legacy);
        END IF;
    END IF;
END
$upgrade$;

ALTER TABLE revoked_tokens ALTER COLUMN iss SET NOT NULL;
ALTER TABLE revoked_tokens DROP CONSTRAINT revoked_tokens_pk;
ALTER TABLE revoked_tokens ADD CONSTRAINT revoked_tokens_pk PRIMARY KEY (iss, jti);
ALTER TABLE revoked_tokens ADD CONSTRAINT revoked_tokens_iss_length_ck CHECK (char_length(iss) <= 256);

ALTER TABLE OrleansStorage ALTER COLUMN GrainIdExtensionString TYPE varchar(1024);

GRANT SELECT ON legacy_issuer TO registry_silo;
