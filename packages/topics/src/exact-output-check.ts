import { Ajv2020 } from 'ajv/dist/2020.js';
import { z } from 'zod';

/** Says whether a decoded value is already exactly what the zod schema would return for it. */
export type ExactOutputCheck = (value: unknown) => boolean;

/** Kinds of schema whose JSON Schema (zod's own, for the output) accepts exactly what zod does. */
const exactKinds = new Set([
  'object',
  'string',
  'number',
  'boolean',
  'null',
  'array',
  'record',
  'optional',
  'nullable',
  'enum',
  'literal',
  'union',
  // Output-mode JSON Schema requires a defaulted field: a value without it is left to zod.
  'default',
  'any',
  'unknown',
]);
/** Checks zod's JSON Schema states exactly; lengths and regexes have conditions (`isExactCheck`). */
const exactChecks = new Set(['less_than', 'greater_than', 'multiple_of', 'min_length']);
/**
 * ajv counts a string's length in code points, zod in UTF-16 code units (a surrogate pair is
 * two), so ajv's maxLength would pass strings zod's max refuses. Exact for arrays. (A minimum is
 * safe either way: code points never outnumber code units.)
 */
const arrayOnlyChecks = new Set(['max_length', 'length_equals']);
const exactNumberFormats = new Set(['safeint', 'int32', 'uint32']);

interface CheckDefinition {
  check: string;
  format?: string;
  pattern?: RegExp;
}
interface SchemaInternals {
  _zod: { def: { type: string; checks?: { _zod: { def: CheckDefinition } }[] } };
}
type JsonSchemaNode = Record<string, unknown>;

/**
 * zod is the one source of truth for every topic's messages, and it costs 2–6 µs to validate an
 * event or a prediction: about a tenth of a service's CPU per record. This compiles, with ajv,
 * zod's own JSON Schema of the schema's *output*, which answers the common question in a tenth of
 * that: is this value already exactly what `schema.parse` would return? When it is, the value can
 * be used as it is. Anything else (an unknown key zod would strip, a missing default, a value
 * that fails) must still go through zod, so zod's output and zod's reasons stay the only truth.
 *
 * Returns undefined, and the caller keeps to zod, for a schema where the JSON Schema would not
 * be exact: transforms, tuples, custom types, checks JSON Schema cannot state, refinements below
 * the root. A root refinement (`superRefine`) runs after ajv, through zod itself.
 *
 * Only for values straight from `JSON.parse`: plain objects, arrays, strings, finite numbers.
 */
export function exactOutputCheck(schema: z.ZodType): ExactOutputCheck | undefined {
  // Every codec of a topic shares its schema: compiled once (a few ms), not per codec.
  let check = compiled.get(schema);
  if (check === undefined) {
    check = compile(schema) ?? null;
    compiled.set(schema, check);
  }
  return check ?? undefined;
}

const compiled = new WeakMap<z.ZodType, ExactOutputCheck | null>();

/**
 * One instance for every schema. No `u` flag on patterns, as zod's own regexes have none
 * (`isExactCheck`). Strict: a keyword ajv does not know fails the compile, so nothing zod states
 * is silently ignored. zod's JSON Schema is not checked against the meta-schema: compiling the
 * meta-schema took most of the 20–60 ms a schema cost to compile, and a schema ajv cannot read
 * still fails its compile.
 */
const ajv = new Ajv2020({
  strict: true,
  unicodeRegExp: false,
  allErrors: false,
  validateSchema: false,
  addUsedSchema: false,
});

function compile(schema: z.ZodType): ExactOutputCheck | undefined {
  const rootRefinements: z.core.$ZodCheck<unknown>[] = [];
  /** Kinds and checks whose JSON Schema would not be exact, if any. */
  const inexact: string[] = [];
  let jsonSchema: JsonSchemaNode;
  try {
    jsonSchema = z.toJSONSchema(schema, {
      io: 'output',
      unrepresentable: 'throw',
      cycles: 'throw',
      reused: 'inline',
      override: ({ zodSchema }) => {
        const { def } = (zodSchema as unknown as SchemaInternals)._zod;
        if (!exactKinds.has(def.type)) inexact.push(def.type);
        for (const check of def.checks ?? []) {
          const checkDef = check._zod.def;
          if (checkDef.check === 'custom' && (zodSchema as unknown) === schema) {
            rootRefinements.push(check as unknown as z.core.$ZodCheck<unknown>);
          } else if (!isExactCheck(checkDef, def.type)) {
            inexact.push(`${def.type} ${checkDef.check}`);
          }
        }
      },
    });
  } catch {
    return undefined;
  }
  if (inexact.length > 0) return undefined;
  refuseProtoKeys(jsonSchema);

  let validate: (value: unknown) => boolean;
  try {
    validate = ajv.compile(jsonSchema);
  } catch {
    return undefined;
  }
  if (rootRefinements.length === 0) return (value) => validate(value);
  const refinements = z.any().check(...rootRefinements);
  return (value) => validate(value) && refinements.safeParse(value).success;
}

function isExactCheck(check: CheckDefinition, kind: string): boolean {
  if (exactChecks.has(check.check)) return true;
  if (arrayOnlyChecks.has(check.check)) return kind === 'array';
  if (check.check === 'number_format') return exactNumberFormats.has(check.format ?? '');
  // Other string formats (email, uuid, …) are keywords ajv checks only with a plugin, and a regex
  // with flags is a pattern JSON Schema cannot carry.
  if (check.check === 'string_format')
    return check.format === 'regex' && check.pattern?.flags === '';
  return false;
}

/**
 * JSON.parse keeps a `"__proto__"` key as an own property; zod, building its output by
 * assignment, drops it (or sets the prototype). So an object that admits keys beyond its
 * properties (a record) refuses that one here, and zod decides.
 */
function refuseProtoKeys(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) refuseProtoKeys(item);
    return;
  }
  const schemaNode = node as JsonSchemaNode;
  for (const value of Object.values(schemaNode)) refuseProtoKeys(value);
  if (schemaNode['type'] === 'object' && schemaNode['additionalProperties'] !== false) {
    const refusal = { propertyNames: { not: { const: '__proto__' } } };
    schemaNode['allOf'] = [...((schemaNode['allOf'] as unknown[] | undefined) ?? []), refusal];
  }
}
