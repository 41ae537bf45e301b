// The one place domain errors become HTTP: problem JSON `{code, message, field?}` with a status that fits.
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError } from '@fasit/domain';
import type { Request, Response } from 'express';
import { ERROR_STATUS } from './error-status.js';

export interface Problem {
  code: string;
  message: string;
  field?: string;
  details?: unknown;
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  constructor(private readonly onInternal: (err: unknown) => void = () => undefined) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const [status, body] = toProblem(err);
    if (status >= 500 && !(err instanceof DomainError)) this.onInternal(err);
    if (status === 401) res.setHeader('WWW-Authenticate', bearerChallenge(host.switchToHttp().getRequest<Request>().headers.authorization !== undefined));
    res.status(status).type('application/problem+json').json(body);
  }
}

/** RFC 6750: the scheme and realm, and `invalid_token` when a token was presented (never the reason: that is the body's). */
export function bearerChallenge(tokenPresented: boolean): string {
  return `Bearer realm="fasit"${tokenPresented ? ', error="invalid_token"' : ''}`;
}

export function toProblem(err: unknown): [number, Problem] {
  if (err instanceof DomainError) {
    const body: Problem = { code: err.code, message: err.message };
    if (err.field) body.field = err.field;
    if (err.options.details !== undefined) body.details = err.options.details;
    return [ERROR_STATUS[err.code].http, body];
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const code = status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 400 ? 'INVALID_INPUT' : `HTTP_${status}`;
    return [status, { code, message: err.message }];
  }
  const e = err as { type?: string; status?: number; message?: string };
  if (e?.type === 'entity.too.large') return [413, { code: 'PAYLOAD_TOO_LARGE', message: 'request body is larger than the limit' }];
  if (e?.type === 'entity.parse.failed') return [400, { code: 'INVALID_INPUT', message: `request body is not valid JSON: ${e.message ?? ''}` }];
  return [500, { code: 'INTERNAL', message: 'internal error' }];
}
