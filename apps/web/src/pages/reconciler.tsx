// The reconciler, dry: what it would decide now for every (environment, feature), streamed as it is computed.
// Nothing is written or sent.
import { Badge, Button, Group, Pagination, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { streamEvents } from '../api/events';
import { AnchorLink, PageHeader } from '../components/common';

interface Decision {
  tenant: string;
  environment: string;
  feature: string;
  version: string;
  action: string;
  message: string;
}
interface Summary {
  pairs: number;
  byAction: Record<string, number>;
  fetchMs: number;
  computeMs: number;
}

const PAGE = 100;

export function ReconcilerPage() {
  const [decisions, setDecisions] = useState<Decision[]>([]);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('all');
  const [page, setPage] = useState(1);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const start = () => {
    abort.current?.abort();
    const a = new AbortController();
    abort.current = a;
    const got: Decision[] = [];
    let flushed = 0;
    setDecisions([]);
    setSummary(null);
    setError(null);
    setRunning(true);
    streamEvents(
      '/api/v1/reconciler/dry-run',
      (e) => {
        if (e.event === 'decision') {
          got.push(e.data as Decision);
          if (got.length - flushed >= 50 || got.length < 50) {
            flushed = got.length;
            setDecisions([...got]);
          }
        } else if (e.event === 'summary') setSummary(e.data as Summary);
        else if (e.event === 'error') setError((e.data as { message: string }).message);
      },
      a.signal,
    )
      .catch((e: unknown) => {
        if (!a.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        setDecisions([...got]);
        setRunning(false);
      });
  };
  const actions = [...new Set(decisions.map((d) => d.action))].sort();
  const shown = decisions.filter((d) => filter === 'all' || d.action === filter);
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages);
  return (
    <Stack>
      <PageHeader title="Reconciler dry run" subtitle="What the reconciler would decide now, rendered with its own rules; nothing is written or sent">
        <Button onClick={start} loading={running}>
          Run dry run
        </Button>
      </PageHeader>
      {error ? (
        <Text c="red" role="alert">
          {error}
        </Text>
      ) : null}
      {summary ? (
        <Group data-testid="dry-run-summary">
          <Text>
            {summary.pairs} pairs: fetched in {summary.fetchMs} ms, decided in {summary.computeMs} ms
          </Text>
          {Object.entries(summary.byAction).map(([a, n]) => (
            <Badge key={a} variant="light">
              {a}: {n}
            </Badge>
          ))}
        </Group>
      ) : running ? (
        <Text c="dimmed">{decisions.length} decided so far…</Text>
      ) : null}
      {decisions.length > 0 ? (
        <>
          <SegmentedControl
            value={filter}
            onChange={(v) => {
              setFilter(v);
              setPage(1);
            }}
            data={['all', ...actions]}
            aria-label="Which decisions"
          />
          <Table aria-label="Dry-run decisions" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Environment</Table.Th>
                <Table.Th>Feature</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th>Decision</Table.Th>
                <Table.Th>Message</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.slice((current - 1) * PAGE, current * PAGE).map((d) => (
                <Table.Tr key={`${d.tenant}/${d.environment}/${d.feature}`} data-pair={`${d.tenant}/${d.environment}/${d.feature}`} data-action={d.action}>
                  <Table.Td>
                    {d.tenant}/{d.environment}
                  </Table.Td>
                  <Table.Td>
                    <AnchorLink to="/tenants/$tenant/environments/$env/features/$feature" params={{ tenant: d.tenant, env: d.environment, feature: d.feature }}>
                      {d.feature}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>{d.version}</Table.Td>
                  <Table.Td>
                    <Badge variant="light">{d.action}</Badge>
                  </Table.Td>
                  <Table.Td>{d.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {pages > 1 ? <Pagination total={pages} value={current} onChange={setPage} /> : null}
        </>
      ) : null}
    </Stack>
  );
}
