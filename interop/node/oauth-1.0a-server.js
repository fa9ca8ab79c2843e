// A server that checks signatures with the npm package `oauth-1.0a`: OAuth#getSignature over
// the received request (its query in the URL, its form pairs as `data`) and the received
// protocol parameters, compared with the signature sent.
//   node oauth-1.0a-server.js PORT CASES_JSON RSA_PUBLIC_PEM RSA_PRIVATE_PEM
'use strict';
const crypto = require('node:crypto');
const OAuth = require('oauth-1.0a');
const { serve } = require('./server-common');
const { pairsToObject } = require('./common');

const HASH = { 'HMAC-SHA1': 'sha1', 'HMAC-SHA256': 'sha256', 'HMAC-SHA512': 'sha512' };

serve((r, s) => {
  const method = r.oauth.oauth_signature_method;
  const oauth = OAuth({
    consumer: { key: s.consumer_key, secret: s.consumer_secret },
    signature_method: method,
    hash_function: method === 'PLAINTEXT' ? undefined : (b, key) => crypto.createHmac(HASH[method], key).update(b).digest('base64'),
  });
  const query = r.queryPairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const request = { url: `http://${s.host}${r.path}${query ? '?' + query : ''}`, method: r.method, data: pairsToObject(r.bodyPairs) };
  const sig = oauth.getSignature(request, s.token_secret, r.oauth);
  return { ok: sig === r.signature, base: oauth.getBaseString(request, r.oauth) };
});
