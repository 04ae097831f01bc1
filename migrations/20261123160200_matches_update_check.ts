// The per-statement check that matches point at existing parcels (20261123104000), on UPDATE
// only for rows whose parcel changed. Most updates of matches are decisions marking links
// decided; proving their unchanged parcels exist meant an anti-join into the partitioned
// `parcels` whose plan opens every partition (~2 ms of each decision at province scale).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION matches_parcels_exist_update() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE missing record;
    BEGIN
      -- The rows whose parcel changed (or that moved to another commune or id), if any.
      IF NOT EXISTS (
        SELECT 1 FROM new_rows n LEFT JOIN old_rows o ON o.commune_code = n.commune_code AND o.id = n.id
        WHERE n.parcel_id IS NOT NULL AND (o.id IS NULL OR o.parcel_id IS DISTINCT FROM n.parcel_id)
      ) THEN
        RETURN NULL;
      END IF;
      SELECT n.commune_code, n.parcel_id INTO missing
      FROM new_rows n LEFT JOIN old_rows o ON o.commune_code = n.commune_code AND o.id = n.id
      WHERE n.parcel_id IS NOT NULL AND (o.id IS NULL OR o.parcel_id IS DISTINCT FROM n.parcel_id)
        AND NOT EXISTS (SELECT 1 FROM parcels p WHERE p.commune_code = n.commune_code AND p.id = n.parcel_id)
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'matches: parcel % of commune % does not exist', missing.parcel_id, missing.commune_code
          USING ERRCODE = 'foreign_key_violation';
      END IF;
      RETURN NULL;
    END $$`)
  await knex.raw('DROP TRIGGER matches_parcels_exist_update ON matches')
  await knex.raw(`CREATE TRIGGER matches_parcels_exist_update AFTER UPDATE ON matches
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION matches_parcels_exist_update()`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER matches_parcels_exist_update ON matches')
  await knex.raw(`CREATE TRIGGER matches_parcels_exist_update AFTER UPDATE ON matches
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION matches_parcels_exist()`)
  await knex.raw('DROP FUNCTION matches_parcels_exist_update()')
}
