"""Runs the interop cases and prints the matrix (called by scripts/interop.sh; stdlib only).

    run.py --oauth1 BIN --serve BASE_URL --work DIR --rsa-key PEM --rsa-pub PEM
           [--skip PEER:REASON]... [--strict]

Direction `client`: each peer's client program runs the dance, a signed GET and a signed form
POST against `oauth1 serve` (BASE_URL) for each signature method and placement both support,
and one form POST signed with the awkward secrets of cases.json's `client_awkward` (step
`secrets`: the consumer and the access token scripts/interop.sh registers with `oauth1 serve
--consumer --token`). RSA-SHA1 signs with the private key of --rsa-key (in INTEROP_RSA_KEY for
the client programs; `oauth1 serve --rsa-public-key` has its public key); PLAINTEXT goes over
http (`oauth1 serve --insecure-plaintext-over-http`). A failed GET or POST is run again with
each parameter name of cases.json alone, to name the parameters that break it. Direction `server`: our `oauth1 request` (BIN) sends a signed GET and
form POST to a verifying server built on each peer, and one request signed with the awkward
secrets of cases.json's `server_awkward` (step `secrets`); on a refusal, the peer's base string (from
its answer) and ours (from `oauth1 request -t`) are kept.

Direction `compat`: `oauth1 request` with a profile made with `--compat SETTING` (an
oauth1_core::compat setting), with the awkward secrets, must be accepted by the peer the setting
is named after.

A failed step is a FAILURE unless expected.json lists it as a known deviation of that peer
(then the cell says `dev:ID`); a listed deviation that no longer shows is a failure too, so
docs/interop.md is updated when a peer changes. Exit status 1 on any failure, and on any
skipped peer with --strict (CI).
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
METHODS = ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT", "RSA-SHA1"]
PLACEMENTS = ["header", "query", "body"]
# What `oauth1 serve` verifies as scripts/interop.sh starts it: every method of the matrix
# (RSA-SHA1 with --rsa-public-key, PLAINTEXT over http with --insecure-plaintext-over-http).
SERVE_METHODS = set(METHODS)
VENV_PY = os.environ.get("INTEROP_PYTHON", sys.executable)
# The RSA private key the clients sign RSA-SHA1 with (set by main from --rsa-key).
RSA_KEY = []

# Each peer: its client (argv before BASE CASES COMBOS...), the methods and placements its client
# has; its verifying server (argv before PORT CASES RSA_PUB RSA_KEY) and what that verifies.
PEERS = {
    "node-oauth": {
        "client": ["node", "node/oauth-client.js"],
        "client_methods": ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT", "RSA-SHA1"],
        "client_placements": ["header"],
        "server": ["node", "node/oauth-server.js"],
        "server_methods": ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT", "RSA-SHA1"],
    },
    "oauth-1.0a": {
        "client": ["node", "node/oauth-1.0a-client.js"],
        "client_methods": ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"],
        "client_placements": PLACEMENTS,
        "server": ["node", "node/oauth-1.0a-server.js"],
        "server_methods": ["HMAC-SHA1", "HMAC-SHA256", "HMAC-SHA512", "PLAINTEXT"],
    },
    "ruby-oauth": {
        "client": ["ruby", "ruby/client.rb"],
        "client_methods": ["HMAC-SHA1", "PLAINTEXT", "RSA-SHA1"],
        "client_placements": PLACEMENTS,
        "server": ["ruby", "ruby/server.rb"],
        "server_methods": ["HMAC-SHA1", "PLAINTEXT", "RSA-SHA1"],
    },
    "perl-net-oauth": {
        "client": ["perl", "perl/client.pl"],
        "client_methods": ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT", "RSA-SHA1"],
        "client_placements": PLACEMENTS,
        "server": ["perl", "perl/server.pl"],
        "server_methods": ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT", "RSA-SHA1"],
    },
    "php-pecl-oauth": {
        "client": ["php", "php/client.php"],
        "client_methods": ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT", "RSA-SHA1"],
        "client_placements": PLACEMENTS,
        "server": ["php-server"],
        "server_methods": ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT", "RSA-SHA1"],
        # oauth1_core::compat::PeclOAuthProvider, checked against OAuthProvider (step `secrets`)
        "compat": ("pecl-oauth-provider", ["HMAC-SHA1", "HMAC-SHA256", "PLAINTEXT"]),
    },
    "requests-oauthlib": {
        "client": [VENV_PY, "python/client.py"],
        "client_methods": METHODS,
        "client_placements": PLACEMENTS,
        "server": [VENV_PY, "python/server.py"],
        "server_methods": METHODS,
    },
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def run_client(peer, spec, base, cases_path, combos, log):
    argv = [*spec["client"], base, str(cases_path), *combos]
    env = dict(os.environ, INTEROP_RSA_KEY=RSA_KEY[0]) if RSA_KEY else None
    try:
        out = subprocess.run(argv, cwd=HERE, capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL,
                             env=env)
    except subprocess.TimeoutExpired:
        return {c: {"error": "timed out after 180 s"} for c in combos}
    log.write(f"$ {' '.join(argv)}\n{out.stdout}{out.stderr}\n")
    got = {}
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            got[f"{r['method']}:{r['placement']}"] = r["steps"]
    return {c: got.get(c, {"error": f"no result (exit {out.returncode}): {out.stderr[-300:]}"}) for c in combos}


def pinpoint(peer, spec, base, cases, combo, step, work, log):
    """The parameter names whose pairs alone make STEP fail."""
    key = "query" if step == "get" else "form"
    names = list(dict.fromkeys(n for n, _ in cases[key] if n != "status"))
    bad = []
    for name in names:
        one = dict(cases)
        one[key] = [p for p in cases[key] if p[0] in (name, "status")]
        path = work / f"cases-{peer}-{key}-{len(bad)}-{names.index(name)}.json"
        path.write_text(json.dumps(one, ensure_ascii=False))
        steps = run_client(peer, spec, base, path, [combo], log)[combo]
        if steps.get(step) != "ok":
            bad.append(name)
    return bad


def client_cells(peer, spec, base, cases, work, log):
    cells = {}
    combos = [
        f"{m}:{p}" for m in spec["client_methods"] if m in SERVE_METHODS for p in spec["client_placements"]
    ]
    results = run_client(peer, spec, base, HERE / "cases.json", combos, log)
    for combo, steps in results.items():
        failed = {s: d for s, d in steps.items() if d != "ok"}
        for s in ("get", "post"):
            if s in failed:
                failed[s] = {"detail": failed[s], "params": pinpoint(peer, spec, base, cases, combo, s, work, log)}
        cells[tuple(combo.split(":"))] = {"steps": list(steps), "failed": failed}
    return cells


def form(pairs):
    from urllib.parse import quote

    return "&".join(f"{quote(k, safe='~')}={quote(v, safe='~')}" for k, v in pairs)


def our_request(oauth1, config, profile, placement, http_method, url, body, log):
    argv = [oauth1, "request", "--config", str(config), "--profile", profile, "-t", "--timeout", "10",
            "--placement", placement, "-X", http_method]
    if body is not None:
        argv += ["--data-raw", body]
    argv.append(url)
    out = subprocess.run(argv, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    log.write(f"$ {' '.join(argv)}\n{out.stdout}{out.stderr}\n")
    if out.returncode == 0:
        return "ok"
    lines = out.stderr.splitlines()
    ours = next((lines[i + 1].strip(" *") for i, l in enumerate(lines) if "base string" in l and i + 1 < len(lines)), "?")
    return {"detail": (out.stdout + "\n".join(l for l in lines if l.startswith("oauth1:")))[-600:], "ours": ours,
            "theirs": next((l[len("base string: "):] for l in out.stdout.splitlines() if l.startswith("base string: ")), "?")}


def server_cells(peer, spec, oauth1, cases, work, rsa_pub, rsa_key, log):
    port = free_port()
    argv = spec["server"]
    if argv == ["php-server"]:
        env = dict(os.environ, INTEROP_CASES=str(HERE / "cases.json"), INTEROP_RSA_PUB=str(rsa_pub))
        argv = ["php", "-d", "variables_order=EGPCS", "-S", f"127.0.0.1:{port}", str(HERE / "php/server.php")]
    else:
        env = None
        argv = [*argv, str(port), str(HERE / "cases.json"), str(rsa_pub), str(rsa_key)]
    errlog = open(work / f"server-{peer}.log", "w")
    # `timeout` ends the server even if this runner dies; SIGTERM below passes through it.
    argv = ["timeout", "300", *argv]
    proc = subprocess.Popen(argv, cwd=HERE, env=env, stdin=subprocess.DEVNULL, stdout=errlog, stderr=errlog)
    cells = {}
    try:
        if not wait_port(port, proc):
            raise RuntimeError(f"{peer}'s server did not start: see {work / f'server-{peer}.log'}")
        base = f"http://127.0.0.1:{port}"
        for m in spec["server_methods"]:
            for p in PLACEMENTS:
                steps, failed = [], {}
                reqs = [("get", "GET", f"{base}/resource?{form(cases['query'])}", None, m),
                        ("post", "POST", f"{base}/resource", form(cases["form"]), m),
                        ("secrets", "POST" if p == "body" else "GET", f"{base}/resource?x=1", None, f"{m}-awkward")]
                for name, verb, url, body, profile in reqs:
                    if p == "body" and name == "get":
                        continue
                    steps.append(name)
                    r = our_request(oauth1, work / "profiles.toml", profile, p, verb, url, body, log)
                    if r != "ok":
                        failed[name] = r
                        if name == "secrets":
                            continue
                        # which parameter names, each alone, make it fail
                        key = "query" if verb == "GET" else "form"
                        r["params"] = []
                        for n in dict.fromkeys(k for k, _ in cases[key]):
                            one = [kv for kv in cases[key] if kv[0] == n]
                            u = f"{base}/resource?{form(one)}" if verb == "GET" else url
                            r1 = our_request(oauth1, work / "profiles.toml", m, p, verb, u,
                                             None if verb == "GET" else form(one), log)
                            if r1 != "ok":
                                r["params"].append(n)
                                r.setdefault("alone", {})[n] = {"ours": r1["ours"], "theirs": r1["theirs"]}
                cells[(m, p)] = {"steps": steps, "failed": failed}
        compat = {}
        if "compat" in spec:
            # `oauth1 request` with a profile made with `--compat SETTING` (write_profiles)
            setting, methods = spec["compat"]
            for m in methods:
                r = our_request(oauth1, work / "profiles.toml", f"{m}-awkward-{setting}", "header", "GET",
                                f"{base}/resource?x=1", None, log)
                compat[(m, "header")] = {"steps": ["secrets"], "failed": {} if r == "ok" else {"secrets": r}}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        errlog.close()
    return cells, compat


def write_profiles(work, cases, rsa_key):
    """A profile per method (`M`, with cases.json's `server` credentials), per method with the
    awkward secrets (`M-awkward`, `server_awkward`), and per compatibility setting a peer has and
    method of it with the awkward secrets (`M-awkward-SETTING`, with `compat = SETTING`)."""
    q = lambda v: json.dumps(v, ensure_ascii=False)  # a TOML basic string is a JSON string
    text = 'active = "HMAC-SHA1"\n'
    compat = {(m, setting) for spec in PEERS.values() if "compat" in spec
              for setting in [spec["compat"][0]] for m in spec["compat"][1]}
    for m in METHODS:
        profiles = [(m, cases["server"], None), (f"{m}-awkward", cases["server_awkward"], None)]
        profiles += [(f"{m}-awkward-{c}", cases["server_awkward"], c) for mm, c in sorted(compat) if mm == m]
        for name, s, setting in profiles:
            text += (f"\n[profiles.{q(name)}]\napi_base = \"http://127.0.0.1:9\"\n"
                     "request_token_url = \"http://127.0.0.1:9/rt\"\nauthorize_url = \"http://127.0.0.1:9/a\"\n"
                     f"access_token_url = \"http://127.0.0.1:9/at\"\nsignature_method = {q(m)}\n"
                     f"consumer_key = {q(s['consumer_key'])}\nconsumer_secret = {q(s['consumer_secret'])}\n"
                     f"token = {q(s['token'])}\ntoken_secret = {q(s['token_secret'])}\n")
            if m.startswith("RSA"):
                text += f"rsa_key_file = {q(str(rsa_key))}\n"
            if setting:
                text += f"compat = {q(setting)}\n"
    path = work / "profiles.toml"
    path.write_text(text)
    path.chmod(0o600)


def explain(expected, peer, direction, method, placement, step, failure):
    """The indexes of the expected.json entries that explain this failure, or None.

    An entry names a peer, direction, step and optionally methods, placements and the
    parameter names whose pairs alone make the step fail; the failure is explained when the
    entries that apply cover exactly the failing names (an entry without names covers all)."""
    hits = [i for i, e in enumerate(expected)
            if e["peer"] == peer and e["direction"] == direction and e["step"] == step
            and method in e.get("methods", [method]) and placement in e.get("placements", [placement])]
    failing = set(failure.get("params", [])) if isinstance(failure, dict) and "params" in failure else None
    if not hits:
        return None
    if failing is None or any("params" not in expected[i] for i in hits):
        return [i for i in hits if "params" not in expected[i]] or None
    used = [i for i in hits if set(expected[i]["params"]) <= failing]
    covered = set().union(*(set(expected[i]["params"]) for i in used)) if used else set()
    return used if covered == failing else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--oauth1", required=True)
    ap.add_argument("--serve", required=True)
    ap.add_argument("--work", required=True, type=Path)
    ap.add_argument("--rsa-key", required=True)
    ap.add_argument("--rsa-pub", required=True)
    ap.add_argument("--skip", action="append", default=[])
    ap.add_argument("--strict", action="store_true")
    a = ap.parse_args()
    RSA_KEY.append(str(Path(a.rsa_key).resolve()))
    cases = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
    expected = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))["deviations"]
    skipped = dict(s.split(":", 1) for s in a.skip)
    write_profiles(a.work, cases, a.rsa_key)
    log = open(a.work / "exchanges.log", "w")
    rows, problems, used = [], [], set()
    for peer, spec in PEERS.items():
        if peer in skipped:
            continue
        t0 = time.monotonic()
        server, compat = server_cells(peer, spec, a.oauth1, cases, a.work, a.rsa_pub, a.rsa_key, log)
        results = [("client", client_cells(peer, spec, a.serve, cases, a.work, log)), ("server", server)]
        if compat:
            results.append(("compat", compat))
        for direction, cells in results:
            for (m, p), cell in cells.items():
                devs = set()
                for step, failure in cell["failed"].items():
                    hit = explain(expected, peer, direction, m, p, step, failure)
                    if hit:
                        used.update(hit)
                        devs.update(expected[i]["id"] for i in hit)
                    else:
                        problems.append({"peer": peer, "direction": direction, "method": m, "placement": p,
                                         "step": step, "failure": failure})
                for i, e in enumerate(expected):
                    if i not in used and e["peer"] == peer and e["direction"] == direction \
                            and e["step"] in cell["steps"] and e["step"] not in cell["failed"] \
                            and m in e.get("methods", [m]) and p in e.get("placements", [p]):
                        problems.append({"peer": peer, "direction": direction, "method": m, "placement": p,
                                         "step": e["step"], "failure": f"expected deviation `{e['id']}` did not show: update expected.json and docs/interop.md"})
                unexpected = any(pr["peer"] == peer and pr["direction"] == direction and pr["method"] == m
                                 and pr["placement"] == p for pr in problems)
                cell["result"] = "FAIL" if unexpected else ("dev:" + ",".join(sorted(devs)) if devs else "pass")
            rows.append((peer, direction, cells))
        print(f"interop: {peer}: {time.monotonic() - t0:.1f} s", file=sys.stderr)
    for i, e in enumerate(expected):
        if i not in used and e["peer"] not in skipped:
            problems.append({"peer": e["peer"], "direction": e["direction"], "step": e["step"],
                             "failure": f"expected deviation `{e['id']}` was never seen"})
    # The matrix: dev cells name their deviations by letter, the legend gives the ids.
    ids = sorted({e["id"] for e in expected})
    letter = {i: chr(ord("A") + n) for n, i in enumerate(ids)}
    width = max(len(m) for m in METHODS) + 2
    head = f"{'peer':<18} {'direction':<9} {'placement':<9} " + "".join(f"{m:<{width}}" for m in METHODS)
    print(head)
    print("-" * len(head))
    counts = {}
    for peer, direction, cells in rows:
        for p in PLACEMENTS:
            if direction == "compat" and not any(pl == p for _, pl in cells):
                continue
            line = f"{peer:<18} {direction:<9} {p:<9} "
            for m in METHODS:
                if (m, p) in cells:
                    r = cells[(m, p)]["result"]
                else:
                    r = "n/s"
                kind = r.split(":")[0]
                counts[kind] = counts.get(kind, 0) + 1
                if kind == "dev":
                    r = "dev " + "".join(letter[i] for i in r[4:].split(","))
                line += f"{r:<{width}}"
            print(line.rstrip())
    for peer, why in skipped.items():
        print(f"{peer:<18} SKIPPED: {why}")
    print()
    print("pass: every step verified. dev X: every step verified but those that fail as the known")
    print("deviations X of docs/interop.md, and only on the parameters it names:")
    for i in ids:
        print(f"  {letter[i]} = {i}")
    print("n/s: the peer has no such method or placement. Direction compat: oauth1 request with the")
    print("--compat setting named after the peer, with the awkward secrets, against the")
    print("peer's server. FAIL: anything else; the details follow on stderr.")
    print()
    print(f"interop: {counts.get('dev', 0)} cells pass but for known deviations")
    print(f"interop: {counts.get('pass', 0)} passed, {counts.get('FAIL', 0)} failed, "
          f"{counts.get('n/s', 0)} skipped")
    (a.work / "problems.json").write_text(json.dumps(problems, ensure_ascii=False, indent=1))
    (a.work / "cells.json").write_text(json.dumps(
        [{"peer": peer, "direction": d, "method": m, "placement": p, **c} for peer, d, cells in rows
         for (m, p), c in cells.items()], ensure_ascii=False, indent=1))
    for pr in problems:
        print("FAILED: " + json.dumps(pr, ensure_ascii=False), file=sys.stderr)
    if problems:
        print(f"interop: {len(problems)} unexpected results (details above and in {a.work})", file=sys.stderr)
        return 1
    if skipped and a.strict:
        print(f"interop: peers skipped under CI: {', '.join(skipped)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
