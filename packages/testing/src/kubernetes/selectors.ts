// Kubernetes label and field selectors, as the API server reads `?labelSelector=` and `?fieldSelector=`:
// `a=b`, `a==b`, `a!=b`, `a`, `!a`, `a in (x,y)`, `a notin (x,y)`, joined by commas. Anything else is refused
// with the message a test can compare.

export type Requirement = { key: string; op: 'exists' | 'absent' } | { key: string; op: 'in' | 'notin'; values: string[] };

export class SelectorError extends Error {}

export function parseSelector(selector: string): Requirement[] {
  const out: Requirement[] = [];
  let rest = selector.trim();
  while (rest !== '') {
    const m = /^(!?)\s*([A-Za-z0-9][-A-Za-z0-9_./]*)\s*(?:(==|=|!=)\s*([-A-Za-z0-9_.]*)|\s+(in|notin)\s*\(([^)]*)\))?\s*(?:,|$)/.exec(rest);
    if (!m) throw new SelectorError(`unable to parse requirement: ${JSON.stringify(rest)}`);
    const [all, not, key = '', eq, eqValue = '', setOp, setValues = ''] = m;
    if (not === '!' && (eq !== undefined || setOp !== undefined)) throw new SelectorError(`unable to parse requirement: ${JSON.stringify(rest)}`);
    if (eq !== undefined) out.push({ key, op: eq === '!=' ? 'notin' : 'in', values: [eqValue] });
    else if (setOp === 'in' || setOp === 'notin') out.push({ key, op: setOp, values: setValues.split(',').map((v) => v.trim()) });
    else out.push({ key, op: not === '!' ? 'absent' : 'exists' });
    rest = rest.slice(all.length).trim();
  }
  return out;
}

/** Whether a set of labels (or of field values) satisfies every requirement. */
export function matches(requirements: readonly Requirement[], labels: Readonly<Record<string, string>>): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case 'absent':
        return !has;
      case 'in':
        return has && r.values.includes(labels[r.key] ?? '');
      case 'notin':
        return !has || !r.values.includes(labels[r.key] ?? '');
    }
  });
}
