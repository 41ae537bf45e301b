import { describe, expect, it } from '@jest/globals';
import { sign, verify } from 'node:crypto';
import { instructionSigningSpec, instructionTrustSpec, modeSpec, parseInstructionPublicKeys, parseInstructionSigningKey, readConfig } from '@fasit/config';
import { EXIT_OK, EXIT_USAGE, type CliIo } from '../cli-command.js';
import { keysInstructionSigningCommand } from './keys-instruction-signing.command.js';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { cwd: '/', stdout: (l) => out.push(l), stderr: (l) => err.push(l) };
  return { code: await keysInstructionSigningCommand.run(args, io), out, err };
}

describe('fasit keys instruction-signing', () => {
  it('prints a signing key the dispatcher accepts and a public key set every agent accepts, outside development mode', async () => {
    const { code, out } = await run(['--kid', 'fasit-2026-12']);
    expect(code).toBe(EXIT_OK);
    expect(out).toHaveLength(2);
    const [signingKey, publicKeys] = out as [string, string];
    const config = readConfig(
      { ...modeSpec, ...instructionSigningSpec, ...instructionTrustSpec },
      { FASIT_AUTH_MODE: 'oidc', FASIT_INSTRUCTION_SIGNING_KEY: signingKey, FASIT_INSTRUCTION_PUBLIC_KEYS: publicKeys },
    );
    const key = parseInstructionSigningKey(config.instructionSigningKey);
    const [trusted] = parseInstructionPublicKeys(config.instructionPublicKeys).keys;
    expect(trusted).toEqual({ kty: 'OKP', crv: 'Ed25519', kid: 'fasit-2026-12', x: key.publicJwk.x });
    expect(verify(null, Buffer.from('x'), { key: { ...trusted! }, format: 'jwk' }, sign(null, Buffer.from('x'), key.privateKey))).toBe(true);
    expect(publicKeys).not.toContain('"d"');
    // A new pair every time.
    expect((await run(['--kid', 'fasit-2026-12'])).out[0]).not.toBe(signingKey);
  });

  it.each([
    [[], '--kid is needed'],
    [['--kid', 'a b'], '--kid: a key id is 1-64 letters, digits, ".", "_" or "-" (got "a b")'],
    [['--kid', 'k', 'extra'], 'no arguments besides --kid'],
  ])('%j is a usage error', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(EXIT_USAGE);
    expect(err[0]).toBe(`fasit keys instruction-signing: ${message}`);
  });
});
