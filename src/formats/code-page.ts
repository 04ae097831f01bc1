/**
 * What to write in a shapefile's `.cpg` (code page) file for a DBF text encoding.
 *
 * `.cpg` holds the name readers use to decode the DBF: `UTF-8` for UTF-8 and the Windows
 * code page number `1258` for Windows-1258, which GDAL, QGIS and ArcGIS all understand.
 * TCVN3 and VNI have no code page name any reader knows; in practice such shapefiles come
 * without a `.cpg` (the user picks the font/encoding by hand), so the default is to write
 * none rather than a name that would make a reader decode the bytes as something else.
 * The shapefile writer's `codePage` option overrides this choice.
 */

export type DbfTextEncodingName = 'utf8' | 'tcvn3' | 'vni' | 'cp1258'

/** The `.cpg` content for an encoding, or null for "write no .cpg". */
export function codePageFor(encoding: DbfTextEncodingName): string | null {
  switch (encoding) {
    case 'utf8':
      return 'UTF-8'
    case 'cp1258':
      return '1258'
    case 'tcvn3':
    case 'vni':
      return null
  }
}
