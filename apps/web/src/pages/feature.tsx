// One feature: its versions (stored, and the registry's tags not stored yet), its configuration keys as
// Feature.yaml declares them, and its assignments.
import { Badge, Code, Group, Stack, Table, Tabs, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useAccess } from '../auth/access';
import { AnchorLink, LabelBadges, Loading, PageHeader, RelativeTime } from '../components/common';
import { ConfigEditor } from '../components/config-editor';

export function FeaturePage({ feature }: { feature: string }) {
  const { can } = useAccess();
  const detail = useQuery({ queryKey: ['feature', feature], queryFn: () => unwrap(api.GET('/api/v1/features/{name}', { params: { path: { name: feature } } })) });
  const versions = useQuery({ queryKey: ['feature-versions', feature], queryFn: () => unwrap(api.GET('/api/v1/features/{name}/versions', { params: { path: { name: feature } } })) });
  const assignments = useQuery({ queryKey: ['assignments', { feature }], queryFn: () => unwrap(api.GET('/api/v1/assignments', { params: { query: { feature, limit: '200' } } })) });
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
                      <Table.Td>{k.secret ? <Badge color="grape" variant="light">secret</Badge> : ''}</Table.Td>
                      <Table.Td>{k.description}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {f.computedKeys.length > 0 ? (
                <Text size="sm" mt="sm">
                  Computed by templates: {f.computedKeys.map((k) => <Code key={k} mr={4}>{k}</Code>)}
                </Text>
              ) : null}
            </Tabs.Panel>
            <Tabs.Panel value="global-config" pt="md">
              <ConfigEditor feature={f.name} keys={f.configKeys} scope={{ kind: 'global' }} editable={can('operator', null)} />
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
                      {v.registry.error ? <Text span c="red"> (registry: {v.registry.error})</Text> : null}
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
                          <Table.Td>{a.active ? <Badge color="green" variant="light">active</Badge> : <Group gap={4}><Badge color="gray" variant="light">inactive</Badge></Group>}</Table.Td>
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
