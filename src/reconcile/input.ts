/**
 * What a clerk may send: the decision kinds and their fields, validated once here for the
 * HTTP routes and any script alike. Text is NFC-trimmed; sizes are bounded so an oversize
 * value is refused with the field named instead of reaching the database.
 */
import { z } from 'zod'

export const DECISION_KINDS = ['accept', 'correct', 'relink', 'link', 'unlink', 'flag', 'reopen'] as const
export type DecisionKind = (typeof DECISION_KINDS)[number]

// Text PostgreSQL cannot store (NUL) or JSON cannot carry (a lone surrogate) is refused.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

const text = (max: number) =>
  z
    .string()
    .max(max, `tối đa ${max} ký tự (at most ${max} characters)`)
    .refine((s) => !UNSTORABLE.test(s), 'có ký tự không lưu được (unstorable character)')
    .transform((s) => s.normalize('NFC').trim())

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const version = z.number().int().min(1)
const reason = text(2000).optional().transform((s) => (s ? s : undefined))
const requiredReason = text(2000).refine((s) => s.length > 0, 'cần ghi lý do (a reason is required)')

/** Land-use codes as the imports keep them: upper case, compound codes split on "+". */
const landUseCodes = z
  .array(text(10).transform((s) => s.toUpperCase()).refine((s) => /^[A-Z][A-Z0-9]{1,5}$/.test(s), 'mã loại đất không hợp lệ (invalid land-use code)'))
  .max(10, 'tối đa 10 mã (at most 10 codes)')

const nullableText = (max: number) => text(max).nullable().transform((s) => (s ? s : null))

export const correctionFields = z
  .object({
    legalAreaM2: z.number().min(0).max(1e11).nullable().transform((n) => (n === null ? null : Math.round(n * 100) / 100)),
    landUseCodes,
    ownerName: nullableText(300),
    certificateSerial: nullableText(50),
  })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, 'cần ít nhất một trường để sửa (at least one field to correct)')
export type CorrectionFields = z.output<typeof correctionFields>

export const decisionInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('accept'), version, reason }).strict(),
  z.object({ kind: z.literal('correct'), version, reason: requiredReason, recordId: id.optional(), recordVersion: version.optional(), changes: correctionFields }).strict(),
  z.object({ kind: z.literal('relink'), version, reason, recordId: id, targetParcelId: id, targetVersion: version.optional() }).strict(),
  z.object({ kind: z.literal('link'), version, reason, recordId: id }).strict(),
  z.object({ kind: z.literal('unlink'), version, reason, recordId: id }).strict(),
  z.object({ kind: z.literal('flag'), version, note: requiredReason }).strict(),
  z.object({ kind: z.literal('reopen'), version, reason }).strict(),
])
export type DecisionInput = z.output<typeof decisionInput>

export const bulkAcceptInput = z.object({ sheet: text(20).optional(), reason }).strict()
export interface BulkAcceptInput {
  sheet?: string
  reason?: string
}
