/**
 * Findings (phát hiện khi nhập): everything an import noticed about its input, each tied to a
 * file, row and field, stored with the job and shown in its report. A finding never silently
 * changes data: it says what was done (rejected, repaired, flagged) and why.
 */
export type Severity = 'error' | 'warning' | 'info'

export interface Finding {
  /** Stable machine code, e.g. 'invalid_geometry_repaired', 'duplicate_key', 'encoding_detected'. */
  code: string
  severity: Severity
  /** For the clerk: Vietnamese first, English in parentheses. */
  message: string
  file?: string
  /** 1-based record number in the file (DBF/SHP record, CSV data row, GeoJSON feature). */
  row?: number
  field?: string
  sheet?: string
  parcel?: string
  details?: Record<string, unknown>
}

/** Collects findings for one import, with a cap per code so a bad file cannot flood memory. */
export class FindingLog {
  readonly findings: Finding[] = []
  private readonly perCode = new Map<string, number>()

  constructor(private readonly maxPerCode = 10_000) {}

  add(finding: Finding): void {
    const n = (this.perCode.get(finding.code) ?? 0) + 1
    this.perCode.set(finding.code, n)
    if (n <= this.maxPerCode) this.findings.push(finding)
  }

  /** Total per code, including those beyond the cap. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.perCode)
  }
}
