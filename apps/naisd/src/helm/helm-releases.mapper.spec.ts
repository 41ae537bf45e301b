import { describe, expect, it } from '@jest/globals';
import { chartVersionOf, helmTimeToIso, mapHelmList } from './helm-releases.mapper.js';

// Printed by helm v4.1.4 `helm list -o json` for a release seeded into the memory driver.
const HELM_LIST_OUTPUT =
  '[{"name":"demo-feature","namespace":"nais-system","revision":"3","updated":"2026-11-20 10:11:12.123456 +0000 UTC","status":"deployed","chart":"demo-feature-0.2.0-rc.1","app_version":"1.0.0"}]';

describe('mapHelmList', () => {
  it('maps helm’s JSON to HelmRelease', () => {
    expect(mapHelmList(HELM_LIST_OUTPUT)).toEqual([
      { name: 'demo-feature', chartVersion: '0.2.0-rc.1', status: 'deployed', revision: 3, lastDeployed: '2026-11-20T10:11:12.123Z' },
    ]);
  });

  it('an empty list (the memory driver in dry-run mode) is no releases', () => {
    expect(mapHelmList('[]\n')).toEqual([]);
    expect(mapHelmList('')).toEqual([]);
  });

  it('refuses output that is not a JSON array', () => {
    expect(() => mapHelmList('{"a":1}')).toThrow('JSON array');
  });
});

describe('chart versions and times', () => {
  it.each([
    ['demo-feature-0.2.0-rc.1', '0.2.0-rc.1'],
    ['cert-manager-v1.14.2', 'v1.14.2'],
    ['app-2-thing-1.0.0', '1.0.0'],
    ['nonsense', ''],
  ])('%s → %s', (chart, version) => {
    expect(chartVersionOf(chart)).toBe(version);
  });

  it('reads helm’s time format with an offset', () => {
    expect(helmTimeToIso('2026-01-02 03:04:05.9 +0100 CET')).toBe('2026-01-02T02:04:05.900Z');
    expect(helmTimeToIso('yesterday')).toBeNull();
  });
});
