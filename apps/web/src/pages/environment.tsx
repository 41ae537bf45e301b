// One environment: its features with their state and the per-row actions (disable with a reason, enable,
// redeploy), its values (secrets masked; operators may reveal), the helm releases its agent reports (orphans
// flagged, uninstall) with the agent's health, and its details and labels.
import { Alert, Badge, Button, Code, Group, Modal, Stack, Table, Tabs, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { useAccess } from '../auth/access';
import { AnchorLink, ErrorAlert, LabelBadges, Loading, PageHeader, RelativeTime, StateBadge } from '../components/common';

/** healthy: a heartbeat within a minute; stale: within five; dead: older; never seen: no heartbeat at all. */
export function agentHealth(reportedAt: string | null | undefined, now = Date.now()): 'healthy' | 'stale' | 'dead' | 'never seen' {
  if (!reportedAt) return 'never seen';
  const age = now - new Date(reportedAt).getTime();
  return age < 60_000 ? 'healthy' : age < 300_000 ? 'stale' : 'dead';
}

type Params = { tenant: string; env: string };

function DisableButton({ tenant, env, feature }: Params & { feature: string }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const disable = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/tenants/{tenant}/environments/{env}/features/{feature}/disable', { params: { path: { tenant, env, feature } }, body: { reason } }),
      ),
    onSuccess: async () => {
      setOpen(false);
      setReason('');
      await qc.invalidateQueries({ queryKey: ['env-features', tenant, env] });
      await qc.invalidateQueries({ queryKey: ['env-feature', tenant, env, feature] });
    },
  });
  return (
    <>
      <Button size="xs" variant="light" color="orange" onClick={() => setOpen(true)}>
        Disable
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Disable ${feature} in ${tenant}/${env}`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            disable.mutate();
          }}
        >
          <Stack>
            <Text size="sm">Fasit stops deploying it here until it is enabled again; what runs stays installed.</Text>
            <Textarea
              label="Reason"
              description="Shown to everyone and kept in the audit log"
              required
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              data-autofocus
            />
            {disable.error ? <ErrorAlert error={disable.error} /> : null}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" color="orange" loading={disable.isPending} disabled={reason.trim() === ''}>
                Disable
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}

export function FeatureActions({ tenant, env, feature, disabled }: Params & { feature: string; disabled: boolean }) {
  const qc = useQueryClient();
  const refresh = async () => {
    await qc.invalidateQueries({ queryKey: ['env-features', tenant, env] });
    await qc.invalidateQueries({ queryKey: ['env-feature', tenant, env, feature] });
  };
  const enable = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/tenants/{tenant}/environments/{env}/features/{feature}/enable', { params: { path: { tenant, env, feature } } })),
    onSuccess: refresh,
  });
  const redeploy = useMutation({
    mutationFn: () =>
      unwrap(api.POST('/api/v1/tenants/{tenant}/environments/{env}/features/{feature}/redeploy', { params: { path: { tenant, env, feature } } })),
    onSuccess: refresh,
  });
  const error = enable.error ?? redeploy.error;
  return (
    <Stack gap={4}>
      <Group gap={4} wrap="nowrap">
        {disabled ? (
          <Button size="xs" variant="light" color="green" loading={enable.isPending} onClick={() => enable.mutate()}>
            Enable
          </Button>
        ) : (
          <DisableButton tenant={tenant} env={env} feature={feature} />
        )}
        <Button size="xs" variant="light" loading={redeploy.isPending} disabled={disabled} onClick={() => redeploy.mutate()}>
          Redeploy
        </Button>
      </Group>
      {redeploy.isSuccess ? (
        <Text size="xs" c="green">
          redeploy requested
        </Text>
      ) : null}
      {error ? (
        <Text size="xs" c="red" role="alert">
          {error.message}
        </Text>
      ) : null}
    </Stack>
  );
}

function FeaturesTab({ tenant, env }: Params) {
  const { can } = useAccess();
  const q = useQuery({
    queryKey: ['env-features', tenant, env],
    queryFn: () => unwrap(api.GET('/api/v1/tenants/{tenant}/environments/{env}/features', { params: { path: { tenant, env } } })),
    refetchInterval: 5000,
  });
  return (
    <Loading query={q}>
      {(rows) =>
        rows.length === 0 ? (
          <Text c="dimmed">No assignment brings a feature here.</Text>
        ) : (
          <Table aria-label="Features in the environment" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Feature</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Desired</Table.Th>
                <Table.Th>Last deployed</Table.Th>
                <Table.Th>Message</Table.Th>
                {can('operator', tenant) ? <Table.Th>Actions</Table.Th> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.feature} data-feature={r.feature}>
                  <Table.Td>
                    <AnchorLink to="/tenants/$tenant/environments/$env/features/$feature" params={{ tenant, env, feature: r.feature }} fw={600}>
                      {r.feature}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={r.state} />
                  </Table.Td>
                  <Table.Td>{r.desiredVersion ?? '—'}</Table.Td>
                  <Table.Td>
                    {r.lastDeployedVersion ?? '—'}
                    {r.desiredVersion && r.lastDeployedVersion && r.desiredVersion !== r.lastDeployedVersion ? (
                      <Badge ml={6} size="xs" color="orange" variant="light" title="the deployed version lags the desired one">
                        lag
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.disabledReason ? `disabled: ${r.disabledReason}` : r.message}</Text>
                  </Table.Td>
                  {can('operator', tenant) ? (
                    <Table.Td>
                      <FeatureActions tenant={tenant} env={env} feature={r.feature} disabled={r.state === 'DISABLED' && r.disabledReason !== null} />
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )
      }
    </Loading>
  );
}

function ValuesTab({ tenant, env }: Params) {
  const { can } = useAccess();
  const [reveal, setReveal] = useState(false);
  const q = useQuery({
    queryKey: ['env-values', tenant, env, reveal],
    queryFn: () =>
      unwrap(api.GET('/api/v1/tenants/{tenant}/environments/{env}/values', { params: { path: { tenant, env }, query: reveal ? { reveal: 'true' } : {} } })),
  });
  return (
    <Stack>
      {can('operator', tenant) ? (
        <Group>
          <Button size="xs" variant="default" onClick={() => setReveal(!reveal)}>
            {reveal ? 'Mask secrets' : 'Reveal secrets (audited)'}
          </Button>
        </Group>
      ) : null}
      <Loading query={q}>
        {(rows) => (
          <Table aria-label="Environment values">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Key</Table.Th>
                <Table.Th>Value</Table.Th>
                <Table.Th>Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((v) => (
                <Table.Tr key={v.key}>
                  <Table.Td>
                    <Code>{v.key}</Code>{' '}
                    {v.secret ? (
                      <Badge size="xs" color="grape" variant="light">
                        secret
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Code>{JSON.stringify(v.value)}</Code>
                  </Table.Td>
                  <Table.Td>
                    <RelativeTime at={v.updatedAt} />
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

function ReleasesTab({ tenant, env }: Params) {
  const { can } = useAccess();
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['env-releases', tenant, env],
    queryFn: () => unwrap(api.GET('/api/v1/tenants/{tenant}/environments/{env}/releases', { params: { path: { tenant, env } } })),
    refetchInterval: 10_000,
  });
  const uninstall = useMutation({
    mutationFn: (name: string) =>
      unwrap(api.POST('/api/v1/tenants/{tenant}/environments/{env}/releases/{name}/uninstall', { params: { path: { tenant, env, name } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['env-releases', tenant, env] }),
  });
  return (
    <Loading query={q}>
      {(inv) => (
        <Stack>
          <Group>
            <Text>Agent:</Text>
            <StateBadge state={agentHealth(inv.agent?.reportedAt)} />
            {inv.agent ? (
              <Text size="sm" c="dimmed">
                last heartbeat <RelativeTime at={inv.agent.reportedAt} />, version {inv.agent.version ?? 'unknown'}
              </Text>
            ) : null}
          </Group>
          {uninstall.error ? <ErrorAlert error={uninstall.error} /> : null}
          <Table aria-label="Helm releases">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Release</Table.Th>
                <Table.Th>Chart version</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Revision</Table.Th>
                <Table.Th>Last deployed</Table.Th>
                {can('operator', tenant) ? <Table.Th /> : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {inv.releases.map((r) => (
                <Table.Tr key={r.name}>
                  <Table.Td>
                    {r.name}{' '}
                    {r.orphan ? (
                      <Badge size="xs" color="orange">
                        orphan
                      </Badge>
                    ) : null}{' '}
                    {r.agent ? (
                      <Badge size="xs" color="gray">
                        agent
                      </Badge>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {r.chartVersion}
                    {r.desiredVersion && r.desiredVersion !== r.chartVersion ? (
                      <Text span size="xs" c="orange">
                        {' '}
                        (desired {r.desiredVersion})
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{r.status}</Table.Td>
                  <Table.Td>{r.revision}</Table.Td>
                  <Table.Td>
                    <RelativeTime at={r.lastDeployed} />
                  </Table.Td>
                  {can('operator', tenant) ? (
                    <Table.Td>
                      {!r.agent ? (
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          loading={uninstall.isPending && uninstall.variables === r.name}
                          onClick={() => uninstall.mutate(r.name)}
                        >
                          Uninstall
                        </Button>
                      ) : null}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {inv.releases.length === 0 ? <Text c="dimmed">The agent has reported no releases.</Text> : null}
        </Stack>
      )}
    </Loading>
  );
}

export function EnvironmentPage({ tenant, env }: Params) {
  const q = useQuery({
    queryKey: ['environment', tenant, env],
    queryFn: () => unwrap(api.GET('/api/v1/tenants/{tenant}/environments/{env}', { params: { path: { tenant, env } } })),
  });
  return (
    <Loading query={q}>
      {(e) => (
        <Stack>
          <PageHeader title={`${e.tenant} / ${e.name}`} subtitle={e.description || `${e.kind} environment`}>
            <Badge variant="light">{e.kind}</Badge>
            {!e.reconcile ? <Badge color="orange">reconciliation off</Badge> : null}
          </PageHeader>
          <Tabs defaultValue="features" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="features">Features</Tabs.Tab>
              <Tabs.Tab value="values">Values</Tabs.Tab>
              <Tabs.Tab value="releases">Helm releases</Tabs.Tab>
              <Tabs.Tab value="details">Details</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="features" pt="md">
              <FeaturesTab tenant={tenant} env={env} />
            </Tabs.Panel>
            <Tabs.Panel value="values" pt="md">
              <ValuesTab tenant={tenant} env={env} />
            </Tabs.Panel>
            <Tabs.Panel value="releases" pt="md">
              <ReleasesTab tenant={tenant} env={env} />
            </Tabs.Panel>
            <Tabs.Panel value="details" pt="md">
              <Stack gap="xs">
                <Text>
                  Labels: <LabelBadges labels={e.labels} />
                </Text>
                <Text>Reconcile: {e.reconcile ? 'on' : 'off'}</Text>
                <Text>
                  Drift: {e.driftPolicy === 'correct' ? 'correct (redeploy a release changed outside Fasit)' : 'report (show a release changed outside Fasit)'}
                </Text>
                <Text>OIDC issuer: {e.oidcIssuer ?? '—'}</Text>
                <Text>
                  Created <RelativeTime at={e.createdAt} />
                </Text>
                {!e.reconcile ? <Alert color="orange">Reconciliation is off: Fasit decides nothing here until it is turned on.</Alert> : null}
              </Stack>
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Loading>
  );
}
