// A server that checks signatures with the npm package `oauth` (node-oauth): it signs the
// received request again through OAuth#_prepareParameters, the path of every node-oauth
// request, with the received nonce and timestamp, and compares.
//   node oauth-server.js PORT CASES_JSON RSA_PUBLIC_PEM RSA_PRIVATE_PEM
'use strict';
const { OAuth } = require('oauth');
const { serve } = require('./server-common');

serve((r, s) => {
  const method = r.oauth.oauth_signature_method;
  const oa = new OAuth(null, null, s.consumer_key, method === 'RSA-SHA1' ? s.privateKey : s.consumer_secret, r.oauth.oauth_version, null, method);
  oa._getTimestamp = () => r.oauth.oauth_timestamp;
  oa._getNonce = () => r.oauth.oauth_nonce;
  let base = '?';
  const create = oa._createSignatureBase.bind(oa);
  oa._createSignatureBase = (...args) => (base = create(...args));
  // node-oauth's post() passes a form body as an object, a repeated name as an array.
  const extra = {};
  for (const [k, v] of r.bodyPairs) extra[k] = k in extra ? [].concat(extra[k], v) : v;
  const query = r.queryPairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const url = `http://${s.host}${r.path}${query ? '?' + query : ''}`;
  const params = oa._prepareParameters(r.oauth.oauth_token, s.token_secret, r.method, url, r.bodyPairs.length ? extra : undefined);
  const sig = params.find(([k]) => k === 'oauth_signature')[1];
  return { ok: sig === r.signature, base };
});
