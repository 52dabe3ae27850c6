-- wrk hook for the fixed-rate mode of run.py (issue 13): requests are sent on a schedule of `rate`
-- requests per second per thread, spread over that thread's connections, instead of as fast as the
-- server answers. wrk calls delay() when a connection is free for its next request; it answers with the
-- time left until the next slot of the thread's schedule (LuaJIT's ffi reads the monotonic clock).
--
-- Limits (stated in docs/benchmarks.md): wrk measures latency from the moment a request is written, so
-- when every connection is busy and a slot passes, the wait for a free connection is not in the
-- latency (coordinated omission). That wait is counted instead: a request sent more than 10 ms after
-- its slot is "late", and the row reports the share of late requests (of those paced by delay()) and the achieved rate; a row with
-- many late requests did not hold the rate and its p95 understates what a client would see. The first
-- request of each connection goes out at the start (wrk does not delay it).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } jx_timespec;
  int clock_gettime(int clock, jx_timespec *spec);
]]
local spec = ffi.new("jx_timespec")
local function now_us()
  ffi.C.clock_gettime(1, spec) -- CLOCK_MONOTONIC
  return tonumber(spec.tv_sec) * 1e6 + tonumber(spec.tv_nsec) / 1e3
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("index", thread_count)
  table.insert(threads, thread)
end

function init(args)
  local total = tonumber(args[1]) or 100
  local count = tonumber(args[2]) or 1
  interval = 1e6 * count / total -- microseconds between this thread's requests
  -- Threads take turns: thread i starts i/count of an interval late, so the slots interleave.
  next_slot = now_us() + interval * (index - 1) / count
  late = 0
  paced = 0
  bad = 0
end

function delay()
  local now = now_us()
  local slot = next_slot
  next_slot = next_slot + interval
  paced = paced + 1
  if now - slot > 10000 then
    late = late + 1
  end
  if slot <= now then
    return 0
  end
  return math.floor((slot - now) / 1000)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local bad_total, late_total, paced_total = 0, 0, 0
  for _, thread in ipairs(threads) do
    bad_total = bad_total + (thread:get("bad") or 0)
    late_total = late_total + (thread:get("late") or 0)
    paced_total = paced_total + (thread:get("paced") or 0)
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "errors": %d, "non200": %d, "late": %d, "paced": %d, "p50": %d, "p95": %d, "p99": %d, "mean": %d}\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    bad_total, late_total, paced_total, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
