-- wrk hook: one JSON line with what run.py needs (wrk's own summary has no p95 and no non-2xx count
-- per status). Latencies are in microseconds.
local statuses = {}
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + (thread:get("bad") or 0)
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "errors": %d, "non200": %d, "p50": %d, "p95": %d, "p99": %d, "mean": %d}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    bad_total, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
