// The person at VS Code 1.103 for mcpClient.test: VS Code shows an MCP server's elicitation,
// outside a chat, as a notification (Respond / Cancel) that the extension host can neither see
// nor answer. The runner, which drives the page, answers it as a person would.
import { mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

/** What the test wants done with the next elicitation; it writes one of these to the answer file before each call. */
export type ElicitationAnswer = 'dismiss' | 'decline' | 'accept';

export interface SeenElicitation {
  answer: ElicitationAnswer;
  text: string;
}

function wanted(answerFile: string): ElicitationAnswer {
  try {
    const a = readFileSync(answerFile, 'utf8').trim();
    return a === 'accept' || a === 'decline' ? a : 'dismiss';
  } catch {
    return 'dismiss';
  }
}

/**
 * Until stopped, for each elicitation of Blue-Green's server: keeps its text and a screenshot,
 * then answers as the answer file says — accept / decline: *Respond*, then true / false in VS
 * Code's form (screenshot of the form too); dismiss: nothing (the test closes it).
 */
export function answerElicitations(page: Page, answerFile: string, shots: string): { seen: SeenElicitation[]; stop(): void } {
  const seen: SeenElicitation[] = [];
  let stopped = false;
  const toast = page.locator('.notification-toast', { hasText: 'MCP Server (Blue-Green)' }).first();
  const shot = async (name: string) => {
    mkdirSync(shots, { recursive: true });
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file });
    return file;
  };
  void (async () => {
    while (!stopped) {
      try {
        await toast.waitFor({ state: 'visible', timeout: 1000 });
      } catch {
        continue;
      }
      try {
        const answer = wanted(answerFile);
        // The toast fades in: a moment later it reads in the screenshot.
        await page.waitForTimeout(700);
        const text = (await toast.innerText()).replace(/\s+/g, ' ').trim();
        const file = await shot(`vscode-mcp-elicitation-${answer}`);
        seen.push({ answer, text });
        console.log(`VS Code's elicitation (${answer}): "${text}" (screenshot ${file})`);
        if (answer !== 'dismiss') {
          await toast.getByRole('button', { name: 'Respond' }).click();
          const form = page.locator('.quick-input-widget');
          await form.waitFor({ state: 'visible', timeout: 10_000 });
          await page.waitForTimeout(300);
          await shot(`vscode-mcp-elicitation-${answer}-form`);
          await form.getByRole('option', { name: answer === 'accept' ? 'true' : 'false', exact: true }).click();
        }
        await toast.waitFor({ state: 'hidden', timeout: 60_000 });
      } catch (e) {
        if (!stopped) console.error(`answering VS Code's elicitation: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  })();
  return {
    seen,
    stop: () => {
      stopped = true;
    },
  };
}
