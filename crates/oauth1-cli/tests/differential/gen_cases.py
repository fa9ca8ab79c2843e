#!/usr/bin/env python3
"""Deterministic generator of sign-batch input objects for the differential test.

    gen_cases.py --seed 1 --count 3000 > cases.jsonl

Covers: unicode (multi-byte and astral) and every printable ASCII character in names, values and
secrets; duplicate names; empty names and values; `+`, `%2B`, `%20` and lower-case escapes in
queries and form bodies; default and other ports; upper-case schemes and hosts; fragments; query
and form body together; JSON bodies with and without body hash; every signature method; every
placement; realm, callback, verifier, token present or absent; oauth_version on or off.

It leaves out the inputs on which oauthlib knowingly departs from RFC 5849 (see
docs/interop.md); those live in departures.jsonl and are tested one by one.
"""
import argparse
import json
import os
import random
import string
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]
UNICODE = ["é", "ß", "ж", "中文", "☃", "€", "𝌆", "😀", "ﬁ", "\u00a0", "Ā", "ｱ"]


def enc(text):
    """RFC 5849 §3.6 percent-encoding."""
    return quote(text, safe="~")


def word(r, n=None):
    return "".join(r.choice(string.ascii_letters + string.digits) for _ in range(n or r.randint(1, 10)))


def text(r):
    kind = r.randrange(7)
    if kind == 0:
        return word(r)
    if kind == 1:
        return "".join(r.choice(PRINTABLE) for _ in range(r.randint(1, 12)))
    if kind == 2:
        return "".join(r.choice(UNICODE + list("ab +&=%")) for _ in range(r.randint(1, 6)))
    if kind == 3:
        return ""
    if kind == 4:
        return r.choice(["a b", "a+b", "=", "&", "%", "%25", "~-._", "!*'()", "r b", "2 q", "\t", "a\nb"])
    if kind == 5:
        return word(r) + r.choice(UNICODE) + r.choice(PRINTABLE)
    return str(r.randint(0, 10**6))


def name(r):
    while True:
        n = text(r) if r.random() < 0.6 else word(r)
        if not n.startswith("oauth_"):
            return n


def encode_pairs(r, pairs):
    """Encodes pairs as a client might: RFC encoding, sometimes `+` for spaces, lower-case hex,
    or sub-delimiters left raw where a query allows them."""
    out = []
    style = r.randrange(4)
    for n, v in pairs:
        if style == 1:
            en, ev = quote(n, safe="~").replace("%20", "+"), quote(v, safe="~").replace("%20", "+")
        elif style == 2:  # lower-case hex digits in the escapes
            en = "%".join(s[:2].lower() + s[2:] if i else s for i, s in enumerate(enc(n).split("%")))
            ev = "%".join(s[:2].lower() + s[2:] if i else s for i, s in enumerate(enc(v).split("%")))
        elif style == 3:
            en, ev = quote(n, safe="~!$'()*,;:@/?"), quote(v, safe="~!$'()*,;:@/?")
        else:
            en, ev = enc(n), enc(v)
        out.append(en if (r.random() < 0.05 and v == "") else f"{en}={ev}")
    return "&".join(out)


def pairs(r, at_least=0):
    ps = [(name(r), text(r)) for _ in range(r.randint(at_least, 5))]
    if ps and r.random() < 0.3:
        ps.append((ps[0][0], text(r)))  # duplicate name
    if ps and r.random() < 0.2:
        ps.append(ps[0])  # duplicate pair
    return ps


def url(r):
    scheme = r.choice(["http", "https", "HTTP", "HTTPS", "Https"])
    host = r.choice(["example.com", "EXAMPLE.COM", "Api.X.com", "photos.example.net", "127.0.0.1", "[::1]", "a-b.example"])
    low = scheme.lower()
    port = r.choice([None, None, None, 80, 443, 8080, 1, 65535])
    if port == 80 and r.random() < 0.5:
        scheme = r.choice(["http", "HTTP"])
    netloc = host + (f":{port}" if port else "")
    segs = []
    for _ in range(r.randint(0, 4)):
        seg = r.choice([
            word(r), "1.1", "statuses", "update.json", "a;b=c", "r%20v", "%7Euser", "%2f", "x@y", "~", "!$&'()*+,=:",
            enc(r.choice(UNICODE)),
        ])
        segs.append(seg)
    path = ("/" + "/".join(segs)) if segs or r.random() < 0.7 else ""
    if path and r.random() < 0.1:
        path += "/"
    del low
    return f"{scheme}://{netloc}{path}"


def case(r, i, rsa_key):
    method = r.choice(["GET", "POST", "POST", "PUT", "DELETE", "post", "PATCH"])
    base = url(r)
    q = pairs(r)
    full = base + ("?" + encode_pairs(r, q) if q or r.random() < 0.05 else "")
    if r.random() < 0.15:
        full += "#" + r.choice(["frag", "a=b", "x?y", ""])
    body, content_type, body_hash = None, None, False
    form_allowed = method.upper() not in ("GET", "HEAD")
    kind = r.randrange(5)
    if kind in (0, 1) and form_allowed:
        body = encode_pairs(r, pairs(r, at_least=1))
        content_type = "application/x-www-form-urlencoded"
    elif kind == 2 and form_allowed:
        body = json.dumps({"text": text(r), "n": r.randint(0, 9)}, ensure_ascii=r.random() < 0.5)
        content_type = "application/json"
        body_hash = r.random() < 0.5
    placement = r.choice(["header", "header", "query", "body"])
    if placement == "body" and content_type not in (None, "application/x-www-form-urlencoded"):
        placement = "header"
    if placement == "body" and not form_allowed:
        placement = "query"
    sig = r.choice(["HMAC-SHA1", "HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT", "RSA-SHA1", "RSA-SHA256"])
    token = None if r.random() < 0.3 else r.choice([word(r, 20), text(r) or "t"])
    c = {
        "id": i,
        "method": method,
        "url": full,
        "body": body,
        "content_type": content_type,
        "consumer_key": r.choice([word(r, 22), text(r) or "ck"]),
        "consumer_secret": text(r),
        "token": token,
        "token_secret": None if token is None else r.choice([None, "", text(r)]),
        "signature_method": sig,
        "rsa_private_key": rsa_key if sig.startswith("RSA") else None,
        "placement": placement,
        "realm": r.choice([None, None, "Example", "photos", "http://sp.example.com/"]),
        "callback": r.choice([None, None, "oob", "http://printer.example.com/ready?x=1&y=a b", "https://cb.example/" + enc(text(r))]),
        "verifier": r.choice([None, None, word(r, 16), text(r) or "v"]),
        "nonce": r.choice([word(r, 32), word(r, 8), text(r) or "n"]),
        "timestamp": str(r.choice([0, 1, 137131201, 1318622958, r.randint(0, 4_000_000_000)])),
        "version": r.random() < 0.7,
        "body_hash": body_hash,
    }
    if r.random() < 0.1:
        # oauthlib keeps only oauth_* names in a header (departure "header-drops-xoauth").
        extra = "oauth_session_handle" if placement == "header" else "xoauth_requestor_id"
        c["extra_oauth_params"] = [[extra, text(r) or "x"]]
    if placement in ("query", "body"):
        # oauthlib decodes oauth_* values from the query and body twice (departure
        # "double-decode"): keep `%` out of them here; departures.jsonl covers it.
        for key in ("consumer_key", "token", "callback", "verifier", "nonce"):
            if c[key]:
                c[key] = c[key].replace("%", "pct")
        for pair in c.get("extra_oauth_params", []):
            pair[1] = pair[1].replace("%", "pct")
    return c


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=3000)
    args = ap.parse_args()
    with open(os.path.join(HERE, "test_rsa_key.pem")) as f:
        rsa_key = f.read()
    r = random.Random(args.seed)
    for i in range(args.count):
        print(json.dumps(case(r, i, rsa_key), ensure_ascii=False))


if __name__ == "__main__":
    main()
