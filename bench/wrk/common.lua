-- Shared by the benchmark scripts: one machine-readable line per run, read by bench/run.sh.
-- RESULT <requests/s> <p50 ms> <p99 ms> <errors> <requests>
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    errors, summary.requests))
end

-- Reads a file into a list of non-empty lines.
function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if #line > 0 then lines[#lines + 1] = line end
  end
  return lines
end

-- A token pool ($TOKENS, one per line) cycled per thread, each thread from its own offset so
-- the threads do not send the same token together. A script calls pool_setup from setup(),
-- pool_init from init(), and next_token per request.
local pool_threads = 0

function pool_setup(thread)
  thread:set("offset", pool_threads)
  pool_threads = pool_threads + 1
end

function pool_init()
  local path = os.getenv("TOKENS")
  if not path then return end
  tokens = read_lines(path)
  counter = (offset * 997) % #tokens + 1
end

function next_token()
  local token = tokens[counter]
  counter = counter % #tokens + 1
  return token
end
