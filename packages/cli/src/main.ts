#!/usr/bin/env node
import { HELP, MATCH_HELP, fail } from './usage.ts';

/**
 * \`passage\`: the command line. Every command reads the same environment as the server
 * (DATABASE_URL or PASSAGE_DATA_DIR, PASSAGE_MASTER_KEY, …); see the README. A command's code is loaded when it runs:
 * help answers at once, and the matching commands do not load the server.
 */
async function main(argv: string[]): Promise<void> {
  const [first, second] = argv;
  const command = first === 'user' || first === 'audit' || first === 'keys' ? `${first} ${second ?? ''}`.trim() : (first ?? '');
  const rest = argv.slice(command.split(' ').length);
  if (command === '' || command === '--help' || command === 'help') {
    process.stdout.write(`${HELP['']}\n`);
    return;
  }
  if (command in MATCH_HELP) {
    const { runMatchCommand } = await import('./match-commands.ts');
    process.exitCode = await runMatchCommand(command, rest);
    return;
  }
  if (!(command in HELP)) fail(`unknown command "${command}". Run "passage --help".`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${HELP[command]}\n`);
    return;
  }
  const { runDatabaseCommand } = await import('./commands.ts');
  await runDatabaseCommand(command, rest);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const e = error as Error & { errors?: { field: string; message: string }[] };
  process.stderr.write(`passage: ${e.message}${e.errors?.length ? `\n${e.errors.map((x) => `  - ${x.field}: ${x.message}`).join('\n')}` : ''}\n`);
  process.exit(1);
});
