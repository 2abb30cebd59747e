import { redact, Redacted } from '../core/redact';

/** A type, not an interface: the SDK's result type has an index signature, which only a type alias meets without declaring one (and so letting any other field through). */
export type ToolResult = {
  content: { type: 'text'; text: Redacted }[];
  isError?: boolean;
};

/** The only shape a tool's answer leaves in: its texts redacted (once more here, for what a cast slips past the type). */
export function textResult(texts: Redacted[], isError = false): ToolResult {
  const content = texts.map((text) => ({ type: 'text' as const, text: redact(text) }));
  return isError ? { isError: true, content } : { content };
}
