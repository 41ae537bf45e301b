// The public development keys: what a key falls back to in development mode when it is not set (and so what no
// real deployment may use: readConfig refuses them outside development mode). They are in the source on purpose.

/** 32 bytes of 0x07 under the id "dev": the development key of FASIT_SECRET_KEYS. */
const DEVELOPMENT_SECRET_KEY = Buffer.alloc(32, 7);

export const DEVELOPMENT_KEYS = {
  FASIT_AGENT_KEY_SECRET: 'local-development-agent-secret',
  FASIT_SECRET_KEYS: `dev:${DEVELOPMENT_SECRET_KEY.toString('base64')}`,
  /** An Ed25519 private JWK (key id "development"): signs instructions in development mode. */
  FASIT_INSTRUCTION_SIGNING_KEY:
    '{"kty":"OKP","crv":"Ed25519","kid":"development","x":"R0bDGheUrRNtyBqKRTEVKzJYQlcPTsV5wX2fi0muZHY","d":"Q0NgPBSnmIfvmARhc0bzq_zp9NUltHBOqkoHB8AE6uA"}',
  /** The JWK Set with its public key: what agents accept in development mode. */
  FASIT_INSTRUCTION_PUBLIC_KEYS: '{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"development","x":"R0bDGheUrRNtyBqKRTEVKzJYQlcPTsV5wX2fi0muZHY"}]}',
} as const;

/** The public part (`x`) of the development instruction key. */
export const DEVELOPMENT_INSTRUCTION_KEY_X = 'R0bDGheUrRNtyBqKRTEVKzJYQlcPTsV5wX2fi0muZHY';

/** Whether a FASIT_SECRET_KEYS value ("id:base64key,…") holds the development key under any id. */
export function holdsDevelopmentSecretKey(spec: string): boolean {
  return spec.split(',').some((part) => {
    const i = part.indexOf(':');
    return i > 0 && Buffer.from(part.slice(i + 1).trim(), 'base64').equals(DEVELOPMENT_SECRET_KEY);
  });
}
