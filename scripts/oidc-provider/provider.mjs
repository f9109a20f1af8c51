// The tests' real OpenID Provider: panva's oidc-provider (certified for Back-Channel Logout), run by
// scripts/oidc-provider.sh from the folder it installed the package into. One confidential client
// with the authorization-code flow and a back-channel logout URI; RS256 JWT access tokens
// (typ at+jwt) for one resource, carrying the session's sid; the development login form (any login,
// any password); RP-initiated logout. Listens on 127.0.0.1 only. Each back-channel call's outcome is
// written to stdout as one JSON line ({"event":"backchannel.success"|"backchannel.error",...}) for
// the tests to read from the log.
import * as http from 'node:http';
import Provider, { errors } from 'oidc-provider';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === '') {
    console.error(`provider.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
};

const port = Number(env('OIDC_PROVIDER_PORT'));
const issuer = env('OIDC_PROVIDER_ISSUER', `http://127.0.0.1:${port}`);
const resource = env('OIDC_RESOURCE');
const audience = env('OIDC_AUDIENCE', resource);
const apiScope = env('OIDC_API_SCOPE', 'api');

const provider = new Provider(issuer, {
  clients: [{
    client_id: env('OIDC_CLIENT_ID'),
    client_secret: env('OIDC_CLIENT_SECRET'),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [env('OIDC_REDIRECT_URI')],
    backchannel_logout_uri: env('OIDC_BACKCHANNEL_LOGOUT_URI'),
    backchannel_logout_session_required: true,
  }],
  scopes: ['openid', apiScope],
  // Only the tests' cookie jars see these; a fixed key keeps the provider from warning about its default.
  cookies: { keys: [env('OIDC_COOKIE_KEY', 'registry-tests-cookie-key-not-a-secret')] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    backchannelLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, indicator) => {
        if (indicator !== resource) {
          throw new errors.InvalidTarget();
        }
        return {
          scope: apiScope,
          audience,
          accessTokenTTL: 10 * 60,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // RFC 9068 has no sid; Keycloak, Duende and Entra put the session's in their access tokens.
  extraTokenClaims: (ctx, token) => (token.sid ? { sid: token.sid } : undefined),
  pkce: { required: () => false },
  // oidc-provider gives up on a back-channel call after 2.5 s; the registry answers once every API
  // node acknowledged, which can take up to one near-cache lease (5 s) when a node does not answer.
  httpOptions: () => ({ signal: AbortSignal.timeout(10_000) }),
});

provider.on('backchannel.success', (ctx, client, accountId, sid) => {
  console.log(JSON.stringify({ event: 'backchannel.success', client: client.clientId, sub: accountId, sid }));
});
provider.on('backchannel.error', (ctx, error, client, accountId, sid) => {
  console.log(JSON.stringify({ event: 'backchannel.error', client: client.clientId, sub: accountId, sid, error: error.message }));
});
provider.on('server_error', (ctx, error) => {
  console.log(JSON.stringify({ event: 'server_error', error: String(error?.stack ?? error) }));
});

http.createServer(provider.callback()).listen(port, '127.0.0.1', () => {
  console.log(JSON.stringify({ event: 'listening', issuer }));
});
