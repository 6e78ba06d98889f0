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
