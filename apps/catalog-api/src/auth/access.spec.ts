import { describe, expect, it } from '@jest/globals';
import type { Actor, Grant } from '../common/actor.js';
import { authorizeAnyTenant, authorizeGlobal, authorizeTarget, authorizeTenant, hasRole, seesTarget, visibleTenants } from './access.js';

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
    [
      'the best of several grants counts',
      [
        { role: 'viewer', tenant: 'a' },
        { role: 'admin', tenant: 'a' },
      ],
      'admin',
      'a',
      true,
    ],
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
    expect(code(() => authorizeAnyTenant(a, 'operator'))).toBe('FORBIDDEN');
    expect(code(() => authorizeAnyTenant(actor({ role: 'operator', tenant: 'a' }), 'operator'))).toBe('OK');
    expect(code(() => authorizeAnyTenant(actor(), 'viewer'))).toBe('FORBIDDEN');
  });

  it('visible tenants: all for any global grant, else the granted ones', () => {
    expect(visibleTenants(actor({ role: 'viewer', tenant: null }, { role: 'admin', tenant: 'a' }))).toBeNull();
    expect(visibleTenants(actor({ role: 'viewer', tenant: 'a' }, { role: 'admin', tenant: 'b' }, { role: 'operator', tenant: 'a' }))).toEqual(['a', 'b']);
    expect(visibleTenants(actor())).toEqual([]);
  });

  it("a target reaches its tenant label's tenant; a target without one reaches every tenant: global roles only", () => {
    const op = actor({ role: 'operator', tenant: 'a' });
    const cases: [string, Grant[], Parameters<typeof authorizeTarget>[1], Record<string, string>, string][] = [
      ['tenant operator, own tenant', [{ role: 'operator', tenant: 'a' }], 'operator', { tenant: 'a', team: 'x' }, 'OK'],
      ['tenant operator, no tenant label', [{ role: 'operator', tenant: 'a' }], 'operator', { team: 'x' }, 'FORBIDDEN'],
      ['tenant operator, other tenant (unseen)', [{ role: 'operator', tenant: 'a' }], 'operator', { tenant: 'b' }, 'NOT_FOUND'],
      ['tenant viewer, own tenant, operator needed', [{ role: 'viewer', tenant: 'a' }], 'operator', { tenant: 'a' }, 'FORBIDDEN'],
      ['global operator, anything', [{ role: 'operator', tenant: null }], 'operator', {}, 'OK'],
      ['global viewer, operator needed', [{ role: 'viewer', tenant: null }], 'operator', {}, 'FORBIDDEN'],
      ['global viewer reads a tenant-less target', [{ role: 'viewer', tenant: null }], 'viewer', { kind: 'tenant' }, 'OK'],
    ];
    for (const [name, grants, role, target, expected] of cases)
      expect([name, code(() => authorizeTarget(actor(...grants), role, target))]).toEqual([name, expected]);
    expect(seesTarget(op, { tenant: 'a' })).toBe(true);
    expect(seesTarget(op, {})).toBe(false);
    expect(seesTarget(op, { tenant: 'b' })).toBe(false);
    expect(seesTarget(actor({ role: 'viewer', tenant: null }), {})).toBe(true);
  });
});
