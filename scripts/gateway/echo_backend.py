"""A backend in another language behind the gateways: it checks no token at all and answers
every request with what it received, so a test can see exactly which identity headers the
gateway handed it (scripts/gateway.sh starts it with Debian's uvicorn)."""
from fastapi import FastAPI, Request

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@app.api_route("/{path:path}", methods=METHODS)
async def echo(path: str, request: Request):
    # Every X-Auth-* header as received (a repeated one keeps all its values), nothing else.
    identity = {}
    for name, value in request.headers.items():
        if name.lower().startswith("x-auth-"):
            identity.setdefault(name.lower(), []).append(value)
    return {"method": request.method, "path": "/" + path, "identity": identity}
