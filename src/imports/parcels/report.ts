/** Turning an import's findings into words and rows of `import_findings`. */
import type { Knex } from 'knex'
import type { FindingLog } from '../findings.js'
import type { GeometryProblem } from '../geometry-checks.js'

const PROBLEM_WORDS: Record<GeometryProblem['code'], string> = {
  empty: 'hình rỗng (empty geometry)',
  too_few_points: 'vòng ranh có dưới 4 điểm (ring with fewer than 4 points)',
  ring_not_closed: 'vòng ranh không khép kín (ring not closed)',
  zero_area: 'diện tích bằng 0 (zero area)',
  self_intersection: 'ranh thửa tự cắt (self-intersection)',
  spike: 'ranh thửa có gai nhọn (spike)',
  hole_outside_shell: 'lỗ nằm ngoài vòng ngoài (hole outside shell)',
  invalid_coordinates: 'tọa độ không phải số (non-numeric coordinates)',
}

export function problemMessage(problem: GeometryProblem): string {
  const at = problem.point ? ` tại (${problem.point[0].toFixed(3)}, ${problem.point[1].toFixed(3)})` : ''
  return `${PROBLEM_WORDS[problem.code]}, ${problem.where}${at}`
}

/** Findings quote the data; PostgreSQL text (and jsonb) cannot hold NUL. */
function withoutNul(text: string): string {
  return text.replaceAll('\u0000', '\ufffd').replaceAll('\\u0000', '\\ufffd')
}

/** Writes the findings in batches inside the import transaction. */
export async function saveFindings(trx: Knex.Transaction, jobId: number, communeCode: string | null, log: FindingLog): Promise<void> {
  const rows = log.findings.map((f, i) => ({
    job_id: jobId,
    seq: i + 1,
    commune_code: communeCode,
    severity: f.severity,
    code: f.code,
    message: withoutNul(f.message),
    file: f.file ?? null,
    row: f.row ?? null,
    field: f.field ?? null,
    sheet_number: f.sheet ?? null,
    parcel_number: f.parcel ?? null,
    details: f.details ? withoutNul(JSON.stringify(f.details)) : null,
  }))
  for (let i = 0; i < rows.length; i += 1000) await trx('import_findings').insert(rows.slice(i, i + 1000))
}
