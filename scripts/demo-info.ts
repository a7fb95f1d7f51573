/**
 * `pnpm demo:info`: prints again the banner `pnpm demo` printed at start (URLs, the demo app's API key,
 * commands to try), which request logs may have pushed off the screen. The demo keeps it in
 * .data/demo-info.txt, readable by this user only; it is development data like the rest of .data/.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DATA_DIR = fileURLToPath(new URL('../.data/', import.meta.url));
const INFO_FILE = `${DATA_DIR}demo-info.txt`;

export function writeDemoInfo(banner: string): void {
  mkdirSync(DATA_DIR, { recursive: true });
  writeFileSync(INFO_FILE, banner, { mode: 0o600 });
  chmodSync(INFO_FILE, 0o600);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (existsSync(INFO_FILE)) process.stdout.write(readFileSync(INFO_FILE, 'utf8'));
  else {
    process.stderr.write('No demo has been started in this checkout yet: run pnpm demo first.\n');
    process.exitCode = 1;
  }
}
