// Server-rendered HTML for the hosted pages: no scripts, no external assets, one inline stylesheet
// in the spirit of Stripe Checkout (system font, white card, indigo button).

export function escapeHtml(value: string | number | null | undefined): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Tagged template that escapes every interpolated value unless it is already-built Html. */
export class Html {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const rendered = Array.isArray(value)
      ? value.map((v) => (v instanceof Html ? v.value : escapeHtml(String(v)))).join('')
      : value instanceof Html
        ? value.value
        : escapeHtml(value as string);
    out += rendered + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1a1f36;background:#f6f9fc;-webkit-font-smoothing:antialiased}
.test-banner{background:#ffde92;color:#8a4b00;text-align:center;font-size:12px;font-weight:600;padding:4px;letter-spacing:.04em;text-transform:uppercase}
.wrap{max-width:960px;margin:0 auto;padding:48px 24px;display:flex;gap:64px;flex-wrap:wrap}
.summary{flex:1 1 320px}
.panel{flex:1 1 360px;background:#fff;border-radius:8px;box-shadow:0 2px 5px rgba(60,66,87,.08),0 1px 1px rgba(0,0,0,.12);padding:32px}
.back{color:#697386;text-decoration:none;font-size:14px;font-weight:500}
.back:hover{color:#1a1f36}
.merchant{font-weight:600;margin:16px 0 24px;font-size:15px}
.muted{color:#697386;font-size:14px}
.product{font-size:16px;color:#697386;margin:0 0 4px}
.amount{font-size:36px;font-weight:600;margin:0 0 4px;letter-spacing:-.02em}
.amount small{font-size:15px;font-weight:500;color:#697386}
.lines{margin-top:24px;border-top:1px solid #e3e8ee}
.line{display:flex;justify-content:space-between;padding:12px 0;border-bottom:1px solid #e3e8ee;font-size:14px}
h1{font-size:20px;margin:0 0 16px}
h2{font-size:16px;margin:24px 0 12px}
label{display:block;font-size:13px;font-weight:500;color:#3c4257;margin:16px 0 6px}
input{width:100%;font-size:16px;padding:10px 12px;border:1px solid #d8dee4;border-radius:6px;box-shadow:0 1px 1px rgba(0,0,0,.03);color:#1a1f36;background:#fff}
input:focus{outline:none;border-color:#635bff;box-shadow:0 0 0 3px rgba(99,91,255,.25)}
input[readonly]{background:#f6f9fc;color:#697386}
.row{display:flex;gap:12px}.row>div{flex:1}
button,.button{display:inline-block;width:100%;margin-top:24px;padding:12px 16px;border:0;border-radius:6px;background:#635bff;color:#fff;font-size:16px;font-weight:600;cursor:pointer;text-align:center;text-decoration:none}
button:hover,.button:hover{background:#5851ea}
button.secondary{background:#fff;color:#3c4257;border:1px solid #d8dee4;margin-top:8px;font-weight:500}
.error{margin-top:16px;padding:12px;border-radius:6px;background:#fff1f0;color:#c0123c;font-size:14px;border:1px solid #ffc9c7}
.notice{margin-top:16px;padding:12px;border-radius:6px;background:#effaf3;color:#0e6245;font-size:14px;border:1px solid #b8ebd0}
.hint{margin-top:16px;font-size:12px;color:#8792a2;line-height:1.5}
.badge{display:inline-block;padding:2px 8px;border-radius:10px;font-size:12px;font-weight:600;background:#e3e8ee;color:#3c4257}
.badge.ok{background:#d7f7c2;color:#05690d}.badge.bad{background:#ffe7f2;color:#b3093c}.badge.warn{background:#fcedb9;color:#a82c00}
.card{border:1px solid #e3e8ee;border-radius:8px;padding:16px;margin-bottom:12px}
table{width:100%;border-collapse:collapse;font-size:14px}td,th{padding:10px 0;border-bottom:1px solid #e3e8ee;text-align:left}td.num,th.num{text-align:right}
footer{text-align:center;font-size:12px;color:#8792a2;padding:24px}
`;

export function page(title: string, body: Html): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<div class="test-banner">Test mode · Stripe emulator</div>
${body.value}
<footer>Powered by the Aquoris Stripe emulator · no real payments are made</footer>
</body>
</html>`;
}

export function statusBadge(status: string | null): Html {
  const tone =
    status === 'paid' || status === 'active' || status === 'trialing' || status === 'succeeded'
      ? 'ok'
      : status === 'past_due' || status === 'open'
        ? 'warn'
        : status === 'canceled' || status === 'unpaid' || status === 'void'
          ? 'bad'
          : '';
  return html`<span class="badge ${tone}">${status ?? 'unknown'}</span>`;
}

export function notFoundPage(): string {
  return page('Not found', html`<div class="wrap"><section class="panel"><h1>Not found</h1><p class="muted">This page does not exist.</p></section></div>`);
}
