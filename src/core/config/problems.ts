/** One thing wrong with a config file, located for an editor's "file:line:col". */
export interface ConfigProblem {
  line: number;
  col: number;
  message: string;
}

export function formatProblems(file: string, problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `${file}:${p.line}:${p.col}: ${p.message}`).join('\n');
}
