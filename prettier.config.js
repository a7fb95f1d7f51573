// @ts-check
// Prettier for the whole repo (`pnpm format`, `pnpm format:check`), set to the
// style the code was already written in: single quotes, semicolons, trailing
// commas everywhere (Prettier's defaults besides the quotes), and lines up to
// 160 columns: 99% of the lines were already no longer than 158, and longer
// calls, signatures and imports were broken by hand at about that width.
/** @type {import('prettier').Config} */
export default {
  printWidth: 160,
  singleQuote: true,
  // Leave the inside of tagged templates alone: the Stripe emulator's html``
  // pages are output, and reformatting them would change the bytes served.
  embeddedLanguageFormatting: 'off',
};
