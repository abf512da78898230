import type { CodegenConfig } from "@graphql-codegen/cli";

const scalars = { DateTime: "string", JSON: "unknown", File: "File" };

const config: CodegenConfig = {
  schema: "./schema.graphql",
  ignoreNoDocuments: true,
  generates: {
    "client/src/gql/": {
      documents: ["client/src/**/*.vue", "client/src/**/*.ts", "!client/src/gql/**/*"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars },
    },
    // The schema, minified, for the dashboard's normalised cache: which types a union or an interface stands for,
    // which fields may be null.
    "client/src/gql/introspection.ts": { plugins: ["urql-introspection"], config: { module: "es2015", useTypeImports: true } },
    // The sidecar is a Node program: ESM imports need the .js extension, and its documents are query strings it posts
    // or sends over graphql-ws as they are.
    "server/src/sidecar/gql/": {
      documents: ["server/src/sidecar/**/*.ts", "!server/src/sidecar/gql/**/*"],
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: { useTypeImports: true, enumsAsTypes: true, scalars, documentMode: "string", importExtension: ".js" },
    },
  },
};

export default config;
