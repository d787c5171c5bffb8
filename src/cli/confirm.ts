// apply's question on a terminal. Asked only where a person can answer: stdin and stdout both a terminal and not
// in CI (a runner, a cron job or a pipe never waits for an answer that cannot come, and behaves as it always did).
import { createInterface } from 'node:readline';

export interface Terminal {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
}

/** `CI` set to anything but an explicit false, as CI services set it. */
export function inCi(env: NodeJS.ProcessEnv): boolean {
  const v = env.CI?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== 'false' && v !== '0';
}

export function isInteractive(t: Terminal, env: NodeJS.ProcessEnv): boolean {
  return t.stdin.isTTY === true && t.stdout.isTTY === true && !inCi(env);
}

/** Asks once; `y` or `yes` (any case) is yes. Anything else, an empty line or the end of input (Ctrl-D) is no. */
export function askYesNo(t: Terminal, question: string): Promise<boolean> {
  return new Promise((resolve) => {
    // terminal: false: the line is edited by the terminal itself, and no raw mode is left behind on Ctrl-C.
    const rl = createInterface({ input: t.stdin, terminal: false });
    let answered = false;
    t.stdout.write(question);
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(line));
    });
    rl.once('close', () => {
      if (answered) return;
      t.stdout.write('\n');
      resolve(false);
    });
  });
}
