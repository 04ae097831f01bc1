/**
 * The OpenAPI 3.0 definition of the OGC API (`/ogc/api`), built from the collections so the
 * document and the server cannot disagree. GDAL reads the `limit` parameter of each
 * collection's items path from here (its maximum and default) to size its pages.
 */
import type { Knex } from 'knex'
import type { CollectionDef } from './collection.js'
import { COLLECTIONS } from './collections.js'
import { supportedCrs } from './crs.js'
import { DEFAULT_LIMIT, MAX_LIMIT } from './params.js'
import { GEOJSON } from './service.js'

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/problem' } } } })
const json = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } })

const ERRORS = {
  '400': problem('Tham số sai (bad parameter): the problem names it'),
  '401': problem('Cần đăng nhập hoặc mã truy cập (sign-in or a bearer token required)'),
  '403': problem('Xã không được phân công (commune not assigned to the reader)'),
  '404': problem('Không tìm thấy (not found)'),
}

function itemsParameters(def: CollectionDef, crsUris: string[]) {
  const parameters: object[] = [
    {
      name: 'limit', in: 'query', required: false, style: 'form', explode: false,
      description: `Số đối tượng mỗi trang, 1–${MAX_LIMIT} (features per page)`,
      schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
    },
    { name: 'cursor', in: 'query', required: false, description: 'Vị trí trang, lấy từ liên kết next/prev (opaque paging cursor from the next/prev links)', schema: { type: 'string' } },
    { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json'] } },
  ]
  if (def.spatial) {
    parameters.push(
      {
        name: 'bbox', in: 'query', required: false, style: 'form', explode: false,
        description: 'minx,miny,maxx,maxy trong bbox-crs (mặc định CRS84) (bounding box, in bbox-crs)',
        schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
      },
      { name: 'bbox-crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsUris } },
      { name: 'crs', in: 'query', required: false, description: 'Hệ tọa độ kết quả (output CRS)', schema: { type: 'string', format: 'uri', enum: crsUris } },
    )
  }
  if (def.parameters.includes('datetime')) {
    parameters.push({ name: 'datetime', in: 'query', required: false, style: 'form', explode: false, description: 'Cập nhật trong khoảng (updated_at: instant or interval, RFC 3339, ".." open)', schema: { type: 'string' } })
  }
  for (const [name, description] of Object.entries(def.filters)) {
    parameters.push({ name, in: 'query', required: false, style: 'form', explode: false, description, schema: { type: 'string' } })
  }
  return parameters
}

function featureSchema(def: CollectionDef) {
  return {
    type: 'object',
    required: ['type', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'string' },
      geometry: def.spatial ? { type: 'object', nullable: true } : { nullable: true },
      properties: {
        type: 'object',
        properties: Object.fromEntries(Object.entries(def.properties).map(([name, p]) => [name, { type: p.type, ...(p.format ? { format: p.format } : {}), title: p.title, nullable: true }])),
      },
    },
  }
}

export async function openApiDocument(knex: Knex, base: string) {
  const crsUris = (await supportedCrs(knex)).map((c) => c.uri)
  const paths: Record<string, object> = {
    '/': { get: { summary: 'Trang đầu (landing page)', operationId: 'getLandingPage', responses: { '200': json('Landing page'), ...ERRORS } } },
    '/conformance': { get: { summary: 'Lớp tuân thủ (conformance)', operationId: 'getConformance', responses: { '200': json('Conformance classes') } } },
    '/api': { get: { summary: 'Tài liệu này (this API definition)', operationId: 'getApi', responses: { '200': { description: 'OpenAPI 3.0' } } } },
    '/collections': { get: { summary: 'Các tập dữ liệu (collections)', operationId: 'getCollections', responses: { '200': json('Collections'), ...ERRORS } } },
  }
  for (const def of COLLECTIONS) {
    const crsParameter = def.spatial ? [{ name: 'crs', in: 'query', required: false, schema: { type: 'string', format: 'uri', enum: crsUris } }] : []
    paths[`/collections/${def.id}`] = {
      get: { summary: def.title, operationId: `describe_${def.id}`, responses: { '200': json(def.description), ...ERRORS } },
    }
    paths[`/collections/${def.id}/items`] = {
      get: {
        summary: `${def.title}: đối tượng (features)`,
        operationId: `getFeatures_${def.id}`,
        parameters: itemsParameters(def, crsUris),
        responses: {
          '200': {
            description: 'FeatureCollection (GeoJSON)',
            headers: def.spatial ? { 'Content-Crs': { schema: { type: 'string' }, description: 'CRS của tọa độ, <URI>' } } : {},
            content: { [GEOJSON]: { schema: { type: 'object', properties: { type: { enum: ['FeatureCollection'] }, features: { type: 'array', items: featureSchema(def) }, numberMatched: { type: 'integer' }, numberReturned: { type: 'integer' }, links: { type: 'array' } } } } },
          },
          ...ERRORS,
        },
      },
    }
    paths[`/collections/${def.id}/items/{featureId}`] = {
      get: {
        summary: `${def.title}: một đối tượng (one feature)`,
        operationId: `getFeature_${def.id}`,
        parameters: [{ name: 'featureId', in: 'path', required: true, schema: { type: 'string' } }, ...crsParameter],
        responses: { '200': { description: 'Feature (GeoJSON)', content: { [GEOJSON]: { schema: featureSchema(def) } } }, ...ERRORS },
      },
    }
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Landbook – OGC API Features',
      version: '1.0.0',
      description:
        'Dữ liệu địa chính theo chuẩn OGC API – Features (Part 1 Core, GeoJSON; Part 2 CRS). Chỉ đọc; xác thực bằng phiên đăng nhập hoặc mã truy cập (Authorization: Bearer). ' +
        '(Cadastral data, read-only; a session cookie or a bearer API token.)',
    },
    servers: [{ url: base }],
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'Mã truy cập API (npm run token:create, or POST /api/tokens)' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'landbook_session' },
      },
      schemas: {
        problem: { type: 'object', properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, field: { type: 'string' } } },
      },
    },
  }
}
