// Sprig semver functions (Masterminds/semver v3).
import { SemverError, SemverVersion, semverCheck } from './go/semver.js';
import { def, fail, str, type SpecMap } from './spec.js';

export const semverFunctions: SpecMap = {
  semver: def(
    'semver(version string) *semver.Version',
    'Parses a semantic version; the result has .Major .Minor .Patch .Prerelease .Metadata and .Compare/.LessThan/.GreaterThan/.Equal.',
    ['{{ (semver "v1.2.3-rc.1").Prerelease }}', 'rc.1'],
    (v) => {
      try {
        return SemverVersion.parse(str(v));
      } catch (e) {
        if (e instanceof SemverError) return fail(e.message);
        throw e;
      }
    },
  ),
  semverCompare: def(
    'semverCompare(constraint string, version string) bool',
    'Whether version satisfies the constraint (^1.2, ~1.2.0, >=1.2.0 <2, 1.x, a - b, ||); prereleases need a prerelease constraint.',
    ['{{ semverCompare "^1.2" "1.9.0" }} {{ semverCompare ">=1.2.0" "1.3.0-beta" }}', 'true false'],
    (c, v) => {
      try {
        return semverCheck(str(c), str(v));
      } catch (e) {
        if (e instanceof SemverError) return fail(e.message);
        throw e;
      }
    },
  ),
};
