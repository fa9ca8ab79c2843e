#!/usr/bin/env python3
"""Signs sign-batch input objects (JSON Lines on stdin) with oauthlib, writing sign-batch output
objects (shared/spec/sign-batch.md) on stdout: the reference side of the differential test.

    oauthlib_sign.py [--as-is] < cases.jsonl > oauthlib.jsonl

What runs is `oauthlib.oauth1.Client.sign` itself (signature_type AUTH_HEADER / QUERY / BODY,
fixed nonce and timestamp, realm, callback_uri, verifier, rsa_key): its sanity checks, its
`get_oauth_params`, its `get_oauth_signature` (`collect_parameters`, `normalize_parameters`,
`base_string_uri`, `signature_base_string`, the `sign_*_with_client` functions) and its
`_render` (`prepare_headers`, `prepare_request_uri_query`, `prepare_form_encoded_body`). Nothing
of the RFC is re-implemented here. The base string is the one `get_oauth_signature` computed:
`signature.signature_base_string` is wrapped to record its result. For PLAINTEXT, whose
signature does not need one (oauthlib takes a fast path), the base string is computed by the
same five calls `get_oauth_signature` makes for the other methods, on the same rendered request.

Input fields oauthlib has no argument for are supplied by overriding one method,
`Client.get_oauth_params` (a subclass calls the original, then edits its list):
  * `version: false` removes ('oauth_version', '1.0'), which oauthlib always adds;
  * `extra_oauth_params` are appended, as protocol parameters (they then go through
    `prepare_headers`, which keeps only `oauth_*` names: that is oauthlib's behaviour);
  * `body_hash: true` where oauthlib would not add `oauth_body_hash` itself (no Content-Type,
    or no body) appends it, computed by the same expression as oauthlib's
    `get_oauth_params` (base64 of SHA-1 of the body's UTF-8 octets; empty body when none).

Adaptations, each a documented departure of oauthlib (docs/interop.md), that make oauthlib sign
the request the input describes; `--as-is` turns them all off (the departures test uses it, to
show what oauthlib does with the input as given):
  * `body-hash-unasked`: oauthlib adds `oauth_body_hash` to every request with a non-form
    Content-Type. With `body_hash: false` it is removed again.
  * `form-with-charset`: `Client.sign` requires the Content-Type to be exactly
    `application/x-www-form-urlencoded` and refuses `...; charset=utf-8` (or another case). A
    form content type with parameters is given to oauthlib as the bare media type.
  * `empty-body-is-a-form`: oauthlib decodes the empty string as an (empty) parameter list and
    then refuses it for want of a form Content-Type. A `""` body that is not a form is given to
    oauthlib as no body (and reported back as `""`).
  * body placement without a body: oauthlib can only add parameters to an existing form body,
    so a null body with placement `body` is given as `""` with the form Content-Type.

Where oauthlib refuses a request (e.g. form parameters in a GET body), the output is an error
object with kind `oauthlib_refuses` and oauthlib's message; any other exception gives kind
`oauthlib_error`. A line that is not a JSON object gives kind `invalid_json`.
"""
import base64
import functools
import hashlib
import json
import sys
import urllib.parse

from oauthlib import oauth1
from oauthlib.oauth1.rfc5849 import signature

FORM = oauth1.rfc5849.CONTENT_TYPE_FORM_URLENCODED
SIGNATURE_TYPES = {
    "header": oauth1.SIGNATURE_TYPE_AUTH_HEADER,
    "query": oauth1.SIGNATURE_TYPE_QUERY,
    "body": oauth1.SIGNATURE_TYPE_BODY,
}

# ---- recording the base string that get_oauth_signature signs -----------------------------
# rfc5849/__init__.py calls `signature.signature_base_string(...)` through the module attribute,
# so replacing the attribute records exactly what oauthlib computed and signed.
_recorded = []
_signature_base_string = signature.signature_base_string


def _recording_signature_base_string(*args, **kwargs):
    result = _signature_base_string(*args, **kwargs)
    _recorded.append(result)
    return result


signature.signature_base_string = _recording_signature_base_string

# Speed only: loading a PEM key costs ~40 ms (cryptography validates it), and the generated cases
# all use the same test key. `_prepare_key_plus(alg, keystr)` is a pure function of its
# arguments (`alg` comes from oauthlib's own cache), so memoizing it changes no result.
signature._prepare_key_plus = functools.lru_cache(maxsize=8)(signature._prepare_key_plus)


def media_type(content_type):
    return (content_type or "").split(";", 1)[0].strip().lower()


class ReferenceClient(oauth1.Client):
    """oauth1.Client with the input's `version`, `body_hash` and `extra_oauth_params`."""

    def __init__(self, case, as_is, **kwargs):
        super().__init__(**kwargs)
        self.case = case
        self.as_is = as_is

    def get_oauth_params(self, request):
        params = super().get_oauth_params(request)
        if not self.case.get("version", True):
            params = [p for p in params if p != ("oauth_version", "1.0")]
        has_hash = any(n == "oauth_body_hash" for n, _ in params)
        if self.case.get("body_hash", False):
            if not has_hash:
                # The expression of oauthlib's get_oauth_params, on the body (empty if none).
                body = request.body or ""
                params.append(("oauth_body_hash", base64.b64encode(
                    hashlib.sha1(body.encode("utf-8")).digest()).decode("utf-8")))
        elif has_hash and not self.as_is:
            params = [p for p in params if p[0] != "oauth_body_hash"]  # body-hash-unasked
        for name, value in self.case.get("extra_oauth_params") or []:
            params.append((name, value))
        return params

    def plaintext_base_string(self, request):
        """The base string get_oauth_signature would compute for a non-PLAINTEXT method
        (its lines after the PLAINTEXT fast path), on the same request."""
        uri, headers, body = self._render(request)
        collected = signature.collect_parameters(
            uri_query=urllib.parse.urlparse(uri).query, body=body, headers=headers)
        normalized_params = signature.normalize_parameters(collected)
        normalized_uri = signature.base_string_uri(uri, headers.get("Host", None))
        return _signature_base_string(request.http_method, normalized_uri, normalized_params)

    def get_oauth_signature(self, request):
        sig = super().get_oauth_signature(request)
        if self.signature_method == oauth1.SIGNATURE_PLAINTEXT:
            _recorded.append(self.plaintext_base_string(request))
        self.last_signature = sig
        return sig


class Refused(Exception):
    pass


# The ValueErrors Client.sign raises on purpose (rfc5849/__init__.py, Client.sign).
REFUSALS = (
    "Headers indicate a multipart body",
    "Headers indicate a formencoded body",
    "Body contains parameters",
    "Body signatures may only be used",
    "GET/HEAD requests should not include body",
)


def sign(case, as_is=False):
    url, method, body = case["url"], case["method"], case.get("body")
    content_type = case.get("content_type")
    placement = case["placement"]
    empty_body_restored = False
    if not as_is:
        if content_type is not None and media_type(content_type) == FORM:
            content_type = FORM  # form-with-charset
        if body == "" and content_type != FORM:
            body, empty_body_restored = None, True  # empty-body-is-a-form
        if placement == "body" and body is None and not empty_body_restored:
            body, content_type = "", FORM
    headers = {"Content-Type": content_type} if content_type is not None else {}
    token = case.get("token")
    client = ReferenceClient(
        case, as_is,
        client_key=case["consumer_key"],
        client_secret=case["consumer_secret"],
        resource_owner_key=token,
        resource_owner_secret=case.get("token_secret") if token is not None else None,
        callback_uri=case.get("callback"),
        signature_method=case["signature_method"],
        signature_type=SIGNATURE_TYPES[placement],
        rsa_key=case.get("rsa_private_key"),
        verifier=case.get("verifier"),
        realm=case.get("realm"),
        nonce=case["nonce"],
        timestamp=case["timestamp"],
    )
    del _recorded[:]
    try:
        uri, headers, out_body = client.sign(url, http_method=method, body=body, headers=headers)
    except ValueError as e:
        if str(e).startswith(REFUSALS):
            raise Refused(str(e)) from e
        raise
    if len(_recorded) != 1:
        raise RuntimeError("expected one base string, oauthlib computed %d" % len(_recorded))
    if empty_body_restored:
        out_body = ""
    return {
        "signature": client.last_signature,
        "base_string": _recorded[0],
        "authorization": headers.get("Authorization") if placement == "header" else None,
        "url": uri,
        "body": out_body,
    }


def main():
    as_is = "--as-is" in sys.argv[1:]
    out = sys.stdout
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            if not isinstance(case, dict):
                raise ValueError("not an object")
        except ValueError as e:
            out.write(json.dumps({"error": {"kind": "invalid_json", "message": str(e)}}) + "\n")
            continue
        try:
            result = sign(case, as_is)
        except Refused as e:
            result = {"error": {"kind": "oauthlib_refuses", "message": str(e)}}
        except Exception as e:  # noqa: BLE001 - any oauthlib failure is data for the comparison
            result = {"error": {"kind": "oauthlib_error", "message": "%s: %s" % (type(e).__name__, e)}}
        if "id" in case:
            result["id"] = case["id"]
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
