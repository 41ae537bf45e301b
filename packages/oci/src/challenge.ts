/** One authentication challenge from a `WWW-Authenticate` header (RFC 7235). */
export interface AuthChallenge {
  /** Lower-cased scheme, e.g. `bearer` or `basic`. */
  scheme: string;
  /** Parameters with lower-cased names, e.g. `realm`, `service`, `scope`. */
  params: Record<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * Parses a `WWW-Authenticate` header into its challenges. Tolerates several challenges in one header
 * (`Basic realm="r", Bearer realm="t",service="s"`), quoted strings with escapes and unquoted values.
 * Returns an empty list for an empty or unparsable header.
 */
export function parseWwwAuthenticate(header: string | null | undefined): AuthChallenge[] {
  if (!header) return [];
  const challenges: AuthChallenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpace = (): void => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < n && TOKEN_CHAR.test(header[i] ?? '')) i++;
    return header.slice(start, i);
  };
  const readQuoted = (): string => {
    i++; // opening quote
    let out = '';
    while (i < n && header[i] !== '"') {
      if (header[i] === '\\' && i + 1 < n) i++;
      out += header[i];
      i++;
    }
    i++; // closing quote
    return out;
  };

  let current: AuthChallenge | undefined;
  while (i < n) {
    skipSpace();
    if (header[i] === ',') {
      i++;
      continue;
    }
    const token = readToken();
    if (token === '') {
      i++; // skip a stray character rather than loop forever
      continue;
    }
    skipSpace();
    if (header[i] === '=' && current !== undefined) {
      i++;
      skipSpace();
      const value = header[i] === '"' ? readQuoted() : readToken();
      current.params[token.toLowerCase()] = value;
    } else {
      current = { scheme: token.toLowerCase(), params: {} };
      challenges.push(current);
      // token68 form (e.g. `Negotiate abc==`) is not used by registries: ignore it.
    }
  }
  return challenges;
}
