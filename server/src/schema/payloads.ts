import type { ObjectRef } from "@pothos/core";
import { builder, type AppSchemaTypes } from "./builder.js";

type Types = PothosSchemaTypes.ExtendDefaultTypes<AppSchemaTypes>;

/** `<Operation>Success { <field> }`: the payload of a mutation that makes or changes one object. */
export function successPayload<Field extends string, Shape>(operation: string, field: Field, type: ObjectRef<Types, Shape>) {
  return builder.objectRef<Record<Field, Shape>>(`${operation}Success`).implement({
    // Pothos cannot relate a generic Shape to its resolver's result type; the payload holds exactly one.
    fields: (t) => ({ [field]: t.field({ type: type as ObjectRef<Types, unknown>, resolve: (payload): unknown => payload[field] }) }),
  });
}
