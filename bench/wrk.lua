-- wrk script for every bench run: optional cookie and POST body from the environment, and the
-- results printed as one JSON line (so the runner never parses wrk's human-readable text).
--   BENCH_COOKIE  Cookie header for a signed-in session
--   BENCH_BODY    form body for a POST (a running number is appended to make replies unique)

local cookie = os.getenv("BENCH_COOKIE")
local body = os.getenv("BENCH_BODY")

if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

if body and body ~= "" then
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  local counter = 0
  request = function()
    counter = counter + 1
    return wrk.format("POST", nil, nil, body .. "+" .. counter)
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
