import { Redis, type RedisOptions } from "ioredis";
import type { Logger } from "pino";

/*
 * A connection to Redis (REDIS_URL) that says, once, when it is lost and when it is back, instead of an error per
 * reconnection attempt. ioredis reconnects by itself and resends what was queued meanwhile.
 */
export function connectRedis(url: string, logger: Logger, role: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, { connectionName: `lora-studio ${role}`, ...options });
  let down = false;
  client.on("error", (error: Error) => {
    if (!down) logger.warn({ err: error, role }, "the connection to Redis failed; reconnecting");
    down = true;
  });
  client.on("ready", () => {
    if (down) logger.info({ role }, "the connection to Redis is back");
    down = false;
  });
  return client;
}
