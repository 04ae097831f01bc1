// Where each commune's parcels lie, per stored srid: a box that holds them all (it may be larger
// after parcels were deleted, never smaller). A vector tile first finds the communes whose box
// meets it and then reads only those partitions of `parcels`, pruned when the statement is
// planned; probing all 220 partitions' indexes and planning over them was most of a z16 tile.
// Kept by a statement trigger on parcels for rows inserted through the parent, and by the
// import for a first load, whose rows enter a table attached as the partition (partitions.ts).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE parcel_extents (
      commune_code text NOT NULL REFERENCES communes (code),
      srid integer NOT NULL,
      extent box2d NOT NULL,
      PRIMARY KEY (commune_code, srid)
    )`)
  // Grows a commune's box in a zone to hold `box` too: the trigger below and the import's
  // partition attach (src/imports/parcels/partitions.ts) both go through it.
  await knex.raw(`
    CREATE FUNCTION parcel_extents_merge(commune text, zone integer, box box2d) RETURNS void LANGUAGE sql AS $$
      INSERT INTO parcel_extents (commune_code, srid, extent) VALUES (commune, zone, box)
      ON CONFLICT (commune_code, srid) DO UPDATE
        SET extent = box2d(ST_Collect(CAST(parcel_extents.extent AS geometry), CAST(excluded.extent AS geometry)))
    $$`)
  await knex.raw(`
    CREATE FUNCTION parcel_extents_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM parcel_extents_merge(commune_code, srid, ST_Extent(geom)) FROM new_rows GROUP BY commune_code, srid ORDER BY commune_code, srid;
      RETURN NULL;
    END $$`)
  await knex.raw(`CREATE TRIGGER parcel_extents_add AFTER INSERT ON parcels REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION parcel_extents_add()`)
  await knex.raw(`INSERT INTO parcel_extents (commune_code, srid, extent) SELECT commune_code, srid, ST_Extent(geom) FROM parcels GROUP BY 1, 2`)
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER parcel_extents_add ON parcels')
  await knex.raw('DROP FUNCTION parcel_extents_add()')
  await knex.raw('DROP FUNCTION parcel_extents_merge(text, integer, box2d)')
  await knex.raw('DROP TABLE parcel_extents')
}
