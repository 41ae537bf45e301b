// Every label key across the environments, its values and how many environments carry each.
import { Badge, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Loading, PageHeader } from '../components/common';
import { useAllEnvironments } from './environments';

export function LabelsPage() {
  const all = useAllEnvironments();
  const [filter, setFilter] = useState('');
  const keys = useMemo(() => {
    const m = new Map<string, Map<string, string[]>>();
    for (const e of all.environments ?? []) {
      for (const [k, v] of Object.entries(e.labels)) {
        const values = m.get(k) ?? new Map<string, string[]>();
        values.set(v, [...(values.get(v) ?? []), `${e.tenant}/${e.name}`]);
        m.set(k, values);
      }
    }
    return [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [all.environments]);
  return (
    <Stack>
      <PageHeader title="Labels" subtitle="Assignments target environments by these labels (name, tenant and kind are set by Fasit)" />
      <TextInput label="Filter" placeholder="key or value" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} maw={360} />
      <Loading query={{ data: all.environments, error: all.error, isPending: all.isPending }}>
        {() => (
          <Table aria-label="Label keys">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Key</Table.Th>
                <Table.Th>Values (environments)</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {keys
                .filter(([k, values]) => `${k} ${[...values.keys()].join(' ')}`.toLowerCase().includes(filter.toLowerCase()))
                .map(([k, values]) => (
                  <Table.Tr key={k}>
                    <Table.Td>
                      <Text fw={600}>{k}</Text>
                      <Text size="xs" c="dimmed">
                        {values.size} values
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        {[...values.entries()]
                          .sort(([a], [b]) => a.localeCompare(b))
                          .slice(0, 60)
                          .map(([v, envs]) => (
                            <Badge key={v} variant="light" color="gray" tt="none" title={envs.slice(0, 20).join(', ') + (envs.length > 20 ? ', …' : '')}>
                              {v} ({envs.length})
                            </Badge>
                          ))}
                        {values.size > 60 ? <Text size="xs">and {values.size - 60} more</Text> : null}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
            </Table.Tbody>
          </Table>
        )}
      </Loading>
    </Stack>
  );
}
