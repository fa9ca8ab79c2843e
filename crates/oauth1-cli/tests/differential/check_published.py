#!/usr/bin/env python3
"""Sanity check of the reference side: does oauthlib, driven by oauthlib_sign.py, reproduce the
published vectors?

    "$(bash scripts/python-env.sh | tail -n1)" crates/oauth1-cli/tests/differential/check_published.py

1. shared/vectors/published.json: every `input` goes through oauthlib_sign.py (a subprocess, as
   the differential test runs it); `signature` and `base_string` are compared with `expected`.
2. shared/vectors/collected.json: the entries that describe a whole request are turned into
   sign-batch inputs and go through oauthlib_sign.py too; the component vectors (encoding,
   normalization, base string URI, HMAC/RSA/PLAINTEXT over a given base string, body hash) are
   checked by calling the oauthlib function that computes that component.

Prints one line per vector (MATCH, DIFFERS or SKIPPED, with the reason) and a summary; exits 1
when a published.json vector does not match. Differences in collected.json are reported, not
fatal: several of those vectors document published errata.
"""
import json
import os
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))


def shared_dir():
    for candidate in (os.environ.get("OAUTH1_SHARED"), os.path.join(ROOT, "..", "shared"), "/work/shared"):
        if candidate and os.path.isdir(os.path.join(candidate, "vectors")):
            return candidate
    sys.exit("cannot find shared/vectors (set OAUTH1_SHARED)")


def run_reference(cases):
    text = "".join(json.dumps(c) + "\n" for c in cases)
    out = subprocess.run([sys.executable, os.path.join(HERE, "oauthlib_sign.py")], input=text,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


results = []  # (file, id, status, detail)


def report(file, vid, ok, detail=""):
    results.append((file, vid, "MATCH" if ok else "DIFFERS", detail))


def check_published(shared):
    vectors = json.load(open(os.path.join(shared, "vectors", "published.json")))
    outputs = run_reference([dict(v["input"], id=v["id"]) for v in vectors])
    for v, out in zip(vectors, outputs):
        if "error" in out:
            report("published", v["id"], False, "oauthlib error: %s" % out["error"])
            continue
        bad = [k for k in ("signature", "base_string") if out.get(k) != v["expected"][k]]
        report("published", v["id"], not bad,
               "; ".join("%s: oauthlib %r, expected %r" % (k, out.get(k), v["expected"][k]) for k in bad))


def case_from_collected(e):
    """A sign-batch input for a collected vector that describes a whole request, else None."""
    i = e["inputs"]
    if "oauth_params" not in i or "url" not in i:
        return None
    op = dict(i["oauth_params"])
    method = op.pop("oauth_signature_method")
    case = {
        "id": e["id"],
        "method": i["method"],
        "url": i["url"],
        "body": i.get("body"),
        "content_type": i.get("content_type"),
        "consumer_key": op.pop("oauth_consumer_key", i.get("consumer_key")),
        "consumer_secret": i.get("consumer_secret", i.get("client_secret", "")),
        "token": op.pop("oauth_token", None),
        "token_secret": i.get("token_secret"),
        "signature_method": method,
        "rsa_private_key": i.get("private_key_pkcs8_pem") or i.get("private_key_pkcs1_pem"),
        "placement": "header",
        "realm": i.get("realm"),
        "callback": op.pop("oauth_callback", None),
        "verifier": op.pop("oauth_verifier", None),
        "nonce": op.pop("oauth_nonce", ""),
        "timestamp": op.pop("oauth_timestamp", ""),
        "version": op.pop("oauth_version", None) is not None,
    }
    if op:
        case["extra_oauth_params"] = sorted(op.items())
    return case


def check_collected(shared):
    from oauthlib import oauth1
    from oauthlib.common import Request, urldecode
    from oauthlib.oauth1.rfc5849 import signature, utils

    vectors = json.load(open(os.path.join(shared, "vectors", "collected.json")))
    requests = [(e, case_from_collected(e)) for e in vectors]
    outputs = iter(run_reference([c for _, c in requests if c]))
    for e, case in requests:
        vid, i, exp = e["id"], e["inputs"], e["expected"]
        if case:
            out = next(outputs)
            if "error" in out:
                report("collected", vid, False, "oauthlib error: %s" % out["error"])
                continue
            checks = [("oauth_signature", out["signature"]),
                      ("signature_base_string", out["base_string"]),
                      ("signature_base_string_computed", out["base_string"])]
            bad = [(k, got) for k, got in checks if k in exp and exp[k] != got]
            report("collected", vid, not bad,
                   "; ".join("%s: oauthlib %r, expected %r" % (k, g, exp[k]) for k, g in bad))
            continue
        try:
            got, want = component(vid, i, exp, oauth1, Request, urldecode, signature, utils)
        except Skip as s:
            results.append(("collected", vid, "SKIPPED", str(s)))
            continue
        report("collected", vid, got == want, "" if got == want else "oauthlib %r, expected %r" % (got, want))


class Skip(Exception):
    pass


def component(vid, i, exp, oauth1, Request, urldecode, signature, utils):
    """(oauthlib's value, expected value) for a component vector."""
    if "encoded" in exp:
        return utils.escape(i["input"]), exp["encoded"]
    if "oauth_body_hash" in exp:
        # oauthlib computes it in Client.get_oauth_params for a non-form Content-Type.
        client = oauth1.Client("k", nonce="n", timestamp="1")
        req = Request("http://example.com/", "POST", i["body"], {"Content-Type": "text/plain"})
        return dict(client.get_oauth_params(req)).get("oauth_body_hash"), exp["oauth_body_hash"]
    if "normalized" in exp:
        params = (i["parameters_decoded"] if "parameters_decoded" in i
                  else urldecode(i["parameters_form_encoded"]))
        return signature.normalize_parameters([tuple(p) for p in params]), exp["normalized"]
    if "parameters_decoded" in exp:
        got = signature.collect_parameters(
            uri_query=urllib.parse.urlparse(i["url"]).query, body=i["body"],
            headers={"Authorization": i["authorization"]})
        got = [list(p) for p in got if p[0] != "oauth_signature"]
        return sorted(got), sorted(exp["parameters_decoded"])
    if "base_string_uri" in exp and "cases" in i:
        got = [signature.base_string_uri(u) for u in i["cases"]]
        raised = []
        for u in exp.get("must_raise_ValueError", []):
            try:
                signature.base_string_uri(u)
            except ValueError:
                raised.append(u)
        return (got, raised), (exp["base_string_uri"], exp.get("must_raise_ValueError", []))
    if "base_string_uri" in exp:
        target = i["request_line"].split(" ")[1]
        return (signature.base_string_uri(i["scheme"] + "://" + i["host_header"] + target, i["host_header"]),
                exp["base_string_uri"])
    if "signature_base_string" in exp and "parameters_form_encoded" in i:
        params = signature.collect_parameters(body=i["parameters_form_encoded"])
        return (signature.signature_base_string(i["method"], signature.base_string_uri(i["url"]),
                                                signature.normalize_parameters(params)),
                exp["signature_base_string"])
    if "signature_base_string" in exp and "normalized" in i:
        return (signature.signature_base_string(i["method"], i["base_string_uri"], i["normalized"]),
                exp["signature_base_string"])
    want = exp.get("oauth_signature", exp.get("corrected"))
    if want is None:
        raise Skip("no oauthlib function computes %s" % sorted(exp))
    cs = i.get("client_secret", i.get("consumer_secret"))
    ts = i.get("resource_owner_secret", i.get("token_secret"))
    if "signature_base_string" not in i:
        return signature.sign_plaintext(cs, ts), want
    base = i["signature_base_string"]
    key = i.get("private_key_pkcs1_pem") or i.get("private_key_pkcs8_pem")
    if key:
        alg = "SHA-512" if "sha512" in vid else "SHA-256" if "sha256" in vid else "SHA-1"
        return signature._sign_rsa(alg, base, key), want
    alg = "SHA-512" if "sha512" in vid else "SHA-256" if "sha256" in vid else "SHA-1"
    return signature._sign_hmac(alg, base, cs, ts), want


def main():
    shared = shared_dir()
    check_published(shared)
    check_collected(shared)
    for file, vid, status, detail in results:
        print("%-8s %-10s %s%s" % (status, file, vid, ("  -- " + detail) if detail else ""))
    published_bad = [r for r in results if r[0] == "published" and r[2] != "MATCH"]
    counts = {}
    for r in results:
        counts[(r[0], r[2])] = counts.get((r[0], r[2]), 0) + 1
    print("summary:", ", ".join("%s %s: %d" % (f, s, n) for (f, s), n in sorted(counts.items())))
    sys.exit(1 if published_bad else 0)


if __name__ == "__main__":
    main()
