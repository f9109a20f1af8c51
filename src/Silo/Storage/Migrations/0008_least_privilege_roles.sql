-- 0008: least-privilege roles. Migrations run as the owner of the tables (the role of the
-- migrator's connection: ConnectionStrings:RegistryMigrations, or ConnectionStrings:Registry when
-- that is unset). Two NOLOGIN group roles get exactly what the processes do; a deployment creates
-- login roles with passwords and makes them members (GRANT registry_silo TO registry_silo_login):
--   registry_silo  the silos: revoked_tokens (token grains read and upsert, the sweeper deletes),
--                  Orleans' membership, reminder and grain-storage tables, sweeper_state,
--                  recycle_turns, lease_partitions, and OrleansQuery read-only. No DDL: it cannot
--                  create, alter or drop anything, and reads no schema_migrations.
--   registry_api   the API nodes: the gateway list (OrleansQuery, OrleansMembershipTable) and
--                  revoked_tokens for the Database and LocalCache check modes. Nothing else: no
--                  grain state, no reminders, no writes.
-- Roles belong to the whole server, not to this database: they are created only when missing (by
-- a DBA beforehand, then the owner needs no CREATEROLE), and a concurrent migration of another
-- database creating the same role is tolerated. A later migration that adds a table grants on it
-- itself, as this one does (DatabaseRoleTests fails on a table the silos' role cannot read).
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'registry_silo') THEN
        BEGIN
            CREATE ROLE registry_silo NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'registry_api') THEN
        BEGIN
            CREATE ROLE registry_api NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;

    -- PostgreSQL 15 and later give PUBLIC no CREATE on the public schema; older servers do, which
    -- would let both roles create tables. Revoked only where this role owns the schema (else the
    -- revocation would be a no-op with a warning: the DBA's call).
    IF has_schema_privilege('public', current_schema(), 'CREATE')
       AND pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()), 'USAGE') THEN
        EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());
    END IF;

    IF NOT has_schema_privilege('registry_silo', current_schema(), 'USAGE') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO registry_silo', current_schema());
    END IF;
    IF NOT has_schema_privilege('registry_api', current_schema(), 'USAGE') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO registry_api', current_schema());
    END IF;
END
$roles$;

GRANT SELECT, INSERT, UPDATE, DELETE ON revoked_tokens TO registry_silo;
GRANT SELECT ON OrleansQuery TO registry_silo;
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansStorage TO registry_silo;
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansMembershipVersionTable TO registry_silo;
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansMembershipTable TO registry_silo;
GRANT SELECT, INSERT, UPDATE, DELETE ON OrleansRemindersTable TO registry_silo;
GRANT SELECT, INSERT, UPDATE ON sweeper_state TO registry_silo;
GRANT SELECT, INSERT, UPDATE ON recycle_turns TO registry_silo;
GRANT SELECT, INSERT, UPDATE ON lease_partitions TO registry_silo;

GRANT SELECT ON revoked_tokens TO registry_api;
GRANT SELECT ON OrleansQuery TO registry_api;
GRANT SELECT ON OrleansMembershipTable TO registry_api;
