/**
 * GeoPackage export of parcels (OGC 12-128r18, GeoPackage 1.3): an SQLite file written with
 * better-sqlite3 into a temporary folder, then streamed out. It holds the required tables
 * (gpkg_spatial_ref_sys with the CRS's WKT from PostGIS, gpkg_contents, gpkg_geometry_columns),
 * the feature table with each geometry as a GeoPackage binary (header with SRS id and envelope,
 * then the little-endian WKB PostGIS writes), and the R-tree spatial index extension so QGIS
 * draws large communes fast.
 */
import { createReadStream } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import Database from 'better-sqlite3'
import type { Knex } from 'knex'
import { PARCEL_FIELDS } from './fields.js'
import { layerName, type ExportRequest } from './options.js'
import { parcelBatches, type CommuneInfo, type ParcelRow } from './source.js'

/** 'GPKG' as the SQLite application id, and user_version 10300 for GeoPackage 1.3. */
const APPLICATION_ID = 0x47504b47
const USER_VERSION = 10300

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`

/** GeoPackage binary: 'GP', version 0, flags (little-endian, envelope [minx, maxx, miny, maxy]), SRS id, envelope, WKB. */
export function gpkgGeometry(srsId: number, row: Pick<ParcelRow, 'wkb' | 'minx' | 'maxx' | 'miny' | 'maxy'>): Buffer {
  const header = Buffer.alloc(8 + 32)
  header.write('GP', 0, 'latin1')
  header[2] = 0 // version 1 of the binary format
  header[3] = 0b0000_0011 // bit 0: little-endian; bits 1–3 = 1: envelope is minx, maxx, miny, maxy
  header.writeInt32LE(srsId, 4)
  header.writeDoubleLE(row.minx!, 8)
  header.writeDoubleLE(row.maxx!, 16)
  header.writeDoubleLE(row.miny!, 24)
  header.writeDoubleLE(row.maxy!, 32)
  return Buffer.concat([header, row.wkb!])
}

function createSchema(db: Database.Database, table: string, srs: { srid: number; name: string; wkt: string }, description: string): void {
  db.pragma(`application_id = ${APPLICATION_ID}`)
  db.pragma(`user_version = ${USER_VERSION}`)
  db.exec(`
    CREATE TABLE gpkg_spatial_ref_sys (
      srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
      organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
    CREATE TABLE gpkg_contents (
      table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
      last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
      min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
      CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
    CREATE TABLE gpkg_geometry_columns (
      table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
      srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
      CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
      CONSTRAINT uk_gc_table_name UNIQUE (table_name),
      CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
      CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
    CREATE TABLE gpkg_extensions (
      table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
      CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
  `)
  const srsRow = db.prepare('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)')
  srsRow.run('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system')
  srsRow.run('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system')
  srsRow.run(srs.name, srs.srid, 'EPSG', srs.srid, srs.wkt, null)
  const columns = PARCEL_FIELDS.map((f) => `${quote(f.name)} ${f.sqlite}`).join(', ')
  db.exec(`CREATE TABLE ${quote(table)} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON, ${columns})`)
  db.prepare(`INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?, 'features', ?, ?, ?)`).run(table, table, description, srs.srid)
  db.prepare(`INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', ?, 0, 0)`).run(table, srs.srid)
  db.exec(`CREATE VIRTUAL TABLE ${quote(`rtree_${table}_geom`)} USING rtree(id, minx, maxx, miny, maxy)`)
  db.prepare(`INSERT INTO gpkg_extensions VALUES (?, 'geom', 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')`).run(table)
}

/**
 * The triggers that keep the R-tree right when the file is edited later (GeoPackage 1.3,
 * Annex F.3). They call ST_IsEmpty/ST_MinX…, which GDAL and QGIS provide; created after the
 * rows are in, so writing here needs none of them.
 */
function rtreeTriggers(db: Database.Database, table: string): void {
  const t = quote(table)
  const r = quote(`rtree_${table}_geom`)
  const name = (suffix: string) => quote(`rtree_${table}_geom_${suffix}`)
  const values = 'NEW.fid, ST_MinX(NEW.geom), ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)'
  db.exec(`
    CREATE TRIGGER ${name('insert')} AFTER INSERT ON ${t} WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN INSERT OR REPLACE INTO ${r} VALUES (${values}); END;
    CREATE TRIGGER ${name('update1')} AFTER UPDATE OF geom ON ${t} WHEN OLD.fid = NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN INSERT OR REPLACE INTO ${r} VALUES (${values}); END;
    CREATE TRIGGER ${name('update2')} AFTER UPDATE OF geom ON ${t} WHEN OLD.fid = NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
    BEGIN DELETE FROM ${r} WHERE id = OLD.fid; END;
    CREATE TRIGGER ${name('update3')} AFTER UPDATE ON ${t} WHEN OLD.fid != NEW.fid AND (NEW.geom NOTNULL AND NOT ST_IsEmpty(NEW.geom))
    BEGIN DELETE FROM ${r} WHERE id = OLD.fid; INSERT OR REPLACE INTO ${r} VALUES (${values}); END;
    CREATE TRIGGER ${name('update4')} AFTER UPDATE ON ${t} WHEN OLD.fid != NEW.fid AND (NEW.geom ISNULL OR ST_IsEmpty(NEW.geom))
    BEGIN DELETE FROM ${r} WHERE id IN (OLD.fid, NEW.fid); END;
    CREATE TRIGGER ${name('delete')} AFTER DELETE ON ${t} WHEN old.geom NOT NULL
    BEGIN DELETE FROM ${r} WHERE id = OLD.fid; END;
  `)
}

/** The CRS as the GeoPackage names it: PostGIS's WKT for the EPSG code. */
async function srsOf(knex: Knex, srid: number): Promise<{ srid: number; name: string; wkt: string }> {
  const row = await knex('spatial_ref_sys as s').leftJoin('crs_zones as z', 'z.srid', 's.srid').where('s.srid', srid).first('s.srtext', 'z.name')
  const wkt: string = row?.srtext ?? ''
  return { srid, name: row?.name ?? /^(?:PROJCS|GEOGCS)\["([^"]+)"/.exec(wkt)?.[1] ?? `EPSG:${srid}`, wkt: wkt || 'undefined' }
}

/** Writes the GeoPackage to a temporary file, then streams it to `out`; returns the features written. */
export async function writeGeoPackage(knex: Knex, request: ExportRequest, commune: CommuneInfo, srid: number, out: Writable): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'landbook-export-'))
  try {
    const file = path.join(dir, 'export.gpkg')
    const table = layerName(request)
    const db = new Database(file)
    let features = 0
    try {
      // A file nobody reads until it is complete: no journal needed while it is written.
      db.pragma('journal_mode = OFF')
      db.pragma('synchronous = OFF')
      db.exec('BEGIN')
      createSchema(db, table, await srsOf(knex, srid), `Thửa đất – ${commune.name} (${commune.code}) – Landbook`)
      const insert = db.prepare(`INSERT INTO ${quote(table)} (geom, ${PARCEL_FIELDS.map((f) => quote(f.name)).join(', ')}) VALUES (${['?', ...PARCEL_FIELDS.map(() => '?')].join(', ')})`)
      const index = db.prepare(`INSERT INTO ${quote(`rtree_${table}_geom`)} VALUES (?, ?, ?, ?, ?)`)
      const box = [Infinity, Infinity, -Infinity, -Infinity]
      for await (const rows of parcelBatches(knex, request, srid, 'wkb')) {
        for (const row of rows) {
          const { lastInsertRowid } = insert.run(gpkgGeometry(srid, row), ...PARCEL_FIELDS.map((f) => f.value(row, commune.code)))
          index.run(lastInsertRowid, row.minx, row.maxx, row.miny, row.maxy)
          box[0] = Math.min(box[0]!, row.minx!)
          box[1] = Math.min(box[1]!, row.miny!)
          box[2] = Math.max(box[2]!, row.maxx!)
          box[3] = Math.max(box[3]!, row.maxy!)
          features++
        }
      }
      if (features > 0) db.prepare('UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?').run(...box, table)
      rtreeTriggers(db, table)
      db.exec('COMMIT')
      db.pragma('journal_mode = DELETE')
    } finally {
      db.close()
    }
    await pipeline(createReadStream(file), out)
    return features
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
