import { Controller, Get, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@fasit/domain';
import { featureSchema } from '@fasit/feature-spec';
import { FeatureVersion } from './feature-version.entity.js';

export interface FeatureVersionView {
  feature: string;
  version: string;
  chart: string;
  chartDigest: string;
  description: string;
  source: string | null;
  kinds: string[];
  createdAt: string;
}

const toView = (v: FeatureVersion): FeatureVersionView => ({
  feature: v.feature,
  version: v.version,
  chart: v.chart,
  chartDigest: v.chartDigest,
  description: v.description,
  source: v.source,
  kinds: v.kinds,
  createdAt: v.createdAt.toISOString(),
});

@Controller()
export class FeatureController {
  constructor(private readonly ds: DataSource) {}

  /** The Feature.yaml JSON Schema, for editors (`# yaml-language-server: $schema=<fasit>/schema/feature.json`). */
  @Get('schema/feature.json')
  schema(): object {
    return featureSchema;
  }

  @Get('api/v1/features/:name/versions')
  async versions(@Param('name') name: string): Promise<FeatureVersionView[]> {
    const rows = await this.ds.getRepository(FeatureVersion).find({ where: { feature: name }, order: { createdAt: 'DESC' } });
    if (rows.length === 0) throw notFound(`feature "${name}" not found`);
    return rows.map(toView);
  }

  @Get('api/v1/features/:name/versions/:version')
  async version(@Param('name') name: string, @Param('version') version: string): Promise<FeatureVersionView & { featureYaml: string }> {
    const v = await this.ds.getRepository(FeatureVersion).findOneBy({ feature: name, version });
    if (!v) throw notFound(`feature version ${name}:${version} not found`);
    return { ...toView(v), featureYaml: v.featureYaml };
  }
}
