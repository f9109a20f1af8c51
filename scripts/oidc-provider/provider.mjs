// The tests' real OpenID Provider: panva's oidc-provider (certified for Back-Channel Logout), run by
// scripts/oidc-provider.sh from the folder it installed the package into. One confidential client
// with the authorization-code flow and a back-channel logout URI; RS256 JWT access tokens
// (typ at+jwt) for one resource, carrying the session's sid; the development login form (any login,
// any password); RP-initiated logout. Listens on 127.0.0.1 only. Each back-channel call's outcome is
// written to stdout as one JSON line ({"event":"backchannel.success"|"backchannel.error",...}) for
// the tests to read from the log.
//
// Off unless their environment variable says otherwise, for scripts/bench-gateway.sh (the tests set none):
//   OIDC_CLIENT_CREDENTIALS=1   the client may also use the client_credentials grant
//   OIDC_INTROSPECTION=1        RFC 7662 introspection (/token/introspection) and RFC 7009 revocation
//                               (/token/revocation), for the client's own tokens. oidc-provider 8
//                               introspects and revokes only tokens it stores: opaque ones, never
//                               its JWT access tokens (their value is not stored, so find() misses)
//   OIDC_OPAQUE_RESOURCE=urn:…  a second resource indicator whose access tokens are opaque (stored,
//                               so introspectable and revocable); audience and scope as OIDC_RESOURCE's
//   OIDC_ACCESS_TOKEN_TTL=600   seconds an access token lives
//   OIDC_STORE=map              a Map-backed store instead of oidc-provider's development
//                               MemoryAdapter, an LRU (quick-lru, maxSize 1000: 1000–2000 entries)
//                               that silently forgets tokens beyond that: 10 000 tokens do not fit
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
const flag = (name) => process.env[name] === '1';
const clientCredentials = flag('OIDC_CLIENT_CREDENTIALS');
const introspection = flag('OIDC_INTROSPECTION');
const opaqueResource = process.env.OIDC_OPAQUE_RESOURCE || undefined;
const accessTokenTTL = Number(env('OIDC_ACCESS_TOKEN_TTL', '600'));
const store = env('OIDC_STORE', 'memory');
if (store !== 'memory' && store !== 'map') {
  console.error(`provider.mjs: OIDC_STORE must be memory or map (was ${store})`);
  process.exit(2);
}

// The Map-backed store (OIDC_STORE=map): every entry kept until it expires, the expired ones swept
// once a minute. The shape of oidc-provider's MemoryAdapter (lib/adapters/memory_adapter.js).
const entries = new Map(); // key -> { value, expiresAt (ms, or Infinity) }
const put = (key, value, expiresIn) => entries.set(key, { value, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
const get = (key) => {
  const entry = entries.get(key);
  if (entry === undefined) return undefined;
  if (entry.expiresAt <= Date.now()) {
    entries.delete(key);
    return undefined;
  }
  return entry.value;
};
const grantable = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest']);
class MapAdapter {
  constructor(model) { this.model = model; }

  key(id) { return `${this.model}:${id}`; }

  async destroy(id) { entries.delete(this.key(id)); }

  async consume(id) { get(this.key(id)).consumed = Math.floor(Date.now() / 1000); }

  async find(id) { return get(this.key(id)); }

  async findByUid(uid) { return this.find(get(`sessionUid:${uid}`)); }

  async findByUserCode(userCode) { return this.find(get(`userCode:${userCode}`)); }

  async upsert(id, payload, expiresIn) {
    const key = this.key(id);
    if (this.model === 'Session') put(`sessionUid:${payload.uid}`, id, expiresIn);
    const { grantId, userCode } = payload;
    if (grantable.has(this.model) && grantId) {
      const grant = get(`grant:${grantId}`);
      if (grant) grant.push(key); else put(`grant:${grantId}`, [key]);
    }
    if (userCode) put(`userCode:${userCode}`, id, expiresIn);
    put(key, payload, expiresIn);
  }

  async revokeByGrantId(grantId) { // eslint-disable-line class-methods-use-this
    const grant = get(`grant:${grantId}`);
    if (grant) {
      grant.forEach((key) => entries.delete(key));
      entries.delete(`grant:${grantId}`);
    }
  }
}
if (store === 'map') {
  setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }, 60_000).unref();
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: env('OIDC_CLIENT_ID'),
    client_secret: env('OIDC_CLIENT_SECRET'),
    grant_types: clientCredentials ? ['authorization_code', 'client_credentials'] : ['authorization_code'],
    response_types: ['code'],
    redirect_uris: [env('OIDC_REDIRECT_URI')],
    backchannel_logout_uri: env('OIDC_BACKCHANNEL_LOGOUT_URI'),
    backchannel_logout_session_required: true,
  }],
  scopes: ['openid', apiScope],
  ...(store === 'map' ? { adapter: MapAdapter } : {}),
  // Only the tests' cookie jars see these; a fixed key keeps the provider from warning about its default.
  cookies: { keys: [env('OIDC_COOKIE_KEY', 'registry-tests-cookie-key-not-a-secret')] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    backchannelLogout: { enabled: true },
    ...(clientCredentials ? { clientCredentials: { enabled: true } } : {}),
    ...(introspection ? {
      // A client learns about its own tokens only (the default lets any authenticated client).
      introspection: { enabled: true, allowedPolicy: (ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true },
    } : {}),
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (ctx, indicator) => {
        if (opaqueResource !== undefined && indicator === opaqueResource) {
          return { scope: apiScope, audience, accessTokenTTL, accessTokenFormat: 'opaque' };
        }
        if (indicator !== resource) {
          throw new errors.InvalidTarget();
        }
        return {
          scope: apiScope,
          audience,
          accessTokenTTL,
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
