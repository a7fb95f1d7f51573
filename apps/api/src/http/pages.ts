export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A small, self-contained page for server-side outcomes (expired links, not found). */
export function renderMessagePage({ title, body, link }: { title: string; body: string; link?: { href: string; label: string } | undefined }): string {
  // Only http(s) links: a return URL is checked when the session is made, and this keeps a javascript: URL out regardless.
  const action =
    link && /^https?:\/\//i.test(link.href) ? `<p class="action"><a class="button" href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>${escapeHtml(title)} · Aquoris Billing</title>
<style>
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: #f6f7f9; color: #1a1f36; }
  main { max-width: 32rem; margin: 12vh auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 1.35rem; margin: 0 0 .75rem; }
  p { margin: 0; color: #3c4257; }
  .action { margin-top: 1.5rem; }
  .button { display: inline-block; padding: .6rem 1.1rem; border-radius: 8px; background: #4338ca; color: #fff; font-weight: 600; text-decoration: none; }
  .button:focus-visible { outline: 3px solid #a5b4fc; outline-offset: 2px; }
</style>
</head>
<body><main role="main"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p>${action}</main></body>
</html>`;
}
