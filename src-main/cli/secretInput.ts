/**
 * Secrets come from the environment or, when a person is at a terminal, from a prompt that
 * does not echo. Never from a command-line argument (it would show in `ps` and shell history).
 */
export class MissingSecretError extends Error {
  constructor(variable: string, what: string) {
    super(`${what} is needed: set ${variable}, or run this in a terminal to be asked`);
    this.name = 'MissingSecretError';
  }
}

export async function readSecret(variable: string, what: string): Promise<string> {
  const fromEnvironment = process.env[variable];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  if (!process.stdin.isTTY) throw new MissingSecretError(variable, what);
  return promptHidden(`${what[0]!.toUpperCase()}${what.slice(1)}: `);
}

/** A secret being chosen: asked twice at a prompt (a typo in a hidden field would lock the user out). */
export async function readNewSecret(variable: string, what: string): Promise<string> {
  const fromEnvironment = process.env[variable];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  if (!process.stdin.isTTY) throw new MissingSecretError(variable, what);
  for (;;) {
    const first = await promptHidden(`Choose ${what}: `);
    if (first === '') {
      process.stderr.write('It cannot be empty.\n');
      continue;
    }
    if ((await promptHidden(`Repeat ${what}: `)) === first) return first;
    process.stderr.write('They differ; again.\n');
  }
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    process.stderr.write(question);
    input.setRawMode(true);
    input.resume();
    input.setEncoding('utf8');
    let value = '';
    const finish = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') return finish();
        if (character === '\u0003') return finish(new Error('cancelled'));
        if (character === '\u007f' || character === '\b') value = value.slice(0, -1);
        else value += character;
      }
    };
    input.on('data', onData);
  });
}
