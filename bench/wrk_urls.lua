-- Cycles through a list of URLs, one per request, and prints wrk's summary as one JSON line
-- (wrk --latency prints no p95). Arguments after `--`: the file of URLs (one per line: the path,
-- then optionally a tab and the Cookie header of the user who asks for it) and the position of
-- the first request in that list (so each round goes on where the last one stopped).
local requests = {}
local next_index = 0

init = function(args)
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]+)\t?(.*)$")
    if path then
      local headers = {}
      if cookie ~= "" then
        headers["Cookie"] = cookie
      end
      requests[#requests + 1] = wrk.format("GET", path, headers)
    end
  end
  next_index = tonumber(args[2] or "0") % #requests
end

request = function()
  next_index = next_index + 1
  if next_index > #requests then
    next_index = 1
  end
  return requests[next_index]
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.6f, "errors": %d, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
