-- wrk script for scripts/bench-load.sh: every request is one fresh, valid single response
-- (`express` questionnaire at a demo point) with a UUID no other request uses, sent as a QR
-- respondent's phone would. Each request names a client address of its own in
-- X-Forwarded-For (the server trusts loopback as a proxy in this benchmark), so the anonymous
-- rate limiter runs on every request, as it does for phones, without a load generator's
-- single address tripping it. Counts `created` results and requests made per thread; `done`
-- prints the totals, so the script can check created <= stored <= made (the difference being
-- the requests still in flight when wrk stopped, which the server may have stored).
local threads = {}
counter = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  point = args[1]
  created = 0
  bad = 0
  -- A minute ago, in UTC: inside any "not in the future" check, and in today's rollup.
  submitted_at = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 60)
  -- args[2] is a number no other wrk run against the database used.
  prefix = string.format("%08x-%04x-7", tonumber(args[2]) % 0x100000000, tid)
end

local likert = { "yes", "rather_yes", "rather_no", "no" }

function request()
  counter = counter + 1
  -- 8-4-4-4-12: the run and the thread up front, the request counter at the end.
  local id = string.format("%s%03x-8000-%012x", prefix, counter % 0x1000, counter)
  local body = string.format(
    '{"responses":[{"id":"%s","point":"%s","questionnaire":"express","version":1,'
      .. '"channel":"qr","device":null,"seq":null,"submitted_at":"%s",'
      .. '"answers":[{"q":"overall","v":"%s"},{"q":"nps","v":%d}]}]}',
    id, point, submitted_at, likert[counter % 4 + 1], counter % 11)
  -- 10.<thread>.<counter>: one address per request, so 30 a minute per address never binds.
  local addr = string.format("10.%d.%d.%d", tid % 256, math.floor(counter / 256) % 256, counter % 256)
  return wrk.format("POST", "/api/v1/responses",
    { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = addr }, body)
end

function response(status, headers, body)
  if status == 200 and string.find(body, '"created"', 1, true) then
    created = created + 1
  else
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local c, b, m = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    b = b + t:get("bad")
    m = m + t:get("counter")
  end
  io.write(string.format("created %d\nnot_created %d\nmade %d\n", c, b, m))
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
