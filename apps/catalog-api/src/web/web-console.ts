// The web console (apps/web, built to static files) served at `/`: its files as they are, and index.html for every
// other page address the console routes itself (`/features/demo-feature`), so a reload or a shared link works.
// API paths are never answered with the page. The shell holds no data: every answer it shows comes from the API
// with the caller's own token, so serving it needs no authentication.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NextFunction, Request, Response } from 'express';
import express from 'express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { CatalogConfig } from '../settings/catalog.settings.js';
import { parseIssuers } from '../auth/oidc-issuers.js';

/** Paths the API owns: never the console's page, also when nothing matches there (an unknown API path is a 404). */
const API_PREFIXES = ['/api/', '/github/', '/healthz', '/readyz', '/metrics', '/schema/'];

/**
 * The console's script and styles come from this origin only; the style attribute is needed by the component
 * library; the OIDC provider is the only other origin it talks to (sign-in, token refresh).
 */
export function contentSecurityPolicy(oidcAuthority: string | undefined): string {
  const connect = ["'self'", ...(oidcAuthority ? [new URL(oidcAuthority).origin] : [])].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src ${connect}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** What is wrong with the console's settings (each naming its variable); empty when they are fine. */
export function webConsoleProblems(config: Pick<CatalogConfig, 'webRoot' | 'webOidcAuthority' | 'webOidcClientId' | 'oidcIssuers'>): string[] {
  const problems: string[] = [];
  if (config.webRoot !== undefined && !existsSync(join(config.webRoot, 'index.html'))) {
    problems.push(`FASIT_WEB_ROOT: ${config.webRoot} has no index.html (build the console with \`pnpm --filter @fasit/web build\`)`);
  }
  if ((config.webOidcAuthority === undefined) !== (config.webOidcClientId === undefined)) {
    problems.push(
      `${config.webOidcAuthority === undefined ? 'FASIT_WEB_OIDC_AUTHORITY' : 'FASIT_WEB_OIDC_CLIENT_ID'}: required with ${config.webOidcAuthority === undefined ? 'FASIT_WEB_OIDC_CLIENT_ID' : 'FASIT_WEB_OIDC_AUTHORITY'}`,
    );
  }
  if (config.webOidcAuthority !== undefined) {
    let issuers: string[] = [];
    try {
      issuers = parseIssuers(config.oidcIssuers).map((i) => i.issuer);
    } catch {
      // FASIT_OIDC_ISSUERS names its own problem
    }
    if (!URL.canParse(config.webOidcAuthority)) problems.push(`FASIT_WEB_OIDC_AUTHORITY: not a URL (${config.webOidcAuthority})`);
    else if (!issuers.includes(config.webOidcAuthority))
      problems.push(
        `FASIT_WEB_OIDC_AUTHORITY: ${config.webOidcAuthority} is not one of the issuers in FASIT_OIDC_ISSUERS, so its tokens would not be accepted`,
      );
  }
  return problems;
}

/** Mounts the console: call before the API routes are registered (before `listen`). */
export function serveWebConsole(app: NestExpressApplication, config: CatalogConfig): void {
  if (config.webRoot === undefined) return;
  const root = resolve(config.webRoot);
  const index = readFileSync(join(root, 'index.html'));
  const csp = contentSecurityPolicy(config.webOidcAuthority);
  const headers = (res: Response) => {
    res.setHeader('content-security-policy', csp);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'same-origin');
  };
  const isApi = (path: string) => API_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p));
  // Vite names built assets by content hash: cache them for good; everything else revalidates.
  const files = express.static(root, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      headers(res);
      res.setHeader('cache-control', path.includes(`${join(root, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApi(req.path)) {
      next();
      return;
    }
    files(req, res, () => {
      headers(res);
      res.setHeader('cache-control', 'no-cache');
      res.type('html').send(index);
    });
  });
}
