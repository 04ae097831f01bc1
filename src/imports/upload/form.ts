/** The form fields that come with an upload: the commune chosen, and a field mapping as JSON text. */
import { z } from 'zod'

/** `mapping` is parsed with `mappingSchema`; `mappingHelp` is the message when it does not parse. */
export function uploadFormSchema<M extends z.ZodType>(mappingSchema: M, mappingHelp: string) {
  return z.object({
    commune: z.string().regex(/^\d{4,5}$/, 'mã xã gồm 5 chữ số (5-digit commune code)').optional(),
    mapping: z
      .string()
      .optional()
      .transform((text, ctx): z.output<M> | undefined => {
        if (!text) return undefined
        try {
          return mappingSchema.parse(JSON.parse(text))
        } catch {
          ctx.addIssue({ code: 'custom', message: mappingHelp })
          return z.NEVER
        }
      }),
  })
}
