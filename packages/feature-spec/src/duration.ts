import { FeatureSpecError } from './issue.js';

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/**
 * Parses a Feature.yaml `timeout` (`1h30m`, `10m`, `90s`, `20m0s`) into milliseconds.
 * Throws `FeatureSpecError` (`invalid-duration`) for anything else, including the empty string.
 */
export function parseDuration(timeout: string): number {
  const match = DURATION.exec(timeout);
  if (timeout === '' || match === null) {
    throw new FeatureSpecError('invalid-duration', `invalid duration "${timeout}": write hours, minutes and seconds in that order, like 10m, 1h30m or 90s`);
  }
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}
