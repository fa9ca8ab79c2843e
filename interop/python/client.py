"""requests-oauthlib's OAuth1Session as a client of `oauth1 serve` (scripts/interop.sh).

    client.py BASE_URL CASES_JSON METHOD:PLACEMENT...

For each METHOD:PLACEMENT: a request token with cases.json's awkward callback (step `callback`),
then the three-legged dance (request token, authorize without following the redirect, access
token), a signed GET with its `query` (not in body placement: a GET has no form body) and a
signed form POST with its `form`, and a form POST signed with `client_awkward`'s consumer and
token (step `secrets`). RSA-SHA1 signs with the private key in the file INTEROP_RSA_KEY. Prints
one JSON line per combination: {"method", "placement", "steps"}, each step "ok" or what went
wrong.
"""
import json
import os
import sys

import requests
from requests_oauthlib import OAuth1Session

PLACEMENT = {"header": "AUTH_HEADER", "query": "QUERY", "body": "BODY"}


def step(steps, name, fn):
    try:
        fn()
        steps[name] = "ok"
        return True
    except Exception as e:  # noqa: BLE001 - every failure is a result
        steps[name] = f"{type(e).__name__}: {e}"[:500]
        return False


def check(r, status=200):
    if r.status_code != status:
        raise RuntimeError(f"HTTP {r.status_code}: {r.text[:300]}")
    return r


def rsa_key(method):
    if method != "RSA-SHA1":
        return None
    with open(os.environ["INTEROP_RSA_KEY"], encoding="ascii") as f:
        return f.read()


def session(cases, method, placement, callback, c=None, token=None):
    c = c or cases["client"]
    return OAuth1Session(
        c["consumer_key"],
        client_secret=c["consumer_secret"],
        resource_owner_key=token and token["token"],
        resource_owner_secret=token and token["token_secret"],
        callback_uri=callback,
        signature_method=method,
        signature_type=PLACEMENT[placement],
        rsa_key=rsa_key(method),
    )


def dance(base, cases, method, placement):
    steps = {}
    odd = session(cases, method, placement, cases["client"]["awkward_callback"])
    step(steps, "callback", lambda: odd.fetch_request_token(base + "/oauth/request_token"))

    def secrets():
        a = cases["client_awkward"]
        odd = session(cases, method, placement, None, a, a)
        r = check(odd.post(base + "/1.1/statuses/update.json", data=[("status", a["status"])], timeout=10))
        if r.json().get("text") != a["status"]:
            raise RuntimeError(f"the provider read status={r.json().get('text')!r}, sent {a['status']!r}")

    step(steps, "secrets", secrets)
    s = session(cases, method, placement, cases["client"]["callback"])

    def authorize():
        r = requests.get(
            s.authorization_url(base + "/oauth/authorize"), allow_redirects=False, timeout=10
        )
        loc = r.headers.get("Location", "")
        if r.status_code != 302 or "oauth_verifier=" not in loc:
            raise RuntimeError(f"HTTP {r.status_code}, Location {loc!r}")
        s.parse_authorization_response(loc)

    if not (
        step(steps, "request_token", lambda: s.fetch_request_token(base + "/oauth/request_token"))
        and step(steps, "authorize", authorize)
        and step(steps, "access_token", lambda: s.fetch_access_token(base + "/oauth/access_token"))
    ):
        return steps
    if placement != "body":
        url = base + "/1.1/account/verify_credentials.json"
        step(steps, "get", lambda: check(s.get(url, params=cases["query"], timeout=10)))

    def post():
        r = check(s.post(base + "/1.1/statuses/update.json", data=cases["form"], timeout=10))
        sent, read = dict(cases["form"])["status"], r.json().get("text")
        if read != sent:
            raise RuntimeError(f"the provider read status={read!r}, sent {sent!r}")

    step(steps, "post", post)
    return steps


def main():
    base, cases = sys.argv[1], json.load(open(sys.argv[2], encoding="utf-8"))
    for combo in sys.argv[3:]:
        method, placement = combo.split(":")
        steps = dance(base, cases, method, placement)
        print(json.dumps({"method": method, "placement": placement, "steps": steps}), flush=True)


if __name__ == "__main__":
    main()
