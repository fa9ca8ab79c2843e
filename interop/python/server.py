"""A verifying server on oauthlib's ResourceEndpoint (the provider side of requests-oauthlib).

    server.py PORT CASES_JSON RSA_PUBLIC_KEY_PEM

Every request, to any path, is checked by ResourceEndpoint.validate_protected_resource_request
with cases.json's `server` and `server_awkward` clients and tokens; 200 "verified", or 401 with oauthlib's own base
string for the request. Runs until killed (scripts/interop.sh puts a timeout on it).
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oauthlib.oauth1 import RequestValidator, ResourceEndpoint
from oauthlib.oauth1.rfc5849 import signature
from oauthlib.oauth1.rfc5849.utils import parse_authorization_header

PORT, CASES, PUBKEY = int(sys.argv[1]), json.load(open(sys.argv[2], encoding="utf-8")), open(sys.argv[3]).read()
CREDS = {c["consumer_key"]: c for c in (CASES["server"], CASES["server_awkward"])}


class Validator(RequestValidator):
    """Accepts the one client and token; every format check of the default validator is off
    (nonce, key and token formats are the provider's choice, not the signature's)."""

    enforce_ssl = False
    allowed_signature_methods = ("HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT", "RSA-SHA1")

    def check_client_key(self, key):
        return True

    def check_access_token(self, token):
        return True

    def check_nonce(self, nonce):
        return True

    def check_realms(self, realms):
        return True

    dummy_client = CASES["server"]["consumer_key"]
    dummy_access_token = CASES["server"]["token"]

    def validate_client_key(self, key, request):
        return key in CREDS

    def validate_access_token(self, key, token, request):
        return key in CREDS and token == CREDS[key]["token"]

    def validate_timestamp_and_nonce(self, *args, **kwargs):
        return True

    def validate_realms(self, *args, **kwargs):
        return True

    def get_client_secret(self, key, request):
        return CREDS[key]["consumer_secret"]

    def get_access_token_secret(self, key, token, request):
        return CREDS[key]["token_secret"]

    def get_rsa_key(self, key, request):
        return PUBKEY


ENDPOINT = ResourceEndpoint(Validator())


def base_string(method, uri, body, headers):
    """oauthlib's base string for the request, as its endpoint computes it."""
    try:
        query = uri.split("?", 1)[1] if "?" in uri else ""
        auth = headers.get("Authorization", "")
        params = signature.collect_parameters(
            uri_query=query,
            body=body if "form-urlencoded" in headers.get("Content-Type", "") else None,
            headers={"Authorization": auth} if auth else None,
        )
        return signature.signature_base_string(
            method, signature.base_string_uri(uri), signature.normalize_parameters(params)
        )
    except Exception as e:  # noqa: BLE001
        return f"(none: {type(e).__name__}: {e})"


class Handler(BaseHTTPRequestHandler):
    def handle_one(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode("utf-8") if n else ""
        uri = f"http://{self.headers['Host']}{self.path}"
        headers = {k: v for k, v in self.headers.items()}
        try:
            ok, _ = ENDPOINT.validate_protected_resource_request(
                uri, http_method=self.command, body=body or None, headers=headers
            )
            why = "oauthlib: signature or credentials invalid"
        except Exception as e:  # noqa: BLE001
            ok, why = False, f"oauthlib: {type(e).__name__}: {e}"
        text = "verified\n" if ok else f"{why}\nbase string: {base_string(self.command, uri, body, headers)}\n"
        data = text.encode()
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = handle_one

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
