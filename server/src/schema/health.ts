import { builder } from "./builder.js";

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});

builder.queryField("version", (t) => t.string({ description: "the API's version", resolve: () => "0.1.0" }));
