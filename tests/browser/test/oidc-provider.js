'use strict';
// A small OpenID Connect provider on loopback for the agents' console, in node (the browser suite's counterpart of
// tests/AriaBot.Tests/Handoff/StandInOpenIdProvider.cs): discovery, JWKS with a real RSA key, an authorize endpoint that
// "signs in" `nextUser` and answers with a form_post page, a token endpoint that checks the client secret, the code, the
// redirect URI and PKCE before issuing an RS256 id token (nonce, role claim), and an end_session endpoint that records
// each request and sends the browser back to the post_logout_redirect_uri with the state.
//
//   const provider = await startOidcProvider();
//   provider.nextUser = { sub: 'agent-robin', name: 'Robin Agent', roles: ['handoff-agent'] };
//   …provider.issuer, provider.endSessions, provider.idTokens…
//   await provider.stop();

const crypto = require('node:crypto');
const http = require('node:http');

const CLIENT_ID = 'ariabot-console';
const CLIENT_SECRET = 'console-client-secret-0123456789abcdef';
const KEY_ID = 'browser-suite-key-1';

const html = text => String(text).replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
const base64url = value => Buffer.from(value).toString('base64url');

async function readForm(request) {
  let body = '';
  for await (const chunk of request) body += chunk;
  return new URLSearchParams(body);
}

async function startOidcProvider() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const grants = new Map();
  const provider = {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    nextUser: { sub: 'agent-robin', name: 'Robin Agent', roles: ['handoff-agent'] },
    /** The query of each request to the end_session endpoint. */
    endSessions: [],
    /** Every id token issued, in order. */
    idTokens: [],
    tokenRequests: 0,
  };

  const sign = payload => {
    const data = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: KEY_ID }))}.${base64url(JSON.stringify(payload))}`;
    return `${data}.${crypto.sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
  };

  const json = (response, status, body) => {
    response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    response.end(JSON.stringify(body));
  };

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url, provider.issuer);
    try {
      if (request.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        return json(response, 200, {
          issuer: provider.issuer,
          authorization_endpoint: `${provider.issuer}/authorize`,
          token_endpoint: `${provider.issuer}/token`,
          jwks_uri: `${provider.issuer}/jwks`,
          end_session_endpoint: `${provider.issuer}/end-session`,
          response_types_supported: ['code'],
          response_modes_supported: ['query', 'form_post'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        });
      }
      if (request.method === 'GET' && url.pathname === '/jwks') {
        const { kty, n, e } = publicKey.export({ format: 'jwk' });
        return json(response, 200, { keys: [{ kty, n, e, kid: KEY_ID, use: 'sig', alg: 'RS256' }] });
      }
      if (request.method === 'GET' && url.pathname === '/authorize') {
        const q = url.searchParams;
        if (q.get('client_id') !== CLIENT_ID || q.get('response_type') !== 'code' || !q.get('redirect_uri')) {
          return json(response, 400, { error: 'unauthorized_client' });
        }
        const code = crypto.randomBytes(16).toString('hex');
        grants.set(code, { redirectUri: q.get('redirect_uri'), nonce: q.get('nonce'), challenge: q.get('code_challenge'), user: provider.nextUser });
        // response_mode=form_post: the provider's own page posts the code back to the client (its script, its page).
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
        return response.end(`<!doctype html><html><body onload="document.forms[0].submit()"><form method="post" action="${html(q.get('redirect_uri'))}">`
          + `<input type="hidden" name="code" value="${code}"><input type="hidden" name="state" value="${html(q.get('state') ?? '')}">`
          + '<noscript><button type="submit">Continue</button></noscript></form></body></html>');
      }
      if (request.method === 'POST' && url.pathname === '/token') {
        provider.tokenRequests += 1;
        const form = await readForm(request);
        let [clientId, secret] = [form.get('client_id'), form.get('client_secret')];
        const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
        if (basic) [clientId, secret] = Buffer.from(basic[1], 'base64').toString().split(':').map(decodeURIComponent);
        if (clientId !== CLIENT_ID || secret !== CLIENT_SECRET) return json(response, 401, { error: 'invalid_client' });
        const grant = grants.get(form.get('code'));
        grants.delete(form.get('code'));
        if (form.get('grant_type') !== 'authorization_code' || !grant || grant.redirectUri !== form.get('redirect_uri')) {
          return json(response, 400, { error: 'invalid_grant' });
        }
        const challenge = crypto.createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
        if (!grant.challenge || challenge !== grant.challenge) return json(response, 400, { error: 'invalid_grant', error_description: 'PKCE' });
        const now = Math.floor(Date.now() / 1000);
        const idToken = sign({
          iss: provider.issuer, aud: CLIENT_ID, iat: now, nbf: now, exp: now + 3600,
          sub: grant.user.sub, name: grant.user.name, roles: grant.user.roles, nonce: grant.nonce ?? '',
        });
        provider.idTokens.push(idToken);
        return json(response, 200, { access_token: crypto.randomBytes(24).toString('hex'), token_type: 'Bearer', expires_in: 3600, id_token: idToken });
      }
      if (request.method === 'GET' && url.pathname === '/end-session') {
        const query = Object.fromEntries(url.searchParams);
        provider.endSessions.push(query);
        if (query.post_logout_redirect_uri) {
          const back = new URL(query.post_logout_redirect_uri);
          if (query.state) back.searchParams.set('state', query.state);
          response.writeHead(302, { Location: back.href });
          return response.end();
        }
        response.writeHead(200, { 'Content-Type': 'text/plain' });
        return response.end('signed out');
      }
      // The browser asks every origin for a favicon; a 404 would show in the page's console.
      response.writeHead(url.pathname === '/favicon.ico' ? 204 : 404);
      response.end();
    } catch (error) {
      response.writeHead(500);
      response.end(String(error));
    }
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  provider.issuer = `http://127.0.0.1:${server.address().port}`;
  provider.stop = () => new Promise(resolve => { server.closeAllConnections(); server.close(() => resolve()); });
  return provider;
}

module.exports = { startOidcProvider };
