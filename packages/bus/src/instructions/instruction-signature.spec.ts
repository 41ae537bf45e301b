import { describe, expect, it } from '@jest/globals';
import { createHmac, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { InstructionBody } from '../catalogue/events.js';
import { orderingKeyOf } from '../catalogue/ordering.js';
import { instructionTopic } from '../catalogue/topics.js';
import { ContractViolation } from '../catalogue/validation.js';
import { InstructionRefused, InstructionSigner, InstructionVerifier, refusalOfUnreadable } from './instruction-signature.js';

function keyPair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid } };
}

const current = keyPair('2026-01');
const next = keyPair('2026-07');
const stranger = keyPair('2026-01'); // the current key's id, another key
const HOUR = 3_600_000;
const signer = new InstructionSigner(current, HOUR);
const verifier = new InstructionVerifier({ keys: [current.publicJwk, next.publicJwk] }, 'acme', 'dev');
const to = (diid = randomUUID()) => ({ tenant: 'acme', environment: 'dev', diid });
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const deploy: InstructionBody = {
  action: 'deploy',
  release: 'demo-feature',
  chart: 'oci://registry.example.org/features/demo-feature',
  chartDigest: DIGEST,
  featureVersion: '1.2.3',
  hash: 'h1',
  timeoutMs: 300_000,
  sealedValues: 'v1.aaa.bbb.ccc',
};

async function refusal(p: Promise<unknown>): Promise<InstructionRefused> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InstructionRefused) return e;
    throw e;
  }
  throw new Error('the instruction was accepted');
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const claimsOf = (jws: string) =>
  JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString()) as Record<string, unknown> & { instruction: Record<string, unknown> };
/** The same signature over changed claims. */
function tampered(jws: string, change: (c: ReturnType<typeof claimsOf>) => void): string {
  const [header, , signature] = jws.split('.');
  const claims = claimsOf(jws);
  change(claims);
  return `${header}.${b64(claims)}.${signature}`;
}

describe('signed instructions', () => {
  it('round-trips a deploy and an uninstall: what is verified is exactly what was signed', async () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const t = to();
    const signed = await signer.sign(t, deploy, now);
    expect(signed.version).toBe('v2');
    expect(await verifier.verify(signed.jws, now)).toEqual({ ...deploy, ...t, issuedAt: now, expiresAt: new Date(now.getTime() + HOUR) });
    const u = to();
    const uninstall = await signer.sign(u, { action: 'uninstall', release: 'demo-feature', timeoutMs: 0 }, now);
    expect(await verifier.verify(uninstall.jws, now)).toMatchObject({ action: 'uninstall', release: 'demo-feature', diid: u.diid });
  });

  it('accepts every key of the set (a rotation: the next key is trusted before the dispatcher signs with it)', async () => {
    const signed = await new InstructionSigner(next, HOUR).sign(to(), deploy);
    expect((await verifier.verify(signed.jws)).release).toBe('demo-feature');
  });

  // One case per part of the signed content: a change to any of it breaks the signature.
  it.each<[string, (c: ReturnType<typeof claimsOf>) => void]>([
    ['the environment (audience)', (c) => (c['aud'] = 'acme/prod')],
    ['the diid', (c) => (c['jti'] = randomUUID())],
    ['the issuer', (c) => (c['iss'] = 'someone-else')],
    ['issued-at', (c) => (c['iat'] = Number(c['iat']) - 10)],
    ['not-before', (c) => (c['nbf'] = Number(c['nbf']) - 10)],
    ['the expiry', (c) => (c['exp'] = Number(c['exp']) + 86_400)],
    ['the action', (c) => (c.instruction['action'] = 'uninstall')],
    ['the release', (c) => (c.instruction['release'] = 'naisd')],
    ['the chart', (c) => (c.instruction['chart'] = 'oci://evil.example.org/features/demo-feature')],
    ['the chart digest', (c) => (c.instruction['chartDigest'] = `sha256:${'cd'.repeat(32)}`)],
    ['the version', (c) => (c.instruction['featureVersion'] = '6.6.6')],
    ['the hash', (c) => (c.instruction['hash'] = 'h2')],
    ['the timeout', (c) => (c.instruction['timeoutMs'] = 1)],
    ['the sealed values', (c) => (c.instruction['sealedValues'] = 'v1.xxx.yyy.zzz')],
  ])('refuses an instruction with a changed %s: bad-signature, unverified', async (_, change) => {
    const signed = await signer.sign(to(), deploy);
    const r = await refusal(verifier.verify(tampered(signed.jws, change)));
    expect([r.reason, r.verified, r.message]).toEqual([
      'bad-signature',
      false,
      "the instruction's signature does not verify: it was changed after signing, or signed by another key",
    ]);
  });

  it("refuses another environment's instruction (validly signed): wrong-environment, with its diid", async () => {
    const t = { tenant: 'acme', environment: 'prod', diid: randomUUID() };
    const r = await refusal(verifier.verify((await signer.sign(t, deploy)).jws));
    expect([r.reason, r.verified, r.diid, r.message]).toEqual([
      'wrong-environment',
      true,
      t.diid,
      'the instruction is for "acme/prod", not for this environment (acme/dev)',
    ]);
  });

  it('refuses an expired instruction, and one issued in the future beyond the clock skew, but not within it', async () => {
    const t = to();
    const issued = new Date('2026-12-07T10:00:00Z');
    const signed = (await signer.sign(t, deploy, issued)).jws;
    const expired = await refusal(verifier.verify(signed, new Date(issued.getTime() + HOUR + 61_000)));
    expect([expired.reason, expired.verified, expired.diid, expired.message]).toEqual([
      'expired',
      true,
      t.diid,
      'the instruction expired at 2026-12-07T11:00:00.000Z',
    ]);
    const early = await refusal(verifier.verify(signed, new Date(issued.getTime() - 61_000)));
    expect([early.reason, early.verified, early.message]).toEqual([
      'not-yet-valid',
      true,
      "the instruction is valid from 2026-12-07T10:00:00.000Z, later than this agent's clock (60 s of skew allowed)",
    ]);
    expect((await verifier.verify(signed, new Date(issued.getTime() - 59_000))).diid).toBe(t.diid);
  });

  it('refuses an instruction signed more than a day ago even when its own expiry is later', async () => {
    const issued = new Date('2026-12-07T10:00:00Z');
    // A dispatcher with a longer time to live cannot be built; forge what one would sign.
    const jws = await new SignJWT({
      iss: 'fasit-dispatcher',
      aud: 'acme/dev',
      jti: randomUUID(),
      iat: issued.getTime() / 1000,
      nbf: issued.getTime() / 1000,
      exp: issued.getTime() / 1000 + 7 * 86_400,
      instruction: deploy,
    })
      .setProtectedHeader({ alg: 'Ed25519', kid: current.kid, typ: 'fasit-instruction+jwt' })
      .sign(current.privateKey);
    expect((await refusal(verifier.verify(jws, new Date(issued.getTime() + 25 * HOUR)))).reason).toBe('expired');
    expect(() => new InstructionSigner(current, 25 * HOUR)).toThrow(RangeError);
  });

  it.each<[string, () => Promise<string>, string, string]>([
    [
      'alg "none"',
      () => Promise.resolve(`${b64({ alg: 'none', typ: 'fasit-instruction+jwt' })}.${b64({ jti: 'x' })}.`),
      'unsigned',
      'the instruction carries no signature',
    ],
    ['an empty signature', async () => (await signer.sign(to(), deploy)).jws.replace(/[^.]+$/, ''), 'unsigned', 'the instruction carries no signature'],
    [
      "the agent's own HMAC key (HS256)",
      () => forge('HS256', Buffer.from(createHmac('sha256', 'secret').update('fasit-agent:acme/dev').digest('hex'))),
      'algorithm',
      'the instruction is signed with "HS256"; only Ed25519 signatures by the control plane are accepted',
    ],
    [
      'the legacy alg "EdDSA"',
      () => forge('EdDSA', current.privateKey),
      'algorithm',
      'the instruction is signed with "EdDSA"; only Ed25519 signatures by the control plane are accepted',
    ],
    [
      'an unknown key',
      () => forge('Ed25519', keyPair('attacker').privateKey, 'attacker'),
      'unknown-key',
      'the instruction is signed with key "attacker", which is not among this agent\'s FASIT_INSTRUCTION_PUBLIC_KEYS',
    ],
    [
      'another key under a trusted key id',
      () => forge('Ed25519', stranger.privateKey, stranger.kid),
      'bad-signature',
      "the instruction's signature does not verify: it was changed after signing, or signed by another key",
    ],
    ['no JWS at all', () => Promise.resolve('garbage'), 'malformed', 'the instruction is not a signed instruction (a compact JWS)'],
  ])('refuses an instruction with %s', async (_, jws, reason, message) => {
    const r = await refusal(verifier.verify(await jws()));
    expect([r.reason, r.verified, r.message]).toEqual([reason, false, message]);
  });

  it('refuses what a trusted key signed but is no instruction (missing claims, wrong type): malformed', async () => {
    const claims = {
      iss: 'fasit-dispatcher',
      aud: 'acme/dev',
      jti: randomUUID(),
      iat: Math.floor(Date.now() / 1000),
      nbf: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 60,
    };
    const signed = (body: object, typ = 'fasit-instruction+jwt') =>
      new SignJWT({ ...claims, ...body }).setProtectedHeader({ alg: 'Ed25519', kid: current.kid, typ }).sign(current.privateKey);
    const noBody = await refusal(verifier.verify(await signed({})));
    expect([noBody.reason, noBody.verified, noBody.diid]).toEqual(['malformed', true, claims.jti]);
    expect(noBody.message).toMatch(/^the instruction does not match its contract: \/ must have required property 'instruction'/);
    const flag = await refusal(verifier.verify(await signed({ instruction: { ...deploy, release: '--kubeconfig=/etc/x' } })));
    expect(flag.reason).toBe('malformed');
    const otherToken = await refusal(verifier.verify(await signed({ instruction: deploy }, 'JWT')));
    expect([otherToken.reason, otherToken.message]).toEqual(['malformed', 'the instruction\'s "typ" is wrong: check_failed']);
  });

  it('is ordered per release on its topic (the key read from the claims, which decides delivery order only)', async () => {
    const signed = await signer.sign(to(), deploy);
    expect(orderingKeyOf(instructionTopic('acme', 'dev'), signed)).toBe('release:demo-feature');
    expect(orderingKeyOf(instructionTopic('acme', 'dev'), { version: 'v2', jws: 'garbage' })).toBeUndefined();
  });

  it('never signs what no agent would accept', async () => {
    await expect(signer.sign(to(), { ...deploy, release: '--kubeconfig=/x' })).rejects.toThrow(ContractViolation);
    await expect(signer.sign(to(), { ...deploy, chartDigest: 'latest' })).rejects.toThrow(
      'the instruction does not match its contract: /instruction/chartDigest must match pattern',
    );
    await expect(signer.sign({ ...to(), diid: 'not-a-uuid' }, deploy)).rejects.toThrow('/jti must match format "uuid"');
  });
});

describe('messages on an instruction topic that break its contract', () => {
  it.each([
    ['not JSON', 'garbage', 'invalid JSON', 'malformed', 'the message is not JSON', null],
    [
      'the unsigned v1 shape (a deploy)',
      JSON.stringify({ version: 'v1', diid: 'a0a0a0a0-0000-4000-8000-000000000001', action: 'deploy', name: 'x' }),
      '/ must NOT have additional properties',
      'unsigned',
      'the instruction carries no signature (no "jws")',
      'a0a0a0a0-0000-4000-8000-000000000001',
    ],
    ['a JSON array', '[]', '/ must be object', 'malformed', 'the message breaks the instruction contract: / must be object', null],
    [
      'an oversized JWS',
      JSON.stringify({ version: 'v2', jws: 'x' }),
      '/jws must NOT have more than 6000000 characters',
      'malformed',
      'the message breaks the instruction contract: /jws must NOT have more than 6000000 characters',
      null,
    ],
  ])('%s: refused', (_, raw, violation, reason, message, diid) => {
    const r = refusalOfUnreadable(raw, violation);
    expect([r.reason, r.message, r.diid, r.verified]).toEqual([reason, message, diid, false]);
  });
});

function forge(alg: string, key: KeyObject | Uint8Array, kid = current.kid): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: 'fasit-dispatcher', aud: 'acme/dev', jti: randomUUID(), iat: now, nbf: now, exp: now + 600, instruction: deploy })
    .setProtectedHeader({ alg, kid, typ: 'fasit-instruction+jwt' })
    .sign(key);
}
