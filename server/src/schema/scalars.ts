import { GraphQLError } from "graphql";
import { builder } from "./builder.js";

builder.scalarType("DateTime", {
  description: "An ISO-8601 date and time in UTC",
  serialize: (value) => value.toISOString(),
  parseValue: (value) => {
    const date = new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO-8601 string", { extensions: { code: "BAD_USER_INPUT" } });
    return date;
  },
});

builder.scalarType("JSON", {
  description: "Any JSON value",
  serialize: (value) => value,
  parseValue: (value) => value,
});

/** Yoga hands over its own File implementation (not Node's global File), so check the shape. */
function isFileLike(value: unknown): value is File {
  const file = value as Partial<File> | null;
  return typeof file?.name === "string" && typeof file.size === "number" && typeof file.stream === "function";
}

builder.scalarType("File", {
  description: "A file part of a GraphQL multipart request",
  serialize: () => {
    throw new GraphQLError("File is an input-only scalar");
  },
  parseValue: (value) => {
    if (!isFileLike(value)) throw new GraphQLError("expected a file part of a multipart request", { extensions: { code: "BAD_USER_INPUT" } });
    return value;
  },
});
