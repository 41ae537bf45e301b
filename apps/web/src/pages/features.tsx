// Every feature: a text filter, its latest version and how many assignments are active.
import { Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { AnchorLink, Loading, PageHeader } from '../components/common';

export function FeaturesPage() {
  const features = useQuery({ queryKey: ['features'], queryFn: () => unwrap(api.GET('/api/v1/features')) });
  const [filter, setFilter] = useState('');
  return (
    <Stack>
      <PageHeader title="Features" subtitle="Helm charts with a Feature.yaml, as ingested from their OCI registry" />
      <TextInput label="Filter" placeholder="name, description or chart" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} maw={420} />
      <Loading query={features}>
        {(list) => {
          const f = filter.toLowerCase();
          const shown = list.filter((x) => `${x.name} ${x.description} ${x.chart}`.toLowerCase().includes(f));
          return (
            <Table striped highlightOnHover aria-label="Features">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Feature</Table.Th>
                  <Table.Th>Description</Table.Th>
                  <Table.Th>Latest version</Table.Th>
                  <Table.Th>Versions</Table.Th>
                  <Table.Th>Active assignments</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((x) => (
                  <Table.Tr key={x.name}>
                    <Table.Td>
                      <AnchorLink to="/features/$feature" params={{ feature: x.name }} fw={600}>
                        {x.name}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {x.chart}
                      </Text>
                    </Table.Td>
                    <Table.Td>{x.description}</Table.Td>
                    <Table.Td>{x.latestVersion}</Table.Td>
                    <Table.Td>{x.versions}</Table.Td>
                    <Table.Td>{x.activeAssignments}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          );
        }}
      </Loading>
    </Stack>
  );
}
