// One feature in one environment: its state and the actions, the rendered values with where each key came from,
// the last decision, and every deploy with helm's log.
import { Accordion, Badge, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import { useAccess } from '../auth/access';
import { AnchorLink, Loading, PageHeader, RelativeTime, StateBadge } from '../components/common';
import { ConfigEditor } from '../components/config-editor';
import { LiveLog } from '../components/live-log';
import { FeatureActions } from './environment';
import { ExplainPanel } from './explain';

type Params = { tenant: string; env: string; feature: string };

/** `a.b.c` of nested values. */
function lookup(values: unknown, key: string): unknown {
  let cur = values;
  for (const part of key.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'))) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function EnvironmentFeaturePage({ tenant, env, feature, extra }: Params & { extra?: ReactNode }) {
  const { can } = useAccess();
  const detail = useQuery({
    queryKey: ['feature', feature],
    queryFn: () => unwrap(api.GET('/api/v1/features/{name}', { params: { path: { name: feature } } })),
  });
  const q = useQuery({
    queryKey: ['env-feature', tenant, env, feature],
    queryFn: () => unwrap(api.GET('/api/v1/tenants/{tenant}/environments/{env}/features/{feature}', { params: { path: { tenant, env, feature } } })),
    refetchInterval: 3000,
  });
  return (
    <Loading query={q}>
      {(v) => {
        const provenance = (v.rendered?.provenance ?? {}) as Record<string, { source?: string; secret?: boolean; template?: string; references?: string[] }>;
        return (
          <Stack>
            <PageHeader
              title={
                <>
                  {feature}{' '}
                  <Text span c="dimmed" fz="inherit">
                    in
                  </Text>{' '}
                  <AnchorLink to="/tenants/$tenant/environments/$env" params={{ tenant, env }} fz="inherit">
                    {tenant}/{env}
                  </AnchorLink>
                </>
              }
            >
              <span data-testid="pair-state">
                <StateBadge state={v.state} title={v.message} />
              </span>
            </PageHeader>
            <Group>
              <Text>{v.message}</Text>
              {v.disabled ? (
                <Badge color="gray">
                  disabled by {v.disabled.by}: {v.disabled.reason}
                </Badge>
              ) : null}
            </Group>
            <Group gap="xl">
              <Text>
                Desired:{' '}
                {v.desired ? (
                  <AnchorLink to="/assignments/$id" params={{ id: v.desired.assignmentId }}>
                    {v.desired.version}
                  </AnchorLink>
                ) : (
                  '—'
                )}
              </Text>
              <Text>
                Current: {v.current?.version ?? '—'} {v.current?.since ? <RelativeTime at={v.current.since} /> : null}
                {v.current && v.desired && v.current.version !== v.desired.version ? (
                  <Badge ml={6} size="xs" color="orange">
                    lag
                  </Badge>
                ) : null}
              </Text>
            </Group>
            {can('operator', tenant) ? <FeatureActions tenant={tenant} env={env} feature={feature} disabled={v.disabled !== null} /> : null}
            {extra}
            <ExplainPanel tenant={tenant} env={env} feature={feature} />
            <Title order={4}>Rendered values</Title>
            {v.rendered ? (
              <Table aria-label="Rendered values with provenance">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Value</Table.Th>
                    <Table.Th>From</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {Object.keys(provenance)
                    .sort()
                    .map((key) => {
                      const p = provenance[key]!;
                      return (
                        <Table.Tr key={key}>
                          <Table.Td>
                            <Code>{key}</Code>
                          </Table.Td>
                          <Table.Td>
                            <Code>{JSON.stringify(lookup(v.rendered!.values, key)) ?? '(chart default)'}</Code>
                          </Table.Td>
                          <Table.Td>
                            <Badge
                              variant="light"
                              color={p.source === 'env-config' ? 'blue' : p.source === 'global-config' ? 'cyan' : p.source === 'computed' ? 'violet' : 'gray'}
                            >
                              {p.source}
                            </Badge>{' '}
                            {p.secret ? (
                              <Badge size="xs" color="grape">
                                secret
                              </Badge>
                            ) : null}
                            {p.template ? (
                              <Text size="xs" c="dimmed" ff="monospace">
                                {p.template}
                              </Text>
                            ) : null}
                          </Table.Td>
                        </Table.Tr>
                      );
                    })}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed">Nothing rendered yet.</Text>
            )}
            <Title order={4}>Last decision</Title>
            {v.lastDecision ? (
              <Text>
                <Code>{v.lastDecision.action}</Code> {v.lastDecision.message} <RelativeTime at={v.lastDecision.at} />
              </Text>
            ) : (
              <Text c="dimmed">No decision yet.</Text>
            )}
            <Title order={4}>Deploys</Title>
            {v.deploys.length === 0 ? <Text c="dimmed">No deploy yet.</Text> : null}
            <Accordion variant="separated" defaultValue={v.deploys[0]?.diid ?? null}>
              {v.deploys.map((d) => (
                <Accordion.Item key={d.diid} value={d.diid}>
                  <Accordion.Control>
                    <Group>
                      <StateBadge state={d.status === 'deployed' ? 'DEPLOYED' : d.status === 'failed' ? 'FAILED' : 'PENDING'} />
                      <Text>{d.featureVersion}</Text>
                      <RelativeTime at={d.startedAt} />
                      <Text size="xs" c="dimmed" ff="monospace">
                        {d.diid}
                      </Text>
                    </Group>
                  </Accordion.Control>
                  <Accordion.Panel>
                    {d.error ? <Text c="red">{d.error}</Text> : null}
                    <Text size="sm">{d.history.map((h) => h.status).join(' → ')}</Text>
                    <LiveLog
                      tenant={tenant}
                      env={env}
                      feature={feature}
                      diid={d.diid}
                      initial={d.logs.map((l) => l.msg)}
                      running={d.status === 'sent' || d.status === 'installing'}
                    />
                  </Accordion.Panel>
                </Accordion.Item>
              ))}
            </Accordion>
            <Title order={4}>Configuration here</Title>
            {detail.data ? (
              <ConfigEditor feature={feature} keys={detail.data.configKeys} scope={{ kind: 'environment', tenant, env }} editable={can('operator', tenant)} />
            ) : null}
          </Stack>
        );
      }}
    </Loading>
  );
}
