// The link from `matches` to `parcels` checked per statement instead of per row.
//
// `parcels` is partitioned by commune (20261123103500), and PostgreSQL checks a foreign key
// into a partitioned table row by row through partition routing: ~34 µs a row, most of a
// matching run's time. The same rule, set-based: after each statement that inserts or updates
// matches, one anti-join proves every parcel_id exists in its commune; after each statement that
// deletes parcels (a re-delivered sheet), their matches go too, as ON DELETE CASCADE did.
// Imports and matching of one commune take the same advisory lock (see
// src/imports/parcels/load.ts), so no match can be written for a parcel being replaced.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE matches DROP CONSTRAINT matches_commune_code_parcel_id_foreign')
  await knex.raw(`
    CREATE FUNCTION matches_parcels_exist() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE missing record;
    BEGIN
      SELECT n.commune_code, n.parcel_id INTO missing FROM new_rows n
      WHERE n.parcel_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM parcels p WHERE p.commune_code = n.commune_code AND p.id = n.parcel_id)
      LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'matches: parcel % of commune % does not exist', missing.parcel_id, missing.commune_code
          USING ERRCODE = 'foreign_key_violation';
      END IF;
      RETURN NULL;
    END $$`)
  await knex.raw(`CREATE TRIGGER matches_parcels_exist_insert AFTER INSERT ON matches REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION matches_parcels_exist()`)
  await knex.raw(`CREATE TRIGGER matches_parcels_exist_update AFTER UPDATE ON matches REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION matches_parcels_exist()`)
  await knex.raw(`
    CREATE FUNCTION parcels_delete_matches() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM matches m USING old_rows o WHERE m.commune_code = o.commune_code AND m.parcel_id = o.id;
      RETURN NULL;
    END $$`)
  await knex.raw(`CREATE TRIGGER parcels_delete_matches AFTER DELETE ON parcels REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION parcels_delete_matches()`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER parcels_delete_matches ON parcels')
  await knex.raw('DROP FUNCTION parcels_delete_matches()')
  await knex.raw('DROP TRIGGER matches_parcels_exist_update ON matches')
  await knex.raw('DROP TRIGGER matches_parcels_exist_insert ON matches')
  await knex.raw('DROP FUNCTION matches_parcels_exist()')
  await knex.raw(`ALTER TABLE matches ADD CONSTRAINT matches_commune_code_parcel_id_foreign
    FOREIGN KEY (commune_code, parcel_id) REFERENCES parcels (commune_code, id) ON DELETE CASCADE`)
}
