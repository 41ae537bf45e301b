// What the renderer needs of the catalog, sealed as stored: a tenant's environments with their values, and a
// feature's configuration (RenderDataService opens the secrets).
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface RenderEnvironmentRow {
  id: string;
  name: string;
  kind: string;
  labels: Record<string, string>;
  tenant: string;
}

export interface StoredValueRow {
  environment_id: string;
  key: string;
  value: unknown;
  secret: boolean;
  encrypted_value: string | null;
}

export interface StoredConfigRow {
  feature: string;
  environment_id: string | null;
  key: string;
  value: unknown;
  secret: boolean;
  encrypted_value: string | null;
}

@Injectable()
export class RenderDataRepository {
  constructor(private readonly ds: DataSource) {}

  /** Every environment of the tenants, by tenant and name. */
  environments(tenants: string[]): Promise<RenderEnvironmentRow[]> {
    return this.ds.query<RenderEnvironmentRow[]>(
      `SELECT e.id, e.name, e.kind, e.labels, t.name AS tenant FROM catalog.environments e JOIN catalog.tenants t ON t.id = e.tenant_id WHERE t.name = ANY($1::text[]) ORDER BY t.name, e.name`,
      [tenants],
    );
  }

  values(environmentIds: string[]): Promise<StoredValueRow[]> {
    return this.ds.query<StoredValueRow[]>(
      `SELECT environment_id, key, value, secret, encrypted_value FROM catalog.environment_values WHERE environment_id = ANY($1::uuid[])`,
      [environmentIds],
    );
  }

  /** The feature's configuration, global and in every environment. */
  featureConfig(feature: string): Promise<StoredConfigRow[]> {
    return this.ds.query<StoredConfigRow[]>(`SELECT feature, environment_id, key, value, secret, encrypted_value FROM catalog.configs WHERE feature = $1`, [
      feature,
    ]);
  }
}
