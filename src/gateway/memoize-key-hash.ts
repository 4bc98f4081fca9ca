import type { KeyHasher } from "./ports";

/**
 * Remembers the hashes of recently presented keys, so a client's every request does not pay for
 * an HMAC. Bounded: cleared when full (a flood of made-up keys only costs the HMACs again).
 */
export function memoizeKeyHash(hash: KeyHasher, maxEntries = 1024): KeyHasher {
  let memo = new Map<string, string>();
  return (key) => {
    let hashed = memo.get(key);
    if (hashed === undefined) {
      hashed = hash(key);
      if (memo.size >= maxEntries) memo = new Map();
      memo.set(key, hashed);
    }
    return hashed;
  };
}
