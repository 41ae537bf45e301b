// Every assignment, newest first (active ones by default).
import { Badge, Group, SegmentedControl, Stack, Table } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, unwrap } from '../api/client';
import { useAccess } from '../auth/access';
import { AnchorLink, LabelBadges, Loading, PageHeader, RelativeTime } from '../components/common';

export function AssignmentsPage({ actions }: { actions?: ReactNode }) {
  const { actor } = useAccess();
  const [active, setActive] = useState('true');
  const operator = actor?.grants.some((g) => g.role !== 'viewer') ?? false;
  const list = useQuery({
    queryKey: ['assignments', { active }],
    queryFn: () => unwrap(api.GET('/api/v1/assignments', { params: { query: { limit: '500', ...(active === 'all' ? {} : { active }) } } })),
  });
  return (
    <Stack>
      <PageHeader title="Assignments" subtitle="A feature version assigned to every environment whose labels contain the target">
        {actions}
        {operator ? (
          <AnchorLink to="/assignments/new" fw={600}>
            New assignment
          </AnchorLink>
        ) : null}
      </PageHeader>
      <Group>
        <SegmentedControl
          value={active}
          onChange={setActive}
          data={[
            { value: 'true', label: 'Active' },
            { value: 'false', label: 'Inactive' },
            { value: 'all', label: 'All' },
          ]}
          aria-label="Which assignments"
        />
      </Group>
      <Loading query={list}>
        {(rows) => (
          <Table aria-label="Assignments" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Feature</Table.Th>
                <Table.Th>Version</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Active</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>Created</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <AnchorLink to="/features/$feature" params={{ feature: a.feature }}>
                      {a.feature}
                    </AnchorLink>
                  </Table.Td>
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
                      <Badge color="gray" variant="light">
                        inactive
                      </Badge>
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
    </Stack>
  );
}
