// Serialized answers of the API's most asked reads (an assignment's status, a tenant's environment list), kept as
// the bytes that were sent, each under the version of the data it was built from. Every request reads the version
// from PostgreSQL first (one cheap query), so a replica never answers from data older than the database's: when
// the version matches, the kept bytes are sent as they are (no query of the rows, no serialization); otherwise the
// answer is built, kept and sent. The version is read before the rows, so what is kept under a version is at least
// as new as that version, never older.
//
// A strong ETag names the (answer, version) pair, and `If-None-Match` with it gets a 304 (the web console polls).
// Authorization happens before any of this (the policy guard): the key includes what the caller may see where the
// answer depends on it, and a caller who may not read the answer never reaches the cache.
//
// Bounded by bytes (FASIT_API_CACHE_BYTES), the least recently sent answer goes first. Concurrent misses for the
// same key and version build the answer once. A budget of 0 keeps and shares nothing (the ETag and 304 remain).
import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ServiceMetrics } from '@fasit/metrics';
import { CATALOG_CONFIG, type CatalogConfig } from '../settings/catalog.settings.js';

/** Which answer (the `answer` label of the cache's metrics). */
export type AnswerKind = 'assignment-status' | 'environment-list';

/** An answer as it is sent: JSON bytes and their strong ETag (null: not versioned, never a 304). */
export interface SerializedAnswer {
  body: Buffer;
  etag: string | null;
}

/** What to send: the bytes, or a 304 when the caller's `If-None-Match` names the current ETag. */
export type Answer = ({ status: 200 } & SerializedAnswer) | { status: 304; etag: string };

interface Kept extends SerializedAnswer {
  kind: AnswerKind;
  version: string;
  size: number;
}

/** What the map and the key cost besides the body (a rough, fixed amount per entry). */
const ENTRY_OVERHEAD = 256;

/** Bumped when an answer's JSON changes shape for the same data, so an ETag never names two different bodies. */
const FORMAT = '1';

/** The strong ETag of an answer: its key and version, hashed (neither is shown). */
export function answerEtag(key: string, version: string): string {
  return `"${createHash('sha256').update(`${FORMAT}\0${key}\0${version}`).digest('base64url').slice(0, 32)}"`;
}

/** Whether an `If-None-Match` header names the ETag (a list, weak forms compared weakly, or `*`). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

@Injectable()
export class AnswerCache {
  private readonly kept = new Map<string, Kept>();
  private readonly building = new Map<string, Promise<SerializedAnswer>>();
  private bytes = 0;
  private readonly maxBytes: number;
  private readonly requests;
  private readonly evictions;
  private readonly bytesGauge;

  constructor(@Inject(CATALOG_CONFIG) config: CatalogConfig, metrics: ServiceMetrics) {
    this.maxBytes = config.apiCacheBytes;
    this.requests = metrics.counter('fasit_api_cache_requests_total');
    this.evictions = metrics.counter('fasit_api_cache_evictions_total');
    this.bytesGauge = metrics.gauge('fasit_api_cache_bytes');
  }

  /**
   * The answer under `key` for `version`: the kept bytes when they were built from that version, else `build()`'s
   * value serialized, kept and returned. `version` undefined: the version cannot be read (another service's view is
   * not there yet); built every time and never kept.
   */
  async answer(kind: AnswerKind, key: string, version: string | undefined, build: () => Promise<unknown>, ifNoneMatch?: string): Promise<Answer> {
    if (version === undefined) {
      this.requests.inc({ answer: kind, result: 'miss' });
      return { status: 200, body: Buffer.from(JSON.stringify(await build())), etag: null };
    }
    const etag = answerEtag(key, version);
    if (matchesIfNoneMatch(ifNoneMatch, etag)) {
      this.requests.inc({ answer: kind, result: 'not-modified' });
      return { status: 304, etag };
    }
    const hit = this.kept.get(key);
    if (hit?.version === version) {
      this.kept.delete(key);
      this.kept.set(key, hit);
      this.requests.inc({ answer: kind, result: 'hit' });
      return { status: 200, body: hit.body, etag };
    }
    // Another request of the same answer and version is building it: its bytes, built once for both (not with a
    // budget of 0, which keeps and shares nothing: every request builds its own, as without this cache).
    const flight = `${key}\0${version}`;
    const pending = this.maxBytes > 0 ? this.building.get(flight) : undefined;
    if (pending) {
      this.requests.inc({ answer: kind, result: 'hit' });
      return { status: 200, ...(await pending) };
    }
    this.requests.inc({ answer: kind, result: 'miss' });
    const made = (async (): Promise<SerializedAnswer> => {
      const body = Buffer.from(JSON.stringify(await build()));
      this.keep(key, { kind, version, body, etag, size: body.length + key.length + version.length + ENTRY_OVERHEAD });
      return { body, etag };
    })();
    if (this.maxBytes > 0) this.building.set(flight, made);
    try {
      return { status: 200, ...(await made) };
    } finally {
      this.building.delete(flight);
    }
  }

  private keep(key: string, entry: Kept): void {
    const old = this.kept.get(key);
    if (old) {
      this.kept.delete(key);
      this.bytes -= old.size;
    }
    if (entry.size <= this.maxBytes) {
      this.kept.set(key, entry);
      this.bytes += entry.size;
      for (const [k, e] of this.kept) {
        if (this.bytes <= this.maxBytes) break;
        this.kept.delete(k);
        this.bytes -= e.size;
        this.evictions.inc({ answer: e.kind });
      }
    }
    this.bytesGauge.set(this.bytes);
  }
}

/**
 * Sends an answer of the cache: its bytes as they are (Express's `send` would hash them again for its own weak ETag),
 * or a 304; with its ETag, and never kept by a shared proxy (it is one caller's view).
 */
export function sendAnswer(res: Response, answer: Answer): void {
  res.setHeader('Cache-Control', 'private, no-cache');
  if (answer.etag) res.setHeader('ETag', answer.etag);
  if (answer.status === 304) {
    res.status(304).end();
    return;
  }
  res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', answer.body.length);
  res.end(answer.body);
}

/** The caller's `If-None-Match` header. */
export const ifNoneMatch = (req: Request): string | undefined => req.headers['if-none-match'];
