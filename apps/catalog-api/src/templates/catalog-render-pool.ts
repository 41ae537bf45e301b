// The catalog's renders (template tester, reconciler dry run) run in a worker thread with a hard time limit, like
// the reconciler's: one hostile template costs an error, not a stalled API. The worker starts on first use.
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { RenderPool } from '@fasit/templates';

/** A render still running after this is stopped and its worker replaced. */
export const CATALOG_RENDER_HARD_TIMEOUT_MS = 5_000;

@Injectable()
export class CatalogRenderPool implements OnModuleDestroy {
  private pool: RenderPool | null = null;

  get(): RenderPool {
    this.pool ??= new RenderPool({ workers: 1, hardTimeoutMs: CATALOG_RENDER_HARD_TIMEOUT_MS });
    return this.pool;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool?.close();
    this.pool = null;
  }
}
