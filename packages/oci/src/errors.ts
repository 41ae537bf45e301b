/** Stable error codes of the OCI client. Edges translate them (HTTP problem JSON, ack/nack). */
export type OciErrorCode =
  | 'INVALID_REFERENCE'
  | 'NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'UNREACHABLE'
  | 'REGISTRY_ERROR'
  | 'DIGEST_MISMATCH'
  | 'TOO_LARGE'
  | 'INVALID_CHART'
  /** A host the client may not dial (not in `allowedHosts`): a registry, a token realm or a redirect target. */
  | 'NOT_ALLOWED';

/** One entry of the distribution spec's error body: `{"errors":[{"code","message","detail"}]}`. */
export interface RegistryErrorDetail {
  code: string;
  message: string;
  detail?: unknown;
}

export interface OciErrorOptions {
  retryable?: boolean;
  /** HTTP status the registry (or token service) answered with, when there was an answer. */
  status?: number;
  /** The registry's error body as text (truncated), when there was one. */
  body?: string;
  /** The registry's parsed error entries, when the body followed the distribution spec. */
  registryErrors?: RegistryErrorDetail[];
  cause?: unknown;
}

/** Default retryability per code; REGISTRY_ERROR is retryable only for 5xx and 429 (see `registryError`). */
function defaultRetryable(code: OciErrorCode): boolean {
  switch (code) {
    case 'UNREACHABLE':
      return true;
    case 'INVALID_REFERENCE':
    case 'NOT_FOUND':
    case 'UNAUTHORIZED':
    case 'REGISTRY_ERROR':
    case 'DIGEST_MISMATCH':
    case 'TOO_LARGE':
    case 'INVALID_CHART':
    case 'NOT_ALLOWED':
      return false;
  }
}

export class OciError extends Error {
  override readonly name = 'OciError';
  readonly code: OciErrorCode;
  readonly retryable: boolean;
  readonly status: number | undefined;
  readonly body: string | undefined;
  readonly registryErrors: RegistryErrorDetail[];

  constructor(code: OciErrorCode, message: string, options: OciErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? defaultRetryable(code);
    this.status = options.status;
    this.body = options.body;
    this.registryErrors = options.registryErrors ?? [];
  }
}

export function isOciError(error: unknown, code?: OciErrorCode): error is OciError {
  return error instanceof OciError && (code === undefined || error.code === code);
}
