import { shownWebhook } from '../notify/shownUrl';
import type { ErrorObject } from 'ajv';
import { ConfigProblem } from './problems';
import { schema, validate as validateGenerated } from './validateConfig.generated';
import { Locator } from './yamlPositions';

/** Compiled ahead of time from the schema editors use through yamlValidation (scripts/generate-validator.mjs). */
const validate = validateGenerated as ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/**
 * The validator's errors as sentences at their line, or nothing when the data fits the schema.
 * The sentences are ours, not Ajv's: they name the key as written, guess a misspelt one and say
 * what is allowed.
 */
export function schemaProblems(data: unknown, at: Locator): ConfigProblem[] | undefined {
  if (validate(data)) return undefined;
  return dedupe((validate.errors ?? []).filter(isUseful).map((err) => describe(err, at, data)));
}

/** `if`/`then` wrappers and `$ref` hops repeat the real error; keep only leaf errors. */
function isUseful(err: ErrorObject): boolean {
  return err.keyword !== 'if';
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.line}:${p.col}:${p.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

function pathOf(instancePath: string): (string | number)[] {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function dotted(p: readonly (string | number)[]): string {
  return p.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '') || 'the top level';
}

type SchemaNode = { $ref?: string; description?: string; pattern?: string; properties?: Record<string, SchemaNode>; items?: SchemaNode; additionalProperties?: SchemaNode | boolean };

function resolveRef(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node?.$ref) return node;
  const steps = node.$ref.replace(/^#\//, '').split('/');
  return steps.reduce<unknown>((n, step) => (n as Record<string, unknown> | undefined)?.[step], schema) as SchemaNode | undefined;
}

/**
 * The schema that describes the value at a data path, found by walking the schema along it
 * (the generated validator's own schema paths are relative to each $ref, so not usable here).
 */
function schemaAtInstance(p: readonly (string | number)[]): SchemaNode | undefined {
  let node = resolveRef(schema as SchemaNode);
  for (const step of p) {
    if (!node) return undefined;
    const next: SchemaNode | undefined = typeof step === 'number' ? node.items : node.properties?.[step] ?? (typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined);
    node = resolveRef(next);
  }
  return node;
}

function valueAt(data: unknown, p: readonly (string | number)[]): unknown {
  return p.reduce<unknown>((v, step) => (v as Record<string | number, unknown> | undefined)?.[step], data);
}

function describe(err: ErrorObject, at: Locator, data: unknown): ConfigProblem {
  const p = pathOf(err.instancePath);
  const where = dotted(p);
  const parent = schemaAtInstance(p);
  const value = valueAt(data, p);
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(parent?.properties ?? {});
      const guess = closest(key, allowed);
      const hint = guess ? `did you mean "${guess}"? ` : '';
      return { ...at([...p, key], true), message: `unknown key "${key}" in ${where}; ${hint}allowed keys: ${allowed.join(', ')}` };
    }
    case 'required': {
      const missing = (err.params as { missingProperty: string }).missingProperty;
      return { ...at(p), message: `${where} is missing "${missing}"` };
    }
    case 'type':
      return { ...at(p), message: `${where} must be ${article((err.params as { type: string }).type)}, not ${kindOf(value)}` };
    case 'pattern':
      return { ...at(p), message: `${where} ${shownValue(value)} is not allowed. ${parent?.description ?? `It must match ${String((err.params as { pattern: string }).pattern)}`}` };
    case 'const':
      return { ...at(p), message: `${where} must be ${JSON.stringify((err.params as { allowedValue: unknown }).allowedValue)}` };
    case 'enum':
      return { ...at(p), message: `${where} must be one of: ${((err.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(', ')}` };
    // The generated validator carries no message texts (6 KB of the bundle): each is said here.
    case 'minimum':
    case 'maximum': {
      const { limit } = err.params as { limit: number };
      return { ...at(p), message: `${where} must be ${err.keyword === 'minimum' ? 'at least' : 'at most'} ${limit}, not ${shownValue(value)}` };
    }
    case 'minItems':
      return { ...at(p), message: `${where} must list at least ${(err.params as { limit: number }).limit}` };
    case 'maxItems':
      return { ...at(p), message: `${where} must list at most ${(err.params as { limit: number }).limit}` };
    case 'maxLength':
      return { ...at(p), message: `${where} must be at most ${(err.params as { limit: number }).limit} characters long` };
    case 'uniqueItems':
      return { ...at(p), message: `${where} lists ${shownValue(valueAt(data, [...p, (err.params as { i: number }).i]))} twice; list each once` };
    case 'minLength':
      return { ...at(p), message: `${where} must not be empty` };
    default:
      return { ...at(p), message: `${where} does not satisfy "${err.keyword}" in the schema` };
  }
}

function article(type: string): string {
  return type === 'integer' ? 'a whole number' : type === 'object' ? 'a mapping (key: value lines)' : type === 'array' ? 'a list (lines starting with "- ")' : `a ${type}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${shownValue(v)}`;
}

/**
 * A value as an error may quote it. A url with a path or query may be a webhook's, whose secret
 * is that path (a `notify:` entry written as a bare string, say): only its scheme and host are
 * quoted. A plain address (`http://10.0.0.1:3001`) is quoted whole.
 */
function shownValue(v: unknown): string {
  if (typeof v === 'string' && /^https?:\/\//i.test(v.trim())) {
    try {
      const u = new URL(v.trim());
      if (u.pathname !== '/' || u.search || u.hash || u.username || u.password) return JSON.stringify(shownWebhook(v.trim()));
    } catch {
      return JSON.stringify(shownWebhook(v.trim()));
    }
  }
  return JSON.stringify(v);
}

function closest(word: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [o, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
