// Tokens for scripts/bench-gateway.sh from the real OpenID Provider (scripts/oidc-provider/provider.mjs,
// started with OIDC_CLIENT_CREDENTIALS=1 OIDC_INTROSPECTION=1 OIDC_OPAQUE_RESOURCE OIDC_STORE=map):
//
//   node provider-tokens.mjs <provider url> <client id> <client secret> <jwt resource> <opaque resource>
//                            <count> <revokeEvery> <jwt file> <opaque file> <jwt revoked file>
//
// For each i < count, two client_credentials access tokens: an RS256 at+jwt for <jwt resource>
// (line i of <jwt file>: what the registry checks) and an opaque one for <opaque resource> (line i
// of <opaque file>: what the provider introspects; oidc-provider introspects only the tokens it
// stores, and it does not store its JWT access tokens). Token i with i % revokeEvery == 0 is revoked
// at the provider here (RFC 7009, its opaque token) and written to <jwt revoked file> for the
// registry. Then one revoked and one live opaque token are introspected as a check. Node's own
// http module only, CONCURRENCY (32) requests in flight over kept-alive connections. Prints one line:
//   minted=... revoked_at_provider=... mint_seconds=... revoke_seconds=...
import * as http from 'node:http';
import { writeFileSync } from 'node:fs';

const [url, clientId, clientSecret, jwtResource, opaqueResource, countText, everyText, jwtFile, opaqueFile, revokedFile] = process.argv.slice(2);
if (revokedFile === undefined) {
  console.error('usage: provider-tokens.mjs <url> <client id> <client secret> <jwt resource> <opaque resource> <count> <revokeEvery> <jwt file> <opaque file> <jwt revoked file>');
  process.exit(2);
}
const count = Number(countText);
const every = Number(everyText);
const concurrency = Number(process.env.CONCURRENCY ?? 32);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const basic = 'Basic ' + Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');

function post(path, form) {
  const body = new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const request = http.request(new URL(path, url), {
      method: 'POST',
      agent,
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function token(resource) {
  const reply = await post('/token', { grant_type: 'client_credentials', resource });
  if (reply.status !== 200) throw new Error(`token endpoint answered ${reply.status}: ${reply.text}`);
  return JSON.parse(reply.text).access_token;
}

async function each(indexes, work) { // work(i) for every index, `concurrency` at a time
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < indexes.length) {
      const i = indexes[next++];
      await work(i);
    }
  }));
}

async function introspect(value) {
  const reply = await post('/token/introspection', { token: value });
  if (reply.status !== 200) throw new Error(`introspection answered ${reply.status}: ${reply.text}`);
  return JSON.parse(reply.text).active === true;
}

const jwts = new Array(count);
const opaques = new Array(count);
let started = performance.now();
await each([...Array(count).keys()], async (i) => {
  [jwts[i], opaques[i]] = await Promise.all([token(jwtResource), token(opaqueResource)]);
});
const mintSeconds = (performance.now() - started) / 1000;
if (!jwts[0].startsWith('eyJ') || opaques[0].startsWith('eyJ')) throw new Error('expected a JWT and an opaque token');

const revoked = [...Array(count).keys()].filter((i) => i % every === 0);
started = performance.now();
await each(revoked, async (i) => {
  const reply = await post('/token/revocation', { token: opaques[i], token_type_hint: 'access_token' });
  if (reply.status !== 200) throw new Error(`revocation answered ${reply.status}: ${reply.text}`);
});
const revokeSeconds = (performance.now() - started) / 1000;
if (await introspect(opaques[0])) throw new Error('a token revoked at the provider is still active there');
if (count > 1 && !(await introspect(opaques[1]))) throw new Error('a live token is not active at the provider');

writeFileSync(jwtFile, jwts.join('\n') + '\n');
writeFileSync(opaqueFile, opaques.join('\n') + '\n');
writeFileSync(revokedFile, revoked.map((i) => jwts[i]).join('\n') + '\n');
agent.destroy();
console.log(`minted=${count} revoked_at_provider=${revoked.length} mint_seconds=${mintSeconds.toFixed(1)} revoke_seconds=${revokeSeconds.toFixed(1)}`);
