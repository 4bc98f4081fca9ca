/**
 * Lua scripts of the Redis counter store: each runs atomically on the server, so one request's
 * checks and takes across all of its counters are all-or-nothing even with many gateway
 * instances. Time comes from the Redis server (`TIME`), so instances with skewed clocks agree.
 * The arithmetic mirrors `src/gateway/limits/gcra.ts` and the in-process store.
 *
 * Numbers cross into Redis as strings formatted here: Lua would otherwise print them with 14
 * significant digits (micro-dollar sums and millisecond timestamps need more). Results come back
 * as JSON with integer amounts as strings for the same reason.
 */

const COMMON = `
local EPS = 1e-6
-- a 'total' budget counter is re-read from the request logs after this long
local TOTAL_TTL_MS = 2592000000
local function int(x) return string.format('%d', math.floor(x)) end
local function fmt(x) return string.format('%.17g', x) end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local function tat_of(key)
  local v = tonumber(redis.call('GET', key) or '') or now
  if v < now then return now end
  return v
end
local function remaining(tat, limit, win)
  return math.max(0, math.floor((win - (tat - now)) / (win / limit) + EPS))
end
-- at: the engine's expiry (ms since the epoch), -1 for none. An instance whose clock is far
-- behind could name a time already past on this server: keep the key a grace day instead of
-- deleting it in the middle of the script.
local function expire_at(key, at)
  if at < 0 then redis.call('PEXPIRE', key, int(TOTAL_TTL_MS))
  elseif at > now then redis.call('PEXPIREAT', key, int(at))
  else redis.call('PEXPIRE', key, int(86400000)) end
end
`;

/**
 * KEYS: rate counters, lease sets, then per budget its hash (s = spent, r = reserved, r:<id> =
 * one reservation) and its reservation-expiry sorted set.
 * ARGV[1]: {id, r: [[limit, windowMs, cost]], l: [limit], lt: leaseTtlMs,
 *           b: [[amount, hard(0|1), reserve, expiresAt|-1, initialSpent|-1]], rt: reservationTtlMs, rm: 0|1}
 */
export const ADMIT_SCRIPT = `${COMMON}
local p = cjson.decode(ARGV[1])
local nR, nL, nB = #p.r, #p.l, #p.b
local function bkey(i) return KEYS[nR + nL + 2 * i - 1] end
local function ekey(i) return KEYS[nR + nL + 2 * i] end

if p.rm == 1 then
  local missing = {}
  for i = 1, nB do
    if p.b[i][5] < 0 and redis.call('EXISTS', bkey(i)) == 0 then missing[#missing + 1] = i - 1 end
  end
  if #missing > 0 then return cjson.encode({ o = 'm', m = missing }) end
end

local newTats, states = {}, {}
local rateFail, rateRetry = -1, 0
for i = 1, nR do
  local limit, win, cost = p.r[i][1], p.r[i][2], p.r[i][3]
  local tat = tat_of(KEYS[i])
  local nt = tat + cost * win / limit
  if nt - now <= win + EPS then
    newTats[i] = nt
    states[i] = { remaining(nt, limit, win), nt - now }
  else
    local retry = -1
    if cost <= limit then retry = nt - win - now end
    if rateFail < 0 or (rateRetry >= 0 and (retry < 0 or retry > rateRetry)) then
      rateFail, rateRetry = i - 1, retry
    end
  end
end

local leaseFail, inFlight = -1, 0
for i = 1, nL do
  local k = KEYS[nR + i]
  redis.call('ZREMRANGEBYSCORE', k, '-inf', fmt(now))
  local n = redis.call('ZCARD', k)
  if leaseFail < 0 and n >= p.l[i] then leaseFail, inFlight = i - 1, n end
end

local budgetFail, failSpent, failReserved = -1, '0', '0'
for i = 1, nB do
  local b = p.b[i]
  local bk, ek = bkey(i), ekey(i)
  if redis.call('EXISTS', bk) == 0 then
    -- created once: when several instances race to initialize, the first one's value stands
    redis.call('DEL', ek)
    redis.call('HSET', bk, 's', int(math.max(b[5], 0)), 'r', '0')
    expire_at(bk, b[4])
  else
    local expired = redis.call('ZRANGEBYSCORE', ek, '-inf', fmt(now))
    for _, id in ipairs(expired) do
      local amt = redis.call('HGET', bk, 'r:' .. id)
      if amt then
        redis.call('HDEL', bk, 'r:' .. id)
        redis.call('HINCRBY', bk, 'r', '-' .. amt)
      end
    end
    if #expired > 0 then redis.call('ZREMRANGEBYSCORE', ek, '-inf', fmt(now)) end
  end
  local v = redis.call('HMGET', bk, 's', 'r')
  local spent, reserved = tonumber(v[1]) or 0, tonumber(v[2]) or 0
  if budgetFail < 0 and b[2] == 1 and (spent + reserved + b[3] > b[1] or spent + reserved >= b[1]) then
    budgetFail, failSpent, failReserved = i - 1, v[1], v[2]
  end
end

if budgetFail >= 0 or rateFail >= 0 or leaseFail >= 0 then
  local peeks = {}
  for i = 1, nR do
    local tat = tat_of(KEYS[i])
    peeks[i] = { remaining(tat, p.r[i][1], p.r[i][2]), tat - now }
  end
  local f
  if budgetFail >= 0 then f = { 'budget', budgetFail, failSpent, failReserved }
  elseif rateFail >= 0 then f = { 'rate', rateFail, rateRetry }
  else f = { 'lease', leaseFail, inFlight } end
  return cjson.encode({ o = 'r', f = f, r = peeks })
end

for i = 1, nR do
  redis.call('SET', KEYS[i], fmt(newTats[i]), 'PX', int(math.ceil(newTats[i] - now) + 1))
end
for i = 1, nL do
  redis.call('ZADD', KEYS[nR + i], int(now + p.lt), p.id)
  redis.call('PEXPIRE', KEYS[nR + i], int(p.lt))
end
local budgets = {}
for i = 1, nB do
  local b = p.b[i]
  local bk, ek = bkey(i), ekey(i)
  if b[3] > 0 then
    redis.call('HSET', bk, 'r:' .. p.id, int(b[3]))
    redis.call('HINCRBY', bk, 'r', int(b[3]))
    redis.call('ZADD', ek, int(now + p.rt), p.id)
    expire_at(ek, b[4])
  end
  budgets[i] = redis.call('HMGET', bk, 's', 'r')
end
return cjson.encode({ o = 'a', r = states, b = budgets })
`;

/**
 * KEYS: TPM counters to correct, lease sets, then per budget its hash, reservation set and
 * alert-marker set. ARGV[1]: {id, r: [[limit, windowMs, delta]], b: [[actual, expiresAt|-1, [[pct, micros]]]]}
 */
export const SETTLE_SCRIPT = `${COMMON}
local p = cjson.decode(ARGV[1])
local nR, nL, nB = #p.r, p.nl, #p.b
for i = 1, nR do
  local limit, win, delta = p.r[i][1], p.r[i][2], p.r[i][3]
  local nt = tat_of(KEYS[i]) + delta * win / limit
  if nt <= now then redis.call('DEL', KEYS[i])
  else redis.call('SET', KEYS[i], fmt(nt), 'PX', int(math.ceil(nt - now) + 1)) end
end
for i = 1, nL do redis.call('ZREM', KEYS[nR + i], p.id) end
local alerts = {}
for i = 1, nB do
  local b = p.b[i]
  local base = nR + nL + 3 * (i - 1)
  local bk, ek, ak = KEYS[base + 1], KEYS[base + 2], KEYS[base + 3]
  -- no counter: the period's spend is (re)loaded from the request logs, which include this request
  if redis.call('EXISTS', bk) == 1 then
    local amt = redis.call('HGET', bk, 'r:' .. p.id)
    if amt then
      redis.call('HDEL', bk, 'r:' .. p.id)
      redis.call('HINCRBY', bk, 'r', '-' .. amt)
      redis.call('ZREM', ek, p.id)
    end
    local before = tonumber(redis.call('HGET', bk, 's') or '0') or 0
    local after = redis.call('HINCRBY', bk, 's', int(b[1]))
    for _, th in ipairs(b[3]) do
      if before < th[2] and after >= th[2] and redis.call('SADD', ak, th[1]) == 1 then
        expire_at(ak, b[2])
        alerts[#alerts + 1] = { i - 1, th[1], int(after) }
      end
    end
  end
end
return cjson.encode({ a = alerts })
`;

/** KEYS: rate counters, lease sets, per budget hash + reservation set. ARGV[1]: {r: [[limit, windowMs]], nl} */
export const SNAPSHOT_SCRIPT = `${COMMON}
local p = cjson.decode(ARGV[1])
local nR, nL = #p.r, p.nl
local nB = (#KEYS - nR - nL) / 2
local rates, leases, budgets = {}, {}, {}
for i = 1, nR do
  local tat = tat_of(KEYS[i])
  rates[i] = { remaining(tat, p.r[i][1], p.r[i][2]), tat - now }
end
for i = 1, nL do leases[i] = redis.call('ZCOUNT', KEYS[nR + i], '(' .. fmt(now), '+inf') end
for i = 1, nB do
  local bk, ek = KEYS[nR + nL + 2 * i - 1], KEYS[nR + nL + 2 * i]
  if redis.call('EXISTS', bk) == 1 then
    local v = redis.call('HMGET', bk, 's', 'r')
    local reserved = tonumber(v[2]) or 0
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', ek, '-inf', fmt(now))) do
      reserved = reserved - (tonumber(redis.call('HGET', bk, 'r:' .. id) or '0') or 0)
    end
    budgets[i] = { v[1], int(reserved) }
  else
    budgets[i] = false
  end
end
return cjson.encode({ r = rates, l = leases, b = budgets })
`;
