// The guard fails closed: a handler without a declared policy is refused before anything authenticates or runs.
import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthService } from './auth.service.js';
import type { Authorizer } from './authorizer.js';
import { PolicyGuard } from './policy.guard.js';
import { Allow, policies } from './policy.js';

class Undeclared {
  handler(): void {}
}
class Declared {
  @Allow(policies.public)
  handler(): void {}
}

const context = (type: typeof Undeclared | typeof Declared, req: object): ExecutionContext =>
  ({ getClass: () => type, getHandler: () => type.prototype.handler, switchToHttp: () => ({ getRequest: () => req }) }) as unknown as ExecutionContext;

describe('PolicyGuard', () => {
  const calls: string[] = [];
  const auth = { authenticate: () => (calls.push('authenticate'), Promise.resolve({ name: 'x', kind: 'user', grants: [] })) } as unknown as AuthService;
  const authorizer = { authorize: () => (calls.push('authorize'), Promise.resolve({})) } as unknown as Authorizer;
  const guard = new PolicyGuard(auth, authorizer, new Reflector());

  it('refuses a handler without a policy, naming it, before authenticating', async () => {
    await expect(guard.canActivate(context(Undeclared, { params: {}, query: {}, headers: {} }))).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/no authorization policy is declared for Undeclared\.handler/),
    });
    expect(calls).toEqual([]);
  });

  it('lets a public handler through without authenticating, but still checks its text', async () => {
    await expect(guard.canActivate(context(Declared, { params: {}, query: {}, headers: {} }))).resolves.toBe(true);
    expect(calls).toEqual([]);
    await expect(guard.canActivate(context(Declared, { params: { name: 'a\u0000b' }, query: {}, headers: {} }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      field: 'name',
    });
  });
});
