// The npm package `oauth` (node-oauth, under passport-oauth1 and passport-twitter) as a client
// of `oauth1 serve`: node oauth-client.js BASE_URL CASES_JSON METHOD:header...
// It signs in the Authorization header only. Version "1.0", as passport-oauth1 passes it (node-oauth
// sends the version string it is given as oauth_version; "1.0A" is refused by providers that check it). See ../python/client.py for the steps.
// RSA-SHA1: node-oauth takes the private key (PEM, from the file INTEROP_RSA_KEY) as the consumer secret.
'use strict';
const fs = require('node:fs');
const { OAuth } = require('oauth');
const { formEncode, pairsToObject, step, checkStatus, authorize, main } = require('./common');

function promised(fn) {
  return new Promise((resolve, reject) => fn((err, ...rest) => (err ? reject(new Error(`HTTP ${err.statusCode}: ${err.data}`)) : resolve(rest))));
}

main(async (base, cases, method, placement, steps) => {
  if (placement !== 'header') throw new Error('node oauth signs in the header only');
  const c = cases.client;
  const consumerSecret = (s) => (method === 'RSA-SHA1' ? fs.readFileSync(process.env.INTEROP_RSA_KEY, 'utf8') : s);
  const make = (cb, who = c) => new OAuth(`${base}/oauth/request_token`, `${base}/oauth/access_token`, who.consumer_key, consumerSecret(who.consumer_secret), '1.0', cb, method);
  await step(steps, 'callback', () => promised((k) => make(c.awkward_callback).getOAuthRequestToken(k)));
  const a = cases.client_awkward;
  await step(steps, 'secrets', async () => {
    const [body] = await promised((k) => make(null, a).post(`${base}/1.1/statuses/update.json`, a.token, a.token_secret, { status: a.status }, 'application/x-www-form-urlencoded', k));
    const read = JSON.parse(body).text;
    if (read !== a.status) throw new Error(`the provider read status=${JSON.stringify(read)}, sent ${JSON.stringify(a.status)}`);
  });
  const oa = make(c.callback);
  let token, secret, verifier;
  if (!(await step(steps, 'request_token', async () => { [token, secret] = await promised((k) => oa.getOAuthRequestToken(k)); })
    && await step(steps, 'authorize', async () => { verifier = await authorize(base, token); })
    && await step(steps, 'access_token', async () => { [token, secret] = await promised((k) => oa.getOAuthAccessToken(token, secret, verifier, k)); }))) return;
  await step(steps, 'get', () => promised((k) => oa.get(`${base}/1.1/account/verify_credentials.json?${formEncode(cases.query)}`, token, secret, k)));
  await step(steps, 'post', async () => {
    const [body] = await promised((k) => oa.post(`${base}/1.1/statuses/update.json`, token, secret, pairsToObject(cases.form), 'application/x-www-form-urlencoded', k));
    checkStatus(body, cases);
  });
});
