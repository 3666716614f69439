-- The data version: one counter, bumped once by every transaction that writes any table of nianbao's, in that
-- transaction. It commits and rolls back with the write, so an instance that reads it never sees a version
-- whose data it cannot see yet (a sequence could not promise that); the caches of every instance compare it.
INSERT INTO "data_version" ("id", "version") VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION "nianbao_touch_data_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- once per transaction: the setting is local to it and gone when it ends (or rolls back to a savepoint)
  IF coalesce(current_setting('nianbao.data_version_touched', true), '') <> 'yes' THEN
    UPDATE "data_version" SET "version" = "version" + 1 WHERE "id" = 1;
    PERFORM set_config('nianbao.data_version_touched', 'yes', true);
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['agencies', 'reports', 'report_cells', 'rollup', 'rollup_province', 'findings', 'api_keys',
                           'report_revisions', 'idempotency_keys'] LOOP
    EXECUTE format('CREATE TRIGGER "%s_touch_data_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                   'FOR EACH STATEMENT EXECUTE FUNCTION "nianbao_touch_data_version"()', t, t);
  END LOOP;
END
$$;
