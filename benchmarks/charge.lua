-- wrk script of `make bench`: behind-a-proxy HTTPS header, a bounded number of requests per
-- thread, an optional cycle of paths, and a JSON summary on the last line.
-- Arguments after "--": max requests per thread, then zero or more paths to cycle through.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  max_requetes = tonumber(args[1]) or 1000
  chemins = {}
  for i = 2, #args do
    table.insert(chemins, args[i])
  end
  compte = 0
  non200 = 0
  suivant = 0
  wrk.headers["X-Forwarded-Proto"] = "https"
end

function request()
  if #chemins == 0 then
    return wrk.format(nil, nil)
  end
  suivant = suivant % #chemins + 1
  return wrk.format(nil, chemins[suivant])
end

function response(status, headers, body)
  compte = compte + 1
  if status ~= 200 then
    non200 = non200 + 1
  end
  if compte >= max_requetes then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local autres = 0
  for _, thread in ipairs(threads) do
    autres = autres + (thread:get("non200") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    '{"requetes":%d,"duree_us":%d,"octets":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"erreurs_socket":%d,"erreurs_statut":%d,"delais_depasses":%d,"non200":%d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max,
    e.connect + e.read + e.write, e.status, e.timeout, autres))
end
