#!/usr/bin/env python3
"""Deterministic generator of sign-batch input objects (shared/spec/sign-batch.md) for the
differential test against oauthlib.

    gen_cases.py --seed 20261124 --count 3000 > cases.jsonl   # valid requests
    gen_cases.py --invalid > invalid.jsonl                      # malformed ones, expect_error

Output: one JSON object a line, each with a unique string `id`. The same arguments always give
the same bytes (a private random.Random(seed); no clock, no environment).

Valid cases: first a fixed coverage list (so that every feature below is present whatever the
seed), then seeded random cases up to --count. Every valid case is one a correct signer must sign
without error: URLs and form bodies are well percent-encoded (RFC 3986 query characters only),
values decode to UTF-8 text -- except the cases flagged `"octets": true`, whose query or body
carries escapes that are not UTF-8 (`%FF`, overlong, surrogate, truncated sequences): legal
octets per RFC 5849 §3.6 (shared/PITFALLS.md #12), left in so that the comparison sees what
oauthlib does with them.

Coverage: every printable ASCII character and the C0 controls and DEL in parameter names and
values (query, form body and protocol values); multi-byte and astral-plane characters in names,
values, path and secrets; duplicate names and duplicate pairs; empty names and empty values;
`+`, `%2B`, `%20` and lower-case escapes in queries and bodies; sub-delimiters left raw in the
query; default ports (80/443, to be dropped) and others; upper-case schemes and hosts; fragments;
query and form body together; form content types with parameters (`; charset=utf-8`) and in
upper case; empty bodies; JSON bodies (and no content type) with and without body hash; paths
with `%20`, `;`, `%` escapes and percent-encoded UTF-8; every signature method (HMAC-SHA1/256/512,
PLAINTEXT, RSA-SHA1/256 with test_rsa_key.pem); every placement (body only with form or empty
bodies); realm present/absent; callback and verifier present/absent; no token, token with empty
or non-empty secret; oauth_version on and off; extra oauth_*/xoauth_* protocol parameters.

A small share of cases fall under documented departures of oauthlib from RFC 5849
(docs/interop.md): the differential test recognises them from their inputs and counts them
instead of comparing them strictly. They are generated on purpose, so that the classifier is
exercised and a change in oauthlib shows.
"""
import argparse
import json
import os
import random
import string
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
FORM = "application/x-www-form-urlencoded"
PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]
CONTROLS = [chr(c) for c in range(0x00, 0x20)] + ["\x7f"]
# Multi-byte (2, 3 and 4 octets in UTF-8), astral plane, combining, NBSP, BOM, fullwidth.
UNICODE = ["é", "ß", "ж", "中文", "☃", "€", "𝌆", "😀", "ﬁ", "\u00a0", "Ā", "ｱ", "e\u0301", "\ufeff",
           "\U0010fffd", "ॐ"]
# Escapes that are not UTF-8: lone continuation, invalid lead, overlong, surrogate, truncated.
OCTETS = ["%FF", "%fe", "%80", "%C0%AF", "%ED%A0%80", "%E2%82", "%F0%9F%98", "%C3"]
SIGNATURE_METHODS = ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT", "RSA-SHA1", "RSA-SHA256"]
# Characters a URL query may carry unescaped besides the unreserved ones (RFC 3986 §3.4), minus
# `&`, `=` and `+`, which are form syntax, and `#`, which would end the query.
QUERY_RAW = "!$'()*,;:@/?"


def enc(text):
    """RFC 5849 §3.6 percent-encoding (UTF-8, unreserved characters kept)."""
    return quote(text, safe="~")


def read_key():
    """The test key, without the explanatory text before the PEM block."""
    with open(os.path.join(HERE, "test_rsa_key.pem")) as f:
        text = f.read()
    return text[text.index("-----BEGIN"):]


def base_case(i, key):
    return {
        "id": i,
        "method": "POST",
        "url": "https://api.example.com/1/resource",
        "body": None,
        "content_type": None,
        "consumer_key": "dpf43f3p2l4k3l03",
        "consumer_secret": "kd94hf93k423kf44",
        "token": "nnch734d00sl2jdk",
        "token_secret": "pfkkdhi9sl3r4s00",
        "signature_method": "HMAC-SHA1",
        "rsa_private_key": None,
        "placement": "header",
        "realm": None,
        "callback": None,
        "verifier": None,
        "nonce": "kllo9940pd9333jh",
        "timestamp": "1191242096",
        "version": True,
        "body_hash": False,
    }


def with_method(c, method, key):
    c["signature_method"] = method
    c["rsa_private_key"] = key if method.startswith("RSA") else None
    return c


# ---- fixed coverage ------------------------------------------------------------------------

def coverage(key):
    out = []

    def add(suffix, **fields):
        c = base_case("cov-%s" % suffix, key)
        method = fields.pop("signature_method", None)
        c.update(fields)
        if method:
            with_method(c, method, key)
        out.append(c)

    placements = ["header", "query", "body"]
    # Every printable ASCII character and every control, in a name and a value of the query and
    # of the form body, and in the protocol values (they travel encoded in every placement).
    for n, ch in enumerate(PRINTABLE + CONTROLS):
        tag = "char-%02x" % ord(ch)
        name, value = "n" + ch, ch + "v" + ch
        add(tag,
            url="https://api.example.com/c?%s=%s&plain=1" % (enc(name), enc(value)),
            body="%s=%s" % (enc(name), enc(value)), content_type=FORM,
            placement=placements[n % 3],
            signature_method=SIGNATURE_METHODS[n % len(SIGNATURE_METHODS)],
            consumer_key="ck" + ch, consumer_secret="cs" + ch, token="t" + ch, token_secret="ts" + ch,
            callback="http://cb.example/" + ch if ch != "%" else None,
            verifier="v" + ch if ch != "%" else "v",
            nonce="n" + ch if ch != "%" else "n", version=n % 2 == 0)
    for n, u in enumerate(UNICODE):
        add("unicode-%d" % n,
            url="https://api.example.com/%s/p?%s=%s" % (enc(u), enc("k" + u), enc(u + "v")),
            body="%s=%s&x=%s" % (enc(u), enc(u), enc(u * 2)), content_type=FORM,
            placement=placements[n % 3], signature_method=SIGNATURE_METHODS[n % len(SIGNATURE_METHODS)],
            consumer_key="ck" + u, consumer_secret=u + "cs", token="tok" + u, token_secret=u,
            callback="https://cb.example/" + u, verifier=u, nonce="n" + u,
            realm="Photos")
    # Every method x placement x options.
    n = 0
    for method in SIGNATURE_METHODS:
        for placement in placements:
            for realm, callback, verifier, token, version in [
                    (None, None, None, None, True), ("Example", "oob", "hfdp7dh39dks9884", "tok", False),
                    ("http://sp.example.com/", "http://printer.example.com/ready", None, "tok", True),
                    (None, None, "v3r", None, False)]:
                n += 1
                add("combo-%d" % n, signature_method=method, placement=placement, realm=realm,
                    callback=callback, verifier=verifier, token=token,
                    token_secret=None if token is None else ("" if n % 2 else "secret"),
                    version=version, url="https://api.example.com/combo?a=1&b=2",
                    body="c=3&d=4" if placement != "query" else None,
                    content_type=FORM if placement != "query" else None)
    # URLs: ports, case, fragments, paths.
    urls = [
        "http://example.com:80/p", "https://example.com:443/p", "HTTP://EXAMPLE.COM:80/P",
        "HTTPS://Example.Com:443/", "http://example.com:443/p", "https://example.com:80/p",
        "http://example.com:8080/p", "https://example.com:8443", "http://example.com:1/",
        "https://example.com:65535/x", "http://127.0.0.1:80/ip", "http://[2001:db8::1]:8080/v6",
        "http://example.com", "http://example.com/", "http://example.com/a/", "http://Example.COM/MiXeD/Case",
        "https://example.com/p#frag", "https://example.com/p?a=1#frag", "https://example.com/p?a=1#x?y=2&z",
        "https://example.com/#", "https://example.com/r%20v/X?id=123", "https://example.com/a;b=c/d;e",
        "https://example.com/a;b", "https://example.com/%7Euser/%7euser", "https://example.com/%2F%2f/%25",
        "https://example.com/caf%C3%A9/%F0%9F%98%80", "https://example.com/!$&'()*+,=:@~",
        "https://example.com/a/../b/./c", "https://example.com/a+b", "https://user:pw@example.com/u",
        "https://example.com/%E4%B8%AD%E6%96%87?%E4%B8%AD=%E6%96%87",
    ]
    for n, u in enumerate(urls):
        add("url-%d" % n, url=u, placement=placements[n % 3], method=["GET", "POST", "PUT"][n % 3],
            body=None if n % 3 != 2 else "", content_type=None if n % 3 != 2 else FORM)
    # Queries and bodies: plus, escaped plus, escaped space, empty names/values, duplicates.
    forms = [
        "a+b=c+d", "a%2Bb=%2B", "a%20b=%20", "a=1+%2B+%20", "c2", "=", "=x", "a=", "a==", "a=b=c",
        "a=1&&b=2&", "&a=1", "a=2&a=1&a=1&A=0", "a=-&a=%2F", "a&a1=", "b5=%3D%253D&a3=a&c%40=&a2=r%20b",
        "x%21y=a&x=a", "a=x!y&a=x+y", "%61=%62", "%e2%98%83=%E2%98%83", "k=" + QUERY_RAW,
        "oauth_extra=plain", "xoauth_foo=bar", "realm=inquery", "a=%25", "a=%2525", "~-._=~-._",
    ]
    for n, f in enumerate(forms):
        add("query-%d" % n, url="https://example.com/q?" + f, method="GET" if n % 3 != 2 else "POST",
            placement=placements[n % 3],
            body="" if n % 3 == 2 else None, content_type=FORM if n % 3 == 2 else None)
        add("form-%d" % n, url="https://example.com/f?q=1", body=f, content_type=FORM,
            placement=placements[n % 3])
    # Query and form body together, with the same names.
    add("query-and-body", url="https://example.com/both?a=1&b=2", body="a=3&b=2&c=", content_type=FORM)
    # Content types and bodies.
    bodies = [
        ("a=1", FORM + "; charset=utf-8", "header"), ("a=1&b=%C3%A9", FORM + ";charset=UTF-8", "query"),
        ("a=1", "Application/X-WWW-Form-URLEncoded", "body"), ("a=1", FORM + " ; charset=utf-8", "body"),
        ("", FORM, "body"), ("", FORM, "header"), (None, None, "body"), (None, FORM, "body"),
        ('{"a": 1, "b": "c d"}', "application/json", "header"), ('{"a":"é😀"}', "application/json", "query"),
        ('{"a": 1}', None, "header"), ("", "application/json", "header"), ("", None, "query"),
        ("plain text body", "text/plain", "header"), ("<x a=\"1\"/>", "application/xml; charset=utf-8", "query"),
    ]
    for n, (body, ct, placement) in enumerate(bodies):
        for body_hash in (False, True):
            if body_hash and ct is not None and ct.lower().startswith(FORM):
                continue  # the extension forbids a body hash on a form body
            add("body-%d-%s" % (n, "hash" if body_hash else "nohash"), body=body, content_type=ct,
                placement=placement, body_hash=body_hash)
    add("nobody-hash", method="GET", body=None, content_type=None, body_hash=True)
    # Extra protocol parameters.
    add("extra-query", placement="query", extra_oauth_params=[["xoauth_requestor_id", "alice@example.com"]])
    add("extra-body", placement="body", body="a=1", content_type=FORM,
        extra_oauth_params=[["oauth_session_handle", "h 1"], ["xoauth_x", "é"]])
    add("extra-header", placement="header", extra_oauth_params=[["oauth_session_handle", "h+1"]])
    # Octets that are not UTF-8 (flagged; see the module docs).
    for n, o in enumerate(OCTETS):
        add("octets-%d" % n, url="https://example.com/o?a=%s&%sn=1" % (o, o), body="b=%s" % o,
            content_type=FORM, placement=placements[n % 3], octets=True)
    # Departure classes, a few of each (docs/interop.md).
    add("dep-double-decode-query", placement="query", callback="http://cb.example/?a=%41")
    add("dep-double-decode-body", placement="body", body="", content_type=FORM, verifier="a%2Bb")
    add("dep-double-decode-user", url="https://example.com/p?oauth_x=%2541")
    add("dep-xoauth-header", extra_oauth_params=[["xoauth_requestor_id", "alice"]])
    add("dep-empty-token", token="", token_secret="")
    add("dep-empty-callback", callback="")
    add("dep-empty-verifier", verifier="", placement="query")
    add("dep-empty-realm", realm="")
    add("dep-realm-quote", realm='a"b\\c')
    add("dep-get-form", method="GET", body="a=1", content_type=FORM)
    add("dep-head-empty-form", method="HEAD", body="", content_type=FORM, placement="body")
    add("dep-trailing-semicolon", url="https://example.com/p;?a=1", placement="query")
    return out


# ---- seeded random cases -------------------------------------------------------------------

def word(r, n=None):
    return "".join(r.choice(string.ascii_letters + string.digits) for _ in range(n or r.randint(1, 10)))


def text(r):
    kind = r.randrange(8)
    if kind == 0:
        return word(r)
    if kind == 1:
        return "".join(r.choice(PRINTABLE) for _ in range(r.randint(1, 12)))
    if kind == 2:
        return "".join(r.choice(UNICODE + list("ab +&=%")) for _ in range(r.randint(1, 6)))
    if kind == 3:
        return ""
    if kind == 4:
        return r.choice(["a b", "a+b", "=", "&", "%", "%25", "%2B", "~-._", "!*'()", "r b", "2 q", "\t",
                         "a\nb", "\x00", "\x7f", "\r\n", ";", "#", "?", "/"])
    if kind == 5:
        return word(r) + r.choice(UNICODE) + r.choice(PRINTABLE)
    if kind == 6:
        return "".join(r.choice(PRINTABLE + CONTROLS) for _ in range(r.randint(1, 6)))
    return str(r.randint(0, 10**6))


def name(r):
    while True:
        n = text(r) if r.random() < 0.6 else word(r)
        if not n.startswith("oauth_"):
            return n


def hex_lower(encoded):
    parts = encoded.split("%")
    return parts[0] + "".join("%" + p[:2].lower() + p[2:] for p in parts[1:])


def encode_pairs(r, pairs):
    """Encodes pairs as some client would: RFC 3986 style, `+` for spaces, lower-case hex, or
    with the query's sub-delimiters left raw."""
    out = []
    style = r.randrange(4)
    for n, v in pairs:
        if style == 1:
            en, ev = enc(n).replace("%20", "+"), enc(v).replace("%20", "+")
        elif style == 2:
            en, ev = hex_lower(enc(n)), hex_lower(enc(v))
        elif style == 3:
            en, ev = quote(n, safe="~" + QUERY_RAW), quote(v, safe="~" + QUERY_RAW)
        else:
            en, ev = enc(n), enc(v)
        out.append(en if (v == "" and r.random() < 0.3) else "%s=%s" % (en, ev))
    return "&".join(out)


def pairs(r, at_least=0):
    ps = [(name(r), text(r)) for _ in range(r.randint(at_least, 5))]
    if ps and r.random() < 0.3:
        ps.append((ps[0][0], text(r)))  # duplicate name
    if ps and r.random() < 0.2:
        ps.append(ps[0])  # duplicate pair
    r.shuffle(ps)
    return ps


def random_url(r):
    scheme = r.choice(["http", "https", "HTTP", "HTTPS", "Https"])
    host = r.choice(["example.com", "EXAMPLE.COM", "Api.X.com", "photos.example.net", "127.0.0.1", "[::1]",
                     "a-b.example", "xn--caf-dma.example"])
    port = r.choice([None, None, None, 80, 443, 8080, 1, 65535])
    netloc = host + (":%d" % port if port else "")
    segs = []
    for _ in range(r.randint(0, 4)):
        segs.append(r.choice([
            word(r), "1.1", "statuses", "update.json", "a;b=c", "r%20v", "%7Euser", "%7euser", "%2f", "x@y",
            "~", "!$&'()*+,=:", "%25", enc(r.choice(UNICODE)), enc(text(r)),
        ]))
    path = ("/" + "/".join(segs)) if segs or r.random() < 0.7 else ""
    if path and r.random() < 0.1:
        path += "/"
    return "%s://%s%s" % (scheme, netloc, path)


def protocol_value(r, value, placement):
    """oauthlib decodes oauth_* values from the query and body a second time (departure
    `double-decode`): mostly keep `%` out of them there, sometimes not."""
    if value and placement != "header" and r.random() < 0.9:
        return value.replace("%", "pct")
    return value


def random_case(r, i, key):
    method = r.choice(["GET", "POST", "POST", "PUT", "DELETE", "post", "PATCH", "HEAD"])
    q = pairs(r)
    url = random_url(r) + ("?" + encode_pairs(r, q) if q or r.random() < 0.05 else "")
    if r.random() < 0.15:
        url += "#" + r.choice(["frag", "a=b", "x?y", "", "%20"])
    octets = False
    if r.random() < 0.02:
        url += ("&" if "?" in url.split("#")[0] else "?") + "o=" + r.choice(OCTETS)
        url = url.split("#")[0]
        octets = True
    body, content_type, body_hash = None, None, False
    form_allowed = method.upper() not in ("GET", "HEAD") or r.random() < 0.02  # dep: get-form-body
    kind = r.randrange(7)
    if kind in (0, 1) and form_allowed:
        body = encode_pairs(r, pairs(r, at_least=1))
        content_type = r.choice([FORM, FORM, FORM, FORM + "; charset=utf-8", FORM + ";charset=UTF-8"])
    elif kind == 2 and form_allowed:
        body, content_type = "", FORM
    elif kind == 3:
        body = json.dumps({"text": text(r), "n": r.randint(0, 9)}, ensure_ascii=r.random() < 0.5)
        content_type = r.choice(["application/json", "application/json; charset=utf-8", None])
        body_hash = r.random() < 0.5
    elif kind == 4:
        body_hash = r.random() < 0.2  # no body, hash of the empty body
    placement = r.choice(["header", "header", "query", "body"])
    if placement == "body" and not (content_type is None and body is None or
                                    (content_type or "").startswith(FORM)):
        placement = "header"
    if placement == "body" and method.upper() in ("GET", "HEAD") and r.random() < 0.95:
        placement = "query"  # oauthlib refuses any body on GET/HEAD (departure get-form-body)
    sig = r.choice(SIGNATURE_METHODS + ["HMAC-SHA1"])
    token = None if r.random() < 0.3 else r.choice([word(r, 20), text(r) or "t"])
    if token is not None and r.random() < 0.01:
        token = ""  # dep: empty-token
    c = {
        "id": "rand-%d" % i,
        "method": method,
        "url": url,
        "body": body,
        "content_type": content_type,
        "consumer_key": protocol_value(r, r.choice([word(r, 22), text(r) or "ck"]), placement),
        "consumer_secret": text(r),
        "token": protocol_value(r, token, placement),
        "token_secret": None if token is None else r.choice([None, "", text(r)]),
        "signature_method": sig,
        "rsa_private_key": key if sig.startswith("RSA") else None,
        "placement": placement,
        "realm": r.choice([None, None, "Example", "photos", "http://sp.example.com/", "a b, c=d"]),
        "callback": protocol_value(r, r.choice([
            None, None, "oob", "http://printer.example.com/ready?x=1&y=a b",
            "https://cb.example/" + enc(text(r))]), placement),
        "verifier": protocol_value(r, r.choice([None, None, word(r, 16), text(r) or "v"]), placement),
        "nonce": protocol_value(r, r.choice([word(r, 32), word(r, 8), text(r) or "n"]), placement),
        "timestamp": str(r.choice([0, 1, 137131201, 1318622958, r.randint(0, 4_000_000_000)])),
        "version": r.random() < 0.7,
        "body_hash": body_hash,
    }
    if r.random() < 0.01:
        c["realm"] = r.choice(["", 'q"uote', "back\\slash"])  # dep: empty-realm, realm-unescaped
    if r.random() < 0.1:
        # In a header oauthlib keeps only oauth_* names (departure header-drops-xoauth): mostly
        # oauth_* there.
        extra = r.choice(["oauth_session_handle", "oauth_session_handle", "oauth_x", "xoauth_requestor_id"]
                         if placement == "header" else ["xoauth_requestor_id", "oauth_session_handle"])
        c["extra_oauth_params"] = [[extra, protocol_value(r, text(r) or "x", placement)]]
    if octets:
        c["octets"] = True
    return c


# ---- invalid cases ---------------------------------------------------------------------------

def invalid(key):
    """Malformed percent-encoding: a correct signer must refuse every one (expect_error)."""
    out = []
    bad = ["%G1", "%1G", "%F", "%", "%%", "%%41", "a%2", "%-1", "%+1", "% 1"]
    for n, b in enumerate(bad):
        for where in ("query", "query-end", "body", "body-end", "name"):
            c = base_case("invalid-%d-%s" % (n, where), key)
            c["expect_error"] = True
            if where == "query":
                c["url"] = "https://example.com/p?a=%s&b=1" % b
            elif where == "query-end":
                c["url"] = "https://example.com/p?b=1&a=%s" % b
            elif where == "body":
                c["body"], c["content_type"] = "a=%s&b=1" % b, FORM
            elif where == "body-end":
                c["body"], c["content_type"] = "b=1&a=%s" % b, FORM
            else:
                c["url"] = "https://example.com/p?x%s=1" % b
            if " " in b:
                continue  # a raw space is not an escape error
            out.append(c)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=3000)
    ap.add_argument("--invalid", action="store_true", help="write the malformed cases instead")
    args = ap.parse_args()
    key = read_key()
    if args.invalid:
        cases = invalid(key)
    else:
        cases = coverage(key)[:args.count]
        r = random.Random(args.seed)
        i = 0
        while len(cases) < args.count:
            cases.append(random_case(r, i, key))
            i += 1
    ids = set()
    for c in cases:
        assert c["id"] not in ids, c["id"]
        ids.add(c["id"])
        print(json.dumps(c, ensure_ascii=False))


if __name__ == "__main__":
    main()
