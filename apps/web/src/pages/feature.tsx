// One feature: its versions (stored, and the registry's tags not stored yet), its configuration keys as
// Feature.yaml declares them, one key compared across environments, and its assignments.
import { Badge, Code, Group, Select, Stack, Table, Tabs, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useAccess } from '../auth/access';
import { AnchorLink, LabelBadges, Loading, PageHeader, RelativeTime } from '../components/common';
import { ConfigEditor } from '../components/config-editor';

export function FeaturePage({ feature }: { feature: string }) {
  const { can } = useAccess();
  const detail = useQuery({
    queryKey: ['feature', feature],
    queryFn: () => unwrap(api.GET('/api/v1/features/{name}', { params: { path: { name: feature } } })),
  });
  const versions = useQuery({
    queryKey: ['feature-versions', feature],
    queryFn: () => unwrap(api.GET('/api/v1/features/{name}/versions', { params: { path: { name: feature } } })),
  });
  const assignments = useQuery({
    queryKey: ['assignments', { feature }],
    queryFn: () => unwrap(api.GET('/api/v1/assignments', { params: { query: { feature, limit: '200' } } })),
  });
  return (
    <Loading query={detail}>
      {(f) => (
        <Stack>
          <PageHeader title={f.name} subtitle={f.description}>
            <Badge variant="light">latest {f.latestVersion}</Badge>
            {f.kinds.map((k) => (
              <Badge key={k} variant="outline" color="gray">
                {k}
              </Badge>
            ))}
          </PageHeader>
          <Text size="sm">
            Chart <Code>{f.chart}</Code>
          </Text>
          <Tabs defaultValue="config" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="config">Configuration keys</Tabs.Tab>
              <Tabs.Tab value="global-config">Global configuration</Tabs.Tab>
              <Tabs.Tab value="compare">Compare across environments</Tabs.Tab>
              <Tabs.Tab value="versions">Versions</Tabs.Tab>
              <Tabs.Tab value="assignments">Assignments</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="config" pt="md">
              <Table aria-label="Configuration keys">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Type</Table.Th>
                    <Table.Th>Required</Table.Th>
                    <Table.Th>Secret</Table.Th>
                    <Table.Th>Description</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {f.configKeys.map((k) => (
                    <Table.Tr key={k.key}>
                      <Table.Td>
                        <Code>{k.key}</Code>
                      </Table.Td>
                      <Table.Td>{k.type}</Table.Td>
                      <Table.Td>{k.required ? 'yes' : ''}</Table.Td>
                      <Table.Td>
                        {k.secret ? (
                          <Badge color="grape" variant="light">
                            secret
                          </Badge>
                        ) : (
                          ''
                        )}
                      </Table.Td>
                      <Table.Td>{k.description}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {f.computedKeys.length > 0 ? (
                <Text size="sm" mt="sm">
                  Computed by templates:{' '}
                  {f.computedKeys.map((k) => (
                    <Code key={k} mr={4}>
                      {k}
                    </Code>
                  ))}
                </Text>
              ) : null}
            </Tabs.Panel>
            <Tabs.Panel value="global-config" pt="md">
              <ConfigEditor feature={f.name} keys={f.configKeys} scope={{ kind: 'global' }} editable={can('operator', null)} />
            </Tabs.Panel>
            <Tabs.Panel value="compare" pt="md">
              <ConfigComparison feature={f.name} keys={f.configKeys.map((k) => k.key)} />
            </Tabs.Panel>
            <Tabs.Panel value="versions" pt="md">
              <Loading query={versions}>
                {(v) => (
                  <Stack>
                    <Table aria-label="Stored versions">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Version</Table.Th>
                          <Table.Th>Digest</Table.Th>
                          <Table.Th>Source</Table.Th>
                          <Table.Th>Ingested</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {v.stored.map((s) => (
                          <Table.Tr key={s.version}>
                            <Table.Td>{s.version}</Table.Td>
                            <Table.Td>
                              <Code>{s.chartDigest.slice(0, 19)}…</Code>
                            </Table.Td>
                            <Table.Td>{s.source ?? ''}</Table.Td>
                            <Table.Td>
                              <RelativeTime at={s.createdAt} />
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                    <Text size="sm">
                      In the registry, not stored yet: {v.registry.notStored.length ? v.registry.notStored.join(', ') : 'none'}
                      {v.registry.error ? (
                        <Text span c="red">
                          {' '}
                          (registry: {v.registry.error})
                        </Text>
                      ) : null}
                    </Text>
                  </Stack>
                )}
              </Loading>
            </Tabs.Panel>
            <Tabs.Panel value="assignments" pt="md">
              <Loading query={assignments}>
                {(list) => (
                  <Table aria-label="Assignments of the feature">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>Version</Table.Th>
                        <Table.Th>Target</Table.Th>
                        <Table.Th>Active</Table.Th>
                        <Table.Th>By</Table.Th>
                        <Table.Th>Created</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {list.map((a) => (
                        <Table.Tr key={a.id}>
                          <Table.Td>
                            <AnchorLink to="/assignments/$id" params={{ id: a.id }}>
                              {a.version}
                            </AnchorLink>
                          </Table.Td>
                          <Table.Td>
                            <LabelBadges labels={a.target} />
                          </Table.Td>
                          <Table.Td>
                            {a.active ? (
                              <Badge color="green" variant="light">
                                active
                              </Badge>
                            ) : (
                              <Group gap={4}>
                                <Badge color="gray" variant="light">
                                  inactive
                                </Badge>
                              </Group>
                            )}
                          </Table.Td>
                          <Table.Td>{a.createdBy}</Table.Td>
                          <Table.Td>
                            <RelativeTime at={a.createdAt} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                )}
              </Loading>
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Loading>
  );
}

/** One configuration key across environments: the global value, then each environment that overrides it. */
function ConfigComparison({ feature, keys }: { feature: string; keys: string[] }) {
  const [key, setKey] = useState<string | null>(keys[0] ?? null);
  const across = useQuery({
    queryKey: ['config-across', feature, key],
    enabled: key !== null,
    queryFn: () => unwrap(api.GET('/api/v1/features/{feature}/config/{key}/environments', { params: { path: { feature, key: key! } } })),
  });
  if (keys.length === 0) return <Text c="dimmed">The feature declares no configuration keys.</Text>;
  return (
    <Stack>
      <Select label="Key" data={keys} value={key} onChange={setKey} allowDeselect={false} searchable w={320} />
      {key ? (
        <Loading query={across}>
          {(rows) =>
            rows.length === 0 ? (
              <Text c="dimmed">
                <Code>{key}</Code> is set nowhere: every environment uses the chart's default.
              </Text>
            ) : (
              <Stack gap="xs">
                <Table aria-label={`${key} across environments`}>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Where</Table.Th>
                      <Table.Th>Value</Table.Th>
                      <Table.Th>By</Table.Th>
                      <Table.Th>Changed</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((c) => (
                      <Table.Tr key={c.environmentId ?? 'global'}>
                        <Table.Td>
                          {c.tenant && c.environment ? (
                            <AnchorLink to="/tenants/$tenant/environments/$env/features/$feature" params={{ tenant: c.tenant, env: c.environment, feature }}>
                              {c.tenant}/{c.environment}
                            </AnchorLink>
                          ) : (
                            <Badge variant="light">global</Badge>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Code>{c.masked ? '*****' : JSON.stringify(c.value)}</Code>
                        </Table.Td>
                        <Table.Td>{c.updatedBy}</Table.Td>
                        <Table.Td>
                          <RelativeTime at={c.updatedAt} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Text size="sm" c="dimmed">
                  Environments not listed use the global value{rows.some((c) => c.environmentId === null) ? '' : " (none is set here: the chart's default)"}.
                </Text>
              </Stack>
            )
          }
        </Loading>
      ) : null}
    </Stack>
  );
}
