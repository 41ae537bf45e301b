// The explain view of a feature in an environment: why it is or is not deployed, and what happens next.
import { Alert, Badge, Code, Group, List, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { AnchorLink, LabelBadges, Loading, RelativeTime, StateBadge } from '../components/common';

type Params = { tenant: string; env: string; feature: string };

const nextColor: Record<string, string> = {
  unchanged: 'green',
  deploy: 'blue',
  'in-progress': 'blue',
  disabled: 'gray',
  'no-assignment': 'gray',
  undecided: 'yellow',
  unhealthy: 'orange',
  'missing-deps': 'orange',
  'kind-mismatch': 'red',
  'missing-config': 'red',
  'render-error': 'red',
  'retry-exhausted': 'red',
};

function Check({ ok, children }: { ok: boolean | null; children: React.ReactNode }) {
  return (
    <List.Item
      icon={
        <Text span c={ok === null ? 'dimmed' : ok ? 'green' : 'red'} fw={700} aria-hidden>
          {ok === null ? '•' : ok ? '✓' : '✗'}
        </Text>
      }
    >
      {children}
    </List.Item>
  );
}

export function ExplainPanel({ tenant, env, feature }: Params) {
  const q = useQuery({
    queryKey: ['explain', tenant, env, feature],
    queryFn: () => unwrap(api.GET('/api/v1/tenants/{tenant}/environments/{env}/features/{feature}/explain', { params: { path: { tenant, env, feature } } })),
    refetchInterval: 3000,
  });
  return (
    <Loading query={q}>
      {(x) => (
        <Paper withBorder p="md" aria-label="Explain" component="section">
          <Stack gap="sm">
            <Group justify="space-between">
              <Title order={4}>Why</Title>
              <Group gap="xs">
                <Text size="sm">Next:</Text>
                <Badge color={nextColor[x.next.action] ?? 'gray'} data-testid="explain-next" data-action={x.next.action}>
                  {x.next.action}
                </Badge>
              </Group>
            </Group>
            <Alert color={nextColor[x.next.action] ?? 'gray'} variant="light" data-testid="explain-message">
              {x.next.message}
            </Alert>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <List spacing={6} size="sm" center>
                <Check ok={x.winner !== null}>
                  {x.winner ? (
                    <>
                      Assignment{' '}
                      <AnchorLink to="/assignments/$id" params={{ id: x.winner.id }}>
                        {x.winner.version}
                      </AnchorLink>{' '}
                      wins here
                    </>
                  ) : (
                    'no active assignment targets this environment'
                  )}
                </Check>
                {x.kind ? (
                  <Check ok={x.kind.ok}>
                    kind: the feature runs in {x.kind.feature.join(', ')}; this is a {x.kind.environment} environment
                  </Check>
                ) : null}
                <Check ok={x.disabled === null && x.reconcile}>
                  {x.disabled
                    ? `disabled by ${x.disabled.by}: ${x.disabled.reason}`
                    : x.reconcile
                      ? 'enabled, reconciliation on'
                      : 'reconciliation is off for this environment'}
                </Check>
                <Check ok={x.agent.health === 'healthy'}>
                  agent {x.agent.health}
                  {x.agent.reportedAt ? (
                    <>
                      {' '}
                      (last heartbeat <RelativeTime at={x.agent.reportedAt} />)
                    </>
                  ) : null}
                </Check>
                <Check ok={x.dependencies.length === 0 ? null : x.missingDependencies.length === 0}>
                  {x.dependencies.length === 0
                    ? 'no dependencies'
                    : x.missingDependencies.length === 0
                      ? 'dependencies deployed'
                      : `waiting for dependencies: ${x.missingDependencies.join(', ')}`}
                </Check>
                <Check ok={x.lastDeploy === null ? null : x.lastDeploy.sameHash && x.lastDeploy.status === 'deployed'}>
                  desired state {x.desired.hash ? <Code>{x.desired.hash.slice(0, 12)}</Code> : 'not rendered yet'}
                  {x.lastDeploy ? (
                    <>
                      {' '}
                      {x.lastDeploy.sameHash ? 'is' : 'differs from'} the last deploy's <Code>{x.lastDeploy.hash.slice(0, 12)}</Code>
                    </>
                  ) : (
                    ', never deployed'
                  )}
                </Check>
                <Check ok={x.retry.failures === 0 ? null : !x.retry.exhausted}>
                  {x.retry.failures === 0
                    ? 'no failed deploy of this desired state'
                    : x.retry.exhausted
                      ? `failed ${x.retry.failures} times: retries used up (redeploy or change it)`
                      : `failed ${x.retry.failures} of ${x.retry.maxAttempts + 1} tries`}
                  {x.retry.nextAt ? (
                    <>
                      ; next retry <RelativeTime at={x.retry.nextAt} />
                    </>
                  ) : null}
                </Check>
                <Check ok={x.drift === null ? null : false}>
                  <span data-testid="explain-drift" data-kind={x.drift?.kind ?? 'none'} data-policy={x.drift?.policy ?? ''}>
                    {x.drift === null
                      ? 'no drift seen: the cluster holds what Fasit deployed, or its agent has no real inventory'
                      : `drift (${x.drift.kind}): ${x.drift.message}; policy ${x.drift.policy}${x.drift.corrections > 0 ? `, corrected ${x.drift.corrections} time(s)` : ''}`}
                    {x.drift ? (
                      <>
                        {' '}
                        (since <RelativeTime at={x.drift.since} />)
                      </>
                    ) : null}
                  </span>
                </Check>
              </List>
              <Stack gap="xs">
                {x.dependencies.length > 0 ? (
                  <Table aria-label="Dependencies" withTableBorder>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Dependency</Table.Th>
                        <Table.Th>Rule</Table.Th>
                        <Table.Th>Here</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {x.dependencies.map((d) => (
                        <Table.Tr key={`${d.rule}:${d.feature}`}>
                          <Table.Td>{d.feature}</Table.Td>
                          <Table.Td>{d.rule === 'allOf' ? 'required' : 'one of'}</Table.Td>
                          <Table.Td>
                            {d.deployed ? (
                              <StateBadge state="DEPLOYED" />
                            ) : d.status ? (
                              `${d.status} (${d.version})`
                            ) : d.assigned ? (
                              'assigned, not deployed'
                            ) : (
                              'not assigned here'
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                ) : null}
                {x.assignments.length > 0 ? (
                  <Table aria-label="Matching assignments" withTableBorder>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Matching assignment</Table.Th>
                        <Table.Th>Target</Table.Th>
                        <Table.Th>Why</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {x.assignments.map((a) => (
                        <Table.Tr key={a.id}>
                          <Table.Td>
                            <AnchorLink to="/assignments/$id" params={{ id: a.id }}>
                              {a.version}
                            </AnchorLink>{' '}
                            {a.outcome === 'winner' ? <Badge size="xs">winner</Badge> : null}
                            {a.conflict ? (
                              <Badge size="xs" color="orange">
                                conflict
                              </Badge>
                            ) : null}
                          </Table.Td>
                          <Table.Td>
                            <LabelBadges labels={a.target} />
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm">{a.reason}</Text>
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                ) : null}
                {x.lastDeploy ? (
                  <Stack gap={4}>
                    <Text size="sm">
                      Last deploy {x.lastDeploy.version}: <b>{x.lastDeploy.status}</b> <RelativeTime at={x.lastDeploy.at} />
                      {x.lastDeploy.error ? (
                        <Text span c="red">
                          {' '}
                          — {x.lastDeploy.error}
                        </Text>
                      ) : null}
                    </Text>
                    {x.lastDeploy.log.length > 0 ? (
                      <ScrollArea.Autosize mah={160}>
                        <Code block>{x.lastDeploy.log.map((l) => l.msg).join('\n')}</Code>
                      </ScrollArea.Autosize>
                    ) : null}
                  </Stack>
                ) : null}
              </Stack>
            </SimpleGrid>
          </Stack>
        </Paper>
      )}
    </Loading>
  );
}
