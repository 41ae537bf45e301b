import { describe, expect, it } from '@jest/globals';
import type { Actor, Grant } from '../common/actor.js';
import { authorizeAnyOperator, authorizeAssignment, authorizeGlobal, authorizeTenant, hasRole, visibleTenants } from './access.js';

const actor = (...grants: Grant[]): Actor => ({ name: 'x', kind: 'user', grants });
const code = (f: () => void): string => {
  try {
    f();
    return 'OK';
  } catch (e) {
    return (e as { code: string }).code;
  }
};

describe('roles', () => {
  const cases: [string, Grant[], Parameters<typeof hasRole>[1], string | null, boolean][] = [
    ['global admin covers everything', [{ role: 'admin', tenant: null }], 'admin', 'a', true],
    ['global viewer reads any tenant', [{ role: 'viewer', tenant: null }], 'viewer', 'a', true],
    ['global viewer is no operator', [{ role: 'viewer', tenant: null }], 'operator', 'a', false],
    ['tenant operator on its tenant', [{ role: 'operator', tenant: 'a' }], 'operator', 'a', true],
    ['tenant operator reads its tenant', [{ role: 'operator', tenant: 'a' }], 'viewer', 'a', true],
    ['tenant operator is nothing elsewhere', [{ role: 'operator', tenant: 'a' }], 'viewer', 'b', false],
    ['tenant admin is no global role', [{ role: 'admin', tenant: 'a' }], 'viewer', null, false],
    ['the best of several grants counts', [{ role: 'viewer', tenant: 'a' }, { role: 'admin', tenant: 'a' }], 'admin', 'a', true],
  ];
  it.each(cases)('%s', (_, grants, role, tenant, expected) => {
    expect(hasRole(actor(...grants), role, tenant)).toBe(expected);
  });
});

describe('boundaries', () => {
  it('404 for a tenant the caller cannot see, 403 for a role it lacks', () => {
    const a = actor({ role: 'viewer', tenant: 'a' });
    expect(code(() => authorizeTenant(a, 'viewer', 'a'))).toBe('OK');
    expect(code(() => authorizeTenant(a, 'operator', 'a'))).toBe('FORBIDDEN');
    expect(code(() => authorizeTenant(a, 'viewer', 'b'))).toBe('NOT_FOUND');
    expect(code(() => authorizeGlobal(a, 'viewer'))).toBe('FORBIDDEN');
    expect(code(() => authorizeAnyOperator(a))).toBe('FORBIDDEN');
    expect(code(() => authorizeAnyOperator(actor({ role: 'operator', tenant: 'a' })))).toBe('OK');
  });

  it('visible tenants: all for any global grant, else the granted ones', () => {
    expect(visibleTenants(actor({ role: 'viewer', tenant: null }, { role: 'admin', tenant: 'a' }))).toBeNull();
    expect(visibleTenants(actor({ role: 'viewer', tenant: 'a' }, { role: 'admin', tenant: 'b' }, { role: 'operator', tenant: 'a' }))).toEqual(['a', 'b']);
    expect(visibleTenants(actor())).toEqual([]);
  });

  it('a tenant operator assigns only targets pinned to its tenant', () => {
    const op = actor({ role: 'operator', tenant: 'a' });
    expect(code(() => authorizeAssignment(op, { tenant: 'a', team: 'x' }))).toBe('OK');
    expect(code(() => authorizeAssignment(op, { team: 'x' }))).toBe('FORBIDDEN');
    expect(code(() => authorizeAssignment(op, { tenant: 'b' }))).toBe('FORBIDDEN');
    expect(code(() => authorizeAssignment(actor({ role: 'operator', tenant: null }), {}))).toBe('OK');
    expect(code(() => authorizeAssignment(actor({ role: 'viewer', tenant: null }), {}))).toBe('FORBIDDEN');
  });
});
