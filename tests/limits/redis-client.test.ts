import { describe, expect, it } from "vitest";
import {
  createRedisClient,
  getRedisClient,
  quitRedisClient,
  quitRedisClients,
} from "~/server/redis/redis-client";
import { startRedisServer } from "../helpers/redis-server";

describe("redis client factory and the test redis-server helper", () => {
  it("shares one lazy client per URL and quits them all on shutdown", async () => {
    const server = await startRedisServer();
    try {
      const a = getRedisClient(server.url);
      expect(getRedisClient(server.url)).toBe(a);
      expect(a.status).toBe("wait"); // nothing connects before the first command
      expect(await a.ping()).toBe("PONG");
      expect(a.status).toBe("ready");
      await quitRedisClients();
      expect(a.status).toBe("end");
      const b = getRedisClient(server.url);
      expect(b).not.toBe(a);
      expect(await b.set("k", "v")).toBe("OK");
      await quitRedisClients();
    } finally {
      await server.stop();
    }
  });

  it("starts on a unix socket (no persistence), and the client takes unix:// URLs", async () => {
    const server = await startRedisServer({ unixSocket: true });
    const client = createRedisClient(`unix://${server.socketPath}`);
    try {
      expect(server.port).toBeNull();
      expect(await client.ping()).toBe("PONG");
      expect(await client.config("GET", "save")).toEqual(["save", ""]);
      expect(await client.config("GET", "appendonly")).toEqual(["appendonly", "no"]);
    } finally {
      await quitRedisClient(client);
      await server.stop();
    }
  });

  it("fails a command quickly, not hanging, when the server is gone; stop() is idempotent", async () => {
    const server = await startRedisServer();
    const client = createRedisClient(server.url, { commandTimeoutMs: 500 });
    try {
      expect(await client.ping()).toBe("PONG");
      await server.stop();
      await server.stop();
      const started = Date.now();
      await expect(client.ping()).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await quitRedisClient(client);
    }
  });
});
