import * as assert from "node:assert/strict";
import { z } from "zod";
import { CONFIG_WORDS, RESOURCE_WORDS } from "../../provider/plugin/descriptions";
import { FUNCTION_TYPES, IDENTITY_INPUTS, RESOURCE_TYPES } from "../../provider/plugin/resourceTypes";
import { packageSchema } from "../../provider/plugin/schema";

// The package schema of the provider plugin is derived from the zod input schemas of
// provider/resources/ and held to them here: a zod input added, removed or retyped changes the
// schema, or fails these tests until its words are written (provider/plugin/descriptions.ts).
// tests/provider/pluginAdapter.test.ts holds the OUTPUT properties to what a create returns.

interface Property {
  description?: string;
  type?: string;
  $ref?: string;
  oneOf?: { type: string }[];
  secret?: boolean;
  default?: unknown;
}
interface Resource {
  description: string;
  inputProperties: Record<string, Property>;
  requiredInputs: string[];
  properties: Record<string, Property>;
}
interface Schema {
  name: string;
  resources: Record<string, Resource>;
  types: Record<string, { description: string; properties: Record<string, Property> }>;
  functions: Record<string, { description: string; inputs: { properties: Record<string, Property> }; outputs: { properties: Record<string, Property> } }>;
  config: { variables: Record<string, Property> };
  provider: { inputProperties: Record<string, Property> };
}

const schema = packageSchema("1.2.3") as unknown as Schema;

/** The JSON type zod gives one input (`integer`, `string`, … or a union's members). */
function zodType(schemaOf: z.ZodObject, property: string): unknown {
  const json = z.toJSONSchema(schemaOf, { io: "input", unrepresentable: "any" }) as {
    properties: Record<string, { type?: string; anyOf?: { type: string }[] }>;
  };
  const field = json.properties[property];
  return field?.anyOf?.map((member) => member.type) ?? field?.type;
}

describe("unit: the plugin's package schema", () => {
  it("has every resource, with exactly the zod inputs (identity inputs excepted), typed as zod types them", () => {
    assert.deepEqual(Object.keys(schema.resources).sort(), Object.keys(RESOURCE_TYPES).sort());
    for (const [token, type] of Object.entries(RESOURCE_TYPES)) {
      const resource = schema.resources[token];
      assert.ok(resource, token);
      const zodInputs = Object.keys(type.inputs.shape).filter(
        (p) => !(IDENTITY_INPUTS as readonly string[]).includes(p),
      );
      assert.deepEqual(Object.keys(resource.inputProperties).sort(), zodInputs.sort(), token);
      for (const [property, spec] of Object.entries(resource.inputProperties)) {
        const expected = zodType(type.inputs, property);
        if (spec.$ref !== undefined) assert.equal(expected, "object", `${token}.${property}`);
        else if (spec.oneOf !== undefined) assert.deepEqual(spec.oneOf.map((m) => m.type), expected, `${token}.${property}`);
        else assert.equal(spec.type, expected, `${token}.${property}`);
      }
      // Required exactly when zod requires it (no default, not optional).
      const required = zodInputs.filter((p) => !(type.inputs.shape[p] as z.ZodType).safeParse(undefined).success);
      assert.deepEqual([...resource.requiredInputs].sort(), required.sort(), token);
    }
  });

  it("describes every resource, property, object type, function and config variable", () => {
    const described = (what: string, text: string | undefined) =>
      assert.ok(typeof text === "string" && text.trim().length > 10, `${what} has a description`);
    for (const [token, resource] of Object.entries(schema.resources)) {
      described(token, resource.description);
      for (const [p, spec] of Object.entries(resource.properties)) described(`${token}.${p}`, spec.description);
    }
    for (const [token, type] of Object.entries(schema.types)) {
      described(token, type.description);
      for (const [p, spec] of Object.entries(type.properties)) described(`${token}.${p}`, spec.description);
    }
    assert.deepEqual(Object.keys(schema.functions).sort(), Object.keys(FUNCTION_TYPES).sort());
    for (const [token, fn] of Object.entries(schema.functions)) {
      described(token, fn.description);
      for (const [p, spec] of Object.entries({ ...fn.inputs.properties, ...fn.outputs.properties })) {
        described(`${token}.${p}`, spec.description);
      }
    }
    assert.deepEqual(Object.keys(schema.config.variables).sort(), Object.keys(CONFIG_WORDS).sort());
    for (const [name, spec] of Object.entries(schema.config.variables)) described(name, spec.description);
    assert.deepEqual(schema.provider.inputProperties, schema.config.variables);
  });

  it("marks the key, the keys given as inputs and the credentials secret, and nothing else", () => {
    const secret = (props: Record<string, Property>) =>
      Object.entries(props)
        .filter(([, spec]) => spec.secret === true)
        .map(([p]) => p)
        .sort();
    const token = (name: string) => `megaport-service-keys:index:${name}`;
    assert.deepEqual(secret(schema.resources[token("ServiceKey")]?.properties ?? {}), ["existingKey", "key"]);
    assert.deepEqual(secret(schema.resources[token("ServiceKeyVxc")]?.properties ?? {}), ["serviceKey"]);
    assert.deepEqual(secret(schema.resources[token("VxcOrderApproval")]?.properties ?? {}), ["serviceKey"]);
    assert.deepEqual(secret(schema.config.variables), ["accessKey", "accounts", "secretKey"]);
  });

  it("lists each resource's outputs beside its inputs, none of them an identity input", () => {
    for (const [token, type] of Object.entries(RESOURCE_TYPES)) {
      const resource = schema.resources[token];
      const outputs = Object.keys(RESOURCE_WORDS[type.name]?.outputs ?? {});
      assert.deepEqual(
        Object.keys(resource?.properties ?? {}).sort(),
        [...Object.keys(resource?.inputProperties ?? {}), ...outputs].sort(),
      );
      for (const identity of IDENTITY_INPUTS) assert.ok(!(identity in (resource?.properties ?? {})), identity);
    }
  });
});
