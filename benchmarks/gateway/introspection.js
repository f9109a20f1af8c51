// njs handler for the introspection row of scripts/bench-gateway.sh: the bearer token of the
// request is POSTed to RFC 7662 introspection (client credentials set by the internal location),
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
        r.return(503); // nginx answers 500 for it: the registry could not say
        return;
    }

    r.return(JSON.parse(reply.responseText).active === true ? 204 : 401);
}

export default { check };
