import { Controller, Get, Param } from '@nestjs/common';
import { featureSchema } from '@fasit/feature-spec';
import { authorizeAny } from '../auth/access.js';
import { Public } from '../auth/auth.guard.js';
import { CurrentActor, type Actor } from '../common/actor.js';
import { FeatureService, type FeatureDetail, type FeatureSummary, type FeatureVersionView, type VersionListing } from './feature.service.js';

@Controller()
export class FeatureController {
  constructor(private readonly features: FeatureService) {}

  /** The Feature.yaml JSON Schema, for editors (`# yaml-language-server: $schema=<fasit>/schema/feature.json`). */
  @Get('schema/feature.json')
  @Public()
  schema(): object {
    return featureSchema;
  }

  @Get('api/v1/features')
  list(@CurrentActor() actor: Actor): Promise<FeatureSummary[]> {
    authorizeAny(actor);
    return this.features.list();
  }

  @Get('api/v1/features/:name')
  get(@CurrentActor() actor: Actor, @Param('name') name: string): Promise<FeatureDetail> {
    authorizeAny(actor);
    return this.features.get(name);
  }

  /** Stored versions and the tags the registry has for the chart. */
  @Get('api/v1/features/:name/versions')
  versions(@CurrentActor() actor: Actor, @Param('name') name: string): Promise<VersionListing> {
    authorizeAny(actor);
    return this.features.versions(name);
  }

  @Get('api/v1/features/:name/versions/:version')
  version(@CurrentActor() actor: Actor, @Param('name') name: string, @Param('version') version: string): Promise<FeatureVersionView & { featureYaml: string }> {
    authorizeAny(actor);
    return this.features.version(name, version);
  }
}
