import { generateInstructionKeys } from '@fasit/config';
import { EXIT_OK, EXIT_USAGE, type CliCommand, type CliIo } from '../cli-command.js';
import { parseOptions } from './command-options.js';

/**
 * `fasit keys instruction-signing --kid <id>`: a fresh Ed25519 key pair for signing instructions. The private key is
 * the dispatcher's FASIT_INSTRUCTION_SIGNING_KEY (a JWK); the public key goes into every agent's
 * FASIT_INSTRUCTION_PUBLIC_KEYS (a JWK Set; the naisd chart's `instructionPublicKeys`).
 */
export const keysInstructionSigningCommand: CliCommand = {
  group: 'keys',
  name: 'instruction-signing',
  summary: "Make a key pair for signing instructions: the dispatcher's private key and the agents' public key.",
  usage: '--kid <key id>',
  details: [
    '',
    'Prints two lines of JSON:',
    '  1. FASIT_INSTRUCTION_SIGNING_KEY for the dispatcher only (keep it in a Secret: it signs every deploy);',
    '  2. FASIT_INSTRUCTION_PUBLIC_KEYS for every naisd: a JWK Set with the public key.',
    "Rotating: add the new public key to every agent's set first (both keys are accepted), then give the",
    'dispatcher the new private key, then remove the old public key. See docs/security.md.',
    '  --kid  the key id, e.g. fasit-2026-12 (letters, digits, ".", "_", "-"; at most 64).',
  ],
  run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseOptions(args, { kid: {} });
    const kid = parsed.ok ? parsed.options.get('kid') : undefined;
    if (!parsed.ok || kid === undefined || parsed.positional.length > 0) {
      io.stderr(`fasit keys instruction-signing: ${parsed.ok ? (kid === undefined ? '--kid is needed' : 'no arguments besides --kid') : parsed.message}`);
      io.stderr(`usage: fasit keys instruction-signing ${keysInstructionSigningCommand.usage}`);
      return Promise.resolve(EXIT_USAGE);
    }
    let keys: { signingKey: string; publicKeys: string };
    try {
      keys = generateInstructionKeys(kid);
    } catch (e) {
      io.stderr(`fasit keys instruction-signing: --kid: ${(e as Error).message}`);
      return Promise.resolve(EXIT_USAGE);
    }
    io.stdout(keys.signingKey);
    io.stdout(keys.publicKeys);
    return Promise.resolve(EXIT_OK);
  },
};
