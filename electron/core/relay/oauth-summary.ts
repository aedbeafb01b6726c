/** What the contract says about an `oauth2` relay's sign-in: provider, client ID and its source, who, and whether it holds. */
import type { CoreContext } from '../context';
import type { RelaySummary } from '../../../shared/contract/relays';
import type { RelayProfile } from './profiles';
import { defaultSignInApp, providerOfIssuer, providerOfPreset } from './oauth-providers';
import { readOAuth } from './oauth-store';
import { scopesOf } from './oauth';

export function oauthSummary(ctx: CoreContext, p: RelayProfile): Pick<RelaySummary, 'signedIn' | 'oauth'> {
  if (p.auth !== 'oauth2') return { oauth: null };
  const row = readOAuth(ctx, p.id);
  const provider = providerOfIssuer(row?.issuer ?? null) ?? providerOfPreset(p.preset);
  const issuer = row?.issuer ?? provider?.issuer ?? null;
  const app = provider ? defaultSignInApp(ctx, provider.provider) : null;
  const own = row?.client_id ?? null;
  return {
    signedIn: !!row && row.needs_sign_in === 0 && row.refresh_sealed !== null,
    oauth: {
      issuer,
      provider: provider?.provider ?? null,
      clientId: own ?? app?.clientId ?? null,
      clientIdSource: own ? 'relay' : (app?.source ?? 'none'),
      clientSecretEnv: row?.client_secret_env ?? null,
      scopes: scopesOf(row ?? { scopes: '', issuer }, p.preset),
      signedInAs: row?.needs_sign_in === 0 ? row.signed_in_as : null,
      signedInAt: row?.needs_sign_in === 0 ? row.signed_in_at : null,
      problem: row?.problem ?? null,
    },
  };
}
