import { Redacted } from '../core/redact';

export interface ToolResult {
  content: { type: 'text'; text: Redacted }[];
  isError?: boolean;
  [key: string]: unknown;
}

/** The only shape a tool's answer leaves in: its texts redacted. */
export function textResult(texts: Redacted[], isError = false): ToolResult {
  const content = texts.map((text) => ({ type: 'text' as const, text }));
  return isError ? { isError: true, content } : { content };
}
