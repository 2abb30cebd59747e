import { redact } from '../core/redact';
import { lineReporter, Reporter } from '../core/workflows/parts/reporter';
import { Output } from './sinks';

/** Workflow progress in the Blue-Green output channel, each remote line tagged with its host. */
export function outputReporter(output: Output): Reporter & { error(text: string): void } {
  return { ...lineReporter((level, text) => output[level](text)), error: (text) => output.error(redact(text)) };
}
