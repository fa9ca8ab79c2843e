// Shared by the Node peers of scripts/interop.sh: plain HTTP on loopback (node:http, no
// redirects followed), cases.json, and the output line of each METHOD:PLACEMENT.
'use strict';
const http = require('node:http');
const fs = require('node:fs');

function send(method, url, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: headers || {}, timeout: 10000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Form-encodes pairs (RFC 3986 unreserved kept, UTF-8, %20 for a space).
function formEncode(pairs) {
  const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return pairs.map(([k, v]) => enc(k) + '=' + enc(v)).join('&');
}

// Pairs as the object both Node libraries take: a repeated name becomes an array.
function pairsToObject(pairs) {
  const o = {};
  for (const [k, v] of pairs) {
    if (!(k in o)) o[k] = v;
    else if (Array.isArray(o[k])) o[k].push(v);
    else o[k] = [o[k], v];
  }
  return o;
}

function loadCases(path) { return JSON.parse(fs.readFileSync(path, 'utf8')); }

async function step(steps, name, fn) {
  try {
    await fn();
    steps[name] = 'ok';
    return true;
  } catch (e) {
    steps[name] = String(e && e.message ? e.message : JSON.stringify(e)).slice(0, 500);
    return false;
  }
}

function check(res, status) {
  if (res.status !== (status || 200)) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 300)}`);
  return res;
}

// The status the provider read back from statuses/update.json must be the one sent.
function checkStatus(body, cases) {
  const sent = cases.form.find(([k]) => k === 'status')[1];
  const read = JSON.parse(body).text;
  if (read !== sent) throw new Error(`the provider read status=${JSON.stringify(read)}, sent ${JSON.stringify(sent)}`);
}

// GET the authorize page of an auto-approving provider: its redirect carries the verifier.
async function authorize(base, token) {
  const res = await send('GET', `${base}/oauth/authorize?oauth_token=${encodeURIComponent(token)}`);
  const loc = res.headers.location || '';
  const verifier = new URL(loc, base).searchParams.get('oauth_verifier');
  if (res.status !== 302 || !verifier) throw new Error(`HTTP ${res.status}, Location ${JSON.stringify(loc)}`);
  return verifier;
}

async function main(run) {
  const [base, casesPath, ...combos] = process.argv.slice(2);
  const cases = loadCases(casesPath);
  for (const combo of combos) {
    const [method, placement] = combo.split(':');
    const steps = {};
    try {
      await run(base, cases, method, placement, steps);
    } catch (e) {
      steps.error = String(e && e.stack ? e.stack : e).slice(0, 500);
    }
    process.stdout.write(JSON.stringify({ method, placement, steps }) + '\n');
  }
}

module.exports = { send, formEncode, pairsToObject, loadCases, step, check, checkStatus, authorize, main };
