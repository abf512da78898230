import { AsyncLocalStorage } from "node:async_hooks";
import type { Plugin } from "graphql-yoga";
import type { Principal } from "./principal.js";

/*
 * Who caused a change, for the activity feed, without threading the caller through every service: each GraphQL
 * execution runs inside the caller's name; work the server starts on its own (recovery, timers) is "system".
 */

const actors = new AsyncLocalStorage<string>();

export function currentActor(): string {
  return actors.getStore() ?? "system";
}

export function actorOf(principal: Principal): string {
  return principal.name ?? "anonymous";
}

export function useActor(): Plugin<{ principal: Principal }> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const actor = actorOf((args.contextValue as { principal: Principal }).principal);
      setExecuteFn((executeArgs) => actors.run(actor, () => executeFn(executeArgs)));
    },
  };
}
