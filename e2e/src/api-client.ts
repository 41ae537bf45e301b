// A small client for the REST API as CI pipelines and operators use it: JSON in, JSON or problem JSON out.
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

export class ApiClient {
  /** `diagnostics`: what to add to a timeout's error (the services' recent log lines), so a failure explains itself. */
  constructor(
    readonly baseUrl: string,
    private readonly diagnostics?: () => string,
  ) {}

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async ok<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Polls `path` until `done` holds for its body; fails with the last body after the timeout. */
  async until<T>(path: string, done: (body: T) => boolean, timeoutMs = 90_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    while (Date.now() < deadline) {
      last = await this.ok<T>('GET', path);
      if (done(last)) return last;
      await new Promise((r) => setTimeout(r, 300));
    }
    const logs = this.diagnostics ? `\nthe services' last log lines:\n${this.diagnostics()}` : '';
    throw new Error(`timed out waiting on ${path}; last answer: ${JSON.stringify(last)}${logs}`);
  }
}
