/**
 * The Pulumi package schema of the plugin (`pulumi package get-schema megaport-service-keys`):
 * input types derived from the zod schemas of `../resources` (z.toJSONSchema), words and output
 * types from ./descriptions.ts. Pulumi YAML type-checks programs against it; code generation and
 * `pulumi import` read it (docs/importing.md).
 */
import { z } from "zod";
import { CONFIG_WORDS, FUNCTION_WORDS, OBJECT_WORDS, type OutputSpec, RESOURCE_WORDS } from "./descriptions";
import { FUNCTION_TYPES, IDENTITY_INPUTS, PACKAGE, RESOURCE_TYPES } from "./resourceTypes";

/** One property of the package schema. */
export interface SchemaProperty {
  description?: string;
  type?: string;
  $ref?: string;
  oneOf?: { type: string }[];
  items?: { $ref: string };
  default?: unknown;
  secret?: boolean;
}

interface JsonSchema {
  type?: string;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

const typeToken = (name: string) => `${PACKAGE}:index:${name}`;
const typeRef = (name: string) => `#/types/${typeToken(name)}`;

/**
 * The Pulumi type of one zod input, from its JSON Schema: scalars as they are, an object as its
 * named type (OBJECT_WORDS), a union of scalars as `oneOf`.
 */
function pulumiType(property: string, json: JsonSchema): SchemaProperty {
  if (json.anyOf !== undefined) {
    return { oneOf: json.anyOf.map((member) => ({ type: member.type ?? "string" })) };
  }
  if (json.type === "object") {
    const object = OBJECT_WORDS[property];
    if (object === undefined) throw new Error(`${property}: an object input needs an entry in OBJECT_WORDS`);
    return { $ref: typeRef(object.type) };
  }
  if (json.type === undefined) throw new Error(`${property}: no JSON Schema type to derive a Pulumi type from`);
  return { type: json.type, ...(json.default === undefined ? {} : { default: json.default }) };
}

/** The JSON Schema of a zod object's input side (defaults make properties optional). */
function jsonSchemaOf(schema: z.ZodObject): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

function describe(words: Record<string, string>, property: string, where: string): string {
  const text = words[property];
  if (text === undefined || text.trim() === "") throw new Error(`${where}.${property}: no description`);
  return text;
}

function outputProperty(spec: OutputSpec): SchemaProperty {
  return { description: spec.description, ...spec.type };
}

/** The package schema as an object. */
export function packageSchema(version: string): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  const types: Record<string, unknown> = {};
  const objectSchemas = new Map<string, JsonSchema>();

  for (const [token, resource] of Object.entries(RESOURCE_TYPES)) {
    const words = RESOURCE_WORDS[resource.name];
    if (words === undefined) throw new Error(`${resource.name}: no entry in RESOURCE_WORDS`);
    const json = jsonSchemaOf(resource.inputs);
    const inputProperties: Record<string, SchemaProperty> = {};
    for (const [property, propertyJson] of Object.entries(json.properties ?? {})) {
      if ((IDENTITY_INPUTS as readonly string[]).includes(property)) continue;
      inputProperties[property] = {
        description: describe(words.inputs, property, resource.name),
        ...pulumiType(property, propertyJson),
        ...(resource.secrets.includes(property) ? { secret: true } : {}),
      };
      if (propertyJson.type === "object") objectSchemas.set(property, propertyJson);
    }
    const outputs: Record<string, SchemaProperty> = {};
    for (const [property, spec] of Object.entries(words.outputs)) {
      outputs[property] = {
        ...outputProperty(spec),
        ...(resource.secrets.includes(property) ? { secret: true } : {}),
      };
    }
    const required = (json.required ?? []).filter((p) => !(IDENTITY_INPUTS as readonly string[]).includes(p));
    resources[token] = {
      description: words.description,
      inputProperties,
      requiredInputs: required,
      properties: { ...inputProperties, ...outputs },
      // Inputs with defaults are always in the state; required inputs too; facts may be null.
      required: [
        ...required,
        ...Object.entries(json.properties ?? {})
          .filter(([property, p]) => p.default !== undefined && !required.includes(property))
          .map(([property]) => property),
      ],
    };
  }

  for (const [property, json] of objectSchemas) {
    const object = OBJECT_WORDS[property];
    if (object === undefined) continue;
    types[typeToken(object.type)] = {
      description: object.description,
      type: "object",
      properties: Object.fromEntries(
        Object.entries(json.properties ?? {}).map(([member, memberJson]) => [
          member,
          { description: describe(object.members, member, object.type), ...pulumiType(member, memberJson) },
        ]),
      ),
      required: json.required ?? [],
    };
  }

  const functions: Record<string, unknown> = {};
  for (const [token, fn] of Object.entries(FUNCTION_TYPES)) {
    const words = FUNCTION_WORDS[fn.name];
    if (words === undefined) throw new Error(`${fn.name}: no entry in FUNCTION_WORDS`);
    const json = jsonSchemaOf(fn.args);
    types[typeToken(words.result.item)] = {
      description: `One item of ${fn.name}'s ${words.result.name}.`,
      type: "object",
      properties: Object.fromEntries(
        Object.entries(words.result.members).map(([member, spec]) => [member, outputProperty(spec)]),
      ),
      required: Object.keys(words.result.members),
    };
    functions[token] = {
      description: words.description,
      inputs: {
        properties: Object.fromEntries(
          Object.entries(json.properties ?? {}).map(([property, propertyJson]) => [
            property,
            { description: describe(words.args, property, fn.name), ...pulumiType(property, propertyJson) },
          ]),
        ),
        required: json.required ?? [],
      },
      outputs: {
        properties: {
          [words.result.name]: {
            description: words.result.description,
            type: "array",
            items: { $ref: typeRef(words.result.item) },
          },
        },
        required: [words.result.name],
      },
    };
  }

  const configVariables = Object.fromEntries(
    Object.entries(CONFIG_WORDS).map(([name, words]) => [
      name,
      {
        description: `${words.description}${words.env === "(none)" ? "" : ` Falls back to the environment variable ${words.env}.`}`,
        type: words.type,
        ...(words.secret === true ? { secret: true } : {}),
      },
    ]),
  );

  return {
    name: PACKAGE,
    displayName: "Megaport service keys",
    version,
    description:
      "Megaport service keys and the business-to-business VXCs ordered with them, with order approvals, preview-time API checks and safe retries.",
    keywords: ["pulumi", "megaport", "category/network"],
    license: "Apache-2.0",
    config: { variables: configVariables },
    provider: {
      description: "The provider of megaport-service-keys: its inputs are the configuration (stack config megaport-service-keys:*).",
      inputProperties: configVariables,
    },
    resources,
    types,
    functions,
  };
}
