// The npm package `oauth-1.0a` as a client of `oauth1 serve`:
//   node oauth-1.0a-client.js BASE_URL CASES_JSON METHOD:PLACEMENT...
// oauth-1.0a only computes the protocol parameters (authorize) and the header (toHeader); the
// request is ours to send, so every placement is possible: the parameters go into the header,
// the query or the form body. See ../python/client.py for the steps.
'use strict';
const crypto = require('node:crypto');
const OAuth = require('oauth-1.0a');
const { send, formEncode, pairsToObject, step, check, checkStatus, authorize, main } = require('./common');

const HASH = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };

function client(cases, method, who = cases.client) {
  return OAuth({
    consumer: { key: who.consumer_key, secret: who.consumer_secret },
    signature_method: method,
    hash_function: method === 'PLAINTEXT' ? undefined : (base, key) => crypto.createHmac(HASH[method], key).update(base).digest('base64'),
  });
}

// Signs and sends METHOD url (its query already in it) with form pairs `form` (or none) and
// extra protocol parameters `extra` (oauth_callback, oauth_verifier), placing the protocol
// parameters as asked.
async function signed(oauth, placement, method, url, form, extra, token) {
  const data = pairsToObject([...(form || []), ...Object.entries(extra)]);
  const params = { ...oauth.authorize({ url, method, data }, token), ...extra };
  const headers = {};
  let body = form ? formEncode(form) : undefined;
  // authorize() returns the request's data and query parameters too: only oauth_* are placed.
  const sorted = Object.entries(params).filter(([k]) => k.startsWith('oauth_'));
  if (placement === 'header') Object.assign(headers, oauth.toHeader(params));
  else if (placement === 'query') url += (url.includes('?') ? '&' : '?') + formEncode(sorted);
  else body = [body, formEncode(sorted)].filter((s) => s).join('&');
  if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return send(method, url, headers, body);
}

main(async (base, cases, method, placement, steps) => {
  const oauth = client(cases, method);
  const c = cases.client;
  const tokenReq = (cb) => signed(oauth, placement, 'POST', `${base}/oauth/request_token`, null, { oauth_callback: cb }).then((r) => check(r));
  await step(steps, 'callback', () => tokenReq(c.awkward_callback));
  const a = cases.client_awkward;
  await step(steps, 'secrets', async () => {
    const r = check(await signed(client(cases, method, a), placement, 'POST', `${base}/1.1/statuses/update.json`, [['status', a.status]], {}, { key: a.token, secret: a.token_secret }));
    const read = JSON.parse(r.body).text;
    if (read !== a.status) throw new Error(`the provider read status=${JSON.stringify(read)}, sent ${JSON.stringify(a.status)}`);
  });
  let token, verifier;
  if (!(await step(steps, 'request_token', async () => {
    const q = new URLSearchParams((await tokenReq(c.callback)).body);
    token = { key: q.get('oauth_token'), secret: q.get('oauth_token_secret') };
  }) && await step(steps, 'authorize', async () => { verifier = await authorize(base, token.key); })
    && await step(steps, 'access_token', async () => {
      const r = check(await signed(oauth, placement, 'POST', `${base}/oauth/access_token`, null, { oauth_verifier: verifier }, token));
      const q = new URLSearchParams(r.body);
      token = { key: q.get('oauth_token'), secret: q.get('oauth_token_secret') };
    }))) return;
  if (placement !== 'body') {
    await step(steps, 'get', async () => check(await signed(oauth, placement, 'GET', `${base}/1.1/account/verify_credentials.json?${formEncode(cases.query)}`, null, {}, token)));
  }
  await step(steps, 'post', async () => {
    const r = check(await signed(oauth, placement, 'POST', `${base}/1.1/statuses/update.json`, cases.form, {}, token));
    checkStatus(r.body, cases);
  });
});
