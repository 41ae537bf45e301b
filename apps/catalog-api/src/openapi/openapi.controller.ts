import { Controller, Get, Header } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import { openApiDocument, ROUTES } from './openapi.document.js';

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

@Controller('api/v1')
@Allow(policies.public)
export class OpenApiController {
  private readonly document = openApiDocument();

  @Get('openapi.json')
  openapi(): object {
    return this.document;
  }

  /** A self-contained page (no scripts from elsewhere): every endpoint by tag, with its request schema. */
  @Get('docs')
  @Header('content-type', 'text/html; charset=utf-8')
  docs(): string {
    const tags = [...new Set(ROUTES.map((r) => r.tag))];
    const sections = tags
      .map((tag) => {
        const rows = ROUTES.filter((r) => r.tag === tag)
          .map(
            (r) =>
              `<details><summary><code class="m ${r.method}">${r.method.toUpperCase()}</code> <code>${escape(r.path)}</code> — ${escape(r.summary)}</summary>` +
              (r.query
                ? `<p>Query: ${Object.entries(r.query)
                    .map(([k, v]) => `<code>${escape(k)}</code> (${escape(v)})`)
                    .join(', ')}</p>`
                : '') +
              (r.body ? `<pre>${escape(JSON.stringify(r.body, null, 2))}</pre>` : '') +
              `</details>`,
          )
          .join('\n');
        return `<h2>${escape(tag)}</h2>\n${rows}`;
      })
      .join('\n');
    return `<!doctype html><html><head><meta charset="utf-8"><title>Fasit catalog API</title><style>
body{font-family:system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem}details{margin:.3rem 0}summary{cursor:pointer}
pre{background:#f4f4f4;padding:.5rem;overflow:auto}.m{display:inline-block;width:4.5em;font-weight:bold}.get{color:#1565c0}.post{color:#2e7d32}.put{color:#ef6c00}.patch{color:#6a1b9a}.delete{color:#c62828}
</style></head><body><h1>Fasit catalog API</h1><p>Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. Errors are problem JSON <code>{code, message, field?}</code>.</p>
${sections}</body></html>`;
  }
}
