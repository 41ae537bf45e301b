// What every call passes before its handler runs, whether it came over HTTP (PolicyGuard) or gRPC (grpc.server.ts):
// the caller is authenticated (unless the policy is public), the call's text is checked (path, query, body or
// message), and the Authorizer applies the policy. One gate, so the two transports cannot come to disagree on who
// may do what.
import type { Actor } from '../common/actor.js';
import { checkDocument, checkParams } from '../common/text-input.js';
import type { AuthService } from './auth.service.js';
import type { Access, Authorizer } from './authorizer.js';
import type { Policy } from './policy.js';

export interface Call {
  /** The `authorization` header or metadata value, as sent. */
  authorization: string | undefined;
  /** Where the policy finds the tenant, an id or a name: the HTTP path parameters, or the gRPC message. */
  fields: Record<string, unknown>;
  /** HTTP path parameters and query, checked as text. */
  path?: Record<string, unknown>;
  query?: Record<string, unknown>;
  /** The HTTP body or the gRPC message. */
  body: unknown;
}

export interface Admitted {
  /** Absent only for a public policy. */
  actor?: Actor;
  access: Access;
}

export class CallGate {
  constructor(
    private readonly auth: AuthService,
    private readonly authorizer: Authorizer,
  ) {}

  async admit(policy: Policy, call: Call): Promise<Admitted> {
    const actor = policy.public ? undefined : await this.auth.authenticate(call.authorization);
    if (call.path) checkParams(call.path, 'path');
    if (call.query) checkParams(call.query, 'query');
    checkDocument(call.body);
    const access = actor ? await this.authorizer.authorize(actor, policy, { fields: call.fields, body: call.body }) : {};
    return actor ? { actor, access } : { access };
  }
}
