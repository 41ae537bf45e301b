// The checked-in gRPC types are exactly what the generator makes from proto/ (never hand-edited, never stale).
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { childProcessEnv } from '@fasit/config';

const app = fileURLToPath(new URL('..', import.meta.url));

async function files(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(relative(dir, join(e.parentPath, e.name)));
  return out.sort();
}

describe('generated gRPC types', () => {
  it('match proto/fasit/management/v1/management.proto (run `pnpm gen:proto` after changing it)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'catalog-proto-'));
    try {
      execFileSync('bash', ['scripts/gen-proto.sh', out], {
        cwd: app,
        env: childProcessEnv({ PATH: `${join(app, 'node_modules/.bin')}:${childProcessEnv()['PATH'] ?? ''}` }),
      });
      const committed = join(app, 'src/grpc/generated');
      expect(await files(out)).toEqual(await files(committed));
      for (const f of await files(out)) expect(await readFile(join(out, f), 'utf8')).toBe(await readFile(join(committed, f), 'utf8'));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
