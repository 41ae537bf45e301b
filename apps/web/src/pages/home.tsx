// What needs attention first: features failing or pending in an environment, and the latest audit entries.
import { Card, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { AnchorLink, Loading, PageHeader, RelativeTime } from '../components/common';
import { useAllEnvironments } from './environments';

export function HomePage() {
  const all = useAllEnvironments();
  const features = useQuery({ queryKey: ['features'], queryFn: () => unwrap(api.GET('/api/v1/features')) });
  const audit = useQuery({
    queryKey: ['audit-recent'],
    queryFn: () => unwrap(api.GET('/api/v1/audit', { params: { query: { limit: '10' } } })),
    refetchInterval: 10_000,
  });
  return (
    <Stack>
      <PageHeader title="Fasit" subtitle="Features, assignments and environments at a glance" />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Card withBorder>
          <Text c="dimmed" size="sm">
            Environments
          </Text>
          <Title order={3}>{all.environments?.length ?? '…'}</Title>
          <Text size="sm">in {all.tenants?.length ?? '…'} tenants</Text>
        </Card>
        <Card withBorder>
          <Text c="dimmed" size="sm">
            Features
          </Text>
          <Title order={3}>{features.data?.length ?? '…'}</Title>
          <Text size="sm">{features.data?.reduce((n, f) => n + f.activeAssignments, 0) ?? '…'} active assignments</Text>
        </Card>
        <Card withBorder>
          <Text c="dimmed" size="sm">
            Quick links
          </Text>
          <Group gap="xs">
            <AnchorLink to="/assignments">Assignments</AnchorLink>
            <AnchorLink to="/audit">Audit log</AnchorLink>
          </Group>
        </Card>
      </SimpleGrid>
      <Title order={4}>Recent changes</Title>
      <Loading query={audit}>
        {(list) => (
          <Table aria-label="Recent audit entries">
            <Table.Tbody>
              {list.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td w={160}>
                    <RelativeTime at={e.createdAt} />
                  </Table.Td>
                  <Table.Td w={200}>{e.actor}</Table.Td>
                  <Table.Td>{e.description}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Loading>
    </Stack>
  );
}
