#!/usr/bin/env python3
"""oauthlib, as a provider on its defaults, judges our default nonce: the reference side of
`default_nonce_suits_oauthlib` in differential.rs (issue 16, finding 11).

    oauthlib_verify.py --nonces < nonces.txt      # one nonce a line
    oauthlib_verify.py < signed.jsonl             # requests signed by `oauth1 sign --json`

`--nonces` asks `oauthlib.oauth1.RequestValidator().check_nonce` about every line (the default
validator: 20 to 30 characters, letters and digits) and prints one JSON object:
`{"checked": N, "refused": [the first 10 refused], "nonce_length": [20, 30]}`.

Without it, each input line is `{"id", "endpoint": "resource" | "request_token", "method",
"url", "authorization"}` and goes through oauthlib's own `ResourceEndpoint`
(`validate_protected_resource_request`) or `RequestTokenEndpoint`
(`create_request_token_response`), with the validator below: it knows one client and one access
token and stores nothing, and it overrides neither `check_nonce` nor `nonce_length` (nor any
other `check_*`, nor `enforce_ssl`: the URLs are https). One output line per input:
`{"id", "valid", "status", "nonce", "check_nonce", "log", "body"}`, where `status` is the HTTP
status the endpoint would answer (200 or 401 for a resource, as in oauthlib's documentation), and
`log` is oauthlib's `validator_log` (empty when it refused before the checks it records).
"""
import json
import sys

from oauthlib.oauth1 import RequestTokenEndpoint, RequestValidator, ResourceEndpoint

# Keys and tokens pass oauthlib's default `check_client_key` / `check_access_token` (20 to 30
# letters and digits); the Rust test signs with these.
CLIENT_KEY = "differentialConsumer01"
CLIENT_SECRET = "differential-consumer-secret"
ACCESS_TOKEN = "differentialAccessToken1"
ACCESS_TOKEN_SECRET = "differential-token-secret"


class Validator(RequestValidator):
    """The least a provider must write: lookups of one client and one token, a replay check.
    Every format check (`check_nonce` first) is oauthlib's default."""

    def __init__(self):
        super().__init__()
        self.seen = set()

    dummy_client = "dummyClientKeyForOauth1"
    dummy_request_token = "dummyRequestTokenOauth1"
    dummy_access_token = "dummyAccessTokenForOauth"

    def validate_client_key(self, client_key, request):
        return client_key == CLIENT_KEY

    def get_client_secret(self, client_key, request):
        return CLIENT_SECRET if client_key == CLIENT_KEY else "dummy"

    def validate_access_token(self, client_key, token, request):
        return client_key == CLIENT_KEY and token == ACCESS_TOKEN

    def get_access_token_secret(self, client_key, token, request):
        return ACCESS_TOKEN_SECRET if token == ACCESS_TOKEN else "dummy"

    def validate_timestamp_and_nonce(self, client_key, timestamp, nonce, request,
                                     request_token=None, access_token=None):
        key = (client_key, timestamp, nonce, request_token, access_token)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def validate_realms(self, client_key, token, request, uri=None, realms=None):
        return True

    def get_default_realms(self, client_key, request):
        return []

    def validate_requested_realms(self, client_key, realms, request):
        return True

    def validate_redirect_uri(self, client_key, redirect_uri, request):
        return True

    def save_request_token(self, token, request):
        pass


class RecordingRequestTokenEndpoint(RequestTokenEndpoint):
    """oauthlib's endpoint, unchanged, keeping the request it validated (for the output)."""

    last = None

    def validate_request_token_request(self, request):
        self.last = request
        return super().validate_request_token_request(request)


def check_nonces(lines):
    validator = RequestValidator()
    nonces = [line.rstrip("\r\n") for line in lines if line.strip()]
    refused = [n for n in nonces if not validator.check_nonce(n)]
    return {
        "checked": len(nonces),
        "refused": refused[:10],
        "nonce_length": list(validator.nonce_length),
    }


def verify(case, validator):
    headers = {"Authorization": case["authorization"]}
    method, url = case["method"], case["url"]
    if case["endpoint"] == "resource":
        valid, request = ResourceEndpoint(validator).validate_protected_resource_request(
            url, http_method=method, body=None, headers=headers)
        status, body = (200 if valid else 401), None
    elif case["endpoint"] == "request_token":
        endpoint = RecordingRequestTokenEndpoint(validator)
        # `body` is the token, or oauthlib's error (e.g. `Invalid nonce format.`).
        _, body, status = endpoint.create_request_token_response(
            url, http_method=method, body=None, headers=headers)
        valid, request = status == 200, endpoint.last
    else:
        raise ValueError("unknown endpoint %r" % case["endpoint"])
    nonce = request.nonce if request is not None else None
    return {
        "id": case.get("id"),
        "valid": valid,
        "status": status,
        "nonce": nonce,
        "check_nonce": nonce is not None and RequestValidator().check_nonce(nonce),
        "log": dict(request.validator_log) if request is not None else {},
        "body": body,
    }


def main():
    if sys.argv[1:] == ["--nonces"]:
        print(json.dumps(check_nonces(sys.stdin)))
        return
    if sys.argv[1:]:
        sys.exit("usage: oauthlib_verify.py [--nonces] < input")
    validator = Validator()
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(verify(json.loads(line), validator)), flush=True)


if __name__ == "__main__":
    main()
