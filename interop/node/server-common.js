// Shared by the Node verifying servers of scripts/interop.sh. Neither Node library can verify
// a request, so each server recomputes the signature with the library's own signing code from
// the protocol parameters received (nonce, timestamp, ...) and compares. This file only takes
// the request apart: the protocol parameters from the Authorization header, the query or the
// form body (RFC 5849 §3.5), and the request's own query and form pairs without them.
'use strict';
const http = require('node:http');
const fs = require('node:fs');

const dec = (s) => decodeURIComponent(s.replace(/\+/g, ' '));
const formPairs = (s) => (s ? s.split('&').filter((x) => x).map((kv) => { const i = kv.indexOf('='); return i < 0 ? [dec(kv), ''] : [dec(kv.slice(0, i)), dec(kv.slice(i + 1))]; }) : []);

function parseRequest(req, body) {
  const [path, query = ''] = req.url.split(/\?(.*)/s);
  const isForm = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] || '');
  const oauth = {};
  const auth = req.headers.authorization || '';
  if (/^OAuth /i.test(auth)) {
    for (const m of auth.slice(6).matchAll(/([^\s=,]+)="([^"]*)"/g)) if (m[1] !== 'realm') oauth[decodeURIComponent(m[1])] = decodeURIComponent(m[2]);
  }
  const take = (pairs) => pairs.filter(([k, v]) => (k.startsWith('oauth_') ? ((oauth[k] = v), false) : true));
  const queryPairs = take(formPairs(query));
  const bodyPairs = isForm ? take(formPairs(body)) : [];
  const signature = oauth.oauth_signature;
  delete oauth.oauth_signature;
  return { method: req.method, path, queryPairs, bodyPairs, oauth, signature, isForm };
}

// Serves until killed: `verify(parsed, secrets) -> {ok, base}` decides each request.
function serve(verify) {
  const [port, casesPath, , privPath] = process.argv.slice(2);
  const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8'));
  const creds = [cases.server, cases.server_awkward];
  const privateKey = fs.readFileSync(privPath, 'utf8');
  http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let status = 401;
      let text;
      try {
        const r = parseRequest(req, Buffer.concat(chunks).toString('utf8'));
        const s = creds.find((c) => c.consumer_key === r.oauth.oauth_consumer_key && c.token === r.oauth.oauth_token);
        if (!s) throw new Error('unknown consumer or token');
        const { ok, base } = verify(r, { ...s, privateKey, host: req.headers.host });
        status = ok ? 200 : 401;
        text = ok ? 'verified\n' : `signature mismatch\nbase string: ${base}\n`;
      } catch (e) {
        text = `error: ${e.message}\n`;
      }
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text);
    });
  }).listen(Number(port), '127.0.0.1');
}

module.exports = { parseRequest, serve };
