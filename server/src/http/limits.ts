import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { costLimitPlugin } from "@escape.tech/graphql-armor-cost-limit";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { GraphQLError, Kind, NoSchemaIntrospectionCustomRule, type DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";

/*
 * The shape limits every operation meets before it is validated or run, over HTTP and WebSocket alike (both go
 * through yoga's envelop). Each refusal is a GraphQL error with its own code. Tokens are counted while parsing, so a
 * 5,000-deep list literal or a long fragment chain is refused before any recursive rule could overflow the stack.
 */

export const LIMITS = { tokens: 10_000, nesting: 128, fragments: 100, depth: 20, aliases: 30, cost: 20_000 } as const;

type Rejection = { onReject: ((context: unknown, error: GraphQLError) => void)[]; propagateOnRejection: true };

/** graphql-armor reports every limit as a "Syntax Error" without a code: give it one, in the caller's terms. */
function coded(code: string): Rejection {
  return {
    propagateOnRejection: true,
    onReject: [
      (_context, error) => {
        error.message = error.message.replace(/^Syntax Error: /, "");
        Object.assign(error.extensions, { code, http: { status: 400 } });
      },
    ],
  };
}

/** The deepest nesting of brackets ({, [, () in a document, outside strings and comments: one linear pass. */
export function bracketNesting(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === "#") i = endOfLine(source, i);
    else if (char === '"') i = endOfString(source, i);
    else if (char === "{" || char === "[" || char === "(") deepest = Math.max(deepest, ++depth);
    else if (char === "}" || char === "]" || char === ")") depth--;
  }
  return deepest;
}

function endOfLine(source: string, start: number): number {
  const end = source.indexOf("\n", start);
  return end === -1 ? source.length : end;
}

/** The index of the closing quote of the string (or block string) opening at `start`. */
function endOfString(source: string, start: number): number {
  if (source.startsWith('"""', start)) {
    const end = source.indexOf('"""', start + 3);
    return end === -1 ? source.length : end + 2;
  }
  for (let i = start + 1; i < source.length; i++) {
    if (source[i] === "\\") i++;
    else if (source[i] === '"' || source[i] === "\n") return i;
  }
  return source.length;
}

/** graphql-js parses nested lists and objects recursively: refuse deep nesting before parsing, not by a stack overflow. */
function useMaxNesting(max: number): Plugin {
  return {
    onParse: ({ parseFn, setParseFn }) => {
      setParseFn((source, options) => {
        const nesting = bracketNesting(typeof source === "string" ? source : source.body);
        if (nesting > max) {
          throw new GraphQLError(`Nesting limit of ${max} exceeded, found ${nesting}.`, { extensions: { code: "QUERY_TOO_DEEP", http: { status: 400 } } });
        }
        return parseFn(source, options);
      });
    },
  };
}

function useMaxFragments(max: number): Plugin {
  return {
    onParse: () => ({ result }) => {
      if (!result || result instanceof Error || !("definitions" in result)) return;
      const fragments = (result as DocumentNode).definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION).length;
      if (fragments > max) {
        throw new GraphQLError(`Fragment limit of ${max} exceeded, found ${fragments}.`, { extensions: { code: "TOO_MANY_FRAGMENTS", http: { status: 400 } } });
      }
    },
  };
}

/** Introspection refused (and GraphiQL not served) under NODE_ENV=production unless INTROSPECTION=on. */
function useIntrospectionSwitch(enabled: boolean): Plugin {
  return enabled ? {} : { onValidate: ({ addValidationRule }) => addValidationRule(NoSchemaIntrospectionCustomRule) };
}

export function limitPlugins(options: { introspection: boolean }): Plugin[] {
  return [
    maxTokensPlugin({ n: LIMITS.tokens, ...coded("QUERY_TOO_LARGE") }),
    useMaxNesting(LIMITS.nesting),
    useMaxFragments(LIMITS.fragments),
    maxDepthPlugin({ n: LIMITS.depth, flattenFragments: true, ignoreIntrospection: false, ...coded("QUERY_TOO_DEEP") }),
    maxAliasesPlugin({ n: LIMITS.aliases, ...coded("TOO_MANY_ALIASES") }),
    costLimitPlugin({ maxCost: LIMITS.cost, ...coded("QUERY_TOO_COSTLY") }),
    useIntrospectionSwitch(options.introspection),
  ];
}
