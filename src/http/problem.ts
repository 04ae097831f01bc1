/** The one error middleware: every error leaves as RFC 9457 problem+json, never with a stack trace. */
import type { ErrorRequestHandler, RequestHandler } from 'express'
import { ZodError } from 'zod'
import { AppError, TooManyRequests } from '../errors.js'

export const notFoundRoute: RequestHandler = (req, res) => {
  res.status(404).type('application/problem+json').json({
    type: 'about:blank',
    title: 'Không tìm thấy (not found)',
    status: 404,
    detail: `Không có địa chỉ ${req.method} ${req.originalUrl} (no such route).`,
  })
}

export const problemHandler: ErrorRequestHandler = (error, req, res, _next) => {
  let status = 500
  let body: Record<string, unknown>
  if (error instanceof AppError) {
    status = error.status
    body = { title: error.title, detail: error.message, ...error.location, ...error.extra }
    if (error instanceof TooManyRequests) res.setHeader('retry-after', String(error.retryAfterSeconds))
  } else if (error instanceof ZodError) {
    status = 400
    body = {
      title: 'Dữ liệu không hợp lệ (invalid input)',
      detail: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
      errors: error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    }
  } else if (typeof error?.status === 'number' && error.status >= 400 && error.status < 500) {
    // Errors raised by Express's own parsers (malformed JSON, body too large).
    status = error.status
    body = { title: error.type ?? 'Bad request', detail: error.message }
  } else {
    req.log?.error({ err: error }, 'unhandled error')
    body = { title: 'Lỗi hệ thống (internal error)', detail: 'Đã có lỗi trong hệ thống; lỗi đã được ghi lại. (An internal error occurred and was logged.)' }
  }
  res.status(status).type('application/problem+json').json({ type: 'about:blank', status, ...body, instance: req.originalUrl })
}
