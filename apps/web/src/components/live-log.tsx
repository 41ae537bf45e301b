// A deploy's helm log, streamed live while the deploy runs (server-sent events), then kept as it ended.
import { Badge, Code, Group, ScrollArea, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { streamEvents } from '../api/events';

export function LiveLog({
  tenant,
  env,
  feature,
  diid,
  initial,
  running,
}: {
  tenant: string;
  env: string;
  feature: string;
  diid: string;
  initial: string[];
  running: boolean;
}) {
  const [lines, setLines] = useState<string[] | null>(null);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!running) return;
    const abort = new AbortController();
    const got: string[] = [];
    setLive(true);
    const path = `/api/v1/tenants/${encodeURIComponent(tenant)}/environments/${encodeURIComponent(env)}/features/${encodeURIComponent(feature)}/deploys/${encodeURIComponent(diid)}/log`;
    streamEvents(
      path,
      (e) => {
        if (e.event === 'line') {
          got.push((e.data as { msg: string }).msg);
          setLines([...got]);
        }
      },
      abort.signal,
    )
      .catch((e: unknown) => {
        if (!abort.signal.aborted) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => setLive(false));
    return () => abort.abort();
  }, [tenant, env, feature, diid, running]);
  const shown = lines ?? initial;
  return (
    <>
      <Group gap="xs">
        <Text size="sm">helm log</Text>
        {live ? (
          <Badge size="xs" color="red" variant="dot" data-testid="log-live">
            live
          </Badge>
        ) : null}
        {error ? (
          <Text size="xs" c="red">
            {error}
          </Text>
        ) : null}
      </Group>
      <ScrollArea.Autosize mah={320}>
        <Code block aria-label={`helm log of ${diid}`}>
          {shown.join('\n') || '(no log lines yet)'}
        </Code>
      </ScrollArea.Autosize>
    </>
  );
}
