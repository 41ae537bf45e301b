// Domain errors carry a stable code and a retryable flag. Only the edges translate them (HTTP problem JSON,
// gRPC status, Pub/Sub ack/nack/dead-letter); domain code never throws HTTP exceptions.

export type ErrorCode =
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'INVALID_FEATURE'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_ERROR'
  | 'PAYLOAD_TOO_LARGE'
  | 'INTERNAL';

export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { field?: string; retryable?: boolean; details?: unknown } = {},
  ) {
    super(message);
  }
  get field(): string | undefined {
    return this.options.field;
  }
  get retryable(): boolean {
    return this.options.retryable ?? (this.code === 'UPSTREAM_UNAVAILABLE' || this.code === 'INTERNAL');
  }
}

export const invalid = (message: string, field?: string): DomainError => new DomainError('INVALID_INPUT', message, field ? { field } : {});
export const notFound = (message: string): DomainError => new DomainError('NOT_FOUND', message);
export const conflict = (message: string, field?: string): DomainError => new DomainError('CONFLICT', message, field ? { field } : {});
