#!/usr/bin/env python3
"""Signs sign-batch input objects (JSON Lines on stdin) with oauthlib only, writing sign-batch
output objects on stdout: the reference side of the differential test.

Every step is oauthlib's own function, called the way `oauthlib.oauth1.Client` calls it
(`Client.sign` -> `get_oauth_params` -> `get_oauth_signature` -> `_render`):
`collect_parameters`, `normalize_parameters`, `base_string_uri`, `signature_base_string`, the
`sign_*` functions, and `prepare_headers` / `prepare_request_uri_query` /
`prepare_form_encoded_body` for the placements. We do not call `Client.sign` itself because it
cannot leave out `oauth_version` (the input's `version: false`) and cannot take fixed extra
protocol parameters; the protocol parameter list is built here the way `get_oauth_params` builds
it (empty token, callback and verifier are left out, as it does). `Client.sign`'s refusals are
kept: a body that decodes as parameters under another Content-Type than exactly
`application/x-www-form-urlencoded`, and body parameters on GET/HEAD, give an error with kind
`oauthlib_refuses`.
"""
import base64
import hashlib
import json
import sys
from urllib.parse import urlparse

from oauthlib.common import extract_params, urlencode
from oauthlib.oauth1.rfc5849 import parameters, signature

FORM = "application/x-www-form-urlencoded"


class RsaClient:
    def __init__(self, key):
        self.rsa_key = key


def sign_base(method, base, case):
    cs = case["consumer_secret"]
    ts = case.get("token_secret") or ""
    if method == "HMAC-SHA1":
        return signature.sign_hmac_sha1(base, cs, ts)
    if method == "HMAC-SHA256":
        return signature.sign_hmac_sha256(base, cs, ts)
    if method == "HMAC-SHA512":
        return signature._sign_hmac("SHA-512", base, cs, ts)
    if method == "PLAINTEXT":
        return signature.sign_plaintext(cs, ts)
    if method == "RSA-SHA1":
        return signature.sign_rsa_sha1_with_client(base, RsaClient(case["rsa_private_key"]))
    if method == "RSA-SHA256":
        return signature.sign_rsa_sha256_with_client(base, RsaClient(case["rsa_private_key"]))
    raise ValueError("unknown signature method " + method)


def oauth_params(case):
    # As Client.get_oauth_params, honouring `version` and the explicit body_hash flag.
    params = [
        ("oauth_nonce", case["nonce"]),
        ("oauth_timestamp", case["timestamp"]),
    ]
    if case.get("version", True):
        params.append(("oauth_version", "1.0"))
    params += [
        ("oauth_signature_method", case["signature_method"]),
        ("oauth_consumer_key", case["consumer_key"]),
    ]
    if case.get("token"):
        params.append(("oauth_token", case["token"]))
    if case.get("callback"):
        params.append(("oauth_callback", case["callback"]))
    if case.get("verifier"):
        params.append(("oauth_verifier", case["verifier"]))
    if case.get("body_hash"):
        body = case.get("body") or ""
        params.append(("oauth_body_hash", base64.b64encode(hashlib.sha1(body.encode("utf-8")).digest()).decode("utf-8")))
    for n, v in case.get("extra_oauth_params") or []:
        params.append((n, v))
    return params


def render(case, params, decoded_body):
    """Client._render: where the protocol parameters go."""
    uri, headers, body = case["url"], {}, case.get("body")
    placement = case["placement"]
    if placement == "header":
        headers = parameters.prepare_headers(params, {}, realm=case.get("realm"))
    elif placement == "body":
        body = parameters.prepare_form_encoded_body(params, decoded_body or [])
    elif placement == "query":
        uri = parameters.prepare_request_uri_query(params, uri)
    return uri, headers, body


def sign(case):
    content_type = case.get("content_type")
    body = case.get("body")
    decoded = extract_params(body) if body is not None else None
    has_params = bool(body) and decoded is not None
    should_have_params = content_type == FORM
    if has_params and not should_have_params:
        raise Refused("body contains parameters but Content-Type is %r" % content_type)
    if should_have_params and body and decoded is None:
        raise Refused("form body not decodable")
    if has_params and case["method"].upper() in ("GET", "HEAD"):
        raise Refused("GET/HEAD requests should not include body")
    params = oauth_params(case)
    # get_oauth_signature: render without the signature, collect from the rendered request.
    uri, headers, rbody = render(case, params, decoded)
    if case["placement"] == "body":
        rbody = urlencode(rbody)
    collected = signature.collect_parameters(
        uri_query=urlparse(uri).query,
        body=rbody if should_have_params or case["placement"] == "body" else None,
        headers=headers,
    )
    normalized = signature.normalize_parameters(collected)
    base = signature.signature_base_string(case["method"], signature.base_string_uri(uri), normalized)
    sig = sign_base(case["signature_method"], base, case)
    uri, headers, rbody = render(case, params + [("oauth_signature", sig)], decoded)
    if case["placement"] == "body":
        rbody = urlencode(rbody)
    if case["placement"] != "query":
        uri = uri.split("#", 1)[0]
    return {
        "signature": sig,
        "base_string": base,
        "authorization": headers.get("Authorization") if case["placement"] == "header" else None,
        "url": uri,
        "body": rbody,
    }


class Refused(Exception):
    pass


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        case = json.loads(line)
        try:
            out = sign(case)
        except Refused as e:
            out = {"error": {"kind": "oauthlib_refuses", "message": str(e)}}
        except Exception as e:  # noqa: BLE001 - any oauthlib failure is data for the comparison
            out = {"error": {"kind": "oauthlib_error", "message": "%s: %s" % (type(e).__name__, e)}}
        if "id" in case:
            out["id"] = case["id"]
        print(json.dumps(out, ensure_ascii=False))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
