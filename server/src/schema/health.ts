import { builder } from "./builder.js";

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.queryField("version", (t) => t.string({ authScopes: { public: true }, description: "the API's version", resolve: () => "0.1.0" }));
