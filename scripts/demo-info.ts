/**
 * `pnpm demo:info`: prints again the banner `pnpm demo` printed at start (URLs, the demo app's API key,
 * commands to try), which request logs may have pushed off the screen. The demo keeps it in
 * .data/demo-info.txt, readable by this user only; it is development data like the rest of .data/.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// DEMO_INFO_FILE: elsewhere (the demo's restart test keeps the checkout's own banner untouched).
const INFO_FILE = process.env.DEMO_INFO_FILE ?? fileURLToPath(new URL('../.data/demo-info.txt', import.meta.url));

export function writeDemoInfo(banner: string): void {
  mkdirSync(dirname(INFO_FILE), { recursive: true });
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
