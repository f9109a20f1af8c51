"""Load and probes for the Airflow reproduction (scripts/bench-airflow.sh). Prints one line of
key=value pairs per command.

  drive.py mint SUBJECT                          a fresh token (HS256, the registry's development key)
  drive.py burst URL TOKEN REQUESTS CONCURRENCY  the report's table row: wall time, success, pool
                                                 timeouts, p50/p95/p99 (every request a new connection;
                                                 the token asked once per worker first)
  drive.py stale URL LOGOUT_URL TOKEN            warms the token on every worker, logs out, then asks
                                                 PROBES times on new connections: each 200 is stale

Environment: JWT_KEY (base64), JWT_ISSUER, JWT_AUDIENCE, PROBES (200), WARM (40), WORKERS (1).
"""

import base64
import concurrent.futures
import http.client
import os
import sys
import time
import urllib.parse
import uuid

import jwt


def mint(subject: str) -> str:
    now = int(time.time()) - 5
    claims = {
        "iss": os.environ.get("JWT_ISSUER", "revocation-registry"),
        "aud": os.environ.get("JWT_AUDIENCE", "revocation-api"),
        "sub": subject,
        "jti": f"airflow-{uuid.uuid4().hex}",
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
    }
    return jwt.encode(claims, base64.b64decode(os.environ["JWT_KEY"]), algorithm="HS256")


def request(method: str, url: str, token: str, timeout: float = 90.0) -> tuple[int, bytes, dict, float]:
    """One request on a new connection: (status, body, headers with lower-case names, seconds);
    status 0 when no answer."""
    parts = urllib.parse.urlsplit(url)
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request(method, parts.path or "/", headers={"Authorization": f"Bearer {token}", "Connection": "close"})
        response = connection.getresponse()
        body = response.read()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, body, headers, time.perf_counter() - started
    except OSError:
        return 0, b"", {}, time.perf_counter() - started
    finally:
        connection.close()


def quantile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(q * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def burst(url: str, token: str, requests: int, concurrency: int) -> str:
    # The token asked once per worker first (WORKERS sequential requests, round robin behind nginx):
    # the report's TTL-cache row was measured warm, and a cold miss per worker is not the point.
    for _ in range(int(os.environ.get("WORKERS", "1"))):
        request("GET", url, token)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda _: request("GET", url, token), range(requests)))
    wall = time.perf_counter() - started
    ok = sum(1 for status, *_ in results if status == 200)
    pool_timeouts = sum(1 for status, body, *_ in results if status == 500 and b"QueuePool timeout" in body)
    seconds = sorted(r[3] for r in results)
    statuses = {}
    for status, *_ in results:
        statuses[status] = statuses.get(status, 0) + 1
    return (f"wall_s={wall:.2f} ok={ok} total={requests} success_pct={100 * ok / requests:.0f} pool_timeouts={pool_timeouts} "
            f"p50_s={quantile(seconds, 0.5):.3f} p95_s={quantile(seconds, 0.95):.3f} p99_s={quantile(seconds, 0.99):.3f} "
            f"statuses={','.join(f'{k}:{v}' for k, v in sorted(statuses.items()))}")


def stale(url: str, logout_url: str, token: str) -> str:
    """Warms the token on every worker (WORKERS of them; requests in parallel so that the kernel
    hands connections to more than one), logs it out, then asks PROBES times in parallel."""
    warm = int(os.environ.get("WARM", "40"))
    probes = int(os.environ.get("PROBES", "200"))
    expected_workers = int(os.environ.get("WORKERS", "1"))
    workers = set()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(20):
            for status, _body, headers, _ in pool.map(lambda _: request("GET", url, token), range(warm)):
                if status != 200:
                    return f"error=warm-up-status-{status}"
                workers.add(headers.get("x-worker", "?"))
            if len(workers) >= expected_workers:
                break
        status, *_ = request("POST", logout_url, token)
        if status not in (200, 204):
            return f"error=logout-status-{status}"
        results = list(pool.map(lambda _: request("GET", url, token), range(probes)))
    answered_by = {}
    for status, _body, headers, _ in results:
        if status == 200:
            worker = headers.get("x-worker", "?")
            answered_by[worker] = answered_by.get(worker, 0) + 1
    return f"stale={sum(answered_by.values())} probes={probes} workers_warmed={len(workers)} stale_workers={len(answered_by)}"


def main(argv: list[str]) -> int:
    match argv:
        case ["mint", subject]:
            print(mint(subject))
        case ["burst", url, token, requests, concurrency]:
            print(burst(url, token, int(requests), int(concurrency)))
        case ["stale", url, logout_url, token]:
            print(stale(url, logout_url, token))
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
