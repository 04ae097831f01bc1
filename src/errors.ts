/**
 * Typed errors thrown by services. The HTTP layer turns them into RFC 9457 problem+json;
 * the CLI prints their message. Messages are written for the clerk who reads them: they name
 * the file, row and field when there is one.
 */
export interface ErrorLocation {
  file?: string
  row?: number
  field?: string
}

export abstract class AppError extends Error {
  abstract readonly status: number
  abstract readonly title: string
  constructor(
    message: string,
    readonly location: ErrorLocation = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class Invalid extends AppError {
  readonly status = 400
  readonly title = 'Dữ liệu không hợp lệ (invalid input)'
}

export class Unauthorized extends AppError {
  readonly status = 401
  readonly title = 'Chưa đăng nhập (unauthorized)'
}

export class Forbidden extends AppError {
  readonly status = 403
  readonly title = 'Không có quyền (forbidden)'
}

export class NotFound extends AppError {
  readonly status = 404
  readonly title = 'Không tìm thấy (not found)'
}

export class Conflict extends AppError {
  readonly status = 409
  readonly title = 'Xung đột dữ liệu (conflict)'
}

export class TooLarge extends AppError {
  readonly status = 413
  readonly title = 'Tệp quá lớn (payload too large)'
}

export class TooManyRequests extends AppError {
  readonly status = 429
  readonly title = 'Quá nhiều yêu cầu (too many requests)'
  constructor(
    message: string,
    /** Sent as the Retry-After header. */
    readonly retryAfterSeconds: number,
  ) {
    super(message, {}, { retryAfter: retryAfterSeconds })
  }
}
