"""A small API server shaped like Airflow 3's, to reproduce its revoked-token failure and fix it.

Every request is authenticated with a JWT and lists DAGs from the database. How a request learns
whether its token was revoked is chosen by REVOCATION_CHECK:

  stock    a synchronous ``is_revoked(jti)`` query per request on SQLAlchemy's QueuePool (a
           session of its own, before the endpoint's own session is opened): each check holds a
           pooled connection for as long as the database takes, and under concurrency requests
           wait up to POOL_TIMEOUT seconds for one.
  ttl      the same query behind a process-local TTL cache (TTL_SECONDS, 60): the proposed fix.
           A logout evicts the entry of the worker that served it; the other workers keep theirs.
  gateway  no check in the app at all: nginx asked the registry (auth_request) before passing the
           request on, and the identity arrives in headers the gateway set.

CHECK_QUERY_SECONDS (0) makes the check's query take that long in the database (pg_sleep): a
database under load, as the report's numbers imply (60 requests through 5 connections in 31 s is
about 2.5 s per check). The endpoint's own query is never slowed, so a row measures the check.

Settings (environment): DATABASE_URL, REVOCATION_CHECK, POOL_SIZE, MAX_OVERFLOW, POOL_TIMEOUT,
TTL_SECONDS, CHECK_QUERY_SECONDS, JWT_KEY (base64 HMAC key), JWT_ISSUER, JWT_AUDIENCE, SUBJECT_HEADER.
"""

import base64
import os
import threading

import jwt
from cachetools import TTLCache
from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import create_engine, text
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

CHECK = os.environ.get("REVOCATION_CHECK", "stock")
if CHECK not in ("stock", "ttl", "gateway"):
    raise SystemExit(f"REVOCATION_CHECK must be stock, ttl or gateway (was {CHECK!r})")

engine = create_engine(
    os.environ["DATABASE_URL"],
    pool_size=int(os.environ.get("POOL_SIZE", "5")),
    max_overflow=int(os.environ.get("MAX_OVERFLOW", "10")),
    pool_timeout=float(os.environ.get("POOL_TIMEOUT", "30")),
    pool_pre_ping=False,
)
SessionLocal = sessionmaker(bind=engine)

KEY = base64.b64decode(os.environ.get("JWT_KEY", ""))
ISSUER = os.environ.get("JWT_ISSUER", "revocation-registry")
AUDIENCE = os.environ.get("JWT_AUDIENCE", "revocation-api")
SUBJECT_HEADER = os.environ.get("SUBJECT_HEADER", "X-Auth-Subject")
TTL = float(os.environ.get("TTL_SECONDS", "60"))
CHECK_QUERY_SECONDS = float(os.environ.get("CHECK_QUERY_SECONDS", "0"))
CHECK_QUERY = text(
    "SELECT EXISTS (SELECT 1 FROM revoked_token WHERE jti = :jti)" if CHECK_QUERY_SECONDS == 0
    else "SELECT EXISTS (SELECT 1 FROM revoked_token WHERE jti = :jti) FROM pg_sleep(:seconds)")

_cache = TTLCache(maxsize=100_000, ttl=TTL)
_cache_lock = threading.Lock()

app = FastAPI(title="airflow-shaped API server")


@app.exception_handler(PoolTimeout)
def pool_timeout(_request: Request, exc: PoolTimeout) -> JSONResponse:
    """What Airflow's users saw: a 500 after POOL_TIMEOUT seconds in QueuePool._do_get."""
    return JSONResponse({"detail": "QueuePool timeout", "error": str(exc)[:200]}, status_code=500)


def request_session():
    """The request's own session: its connection is held until the response is sent."""
    with SessionLocal() as session:
        yield session


def is_revoked(jti: str) -> bool:
    """The per-request query, on a session of its own."""
    with SessionLocal() as session:
        return bool(session.execute(CHECK_QUERY, {"jti": jti, "seconds": CHECK_QUERY_SECONDS}).scalar())


def is_revoked_cached(jti: str) -> bool:
    with _cache_lock:
        if jti in _cache:
            return _cache[jti]
    revoked = is_revoked(jti)
    with _cache_lock:
        _cache[jti] = revoked
    return revoked


def bearer_claims(request: Request) -> dict:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("bearer "):
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    try:
        return jwt.decode(header[7:], KEY, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER,
                          options={"require": ["exp", "jti", "sub"]})
    except jwt.PyJWTError:
        raise HTTPException(401, "invalid token", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


def current_user(request: Request) -> dict:
    if CHECK == "gateway":
        subject = request.headers.get(SUBJECT_HEADER)
        if not subject:
            raise HTTPException(401, "no identity from the gateway", headers={"WWW-Authenticate": "Bearer"})
        return {"sub": subject}
    claims = bearer_claims(request)
    revoked = is_revoked(claims["jti"]) if CHECK == "stock" else is_revoked_cached(claims["jti"])
    if revoked:
        raise HTTPException(401, "token revoked", headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return claims


@app.get("/api/v2/dags")
def list_dags(response: Response, user: dict = Depends(current_user), session: Session = Depends(request_session)):
    rows = session.execute(text("SELECT dag_id, owner, is_paused FROM dag ORDER BY dag_id LIMIT 100")).all()
    response.headers["X-Worker"] = str(os.getpid())
    return {"dags": [{"dag_id": r[0], "owner": r[1], "is_paused": r[2]} for r in rows], "total_entries": len(rows), "user": user["sub"]}


@app.post("/auth/logout", status_code=204)
def logout(request: Request, response: Response):
    """stock and ttl: the app's own revoked-token table (gateway: logout goes to the registry)."""
    if CHECK == "gateway":
        raise HTTPException(404, "log out through the registry")
    claims = bearer_claims(request)
    with SessionLocal() as session:
        session.execute(text("INSERT INTO revoked_token (jti, exp) VALUES (:jti, to_timestamp(:exp)) ON CONFLICT DO NOTHING"),
                        {"jti": claims["jti"], "exp": claims["exp"]})
        session.commit()
    with _cache_lock:
        _cache.pop(claims["jti"], None)
    response.headers["X-Worker"] = str(os.getpid())
    return None
