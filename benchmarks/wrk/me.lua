-- wrk script of scripts/bench.sh: GET /me with a different valid token on every request.
--   wrk -s me.lua http://127.0.0.1:PORT -- <tokens file> <revokeEvery> [path, default /me]
-- Token i (0-based line) is revoked when i % revokeEvery == 0, so the 401s those requests get
-- are expected; each thread starts at a different place in the file. done() prints one line:
--   RESULT requests=... seconds=... p50_us=... p99_us=... max_us=... revoked_sent=... s200=... s401=... other=... errors=...
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
  every = tonumber(args[2])
  path = args[3] or "/me"
  count = #tokens
  next_index = (id * 7919) % count
  revoked_sent = 0
  statuses = {}
end

function request()
  local index = next_index
  next_index = (next_index + 1) % count
  if index % every == 0 then
    revoked_sent = revoked_sent + 1
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. tokens[index + 1] })
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local revoked, s200, s401, other = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    revoked = revoked + thread:get("revoked_sent")
    for status, n in pairs(thread:get("statuses")) do
      if status == 200 then s200 = s200 + n
      elseif status == 401 then s401 = s401 + n
      else other = other + n end
    end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50_us=%d p99_us=%d max_us=%d revoked_sent=%d s200=%d s401=%d other=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), latency.max,
    revoked, s200, s401, other, e.connect + e.read + e.write + e.timeout))
end
