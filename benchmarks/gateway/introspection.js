// njs handler for the introspection rows of scripts/bench-gateway.sh: the bearer token of the
// request is POSTed to RFC 7662 introspection (the registry's or the OpenID Provider's: each server
// block has its own internal location /_introspection_request, with the client credentials),
// and the request is let through when the answer says "active": true.
async function check(r) {
    const header = r.headersIn.Authorization || "";
    if (!header.startsWith("Bearer ")) {
        r.return(401);
        return;
    }

    const reply = await r.subrequest("/_introspection_request", {
        method: "POST",
        body: "token=" + encodeURIComponent(header.slice(7)),
    });
    if (reply.status !== 200) {
        r.return(503); // nginx answers 500 for it: the introspection endpoint could not say
        return;
    }

    r.return(JSON.parse(reply.responseText).active === true ? 204 : 401);
}

export default { check };
