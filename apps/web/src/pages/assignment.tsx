// One assignment and its rollout, live: the state overall and per environment it wins, refreshed every two
// seconds while anything is still pending. Deactivation warns when an older version would take over.
import { Alert, Badge, Button, Group, List, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, unwrap } from '../api/client';
import { useAccess } from '../auth/access';
import { AnchorLink, ErrorAlert, LabelBadges, Loading, PageHeader, RelativeTime, StateBadge } from '../components/common';

const SETTLED = new Set(['DEPLOYED', 'FAILED', 'DISABLED', 'NO_TARGETS']);

export function useAssignmentStatus(id: string) {
  return useQuery({
    queryKey: ['assignment-status', id],
    queryFn: () => unwrap(api.GET('/api/v1/assignments/{id}/status', { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && SETTLED.has(q.state.data.state) ? 10_000 : 2_000),
  });
}

export function RolloutTable({ id }: { id: string }) {
  const status = useAssignmentStatus(id);
  return (
    <Loading query={status}>
      {(s) => (
        <Stack gap="xs">
          <Group>
            <Text fw={600}>Rollout</Text>
            <span data-testid="assignment-state">
              <StateBadge state={s.state} />
            </span>
          </Group>
          <Table aria-label="Rollout per environment">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Environment</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Message</Table.Th>
                <Table.Th>Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.environments.map((e) => (
                <Table.Tr key={e.environmentId}>
                  <Table.Td>
                    <AnchorLink to="/tenants/$tenant/environments/$env/features/$feature" params={{ tenant: e.tenant, env: e.environment, feature: s.feature }}>
                      {e.tenant}/{e.environment}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={e.state} />
                  </Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                  <Table.Td>
                    <RelativeTime at={e.updatedAt} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Loading>
  );
}

function Deactivate({ id, target }: { id: string; target: Record<string, string> }) {
  const qc = useQueryClient();
  const { mayAssign } = useAccess();
  const deactivate = useMutation({
    mutationFn: (confirm: boolean) =>
      unwrap(api.POST('/api/v1/assignments/{id}/deactivate', { params: { path: { id }, query: confirm ? { confirm: 'true' } : {} } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['assignment'] }),
  });
  if (!mayAssign(target)) return null;
  const conflict = deactivate.error instanceof ApiError && deactivate.error.status === 409 ? deactivate.error : null;
  return (
    <Stack gap="xs">
      {conflict ? (
        <Alert color="orange" title="An older version would take over">
          <Text size="sm">{conflict.message}</Text>
          <Button mt="sm" color="orange" size="xs" onClick={() => deactivate.mutate(true)} loading={deactivate.isPending}>
            Deactivate anyway
          </Button>
        </Alert>
      ) : deactivate.error ? (
        <ErrorAlert error={deactivate.error} />
      ) : null}
      <Group>
        <Button color="red" variant="light" onClick={() => deactivate.mutate(false)} loading={deactivate.isPending}>
          Deactivate
        </Button>
      </Group>
    </Stack>
  );
}

export function AssignmentPage({ id }: { id: string }) {
  const a = useQuery({ queryKey: ['assignment', id], queryFn: () => unwrap(api.GET('/api/v1/assignments/{id}', { params: { path: { id } } })) });
  return (
    <Loading query={a}>
      {(x) => (
        <Stack>
          <PageHeader title={`${x.feature} ${x.version}`} subtitle={x.description || undefined}>
            {x.active ? <Badge color="green">active</Badge> : <Badge color="gray">inactive</Badge>}
          </PageHeader>
          <List spacing={4}>
            <List.Item>
              Feature:{' '}
              <AnchorLink to="/features/$feature" params={{ feature: x.feature }}>
                {x.feature}
              </AnchorLink>
            </List.Item>
            <List.Item>
              Target: <LabelBadges labels={x.target} />
            </List.Item>
            <List.Item>
              Created by {x.createdBy} <RelativeTime at={x.createdAt} />
            </List.Item>
            {x.replacedBy ? (
              <List.Item>
                Replaced by{' '}
                <AnchorLink to="/assignments/$id" params={{ id: x.replacedBy }}>
                  {x.replacedBy}
                </AnchorLink>
              </List.Item>
            ) : null}
          </List>
          {x.active ? <Deactivate id={x.id} target={x.target} /> : null}
          <RolloutTable id={x.id} />
        </Stack>
      )}
    </Loading>
  );
}
