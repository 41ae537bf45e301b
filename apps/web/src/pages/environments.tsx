// Tenants and their environments; a text filter over name, tenant and labels, paged (2,000 environments stay quick).
import { Badge, Group, Pagination, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, unwrap, type Schemas } from '../api/client';
import { AnchorLink, ErrorAlert, LabelBadges, Loading, PageHeader } from '../components/common';

const PAGE = 50;

export function useAllEnvironments() {
  const tenants = useQuery({ queryKey: ['tenants'], queryFn: () => unwrap(api.GET('/api/v1/tenants')) });
  const envs = useQueries({
    queries: (tenants.data ?? []).map((t) => ({
      queryKey: ['environments', t.name],
      queryFn: () => unwrap(api.GET('/api/v1/tenants/{tenant}/environments', { params: { path: { tenant: t.name } } })),
    })),
  });
  const error = tenants.error ?? envs.find((q) => q.error)?.error;
  const pending = tenants.isPending || envs.some((q) => q.isPending);
  const data = pending ? undefined : envs.flatMap((q) => q.data ?? []);
  return { tenants: tenants.data, environments: data, error, isPending: pending };
}

export function matchesFilter(e: Schemas['Environment'], filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${e.tenant}/${e.name} ${e.kind} ${e.description} ${Object.entries(e.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

export function EnvironmentsPage() {
  const all = useAllEnvironments();
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(1);
  const shown = useMemo(
    () => (all.environments ?? []).filter((e) => matchesFilter(e, filter)).sort((a, b) => `${a.tenant}/${a.name}`.localeCompare(`${b.tenant}/${b.name}`)),
    [all.environments, filter],
  );
  const pages = Math.max(1, Math.ceil(shown.length / PAGE));
  const current = Math.min(page, pages);
  if (all.error) return <ErrorAlert error={all.error} />;
  return (
    <Stack>
      <PageHeader
        title="Environments"
        subtitle={all.environments ? `${all.environments.length} environments in ${all.tenants?.length ?? 0} tenants` : undefined}
      />
      <TextInput
        label="Filter"
        placeholder="tenant, name, kind or label (k=v); words must all match"
        value={filter}
        onChange={(e) => {
          setFilter(e.currentTarget.value);
          setPage(1);
        }}
        maw={520}
      />
      <Loading query={{ data: all.environments, error: all.error, isPending: all.isPending }}>
        {() => (
          <>
            <Table striped highlightOnHover verticalSpacing="xs" aria-label="Environments">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Tenant</Table.Th>
                  <Table.Th>Environment</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Labels</Table.Th>
                  <Table.Th>Reconcile</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.slice((current - 1) * PAGE, current * PAGE).map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>{e.tenant}</Table.Td>
                    <Table.Td>
                      <AnchorLink to="/tenants/$tenant/environments/$env" params={{ tenant: e.tenant, env: e.name }}>
                        {e.name}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td>{e.kind}</Table.Td>
                    <Table.Td>
                      <LabelBadges labels={e.labels} hide={['name', 'tenant', 'kind']} />
                    </Table.Td>
                    <Table.Td>
                      {e.reconcile ? (
                        <Badge color="green" variant="light">
                          on
                        </Badge>
                      ) : (
                        <Badge color="orange" variant="light">
                          off
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group justify="space-between">
              <Text size="sm" c="dimmed">
                {shown.length} shown
              </Text>
              {pages > 1 ? <Pagination total={pages} value={current} onChange={setPage} aria-label="Pages" /> : null}
            </Group>
          </>
        )}
      </Loading>
    </Stack>
  );
}
