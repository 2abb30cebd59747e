import { AgentArgs, AgentToolSpec } from './tools';

/**
 * Checks a tool call's arguments against its schema, as Ajv would (same wording, defaults
 * applied), for the few keywords the agent tools' schemas use. Written out here so the
 * extension does not ship Ajv's compiler; a keyword it does not know fails the call rather
 * than being skipped, so a schema that grows cannot loosen the check unnoticed.
 */
export function checkAgentArgs(spec: AgentToolSpec, input: unknown): { ok: true; args: AgentArgs } | { ok: false; problems: string[] } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { ok: false, problems: ['arguments must be object'] };
  const args: Record<string, unknown> = { ...input };
  const problems: string[] = [];
  const { properties, required = [] } = spec.inputSchema;
  for (const name of required) if (args[name] === undefined) problems.push(`arguments must have required property '${name}'`);
  for (const name of Object.keys(args)) if (!Object.hasOwn(properties, name)) problems.push(`arguments must NOT have additional properties (${name})`);
  for (const [name, schema] of Object.entries(properties) as [string, PropertySchema][]) {
    if (args[name] === undefined) {
      if (schema.default !== undefined) args[name] = schema.default;
      continue;
    }
    problems.push(...propertyProblems(schema, args[name]).map((p) => `${name} ${p}`));
  }
  return problems.length ? { ok: false, problems } : { ok: true, args: args as AgentArgs };
}

interface PropertySchema {
  type?: 'string' | 'boolean' | 'integer';
  minimum?: number;
  maximum?: number;
  pattern?: string;
  maxLength?: number;
  enum?: unknown[];
  default?: unknown;
  description?: string;
}

const KNOWN = new Set(['type', 'pattern', 'maxLength', 'minimum', 'maximum', 'enum', 'default', 'description']);

function hasType(type: NonNullable<PropertySchema['type']>, value: unknown): boolean {
  return type === 'integer' ? Number.isInteger(value) : typeof value === type;
}

function propertyProblems(schema: PropertySchema, value: unknown): string[] {
  const unknown = Object.keys(schema).filter((k) => !KNOWN.has(k));
  if (unknown.length) return [`cannot be checked (${unknown.join(', ')} is not known here)`];
  if (schema.type !== undefined && schema.type !== 'string' && schema.type !== 'boolean' && schema.type !== 'integer') return [`cannot be checked (type ${String(schema.type)})`];
  const problems: string[] = [];
  if (schema.type !== undefined && !hasType(schema.type, value)) problems.push(`must be ${schema.type}`);
  else if (typeof value === 'number') {
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`must be <= ${schema.maximum}`);
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`must be >= ${schema.minimum}`);
  } else if (typeof value === 'string') {
    // Ajv counts characters, not UTF-16 units, and compiles patterns with the u flag.
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) problems.push(`must NOT have more than ${schema.maxLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`must match pattern "${schema.pattern}"`);
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push('must be equal to one of the allowed values');
  return problems;
}
