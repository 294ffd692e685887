// What HubSpot's deserialiser (Jackson) refuses in a write body before any record is touched: the
// answer is 400 "Invalid input JSON" (errors.ts hubspotInvalidJson). Chinchilla-Software-Com/
// HubSpot.NET#23 quotes the complaint for an array where `properties` belongs: "Cannot deserialize
// value of type `java.util.LinkedHashMap<java.lang.String,java.lang.String>` from Array value
// (token `JsonToken.START_ARRAY`)"; the other complaints follow Jackson's pattern [unverified].
// Jackson coerces numbers and booleans into strings, so those values are stored as text.

const PROPERTY_MAP = '`java.util.LinkedHashMap<java.lang.String,java.lang.String>`';

/** Jackson's name for the JSON token a value starts with, as its complaints print it. */
export function jacksonToken(value: unknown): string {
  if (Array.isArray(value)) return 'Array value (token `JsonToken.START_ARRAY`)';
  if (value === null) return 'Null value (token `JsonToken.VALUE_NULL`)';
  if (typeof value === 'object') return 'Object value (token `JsonToken.START_OBJECT`)';
  if (typeof value === 'string') return 'String value (token `JsonToken.VALUE_STRING`)';
  if (typeof value === 'boolean')
    return `Boolean value (token \`JsonToken.VALUE_${value ? 'TRUE' : 'FALSE'}\`)`;
  return Number.isInteger(value)
    ? 'Integer value (token `JsonToken.VALUE_NUMBER_INT`)'
    : 'Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why a `properties` value cannot be read as HubSpot's map of property name to string value, or
 * undefined when it can (absent or null reads as no properties).
 */
export function propertiesProblem(properties: unknown): string | undefined {
  if (properties === undefined || properties === null) return undefined;
  if (!isObject(properties))
    return `Cannot deserialize value of type ${PROPERTY_MAP} from ${jacksonToken(properties)}`;
  for (const value of Object.values(properties)) {
    if (typeof value === 'object' && value !== null) {
      return `Cannot deserialize value of type \`java.lang.String\` from ${jacksonToken(value)}`;
    }
  }
  return undefined;
}

/**
 * Why a body (or one input of a batch) cannot be read as the SDK model `model` with a
 * `properties` map, or undefined when it can. `model` is the name HubSpot's client codegen gives
 * the input (SimplePublicObjectInputForCreate...); the server's own class names are not public.
 */
export function objectInputProblem(input: unknown, model: string): string | undefined {
  if (input !== undefined && !isObject(input)) {
    return `Cannot deserialize value of type \`${model}\` from ${jacksonToken(input)}`;
  }
  return propertiesProblem(isObject(input) ? input.properties : undefined);
}

/** The same check over a batch's `inputs`, naming the input that fails. */
export function batchInputsProblem(inputs: readonly unknown[], model: string): string | undefined {
  for (const [i, input] of inputs.entries()) {
    const problem = objectInputProblem(input, model);
    if (problem) return `${problem} (through reference chain: inputs[${i}])`;
  }
  return undefined;
}
