// Warning events of a release's objects, in its deploy's log (cluster mode; the original naisd, section 7): while
// helm runs, the Kubernetes events of naisd's namespace are watched from the moment the deploy starts, and every
// `Warning` or `Error` event whose involved object's name contains the release name becomes a log line of kind
// `event` — why a pod does not start, an image that cannot be pulled, a failed mount — next to helm's own output.
// The Kubernetes client (its kubeconfig handling and authentication) is @kubernetes/client-node. Events are input
// from the cluster: only their reason, object and message are shown, each bounded. A watch that cannot be opened
// (no permission to read events) is said once in the log and costs the deploy nothing.
import { Inject, Injectable } from '@nestjs/common';
import { CoreV1Api, KubeConfig, Watch, type CoreV1Event } from '@kubernetes/client-node';
import type { ContextLogger, JsonLogger } from '@fasit/config';
import { NAISD_CONFIG, isDryRun, type NaisdConfig } from '../config/naisd.config.js';
import { NAISD_LOGGER } from '../naisd.tokens.js';

/** Stops the watch (and says nothing more). */
export type StopWatching = () => void;

const FIELD_MAX = 200;
const MESSAGE_MAX = 1000;

/** The log line of an event that concerns the release, or undefined for one that does not (pure; unit-tested). */
export function eventLine(release: string, type: string, event: Partial<CoreV1Event>): string | undefined {
  if (type !== 'ADDED' && type !== 'MODIFIED') return undefined;
  if (event.type !== 'Warning' && event.type !== 'Error') return undefined;
  const object = event.involvedObject;
  if (!object?.name?.includes(release)) return undefined;
  const count = typeof event.count === 'number' && event.count > 1 ? ` (${event.count} times)` : '';
  return `${event.type} ${clean(event.reason, FIELD_MAX) || '-'} ${clean(object.kind, FIELD_MAX) || '?'}/${clean(object.name, FIELD_MAX)}: ${clean(event.message, MESSAGE_MAX)}${count}`;
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : JSON.stringify(err);
}

/** One line of printable text, at most `max` characters: control characters and line breaks become spaces. */
function clean(text: unknown, max: number): string {
  if (typeof text !== 'string') return '';
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

@Injectable()
export class ReleaseEventsWatcher {
  private readonly log: ContextLogger;

  constructor(
    @Inject(NAISD_CONFIG) private readonly config: Pick<NaisdConfig, 'kubeconfig' | 'namespace'>,
    @Inject(NAISD_LOGGER) logger: JsonLogger,
  ) {
    this.log = logger.child('events');
  }

  /** Watches the namespace's events for `release` from now on, writing each that concerns it; in dry-run, nothing. */
  async watch(diid: string, release: string, write: (line: string, kind: 'event' | 'helm') => void): Promise<StopWatching> {
    const kubeconfig = this.config.kubeconfig;
    if (isDryRun(this.config) || kubeconfig === undefined) return () => undefined;
    let stopped = false;
    try {
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfig);
      const namespace = this.config.namespace;
      // From the list's resource version: the events of this deploy, not those of earlier ones.
      const list = await kc.makeApiClient(CoreV1Api).listNamespacedEvent({ namespace, limit: 1 });
      const seen = new Set<string>();
      const abort = await new Watch(kc).watch(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
        { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
        (type: string, event: Partial<CoreV1Event>) => {
          if (stopped) return;
          const line = eventLine(release, type, event);
          // one line per occurrence: a repeated event is MODIFIED with a higher count
          const key = `${event.metadata?.uid ?? ''}#${event.count ?? 1}`;
          if (line === undefined || seen.has(key)) return;
          seen.add(key);
          write(line, 'event');
        },
        (err: unknown) => {
          if (!stopped && err) this.log.warn('event watch ended', { diid, release, error: errorText(err) });
        },
      );
      return () => {
        stopped = true;
        abort.abort();
      };
    } catch (err) {
      const error = errorText(err);
      this.log.warn('cannot watch events', { diid, release, error });
      write(`naisd: the events of the release cannot be watched (${clean(error, FIELD_MAX)}); helm's output only`, 'helm');
      return () => undefined;
    }
  }
}
