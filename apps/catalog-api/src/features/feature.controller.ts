import { Body, Controller, Get, Param, Post, Res } from '@nestjs/common';
import { Allow, policies } from '../auth/policy.js';
import type { Response } from 'express';
import { featureSchema } from '@fasit/feature-spec';
import { CurrentActor, type Actor } from '../common/actor.js';
import { validateInput } from '../common/validation.js';
import { FeatureService } from './feature.service.js';
import { ingestSchema, type FeatureDetail, type FeatureSummary, type FeatureVersionView, type VersionListing } from './feature.schemas.js';

@Controller()
export class FeatureController {
  constructor(private readonly features: FeatureService) {}

  /** The Feature.yaml JSON Schema, for editors (`# yaml-language-server: $schema=<fasit>/schema/feature.json`). */
  @Get('schema/feature.json')
  @Allow(policies.public)
  schema(): object {
    return featureSchema;
  }

  /** Ingest a version from an OCI chart reference without assigning it: 201 when stored now, 200 when already stored. */
  @Post('api/v1/features')
  @Allow(policies.anyOperator)
  async ingest(
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FeatureVersionView & { created: boolean }> {
    const result = await this.features.ingest(actor, validateInput(ingestSchema, body));
    res.status(result.created ? 201 : 200);
    return result;
  }

  @Get('api/v1/features')
  @Allow(policies.anyViewer)
  list(): Promise<FeatureSummary[]> {
    return this.features.list();
  }

  @Get('api/v1/features/:name')
  @Allow(policies.anyViewer)
  get(@Param('name') name: string): Promise<FeatureDetail> {
    return this.features.get(name);
  }

  /** Stored versions and the tags the registry has for the chart. */
  @Get('api/v1/features/:name/versions')
  @Allow(policies.anyViewer)
  versions(@Param('name') name: string): Promise<VersionListing> {
    return this.features.versions(name);
  }

  @Get('api/v1/features/:name/versions/:version')
  @Allow(policies.anyViewer)
  version(@Param('name') name: string, @Param('version') version: string): Promise<FeatureVersionView & { featureYaml: string }> {
    return this.features.version(name, version);
  }
}
