// The shapes of the API answers the pages read (as src/ sends them), named once for every page.
import type { Feature, FeatureCollection, Geometry } from 'geojson'

export type Role = 'admin' | 'gis' | 'clerk' | 'signer' | 'manager'

export interface User {
  id: number
  username: string
  displayName: string
  role: Role
  active: boolean
  communes: string[]
  createdAt: string
}

/** RFC 9457 problem+json, with the fields Landbook adds. */
export interface Problem {
  title?: string
  detail?: string
  retryAfter?: number | string
  current?: { status: string; version: number }
  [field: string]: unknown
}

export interface Commune {
  code: string
  name: string
  parcels: number
  records: number
  statuses: Record<string, number>
}

/** A parcel as the queue and its searches list it. */
export interface QueueParcel {
  id: number
  sheet: string | null
  number: string | null
  status: string
  version: number
  flagged?: boolean
  ownerName?: string | null
}

export interface QueueRecord {
  id: number
  sheet: string | null
  number: string | null
  ownerName?: string | null
}

export interface QueueItem {
  matchId: number | string
  category: string
  details: LinkDetails | null
  decided: boolean
  parcel: QueueParcel | null
  record: QueueRecord | null
}

export interface QueuePage {
  total: number
  items: QueueItem[]
}

/** What matching found about a link (keys as the engine writes them). */
export interface LinkDetails {
  area_m2?: number | string | null
  legal_area_m2?: number | string | null
  difference_m2?: number | string | null
  tolerance_m2?: number | string | null
  area_off?: boolean
  parcel_land_use?: string[] | null
  record_land_use?: string[] | null
  parcels_with_key?: number
  records_with_key?: number
  rule?: string
  scale?: number
}

export interface AttributeRecord {
  id: number
  version: number
  sheet: string | null
  number: string | null
  legalAreaM2: number | string | null
  landUseCodes: string[] | null
  ownerName: string | null
  certificateSerial: string | null
  bookEntryNumber: string | null
  address: string | null
}

export interface Parcel {
  id: number
  version: number
  status: string
  sheet: string | null
  number: string | null
  areaM2: number | string | null
  legalAreaM2?: number | string | null
  landUseCodes: string[] | null
  ownerName?: string | null
  address?: string | null
  placeName?: string | null
  flag: { note: string | null } | null
}

export interface Link {
  category: string
  decided: boolean
  details: LinkDetails | null
  record: AttributeRecord | null
  parcel?: { id: number; sheet: string | null; number: string | null } | null
}

export interface Candidate {
  score: number | string
  reasons: Record<string, number | string> | null
  record: AttributeRecord
  parcel: Parcel
}

export interface AuditEvent {
  seq: number
  kind: string
  createdAt: string
  hash: string
  reason: string | null
  actorId: number | null
  actor?: { username: string; displayName: string | null } | null
  before?: { status?: string; version?: number } | null
  after?: { status?: string; version?: number } | null
}

export interface ParcelDetail {
  parcel: Parcel
  links: Link[]
  candidateRecords: Candidate[]
  history: AuditEvent[]
  geometry: { wgs84: Geometry; stored: { srid: number } }
}

export interface RecordDetail {
  record: AttributeRecord
  links: Link[]
  candidateParcels: Candidate[]
  history: AuditEvent[]
}

/** A commune's figures on the dashboard and the map (GET /api/progress/…). */
export interface CommuneFigures {
  code: string
  name: string
  parcels: number
  records: number
  matched: number
  areaMismatch: number
  landuseMismatch: number
  spatialOnly: number
  recordOnly: number
  needsReview: number
  reconciled: number
  signed: number
  synced: number
  lastActivity: string | null
  pct_matched: number | null
  pct_reconciled: number | null
  pct_signed: number | null
  pct_synced: number | null
  percent?: Record<string, number | null>
}

export interface Progress {
  generatedAt: string
  communes: CommuneFigures[]
  totals: CommuneFigures & { communes: number }
}

export interface TimelineDay {
  date: string
  decisions: Record<string, number>
  decisionsTotal: number
  imports: Record<string, number>
  matchRuns: number
  reconciled: number
  signed: number
  synced: number
}

export type CommuneFeature = Feature<Geometry | null, CommuneFigures>
export type CommuneCollection = FeatureCollection<Geometry | null, CommuneFigures>

/** An import job's row (GET /api/imports, GET /api/imports/:id). */
export interface ImportJobRow {
  id: number
  source_name: string
  commune_code: string | null
  state: string
  counts: ImportCounts | null
  error: string | null
  duplicate_of: number | null
  created_at: string
}

export interface ImportCounts {
  parcels?: number
  rejected?: number
  sheets?: number
  replaced?: number
  /** Findings per code, counted beyond the stored cap. */
  findings?: Record<string, number>
}

/** How far a running job is (the stream's and the job's `progress`). */
export interface ImportProgress {
  done: number
  total: number | null
}

export interface FindingGroup {
  code: string
  severity: string
  count: number
}

export interface Finding {
  seq: number
  severity: string
  file: string | null
  row: number | null
  field: string | null
  sheet_number: string | null
  parcel_number: string | null
  message: string
}

export interface FindingsPage {
  page: number
  limit: number
  total: number
  findings: Finding[]
}
