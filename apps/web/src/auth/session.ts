// Sign-in through the configured OIDC provider: authorization code with PKCE (oidc-client-ts), tokens kept in the
// tab's session storage, renewed silently before they expire. The API gets the ID token (its audience is the
// console's client id, which FASIT_OIDC_ISSUERS lists as the issuer's audience). Development mode has no sign-in.
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { api, setTokenSource, unwrap, type Schemas } from '../api/client';

export type ConsoleConfig = Schemas['ConsoleConfig'];

export type Session =
  | { kind: 'dev' }
  | { kind: 'signed-in'; user: User; signOut: () => Promise<void> }
  /** OIDC mode without a provider configured for the console: nothing can be shown. */
  | { kind: 'unconfigured' };

const CALLBACK = '/auth/callback';

/** Resolves once the caller can call the API (redirecting to the provider first when needed). */
export async function startSession(): Promise<Session> {
  const config = await unwrap(api.GET('/api/v1/console-config'));
  if (config.authMode === 'dev') return { kind: 'dev' };
  if (!config.oidc) return { kind: 'unconfigured' };
  const manager = new UserManager({
    authority: config.oidc.authority,
    client_id: config.oidc.clientId,
    redirect_uri: `${location.origin}${CALLBACK}`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: config.oidc.scope,
    automaticSilentRenew: true,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
  if (location.pathname === CALLBACK) {
    const user = await manager.signinRedirectCallback();
    const back = typeof user.state === 'string' && user.state.startsWith('/') ? user.state : '/';
    history.replaceState(null, '', back);
  }
  let user = await manager.getUser();
  if (!user || user.expired) {
    await manager.signinRedirect({ state: `${location.pathname}${location.search}` });
    return new Promise<Session>(() => undefined); // the browser is leaving for the provider
  }
  manager.events.addUserLoaded((u) => {
    user = u;
  });
  setTokenSource(() => Promise.resolve(user?.id_token ?? null));
  return { kind: 'signed-in', user, signOut: () => manager.signoutRedirect() };
}
