import { describe, expect, it } from '@jest/globals';
import { GoInt, type GoValue } from '../../value.js';
import { TemplateFuncError } from '../signature.js';
import { SemverVersion } from './go/semver.js';
import { sprigFunctions } from './index.js';

const call = (name: string, ...args: GoValue[]): GoValue => sprigFunctions[name]!.fn(...args);
const v = (s: string): SemverVersion => call('semver', s) as SemverVersion;
const method = (x: SemverVersion, name: string, ...args: GoValue[]): GoValue => x.method(name)!.fn(...args);

describe('sprig semver', () => {
  it('parses and prints versions like Masterminds/semver v3', () => {
    expect(v('1.2.3-beta.1+build.5').format()).toBe('1.2.3-beta.1+build.5');
    expect(v('v1.2').format()).toBe('1.2.0');
    expect(v('1.2.3').goType).toBe('*semver.Version');
    expect(method(v('v2.0.0-rc.1'), 'Prerelease')).toBe('rc.1');
    expect(method(v('3.4.5'), 'Major')).toEqual(new GoInt('uint64', 3n));
    expect(method(v('1.2.3'), 'Compare', v('1.3.0'))).toBe(-1n);
    expect(method(v('1.2.3'), 'LessThan', v('1.3.0'))).toBe(true);
    expect(method(v('1.0.0-alpha'), 'LessThan', v('1.0.0-alpha.1'))).toBe(true);
    expect(method(v('1.0.0-alpha.10'), 'GreaterThan', v('1.0.0-alpha.9'))).toBe(true);
    expect(method(v('1.0.0-rc.1'), 'LessThan', v('1.0.0'))).toBe(true);
    expect(method(v('1.0.0+a'), 'Equal', v('1.0.0+b'))).toBe(true);
    expect(v('1.2.3').method('Nope')).toBeUndefined();
  });

  it.each<[string, string, boolean]>([
    ['^1.2', '1.9.0', true],
    ['^1.2', '2.0.0', false],
    ['^0.2.3', '0.2.9', true],
    ['^0.2.3', '0.3.0', false],
    ['^0.0.3', '0.0.4', false],
    ['~1.2.0', '1.2.9', true],
    ['~1.2.0', '1.3.0', false],
    ['~1', '1.9.9', true],
    ['>=1.2.0', '1.3.0-beta', false],
    ['>=1.2.0-0', '1.3.0-beta', true],
    ['>=1.27.0-0', '1.27.4', true],
    ['>1.2', '1.2.5', false],
    ['>1.2', '1.3.0', true],
    ['<=1.2', '1.2.9', true],
    ['<2', '1.99.0', true],
    ['!=1.2.3', '1.2.3', false],
    ['1.x', '1.5.0', true],
    ['1.2.x', '1.3.0', false],
    ['*', '4.5.6', true],
    ['>= 1.2, < 1.4', '1.3.0', true],
    ['>=1.2 <1.4', '1.4.0', false],
    ['1.1 - 1.3', '1.3.0', true],
    ['1.1 - 1.3', '1.4.0', false],
    ['<1.0 || >=2.0', '2.1.0', true],
    ['=1.2.3', 'v1.2.3', true],
  ])('semverCompare %s %s', (c, version, expected) => {
    expect(call('semverCompare', c, version)).toBe(expected);
  });

  it.each([
    ['semverCompare', 'bad>', '1.0.0', 'improper constraint: bad>'],
    ['semverCompare', '>1', 'x.y', 'Invalid Semantic Version'],
    ['semver', 'not-a-version', null, 'Invalid Semantic Version'],
    ['semver', '1.2.3-01', null, 'Version segment starts with 0'],
  ] as const)('%s fails: %s', (name, a, b, message) => {
    const args: GoValue[] = b === null ? [a] : [a, b];
    expect(() => call(name, ...args)).toThrow(TemplateFuncError);
    expect(() => call(name, ...args)).toThrow(message);
  });
});
