import { builder } from "../schema/builder.js";

const ActivityEventRef = builder.prismaObject("ActivityEvent", {
  fields: (t) => ({
    id: t.exposeID("id"),
    type: t.exposeString("type"),
    message: t.exposeString("message"),
    subjectType: t.exposeString("subjectType"),
    subjectId: t.exposeString("subjectId"),
    actor: t.exposeString("actor", { description: 'who did it: an API key\'s name, "local" with authentication off, "system" for the server\'s own work' }),
    data: t.expose("data", { type: "JSON" }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.queryField("activity", (t) =>
  t.prismaConnection({
    authScopes: { read: true },
    type: "ActivityEvent",
    cursor: "id",
    defaultSize: 50,
    maxSize: 200,
    args: { subjectId: t.arg.id({ required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.activityEvent.findMany({
        ...query,
        where: args.subjectId ? { subjectId: String(args.subjectId) } : undefined,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      }),
  }),
);

builder.subscriptionField("activity", (t) =>
  t.prismaField({
    authScopes: { read: true },
    type: ActivityEventRef,
    description: "every change, as it is recorded",
    subscribe: (_root, _args, ctx) => ctx.events.subscribe("activity"),
    resolve: (query, payload, _args, ctx) => ctx.prisma.activityEvent.findUniqueOrThrow({ ...query, where: { id: payload.id } }),
  }),
);
