import { Controller, Get, Inject } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import { CATALOG_CONFIG, type CatalogConfig } from '../settings/catalog.settings.js';

export interface ConsoleConfig {
  /** `dev`: no sign-in (every caller is the local admin); `oidc`: the console signs in before it calls the API. */
  authMode: 'dev' | 'oidc';
  /** How the console signs in (authorization code + PKCE); null when no provider is configured for it. */
  oidc: { authority: string; clientId: string; scope: string } | null;
}

/** What the web console needs to know before anyone signs in. Public: it holds nothing secret. */
@Controller('api/v1')
@Allow(policies.public)
export class ConsoleConfigController {
  constructor(@Inject(CATALOG_CONFIG) private readonly config: CatalogConfig) {}

  @Get('console-config')
  get(): ConsoleConfig {
    const { webOidcAuthority: authority, webOidcClientId: clientId } = this.config;
    return { authMode: this.config.authMode, oidc: authority && clientId ? { authority, clientId, scope: this.config.webOidcScope } : null };
  }
}
