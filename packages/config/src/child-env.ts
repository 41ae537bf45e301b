// The environment handed to a child process (helm, kubectl): this process's environment plus overrides. It
// lives here because this package is the only place that reads process.env; apps that spawn tools call it
// instead of spreading process.env themselves.

/** A copy of this process's environment with `overrides` applied (an `undefined` override removes a variable). */
export function childProcessEnv(overrides: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...process.env, ...overrides })) {
    if (value !== undefined) env[key] = value;
  }
  return env;
}
