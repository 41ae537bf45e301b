// Sprig v3.2.3 (deterministic functions plus the date family), by group.
import type { FunctionMap } from '../signature.js';
import { conversionFunctions } from './conversion.js';
import { dateFunctions } from './dates.js';
import { defaultFunctions } from './defaults.js';
import { dictFunctions } from './dicts.js';
import { encodingFunctions } from './encoding.js';
import { listFunctions } from './lists.js';
import { pathFunctions } from './paths.js';
import { reflectionFunctions } from './reflection.js';
import { regexFunctions } from './regex.js';
import { semverFunctions } from './semver.js';
import type { SpecMap } from './spec.js';
import { stringFunctions } from './strings.js';

/** Sprig functions grouped as in the reference documentation. */
export const sprigGroups: Readonly<Record<string, SpecMap>> = {
  strings: stringFunctions,
  regex: regexFunctions,
  lists: listFunctions,
  dicts: dictFunctions,
  defaults: defaultFunctions,
  'conversion and math': conversionFunctions,
  'encoding and hashes': encodingFunctions,
  semver: semverFunctions,
  reflection: reflectionFunctions,
  'paths and URLs': pathFunctions,
  dates: dateFunctions,
};

export const sprigSpecs: SpecMap = Object.assign({}, ...Object.values(sprigGroups)) as SpecMap;

export const sprigFunctions: FunctionMap = sprigSpecs;

/**
 * Sprig 3.2.3 functions deliberately not provided: non-deterministic or environment-reading ones whose results a
 * reconciler must never depend on, and the crypto helpers.
 */
export const omittedSprigFunctions: Readonly<Record<string, string>> = {
  shuffle: 'random',
  randAlphaNum: 'random',
  randAlpha: 'random',
  randAscii: 'random',
  randNumeric: 'random',
  randInt: 'random',
  randBytes: 'random',
  uuidv4: 'random',
  genPrivateKey: 'random key material',
  genCA: 'random key material',
  genCAWithKey: 'random key material',
  genSelfSignedCert: 'random key material',
  genSelfSignedCertWithKey: 'random key material',
  genSignedCert: 'random key material',
  genSignedCertWithKey: 'random key material',
  buildCustomCert: 'certificate handling, out of scope',
  encryptAES: 'random IV',
  decryptAES: 'pairs with encryptAES',
  bcrypt: 'random salt',
  htpasswd: 'random salt',
  derivePassword: 'crypto helper, out of scope',
  env: 'reads the server environment',
  expandenv: 'reads the server environment',
  getHostByName: 'network lookup',
};
