import { wrapOrThrow } from "@pothos/plugin-errors";
import { defaultFieldResolver, isObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import type { Plugin } from "graphql-yoga";
import { nulCharacterPath } from "../formats/json.js";
import { BadUserInputError } from "./domain-errors.js";
import { codedGraphQLError } from "./graphql-errors.js";

const NUL_REFUSAL = "must not contain the NUL character (\\u0000)";

/** Schemas already guarded: every yoga instance of the process shares the one schema. */
const guardedSchemas = new WeakSet<GraphQLSchema>();

type ErrorClass = new (...args: never[]) => Error;

/** `input.description` is the form's `description`, as the services name it; other arguments keep their path. */
function fieldNameOf(path: (string | number)[]): string {
  return (path[0] === "input" && path.length > 1 ? path.slice(1) : path).join(".");
}

/** An uploaded file is text only by its name (yoga's File is a ponyfill: known by its shape). */
function fileName(object: object): { name: string } | undefined {
  const file = object as Partial<File>;
  return typeof file.name === "string" && typeof file.stream === "function" ? { name: file.name } : undefined;
}

function nulRefusal(args: Record<string, unknown>): BadUserInputError | null {
  const path = nulCharacterPath(args, fileName);
  if (!path) return null;
  const field = fieldNameOf(path);
  return new BadUserInputError(`${field}: ${NUL_REFUSAL}`, [{ field, message: NUL_REFUSAL }]);
}

/** The field's own BadUserInputError result where its union has one, else a coded GraphQL error. */
function refuse(refusal: BadUserInputError, resultErrors: ErrorClass[] | undefined): unknown {
  if (resultErrors?.some((type) => refusal instanceof type)) return wrapOrThrow(refusal, resultErrors);
  throw codedGraphQLError(refusal);
}

/** A subscription refuses as it subscribes: a coded error, since its events are what its result type describes. */
function guardSubscription(field: GraphQLField<unknown, unknown>): void {
  const subscribe = field.subscribe;
  if (!subscribe) return;
  field.subscribe = (root, args, context, info) => {
    const refusal = nulRefusal(args);
    if (refusal) throw codedGraphQLError(refusal);
    return subscribe(root, args, context, info);
  };
}

function guardField(field: GraphQLField<unknown, unknown>): void {
  const resultErrors = field.extensions.pothosErrors as ErrorClass[] | undefined;
  const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
  field.resolve = (root, args, context, info) => {
    const refusal = nulRefusal(args);
    return refusal ? refuse(refusal, resultErrors) : resolve(root, args, context, info);
  };
}

/**
 * PostgreSQL stores U+0000 in neither text nor jsonb, so every argument of every field — descriptions, prompts,
 * search filters, ids, JSON values at any depth, uploaded files' names — is refused with BAD_USER_INPUT naming the argument before the field
 * resolves, so nothing of the request reaches the database. Files read from uploads and import directories are held
 * to the same rule where they are parsed (formats/json.ts parseJson).
 */
export function useNulCharacterGuard(): Plugin {
  return {
    onSchemaChange({ schema }) {
      if (guardedSchemas.has(schema)) return;
      guardedSchemas.add(schema);
      const subscriptionType = schema.getSubscriptionType();
      for (const type of Object.values(schema.getTypeMap())) {
        if (!isObjectType(type) || type.name.startsWith("__")) continue;
        const fields = Object.values(type.getFields()).filter((field) => field.args.length > 0);
        for (const field of fields) {
          if (type === subscriptionType) guardSubscription(field);
          else guardField(field);
        }
      }
    },
  };
}
