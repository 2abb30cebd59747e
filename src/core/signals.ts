/**
 * A signal that aborts when any of `signals` does. AbortSignal.any would do, but it came with
 * Node 20.3 and the extension host of VS Code 1.85 (engines.vscode) runs Node 18.
 */
export function eitherSignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  if (given.length <= 1) return given[0];
  const either = new AbortController();
  for (const s of given) {
    if (s.aborted) {
      either.abort(s.reason);
      break;
    }
    s.addEventListener('abort', () => either.abort(s.reason), { once: true });
  }
  return either.signal;
}
